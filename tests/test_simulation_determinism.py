"""Determinism of the cause -> effect chain: traffic -> ALB health checks -> CloudWatch alarms ->
Auto Scaling.

The same seed and the same steps give the same world, and the model reproduces a recorded
run exactly.  The recordings below were made with the model as it stood before the
performance work of issue 8 (health checks, alarm evaluation and metric emission made
cheaper): a faster model must not change a single scaling activity, alarm transition or
health verdict.  If a deliberate change of behaviour moves them, re-record them and say why
in the commit.  Nothing here measures time.
"""

from __future__ import annotations

import pytest

from awskit import Cloud
from awskit.http import Response
from awskit.workload import Workload, daily_cycle


def _world(seed: int = 0):
    """bench/simulation_speed.py's world: an ALB, an Auto Scaling group (2-10 t3.micro, ELB health
    checks), a target tracking policy at 50% CPU, and a daily traffic cycle peaking at 300 requests/s."""
    cloud = Cloud(seed=seed)
    vpc = cloud.vpc.default_vpc
    subnets = vpc.subnets[:2]
    alb = cloud.elb.create_load_balancer("shop", subnets=subnets)
    tg = cloud.elb.create_target_group("shop", vpc=vpc, healthy_threshold=2)
    cloud.elb.create_listener(alb, port=80, default_actions=tg)
    lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    group = cloud.autoscaling.create_auto_scaling_group(
        "web", launch_template=lt, min_size=2, max_size=10, subnets=subnets, target_group_arns=[tg.arn],
        health_check_type="ELB", health_check_grace_period=120)
    cloud.events.subscribe("autoscaling.instance.lifecycle", lambda m: m["state"] == "InService" and
                           cloud.ec2.get_instance(m["instance"]).serve(lambda r: Response(200, body="ok")))
    cloud.autoscaling.put_scaling_policy(group, "cpu50", policy_type="TargetTrackingScaling",
                                         predefined_metric="ASGAverageCPUUtilization", target_value=50)
    Workload(cloud, daily_cycle(300, 30), target=alb, group=group)
    return cloud, group


def _trouble(cloud, group) -> None:
    """At 1 h an instance is terminated behind the group's back; at 2 h three apps break (503, nothing
    listening, an exception); from 3 h to 4 h us-east-1a is down while replacement is suspended."""
    def members():
        return sorted(group.instances.values(), key=lambda gi: gi.id)

    def behind_its_back():
        cloud.ec2.terminate_instances(members()[2].instance)

    def sicken():
        m = members()
        m[0].instance.serve(lambda r: Response(503))
        m[1].instance.stop_serving(80)
        m[-1].instance.serve(lambda r: 1 / 0)

    def outage():
        cloud.autoscaling.suspend_processes(group, ["ReplaceUnhealthy", "AZRebalance"])
        cloud.fail_az("us-east-1a")

    def recovery():
        cloud.restore_az("us-east-1a")
        cloud.clock.schedule(600, lambda: cloud.autoscaling.resume_processes(group))

    cloud.clock.schedule(3600 + 7, behind_its_back)
    cloud.clock.schedule(2 * 3600 + 7, sicken)
    cloud.clock.schedule(3 * 3600, outage)
    cloud.clock.schedule(4 * 3600, recovery)


def _run(*, days: float = 0, hours: float = 0, with_trouble: bool = False, seed: int = 0) -> dict[str, list[str]]:
    cloud, group = _world(seed)
    health: list[str] = []
    cloud.events.subscribe("elb.target.health", lambda m: health.append(
        f"{m.time:g} {m['target']} {m['old']}->{m['new']} {m['reason']}"))
    if with_trouble:
        _trouble(cloud, group)
    cloud.clock.advance(days=days, hours=hours)
    cw = cloud.cloudwatch
    kinds = {a.name: "High" if "AlarmHigh" in a.name else "Low" for a in cw.alarms.values()}
    return {
        "activities": [f"{a.start:g}-{a.end:g} {a.status} {a.description}" for a in group.activities],
        "alarms": [f"{h.timestamp:g} {kinds[h.alarm_name]} {h.summary.replace('Alarm updated from ', '')}"
                   for h in cw.history if h.item_type == "StateUpdate"],
        "health": health,
    }


