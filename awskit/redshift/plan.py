"""How a Redshift query reads its tables on every slice, and how it plans a join.

Each slice scans its own blocks, skipping those whose zone map (min/max per block) rules
out the WHERE conditions.  A join needs the matching rows of both tables on one slice, so
the planner picks a distribution strategy (``DS_DIST_NONE``, ``DS_DIST_ALL_NONE``,
``DS_DIST_INNER``/``OUTER``, ``DS_BCAST_INNER``, ``DS_DIST_BOTH``) from the tables' DISTSTYLE
and DISTKEY, moves rows accordingly and hash-joins on every slice.  :class:`Plan` keeps what
happened, for EXPLAIN (:mod:`.explain`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .expressions import _conjuncts, _Scope, compile_expr
from .sql import Between, Bin, Cast, Col, Lit
from .tables import DistStyle, Table, sql_error, stable_hash

__all__ = ["BROADCAST_MAX_ROWS", "Plan", "ScanInfo"]

#: The inner side of a join is broadcast (DS_BCAST_INNER) when it has at most this many rows.
BROADCAST_MAX_ROWS = 10_000


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
