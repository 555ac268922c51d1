"""The syntax of awskit's Redshift SQL: tokens, the tokenizer and the syntax tree.

The parser (:mod:`.sql`) turns a statement into the nodes defined here: expressions
(:class:`Lit`, :class:`Col`, :class:`Bin`, :class:`Func`...) and statements
(:class:`Select`, :class:`CreateTable`, :class:`Copy`...).  :func:`sql_text` prints an
expression back as SQL, as EXPLAIN shows it.

>>> [t.value for t in tokenize("SELECT a FROM t")]
['SELECT', 'a', 'FROM', 't', '']
>>> sql_text(Bin(">", Col("s", "qty"), Lit(3)))
'(s.qty > 3)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .tables import ColumnType, DistStyle, sql_error

__all__ = [
    "AGGREGATES",
    "Between",
    "Bin",
    "Cast",
    "Col",
    "ColumnDef",
    "Copy",
    "CreateTable",
    "DropTable",
    "Explain",
    "Func",
    "InList",
    "Insert",
    "IsNull",
    "Join",
    "Lit",
    "Select",
    "Star",
    "TableRef",
    "Token",
    "Truncate",
    "Unary",
    "sql_text",
    "tokenize",
]

AGGREGATES = {"COUNT", "SUM", "AVG", "MIN", "MAX"}

_TOKEN = re.compile(r"""
    (?P<ws>\s+|--[^\n]*)
  | (?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+|\d+(?:[eE][-+]?\d+)?)
  | (?P<str>'(?:[^']|'')*')
  | (?P<qid>"(?:[^"]|"")+")
  | (?P<id>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<op><>|!=|<=|>=|\|\||::|[=<>+\-*/%(),.;])
""", re.VERBOSE)

#: Words that end an expression or a select item (never an alias without AS).
_RESERVED = {"SELECT", "FROM", "WHERE", "GROUP", "ORDER", "BY", "LIMIT", "JOIN", "INNER", "LEFT", "RIGHT",
             "FULL", "OUTER", "CROSS", "ON", "AS", "AND", "OR", "NOT", "HAVING", "UNION", "IS", "NULL", "IN",
             "BETWEEN", "LIKE", "ASC", "DESC", "DISTINCT", "VALUES", "INTO", "TRUE", "FALSE", "OFFSET"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str      # num, str, id, qid, op, eof
    value: str
    pos: int

    @property
    def word(self) -> str:
        return self.value.upper() if self.kind == "id" else ""


def tokenize(sql: str) -> list[Token]:
    if not isinstance(sql, str):
        raise sql_error("42601", f"A SQL statement is a string, not {type(sql).__name__} {sql!r}.")
    out, pos = [], 0
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        if m is None:
            raise sql_error("42601", f'syntax error at or near "{sql[pos:pos + 10]}" (position {pos + 1}).')
        kind = m.lastgroup
        if kind != "ws":
            out.append(Token(kind, m.group(), pos))
        pos = m.end()
    out.append(Token("eof", "", len(sql)))
    return out


# ------------------------------------------------------------------------------ the AST
@dataclass(frozen=True, slots=True)
class Lit:
    value: Any


@dataclass(frozen=True, slots=True)
class Col:
    table: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Star:
    table: str | None = None


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    expr: Any


@dataclass(frozen=True, slots=True)
class Bin:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class IsNull:
    expr: Any
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Between:
    expr: Any
    low: Any
    high: Any
    negated: bool = False


@dataclass(frozen=True, slots=True)
class InList:
    expr: Any
    items: tuple
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Func:
    name: str
    args: tuple
    distinct: bool = False
    star: bool = False


@dataclass(frozen=True, slots=True)
class Cast:
    expr: Any
    type: ColumnType


@dataclass(frozen=True, slots=True)
class TableRef:
    name: str
    alias: str


@dataclass(frozen=True, slots=True)
class Join:
    table: TableRef
    on: Any


@dataclass(slots=True)
class Select:
    items: list[tuple[Any, str | None]]
    from_: TableRef | None = None
    join: Join | None = None
    where: Any = None
    group_by: tuple = ()
    having: Any = None
    order_by: list[tuple[Any, bool]] = field(default_factory=list)
    limit: int | None = None
    distinct: bool = False


@dataclass(slots=True)
class ColumnDef:
    name: str
    type: ColumnType
    not_null: bool = False
    distkey: bool = False
    sortkey: bool = False


@dataclass(slots=True)
class CreateTable:
    name: str
    columns: list[ColumnDef]
    diststyle: DistStyle | None = None
    distkey: str | None = None
    sortkey: tuple[str, ...] = ()
    if_not_exists: bool = False


@dataclass(slots=True)
class DropTable:
    name: str
    if_exists: bool = False


@dataclass(slots=True)
class Truncate:
    name: str


@dataclass(slots=True)
class Insert:
    table: str
    columns: list[str] | None
    rows: list[list[Any]] | None = None
    select: Select | None = None


@dataclass(slots=True)
class Copy:
    table: str
    columns: list[str] | None
    source: str
    options: dict[str, Any]


@dataclass(slots=True)
class Explain:
    select: Select


def sql_text(e) -> str:
    """An expression back as SQL (what EXPLAIN prints in Filter: lines)."""
    if isinstance(e, Lit):
        v = e.value
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return "'" + v.replace("'", "''") + "'"
        return str(v)
    if isinstance(e, Col):
        return f"{e.table}.{e.name}" if e.table else e.name
    if isinstance(e, Star):
        return f"{e.table}.*" if e.table else "*"
    if isinstance(e, Unary):
        return f"(NOT {sql_text(e.expr)})" if e.op == "NOT" else f"(-{sql_text(e.expr)})"
    if isinstance(e, Bin):
        return f"({sql_text(e.left)} {e.op} {sql_text(e.right)})"
    if isinstance(e, IsNull):
        return f"({sql_text(e.expr)} IS {'NOT ' if e.negated else ''}NULL)"
    if isinstance(e, Between):
        return (f"({sql_text(e.expr)} {'NOT ' if e.negated else ''}BETWEEN {sql_text(e.low)} "
                f"AND {sql_text(e.high)})")
    if isinstance(e, InList):
        return f"({sql_text(e.expr)} {'NOT ' if e.negated else ''}IN ({', '.join(map(sql_text, e.items))}))"
    if isinstance(e, Func):
        inner = "*" if e.star else ("DISTINCT " if e.distinct else "") + ", ".join(map(sql_text, e.args))
        return f"{e.name.lower()}({inner})"
    if isinstance(e, Cast):
        return f"{sql_text(e.expr)}::{e.type}"
    return "?"
