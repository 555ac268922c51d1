"""Application Load Balancer: creation rules, listeners, rule matching, actions, routing."""

from __future__ import annotations

import pytest

from awskit import AWSError
from awskit.http import Request, Response


@pytest.fixture
def env(cloud):
    vpc = cloud.vpc.default_vpc
    subnets = vpc.subnets[:2]
    lb = cloud.elb.create_load_balancer("shop", subnets=subnets)
    web = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    api = cloud.elb.create_target_group("api", vpc=vpc, port=8080, health_check_interval=10, healthy_threshold=2)
    lst = cloud.elb.create_listener(lb, port=80, default_actions=web)
    apps = {}
    for name, tg, port in (("web", web, 80), ("api", api, 8080)):
        inst = cloud.ec2.run_instance(subnet=subnets[0])
        inst.serve(lambda req, name=name: Response(200, body=name), port=port)
        cloud.elb.register_targets(tg, inst)
        apps[name] = inst
    cloud.clock.advance(minutes=3)
    return cloud, lb, lst, web, api, apps


def _req(path="/", host="shop.example.com", **kw):
    headers = {"Host": host, **kw.pop("headers", {})}
    return Request(kw.pop("method", "GET"), path, headers=headers, query=kw.pop("query", {}),
                   client_ip=kw.pop("client_ip", "203.0.113.9"))


def _rule(cloud, lst, priority, conditions, tg):
    return cloud.elb.create_rule(lst, priority=priority, conditions=conditions, actions=tg)


# -- creation -----------------------------------------------------------------------------------------------
def test_alb_with_one_availability_zone_is_rejected(cloud):
    with pytest.raises(AWSError) as err:
        cloud.elb.create_load_balancer("one", subnets=cloud.vpc.default_vpc.subnets[:1])
    assert err.value.code == "ValidationError"


