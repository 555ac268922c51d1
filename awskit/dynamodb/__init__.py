"""Amazon DynamoDB: a key-value and document database run entirely by AWS.

You create a table by naming its primary key and how you pay for throughput (provisioned
read/write capacity units, or on-demand per request); DynamoDB spreads the items over
partitions by a hash of the partition key, so a lookup or query by key stays fast however
big the table grows, while a scan that looks at every item grows with it.  Items are
schemaless documents of typed attributes, changed through small expression languages.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> users = cloud.dynamodb.create_table("users", partition_key="id")
>>> users.status.value
'CREATING'
>>> cloud.clock.advance(seconds=10); users.status.value
'ACTIVE'
>>> users.put({"id": "ada", "langs": {"python", "c"}, "age": 36})
>>> sorted(users.get({"id": "ada"})["langs"])
['c', 'python']
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from ..core.errors import InvalidParameter, LimitExceeded, NotFound, raise_error
from .capacity import PRICES, Consumed, TokenBucket
from .partitions import PARTITION_MAX_RCU, PARTITION_MAX_WCU
from .streams import VIEW_TYPES, TimeToLive, stream_record
from .table import BillingMode, Index, Page, Table, TableStatus
from .types import deserialize, deserialize_item, serialize, serialize_item

__all__ = [
    "CREATE_SECONDS",
    "BillingMode",
    "DynamoDBService",
    "Index",
    "Page",
    "Table",
    "TableStatus",
    "deserialize",
    "deserialize_item",
    "serialize",
    "serialize_item",
]

#: Simulated seconds a table (or its indexes) takes to become ACTIVE, or to finish deleting
#: or updating; AWS takes seconds to a few minutes.
CREATE_SECONDS = 5
DELETE_SECONDS = 5
UPDATE_SECONDS = 5
MAX_GSIS = 20
MAX_LSIS = 5
#: On-demand tables start with room for about 4,000 WCU / 12,000 RCU: four partitions.
ON_DEMAND_INITIAL_PARTITIONS = 4

_NAME = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")
_GB = 1024**3


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


def check_table_name(name: Any, what: str = "tableName") -> str:
    """Table and index names: 3-255 characters of letters, digits, '_', '-' and '.'."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise _invalid(f"1 validation error detected: Value {name!r} at '{what}' failed to satisfy "
                       "constraint: Member must have length between 3 and 255 and satisfy regular "
                       "expression pattern: [a-zA-Z0-9_.-]+")
    return name


def _key_spec(spec: Any, role: str) -> tuple[str, str]:
    if isinstance(spec, str):
        spec = (spec, "S")
    if not (isinstance(spec, (tuple, list)) and len(spec) == 2 and all(isinstance(x, str) for x in spec)):
        raise _invalid(f"{role} is a name, or a (name, type) pair such as ('id', 'S'), not {spec!r}.")
    name, typ = spec
    if typ not in ("S", "N", "B"):
        raise _invalid(f"Member must satisfy enum value set: [B, N, S]: key attribute {name!r} cannot "
                       f"have type {typ!r}; keys are S (string), N (number) or B (binary).")
    if not name or len(name.encode()) > 255:
        raise _invalid(f"{role} name must be 1-255 bytes, not {name!r}.")
    return name, typ


class _StorageMeter:
    """Storage GB-months, integrated over simulated time as the table's size changes."""

    def __init__(self, table: Table, now: float) -> None:
        self.service, self.resource, self.usage = "dynamodb", table.name, "storage GB-month"
        self.byte_seconds = 0.0
        self.bytes = 0
        self.since = now
        self.end: float | None = None

    #: like :class:`~awskit.core.pricing.Meter`: ``rate`` dollars per ``per`` seconds (a 730-hour month)
    per = 730 * 3600.0

    @property
    def rate(self) -> float:
        """The monthly cost of the table's current size."""
        return self.bytes / _GB * PRICES["storage_gb_month"]

    def update(self, size: int, now: float) -> None:
        self.byte_seconds += self.bytes * (now - self.since)
        self.bytes, self.since = size, now

    def cost(self, now: float) -> float:
        stop = now if self.end is None else min(now, self.end)
        total = self.byte_seconds + self.bytes * max(0.0, stop - self.since)
        return total / _GB / (730 * 3600) * PRICES["storage_gb_month"]


