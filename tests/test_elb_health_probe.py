"""The health checker's request: what an app sees of ELB's checks, now that the probe is built the
cheap way, and the bad arguments of create_target_group / send_many."""

from __future__ import annotations

import pytest

from awskit import AWSError
from awskit.elb import HealthCheck
from awskit.http import Request, Response


@pytest.fixture
def world(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
    tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2,
                                       health_check_path="/health")
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    return cloud, lb, tg


def _recording_instance(cloud, seen, port=80):
    inst = cloud.ec2.run_instance(subnet=cloud.vpc.default_vpc.subnets[0])
    inst.serve(lambda req: seen.append(req) or Response(200), port=port)
    cloud.clock.advance(minutes=1)  # running before it is registered
    return inst


def test_health_check_is_a_get_of_the_path_with_elb_headers(world):
    cloud, _, tg = world
    seen: list[Request] = []
    inst = _recording_instance(cloud, seen)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(seconds=30)
    req = seen[-1]
    assert (req.method, req.path, req.query, req.body, req.client_ip) == ("GET", "/health", {}, "", None)
    assert req.headers == {"Host": f"{inst.private_ip_address}:80", "User-Agent": "ELB-HealthChecker/2.0"}


def test_each_health_check_is_a_fresh_request(world):
    cloud, _, tg = world
    seen: list[Request] = []
    cloud.elb.register_targets(tg, _recording_instance(cloud, seen))
    cloud.clock.advance(seconds=30)
    seen[0].headers["Host"] = "changed by the app"
    cloud.clock.advance(seconds=10)
    assert seen[-1] is not seen[0] and seen[-1].headers["Host"] != "changed by the app"


def test_health_check_host_names_the_health_check_port(world):
    cloud, _, tg = world
    cloud.elb.modify_target_group(tg, health_check_port="8080")
    seen: list[Request] = []
    inst = _recording_instance(cloud, seen, port=8080)
    inst.serve(lambda req: Response(200), port=80)
    cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(seconds=30)
    assert seen and seen[-1].headers["Host"] == f"{inst.private_ip_address}:8080"


def test_a_health_check_given_as_text_is_a_validation_error(cloud):
    with pytest.raises(AWSError) as err:
        cloud.elb.create_target_group("web", vpc=cloud.vpc.default_vpc, health_check="/health")
    assert err.value.code == "ValidationError"


def test_a_health_check_object_is_accepted(cloud):
    tg = cloud.elb.create_target_group("web", vpc=cloud.vpc.default_vpc, health_check=HealthCheck(path="/up"))
    assert tg.health_check.path == "/up"


def test_send_many_rejects_a_single_request(world):
    cloud, lb, _ = world
    with pytest.raises(AWSError) as err:
        cloud.elb.send_many(lb, Request("GET", "/"))
    assert err.value.code == "ValidationError"


def test_send_many_of_an_unknown_load_balancer_is_not_found(cloud):
    with pytest.raises(AWSError) as err:
        cloud.elb.send_many("nope", [])
    assert err.value.code == "LoadBalancerNotFound"
