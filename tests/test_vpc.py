"""The network model of chapter 2: VPCs, subnets, gateways, route tables, ACLs, interfaces."""

from ipaddress import IPv4Address, IPv4Network

import pytest

import awskit.vpc
from awskit import AWSError, Cloud
from awskit.vpc import InternetGatewayState, NetworkInterfaceStatus, RouteState, VpcState


def code(fn, *args, **kwargs) -> str:
    with pytest.raises(AWSError) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.fixture
def svc(cloud):
    return cloud.vpc


@pytest.fixture
def vpc(svc):
    return svc.create_vpc("10.0.0.0/16")


@pytest.fixture
def subnet(svc, vpc):
    return svc.create_subnet(vpc, "10.0.1.0/24")


@pytest.fixture
def igw(svc, vpc):
    gw = svc.create_internet_gateway()
    svc.attach_internet_gateway(gw, vpc)
    return gw


# -- module surface ---------------------------------------------------------------------
def test_all_names_resolve():
    for name in awskit.vpc.__all__:
        assert getattr(awskit.vpc, name) is not None


def test_region_service_is_separate_per_region(cloud):
    assert cloud.region("eu-west-1").vpc is not cloud.vpc
    assert cloud.region("eu-west-1").vpc.default_vpc.region == "eu-west-1"


def test_same_seed_gives_same_ids():
    a, b = Cloud(seed=3), Cloud(seed=3)
    ids_a = [a.vpc.default_vpc.id, a.vpc.create_vpc("10.0.0.0/16").id]
    ids_b = [b.vpc.default_vpc.id, b.vpc.create_vpc("10.0.0.0/16").id]
    assert ids_a == ids_b


def test_different_seeds_give_different_ids():
    assert Cloud(seed=3).vpc.default_vpc.id != Cloud(seed=4).vpc.default_vpc.id


# -- default VPC --------------------------------------------------------------------------
def test_default_vpc_has_default_block(svc):
    assert svc.default_vpc.cidr_block == IPv4Network("172.31.0.0/16")
    assert svc.default_vpc.is_default


def test_default_vpc_has_one_public_slash20_per_az_in_order(svc):
    subnets = svc.default_vpc.subnets
    assert [s.availability_zone.name for s in subnets] == [a.name for a in svc.region.availability_zones]
    assert [str(s.cidr_block) for s in subnets[:2]] == ["172.31.0.0/20", "172.31.16.0/20"]
    assert all(s.default_for_az and s.map_public_ip_on_launch and s.is_public for s in subnets)


def test_default_vpc_has_attached_igw_and_default_route(svc):
    vpc = svc.default_vpc
    assert vpc.internet_gateway.state is InternetGatewayState.ATTACHED
    assert vpc.main_route_table.lookup("1.1.1.1").gateway is vpc.internet_gateway


# -- VPCs ---------------------------------------------------------------------------------
def test_create_vpc_records_block_and_state(vpc):
    assert vpc.cidr_block == IPv4Network("10.0.0.0/16")
    assert vpc.state is VpcState.AVAILABLE and not vpc.is_default


def test_vpc_arn_and_owner(cloud, vpc):
    assert vpc.arn == f"arn:aws:ec2:us-east-1:{cloud.account_id}:vpc/{vpc.id}"
    assert vpc.owner_id == cloud.account_id


def test_vpc_id_format(vpc):
    assert vpc.id.startswith("vpc-0") and len(vpc.id) == 21


def test_new_vpc_has_main_route_table_with_local_route(vpc):
    routes = vpc.main_route_table.routes
    assert len(routes) == 1 and routes[0].target_id == "local"
    assert routes[0].destination_cidr_block == vpc.cidr_block


def test_new_vpc_has_default_acl_allowing_all(vpc):
    acl = vpc.default_network_acl
    assert acl.is_default
    assert acl.evaluate("ingress", "8.8.8.8", 22, "tcp")[1]
    assert acl.evaluate("egress", "8.8.8.8", 22, "tcp")[1]


def test_new_vpc_has_default_security_group(vpc):
    sg = vpc.default_security_group
    assert sg.group_name == "default" and sg.is_default


def test_vpc_larger_than_16_is_rejected(svc):
    assert code(svc.create_vpc, "10.0.0.0/15") == "InvalidVpc.Range"


