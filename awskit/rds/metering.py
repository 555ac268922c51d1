"""Metrics and the bill of RDS and Aurora (approximate, dated: see :mod:`awskit.rds.engines`).

Every minute while any DB instance or cluster exists, the service publishes to CloudWatch
(namespace ``AWS/RDS``): CPUUtilization (2 % plus a share of the statements run that minute),
DatabaseConnections (open sessions), FreeStorageSpace (allocated storage minus the stand-in
database's size), ReplicaLag (read replicas), and for Aurora VolumeBytesUsed and
AuroraReplicaLag.  The bill accrues instance hours by class (Multi-AZ twice), gp2/gp3
storage by the GB-month (Multi-AZ twice), Aurora storage and I/O hourly, and backup storage
beyond 100% of the Region's database storage daily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .aurora import DBCluster
from .engines import (
    AURORA_IO_PRICE_PER_MILLION,
    AURORA_STORAGE_PRICE_GB_MONTH,
    BACKUP_PRICE_GB_MONTH,
    STORAGE_PRICE_GB_MONTH,
    hourly_price,
)
from .instances import DBInstance, DBInstanceStatus

if TYPE_CHECKING:
    from .service import RDSService

_USABLE = (DBInstanceStatus.AVAILABLE, DBInstanceStatus.MODIFYING, DBInstanceStatus.BACKING_UP,
           DBInstanceStatus.STORAGE_OPTIMIZATION)


class _MeteringOps:
    """Metrics and billing of :class:`~awskit.rds.RDSService`."""

    # -- metrics and bill -----------------------------------------------------------------
    def _start_meters(self: RDSService, db: DBInstance) -> None:
        bill = self.cloud.bill
        if db.cluster is not None:
            db.meters = [bill.start_meter("rds", db.id, f"{db.instance_class.name} Aurora hours",
                                          hourly=hourly_price(db.instance_class, db.engine))]
            return
        copies = 2 if db.multi_az else 1
        db.meters = [
            bill.start_meter("rds", db.id, f"{db.instance_class.name}{' Multi-AZ' if db.multi_az else ''} hours",
                             hourly=hourly_price(db.instance_class, db.engine, multi_az=db.multi_az)),
            bill.start_meter("rds", db.id, f"{db.allocated_storage} GiB {db.storage_type} storage",
                             monthly=db.allocated_storage * STORAGE_PRICE_GB_MONTH * copies),
        ]

    def _stop_meters(self: RDSService, db: DBInstance) -> None:
        for m in db.meters:
            self.cloud.bill.stop_meter(m)
        db.meters = []

    def _ensure_ticker(self: RDSService) -> None:
        if self._ticker is None:
            self._ticker = self.cloud.clock.every(60, self._tick, name="rds:metrics")

    def _maybe_stop_ticker(self: RDSService) -> None:
        if self._ticker is not None and not self._instances and not self._clusters:
            self._ticker.cancel()
            self._ticker = None

    def _tick(self: RDSService) -> None:
        cw = self.cloud.region(self.region_name).cloudwatch
        self._ticks += 1
        for db in self.db_instances:
            if db.status not in _USABLE:
                continue
            dims = {"DBInstanceIdentifier": db.id}
            load = (db.writes * 2.0 + db.reads * 0.5) / db.instance_class.vcpu
            cw.put("AWS/RDS", "CPUUtilization", min(100.0, 2.0 + load), dimensions=dims, unit="Percent")
            cw.put("AWS/RDS", "DatabaseConnections", float(len(db.connections)), dimensions=dims, unit="Count")
            if db.cluster is None:
                used = db.data.size_bytes if db.data is not None else 0
                cw.put("AWS/RDS", "FreeStorageSpace", float(db.allocated_storage * 2**30 - used),
                       dimensions=dims, unit="Bytes")
            if db.source is not None:
                cw.put("AWS/RDS", "ReplicaLag", self.replica_lag(db), dimensions=dims, unit="Seconds")
            db.reads = db.writes = 0
        for cluster in self._clusters.values():
            self._cluster_tick(cluster, cw)
        if self._ticks % 60 == 0:
            for cluster in self._clusters.values():
                self._charge_aurora(cluster)

    def _charge_aurora(self: RDSService, cluster: DBCluster) -> None:
        gb = cluster.volume.data.size_bytes / 1e9
        cost = gb * AURORA_STORAGE_PRICE_GB_MONTH / 730.0 + cluster.volume.ios / 1e6 * AURORA_IO_PRICE_PER_MILLION
        cluster.volume.ios = 0
        if cost > 0:
            self.cloud.bill.charge("rds", cluster.id, "Aurora storage and I/O (hour)", cost)

    def _ensure_backup_billing(self: RDSService) -> None:
        """A daily charge for snapshot storage beyond the free allowance, while snapshots exist."""
        if self._backup_biller is None:
            self._backup_biller = self.cloud.clock.every(86400, self._charge_backup_storage, name="rds:backup-bill")

    def _charge_backup_storage(self: RDSService) -> None:
        if not self._snapshots and not self._cluster_snapshots:
            self._backup_biller.cancel()
            self._backup_biller = None
            return
        backup_gb = (sum(s.size_bytes for s in self._all_snapshots())
                     + sum(s.image.size_bytes for s in self._cluster_snapshots.values())) / 1e9
        provisioned = sum(d.allocated_storage for d in self.db_instances if d.cluster is None)
        provisioned += sum(c.volume.data.size_bytes / 1e9 for c in self._clusters.values())
        excess = backup_gb - provisioned
        if excess > 0:
            self.cloud.bill.charge("rds", "backup-storage", "backup storage beyond 100% of DB size (day)",
                                   excess * BACKUP_PRICE_GB_MONTH * 12 / 365)

