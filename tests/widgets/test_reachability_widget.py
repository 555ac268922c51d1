"""The reachability explorer, driven in plain Python: dropdowns, port, Analyze, hints."""

import time

import pytest

from awskit import AWSError
from awskit.reachability import EPHEMERAL_PORT
from awskit.widgets import ReachabilityExplorer

ADMIN_IP = "203.0.113.10"


@pytest.fixture
def world(cloud):
    net = cloud.vpc
    vpc = net.create_vpc("10.0.0.0/16")
    public = net.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a", tags={"Name": "public-a"})
    private = net.create_subnet(vpc, "10.0.2.0/24", availability_zone="us-east-1b", tags={"Name": "private-b"})
    igw = net.create_internet_gateway()
    net.attach_internet_gateway(igw, vpc)
    rt = net.create_route_table(vpc)
    net.create_route(rt, "0.0.0.0/0", gateway_id=igw)
    net.associate_route_table(rt, public)
    web_sg = net.create_security_group(vpc, "web", "web tier")
    db_sg = net.create_security_group(vpc, "db", "database tier")
    net.authorize_security_group_ingress(web_sg, ip_protocol="tcp", from_port=80, to_port=80, cidr_ip="0.0.0.0/0")
    web = net.create_network_interface(public, groups=[web_sg], tags={"Name": "web-1"})
    net.associate_public_ip(web)
    db = net.create_network_interface(private, groups=[db_sg], tags={"Name": "db-1"})
    return {"cloud": cloud, "net": net, "vpc": vpc, "public": public, "private": private, "igw": igw, "rt": rt,
                "web_sg": web_sg, "db_sg": db_sg, "web": web, "db": db}


@pytest.fixture
def explorer(world):
    view = ReachabilityExplorer(world["cloud"], world["vpc"])
    yield view
    view.close()


def _choose(explorer, source, destination, port):
    explorer.source.value = source
    explorer.destination.value = destination
    explorer.port.value = port


def test_choices_list_samples_and_every_interface_of_the_vpc(world, explorer):
    values = [v for _, v in explorer.source.options]
    assert values[:2] == ["internet", ADMIN_IP]
    assert {world["web"].id, world["db"].id} <= set(values)
    label = {v: k for k, v in explorer.source.options}[world["web"].id]
    assert "web-1" in label and "public-a" in label and "10.0.1.4" in label


def test_interfaces_of_other_vpcs_are_not_offered(world, explorer):
    other = world["net"].create_network_interface(world["net"].default_vpc.subnets[0])
    assert other.id not in [v for _, v in explorer.source.options]


def test_internet_to_web_on_80_is_reachable(world, explorer):
    _choose(explorer, "internet", world["web"].id, 80)
    assert explorer.result.reachable
    assert "REACHABLE" in explorer.verdict.value and "NOT" not in explorer.verdict.value
    assert explorer.hint == ""


def test_ssh_from_admin_is_blocked_by_the_security_group_with_a_rule_hint(world, explorer):
    _choose(explorer, ADMIN_IP, world["web"].id, 22)
    assert explorer.result.blocked_at.component == "security-group"
    assert explorer.result.explanation_code == "ENI_SG_RULES_MISMATCH"
    assert "inbound rule" in explorer.hint and world["web_sg"].id in explorer.hint
    assert "tcp/22" in explorer.hint and "203.0.113.0/24" in explorer.hint


def test_following_the_security_group_hint_makes_it_reachable(world, explorer):
    _choose(explorer, ADMIN_IP, world["web"].id, 22)
    world["net"].authorize_security_group_ingress(world["web_sg"], ip_protocol="tcp", from_port=22, to_port=22,
                                                  cidr_ip="203.0.113.0/24")
    assert explorer.result.reachable  # re-analysed on the vpc.* event, without a click


def test_web_to_database_hint_names_the_source_group(world, explorer):
    _choose(explorer, world["web"].id, world["db"].id, 3306)
    assert explorer.result.blocked_at.direction == "inbound"
    assert world["db_sg"].id in explorer.hint and f"security group {world['web_sg'].id}" in explorer.hint


def test_quick_port_button_sets_the_port_and_reanalyses(world, explorer):
    _choose(explorer, "internet", world["web"].id, 80)
    explorer.quick[443].click()
    assert explorer.port.value == 443
    assert explorer.result.port == 443 and not explorer.result.reachable


def test_analyze_button_runs_the_analysis(world, explorer):
    before = explorer.analysis_count
    explorer.analyze_button.click()
    assert explorer.analysis_count == before + 1


def test_blocking_hop_is_highlighted_in_the_table(world, explorer):
    _choose(explorer, ADMIN_IP, world["web"].id, 22)
    rows = explorer.table.value.split("<tr")
    blocked = [r for r in rows if "#ffebe9" in r]
    assert len(blocked) == 1 and "security-group" in blocked[0]


