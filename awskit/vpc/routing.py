"""Internet gateways and route tables: where traffic leaving a subnet goes.

Every subnet follows one route table (its explicit association, else the VPC's main
table).  The table picks the route with the longest matching prefix; the ``local`` route
covering the VPC's own block is always there.  A subnet is *public* when its table sends
``0.0.0.0/0`` to an internet gateway attached to the VPC; a route whose gateway has gone
turns into a *blackhole*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any

from ._common import Resource, check_tags, fail, listing, parse_cidr, parse_ip

if TYPE_CHECKING:
    from .interfaces import NetworkInterface
    from .network import Subnet, Vpc
    from .service import VPCService


class InternetGatewayState(StrEnum):
    """Attachment state as awskit names it.  boto3's DescribeInternetGateways reports an
    attached gateway's attachment state as ``"available"``; a detached one has no attachment."""

    ATTACHED = "attached"
    DETACHED = "detached"


class RouteState(StrEnum):
    ACTIVE = "active"
    BLACKHOLE = "blackhole"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class InternetGateway(Resource):
    """The VPC's door to the internet: at most one per VPC, attached to at most one VPC."""

    _ARN_KIND = "internet-gateway"

    vpc: Vpc | None = None

    @property
    def state(self) -> InternetGatewayState:
        return InternetGatewayState.ATTACHED if self.vpc is not None else InternetGatewayState.DETACHED

    def __repr__(self) -> str:
        where = f", vpc={self.vpc.id!r}" if self.vpc else ", detached"
        return f"InternetGateway({self.id!r}{self._name_part()}{where})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Route:
    """One route: a destination block and exactly one target (``local``, an IGW or an ENI)."""

    route_table: RouteTable
    destination_cidr_block: IPv4Network
    local: bool = False
    gateway: InternetGateway | None = None
    network_interface: NetworkInterface | None = None

    @property
    def target(self) -> Any:
        """``"local"``, the InternetGateway or the NetworkInterface."""
        return "local" if self.local else (self.gateway or self.network_interface)

    @property
    def target_id(self) -> str:
        return "local" if self.local else self.target.id

    @property
    def origin(self) -> str:
        """How AWS says the route came to be: with the table, or by CreateRoute."""
        return "CreateRouteTable" if self.local else "CreateRoute"

    @property
    def state(self) -> RouteState:
        """``blackhole`` once the target gateway is detached/deleted or the interface deleted."""
        vpc = self.route_table.vpc
        if self.gateway is not None and self.gateway.vpc is not vpc:
            return RouteState.BLACKHOLE
        eni = self.network_interface
        if eni is not None and vpc.service._network_interfaces.get(eni.id) is not eni:
            return RouteState.BLACKHOLE
        return RouteState.ACTIVE

    def __repr__(self) -> str:
        blackhole = ", blackhole" if self.state is RouteState.BLACKHOLE else ""
        return f"Route('{self.destination_cidr_block}' -> {self.target_id!r}{blackhole})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class RouteTableAssociation:
    """Links a route table to a subnet, or marks it as the VPC's main table (``main=True``)."""

    id: str
    route_table: RouteTable
    subnet: Subnet | None = None
    main: bool = False
    state: str = "associated"

    def __repr__(self) -> str:
        what = "main" if self.main else f"subnet={self.subnet.id!r}"
        return f"RouteTableAssociation({self.id!r}, {self.route_table.id!r}, {what})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class RouteTable(Resource):
    """A set of routes; subnets associated with it (or the VPC, if it is main) follow them.

    >>> from awskit import Cloud
    >>> vpc = Cloud(seed=1).vpc.default_vpc
    >>> vpc.main_route_table.lookup("8.8.8.8").target_id.startswith("igw-")
    True
    >>> vpc.main_route_table.lookup("172.31.5.9").target_id
    'local'
    """

    _ARN_KIND = "route-table"

    vpc: Vpc
    routes_by_destination: dict[IPv4Network, Route] = field(default_factory=dict)
    associations: list[RouteTableAssociation] = field(default_factory=list)

    @property
    def routes(self) -> list[Route]:
        return list(self.routes_by_destination.values())

    @property
    def main(self) -> bool:
        return self.vpc.main_route_table is self

    @property
    def subnets(self) -> list[Subnet]:
        """Subnets explicitly associated with this table."""
        return [a.subnet for a in self.associations if a.subnet is not None]

    def lookup(self, ip: str | IPv4Address) -> Route | None:
        """The route chosen for ``ip``: the longest prefix that contains it (None if none does).

        The chosen route may be a blackhole (check ``route.state``): AWS does not fall back
        to a shorter route.
        """
        addr = parse_ip(ip)
        best = None
        for route in self.routes_by_destination.values():
            if addr in route.destination_cidr_block and (
                    best is None or route.destination_cidr_block.prefixlen > best.destination_cidr_block.prefixlen):
                best = route
        return best

    def __repr__(self) -> str:
        main = ", main" if self.main else ""
        return f"RouteTable({self.id!r}, vpc={self.vpc.id!r}{self._name_part()}{main}, routes={len(self.routes_by_destination)})"


