"""Amazon Aurora: a cluster of DB instances over one shared, self-healing cluster volume.

An Aurora *cluster* separates compute from storage.  Its data lives in a *cluster volume*
that keeps six copies across three Availability Zones (two per zone).  A write needs a
quorum of four copies and a read three, so the volume keeps writing through the loss of a
whole zone (two copies) and keeps reading through the loss of a zone *plus* one more copy.
Up to 16 DB instances share the volume: one *writer* and up to 15 *Aurora Replicas*
(readers).  Because replicas read the same volume, they carry no copy of their own to
fall behind (AWS measures their lag in tens of milliseconds; awskit shows it as zero).

Endpoints: the *cluster endpoint* always names the current writer, the *reader endpoint*
spreads new connections across the readers (awskit: round robin, deterministic), and each
instance has its own endpoint.  When the writer fails, Aurora promotes the replica with the
lowest promotion tier (ties: the largest class, then the oldest), and the cluster endpoint
follows it; the outage is short (awskit: 30 s; AWS: usually under 30 s, under 60 s).  With
no replica, Aurora recreates the writer (awskit: 10 minutes, in a healthy zone).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=5)
>>> cluster = cloud.rds.create_db_cluster("shop", engine="aurora-mysql", master_username="admin",
...                                        master_password="s3cretpass")
>>> writer = cloud.rds.create_db_instance("shop-1", engine="aurora-mysql", instance_class="db.r6g.large",
...                                        cluster=cluster)
>>> cloud.clock.advance(minutes=6)
>>> [c.az for c in cluster.volume.copies]
['us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1b', 'us-east-1c', 'us-east-1c']
>>> cloud.fail_az("us-east-1a"); cluster.volume_can_write(), cluster.volume_can_read()
(True, True)
>>> _ = cluster.fail_storage_node(2); cluster.volume_can_write(), cluster.volume_can_read()
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..vpc._common import check_tags
from ._common import Window, check_bool, check_identifier, check_int, fail
from .aurora_backups import DBClusterSnapshot, _ClusterBackupOps
from .engines import Engine, get_engine, get_instance_class
from .instances import (
    DELETE_SECONDS,
    DBInstance,
    DBInstanceStatus,
    DBSubnetGroup,
    Journal,
    check_db_name,
    check_password,
    check_username,
)
from .sql import Database, OperationalError, _Route, engine_error

if TYPE_CHECKING:
    from ..security import SecurityGroup
    from .service import RDSService

__all__ = [
    "CLUSTER_FAILOVER_SECONDS",
    "COPIES",
    "MAX_REPLICAS",
    "READ_QUORUM",
    "WRITER_RECREATE_SECONDS",
    "WRITE_QUORUM",
    "ClusterVolume",
    "DBCluster",
    "DBClusterSnapshot",
    "DBClusterStatus",
    "StorageCopy",
]

COPIES = 6
WRITE_QUORUM = 4
READ_QUORUM = 3
#: one writer plus up to 15 Aurora Replicas
MAX_REPLICAS = 15
CLUSTER_FAILOVER_SECONDS = 30
WRITER_RECREATE_SECONDS = 600
CLUSTER_CREATE_SECONDS = 120
#: Aurora replica lag AWS typically reports (milliseconds); the shared volume has no real lag
AURORA_REPLICA_LAG_MS = 20.0


class DBClusterStatus(StrEnum):
    CREATING = "creating"
    AVAILABLE = "available"
    FAILING_OVER = "failing-over"
    DELETING = "deleting"


@dataclass(slots=True)
class StorageCopy:
    """One of the six copies of the cluster volume, in one Availability Zone."""

    index: int
    az: str
    failed: bool = False


@dataclass(slots=True, eq=False)
class ClusterVolume:
    """The shared storage: the data, its transaction log, and six copies in three AZs."""

    data: Database
    copies: list[StorageCopy]
    journal: Journal = field(default_factory=Journal)
    ios: int = 0

    def healthy(self, failed_azs: set[str]) -> int:
        return sum(1 for c in self.copies if not c.failed and c.az not in failed_azs)


@dataclass(slots=True, kw_only=True, eq=False)
class DBCluster:
    """An Aurora DB cluster: a writer, up to 15 readers, one cluster volume."""

    id: str
    arn: str
    resource_id: str
    engine: Engine
    engine_version: str
    master_username: str
    _password: str = field(repr=False)
    db_name: str | None
    port: int
    subnet_group: DBSubnetGroup
    security_groups: list[SecurityGroup]
    availability_zones: list[str]
    backup_retention_period: int
    backup_window: Window
    maintenance_window: Window
    storage_encrypted: bool
    kms_key_id: str | None
    deletion_protection: bool
    created: float
    endpoint_address: str
    reader_endpoint_address: str
    volume: ClusterVolume = field(repr=False)
    status: DBClusterStatus = DBClusterStatus.CREATING
    members: list[DBInstance] = field(default_factory=list)
    writer: DBInstance | None = None
    tags: dict[str, str] = field(default_factory=dict)
    reader_cursor: int = 0
    unavailable_until: float = 0.0
    failovers: list[tuple[float, str, str, bool]] = field(default_factory=list)
    backups: list[DBClusterSnapshot] = field(default_factory=list, repr=False)
    timers: list = field(default_factory=list, repr=False)
    backup_event: Any = field(default=None, repr=False)
    _service: Any = field(default=None, repr=False)
    deleted: bool = False

    @property
    def readers(self) -> list[DBInstance]:
        return [m for m in self.members if m is not self.writer]

    def _failed_azs(self) -> set[str]:
        return self._service.cloud.failed_azs if self._service is not None else set()

    def healthy_copies(self) -> int:
        return self.volume.healthy(self._failed_azs())

    def volume_can_write(self) -> bool:
        """A write needs 4 of the 6 copies."""
        return self.healthy_copies() >= WRITE_QUORUM

    def volume_can_read(self) -> bool:
        """A read needs 3 of the 6 copies."""
        return self.healthy_copies() >= READ_QUORUM

    def fail_storage_node(self, n: int) -> StorageCopy:
        """Break copy ``n`` (0-5) of the cluster volume, as a failed storage node would."""
        copy = self._copy(n)
        copy.failed = True
        return copy

    def restore_storage_node(self, n: int) -> StorageCopy:
        """Repair copy ``n`` (Aurora re-copies it from its peers)."""
        copy = self._copy(n)
        copy.failed = False
        return copy

    def _copy(self, n: Any) -> StorageCopy:
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < COPIES:
            fail("InvalidParameterValue", f"A storage copy is numbered 0 to {COPIES - 1}, not {n!r}.")
        return self.volume.copies[n]

    @property
    def endpoint(self) -> str:
        return self.endpoint_address

    @property
    def reader_endpoint(self) -> str:
        return self.reader_endpoint_address

    def __repr__(self) -> str:
        writer = self.writer.id if self.writer else None
        return (f"DBCluster({self.id!r}, {self.engine.name}, writer={writer!r}, readers={len(self.readers)}, "
                f"{self.status.value})")

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(m.id)}</td><td>{'writer' if m is self.writer else 'reader'}</td>"
            f"<td>{m.az}</td><td>{m.instance_class.name}</td><td>{m.promotion_tier}</td><td>{m.status.value}</td></tr>"
            for m in self.members[:16])
        copies = " ".join(f"{c.index}:{c.az[-1]}{'✗' if c.failed or c.az in self._failed_azs() else '✓'}"
                          for c in self.volume.copies)
        return (f"<div><b>Aurora cluster {html.escape(self.id)}</b> ({self.status.value})<br>"
                f"writer endpoint <code>{self.endpoint_address}</code><br>reader endpoint "
                f"<code>{self.reader_endpoint_address}</code><br>volume copies: {copies}"
                f"<table><tr><th>instance</th><th>role</th><th>AZ</th><th>class</th><th>tier</th><th>status</th></tr>"
                f"{rows}</table></div>")


class _ClusterOps(_ClusterBackupOps):
    """Aurora cluster actions of :class:`~awskit.rds.RDSService`."""

    @property
    def db_clusters(self: RDSService) -> list[DBCluster]:
        return list(self._clusters.values())

    def get_db_cluster(self: RDSService, cluster: str | DBCluster) -> DBCluster:
        """Raises: DBClusterNotFoundFault."""
        key = cluster.id if isinstance(cluster, DBCluster) else cluster.lower() if isinstance(cluster, str) else None
        found = self._clusters.get(key)
        if found is None or (isinstance(cluster, DBCluster) and found is not cluster):
            fail("DBClusterNotFoundFault", f"DBCluster {getattr(cluster, 'id', cluster)} not found. Clusters: "
                                           f"{', '.join(self._clusters) or 'none'}.")
        return found

    def describe_db_clusters(self: RDSService, cluster: Any = None) -> list[DBCluster]:
        return [self.get_db_cluster(cluster)] if cluster is not None else self.db_clusters

    def create_db_cluster(self: RDSService, identifier: str, *, engine: str, master_username: str,
                          master_password: str, db_name: str | None = None, engine_version: str | None = None,
                          port: int | None = None, subnet_group: Any = None, security_groups: Any = None,
                          availability_zones: list[str] | None = None, backup_retention_period: int = 1,
                          backup_window: str | None = None, maintenance_window: str | None = None,
                          storage_encrypted: bool = False, kms_key_id: str | None = None,
                          deletion_protection: bool = False, tags: dict[str, str] | None = None,
                          _data: Database | None = None) -> DBCluster:
        """Create an Aurora cluster (no instances yet: add them with ``create_db_instance(cluster=...)``).

        Raises: InvalidParameterValue, DBClusterAlreadyExistsFault, DBSubnetGroupNotFoundFault.
        """
        ident = check_identifier(identifier, "DBClusterIdentifier")
        if ident in self._clusters:
            fail("DBClusterAlreadyExistsFault", f"DB Cluster already exists: {ident}.")
        eng = get_engine(engine)
        if not eng.aurora:
            fail("InvalidParameterValue", f"create_db_cluster here makes Aurora clusters: engine must be "
                                          f"aurora-mysql or aurora-postgresql, not {eng.name!r}.")
        version = self._engine_version(eng, engine_version)
        user = check_username(eng, master_username)
        check_password(eng, master_password)
        name = check_db_name(eng, db_name)
        port = eng.port if port is None else check_int("Port", port, 1150, 65535)
        retention = check_int("BackupRetentionPeriod", backup_retention_period, 1, 35)
        check_bool("StorageEncrypted", storage_encrypted)
        check_bool("DeletionProtection", deletion_protection)
        bw, mw = self._windows(backup_window, maintenance_window)
        group = self.get_db_subnet_group(subnet_group)
        sgs = self._security_groups(group.vpc, security_groups)
        region_azs = [a.name for a in self.region.availability_zones]
        azs = list(availability_zones) if availability_zones else []
        for a in azs:
            if a not in region_azs:
                fail("InvalidParameterValue", f"{a!r} is not an Availability Zone of {self.region_name}.")
        for a in group.availability_zones + region_azs:   # the volume always spans three AZs
            if len(azs) < 3 and a not in azs:
                azs.append(a)
        azs = azs[:3]
        copies = [StorageCopy(i, azs[i // 2]) for i in range(COPIES)]
        cluster = DBCluster(id=ident, arn=self._arn("cluster", ident),
                            resource_id="cluster-" + self.cloud.ids.hex(26).upper(), engine=eng,
                            engine_version=version, master_username=user, _password=master_password, db_name=name,
                            port=port, subnet_group=group, security_groups=sgs, availability_zones=azs,
                            backup_retention_period=retention, backup_window=bw, maintenance_window=mw,
                            storage_encrypted=storage_encrypted,
                            kms_key_id=(kms_key_id or "alias/aws/rds") if storage_encrypted else None,
                            deletion_protection=deletion_protection, created=self.now,
                            endpoint_address=f"{ident}.cluster-{self._suffix}.{self.region_name}.rds.amazonaws.com",
                            reader_endpoint_address=f"{ident}.cluster-ro-{self._suffix}.{self.region_name}"
                                                    ".rds.amazonaws.com",
                            volume=ClusterVolume(_data if _data is not None else Database(), copies),
                            tags=check_tags(tags), _service=self)
        self._clusters[ident] = cluster
        self._ensure_ticker()
        self._event(cluster, "DB cluster created", "creation")

        def ready() -> None:
            if cluster.deleted:
                return
            cluster.status = DBClusterStatus.AVAILABLE
            self._cluster_backup(cluster)

        cluster.timers.append(self.cloud.clock.schedule(CLUSTER_CREATE_SECONDS, ready))
        return cluster

    def _create_cluster_instance(self: RDSService, ident: str, eng: Engine, instance_class: str, cluster: Any,
                                 availability_zone: str | None, promotion_tier: int, public: Any,
                                 tags: Any) -> DBInstance:
        if cluster is None:
            fail("InvalidParameterCombination", f"An {eng.name} instance belongs to a cluster: create the cluster "
                                                "first and pass its DBClusterIdentifier.")
        cluster = self.get_db_cluster(cluster)
        if eng is not cluster.engine:
            fail("InvalidParameterCombination", f"The engine {eng.name} does not match cluster {cluster.id}'s "
                                                f"engine {cluster.engine.name}.")
        cls = get_instance_class(instance_class, eng)
        tier = check_int("PromotionTier", promotion_tier, 0, 15)
        if len(cluster.members) >= MAX_REPLICAS + 1:
            fail("InstanceQuotaExceeded", f"Cluster {cluster.id} already has a writer and {MAX_REPLICAS} Aurora "
                                          "Replicas, the most a cluster holds.")
        if cluster.status is DBClusterStatus.DELETING:
            fail("InvalidDBClusterStateFault", f"Cluster {cluster.id} is being deleted.")
        if availability_zone is None:
            counts = {a: sum(1 for m in cluster.members if m.az == a) for a in cluster.availability_zones
                      if a in cluster.subnet_group.availability_zones and a not in self.cloud.failed_azs}
            availability_zone = min(counts, key=lambda a: (counts[a], cluster.availability_zones.index(a))) \
                if counts else None
        db = self._launch(ident, data=cluster.volume.data, engine=eng, engine_version=cluster.engine_version,
                          instance_class=cls, license_model=eng.license_models[0], allocated_storage=1,
                          storage_type="aurora", master_username=cluster.master_username,
                          password=cluster._password, db_name=cluster.db_name, port=cluster.port,
                          subnet_group=cluster.subnet_group, security_groups=list(cluster.security_groups),
                          availability_zone=availability_zone, publicly_accessible=public, multi_az=False,
                          backup_retention_period=cluster.backup_retention_period,
                          backup_window=cluster.backup_window, maintenance_window=cluster.maintenance_window,
                          storage_encrypted=cluster.storage_encrypted, kms_key_id=cluster.kms_key_id,
                          deletion_protection=False, tags=check_tags(tags), cluster=cluster, promotion_tier=tier,
                          journal=cluster.volume.journal)
        cluster.members.append(db)
        if cluster.writer is None:
            cluster.writer = db
        return db

    # -- the SQL route through an endpoint -----------------------------------------------------
    def _pick_reader(self: RDSService, cluster: DBCluster) -> DBInstance | None:
        usable = [m for m in cluster.readers if m.status is DBInstanceStatus.AVAILABLE
                  and m.az not in self.cloud.failed_azs]
        if not usable:
            return cluster.writer     # with no replica, the reader endpoint leads to the writer
        choice = usable[cluster.reader_cursor % len(usable)]
        cluster.reader_cursor += 1
        return choice

    def _cluster_route(self: RDSService, cluster: DBCluster, mode: Any) -> _Route:
        engine = cluster.engine.name
        if isinstance(mode, DBInstance):
            target, label = mode, mode.address
        elif mode == "reader":
            target, label = self._pick_reader(cluster), cluster.reader_endpoint_address
        else:
            target, label = cluster.writer, cluster.endpoint_address
        if target is None:
            raise engine_error("refused", engine, f"cluster {cluster.id} has no DB instance yet", host=label,
                               port=cluster.port)
        incarnation = target.incarnation

        def check() -> None:
            if target.deleted or target.incarnation != incarnation:
                raise engine_error("lost", engine, f"{target.id} failed over or restarted: connect again")

        def database(write: bool) -> Database:
            if cluster.status is not DBClusterStatus.AVAILABLE or target.status is not DBInstanceStatus.AVAILABLE \
                    or target.az in self.cloud.failed_azs or self.now < cluster.unavailable_until:
                raise engine_error("refused", engine, f"{target.id} is not answering ({target.status.value}, "
                                                      f"{target.az})", host=label, port=cluster.port)
            if write and target is not cluster.writer:
                raise engine_error("readonly", engine, f"{target.id} is an Aurora Replica (reader); write "
                                                       "through the cluster endpoint", verb="a write",
                                   database=cluster.db_name)
            healthy = cluster.healthy_copies()
            need = WRITE_QUORUM if write else READ_QUORUM
            if healthy < need:
                raise OperationalError(
                    "StorageQuorumLost",
                    f"The cluster volume has {healthy} of {len(cluster.volume.copies)} copies available; a "
                    f"{'write' if write else 'read'} needs {need}. Restore an AZ or a storage node.")
            cluster.volume.ios += 1
            if write:
                target.writes += 1
            else:
                target.reads += 1
            return cluster.volume.data

        def commit(data: Database) -> None:
            if data.pending and not cluster.volume_can_write():
                data.rollback()
                raise OperationalError("StorageQuorumLost", "The write quorum (4 of 6 copies) was lost before "
                                                            "the commit: the transaction was rolled back.")
            txn = data.commit(self.now)
            if txn is not None:
                cluster.volume.journal.append(txn)

        return _Route(database, commit, check, label, engine, target)

    # -- failover ---------------------------------------------------------------------------
    def _failover_target(self: RDSService, cluster: DBCluster, exclude: DBInstance | None = None):
        candidates = [m for m in cluster.readers if m is not exclude and m.status is DBInstanceStatus.AVAILABLE
                      and m.az not in self.cloud.failed_azs]
        if not candidates:
            return None
        order = {m.id: i for i, m in enumerate(cluster.members)}
        # AWS: lowest promotion tier first; among equals the largest instance; then any (awskit: the oldest)
        return min(candidates, key=lambda m: (m.promotion_tier, -m.instance_class.memory_gib, order[m.id]))

    def failover_db_cluster(self: RDSService, cluster: str | DBCluster, *, target: Any = None) -> DBCluster:
        """Promote a reader to writer now (the best by promotion tier, or ``target``).

        Raises: DBClusterNotFoundFault, InvalidDBClusterStateFault (no reader, not available),
        InvalidDBInstanceState.
        """
        cluster = self.get_db_cluster(cluster)
        if cluster.status is not DBClusterStatus.AVAILABLE:
            fail("InvalidDBClusterStateFault", f"Cluster {cluster.id} is {cluster.status.value}.")
        if target is not None:
            chosen = self.get_db_instance(target)
            if chosen.cluster is not cluster or chosen is cluster.writer:
                fail("InvalidDBInstanceState", f"{chosen.id} is not a reader of cluster {cluster.id}.")
        else:
            chosen = self._failover_target(cluster)
            if chosen is None:
                fail("InvalidDBClusterStateFault", f"Cluster {cluster.id} has no available Aurora Replica to fail "
                                                   "over to: add a reader first.")
        self._cluster_failover(cluster, chosen, "requested failover")
        return cluster

    def _cluster_failover(self: RDSService, cluster: DBCluster, chosen: DBInstance, reason: str) -> None:
        old = cluster.writer
        cluster.status = DBClusterStatus.FAILING_OVER
        for m in (old, chosen):
            if m is not None:
                m.incarnation += 1
                m.data.rollback()
        cluster.failovers.append((self.now, f"failover started ({reason})", old.az if old else "-", False))
        self._event(cluster, f"Started cross AZ failover to DB instance: {chosen.id}", "failover")
        self.cloud.events.publish("rds.failover", id=cluster.id, phase="started", target=chosen.id,
                                  reason=reason, region=self.region_name)

        def done() -> None:
            if cluster.deleted:
                return
            cluster.writer = chosen
            if old is not None and old in cluster.members:   # the old writer rejoins as a reader
                cluster.members.remove(old)
                cluster.members.append(old)
            cluster.status = DBClusterStatus.AVAILABLE
            cluster.failovers.append((self.now, f"failover completed: writer {chosen.id}", chosen.az, True))
            self._event(cluster, f"Completed failover to DB instance: {chosen.id}", "failover")
            self.cloud.events.publish("rds.failover", id=cluster.id, phase="completed", writer=chosen.id,
                                      az=chosen.az, region=self.region_name)

        cluster.timers.append(self.cloud.clock.schedule(CLUSTER_FAILOVER_SECONDS, done))

    def _clusters_az_failed(self: RDSService, az: str) -> None:
        for cluster in self.db_clusters:
            writer = cluster.writer
            if writer is None or writer.az != az or cluster.status is not DBClusterStatus.AVAILABLE:
                continue
            chosen = self._failover_target(cluster, exclude=writer)
            if chosen is not None:
                self._cluster_failover(cluster, chosen, f"writer's Availability Zone {az} failed")
                continue
            writer.incarnation += 1
            cluster.failovers.append((self.now, "writer down, no replica: recreating it", az, False))

            def recreate(cluster=cluster, writer=writer) -> None:
                if writer.deleted or writer.az not in self.cloud.failed_azs:
                    return
                healthy = [a for a in cluster.availability_zones if a not in self.cloud.failed_azs
                           and a in cluster.subnet_group.availability_zones]
                if not healthy:
                    return
                self._drop_interface(writer.network_interface)
                writer.az = healthy[0]
                writer.network_interface = self._interface(writer, writer.az)
                writer.incarnation += 1
                cluster.failovers.append((self.now, f"writer recreated in {writer.az}", writer.az, True))
                self._event(cluster, f"DB instance {writer.id} recreated in {writer.az}", "recovery")

            cluster.timers.append(self.cloud.clock.schedule(WRITER_RECREATE_SECONDS, recreate))

    def _clusters_az_restored(self: RDSService, az: str) -> None:
        for cluster in self.db_clusters:
            if cluster.writer is not None and cluster.writer.az == az:
                cluster.failovers.append((self.now, "writer's AZ restored", az, True))

    def _remove_member(self: RDSService, db: DBInstance) -> None:
        cluster = db.cluster
        if db in cluster.members:
            cluster.members.remove(db)
        if cluster.writer is db:
            cluster.writer = self._failover_target(cluster)

    def delete_db_cluster(self: RDSService, cluster: str | DBCluster, *, skip_final_snapshot: bool = False,
                          final_snapshot_identifier: str | None = None) -> DBCluster:
        """Delete a cluster once its instances are gone.

        Raises: InvalidDBClusterStateFault (instances remain), InvalidParameterCombination.
        """
        cluster = self.get_db_cluster(cluster)
        check_bool("SkipFinalSnapshot", skip_final_snapshot)
        if cluster.deletion_protection:
            fail("InvalidParameterCombination",
                 "Cannot delete protected Cluster, please disable deletion protection and try again.")
        live = [m.id for m in cluster.members if m.status is not DBInstanceStatus.DELETING]
        if live:
            fail("InvalidDBClusterStateFault", f"Cluster cannot be deleted, it still contains DB instances in "
                                               f"non-deleting state: {', '.join(live)}.")
        if skip_final_snapshot == (final_snapshot_identifier is not None):
            fail("InvalidParameterCombination", "Give either SkipFinalSnapshot=True or a "
                                                "FinalDBSnapshotIdentifier (not both).")
        if final_snapshot_identifier is not None:
            self.create_db_cluster_snapshot(cluster, final_snapshot_identifier)
        cluster.status = DBClusterStatus.DELETING

        def gone() -> None:
            cluster.deleted = True
            for ev in cluster.timers:
                ev.cancel()
            if cluster.backup_event is not None:
                cluster.backup_event.cancel()
            for snap in cluster.backups:
                self._cluster_snapshots.pop(snap.id, None)
            self._clusters.pop(cluster.id, None)
            self._maybe_stop_ticker()

        cluster.timers.append(self.cloud.clock.schedule(DELETE_SECONDS, gone))
        return cluster

    def _cluster_tick(self: RDSService, cluster: DBCluster, cw: Any) -> None:
        dims = {"DBClusterIdentifier": cluster.id}
        cw.put("AWS/RDS", "VolumeBytesUsed", float(cluster.volume.data.size_bytes), dimensions=dims, unit="Bytes")
        for reader in cluster.readers:
            if reader.status is DBInstanceStatus.AVAILABLE:
                cw.put("AWS/RDS", "AuroraReplicaLag", AURORA_REPLICA_LAG_MS,
                       dimensions={"DBInstanceIdentifier": reader.id}, unit="Milliseconds")



