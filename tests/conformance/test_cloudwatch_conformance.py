"""CloudWatch and CloudWatch Logs: the same boto3 calls against moto and awskit."""

import datetime as dt

import pytest

from awskit.core.clock import EPOCH

from .conftest import error_code, keys, moto_differs


@pytest.fixture
def now(backend):
    """'Now' for the backend: a fresh awskit cloud starts at EPOCH; moto runs on wall time."""
    if backend == "awskit":
        return EPOCH
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


DIMS = [{"Name": "Service", "Value": "api"}]


def _put(cw, now, values=(1, 2, 3, 4, 5)):
    cw.put_metric_data(Namespace="App", MetricData=[
        {"MetricName": "Latency", "Dimensions": DIMS, "Value": v, "Unit": "Milliseconds",
         "Timestamp": now - dt.timedelta(minutes=i + 1)} for i, v in enumerate(values)])


def test_put_then_statistics_per_minute(client, now):
    cw = client("cloudwatch")
    _put(cw, now)
    resp = cw.get_metric_statistics(Namespace="App", MetricName="Latency", Dimensions=DIMS,
                                    StartTime=now - dt.timedelta(minutes=10), EndTime=now, Period=60,
                                    Statistics=["Sum", "Average", "SampleCount", "Minimum", "Maximum"])
    points = sorted(resp["Datapoints"], key=lambda p: p["Timestamp"])
    assert keys(resp) == {"Label", "Datapoints"}
    assert [p["Sum"] for p in points] == [5, 4, 3, 2, 1]
    assert set(points[0]) == {"Timestamp", "Sum", "Average", "SampleCount", "Minimum", "Maximum", "Unit"}
    assert points[0]["Unit"] == "Milliseconds"


def test_statistics_over_a_wider_period(client, now):
    cw = client("cloudwatch")
    _put(cw, now, values=(2, 4))
    resp = cw.get_metric_statistics(Namespace="App", MetricName="Latency", Dimensions=DIMS,
                                    StartTime=now - dt.timedelta(minutes=10), EndTime=now, Period=600,
                                    Statistics=["Sum", "Average", "SampleCount"])
    (point,) = resp["Datapoints"]
    assert (point["Sum"], point["Average"], point["SampleCount"]) == (6, 3, 2)


def test_statistics_without_a_statistic(client, now):
    cw = client("cloudwatch")
    assert error_code(cw.get_metric_statistics, Namespace="App", MetricName="Latency",
                      StartTime=now - dt.timedelta(minutes=5), EndTime=now, Period=60) == "InvalidParameterCombination"


def test_statistics_with_start_after_end(client, now):
    cw = client("cloudwatch")
    assert error_code(cw.get_metric_statistics, Namespace="App", MetricName="Latency", StartTime=now,
                      EndTime=now - dt.timedelta(minutes=1), Period=60, Statistics=["Sum"]) == "InvalidParameterValue"


def test_value_and_values_are_exclusive(client):
    cw = client("cloudwatch")
    assert error_code(cw.put_metric_data, Namespace="App",
                      MetricData=[{"MetricName": "x", "Value": 1, "Values": [1]}]) == "InvalidParameterValue"


@moto_differs("moto accepts any StorageResolution; AWS takes only 1 or 60")
def test_storage_resolution_must_be_1_or_60(client):
    cw = client("cloudwatch")
    assert error_code(cw.put_metric_data, Namespace="App",
                      MetricData=[{"MetricName": "x", "Value": 1, "StorageResolution": 5}]) == "InvalidParameterValue"


@moto_differs("moto accepts any Period; AWS takes 1, 5, 10, 20, 30 or a multiple of 60")
def test_period_must_be_a_multiple_of_60(client, now):
    cw = client("cloudwatch")
    assert error_code(cw.get_metric_statistics, Namespace="App", MetricName="Latency",
                      StartTime=now - dt.timedelta(minutes=5), EndTime=now, Period=61,
                      Statistics=["Sum"]) == "InvalidParameterValue"


def test_list_metrics(client, now):
    cw = client("cloudwatch")
    _put(cw, now)
    resp = cw.list_metrics(Namespace="App")
    assert keys(resp) == {"Metrics"}
    assert resp["Metrics"] == [{"Namespace": "App", "MetricName": "Latency", "Dimensions": DIMS}]


def _alarm(cw, name="cpu-high"):
    cw.put_metric_alarm(AlarmName=name, Namespace="App", MetricName="Latency", Dimensions=DIMS,
                        Statistic="Average", Period=60, EvaluationPeriods=2, Threshold=3.0,
                        ComparisonOperator="GreaterThanThreshold",
                        AlarmActions=["arn:aws:sns:us-east-1:123456789012:ops"])


ALARM_KEYS = {"AlarmName", "AlarmArn", "AlarmConfigurationUpdatedTimestamp", "ActionsEnabled", "OKActions",
              "AlarmActions", "InsufficientDataActions", "StateValue", "StateReason", "StateUpdatedTimestamp",
              "MetricName", "Namespace", "Statistic", "Dimensions", "Period", "EvaluationPeriods", "Threshold",
              "ComparisonOperator"}


def test_put_metric_alarm_and_describe_shape(client):
    cw = client("cloudwatch")
    _alarm(cw)
    resp = cw.describe_alarms()
    assert {"MetricAlarms", "CompositeAlarms"} <= keys(resp)
    (alarm,) = resp["MetricAlarms"]
    assert ALARM_KEYS <= set(alarm)
    assert alarm["AlarmArn"].endswith(":alarm:cpu-high")


