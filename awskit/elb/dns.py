"""How clients find a load balancer, and how it holds their connections.

A load balancer is a set of *nodes*, one per enabled Availability Zone, each with a network
interface in that zone's subnet.  Its DNS name (in ``amazonaws.com``, a zone AWS controls)
resolves to the addresses of the nodes, public ones for an internet-facing balancer and
private ones for an internal balancer, with a TTL of 60 s so that AWS can remap them quickly.
Clients spread themselves over the nodes by using whichever address they get.

What the DNS answer leaves out (AWS's "DNS failover", as documented today): a node in an
Availability Zone that is down; and, when cross-zone load balancing is off, a node whose zone
has no healthy target (it could only fail the request).  If that would leave no node at all,
every node is returned (fail open).

Connections: clients open *front-end* connections to a node; the node keeps *back-end*
connections to the targets and reuses them for requests from many clients (connection
multiplexing), so a busy target sees a handful of connections, not one per client.
:func:`simulate_connections` counts both sides.  Classic Load Balancers also pre-open
back-end connections; Application Load Balancers do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..http import Request
from ._common import fail

if TYPE_CHECKING:
    from .service import ELBService

__all__ = ["DNS_TTL", "ConnectionReport", "DnsAnswer", "LoadBalancerNode", "Resolver", "simulate_connections"]

#: seconds a resolver may cache an ELB DNS answer
DNS_TTL = 60

#: Route 53 hosted zone ids of ELB DNS names (us-east-1; other Regions use the us-east-1 ids
#: as a stand-in, a simplification).
HOSTED_ZONES = {"application": "Z35SXDOTRQ7X7K", "classic": "Z35SXDOTRQ7X7K", "network": "Z26RNL4JYFTOTI"}


@dataclass(slots=True, kw_only=True, eq=False)
class LoadBalancerNode:
    """One node of a load balancer: its Availability Zone, subnet, interface and address."""

    load_balancer: Any = field(repr=False)
    availability_zone: str
    subnet: Any = field(repr=False)
    eni: Any = field(repr=False)
    internet_facing: bool = True
    allocation_id: str | None = None

    @property
    def ip(self) -> str:
        """The address DNS hands out: public for internet-facing balancers, else private."""
        eni = self.eni
        if self.internet_facing and eni.public_ip is not None:
            return str(eni.public_ip)
        return str(eni.private_ip_address)

    @property
    def private_ip(self) -> str:
        return str(self.eni.private_ip_address)

    def __repr__(self) -> str:
        return f"LoadBalancerNode({self.availability_zone!r}, ip={self.ip!r}, eni={self.eni.id!r})"


@dataclass(slots=True, frozen=True)
class _ElbAttachment:
    """What a load balancer puts in ``eni.attachment``: the interface is in use by ELB."""

    load_balancer_name: str
    instance: None = None

    def __repr__(self) -> str:
        return f"ELB {self.load_balancer_name}"


@dataclass(slots=True, frozen=True)
class DnsAnswer:
    """A resolver's answer: addresses, seconds left to cache them, and whether it came from cache."""

    name: str
    ips: tuple[str, ...]
    ttl: int
    cached: bool


class Resolver:
    """A client-side DNS resolver that caches ELB answers for their TTL (60 s).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> subnets = cloud.vpc.default_vpc.subnets[:2]
    >>> lb = cloud.elb.create_load_balancer("web", subnets=subnets)
    >>> cloud.clock.advance(minutes=3)
    >>> r = cloud.elb.resolver()
    >>> first = r.resolve(lb.dns_name); again = r.resolve(lb.dns_name)
    >>> len(first.ips), first.cached, again.cached
    (2, False, True)
    """

    def __init__(self, service: ELBService, ttl: int = DNS_TTL) -> None:
        self.service = service
        self.ttl = ttl
        self._cache: dict[str, tuple[tuple[str, ...], float]] = {}

    def resolve(self, dns_name: str) -> DnsAnswer:
        now = self.service.cloud.clock.now
        hit = self._cache.get(dns_name)
        if hit is not None and hit[1] > now:
            return DnsAnswer(dns_name, hit[0], int(hit[1] - now), True)
        ips = tuple(self.service.resolve(dns_name))
        self._cache[dns_name] = (ips, now + self.ttl)
        return DnsAnswer(dns_name, ips, self.ttl, False)

    def flush(self) -> None:
        self._cache.clear()


