"""The expression half of the Redshift SQL parser: a token cursor, SELECT and expressions.

:class:`_TokenCursor` walks the tokens of one statement (accept, expect, names, strings,
numbers) and reports a syntax error at the token where it stopped.  :class:`_SelectParser`
adds SELECT (one INNER JOIN, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, DISTINCT) and the
expression grammar, by precedence: OR, AND, NOT, comparisons (with IS NULL, BETWEEN, IN and
LIKE), + - ||, * / %, unary minus and ``::`` casts, then literals, columns and aggregates.
The statements around them (CREATE TABLE, INSERT, COPY...) are parsed in :mod:`.sql`.

>>> _SelectParser("qty * 2 > 10").expr()
Bin(op='>', left=Bin(op='*', left=Col(table=None, name='qty'), right=Lit(value=2)), right=Lit(value=10))
"""

from __future__ import annotations

import re

from .sql_syntax import (
    _RESERVED,
    AGGREGATES,
    Between,
    Bin,
    Cast,
    Col,
    Func,
    InList,
    IsNull,
    Join,
    Lit,
    Select,
    Star,
    TableRef,
    Token,
    Unary,
    tokenize,
)
from .tables import ColumnType, sql_error

__all__: list[str] = []


class _TokenCursor:
    """The tokens of one statement and the position of the parser in them."""

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


class _SelectParser(_TokenCursor):
    """SELECT statements and the expressions inside them (and inside INSERT ... VALUES)."""

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
