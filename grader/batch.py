"""Autograding a class: many submissions in parallel, one SQLite gradebook, nothing lost.

The work of ``nbgrader autograde`` is split so that only the part that needs no database runs
in parallel:

1. **Prepare** (parent, one submission at a time): the student and submission enter the
   gradebook, the submitted folder is copied to ``autograded/``, and each notebook is
   sanitised with nbgrader's own preprocessors (``ClearOutput``, ``DeduplicateIds``,
   ``OverwriteKernelspec``, ``OverwriteCells``, ``CheckCellMetadata``). Before
   ``OverwriteCells``, :func:`restore_cells` puts back test and locked cells a student deleted,
   re-tagged (changed the nbgrader metadata or cell type) or renamed, from the source notebook
   (nbgrader restores edited locked cells and points, but not a deleted test cell).
2. **Execute** (a forked worker per submission, up to ``jobs`` at once): the notebook runs
   cell by cell in a kernel forked from the batch's warm zygote (:mod:`grader.kernel`), in a
   throwaway folder holding only the submission's files, jailed where the system allows
   (:mod:`grader.sandbox`; time-outs, crashes, restarts and guards: :mod:`grader.execute`).
   The notebook with hidden tests restored stays in the worker's memory; the kernel receives
   one cell at a time. The worker sends the executed notebook back through a pipe.
3. **Save** (parent): nbgrader's ``IgnorePattern``, ``ClearMetadataPreprocessor``,
   ``LimitOutput``, ``SaveAutoGrades`` and ``AssignLatePenalties`` write the grades (nbgrader
   checks the cell metadata again here; in this pipeline the kernel returns outputs only, so
   the metadata checked in step 1 cannot have changed), and the notebook goes to ``autograded/<student>/<assignment>/`` (mode 444, as
   nbgrader leaves it). Every gradebook write happens here, in one process, so parallel
   workers never collide on SQLite.

A worker that overruns the per-submission limit (a safety net above the per-cell handling) is
killed with its kernel; that submission is recorded as not graded and the batch goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import Course, GraderError
from .restore import restore_cells

__all__ = ["BatchSummary", "SubmissionResult", "autograde", "restore_cells"]

_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")


@dataclass(slots=True, kw_only=True)
class SubmissionResult:
    """How one student's submission fared in the autograder."""

    student: str
    score: float | None
    max_score: float | None
    status: str  # graded | not graded: <why>
    seconds: float
    cell_timeouts: int = 0
    kernel_deaths: int = 0
    restarts: int = 0
    needs_manual_grade: bool = False
    detail: str = ""
    events: list[str] = field(default_factory=list)

    @property
    def graded(self) -> bool:
        return self.status == "graded"

    def __str__(self) -> str:
        score = "-" if self.score is None else f"{self.score:g}/{self.max_score:g}"
        notes = []
        if self.cell_timeouts:
            notes.append(f"{self.cell_timeouts} cell(s) timed out")
        if self.kernel_deaths:
            notes.append(f"kernel died {self.kernel_deaths}x")
        if self.needs_manual_grade:
            notes.append("needs manual grading")
        note = f" ({'; '.join(notes)})" if notes else ""
        return f"{self.student:<20} {score:>9}  {self.status}{note}  [{self.seconds:.1f}s]"


@dataclass(slots=True)
class BatchSummary:
    """Totals of one autograde run (what the CLI prints at the end)."""

    results: list[SubmissionResult]
    wall_seconds: float
    jobs: int
    isolation: str = ""  # how kernels were isolated (see grader.sandbox)

    @property
    def graded(self) -> int:
        return sum(r.graded for r in self.results)

    @property
    def failed(self) -> int:
        return sum(not r.graded for r in self.results)

    @property
    def manual(self) -> int:
        return sum(r.needs_manual_grade for r in self.results)

    @property
    def timed_out(self) -> int:
        return sum(bool(r.cell_timeouts) or "limit" in r.status for r in self.results)

    def __str__(self) -> str:
        return (
            f"{len(self.results)} submission(s): {self.graded} graded, {self.failed} failed, "
            f"{self.manual} flagged for manual grading, {self.timed_out} with time-outs, "
            f"{sum(r.kernel_deaths for r in self.results)} kernel crash(es); "
            f"wall time {self.wall_seconds:.1f}s with {self.jobs} job(s)"
            + (f"\nkernels: {self.isolation}" if self.isolation else "")
        )


