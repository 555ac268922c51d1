"""CloudWatch Logs: groups, streams, events, filter patterns, retention."""

import pytest

from awskit.cloudwatch.logs import compile_filter
from awskit.core.errors import AWSError

GROUP, STREAM = "/aws/lambda/hello", "2026/01/05/[$LATEST]abc"


@pytest.fixture
def logs(cloud):
    client = cloud.client("logs")
    client.create_log_group(logGroupName=GROUP)
    client.create_log_stream(logGroupName=GROUP, logStreamName=STREAM)
    return client


def _put(logs, cloud, *messages, offset_ms=0):
    t = cloud.logs.now_ms() + offset_ms
    return logs.put_log_events(logGroupName=GROUP, logStreamName=STREAM,
                               logEvents=[{"timestamp": t + i, "message": m} for i, m in enumerate(messages)])


def _code(call, **kw):
    with pytest.raises(AWSError) as err:
        call(**kw)
    return err.value.code


def test_duplicate_group_is_resource_already_exists(logs):
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=GROUP)


def test_duplicate_stream_is_resource_already_exists(logs):
    assert _code(logs.create_log_stream, logGroupName=GROUP, logStreamName=STREAM) == "ResourceAlreadyExistsException"


def test_stream_in_missing_group_is_resource_not_found(logs):
    assert _code(logs.create_log_stream, logGroupName="/nope", logStreamName="s") == "ResourceNotFoundException"


def test_put_to_missing_stream_is_resource_not_found(logs, cloud):
    assert _code(logs.put_log_events, logGroupName=GROUP, logStreamName="nope",
                 logEvents=[{"timestamp": cloud.logs.now_ms(), "message": "x"}]) == "ResourceNotFoundException"


def test_invalid_group_name_is_rejected(logs):
    assert _code(logs.create_log_group, logGroupName="bad name!") == "InvalidParameterException"


def test_put_then_get_returns_events_in_order(logs, cloud):
    _put(logs, cloud, "START", "hello", "END")
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM)["events"]
    assert [e["message"] for e in events] == ["START", "hello", "END"]


def test_events_out_of_order_in_a_batch_are_rejected(logs, cloud):
    t = cloud.logs.now_ms()
    assert _code(logs.put_log_events, logGroupName=GROUP, logStreamName=STREAM,
                 logEvents=[{"timestamp": t, "message": "b"}, {"timestamp": t - 5, "message": "a"}]) == "InvalidParameterException"


def test_batch_spanning_more_than_a_day_is_rejected(logs, cloud):
    t = cloud.logs.now_ms()
    assert _code(logs.put_log_events, logGroupName=GROUP, logStreamName=STREAM,
                 logEvents=[{"timestamp": t - 25 * 3_600_000, "message": "a"},
                            {"timestamp": t, "message": "b"}]) == "InvalidParameterException"


def test_sequence_token_is_ignored(logs, cloud):
    t = cloud.logs.now_ms()
    logs.put_log_events(logGroupName=GROUP, logStreamName=STREAM, sequenceToken="stale",
                        logEvents=[{"timestamp": t, "message": "a"}])
    logs.put_log_events(logGroupName=GROUP, logStreamName=STREAM, sequenceToken="stale",
                        logEvents=[{"timestamp": t, "message": "b"}])
    assert len(logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM)["events"]) == 2


def test_events_older_than_two_weeks_are_reported_rejected(logs, cloud):
    resp = _put(logs, cloud, "ancient", offset_ms=-15 * 86_400_000)
    assert resp["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1}


def test_get_log_events_pages_forward_from_head(logs, cloud):
    _put(logs, cloud, *[f"line {i}" for i in range(5)])
    first = logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM, startFromHead=True, limit=2)
    second = logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM, nextToken=first["nextForwardToken"], limit=2)
    assert [e["message"] for e in second["events"]] == ["line 2", "line 3"]


def test_get_log_events_without_head_gives_the_latest(logs, cloud):
    _put(logs, cloud, *[f"line {i}" for i in range(5)])
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM, limit=2)["events"]
    assert [e["message"] for e in events] == ["line 3", "line 4"]


def test_filter_log_events_matches_terms_across_streams(logs, cloud):
    logs.create_log_stream(logGroupName=GROUP, logStreamName="other")
    _put(logs, cloud, "ERROR disk full", "INFO fine")
    logs.put_log_events(logGroupName=GROUP, logStreamName="other",
                        logEvents=[{"timestamp": cloud.logs.now_ms(), "message": "ERROR timeout"}])
    found = logs.filter_log_events(logGroupName=GROUP, filterPattern="ERROR")["events"]
    assert sorted((e["logStreamName"], e["message"]) for e in found) == [(STREAM, "ERROR disk full"),
                                                                         ("other", "ERROR timeout")]


@pytest.mark.parametrize("pattern,message,hit", [
    ("ERROR", "an ERROR here", True),
    ("ERROR", "an error here", False),  # case-sensitive
    ("ERROR disk", "ERROR net", False),  # every term must appear
    ('"timed out"', "Task timed out", True),
    ('"timed out"', "timed and out", False),
    ("?ERROR ?WARN", "WARN low memory", True),
    ("?ERROR ?WARN", "INFO", False),
    ("ERROR -retry", "ERROR will retry", False),
    ("", "anything", True),
])
def test_filter_pattern_semantics(pattern, message, hit):
    assert compile_filter(pattern)(message) is hit


def test_json_filter_patterns_are_not_modelled(logs):
    assert _code(logs.filter_log_events, logGroupName=GROUP, filterPattern='{ $.level = "error" }') == "InvalidParameterException"


def test_retention_must_be_an_allowed_value(logs):
    assert _code(logs.put_retention_policy, logGroupName=GROUP, retentionInDays=8) == "InvalidParameterException"


def test_retention_appears_in_describe_log_groups(logs):
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=7)
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda")["logGroups"][0]["retentionInDays"] == 7


def test_events_past_retention_are_no_longer_returned(logs, cloud):
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=1)
    _put(logs, cloud, "old news")
    cloud.clock.advance(days=2)
    assert logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM)["events"] == []


def test_delete_missing_group_is_resource_not_found(logs):
    assert _code(logs.delete_log_group, logGroupName="/nope") == "ResourceNotFoundException"


def test_write_helper_creates_group_and_stream(cloud):
    cloud.logs.write("/aws/lambda/new", "s1", "hello")
    events = cloud.client("logs").get_log_events(logGroupName="/aws/lambda/new", logStreamName="s1")["events"]
    assert [e["message"] for e in events] == ["hello"]


def test_describe_log_streams_reports_event_times(logs, cloud):
    _put(logs, cloud, "a", "b")
    (stream,) = logs.describe_log_streams(logGroupName=GROUP)["logStreams"]
    assert stream["lastEventTimestamp"] - stream["firstEventTimestamp"] == 1


def test_ingestion_is_billed_per_gb(cloud):
    for _ in range(16):
        cloud.logs.write("/aws/lambda/big", "s", "x" * 1024 * 1024)  # 16 MiB in all
    assert cloud.bill.by_service()["logs"] == pytest.approx(16 / 1024 * 0.50)
