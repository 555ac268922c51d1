"""``cloud.elb``: every load balancer of one account in one Region (ALB, NLB and classic).

Besides the AWS actions (in :mod:`.application`, :mod:`.targets`, :mod:`.network`,
:mod:`.classic`) the service routes traffic: :meth:`ELBService.send` for one request with its
decision trail, :meth:`ELBService.distribution` for how N requests spread over targets and
zones, and :meth:`ELBService.route_load` for a request *rate* (what a workload model needs:
no Request object per request).

Metrics go to CloudWatch once a simulated minute (one clock event for the whole service):
``AWS/ApplicationELB`` (RequestCount, TargetResponseTime, HTTPCode_Target_2XX/3XX/4XX/5XX_Count,
HTTPCode_ELB_4XX/5XX_Count, HTTP_Fixed_Response_Count, HTTP_Redirect_Count, NewConnectionCount,
ActiveConnectionCount, ProcessedBytes, RuleEvaluations, HealthyHostCount, UnHealthyHostCount,
RequestCountPerTarget), ``AWS/NetworkELB`` (NewFlowCount, ActiveFlowCount, ProcessedBytes,
HealthyHostCount, UnHealthyHostCount) and ``AWS/ELB`` for classic (RequestCount, Latency,
HTTPCode_Backend_2XX..5XX, HTTPCode_ELB_5XX, HealthyHostCount, UnHealthyHostCount).
Simplification: every request counts as one new connection (ActiveConnectionCount is the
per-minute sum of those).

Prices (us-east-1 list prices as published in 2025-2026; approximate): ALB $0.0225 per hour
plus $0.008 per LCU-hour; NLB $0.0225 per hour plus $0.006 per NLCU-hour; Classic $0.025 per
hour plus $0.008 per GB processed.  The LCU of a minute is the largest of its dimensions
(new connections / 25 per s, active connections / 3000, processed GB per hour, rule
evaluations beyond 10 free per request / 1000 per s), charged at the end of each minute.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..http import Request, Response
from ._common import fail
from .application import LoadBalancer, RoutingResult, _ApplicationOps
from .classic import ClassicLoadBalancer, _ClassicOps
from .dns import ConnectionReport, Resolver, advertised_nodes, simulate_connections
from .listeners import _ListenerOps
from .network import _NetworkOps
from .targets import Target, TargetState, _TargetOps

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

__all__ = ["PRICES", "Distribution", "ELBService", "LoadReport"]

#: USD list prices, us-east-1 (approximate, 2025-2026)
PRICES = {"alb.hour": 0.0225, "alb.lcu_hour": 0.008, "nlb.hour": 0.0225, "nlb.nlcu_hour": 0.006,
          "clb.hour": 0.025, "clb.gb": 0.008}
METRIC_PERIOD = 60


@dataclass(slots=True, kw_only=True)
class Distribution:
    """How ``n`` requests spread over targets and Availability Zones (deterministic)."""

    requests: int
    per_target: dict[str, int] = field(default_factory=dict)
    per_az: dict[str, int] = field(default_factory=dict)
    per_node: dict[str, int] = field(default_factory=dict)
    unrouted: int = 0

    def share(self, target: str) -> float:
        """The fraction of all requests one target got."""
        return self.per_target.get(target, 0) / self.requests if self.requests else 0.0

    @property
    def shares(self) -> dict[str, float]:
        return {k: v / self.requests for k, v in self.per_target.items()} if self.requests else {}

    def __repr__(self) -> str:
        return f"Distribution(requests={self.requests}, per_az={self.per_az}, targets={len(self.per_target)})"


@dataclass(slots=True, kw_only=True)
class LoadReport:
    """A request rate split over targets: requests per second each target receives."""

    rps: float
    duration_s: float
    per_target: dict[Any, float] = field(default_factory=dict)
    per_az: dict[str, float] = field(default_factory=dict)
    unrouted_rps: float = 0.0

    def __repr__(self) -> str:
        return (f"LoadReport(rps={self.rps:g}, targets={len(self.per_target)}, "
                f"unrouted_rps={self.unrouted_rps:g})")


class ELBService(_ApplicationOps, _ListenerOps, _TargetOps, _NetworkOps, _ClassicOps):
    """Elastic Load Balancing in one Region: ``cloud.elb``.

    >>> from awskit import Cloud
    >>> from awskit.http import Request, Response
    >>> cloud = Cloud(seed=1)
    >>> vpc = cloud.vpc.default_vpc
    >>> lb = cloud.elb.create_load_balancer("shop", subnets=vpc.subnets[:2])
    >>> tg = cloud.elb.create_target_group("shop", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    >>> _ = cloud.elb.create_listener(lb, port=80, default_actions=tg)
    >>> web = cloud.ec2.run_instance(subnet=vpc.subnets[0])
    >>> web.serve(lambda req: Response(200, body="hello"))
    >>> _ = cloud.elb.register_targets(tg, web)
    >>> cloud.clock.advance(minutes=3)
    >>> result = cloud.elb.send(lb, Request("GET", "/"))
    >>> result.status, result.response.body, result.target.id == web.id
    (200, 'hello', True)
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name = region.name
        self._load_balancers: dict[str, LoadBalancer] = {}
        self._lb_by_name: dict[str, LoadBalancer] = {}
        self._target_groups: dict[str, Any] = {}
        self._tg_by_name: dict[str, Any] = {}
        self._classic: dict[str, ClassicLoadBalancer] = {}
        self._rr: dict[tuple[str, str], int] = {}
        self._acc: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0])
        self._lcu: dict[Any, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # conns, bytes, rule evals
        self._metrics_timer = None
        self._health_series: dict[tuple, tuple] = {}  # (LB, target group) -> its two host-count metrics

    # -- finding any load balancer ----------------------------------------------------------------
    def _any_lb(self, lb: Any) -> Any:
        if isinstance(lb, (LoadBalancer, ClassicLoadBalancer)):
            return self.get_classic_load_balancer(lb) if isinstance(lb, ClassicLoadBalancer) \
                else self.get_load_balancer(lb)
        if isinstance(lb, str):
            if lb in self._classic:
                return self._classic[lb]
            for cand in (*self._load_balancers.values(), *self._classic.values()):
                if lb in (cand.dns_name, f"dualstack.{cand.dns_name}"):
                    return cand
        return self.get_load_balancer(lb)

    def resolve(self, dns_name: str) -> list[str]:
        """The IP addresses a DNS query for a load balancer's name returns now (TTL 60 s).

        See :mod:`awskit.elb.dns` for which nodes are left out.  Raises: LoadBalancerNotFound
        for a name that is no load balancer's.
        """
        if not isinstance(dns_name, str):
            fail("ValidationError", f"A DNS name is text, not {dns_name!r}.")
        for cand in (*self._load_balancers.values(), *self._classic.values()):
            if dns_name.lower() in (cand.dns_name.lower(), f"dualstack.{cand.dns_name}".lower()):
                return [n.ip for n in advertised_nodes(self, cand)]
        fail("LoadBalancerNotFound", f"No load balancer has the DNS name {dns_name!r} (NXDOMAIN).")

    def resolver(self, ttl: int = 60) -> Resolver:
        """A caching client resolver: answers are reused for ``ttl`` simulated seconds."""
        return Resolver(self, ttl)

    # -- sending traffic ------------------------------------------------------------------------------
    def send(self, lb: Any, request: Request, *, port: int | None = None, az: str | None = None,
             client_port: int | None = None) -> RoutingResult:
        """Send one request through a load balancer; returns the response and its decision trail.

        Args:
            lb: an ALB, NLB or classic load balancer (object, name, ARN or DNS name).
            request: an :class:`awskit.http.Request`; its ``Host`` header and ``client_ip``
                take part in routing.
            port: the listener port (default: the only listener, else port 80, else the first).
            az: pin the request to the node in this Availability Zone (default: DNS round robin
                over the nodes DNS returns).
            client_port: the client's source port (NLB flow hashing; default derived from the
                client address).
        """
        if not isinstance(request, Request):
            fail("ValidationError", f"send() takes an awskit.http.Request, not {request!r}.")
        target = self._any_lb(lb)
        if isinstance(target, ClassicLoadBalancer):
            return self._send_classic(target, request, port, az)
        if target.type == "network":
            return self._send_network(target, request, port, az, client_port)
        return self._send_application(target, request, port, az)

    def send_many(self, lb: Any, requests: list[Request], **kwargs: Any) -> list[RoutingResult]:
        """Send several requests in order (same options as :meth:`send`).

        Raises: LoadBalancerNotFound, ValidationError (``requests`` not a list of Requests).
        """
        if isinstance(requests, (str, bytes, dict, Request)) or not hasattr(requests, "__iter__"):
            fail("ValidationError", f"send_many() takes a list of awskit.http.Request objects "
                                    f"(use send() for one), not {requests!r}.")
        requests = list(requests)
        target = self._any_lb(lb)
        return [self.send(target, r, **kwargs) for r in requests]

    def simulate_connections(self, lb: Any, *, clients: int = 10, requests_per_client: int = 10,
                             keep_alive: bool = True, request: Request | None = None,
                             port: int | None = None) -> ConnectionReport:
        """Front-end vs back-end connection counts for a burst of traffic (see :mod:`awskit.elb.dns`)."""
        return simulate_connections(self, self._any_lb(lb), clients=clients, requests_per_client=requests_per_client,
                                    keep_alive=keep_alive, request=request, port=port)

    def _pick_listener(self, lb: Any, port: int | None, res: RoutingResult) -> Any:
        if not lb.is_active:
            res.response = Response(503, body=f"{lb.name} is {lb.state.value}; it accepts traffic once active.")
            res.steps.append(f"The load balancer is {lb.state.value}: DNS has no address for it yet.")
            return None
        listeners = lb.listeners
        if port is None:
            lst = (listeners[0] if len(listeners) == 1 else lb.listener(80) or (listeners[0] if listeners else None))
        else:
            lst = lb.listener(port)
        if lst is None:
            res.response = Response(503, body=f"Connection refused: no listener on port {port}.")
            res.steps.append(f"No listener on port {port} (listeners: "
                             f"{', '.join(str(x.port) for x in listeners) or 'none'}): connection refused.")
            return None
        res.listener = lst
        res.steps.append(f"Listener {lst.protocol}:{lst.port} accepts the connection.")
        return lst

    def _pick_node(self, lb: Any, az: str | None, res: RoutingResult) -> Any:
        if az is not None:
            node = next((n for n in lb.nodes if n.availability_zone == az), None)
            if node is None:
                fail("ValidationError", f"{lb.name} has no node in {az!r}; its zones: "
                                        f"{', '.join(n.availability_zone for n in lb.nodes)}.")
            if az in self.cloud.failed_azs:
                res.response = Response(504, body=f"The node in {az} does not answer: the zone is down.")
                res.steps.append(f"The client used the node in {az}, but that Availability Zone is down.")
                return None
        else:
            nodes = advertised_nodes(self, lb)
            if not nodes:
                res.response = Response(503, body="The load balancer has no node to answer.")
                res.steps.append("DNS returned no node address.")
                return None
            node = nodes[lb._node_rr % len(nodes)]
            lb._node_rr += 1
        res.node = node
        res.steps.append(f"DNS sent the client to the node in {node.availability_zone} ({node.ip}).")
        return node

    def _cross_zone(self, lb: Any, group: Any) -> bool:
        if group is lb:  # a classic balancer is its own "group"
            return lb.cross_zone
        return group.cross_zone(lb)

    def _pool(self, lb: Any, tg: Any, az: str, explain: bool = True) -> tuple[list[Target], str]:
        """The targets a node in ``az`` may pick from, and why (health, fail-open, cross-zone).

        ``explain=False`` leaves the reason empty (bulk routing asks every minute and never shows it).
        """
        regs = [t for t in tg.targets.values() if t.state is not TargetState.DRAINING
                and t.state is not TargetState.UNUSED]
        if not regs:
            return [], f"target group {tg.name!r} has no registered targets in service" if explain else ""
        healthy = [t for t in regs if t.state is TargetState.HEALTHY]
        if healthy:
            pool = healthy
            why = f"{len(healthy)} healthy of {len(regs)} registered" if explain else ""
        else:
            pool = regs
            why = (f"no target is healthy, so the load balancer fails open to all {len(regs)} registered"
                   if explain else "")
        if not self._cross_zone(lb, tg):
            zone = [t for t in pool if t.availability_zone == az]
            if zone:
                pool = zone
                if explain:
                    why += f"; cross-zone off: only the {len(zone)} in {az}"
            elif explain:
                why += f"; cross-zone off but none usable in {az}, so any zone"
        return pool, why

    def _choose_target(self, lb: Any, tg: Any, az: str, request: Request | None = None,
                       flow: tuple | None = None) -> tuple[Target | None, str]:
        pool, why = self._pool(lb, tg, az)
        if not pool:
            return None, why
        if request is not None and tg.attributes.get("stickiness.enabled") == "true" and lb.type == "application":
            cookie = next((v for k, v in request.headers.items() if k.lower() == "cookie"), "")
            for t in pool:
                if f"AWSALB={t.id}:{t.port}" in cookie:
                    return t, why + f"; sticky: the AWSALB cookie names {t.id}:{t.port}"
        pool = sorted(pool, key=lambda t: t.key)
        if flow is not None:
            digest = hashlib.sha256("|".join(map(str, flow)).encode()).digest()
            i = int.from_bytes(digest[:8], "big") % len(pool)
            return pool[i], why + f"; flow hash of {flow} picks #{i} of {len(pool)}"
        key = (tg.arn, "*" if self._cross_zone(lb, tg) else az)
        n = self._rr.get(key, 0)
        self._rr[key] = n + 1
        if tg.algorithm == "least_outstanding_requests":
            low = min(t.outstanding for t in pool)
            ties = [t for t in pool if t.outstanding == low]
            t = ties[n % len(ties)]
            return t, why + f"; least outstanding requests ({low} in flight)"
        t = pool[n % len(pool)]
        return t, why + f"; round robin #{n % len(pool) + 1} of {len(pool)}"

    def _deliver(self, lb: Any, tg: Any, node: Any, request: Request, res: RoutingResult, *,
                 protocol: str, port: int, flow: tuple | None = None) -> None:
        target, why = self._choose_target(lb, tg, node.availability_zone, request, flow)
        res.selection = why
        if target is None:
            res.response = Response(503, body="Service Unavailable: no registered targets.")
            res.steps.append(f"No target: {why}. The load balancer answers 503.")
            self._record(lb, tg, 503, "elb")
            return
        res.target = target
        res.steps.append(f"Target {target.id}:{target.port} in {target.availability_zone} ({why}).")
        headers = dict(request.headers)
        if lb.type == "application":
            prior = headers.get("X-Forwarded-For")
            ip = request.client_ip or "0.0.0.0"
            headers["X-Forwarded-For"] = f"{prior}, {ip}" if prior else ip
            headers["X-Forwarded-Proto"] = protocol.lower()
            headers["X-Forwarded-Port"] = str(port)
        forwarded = Request(request.method, request.path, headers, dict(request.query), request.body,
                            request.client_ip)
        inst = target.instance
        target.requests += 1
        if inst is None or inst.az_down:
            res.response = Response(504, body="Gateway Timeout: the target did not answer.")
            res.steps.append("The target did not answer in time: the load balancer answers 504.")
            self._record(lb, tg, 504, "elb")
            return
        if inst.state.value != "running" or target.port not in inst.apps:
            res.response = Response(502, body="Bad Gateway: the target refused the connection.")
            state = inst.state.value
            res.steps.append(f"The target refused the connection ({state if state != 'running' else 'nothing listens on port ' + str(target.port)}): 502.")
            self._record(lb, tg, 502, "elb")
            return
        response = inst.handle(forwarded, target.port)
        res.response = response
        res.source = "target"
        res.steps.append(f"The target answered {response.status} {response.reason}.")
        if lb.type == "application" and tg.attributes.get("stickiness.enabled") == "true":
            response.headers.setdefault("Set-Cookie", f"AWSALB={target.id}:{target.port}")
        self._record(lb, tg, response.status, "target", latency=self._latency(target),
                     size=len(request.body) + len(response.body) + 400)

    @staticmethod
    def _latency(target: Any) -> float:
        """Simulated target response time in seconds: 10 ms, growing as the instance's CPU fills."""
        cpu = getattr(target.instance, "cpu_load", 0.0) or 0.0
        return 0.010 / max(0.05, 1.0 - min(cpu, 99.0) / 100.0)

    # -- metrics --------------------------------------------------------------------------------------
    def _ensure_metrics(self) -> None:
        if self._metrics_timer is None:
            self._metrics_timer = self.cloud.clock.every(METRIC_PERIOD, self._flush_metrics, name="elb metrics")

    def _add(self, ns: str, name: str, dims: tuple, value: float, count: float = 1.0) -> None:
        acc = self._acc[(ns, name, dims)]
        acc[0] += value
        acc[1] += count

    def _count_rule_evals(self, lb: Any, n: int) -> None:
        self._lcu[lb][2] += max(0, n - 10)
        self._add("AWS/ApplicationELB", "RuleEvaluations", (("LoadBalancer", lb.metric_id),), n, 0)

    def _record(self, lb: Any, tg: Any, status: int, source: str, *, latency: float | None = None,
                size: int = 600, n: float = 1.0) -> None:
        """Accumulate one request (or ``n`` identical ones) for the next once-a-minute flush."""
        lcu = self._lcu[lb]
        lcu[0] += n
        lcu[1] += size * n
        cls = f"{status // 100}XX"
        if lb.kind == "classic":
            dims = (("LoadBalancerName", lb.name),)
            self._add("AWS/ELB", "RequestCount", dims, n)
            if source == "target":
                self._add("AWS/ELB", f"HTTPCode_Backend_{cls}", dims, n)
                self._add("AWS/ELB", "Latency", dims, (latency or 0.0) * n, n)
            else:
                self._add("AWS/ELB", f"HTTPCode_ELB_{cls}", dims, n)
                if status in (502, 504):
                    self._add("AWS/ELB", "BackendConnectionErrors", dims, n)
            return
        if lb.type == "network":
            dims = (("LoadBalancer", lb.metric_id),)
            self._add("AWS/NetworkELB", "NewFlowCount", dims, n)
            self._add("AWS/NetworkELB", "ActiveFlowCount", dims, n)
            self._add("AWS/NetworkELB", "ProcessedBytes", dims, size * n)
            return
        ns = "AWS/ApplicationELB"
        lbd = (("LoadBalancer", lb.metric_id),)
        self._add(ns, "RequestCount", lbd, n)
        self._add(ns, "NewConnectionCount", lbd, n)
        self._add(ns, "ActiveConnectionCount", lbd, n)
        self._add(ns, "ProcessedBytes", lbd, size * n)
        tgd = (("LoadBalancer", lb.metric_id), ("TargetGroup", f"targetgroup/{tg.name}/{tg.id}")) if tg else None
        if tgd:
            self._add(ns, "RequestCount", tgd, n)
        if source == "target":
            self._add(ns, f"HTTPCode_Target_{cls}_Count", lbd, n)
            self._add(ns, "TargetResponseTime", lbd, (latency or 0.0) * n, n)
            if tgd:
                self._add(ns, f"HTTPCode_Target_{cls}_Count", tgd, n)
                self._add(ns, "TargetResponseTime", tgd, (latency or 0.0) * n, n)
        elif source == "elb-fixed":
            self._add(ns, "HTTP_Fixed_Response_Count", lbd, n)
        elif source == "elb-redirect":
            self._add(ns, "HTTP_Redirect_Count", lbd, n)
        elif status >= 400:
            self._add(ns, f"HTTPCode_ELB_{cls}_Count", lbd, n)

    _AVERAGED = frozenset({"TargetResponseTime", "Latency"})

    def _flush_metrics(self) -> None:
        """Once a minute: push the accumulated counters, health counts and LCU charges."""
        cw = self.region.cloudwatch
        t = self.cloud.clock.now - METRIC_PERIOD
        for (ns, name, dims), (value, count) in self._acc.items():
            if name in self._AVERAGED:
                if count:
                    cw.put(ns, name, value / count, dimensions=dict(dims), unit="Seconds", timestamp=t, count=count)
            else:
                cw.put(ns, name, value, dimensions=dict(dims), unit="Bytes" if name == "ProcessedBytes" else "Count",
                       timestamp=t)
        self._acc.clear()
        series = self._health_series
        for lb in self._load_balancers.values():
            ns = "AWS/ApplicationELB" if lb.type == "application" else "AWS/NetworkELB"
            for tg in lb.target_groups_in_use():
                healthy = unhealthy = 0
                for x in tg.targets.values():
                    if x.state is TargetState.HEALTHY:
                        healthy += 1
                    elif x.state is TargetState.UNHEALTHY:
                        unhealthy += 1
                pair = series.get((lb, tg))
                if pair is None:   # the two metrics of this (LB, group) are looked up once
                    dims = {"LoadBalancer": lb.metric_id, "TargetGroup": f"targetgroup/{tg.name}/{tg.id}"}
                    pair = series[(lb, tg)] = (cw._series(ns, "HealthyHostCount", dims),
                                               cw._series(ns, "UnHealthyHostCount", dims))
                cw._emit(pair[0], healthy, "Count", t)
                cw._emit(pair[1], unhealthy, "Count", t)
                reqs = sum(x.requests for x in tg.targets.values())
                if reqs and lb.type == "application":
                    cw.put(ns, "RequestCountPerTarget", reqs / max(1, len(tg.targets)),
                           dimensions={"TargetGroup": f"targetgroup/{tg.name}/{tg.id}"}, unit="Count", timestamp=t)
                for x in tg.targets.values():
                    x.requests = 0
        for clb in self._classic.values():
            dims = {"LoadBalancerName": clb.name}
            healthy = sum(1 for i in clb.instances.values() if i.in_service)
            cw.put("AWS/ELB", "HealthyHostCount", healthy, dimensions=dims, unit="Count", timestamp=t)
            cw.put("AWS/ELB", "UnHealthyHostCount", len(clb.instances) - healthy, dimensions=dims, unit="Count",
                   timestamp=t)
        self._charge_capacity_units()

    def _charge_capacity_units(self) -> None:
        for lb, (conns, nbytes, rules) in self._lcu.items():
            if not (conns or nbytes or rules):
                continue
            gb_per_hour = nbytes * 60 / 1e9
            if lb.kind == "classic":
                self.cloud.bill.charge("elb", lb.name, "CLB data processed (GB)", nbytes / 1e9 * PRICES["clb.gb"])
                continue
            if lb.type == "application":
                units = max(conns / 60 / 25, conns / 3000, gb_per_hour, rules / 60 / 1000)
                self.cloud.bill.charge("elb", lb.arn, "ALB LCU-hours", units * PRICES["alb.lcu_hour"] / 60)
            else:
                units = max(conns / 60 / 800, conns / 100_000, gb_per_hour)
                self.cloud.bill.charge("elb", lb.arn, "NLB NLCU-hours", units * PRICES["nlb.nlcu_hour"] / 60)
        self._lcu.clear()

    def _start_lb_billing(self, lb: Any) -> None:
        if lb.kind == "classic":
            lb._meter = self.cloud.bill.start_meter("elb", lb.name, "CLB hours", hourly=PRICES["clb.hour"])
        elif lb.type == "application":
            lb._meter = self.cloud.bill.start_meter("elb", lb.arn, "ALB hours", hourly=PRICES["alb.hour"])
        else:
            lb._meter = self.cloud.bill.start_meter("elb", lb.arn, "NLB hours", hourly=PRICES["nlb.hour"])

    # -- bulk traffic -------------------------------------------------------------------------------
    def _groups_of(self, lb: Any, port: int | None) -> list[tuple[Any, float]]:
        """(group, weight) the default action of a listener forwards to."""
        if lb.kind == "classic":
            return [(lb, 1.0)]
        listeners = lb.listeners
        lst = (lb.listener(port) if port is not None else
               (listeners[0] if len(listeners) == 1 else lb.listener(80) or (listeners[0] if listeners else None)))
        if lst is None:
            return []
        action = lst.default_rule.action
        return [(tg, float(w)) for tg, w in action.target_groups]

    def _split(self, lb: Any, group: Any, az: str) -> list[tuple[Any, float]]:
        """(target, fraction) of a node's traffic: equal split of the pool, slow start weighted."""
        if lb.kind == "classic":
            pool = lb._pool(az)
        else:
            pool, _ = self._pool(lb, group, az, explain=False)
        if not pool:
            return []
        ramp = int(getattr(group, "attributes", {}).get("slow_start.duration_seconds", "0") or 0)
        if not ramp:    # no slow start: equal shares (the weights below would all be 1.0)
            share = 1.0 / float(len(pool))
            return [(t, share) for t in pool]
        weights = []
        now = self.cloud.clock.now
        for t in pool:
            w = 1.0
            since = getattr(t, "healthy_since", None)
            if ramp and since is not None and now - since < ramp:
                w = max(0.05, (now - since) / ramp)
            weights.append(w)
        total = sum(weights)
        return [(t, w / total) for t, w in zip(pool, weights)]

    def distribution(self, lb: Any, n_requests: int, *, port: int | None = None) -> Distribution:
        """How ``n_requests`` spread over targets and zones, deterministically.

        DNS spreads clients evenly over the nodes it returns; each node splits its share
        evenly (round robin) over the targets it may use: all healthy targets with cross-zone
        on, only those in its own zone with cross-zone off.  With 2 instances in zone a and 8
        in zone b and cross-zone off, each instance in a gets 25% and each in b 6.25%; with
        cross-zone on, 10% each.
        """
        lb = self._any_lb(lb)
        if isinstance(n_requests, bool) or not isinstance(n_requests, int) or n_requests < 0:
            fail("ValidationError", f"n_requests is a whole number >= 0, not {n_requests!r}.")
        out = Distribution(requests=n_requests)
        nodes = advertised_nodes(self, lb)
        groups = self._groups_of(lb, port)
        if not nodes or not groups:
            out.unrouted = n_requests
            return out
        wsum = sum(w for _, w in groups)
        for i, node in enumerate(nodes):
            share = n_requests // len(nodes) + (1 if i < n_requests % len(nodes) else 0)
            out.per_node[node.availability_zone] = share
            for g_i, (group, w) in enumerate(groups):
                part = round(share * w / wsum) if g_i < len(groups) - 1 else share - sum(
                    round(share * ww / wsum) for _, ww in groups[:-1])
                split = self._split(lb, group, node.availability_zone)
                if not split:
                    out.unrouted += part
                    continue
                base, rest = divmod(part, len(split))
                for j, (t, _) in enumerate(sorted(split, key=lambda p: (p[0].id, getattr(p[0], "port", 0)))):
                    got = base + (1 if j < rest else 0)
                    label = t.id if lb.kind == "classic" else f"{t.id}:{t.port}"
                    out.per_target[label] = out.per_target.get(label, 0) + got
                    out.per_az[t.availability_zone] = out.per_az.get(t.availability_zone, 0) + got
        return out

    def route_load(self, lb: Any, rps: float, duration_s: float = 60.0, *, port: int | None = None,
                   record: bool = True) -> LoadReport:
        """Split a request *rate* over targets fast (no Request objects): requests/s per target.

        The split follows the same rules as real routing (DNS over nodes, health and fail-open,
        cross-zone, target-group weights, slow start ramps); round robin and least outstanding
        requests both spread a steady rate evenly.  With ``record`` the requests are added to
        the minute's CloudWatch counters (all as 2XX from running targets, 502 from others).
        Each target's ``requests`` counter grows too.
        """
        lb = self._any_lb(lb)
        if isinstance(rps, bool) or not isinstance(rps, (int, float)) or rps < 0:
            fail("ValidationError", f"rps is a number >= 0, not {rps!r}.")
        if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) or duration_s <= 0:
            fail("ValidationError", f"duration_s is a number > 0, not {duration_s!r}.")
        report = LoadReport(rps=float(rps), duration_s=float(duration_s))
        nodes = advertised_nodes(self, lb)
        groups = self._groups_of(lb, port)
        if not nodes or not groups:
            report.unrouted_rps = float(rps)
            return report
        wsum = sum(w for _, w in groups) or 1.0
        per_node = rps / len(nodes)
        for node in nodes:
            for group, w in groups:
                part = per_node * w / wsum
                split = self._split(lb, group, node.availability_zone)
                if not split:
                    report.unrouted_rps += part
                    continue
                for t, frac in split:
                    r = part * frac
                    report.per_target[t] = report.per_target.get(t, 0.0) + r
                    report.per_az[t.availability_zone] = report.per_az.get(t.availability_zone, 0.0) + r
        if record:
            for t, r in report.per_target.items():
                n = r * duration_s
                inst = t.instance
                ok = inst is not None and inst.state.value == "running" and not inst.az_down
                tg = None if lb.kind == "classic" else t.target_group
                if hasattr(t, "requests"):
                    t.requests += int(n)
                self._record(lb, tg, 200 if ok else 502, "target" if ok else "elb",
                             latency=self._latency(t) if ok else None, n=n)
            if report.unrouted_rps:
                self._record(lb, None, 503, "elb", n=report.unrouted_rps * duration_s)
        return report

    def __repr__(self) -> str:
        return (f"ELBService({self.region_name!r}, load_balancers={len(self._load_balancers)}, "
                f"classic={len(self._classic)}, target_groups={len(self._target_groups)})")