def test_vpc_smaller_than_28_is_rejected(svc):
    assert code(svc.create_vpc, "10.0.0.0/29") == "InvalidVpc.Range"


@pytest.mark.parametrize("bad", ["10.0.0", "10.0.0.0", "banana/16", "300.0.0.0/16", 42, None])
def test_malformed_vpc_cidr_is_rejected(svc, bad):
    assert code(svc.create_vpc, bad) == "InvalidParameterValue"


def test_vpc_cidr_with_host_bits_is_rejected(svc):
    assert code(svc.create_vpc, "10.0.0.1/16") == "InvalidParameterValue"


def test_unknown_tenancy_is_rejected(svc):
    assert code(svc.create_vpc, "10.0.0.0/16", instance_tenancy="host") == "InvalidParameterValue"


def test_sixth_vpc_exceeds_limit_counting_default(svc):
    for i in range(4):
        svc.create_vpc(f"10.{i}.0.0/16")
    assert code(svc.create_vpc, "10.9.0.0/16") == "VpcLimitExceeded"


def test_vpcs_listed_in_creation_order(svc, vpc):
    assert svc.vpcs == [svc.default_vpc, vpc]


def test_get_vpc_by_id_and_object(svc, vpc):
    assert svc.get_vpc(vpc.id) is vpc and svc.get_vpc(vpc) is vpc


def test_get_vpc_malformed_id(svc):
    assert code(svc.get_vpc, "vpc-xyz") == "InvalidVpcID.Malformed"


def test_get_vpc_unknown_id_lists_existing(svc, vpc):
    with pytest.raises(AWSError) as info:
        svc.get_vpc("vpc-0123456789abcdef0")
    assert info.value.code == "InvalidVpcID.NotFound" and vpc.id in info.value.message


def test_errors_are_lookup_errors_with_status_400(svc):
    with pytest.raises(LookupError) as info:
        svc.get_vpc("vpc-0123456789abcdef0")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_get_vpc_wrong_type_is_invalid_parameter(svc, subnet):
    assert code(svc.get_vpc, subnet) == "InvalidParameterValue"


def test_delete_empty_vpc(svc, vpc):
    rt, acl, sg = vpc.main_route_table, vpc.default_network_acl, vpc.default_security_group
    svc.delete_vpc(vpc)
    assert vpc not in svc.vpcs
    assert rt not in svc.route_tables and acl not in svc.network_acls and sg not in svc.security_groups


def test_deleted_vpc_object_is_not_found(svc, vpc):
    svc.delete_vpc(vpc)
    assert code(svc.get_vpc, vpc) == "InvalidVpcID.NotFound"


@pytest.mark.parametrize("make", [
    lambda s, v: s.create_subnet(v, "10.0.0.0/24"),
    lambda s, v: s.attach_internet_gateway(s.create_internet_gateway(), v),
    lambda s, v: s.create_security_group(v, "web", "web"),
    lambda s, v: s.create_route_table(v),
    lambda s, v: s.create_network_acl(v),
], ids=["subnet", "igw", "security-group", "route-table", "network-acl"])
def test_vpc_with_dependencies_cannot_be_deleted(svc, vpc, make):
    make(svc, vpc)
    assert code(svc.delete_vpc, vpc) == "DependencyViolation"


def test_vpc_repr_html_lists_subnets(svc, subnet):
    html = subnet.vpc._repr_html_()
    assert subnet.id in html and "10.0.1.0/24" in html and "private" in html


def test_vpc_repr_html_caps_rows(svc, vpc):
    for i in range(3):
        svc.create_subnet(vpc, f"10.0.{i}.0/24")
    assert "(1 rows omitted)" in vpc._repr_html_(max_rows=2)


# -- subnets ------------------------------------------------------------------------------
def test_subnet_offers_size_minus_five(subnet):
    assert subnet.available_ip_address_count == 251


def test_subnet_reserved_addresses(subnet):
    assert [str(a) for a in subnet.reserved_addresses] == [
        "10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"]


def test_subnet_defaults_to_first_az(subnet):
    assert subnet.availability_zone.name == "us-east-1a"


def test_subnet_accepts_zone_id(svc, vpc):
    s = svc.create_subnet(vpc, "10.0.2.0/24", availability_zone="use1-az2")
    assert s.availability_zone.name == "us-east-1b"


