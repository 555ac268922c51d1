"""The bill as a table and as a time series: what the account spent, on what, and when.

``cloud.bill`` (:class:`awskit.core.pricing.Bill`) keeps *meters* (a rate that accrues while
a resource exists: instance-hours, GB-months) and *line items* (one-off charges: requests,
retrievals, GB processed).  This module reads them the way the AWS Billing console and Cost
Explorer show a bill: grouped by service, by resource and by usage type, and as cost over
time.  Prices are approximate us-east-1 list prices, each dated where it is defined (see
:data:`PRICE_SOURCES`); they teach what designs cost, not what to budget.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> _ = cloud.ec2.run_instances(instance_type="t3.micro", min_count=2)
>>> cloud.clock.advance(minutes=1)                  # boot: billing starts once running
>>> start = cloud.bill.by_service()["ec2"]; cloud.clock.advance(hours=10)
>>> round(cloud.bill.by_service()["ec2"] - start, 4)   # 2 instances x 10 h x $0.0104
0.208
>>> round(monthly_rate(cloud.bill, service="ec2"), 3)   # what they cost for a 730-hour month
15.184

pandas and matplotlib are imported only by :func:`bill_report`, :func:`cost_over_time` and
:func:`plot_costs`, so ``import awskit`` stays light.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from .core.errors import InvalidParameter
from .core.pricing import HOURS_PER_MONTH, Bill

__all__ = ["PRICE_SOURCES", "bill_report", "cost_over_time", "monthly_rate", "plot_costs", "series"]

#: Where each service's prices live and when they were read (all approximate us-east-1 On-Demand).
PRICE_SOURCES: dict[str, str] = {
    "ec2": "awskit/ec2/catalog.py (instance types, 2025-2026 price list); awskit/core/pricing.py",
    "vpc": "awskit/core/pricing.py: public IPv4 $0.005/h (since Feb 2024), NAT gateway $0.045/h",
    "ebs": "awskit/ebs/volumes.py (per-type GB-month, IOPS, throughput; 2025-2026)",
    "elb": "awskit/elb/service.py docstring (ALB/NLB/CLB hours and capacity units; 2025-2026)",
    "s3": "awskit/s3/billing.py (storage classes, requests)",
    "glacier": "awskit/glacier/service.py (vault storage, retrievals, requests)",
    "lambda": "awskit/awslambda (requests and GB-seconds)",
    "dynamodb": "awskit/dynamodb/__init__.py (request units, provisioned capacity, storage)",
    "cloudwatch": "awskit/cloudwatch/service.py and logs.py (custom metrics, alarms, log ingestion)",
    "rds": "awskit/rds/engines.py (instance classes, storage, backups; 2025-2026)",
    "logs": "awskit/cloudwatch/logs.py (log ingestion per GB)",
    "redshift": "awskit/redshift (node hours, managed storage)",
    "cloudfront": "awskit/cloudfront (data transfer out, requests, invalidations)",
}

_SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0


def _bill(cloud_or_bill: Any) -> Bill:
    bill = getattr(cloud_or_bill, "bill", cloud_or_bill)
    if not isinstance(bill, Bill):
        raise InvalidParameter("InvalidParameterValue",
                               f"Pass a Cloud or its bill (cloud.bill), not {cloud_or_bill!r}.")
    return bill


def monthly_rate(cloud_or_bill: Any, resource: str | None = None, *, service: str | None = None) -> float:
    """What the meters running now would cost for a 730-hour month (USD).

    Filter by ``resource`` (an instance id, a volume id, a load balancer ARN, ...) and/or
    ``service``; one-off charges (requests) are not included: they depend on use.
    """
    bill = _bill(cloud_or_bill)
    total = 0.0
    for m in bill.meters:
        if m.end is not None or (resource is not None and m.resource != resource) or \
                (service is not None and m.service != service):
            continue
        total += m.rate * _SECONDS_PER_MONTH / m.per
    return total


def _rows(bill: Bill, now: float) -> list[dict[str, Any]]:
    acc: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for m in bill.meters:
        row = acc[(m.service, m.resource, m.usage)]
        row[0] += m.cost(now)
        if m.end is None:
            row[1] += m.rate * _SECONDS_PER_MONTH / m.per
    for i in bill.items:
        if i.time <= now:
            acc[(i.service, i.resource, i.usage)][0] += i.amount
    return [{"service": s, "resource": r, "usage": u, "cost": c, "monthly_rate": rate}
            for (s, r, u), (c, rate) in acc.items()]


def bill_report(cloud: Any, *, by: str = "usage"):
    """The bill so far as a pandas DataFrame, most expensive first.

    Args:
        by: ``"usage"`` (one row per service, resource and usage type: the default),
            ``"resource"`` (service and resource) or ``"service"``.

    Columns: service, resource, usage, cost (USD so far), monthly_rate (USD a month for
    the meters still running).  Raises: InvalidParameterValue for an unknown ``by``.
    """
    import pandas as pd

    keys = {"usage": ["service", "resource", "usage"], "resource": ["service", "resource"],
            "service": ["service"]}
    if by not in keys:
        raise InvalidParameter("InvalidParameterValue", f"by={by!r} is not valid: use one of {', '.join(keys)}.")
    bill = _bill(cloud)
    frame = pd.DataFrame(_rows(bill, bill.now()), columns=["service", "resource", "usage", "cost", "monthly_rate"])
    if by != "usage":
        frame = frame.groupby(keys[by], as_index=False)[["cost", "monthly_rate"]].sum()
    return frame.sort_values(["cost", *keys[by]], ascending=[False, *[True] * len(keys[by])]).reset_index(drop=True)


def _times(bill: Bill, start: float, end: float | None, step: float) -> list[float]:
    end = bill.now() if end is None else end
    for name, value in (("start", start), ("end", end), ("step", step)):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise InvalidParameter("InvalidParameterValue", f"{name} must be a number of seconds, not {value!r}.")
    if step <= 0 or end < start:
        raise InvalidParameter("InvalidParameterValue",
                               f"Need start <= end and step > 0 (got start={start}, end={end}, step={step}).")
    if (end - start) / step > 100_000:
        raise InvalidParameter("InvalidParameterValue",
                               f"{(end - start) / step:,.0f} samples is too many: use a larger step.")
    times, t = [], float(start)
    while t < end:
        times.append(t)
        t += step
    times.append(float(end))
    return times


def series(cloud: Any, start: float = 0.0, end: float | None = None, step: float = 3600.0, *,
           by: str = "service", cumulative: bool = True) -> tuple[list[float], dict[str, list[float]]]:
    """Cost over time without pandas: ``(times, {group: costs})``, sampled every ``step`` seconds.

    Each sample is what the meters had accrued by then (from their start/end and rate) plus
    the line items charged by then; with ``cumulative=False`` it is the cost of each interval.
    ``by`` is ``"service"`` or ``"resource"``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> vol = cloud.ebs.create_volume(size=730, volume_type="gp3", availability_zone="us-east-1a")
    >>> cloud.clock.advance(hours=2)
    >>> times, costs = series(cloud, step=3600)   # 730 GiB x $0.08 a GB-month = $0.08 an hour
    >>> times, [round(c, 4) for c in costs["ebs"]]
    ([0.0, 3600.0, 7200.0], [0.0, 0.08, 0.16])
    """
    if by not in ("service", "resource"):
        raise InvalidParameter("InvalidParameterValue", f"by={by!r} is not valid: use service or resource.")
    bill = _bill(cloud)
    times = _times(bill, start, end, step)
    out: dict[str, list[float]] = {}
    for m in bill.meters:
        key = m.service if by == "service" else m.resource
        col = out.setdefault(key, [0.0] * len(times))
        for k, t in enumerate(times):
            col[k] += m.cost(t)
    for item in bill.items:
        key = item.service if by == "service" else item.resource
        col = out.setdefault(key, [0.0] * len(times))
        for k, t in enumerate(times):
            if item.time <= t:
                col[k] += item.amount
    if not cumulative:
        for key, col in out.items():
            out[key] = [col[0]] + [b - a for a, b in pairwise(col)]
    return times, dict(sorted(out.items()))


def cost_over_time(cloud: Any, start: float = 0.0, end: float | None = None, step: float = 3600.0, *,
                   by: str = "service", cumulative: bool = True):
    """:func:`series` as a pandas DataFrame: one row per sample time (``time`` in simulated
    seconds, ``hours`` since ``start``), one column per service (or resource), USD."""
    import pandas as pd

    times, cols = series(cloud, start, end, step, by=by, cumulative=cumulative)
    frame = pd.DataFrame(cols, index=pd.Index(times, name="time"))
    frame.insert(0, "hours", [(t - start) / 3600.0 for t in times])
    return frame


def plot_costs(cloud: Any, start: float = 0.0, end: float | None = None, step: float = 3600.0, *,
               cumulative: bool = True, ax: Any = None):
    """A stacked area chart of cost over time by service (matplotlib); returns the figure."""
    import matplotlib.pyplot as plt

    times, cols = series(cloud, start, end, step, by="service", cumulative=cumulative)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.5))
    else:
        fig = ax.figure
    hours = [(t - start) / 3600.0 for t in times]
    if cols:
        ax.stackplot(hours, *cols.values(), labels=list(cols), alpha=0.85)
        ax.legend(loc="upper left", fontsize="small")
    ax.set_xlabel("simulated hours")
    ax.set_ylabel("USD" + (" (cumulative)" if cumulative else " per interval"))
    ax.set_title(f"Cost by service: ${_bill(cloud).total():,.2f} so far")
    ax.grid(alpha=0.3)
    return fig
