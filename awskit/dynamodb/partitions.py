"""How DynamoDB spreads a table over partitions.

DynamoDB hashes each item's partition key and stores the item on the partition that owns
that stretch of the hash space.  A partition holds up to about 10 GB and serves up to 3,000
read and 1,000 write capacity units a second; when it grows past either it splits in two,
so a table grows by adding partitions.  A query names one partition key, so it reads one
partition; a scan reads them all.  A key that gets most of the traffic makes its partition
"hot": no split can spread one key, so that key is throttled at the per-partition limit.

awskit hashes with MD5 of the key's type and bytes (stable across runs, unlike Python's
``hash``); AWS's own hash function is internal.

>>> h = key_hash({"S": "user#1"}); 0 <= h < HASH_SPACE
True
>>> key_hash({"S": "user#1"}) == key_hash({"S": "user#1"}) != key_hash({"S": "user#2"})
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

__all__ = [
    "HASH_SPACE",
    "PARTITION_MAX_BYTES",
    "PARTITION_MAX_RCU",
    "PARTITION_MAX_WCU",
    "WINDOW_SECONDS",
    "Partition",
    "key_hash",
]

HASH_SPACE = 1 << 128
#: A partition splits when it holds more than this (AWS: about 10 GB).
PARTITION_MAX_BYTES = 10 * 1024**3
#: Per-partition (and so per-partition-key) ceilings per second.
PARTITION_MAX_RCU = 3000
PARTITION_MAX_WCU = 1000
#: How much history ``recent_*`` keeps: the last minute of simulated time.
WINDOW_SECONDS = 60


def key_hash(av: dict) -> int:
    """A stable 128-bit hash of a partition key value."""
    ((t, v),) = av.items()
    data = v if t == "B" else v.encode()
    return int.from_bytes(hashlib.md5(t.encode() + b":" + data).digest(), "big")


@dataclass(slots=True, kw_only=True, eq=False)
class Partition:
    """One partition: the hash range it owns, what it stores and what it served lately."""

    number: int
    low: int
    high: int  # exclusive
    item_count: int = 0
    size_bytes: int = 0
    created: float = 0.0
    #: simulated second -> [read units, write units], the last WINDOW_SECONDS only
    usage: dict[int, list[float]] = field(default_factory=dict, repr=False)
    throttled: int = 0

    def record(self, second: int, rcu: float, wcu: float) -> list[float]:
        slot = self.usage.get(second)
        if slot is None:
            slot = self.usage[second] = [0.0, 0.0]
            if len(self.usage) > WINDOW_SECONDS:
                for old in [s for s in self.usage if s <= second - WINDOW_SECONDS]:
                    del self.usage[old]
        slot[0] += rcu
        slot[1] += wcu
        return slot

    def recent(self, now: float) -> tuple[float, float]:
        """Read and write units consumed in the last minute of simulated time."""
        start = int(now) - WINDOW_SECONDS
        r = w = 0.0
        for s, (a, b) in self.usage.items():
            if s > start:
                r += a
                w += b
        return r, w

    @property
    def key_range(self) -> str:
        return f"{self.low:032x}..{self.high - 1:032x}"

    def owns(self, h: int) -> bool:
        return self.low <= h < self.high

    def __repr__(self) -> str:
        return (f"Partition({self.number}, range={self.low >> 112:04x}..{(self.high - 1) >> 112:04x}, "
                f"items={self.item_count}, bytes={self.size_bytes})")
