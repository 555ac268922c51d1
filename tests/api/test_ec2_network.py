"""The EC2 networking facade: boto3 shapes, parameters, errors, filters, tags, waiters, paginators."""

import pytest

from awskit import AWSError
from awskit.api.base import ParamValidationError
from awskit.core.errors import WaiterError


def code(fn, **kwargs) -> str:
    with pytest.raises(AWSError) as info:
        fn(**kwargs)
    return info.value.code


def tags(kind, **kv):
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in kv.items()]}]


@pytest.fixture
def ec2(cloud):
    return cloud.client("ec2")


@pytest.fixture
def vpc_id(ec2):
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


@pytest.fixture
def subnet_id(ec2, vpc_id):
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]


@pytest.fixture
def igw_id(ec2, vpc_id):
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    return igw


@pytest.fixture
def sg_id(ec2, vpc_id):
    return ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc_id)["GroupId"]


# -- VPCs ---------------------------------------------------------------------------------------

def test_untagged_vpc_has_no_tags_key(ec2):
    assert "Tags" not in ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]


def test_tag_specifications_tag_the_vpc(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tags("vpc", Name="lab"))["Vpc"]
    assert vpc["Tags"] == [{"Key": "Name", "Value": "lab"}]


def test_tag_specification_for_another_resource_type_is_invalid(ec2):
    assert code(ec2.create_vpc, CidrBlock="10.0.0.0/16",
                TagSpecifications=tags("subnet", Name="x")) == "InvalidParameterValue"


def test_reserved_tag_key_is_rejected_by_the_model(ec2):
    assert code(ec2.create_vpc, CidrBlock="10.0.0.0/16",
                TagSpecifications=tags("vpc", **{"aws:owner": "me"})) == "InvalidParameterValue"


def test_ipv6_block_is_unsupported(ec2):
    assert code(ec2.create_vpc, CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True) == "UnsupportedOperation"


def test_create_vpc_without_cidr_is_missing_parameter(ec2):
    assert code(ec2.create_vpc) == "MissingParameter"


def test_dedicated_tenancy_is_reported(ec2):
    assert ec2.create_vpc(CidrBlock="10.0.0.0/16", InstanceTenancy="dedicated")["Vpc"]["InstanceTenancy"] == "dedicated"


def test_non_string_id_is_a_param_validation_error(ec2):
    with pytest.raises(ParamValidationError):
        ec2.describe_vpcs(VpcIds=[42])


def test_malformed_vpc_id(ec2):
    assert code(ec2.describe_vpcs, VpcIds=["vpc-xyz"]) == "InvalidVpcID.Malformed"


def test_describe_vpcs_by_id_keeps_the_order_given(ec2, vpc_id):
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    assert [v["VpcId"] for v in ec2.describe_vpcs(VpcIds=[vpc_id, default])["Vpcs"]] == [vpc_id, default]


def test_cidr_filter(ec2, vpc_id):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"]
    assert [v["VpcId"] for v in vpcs] == [vpc_id]


