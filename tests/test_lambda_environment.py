"""Lambda environment variables: what a handler reads from os.environ, and what it leaves behind."""

import io
import json
import os
import zipfile

import pytest

from awskit.awslambda import sleep

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
RUNTIME_KEYS = ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
                "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
                "_HANDLER", "TZ")


def make_zip(source: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("app.py", source)
    return buf.getvalue()


def read_env(event, context):
    """Return the variables the event names, as the handler sees them."""
    return {key: os.environ.get(key) for key in event["keys"]}


@pytest.fixture
def lam(cloud):
    return cloud.awslambda


# -- what the handler sees --------------------------------------------------------------------

def test_handler_reads_its_variables_from_os_environ(lam):
    lam.create_function("orders", handler=read_env, environment={"TABLE_NAME": "orders", "STAGE": "prod"})
    payload = lam.invoke("orders", {"keys": ["TABLE_NAME", "STAGE"]}).payload
    assert payload == {"TABLE_NAME": "orders", "STAGE": "prod"}


def test_zip_module_level_code_reads_its_variables_during_init(lam, cloud):
    code = make_zip("import os\nTABLE = os.environ['TABLE_NAME']\n"
                    "def handler(event, context):\n    return TABLE\n")
    role = cloud.iam.create_role("exec", TRUST)
    lam.create_function("z", "app.handler", runtime="python3.13", role=role, code=code,
                        environment={"TABLE_NAME": "orders"})
    r = lam.invoke("z")
    assert (r.function_error, r.payload) == (None, "orders")


def test_handler_sees_the_variables_lambda_defines(lam, cloud):
    fn = lam.create_function("who", handler=read_env, memory_size=512)
    env = lam.invoke("who", {"keys": list(RUNTIME_KEYS)}).payload
    assert env == {
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": "who", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/who", "AWS_LAMBDA_LOG_STREAM_NAME": fn.environments[0].log_stream,
        "LAMBDA_TASK_ROOT": "/var/task", "LAMBDA_RUNTIME_DIR": "/var/runtime", "_HANDLER": fn.latest.handler,
        "TZ": ":UTC"}


def test_region_variables_follow_the_functions_region(cloud):
    lam = cloud.region("eu-west-1").awslambda
    lam.create_function("where", handler=read_env)
    env = lam.invoke("where", {"keys": ["AWS_REGION", "AWS_DEFAULT_REGION"]}).payload
    assert env == {"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1"}


def test_context_agrees_with_the_runtime_variables(lam):
    def compare(event, context):
        return {"name": context.function_name == os.environ["AWS_LAMBDA_FUNCTION_NAME"],
                "version": context.function_version == os.environ["AWS_LAMBDA_FUNCTION_VERSION"],
                "memory": context.memory_limit_in_mb == os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"],
                "group": context.log_group_name == os.environ["AWS_LAMBDA_LOG_GROUP_NAME"],
                "stream": context.log_stream_name == os.environ["AWS_LAMBDA_LOG_STREAM_NAME"],
                "arn": context.invoked_function_arn.split(":")[3:7:3] == [os.environ["AWS_REGION"],
                                                                         os.environ["AWS_LAMBDA_FUNCTION_NAME"]],
                "time": 0 < context.get_remaining_time_in_millis() <= 3000}
    lam.create_function("ctx", handler=compare, memory_size=256)
    lam.publish_version("ctx")
    lam.create_alias("ctx", "live", "1")
    for target in ("ctx", "ctx:live"):
        assert all(lam.invoke(target).payload.values()), target


def test_context_memory_limit_is_a_string_as_in_the_python_runtime(lam):
    lam.create_function("mem", handler=lambda event, context: context.memory_limit_in_mb, memory_size=1024)
    assert lam.invoke("mem").payload == "1024"


def test_alias_invocation_sees_the_version_it_runs(lam):
    lam.create_function("rel", handler=read_env, environment={"STAGE": "one"})
    lam.publish_version("rel")
    lam.update_function_configuration("rel", environment={"STAGE": "two"})
    lam.create_alias("rel", "live", "1")
    keys = {"keys": ["STAGE", "AWS_LAMBDA_FUNCTION_VERSION"]}
    assert lam.invoke("rel:live", keys).payload == {"STAGE": "one", "AWS_LAMBDA_FUNCTION_VERSION": "1"}
    assert lam.invoke("rel", keys).payload == {"STAGE": "two", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST"}


def test_update_function_configuration_changes_what_the_next_call_sees(lam):
    lam.create_function("cfg", handler=read_env, environment={"LEVEL": "info"})
    lam.invoke("cfg", {"keys": ["LEVEL"]})
    lam.update_function_configuration("cfg", environment={"LEVEL": "debug"})
    assert lam.invoke("cfg", {"keys": ["LEVEL"]}).payload == {"LEVEL": "debug"}


def test_two_functions_each_see_their_own_values(lam):
    lam.create_function("test-db", handler=read_env, environment={"DB_HOST": "test.internal"})
    lam.create_function("prod-db", handler=read_env, environment={"DB_HOST": "prod.internal"})
    keys = {"keys": ["DB_HOST", "AWS_LAMBDA_FUNCTION_NAME"]}
    assert lam.invoke("test-db", keys).payload == {"DB_HOST": "test.internal", "AWS_LAMBDA_FUNCTION_NAME": "test-db"}
    assert lam.invoke("prod-db", keys).payload == {"DB_HOST": "prod.internal", "AWS_LAMBDA_FUNCTION_NAME": "prod-db"}


def test_a_variable_one_function_sets_is_absent_in_another(lam):
    lam.create_function("with", handler=read_env, environment={"ONLY_HERE": "1"})
    lam.create_function("without", handler=read_env)
    lam.invoke("with", {"keys": ["ONLY_HERE"]})
    assert lam.invoke("without", {"keys": ["ONLY_HERE"]}).payload == {"ONLY_HERE": None}


def test_function_may_set_its_own_time_zone(lam):
    lam.create_function("tokyo", handler=read_env, environment={"TZ": "Asia/Tokyo"})
    assert lam.invoke("tokyo", {"keys": ["TZ"]}).payload == {"TZ": "Asia/Tokyo"}


def test_nested_call_gives_the_caller_its_own_environment_back(lam):
    lam.create_function("inner", handler=read_env, environment={"ROLE": "inner"})

    def outer(event, context):
        lam.invoke("inner", {"keys": ["ROLE"]})
        return [os.environ["ROLE"], os.environ["AWS_LAMBDA_FUNCTION_NAME"]]

    lam.create_function("outer", handler=outer, environment={"ROLE": "outer"})
    assert lam.invoke("outer").payload == ["outer", "outer"]


def test_asynchronous_invocation_sees_the_variables_too(cloud, lam):
    seen = []
    lam.create_function("queued", handler=lambda event, context: seen.append(os.environ.get("TABLE_NAME")),
                        environment={"TABLE_NAME": "orders"})
    lam.invoke("queued", invocation_type="Event")
    cloud.clock.advance(seconds=1)
    assert seen == ["orders"] and "TABLE_NAME" not in os.environ

# -- what the handler leaves behind -------------------------------------------------------------

def test_os_environ_is_unchanged_after_an_invocation(lam):
    environ_before = dict(os.environ)
    lam.create_function("clean", handler=read_env, environment={"TABLE_NAME": "orders"})
    lam.invoke("clean", {"keys": ["TABLE_NAME"]})
    assert dict(os.environ) == environ_before


def test_os_environ_is_restored_after_the_handler_raises(lam):
    environ_before = dict(os.environ)
    def fail(event, context):
        raise RuntimeError(os.environ["TABLE_NAME"])
    lam.create_function("fail", handler=fail, environment={"TABLE_NAME": "orders"})
    r = lam.invoke("fail")
    assert r.payload["errorMessage"] == "orders" and dict(os.environ) == environ_before


def test_os_environ_is_restored_after_a_timeout(lam):
    environ_before = dict(os.environ)
    lam.create_function("slow", handler=lambda event, context: sleep(5000), timeout=1,
                        environment={"TABLE_NAME": "orders"})
    r = lam.invoke("slow")
    assert r.payload["errorType"] == "Sandbox.Timedout" and dict(os.environ) == environ_before


def test_os_environ_is_restored_after_the_module_fails_to_load(lam, cloud):
    environ_before = dict(os.environ)
    code = make_zip("import os\nos.environ['HALF_DONE'] = '1'\nraise ValueError(os.environ['TABLE_NAME'])\n"
                    "def handler(event, context):\n    return 1\n")
    lam.create_function("broken", "app.handler", runtime="python3.13", role=cloud.iam.create_role("exec", TRUST),
                        code=code, environment={"TABLE_NAME": "orders"})
    r = lam.invoke("broken")
    assert r.payload["errorMessage"] == "orders" and dict(os.environ) == environ_before


def test_throttled_call_leaves_os_environ_unchanged(lam):
    environ_before = dict(os.environ)
    lam.create_function("stopped", handler=read_env, environment={"TABLE_NAME": "orders"})
    lam.put_function_concurrency("stopped", 0)
    with pytest.raises(Exception) as err:
        lam.invoke("stopped", {"keys": []})
    assert err.value.code == "TooManyRequestsException" and dict(os.environ) == environ_before


def test_pre_existing_variable_is_shadowed_then_restored(lam, monkeypatch):
    monkeypatch.setenv("STAGE", "notebook")
    lam.create_function("staged", handler=read_env, environment={"STAGE": "prod"})
    assert lam.invoke("staged", {"keys": ["STAGE"]}).payload == {"STAGE": "prod"}
    assert os.environ["STAGE"] == "notebook"


def test_handler_edits_to_os_environ_do_not_leak(lam, monkeypatch):
    monkeypatch.setenv("KEEP_ME", "yes")
    before = dict(os.environ)

    def meddle(event, context):
        os.environ["NEW_ONE"] = "x"
        os.environ["KEEP_ME"] = "changed"
        del os.environ["TABLE_NAME"]
    lam.create_function("meddle", handler=meddle, environment={"TABLE_NAME": "orders"})
    lam.invoke("meddle")
    assert dict(os.environ) == before


def test_restore_works_without_cpythons_raw_environment_table(lam, monkeypatch):
    from awskit.awslambda import runtime

    monkeypatch.setattr(runtime, "_environ_snapshot", lambda: (dict(os.environ), False))
    monkeypatch.setenv("KEEP_ME", "yes")
    before = dict(os.environ)

    def meddle(event, context):
        os.environ["NEW_ONE"] = "x"
        os.environ["KEEP_ME"] = "changed"
        return os.environ["TABLE_NAME"]
    lam.create_function("meddle", handler=meddle, environment={"TABLE_NAME": "orders"})
    assert lam.invoke("meddle").payload == "orders" and dict(os.environ) == before


# -- what Lambda refuses ---------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "LAMBDA_TASK_ROOT",
                                 "AWS_ACCESS_KEY_ID"])
