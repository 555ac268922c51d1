"""A DynamoDB table: its key schema, items, indexes, partitions, throughput and stream.

A table is schemaless except for its primary key: a partition (HASH) key, and optionally a
sort (RANGE) key that orders the items sharing a partition key.  Reads and writes name
items by that key; a query reads one partition key's items in sort-key order, a scan reads
everything.  Secondary indexes re-key the same items: a global one (GSI) by any attributes,
a local one (LSI) by the same partition key and another sort key.

The table's behaviour is in base classes by concept: :mod:`.reads` (GetItem, Query, Scan),
:mod:`.writes` (PutItem, UpdateItem, DeleteItem) and :mod:`.throughput` (partitions,
admission, throttling); its secondary indexes are :class:`~.indexes.Index` records.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidParameter, NotFound
from .capacity import TokenBucket
from .indexes import Index
from .partitions import PARTITION_MAX_BYTES, Partition
from .reads import PAGE_BYTES, Page, TableReads  # noqa: F401  (re-exported)
from .storage import Store
from .throughput import BillingMode, TableThroughput
from .types import deserialize_item, key_value, serialize, serialize_item, validate_item
from .writes import TableWrites

__all__ = ["BillingMode", "Index", "Page", "Table", "TableStatus"]


class TableStatus(str, enum.Enum):
    CREATING = "CREATING"
    ACTIVE = "ACTIVE"
    UPDATING = "UPDATING"
    DELETING = "DELETING"

    def __str__(self) -> str:
        return self.value


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


@dataclass(slots=True, kw_only=True, eq=False)
class Table(TableReads, TableWrites, TableThroughput):
    """One DynamoDB table (build it with ``cloud.dynamodb.create_table``).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> t = cloud.dynamodb.create_table("music", partition_key="artist", sort_key="song")
    >>> cloud.clock.advance(10)
    >>> t.put({"artist": "Nina", "song": "Sinnerman", "year": 1965})
    >>> t.get({"artist": "Nina", "song": "Sinnerman"})["year"]
    Decimal('1965')
    """

    name: str
    service: Any = field(repr=False)
    hash_key: tuple[str, str]
    range_key: tuple[str, str] | None = None
    attribute_definitions: dict[str, str] = field(default_factory=dict)
    billing_mode: BillingMode = BillingMode.PAY_PER_REQUEST
    read_capacity: int = 0
    write_capacity: int = 0
    status: TableStatus = TableStatus.CREATING
    created: float = 0.0
    table_id: str = ""
    arn: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    stream_view_type: str | None = None
    stream_label: str | None = None
    stream_records: list[dict] = field(default_factory=list, repr=False)
    ttl_attribute: str | None = None
    partition_max_bytes: int = PARTITION_MAX_BYTES
    store: Store = field(default_factory=Store, repr=False)
    partitions: list[Partition] = field(default_factory=list, repr=False)
    reads: TokenBucket | None = field(default=None, repr=False)
    writes: TokenBucket | None = field(default=None, repr=False)
    #: request units consumed (read, write): on-demand billing and CloudWatch-style totals
    units_consumed: list[float] = field(default_factory=lambda: [0.0, 0.0], repr=False)
    #: request units consumed while on-demand: what the on-demand bill counts
    billable_units: list[float] = field(default_factory=lambda: [0.0, 0.0], repr=False)
    throttled_requests: int = 0
    last_decrease: float | None = None
    _lows: list[int] = field(default_factory=list, repr=False)
    _hot: dict = field(default_factory=dict, repr=False)
    _hot_second: int = -1
    _ttl: Any = field(default=None, repr=False)
    _meters: dict = field(default_factory=dict, repr=False)

    # -- keys -------------------------------------------------------------------------------
    @property
    def key_names(self) -> tuple[str, ...]:
        return (self.hash_key[0],) + ((self.range_key[0],) if self.range_key else ())

    @property
    def stream_arn(self) -> str | None:
        return f"{self.arn}/stream/{self.stream_label}" if self.stream_label else None

    @property
    def item_count(self) -> int:
        return self.store.item_count

    @property
    def size_bytes(self) -> int:
        return self.store.size

    def _key_parts(self, item: dict):
        pk_av = item[self.hash_key[0]]
        sk = key_value(item[self.range_key[0]]) if self.range_key else None
        return key_value(pk_av), pk_av, sk

    def _check_item_keys(self, item: dict) -> None:
        for name, typ in ((self.hash_key,) + ((self.range_key,) if self.range_key else ())):
            av = item.get(name)
            if av is None:
                raise _invalid(f"One or more parameter values were invalid: Missing the key {name} in "
                               f"the item. Every item needs its key attributes: {', '.join(self.key_names)}.")
            if typ not in av:
                raise _invalid(f"One or more parameter values were invalid: Type mismatch for key {name} "
                               f"expected: {typ} actual: {next(iter(av))}")
            self._check_key_value(name, typ, av)

    def _check_key_value(self, name: str, typ: str, av: dict) -> None:
        v = av[typ]
        if typ in ("S", "B") and not v:
            raise _invalid("One or more parameter values are not valid. The AttributeValue for a key "
                           f"attribute cannot contain an empty {'string' if typ == 'S' else 'binary'} "
                           f"value. Key: {name}")
        limit = 2048 if name == self.hash_key[0] else 1024
        size = len(v.encode()) if typ == "S" else len(v) if typ == "B" else 0
        if size > limit:
            raise _invalid(f"One or more parameter values were invalid: Size of hashkey has exceeded the "
                           f"maximum size limit of {limit} bytes" if limit == 2048 else
                           "One or more parameter values were invalid: Aggregated size of all range keys "
                           "has exceeded the size limit of 1024 bytes")

    def _key(self, key: Any, where: str = "Key") -> tuple:
        """Validate a ``Key`` argument: exactly the key attributes, of the declared types."""
        if not isinstance(key, dict):
            raise _invalid(f"{where} must be a dict of the key attributes "
                           f"({', '.join(self.key_names)}), not {type(key).__name__}.")
        if set(key) != set(self.key_names):
            raise _invalid(f"The provided key element does not match the schema: table {self.name!r} "
                           f"has key {list(self.key_names)}, the request gave {sorted(key)}.")
        key = validate_item(key, where)
        for name, typ in ((self.hash_key,) + ((self.range_key,) if self.range_key else ())):
            if typ not in key[name]:
                raise _invalid(f"The provided key element does not match the schema: {name} is "
                               f"{typ}, got {next(iter(key[name]))}.")
            self._check_key_value(name, typ, key[name])
        pk, pk_av, sk = self._key_parts(key)
        return pk, pk_av, sk, key

    def _active(self) -> None:
        if self.status in (TableStatus.CREATING, TableStatus.DELETING):
            raise NotFound("ResourceNotFoundException",
                           f"Requested resource not found: Table {self.name!r} is {self.status.value}. "
                           "Wait until it is ACTIVE (the table_exists waiter, or advance the clock).")

    # -- plain-Python convenience -----------------------------------------------------------
    def put(self, item: dict, **kwargs: Any) -> None:
        """Store an item given as plain Python values (str, int, Decimal, bytes, bool, None,
        list, dict, set); floats are refused as boto3 refuses them."""
        self.put_item(serialize_item(item), **kwargs)

    def get(self, key: dict, consistent: bool = False) -> dict | None:
        """The item with ``key`` (plain values) as plain Python values, or None."""
        item, _ = self.get_item(serialize_item(key), consistent=consistent)
        return None if item is None else deserialize_item(item)

    def delete(self, key: dict) -> None:
        """Delete the item with ``key`` (plain values)."""
        self.delete_item(serialize_item(key))

    def update(self, key: dict, **changes: Any) -> dict:
        """SET the given attributes (plain values) on the item with ``key``; returns the new item."""
        if not changes:
            raise _invalid("update() needs at least one attribute=value to set.")
        names = {f"#a{i}": k for i, k in enumerate(changes)}
        values = {f":v{i}": serialize(v, k) for i, (k, v) in enumerate(changes.items())}
        expr = "SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(changes)))
        item, _ = self.update_item(serialize_item(key), update=expr, names=names, values=values,
                                   return_values="ALL_NEW")
        return deserialize_item(item)

    def items(self) -> list[dict]:
        """All items as plain Python values (no capacity is charged: a teaching peek)."""
        buckets, _ = self.store.order()
        return [deserialize_item(r.item) for b in buckets for _, r in b.ordered()]

    # -- display ------------------------------------------------------------------------------
    def partition_report(self) -> list[dict]:
        """Each partition's hash range, items, bytes and last-minute RCU/WCU (for hot-spot views)."""
        now = self.service.cloud.clock.now
        out = []
        for p in self.partitions:
            r, w = p.recent(now)
            out.append({"partition": p.number, "range": p.key_range, "items": p.item_count,
                        "bytes": p.size_bytes, "recent_rcu": r, "recent_wcu": w})
        return out

    def __repr__(self) -> str:
        rk = f", sort_key={self.range_key}" if self.range_key else ""
        return (f"Table({self.name!r}, partition_key={self.hash_key}{rk}, {self.billing_mode.value}, "
                f"status={self.status.value}, items={self.item_count})")

    def _repr_html_(self) -> str:
        import html
        rows = self.items()[:20]
        cols = list(dict.fromkeys(k for r in rows for k in r))
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(repr(r.get(c, '')))}</td>" for c in cols) + "</tr>"
                       for r in rows)
        more = self.item_count - len(rows)
        tail = f"<p>... ({more} items omitted)</p>" if more > 0 else ""
        return (f"<p><b>{html.escape(self.name)}</b> {self.status.value}, {self.item_count} items, "
                f"{len(self.partitions)} partitions</p><table><tr>{head}</tr>{body}</table>{tail}")
