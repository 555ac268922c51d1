"""Target groups: the servers behind a load balancer, and the health checks that judge them.

A target group names a protocol and port and holds *targets*: instances (or IP addresses),
each with a port, so one instance running two apps can be two targets.  The load balancer
probes every target on the group's interval; consecutive successes (the healthy threshold)
put a target in service, consecutive failures (the unhealthy threshold) take it out.  A
deregistered target *drains*: it gets no new requests but keeps its in-flight ones for
``deregistration_delay.timeout_seconds`` (300 s by default) before it is gone.

Health states and reasons follow the ELB documentation today: ``initial``
(``Elb.RegistrationInProgress``, ``Elb.InitialHealthChecking``), ``healthy``, ``unhealthy``
(``Target.ResponseCodeMismatch``, ``Target.Timeout``, ``Target.FailedHealthChecks``,
``Target.InvalidState``), ``unused`` (``Target.NotRegistered``, ``Target.NotInUse``) and
``draining`` (``Target.DeregistrationInProgress``).

Simplifications (documented): a target group runs ONE clock event per interval for all its
targets (the first probe of a new target happens on the group's next tick, so "healthy after
threshold x interval" is reached within one interval of that); a health check "times out"
when the instance's Availability Zone is down; app latency is not compared with the timeout.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address, ip_address
from typing import TYPE_CHECKING, Any

from ..http import Request
from ._common import ElbResource, check_int, check_name, check_tags, fail, listing

if TYPE_CHECKING:
    from .application import LoadBalancer
    from .service import ELBService

__all__ = [
    "HealthCheck",
    "Target",
    "TargetGroup",
    "TargetHealthDescription",
    "TargetState",
    "parse_matcher",
]

TG_PROTOCOLS = ("HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP")
HC_PROTOCOLS = ("HTTP", "HTTPS", "TCP")


class TargetState(StrEnum):
    """A target's health as ``describe_target_health`` reports it."""

    INITIAL = "initial"
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"
    UNUSED = "unused"
    DRAINING = "draining"
    UNAVAILABLE = "unavailable"


#: reason code -> the description AWS writes beside it
REASONS = {
    "Elb.RegistrationInProgress": "Target registration is in progress",
    "Elb.InitialHealthChecking": "Initial health checks in progress",
    "Target.ResponseCodeMismatch": "Health checks failed with these codes: [{code}]",
    "Target.Timeout": "Request timed out",
    "Target.FailedHealthChecks": "Health checks failed",
    "Target.NotRegistered": "Target is not registered to the target group",
    "Target.NotInUse": "Target group is not configured to receive traffic from the load balancer",
    "Target.NotInUse.AZ": "Target is in an Availability Zone that is not enabled for the load balancer",
    "Target.DeregistrationInProgress": "Target deregistration is in progress",
    "Target.InvalidState": "Target is in the {state} state",
}


def parse_matcher(value: Any, protocol: str = "HTTP") -> frozenset[int]:
    """The success codes of a health check matcher: ``"200"``, ``"200-299"`` or ``"200,302"``.

    >>> sorted(parse_matcher("200,302"))
    [200, 302]
    >>> len(parse_matcher("200-299"))
    100

    Raises: ValidationError for codes outside 200-499 (what ALB health checks accept).
    """
    if not isinstance(value, str) or not value.strip():
        fail("ValidationError", f"A matcher HttpCode is text such as '200', '200-299' or '200,302', not {value!r}.")
    codes: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        lo, dash, hi = part.partition("-")
        if not lo.isdigit() or (dash and not hi.isdigit()):
            fail("ValidationError", f"Invalid HttpCode {value!r}: write '200', '200-299' or '200,302'.")
        a, b = int(lo), int(hi) if dash else int(lo)
        if not (200 <= a <= b <= 499):
            fail("ValidationError", f"Health check codes must be between 200 and 499, not {part!r}.")
        codes.update(range(a, b + 1))
    return frozenset(codes)