def advertised_nodes(service: ELBService, lb: Any) -> list[LoadBalancerNode]:
    """The nodes a DNS query returns now (see the module docstring for the rules)."""
    if not lb.is_active:
        return []
    failed = service.cloud.failed_azs
    up = [n for n in lb.nodes if n.availability_zone not in failed]
    if not up:
        return list(lb.nodes)
    groups = lb.target_groups_in_use()
    if not groups or any(service._cross_zone(lb, g) for g in groups):
        return up   # some group spreads across zones: every node that is up has somewhere to send
    kept = []
    for node in up:
        if not any(_healthy(t) and t.availability_zone == node.availability_zone
                   for g in groups for t in _targets(g)):
            continue
        kept.append(node)
    return kept or up


def _healthy(t: Any) -> bool:
    in_service = getattr(t, "in_service", None)
    return in_service if in_service is not None else t.state.value == "healthy"


def _targets(group: Any):
    return group.targets.values() if hasattr(group, "targets") else group.instances.values()


@dataclass(slots=True, kw_only=True)
class ConnectionReport:
    """Front-end vs back-end connections for a burst of client traffic."""

    clients: int
    requests: int
    keep_alive: bool
    front_end_connections: int
    back_end_connections: int
    pre_opened: int = 0
    per_target: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def multiplexing_ratio(self) -> float:
        """Requests carried per back-end connection."""
        return self.requests / self.back_end_connections if self.back_end_connections else 0.0

    def __repr__(self) -> str:
        return (f"ConnectionReport(requests={self.requests}, front_end={self.front_end_connections}, "
                f"back_end={self.back_end_connections}, keep_alive={self.keep_alive})")


def simulate_connections(service: ELBService, lb: Any, *, clients: int = 10, requests_per_client: int = 10,
                         keep_alive: bool = True, request: Request | None = None,
                         port: int | None = None) -> ConnectionReport:
    """Send ``clients x requests_per_client`` requests and count connections on both sides.

    Clients work in parallel: in each round every client sends one request.  Front end: with
    keep-alive a client opens one connection and reuses it; without it, one per request.
    Back end: the balancer keeps a pool per target and reuses idle connections (multiplexing),
    so a target needs only as many connections as requests it serves *at the same time* (the
    most it got in one round), unless its response says ``Connection: close``.  Classic Load
    Balancers also pre-open one connection per healthy instance per node (``pre_opened``).
    """
    for value, what in ((clients, "clients"), (requests_per_client, "requests_per_client")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
            fail("ValidationError", f"{what} must be a whole number from 1 to 10000, not {value!r}.")
    base = request or Request("GET", "/")
    pool: dict[str, int] = {}
    closing = 0
    statuses: dict[int, int] = {}
    for _ in range(requests_per_client):
        in_round: dict[str, int] = {}
        for c in range(clients):
            req = Request(base.method, base.path, dict(base.headers), dict(base.query), base.body,
                          f"198.51.100.{c % 250 + 1}")
            result = service.send(lb, req, port=port)
            statuses[result.status] = statuses.get(result.status, 0) + 1
            t = result.target
            if t is None:
                continue
            key = f"{t.id}:{t.port}"
            if result.response.headers.get("Connection", "").lower() == "close":
                closing += 1
            else:
                in_round[key] = in_round.get(key, 0) + 1
        for key, n in in_round.items():
            pool[key] = max(pool.get(key, 0), n)
    pre = 0
    if getattr(lb, "kind", "") == "classic":
        pre = sum(1 for i in lb.instances.values() if i.in_service) * len(lb.nodes)
    n_requests = clients * requests_per_client
    return ConnectionReport(clients=clients, requests=n_requests, keep_alive=keep_alive,
                            front_end_connections=clients if keep_alive else n_requests,
                            back_end_connections=sum(pool.values()) + closing, pre_opened=pre,
                            per_target=pool, statuses=statuses)
