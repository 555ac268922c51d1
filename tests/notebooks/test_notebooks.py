"""Every course notebook runs top to bottom in a fresh kernel, and is committed clean.

Each notebook in notebooks/ (plus the browser-test fixtures) is one test: a new ipykernel
of THIS interpreter (the project's venv) executes it with nbclient, recording widget
state as JupyterLab would. A cell that raises fails the test with its number, source and
error. A cell that is meant to show an error (a teaching moment: the AWSError a bad CIDR
raises) carries the cell tag ``raises-exception``, which nbclient honours.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURES = sorted((ROOT / "tests" / "browser" / "fixtures").glob("*.ipynb"))
EXECUTED = CHAPTERS + FIXTURES
COMMITTED = sorted(
    p
    for folder in ("notebooks", "exercises", "tests/browser/fixtures")
    for p in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
CLEAR_SCRIPT = ROOT / "scripts" / "clear_outputs.py"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_TIMEOUT = 120  # seconds per cell; a course cell takes well under one


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kernelspec folder whose ``python3`` runs ``sys.executable`` (this venv).

    A user-level ``python3`` kernelspec (~/.local/share/jupyter/kernels) would otherwise
    win over the venv's and could run a different Python without awskit.
    """
    kernels = tmp_path_factory.mktemp("kernels")
    write_kernel_spec(path=str(kernels / "python3"))
    return kernels


def _client(nb: nbformat.NotebookNode, cwd: Path, kernel_dir: Path) -> NotebookClient:
    km = KernelManager(
        kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)])
    )
    return NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        startup_timeout=60,
        store_widget_state=True,
        resources={"metadata": {"path": str(cwd)}},
    )


def _run(path: Path, kernel_dir: Path, root: Path = ROOT) -> nbformat.NotebookNode:
    """Execute the notebook in a fresh kernel; fail with the cell and the error if one raises."""
    nb = nbformat.read(path, as_version=4)
    errors: list[tuple[int, dict]] = []
    client = _client(nb, path.parent, kernel_dir)
    client.on_cell_error = lambda cell, cell_index, execute_reply: errors.append(
        (cell_index, execute_reply["content"])
    )
    try:
        client.execute()
    except CellExecutionError as err:
        if not errors:  # nbclient raised without a reply (should not happen): show its text
            pytest.fail(f"{path.relative_to(root)}: {err}", pytrace=False)
        index, reply = errors[-1]
        traceback = ANSI.sub("", "\n".join(reply.get("traceback", [])))
        pytest.fail(
            f"{path.relative_to(root)}: cell {index} raised {reply['ename']}: {reply['evalue']}\n"
            f"--- cell {index} source ---\n{nb.cells[index].source}\n"
            f"--- traceback ---\n{traceback}\n"
            "(if showing this error is the lesson, tag the cell `raises-exception`)",
            pytrace=False,
        )
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("path", EXECUTED, ids=_ids(EXECUTED))
def test_notebook_runs_top_to_bottom(path: Path, kernel_dir: Path) -> None:
    nb = _run(path, kernel_dir)
    # Every widget a cell displayed must have its model in the recorded state, or the
    # view would be blank in the browser and in the saved notebook.
    shown = {
        out.data[WIDGET_VIEW]["model_id"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if WIDGET_VIEW in out.get("data", {})
    }
    recorded = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert shown <= recorded.keys(), f"widget views without a model: {shown - recorded.keys()}"


@pytest.mark.slow
def test_notebook_kernel_is_this_venv(tmp_path: Path, kernel_dir: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")]
    )
    path = tmp_path / "which.ipynb"
    nbformat.write(nb, path)
    client = _client(nb, tmp_path, kernel_dir)
    client.execute()
    assert nb.cells[0].outputs[0].text.strip() == sys.executable


@pytest.mark.slow
def test_failing_cell_is_reported_with_its_number_source_and_error(
    tmp_path: Path, kernel_dir: Path
) -> None:
    path = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("y = x / 0  # boom")]
    )
    nbformat.write(nb, path)
    with pytest.raises(pytest.fail.Exception) as failure:
        _run(path, kernel_dir, root=tmp_path)
    message = str(failure.value)
    assert "cell 1 raised ZeroDivisionError" in message
    assert "y = x / 0  # boom" in message


@pytest.mark.slow
def test_cell_tagged_raises_exception_may_raise(tmp_path: Path, kernel_dir: Path) -> None:
    path = tmp_path / "lesson.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]}),
            nbformat.v4.new_code_cell("print('after')"),
        ]
    )
    nbformat.write(nb, path)
    executed = _run(path, kernel_dir, root=tmp_path)
    assert executed.cells[1].outputs[0].text == "after\n"


@pytest.mark.parametrize("path", COMMITTED, ids=_ids(COMMITTED))
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    problems = [
        f"cell {i} has outputs"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.get("outputs")
    ] + [
        f"cell {i} has execution count {c.execution_count}"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.get("execution_count") is not None
    ]
    if "widgets" in nb.metadata:
        problems.append("notebook metadata holds saved widget state")
    assert not problems, (
        f"{path.relative_to(ROOT)} is committed with outputs ({'; '.join(problems)}). "
        f"Clear them with `make clean-notebooks` "
        f"(or `python scripts/clear_outputs.py {path.relative_to(ROOT)}`)."
    )


def _clear_outputs_main(*args: str) -> int:
    """Run scripts/clear_outputs.py in-process (a subprocess would add ~1 s of imports)."""
    spec = importlib.util.spec_from_file_location("clear_outputs", CLEAR_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(list(args))


def _dirty_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Task 1"),
            nbformat.v4.new_code_cell(
                "x = 1\nx",
                execution_count=3,
                outputs=[
                    nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)
                ],
                metadata={"nbgrader": {"grade_id": "task1", "points": 2, "locked": True}},
            ),
        ]
    )
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": {}}}
    nbformat.write(nb, path)


def test_clear_outputs_script_strips_outputs_and_keeps_nbgrader_metadata(tmp_path: Path) -> None:
    path = tmp_path / "dirty.ipynb"
    _dirty_notebook(path)
    assert _clear_outputs_main(str(tmp_path)) == 0
    nb = nbformat.read(path, as_version=4)
    code = nb.cells[1]
    assert (code.outputs, code.execution_count, "widgets" in nb.metadata) == ([], None, False)
    assert code.source == "x = 1\nx"
    assert code.metadata["nbgrader"] == {"grade_id": "task1", "points": 2, "locked": True}


def test_clear_outputs_check_mode_reports_dirty_notebook_without_changing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dirty.ipynb"
    _dirty_notebook(path)
    before = path.read_bytes()
    assert _clear_outputs_main("--check", str(path)) == 1
    assert "dirty.ipynb" in capsys.readouterr().out
    assert path.read_bytes() == before
