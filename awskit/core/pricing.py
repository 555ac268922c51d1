"""Approximate on-demand prices and the running bill.

Prices are approximate public on-demand list prices for us-east-1 in US dollars, as AWS
published them in 2025-2026; real bills vary by region, tier and discount.  They are here
so students see what their designs would cost, not to plan a budget.

A :class:`Meter` accrues cost while a resource exists (instance hours, GB-months); a
one-off charge (a request, a retrieval) is a :class:`LineItem`.  The total is computed
from the clock when asked, so metering costs nothing while time runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Bill", "Meter", "LineItem", "PRICES", "HOURS_PER_MONTH"]

#: AWS bills a "month" of storage as 730 hours.
HOURS_PER_MONTH = 730.0

#: USD list prices (us-east-1, on-demand), keyed by what they meter.  Approximate.
PRICES: dict[str, float] = {
    # EC2: per instance-hour, Linux on-demand
    "ec2.t3.nano": 0.0052,
    "ec2.t3.micro": 0.0104,
    "ec2.t3.small": 0.0208,
    "ec2.t3.medium": 0.0416,
    "ec2.t2.micro": 0.0116,
    "ec2.m5.large": 0.096,
    "ec2.m5.xlarge": 0.192,
    "ec2.c5.large": 0.085,
    "ec2.c5.xlarge": 0.17,
    "ec2.r5.large": 0.126,
    "ec2.i3.large": 0.156,
    "ec2.p3.2xlarge": 3.06,
    "ec2.g4dn.xlarge": 0.526,
    # VPC
    "vpc.public_ipv4.hour": 0.005,  # every public IPv4 address, since February 2024
    "vpc.nat_gateway.hour": 0.045,
}


@dataclass(slots=True)
class LineItem:
    """A one-off charge."""

    service: str
    resource: str
    usage: str
    amount: float
    time: float


@dataclass(slots=True)
class Meter:
    """Cost that accrues at ``rate`` dollars per ``per`` seconds while the meter runs."""

    service: str
    resource: str
    usage: str
    rate: float
    per: float
    start: float
    end: float | None = None

    def cost(self, now: float) -> float:
        stop = now if self.end is None else min(self.end, now)
        return max(0.0, stop - self.start) / self.per * self.rate


@dataclass
class Bill:
    """The account's running bill: meters that accrue on the clock plus one-off charges.

    >>> t = [0.0]
    >>> bill = Bill(lambda: t[0])
    >>> m = bill.start_meter("ec2", "i-1", "t3.micro hours", hourly=0.0104)
    >>> t[0] = 7200.0
    >>> round(bill.total(), 4)
    0.0208
    """

    now: Callable[[], float]
    meters: list[Meter] = field(default_factory=list)
    items: list[LineItem] = field(default_factory=list)

    def start_meter(self, service: str, resource: str, usage: str, *, hourly: float | None = None,
                    monthly: float | None = None) -> Meter:
        """Start accruing an hourly or monthly (730-hour) rate for a resource."""
        if (hourly is None) == (monthly is None):
            raise ValueError("give exactly one of hourly= or monthly=")
        rate, per = (hourly, 3600.0) if hourly is not None else (monthly, HOURS_PER_MONTH * 3600.0)
        meter = Meter(service, resource, usage, float(rate), per, self.now())
        self.meters.append(meter)
        return meter

    def stop_meter(self, meter: Meter | None) -> None:
        if meter is not None and meter.end is None:
            meter.end = self.now()

    def charge(self, service: str, resource: str, usage: str, amount: float) -> LineItem:
        item = LineItem(service, resource, usage, float(amount), self.now())
        self.items.append(item)
        return item

    def total(self) -> float:
        now = self.now()
        return sum(m.cost(now) for m in self.meters) + sum(i.amount for i in self.items)

    def by_service(self) -> dict[str, float]:
        now = self.now()
        out: dict[str, float] = defaultdict(float)
        for m in self.meters:
            out[m.service] += m.cost(now)
        for i in self.items:
            out[i.service] += i.amount
        return dict(sorted(out.items()))

    def by_resource(self) -> dict[str, float]:
        now = self.now()
        out: dict[str, float] = defaultdict(float)
        for m in self.meters:
            out[m.resource] += m.cost(now)
        for i in self.items:
            out[i.resource] += i.amount
        return dict(sorted(out.items()))

    def __repr__(self) -> str:
        return f"Bill(total=${self.total():.4f})"
