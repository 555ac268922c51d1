"""Classic Load Balancers: the first generation of ELB (the boto3 ``elb`` client).

A classic load balancer has listeners that map a front-end protocol and port to a back-end
(instance) protocol and port, one health check for all its instances, and instances
registered directly (no target groups).  Instances are ``InService`` or ``OutOfService``.
Through the API, cross-zone load balancing and connection draining start *disabled*
(the console turns both on); awskit follows the API.  Unlike an ALB, a classic balancer
does not fail open: with no instance in service it answers 503.  Its nodes use least
outstanding requests for HTTP/HTTPS listeners and round robin for TCP/SSL.

Health check defaults when none is configured (the API's): ``TCP:<instance port>``, every
30 s, 5 s timeout, in service after 10 passes, out after 2 failures.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..http import Request, Response
from ._common import check_int, check_name, check_tags, fail, listing
from .application import RoutingResult
from .dns import HOSTED_ZONES, LoadBalancerNode

if TYPE_CHECKING:
    from .service import ELBService

__all__ = ["ClassicHealthCheck", "ClassicInstance", "ClassicListener", "ClassicLoadBalancer"]

_TARGET_RE = re.compile(r"^(HTTP|HTTPS|TCP|SSL):(\d{1,5})(/.*)?$")

DESCRIPTIONS = {
    "registering": "Instance registration is still in progress.",
    "failed": "Instance has failed at least the UnhealthyThreshold number of health checks consecutively.",
    "zone": "Instance is in an Availability Zone that is not enabled for the load balancer.",
    "deregistering": "Instance deregistration currently in progress.",
}


@dataclass(slots=True, kw_only=True, frozen=True)
class ClassicListener:
    """Front end (protocol, load balancer port) -> back end (instance protocol, port)."""

    protocol: str
    load_balancer_port: int
    instance_protocol: str
    instance_port: int
    ssl_certificate_id: str | None = None


@dataclass(slots=True, kw_only=True)
class ClassicHealthCheck:
    """``target`` is ``PROTOCOL:PORT[/path]``, e.g. ``HTTP:80/index.html`` or ``TCP:80``."""

    target: str
    interval: int = 30
    timeout: int = 5
    unhealthy_threshold: int = 2
    healthy_threshold: int = 10

    def validate(self) -> ClassicHealthCheck:
        m = _TARGET_RE.match(self.target) if isinstance(self.target, str) else None
        if not m or not 1 <= int(m.group(2)) <= 65535:
            fail("ValidationError", f"Health check target {self.target!r} is not valid: write PROTOCOL:PORT/path for "
                                    "HTTP(S) ('HTTP:80/index.html') or PROTOCOL:PORT for TCP/SSL ('TCP:80').")
        if m.group(1) in ("HTTP", "HTTPS") and not m.group(3):
            fail("ValidationError", f"An {m.group(1)} health check target needs a path, e.g. "
                                    f"'{m.group(1)}:{m.group(2)}/index.html'.")
        if m.group(1) in ("TCP", "SSL") and m.group(3):
            fail("ValidationError", f"A {m.group(1)} health check target has no path: '{m.group(1)}:{m.group(2)}'.")
        check_int(self.interval, "Interval", 5, 300)
        check_int(self.timeout, "Timeout", 2, 60)
        check_int(self.unhealthy_threshold, "UnhealthyThreshold", 2, 10)
        check_int(self.healthy_threshold, "HealthyThreshold", 2, 10)
        if self.timeout >= self.interval:
            fail("ValidationError", f"Health check timeout {self.timeout} must be smaller than the interval "
                                    f"{self.interval}.")
        return self

    @property
    def parts(self) -> tuple[str, int, str]:
        m = _TARGET_RE.match(self.target)
        assert m is not None
        return m.group(1), int(m.group(2)), m.group(3) or ""


@dataclass(slots=True, kw_only=True, eq=False)
class ClassicInstance:
    """An instance registered with a classic load balancer, with its health."""

    id: str
    instance: Any = field(repr=False)
    port: int = 80
    availability_zone: str = ""
    state: str = "OutOfService"
    reason_code: str = "ELB"
    description: str = DESCRIPTIONS["registering"]
    successes: int = field(default=0, repr=False)
    failures: int = field(default=0, repr=False)
    outstanding: int = field(default=0, repr=False)
    requests: int = field(default=0, repr=False)
    healthy_since: float | None = field(default=None, repr=False)
    draining: bool = False
    _drain: Any = field(default=None, repr=False)

    @property
    def in_service(self) -> bool:
        return self.state == "InService" and not self.draining


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class ClassicLoadBalancer:
    """A classic load balancer.  Build it with ``cloud.elb.create_classic_load_balancer``."""

    service: ELBService = field(repr=False)
    name: str
    region: str
    dns_name: str
    scheme: str = "internet-facing"
    vpc: Any = None
    subnets: list[Any] = field(default_factory=list)
    security_groups: list[Any] = field(default_factory=list)
    listeners: list[ClassicListener] = field(default_factory=list)
    health_check: ClassicHealthCheck = field(default_factory=lambda: ClassicHealthCheck(target="TCP:80"))
    instances: dict[str, ClassicInstance] = field(default_factory=dict)
    nodes: list[LoadBalancerNode] = field(default_factory=list)
    cross_zone: bool = False
    connection_draining: bool = False
    draining_timeout: int = 300
    idle_timeout: int = 60
    created_at: float = 0.0
    tags: dict[str, str] = field(default_factory=dict)
    _timer: Any = None
    _meter: Any = None
    _node_rr: int = 0
    _rr: int = 0

    kind = "classic"
    type = "classic"
    is_active = True

    @property
    def zone_names(self) -> list[str]:
        return [s.availability_zone.name for s in self.subnets]

    @property
    def canonical_hosted_zone_id(self) -> str:
        return HOSTED_ZONES["classic"]

    def target_groups_in_use(self) -> list[ClassicLoadBalancer]:
        return [self]

    def _pool(self, az: str) -> list[ClassicInstance]:
        """Instances a node in ``az`` may use: in service, and in its zone when cross-zone is off."""
        live = [i for i in self.instances.values() if i.in_service]
        if not self.cross_zone:
            zone = [i for i in live if i.availability_zone == az]
            return zone or live
        return live

    def listener(self, port: int) -> ClassicListener | None:
        return next((lst for lst in self.listeners if lst.load_balancer_port == port), None)

    def __repr__(self) -> str:
        ports = [f"{lst.protocol}:{lst.load_balancer_port}->{lst.instance_port}" for lst in self.listeners]
        ins = sum(1 for i in self.instances.values() if i.in_service)
        return (f"ClassicLoadBalancer({self.name!r}, listeners={ports}, zones={self.zone_names}, "
                f"in_service={ins}/{len(self.instances)})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{i.id}</td><td>{i.availability_zone}</td><td>{i.state}</td>"
                       f"<td>{html.escape(i.description)}</td></tr>" for i in list(self.instances.values())[:20])
        return (f"<div><b>{html.escape(self.name)}</b> (classic, cross-zone "
                f"{'on' if self.cross_zone else 'off'})<br><code>{self.dns_name}</code>"
                f"<table><tr><th>instance</th><th>AZ</th><th>state</th><th>description</th></tr>{rows}</table></div>")


def _listener(spec: Any) -> ClassicListener:
    if isinstance(spec, ClassicListener):
        return spec
    if isinstance(spec, tuple) and len(spec) == 4:
        spec = dict(zip(("Protocol", "LoadBalancerPort", "InstanceProtocol", "InstancePort"), spec))
    if not isinstance(spec, dict):
        fail("ValidationError", f"A listener is {{'Protocol', 'LoadBalancerPort', 'InstanceProtocol', "
                                f"'InstancePort'}} or a 4-tuple, not {spec!r}.")
    proto = str(spec.get("Protocol", "")).upper()
    iproto = str(spec.get("InstanceProtocol") or proto).upper()
    for p, what in ((proto, "Protocol"), (iproto, "InstanceProtocol")):
        if p not in ("HTTP", "HTTPS", "TCP", "SSL"):
            fail("ValidationError", f"Listener {what} {p!r} must be HTTP, HTTPS, TCP or SSL.")
    if (proto in ("HTTP", "HTTPS")) != (iproto in ("HTTP", "HTTPS")):
        fail("ValidationError", f"Listener protocols {proto} -> {iproto} do not fit: HTTP(S) front ends need "
                                "HTTP(S) back ends, TCP/SSL need TCP/SSL.")
    lport = check_int(spec.get("LoadBalancerPort"), "LoadBalancerPort", 1, 65535)
    iport = check_int(spec.get("InstancePort"), "InstancePort", 1, 65535)
    cert = spec.get("SSLCertificateId")
    if proto in ("HTTPS", "SSL") and not cert:
        fail("CertificateNotFound", f"A {proto} listener needs SSLCertificateId (an ACM or IAM certificate ARN).")
    return ClassicListener(protocol=proto, load_balancer_port=lport, instance_protocol=iproto,
                           instance_port=iport, ssl_certificate_id=cert)


class _ClassicOps:
    """Classic load balancer actions of :class:`~awskit.elb.ELBService`."""

    @property
    def classic_load_balancers(self: ELBService) -> list[ClassicLoadBalancer]:
        return list(self._classic.values())

    def get_classic_load_balancer(self: ELBService, lb: Any) -> ClassicLoadBalancer:
        """A classic load balancer by object or name.  Raises: LoadBalancerNotFound (AccessPointNotFound)."""
        name = lb.name if isinstance(lb, ClassicLoadBalancer) else lb
        found = self._classic.get(name) if isinstance(name, str) else None
        if found is None or (isinstance(lb, ClassicLoadBalancer) and found is not lb):
            fail("LoadBalancerNotFound", f"There is no ACTIVE Load Balancer named '{name}'. Classic load balancers "
                                         f"here: {listing(self._classic)}.")
        return found

    def create_classic_load_balancer(self: ELBService, name: str, *, listeners: Any, subnets: Any = None,
                                     availability_zones: Any = None, security_groups: Any = None,
                                     scheme: str = "internet-facing",
                                     tags: dict[str, str] | None = None) -> ClassicLoadBalancer:
        """Create a classic load balancer (active at once; the API has no provisioning state).

        ``listeners``: dicts as boto3 takes them or ``(protocol, lb_port, instance_protocol,
        instance_port)`` tuples.  Give ``subnets`` or ``availability_zones`` (the default VPC's
        default subnets in those zones).

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> clb = cloud.elb.create_classic_load_balancer("old", listeners=[("HTTP", 80, "HTTP", 80)],
        ...                                              availability_zones=["us-east-1a", "us-east-1b"])
        >>> clb.cross_zone, clb.health_check.target
        (False, 'TCP:80')

        Raises: ValidationError, DuplicateLoadBalancerName, CertificateNotFound, SubnetNotFound,
        InvalidConfigurationRequest, InvalidSecurityGroup.
        """
        check_name(name)
        if scheme not in ("internet-facing", "internal"):
            fail("ValidationError", f"Scheme {scheme!r} must be 'internet-facing' or 'internal'.")
        if name in self._classic or name in self._lb_by_name:
            fail("DuplicateLoadBalancerName", f"Load balancer name {name!r} is already taken in {self.region.name}.")
        specs = listeners if isinstance(listeners, list) else [listeners]
        if not specs:
            fail("ValidationError", "Give at least one listener, e.g. ('HTTP', 80, 'HTTP', 80).")
        lsts = [_listener(s) for s in specs]
        if len({lst.load_balancer_port for lst in lsts}) != len(lsts):
            fail("DuplicateListener", "Two listeners use the same load balancer port.")
        if (subnets is None) == (availability_zones is None):
            fail("ValidationError", "Give either subnets or availability_zones (not both, not neither).")
        if subnets is None:
            zones = [availability_zones] if isinstance(availability_zones, str) else list(availability_zones)
            vpc = self.region.vpc.default_vpc
            if vpc is None:
                fail("InvalidConfigurationRequest", "No default VPC: give subnets.")
            subs = []
            for z in zones:
                match = [s for s in vpc.subnets if s.default_for_az and s.availability_zone.name == z]
                if not match:
                    fail("ValidationError", f"Availability Zone {z!r} has no default subnet in {self.region.name}. "
                                            f"Zones: {', '.join(a.name for a in self.region.availability_zones)}.")
                subs.append(match[0])
        else:
            subs = self._subnets_arg(subnets, need_two=False)
        vpc = subs[0].vpc
        if len({s.availability_zone.name for s in subs}) != len(subs):
            fail("InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same "
                                                "Availability Zone.")
        groups = self._groups_arg(vpc, security_groups, required=False) or [vpc.default_security_group]
        if scheme == "internet-facing" and vpc.internet_gateway is None:
            fail("InvalidSubnet", f"VPC {vpc.id} has no internet gateway; use scheme='internal' or attach one.")
        internal = "internal-" if scheme == "internal" else ""
        dns = f"{internal}{name}-{self.cloud.rng.randrange(10**8, 10**10)}.{self.region.name}.elb.amazonaws.com"
        lb = ClassicLoadBalancer(service=self, name=name, region=self.region.name, dns_name=dns, scheme=scheme,
                                 vpc=vpc, subnets=subs, security_groups=groups, listeners=lsts,
                                 health_check=ClassicHealthCheck(target=f"TCP:{lsts[0].instance_port}"),
                                 created_at=self.cloud.clock.now, tags=check_tags(tags))
        lb.nodes = [self._make_node(lb, s) for s in subs]
        self._classic[name] = lb
        self._start_lb_billing(lb)
        self._ensure_metrics()
        self.cloud.events.publish("elb.load_balancer.created", name=name, type="classic", region=self.region.name)
        return lb

    def delete_classic_load_balancer(self: ELBService, lb: Any) -> None:
        """Delete a classic load balancer (deleting one that does not exist succeeds, as in AWS)."""
        if isinstance(lb, str) and lb not in self._classic:
            return
        lb = self.get_classic_load_balancer(lb)
        if lb._timer is not None:
            lb._timer.cancel()
        self._drop_nodes(lb)
        del self._classic[lb.name]
        self.cloud.bill.stop_meter(lb._meter)
        self.cloud.events.publish("elb.load_balancer.deleted", name=lb.name, type="classic", region=self.region.name)

    def configure_health_check(self: ELBService, lb: Any, *, target: str, interval: int = 30, timeout: int = 5,
                               unhealthy_threshold: int = 2, healthy_threshold: int = 10) -> ClassicHealthCheck:
        """Set the classic health check, e.g. ``target="HTTP:80/index.html"``.  Raises: ValidationError."""
        lb = self.get_classic_load_balancer(lb)
        hc = ClassicHealthCheck(target=target, interval=interval, timeout=timeout,
                                unhealthy_threshold=unhealthy_threshold, healthy_threshold=healthy_threshold).validate()
        old = lb.health_check.interval
        lb.health_check = hc
        if lb._timer is not None and old != hc.interval:
            lb._timer.cancel()
            lb._timer = None
        self._classic_timer(lb)
        return hc

    def modify_classic_load_balancer_attributes(self: ELBService, lb: Any, *, cross_zone: bool | None = None,
                                                connection_draining: bool | None = None,
                                                draining_timeout: int | None = None,
                                                idle_timeout: int | None = None) -> ClassicLoadBalancer:
        """Cross-zone load balancing, connection draining (timeout 1-3600 s) and idle timeout."""
        lb = self.get_classic_load_balancer(lb)
        for v, what in ((cross_zone, "CrossZoneLoadBalancing.Enabled"), (connection_draining,
                                                                         "ConnectionDraining.Enabled")):
            if v is not None and not isinstance(v, bool):
                fail("ValidationError", f"{what} is True or False, not {v!r}.")
        if draining_timeout is not None:
            check_int(draining_timeout, "ConnectionDraining.Timeout", 1, 3600)
        if idle_timeout is not None:
            check_int(idle_timeout, "ConnectionSettings.IdleTimeout", 1, 4000)
        if cross_zone is not None:
            lb.cross_zone = cross_zone
        if connection_draining is not None:
            lb.connection_draining = connection_draining
        if draining_timeout is not None:
            lb.draining_timeout = draining_timeout
        if idle_timeout is not None:
            lb.idle_timeout = idle_timeout
        return lb

    def register_instances_with_load_balancer(self: ELBService, lb: Any, instances: Any) -> list[str]:
        """Register instances; returns the ids of every registered instance.

        Raises: InvalidInstance (unknown instance, another VPC, not running).
        """
        lb = self.get_classic_load_balancer(lb)
        from ..ec2.instances import Instance

        items = instances if isinstance(instances, list) else [instances]
        found = []
        for item in items:
            iid = item.id if isinstance(item, Instance) else (item.get("InstanceId") if isinstance(item, dict) else item)
            try:
                inst = self.region.ec2.get_instance(iid)
            except (LookupError, ValueError):
                fail("InvalidInstance", f"The specified EndPoint is not valid: {iid!r} is no instance here.")
            if inst.vpc is not lb.vpc:
                fail("InvalidInstance", f"Instance {inst.id} is in {inst.vpc.id}, not in the load balancer's VPC "
                                        f"{lb.vpc.id}.")
            if inst.state.value not in ("pending", "running"):
                fail("InvalidInstance", f"Instance {inst.id} is {inst.state.value} and cannot be registered.")
            found.append(inst)
        port = lb.listeners[0].instance_port
        for inst in found:
            ci = lb.instances.get(inst.id)
            if ci is None:
                ci = ClassicInstance(id=inst.id, instance=inst, port=port, availability_zone=inst.availability_zone.name)
                lb.instances[inst.id] = ci
                if ci.availability_zone not in lb.zone_names:
                    self._set_classic(lb, ci, "OutOfService", "ELB", DESCRIPTIONS["zone"])
                else:
                    self._set_classic(lb, ci, "OutOfService", "ELB", DESCRIPTIONS["registering"])
            elif ci.draining:
                ci.draining = False
                if ci._drain is not None:
                    ci._drain.cancel()
                    ci._drain = None
        self._classic_timer(lb)
        return list(lb.instances)

    def deregister_instances_from_load_balancer(self: ELBService, lb: Any, instances: Any) -> list[str]:
        """Deregister instances (draining first when connection draining is on); returns the ids
        still registered.  Raises: InvalidInstance for an instance not registered."""
        lb = self.get_classic_load_balancer(lb)
        items = instances if isinstance(instances, list) else [instances]
        ids = [getattr(i, "id", None) or (i.get("InstanceId") if isinstance(i, dict) else i) for i in items]
        for iid in ids:
            if iid not in lb.instances:
                fail("InvalidInstance", f"The specified EndPoint is not valid: {iid!r} is not registered with "
                                        f"{lb.name!r}.")
        for iid in ids:
            ci = lb.instances[iid]
            if lb.connection_draining and ci.state == "InService" and not ci.draining:
                ci.draining = True
                self._set_classic(lb, ci, "OutOfService", "ELB", DESCRIPTIONS["deregistering"])
                ci._drain = self.cloud.clock.schedule(lb.draining_timeout, lambda lb=lb, ci=ci: self._drop_classic(lb, ci),
                                                      name=f"drain {ci.id}")
            elif not ci.draining:
                self._drop_classic(lb, ci)
        return [i for i, ci in lb.instances.items() if not ci.draining]

    def _drop_classic(self: ELBService, lb: ClassicLoadBalancer, ci: ClassicInstance) -> None:
        if lb.instances.get(ci.id) is ci:
            del lb.instances[ci.id]
            self.cloud.events.publish("elb.target.health", load_balancer=lb.name, target=ci.id, port=ci.port,
                                      az=ci.availability_zone, old=ci.state, new="deregistered", reason=None,
                                      region=self.region.name)

    def describe_instance_health(self: ELBService, lb: Any, instances: Any = None) -> list[ClassicInstance]:
        """The health of registered instances.  Raises: InvalidInstance for one not registered."""
        lb = self.get_classic_load_balancer(lb)
        if instances is None:
            return list(lb.instances.values())
        items = instances if isinstance(instances, list) else [instances]
        out = []
        for i in items:
            iid = getattr(i, "id", None) or (i.get("InstanceId") if isinstance(i, dict) else i)
            if iid not in lb.instances:
                fail("InvalidInstance", f"The specified EndPoint is not valid: {iid!r} is not registered with "
                                        f"{lb.name!r}.")
            out.append(lb.instances[iid])
        return out

    # -- health checks -------------------------------------------------------------------------
    def _set_classic(self: ELBService, lb: ClassicLoadBalancer, ci: ClassicInstance, state: str, code: str,
                     description: str) -> None:
        old = ci.state
        changed = (old, ci.description) != (state, description)
        ci.state, ci.reason_code, ci.description = state, code, description
        if state == "InService" and old != "InService":
            ci.healthy_since = self.cloud.clock.now
        if changed:
            self.cloud.events.publish("elb.target.health", load_balancer=lb.name, target=ci.id, port=ci.port,
                                      az=ci.availability_zone, old=old, new=state, reason=description,
                                      region=self.region.name)

    def _classic_timer(self: ELBService, lb: ClassicLoadBalancer) -> None:
        if lb.instances and lb._timer is None:
            lb._timer = self.cloud.clock.every(lb.health_check.interval, lambda: self._classic_tick(lb),
                                               name=f"health checks {lb.name}")

    def _classic_tick(self: ELBService, lb: ClassicLoadBalancer) -> None:
        hc = lb.health_check
        proto, port, path = hc.parts
        for ci in list(lb.instances.values()):
            if ci.draining or ci.availability_zone not in lb.zone_names:
                continue
            inst = ci.instance
            state = inst.state.value
            if state != "running":
                ok, why = False, f"Instance is in {state} state."
            elif inst.az_down or port not in inst.apps:
                ok, why = False, DESCRIPTIONS["failed"]
            elif proto in ("TCP", "SSL"):
                ok, why = True, ""
            else:
                resp = inst.handle(Request("GET", path, headers={"User-Agent": "ELB-HealthChecker/1.0"}), port)
                ok, why = resp.status == 200, DESCRIPTIONS["failed"]
            if ok:
                ci.successes += 1
                ci.failures = 0
                if ci.state != "InService" and ci.successes >= hc.healthy_threshold:
                    self._set_classic(lb, ci, "InService", "N/A", "N/A")
            else:
                ci.failures += 1
                ci.successes = 0
                if ci.state == "InService" and ci.failures >= hc.unhealthy_threshold or (
                        ci.state != "InService" and ci.failures >= hc.unhealthy_threshold):
                    self._set_classic(lb, ci, "OutOfService", "Instance", why)

    # -- routing -------------------------------------------------------------------------------------
    def _send_classic(self: ELBService, lb: ClassicLoadBalancer, request: Request, port: int | None,
                      az: str | None) -> RoutingResult:
        res = RoutingResult(load_balancer=lb, request=request)
        lst = (lb.listeners[0] if port is None and len(lb.listeners) == 1 else
               lb.listener(80 if port is None else port))
        if lst is None:
            res.response = Response(503, body=f"Connection refused: no listener on port {port}.")
            res.steps.append(f"No listener on port {port}: connection refused.")
            return res
        res.steps.append(f"Listener {lst.protocol}:{lst.load_balancer_port} -> {lst.instance_protocol}:"
                         f"{lst.instance_port}.")
        node = self._pick_node(lb, az, res)
        if node is None:
            return res
        pool = sorted(lb._pool(node.availability_zone), key=lambda i: i.id)
        if not pool:
            res.response = Response(503, body="Service Unavailable: Back-end server is at capacity.")
            res.steps.append("No instance is InService; a classic load balancer does not fail open: 503.")
            self._record(lb, None, 503, "elb")
            return res
        n = lb._rr
        lb._rr += 1
        if lst.protocol in ("HTTP", "HTTPS"):
            low = min(i.outstanding for i in pool)
            ties = [i for i in pool if i.outstanding == low]
            ci = ties[n % len(ties)]
            why = f"least outstanding requests among {len(pool)} InService"
        else:
            ci = pool[n % len(pool)]
            why = f"round robin over {len(pool)} InService"
        zone_note = "" if lb.cross_zone else f" in {node.availability_zone} (cross-zone off)"
        res.target = ci
        res.selection = why + zone_note
        res.steps.append(f"Instance {ci.id} ({why}{zone_note}).")
        inst = ci.instance
        ci.requests += 1
        if inst.az_down:
            res.response = Response(504, body="Gateway Timeout")
            res.steps.append("The instance did not answer: 504.")
            self._record(lb, None, 504, "elb")
            return res
        if inst.state.value != "running" or lst.instance_port not in inst.apps:
            res.response = Response(502, body="Bad Gateway")
            res.steps.append("The instance refused the connection: 502.")
            self._record(lb, None, 502, "elb")
            return res
        headers = dict(request.headers)
        if lst.protocol in ("HTTP", "HTTPS"):
            headers["X-Forwarded-For"] = request.client_ip or "0.0.0.0"
            headers["X-Forwarded-Proto"] = lst.protocol.lower()
            headers["X-Forwarded-Port"] = str(lst.load_balancer_port)
        fwd = Request(request.method, request.path, headers, dict(request.query), request.body, request.client_ip)
        res.response = inst.handle(fwd, lst.instance_port)
        res.source = "target"
        res.steps.append(f"The instance answered {res.response.status}.")
        self._record(lb, None, res.response.status, "target", latency=self._latency(ci),
                     size=len(request.body) + len(res.response.body) + 400)
        return res
