"""Grading kernels forked from a warm zygote: an IPython shell fed cell by cell over a pipe.

Starting a Jupyter kernel costs a new Python process that imports ipykernel, zmq, IPython and
then the course's libraries: most of the time nbgrader spends on a small notebook. The grader
instead starts one **zygote** per batch, a fresh interpreter (``python -m grader.kernel``) that
imports IPython, awskit (with every service module) and whatever the assignment's notebooks
import, builds an IPython shell and snapshots the trusted state (:class:`Guard`). Each kernel is
then a ``fork()`` of the zygote: ready in milliseconds, with nothing imported twice.

The zygote is a separate interpreter, not a fork of the grader, so a kernel's memory holds no
source notebook, hidden test or gradebook row for student code to find.

A kernel runs the same IPython ``InteractiveShell`` that ipykernel wraps, so student code sees
the same ``get_ipython()``, magics, display machinery and tracebacks; outputs are recorded in
nbformat's shapes (``stream``, ``display_data``, ``execute_result``, ``error``) instead of being
sent as Jupyter messages. Output a cell writes at the file-descriptor level (``!ls``, C code) is
captured too. Each kernel is jailed by :mod:`grader.sandbox` where the system allows.

Protocol (pickled tuples over a socket pair): the driver sends ``("run", code, record)``,
``("guard", "restore" | "remember", arg)`` or ``("ping",)`` and receives one reply per request.
A kernel that does not answer is interrupted (SIGINT) and, failing that, killed (see
:mod:`grader.execute`).
"""

from __future__ import annotations

import ast
import io
import json
import os
import signal
import socket
import sys
from multiprocessing.connection import Connection, wait

__all__ = ["Kernel", "KernelDied", "Zygote", "notebook_imports"]

#: Text a cell may print before the rest is dropped (a print loop must not eat the memory).
OUTPUT_LIMIT = 1_000_000


class KernelDied(Exception):
    """The kernel process exited (os._exit, a crash, killed)."""


# -- inside a kernel -----------------------------------------------------------------
class _Recorder:
    """The current cell's outputs, in nbformat's shapes."""

    def __init__(self):
        self.outputs: list[dict] = []
        self.size = 0
        self.truncated = False

    def reset(self) -> None:
        self.outputs, self.size, self.truncated = [], 0, False

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        if self.size + len(text) > OUTPUT_LIMIT:
            if self.truncated:
                return
            text = text[: max(0, OUTPUT_LIMIT - self.size)] + "\n[output truncated by the grader]\n"
            self.truncated = True
        self.size += len(text)
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

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
        self.outputs.append(out)

    def result(self, data, metadata, count) -> None:
        self.outputs.append(
            {"output_type": "execute_result", "data": data, "metadata": metadata or {},
             "execution_count": count}
        )

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self.outputs.append(
            {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback}
        )

    def clear(self, wait: bool = False) -> None:
        self.outputs = []


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


def _make_shell():
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


def _kernel_main(sock: socket.socket, request: dict, shell, guard: Guard, jail) -> None:
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
        _set_pdeathsig()  # the kernel's parent gone (grader stopped): the kernel goes too
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


