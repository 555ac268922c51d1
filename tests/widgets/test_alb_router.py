"""The chapter 5 ALB router, driven in plain Python: compose, send, fire, stop, move the clock."""

import time

import pytest

from awskit.http import Response
from awskit.widgets import ALBRouter
from awskit.widgets.alb_router import parse_pairs


@pytest.fixture
def world(cloud):
    elb, vpc = cloud.elb, cloud.vpc.default_vpc
    sa, sb = vpc.subnets[0], vpc.subnets[1]
    lb = elb.create_load_balancer("shop", subnets=[sa, sb])
    web = elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    api = elb.create_target_group("api", port=8080, vpc=vpc, health_check_interval=10, healthy_threshold=2)
    listener = elb.create_listener(lb, port=80, default_actions=web)
    elb.create_rule(listener, priority=10, conditions=[("path-pattern", ["/api/*"])], actions=api)
    elb.create_rule(listener, priority=20, conditions=[("host-header", ["admin.example.com"]),
                                                       ("path-pattern", ["/admin/*"])], actions=api)
    elb.create_rule(listener, priority=30, conditions=[("path-pattern", ["/old/*"])],
                    actions={"Type": "redirect", "RedirectConfig": {"Path": "/new/#{path}", "StatusCode": "HTTP_301"}})
    elb.create_rule(listener, priority=40, conditions=[("path-pattern", ["/health"])],
                    actions={"Type": "fixed-response",
                             "FixedResponseConfig": {"StatusCode": "200", "MessageBody": "fine"}})
    instances = [cloud.ec2.run_instance(subnet=s) for s in (sa, sb, sb)]
    for inst in instances:
        inst.serve(lambda req, i=inst: Response(200, body=f"web from {i.id}"), port=80)
        inst.serve(lambda req, i=inst: Response(200, body=f"api from {i.id}"), port=8080)
    elb.register_targets(web, instances)
    elb.register_targets(api, instances)
    cloud.clock.advance(minutes=3)
    return {"cloud": cloud, "lb": lb, "web": web, "api": api, "instances": instances}


@pytest.fixture
def router(world):
    view = ALBRouter(world["cloud"], world["lb"])
    yield view
    view.close()


def test_an_api_path_matches_the_api_rule_and_reaches_an_api_target(world, router):
    router.path.value = "/api/orders"
    result = router.send()
    assert result.status == 200 and result.response.body.startswith("api from")
    matched = [row for row in router.trail if row["matched"]]
    assert [row["priority"] for row in matched] == [10]
    assert "MATCH" in router.trail_view.value and "api" in router.trail_view.value


def test_rules_after_the_match_are_shown_as_not_evaluated(router):
    router.path.value = "/api/orders"
    router.send()
    assert [row["evaluated"] for row in router.trail] == [True, False, False, False, False]
    assert "not evaluated" in router.trail_view.value


def test_each_condition_gets_a_verdict(router):
    router.host.value = "admin.example.com"
    router.path.value = "/public/page"
    router.send()
    host_rule = next(row for row in router.trail if row["priority"] == 20)
    assert host_rule["conditions"][0][1] is True and host_rule["conditions"][1][1] is False
    assert not host_rule["matched"]


def test_a_request_no_rule_matches_falls_to_the_default_rule(router):
    router.path.value = "/index.html"
    result = router.send()
    assert router.trail[-1]["priority"] is None and router.trail[-1]["matched"]
    assert result.response.body.startswith("web from")


def test_redirect_shows_the_location(router):
    router.path.value = "/old/cart"
    result = router.send()
    assert result.status == 301
    assert "Location: http://shop.example.com/new/old/cart" in router.trail_view.value


def test_fixed_response_is_answered_by_the_load_balancer(router):
    router.path.value = "/health"
    result = router.send()
    assert (result.status, result.source) == (200, "elb")
    assert "fixed-response" in router.trail_view.value


def test_headers_and_query_lines_reach_the_request(router):
    router.headers.value = "X-Env=beta\nUser-Agent: curl"
    router.query.value = "page=2"
    request = router.request()
    assert request.headers["X-Env"] == "beta" and request.headers["User-Agent"] == "curl"
    assert request.query == {"page": "2"}


def test_a_bad_path_is_reported_not_raised(router):
    router.path.value = "api/orders"
    router.send_button.click()
    assert router.last_error is not None and router.last_error.code == "InvalidParameterValue"
    assert "starts with" in router.status.value


def test_a_bad_source_ip_is_reported(router):
    router.source_ip.value = "not-an-ip"
    router.send_button.click()
    assert router.last_error.code == "InvalidParameterValue"


def test_parse_pairs_rejects_a_line_without_a_separator():
    with pytest.raises(Exception) as err:
        parse_pairs("just words")
    assert err.value.code == "InvalidParameterValue"


def test_fire_spreads_requests_over_every_healthy_target(world, router):
    router.path.value = "/api/x"
    router.n_requests.value = 300
    router.fire_button.click()
    assert sum(router.counts.values()) == 300
    assert len(router.counts) == 3 and all(k.endswith(":8080") for k in router.counts)
    assert set(router.az_counts) == {"us-east-1a", "us-east-1b"}
    assert router.status_counts == {200: 300}


def test_health_table_follows_events_when_an_instance_stops(world, router):
    victim = world["instances"][0]
    key = ("web", victim.id, 80)
    assert router.health[key] == "healthy"
    stop, _start, _label = router._buttons[victim.id]
    stop.click()
    for _ in range(3):
        router.tick_10s.click()
    assert router.health[key] == "unhealthy"
    assert "#cf222e" in router.targets_view.value


def test_traffic_moves_off_a_stopped_instance_once_it_is_unhealthy(world, router):
    victim = world["instances"][0]
    router.stop(victim.id)
    router.tick_1m.click()
    router.path.value = "/"
    router.fire(200)
    assert not any(k.startswith(victim.id) for k in router.counts)
    assert router.status_counts == {200: 200}


def test_started_instance_comes_back_into_service(world, router):
    victim = world["instances"][0]
    router.stop(victim.id)
    router.advance(60)
    router._buttons[victim.id][1].click()  # Start
    router.advance(120)
    assert router.health[("web", victim.id, 80)] == "healthy"


def test_stop_buttons_follow_instance_state(world, router):
    victim = world["instances"][0]
    stop, start, _ = router._buttons[victim.id]
    assert not stop.disabled and start.disabled
    router.stop(victim.id)
    router.advance(60)
    assert stop.disabled and not start.disabled


def test_health_changed_in_another_cell_reaches_the_view(world, router):
    victim = world["instances"][1]
    world["cloud"].elb.deregister_targets(world["web"], victim)
    assert router.health[("web", victim.id, 80)] == "draining"


def test_a_network_load_balancer_is_refused(cloud):
    nlb = cloud.elb.create_load_balancer("tcp", subnets=cloud.vpc.default_vpc.subnets[:2], type="network")
    with pytest.raises(Exception) as err:
        ALBRouter(cloud, nlb)
    assert err.value.code == "InvalidParameterValue"


def test_redraw_timings(router):
    router.path.value = "/api/x"
    timings = {}
    start = time.perf_counter()
    router.send()
    timings["send+draw"] = (time.perf_counter() - start) * 1000
    timings["draw (send)"] = router.last_redraw_ms
    router.refresh_targets()
    timings["draw (targets)"] = router.last_redraw_ms
    start = time.perf_counter()
    router.fire(1000)
    timings["fire 1000"] = (time.perf_counter() - start) * 1000
    print("ALBRouter timings (ms):", {k: round(v, 2) for k, v in timings.items()})
    assert router.redraw_count >= 3
