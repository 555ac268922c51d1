"""A DynamoDB table: its key schema, items, indexes, partitions, throughput and stream.

A table is schemaless except for its primary key: a partition (HASH) key, and optionally a
sort (RANGE) key that orders the items sharing a partition key.  Reads and writes name
items by that key; a query reads one partition key's items in sort-key order, a scan reads
everything.  Secondary indexes re-key the same items: a global one (GSI) by any attributes,
a local one (LSI) by the same partition key and another sort key.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import AWSError, InvalidParameter, NotFound, raise_error
from . import expressions as ex
from .capacity import Consumed, TokenBucket, write_units
from .partitions import (
    HASH_SPACE,
    PARTITION_MAX_BYTES,
    PARTITION_MAX_RCU,
    PARTITION_MAX_WCU,
    Partition,
    key_hash,
)
from .reads import PAGE_BYTES, Page, TableReads  # noqa: F401  (re-exported)
from .storage import Row, Store
from .types import (
    MAX_ITEM_BYTES,
    copy_item,
    deserialize_item,
    item_size,
    key_value,
    serialize,
    serialize_item,
    validate_item,
    validate_value,
    values_equal,
)

__all__ = ["BillingMode", "Index", "Page", "Table", "TableStatus"]


class TableStatus(str, enum.Enum):
    CREATING = "CREATING"
    ACTIVE = "ACTIVE"
    UPDATING = "UPDATING"
    DELETING = "DELETING"

    def __str__(self) -> str:
        return self.value


class BillingMode(str, enum.Enum):
    PROVISIONED = "PROVISIONED"
    PAY_PER_REQUEST = "PAY_PER_REQUEST"

    def __str__(self) -> str:
        return self.value


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


@dataclass(slots=True, kw_only=True, eq=False)
class Index:
    """A secondary index: GSI (own partition key, own throughput) or LSI (table's partition key)."""

    name: str
    kind: str  # "GSI" or "LSI"
    table: Table = field(repr=False)
    hash_key: tuple[str, str]
    range_key: tuple[str, str] | None = None
    projection_type: str = "ALL"
    non_key_attributes: tuple[str, ...] = ()
    read_capacity: int | None = None
    write_capacity: int | None = None
    status: str = "ACTIVE"
    store: Store = field(default_factory=Store, repr=False)
    reads: TokenBucket | None = field(default=None, repr=False)
    writes: TokenBucket | None = field(default=None, repr=False)

    @property
    def arn(self) -> str:
        return f"{self.table.arn}/index/{self.name}"

    def key_of(self, item: dict):
        """(partition comparable, partition value, sort tuple) or None if the item is not indexed."""
        hn, ht = self.hash_key
        pk_av = item.get(hn)
        if pk_av is None:
            return None
        self._check(hn, ht, pk_av)
        sk = None
        if self.range_key:
            rn, rt = self.range_key
            sk_av = item.get(rn)
            if sk_av is None:
                return None
            self._check(rn, rt, sk_av)
            sk = key_value(sk_av)
        t = self.table
        base_pk, _, base_sk = t._key_parts(item)
        return key_value(pk_av), pk_av, (sk, base_pk, base_sk)

    def _check(self, name: str, typ: str, av: dict) -> None:
        if typ not in av:
            actual = next(iter(av))
            raise _invalid(f"One or more parameter values were invalid: Type mismatch for Index Key "
                           f"{name} Expected: {typ} Actual: {actual} IndexName: {self.name}")
        if typ in ("S", "B") and not av[typ]:
            raise _invalid("One or more parameter values are not valid. A value specified for a "
                           "secondary index key is not supported. The AttributeValue for a key "
                           f"attribute cannot contain an empty string value. IndexName: {self.name}, "
                           f"IndexKey: {name}")

    def key_names(self) -> tuple[str, ...]:
        names = [self.hash_key[0]] + ([self.range_key[0]] if self.range_key else [])
        return tuple(dict.fromkeys(names + list(self.table.key_names)))

    def project(self, item: dict) -> dict:
        if self.projection_type == "ALL":
            return item
        keep = set(self.key_names())
        if self.projection_type == "INCLUDE":
            keep.update(self.non_key_attributes)
        return {k: v for k, v in item.items() if k in keep}

    def __repr__(self) -> str:
        rk = f", sort_key={self.range_key}" if self.range_key else ""
        return (f"Index({self.name!r}, {self.kind}, partition_key={self.hash_key}{rk}, "
                f"projection={self.projection_type}, items={self.store.item_count})")


@dataclass(slots=True, kw_only=True, eq=False)
class Table(TableReads):
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

    # -- partitions -------------------------------------------------------------------------
    def _init_partitions(self, count: int) -> None:
        now = self.service.cloud.clock.now
        step = HASH_SPACE // count
        self.partitions = [Partition(number=i, low=i * step, high=HASH_SPACE if i == count - 1 else (i + 1) * step,
                                     created=now) for i in range(count)]
        self._lows = [p.low for p in self.partitions]

    def partition_for(self, key_av: dict) -> Partition:
        """The partition that stores a partition-key value."""
        return self.partitions[bisect_right(self._lows, key_hash(key_av)) - 1]

    def _partition_of(self, h: int) -> Partition:
        return self.partitions[bisect_right(self._lows, h) - 1]

    def _split(self, part: Partition, reason: str) -> None:
        mid = (part.low + part.high) // 2
        if mid == part.low:
            return
        now = self.service.cloud.clock.now
        number = max(p.number for p in self.partitions) + 1
        left = Partition(number=number, low=part.low, high=mid, created=now)
        right = Partition(number=number + 1, low=mid, high=part.high, created=now)
        buckets, hashes = self.store.order()
        for b in buckets[bisect_left(hashes, part.low): bisect_left(hashes, part.high)]:
            side = left if b.h < mid else right
            side.item_count += len(b.rows)
            side.size_bytes += b.size
        i = self.partitions.index(part)
        self.partitions[i: i + 1] = [left, right]
        self._lows = [p.low for p in self.partitions]
        self.service.cloud.events.publish("dynamodb.partition.split", table=self.name,
                                          partition=part.number, into=(left.number, right.number),
                                          reason=reason)

    def _ensure_partitions_for_throughput(self) -> None:
        need = max(1, math.ceil(self.read_capacity / PARTITION_MAX_RCU + self.write_capacity / PARTITION_MAX_WCU))
        while len(self.partitions) < need:
            widest = max(self.partitions, key=lambda p: (p.high - p.low, -p.low))
            self._split(widest, "throughput")

    # -- throughput -------------------------------------------------------------------------
    def _throttle(self, message: str) -> AWSError:
        self.throttled_requests += 1
        return raise_error("ProvisionedThroughputExceededException", message)

    def _hot_check(self, pk: Any, rcu: float, wcu: float, now: float) -> None:
        second = int(now)
        if second != self._hot_second:
            self._hot.clear()
            self._hot_second = second
        slot = self._hot.get(pk)
        if slot is None:
            slot = self._hot[pk] = [0.0, 0.0]
        if slot[0] + rcu > PARTITION_MAX_RCU or slot[1] + wcu > PARTITION_MAX_WCU:
            self.throttled_requests += 1
            raise_error("ProvisionedThroughputExceededException",
                        f"The level of configured provisioned throughput for the table was exceeded: "
                        f"partition key {pk!r} took more than {PARTITION_MAX_RCU} RCU or "
                        f"{PARTITION_MAX_WCU} WCU in one second (a hot key: one partition serves it). "
                        "Spread traffic over more keys, or advance the clock.")
        slot[0] += rcu
        slot[1] += wcu

    def _admit_read(self, units: float, pk: Any, index: Index | None = None) -> None:
        now = self.service.cloud.clock.now
        bucket = index.reads if (index is not None and index.kind == "GSI") else self.reads
        if bucket is not None and not bucket.can(units, now):
            self._throttle(f"The level of configured provisioned throughput for the "
                           f"{'index ' + index.name if index is not None and index.kind == 'GSI' else 'table'} "
                           f"was exceeded: {units:g} RCU needed, {bucket.tokens:.1f} available "
                           f"({bucket.rate:g}/s provisioned, 300 s burst). Raise ReadCapacityUnits, "
                           "switch to PAY_PER_REQUEST, or slow down (advance the clock).")
        if pk is not None:
            self._hot_check(pk, units, 0.0, now)
        if bucket is not None:
            bucket.take(units, now)

    def _admit_write(self, units: float, pk: Any, gsi_units: dict[str, float]) -> None:
        now = self.service.cloud.clock.now
        if self.writes is not None and not self.writes.can(units, now):
            self._throttle(f"The level of configured provisioned throughput for the table was exceeded: "
                           f"{units:g} WCU needed, {self.writes.tokens:.1f} available "
                           f"({self.writes.rate:g}/s provisioned, 300 s burst). Raise WriteCapacityUnits, "
                           "switch to PAY_PER_REQUEST, or slow down (advance the clock).")
        for name, u in gsi_units.items():
            b = self.indexes[name].writes
            if b is not None and not b.can(u, now):
                self._throttle(f"The level of configured provisioned throughput for one or more global "
                               f"secondary indexes of the table was exceeded: index {name} needs {u:g} WCU, "
                               f"{b.tokens:.1f} available. A GSI with too little write capacity throttles "
                               "writes to its table.")
        self._hot_check(pk, 0.0, units, now)
        if self.writes is not None:
            self.writes.take(units, now)
        for name, u in gsi_units.items():
            b = self.indexes[name].writes
            if b is not None:
                b.take(u, now)

    def _count(self, rcu: float, wcu: float) -> None:
        self.units_consumed[0] += rcu
        self.units_consumed[1] += wcu
        if self.billing_mode is BillingMode.PAY_PER_REQUEST:
            self.billable_units[0] += rcu
            self.billable_units[1] += wcu

    def _record(self, h: int, rcu: float, wcu: float) -> None:
        now = self.service.cloud.clock.now
        part = self._partition_of(h)
        slot = part.record(int(now), rcu, wcu)
        self._count(rcu, wcu)
        if (slot[0] > PARTITION_MAX_RCU or slot[1] > PARTITION_MAX_WCU) and part.item_count > 1:
            self._split(part, "heat")

    def _record_scan(self, touched: list, units: float) -> None:
        """Charge a scan's read units to the partitions it read, in proportion to the bytes
        of each item collection (a scan reads every partition; a query only one)."""
        total = sum(b.size for b in touched)
        if total:
            second = int(self.service.cloud.clock.now)
            share: dict[int, list] = {}
            for b in touched:
                part = self._partition_of(b.h)
                slot = share.setdefault(part.number, [part, 0])
                slot[1] += b.size
            for part, size in share.values():
                part.record(second, units * size / total, 0.0)
        self._count(units, 0.0)

    # -- writes -----------------------------------------------------------------------------
    def _prep(self, names, values, *parsed) -> tuple:
        if names is not None:
            if not isinstance(names, dict) or not names:
                raise _invalid("ExpressionAttributeNames must not be empty")
            if not any(parsed):
                raise _invalid("ExpressionAttributeNames can only be specified when using expressions")
        if values is not None:
            if not isinstance(values, dict) or not values:
                raise _invalid("ExpressionAttributeValues must not be empty")
            if not any(parsed):
                raise _invalid("ExpressionAttributeValues can only be specified when using expressions")
            values = {k: validate_value(v, f"ExpressionAttributeValues.{k}") for k, v in values.items()}
        if any(parsed):
            ex.check_refs([p for p in parsed if p is not None], names, values)
        return names or {}, values or {}

    def _write(self, pk, pk_av, sk, old: Row | None, new_item: dict | None, *, condition, ctx,
               consumed: Consumed, factor: int = 1, system: bool = False) -> Row | None:
        """Admit, check the condition, store and announce one write (new_item None deletes)."""
        new_size = item_size(new_item) if new_item is not None else 0
        if new_size > MAX_ITEM_BYTES:
            raise _invalid(f"Item size has exceeded the maximum allowed size ({new_size} bytes > "
                           f"{MAX_ITEM_BYTES} bytes = 400 KB). Store large data in S3 and keep a pointer.")
        old_item = old.item if old is not None else None
        units = write_units(max(new_size, old.size if old is not None else 0)) * factor
        gsi_units: dict[str, float] = {}
        changes = []
        for idx in self.indexes.values():
            ok = idx.key_of(old_item) if old_item is not None else None
            nk = idx.key_of(new_item) if new_item is not None else None
            if ok is None and nk is None:
                continue
            changes.append((idx, ok, nk))
            old_u = write_units(item_size(idx.project(old_item))) if ok is not None else 0
            new_u = write_units(item_size(idx.project(new_item))) if nk is not None else 0
            # an index entry that keeps its key is rewritten once; a moved one is a delete plus a put
            u = max(old_u, new_u) if ok is not None and ok == nk else old_u + new_u
            if idx.kind == "GSI":
                gsi_units[idx.name] = u * factor
            consumed.add_index(idx.name, idx.kind, write=u * factor)
        h = key_hash(pk_av)
        if not system:  # TTL deletions are free and unthrottled
            self._admit_write(units, pk, gsi_units)
            consumed.write += units
            self._record(h, 0.0, units + sum(v for (k, _r, v) in consumed.indexes.values() if k == "LSI"))
        if condition is not None and not condition.ev(old_item or {}, ctx):
            raise_error("ConditionalCheckFailedException", "The conditional request failed",
                        **({"Item": copy_item(old_item)} if old_item is not None and ctx[2] else {}))
        for idx, ok, nk in changes:
            if ok is not None:
                idx.store.delete(ok[0], ok[2])
            if nk is not None:
                idx.store.put(nk[0], nk[1], nk[2], Row(new_item, new_size))
        part = self._partition_of(h)
        if new_item is None:
            removed = self.store.delete(pk, sk)
            if removed is not None:
                part.item_count -= 1
                part.size_bytes -= removed.size
        else:
            row = Row(new_item, new_size)
            prev = self.store.put(pk, pk_av, sk, row, h)
            if prev is None:
                part.item_count += 1
                part.size_bytes += new_size
            else:
                part.size_bytes += new_size - prev.size
            if part.size_bytes > self.partition_max_bytes and part.item_count > 1:
                self._split(part, "size")
            if self._ttl is not None:
                self._ttl.track(pk, sk, new_item)
        self.service._storage_changed(self)
        if self.stream_view_type is not None:
            self.service._stream(self, old_item, new_item, ttl=system)
        return old

    def put_item(self, item: dict, *, condition: str | None = None, names: dict | None = None,
                 values: dict | None = None, return_values: str = "NONE",
                 return_item_on_failure: bool = False, factor: int = 1) -> tuple[dict | None, Consumed]:
        """Store a typed item, replacing any item with the same key.

        Returns ``(attributes, consumed)`` where attributes is the old item when
        ``return_values="ALL_OLD"``.

        Raises:
            ValidationException, ConditionalCheckFailedException,
            ProvisionedThroughputExceededException, ResourceNotFoundException.
        """
        self._active()
        if return_values not in ("NONE", "ALL_OLD"):
            raise _invalid(f"ReturnValues can only be ALL_OLD or NONE for PutItem, not {return_values!r}.")
        item = validate_item(item)
        self._check_item_keys(item)
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        names, values = self._prep(names, values, cond)
        pk, pk_av, sk = self._key_parts(item)
        consumed = Consumed(self.name)
        old = self._write(pk, pk_av, sk, self.store.get(pk, sk), item, condition=cond,
                          ctx=(names, values, return_item_on_failure), consumed=consumed, factor=factor)
        out = copy_item(old.item) if (old is not None and return_values == "ALL_OLD") else None
        return out, consumed

    def delete_item(self, key: dict, *, condition: str | None = None, names: dict | None = None,
                    values: dict | None = None, return_values: str = "NONE",
                    return_item_on_failure: bool = False, factor: int = 1) -> tuple[dict | None, Consumed]:
        """Delete the item with ``key`` (a no-op if there is none, unless a condition fails)."""
        self._active()
        if return_values not in ("NONE", "ALL_OLD"):
            raise _invalid(f"ReturnValues can only be ALL_OLD or NONE for DeleteItem, not {return_values!r}.")
        pk, pk_av, sk, _ = self._key(key)
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        names, values = self._prep(names, values, cond)
        consumed = Consumed(self.name)
        old = self.store.get(pk, sk)
        self._write(pk, pk_av, sk, old, None, condition=cond,
                    ctx=(names, values, return_item_on_failure), consumed=consumed, factor=factor)
        out = copy_item(old.item) if (old is not None and return_values == "ALL_OLD") else None
        return out, consumed

    def update_item(self, key: dict, *, update: str | None = None, condition: str | None = None,
                    names: dict | None = None, values: dict | None = None, return_values: str = "NONE",
                    return_item_on_failure: bool = False, factor: int = 1) -> tuple[dict | None, Consumed]:
        """Change (or create) the item with ``key`` using an UpdateExpression.

        ``return_values`` is NONE, ALL_OLD, UPDATED_OLD, ALL_NEW or UPDATED_NEW.
        """
        self._active()
        if return_values not in ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"):
            raise _invalid(f"ReturnValues {return_values!r} is not valid; choose NONE, ALL_OLD, "
                           "UPDATED_OLD, ALL_NEW or UPDATED_NEW.")
        pk, pk_av, sk, key = self._key(key)
        upd = ex.parse_update(update) if update is not None else None
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        names, values = self._prep(names, values, upd, cond)
        old = self.store.get(pk, sk)
        base = old.item if old is not None else key
        new = ex.apply_update(upd, base, names, values, self.key_names) if upd is not None else dict(base)
        consumed = Consumed(self.name)
        self._write(pk, pk_av, sk, old, new, condition=cond,
                    ctx=(names, values, return_item_on_failure), consumed=consumed, factor=factor)
        old_item = old.item if old is not None else {}
        if return_values == "NONE":
            return None, consumed
        if return_values == "ALL_OLD":
            return (copy_item(old_item) if old is not None else None), consumed
        if return_values == "ALL_NEW":
            return copy_item(new), consumed
        touched = {p.resolve(names)[0] for p in (upd.node.paths() if upd is not None else [])}
        src = old_item if return_values == "UPDATED_OLD" else new
        other = new if return_values == "UPDATED_OLD" else old_item
        changed = {k: src[k] for k in touched if k in src and not values_equal(src.get(k), other.get(k))}
        return (copy_item(changed) if changed else None), consumed

    def condition_holds(self, key: dict, condition: str | None, names: dict | None, values: dict | None,
                        update: str | None = None) -> tuple[bool, dict | None]:
        """Whether a (transaction's) condition holds on the current item; writes nothing."""
        self._active()
        pk, _, sk, _ = self._key(key)
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        upd = ex.parse_update(update) if update is not None else None
        names, values = self._prep(names, values, cond, upd)
        row = self.store.get(pk, sk)
        item = row.item if row is not None else {}
        ok = cond is None or cond.ev(item, (names, values))
        return ok, (copy_item(row.item) if row is not None else None)

    def check_cost(self, key: dict) -> Consumed:
        """What a transaction's ConditionCheck consumes: a write unit, doubled."""
        pk, pk_av, _, _ = self._key(key)
        self._admit_write(2, pk, {})
        self._record(key_hash(pk_av), 0.0, 2)
        return Consumed(self.name, write=2)

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