def test_two_subnets_in_one_zone_are_rejected(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    a = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
    b = cloud.vpc.create_subnet(vpc, "10.0.2.0/24", availability_zone="us-east-1a")
    with pytest.raises(AWSError) as err:
        cloud.elb.create_load_balancer("same", subnets=[a, b], scheme="internal")
    assert err.value.code == "InvalidConfigurationRequest"


@pytest.mark.parametrize("name", ["-web", "web-", "internal-web", "a" * 33, "we_b", ""])
def test_bad_load_balancer_names_are_rejected(cloud, name):
    with pytest.raises(AWSError) as err:
        cloud.elb.create_load_balancer(name, subnets=cloud.vpc.default_vpc.subnets[:2])
    assert err.value.code == "ValidationError"


def test_internet_facing_needs_an_internet_gateway(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    a = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
    b = cloud.vpc.create_subnet(vpc, "10.0.2.0/24", availability_zone="us-east-1b")
    with pytest.raises(AWSError) as err:
        cloud.elb.create_load_balancer("lonely", subnets=[a, b])
    assert err.value.code == "InvalidSubnet"


def test_load_balancer_turns_active_on_the_clock(cloud):
    lb = cloud.elb.create_load_balancer("web", subnets=cloud.vpc.default_vpc.subnets[:2])
    assert lb.state.value == "provisioning"
    cloud.clock.advance(minutes=2)
    assert lb.state.value == "active"


def test_internal_dns_name_has_internal_prefix(cloud):
    lb = cloud.elb.create_load_balancer("web", subnets=cloud.vpc.default_vpc.subnets[:2], scheme="internal")
    assert lb.dns_name.startswith("internal-web-") and lb.dns_name.endswith(".us-east-1.elb.amazonaws.com")


def test_one_node_with_an_interface_per_zone(cloud):
    subnets = cloud.vpc.default_vpc.subnets[:3]
    lb = cloud.elb.create_load_balancer("web", subnets=subnets)
    assert [n.subnet for n in lb.nodes] == subnets
    assert all(n.eni.subnet is n.subnet and n.eni.attachment is not None for n in lb.nodes)


def test_deleting_the_load_balancer_frees_its_interfaces(cloud):
    subnets = cloud.vpc.default_vpc.subnets[:2]
    lb = cloud.elb.create_load_balancer("web", subnets=subnets)
    enis = [n.eni.id for n in lb.nodes]
    cloud.elb.delete_load_balancer(lb)
    assert not any(e in [x.id for x in cloud.vpc.network_interfaces] for e in enis)


# -- listeners -------------------------------------------------------------------------------------------
def test_https_listener_needs_a_certificate(env):
    cloud, lb, _lst, web, _api, _apps = env
    with pytest.raises(AWSError) as err:
        cloud.elb.create_listener(lb, port=443, protocol="HTTPS", default_actions=web)
    assert err.value.code == "CertificateNotFound"


def test_listener_port_out_of_range_is_rejected(env):
    cloud, lb, _lst, web, _api, _apps = env
    with pytest.raises(AWSError) as err:
        cloud.elb.create_listener(lb, port=70000, default_actions=web)
    assert err.value.code == "ValidationError"


def test_second_listener_on_a_port_with_other_actions_is_duplicate(env):
    cloud, lb, _lst, _web, api, _apps = env
    with pytest.raises(AWSError) as err:
        cloud.elb.create_listener(lb, port=80, default_actions=api)
    assert err.value.code == "DuplicateListener"


def test_tcp_listener_on_an_alb_is_rejected(env):
    cloud, lb, _lst, web, _api, _apps = env
    with pytest.raises(AWSError) as err:
        cloud.elb.create_listener(lb, port=81, protocol="TCP", default_actions=web)
    assert err.value.code == "ValidationError"


# -- rules: priorities and limits ---------------------------------------------------------------------------
def test_priority_in_use_is_rejected(env):
    cloud, _lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 5, [("path-pattern", ["/a"])], api)
    with pytest.raises(AWSError) as err:
        _rule(cloud, lst, 5, [("path-pattern", ["/b"])], api)
    assert err.value.code == "PriorityInUse"


@pytest.mark.parametrize("priority", [0, 50001])
def test_priority_outside_range_is_rejected(env, priority):
    cloud, _lb, lst, _web, api, _apps = env
    with pytest.raises(AWSError) as err:
        _rule(cloud, lst, priority, [("path-pattern", ["/a"])], api)
    assert err.value.code == "ValidationError"


def test_more_than_five_condition_values_are_rejected(env):
    cloud, _lb, lst, _web, api, _apps = env
    with pytest.raises(AWSError) as err:
        _rule(cloud, lst, 1, [("path-pattern", ["/a", "/b", "/c"]), ("host-header", ["a.com", "b.com", "c.com"])],
              api)
    assert err.value.code == "ValidationError"


def test_rules_are_evaluated_in_priority_order_not_creation_order(env):
    cloud, lb, lst, web, api, _apps = env
    _rule(cloud, lst, 20, [("path-pattern", ["/api/*"])], web)
    _rule(cloud, lst, 10, [("path-pattern", ["/api/*"])], api)
    result = cloud.elb.send(lb, _req("/api/x"))
    assert result.rule.priority == 10 and result.response.body == "api"


def test_default_rule_applies_when_nothing_matches(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 10, [("path-pattern", ["/api/*"])], api)
    result = cloud.elb.send(lb, _req("/home"))
    assert result.rule.is_default and result.response.body == "web"


def test_set_rule_priorities_changes_the_order(env):
    cloud, lb, lst, web, api, _apps = env
    a = _rule(cloud, lst, 10, [("path-pattern", ["/x"])], web)
    b = _rule(cloud, lst, 20, [("path-pattern", ["/x"])], api)
    cloud.elb.set_rule_priorities({a: 30, b: 5})
    assert cloud.elb.send(lb, _req("/x")).response.body == "api"


def test_trail_lists_every_rule_tried(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [("path-pattern", ["/a"])], api)
    _rule(cloud, lst, 2, [("path-pattern", ["/b"])], api)
    result = cloud.elb.send(lb, _req("/c"))
    assert [e.matched for e in result.evaluations] == [False, False, True]
    assert result.evaluations[0].conditions[0][1] == "/c"


# -- conditions ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern,path,hit", [
    ("/img/*", "/img/cat.png", True),
    ("/img/*", "/IMG/cat.png", False),        # path patterns are case-sensitive
    ("/v?/users", "/v2/users", True),
    ("/v?/users", "/v10/users", False),
    ("*.jpg", "/a/b.jpg", True),
    ("/exact", "/exact/more", False),
])
def test_path_pattern_matching(env, pattern, path, hit):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [("path-pattern", [pattern])], api)
    assert (cloud.elb.send(lb, _req(path)).response.body == "api") is hit


