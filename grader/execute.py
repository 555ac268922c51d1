"""Running one submitted notebook so that no single cell can sink the whole grade.

nbgrader executes a submission top to bottom in one kernel; when a cell hangs in a loop that
ignores interrupts, or kills its own kernel (``os._exit``, a segfault), the whole submission
fails and every task scores nothing. :func:`execute_notebook` grades cell by cell instead, in
a kernel forked from the batch's warm zygote (:mod:`grader.kernel`):

* **Timeout.** A cell past the per-cell limit is interrupted (SIGINT). If the kernel answers
  within a short grace period it survived with its state, and grading goes on. If not (the
  loop ignores SIGINT), the kernel is killed and **restarted**.
* **Death.** A kernel that dies while a cell runs is restarted.
* **Restart and replay.** After a restart the earlier cells that had run without error are run
  again, silently, except test (grade) cells: the setup cells and the student's own earlier
  answers, so later tasks see the state they would have seen had the bad cell not run. The bad
  cell gets an error output (``CellTimeoutError`` / ``DeadKernelError``): it scores 0 if it is
  a test cell, and the tests of the task it belonged to fail on their own. After
  ``max_restarts`` restarts the remaining test cells are marked "not run" (0 points) rather
  than left empty, because nbgrader gives full marks to a test cell without an error.
* **Trusted tests.** Before every test cell the kernel puts back the trusted state it
  snapshotted before any student code ran (:class:`grader.kernel.Guard`: awskit's modules and
  classes, ``builtins``, IPython's transformers and hooks, the names locked setup cells
  imported). The request comes over the kernel's pipe, not as code, so no input transformer a
  student registered can rewrite it.
* **Isolation.** The kernel runs in a throwaway folder holding only the submission's files,
  with a clean environment (:func:`kernel_env`: no proxy or cloud credentials of the grader,
  ``HOME`` in that folder), jailed by :mod:`grader.sandbox` where the system allows it (no
  network, nothing of the course visible, nothing writable outside its folder, an unprivileged
  user).
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass, field

import nbformat

from .kernel import KernelDied
from .restore import nbgrader_meta

__all__ = ["ExecutionStats", "execute_notebook", "kernel_env"]

#: Seconds a kernel has to answer after an interrupt before it is killed and restarted.
INTERRUPT_GRACE = 2.0


@dataclass(slots=True)
class ExecutionStats:
    """What happened while one notebook ran."""

    cell_timeouts: int = 0
    kernel_deaths: int = 0
    restarts: int = 0
    not_run: int = 0
    events: list[str] = field(default_factory=list)  # "timeout in task2-answer", ...


def kernel_env(workdir: str, student: str = "") -> dict[str, str]:
    """A clean environment for a grading kernel: nothing of the grader's own leaks in."""
    bindir = os.path.dirname(sys.executable)
    closed = "http://127.0.0.1:9"  # the discard port: any attempt fails at once
    return {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "IPYTHONDIR": os.path.join(workdir, ".ipython"),
        "MPLCONFIGDIR": os.path.join(workdir, ".matplotlib"),
        "XDG_CACHE_HOME": os.path.join(workdir, ".cache"),
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


def _label(cell, index: int) -> str:
    return nbgrader_meta(cell).get("grade_id") or f"cell {index}"


def _error(ename: str, evalue: str):
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


class _Runner:
    """Feeds one notebook's cells to kernels from ``zygote``, restarting them when needed."""

    def __init__(self, nb, zygote, *, workdir, env, cell_timeout, max_restarts):
        self.nb, self.zygote = nb, zygote
        self.workdir, self.env = workdir, env
        self.cell_timeout, self.max_restarts = cell_timeout, max_restarts
        self.stats = ExecutionStats()
        self.kernel = None
        self._replay: list[str] = []  # sources of cells to run again after a restart
        self._setup_names: list[str] = []

    def _start(self) -> None:
        self.kernel = self.zygote.kernel(self.workdir, self.env)

    def _call(self, msg, timeout):
        """The reply, None after ``timeout``; KernelDied when the kernel exits first."""
        return self.kernel.request(msg, timeout)

    def _restart(self) -> bool:
        """A fresh kernel with the earlier good cells replayed."""
        self.stats.restarts += 1
        self.kernel.kill()
        try:
            self._start()
        except KernelDied as err:
            self.stats.events.append(f"restart failed: {err}")
            return False
        try:
            for source in self._replay:
                if self._call(("run", source, False), self.cell_timeout) is None:
                    self.stats.events.append("replay stopped: a replayed cell did not finish")
                    self.kernel.kill()
                    self._start()
                    break
            if self._setup_names:
                self._call(("guard", "remember", self._setup_names), self.cell_timeout)
        except KernelDied:
            self.stats.events.append("replay stopped: the kernel died in a replayed cell")
            try:
                self._start()
            except KernelDied as err:
                self.stats.events.append(f"restart failed: {err}")
                return False
        return True

    def run(self) -> ExecutionStats:
        self._start()
        try:
            self._grade_cells()
        finally:
            self.kernel.kill()
        return self.stats

    def _grade_cells(self) -> None:
        stop_at = None
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            meta = nbgrader_meta(cell)
            is_test = bool(meta.get("grade")) and not meta.get("solution")
            if stop_at is not None:
                if is_test or meta.get("grade"):
                    cell.outputs = [_error("NotRunError", stop_at)]
                    self.stats.not_run += 1
                continue
            cell.outputs = []
            if not cell.source.strip():
                continue
            label = _label(cell, index)
            died = timed_out = responsive = False
            try:
                if is_test:
                    self._call(("guard", "restore"), self.cell_timeout)
                reply = self._call(("run", cell.source, True), self.cell_timeout)
                if reply is None:
                    timed_out = True
                    self.kernel.interrupt()
                    reply = self._call(None, INTERRUPT_GRACE)
                    responsive = reply is not None
            except KernelDied:
                died, reply = True, None
            if reply is not None:
                _kind, outputs, count, ok = reply
                cell.outputs = [nbformat.from_dict(o) for o in outputs]
                cell.execution_count = count
            if timed_out and not died:
                self.stats.cell_timeouts += 1
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
                if ok and not is_test:
                    self._replay.append(cell.source)
                    if meta.get("locked") and not meta.get("solution"):
                        names = _imported_names(cell.source)
                        if names:
                            self._setup_names += names
                            try:
                                self._call(("guard", "remember", names), self.cell_timeout)
                            except KernelDied:
                                pass
                continue
            if self.stats.restarts >= self.max_restarts or not self._restart():
                stop_at = (
                    f"not run: the kernel had to be restarted {self.stats.restarts} times "
                    "(time-outs or crashes); later tests count as failed"
                )


def execute_notebook(
    nb,
    *,
    zygote,
    workdir: str,
    student: str,
    cell_timeout: float = 30,
    max_restarts: int = 4,
) -> ExecutionStats:
    """Execute ``nb`` in place (outputs recorded) in ``workdir``; returns what happened.

    Kernels come from ``zygote`` (a :class:`grader.kernel.Zygote`) with the environment
    :func:`kernel_env`. See the module docstring for the rules.
    """
    env = kernel_env(workdir, student)
    env["JPY_SESSION_NAME"] = os.path.join(workdir, "notebook.ipynb")
    runner = _Runner(
        nb,
        zygote,
        workdir=workdir,
        env=env,
        cell_timeout=cell_timeout,
        max_restarts=max_restarts,
    )
    return runner.run()
