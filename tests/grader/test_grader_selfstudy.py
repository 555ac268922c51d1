"""awskit.check(), the progress file and per-student variants (no kernels: fast)."""

from __future__ import annotations

import json

import pytest

import awskit
from awskit.check import run_checks
from awskit.core.errors import AWSError
from awskit.selfcheck import check as selfcheck
from awskit.tracker import progress_path


def _exercise(tmp_path, name="ps-demo.ipynb"):
    def test(gid, source):
        return {
            "cell_type": "code",
            "source": source,
            "metadata": {"nbgrader": {"grade": True, "solution": False, "grade_id": gid}},
        }

    cells = [
        {"cell_type": "code", "source": "x = None", "metadata": {}},
        test("task1-tests", "assert type(x) is int, 'x should be an int'"),
        test("task2-tests", "assert y > 1, 'y should be more than 1'"),
        test("task2-more", "assert y < 10, 'y should be below 10'"),
    ]
    path = tmp_path / name
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    return path


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("AWSKIT_PROGRESS", str(path))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    return path


def test_check_reports_passed_visible_checks_and_mentions_hidden_ones(tmp_path, capsys):
    nb = _exercise(tmp_path)
    awskit.check(notebook=str(nb), namespace={"x": 3, "y": 5})
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "task1: 1/1 visible checks passed; hidden checks run at grading",
        "task2: 2/2 visible checks passed; hidden checks run at grading",
    ]


def test_check_shows_the_failing_assertion_as_a_hint(tmp_path):
    results = run_checks(notebook=str(_exercise(tmp_path)), namespace={"x": "3", "y": 50})
    t1, t2 = results
    assert (t1.passed, t1.total, t2.passed, t2.total) == (0, 1, 1, 2)
    assert "x should be an int" in str(t1) and "y should be below 10" in str(t2)


def test_check_runs_in_the_callers_namespace_by_default(tmp_path, capsys):
    nb = _exercise(tmp_path)
    global x, y
    x, y = 1, 2
    awskit.check(1, notebook=str(nb))
    assert capsys.readouterr().out.startswith("task1: 1/1")


def test_check_of_one_task_only(tmp_path):
    results = run_checks("task2", notebook=str(_exercise(tmp_path)), namespace={"y": 5})
    assert [r.task for r in results] == ["task2"]


def test_check_finds_the_notebook_from_the_session_name(tmp_path, monkeypatch, capsys):
    nb = _exercise(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(nb))
    awskit.check(1, namespace={"x": 1})
    assert "1/1" in capsys.readouterr().out


def test_check_without_a_notebook_says_how_to_name_one(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    with pytest.raises(AWSError) as err:
        awskit.check()
    assert err.value.code == "NotebookNotFound"


def test_check_records_task_progress(tmp_path, progress_file):
    run_checks(notebook=str(_exercise(tmp_path)), namespace={"x": 1, "y": 50})
    data = json.loads(progress_file.read_text())
    assert data["exercises"]["ps-demo"] == {
        "task1": {"passed": 1, "total": 1},
        "task2": {"passed": 1, "total": 2},
    }


def test_selfcheck_records_by_chapter(progress_file, monkeypatch, capsys):
    monkeypatch.setenv("JPY_SESSION_NAME", "/x/01-global-infrastructure.ipynb")
    selfcheck("AZs in eu-west-1", 3, 3)
    selfcheck("edge for Mumbai", "bom", "BOM")
    data = json.loads(progress_file.read_text())
    assert data["chapters"]["01-global-infrastructure"] == {
        "AZs in eu-west-1": True,
        "edge for Mumbai": False,
    }


def test_progress_table_lists_chapters_and_tasks(tmp_path, progress_file, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/x/02-vpc.ipynb")
    selfcheck("q1", 1, 1)
    run_checks(notebook=str(_exercise(tmp_path)), namespace={"x": 1, "y": 5})
    table = awskit.progress()
    assert ("chapter", "02-vpc", "1/1 self-checks correct") in table.rows()
    assert ("exercise", "ps-demo task2", "✓ 2/2 visible checks passed") in table.rows()
    assert "<table>" in table._repr_html_()


def test_unwritable_progress_file_never_fails_a_check(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("AWSKIT_PROGRESS", str(blocker / "progress.json"))  # parent is a file
    selfcheck("q", 1, 1)
    assert capsys.readouterr().out == "q: ✓ correct\n"


def test_nothing_is_recorded_outside_a_notebook(monkeypatch, tmp_path):
    monkeypatch.delenv("AWSKIT_PROGRESS", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    selfcheck("q", 1, 1)
    assert not progress_path().exists()


def test_variants_are_stable_and_differ_between_students():
    a, b = awskit.variant("alice"), awskit.variant("bob")
    assert a == awskit.variant("alice") and a != b
    assert a["vpc_cidr"] == f"10.{a['second_octet']}.0.0/16"
    assert a["availability_zone"][:-1] == "us-east-1"


def test_variant_reads_the_student_id_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWSKIT_STUDENT_ID", "carol")
    assert awskit.variant() == awskit.variant("carol")
    monkeypatch.delenv("AWSKIT_STUDENT_ID")
    monkeypatch.setenv("JUPYTERHUB_USER", "dave")
    assert awskit.variant()["student_id"] == "dave"


def test_variant_rejects_a_non_string_id():
    with pytest.raises(AWSError) as err:
        awskit.variant(42)
    assert err.value.code == "InvalidParameterValue"