@pytest.mark.parametrize("pattern,host,hit", [
    ("api.example.com", "API.Example.COM", True),   # host matching ignores case
    ("*.example.com", "shop.example.com", True),
    ("*.example.com", "example.org", False),
    ("api.example.com", "api.example.com:8080", True),
])
def test_host_header_matching(env, pattern, host, hit):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [("host-header", [pattern])], api)
    assert (cloud.elb.send(lb, _req("/", host=host)).response.body == "api") is hit


def test_http_header_condition_matches_name_and_value(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [{"Field": "http-header",
                           "HttpHeaderConfig": {"HttpHeaderName": "User-Agent", "Values": ["*Mobile*"]}}], api)
    assert cloud.elb.send(lb, _req(headers={"user-agent": "X Mobile Safari"})).response.body == "api"
    assert cloud.elb.send(lb, _req(headers={"User-Agent": "Desktop"})).response.body == "web"


def test_query_string_condition_with_wildcards(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [{"Field": "query-string",
                           "QueryStringConfig": {"Values": [{"Key": "version", "Value": "v2*"}]}}], api)
    assert cloud.elb.send(lb, _req(query={"version": "v2.1"})).response.body == "api"
    assert cloud.elb.send(lb, _req(query={"version": "v1"})).response.body == "web"


def test_http_request_method_condition_is_exact(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [("http-request-method", ["POST"])], api)
    assert cloud.elb.send(lb, _req(method="post")).response.body == "api"   # Request upper-cases methods
    assert cloud.elb.send(lb, _req(method="GET")).response.body == "web"


def test_lower_case_method_value_is_rejected(env):
    cloud, _lb, lst, _web, api, _apps = env
    with pytest.raises(AWSError) as err:
        _rule(cloud, lst, 1, [("http-request-method", ["post"])], api)
    assert err.value.code == "ValidationError"


def test_source_ip_condition_uses_cidrs(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [("source-ip", ["10.0.0.0/8"])], api)
    assert cloud.elb.send(lb, _req(client_ip="10.1.2.3")).response.body == "api"
    assert cloud.elb.send(lb, _req(client_ip="192.0.2.1")).response.body == "web"


def test_conditions_of_a_rule_are_anded(env):
    cloud, lb, lst, _web, api, _apps = env
    _rule(cloud, lst, 1, [("path-pattern", ["/api/*"]), ("host-header", ["api.example.com"])], api)
    assert cloud.elb.send(lb, _req("/api/x", host="shop.example.com")).response.body == "web"
    assert cloud.elb.send(lb, _req("/api/x", host="api.example.com")).response.body == "api"


# -- actions -----------------------------------------------------------------------------------------------
def test_redirect_fills_placeholders(env):
    cloud, lb, lst, _web, _api, _apps = env
    cloud.elb.create_rule(lst, priority=1, conditions=[("path-pattern", ["/old/*"])], actions={
        "Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "Host": "new.#{host}",
                                               "Path": "/v2/#{path}", "Query": "#{query}&src=old",
                                               "StatusCode": "HTTP_302"}})
    result = cloud.elb.send(lb, _req("/old/page", query={"a": "1"}))
    assert result.status == 302
    assert result.response.headers["Location"] == "https://new.shop.example.com/v2/old/page?a=1&src=old"


