"""EC2 API, chapter 2 part 1: VPCs, subnets, tags and account attributes, as boto3 speaks them.

The operations translate boto3's shapes into calls on the network model
(:class:`awskit.vpc.VPCService`) and its objects back into EC2's response dictionaries.
Where awskit is simpler than EC2 it says so: a VPC's ``DhcpOptionsId`` is ``"default"``
(no DHCP option sets are modelled) and IPv6 is refused with ``UnsupportedOperation``.
As EC2 does, a resource without tags has no ``Tags`` key.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ._ec2_common import (
    TYPE_OF_PREFIX,
    NetworkClientBase,
    check_max_results,
    describe,
    flag,
    ident,
    ident_list,
    tag_spec,
    tagged,
    unsupported,
)
from .base import ParamValidationError, apply_filters, check_type, from_tags

__all__ = ["VpcOps"]


def vpc_shape(v) -> dict[str, Any]:
    return tagged({
        "CidrBlock": str(v.cidr_block),
        "DhcpOptionsId": "default",
        "State": str(v.state),
        "VpcId": v.id,
        "OwnerId": v.owner_id,
        "InstanceTenancy": v.instance_tenancy,
        "Ipv6CidrBlockAssociationSet": [],
        "CidrBlockAssociationSet": [{
            "AssociationId": v.cidr_block_association_id,
            "CidrBlock": str(v.cidr_block),
            "CidrBlockState": {"State": "associated"},
        }],
        "IsDefault": v.is_default,
    }, v.tags)


def subnet_shape(s) -> dict[str, Any]:
    return tagged({
        "AvailabilityZone": s.availability_zone.name,
        "AvailabilityZoneId": s.availability_zone.zone_id,
        "AvailableIpAddressCount": s.available_ip_address_count,
        "CidrBlock": str(s.cidr_block),
        "DefaultForAz": s.default_for_az,
        "MapPublicIpOnLaunch": s.map_public_ip_on_launch,
        "State": str(s.state),
        "SubnetId": s.id,
        "VpcId": s.vpc.id,
        "OwnerId": s.owner_id,
        "AssignIpv6AddressOnCreation": False,
        "Ipv6CidrBlockAssociationSet": [],
        "SubnetArn": s.arn,
        "Ipv6Native": False,
        "PrivateDnsNameOptionsOnLaunch": {"HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
                                          "EnableResourceNameDnsAAAARecord": False},
    }, s.tags)


_VPC_FILTERS = {
    "vpc-id": lambda v: v.id,
    "cidr": lambda v: str(v.cidr_block),
    "cidr-block-association.cidr-block": lambda v: str(v.cidr_block),
    "cidr-block-association.association-id": lambda v: v.cidr_block_association_id,
    "cidr-block-association.state": lambda v: "associated",
    "dhcp-options-id": lambda v: "default",
    "is-default": lambda v: v.is_default,
    "state": lambda v: str(v.state),
    "owner-id": lambda v: v.owner_id,
}

_SUBNET_FILTERS = {
    "subnet-id": lambda s: s.id,
    "subnet-arn": lambda s: s.arn,
    "vpc-id": lambda s: s.vpc.id,
    "availability-zone": lambda s: s.availability_zone.name,
    "availability-zone-id": lambda s: s.availability_zone.zone_id,
    "available-ip-address-count": lambda s: s.available_ip_address_count,
    "cidr-block": lambda s: str(s.cidr_block),
    "cidr": lambda s: str(s.cidr_block),
    "cidrBlock": lambda s: str(s.cidr_block),
    "default-for-az": lambda s: s.default_for_az,
    "map-public-ip-on-launch": lambda s: s.map_public_ip_on_launch,
    "state": lambda s: str(s.state),
    "owner-id": lambda s: s.owner_id,
}

#: DescribeVpcAttribute's Attribute -> (response key, model attribute)
_VPC_ATTRIBUTES = {"enableDnsSupport": ("EnableDnsSupport", "enable_dns_support"),
                   "enableDnsHostnames": ("EnableDnsHostnames", "enable_dns_hostnames")}


class VpcOps(NetworkClientBase):
    """VPC, subnet, tag and account-attribute operations of :class:`~awskit.api.ec2.EC2Client`."""

    waiters: ClassVar[dict] = {
        "vpc_available": ("describe_vpcs",
                          lambda r: bool(r["Vpcs"]) and all(v["State"] == "available" for v in r["Vpcs"]), 15, 40),
        "vpc_exists": ("describe_vpcs", lambda r: True, 1, 5),
        "subnet_available": ("describe_subnets",
                             lambda r: bool(r["Subnets"]) and all(s["State"] == "available" for s in r["Subnets"]),
                             15, 40),
    }
    paginators: ClassVar[dict] = {
        "describe_vpcs": ("NextToken", "NextToken", "MaxResults", ("Vpcs",)),
        "describe_subnets": ("NextToken", "NextToken", "MaxResults", ("Subnets",)),
        "describe_tags": ("NextToken", "NextToken", "MaxResults", ("Tags",)),
    }

    # -- VPCs -------------------------------------------------------------------------
    def create_vpc(self, *, CidrBlock: str | None = None, AmazonProvidedIpv6CidrBlock: bool = False,
                   InstanceTenancy: str = "default", TagSpecifications: list | None = None,
                   DryRun: bool = False) -> dict[str, Any]:
        """A VPC with its main route table, default network ACL and default security group.

        >>> from awskit import Cloud
        >>> ec2 = Cloud(seed=1).client("ec2")
        >>> ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["State"]
        'available'
        """
        if CidrBlock is None:
            raise InvalidParameter("MissingParameter", "Either 'CidrBlock' or 'Ipv4IpamPoolId' should be provided; "
                                                       "give an IPv4 block such as '10.0.0.0/16'.")
        check_type("CidrBlock", CidrBlock, str)
        check_type("InstanceTenancy", InstanceTenancy, str)
        if check_type("AmazonProvidedIpv6CidrBlock", AmazonProvidedIpv6CidrBlock, bool):
            unsupported("AmazonProvidedIpv6CidrBlock", "IPv6 blocks")
        tags = tag_spec(TagSpecifications, "vpc")
        self._dry_run(DryRun)
        vpc = self._net.create_vpc(CidrBlock, tags=tags, instance_tenancy=InstanceTenancy)
        return {"Vpc": vpc_shape(vpc)}

    def describe_vpcs(self, *, VpcIds: list[str] | None = None, Filters: list | None = None,
                      MaxResults: int | None = None, NextToken: str | None = None,
                      DryRun: bool = False) -> dict[str, Any]:
        """VPCs by id and/or filter (``vpc-id``, ``cidr``, ``is-default``, ``state``, ``tag:<key>``...)."""
        self._dry_run(DryRun)
        net = self._net
        return describe(items=lambda: net._vpcs.values(), ids=VpcIds, id_param="VpcIds", lookup=net.get_vpc,
                        filters=Filters, getters=_VPC_FILTERS, shape=vpc_shape, result_key="Vpcs",
                        max_results=MaxResults, next_token=NextToken)

    def delete_vpc(self, *, VpcId: str, DryRun: bool = False) -> dict[str, Any]:
        """Delete an empty VPC (DependencyViolation while subnets, gateways or groups remain)."""
        ident("VpcId", VpcId)
        self._dry_run(DryRun)
        self._net.delete_vpc(VpcId)
        return {}

    def modify_vpc_attribute(self, *, VpcId: str, EnableDnsSupport: dict | None = None,
                             EnableDnsHostnames: dict | None = None) -> dict[str, Any]:
        """Switch DNS support or DNS hostnames (one per call): ``EnableDnsHostnames={"Value": True}``."""
        ident("VpcId", VpcId)
        self._net.modify_vpc_attribute(VpcId, enable_dns_support=flag("EnableDnsSupport", EnableDnsSupport),
                                       enable_dns_hostnames=flag("EnableDnsHostnames", EnableDnsHostnames))
        return {}

    def describe_vpc_attribute(self, *, VpcId: str, Attribute: str, DryRun: bool = False) -> dict[str, Any]:
        """``Attribute="enableDnsSupport"`` or ``"enableDnsHostnames"``."""
        ident("VpcId", VpcId)
        check_type("Attribute", Attribute, str)
        if Attribute not in _VPC_ATTRIBUTES:
            raise InvalidParameter("InvalidParameterValue",
                                   f"Value ({Attribute}) for parameter attribute is invalid. awskit models: "
                                   f"{', '.join(_VPC_ATTRIBUTES)}.")
        self._dry_run(DryRun)
        vpc = self._net.get_vpc(VpcId)
        key, attr = _VPC_ATTRIBUTES[Attribute]
        return {"VpcId": vpc.id, key: {"Value": getattr(vpc, attr)}}

    # -- subnets ----------------------------------------------------------------------
    def create_subnet(self, *, VpcId: str, CidrBlock: str | None = None, AvailabilityZone: str | None = None,
                      AvailabilityZoneId: str | None = None, Ipv6CidrBlock: str | None = None,
                      TagSpecifications: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        """A subnet of a VPC in one AZ (by ``AvailabilityZone`` name or ``AvailabilityZoneId``)."""
        ident("VpcId", VpcId)
        if Ipv6CidrBlock is not None:
            unsupported("Ipv6CidrBlock", "IPv6 subnets")
        if CidrBlock is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter CidrBlock, "
                                                       "e.g. '10.0.1.0/24'.")
        check_type("CidrBlock", CidrBlock, str)
        if AvailabilityZone is not None and AvailabilityZoneId is not None:
            raise InvalidParameter("InvalidParameterCombination",
                                   "Give AvailabilityZone or AvailabilityZoneId, not both.")
        az = AvailabilityZone if AvailabilityZone is not None else AvailabilityZoneId
        if az is not None:
            check_type("AvailabilityZone" if AvailabilityZone is not None else "AvailabilityZoneId", az, str)
        tags = tag_spec(TagSpecifications, "subnet")
        self._dry_run(DryRun)
        subnet = self._net.create_subnet(VpcId, CidrBlock, availability_zone=az, tags=tags)
        return {"Subnet": subnet_shape(subnet)}

    def describe_subnets(self, *, SubnetIds: list[str] | None = None, Filters: list | None = None,
                         MaxResults: int | None = None, NextToken: str | None = None,
                         DryRun: bool = False) -> dict[str, Any]:
        """Subnets by id and/or filter (``vpc-id``, ``availability-zone``, ``default-for-az``, ...)."""
        self._dry_run(DryRun)
        net = self._net
        return describe(items=lambda: net._subnets.values(), ids=SubnetIds, id_param="SubnetIds",
                        lookup=net.get_subnet, filters=Filters, getters=_SUBNET_FILTERS, shape=subnet_shape,
                        result_key="Subnets", max_results=MaxResults, next_token=NextToken)

    def delete_subnet(self, *, SubnetId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("SubnetId", SubnetId)
        self._dry_run(DryRun)
        self._net.delete_subnet(SubnetId)
        return {}

    def modify_subnet_attribute(self, *, SubnetId: str, MapPublicIpOnLaunch: dict | None = None) -> dict[str, Any]:
        """``MapPublicIpOnLaunch={"Value": True}``: instances launched here get a public IPv4 address."""
        ident("SubnetId", SubnetId)
        value = flag("MapPublicIpOnLaunch", MapPublicIpOnLaunch)
        if value is None:
            raise InvalidParameter("MissingParameter", "Name the attribute to change, e.g. "
                                                       "MapPublicIpOnLaunch={'Value': True}.")
        self._net.modify_subnet_attribute(SubnetId, map_public_ip_on_launch=value)
        return {}

    # -- tags -------------------------------------------------------------------------
    def create_tags(self, *, Resources: list[str], Tags: list[dict], DryRun: bool = False) -> dict[str, Any]:
        """Add or overwrite tags on several resources at once (all or nothing)."""
        ids = ident_list("Resources", Resources)
        tags = from_tags(Tags)
        self._dry_run(DryRun)
        self._net.create_tags(ids, tags)
        return {}

    def delete_tags(self, *, Resources: list[str], Tags: list[dict] | None = None,
                    DryRun: bool = False) -> dict[str, Any]:
        """Remove tags: all of them without ``Tags``; a ``{"Key"}`` removes that key; a
        ``{"Key", "Value"}`` removes it only where the value matches."""
        ids = ident_list("Resources", Resources)
        keys: dict[str, str | None] | None = None
        if Tags is not None:
            check_type("Tags", Tags, list)
            keys = {}
            for i, tag in enumerate(Tags):
                if not isinstance(tag, dict) or "Key" not in tag:
                    raise ParamValidationError(f'Missing required parameter in Tags[{i}]: "Key"')
                keys[check_type(f"Tags[{i}].Key", tag["Key"], str)] = (
                    check_type(f"Tags[{i}].Value", tag["Value"], str) if "Value" in tag else None)
        self._dry_run(DryRun)
        self._net.delete_tags(ids, keys)
        return {}

    def describe_tags(self, *, Filters: list | None = None, MaxResults: int | None = None,
                      NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Every tag of the Region's network resources (filters ``resource-id``, ``resource-type``,
        ``key``, ``value``)."""
        self._dry_run(DryRun)
        check_max_results(MaxResults)
        net = self._net
        stores = (net._vpcs, net._subnets, net._internet_gateways, net._route_tables, net._network_acls,
                  net._security_groups, net._network_interfaces)
        rows = [{"Key": k, "ResourceId": res.id, "ResourceType": TYPE_OF_PREFIX[res.id.partition("-")[0]],
                 "Value": v}
                for store in stores for res in store.values() for k, v in res.tags.items()]
        rows = apply_filters(rows, Filters, {
            "resource-id": lambda r: r["ResourceId"],
            "resource-type": lambda r: r["ResourceType"],
            "key": lambda r: r["Key"],
            "value": lambda r: r["Value"],
        })
        return describe(items=lambda: rows, ids=None, id_param="", lookup=None, filters=None, getters={},
                        shape=lambda r: r, result_key="Tags", max_results=MaxResults, next_token=NextToken)

    # -- account --------------------------------------------------------------------------
    def describe_account_attributes(self, *, AttributeNames: list[str] | None = None,
                                    DryRun: bool = False) -> dict[str, Any]:
        """Account-level EC2 settings: ``supported-platforms`` (only ``VPC`` since EC2-Classic
        retired in 2022), ``default-vpc``, ``max-instances``, ``vpc-max-security-groups-per-interface``..."""
        from ..vpc.interfaces import GROUPS_PER_INTERFACE

        self._dry_run(DryRun)
        default = self._net.default_vpc
        values = {
            "supported-platforms": ["VPC"],
            "default-vpc": [default.id if default is not None else "none"],
            # Instance limits are counted in vCPUs today; EC2 still answers this legacy attribute.
            "max-instances": ["20"],
            "vpc-max-security-groups-per-interface": [str(GROUPS_PER_INTERFACE)],
            "max-elastic-ips": ["5"],
            "vpc-max-elastic-ips": ["5"],
        }
        names = list(values)
        if AttributeNames is not None:
            names = ident_list("AttributeNames", AttributeNames)
            unknown = [n for n in names if n not in values]
            if unknown:
                raise InvalidParameter("InvalidParameterValue",
                                       f"Value ({unknown[0]}) for parameter attributeName is invalid. Valid "
                                       f"names: {', '.join(values)}.")
        return {"AccountAttributes": [{"AttributeName": n, "AttributeValues": [{"AttributeValue": v}
                                                                               for v in values[n]]}
                                      for n in names]}
