"""Can A reach B?  A path analysis over the model, in the manner of VPC Reachability Analyzer.

AWS's Reachability Analyzer reads a network's *configuration* (route tables, gateways,
network ACLs, security groups) and says whether a packet could get from a source to a
destination, hop by hop, and if not which component blocks it, with an explanation code.
awskit does the same over the simulated model.  Nothing is sent: it is reasoning, which is
why it is exact and instant.

Two facts do most of the teaching here:

* **Security groups are stateful**: if a request is allowed in, its reply is allowed out,
  whatever the outbound rules say.
* **Network ACLs are stateless**: the reply is a new packet to the client's *ephemeral*
  port, so the subnet's ACL must allow it explicitly in the other direction.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> vpc = cloud.vpc.default_vpc
>>> eni = cloud.vpc.create_network_interface(vpc.subnets[0])
>>> _ = cloud.vpc.associate_public_ip(eni)
>>> cloud.reachability("internet", eni, port=80).reachable
False
>>> _ = cloud.vpc.authorize_security_group_ingress(eni.security_groups[0], ip_protocol="tcp",
...     from_port=80, to_port=80, cidr_ip="0.0.0.0/0")
>>> result = cloud.reachability("internet", eni, port=80)
>>> result.reachable, [hop.component for hop in result.hops][:3]
(True, ['internet-gateway', 'network-acl', 'security-group'])

Simplifications, written down: IPv4 only; one representative client port (49152) stands
for the client's ephemeral range when checking stateless return traffic; NAT gateways,
peering and transit gateways are not modelled, so two VPCs talk only through the internet
(public addresses on both sides).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import Any

from .cloud import REGIONAL_SERVICES
from .core.errors import DependencyViolation, InvalidParameter, NotFound

__all__ = ["analyze", "ReachabilityResult", "Hop", "ReachabilityService", "NetworkInsightsPath",
           "NetworkInsightsAnalysis", "EXPLANATIONS", "EPHEMERAL_PORT", "INTERNET_CLIENT"]

#: The client port a reply is sent to.  Linux picks 32768-60999, Windows 49152-65535 and
#: load balancers 1024-65535; 49152 lies in all three, so it stands for "an ephemeral port".
EPHEMERAL_PORT = 49152
#: The address awskit uses for "someone on the internet" (TEST-NET-2, reserved for examples).
INTERNET_CLIENT = IPv4Address("198.51.100.7")

#: Explanation codes, named as AWS's Reachability Analyzer names them.
EXPLANATIONS = {
    "ENI_SG_RULES_MISMATCH": "The security groups on this network interface have no rule that allows the traffic.",
    "SUBNET_ACL_RESTRICTION": "The subnet's network ACL does not allow the traffic.",
    "NO_ROUTE_TO_DESTINATION": "The route table has no route that sends the traffic toward its destination.",
    "BAD_STATE_ROUTE": "The matching route is a blackhole: its target is gone or detached.",
    "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS": (
        "Traffic from the internet needs a public IPv4 address on the destination interface."),
    "IGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS": (
        "Traffic to the internet needs a public IPv4 address on the source interface (or a NAT gateway)."),
    "NO_INTERNET_GATEWAY": "The VPC has no internet gateway attached, so it has no path to or from the internet.",
    "BAD_STATE": "This component is not working: its Availability Zone is down.",
}

_PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp"}


@dataclass(slots=True)
class Hop:
    """One component on the path and what it decided."""

    component: str          # "security-group", "network-acl", "route-table", "internet-gateway", ...
    id: str
    direction: str          # "outbound", "inbound", "return outbound", "return inbound", "-"
    allowed: bool
    detail: str
    explanation_code: str | None = None
    #: for security-group and network-acl hops, what was checked, so a view can say what to
    #: change: the deciding rule (an ACL entry, or the allowing SG rule; None when no SG rule
    #: matched), the other end's address and the port of the packet (the ephemeral port for replies)
    rule: Any = field(default=None, repr=False, compare=False)
    peer: IPv4Address | None = None
    port: int | None = None

    def __repr__(self) -> str:
        mark = "ok" if self.allowed else "BLOCKED"
        return f"Hop({self.component} {self.id} {self.direction}: {mark} - {self.detail})"


@dataclass(slots=True)
class ReachabilityResult:
    """The verdict: ``reachable``, the ``hops`` checked in order, and the blocking hop if any."""

    source: str
    destination: str
    port: int
    protocol: str
    hops: list[Hop] = field(default_factory=list)

    @property
    def blocked_at(self) -> Hop | None:
        return next((h for h in self.hops if not h.allowed), None)

    @property
    def reachable(self) -> bool:
        return self.blocked_at is None

    @property
    def explanation_code(self) -> str | None:
        hop = self.blocked_at
        return hop.explanation_code if hop else None

    def explain(self) -> str:
        """A few lines a student can read: the verdict, then each hop."""
        verdict = "REACHABLE" if self.reachable else f"NOT REACHABLE ({self.explanation_code})"
        lines = [f"{self.source} -> {self.destination} {self.protocol}/{self.port}: {verdict}"]
        for hop in self.hops:
            lines.append(f"  {'✓' if hop.allowed else '✗'} {hop.component} {hop.id} [{hop.direction}] {hop.detail}")
        if not self.reachable:
            lines.append(f"  why: {EXPLANATIONS.get(self.explanation_code, '')}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        verdict = "reachable" if self.reachable else f"blocked at {self.blocked_at.component} {self.blocked_at.id}"
        return (f"ReachabilityResult({self.source!r} -> {self.destination!r}, {self.protocol}/{self.port}: "
                f"{verdict})")

    def _repr_html_(self) -> str:
        import html

        colour = "#1a7f37" if self.reachable else "#cf222e"
        head = (f"<b style='color:{colour}'>{'Reachable' if self.reachable else 'Not reachable'}</b> "
                f"{html.escape(self.source)} &rarr; {html.escape(self.destination)} "
                f"{self.protocol}/{self.port}")
        if not self.reachable:
            head += f" &mdash; <code>{self.explanation_code}</code>"
        rows = "".join(
            f"<tr style='background:{'' if h.allowed else '#ffebe9'}'><td>{'✓' if h.allowed else '✗'}</td>"
            f"<td>{html.escape(h.component)}</td><td><code>{html.escape(h.id)}</code></td>"
            f"<td>{html.escape(h.direction)}</td><td>{html.escape(h.detail)}</td></tr>"
            for h in self.hops)
        return (f"<div>{head}<table><tr><th></th><th>component</th><th>id</th><th>direction</th>"
                f"<th>decision</th></tr>{rows}</table></div>")


# -- endpoints ---------------------------------------------------------------------

@dataclass(slots=True)
class _End:
    label: str
    eni: Any = None                  # a NetworkInterface inside a VPC, or None for the internet
    ip: IPv4Address | None = None    # the address the packet carries


def _resolve(cloud, value: Any, role: str) -> _End:
    from .vpc import NetworkInterface

    if isinstance(value, NetworkInterface):
        return _End(value.id, value, value.private_ip_address)
    for attr in ("primary_network_interface", "network_interface"):
        eni = getattr(value, attr, None)
        if isinstance(eni, NetworkInterface):
            return _End(getattr(value, "id", eni.id), eni, eni.private_ip_address)
    if isinstance(value, str):
        if value == "internet":
            return _End("internet", None, INTERNET_CLIENT)
        if value.startswith("eni-"):
            eni = cloud.vpc.get_network_interface(value)
            return _End(eni.id, eni, eni.private_ip_address)
        if value.startswith("i-") and "ec2" in REGIONAL_SERVICES:
            instance = cloud.ec2.get_instance(value)  # raises InvalidInstanceID.* when unknown
            return _resolve(cloud, instance, role)
        try:
            ip = ipaddress.ip_address(value)
        except ValueError:
            pass
        else:
            if not isinstance(ip, IPv4Address):
                raise InvalidParameter("InvalidParameterValue", "awskit's reachability analysis is IPv4 only.")
            eni = cloud.vpc.interface_for_ip(ip)
            if eni is not None and (eni.private_ip_address == ip):
                return _End(eni.id, eni, ip)
            if eni is not None and eni.public_ip == ip:
                return _End(f"{eni.id} ({ip})", eni, eni.private_ip_address)
            inside = [v.id for v in cloud.vpc.vpcs if ip in v.cidr_block]
            if inside:
                raise InvalidParameter(
                    "InvalidParameterValue",
                    f"No network interface in {inside[0]} has the address {ip}. "
                    "Use an interface, an instance, a public address or 'internet'.")
            return _End(str(ip), None, ip)
    raise InvalidParameter(
        "InvalidParameterValue",
        f"The {role} {value!r} is not something the analysis understands. Give 'internet', an IPv4 "
        "address, a network interface (or its eni- id) or an instance.")


# -- the analysis ----------------------------------------------------------------------

def analyze(cloud, source: Any, destination: Any, port: int, protocol: str = "tcp") -> ReachabilityResult:
    """Analyse the path from ``source`` to ``destination`` for ``protocol``/``port``.

    Args:
        source, destination: ``"internet"``, an IPv4 address, a network interface or an
            instance (or their ids).
        port: the destination port (0-65535); for ICMP, the ICMP type.
        protocol: ``"tcp"``, ``"udp"`` or ``"icmp"``.

    Returns:
        a :class:`ReachabilityResult`; ``.explain()`` prints the hops.

    Raises:
        InvalidParameterValue: an endpoint, port or protocol that makes no sense.
    """
    proto = _PROTOCOLS.get(str(protocol).lower())
    if proto is None:
        raise InvalidParameter("InvalidParameterValue",
                               f"Protocol {protocol!r} is not one of tcp, udp, icmp.")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise InvalidParameter("InvalidParameterValue", f"Port {port!r} must be a whole number from 0 to 65535.")
    src, dst = _resolve(cloud, source, "source"), _resolve(cloud, destination, "destination")
    if src.eni is None and dst.eni is None:
        raise InvalidParameter("InvalidParameterValue",
                               "At least one end of the path must be inside a VPC (an interface or instance).")
    if src.eni is not None and src.eni is dst.eni:
        raise InvalidParameter("InvalidParameterValue", "Source and destination are the same interface.")
    result = ReachabilityResult(src.label, dst.label, port, proto)
    _Path(cloud, result, proto, port).run(src, dst)
    return result


class _Path:
    def __init__(self, cloud, result: ReachabilityResult, proto: str, port: int) -> None:
        self.cloud, self.result, self.proto, self.port = cloud, result, proto, port

    def hop(self, *args, **kwargs) -> bool:
        hop = Hop(*args, **kwargs)
        self.result.hops.append(hop)
        return hop.allowed

    # each check returns False when it blocked, so run() can stop at the first block
    def az_up(self, eni) -> bool:
        az = eni.subnet.availability_zone.name
        if az in self.cloud.failed_azs:
            return self.hop("network-interface", eni.id, "-", False,
                            f"its Availability Zone {az} is down", "BAD_STATE")
        return True

    def sg(self, eni, direction: str, peer_ip: IPv4Address, peer_eni=None) -> bool:
        groups = peer_eni.security_groups if peer_eni is not None else ()
        wire = "ingress" if direction == "inbound" else "egress"
        for group in eni.security_groups:
            rule = group.allows(wire, port=self.port, protocol=self.proto, peer_ip=peer_ip, peer_groups=groups)
            if rule is not None:
                return self.hop("security-group", group.id, direction, True, f"{group.group_name}: allowed by {rule}",
                                rule=rule, peer=peer_ip, port=self.port)
        names = ", ".join(g.group_name for g in eni.security_groups) or "no groups"
        where = "from" if direction == "inbound" else "to"
        return self.hop("security-group", ",".join(g.id for g in eni.security_groups) or "-", direction, False,
                        f"{names}: no {wire} rule allows {self.proto}/{self.port} {where} {peer_ip}",
                        "ENI_SG_RULES_MISMATCH", peer=peer_ip, port=self.port)

    def sg_reply(self, eni, direction: str) -> bool:
        return self.hop("security-group", ",".join(g.id for g in eni.security_groups), direction, True,
                        "reply allowed automatically: security groups are stateful")

    def acl(self, eni, direction: str, peer_ip: IPv4Address, port: int, reply: bool = False) -> bool:
        acl = eni.subnet.network_acl
        wire = "ingress" if direction.endswith("inbound") else "egress"
        entry, allowed = acl.evaluate(wire, peer_ip, port, self.proto)
        what = f"{self.proto}/{port} {'from' if wire == 'ingress' else 'to'} {peer_ip}"
        rule = "rule *" if entry.rule_number == 32767 else f"rule {entry.rule_number}"
        note = " (the reply goes to the client's ephemeral port: ACLs are stateless)" if reply else ""
        return self.hop("network-acl", acl.id, direction, allowed,
                        f"{rule} {'allows' if allowed else 'denies'} {what}{note}",
                        None if allowed else "SUBNET_ACL_RESTRICTION", rule=entry, peer=peer_ip, port=port)

    def route(self, eni, dest_ip: IPv4Address, want: str, direction: str) -> bool:
        rt = eni.subnet.route_table
        route = rt.lookup(dest_ip)
        if route is None:
            return self.hop("route-table", rt.id, direction, False, f"no route matches {dest_ip}",
                            "NO_ROUTE_TO_DESTINATION")
        if str(route.state) == "blackhole":
            return self.hop("route-table", rt.id, direction, False,
                            f"{route.destination_cidr_block} -> {route.target_id} is a blackhole", "BAD_STATE_ROUTE")
        target = route.target
        kind = "local" if target == "local" else ("igw" if route.gateway is not None else "eni")
        if want == "igw" and kind != "igw":
            return self.hop("route-table", rt.id, direction, False,
                            f"{dest_ip} matches {route.destination_cidr_block} -> {route.target_id}, "
                            "not an internet gateway", "NO_ROUTE_TO_DESTINATION")
        return self.hop("route-table", rt.id, direction, True,
                        f"{dest_ip} matches {route.destination_cidr_block} -> {route.target_id}")

    def igw(self, vpc, direction: str) -> bool:
        gws = [g for g in vpc.service.internet_gateways if g.vpc is vpc]
        if not gws:
            return self.hop("internet-gateway", "-", direction, False,
                            f"{vpc.id} has no internet gateway attached", "NO_INTERNET_GATEWAY")
        return self.hop("internet-gateway", gws[0].id, direction, True, f"attached to {vpc.id}")

    # the three shapes of path
    def run(self, src: _End, dst: _End) -> None:
        if src.eni is None:
            self.from_internet(src.ip, dst.eni)
        elif dst.eni is None:
            self.to_internet(src.eni, dst.ip)
        elif src.eni.vpc is dst.eni.vpc:
            self.inside_vpc(src.eni, dst.eni)
        else:
            # Different VPCs: without peering, the only way is out of one and in through the other.
            if dst.eni.public_ip is None:
                self.hop("network-interface", dst.eni.id, "-", False,
                         f"{dst.eni.id} is in another VPC and has no public address (no peering is modelled)",
                         "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")
                return
            if self.to_internet(src.eni, dst.eni.public_ip, replies=False):
                client = src.eni.public_ip or INTERNET_CLIENT
                self.from_internet(client, dst.eni)

    def from_internet(self, client: IPv4Address, eni) -> bool:
        vpc = eni.vpc
        ok = self.az_up(eni) and self.igw(vpc, "inbound")
        if ok and eni.public_ip is None:
            ok = self.hop("network-interface", eni.id, "inbound", False,
                          "has no public IPv4 address, so the internet gateway has nothing to translate to",
                          "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")
        return (ok
                and self.acl(eni, "inbound", client, self.port)
                and self.sg(eni, "inbound", client)
                and self.sg_reply(eni, "return outbound")
                and self.acl(eni, "return outbound", client, EPHEMERAL_PORT, reply=True)
                and self.route(eni, client, "igw", "return outbound"))

    def to_internet(self, eni, server: IPv4Address, replies: bool = True) -> bool:
        ok = (self.az_up(eni)
              and self.sg(eni, "outbound", server)
              and self.acl(eni, "outbound", server, self.port)
              and self.route(eni, server, "igw", "outbound")
              and self.igw(eni.vpc, "outbound"))
        if ok and eni.public_ip is None:
            ok = self.hop("network-interface", eni.id, "outbound", False,
                          "has no public IPv4 address to leave the VPC with", "IGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS")
        if ok and replies:
            ok = (self.acl(eni, "return inbound", server, EPHEMERAL_PORT, reply=True)
                  and self.sg_reply(eni, "return inbound"))
        return ok

    def inside_vpc(self, a, b) -> bool:
        # Network ACLs guard a subnet's edge: traffic between two interfaces of the same
        # subnet never crosses it, so no ACL is evaluated.
        crosses = a.subnet is not b.subnet
        ok = (self.az_up(a) and self.az_up(b)
              and self.sg(a, "outbound", b.private_ip_address, b)
              and (not crosses or self.acl(a, "outbound", b.private_ip_address, self.port))
              and self.route(a, b.private_ip_address, "local", "outbound")
              and (not crosses or self.acl(b, "inbound", a.private_ip_address, self.port))
              and self.sg(b, "inbound", a.private_ip_address, a)
              and self.sg_reply(b, "return outbound"))
        if ok and crosses:
            ok = (self.acl(b, "return outbound", a.private_ip_address, EPHEMERAL_PORT, reply=True)
                  and self.acl(a, "return inbound", b.private_ip_address, EPHEMERAL_PORT, reply=True))
        return ok


# -- Reachability Analyzer as a service: saved paths and their analyses -------------------

@dataclass(slots=True, kw_only=True)
class NetworkInsightsPath:
    """A saved question: from ``source`` to ``destination`` on ``protocol``/``port``."""

    id: str
    arn: str
    source: str
    destination: str | None
    source_ip: str | None
    destination_ip: str | None
    protocol: str
    port: int | None
    created: float
    tags: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        dst = self.destination or self.destination_ip
        return f"NetworkInsightsPath({self.id!r}, {self.source!r} -> {dst!r}, {self.protocol}/{self.port})"


@dataclass(slots=True, kw_only=True)
class NetworkInsightsAnalysis:
    """One run of a path's analysis, frozen at the time it ran (later changes do not alter it)."""

    id: str
    arn: str
    path: NetworkInsightsPath
    started: float
    result: ReachabilityResult

    def __repr__(self) -> str:
        return f"NetworkInsightsAnalysis({self.id!r}, path={self.path.id!r}, found={self.result.reachable})"