@dataclass(slots=True, kw_only=True)
class HealthCheck:
    """How the load balancer probes the targets of a group.

    Defaults are AWS's for an HTTP target group: ``GET /`` on the traffic port every 30 s,
    5 s timeout, healthy after 5 consecutive successes, unhealthy after 2 failures, success
    code 200.
    """

    protocol: str = "HTTP"
    port: str = "traffic-port"
    path: str = "/"
    interval: int = 30
    timeout: int = 5
    healthy_threshold: int = 5
    unhealthy_threshold: int = 2
    matcher: str = "200"
    enabled: bool = True
    _codes: frozenset[int] = field(default=frozenset({200}), repr=False)

    def validate(self) -> HealthCheck:
        if self.protocol not in HC_PROTOCOLS:
            fail("ValidationError", f"Health check protocol {self.protocol!r} is not valid: use "
                                    f"{', '.join(HC_PROTOCOLS)}.")
        if self.port != "traffic-port":
            port = int(self.port) if isinstance(self.port, int) or str(self.port).isdigit() else None
            if port is None or not 1 <= port <= 65535:
                fail("ValidationError", f"Health check port must be 'traffic-port' or 1-65535, not {self.port!r}.")
            self.port = str(port)
        check_int(self.interval, "HealthCheckIntervalSeconds", 5, 300)
        check_int(self.timeout, "HealthCheckTimeoutSeconds", 2, 120)
        check_int(self.healthy_threshold, "HealthyThresholdCount", 2, 10)
        check_int(self.unhealthy_threshold, "UnhealthyThresholdCount", 2, 10)
        if self.timeout >= self.interval:
            fail("ValidationError", f"Health check timeout '{self.timeout}' must be smaller than the interval "
                                    f"'{self.interval}'.")
        if self.protocol != "TCP":
            if not isinstance(self.path, str) or not self.path.startswith("/") or len(self.path) > 1024:
                fail("ValidationError", f"Health check path must start with '/' (at most 1024 characters), "
                                        f"not {self.path!r}.")
            self._codes = parse_matcher(self.matcher)
        return self


@dataclass(slots=True, kw_only=True, eq=False)
class Target:
    """One registered target: an instance (or IP address) and a port, with its health.

    ``outstanding`` is the number of requests in flight (the least-outstanding-requests
    algorithm reads it; workload models may set it).  ``requests`` counts what it received.
    """

    target_group: TargetGroup = field(repr=False)
    id: str
    port: int
    instance: Any = field(default=None, repr=False)
    availability_zone: str = ""
    state: TargetState = TargetState.INITIAL
    reason: str | None = "Elb.RegistrationInProgress"
    description: str | None = REASONS["Elb.RegistrationInProgress"]
    successes: int = field(default=0, repr=False)
    failures: int = field(default=0, repr=False)
    registered_at: float = field(default=0.0, repr=False)
    healthy_since: float | None = field(default=None, repr=False)
    outstanding: int = field(default=0, repr=False)
    requests: int = field(default=0, repr=False)
    _drain: Any = field(default=None, repr=False)
    #: (address, port, "address:port"): the Host header of its health checks, built once
    _hc_host: Any = field(default=None, repr=False)

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.port)

    @property
    def routable(self) -> bool:
        """True when the load balancer may send it new requests while health is known."""
        return self.state is TargetState.HEALTHY

    def __repr__(self) -> str:
        why = f", reason={self.reason!r}" if self.reason else ""
        return f"Target({self.id!r}, port={self.port}, {self.availability_zone}, {self.state.value}{why})"


