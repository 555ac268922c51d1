"""CloudWatch metrics: time series named by a namespace, a metric name and dimensions.

A metric is identified by its namespace (``AWS/EC2``, ``MyApp``), its name
(``CPUUtilization``) and up to 30 dimensions (``InstanceId=i-…``); the same name with
other dimensions is another metric.  CloudWatch stores what you publish at one-minute
resolution (or one-second for high-resolution metrics) and answers questions as
*statistics over periods*: the average, sum, minimum, maximum, sample count or a
percentile of every sample that fell in each period.

awskit keeps, per metric, a sorted array of buckets (one per second or per minute) with
their sum, count, minimum and maximum, plus the raw (value, count) pairs for percentiles,
so a statistic over a period costs O(buckets in the period) found by bisection.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.clock import EPOCH
from ..core.errors import InvalidParameter

__all__ = [
    "STATISTICS",
    "UNITS",
    "Aggregate",
    "Metric",
    "check_stat",
    "compute_stat",
    "metric_key",
    "percentile",
]

#: The units CloudWatch accepts (StandardUnit).
UNITS = (
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
    "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
    "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
    "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
    "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
)

#: The simple statistics; percentiles are written ``p90``, ``p99.9``.
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")

_PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$")

MetricKey = tuple[str, str, tuple[tuple[str, str], ...]]

_NUMBERS = (float, int)   # exact classes for the fast checks: bool and the rest take the full check
_HUGE = 2.0 ** 360        # CloudWatch rejects values beyond about 2^360


def metric_key(namespace: str, name: str, dimensions: dict[str, str] | None) -> MetricKey:
    """A metric's identity: dimension order does not matter, as in CloudWatch."""
    if not dimensions:
        return (namespace, name, ())
    if len(dimensions) == 1:  # the usual case (InstanceId=..., AutoScalingGroupName=...): nothing to sort
        return (namespace, name, tuple(dimensions.items()))
    return (namespace, name, tuple(sorted(dimensions.items())))


def check_stat(stat: str, param: str = "Statistic") -> str:
    """Validate a statistic name (``Average``...) or a percentile (``p90``)."""
    if stat in STATISTICS or (isinstance(stat, str) and _PERCENTILE.match(stat)):
        return stat
    raise InvalidParameter(
        "InvalidParameterValue",
        f"The value {stat!r} for parameter {param} is invalid. Use one of {', '.join(STATISTICS)} "
        "or a percentile such as p90 or p99.9.",
    )


def percentile(pairs: Iterable[tuple[float, float]], p: float) -> float | None:
    """The ``p``-th percentile (nearest rank) of weighted samples ``(value, count)``.

    >>> percentile([(1, 1), (2, 1), (3, 1), (4, 1), (10, 1)], 80)
    4
    """
    ordered = sorted(pairs)
    total = sum(c for _, c in ordered)
    if total <= 0:
        return None
    rank = max(1.0, math.ceil(p / 100.0 * total))
    seen = 0.0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    return ordered[-1][0]