class _RequestMeter:
    """On-demand read and write request units, priced per million."""

    def __init__(self, table: Table) -> None:
        self.service, self.resource, self.usage = "dynamodb", table.name, "request units"
        # Requests are paid per use, not by time: no running rate (as for one-off charges).
        self.rate, self.per = 0.0, 1.0
        self.table = table
        self.end: float | None = None
        self.frozen: float | None = None

    def cost(self, now: float) -> float:
        if self.frozen is not None:
            return self.frozen
        r, w = self.table.billable_units
        return r * PRICES["read_request_unit"] + w * PRICES["write_request_unit"]

    def freeze(self, now: float) -> None:
        self.frozen = self.cost(now)
        self.end = now


class DynamoDBService:
    """DynamoDB in one region of one account: ``cloud.dynamodb``."""

    def __init__(self, cloud, region) -> None:
        self.cloud = cloud
        self.region = region
        self.tables: dict[str, Table] = {}

    # -- tables -----------------------------------------------------------------------------
    def create_table(self, name: str, *, partition_key: str | tuple[str, str],
                     sort_key: str | tuple[str, str] | None = None,
                     billing_mode: str = "PAY_PER_REQUEST", read_capacity: int | None = None,
                     write_capacity: int | None = None, global_indexes: Iterable[dict] = (),
                     local_indexes: Iterable[dict] = (), stream_view_type: str | None = None,
                     tags: dict[str, str] | None = None) -> Table:
        """Create a table; it is CREATING for a few simulated seconds, then ACTIVE.

        Args:
            partition_key: ``"id"`` (a string key) or ``("id", "N")``.
            sort_key: optional, same form.
            billing_mode: ``"PAY_PER_REQUEST"`` (on-demand) or ``"PROVISIONED"`` with
                ``read_capacity``/``write_capacity`` units per second.
            global_indexes / local_indexes: dicts with ``name``, ``partition_key`` (GSI only),
                ``sort_key``, ``projection`` ("ALL", "KEYS_ONLY" or a list of attributes to
                INCLUDE) and, for a provisioned GSI, ``read_capacity``/``write_capacity``.
            stream_view_type: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.

        Raises:
            ResourceInUseException: a table of that name exists (or is still deleting).
            ValidationException: bad names, types, capacities or index definitions.
        """
        check_table_name(name, "tableName")
        if name in self.tables:
            raise_error("ResourceInUseException", f"Table already exists: {name} "
                        f"(status {self.tables[name].status.value}). Pick another name or delete it first.")
        hk = _key_spec(partition_key, "partition_key")
        rk = _key_spec(sort_key, "sort_key") if sort_key is not None else None
        if rk is not None and rk[0] == hk[0]:
            raise _invalid(f"Both the Hash Key and the Range Key element in the KeySchema have the same "
                           f"name: {hk[0]}. Choose a different sort key attribute.")
        mode = self._billing(billing_mode, read_capacity, write_capacity)
        now = self.cloud.clock.now
        table = Table(name=name, service=self, hash_key=hk, range_key=rk, billing_mode=mode,
                      read_capacity=read_capacity or 0, write_capacity=write_capacity or 0,
                      created=now, table_id=self.cloud.ids.uuid(),
                      arn=self.cloud.arn("dynamodb", f"table/{name}", self.region.name),
                      tags=dict(tags or {}))
        table.attribute_definitions = {hk[0]: hk[1], **({rk[0]: rk[1]} if rk else {})}
        for spec in global_indexes:
            self._add_index(table, spec, "GSI")
        for spec in local_indexes:
            self._add_index(table, spec, "LSI")
        if len([i for i in table.indexes.values() if i.kind == "GSI"]) > MAX_GSIS:
            raise LimitExceeded("LimitExceededException", f"A table can have at most {MAX_GSIS} GSIs.")
        if len([i for i in table.indexes.values() if i.kind == "LSI"]) > MAX_LSIS:
            raise LimitExceeded("LimitExceededException", f"A table can have at most {MAX_LSIS} LSIs.")
        if stream_view_type is not None:
            self._set_stream(table, stream_view_type)
        if mode is BillingMode.PROVISIONED:
            table.reads = TokenBucket(table.read_capacity, now)
            table.writes = TokenBucket(table.write_capacity, now)
            table._init_partitions(max(1, math.ceil(table.read_capacity / PARTITION_MAX_RCU
                                                    + table.write_capacity / PARTITION_MAX_WCU)))
        else:
            table._init_partitions(ON_DEMAND_INITIAL_PARTITIONS)
        self.tables[name] = table
        self._start_meters(table)
        for idx in table.indexes.values():
            idx.status = "CREATING"

        def activate() -> None:
            if table.status is TableStatus.CREATING:
                table.status = TableStatus.ACTIVE
                for i in table.indexes.values():
                    i.status = "ACTIVE"
                self.cloud.events.publish("dynamodb.table.active", table=name)

        self.cloud.clock.schedule(CREATE_SECONDS, activate, name=f"dynamodb create {name}")
        self.cloud.events.publish("dynamodb.table.created", table=name)
        return table

    def _billing(self, billing_mode: Any, rcu: Any, wcu: Any) -> BillingMode:
        try:
            mode = BillingMode(billing_mode)
        except ValueError:
            raise _invalid(f"BillingMode must be PROVISIONED or PAY_PER_REQUEST, not {billing_mode!r}.") from None
        if mode is BillingMode.PROVISIONED:
            for label, v in (("ReadCapacityUnits", rcu), ("WriteCapacityUnits", wcu)):
                if v is None:
                    raise _invalid("One or more parameter values were invalid: ReadCapacityUnits and "
                                   "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
                if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                    raise _invalid(f"1 validation error detected: Value '{v}' at "
                                   f"'provisionedThroughput.{label[0].lower() + label[1:]}' failed to satisfy "
                                   "constraint: Member must have value greater than or equal to 1")
        elif rcu is not None or wcu is not None:
            raise _invalid("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                           "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
        return mode

    def _add_index(self, table: Table, spec: dict, kind: str) -> None:
        if not isinstance(spec, dict):
            raise _invalid(f"An index is described by a dict, not {spec!r}.")
        name = check_table_name(spec.get("name"), "indexName")
        if name in table.indexes:
            raise _invalid(f"One or more parameter values were invalid: Duplicate index name: {name}")
        if kind == "LSI":
            hk = table.hash_key
            if spec.get("partition_key") not in (None, hk[0], hk):
                raise _invalid(f"One or more parameter values were invalid: Index KeySchema does not have "
                               f"the same leading hash key as table KeySchema for index: {name}. "
                               f"A local index keeps the table's partition key {hk[0]!r}.")
            if spec.get("sort_key") is None:
                raise _invalid(f"One or more parameter values were invalid: Index KeySchema must have a "
                               f"range key for local index {name}.")
            if table.range_key is None:
                raise _invalid("One or more parameter values were invalid: Table KeySchema does not have a "
                               "range key, which is required when specifying a LocalSecondaryIndex")
        else:
            hk = _key_spec(spec.get("partition_key"), f"partition_key of index {name}")
        rk = _key_spec(spec["sort_key"], f"sort_key of index {name}") if spec.get("sort_key") else None
        for n, t in (hk,) + ((rk,) if rk else ()):
            if table.attribute_definitions.get(n, t) != t:
                raise _invalid(f"One or more parameter values were invalid: attribute {n} is used as "
                               f"{table.attribute_definitions[n]} and as {t}.")
            table.attribute_definitions[n] = t
        proj = spec.get("projection", "ALL")
        include: tuple[str, ...] = ()
        if isinstance(proj, (list, tuple)):
            include, proj = tuple(proj), "INCLUDE"
            if not include:
                raise _invalid("NonKeyAttributes must not be empty for an INCLUDE projection.")
        if proj not in ("ALL", "KEYS_ONLY", "INCLUDE"):
            raise _invalid(f"ProjectionType must be ALL, KEYS_ONLY or INCLUDE, not {proj!r}.")
        rcu, wcu = spec.get("read_capacity"), spec.get("write_capacity")
        now = self.cloud.clock.now
        idx = Index(name=name, kind=kind, table=table, hash_key=hk, range_key=rk, projection_type=proj,
                    non_key_attributes=include)
        if kind == "GSI":
            if table.billing_mode is BillingMode.PROVISIONED:
                if rcu is None or wcu is None:
                    raise _invalid(f"One or more parameter values were invalid: ProvisionedThroughput "
                                   f"must be specified for index: {name}")
                idx.read_capacity, idx.write_capacity = rcu, wcu
                idx.reads, idx.writes = TokenBucket(rcu, now), TokenBucket(wcu, now)
            elif rcu is not None or wcu is not None:
                raise _invalid("One or more parameter values were invalid: ProvisionedThroughput should "
                               f"not be specified for index: {name} when BillingMode is PAY_PER_REQUEST")
        table.indexes[name] = idx
        for bucket in table.store.buckets.values():  # backfill (index added later)
            for _, row in bucket.ordered():
                k = idx.key_of(row.item)
                if k is not None:
                    idx.store.put(k[0], k[1], k[2], row)

    def table(self, name: str | Table) -> Table:
        """The table called ``name``.

        Raises:
            ResourceNotFoundException: there is no such table in this region.
        """
        if isinstance(name, Table):
            return name
        t = self.tables.get(name) if isinstance(name, str) else None
        if t is None:
            known = ", ".join(sorted(self.tables)) or "none"
            raise NotFound("ResourceNotFoundException",
                           f"Requested resource not found: Table: {name} not found. Tables in "
                           f"{self.region.name}: {known}.")
        return t

    describe_table = table

    def list_tables(self) -> list[str]:
        """Table names in this region, sorted as DynamoDB lists them."""
        return sorted(self.tables)

    def delete_table(self, name: str | Table) -> Table:
        """Delete a table: DELETING for a few seconds, then gone (with all its items)."""
        table = self.table(name)
        if table.status in (TableStatus.CREATING, TableStatus.UPDATING, TableStatus.DELETING):
            raise_error("ResourceInUseException", f"Attempt to change a resource which is still in use: "
                        f"Table {table.name} is {table.status.value}. Wait until it is ACTIVE.")
        table.status = TableStatus.DELETING
        now = self.cloud.clock.now
        for meter in table._meters.values():
            if isinstance(meter, _RequestMeter):
                meter.freeze(now)
            elif isinstance(meter, _StorageMeter):
                meter.update(meter.bytes, now)
                meter.end = now
            else:
                self.cloud.bill.stop_meter(meter)
        if table._ttl is not None:
            table._ttl.stop()

        def gone() -> None:
            if self.tables.get(table.name) is table:
                del self.tables[table.name]
                table.store.clear()
                self.cloud.events.publish("dynamodb.table.deleted", table=table.name)

        self.cloud.clock.schedule(DELETE_SECONDS, gone, name=f"dynamodb delete {table.name}")
        return table

    def update_table(self, name: str | Table, *, billing_mode: str | None = None,
                     read_capacity: int | None = None, write_capacity: int | None = None,
                     stream_view_type: str | None = None, stream_enabled: bool | None = None) -> Table:
        """Change throughput or billing mode (the table is UPDATING for a few seconds)."""
        table = self.table(name)
        if table.status is not TableStatus.ACTIVE:
            raise_error("ResourceInUseException", f"Attempt to change a resource which is still in use: "
                        f"Table {table.name} is {table.status.value}.")
        mode = table.billing_mode if billing_mode is None else billing_mode
        if mode == BillingMode.PROVISIONED and (read_capacity is None and write_capacity is None):
            read_capacity, write_capacity = (table.read_capacity, table.write_capacity) \
                if table.billing_mode is BillingMode.PROVISIONED else (None, None)
        new_mode = self._billing(mode, read_capacity, write_capacity)
        changed = (new_mode is not table.billing_mode or (read_capacity or 0) != table.read_capacity
                   or (write_capacity or 0) != table.write_capacity)
        if stream_enabled is not None or stream_view_type is not None:
            if stream_enabled is False:
                if table.stream_view_type is None:
                    raise _invalid(f"Table {table.name} does not have a stream to disable.")
                table.stream_view_type = None
                table.stream_label = None
            else:
                if table.stream_view_type is not None:
                    raise _invalid(f"Table already has an enabled stream: {table.stream_arn}")
                self._set_stream(table, stream_view_type)
            changed = True
        if not changed:
            raise _invalid("The provisioned throughput for the table will not change. The requested value "
                           "equals the current value.")
        now = self.cloud.clock.now
        table.billing_mode = new_mode
        table.read_capacity, table.write_capacity = read_capacity or 0, write_capacity or 0
        if new_mode is BillingMode.PROVISIONED:
            if table.reads is None:
                table.reads = TokenBucket(table.read_capacity, now)
                table.writes = TokenBucket(table.write_capacity, now)
            else:
                table.reads.set_rate(table.read_capacity, now)
                table.writes.set_rate(table.write_capacity, now)
            table._ensure_partitions_for_throughput()
        else:
            table.reads = table.writes = None
        self._restart_capacity_meter(table)
        table.status = TableStatus.UPDATING

        def done() -> None:
            if table.status is TableStatus.UPDATING:
                table.status = TableStatus.ACTIVE

        self.cloud.clock.schedule(UPDATE_SECONDS, done, name=f"dynamodb update {table.name}")
        return table

    def _set_stream(self, table: Table, view: Any) -> None:
        if view not in VIEW_TYPES:
            raise _invalid(f"StreamViewType must be one of {', '.join(VIEW_TYPES)}, not {view!r}.")
        table.stream_view_type = view
        table.stream_label = self.cloud.clock.isoformat().rstrip("Z")

    # -- TTL ----------------------------------------------------------------------------------
    def update_time_to_live(self, name: str | Table, attribute: str, enabled: bool = True) -> None:
        """Turn TTL on (naming the Number attribute that holds an epoch-seconds expiry) or off."""
        table = self.table(name)
        if not isinstance(attribute, str) or not attribute:
            raise _invalid("TimeToLiveSpecification.AttributeName must be a non-empty string.")
        if enabled:
            if table._ttl is not None:
                raise _invalid("TimeToLive is already enabled")
            table.ttl_attribute = attribute
            table._ttl = TimeToLive(table, attribute)
        else:
            if table._ttl is None:
                raise _invalid("TimeToLive is already disabled")
            if attribute != table.ttl_attribute:
                raise _invalid(f"TTL is enabled on {table.ttl_attribute!r}, not {attribute!r}.")
            table._ttl.stop()
            table._ttl = None
            table.ttl_attribute = None

    def describe_time_to_live(self, name: str | Table) -> dict:
        table = self.table(name)
        if table._ttl is None:
            return {"TimeToLiveStatus": "DISABLED"}
        return {"TimeToLiveStatus": "ENABLED", "AttributeName": table.ttl_attribute}

    def _ttl_delete(self, table: Table, item: dict) -> None:
        pk, pk_av, sk = table._key_parts(item)
        old = table.store.get(pk, sk)
        table._write(pk, pk_av, sk, old, None, condition=None, ctx=({}, {}, False),
                     consumed=Consumed(table.name), system=True)

    # -- hooks called by tables -------------------------------------------------------------
    def _stream(self, table: Table, old: dict | None, new: dict | None, ttl: bool = False) -> None:
        if old is None and new is None:
            return
        if old is not None and new is not None and old.keys() == new.keys() and all(
                _same(old[k], new[k]) for k in old):
            return  # an unchanged item writes no stream record
        record = stream_record(table, old, new, ttl=ttl)
        table.stream_records.append(record)
        # AWS keeps stream records for 24 hours; awskit keeps the latest 10,000
        if len(table.stream_records) > 10000:
            del table.stream_records[: len(table.stream_records) - 10000]
        self.cloud.events.publish("dynamodb.stream", table=table.name, stream_arn=table.stream_arn,
                                  record=record)

    def _start_meters(self, table: Table) -> None:
        now = self.cloud.clock.now
        storage = _StorageMeter(table, now)
        self.cloud.bill.meters.append(storage)
        requests = _RequestMeter(table)
        self.cloud.bill.meters.append(requests)
        table._meters = {"storage": storage, "requests": requests}
        self._restart_capacity_meter(table)

    def _restart_capacity_meter(self, table: Table) -> None:
        bill = self.cloud.bill
        if "capacity" in table._meters:
            bill.stop_meter(table._meters.pop("capacity"))
        if table.billing_mode is BillingMode.PROVISIONED:
            rcu = table.read_capacity + sum(i.read_capacity or 0 for i in table.indexes.values())
            wcu = table.write_capacity + sum(i.write_capacity or 0 for i in table.indexes.values())
            table._meters["capacity"] = bill.start_meter(
                "dynamodb", table.name, f"provisioned {rcu} RCU + {wcu} WCU",
                hourly=rcu * PRICES["rcu_hour"] + wcu * PRICES["wcu_hour"])
        # on-demand request units accrue in table.billable_units, counted by the request meter

    def _storage_changed(self, table: Table) -> None:
        meter = table._meters.get("storage")
        if meter is not None:
            meter.update(table.store.size + 100 * table.store.item_count, self.cloud.clock.now)

    def __repr__(self) -> str:
        return f"DynamoDBService({self.region.name}, tables={len(self.tables)})"


def _same(a: dict, b: dict) -> bool:
    from .types import values_equal
    return values_equal(a, b)
