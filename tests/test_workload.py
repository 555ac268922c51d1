"""Traffic profiles and the queueing model that turns requests into CPU, latency and errors."""


import pytest

from awskit import Cloud
from awskit.core.errors import AWSError
from awskit.http import Response
from awskit.workload import Workload, constant, daily_cycle, ramp, spike


def test_constant_and_ramp_profiles():
    r = ramp(10, 110, over=100, at=50)
    assert constant(7)(123) == 7.0
    assert (r(0), r(100), r(150), r(999)) == (10.0, 60.0, 110.0, 110.0)


def test_daily_cycle_peaks_at_peak_hour_and_bottoms_twelve_hours_later():
    d = daily_cycle(peak=300, trough=30, peak_hour=14)
    assert d(5 * 3600) == pytest.approx(300)      # 14:00 (the clock starts at 09:00)
    assert d(17 * 3600) == pytest.approx(30)      # 02:00


def test_profiles_compose_with_sum_and_product():
    p = constant(100) * spike(1, 3, at=600, duration=60) + 5
    assert (p(0), p(630), p(660)) == (105.0, 305.0, 105.0)


def test_bad_profile_argument_is_rejected():
    with pytest.raises(AWSError) as err:
        ramp(10, 20, over=0)
    assert err.value.code == "InvalidParameterValue"


def test_step_must_divide_a_minute(cloud):
    with pytest.raises(AWSError) as err:
        Workload(cloud, 10, target=[], step=7)
    assert err.value.code == "InvalidParameterValue"


def test_cpu_is_load_over_capacity(cloud):
    web = cloud.ec2.run_instance(instance_type="t3.micro")       # 2 vCPU x 25 = 50 requests/s
    Workload(cloud, constant(20), target=[web])
    cloud.clock.advance(minutes=2)
    assert web.cpu_load == 40.0


def test_response_time_follows_mm1(cloud):
    web = cloud.ec2.run_instance(instance_type="t3.micro")
    w = Workload(cloud, constant(40), target=[web], service_ms=20)
    cloud.clock.advance(minutes=2)
    assert w.history[-1].response_ms == pytest.approx(20 / (1 - 0.8))   # 100 ms


def test_overload_fails_requests_above_capacity(cloud):
    web = cloud.ec2.run_instance(instance_type="t3.micro")
    w = Workload(cloud, constant(80), target=[web], timeout_ms=5000)
    cloud.clock.advance(minutes=2)
    last = w.history[-1]
    assert web.cpu_load == 100.0 and last.errors == pytest.approx(30 * 60) and last.response_ms == 5000


def test_traffic_before_instances_run_is_all_errors(cloud):
    web = cloud.ec2.run_instance(instance_type="t3.micro")
    w = Workload(cloud, constant(10), target=[web], step=1)
    cloud.clock.advance(seconds=10)
    cloud.clock.advance(seconds=50)
    assert w.history[0].errors > 0


def test_history_has_one_row_per_minute_at_one_second_steps(cloud):
    web = cloud.ec2.run_instance(instance_type="t3.micro")
    w = Workload(cloud, constant(10), target=[web], step=1)
    cloud.clock.advance(minutes=5)
    assert [s.time for s in w.history] == [0.0, 60.0, 120.0, 180.0, 240.0]


def test_instances_in_a_failed_zone_time_out_without_a_load_balancer(cloud):
    a, b = cloud.vpc.default_vpc.subnets[:2]
    x, y = cloud.ec2.run_instance(subnet=a), cloud.ec2.run_instance(subnet=b)
    w = Workload(cloud, constant(20), target=[x, y])
    cloud.clock.advance(minutes=2)
    cloud.fail_az(a.availability_zone.name)
    cloud.clock.advance(minutes=1)
    assert w.history[-1].errors == pytest.approx(10 * 60)


def alb_world(seed=0):
    cloud = Cloud(seed=seed)
    vpc = cloud.vpc.default_vpc
    subs = vpc.subnets[:2]
    alb = cloud.elb.create_load_balancer("shop", subnets=subs)
    tg = cloud.elb.create_target_group("shop", vpc=vpc, healthy_threshold=2)
    cloud.elb.create_listener(alb, port=80, default_actions=tg)
    lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=2, max_size=10, subnets=subs,
                                                    target_group_arns=[tg.arn], health_check_type="ELB",
                                                    health_check_grace_period=120)
    cloud.events.subscribe("autoscaling.instance.lifecycle", lambda m: m["state"] == "InService" and
                           cloud.ec2.get_instance(m["instance"]).serve(lambda r: Response(200, body="ok")))
    cloud.autoscaling.put_scaling_policy(g, "cpu50", policy_type="TargetTrackingScaling",
                                         predefined_metric="ASGAverageCPUUtilization", target_value=50)
    return cloud, alb, tg, g


def test_load_balancer_routes_only_to_healthy_targets_and_emits_alb_metrics():
    cloud, alb, tg, g = alb_world()
    w = Workload(cloud, constant(30), target=alb, group=g)
    cloud.clock.advance(minutes=5)
    assert w.history[-1].errors == 0 and w.history[-1].cpu_avg == pytest.approx(30.0)
    m = cloud.cloudwatch.get_metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.metric_id})
    assert m.sums[-1] == pytest.approx(30 * 60)
    per = cloud.cloudwatch.get_metric("AWS/ApplicationELB", "RequestCountPerTarget",
                                      {"TargetGroup": f"targetgroup/{tg.name}/{tg.id}"})
    assert per.sums[-1] == pytest.approx(15 * 60)


def test_a_day_at_one_minute_resolution_scales_with_the_cycle():
    # How long a simulated day takes is measured in bench/simulation_speed.py, not asserted here.
    cloud, alb, _tg, g = alb_world(1)
    w = Workload(cloud, daily_cycle(300, 30), target=alb, group=g)
    cloud.clock.advance(days=1)
    assert len(w.history) == 1440
    assert g.desired_capacity >= 2 and max(a.start for a in g.activities) > 3600


def test_serve_app_runs_on_instances_the_group_launches_later(cloud):
    from awskit.http import Request
    from awskit.workload import serve_app

    lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=1, max_size=3,
                                                    availability_zones=["us-east-1a"])
    serve_app(g)
    cloud.autoscaling.set_desired_capacity(g, 3)
    cloud.clock.advance(minutes=1)
    assert [gi.instance.handle(Request("GET", "/")).status for gi in g.instances.values()] == [200, 200, 200]


def test_serve_app_needs_a_group(cloud):
    from awskit.workload import serve_app

    with pytest.raises(AWSError) as err:
        serve_app("web")
    assert err.value.code == "InvalidParameterValue"
