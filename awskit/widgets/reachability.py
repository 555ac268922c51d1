"""Chapters 2-3 widget: can this reach that?  Reachability analysis with dropdowns.

Pick a source and a destination (the internet, a sample address such as an administrator's
network, or any network interface of the VPC), a port and a protocol: the explorer runs
:func:`awskit.reachability.analyze` and shows the verdict, every hop that was checked (the
blocking one highlighted) and a one-line hint saying what to change.  It re-analyses when an
input changes and when the network changes (``vpc.*`` and ``az.*`` events), so adding a
security group rule in another cell turns the verdict green at once.
"""

from __future__ import annotations

import html
from ipaddress import IPv4Address
from typing import Any

import ipywidgets as widgets

from ..core.errors import AWSError, InvalidParameter
from ..reachability import (
    EPHEMERAL_PORT,
    EXPLANATIONS,
    INTERNET_CLIENT,
    ReachabilityResult,
    analyze,
)
from ._base import Dashboard
from .vpc_diagram import _resolve_vpc

__all__ = ["SAMPLE_ADDRESSES", "ReachabilityExplorer", "fix_hint"]

#: Fixed endpoints outside the VPC: dropdown value -> (label, the CIDR a hint suggests for it).
#: Addresses come from the blocks reserved for documentation (RFC 5737).
SAMPLE_ADDRESSES: dict[str, tuple[str, str]] = {
    "internet": (f"the internet (anyone, e.g. {INTERNET_CLIENT})", "0.0.0.0/0"),
    "203.0.113.10": ("admin network 203.0.113.0/24 (203.0.113.10)", "203.0.113.0/24"),
    "192.0.2.44": ("a partner's server 192.0.2.44", "192.0.2.44/32"),
}
QUICK_PORTS = (22, 80, 443, 3306)


def _peer_cidr(value: str, peer: IPv4Address | None) -> str:
    if value in SAMPLE_ADDRESSES:
        return SAMPLE_ADDRESSES[value][1]
    return f"{peer}/32" if peer is not None else "0.0.0.0/0"


