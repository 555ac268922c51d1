"""The grading steps over a course: release, autograde, feedback, export.

Each step drives nbgrader's own ``NbGraderAPI`` in-process (no 4-5 s ``nbgrader`` start-up per
call). Autograding runs every submission in a forked child process with a wall-clock limit, on
top of nbgrader's per-cell timeout: a cell over ``Execute.timeout`` is interrupted and scores 0,
and a submission that still does not finish (a loop that ignores interrupts) is killed with its
kernel while the rest of the batch goes on.
"""

from __future__ import annotations

import contextlib
import csv
import multiprocessing
import os
import re
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import hidden
from .course import Course, GraderError

__all__ = [
    "EXPORT_COLUMNS",
    "SubmissionResult",
    "autograde",
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
@dataclass(slots=True, kw_only=True)
class SubmissionResult:
    """How one student's submission fared in the autograder."""

    student: str
    score: float | None
    max_score: float | None
    status: str  # graded | not graded: <why>
    seconds: float
    cell_timeouts: int = 0
    detail: str = ""

    @property
    def graded(self) -> bool:
        return self.status == "graded"

    def __str__(self) -> str:
        score = "-" if self.score is None else f"{self.score:g}/{self.max_score:g}"
        note = f" ({self.cell_timeouts} cell(s) timed out)" if self.cell_timeouts else ""
        return f"{self.student:<20} {score:>9}  {self.status}{note}  [{self.seconds:.1f}s]"


def _log_path(course: Course, name: str, student: str) -> Path:
    return course.root / "logs" / f"autograde-{name}-{student}.log"


def _grade_in_child(root: str, name: str, student: str, log: str, conn) -> None:
    """Body of the forked grader: run nbgrader autograde for one student, report the outcome.

    Its stdout and stderr (and so the kernel's) go to the log file, with nbgrader's own log.
    """
    import warnings

    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    warnings.simplefilter("ignore")  # SQLAlchemy's session warnings from inside nbgrader
    try:
        result = Course(Path(root)).api().autograde(name, student, force=True, create=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write((result.get("log") or "") + (result.get("error") or ""))
        timed_out = "CellTimeoutError" in (result.get("log") or "")
        conn.send(
            {
                "success": bool(result["success"]),
                "cell_timeout": timed_out,
                "message": "" if result["success"] else _nbgrader_failure(result),
            }
        )
    except BaseException as err:  # noqa: BLE001 (report anything: never leave the parent waiting)
        conn.send(
            {"success": False, "cell_timeout": False, "message": f"{type(err).__name__}: {err}"}
        )
    finally:
        conn.close()


def _kill_tree(pid: int) -> None:
    """Kill a grading process and every process it started (its kernel sits in its own session)."""
    try:
        import psutil  # ipykernel's dependency: present wherever nbgrader runs kernels
    except ImportError:  # pragma: no cover
        os.kill(pid, signal.SIGKILL)
        return
    try:
        parent = psutil.Process(pid)
        family = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=5)


def _count_cell_timeouts(course: Course, name: str, student: str) -> int:
    count = 0
    for path in (course.root / "autograded" / student / name).glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                    count += 1
    return count


def _discard_partial(course: Course, name: str, student: str) -> None:
    """After a killed run: no half-written autograded folder, no half-made gradebook entry."""
    shutil.rmtree(course.root / "autograded" / student / name, ignore_errors=True)
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb, contextlib.suppress(MissingEntry):  # nothing recorded yet
        gb.remove_submission(name, student)


def _grade_one(course: Course, name: str, student: str, limit: float) -> SubmissionResult:
    log = _log_path(course, name, student)
    log.parent.mkdir(exist_ok=True)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    start = time.monotonic()
    proc = ctx.Process(
        target=_grade_in_child, args=(str(course.root), name, student, str(log), send), daemon=True
    )
    proc.start()
    send.close()
    report = None
    try:
        if receive.poll(limit):
            report = receive.recv()
    except EOFError:  # the child died without a word (killed by the OS, out of memory)
        report = None
    finally:
        if report is not None:
            proc.join(10)  # nbgrader is shutting the kernel down
        if report is None or proc.is_alive():
            _kill_tree(proc.pid)
        proc.join(10)
        receive.close()
    seconds = time.monotonic() - start
    where = f"log: {log.relative_to(course.root)}"

    if report is None or not report["success"]:
        # Neither a half-written autograded folder nor a score-0 gradebook entry may stand in
        # for a grade: the submission is left ungraded, and `export` says so.
        _discard_partial(course, name, student)
        if report is None:
            why = (
                f"killed after the {limit:g}s submission limit"
                if seconds >= limit
                else f"grading process died (exit code {proc.exitcode})"
            )
            detail = where
        else:
            why = (
                "a cell ignored the timeout interrupt"
                if report["cell_timeout"]
                else "nbgrader error"
            )
            detail = f"{report['message']} ({where})"
        return SubmissionResult(
            student=student,
            score=None,
            max_score=None,
            status=f"not graded: {why}",
            seconds=seconds,
            detail=detail,
        )
    with course.gradebook() as gb:
        sub = gb.find_submission(name, student)
        score, max_score = float(sub.score), float(sub.max_score)
    return SubmissionResult(
        student=student,
        score=score,
        max_score=max_score,
        status="graded",
        seconds=seconds,
        cell_timeouts=_count_cell_timeouts(course, name, student),
    )


def autograde(
    course: Course,
    name: str,
    *,
    students: list[str] | None = None,
    submission_timeout: float | None = None,
    progress=None,
) -> list[SubmissionResult]:
    """Grade every submission in ``submitted/*/<name>`` (or only ``students``).

    Students missing from the gradebook are added. Each submission runs in its own process
    with a wall-clock limit (``submission_timeout``, default from the course config); one that
    overruns is killed, recorded as not graded, and the batch goes on. ``progress`` (a
    callable) receives each :class:`SubmissionResult` as soon as it is known.
    """
    course.require_assignment(name)
    with course.gradebook() as gb:
        known = {a.name: len(a.notebooks) for a in gb.assignments}
    if not known.get(name) or not (course.release_dir / name).is_dir():
        raise GraderError(
            f"{name!r} has not been released yet: run `awskit-grade release {name} "
            f"--course {course.root}` first"
        )
    found = course.submitted(name)
    if students is not None:
        missing = sorted(set(students) - set(found))
        if missing:
            raise GraderError(f"no submission of {name!r} from: {', '.join(missing)}")
        found = {s: found[s] for s in students}
    if not found:
        raise GraderError(f"no submissions in {course.root / 'submitted'}/*/{name}")
    limit = submission_timeout if submission_timeout is not None else course.submission_timeout
    results = []
    for student in found:
        result = _grade_one(course, name, student, limit)
        results.append(result)
        if progress is not None:
            progress(result)
    return results


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
