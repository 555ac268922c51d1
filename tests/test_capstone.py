"""The capstone problem set (exercises/ps07-capstone) grades designs as it promises.

Fast, without nbgrader: the source notebook's setup, solution and test cells run in a plain
namespace (markers stripped, hidden tests included), so the checks the graders run are the
ones exercised here.  The reference solution passes every task; a single-AZ variant of it
(application servers in one zone, a database without a standby) fails tasks 2 and 5 with
messages that name what the simulation saw, and passes the others.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "exercises" / "ps07-capstone" / "ps07-capstone.ipynb"
MARKER = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", re.MULTILINE)
TASKS = ("task1", "task2", "task3", "task4", "task5", "task6")


def _cells() -> list[tuple[str, str]]:
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            out.append((cell.metadata["nbgrader"]["grade_id"], MARKER.sub("", cell.source)))
    return out


SINGLE_AZ = '''
_reference_build_app = build_app

def build_network(cloud, _reference=build_network):
    network = _reference(cloud)
    network["app_subnets"] = network["app_subnets"][:1]   # every application server in one zone
    return network

def build_app(cloud, network):
    rds = cloud.rds
    create = rds.create_db_instance
    rds.create_db_instance = lambda *args, **kw: create(*args, **{**kw, "multi_az": False})   # no standby
    try:
        return _reference_build_app(cloud, network)
    finally:
        del rds.create_db_instance
'''


def _grade(variant: str = "") -> dict[str, str | None]:
    """Run the notebook's cells; each task's test cell -> None (passed) or its failure message."""
    ns: dict = {"__name__": "capstone"}
    results: dict[str, str | None] = {}
    for grade_id, source in _cells():
        if grade_id.endswith("-tests"):
            try:
                exec(compile(source, grade_id, "exec"), ns)  # noqa: S102  the notebook is the test's subject
            except AssertionError as err:
                results[grade_id[:5]] = str(err)
            else:
                results[grade_id[:5]] = None
        else:
            exec(compile(source, grade_id, "exec"), ns)  # noqa: S102  the notebook is the test's subject
            if grade_id == "task2-answer" and variant:
                exec(variant, ns)  # noqa: S102  swap in the single-AZ design
    return results


@pytest.fixture(scope="module")
def reference():
    return _grade()


@pytest.fixture(scope="module")
def single_az():
    return _grade(SINGLE_AZ)


def test_the_notebook_has_six_graded_tasks():
    ids = [gid for gid, _ in _cells()]
    assert [f"{t}-tests" for t in TASKS] == [g for g in ids if g.endswith("-tests")]


@pytest.mark.parametrize("task", TASKS)
def test_reference_solution_passes(reference, task):
    assert reference[task] is None, reference[task]


@pytest.mark.parametrize("task", ["task1", "task3", "task4", "task6"])
def test_single_az_design_passes_what_does_not_need_two_zones(single_az, task):
    assert single_az[task] is None, single_az[task]


def test_single_az_design_fails_high_availability_naming_zone_and_database(single_az):
    message = single_az["task2"]
    assert message is not None
    assert "All running application servers were in ['us-east-1a']" in message
    assert "had no standby" in message and "still in the failed zone" in message


def test_single_az_design_fails_trusted_advisor_on_zone_balance(single_az):
    message = single_az["task5"]
    assert message is not None and "Amazon EC2 Availability Zone Balance is red" in message


def test_monthly_rate_counts_dynamodb_meters():
    # Trusted Advisor's cost estimate reads every meter's running rate (billing.monthly_rate);
    # DynamoDB's storage and request meters must offer one like the Meter class does.
    from awskit import Cloud
    from awskit.billing import monthly_rate

    cloud = Cloud(seed=3)
    table = cloud.dynamodb.create_table("sessions", partition_key="session_id")
    cloud.clock.advance(seconds=30)
    table.put({"session_id": "a" * 1000})
    assert monthly_rate(cloud, service="dynamodb") > 0
