"""Redshift tables: column types, and how rows are spread over the slices of a cluster.

Every row of a table lives on one slice (or, for DISTSTYLE ALL, on every node).  The
*distribution style* decides where:

* ``KEY`` (``DISTKEY(col)``): a hash of the column's value picks the slice, so equal
  values always land together and two tables distributed on their join columns join
  without moving data.  A key with few distinct values piles rows on a few slices (skew).
* ``EVEN``: rows are dealt round-robin, one slice after another: perfectly balanced, but
  a join must move data.
* ``ALL``: a full copy on the first slice of every node: small dimension tables that
  every node needs in a join, paid for in storage and slower loads.
* ``AUTO`` (the default): Redshift picks and changes the style as the table grows.
  awskit's rule: AUTO(ALL) while the table holds at most :data:`AUTO_ALL_MAX_ROWS` rows,
  then AUTO(EVEN) from the load that crosses it (AWS may also choose AUTO(KEY) from the
  joins it observes; that advice loop is not modelled).

A compound ``SORTKEY`` keeps each slice's rows ordered by those columns, so the min/max
*zone map* of each block lets a range filter on the leading column skip whole blocks.
awskit keeps slices sorted after every load (as if automatic VACUUM SORT had run at once)
and, to make blocks visible on classroom-sized data, models a 1 MB block as
:data:`ROWS_PER_BLOCK` rows.
"""

from __future__ import annotations

import datetime as _dt
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ..core.errors import InvalidParameter

__all__ = [
    "AUTO_ALL_MAX_ROWS",
    "ROWS_PER_BLOCK",
    "Column",
    "ColumnType",
    "DistStyle",
    "SQLError",
    "Table",
    "Topology",
    "stable_hash",
]

#: Rows per modelled 1 MB block (real blocks hold many more; scaled down to teach).
ROWS_PER_BLOCK = 100
#: An AUTO table stays AUTO(ALL) up to this many rows (awskit's documented rule).
AUTO_ALL_MAX_ROWS = 1_000


class SQLError(InvalidParameter):
    """An error the database reports for a SQL statement; ``code`` is the SQLSTATE.

    Codes used: 42601 syntax error, 42P01 undefined table, 42P07 duplicate table,
    42703 undefined column, 42702 ambiguous column, 42803 grouping error, 42804 datatype
    mismatch, 22P02 invalid text representation, 22001 value too long, 22003 numeric out
    of range, 22012 division by zero, 23502 not-null violation, 0A000 not supported,
    XX000 load failed (see ``stl_load_errors``).
    """

    @property
    def sqlstate(self) -> str:
        return self.code


def sql_error(code: str, message: str) -> SQLError:
    return SQLError(code, message)


@dataclass(frozen=True, slots=True)
class Topology:
    """How many nodes and slices a table is spread over."""

    nodes: int
    slices_per_node: int

    @property
    def slices(self) -> int:
        return self.nodes * self.slices_per_node

    def node_of(self, slice_: int) -> int:
        return slice_ // self.slices_per_node

    def first_slices(self) -> list[int]:
        """The first slice of every node: where a DISTSTYLE ALL table keeps its copies."""
        return [n * self.slices_per_node for n in range(self.nodes)]


# ---------------------------------------------------------------------------------- types
_INT_RANGES = {"SMALLINT": (2, 15), "INTEGER": (4, 31), "BIGINT": (8, 63)}
_TYPE_ALIASES = {
    "INT2": "SMALLINT", "SMALLINT": "SMALLINT", "INT": "INTEGER", "INT4": "INTEGER", "INTEGER": "INTEGER",
    "INT8": "BIGINT", "BIGINT": "BIGINT", "DECIMAL": "DECIMAL", "NUMERIC": "DECIMAL",
    "REAL": "REAL", "FLOAT4": "REAL", "FLOAT": "DOUBLE PRECISION", "FLOAT8": "DOUBLE PRECISION",
    "DOUBLE PRECISION": "DOUBLE PRECISION", "VARCHAR": "VARCHAR", "CHARACTER VARYING": "VARCHAR",
    "TEXT": "VARCHAR", "NVARCHAR": "VARCHAR", "CHAR": "CHAR", "CHARACTER": "CHAR", "NCHAR": "CHAR",
    "BPCHAR": "CHAR", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP", "BOOLEAN": "BOOLEAN", "BOOL": "BOOLEAN",
}
TYPE_NAMES = sorted(set(_TYPE_ALIASES))


