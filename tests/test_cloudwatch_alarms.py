"""CloudWatch alarms: evaluation rules on the simulated clock, actions, history, facade."""

import json

import pytest

from awskit.cloudwatch.alarms import Comparison, MissingData, evaluate_datapoints
from awskit.core.errors import AWSError

SNS = "arn:aws:sns:us-east-1:123456789012:ops"
POLICY = ("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0b1c-uuid:"
          "autoScalingGroupName/web:policyName/out")


def _alarm(cloud, name="cpu-high", **kw):
    args = {"namespace": "App", "metric_name": "CPU", "statistic": "Average", "period": 60, "evaluation_periods": 1,
                "threshold": 70, "comparison": "GreaterThanThreshold"}
    args.update(kw)
    return cloud.cloudwatch.put_metric_alarm(name, **args)


def _feed(cloud, values, name="CPU"):
    """One sample per minute, each at the start of a minute, then let the clock run past it."""
    for v in values:
        if v is not None:
            cloud.cloudwatch.put("App", name, v)
        cloud.clock.advance(minutes=1)


def _code(call, *a, **kw):
    with pytest.raises(AWSError) as err:
        call(*a, **kw)
    return err.value.code


# -- the evaluation rule ----------------------------------------------------------------

def _pts(text):
    """'0 - X - X' -> data points (0 = not breaching, X = breaching, - = missing), oldest first."""
    return [(i * 60.0, {"0": 10.0, "X": 90.0, "-": None}[c]) for i, c in enumerate(text.split())]


# The two tables of the CloudWatch User Guide ("How alarm state is evaluated when data is
# missing"); None means "retain current state".  Where the guide's rows disagree with each
# other (a lone recent breaching point under `missing`), awskit follows the rule stated in
# evaluate_datapoints and the row is listed with its awskit outcome.
TABLE = [
    # M, N, points, missing, ignore, breaching, notBreaching
    (3, 3, "0 - X - X", "OK", "OK", "OK", "OK"),
    (3, 3, "0 - - - -", "OK", "OK", "OK", "OK"),
    (3, 3, "- - - - -", "INSUFFICIENT_DATA", None, "ALARM", "OK"),
    (3, 3, "0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM"),
    (3, 3, "X - - - -", "ALARM", None, "ALARM", "OK"),
    (2, 3, "0 - X - X", "ALARM", "ALARM", "ALARM", "ALARM"),
    (2, 3, "0 0 X 0 X", "ALARM", "ALARM", "ALARM", "ALARM"),
    (2, 3, "0 - X - -", "OK", "OK", "ALARM", "OK"),
    (2, 3, "- - - - 0", "OK", "OK", "ALARM", "OK"),
]


@pytest.mark.parametrize("m,n,points,missing,ignore,breaching,not_breaching", TABLE)
@pytest.mark.parametrize("treatment", list(MissingData))
def test_missing_data_table_from_the_user_guide(m, n, points, missing, ignore, breaching, not_breaching, treatment):
    want = {"missing": missing, "ignore": ignore, "breaching": breaching,
            "notBreaching": not_breaching}[treatment.value]
    ev = evaluate_datapoints(_pts(points), m=m, n=n, comparison=Comparison.GreaterThanThreshold,
                             threshold=70, missing=treatment)
    assert (ev.state.value if ev.state else None) == want


@pytest.mark.parametrize("op,value,breaches", [
    ("GreaterThanThreshold", 70, False), ("GreaterThanThreshold", 71, True),
    ("GreaterThanOrEqualToThreshold", 70, True), ("GreaterThanOrEqualToThreshold", 69, False),
    ("LessThanThreshold", 70, False), ("LessThanThreshold", 69, True),
    ("LessThanOrEqualToThreshold", 70, True), ("LessThanOrEqualToThreshold", 71, False),
])
def test_each_comparison_operator(cloud, op, value, breaches):
    alarm = _alarm(cloud, comparison=op)
    _feed(cloud, [value])
    assert alarm.state.value == ("ALARM" if breaches else "OK")


# -- on the clock -------------------------------------------------------------------------

def test_new_alarm_starts_insufficient_data(cloud):
    alarm = _alarm(cloud)
    assert (alarm.state.value, alarm.state_reason) == ("INSUFFICIENT_DATA", "Unchecked: Initial alarm creation")


def test_alarm_without_data_stays_insufficient(cloud):
    alarm = _alarm(cloud)
    cloud.clock.advance(minutes=5)
    assert alarm.state.value == "INSUFFICIENT_DATA"


def test_breaching_datapoint_moves_alarm_to_alarm(cloud):
    alarm = _alarm(cloud)
    _feed(cloud, [85.2])
    assert alarm.state.value == "ALARM"


def test_all_n_datapoints_must_breach_by_default(cloud):
    alarm = _alarm(cloud, evaluation_periods=3)
    _feed(cloud, [90, 90, 10])
    assert alarm.state.value == "OK"


def test_m_of_n_alarm_tolerates_one_good_point(cloud):
    alarm = _alarm(cloud, evaluation_periods=3, datapoints_to_alarm=2)
    _feed(cloud, [90, 10, 90])
    assert alarm.state.value == "ALARM"