def test_nacl_deny_rule_hint_asks_for_a_lower_numbered_allow(world, explorer):
    net = world["net"]
    acl = net.create_network_acl(world["vpc"])
    net.create_network_acl_entry(acl, 50, "tcp", "deny", False, "0.0.0.0/0", port_range=(80, 80))
    net.create_network_acl_entry(acl, 100, "-1", "allow", False, "0.0.0.0/0")
    net.create_network_acl_entry(acl, 100, "-1", "allow", True, "0.0.0.0/0")
    net.replace_network_acl_association(world["public"], acl)
    _choose(explorer, "internet", world["web"].id, 80)
    assert explorer.result.explanation_code == "SUBNET_ACL_RESTRICTION"
    assert "Rule 50" in explorer.hint and "lower than 50" in explorer.hint


def test_nacl_without_return_rule_hint_names_the_ephemeral_ports(world, explorer):
    net = world["net"]
    acl = net.create_network_acl(world["vpc"])
    net.create_network_acl_entry(acl, 100, "tcp", "allow", False, "0.0.0.0/0", port_range=(80, 80))
    net.create_network_acl_entry(acl, 100, "tcp", "allow", True, "0.0.0.0/0", port_range=(80, 80))
    net.replace_network_acl_association(world["public"], acl)
    _choose(explorer, "internet", world["web"].id, 80)
    hop = explorer.result.blocked_at
    assert (hop.component, hop.direction, hop.port) == ("network-acl", "return outbound", EPHEMERAL_PORT)
    assert "1024-65535" in explorer.hint and "outbound" in explorer.hint


def test_missing_route_hint_names_the_gateway(world, explorer):
    world["net"].delete_route(world["rt"], "0.0.0.0/0")
    _choose(explorer, "internet", world["web"].id, 80)
    assert explorer.result.blocked_at.component == "route-table"
    assert f"0.0.0.0/0 -> {world['igw'].id}" in explorer.hint and world["rt"].id in explorer.hint


def test_private_interface_hint_asks_for_a_public_ip_and_subnet(world, explorer):
    _choose(explorer, "internet", world["db"].id, 3306)
    assert explorer.result.explanation_code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    assert "public IP" in explorer.hint and "public subnet" in explorer.hint


def test_failed_az_blocks_and_hints_at_restoring(world, explorer):
    _choose(explorer, "internet", world["web"].id, 80)
    world["cloud"].fail_az("us-east-1a")
    assert explorer.result.explanation_code == "BAD_STATE"
    assert "restore" in explorer.hint


def test_new_interface_appears_in_the_choices(world, explorer):
    eni = world["net"].create_network_interface(world["private"], tags={"Name": "app-1"})
    assert eni.id in [v for _, v in explorer.destination.options]


def test_choices_keep_the_selection_when_they_refresh(world, explorer):
    _choose(explorer, ADMIN_IP, world["db"].id, 22)
    world["net"].create_network_interface(world["private"])
    assert (explorer.source.value, explorer.destination.value) == (ADMIN_IP, world["db"].id)


def test_deleted_interface_leaves_the_choices(world, explorer):
    eni = world["net"].create_network_interface(world["private"])
    explorer.destination.value = eni.id
    world["net"].delete_network_interface(eni)
    assert eni.id not in [v for _, v in explorer.destination.options]
    assert explorer.destination.value != eni.id


def test_same_endpoint_twice_is_explained_not_crashed(world, explorer):
    _choose(explorer, world["web"].id, world["web"].id, 80)
    assert explorer.result is None
    assert explorer.last_error.code == "InvalidParameterValue"
    assert "Cannot analyse" in explorer.verdict.value


def test_icmp_type_above_255_is_explained(world, explorer):
    _choose(explorer, "internet", world["web"].id, 443)
    explorer.protocol.value = "icmp"
    assert explorer.result is None and explorer.last_error.code == "InvalidParameterValue"


def test_explorer_without_vpc_offers_every_interface_in_the_region(world):
    view = ReachabilityExplorer(world["cloud"])
    other = world["net"].create_network_interface(world["net"].default_vpc.subnets[0])
    assert {world["web"].id, other.id} <= {v for _, v in view.source.options}
    view.close()


def test_bad_vpc_is_rejected(world):
    with pytest.raises(AWSError) as err:
        ReachabilityExplorer(world["cloud"], "vpc-0123456789abcdef0")
    assert err.value.code == "InvalidVpcID.NotFound"


def test_analysis_time_is_measured(world, explorer):
    times = []
    for port in (22, 80, 443, 3306, 8080):
        start = time.perf_counter()
        explorer.port.value = port
        times.append((time.perf_counter() - start) * 1000)
    print(f"\nReachabilityExplorer re-analysis: {', '.join(f'{t:.1f}' for t in times)} ms")
    assert explorer.result.port == 8080