@dataclass(slots=True)
class Aggregate:
    """Sum, count, min, max (and percentile samples) of every sample in a time range."""

    sum: float = 0.0
    count: float = 0.0
    minimum: float = math.inf
    maximum: float = -math.inf
    pairs: list[tuple[float, float]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.count <= 0


def compute_stat(agg: Aggregate, stat: str) -> float | None:
    """One statistic of an aggregate; None when there is no data (or no samples for a percentile)."""
    if agg.empty:
        return None
    if stat == "Sum":
        return agg.sum
    if stat == "SampleCount":
        return agg.count
    if stat == "Average":
        return agg.sum / agg.count
    if stat == "Minimum":
        return agg.minimum
    if stat == "Maximum":
        return agg.maximum
    return percentile(agg.pairs, float(stat[1:]))


@dataclass(slots=True, kw_only=True)
class Metric:
    """One CloudWatch metric and its stored samples.

    >>> m = Metric(namespace="MyApp", name="Latency", dimensions={"Service": "api"})
    >>> m.add(60, 12.0); m.add(61, 18.0); m.add(120, 30.0)
    >>> agg = m.aggregate(60, 120); (agg.sum, agg.count, agg.maximum)
    (30.0, 2.0, 18.0)
    """

    namespace: str
    name: str
    dimensions: dict[str, str] = field(default_factory=dict)
    unit: str = "None"
    last_put: float = 0.0
    high_resolution: bool = False
    times: list[float] = field(default_factory=list, repr=False)
    sums: list[float] = field(default_factory=list, repr=False)
    counts: list[float] = field(default_factory=list, repr=False)
    mins: list[float] = field(default_factory=list, repr=False)
    maxs: list[float] = field(default_factory=list, repr=False)
    samples: list[list[tuple[float, float]]] = field(default_factory=list, repr=False)

    @property
    def key(self) -> MetricKey:
        return metric_key(self.namespace, self.name, self.dimensions)

    def add(self, t: float, value: float, count: float = 1.0, *, total: float | None = None,
            minimum: float | None = None, maximum: float | None = None,
            pairs: list[tuple[float, float]] | None = None) -> None:
        """Add samples to the bucket that starts at ``t`` (already rounded by the caller).

        A single value is ``add(t, v)``; ``count`` repeats it; a statistic set passes
        ``total``/``minimum``/``maximum`` (no raw samples, so no percentiles from it).
        """
        s = value * count if total is None else total
        lo = value if minimum is None else minimum
        hi = value if maximum is None else maximum
        if pairs is None:
            pairs = [(value, count)] if total is None else []
        times = self.times
        n = len(times)
        if n and times[-1] == t:
            i = n - 1
        elif not n or times[-1] < t:
            times.append(t)
            self.sums.append(s)
            self.counts.append(count)
            self.mins.append(lo)
            self.maxs.append(hi)
            self.samples.append(list(pairs))
            return
        else:
            i = bisect_left(times, t)
            if i == n or times[i] != t:
                times.insert(i, t)
                self.sums.insert(i, s)
                self.counts.insert(i, count)
                self.mins.insert(i, lo)
                self.maxs.insert(i, hi)
                self.samples.insert(i, list(pairs))
                return
        self.sums[i] += s
        self.counts[i] += count
        self.mins[i] = min(self.mins[i], lo)
        self.maxs[i] = max(self.maxs[i], hi)
        self.samples[i].extend(pairs)

    def _add_sample(self, t: float, value: float, count: float) -> None:
        """``add(t, value, count)`` for the services' once-a-minute emissions: the same buckets,
        without the keyword handling and list copies (``t`` is usually the newest bucket)."""
        times = self.times
        if times and times[-1] == t:
            self.sums[-1] += value * count
            self.counts[-1] += count
            mins, maxs = self.mins, self.maxs
            if value < mins[-1]:
                mins[-1] = value
            if value > maxs[-1]:
                maxs[-1] = value
            self.samples[-1].append((value, count))
        elif not times or times[-1] < t:
            times.append(t)
            self.sums.append(value * count)
            self.counts.append(count)
            self.mins.append(value)
            self.maxs.append(value)
            self.samples.append([(value, count)])
        else:
            self.add(t, value, count)

    def aggregate(self, start: float, end: float, *, percentiles: bool = False) -> Aggregate:
        """Everything stored in ``[start, end)``: O(log n + buckets in range)."""
        lo = bisect_left(self.times, start)
        hi = bisect_left(self.times, end, lo)
        agg = Aggregate()
        if lo == hi:
            return agg
        agg.sum = sum(self.sums[lo:hi])
        agg.count = sum(self.counts[lo:hi])
        agg.minimum = min(self.mins[lo:hi])
        agg.maximum = max(self.maxs[lo:hi])
        if percentiles:
            for bucket in self.samples[lo:hi]:
                agg.pairs.extend(bucket)
        return agg

    def stat(self, stat: str, start: float, end: float) -> float | None:
        """A statistic over ``[start, end)``, None when no sample fell in it."""
        return compute_stat(self.aggregate(start, end, percentiles=stat[0] == "p"), stat)

    def period_stats(self, stat: str, starts: Iterable[float], period: float) -> list[float | None]:
        """``stat`` over ``[s, s + period)`` for each start ``s`` (ascending), in one pass.

        The same values as ``[self.stat(stat, s, s + period) for s in starts]``, but each
        period's buckets are found by a bisection that starts where the previous period's
        ended, and no :class:`Aggregate` is built: this is what alarm evaluation calls every
        minute.

        >>> m = Metric(namespace="MyApp", name="Load")
        >>> for t, v in ((0, 1.0), (60, 3.0), (61, 5.0), (180, 7.0)):
        ...     m.add(t, v)
        >>> m.period_stats("Average", [0, 60, 120, 180], 60)
        [1.0, 4.0, None, 7.0]
        """
        times, sums, counts = self.times, self.sums, self.counts
        out: list[float | None] = []
        append = out.append
        i = j = 0
        for s in starts:
            i = bisect_left(times, s, i)
            j = bisect_left(times, s + period, i if i > j else j)
            if i == j:
                append(None)
                continue
            if j - i == 1:      # one bucket: sum() of one item is 0 + item
                count = 0 + counts[i]
                if count <= 0:
                    append(None)
                elif stat == "Average":
                    append((0 + sums[i]) / count)
                elif stat == "Sum":
                    append(0 + sums[i])
                elif stat == "SampleCount":
                    append(count)
                elif stat == "Minimum":
                    append(self.mins[i])
                elif stat == "Maximum":
                    append(self.maxs[i])
                else:
                    append(percentile(self.samples[i], float(stat[1:])))
                continue
            count = sum(counts[i:j])
            if count <= 0:
                append(None)
            elif stat == "Average":
                append(sum(sums[i:j]) / count)
            elif stat == "Sum":
                append(sum(sums[i:j]))
            elif stat == "SampleCount":
                append(count)
            elif stat == "Minimum":
                append(min(self.mins[i:j]))
            elif stat == "Maximum":
                append(max(self.maxs[i:j]))
            else:
                pairs: list[tuple[float, float]] = []
                for bucket in self.samples[i:j]:
                    pairs.extend(bucket)
                append(percentile(pairs, float(stat[1:])))
        return out

    @property
    def datapoint_count(self) -> int:
        return len(self.times)

    def __repr__(self) -> str:
        dims = ", ".join(f"{k}={v}" for k, v in sorted(self.dimensions.items()))
        return (f"Metric({self.namespace!r}, {self.name!r}" + (f", {{{dims}}}" if dims else "")
                + f", points={len(self.times)})")


# -- request validation (PutMetricData, GetMetricStatistics) ------------------------------

#: How far back and ahead PutMetricData accepts a timestamp (two weeks back, two hours ahead).
MAX_AGE = 14 * 86400
MAX_AHEAD = 2 * 3600


def to_seconds(value: Any, param: str) -> float:
    """A boto3 timestamp (datetime, ISO string or epoch number) as simulated seconds."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.UTC)
        return (value - EPOCH).total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) - EPOCH.timestamp()
    if isinstance(value, str):
        try:
            return to_seconds(_dt.datetime.fromisoformat(value), param)
        except ValueError:
            pass
    raise InvalidParameter("InvalidParameterValue",
                           f"The value {value!r} for parameter {param} is not a timestamp; pass a datetime.")


def prepare_datum(i: int, d: Any, now: float):
    """Validate one PutMetricData entry; returns (name, dims, unit, t, high_res, samples)."""
    where = f"MetricData.member.{i}"
    if not isinstance(d, dict):
        raise InvalidParameter("InvalidParameterValue", f"{where} must be a structure, not {d!r}.")
    name = d.get("MetricName")
    if not isinstance(name, str) or not 1 <= len(name) <= 255:
        raise InvalidParameter("MissingParameter", f"The parameter {where}.MetricName is required (1-255 characters).")
    dims = dimensions_from(d.get("Dimensions"), f"{where}.Dimensions")
    unit = d.get("Unit", "None")
    if unit not in UNITS:
        raise InvalidParameter("InvalidParameterValue",
                               f"The value {unit!r} for parameter {where}.Unit is invalid. Units: {', '.join(UNITS)}.")
    resolution = d.get("StorageResolution", 60)
    if resolution not in (1, 60) or isinstance(resolution, bool):
        raise InvalidParameter("InvalidParameterValue",
                               f"The value {resolution!r} for parameter {where}.StorageResolution is invalid: "
                               "use 1 (high resolution) or 60 (standard).")
    t = now if d.get("Timestamp") is None else to_seconds(d["Timestamp"], f"{where}.Timestamp")
    if t > now + MAX_AHEAD or t < now - MAX_AGE:
        raise InvalidParameter("InvalidParameterValue",
                               f"The parameter {where}.Timestamp must specify a time no more than two weeks "
                               "in the past and no more than two hours in the future.")
    given = [k for k in ("Value", "Values", "StatisticValues") if d.get(k) is not None]
    if not given:
        raise InvalidParameter("InvalidParameterCombination",
                               f"At least one of the parameters {where}.Value, {where}.Values or "
                               f"{where}.StatisticValues must be specified.")
    if len(given) > 1:
        raise InvalidParameter("InvalidParameterValue",
                               f"The parameters {where}.{given[0]} and {where}.{given[1]} are mutually exclusive "
                               "and you have specified both.")
    samples: list[tuple[str, tuple]] = []
    if "Value" in given:
        samples.append(("value", (_finite(d["Value"], f"{where}.Value"), 1.0)))
    elif "Values" in given:
        values, counts = d["Values"], d.get("Counts")
        if not isinstance(values, list) or len(values) > 150:
            raise InvalidParameter("InvalidParameterValue", f"{where}.Values takes a list of up to 150 numbers.")
        if counts is None:
            counts = [1.0] * len(values)
        if not isinstance(counts, list) or len(counts) != len(values):
            raise InvalidParameter("InvalidParameterValue",
                                   f"{where}.Counts must have as many entries as {where}.Values "
                                   f"({len(values)}).")
        for v, c in zip(values, counts):
            samples.append(("value", (_finite(v, f"{where}.Values"), _finite(c, f"{where}.Counts"))))
    else:
        sv = d["StatisticValues"]
        missing = [k for k in ("SampleCount", "Sum", "Minimum", "Maximum") if not isinstance(sv, dict) or k not in sv]
        if missing:
            raise InvalidParameter("MissingParameter",
                                   f"The parameter {where}.StatisticValues.{missing[0]} is required.")
        vals = tuple(_finite(sv[k], f"{where}.StatisticValues.{k}") for k in ("SampleCount", "Sum", "Minimum", "Maximum"))
        if vals[0] <= 0 or vals[2] > vals[3]:
            raise InvalidParameter("InvalidParameterValue",
                                   f"{where}.StatisticValues needs SampleCount > 0 and Minimum <= Maximum.")
        samples.append(("set", vals))
    return name, dims, unit, t, resolution == 1, samples


def _finite(v: Any, param: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InvalidParameter("InvalidParameterValue", f"The value {v!r} for parameter {param} is not a number.")
    f = float(v)
    if math.isnan(f) or math.isinf(f) or abs(f) > 2 ** 360:
        raise InvalidParameter("InvalidParameterValue", f"The value {v!r} for parameter {param} is invalid.")
    return f


def _positive_int(v: Any, param: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise InvalidParameter("ValidationError", f"{param} must be an integer >= 1, not {v!r}.")
    return v


def _check_name(v: Any, param: str) -> None:
    if not isinstance(v, str) or not 1 <= len(v) <= 255:
        raise InvalidParameter("MissingParameter" if not v else "InvalidParameterValue",
                               f"The parameter {param} is required: 1-255 characters, got {v!r}.")


def _check_metric_identity(namespace: Any, name: Any, dimensions: Any) -> None:
    """A metric's namespace, name and dimensions (``{name: value}``), as CloudWatch bounds them."""
    _check_name(namespace, "Namespace")
    _check_name(name, "MetricName")
    if dimensions is None:
        return
    if not isinstance(dimensions, dict):
        raise InvalidParameter("InvalidParameterValue",
                               f"Dimensions are a dict such as {{'InstanceId': 'i-0abc...'}}, not {dimensions!r}.")
    if len(dimensions) > 30:
        raise InvalidParameter("InvalidParameterValue", f"A metric has at most 30 dimensions, not {len(dimensions)}.")
    for k, v in dimensions.items():
        if not isinstance(k, str) or not 1 <= len(k) <= 255:
            raise InvalidParameter("InvalidParameterValue", f"A dimension name is 1-255 characters, not {k!r}.")
        if not isinstance(v, str) or not 1 <= len(v) <= 1024:
            raise InvalidParameter("InvalidParameterValue",
                                   f"The value of dimension {k!r} is 1-1024 characters, not {v!r}.")


def _names(value: Any, param: str, code: str = "ValidationError") -> list[str]:
    """A list of names, e.g. AlarmNames (any iterable of strings but a string; a set is sorted)."""
    items = None
    if not isinstance(value, (str, bytes, dict)):
        try:
            items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        except TypeError:
            items = None
    if items is None or not all(isinstance(v, str) for v in items):
        raise InvalidParameter(code, f"{param} is a list of names such as ['cpu-high'], not {value!r}.")
    return items


def _optional_text(value: Any, param: str, code: str = "ValidationError") -> None:
    """None or a string (a filter such as AlarmNamePrefix)."""
    if value is not None and not isinstance(value, str):
        raise InvalidParameter(code, f"{param} is a string (or None for no filter), not {value!r}.")


def _check_namespace(namespace: Any) -> None:
    _check_name(namespace, "Namespace")
    if namespace.startswith("AWS/"):
        raise InvalidParameter("InvalidParameterValue",
                               f"The value {namespace} for parameter Namespace is invalid: namespaces starting with "
                               "'AWS/' are reserved for AWS services. Pick your own, e.g. 'MyApp'.")


def _check_period(period: Any, param: str, alarm: bool = False) -> None:
    high = (10, 20, 30) if alarm else (1, 5, 10, 20, 30)
    if isinstance(period, bool) or not isinstance(period, int) or period < 1 or (period not in high and period % 60):
        code = "ValidationError" if alarm else "InvalidParameterValue"
        raise InvalidParameter(code, f"The parameter {param} must be {', '.join(map(str, high))} or a multiple of 60, "
                                     f"not {period!r}.")


def dimensions_from(dims: Any, param: str = "Dimensions") -> dict[str, str]:
    """boto3's ``[{"Name", "Value"}]`` dimensions as a dict (at most 30, names unique)."""
    if dims is None:
        return {}
    if not isinstance(dims, list):
        raise InvalidParameter("InvalidParameterValue", f"{param} is a list of {{'Name', 'Value'}}, not {dims!r}.")
    if len(dims) > 30:
        raise InvalidParameter("InvalidParameterValue",
                               f"The collection {param} must not have a size greater than 30 (got {len(dims)}).")
    out: dict[str, str] = {}
    for i, d in enumerate(dims):
        if not isinstance(d, dict) or not d.get("Name"):
            raise InvalidParameter("MissingParameter", f"The parameter {param}.member.{i + 1}.Name is required.")
        if d.get("Value") is None or not isinstance(d["Value"], str):
            raise InvalidParameter("MissingParameter", f"The parameter {param}.member.{i + 1}.Value is required.")
        if d["Name"] in out:
            raise InvalidParameter("InvalidParameterValue",
                                   f"No metric may have duplicate dimensions: {d['Name']!r} appears twice in {param}.")
        out[d["Name"]] = d["Value"]
    return out
