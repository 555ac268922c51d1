"""``awskit.check()``: run an exercise's visible checks from inside the notebook, honestly.

In a released exercise notebook the test cells under each task are the *visible* checks;
hidden checks exist only in the instructor's copy and run at grading. :func:`check` reads the
notebook file, runs the visible checks of every task (or one task) in the notebook's current
namespace, and says per task how many passed, or the first failing check's message as a hint.
It never claims a task is done: hidden checks may still fail.

The notebook is found through ``JPY_SESSION_NAME`` (set by Jupyter Server for every kernel it
starts) or IPython's ``__session__``; pass ``notebook=`` otherwise.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .core.errors import InvalidParameter, NotFound

__all__ = ["TaskCheck", "check", "run_checks"]


@dataclass(slots=True)
class TaskCheck:
    """The visible checks of one task and how they fared."""

    task: str
    passed: int
    total: int
    failures: list[str] = field(default_factory=list)  # "grade_id: message"

    def __str__(self) -> str:
        if self.passed == self.total:
            return (
                f"{self.task}: {self.passed}/{self.total} visible checks passed; "
                "hidden checks run at grading"
            )
        return (
            f"{self.task}: {self.passed}/{self.total} visible checks passed. Hint: "
            + self.failures[0]
        )


def _task_of(grade_id: str) -> str:
    match = re.match(r"(task\s*\d+|[^-]+)", grade_id)
    return match.group(1) if match else grade_id


def _notebook_path(notebook) -> Path:
    if notebook is None:
        from .tracker import current_notebook

        notebook = current_notebook()
    if notebook is None:
        raise NotFound(
            "NotebookNotFound",
            "Cannot tell which notebook this is (no JPY_SESSION_NAME or __session__): "
            "call awskit.check(notebook='ps01-network.ipynb').",
        )
    path = Path(notebook).expanduser()
    if not path.is_file():
        raise NotFound(
            "NotebookNotFound",
            f"No notebook file at {str(path)!r}: save it first, "
            "or pass notebook='<path to the .ipynb>'.",
        )
    return path


def _namespace(namespace, caller):
    if namespace is not None:
        return namespace
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None:
            return ip.user_ns
    except ImportError:
        pass
    # The first frame outside awskit's own entry points is the student's.
    while caller is not None and caller.f_globals.get("__name__") in ("awskit", __name__):
        caller = caller.f_back
    return caller.f_globals if caller is not None else {}


def run_checks(
    task: str | int | None = None, notebook=None, namespace=None, record: bool = True
) -> list[TaskCheck]:
    """Run the visible test cells of ``notebook`` (or of one ``task``) in ``namespace``.

    Args:
        task: ``"task3"``, ``3`` or None for every task.
        notebook: the .ipynb path; default the current notebook.
        namespace: where the student's variables live; default the notebook's.
        record: remember the verdicts in the progress file (:mod:`awskit.tracker`).

    Raises:
        NotFound (NotebookNotFound, NoSuchTask): no notebook, or no such task in it.
    """
    path = _notebook_path(notebook)
    ns = _namespace(namespace, inspect.currentframe().f_back)
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    tests = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            tests.append((meta.get("grade_id", "?"), source))
    if task is not None:
        want = f"task{task}" if isinstance(task, int) else str(task).replace(" ", "").lower()
        tests = [(g, s) for g, s in tests if _task_of(g).replace(" ", "").lower() == want]
        if not tests:
            tasks = sorted({_task_of(g) for g, _ in tests}) or "none"
            raise NotFound(
                "NoSuchTask",
                f"No visible checks for task {task!r} in {path.name}; tasks with checks: {tasks}.",
            )
    results: dict[str, TaskCheck] = {}
    for grade_id, source in tests:
        name = _task_of(grade_id)
        r = results.setdefault(name, TaskCheck(name, 0, 0))
        r.total += 1
        try:
            exec(compile(source, f"<{grade_id}>", "exec"), ns)  # noqa: S102 (the student's own checks)
        except AssertionError as err:
            r.failures.append(f"{grade_id}: {err or 'a check failed'}")
        except Exception as err:  # noqa: BLE001 (a NameError means the task is not done yet)
            r.failures.append(f"{grade_id}: {type(err).__name__}: {err}")
        else:
            r.passed += 1
    if record:
        from .tracker import record_task

        for r in results.values():
            record_task(path.stem, r.task, r.passed, r.total)
    return list(results.values())


def check(task: str | int | None = None, notebook=None, namespace=None) -> None:
    """Print, per task, how many visible checks pass (or the first failure as a hint).

    >>> import json, tempfile, os
    >>> nb = {"cells": [{"cell_type": "code", "source": "assert x == 1, 'x should be 1'",
    ...        "metadata": {"nbgrader": {"grade": True, "solution": False,
    ...                                  "grade_id": "task1-tests"}}}]}
    >>> path = os.path.join(tempfile.mkdtemp(), "ex.ipynb")
    >>> _ = open(path, "w").write(json.dumps(nb))
    >>> check(notebook=path, namespace={"x": 2})
    task1: 0/1 visible checks passed. Hint: task1-tests: x should be 1
    """
    if task is not None and not isinstance(task, (str, int)):
        raise InvalidParameter(
            "InvalidParameterValue", f"task should be like 'task3' or 3, not {task!r}."
        )
    namespace = _namespace(namespace, inspect.currentframe().f_back)
    for r in run_checks(task, notebook, namespace, record=True):
        print(r)


class _CallableModule(type(inspect)):
    """``import awskit.check`` binds the module as ``awskit.check``: keep it callable."""

    def __call__(self, task=None, notebook=None, namespace=None):
        namespace = _namespace(namespace, inspect.currentframe().f_back)
        return check(task, notebook, namespace)


sys.modules[__name__].__class__ = _CallableModule