@moto_differs("moto starts a new alarm in OK; AWS starts it in INSUFFICIENT_DATA")
def test_new_alarm_is_insufficient_data(client):
    cw = client("cloudwatch")
    _alarm(cw)
    assert cw.describe_alarms()["MetricAlarms"][0]["StateValue"] == "INSUFFICIENT_DATA"


def test_set_alarm_state_then_filter_by_state(client):
    cw = client("cloudwatch")
    _alarm(cw, "a")
    _alarm(cw, "b")
    cw.set_alarm_state(AlarmName="b", StateValue="ALARM", StateReason="testing")
    alarms = cw.describe_alarms(StateValue="ALARM")["MetricAlarms"]
    assert [(a["AlarmName"], a["StateReason"]) for a in alarms] == [("b", "testing")]


def test_set_state_of_missing_alarm(client):
    cw = client("cloudwatch")
    assert error_code(cw.set_alarm_state, AlarmName="nope", StateValue="ALARM", StateReason="x") == "ResourceNotFound"


def test_set_alarm_state_with_bad_state(client):
    cw = client("cloudwatch")
    _alarm(cw)
    assert error_code(cw.set_alarm_state, AlarmName="cpu-high", StateValue="RED", StateReason="x") == "ValidationError"


def test_delete_alarms(client):
    cw = client("cloudwatch")
    _alarm(cw)
    assert keys(cw.delete_alarms(AlarmNames=["cpu-high"])) == set()
    assert cw.describe_alarms()["MetricAlarms"] == []


# -- logs -----------------------------------------------------------------------------------

def _ms(now):
    return int(now.timestamp() * 1000)


def test_logs_create_put_get(client, now):
    logs = client("logs")
    assert keys(logs.create_log_group(logGroupName="/aws/lambda/f")) == set()
    assert keys(logs.create_log_stream(logGroupName="/aws/lambda/f", logStreamName="s")) == set()
    put = logs.put_log_events(logGroupName="/aws/lambda/f", logStreamName="s",
                              logEvents=[{"timestamp": _ms(now), "message": "START"},
                                         {"timestamp": _ms(now) + 1, "message": "ERROR boom"}])
    assert "nextSequenceToken" in put
    got = logs.get_log_events(logGroupName="/aws/lambda/f", logStreamName="s", startFromHead=True)
    assert keys(got) == {"events", "nextForwardToken", "nextBackwardToken"}
    assert [e["message"] for e in got["events"]] == ["START", "ERROR boom"]
    assert set(got["events"][0]) == {"timestamp", "message", "ingestionTime"}


def test_logs_filter_events(client, now):
    logs = client("logs")
    logs.create_log_group(logGroupName="/g")
    logs.create_log_stream(logGroupName="/g", logStreamName="s")
    logs.put_log_events(logGroupName="/g", logStreamName="s",
                        logEvents=[{"timestamp": _ms(now), "message": "INFO ok"},
                                   {"timestamp": _ms(now) + 1, "message": "ERROR boom"}])
    found = logs.filter_log_events(logGroupName="/g", filterPattern="ERROR")
    assert [e["message"] for e in found["events"]] == ["ERROR boom"]
    assert {"logStreamName", "timestamp", "message", "ingestionTime", "eventId"} <= set(found["events"][0])


def test_logs_describe_group_shape(client):
    logs = client("logs")
    logs.create_log_group(logGroupName="/g")
    (group,) = logs.describe_log_groups()["logGroups"]
    assert {"logGroupName", "creationTime", "metricFilterCount", "arn", "storedBytes"} <= set(group)


def test_logs_duplicate_group(client):
    logs = client("logs")
    logs.create_log_group(logGroupName="/g")
    assert error_code(logs.create_log_group, logGroupName="/g") == "ResourceAlreadyExistsException"


def test_logs_stream_in_missing_group(client):
    logs = client("logs")
    assert error_code(logs.create_log_stream, logGroupName="/nope", logStreamName="s") == "ResourceNotFoundException"


def test_logs_put_to_missing_stream(client, now):
    logs = client("logs")
    logs.create_log_group(logGroupName="/g")
    assert error_code(logs.put_log_events, logGroupName="/g", logStreamName="nope",
                      logEvents=[{"timestamp": _ms(now), "message": "x"}]) == "ResourceNotFoundException"


def test_logs_events_out_of_order(client, now):
    logs = client("logs")
    logs.create_log_group(logGroupName="/g")
    logs.create_log_stream(logGroupName="/g", logStreamName="s")
    assert error_code(logs.put_log_events, logGroupName="/g", logStreamName="s",
                      logEvents=[{"timestamp": _ms(now), "message": "b"},
                                 {"timestamp": _ms(now) - 5, "message": "a"}]) == "InvalidParameterException"


@moto_differs("moto accepts any retention; AWS takes only its listed day counts")
def test_logs_invalid_retention(client):
    logs = client("logs")
    logs.create_log_group(logGroupName="/g")
    assert error_code(logs.put_retention_policy, logGroupName="/g", retentionInDays=8) == "InvalidParameterException"


def test_logs_delete_missing_group(client):
    logs = client("logs")
    assert error_code(logs.delete_log_group, logGroupName="/nope") == "ResourceNotFoundException"