@dataclass(slots=True, kw_only=True, frozen=True)
class TargetHealthDescription:
    """One row of ``describe_target_health``."""

    target_id: str
    port: int
    availability_zone: str | None
    health_check_port: str
    state: TargetState
    reason: str | None
    description: str | None


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class TargetGroup(ElbResource):
    """A named set of targets with one protocol/port and one health check.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> tg = cloud.elb.create_target_group("web", protocol="HTTP", port=80, vpc=cloud.vpc.default_vpc)
    >>> tg.health_check.interval, tg.attributes["deregistration_delay.timeout_seconds"]
    (30, '300')
    """

    service: ELBService = field(repr=False)
    name: str
    protocol: str
    port: int
    vpc: Any
    target_type: str = "instance"
    protocol_version: str | None = "HTTP1"
    health_check: HealthCheck
    attributes: dict[str, str] = field(default_factory=dict)
    targets: dict[tuple[str, int], Target] = field(default_factory=dict)
    load_balancers: list[LoadBalancer] = field(default_factory=list)
    created_at: float = 0.0
    _timer: Any = None
    _rr: int = 0

    @property
    def in_use(self) -> bool:
        return bool(self.load_balancers)

    @property
    def algorithm(self) -> str:
        return self.attributes.get("load_balancing.algorithm.type", "round_robin")

    @property
    def deregistration_delay(self) -> int:
        return int(self.attributes.get("deregistration_delay.timeout_seconds", "300"))

    @property
    def healthy_targets(self) -> list[Target]:
        return [t for t in self.targets.values() if t.state is TargetState.HEALTHY]

    def cross_zone(self, lb: LoadBalancer) -> bool:
        """Whether this group spreads across zones behind ``lb`` (its own setting, else the LB's)."""
        value = self.attributes.get("load_balancing.cross_zone.enabled", "use_load_balancer_configuration")
        if value == "use_load_balancer_configuration":
            return lb.cross_zone
        return value == "true"

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for t in self.targets.values():
            states[t.state.value] = states.get(t.state.value, 0) + 1
        return (f"TargetGroup({self.name!r}, {self.protocol}:{self.port}, vpc={self.vpc.id!r}, "
                f"targets={states or 0})")

    def _repr_html_(self, max_rows: int = 20) -> str:
        colours = {"healthy": "#1a7f37", "unhealthy": "#cf222e", "draining": "#9a6700"}
        rows = []
        for t in list(self.targets.values())[:max_rows]:
            c = colours.get(t.state.value, "#57606a")
            rows.append(f"<tr><td>{t.id}</td><td>{t.port}</td><td>{t.availability_zone}</td>"
                        f"<td style='color:{c}'>{t.state.value}</td><td>{html.escape(t.reason or '')}</td></tr>")
        more = len(self.targets) - max_rows
        tail = f"<tr><td colspan=5>... ({more} rows omitted)</td></tr>" if more > 0 else ""
        hc = self.health_check
        return (f"<div><b>{html.escape(self.name)}</b> {self.protocol}:{self.port} "
                f"(health: {hc.protocol} {hc.path if hc.protocol != 'TCP' else ''} every {hc.interval}s)"
                f"<table><tr><th>target</th><th>port</th><th>AZ</th><th>state</th><th>reason</th></tr>"
                f"{''.join(rows)}{tail}</table></div>")


def _default_attributes(protocol: str) -> dict[str, str]:
    if protocol in ("HTTP", "HTTPS"):
        return {"deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false",
                "stickiness.type": "lb_cookie", "stickiness.lb_cookie.duration_seconds": "86400",
                "slow_start.duration_seconds": "0", "load_balancing.algorithm.type": "round_robin",
                "load_balancing.cross_zone.enabled": "use_load_balancer_configuration"}
    return {"deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false",
            "stickiness.type": "source_ip", "proxy_protocol_v2.enabled": "false",
            "preserve_client_ip.enabled": "true", "deregistration_delay.connection_termination.enabled": "false",
            "load_balancing.cross_zone.enabled": "use_load_balancer_configuration"}


_ATTRIBUTE_CHECKS = {
    "deregistration_delay.timeout_seconds": lambda v: v.isdigit() and 0 <= int(v) <= 3600,
    "stickiness.enabled": lambda v: v in ("true", "false"),
    "stickiness.type": lambda v: v in ("lb_cookie", "app_cookie", "source_ip"),
    "stickiness.lb_cookie.duration_seconds": lambda v: v.isdigit() and 1 <= int(v) <= 604800,
    "slow_start.duration_seconds": lambda v: v.isdigit() and (int(v) == 0 or 30 <= int(v) <= 900),
    "load_balancing.algorithm.type": lambda v: v in ("round_robin", "least_outstanding_requests"),
    "load_balancing.cross_zone.enabled": lambda v: v in ("true", "false", "use_load_balancer_configuration"),
    "proxy_protocol_v2.enabled": lambda v: v in ("true", "false"),
    "preserve_client_ip.enabled": lambda v: v in ("true", "false"),
    "deregistration_delay.connection_termination.enabled": lambda v: v in ("true", "false"),
}


