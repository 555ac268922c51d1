"""Grading kernels forked from a warm zygote: an IPython shell fed cell by cell over a pipe.

Starting a Jupyter kernel costs a new Python process that imports ipykernel, zmq, IPython and
then the course's libraries: most of the time nbgrader spends on a small notebook. The grader
instead starts one **zygote** per batch, a fresh interpreter (:func:`zygote_main`) that
imports IPython, awskit (with every service module) and whatever the assignment's notebooks
import, builds an IPython shell and snapshots the trusted state (:class:`Guard`). Each kernel is
then a ``fork()`` of the zygote: ready in milliseconds, with nothing imported twice. What
runs inside a kernel is :mod:`grader.shell`.

The zygote is a separate interpreter, not a fork of the grader, so a kernel's memory holds no
source notebook, hidden test or gradebook row for student code to find.

Each kernel is jailed by :mod:`grader.sandbox` where the system allows.

Protocol (pickled tuples over a socket pair): the driver sends ``("run", code, record)``,
``("guard", "restore" | "remember", arg)`` or ``("ping",)`` and receives one reply per request.
A kernel that does not answer is interrupted (SIGINT) and, failing that, killed (see
:mod:`grader.execute`).
"""

from __future__ import annotations

import ast
import json
import os
import signal
import socket
import sys
from multiprocessing.connection import Connection, wait

from .shell import OUTPUT_LIMIT, Guard, kernel_main, make_shell, set_pdeathsig

__all__ = ["OUTPUT_LIMIT", "Kernel", "KernelDied", "Zygote", "notebook_imports"]


class KernelDied(Exception):
    """The kernel process exited (os._exit, a crash, killed)."""


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
    set_pdeathsig()  # the grader gone: no zygote left behind
    signal.signal(signal.SIGINT, signal.default_int_handler)  # kernels are interruptible
    sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
    _preload(["IPython", "matplotlib", "matplotlib.pyplot", *_awskit_modules(),
              *settings.get("preload", [])])
    shell = make_shell()
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
            set_pdeathsig()
            kernel = os.fork()
            if kernel == 0:
                os.close(write)
                kernel_main(theirs, request, shell, guard, jail)
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
