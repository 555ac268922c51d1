"""How a DynamoDB table spreads its load: partitions, throughput admission and throttling.

The items are spread over partitions by a hash of the partition key.  A partition serves at
most 3,000 read and 1,000 write units a second and holds about 10 GB; DynamoDB splits one
that grows past either, and adds partitions when provisioned throughput needs more.  A
provisioned table (and each GSI) also has token buckets with 300 seconds of burst; a request
that finds them empty, or a partition key hotter than one partition can serve, is
throttled with ``ProvisionedThroughputExceededException``.  :class:`TableThroughput` is a
base class of :class:`awskit.dynamodb.Table`.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> t = cloud.dynamodb.create_table("events", partition_key="id")
>>> cloud.clock.advance(10)
>>> len(t.partitions)  # an on-demand table starts with four
4
>>> t.put({"id": "a"}); sum(p["items"] for p in t.partition_report())
1
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from ..core.errors import AWSError, raise_error
from .partitions import HASH_SPACE, PARTITION_MAX_RCU, PARTITION_MAX_WCU, Partition, key_hash

if TYPE_CHECKING:
    from .indexes import Index

__all__ = ["BillingMode", "TableThroughput"]


class BillingMode(str, enum.Enum):
    PROVISIONED = "PROVISIONED"
    PAY_PER_REQUEST = "PAY_PER_REQUEST"

    def __str__(self) -> str:
        return self.value


class TableThroughput:
    """Partitions, admission and accounting, for :class:`~awskit.dynamodb.table.Table` (which inherits them)."""

    __slots__ = ()

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
