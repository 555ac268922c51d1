"""An nbgrader course folder: making one, opening one, and its configuration.

The folder keeps nbgrader's standard layout (``source/``, ``release/``,
``submitted/<student>/<assignment>/``, ``autograded/``, ``feedback/``, ``gradebook.db``) and its
``nbgrader_config.py`` is the single place the settings live: ``nbgrader`` commands run from
the folder read it, and :meth:`Course.config` loads the same file for the in-process API.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_EXERCISES", "Course", "GraderError", "find_assignments", "init_course"]

#: The repository's exercises/ folder (each subfolder holding notebooks is an assignment).
DEFAULT_EXERCISES = Path(__file__).resolve().parent.parent / "exercises"

CONFIG_NAME = "nbgrader_config.py"
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")

_CONFIG_TEMPLATE = '''\
"""nbgrader configuration of this course, written by `awskit-grade init`.

`nbgrader <command>` run from this folder and `awskit-grade <command> --course <this folder>`
both read this file. Paths are computed from the file's own place, so the folder can move.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = here
c.CourseDirectory.course_id = {course_id!r}

# Keep the exchange inside the course: nbgrader's default (/usr/local/share/nbgrader/exchange)
# is shared machine-wide and may be created world-writable.
c.Exchange.root = os.path.join(here, "exchange")

# Seconds one cell may run when grading; a cell over the limit is interrupted and scores 0.
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True

# Wall-clock seconds for one whole submission in `awskit-grade autograde`; past it the grading
# process and its kernel are killed (a loop that ignores interrupts cannot stall the batch).
c.AwskitGrade.submission_timeout = {submission_timeout}

