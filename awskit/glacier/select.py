"""A tiny SQL for Glacier Select: ``SELECT cols FROM archive s WHERE ... [LIMIT n]`` over CSV.

Glacier Select runs a query inside the archive and writes only the matching rows to S3, so
you pay to read the archive but download just the answer.  awskit understands the subset a
first query needs: ``*`` or a list of columns (by header name, or by position ``_1``,
``_2``...), comparisons (``= != <> < <= > >=``) joined with AND, OR and parentheses,
``LIMIT``.  Numbers compare as numbers when both sides parse as numbers, else as text.

>>> q = parse_select("SELECT s.name FROM archive s WHERE s.age >= 30 AND s.city = 'Oslo'")
>>> run_select(q, b"name,age,city\\nAda,36,Oslo\\nBo,25,Oslo\\nCy,41,Rome\\n", header="USE")
b'Ada\\n'
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidParameter

__all__ = ["SelectQuery", "parse_select", "run_select"]

_TOKEN = re.compile(r"""\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'(?:[^']|'')*')|(?P<op><>|!=|<=|>=|=|<|>)"""
                    r"""|(?P<punct>[(),*])|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?))""")
_KEYWORDS = {"SELECT", "FROM", "WHERE", "AND", "OR", "LIMIT", "AS", "NOT"}


def _bad(expression: str, why: str) -> InvalidParameter:
    return InvalidParameter("InvalidParameterValueException",
                            f"Invalid SelectParameters.Expression {expression!r}: {why}. awskit reads "
                            "SELECT * | col[, col] FROM archive [s] [WHERE a = 'x' AND (b > 1 OR c <> 2)] [LIMIT n].")


@dataclass(slots=True, kw_only=True)
class SelectQuery:
    """A parsed query: the columns (None for *), a WHERE tree and an optional LIMIT."""

    expression: str
    columns: list[str] | None
    where: Any = None
    limit: int | None = None
    alias: str | None = field(default=None, repr=False)


