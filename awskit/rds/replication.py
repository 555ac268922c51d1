"""Multi-AZ failover and read replicas: the two kinds of copy RDS keeps.

A **Multi-AZ** instance has a standby in a second Availability Zone that receives every
commit *synchronously* (the commit waits for it), so the standby always holds exactly the
primary's data.  When the primary's zone fails (or on ``reboot_db_instance(force_failover=
True)``) RDS promotes the standby and points the same endpoint DNS name at it: clients see
60-120 s of failed connections and must reconnect, and no committed data is lost.

A **read replica** receives the source's transactions *asynchronously*, after a lag: reads
on it see the data as of ``now - ReplicaLag``.  awskit's lag is 2 s plus 0.25 s per
transaction the source committed in the last minute (capped at 600 s), so it grows with
write load.  A replica is read-only until promoted to a standalone instance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import check_bool, check_identifier, check_int, fail
from .engines import get_instance_class
from .instances import (
    FAILOVER_SECONDS,
    MODIFY_SECONDS,
    REBOOT_SECONDS,
    DBInstance,
    DBInstanceStatus,
)

if TYPE_CHECKING:
    from .service import RDSService

__all__ = ["REPLICAS_PER_SOURCE", "REPLICA_BASE_LAG"]

REPLICA_BASE_LAG = 2.0
REPLICA_LAG_PER_TXN = 0.25
REPLICA_MAX_LAG = 600.0
#: MySQL, MariaDB and PostgreSQL allow 15 read replicas per source; Oracle and SQL Server 5
REPLICAS_PER_SOURCE = {"oracle-se2": 5, "oracle-ee": 5, "sqlserver-ex": 0, "sqlserver-se": 5, "sqlserver-ee": 5}


class _ReplicationOps:
    """Failover and read replica actions of :class:`~awskit.rds.RDSService`."""

    # -- Multi-AZ --------------------------------------------------------------------
    def _on_az_failed(self: RDSService, msg) -> None:
        az = msg["az"]
        for db in self.db_instances:
            if db.cluster is not None:
                continue
            if db.az == az:
                db.incarnation += 1      # every open session to the primary breaks
                if db.data is not None:
                    db.data.rollback()
                if db.multi_az and db.standby_ok and db.secondary_az not in self.cloud.failed_azs \
                        and db.status is not DBInstanceStatus.DELETING:
                    self._failover(db, f"the primary's Availability Zone {az} failed")
                else:
                    db.failovers.append((self.now, "primary AZ down, no standby to fail over to", az, False))
            elif db.secondary_az == az:
                db.standby_ok = False
                db.failovers.append((self.now, "standby AZ down", az, True))
        self._clusters_az_failed(az)

    def _on_az_restored(self: RDSService, msg) -> None:
        az = msg["az"]
        for db in self.db_instances:
            if db.cluster is not None:
                continue
            if db.multi_az and not db.standby_ok and db.secondary_az == az:
                db.standby = db.data.copy()          # RDS rebuilds the standby from the primary
                db.standby_ok = True
                db.failovers.append((self.now, "standby rebuilt", az, True))
            elif db.az == az and not db.multi_az:
                db.failovers.append((self.now, "primary AZ restored", az, True))
        self._clusters_az_restored(az)

    def _failover(self: RDSService, db: DBInstance, reason: str) -> None:
        """Promote the standby: unavailable for 60-120 s, then the same endpoint answers from the other AZ."""
        if db.status is DBInstanceStatus.FAILING_OVER:
            return
        db.incarnation += 1
        db.data.rollback()
        old = db.az
        self._set_status(db, DBInstanceStatus.FAILING_OVER)
        db.failovers.append((self.now, "failover started", old, False))
        self._event(db, "Multi-AZ instance failover started.", "failover")
        self.cloud.events.publish("rds.failover", id=db.id, phase="started", az=old, reason=reason,
                                  region=self.region_name)
        lo, hi = FAILOVER_SECONDS
        duration = self.cloud.rng.randint(lo, hi)

        def complete() -> None:
            if db.deleted:
                return
            db.data, db.standby = db.standby, db.data
            db.az, db.secondary_az = db.secondary_az, db.az
            db.network_interface, db.standby_interface = db.standby_interface, db.network_interface
            db.standby_ok = db.secondary_az not in self.cloud.failed_azs
            db.incarnation += 1
            self._set_status(db, DBInstanceStatus.AVAILABLE)
            db.failovers.append((self.now, "failover completed", db.az, True))
            self._event(db, "Multi-AZ instance failover completed.", "failover")
            self.cloud.events.publish("rds.failover", id=db.id, phase="completed", az=db.az,
                                      previous_az=old, seconds=duration, region=self.region_name)

        self._later(db, duration, complete)

    def failover_timeline(self: RDSService, db: Any) -> list[tuple[float, str, str, bool]]:
        """``(time, event, az, available?)`` rows, oldest first, for an instance or an Aurora
        cluster (or its id), for a widget or a plot."""
        from .aurora import DBCluster

        if isinstance(db, DBCluster) or (isinstance(db, str) and db.lower() in self._clusters):
            return list(self.get_db_cluster(db).failovers)
        db = self.get_db_instance(db)
        return list(db.failovers)

    def reboot_db_instance(self: RDSService, db: str | DBInstance, *, force_failover: bool = False) -> DBInstance:
        """Restart the engine (``rebooting`` for 30 s; sessions drop), or fail over to the standby.

        Raises: InvalidDBInstanceState (not available), InvalidParameterCombination
        (ForceFailover on a Single-AZ instance).
        """
        db = self.get_db_instance(db)
        check_bool("ForceFailover", force_failover)
        if db.status is not DBInstanceStatus.AVAILABLE:
            fail("InvalidDBInstanceState", f"Instance {db.id} is {db.status.value}; reboot it when available.")
        if force_failover:
            if not db.multi_az:
                fail("InvalidParameterCombination", "ForceFailover can only be used with a Multi-AZ DB instance.")
            self._failover(db, "reboot with failover")
            return db
        db.incarnation += 1
        db.data.rollback()
        self._set_status(db, DBInstanceStatus.REBOOTING)
        self._event(db, "DB instance restarted", "availability")
        self._later(db, REBOOT_SECONDS, lambda: self._become_available(db))
        return db

    # -- read replicas -----------------------------------------------------------------
    def replica_lag(self: RDSService, db: str | DBInstance) -> float:
        """Seconds a read replica trails its source (0.0 for anything else)."""
        db = self.get_db_instance(db)
        if db.source is None:
            return 0.0
        recent = db.source.journal.count_since(self.now - 60)
        return min(REPLICA_MAX_LAG, REPLICA_BASE_LAG + REPLICA_LAG_PER_TXN * recent)

    def _sync_replica(self: RDSService, db: DBInstance, *, until: float | None = None) -> None:
        src = db.source
        if src is None:
            return
        target = self.now - self.replica_lag(db) if until is None else until
        txns = src.journal.after(db.replica_position, target)
        for txn in txns:
            db.data.apply(txn)
        db.replica_position += len(txns)

    def create_db_instance_read_replica(self: RDSService, identifier: str, source: str | DBInstance, *,
                                        instance_class: str | None = None, availability_zone: str | None = None,
                                        publicly_accessible: bool | None = None,
                                        tags: dict[str, str] | None = None) -> DBInstance:
        """A read-only asynchronous copy of ``source`` (same engine), reads lagging a little.

        Raises: InvalidDBInstanceState (source not available, or its automated backups are
        off), DBInstanceAlreadyExists, InstanceQuotaExceeded (too many replicas).
        """
        from ..vpc._common import check_tags

        ident = check_identifier(identifier)
        src = self.get_db_instance(source)
        if ident in self._instances:
            fail("DBInstanceAlreadyExists", f"DB instance already exists: {ident}.")
        if src.cluster is not None:
            fail("InvalidParameterCombination", "Aurora instances share the cluster volume: add a reader with "
                                                "create_db_instance(cluster=...) instead.")
        if src.status is not DBInstanceStatus.AVAILABLE:
            fail("InvalidDBInstanceState", f"Source instance {src.id} is {src.status.value}"
                                           "; create replicas of an available instance.")
        if src.backup_retention_period == 0:
            fail("InvalidDBInstanceState",
                 "Automated backups are not enabled for this database instance. To enable automated backups, "
                 "use ModifyDBInstance to set the backup retention period to a non-zero value.")
        if src.source is not None and src.engine.name not in ("mysql", "mariadb"):
            fail("InvalidDBInstanceState", f"{src.id} is itself a replica; {src.engine.name} has no cascading replicas.")
        limit = REPLICAS_PER_SOURCE.get(src.engine.name, 15)
        if len(src.replicas) >= limit:
            fail("InstanceQuotaExceeded", f"{src.id} already has {len(src.replicas)} read replicas, the limit for "
                                          f"{src.engine.name} ({limit}).")
        cls = get_instance_class(instance_class, src.engine) if instance_class else src.instance_class
        replica = self._launch(ident, data=src.data.copy(), engine=src.engine, engine_version=src.engine_version,
                               instance_class=cls, license_model=src.license_model,
                               allocated_storage=src.allocated_storage, storage_type=src.storage_type,
                               master_username=src.master_username, password=src._password, db_name=src.db_name,
                               port=src.port, subnet_group=src.subnet_group, security_groups=list(src.security_groups),
                               availability_zone=availability_zone, publicly_accessible=publicly_accessible,
                               multi_az=False, backup_retention_period=0, backup_window=src.backup_window,
                               maintenance_window=src.maintenance_window, storage_encrypted=src.storage_encrypted,
                               kms_key_id=src.kms_key_id, deletion_protection=False, tags=check_tags(tags),
                               source=src, replica_position=src.journal.end)
        src.replicas.append(replica)
        self._event(replica, f"Replication for the Read Replica of {src.id} started.", "read replica")
        return replica

    def _detach_replica(self: RDSService, db: DBInstance) -> None:
        self._sync_replica(db)
        if db.source is not None and db in db.source.replicas:
            db.source.replicas.remove(db)
        db.source = None

    def promote_read_replica(self: RDSService, db: str | DBInstance, *, backup_retention_period: int = 1,
                             backup_window: str | None = None) -> DBInstance:
        """Make a read replica a standalone, writable instance.

        Replication stops where it stands: transactions the replica had not yet applied
        (the last ``ReplicaLag`` seconds) are not carried over, which is why AWS advises
        stopping writes and waiting for a zero lag first.

        Raises: InvalidDBInstanceState (not a replica, or not available).
        """
        db = self.get_db_instance(db)
        retention = check_int("BackupRetentionPeriod", backup_retention_period, 0, 35)
        if db.source is None:
            fail("InvalidDBInstanceState", f"DB instance {db.id} is not a read replica.")
        if db.status is not DBInstanceStatus.AVAILABLE:
            fail("InvalidDBInstanceState", f"Read replica {db.id} is {db.status.value}; promote it when available.")
        self._detach_replica(db)
        if backup_window is not None:
            from ._common import parse_backup_window

            db.backup_window = parse_backup_window(backup_window)
        db.backup_retention_period = retention
        db.incarnation += 1
        self._set_status(db, DBInstanceStatus.MODIFYING)

        def done() -> None:
            if db.deleted:
                return
            if retention > 0:
                self._start_automated_backups(db)
            self._event(db, "Read replica promoted to a standalone DB instance.", "read replica")
            self._set_status(db, DBInstanceStatus.AVAILABLE)

        self._later(db, MODIFY_SECONDS, done)
        return db