class _TargetOps:
    """Target group actions of :class:`~awskit.elb.ELBService`."""

    # -- lookups --------------------------------------------------------------------------
    @property
    def target_groups(self: ELBService) -> list[TargetGroup]:
        return list(self._target_groups.values())

    def get_target_group(self: ELBService, tg: Any) -> TargetGroup:
        """A target group by object, ARN or name.  Raises: TargetGroupNotFound."""
        if isinstance(tg, TargetGroup):
            if self._target_groups.get(tg.arn) is tg:
                return tg
            fail("TargetGroupNotFound", f"Target group {tg.name!r} was deleted or belongs to another Region.")
        if isinstance(tg, str):
            found = self._target_groups.get(tg) or self._tg_by_name.get(tg)
            if found is not None:
                return found
        names = listing(self._tg_by_name)
        fail("TargetGroupNotFound", f"One or more target groups not found: {tg!r}. Target groups here: {names}.")

    # -- create / modify / delete -----------------------------------------------------------
    def create_target_group(self: ELBService, name: str, *, protocol: str = "HTTP", port: int | None = 80,
                            vpc: Any = None, target_type: str = "instance", health_check: HealthCheck | None = None,
                            protocol_version: str | None = None, tags: dict[str, str] | None = None,
                            **health: Any) -> TargetGroup:
        """Create a target group (idempotent for the same name and settings, as AWS is).

        Health check settings come as a :class:`HealthCheck` or as keywords:
        ``health_check_path="/health"``, ``health_check_interval=10``, ``healthy_threshold=3``,
        ``unhealthy_threshold=2``, ``health_check_timeout=5``, ``health_check_protocol``,
        ``health_check_port``, ``matcher="200-299"``.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> tg = cloud.elb.create_target_group("api", port=8080, vpc=cloud.vpc.default_vpc,
        ...                                    health_check_path="/health", health_check_interval=10)
        >>> tg
        TargetGroup('api', HTTP:8080, vpc='vpc-0cd613e30d8f16adf', targets=0)

        Raises: ValidationError (name, port, health check values), DuplicateTargetGroupName.
        """
        check_name(name, "target group")
        if protocol not in TG_PROTOCOLS:
            fail("ValidationError", f"Target group protocol {protocol!r} is not valid: use {', '.join(TG_PROTOCOLS)}.")
        if target_type not in ("instance", "ip"):
            fail("ValidationError", f"Target type {target_type!r} is not modelled: use 'instance' or 'ip'.")
        if port is None:
            fail("ValidationError", "A port must be specified for a target group of type instance or ip.")
        check_int(port, "Port", 1, 65535)
        vpc = self.region.vpc.default_vpc if vpc is None else self.region.vpc.get_vpc(vpc)
        if vpc is None:
            fail("ValidationError", "A VPC ID must be specified (this Region has no default VPC).")
        tcp = protocol not in ("HTTP", "HTTPS")
        keys = {"health_check_protocol": "protocol", "health_check_port": "port", "health_check_path": "path",
                "health_check_interval": "interval", "health_check_timeout": "timeout",
                "healthy_threshold": "healthy_threshold", "unhealthy_threshold": "unhealthy_threshold",
                "matcher": "matcher", "health_check_enabled": "enabled"}
        unknown = set(health) - set(keys)
        if unknown:
            fail("ValidationError", f"Unknown health check setting(s) {sorted(unknown)}; valid: {sorted(keys)}.")
        if health_check is not None and not isinstance(health_check, HealthCheck):
            fail("ValidationError", f"health_check is a HealthCheck(...) (or give health_check_path=..., "
                                    f"health_check_interval=... as keywords), not {health_check!r}.")
        if health_check is None:
            defaults: dict[str, Any] = {"protocol": "TCP", "timeout": 10} if tcp else {}
            defaults.update({keys[k]: v for k, v in health.items() if v is not None})
            if health.get("health_check_timeout") is None and isinstance(defaults.get("interval"), int):
                # a default timeout must still fit under a short interval the user chose
                defaults["timeout"] = max(2, min(defaults.get("timeout", 5), defaults["interval"] - 1))
            health_check = HealthCheck(**defaults)
        health_check.validate()
        if not tcp and health_check.protocol == "TCP":
            fail("ValidationError", "Health check protocol 'TCP' is not supported for an HTTP/HTTPS target group.")
        tags = check_tags(tags)
        existing = self._tg_by_name.get(name)
        if existing is not None:
            if (existing.protocol, existing.port, existing.vpc) == (protocol, port, vpc):
                return existing
            fail("DuplicateTargetGroupName", f"A target group named {name!r} already exists with other settings.")
        tg_id = self.cloud.ids.hex(16)
        arn = self.cloud.arn("elasticloadbalancing", f"targetgroup/{name}/{tg_id}", self.region.name)
        tg = TargetGroup(id=tg_id, arn=arn, owner_id=self.cloud.account_id, region=self.region.name, tags=tags,
                         service=self, name=name, protocol=protocol, port=port, vpc=vpc, target_type=target_type,
                         protocol_version=None if tcp else (protocol_version or "HTTP1"),
                         health_check=health_check, attributes=_default_attributes(protocol),
                         created_at=self.cloud.clock.now)
        self._target_groups[arn] = tg
        self._tg_by_name[name] = tg
        self.cloud.events.publish("elb.target_group.created", arn=arn, name=name, region=self.region.name)
        return tg

    def modify_target_group(self: ELBService, tg: Any, **health: Any) -> TargetGroup:
        """Change health check settings (same keywords as :meth:`create_target_group`)."""
        tg = self.get_target_group(tg)
        hc = tg.health_check
        keys = {"health_check_protocol": "protocol", "health_check_port": "port", "health_check_path": "path",
                "health_check_interval": "interval", "health_check_timeout": "timeout",
                "healthy_threshold": "healthy_threshold", "unhealthy_threshold": "unhealthy_threshold",
                "matcher": "matcher", "health_check_enabled": "enabled"}
        unknown = set(health) - set(keys)
        if unknown:
            fail("ValidationError", f"Unknown health check setting(s) {sorted(unknown)}; valid: {sorted(keys)}.")
        values = {f: getattr(hc, f) for f in keys.values()}
        values.update({keys[k]: v for k, v in health.items() if v is not None})
        new = HealthCheck(**values).validate()
        old_interval = hc.interval
        tg.health_check = new
        if new.interval != old_interval and tg._timer is not None:
            tg._timer.cancel()
            tg._timer = None
            self._ensure_health_timer(tg)
        return tg

    def modify_target_group_attributes(self: ELBService, tg: Any, attributes: dict[str, str]) -> dict[str, str]:
        """Set attributes such as ``deregistration_delay.timeout_seconds`` or
        ``load_balancing.algorithm.type``; returns every attribute.  Raises: ValidationError."""
        tg = self.get_target_group(tg)
        if not isinstance(attributes, dict):
            fail("ValidationError", f"Attributes are a dict of strings, not {attributes!r}.")
        for key, value in attributes.items():
            value = str(value).lower() if isinstance(value, bool) else str(value)
            check = _ATTRIBUTE_CHECKS.get(key)
            if check is None or key not in tg.attributes:
                fail("ValidationError", f"Attribute key {key!r} is not recognized for a {tg.protocol} target group. "
                                        f"Keys: {', '.join(sorted(tg.attributes))}.")
            if not check(value):
                fail("ValidationError", f"Attribute {key!r} cannot be {value!r}.")
        for key, value in attributes.items():
            tg.attributes[key] = str(value).lower() if isinstance(value, bool) else str(value)
        return dict(tg.attributes)

    def delete_target_group(self: ELBService, tg: Any) -> None:
        """Delete a target group.  Raises: ResourceInUse while a listener or rule uses it."""
        tg = self.get_target_group(tg)
        if tg.load_balancers:
            fail("ResourceInUse", f"Target group {tg.arn!r} is currently in use by a listener or a rule of "
                                  f"{listing(lb.name for lb in tg.load_balancers)}.")
        if tg._timer is not None:
            tg._timer.cancel()
        for t in tg.targets.values():
            if t._drain is not None:
                t._drain.cancel()
        del self._target_groups[tg.arn]
        self._tg_by_name.pop(tg.name, None)
        self.cloud.events.publish("elb.target_group.deleted", arn=tg.arn, name=tg.name, region=self.region.name)

    # -- registration ------------------------------------------------------------------------
    def _resolve_target(self: ELBService, tg: TargetGroup, target: Any) -> tuple[str, Any, str]:
        """(id, instance or None, AZ name) for an instance (object/id) or an IP address."""
        from ..ec2.instances import Instance

        if tg.target_type == "instance":
            if isinstance(target, Instance):
                target = target.id
            if not isinstance(target, str) or not target.startswith("i-"):
                fail("InvalidTarget", f"Target {target!r} is not an instance id; this target group has target "
                                      "type 'instance'.")
            try:
                inst = self.region.ec2.get_instance(target)
            except LookupError:
                fail("InvalidTarget", f"The following targets are not valid instances: '{target}'.")
            if inst.vpc is not tg.vpc:
                fail("InvalidTarget", f"The following targets are not in the target group VPC '{tg.vpc.id}': "
                                      f"'{inst.id}' (it is in {inst.vpc.id}).")
            if inst.state.value not in ("pending", "running"):
                fail("InvalidTarget", f"The following targets are not in a running state and cannot be "
                                      f"registered: '{inst.id}' ({inst.state.value}).")
            return inst.id, inst, inst.availability_zone.name
        try:
            ip = ip_address(str(target))
        except ValueError:
            fail("ValidationError", f"Target {target!r} is not an IPv4 address; this group has target type 'ip'.")
        if not isinstance(ip, IPv4Address) or ip not in tg.vpc.cidr_block:
            fail("InvalidTarget", f"The IP address '{target}' is not within the CIDR of VPC {tg.vpc.id} "
                                  f"({tg.vpc.cidr_block}).")
        eni = tg.vpc.interface_for_ip(ip)
        az = eni.availability_zone.name if eni is not None else ""
        inst = getattr(getattr(eni, "attachment", None), "instance", None)
        return str(ip), inst, az

    def register_targets(self: ELBService, tg: Any, targets: Any) -> list[Target]:
        """Register instances (or IPs) with a target group.

        ``targets`` is one target or a list; each is an instance (object or id), an
        ``(instance, port)`` pair or a dict ``{"Id": ..., "Port": ...}``.  Several ports of one
        instance make several targets.  Registering an already registered target is a no-op
        (a draining one comes back).  New targets start ``initial`` and turn ``healthy`` after
        ``healthy_threshold`` consecutive passing health checks.  Each change is published as
        ``elb.target.health``.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> tg = cloud.elb.create_target_group("web", vpc=cloud.vpc.default_vpc)
        >>> web = cloud.ec2.run_instance()
        >>> [t.state.value for t in cloud.elb.register_targets(tg, [web, (web, 8080)])]
        ['unused', 'unused']

        (``unused``: no load balancer sends traffic to this group yet, ``Target.NotInUse``.)

        Raises: TargetGroupNotFound, InvalidTarget (not in the group's VPC, terminated, unknown),
        ValidationError (port).
        """
        tg = self.get_target_group(tg)
        specs = targets if isinstance(targets, list) else [targets]
        if not specs:
            fail("ValidationError", "Give at least one target to register.")
        resolved = []
        for spec in specs:
            port: Any = None
            if isinstance(spec, dict):
                if "Id" not in spec:
                    fail("ValidationError", f"A target dict needs an 'Id' key, got {spec!r}.")
                spec, port = spec["Id"], spec.get("Port")
            elif isinstance(spec, tuple):
                if len(spec) != 2:
                    fail("ValidationError", f"A target pair is (instance, port), got {spec!r}.")
                spec, port = spec
            port = tg.port if port is None else check_int(port, "Port", 1, 65535)
            resolved.append((*self._resolve_target(tg, spec), port))
        out = []
        now = self.cloud.clock.now
        for tid, inst, az, port in resolved:
            t = tg.targets.get((tid, port))
            if t is None:
                t = Target(target_group=tg, id=tid, port=port, instance=inst, availability_zone=az,
                           registered_at=now)
                tg.targets[t.key] = t
                self._place(tg, t, initial=True)
            elif t.state is TargetState.DRAINING:
                if t._drain is not None:
                    t._drain.cancel()
                    t._drain = None
                self._place(tg, t, initial=True)
            out.append(t)
        self._ensure_health_timer(tg)
        return out

    def deregister_targets(self: ELBService, tg: Any, targets: Any) -> list[Target]:
        """Deregister targets: each drains for ``deregistration_delay.timeout_seconds``
        (default 300 s; no new requests meanwhile), then is removed.

        Raises: InvalidTarget when a target is not registered with this group.
        """
        tg = self.get_target_group(tg)
        specs = targets if isinstance(targets, list) else [targets]
        found = []
        for spec in specs:
            port: Any = None
            if isinstance(spec, dict):
                spec, port = spec.get("Id"), spec.get("Port")
            elif isinstance(spec, tuple) and len(spec) == 2:
                spec, port = spec
            tid = getattr(spec, "id", spec)
            matches = [t for t in tg.targets.values() if t.id == tid and (port is None or t.port == port)]
            if not matches:
                fail("InvalidTarget", f"The target '{tid}'{'' if port is None else f' on port {port}'} is not "
                                      f"registered with target group {tg.name!r}. Registered: "
                                      f"{listing(f'{t.id}:{t.port}' for t in tg.targets.values())}.")
            found.extend(matches)
        delay = tg.deregistration_delay
        for t in found:
            if t.state is TargetState.DRAINING:
                continue
            if delay == 0 or not tg.in_use or t.state is TargetState.UNUSED:
                self._remove_target(tg, t)
                continue
            self._set_health(t, TargetState.DRAINING, "Target.DeregistrationInProgress")
            t._drain = self.cloud.clock.schedule(delay, lambda t=t: self._remove_target(tg, t),
                                                 name=f"drain {t.id}:{t.port}")
        return found

    def _remove_target(self: ELBService, tg: TargetGroup, t: Target) -> None:
        if tg.targets.get(t.key) is t:
            del tg.targets[t.key]
            t._drain = None
            self._set_health(t, TargetState.UNUSED, "Target.NotRegistered")

    # -- health --------------------------------------------------------------------------------
    def describe_target_health(self: ELBService, tg: Any, targets: Any = None) -> list[TargetHealthDescription]:
        """Health of every registered target, or of the ones asked for.

        A target asked for that is not registered reports ``unused`` / ``Target.NotRegistered``,
        as AWS does (the ``target_deregistered`` waiter relies on it).

        Raises: TargetGroupNotFound, InvalidTarget (an instance id that does not exist).
        """
        tg = self.get_target_group(tg)
        hc_port = tg.health_check.port

        def row(t: Target) -> TargetHealthDescription:
            port = str(t.port) if hc_port == "traffic-port" else hc_port
            return TargetHealthDescription(target_id=t.id, port=t.port, availability_zone=t.availability_zone or None,
                                           health_check_port=port, state=t.state, reason=t.reason,
                                           description=t.description)

        if targets is None:
            return [row(t) for t in tg.targets.values()]
        out = []
        for spec in targets if isinstance(targets, list) else [targets]:
            port: Any = None
            if isinstance(spec, dict):
                spec, port = spec.get("Id"), spec.get("Port")
            elif isinstance(spec, tuple) and len(spec) == 2:
                spec, port = spec
            tid = getattr(spec, "id", spec)
            rows = [t for t in tg.targets.values() if t.id == tid and (port is None or t.port == port)]
            if rows:
                out.extend(row(t) for t in rows)
                continue
            if tg.target_type == "instance":
                try:
                    self.region.ec2.get_instance(tid)
                except LookupError:
                    fail("InvalidTarget", f"The following targets are not valid instances: '{tid}'.")
            p = tg.port if port is None else port
            out.append(TargetHealthDescription(
                target_id=str(tid), port=p, availability_zone=None,
                health_check_port=str(p) if hc_port == "traffic-port" else hc_port, state=TargetState.UNUSED,
                reason="Target.NotRegistered", description=REASONS["Target.NotRegistered"]))
        return out

    def _place(self: ELBService, tg: TargetGroup, t: Target, *, initial: bool = False) -> None:
        """Decide whether a target is in use (its group behind an LB, its AZ enabled)."""
        if not tg.in_use:
            self._set_health(t, TargetState.UNUSED, "Target.NotInUse")
            return
        if t.availability_zone and not any(t.availability_zone in lb.zone_names for lb in tg.load_balancers):
            self._set_health(t, TargetState.UNUSED, "Target.NotInUse", REASONS["Target.NotInUse.AZ"])
            return
        if initial or t.state is TargetState.UNUSED:
            t.successes = t.failures = 0
            self._set_health(t, TargetState.INITIAL, "Elb.RegistrationInProgress")

    def _set_health(self: ELBService, t: Target, state: TargetState, reason: str | None,
                    description: str | None = None) -> None:
        old = t.state
        if reason is not None and description is None:
            description = REASONS.get(reason, reason)
        changed = old is not state or t.reason != reason
        t.state, t.reason, t.description = state, reason, description
        if state is TargetState.HEALTHY and old is not TargetState.HEALTHY:
            t.healthy_since = self.cloud.clock.now
        elif state is not TargetState.HEALTHY:
            t.healthy_since = None
        if changed:
            tg = t.target_group
            self.cloud.events.publish("elb.target.health", target_group=tg.name, target_group_arn=tg.arn,
                                      target=t.id, port=t.port, az=t.availability_zone, old=old.value,
                                      new=state.value, reason=reason, region=self.region.name)

    def _refresh_usage(self: ELBService, tg: TargetGroup) -> None:
        """Called when listeners/rules change: which LBs now send traffic to ``tg``."""
        lbs = [lb for lb in self._load_balancers.values() if tg in lb.target_groups_in_use()]
        was = tg.in_use
        tg.load_balancers = lbs
        for t in list(tg.targets.values()):
            if t.state is TargetState.DRAINING:
                continue
            if not lbs or not was or t.state is TargetState.UNUSED:
                self._place(tg, t)
        self._ensure_health_timer(tg)

    def _ensure_health_timer(self: ELBService, tg: TargetGroup) -> None:
        """One periodic clock event per target group (not per target), while it is in use."""
        if tg.in_use and tg.targets and tg._timer is None and tg.health_check.enabled:
            tg._timer = self.cloud.clock.every(tg.health_check.interval, lambda: self._health_tick(tg),
                                               name=f"health checks {tg.name}")
        elif (not tg.in_use or not tg.targets) and tg._timer is not None:
            tg._timer.cancel()
            tg._timer = None

    def _health_tick(self: ELBService, tg: TargetGroup) -> None:
        if not tg.targets or not tg.in_use:
            if tg._timer is not None:
                tg._timer.cancel()
                tg._timer = None
            return
        hc = tg.health_check
        for t in list(tg.targets.values()):
            if t.state in (TargetState.DRAINING, TargetState.UNUSED):
                continue
            if t.reason == "Elb.RegistrationInProgress":
                self._set_health(t, TargetState.INITIAL, "Elb.InitialHealthChecking")
            ok, reason, description = self._probe(tg, t)
            if ok:
                t.successes += 1
                t.failures = 0
                if t.state is not TargetState.HEALTHY and t.successes >= hc.healthy_threshold:
                    self._set_health(t, TargetState.HEALTHY, None)
            else:
                t.failures += 1
                t.successes = 0
                if t.state is TargetState.UNHEALTHY or t.failures >= hc.unhealthy_threshold:
                    self._set_health(t, TargetState.UNHEALTHY, reason, description)

    def _probe(self: ELBService, tg: TargetGroup, t: Target) -> tuple[bool, str | None, str | None]:
        """One health check of one target: (passed, reason, description).

        An HTTP(S) check is a real ``GET <path>`` delivered to the target's app (so the app sees
        and counts it, as a web server logs ELB's checks), answered exactly as
        ``instance.handle`` would answer it; only the work around it is trimmed: the Host header
        is built once per target, the request skips the argument checks the health check
        settings already passed, and handle()'s checks are not made twice.
        """
        hc = tg.health_check
        inst = t.instance
        if inst is None:
            return _TIMED_OUT
        state = inst.state
        if state != "running":
            return False, "Target.InvalidState", REASONS["Target.InvalidState"].format(state=state.value)
        if inst.az_down:
            return _TIMED_OUT
        port = t.port if hc.port == "traffic-port" else int(hc.port)
        apps = inst.apps
        if port not in apps:
            return _NOT_LISTENING
        if hc.protocol == "TCP":
            return _PASSED
        ip = inst.private_ip_address
        host = t._hc_host
        if host is None or host[0] is not ip or host[1] != port:
            host = t._hc_host = (ip, port, f"{ip}:{port}")
        request = _health_request(hc.path, host[2])
        app = apps[port]
        # instance.handle() would now repeat the checks just made (zone up, running, something
        # listening) before running the app: deliver straight to it.
        response = inst._deliver(app, request) if app is not None else inst.handle(request, port)
        if response.status in hc._codes:
            return _PASSED
        return False, "Target.ResponseCodeMismatch", REASONS["Target.ResponseCodeMismatch"].format(
            code=response.status)


_PASSED = (True, None, None)
_TIMED_OUT = (False, "Target.Timeout", REASONS["Target.Timeout"])
_NOT_LISTENING = (False, "Target.FailedHealthChecks", REASONS["Target.FailedHealthChecks"])
_new = object.__new__


def _health_request(path: Any, host: str) -> Request:
    """``Request("GET", path, headers={Host, User-Agent})`` as the ELB health checker sends it.

    The method is fixed and the path was checked when the health check was configured, so the
    request is assembled directly; a path changed behind the API's back takes the checked way.
    """
    if path.__class__ is not str or path[:1] != "/":
        return Request("GET", path, headers={"Host": host, "User-Agent": "ELB-HealthChecker/2.0"})
    request = _new(Request)
    request.method = "GET"
    request.path = path
    request.headers = {"Host": host, "User-Agent": "ELB-HealthChecker/2.0"}
    request.query = {}
    request.body = ""
    request.client_ip = None
    return request