def _everything(seed: int) -> dict:
    """Every observable trace of a simulated day: activities with causes, the full alarm history,
    every stored metric sample, every event."""
    cloud, group = _world(seed)
    events: list = []
    cloud.events.subscribe("*", lambda m: events.append((m.topic, m.time, sorted(m.data.items(), key=str))))
    cloud.clock.advance(days=1)
    cw = cloud.cloudwatch
    return {
        "activities": [(a.start, a.end, a.status, a.description, a.cause) for a in group.activities],
        "history": [(h.alarm_name, h.timestamp, h.item_type, h.summary, h.data) for h in cw.history],
        "metrics": {k: (m.unit, m.times, m.sums, m.counts, m.mins, m.maxs, m.samples) for k, m in cw.metrics.items()},
        "events": events,
    }


@pytest.fixture(scope="module")
def day() -> dict[str, list[str]]:
    return _run(days=1)


@pytest.fixture(scope="module")
def troubled() -> dict[str, list[str]]:
    return _run(hours=6, with_trouble=True)


def test_same_seed_gives_the_same_activities_alarm_history_metrics_and_events():
    assert _everything(seed=0) == _everything(seed=0)


def test_a_day_of_traffic_scales_exactly_as_recorded(day):
    assert day["activities"] == DAY_ACTIVITIES


def test_a_day_of_traffic_moves_the_alarms_exactly_as_recorded(day):
    assert day["alarms"] == DAY_ALARM_TRANSITIONS


def test_health_checks_give_the_recorded_verdicts_reasons_and_times(troubled):
    reasons = {line.rsplit(" ", 1)[1] for line in TROUBLE_HEALTH}
    assert {"Target.Timeout", "Target.InvalidState", "Target.FailedHealthChecks",
            "Target.ResponseCodeMismatch"} <= reasons  # the recording exercises every failure
    assert troubled["health"] == TROUBLE_HEALTH


def test_unhealthy_instances_are_replaced_as_recorded(troubled):
    assert troubled["activities"] == TROUBLE_ACTIVITIES


# -- recordings (made before issue 8's performance work; see the module docstring) -------------

DAY_ACTIVITIES = [
    '0-39.1 Successful Launching a new EC2 instance: i-03e70f16a55485822',
    '0-42.7 Successful Launching a new EC2 instance: i-0eece328bff7b118e',
    '360-376.2 Successful Launching a new EC2 instance: i-0a81ad477fb3675b8',
    '360-389.8 Successful Launching a new EC2 instance: i-0468ff53d864a7a50',
    '420-443.1 Successful Launching a new EC2 instance: i-07c879b741d878f9f',
    '420-454 Successful Launching a new EC2 instance: i-02577bffac87a7463',
    '420-456.8 Successful Launching a new EC2 instance: i-09b0252440950fd13',
    '420-449 Successful Launching a new EC2 instance: i-03888447911ebcd49',
    '480-515.3 Successful Launching a new EC2 instance: i-0d69c91c278601602',
    '480-520.1 Successful Launching a new EC2 instance: i-00361524c2cc0f859',
    '1440-1755 Successful Terminating EC2 instance: i-03e70f16a55485822',
    '2940-2964.3 Successful Launching a new EC2 instance: i-0f40048d7c31d5a97',
    '34140-34455 Successful Terminating EC2 instance: i-0f40048d7c31d5a97',
    '36600-36915 Successful Terminating EC2 instance: i-0eece328bff7b118e',
    '38940-39255 Successful Terminating EC2 instance: i-0a81ad477fb3675b8',
    '41280-41595 Successful Terminating EC2 instance: i-0468ff53d864a7a50',
    '43800-44115 Successful Terminating EC2 instance: i-03888447911ebcd49',
    '46560-46875 Successful Terminating EC2 instance: i-09b0252440950fd13',
    '49680-49995 Successful Terminating EC2 instance: i-07c879b741d878f9f',
    '53700-54015 Successful Terminating EC2 instance: i-02577bffac87a7463',
    '68940-68971.5 Successful Launching a new EC2 instance: i-009f6048fe245a460',
    '69000-69018.6 Successful Launching a new EC2 instance: i-0adb328cbf3158c0c',
    '69900-70215 Successful Terminating EC2 instance: i-00361524c2cc0f859',
    '72960-72990.6 Successful Launching a new EC2 instance: i-04653a5600597aab6',
    '73020-73054.3 Successful Launching a new EC2 instance: i-034ab18fd0a68e88e',
    '73920-74235 Successful Terminating EC2 instance: i-0d69c91c278601602',
    '76080-76103.1 Successful Launching a new EC2 instance: i-0555a40854578bab3',
    '76140-76167.1 Successful Launching a new EC2 instance: i-07a62722e1d69d9fc',
    '77040-77355 Successful Terminating EC2 instance: i-0555a40854578bab3',
    '78840-78877 Successful Launching a new EC2 instance: i-01fd3c01757f98d1e',
    '78900-78915.2 Successful Launching a new EC2 instance: i-016408169a38d8afc',
    '79800-80115 Successful Terminating EC2 instance: i-034ab18fd0a68e88e',
    '81420-81438.5 Successful Launching a new EC2 instance: i-0385af4635e4af862',
    '81480-81499.4 Successful Launching a new EC2 instance: i-01e70e79933a1d1c2',
    '82380-82695 Successful Terminating EC2 instance: i-01fd3c01757f98d1e',
    '84000-84034.1 Successful Launching a new EC2 instance: i-0a36bcb0167e98363',
    '84060-84098.5 Successful Launching a new EC2 instance: i-0e6256403bf3df0bb',
    '84960-85275 Successful Terminating EC2 instance: i-0385af4635e4af862',
]

