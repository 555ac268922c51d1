"""Hostile and broken submissions: each is graded, the tasks it did not break still score, and
none stalls or sinks the batch (``ps-hostile``: three tasks of 3 points; task 3 is independent
of tasks 1-2 and graded through awskit.testing). Cell time-out: 2 s.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from awskit.variants import variant as awskit_variant
from grader import Course, autograde_batch
from grader.cli import main
from grader.sandbox import problem as sandbox_problem

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_fixture

NAME = make_fixture.HOSTILE
NOTEBOOK = f"{NAME}.ipynb"
SOL = make_fixture.SOLUTIONS
ALL = {k: SOL[k] for k in ("task1-answer", "task2-answer", "task3-answer")}

IGNORE_SIGINT = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
PATCHER = (
    "import builtins\n"
    "import awskit.testing\n"
    "awskit.testing.assert_reachable = lambda *a, **k: None\n"
    "awskit.testing.assert_blocked = lambda *a, **k: None\n"
    "assert_reachable = assert_blocked = lambda *a, **k: None\n"
    "class Fake:\n"
    "    public_ip = '1.2.3.4'\n"
    "_isinstance = builtins.isinstance\n"
    "builtins.isinstance = lambda o, c: True if type(o) is Fake else _isinstance(o, c)\n"
    "cloud3 = awskit.Cloud(seed=3)\n"
    "eni = Fake()"
)
BLANKER = "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"
READER = (
    "import errno, os, socket, subprocess\n"
    "print('CWD', os.getcwd())\n"
    "print('FILES', sorted(os.listdir('.')))\n"
    "print('SIBLINGS', sorted(os.listdir('..')))\n"
    "for _p in [{source!r}, {gradebook!r}, {exercises!r}]:\n"
    "    try:\n"
    "        os.listdir(_p) if os.path.isdir(_p) else open(_p, 'rb').read(10)\n"
    "        print('READ', _p)\n"
    "    except OSError as e:\n"
    "        print('DENIED', type(e).__name__, _p)\n"
    "for _p in [{course!r} + '/pwned', '/tmp/pwned-by-reader']:\n"
    "    try:\n"
    "        open(_p, 'w').write('x')\n"
    "        print('WROTE', _p)\n"
    "    except OSError as e:\n"
    "        print('NOWRITE', type(e).__name__, _p)\n"
    "try:\n"
    "    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
    "except OSError as e:\n"
    "    print('NET', errno.errorcode.get(e.errno, e))\n"
    "subprocess.Popen(['sleep', '987654'], start_new_session=True)\n"
    "elapsed = 5400\n"
    "cloud = awskit.Cloud(seed=0)\n"
    "cloud.clock.advance(minutes=90)"
)


def _with(**answers) -> dict:
    return {**ALL, **answers}


SUBMISSIONS = {
    "solver": {"answers": ALL},
    "sigint": {"answers": _with(**{"task2-answer": IGNORE_SIGINT})},
    "exiter": {"answers": _with(**{"task2-answer": "import os\nos._exit(1)"})},
    "segv": {"answers": _with(**{"task2-answer": "import ctypes\nctypes.string_at(0)"})},
    "deleter": {"answers": ALL, "delete": ["task1-hidden", "task2-visible", "task3-hidden"]},
    "tamperer": {
        "answers": _with(**{"task1-visible": "pass"}),
        "meta": {
            "task2-hidden": {"grade_id": "bonus", "points": 100},
            "task3-visible": {"grade": False, "points": 0},
        },
        "markdown": ["task3-hidden"],
    },
    "patcher": {"answers": {"task3-answer": PATCHER}},
    "blanker": {"answers": {"task1-answer": BLANKER}},
    "reader": {"answers": {"task1-answer": READER}},
    # Task 3 with every port open: the tagged hidden check fails (for the class report).
    "opener": {
        "answers": _with(
            **{
                "task3-answer": SOL["task3-answer"].replace(
                    "from_port=443, to_port=443", "from_port=0, to_port=65535"
                )
            }
        )
    },
}

VARIANT = "ps-variant"


def _variant_source():
    """A one-task assignment whose answer is the student's own variant CIDR."""
    new, meta = nbformat.v4, make_fixture._meta
    cells = [
        new.new_code_cell("import awskit", metadata=meta("setup", locked=True)),
        new.new_code_cell(
            "### BEGIN SOLUTION\ncidr = awskit.variant()['vpc_cidr']\n### END SOLUTION",
            metadata=meta("task1-answer", solution=True),
        ),
        new.new_code_cell(
            "assert type(cidr) is str\n### BEGIN HIDDEN TESTS\n"
            "assert cidr == awskit.variant()['vpc_cidr'], 'use your own variant'\n"
            "### END HIDDEN TESTS",
            metadata=meta("task1-tests", grade=True, locked=True, points=3),
        ),
    ]
    nb = make_fixture._notebook(cells)
    return nb


