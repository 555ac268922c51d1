"""Application Load Balancers: listeners, rules, conditions and actions (layer 7).

An Application Load Balancer reads each HTTP request.  A *listener* (protocol and port)
holds *rules* evaluated in priority order (lowest number first, the default rule last);
the first rule whose *conditions* all match (path, host, header, query string, method,
source address) runs its *action*: forward to a target group (or to several, by weight),
redirect, or answer with a fixed response.  Then the balancer picks one target of the group
(round robin, or least outstanding requests) and passes the request on.

``cloud.elb.send(lb, request)`` returns a :class:`RoutingResult`: the response and the
whole decision trail (listener, every rule tried and why it matched or not, the group and
weight draw, the target and why), which is what the router widget draws.

Documented behaviour awskit follows: when no target of a group is healthy, the balancer
*fails open* and routes to all registered targets; with no registered target the answer is
503; a target that refuses the connection gives 502, one that does not answer gives 504.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..http import Request, Response
from ._common import ElbResource, check_name, check_tags, fail, listing
from .dns import HOSTED_ZONES, LoadBalancerNode, _ElbAttachment
from .listeners import Listener
from .rules import Action, Condition, Rule, _header, render_redirect, wildcard

if TYPE_CHECKING:
    from .service import ELBService
    from .targets import TargetGroup

__all__ = [
    "Action",
    "Condition",
    "Listener",
    "LoadBalancer",
    "LoadBalancerState",
    "RoutingResult",
    "Rule",
    "RuleEvaluation",
    "wildcard",
]

#: seconds from create_load_balancer to ``active`` (simplification; AWS takes a few minutes)
PROVISIONING_SECONDS = 120


class LoadBalancerState(StrEnum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    ACTIVE_IMPAIRED = "active_impaired"
    FAILED = "failed"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class LoadBalancer(ElbResource):
    """An Application (or Network) Load Balancer.  Build it with ``cloud.elb.create_load_balancer``."""

    service: ELBService = field(repr=False)
    name: str
    type: str = "application"
    scheme: str = "internet-facing"
    vpc: Any = None
    subnets: list[Any] = field(default_factory=list)
    security_groups: list[Any] = field(default_factory=list)
    state: LoadBalancerState = LoadBalancerState.PROVISIONING
    dns_name: str = ""
    created_at: float = 0.0
    nodes: list[LoadBalancerNode] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    ip_address_type: str = "ipv4"
    _meter: Any = None
    _timer: Any = None
    _node_rr: int = 0

    @property
    def kind(self) -> str:
        return self.type

    @property
    def is_active(self) -> bool:
        return self.state is LoadBalancerState.ACTIVE

    @property
    def zone_names(self) -> list[str]:
        return [s.availability_zone.name for s in self.subnets]

    @property
    def cross_zone(self) -> bool:
        """Cross-zone load balancing: always on for ALB (per target group it can be turned off),
        off by default for NLB."""
        return self.attributes.get("load_balancing.cross_zone.enabled", "true") == "true"

    @property
    def canonical_hosted_zone_id(self) -> str:
        return HOSTED_ZONES[self.type]

    @property
    def metric_id(self) -> str:
        """The ``LoadBalancer`` dimension CloudWatch uses: ``app/<name>/<id>``."""
        return f"{'app' if self.type == 'application' else 'net'}/{self.name}/{self.id}"

    def listener(self, port: int) -> Listener | None:
        return next((lst for lst in self.listeners if lst.port == port), None)

    def target_groups_in_use(self) -> list[TargetGroup]:
        out: list[TargetGroup] = []
        for lst in self.listeners:
            for rule in lst.ordered_rules():
                for action in rule.actions:
                    for tg, _ in action.target_groups:
                        if tg not in out:
                            out.append(tg)
        return out

    def __repr__(self) -> str:
        return (f"LoadBalancer({self.name!r}, type={self.type!r}, scheme={self.scheme!r}, "
                f"state={self.state.value!r}, zones={self.zone_names})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{lst.protocol}:{lst.port}</td><td>{html.escape(r.__repr__())}</td></tr>"
                       for lst in self.listeners[:10] for r in lst.ordered_rules()[:20])
        return (f"<div><b>{html.escape(self.name)}</b> ({self.type}, {self.scheme}, {self.state.value})<br>"
                f"<code>{self.dns_name}</code><br>zones: {', '.join(self.zone_names)}"
                f"<table><tr><th>listener</th><th>rule</th></tr>{rows}</table></div>")


# -- the routing trail ------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class RuleEvaluation:
    """One rule tried: did it match, and each condition with what the request had."""

    rule: Rule
    matched: bool
    conditions: list[tuple[str, Any, bool]] = field(default_factory=list)

    def __repr__(self) -> str:
        where = "default" if self.rule.is_default else f"priority {self.rule.priority}"
        parts = "; ".join(f"{d} (request: {a!r}) -> {'match' if ok else 'no match'}" for d, a, ok in self.conditions)
        return f"RuleEvaluation({where}: {'MATCHED' if self.matched else 'skipped'}{': ' + parts if parts else ''})"


@dataclass(slots=True, kw_only=True)
class RoutingResult:
    """What happened to one request: the response and every decision on the way."""

    load_balancer: Any
    request: Request
    response: Response = field(default_factory=Response)
    listener: Listener | None = None
    node: LoadBalancerNode | None = None
    evaluations: list[RuleEvaluation] = field(default_factory=list)
    rule: Rule | None = None
    action: Action | None = None
    target_group: Any = None
    weight_draw: float | None = None
    target: Any = None
    selection: str = ""
    source: str = "elb"           # "elb" (the balancer answered) or "target"
    steps: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.response.status

    def explain(self) -> str:
        """The decision trail as numbered lines."""
        return "\n".join(f"{i}. {s}" for i, s in enumerate(self.steps, 1))

    def __repr__(self) -> str:
        tgt = f", target={self.target.id!r}" if self.target is not None else ""
        rule = ""
        if self.rule is not None:
            rule = ", rule='default'" if self.rule.is_default else f", rule={self.rule.priority}"
        return f"RoutingResult({self.status}{rule}{tgt}, source={self.source!r})"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.steps[:40])
        return f"<div><b>{self.status} {self.response.reason}</b><ol>{items}</ol></div>"


def _lb_attributes(kind: str) -> dict[str, str]:
    common = {"deletion_protection.enabled": "false", "access_logs.s3.enabled": "false",
              "access_logs.s3.bucket": "", "access_logs.s3.prefix": ""}
    if kind == "application":
        return {**common, "idle_timeout.timeout_seconds": "60", "routing.http2.enabled": "true",
                "routing.http.drop_invalid_header_fields.enabled": "false",
                "load_balancing.cross_zone.enabled": "true"}
    return {**common, "load_balancing.cross_zone.enabled": "false"}


_LB_ATTRIBUTE_CHECKS = {
    "deletion_protection.enabled": lambda v: v in ("true", "false"),
    "access_logs.s3.enabled": lambda v: v in ("true", "false"),
    "access_logs.s3.bucket": lambda v: True,
    "access_logs.s3.prefix": lambda v: True,
    "idle_timeout.timeout_seconds": lambda v: v.isdigit() and 1 <= int(v) <= 4000,
    "routing.http2.enabled": lambda v: v in ("true", "false"),
    "routing.http.drop_invalid_header_fields.enabled": lambda v: v in ("true", "false"),
    "load_balancing.cross_zone.enabled": lambda v: v in ("true", "false"),
}


class _ApplicationOps:
    """Load balancer actions and request routing of :class:`~awskit.elb.ELBService` (ALB and NLB).

    Listener and rule actions are in :class:`~awskit.elb.listeners._ListenerOps`.
    """

    # -- load balancers ----------------------------------------------------------------------
    @property
    def load_balancers(self: ELBService) -> list[LoadBalancer]:
        return list(self._load_balancers.values())

    def get_load_balancer(self: ELBService, lb: Any) -> LoadBalancer:
        """An ALB/NLB by object, ARN or name.  Raises: LoadBalancerNotFound."""
        if isinstance(lb, LoadBalancer):
            if self._load_balancers.get(lb.arn) is lb:
                return lb
            fail("LoadBalancerNotFound", f"Load balancer {lb.name!r} was deleted.")
        if isinstance(lb, str):
            found = self._load_balancers.get(lb) or self._lb_by_name.get(lb)
            if found is not None:
                return found
        fail("LoadBalancerNotFound", f"One or more load balancers not found: {lb!r}. Load balancers here: "
                                     f"{listing(self._lb_by_name)}.")

    def create_load_balancer(self: ELBService, name: str, *, subnets: Any, security_groups: Any = None,
                             scheme: str = "internet-facing", type: str = "application",
                             tags: dict[str, str] | None = None) -> LoadBalancer:
        """Create an Application (``type="application"``) or Network Load Balancer.

        It starts ``provisioning`` and turns ``active`` two simulated minutes later.  It gets a
        node per subnet (one subnet per Availability Zone, at least two zones), each with a
        network interface in that subnet.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> lb = cloud.elb.create_load_balancer("web", subnets=cloud.vpc.default_vpc.subnets[:2])
        >>> lb.state.value, lb.dns_name.endswith(".us-east-1.elb.amazonaws.com")
        ('provisioning', True)
        >>> cloud.clock.advance(minutes=2); lb.state.value
        'active'

        Raises: ValidationError (name; fewer than two AZs), InvalidConfigurationRequest (two
        subnets in one AZ; subnets of several VPCs), DuplicateLoadBalancerName, SubnetNotFound,
        InvalidSecurityGroup, InvalidSubnet (internet-facing in a VPC without internet gateway).
        """
        check_name(name)
        if type not in ("application", "network"):
            fail("ValidationError", f"Load balancer type {type!r} is not modelled: use 'application' or 'network' "
                                    "(classic load balancers: create_classic_load_balancer).")
        if scheme not in ("internet-facing", "internal"):
            fail("ValidationError", f"Scheme {scheme!r} must be 'internet-facing' or 'internal'.")
        tags = check_tags(tags)
        subs = self._subnets_arg(subnets, need_two=(type == "application"))
        existing = self._lb_by_name.get(name)
        if existing is not None and (existing.type, existing.scheme, existing.subnets) == (type, scheme, subs):
            return existing  # AWS: creating again with the same settings succeeds and returns it
        if existing is not None or name in self._classic:
            fail("DuplicateLoadBalancerName", f"A load balancer named {name!r} already exists in {self.region.name} "
                                              "with other settings.")
        vpc = subs[0].vpc
        groups = self._groups_arg(vpc, security_groups, required=False)
        if type == "application" and not groups:
            groups = [vpc.default_security_group]
        if scheme == "internet-facing" and vpc.internet_gateway is None:
            fail("InvalidSubnet", f"VPC {vpc.id} has no internet gateway: an internet-facing load balancer needs "
                                  "one. Attach an internet gateway or use scheme='internal'.")
        lb_id = self.cloud.ids.hex(16)
        prefix = "app" if type == "application" else "net"
        arn = self.cloud.arn("elasticloadbalancing", f"loadbalancer/{prefix}/{name}/{lb_id}", self.region.name)
        internal = "internal-" if scheme == "internal" else ""
        if type == "application":
            dns = f"{internal}{name}-{self.cloud.rng.randrange(10**8, 10**10)}.{self.region.name}.elb.amazonaws.com"
        else:
            dns = f"{internal}{name}-{lb_id}.elb.{self.region.name}.amazonaws.com"
        lb = LoadBalancer(id=lb_id, arn=arn, owner_id=self.cloud.account_id, region=self.region.name, tags=tags,
                          service=self, name=name, type=type, scheme=scheme, vpc=vpc, subnets=subs,
                          security_groups=groups, dns_name=dns, created_at=self.cloud.clock.now,
                          attributes=_lb_attributes(type))
        lb.nodes = [self._make_node(lb, s) for s in subs]
        self._load_balancers[arn] = lb
        self._lb_by_name[name] = lb
        lb._timer = self.cloud.clock.schedule(PROVISIONING_SECONDS, lambda: self._activate(lb),
                                              name=f"provision {name}")
        self._start_lb_billing(lb)
        self._ensure_metrics()
        self.cloud.events.publish("elb.load_balancer.created", arn=arn, name=name, type=type, region=self.region.name)
        return lb

    def _activate(self: ELBService, lb: Any) -> None:
        if lb.state.value == "provisioning":
            lb.state = LoadBalancerState.ACTIVE
            self.cloud.events.publish("elb.load_balancer.state", name=lb.name, state="active",
                                      region=self.region.name)

    def _subnets_arg(self: ELBService, subnets: Any, *, need_two: bool) -> list[Any]:
        if isinstance(subnets, (str,)) or not isinstance(subnets, (list, tuple)):
            subnets = [subnets]
        out = []
        for s in subnets:
            try:
                out.append(self.region.vpc.get_subnet(s))
            except LookupError:
                fail("SubnetNotFound", f"The specified subnet does not exist: {getattr(s, 'id', s)!r}.")
        if not out:
            fail("ValidationError", "Give at least one subnet.")
        if len({s.vpc.id for s in out}) > 1:
            fail("InvalidConfigurationRequest", f"The subnets belong to different VPCs "
                                                f"({listing(sorted({s.vpc.id for s in out}))}); use one VPC.")
        zones = [s.availability_zone.name for s in out]
        if len(set(zones)) != len(zones):
            fail("InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same "
                                                f"Availability Zone (zones given: {', '.join(zones)}).")
        if need_two and len(zones) < 2:
            fail("ValidationError", "At least two subnets in two different Availability Zones must be specified "
                                    f"(given: {', '.join(zones)}).")
        return out

    def _groups_arg(self: ELBService, vpc: Any, groups: Any, *, required: bool) -> list[Any]:
        if groups is None:
            return []
        if isinstance(groups, str) or not isinstance(groups, (list, tuple)):
            groups = [groups]
        out = []
        for g in groups:
            try:
                sg = self.region.vpc._get("sg", g)
            except (LookupError, ValueError):
                fail("InvalidSecurityGroup", f"Security group {getattr(g, 'id', g)!r} does not exist.")
            if sg.vpc is not vpc:
                fail("InvalidSecurityGroup", f"Security group {sg.id} is in {sg.vpc.id}, not in the load balancer's "
                                             f"VPC {vpc.id}.")
            out.append(sg)
        if len(out) > 5:
            fail("ValidationError", f"At most 5 security groups, not {len(out)}.")
        return out

    def _make_node(self: ELBService, lb: Any, subnet: Any) -> LoadBalancerNode:
        net = self.region.vpc
        groups = lb.security_groups or None
        eni = net.create_network_interface(subnet, groups=groups, description=f"ELB {getattr(lb, 'metric_id', lb.name)}")
        if lb.scheme == "internet-facing":
            net.associate_public_ip(eni)
        eni.attachment = _ElbAttachment(lb.name)
        return LoadBalancerNode(load_balancer=lb, availability_zone=subnet.availability_zone.name, subnet=subnet,
                                eni=eni, internet_facing=lb.scheme == "internet-facing",
                                allocation_id=self.cloud.ids.new("eipalloc") if lb.kind == "network" else None)

    def _drop_nodes(self: ELBService, lb: Any) -> None:
        for node in lb.nodes:
            node.eni.attachment = None
            try:
                self.region.vpc.delete_network_interface(node.eni)
            except LookupError:
                pass
        lb.nodes = []

    def delete_load_balancer(self: ELBService, lb: Any) -> None:
        """Delete a load balancer with its listeners and rules; its target groups stay.

        Raises: LoadBalancerNotFound, OperationNotPermitted (deletion protection on).
        """
        lb = self.get_load_balancer(lb)
        if lb.attributes.get("deletion_protection.enabled") == "true":
            fail("OperationNotPermitted", f"Load balancer {lb.name!r} has deletion protection enabled; set "
                                          "deletion_protection.enabled to false first.")
        groups = lb.target_groups_in_use()
        if lb._timer is not None:
            lb._timer.cancel()
        lb.listeners = []
        self._drop_nodes(lb)
        del self._load_balancers[lb.arn]
        del self._lb_by_name[lb.name]
        self.cloud.bill.stop_meter(lb._meter)
        for tg in groups:
            self._refresh_usage(tg)
        self.cloud.events.publish("elb.load_balancer.deleted", arn=lb.arn, name=lb.name, region=self.region.name)

    def modify_load_balancer_attributes(self: ELBService, lb: Any, attributes: dict[str, str]) -> dict[str, str]:
        """Set attributes such as ``deletion_protection.enabled`` or (NLB) ``load_balancing.cross_zone.enabled``."""
        lb = self.get_load_balancer(lb)
        if not isinstance(attributes, dict):
            fail("ValidationError", f"Attributes are a dict of strings, not {attributes!r}.")
        norm = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in attributes.items()}
        for key, value in norm.items():
            if key not in lb.attributes or key not in _LB_ATTRIBUTE_CHECKS:
                fail("ValidationError", f"Load balancer attribute key {key!r} is not recognized for a {lb.type} "
                                        f"load balancer. Keys: {', '.join(sorted(lb.attributes))}.")
            if not _LB_ATTRIBUTE_CHECKS[key](value):
                fail("ValidationError", f"Attribute {key!r} cannot be {value!r}.")
            if key == "load_balancing.cross_zone.enabled" and lb.type == "application" and value != "true":
                fail("InvalidConfigurationRequest", "Cross-zone load balancing is always on for an Application Load "
                                                    "Balancer; turn it off per target group instead.")
        lb.attributes.update(norm)
        return dict(lb.attributes)

    # -- routing ----------------------------------------------------------------------------------
    def _send_application(self: ELBService, lb: LoadBalancer, request: Request, port: int | None,
                          az: str | None) -> RoutingResult:
        res = RoutingResult(load_balancer=lb, request=request)
        steps = res.steps
        lst = self._pick_listener(lb, port, res)
        if lst is None:
            return res
        node = self._pick_node(lb, az, res)
        if node is None:
            return res
        proto = lst.protocol
        for rule in lst.ordered_rules():
            checks = []
            ok = True
            for cond in rule.conditions:
                hit = cond.matches(request)
                checks.append((cond.describe(), cond.actual(request), hit))
                if not hit:
                    ok = False
                    break
            ev = RuleEvaluation(rule=rule, matched=ok, conditions=checks)
            res.evaluations.append(ev)
            if rule.is_default:
                steps.append("No rule matched before the default rule: the default rule applies.")
            else:
                steps.append(f"Rule priority {rule.priority}: " + "; ".join(
                    f"{d} (request has {a!r}): {'match' if h else 'no match'}" for d, a, h in checks)
                    + (" -> MATCH" if ok else " -> next rule"))
            if ok:
                res.rule = rule
                break
        rule = res.rule
        action = rule.action
        res.action = action
        self._count_rule_evals(lb, len(res.evaluations))
        if action.type == "fixed-response":
            cfg = action.fixed_response
            res.response = Response(int(cfg["StatusCode"]), headers={"Content-Type": cfg["ContentType"]},
                                    body=cfg["MessageBody"])
            steps.append(f"Action fixed-response: the load balancer answers {cfg['StatusCode']} itself.")
            self._record(lb, None, res.response.status, "elb-fixed")
            return res
        if action.type == "redirect":
            res.response = render_redirect(action, request, proto, lst.port)
            steps.append(f"Action redirect: {res.response.status} to {res.response.headers['Location']}.")
            self._record(lb, None, res.response.status, "elb-redirect")
            return res
        tg = self._pick_group(action, request, res)
        res.target_group = tg
        self._deliver(lb, tg, node, request, res, protocol=proto, port=lst.port)
        if action.stickiness and len(action.target_groups) > 1:
            res.response.headers["Set-Cookie"] = f"AWSALBTG={tg.id}; Max-Age={action.stickiness_seconds}"
        return res

    def _pick_group(self: ELBService, action: Action, request: Request, res: RoutingResult) -> Any:
        groups = action.target_groups
        if len(groups) == 1:
            res.steps.append(f"Action forward to target group {groups[0][0].name!r}.")
            return groups[0][0]
        if action.stickiness:
            cookie = _header(request, "Cookie")
            m = re.search(r"AWSALBTG=([0-9a-f]+)", cookie)
            if m:
                for tg, w in groups:
                    if tg.id == m.group(1):
                        res.steps.append(f"Group stickiness: the AWSALBTG cookie pins this client to {tg.name!r}.")
                        return tg
        total = sum(w for _, w in groups)
        draw = self.cloud.rng.random() * total
        res.weight_draw = draw
        acc = 0.0
        for tg, w in groups:
            acc += w
            if draw < acc:
                break
        shares = ", ".join(f"{g.name} {w}/{total}" for g, w in groups)
        res.steps.append(f"Weighted forward ({shares}): draw {draw:.2f} of {total} picks {tg.name!r}.")
        return tg