def test_subnet_in_other_region_az_is_rejected(svc, vpc):
    assert code(svc.create_subnet, vpc, "10.0.2.0/24", availability_zone="eu-west-1a") == "InvalidParameterValue"


def test_subnet_outside_vpc_cidr_is_rejected(svc, vpc):
    assert code(svc.create_subnet, vpc, "10.1.0.0/24") == "InvalidSubnet.Range"


def test_subnet_smaller_than_28_is_rejected(svc, vpc):
    assert code(svc.create_subnet, vpc, "10.0.0.0/29") == "InvalidSubnet.Range"


def test_overlapping_subnet_is_rejected(svc, subnet):
    assert code(svc.create_subnet, subnet.vpc, "10.0.0.0/23") == "InvalidSubnet.Conflict"


def test_subnet_with_host_bits_is_rejected(svc, vpc):
    assert code(svc.create_subnet, vpc, "10.0.1.5/24") == "InvalidParameterValue"


def test_subnet_limit_is_200(svc):
    vpc = svc.create_vpc("10.0.0.0/16")
    for i in range(200):
        svc.create_subnet(vpc, f"10.0.{i}.0/24")
    assert code(svc.create_subnet, vpc, "10.0.250.0/24") == "SubnetLimitExceeded"


def test_subnet_uses_main_route_table_until_associated(subnet):
    assert subnet.route_table is subnet.vpc.main_route_table


def test_new_subnet_uses_default_acl(subnet):
    assert subnet.network_acl is subnet.vpc.default_network_acl


def test_subnet_is_private_without_igw_route(subnet, igw):
    assert not subnet.is_public


