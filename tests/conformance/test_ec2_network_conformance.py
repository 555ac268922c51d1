"""Chapters 2-3 through boto3: a two-tier VPC built the same way on moto and on awskit.

Both backends must agree on response keys, on the values that are deterministic (CIDRs,
states, counts, associations) and on error codes.  Where moto departs from documented
AWS behaviour the test follows AWS and is marked ``moto_differs``.
"""

import pytest

from .conftest import error_code, keys, moto_differs


def item_keys(item: dict) -> set[str]:
    """Keys of one resource; ``Tags`` is left out because EC2 omits it on untagged resources
    (awskit does too) while moto always sends an empty list."""
    return set(item) - {"Tags", "TagSet"}


def tag(kind: str, name: str) -> list[dict]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


@pytest.fixture
def ec2(client):
    return client("ec2")


@pytest.fixture
def shop(ec2):
    """The two-tier VPC of chapter 2: public web subnet, private db subnet, IGW, custom NACL, groups."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tag("vpc", "shop"))["Vpc"]
    public = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a",
                               TagSpecifications=tag("subnet", "public"))["Subnet"]
    private = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b",
                                TagSpecifications=tag("subnet", "private"))["Subnet"]
    igw = ec2.create_internet_gateway(TagSpecifications=tag("internet-gateway", "shop-igw"))["InternetGateway"]
    ec2.attach_internet_gateway(InternetGatewayId=igw["InternetGatewayId"], VpcId=vpc["VpcId"])
    rt = ec2.create_route_table(VpcId=vpc["VpcId"], TagSpecifications=tag("route-table", "public"))["RouteTable"]
    route = ec2.create_route(RouteTableId=rt["RouteTableId"], DestinationCidrBlock="0.0.0.0/0",
                             GatewayId=igw["InternetGatewayId"])
    assoc = ec2.associate_route_table(RouteTableId=rt["RouteTableId"], SubnetId=public["SubnetId"])
    acl = ec2.create_network_acl(VpcId=vpc["VpcId"], TagSpecifications=tag("network-acl", "db"))["NetworkAcl"]
    ec2.create_network_acl_entry(NetworkAclId=acl["NetworkAclId"], RuleNumber=100, Protocol="6",
                                 RuleAction="allow", Egress=False, CidrBlock="10.0.1.0/24",
                                 PortRange={"From": 3306, "To": 3306})
    ec2.create_network_acl_entry(NetworkAclId=acl["NetworkAclId"], RuleNumber=100, Protocol="6",
                                 RuleAction="allow", Egress=True, CidrBlock="10.0.1.0/24",
                                 PortRange={"From": 1024, "To": 65535})
    default_acl = ec2.describe_network_acls(Filters=[
        {"Name": "association.subnet-id", "Values": [private["SubnetId"]]}])["NetworkAcls"][0]
    old = next(a["NetworkAclAssociationId"] for a in default_acl["Associations"]
               if a["SubnetId"] == private["SubnetId"])
    new_acl_assoc = ec2.replace_network_acl_association(AssociationId=old, NetworkAclId=acl["NetworkAclId"])
    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc["VpcId"])
    db = ec2.create_security_group(GroupName="db", Description="database tier", VpcId=vpc["VpcId"])
    web_rule = ec2.authorize_security_group_ingress(GroupId=web["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}]}])
    db_rule = ec2.authorize_security_group_ingress(GroupId=db["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": web["GroupId"]}]}])
    return {"vpc": vpc, "public": public, "private": private, "igw": igw, "rt": rt, "route": route,
            "assoc": assoc, "acl": acl, "acl_assoc": new_acl_assoc, "web": web, "db": db,
            "web_rule": web_rule, "db_rule": db_rule}


# -- shapes and values ----------------------------------------------------------------------

def test_create_vpc_shape(shop):
    vpc = shop["vpc"]
    assert item_keys(vpc) == {"CidrBlock", "DhcpOptionsId", "State", "VpcId", "OwnerId", "InstanceTenancy",
                              "Ipv6CidrBlockAssociationSet", "CidrBlockAssociationSet", "IsDefault"}
    assert (vpc["CidrBlock"], vpc["State"], vpc["IsDefault"], vpc["InstanceTenancy"]) == \
        ("10.0.0.0/16", "available", False, "default")
    assert vpc["Tags"] == [{"Key": "Name", "Value": "shop"}]
    assoc = vpc["CidrBlockAssociationSet"][0]
    assert assoc["CidrBlock"] == "10.0.0.0/16" and assoc["CidrBlockState"] == {"State": "associated"}
    assert assoc["AssociationId"].startswith("vpc-cidr-assoc-")


def test_describe_vpcs_by_id_and_tag(ec2, shop):
    by_id = ec2.describe_vpcs(VpcIds=[shop["vpc"]["VpcId"]])
    assert keys(by_id) == {"Vpcs"}
    by_tag = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["shop"]}])["Vpcs"]
    assert [v["VpcId"] for v in by_tag] == [shop["vpc"]["VpcId"]]
    assert item_keys(by_id["Vpcs"][0]) == item_keys(shop["vpc"])


def test_subnets_in_two_azs(ec2, shop):
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]}])["Subnets"]
    assert sorted((s["CidrBlock"], s["AvailabilityZone"]) for s in subnets) == \
        [("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b")]
    assert all(s["AvailableIpAddressCount"] == 251 and s["DefaultForAz"] is False
               and s["MapPublicIpOnLaunch"] is False and s["State"] == "available" for s in subnets)
    assert item_keys(subnets[0]) == {
        "AvailabilityZone", "AvailabilityZoneId", "AvailableIpAddressCount", "CidrBlock", "DefaultForAz",
        "MapPublicIpOnLaunch", "State", "SubnetId", "VpcId", "OwnerId", "AssignIpv6AddressOnCreation",
        "Ipv6CidrBlockAssociationSet", "SubnetArn", "Ipv6Native", "PrivateDnsNameOptionsOnLaunch"}


def test_subnet_filter_by_availability_zone(ec2, shop):
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                            {"Name": "availability-zone", "Values": ["us-east-1b"]}])["Subnets"]
    assert [s["SubnetId"] for s in subnets] == [shop["private"]["SubnetId"]]


def test_modify_subnet_attribute_maps_public_ips(ec2, shop):
    assert keys(ec2.modify_subnet_attribute(SubnetId=shop["public"]["SubnetId"],
                                            MapPublicIpOnLaunch={"Value": True})) == set()
    subnet = ec2.describe_subnets(SubnetIds=[shop["public"]["SubnetId"]])["Subnets"][0]
    assert subnet["MapPublicIpOnLaunch"] is True


def test_attached_internet_gateway_reports_available(ec2, shop):
    igws = ec2.describe_internet_gateways(Filters=[
        {"Name": "attachment.vpc-id", "Values": [shop["vpc"]["VpcId"]]}])["InternetGateways"]
    assert [g["InternetGatewayId"] for g in igws] == [shop["igw"]["InternetGatewayId"]]
    assert igws[0]["Attachments"] == [{"State": "available", "VpcId": shop["vpc"]["VpcId"]}]
    assert shop["igw"]["Attachments"] == []
    assert item_keys(igws[0]) == {"Attachments", "InternetGatewayId", "OwnerId"}


def test_public_route_table(ec2, shop):
    assert keys(shop["route"]) == {"Return"} and shop["route"]["Return"] is True
    assert keys(shop["assoc"]) == {"AssociationId", "AssociationState"}
    assert shop["assoc"]["AssociationState"] == {"State": "associated"}
    rt = ec2.describe_route_tables(RouteTableIds=[shop["rt"]["RouteTableId"]])["RouteTables"][0]
    assert item_keys(rt) == {"Associations", "RouteTableId", "Routes", "VpcId", "OwnerId"}
    routes = sorted(rt["Routes"], key=lambda r: r["DestinationCidrBlock"])
    assert routes == [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": shop["igw"]["InternetGatewayId"],
         "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable",
         "State": "active"}]
    assert rt["Associations"] == [{"Main": False, "RouteTableAssociationId": shop["assoc"]["AssociationId"],
                                   "RouteTableId": rt["RouteTableId"], "SubnetId": shop["public"]["SubnetId"],
                                   "AssociationState": {"State": "associated"}}]


def test_main_route_table_filter(ec2, shop):
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                                {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    assert len(tables) == 1 and tables[0]["RouteTableId"] != shop["rt"]["RouteTableId"]
    assert [r["GatewayId"] for r in tables[0]["Routes"]] == ["local"]


def test_route_table_filter_by_subnet_association(ec2, shop):
    tables = ec2.describe_route_tables(Filters=[
        {"Name": "association.subnet-id", "Values": [shop["public"]["SubnetId"]]}])["RouteTables"]
    assert [t["RouteTableId"] for t in tables] == [shop["rt"]["RouteTableId"]]


def test_custom_network_acl_entries_and_association(ec2, shop):
    assert keys(shop["acl_assoc"]) == {"NewAssociationId"}
    acl = ec2.describe_network_acls(NetworkAclIds=[shop["acl"]["NetworkAclId"]])["NetworkAcls"][0]
    assert item_keys(acl) == {"Associations", "Entries", "IsDefault", "NetworkAclId", "VpcId", "OwnerId"}
    assert acl["IsDefault"] is False
    assert acl["Associations"] == [{"NetworkAclAssociationId": shop["acl_assoc"]["NewAssociationId"],
                                    "NetworkAclId": acl["NetworkAclId"], "SubnetId": shop["private"]["SubnetId"]}]
    ours = sorted((e for e in acl["Entries"] if e["RuleNumber"] != 32767), key=lambda e: e["Egress"])
    assert ours == [
        {"CidrBlock": "10.0.1.0/24", "Egress": False, "Protocol": "6", "RuleAction": "allow", "RuleNumber": 100,
         "PortRange": {"From": 3306, "To": 3306}},
        {"CidrBlock": "10.0.1.0/24", "Egress": True, "Protocol": "6", "RuleAction": "allow", "RuleNumber": 100,
         "PortRange": {"From": 1024, "To": 65535}}]


@moto_differs("moto leaves the deny-all * rules (32767) out of a custom ACL's Entries; EC2 lists them")
def test_custom_network_acl_lists_deny_all_rules(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    acl = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]
    assert sorted((e["Egress"], e["RuleNumber"], e["RuleAction"]) for e in acl["Entries"]) == \
        [(False, 32767, "deny"), (True, 32767, "deny")]


def test_default_network_acl_allows_all(ec2, shop):
    acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                             {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    assert sorted((e["Egress"], e["RuleNumber"], e["RuleAction"]) for e in acl["Entries"]) == \
        [(False, 100, "allow"), (False, 32767, "deny"), (True, 100, "allow"), (True, 32767, "deny")]
    assert [a["SubnetId"] for a in acl["Associations"]] == [shop["public"]["SubnetId"]]


def test_create_security_group_response(shop):
    assert keys(shop["web"]) == {"GroupId", "SecurityGroupArn"}
    assert shop["web"]["SecurityGroupArn"].endswith(f":security-group/{shop['web']['GroupId']}")


def test_authorize_response(shop):
    resp = shop["web_rule"]
    assert keys(resp) == {"Return", "SecurityGroupRules"} and resp["Return"] is True
    rule = resp["SecurityGroupRules"][0]
    assert {k: rule[k] for k in ("GroupId", "IsEgress", "IpProtocol", "FromPort", "ToPort", "CidrIpv4",
                                 "Description")} == {
        "GroupId": shop["web"]["GroupId"], "IsEgress": False, "IpProtocol": "tcp", "FromPort": 443,
        "ToPort": 443, "CidrIpv4": "0.0.0.0/0", "Description": "https"}
    assert rule["SecurityGroupRuleId"].startswith("sgr-")


def test_db_group_allows_mysql_from_web_group(ec2, shop):
    sg = ec2.describe_security_groups(GroupIds=[shop["db"]["GroupId"]])["SecurityGroups"][0]
    assert item_keys(sg) == {"GroupId", "IpPermissionsEgress", "VpcId", "SecurityGroupArn", "OwnerId",
                             "GroupName", "Description", "IpPermissions"}
    assert (sg["GroupName"], sg["Description"], sg["VpcId"]) == ("db", "database tier", shop["vpc"]["VpcId"])
    [perm] = sg["IpPermissions"]
    assert (perm["IpProtocol"], perm["FromPort"], perm["ToPort"]) == ("tcp", 3306, 3306)
    assert [p["GroupId"] for p in perm["UserIdGroupPairs"]] == [shop["web"]["GroupId"]]
    assert perm["IpRanges"] == [] and perm["Ipv6Ranges"] == [] and perm["PrefixListIds"] == []
    assert sg["IpPermissionsEgress"] == [{"IpProtocol": "-1", "UserIdGroupPairs": [],
                                          "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                                          "PrefixListIds": []}]


def test_security_group_filter_by_port_and_source_group(ec2, shop):
    vpc = {"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]}
    by_port = ec2.describe_security_groups(Filters=[vpc, {"Name": "ip-permission.from-port",
                                                          "Values": ["443"]}])["SecurityGroups"]
    assert [g["GroupName"] for g in by_port] == ["web"]
    by_source = ec2.describe_security_groups(Filters=[vpc, {"Name": "ip-permission.group-id",
                                                            "Values": [shop["web"]["GroupId"]]}])["SecurityGroups"]
    assert [g["GroupName"] for g in by_source] == ["db"]


def test_describe_security_group_rules_of_a_group(ec2, shop):
    rules = ec2.describe_security_group_rules(Filters=[
        {"Name": "group-id", "Values": [shop["db"]["GroupId"]]}])["SecurityGroupRules"]
    assert sorted((r["IsEgress"], r["IpProtocol"], r["FromPort"]) for r in rules) == \
        [(False, "tcp", 3306), (True, "-1", -1)]
    ingress = next(r for r in rules if not r["IsEgress"])
    assert ingress["ReferencedGroupInfo"]["GroupId"] == shop["web"]["GroupId"]


def test_legacy_authorize_and_revoke(ec2, shop):
    gid = shop["web"]["GroupId"]
    resp = ec2.authorize_security_group_ingress(GroupId=gid, IpProtocol="tcp", FromPort=22, ToPort=22,
                                                CidrIp="203.0.113.0/24")
    assert resp["SecurityGroupRules"][0]["CidrIpv4"] == "203.0.113.0/24"
    revoked = ec2.revoke_security_group_ingress(GroupId=gid, IpProtocol="tcp", FromPort=22, ToPort=22,
                                                CidrIp="203.0.113.0/24")
    assert revoked["Return"] is True
    ports = [p.get("FromPort") for p in ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]
             ["IpPermissions"]]
    assert ports == [443]


def test_network_interface_in_public_subnet(ec2, shop):
    eni = ec2.create_network_interface(SubnetId=shop["public"]["SubnetId"], Groups=[shop["web"]["GroupId"]],
                                       PrivateIpAddress="10.0.1.10", Description="web-1")["NetworkInterface"]
    assert {k: eni[k] for k in ("PrivateIpAddress", "Description", "Status", "SubnetId", "VpcId",
                                "SourceDestCheck", "InterfaceType", "AvailabilityZone")} == {
        "PrivateIpAddress": "10.0.1.10", "Description": "web-1", "Status": "available",
        "SubnetId": shop["public"]["SubnetId"], "VpcId": shop["vpc"]["VpcId"], "SourceDestCheck": True,
        "InterfaceType": "interface", "AvailabilityZone": "us-east-1a"}
    assert eni["Groups"] == [{"GroupId": shop["web"]["GroupId"], "GroupName": "web"}]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni["NetworkInterfaceId"],
                                           SourceDestCheck={"Value": False})
    again = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni["NetworkInterfaceId"]])["NetworkInterfaces"]
    assert again[0]["SourceDestCheck"] is False


def test_describe_tags_of_the_vpc(ec2, shop):
    ec2.create_tags(Resources=[shop["vpc"]["VpcId"]], Tags=[{"Key": "env", "Value": "dev"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [shop["vpc"]["VpcId"]]}])["Tags"]
    assert sorted((t["Key"], t["Value"], t["ResourceType"]) for t in tags) == \
        [("Name", "shop", "vpc"), ("env", "dev", "vpc")]


def test_default_vpc_and_one_default_subnet_per_az(ec2):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    assert len(vpcs) == 1 and vpcs[0]["CidrBlock"] == "172.31.0.0/16" and vpcs[0]["IsDefault"] is True
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    assert sorted(s["AvailabilityZone"] for s in subnets) == sorted(azs)
    assert all(s["VpcId"] == vpcs[0]["VpcId"] and s["MapPublicIpOnLaunch"] for s in subnets)


def test_vpc_dns_attributes(ec2, shop):
    vpc_id = shop["vpc"]["VpcId"]
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"] == \
        {"Value": False}
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    resp = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
    assert keys(resp) == {"VpcId", "EnableDnsHostnames"} and resp["EnableDnsHostnames"] == {"Value": True}


def test_replace_route_table_association_gives_new_id_shape(ec2, shop):
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                              {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
    resp = ec2.replace_route_table_association(AssociationId=shop["assoc"]["AssociationId"],
                                               RouteTableId=main["RouteTableId"])
    assert keys(resp) == {"NewAssociationId", "AssociationState"}
    tables = ec2.describe_route_tables(Filters=[
        {"Name": "association.subnet-id", "Values": [shop["public"]["SubnetId"]]}])["RouteTables"]
    assert [t["RouteTableId"] for t in tables] == [main["RouteTableId"]]


@moto_differs("moto keeps a deleted subnet's network ACL association, so the ACL stays undeletable")
def test_teardown_in_dependency_order(ec2, shop):
    ec2.revoke_security_group_ingress(GroupId=shop["db"]["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": shop["web"]["GroupId"]}]}])
    for group in ("db", "web"):
        ec2.delete_security_group(GroupId=shop[group]["GroupId"])
    ec2.disassociate_route_table(AssociationId=shop["assoc"]["AssociationId"])
    ec2.delete_route_table(RouteTableId=shop["rt"]["RouteTableId"])
    ec2.detach_internet_gateway(InternetGatewayId=shop["igw"]["InternetGatewayId"], VpcId=shop["vpc"]["VpcId"])
    ec2.delete_internet_gateway(InternetGatewayId=shop["igw"]["InternetGatewayId"])
    for subnet in ("public", "private"):
        ec2.delete_subnet(SubnetId=shop[subnet]["SubnetId"])
    ec2.delete_network_acl(NetworkAclId=shop["acl"]["NetworkAclId"])
    ec2.delete_vpc(VpcId=shop["vpc"]["VpcId"])
    assert error_code(ec2.describe_vpcs, VpcIds=[shop["vpc"]["VpcId"]]) == "InvalidVpcID.NotFound"


# -- error codes ----------------------------------------------------------------------------

def test_unknown_vpc_is_not_found(ec2):
    assert error_code(ec2.describe_vpcs, VpcIds=["vpc-0123456789abcdef0"]) == "InvalidVpcID.NotFound"


def test_vpc_block_too_large(ec2):
    assert error_code(ec2.create_vpc, CidrBlock="10.0.0.0/8") == "InvalidVpc.Range"


def test_subnet_outside_vpc(ec2, shop):
    assert error_code(ec2.create_subnet, VpcId=shop["vpc"]["VpcId"], CidrBlock="192.168.0.0/24") == \
        "InvalidSubnet.Range"


def test_overlapping_subnet(ec2, shop):
    assert error_code(ec2.create_subnet, VpcId=shop["vpc"]["VpcId"], CidrBlock="10.0.1.128/25") == \
        "InvalidSubnet.Conflict"


def test_delete_vpc_with_subnets(ec2, shop):
    assert error_code(ec2.delete_vpc, VpcId=shop["vpc"]["VpcId"]) == "DependencyViolation"


def test_duplicate_group_name(ec2, shop):
    assert error_code(ec2.create_security_group, GroupName="web", Description="again",
                      VpcId=shop["vpc"]["VpcId"]) == "InvalidGroup.Duplicate"


def test_duplicate_permission(ec2, shop):
    assert error_code(ec2.authorize_security_group_ingress, GroupId=shop["web"]["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]) == \
        "InvalidPermission.Duplicate"


def test_revoke_missing_permission(ec2, shop):
    assert error_code(ec2.revoke_security_group_ingress, GroupId=shop["web"]["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]) == \
        "InvalidPermission.NotFound"


def test_route_already_exists(ec2, shop):
    assert error_code(ec2.create_route, RouteTableId=shop["rt"]["RouteTableId"], DestinationCidrBlock="0.0.0.0/0",
                      GatewayId=shop["igw"]["InternetGatewayId"]) == "RouteAlreadyExists"


@moto_differs("moto associates a second route table with a subnet that already has one")
def test_subnet_already_associated(ec2, shop):
    other = ec2.create_route_table(VpcId=shop["vpc"]["VpcId"])["RouteTable"]["RouteTableId"]
    assert error_code(ec2.associate_route_table, RouteTableId=other, SubnetId=shop["public"]["SubnetId"]) == \
        "Resource.AlreadyAssociated"


def test_detach_gateway_not_attached(ec2, shop):
    loose = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert error_code(ec2.detach_internet_gateway, InternetGatewayId=loose, VpcId=shop["vpc"]["VpcId"]) == \
        "Gateway.NotAttached"


def test_unknown_route_table(ec2):
    assert error_code(ec2.describe_route_tables, RouteTableIds=["rtb-0123456789abcdef0"]) == \
        "InvalidRouteTableID.NotFound"


def test_unknown_security_group(ec2):
    assert error_code(ec2.describe_security_groups, GroupIds=["sg-0123456789abcdef0"]) == "InvalidGroup.NotFound"


# -- where moto departs from AWS ----------------------------------------------------------------

@moto_differs("moto accepts a CIDR block with host bits set; EC2 rejects it as InvalidParameterValue")
def test_cidr_with_host_bits_is_rejected(ec2):
    assert error_code(ec2.create_vpc, CidrBlock="10.0.0.5/16") == "InvalidParameterValue"


@moto_differs("moto accepts a route to a gateway that is not attached to the table's VPC")
def test_route_to_detached_gateway_is_rejected(ec2, shop):
    loose = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert error_code(ec2.create_route, RouteTableId=shop["rt"]["RouteTableId"], DestinationCidrBlock="1.2.3.0/24",
                      GatewayId=loose) == "InvalidParameterValue"


@moto_differs("moto lets the default network ACL be deleted")
def test_default_network_acl_cannot_be_deleted(ec2, shop):
    acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                             {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    assert error_code(ec2.delete_network_acl, NetworkAclId=acl["NetworkAclId"]) == "InvalidParameterValue"


@moto_differs("moto lets a VPC's default security group be deleted")
def test_default_security_group_cannot_be_deleted(ec2, shop):
    sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                               {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    assert error_code(ec2.delete_security_group, GroupId=sg["GroupId"]) == "CannotDelete"


@moto_differs("moto attaches a second internet gateway to a VPC that already has one")
def test_second_gateway_on_a_vpc_is_rejected(ec2, shop):
    second = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert error_code(ec2.attach_internet_gateway, InternetGatewayId=second, VpcId=shop["vpc"]["VpcId"]) == \
        "Resource.AlreadyAssociated"


@moto_differs("moto deletes the local route")
def test_local_route_cannot_be_deleted(ec2, shop):
    assert error_code(ec2.delete_route, RouteTableId=shop["rt"]["RouteTableId"],
                      DestinationCidrBlock="10.0.0.0/16") == "InvalidParameterValue"


def test_group_named_default_is_reserved(ec2, shop):
    assert error_code(ec2.create_security_group, GroupName="default", Description="x",
                      VpcId=shop["vpc"]["VpcId"]) in {"InvalidGroup.Reserved", "InvalidGroup.Duplicate"}


@moto_differs("moto deletes a group another group's rule still refers to")
def test_referenced_group_cannot_be_deleted(ec2, shop):
    assert error_code(ec2.delete_security_group, GroupId=shop["web"]["GroupId"]) == "DependencyViolation"


@moto_differs("moto gives a new VPC's default group no inbound rule; EC2 lets its members reach each other")
def test_default_group_admits_its_own_members(ec2, shop):
    sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [shop["vpc"]["VpcId"]]},
                                               {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    assert [(p["IpProtocol"], [g["GroupId"] for g in p["UserIdGroupPairs"]]) for p in sg["IpPermissions"]] == \
        [("-1", [sg["GroupId"]])]


@moto_differs("moto reports supported-platforms EC2 and VPC and no default VPC; EC2-Classic retired in 2022")
def test_account_attributes(ec2):
    attrs = {a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]]
             for a in ec2.describe_account_attributes()["AccountAttributes"]}
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    assert attrs["supported-platforms"] == ["VPC"] and attrs["default-vpc"] == [default]
    assert attrs["vpc-max-security-groups-per-interface"] == ["5"]
