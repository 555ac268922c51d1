"""Every assignment in exercises/ grades end to end: the solution earns full marks, the
untouched release earns nothing, and a half-done submission earns exactly its tasks' points."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from grader import Course, grading
from grader.cli import main
from grader.course import find_assignments

pytestmark = pytest.mark.slow

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
ASSIGNMENTS = find_assignments(EXERCISES)
# Markers may be indented (inside a function whose signature the student is given), as nbgrader allows.
SOLUTION = re.compile(r"[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION\n?", re.DOTALL)


def _solutions(name: str) -> dict[str, dict[str, str]]:
    """notebook -> grade_id -> the solution code, as the instructor wrote it."""
    out = {}
    for path in sorted((EXERCISES / name).glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        out[path.name] = {
            c.metadata["nbgrader"]["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source)
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
    return out


def _submit(course: Path, name: str, student: str, keep) -> None:
    """The released notebooks, with the solution pasted into the cells ``keep(grade_id)`` picks."""
    solutions = _solutions(name)
    for notebook, answers in solutions.items():
        nb = nbformat.read(str(course / "release" / name / notebook), as_version=4)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in answers and keep(gid):
                cell.source = answers[gid]
        folder = course / "submitted" / student / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(folder / notebook))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course") / "course"
    assert main(["init", str(root), "--exercises", str(EXERCISES), "--timeout", "60"]) == 0
    results = {}
    for name in ASSIGNMENTS:
        assert main(["release", name, "--course", str(root)]) == 0
        _submit(root, name, "solver", lambda gid: True)
        _submit(root, name, "blank", lambda gid: False)
        _submit(root, name, "halfway", lambda gid: gid.startswith(("task1-", "task2-")))
        for r in grading.autograde(Course.open(root), name, progress=None):
            results[(name, r.student)] = r
    return root, results


def test_there_are_exercises():
    assert "ps01-network" in ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solution_scores_full_marks(graded, name):
    r = graded[1][(name, "solver")]
    assert r.status == "graded" and r.max_score > 0 and r.score == r.max_score, str(r)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_notebook_scores_zero(graded, name):
    r = graded[1][(name, "blank")]
    assert r.status == "graded" and r.score == 0, str(r)


def test_network_partial_credit_follows_tasks(graded):
    # ps01: task 1 is worth 2 points and task 2 is worth 3; tasks 3-5 fail (their names are unset).
    r = graded[1][("ps01-network", "halfway")]
    assert (r.score, r.max_score) == (5.0, 14.0), str(r)


def test_compute_partial_credit_follows_tasks(graded):
    # ps02: the web server (4 points) and the instance type (2) pass; the IAM policy (3), the
    # handler (3) and the throttling count (2) fail because their names are unset.
    r = graded[1][("ps02-compute", "halfway")]
    assert (r.score, r.max_score) == (6.0, 14.0), str(r)


def test_storage_partial_credit_follows_tasks(graded):
    # ps03: the website (4 points) and the lifecycle rule (3) pass; the DynamoDB tasks 3-5 (4 + 2 + 1)
    # fail because orders_table, the functions and rcu_11kb are unset.
    r = graded[1][("ps03-storage", "halfway")]
    assert (r.score, r.max_score) == (7.0, 14.0), str(r)


def test_traffic_partial_credit_follows_tasks(graded):
    # ps04: the listener rules (4 points) and the health check (4) pass; the cross-zone shares (3) and
    # the draining delay (3) fail because share_a, share_b and drain_seconds are unset.
    r = graded[1][("ps04-traffic", "halfway")]
    assert (r.score, r.max_score) == (8.0, 14.0), str(r)


def test_capstone_partial_credit_follows_tasks(graded):
    # ps07: the network (3 points) and the highly available stack (4) pass; scaling (3), static files
    # (3), Trusted Advisor (2) and the budget (1) fail: their functions raise NotImplementedError, and
    # the budget is graded only on a complete design.
    r = graded[1][("ps07-capstone", "halfway")]
    assert (r.score, r.max_score) == (7.0, 16.0), str(r)


def test_databases_partial_credit_follows_tasks(graded):
    # ps06: the Multi-AZ database (5 points) and the point-in-time restore (4) pass; the Redshift
    # distribution keys (3) and the Aurora answers (2) fail because their tables and names are unset.
    r = graded[1][("ps06-databases", "halfway")]
    assert (r.score, r.max_score) == (9.0, 14.0), str(r)


def test_scaling_partial_credit_follows_tasks(graded):
    # ps05: the web group (3 points) and the day's scaling (latency 2 + errors 2 + budget 2, each run
    # through the simulation) pass; the zone outage (3) and cooldown vs warm-up (1 + 1) fail because
    # fix_legacy, answer_simple and answer_step are unset.
    r = graded[1][("ps05-scaling", "halfway")]
    assert (r.score, r.max_score) == (9.0, 14.0), str(r)


def test_ebs_partial_credit_follows_tasks(graded):
    # ps08: the cheapest volume (5 points) and the move to another zone (4) pass; the RAID 0 task (3)
    # fails because gp3_volumes_needed and stripe are unset.
    r = graded[1][("ps08-ebs", "halfway")]
    assert (r.score, r.max_score) == (9.0, 12.0), str(r)
