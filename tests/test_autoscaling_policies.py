"""Scaling policies, cooldowns vs warm-up, scheduled actions, activity causes, target tracking end to end."""

import pytest

from awskit import Cloud
from awskit.autoscaling.policies import Cron, adjusted
from awskit.core.errors import AWSError
from awskit.workload import Workload, constant, spike


@pytest.fixture
def asg(cloud):
    return cloud.autoscaling


def group(cloud, **kw):
    lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    kw.setdefault("min_size", 1)
    kw.setdefault("max_size", 10)
    return cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt,
                                                      subnets=cloud.vpc.default_vpc.subnets[:2], **kw)


# -- adjustment arithmetic -----------------------------------------------------------------
@pytest.mark.parametrize("current,kind,adj,mag,expected", [
    (4, "ChangeInCapacity", 2, None, 6),
    (4, "ChangeInCapacity", -3, None, 1),
    (4, "ExactCapacity", 7, None, 7),
    (10, "PercentChangeInCapacity", -25, None, 8),     # -2.5 rounds toward zero: -2
    (10, "PercentChangeInCapacity", 5, None, 11),      # 0.5 rounds up to 1
    (10, "PercentChangeInCapacity", 5, 2, 12),         # MinAdjustmentMagnitude 2
    (10, "PercentChangeInCapacity", 37, None, 13),     # 3.7 rounds down to 3
    (2, "PercentChangeInCapacity", -10, None, 1),      # -0.2 becomes -1
])
def test_adjustment_arithmetic(current, kind, adj, mag, expected):
    assert adjusted(current, kind, adj, mag) == expected


def test_simple_policy_changes_desired_capacity(cloud, asg):
    g = group(cloud, desired_capacity=2)
    asg.put_scaling_policy(g, "out", adjustment_type="ChangeInCapacity", scaling_adjustment=2)
    asg.execute_policy(g, "out")
    assert g.desired_capacity == 4 and g.capacity == 4


def test_simple_policy_is_clamped_to_max(cloud, asg):
    g = group(cloud, desired_capacity=2, max_size=3)
    asg.put_scaling_policy(g, "out", adjustment_type="ChangeInCapacity", scaling_adjustment=5)
    asg.execute_policy(g, "out")
    assert g.desired_capacity == 3


def test_min_adjustment_magnitude_needs_percent_type(cloud, asg):
    g = group(cloud)
    with pytest.raises(AWSError) as err:
        asg.put_scaling_policy(g, "p", adjustment_type="ChangeInCapacity", scaling_adjustment=1,
                               min_adjustment_magnitude=2)
    assert err.value.code == "ValidationError"


def test_cooldown_blocks_a_simple_policy_until_activity_and_cooldown_end(cloud, asg):
    g = group(cloud, desired_capacity=2)
    asg.put_scaling_policy(g, "out", adjustment_type="ChangeInCapacity", scaling_adjustment=1, cooldown=120)
    asg.execute_policy(g, "out", honor_cooldown=True)
    with pytest.raises(AWSError) as err:                       # the launch is still in progress
        asg.execute_policy(g, "out", honor_cooldown=True)
    assert err.value.code == "ScalingActivityInProgress"
    cloud.clock.advance(minutes=1)                             # launched (<= 45 s), cooldown runs
    assert g.in_cooldown()
    cloud.clock.advance(minutes=2)
    asg.execute_policy(g, "out", honor_cooldown=True)
    assert g.desired_capacity == 4


def test_alarm_in_alarm_keeps_running_a_simple_policy_once_per_cooldown(cloud, asg):
    g = group(cloud, desired_capacity=1)
    p = asg.put_scaling_policy(g, "out", adjustment_type="ChangeInCapacity", scaling_adjustment=1, cooldown=300)
    cw = cloud.cloudwatch
    cw.put_metric_alarm("busy", namespace="App", metric_name="Queue", threshold=10, comparison="GreaterThanThreshold",
                        evaluation_periods=1, statistic="Average", alarm_actions=[p.arn])
    timer = cloud.clock.every(30, lambda: cw.put("App", "Queue", 50))
    cloud.clock.advance(minutes=3)
    assert g.desired_capacity == 2                             # ALARM re-invokes, but the cooldown holds
    cloud.clock.advance(minutes=5)
    assert g.desired_capacity == 3
    timer.cancel()