def test_tag_filters_accept_wildcards_and_tag_key(ec2):
    lab = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=tags("vpc", Name="lab-1"))["Vpc"]["VpcId"]
    assert [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["lab-*"]}])["Vpcs"]] == [lab]
    assert [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag-key", "Values": ["Name"]}])["Vpcs"]] == [lab]


def test_unknown_filter_is_invalid(ec2):
    assert code(ec2.describe_vpcs, Filters=[{"Name": "colour", "Values": ["blue"]}]) == "InvalidParameterValue"


def test_delete_vpc_removes_it(ec2, vpc_id):
    ec2.delete_vpc(VpcId=vpc_id)
    assert code(ec2.describe_vpcs, VpcIds=[vpc_id]) == "InvalidVpcID.NotFound"


def test_error_names_the_operation(ec2):
    with pytest.raises(AWSError) as info:
        ec2.delete_vpc(VpcId="vpc-0123456789abcdef0")
    assert info.value.operation == "DeleteVpc" and isinstance(info.value, ec2.exceptions.ClientError)


def test_dry_run_answers_dry_run_operation_and_creates_nothing(ec2):
    before = len(ec2.describe_vpcs()["Vpcs"])
    assert code(ec2.create_vpc, CidrBlock="10.0.0.0/16", DryRun=True) == "DryRunOperation"
    assert len(ec2.describe_vpcs()["Vpcs"]) == before


def test_dns_hostnames_default_off_in_new_vpc_and_on_in_default_vpc(ec2, vpc_id):
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    get = ec2.describe_vpc_attribute
    assert get(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"] == {"Value": False}
    assert get(VpcId=default, Attribute="enableDnsHostnames")["EnableDnsHostnames"] == {"Value": True}
    assert get(VpcId=vpc_id, Attribute="enableDnsSupport")["EnableDnsSupport"] == {"Value": True}


def test_modify_two_vpc_attributes_at_once_is_rejected(ec2, vpc_id):
    assert code(ec2.modify_vpc_attribute, VpcId=vpc_id, EnableDnsSupport={"Value": True},
                EnableDnsHostnames={"Value": True}) == "InvalidParameterCombination"


def test_dns_hostnames_need_dns_support(ec2, vpc_id):
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": False})
    assert code(ec2.modify_vpc_attribute, VpcId=vpc_id, EnableDnsHostnames={"Value": True}) == "InvalidParameterValue"


def test_unknown_vpc_attribute_is_invalid(ec2, vpc_id):
    assert code(ec2.describe_vpc_attribute, VpcId=vpc_id, Attribute="colour") == "InvalidParameterValue"


def test_attribute_value_must_be_wrapped(ec2, vpc_id):
    with pytest.raises(ParamValidationError):
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport=True)


# -- subnets, paging ------------------------------------------------------------------------------

def test_subnet_by_zone_id(ec2, vpc_id):
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.9.0/24", AvailabilityZoneId="use1-az2")["Subnet"]
    assert subnet["AvailabilityZoneId"] == "use1-az2"


def test_subnet_zone_name_and_id_together_are_rejected(ec2, vpc_id):
    assert code(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.9.0/24", AvailabilityZone="us-east-1a",
                AvailabilityZoneId="use1-az2") == "InvalidParameterCombination"


def test_subnet_shape_counts_free_addresses_and_arn(ec2, subnet_id):
    s = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]
    assert s["AvailableIpAddressCount"] == 251 and s["SubnetArn"].endswith(f":subnet/{subnet_id}")


def test_map_public_ip_filter(ec2, vpc_id, subnet_id):
    ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
    found = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                          {"Name": "map-public-ip-on-launch", "Values": ["true"]}])["Subnets"]
    assert [s["SubnetId"] for s in found] == [subnet_id]


def test_modify_subnet_needs_an_attribute(ec2, subnet_id):
    assert code(ec2.modify_subnet_attribute, SubnetId=subnet_id) == "MissingParameter"


def test_delete_subnet(ec2, subnet_id):
    ec2.delete_subnet(SubnetId=subnet_id)
    assert code(ec2.describe_subnets, SubnetIds=[subnet_id]) == "InvalidSubnetID.NotFound"


@pytest.fixture
def seven_subnets(ec2, vpc_id):
    return [ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"] for i in range(7)]


def test_max_results_pages_with_next_token(ec2, vpc_id, seven_subnets):
    flt = [{"Name": "vpc-id", "Values": [vpc_id]}]
    first = ec2.describe_subnets(Filters=flt, MaxResults=5)
    second = ec2.describe_subnets(Filters=flt, MaxResults=5, NextToken=first["NextToken"])
    assert [s["SubnetId"] for s in first["Subnets"] + second["Subnets"]] == seven_subnets
    assert "NextToken" not in second


def test_max_results_below_five_is_invalid(ec2):
    # boto3 refuses it client-side: the model's MaxResults has a minimum of 5
    assert code(ec2.describe_subnets, MaxResults=2) == "ParamValidationError"


def test_max_results_with_ids_is_invalid(ec2, subnet_id):
    assert code(ec2.describe_subnets, SubnetIds=[subnet_id], MaxResults=5) == "InvalidParameterCombination"


def test_bad_next_token(ec2):
    assert code(ec2.describe_subnets, NextToken="garbage") == "InvalidNextToken"


def test_paginator_walks_every_page(ec2, vpc_id, seven_subnets):
    pages = list(ec2.get_paginator("describe_subnets").paginate(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}], PaginationConfig={"PageSize": 5}))
    assert [len(p["Subnets"]) for p in pages] == [5, 2]


