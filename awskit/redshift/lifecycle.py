"""The life of a Redshift cluster: create, place its nodes, bill it, resize, pause, resume, delete.

Every change runs on the simulated clock: ``creating`` becomes ``available`` after
:data:`CREATE_SECONDS`; an elastic resize keeps the cluster ``resizing`` for
:data:`ELASTIC_RESIZE_SECONDS` and a classic one for :data:`CLASSIC_RESIZE_SECONDS`; pausing
and resuming take minutes; deleting takes :data:`DELETE_SECONDS`.  Compute is billed per
node-hour while the cluster is available or resizing; RA3 managed storage per GB-month.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from ..core.errors import AlreadyExists, InvalidParameter, InvalidState, LimitExceeded, NotFound
from ._common import _DB, _RESERVED_USERS, _USER, _bad, _check_identifier, _check_password
from .cluster import Cluster, ClusterNode, ClusterStatus, Snapshot, _copy_tables
from .nodes import MANAGED_STORAGE_GB_MONTH, NODE_TYPES, NodeType
from .nodes import node_type as lookup_node_type
from .snapshots import AUTOMATED_SNAPSHOT_HOURS

if TYPE_CHECKING:
    from .service import RedshiftService

__all__ = [
    "CLASSIC_RESIZE_SECONDS",
    "CREATE_SECONDS",
    "DELETE_SECONDS",
    "ELASTIC_RESIZE_SECONDS",
    "PAUSE_SECONDS",
    "RESUME_SECONDS",
]

CREATE_SECONDS = 8 * 60
DELETE_SECONDS = 2 * 60
ELASTIC_RESIZE_SECONDS = 15 * 60
CLASSIC_RESIZE_SECONDS = 2 * 3600
PAUSE_SECONDS = 2 * 60
RESUME_SECONDS = 5 * 60


class _ClusterOps:
    """Cluster actions of :class:`~awskit.redshift.RedshiftService`."""

    def create_cluster(self: RedshiftService, identifier: str, *, node_type: str, master_username: str,
                       master_user_password: str, number_of_nodes: int | None = None,
                       cluster_type: str | None = None, db_name: str = "dev", port: int = 5439,
                       cluster_subnet_group_name: str | None = None, vpc_security_group_ids: list | None = None,
                       availability_zone: str | None = None, encrypted: bool = False,
                       publicly_accessible: bool = False, automated_snapshot_retention_period: int = 1,
                       iam_roles: list[str] | None = None, tags: dict[str, str] | None = None,
                       _restore: Snapshot | None = None) -> Cluster:
        """Create a provisioned cluster; it is ``creating`` for a few minutes, then ``available``.

        ``cluster_type`` defaults from ``number_of_nodes`` here (1 or omitted: single-node,
        2 or more: multi-node); the boto3-shaped client follows AWS's default (multi-node).

        Raises:
            InvalidParameterValue: a bad identifier, node type (retired DS2 included),
                password, user name, database name or port.
            InvalidParameterCombination: single-node with several nodes, multi-node with
                fewer than 2, or single-node on a type that needs 2 nodes.
            NumberOfNodesPerClusterLimitExceeded: more nodes than the type allows.
            ClusterAlreadyExists, ClusterSubnetGroupNotFoundFault.
        """
        ident = _check_identifier(identifier, "ClusterIdentifier")
        if ident in self.clusters:
            raise AlreadyExists("ClusterAlreadyExists", f"Cluster {ident} already exists in {self.region_name}.")
        nt = node_type if isinstance(node_type, NodeType) else lookup_node_type(node_type)
        n = self._check_nodes(nt, number_of_nodes, cluster_type)
        if not isinstance(master_username, str) or not _USER.match(master_username.lower()) \
                or len(master_username) > 128:
            _bad(f"MasterUsername {master_username!r} is invalid: 1-128 letters, digits or underscores, "
                 "starting with a letter.")
        user = master_username.lower()
        if user in _RESERVED_USERS:
            _bad(f"MasterUsername {master_username!r} is a reserved word; choose another (e.g. 'awsuser').")
        _check_password(master_user_password)
        if not isinstance(db_name, str) or not _DB.match(db_name.lower()) or len(db_name) > 64:
            _bad(f"DBName {db_name!r} is invalid: 1-64 letters, digits or underscores, starting with a letter.")
        if not isinstance(port, int) or isinstance(port, bool) or not (5431 <= port <= 5455 or 8191 <= port <= 8215):
            _bad(f"Port {port!r} is invalid: use 5431-5455 or 8191-8215 (default 5439).")
        if not isinstance(automated_snapshot_retention_period, int) or \
                not 0 <= automated_snapshot_retention_period <= 35:
            _bad(f"AutomatedSnapshotRetentionPeriod {automated_snapshot_retention_period!r} must be 0-35 days.")
        group, subnet = self._placement(cluster_subnet_group_name, availability_zone)
        groups = []
        for sg in vpc_security_group_ids or []:
            try:
                g = self.region.vpc.get_security_group(sg)
            except LookupError:
                _bad(f"Security group {sg} does not exist in {self.region_name}.")
            if g.vpc is not subnet.vpc:
                _bad(f"Security group {g.id} is in {g.vpc.id}, not in the cluster's VPC {subnet.vpc.id}.")
            groups.append(g)
        c = Cluster(id=ident, node_type=nt, number_of_nodes=n, master_username=user, _password=master_user_password,
                    db_name=db_name.lower(), port=port, status=ClusterStatus.CREATING,
                    created=self.cloud.clock.now, region=self.region_name,
                    arn=self.cloud.arn("redshift", f"cluster:{ident}", self.region_name),
                    availability_zone=subnet.availability_zone.name, subnet_group=group, subnet=subnet,
                    security_groups=groups, encrypted=bool(encrypted), publicly_accessible=bool(publicly_accessible),
                    endpoint_address=f"{ident}.{self._token()}.{self.region_name}.redshift.amazonaws.com",
                    automated_snapshot_retention_period=automated_snapshot_retention_period,
                    iam_roles=list(iam_roles or []), tags=dict(tags or {}), _cloud=self.cloud, _service=self)
        self._build_nodes(c)
        if _restore is not None:
            c.tables = _copy_tables(_restore.tables)
            c.restored_from = _restore.id
        self.clusters[ident] = c
        self._after(c, CREATE_SECONDS, self._became_available, "redshift.cluster.available")
        self.cloud.events.publish("redshift.cluster.created", cluster=ident, node_type=nt.name, nodes=n)
        return c

    def _token(self: RedshiftService) -> str:
        alphabet = string.ascii_lowercase + string.digits
        return "".join(self.cloud.rng.choice(alphabet) for _ in range(12))

    def _check_nodes(self: RedshiftService, nt: NodeType, number_of_nodes, cluster_type) -> int:
        if cluster_type is not None and cluster_type not in ("single-node", "multi-node"):
            _bad(f"Invalid cluster type {cluster_type!r}. Cluster type can be one of multi-node or single-node.")
        if number_of_nodes is not None and (not isinstance(number_of_nodes, int) or isinstance(number_of_nodes, bool)
                                            or number_of_nodes < 1):
            _bad(f"NumberOfNodes must be a whole number >= 1, not {number_of_nodes!r}.")
        if cluster_type is None:
            cluster_type = "multi-node" if (number_of_nodes or 1) > 1 else "single-node"
        if cluster_type == "single-node":
            if number_of_nodes not in (None, 1):
                _bad(f"A single-node cluster has exactly 1 node, not {number_of_nodes}: use ClusterType "
                     "multi-node for more.", "InvalidParameterCombination")
            if not nt.single_node:
                _bad(f"{nt.name} does not come as a single-node cluster: use multi-node with at least "
                     f"{nt.min_nodes} nodes, or a type that does (ra3.large, ra3.xlplus, dc2.large).",
                     "InvalidParameterCombination")
            return 1
        n = number_of_nodes or 1
        if n < 2:
            _bad("Number of nodes for cluster type multi-node must be greater than or equal to 2 "
                 "(or use ClusterType single-node).", "InvalidParameterCombination")
        if n > nt.max_nodes:
            raise LimitExceeded("NumberOfNodesPerClusterLimitExceeded",
                                f"{n} nodes is more than a {nt.name} cluster may have ({nt.node_range()}).")
        return n

    def _placement(self: RedshiftService, group_name, az):
        vpc = self.region.vpc
        if group_name is not None:
            group = self.get_subnet_group(group_name)
            subnets = group.subnets
        else:
            group = None
            default = vpc.default_vpc
            if default is None:
                raise NotFound("ClusterSubnetGroupNotFoundFault",
                               "There is no default VPC in this Region: create a cluster subnet group "
                               "(create_cluster_subnet_group) and pass ClusterSubnetGroupName.")
            subnets = [s for s in vpc.subnets if s.vpc is default]
        if az is not None:
            names = [a.name for a in self.region.availability_zones]
            if az not in names:
                _bad(f"{az!r} is not an Availability Zone of {self.region_name}: {', '.join(names)}.")
            subnets = [s for s in subnets if s.availability_zone.name == az]
            if not subnets:
                _bad(f"No subnet of the subnet group is in {az}.")
        if not subnets:
            _bad("The subnet group has no subnets.", "InvalidSubnet")
        return group, subnets[0]

    def _build_nodes(self: RedshiftService, c: Cluster) -> None:
        """Leader and compute nodes (or one SHARED node), each with an address in the subnet."""
        roles = ["SHARED"] if c.number_of_nodes == 1 else \
            ["LEADER"] + [f"COMPUTE-{i}" for i in range(c.number_of_nodes)]
        keep = {n.role: n for n in c.nodes}
        nodes = []
        per = c.node_type.slices
        for role in roles:
            node = keep.pop(role, None)
            if node is None:
                eni = self.region.vpc.create_network_interface(
                    c.subnet, groups=c.security_groups or None, description=f"RedshiftNetworkInterface {c.id}")
                node = ClusterNode(role=role, private_ip=str(eni.private_ip_address), eni=eni)
            if role == "LEADER":
                node.slices = []
            elif role == "SHARED":
                node.slices = list(range(per))
            else:
                k = int(role.split("-")[1])
                node.slices = list(range(k * per, (k + 1) * per))
            nodes.append(node)
        for old in keep.values():
            self._release(old)
        c.nodes = nodes

    def _release(self: RedshiftService, node: ClusterNode) -> None:
        if node.eni is not None:
            try:
                self.region.vpc.delete_network_interface(node.eni)
            except LookupError:
                pass
            node.eni = None

    def _after(self: RedshiftService, c: Cluster, seconds: float, fn, name: str) -> None:
        c._timers.append(self.cloud.clock.schedule(seconds, lambda: fn(c), name=f"{name} {c.id}"))

    def _became_available(self: RedshiftService, c: Cluster) -> None:
        if c.status is not ClusterStatus.CREATING:
            return
        c.status = ClusterStatus.AVAILABLE
        self._meter_compute(c)
        self._meter_storage(c)
        c._timers.append(self.cloud.clock.every(AUTOMATED_SNAPSHOT_HOURS * 3600, lambda: self._automated(c),
                                                name=f"redshift automated snapshot {c.id}"))
        self.cloud.events.publish("redshift.cluster.available", cluster=c.id)

    # -- billing -------------------------------------------------------------------
    def _meter_compute(self: RedshiftService, c: Cluster) -> None:
        self.cloud.bill.stop_meter(c._meter)
        c._meter = None
        if c.status in (ClusterStatus.AVAILABLE, ClusterStatus.RESIZING):
            c._meter = self.cloud.bill.start_meter(
                "redshift", c.id, f"{c.number_of_nodes} x {c.node_type.name} node-hours", hourly=c.hourly_cost)

    def _meter_storage(self: RedshiftService, c: Cluster) -> None:
        if not c.node_type.managed_storage or c.status in (ClusterStatus.CREATING, ClusterStatus.DELETING):
            return
        gb = c.data_bytes / 1e9
        if c._storage_meter is not None and gb == c._storage_gb:
            return
        self.cloud.bill.stop_meter(c._storage_meter)
        c._storage_gb = gb
        c._storage_meter = self.cloud.bill.start_meter("redshift", c.id, "RA3 managed storage GB-months",
                                                       monthly=gb * MANAGED_STORAGE_GB_MONTH)

    # -- delete ----------------------------------------------------------------------
    def delete_cluster(self: RedshiftService, cluster: str | Cluster, *, skip_final_snapshot: bool = False,
                       final_snapshot_identifier: str | None = None) -> Cluster:
        """Delete a cluster: name a final snapshot, or say you skip it.

        Raises: InvalidParameterCombination (neither or both), ClusterSnapshotAlreadyExists,
        InvalidClusterState (already deleting).
        """
        c = self.get_cluster(cluster)
        if not skip_final_snapshot and final_snapshot_identifier is None:
            _bad("FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is specified.",
                 "InvalidParameterCombination")
        if skip_final_snapshot and final_snapshot_identifier is not None:
            _bad("Give FinalClusterSnapshotIdentifier or SkipFinalClusterSnapshot=True, not both.",
                 "InvalidParameterCombination")
        if c.status is ClusterStatus.DELETING:
            raise InvalidState("InvalidClusterState", f"Cluster {c.id} is already being deleted.")
        if final_snapshot_identifier is not None:
            self.create_cluster_snapshot(final_snapshot_identifier, c, _any_state=True)
        for t in c._timers:
            t.cancel()
        c._timers.clear()
        c.status = ClusterStatus.DELETING
        self.cloud.bill.stop_meter(c._meter)
        self.cloud.bill.stop_meter(c._storage_meter)
        for sid in [s.id for s in self.snapshots.values()
                    if s.cluster_identifier == c.id and s.snapshot_type == "automated"]:
            del self.snapshots[sid]   # automated snapshots go with the cluster; manual ones stay

        def gone(c=c):
            if self.clusters.get(c.id) is c:
                del self.clusters[c.id]
                for node in c.nodes:
                    self._release(node)
                self.cloud.events.publish("redshift.cluster.deleted", cluster=c.id)
        self.cloud.clock.schedule(DELETE_SECONDS, gone, name=f"redshift.cluster.deleted {c.id}")
        return c

    # -- resize ----------------------------------------------------------------------
    def resize_cluster(self: RedshiftService, cluster: str | Cluster, *, number_of_nodes: int | None = None,
                       node_type: str | None = None, cluster_type: str | None = None,
                       classic: bool = False) -> Cluster:
        """Change the node count (and, with a classic resize, the node type).

        Elastic resize (the default) keeps the cluster ``resizing`` about 15 minutes and
        allows half to double the current count of the same type (awskit's simplification of
        AWS's per-type table).  Classic resize takes hours and allows any valid count or type;
        a single-node cluster can only be resized classically.  Either way the rows are spread
        over the new slices when it finishes; query results do not change.

        Raises: InvalidClusterState, UnsupportedOperation (not possible elastically),
        InvalidParameterCombination, NumberOfNodesPerClusterLimitExceeded.
        """
        c = self.get_cluster(cluster)
        if c.status is not ClusterStatus.AVAILABLE:
            raise InvalidState("InvalidClusterState",
                               f"Cluster {c.id} is {c.status.value}; resize it when it is available.")
        nt = c.node_type if node_type is None else lookup_node_type(node_type)
        count = c.number_of_nodes if number_of_nodes is None else number_of_nodes
        if cluster_type is None:
            cluster_type = "single-node" if count == 1 else "multi-node"
        n = self._check_nodes(nt, count, cluster_type)
        if n == c.number_of_nodes and nt is c.node_type:
            _bad(f"Cluster {c.id} already has {n} x {nt.name}: nothing to resize.")
        if not classic:
            why = None
            if c.number_of_nodes == 1 or n == 1:
                why = "a single-node cluster can only be resized with a classic resize"
            elif nt is not c.node_type and nt.family != "ra3":
                why = f"elastic resize changes the node type only to RA3, not to {nt.name}"
            elif nt is c.node_type and not (c.number_of_nodes + 1) // 2 <= n <= 2 * c.number_of_nodes:
                why = (f"elastic resize goes from {c.number_of_nodes} nodes to between "
                       f"{(c.number_of_nodes + 1) // 2} and {2 * c.number_of_nodes}")
            if why:
                raise InvalidParameter("UnsupportedOperation", f"Cannot resize {c.id} elastically: {why}. "
                                                               "Use Classic=True.")
        c.status = ClusterStatus.RESIZING

        def done(c=c, n=n, nt=nt):
            if c.status is not ClusterStatus.RESIZING:
                return
            c.number_of_nodes, c.node_type = n, nt
            self._build_nodes(c)
            for t in c.tables.values():
                t.redistribute(c._topology)
            c.status = ClusterStatus.AVAILABLE
            self._meter_compute(c)
            self.cloud.events.publish("redshift.cluster.resized", cluster=c.id, nodes=n, node_type=nt.name)
        seconds = CLASSIC_RESIZE_SECONDS if classic else ELASTIC_RESIZE_SECONDS
        c._timers.append(self.cloud.clock.schedule(seconds, done, name=f"redshift.cluster.resized {c.id}"))
        return c

    # -- pause / resume ------------------------------------------------------------------
    def pause_cluster(self: RedshiftService, cluster: str | Cluster) -> Cluster:
        """Stop compute billing; the data stays (and RA3 storage is still billed)."""
        c = self.get_cluster(cluster)
        if c.status is not ClusterStatus.AVAILABLE:
            raise InvalidState("InvalidClusterState", f"Cluster {c.id} is {c.status.value}; only an available "
                                                      "cluster can be paused.")
        c.status = ClusterStatus.PAUSING
        self._meter_compute(c)

        def paused(c=c):
            if c.status is ClusterStatus.PAUSING:
                c.status = ClusterStatus.PAUSED
        c._timers.append(self.cloud.clock.schedule(PAUSE_SECONDS, paused, name=f"redshift.paused {c.id}"))
        return c

    def resume_cluster(self: RedshiftService, cluster: str | Cluster) -> Cluster:
        c = self.get_cluster(cluster)
        if c.status is not ClusterStatus.PAUSED:
            raise InvalidState("InvalidClusterState", f"Cluster {c.id} is {c.status.value}; only a paused "
                                                      "cluster can be resumed.")
        c.status = ClusterStatus.RESUMING

        def resumed(c=c):
            if c.status is ClusterStatus.RESUMING:
                c.status = ClusterStatus.AVAILABLE
                self._meter_compute(c)
        c._timers.append(self.cloud.clock.schedule(RESUME_SECONDS, resumed, name=f"redshift.resumed {c.id}"))
        return c

    # -- options -----------------------------------------------------------------------
    def describe_orderable_cluster_options(self: RedshiftService, node_type: str | None = None) -> list[dict[str, Any]]:
        """Which node types and cluster types can be ordered here."""
        types = [lookup_node_type(node_type)] if node_type else list(NODE_TYPES.values())
        azs = [a.name for a in self.region.availability_zones]
        out = []
        for nt in types:
            for ctype in (["single-node"] if nt.single_node else []) + ["multi-node"]:
                out.append({"ClusterVersion": "1.0", "ClusterType": ctype, "NodeType": nt.name,
                            "AvailabilityZones": azs})
        return out

    def describe_node_configuration_options(self: RedshiftService, data_gb: float = 0) -> list[dict[str, Any]]:
        """Node configurations that hold ``data_gb`` of data, cheapest first (a small recommender)."""
        if isinstance(data_gb, bool) or not isinstance(data_gb, (int, float)) or not 0 <= data_gb < float("inf"):
            _bad(f"data_gb is the amount of data to hold, in GB: a number >= 0 (e.g. 500), not {data_gb!r:.80}.")
        out = []
        for nt in NODE_TYPES.values():
            for n in ([1] if nt.single_node else []) + [nt.min_nodes, 4, 8]:
                if n < (1 if nt.single_node else nt.min_nodes) or n > nt.max_nodes:
                    continue
                capacity = nt.storage_gb * n
                if data_gb > capacity:
                    continue
                out.append({"NodeType": nt.name, "NumberOfNodes": n,
                            "EstimatedDiskUtilizationPercent": round(100 * data_gb / capacity, 2),
                            "Mode": "standard", "HourlyCost": round(nt.hourly * n, 3)})
        unique = {(o["NodeType"], o["NumberOfNodes"]): o for o in out}
        return sorted(unique.values(), key=lambda o: (o["HourlyCost"], o["NodeType"]))
