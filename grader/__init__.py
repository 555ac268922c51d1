"""The instructor's tooling around nbgrader: a course folder and the ``awskit-grade`` CLI.

``awskit-grade init``, ``release``, ``autograde``, ``feedback`` and ``export`` work on an
nbgrader course folder with the standard layout, so nbgrader's own commands keep working on
it. Hidden tests are checked out of released notebooks and scrubbed from feedback
(:mod:`grader.hidden`); each submission is graded under a wall-clock limit (:mod:`grader.grading`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "Course": "course",
    "GraderError": "course",
    "init_course": "course",
    "SubmissionResult": "grading",
    "autograde": "grading",
    "export_grades": "grading",
    "feedback": "grading",
    "release": "grading",
}

__all__ = [
    "Course",
    "GraderError",
    "SubmissionResult",
    "autograde",
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