class ReachabilityService:
    """``cloud.reachability_analyzer``: saved paths (``nip-``) and analyses (``nia-``) per Region.

    The analysis itself is :func:`analyze`; this service keeps the records the EC2 API's
    CreateNetworkInsightsPath / StartNetworkInsightsAnalysis calls work with.
    """

    def __init__(self, cloud, region) -> None:
        self.cloud, self.region = cloud, region
        self._paths: dict[str, NetworkInsightsPath] = {}
        self._analyses: dict[str, NetworkInsightsAnalysis] = {}

    @property
    def paths(self) -> list[NetworkInsightsPath]:
        return list(self._paths.values())

    @property
    def analyses(self) -> list[NetworkInsightsAnalysis]:
        return list(self._analyses.values())

    def _endpoint(self, resource: str | None, ip: str | None, role: str) -> Any:
        # An internet gateway as an end means "the internet" (optionally a given address).
        if resource is None or resource.startswith("igw-"):
            if resource is not None:
                self.region.vpc.get_internet_gateway(resource)
            return ip or ("internet" if resource else None)
        return resource

    def create_network_insights_path(self, *, source: str, destination: str | None = None,
                                     source_ip: str | None = None, destination_ip: str | None = None,
                                     protocol: str = "tcp", destination_port: int | None = None,
                                     tags: dict[str, str] | None = None) -> NetworkInsightsPath:
        """Save a path; its ends are checked now, its reachability when an analysis runs."""
        if protocol not in ("tcp", "udp"):
            raise InvalidParameter("InvalidParameterValue", f"Protocol must be tcp or udp, not {protocol!r}.")
        if destination is None and destination_ip is None:
            raise InvalidParameter("MissingParameter", "Give a Destination resource or a DestinationIp.")
        for end, ip in ((source, source_ip), (destination, destination_ip)):
            resolved = self._endpoint(end, ip, "end")
            if resolved not in (None, "internet"):
                _resolve(self.cloud, resolved, "end")
        pid = self.cloud.ids.new("nip")
        path = NetworkInsightsPath(
            id=pid, arn=self.cloud.arn("ec2", f"network-insights-path/{pid}", self.region.name),
            source=source, destination=destination, source_ip=source_ip, destination_ip=destination_ip,
            protocol=protocol, port=destination_port, created=self.cloud.clock.now, tags=dict(tags or {}))
        self._paths[pid] = path
        return path

    def get_path(self, path_id: str) -> NetworkInsightsPath:
        try:
            return self._paths[path_id]
        except (KeyError, TypeError):
            known = ", ".join(self._paths) or "none"
            raise NotFound("InvalidNetworkInsightsPathId.NotFound",
                           f"The network insights path {path_id!r} does not exist. Paths: {known}.") from None

    def get_analysis(self, analysis_id: str) -> NetworkInsightsAnalysis:
        try:
            return self._analyses[analysis_id]
        except (KeyError, TypeError):
            raise NotFound("InvalidNetworkInsightsAnalysisId.NotFound",
                           f"The network insights analysis {analysis_id!r} does not exist.") from None

    def start_network_insights_analysis(self, path: str | NetworkInsightsPath) -> NetworkInsightsAnalysis:
        """Run the analysis of a saved path against the network as it is now."""
        path = path if isinstance(path, NetworkInsightsPath) else self.get_path(path)
        src = self._endpoint(path.source, path.source_ip, "source")
        dst = self._endpoint(path.destination, path.destination_ip, "destination")
        result = analyze(self.cloud, src, dst, path.port if path.port is not None else 0, path.protocol)
        aid = self.cloud.ids.new("nia")
        analysis = NetworkInsightsAnalysis(
            id=aid, arn=self.cloud.arn("ec2", f"network-insights-analysis/{aid}", self.region.name),
            path=path, started=self.cloud.clock.now, result=result)
        self._analyses[aid] = analysis
        return analysis

    def delete_network_insights_path(self, path_id: str) -> None:
        path = self.get_path(path_id)
        if any(a.path is path for a in self._analyses.values()):
            raise DependencyViolation("DependencyViolation",
                                      f"Path {path_id} still has analyses: delete them first.")
        del self._paths[path_id]

    def delete_network_insights_analysis(self, analysis_id: str) -> None:
        self.get_analysis(analysis_id)
        del self._analyses[analysis_id]
