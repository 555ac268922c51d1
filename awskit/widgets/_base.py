"""A small base for awskit dashboards: views that compose ipywidgets over one cloud.

A dashboard *holds* widgets rather than being one (the pattern of ipywidgets' Variable
Inspector example): it keeps the cloud, subscribes to the cloud's events once it is fully
built and unsubscribes in :meth:`Dashboard.close`, and shows itself through the root box's
``_repr_mimebundle_``.  Handlers run through :meth:`Dashboard.guard`, so an ``AWSError`` a
button caused is shown to the student instead of vanishing into the kernel log.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..core.errors import AWSError, InvalidParameter

__all__ = ["Dashboard"]


class _Listening(type):
    """Subscribe a dashboard to its topics only once its whole ``__init__`` chain returned.

    Building a view often touches the model (looking a VPC up builds the Region's network,
    which publishes events); an event delivered then would reach a half-built view.  A
    constructor that raises leaves nothing subscribed.
    """

    def __call__(cls, *args: Any, **kwargs: Any):
        view = super().__call__(*args, **kwargs)
        view._listen()
        return view


class Dashboard(metaclass=_Listening):
    """Base for a view over a :class:`~awskit.Cloud`.

    Subclasses set ``topics`` (event patterns such as ``"az.*"``), override
    :meth:`on_event`, and build their widgets in ``__init__`` after calling
    ``super().__init__(cloud)``, ending with ``self.root = widgets.VBox([...])`` (use
    ``self.status`` and ``self.output`` in it).  The view starts listening to ``topics``
    when construction has finished, so ``on_event`` never sees a half-built view.

    Output capture (``with output:``) only works inside a kernel, so every error is also
    kept in ``last_error`` and written into the ``status`` line, where plain Python (and
    the tests) can read it.
    """

    #: event patterns this dashboard listens to, e.g. ("az.*",)
    topics: tuple[str, ...] = ()

    def __init__(self, cloud) -> None:
        from ..cloud import Cloud

        if not isinstance(cloud, Cloud):
            raise InvalidParameter(
                "InvalidParameterValue",
                f"{type(self).__name__} needs an awskit Cloud, not {cloud!r}: "
                f"build one with Cloud(seed=0) and pass it in.",
            )
        self.cloud = cloud
        self.last_error: BaseException | None = None
        self.status = widgets.HTML(value="", layout=widgets.Layout(min_height="1.5em"))
        self.output = widgets.Output()
        self.root: widgets.Widget = widgets.VBox([self.status, self.output])
        self._subscriptions: list = []
        self.closed = False

    def _listen(self) -> None:
        """Subscribe to ``topics`` (called once construction has finished)."""
        if not self.closed and not self._subscriptions:
            self._subscriptions = [self.cloud.events.subscribe(p, self._dispatch) for p in self.topics]

    # -- events -------------------------------------------------------------
    def on_event(self, message) -> None:
        """Called for each event matching ``topics``; override to refresh the view."""

    def _dispatch(self, message) -> None:
        self.guard(self.on_event)(message)

    # -- handlers and errors ------------------------------------------------
    def guard(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a button/observer handler so its output and errors reach the student.

        An ``AWSError`` is shown in the status line and the output area and kept in
        ``last_error``; it does not propagate (the student made a mistake, the view goes
        on).  Any other exception is an awskit bug: it is recorded and shown the same way,
        then re-raised (a kernel's Output area shows its traceback; pytest sees it fail).
        """

        def run(*args: Any, **kwargs: Any) -> Any:
            # The try sits inside the ``with``: in a kernel, Output.__exit__ would show and
            # swallow an exception before an outer ``except`` could record it.
            with self.output:
                try:
                    result = handler(*args, **kwargs)
                except AWSError as err:
                    self.show_error(err)
                    return None
                except Exception as err:
                    self.show_error(err, bug=True)
                    raise  # in a kernel the Output shows the traceback; in plain Python it propagates
                self.last_error = None
                return result

        run.__name__ = getattr(handler, "__name__", "handler")
        run.__doc__ = handler.__doc__
        return run

    def show_error(self, err: BaseException, *, bug: bool = False) -> None:
        """Record ``err`` and show it in the status line and the output area."""
        self.last_error = err
        if isinstance(err, AWSError):
            text = f"{err.code}: {err.message}"
        else:
            text = f"{type(err).__name__}: {err} (this is a bug in awskit, not your mistake)"
        self.status.value = f"<span style='color:#b00020'><b>Error</b> {html.escape(text)}</span>"
        self.output.append_stderr(text + "\n")

    def show_status(self, text: str) -> None:
        """Put a plain message (HTML-escaped) in the status line."""
        self.status.value = html.escape(text)

    # -- display and lifetime ----------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any):
        return self.root._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop listening to the cloud and close every widget of the dashboard."""
        if self.closed:
            return
        for sub in self._subscriptions:
            sub.close()
        self._subscriptions = []
        _close_tree(self.root)
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = ", closed" if self.closed else ""
        return f"{type(self).__name__}({self.cloud!r}{state})"


def _close_tree(widget: widgets.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()
