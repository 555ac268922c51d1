"""Backups: automated backups with point-in-time restore, and manual snapshots.

With a backup retention period of 1-35 days, RDS takes a daily snapshot in the instance's
backup window and also keeps the transaction log.  Together they let you restore a new
instance to *any second* from the earliest restorable time up to the latest restorable time
(about five minutes ago): RDS restores the daily snapshot before that moment and replays the
log up to it.  Backups older than the retention period disappear; a retention of 0 turns
automated backups, and so point-in-time restore, off.

Manual snapshots are taken when you ask and kept until you delete them, even after their
instance is gone.  Copying a snapshot with a KMS key is how an unencrypted database becomes
an encrypted one.  awskit's snapshots are exact copies of the stand-in database, and
point-in-time restore replays the logged transactions exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..vpc._common import check_tags
from ._common import check_bool, check_identifier, fail
from .engines import Engine, get_instance_class
from .instances import DBInstance, DBInstanceStatus, Journal
from .sql import Database

if TYPE_CHECKING:
    from .service import RDSService

__all__ = ["LATEST_RESTORABLE_LAG", "SNAPSHOT_SECONDS", "AutomatedBackup", "DBSnapshot", "SnapshotStatus"]

#: a manual snapshot or copy is ``creating`` this long before ``available``
SNAPSHOT_SECONDS = 60
#: the latest restorable time trails now by about five minutes (AWS: "typically within 5 minutes")
LATEST_RESTORABLE_LAG = 300


class SnapshotStatus(StrEnum):
    CREATING = "creating"
    AVAILABLE = "available"
    COPYING = "copying"


@dataclass(slots=True, kw_only=True, eq=False)
class DBSnapshot:
    """A DB snapshot: a full copy of an instance's data at one moment, plus what is needed to
    restore it (engine, version, storage, master user)."""

    id: str
    arn: str
    instance_id: str
    dbi_resource_id: str
    snapshot_type: str              # "manual" or "automated"
    engine: Engine
    engine_version: str
    instance_class: str
    license_model: str
    allocated_storage: int
    storage_type: str
    port: int
    az: str
    vpc_id: str
    master_username: str
    _password: str = field(repr=False)
    db_name: str | None
    created: float
    encrypted: bool
    kms_key_id: str | None
    image: Database = field(repr=False)
    status: SnapshotStatus = SnapshotStatus.CREATING
    tags: dict[str, str] = field(default_factory=dict)
    source_snapshot: str | None = None
    journal_position: int = 0
    timers: list = field(default_factory=list, repr=False)

    @property
    def size_bytes(self) -> int:
        return self.image.size_bytes

    def __repr__(self) -> str:
        enc = ", encrypted" if self.encrypted else ""
        return (f"DBSnapshot({self.id!r}, of={self.instance_id!r}, {self.snapshot_type}{enc}, "
                f"{self.status.value})")


@dataclass(slots=True, kw_only=True, eq=False)
class AutomatedBackup:
    """An instance's automated backups: daily snapshots plus the transaction log."""

    dbi_resource_id: str
    instance_id: str
    instance: DBInstance | None
    snapshots: list[DBSnapshot] = field(default_factory=list)
    journal: Journal = field(default_factory=Journal)
    status: str = "active"

    @property
    def earliest_restorable_time(self) -> float | None:
        return self.snapshots[0].created if self.snapshots else None

    def __repr__(self) -> str:
        return (f"AutomatedBackup({self.instance_id!r}, snapshots={len(self.snapshots)}, "
                f"log_entries={len(self.journal)}, {self.status})")