class _RoutingOps:
    """Internet gateway and route table actions of :class:`~awskit.vpc.VPCService`."""

    # -- internet gateways --------------------------------------------------------
    @property
    def internet_gateways(self: VPCService) -> list[InternetGateway]:
        return list(self._internet_gateways.values())

    def get_internet_gateway(self: VPCService, igw: str | InternetGateway) -> InternetGateway:
        """Raises: InvalidInternetGatewayId.Malformed, InvalidInternetGatewayID.NotFound."""
        return self._get("igw", igw)

    def create_internet_gateway(self: VPCService, *, tags: dict[str, str] | None = None) -> InternetGateway:
        """A new, detached internet gateway.

        >>> from awskit import Cloud
        >>> Cloud(seed=1).vpc.create_internet_gateway().state
        <InternetGatewayState.DETACHED: 'detached'>
        """
        igw = InternetGateway(id=self.cloud.ids.new("igw"), owner_id=self.cloud.account_id,
                              region=self.region_name, tags=check_tags(tags))
        self._internet_gateways[igw.id] = igw
        self._publish("vpc.internet_gateway.created", igw)
        return igw

    def attach_internet_gateway(self: VPCService, igw: str | InternetGateway, vpc: str | Vpc) -> None:
        """Attach a gateway to a VPC.

        Raises: Resource.AlreadyAssociated when the gateway is attached anywhere or the VPC
        already has a gateway (one each way).
        """
        igw, vpc = self._get("igw", igw), self._get("vpc", vpc)
        if igw.vpc is not None:
            fail("Resource.AlreadyAssociated",
                 f"resource {igw.id} is already attached to network {igw.vpc.id}. Detach it first.")
        if vpc.internet_gateway is not None:
            fail("Resource.AlreadyAssociated",
                 f"Network {vpc.id} already has internet gateway {vpc.internet_gateway.id} attached; "
                 "a VPC has at most one.")
        igw.vpc, vpc.internet_gateway = vpc, igw
        self._publish("vpc.internet_gateway.attached", igw, vpc_id=vpc.id)

    def detach_internet_gateway(self: VPCService, igw: str | InternetGateway, vpc: str | Vpc) -> None:
        """Detach a gateway; routes to it become blackholes.

        Raises: Gateway.NotAttached when not attached to that VPC; DependencyViolation while
        an interface in the VPC still holds a public IPv4 address.
        """
        igw, vpc = self._get("igw", igw), self._get("vpc", vpc)
        if igw.vpc is not vpc:
            fail("Gateway.NotAttached",
                 f"resource {igw.id} is not attached to network {vpc.id}"
                 + (f" (it is attached to {igw.vpc.id})." if igw.vpc else " (it is detached)."))
        mapped = [e.id for e in vpc.network_interfaces if e.public_ip is not None]
        if mapped:
            fail("DependencyViolation",
                 f"Network {vpc.id} has some mapped public address(es) on {listing(mapped)}. "
                 "Release those public addresses before detaching the gateway.")
        igw.vpc, vpc.internet_gateway = None, None
        self._publish("vpc.internet_gateway.detached", igw, vpc_id=vpc.id)

    def delete_internet_gateway(self: VPCService, igw: str | InternetGateway) -> None:
        """Raises: DependencyViolation while attached."""
        igw = self._get("igw", igw)
        if igw.vpc is not None:
            fail("DependencyViolation",
                 f"The internetGateway '{igw.id}' has dependencies and cannot be deleted: it is attached "
                 f"to {igw.vpc.id}. Detach it first.")
        del self._internet_gateways[igw.id]
        self._publish("vpc.internet_gateway.deleted", igw)

    # -- route tables ---------------------------------------------------------------
    @property
    def route_tables(self: VPCService) -> list[RouteTable]:
        return list(self._route_tables.values())

    def get_route_table(self: VPCService, rt: str | RouteTable) -> RouteTable:
        """Raises: InvalidRouteTableId.Malformed, InvalidRouteTableID.NotFound."""
        return self._get("rtb", rt)

    def create_route_table(self: VPCService, vpc: str | Vpc, *, tags: dict[str, str] | None = None) -> RouteTable:
        """A new (non-main) route table holding only the local route."""
        vpc = self._get("vpc", vpc)
        return self._new_route_table(vpc, tags=check_tags(tags))

    def _new_route_table(self: VPCService, vpc: Vpc, *, main: bool = False,
                         tags: dict[str, str] | None = None) -> RouteTable:
        rt = RouteTable(id=self.cloud.ids.new("rtb"), owner_id=self.cloud.account_id,
                        region=self.region_name, tags=tags or {}, vpc=vpc)
        rt.routes_by_destination[vpc.cidr_block] = Route(route_table=rt, destination_cidr_block=vpc.cidr_block,
                                                         local=True)
        if main:
            assoc = RouteTableAssociation(id=self.cloud.ids.new("rtbassoc"), route_table=rt, main=True)
            rt.associations.append(assoc)
            self._rtb_assocs[assoc.id] = assoc
        self._route_tables[rt.id] = vpc._route_tables[rt.id] = rt
        self._publish("vpc.route_table.created", rt, vpc_id=vpc.id)
        return rt

    def _route_target(self: VPCService, rt: RouteTable, net: IPv4Network, gateway_id: Any,
                      network_interface_id: Any) -> dict[str, Any]:
        given = [v for v in (gateway_id, network_interface_id) if v is not None]
        if not given:
            fail("MissingParameter",
                 "A route needs exactly one target: gateway_id (an internet gateway) or "
                 "network_interface_id.")
        if len(given) > 1:
            fail("InvalidParameterCombination",
                 "Give only one target per route: gateway_id or network_interface_id, not both.")
        if gateway_id is not None:
            if gateway_id == "local":
                fail("InvalidParameterValue",
                     "The 'local' route is created with the table; it cannot be added by CreateRoute.")
            if isinstance(gateway_id, str) and not gateway_id.startswith("igw-"):
                fail("InvalidGatewayID.NotFound",
                     f"The gateway ID '{gateway_id}' does not exist. Internet gateways in "
                     f"{self.region_name}: {listing(self._internet_gateways)}.")
            igw = self._get("igw", gateway_id, notfound="InvalidGatewayID.NotFound")
            if igw.vpc is not rt.vpc:
                fail("InvalidParameterValue",
                     f"route table {rt.id} and network gateway {igw.id} belong to different networks: "
                     f"attach the gateway to {rt.vpc.id} first.")
            if net.subnet_of(rt.vpc.cidr_block):
                fail("InvalidParameterValue",
                     f"The destination CIDR block {net} is equal to or more specific than the VPC's block "
                     f"{rt.vpc.cidr_block}; such a route can only target a network interface.")
            return {"gateway": igw}
        eni = self._get("eni", network_interface_id)
        if eni.vpc is not rt.vpc:
            fail("InvalidParameterValue",
                 f"route table {rt.id} and interface {eni.id} belong to different networks.")
        return {"network_interface": eni}

    def create_route(self: VPCService, rt: str | RouteTable, destination_cidr_block: str, *,
                     gateway_id: str | InternetGateway | None = None,
                     network_interface_id: str | NetworkInterface | None = None) -> Route:
        """Add a route to a table.

        Raises:
            RouteAlreadyExists: the table already has a route for that destination.
            InvalidGatewayID.NotFound: no such gateway.
            InvalidParameterValue: gateway not attached to this table's VPC ("belong to
                different networks"), or a gateway route inside the VPC's own block.

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> vpc = svc.create_vpc("10.0.0.0/16"); igw = svc.create_internet_gateway()
        >>> svc.attach_internet_gateway(igw, vpc)
        >>> svc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
        Route('0.0.0.0/0' -> 'igw-...')
        """
        rt = self._get("rtb", rt)
        net = parse_cidr(destination_cidr_block, "destinationCidrBlock")
        if net in rt.routes_by_destination:
            fail("RouteAlreadyExists",
                 f"The route identified by {net} already exists in {rt.id}; use replace_route to change "
                 "its target.")
        route = Route(route_table=rt, destination_cidr_block=net,
                      **self._route_target(rt, net, gateway_id, network_interface_id))
        rt.routes_by_destination[net] = route
        self._publish("vpc.route.created", rt, vpc_id=rt.vpc.id, destination=str(net))
        return route

    def _existing_route(self: VPCService, rt: RouteTable, net: IPv4Network, code: str, verb: str) -> Route:
        route = rt.routes_by_destination.get(net)
        if route is None:
            fail(code, f"There is no route with destination {net} in {rt.id}. Its routes: "
                       f"{listing(str(d) for d in rt.routes_by_destination)}.")
        if route.local:
            fail("InvalidParameterValue", f"cannot {verb} local route {net} in route table {rt.id}.")
        return route

    def replace_route(self: VPCService, rt: str | RouteTable, destination_cidr_block: str, *,
                      gateway_id: str | InternetGateway | None = None,
                      network_interface_id: str | NetworkInterface | None = None) -> Route:
        """Point an existing route at a new target (awskit does not replace the local route).

        Raises: InvalidParameterValue when no route has that destination (use create_route)
        or it is the local route.
        """
        rt = self._get("rtb", rt)
        net = parse_cidr(destination_cidr_block, "destinationCidrBlock")
        self._existing_route(rt, net, "InvalidParameterValue", "replace")
        route = Route(route_table=rt, destination_cidr_block=net,
                      **self._route_target(rt, net, gateway_id, network_interface_id))
        rt.routes_by_destination[net] = route
        self._publish("vpc.route.replaced", rt, vpc_id=rt.vpc.id, destination=str(net))
        return route

    def delete_route(self: VPCService, rt: str | RouteTable, destination_cidr_block: str) -> None:
        """Raises: InvalidRoute.NotFound; InvalidParameterValue for the local route."""
        rt = self._get("rtb", rt)
        net = parse_cidr(destination_cidr_block, "destinationCidrBlock")
        self._existing_route(rt, net, "InvalidRoute.NotFound", "remove")
        del rt.routes_by_destination[net]
        self._publish("vpc.route.deleted", rt, vpc_id=rt.vpc.id, destination=str(net))

    def associate_route_table(self: VPCService, rt: str | RouteTable, subnet: str | Subnet) -> str:
        """Make a subnet follow this table; returns the association id (``rtbassoc-...``).

        Raises: Resource.AlreadyAssociated when the subnet already has an explicit table
        (use replace_route_table_association); InvalidParameterValue across VPCs.
        """
        rt, subnet = self._get("rtb", rt), self._get("subnet", subnet)
        if subnet.vpc is not rt.vpc:
            fail("InvalidParameterValue",
                 f"route table {rt.id} and subnet {subnet.id} belong to different networks.")
        if subnet.route_table_association is not None:
            fail("Resource.AlreadyAssociated",
                 f"the specified association for route table {rt.id} conflicts with an existing "
                 f"association {subnet.route_table_association.id} of {subnet.id}; use "
                 "replace_route_table_association.")
        return self._associate_rtb(rt, subnet).id

    def _associate_rtb(self: VPCService, rt: RouteTable, subnet: Subnet) -> RouteTableAssociation:
        assoc = RouteTableAssociation(id=self.cloud.ids.new("rtbassoc"), route_table=rt, subnet=subnet)
        rt.associations.append(assoc)
        subnet.route_table_association = assoc
        self._rtb_assocs[assoc.id] = assoc
        self._publish("vpc.route_table.associated", rt, vpc_id=rt.vpc.id, subnet_id=subnet.id,
                      association_id=assoc.id)
        return assoc

    def _drop_rtb_association(self: VPCService, assoc: RouteTableAssociation) -> None:
        assoc.route_table.associations.remove(assoc)
        del self._rtb_assocs[assoc.id]
        if assoc.subnet is not None:
            assoc.subnet.route_table_association = None

    def _get_rtb_association(self: VPCService, association_id: Any) -> RouteTableAssociation:
        if isinstance(association_id, RouteTableAssociation):
            association_id = association_id.id
        assoc = self._rtb_assocs.get(association_id) if isinstance(association_id, str) else None
        if assoc is None:
            fail("InvalidAssociationID.NotFound",
                 f"The association ID '{association_id}' does not exist. Route table associations in "
                 f"{self.region_name}: {listing(self._rtb_assocs)}.")
        return assoc

    def disassociate_route_table(self: VPCService, association_id: str) -> None:
        """The subnet falls back to the main route table.

        Raises: InvalidAssociationID.NotFound; InvalidParameterValue for the main association.
        """
        assoc = self._get_rtb_association(association_id)
        if assoc.main:
            fail("InvalidParameterValue",
                 f"cannot disassociate the main route table association {assoc.id}; make another table "
                 "main with replace_route_table_association.")
        self._drop_rtb_association(assoc)
        self._publish("vpc.route_table.disassociated", assoc.route_table, vpc_id=assoc.route_table.vpc.id,
                      subnet_id=assoc.subnet.id, association_id=assoc.id)

    def replace_route_table_association(self: VPCService, association_id: str, rt: str | RouteTable) -> str:
        """Move an association (a subnet's, or the VPC's main one) to another table.

        Returns the new association id.  Replacing the main association makes ``rt`` main.
        """
        assoc = self._get_rtb_association(association_id)
        rt = self._get("rtb", rt)
        vpc = assoc.route_table.vpc
        if rt.vpc is not vpc:
            fail("InvalidParameterValue",
                 f"route table {rt.id} and association {assoc.id} belong to different networks.")
        self._drop_rtb_association(assoc)
        if assoc.main:
            new = RouteTableAssociation(id=self.cloud.ids.new("rtbassoc"), route_table=rt, main=True)
            rt.associations.append(new)
            self._rtb_assocs[new.id] = new
            vpc.main_route_table = rt
            self._publish("vpc.route_table.associated", rt, vpc_id=vpc.id, main=True, association_id=new.id)
        else:
            new = self._associate_rtb(rt, assoc.subnet)
        return new.id

    def delete_route_table(self: VPCService, rt: str | RouteTable) -> None:
        """Raises: DependencyViolation while associated with subnets or while it is the main table."""
        rt = self._get("rtb", rt)
        if rt.associations:
            what = "it is the VPC's main route table" if rt.main else \
                f"it is associated with {listing(s.id for s in rt.subnets)}"
            fail("DependencyViolation",
                 f"The routeTable '{rt.id}' has dependencies and cannot be deleted: {what}.")
        del self._route_tables[rt.id]
        del rt.vpc._route_tables[rt.id]
        self._publish("vpc.route_table.deleted", rt, vpc_id=rt.vpc.id)
