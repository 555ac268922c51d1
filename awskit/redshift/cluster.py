"""A Redshift cluster: a leader node and compute nodes, the tables on their slices, and SQL.

The *leader node* takes connections, plans every query and merges the results; the
*compute nodes* hold the data, split into slices that work in parallel.  A single-node
cluster has one node that plays both parts (NodeRole ``SHARED``).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> c = cloud.redshift.create_cluster("shop", node_type="dc2.large", number_of_nodes=2,
...                                   master_username="awsuser", master_user_password="Secret123")
>>> cloud.clock.advance(minutes=10); c.status.value
'available'
>>> _ = c.execute("CREATE TABLE sales (id INT, region VARCHAR(8), qty INT) DISTSTYLE KEY DISTKEY(id)")
>>> _ = c.execute("INSERT INTO sales VALUES (1, 'eu', 5), (2, 'us', 7), (3, 'eu', 1)")
>>> c.execute("SELECT region, SUM(qty) FROM sales GROUP BY region ORDER BY region").rows
[('eu', 6), ('us', 7)]
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..core.errors import InvalidState
from .load import LoadError, copy_from_s3
from .nodes import NodeType
from .query import QueryRecord, Result, compile_expr, explain_select, run_select
from .sql import Copy, CreateTable, DropTable, Explain, Insert, Select, Truncate, parse
from .tables import Column, ColumnType, DistStyle, Table, Topology, sql_error

__all__ = ["Cluster", "ClusterNode", "ClusterStatus", "Snapshot", "SnapshotStatus"]


class ClusterStatus(Enum):
    CREATING = "creating"
    AVAILABLE = "available"
    RESIZING = "resizing"
    PAUSING = "pausing"
    PAUSED = "paused"
    RESUMING = "resuming"
    DELETING = "deleting"
    FINAL_SNAPSHOT = "final-snapshot"


class SnapshotStatus(Enum):
    CREATING = "creating"
    AVAILABLE = "available"
    DELETED = "deleted"


@dataclass(slots=True, kw_only=True)
class ClusterNode:
    """One node: its role (LEADER, COMPUTE-n or SHARED), address and slices."""

    role: str
    private_ip: str
    public_ip: str | None = None
    slices: list[int] = field(default_factory=list)
    eni: Any = field(default=None, repr=False, compare=False)


def _copy_tables(tables: dict[str, Table]) -> dict[str, Table]:
    """Tables with their rows, copied (rows are immutable tuples, so lists are enough)."""
    out = {}
    for name, t in tables.items():
        out[name] = Table(name=t.name, columns=list(t.columns), diststyle=t.diststyle, distkey=t.distkey,
                          sortkey=t.sortkey, topology=t.topology, slices=[list(s) for s in t.slices],
                          auto_style=t.auto_style, row_count=t.row_count, _rr=t._rr)
    return out


@dataclass(slots=True, kw_only=True, eq=False)
class Snapshot:
    """A point-in-time copy of a cluster's data (manual, or automated every 8 hours)."""

    id: str
    cluster_identifier: str
    snapshot_type: str                  #: "manual" or "automated"
    status: SnapshotStatus
    created: float
    cluster_created: float
    node_type: NodeType
    number_of_nodes: int
    master_username: str
    db_name: str
    port: int
    availability_zone: str
    vpc_id: str | None
    encrypted: bool
    tables: dict[str, Table] = field(repr=False)
    size_bytes: int = 0
    tags: dict[str, str] = field(default_factory=dict)
    arn: str = ""

    def __repr__(self) -> str:
        return (f"Snapshot({self.id!r}, cluster={self.cluster_identifier!r}, {self.snapshot_type}, "
                f"{self.status.value}, tables={len(self.tables)})")


