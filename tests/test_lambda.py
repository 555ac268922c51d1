"""Lambda functions: creation rules, updates, versions, aliases, layers, permissions, concurrency settings."""

import io
import zipfile

import pytest

from awskit.awslambda import FunctionState, LastUpdateStatus

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}


def make_zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


HELLO = make_zip({"lambda_function.py": "def lambda_handler(event, context):\n    return {'hello': event.get('name')}\n"})


@pytest.fixture
def role(cloud):
    return cloud.iam.create_role("lambda-exec", TRUST)


@pytest.fixture
def lam(cloud):
    return cloud.awslambda


def create(lam, role, name="hello", **kw):
    kw.setdefault("runtime", "python3.12")
    kw.setdefault("code", HELLO)
    return lam.create_function(name, "lambda_function.lambda_handler", role=role, **kw)


def test_function_from_zip_runs_its_handler(lam, role):
    create(lam, role)
    assert lam.invoke("hello", {"name": "ada"}).payload == {"hello": "ada"}


def test_new_function_is_pending_until_the_clock_moves(cloud, lam, role):
    fn = create(lam, role, wait=False)
    assert fn.state is FunctionState.PENDING
    cloud.clock.advance(5)
    assert fn.state is FunctionState.ACTIVE


def test_invoking_a_pending_function_is_a_conflict(lam, role):
    create(lam, role, wait=False)
    with pytest.raises(Exception) as err:
        lam.invoke("hello")
    assert err.value.code == "ResourceConflictException"


def test_duplicate_name_is_a_conflict(lam, role):
    create(lam, role)
    with pytest.raises(Exception) as err:
        create(lam, role)
    assert err.value.code == "ResourceConflictException"


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "bad!name"])
def test_invalid_function_name_is_rejected(lam, role, name):
    with pytest.raises(Exception) as err:
        create(lam, role, name=name)
    assert err.value.code == "ValidationException"


def test_function_arn_is_accepted_as_a_name(lam, role):
    fn = create(lam, role)
    assert lam.get_function(fn.arn) is fn


def test_deprecated_runtime_is_refused(lam, role):
    with pytest.raises(Exception) as err:
        create(lam, role, runtime="python3.7")
    assert err.value.code == "InvalidParameterValueException"


def test_unknown_runtime_is_a_validation_error(lam, role):
    with pytest.raises(Exception) as err:
        create(lam, role, runtime="python4.0")
    assert err.value.code == "ValidationException"