DAY_ALARM_TRANSITIONS = [
    '360 High INSUFFICIENT_DATA to ALARM',
    '360 Low INSUFFICIENT_DATA to OK',
    '600 High ALARM to OK',
    '1440 Low OK to ALARM',
    '1500 Low ALARM to OK',
    '2940 High OK to ALARM',
    '3060 High ALARM to OK',
    '5940 High OK to ALARM',
    '30300 High ALARM to OK',
    '34140 Low OK to ALARM',
    '34200 Low ALARM to OK',
    '36600 Low OK to ALARM',
    '36660 Low ALARM to OK',
    '38940 Low OK to ALARM',
    '39000 Low ALARM to OK',
    '41280 Low OK to ALARM',
    '41340 Low ALARM to OK',
    '43560 Low OK to ALARM',
    '43860 Low ALARM to OK',
    '46020 Low OK to ALARM',
    '46620 Low ALARM to OK',
    '48600 Low OK to ALARM',
    '49740 Low ALARM to OK',
    '51600 Low OK to ALARM',
    '53760 Low ALARM to OK',
    '55560 Low OK to ALARM',
    '67800 Low ALARM to OK',
    '68940 High OK to ALARM',
    '69060 High ALARM to OK',
    '69900 Low OK to ALARM',
    '71760 Low ALARM to OK',
    '72960 High OK to ALARM',
    '73080 High ALARM to OK',
    '73920 Low OK to ALARM',
    '74760 Low ALARM to OK',
    '76080 High OK to ALARM',
    '76200 High ALARM to OK',
    '77040 Low OK to ALARM',
    '77340 Low ALARM to OK',
    '78840 High OK to ALARM',
    '78960 High ALARM to OK',
    '79800 Low OK to ALARM',
    '79860 Low ALARM to OK',
    '81420 High OK to ALARM',
    '81540 High ALARM to OK',
    '82380 Low OK to ALARM',
    '82440 Low ALARM to OK',
    '84000 High OK to ALARM',
    '84120 High ALARM to OK',
    '84960 Low OK to ALARM',
    '85020 Low ALARM to OK',
]

