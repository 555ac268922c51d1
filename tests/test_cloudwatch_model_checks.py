"""The CloudWatch model's cheap paths: put() checks its arguments before storing anything, the
alarm helpers explain a wrong argument with an AWS error code, and the one-pass period
statistics that alarm evaluation uses agree with the per-period ones."""

from __future__ import annotations

import random

import pytest

from awskit import AWSError, Cloud
from awskit.cloudwatch.metrics import Metric


@pytest.fixture
def cw(cloud):
    return cloud.cloudwatch


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(AWSError) as err:
        call(*args, **kwargs)
    return err.value.code


def _alarm(cw, name="cpu-high"):
    return cw.put_metric_alarm(name, namespace="MyApp", metric_name="Load", statistic="Average", period=60,
                               evaluation_periods=2, threshold=50, comparison="GreaterThanThreshold")


def test_put_rejects_a_value_that_is_not_a_number(cw):
    assert _code(cw.put, "MyApp", "Load", "high") == "InvalidParameterValue"


def test_put_rejects_nan(cw):
    assert _code(cw.put, "MyApp", "Load", float("nan")) == "InvalidParameterValue"


def test_put_rejects_an_unknown_unit_and_stores_nothing(cw):
    assert _code(cw.put, "MyApp", "Load", 1.0, unit="Requests") == "InvalidParameterValue"
    assert cw.get_metric("MyApp", "Load") is None


def test_put_rejects_dimensions_that_are_not_a_dict(cw):
    assert _code(cw.put, "MyApp", "Load", 1.0, dimensions=[{"Name": "Host", "Value": "a"}]) == "InvalidParameterValue"


def test_put_rejects_an_empty_metric_name(cw):
    assert _code(cw.put, "MyApp", "", 1.0) == "MissingParameter"


def test_put_rejects_a_timestamp_that_is_not_a_number(cw):
    assert _code(cw.put, "MyApp", "Load", 1.0, timestamp="09:00") == "InvalidParameterValue"


def test_put_keeps_an_integer_count_as_given(cw):
    metric = cw.put("MyApp", "Hits", 2.0, count=3)
    assert metric.counts == [3] and metric.sums == [6.0]


def test_get_metric_with_unhashable_dimensions_is_invalid(cw):
    assert _code(cw.get_metric, "MyApp", "Load", {"Host": ["a"]}) == "InvalidParameterValue"


def test_get_metric_statistics_rejects_a_start_that_is_not_a_time(cw):
    assert _code(cw.get_metric_statistics, "MyApp", "Load", start="yesterday", end=60, period=60,
                 statistics=["Average"]) == "InvalidParameterValue"


def test_get_metric_statistics_rejects_a_statistics_string(cw):
    assert _code(cw.get_metric_statistics, "MyApp", "Load", start=0, end=60, period=60,
                 statistics="Average") == "InvalidParameterValue"


def test_series_rejects_a_zero_period(cw):
    cw.put("MyApp", "Load", 1.0)
    assert _code(cw.series, "MyApp", "Load", period=0) == "InvalidParameterValue"


def test_series_refuses_a_range_of_more_than_a_million_periods(cw):
    cw.put("MyApp", "Load", 1.0)
    assert _code(cw.series, "MyApp", "Load", period=1, end=10**7) == "InvalidParameterValue"


def test_list_metrics_rejects_a_namespace_that_is_not_text(cw):
    assert _code(cw.list_metrics, {"Namespace": "MyApp"}) == "InvalidParameterValue"


def test_describe_alarms_rejects_one_name_given_as_a_string(cw):
    _alarm(cw)
    assert _code(cw.describe_alarms, "cpu-high") == "ValidationError"


def test_describe_alarms_rejects_a_state_that_is_not_text(cw):
    assert _code(cw.describe_alarms, state=["ALARM"]) == "ValidationError"


def test_delete_alarms_rejects_names_that_are_not_a_list(cw):
    _alarm(cw)
    assert _code(cw.delete_alarms, 7) == "ValidationError"
    assert "cpu-high" in cw.alarms


def test_set_alarm_actions_needs_a_bool(cw):
    _alarm(cw)
    assert _code(cw.set_alarm_actions, ["cpu-high"], "yes") == "ValidationError"


def test_get_alarm_rejects_a_name_that_is_not_text(cw):
    assert _code(cw.get_alarm, ["cpu-high"]) == "ValidationError"


def test_datapoints_takes_an_alarm_name(cw, cloud):
    alarm = _alarm(cw)
    cw.put("MyApp", "Load", 80.0)
    cloud.clock.advance(minutes=1)
    assert cw.datapoints("cpu-high") == cw.datapoints(alarm)


def test_datapoints_of_an_unknown_alarm_is_resource_not_found(cw):
    assert _code(cw.datapoints, "nope") == "ResourceNotFound"


def test_evaluate_rejects_something_that_is_not_an_alarm(cw):
    assert _code(cw.evaluate, 7) == "ValidationError"


@pytest.mark.parametrize("stat", ["Average", "Sum", "SampleCount", "Minimum", "Maximum", "p90"])
def test_period_stats_in_one_pass_equal_the_statistic_of_each_period(stat):
    rng = random.Random(8)
    metric = Metric(namespace="MyApp", name="Load")
    for t in sorted(rng.sample(range(0, 3600), 400)):   # one-second buckets, some periods empty
        for _ in range(rng.randint(1, 3)):
            metric.add(t, rng.uniform(-5, 100), rng.choice([1.0, 2.0, 3]))
    for period in (1, 10, 60, 300):
        starts = [s * period for s in range(-2, 3600 // period + 2)]
        assert metric.period_stats(stat, starts, period) == [metric.stat(stat, s, s + period) for s in starts]


def test_alarm_evaluation_reaches_alarm_through_the_one_pass_statistics():
    cloud = Cloud(seed=8)
    cw = cloud.cloudwatch
    alarm = _alarm(cw)
    for _ in range(3):
        cw.put("MyApp", "Load", 90.0)
        cloud.clock.advance(minutes=1)
    assert alarm.state.value == "ALARM"
