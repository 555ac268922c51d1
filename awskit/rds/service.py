"""``cloud.rds``: the RDS databases (and Aurora clusters) of one account in one Region.

One service answers for RDS and Aurora, as one ``rds`` API does in AWS.  Every status change
is published on ``cloud.events`` (``rds.instance.status``, ``rds.failover``...) and recorded
as an RDS event (``describe_events``).  While any DB instance exists the service publishes
CPUUtilization, DatabaseConnections, FreeStorageSpace (and ReplicaLag for replicas) to
CloudWatch every minute, and the bill accrues instance hours and storage.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.clock import EPOCH
from ..core.errors import AWSError
from ..vpc._common import check_tags
from ._common import (
    check_bool,
    check_identifier,
    check_int,
    fail,
    format_backup_window,
    format_maintenance_window,
    parse_backup_window,
    parse_maintenance_window,
)
from .aurora import DBCluster, _ClusterOps
from .connections import _ConnectionOps
from .engines import Engine, get_engine, get_instance_class
from .instances import (
    BACKING_UP_SECONDS,
    CREATE_SECONDS,
    DELETE_SECONDS,
    MODIFY_SECONDS,
    DBInstance,
    DBInstanceStatus,
    DBSubnetGroup,
    _SubnetGroupOps,
    check_db_name,
    check_password,
    check_username,
)
from .metering import _MeteringOps
from .replication import _ReplicationOps
from .snapshots import AutomatedBackup, DBSnapshot, _SnapshotOps
from .sql import Database

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

__all__ = ["RDSEvent", "RDSService"]

_EPOCH_WEEKDAY = EPOCH.weekday()
_EPOCH_MINUTE = EPOCH.hour * 60 + EPOCH.minute
#: instances per account and Region (AWS's default quota)
INSTANCE_QUOTA = 40

@dataclass(slots=True)
class RDSEvent:
    """One RDS event as ``describe_events`` lists it."""

    time: float
    source_id: str
    source_type: str          # "db-instance", "db-cluster", "db-snapshot"
    message: str
    categories: list[str] = field(default_factory=list)
    source_arn: str = ""


class RDSService(_SubnetGroupOps, _ConnectionOps, _MeteringOps, _ReplicationOps, _SnapshotOps, _ClusterOps):
    """RDS in one Region: ``cloud.rds``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=2)
    >>> db = cloud.rds.create_db_instance("shop", engine="mysql", instance_class="db.t3.micro",
    ...     allocated_storage=20, master_username="admin", master_password="s3cretpass")
    >>> db.status.value
    'creating'
    >>> cloud.clock.advance(minutes=6); db.status.value
    'available'
    >>> conn = cloud.rds.connect(db, "admin", "s3cretpass")
    >>> _ = conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
    >>> _ = conn.execute("INSERT INTO orders (item) VALUES (%s)", ("book",)); conn.commit()
    >>> conn.execute("SELECT item FROM orders").fetchall()
    [('book',)]
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name: str = region.name
        self._instances: dict[str, DBInstance] = {}
        self._subnet_groups: dict[str, DBSubnetGroup] = {}
        self._snapshots: dict[str, DBSnapshot] = {}
        self._automated: dict[str, AutomatedBackup] = {}
        self._clusters: dict[str, DBCluster] = {}
        self._cluster_snapshots: dict[str, Any] = {}
        self._events: list[RDSEvent] = []
        rng = cloud.rng
        self._suffix = "c" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(11))
        self._ticker = None
        self._backup_biller = None
        self._ticks = 0
        self._subs = [cloud.events.subscribe("az.failed", self._on_az_failed),
                      cloud.events.subscribe("az.restored", self._on_az_restored)]

    # -- shared machinery --------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.cloud.clock.now

    def _arn(self, kind: str, name: str) -> str:
        return self.cloud.arn("rds", f"{kind}:{name}", self.region_name)

    def _event(self, source: Any, message: str, *categories: str) -> None:
        kind = ("db-cluster" if isinstance(source, DBCluster) else
                "db-snapshot" if isinstance(source, DBSnapshot) else "db-instance")
        self._events.append(RDSEvent(self.now, source.id, kind, message, list(categories), source.arn))
        self.cloud.events.publish("rds.event", id=source.id, source_type=kind, message=message)

    def _set_status(self, db: DBInstance, status: DBInstanceStatus) -> None:
        if db.status is DBInstanceStatus.DELETING and status is not DBInstanceStatus.DELETING:
            return   # a timer that fires while the instance is being deleted changes nothing
        db.status = status
        self.cloud.events.publish("rds.instance.status", id=db.id, status=status.value, region=self.region_name)

    def _later(self, owner: Any, delay: float, fn) -> None:
        owner.timers.append(self.cloud.clock.schedule(delay, fn, name=f"rds:{owner.id}"))

    def _window_start(self, window, after: float | None = None) -> float:
        return window.next_start(self.now if after is None else after, _EPOCH_WEEKDAY, _EPOCH_MINUTE)

    # -- lookups ---------------------------------------------------------------------------
    @property
    def db_instances(self) -> list[DBInstance]:
        return [d for d in self._instances.values() if not d.deleted]

    def get_db_instance(self, db: str | DBInstance) -> DBInstance:
        """Raises: DBInstanceNotFound."""
        if isinstance(db, DBInstance):
            if self._instances.get(db.id) is db and not db.deleted:
                return db
            fail("DBInstanceNotFound", f"DBInstance {db.id} not found (deleted, or in another Region).")
        key = db.lower() if isinstance(db, str) else db
        found = self._instances.get(key) if isinstance(key, str) else None
        if found is None or found.deleted:
            fail("DBInstanceNotFound",
                 f"DBInstance {db} not found. DB instances in {self.region_name}: "
                 f"{', '.join(self._instances) or 'none'}.")
        return found

    def describe_db_instances(self, db: str | DBInstance | None = None) -> list[DBInstance]:
        return [self.get_db_instance(db)] if db is not None else self.db_instances

    def describe_events(self, source: Any = None, *, since: float | None = None) -> list[RDSEvent]:
        """RDS events, oldest first; ``source`` narrows to one instance, cluster or snapshot (or its id)."""
        sid = getattr(source, "id", source)
        if sid is not None and not isinstance(sid, str):
            fail("InvalidParameterValue", f"SourceIdentifier is the id of a DB instance, cluster or snapshot "
                                          f"(or the object), not {source!r}.")
        if since is not None:
            since = self._as_seconds(since, "StartTime")
        return [e for e in self._events if (sid is None or e.source_id == sid)
                and (since is None or e.time >= since)]

    # -- creating instances ----------------------------------------------------------------
    def _default_windows(self) -> tuple[str, str]:
        rng = self.cloud.rng
        block = 180  # us-east-1's block is 03:00-11:00 UTC; awskit uses it for every Region
        while True:
            b = block + rng.randrange(0, 450)
            m = rng.randrange(7) * 1440 + block + rng.randrange(0, 450)
            bw, mw = parse_backup_window(format_backup_window(b)), parse_maintenance_window(format_maintenance_window(m))
            if not bw.overlaps(mw):
                return bw.text, mw.text

    def _security_groups(self, vpc, groups: Any) -> list:
        vsvc = self.cloud.region(self.region_name).vpc
        if groups is None:
            return [vpc.default_security_group]
        items = [groups] if isinstance(groups, str) or not hasattr(groups, "__iter__") else list(groups)
        out = []
        for g in items:
            try:
                sg = vsvc.get_security_group(g)
            except AWSError:
                fail("InvalidParameterValue", f"Security group {getattr(g, 'id', g)!r} does not exist.")
            if sg.vpc is not vpc:
                fail("InvalidParameterCombination",
                     f"The DB instance and EC2 security group {sg.id} are in different VPCs "
                     f"({vpc.id} vs {sg.vpc.id}).")
            out.append(sg)
        return out

    def create_db_instance(self, identifier: str, *, engine: str, instance_class: str,
                           allocated_storage: int | None = None, master_username: str | None = None,
                           master_password: str | None = None, db_name: str | None = None,
                           engine_version: str | None = None, license_model: str | None = None,
                           port: int | None = None, subnet_group: Any = None, security_groups: Any = None,
                           availability_zone: str | None = None, publicly_accessible: bool | None = None,
                           multi_az: bool = False, backup_retention_period: int = 1,
                           backup_window: str | None = None, maintenance_window: str | None = None,
                           storage_type: str = "gp2", storage_encrypted: bool = False,
                           kms_key_id: str | None = None, deletion_protection: bool = False,
                           tags: dict[str, str] | None = None, cluster: Any = None,
                           promotion_tier: int = 1) -> DBInstance:
        """Create a DB instance; it is ``creating``, then ``backing-up``, then ``available``
        (about 5 minutes of simulated time).

        ``cluster`` adds an instance to an Aurora cluster (the first is the writer, later ones
        readers); see :mod:`awskit.rds.aurora`.

        Raises: InvalidParameterValue, InvalidParameterCombination, DBInstanceAlreadyExists,
        DBSubnetGroupNotFoundFault, InvalidVPCNetworkStateFault, InstanceQuotaExceeded.
        """
        ident = check_identifier(identifier)
        if ident in self._instances:
            fail("DBInstanceAlreadyExists", f"DB instance already exists: {ident}.")
        eng = get_engine(engine)
        if cluster is not None or eng.aurora:
            return self._create_cluster_instance(ident, eng, instance_class, cluster, availability_zone,
                                                 promotion_tier, publicly_accessible, tags)
        cls = get_instance_class(instance_class, eng)
        version = self._engine_version(eng, engine_version)
        lic = license_model or eng.license_models[0]
        if lic not in eng.license_models:
            fail("InvalidParameterCombination",
                 f"License model {lic!r} is not offered for {eng.name}. Valid: {', '.join(eng.license_models)}.")
        if storage_type not in ("gp2", "gp3"):
            fail("InvalidParameterValue", f"StorageType {storage_type!r}: awskit models gp2 and gp3.")
        self._check_storage(eng, storage_type, allocated_storage)
        if master_username is None or master_password is None:
            fail("InvalidParameterValue", "MasterUsername and MasterUserPassword are required for "
                                          f"{eng.name}: the engine's first login.")
        user = check_username(eng, master_username)
        check_password(eng, master_password)
        name = check_db_name(eng, db_name)
        port = eng.port if port is None else check_int("Port", port, 1150, 65535)
        multi_az = check_bool("MultiAZ", multi_az)
        if multi_az and availability_zone is not None:
            fail("InvalidParameterCombination", "Requesting a specific availability zone is not valid for "
                                                "Multi-AZ instances.")
        retention = check_int("BackupRetentionPeriod", backup_retention_period, 0, 35)
        for flag, value in (("StorageEncrypted", storage_encrypted), ("DeletionProtection", deletion_protection)):
            check_bool(flag, value)
        if kms_key_id is not None and not storage_encrypted:
            fail("InvalidParameterCombination", "A KmsKeyId is only valid with StorageEncrypted=True.")
        bw, mw = self._windows(backup_window, maintenance_window)
        group = self.get_db_subnet_group(subnet_group)
        sgs = self._security_groups(group.vpc, security_groups)
        tags = check_tags(tags)
        return self._launch(ident, engine=eng, engine_version=version, instance_class=cls, license_model=lic,
                            allocated_storage=allocated_storage, storage_type=storage_type, master_username=user,
                            password=master_password, db_name=name, port=port, subnet_group=group,
                            security_groups=sgs, availability_zone=availability_zone,
                            publicly_accessible=publicly_accessible, multi_az=multi_az,
                            backup_retention_period=retention, backup_window=bw, maintenance_window=mw,
                            storage_encrypted=storage_encrypted,
                            kms_key_id=(kms_key_id or "alias/aws/rds") if storage_encrypted else None,
                            deletion_protection=deletion_protection, tags=tags)

    def _engine_version(self, eng: Engine, version: str | None) -> str:
        if version is None:
            return eng.default_version
        if version in eng.versions:
            return version
        match = next((v for v in eng.versions if v.startswith(str(version) + ".")), None)
        if match is None:
            fail("InvalidParameterCombination",
                 f"Cannot find version {version} for {eng.name}. Versions: {', '.join(eng.versions)}.")
        return match

    def _check_storage(self, eng: Engine, storage_type: str, size: Any) -> int:
        lo, hi = eng.storage_gib
        if isinstance(size, bool) or not isinstance(size, int) or not lo <= size <= hi:
            fail("InvalidParameterCombination",
                 f"Invalid storage size for engine name {eng.name} and storage type {storage_type}: {size}. "
                 f"AllocatedStorage is {lo} to {hi} GiB for {eng.name} on {storage_type}.")
        return size

    def _windows(self, backup_window: str | None, maintenance_window: str | None):
        dbw, dmw = self._default_windows()
        bw = parse_backup_window(backup_window if backup_window is not None else dbw)
        mw = parse_maintenance_window(maintenance_window if maintenance_window is not None else dmw)
        if bw.overlaps(mw):
            if maintenance_window is None:
                mw = parse_maintenance_window(format_maintenance_window((bw.start + 120) % 1440))
            else:
                fail("InvalidParameterValue",
                     f"The backup window {bw.text} and the maintenance window {mw.text} overlap: move one.")
        return bw, mw

    def _launch(self, ident: str, *, data: Database | None = None, start_status: DBInstanceStatus | None = None,
                **spec: Any) -> DBInstance:
        if len(self.db_instances) >= INSTANCE_QUOTA:
            fail("InstanceQuotaExceeded", f"You have {INSTANCE_QUOTA} DB instances, the default quota.")
        group: DBSubnetGroup = spec["subnet_group"]
        az = spec.pop("availability_zone", None)
        azs = group.availability_zones
        if az is not None and az not in azs:
            fail("InvalidParameterCombination",
                 f"No subnet of DB subnet group '{group.name}' is in {az!r}. Its AZs: {', '.join(azs)}.")
        healthy = [a for a in azs if a not in self.cloud.failed_azs] or azs
        az = az or self.cloud.rng.choice(healthy)
        secondary = None
        if spec["multi_az"]:
            others = [a for a in healthy if a != az] or [a for a in azs if a != az]
            secondary = self.cloud.rng.choice(others)
        public = spec.pop("publicly_accessible")
        if public is None:
            public = group.vpc.internet_gateway is not None
        check_bool("PubliclyAccessible", public)
        if public and group.vpc.internet_gateway is None:
            fail("InvalidVPCNetworkStateFault",
                 f"Cannot create a publicly accessible DBInstance. The specified VPC {group.vpc.id} has no "
                 "internet gateway attached.")
        db = DBInstance(id=ident, arn=self._arn("db", ident), resource_id="db-" + self.cloud.ids.hex(26).upper(),
                        address=f"{ident}.{self._suffix}.{self.region_name}.rds.amazonaws.com",
                        created=self.now, az=az, secondary_az=secondary, publicly_accessible=public,
                        _password=spec.pop("password"), **spec)
        db.data = data if data is not None else Database()
        db.standby = db.data.copy() if db.multi_az else None
        db.network_interface = self._interface(db, az)
        if secondary:
            db.standby_interface = self._interface(db, secondary)
        self._instances[ident] = db
        db.failovers.append((self.now, "created", az, False))
        self._start_meters(db)
        self._ensure_ticker()
        self._event(db, "DB instance created", "creation")
        self._set_status(db, start_status or DBInstanceStatus.CREATING)

        def created() -> None:
            if db.deleted:
                return
            self._set_status(db, DBInstanceStatus.BACKING_UP)
            if db.backup_retention_period > 0 and db.source is None and db.cluster is None:
                self._start_automated_backups(db)
            self._later(db, BACKING_UP_SECONDS, lambda: self._become_available(db))

        self._later(db, CREATE_SECONDS, created)
        return db

    def _become_available(self, db: DBInstance) -> None:
        if not db.deleted:
            self._set_status(db, DBInstanceStatus.AVAILABLE)

    def _interface(self, db: DBInstance, az: str):
        subnet = db.subnet_group.subnet_in(az)
        vsvc = self.cloud.region(self.region_name).vpc
        eni = vsvc.create_network_interface(subnet, groups=db.security_groups,
                                            description=f"RDSNetworkInterface ({db.id})")
        eni.attachment = f"rds:{db.id}"
        if db.publicly_accessible:
            vsvc.associate_public_ip(eni)
        return eni

    def _drop_interface(self, eni) -> None:
        if eni is None:
            return
        vsvc = self.cloud.region(self.region_name).vpc
        eni.attachment = None
        if eni.id in {e.id for e in vsvc.network_interfaces}:
            vsvc.delete_network_interface(eni)

    # -- modifying, deleting -----------------------------------------------------------------
    def modify_db_instance(self, db: str | DBInstance, *, instance_class: str | None = None,
                           allocated_storage: int | None = None, multi_az: bool | None = None,
                           backup_retention_period: int | None = None, backup_window: str | None = None,
                           maintenance_window: str | None = None, master_password: str | None = None,
                           deletion_protection: bool | None = None, security_groups: Any = None,
                           storage_encrypted: bool | None = None, apply_immediately: bool = False) -> DBInstance:
        """Change an instance.  Class, storage, Multi-AZ and turning backups on or off wait for the
        next maintenance window unless ``apply_immediately``; the rest applies at once.

        AllocatedStorage only grows: a value under 10% larger is rounded up to +10%, as the
        RDS API reference documents.  Encryption at rest cannot be switched on for an existing
        instance: copy a snapshot with a KMS key and restore that instead.

        Raises: InvalidDBInstanceState, InvalidParameterValue, InvalidParameterCombination.
        """
        db = self.get_db_instance(db)
        if db.status is not DBInstanceStatus.AVAILABLE:
            fail("InvalidDBInstanceState", f"Database instance {db.id} is in state {db.status.value}; "
                                           "modify it once it is available.")
        if storage_encrypted is not None:
            fail("InvalidParameterCombination",
                 "You can't encrypt an existing unencrypted DB instance (or decrypt an encrypted one). Take a "
                 "snapshot, copy it with a KmsKeyId (copy_db_snapshot), and restore the encrypted copy.")
        check_bool("ApplyImmediately", apply_immediately)
        pending: dict[str, Any] = {}
        if instance_class is not None:
            pending["DBInstanceClass"] = get_instance_class(instance_class, db.engine)
        if allocated_storage is not None:
            self._check_storage(db.engine, db.storage_type, allocated_storage)
            if allocated_storage < db.allocated_storage:
                fail("InvalidParameterValue",
                     f"Invalid storage size {allocated_storage}: storage can only grow (now "
                     f"{db.allocated_storage} GiB).")
            if allocated_storage > db.allocated_storage:
                pending["AllocatedStorage"] = max(allocated_storage, -(-db.allocated_storage * 11 // 10))
        if multi_az is not None and check_bool("MultiAZ", multi_az) != db.multi_az:
            if db.cluster is not None:
                fail("InvalidParameterCombination", "Aurora instances get high availability from replicas, "
                                                    "not MultiAZ.")
            pending["MultiAZ"] = multi_az
        if backup_retention_period is not None:
            r = check_int("BackupRetentionPeriod", backup_retention_period, 0, 35)
            if r == 0 and db.replicas:
                fail("InvalidParameterCombination",
                     f"{db.id} has read replicas, which need its automated backups: keep a retention above 0.")
            if (r == 0) != (db.backup_retention_period == 0):
                pending["BackupRetentionPeriod"] = r
            else:
                db.backup_retention_period = r
        if backup_window is not None or maintenance_window is not None:
            bw = parse_backup_window(backup_window) if backup_window is not None else db.backup_window
            mw = parse_maintenance_window(maintenance_window) if maintenance_window is not None \
                else db.maintenance_window
            if bw.overlaps(mw):
                fail("InvalidParameterValue", f"The backup window {bw.text} and maintenance window {mw.text} overlap.")
            db.backup_window, db.maintenance_window = bw, mw
            if db.backup_event is not None:
                db.backup_event.cancel()
                self._schedule_backup(db)
        if master_password is not None:
            db._password = check_password(db.engine, master_password)
        if deletion_protection is not None:
            db.deletion_protection = check_bool("DeletionProtection", deletion_protection)
        if security_groups is not None:
            db.security_groups = self._security_groups(db.vpc, security_groups)
            vsvc = self.cloud.region(self.region_name).vpc
            for eni in (db.network_interface, db.standby_interface):
                if eni is not None:
                    vsvc.modify_network_interface_attribute(eni, groups=db.security_groups)
        if not pending:
            return db
        db.pending.update(pending)
        if apply_immediately:
            self._apply_pending(db)
        elif db.maintenance_event is None:
            db.maintenance_event = self.cloud.clock.at(self._window_start(db.maintenance_window),
                                                      lambda: self._apply_pending(db), name=f"rds:{db.id}:maint")
        return db

    def _apply_pending(self, db: DBInstance) -> None:
        db.maintenance_event = None
        if db.deleted or not db.pending:
            return
        self._set_status(db, DBInstanceStatus.MODIFYING)
        changes, db.pending = db.pending, {}

        def done() -> None:
            if db.deleted:
                return
            self._stop_meters(db)
            if "DBInstanceClass" in changes:
                db.instance_class = changes["DBInstanceClass"]
                db.incarnation += 1   # a class change restarts the engine: sessions drop
            if "AllocatedStorage" in changes:
                db.allocated_storage = changes["AllocatedStorage"]
            if "MultiAZ" in changes:
                self._set_multi_az(db, changes["MultiAZ"])
            if "BackupRetentionPeriod" in changes:
                db.backup_retention_period = changes["BackupRetentionPeriod"]
                if db.backup_retention_period == 0:
                    self._stop_automated_backups(db)
                else:
                    self._start_automated_backups(db)
            self._start_meters(db)
            self._event(db, f"Finished applying modification to {', '.join(changes)}", "configuration change")
            self._set_status(db, DBInstanceStatus.AVAILABLE)

        self._later(db, MODIFY_SECONDS, done)

    def _set_multi_az(self, db: DBInstance, on: bool) -> None:
        if on:
            others = [a for a in db.subnet_group.availability_zones if a != db.az and a not in self.cloud.failed_azs]
            if not others:
                return
            db.secondary_az = self.cloud.rng.choice(others)
            db.standby = db.data.copy()
            db.standby_interface = self._interface(db, db.secondary_az)
            db.standby_ok = True
        else:
            self._drop_interface(db.standby_interface)
            db.standby_interface, db.standby, db.secondary_az = None, None, None
        db.multi_az = on

    def delete_db_instance(self, db: str | DBInstance, *, skip_final_snapshot: bool = False,
                           final_snapshot_identifier: str | None = None,
                           delete_automated_backups: bool = True) -> DBInstance:
        """Delete an instance: ``deleting`` for a minute, then gone.

        Give either ``skip_final_snapshot=True`` or a ``final_snapshot_identifier`` (not both).
        Manual snapshots stay; automated backups go unless ``delete_automated_backups=False``.

        Raises: DBInstanceNotFound, InvalidParameterCombination, InvalidDBInstanceState,
        DBSnapshotAlreadyExists.
        """
        db = self.get_db_instance(db)
        check_bool("SkipFinalSnapshot", skip_final_snapshot)
        if db.deletion_protection:
            fail("InvalidParameterCombination",
                 "Cannot delete protected DB Instance, please disable deletion protection and try again.")
        if db.status is DBInstanceStatus.DELETING:
            fail("InvalidDBInstanceState", f"Instance {db.id} is already being deleted.")
        needs_choice = db.source is None and db.cluster is None
        if skip_final_snapshot and final_snapshot_identifier is not None:
            fail("InvalidParameterCombination",
                 "FinalDBSnapshotIdentifier can not be specified when deleting with SkipFinalSnapshot.")
        if needs_choice and not skip_final_snapshot and final_snapshot_identifier is None:
            fail("InvalidParameterCombination",
                 "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")
        if final_snapshot_identifier is not None:
            if not needs_choice:
                fail("InvalidParameterCombination", "A read replica or Aurora instance has no final snapshot: "
                                                    "snapshot the source or the cluster.")
            self._take_snapshot(db, final_snapshot_identifier, "manual", tags={})
        for replica in list(db.replicas):
            self._detach_replica(replica)   # RDS promotes the replicas of a deleted source
        self._set_status(db, DBInstanceStatus.DELETING)
        db.incarnation += 1
        self._event(db, "DB instance deleted", "deletion")

        def gone() -> None:
            self._finish_delete(db, delete_automated_backups)

        self._later(db, DELETE_SECONDS, gone)
        return db

    def _finish_delete(self, db: DBInstance, delete_automated_backups: bool) -> None:
        db.deleted = True
        for ev in db.timers:
            ev.cancel()
        for ev in (db.backup_event, db.maintenance_event):
            if ev is not None:
                ev.cancel()
        self._stop_meters(db)
        self._drop_interface(db.network_interface)
        self._drop_interface(db.standby_interface)
        if db.source is not None and db in db.source.replicas:
            db.source.replicas.remove(db)
        if db.cluster is not None:
            self._remove_member(db)
        backups = self._automated.get(db.resource_id)
        if backups is not None:
            if delete_automated_backups:
                self._drop_automated(backups)
            else:
                backups.status = "retained"
                backups.instance = None
        self._instances.pop(db.id, None)
        self._maybe_stop_ticker()

    def __repr__(self) -> str:
        return (f"RDSService({self.region_name!r}, instances={len(self.db_instances)}, "
                f"clusters={len(self._clusters)}, snapshots={len(self._snapshots)})")
