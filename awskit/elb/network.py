"""Network Load Balancers: connection-level (layer 4) load balancing with static addresses.

A Network Load Balancer does not read HTTP.  It listens for TCP, UDP or TLS connections and
sends each *flow* to one target chosen by a hash of the flow's 5-tuple (source address and
port, destination address and port, protocol): every packet of one connection reaches the
same target, while different connections spread out.  Each Availability Zone's node has one
static address for the life of the balancer (optionally an Elastic IP).  Cross-zone load
balancing is off by default for NLB: a node sends only to targets in its own zone.

Health checks of NLB target groups default to TCP: the check passes when the instance runs
and something listens on the port (HTTP checks work too).
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from ..http import Request
from ._common import check_int, fail
from .application import RoutingResult

if TYPE_CHECKING:
    from .service import ELBService
    from .targets import Target

__all__: list[str] = []


class _NetworkOps:
    """NLB-specific actions of :class:`~awskit.elb.ELBService`."""

    def static_ips(self: ELBService, lb: Any) -> dict[str, str]:
        """The static address of each zone's node of a Network Load Balancer.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> nlb = cloud.elb.create_load_balancer("tcp", subnets=cloud.vpc.default_vpc.subnets[:2], type="network")
        >>> sorted(cloud.elb.static_ips(nlb))
        ['us-east-1a', 'us-east-1b']
        """
        lb = self.get_load_balancer(lb)
        if lb.type != "network":
            fail("ValidationError", f"{lb.name} is an {lb.type} load balancer: only Network Load Balancers have "
                                    "one static address per zone (use resolve() for an ALB).")
        return {n.availability_zone: n.ip for n in lb.nodes}

    def flow_target(self: ELBService, lb: Any, client_ip: str, client_port: int, *, port: int | None = None,
                    az: str | None = None) -> Target | None:
        """The target a flow from ``client_ip:client_port`` lands on (same flow, same target)."""
        check_int(client_port, "client_port", 1, 65535)
        result = self._send_network(self.get_load_balancer(lb), Request("GET", "/"), port, az, client_port,
                                    client_ip=client_ip, deliver=False)
        return result.target

    def _send_network(self: ELBService, lb: Any, request: Request, port: int | None, az: str | None,
                      client_port: int | None, *, client_ip: str | None = None,
                      deliver: bool = True) -> RoutingResult:
        res = RoutingResult(load_balancer=lb, request=request)
        lst = self._pick_listener(lb, port, res)
        if lst is None:
            return res
        node = self._pick_node(lb, az, res)
        if node is None:
            return res
        src = client_ip or request.client_ip or "0.0.0.0"
        if client_port is None:
            client_port = 32768 + zlib.crc32(src.encode()) % 28000
        flow = (src, client_port, node.ip, lst.port, lst.protocol)
        action = lst.default_rule.action
        tg = action.target_groups[0][0]
        res.rule, res.action, res.target_group = lst.default_rule, action, tg
        res.steps.append(f"Flow {src}:{client_port} -> {node.ip}:{lst.port} ({lst.protocol}) forwarded to "
                         f"target group {tg.name!r}.")
        if not deliver:
            target, why = self._choose_target(lb, tg, node.availability_zone, None, flow)
            res.target, res.selection = target, why
            return res
        self._deliver(lb, tg, node, request, res, protocol=lst.protocol, port=lst.port, flow=flow)
        return res