def test_reserved_key_is_refused_at_create(lam, key):
    with pytest.raises(Exception) as err:
        lam.create_function("r", handler=read_env, environment={key: "mine"})
    assert err.value.code == "InvalidParameterValueException" and "r" not in lam.functions


def test_reserved_key_is_refused_at_update_and_the_old_variables_stay(lam):
    lam.create_function("u", handler=read_env, environment={"STAGE": "prod"})
    with pytest.raises(Exception) as err:
        lam.update_function_configuration("u", environment={"STAGE": "dev", "AWS_REGION": "eu-west-1"})
    assert err.value.code == "InvalidParameterValueException"
    assert lam.function("u").latest.environment == {"STAGE": "prod"}


def test_every_variable_lambda_sets_except_tz_is_refused(lam):
    for key in RUNTIME_KEYS:
        if key == "TZ" or key.startswith("_"):
            continue
        with pytest.raises(Exception) as err:
            lam.create_function("r", handler=read_env, environment={key: "x"})
        assert err.value.code == "InvalidParameterValueException", key


def test_underscore_keys_fail_the_key_pattern_before_the_reserved_check(lam):
    # _HANDLER is reserved, but the API's key pattern [a-zA-Z]([a-zA-Z0-9_])+ refuses it first
    with pytest.raises(Exception) as err:
        lam.create_function("r", handler=read_env, environment={"_HANDLER": "x"})
    assert err.value.code == "ValidationException"


