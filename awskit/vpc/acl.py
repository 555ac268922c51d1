"""Network ACLs: a stateless, numbered firewall at the edge of each subnet.

Each subnet is guarded by exactly one network ACL.  Its rules are read lowest number first
and the first rule that matches decides, allow or deny; the final ``*`` rule (number
32767) denies whatever nothing else matched.  ACLs are *stateless*: a reply is a separate
packet that must be allowed by the rules of the other direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any

from ._common import (
    PROTOCOL_NAMES,
    Resource,
    check_port,
    check_tags,
    direction,
    fail,
    listing,
    parse_cidr,
    parse_ip,
    protocol_number,
)

if TYPE_CHECKING:
    from .network import Subnet, Vpc
    from .service import VPCService

#: Rule numbers a user may use; 32767 is the catch-all ``*`` rule AWS adds.
MIN_RULE, MAX_RULE, STAR_RULE = 1, 32766, 32767
#: AWS's default quota of rules per direction in one network ACL.
RULES_PER_DIRECTION = 20
_ANY = IPv4Network("0.0.0.0/0")


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class NetworkAclEntry:
    """One numbered ACL rule; ``protocol`` is an IANA number as AWS stores it ('-1' = all)."""

    rule_number: int
    protocol: str
    rule_action: str
    egress: bool
    cidr_block: IPv4Network
    port_range: tuple[int, int] | None = None
    icmp_type_code: tuple[int, int] | None = None

    @property
    def is_default(self) -> bool:
        """True for the ``*`` rule that closes every ACL."""
        return self.rule_number == STAR_RULE

    def matches(self, ip: IPv4Address, port: int | None, protocol: str) -> bool:
        if ip not in self.cidr_block:
            return False
        if self.protocol == "-1":
            return True
        if self.protocol != protocol:
            return False
        if self.protocol in ("6", "17") and self.port_range is not None:
            return port is not None and self.port_range[0] <= port <= self.port_range[1]
        if self.protocol == "1" and self.icmp_type_code is not None and self.icmp_type_code[0] != -1:
            return port == self.icmp_type_code[0]
        return True

    def __repr__(self) -> str:
        number = "*" if self.is_default else self.rule_number
        proto = PROTOCOL_NAMES.get(self.protocol, self.protocol)
        ports = f", ports={self.port_range[0]}-{self.port_range[1]}" if self.port_range else ""
        way = "egress" if self.egress else "ingress"
        return f"NetworkAclEntry({number}, {way}, {proto}, '{self.cidr_block}'{ports}, {self.rule_action})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class NetworkAclAssociation:
    id: str
    network_acl: NetworkAcl
    subnet: Subnet

    def __repr__(self) -> str:
        return f"NetworkAclAssociation({self.id!r}, {self.network_acl.id!r}, subnet={self.subnet.id!r})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class NetworkAcl(Resource):
    """A VPC's network ACL.

    >>> from awskit import Cloud
    >>> acl = Cloud(seed=1).vpc.default_vpc.default_network_acl
    >>> acl.evaluate("ingress", "203.0.113.9", 22, "tcp")
    (NetworkAclEntry(100, ingress, -1, '0.0.0.0/0', allow), True)
    """

    _ARN_KIND = "network-acl"

    vpc: Vpc
    is_default: bool = False
    entries: list[NetworkAclEntry] = field(default_factory=list)
    associations: list[NetworkAclAssociation] = field(default_factory=list)

    @property
    def subnets(self) -> list[Subnet]:
        return [a.subnet for a in self.associations]

    def rules(self, egress: bool) -> list[NetworkAclEntry]:
        """The rules of one direction in evaluation order (lowest number first, ``*`` last)."""
        return sorted((e for e in self.entries if e.egress == egress), key=lambda e: e.rule_number)

    @property
    def ingress(self) -> list[NetworkAclEntry]:
        return self.rules(False)

    @property
    def egress(self) -> list[NetworkAclEntry]:
        return self.rules(True)

    def evaluate(self, direction_: str, ip: str | IPv4Address, port: int | None = None,
                 protocol: str | int = "tcp") -> tuple[NetworkAclEntry, bool]:
        """Decide one packet: ``(deciding rule, allowed)``.

        Args:
            direction_: ``"ingress"`` (``ip`` is the source) or ``"egress"`` (``ip`` is the
                destination).
            port: the destination port for TCP/UDP, the ICMP type for ICMP.
        """
        egress = direction(direction_)
        addr = parse_ip(ip)
        proto = protocol_number(protocol)
        for entry in self.rules(egress):
            if entry.matches(addr, port, proto):
                return entry, entry.rule_action == "allow"
        raise AssertionError("every network ACL ends with the * rule")  # pragma: no cover

    def __repr__(self) -> str:
        default = ", default" if self.is_default else ""
        return f"NetworkAcl({self.id!r}, vpc={self.vpc.id!r}{self._name_part()}{default}, rules={len(self.entries)})"


def _star(egress: bool) -> NetworkAclEntry:
    return NetworkAclEntry(rule_number=STAR_RULE, protocol="-1", rule_action="deny", egress=egress,
                           cidr_block=_ANY)


class _AclOps:
    """Network ACL actions of :class:`~awskit.vpc.VPCService`."""

    @property
    def network_acls(self: VPCService) -> list[NetworkAcl]:
        return list(self._network_acls.values())

    def get_network_acl(self: VPCService, acl: str | NetworkAcl) -> NetworkAcl:
        """Raises: InvalidNetworkAclID.NotFound."""
        return self._get("acl", acl)

    def create_network_acl(self: VPCService, vpc: str | Vpc, *, tags: dict[str, str] | None = None) -> NetworkAcl:
        """A custom network ACL: until you add rules it denies everything both ways.

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> acl = svc.create_network_acl(svc.default_vpc)
        >>> acl.evaluate("ingress", "10.0.0.1", 80, "tcp")[1]
        False
        """
        vpc = self._get("vpc", vpc)
        return self._new_network_acl(vpc, tags=check_tags(tags))

    def _new_network_acl(self: VPCService, vpc: Vpc, *, default: bool = False,
                         tags: dict[str, str] | None = None) -> NetworkAcl:
        acl = NetworkAcl(id=self.cloud.ids.new("acl"), owner_id=self.cloud.account_id, region=self.region_name,
                         tags=tags or {}, vpc=vpc, is_default=default)
        for egress in (False, True):
            if default:  # the default ACL allows all traffic in and out (rule 100)
                acl.entries.append(NetworkAclEntry(rule_number=100, protocol="-1", rule_action="allow",
                                                   egress=egress, cidr_block=_ANY))
            acl.entries.append(_star(egress))
        self._network_acls[acl.id] = vpc._network_acls[acl.id] = acl
        self._publish("vpc.network_acl.created", acl, vpc_id=vpc.id)
        return acl

    def _entry(self: VPCService, acl: NetworkAcl, rule_number: Any, protocol: Any, rule_action: Any,
               egress: Any, cidr_block: Any, port_range: Any, icmp_type_code: Any) -> NetworkAclEntry:
        if isinstance(rule_number, bool) or not isinstance(rule_number, int) or not MIN_RULE <= rule_number <= MAX_RULE:
            fail("InvalidParameterValue",
                 f"Invalid rule number {rule_number!r}: use a whole number from {MIN_RULE} to {MAX_RULE} "
                 f"({STAR_RULE} is the reserved * rule).")
        proto = protocol_number(protocol)
        if rule_action not in ("allow", "deny"):
            fail("InvalidParameterValue", f"Invalid rule_action {rule_action!r}: use 'allow' or 'deny'.")
        if not isinstance(egress, bool):
            fail("InvalidParameterValue", f"egress is True (outbound) or False (inbound), not {egress!r}.")
        net = parse_cidr(cidr_block)
        ports = None
        if proto in ("6", "17"):
            if port_range is None:
                fail("MissingParameter",
                     "A TCP/UDP rule needs port_range=(from, to), e.g. (443, 443) or (1024, 65535).")
            if not (isinstance(port_range, (tuple, list)) and len(port_range) == 2):
                fail("InvalidParameterValue", f"port_range is a pair (from, to), not {port_range!r}.")
            ports = (check_port(port_range[0], "from port"), check_port(port_range[1], "to port"))
            if ports[0] > ports[1]:
                fail("InvalidParameterValue", f"Invalid port range {ports}: from must not exceed to.")
        icmp = None
        if proto == "1":
            icmp = tuple(icmp_type_code) if icmp_type_code is not None else (-1, -1)
            if len(icmp) != 2 or not all(isinstance(v, int) and -1 <= v <= 255 for v in icmp):
                fail("InvalidParameterValue",
                     f"icmp_type_code is a pair (type, code), each -1 (all) or 0-255, not {icmp_type_code!r}.")
        return NetworkAclEntry(rule_number=rule_number, protocol=proto, rule_action=rule_action,
                               egress=egress, cidr_block=net, port_range=ports, icmp_type_code=icmp)

    def create_network_acl_entry(self: VPCService, acl: str | NetworkAcl, rule_number: int, protocol: str | int,
                                 rule_action: str, egress: bool, cidr_block: str, *,
                                 port_range: tuple[int, int] | None = None,
                                 icmp_type_code: tuple[int, int] | None = None) -> NetworkAclEntry:
        """Add a numbered rule to one direction of an ACL.

        Raises:
            NetworkAclEntryAlreadyExists: that number is taken in that direction.
            NetworkAclEntryLimitExceeded: already 20 rules in that direction.
            InvalidParameterValue / MissingParameter: bad number, protocol, action, CIDR or ports.

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> acl = svc.create_network_acl(svc.default_vpc)
        >>> svc.create_network_acl_entry(acl, 100, "tcp", "allow", False, "0.0.0.0/0", port_range=(443, 443))
        NetworkAclEntry(100, ingress, tcp, '0.0.0.0/0', ports=443-443, allow)
        """
        acl = self._get("acl", acl)
        entry = self._entry(acl, rule_number, protocol, rule_action, egress, cidr_block, port_range, icmp_type_code)
        same_way = [e for e in acl.entries if e.egress == entry.egress and not e.is_default]
        if any(e.rule_number == entry.rule_number for e in same_way):
            fail("NetworkAclEntryAlreadyExists",
                 f"The network acl entry identified by {entry.rule_number} already exists in "
                 f"{'egress' if entry.egress else 'ingress'} of {acl.id}; use replace_network_acl_entry.")
        if len(same_way) >= RULES_PER_DIRECTION:
            fail("NetworkAclEntryLimitExceeded",
                 f"{acl.id} already has {RULES_PER_DIRECTION} {'egress' if entry.egress else 'ingress'} rules, "
                 "the most a network ACL holds per direction.")
        acl.entries.append(entry)
        self._publish("vpc.network_acl.entry_added", acl, vpc_id=acl.vpc.id, rule_number=entry.rule_number,
                      egress=entry.egress)
        return entry

    def _find_entry(self: VPCService, acl: NetworkAcl, rule_number: Any, egress: Any) -> int:
        for i, e in enumerate(acl.entries):
            if e.rule_number == rule_number and e.egress == egress and not e.is_default:
                return i
        fail("InvalidNetworkAclEntry.NotFound",
             f"No {'egress' if egress else 'ingress'} entry number {rule_number!r} in {acl.id}. Its numbers: "
             f"{listing(e.rule_number for e in acl.rules(bool(egress)) if not e.is_default)}.")

    def replace_network_acl_entry(self: VPCService, acl: str | NetworkAcl, rule_number: int, protocol: str | int,
                                  rule_action: str, egress: bool, cidr_block: str, *,
                                  port_range: tuple[int, int] | None = None,
                                  icmp_type_code: tuple[int, int] | None = None) -> NetworkAclEntry:
        """Replace an existing rule. Raises: InvalidNetworkAclEntry.NotFound."""
        acl = self._get("acl", acl)
        entry = self._entry(acl, rule_number, protocol, rule_action, egress, cidr_block, port_range, icmp_type_code)
        acl.entries[self._find_entry(acl, rule_number, egress)] = entry
        self._publish("vpc.network_acl.entry_replaced", acl, vpc_id=acl.vpc.id, rule_number=rule_number,
                      egress=egress)
        return entry

    def delete_network_acl_entry(self: VPCService, acl: str | NetworkAcl, rule_number: int, egress: bool) -> None:
        """Raises: InvalidNetworkAclEntry.NotFound (the * rule cannot be deleted)."""
        acl = self._get("acl", acl)
        del acl.entries[self._find_entry(acl, rule_number, egress)]
        self._publish("vpc.network_acl.entry_deleted", acl, vpc_id=acl.vpc.id, rule_number=rule_number,
                      egress=egress)

    def _associate_acl(self: VPCService, subnet: Subnet, acl: NetworkAcl) -> NetworkAclAssociation:
        assoc = NetworkAclAssociation(id=self.cloud.ids.new("aclassoc"), network_acl=acl, subnet=subnet)
        acl.associations.append(assoc)
        subnet.network_acl_association = assoc
        self._acl_assocs[assoc.id] = assoc
        return assoc

    def replace_network_acl_association(self: VPCService, association: Any, acl: str | NetworkAcl) -> str:
        """Move a subnet to another ACL; returns the new association id (``aclassoc-...``).

        Args:
            association: the current association id, the association, or the subnet itself.
            acl: the ACL (or id) the subnet should use from now on.

        Raises: InvalidAssociationID.NotFound; InvalidParameterValue across VPCs.
        """
        from .network import Subnet

        if isinstance(association, Subnet) or (isinstance(association, str) and association.startswith("subnet-")):
            old = self._get("subnet", association).network_acl_association
        else:
            key = association.id if isinstance(association, NetworkAclAssociation) else association
            old = self._acl_assocs.get(key) if isinstance(key, str) else None
            if old is None:
                fail("InvalidAssociationID.NotFound",
                     f"The association ID '{key}' does not exist. Network ACL associations in "
                     f"{self.region_name}: {listing(self._acl_assocs)}.")
        acl = self._get("acl", acl)
        subnet = old.subnet
        if acl.vpc is not subnet.vpc:
            fail("InvalidParameterValue",
                 f"network ACL {acl.id} and subnet {subnet.id} belong to different networks.")
        old.network_acl.associations.remove(old)
        del self._acl_assocs[old.id]
        new = self._associate_acl(subnet, acl)
        self._publish("vpc.network_acl.associated", acl, vpc_id=acl.vpc.id, subnet_id=subnet.id,
                      association_id=new.id)
        return new.id

    def delete_network_acl(self: VPCService, acl: str | NetworkAcl) -> None:
        """Raises: InvalidParameterValue for the default ACL; DependencyViolation while associated."""
        acl = self._get("acl", acl)
        if acl.is_default:
            fail("InvalidParameterValue", f"cannot delete default network ACL {acl.id}.")
        if acl.associations:
            fail("DependencyViolation",
                 f"The networkAcl '{acl.id}' has dependencies and cannot be deleted: subnets "
                 f"{listing(s.id for s in acl.subnets)} use it. Move them with replace_network_acl_association.")
        del self._network_acls[acl.id]
        del acl.vpc._network_acls[acl.id]
        self._publish("vpc.network_acl.deleted", acl, vpc_id=acl.vpc.id)
