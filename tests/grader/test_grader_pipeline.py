"""The whole grading pipeline on a real class folder: init, release, autograde, feedback, export.

One course is built and graded once for the module (``graded``); each test then checks one
behaviour of the result. Students:

- alice: the solution (full marks)            - bob: the released notebook, untouched (0)
- carol: a wrong task 1 with its visible test edited to ``pass``, task 2 right with its test
  cell's points raised to 100 and its hidden-test cell emptied
- dave: task 1 right, an infinite loop in task 2 (the cell times out)
- eve: answers whose ``__eq__`` says True to everything (type-strict checks give 0)
- frank: answers that pass the visible tests but fail a hidden one in each task (2 of 6), so
  his hidden tests fail on a hidden line: the traceback nbgrader keeps would quote it
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from grader import Course, GraderError, autograde
from grader.cli import main
from grader.hidden import hidden_lines, visible_text

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_fixture

NAME = make_fixture.ASSIGNMENT
NOTEBOOK = make_fixture.NOTEBOOK
SOLUTIONS = make_fixture.SOLUTIONS
BIN = Path(sys.executable).parent
CELL_TIMEOUT = 5

SNEAKY = "class Sneaky:\n    def __eq__(self, other):\n        return True\n    __hash__ = None\n"

SUBMISSIONS = {
    "alice": {"answers": SOLUTIONS},
    "bob": {"answers": {}},
    "carol": {
        "answers": {
            "task1-answer": 'cloud = awskit.Cloud(seed=0)\nelapsed = "5400"',
            "task2-answer": SOLUTIONS["task2-answer"],
            "task1-visible": "pass",
            "task2-hidden": "pass",
        },
        "points": {"task2-visible": 100},
    },
    "dave": {
        "answers": {
            "task1-answer": SOLUTIONS["task1-answer"],
            "task2-answer": "while True:\n    pass",
        }
    },
    "eve": {
        "answers": {
            "task1-answer": SNEAKY + "elapsed = Sneaky()\ncloud = awskit.Cloud(seed=0)",
            "task2-answer": SNEAKY + "def count_ticks(cloud, interval, minutes):\n"
            "    return Sneaky()",
        }
    },
    "frank": {
        "answers": {
            # Right number, but the clock of `cloud` never moved.
            "task1-answer": "cloud = awskit.Cloud(seed=0)\nelapsed = 90 * 60",
            # Right counts by arithmetic, but the clock is left where it was.
            "task2-answer": "def count_ticks(cloud, interval, minutes):\n"
            "    return int(minutes * 60 // interval)",
        }
    },
}


def _hidden_fixture_lines() -> list[str]:
    return [line for cell in make_fixture.build().cells for line in hidden_lines(cell.source)]


def submit(
    course: Path, student: str, answers: dict, points: dict | None = None, stamp: str | None = None
) -> Path:
    """Put a student's notebook (the released one, with cells replaced) into submitted/."""
    nb = nbformat.read(str(course / "release" / NAME / NOTEBOOK), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
        if points and grade_id in points:
            cell.metadata.nbgrader["points"] = points[grade_id]
    folder = course / "submitted" / student / NAME
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / NOTEBOOK))
    if stamp:
        (folder / "timestamp.txt").write_text(stamp)
    return folder


