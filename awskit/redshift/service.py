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

The actions live in modules by concept, composed here: :mod:`.lifecycle` (clusters),
:mod:`.snapshots`, :mod:`.subnet_groups` and :mod:`.data_api` (connections and the Data API).
"""

from __future__ import annotations

from ..core.errors import NotFound
from .cluster import Cluster, Snapshot
from .data_api import DATA_API_QUEUE_SECONDS, Statement, _SqlOps  # noqa: F401  (were defined here)
from .lifecycle import (
    CLASSIC_RESIZE_SECONDS,
    CREATE_SECONDS,
    DELETE_SECONDS,
    ELASTIC_RESIZE_SECONDS,
    PAUSE_SECONDS,
    RESUME_SECONDS,
    _ClusterOps,
)
from .snapshots import AUTOMATED_SNAPSHOT_HOURS, SNAPSHOT_SECONDS, _SnapshotOps
from .subnet_groups import ClusterSubnetGroup, _SubnetGroupOps

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


class RedshiftService(_ClusterOps, _SnapshotOps, _SubnetGroupOps, _SqlOps):
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

    def __repr__(self) -> str:
        return f"RedshiftService({self.region_name!r}, clusters={list(self.clusters)})"
