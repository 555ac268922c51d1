"""Elastic network interfaces: the virtual network cards that place something in a subnet.

An interface takes one private address from its subnet, carries up to five security
groups and may hold a public IPv4 address (only in a VPC with an attached internet
gateway).  EC2 instances own interfaces through ``eni.attachment``; an attached interface
cannot be deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

from ._common import Resource, check_tags, fail, listing, parse_ip

if TYPE_CHECKING:
    from ..regions import AvailabilityZone
    from ..security import SecurityGroup
    from .network import Subnet, Vpc
    from .service import VPCService

#: AWS's default quota of security groups per network interface.
GROUPS_PER_INTERFACE = 5


class NetworkInterfaceStatus(StrEnum):
    AVAILABLE = "available"
    IN_USE = "in-use"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class NetworkInterface(Resource):
    """A network interface in one subnet.

    ``attachment`` is owned by EC2: an object (e.g. the instance's attachment record) or
    None.  While it is set the interface is ``in-use`` and cannot be deleted.

    >>> from awskit import Cloud
    >>> svc = Cloud(seed=1).vpc
    >>> eni = svc.create_network_interface(svc.default_vpc.subnets[0])
    >>> str(eni.private_ip_address), [g.group_name for g in eni.security_groups], eni.status
    ('172.31.0.4', ['default'], <NetworkInterfaceStatus.AVAILABLE: 'available'>)
    """

    _ARN_KIND = "network-interface"

    subnet: Subnet
    private_ip_address: IPv4Address
    security_groups: list[SecurityGroup] = field(default_factory=list)
    description: str = ""
    mac_address: str = ""
    public_ip: IPv4Address | None = None
    source_dest_check: bool = True
    attachment: Any = None

    @property
    def vpc(self) -> Vpc:
        return self.subnet.vpc

    @property
    def availability_zone(self) -> AvailabilityZone:
        return self.subnet.availability_zone

    @property
    def status(self) -> NetworkInterfaceStatus:
        return NetworkInterfaceStatus.IN_USE if self.attachment is not None else NetworkInterfaceStatus.AVAILABLE

    def __repr__(self) -> str:
        public = f", public_ip='{self.public_ip}'" if self.public_ip else ""
        return (f"NetworkInterface({self.id!r}, subnet={self.subnet.id!r}, "
                f"private_ip_address='{self.private_ip_address}'{public}{self._name_part()})")


class _InterfaceOps:
    """Network interface actions of :class:`~awskit.vpc.VPCService`."""

    @property
    def network_interfaces(self: VPCService) -> list[NetworkInterface]:
        return list(self._network_interfaces.values())

    def get_network_interface(self: VPCService, eni: str | NetworkInterface) -> NetworkInterface:
        """Raises: InvalidNetworkInterfaceId.Malformed, InvalidNetworkInterfaceID.NotFound."""
        return self._get("eni", eni)

    def interface_for_ip(self: VPCService, ip: str | IPv4Address) -> NetworkInterface | None:
        """The interface in any VPC of this Region holding ``ip`` (private or public), else None."""
        addr = parse_ip(ip)
        for eni in self._network_interfaces.values():
            if eni.private_ip_address == addr or eni.public_ip == addr:
                return eni
        return None

    def _groups_for(self: VPCService, vpc: Vpc, groups: Any) -> list[SecurityGroup]:
        if isinstance(groups, (str, bytes)) or not hasattr(groups, "__iter__"):
            groups = [groups]
        out: list[SecurityGroup] = []
        for g in groups:
            sg = self._get("sg", g)
            if sg.vpc is not vpc:
                fail("InvalidParameter",
                     f"Security group {sg.id} and the interface's subnet belong to different networks "
                     f"({sg.vpc.id} vs {vpc.id}). Groups in {vpc.id}: {listing(vpc._security_groups)}.")
            if sg not in out:
                out.append(sg)
        if not out:
            fail("InvalidParameterValue", "An interface needs at least one security group.")
        if len(out) > GROUPS_PER_INTERFACE:
            fail("SecurityGroupsPerInterfaceLimitExceeded",
                 f"{len(out)} security groups given; an interface carries at most {GROUPS_PER_INTERFACE}.")
        return out

    def create_network_interface(self: VPCService, subnet: str | Subnet, *, groups: Any = None,
                                 private_ip_address: str | None = None, description: str = "",
                                 tags: dict[str, str] | None = None) -> NetworkInterface:
        """Create an interface in a subnet, taking one of its addresses.

        Args:
            groups: security groups (objects or ids) of the same VPC; default: its default group.
            private_ip_address: a free address of the subnet; default: the lowest free one
                after the four reserved at the start.

        Raises:
            InvalidParameterValue: an address outside the subnet or one AWS reserves.
            InvalidIPAddress.InUse: the address is taken.
            InsufficientFreeAddressesInSubnet: no address left.
            InvalidParameter / SecurityGroupsPerInterfaceLimitExceeded: bad groups.

        Note: the subnet's ``map_public_ip_on_launch`` applies to instances EC2 launches, not
        to interfaces created here; use :meth:`associate_public_ip`.
        """
        subnet = self._get("subnet", subnet)
        vpc = subnet.vpc
        sgs = self._groups_for(vpc, vpc.default_security_group if groups is None else groups)
        if not isinstance(description, str) or len(description) > 255:
            fail("InvalidParameterValue", f"A description is a string of at most 255 characters, not {description!r}.")
        tags = check_tags(tags)
        if private_ip_address is None:
            addr = subnet._next_free_ip()
            if addr is None:
                fail("InsufficientFreeAddressesInSubnet",
                     f"Subnet {subnet.id} ({subnet.cidr_block}) has no free addresses left.")
        else:
            addr = parse_ip(private_ip_address, "privateIpAddress")
            if addr not in subnet.cidr_block:
                fail("InvalidParameterValue",
                     f"Address {addr} does not fall within the subnet's address range {subnet.cidr_block}.")
            if addr in subnet.reserved_addresses:
                fail("InvalidParameterValue",
                     f"Address {addr} is reserved by AWS in {subnet.id} (reserved: "
                     f"{', '.join(map(str, subnet.reserved_addresses))}).")
            if addr in subnet._interfaces:
                fail("InvalidIPAddress.InUse",
                     f"Address {addr} is in use by {subnet._interfaces[addr].id}.")
        hexes = self.cloud.ids.hex(10)
        mac = "0e:" + ":".join(hexes[i:i + 2] for i in range(0, 10, 2))
        eni = NetworkInterface(id=self.cloud.ids.new("eni"), owner_id=self.cloud.account_id,
                               region=self.region_name, tags=tags, subnet=subnet, private_ip_address=addr,
                               security_groups=sgs, description=description, mac_address=mac)
        subnet._interfaces[addr] = eni
        self._network_interfaces[eni.id] = eni
        self._publish("vpc.network_interface.created", eni, vpc_id=vpc.id, subnet_id=subnet.id)
        return eni

    def modify_network_interface_attribute(self: VPCService, eni: str | NetworkInterface, *,
                                           groups: Any = None, description: str | None = None,
                                           source_dest_check: bool | None = None) -> NetworkInterface:
        """Replace the interface's security groups (all at once), description or source/dest check."""
        eni = self._get("eni", eni)
        sgs = self._groups_for(eni.vpc, groups) if groups is not None else None
        if description is not None and (not isinstance(description, str) or len(description) > 255):
            fail("InvalidParameterValue", f"A description is a string of at most 255 characters, not {description!r}.")
        if source_dest_check is not None and not isinstance(source_dest_check, bool):
            fail("InvalidParameterValue", f"source_dest_check is True or False, not {source_dest_check!r}.")
        if sgs is not None:
            eni.security_groups = sgs
        if description is not None:
            eni.description = description
        if source_dest_check is not None:
            eni.source_dest_check = source_dest_check
        self._publish("vpc.network_interface.modified", eni, vpc_id=eni.vpc.id)
        return eni

    def associate_public_ip(self: VPCService, eni: str | NetworkInterface) -> IPv4Address:
        """Give the interface a public IPv4 address (idempotent: returns the one it has).

        Raises: Gateway.NotAttached when the VPC has no internet gateway.
        """
        eni = self._get("eni", eni)
        if eni.public_ip is not None:
            return eni.public_ip
        if eni.vpc.internet_gateway is None:
            fail("Gateway.NotAttached",
                 f"Network {eni.vpc.id} has no internet gateway attached, so {eni.id} cannot have a public "
                 "address. Attach an internet gateway first.")
        taken = self.cloud.namespace("public_ipv4")  # unique across every account of the world
        while True:
            r = self.cloud.rng
            addr = IPv4Address(f"{r.choice((3, 18, 34, 44, 52, 54))}.{r.randrange(256)}."
                               f"{r.randrange(256)}.{r.randrange(1, 255)}")
            if addr not in taken:
                break
        taken[addr] = eni
        eni.public_ip = addr
        self._publish("vpc.network_interface.public_ip", eni, vpc_id=eni.vpc.id, public_ip=str(addr))
        return addr

    def release_public_ip(self: VPCService, eni: str | NetworkInterface) -> None:
        """Give the public IPv4 address back to AWS (no-op when there is none)."""
        eni = self._get("eni", eni)
        if eni.public_ip is None:
            return
        self.cloud.namespace("public_ipv4").pop(eni.public_ip, None)
        eni.public_ip = None
        self._publish("vpc.network_interface.public_ip", eni, vpc_id=eni.vpc.id, public_ip=None)

    def delete_network_interface(self: VPCService, eni: str | NetworkInterface) -> None:
        """Delete an interface, giving its addresses back.

        Raises: InvalidNetworkInterface.InUse while attached to an instance.
        """
        eni = self._get("eni", eni)
        if eni.attachment is not None:
            fail("InvalidNetworkInterface.InUse",
                 f"Interface {eni.id} is currently in use (attached: {eni.attachment!r}). Detach it or "
                 "terminate its instance first.")
        if eni.public_ip is not None:
            self.cloud.namespace("public_ipv4").pop(eni.public_ip, None)
            eni.public_ip = None
        del eni.subnet._interfaces[eni.private_ip_address]
        del self._network_interfaces[eni.id]
        self._publish("vpc.network_interface.deleted", eni, vpc_id=eni.vpc.id, subnet_id=eni.subnet.id)
