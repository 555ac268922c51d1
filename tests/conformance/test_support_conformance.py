"""Trusted Advisor's Support API calls against moto and awskit: the shape of the check list."""

from .conftest import keys, moto_differs


def test_describe_trusted_advisor_checks_shape(client):
    checks = client("support").describe_trusted_advisor_checks(language="en")
    assert keys(checks) == {"checks"}
    first = checks["checks"][0]
    assert set(first) == {"id", "name", "description", "category", "metadata"}
    assert isinstance(first["metadata"], list)


def test_check_ids_are_shared_with_aws(client):
    ids = {c["id"] for c in client("support").describe_trusted_advisor_checks(language="en")["checks"]}
    assert {"Qch7DwouX1", "HCP4007jGY", "7DAFEmoDos", "Z4AUBRNSmz"} <= ids


@moto_differs("moto walks a refresh through none/enqueued/processing/success/abandoned on each call, "
              "not on the clock")
def test_first_refresh_is_enqueued(client):
    status = client("support").refresh_trusted_advisor_check(checkId="7DAFEmoDos")["status"]
    assert (status["checkId"], status["status"]) == ("7DAFEmoDos", "enqueued")