def _tokens(expression: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = expression.strip().rstrip(";")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _bad(expression, f"unexpected text at {text[pos:pos + 12]!r}")
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "kw", value.upper()
        out.append((kind, value))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.toks = _tokens(expression)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str, value: str | None = None) -> str:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            want = value or kind
            got = "the end of the query" if tok is None else repr(tok[1])
            raise _bad(self.expression, f"expected {want} but found {got}")
        self.i += 1
        return tok[1]

    def accept(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return True
        return False

    def query(self) -> SelectQuery:
        self.take("kw", "SELECT")
        columns: list[str] | None
        if self.accept("punct", "*"):
            columns = None
        else:
            columns = [self.take("word")]
            while self.accept("punct", ","):
                columns.append(self.take("word"))
        self.take("kw", "FROM")
        source = self.take("word")
        if source.lower() != "archive":
            raise _bad(self.expression, f"Glacier Select reads FROM archive, not FROM {source}")
        alias = None
        if self.accept("kw", "AS") or self.peek() is not None and self.peek()[0] == "word":
            alias = self.take("word")
        where = self.disjunction() if self.accept("kw", "WHERE") else None
        limit = None
        if self.accept("kw", "LIMIT"):
            n = self.take("num")
            if "." in n or int(n) < 0:
                raise _bad(self.expression, f"LIMIT needs a whole number >= 0, not {n}")
            limit = int(n)
        if self.peek() is not None:
            raise _bad(self.expression, f"unexpected {self.peek()[1]!r} after the query")
        strip = (lambda c: c.split(".", 1)[1] if "." in c else c)
        return SelectQuery(expression=self.expression, columns=None if columns is None else [strip(c) for c in columns],
                           where=where, limit=limit, alias=alias)

    def disjunction(self) -> Any:
        node = self.conjunction()
        while self.accept("kw", "OR"):
            node = ("OR", node, self.conjunction())
        return node

    def conjunction(self) -> Any:
        node = self.atom()
        while self.accept("kw", "AND"):
            node = ("AND", node, self.atom())
        return node

    def atom(self) -> Any:
        if self.accept("kw", "NOT"):
            return ("NOT", self.atom())
        if self.accept("punct", "("):
            node = self.disjunction()
            self.take("punct", ")")
            return node
        left = self.operand()
        tok = self.peek()
        if tok is None or tok[0] != "op":
            raise _bad(self.expression, "a WHERE condition compares two values, e.g. s.age > 30")
        self.i += 1
        return ("CMP", "!=" if tok[1] == "<>" else tok[1], left, self.operand())

    def operand(self) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None:
            raise _bad(self.expression, "the condition is incomplete")
        self.i += 1
        kind, value = tok
        if kind == "num":
            return ("lit", value)
        if kind == "str":
            return ("lit", value[1:-1].replace("''", "'"))
        if kind == "word":
            return ("col", value.split(".", 1)[1] if "." in value else value)
        raise _bad(self.expression, f"{value!r} is not a column or a literal")


def parse_select(expression: Any) -> SelectQuery:
    """Parse a Glacier Select expression; InvalidParameterValueException explains what is wrong."""
    if not isinstance(expression, str) or not expression.strip():
        raise _bad(str(expression), "the expression is empty")
    return _Parser(expression).query()


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        a, b = na, nb
    else:
        a, b = str(a), str(b)
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def run_select(query: SelectQuery, data: bytes, *, header: str = "NONE", field_delimiter: str = ",",
               record_delimiter: str = "\n", quote_character: str = '"', out_delimiter: str = ",",
               out_record_delimiter: str = "\n") -> bytes:
    """Run ``query`` over CSV bytes; return the result rows as CSV bytes.

    ``header`` is Glacier's FileHeaderInfo: USE (first row names the columns), IGNORE (skip
    it, address columns by position) or NONE (every row is data).
    """
    text = data.decode("utf-8", "replace")
    if record_delimiter != "\n":
        text = text.replace(record_delimiter, "\n")
    rows = list(csv.reader(io.StringIO(text), delimiter=field_delimiter, quotechar=quote_character))
    names: list[str] = []
    if header in ("USE", "IGNORE") and rows:
        names = rows[0] if header == "USE" else []
        rows = rows[1:]
    index = {n: i for i, n in enumerate(names)}

    def column(row: list[str], name: str) -> Any:
        if name in index:
            i = index[name]
        elif name.startswith("_") and name[1:].isdigit():
            i = int(name[1:]) - 1
        else:
            known = ", ".join(names) if names else "_1, _2, ... (no header: FileHeaderInfo is not USE)"
            raise InvalidParameter("InvalidParameterValueException",
                                   f"The query names column {name!r}, which the archive does not have. "
                                   f"Columns: {known}.")
        return row[i] if 0 <= i < len(row) else None

    def value(row: list[str], operand: tuple[str, Any]) -> Any:
        return operand[1] if operand[0] == "lit" else column(row, operand[1])

    def holds(row: list[str], node: Any) -> bool:
        if node is None:
            return True
        if node[0] == "AND":
            return holds(row, node[1]) and holds(row, node[2])
        if node[0] == "OR":
            return holds(row, node[1]) or holds(row, node[2])
        if node[0] == "NOT":
            return not holds(row, node[1])
        return _compare(node[1], value(row, node[2]), value(row, node[3]))

    out = io.StringIO()
    writer = csv.writer(out, delimiter=out_delimiter, lineterminator=out_record_delimiter)
    written = 0
    for row in rows:
        if not row:
            continue
        if query.limit is not None and written >= query.limit:
            break
        if holds(row, query.where):
            writer.writerow(row if query.columns is None else [column(row, c) or "" for c in query.columns])
            written += 1
    return out.getvalue().encode("utf-8")
