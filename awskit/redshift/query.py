"""A small massively-parallel SQL engine: how Redshift runs a query across its slices.

The leader node parses the query and plans it; every slice then scans *its own* rows at
the same time, filters them, joins them and computes partial aggregates; the partial
results travel to the leader, which merges them (``XN Merge``/``XN Aggregate``), sorts
and returns the answer.  A join needs the matching rows of both tables on the same slice:

* ``DS_DIST_NONE``: both tables are distributed on their join columns: nothing moves.
* ``DS_DIST_ALL_NONE``: the inner table is DISTSTYLE ALL: every node already has it.
* ``DS_DIST_INNER`` / ``DS_DIST_OUTER``: one side is distributed on its join column, the
  other is re-hashed over the network to match it.
* ``DS_BCAST_INNER``: the (small) inner table is copied to every node.
* ``DS_DIST_BOTH``: neither side fits: both are re-hashed on the join column.

The planner makes the smaller table (by row count) the inner (hashed) side, and a
DISTSTYLE ALL table always the inner.  A query's simulated duration is
``QUERY_OVERHEAD_S + max over slices(rows scanned x SCAN_S_PER_ROW + rows joined x
JOIN_S_PER_ROW) + rows moved x NETWORK_S_PER_ROW + rows sent to the leader x
LEADER_S_PER_ROW``: the slowest slice sets the pace, which is why skew hurts.
The constants are awskit's teaching model, not measurements.

The engine is here; SQL expressions and aggregates are compiled in :mod:`.expressions`,
slice scans and join planning are in :mod:`.plan`, and EXPLAIN is rendered by
:mod:`.explain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .explain import explain_select
from .expressions import (
    _Agg,
    _canon,
    _collect_aggs,
    _columns_of,
    _conjuncts,
    _contains_agg,
    _Scope,
    compile_expr,
)
from .plan import BROADCAST_MAX_ROWS, Plan, ScanInfo, _join, _scan
from .sql import Cast, Col, Func, Lit, Select, Star, sql_text
from .tables import DistStyle, Table, sql_error

__all__ = [
    "BROADCAST_MAX_ROWS",
    "JOIN_S_PER_ROW",
    "LEADER_S_PER_ROW",
    "NETWORK_S_PER_ROW",
    "QUERY_OVERHEAD_S",
    "SCAN_S_PER_ROW",
    "QueryRecord",
    "Result",
    "explain_select",
    "run_select",
]

QUERY_OVERHEAD_S = 0.05      #: planning and compiling the query segments
SCAN_S_PER_ROW = 2e-6        #: one slice reading one row
JOIN_S_PER_ROW = 1e-6        #: one slice hashing or probing one row
NETWORK_S_PER_ROW = 1e-5     #: one row sent between nodes (redistribution or broadcast)
LEADER_S_PER_ROW = 2e-6      #: the leader receiving, merging and sorting one row


@dataclass(slots=True, kw_only=True)
class QueryRecord:
    """What ``stl_query`` and friends would tell about one statement."""

    query: int
    sql: str
    started: float
    duration_s: float
    rows: int = 0                       #: rows returned (SELECT) or written (INSERT/COPY)
    slice_rows: list[int] = field(default_factory=list)   #: rows scanned on each slice
    rows_moved: int = 0                 #: rows sent over the network between nodes
    join: str | None = None             #: DS_DIST_NONE, DS_BCAST_INNER, ...
    blocks_scanned: int = 0
    blocks_skipped: int = 0             #: blocks the zone maps ruled out
    kind: str = "SELECT"

    @property
    def rows_scanned(self) -> int:
        return sum(self.slice_rows)

    @property
    def skew(self) -> float | None:
        """Rows on the busiest slice / the average slice: 1.0 is perfectly even."""
        if not self.slice_rows or not sum(self.slice_rows):
            return None
        return round(max(self.slice_rows) / (sum(self.slice_rows) / len(self.slice_rows)), 2)

    def __repr__(self) -> str:
        join = f", join={self.join}" if self.join else ""
        return (f"QueryRecord(query={self.query}, {self.kind}, rows={self.rows}, duration_s={self.duration_s:.4f}, "
                f"scanned={self.rows_scanned}, moved={self.rows_moved}{join}, "
                f"blocks_skipped={self.blocks_skipped}/{self.blocks_scanned + self.blocks_skipped})")


@dataclass(slots=True)
class Result:
    """Rows a statement returned, with their column names and the query's record."""

    columns: list[str]
    rows: list[tuple]
    record: QueryRecord
    plan: Plan | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result."""
        return self.rows[0][0] if self.rows and self.rows[0] else None

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]

    def __repr__(self) -> str:
        head = " | ".join(self.columns)
        lines = [head, "-" * len(head)] + [" | ".join("NULL" if v is None else str(v) for v in r)
                                           for r in self.rows[:20]]
        if len(self.rows) > 20:
            lines.append(f"... ({len(self.rows) - 20} rows omitted)")
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''}, {self.record.duration_s:.4f} s)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape('NULL' if v is None else str(v))}</td>" for v in r)
                       + "</tr>" for r in self.rows[:50])
        more = f"<p>... ({len(self.rows) - 50} rows omitted)</p>" if len(self.rows) > 50 else ""
        return f"<table><tr>{head}</tr>{body}</table>{more}<p>{len(self.rows)} rows, {self.record.duration_s:.4f} s</p>"


# ============================================================================ the engine
def run_select(cluster, sel: Select, *, sql: str = "", query_id: int = 0, started: float = 0.0) -> Result:
    """Run a SELECT across the cluster's slices; returns rows, column names and a QueryRecord."""
    tables: list[tuple[str, Table]] = []
    if sel.from_ is not None:
        tables.append((sel.from_.alias, cluster._table(sel.from_.name)))
        if sel.join is not None:
            if sel.join.table.alias == sel.from_.alias:
                raise sql_error("42712", f'table name "{sel.from_.alias}" specified more than once; give '
                                         "one of them an alias.")
            tables.append((sel.join.table.alias, cluster._table(sel.join.table.name)))
    scope = _Scope(tables)
    topo = cluster._topology
    n_slices = topo.slices
    slice_work = [0] * n_slices
    plan = Plan()

    def res(e):
        if isinstance(e, Col):
            i = scope.resolve(e)
            return lambda r: r[i]
        return None

    # -- which WHERE conditions each scan can apply itself ---------------------------
    where = _conjuncts(sel.where)
    if _contains_agg(tuple(where)):
        raise sql_error("42803", "aggregate functions are not allowed in WHERE; use HAVING.")
    per_table: dict[str, list] = {a: [] for a, _ in tables}
    post: list = []
    for c in where:
        owners = {scope.table_of(col) for col in _columns_of(c, [])}
        if len(owners) == 1:
            per_table[owners.pop()].append(c)
        else:
            post.append(c)
    for c in post:
        compile_expr(c, res)     # validate the columns now

    # -- scan (and join) on every slice -------------------------------------------------
    if not tables:
        slice_rows: list[list[tuple]] = [[()]]
    elif sel.join is None:
        alias, t = tables[0]
        scan = ScanInfo(alias, t, per_table[alias])
        plan.scans.append(scan)
        ids = [0] if t.style is DistStyle.ALL else list(range(n_slices))
        slice_rows = _scan(scan, scope, ids, slice_work)
    else:
        slice_rows = _join(cluster, sel, scope, tables, per_table, plan, slice_work)
    if post:
        preds = [compile_expr(c, res) for c in post]
        slice_rows = [[r for r in rows if all(p(r) is True for p in preds)] for rows in slice_rows]
        plan.join_filter = post

    # -- expand the SELECT list ---------------------------------------------------------
    items: list[tuple[Any, str]] = []
    for e, alias in sel.items:
        if isinstance(e, Star):
            chosen = [(a, t) for a, t in tables if e.table in (None, a)]
            if e.table is not None and not chosen:
                raise sql_error("42P01", f'missing FROM-clause entry for table "{e.table}".')
            if not tables:
                raise sql_error("42601", "SELECT * needs a FROM clause.")
            items += [(Col(a, n), n) for a, t in chosen for n in t.column_names]
        else:
            items.append((e, alias or _name_of(e)))
    names = [n for _, n in items]

    aggs: dict = {}
    for e, _ in items:
        _collect_aggs(e, aggs)
    if sel.having is not None:
        _collect_aggs(sel.having, aggs)
    for e, _ in sel.order_by:
        if not _is_output_ref(e, names):
            _collect_aggs(e, aggs)
    grouped = bool(aggs) or bool(sel.group_by)
    leader_rows = 0

    if grouped:
        group_exprs = list(sel.group_by)
        # GROUP BY 1 / GROUP BY alias refer to SELECT items, as in Redshift.
        for i, g in enumerate(group_exprs):
            if isinstance(g, Lit) and isinstance(g.value, int) and not isinstance(g.value, bool):
                if not 1 <= g.value <= len(items):
                    raise sql_error("42P10", f"GROUP BY position {g.value} is not in the select list.")
                group_exprs[i] = items[g.value - 1][0]
            elif isinstance(g, Col) and g.table is None and g.name in names and not _resolves(scope, g):
                group_exprs[i] = items[names.index(g.name)][0]
        if _contains_agg(tuple(group_exprs)):
            raise sql_error("42803", "aggregate functions are not allowed in GROUP BY.")
        gfuncs = [compile_expr(g, res) for g in group_exprs]
        agg_list = [_Agg(f, None if f.star else compile_expr(f.args[0], res)) for f in aggs.values()]
        # per slice: partial aggregates
        partials = []
        for rows in slice_rows:
            groups: dict = {}
            for r in rows:
                key = tuple(g(r) for g in gfuncs)
                st = groups.get(key)
                if st is None:
                    st = groups[key] = [a.new() for a in agg_list]
                for j, a in enumerate(agg_list):
                    st[j] = a.step(st[j], r)
            partials.append(groups)
            leader_rows += len(groups)
        # leader: merge
        merged: dict = {}
        for groups in partials:
            for key, st in groups.items():
                cur = merged.get(key)
                merged[key] = st if cur is None else [a.merge(x, y) for a, x, y in zip(agg_list, cur, st)]
        if not merged and not group_exprs:
            merged[()] = [a.new() for a in agg_list]
        agg_rows = [key + tuple(a.final(s) for a, s in zip(agg_list, st)) for key, st in merged.items()]
        plan.aggregate = "HashAggregate" if group_exprs else "Aggregate"
        plan.groups = len(agg_rows)
        plan.group_keys = ", ".join(sql_text(g) for g in group_exprs)
        gindex = {_canon(_bind(g, scope)): i for i, g in enumerate(group_exprs)}
        aindex = {k: len(group_exprs) + j for j, k in enumerate(aggs)}

        def post_res(e):
            k = _canon(_bind(e, scope)) if not isinstance(e, Func) else None
            if k is not None and k in gindex:
                i = gindex[k]
                return lambda r: r[i]
            if isinstance(e, Func):
                i = aindex[_canon(e)]
                return lambda r: r[i]
            if isinstance(e, Col):
                raise sql_error("42803", f'column "{sql_text(e)}" must appear in the GROUP BY clause or be '
                                         "used in an aggregate function.")
            return None
        out_funcs = [compile_expr(e, post_res) for e, _ in items]
        if sel.having is not None:
            hf = compile_expr(sel.having, post_res)
            agg_rows = [r for r in agg_rows if hf(r) is True]
        order_src, order_res = agg_rows, post_res
        out_rows = [tuple(f(r) for f in out_funcs) for r in agg_rows]
    else:
        if sel.having is not None:
            raise sql_error("42803", "HAVING needs GROUP BY or an aggregate.")
        out_funcs = [compile_expr(e, res) for e, _ in items]
        order_src = [r for rows in slice_rows for r in rows]
        order_res = res
        out_rows = [tuple(f(r) for f in out_funcs) for r in order_src]
        leader_rows = len(out_rows)

    # -- leader: DISTINCT, ORDER BY, LIMIT -------------------------------------------------
    if sel.distinct:
        seen, keep, keep_src = set(), [], []
        for o, s in zip(out_rows, order_src):
            if o not in seen:
                seen.add(o)
                keep.append(o)
                keep_src.append(s)
        out_rows, order_src = keep, keep_src
        plan.distinct = True
    if sel.order_by:
        keyfuncs = []
        for e, desc in sel.order_by:
            if isinstance(e, Lit) and isinstance(e.value, int) and not isinstance(e.value, bool):
                if not 1 <= e.value <= len(names):
                    raise sql_error("42P10", f"ORDER BY position {e.value} is not in the select list.")
                i = e.value - 1
                keyfuncs.append(("out", i, desc))
            elif _is_output_ref(e, names) and not (isinstance(e, Col) and not grouped and _resolves(scope, e)
                                                   and names.count(e.name) == 0):
                keyfuncs.append(("out", names.index(e.name), desc))
            else:
                if sel.distinct:
                    raise sql_error("42P10", "for SELECT DISTINCT, ORDER BY expressions must appear in the "
                                             "select list.")
                keyfuncs.append(("src", compile_expr(e, order_res), desc))
        idx = list(range(len(out_rows)))
        for kind, f, desc in reversed(keyfuncs):
            if kind == "out":
                vals = [out_rows[i][f] for i in range(len(out_rows))]
            else:
                vals = [f(order_src[i]) for i in range(len(out_rows))]
            idx.sort(key=lambda i: _sort_key(vals[i]), reverse=desc)
        out_rows = [out_rows[i] for i in idx]
        plan.sort_keys = ", ".join(sql_text(e) for e, _ in sel.order_by)
    if sel.limit is not None:
        out_rows = out_rows[:sel.limit]
        plan.limit = sel.limit

    plan.rows_to_leader = leader_rows
    plan.result_rows = len(out_rows)
    join_work = plan.join_work or [0] * n_slices
    busiest = max([w * SCAN_S_PER_ROW + j * JOIN_S_PER_ROW for w, j in zip(slice_work, join_work)] or [0])
    duration = (QUERY_OVERHEAD_S + busiest + plan.rows_moved * NETWORK_S_PER_ROW
                + leader_rows * LEADER_S_PER_ROW)
    record = QueryRecord(query=query_id, sql=sql, started=started, duration_s=round(duration, 6),
                         rows=len(out_rows), slice_rows=slice_work, rows_moved=plan.rows_moved,
                         join=plan.join, blocks_scanned=sum(s.blocks_scanned for s in plan.scans),
                         blocks_skipped=sum(s.blocks_skipped for s in plan.scans))
    return Result(names, out_rows, record, plan)


def _sort_key(v):
    return (v is None, v if v is not None else 0)


def _resolves(scope: _Scope, c: Col) -> bool:
    try:
        scope.resolve(c)
        return True
    except Exception:  # noqa: BLE001
        return False


def _is_output_ref(e, names: list[str]) -> bool:
    return isinstance(e, Col) and e.table is None and e.name in names


def _bind(e, scope: _Scope):
    """Replace column references by their resolved position, so ``t.a`` and ``a`` compare equal."""
    if isinstance(e, Col):
        try:
            return ("@", scope.resolve(e))
        except Exception:  # noqa: BLE001 - reported when compiled
            return e
    if isinstance(e, tuple):
        return tuple(_bind(x, scope) for x in e)
    if hasattr(e, "__dataclass_fields__") and not isinstance(e, Lit):
        return (type(e).__name__,) + tuple(_bind(getattr(e, f.name), scope) for f in fields(e))
    return e


def _name_of(e) -> str:
    if isinstance(e, Col):
        return e.name
    if isinstance(e, Func):
        return e.name.lower()
    if isinstance(e, Cast):
        return _name_of(e.expr)
    return "?column?"
