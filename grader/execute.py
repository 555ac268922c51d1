"""Running one submitted notebook so that no single cell can sink the whole grade.

nbgrader executes a submission top to bottom in one kernel; when a cell hangs in a loop that
ignores interrupts, or kills its own kernel (``os._exit``, a segfault), the whole submission
fails and every task scores nothing. :func:`execute_notebook` grades cell by cell instead:

* **Timeout.** A cell past the per-cell limit is interrupted (SIGINT). If the kernel answers a
  probe within a short grace period it survived with its state, and grading goes on. If not
  (the loop ignores SIGINT), the kernel is **restarted**.
* **Death.** A kernel that dies while a cell runs is restarted.
* **Restart and replay.** After a restart the earlier cells that had run without error are run
  again, silently, except test (grade) cells: the setup cells and the student's own earlier
  answers, so later tasks see the state they would have seen had the bad cell not run. The bad
  cell gets an error output (``CellTimeoutError`` / ``DeadKernelError``): it scores 0 if it is
  a test cell, and the tests of the task it belonged to fail on their own. After
  ``max_restarts`` restarts the remaining test cells are marked "not run" (0 points) rather
  than left empty, because nbgrader gives full marks to a test cell without an error.
* **Trusted tests.** Before the first student cell the kernel snapshots the awskit modules
  (and their classes), ``builtins`` and IPython's input/AST transformers, exception handlers
  and event callbacks. Before every test cell they are put back, and so are the names the
  locked setup cells imported into the notebook namespace. So ``awskit.testing.assert_reachable
  = lambda *a, **k: None``, ``builtins.isinstance = ...``, rebinding ``latency_ms`` or an input
  transformer that blanks test cells do not change a verdict. This defends against
  monkeypatching, not against a determined attacker: code running in the same process can find
  and disable any in-process guard (for example through ``gc``); such a notebook still shows
  its code to the instructor in the autograded copy.
* **Isolation.** The kernel runs in a throwaway folder holding only the submission's files,
  with a clean environment (no proxy or cloud credentials of the grader, ``HOME`` in that
  folder, network libraries pointed at a closed port). When the grader runs as root the kernel
  runs as the unprivileged user ``awskit-grader`` (created with ``useradd`` if missing), and the
  caller makes the course folder 0700 so source notebooks and the gradebook cannot be read.
  Without root the kernel runs as the grading user: it cannot be kept from reading files that
  user can read (documented fallback).
"""

from __future__ import annotations

import ast
import asyncio
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from queue import Empty

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

__all__ = ["SANDBOX_USER", "ExecutionStats", "execute_notebook", "sandbox_user"]

SANDBOX_USER = "awskit-grader"

#: Seconds a kernel has to answer after an interrupt before it is restarted.
INTERRUPT_GRACE = 2.0


@dataclass(slots=True)
class ExecutionStats:
    """What happened while one notebook ran."""

    cell_timeouts: int = 0
    kernel_deaths: int = 0
    restarts: int = 0
    not_run: int = 0
    events: list[str] = field(default_factory=list)  # "timeout in task2-answer", ...


def _world_reachable(path: str) -> bool:
    """Whether any user can reach (execute/read) ``path``: every parent folder is o+x."""
    real = os.path.realpath(path)
    parts = real.split(os.sep)
    for i in range(2, len(parts)):
        folder = os.sep.join(parts[:i]) or os.sep
        if not os.stat(folder).st_mode & 0o001:
            return False
    return bool(os.stat(real).st_mode & 0o005)