def test_alarm_returns_to_ok_when_load_drops(cloud):
    alarm = _alarm(cloud)
    _feed(cloud, [90, 20])
    assert alarm.state.value == "OK"


def test_five_minute_period_averages_the_window(cloud):
    alarm = _alarm(cloud, period=300)
    _feed(cloud, [100, 100, 0, 0, 0])  # average 40 over the 5 minutes
    assert alarm.state.value == "OK"


def test_breaching_treatment_alarms_when_data_stops(cloud):
    alarm = _alarm(cloud, treat_missing_data="breaching", evaluation_periods=2)
    _feed(cloud, [10, 10, None, None, None, None, None])
    assert alarm.state.value == "ALARM"


def test_not_breaching_treatment_goes_ok_without_data(cloud):
    alarm = _alarm(cloud, treat_missing_data="notBreaching")
    cloud.clock.advance(minutes=2)
    assert alarm.state.value == "OK"


def test_ignore_treatment_keeps_state_when_data_stops(cloud):
    alarm = _alarm(cloud, treat_missing_data="ignore")
    _feed(cloud, [90])
    cloud.clock.advance(minutes=10)
    assert alarm.state.value == "ALARM"


def test_missing_treatment_goes_insufficient_when_data_stops(cloud):
    alarm = _alarm(cloud)
    _feed(cloud, [90])
    cloud.clock.advance(minutes=10)
    assert alarm.state.value == "INSUFFICIENT_DATA"


def test_high_resolution_alarm_is_evaluated_every_ten_seconds(cloud):
    alarm = _alarm(cloud, period=10)
    cloud.cloudwatch.put("App", "CPU", 99, high_resolution=True)
    cloud.clock.advance(seconds=10)
    assert alarm.state.value == "ALARM"


def test_state_reason_text_has_aws_shape(cloud):
    alarm = _alarm(cloud)
    cloud.clock.advance(minutes=3)
    _feed(cloud, [85.2])
    assert alarm.state_reason == ("Threshold Crossed: 1 datapoint [85.2 (05/01/26 09:03:00)] was greater than "
                                  "the threshold (70.0).")


def test_state_reason_data_is_json_with_the_datapoints(cloud):
    alarm = _alarm(cloud)
    _feed(cloud, [85.2])
    data = json.loads(alarm.state_reason_data)
    assert (data["threshold"], data["recentDatapoints"], data["statistic"]) == (70.0, [85.2], "Average")


def test_state_change_publishes_an_event(cloud):
    seen = []
    cloud.events.subscribe("cloudwatch.alarm.state", lambda m: seen.append((m["old"], m["new"])))
    _alarm(cloud)
    _feed(cloud, [90])
    assert seen == [("INSUFFICIENT_DATA", "ALARM")]


def test_state_change_is_in_history(cloud):
    _alarm(cloud)
    _feed(cloud, [90])
    items = cloud.cloudwatch.alarm_history("cpu-high", "StateUpdate")
    assert items[0].summary == "Alarm updated from INSUFFICIENT_DATA to ALARM"


# -- actions --------------------------------------------------------------------------------

def test_sns_action_notifies_once_per_transition(cloud):
    _alarm(cloud, alarm_actions=[SNS])
    _feed(cloud, [90, 90, 90, 90])
    assert [(n.topic_arn, n.new_state) for n in cloud.cloudwatch.notifications] == [(SNS, "ALARM")]


def test_ok_action_runs_on_return_to_ok(cloud):
    _alarm(cloud, ok_actions=[SNS])
    _feed(cloud, [90, 10])
    assert [n.new_state for n in cloud.cloudwatch.notifications] == ["OK"]


def test_registered_callback_gets_alarm_and_new_state(cloud):
    got = []
    cloud.cloudwatch.register_action(SNS, lambda alarm, state: got.append((alarm.name, state.value)))
    _alarm(cloud, alarm_actions=[SNS])
    _feed(cloud, [90])
    assert got == [("cpu-high", "ALARM")]


def test_scaling_policy_action_repeats_every_minute_while_in_alarm(cloud):
    calls = []
    cloud.cloudwatch.register_action(POLICY, lambda alarm, state: calls.append(cloud.clock.now))
    _alarm(cloud, alarm_actions=[POLICY])
    _feed(cloud, [90, 90, 90])
    assert calls == [60.0, 120.0, 180.0]


def test_disabled_actions_do_not_run(cloud):
    _alarm(cloud, alarm_actions=[SNS], actions_enabled=False)
    _feed(cloud, [90])
    assert cloud.cloudwatch.notifications == []


def test_disable_alarm_actions_via_client_stops_notifications(cloud):
    _alarm(cloud, alarm_actions=[SNS])
    cloud.client("cloudwatch").disable_alarm_actions(AlarmNames=["cpu-high"])
    _feed(cloud, [90])
    assert cloud.cloudwatch.notifications == []


