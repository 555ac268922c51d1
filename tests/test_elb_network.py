"""NLB flow hashing, classic load balancers, DNS resolution, connections, metrics, bill and the facades."""

from __future__ import annotations

import pytest

from awskit import AWSError
from awskit.http import Request, Response


def _ok(req):
    return Response(200, body="ok")


def _instance(cloud, az_index=0, port=80, app=_ok):
    inst = cloud.ec2.run_instance(subnet=cloud.vpc.default_vpc.subnets[az_index])
    inst.serve(app, port=port)
    return inst


@pytest.fixture
def nlb(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("tcp", subnets=vpc.subnets[:2], type="network")
    tg = cloud.elb.create_target_group("tcp", protocol="TCP", port=80, vpc=vpc, health_check_interval=10,
                                       healthy_threshold=2)
    cloud.elb.create_listener(lb, port=80, protocol="TCP", default_actions=tg)
    insts = [_instance(cloud, i % 2) for i in range(6)]
    cloud.elb.register_targets(tg, insts)
    cloud.clock.advance(minutes=3)
    return cloud, lb, tg, insts


@pytest.fixture
def clb(cloud):
    lb = cloud.elb.create_classic_load_balancer("old", listeners=[("HTTP", 80, "HTTP", 80)],
                                                availability_zones=["us-east-1a", "us-east-1b"])
    cloud.elb.configure_health_check(lb, target="HTTP:80/index.html", interval=10, timeout=5,
                                     unhealthy_threshold=2, healthy_threshold=2)
    return cloud, lb


# -- NLB --------------------------------------------------------------------------------------------------
def test_nlb_dns_name_format(nlb):
    _cloud, lb, _tg, _insts = nlb
    assert lb.dns_name == f"tcp-{lb.id}.elb.us-east-1.amazonaws.com"


def test_nlb_has_one_static_ip_per_zone(nlb):
    cloud, lb, _tg, _insts = nlb
    ips = cloud.elb.static_ips(lb)
    cloud.clock.advance(hours=5)
    assert sorted(ips) == ["us-east-1a", "us-east-1b"] and cloud.elb.static_ips(lb) == ips


def test_nlb_tcp_health_check_passes_when_something_listens(nlb):
    cloud, _lb, tg, _insts = nlb
    assert {r.state.value for r in cloud.elb.describe_target_health(tg)} == {"healthy"}


def test_nlb_tcp_health_check_fails_when_nothing_listens(nlb):
    cloud, _lb, tg, insts = nlb
    insts[0].stop_serving(80)
    cloud.clock.advance(30)
    assert cloud.elb.describe_target_health(tg, [insts[0]])[0].reason == "Target.FailedHealthChecks"


def test_nlb_same_flow_lands_on_the_same_target(nlb):
    cloud, lb, _tg, _insts = nlb
    first = cloud.elb.flow_target(lb, "198.51.100.1", 50000, az="us-east-1a")
    again = {cloud.elb.flow_target(lb, "198.51.100.1", 50000, az="us-east-1a").id for _ in range(10)}
    assert again == {first.id}


def test_nlb_different_flows_spread_out(nlb):
    cloud, lb, _tg, insts = nlb
    cloud.elb.modify_load_balancer_attributes(lb, {"load_balancing.cross_zone.enabled": "true"})
    hit = {cloud.elb.flow_target(lb, "198.51.100.1", port).id for port in range(40000, 40200)}
    assert hit == {i.id for i in insts}


def test_nlb_cross_zone_is_off_by_default(nlb):
    cloud, lb, _tg, _insts = nlb
    assert lb.attributes["load_balancing.cross_zone.enabled"] == "false"
    hit = {cloud.elb.flow_target(lb, "198.51.100.1", p, az="us-east-1b").availability_zone
           for p in range(40000, 40100)}
    assert hit == {"us-east-1b"}


def test_nlb_send_delivers_the_request_untouched(nlb):
    cloud, lb, _tg, _insts = nlb
    result = cloud.elb.send(lb, Request("GET", "/x", client_ip="198.51.100.4"))
    assert result.status == 200 and "X-Forwarded-For" not in result.request.headers


def test_nlb_rejects_http_listener(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("n", subnets=vpc.subnets[:2], type="network")
    tg = cloud.elb.create_target_group("n", protocol="TCP", vpc=vpc)
    with pytest.raises(AWSError) as err:
        cloud.elb.create_listener(lb, port=80, protocol="HTTP", default_actions=tg)
    assert err.value.code == "ValidationError"


def test_nlb_cannot_forward_to_an_http_group(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("n", subnets=vpc.subnets[:2], type="network")
    tg = cloud.elb.create_target_group("h", protocol="HTTP", vpc=vpc)
    with pytest.raises(AWSError) as err:
        cloud.elb.create_listener(lb, port=80, protocol="TCP", default_actions=tg)
    assert err.value.code == "IncompatibleProtocols"


# -- classic ----------------------------------------------------------------------------------------------
def test_classic_defaults_follow_the_api(cloud):
    lb = cloud.elb.create_classic_load_balancer("c", listeners=[("HTTP", 80, "HTTP", 8080)],
                                                availability_zones=["us-east-1a"])
    assert (lb.cross_zone, lb.connection_draining, lb.health_check.target, lb.health_check.healthy_threshold) == \
        (False, False, "TCP:8080", 10)


@pytest.mark.parametrize("target", ["HTTP:80", "TCP:80/x", "FTP:21", "HTTP:99999/x", "nonsense"])
def test_classic_bad_health_check_target_is_rejected(clb, target):
    cloud, lb = clb
    with pytest.raises(AWSError) as err:
        cloud.elb.configure_health_check(lb, target=target)
    assert err.value.code == "ValidationError"


def test_classic_https_listener_needs_a_certificate(cloud):
    with pytest.raises(AWSError) as err:
        cloud.elb.create_classic_load_balancer("c", listeners=[("HTTPS", 443, "HTTP", 80)],
                                               availability_zones=["us-east-1a"])
    assert err.value.code == "CertificateNotFound"


def test_classic_instance_goes_in_service(clb):
    cloud, lb = clb
    inst = _instance(cloud)
    cloud.clock.advance(minutes=1)
    cloud.elb.register_instances_with_load_balancer(lb, inst)
    row = cloud.elb.describe_instance_health(lb)[0]
    assert (row.state, row.reason_code, row.description) == ("OutOfService", "ELB",
                                                             "Instance registration is still in progress.")
    cloud.clock.advance(30)
    row = cloud.elb.describe_instance_health(lb)[0]
    assert (row.state, row.reason_code, row.description) == ("InService", "N/A", "N/A")


def test_classic_failing_instance_goes_out_of_service(clb):
    cloud, lb = clb
    inst = _instance(cloud)
    cloud.elb.register_instances_with_load_balancer(lb, inst)
    cloud.clock.advance(minutes=2)
    inst.serve(lambda req: Response(500))
    cloud.clock.advance(30)
    row = cloud.elb.describe_instance_health(lb)[0]
    assert (row.state, row.reason_code) == ("OutOfService", "Instance")


def test_classic_does_not_fail_open(clb):
    cloud, lb = clb
    inst = _instance(cloud, app=lambda req: Response(500))
    cloud.elb.register_instances_with_load_balancer(lb, inst)
    cloud.clock.advance(minutes=2)
    assert cloud.elb.send(lb, Request("GET", "/")).status == 503


def test_classic_cross_zone_off_two_and_eight(clb):
    cloud, lb = clb
    insts = [_instance(cloud, 0) for _ in range(2)] + [_instance(cloud, 1) for _ in range(8)]
    cloud.elb.register_instances_with_load_balancer(lb, insts)
    cloud.clock.advance(minutes=2)
    d = cloud.elb.distribution(lb, 1600)
    assert [d.share(i.id) for i in insts] == [0.25] * 2 + [0.0625] * 8


def test_classic_cross_zone_on_spreads_evenly(clb):
    cloud, lb = clb
    insts = [_instance(cloud, 0) for _ in range(2)] + [_instance(cloud, 1) for _ in range(8)]
    cloud.elb.register_instances_with_load_balancer(lb, insts)
    cloud.elb.modify_classic_load_balancer_attributes(lb, cross_zone=True)
    cloud.clock.advance(minutes=2)
    d = cloud.elb.distribution(lb, 1000)
    assert {d.share(i.id) for i in insts} == {0.1}


def test_classic_connection_draining_delays_removal(clb):
    cloud, lb = clb
    cloud.elb.modify_classic_load_balancer_attributes(lb, connection_draining=True, draining_timeout=60)
    inst = _instance(cloud)
    cloud.elb.register_instances_with_load_balancer(lb, inst)
    cloud.clock.advance(minutes=2)
    cloud.elb.deregister_instances_from_load_balancer(lb, inst)
    assert cloud.elb.describe_instance_health(lb)[0].description == "Instance deregistration currently in progress."
    cloud.clock.advance(61)
    assert lb.instances == {}


def test_classic_unknown_instance_is_invalid_instance(clb):
    cloud, lb = clb
    with pytest.raises(AWSError) as err:
        cloud.elb.register_instances_with_load_balancer(lb, "i-0123456789abcdef0")
    assert err.value.code == "InvalidInstance"


# -- DNS -----------------------------------------------------------------------------------------------------
@pytest.fixture
def alb(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
    tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    insts = [_instance(cloud, 0), _instance(cloud, 1)]
    cloud.elb.register_targets(tg, insts)
    cloud.clock.advance(minutes=3)
    return cloud, lb, tg, insts


def test_resolve_returns_one_public_ip_per_node(alb):
    cloud, lb, _tg, _insts = alb
    assert sorted(cloud.elb.resolve(lb.dns_name)) == sorted(str(n.eni.public_ip) for n in lb.nodes)


def test_internal_balancer_resolves_to_private_ips(cloud):
    lb = cloud.elb.create_load_balancer("in", subnets=cloud.vpc.default_vpc.subnets[:2], scheme="internal")
    cloud.clock.advance(minutes=2)
    assert sorted(cloud.elb.resolve(lb.dns_name)) == sorted(str(n.eni.private_ip_address) for n in lb.nodes)


def test_unknown_dns_name_is_not_found(cloud):
    with pytest.raises(AWSError) as err:
        cloud.elb.resolve("nope-1.us-east-1.elb.amazonaws.com")
    assert err.value.code == "LoadBalancerNotFound"


def test_failed_zone_leaves_dns(alb):
    cloud, lb, _tg, _insts = alb
    cloud.fail_az("us-east-1a")
    assert cloud.elb.resolve(lb.dns_name) == [lb.nodes[1].ip]


def test_zone_without_healthy_targets_leaves_dns_when_cross_zone_is_off(alb):
    cloud, lb, tg, insts = alb
    cloud.elb.modify_target_group_attributes(tg, {"load_balancing.cross_zone.enabled": "false"})
    insts[0].stop_serving(80)
    cloud.clock.advance(30)
    assert cloud.elb.resolve(lb.dns_name) == [lb.nodes[1].ip]


def test_resolver_caches_for_the_ttl(alb):
    cloud, lb, _tg, _insts = alb
    resolver = cloud.elb.resolver()
    resolver.resolve(lb.dns_name)
    cloud.fail_az("us-east-1a")
    cloud.clock.advance(59)
    assert resolver.resolve(lb.dns_name).cached is True and len(resolver.resolve(lb.dns_name).ips) == 2
    cloud.clock.advance(2)
    fresh = resolver.resolve(lb.dns_name)
    assert fresh.cached is False and fresh.ips == (lb.nodes[1].ip,)


# -- connections ------------------------------------------------------------------------------------------
def test_keep_alive_clients_open_one_connection_each(alb):
    cloud, lb, _tg, _insts = alb
    report = cloud.elb.simulate_connections(lb, clients=50, requests_per_client=10, keep_alive=True)
    assert report.front_end_connections == 50 and report.requests == 500


def test_without_keep_alive_every_request_is_a_connection(alb):
    cloud, lb, _tg, _insts = alb
    report = cloud.elb.simulate_connections(lb, clients=50, requests_per_client=10, keep_alive=False)
    assert report.front_end_connections == 500


def test_multiplexing_keeps_back_end_connections_few(alb):
    cloud, lb, _tg, _insts = alb
    report = cloud.elb.simulate_connections(lb, clients=50, requests_per_client=10)
    assert report.back_end_connections <= 50 and report.back_end_connections < report.requests / 5


def test_connection_close_defeats_multiplexing(alb):
    cloud, lb, _tg, insts = alb
    for i in insts:
        i.serve(lambda req: Response(200, headers={"Connection": "close"}))
    report = cloud.elb.simulate_connections(lb, clients=5, requests_per_client=4)
    assert report.back_end_connections == 20


# -- metrics and bill ---------------------------------------------------------------------------------------
def test_metrics_are_flushed_once_a_minute(alb):
    cloud, lb, _tg, _insts = alb
    for _ in range(7):
        cloud.elb.send(lb, Request("GET", "/"))
    cloud.clock.advance(minutes=1)
    stats = cloud.cloudwatch.get_metric_statistics(
        "AWS/ApplicationELB", "RequestCount", start=0, end=cloud.clock.now, period=60, statistics=["Sum"],
        dimensions={"LoadBalancer": lb.metric_id})
    assert sum(p["Sum"] for p in stats) == 7


def test_healthy_host_count_is_reported(alb):
    cloud, lb, tg, _insts = alb
    cloud.clock.advance(minutes=1)
    stats = cloud.cloudwatch.get_metric_statistics(
        "AWS/ApplicationELB", "HealthyHostCount", start=cloud.clock.now - 120, end=cloud.clock.now, period=60,
        statistics=["Maximum"], dimensions={"LoadBalancer": lb.metric_id,
                                            "TargetGroup": f"targetgroup/{tg.name}/{tg.id}"})
    assert max(p["Maximum"] for p in stats) == 2


def test_alb_hours_are_billed(cloud):
    cloud.elb.create_load_balancer("web", subnets=cloud.vpc.default_vpc.subnets[:2])
    before = cloud.bill.by_service().get("elb", 0.0)
    cloud.clock.advance(hours=10)
    assert cloud.bill.by_service()["elb"] - before == pytest.approx(0.225, rel=1e-6)


def test_traffic_adds_lcu_charges(alb):
    cloud, lb, _tg, _insts = alb
    cloud.elb.route_load(lb, 1000.0)
    cloud.clock.advance(minutes=1)
    assert any(i.usage == "ALB LCU-hours" and i.amount > 0 for i in cloud.bill.items)


# -- facades -------------------------------------------------------------------------------------------------
def test_elbv2_waiter_target_in_service_advances_simulated_time(alb):
    cloud, _lb, tg, _insts = alb
    client = cloud.client("elbv2")
    new = _instance(cloud)
    client.register_targets(TargetGroupArn=tg.arn, Targets=[{"Id": new.id}])
    start = cloud.clock.now
    client.get_waiter("target_in_service").wait(TargetGroupArn=tg.arn, Targets=[{"Id": new.id}])
    assert cloud.clock.now > start
    health = client.describe_target_health(TargetGroupArn=tg.arn, Targets=[{"Id": new.id}])
    assert health["TargetHealthDescriptions"][0]["TargetHealth"] == {"State": "healthy"}


def test_elbv2_waiter_target_deregistered(alb):
    cloud, _lb, tg, insts = alb
    client = cloud.client("elbv2")
    client.deregister_targets(TargetGroupArn=tg.arn, Targets=[{"Id": insts[0].id}])
    client.get_waiter("target_deregistered").wait(TargetGroupArn=tg.arn, Targets=[{"Id": insts[0].id}])
    assert (insts[0].id, 80) not in tg.targets


def test_elbv2_waiter_load_balancer_available(cloud):
    client = cloud.client("elbv2")
    subnets = [s.id for s in cloud.vpc.default_vpc.subnets[:2]]
    arn = client.create_load_balancer(Name="w", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    client.get_waiter("load_balancer_available").wait(LoadBalancerArns=[arn])
    assert client.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["State"]["Code"] == "active"


def test_elbv2_exception_classes_match_boto3(cloud):
    client = cloud.client("elbv2")
    with pytest.raises(client.exceptions.LoadBalancerNotFoundException) as err:
        client.describe_load_balancers(Names=["missing"])
    assert err.value.response["Error"]["Code"] == "LoadBalancerNotFound"


def test_elb_exception_classes_match_boto3(cloud):
    client = cloud.client("elb")
    with pytest.raises(client.exceptions.AccessPointNotFoundException):
        client.describe_load_balancers(LoadBalancerNames=["missing"])


def test_elbv2_rule_with_query_string_round_trips(alb):
    cloud, lb, tg, _insts = alb
    client = cloud.client("elbv2")
    lst = lb.listeners[0]
    cond = [{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}]}}]
    rule = client.create_rule(ListenerArn=lst.arn, Priority=3, Conditions=cond,
                              Actions=[{"Type": "forward", "TargetGroupArn": tg.arn}])["Rules"][0]
    assert rule["Conditions"] == cond


def test_elb_classic_facade_instance_in_service_waiter(cloud):
    client = cloud.client("elb")
    client.create_load_balancer(LoadBalancerName="c", AvailabilityZones=["us-east-1a"],
                                Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP",
                                            "InstancePort": 80}])
    inst = _instance(cloud)
    client.register_instances_with_load_balancer(LoadBalancerName="c", Instances=[{"InstanceId": inst.id}])
    client.get_waiter("instance_in_service").wait(LoadBalancerName="c")
    assert client.describe_instance_health(LoadBalancerName="c")["InstanceStates"][0]["State"] == "InService"


def test_elb_classic_cross_zone_attribute(cloud):
    client = cloud.client("elb")
    client.create_load_balancer(LoadBalancerName="c", AvailabilityZones=["us-east-1a"],
                                Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 80, "InstanceProtocol": "TCP",
                                            "InstancePort": 80}])
    out = client.modify_load_balancer_attributes(LoadBalancerName="c", LoadBalancerAttributes={
        "CrossZoneLoadBalancing": {"Enabled": True}})
    assert out["LoadBalancerAttributes"]["CrossZoneLoadBalancing"] == {"Enabled": True}
