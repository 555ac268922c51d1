"""What runs inside a grading kernel: IPython's shell with nbformat-shaped output capture,
the trusted-state guard, and the request loop (see :mod:`grader.kernel` for how kernels are
started and driven).

A kernel runs the same IPython ``InteractiveShell`` that ipykernel wraps, so student code sees
the same ``get_ipython()``, magics, display machinery and tracebacks; outputs are recorded in
nbformat's shapes (``stream``, ``display_data``, ``execute_result``, ``error``) instead of being
sent as Jupyter messages. Output written at the file-descriptor level (``!ls``, C code) is
captured through memory files.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import sys
from multiprocessing.connection import Connection

__all__ = ["OUTPUT_LIMIT", "Guard", "kernel_main", "make_shell", "set_pdeathsig"]

#: Text a cell may print before the rest is dropped (a print loop must not eat the memory).
OUTPUT_LIMIT = 1_000_000


class _Recorder:
    """The current cell's outputs, in nbformat's shapes."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.outputs: list[dict] = []
        self.size, self.truncated = 0, False
        self.clear_pending = False  # clear_output(wait=True): clear when the next output comes

    def _add(self, out: dict) -> None:
        if self.clear_pending:
            self.outputs, self.clear_pending = [], False
        self.outputs.append(out)

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        if self.size + len(text) > OUTPUT_LIMIT:
            if self.truncated:
                return
            text = text[: max(0, OUTPUT_LIMIT - self.size)] + "\n[output truncated by the grader]\n"
            self.truncated = True
        self.size += len(text)
        last = self.outputs[-1] if self.outputs and not self.clear_pending else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self._add({"output_type": "stream", "name": name, "text": text})

    def display(self, data, metadata, transient=None, update=False) -> None:
        display_id = (transient or {}).get("display_id")
        if update and display_id:
            for out in self.outputs:
                if out.get("_display_id") == display_id:
                    out["data"], out["metadata"] = data, metadata or {}
            return
        out = {"output_type": "display_data", "data": data, "metadata": metadata or {}}
        if display_id:
            out["_display_id"] = display_id
        self._add(out)

    def result(self, data, metadata, count) -> None:
        self._add(
            {"output_type": "execute_result", "data": data, "metadata": metadata or {},
             "execution_count": count}
        )

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self._add(
            {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback}
        )

    def clear(self, wait: bool = False) -> None:
        """``clear_output``: now, or with ``wait`` when the next output arrives (as Jupyter)."""
        if wait:
            self.clear_pending = True
        else:
            self.outputs, self.clear_pending = [], False


RECORDER = _Recorder()


