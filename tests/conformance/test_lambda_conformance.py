"""Lambda through boto3's shapes, against moto and awskit.

moto runs handlers in Docker, which is not available here, so these tests compare only what
moto does without Docker: create/get/list/delete, versions, aliases, concurrency, policies
and error codes.  Invocation is covered by tests/test_lambda_invoke.py.
"""

import io
import json
import zipfile

import pytest

from .conftest import error_code, keys, moto_differs

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def _zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("lambda_function.py", "def lambda_handler(event, context):\n    return event\n")
    return buf.getvalue()


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def role_arn(client):
    return client("iam").create_role(RoleName="exec", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


def _create(lam, role_arn, name="fn", **kw):
    resp = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn,
                               Handler="lambda_function.lambda_handler", Code={"ZipFile": _zip()}, **kw)
    lam.get_waiter("function_active_v2").wait(FunctionName=name)  # AWS: Pending first, then Active
    return resp


CONFIG_KEYS = {"FunctionName", "FunctionArn", "Runtime", "Role", "Handler", "CodeSize", "Description", "Timeout",
               "MemorySize", "LastModified", "CodeSha256", "Version", "State", "PackageType"}


def test_create_function_returns_its_configuration(lam, role_arn):
    resp = _create(lam, role_arn)
    assert CONFIG_KEYS <= keys(resp)
    assert (resp["Timeout"], resp["MemorySize"], resp["Version"]) == (3, 128, "$LATEST")


def test_get_function_has_configuration_and_code(lam, role_arn):
    _create(lam, role_arn)
    resp = lam.get_function(FunctionName="fn")
    assert {"Configuration", "Code"} <= keys(resp)
    assert resp["Configuration"]["FunctionName"] == "fn"


def test_list_functions_lists_created_functions(lam, role_arn):
    _create(lam, role_arn, "a")
    _create(lam, role_arn, "b")
    assert sorted(f["FunctionName"] for f in lam.list_functions()["Functions"]) == ["a", "b"]


def test_get_missing_function_is_resource_not_found(lam):
    assert error_code(lam.get_function, FunctionName="nope") == "ResourceNotFoundException"


def test_duplicate_function_is_resource_conflict(lam, role_arn):
    _create(lam, role_arn)
    assert error_code(_create, lam, role_arn) == "ResourceConflictException"


def test_role_that_does_not_exist_is_invalid_parameter(lam):
    assert error_code(_create, lam, "arn:aws:iam::123456789012:role/none") == "InvalidParameterValueException"


@moto_differs("moto does not refuse retired runtimes")
def test_retired_runtime_is_invalid_parameter(lam, role_arn):
    code = error_code(lam.create_function, FunctionName="old", Runtime="python2.7", Role=role_arn,
                      Handler="a.b", Code={"ZipFile": _zip()})
    assert code == "InvalidParameterValueException"


@moto_differs("moto does not check the memory range")
def test_memory_out_of_range_is_a_validation_error(lam, role_arn):
    # above the 10,240 MB maximum: the service refuses it (boto3 itself refuses values below
    # the model's 128 MB minimum, client-side, as ParamValidationError)
    assert error_code(_create, lam, role_arn, MemorySize=10_241) == "ValidationException"


def test_delete_function_then_get_is_not_found(lam, role_arn):
    _create(lam, role_arn)
    lam.delete_function(FunctionName="fn")
    assert error_code(lam.get_function, FunctionName="fn") == "ResourceNotFoundException"


def test_publish_version_numbers_versions(lam, role_arn):
    _create(lam, role_arn)
    resp = lam.publish_version(FunctionName="fn")
    assert resp["Version"] == "1" and CONFIG_KEYS <= keys(resp)
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName="fn")["Versions"]]
    assert versions == ["$LATEST", "1"]


def test_alias_shapes(lam, role_arn):
    _create(lam, role_arn)
    lam.publish_version(FunctionName="fn")
    resp = lam.create_alias(FunctionName="fn", Name="prod", FunctionVersion="1")
    assert {"AliasArn", "Name", "FunctionVersion"} <= keys(resp)
    assert lam.get_alias(FunctionName="fn", Name="prod")["FunctionVersion"] == "1"
    assert [a["Name"] for a in lam.list_aliases(FunctionName="fn")["Aliases"]] == ["prod"]


@moto_differs("moto answers ConflictException; Lambda's CreateAlias error is ResourceConflictException")
def test_duplicate_alias_is_resource_conflict(lam, role_arn):
    _create(lam, role_arn)
    lam.publish_version(FunctionName="fn")
    lam.create_alias(FunctionName="fn", Name="prod", FunctionVersion="1")
    assert error_code(lam.create_alias, FunctionName="fn", Name="prod",
                      FunctionVersion="1") == "ResourceConflictException"


def test_missing_alias_is_resource_not_found(lam, role_arn):
    _create(lam, role_arn)
    assert error_code(lam.get_alias, FunctionName="fn", Name="nope") == "ResourceNotFoundException"


def test_function_concurrency_round_trip(lam, role_arn):
    _create(lam, role_arn)
    resp = lam.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=10)
    assert resp["ReservedConcurrentExecutions"] == 10
    assert lam.get_function_concurrency(FunctionName="fn")["ReservedConcurrentExecutions"] == 10
    lam.delete_function_concurrency(FunctionName="fn")
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName="fn")


def test_add_permission_then_get_policy(lam, role_arn):
    _create(lam, role_arn)
    resp = lam.add_permission(FunctionName="fn", StatementId="s3", Action="lambda:InvokeFunction",
                              Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::bucket")
    assert "Statement" in resp
    policy = json.loads(lam.get_policy(FunctionName="fn")["Policy"])
    assert policy["Statement"][0]["Sid"] == "s3"


def test_remove_permission_of_unknown_statement_is_not_found(lam, role_arn):
    _create(lam, role_arn)
    lam.add_permission(FunctionName="fn", StatementId="s3", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com")
    assert error_code(lam.remove_permission, FunctionName="fn", StatementId="x") == "ResourceNotFoundException"


def test_tags_round_trip(lam, role_arn):
    arn = _create(lam, role_arn, Tags={"team": "a"})["FunctionArn"]
    lam.tag_resource(Resource=arn, Tags={"env": "dev"})
    assert lam.list_tags(Resource=arn)["Tags"] == {"team": "a", "env": "dev"}


def test_publish_layer_version_shape(lam):
    resp = lam.publish_layer_version(LayerName="lib", Content={"ZipFile": _zip()},
                                     CompatibleRuntimes=["python3.12"])
    assert {"LayerArn", "LayerVersionArn", "Version", "Content"} <= keys(resp) and resp["Version"] == 1