def submit(course: Path, student: str, spec: dict) -> None:
    nb = nbformat.read(str(course / "release" / NAME / NOTEBOOK), as_version=4)
    answers = dict(spec.get("answers", {}))
    if "task1-answer" in answers:
        answers["task1-answer"] = (
            answers["task1-answer"].format(
                source=str(course / "source" / NAME / NOTEBOOK),
                gradebook=str(course / "gradebook.db"),
                exercises=str(course.parent / "exercises"),
                course=str(course),
            )
            if student == "reader"
            else answers["task1-answer"]
        )
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if gid in spec.get("delete", []):
            continue
        if gid in answers:
            cell.source = answers[gid]
        if gid in spec.get("meta", {}):
            meta.update(spec["meta"][gid])
        if gid in spec.get("markdown", []):
            cell = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
        cells.append(cell)
    nb.cells = cells
    folder = course / "submitted" / student / NAME
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / NOTEBOOK))


@dataclass
class Hostile:
    root: Path
    results: dict
    summary: object


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    base = tmp_path_factory.mktemp("hostile")
    exercises = base / "exercises"
    shutil.copytree(make_fixture.HOSTILE_TARGET.parent, exercises / NAME)
    (exercises / VARIANT).mkdir()
    nbformat.write(_variant_source(), str(exercises / VARIANT / f"{VARIANT}.ipynb"))
    root = base / "course"
    assert main(["init", str(root), "--exercises", str(exercises), "--timeout", "2"]) == 0
    assert main(["release", NAME, "--course", str(root)]) == 0
    assert main(["release", VARIANT, "--course", str(root)]) == 0
    for student, spec in SUBMISSIONS.items():
        submit(root, student, spec)
    # ann answers with her own variant; ben copies ann's answer.
    ann = awskit_variant("ann")["vpc_cidr"]
    for student in ("ann", "ben"):
        nb = nbformat.read(str(root / "release" / VARIANT / f"{VARIANT}.ipynb"), as_version=4)
        nb.cells[1].source = f"cidr = {ann!r}"
        (root / "submitted" / student / VARIANT).mkdir(parents=True)
        nbformat.write(nb, str(root / "submitted" / student / VARIANT / f"{VARIANT}.ipynb"))
    summary = autograde_batch(Course.open(root), NAME, jobs=2)
    variants = autograde_batch(Course.open(root), VARIANT, jobs=2)
    results = {r.student: r for r in summary.results}
    results.update({("variant", r.student): r for r in variants.results})
    return Hostile(root, results, summary)


def grades(h: Hostile, student: str) -> dict[str, float]:
    with Course.open(h.root).gradebook() as gb:
        sub = gb.find_submission_notebook(NAME, NAME, student)
        return {g.name: float(g.score) for g in sub.grades}


