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
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from .sql import (
    Between,
    Bin,
    Cast,
    Col,
    Func,
    InList,
    IsNull,
    Lit,
    Select,
    Star,
    Unary,
    sql_text,
)
from .tables import DistStyle, Table, sql_error, stable_hash

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
#: The inner side of a join is broadcast (DS_BCAST_INNER) when it has at most this many rows.
BROADCAST_MAX_ROWS = 10_000


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


# =========================================================================== expressions
def _canon(e) -> Any:
    """A hashable form of an expression used to match GROUP BY items in the SELECT list."""
    if isinstance(e, tuple):
        return tuple(_canon(x) for x in e)
    if hasattr(e, "__dataclass_fields__"):
        return (type(e).__name__,) + tuple(_canon(getattr(e, f.name)) for f in fields(e))
    return e


def _contains_agg(e) -> bool:
    if isinstance(e, Func):
        return True
    if isinstance(e, tuple):
        return any(_contains_agg(x) for x in e)
    if hasattr(e, "__dataclass_fields__"):
        return any(_contains_agg(getattr(e, f.name)) for f in fields(e))
    return False


def _collect_aggs(e, out: dict) -> None:
    if isinstance(e, Func):
        out.setdefault(_canon(e), e)
        for a in e.args:
            if _contains_agg(a):
                raise sql_error("42803", "aggregate function calls cannot be nested.")
        return
    if isinstance(e, tuple):
        for x in e:
            _collect_aggs(x, out)
    elif hasattr(e, "__dataclass_fields__"):
        for f in fields(e):
            _collect_aggs(getattr(e, f.name), out)


def _conjuncts(e) -> list:
    if e is None:
        return []
    if isinstance(e, Bin) and e.op == "AND":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _columns_of(e, out: list) -> list:
    if isinstance(e, Col):
        out.append(e)
    elif isinstance(e, tuple):
        for x in e:
            _columns_of(x, out)
    elif hasattr(e, "__dataclass_fields__"):
        for f in fields(e):
            _columns_of(getattr(e, f.name), out)
    return out


def _prep(a, b):
    """Make two values comparable the way Redshift's implicit casts do."""
    if isinstance(a, str) and isinstance(b, (_dt.date, _dt.datetime)):
        a = _to_datetime(a, b)
    elif isinstance(b, str) and isinstance(a, (_dt.date, _dt.datetime)):
        b = _to_datetime(b, a)
    elif isinstance(a, Decimal) and isinstance(b, float):
        a = float(a)
    elif isinstance(b, Decimal) and isinstance(a, float):
        b = float(b)
    if isinstance(a, _dt.datetime) and type(b) is _dt.date:
        b = _dt.datetime(b.year, b.month, b.day)
    elif isinstance(b, _dt.datetime) and type(a) is _dt.date:
        a = _dt.datetime(a.year, a.month, a.day)
    return a, b


def _to_datetime(s: str, like):
    try:
        return _dt.datetime.fromisoformat(s) if isinstance(like, _dt.datetime) else _dt.date.fromisoformat(s)
    except ValueError:
        raise sql_error("22007", f"invalid input syntax for type date/timestamp: {s!r}.") from None


_CMP = {"=": lambda a, b: a == b, "<>": lambda a, b: a != b, "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _compare(op, a, b):
    if a is None or b is None:
        return None
    a, b = _prep(a, b)
    try:
        return _CMP[op](a, b)
    except TypeError:
        raise sql_error("42883", f"operator does not exist: {type(a).__name__} {op} {type(b).__name__} "
                                 f"({a!r} {op} {b!r}); cast one side.") from None


def _arith(op, a, b):
    if a is None or b is None:
        return None
    if op == "||":
        return f"{a}{b}"
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        raise sql_error("42883", f"operator does not exist: {type(a).__name__} {op} {type(b).__name__}.")
    a, b = _prep(a, b)
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise sql_error("22012", "division by zero")
        if op == "/":
            if isinstance(a, int) and isinstance(b, int):
                q = abs(a) // abs(b)          # integer division truncates toward zero
                return q if (a >= 0) == (b >= 0) else -q
            return a / b
        return a - b * int(a / b) if isinstance(a, int) and isinstance(b, int) else a % b
    except TypeError:
        raise sql_error("42883", f"operator does not exist: {type(a).__name__} {op} {type(b).__name__}.") from None


def _like(value, pattern):
    if value is None or pattern is None:
        return None
    rx = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in str(pattern))
    return re.fullmatch(rx, str(value), re.DOTALL) is not None


