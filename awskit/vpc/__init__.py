"""Chapter 2: Amazon VPC, a private network of your own inside an AWS Region.

A VPC is an IPv4 address block you control; subnets cut it into pieces, each in one
Availability Zone.  Route tables decide where traffic leaving a subnet goes (a subnet is
*public* when its table sends internet-bound traffic to an attached internet gateway),
network ACLs filter traffic at the subnet's edge without memory of connections, and
security groups (:mod:`awskit.security`) guard each network interface statefully.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=7)
>>> vpc = cloud.vpc.create_vpc("10.0.0.0/16", tags={"Name": "shop"})
>>> web = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
>>> igw = cloud.vpc.create_internet_gateway()
>>> cloud.vpc.attach_internet_gateway(igw, vpc)
>>> web.is_public
False
>>> _ = cloud.vpc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
>>> web.is_public, web.available_ip_address_count
(True, 251)

The package is split by concept: :mod:`.network` (VPCs, subnets), :mod:`.routing`
(internet gateways, route tables), :mod:`.acl` (network ACLs), :mod:`.interfaces`
(network interfaces) and :mod:`.service` (``VPCService``, lookups, tags).  Names load on
first use so that :mod:`awskit.security` and this package can import each other's parts.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "VPCService": ".service",
    "Vpc": ".network", "Subnet": ".network", "VpcState": ".network", "SubnetState": ".network",
    "VPCS_PER_REGION": ".network", "SUBNETS_PER_VPC": ".network", "RESERVED_PER_SUBNET": ".network",
    "InternetGateway": ".routing", "InternetGatewayState": ".routing", "RouteTable": ".routing",
    "Route": ".routing", "RouteState": ".routing", "RouteTableAssociation": ".routing",
    "NetworkAcl": ".acl", "NetworkAclEntry": ".acl", "NetworkAclAssociation": ".acl",
    "NetworkInterface": ".interfaces", "NetworkInterfaceStatus": ".interfaces",
    "GROUPS_PER_INTERFACE": ".interfaces",
    "SecurityGroup": "..security", "SecurityGroupRule": "..security",
}

__all__ = [
    "GROUPS_PER_INTERFACE",
    "RESERVED_PER_SUBNET",
    "SUBNETS_PER_VPC",
    "VPCS_PER_REGION",
    "InternetGateway",
    "InternetGatewayState",
    "NetworkAcl",
    "NetworkAclAssociation",
    "NetworkAclEntry",
    "NetworkInterface",
    "NetworkInterfaceStatus",
    "Route",
    "RouteState",
    "RouteTable",
    "RouteTableAssociation",
    "SecurityGroup",
    "SecurityGroupRule",
    "Subnet",
    "SubnetState",
    "VPCService",
    "Vpc",
    "VpcState",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.vpc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