# -- the three phases ------------------------------------------------------------
@dataclass
class _Job:
    student: str
    notebooks: dict  # name -> sanitised NotebookNode (hidden tests restored)
    resources: dict  # name -> nbgrader resources
    workdir: str
    log: str
    restored: list[str]


def _resources(course: Course, name: str, student: str, notebook: str) -> dict:
    return {
        "unique_key": notebook,
        "output_files_dir": f"{notebook}_files",
        "nbgrader": {
            "student": student,
            "assignment": name,
            "notebook": notebook,
            "db_url": f"sqlite:///{course.root / 'gradebook.db'}",
        },
    }


def _run_preprocessors(classes, nb, resources, cfg):
    for cls in classes:
        nb, resources = cls(config=cfg)(nb, resources)
    return nb, resources


def _prepare(course, name, student, folder, cfg, sources, base, owner, index) -> _Job:
    from nbgrader import utils
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearOutput,
        DeduplicateIds,
        OverwriteCells,
        OverwriteKernelspec,
    )

    stamp_file = folder / "timestamp.txt"
    stamp = stamp_file.read_text().strip() if stamp_file.is_file() else ""
    with course.gradebook() as gb:
        gb.update_or_create_student(student)
        if stamp:
            gb.update_or_create_submission(name, student, timestamp=utils.parse_utc(stamp))
        else:
            gb.update_or_create_submission(name, student)

    dest = course.root / "autograded" / student / name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(folder, dest, ignore=_IGNORE)
    for path in (course.source / name).rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            target = dest / path.relative_to(course.source / name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)

    # The kernel's folder: the submission's files (and the assignment's shipped files) only.
    workdir = Path(base) / f"s{index}"
    shutil.copytree(dest, workdir, ignore=_IGNORE)
    if owner is not None:  # the jailed kernel's user must own its folder
        for p in [workdir, *workdir.rglob("*")]:
            os.chown(p, *owner)
    os.chmod(workdir, 0o700)

    notebooks, resources, restored = {}, {}, []
    for nb_name, source in sources.items():
        path = folder / f"{nb_name}.ipynb"
        if not path.is_file():
            with course.gradebook() as gb:
                sub = gb.find_submission_notebook(nb_name, name, student)
                for grade in sub.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gb.db.commit()
            continue
        nb = nbformat.read(str(path), as_version=4)
        res = _resources(course, name, student, nb_name)
        nb, res = _run_preprocessors([ClearOutput, DeduplicateIds], nb, res, cfg)
        restored += [f"{nb_name}:{gid}" for gid in restore_cells(nb, source)]
        nb, res = _run_preprocessors(
            [OverwriteKernelspec, OverwriteCells, CheckCellMetadata], nb, res, cfg
        )
        (dest / f"{nb_name}.ipynb").unlink(missing_ok=True)  # rewritten after grading
        notebooks[nb_name], resources[nb_name] = nb, res
    log = course.root / "logs" / f"autograde-{name}-{student}.log"
    log.parent.mkdir(exist_ok=True)
    return _Job(student, notebooks, resources, str(workdir), str(log), restored)