@dataclass
class Graded:
    root: Path
    results: dict  # student -> SubmissionResult
    autograde_out: str
    csv_rows: list[dict]
    timings: dict


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    t0 = time.monotonic()
    timings = {}
    base = tmp_path_factory.mktemp("class")
    exercises = base / "exercises"
    shutil.copytree(make_fixture.TARGET.parent, exercises / NAME)
    # A second assignment whose hidden-test markers are misspelt: nbgrader would release the
    # hidden tests, so `release` must refuse it.
    typo = make_fixture.build()
    for cell in typo.cells:
        cell.source = cell.source.replace(
            "### BEGIN HIDDEN TESTS", "### Begin hidden tests"
        ).replace("### END HIDDEN TESTS", "### End hidden tests")
    (exercises / "ps-typo").mkdir()
    nbformat.write(typo, str(exercises / "ps-typo" / "ps-typo.ipynb"))
    root = base / "course"

    def step(label, argv):
        t = time.monotonic()
        code = main(argv)
        timings[label] = time.monotonic() - t
        return code

    assert (
        step(
            "init",
            ["init", str(root), "--exercises", str(exercises), "--timeout", str(CELL_TIMEOUT)],
        )
        == 0
    )
    assert step("release", ["release", NAME, "--course", str(root)]) == 0
    for student, spec in SUBMISSIONS.items():
        submit(
            root,
            student,
            spec["answers"],
            spec.get("points"),
            stamp="2026-01-05 10:00:00.000000 UTC" if student == "alice" else None,
        )

    from grader import grading

    results = {}
    t = time.monotonic()
    for r in grading.autograde(Course.open(root), NAME, progress=None, jobs=2):
        results[r.student] = r
    timings["autograde"] = time.monotonic() - t
    assert step("feedback", ["feedback", NAME, "--course", str(root)]) == 0
    assert step("export", ["export", "--course", str(root), "--to", str(base / "grades.csv")]) == 0
    with open(base / "grades.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    timings["module fixture"] = time.monotonic() - t0
    timings.update({f"  {s}": r.seconds for s, r in results.items()})
    print("\ngrader timings (s): " + ", ".join(f"{k.strip()}={v:.1f}" for k, v in timings.items()))
    return Graded(root, results, "", rows, timings)


# -- scores -----------------------------------------------------------------
def test_solution_scores_full_marks(graded):
    r = graded.results["alice"]
    assert (r.status, r.score, r.max_score) == ("graded", 6.0, 6.0)


def test_unmodified_release_scores_zero(graded):
    r = graded.results["bob"]
    assert (r.status, r.score, r.max_score) == ("graded", 0.0, 6.0)


def test_objects_equal_to_everything_score_zero(graded):
    r = graded.results["eve"]
    assert (r.status, r.score) == ("graded", 0.0)


def test_edited_visible_test_is_restored_and_graded(graded):
    nb = nbformat.read(str(graded.root / "autograded" / "carol" / NAME / NOTEBOOK), as_version=4)
    cell = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "task1-visible"
    )
    assert "assert type(elapsed) is int" in cell.source
    with Course.open(graded.root).gradebook() as gb:
        grade = gb.find_grade("task1-visible", NAME, NAME, "carol")
        assert grade.score == 0


def test_emptied_hidden_test_cell_is_restored_and_graded(graded):
    with Course.open(graded.root).gradebook() as gb:
        assert gb.find_grade("task2-hidden", NAME, NAME, "carol").score == 2


def test_changed_point_values_are_restored(graded):
    r = graded.results["carol"]
    assert (r.score, r.max_score) == (3.0, 6.0)
    with Course.open(graded.root).gradebook() as gb:
        assert gb.find_grade("task2-visible", NAME, NAME, "carol").max_score == 1


def test_partial_credit_per_task(graded):
    with Course.open(graded.root).gradebook() as gb:
        scores = {
            g: gb.find_grade(g, NAME, NAME, "dave").score
            for g in ("task1-visible", "task1-hidden", "task2-visible", "task2-hidden")
        }
    assert scores == {"task1-visible": 1, "task1-hidden": 2, "task2-visible": 0, "task2-hidden": 0}