@dataclass(frozen=True, slots=True)
class ColumnType:
    """A Redshift column type such as ``INTEGER``, ``DECIMAL(10,2)`` or ``VARCHAR(64)``."""

    name: str
    length: int | None = None      #: VARCHAR/CHAR length in bytes
    precision: int | None = None   #: DECIMAL
    scale: int | None = None

    @classmethod
    def parse(cls, name: str, args: tuple[int, ...] = ()) -> ColumnType:
        canon = _TYPE_ALIASES.get(name.upper())
        if canon is None:
            raise sql_error("42704", f'type "{name.lower()}" does not exist. Types: {", ".join(TYPE_NAMES)}.')
        if canon == "DECIMAL":
            p = args[0] if args else 18
            s = args[1] if len(args) > 1 else 0
            if not 1 <= p <= 38 or not 0 <= s <= p:
                raise sql_error("22023", f"DECIMAL({p},{s}): precision is 1-38 and scale 0-precision.")
            return cls(canon, precision=p, scale=s)
        if canon in ("VARCHAR", "CHAR"):
            default = 256 if canon == "VARCHAR" else 1
            n = args[0] if args else default
            limit = 65535 if canon == "VARCHAR" else 4096
            if not 1 <= n <= limit:
                raise sql_error("22023", f"{canon}({n}): the length is 1-{limit} bytes.")
            return cls(canon, length=n)
        if args:
            raise sql_error("42601", f"Type {canon} takes no length or precision, got {args}.")
        return cls(canon)

    @property
    def width(self) -> int:
        """Bytes a value takes (the declared maximum for strings)."""
        if self.name in _INT_RANGES:
            return _INT_RANGES[self.name][0]
        return {"DECIMAL": 8 if (self.precision or 0) <= 19 else 16, "REAL": 4, "DOUBLE PRECISION": 8,
                "DATE": 4, "TIMESTAMP": 8, "BOOLEAN": 1}.get(self.name, self.length or 0)

    def coerce(self, value: Any, column: str = "?") -> Any:
        """``value`` as this type stores it (text from CSV or SQL literals is parsed).

        Raises: SQLError 22P02 (not a value of this type), 22001 (too long), 22003 (out of range).
        """
        if value is None:
            return None
        n = self.name
        try:
            if n in _INT_RANGES:
                if isinstance(value, bool):
                    raise ValueError
                if isinstance(value, str):
                    value = int(value.strip())
                elif isinstance(value, (float, Decimal)):
                    if value != int(value):
                        raise ValueError
                    value = int(value)
                elif not isinstance(value, int):
                    raise ValueError
                bits = _INT_RANGES[n][1]
                if not -(2 ** bits) <= value < 2 ** bits:
                    raise sql_error("22003", f"Value {value} is out of range for {n} column {column!r}.")
                return value
            if n == "DECIMAL":
                if isinstance(value, bool):
                    raise ValueError
                d = Decimal(value.strip() if isinstance(value, str) else str(value))
                if not d.is_finite():
                    raise ValueError
                d = d.quantize(Decimal(1).scaleb(-self.scale))
                if len(d.as_tuple().digits) - max(0, -d.as_tuple().exponent) > self.precision - self.scale \
                        and d != 0:
                    raise sql_error("22003", f"Value {value} overflows DECIMAL({self.precision},{self.scale}) "
                                             f"column {column!r}.")
                return d
            if n in ("REAL", "DOUBLE PRECISION"):
                if isinstance(value, bool):
                    raise ValueError
                return float(value.strip() if isinstance(value, str) else value)
            if n in ("VARCHAR", "CHAR"):
                s = value if isinstance(value, str) else str(value)
                if n == "CHAR":
                    s = s.rstrip(" ")   # trailing blanks are not significant in CHAR
                if len(s.encode()) > self.length:
                    raise sql_error("22001", f"Value too long for {n}({self.length}) column {column!r}: "
                                             f"{len(s.encode())} bytes ({s[:30]!r}).")
                return s
            if n == "DATE":
                if isinstance(value, _dt.datetime):
                    return value.date()
                if isinstance(value, _dt.date):
                    return value
                return _dt.date.fromisoformat(str(value).strip())
            if n == "TIMESTAMP":
                if isinstance(value, _dt.datetime):
                    return value
                if isinstance(value, _dt.date):
                    return _dt.datetime(value.year, value.month, value.day)
                return _dt.datetime.fromisoformat(str(value).strip())
            if n == "BOOLEAN":
                if isinstance(value, bool):
                    return value
                if isinstance(value, int) and value in (0, 1):
                    return bool(value)
                word = str(value).strip().lower()
                if word in ("t", "true", "1", "y", "yes"):
                    return True
                if word in ("f", "false", "0", "n", "no"):
                    return False
                raise ValueError
        except SQLError:
            raise
        except (ValueError, TypeError, InvalidOperation, ArithmeticError):
            pass
        raise sql_error("22P02", f"Invalid input for {self} column {column!r}: {value!r}.")

    def value_bytes(self, value: Any) -> int:
        if value is None:
            return 1
        if self.name in ("VARCHAR", "CHAR"):
            return len(value.encode()) + (4 if self.name == "VARCHAR" else 0)
        return self.width

    def __str__(self) -> str:
        if self.name == "DECIMAL":
            return f"DECIMAL({self.precision},{self.scale})"
        if self.length is not None:
            return f"{self.name}({self.length})"
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    name: str
    type: ColumnType
    not_null: bool = False

    def __repr__(self) -> str:
        return f"Column({self.name!r}, {self.type}{' NOT NULL' if self.not_null else ''})"