def test_role_that_does_not_trust_lambda_cannot_be_used(cloud, lam):
    ec2_role = cloud.iam.create_role("ec2", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    with pytest.raises(Exception) as err:
        create(lam, ec2_role)
    assert err.value.code == "InvalidParameterValueException"


def test_missing_role_cannot_be_used(cloud, lam):
    with pytest.raises(Exception) as err:
        create(lam, f"arn:aws:iam::{cloud.account_id}:role/nobody")
    assert err.value.code == "InvalidParameterValueException"


@pytest.mark.parametrize("kw", [{"timeout": 0}, {"timeout": 901}, {"memory_size": 127}, {"memory_size": 10241}])
def test_timeout_and_memory_limits(lam, role, kw):
    with pytest.raises(Exception) as err:
        create(lam, role, **kw)
    assert err.value.code == "ValidationException"


def test_defaults_are_3_seconds_and_128_mb(lam, role):
    v = create(lam, role).latest
    assert (v.timeout, v.memory_size) == (3, 128)


def test_environment_over_4kb_is_rejected(lam, role):
    with pytest.raises(Exception) as err:
        create(lam, role, environment={"BIG": "x" * 5000})
    assert err.value.code == "InvalidParameterValueException"


def test_environment_reaches_the_handler_through_the_version(lam, role):
    fn = create(lam, role, environment={"STAGE": "dev"})
    assert fn.latest.environment == {"STAGE": "dev"}


def test_bad_zip_is_rejected(lam, role):
    with pytest.raises(Exception) as err:
        create(lam, role, code=b"not a zip")
    assert err.value.code == "InvalidParameterValueException"


def test_non_python_runtime_is_stored_but_explains_it_cannot_run(lam, role):
    create(lam, role, runtime="nodejs22.x")
    r = lam.invoke("hello")
    assert r.function_error == "Unhandled" and r.payload["errorType"] == "awskit.RuntimeNotSimulated"


def test_missing_handler_module_is_an_import_error(lam, role):
    lam.create_function("f", "nothere.handler", role=role, runtime="python3.12", code=HELLO)
    assert lam.invoke("f").payload["errorType"] == "Runtime.ImportModuleError"


def test_missing_handler_function_is_reported(lam, role):
    lam.create_function("f", "lambda_function.nope", role=role, runtime="python3.12", code=HELLO)
    assert lam.invoke("f").payload["errorType"] == "Runtime.HandlerNotFound"


def test_handler_modules_do_not_leak_into_sys_modules(lam, role):
    import sys

    create(lam, role)
    lam.invoke("hello")
    assert "lambda_function" not in sys.modules


def test_update_configuration_is_in_progress_then_successful(cloud, lam, role):
    create(lam, role)
    v = lam.update_function_configuration("hello", memory_size=512, wait=False)
    assert v.last_update_status is LastUpdateStatus.IN_PROGRESS
    cloud.clock.advance(2)
    assert v.last_update_status is LastUpdateStatus.SUCCESSFUL and v.memory_size == 512


def test_second_update_while_one_is_in_progress_is_a_conflict(lam, role):
    create(lam, role)
    lam.update_function_configuration("hello", timeout=10, wait=False)
    with pytest.raises(Exception) as err:
        lam.update_function_configuration("hello", timeout=20, wait=False)
    assert err.value.code == "ResourceConflictException"


def test_update_code_changes_what_runs(lam, role):
    create(lam, role)
    lam.update_function_code("hello", make_zip({"lambda_function.py": "def lambda_handler(e, c):\n    return 2\n"}))
    assert lam.invoke("hello").payload == 2


def test_delete_function_then_it_is_not_found(lam, role):
    create(lam, role)
    lam.delete_function("hello")
    with pytest.raises(Exception) as err:
        lam.get_function("hello")
    assert err.value.code == "ResourceNotFoundException"


def test_list_functions_is_sorted_by_name(lam, role):
    create(lam, role, name="b")
    create(lam, role, name="a")
    assert [v.name for v in lam.list_functions()] == ["a", "b"]


# -- versions and aliases ------------------------------------------------------------------

def test_published_version_is_an_immutable_snapshot(lam, role):
    create(lam, role)
    v1 = lam.publish_version("hello")
    lam.update_function_configuration("hello", memory_size=256)
    assert (v1.version, v1.memory_size, lam.get_function("hello").latest.memory_size) == ("1", 128, 256)


def test_publishing_unchanged_code_returns_the_same_version(lam, role):
    create(lam, role)
    assert lam.publish_version("hello") is lam.publish_version("hello")


def test_invoke_with_version_qualifier_runs_that_version(lam, role):
    create(lam, role)
    lam.publish_version("hello")
    lam.update_function_code("hello", make_zip({"lambda_function.py": "def lambda_handler(e, c):\n    return 'v2'\n"}))
    assert lam.invoke("hello", qualifier="1").payload == {"hello": None}
    assert lam.invoke("hello:$LATEST").payload == "v2"


def test_alias_to_missing_version_is_not_found(lam, role):
    create(lam, role)
    with pytest.raises(Exception) as err:
        lam.create_alias("hello", "prod", "7")
    assert err.value.code == "ResourceNotFoundException"


def test_alias_with_digits_only_name_is_rejected(lam, role):
    create(lam, role)
    lam.publish_version("hello")
    with pytest.raises(Exception) as err:
        lam.create_alias("hello", "123", "1")
    assert err.value.code == "ValidationException"


def test_weighted_alias_splits_traffic_deterministically(cloud, lam, role):
    create(lam, role)
    lam.publish_version("hello")
    lam.update_function_code("hello", make_zip({"lambda_function.py": "def lambda_handler(e, c):\n    return 2\n"}))
    lam.publish_version("hello")
    lam.create_alias("hello", "live", "1", routing={"2": 0.25})
    versions = [lam.invoke("hello", qualifier="live").executed_version for _ in range(200)]
    assert 30 <= versions.count("2") <= 70 and set(versions) == {"1", "2"}


def test_routing_to_latest_is_rejected(lam, role):
    create(lam, role)
    lam.publish_version("hello")
    with pytest.raises(Exception) as err:
        lam.create_alias("hello", "live", "1", routing={"$LATEST": 0.5})
    assert err.value.code == "InvalidParameterValueException"


def test_version_used_by_an_alias_cannot_be_deleted(lam, role):
    create(lam, role)
    lam.publish_version("hello")
    lam.create_alias("hello", "prod", "1")
    with pytest.raises(Exception) as err:
        lam.delete_function("hello", qualifier="1")
    assert err.value.code == "ResourceConflictException"


# -- layers -----------------------------------------------------------------------------------

def test_handler_imports_a_module_from_a_layer(lam, role):
    lv = lam.publish_layer_version("greet", make_zip({"python/greet.py": "def hi(n):\n    return 'hi ' + n\n"}))
    code = make_zip({"app.py": "import greet\ndef handler(e, c):\n    return greet.hi(e['n'])\n"})
    lam.create_function("f", "app.handler", role=role, runtime="python3.12", code=code, layers=[lv.arn])
    assert lam.invoke("f", {"n": "ada"}).payload == "hi ada"


def test_more_than_five_layers_are_refused(lam, role):
    arns = [lam.publish_layer_version(f"l{i}", make_zip({"python/m.py": ""})).arn for i in range(6)]
    with pytest.raises(Exception) as err:
        create(lam, role, layers=arns)
    assert err.value.code == "InvalidParameterValueException"


def test_unknown_layer_is_refused(cloud, lam, role):
    with pytest.raises(Exception) as err:
        create(lam, role, layers=[f"arn:aws:lambda:us-east-1:{cloud.account_id}:layer:nope:1"])
    assert err.value.code == "InvalidParameterValueException"


def test_layer_versions_are_numbered(lam):
    lam.publish_layer_version("lib", make_zip({"python/a.py": ""}))
    assert lam.publish_layer_version("lib", make_zip({"python/a.py": "x = 1"})).version == 2


# -- permissions and concurrency settings -----------------------------------------------------------

def test_duplicate_statement_id_is_a_conflict(lam, role):
    create(lam, role)
    lam.add_permission("hello", "s3", "lambda:InvokeFunction", "s3.amazonaws.com")
    with pytest.raises(Exception) as err:
        lam.add_permission("hello", "s3", "lambda:InvokeFunction", "s3.amazonaws.com")
    assert err.value.code == "ResourceConflictException"


def test_get_policy_without_statements_is_not_found(lam, role):
    create(lam, role)
    with pytest.raises(Exception) as err:
        lam.get_policy("hello")
    assert err.value.code == "ResourceNotFoundException"


def test_permission_is_checked_with_source_arn(lam, role):
    create(lam, role)
    lam.add_permission("hello", "s3", "lambda:InvokeFunction", "s3.amazonaws.com", source_arn="arn:aws:s3:::photos")
    assert lam.allows("hello", "s3.amazonaws.com", source_arn="arn:aws:s3:::photos")
    assert not lam.allows("hello", "s3.amazonaws.com", source_arn="arn:aws:s3:::other")


def test_remove_permission_of_unknown_statement_is_not_found(lam, role):
    create(lam, role)
    with pytest.raises(Exception) as err:
        lam.remove_permission("hello", "nope")
    assert err.value.code == "ResourceNotFoundException"


def test_reserved_concurrency_must_leave_100_unreserved(lam, role):
    create(lam, role)
    with pytest.raises(Exception) as err:
        lam.put_function_concurrency("hello", 901)
    assert err.value.code == "InvalidParameterValueException"


def test_account_settings_show_unreserved_pool(lam, role):
    create(lam, role)
    lam.put_function_concurrency("hello", 200)
    assert lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == 800


def test_layer_compatible_runtimes_must_be_a_list(lam):
    with pytest.raises(Exception) as err:
        lam.publish_layer_version("lib", make_zip({"python/a.py": ""}), compatible_runtimes=7)
    assert err.value.code == "ValidationException"


def test_layer_version_number_must_be_a_whole_number(lam):
    lam.publish_layer_version("lib", make_zip({"python/a.py": ""}))
    with pytest.raises(Exception) as err:
        lam.delete_layer_version("lib", "1")
    assert err.value.code == "ValidationException"
    assert [lv.version for lv in lam.list_layer_versions("lib")] == [1]


def test_layer_name_that_is_not_a_string_is_a_validation_error(lam):
    with pytest.raises(Exception) as err:
        lam.get_layer_version(["lib"], 1)
    assert err.value.code == "ValidationException"


def test_layer_versions_can_be_listed_by_layer_arn(lam):
    lv = lam.publish_layer_version("lib", make_zip({"python/a.py": ""}))
    assert lam.list_layer_versions(lv.layer.arn) == [lv]
