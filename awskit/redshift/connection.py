"""A DB-API-style connection to a cluster (what psycopg or redshift_connector give you).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=2)
>>> c = cloud.redshift.create_cluster("db", node_type="dc2.large", master_username="awsuser",
...                                   master_user_password="Secret123")
>>> cloud.clock.advance(minutes=10)
>>> conn = cloud.redshift.connect("db", "awsuser", "Secret123")
>>> cur = conn.cursor()
>>> cur.execute("SELECT 1 + 1 AS two")
>>> cur.fetchall(), cur.description[0][0]
([(2,)], 'two')
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Self

from .cluster import Cluster, ClusterStatus
from .tables import sql_error

__all__ = ["Connection", "Cursor"]


def _literal(v: Any) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float, Decimal)):
        return str(v)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return "'" + v.isoformat(sep=" ") + "'" if isinstance(v, _dt.datetime) else f"'{v.isoformat()}'"
    return "'" + str(v).replace("'", "''") + "'"


class Connection:
    """Autocommit connection: every statement is its own transaction (commit() is a no-op)."""

    def __init__(self, cluster: Cluster, user: str, password: str, database: str = "dev") -> None:
        if cluster.status not in (ClusterStatus.AVAILABLE, ClusterStatus.RESIZING):
            raise sql_error("08001", f"could not connect to server: cluster {cluster.id} is "
                                     f"{cluster.status.value}, not available.")
        if not isinstance(user, str) or user.lower() != cluster.master_username:
            raise sql_error("28000", f'user "{user}" does not exist; this cluster has the master user '
                                     f'"{cluster.master_username}" (CREATE USER is not modelled).')
        if password != cluster._password:
            raise sql_error("28P01", f'password authentication failed for user "{user}".')
        if database != cluster.db_name:
            raise sql_error("3D000", f'database "{database}" does not exist; the cluster\'s database is '
                                     f'"{cluster.db_name}".')
        self.cluster, self.user, self.database = cluster, user.lower(), database
        self.closed = False
        self.autocommit = True

    def cursor(self) -> Cursor:
        self._check()
        return Cursor(self)

    def _check(self) -> None:
        if self.closed:
            raise sql_error("08003", "connection already closed.")

    def commit(self) -> None:
        self._check()

    def rollback(self) -> None:
        self._check()

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"Connection(host={self.cluster.endpoint_address!r}, port={self.cluster.port}, "
                f"user={self.user!r}, database={self.database!r}{', closed' if self.closed else ''})")


class Cursor:
    """``execute(sql, params)`` with ``%s`` placeholders, then ``fetchone/fetchmany/fetchall``."""

    arraysize = 1

    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        self.description: list[tuple] | None = None
        self.rowcount = -1
        self.result = None
        self._rows: list[tuple] = []
        self._pos = 0

    def execute(self, sql: str, params: Any = None) -> None:
        self.connection._check()
        if params is not None:
            if isinstance(params, dict):
                sql = sql % {k: _literal(v) for k, v in params.items()}
            else:
                sql = sql % tuple(_literal(v) for v in params)
        res = self.connection.cluster.execute(sql)
        self.result = res
        self._rows, self._pos = list(res.rows), 0
        self.description = [(c, None, None, None, None, None, None) for c in res.columns] or None
        self.rowcount = len(res.rows) if res.columns else res.record.rows

    def executemany(self, sql: str, seq: Any) -> None:
        total = 0
        for params in seq:
            self.execute(sql, params)
            total += max(self.rowcount, 0)
        self.rowcount = total

    def fetchone(self) -> tuple | None:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        size = self.arraysize if size is None else size
        out = self._rows[self._pos:self._pos + size]
        self._pos += len(out)
        return out

    def fetchall(self) -> list[tuple]:
        out = self._rows[self._pos:]
        self._pos = len(self._rows)
        return out

    def close(self) -> None:
        self._rows = []

    def __iter__(self):
        while (row := self.fetchone()) is not None:
            yield row
