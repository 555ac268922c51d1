"""Redshift snapshots: manual ones you take and keep, automated ones taken every few hours.

A snapshot copies the cluster's tables as they are; restoring it builds a new cluster of
the same node type and count with that data.  Automated snapshots are taken every
:data:`AUTOMATED_SNAPSHOT_HOURS` (AWS also takes one after about 5 GB of changes: not
modelled), kept for the cluster's retention period and deleted with the cluster; manual
ones stay until you delete them.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> rs = cloud.redshift
>>> c = rs.create_cluster("dw", node_type="ra3.xlplus", master_username="awsuser",
...                       master_user_password="Secret123")
>>> cloud.clock.advance(minutes=10)
>>> snap = rs.create_cluster_snapshot("before-load", c)
>>> cloud.clock.advance(minutes=2)
>>> snap.status.value, rs.restore_from_cluster_snapshot("dw-copy", "before-load").restored_from
('available', 'before-load')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.errors import AlreadyExists, InvalidState
from ._common import _bad, _check_identifier
from .cluster import Cluster, ClusterStatus, Snapshot, SnapshotStatus, _copy_tables

if TYPE_CHECKING:
    from .service import RedshiftService

__all__ = ["AUTOMATED_SNAPSHOT_HOURS", "SNAPSHOT_SECONDS"]

SNAPSHOT_SECONDS = 60
AUTOMATED_SNAPSHOT_HOURS = 8


class _SnapshotOps:
    """Snapshot actions of :class:`~awskit.redshift.RedshiftService`."""

    def create_cluster_snapshot(self: RedshiftService, snapshot_identifier: str, cluster: str | Cluster, *,
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

    def _automated(self: RedshiftService, c: Cluster) -> None:
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

    def describe_cluster_snapshots(self: RedshiftService, *, cluster: str | None = None,
                                   snapshot_identifier: str | None = None,
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

    def delete_cluster_snapshot(self: RedshiftService, snapshot_identifier: str) -> Snapshot:
        """Raises: ClusterSnapshotNotFound, InvalidClusterSnapshotState (automated ones go by retention)."""
        s = self.get_snapshot(snapshot_identifier)
        if s.snapshot_type != "manual":
            raise InvalidState("InvalidClusterSnapshotState",
                               f"Cannot delete the snapshot {s.id} because only manual snapshots may be deleted; "
                               "automated ones expire after the retention period.")
        del self.snapshots[s.id]
        s.status = SnapshotStatus.DELETED
        return s

    def restore_from_cluster_snapshot(self: RedshiftService, identifier: str, snapshot_identifier: str,
                                      **kwargs: Any) -> Cluster:
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