TROUBLE_HEALTH = [
    '69.1 i-03e70f16a55485822 initial->initial Elb.InitialHealthChecking',
    '69.1 i-0eece328bff7b118e initial->initial Elb.InitialHealthChecking',
    '99.1 i-03e70f16a55485822 initial->healthy None',
    '99.1 i-0eece328bff7b118e initial->healthy None',
    '399.1 i-0a81ad477fb3675b8 initial->initial Elb.InitialHealthChecking',
    '399.1 i-0468ff53d864a7a50 initial->initial Elb.InitialHealthChecking',
    '429.1 i-0a81ad477fb3675b8 initial->healthy None',
    '429.1 i-0468ff53d864a7a50 initial->healthy None',
    '459.1 i-07c879b741d878f9f initial->initial Elb.InitialHealthChecking',
    '459.1 i-03888447911ebcd49 initial->initial Elb.InitialHealthChecking',
    '459.1 i-02577bffac87a7463 initial->initial Elb.InitialHealthChecking',
    '459.1 i-09b0252440950fd13 initial->initial Elb.InitialHealthChecking',
    '489.1 i-07c879b741d878f9f initial->healthy None',
    '489.1 i-03888447911ebcd49 initial->healthy None',
    '489.1 i-02577bffac87a7463 initial->healthy None',
    '489.1 i-09b0252440950fd13 initial->healthy None',
    '519.1 i-0d69c91c278601602 initial->initial Elb.InitialHealthChecking',
    '549.1 i-0d69c91c278601602 initial->healthy None',
    '549.1 i-00361524c2cc0f859 initial->initial Elb.InitialHealthChecking',
    '579.1 i-00361524c2cc0f859 initial->healthy None',
    '1440 i-03e70f16a55485822 healthy->draining Target.DeregistrationInProgress',
    '1740 i-03e70f16a55485822 draining->unused Target.NotRegistered',
    '2979.1 i-0f40048d7c31d5a97 initial->initial Elb.InitialHealthChecking',
    '3009.1 i-0f40048d7c31d5a97 initial->healthy None',
    '3639.1 i-03888447911ebcd49 healthy->unhealthy Target.InvalidState',
    '3660 i-03888447911ebcd49 unhealthy->draining Target.DeregistrationInProgress',
    '3699.1 i-060ef147172b8ff39 initial->initial Elb.InitialHealthChecking',
    '3729.1 i-060ef147172b8ff39 initial->healthy None',
    '3960 i-03888447911ebcd49 draining->unused Target.NotRegistered',
    '7239.1 i-02577bffac87a7463 healthy->unhealthy Target.FailedHealthChecks',
    '7239.1 i-00361524c2cc0f859 healthy->unhealthy Target.ResponseCodeMismatch',
    '7239.1 i-0f40048d7c31d5a97 healthy->unhealthy Target.ResponseCodeMismatch',
    '7260 i-02577bffac87a7463 unhealthy->draining Target.DeregistrationInProgress',
    '7260 i-00361524c2cc0f859 unhealthy->draining Target.DeregistrationInProgress',
    '7260 i-0f40048d7c31d5a97 unhealthy->draining Target.DeregistrationInProgress',
    '7299.1 i-0c1378be5b7a28e0a initial->initial Elb.InitialHealthChecking',
    '7299.1 i-0658de17eec3aa314 initial->initial Elb.InitialHealthChecking',
    '7299.1 i-053710f577e9cf84f initial->initial Elb.InitialHealthChecking',
    '7329.1 i-0c1378be5b7a28e0a initial->healthy None',
    '7329.1 i-0658de17eec3aa314 initial->healthy None',
    '7329.1 i-053710f577e9cf84f initial->healthy None',
    '7560 i-02577bffac87a7463 draining->unused Target.NotRegistered',
    '7560 i-00361524c2cc0f859 draining->unused Target.NotRegistered',
    '7560 i-0f40048d7c31d5a97 draining->unused Target.NotRegistered',
    '10839.1 i-0a81ad477fb3675b8 healthy->unhealthy Target.Timeout',
    '10839.1 i-07c879b741d878f9f healthy->unhealthy Target.Timeout',
    '10839.1 i-09b0252440950fd13 healthy->unhealthy Target.Timeout',
    '10839.1 i-0d69c91c278601602 healthy->unhealthy Target.Timeout',
    '10839.1 i-0c1378be5b7a28e0a healthy->unhealthy Target.Timeout',
    '14439.1 i-0a81ad477fb3675b8 unhealthy->healthy None',
    '14439.1 i-07c879b741d878f9f unhealthy->healthy None',
    '14439.1 i-09b0252440950fd13 unhealthy->healthy None',
    '14439.1 i-0d69c91c278601602 unhealthy->healthy None',
    '14439.1 i-0c1378be5b7a28e0a unhealthy->healthy None',
    '15000 i-0a81ad477fb3675b8 healthy->draining Target.DeregistrationInProgress',
    '15000 i-07c879b741d878f9f healthy->draining Target.DeregistrationInProgress',
    '15000 i-09b0252440950fd13 healthy->draining Target.DeregistrationInProgress',
    '15000 i-0d69c91c278601602 healthy->draining Target.DeregistrationInProgress',
    '15000 i-0c1378be5b7a28e0a healthy->draining Target.DeregistrationInProgress',
    '15039.1 i-0f9ea2c64cc417e7c initial->initial Elb.InitialHealthChecking',
    '15039.1 i-0b65d12267e969cf3 initial->initial Elb.InitialHealthChecking',
    '15039.1 i-0fdd2ed7af97ccc57 initial->initial Elb.InitialHealthChecking',
    '15039.1 i-05697f17c17fd3736 initial->initial Elb.InitialHealthChecking',
    '15069.1 i-0f9ea2c64cc417e7c initial->healthy None',
    '15069.1 i-0b65d12267e969cf3 initial->healthy None',
    '15069.1 i-0fdd2ed7af97ccc57 initial->healthy None',
    '15069.1 i-05697f17c17fd3736 initial->healthy None',
    '15069.1 i-00c5a876fef0a81ed initial->initial Elb.InitialHealthChecking',
    '15099.1 i-00c5a876fef0a81ed initial->healthy None',
    '15300 i-0a81ad477fb3675b8 draining->unused Target.NotRegistered',
    '15300 i-07c879b741d878f9f draining->unused Target.NotRegistered',
    '15300 i-09b0252440950fd13 draining->unused Target.NotRegistered',
    '15300 i-0d69c91c278601602 draining->unused Target.NotRegistered',
    '15300 i-0c1378be5b7a28e0a draining->unused Target.NotRegistered',
]