@dataclass(slots=True, kw_only=True, eq=False)
class Cluster:
    """A provisioned cluster.  Create it with ``cloud.redshift.create_cluster(...)``."""

    id: str
    node_type: NodeType
    number_of_nodes: int
    master_username: str
    _password: str = field(repr=False)
    db_name: str = "dev"
    port: int = 5439
    status: ClusterStatus = ClusterStatus.CREATING
    created: float = 0.0
    region: str = ""
    arn: str = ""
    availability_zone: str = ""
    subnet_group: Any = field(default=None, repr=False)
    subnet: Any = field(default=None, repr=False)
    security_groups: list = field(default_factory=list, repr=False)
    encrypted: bool = False
    publicly_accessible: bool = False
    endpoint_address: str = ""
    automated_snapshot_retention_period: int = 1
    iam_roles: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    nodes: list[ClusterNode] = field(default_factory=list, repr=False)
    tables: dict[str, Table] = field(default_factory=dict, repr=False)
    query_log: list[QueryRecord] = field(default_factory=list, repr=False)
    load_errors: list[LoadError] = field(default_factory=list, repr=False)
    restored_from: str | None = None
    _cloud: Any = field(default=None, repr=False)
    _service: Any = field(default=None, repr=False)
    _meter: Any = field(default=None, repr=False)
    _storage_meter: Any = field(default=None, repr=False)
    _storage_gb: float = 0.0
    _timers: list = field(default_factory=list, repr=False)
    _next_query: int = 100

    # -- shape ---------------------------------------------------------------------
    @property
    def cluster_type(self) -> str:
        return "single-node" if self.number_of_nodes == 1 else "multi-node"

    @property
    def _topology(self) -> Topology:
        return Topology(self.number_of_nodes, self.node_type.slices)

    @property
    def slices(self) -> int:
        """Slices across the compute nodes: the cluster's degree of parallelism."""
        return self._topology.slices

    @property
    def endpoint(self) -> tuple[str, int] | None:
        """(address, port) clients connect to; None while the cluster is being created."""
        if self.status is ClusterStatus.CREATING:
            return None
        return (self.endpoint_address, self.port)

    @property
    def hourly_cost(self) -> float:
        return round(self.node_type.hourly * self.number_of_nodes, 4)

    @property
    def vpc(self):
        return self.subnet.vpc if self.subnet is not None else None

    # -- SQL -------------------------------------------------------------------------
    def _require(self, write: bool) -> None:
        ok = (ClusterStatus.AVAILABLE,) if write else (ClusterStatus.AVAILABLE, ClusterStatus.RESIZING)
        if self.status not in ok:
            raise InvalidState("InvalidClusterState",
                               f"Cluster {self.id} is {self.status.value}; it takes "
                               f"{'writes' if write else 'queries'} only when "
                               f"{' or '.join(s.value for s in ok)}. Advance the clock "
                               "(cloud.clock.advance(minutes=...)) or resume it.")

    def _table(self, name: str, *, user_only: bool = False) -> Table:
        t = self.tables.get(name)
        if t is not None:
            return t
        if not user_only and name in _SYSTEM_VIEWS:
            return self._system_view(name)
        raise sql_error("42P01", f'relation "{name}" does not exist. Tables: '
                                 f'{", ".join(self.tables) or "none yet"} (system views: '
                                 f'{", ".join(_SYSTEM_VIEWS)}).')

    def table(self, name: str) -> Table:
        """The table called ``name`` (SQLError 42P01 if there is none)."""
        return self._table(name, user_only=True)

    def execute(self, sql: str) -> Result:
        """Run one SQL statement on the cluster; returns a :class:`~awskit.redshift.query.Result`.

        SELECT and EXPLAIN return rows; CREATE/DROP/TRUNCATE/INSERT/COPY return an empty result
        whose ``record.rows`` counts the rows written.  Each statement is its own transaction:
        a failing INSERT or COPY writes nothing.

        Raises: SQLError with the SQLSTATE (42601 syntax, 42P01 no such table, ...),
        InvalidClusterState when the cluster is not available.
        """
        stmt = parse(sql)
        self._require(write=not isinstance(stmt, (Select, Explain)))
        qid = self._next_query
        self._next_query += 1
        now = self._cloud.clock.now
        if isinstance(stmt, Select):
            res = run_select(self, stmt, sql=sql, query_id=qid, started=now)
        elif isinstance(stmt, Explain):
            inner = run_select(self, stmt.select, sql=sql, query_id=qid, started=now)
            text = explain_select(inner, stmt.select)
            inner.record.kind = "EXPLAIN"
            inner.record.rows = len(text.splitlines())
            res = Result(["QUERY PLAN"], [(line,) for line in text.splitlines()], inner.record, inner.plan)
        else:
            res = self._write(stmt, sql, qid, now)
        self.query_log.append(res.record)
        return res

    def execute_script(self, sql: str) -> list[Result]:
        """Run several statements separated by ``;`` in order."""
        from .sql import parse_script
        parse_script(sql)  # a syntax error anywhere stops the script before it starts
        return [self.execute(part) for part in _split(sql)]

    def explain(self, sql: str) -> str:
        """The query plan of a SELECT in Redshift's EXPLAIN style, showing where data moves."""
        text = sql.strip()
        if not text.upper().startswith("EXPLAIN"):
            text = "EXPLAIN " + text
        return "\n".join(r[0] for r in self.execute(text).rows)

    def _record(self, qid, sql, now, kind, rows, seconds) -> QueryRecord:
        return QueryRecord(query=qid, sql=sql, started=now, duration_s=round(seconds, 6), rows=rows, kind=kind)

    def _write(self, stmt, sql: str, qid: int, now: float) -> Result:
        if isinstance(stmt, CreateTable):
            return Result([], [], self._record(qid, sql, now, "CREATE", self._create_table(stmt), 0.05))
        if isinstance(stmt, DropTable):
            if stmt.name not in self.tables:
                if stmt.if_exists:
                    return Result([], [], self._record(qid, sql, now, "DROP", 0, 0.01))
                self._table(stmt.name, user_only=True)
            del self.tables[stmt.name]
            self._storage_changed()
            return Result([], [], self._record(qid, sql, now, "DROP", 0, 0.02))
        if isinstance(stmt, Truncate):
            self.table(stmt.name).truncate()
            self._storage_changed()
            return Result([], [], self._record(qid, sql, now, "TRUNCATE", 0, 0.02))
        if isinstance(stmt, Insert):
            return self._insert(stmt, sql, qid, now)
        if isinstance(stmt, Copy):
            rows, seconds, errors, maxerror = copy_from_s3(self, stmt, qid)
            self.load_errors += errors
            if len(errors) > maxerror:
                raise sql_error("XX000", f"Load into table '{stmt.table}' failed. Check 'stl_load_errors' "
                                         f"system table for details ({len(errors)} bad line(s), MAXERROR "
                                         f"{maxerror}; first: line {errors[0].line_number} of "
                                         f"{errors[0].filename}: {errors[0].err_reason}).")
            n = self.table(stmt.table).insert(rows)
            self._storage_changed()
            return Result([], [], self._record(qid, sql, now, "COPY", n, seconds))
        raise sql_error("0A000", f"Statement not supported: {type(stmt).__name__}.")

    def _create_table(self, stmt: CreateTable) -> int:
        if stmt.name in self.tables or stmt.name in _SYSTEM_VIEWS:
            if stmt.if_not_exists:
                return 0
            raise sql_error("42P07", f'relation "{stmt.name}" already exists.')
        names = [c.name for c in stmt.columns]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise sql_error("42701", f'column "{dupes.pop()}" specified more than once.')
        inline_dist = [c.name for c in stmt.columns if c.distkey]
        inline_sort = tuple(c.name for c in stmt.columns if c.sortkey)
        if len(inline_dist) > 1 or (inline_dist and stmt.distkey):
            raise sql_error("42601", "A table has one DISTKEY: give it once, inline or as DISTKEY(col).")
        distkey = stmt.distkey or (inline_dist[0] if inline_dist else None)
        if inline_sort and stmt.sortkey:
            raise sql_error("42601", "Give the sort key once: inline SORTKEY or a table SORTKEY(...).")
        sortkey = stmt.sortkey or inline_sort
        for c in ([distkey] if distkey else []) + list(sortkey):
            if c not in names:
                raise sql_error("42703", f'column "{c}" named in DISTKEY/SORTKEY does not exist. '
                                         f'Columns: {", ".join(names)}.')
        style = stmt.diststyle
        if style is None:
            style = DistStyle.KEY if distkey else DistStyle.AUTO
        if style is DistStyle.KEY and not distkey:
            raise sql_error("42601", "DISTSTYLE KEY needs DISTKEY(column): which column's hash picks the slice?")
        if distkey and style is not DistStyle.KEY:
            raise sql_error("42601", f"DISTKEY({distkey}) goes with DISTSTYLE KEY, not DISTSTYLE {style.value}.")
        cols = [Column(name=c.name, type=c.type, not_null=c.not_null) for c in stmt.columns]
        self.tables[stmt.name] = Table(name=stmt.name, columns=cols, diststyle=style, distkey=distkey,
                                       sortkey=tuple(sortkey), topology=self._topology)
        return 0

    def _insert(self, stmt: Insert, sql: str, qid: int, now: float) -> Result:
        t = self.table(stmt.table)
        cols = stmt.columns or t.column_names
        idx = [t.column_index(c) for c in cols]
        if len(set(idx)) != len(idx):
            raise sql_error("42701", "A column is listed twice in the INSERT.")
        if stmt.select is not None:
            res = run_select(self, stmt.select, sql=sql, query_id=qid, started=now)
            values, seconds = res.rows, res.record.duration_s
        else:
            def no_columns(e):
                from .sql import Col
                if isinstance(e, Col):
                    raise sql_error("42703", f'column "{e.name}" cannot be used in VALUES: give values.')
            values = [tuple(compile_expr(e, no_columns)(()) for e in row) for row in stmt.rows]
            seconds = 0.02 + 1e-5 * len(values)
        out = []
        for n, vals in enumerate(values, start=1):
            if len(vals) != len(cols):
                raise sql_error("42601", f"INSERT has {len(vals)} value(s) in row {n} for {len(cols)} column(s) "
                                         f"({', '.join(cols)}).")
            row: list[Any] = [None] * len(t.columns)
            for i, v in zip(idx, vals):
                row[i] = t.columns[i].type.coerce(v, t.columns[i].name)
            for c, v in zip(t.columns, row):
                if v is None and c.not_null:
                    raise sql_error("23502", f'null value in column "{c.name}" violates not-null constraint '
                                             f"(row {n}).")
            out.append(tuple(row))
        t.insert(out)
        self._storage_changed()
        return Result([], [], self._record(qid, sql, now, "INSERT", len(out), seconds))

    # -- looking at the data -------------------------------------------------------------
    def table_distribution(self, name: str) -> list[int]:
        """Rows on each slice of table ``name``: uneven counts are *skew*."""
        return self.table(name).distribution()

    def svv_table_info(self) -> list[dict[str, Any]]:
        """One row per table, as Redshift's ``svv_table_info`` view: diststyle, sort key, skew."""
        return [t.info() for t in self.tables.values()]

    @property
    def data_bytes(self) -> int:
        return sum(t.size_bytes for t in self.tables.values())

    def _storage_changed(self) -> None:
        if self._service is not None:
            self._service._meter_storage(self)

    def _system_view(self, name: str) -> Table:
        cols, rows = _SYSTEM_VIEWS[name](self)
        t = Table(name=name, columns=[Column(name=n, type=ColumnType.parse(*ty)) for n, ty in cols],
                  diststyle=DistStyle.ALL, topology=self._topology)
        t.insert([tuple(t.columns[i].type.coerce(v, cols[i][0]) for i, v in enumerate(r)) for r in rows])
        return t

    # -- display -------------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"Cluster({self.id!r}, node_type={self.node_type.name!r}, number_of_nodes={self.number_of_nodes}, "
                f"status={self.status.value!r}, slices={self.slices}, tables={len(self.tables)})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(n.role)}</td><td>{n.private_ip}</td><td>{n.slices}</td></tr>"
                       for n in self.nodes[:20])
        more = f"<p>... ({len(self.nodes) - 20} nodes omitted)</p>" if len(self.nodes) > 20 else ""
        return (f"<b>Redshift cluster {html.escape(self.id)}</b> ({self.status.value}): "
                f"{self.number_of_nodes} x {self.node_type.name}, {self.slices} slices, ${self.hourly_cost}/h"
                f"<table><tr><th>role</th><th>private IP</th><th>slices</th></tr>{rows}</table>{more}")