def test_subnet_is_public_with_route_to_attached_igw(svc, subnet, igw):
    svc.create_route(subnet.vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
    assert subnet.is_public


def test_subnet_turns_private_when_igw_detached(svc, subnet, igw):
    svc.create_route(subnet.vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
    svc.detach_internet_gateway(igw, subnet.vpc)
    assert not subnet.is_public


def test_modify_subnet_attribute(svc, subnet):
    svc.modify_subnet_attribute(subnet, map_public_ip_on_launch=True)
    assert subnet.map_public_ip_on_launch


def test_modify_subnet_attribute_rejects_non_bool(svc, subnet):
    assert code(svc.modify_subnet_attribute, subnet, map_public_ip_on_launch="yes") == "InvalidParameterValue"


def test_delete_subnet(svc, subnet):
    svc.delete_subnet(subnet.id)
    assert subnet not in svc.subnets and subnet not in subnet.vpc.subnets


def test_subnet_with_interface_cannot_be_deleted(svc, subnet):
    svc.create_network_interface(subnet)
    assert code(svc.delete_subnet, subnet) == "DependencyViolation"


def test_get_subnet_unknown(svc):
    assert code(svc.get_subnet, "subnet-0123456789abcdef0") == "InvalidSubnetID.NotFound"


def test_get_subnet_malformed(svc):
    assert code(svc.get_subnet, "sub-123") == "InvalidSubnetID.Malformed"


# -- internet gateways ----------------------------------------------------------------------
def test_new_igw_is_detached(svc):
    assert svc.create_internet_gateway().state is InternetGatewayState.DETACHED


def test_attach_igw(igw, vpc):
    assert igw.vpc is vpc and vpc.internet_gateway is igw and igw.state is InternetGatewayState.ATTACHED


def test_second_igw_on_vpc_is_rejected(svc, vpc, igw):
    assert code(svc.attach_internet_gateway, svc.create_internet_gateway(), vpc) == "Resource.AlreadyAssociated"


def test_igw_attached_elsewhere_is_rejected(svc, igw):
    other = svc.create_vpc("10.1.0.0/16")
    assert code(svc.attach_internet_gateway, igw, other) == "Resource.AlreadyAssociated"


def test_detach_from_wrong_vpc(svc, igw):
    other = svc.create_vpc("10.1.0.0/16")
    assert code(svc.detach_internet_gateway, igw, other) == "Gateway.NotAttached"


def test_detach_blocked_by_public_addresses(svc, subnet, igw):
    svc.associate_public_ip(svc.create_network_interface(subnet))
    assert code(svc.detach_internet_gateway, igw, subnet.vpc) == "DependencyViolation"


def test_attached_igw_cannot_be_deleted(svc, igw):
    assert code(svc.delete_internet_gateway, igw) == "DependencyViolation"


def test_delete_detached_igw(svc, vpc, igw):
    svc.detach_internet_gateway(igw, vpc)
    svc.delete_internet_gateway(igw)
    assert code(svc.get_internet_gateway, igw.id) == "InvalidInternetGatewayID.NotFound"


def test_get_igw_malformed(svc):
    assert code(svc.get_internet_gateway, "igw-zz") == "InvalidInternetGatewayId.Malformed"


# -- route tables ----------------------------------------------------------------------------
def test_route_to_unknown_gateway(svc, vpc):
    assert code(svc.create_route, vpc.main_route_table, "0.0.0.0/0",
                gateway_id="igw-0123456789abcdef0") == "InvalidGatewayID.NotFound"


def test_route_to_gateway_of_other_vpc(svc, igw):
    other = svc.create_vpc("10.1.0.0/16")
    assert code(svc.create_route, other.main_route_table, "0.0.0.0/0", gateway_id=igw) == "InvalidParameterValue"


def test_duplicate_route_destination(svc, vpc, igw):
    svc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
    assert code(svc.create_route, vpc.main_route_table, "0.0.0.0/0", gateway_id=igw) == "RouteAlreadyExists"


def test_route_needs_a_target(svc, vpc):
    assert code(svc.create_route, vpc.main_route_table, "0.0.0.0/0") == "MissingParameter"


def test_gateway_route_inside_vpc_block_is_rejected(svc, vpc, igw):
    assert code(svc.create_route, vpc.main_route_table, "10.0.5.0/24", gateway_id=igw) == "InvalidParameterValue"


def test_lookup_uses_longest_prefix(svc, vpc, igw, subnet):
    rt = vpc.main_route_table
    eni = svc.create_network_interface(subnet)
    svc.create_route(rt, "0.0.0.0/0", gateway_id=igw)
    svc.create_route(rt, "192.168.0.0/16", network_interface_id=eni)
    assert rt.lookup("192.168.3.4").network_interface is eni
    assert rt.lookup("8.8.8.8").gateway is igw
    assert rt.lookup("10.0.9.9").target_id == "local"


def test_lookup_without_matching_route_is_none(vpc):
    assert vpc.main_route_table.lookup("8.8.8.8") is None


def test_route_to_detached_igw_is_blackhole(svc, vpc, igw):
    route = svc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
    assert route.state is RouteState.ACTIVE
    svc.detach_internet_gateway(igw, vpc)
    assert route.state is RouteState.BLACKHOLE


def test_route_to_deleted_interface_is_blackhole(svc, vpc, subnet):
    eni = svc.create_network_interface(subnet)
    route = svc.create_route(vpc.main_route_table, "192.168.0.0/16", network_interface_id=eni)
    svc.delete_network_interface(eni)
    assert route.state is RouteState.BLACKHOLE


def test_local_route_cannot_be_deleted(svc, vpc):
    assert code(svc.delete_route, vpc.main_route_table, "10.0.0.0/16") == "InvalidParameterValue"


def test_delete_missing_route(svc, vpc):
    assert code(svc.delete_route, vpc.main_route_table, "0.0.0.0/0") == "InvalidRoute.NotFound"


def test_delete_route(svc, vpc, igw):
    svc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
    svc.delete_route(vpc.main_route_table, "0.0.0.0/0")
    assert vpc.main_route_table.lookup("8.8.8.8") is None


def test_replace_route_changes_target(svc, vpc, igw, subnet):
    rt = vpc.main_route_table
    svc.create_route(rt, "0.0.0.0/0", gateway_id=igw)
    eni = svc.create_network_interface(subnet)
    svc.replace_route(rt, "0.0.0.0/0", network_interface_id=eni)
    assert rt.lookup("8.8.8.8").network_interface is eni


def test_replace_missing_route(svc, vpc, igw):
    assert code(svc.replace_route, vpc.main_route_table, "0.0.0.0/0", gateway_id=igw) == "InvalidParameterValue"


def test_associate_route_table(svc, vpc, subnet):
    rt = svc.create_route_table(vpc)
    assoc_id = svc.associate_route_table(rt, subnet)
    assert assoc_id.startswith("rtbassoc-") and subnet.route_table is rt


def test_second_explicit_association_is_rejected(svc, vpc, subnet):
    svc.associate_route_table(svc.create_route_table(vpc), subnet)
    assert code(svc.associate_route_table, svc.create_route_table(vpc), subnet) == "Resource.AlreadyAssociated"


def test_associate_across_vpcs_is_rejected(svc, subnet):
    other = svc.create_vpc("10.1.0.0/16")
    assert code(svc.associate_route_table, svc.create_route_table(other), subnet) == "InvalidParameterValue"


def test_disassociate_falls_back_to_main(svc, vpc, subnet):
    assoc_id = svc.associate_route_table(svc.create_route_table(vpc), subnet)
    svc.disassociate_route_table(assoc_id)
    assert subnet.route_table is vpc.main_route_table


def test_disassociate_unknown_association(svc):
    assert code(svc.disassociate_route_table, "rtbassoc-0123456789abcdef0") == "InvalidAssociationID.NotFound"


def test_main_association_cannot_be_disassociated(svc, vpc):
    main_assoc = vpc.main_route_table.associations[0]
    assert code(svc.disassociate_route_table, main_assoc.id) == "InvalidParameterValue"


def test_replace_subnet_association(svc, vpc, subnet):
    a, b = svc.create_route_table(vpc), svc.create_route_table(vpc)
    old = svc.associate_route_table(a, subnet)
    new = svc.replace_route_table_association(old, b)
    assert new != old and subnet.route_table is b and not a.associations


def test_replace_main_association_changes_main_table(svc, vpc):
    rt = svc.create_route_table(vpc)
    svc.replace_route_table_association(vpc.main_route_table.associations[0].id, rt)
    assert vpc.main_route_table is rt and rt.main


def test_associated_route_table_cannot_be_deleted(svc, vpc, subnet):
    rt = svc.create_route_table(vpc)
    svc.associate_route_table(rt, subnet)
    assert code(svc.delete_route_table, rt) == "DependencyViolation"


def test_main_route_table_cannot_be_deleted(svc, vpc):
    assert code(svc.delete_route_table, vpc.main_route_table) == "DependencyViolation"


def test_delete_route_table(svc, vpc):
    rt = svc.create_route_table(vpc)
    svc.delete_route_table(rt)
    assert code(svc.get_route_table, rt.id) == "InvalidRouteTableID.NotFound"


# -- network ACLs ----------------------------------------------------------------------------
@pytest.fixture
def acl(svc, vpc):
    return svc.create_network_acl(vpc)


def test_custom_acl_denies_everything(acl):
    entry, allowed = acl.evaluate("ingress", "10.0.0.9", 443, "tcp")
    assert entry.rule_number == 32767 and not allowed


def test_acl_first_matching_rule_wins(svc, acl):
    svc.create_network_acl_entry(acl, 200, "tcp", "allow", False, "0.0.0.0/0", port_range=(22, 22))
    svc.create_network_acl_entry(acl, 100, "tcp", "deny", False, "203.0.113.0/24", port_range=(22, 22))
    assert acl.evaluate("ingress", "203.0.113.5", 22, "tcp") == (acl.ingress[0], False)
    assert acl.evaluate("ingress", "198.51.100.5", 22, "tcp")[1]


def test_acl_is_stateless(svc, acl):
    svc.create_network_acl_entry(acl, 100, "tcp", "allow", False, "0.0.0.0/0", port_range=(443, 443))
    assert acl.evaluate("ingress", "8.8.8.8", 443, "tcp")[1]
    assert not acl.evaluate("egress", "8.8.8.8", 50000, "tcp")[1]


def test_acl_port_outside_range_falls_through(svc, acl):
    svc.create_network_acl_entry(acl, 100, "6", "allow", False, "0.0.0.0/0", port_range=(80, 80))
    assert not acl.evaluate("ingress", "8.8.8.8", 81, "tcp")[1]


def test_duplicate_acl_rule_number(svc, acl):
    svc.create_network_acl_entry(acl, 100, "-1", "allow", False, "0.0.0.0/0")
    assert code(svc.create_network_acl_entry, acl, 100, "-1", "deny", False, "0.0.0.0/0") == \
        "NetworkAclEntryAlreadyExists"


def test_same_acl_rule_number_in_other_direction_is_fine(svc, acl):
    svc.create_network_acl_entry(acl, 100, "-1", "allow", False, "0.0.0.0/0")
    svc.create_network_acl_entry(acl, 100, "-1", "allow", True, "0.0.0.0/0")
    assert len(acl.ingress) == len(acl.egress) == 2


def test_acl_limit_is_20_rules_per_direction(svc, acl):
    for n in range(1, 21):
        svc.create_network_acl_entry(acl, n, "-1", "allow", False, "0.0.0.0/0")
    assert code(svc.create_network_acl_entry, acl, 21, "-1", "allow", False, "0.0.0.0/0") == \
        "NetworkAclEntryLimitExceeded"


@pytest.mark.parametrize("number", [0, 32767, "100"])
def test_acl_rule_number_out_of_range(svc, acl, number):
    assert code(svc.create_network_acl_entry, acl, number, "-1", "allow", False, "0.0.0.0/0") == \
        "InvalidParameterValue"


def test_acl_unknown_protocol(svc, acl):
    assert code(svc.create_network_acl_entry, acl, 1, "http", "allow", False, "0.0.0.0/0") == \
        "InvalidParameterValue"


def test_acl_bad_action(svc, acl):
    assert code(svc.create_network_acl_entry, acl, 1, "-1", "permit", False, "0.0.0.0/0") == \
        "InvalidParameterValue"


def test_acl_tcp_rule_needs_ports(svc, acl):
    assert code(svc.create_network_acl_entry, acl, 1, "tcp", "allow", False, "0.0.0.0/0") == "MissingParameter"


def test_acl_reversed_port_range(svc, acl):
    assert code(svc.create_network_acl_entry, acl, 1, "tcp", "allow", False, "0.0.0.0/0",
                port_range=(90, 80)) == "InvalidParameterValue"


def test_replace_acl_entry(svc, acl):
    svc.create_network_acl_entry(acl, 100, "-1", "deny", False, "0.0.0.0/0")
    svc.replace_network_acl_entry(acl, 100, "-1", "allow", False, "0.0.0.0/0")
    assert acl.evaluate("ingress", "1.2.3.4", 1, "udp")[1]


def test_replace_missing_acl_entry(svc, acl):
    assert code(svc.replace_network_acl_entry, acl, 5, "-1", "allow", False, "0.0.0.0/0") == \
        "InvalidNetworkAclEntry.NotFound"


def test_delete_acl_entry(svc, acl):
    svc.create_network_acl_entry(acl, 100, "-1", "allow", True, "0.0.0.0/0")
    svc.delete_network_acl_entry(acl, 100, True)
    assert [e.rule_number for e in acl.egress] == [32767]


def test_star_rule_cannot_be_deleted(svc, acl):
    assert code(svc.delete_network_acl_entry, acl, 32767, False) == "InvalidNetworkAclEntry.NotFound"


def test_replace_acl_association_by_subnet(svc, acl, subnet):
    new_id = svc.replace_network_acl_association(subnet, acl)
    assert subnet.network_acl is acl and new_id.startswith("aclassoc-")
    assert subnet not in subnet.vpc.default_network_acl.subnets


def test_replace_acl_association_by_id(svc, acl, subnet):
    svc.replace_network_acl_association(subnet.network_acl_association.id, acl)
    assert subnet.network_acl is acl


def test_replace_acl_association_unknown_id(svc, acl):
    assert code(svc.replace_network_acl_association, "aclassoc-0123456789abcdef0", acl) == \
        "InvalidAssociationID.NotFound"


def test_associated_acl_cannot_be_deleted(svc, acl, subnet):
    svc.replace_network_acl_association(subnet, acl)
    assert code(svc.delete_network_acl, acl) == "DependencyViolation"


def test_default_acl_cannot_be_deleted(svc, vpc):
    assert code(svc.delete_network_acl, vpc.default_network_acl) == "InvalidParameterValue"


def test_delete_acl(svc, acl):
    svc.delete_network_acl(acl)
    assert code(svc.get_network_acl, acl.id) == "InvalidNetworkAclID.NotFound"


def test_deleting_subnet_returns_it_to_no_acl(svc, acl, subnet):
    svc.replace_network_acl_association(subnet, acl)
    svc.delete_subnet(subnet)
    svc.delete_network_acl(acl)
    assert acl not in svc.network_acls


# -- network interfaces ------------------------------------------------------------------------
def test_interface_gets_first_free_address(svc, subnet):
    a, b = svc.create_network_interface(subnet), svc.create_network_interface(subnet)
    assert (str(a.private_ip_address), str(b.private_ip_address)) == ("10.0.1.4", "10.0.1.5")


def test_interface_uses_a_subnet_address(svc, subnet):
    svc.create_network_interface(subnet)
    assert subnet.available_ip_address_count == 250


def test_deleting_interface_frees_its_address(svc, subnet):
    eni = svc.create_network_interface(subnet)
    svc.delete_network_interface(eni)
    assert subnet.available_ip_address_count == 251
    assert svc.create_network_interface(subnet).private_ip_address == IPv4Address("10.0.1.4")


def test_interface_defaults_to_vpc_default_group(svc, subnet):
    eni = svc.create_network_interface(subnet)
    assert eni.security_groups == [subnet.vpc.default_security_group]


def test_interface_links(svc, subnet):
    eni = svc.create_network_interface(subnet)
    assert eni.vpc is subnet.vpc and eni.availability_zone is subnet.availability_zone
    assert eni.status is NetworkInterfaceStatus.AVAILABLE


def test_interface_chosen_address(svc, subnet):
    eni = svc.create_network_interface(subnet, private_ip_address="10.0.1.50")
    assert str(eni.private_ip_address) == "10.0.1.50"


def test_interface_address_in_use(svc, subnet):
    svc.create_network_interface(subnet, private_ip_address="10.0.1.50")
    assert code(svc.create_network_interface, subnet, private_ip_address="10.0.1.50") == "InvalidIPAddress.InUse"


@pytest.mark.parametrize("ip", ["10.0.2.7", "10.0.1.1", "10.0.1.255", "ten"])
def test_interface_address_outside_subnet_or_reserved(svc, subnet, ip):
    assert code(svc.create_network_interface, subnet, private_ip_address=ip) == "InvalidParameterValue"


def test_full_subnet_has_no_free_address(svc, vpc):
    tiny = svc.create_subnet(vpc, "10.0.0.0/28")
    for _ in range(11):
        svc.create_network_interface(tiny)
    assert code(svc.create_network_interface, tiny) == "InsufficientFreeAddressesInSubnet"


def test_interface_group_from_other_vpc(svc, subnet):
    other = svc.default_vpc.default_security_group
    assert code(svc.create_network_interface, subnet, groups=[other]) == "InvalidParameter"


def test_interface_limited_to_five_groups(svc, subnet):
    groups = [svc.create_security_group(subnet.vpc, f"g{i}", "g") for i in range(6)]
    assert code(svc.create_network_interface, subnet, groups=groups) == "SecurityGroupsPerInterfaceLimitExceeded"


def test_modify_interface_groups(svc, subnet):
    eni = svc.create_network_interface(subnet)
    web = svc.create_security_group(subnet.vpc, "web", "web")
    svc.modify_network_interface_attribute(eni, groups=[web.id])
    assert eni.security_groups == [web]


def test_attached_interface_cannot_be_deleted(svc, subnet):
    eni = svc.create_network_interface(subnet)
    eni.attachment = "eni-attach-0123456789abcdef0"
    assert eni.status is NetworkInterfaceStatus.IN_USE
    assert code(svc.delete_network_interface, eni) == "InvalidNetworkInterface.InUse"


def test_public_ip_needs_internet_gateway(svc, subnet):
    eni = svc.create_network_interface(subnet)
    assert code(svc.associate_public_ip, eni) == "Gateway.NotAttached"


def test_public_ip_assigned_and_released(svc, subnet, igw):
    eni = svc.create_network_interface(subnet)
    ip = svc.associate_public_ip(eni)
    assert eni.public_ip == ip and not ip.is_private
    svc.release_public_ip(eni)
    assert eni.public_ip is None


def test_interface_for_ip_finds_private_and_public(svc, subnet, igw):
    eni = svc.create_network_interface(subnet)
    ip = svc.associate_public_ip(eni)
    assert subnet.vpc.interface_for_ip("10.0.1.4") is eni
    assert subnet.vpc.interface_for_ip(ip) is eni and svc.interface_for_ip(ip) is eni
    assert subnet.vpc.interface_for_ip("10.0.1.9") is None


def test_get_interface_unknown(svc):
    assert code(svc.get_network_interface, "eni-0123456789abcdef0") == "InvalidNetworkInterfaceID.NotFound"


def test_collections_in_creation_order(svc, vpc, subnet):
    eni1, eni2 = svc.create_network_interface(subnet), svc.create_network_interface(subnet)
    assert svc.network_interfaces == [eni1, eni2]
    assert svc.subnets[-1] is subnet and vpc.network_interfaces == [eni1, eni2]


# -- tags and events ------------------------------------------------------------------------
def test_create_and_delete_tags(svc, vpc, subnet):
    svc.create_tags([vpc.id, subnet], {"Name": "lab", "env": "dev"})
    assert vpc.name == "lab" and subnet.tags["env"] == "dev"
    svc.delete_tags([vpc.id], ["env"])
    assert vpc.tags == {"Name": "lab"}


def test_tags_on_unknown_kind_is_invalid_id(svc):
    assert code(svc.create_tags, ["i-0123456789abcdef0"], {"a": "b"}) == "InvalidID"


def test_tags_on_missing_subnet(svc):
    assert code(svc.create_tags, ["subnet-0123456789abcdef0"], {"a": "b"}) == "InvalidSubnetID.NotFound"


def test_tags_are_all_or_nothing(svc, vpc):
    with pytest.raises(AWSError):
        svc.create_tags([vpc.id, "vpc-0123456789abcdef0"], {"a": "b"})
    assert vpc.tags == {}


def test_reserved_tag_prefix_rejected(svc, vpc):
    assert code(svc.create_tags, [vpc.id], {"aws:x": "y"}) == "InvalidParameterValue"


def test_changes_publish_vpc_events(cloud):
    seen = []
    cloud.events.subscribe("vpc.*", lambda m: seen.append(m.topic))
    svc = cloud.vpc
    vpc = svc.create_vpc("10.0.0.0/16")
    s = svc.create_subnet(vpc, "10.0.0.0/24")
    svc.delete_subnet(s)
    assert "vpc.vpc.created" in seen and "vpc.subnet.created" in seen and seen[-1] == "vpc.subnet.deleted"


# -- VPC DNS attributes and the CIDR association id ---------------------------------------------------

def test_new_vpc_has_dns_support_without_hostnames(svc):
    vpc = svc.create_vpc("10.0.0.0/16")
    assert (vpc.enable_dns_support, vpc.enable_dns_hostnames) == (True, False)


def test_default_vpc_has_dns_hostnames(svc):
    assert svc.default_vpc.enable_dns_hostnames is True


def test_modify_vpc_attribute_changes_one_attribute(svc):
    vpc = svc.modify_vpc_attribute(svc.create_vpc("10.0.0.0/16"), enable_dns_hostnames=True)
    assert vpc.enable_dns_hostnames is True


def test_modify_vpc_attribute_needs_exactly_one_attribute(svc):
    vpc = svc.create_vpc("10.0.0.0/16")
    assert code(svc.modify_vpc_attribute, vpc) == "InvalidParameterCombination"
    assert code(svc.modify_vpc_attribute, vpc, enable_dns_support=True,
                enable_dns_hostnames=True) == "InvalidParameterCombination"


def test_modify_vpc_attribute_wants_a_bool(svc):
    assert code(svc.modify_vpc_attribute, svc.create_vpc("10.0.0.0/16"), enable_dns_support="yes") == \
        "InvalidParameterValue"


def test_dns_hostnames_need_dns_support(svc):
    vpc = svc.modify_vpc_attribute(svc.create_vpc("10.0.0.0/16"), enable_dns_support=False)
    assert code(svc.modify_vpc_attribute, vpc, enable_dns_hostnames=True) == "InvalidParameterValue"


def test_modify_vpc_attribute_publishes_event(cloud, svc):
    seen = []
    cloud.events.subscribe("vpc.vpc.modified", lambda m: seen.append(m["attribute"]))
    svc.modify_vpc_attribute(svc.create_vpc("10.0.0.0/16"), enable_dns_hostnames=True)
    assert seen == ["enable_dns_hostnames"]


def test_cidr_block_association_id_is_stable_and_distinct(svc):
    a, b = svc.create_vpc("10.0.0.0/16"), svc.create_vpc("10.1.0.0/16")
    assert a.cidr_block_association_id.startswith("vpc-cidr-assoc-")
    assert a.cidr_block_association_id == a.cidr_block_association_id != b.cidr_block_association_id
