"""Aurora backups: the cluster volume is backed up continuously, so a cluster can be restored
to any second of its retention period (1-35 days; Aurora cannot turn backups off), into a
*new* cluster that starts with no instances.  awskit keeps a daily checkpoint of the volume
plus its transaction log, as for RDS instances (:mod:`awskit.rds.snapshots`), so the
restored data is exact.  Manual cluster snapshots are kept until deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._common import check_bool, check_identifier, fail
from .engines import Engine
from .snapshots import LATEST_RESTORABLE_LAG, SNAPSHOT_SECONDS
from .sql import Database

if TYPE_CHECKING:
    from .aurora import DBCluster
    from .service import RDSService

__all__ = ["DBClusterSnapshot"]


@dataclass(slots=True, kw_only=True, eq=False)
class DBClusterSnapshot:
    """A cluster snapshot: the volume's data at one moment."""

    id: str
    arn: str
    cluster_id: str
    engine: Engine
    engine_version: str
    master_username: str
    _password: str = field(repr=False)
    db_name: str | None
    port: int
    created: float
    snapshot_type: str
    encrypted: bool
    image: Database = field(repr=False)
    status: str = "creating"
    vpc_id: str = ""
    journal_position: int = 0


class _ClusterBackupOps:
    """Aurora backup actions of :class:`~awskit.rds.RDSService`."""

    # -- backups ------------------------------------------------------------------------------
    def _cluster_backup(self: RDSService, cluster: DBCluster) -> None:
        """Aurora backs the volume up continuously; awskit keeps a daily checkpoint plus the log."""
        if cluster.deleted:
            return
        snap = self._cluster_snapshot(cluster, f"rds:{cluster.id}-{self.cloud.clock.to_datetime(self.now):%Y-%m-%d-%H-%M}",
                                      "automated")
        cluster.backups.append(snap)
        cutoff = self.now - cluster.backup_retention_period * 86400
        while len(cluster.backups) > 1 and cluster.backups[1].created <= cutoff:
            self._cluster_snapshots.pop(cluster.backups.pop(0).id, None)
        cluster.volume.journal.prune_to(cluster.backups[0].journal_position)
        at = self._window_start(cluster.backup_window)
        cluster.backup_event = self.cloud.clock.at(at, lambda: self._cluster_backup(cluster))

    def _cluster_snapshot(self: RDSService, cluster: DBCluster, name: str, kind: str) -> DBClusterSnapshot:
        snap = DBClusterSnapshot(id=name, arn=self._arn("cluster-snapshot", name), cluster_id=cluster.id,
                                 engine=cluster.engine, engine_version=cluster.engine_version,
                                 master_username=cluster.master_username, _password=cluster._password,
                                 db_name=cluster.db_name, port=cluster.port, created=self.now, snapshot_type=kind,
                                 encrypted=cluster.storage_encrypted, image=cluster.volume.data.copy(),
                                 vpc_id=cluster.subnet_group.vpc.id, journal_position=cluster.volume.journal.end)
        self._cluster_snapshots[name] = snap
        self._ensure_backup_billing()
        if kind == "automated":
            snap.status = "available"
        else:
            def ready() -> None:
                snap.status = "available"
            self.cloud.clock.schedule(SNAPSHOT_SECONDS, ready)
        return snap

    def create_db_cluster_snapshot(self: RDSService, cluster: str | DBCluster, identifier: str) -> DBClusterSnapshot:
        """A manual snapshot of the cluster volume.  Raises: DBClusterSnapshotAlreadyExistsFault."""
        cluster = self.get_db_cluster(cluster)
        name = check_identifier(identifier, "DBClusterSnapshotIdentifier")
        if name in self._cluster_snapshots:
            fail("DBClusterSnapshotAlreadyExistsFault", f"Cluster snapshot {name} already exists.")
        return self._cluster_snapshot(cluster, name, "manual")

    def describe_db_cluster_snapshots(self: RDSService, cluster: Any = None) -> list[DBClusterSnapshot]:
        cid = getattr(cluster, "id", cluster)
        return [s for s in self._cluster_snapshots.values() if cid is None or s.cluster_id == cid]

    def cluster_restorable_window(self: RDSService, cluster: str | DBCluster) -> tuple[float, float] | None:
        cluster = self.get_db_cluster(cluster)
        if not cluster.backups:
            return None
        earliest = max(cluster.backups[0].created, self.now - cluster.backup_retention_period * 86400)
        return earliest, max(earliest, self.now - LATEST_RESTORABLE_LAG)

    def restore_db_cluster_to_point_in_time(self: RDSService, source: str | DBCluster, identifier: str, *,
                                            restore_time: Any = None, use_latest_restorable_time: bool = False,
                                            subnet_group: Any = None) -> DBCluster:
        """A new cluster whose volume holds the source's data as of ``restore_time`` (no instances:
        add them, as in AWS).

        Raises: DBClusterNotFoundFault, InvalidRestoreFault, InvalidParameterCombination.
        """
        src = self.get_db_cluster(source)
        if (restore_time is None) == (not check_bool("UseLatestRestorableTime", use_latest_restorable_time)):
            fail("InvalidParameterCombination", "Give exactly one of RestoreToTime and UseLatestRestorableTime.")
        window = self.cluster_restorable_window(src)
        if window is None:
            fail("InvalidDBClusterStateFault", f"Cluster {src.id} has no backup yet: wait until it is available.")
        t = window[1] if use_latest_restorable_time else self._as_seconds(restore_time)
        if not window[0] <= t <= window[1]:
            fail("InvalidRestoreFault", f"The restore time {self.cloud.clock.isoformat(t)} is outside the "
                                        f"restorable window of {src.id}.")
        base = [s for s in src.backups if s.created <= t][-1]
        data = base.image.copy()
        for txn in src.volume.journal.after(base.journal_position, t):
            data.apply(txn)
        return self.create_db_cluster(identifier, engine=src.engine.name, master_username=src.master_username,
                                      master_password=src._password, db_name=src.db_name,
                                      engine_version=src.engine_version, port=src.port,
                                      subnet_group=subnet_group or src.subnet_group,
                                      backup_retention_period=src.backup_retention_period,
                                      storage_encrypted=src.storage_encrypted, _data=data)
