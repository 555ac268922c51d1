"""Elastic Load Balancing (elbv2 and classic elb): the same boto3 calls against moto and awskit."""

from __future__ import annotations

from .conftest import error_code, keys, moto_differs


def _network(client):
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    return ec2, vpc, a, b


def _alb(client, name="web"):
    ec2, vpc, a, b = _network(client)
    elb = client("elbv2")
    lb = elb.create_load_balancer(Name=name, Subnets=[a, b])["LoadBalancers"][0]
    tg = elb.create_target_group(Name="tg-web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    return elb, ec2, vpc, a, b, lb, tg


def test_create_load_balancer_shape(client):
    _elb, *_rest, lb, _tg = _alb(client)
    assert {"LoadBalancerArn", "DNSName", "LoadBalancerName", "VpcId", "State", "Type",
            "AvailabilityZones", "CanonicalHostedZoneId", "CreatedTime"} <= set(lb)
    assert lb["Type"] == "application" and lb.get("Scheme", "internet-facing") == "internet-facing"
    assert lb["DNSName"].endswith(".us-east-1.elb.amazonaws.com")
    assert sorted(z["ZoneName"] for z in lb["AvailabilityZones"]) == ["us-east-1a", "us-east-1b"]


def test_describe_load_balancers_by_name(client):
    elb, *_rest, lb, _tg = _alb(client)
    resp = elb.describe_load_balancers(Names=["web"])
    assert keys(resp) >= {"LoadBalancers"}
    assert resp["LoadBalancers"][0]["LoadBalancerArn"] == lb["LoadBalancerArn"]


def test_unknown_load_balancer_name_is_not_found(client):
    elb = client("elbv2")
    assert error_code(elb.describe_load_balancers, Names=["nope"]) == "LoadBalancerNotFound"


@moto_differs("moto raises DuplicateLoadBalancerName; AWS documents CreateLoadBalancer as idempotent")
def test_create_load_balancer_again_with_same_settings_returns_it(client):
    elb, _ec2, _vpc, a, b, lb, _tg = _alb(client)
    again = elb.create_load_balancer(Name="web", Subnets=[a, b])["LoadBalancers"][0]
    assert again["LoadBalancerArn"] == lb["LoadBalancerArn"]


@moto_differs("moto returns the existing load balancer even when the settings differ")
def test_same_name_with_other_settings_is_duplicate(client):
    elb, _ec2, _vpc, a, b, _lb, _tg = _alb(client)
    assert error_code(elb.create_load_balancer, Name="web", Subnets=[a, b],
                      Scheme="internal") == "DuplicateLoadBalancerName"


@moto_differs("moto accepts an ALB with a single subnet; AWS answers ValidationError")
def test_alb_needs_two_availability_zones(client):
    _ec2, _vpc, a, _b = _network(client)
    assert error_code(client("elbv2").create_load_balancer, Name="one", Subnets=[a]) == "ValidationError"


@moto_differs("moto accepts names that start or end with a hyphen")
def test_invalid_load_balancer_name(client):
    _ec2, _vpc, a, b = _network(client)
    assert error_code(client("elbv2").create_load_balancer, Name="-bad-", Subnets=[a, b]) == "ValidationError"


def test_target_group_shape(client):
    _elb, *_rest, _lb, tg = _alb(client)
    assert {"TargetGroupArn", "TargetGroupName", "Protocol", "Port", "VpcId", "HealthCheckProtocol",
            "HealthCheckPort", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
            "UnhealthyThresholdCount", "HealthCheckPath", "Matcher", "TargetType"} <= set(tg)
    assert tg["HealthCheckIntervalSeconds"] == 30 and tg["Matcher"] == {"HttpCode": "200"}


@moto_differs("moto leaves out LoadBalancerArns while it is empty; AWS returns []")
def test_new_target_group_lists_no_load_balancers(client):
    _elb, *_rest, _lb, tg = _alb(client)
    assert tg["LoadBalancerArns"] == []


def test_unknown_target_group_is_not_found(client):
    elb = client("elbv2")
    assert error_code(elb.describe_target_groups, Names=["nope"]) == "TargetGroupNotFound"


def test_listener_with_forward_default_action(client):
    elb, *_rest, lb, tg = _alb(client)
    lst = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
    listener = lst["Listeners"][0]
    assert {"ListenerArn", "LoadBalancerArn", "Port", "Protocol", "DefaultActions"} <= set(listener)
    assert listener["DefaultActions"][0]["TargetGroupArn"] == tg["TargetGroupArn"]
    got = elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    assert [x["Port"] for x in got] == [80]


@moto_differs("moto does not check listener ports for duplicates")
def test_duplicate_listener_port(client):
    elb, *_rest, lb, tg = _alb(client)
    action = [{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}]
    elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=action)
    other = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]
    assert error_code(elb.create_listener, LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                      DefaultActions=other) == "DuplicateListener"


def test_rules_with_conditions_and_priority_in_use(client):
    elb, *_rest, lb, tg = _alb(client)
    action = [{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}]
    lst = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                              DefaultActions=action)["Listeners"][0]
    cond = [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}]
    rule = elb.create_rule(ListenerArn=lst["ListenerArn"], Priority=10, Conditions=cond, Actions=action)["Rules"][0]
    assert {"RuleArn", "Priority", "Conditions", "Actions", "IsDefault"} <= set(rule)
    assert rule["Priority"] == "10" and rule["Conditions"][0]["Field"] == "path-pattern"
    assert error_code(elb.create_rule, ListenerArn=lst["ListenerArn"], Priority=10, Conditions=cond,
                      Actions=action) == "PriorityInUse"
    rules = elb.describe_rules(ListenerArn=lst["ListenerArn"])["Rules"]
    assert [r["Priority"] for r in rules] == ["10", "default"]