def test_redirect_keeps_a_non_default_port(env):
    cloud, lb, lst, _web, _api, _apps = env
    cloud.elb.create_rule(lst, priority=1, conditions=[("path-pattern", ["/*"])], actions={
        "Type": "redirect", "RedirectConfig": {"Port": "8443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}})
    assert cloud.elb.send(lb, _req("/x")).response.headers["Location"] == "https://shop.example.com:8443/x"


def test_redirect_with_bad_status_code_is_rejected(env):
    cloud, _lb, lst, _web, _api, _apps = env
    with pytest.raises(AWSError) as err:
        cloud.elb.create_rule(lst, priority=1, conditions=[("path-pattern", ["/*"])],
                              actions={"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_307"}})
    assert err.value.code == "ValidationError"


def test_fixed_response(env):
    cloud, lb, lst, _web, _api, _apps = env
    cloud.elb.create_rule(lst, priority=1, conditions=[("path-pattern", ["/health"])], actions={
        "Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503", "ContentType": "application/json",
                                                          "MessageBody": '{"down": true}'}})
    result = cloud.elb.send(lb, _req("/health"))
    assert (result.status, result.response.headers["Content-Type"], result.target) == (503, "application/json", None)


def test_weighted_forward_follows_the_weights(env):
    cloud, lb, lst, web, api, _apps = env
    cloud.elb.modify_listener(lst, default_actions={"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": web.arn, "Weight": 80}, {"TargetGroupArn": api.arn, "Weight": 20}]}})
    bodies = [cloud.elb.send(lb, _req()).response.body for _ in range(1000)]
    assert 700 < bodies.count("web") < 900


def test_weighted_forward_stickiness_pins_a_client(env):
    cloud, lb, lst, web, api, _apps = env
    cloud.elb.modify_listener(lst, default_actions={"Type": "forward", "ForwardConfig": {
        "TargetGroups": [{"TargetGroupArn": web.arn, "Weight": 50}, {"TargetGroupArn": api.arn, "Weight": 50}],
        "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 60}}})
    first = cloud.elb.send(lb, _req())
    cookie = first.response.headers["Set-Cookie"].split(";")[0]
    bodies = {cloud.elb.send(lb, _req(headers={"Cookie": cookie})).response.body for _ in range(20)}
    assert bodies == {first.response.body}


def test_target_group_of_another_vpc_is_rejected(env):
    cloud, _lb, lst, _web, _api, _apps = env
    other = cloud.elb.create_target_group("other", vpc=cloud.vpc.create_vpc("10.9.0.0/16"))
    with pytest.raises(AWSError) as err:
        cloud.elb.create_rule(lst, priority=1, conditions=[("path-pattern", ["/*"])], actions=other)
    assert err.value.code == "ValidationError"


# -- errors from targets --------------------------------------------------------------------------------
def test_no_registered_targets_gives_503(cloud):
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
    tg = cloud.elb.create_target_group("empty", vpc=vpc)
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    cloud.clock.advance(minutes=2)
    assert cloud.elb.send(lb, _req()).status == 503


def test_app_error_passes_through_as_target_500(env):
    cloud, lb, _lst, _web, _api, apps = env

    def broken(req):
        raise RuntimeError("boom")
    apps["web"].serve(broken)
    result = cloud.elb.send(lb, _req())
    assert (result.status, result.source) == (500, "target")


def test_target_in_a_failed_zone_times_out_with_504(env):
    cloud, lb, _lst, _web, _api, apps = env
    cloud.fail_az(apps["web"].availability_zone.name)
    result = cloud.elb.send(lb, _req(), az=lb.nodes[1].availability_zone)
    assert result.status == 504


def test_nothing_listening_gives_502(env):
    cloud, lb, _lst, _web, _api, apps = env
    apps["web"].stop_serving(80)
    result = cloud.elb.send(lb, _req())
    assert (result.status, result.source) == (502, "elb")


def test_forwarded_headers_reach_the_target(env):
    cloud, lb, _lst, _web, _api, apps = env
    seen = []
    apps["web"].serve(lambda req: (seen.append(dict(req.headers)), Response(200))[1])
    cloud.elb.send(lb, _req(client_ip="198.51.100.7"))
    assert seen[0]["X-Forwarded-For"] == "198.51.100.7" and seen[0]["X-Forwarded-Proto"] == "http"


def test_request_before_active_is_refused(cloud):
    lb = cloud.elb.create_load_balancer("web", subnets=cloud.vpc.default_vpc.subnets[:2])
    assert cloud.elb.send(lb, _req()).status == 503


def test_send_rejects_what_is_not_a_request(env):
    cloud, lb, *_ = env
    with pytest.raises(AWSError) as err:
        cloud.elb.send(lb, "GET /")
    assert err.value.code == "ValidationError"
