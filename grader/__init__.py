"""The instructor's tooling around nbgrader: a course folder and the ``awskit-grade`` CLI.

``awskit-grade init``, ``release``, ``autograde``, ``feedback``, ``export`` and ``report``
work on an nbgrader course folder with the standard layout, so nbgrader's own commands keep
working on it. Hidden tests are checked out of released notebooks and scrubbed from feedback
(:mod:`grader.hidden`); submissions are graded in parallel with one gradebook writer
(:mod:`grader.batch`), cell by cell in a guarded, restartable kernel (:mod:`grader.execute`)
forked from a warm zygote (:mod:`grader.kernel`) and jailed (:mod:`grader.sandbox`);
:mod:`grader.report` writes the class report.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "Course": "course",
    "GraderError": "course",
    "init_course": "course",
    "SubmissionResult": "grading",
    "BatchSummary": "grading",
    "autograde_batch": "grading",
    "autograde": "grading",
    "export_grades": "grading",
    "feedback": "grading",
    "release": "grading",
}

__all__ = [
    "BatchSummary",
    "Course",
    "GraderError",
    "SubmissionResult",
    "autograde",
    "autograde_batch",
    "export_grades",
    "feedback",
    "init_course",
    "release",
]


def __getattr__(name: str) -> Any:
    # Lazy, so `awskit-grade --help` answers without importing nbgrader (about 3 s).
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
