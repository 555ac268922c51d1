"""Build the nbgrader source notebook used by the grader tests.

The fixture is a small but real problem set on awskit's simulated clock: two autograded tasks,
each worth 3 points (a 1-point visible test and a 2-point cell holding hidden tests), so partial
credit is possible. Every check is type-strict (``type(x) is int``), so an object whose ``__eq__``
always answers True cannot pass.

Run ``python tests/grader/make_fixture.py`` to rewrite
``tests/grader/fixtures/source/ps-fixture/ps-fixture.ipynb`` (a test checks it is up to date).
The cell code is written the way ``ruff format`` (which also formats notebooks) leaves it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "ps-fixture"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
HERE = Path(__file__).resolve().parent
TARGET = HERE / "fixtures" / "source" / ASSIGNMENT / NOTEBOOK

#: The answer cells' ids, and the code a correct student would write into each.
SOLUTIONS = {
    "task1-answer": (
        "cloud = awskit.Cloud(seed=0)\n"
        "cloud.clock.advance(minutes=90)\n"
        "elapsed = int(cloud.clock.now)"
    ),
    "task2-answer": (
        "def count_ticks(cloud, interval, minutes):\n"
        '    """How often an event repeating every `interval` seconds runs in `minutes` minutes."""\n'
        "    ticks = []\n"
        "    event = cloud.clock.every(interval, lambda: ticks.append(cloud.clock.now))\n"
        "    cloud.clock.advance(minutes=minutes)\n"
        "    event.cancel()\n"
        "    return len(ticks)"
    ),
}

SOLUTIONS["task3-answer"] = (
    "cloud3 = awskit.Cloud(seed=3)\n"
    "net3 = cloud3.vpc\n"
    'sg = net3.create_security_group(net3.default_vpc, "web", "HTTPS from anywhere")\n'
    'net3.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=443, to_port=443, cidr_ip="0.0.0.0/0")\n'
    "eni = net3.create_network_interface(net3.default_vpc.subnets[0], groups=[sg])\n"
    "net3.associate_public_ip(eni)"
)

#: Points per grade cell: visible tests are worth 1, the hidden-test cells 2.
POINTS = {
    "task1-visible": 1,
    "task1-hidden": 2,
    "task2-visible": 1,
    "task2-hidden": 2,
    "task3-visible": 1,
    "task3-hidden": 2,
}

#: The second fixture assignment: the same two tasks plus a third, independent one graded with
#: awskit.testing (for the hostile-submission tests: task 3 must still score after task 2 breaks).
HOSTILE = "ps-hostile"
HOSTILE_TARGET = HERE / "fixtures" / "source" / HOSTILE / f"{HOSTILE}.ipynb"


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _readonly_md(grade_id: str, text: str):
    return new_markdown_cell(text, metadata=_meta(grade_id, locked=True))


def _solution(grade_id: str):
    lines = SOLUTIONS[grade_id].split("\n")
    # A function keeps its `def` line and docstring visible; only the body becomes a stub.
    keep = 2 if lines[0].startswith("def ") else 0
    pad = "    " if keep else ""
    source = "\n".join(
        lines[:keep] + [pad + "### BEGIN SOLUTION"] + lines[keep:] + [pad + "### END SOLUTION"]
    )
    return new_code_cell(source, metadata=_meta(grade_id, solution=True))


def _test(grade_id: str, source: str):
    return new_code_cell(
        source, metadata=_meta(grade_id, grade=True, locked=True, points=POINTS[grade_id])
    )


def build() -> nbformat.NotebookNode:
    """The source notebook (with solutions and hidden tests) as an nbformat node."""
    cells = [
        _readonly_md(
            "intro",
            "# Fixture problem set: simulated time\n\n"
            "awskit never sleeps: `cloud.clock` is simulated time. Run every cell from the top.",
        ),
        new_code_cell("import awskit", metadata=_meta("setup", locked=True)),
        _readonly_md(
            "task1-text",
            "## Task 1 (3 points)\n\nMake `cloud = awskit.Cloud(seed=0)`, move its clock forward "
            "90 minutes, and store the simulated seconds elapsed, as an `int`, in `elapsed`.",
        ),
        _solution("task1-answer"),
        _test(
            "task1-visible",
            'assert type(elapsed) is int, "elapsed should be an int number of seconds"',
        ),
        _test(
            "task1-hidden",
            "assert type(elapsed) is int\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert elapsed == 5400 and type(cloud.clock.now) is float  # hidden-1a\n"
            'assert cloud.clock.now == 5400.0 and cloud.region_name == "us-east-1"  # hidden-1b\n'
            "### END HIDDEN TESTS",
        ),
        _readonly_md(
            "task2-text",
            "## Task 2 (3 points)\n\nWrite `count_ticks(cloud, interval, minutes)`: schedule an "
            "event every `interval` seconds on `cloud.clock`, advance the clock by `minutes` "
            "minutes, and return how many times the event ran (an `int`).",
        ),
        _solution("task2-answer"),
        _test(
            "task2-visible",
            "n = count_ticks(awskit.Cloud(seed=0), 60, 5)\n"
            'assert type(n) is int, "count_ticks should return an int"\n'
            'assert n == 5, "an event every 60 s runs 5 times in 5 minutes"',
        ),
        _test(
            "task2-hidden",
            "assert type(count_ticks(awskit.Cloud(seed=0), 60, 1)) is int\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert count_ticks(awskit.Cloud(seed=11), 20, 1) == 3  # hidden-2a\n"
            "assert count_ticks(awskit.Cloud(seed=12), 600, 5) == 0  # hidden-2b\n"
            "_c = awskit.Cloud(seed=13)\n"
            "assert count_ticks(_c, 30, 2) == 4 and _c.clock.now == 120.0  # hidden-2c\n"
            "### END HIDDEN TESTS",
        ),
    ]
    return _notebook(cells)


def build_hostile() -> nbformat.NotebookNode:
    """``ps-hostile``: ps-fixture's two tasks and a third graded through awskit.testing."""
    cells = list(build().cells)
    cells[1] = new_code_cell(
        "import awskit\nfrom awskit.testing import assert_blocked, assert_reachable",
        metadata=_meta("setup", locked=True),
    )
    cells += [
        _readonly_md(
            "task3-text",
            "## Task 3 (3 points)\n\nIn `cloud3 = awskit.Cloud(seed=3)` make `eni`, an interface in "
            "the default VPC's first subnet with a public address and a security group `sg` "
            "that lets HTTPS (443) in from anywhere and nothing else.",
        ),
        _solution("task3-answer"),
        _test(
            "task3-visible",
            'assert_reachable(cloud3, "internet", eni, 443, why="HTTPS must reach eni")',
        ),
        _test(
            "task3-hidden",
            "from awskit.vpc import NetworkInterface\n"
            'assert isinstance(eni, NetworkInterface), "eni should be a NetworkInterface"\n'
            "### BEGIN HIDDEN TESTS\n"
            "assert type(eni) is NetworkInterface and eni.public_ip is not None  # hidden-3a\n"
            'assert_blocked(cloud3, "internet", eni, 22, why="only HTTPS may get in", '
            'tag="sg-open-to-world")  # hidden-3b\n'
            "### END HIDDEN TESTS",
        ),
    ]
    return _notebook(cells)


def _notebook(cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    # Stable cell ids keep the committed file byte-identical between runs.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def write(path: Path = TARGET, builder=build) -> Path:
    """Write the source notebook to ``path`` (default: the committed fixture)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(builder(), str(path))
    return path


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(write(Path(sys.argv[1])))
    else:
        print(write(TARGET), write(HOSTILE_TARGET, build_hostile))