def sandbox_problem() -> str | None:
    """Why kernels cannot run as the unprivileged user here, or None when they can."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not running as root (kernels run as the grading user)"
    for path in (sys.executable, os.path.dirname(nbformat.__file__), os.path.dirname(__file__)):
        if not _world_reachable(path):
            return (
                f"{os.path.realpath(path)} is not readable by other users (a parent folder lacks "
                f"o+x), so a kernel running as {SANDBOX_USER!r} could not start: install Python "
                "and the venv where every user can read them"
            )
    return None


def sandbox_user(create: bool = True) -> tuple[int, int] | None:
    """(uid, gid) of the unprivileged grading user, or None when kernels cannot use one.

    As root, the user is created with ``useradd`` if it does not exist. None when not root,
    when that fails, or when the Python installation is not readable by other users
    (:func:`sandbox_problem` says why).
    """
    if sandbox_problem() is not None:
        return None
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        if not create or not os.path.exists(useradd):
            return None
        subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SANDBOX_USER],
            check=False,
            capture_output=True,
        )
        try:
            entry = pwd.getpwnam(SANDBOX_USER)
        except KeyError:
            return None
    return entry.pw_uid, entry.pw_gid


def kernel_env(workdir: str, student: str, runtime: str | None = None) -> dict[str, str]:
    """A clean environment for a grading kernel: nothing of the grader's own leaks in.

    ``runtime`` (default ``workdir``) holds IPython's and matplotlib's files.
    """
    runtime = runtime or workdir
    bindir = os.path.dirname(sys.executable)
    closed = "http://127.0.0.1:9"  # the discard port: any attempt fails at once
    return {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": workdir,
        "IPYTHONDIR": os.path.join(runtime, ".ipython"),
        "MPLCONFIGDIR": os.path.join(runtime, ".matplotlib"),
        "XDG_CACHE_HOME": os.path.join(runtime, ".cache"),
        "JUPYTER_RUNTIME_DIR": os.path.join(runtime, ".runtime"),
        "MPLBACKEND": "Agg",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HTTP_PROXY": closed,
        "HTTPS_PROXY": closed,
        "http_proxy": closed,
        "https_proxy": closed,
        "NO_PROXY": "",
        "AWS_EC2_METADATA_DISABLED": "true",
        "PIP_NO_INDEX": "1",
        "NBGRADER_EXECUTION": "autograde",
        "AWSKIT_STUDENT_ID": student,
    }


class _SandboxKernelManager(AsyncKernelManager):
    """Starts the kernel as another user: the connection file must be that user's to read."""

    sandbox: tuple[int, int] | None = None

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.sandbox is not None:
            uid, gid = self.sandbox
            os.chown(self.connection_file, uid, gid)
            kw.update(user=uid, group=gid, extra_groups=[], umask=0o077)
        return await super()._async_launch_kernel(kernel_cmd, **kw)


_GUARD = r"""
def __awskit_guard_install(token):
    import builtins, sys
    import awskit, awskit.testing, awskit.reachability, awskit.selfcheck  # noqa: F401
    ip = get_ipython()  # noqa: F821
    missing = object()
    mods = {n: m for n, m in list(sys.modules.items())
            if m is not None and (n == "awskit" or n.startswith("awskit."))}
    snap = {n: (m, dict(vars(m))) for n, m in mods.items()}
    classes = {}
    for n, (m, d) in snap.items():
        for v in d.values():
            if isinstance(v, type) and getattr(v, "__module__", None) == n:
                classes[v] = dict(vars(v))
    bsnap = dict(vars(builtins))
    itm = ip.input_transformer_manager
    shell = {
        "input_transformers_post": list(ip.input_transformers_post),
        "ast_transformers": list(ip.ast_transformers),
        "cleanup": list(itm.cleanup_transforms), "line": list(itm.line_transforms),
        "token": list(itm.token_transformers),
        "callbacks": {k: list(v) for k, v in ip.events.callbacks.items()},
        "custom_exceptions": ip.custom_exceptions, "CustomTB": ip.CustomTB,
        "attrs": set(vars(ip)),
    }
    names = {}

    def remember(keys):
        for k in keys:
            if k in ip.user_ns:
                names[k] = ip.user_ns[k]

    def restore():
        for n, (m, d) in snap.items():
            sys.modules[n] = m
            cur = vars(m)
            for k, v in d.items():
                if cur.get(k, missing) is not v:
                    setattr(m, k, v)
        for cls, d in classes.items():
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
        for k, v in bsnap.items():
            if bd.get(k, missing) is not v:
                bd[k] = v
        ip.input_transformers_post[:] = shell["input_transformers_post"]
        ip.ast_transformers[:] = shell["ast_transformers"]
        itm.cleanup_transforms[:] = shell["cleanup"]
        itm.line_transforms[:] = shell["line"]
        itm.token_transformers[:] = shell["token"]
        for k, v in shell["callbacks"].items():
            ip.events.callbacks[k][:] = v
        ip.custom_exceptions, ip.CustomTB = shell["custom_exceptions"], shell["CustomTB"]
        for k in set(vars(ip)) - shell["attrs"]:
            try:
                delattr(ip, k)
            except AttributeError:
                pass
        ip.user_ns.update(names)

    holder = type(sys)("_awskit_guard_" + token)
    holder.restore, holder.remember = restore, remember
    sys.modules[holder.__name__] = holder

__awskit_guard_install(%r)
del __awskit_guard_install
"""