def test_single_character_key_is_a_validation_error(lam):
    with pytest.raises(Exception) as err:
        lam.create_function("k", handler=read_env, environment={"A": "1"})
    assert err.value.code == "ValidationException"


def test_key_starting_with_a_digit_is_a_validation_error(lam):
    with pytest.raises(Exception) as err:
        lam.create_function("k", handler=read_env, environment={"1ST": "1"})
    assert err.value.code == "ValidationException"


def test_variables_over_4kb_together_are_refused(lam):
    many = {f"KEY_{i:03d}": "v" * 40 for i in range(100)}      # each fine, together about 5 KB
    with pytest.raises(Exception) as err:
        lam.create_function("big", handler=read_env, environment=many)
    assert err.value.code == "InvalidParameterValueException"


# -- through the boto3-shaped client -------------------------------------------------------------

@pytest.fixture
def client(cloud):
    return cloud.client("lambda")


def test_client_environment_reaches_the_zip_handler(cloud, client):
    role = cloud.iam.create_role("exec", TRUST)
    code = make_zip("import os\ndef handler(event, context):\n    return os.environ['TABLE_NAME']\n")
    client.create_function(FunctionName="c", Runtime="python3.13", Role=role.arn, Handler="app.handler",
                           Code={"ZipFile": code}, Environment={"Variables": {"TABLE_NAME": "orders"}})
    client.get_waiter("function_active").wait(FunctionName="c")
    assert json.loads(client.invoke(FunctionName="c")["Payload"].read()) == "orders"


def test_client_refuses_a_reserved_key_with_the_modeled_exception(cloud, client):
    role = cloud.iam.create_role("exec", TRUST)
    with pytest.raises(client.exceptions.InvalidParameterValueException) as err:
        client.create_function(FunctionName="c", Runtime="python3.13", Role=role.arn, Handler="app.handler",
                               Code={"ZipFile": make_zip("def handler(e, c):\n    return 1\n")},
                               Environment={"Variables": {"AWS_REGION": "eu-west-1"}})
    assert err.value.response["Error"]["Code"] == "InvalidParameterValueException"