class _Scope:
    """Where each column of the (joined) input row lives."""

    def __init__(self, tables: list[tuple[str, Table]]) -> None:
        self.tables = tables
        self.offsets: dict[str, int] = {}
        off = 0
        for alias, t in tables:
            self.offsets[alias] = off
            off += len(t.columns)
        self.width = off

    def resolve(self, c: Col) -> int:
        if c.table is not None:
            for alias, t in self.tables:
                if alias == c.table:
                    return self.offsets[alias] + t.column_index(c.name)
            names = ", ".join(a for a, _ in self.tables) or "none"
            raise sql_error("42P01", f'missing FROM-clause entry for table "{c.table}" (tables here: {names}).')
        hits = [(a, t) for a, t in self.tables if c.name in t._index]
        if not hits:
            cols = ", ".join(f"{a}.{n}" for a, t in self.tables for n in t.column_names)
            raise sql_error("42703", f'column "{c.name}" does not exist. Columns: {cols or "none (no FROM)"}.')
        if len(hits) > 1:
            raise sql_error("42702", f'column reference "{c.name}" is ambiguous: qualify it '
                                     f'({", ".join(a + "." + c.name for a, _ in hits)}).')
        a, t = hits[0]
        return self.offsets[a] + t._index[c.name]

    def table_of(self, c: Col) -> str:
        idx = self.resolve(c)
        for alias, t in self.tables:
            if self.offsets[alias] <= idx < self.offsets[alias] + len(t.columns):
                return alias
        raise AssertionError(idx)

    def column_type(self, c: Col):
        idx = self.resolve(c)
        for alias, t in self.tables:
            off = self.offsets[alias]
            if off <= idx < off + len(t.columns):
                return t.columns[idx - off].type
        return None


def compile_expr(e, resolve: Callable[[Any], Callable | None]) -> Callable[[tuple], Any]:
    """Turn an expression into a function of a row.  ``resolve(e)`` may claim a sub-expression
    (a column, or a GROUP BY item / aggregate after aggregation) and return its getter."""
    got = resolve(e)
    if got is not None:
        return got
    if isinstance(e, Lit):
        v = e.value
        return lambda r: v
    if isinstance(e, Col):
        raise AssertionError("columns are resolved by the scope")  # noqa: TRY004 - an engine bug, not input
    if isinstance(e, Func):
        raise sql_error("42803", f"aggregate function {e.name.lower()}() is not allowed here.")
    if isinstance(e, Star):
        raise sql_error("42601", "* is only allowed in the SELECT list or COUNT(*).")
    if isinstance(e, Cast):
        f = compile_expr(e.expr, resolve)
        ty = e.type
        return lambda r: ty.coerce(f(r), "cast")
    if isinstance(e, Unary):
        f = compile_expr(e.expr, resolve)
        if e.op == "NOT":
            return lambda r: (None if (v := f(r)) is None else not v)

        def neg(r):
            v = f(r)
            if v is None:
                return None
            if isinstance(v, (str, bool)):
                raise sql_error("42883", f"operator does not exist: - {type(v).__name__}.")
            return -v
        return neg
    if isinstance(e, Bin):
        lf, rf = compile_expr(e.left, resolve), compile_expr(e.right, resolve)
        op = e.op
        if op == "AND":
            def and_(r):
                a = lf(r)
                if a is False:
                    return False
                b = rf(r)
                if b is False:
                    return False
                return None if a is None or b is None else True
            return and_
        if op == "OR":
            def or_(r):
                a = lf(r)
                if a is True:
                    return True
                b = rf(r)
                if b is True:
                    return True
                return None if a is None or b is None else False
            return or_
        if op in _CMP:
            return lambda r: _compare(op, lf(r), rf(r))
        if op == "LIKE":
            return lambda r: _like(lf(r), rf(r))
        return lambda r: _arith(op, lf(r), rf(r))
    if isinstance(e, IsNull):
        f = compile_expr(e.expr, resolve)
        neg = e.negated
        return lambda r: (f(r) is None) != neg
    if isinstance(e, Between):
        f, lo, hi = (compile_expr(x, resolve) for x in (e.expr, e.low, e.high))
        neg = e.negated

        def between(r):
            v = f(r)
            a, b = _compare(">=", v, lo(r)), _compare("<=", v, hi(r))
            res = None if a is None or b is None else (a and b)
            return res if res is None or not neg else not res
        return between
    if isinstance(e, InList):
        f = compile_expr(e.expr, resolve)
        items = [compile_expr(x, resolve) for x in e.items]
        neg = e.negated

        def in_(r):
            v = f(r)
            if v is None:
                return None
            seen_null = False
            for it in items:
                c = _compare("=", v, it(r))
                if c:
                    return not neg
                seen_null |= c is None
            return None if seen_null else neg
        return in_
    raise sql_error("42601", f"Cannot evaluate {e!r}.")


