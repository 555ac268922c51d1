"""Redshift's SQL expressions compiled to Python callables, and the aggregate functions.

:func:`compile_expr` turns a parsed expression (:mod:`.sql`) into a function of one row,
with SQL's three-valued logic (NULL propagates; a WHERE keeps only rows where the predicate
is TRUE).  ``_Agg`` computes an aggregate in two phases, as Redshift's slices do: each slice
builds a partial state, and the leader merges the partial states and finishes them.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from typing import Any

from .sql import Between, Bin, Cast, Col, Func, InList, IsNull, Lit, Star, Unary
from .tables import Table, sql_error

__all__ = ["compile_expr"]


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
