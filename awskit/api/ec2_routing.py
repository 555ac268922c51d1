"""EC2 API, chapter 2 part 2: internet gateways, route tables and network ACLs, as boto3 speaks them.

Routes target ``local``, an internet gateway or a network interface (the targets the model
knows); other targets (NAT gateways, peering connections, transit gateways) answer
``UnsupportedOperation`` rather than being silently dropped.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ._ec2_common import NetworkClientBase, describe, ident, tag_spec, tagged, unsupported
from .base import ParamValidationError, check_type

__all__ = ["RoutingOps"]

_ASSOCIATED = {"State": "associated"}


def igw_shape(g) -> dict[str, Any]:
    # EC2 reports an attached gateway's attachment as "available"; a detached one has none.
    return tagged({
        "Attachments": [{"State": "available", "VpcId": g.vpc.id}] if g.vpc is not None else [],
        "InternetGatewayId": g.id,
        "OwnerId": g.owner_id,
    }, g.tags)


def _route_shape(r) -> dict[str, Any]:
    out: dict[str, Any] = {"DestinationCidrBlock": str(r.destination_cidr_block)}
    if r.network_interface is not None:
        out["NetworkInterfaceId"] = r.network_interface.id
    else:
        out["GatewayId"] = r.target_id
    out["Origin"] = r.origin
    out["State"] = str(r.state)
    return out


def _rtb_assoc_shape(a) -> dict[str, Any]:
    out: dict[str, Any] = {"Main": a.main, "RouteTableAssociationId": a.id, "RouteTableId": a.route_table.id}
    if a.subnet is not None:
        out["SubnetId"] = a.subnet.id
    out["AssociationState"] = {"State": a.state}
    return out


def route_table_shape(rt) -> dict[str, Any]:
    return tagged({
        "Associations": [_rtb_assoc_shape(a) for a in rt.associations],
        "RouteTableId": rt.id,
        "Routes": [_route_shape(r) for r in rt.routes_by_destination.values()],
        "VpcId": rt.vpc.id,
        "OwnerId": rt.owner_id,
    }, rt.tags)


def _entry_shape(e) -> dict[str, Any]:
    out: dict[str, Any] = {"CidrBlock": str(e.cidr_block), "Egress": e.egress, "Protocol": e.protocol,
                           "RuleAction": e.rule_action, "RuleNumber": e.rule_number}
    if e.port_range is not None:
        out["PortRange"] = {"From": e.port_range[0], "To": e.port_range[1]}
    if e.icmp_type_code is not None:
        out["IcmpTypeCode"] = {"Code": e.icmp_type_code[1], "Type": e.icmp_type_code[0]}
    return out


def network_acl_shape(acl) -> dict[str, Any]:
    # EC2 lists egress rules first, each direction in rule-number order, the * rule (32767) last.
    entries = [*acl.rules(True), *acl.rules(False)]
    return tagged({
        "Associations": [{"NetworkAclAssociationId": a.id, "NetworkAclId": acl.id, "SubnetId": a.subnet.id}
                         for a in acl.associations],
        "Entries": [_entry_shape(e) for e in entries],
        "IsDefault": acl.is_default,
        "NetworkAclId": acl.id,
        "VpcId": acl.vpc.id,
        "OwnerId": acl.owner_id,
    }, acl.tags)


_IGW_FILTERS = {
    "internet-gateway-id": lambda g: g.id,
    "attachment.vpc-id": lambda g: g.vpc.id if g.vpc is not None else None,
    "attachment.state": lambda g: "available" if g.vpc is not None else None,
    "owner-id": lambda g: g.owner_id,
}

_RTB_FILTERS = {
    "route-table-id": lambda rt: rt.id,
    "vpc-id": lambda rt: rt.vpc.id,
    "owner-id": lambda rt: rt.owner_id,
    "association.subnet-id": lambda rt: [a.subnet.id for a in rt.associations if a.subnet is not None],
    "association.main": lambda rt: [a.main for a in rt.associations],
    "association.route-table-association-id": lambda rt: [a.id for a in rt.associations],
    "association.route-table-id": lambda rt: rt.id if rt.associations else None,
    "route.gateway-id": lambda rt: [r.target_id for r in rt.routes_by_destination.values()
                                    if r.network_interface is None],
    "route.network-interface-id": lambda rt: [r.network_interface.id for r in rt.routes_by_destination.values()
                                              if r.network_interface is not None],
    "route.destination-cidr-block": lambda rt: [str(d) for d in rt.routes_by_destination],
    "route.state": lambda rt: [str(r.state) for r in rt.routes_by_destination.values()],
    "route.origin": lambda rt: [r.origin for r in rt.routes_by_destination.values()],
}

_ACL_FILTERS = {
    "network-acl-id": lambda a: a.id,
    "vpc-id": lambda a: a.vpc.id,
    "default": lambda a: a.is_default,
    "owner-id": lambda a: a.owner_id,
    "association.association-id": lambda a: [x.id for x in a.associations],
    "association.network-acl-id": lambda a: a.id if a.associations else None,
    "association.subnet-id": lambda a: [x.subnet.id for x in a.associations],
    "entry.cidr": lambda a: [str(e.cidr_block) for e in a.entries],
    "entry.egress": lambda a: [e.egress for e in a.entries],
    "entry.protocol": lambda a: [e.protocol for e in a.entries],
    "entry.rule-action": lambda a: [e.rule_action for e in a.entries],
    "entry.rule-number": lambda a: [e.rule_number for e in a.entries],
    "entry.port-range.from": lambda a: [e.port_range[0] for e in a.entries if e.port_range],
    "entry.port-range.to": lambda a: [e.port_range[1] for e in a.entries if e.port_range],
}

#: route targets EC2 offers that awskit does not model
_OTHER_TARGETS = ("NatGatewayId", "VpcPeeringConnectionId", "TransitGatewayId", "EgressOnlyInternetGatewayId",
                  "InstanceId", "VpcEndpointId", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


def _pair(param: str, value: Any, first: str, second: str) -> tuple[int, int] | None:
    """``{"From": 80, "To": 80}`` -> ``(80, 80)`` (PortRange, IcmpTypeCode)."""
    if value is None:
        return None
    check_type(param, value, dict)
    for key in (first, second):
        if key not in value:
            raise ParamValidationError(f'Missing required parameter in {param}: "{key}"')
        check_type(f"{param}.{key}", value[key], int)
    return value[first], value[second]


class RoutingOps(NetworkClientBase):
    """Internet gateway, route table and network ACL operations of :class:`~awskit.api.ec2.EC2Client`."""

    waiters: ClassVar[dict] = {
        "internet_gateway_exists": ("describe_internet_gateways", lambda r: len(r["InternetGateways"]) > 0, 5, 6),
    }
    paginators: ClassVar[dict] = {
        "describe_internet_gateways": ("NextToken", "NextToken", "MaxResults", ("InternetGateways",)),
        "describe_route_tables": ("NextToken", "NextToken", "MaxResults", ("RouteTables",)),
        "describe_network_acls": ("NextToken", "NextToken", "MaxResults", ("NetworkAcls",)),
    }

    # -- internet gateways --------------------------------------------------------------
    def create_internet_gateway(self, *, TagSpecifications: list | None = None,
                                DryRun: bool = False) -> dict[str, Any]:
        """A new, detached internet gateway."""
        tags = tag_spec(TagSpecifications, "internet-gateway")
        self._dry_run(DryRun)
        return {"InternetGateway": igw_shape(self._net.create_internet_gateway(tags=tags))}

    def describe_internet_gateways(self, *, InternetGatewayIds: list[str] | None = None,
                                   Filters: list | None = None, MaxResults: int | None = None,
                                   NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Gateways by id and/or filter (``attachment.vpc-id``, ``internet-gateway-id``, ``tag:<key>``)."""
        self._dry_run(DryRun)
        net = self._net
        return describe(items=lambda: net._internet_gateways.values(), ids=InternetGatewayIds,
                        id_param="InternetGatewayIds", lookup=net.get_internet_gateway, filters=Filters,
                        getters=_IGW_FILTERS, shape=igw_shape, result_key="InternetGateways",
                        max_results=MaxResults, next_token=NextToken)

    def attach_internet_gateway(self, *, InternetGatewayId: str, VpcId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("InternetGatewayId", InternetGatewayId)
        ident("VpcId", VpcId)
        self._dry_run(DryRun)
        self._net.attach_internet_gateway(InternetGatewayId, VpcId)
        return {}

    def detach_internet_gateway(self, *, InternetGatewayId: str, VpcId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("InternetGatewayId", InternetGatewayId)
        ident("VpcId", VpcId)
        self._dry_run(DryRun)
        self._net.detach_internet_gateway(InternetGatewayId, VpcId)
        return {}

    def delete_internet_gateway(self, *, InternetGatewayId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("InternetGatewayId", InternetGatewayId)
        self._dry_run(DryRun)
        self._net.delete_internet_gateway(InternetGatewayId)
        return {}

    # -- route tables -----------------------------------------------------------------
    def create_route_table(self, *, VpcId: str, TagSpecifications: list | None = None,
                           DryRun: bool = False) -> dict[str, Any]:
        """A new (non-main) route table holding only the local route."""
        ident("VpcId", VpcId)
        tags = tag_spec(TagSpecifications, "route-table")
        self._dry_run(DryRun)
        return {"RouteTable": route_table_shape(self._net.create_route_table(VpcId, tags=tags))}

    def describe_route_tables(self, *, RouteTableIds: list[str] | None = None, Filters: list | None = None,
                              MaxResults: int | None = None, NextToken: str | None = None,
                              DryRun: bool = False) -> dict[str, Any]:
        """Route tables by id and/or filter (``vpc-id``, ``association.main``,
        ``association.subnet-id``, ``route.gateway-id``, ...)."""
        self._dry_run(DryRun)
        net = self._net
        return describe(items=lambda: net._route_tables.values(), ids=RouteTableIds, id_param="RouteTableIds",
                        lookup=net.get_route_table, filters=Filters, getters=_RTB_FILTERS,
                        shape=route_table_shape, result_key="RouteTables", max_results=MaxResults,
                        next_token=NextToken)

    def delete_route_table(self, *, RouteTableId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("RouteTableId", RouteTableId)
        self._dry_run(DryRun)
        self._net.delete_route_table(RouteTableId)
        return {}

    def _target(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        for name in _OTHER_TARGETS:
            if kwargs.get(name) is not None:
                unsupported(name, "routes target internet gateways and network interfaces here")
        out = {}
        for param, key in (("GatewayId", "gateway_id"), ("NetworkInterfaceId", "network_interface_id")):
            if kwargs.get(param) is not None:
                out[key] = ident(param, kwargs[param])
        return out

    def create_route(self, *, RouteTableId: str, DestinationCidrBlock: str | None = None,
                     GatewayId: str | None = None, NetworkInterfaceId: str | None = None,
                     DryRun: bool = False, NatGatewayId: str | None = None, VpcPeeringConnectionId: str | None = None,
                     TransitGatewayId: str | None = None, EgressOnlyInternetGatewayId: str | None = None,
                     InstanceId: str | None = None, VpcEndpointId: str | None = None,
                     DestinationIpv6CidrBlock: str | None = None, DestinationPrefixListId: str | None = None) -> dict[str, Any]:
        """Add a route: ``DestinationCidrBlock`` to ``GatewayId`` (igw-...) or ``NetworkInterfaceId``."""
        ident("RouteTableId", RouteTableId)
        targets = self._target(locals())
        self._require_destination(DestinationCidrBlock)
        self._dry_run(DryRun)
        self._net.create_route(RouteTableId, DestinationCidrBlock, **targets)
        return {"Return": True}

    def replace_route(self, *, RouteTableId: str, DestinationCidrBlock: str | None = None,
                      GatewayId: str | None = None, NetworkInterfaceId: str | None = None,
                      DryRun: bool = False, NatGatewayId: str | None = None, VpcPeeringConnectionId: str | None = None,
                      TransitGatewayId: str | None = None, EgressOnlyInternetGatewayId: str | None = None,
                      InstanceId: str | None = None, VpcEndpointId: str | None = None,
                      DestinationIpv6CidrBlock: str | None = None, DestinationPrefixListId: str | None = None) -> dict[str, Any]:
        """Point an existing route at another target."""
        ident("RouteTableId", RouteTableId)
        targets = self._target(locals())
        self._require_destination(DestinationCidrBlock)
        self._dry_run(DryRun)
        self._net.replace_route(RouteTableId, DestinationCidrBlock, **targets)
        return {}

    def delete_route(self, *, RouteTableId: str, DestinationCidrBlock: str | None = None,
                     DestinationIpv6CidrBlock: str | None = None, DestinationPrefixListId: str | None = None,
                     DryRun: bool = False) -> dict[str, Any]:
        ident("RouteTableId", RouteTableId)
        for name, value in (("DestinationIpv6CidrBlock", DestinationIpv6CidrBlock),
                            ("DestinationPrefixListId", DestinationPrefixListId)):
            if value is not None:
                unsupported(name, "IPv4 destinations only")
        self._require_destination(DestinationCidrBlock)
        self._dry_run(DryRun)
        self._net.delete_route(RouteTableId, DestinationCidrBlock)
        return {}

    @staticmethod
    def _require_destination(value: Any) -> None:
        if value is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter "
                                                       "DestinationCidrBlock, e.g. '0.0.0.0/0'.")
        check_type("DestinationCidrBlock", value, str)

    def associate_route_table(self, *, RouteTableId: str, SubnetId: str | None = None,
                              DryRun: bool = False) -> dict[str, Any]:
        """Make a subnet follow a route table; returns the ``rtbassoc-`` id."""
        ident("RouteTableId", RouteTableId)
        if SubnetId is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter SubnetId "
                                                       "(awskit does not model gateway route tables).")
        ident("SubnetId", SubnetId)
        self._dry_run(DryRun)
        return {"AssociationId": self._net.associate_route_table(RouteTableId, SubnetId),
                "AssociationState": dict(_ASSOCIATED)}

    def disassociate_route_table(self, *, AssociationId: str, DryRun: bool = False) -> dict[str, Any]:
        """The subnet falls back to the VPC's main route table."""
        ident("AssociationId", AssociationId)
        self._dry_run(DryRun)
        self._net.disassociate_route_table(AssociationId)
        return {}

    def replace_route_table_association(self, *, AssociationId: str, RouteTableId: str,
                                        DryRun: bool = False) -> dict[str, Any]:
        """Move a subnet's association (or the VPC's main one) to another table."""
        ident("AssociationId", AssociationId)
        ident("RouteTableId", RouteTableId)
        self._dry_run(DryRun)
        return {"NewAssociationId": self._net.replace_route_table_association(AssociationId, RouteTableId),
                "AssociationState": dict(_ASSOCIATED)}

    # -- network ACLs -----------------------------------------------------------------------
    def create_network_acl(self, *, VpcId: str, TagSpecifications: list | None = None,
                           DryRun: bool = False) -> dict[str, Any]:
        """A custom network ACL: it denies everything both ways until you add entries."""
        ident("VpcId", VpcId)
        tags = tag_spec(TagSpecifications, "network-acl")
        self._dry_run(DryRun)
        return {"NetworkAcl": network_acl_shape(self._net.create_network_acl(VpcId, tags=tags))}

    def describe_network_acls(self, *, NetworkAclIds: list[str] | None = None, Filters: list | None = None,
                              MaxResults: int | None = None, NextToken: str | None = None,
                              DryRun: bool = False) -> dict[str, Any]:
        """Network ACLs by id and/or filter (``vpc-id``, ``default``, ``association.subnet-id``, ...)."""
        self._dry_run(DryRun)
        net = self._net
        return describe(items=lambda: net._network_acls.values(), ids=NetworkAclIds, id_param="NetworkAclIds",
                        lookup=net.get_network_acl, filters=Filters, getters=_ACL_FILTERS,
                        shape=network_acl_shape, result_key="NetworkAcls", max_results=MaxResults,
                        next_token=NextToken)

    def delete_network_acl(self, *, NetworkAclId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("NetworkAclId", NetworkAclId)
        self._dry_run(DryRun)
        self._net.delete_network_acl(NetworkAclId)
        return {}

    def _entry_args(self, NetworkAclId, RuleNumber, Protocol, RuleAction, Egress, CidrBlock, PortRange,
                    IcmpTypeCode, Ipv6CidrBlock) -> tuple[tuple, dict]:
        ident("NetworkAclId", NetworkAclId)
        check_type("RuleNumber", RuleNumber, int)
        check_type("Protocol", Protocol, str)
        check_type("RuleAction", RuleAction, str)
        check_type("Egress", Egress, bool)
        if Ipv6CidrBlock is not None:
            unsupported("Ipv6CidrBlock", "IPv4 rules only")
        if CidrBlock is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter CidrBlock, "
                                                       "e.g. '0.0.0.0/0'.")
        check_type("CidrBlock", CidrBlock, str)
        return ((NetworkAclId, RuleNumber, Protocol, RuleAction, Egress, CidrBlock),
                {"port_range": _pair("PortRange", PortRange, "From", "To"),
                 "icmp_type_code": _pair("IcmpTypeCode", IcmpTypeCode, "Type", "Code")})

    def create_network_acl_entry(self, *, NetworkAclId: str, RuleNumber: int, Protocol: str, RuleAction: str,
                                 Egress: bool, CidrBlock: str | None = None, PortRange: dict | None = None,
                                 IcmpTypeCode: dict | None = None, Ipv6CidrBlock: str | None = None,
                                 DryRun: bool = False) -> dict[str, Any]:
        """Add a numbered rule. ``Protocol`` is ``"-1"`` (all), ``"6"`` (TCP), ``"17"`` (UDP), ``"1"`` (ICMP)."""
        args, kw = self._entry_args(NetworkAclId, RuleNumber, Protocol, RuleAction, Egress, CidrBlock,
                                    PortRange, IcmpTypeCode, Ipv6CidrBlock)
        self._dry_run(DryRun)
        self._net.create_network_acl_entry(*args, **kw)
        return {}

    def replace_network_acl_entry(self, *, NetworkAclId: str, RuleNumber: int, Protocol: str, RuleAction: str,
                                  Egress: bool, CidrBlock: str | None = None, PortRange: dict | None = None,
                                  IcmpTypeCode: dict | None = None, Ipv6CidrBlock: str | None = None,
                                  DryRun: bool = False) -> dict[str, Any]:
        args, kw = self._entry_args(NetworkAclId, RuleNumber, Protocol, RuleAction, Egress, CidrBlock,
                                    PortRange, IcmpTypeCode, Ipv6CidrBlock)
        self._dry_run(DryRun)
        self._net.replace_network_acl_entry(*args, **kw)
        return {}

    def delete_network_acl_entry(self, *, NetworkAclId: str, RuleNumber: int, Egress: bool,
                                 DryRun: bool = False) -> dict[str, Any]:
        ident("NetworkAclId", NetworkAclId)
        check_type("RuleNumber", RuleNumber, int)
        check_type("Egress", Egress, bool)
        self._dry_run(DryRun)
        self._net.delete_network_acl_entry(NetworkAclId, RuleNumber, Egress)
        return {}

    def replace_network_acl_association(self, *, AssociationId: str, NetworkAclId: str,
                                        DryRun: bool = False) -> dict[str, Any]:
        """Move a subnet (named by its current ``aclassoc-`` id) to another network ACL."""
        ident("AssociationId", AssociationId)
        ident("NetworkAclId", NetworkAclId)
        if not AssociationId.startswith("aclassoc-"):
            raise InvalidParameter("InvalidAssociationID.NotFound",
                                   f"The association ID '{AssociationId}' does not exist: pass the "
                                   "NetworkAclAssociationId (aclassoc-...) from describe_network_acls.")
        self._dry_run(DryRun)
        return {"NewAssociationId": self._net.replace_network_acl_association(AssociationId, NetworkAclId)}