def test_set_alarm_state_runs_actions_and_next_evaluation_reverts(cloud):
    alarm = _alarm(cloud, alarm_actions=[SNS], treat_missing_data="notBreaching")
    cloud.clock.advance(minutes=1)
    cloud.cloudwatch.set_alarm_state("cpu-high", "ALARM", "testing")
    was = alarm.state.value
    cloud.clock.advance(minutes=1)
    assert (was, alarm.state.value, len(cloud.cloudwatch.notifications)) == ("ALARM", "OK", 1)


def test_unregistered_non_sns_action_is_recorded_as_failed(cloud):
    _alarm(cloud, alarm_actions=["arn:aws:lambda:us-east-1:123456789012:function:f"])
    _feed(cloud, [90])
    (item,) = cloud.cloudwatch.alarm_history("cpu-high", "Action")
    assert item.summary.startswith("Failed to execute action")


# -- validation ----------------------------------------------------------------------------

def test_anomaly_band_operator_is_rejected(cloud):
    assert _code(_alarm, cloud, comparison="LessThanLowerOrGreaterThanUpperThreshold") == "ValidationError"


def test_unknown_operator_is_rejected(cloud):
    assert _code(_alarm, cloud, comparison="Above") == "ValidationError"


def test_datapoints_to_alarm_cannot_exceed_evaluation_periods(cloud):
    assert _code(_alarm, cloud, evaluation_periods=2, datapoints_to_alarm=3) == "ValidationError"


def test_evaluation_span_over_a_day_is_rejected_for_short_periods(cloud):
    assert _code(_alarm, cloud, period=60, evaluation_periods=1441) == "ValidationError"


def test_alarm_period_must_be_10_20_30_or_a_minute_multiple(cloud):
    assert _code(_alarm, cloud, period=45) == "ValidationError"


def test_statistic_and_extended_statistic_are_exclusive(cloud):
    assert _code(_alarm, cloud, extended_statistic="p90") == "InvalidParameterCombination"


def test_invalid_action_arn_is_rejected(cloud):
    assert _code(_alarm, cloud, alarm_actions=["not-an-arn"]) == "ValidationError"


def test_unknown_treat_missing_data_is_rejected(cloud):
    assert _code(_alarm, cloud, treat_missing_data="zero") == "ValidationError"


# -- facade ----------------------------------------------------------------------------------

@pytest.fixture
def cw(cloud):
    return cloud.client("cloudwatch")


def _put(cw, name="cpu-high", **kw):
    args = {"AlarmName": name, "Namespace": "App", "MetricName": "CPU", "Statistic": "Average", "Period": 60,
                "EvaluationPeriods": 1, "Threshold": 70.0, "ComparisonOperator": "GreaterThanThreshold"}
    args.update(kw)
    cw.put_metric_alarm(**args)


def test_describe_alarms_filters_by_state(cw, cloud):
    _put(cw, "a")
    _put(cw, "b")
    cw.set_alarm_state(AlarmName="b", StateValue="ALARM", StateReason="test")
    assert [a["AlarmName"] for a in cw.describe_alarms(StateValue="ALARM")["MetricAlarms"]] == ["b"]


def test_describe_alarms_filters_by_prefix(cw):
    _put(cw, "web-cpu")
    _put(cw, "db-cpu")
    assert [a["AlarmName"] for a in cw.describe_alarms(AlarmNamePrefix="web")["MetricAlarms"]] == ["web-cpu"]


def test_names_and_prefix_together_are_rejected(cw):
    assert _code(cw.describe_alarms, AlarmNames=["a"], AlarmNamePrefix="a") == "InvalidParameterCombination"


def test_set_state_of_unknown_alarm_is_resource_not_found(cw):
    with pytest.raises(cw.exceptions.ResourceNotFound):
        cw.set_alarm_state(AlarmName="nope", StateValue="ALARM", StateReason="x")


def test_delete_alarms_removes_them(cw):
    _put(cw)
    cw.delete_alarms(AlarmNames=["cpu-high"])
    assert cw.describe_alarms()["MetricAlarms"] == []


def test_delete_unknown_alarm_is_resource_not_found(cw):
    assert _code(cw.delete_alarms, AlarmNames=["nope"]) == "ResourceNotFound"


def test_describe_alarm_history_lists_state_updates(cw, cloud):
    _put(cw)
    cw.set_alarm_state(AlarmName="cpu-high", StateValue="ALARM", StateReason="test")
    items = cw.describe_alarm_history(AlarmName="cpu-high", HistoryItemType="StateUpdate")["AlarmHistoryItems"]
    assert [json.loads(i["HistoryData"])["newState"]["stateValue"] for i in items] == ["ALARM"]


def test_alarm_is_billed_per_alarm_month(cloud):
    _alarm(cloud)
    cloud.clock.advance(hours=730)
    assert round(cloud.bill.by_resource()["alarm:cpu-high"], 2) == 0.10


def test_deleted_alarm_stops_billing(cloud):
    _alarm(cloud)
    cloud.cloudwatch.delete_alarms(["cpu-high"])
    cloud.clock.advance(hours=730)
    assert cloud.bill.by_resource()["alarm:cpu-high"] == 0
