"""VPCs and subnets: the address space and how it is cut up across Availability Zones.

A VPC owns one IPv4 block (/16 to /28) inside a Region; a subnet is a slice of that block
living in exactly one Availability Zone.  AWS keeps five addresses of every subnet for
itself (the network address, .1 for the VPC router, .2 for DNS, .3 for future use and the
broadcast address), so a /24 offers 251 addresses to your resources.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any

from ..regions import AvailabilityZone
from ._common import Resource, check_tags, fail, listing, parse_cidr, parse_ip

if TYPE_CHECKING:
    from ..security import SecurityGroup
    from .acl import NetworkAcl, NetworkAclAssociation
    from .interfaces import NetworkInterface
    from .routing import InternetGateway, RouteTable, RouteTableAssociation
    from .service import VPCService

#: Quotas AWS documents today (adjustable in real accounts, fixed here).
VPCS_PER_REGION = 5
SUBNETS_PER_VPC = 200
#: Addresses AWS reserves in every subnet: network, router (.1), DNS (.2), future (.3), broadcast.
RESERVED_PER_SUBNET = 5


class VpcState(StrEnum):
    PENDING = "pending"
    AVAILABLE = "available"


class SubnetState(StrEnum):
    PENDING = "pending"
    AVAILABLE = "available"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Vpc(Resource):
    """A virtual network in one Region.

    >>> from awskit import Cloud
    >>> vpc = Cloud(seed=1).vpc.create_vpc("10.0.0.0/16", tags={"Name": "lab"})
    >>> vpc.cidr_block, vpc.state, vpc.main_route_table.routes[0].target_id
    (IPv4Network('10.0.0.0/16'), <VpcState.AVAILABLE: 'available'>, 'local')
    """

    _ARN_KIND = "vpc"

    cidr_block: IPv4Network
    service: VPCService
    instance_tenancy: str = "default"
    is_default: bool = False
    state: VpcState = VpcState.AVAILABLE
    main_route_table: RouteTable | None = None
    default_network_acl: NetworkAcl | None = None
    default_security_group: SecurityGroup | None = None
    internet_gateway: InternetGateway | None = None
    #: the Amazon-provided DNS server answers in the VPC (AWS's default: on)
    enable_dns_support: bool = True
    #: instances with a public address get a public DNS name (AWS's default: off, on in the default VPC)
    enable_dns_hostnames: bool = False
    _subnets: dict[str, Subnet] = field(default_factory=dict)
    _route_tables: dict[str, RouteTable] = field(default_factory=dict)
    _network_acls: dict[str, NetworkAcl] = field(default_factory=dict)
    _security_groups: dict[str, SecurityGroup] = field(default_factory=dict)

    @property
    def cidr_block_association_id(self) -> str:
        """The id EC2 gives the association of ``cidr_block`` with the VPC (``vpc-cidr-assoc-...``).

        Derived from the VPC id (so it draws nothing from the seeded id generator)."""
        return f"vpc-cidr-assoc-{self.id[4:]}"

    @property
    def subnets(self) -> list[Subnet]:
        """The VPC's subnets in creation order."""
        return list(self._subnets.values())

    @property
    def route_tables(self) -> list[RouteTable]:
        return list(self._route_tables.values())

    @property
    def network_acls(self) -> list[NetworkAcl]:
        return list(self._network_acls.values())

    @property
    def security_groups(self) -> list[SecurityGroup]:
        return list(self._security_groups.values())

    @property
    def network_interfaces(self) -> list[NetworkInterface]:
        return [eni for s in self._subnets.values() for eni in s._interfaces.values()]

    def interface_for_ip(self, ip: str | IPv4Address) -> NetworkInterface | None:
        """The network interface in this VPC holding ``ip`` (private or public), else None.

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> eni = svc.create_network_interface(svc.default_vpc.subnets[0])
        >>> svc.default_vpc.interface_for_ip("172.31.0.4") is eni
        True
        """
        addr = parse_ip(ip)
        if addr in self.cidr_block:
            for subnet in self._subnets.values():
                if addr in subnet.cidr_block:
                    return subnet._interfaces.get(addr)
            return None
        for eni in self.network_interfaces:
            if eni.public_ip == addr:
                return eni
        return None

    def __repr__(self) -> str:
        extra = ", default" if self.is_default else ""
        return f"Vpc({self.id!r}, cidr_block='{self.cidr_block}'{self._name_part()}{extra})"

    def _repr_html_(self, max_rows: int = 20) -> str:
        rows = []
        subnets = self.subnets
        for s in subnets[:max_rows]:
            rows.append(
                "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
                    s.id, s.cidr_block, s.availability_zone.name,
                    "public" if s.is_public else "private", s.available_ip_address_count)) + "</tr>")
        omitted = len(subnets) - max_rows
        more = f"<p>... ({omitted} rows omitted)</p>" if omitted > 0 else ""
        title = html.escape(f"{self.id} {self.cidr_block}" + (f" ({self.name})" if self.name else "")
                            + (" default VPC" if self.is_default else ""))
        igw = self.internet_gateway.id if self.internet_gateway else "none"
        return (f"<div><b>{title}</b> in {html.escape(self.region)}, internet gateway: {html.escape(igw)}"
                "<table><tr><th>subnet</th><th>CIDR</th><th>AZ</th><th>kind</th><th>free IPs</th></tr>"
                + "".join(rows) + f"</table>{more}</div>")


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Subnet(Resource):
    """A slice of a VPC's addresses in one Availability Zone.

    >>> from awskit import Cloud
    >>> svc = Cloud(seed=1).vpc
    >>> vpc = svc.create_vpc("10.0.0.0/16")
    >>> s = svc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1b")
    >>> s.available_ip_address_count, s.is_public, s.route_table is vpc.main_route_table
    (251, False, True)
    """

    _ARN_KIND = "subnet"

    vpc: Vpc
    cidr_block: IPv4Network
    availability_zone: AvailabilityZone
    map_public_ip_on_launch: bool = False
    default_for_az: bool = False
    state: SubnetState = SubnetState.AVAILABLE
    route_table_association: RouteTableAssociation | None = None
    network_acl_association: NetworkAclAssociation | None = None
    _interfaces: dict[IPv4Address, NetworkInterface] = field(default_factory=dict)

    @property
    def vpc_id(self) -> str:
        return self.vpc.id

    @property
    def availability_zone_id(self) -> str:
        return self.availability_zone.zone_id

    @property
    def route_table(self) -> RouteTable:
        """The explicitly associated route table, else the VPC's main route table."""
        assoc = self.route_table_association
        return assoc.route_table if assoc is not None else self.vpc.main_route_table

    @property
    def network_acl(self) -> NetworkAcl:
        """The one network ACL guarding this subnet (the VPC's default ACL unless replaced)."""
        return self.network_acl_association.network_acl

    @property
    def is_public(self) -> bool:
        """True exactly when the subnet's route table sends 0.0.0.0/0 to an internet gateway
        attached to this VPC."""
        route = self.route_table.routes_by_destination.get(IPv4Network("0.0.0.0/0"))
        return route is not None and route.gateway is not None and route.gateway.vpc is self.vpc

    @property
    def reserved_addresses(self) -> list[IPv4Address]:
        """The five addresses AWS keeps: network, router, DNS, future use, broadcast."""
        net = self.cidr_block
        return [net[0], net[1], net[2], net[3], net[-1]]

    @property
    def available_ip_address_count(self) -> int:
        return self.cidr_block.num_addresses - RESERVED_PER_SUBNET - len(self._interfaces)

    @property
    def network_interfaces(self) -> list[NetworkInterface]:
        return list(self._interfaces.values())

    def _next_free_ip(self) -> IPv4Address | None:
        net = self.cidr_block
        base = int(net.network_address)
        for offset in range(4, net.num_addresses - 1):
            addr = IPv4Address(base + offset)
            if addr not in self._interfaces:
                return addr
        return None

    def __repr__(self) -> str:
        return (f"Subnet({self.id!r}, cidr_block='{self.cidr_block}', "
                f"availability_zone={self.availability_zone.name!r}{self._name_part()}, "
                f"{'public' if self.is_public else 'private'})")


