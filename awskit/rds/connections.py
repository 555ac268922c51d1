"""Connecting to a database: endpoints, the network path, authentication, sessions.

A client reaches an RDS database by its endpoint DNS name and the engine's port.  awskit
checks what a real connection would meet, in order: the network path (when you say where
the client is, with ``from_eni``: security groups and network ACLs decide, and a blocked
path times out), whether anything answers (an instance that is creating, rebooting,
failing over, or in a failed zone refuses), then the user name and password, then the
database name.  A session breaks when its server restarts or fails over: connect again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .aurora import DBCluster
from .instances import DBInstance, DBInstanceStatus
from .sql import Connection, Database, _Route, engine_error

if TYPE_CHECKING:
    from .service import RDSService

_USABLE = (DBInstanceStatus.AVAILABLE, DBInstanceStatus.MODIFYING, DBInstanceStatus.BACKING_UP,
           DBInstanceStatus.STORAGE_OPTIMIZATION)


class _ConnectionOps:
    """Connection actions of :class:`~awskit.rds.RDSService`."""

    # -- connections --------------------------------------------------------------------
    def connect(self: RDSService, target: Any, user: str, password: str, database: str | None = None, *,
                from_eni: Any = None) -> Connection:
        """Open a DB-API connection to an instance, an Aurora cluster, or an endpoint address.

        ``target`` is a DBInstance or DBCluster, an identifier, an endpoint ``Address`` (the
        cluster, reader or instance endpoint) or a boto3 ``Endpoint`` dict.  ``from_eni``
        (a network interface or instance) checks the network path first, as a real client would
        find out: blocked paths time out, naming the blocking hop.

        Raises: the engine-shaped :mod:`awskit.rds.sql` errors (auth, timeout, refused,
        unknown database); DBInstanceNotFound for an unknown target.
        """
        route, db, port, engine = self._resolve_target(target)
        host = f"{db.address if isinstance(db, DBInstance) else target}"
        if from_eni is not None:
            dest = db if isinstance(db, DBInstance) else db.writer
            result = self.cloud.reachability(from_eni, dest, port)
            if not result.reachable:
                hop = result.blocked_at
                raise engine_error("timeout", engine, f"the path is blocked at {hop.component} {hop.id} "
                                                      f"({hop.detail}); fix that hop", host=host, port=port)
        route.check()
        route.database(False)   # raises "refused" when nothing answers
        cluster = db if isinstance(db, DBCluster) else db.cluster
        owner = cluster if cluster is not None else db
        if user != owner.master_username or password != owner._password:
            client = getattr(getattr(from_eni, "primary_network_interface", from_eni), "private_ip_address", "%")
            raise engine_error("auth", engine, user=user, client=client, host=host, port=port)
        allowed = {None, owner.db_name, owner.engine.default_database}
        if database not in allowed:
            raise engine_error("nodb", engine, f"this instance holds {owner.db_name or 'no named database'}",
                               database=database, host=host, port=port)
        conn = Connection(route, user=user, database=database or owner.db_name)
        holder = route.instance
        if holder is not None:
            holder.connections.add(conn)
            conn.on_close = holder.connections.discard
        return conn

    def _resolve_target(self: RDSService, target: Any):
        if isinstance(target, dict) and "Address" in target:
            target = target["Address"]
        if isinstance(target, DBCluster):
            return self._cluster_route(target, "writer"), target, target.port, target.engine.name
        if isinstance(target, str):
            host = target.lower().split(":")[0]
            for c in self._clusters.values():
                if host in (c.id, c.endpoint_address):
                    return self._cluster_route(c, "writer"), c, c.port, c.engine.name
                if host == c.reader_endpoint_address:
                    return self._cluster_route(c, "reader"), c, c.port, c.engine.name
            for d in self.db_instances:
                if host == d.address:
                    target = d
                    break
        db = self.get_db_instance(target)
        if db.cluster is not None:
            return self._cluster_route(db.cluster, db), db, db.port, db.engine.name
        return self._instance_route(db), db, db.port, db.engine.name

    def _instance_route(self: RDSService, db: DBInstance) -> _Route:
        incarnation = db.incarnation
        engine = db.engine.name

        def check() -> None:
            if db.deleted or db.incarnation != incarnation:
                raise engine_error("lost", engine, f"{db.id} restarted or failed over (status {db.status.value}): "
                                                   "connect again")

        def database(write: bool) -> Database:
            self._check_up(db)
            if db.source is not None:
                if write:
                    verb = "a write"
                    raise engine_error("readonly", engine, f"{db.id} is a read replica of {db.source.id}",
                                       verb=verb, database=db.db_name)
                self._sync_replica(db)
            if not write:
                db.reads += 1
            return db.data

        def commit(data: Database) -> None:
            self._commit(db, data)

        return _Route(database, commit, check, db.address, engine, db)

    def _check_up(self: RDSService, db: DBInstance) -> None:
        if db.status not in _USABLE or db.deleted:
            raise engine_error("refused", db.engine.name, f"{db.id} is {db.status.value}", host=db.address,
                               port=db.port)
        if db.az in self.cloud.failed_azs:
            raise engine_error("refused", db.engine.name,
                               f"its Availability Zone {db.az} is down" +
                               ("" if db.multi_az else " and a Single-AZ instance has no standby to fail over to"),
                               host=db.address, port=db.port)

    def _commit(self: RDSService, db: DBInstance, data: Database) -> None:
        txn = data.commit(self.now)
        if txn is None:
            return
        db.journal.append(txn)
        db.writes += 1
        if db.standby is not None:
            if db.standby_ok and db.secondary_az not in self.cloud.failed_azs:
                db.standby.apply(txn)   # synchronous replication: the commit waits for the standby
            else:
                db.standby_ok = False

