"""The SQL that awskit's Redshift understands: a recursive-descent parser, one statement at a time.

Statements: CREATE TABLE (with DISTSTYLE / DISTKEY / SORTKEY), DROP TABLE, TRUNCATE,
INSERT INTO ... VALUES | SELECT, COPY ... FROM 's3://...', SELECT (one INNER JOIN, WHERE,
GROUP BY, HAVING, ORDER BY, LIMIT, DISTINCT, the aggregates COUNT/SUM/AVG/MIN/MAX) and
EXPLAIN SELECT.  Unquoted identifiers fold to lower case, as in Redshift.  This module
parses the statements; the tokenizer and the syntax tree are in :mod:`.sql_syntax`, SELECT
and expressions in :mod:`.sql_select` (their names are importable from here too).

>>> parse("SELECT region, SUM(qty) AS total FROM sales GROUP BY region").group_by
(Col(table=None, name='region'),)
"""

from __future__ import annotations

from typing import Any

from .sql_select import _SelectParser
from .sql_syntax import (  # noqa: F401  (the syntax tree is re-exported: the engine imports it from here)
    AGGREGATES,
    Between,
    Bin,
    Cast,
    Col,
    ColumnDef,
    Copy,
    CreateTable,
    DropTable,
    Explain,
    Func,
    InList,
    Insert,
    IsNull,
    Join,
    Lit,
    Select,
    Star,
    TableRef,
    Token,
    Truncate,
    Unary,
    sql_text,
    tokenize,
)
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


class _Parser(_SelectParser):
    """A whole statement: SELECT, EXPLAIN, CREATE TABLE, DROP TABLE, TRUNCATE, INSERT, COPY."""

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