class _VpcOps:
    """VPC and subnet actions of :class:`~awskit.vpc.VPCService`."""

    # -- VPCs -------------------------------------------------------------------
    @property
    def vpcs(self: VPCService) -> list[Vpc]:
        """Every VPC in this Region, in creation order (the default VPC first)."""
        return list(self._vpcs.values())

    @property
    def default_vpc(self: VPCService) -> Vpc | None:
        """The Region's default VPC (None once deleted)."""
        return next((v for v in self._vpcs.values() if v.is_default), None)

    def create_vpc(self: VPCService, cidr_block: str, *, tags: dict[str, str] | None = None,
                   instance_tenancy: str = "default") -> Vpc:
        """Create a VPC with its main route table, default network ACL and default security group.

        Args:
            cidr_block: an IPv4 block from /16 (65,536 addresses) to /28 (16 addresses).
            tags: e.g. ``{"Name": "lab"}``.
            instance_tenancy: ``"default"`` (shared hardware) or ``"dedicated"``.

        Raises:
            InvalidParameterValue: malformed CIDR, host bits set, unknown tenancy.
            InvalidVpc.Range: a block larger than /16 or smaller than /28.
            VpcLimitExceeded: already 5 VPCs in the Region (the default VPC counts).

        >>> from awskit import Cloud
        >>> Cloud(seed=1).vpc.create_vpc("10.0.0.0/16")
        Vpc('vpc-...', cidr_block='10.0.0.0/16')
        """
        net = parse_cidr(cidr_block)
        if not 16 <= net.prefixlen <= 28:
            fail("InvalidVpc.Range",
                 f"The CIDR '{net}' is invalid: a VPC block must be between /16 (65,536 addresses) "
                 "and /28 (16 addresses).")
        if instance_tenancy not in ("default", "dedicated"):
            fail("InvalidParameterValue",
                 f"Value ({instance_tenancy!r}) for parameter instanceTenancy is invalid. "
                 "Use 'default' or 'dedicated'.")
        tags = check_tags(tags)
        if len(self._vpcs) >= VPCS_PER_REGION:
            fail("VpcLimitExceeded",
                 f"The maximum number of VPCs ({VPCS_PER_REGION} per Region, the default VPC included) "
                 f"has been reached in {self.region_name}: {listing(self._vpcs)}. Delete one first.")
        return self._new_vpc(net, tags=tags, instance_tenancy=instance_tenancy)

    def _new_vpc(self: VPCService, net: IPv4Network, *, tags: dict[str, str],
                 instance_tenancy: str = "default", is_default: bool = False) -> Vpc:
        vpc = Vpc(id=self.cloud.ids.new("vpc"), owner_id=self.cloud.account_id, region=self.region_name,
                  tags=tags, cidr_block=net, service=self, instance_tenancy=instance_tenancy,
                  is_default=is_default, enable_dns_hostnames=is_default)
        self._vpcs[vpc.id] = vpc
        # AWS gives every VPC a main route table (with the local route), a default network
        # ACL (allow all both ways) and a default security group.
        vpc.main_route_table = self._new_route_table(vpc, main=True)
        vpc.default_network_acl = self._new_network_acl(vpc, default=True)
        vpc.default_security_group = self._new_security_group(
            vpc, "default", "default VPC security group", default=True)
        self._publish("vpc.vpc.created", vpc)
        return vpc

    def get_vpc(self: VPCService, vpc: str | Vpc) -> Vpc:
        """The VPC with that id (or the object itself, checked to still exist).

        Raises: InvalidVpcID.Malformed, InvalidVpcID.NotFound.
        """
        return self._get("vpc", vpc)

    def modify_vpc_attribute(self: VPCService, vpc: str | Vpc, *, enable_dns_support: bool | None = None,
                             enable_dns_hostnames: bool | None = None) -> Vpc:
        """Switch the VPC's DNS settings, one attribute per call as EC2 requires.

        ``enable_dns_support``: the Amazon-provided DNS server (at the VPC base + 2) answers.
        ``enable_dns_hostnames``: instances with public addresses get public DNS names; it
        needs DNS support on.

        Raises: InvalidParameterCombination (both or neither attribute given),
        InvalidParameterValue (not a bool, or hostnames on while support is off, which AWS
        documents as not allowed).

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> svc.modify_vpc_attribute(svc.create_vpc("10.0.0.0/16"), enable_dns_hostnames=True).enable_dns_hostnames
        True
        """
        vpc = self._get("vpc", vpc)
        given = {k: v for k, v in (("enable_dns_support", enable_dns_support),
                                   ("enable_dns_hostnames", enable_dns_hostnames)) if v is not None}
        if len(given) != 1:
            fail("InvalidParameterCombination",
                 "Change exactly one attribute per call: enable_dns_support or enable_dns_hostnames.")
        (attr, value), = given.items()
        if not isinstance(value, bool):
            fail("InvalidParameterValue", f"{attr} is True or False, not {value!r}.")
        if attr == "enable_dns_hostnames" and value and not vpc.enable_dns_support:
            fail("InvalidParameterValue",
                 f"DNS hostnames cannot be enabled in {vpc.id} while DNS support is off; enable DNS support first.")
        setattr(vpc, attr, value)
        self._publish("vpc.vpc.modified", vpc, attribute=attr, value=value)
        return vpc

    def delete_vpc(self: VPCService, vpc: str | Vpc) -> None:
        """Delete a VPC once everything in it is gone.

        Its main route table, default network ACL and default security group go with it.

        Raises: DependencyViolation while subnets, an attached internet gateway, non-default
        security groups or network ACLs, or non-main route tables remain.
        """
        vpc = self._get("vpc", vpc)
        left = [*vpc._subnets]
        if vpc.internet_gateway is not None:
            left.append(vpc.internet_gateway.id)
        left += [sg.id for sg in vpc._security_groups.values() if sg is not vpc.default_security_group]
        left += [rt.id for rt in vpc._route_tables.values() if rt is not vpc.main_route_table]
        left += [a.id for a in vpc._network_acls.values() if a is not vpc.default_network_acl]
        if left:
            fail("DependencyViolation",
                 f"The vpc '{vpc.id}' has dependencies and cannot be deleted. Delete or detach these "
                 f"first: {listing(left)}.")
        for rt in vpc._route_tables.values():
            self._route_tables.pop(rt.id, None)
            for assoc in rt.associations:
                self._rtb_assocs.pop(assoc.id, None)
        for acl in vpc._network_acls.values():
            self._network_acls.pop(acl.id, None)
        for sg in vpc._security_groups.values():
            self._security_groups.pop(sg.id, None)
        del self._vpcs[vpc.id]
        self._publish("vpc.vpc.deleted", vpc)

    # -- subnets ----------------------------------------------------------------
    @property
    def subnets(self: VPCService) -> list[Subnet]:
        """Every subnet in this Region, in creation order."""
        return list(self._subnets.values())

    def get_subnet(self: VPCService, subnet: str | Subnet) -> Subnet:
        """Raises: InvalidSubnetID.Malformed, InvalidSubnetID.NotFound."""
        return self._get("subnet", subnet)

    def _resolve_az(self: VPCService, value: Any) -> AvailabilityZone:
        azs = self.region.availability_zones
        if value is None:
            return azs[0]
        for az in azs:
            if value is az or value == az.name or value == az.zone_id:
                return az
        fail("InvalidParameterValue",
             f"Value ({value!r}) for parameter availabilityZone is invalid. Subnets can currently only "
             f"be created in the following availability zones: {', '.join(a.name for a in azs)} "
             f"(or their zone ids {', '.join(a.zone_id for a in azs)}).")

    def create_subnet(self: VPCService, vpc: str | Vpc, cidr_block: str, *,
                      availability_zone: str | AvailabilityZone | None = None,
                      tags: dict[str, str] | None = None, map_public_ip_on_launch: bool = False) -> Subnet:
        """Carve a subnet out of a VPC, in one Availability Zone.

        Args:
            vpc: the VPC or its id.
            cidr_block: /16 to /28, inside the VPC's block, overlapping no other subnet.
            availability_zone: an AZ name (``"us-east-1b"``) or zone id (``"use1-az2"``);
                default: the Region's first AZ.
            map_public_ip_on_launch: give instances launched here a public IPv4 address.

        Raises:
            InvalidSubnet.Range: outside the VPC's block, or not /16 to /28.
            InvalidSubnet.Conflict: overlaps another subnet of the VPC.
            InvalidParameterValue: malformed CIDR or an AZ outside the VPC's Region.
            SubnetLimitExceeded: already 200 subnets in the VPC.

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> vpc = svc.create_vpc("10.0.0.0/16")
        >>> svc.create_subnet(vpc, "10.0.1.0/24")
        Subnet('subnet-...', cidr_block='10.0.1.0/24', availability_zone='us-east-1a', private)
        """
        vpc = self._get("vpc", vpc)
        net = parse_cidr(cidr_block)
        if not 16 <= net.prefixlen <= 28 or not net.subnet_of(vpc.cidr_block):
            fail("InvalidSubnet.Range",
                 f"The CIDR '{net}' is invalid for {vpc.id}: a subnet must lie inside the VPC's block "
                 f"{vpc.cidr_block} and be between /16 and /28.")
        for other in vpc._subnets.values():
            if net.overlaps(other.cidr_block):
                fail("InvalidSubnet.Conflict",
                     f"The CIDR '{net}' conflicts with another subnet: {other.id} ({other.cidr_block}). "
                     "Pick a block that overlaps no existing subnet.")
        az = self._resolve_az(availability_zone)
        tags = check_tags(tags)
        if not isinstance(map_public_ip_on_launch, bool):
            fail("InvalidParameterValue", f"map_public_ip_on_launch is True or False, not {map_public_ip_on_launch!r}.")
        if len(vpc._subnets) >= SUBNETS_PER_VPC:
            fail("SubnetLimitExceeded",
                 f"The maximum number of subnets ({SUBNETS_PER_VPC}) has been reached in {vpc.id}.")
        return self._new_subnet(vpc, net, az, tags=tags, map_public_ip_on_launch=map_public_ip_on_launch)

    def _new_subnet(self: VPCService, vpc: Vpc, net: IPv4Network, az: AvailabilityZone, *,
                    tags: dict[str, str], map_public_ip_on_launch: bool = False,
                    default_for_az: bool = False) -> Subnet:
        subnet = Subnet(id=self.cloud.ids.new("subnet"), owner_id=self.cloud.account_id,
                        region=self.region_name, tags=tags, vpc=vpc, cidr_block=net, availability_zone=az,
                        map_public_ip_on_launch=map_public_ip_on_launch, default_for_az=default_for_az)
        self._subnets[subnet.id] = vpc._subnets[subnet.id] = subnet
        # A subnet always has exactly one network ACL: new subnets get the VPC's default one.
        self._associate_acl(subnet, vpc.default_network_acl)
        self._publish("vpc.subnet.created", subnet, vpc_id=vpc.id)
        return subnet

    def modify_subnet_attribute(self: VPCService, subnet: str | Subnet, *,
                                map_public_ip_on_launch: bool | None = None) -> Subnet:
        """Change whether instances launched into the subnet get a public IPv4 address."""
        subnet = self._get("subnet", subnet)
        if map_public_ip_on_launch is not None:
            if not isinstance(map_public_ip_on_launch, bool):
                fail("InvalidParameterValue",
                     f"map_public_ip_on_launch is True or False, not {map_public_ip_on_launch!r}.")
            subnet.map_public_ip_on_launch = map_public_ip_on_launch
            self._publish("vpc.subnet.modified", subnet, vpc_id=subnet.vpc.id)
        return subnet

    def delete_subnet(self: VPCService, subnet: str | Subnet) -> None:
        """Delete a subnet; its route table and network ACL associations go with it.

        Raises: DependencyViolation while network interfaces (instances) remain in it.
        """
        subnet = self._get("subnet", subnet)
        if subnet._interfaces:
            fail("DependencyViolation",
                 f"The subnet '{subnet.id}' has dependencies and cannot be deleted: network interfaces "
                 f"{listing(e.id for e in subnet._interfaces.values())} are still in it.")
        if subnet.route_table_association is not None:
            self._drop_rtb_association(subnet.route_table_association)
        acl_assoc = subnet.network_acl_association
        acl_assoc.network_acl.associations.remove(acl_assoc)
        self._acl_assocs.pop(acl_assoc.id, None)
        del self._subnets[subnet.id]
        del subnet.vpc._subnets[subnet.id]
        self._publish("vpc.subnet.deleted", subnet, vpc_id=subnet.vpc.id)

    def _create_default_vpc(self: VPCService) -> Vpc:
        """The default VPC AWS makes in every Region: 172.31.0.0/16, a public /20 per AZ, an IGW."""
        vpc = self._new_vpc(IPv4Network("172.31.0.0/16"), tags={}, is_default=True)
        blocks = vpc.cidr_block.subnets(new_prefix=20)
        for az, net in zip(self.region.availability_zones, blocks):
            self._new_subnet(vpc, net, az, tags={}, map_public_ip_on_launch=True, default_for_az=True)
        igw = self.create_internet_gateway()
        self.attach_internet_gateway(igw, vpc)
        self.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
        return vpc
