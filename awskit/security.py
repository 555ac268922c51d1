"""Chapter 3: security groups, the stateful firewall around each network interface.

A security group belongs to one VPC and holds *allow* rules only, inbound and outbound;
traffic no rule allows is dropped.  It acts on interfaces (instances), not on subnets, and
it is *stateful*: when a request is allowed in one direction, its reply is let back
automatically whatever the other direction's rules say (awskit's reachability analysis
relies on exactly this).  A rule's peer is a CIDR block or another security group, which
matches any interface that carries that group.

Limits follow what AWS documents today: 60 inbound and 60 outbound rules per group and 5
groups per network interface (the seed text predates these quotas).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any

from .vpc._common import (
    PROTOCOL_NAMES,
    Resource,
    check_group_text,
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
    from .vpc.network import Vpc
    from .vpc.service import VPCService

__all__ = ["RULES_PER_DIRECTION", "Direction", "SecurityGroup", "SecurityGroupOps", "SecurityGroupRule"]

#: AWS's default quota: inbound and outbound rules are counted separately.
RULES_PER_DIRECTION = 60


class Direction(StrEnum):
    INGRESS = "ingress"
    EGRESS = "egress"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class SecurityGroupRule:
    """One allow rule.  ``ip_protocol`` is ``'tcp'``, ``'udp'``, ``'icmp'``, ``'-1'`` (all) or
    a protocol number; for ICMP, ``from_port``/``to_port`` are the ICMP type/code; -1 means all.
    Exactly one of ``cidr_ip`` and ``source_group`` is set."""

    id: str
    group: SecurityGroup
    egress: bool
    ip_protocol: str
    from_port: int
    to_port: int
    cidr_ip: IPv4Network | None = None
    source_group: SecurityGroup | None = None
    description: str | None = None

    @property
    def direction(self) -> Direction:
        return Direction.EGRESS if self.egress else Direction.INGRESS

    @property
    def arn(self) -> str:
        g = self.group
        return f"arn:aws:ec2:{g.region}:{g.owner_id}:security-group-rule/{self.id}"

    def _key(self) -> tuple:
        return (self.egress, self.ip_protocol, self.from_port, self.to_port, self.cidr_ip,
                self.source_group.id if self.source_group else None)

    def matches(self, protocol: str, port: int | None, peer_ip: IPv4Address | None,
                peer_groups: set[str]) -> bool:
        if self.ip_protocol != "-1":
            if self.ip_protocol != protocol:
                return False
            if protocol in ("tcp", "udp") and (port is None or not self.from_port <= port <= self.to_port):
                return False
            if protocol == "icmp" and self.from_port != -1 and port != self.from_port:
                return False
        if self.cidr_ip is not None:
            return peer_ip is not None and peer_ip in self.cidr_ip
        return self.source_group.id in peer_groups

    def __repr__(self) -> str:
        proto = "all" if self.ip_protocol == "-1" else self.ip_protocol
        ports = "" if self.ip_protocol == "-1" or self.from_port == -1 else (
            f", port={self.from_port}" if self.from_port == self.to_port else f", ports={self.from_port}-{self.to_port}")
        peer = f"'{self.cidr_ip}'" if self.cidr_ip is not None else f"group={self.source_group.id!r}"
        return f"SecurityGroupRule({self.id!r}, {self.direction}, {proto}{ports}, {peer})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class SecurityGroup(Resource):
    """A stateful, allow-only firewall for network interfaces in one VPC.

    >>> from awskit import Cloud
    >>> svc = Cloud(seed=1).vpc
    >>> web = svc.create_security_group(svc.default_vpc, "web", "web servers")
    >>> rule = svc.authorize_security_group_ingress(web, ip_protocol="tcp", from_port=443, to_port=443,
    ...                                             cidr_ip="0.0.0.0/0")
    >>> web.allows("ingress", port=443, protocol="tcp", peer_ip="198.51.100.7") is rule
    True
    >>> web.allows("ingress", port=22, protocol="tcp", peer_ip="198.51.100.7") is None
    True
    """

    _ARN_KIND = "security-group"

    vpc: Vpc
    group_name: str
    description: str
    ingress: list[SecurityGroupRule] = field(default_factory=list)
    egress: list[SecurityGroupRule] = field(default_factory=list)

    @property
    def is_default(self) -> bool:
        return self.vpc.default_security_group is self

    @property
    def rules(self) -> list[SecurityGroupRule]:
        return [*self.ingress, *self.egress]

    @property
    def network_interfaces(self) -> list:
        """Interfaces of the VPC that carry this group."""
        return [e for e in self.vpc.network_interfaces if self in e.security_groups]

    def allows(self, direction_: str, *, port: int | None, protocol: str | int = "tcp",
               peer_ip: str | IPv4Address | None = None,
               peer_groups: Iterable[SecurityGroup | str] = ()) -> SecurityGroupRule | None:
        """The first rule allowing this traffic, or None (denied).

        Args:
            direction_: ``"ingress"`` (the peer is the source) or ``"egress"`` (the destination).
            port: destination port (TCP/UDP) or ICMP type.
            peer_ip: the other end's address, matched against CIDR rules.
            peer_groups: the groups on the other end's interface, matched against group rules.

        Only the direction a connection is *opened* in needs a rule: replies are allowed
        automatically because security groups are stateful.
        """
        egress = direction(direction_)
        proto = PROTOCOL_NAMES.get(protocol_number(protocol), protocol_number(protocol))
        ip = parse_ip(peer_ip) if peer_ip is not None else None
        groups = {g.id if isinstance(g, SecurityGroup) else g for g in peer_groups}
        for rule in (self.egress if egress else self.ingress):
            if rule.matches(proto, port, ip, groups):
                return rule
        return None

    def __repr__(self) -> str:
        return (f"SecurityGroup({self.id!r}, group_name={self.group_name!r}, vpc={self.vpc.id!r}, "
                f"ingress={len(self.ingress)}, egress={len(self.egress)})")


class SecurityGroupOps:
    """Security group actions of :class:`~awskit.vpc.VPCService` (``cloud.vpc.create_security_group``)."""

    @property
    def security_groups(self: VPCService) -> list[SecurityGroup]:
        return list(self._security_groups.values())

    def get_security_group(self: VPCService, sg: str | SecurityGroup) -> SecurityGroup:
        """Raises: InvalidGroupId.Malformed, InvalidGroup.NotFound."""
        return self._get("sg", sg)

    def security_group_by_name(self: VPCService, vpc: str | Vpc | None, group_name: str) -> SecurityGroup:
        """The group called ``group_name`` in ``vpc`` (default: the default VPC).

        Raises: InvalidGroup.NotFound listing the names that exist there.
        """
        vpc = self._vpc_or_default(vpc)
        for sg in vpc._security_groups.values():
            if sg.group_name == group_name:
                return sg
        fail("InvalidGroup.NotFound",
             f"The security group {group_name!r} does not exist in VPC '{vpc.id}'. Groups there: "
             f"{listing(g.group_name for g in vpc._security_groups.values())}.")

    def _vpc_or_default(self: VPCService, vpc: Any) -> Vpc:
        if vpc is not None:
            return self._get("vpc", vpc)
        default = self.default_vpc
        if default is None:
            fail("VPCIdNotSpecified", f"No default VPC in {self.region_name}: name the VPC.")
        return default

    def create_security_group(self: VPCService, vpc: str | Vpc | None, group_name: str, description: str, *,
                              tags: dict[str, str] | None = None) -> SecurityGroup:
        """Create a group that allows all outbound traffic and no inbound traffic.

        Args:
            vpc: the VPC (or id); None means the Region's default VPC.
            group_name: unique in the VPC, 1-255 characters, not ``default``, not ``sg-...``.
            description: 1-255 characters.

        Raises: InvalidGroup.Duplicate, InvalidGroup.Reserved, InvalidParameterValue.
        """
        vpc = self._vpc_or_default(vpc)
        check_group_text(group_name, "name")
        check_group_text(description, "description")
        if group_name.lower().startswith("sg-"):
            fail("InvalidParameterValue",
                 f"Invalid security group name {group_name!r}: names may not start with 'sg-', which is "
                 "how group ids look.")
        if group_name == "default":
            fail("InvalidGroup.Reserved",
                 f"The security group name 'default' is reserved: {vpc.id} already has its default group "
                 f"{vpc.default_security_group.id}.")
        for sg in vpc._security_groups.values():
            if sg.group_name == group_name:
                fail("InvalidGroup.Duplicate",
                     f"The security group {group_name!r} already exists for VPC '{vpc.id}' ({sg.id}).")
        return self._new_security_group(vpc, group_name, description, tags=check_tags(tags))

    def _new_security_group(self: VPCService, vpc: Vpc, name: str, description: str, *,
                            default: bool = False, tags: dict[str, str] | None = None) -> SecurityGroup:
        sg = SecurityGroup(id=self.cloud.ids.new("sg"), owner_id=self.cloud.account_id, region=self.region_name,
                           tags=tags or {}, vpc=vpc, group_name=name, description=description)
        self._security_groups[sg.id] = vpc._security_groups[sg.id] = sg
        if default:  # the default group lets its own members talk to each other
            sg.ingress.append(self._new_rule(sg, False, "-1", -1, -1, None, sg, None))
        sg.egress.append(self._new_rule(sg, True, "-1", -1, -1, IPv4Network("0.0.0.0/0"), None, None))
        self._publish("vpc.security_group.created", sg, vpc_id=vpc.id)
        return sg

    def _new_rule(self: VPCService, sg: SecurityGroup, egress: bool, proto: str, lo: int, hi: int,
                  cidr: IPv4Network | None, source: SecurityGroup | None, description: str | None) -> SecurityGroupRule:
        return SecurityGroupRule(id=self.cloud.ids.new("sgr"), group=sg, egress=egress, ip_protocol=proto,
                                 from_port=lo, to_port=hi, cidr_ip=cidr, source_group=source,
                                 description=description)

    def _rule_spec(self: VPCService, sg: SecurityGroup, egress: bool, ip_protocol: Any, from_port: Any,
                   to_port: Any, cidr_ip: Any, source_group: Any) -> tuple:
        number = protocol_number(ip_protocol)
        proto = PROTOCOL_NAMES.get(number, number)
        if proto in ("tcp", "udp"):
            if from_port is None or to_port is None:
                fail("InvalidParameterValue",
                     f"Invalid value for portRange: give both from_port and to_port with {proto.upper()} "
                     "(the same number for a single port, e.g. 443 and 443).")
            lo, hi = check_port(from_port, "from_port"), check_port(to_port, "to_port")
            if lo > hi:
                fail("InvalidParameterValue",
                     f"Invalid {proto.upper()} port range {lo}-{hi}: from_port must not exceed to_port.")
        elif proto == "icmp":
            lo = -1 if from_port is None else from_port
            hi = -1 if to_port is None else to_port
            for v, what in ((lo, "ICMP type (from_port)"), (hi, "ICMP code (to_port)")):
                if isinstance(v, bool) or not isinstance(v, int) or not -1 <= v <= 255:
                    fail("InvalidParameterValue", f"Invalid {what} {v!r}: use -1 (all) or 0-255.")
            if lo == -1 and hi != -1:
                fail("InvalidParameterValue",
                     "Invalid ICMP code: when every ICMP type is allowed (from_port=-1), to_port must be -1 too.")
        else:  # all protocols, or a protocol without ports: every port is allowed
            lo = hi = -1
        if (cidr_ip is None) == (source_group is None):
            fail("InvalidParameterCombination" if cidr_ip is not None else "MissingParameter",
                 "A security group rule needs exactly one peer: cidr_ip='203.0.113.0/24' or "
                 "source_group=<group or id>.")
        cidr = parse_cidr(cidr_ip, "cidrIp") if cidr_ip is not None else None
        source = None
        if source_group is not None:
            source = self._get("sg", source_group)
            if source.vpc is not sg.vpc:
                fail("InvalidGroup.NotFound",
                     f"You have specified two resources that belong to different networks: {source.id} is in "
                     f"{source.vpc.id}, {sg.id} in {sg.vpc.id}.")
        return proto, lo, hi, cidr, source

    def _authorize(self: VPCService, egress: bool, sg: Any, ip_protocol: Any, from_port: Any, to_port: Any,
                   cidr_ip: Any, source_group: Any, description: Any) -> SecurityGroupRule:
        sg = self._get("sg", sg)
        spec = self._rule_spec(sg, egress, ip_protocol, from_port, to_port, cidr_ip, source_group)
        if description is not None and (not isinstance(description, str) or len(description) > 255):
            fail("InvalidParameterValue", f"A rule description is a string of at most 255 characters, not {description!r}.")
        rule = self._new_rule(sg, egress, *spec, description)
        rules = sg.egress if egress else sg.ingress
        for existing in rules:
            if existing._key() == rule._key():
                fail("InvalidPermission.Duplicate",
                     f"The specified rule already exists in {sg.id}: {existing!r}.")
        if len(rules) >= RULES_PER_DIRECTION:
            fail("RulesPerSecurityGroupLimitExceeded",
                 f"{sg.id} already has {RULES_PER_DIRECTION} {'outbound' if egress else 'inbound'} rules, the "
                 "maximum. Merge rules (wider port ranges or CIDRs) or use another group.")
        rules.append(rule)
        self._publish("vpc.security_group.rule_added", sg, vpc_id=sg.vpc.id, rule_id=rule.id, egress=egress)
        return rule

    def authorize_security_group_ingress(self: VPCService, sg: str | SecurityGroup, *, ip_protocol: str | int,
                                         from_port: int | None = None, to_port: int | None = None,
                                         cidr_ip: str | None = None, source_group: Any = None,
                                         description: str | None = None) -> SecurityGroupRule:
        """Allow inbound traffic from a CIDR block or from interfaces carrying ``source_group``.

        Raises:
            InvalidPermission.Duplicate: the same rule exists.
            RulesPerSecurityGroupLimitExceeded: already 60 inbound rules.
            InvalidGroup.NotFound: source group missing or in another VPC.
            InvalidParameterValue: bad protocol, ports (0-65535, from <= to) or CIDR.
        """
        return self._authorize(False, sg, ip_protocol, from_port, to_port, cidr_ip, source_group, description)

    def authorize_security_group_egress(self: VPCService, sg: str | SecurityGroup, *, ip_protocol: str | int,
                                        from_port: int | None = None, to_port: int | None = None,
                                        cidr_ip: str | None = None, source_group: Any = None,
                                        description: str | None = None) -> SecurityGroupRule:
        """Allow outbound traffic; same arguments and errors as the ingress version."""
        return self._authorize(True, sg, ip_protocol, from_port, to_port, cidr_ip, source_group, description)

    def authorize_security_group_rules(self: VPCService, sg: str | SecurityGroup, direction_: str,
                                       permissions: Iterable[dict[str, Any]]) -> list[SecurityGroupRule]:
        """Add several rules in one go, all or nothing, as one AuthorizeSecurityGroupIngress call does.

        Args:
            direction_: ``"ingress"`` or ``"egress"``.
            permissions: dicts of the keyword arguments of
                :meth:`authorize_security_group_ingress` (``ip_protocol``, ``from_port``,
                ``to_port``, ``cidr_ip`` or ``source_group``, ``description``).

        Raises: the codes of the one-rule version; when any rule fails, none is added.

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> web = svc.create_security_group(None, "web", "web servers")
        >>> svc.authorize_security_group_rules(web, "ingress", [
        ...     {"ip_protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_ip": "0.0.0.0/0"},
        ...     {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ip": "0.0.0.0/0"}])
        [SecurityGroupRule('sgr-...', ingress, tcp, port=80, '0.0.0.0/0'), SecurityGroupRule('sgr-...', ingress, tcp, port=443, '0.0.0.0/0')]
        """
        egress = direction(direction_)
        sg = self._get("sg", sg)
        rules = sg.egress if egress else sg.ingress
        taken = {r._key(): r for r in rules}
        specs: list[tuple] = []
        for perm in _permission_list(permissions):
            spec = self._rule_spec(sg, egress, perm.get("ip_protocol"), perm.get("from_port"), perm.get("to_port"),
                                   perm.get("cidr_ip"), perm.get("source_group"))
            description = perm.get("description")
            if description is not None and (not isinstance(description, str) or len(description) > 255):
                fail("InvalidParameterValue",
                     f"A rule description is a string of at most 255 characters, not {description!r}.")
            key = (egress, *spec[:4], spec[4].id if spec[4] else None)
            if key in taken:
                fail("InvalidPermission.Duplicate",
                     f"The specified rule already exists in {sg.id}"
                     + (f": {taken[key]!r}." if taken[key] is not None else " (given twice in this call)."))
            taken[key] = None
            specs.append((*spec, description))
        if len(rules) + len(specs) > RULES_PER_DIRECTION:
            fail("RulesPerSecurityGroupLimitExceeded",
                 f"{sg.id} has {len(rules)} {'outbound' if egress else 'inbound'} rules; adding {len(specs)} "
                 f"would pass the limit of {RULES_PER_DIRECTION}.")
        added = [self._new_rule(sg, egress, *spec) for spec in specs]
        rules.extend(added)
        for rule in added:
            self._publish("vpc.security_group.rule_added", sg, vpc_id=sg.vpc.id, rule_id=rule.id, egress=egress)
        return added

    def revoke_security_group_rules(self: VPCService, sg: str | SecurityGroup, direction_: str,
                                    permissions: Iterable[dict[str, Any]] = (),
                                    rule_ids: Iterable[str] = ()) -> list[SecurityGroupRule]:
        """Remove several rules in one go, all or nothing, named by their fields or ``sgr-`` ids.

        Raises: InvalidPermission.NotFound for a rule described by fields that does not exist,
        InvalidSecurityGroupRuleId.NotFound for an unknown rule id; nothing is removed then.
        """
        egress = direction(direction_)
        sg = self._get("sg", sg)
        rules = sg.egress if egress else sg.ingress
        by_key = {r._key(): r for r in rules}
        by_id = {r.id: r for r in rules}
        chosen: dict[str, SecurityGroupRule] = {}
        for perm in _permission_list(permissions):
            spec = self._rule_spec(sg, egress, perm.get("ip_protocol"), perm.get("from_port"), perm.get("to_port"),
                                   perm.get("cidr_ip"), perm.get("source_group"))
            rule = by_key.get((egress, *spec[:4], spec[4].id if spec[4] else None))
            if rule is None:
                fail("InvalidPermission.NotFound",
                     f"The specified rule does not exist in {sg.id}. Its {'outbound' if egress else 'inbound'} "
                     f"rules: {listing(rules)}.")
            chosen[rule.id] = rule
        for rule_id in ([rule_ids] if isinstance(rule_ids, str) else rule_ids):
            if rule_id not in by_id:
                fail("InvalidSecurityGroupRuleId.NotFound",
                     f"The security group rule ID '{rule_id}' does not exist in the "
                     f"{'outbound' if egress else 'inbound'} rules of {sg.id}: {listing(by_id)}.")
            chosen[rule_id] = by_id[rule_id]
        if not chosen:
            fail("MissingParameter", "Name the rules to revoke: by their fields or by their sgr- ids.")
        rules[:] = [r for r in rules if r.id not in chosen]
        for rule in chosen.values():
            self._publish("vpc.security_group.rule_removed", sg, vpc_id=sg.vpc.id, rule_id=rule.id, egress=egress)
        return list(chosen.values())

    def _revoke(self: VPCService, egress: bool, sg: Any, ip_protocol: Any, from_port: Any, to_port: Any,
                cidr_ip: Any, source_group: Any, security_group_rule_id: Any) -> None:
        sg = self._get("sg", sg)
        rules = sg.egress if egress else sg.ingress
        if security_group_rule_id is not None:
            index = next((i for i, r in enumerate(rules) if r.id == security_group_rule_id), None)
        else:
            spec = self._rule_spec(sg, egress, ip_protocol, from_port, to_port, cidr_ip, source_group)
            key = (egress, spec[0], spec[1], spec[2], spec[3], spec[4].id if spec[4] else None)
            index = next((i for i, r in enumerate(rules) if r._key() == key), None)
        if index is None:
            fail("InvalidPermission.NotFound",
                 f"The specified rule does not exist in {sg.id}. Its {'outbound' if egress else 'inbound'} rules: "
                 f"{listing(rules)}.")
        rule = rules.pop(index)
        self._publish("vpc.security_group.rule_removed", sg, vpc_id=sg.vpc.id, rule_id=rule.id, egress=egress)

    def revoke_security_group_ingress(self: VPCService, sg: str | SecurityGroup, *, ip_protocol: Any = None,
                                      from_port: int | None = None, to_port: int | None = None,
                                      cidr_ip: str | None = None, source_group: Any = None,
                                      security_group_rule_id: str | None = None) -> None:
        """Remove an inbound rule, named by its fields or its ``sgr-`` id.

        Raises: InvalidPermission.NotFound.
        """
        self._revoke(False, sg, ip_protocol, from_port, to_port, cidr_ip, source_group, security_group_rule_id)

    def revoke_security_group_egress(self: VPCService, sg: str | SecurityGroup, *, ip_protocol: Any = None,
                                     from_port: int | None = None, to_port: int | None = None,
                                     cidr_ip: str | None = None, source_group: Any = None,
                                     security_group_rule_id: str | None = None) -> None:
        """Remove an outbound rule. Raises: InvalidPermission.NotFound."""
        self._revoke(True, sg, ip_protocol, from_port, to_port, cidr_ip, source_group, security_group_rule_id)

    def delete_security_group(self: VPCService, sg: str | SecurityGroup) -> None:
        """Raises: CannotDelete for a VPC's default group; DependencyViolation while an interface
        carries it or another group's rule refers to it."""
        sg = self._get("sg", sg)
        if sg.is_default:
            fail("CannotDelete",
                 f"the specified group: \"{sg.id}\" name: \"default\" cannot be deleted by a user; it goes "
                 "with its VPC.")
        users = [e.id for e in sg.network_interfaces]
        refs = [other.id for other in self._security_groups.values() if other is not sg
                and any(r.source_group is sg for r in other.rules)]
        if users or refs:
            fail("DependencyViolation",
                 f"resource {sg.id} has a dependent object: "
                 + "; ".join(p for p in (f"interfaces {listing(users)}" if users else "",
                                        f"rules of groups {listing(refs)}" if refs else "") if p) + ".")
        del self._security_groups[sg.id]
        del sg.vpc._security_groups[sg.id]
        self._publish("vpc.security_group.deleted", sg, vpc_id=sg.vpc.id)


_PERMISSION_KEYS = {"ip_protocol", "from_port", "to_port", "cidr_ip", "source_group", "description"}


def _permission_list(permissions: Any) -> list[dict[str, Any]]:
    if isinstance(permissions, dict) or not isinstance(permissions, Iterable) or isinstance(permissions, str):
        fail("InvalidParameterValue", f"Rules are a list of dicts such as [{{'ip_protocol': 'tcp', "
                                      f"'from_port': 443, 'to_port': 443, 'cidr_ip': '0.0.0.0/0'}}], not {permissions!r}.")
    out = list(permissions)
    for perm in out:
        if not isinstance(perm, dict) or set(perm) - _PERMISSION_KEYS:
            fail("InvalidParameterValue",
                 f"A rule is a dict with keys from {sorted(_PERMISSION_KEYS)}, not {perm!r}.")
    return out
