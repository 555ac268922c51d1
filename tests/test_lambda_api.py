"""The boto3-shaped Lambda client: invoke responses, waiters, pagination, exceptions."""

import base64
import io
import json
import zipfile

import pytest

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}


def _zip(body="    return {'echo': event}\n"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("app.py", "def handler(event, context):\n    print('hi')\n" + body)
    return buf.getvalue()


@pytest.fixture
def lam(cloud):
    client = cloud.client("lambda")
    role = cloud.iam.create_role("exec", TRUST)
    client.create_function(FunctionName="f", Runtime="python3.13", Role=role.arn, Handler="app.handler",
                           Code={"ZipFile": _zip()})
    client.get_waiter("function_active").wait(FunctionName="f")
    return client


def test_invoke_returns_status_payload_and_executed_version(lam):
    resp = lam.invoke(FunctionName="f", Payload=json.dumps({"a": 1}))
    assert resp["StatusCode"] == 200 and resp["ExecutedVersion"] == "$LATEST"
    assert json.loads(resp["Payload"].read()) == {"echo": {"a": 1}}


def test_invoke_with_tail_returns_log_result(lam):
    resp = lam.invoke(FunctionName="f", LogType="Tail")
    assert "REPORT RequestId" in base64.b64decode(resp["LogResult"]).decode()


def test_function_error_is_reported_in_the_response(cloud, lam):
    lam.update_function_code(FunctionName="f", ZipFile=_zip("    raise ValueError('no')\n"))
    lam.get_waiter("function_updated").wait(FunctionName="f")
    resp = lam.invoke(FunctionName="f")
    assert resp["FunctionError"] == "Unhandled"
    assert json.loads(resp["Payload"].read())["errorType"] == "ValueError"


def test_event_invocation_is_accepted_with_202(lam):
    assert lam.invoke(FunctionName="f", InvocationType="Event")["StatusCode"] == 202


def test_throttled_invoke_raises_the_modeled_exception(lam):
    lam.put_function_concurrency(FunctionName="f", ReservedConcurrentExecutions=0)
    with pytest.raises(lam.exceptions.TooManyRequestsException):
        lam.invoke(FunctionName="f")


def test_unknown_parameter_is_a_param_validation_error(lam):
    with pytest.raises(Exception) as err:
        lam.invoke(FunctionName="f", Body="{}")
    assert err.value.code == "ParamValidationError"


def test_list_functions_paginates(cloud, lam):
    role = cloud.iam.get_role("exec")
    for i in range(3):
        lam.create_function(FunctionName=f"g{i}", Runtime="python3.13", Role=role.arn, Handler="app.handler",
                            Code={"ZipFile": _zip()})
    pages = list(lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["Functions"]) for p in pages] == [2, 2]


def test_function_active_waiter_moves_the_simulated_clock(cloud):
    client = cloud.client("lambda")
    role = cloud.iam.create_role("exec", TRUST)
    client.create_function(FunctionName="w", Runtime="python3.13", Role=role.arn, Handler="app.handler",
                           Code={"ZipFile": _zip()})
    assert client.get_function(FunctionName="w")["Configuration"]["State"] == "Pending"
    client.get_waiter("function_active_v2").wait(FunctionName="w")
    assert client.get_function(FunctionName="w")["Configuration"]["State"] == "Active"


def test_create_from_s3_object(cloud, lam):
    cloud.s3.create_bucket("code-awskit")
    cloud.s3.put_object("code-awskit", "f.zip", _zip())
    role = cloud.iam.get_role("exec")
    resp = lam.create_function(FunctionName="s3fn", Runtime="python3.13", Role=role.arn, Handler="app.handler",
                               Code={"S3Bucket": "code-awskit", "S3Key": "f.zip"})
    assert resp["CodeSize"] == len(_zip())
