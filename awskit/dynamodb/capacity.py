"""Capacity units, throughput limits and what a request consumed.

A read capacity unit (RCU) is one strongly consistent read per second of up to 4 KB (an
eventually consistent read costs half); a write capacity unit (WCU) is one write per second
of up to 1 KB.  A provisioned table gets its RCU/WCU every second and may save up to 300
seconds of unused capacity as burst; past that, requests fail with
``ProvisionedThroughputExceededException``.  An on-demand table bills each request instead.

>>> read_units(5000), read_units(5000, consistent=False), write_units(1500)
(2.0, 1.0, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BURST_SECONDS", "PRICES", "Consumed", "TokenBucket", "read_units", "write_units"]

#: DynamoDB keeps up to five minutes of unused throughput as burst capacity.
BURST_SECONDS = 300

#: Approximate us-east-1 list prices in USD (2025; on-demand prices as cut in November 2024).
PRICES = {
    "wcu_hour": 0.00065,           # provisioned write capacity unit, per hour
    "rcu_hour": 0.00013,           # provisioned read capacity unit, per hour
    "write_request_unit": 0.625 / 1e6,  # on-demand, per write request unit
    "read_request_unit": 0.125 / 1e6,   # on-demand, per read request unit
    "storage_gb_month": 0.25,      # Standard table class
}


def read_units(size: int, consistent: bool = True) -> float:
    """RCUs for reading ``size`` bytes: one per started 4 KB (at least one), half if eventual."""
    units = max(1, -(-size // 4096))
    return float(units) if consistent else units / 2


def write_units(size: int) -> int:
    """WCUs for writing ``size`` bytes: one per started 1 KB, at least one."""
    return max(1, -(-size // 1024))


class TokenBucket:
    """Provisioned throughput: ``rate`` units per simulated second, up to 300 s saved as burst.

    A new table starts with a full burst allowance, which is what lets a fresh table absorb
    a short spike in AWS too.
    """

    __slots__ = ("last", "rate", "tokens")

    def __init__(self, rate: float, now: float) -> None:
        self.rate = float(rate)
        self.tokens = self.rate * BURST_SECONDS
        self.last = now

    def _refill(self, now: float) -> None:
        if now > self.last:
            self.tokens = min(self.rate * BURST_SECONDS, self.tokens + (now - self.last) * self.rate)
            self.last = now

    def can(self, cost: float, now: float) -> bool:
        self._refill(now)
        return self.tokens >= cost

    def take(self, cost: float, now: float) -> None:
        self._refill(now)
        self.tokens -= cost

    def set_rate(self, rate: float, now: float) -> None:
        self._refill(now)
        self.rate = float(rate)
        self.tokens = min(self.tokens, self.rate * BURST_SECONDS)

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}/s, available={self.tokens:g})"


@dataclass(slots=True)
class Consumed:
    """What one request consumed, split between the table and its indexes."""

    table: str
    read: float = 0.0
    write: float = 0.0
    #: index name -> [kind ("GSI" or "LSI"), read units, write units]
    indexes: dict[str, list] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.read + self.write + sum(r + w for _, r, w in self.indexes.values())

    def add_index(self, name: str, kind: str, read: float = 0.0, write: float = 0.0) -> None:
        slot = self.indexes.setdefault(name, [kind, 0.0, 0.0])
        slot[1] += read
        slot[2] += write

    def response(self, mode: str | None) -> dict | None:
        """The ``ConsumedCapacity`` entry boto3 returns for ``ReturnConsumedCapacity=mode``."""
        if mode in (None, "NONE"):
            return None
        out: dict = {"TableName": self.table, "CapacityUnits": self.total}
        if self.read:
            out["ReadCapacityUnits"] = self.read + sum(r for _, r, _w in self.indexes.values())
        if self.write:
            out["WriteCapacityUnits"] = self.write + sum(w for _, _r, w in self.indexes.values())
        if mode == "INDEXES":
            out["Table"] = {"CapacityUnits": self.read + self.write}
            for kind, key in (("GSI", "GlobalSecondaryIndexes"), ("LSI", "LocalSecondaryIndexes")):
                found = {n: {"CapacityUnits": r + w} for n, (k, r, w) in self.indexes.items() if k == kind}
                if found:
                    out[key] = found
        return out
