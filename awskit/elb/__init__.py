"""Chapters 5-6: Elastic Load Balancing, one front door spreading traffic over many servers.

A load balancer is the single address clients use; it spreads their requests over healthy
targets in several Availability Zones.  Three kinds live in ``cloud.elb``: Application Load
Balancers read HTTP and route by rules (path, host, headers...), Network Load Balancers
route connections by a flow hash with a static address per zone, and Classic Load Balancers
(the first generation) map listener ports straight to registered instances.

>>> from awskit import Cloud
>>> from awskit.http import Request, Response
>>> cloud = Cloud(seed=2)
>>> vpc = cloud.vpc.default_vpc
>>> lb = cloud.elb.create_load_balancer("shop", subnets=vpc.subnets[:2])
>>> tg = cloud.elb.create_target_group("shop", vpc=vpc)
>>> listener = cloud.elb.create_listener(lb, port=80, default_actions=tg)
>>> _ = cloud.elb.create_rule(listener, priority=1, conditions=[("path-pattern", ["/old/*"])],
...     actions={"Type": "redirect", "RedirectConfig": {"Path": "/new/#{path}", "StatusCode": "HTTP_301"}})
>>> cloud.clock.advance(minutes=2)
>>> r = cloud.elb.send(lb, Request("GET", "/old/page", headers={"Host": "shop.example.com"}))
>>> r.status, r.response.headers["Location"]
(301, 'http://shop.example.com/new/old/page')

The package is split by concept: :mod:`.application` (load balancers, listeners, the
routing trail), :mod:`.rules` (rule conditions and actions), :mod:`.targets` (target groups,
health checks, target states), :mod:`.network` (NLB), :mod:`.classic` (classic load
balancers), :mod:`.dns` (nodes, DNS names, resolution, connections) and :mod:`.service`
(``ELBService``: routing, distributions, metrics, bill).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ELBService": ".service", "Distribution": ".service", "LoadReport": ".service", "PRICES": ".service",
    "LoadBalancer": ".application", "LoadBalancerState": ".application", "Listener": ".application",
    "Rule": ".rules", "Condition": ".rules", "Action": ".rules",
    "RoutingResult": ".application", "RuleEvaluation": ".application",
    "TargetGroup": ".targets", "Target": ".targets", "TargetState": ".targets", "HealthCheck": ".targets",
    "TargetHealthDescription": ".targets",
    "ClassicLoadBalancer": ".classic", "ClassicListener": ".classic", "ClassicHealthCheck": ".classic",
    "ClassicInstance": ".classic",
    "LoadBalancerNode": ".dns", "Resolver": ".dns", "DnsAnswer": ".dns", "ConnectionReport": ".dns",
    "DNS_TTL": ".dns",
}

__all__ = [
    "DNS_TTL",
    "PRICES",
    "Action",
    "ClassicHealthCheck",
    "ClassicInstance",
    "ClassicListener",
    "ClassicLoadBalancer",
    "Condition",
    "ConnectionReport",
    "Distribution",
    "DnsAnswer",
    "ELBService",
    "HealthCheck",
    "Listener",
    "LoadBalancer",
    "LoadBalancerNode",
    "LoadBalancerState",
    "LoadReport",
    "Resolver",
    "RoutingResult",
    "Rule",
    "RuleEvaluation",
    "Target",
    "TargetGroup",
    "TargetHealthDescription",
    "TargetState",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.elb' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