# Feedback never shows hidden tests: their source is removed and the tracebacks of the cells
# that held them are cut to the error line (needs the awskit package importable).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "grader.hidden.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
'''


class GraderError(Exception):
    """A mistake the instructor can fix; the CLI prints it as one line and exits non-zero."""


def find_assignments(folder: Path) -> list[str]:
    """Names of the subfolders of ``folder`` that hold at least one notebook, sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and any(nb for nb in p.glob("*.ipynb") if not nb.name.startswith("."))
    )


def _venv_bin_on_path() -> None:
    """A new gradebook shells out to ``alembic``: make the running interpreter's bin findable."""
    bindir = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "")
    if bindir not in path.split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + path


@dataclass(frozen=True)
class Course:
    """One course folder on disk; open it with :meth:`Course.open`."""

    root: Path

    @classmethod
    def open(cls, root: str | os.PathLike) -> Course:
        """The course at ``root``; raises GraderError when it is not one."""
        path = Path(root).expanduser().resolve()
        if not path.is_dir():
            raise GraderError(
                f"no course folder at {path}: create it with `awskit-grade init {root}`"
            )
        if not (path / CONFIG_NAME).is_file():
            raise GraderError(
                f"{path} is not a course folder (no {CONFIG_NAME}): "
                f"create one with `awskit-grade init {root}`"
            )
        return cls(path)

    # -- layout -----------------------------------------------------------
    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release_dir(self) -> Path:
        return self.root / "release"

    def submitted(self, assignment: str) -> dict[str, Path]:
        """Student id -> the folder of that student's submission of ``assignment``."""
        base = self.root / "submitted"
        if not base.is_dir():
            return {}
        return {
            d.name: d / assignment
            for d in sorted(base.iterdir())
            if d.is_dir() and not d.name.startswith(".") and (d / assignment).is_dir()
        }

    def assignments(self) -> list[str]:
        """Assignments with a source folder in this course."""
        return find_assignments(self.source)

    def require_assignment(self, name: str) -> None:
        """Raise GraderError (listing the real ones) unless ``name`` is an assignment here."""
        known = self.assignments()
        if name not in known:
            listing = ", ".join(known) or "none"
            raise GraderError(f"unknown assignment {name!r} in {self.root}; assignments: {listing}")

    # -- configuration ----------------------------------------------------
    def config(self):
        """The course's nbgrader_config.py as a traitlets Config (what NbGraderAPI needs)."""
        from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

        try:
            cfg = PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()
        except ConfigFileNotFound:
            raise GraderError(f"{self.root / CONFIG_NAME} is missing") from None
        except Exception as err:  # noqa: BLE001 (any error in a hand-edited config file)
            raise GraderError(f"cannot read {self.root / CONFIG_NAME}: {err}") from None
        # The folder may have been copied: the file's own place wins over anything stale.
        cfg.CourseDirectory.root = str(self.root)
        return cfg

    @property
    def cell_timeout(self) -> int:
        return int(self.config().Execute.get("timeout", 30))

    @property
    def submission_timeout(self) -> float:
        cfg = self.config()
        return float(cfg.AwskitGrade.get("submission_timeout", 10 * self.cell_timeout + 60))

    def api(self, **config_overrides):
        """An in-process ``NbGraderAPI`` configured from the course's config file."""
        _venv_bin_on_path()
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        cfg = self.config()
        for section, values in config_overrides.items():
            for key, value in values.items():
                cfg[section][key] = value
        # Quiet by default: the CLI prints its own summary; nbgrader's log is kept in results.
        cfg.NbGraderAPI.log_level = "ERROR"
        coursedir = CourseDirectory(config=cfg)
        return NbGraderAPI(coursedir=coursedir, config=cfg)

    def gradebook(self):
        """The course gradebook (use it as a context manager so it closes)."""
        _venv_bin_on_path()
        from nbgrader.api import Gradebook

        return Gradebook(f"sqlite:///{self.root / 'gradebook.db'}")

    def batch_writes(self):
        """A context in which many grades are written fast (see :func:`_batch_writes`)."""
        return _batch_writes(self.root / "gradebook.db")


def init_course(
    root: str | os.PathLike,
    exercises: str | os.PathLike | None = None,
    *,
    force: bool = False,
    timeout: int = 30,
    submission_timeout: float | None = None,
    course_id: str = "awskit",
) -> Course:
    """Make a course folder at ``root`` from the assignments in ``exercises``.

    Writes nbgrader_config.py, copies every assignment folder of ``exercises`` into
    ``source/``, and enters the assignments in a new gradebook. An existing course is left
    alone unless ``force``; even then only the config and the copied source folders are
    replaced: submissions, grades and feedback are never deleted.
    """
    root = Path(root).expanduser().resolve()
    exercises = (
        Path(exercises if exercises is not None else DEFAULT_EXERCISES).expanduser().resolve()
    )
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise GraderError(f"--timeout must be a whole number of seconds > 0, not {timeout!r}")
    if submission_timeout is None:
        submission_timeout = 10 * timeout + 60
    if submission_timeout <= 0:
        raise GraderError(f"--submission-timeout must be > 0 seconds, not {submission_timeout!r}")
    if not exercises.is_dir():
        raise GraderError(f"no exercises folder at {exercises}: pass --exercises PATH")
    names = find_assignments(exercises)
    if not names:
        raise GraderError(
            f"{exercises} holds no assignments (subfolders with .ipynb files): pass --exercises PATH"
        )
    if root.exists() and not root.is_dir():
        raise GraderError(f"{root} exists and is not a folder")
    existing = [p for p in (CONFIG_NAME, "source", "gradebook.db") if (root / p).exists()]
    if existing and not force:
        raise GraderError(
            f"{root} already holds a course ({', '.join(existing)}): "
            "use --force to rewrite its config and source (submissions and grades are kept)"
        )

    root.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_NAME).write_text(
        _CONFIG_TEMPLATE.format(
            course_id=course_id, timeout=timeout, submission_timeout=float(submission_timeout)
        ),
        encoding="utf-8",
    )
    for name in names:
        target = root / "source" / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(exercises / name, target, ignore=_SKIP)
    for folder in ("release", "submitted", "autograded", "feedback", "exchange"):
        (root / folder).mkdir(exist_ok=True)

    course = Course(root)
    with course.gradebook() as gb:
        for name in names:
            gb.update_or_create_assignment(name)
    return course


@contextlib.contextmanager
def _batch_writes(db: Path):
    """While a batch writes grades: a backup first, then SQLite commits without fsync.

    nbgrader commits after every graded cell, and each commit waits for the disk twice
    (journal and database), and it compiles every query afresh (a new engine per step):
    together the slowest part of grading a class.
    During the batch ``PRAGMA synchronous=OFF`` hands writes to the operating system without
    waiting: still safe if the grader itself crashes or is killed, not if the machine loses
    power mid-batch. For that case ``gradebook.db.bak`` holds the gradebook as it was before
    the batch (SQLite's online backup, so it is consistent), and a rerun of autograde
    regrades everything.
    """
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    with contextlib.closing(sqlite3.connect(db)) as src, contextlib.closing(
        sqlite3.connect(db.with_name(db.name + ".bak"))
    ) as dst:
        src.backup(dst)
    target = os.path.realpath(db)

    def no_fsync(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        files = [row[2] for row in dbapi_connection.execute("PRAGMA database_list")]
        if target in {os.path.realpath(f) for f in files if f}:
            dbapi_connection.execute("PRAGMA synchronous=OFF")

    # nbgrader opens a new Gradebook, and so a new SQLAlchemy engine, for every step (and
    # every preprocessor); sharing one engine per URL keeps SQLAlchemy's compiled-statement
    # cache, which otherwise recompiles every query for every submission.
    import nbgrader.api as api

    real, engines = api.create_engine, {}

    def shared_engine(url, **kw):
        key = (str(url), tuple(sorted(kw.items())))
        if key not in engines:
            engines[key] = real(url, **kw)
        return engines[key]

    event.listen(Engine, "connect", no_fsync)
    api.create_engine = shared_engine
    try:
        yield
    finally:
        api.create_engine = real
        for engine in engines.values():
            engine.dispose()
        event.remove(Engine, "connect", no_fsync)
        fd = os.open(db, os.O_RDONLY)  # one sync at the end
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
