"""The grading steps over a course: release, autograde, feedback, export.

Release and feedback drive nbgrader's own ``NbGraderAPI`` in-process (no 4-5 s ``nbgrader``
start-up per call). Autograding (:mod:`grader.batch`) uses nbgrader's preprocessors and
gradebook but its own parallel, crash-proof execution.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import nbformat

from . import hidden
from .course import Course, GraderError

__all__ = [
    "EXPORT_COLUMNS",
    "BatchSummary",
    "SubmissionResult",
    "autograde",
    "autograde_batch",
    "export_canvas",
    "export_grades",
    "feedback",
    "release",
]

EXPORT_COLUMNS = [
    "assignment",
    "student_id",
    "notebook",
    "score",
    "max_score",
    "timestamp",
    "needs_manual_grade",
    "status",
]


_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Interrupt)): (.+)$")


def _nbgrader_failure(result: dict) -> str:
    """The most telling line of a failed nbgrader call: the first exception it logged."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    for line in text.splitlines():
        match = _EXCEPTION_LINE.match(line)
        if match and match.group(1) != "NbGraderException":
            return f"{match.group(1)}: {match.group(2).strip()}"
    errors = [
        ln.removeprefix("[ERROR]").strip() for ln in text.splitlines() if ln.startswith("[ERROR]")
    ]
    return errors[0] if errors else "nbgrader failed without a message"


# -- release ----------------------------------------------------------------
def release(course: Course, name: str) -> list[Path]:
    """Generate the student version of ``name`` into ``release/<name>`` and check it.

    Solutions are replaced by stubs and hidden tests removed (nbgrader generate_assignment);
    the assignment and its grade cells enter the gradebook. Afterwards every released file is
    scanned: if any hidden-test text survived, the release folder is deleted and GraderError
    raised, so a leaking version is never left where students could be given it.
    """
    course.require_assignment(name)
    result = course.api().generate_assignment(name, force=True, create=True)
    out = course.release_dir / name
    if not result["success"]:
        raise GraderError(f"generating {name!r} failed: {_nbgrader_failure(result)}")
    found = hidden.scan(out, hidden.secret_lines(course.source / name))
    if found:
        shutil.rmtree(out, ignore_errors=True)
        first, what = next(iter(found.items()))
        raise GraderError(
            f"HIDDEN TESTS LEAKED into {first.relative_to(course.root)} ({what[0]}); "
            "release folder removed: check the BEGIN/END HIDDEN TESTS markers in the source"
        )
    return sorted(out.glob("*.ipynb"))


# -- autograde --------------------------------------------------------------
# Parallel, crash-proof autograding lives in grader.batch; re-exported here.
from .batch import BatchSummary, SubmissionResult, autograde, autograde_batch


# -- feedback ---------------------------------------------------------------
def feedback(course: Course, name: str) -> list[Path]:
    """HTML feedback for every autograded submission of ``name`` in ``feedback/<student>/<name>/``.

    Hidden tests are removed from the cells and their tracebacks cut to the error line
    (:class:`grader.hidden.HideHiddenTests`); each page is then scanned and, should any hidden
    line still show, it is deleted and GraderError raised.
    """
    course.require_assignment(name)
    graded = sorted(p.parent.name for p in (course.root / "autograded").glob(f"*/{name}"))
    if not graded:
        raise GraderError(
            f"no autograded submissions of {name!r}: run `awskit-grade autograde {name} "
            f"--course {course.root}` first"
        )
    api = course.api(
        GenerateFeedback={
            "preprocessors": [
                "nbgrader.preprocessors.GetGrades",
                "grader.hidden.HideHiddenTests",
                "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
            ]
        }
    )
    result = api.generate_feedback(name)
    if not result["success"]:
        raise GraderError(f"feedback for {name!r} failed: {_nbgrader_failure(result)}")

    secrets = hidden.secret_lines(course.source / name)
    pages, leaked = [], []
    for student in graded:
        # A student may have typed a hidden line into their own code; that is not a leak.
        own = set()
        for nb_path in (course.root / "submitted" / student / name).glob("*.ipynb"):
            own.update(ln.strip() for ln in nb_path.read_text(encoding="utf-8").splitlines())
            nb = nbformat.read(str(nb_path), as_version=4)
            own.update(ln.strip() for c in nb.cells for ln in c.source.splitlines())
        folder = course.root / "feedback" / student / name
        for page in sorted(folder.glob("*.html")):
            if hidden.leaks(page, secrets, allowed=own):
                page.unlink()
                leaked.append(page)
            else:
                pages.append(page)
    if leaked:
        raise GraderError(
            f"HIDDEN TESTS would show in feedback ({leaked[0].relative_to(course.root)} and "
            f"{len(leaked) - 1} more): those pages were deleted; do not release them"
        )
    return pages


