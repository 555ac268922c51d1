"""What triggers Lambda functions: subscriptions, S3 notifications, DynamoDB streams, schedules, URLs."""

import pytest


@pytest.fixture
def lam(cloud):
    return cloud.awslambda


def test_subscribe_turns_bus_messages_into_async_invocations(cloud, lam):
    seen = []
    lam.create_function("f", handler=lambda e, c: seen.append(e))
    lam.subscribe("f", "orders.placed", lambda m: {"order": m["id"]})
    cloud.events.publish("orders.placed", id=42)
    assert seen == []
    cloud.clock.advance(1)
    assert seen == [{"order": 42}]


def test_closed_trigger_stops_invoking(cloud, lam):
    seen = []
    lam.create_function("f", handler=lambda e, c: seen.append(e))
    lam.subscribe("f", "orders.placed").close()
    cloud.events.publish("orders.placed", id=1)
    cloud.clock.advance(1)
    assert seen == []


def _s3_setup(cloud, lam, allow=True):
    seen = []
    fn = lam.create_function("thumb", handler=lambda e, c: seen.append(e))
    if allow:
        lam.add_permission("thumb", "s3", "lambda:InvokeFunction", "s3.amazonaws.com",
                           source_arn="arn:aws:s3:::photos-awskit", source_account=cloud.account_id)
    cloud.s3.create_bucket("photos-awskit")
    cloud.s3.put_bucket_notification_configuration("photos-awskit", {"LambdaFunctionConfigurations": [
        {"LambdaFunctionArn": fn.arn, "Events": ["s3:ObjectCreated:*"]}]})
    return seen


def test_s3_upload_invokes_the_function_with_an_s3_event(cloud, lam):
    seen = _s3_setup(cloud, lam)
    cloud.s3.put_object("photos-awskit", "cat.jpg", b"meow")
    cloud.clock.advance(1)
    record = seen[0]["Records"][0]
    assert record["eventSource"] == "aws:s3" and record["s3"]["object"]["key"] == "cat.jpg"


def test_s3_cannot_invoke_without_a_resource_policy(cloud, lam):
    seen = _s3_setup(cloud, lam, allow=False)
    cloud.s3.put_object("photos-awskit", "cat.jpg", b"meow")
    cloud.clock.advance(1)
    assert seen == []


def _table(cloud):
    t = cloud.dynamodb.create_table("orders", partition_key="id", stream_view_type="NEW_IMAGE")
    cloud.clock.advance(10)
    return t


def test_dynamodb_stream_records_arrive_in_batches(cloud, lam):
    batches = []
    lam.create_function("f", handler=lambda e, c: batches.append(len(e["Records"])))
    t = _table(cloud)
    m = lam.create_event_source_mapping("f", t.stream_arn, starting_position="LATEST", batch_size=2)
    cloud.clock.advance(10)
    assert m.state == "Enabled"
    for i in range(5):
        t.put({"id": str(i)})
    cloud.clock.advance(5)
    assert batches == [2, 2, 1] and m.delivered == 5


def test_trim_horizon_delivers_records_written_before_the_mapping(cloud, lam):
    batches = []
    lam.create_function("f", handler=lambda e, c: batches.append([r["eventName"] for r in e["Records"]]))
    t = _table(cloud)
    t.put({"id": "a"})
    lam.create_event_source_mapping("f", t.stream_arn, starting_position="TRIM_HORIZON")
    cloud.clock.advance(10)
    assert batches == [["INSERT"]]


def test_failing_batch_is_retried_until_it_succeeds(cloud, lam):
    calls = []

    def flaky(event, context):
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("try again")
    lam.create_function("f", handler=flaky)
    t = _table(cloud)
    m = lam.create_event_source_mapping("f", t.stream_arn, starting_position="LATEST")
    cloud.clock.advance(10)
    t.put({"id": "x"})
    cloud.clock.advance(30)
    assert len(calls) == 3 and m.last_result == "OK" and m.buffer == []


def test_mapping_needs_an_existing_stream(cloud, lam):
    lam.create_function("f", handler=lambda e, c: None)
    arn = f"arn:aws:dynamodb:us-east-1:{cloud.account_id}:table/none/stream/2026-01-01T00:00:00.000"
    with pytest.raises(Exception) as err:
        lam.create_event_source_mapping("f", arn, starting_position="LATEST")
    assert err.value.code == "InvalidParameterValueException"