TROUBLE_ACTIVITIES = [
    '0-39.1 Successful Launching a new EC2 instance: i-03e70f16a55485822',
    '0-42.7 Successful Launching a new EC2 instance: i-0eece328bff7b118e',
    '360-376.2 Successful Launching a new EC2 instance: i-0a81ad477fb3675b8',
    '360-389.8 Successful Launching a new EC2 instance: i-0468ff53d864a7a50',
    '420-443.1 Successful Launching a new EC2 instance: i-07c879b741d878f9f',
    '420-454 Successful Launching a new EC2 instance: i-02577bffac87a7463',
    '420-456.8 Successful Launching a new EC2 instance: i-09b0252440950fd13',
    '420-449 Successful Launching a new EC2 instance: i-03888447911ebcd49',
    '480-515.3 Successful Launching a new EC2 instance: i-0d69c91c278601602',
    '480-520.1 Successful Launching a new EC2 instance: i-00361524c2cc0f859',
    '1440-1755 Successful Terminating EC2 instance: i-03e70f16a55485822',
    '2940-2964.3 Successful Launching a new EC2 instance: i-0f40048d7c31d5a97',
    '3660-3960 Successful Terminating EC2 instance: i-03888447911ebcd49',
    '3660-3696.1 Successful Launching a new EC2 instance: i-060ef147172b8ff39',
    '7260-7575 Successful Terminating EC2 instance: i-02577bffac87a7463',
    '7260-7575 Successful Terminating EC2 instance: i-00361524c2cc0f859',
    '7260-7575 Successful Terminating EC2 instance: i-0f40048d7c31d5a97',
    '7260-7296.8 Successful Launching a new EC2 instance: i-053710f577e9cf84f',
    '7260-7293.3 Successful Launching a new EC2 instance: i-0c1378be5b7a28e0a',
    '7260-7294.6 Successful Launching a new EC2 instance: i-0658de17eec3aa314',
    '15000-15315 Successful Terminating EC2 instance: i-0a81ad477fb3675b8',
    '15000-15315 Successful Terminating EC2 instance: i-07c879b741d878f9f',
    '15000-15315 Successful Terminating EC2 instance: i-09b0252440950fd13',
    '15000-15315 Successful Terminating EC2 instance: i-0d69c91c278601602',
    '15000-15315 Successful Terminating EC2 instance: i-0c1378be5b7a28e0a',
    '15000-15026.3 Successful Launching a new EC2 instance: i-0b65d12267e969cf3',
    '15000-15032.5 Successful Launching a new EC2 instance: i-05697f17c17fd3736',
    '15000-15040.1 Successful Launching a new EC2 instance: i-00c5a876fef0a81ed',
    '15000-15024.1 Successful Launching a new EC2 instance: i-0f9ea2c64cc417e7c',
    '15000-15026.5 Successful Launching a new EC2 instance: i-0fdd2ed7af97ccc57',
]
