"""``cloud.redshift``: create, resize, pause, snapshot and delete clusters; connect with SQL.

Lifecycle on the simulated clock (awskit's timings, in the range AWS quotes):
creating -> available after :data:`CREATE_SECONDS`; an elastic resize keeps the cluster
``resizing`` for :data:`ELASTIC_RESIZE_SECONDS`, a classic resize for
:data:`CLASSIC_RESIZE_SECONDS`; pausing and resuming take a few minutes; deleting takes
:data:`DELETE_SECONDS`.  Compute is billed per node-hour only while the cluster is
available or resizing (not while paused); RA3 managed storage is billed per GB-month
whatever the state.  An automated snapshot is taken every 8 hours (AWS also takes one
after about 5 GB of changes: not modelled) and kept ``automated_snapshot_retention_period``
days (default 1).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import (
    AlreadyExists,
    AWSError,
    InvalidParameter,
    InvalidState,
    LimitExceeded,
    NotFound,
)
from .cluster import Cluster, ClusterNode, ClusterStatus, Snapshot, SnapshotStatus, _copy_tables
from .connection import Connection
from .nodes import MANAGED_STORAGE_GB_MONTH, NODE_TYPES, NodeType
from .nodes import node_type as lookup_node_type

__all__ = [
    "AUTOMATED_SNAPSHOT_HOURS",
    "CLASSIC_RESIZE_SECONDS",
    "CREATE_SECONDS",
    "DELETE_SECONDS",
    "ELASTIC_RESIZE_SECONDS",
    "PAUSE_SECONDS",
    "RESUME_SECONDS",
    "SNAPSHOT_SECONDS",
    "ClusterSubnetGroup",
    "RedshiftService",
]

CREATE_SECONDS = 8 * 60
DELETE_SECONDS = 2 * 60
ELASTIC_RESIZE_SECONDS = 15 * 60
CLASSIC_RESIZE_SECONDS = 2 * 3600
PAUSE_SECONDS = 2 * 60
RESUME_SECONDS = 5 * 60
SNAPSHOT_SECONDS = 60
AUTOMATED_SNAPSHOT_HOURS = 8
#: A Data API statement waits this long in the queue before it runs.
DATA_API_QUEUE_SECONDS = 0.2

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_DB = re.compile(r"^[a-z_][a-z0-9_$]*$")
_USER = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED_USERS = {"user", "public", "default", "select", "table", "all", "rdsdb", "admin_role"}
_PASSWORD_BANNED = set("'\"\\/@ ")


def _bad(message: str, code: str = "InvalidParameterValue"):
    raise InvalidParameter(code, message)


def _check_identifier(value: Any, what: str, limit: int = 63) -> str:
    """Cluster and snapshot identifiers: letters, digits, hyphens; AWS stores them lower-case."""
    if not isinstance(value, str) or not value:
        _bad(f"{what} must be a non-empty string, not {value!r}.")
    ident = value.lower()
    if len(ident) > limit or not _ID.match(ident) or "--" in ident or ident.endswith("-"):
        _bad(f"{what} {value!r} is invalid: it must be 1-{limit} letters, digits or hyphens, start with a "
             "letter, and contain no two consecutive hyphens and no trailing hyphen.")
    return ident


def _check_password(pw: Any) -> str:
    if not isinstance(pw, str) or not 8 <= len(pw) <= 64:
        _bad("MasterUserPassword must be 8-64 characters long.")
    if not (any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw)):
        _bad("MasterUserPassword needs at least one uppercase letter, one lowercase letter and one digit.")
    bad = sorted({c for c in pw if c in _PASSWORD_BANNED or c not in string.printable or c in "\t\n\r\x0b\x0c"})
    if bad:
        _bad(f"MasterUserPassword may not contain {', '.join(repr(c) for c in bad)} "
             "(no quotes, backslash, slash, @ or spaces).")
    return pw


@dataclass(slots=True, kw_only=True, eq=False)
class Statement:
    """One Data API statement: SUBMITTED, then STARTED, then FINISHED or FAILED."""

    id: str
    cluster: Cluster = field(repr=False)
    sql: str
    database: str
    db_user: str
    created: float
    updated: float = 0.0
    status: str = "SUBMITTED"
    result: Any = field(default=None, repr=False)
    error: str | None = None
    duration_s: float = 0.0


class ClusterSubnetGroup:
    """The subnets (of one VPC) a cluster may be placed in."""

    def __init__(self, name: str, description: str, subnets: list, tags: dict[str, str]) -> None:
        self.name, self.description, self.subnets, self.tags = name, description, subnets, tags

    @property
    def vpc(self):
        return self.subnets[0].vpc

    def __repr__(self) -> str:
        return f"ClusterSubnetGroup({self.name!r}, subnets={[s.id for s in self.subnets]})"


class RedshiftService:
    """Amazon Redshift in one region of one account (``cloud.redshift``).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=3)
    >>> c = cloud.redshift.create_cluster("dw", node_type="ra3.xlplus", number_of_nodes=2,
    ...                                   master_username="awsuser", master_user_password="Secret123")
    >>> c.status.value, c.endpoint
    ('creating', None)
    >>> cloud.clock.advance(minutes=10)
    >>> c.status.value, [n.role for n in c.nodes], c.slices
    ('available', ['LEADER', 'COMPUTE-0', 'COMPUTE-1'], 4)
    """

    def __init__(self, cloud, region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name = region.name
        self.clusters: dict[str, Cluster] = {}
        self.snapshots: dict[str, Snapshot] = {}
        self.subnet_groups: dict[str, ClusterSubnetGroup] = {}
        self.statements: dict[str, Statement] = {}

    # ------------------------------------------------------------------ look-ups
    def get_cluster(self, cluster: str | Cluster) -> Cluster:
        """Raises: ClusterNotFound listing the clusters that exist."""
        if isinstance(cluster, Cluster):
            if self.clusters.get(cluster.id) is cluster:
                return cluster
            cluster = cluster.id
        c = self.clusters.get(cluster.lower()) if isinstance(cluster, str) else None
        if c is None:
            raise NotFound("ClusterNotFound", f"Cluster {cluster} not found. Clusters in {self.region_name}: "
                                              f"{', '.join(self.clusters) or 'none'}.")
        return c

    def get_snapshot(self, snapshot: str | Snapshot) -> Snapshot:
        """Raises: ClusterSnapshotNotFound."""
        sid = snapshot.id if isinstance(snapshot, Snapshot) else snapshot
        s = self.snapshots.get(sid.lower()) if isinstance(sid, str) else None
        if s is None:
            raise NotFound("ClusterSnapshotNotFound", f"Snapshot {sid} not found. Snapshots: "
                                                      f"{', '.join(self.snapshots) or 'none'}.")
        return s

    def describe_clusters(self, cluster: str | None = None) -> list[Cluster]:
        return [self.get_cluster(cluster)] if cluster is not None else list(self.clusters.values())

    # ------------------------------------------------------------------ subnet groups
    def create_cluster_subnet_group(self, name: str, description: str, subnet_ids: list,
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

    def get_subnet_group(self, name: str) -> ClusterSubnetGroup:
        g = self.subnet_groups.get(name.lower()) if isinstance(name, str) else None
        if g is None:
            raise NotFound("ClusterSubnetGroupNotFoundFault",
                           f"Subnet group {name} not found. Groups: {', '.join(self.subnet_groups) or 'none'}.")
        return g

    def delete_cluster_subnet_group(self, name: str) -> None:
        g = self.get_subnet_group(name)
        users = [c.id for c in self.clusters.values() if c.subnet_group is g]
        if users:
            raise InvalidState("InvalidClusterSubnetGroupStateFault",
                               f"Subnet group {g.name} is in use by cluster(s) {', '.join(users)}.")
        del self.subnet_groups[g.name]

    # ------------------------------------------------------------------ clusters
    def create_cluster(self, identifier: str, *, node_type: str, master_username: str,
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

    def _token(self) -> str:
        alphabet = string.ascii_lowercase + string.digits
        return "".join(self.cloud.rng.choice(alphabet) for _ in range(12))

    def _check_nodes(self, nt: NodeType, number_of_nodes, cluster_type) -> int:
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

    def _placement(self, group_name, az):
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

    def _build_nodes(self, c: Cluster) -> None:
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

    def _release(self, node: ClusterNode) -> None:
        if node.eni is not None:
            try:
                self.region.vpc.delete_network_interface(node.eni)
            except LookupError:
                pass
            node.eni = None

    def _after(self, c: Cluster, seconds: float, fn, name: str) -> None:
        c._timers.append(self.cloud.clock.schedule(seconds, lambda: fn(c), name=f"{name} {c.id}"))

    def _became_available(self, c: Cluster) -> None:
        if c.status is not ClusterStatus.CREATING:
            return
        c.status = ClusterStatus.AVAILABLE
        self._meter_compute(c)
        self._meter_storage(c)
        c._timers.append(self.cloud.clock.every(AUTOMATED_SNAPSHOT_HOURS * 3600, lambda: self._automated(c),
                                                name=f"redshift automated snapshot {c.id}"))
        self.cloud.events.publish("redshift.cluster.available", cluster=c.id)

    # -- billing -------------------------------------------------------------------
    def _meter_compute(self, c: Cluster) -> None:
        self.cloud.bill.stop_meter(c._meter)
        c._meter = None
        if c.status in (ClusterStatus.AVAILABLE, ClusterStatus.RESIZING):
            c._meter = self.cloud.bill.start_meter(
                "redshift", c.id, f"{c.number_of_nodes} x {c.node_type.name} node-hours", hourly=c.hourly_cost)

    def _meter_storage(self, c: Cluster) -> None:
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
    def delete_cluster(self, cluster: str | Cluster, *, skip_final_snapshot: bool = False,
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
    def resize_cluster(self, cluster: str | Cluster, *, number_of_nodes: int | None = None,
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
    def pause_cluster(self, cluster: str | Cluster) -> Cluster:
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

    def resume_cluster(self, cluster: str | Cluster) -> Cluster:
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

    # -- snapshots ---------------------------------------------------------------------
    def create_cluster_snapshot(self, snapshot_identifier: str, cluster: str | Cluster, *,
                                tags: dict[str, str] | None = None, _type: str = "manual",
                                _any_state: bool = False) -> Snapshot:
        """A manual snapshot: the data as it is now (restorable once ``available``).

        Raises: ClusterSnapshotAlreadyExists, InvalidClusterState (not available).
        """
        c = self.get_cluster(cluster)
        sid = snapshot_identifier if _type == "automated" else _check_identifier(
            snapshot_identifier, "SnapshotIdentifier", 255)
        if sid in self.snapshots:
            raise AlreadyExists("ClusterSnapshotAlreadyExists",
                                f"Cannot create the snapshot because a snapshot with the identifier {sid} "
                                "already exists.")
        if not _any_state and c.status not in (ClusterStatus.AVAILABLE, ClusterStatus.PAUSED):
            raise InvalidState("InvalidClusterState", f"Cluster {c.id} is {c.status.value}; snapshot it when "
                                                      "it is available.")
        snap = Snapshot(id=sid, cluster_identifier=c.id, snapshot_type=_type, status=SnapshotStatus.CREATING,
                        created=self.cloud.clock.now, cluster_created=c.created, node_type=c.node_type,
                        number_of_nodes=c.number_of_nodes, master_username=c.master_username, db_name=c.db_name,
                        port=c.port, availability_zone=c.availability_zone,
                        vpc_id=c.vpc.id if c.vpc is not None else None, encrypted=c.encrypted,
                        tables=_copy_tables(c.tables), size_bytes=c.data_bytes, tags=dict(tags or {}),
                        arn=self.cloud.arn("redshift", f"snapshot:{c.id}/{sid}", self.region_name))
        self.snapshots[sid] = snap

        def ready(snap=snap):
            if snap.status is SnapshotStatus.CREATING:
                snap.status = SnapshotStatus.AVAILABLE
        self.cloud.clock.schedule(SNAPSHOT_SECONDS, ready, name=f"redshift.snapshot {sid}")
        return snap

    def _automated(self, c: Cluster) -> None:
        if c.status not in (ClusterStatus.AVAILABLE, ClusterStatus.RESIZING):
            return
        when = self.cloud.clock.datetime.strftime("%Y-%m-%d-%H-%M-%S")
        sid = f"rs:{c.id}-{when}"
        if sid not in self.snapshots:
            self.create_cluster_snapshot(sid, c, _type="automated", _any_state=True)
        keep = c.automated_snapshot_retention_period * 86400
        now = self.cloud.clock.now
        for s in list(self.snapshots.values()):
            if s.cluster_identifier == c.id and s.snapshot_type == "automated" and now - s.created > keep:
                del self.snapshots[s.id]

    def describe_cluster_snapshots(self, *, cluster: str | None = None, snapshot_identifier: str | None = None,
                                   snapshot_type: str | None = None) -> list[Snapshot]:
        if snapshot_identifier is not None:
            found = [self.get_snapshot(snapshot_identifier)]
        else:
            found = list(self.snapshots.values())
        if cluster is not None:
            found = [s for s in found if s.cluster_identifier == cluster.lower()]
        if snapshot_type is not None:
            if snapshot_type not in ("manual", "automated"):
                _bad(f"SnapshotType is manual or automated, not {snapshot_type!r}.")
            found = [s for s in found if s.snapshot_type == snapshot_type]
        return found

    def delete_cluster_snapshot(self, snapshot_identifier: str) -> Snapshot:
        """Raises: ClusterSnapshotNotFound, InvalidClusterSnapshotState (automated ones go by retention)."""
        s = self.get_snapshot(snapshot_identifier)
        if s.snapshot_type != "manual":
            raise InvalidState("InvalidClusterSnapshotState",
                               f"Cannot delete the snapshot {s.id} because only manual snapshots may be deleted; "
                               "automated ones expire after the retention period.")
        del self.snapshots[s.id]
        s.status = SnapshotStatus.DELETED
        return s

    def restore_from_cluster_snapshot(self, identifier: str, snapshot_identifier: str, **kwargs: Any) -> Cluster:
        """A new cluster with the snapshot's node type, node count and data.

        Raises: ClusterSnapshotNotFound, InvalidClusterSnapshotState (still creating),
        ClusterAlreadyExists.
        """
        s = self.get_snapshot(snapshot_identifier)
        if s.status is not SnapshotStatus.AVAILABLE:
            raise InvalidState("InvalidClusterSnapshotState",
                               f"Snapshot {s.id} is {s.status.value}; restore it once it is available.")
        owner = self.clusters.get(s.cluster_identifier)
        password = owner._password if owner is not None else "Restored1"
        return self.create_cluster(identifier, node_type=s.node_type, master_username=s.master_username,
                                   master_user_password=password, number_of_nodes=s.number_of_nodes,
                                   db_name=s.db_name, port=kwargs.pop("port", s.port), _restore=s,
                                   encrypted=s.encrypted, **kwargs)

    # -- options -----------------------------------------------------------------------
    def describe_orderable_cluster_options(self, node_type: str | None = None) -> list[dict[str, Any]]:
        """Which node types and cluster types can be ordered here."""
        types = [lookup_node_type(node_type)] if node_type else list(NODE_TYPES.values())
        azs = [a.name for a in self.region.availability_zones]
        out = []
        for nt in types:
            for ctype in (["single-node"] if nt.single_node else []) + ["multi-node"]:
                out.append({"ClusterVersion": "1.0", "ClusterType": ctype, "NodeType": nt.name,
                            "AvailabilityZones": azs})
        return out

    def describe_node_configuration_options(self, data_gb: float = 0) -> list[dict[str, Any]]:
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

    # -- SQL -------------------------------------------------------------------------------
    def connect(self, cluster: str | Cluster, user: str, password: str, database: str = "dev") -> Connection:
        """A DB-API-style connection: ``conn.cursor().execute(sql)``, ``fetchall()``.

        Raises: SQLError 28000/28P01 (bad user or password), 3D000 (no such database),
        08001 (the cluster is not accepting connections).
        """
        return Connection(self.get_cluster(cluster), user, password, database)

    # -- the Data API (redshift-data): statements that run on the clock -----------------------
    def execute_statement(self, cluster: str | Cluster, sql: str, database: str = "dev",
                          db_user: str | None = None) -> Statement:
        """Submit SQL without a connection; it is FINISHED (or FAILED) after its simulated duration.

        Raises: ClusterNotFound; ValidationException for a wrong database.
        """
        c = self.get_cluster(cluster)
        if database != c.db_name:
            raise InvalidParameter("ValidationException", f"Database {database!r} does not exist on {c.id}; "
                                                          f"its database is {c.db_name!r}.")
        now = self.cloud.clock.now
        st = Statement(id=self.cloud.ids.uuid(), cluster=c, sql=sql, database=database,
                       db_user=db_user or c.master_username, created=now)
        try:
            st.result = c.execute(sql)
            seconds = st.result.record.duration_s
        except AWSError as err:
            st.error, seconds = f"ERROR: {err.message}", 0.05
        self.statements[st.id] = st
        st.status = "STARTED"

        def done(st=st, seconds=seconds):
            st.status = "FAILED" if st.error else "FINISHED"
            st.updated = self.cloud.clock.now
            st.duration_s = seconds
        self.cloud.clock.schedule(DATA_API_QUEUE_SECONDS + seconds, done, name=f"redshift-data {st.id}")
        return st

    def get_statement(self, statement_id: str) -> Statement:
        st = self.statements.get(statement_id) if isinstance(statement_id, str) else None
        if st is None:
            raise NotFound("ResourceNotFoundException", f"Query {statement_id!r} does not exist.")
        return st

    def __repr__(self) -> str:
        return f"RedshiftService({self.region_name!r}, clusters={list(self.clusters)})"
