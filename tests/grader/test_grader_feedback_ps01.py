"""Feedback on ps01-network for a wrong design explains the failure in model terms and shows
no hidden test: only the assertion message of a failed hidden check reaches the student."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from grader import Course, autograde
from grader.cli import main
from grader.hidden import hidden_lines, visible_text

pytestmark = pytest.mark.slow

NAME = "ps01-network"
SOURCE = Path(__file__).resolve().parents[2] / "exercises" / NAME
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.DOTALL)


@pytest.fixture(scope="module")
def wrong_design(tmp_path_factory):
    base = tmp_path_factory.mktemp("ps01")
    shutil.copytree(SOURCE, base / "exercises" / NAME)
    root = base / "course"
    assert main(["init", str(root), "--exercises", str(base / "exercises"), "--timeout", "60"]) == 0
    assert main(["release", NAME, "--course", str(root)]) == 0
    src = nbformat.read(str(SOURCE / f"{NAME}.ipynb"), as_version=4)
    answers = {
        c.metadata["nbgrader"]["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source)
        for c in src.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    # The mistake: SSH open to the whole internet instead of only ADMIN_NETWORK.
    answers["task3-answer"] = answers["task3-answer"].replace(
        "to_port=22, cidr_ip=ADMIN_NETWORK", 'to_port=22, cidr_ip="0.0.0.0/0"'
    )
    assert 'to_port=22, cidr_ip="0.0.0.0/0"' in answers["task3-answer"]
    nb = nbformat.read(str(root / "release" / NAME / f"{NAME}.ipynb"), as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    (root / "submitted" / "wren" / NAME).mkdir(parents=True)
    nbformat.write(nb, str(root / "submitted" / "wren" / NAME / f"{NAME}.ipynb"))
    (result,) = autograde(Course.open(root), NAME, jobs=1)
    assert main(["feedback", NAME, "--course", str(root)]) == 0
    page = (root / "feedback" / "wren" / NAME / f"{NAME}.html").read_text()
    return result, visible_text(page), src


def test_wrong_design_loses_only_the_task_it_breaks(wrong_design):
    result, _, _ = wrong_design
    assert (result.score, result.max_score) == (10.0, 14.0), str(result)


def test_feedback_explains_the_failure_in_model_terms(wrong_design):
    _, text, _ = wrong_design
    assert "SSH must be closed to everyone outside ADMIN_NETWORK." in text
    assert "should be blocked but gets through" in text
    assert "security group" in text.lower()


def test_feedback_shows_only_the_message_of_a_failed_hidden_check(wrong_design):
    _, text, src = wrong_design
    for cell in src.cells:
        for line in hidden_lines(cell.source):
            if len(line) > 3 and not line.startswith(("#", ")", '"')):
                assert line not in text, line
    assert "this cell holds hidden tests: the traceback is not shown" in text
