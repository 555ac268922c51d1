"""Auto Scaling groups: placement, lifecycle, health replacement, AZ outages, deletion, templates."""

import pytest

from awskit.autoscaling import LifecycleState
from awskit.core.errors import AWSError


@pytest.fixture
def asg(cloud):
    return cloud.autoscaling


@pytest.fixture
def lt(asg):
    return asg.create_launch_template("web", instance_type="t3.micro")


def subnets(cloud, n=3):
    return cloud.vpc.default_vpc.subnets[:n]


def make(asg, lt, cloud, *, n_subnets=3, **kw):
    kw.setdefault("min_size", 1)
    kw.setdefault("max_size", 10)
    return asg.create_auto_scaling_group("web", launch_template=lt, subnets=subnets(cloud, n_subnets), **kw)


def test_desired_defaults_to_min_size(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=2)
    assert g.desired_capacity == 2 and g.capacity == 2


def test_desired_outside_bounds_is_validation_error(cloud, asg, lt):
    with pytest.raises(AWSError) as err:
        make(asg, lt, cloud, min_size=2, max_size=4, desired_capacity=5)
    assert err.value.code == "ValidationError"


def test_min_above_max_is_validation_error(cloud, asg, lt):
    with pytest.raises(AWSError) as err:
        make(asg, lt, cloud, min_size=5, max_size=4)
    assert err.value.code == "ValidationError"


def test_duplicate_group_name_is_already_exists(cloud, asg, lt):
    make(asg, lt, cloud)
    with pytest.raises(AWSError) as err:
        make(asg, lt, cloud)
    assert err.value.code == "AlreadyExists"


def test_group_needs_exactly_one_launch_source(cloud, asg):
    with pytest.raises(AWSError) as err:
        asg.create_auto_scaling_group("web", min_size=1, max_size=2, subnets=subnets(cloud))
    assert err.value.code == "ValidationError"


def test_unknown_launch_template_is_validation_error(cloud, asg):
    with pytest.raises(AWSError) as err:
        asg.create_auto_scaling_group("web", launch_template="nope", min_size=1, max_size=2, subnets=subnets(cloud))
    assert err.value.code == "ValidationError"


def test_instances_balance_across_zones_in_subnet_order(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=5)
    azs = [s.availability_zone.name for s in subnets(cloud)]
    assert [gi.availability_zone for gi in g.instances.values()] == [azs[0], azs[1], azs[2], azs[0], azs[1]]


def test_instances_go_pending_then_in_service(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=2)
    assert {gi.lifecycle for gi in g.instances.values()} == {LifecycleState.PENDING}
    cloud.clock.advance(minutes=1)
    assert {gi.lifecycle for gi in g.instances.values()} == {LifecycleState.IN_SERVICE}


def test_members_carry_the_group_tag_and_propagated_tags(cloud, asg, lt):
    g = make(asg, lt, cloud, tags={"team": "shop", "secret": ("x", False)})
    inst = next(iter(g.instances.values())).instance
    assert inst.tags["aws:autoscaling:groupName"] == "web"
    assert inst.tags["team"] == "shop" and "secret" not in inst.tags


def test_latest_template_version_is_resolved_at_launch(cloud, asg, lt):
    g = make(asg, lt, cloud, launch_template_version="$Latest")
    asg.create_launch_template_version(lt, instance_type="t3.small")
    asg.set_desired_capacity(g, 2)
    types = [gi.instance_type for gi in g.instances.values()]
    assert types == ["t3.micro", "t3.small"]


def test_set_desired_capacity_above_max_is_validation_error(cloud, asg, lt):
    g = make(asg, lt, cloud, max_size=3)
    with pytest.raises(AWSError) as err:
        asg.set_desired_capacity(g, 4)
    assert err.value.code == "ValidationError"


def test_scale_in_terminates_from_the_fullest_zone(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, desired_capacity=4)
    cloud.clock.advance(minutes=1)
    full = g.subnets[0].availability_zone.name          # 2 instances there, 1 in each other zone
    asg.set_desired_capacity(g, 3)
    terminating = [gi for gi in g.instances.values() if gi.lifecycle is LifecycleState.TERMINATING]
    assert len(terminating) == 1 and terminating[0].availability_zone == full


def test_protected_instances_survive_scale_in(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, desired_capacity=2, n_subnets=1)
    cloud.clock.advance(minutes=1)
    first, second = list(g.instances.values())
    asg.set_instance_protection(g, [first.id], True)
    asg.set_desired_capacity(g, 1)
    assert first.lifecycle is LifecycleState.IN_SERVICE and second.lifecycle is LifecycleState.TERMINATING