def test_step_scaling_picks_the_step_by_distance_from_threshold(cloud, asg):
    g = group(cloud, desired_capacity=2)
    asg.put_scaling_policy(g, "steps", policy_type="StepScaling", adjustment_type="ChangeInCapacity",
                           step_adjustments=[(0, 10, 1), (10, None, 3)])
    asg.execute_policy(g, "steps", metric_value=75, breach_threshold=60)
    assert g.desired_capacity == 5


def test_step_scaling_counts_warming_instances_as_capacity_already_added(cloud, asg):
    g = group(cloud, desired_capacity=2)
    asg.put_scaling_policy(g, "steps", policy_type="StepScaling", adjustment_type="ChangeInCapacity",
                           step_adjustments=[(0, 10, 1), (10, None, 3)], estimated_instance_warmup=300)
    cloud.clock.advance(minutes=1)
    asg.execute_policy(g, "steps", metric_value=65, breach_threshold=60)
    assert g.desired_capacity == 3
    asg.execute_policy(g, "steps", metric_value=65, breach_threshold=60)    # same step, one warming: nothing
    assert g.desired_capacity == 3
    asg.execute_policy(g, "steps", metric_value=75, breach_threshold=60)    # bigger step: only the difference
    assert g.desired_capacity == 5
    cloud.clock.advance(minutes=6)                                           # warm-up over
    asg.execute_policy(g, "steps", metric_value=65, breach_threshold=60)
    assert g.desired_capacity == 6


def test_overlapping_steps_are_rejected(cloud, asg):
    g = group(cloud)
    with pytest.raises(AWSError) as err:
        asg.put_scaling_policy(g, "bad", policy_type="StepScaling", adjustment_type="ChangeInCapacity",
                               step_adjustments=[(0, 20, 1), (10, None, 2)])
    assert err.value.code == "ValidationError"


def test_target_tracking_creates_and_deletes_its_alarms(cloud, asg):
    g = group(cloud)
    p = asg.put_scaling_policy(g, "cpu50", policy_type="TargetTrackingScaling",
                               predefined_metric="ASGAverageCPUUtilization", target_value=50)
    high, low = (cloud.cloudwatch.get_alarm(n) for n in p.alarms)
    assert high.name.startswith("TargetTracking-web-AlarmHigh-") and low.name.startswith("TargetTracking-web-AlarmLow-")
    assert (high.threshold, high.evaluation_periods, high.m) == (50, 3, 3)
    assert (low.threshold, low.evaluation_periods, low.m) == (45, 15, 15)
    assert high.dimensions == {"AutoScalingGroupName": "web"} and high.alarm_actions == [p.arn]
    asg.delete_policy(g, "cpu50")
    assert not any(n in cloud.cloudwatch.alarms for n in p.alarms)


def test_alb_request_count_needs_a_resource_label(cloud, asg):
    g = group(cloud)
    with pytest.raises(AWSError) as err:
        asg.put_scaling_policy(g, "rc", policy_type="TargetTrackingScaling",
                               predefined_metric="ALBRequestCountPerTarget", target_value=1000)
    assert err.value.code == "ValidationError"


def spike_run(seed=0):
    cloud = Cloud(seed=seed)
    g = group(cloud, min_size=2, max_size=10)
    cloud.autoscaling.put_scaling_policy(g, "cpu50", policy_type="TargetTrackingScaling",
                                         predefined_metric="ASGAverageCPUUtilization", target_value=50)
    # 40 requests/s on two t3.micro (50 requests/s each at 100%): 40% CPU; x3 from 09:10 to 09:40
    w = Workload(cloud, constant(40) * spike(1, 3, at="09:10", duration=1800), target=g)
    cloud.clock.advance(hours=1, minutes=10)
    return cloud, g, w


def test_target_tracking_end_to_end_spike_scales_out_then_in():
    _cloud, g, w = spike_run()
    lines = g.narrate()
    assert [line[:24] for line in lines] == [
        "09:00 scaled out 0 -> 2 ",
        "09:13 scaled out 2 -> 4 ",   # 3 one-minute datapoints at 100% CPU: ceil(2 x 100 / 50) = 4
        # 09:14-09:18 the new pair warms up (300 s): the old pair's 60% asks for
        # ceil(2 x 60 / 50) = 3, not more than the 4 already on their way, so nothing compounds;
        "09:19 scaled out 4 -> 5 ",   # then all four report 60%: ceil(4 x 60 / 50) = 5
        "09:55 scaled in 5 -> 2 b",   # 15 datapoints at 16% after 09:40: ceil(5 x 16 / 50) = 2
    ]
    assert "AlarmHigh" in lines[1] and "(3 datapoints)" in lines[1]
    assert "AlarmLow" in lines[3] and "(15 datapoints)" in lines[3]
    busiest = [s for s in w.history if 1500 <= s.time < 2400]
    assert all(s.errors == 0 and abs(s.cpu_avg - 48.0) < 1e-9 for s in busiest)