class _SnapshotOps:
    """Backup and snapshot actions of :class:`~awskit.rds.RDSService`."""

    # -- automated backups ------------------------------------------------------------------
    def _start_automated_backups(self: RDSService, db: DBInstance) -> None:
        backups = self._automated.get(db.resource_id)
        if backups is None:
            backups = self._automated[db.resource_id] = AutomatedBackup(
                dbi_resource_id=db.resource_id, instance_id=db.id, instance=db, journal=db.journal)
        self._daily_backup(db, reschedule=False)
        self._schedule_backup(db)

    def _stop_automated_backups(self: RDSService, db: DBInstance) -> None:
        if db.backup_event is not None:
            db.backup_event.cancel()
            db.backup_event = None
        backups = self._automated.pop(db.resource_id, None)
        if backups is not None:
            self._drop_automated(backups)

    def _drop_automated(self: RDSService, backups: AutomatedBackup) -> None:
        for snap in backups.snapshots:
            self._snapshots.pop(snap.id, None)
        backups.snapshots.clear()
        self._automated.pop(backups.dbi_resource_id, None)

    def _schedule_backup(self: RDSService, db: DBInstance) -> None:
        at = self._window_start(db.backup_window)
        db.backup_event = self.cloud.clock.at(at, lambda: self._daily_backup(db), name=f"rds:{db.id}:backup")

    def _daily_backup(self: RDSService, db: DBInstance, reschedule: bool = True) -> None:
        if db.deleted or db.backup_retention_period == 0:
            return
        backups = self._automated.get(db.resource_id)
        if backups is None:
            return
        stamp = self.cloud.clock.to_datetime(self.now).strftime("%Y-%m-%d-%H-%M")
        snap = self._take_snapshot(db, f"rds:{db.id}-{stamp}", "automated", tags={}, ready=True)
        backups.snapshots.append(snap)
        # Retention: drop daily snapshots older than the retention period, and the log before
        # the oldest snapshot still kept (nothing can be restored from before it).
        cutoff = self.now - db.backup_retention_period * 86400
        # keep the newest snapshot at or before the cutoff: it is the base for restores to the cutoff
        while len(backups.snapshots) > 1 and backups.snapshots[1].created <= cutoff:
            old = backups.snapshots.pop(0)
            self._snapshots.pop(old.id, None)
        if not db.replicas:
            backups.journal.prune_to(backups.snapshots[0].journal_position)
        if reschedule:
            self._schedule_backup(db)

    def _take_snapshot(self: RDSService, db: DBInstance, name: str, kind: str, *, tags: dict[str, str],
                       ready: bool = False) -> DBSnapshot:
        if kind == "manual":
            name = check_identifier(name, "DBSnapshotIdentifier")
            if name in self._snapshots:
                fail("DBSnapshotAlreadyExists", f"Cannot create the snapshot because a snapshot with the "
                                                f"identifier {name} already exists.")
        snap = DBSnapshot(id=name, arn=self._arn("snapshot", name), instance_id=db.id,
                          dbi_resource_id=db.resource_id, snapshot_type=kind, engine=db.engine,
                          engine_version=db.engine_version, instance_class=db.instance_class.name,
                          license_model=db.license_model, allocated_storage=db.allocated_storage,
                          storage_type=db.storage_type, port=db.port, az=db.az, vpc_id=db.vpc.id,
                          master_username=db.master_username, _password=db._password, db_name=db.db_name,
                          created=self.now, encrypted=db.storage_encrypted, kms_key_id=db.kms_key_id,
                          image=db.data.copy(), tags=tags, journal_position=db.journal.end)
        self._snapshots[name] = snap
        self._ensure_backup_billing()
        if ready:
            snap.status = SnapshotStatus.AVAILABLE
        else:
            snap.timers.append(self.cloud.clock.schedule(SNAPSHOT_SECONDS, lambda: self._snapshot_ready(snap)))
        return snap

    def _snapshot_ready(self: RDSService, snap: DBSnapshot) -> None:
        if self._snapshots.get(snap.id) is snap:
            snap.status = SnapshotStatus.AVAILABLE
            self._event(snap, "Manual snapshot created" if snap.snapshot_type == "manual" else "Snapshot copied",
                        "backup")

    def _all_snapshots(self: RDSService) -> list[DBSnapshot]:
        return list(self._snapshots.values())

    def automated_backups(self: RDSService, db: str | DBInstance) -> AutomatedBackup:
        """The automated backups of an instance.  Raises: DBInstanceAutomatedBackupNotFound."""
        db = self.get_db_instance(db)
        backups = self._automated.get(db.resource_id)
        if backups is None:
            fail("DBInstanceAutomatedBackupNotFound",
                 f"{db.id} has no automated backups (BackupRetentionPeriod is {db.backup_retention_period}).")
        return backups

    def restorable_window(self: RDSService, db: str | DBInstance) -> tuple[float, float] | None:
        """``(earliest, latest)`` restorable times in simulated seconds, or None without backups."""
        db = self.get_db_instance(db)
        backups = self._automated.get(db.resource_id)
        if backups is None or not backups.snapshots:
            return None
        retention = db.backup_retention_period * 86400
        earliest = max(backups.earliest_restorable_time, self.now - retention)
        return earliest, max(earliest, self.now - LATEST_RESTORABLE_LAG)

    # -- manual snapshots ------------------------------------------------------------
    def create_db_snapshot(self: RDSService, db: str | DBInstance, snapshot_identifier: str, *,
                           tags: dict[str, str] | None = None) -> DBSnapshot:
        """Snapshot an instance now (``creating`` for a minute, then ``available``).

        Raises: DBInstanceNotFound, DBSnapshotAlreadyExists, InvalidDBInstanceState.
        """
        db = self.get_db_instance(db)
        if db.status not in (DBInstanceStatus.AVAILABLE, DBInstanceStatus.BACKING_UP):
            fail("InvalidDBInstanceState", f"Cannot snapshot {db.id} while it is {db.status.value}.")
        if db.cluster is not None:
            fail("InvalidParameterCombination", "Aurora instances are snapshotted through their cluster "
                                                "(create_db_cluster_snapshot).")
        snap = self._take_snapshot(db, snapshot_identifier, "manual", tags=check_tags(tags))
        self._event(db, "Creating manual snapshot", "backup")
        return snap

    def get_db_snapshot(self: RDSService, snapshot: str | DBSnapshot) -> DBSnapshot:
        """Raises: DBSnapshotNotFound."""
        if isinstance(snapshot, DBSnapshot):
            snapshot = snapshot.id
        found = self._snapshots.get(snapshot.lower() if isinstance(snapshot, str) else None)
        if found is None:
            fail("DBSnapshotNotFound", f"DBSnapshot {snapshot} not found. Snapshots: "
                                       f"{', '.join(self._snapshots) or 'none'}.")
        return found

    def describe_db_snapshots(self: RDSService, db: Any = None, snapshot: Any = None, *,
                              snapshot_type: str | None = None) -> list[DBSnapshot]:
        if snapshot is not None:
            return [self.get_db_snapshot(snapshot)]
        ident = getattr(db, "id", db.lower() if isinstance(db, str) else None)
        return [s for s in self._snapshots.values()
                if (ident is None or s.instance_id == ident) and (snapshot_type is None or s.snapshot_type == snapshot_type)]

    def delete_db_snapshot(self: RDSService, snapshot: str | DBSnapshot) -> DBSnapshot:
        """Delete a manual snapshot.  Raises: DBSnapshotNotFound, InvalidDBSnapshotState."""
        snap = self.get_db_snapshot(snapshot)
        if snap.snapshot_type != "manual":
            fail("InvalidDBSnapshotState", "Only manual snapshots may be deleted; automated ones expire with "
                                           "the retention period.")
        if snap.status is not SnapshotStatus.AVAILABLE:
            fail("InvalidDBSnapshotState", f"Snapshot {snap.id} is {snap.status.value}; delete it when available.")
        del self._snapshots[snap.id]
        return snap

    def copy_db_snapshot(self: RDSService, source: str | DBSnapshot, target_identifier: str, *,
                         kms_key_id: str | None = None, copy_tags: bool = False,
                         tags: dict[str, str] | None = None) -> DBSnapshot:
        """Copy a snapshot (manual or automated) to a new manual one; with ``kms_key_id`` the copy
        is encrypted: the documented way to encrypt an existing unencrypted database.

        Raises: DBSnapshotNotFound, DBSnapshotAlreadyExists, InvalidDBSnapshotState.
        """
        src = self.get_db_snapshot(source)
        name = check_identifier(target_identifier, "TargetDBSnapshotIdentifier")
        if name in self._snapshots:
            fail("DBSnapshotAlreadyExists", f"Cannot copy: a snapshot called {name} already exists.")
        if src.status is not SnapshotStatus.AVAILABLE:
            fail("InvalidDBSnapshotState", f"Snapshot {src.id} is {src.status.value}; copy it when available.")
        check_bool("CopyTags", copy_tags)
        tags = {**(src.tags if copy_tags else {}), **check_tags(tags)}
        encrypted = src.encrypted or kms_key_id is not None
        copy = DBSnapshot(**{f: getattr(src, f) for f in (
            "instance_id", "dbi_resource_id", "engine", "engine_version", "instance_class", "license_model",
            "allocated_storage", "storage_type", "port", "az", "vpc_id", "master_username", "_password", "db_name")},
            id=name, arn=self._arn("snapshot", name), snapshot_type="manual", created=self.now,
            encrypted=encrypted, kms_key_id=kms_key_id or src.kms_key_id, image=src.image.copy(), tags=tags,
            source_snapshot=src.arn)
        self._snapshots[name] = copy
        copy.timers.append(self.cloud.clock.schedule(SNAPSHOT_SECONDS, lambda: self._snapshot_ready(copy)))
        return copy

    # -- restores --------------------------------------------------------------------------
    def _restore(self: RDSService, ident: str, origin: Any, data: Database, overrides: dict[str, Any]) -> DBInstance:
        from ..vpc._common import check_tags as _tags

        ident = check_identifier(ident)
        if ident in self._instances:
            fail("DBInstanceAlreadyExists", f"DB instance already exists: {ident}.")
        cls = overrides.get("instance_class")
        cls = get_instance_class(cls, origin.engine) if cls else get_instance_class(
            origin.instance_class if isinstance(origin.instance_class, str) else origin.instance_class.name)
        group = self.get_db_subnet_group(overrides.get("subnet_group"))
        multi_az = check_bool("MultiAZ", overrides.get("multi_az", False))
        retention = overrides.get("backup_retention_period", 1)
        bw, mw = self._windows(None, None)
        return self._launch(ident, data=data, engine=origin.engine, engine_version=origin.engine_version,
                            instance_class=cls, license_model=origin.license_model,
                            allocated_storage=origin.allocated_storage, storage_type=origin.storage_type,
                            master_username=origin.master_username, password=origin._password,
                            db_name=origin.db_name, port=overrides.get("port") or origin.port, subnet_group=group,
                            security_groups=self._security_groups(group.vpc, overrides.get("security_groups")),
                            availability_zone=overrides.get("availability_zone"),
                            publicly_accessible=overrides.get("publicly_accessible"), multi_az=multi_az,
                            backup_retention_period=retention, backup_window=bw, maintenance_window=mw,
                            storage_encrypted=origin.encrypted if isinstance(origin, DBSnapshot)
                            else origin.storage_encrypted,
                            kms_key_id=origin.kms_key_id, deletion_protection=False,
                            tags=_tags(overrides.get("tags")))

    def restore_db_instance_from_db_snapshot(self: RDSService, identifier: str, snapshot: str | DBSnapshot,
                                             **overrides: Any) -> DBInstance:
        """A new instance holding exactly the snapshot's data.

        ``overrides``: instance_class, subnet_group, security_groups (default: the VPC's
        default group, not the original's, as in AWS), multi_az, availability_zone,
        publicly_accessible, port, tags.

        Raises: DBSnapshotNotFound, InvalidDBSnapshotState, DBInstanceAlreadyExists.
        """
        snap = self.get_db_snapshot(snapshot)
        if snap.status is not SnapshotStatus.AVAILABLE:
            fail("InvalidDBSnapshotState", f"Snapshot {snap.id} is {snap.status.value}; restore it when available.")
        db = self._restore(identifier, snap, snap.image.copy(), overrides)
        self._event(db, f"Restored from snapshot {snap.id}", "restoration")
        return db

    def restore_db_instance_to_point_in_time(self: RDSService, source: str | DBInstance, identifier: str, *,
                                             restore_time: float | Any = None, use_latest_restorable_time: bool = False,
                                             **overrides: Any) -> DBInstance:
        """A new instance with the source's data exactly as it was at ``restore_time``.

        ``restore_time`` is simulated seconds or an aware ``datetime``; it must lie in
        :meth:`restorable_window`.

        Raises: DBInstanceNotFound, PointInTimeRestoreNotEnabled, InvalidRestoreFault,
        InvalidParameterCombination, DBInstanceAlreadyExists.
        """
        db = self.get_db_instance(source)
        check_bool("UseLatestRestorableTime", use_latest_restorable_time)
        if (restore_time is None) == (not use_latest_restorable_time):
            fail("InvalidParameterCombination", "Give exactly one of RestoreTime and UseLatestRestorableTime.")
        window = self.restorable_window(db)
        if window is None:
            fail("PointInTimeRestoreNotEnabled",
                 f"Point-in-time restore is not enabled for {db.id}: its BackupRetentionPeriod is "
                 f"{db.backup_retention_period} (or its first backup is not done yet).")
        t = window[1] if use_latest_restorable_time else self._as_seconds(restore_time)
        if not window[0] <= t <= window[1]:
            iso = self.cloud.clock.isoformat
            fail("InvalidRestoreFault",
                 f"The restore time {iso(t)} is not within the restorable window {iso(window[0])} .. "
                 f"{iso(window[1])} of {db.id}.")
        data = self._data_at(self._automated[db.resource_id], t)
        new = self._restore(identifier, db, data, overrides)
        self._event(new, f"Restored from DB instance {db.id} to {self.cloud.clock.isoformat(t)}", "restoration")
        return new

    def _data_at(self: RDSService, backups: AutomatedBackup, t: float) -> Database:
        base = None
        for snap in backups.snapshots:
            if snap.created <= t:
                base = snap
        data = base.image.copy()
        for txn in backups.journal.after(base.journal_position, t):
            data.apply(txn)
        return data

    def _as_seconds(self: RDSService, value: Any, what: str = "RestoreTime") -> float:
        import datetime as _dt

        from ..core.clock import EPOCH

        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.UTC)
            return (value - EPOCH).total_seconds()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        fail("InvalidParameterValue", f"{what} must be a datetime or simulated seconds, not {value!r:.80}.")