# -- export -----------------------------------------------------------------
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "Section"]


def export_canvas(course: Course, to: str | os.PathLike, *, canvas_ids: dict | None = None) -> int:
    """Write a CSV that Canvas's gradebook import accepts; returns the number of students.

    Columns: ``Student`` (nbgrader's "last, first", else the student id), ``ID`` (the Canvas
    user id: nbgrader's ``lms_user_id``, empty if unknown), ``SIS User ID`` (the nbgrader
    student id, which Canvas matches when ID is empty), ``Section`` (empty), then one column per
    assignment named ``<assignment> (<canvas id>)`` when ``canvas_ids`` maps the assignment to
    its Canvas assignment id (so the import updates that assignment), else ``<assignment>``
    (Canvas offers to create it). The second row is Canvas's ``Points Possible`` row. A
    submission without a grade is left empty, never written as 0.
    """
    from nbgrader.api import MissingEntry

    canvas_ids = canvas_ids or {}
    with course.gradebook() as gb:
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        columns = [
            f"{a.name} ({canvas_ids[a.name]})" if a.name in canvas_ids else a.name
            for a in assignments
        ]
        rows = [["Points Possible", "", "", ""] + [f"{float(a.max_score):g}" for a in assignments]]
        for student in sorted(gb.students, key=lambda s: s.id):
            name = (
                f"{student.last_name}, {student.first_name}"
                if student.last_name and student.first_name
                else student.id
            )
            row = [name, student.lms_user_id or "", student.id, ""]
            for a in assignments:
                try:
                    sub = gb.find_submission(a.name, student.id)
                    row.append(f"{float(sub.score):g}")
                except MissingEntry:
                    row.append("")
            rows.append(row)
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    with to.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CANVAS_FIXED + columns)
        writer.writerows(rows)
    return len(rows) - 1


def export_grades(course: Course, to: str | os.PathLike, *, per_notebook: bool = False) -> int:
    """Write the gradebook as CSV; returns the number of rows written.

    One row per assignment and student in the gradebook. ``status`` is ``graded``,
    ``needs manual grading`` (e.g. a deleted test cell), ``not graded`` (submitted, but the
    autograder could not finish it) or ``missing`` (nothing submitted); the last two score 0. With ``per_notebook`` there is one row per notebook,
    and the ``notebook`` column names it; otherwise that column is empty.
    """
    from nbgrader.api import MissingEntry

    rows = []
    with course.gradebook() as gb:
        students = [s.id for s in gb.students]
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            max_total = float(assignment.max_score)
            for student in students:
                try:
                    sub = gb.find_submission(assignment.name, student)
                except MissingEntry:
                    sub = None
                stamp = sub.timestamp.isoformat() if sub is not None and sub.timestamp else ""
                if sub is None:
                    submitted = (course.root / "submitted" / student / assignment.name).is_dir()
                    status = "not graded" if submitted else "missing"
                else:
                    status = "needs manual grading" if sub.needs_manual_grade else "graded"
                if not per_notebook:
                    rows.append(
                        {
                            "assignment": assignment.name,
                            "student_id": student,
                            "notebook": "",
                            "score": float(sub.score) if sub else 0.0,
                            "max_score": float(sub.max_score) if sub else max_total,
                            "timestamp": stamp,
                            "needs_manual_grade": bool(sub.needs_manual_grade) if sub else False,
                            "status": status,
                        }
                    )
                    continue
                subs = {n.name: n for n in sub.notebooks} if sub else {}
                for nb in sorted(assignment.notebooks, key=lambda n: n.name):
                    snb = subs.get(nb.name)
                    rows.append(
                        {
                            "assignment": assignment.name,
                            "student_id": student,
                            "notebook": nb.name,
                            "score": float(snb.score) if snb else 0.0,
                            "max_score": float(nb.max_score),
                            "timestamp": stamp,
                            "needs_manual_grade": bool(snb.needs_manual_grade) if snb else False,
                            "status": status,
                        }
                    )
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    with to.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
