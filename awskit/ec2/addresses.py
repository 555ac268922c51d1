"""Elastic IP addresses: a public IPv4 address that belongs to your account until you release it.

An instance's ordinary public address is lent for as long as it runs and changes on every
stop/start.  An Elastic IP stays yours: associate it with an instance (or a network
interface) and the instance keeps that address across stops and starts.  Since February
2024 AWS charges for every public IPv4 address, idle or in use ($0.005 per hour).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

from ._common import check_tags, fail, listing, parse_ip

if TYPE_CHECKING:
    from ..vpc import NetworkInterface
    from .instances import Instance
    from .service import EC2Service

__all__ = ["ADDRESSES_PER_REGION", "Address"]

#: AWS's default quota of Elastic IP addresses per Region.
ADDRESSES_PER_REGION = 5


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Address:
    """An Elastic IP address.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> eip = cloud.ec2.allocate_address()
    >>> eip.allocation_id.startswith("eipalloc-"), eip.network_interface is None
    (True, True)
    """

    allocation_id: str
    public_ip: IPv4Address
    owner_id: str
    region: str
    domain: str = "vpc"
    tags: dict[str, str] = field(default_factory=dict)
    association_id: str | None = None
    network_interface: NetworkInterface | None = None
    _meter: Any = None

    @property
    def id(self) -> str:
        return self.allocation_id

    @property
    def instance(self) -> Instance | None:
        eni = self.network_interface
        att = eni.attachment if eni is not None else None
        return getattr(att, "instance", None)

    @property
    def private_ip_address(self) -> IPv4Address | None:
        return self.network_interface.private_ip_address if self.network_interface is not None else None

    def __repr__(self) -> str:
        where = f", instance={self.instance.id!r}" if self.instance else (
            f", network_interface={self.network_interface.id!r}" if self.network_interface else "")
        return f"Address({self.allocation_id!r}, public_ip='{self.public_ip}'{where})"

    def _repr_html_(self) -> str:
        return f"<div>Elastic IP <b>{self.public_ip}</b> {html.escape(repr(self))}</div>"


class _AddressOps:
    """Elastic IP actions of :class:`~awskit.ec2.EC2Service`."""

    PUBLIC_IPV4_HOURLY = 0.005

    @property
    def addresses(self: EC2Service) -> list[Address]:
        return list(self._addresses.values())

    def get_address(self: EC2Service, address: Any) -> Address:
        """By allocation id, public IP or object.

        Raises: InvalidAllocationID.NotFound, InvalidAddress.NotFound."""
        if isinstance(address, Address):
            if self._addresses.get(address.allocation_id) is address:
                return address
            address = address.allocation_id
        if isinstance(address, str) and address.startswith("eipalloc-"):
            found = self._addresses.get(address)
            if found is None:
                fail("InvalidAllocationID.NotFound",
                     f"The allocation ID '{address}' does not exist. Elastic IPs: {listing(self._addresses)}.")
            return found
        ip = parse_ip(address, "publicIp")
        found = next((a for a in self._addresses.values() if a.public_ip == ip), None)
        if found is None:
            fail("InvalidAddress.NotFound", f"Address '{ip}' not found: it is not an Elastic IP of this account "
                                            f"in {self.region_name}.")
        return found

    def allocate_address(self: EC2Service, *, domain: str = "vpc", tags: dict[str, str] | None = None) -> Address:
        """Take a public IPv4 address for the account (billed from now until released).

        Raises: AddressLimitExceeded (5 per Region by default), InvalidParameterValue.
        """
        if domain != "vpc":
            fail("InvalidParameterValue", f"Domain {domain!r} is not valid: EC2-Classic is retired, use 'vpc'.")
        tags = check_tags(tags)
        if len(self._addresses) >= ADDRESSES_PER_REGION:
            fail("AddressLimitExceeded", f"The maximum number of addresses ({ADDRESSES_PER_REGION}) has been "
                                         "reached. Release an Elastic IP you do not use.")
        taken = self.cloud.namespace("public_ipv4")
        rng = self.cloud.rng
        while True:
            ip = IPv4Address(f"{rng.choice((3, 18, 34, 44, 52, 54))}.{rng.randrange(256)}.{rng.randrange(256)}."
                             f"{rng.randrange(1, 255)}")
            if ip not in taken:
                break
        address = Address(allocation_id=self.cloud.ids.new("eipalloc"), public_ip=ip, owner_id=self.cloud.account_id,
                          region=self.region_name, tags=tags)
        taken[ip] = address
        address._meter = self.cloud.bill.start_meter("vpc", str(ip), "public IPv4 address-hours (Elastic IP)",
                                                     hourly=self.PUBLIC_IPV4_HOURLY)
        self._addresses[address.allocation_id] = address
        self._publish("ec2.address.allocated", address.allocation_id, public_ip=str(ip))
        return address

    def associate_address(self: EC2Service, address: Any, *, instance: Any = None, network_interface: Any = None,
                          allow_reassociation: bool = True) -> Address:
        """Point an Elastic IP at an instance (its primary interface) or a network interface.

        The instance's ordinary public address is given back; the Elastic IP replaces it.

        Raises: Gateway.NotAttached (the VPC has no internet gateway), Resource.AlreadyAssociated,
        IncorrectInstanceState (terminated), InvalidParameterCombination.
        """
        address = self.get_address(address)
        if (instance is None) == (network_interface is None):
            fail("MissingParameter" if instance is None else "InvalidParameterCombination",
                 "Give exactly one of instance or network_interface.")
        if instance is not None:
            inst = self.get_instance(instance)
            eni = inst.primary_network_interface
            if eni is None or inst.state.value in ("shutting-down", "terminated"):
                fail("IncorrectInstanceState", f"The instance '{inst.id}' is {inst.state}; associate the "
                                               "address with a live instance.")
        else:
            eni = self.region.vpc.get_network_interface(network_interface)
        if eni.vpc.internet_gateway is None:
            fail("Gateway.NotAttached", f"Network {eni.vpc.id} is not attached to any internet gateway, so an "
                                        "Elastic IP cannot reach it. Attach an internet gateway to the VPC first.")
        if address.network_interface is eni:
            return address
        if address.network_interface is not None:
            if not allow_reassociation:
                fail("Resource.AlreadyAssociated", f"Elastic IP {address.public_ip} is already associated with "
                                                   f"{address.network_interface.id}.")
            self._disassociate(address)
        other = self._address_by_eni.get(eni.id)
        if other is not None:
            self._disassociate(other)
        if eni.public_ip is not None:  # the lent address goes back to AWS
            self.region.vpc.release_public_ip(eni)
            self.cloud.bill.stop_meter(self._ip_meters.pop(eni.id, None))
        eni.public_ip = address.public_ip
        address.network_interface = eni
        address.association_id = self.cloud.ids.new("eipassoc")
        self._address_by_eni[eni.id] = address
        self._publish("ec2.address.associated", address.allocation_id, network_interface_id=eni.id)
        return address

    def _disassociate(self: EC2Service, address: Address) -> None:
        eni = address.network_interface
        if eni is None:
            return
        eni.public_ip = None
        self._address_by_eni.pop(eni.id, None)
        address.network_interface = None
        address.association_id = None
        inst = getattr(eni.attachment, "instance", None)
        # A running instance that was given a public address at launch gets a new one back.
        if getattr(inst, "auto_public_ip", False) and inst.state.value in ("pending", "running"):
            self._give_public_ip(inst)
        self._publish("ec2.address.disassociated", address.allocation_id, network_interface_id=eni.id)

    def disassociate_address(self: EC2Service, address: Any) -> Address:
        """Detach an Elastic IP from what it points at (it stays allocated, and billed).

        Accepts the address, its allocation id, public IP or association id
        (``eipassoc-...``).  Raises: InvalidAssociationID.NotFound.
        """
        if isinstance(address, str) and address.startswith("eipassoc-"):
            found = next((a for a in self._addresses.values() if a.association_id == address), None)
            if found is None:
                fail("InvalidAssociationID.NotFound", f"The association ID '{address}' does not exist.")
            address = found
        address = self.get_address(address)
        self._disassociate(address)
        return address

    def release_address(self: EC2Service, address: Any) -> None:
        """Give the Elastic IP back to AWS; billing stops.

        Raises: InvalidIPAddress.InUse while it is associated (disassociate first).
        """
        address = self.get_address(address)
        if address.network_interface is not None:
            fail("InvalidIPAddress.InUse", f"Address {address.public_ip} is in use by "
                                           f"{address.network_interface.id}. Disassociate it first.")
        self.cloud.namespace("public_ipv4").pop(address.public_ip, None)
        self.cloud.bill.stop_meter(address._meter)
        del self._addresses[address.allocation_id]
        self._publish("ec2.address.released", address.allocation_id, public_ip=str(address.public_ip))
