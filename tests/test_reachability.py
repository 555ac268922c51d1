"""Reachability over the VPC model: the two-tier web/database design of chapters 2 and 3."""

import pytest

from awskit import AWSError, Cloud
from awskit.reachability import EPHEMERAL_PORT

ADMIN = "203.0.113.0/24"


@pytest.fixture
def world():
    cloud = Cloud(seed=5)
    net = cloud.vpc
    vpc = net.create_vpc("10.0.0.0/16")
    web_subnet = net.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
    db_subnet = net.create_subnet(vpc, "10.0.2.0/24", availability_zone="us-east-1b")
    igw = net.create_internet_gateway()
    net.attach_internet_gateway(igw, vpc)
    public_rt = net.create_route_table(vpc)
    net.create_route(public_rt, "0.0.0.0/0", gateway_id=igw)
    net.associate_route_table(public_rt, web_subnet)
    web_sg = net.create_security_group(vpc, "web", "web tier")
    db_sg = net.create_security_group(vpc, "db", "database tier")
    for port in (80, 443):
        net.authorize_security_group_ingress(web_sg, ip_protocol="tcp", from_port=port, to_port=port,
                                             cidr_ip="0.0.0.0/0")
    net.authorize_security_group_ingress(web_sg, ip_protocol="tcp", from_port=22, to_port=22, cidr_ip=ADMIN)
    net.authorize_security_group_ingress(db_sg, ip_protocol="tcp", from_port=3306, to_port=3306,
                                         source_group=web_sg)
    web = net.create_network_interface(web_subnet, groups=[web_sg])
    net.associate_public_ip(web)
    db = net.create_network_interface(db_subnet, groups=[db_sg])
    return dict(cloud=cloud, net=net, vpc=vpc, web=web, db=db, web_sg=web_sg, db_sg=db_sg,
                web_subnet=web_subnet, db_subnet=db_subnet, igw=igw, public_rt=public_rt)


def test_web_is_reachable_from_internet_on_80_and_443(world):
    for port in (80, 443):
        assert world["cloud"].reachability("internet", world["web"], port).reachable


def test_web_is_not_reachable_on_other_ports(world):
    result = world["cloud"].reachability("internet", world["web"], 8080)
    assert not result.reachable
    assert result.explanation_code == "ENI_SG_RULES_MISMATCH"
    assert result.blocked_at.component == "security-group"


def test_ssh_only_from_admin_network(world):
    cloud = world["cloud"]
    assert cloud.reachability("203.0.113.9", world["web"], 22).reachable
    assert not cloud.reachability("198.51.100.20", world["web"], 22).reachable


def test_database_reachable_only_from_web_group(world):
    cloud = world["cloud"]
    assert cloud.reachability(world["web"], world["db"], 3306).reachable
    assert not cloud.reachability(world["web"], world["db"], 5432).reachable
    assert not cloud.reachability("internet", world["db"], 3306).reachable


def test_private_subnet_interface_has_no_path_from_internet(world):
    result = world["cloud"].reachability("internet", world["db"], 3306)
    assert result.explanation_code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"


def test_private_interface_cannot_reach_internet(world):
    result = world["cloud"].reachability(world["db"], "internet", 443)
    assert not result.reachable
    assert result.explanation_code == "NO_ROUTE_TO_DESTINATION"


def test_public_interface_reaches_internet(world):
    assert world["cloud"].reachability(world["web"], "internet", 443).reachable


def test_no_route_to_igw_blocks_the_reply(world):
    net = world["net"]
    net.delete_route(world["public_rt"], "0.0.0.0/0")
    result = world["cloud"].reachability("internet", world["web"], 80)
    assert not result.reachable
    assert result.blocked_at.component == "route-table"


def test_detached_gateway_blocks_internet_traffic(world):
    net = world["net"]
    net.delete_route(world["public_rt"], "0.0.0.0/0")
    net.release_public_ip(world["web"])
    net.detach_internet_gateway(world["igw"], world["vpc"])
    result = world["cloud"].reachability("internet", world["web"], 80)
    assert result.explanation_code == "NO_INTERNET_GATEWAY"