def test_target_tracking_causes_read_as_aws_writes_them():
    _cloud, g, _w = spike_run()
    launch = next(a for a in g.activities if a.start == 13 * 60 and a.kind == "launch")
    assert launch.description.startswith("Launching a new EC2 instance: i-")
    assert launch.cause.startswith("At 2026-01-05T09:13:00Z a monitor alarm TargetTracking-web-AlarmHigh-")
    assert launch.cause.endswith("in state ALARM triggered policy cpu50 changing the desired capacity from 2 to 4.  "
                                 "At 2026-01-05T09:13:00Z an instance was started in response to a difference "
                                 "between desired and actual capacity, increasing the capacity from 2 to 4.")


def test_same_seed_gives_the_same_story():
    a, b = spike_run(7), spike_run(7)
    assert a[1].narrate() == b[1].narrate()
    assert [x.id for x in a[1].activities] == [x.id for x in b[1].activities]


def test_disable_scale_in_keeps_capacity():
    cloud = Cloud(seed=0)
    g = group(cloud, min_size=2, max_size=10)
    cloud.autoscaling.put_scaling_policy(g, "cpu50", policy_type="TargetTrackingScaling", disable_scale_in=True,
                                         predefined_metric="ASGAverageCPUUtilization", target_value=50)
    Workload(cloud, constant(40) * spike(1, 3, at="09:10", duration=1800), target=g)
    cloud.clock.advance(hours=1, minutes=10)
    assert g.desired_capacity == 5


# -- scheduled actions -------------------------------------------------------------------------------
def test_one_time_scheduled_action_runs_then_disappears(cloud, asg):
    g = group(cloud)
    asg.put_scheduled_update_group_action(g, "evening", start_time="2026-01-05T18:00:00Z", desired_capacity=4)
    cloud.clock.advance(hours=8, minutes=59)
    assert g.desired_capacity == 1
    cloud.clock.advance(minutes=1)
    assert g.desired_capacity == 4 and "evening" not in g.scheduled_actions
    assert "a scheduled action update of AutoScalingGroup constraints to min: 1, max: 10, desired: 4" in \
        g.activities[-1].cause


def test_recurring_scheduled_action_fires_every_day(cloud, asg):
    g = group(cloud, max_size=10)
    asg.put_scheduled_update_group_action(g, "morning", recurrence="0 8 * * *", min_size=3)
    asg.put_scheduled_update_group_action(g, "night", recurrence="0 20 * * *", min_size=1, desired_capacity=1)
    cloud.clock.advance(hours=23, minutes=1)     # to 08:01 the next day
    assert g.min_size == 3 and g.desired_capacity == 3
    cloud.clock.advance(hours=12)
    assert g.desired_capacity == 1
    cloud.clock.advance(hours=12)
    assert g.desired_capacity == 3


def test_scheduled_action_in_the_past_is_rejected(cloud, asg):
    g = group(cloud)
    cloud.clock.advance(hours=1)
    with pytest.raises(AWSError) as err:
        asg.put_scheduled_update_group_action(g, "late", start_time="2026-01-05T09:30:00Z", desired_capacity=2)
    assert err.value.code == "ValidationError"


def test_suspended_scheduled_actions_do_not_run(cloud, asg):
    g = group(cloud)
    asg.put_scheduled_update_group_action(g, "soon", start_time=600, desired_capacity=3)
    asg.suspend_processes(g, ["ScheduledActions"])
    cloud.clock.advance(minutes=11)
    assert g.desired_capacity == 1


def test_cron_weekdays_skip_the_weekend():
    import datetime as dt
    c = Cron("30 9 * * MON-FRI")
    friday = dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.UTC)
    assert c.next_after(friday) == dt.datetime(2026, 1, 12, 9, 30, tzinfo=dt.UTC)


def test_bad_cron_is_validation_error():
    with pytest.raises(AWSError) as err:
        Cron("61 * * * *")
    assert err.value.code == "ValidationError"