def _split(sql: str) -> list[str]:
    """Split a script on semicolons outside quotes."""
    parts, cur, quote = [], [], None
    for ch in sql:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            cur.append(ch)
        elif ch == ";":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p for p in parts if p.strip() and not all(
        line.strip().startswith("--") or not line.strip() for line in p.splitlines())]


# ------------------------------------------------------------------- system views
_V = ("VARCHAR", (65535,))
_I = ("BIGINT", ())
_F = ("DOUBLE PRECISION", ())


def _svv_table_info(c: Cluster):
    cols = [("table", _V), ("diststyle", _V), ("sortkey1", _V), ("tbl_rows", _I), ("size_mb", _F),
            ("skew_rows", _F), ("slices_used", _I)]
    rows = [(i["table"], i["diststyle"], i["sortkey1"], i["tbl_rows"], i["size_mb"], i["skew_rows"],
             i["slices_used"]) for i in c.svv_table_info()]
    return cols, rows


def _stl_load_errors(c: Cluster):
    cols = [("query", _I), ("filename", _V), ("line_number", _I), ("colname", _V), ("type", _V),
            ("raw_line", _V), ("raw_field_value", _V), ("err_code", _I), ("err_reason", _V)]
    return cols, [(e.query, e.filename, e.line_number, e.colname, e.type, e.raw_line, e.raw_field_value,
                   e.err_code, e.err_reason) for e in c.load_errors]


def _stl_query(c: Cluster):
    cols = [("query", _I), ("querytxt", _V), ("kind", _V), ("rows", _I), ("duration_s", _F),
            ("rows_moved", _I), ("join_strategy", _V)]
    return cols, [(q.query, q.sql[:65535], q.kind, q.rows, q.duration_s, q.rows_moved, q.join)
                  for q in c.query_log]


def _stv_slices(c: Cluster):
    topo = c._topology
    return [("node", _I), ("slice", _I)], [(topo.node_of(s), s) for s in range(topo.slices)]


_SYSTEM_VIEWS = {"svv_table_info": _svv_table_info, "stl_load_errors": _stl_load_errors,
                 "stl_query": _stl_query, "stv_slices": _stv_slices}