def fix_hint(cloud, result: ReachabilityResult, source: Any = None, destination: Any = None) -> str:
    """One line saying what to change so that ``result`` becomes reachable ('' if it is).

    Args:
        cloud: the Cloud the analysis ran on (to look up interfaces and gateways).
        result: a :class:`~awskit.reachability.ReachabilityResult`.
        source, destination: what was analysed (dropdown values: 'internet', an address or an
            ``eni-`` id), used to suggest the peer of a missing rule.
    """
    hop = result.blocked_at
    if hop is None:
        return ""
    code, proto = hop.explanation_code, result.protocol
    net = cloud.vpc
    src = _interface(net, source)
    dst = _interface(net, destination)
    if code == "ENI_SG_RULES_MISMATCH":
        inbound = hop.direction == "inbound"
        eni, peer_eni, peer_value = (dst, src, source) if inbound else (src, dst, destination)
        group = eni.security_groups[0] if eni is not None and eni.security_groups else None
        target = f"{group.id} ({group.group_name})" if group is not None else hop.id
        if peer_eni is not None and eni is not None and peer_eni.vpc is eni.vpc and peer_eni.security_groups:
            peer_group = peer_eni.security_groups[0]
            peer = f"the security group {peer_group.id} ({peer_group.group_name})"
        else:
            peer = _peer_cidr(peer_value, hop.peer)
        if inbound:
            return f"Add an inbound rule to {target} allowing {proto}/{hop.port} from {peer}."
        return f"Add an outbound rule to {target} allowing {proto}/{hop.port} to {peer}."
    if code == "SUBNET_ACL_RESTRICTION":
        entry = hop.rule
        wire = "inbound" if hop.direction.endswith("inbound") else "outbound"
        reply = hop.port == EPHEMERAL_PORT and hop.direction.startswith("return")
        ports = "1024-65535 (the ephemeral ports replies go to)" if reply else str(hop.port)
        way = "from" if wire == "inbound" else "to"
        if entry is not None and not entry.is_default:
            return (f"Rule {entry.rule_number} of {hop.id} denies {proto}/{hop.port} {wire} {way} {hop.peer}: "
                    f"add an {wire} allow rule for {proto} {ports} with a number lower than "
                    f"{entry.rule_number} (rules are read lowest first), or change rule {entry.rule_number}.")
        return (f"No rule of {hop.id} allows {proto}/{hop.port} {wire} {way} {hop.peer}, so the final * rule "
                f"denies it: add an {wire} allow rule for {proto} {ports} {way} {hop.peer if reply else 'the peer'}"
                f" (network ACLs are stateless: replies need their own rule).")
    if code in ("NO_ROUTE_TO_DESTINATION", "BAD_STATE_ROUTE"):
        vpc = (src or dst).vpc if (src or dst) is not None else None
        igw = vpc.internet_gateway if vpc is not None else None
        if igw is None:
            return (f"{vpc.id if vpc else 'The VPC'} has no internet gateway: create one, attach it, then add "
                    f"a route 0.0.0.0/0 -> igw-... to {hop.id}.")
        if code == "BAD_STATE_ROUTE":
            return f"The route in {hop.id} points at a gateway that is gone: replace it with 0.0.0.0/0 -> {igw.id}."
        return f"Add a route 0.0.0.0/0 -> {igw.id} to {hop.id} (that is what makes a subnet public)."
    if code == "NO_INTERNET_GATEWAY":
        vpc = (src or dst).vpc if (src or dst) is not None else None
        where = vpc.id if vpc is not None else "the VPC"
        return (f"Create an internet gateway, attach it to {where}, and add a route 0.0.0.0/0 -> igw-... "
                "to the subnet's route table.")
    if code in ("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "IGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS"):
        eni = dst if code.endswith("INGRESS") else src
        eni_id = eni.id if eni is not None else hop.id
        public = eni is not None and eni.subnet.is_public
        extra = "" if public else ", and place it in a public subnet (route 0.0.0.0/0 -> the internet gateway)"
        return f"Associate a public IP with {eni_id} (cloud.vpc.associate_public_ip){extra}."
    if code == "BAD_STATE":
        return ("That interface's Availability Zone is down: restore it (cloud.restore_az) or run a copy in "
                "another AZ - that is why designs span two AZs.")
    return EXPLANATIONS.get(code, "")


def _interface(net, value: Any):
    """The network interface an endpoint value names, else None (the internet, an address)."""
    from ..vpc import NetworkInterface

    if isinstance(value, NetworkInterface):
        return value
    if isinstance(value, str) and value.startswith("eni-"):
        try:
            return net.get_network_interface(value)
        except AWSError:
            return None
    return None


class ReachabilityExplorer(Dashboard):
    """Dropdowns for two endpoints, a port and a protocol; the verdict, the hops and a hint.

    Args:
        cloud: the awskit Cloud.
        vpc: offer the interfaces of this VPC (object or id); default: every interface in the
            cloud's default Region.

    Read the outcome from ``result`` (the last ReachabilityResult, None after an invalid
    choice), ``hint`` (what to change) and the ``verdict`` / ``table`` HTML widgets.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> eni = cloud.vpc.create_network_interface(cloud.vpc.default_vpc.subnets[0], tags={"Name": "web"})
    >>> explorer = ReachabilityExplorer(cloud)
    >>> explorer.source.value, explorer.destination.value = "internet", eni.id
    >>> explorer.result.explanation_code
    'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS'
    >>> explorer.close()
    """

    topics = ("vpc.*", "az.*")

    def __init__(self, cloud, vpc: Any = None) -> None:
        super().__init__(cloud)
        self._ready = False  # events published while the view is built (the Region's network) are ignored
        try:
            self.vpc = None if vpc is None else _resolve_vpc(cloud, vpc)
        except Exception:
            self.close()  # stop listening: a half-built view must not receive events
            raise
        self.result: ReachabilityResult | None = None
        self.hint = ""
        self.analysis_count = 0
        self._quiet = False
        wide = widgets.Layout(width="420px")
        self.source = widgets.Dropdown(description="Source", layout=wide)
        self.destination = widgets.Dropdown(description="Destination", layout=wide)
        self.port = widgets.BoundedIntText(value=80, min=0, max=65535, description="Port",
                                           layout=widgets.Layout(width="180px"))
        self.quick = {p: widgets.Button(description=str(p), layout=widgets.Layout(width="60px"),
                                        tooltip=f"port {p}") for p in QUICK_PORTS}
        self.protocol = widgets.Dropdown(options=["tcp", "udp", "icmp"], value="tcp", description="Protocol",
                                         layout=widgets.Layout(width="200px"))
        self.analyze_button = widgets.Button(description="Analyze", button_style="primary", icon="search")
        self.verdict = widgets.HTML()
        self.verdict.add_class("awskit-verdict")  # a stable handle for the browser test
        self.table = widgets.HTML()
        self.hint_line = widgets.HTML()
        self._fill_choices()
        endpoints = self.destination.options
        if len(endpoints) > len(SAMPLE_ADDRESSES):  # start on the first interface, from the internet
            self.destination.value = endpoints[len(SAMPLE_ADDRESSES)][1]
        self.root = widgets.VBox([
            widgets.HTML("<b>Reachability explorer</b>: could a packet get from the source to the destination?"),
            self.source, self.destination,
            widgets.HBox([self.port, *self.quick.values()]),
            widgets.HBox([self.protocol, self.analyze_button]),
            self.verdict, self.table, self.hint_line, self.status, self.output])
        for p, button in self.quick.items():
            button.on_click(self.guard(lambda _b, p=p: setattr(self.port, "value", p)))
        self.analyze_button.on_click(self.guard(lambda _b: self.analyze()))
        self._guarded_analyze = self.guard(self.analyze)
        for control in (self.source, self.destination, self.port, self.protocol):
            control.observe(self.guard(self._on_input), names="value")
        self._ready = True
        self._guarded_analyze()

    # -- choices -------------------------------------------------------------------------
    def _interfaces(self) -> list:
        if self.vpc is not None:
            return self.vpc.network_interfaces
        return self.cloud.vpc.network_interfaces

    @staticmethod
    def _label(eni) -> str:
        subnet = eni.subnet.name or eni.subnet.id
        public = f", public {eni.public_ip}" if eni.public_ip else ""
        return f"{eni.name or eni.id} · {subnet} · {eni.private_ip_address}{public}"

    def choices(self) -> list[tuple[str, str]]:
        """(label, value) pairs offered as endpoints: the sample addresses, then every interface."""
        return [(label, value) for value, (label, _) in SAMPLE_ADDRESSES.items()] + [
            (self._label(e), e.id) for e in self._interfaces()]

    def _fill_choices(self) -> None:
        options = self.choices()
        values = {v for _, v in options}
        self._quiet = True
        try:
            for dropdown, fallback in ((self.source, "internet"), (self.destination, None)):
                keep = dropdown.value
                dropdown.options = options
                if keep in values:
                    dropdown.value = keep
                elif fallback is not None:
                    dropdown.value = fallback
                else:
                    dropdown.value = options[len(SAMPLE_ADDRESSES)][1] if len(options) > len(SAMPLE_ADDRESSES) \
                        else options[0][1]
        finally:
            self._quiet = False

    # -- reacting --------------------------------------------------------------------------
    def _on_input(self, change: dict) -> None:
        if not self._quiet:
            self.analyze()  # already inside guard (observer)

    def on_event(self, message) -> None:
        if not self._ready:
            return
        if message.topic == "vpc.vpc.deleted" and self.vpc is not None and message.data.get("id") == self.vpc.id:
            self.vpc = None
        if message.topic.startswith(("vpc.network_interface.", "vpc.tags.", "vpc.subnet.", "vpc.vpc.")):
            self._fill_choices()
        self.analyze()

    def analyze(self) -> ReachabilityResult | None:
        """Run the analysis for the current inputs and show it; returns the result.

        Raises: InvalidParameterValue for a pair that cannot be analysed (the same interface
        twice, two endpoints outside any VPC, an ICMP type above 255); the view then says so
        and ``result`` is None.  Widget handlers call it through ``guard``, which shows the
        error instead of raising.
        """
        self.analysis_count += 1
        source, destination = self.source.value, self.destination.value
        try:
            port = self.port.value
            if self.protocol.value == "icmp" and port > 255:
                raise InvalidParameter("InvalidParameterValue",
                                       f"For ICMP the port field holds the ICMP type (0-255, 8 = echo request), "
                                       f"not {port}.")
            result = analyze(self.cloud, source, destination, port, self.protocol.value)
        except AWSError as err:
            self.result, self.hint = None, ""
            self.verdict.value = (f"<div style='padding:6px;background:#fff8e1;border-left:4px solid #f9a825'>"
                                  f"Cannot analyse this pair: {html.escape(err.message)}</div>")
            self.table.value = self.hint_line.value = ""
            raise  # the handlers' guard shows it in the status line and keeps it in last_error
        self.result = result
        self.hint = fix_hint(self.cloud, result, source, destination)
        self.last_error = None
        self.status.value = ""
        self.verdict.value = self._verdict_html(result)
        self.table.value = self._table_html(result)
        self.hint_line.value = (f"<div style='padding:4px'><b>What to change:</b> {html.escape(self.hint)}</div>"
                                if self.hint else "")
        return result

    # -- views -------------------------------------------------------------------------------
    @staticmethod
    def _verdict_html(result: ReachabilityResult) -> str:
        what = f"{html.escape(result.source)} &rarr; {html.escape(result.destination)} {result.protocol}/{result.port}"
        if result.reachable:
            return (f"<div style='padding:6px;background:#e6f4ea;border-left:6px solid #1a7f37'>"
                    f"<b style='color:#1a7f37'>REACHABLE</b> {what}</div>")
        code = result.explanation_code
        return (f"<div style='padding:6px;background:#ffebe9;border-left:6px solid #cf222e'>"
                f"<b style='color:#cf222e'>NOT REACHABLE</b> {what} &mdash; <code>{code}</code>: "
                f"{html.escape(EXPLANATIONS.get(code, ''))}</div>")

    @staticmethod
    def _table_html(result: ReachabilityResult) -> str:
        blocked = result.blocked_at
        rows = []
        for i, hop in enumerate(result.hops, 1):
            style = "background:#ffebe9;font-weight:bold" if hop is blocked else ""
            mark = "<span style='color:#1a7f37'>&#10003;</span>" if hop.allowed else \
                "<span style='color:#cf222e'>&#10007;</span>"
            rows.append(f"<tr style='{style}'><td>{i}</td><td>{mark}</td><td>{html.escape(hop.component)}</td>"
                        f"<td><code>{html.escape(hop.id)}</code></td><td>{html.escape(hop.direction)}</td>"
                        f"<td>{html.escape(hop.detail)}</td></tr>")
        return ("<table style='border-collapse:collapse;font-size:12px'><thead><tr><th>#</th><th></th>"
                "<th>component</th><th>id</th><th>direction</th><th>decision</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def __repr__(self) -> str:
        return f"ReachabilityExplorer({self.result!r})"

