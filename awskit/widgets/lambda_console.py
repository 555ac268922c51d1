"""Chapter 4 widget: a Lambda test console.

Write an event as JSON and press Invoke: the console calls the function synchronously
(``RequestResponse``) and shows what came back, the log lines of that call (START, what the
handler printed, END and the REPORT line), its duration and billed duration, whether it
was a cold start (a new execution environment had to be created) and what the call cost.
The burst control fires N invocations at the same simulated instant: with a reserved
concurrency set, only that many run and the rest are throttled, which is how Lambda caps a
function.

The view is pure model calls (``cloud.awslambda.invoke``, ``burst``,
``put_function_concurrency``) drawn as HTML; it redraws in well under a millisecond.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ..awslambda import PRICE_PER_GB_SECOND, PRICE_PER_REQUEST, Function, InvocationResult
from ..core.errors import AWSError, InvalidParameter
from ._base import Dashboard

__all__ = ["BurstSummary", "LambdaConsole", "call_cost"]


def call_cost(result: InvocationResult, architecture: str = "x86_64") -> float:
    """What one invocation costs in USD: the request plus its GB-seconds (billed ms x memory).

    >>> from awskit.awslambda import InvocationResult
    >>> r = InvocationResult(status_code=200, function="f", executed_version="$LATEST", request_id="x",
    ...                      billed_ms=1000, memory_size=1024)
    >>> round(call_cost(r) * 1e6, 4)   # micro-dollars: 0.2 for the request + 16.6667 for 1 GB-s
    16.8667
    """
    gb_seconds = result.memory_size / 1024.0 * result.billed_ms / 1000.0
    return PRICE_PER_REQUEST + gb_seconds * PRICE_PER_GB_SECOND[architecture]


@dataclass(slots=True, frozen=True)
class BurstSummary:
    """The outcome of one burst: how many of ``n`` simultaneous calls ran, were throttled or failed."""

    n: int
    succeeded: int
    throttled: int
    function_errors: int
    cold_starts: int
    reserved: int | None

    def __repr__(self) -> str:
        return (f"BurstSummary(n={self.n}, succeeded={self.succeeded}, throttled={self.throttled}, "
                f"function_errors={self.function_errors}, cold_starts={self.cold_starts})")


class LambdaConsole(Dashboard):
    """Invoke one function with a JSON event, read its result, logs and cost; burst it.

    Args:
        cloud: the awskit Cloud.
        function: the Function (or its name or ARN) in the cloud's default Region.
        event: the event the text box starts with (any JSON value; default ``{}``).

    Read the outcome from ``last_result`` (the last InvocationResult, None after an error),
    ``last_cost``, ``last_burst`` (a :class:`BurstSummary`), ``last_error`` and the HTML
    widgets ``response``, ``logs``, ``metrics``, ``burst_result``; ``last_redraw_ms`` says
    how long the last redraw took.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=0)
    >>> fn = cloud.awslambda.create_function("hello", handler=lambda event, ctx: f"hi {event['name']}")
    >>> console = LambdaConsole(cloud, fn, event={"name": "Ada"})
    >>> console.invoke_button.click()
    >>> console.last_result.payload, console.last_result.cold_start
    ('hi Ada', True)
    >>> console.close()
    """

    topics = ("lambda.*",)

    def __init__(self, cloud, function: Any, event: Any = None) -> None:
        super().__init__(cloud)
        self.lam = cloud.awslambda
        if isinstance(function, Function):
            self.lam = cloud.region(function.region).awslambda
        self.function = self.lam.function(function)
        self.last_result: InvocationResult | None = None
        self.last_cost = 0.0
        self.last_burst: BurstSummary | None = None
        self.redraw_count = 0
        self.last_redraw_ms = 0.0
        try:
            text = json.dumps({} if event is None else event, indent=2)
        except (TypeError, ValueError) as err:
            raise InvalidParameter("InvalidRequestContentException",
                                   f"The starting event must be JSON-serializable: {err}.") from None
        self.event = widgets.Textarea(value=text, description="Event", layout=widgets.Layout(width="520px",
                                                                                             height="110px"))
        self.invoke_button = widgets.Button(description="Invoke", button_style="primary", icon="play")
        self.config = widgets.HTML()
        self.metrics = widgets.HTML()
        self.response = widgets.HTML()
        self.logs = widgets.HTML()
        self.burst_size = widgets.IntSlider(value=20, min=1, max=200, description="Burst N",
                                            layout=widgets.Layout(width="360px"))
        self.burst_button = widgets.Button(description="Fire burst", icon="bolt")
        self.reserved = widgets.BoundedIntText(value=self.function.reserved_concurrency or 5, min=0, max=900,
                                               description="Reserved", layout=widgets.Layout(width="180px"))
        self.reserve_button = widgets.Button(description="Set reserved concurrency",
                                             layout=widgets.Layout(width="200px"))
        self.unreserve_button = widgets.Button(description="Remove reservation",
                                               layout=widgets.Layout(width="170px"))
        self.burst_result = widgets.HTML()
        self.bill = widgets.HTML()
        self.root = widgets.VBox([
            widgets.HTML(f"<b>Lambda console</b> for <code>{html.escape(self.function.name)}</code>: send an "
                         "event, read the result, the log and the cost"),
            self.config, self.event, self.invoke_button, self.metrics, self.response, self.logs,
            widgets.HTML("<b>Concurrency</b>: fire N invocations at the same instant"),
            widgets.HBox([self.reserved, self.reserve_button, self.unreserve_button]),
            widgets.HBox([self.burst_size, self.burst_button]), self.burst_result,
            self.bill, self.status, self.output])
        self.invoke_button.on_click(self.guard(lambda _b: self.invoke()))
        self.burst_button.on_click(self.guard(lambda _b: self.burst()))
        self.reserve_button.on_click(self.guard(lambda _b: self.set_reserved(self.reserved.value)))
        self.unreserve_button.on_click(self.guard(lambda _b: self.set_reserved(None)))
        self.refresh()

    # -- actions -------------------------------------------------------------------------------
    def _payload(self) -> str:
        """The event text, checked: a teaching error when it is not JSON."""
        text = self.event.value
        try:
            json.loads(text) if text.strip() else None
        except ValueError as err:
            lines = text.splitlines() or [""]
            line = lines[min(err.lineno, len(lines)) - 1]
            raise InvalidParameter(
                "InvalidRequestContentException",
                f"The event is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno} "
                f"({line.strip()!r}). JSON needs double quotes around keys and strings, no trailing commas, "
                "and true/false/null in lower case.") from None
        return text

    def invoke(self) -> InvocationResult:
        """Invoke the function once with the event in the text box (RequestResponse).

        Raises: InvalidRequestContentException (not JSON), TooManyRequestsException
        (throttled: reserved concurrency 0, or all of it busy), ResourceConflictException
        (the function is not Active yet).
        """
        self.last_result = None
        try:
            result = self.lam.invoke(self.function, self._payload())
        except AWSError:
            self.refresh()  # clear the previous call's panels: they no longer describe the last attempt
            raise
        self.last_result = result
        self.last_cost = call_cost(result, self._architecture(result))
        self.refresh()
        what = "failed with " + result.function_error if result.function_error else "returned"
        self.show_status(f"{result.request_id[:8]}... {what} in {result.duration_ms:.2f} ms "
                         f"({'cold' if result.cold_start else 'warm'} start).")
        return result

    def burst(self, n: int | None = None) -> BurstSummary:
        """Fire ``n`` (default: the slider) invocations at the same simulated instant."""
        n = self.burst_size.value if n is None else n
        outcomes = self.lam.burst(self.function, n, self._payload())
        ran = [r for r in outcomes if isinstance(r, InvocationResult)]
        summary = BurstSummary(n=n, succeeded=sum(1 for r in ran if not r.function_error),
                               throttled=sum(1 for r in outcomes if isinstance(r, AWSError)),
                               function_errors=sum(1 for r in ran if r.function_error),
                               cold_starts=sum(1 for r in ran if r.cold_start),
                               reserved=self.function.reserved_concurrency)
        self.last_burst = summary
        self.refresh()
        return summary

    def set_reserved(self, reserved: int | None) -> None:
        """Reserve concurrency for the function (None removes the reservation)."""
        if reserved is None:
            self.lam.delete_function_concurrency(self.function)
        else:
            self.lam.put_function_concurrency(self.function, reserved)
        self.refresh()
        self.show_status("Reserved concurrency removed: the function shares the account's unreserved pool."
                         if reserved is None else f"Reserved concurrency set to {reserved}: at most {reserved} "
                         "copies run at once; the rest are throttled.")

    def _architecture(self, result: InvocationResult) -> str:
        fn = self.function
        version = fn.latest if result.executed_version == "$LATEST" else fn.versions.get(result.executed_version,
                                                                                          fn.latest)
        return version.architectures[0]

    # -- the view ------------------------------------------------------------------------------
    def on_event(self, message) -> None:
        if message.data.get("function") != self.function.name:
            return
        if message.topic == "lambda.function.deleted":
            self.show_status(f"{self.function.name} was deleted.")
            return
        if message.topic != "lambda.invoked":  # configuration changes: redraw the settings line
            self.refresh()

    def refresh(self) -> None:
        """Redraw every panel from the model and the last results."""
        start = time.perf_counter()
        v = self.function.latest
        reserved = self.function.reserved_concurrency
        cap = (f"none (shares the account's unreserved pool of {self.lam.unreserved_concurrency})"
               if reserved is None else str(reserved))
        self.config.value = (f"<small>{v.runtime}, {v.memory_size} MB memory, timeout {v.timeout} s, "
                             f"{v.architectures[0]}; reserved concurrency: {cap}; state {v.state.value}</small>")
        r = self.last_result
        if r is None:
            self.metrics.value = self.response.value = self.logs.value = ""
        else:
            start_kind = ("<b style='color:#0969da'>cold start</b> (a new execution environment: init "
                          f"{r.init_ms:.2f} ms)" if r.cold_start else "<b style='color:#1a7f37'>warm start</b> "
                          "(an environment kept from an earlier call)")
            self.metrics.value = (f"Duration <b>{r.duration_ms:.2f} ms</b> · billed <b>{r.billed_ms} ms</b> · "
                                  f"{start_kind} · memory used {r.memory_used_mb} of {r.memory_size} MB · "
                                  f"cost of this call <b>${self.last_cost:.10f}</b>")
            colour = "#cf222e" if r.function_error else "#1a7f37"
            label = f"Function error ({r.function_error})" if r.function_error else "Response"
            self.response.value = (f"<div style='border-left:4px solid {colour};padding:4px'><b>{label}</b>"
                                   f"<pre style='margin:0'>{html.escape(_pretty(r.payload))}</pre></div>")
            self.logs.value = ("<b>Log</b><pre style='font-size:11px;max-height:180px;overflow:auto;margin:0'>"
                               f"{html.escape(chr(10).join(r.log))}</pre>")
        b = self.last_burst
        if b is None:
            self.burst_result.value = ""
        else:
            cap = f"reserved concurrency {b.reserved}" if b.reserved is not None else "no reservation"
            self.burst_result.value = (
                f"{b.n} invocations at one instant ({cap}): <b style='color:#1a7f37'>{b.succeeded} succeeded</b>, "
                f"<b style='color:#cf222e'>{b.throttled} throttled</b> (TooManyRequestsException)"
                f"{f', {b.function_errors} failed in the handler' if b.function_errors else ''}; "
                f"{b.cold_starts} cold start(s): each concurrent copy needs its own environment.")
        spent = self.cloud.bill.by_service().get("lambda", 0.0)
        self.bill.value = (f"Lambda bill so far: <b>${spent:.8f}</b> <small>($0.20 per million requests + "
                           "GB-seconds of billed duration; the free tier is not modelled)</small>")
        self.redraw_count += 1
        self.last_redraw_ms = (time.perf_counter() - start) * 1000

    def __repr__(self) -> str:
        return f"LambdaConsole({self.function.name!r}, last_result={self.last_result!r})"


def _pretty(value: Any) -> str:
    try:
        return json.dumps(value, indent=2)
    except (TypeError, ValueError):
        return repr(value)