def _execute_in_child(job: _Job, cell_timeout: float, zygote, conn) -> None:
    """Body of a forked worker: run the notebooks, send them back through the pipe."""
    fd = os.open(job.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    try:
        import logging

        logging.getLogger().setLevel(logging.CRITICAL)
        from .execute import execute_notebook

        out, stats = {}, {"cell_timeouts": 0, "kernel_deaths": 0, "restarts": 0, "events": []}
        for nb_name, nb in job.notebooks.items():
            s = execute_notebook(
                nb,
                zygote=zygote,
                workdir=job.workdir,
                student=job.student,
                cell_timeout=cell_timeout,
            )
            out[nb_name] = nbformat.v4.writes(nb)  # no schema validation: the parent's job
            for key in ("cell_timeouts", "kernel_deaths", "restarts"):
                stats[key] += getattr(s, key)
            stats["events"] += [f"{nb_name}: {e}" for e in s.events]
            print(f"{nb_name}: {s}", flush=True)
        conn.send({"success": True, "notebooks": out, "stats": stats})
    except BaseException as err:  # noqa: BLE001 (report anything: never leave the parent waiting)
        import traceback

        traceback.print_exc()
        conn.send({"success": False, "message": f"{type(err).__name__}: {err}"})
    finally:
        conn.close()


def _save(course, name, job: _Job, report: dict, cfg) -> None:
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    dest = course.root / "autograded" / job.student / name
    for nb_name, text in report["notebooks"].items():
        nb = nbformat.v4.reads(text)  # no schema validation (nbformat.reads would)
        nb, _ = _run_preprocessors(
            [
                IgnorePattern,
                ClearMetadataPreprocessor,
                LimitOutput,
                SaveAutoGrades,
                AssignLatePenalties,
            ],
            nb,
            job.resources[nb_name],
            cfg,
        )
        path = dest / f"{nb_name}.ipynb"
        path.write_text(nbformat.v4.writes(nb) + "\n", encoding="utf-8")
    for dirpath, _dirs, files in os.walk(dest):
        for f in files:
            os.chmod(os.path.join(dirpath, f), 0o444)


def _kill_tree(pid: int) -> None:
    """Kill a worker and every process it started (its kernel sits in its own session)."""
    try:
        import psutil  # ipykernel's dependency: present wherever kernels run
    except ImportError:  # pragma: no cover
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return
    try:
        parent = psutil.Process(pid)
        family = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(family, timeout=5)


def _discard_partial(course: Course, name: str, student: str) -> None:
    """After a failed run: no half-written autograded folder, no half-made gradebook entry."""
    shutil.rmtree(course.root / "autograded" / student / name, ignore_errors=True)
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb, contextlib.suppress(MissingEntry):
        gb.remove_submission(name, student)


class _Progress:
    """``[done/total] graded, failed, ETA`` on stderr, rewritten in place on a terminal."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def update(self, result: SubmissionResult) -> None:
        self.done += 1
        self.failed += not result.graded
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        line = (
            f"[{self.done}/{self.total}] {self.done - self.failed} graded, {self.failed} failed; "
            f"{elapsed:.0f}s elapsed, ETA {eta:.0f}s"
        )
        end = "" if self.tty and self.done < self.total else "\n"
        print(("\r" if self.tty else "") + line, end=end, file=self.stream, flush=True)


def autograde(
    course: Course,
    name: str,
    *,
    students: list[str] | None = None,
    submission_timeout: float | None = None,
    jobs: int | None = None,
    progress=None,
    progress_stream=None,
) -> list[SubmissionResult]:
    """Grade every submission in ``submitted/*/<name>`` (or only ``students``).

    Up to ``jobs`` submissions (default: the number of cores) execute at once; gradebook writes
    stay in this process. ``progress`` (a callable) receives each :class:`SubmissionResult` as
    soon as it is known; with ``progress_stream`` (e.g. ``sys.stderr``) a done/total/ETA line is
    written there. Results come back in student order. See the module docstring.
    """
    return autograde_batch(
        course,
        name,
        students=students,
        submission_timeout=submission_timeout,
        jobs=jobs,
        progress=progress,
        progress_stream=progress_stream,
    ).results


def autograde_batch(
    course: Course,
    name: str,
    *,
    students: list[str] | None = None,
    submission_timeout: float | None = None,
    jobs: int | None = None,
    progress=None,
    progress_stream=None,
) -> BatchSummary:
    """:func:`autograde`, returning the :class:`BatchSummary` (results and totals)."""
    from . import sandbox as jail
    from .execute import kernel_env
    from .kernel import Zygote, notebook_imports

    t0 = time.monotonic()
    course.require_assignment(name)
    with course.gradebook() as gb:
        known = {a.name: [n.name for n in a.notebooks] for a in gb.assignments}
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
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise GraderError(f"--jobs must be at least 1, not {jobs}")
    limit = submission_timeout if submission_timeout is not None else course.submission_timeout
    cfg = course.config()
    cell_timeout = float(cfg.Execute.get("timeout", 30))
    sources = {
        nb_name: nbformat.read(str(course.source / name / f"{nb_name}.ipynb"), as_version=4)
        for nb_name in sorted(known[name])
    }
    base = tempfile.mkdtemp(prefix="awskit-grade-")
    os.chmod(base, 0o700)
    problem, how = jail.problem(), jail.mode()
    owner, spec = None, None
    if problem is None:
        scratch = os.path.join(base, "jail")
        os.mkdir(scratch, 0o700)
        if how == "root":
            owner = jail.sandbox_ids()
            spec = {"scratch": scratch, "uid": owner[0], "gid": owner[1]}
            who = f"user uid {owner[0]}"
        else:
            spec = {"scratch": scratch, "uid": os.getuid(), "gid": os.getgid(), "userns": True}
            who = "in a user namespace, no capabilities"
        isolation = (
            "jailed (Linux namespaces: own read-only root showing only the student's folder "
            f"writable, no network, own PIDs; {who})"
        )
    else:
        isolation = f"not jailed ({problem}): throwaway folder and clean environment only"
    home = os.path.join(base, "zygote")
    os.mkdir(home, 0o700)
    preload = [m for nb in sources.values() for m in notebook_imports(nb)]
    zygote = Zygote(env=kernel_env(home), home=home, jail=spec, preload=preload)
    bar = _Progress(len(found), progress_stream) if progress_stream is not None else None
    ctx = multiprocessing.get_context("fork")
    results: dict[str, SubmissionResult] = {}
    queue = list(enumerate(found.items()))
    running: dict = {}  # conn -> (job, proc, start)

    def finish(result: SubmissionResult) -> None:
        results[result.student] = result
        if progress is not None:
            progress(result)
        if bar is not None:
            bar.update(result)

    def not_graded(student, why, detail, start):
        _discard_partial(course, name, student)
        finish(
            SubmissionResult(
                student=student,
                score=None,
                max_score=None,
                status=f"not graded: {why}",
                seconds=time.monotonic() - start,
                detail=detail,
            )
        )

    with course.batch_writes():  # backup, then no fsync per commit (see there)
        try:
            while queue or running:
                while queue and len(running) < jobs:
                    index, (student, folder) = queue.pop(0)
                    start = time.monotonic()
                    try:
                        job = _prepare(
                            course, name, student, folder, cfg, sources, base, owner, index
                        )
                    except Exception as err:  # noqa: BLE001 (a broken notebook: report, go on)
                        not_graded(
                            student,
                            "could not read the submission",
                            f"{type(err).__name__}: {err}",
                            start,
                        )
                        continue
                    receive, send = ctx.Pipe(duplex=False)
                    proc = ctx.Process(
                        target=_execute_in_child,
                        args=(job, cell_timeout, zygote, send),
                        daemon=True,
                    )
                    proc.start()
                    send.close()
                    running[receive] = (job, proc, start)
                now = time.monotonic()
                wait = max(0.05, min(start + limit - now for _j, _p, start in running.values()))
                ready = multiprocessing.connection.wait(list(running), timeout=wait)
                for conn in list(running):
                    job, proc, start = running[conn]
                    report = None
                    if conn in ready:
                        try:
                            report = conn.recv()
                        except EOFError:  # the worker died without a word
                            report = {"success": False, "message": "", "died": True}
                    elif time.monotonic() - start < limit:
                        continue
                    del running[conn]
                    if report is not None and report.get("success"):
                        proc.join(10)
                    _kill_tree(proc.pid)
                    proc.join(5)
                    conn.close()
                    where = f"log: {Path(job.log).relative_to(course.root)}"
                    shutil.rmtree(job.workdir, ignore_errors=True)
                    if report is None:
                        not_graded(
                            job.student,
                            f"killed after the {limit:g}s submission limit",
                            where,
                            start,
                        )
                        continue
                    if not report.get("success"):
                        why = "grading process died" if report.get("died") else "grading error"
                        not_graded(
                            job.student, why, f"{report.get('message', '')} ({where})", start
                        )
                        continue
                    try:
                        _save(course, name, job, report, cfg)
                        with course.gradebook() as gb:
                            sub = gb.find_submission(name, job.student)
                            score, max_score = float(sub.score), float(sub.max_score)
                            manual = bool(sub.needs_manual_grade)
                    except Exception as err:  # noqa: BLE001
                        not_graded(
                            job.student,
                            "saving grades failed",
                            f"{type(err).__name__}: {err}",
                            start,
                        )
                        continue
                    stats = report["stats"]
                    finish(
                        SubmissionResult(
                            student=job.student,
                            score=score,
                            max_score=max_score,
                            status="graded",
                            seconds=time.monotonic() - start,
                            cell_timeouts=stats["cell_timeouts"],
                            kernel_deaths=stats["kernel_deaths"],
                            restarts=stats["restarts"],
                            needs_manual_grade=manual,
                            events=stats["events"] + [f"restored cell {r}" for r in job.restored],
                        )
                    )
        finally:
            for conn, (job, proc, _start) in running.items():
                _kill_tree(proc.pid)
            zygote.close()
            shutil.rmtree(base, ignore_errors=True)
    ordered = [results[s] for s in found if s in results]
    return BatchSummary(ordered, time.monotonic() - t0, jobs, isolation)