def test_blackhole_route_is_reported(world):
    net = world["net"]
    other = net.create_internet_gateway()
    rt = net.create_route_table(world["vpc"])
    net.create_route(rt, "0.0.0.0/0", gateway_id=world["igw"])
    net.associate_route_table(rt, world["db_subnet"])
    net.release_public_ip(world["web"])
    net.delete_route(world["public_rt"], "0.0.0.0/0")
    net.detach_internet_gateway(world["igw"], world["vpc"])
    net.attach_internet_gateway(other, world["vpc"])
    net.associate_public_ip(world["db"])
    result = world["cloud"].reachability(world["db"], "internet", 443)
    assert result.explanation_code == "BAD_STATE_ROUTE"


def test_nacl_deny_blocks_inbound(world):
    net = world["net"]
    acl = net.create_network_acl(world["vpc"])
    net.create_network_acl_entry(acl, 100, "tcp", "allow", False, "0.0.0.0/0", port_range=(443, 443))
    net.create_network_acl_entry(acl, 100, "tcp", "allow", True, "0.0.0.0/0", port_range=(1024, 65535))
    net.replace_network_acl_association(world["web_subnet"], acl)
    cloud = world["cloud"]
    assert cloud.reachability("internet", world["web"], 443).reachable
    blocked = cloud.reachability("internet", world["web"], 80)
    assert blocked.explanation_code == "SUBNET_ACL_RESTRICTION"
    assert blocked.blocked_at.direction == "inbound"


def test_stateless_nacl_must_allow_the_reply_on_ephemeral_ports(world):
    net = world["net"]
    acl = net.create_network_acl(world["vpc"])
    net.create_network_acl_entry(acl, 100, "tcp", "allow", False, "0.0.0.0/0", port_range=(80, 80))
    net.create_network_acl_entry(acl, 100, "tcp", "allow", True, "0.0.0.0/0", port_range=(80, 80))
    net.replace_network_acl_association(world["web_subnet"], acl)
    result = world["cloud"].reachability("internet", world["web"], 80)
    assert not result.reachable
    assert result.blocked_at.component == "network-acl"
    assert result.blocked_at.direction == "return outbound"
    net.create_network_acl_entry(acl, 110, "tcp", "allow", True, "0.0.0.0/0",
                                 port_range=(1024, 65535))
    assert world["cloud"].reachability("internet", world["web"], 80).reachable
    assert 1024 <= EPHEMERAL_PORT <= 65535


def test_lower_numbered_deny_wins_over_allow(world):
    net = world["net"]
    acl = world["web_subnet"].network_acl  # the default ACL: rule 100 allows all
    net.create_network_acl_entry(acl, 50, "tcp", "deny", False, "198.51.100.0/24", port_range=(80, 80))
    cloud = world["cloud"]
    assert not cloud.reachability("198.51.100.7", world["web"], 80).reachable
    assert cloud.reachability("192.0.2.10", world["web"], 80).reachable


def test_security_group_outbound_is_stateful(world):
    net = world["net"]
    # Remove every outbound rule of the web group: inbound requests still get their replies.
    for rule in list(world["web_sg"].egress):
        net.revoke_security_group_egress(world["web_sg"], security_group_rule_id=rule.id)
    assert world["cloud"].reachability("internet", world["web"], 80).reachable
    assert not world["cloud"].reachability(world["web"], "internet", 443).reachable


def test_same_subnet_traffic_skips_the_nacl(world):
    net = world["net"]
    other = net.create_network_interface(world["web_subnet"], groups=[world["web_sg"]])
    acl = net.create_network_acl(world["vpc"])  # denies everything
    net.replace_network_acl_association(world["web_subnet"], acl)
    net.authorize_security_group_ingress(world["web_sg"], ip_protocol="tcp", from_port=8080, to_port=8080,
                                         source_group=world["web_sg"])
    result = world["cloud"].reachability(other, world["web"], 8080)
    assert result.reachable
    assert all(h.component != "network-acl" for h in result.hops)