def outputs(h: Hostile, student: str, grade_id: str) -> str:
    nb = nbformat.read(str(h.root / "autograded" / student / NAME / NOTEBOOK), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return nbformat.writes(nbformat.v4.new_notebook(cells=[cell]))


TASK13 = {
    "task1-visible": 1,
    "task1-hidden": 2,
    "task2-visible": 0,
    "task2-hidden": 0,
    "task3-visible": 1,
    "task3-hidden": 2,
}


def test_solution_scores_full_marks(hostile):
    r = hostile.results["solver"]
    assert (r.status, r.score, r.max_score) == ("graded", 9.0, 9.0), str(r)


def test_loop_ignoring_sigint_times_out_and_tasks_1_and_3_still_score(hostile):
    r = hostile.results["sigint"]
    assert (r.status, r.score, r.cell_timeouts, r.restarts) == ("graded", 6.0, 1, 1), str(r)
    assert grades(hostile, "sigint") == TASK13
    assert "CellTimeoutError" in outputs(hostile, "sigint", "task2-answer")


def test_kernel_killed_by_os_exit_is_restarted_and_later_tasks_score(hostile):
    r = hostile.results["exiter"]
    assert (r.status, r.score, r.kernel_deaths) == ("graded", 6.0, 1), str(r)
    assert grades(hostile, "exiter") == TASK13
    assert "DeadKernelError" in outputs(hostile, "exiter", "task2-answer")


def test_segfault_is_restarted_and_later_tasks_score(hostile):
    r = hostile.results["segv"]
    assert (r.status, r.score, r.kernel_deaths) == ("graded", 6.0, 1), str(r)
    assert grades(hostile, "segv") == TASK13


def test_deleted_test_cells_are_restored_and_graded(hostile):
    r = hostile.results["deleter"]
    assert (r.score, r.max_score, r.needs_manual_grade) == (9.0, 9.0, False), str(r)
    assert "hidden-1a" in outputs(hostile, "deleter", "task1-hidden")


def test_retagged_renamed_and_edited_test_cells_are_restored(hostile):
    r = hostile.results["tamperer"]
    assert (r.score, r.max_score) == (9.0, 9.0), str(r)
    assert grades(hostile, "tamperer")["task3-visible"] == 1


def test_monkeypatched_testing_helpers_and_builtins_do_not_pass_tests(hostile):
    g = grades(hostile, "patcher")
    assert (g["task3-visible"], g["task3-hidden"]) == (0, 0)
    # The real assert_reachable ran (it rejects the fake interface) and the real isinstance too.
    assert "is not something the analysis understands" in outputs(
        hostile, "patcher", "task3-visible"
    )
    assert "eni should be a NetworkInterface" in outputs(hostile, "patcher", "task3-hidden")


def test_input_transformer_blanking_test_cells_scores_nothing(hostile):
    assert hostile.results["blanker"].score == 0.0


def test_kernel_runs_in_a_throwaway_folder_with_only_the_submission(hostile):
    text = outputs(hostile, "reader", "task1-answer")
    assert "CWD /tmp/awskit-grade-" in text or "CWD " + str(Path("/tmp").resolve()) in text
    assert str(hostile.root) not in text.split("CWD ")[1].split("\\n")[0]
    assert "FILES ['ps-hostile.ipynb']" in text  # no connection file, sockets or profile


def _jailed(h: Hostile, student: str = "reader") -> str:
    problem = sandbox_problem()
    if problem is not None:
        pytest.skip(f"kernels cannot be jailed here: {problem}")
    nb = nbformat.read(str(h.root / "autograded" / student / NAME / NOTEBOOK), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "task1-answer")
    assert [o.output_type for o in cell.outputs] == ["stream"], cell.outputs
    return cell.outputs[0].text


def test_student_code_cannot_read_source_notebooks_gradebook_or_exercises(hostile):
    text = _jailed(hostile)
    assert "READ" not in text
    assert text.count("DENIED") == 3


def test_student_code_cannot_write_outside_its_folder(hostile):
    text = _jailed(hostile)
    assert "WROTE" not in text and text.count("NOWRITE") == 2
    assert not (hostile.root / "pwned").exists()
    assert not Path("/tmp/pwned-by-reader").exists()


def test_student_code_has_no_network(hostile):
    assert "NET ENETUNREACH" in _jailed(hostile)


def test_student_code_sees_no_other_submission(hostile):
    text = _jailed(hostile)
    siblings = text.split("SIBLINGS ")[1].split("\n")[0]
    assert siblings.count("'") == 2, siblings  # only its own folder


def test_no_process_a_student_started_outlives_grading(hostile):
    _jailed(hostile)
    import psutil

    left = [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", "987654"]]
    assert left == []


def test_summary_says_how_kernels_were_isolated(hostile):
    text = str(hostile.summary)
    assert "kernels: jailed" in text or "kernels: not jailed" in text


def test_batch_summary_counts_every_outcome(hostile):
    s = hostile.summary
    assert (len(s.results), s.graded, s.failed, s.timed_out) == (10, 10, 0, 1)
    assert sum(r.kernel_deaths for r in s.results) == 2
    assert "10 graded, 0 failed" in str(s)


# -- variants ------------------------------------------------------------------
def test_grading_derives_each_students_own_variant(hostile):
    assert awskit_variant("ann") != awskit_variant("ben")
    ann, ben = hostile.results[("variant", "ann")], hostile.results[("variant", "ben")]
    assert (ann.score, ben.score) == (3.0, 0.0), (str(ann), str(ben))


# -- class report and Canvas export -----------------------------------------------
EXPECTED_SCORES = {
    "solver": 9.0,
    "sigint": 6.0,
    "exiter": 6.0,
    "segv": 6.0,
    "deleter": 9.0,
    "tamperer": 9.0,
    "patcher": 0.0,
    "blanker": 0.0,
    "reader": 3.0,
    "opener": 7.0,
}


def test_class_scores_are_as_computed_by_hand(hostile):
    assert {s: hostile.results[s].score for s in EXPECTED_SCORES} == EXPECTED_SCORES


def test_report_numbers_match_a_hand_computation(hostile, tmp_path):
    assert main(["report", NAME, "--course", str(hostile.root), "--out", str(tmp_path)]) == 0
    from grader.report import collect

    r = collect(Course.open(hostile.root), NAME)
    assert r.scores == EXPECTED_SCORES and r.max_score == 9
    # task3-hidden (2 points) is passed by solver, sigint, exiter, segv, deleter, tamperer.
    assert r.difficulty["task3-hidden"] == pytest.approx(6 * 2 / 10 / 2)
    # task1-visible (1 point): everyone but patcher and blanker.
    assert r.difficulty["task1-visible"] == pytest.approx(8 / 10)
    assert r.timeouts == {"sigint": 1}
    assert r.crashes == {"exiter": 1, "segv": 1}
    assert r.tags == {"sg-open-to-world": 1}
    for name in ("report.html", "scores.png", "difficulty.png"):
        assert (tmp_path / name).stat().st_size > 500
    page = (tmp_path / "report.html").read_text()
    assert "sg-open-to-world" in page and "<td>sigint</td><td>1</td>" in page


def test_canvas_export_has_canvas_columns_and_points(hostile, tmp_path):
    import csv

    out = tmp_path / "canvas.csv"
    argv = [
        "export",
        "--course",
        str(hostile.root),
        "--to",
        str(out),
        "--format",
        "canvas",
        "--canvas-id",
        f"{NAME}=4711",
    ]
    assert main(argv) == 0
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["Student", "ID", "SIS User ID", "Section", f"{NAME} (4711)", VARIANT]
    assert rows[1][0] == "Points Possible" and rows[1][4:] == ["9", "3"]
    by_id = {r[2]: r for r in rows[2:]}
    assert by_id["opener"][4] == "7" and by_id["ann"][5] == "3"
    assert by_id["ann"][4] == ""  # ann did not submit ps-hostile: empty, not 0
