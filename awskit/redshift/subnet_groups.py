"""Cluster subnet groups: the subnets (all in one VPC) a Redshift cluster may be placed in.

A cluster created without one goes into the default VPC; with one, its nodes get their
addresses in the group's subnets (in one Availability Zone, optionally the one you name).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..core.errors import AlreadyExists, InvalidParameter, InvalidState, NotFound
from ._common import _bad

if TYPE_CHECKING:
    from .service import RedshiftService

__all__ = ["ClusterSubnetGroup"]


class ClusterSubnetGroup:
    """The subnets (of one VPC) a cluster may be placed in."""

    def __init__(self, name: str, description: str, subnets: list, tags: dict[str, str]) -> None:
        self.name, self.description, self.subnets, self.tags = name, description, subnets, tags

    @property
    def vpc(self):
        return self.subnets[0].vpc

    def __repr__(self) -> str:
        return f"ClusterSubnetGroup({self.name!r}, subnets={[s.id for s in self.subnets]})"


class _SubnetGroupOps:
    """Subnet group actions of :class:`~awskit.redshift.RedshiftService`."""

    def create_cluster_subnet_group(self: RedshiftService, name: str, description: str, subnet_ids: list,
                                    tags: dict[str, str] | None = None) -> ClusterSubnetGroup:
        """Raises: ClusterSubnetGroupAlreadyExists, InvalidSubnet, InvalidParameterValue."""
        if not isinstance(name, str) or not re.match(r"^[a-z0-9][a-z0-9-]{0,254}$", name.lower()) \
                or name.lower() == "default":
            _bad(f"Subnet group name {name!r} is invalid: up to 255 letters, digits or hyphens, not 'default'.")
        name = name.lower()
        if name in self.subnet_groups:
            raise AlreadyExists("ClusterSubnetGroupAlreadyExists", f"Subnet group {name} already exists.")
        if not isinstance(subnet_ids, (list, tuple)) or not subnet_ids:
            _bad("A cluster subnet group needs at least one subnet id.")
        subnets = []
        for sid in subnet_ids:
            try:
                subnets.append(self.region.vpc.get_subnet(sid))
            except LookupError:
                raise InvalidParameter("InvalidSubnet", f"Subnet {sid} not found in {self.region_name}.") from None
        if len({s.vpc.id for s in subnets}) > 1:
            _bad("All subnets of a cluster subnet group must be in the same VPC.", "InvalidSubnet")
        group = ClusterSubnetGroup(name, description, subnets, dict(tags or {}))
        self.subnet_groups[name] = group
        return group

    def get_subnet_group(self: RedshiftService, name: str) -> ClusterSubnetGroup:
        g = self.subnet_groups.get(name.lower()) if isinstance(name, str) else None
        if g is None:
            raise NotFound("ClusterSubnetGroupNotFoundFault",
                           f"Subnet group {name} not found. Groups: {', '.join(self.subnet_groups) or 'none'}.")
        return g

    def delete_cluster_subnet_group(self: RedshiftService, name: str) -> None:
        g = self.get_subnet_group(name)
        users = [c.id for c in self.clusters.values() if c.subnet_group is g]
        if users:
            raise InvalidState("InvalidClusterSubnetGroupStateFault",
                               f"Subnet group {g.name} is in use by cluster(s) {', '.join(users)}.")
        del self.subnet_groups[g.name]