class DistStyle(Enum):
    AUTO = "AUTO"
    EVEN = "EVEN"
    KEY = "KEY"
    ALL = "ALL"


def stable_hash(value: Any) -> int:
    """A hash that is the same in every run (Python's str hash is salted) and equal for
    equal numbers of different types (5, 5.0 and Decimal('5.00') hash alike)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        text = "t" if value else "f"
    elif isinstance(value, (int, float, Decimal)):
        text = str(int(value)) if value == int(value) else str(Decimal(str(value)).normalize())
    elif isinstance(value, (_dt.date, _dt.datetime)):
        text = value.isoformat()
    else:
        text = str(value)
    return zlib.crc32(text.encode())


def _sort_value(v: Any) -> tuple:
    return (v is None, v if v is not None else 0)


@dataclass(slots=True, kw_only=True, eq=False)
class Table:
    """A table of one cluster: its columns, distribution, sort key, and rows on each slice.

    ``slices[i]`` is the list of row tuples on slice ``i``; for DISTSTYLE ALL only the first
    slice of each node holds (a full copy of) the rows.
    """

    name: str
    columns: list[Column]
    diststyle: DistStyle = DistStyle.AUTO
    distkey: str | None = None
    sortkey: tuple[str, ...] = ()
    topology: Topology
    slices: list[list[tuple]] = field(default_factory=list, repr=False)
    auto_style: DistStyle | None = None     #: what an AUTO table currently is (ALL or EVEN)
    row_count: int = 0
    version: int = 0
    _rr: int = 0
    _zone_cache: dict = field(default_factory=dict, repr=False)
    _index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.slices:
            self.slices = [[] for _ in range(self.topology.slices)]
        if self.diststyle is DistStyle.AUTO and self.auto_style is None:
            self.auto_style = DistStyle.ALL
        self._index = {c.name: i for i, c in enumerate(self.columns)}

    # -- columns ---------------------------------------------------------------
    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column_index(self, name: str) -> int:
        try:
            return self._index[name]
        except KeyError:
            raise sql_error("42703", f'column "{name}" of relation "{self.name}" does not exist. '
                                     f'Columns: {", ".join(self.column_names)}.') from None

    @property
    def style(self) -> DistStyle:
        """The style rows are placed by now (an AUTO table's current choice)."""
        return self.auto_style if self.diststyle is DistStyle.AUTO else self.diststyle

    @property
    def diststyle_label(self) -> str:
        """As ``svv_table_info.diststyle`` prints it: ``KEY(custid)``, ``EVEN``, ``AUTO(ALL)``..."""
        if self.diststyle is DistStyle.AUTO:
            return f"AUTO({self.auto_style.value})"
        if self.diststyle is DistStyle.KEY:
            return f"KEY({self.distkey})"
        return self.diststyle.value

    # -- placing rows --------------------------------------------------------------
    def _place(self, rows: list[tuple], slices: list[list[tuple]]) -> set[int]:
        topo, style, touched = self.topology, self.style, set()
        n = topo.slices
        if style is DistStyle.ALL:
            for s in topo.first_slices():
                slices[s].extend(rows)
                touched.add(s)
        elif style is DistStyle.KEY:
            k = self._index[self.distkey]
            for row in rows:
                s = stable_hash(row[k]) % n
                slices[s].append(row)
                touched.add(s)
        else:  # EVEN: deal the rows round-robin
            rr = self._rr
            for row in rows:
                s = rr % n
                slices[s].append(row)
                touched.add(s)
                rr += 1
            self._rr = rr
        return touched

    def _sort(self, slice_ids) -> None:
        if not self.sortkey:
            return
        idx = [self._index[c] for c in self.sortkey]
        key = (lambda r: tuple(_sort_value(r[i]) for i in idx))
        for s in slice_ids:
            self.slices[s].sort(key=key)

    def insert(self, rows: list[tuple]) -> int:
        """Place already-typed rows on their slices; an AUTO(ALL) table that grows past the
        threshold turns AUTO(EVEN) and is redistributed."""
        if not rows:
            return 0
        self.row_count += len(rows)
        if self.diststyle is DistStyle.AUTO and self.auto_style is DistStyle.ALL \
                and self.row_count > AUTO_ALL_MAX_ROWS:
            existing = self.rows()
            self.auto_style = DistStyle.EVEN
            self.slices = [[] for _ in range(self.topology.slices)]
            self._place(existing + list(rows), self.slices)
            self._sort(range(self.topology.slices))
        else:
            self._sort(self._place(rows, self.slices))
        self.version += 1
        self._zone_cache.clear()
        return len(rows)

    def redistribute(self, topology: Topology) -> None:
        """Spread the rows over a new set of slices (after a resize): same rows, new homes."""
        rows = self.rows()
        self.topology = topology
        self._rr = 0
        self.slices = [[] for _ in range(topology.slices)]
        self._place(rows, self.slices)
        self._sort(range(topology.slices))
        self.version += 1
        self._zone_cache.clear()

    def truncate(self) -> None:
        self.slices = [[] for _ in range(self.topology.slices)]
        self.row_count = 0
        self._rr = 0
        if self.diststyle is DistStyle.AUTO:
            self.auto_style = DistStyle.ALL
        self.version += 1
        self._zone_cache.clear()

    # -- reading -------------------------------------------------------------------
    def rows(self) -> list[tuple]:
        """Every row once (one copy of an ALL table), slice by slice."""
        if self.style is DistStyle.ALL:
            return list(self.slices[0])
        return [r for s in self.slices for r in s]

    def zone_map(self, slice_: int, column: int) -> list[tuple[Any, Any]]:
        """(min, max) of ``column`` in each block of a slice, as Redshift keeps in its zone maps."""
        key = (slice_, column)
        zm = self._zone_cache.get(key)
        if zm is None:
            rows, zm = self.slices[slice_], []
            for start in range(0, len(rows), ROWS_PER_BLOCK):
                vals = [r[column] for r in rows[start:start + ROWS_PER_BLOCK] if r[column] is not None]
                zm.append((min(vals), max(vals)) if vals else (None, None))
            self._zone_cache[key] = zm
        return zm

    def distribution(self) -> list[int]:
        """Rows on each slice: the picture of skew."""
        return [len(s) for s in self.slices]

    @property
    def size_bytes(self) -> int:
        """Bytes the table takes across the cluster (every copy of an ALL table counts)."""
        types = [c.type for c in self.columns]
        return sum(t.value_bytes(v) for s in self.slices for r in s for t, v in zip(types, r))

    def info(self) -> dict[str, Any]:
        """A row of ``svv_table_info``: diststyle, sort key, rows, size and skew."""
        counts = self.distribution()
        used = [c for c in counts if c]
        skew = None
        if self.style is not DistStyle.ALL and used:
            skew = round(max(counts) / max(min(counts), 1), 2)
        return {"table": self.name, "diststyle": self.diststyle_label,
                "sortkey1": self.sortkey[0] if self.sortkey else None,
                "sortkey_num": len(self.sortkey), "tbl_rows": self.row_count,
                "size_mb": round(self.size_bytes / 1_048_576, 3), "skew_rows": skew,
                "slices_used": len(used), "slices": len(counts)}

    def __repr__(self) -> str:
        sort = f", sortkey={list(self.sortkey)}" if self.sortkey else ""
        return f"Table({self.name!r}, {self.diststyle_label}{sort}, rows={self.row_count})"