def test_mapping_needs_a_starting_position(cloud, lam):
    lam.create_function("f", handler=lambda e, c: None)
    t = _table(cloud)
    with pytest.raises(Exception) as err:
        lam.create_event_source_mapping("f", t.stream_arn)
    assert err.value.code == "InvalidParameterValueException"


def test_rate_schedule_runs_on_the_clock(cloud, lam):
    lam.create_function("tick", handler=lambda e, c: e["source"])
    s = lam.schedule_function("tick", "rate(10 minutes)")
    cloud.clock.advance(minutes=35)
    assert s.runs == 3 and lam.history[-1].payload == "aws.events"


def test_cron_schedule_fires_at_the_given_time(cloud, lam):
    lam.create_function("daily", handler=lambda e, c: None)
    s = lam.schedule_function("daily", "cron(30 9 * * ? *)")   # the clock starts at 09:00 UTC
    cloud.clock.advance(minutes=29)
    assert s.runs == 0
    cloud.clock.advance(minutes=2)
    assert s.runs == 1


@pytest.mark.parametrize("expr", ["rate(1 minutes)", "rate(5 minute)", "cron(0 12 * * * *)", "every 5 minutes"])
def test_bad_schedule_expression_is_rejected(lam, expr):
    lam.create_function("f", handler=lambda e, c: None)
    with pytest.raises(Exception) as err:
        lam.schedule_function("f", expr)
    assert err.value.code == "ValidationException"


def test_function_url_passes_an_http_event_and_returns_the_response(lam):
    def api(event, context):
        return {"statusCode": 201, "headers": {"X-Path": event["rawPath"]}, "body": event["body"]}
    lam.create_function("api", handler=api)
    url = lam.create_function_url_config("api", "NONE").url
    lam.add_permission("api", "url", "lambda:InvokeFunctionUrl", "*", function_url_auth_type="NONE")
    r = lam.http_request(url, "POST", "/items", "hello")
    assert (r.status, r.headers["x-path"], r.body) == (201, "/items", "hello")


def test_public_url_without_permission_is_forbidden(lam):
    lam.create_function("api", handler=lambda e, c: "ok")
    url = lam.create_function_url_config("api", "NONE").url
    assert lam.http_request(url).status == 403


def test_url_handler_returning_plain_json_gets_status_200(lam):
    lam.create_function("api", handler=lambda e, c: {"ok": True})
    url = lam.create_function_url_config("api", "AWS_IAM").url
    r = lam.http_request(url)
    assert (r.status, r.body) == (200, '{"ok": true}')


def test_failing_url_handler_is_a_502(lam):
    def broken(event, context):
        raise KeyError("x")
    lam.create_function("api", handler=broken)
    url = lam.create_function_url_config("api", "AWS_IAM").url
    assert lam.http_request(url).status == 502


def test_second_url_for_the_same_function_is_a_conflict(lam):
    lam.create_function("api", handler=lambda e, c: 1)
    lam.create_function_url_config("api", "NONE")
    with pytest.raises(Exception) as err:
        lam.create_function_url_config("api", "NONE")
    assert err.value.code == "ResourceConflictException"


def test_deleting_a_function_stops_its_schedule(cloud, lam):
    lam.create_function("tick", handler=lambda e, c: None)
    s = lam.schedule_function("tick", "rate(1 minute)")
    lam.delete_function("tick")
    cloud.clock.advance(minutes=5)
    assert s.runs == 0


def test_mapping_uuid_that_is_not_a_string_is_a_validation_error(lam):
    with pytest.raises(Exception) as err:
        lam.get_event_source_mapping({"UUID": "x"})
    assert err.value.code == "ValidationException"


def test_mapping_can_be_deleted_by_object(cloud, lam):
    lam.create_function("f", handler=lambda e, c: None)
    m = lam.create_event_source_mapping("f", _table(cloud).stream_arn, starting_position="LATEST")
    lam.delete_event_source_mapping(m)
    assert lam.list_event_source_mappings() == []


def test_mapping_enabled_flag_must_be_a_bool(cloud, lam):
    lam.create_function("f", handler=lambda e, c: None)
    m = lam.create_event_source_mapping("f", _table(cloud).stream_arn, starting_position="LATEST")
    cloud.clock.advance(10)
    with pytest.raises(Exception) as err:
        lam.update_event_source_mapping(m.uuid, enabled="yes")
    assert err.value.code == "ValidationException" and m.state == "Enabled"