def _preload(modules) -> None:
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 (a student's own module, a typo: not ours to fix)
            pass


def _awskit_modules() -> list[str]:
    """awskit and every module its registries import lazily (what student code will use)."""
    names = ["awskit", "awskit.testing", "awskit.reachability", "awskit.selfcheck",
             "awskit.check", "awskit.variants"]
    try:
        from awskit import cloud
        from awskit.api import CLIENTS

        for registry in (cloud.REGIONAL_SERVICES, cloud.GLOBAL_SERVICES, CLIENTS):
            names += [spec.split(":")[0] for spec in registry.values()]
    except Exception:  # noqa: BLE001
        pass
    return names


def zygote_main(listen_fd: int, settings: dict) -> None:
    """The zygote: preload, build the shell and guard, then fork a kernel per request."""
    os.environ.clear()
    os.environ.update(settings["env"])
    os.chdir(settings["home"])
    _set_pdeathsig()  # the grader gone: no zygote left behind
    signal.signal(signal.SIGINT, signal.default_int_handler)  # kernels are interruptible
    sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
    _preload(["IPython", "matplotlib", "matplotlib.pyplot", *_awskit_modules(),
              *settings.get("preload", [])])
    shell = _make_shell()
    guard = Guard(shell)
    jail = None
    if settings.get("jail"):
        from .sandbox import make_jail

        jail = make_jail(**settings["jail"])
    listener = socket.socket(fileno=listen_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    import gc

    gc.freeze()  # what the kernels share stays shared (no copy-on-write from the collector)
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            os._exit(0)
        with client:
            try:
                chunks = []
                while chunk := client.recv(1 << 16):
                    chunks.append(chunk)
                request = json.loads(b"".join(chunks).decode())
                _spawn(client, request, shell, guard, jail, listener)
            except Exception as err:  # noqa: BLE001
                try:
                    client.sendall(json.dumps({"error": f"{type(err).__name__}: {err}"}).encode())
                except OSError:
                    pass
        while True:  # reap the kernels' parents that have finished
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break


def _set_pdeathsig() -> None:
    """Linux: SIGKILL this process when its parent exits."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover (not Linux)
        pass


def _watch(kernel: int, driver: int | None) -> None:
    """In the kernel's parent: wait for the kernel; kill it if its driver process dies first
    (a worker killed at the submission limit must not leave its kernel running)."""
    import select

    try:
        fds = [os.pidfd_open(kernel)] + ([os.pidfd_open(driver)] if driver else [])
    except (AttributeError, OSError):
        os.waitpid(kernel, 0)
        return
    ready, _, _ = select.select(fds, [], [])
    if fds[0] not in ready:
        os.kill(kernel, signal.SIGKILL)
    os.waitpid(kernel, 0)


def _spawn(client, request, shell, guard, jail, listener) -> None:
    """Fork a kernel: a parent that unshares the namespaces, then the kernel as its PID 1."""
    ours, theirs = socket.socketpair()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the kernel's parent
        try:
            listener.close()
            client.close()
            ours.close()
            os.close(read)
            if jail is not None:
                from .sandbox import unshare_for_kernel

                unshare_for_kernel(jail.userns)
            _set_pdeathsig()
            kernel = os.fork()
            if kernel == 0:
                os.close(write)
                _kernel_main(theirs, request, shell, guard, jail)
            os.write(write, str(kernel).encode())
            os.close(write)
            theirs.close()
            _watch(kernel, request.get("driver"))
        finally:
            os._exit(0)
    os.close(write)
    theirs.close()
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    if not text:
        ours.close()
        raise OSError("the kernel could not be started")
    socket.send_fds(client, [json.dumps({"pid": int(text)}).encode()], [ours.fileno()])
    ours.close()


# -- the grader's side ------------------------------------------------------------------
def notebook_imports(nb) -> list[str]:
    """Modules a notebook's code cells import (what the zygote should load ahead)."""
    names: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(names))


class Zygote:
    """A warm process that forks grading kernels; one per batch (a context manager).

    ``env`` is the kernels' base environment, ``home`` a private folder for the zygote's own
    files, ``jail`` the arguments of :func:`grader.sandbox.make_jail` (``scratch``, ``uid``,
    ``gid``, ``userns``; None: no jail), ``preload`` extra modules to import ahead.
    """

    def __init__(self, *, env: dict, home: str, jail: dict | None = None, preload=()):
        import subprocess

        self.address = os.path.join(home, "zygote.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.address)
        listener.listen(64)
        settings = {"env": env, "home": home, "jail": jail, "preload": list(preload)}
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.process = subprocess.Popen(
            [sys.executable, "-c",
             "import sys, json; sys.path.insert(0, sys.argv[3]); from grader.kernel import "
             "zygote_main; zygote_main(int(sys.argv[1]), json.loads(sys.argv[2]))",
             str(listener.fileno()), json.dumps(settings), package_root],
            pass_fds=[listener.fileno()],
            env={**env, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
            cwd=home,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C at the grader's terminal stops the grader, which
        )  # then closes the zygote; it never lands in a student's cell
        listener.close()

    def kernel(self, workdir: str, env: dict, timeout: float = 60) -> Kernel:
        """A new kernel in ``workdir`` (its whole environment is ``env``), ready to run cells."""
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(timeout)
        try:
            client.connect(self.address)
            request = {"workdir": workdir, "env": env, "driver": os.getpid()}
            client.sendall(json.dumps(request).encode())
            client.shutdown(socket.SHUT_WR)
            msg, fds, _flags, _addr = socket.recv_fds(client, 1 << 16, 1)
        except OSError as err:
            raise KernelDied(f"the zygote did not answer: {err}") from err
        finally:
            client.close()
        answer = json.loads(msg.decode() or "{}")
        if "error" in answer or not fds:
            raise KernelDied(answer.get("error", "the zygote is gone"))
        kernel = Kernel(Connection(fds[0]), answer["pid"])
        reply = kernel.request(None, timeout)
        if reply is None or reply[0] != "ready":
            kernel.kill()
            why = reply[1] if reply else "no answer"
            raise KernelDied(f"the kernel could not start: {why}")
        return kernel

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Kernel:
    """The grader's handle on one kernel process."""

    def __init__(self, conn: Connection, pid: int):
        self.conn, self.pid = conn, pid
        try:
            self.pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.pidfd = None

    def request(self, msg, timeout: float):
        """Send ``msg`` (None: just wait) and return the reply, or None after ``timeout``.

        Raises :class:`KernelDied` when the kernel exits first.
        """
        if msg is not None:
            try:
                self.conn.send(msg)
            except OSError as err:
                raise KernelDied(str(err)) from err
        watched = [self.conn] + ([self.pidfd] if self.pidfd is not None else [])
        if not wait(watched, timeout):
            return None
        if self.conn.poll():
            try:
                return self.conn.recv()
            except (EOFError, OSError) as err:
                raise KernelDied(str(err)) from err
        raise KernelDied("the kernel process exited")

    def interrupt(self) -> None:
        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """Kill the kernel and everything it started (its PID namespace or its session)."""
        for kill in (os.killpg, os.kill):
            try:
                kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.close()

    def close(self) -> None:
        self.conn.close()
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
