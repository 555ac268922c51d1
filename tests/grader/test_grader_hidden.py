"""Fast checks of the hidden-test guards, the fixture and the CLI's error handling (no kernels)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
import pytest

from grader import hidden
from grader.cli import main
from grader.course import GraderError, find_assignments, init_course

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_fixture

FIXTURE_NB = make_fixture.TARGET


def _fixture_hidden_lines() -> list[str]:
    nb = make_fixture.build()
    return [line for cell in nb.cells for line in hidden.hidden_lines(cell.source)]


def test_committed_fixture_matches_its_generator(tmp_path):
    fresh = make_fixture.write(tmp_path / "ps-fixture.ipynb")
    assert fresh.read_text() == FIXTURE_NB.read_text()


def test_committed_hostile_fixture_matches_its_generator(tmp_path):
    fresh = make_fixture.write(tmp_path / "ps-hostile.ipynb", make_fixture.build_hostile)
    assert fresh.read_text() == make_fixture.HOSTILE_TARGET.read_text()


def test_restore_cells_reinserts_deleted_and_retags_changed_test_cells():
    from grader.batch import restore_cells

    source = make_fixture.build()
    nb = copy.deepcopy(source)
    nb.cells = [c for c in nb.cells if c.metadata.nbgrader["grade_id"] != "task1-hidden"]
    visible = next(c for c in nb.cells if c.metadata.nbgrader["grade_id"] == "task2-visible")
    visible.metadata.nbgrader.update(grade=False, points=0)
    changed = restore_cells(nb, source)
    assert sorted(changed) == ["task1-hidden", "task2-visible"]
    assert [c.metadata.nbgrader["grade_id"] for c in nb.cells] == [
        c.metadata.nbgrader["grade_id"] for c in source.cells
    ]
    assert visible.metadata.nbgrader["grade"] is True


def test_fixture_has_two_tasks_with_visible_and_hidden_tests():
    nb = make_fixture.build()
    grades = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if c.metadata.nbgrader["grade"]}
    assert sorted(grades) == ["task1-hidden", "task1-visible", "task2-hidden", "task2-visible"]
    assert all(hidden.BEGIN in grades[g].source for g in ("task1-hidden", "task2-hidden"))
    assert not any(hidden.BEGIN in grades[g].source for g in ("task1-visible", "task2-visible"))


def test_hidden_lines_are_the_lines_between_the_markers():
    source = "x = 1\n### BEGIN HIDDEN TESTS\nassert x == 1\n\nassert x > 0\n### END HIDDEN TESTS\ny"
    assert hidden.hidden_lines(source) == ["assert x == 1", "assert x > 0"]


def test_misspelt_markers_still_count_as_hidden():
    source = "### Begin hidden test\nassert secret() == 42\n### end hidden test"
    assert hidden.hidden_lines(source) == ["assert secret() == 42"]


def test_secret_lines_leave_out_lines_that_are_also_public(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import awskit"),
            nbformat.v4.new_code_cell(
                "### BEGIN HIDDEN TESTS\nimport awskit\nassert answer == 42\n### END HIDDEN TESTS"
            ),
        ]
    )
    nbformat.write(nb, str(tmp_path / "a.ipynb"))
    assert hidden.secret_lines(tmp_path) == {"assert answer == 42"}


def test_fixture_secrets_are_every_hidden_line():
    secrets = hidden.secret_lines(FIXTURE_NB.parent)
    assert secrets == set(_fixture_hidden_lines())
    assert len(secrets) == 6


def test_leaks_finds_a_hidden_line_split_by_syntax_highlighting(tmp_path):
    page = tmp_path / "f.html"
    page.write_text(
        '<span class="k">assert</span> <span class="n">answer</span> '
        '<span class="o">==</span> <span class="mi">42</span>'
    )
    assert hidden.leaks(page, {"assert answer == 42"}) == ["hidden line 'assert answer == 42'"]


def test_leaks_finds_a_marker_left_in_a_notebook(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS")]
        ),
        str(path),
    )
    assert len(hidden.leaks(path, set())) == 2


def test_leaks_allows_lines_the_student_wrote(tmp_path):
    page = tmp_path / "f.html"
    page.write_text("<pre>assert answer == 42</pre>")
    assert hidden.leaks(page, {"assert answer == 42"}, allowed={"assert answer == 42"}) == []


def _graded_cell_with_failing_hidden_test():
    cell = nbformat.v4.new_code_cell(
        "assert True\n### BEGIN HIDDEN TESTS\nassert answer == 42  # secret\n### END HIDDEN TESTS",
        metadata={
            "nbgrader": {
                "grade": True,
                "solution": False,
                "locked": True,
                "points": 2,
                "grade_id": "t",
                "schema_version": 3,
            }
        },
    )
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="the answer is wrong",
            traceback=["Traceback", "----> 3 assert answer == 42  # secret", "AssertionError: ..."],
        )
    ]
    return cell


def test_hide_hidden_tests_removes_the_source_and_cuts_the_traceback():
    nb = nbformat.v4.new_notebook(cells=[_graded_cell_with_failing_hidden_test()])
    before = nbformat.writes(nb)
    assert "assert answer == 42" in before  # the check below could fail
    out, _ = hidden.HideHiddenTests().preprocess(copy.deepcopy(nb), {})
    after = nbformat.writes(out)
    assert "assert answer == 42" not in after
    assert out.cells[0].outputs[0].traceback[0].startswith("AssertionError: the answer is wrong")


def test_find_assignments_lists_folders_holding_notebooks(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.ipynb").write_text("{}")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.md").write_text("")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "y.ipynb").write_text("{}")
    assert find_assignments(tmp_path) == ["a"]


def test_init_without_assignments_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraderError):
        init_course(tmp_path / "course", tmp_path / "empty")


def test_init_refuses_a_folder_that_already_holds_a_course(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "nbgrader_config.py").write_text("c = get_config()\n")
    with pytest.raises(GraderError):
        init_course(tmp_path / "course", FIXTURE_NB.parent.parent)


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_cli_missing_course_prints_one_line_and_exits_nonzero(tmp_path, capsys):
    assert main(["release", "ps-fixture", "--course", str(tmp_path / "nope")]) == 2
    assert "awskit-grade init" in _one_error_line(capsys)


def test_cli_folder_without_config_is_not_a_course(tmp_path, capsys):
    assert main(["export", "--course", str(tmp_path), "--to", str(tmp_path / "g.csv")]) == 2
    assert "nbgrader_config.py" in _one_error_line(capsys)


def test_cli_init_with_missing_exercises_prints_one_line(tmp_path, capsys):
    code = main(["init", str(tmp_path / "c"), "--exercises", str(tmp_path / "none")])
    assert code == 2
    assert "--exercises" in _one_error_line(capsys)


def test_cli_rejects_a_zero_timeout(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["init", str(tmp_path / "c"), "--timeout", "0"])
    assert exc.value.code == 2


@pytest.mark.parametrize(
    "command", ["init", "release", "autograde", "feedback", "export", "report"]
)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "--help" in capsys.readouterr().out
