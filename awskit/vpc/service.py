"""``cloud.vpc``: the network of one account in one Region, and every action on it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..security import SecurityGroup, SecurityGroupOps
from ._common import Resource, check_tags, fail, listing
from .acl import NetworkAcl, NetworkAclAssociation, _AclOps
from .interfaces import NetworkInterface, _InterfaceOps
from .network import Subnet, Vpc, _VpcOps
from .routing import InternetGateway, RouteTable, RouteTableAssociation, _RoutingOps

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

#: kind -> (store attribute, class, Malformed code, NotFound code, what to call it)
_KINDS: dict[str, tuple[str, type, str, str, str]] = {
    "vpc": ("_vpcs", Vpc, "InvalidVpcID.Malformed", "InvalidVpcID.NotFound", "VPC"),
    "subnet": ("_subnets", Subnet, "InvalidSubnetID.Malformed", "InvalidSubnetID.NotFound", "subnet"),
    "igw": ("_internet_gateways", InternetGateway, "InvalidInternetGatewayId.Malformed",
            "InvalidInternetGatewayID.NotFound", "internet gateway"),
    "rtb": ("_route_tables", RouteTable, "InvalidRouteTableId.Malformed", "InvalidRouteTableID.NotFound",
            "route table"),
    "acl": ("_network_acls", NetworkAcl, "InvalidNetworkAclID.NotFound", "InvalidNetworkAclID.NotFound",
            "network ACL"),
    "sg": ("_security_groups", SecurityGroup, "InvalidGroupId.Malformed", "InvalidGroup.NotFound",
           "security group"),
    "eni": ("_network_interfaces", NetworkInterface, "InvalidNetworkInterfaceId.Malformed",
            "InvalidNetworkInterfaceID.NotFound", "network interface"),
}
_ID_RE = re.compile(r"^[0-9a-f]{8}(?:[0-9a-f]{9})?$")


class VPCService(_VpcOps, _RoutingOps, _AclOps, _InterfaceOps, SecurityGroupOps):
    """The VPC model of one account in one Region: ``cloud.vpc`` or ``cloud.region("eu-west-1").vpc``.

    Built with the Region's default VPC (172.31.0.0/16, a public /20 subnet per AZ, an
    attached internet gateway).  Every method accepts resources or their ids, validates its
    input and raises the error code EC2 would; each change is published on ``cloud.events``
    under ``vpc.<kind>.<what>`` (e.g. ``vpc.subnet.created``).

    >>> from awskit import Cloud
    >>> svc = Cloud(seed=1).vpc
    >>> [str(s.cidr_block) for s in svc.default_vpc.subnets][:3]
    ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20']
    >>> svc.default_vpc.subnets[0].is_public
    True
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name: str = region.name
        self._vpcs: dict[str, Vpc] = {}
        self._subnets: dict[str, Subnet] = {}
        self._internet_gateways: dict[str, InternetGateway] = {}
        self._route_tables: dict[str, RouteTable] = {}
        self._network_acls: dict[str, NetworkAcl] = {}
        self._security_groups: dict[str, SecurityGroup] = {}
        self._network_interfaces: dict[str, NetworkInterface] = {}
        self._rtb_assocs: dict[str, RouteTableAssociation] = {}
        self._acl_assocs: dict[str, NetworkAclAssociation] = {}
        self._create_default_vpc()

    # -- shared machinery -----------------------------------------------------------
    def _publish(self, topic: str, resource: Any, **data: Any) -> None:
        self.cloud.events.publish(topic, id=resource.id, region=self.region_name, **data)

    def _get(self, kind: str, value: Any, *, notfound: str | None = None) -> Any:
        """Resolve an object or id of ``kind``, raising the AWS code for that kind."""
        attr, cls, malformed, missing, label = _KINDS[kind]
        store: dict[str, Any] = getattr(self, attr)
        missing = notfound or missing
        if isinstance(value, cls):
            if store.get(value.id) is value:
                return value
            fail(missing, f"The {label} '{value.id}' does not exist in {self.region_name} (deleted, or made "
                          f"in another Region or account).")
        if not isinstance(value, str):
            fail("InvalidParameterValue",
                 f"Expected a {label} or its id ('{kind}-...'), got {value!r}.")
        prefix, _, body = value.partition("-")
        if prefix != kind or not _ID_RE.match(body):
            fail(malformed, f"Invalid id: {value!r} (expecting '{kind}-' followed by 8 or 17 hex digits).")
        found = store.get(value)
        if found is None:
            fail(missing, f"The {label} '{value}' does not exist. {label[0].upper() + label[1:]}s in "
                          f"{self.region_name}: {listing(store)}.")
        return found

    def resource(self, resource_id: Any) -> Resource:
        """Any network resource of this Region by id (``vpc-``, ``subnet-``, ``igw-``, ``rtb-``,
        ``acl-``, ``sg-``, ``eni-``).  Raises InvalidID for another kind of id."""
        if isinstance(resource_id, Resource):
            kind = next((k for k, spec in _KINDS.items() if isinstance(resource_id, spec[1])), None)
            if kind is not None:
                return self._get(kind, resource_id)
        if isinstance(resource_id, str) and resource_id.partition("-")[0] in _KINDS:
            return self._get(resource_id.partition("-")[0], resource_id)
        fail("InvalidID", f"The ID {resource_id!r} is not valid for this call: network resources have ids "
                          f"starting with {', '.join(k + '-' for k in _KINDS)}.")

    # -- tags -------------------------------------------------------------------------
    def create_tags(self, resource_ids: Any, tags: dict[str, str]) -> None:
        """Add or overwrite tags on several resources at once (all or nothing).

        >>> from awskit import Cloud
        >>> svc = Cloud(seed=1).vpc
        >>> svc.create_tags([svc.default_vpc.id], {"Name": "main"}); svc.default_vpc.name
        'main'

        Raises: InvalidID, the NotFound code of the resource's kind, InvalidParameterValue.
        """
        tags = check_tags(tags)
        targets = [self.resource(r) for r in _as_list(resource_ids)]
        for res in targets:
            if len({**res.tags, **tags}) > 50:
                fail("TagLimitExceeded", f"{res.id} would have more than 50 tags.")
        for res in targets:
            res.tags.update(tags)
            self._publish("vpc.tags.changed", res)

    def delete_tags(self, resource_ids: Any, tags: Any = None) -> None:
        """Remove tags: ``None`` removes all; a list removes those keys; a dict removes a key
        only where its value matches (as AWS does when a value is given)."""
        targets = [self.resource(r) for r in _as_list(resource_ids)]
        if tags is not None and not isinstance(tags, (dict, list, tuple, set)):
            fail("InvalidParameterValue", f"tags is None, a list of keys or a dict, not {tags!r}.")
        for res in targets:
            if tags is None:
                res.tags.clear()
            elif isinstance(tags, dict):
                for k, v in tags.items():
                    if k in res.tags and (v is None or res.tags[k] == v):
                        del res.tags[k]
            else:
                for k in tags:
                    res.tags.pop(k, None)
            self._publish("vpc.tags.changed", res)

    def __repr__(self) -> str:
        return (f"VPCService({self.region_name!r}, vpcs={len(self._vpcs)}, subnets={len(self._subnets)}, "
                f"interfaces={len(self._network_interfaces)})")


def _as_list(value: Any) -> list:
    if isinstance(value, (str, Resource)):
        return [value]
    if isinstance(value, (list, tuple)):
        if not value:
            fail("MissingParameter", "Give at least one resource id.")
        return list(value)
    fail("InvalidParameterValue", f"Resource ids are a list such as ['vpc-0abc...'], not {value!r}.")
