"""The SQL that awskit's Redshift understands: a tokenizer and a recursive-descent parser.

Statements: CREATE TABLE (with DISTSTYLE / DISTKEY / SORTKEY), DROP TABLE, TRUNCATE,
INSERT INTO ... VALUES | SELECT, COPY ... FROM 's3://...', SELECT (one INNER JOIN, WHERE,
GROUP BY, HAVING, ORDER BY, LIMIT, DISTINCT, the aggregates COUNT/SUM/AVG/MIN/MAX) and
EXPLAIN SELECT.  Unquoted identifiers fold to lower case, as in Redshift.

>>> parse("SELECT region, SUM(qty) AS total FROM sales GROUP BY region").group_by
(Col(table=None, name='region'),)
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
    "Col",
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
    "Truncate",
    "Unary",
    "parse",
    "parse_script",
    "sql_text",
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


# ------------------------------------------------------------------------------ parser
class _Parser:
    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.toks = tokenize(sql)
        self.i = 0

    # -- token helpers ---------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def error(self, what: str = "") -> None:
        t = self.tok
        near = "end of input" if t.kind == "eof" else f'"{t.value}"'
        raise sql_error("42601", f"syntax error at or near {near} (position {t.pos + 1})"
                                 + (f": {what}" if what else "."))

    def next(self) -> Token:
        t = self.tok
        self.i += 1
        return t

    def at(self, *words: str) -> bool:
        return self.tok.word in words

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.value in ops

    def accept(self, *words: str) -> bool:
        if self.at(*words):
            self.i += 1
            return True
        return False

    def accept_op(self, op: str) -> bool:
        if self.at_op(op):
            self.i += 1
            return True
        return False

    def expect(self, *words: str) -> Token:
        if not self.at(*words):
            self.error(f"expected {' or '.join(words)}")
        return self.next()

    def expect_op(self, op: str) -> Token:
        if not self.at_op(op):
            self.error(f"expected '{op}'")
        return self.next()

    def ident(self, what: str = "a name") -> str:
        t = self.tok
        if t.kind == "id" and t.word not in _RESERVED:
            self.i += 1
            return t.value.lower()
        if t.kind == "qid":
            self.i += 1
            return t.value[1:-1].replace('""', '"')
        self.error(f"expected {what}")

    def string(self, what: str = "a quoted string") -> str:
        if self.tok.kind != "str":
            self.error(f"expected {what}")
        return self.next().value[1:-1].replace("''", "'")

    def integer(self, what: str = "a whole number") -> int:
        if self.tok.kind != "num" or not self.tok.value.isdigit():
            self.error(f"expected {what}")
        return int(self.next().value)

    # -- statements -------------------------------------------------------------
    def statement(self):
        t = self.tok
        if t.word == "SELECT":
            stmt = self.select()
        elif t.word == "EXPLAIN":
            self.next()
            stmt = Explain(self.select())
        elif t.word == "CREATE":
            stmt = self.create()
        elif t.word == "DROP":
            self.next()
            self.expect("TABLE")
            if_exists = False
            if self.accept("IF"):
                self.expect("EXISTS")
                if_exists = True
            stmt = DropTable(self.ident("a table name"), if_exists)
        elif t.word == "TRUNCATE":
            self.next()
            self.accept("TABLE")
            stmt = Truncate(self.ident("a table name"))
        elif t.word == "INSERT":
            stmt = self.insert()
        elif t.word == "COPY":
            stmt = self.copy()
        else:
            raise sql_error("42601", f'syntax error at or near "{t.value}": awskit runs SELECT, EXPLAIN, '
                                     "CREATE TABLE, DROP TABLE, TRUNCATE, INSERT and COPY.")
        self.accept_op(";")
        return stmt

    def create(self) -> CreateTable:
        self.expect("CREATE")
        self.accept("TEMP", "TEMPORARY")
        self.expect("TABLE")
        if_not_exists = False
        if self.accept("IF"):
            self.expect("NOT")
            self.expect("EXISTS")
            if_not_exists = True
        name = self.ident("a table name")
        self.expect_op("(")
        cols: list[ColumnDef] = []
        while True:
            cname = self.ident("a column name")
            tname = self.expect_type_name()
            args: list[int] = []
            if self.accept_op("("):
                args.append(self.integer("a length or precision"))
                while self.accept_op(","):
                    args.append(self.integer("a scale"))
                self.expect_op(")")
            col = ColumnDef(cname, ColumnType.parse(tname, tuple(args)))
            while True:
                if self.accept("NOT"):
                    self.expect("NULL")
                    col.not_null = True
                elif self.accept("NULL"):
                    pass
                elif self.accept("DISTKEY"):
                    col.distkey = True
                elif self.accept("SORTKEY"):
                    col.sortkey = True
                elif self.accept("PRIMARY"):
                    self.expect("KEY")    # informational only in Redshift
                elif self.accept("ENCODE"):
                    self.ident("an encoding")
                else:
                    break
            cols.append(col)
            if not self.accept_op(","):
                break
        self.expect_op(")")
        stmt = CreateTable(name, cols, if_not_exists=if_not_exists)
        while self.tok.kind != "eof" and not self.at_op(";"):
            if self.accept("DISTSTYLE"):
                word = self.expect("EVEN", "KEY", "ALL", "AUTO").word
                stmt.diststyle = DistStyle[word]
            elif self.accept("DISTKEY"):
                self.expect_op("(")
                stmt.distkey = self.ident("a column name")
                self.expect_op(")")
            elif self.at("COMPOUND", "SORTKEY", "INTERLEAVED"):
                if self.accept("INTERLEAVED"):
                    raise sql_error("0A000", "INTERLEAVED sort keys are not modelled by awskit; use a compound "
                                             "SORTKEY (AWS recommends compound keys for most workloads).")
                self.accept("COMPOUND")
                self.expect("SORTKEY")
                if self.accept("AUTO"):
                    continue
                self.expect_op("(")
                keys = [self.ident("a column name")]
                while self.accept_op(","):
                    keys.append(self.ident("a column name"))
                self.expect_op(")")
                stmt.sortkey = tuple(keys)
            else:
                self.error("expected DISTSTYLE, DISTKEY(...) or SORTKEY(...)")
        return stmt

    def expect_type_name(self) -> str:
        t = self.tok
        if t.kind != "id":
            self.error("expected a column type")
        self.next()
        word = t.word
        if word == "DOUBLE" and self.accept("PRECISION"):
            return "DOUBLE PRECISION"
        if word == "CHARACTER" and self.accept("VARYING"):
            return "CHARACTER VARYING"
        if word == "TIMESTAMP" and self.accept("WITHOUT"):
            self.expect("TIME")
            self.expect("ZONE")
        return word

    def insert(self) -> Insert:
        self.expect("INSERT")
        self.expect("INTO")
        name = self.ident("a table name")
        cols = None
        if self.at_op("(") and self.peek().word != "SELECT":
            self.next()
            cols = [self.ident("a column name")]
            while self.accept_op(","):
                cols.append(self.ident("a column name"))
            self.expect_op(")")
        if self.at("SELECT"):
            return Insert(name, cols, select=self.select())
        self.expect("VALUES")
        rows = []
        while True:
            self.expect_op("(")
            row = [self.expr()]
            while self.accept_op(","):
                row.append(self.expr())
            self.expect_op(")")
            rows.append(row)
            if not self.accept_op(","):
                break
        return Insert(name, cols, rows=rows)

    def copy(self) -> Copy:
        self.expect("COPY")
        name = self.ident("a table name")
        cols = None
        if self.accept_op("("):
            cols = [self.ident("a column name")]
            while self.accept_op(","):
                cols.append(self.ident("a column name"))
            self.expect_op(")")
        self.expect("FROM")
        source = self.string("the S3 location in quotes, e.g. 's3://bucket/prefix'")
        opts: dict[str, Any] = {}
        while self.tok.kind != "eof" and not self.at_op(";"):
            word = self.next().word
            if word == "IAM_ROLE":
                opts["iam_role"] = "default" if self.accept("DEFAULT") else self.string("a role ARN")
            elif word == "CREDENTIALS":
                opts["credentials"] = self.string()
            elif word == "FORMAT":
                self.accept("AS")
                fmt = self.expect("CSV", "JSON", "PARQUET", "AVRO", "ORC").word
                opts["format"] = fmt
            elif word == "CSV":
                opts["format"] = "CSV"
            elif word == "IGNOREHEADER":
                self.accept("AS")
                opts["ignoreheader"] = self.integer()
            elif word == "DELIMITER":
                self.accept("AS")
                opts["delimiter"] = self.string("a delimiter in quotes")
            elif word == "MAXERROR":
                self.accept("AS")
                opts["maxerror"] = self.integer()
            elif word == "REGION":
                self.accept("AS")
                opts["region"] = self.string("a region in quotes")
            elif word in ("EMPTYASNULL", "BLANKSASNULL", "TRIMBLANKS", "ACCEPTINVCHARS", "TRUNCATECOLUMNS"):
                opts[word.lower()] = True
            elif word == "QUOTE":
                self.accept("AS")
                opts["quote"] = self.string()
            elif word == "DATEFORMAT":
                self.accept("AS")
                opts["dateformat"] = self.string()
            else:
                self.i -= 1
                self.error("COPY options awskit knows: IAM_ROLE, FORMAT [AS] CSV, CSV, IGNOREHEADER n, "
                           "DELIMITER 'c', MAXERROR n, REGION 'r', EMPTYASNULL, BLANKSASNULL, TRUNCATECOLUMNS")
        return Copy(name, cols, source, opts)

    def select(self) -> Select:
        self.expect("SELECT")
        distinct = self.accept("DISTINCT")
        if not distinct:
            self.accept("ALL")
        items = [self.select_item()]
        while self.accept_op(","):
            items.append(self.select_item())
        sel = Select(items, distinct=distinct)
        if self.accept("FROM"):
            sel.from_ = self.table_ref()
            if self.at_op(","):
                raise sql_error("0A000", "Comma joins are not modelled: write FROM a JOIN b ON a.x = b.y.")
            if self.at("JOIN", "INNER"):
                self.accept("INNER")
                self.expect("JOIN")
                ref = self.table_ref()
                self.expect("ON")
                sel.join = Join(ref, self.expr())
            elif self.at("LEFT", "RIGHT", "FULL", "CROSS"):
                raise sql_error("0A000", f"{self.tok.value.upper()} joins are not modelled by awskit; use "
                                         "[INNER] JOIN ... ON with equality conditions.")
            if self.at("JOIN", "INNER"):
                raise sql_error("0A000", "awskit's engine joins two tables at most.")
        if self.accept("WHERE"):
            sel.where = self.expr()
        if self.accept("GROUP"):
            self.expect("BY")
            g = [self.expr()]
            while self.accept_op(","):
                g.append(self.expr())
            sel.group_by = tuple(g)
        if self.accept("HAVING"):
            sel.having = self.expr()
        if self.accept("ORDER"):
            self.expect("BY")
            while True:
                e = self.expr()
                desc = bool(self.accept("DESC"))
                if not desc:
                    self.accept("ASC")
                sel.order_by.append((e, desc))
                if not self.accept_op(","):
                    break
        if self.accept("LIMIT"):
            sel.limit = None if self.accept("ALL") else self.integer("a row count")
        return sel

    def select_item(self):
        if self.at_op("*"):
            self.next()
            return (Star(), None)
        if self.tok.kind in ("id", "qid") and self.peek().value == "." and self.peek(2).value == "*":
            table = self.ident()
            self.next()
            self.next()
            return (Star(table), None)
        e = self.expr()
        alias = None
        if self.accept("AS"):
            alias = self.ident("an alias")
        elif (self.tok.kind == "id" and self.tok.word not in _RESERVED) or self.tok.kind == "qid":
            alias = self.ident()
        return (e, alias)

    def table_ref(self) -> TableRef:
        name = self.ident("a table name")
        if self.accept_op("."):           # schema.table: awskit has the one schema, public
            name = self.ident("a table name")
        alias = name
        if self.accept("AS"):
            alias = self.ident("an alias")
        elif (self.tok.kind == "id" and self.tok.word not in _RESERVED) or self.tok.kind == "qid":
            alias = self.ident()
        return TableRef(name, alias)

    # -- expressions ---------------------------------------------------------------
    def expr(self):
        return self.or_()

    def or_(self):
        e = self.and_()
        while self.accept("OR"):
            e = Bin("OR", e, self.and_())
        return e

    def and_(self):
        e = self.not_()
        while self.accept("AND"):
            e = Bin("AND", e, self.not_())
        return e

    def not_(self):
        if self.accept("NOT"):
            return Unary("NOT", self.not_())
        return self.comparison()

    def comparison(self):
        e = self.additive()
        while True:
            if self.at_op("=", "<>", "!=", "<", "<=", ">", ">="):
                op = self.next().value
                e = Bin("<>" if op == "!=" else op, e, self.additive())
            elif self.at("IS"):
                self.next()
                neg = self.accept("NOT")
                self.expect("NULL")
                e = IsNull(e, neg)
            elif self.at("NOT") and self.peek().word in ("BETWEEN", "IN", "LIKE"):
                self.next()
                e = self.postfix(e, negated=True)
            elif self.at("BETWEEN", "IN", "LIKE"):
                e = self.postfix(e, negated=False)
            else:
                return e

    def postfix(self, e, negated: bool):
        word = self.next().word
        if word == "BETWEEN":
            low = self.additive()
            self.expect("AND")
            return Between(e, low, self.additive(), negated)
        if word == "LIKE":
            b = Bin("LIKE", e, self.additive())
            return Unary("NOT", b) if negated else b
        self.expect_op("(")
        items = [self.expr()]
        while self.accept_op(","):
            items.append(self.expr())
        self.expect_op(")")
        return InList(e, tuple(items), negated)

    def additive(self):
        e = self.multiplicative()
        while self.at_op("+", "-", "||"):
            op = self.next().value
            e = Bin(op, e, self.multiplicative())
        return e

    def multiplicative(self):
        e = self.unary()
        while self.at_op("*", "/", "%"):
            op = self.next().value
            e = Bin(op, e, self.unary())
        return e

    def unary(self):
        if self.accept_op("-"):
            inner = self.unary()
            if isinstance(inner, Lit) and isinstance(inner.value, (int, float)) and \
                    not isinstance(inner.value, bool):
                return Lit(-inner.value)
            return Unary("-", inner)
        if self.accept_op("+"):
            return self.unary()
        e = self.primary()
        while self.accept_op("::"):
            e = Cast(e, self.cast_type())
        return e

    def cast_type(self) -> ColumnType:
        name = self.expect_type_name()
        args: list[int] = []
        if self.accept_op("("):
            args.append(self.integer())
            while self.accept_op(","):
                args.append(self.integer())
            self.expect_op(")")
        return ColumnType.parse(name, tuple(args))

    def primary(self):
        t = self.tok
        if t.kind == "num":
            self.next()
            if re.fullmatch(r"\d+", t.value):
                return Lit(int(t.value))
            from decimal import Decimal
            return Lit(Decimal(t.value) if "e" not in t.value.lower() else float(t.value))
        if t.kind == "str":
            return Lit(self.string())
        if t.kind == "op" and t.value == "(":
            self.next()
            e = self.expr()
            self.expect_op(")")
            return e
        if t.word in ("TRUE", "FALSE"):
            self.next()
            return Lit(t.word == "TRUE")
        if t.word == "NULL":
            self.next()
            return Lit(None)
        if t.word in ("DATE", "TIMESTAMP") and self.peek().kind == "str":
            self.next()
            return Cast(Lit(self.string()), ColumnType.parse(t.word))
        if t.word == "CAST":
            self.next()
            self.expect_op("(")
            e = self.expr()
            self.expect("AS")
            ty = self.cast_type()
            self.expect_op(")")
            return Cast(e, ty)
        if t.kind in ("id", "qid"):
            if t.kind == "id" and t.word in _RESERVED:
                self.error("expected an expression")
            name = self.ident()
            if self.at_op("("):
                return self.call(name)
            if self.accept_op("."):
                return Col(name, self.ident("a column name"))
            return Col(None, name)
        self.error("expected an expression")

    def call(self, name: str) -> Func:
        self.expect_op("(")
        fname = name.upper()
        if fname not in AGGREGATES:
            raise sql_error("42883", f"function {name}() does not exist in awskit's engine. Aggregates: "
                                     f"{', '.join(sorted(AGGREGATES))}.")
        if self.accept_op("*"):
            self.expect_op(")")
            if fname != "COUNT":
                raise sql_error("42601", f"{fname}(*) is not valid; only COUNT(*) takes a star.")
            return Func(fname, (), star=True)
        distinct = self.accept("DISTINCT")
        arg = self.expr()
        self.expect_op(")")
        return Func(fname, (arg,), distinct=distinct)


def parse(sql: str):
    """Parse one SQL statement into its syntax tree.

    Raises: SQLError 42601 (syntax error) pointing at the token where parsing stopped.
    """
    p = _Parser(sql)
    if p.tok.kind == "eof":
        raise sql_error("42601", "The statement is empty.")
    stmt = p.statement()
    if p.tok.kind != "eof":
        p.error("one statement at a time (or use parse_script)")
    return stmt


def parse_script(sql: str) -> list:
    """Several statements separated by ``;``."""
    p = _Parser(sql)
    out = []
    while p.tok.kind != "eof":
        if p.accept_op(";"):
            continue
        out.append(p.statement())
    return out


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