def test_newest_instance_policy_terminates_the_newest(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, n_subnets=1, termination_policies=["NewestInstance"])
    cloud.clock.advance(minutes=5)
    asg.set_desired_capacity(g, 2)
    cloud.clock.advance(minutes=1)
    newest = max(g.instances.values(), key=lambda gi: gi.launched_at)
    asg.set_desired_capacity(g, 1)
    assert newest.lifecycle is LifecycleState.TERMINATING


def test_terminated_instances_leave_the_group(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=0, desired_capacity=2)
    cloud.clock.advance(minutes=1)
    asg.set_desired_capacity(g, 0)
    cloud.clock.advance(minutes=1)
    assert g.instances == {} and all(a.status.value == "Successful" for a in g.activities)


def test_stopped_member_is_unhealthy_at_the_next_check(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, n_subnets=1, health_check_grace_period=300)
    cloud.clock.advance(minutes=1)
    victim = next(iter(g.instances.values()))
    cloud.ec2.stop_instances(victim.instance)
    cloud.clock.advance(minutes=1)
    assert victim.health == "Unhealthy"


def test_impaired_member_is_replaced_only_after_grace_period(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, n_subnets=1, health_check_grace_period=300)
    cloud.clock.advance(minutes=3)                            # InService at ~0:30, status checks ok
    member = next(iter(g.instances.values()))
    member.instance.system_status = "impaired"
    cloud.clock.advance(minutes=2)
    assert member.health == "Healthy"                         # grace lasts until ~5:30
    cloud.clock.advance(minutes=2)
    assert member.lifecycle in (LifecycleState.TERMINATING, LifecycleState.TERMINATED)
    assert g.capacity == 1 and member.id not in {gi.id for gi in g.active}


def test_replacement_is_terminate_then_launch_with_aws_causes(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, n_subnets=1)
    cloud.clock.advance(minutes=1)
    victim = next(iter(g.instances.values()))
    asg.set_instance_health(victim.id, "Unhealthy")
    cloud.clock.advance(minutes=1)
    kinds = [(a.kind, a.instance_id == victim.id) for a in g.activities]
    assert kinds[-2:] == [("terminate", True), ("launch", False)]
    assert "in response to a user health-check" in g.activities[-2].cause
    assert "increasing the capacity from 0 to 1" in g.activities[-1].cause


def test_az_outage_moves_capacity_to_healthy_zones_then_rebalances(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=4, n_subnets=2)
    cloud.clock.advance(minutes=3)
    a, b = g.availability_zones
    cloud.fail_az(a)
    cloud.clock.advance(minutes=5)
    assert g.zone_counts() == {a: 0, b: 4} and len(g.in_service) == 4
    cloud.restore_az(a)
    cloud.clock.advance(minutes=10)
    assert g.zone_counts() == {a: 2, b: 2} and g.capacity == 4
    lines = g.narrate()
    assert any("rebalancing: launched into " + a in line for line in lines)


def test_rebalance_launches_before_it_terminates(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=2, max_size=2, n_subnets=2)
    cloud.clock.advance(minutes=3)
    a, _b = g.availability_zones
    cloud.fail_az(a)
    cloud.clock.advance(minutes=3)
    cloud.restore_az(a)
    seen = []
    cloud.events.subscribe("autoscaling.activity", lambda m: seen.append((m["kind"], m["status"])))
    cloud.clock.advance(minutes=5)
    assert seen[0] == ("launch", "InProgress") and ("terminate", "InProgress") in seen
    assert seen.index(("launch", "Successful")) < seen.index(("terminate", "InProgress"))


def test_suspended_replace_unhealthy_keeps_the_bad_instance(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, n_subnets=1)
    cloud.clock.advance(minutes=1)
    asg.suspend_processes(g, ["ReplaceUnhealthy"])
    victim = next(iter(g.instances.values()))
    asg.set_instance_health(victim.id, "Unhealthy")
    cloud.clock.advance(minutes=3)
    assert victim.lifecycle is LifecycleState.IN_SERVICE


def test_unknown_process_name_is_validation_error(cloud, asg, lt):
    g = make(asg, lt, cloud)
    with pytest.raises(AWSError) as err:
        asg.suspend_processes(g, ["Reboot"])
    assert err.value.code == "ValidationError"


