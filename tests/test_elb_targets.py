"""Target groups: registration, health check state machine on the clock, draining, algorithms, zones."""

from __future__ import annotations

import pytest

from awskit import AWSError
from awskit.http import Request, Response


def _ok(req):
    return Response(200, body="ok")


@pytest.fixture
def alb(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
    tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=3,
                                       unhealthy_threshold=2, health_check_path="/health")
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    return cloud, lb, tg


def _instance(cloud, az_index=0, app=_ok, port=80):
    inst = cloud.ec2.run_instance(subnet=cloud.vpc.default_vpc.subnets[az_index])
    inst.serve(app, port=port)
    return inst


def _state(cloud, tg, inst, port=None):
    return cloud.elb.describe_target_health(tg, [(inst, port or tg.port)])[0]


# -- create_target_group validation ----------------------------------------------------------------------
@pytest.mark.parametrize("kw", [{"health_check_interval": 4}, {"health_check_interval": 301},
                                {"health_check_timeout": 1}, {"healthy_threshold": 11},
                                {"unhealthy_threshold": 1}, {"health_check_interval": 10, "health_check_timeout": 10},
                                {"matcher": "600"}, {"matcher": "abc"}, {"health_check_path": "health"}])
def test_bad_health_check_settings_are_rejected(cloud, kw):
    with pytest.raises(AWSError) as err:
        cloud.elb.create_target_group("tg", vpc=cloud.vpc.default_vpc, **kw)
    assert err.value.code == "ValidationError"


def test_health_check_defaults(cloud):
    hc = cloud.elb.create_target_group("tg", vpc=cloud.vpc.default_vpc).health_check
    assert (hc.interval, hc.timeout, hc.healthy_threshold, hc.unhealthy_threshold, hc.matcher, hc.port) == \
        (30, 5, 5, 2, "200", "traffic-port")


def test_same_target_group_name_with_other_port_is_duplicate(cloud):
    cloud.elb.create_target_group("tg", vpc=cloud.vpc.default_vpc, port=80)
    with pytest.raises(AWSError) as err:
        cloud.elb.create_target_group("tg", vpc=cloud.vpc.default_vpc, port=81)
    assert err.value.code == "DuplicateTargetGroupName"


# -- registration -----------------------------------------------------------------------------------------
def test_instance_in_another_vpc_is_invalid_target(alb):
    cloud, _lb, tg = alb
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    sub = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
    inst = cloud.ec2.run_instance(subnet=sub)
    with pytest.raises(AWSError) as err:
        cloud.elb.register_targets(tg, inst)
    assert err.value.code == "InvalidTarget"