def test_parallel_grading_gives_the_serial_scores(graded, tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(graded.root, copy)
    serial = {r.student: r.score for r in autograde(Course.open(copy), NAME, jobs=1)}
    assert serial == {s: r.score for s, r in graded.results.items()}

    def cells(root):
        with Course.open(root).gradebook() as gb:
            return {
                (s, g.name): g.score
                for s in SUBMISSIONS
                for g in gb.find_submission_notebook(NAME, NAME, s).grades
            }

    assert cells(copy) == cells(graded.root)


# -- timeouts ---------------------------------------------------------------
def test_infinite_loop_cell_times_out_and_is_graded(graded):
    r = graded.results["dave"]
    assert (r.status, r.score, r.cell_timeouts) == ("graded", 3.0, 1)


def test_students_after_a_timed_out_submission_are_graded(graded):
    order = list(graded.results)
    assert order.index("dave") < order.index("eve")
    assert graded.results["eve"].status == "graded"


def _processes_working_in(folder: Path, psutil) -> list[int]:
    """Processes whose working directory is under ``folder`` (a kernel runs in the notebook's)."""
    pids = []
    for proc in psutil.process_iter(["cwd"]):
        cwd = proc.info.get("cwd")
        if cwd and cwd.startswith(str(folder)):
            pids.append(proc.pid)
    return pids


def test_submission_over_the_whole_submission_limit_is_killed_and_batch_goes_on(graded):
    # The per-submission limit is the safety net above the per-cell handling: at 3 s it
    # stops zed's 5 s loop before the cell time-out does; bob, next in the batch, is graded.
    psutil = pytest.importorskip("psutil")
    course = Course.open(graded.root)
    submit(graded.root, "zed", {"task1-answer": "while True:\n    pass"})
    try:
        results = autograde(course, NAME, students=["zed", "bob"], submission_timeout=3, jobs=2)
    finally:
        shutil.rmtree(graded.root / "submitted" / "zed")
    zed, bob = results
    assert zed.status == "not graded: killed after the 3s submission limit"
    assert zed.score is None
    assert (bob.status, bob.score) == ("graded", 0.0)
    assert not (graded.root / "autograded" / "zed" / NAME).exists()
    assert _processes_working_in(graded.root / "autograded" / "zed", psutil) == []


# -- hidden tests -----------------------------------------------------------
def test_release_holds_no_hidden_test_text(graded):
    lines = _hidden_fixture_lines()
    files = [p for p in (graded.root / "release").rglob("*") if p.is_file()]
    assert files
    for path in files:
        raw = path.read_text()
        texts = [raw, "\n".join(c.source for c in nbformat.reads(raw, 4).cells)]
        assert "BEGIN HIDDEN TESTS" not in raw.upper() and "END HIDDEN TESTS" not in raw.upper()
        for line in lines:
            assert not any(line in t for t in texts), (path, line)


def test_release_strips_solutions(graded):
    nb = nbformat.read(str(graded.root / "release" / NAME / NOTEBOOK), as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "raise NotImplementedError" in text
    assert "cloud.clock.advance(minutes=90)" not in text


def test_release_refuses_misspelt_hidden_markers(graded, capsys):
    assert main(["release", "ps-typo", "--course", str(graded.root)]) == 2
    assert "HIDDEN TESTS LEAKED" in capsys.readouterr().err
    assert not (graded.root / "release" / "ps-typo").exists()


def test_feedback_pages_exist_for_every_graded_student(graded):
    pages = sorted(
        p.parent.parent.name for p in (graded.root / "feedback").glob(f"*/{NAME}/*.html")
    )
    assert pages == sorted(SUBMISSIONS)


@pytest.mark.parametrize("student", sorted(SUBMISSIONS))
def test_feedback_shows_no_hidden_test_source(graded, student):
    page = (graded.root / "feedback" / student / NAME / NOTEBOOK).with_suffix(".html")
    raw = page.read_text()
    text = visible_text(raw)
    assert "assert type(elapsed) is int" in text  # visible tests do show: the check can fail
    for line in _hidden_fixture_lines():
        assert line not in raw and line not in text, line
    assert "BEGIN HIDDEN TESTS" not in raw.upper() and "END HIDDEN TESTS" not in raw.upper()


def test_feedback_keeps_the_error_line_of_a_failed_hidden_test(graded):
    text = visible_text((graded.root / "feedback" / "frank" / NAME / "ps-fixture.html").read_text())
    assert "AssertionError  (this cell holds hidden tests: the traceback is not shown)" in text


def test_feedback_that_would_leak_is_deleted_and_refused(graded, tmp_path, monkeypatch):
    # With nbgrader's plain ClearHiddenTests the traceback of frank's failing hidden assert
    # quotes the hidden line; the check after generation must catch it.
    from nbgrader.preprocessors import ClearHiddenTests

    import grader.hidden
    from grader import feedback

    copy = tmp_path / "course"
    shutil.copytree(graded.root, copy)
    monkeypatch.setattr(grader.hidden, "HideHiddenTests", ClearHiddenTests)
    with pytest.raises(GraderError):
        feedback(Course.open(copy), NAME)
    assert not (copy / "feedback" / "frank" / NAME / "ps-fixture.html").exists()
    assert (copy / "feedback" / "alice" / NAME / "ps-fixture.html").exists()


def test_autograded_notebooks_still_hold_hidden_tests(graded):
    # The instructor's copy is complete: only what students see is scrubbed.
    raw = (graded.root / "autograded" / "bob" / NAME / NOTEBOOK).read_text()
    assert "hidden-2a" in raw


# -- export -----------------------------------------------------------------
def test_export_has_one_row_per_student_with_scores(graded):
    rows = {r["student_id"]: r for r in graded.csv_rows if r["assignment"] == NAME}
    scores = {s: (float(r["score"]), float(r["max_score"]), r["status"]) for s, r in rows.items()}
    assert scores == {
        "alice": (6.0, 6.0, "graded"),
        "bob": (0.0, 6.0, "graded"),
        "carol": (3.0, 6.0, "graded"),
        "dave": (3.0, 6.0, "graded"),
        "eve": (0.0, 6.0, "graded"),
        "frank": (2.0, 6.0, "graded"),
    }


def test_export_columns_and_timestamp(graded):
    assert list(graded.csv_rows[0])[:4] == ["assignment", "student_id", "notebook", "score"]
    assert {"max_score", "timestamp"} <= set(graded.csv_rows[0])
    alice = next(
        r for r in graded.csv_rows if r["student_id"] == "alice" and r["assignment"] == NAME
    )
    assert alice["timestamp"].startswith("2026-01-05T10:00:00")


def test_export_per_notebook(graded, tmp_path):
    out = tmp_path / "nb.csv"
    assert main(["export", "--course", str(graded.root), "--to", str(out), "--per-notebook"]) == 0
    rows = [r for r in csv.DictReader(out.open()) if r["assignment"] == NAME]
    assert {(r["student_id"], r["notebook"], float(r["score"])) for r in rows} >= {
        ("alice", "ps-fixture", 6.0),
        ("dave", "ps-fixture", 3.0),
    }


# -- CLI --------------------------------------------------------------------
def test_autograde_before_release_says_release_first(graded, capsys):
    assert main(["autograde", "ps-typo", "--course", str(graded.root)]) == 2
    assert "awskit-grade release ps-typo" in capsys.readouterr().err


def test_unknown_assignment_prints_one_line_without_traceback(graded):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        [str(BIN / "awskit-grade"), "autograde", "ps-nope", "--course", str(graded.root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "ps-fixture" in proc.stderr  # it lists the assignments that do exist


def test_console_script_help_lists_the_commands():
    proc = subprocess.run(
        [str(BIN / "awskit-grade"), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0
    for command in ("init", "release", "autograde", "feedback", "export"):
        assert command in proc.stdout


def test_init_refuses_to_overwrite_the_graded_course(graded, capsys):
    assert (
        main(["init", str(graded.root), "--exercises", str(make_fixture.TARGET.parent.parent)]) == 2
    )
    assert "--force" in capsys.readouterr().err


def test_init_force_keeps_submissions_and_grades(graded, tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(graded.root, copy)
    exercises = make_fixture.TARGET.parent.parent
    assert (
        main(["init", str(copy), "--exercises", str(exercises), "--timeout", "7", "--force"]) == 0
    )
    assert Course.open(copy).cell_timeout == 7
    assert (copy / "submitted" / "alice" / NAME / NOTEBOOK).exists()
    with Course.open(copy).gradebook() as gb:
        assert gb.find_submission(NAME, "alice").score == 6