@pytest.mark.parametrize("operation", ["describe_vpcs", "describe_subnets", "describe_route_tables",
                                       "describe_network_acls", "describe_security_groups",
                                       "describe_internet_gateways", "describe_network_interfaces",
                                       "describe_tags", "describe_security_group_rules"])
def test_describe_operations_paginate(ec2, operation):
    assert ec2.can_paginate(operation)


# -- waiters ------------------------------------------------------------------------------------------

def test_vpc_available_waiter_returns_without_waiting(cloud, ec2, vpc_id):
    ec2.get_waiter("vpc_available").wait(VpcIds=[vpc_id])
    assert cloud.clock.now == 0


def test_vpc_exists_waiter_gives_up_in_simulated_time(cloud, ec2):
    with pytest.raises(WaiterError):
        ec2.get_waiter("vpc_exists").wait(VpcIds=["vpc-0123456789abcdef0"])
    assert cloud.clock.now == 4  # 5 attempts, 1 s apart, as botocore's VpcExists


@pytest.mark.parametrize("waiter, kwargs", [
    ("subnet_available", lambda ids: {"SubnetIds": [ids["subnet"]]}),
    ("security_group_exists", lambda ids: {"GroupIds": [ids["sg"]]}),
    ("internet_gateway_exists", lambda ids: {"InternetGatewayIds": [ids["igw"]]}),
    ("network_interface_available", lambda ids: {"NetworkInterfaceIds": [ids["eni"]]}),
])
def test_network_waiters_succeed_on_existing_resources(ec2, subnet_id, sg_id, igw_id, waiter, kwargs):
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    ids = {"subnet": subnet_id, "sg": sg_id, "igw": igw_id, "eni": eni}
    assert ec2.get_waiter(waiter).wait(**kwargs(ids)) is None


# -- internet gateways and routes ------------------------------------------------------------------

def test_detached_gateway_has_no_attachments(ec2, vpc_id, igw_id):
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    igw = ec2.describe_internet_gateways(InternetGatewayIds=[igw_id])["InternetGateways"][0]
    assert igw["Attachments"] == []


def test_attached_gateway_cannot_be_deleted(ec2, igw_id):
    assert code(ec2.delete_internet_gateway, InternetGatewayId=igw_id) == "DependencyViolation"


def test_route_to_interface_names_the_interface(ec2, vpc_id, subnet_id):
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="192.168.0.0/16", NetworkInterfaceId=eni)
    routes = ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]["Routes"]
    assert routes[1] == {"DestinationCidrBlock": "192.168.0.0/16", "NetworkInterfaceId": eni,
                         "Origin": "CreateRoute", "State": "active"}


def test_route_to_detached_gateway_turns_blackhole(ec2, vpc_id, igw_id):
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    found = ec2.describe_route_tables(Filters=[{"Name": "route.state", "Values": ["blackhole"]}])["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [rt]


def test_nat_gateway_route_is_unsupported(ec2, vpc_id):
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    assert code(ec2.create_route, RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0",
                NatGatewayId="nat-0123456789abcdef0") == "UnsupportedOperation"


def test_replace_route_points_at_new_target(ec2, vpc_id, subnet_id, igw_id):
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    ec2.replace_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=eni)
    found = ec2.describe_route_tables(Filters=[{"Name": "route.network-interface-id", "Values": [eni]}])
    assert [t["RouteTableId"] for t in found["RouteTables"]] == [rt]