class _Stream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` of a kernel: text goes into the cell's outputs."""

    def __init__(self, name: str, fd: int):
        super().__init__()
        self.name, self._fd = name, fd

    @property
    def encoding(self):  # noqa: D401
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        RECORDER.stream(self.name, text)
        return len(text)


def make_shell():
    """The IPython shell kernels run (built once, in the zygote)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                    **kw):
            RECORDER.display(data, metadata, transient, update)

        def clear_output(self, wait=False):
            RECORDER.clear(wait)

    class Hook(DisplayHook):
        def start_displayhook(self):
            self._pending = None

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self._pending = (format_dict, md_dict)

        def finish_displayhook(self):
            if getattr(self, "_pending", None):
                data, md = self._pending
                RECORDER.result(data, md, self.prompt_count)
            self._pending = None

    class GradingShell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

        def _showtraceback(self, etype, evalue, stb):
            RECORDER.error(str(etype.__name__), str(evalue), list(stb))

        def enable_gui(self, gui=None):
            pass

    config = Config()
    config.HistoryManager.enabled = False
    config.HistoryManager.hist_file = ":memory:"
    return GradingShell.instance(config=config)


class Guard:
    """Trusted state, snapshotted before any student code, put back before each test cell.

    The awskit modules (and their classes), ``builtins`` and the shell's input/AST
    transformers, exception handlers and event callbacks; and the names locked setup cells
    imported. So ``awskit.testing.assert_reachable = lambda *a, **k: None``, ``builtins.
    isinstance = ...``, rebinding a helper or an input transformer that blanks test cells do
    not change a verdict. This defends against monkeypatching, not against a determined
    attacker in the same process (who could find and disable it, e.g. through ``gc``); the
    autograded copy shows the instructor such code.
    """

    def __init__(self, shell):
        import builtins

        self.shell = shell
        self.missing = object()
        mods = {n: m for n, m in list(sys.modules.items())
                if m is not None and (n == "awskit" or n.startswith("awskit."))}
        self.modules = {n: (m, dict(vars(m))) for n, m in mods.items()}
        self.classes = {}
        for n, (_m, d) in self.modules.items():
            for v in d.values():
                if isinstance(v, type) and getattr(v, "__module__", None) == n:
                    self.classes[v] = dict(vars(v))
        self.builtins = dict(vars(builtins))
        itm = shell.input_transformer_manager
        self.lists = [
            (shell.input_transformers_post, list(shell.input_transformers_post)),
            (shell.ast_transformers, list(shell.ast_transformers)),
            (itm.cleanup_transforms, list(itm.cleanup_transforms)),
            (itm.line_transforms, list(itm.line_transforms)),
            (itm.token_transformers, list(itm.token_transformers)),
        ]
        self.callbacks = {k: list(v) for k, v in shell.events.callbacks.items()}
        self.handlers = (shell.custom_exceptions, shell.CustomTB)
        self.attrs = set(vars(shell))
        self.names: dict = {}

    def remember(self, names) -> None:
        for k in names:
            if k in self.shell.user_ns:
                self.names[k] = self.shell.user_ns[k]

    def restore(self) -> None:
        import builtins

        missing = self.missing
        for n, (m, d) in self.modules.items():
            sys.modules[n] = m
            cur = vars(m)
            for k, v in d.items():
                if cur.get(k, missing) is not v:
                    setattr(m, k, v)
        for cls, d in self.classes.items():
            cur = vars(cls)
            for k, v in d.items():
                if k not in ("__dict__", "__weakref__") and cur.get(k, missing) is not v:
                    try:
                        setattr(cls, k, v)
                    except (AttributeError, TypeError):
                        pass
            for k in [k for k in cur if k not in d]:
                try:
                    delattr(cls, k)
                except (AttributeError, TypeError):
                    pass
        bd = vars(builtins)
        for k, v in self.builtins.items():
            if bd.get(k, missing) is not v:
                bd[k] = v
        for target, saved in self.lists:
            target[:] = saved
        shell = self.shell
        for k, v in self.callbacks.items():
            shell.events.callbacks[k][:] = v
        shell.custom_exceptions, shell.CustomTB = self.handlers
        for k in set(vars(shell)) - self.attrs:
            try:
                delattr(shell, k)
            except AttributeError:
                pass
        shell.user_ns.update(self.names)


def _drain(fd: int, offset: int, name: str) -> int:
    """Cell output written to a captured file descriptor since ``offset``."""
    size = os.fstat(fd).st_size
    if size > offset:
        data = os.pread(fd, min(size - offset, OUTPUT_LIMIT), offset)
        RECORDER.stream(name, data.decode("utf-8", "replace"))
    return size


def _serve(conn: Connection, shell, guard: Guard, fds) -> None:
    """The kernel's loop: one reply per request until the driver goes away."""
    offsets = {1: 0, 2: 0}
    block = {signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, block)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        op = msg[0]
        if op == "run":
            _code, record = msg[1], msg[2]
            RECORDER.reset()
            count = shell.execution_count if record else None
            while signal.sigtimedwait(block, 0) is not None:  # a late interrupt: not for us
                pass
            success = False
            try:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, block)
                result = shell.run_cell(_code, store_history=record, silent=not record)
                success = result.success
            except BaseException as err:  # noqa: BLE001 (an interrupt between the lines)
                RECORDER.error(type(err).__name__, str(err), [f"{type(err).__name__}: {err}"])
            finally:
                signal.pthread_sigmask(signal.SIG_BLOCK, block)
            for fd, name in ((1, "stdout"), (2, "stderr")):
                offsets[fd] = _drain(fds[fd], offsets[fd], name)
            outputs = [{k: v for k, v in o.items() if not k.startswith("_")}
                       for o in RECORDER.outputs]
            reply = ("done", outputs, count, success)
        elif op == "guard":
            try:
                getattr(guard, msg[1])(*msg[2:])
                reply = ("ok",)
            except BaseException as err:  # noqa: BLE001
                reply = ("failed", f"{type(err).__name__}: {err}")
        else:
            reply = ("pong",)
        try:
            conn.send(reply)
        except Exception:  # noqa: BLE001 (an unpicklable output: send what can be sent)
            conn.send(("done", [{"output_type": "error", "ename": "OutputError",
                                  "evalue": "the cell's output could not be recorded",
                                  "traceback": []}], reply[2] if len(reply) > 2 else None, False))


def kernel_main(sock: socket.socket, request: dict, shell, guard: Guard, jail) -> None:
    """In the forked kernel: jail, environment, captured I/O, then serve. Never returns."""
    conn = Connection(sock.detach())
    try:
        workdir = request["workdir"]
        if jail is not None:
            from .sandbox import enter

            enter(jail, workdir)
        else:
            os.setsid()
            os.chdir(workdir)
        os.environ.clear()
        os.environ.update(request["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        fds = {}
        for fd in (1, 2):
            fds[fd] = os.memfd_create(f"fd{fd}")
            os.dup2(fds[fd], fd)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, closefd=False))
        sys.stdout, sys.stderr = _Stream("stdout", 1), _Stream("stderr", 2)
        sys.path[:] = [""] + [p for p in sys.path[1:] if p]
        set_pdeathsig()  # the kernel's parent gone (grader stopped): the kernel goes too
        conn.send(("ready", os.getpid()))
    except BaseException as err:  # noqa: BLE001
        try:
            conn.send(("failed", f"{type(err).__name__}: {err}"))
        finally:
            os._exit(70)
    try:
        _serve(conn, shell, guard, fds)
    finally:
        os._exit(0)


def set_pdeathsig() -> None:
    """Linux: SIGKILL this process when its parent exits."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover (not Linux)
        pass