def test_terminated_instance_is_invalid_target(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.ec2.terminate_instances([inst])
    cloud.clock.advance(minutes=1)
    with pytest.raises(AWSError) as err:
        cloud.elb.register_targets(tg, inst)
    assert err.value.code == "InvalidTarget"


def test_two_ports_of_one_instance_are_two_targets(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    inst.serve(_ok, port=8080)
    cloud.elb.register_targets(tg, [inst, (inst, 8080)])
    assert sorted(tg.targets) == [(inst.id, 80), (inst.id, 8080)]


def test_registering_twice_is_a_no_op(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    cloud.elb.register_targets(tg, inst)
    assert len(tg.targets) == 1


def test_new_target_starts_initial_registration_in_progress(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    row = _state(cloud, tg, inst)
    assert (row.state.value, row.reason) == ("initial", "Elb.RegistrationInProgress")


def test_target_in_a_group_no_balancer_uses_is_unused(cloud):
    tg = cloud.elb.create_target_group("idle", vpc=cloud.vpc.default_vpc)
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    row = _state(cloud, tg, inst)
    assert (row.state.value, row.reason) == ("unused", "Target.NotInUse")


def test_target_in_a_zone_the_balancer_does_not_use_is_unused(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud, az_index=3)
    cloud.elb.register_targets(tg, inst)
    assert (_state(cloud, tg, inst).state.value, _state(cloud, tg, inst).reason) == ("unused", "Target.NotInUse")


def test_unregistered_target_reports_not_registered(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    row = _state(cloud, tg, inst)
    assert (row.state.value, row.reason) == ("unused", "Target.NotRegistered")


# -- the health check state machine ------------------------------------------------------------------------
def test_healthy_after_threshold_times_interval(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.clock.advance(minutes=1)                         # the instance is running
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(15)
    assert _state(cloud, tg, inst).state.value == "initial"
    assert _state(cloud, tg, inst).reason == "Elb.InitialHealthChecking"
    cloud.clock.advance(15)                                 # 3 checks at 10 s intervals: about 30 s
    assert _state(cloud, tg, inst).state.value == "healthy"


def test_stopped_instance_turns_unhealthy_after_two_failed_checks(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    cloud.ec2.stop_instances([inst])
    cloud.clock.advance(10)
    assert _state(cloud, tg, inst).state.value == "healthy"      # one failure is not enough
    cloud.clock.advance(10)
    row = _state(cloud, tg, inst)
    assert (row.state.value, row.reason) == ("unhealthy", "Target.InvalidState")


def test_wrong_status_code_is_response_code_mismatch(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud, app=lambda req: Response(404))
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    row = _state(cloud, tg, inst)
    assert (row.state.value, row.reason) == ("unhealthy", "Target.ResponseCodeMismatch")
    assert "404" in row.description


def test_matcher_range_accepts_other_success_codes(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
    tg = cloud.elb.create_target_group("tg", vpc=vpc, matcher="200-299", health_check_interval=10,
                                       healthy_threshold=2)
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    inst = _instance(cloud, app=lambda req: Response(204))
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    assert _state(cloud, tg, inst).state.value == "healthy"


def test_health_checks_use_the_configured_path(alb):
    cloud, _lb, tg = alb
    paths = []
    inst = _instance(cloud, app=lambda req: (paths.append(req.path), Response(200))[1])
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=1)
    assert paths and set(paths) == {"/health"}


def test_failed_zone_gives_timeout(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    cloud.fail_az(inst.availability_zone.name)
    cloud.clock.advance(30)
    assert _state(cloud, tg, inst).reason == "Target.Timeout"


def test_unhealthy_target_recovers_after_healthy_threshold(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    inst.stop_serving(80)
    cloud.clock.advance(30)
    assert _state(cloud, tg, inst).state.value == "unhealthy"
    inst.serve(_ok)
    cloud.clock.advance(20)
    assert _state(cloud, tg, inst).state.value == "unhealthy"
    cloud.clock.advance(10)
    assert _state(cloud, tg, inst).state.value == "healthy"


def test_a_booting_instance_fails_health_checks_until_it_runs(alb):
    cloud, _lb, tg = alb
    inst = _instance(cloud)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    assert _state(cloud, tg, inst).state.value == "healthy"


def test_health_transitions_are_published(alb):
    cloud, _lb, tg = alb
    seen = []
    cloud.events.subscribe("elb.target.health", lambda m: seen.append((m["old"], m["new"])))
    inst = _instance(cloud)
    cloud.clock.advance(minutes=1)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=2)
    assert ("initial", "healthy") in seen


def test_one_clock_event_per_target_group(alb):
    cloud, _lb, tg = alb
    for _ in range(5):
        cloud.elb.register_targets(tg, _instance(cloud))
    assert sum(1 for e in cloud.clock.pending if e.name == "health checks web") == 1


def test_traffic_moves_away_from_an_unhealthy_target(alb):
    cloud, lb, tg = alb
    a, b = _instance(cloud), _instance(cloud)
    cloud.elb.register_targets(tg, [a, b])
    cloud.clock.advance(minutes=2)
    a.stop_serving(80)
    cloud.clock.advance(30)
    got = {cloud.elb.send(lb, Request("GET", "/")).target.id for _ in range(10)}
    assert got == {b.id}


def test_fail_open_when_no_target_is_healthy(alb):
    cloud, lb, tg = alb
    a, b = _instance(cloud), _instance(cloud)
    for inst in (a, b):
        inst.serve(lambda req: Response(500) if req.path == "/health" else Response(200, body="ok"))
    cloud.elb.register_targets(tg, [a, b])
    cloud.clock.advance(minutes=2)
    assert all(r.state.value == "unhealthy" for r in cloud.elb.describe_target_health(tg))
    results = [cloud.elb.send(lb, Request("GET", "/")) for _ in range(4)]
    assert {r.status for r in results} == {200} and {r.target.id for r in results} == {a.id, b.id}


# -- draining ---------------------------------------------------------------------------------------------
def test_deregistered_target_drains_then_disappears(alb):
    cloud, lb, tg = alb
    cloud.elb.modify_target_group_attributes(tg, {"deregistration_delay.timeout_seconds": "60"})
    a, b = _instance(cloud), _instance(cloud)
    cloud.elb.register_targets(tg, [a, b])
    cloud.clock.advance(minutes=2)
    cloud.elb.deregister_targets(tg, a)
    row = _state(cloud, tg, a)
    assert (row.state.value, row.reason) == ("draining", "Target.DeregistrationInProgress")
    assert {cloud.elb.send(lb, Request("GET", "/")).target.id for _ in range(6)} == {b.id}
    cloud.clock.advance(61)
    assert _state(cloud, tg, a).reason == "Target.NotRegistered" and (a.id, 80) not in tg.targets


def test_default_deregistration_delay_is_300_seconds(alb):
    cloud, _lb, tg = alb
    a = _instance(cloud)
    cloud.elb.register_targets(tg, a)
    cloud.clock.advance(minutes=2)
    cloud.elb.deregister_targets(tg, a)
    cloud.clock.advance(299)
    assert _state(cloud, tg, a).state.value == "draining"
    cloud.clock.advance(2)
    assert _state(cloud, tg, a).state.value == "unused"


def test_deregistering_an_unknown_target_is_invalid(alb):
    cloud, _lb, tg = alb
    with pytest.raises(AWSError) as err:
        cloud.elb.deregister_targets(tg, _instance(cloud))
    assert err.value.code == "InvalidTarget"


def test_bad_attribute_value_is_rejected(alb):
    cloud, _lb, tg = alb
    with pytest.raises(AWSError) as err:
        cloud.elb.modify_target_group_attributes(tg, {"load_balancing.algorithm.type": "random"})
    assert err.value.code == "ValidationError"


# -- algorithms and zones -----------------------------------------------------------------------------------
def test_round_robin_takes_turns(alb):
    cloud, lb, tg = alb
    insts = [_instance(cloud) for _ in range(3)]
    cloud.elb.register_targets(tg, insts)
    cloud.clock.advance(minutes=2)
    ids = [cloud.elb.send(lb, Request("GET", "/")).target.id for _ in range(6)]
    assert ids[:3] == ids[3:] and len(set(ids)) == 3


def test_least_outstanding_requests_prefers_the_idle_target(alb):
    cloud, lb, tg = alb
    cloud.elb.modify_target_group_attributes(tg, {"load_balancing.algorithm.type": "least_outstanding_requests"})
    a, b = _instance(cloud), _instance(cloud)
    cloud.elb.register_targets(tg, [a, b])
    cloud.clock.advance(minutes=2)
    tg.targets[(a.id, 80)].outstanding = 5
    result = cloud.elb.send(lb, Request("GET", "/"))
    assert result.target.id == b.id and "least outstanding" in result.selection


def _two_and_eight(cloud, lb, tg):
    insts = [_instance(cloud, 0) for _ in range(2)] + [_instance(cloud, 1) for _ in range(8)]
    cloud.elb.register_targets(tg, insts)
    cloud.clock.advance(minutes=2)
    return insts


def test_cross_zone_on_spreads_evenly(alb):
    cloud, lb, tg = alb
    insts = _two_and_eight(cloud, lb, tg)
    d = cloud.elb.distribution(lb, 1000)
    assert {d.share(f"{i.id}:80") for i in insts} == {0.1}


def test_cross_zone_off_gives_the_small_zone_more_each(alb):
    cloud, lb, tg = alb
    cloud.elb.modify_target_group_attributes(tg, {"load_balancing.cross_zone.enabled": "false"})
    insts = _two_and_eight(cloud, lb, tg)
    d = cloud.elb.distribution(lb, 1600)
    assert [d.share(f"{i.id}:80") for i in insts] == [0.25] * 2 + [0.0625] * 8
    assert d.per_az == {"us-east-1a": 800, "us-east-1b": 800}


def test_cross_zone_off_keeps_requests_in_the_node_zone(alb):
    cloud, lb, tg = alb
    cloud.elb.modify_target_group_attributes(tg, {"load_balancing.cross_zone.enabled": "false"})
    _two_and_eight(cloud, lb, tg)
    results = [cloud.elb.send(lb, Request("GET", "/"), az="us-east-1a") for _ in range(5)]
    assert {r.target.availability_zone for r in results} == {"us-east-1a"}


def test_alb_cross_zone_cannot_be_turned_off_on_the_balancer(alb):
    cloud, lb, _tg = alb
    with pytest.raises(AWSError) as err:
        cloud.elb.modify_load_balancer_attributes(lb, {"load_balancing.cross_zone.enabled": "false"})
    assert err.value.code == "InvalidConfigurationRequest"


def test_route_load_splits_a_rate_over_healthy_targets(alb):
    cloud, lb, tg = alb
    insts = [_instance(cloud) for _ in range(4)]
    cloud.elb.register_targets(tg, insts)
    cloud.clock.advance(minutes=2)
    report = cloud.elb.route_load(lb, 400.0)
    assert sorted(round(v, 6) for v in report.per_target.values()) == [100.0] * 4


def test_route_load_splits_every_minute_of_a_day_evenly(alb):
    # (how fast a simulated day runs is measured in bench/, not asserted here)
    cloud, lb, tg = alb
    cloud.elb.register_targets(tg, [_instance(cloud) for _ in range(10)])
    cloud.clock.advance(minutes=2)
    for minute in range(1440):
        report = cloud.elb.route_load(lb, 100 + minute % 300)
        assert len(report.per_target) == 10
    assert sum(report.per_target.values()) == pytest.approx(100 + 1439 % 300)


def test_slow_start_ramps_a_new_target(alb):
    cloud, lb, tg = alb
    cloud.elb.modify_target_group_attributes(tg, {"slow_start.duration_seconds": "300"})
    old = _instance(cloud)
    cloud.elb.register_targets(tg, old)
    cloud.clock.advance(minutes=10)
    new = _instance(cloud)
    cloud.elb.register_targets(tg, new)
    cloud.clock.advance(minutes=1)
    report = cloud.elb.route_load(lb, 100.0, record=False)
    shares = {t.id: r for t, r in report.per_target.items()}
    assert shares[new.id] < shares[old.id]