def test_delete_route(ec2, vpc_id, igw_id):
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    ec2.delete_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0")
    routes = ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]["Routes"]
    assert [r["GatewayId"] for r in routes] == ["local"]


def test_disassociated_subnet_falls_back_to_main_table(ec2, vpc_id, subnet_id):
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    assoc = ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet_id)["AssociationId"]
    ec2.disassociate_route_table(AssociationId=assoc)
    assert ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]["Associations"] == []


def test_replacing_main_association_makes_table_main(ec2, vpc_id):
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                              {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
    rt = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.replace_route_table_association(AssociationId=main["Associations"][0]["RouteTableAssociationId"],
                                        RouteTableId=rt)
    now_main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                  {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    assert [t["RouteTableId"] for t in now_main] == [rt]


def test_unknown_association_id(ec2):
    assert code(ec2.disassociate_route_table, AssociationId="rtbassoc-0123456789abcdef0") == \
        "InvalidAssociationID.NotFound"


# -- network ACLs ----------------------------------------------------------------------------------------

@pytest.fixture
def acl_id(ec2, vpc_id):
    return ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]


def entries(ec2, acl_id, egress=False):
    acl = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
    return [e for e in acl["Entries"] if e["Egress"] is egress and e["RuleNumber"] != 32767]


def test_icmp_entry_reports_type_and_code(ec2, acl_id):
    ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=50, Protocol="1", RuleAction="allow",
                                 Egress=False, CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": 8, "Code": 0})
    assert entries(ec2, acl_id)[0]["IcmpTypeCode"] == {"Code": 0, "Type": 8}


def test_replace_network_acl_entry(ec2, acl_id):
    ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=100, Protocol="-1", RuleAction="allow",
                                 Egress=False, CidrBlock="0.0.0.0/0")
    ec2.replace_network_acl_entry(NetworkAclId=acl_id, RuleNumber=100, Protocol="-1", RuleAction="deny",
                                  Egress=False, CidrBlock="0.0.0.0/0")
    assert [e["RuleAction"] for e in entries(ec2, acl_id)] == ["deny"]


def test_delete_network_acl_entry(ec2, acl_id):
    ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=100, Protocol="-1", RuleAction="allow",
                                 Egress=True, CidrBlock="0.0.0.0/0")
    ec2.delete_network_acl_entry(NetworkAclId=acl_id, RuleNumber=100, Egress=True)
    assert entries(ec2, acl_id, egress=True) == []


def test_duplicate_rule_number(ec2, acl_id):
    kw = {"NetworkAclId": acl_id, "RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False,
          "CidrBlock": "0.0.0.0/0"}
    ec2.create_network_acl_entry(**kw)
    assert code(ec2.create_network_acl_entry, **kw) == "NetworkAclEntryAlreadyExists"


def test_tcp_entry_needs_port_range(ec2, acl_id):
    assert code(ec2.create_network_acl_entry, NetworkAclId=acl_id, RuleNumber=100, Protocol="6",
                RuleAction="allow", Egress=False, CidrBlock="0.0.0.0/0") == "MissingParameter"


def test_port_range_needs_from_and_to(ec2, acl_id):
    with pytest.raises(ParamValidationError):
        ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=100, Protocol="6", RuleAction="allow",
                                     Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": 80})


def test_replace_acl_association_with_a_subnet_id_is_not_found(ec2, acl_id, subnet_id):
    assert code(ec2.replace_network_acl_association, AssociationId=subnet_id, NetworkAclId=acl_id) == \
        "InvalidAssociationID.NotFound"


def test_acl_filter_by_entry_port(ec2, acl_id):
    ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=100, Protocol="6", RuleAction="allow",
                                 Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
    found = ec2.describe_network_acls(Filters=[{"Name": "entry.port-range.from", "Values": ["443"]}])
    assert [a["NetworkAclId"] for a in found["NetworkAcls"]] == [acl_id]