# ============================================================================ aggregates
class _Agg:
    """One aggregate call: per-slice partial state, merged on the leader."""

    def __init__(self, f: Func, arg: Callable | None) -> None:
        self.name, self.distinct, self.arg = f.name, f.distinct, arg

    def new(self):
        if self.distinct:
            return set()
        return {"COUNT": 0, "AVG": [None, 0]}.get(self.name)

    def step(self, state, row):
        if self.arg is None:                      # COUNT(*)
            return state + 1
        v = self.arg(row)
        if v is None:
            return state
        if self.distinct:
            state.add(v)
            return state
        n = self.name
        if n == "COUNT":
            return state + 1
        if isinstance(v, (str, bool)) and n in ("SUM", "AVG"):
            raise sql_error("42883", f"function {n.lower()}({type(v).__name__}) does not exist.")
        if n == "SUM":
            return v if state is None else state + v
        if n == "MIN":
            return v if state is None or _compare("<", v, state) else state
        if n == "MAX":
            return v if state is None or _compare(">", v, state) else state
        state[0] = v if state[0] is None else state[0] + v
        state[1] += 1
        return state

    def merge(self, a, b):
        if self.distinct:
            return a | b
        n = self.name
        if n == "COUNT":
            return a + b
        if n == "AVG":
            return [b[0] if a[0] is None else a[0] if b[0] is None else a[0] + b[0], a[1] + b[1]]
        if a is None:
            return b
        if b is None:
            return a
        if n == "SUM":
            return a + b
        if n == "MIN":
            return b if _compare("<", b, a) else a
        return b if _compare(">", b, a) else a

    def final(self, state):
        if self.distinct:
            vals = list(state)
            if self.name == "COUNT":
                return len(vals)
            state = self.new_plain()
            for v in vals:
                state = _Agg.step_plain(self.name, state, v)
        if self.name == "AVG":
            total, n = state
            if not n:
                return None
            if isinstance(total, int):            # Redshift: AVG of integers is an integer
                q = abs(total) // n
                return q if total >= 0 else -q
            return total / n
        return state

    def new_plain(self):
        return [None, 0] if self.name == "AVG" else None

    @staticmethod
    def step_plain(name, state, v):
        if name == "SUM":
            return v if state is None else state + v
        if name == "MIN":
            return v if state is None or _compare("<", v, state) else state
        if name == "MAX":
            return v if state is None or _compare(">", v, state) else state
        state[0] = v if state[0] is None else state[0] + v
        state[1] += 1
        return state


# ============================================================================ the plan
@dataclass(slots=True)
class ScanInfo:
    alias: str
    table: Table
    filters: list
    rows_out: int = 0
    blocks_scanned: int = 0
    blocks_skipped: int = 0
    rows_read: int = 0


@dataclass(slots=True)
class Plan:
    """What the engine did, kept to print EXPLAIN."""

    scans: list[ScanInfo] = field(default_factory=list)
    join: str | None = None
    join_cond: str = ""
    outer: str = ""
    inner: str = ""
    rows_moved: int = 0
    join_rows: int = 0                      #: rows the join produced
    join_work: list[int] = field(default_factory=list)   #: rows hashed + probed on each slice
    join_filter: list = field(default_factory=list)
    aggregate: str | None = None            # "HashAggregate" / "Aggregate"
    groups: int = 0
    group_keys: str = ""
    sort_keys: str = ""
    limit: int | None = None
    rows_to_leader: int = 0
    result_rows: int = 0
    distinct: bool = False


