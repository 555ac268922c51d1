"""Listeners and their rules on Application and Network Load Balancers.

A listener is a protocol and port the balancer accepts connections on.  Its default rule
says what to do with every request no other rule claims; on an Application Load Balancer
further rules, each with a unique priority, send requests that match their conditions
elsewhere.  :class:`_ListenerOps` is a base class of :class:`~awskit.elb.ELBService`; the
conditions and actions themselves are in :mod:`.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._common import check_int, check_tags, fail, listing
from .rules import (
    CONDITION_VALUES_PER_RULE,
    Action,
    Condition,
    Rule,
    _same_actions,
    parse_action,
    parse_condition,
)

if TYPE_CHECKING:
    from .application import LoadBalancer
    from .service import ELBService

__all__ = ["Listener"]


@dataclass(slots=True, kw_only=True, eq=False)
class Listener:
    """A protocol and port the balancer accepts connections on, with its rules."""

    arn: str
    load_balancer: LoadBalancer = field(repr=False)
    protocol: str
    port: int
    certificates: list[str] = field(default_factory=list, repr=False)
    ssl_policy: str | None = field(default=None, repr=False)
    default_rule: Rule = field(default=None, repr=False)  # type: ignore[assignment]
    rules: list[Rule] = field(default_factory=list, repr=False)
    tags: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def default_actions(self) -> list[Action]:
        return self.default_rule.actions

    def ordered_rules(self) -> list[Rule]:
        """Rules in evaluation order: by priority, the default rule last."""
        return sorted(self.rules, key=lambda r: r.priority) + [self.default_rule]

    def __repr__(self) -> str:
        return (f"Listener({self.protocol}:{self.port}, rules={len(self.rules)}, "
                f"default={self.default_rule.action.describe()!r})")


class _ListenerOps:
    """Listener and rule actions of :class:`~awskit.elb.ELBService` (ALB and NLB)."""

    # -- listeners ------------------------------------------------------------------------------
    def _check_tg_for(self: ELBService, lb: Any, tg: Any) -> None:
        if tg.vpc is not lb.vpc:
            fail("ValidationError", f"Target group {tg.name!r} is in {tg.vpc.id}, but the load balancer is in "
                                    f"{lb.vpc.id}; they must share a VPC.")
        http = tg.protocol in ("HTTP", "HTTPS")
        if (lb.type == "application") != http:
            fail("IncompatibleProtocols", f"Target group {tg.name!r} uses {tg.protocol}, which a {lb.type} load "
                                          "balancer cannot forward to.")
        others = [other for other in tg.load_balancers if other is not lb]
        if others:
            fail("TargetGroupAssociationLimit", f"Target group {tg.name!r} is already used by load balancer "
                                                f"{others[0].name!r}; a target group serves one load balancer.")

    def get_listener(self: ELBService, listener: Any) -> Listener:
        """A listener by object or ARN.  Raises: ListenerNotFound."""
        if isinstance(listener, Listener):
            listener = listener.arn
        for lb in self._load_balancers.values():
            for lst in lb.listeners:
                if lst.arn == listener:
                    return lst
        fail("ListenerNotFound", f"The specified listener does not exist: {listener!r}.")

    def create_listener(self: ELBService, lb: Any, *, port: int, protocol: str | None = None,
                        default_actions: Any, certificates: Any = None, ssl_policy: str | None = None,
                        tags: dict[str, str] | None = None) -> Listener:
        """Add a listener.  ``default_actions`` is a target group, an action dict or a list of them.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> vpc = cloud.vpc.default_vpc
        >>> lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
        >>> tg = cloud.elb.create_target_group("web", vpc=vpc)
        >>> cloud.elb.create_listener(lb, port=80, default_actions=tg)
        Listener(HTTP:80, rules=0, default='forward to web')

        Raises: ValidationError (port, protocol), CertificateNotFound (HTTPS/TLS without a
        certificate ARN), DuplicateListener, TargetGroupNotFound, IncompatibleProtocols.
        """
        lb = self.get_load_balancer(lb)
        allowed = ("HTTP", "HTTPS") if lb.type == "application" else ("TCP", "UDP", "TLS", "TCP_UDP")
        protocol = protocol or ("HTTP" if lb.type == "application" else "TCP")
        if protocol not in allowed:
            fail("ValidationError", f"Listener protocol {protocol!r} must be one of {', '.join(allowed)} for a "
                                    f"{lb.type} load balancer.")
        check_int(port, "Port", 1, 65535)
        certs = self._certificates(protocol, certificates)
        actions = self._actions_arg(lb, default_actions)
        same = lb.listener(port)
        if same is not None:
            if same.protocol == protocol and _same_actions(same.default_actions, actions):
                return same  # AWS: creating again with the same settings succeeds and returns it
            fail("DuplicateListener", f"A listener already exists on {lb.name!r} with port {port}.")
        lid = self.cloud.ids.hex(16)
        arn = lb.arn.replace(":loadbalancer/", ":listener/") + f"/{lid}"
        lst = Listener(arn=arn, load_balancer=lb, protocol=protocol, port=port, certificates=certs,
                       ssl_policy=ssl_policy or ("ELBSecurityPolicy-2016-08" if certs else None), tags=check_tags(tags))
        lst.default_rule = Rule(arn=self._rule_arn(lst), listener=lst, priority=None, actions=actions)
        lb.listeners.append(lst)
        self._refresh_all_usage(actions)
        return lst

    def _certificates(self: ELBService, protocol: str, certificates: Any) -> list[str]:
        if certificates is None:
            certificates = []
        if isinstance(certificates, str):
            certificates = [certificates]
        arns = [c.get("CertificateArn") if isinstance(c, dict) else c for c in certificates]
        if protocol in ("HTTPS", "TLS") and not arns:
            fail("CertificateNotFound", f"A certificate must be specified for {protocol} listeners: give the ARN "
                                        "of an ACM (or IAM server) certificate.")
        for a in arns:
            if not isinstance(a, str) or not re.match(r"^arn:aws:(acm|iam):", a):
                fail("CertificateNotFound", f"Certificate {a!r} not found: give an ARN such as "
                                            "'arn:aws:acm:us-east-1:123456789012:certificate/...'.")
        return arns

    def _actions_arg(self: ELBService, lb: Any, actions: Any) -> list[Action]:
        if not isinstance(actions, list):
            actions = [actions]
        if not actions:
            fail("ValidationError", "Give at least one action.")
        out = [parse_action(self, a, lb=lb) for a in actions]
        if lb.type == "network" and any(a.type != "forward" for a in out):
            fail("ValidationError", "A Network Load Balancer listener can only forward.")
        return out

    def _rule_arn(self: ELBService, lst: Listener) -> str:
        return lst.arn.replace(":listener/", ":listener-rule/") + f"/{self.cloud.ids.hex(16)}"

    def _refresh_all_usage(self: ELBService, actions: list[Action] = ()) -> None:  # type: ignore[assignment]
        for tg in list(self._target_groups.values()):
            self._refresh_usage(tg)

    def modify_listener(self: ELBService, listener: Any, *, port: int | None = None, protocol: str | None = None,
                        default_actions: Any = None, certificates: Any = None) -> Listener:
        """Change a listener's port, protocol, certificates or default actions."""
        lst = self.get_listener(listener)
        lb = lst.load_balancer
        if port is not None and port != lst.port:
            check_int(port, "Port", 1, 65535)
            if lb.listener(port) is not None:
                fail("DuplicateListener", f"A listener already exists on {lb.name!r} with port {port}.")
        new_proto = protocol or lst.protocol
        if protocol is not None:
            allowed = ("HTTP", "HTTPS") if lb.type == "application" else ("TCP", "UDP", "TLS", "TCP_UDP")
            if protocol not in allowed:
                fail("ValidationError", f"Listener protocol {protocol!r} must be one of {', '.join(allowed)}.")
        certs = self._certificates(new_proto, lst.certificates if certificates is None else certificates)
        actions = self._actions_arg(lb, default_actions) if default_actions is not None else None
        lst.port = lst.port if port is None else port
        lst.protocol, lst.certificates = new_proto, certs
        if actions is not None:
            lst.default_rule.actions = actions
        self._refresh_all_usage()
        return lst

    def delete_listener(self: ELBService, listener: Any) -> None:
        lst = self.get_listener(listener)
        lst.load_balancer.listeners.remove(lst)
        self._refresh_all_usage()

    # -- rules ------------------------------------------------------------------------------------
    def get_rule(self: ELBService, rule: Any) -> Rule:
        """A rule by object or ARN.  Raises: RuleNotFound."""
        if isinstance(rule, Rule):
            rule = rule.arn
        for lb in self._load_balancers.values():
            for lst in lb.listeners:
                for r in lst.ordered_rules():
                    if r.arn == rule:
                        return r
        fail("RuleNotFound", f"One or more rules not found: {rule!r}.")

    def _conditions_arg(self: ELBService, conditions: Any) -> list[Condition]:
        if not isinstance(conditions, list) or not conditions:
            fail("ValidationError", "A rule needs at least one condition, e.g. {'Field': 'path-pattern', "
                                    "'Values': ['/api/*']}.")
        out = [parse_condition(c) for c in conditions]
        once = ("path-pattern", "host-header", "http-request-method", "source-ip")
        for f in once:
            if sum(1 for c in out if c.field == f) > 1:
                fail("ValidationError", f"A rule can have only one {f!r} condition (put several values in it).")
        total = sum(c.n_values for c in out)
        if total > CONDITION_VALUES_PER_RULE:
            fail("ValidationError", f"A rule can only have '{CONDITION_VALUES_PER_RULE}' condition values; this one "
                                    f"has {total}.")
        return out

    def create_rule(self: ELBService, listener: Any, *, priority: int, conditions: Any, actions: Any,
                    tags: dict[str, str] | None = None) -> Rule:
        """Add a rule: conditions (AND'ed; values within one OR'ed) and the action to run.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> vpc = cloud.vpc.default_vpc
        >>> lb = cloud.elb.create_load_balancer("web", subnets=vpc.subnets[:2])
        >>> web = cloud.elb.create_target_group("web", vpc=vpc)
        >>> api = cloud.elb.create_target_group("api", vpc=vpc, port=8080)
        >>> lst = cloud.elb.create_listener(lb, port=80, default_actions=web)
        >>> cloud.elb.create_rule(lst, priority=10, conditions=[("path-pattern", ["/api/*"])], actions=api)
        Rule(priority=10: if path-pattern in ['/api/*'] -> forward to api)

        Raises: ValidationError (priority outside 1-50000, bad condition, more than 5 condition
        values), PriorityInUse, TargetGroupNotFound, ListenerNotFound.
        """
        lst = self.get_listener(listener)
        if lst.load_balancer.type != "application":
            fail("ValidationError", "Only Application Load Balancer listeners have rules.")
        check_int(priority, "Priority", 1, 50000)
        if any(r.priority == priority for r in lst.rules):
            fail("PriorityInUse", f"The specified priority {priority} is in use on this listener. Priorities in use: "
                                  f"{listing(sorted(r.priority for r in lst.rules))}.")
        conds = self._conditions_arg(conditions)
        acts = self._actions_arg(lst.load_balancer, actions)
        rule = Rule(arn=self._rule_arn(lst), listener=lst, priority=priority, conditions=conds, actions=acts,
                    tags=check_tags(tags))
        lst.rules.append(rule)
        self._refresh_all_usage()
        return rule

    def modify_rule(self: ELBService, rule: Any, *, conditions: Any = None, actions: Any = None) -> Rule:
        """Replace a rule's conditions and/or actions (the default rule: actions only)."""
        r = self.get_rule(rule)
        conds = self._conditions_arg(conditions) if conditions is not None else None
        if conds is not None and r.is_default:
            fail("ValidationError", "The default rule has no conditions; change its actions only.")
        acts = self._actions_arg(r.listener.load_balancer, actions) if actions is not None else None
        if conds is not None:
            r.conditions = conds
        if acts is not None:
            r.actions = acts
        self._refresh_all_usage()
        return r

    def set_rule_priorities(self: ELBService, priorities: dict[Any, int]) -> list[Rule]:
        """Give several rules new priorities at once: ``{rule_or_arn: priority}``.

        Raises: ValidationError (default rule, bad priority), PriorityInUse.
        """
        if not isinstance(priorities, dict) or not priorities:
            fail("ValidationError", "Give {rule: priority, ...}.")
        pairs = []
        for rule, prio in priorities.items():
            r = self.get_rule(rule)
            if r.is_default:
                fail("OperationNotPermitted", "The default rule's priority cannot be changed.")
            check_int(prio, "Priority", 1, 50000)
            pairs.append((r, prio))
        moving = {id(r) for r, _ in pairs}
        for r, prio in pairs:
            clash = [o for o in r.listener.rules if id(o) not in moving and o.priority == prio]
            if clash or sum(1 for o, p in pairs if p == prio and o.listener is r.listener) > 1:
                fail("PriorityInUse", f"The specified priority {prio} is in use.")
        for r, prio in pairs:
            r.priority = prio
        return [r for r, _ in pairs]

    def delete_rule(self: ELBService, rule: Any) -> None:
        """Delete a rule.  Raises: OperationNotPermitted for the default rule."""
        r = self.get_rule(rule)
        if r.is_default:
            fail("OperationNotPermitted", "The default rule cannot be deleted; delete the listener instead.")
        r.listener.rules.remove(r)
        self._refresh_all_usage()