# -- security groups ---------------------------------------------------------------------------------

def https(*cidrs):
    return {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": c} for c in cidrs]}


def group(ec2, gid):
    return ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]


def test_rules_with_same_ports_merge_into_one_permission(ec2, sg_id):
    ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[https("10.0.0.0/8", "192.168.0.0/16")])
    [perm] = group(ec2, sg_id)["IpPermissions"]
    assert [r["CidrIp"] for r in perm["IpRanges"]] == ["10.0.0.0/8", "192.168.0.0/16"]


def test_authorize_is_all_or_nothing(ec2, sg_id):
    ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[https("10.0.0.0/8")])
    assert code(ec2.authorize_security_group_ingress, GroupId=sg_id,
                IpPermissions=[https("172.16.0.0/12", "10.0.0.0/8")]) == "InvalidPermission.Duplicate"
    assert [r["CidrIp"] for r in group(ec2, sg_id)["IpPermissions"][0]["IpRanges"]] == ["10.0.0.0/8"]


def test_all_traffic_permission_has_no_ports(ec2, sg_id):
    perm = group(ec2, sg_id)["IpPermissionsEgress"][0]
    assert perm["IpProtocol"] == "-1" and "FromPort" not in perm and "ToPort" not in perm


def test_revoke_by_rule_id_reports_revoked_rules(ec2, sg_id):
    rule = ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[https("10.0.0.0/8")])
    rule_id = rule["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    resp = ec2.revoke_security_group_ingress(GroupId=sg_id, SecurityGroupRuleIds=[rule_id])
    assert [r["SecurityGroupRuleId"] for r in resp["RevokedSecurityGroupRules"]] == [rule_id]
    assert group(ec2, sg_id)["IpPermissions"] == []


def test_revoke_unknown_rule_id(ec2, sg_id):
    assert code(ec2.revoke_security_group_ingress, GroupId=sg_id,
                SecurityGroupRuleIds=["sgr-0123456789abcdef0"]) == "InvalidSecurityGroupRuleId.NotFound"


def test_revoke_egress_all_traffic(ec2, sg_id):
    ec2.revoke_security_group_egress(GroupId=sg_id, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    assert group(ec2, sg_id)["IpPermissionsEgress"] == []


def test_ipv6_ranges_are_unsupported(ec2, sg_id):
    assert code(ec2.authorize_security_group_ingress, GroupId=sg_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]) == \
        "UnsupportedOperation"


def test_permissions_and_legacy_fields_together_are_rejected(ec2, sg_id):
    assert code(ec2.authorize_security_group_ingress, GroupId=sg_id, IpPermissions=[https("10.0.0.0/8")],
                CidrIp="10.0.0.0/8") == "InvalidParameterCombination"


def test_group_name_addresses_the_default_vpc(ec2):
    gid = ec2.create_security_group(GroupName="admin", Description="admin")["GroupId"]
    ec2.authorize_security_group_ingress(GroupName="admin", IpProtocol="tcp", FromPort=22, ToPort=22,
                                         CidrIp="203.0.113.0/24")
    assert group(ec2, gid)["IpPermissions"][0]["FromPort"] == 22


def test_group_names_only_look_in_the_default_vpc(ec2, sg_id):
    assert code(ec2.describe_security_groups, GroupNames=["web"]) == "InvalidGroup.NotFound"


def test_delete_security_group_by_name_returns_its_id(ec2):
    gid = ec2.create_security_group(GroupName="tmp", Description="tmp")["GroupId"]
    resp = ec2.delete_security_group(GroupName="tmp")
    assert (resp["Return"], resp["GroupId"]) == (True, gid)


def test_egress_cidr_filter(ec2, sg_id, vpc_id):
    found = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                  {"Name": "egress.ip-permission.cidr", "Values": ["0.0.0.0/0"]}])
    assert sorted(g["GroupName"] for g in found["SecurityGroups"]) == ["default", "web"]