def _imported_names(source: str) -> list[str]:
    """Names a cell binds with import statements (what a locked setup cell provides)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names += [a.asname or a.name for a in node.names if a.name != "*"]
    return names


def _nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {}) or {}


def _label(cell, index: int) -> str:
    return _nbg(cell).get("grade_id") or f"cell {index}"


def _error(ename: str, evalue: str):
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


class _Client(NotebookClient):
    def __init__(self, nb, *, cell_timeout, max_restarts, **kw):
        super().__init__(
            nb,
            timeout=cell_timeout,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": "CellTimeoutError", "evalue": "timed out"},
            allow_errors=True,
            iopub_timeout=1,
            record_timing=False,
            shutdown_kernel="immediate",
            **kw,
        )
        self.cell_timeout = cell_timeout
        self.max_restarts = max_restarts
        self.stats = ExecutionStats()
        self._timed_out = False
        self._token = secrets.token_hex(8)
        self._replay: list[str] = []  # sources of cells to run again after a restart
        self._setup_names: list[str] = []

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    async def _silent(self, code: str, timeout: float, expressions=None) -> dict | None:
        """Run code without recording it; its reply content, or None when none came in time."""
        msg_id = self.kc.execute(
            code,
            silent=True,
            store_history=False,
            stop_on_error=False,
            user_expressions=expressions or {},
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            try:
                msg = await self.kc.get_shell_msg(timeout=remaining)
            except Empty:
                return None
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    async def _install_guard(self) -> None:
        await self._silent(_GUARD % self._token, self.cell_timeout)

    async def _guard(self, call: str) -> None:
        # As a user expression: evaluated with eval(), so no input transformer a student
        # registered can rewrite it (a cell's code would pass through them).
        expr = f"__import__('sys').modules['_awskit_guard_{self._token}'].{call}"
        await self._silent("", self.cell_timeout, {"guard": expr})

    async def _restart(self) -> bool:
        """A fresh kernel with the guard installed and the earlier good cells replayed."""
        self.stats.restarts += 1
        try:
            await self.km.restart_kernel(now=True)
            await self.kc.wait_for_ready(timeout=self.startup_timeout)
        except Exception as err:  # noqa: BLE001 (a kernel that will not come back: stop here)
            self.stats.events.append(f"restart failed: {type(err).__name__}: {err}")
            return False
        await self._install_guard()
        for source in self._replay:
            reply = await self._silent(source, self.cell_timeout)
            if reply is None or not await self.km.is_alive():
                self.stats.events.append("replay stopped: a replayed cell did not finish")
                break
        if self._setup_names:
            await self._guard(f"remember({self._setup_names!r})")
        return True

    async def grade_cells(self) -> None:
        await self._install_guard()
        cells = self.nb.cells
        stop_at = None
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            meta = _nbg(cell)
            is_test = bool(meta.get("grade")) and not meta.get("solution")
            if stop_at is not None:
                if is_test or meta.get("grade"):
                    cell.outputs = [_error("NotRunError", stop_at)]
                    self.stats.not_run += 1
                continue
            if not cell.source.strip():
                continue
            if is_test:
                await self._guard("restore()")
            self._timed_out = False
            died = False
            try:
                await self.async_execute_cell(cell, index, store_history=True)
            except DeadKernelError:
                died = True
            label = _label(cell, index)
            if self._timed_out and not died:
                self.stats.cell_timeouts += 1
                responsive = await self._silent("pass", INTERRUPT_GRACE) is not None
                note = (
                    "it was interrupted"
                    if responsive
                    else "it ignored the interrupt, so the kernel was restarted and the earlier "
                    "cells run again"
                )
                cell.outputs.append(
                    _error(
                        "CellTimeoutError",
                        f"this cell ran longer than {self.cell_timeout:g} s and was stopped: {note}",
                    )
                )
                self.stats.events.append(f"timeout in {label}")
                if responsive:
                    continue
            elif died:
                self.stats.kernel_deaths += 1
                cell.outputs.append(
                    _error(
                        "DeadKernelError",
                        "the kernel died while this cell ran (os._exit, a crash or running out "
                        "of memory); it was restarted and the earlier cells run again",
                    )
                )
                self.stats.events.append(f"kernel died in {label}")
            else:
                ok = not any(o.get("output_type") == "error" for o in cell.outputs)
                if ok and not is_test:
                    self._replay.append(cell.source)
                    if meta.get("locked") and not meta.get("solution"):
                        names = _imported_names(cell.source)
                        if names:
                            self._setup_names += names
                            await self._guard(f"remember({names!r})")
                continue
            if self.stats.restarts >= self.max_restarts or not await self._restart():
                stop_at = (
                    f"not run: the kernel had to be restarted {self.stats.restarts} times "
                    "(time-outs or crashes); later tests count as failed"
                )

    async def run(self, **launch_kw) -> None:
        async with self.async_setup_kernel(**launch_kw):
            await self.grade_cells()


def execute_notebook(
    nb,
    *,
    workdir: str,
    student: str,
    cell_timeout: float = 30,
    max_restarts: int = 4,
    sandbox: tuple[int, int] | None = None,
    kernel_name: str = "python3",
    runtime: str | None = None,
) -> ExecutionStats:
    """Execute ``nb`` in place (outputs recorded) in ``workdir``; returns what happened.

    The kernel's environment is :func:`kernel_env`; with ``sandbox`` (uid, gid) it runs as that
    user, and ``workdir`` must be that user's. The kernel's connection file, sockets and
    IPython profile go to ``runtime`` (default: a folder next to ``workdir``), so the student's
    working folder holds only the submission. See the module docstring for the rules.
    """
    if runtime is None:
        runtime = workdir.rstrip(os.sep) + "-kernel"
        os.makedirs(runtime, mode=0o700, exist_ok=True)
        if sandbox is not None:
            os.chown(runtime, *sandbox)
    km = _SandboxKernelManager(kernel_name=kernel_name)
    km.sandbox = sandbox
    km.connection_file = os.path.join(runtime, f"kernel-{secrets.token_hex(4)}.json")
    km.transport = "ipc"  # unix sockets in a private folder: no TCP port on localhost
    km.ip = os.path.join(runtime, "ipc")
    nb_path = os.path.join(workdir, "notebook.ipynb")
    env = kernel_env(workdir, student, runtime)
    env["JPY_SESSION_NAME"] = nb_path
    client = _Client(
        nb,
        km=km,
        cell_timeout=cell_timeout,
        max_restarts=max_restarts,
        kernel_name=kernel_name,
        resources={"metadata": {"path": workdir}},
        startup_timeout=60,
    )
    asyncio.run(client.run(env=env, cwd=workdir))
    return client.stats