def _zone_filters(scan: ScanInfo, scope: _Scope) -> list[tuple[int, Any, Any, bool, bool]]:
    """Range restrictions (column, low, high, low inclusive, high inclusive) a zone map can use."""
    out = []
    t = scan.table
    for c in scan.filters:
        col, lo, hi, lo_inc, hi_inc = None, None, None, True, True
        if isinstance(c, Bin) and c.op in ("=", "<", "<=", ">", ">="):
            left, right, op = c.left, c.right, c.op
            if isinstance(right, Col) and isinstance(left, (Lit, Cast)):
                left, right = right, left
                op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
            if not isinstance(left, Col) or not isinstance(right, (Lit, Cast)):
                continue
            if isinstance(right, Cast) and not isinstance(right.expr, Lit):
                continue
            col = left
            v = right.value if isinstance(right, Lit) else right.expr.value
            if op == "=":
                lo = hi = v
            elif op in (">", ">="):
                lo, lo_inc = v, op == ">="
            else:
                hi, hi_inc = v, op == "<="
        elif isinstance(c, Between) and not c.negated and isinstance(c.expr, Col) \
                and isinstance(c.low, Lit) and isinstance(c.high, Lit):
            col, lo, hi = c.expr, c.low.value, c.high.value
        else:
            continue
        idx = t.column_index(col.name)
        ty = t.columns[idx].type
        try:
            lo = None if lo is None else ty.coerce(lo, col.name)
            hi = None if hi is None else ty.coerce(hi, col.name)
        except Exception:  # noqa: BLE001, S112 - a literal of another type: the zone map cannot help
            continue
        out.append((idx, lo, hi, lo_inc, hi_inc))
    return out


def _block_may_match(zmin, zmax, lo, hi, lo_inc, hi_inc) -> bool:
    if zmin is None:                      # every value NULL: no comparison can be true
        return False
    try:
        if lo is not None and (zmax < lo or (zmax == lo and not lo_inc)):
            return False
        if hi is not None and (zmin > hi or (zmin == hi and not hi_inc)):
            return False
    except TypeError:
        return True
    return True