def test_security_group_rule_by_id(ec2, sg_id):
    rule = ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[https("10.0.0.0/8")])
    rule_id = rule["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    found = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])["SecurityGroupRules"]
    assert [(r["GroupId"], r["CidrIpv4"]) for r in found] == [(sg_id, "10.0.0.0/8")]


def test_unknown_security_group_rule_id(ec2):
    assert code(ec2.describe_security_group_rules, SecurityGroupRuleIds=["sgr-0123456789abcdef0"]) == \
        "InvalidSecurityGroupRuleId.NotFound"


# -- network interfaces --------------------------------------------------------------------------------

def test_interface_without_public_address_has_no_association(ec2, subnet_id):
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]
    assert "Association" not in eni and eni["PrivateIpAddress"] == "10.0.1.4"


def test_public_dns_name_needs_dns_hostnames(cloud, ec2, vpc_id, subnet_id, igw_id):
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    ip = str(cloud.vpc.associate_public_ip(eni))
    assert ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]["Association"] == \
        {"IpOwnerId": "amazon", "PublicIp": ip, "PublicDnsName": ""}
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    association = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]["Association"]
    assert association["PublicDnsName"] == f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com"


def test_interface_private_dns_name_outside_us_east_1(cloud):
    ec2 = cloud.client("ec2", region_name="eu-west-1")
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    assert eni["PrivateDnsName"].endswith(".eu-west-1.compute.internal")


def test_modify_interface_groups_and_description(ec2, subnet_id, sg_id):
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=[sg_id])
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Description={"Value": "web-1"})
    got = ec2.describe_network_interfaces(Filters=[{"Name": "group-id", "Values": [sg_id]}])["NetworkInterfaces"]
    assert [(e["NetworkInterfaceId"], e["Description"]) for e in got] == [(eni, "web-1")]


def test_interface_tags_come_back_as_tag_set(ec2, subnet_id):
    eni = ec2.create_network_interface(SubnetId=subnet_id,
                                       TagSpecifications=tags("network-interface", Name="web"))["NetworkInterface"]
    assert eni["TagSet"] == [{"Key": "Name", "Value": "web"}]


def test_taken_private_address(ec2, subnet_id):
    ec2.create_network_interface(SubnetId=subnet_id, PrivateIpAddress="10.0.1.20")
    assert code(ec2.create_network_interface, SubnetId=subnet_id, PrivateIpAddress="10.0.1.20") == \
        "InvalidIPAddress.InUse"


def test_delete_network_interface(ec2, subnet_id):
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    assert code(ec2.describe_network_interfaces, NetworkInterfaceIds=[eni]) == "InvalidNetworkInterfaceID.NotFound"


# -- tags and account -------------------------------------------------------------------------------------

def test_delete_tag_with_other_value_keeps_it(ec2, vpc_id):
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "env", "Value": "dev"}])
    ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "env", "Value": "prod"}])
    assert ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["Tags"] == [{"Key": "env", "Value": "dev"}]


def test_delete_tag_by_key_only(ec2, vpc_id):
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "env", "Value": "dev"}])
    ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "env"}])
    assert "Tags" not in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]


def test_describe_tags_by_resource_type(ec2, subnet_id, sg_id):
    ec2.create_tags(Resources=[subnet_id, sg_id], Tags=[{"Key": "tier", "Value": "web"}])
    found = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["security-group"]}])["Tags"]
    assert found == [{"Key": "tier", "ResourceId": sg_id, "ResourceType": "security-group", "Value": "web"}]


def test_tagging_an_unknown_resource(ec2):
    assert code(ec2.create_tags, Resources=["subnet-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}]) == \
        "InvalidSubnetID.NotFound"


def test_account_attributes_by_name(ec2):
    attrs = ec2.describe_account_attributes(AttributeNames=["supported-platforms"])["AccountAttributes"]
    assert attrs == [{"AttributeName": "supported-platforms", "AttributeValues": [{"AttributeValue": "VPC"}]}]
