"""SQL on a Redshift cluster: a DB-API-style connection, and the Data API (redshift-data).

:meth:`connect` opens a connection whose cursor runs statements at once.  The Data API runs
a statement without a connection: :meth:`execute_statement` submits it, and it is
``FINISHED`` (or ``FAILED``) once its simulated duration has passed on the clock.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> c = cloud.redshift.create_cluster("dw", node_type="ra3.xlplus", master_username="awsuser",
...                                   master_user_password="Secret123")
>>> cloud.clock.advance(minutes=10)
>>> st = cloud.redshift.execute_statement(c, "SELECT 1 AS one")
>>> st.status
'STARTED'
>>> cloud.clock.advance(seconds=5)
>>> cloud.redshift.get_statement(st.id).status
'FINISHED'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.errors import AWSError, InvalidParameter, NotFound
from .cluster import Cluster
from .connection import Connection

if TYPE_CHECKING:
    from .service import RedshiftService

__all__ = ["DATA_API_QUEUE_SECONDS", "Statement"]

#: A Data API statement waits this long in the queue before it runs.
DATA_API_QUEUE_SECONDS = 0.2


@dataclass(slots=True, kw_only=True, eq=False)
class Statement:
    """One Data API statement: SUBMITTED, then STARTED, then FINISHED or FAILED."""

    id: str
    cluster: Cluster = field(repr=False)
    sql: str
    database: str
    db_user: str
    created: float
    updated: float = 0.0
    status: str = "SUBMITTED"
    result: Any = field(default=None, repr=False)
    error: str | None = None
    duration_s: float = 0.0


class _SqlOps:
    """SQL actions of :class:`~awskit.redshift.RedshiftService`: connections and the Data API."""

    def connect(self: RedshiftService, cluster: str | Cluster, user: str, password: str,
                database: str = "dev") -> Connection:
        """A DB-API-style connection: ``conn.cursor().execute(sql)``, ``fetchall()``.

        Raises: SQLError 28000/28P01 (bad user or password), 3D000 (no such database),
        08001 (the cluster is not accepting connections).
        """
        return Connection(self.get_cluster(cluster), user, password, database)

    # -- the Data API (redshift-data): statements that run on the clock -----------------------
    def execute_statement(self: RedshiftService, cluster: str | Cluster, sql: str, database: str = "dev",
                          db_user: str | None = None) -> Statement:
        """Submit SQL without a connection; it is FINISHED (or FAILED) after its simulated duration.

        Raises: ClusterNotFound; ValidationException for a wrong database.
        """
        c = self.get_cluster(cluster)
        if database != c.db_name:
            raise InvalidParameter("ValidationException", f"Database {database!r} does not exist on {c.id}; "
                                                          f"its database is {c.db_name!r}.")
        now = self.cloud.clock.now
        st = Statement(id=self.cloud.ids.uuid(), cluster=c, sql=sql, database=database,
                       db_user=db_user or c.master_username, created=now)
        try:
            st.result = c.execute(sql)
            seconds = st.result.record.duration_s
        except AWSError as err:
            st.error, seconds = f"ERROR: {err.message}", 0.05
        self.statements[st.id] = st
        st.status = "STARTED"

        def done(st=st, seconds=seconds):
            st.status = "FAILED" if st.error else "FINISHED"
            st.updated = self.cloud.clock.now
            st.duration_s = seconds
        self.cloud.clock.schedule(DATA_API_QUEUE_SECONDS + seconds, done, name=f"redshift-data {st.id}")
        return st

    def get_statement(self: RedshiftService, statement_id: str) -> Statement:
        st = self.statements.get(statement_id) if isinstance(statement_id, str) else None
        if st is None:
            raise NotFound("ResourceNotFoundException", f"Query {statement_id!r} does not exist.")
        return st