def test_delete_with_instances_is_resource_in_use(cloud, asg, lt):
    g = make(asg, lt, cloud)
    cloud.clock.advance(minutes=1)
    with pytest.raises(AWSError) as err:
        asg.delete_auto_scaling_group(g)
    assert err.value.code == "ResourceInUse"


def test_delete_during_activity_is_scaling_activity_in_progress(cloud, asg, lt):
    g = make(asg, lt, cloud)
    with pytest.raises(AWSError) as err:
        asg.delete_auto_scaling_group(g)
    assert err.value.code == "ScalingActivityInProgress"


def test_force_delete_terminates_instances_then_forgets_the_group(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=2)
    cloud.clock.advance(minutes=1)
    insts = [gi.instance for gi in g.instances.values()]
    asg.delete_auto_scaling_group(g, force_delete=True)
    assert g.status == "Delete in progress" and "web" in asg._groups
    cloud.clock.advance(minutes=1)
    assert "web" not in asg._groups and {i.state.value for i in insts} == {"terminated"}


def test_terminate_instance_with_decrement_shrinks_the_group(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1, desired_capacity=2)
    cloud.clock.advance(minutes=1)
    victim = next(iter(g.instances.values()))
    act = asg.terminate_instance_in_auto_scaling_group(victim.id, should_decrement_desired_capacity=True)
    cloud.clock.advance(minutes=1)
    assert g.desired_capacity == 1 and g.capacity == 1
    assert "shrinking the capacity from 2 to 1" in act.cause


def test_terminate_instance_below_min_is_validation_error(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1)
    cloud.clock.advance(minutes=1)
    with pytest.raises(AWSError) as err:
        asg.terminate_instance_in_auto_scaling_group(next(iter(g.instances)), should_decrement_desired_capacity=True)
    assert err.value.code == "ValidationError"


def test_launch_failure_is_a_failed_activity(cloud, asg):
    bad = asg.create_launch_template("bad", image="ami-00000000000000000", instance_type="t3.micro")
    g = asg.create_auto_scaling_group("web", launch_template=bad, min_size=1, max_size=2, subnets=subnets(cloud))
    assert g.capacity == 0 and g.activities[-1].status.value == "Failed"


def test_update_raising_min_raises_desired(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=1)
    asg.update_auto_scaling_group(g, min_size=3)
    assert g.desired_capacity == 3 and g.capacity == 3


def test_members_register_with_target_group_when_in_service(cloud, asg, lt):
    vpc = cloud.vpc.default_vpc
    tg = cloud.elb.create_target_group("web", vpc=vpc)
    g = make(asg, lt, cloud, min_size=2, target_group_arns=[tg.arn])
    assert tg.targets == {}
    cloud.clock.advance(minutes=1)
    assert {t.id for t in tg.targets.values()} == set(g.instances)


def test_unknown_target_group_is_validation_error(cloud, asg, lt):
    with pytest.raises(AWSError) as err:
        make(asg, lt, cloud, target_group_arns=["arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1"])
    assert err.value.code == "ValidationError"


def test_group_metrics_are_published_when_enabled(cloud, asg, lt):
    g = make(asg, lt, cloud, min_size=2)
    asg.enable_metrics_collection(g, ["GroupInServiceInstances"])
    cloud.clock.advance(minutes=3)
    m = cloud.cloudwatch.get_metric("AWS/AutoScaling", "GroupInServiceInstances", {"AutoScalingGroupName": "web"})
    assert m is not None and m.sums[-1] == 2


def test_duplicate_launch_template_name_is_rejected(asg, lt):
    with pytest.raises(AWSError) as err:
        asg.create_launch_template("web")
    assert err.value.code == "InvalidLaunchTemplateName.AlreadyExistsException"


def test_launch_configuration_in_use_cannot_be_deleted(cloud, asg):
    lc = asg.create_launch_configuration("old", image=cloud.ec2.images[0].id, instance_type="t3.micro")
    asg.create_auto_scaling_group("web", launch_configuration=lc, min_size=0, max_size=1, subnets=subnets(cloud))
    with pytest.raises(AWSError) as err:
        asg.delete_launch_configuration("old")
    assert err.value.code == "ResourceInUse"


def test_describe_instances_with_ids_that_are_not_a_list_is_validation_error(asg):
    with pytest.raises(AWSError) as err:
        asg.describe_auto_scaling_instances(7)
    assert err.value.code == "ValidationError"