def test_register_targets_and_describe_target_health_shape(client):
    elb, ec2, _vpc, a, _b, _lb, tg = _alb(client)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=a,
                            InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": iid}])
    rows = elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]
    assert len(rows) == 1
    assert {"Target", "HealthCheckPort", "TargetHealth"} <= set(rows[0])
    assert rows[0]["Target"]["Id"] == iid and "State" in rows[0]["TargetHealth"]


@moto_differs("moto reports targets of a group no load balancer uses as healthy; AWS says unused/Target.NotInUse")
def test_target_of_unused_group_is_unused(client):
    elb, ec2, _vpc, a, _b, _lb, tg = _alb(client)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=a,
                            InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": iid}])
    health = elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"][0]
    assert health["TargetHealth"]["State"] == "unused"
    assert health["TargetHealth"]["Reason"] == "Target.NotInUse"


@moto_differs("moto registers instance ids that do not exist")
def test_register_unknown_instance_is_invalid_target(client):
    elb, *_rest, _lb, tg = _alb(client)
    assert error_code(elb.register_targets, TargetGroupArn=tg["TargetGroupArn"],
                      Targets=[{"Id": "i-0123456789abcdef0"}]) == "InvalidTarget"


def test_target_group_attributes(client):
    elb, *_rest, _lb, tg = _alb(client)
    attrs = {a["Key"]: a["Value"] for a in
             elb.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
    assert attrs["deregistration_delay.timeout_seconds"] == "300"
    assert attrs["stickiness.enabled"] == "false"


def test_tags_round_trip(client):
    elb, *_rest, lb, _tg = _alb(client)
    elb.add_tags(ResourceArns=[lb["LoadBalancerArn"]], Tags=[{"Key": "team", "Value": "web"}])
    desc = elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"]])["TagDescriptions"][0]
    assert {"Key": "team", "Value": "web"} in desc["Tags"]


def test_delete_target_group_in_use_is_refused(client):
    elb, *_rest, lb, tg = _alb(client)
    elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
    assert error_code(elb.delete_target_group, TargetGroupArn=tg["TargetGroupArn"]) == "ResourceInUse"


# -- classic ---------------------------------------------------------------------------------------
def _clb(client):
    elb = client("elb")
    resp = elb.create_load_balancer(
        LoadBalancerName="old", AvailabilityZones=["us-east-1a", "us-east-1b"],
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}])
    return elb, resp


def test_classic_create_returns_dns_name(client):
    _elb, resp = _clb(client)
    assert keys(resp) == {"DNSName"}
    assert resp["DNSName"].startswith("old") and resp["DNSName"].endswith(".us-east-1.elb.amazonaws.com")


def test_classic_describe_shape(client):
    elb, _ = _clb(client)
    d = elb.describe_load_balancers(LoadBalancerNames=["old"])["LoadBalancerDescriptions"][0]
    assert {"LoadBalancerName", "DNSName", "ListenerDescriptions", "AvailabilityZones", "Instances",
            "CreatedTime", "Scheme"} <= set(d)
    assert d["ListenerDescriptions"][0]["Listener"]["InstancePort"] == 80


@moto_differs("moto describes no HealthCheck until one is configured; AWS sets a default")
def test_classic_has_a_default_health_check(client):
    elb, _ = _clb(client)
    d = elb.describe_load_balancers(LoadBalancerNames=["old"])["LoadBalancerDescriptions"][0]
    assert d["HealthCheck"]["Target"] == "TCP:80" and d["HealthCheck"]["HealthyThreshold"] == 10


def test_classic_unknown_name_is_access_point_not_found(client):
    elb = client("elb")
    assert error_code(elb.describe_load_balancers, LoadBalancerNames=["nope"]) == "LoadBalancerNotFound"


def test_classic_configure_health_check(client):
    elb, _ = _clb(client)
    hc = {"Target": "HTTP:80/index.html", "Interval": 10, "Timeout": 5, "UnhealthyThreshold": 2,
          "HealthyThreshold": 3}
    assert elb.configure_health_check(LoadBalancerName="old", HealthCheck=hc)["HealthCheck"] == hc


def test_classic_cross_zone_is_off_by_default(client):
    elb, _ = _clb(client)
    attrs = elb.describe_load_balancer_attributes(LoadBalancerName="old")["LoadBalancerAttributes"]
    assert attrs["CrossZoneLoadBalancing"] == {"Enabled": False}
    assert attrs["ConnectionDraining"]["Enabled"] is False


@moto_differs("moto's register_instances_with_load_balancer answers an empty Instances list here")
def test_classic_register_and_instance_health_shape(client):
    elb, _ = _clb(client)
    ec2 = client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                            Placement={"AvailabilityZone": "us-east-1a"})["Instances"][0]["InstanceId"]
    out = elb.register_instances_with_load_balancer(LoadBalancerName="old", Instances=[{"InstanceId": iid}])
    assert out["Instances"] == [{"InstanceId": iid}]
    state = elb.describe_instance_health(LoadBalancerName="old")["InstanceStates"][0]
    assert {"InstanceId", "State", "ReasonCode", "Description"} <= set(state)