def test_failed_az_makes_interface_unreachable(world):
    world["cloud"].fail_az("us-east-1a")
    result = world["cloud"].reachability("internet", world["web"], 80)
    assert result.explanation_code == "BAD_STATE"
    world["cloud"].restore_az("us-east-1a")
    assert world["cloud"].reachability("internet", world["web"], 80).reachable


def test_endpoints_by_id_and_address(world):
    cloud = world["cloud"]
    assert cloud.reachability(world["web"].id, world["db"].id, 3306).reachable
    assert cloud.reachability(str(world["web"].private_ip_address), world["db"], 3306).reachable


def test_explain_lists_every_hop(world):
    result = world["cloud"].reachability("internet", world["web"], 8080)
    text = result.explain()
    assert "NOT REACHABLE" in text and "ENI_SG_RULES_MISMATCH" in text
    assert len(text.splitlines()) == len(result.hops) + 2
    assert "Not reachable" in result._repr_html_()


@pytest.mark.parametrize("kwargs", [
    dict(source="internet", destination="internet", port=80),
    dict(source="nowhere", destination="internet", port=80),
    dict(source="internet", destination="10.9.9.9", port=80),
    dict(source="internet", destination="eni-0000000000000000f", port=80),
    dict(source="internet", destination="::1", port=80),
])
def test_bad_endpoints_teach(world, kwargs):
    with pytest.raises(AWSError) as err:
        world["cloud"].reachability(**kwargs)
    assert err.value.code.startswith("Invalid")


@pytest.mark.parametrize("port, protocol", [(-1, "tcp"), (70000, "tcp"), ("80", "tcp"), (80, "sctp")])
def test_bad_port_or_protocol_teaches(world, port, protocol):
    with pytest.raises(AWSError) as err:
        world["cloud"].reachability("internet", world["web"], port, protocol)
    assert err.value.code == "InvalidParameterValue"


def test_same_interface_is_rejected(world):
    with pytest.raises(AWSError):
        world["cloud"].reachability(world["web"], world["web"], 80)


def test_cross_vpc_goes_through_the_internet(world):
    cloud, net = world["cloud"], world["net"]
    default = net.default_vpc
    outsider = net.create_network_interface(default.subnets[0])
    net.associate_public_ip(outsider)
    assert cloud.reachability(outsider, world["web"], 443).reachable
    assert not cloud.reachability(outsider, world["db"], 3306).reachable


def test_blocking_acl_hop_carries_the_deciding_rule_peer_and_port(world):
    net = world["net"]
    acl = net.create_network_acl(world["vpc"])
    net.create_network_acl_entry(acl, 100, "tcp", "allow", False, "0.0.0.0/0", port_range=(80, 80))
    net.replace_network_acl_association(world["web_subnet"], acl)
    hop = world["cloud"].reachability("internet", world["web"], 80).blocked_at
    assert (hop.component, hop.rule.rule_number, hop.port) == ("network-acl", 32767, EPHEMERAL_PORT)
    assert str(hop.peer) == "198.51.100.7"


def test_blocking_security_group_hop_carries_peer_and_port(world):
    hop = world["cloud"].reachability("198.51.100.9", world["web"], 22).blocked_at
    assert (hop.component, hop.rule, str(hop.peer), hop.port) == ("security-group", None, "198.51.100.9", 22)


def test_acl_hop_detail_says_denies(world):
    net = world["net"]
    acl = net.create_network_acl(world["vpc"])
    net.replace_network_acl_association(world["web_subnet"], acl)
    hop = world["cloud"].reachability("internet", world["web"], 80).blocked_at
    assert hop.detail.startswith("rule * denies ")