def _scan(scan: ScanInfo, scope: _Scope, slice_ids: list[int],
          slice_work: list[int]) -> list[list[tuple]]:
    """Each slice reads its blocks (skipping those the zone maps rule out) and filters."""
    t = scan.table
    single = _Scope([(scan.alias, t)])

    def res(e):
        if isinstance(e, Col):
            i = single.resolve(e)
            return lambda r: r[i]
        return None
    preds = [compile_expr(c, res) for c in scan.filters]
    zones = _zone_filters(scan, scope)
    out: list[list[tuple]] = []
    from .tables import ROWS_PER_BLOCK
    for s in slice_ids:
        rows = t.slices[s]
        if zones and rows:
            maps = {z[0]: t.zone_map(s, z[0]) for z in zones}
            keep = []
            for b in range(len(maps[zones[0][0]])):
                if all(_block_may_match(*maps[i][b], lo, hi, li, hi_) for i, lo, hi, li, hi_ in zones):
                    keep.extend(rows[b * ROWS_PER_BLOCK:(b + 1) * ROWS_PER_BLOCK])
                    scan.blocks_scanned += 1
                else:
                    scan.blocks_skipped += 1
            rows = keep
        else:
            scan.blocks_scanned += -(-len(rows) // ROWS_PER_BLOCK)
        slice_work[s] += len(rows)
        scan.rows_read += len(rows)
        if preds:
            rows = [r for r in rows if all(p(r) is True for p in preds)]
        scan.rows_out += len(rows)
        out.append(rows)
    return out


def _equi_pairs(on, scope: _Scope, left: str, right: str):
    pairs, rest = [], []
    for c in _conjuncts(on):
        if isinstance(c, Bin) and c.op == "=" and isinstance(c.left, Col) and isinstance(c.right, Col):
            a, b = scope.table_of(c.left), scope.table_of(c.right)
            if (a, b) == (left, right):
                pairs.append((c.left, c.right))
                continue
            if (a, b) == (right, left):
                pairs.append((c.right, c.left))
                continue
        rest.append(c)
    return pairs, rest


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


def _join(cluster, sel, scope, tables, per_table, plan: Plan, slice_work) -> list[list[tuple]]:
    topo = cluster._topology
    n = topo.slices
    (a_alias, a_t), (b_alias, b_t) = tables
    pairs, rest = _equi_pairs(sel.join.on, scope, a_alias, b_alias)
    if not pairs:
        raise sql_error("0A000", "awskit joins on equality conditions only: ON a.col = b.col "
                                 "(a join without one would be a nested-loop cross product).")
    # The planner hashes the smaller table (the inner); a DISTSTYLE ALL table is always the inner.
    a_all, b_all = a_t.style is DistStyle.ALL, b_t.style is DistStyle.ALL
    if a_all != b_all:
        inner_is_b = b_all
    else:
        inner_is_b = b_t.row_count <= a_t.row_count
    if inner_is_b:
        (o_alias, o_t), (i_alias, i_t) = (a_alias, a_t), (b_alias, b_t)
        o_keys = [p[0] for p in pairs]
        i_keys = [p[1] for p in pairs]
    else:
        (o_alias, o_t), (i_alias, i_t) = (b_alias, b_t), (a_alias, a_t)
        o_keys = [p[1] for p in pairs]
        i_keys = [p[0] for p in pairs]
    o_scan, i_scan = ScanInfo(o_alias, o_t, per_table[o_alias]), ScanInfo(i_alias, i_t, per_table[i_alias])
    plan.scans += [o_scan, i_scan]
    both_all = o_t.style is DistStyle.ALL and i_t.style is DistStyle.ALL
    o_ids = [0] if both_all else ([0] if o_t.style is DistStyle.ALL else list(range(n)))
    outer = _scan(o_scan, scope, o_ids, slice_work)
    if i_t.style is DistStyle.ALL:
        # every node has its own copy on its first slice; all of that node's slices read it
        copies = {s: _scan(i_scan, scope, [s], slice_work)[0] for s in topo.first_slices()}
        if both_all:
            copies = {0: copies[0]}
        inner = [copies[topo.node_of(s) * topo.slices_per_node] for s in o_ids]
    else:
        inner = _scan(i_scan, scope, list(range(n)), slice_work)
    if both_all:
        outer = [outer[0]]
    oi = [i_t.column_index(k.name) for k in i_keys]
    okk = [o_t.column_index(k.name) for k in o_keys]
    o_dist = i_dist = False
    # a table distributed on *one* of the join columns is co-located on that pair
    for ok, ik in zip(o_keys, i_keys):
        if o_t.style is DistStyle.KEY and i_t.style is DistStyle.KEY and o_t.distkey == ok.name \
                and i_t.distkey == ik.name:
            o_dist = i_dist = True
            dist_pair = (o_t.column_index(ok.name), i_t.column_index(ik.name))
            break
    else:
        dist_pair = (okk[0], oi[0])
        if o_t.style is DistStyle.KEY:
            for ok, ik in zip(o_keys, i_keys):
                if o_t.distkey == ok.name:
                    o_dist, dist_pair = True, (o_t.column_index(ok.name), i_t.column_index(ik.name))
                    break
        if i_t.style is DistStyle.KEY and not o_dist:
            for ok, ik in zip(o_keys, i_keys):
                if i_t.distkey == ik.name:
                    i_dist, dist_pair = True, (o_t.column_index(ok.name), i_t.column_index(ik.name))
                    break
    inner_rows = sum(len(x) for x in (inner if i_t.style is not DistStyle.ALL else []))
    outer_rows = sum(len(x) for x in outer)

    def rehash(parts, col):
        out = [[] for _ in range(n)]
        for rows in parts:
            for r in rows:
                out[stable_hash(r[col]) % n].append(r)
        return out
    if i_t.style is DistStyle.ALL:
        plan.join, moved = "DS_DIST_ALL_NONE", 0
    elif o_dist and i_dist:
        plan.join, moved = "DS_DIST_NONE", 0
    elif o_dist:
        plan.join, moved = "DS_DIST_INNER", inner_rows
        inner = rehash(inner, dist_pair[1])
    elif i_dist:
        plan.join, moved = "DS_DIST_OUTER", outer_rows
        outer = rehash(outer, dist_pair[0])
    elif inner_rows <= BROADCAST_MAX_ROWS:
        plan.join, moved = "DS_BCAST_INNER", inner_rows * topo.nodes
        everything = [r for rows in inner for r in rows]
        inner = [everything] * n
    else:
        plan.join, moved = "DS_DIST_BOTH", inner_rows + outer_rows
        outer, inner = rehash(outer, dist_pair[0]), rehash(inner, dist_pair[1])
    plan.rows_moved = moved
    plan.outer, plan.inner = o_alias, i_alias
    plan.join_cond = " AND ".join(f'("outer".{o.name} = "inner".{i.name})' for o, i in zip(o_keys, i_keys))
    # hash join on every slice
    out: list[list[tuple]] = []
    outer_first = inner_is_b   # rebuild rows in FROM order: a's columns then b's
    plan.join_work = [0] * n
    for s in range(len(outer)):
        table: dict = {}
        for r in inner[s]:
            key = tuple(r[i] for i in oi)
            if any(v is None for v in key):
                continue
            table.setdefault(tuple(_norm(v) for v in key), []).append(r)
        rows = []
        for r in outer[s]:
            key = tuple(_norm(r[i]) for i in okk)
            for m in table.get(key, ()):
                rows.append(r + m if outer_first else m + r)
        plan.join_work[s] = len(inner[s]) + len(outer[s])
        out.append(rows)
    plan.join_rows = sum(len(r) for r in out)
    if rest:
        def res(e):
            if isinstance(e, Col):
                i = scope.resolve(e)
                return lambda r: r[i]
            return None
        preds = [compile_expr(c, res) for c in rest]
        out = [[r for r in rows if all(p(r) is True for p in preds)] for rows in out]
        plan.join_filter = rest
    return out


def _norm(v):
    """Join keys of different numeric types (5 and Decimal('5.00')) must match."""
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return Decimal(str(v)).normalize() if not isinstance(v, int) else Decimal(v)
    return v


# ============================================================================ EXPLAIN
def explain_select(result: Result, sel: Select) -> str:
    """EXPLAIN text in Redshift's style, with the row counts the run actually saw."""
    plan = result.plan
    lines: list[str] = []

    def add(depth: int, text: str, arrow: bool = True) -> None:
        pad = "      " * depth
        lines.append((pad[:-2] + "->  " if depth and arrow else pad) + text)

    def detail(depth: int, text: str) -> None:
        lines.append("      " * depth + "  " + text)

    depth = 0
    if plan.sort_keys:
        add(depth, f"XN Merge  (rows={plan.result_rows})")
        detail(depth, f"Merge Key: {plan.sort_keys}")
        depth += 1
        add(depth, f"XN Network  (rows={plan.rows_to_leader})")
        detail(depth, "Send to leader")
        depth += 1
        add(depth, f"XN Sort  (rows={plan.rows_to_leader})")
        detail(depth, f"Sort Key: {plan.sort_keys}")
        depth += 1
    if plan.limit is not None:
        add(depth, f"XN Limit  (rows={plan.result_rows})")
        depth += 1
    if plan.distinct:
        add(depth, "XN Unique")
        depth += 1
    if plan.aggregate:
        add(depth, f"XN {plan.aggregate}  (rows={plan.groups})")
        if plan.group_keys:
            detail(depth, f"Group Key: {plan.group_keys}")
        depth += 1

    def scan_lines(d: int, s: ScanInfo) -> None:
        label = s.table.name if s.alias == s.table.name else f"{s.table.name} {s.alias}"
        add(d, f"XN Seq Scan on {label}  (rows={s.rows_out})")
        if s.filters:
            detail(d, "Filter: " + " AND ".join(sql_text(f) for f in s.filters))
    if plan.join:
        o, i = plan.scans[0], plan.scans[1]
        add(depth, f"XN Hash Join {plan.join}  (rows={plan.join_rows})")
        detail(depth, f"Hash Cond: {plan.join_cond}")
        if plan.join_filter:
            detail(depth, "Join Filter: " + " AND ".join(sql_text(f) for f in plan.join_filter))
        scan_lines(depth + 1, o)
        add(depth + 1, f"XN Hash  (rows={i.rows_out})")
        scan_lines(depth + 2, i)
    elif plan.scans:
        scan_lines(depth, plan.scans[0])
    else:
        add(depth, "XN Result  (rows=1)")
    rec = result.record
    lines.append("----- awskit: " + (f"join {plan.join}, rows moved across the network: {rec.rows_moved}; "
                                      if plan.join else "")
                 + f"blocks skipped by zone maps: {rec.blocks_skipped} of "
                 + f"{rec.blocks_scanned + rec.blocks_skipped}; rows scanned per slice: {rec.slice_rows}")
    return "\n".join(lines)
