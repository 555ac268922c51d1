"""The CloudWatch service of one account in one region: metrics, alarms and their actions.

Other services emit into it cheaply with :meth:`CloudWatchService.put`; alarms are judged
on the simulated clock (every minute, or every 10 seconds for high-resolution alarms) and
run their actions (Auto Scaling policies, SNS-style notifications, any callback
registered with :meth:`CloudWatchService.register_action`) when their state changes.
This module holds the service and its metric actions; the alarm actions and their
evaluation live in :mod:`awskit.cloudwatch.alarm_ops`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ..core.errors import InvalidParameter
from ..core.pricing import PRICES
from .alarm_ops import Notification, _AlarmOps
from .alarms import AlarmHistoryItem, AlarmState, MetricAlarm
from .metrics import (
    _HUGE,
    _NUMBERS,
    STATISTICS,
    UNITS,
    Metric,
    MetricKey,
    _check_metric_identity,
    _check_namespace,
    _check_period,
    _finite,
    _names,
    _optional_text,
    check_stat,
    metric_key,
    prepare_datum,
)

__all__ = ["CloudWatchService", "Notification"]

PRICES.setdefault("cloudwatch.metric.month", 0.30)  # custom metric, first 10,000 tier

MAX_DATAPOINTS = 1440
MAX_SERIES_POINTS = 1_000_000  # series() is for plots: a million periods is far more than any plot shows


class CloudWatchService(_AlarmOps):
    """Amazon CloudWatch in one region: ``cloud.cloudwatch``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=0)
    >>> cw = cloud.cloudwatch
    >>> for cpu in (50, 80, 90, 95):
    ...     _ = cw.put("AWS/EC2", "CPUUtilization", cpu, dimensions={"InstanceId": "i-1"}, unit="Percent")
    ...     cloud.clock.advance(minutes=1)
    >>> alarm = cw.put_metric_alarm("cpu-high", namespace="AWS/EC2", metric_name="CPUUtilization",
    ...     dimensions={"InstanceId": "i-1"}, statistic="Average", period=60, evaluation_periods=2,
    ...     threshold=70, comparison="GreaterThanThreshold")
    >>> alarm.state.value
    'INSUFFICIENT_DATA'
    >>> cloud.clock.advance(minutes=1)
    >>> alarm.state.value, alarm.state_reason[:40]
    ('ALARM', 'Threshold Crossed: 2 out of the last 2 d')
    """

    def __init__(self, cloud, region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name = region.name
        self.metrics: dict[MetricKey, Metric] = {}
        self._by_namespace: dict[str, list[Metric]] = {}
        self.alarms: dict[str, MetricAlarm] = {}
        self.history: list[AlarmHistoryItem] = []
        self.notifications: list[Notification] = []
        self._actions: dict[str, Callable[[MetricAlarm, AlarmState], Any]] = {}
        self._meters: dict[Any, Any] = {}
        self._minute_tick = None
        self._fast_tick = None
        self._arn_services: dict[str, str] = {}

    # -- metrics ------------------------------------------------------------------
    def _metric(self, namespace: str, name: str, dimensions: dict[str, str] | None) -> Metric:
        key = metric_key(namespace, name, dimensions)
        metric = self.metrics.get(key)
        if metric is None:
            metric = Metric(namespace=namespace, name=name, dimensions=dict(dimensions or {}))
            self.metrics[key] = metric
            self._by_namespace.setdefault(namespace, []).append(metric)
            if not namespace.startswith("AWS/"):
                # Custom metrics are billed per metric-month (AWS prorates by the hour in which
                # a metric is published; awskit meters from the first sample on).
                self._meters[key] = self.cloud.bill.start_meter(
                    "cloudwatch", f"metric:{namespace}/{name}", "custom metric-month",
                    monthly=PRICES["cloudwatch.metric.month"])
        return metric

    def put(self, namespace: str, name: str, value: float, *, dimensions: dict[str, str] | None = None,
            unit: str = "None", timestamp: float | None = None, count: float = 1.0,
            high_resolution: bool = False) -> Metric:
        """Record one sample, the cheap way other services emit (types checked, no request limits).

        ``timestamp`` is simulated seconds (default: now).  Namespaces starting with
        ``AWS/`` are allowed here, since this is how the simulated services publish.  Unlike
        :meth:`put_metric_data` there is no two-week window and no ``AWS/`` rule; a wrong type,
        a non-finite number or an unknown unit is still refused before anything is stored.

        >>> from awskit import Cloud
        >>> cw = Cloud().cloudwatch
        >>> cw.put("MyApp", "Orders", 3, unit="Count").name
        'Orders'

        Raises: InvalidParameterValue (value, unit, count, timestamp, dimensions),
        MissingParameter (empty namespace or name).
        """
        # The checks are ordered so the usual call (a float, a known metric, its own unit) costs
        # a few identity tests; anything unusual drops to the full checks in _checked_sample.
        if value.__class__ not in _NUMBERS or not -_HUGE < value < _HUGE:
            value = _finite(value, "value")
        if count.__class__ not in _NUMBERS or not -_HUGE < count < _HUGE:
            count = _finite(count, "count")
        if timestamp is None:
            t = self.cloud.clock.now
        elif timestamp.__class__ in _NUMBERS and -_HUGE < timestamp < _HUGE:
            t = float(timestamp)
        else:
            t = _finite(timestamp, "timestamp")
        if high_resolution is not False and high_resolution is not True:
            raise InvalidParameter("InvalidParameterValue",
                                   f"high_resolution is True (one-second storage) or False, not {high_resolution!r}.")
        metric = None
        if dimensions is None or dimensions.__class__ is dict:
            try:
                metric = self.metrics.get(metric_key(namespace, name, dimensions))
            except TypeError:   # an unhashable name or dimension value: reported below
                metric = None
        if metric is None:
            _check_metric_identity(namespace, name, dimensions)
        if unit != (metric.unit if metric is not None else "None") and unit not in UNITS:
            raise InvalidParameter("InvalidParameterValue",
                                   f"The value {unit!r} for parameter Unit is invalid. Units: {', '.join(UNITS)}.")
        if metric is None:
            metric = self._metric(namespace, name, dimensions)
        metric._add_sample(math.floor(t) if high_resolution else t - t % 60, float(value), count)
        metric.unit = unit
        metric.high_resolution = metric.high_resolution or high_resolution
        metric.last_put = max(metric.last_put, t)
        return metric

    def _series(self, namespace: str, name: str, dimensions: dict[str, str] | None) -> Metric:
        """The metric a service emits into every minute (checked and created on first use).

        Emitters keep it and call :meth:`_emit`: the same storage as :meth:`put` without
        building the metric's identity again each minute.
        """
        metric = self.metrics.get(metric_key(namespace, name, dimensions))
        if metric is None:
            _check_metric_identity(namespace, name, dimensions)
            metric = self._metric(namespace, name, dimensions)
        return metric

    def _emit(self, metric: Metric, value: float, unit: str, t: float, count: float = 1.0) -> None:
        """``put(..., unit=unit, timestamp=t, count=count)`` into a metric from :meth:`_series`
        (a standard-resolution sample; values come from the simulation, not from a user)."""
        metric._add_sample(t - t % 60, float(value), count)
        metric.unit = unit
        if t > metric.last_put:
            metric.last_put = t

    def put_metric_data(self, namespace: str, metric_data: list[dict[str, Any]]) -> None:
        """PutMetricData with boto3-shaped ``MetricData`` entries, validated as AWS does.

        Raises:
            InvalidParameterValue, InvalidParameterCombination, MissingParameter.
        """
        _check_namespace(namespace)
        if not isinstance(metric_data, list) or not metric_data:
            raise InvalidParameter("MissingParameter", "The parameter MetricData is required: give 1 to 1000 entries.")
        if len(metric_data) > 1000:
            raise InvalidParameter("InvalidParameterValue",
                                   f"The collection MetricData must not have a size greater than 1000 "
                                   f"(got {len(metric_data)}); split the call.")
        now = self.cloud.clock.now
        prepared = [prepare_datum(i + 1, d, now) for i, d in enumerate(metric_data)]
        for name, dims, unit, t, hr, samples in prepared:  # all valid: nothing half-stored
            metric = self._metric(namespace, name, dims)
            bucket = math.floor(t) if hr else t - t % 60
            for kind, payload in samples:
                if kind == "set":
                    s_count, s_sum, s_min, s_max = payload
                    metric.add(bucket, s_min, s_count, total=s_sum, minimum=s_min, maximum=s_max)
                else:
                    value, count = payload
                    metric.add(bucket, value, count)
            metric.unit = unit
            metric.high_resolution = metric.high_resolution or hr
            metric.last_put = max(metric.last_put, t)

    def get_metric(self, namespace: str, name: str, dimensions: dict[str, str] | None = None) -> Metric | None:
        """The stored metric with exactly these dimensions, or None.

        Raises: InvalidParameterValue / MissingParameter (a namespace, name or dimensions that
        no metric could have).
        """
        if dimensions is None or dimensions.__class__ is dict:
            try:
                return self.metrics.get(metric_key(namespace, name, dimensions))
            except TypeError:   # unhashable parts: explained below
                pass
        _check_metric_identity(namespace, name, dimensions)
        return None

    def get_metric_statistics(self, namespace: str, name: str, *, start: float, end: float, period: int,
                              statistics: Iterable[str] = (), extended: Iterable[str] = (),
                              dimensions: dict[str, str] | None = None, unit: str | None = None) -> list[dict]:
        """Datapoints (dicts with Timestamp seconds, the statistics and Unit), oldest first.

        AWS does not promise any order; awskit (like moto) returns them oldest first.

        Raises:
            InvalidParameterValue (period, times), InvalidParameterCombination (no statistic,
            more than 1,440 datapoints).
        """
        statistics = [] if statistics is None else _names(statistics, "Statistics", "InvalidParameterValue")
        extended = [] if extended is None else _names(extended, "ExtendedStatistics", "InvalidParameterValue")
        start, end = _finite(start, "StartTime"), _finite(end, "EndTime")
        _check_metric_identity(namespace, name, dimensions)
        if unit is not None and unit not in UNITS:
            raise InvalidParameter("InvalidParameterValue",
                                   f"The value {unit!r} for parameter Unit is invalid. Units: {', '.join(UNITS)}.")
        if not statistics and not extended:
            raise InvalidParameter("InvalidParameterCombination", "Must specify either Statistics or ExtendedStatistics.")
        for s in statistics:
            if s not in STATISTICS:
                raise InvalidParameter("InvalidParameterValue",
                                       f"The value {s!r} for parameter Statistics is invalid. Valid: {', '.join(STATISTICS)}.")
        for s in extended:
            if s in STATISTICS or check_stat(s, "ExtendedStatistics") != s:
                raise InvalidParameter("InvalidParameterValue", f"ExtendedStatistics takes percentiles like p90, not {s!r}.")
        _check_period(period, "Period")
        if start >= end:
            raise InvalidParameter("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.")
        step = 1 if period < 60 else 60
        first = start - start % step
        n = math.ceil((end - first) / period)
        if n > MAX_DATAPOINTS:
            raise InvalidParameter("InvalidParameterCombination",
                                   f"You have requested up to {n:,} datapoints, which exceeds the limit of 1,440. "
                                   "You may reduce the datapoints requested by increasing Period, or decreasing the time range.")
        metric = self.get_metric(namespace, name, dimensions)
        if metric is None or (unit is not None and unit != metric.unit):
            return []
        want_pct = bool(extended)
        out = []
        lo = first
        while lo < end:
            agg = metric.aggregate(lo, lo + period, percentiles=want_pct)
            if not agg.empty:
                point: dict[str, Any] = {"Timestamp": lo}
                for s in statistics:
                    point[s] = _stat(agg, s)
                if extended:
                    point["ExtendedStatistics"] = {s: _stat(agg, s) for s in extended}
                point["Unit"] = metric.unit
                out.append(point)
            lo += period
        return out

    def series(self, namespace: str, name: str, dimensions: dict[str, str] | None = None, *,
               stat: str = "Average", period: int = 60, start: float | None = None,
               end: float | None = None) -> tuple[list[float], list[float]]:
        """``(times, values)`` of one statistic per period, for plots (periods without data skipped).

        >>> from awskit import Cloud
        >>> cloud = Cloud(); cw = cloud.cloudwatch
        >>> for v in (1, 2, 3):
        ...     _ = cw.put("MyApp", "Load", v); cloud.clock.advance(minutes=1)
        >>> cw.series("MyApp", "Load", stat="Sum", period=60)
        ([0.0, 60.0, 120.0], [1.0, 2.0, 3.0])
        """
        check_stat(stat, "stat")
        if isinstance(period, bool) or not isinstance(period, (int, float)) or not 0 < period < _HUGE:
            raise InvalidParameter("InvalidParameterValue", f"period is a number of seconds > 0, not {period!r}.")
        start = None if start is None else _finite(start, "start")
        end = None if end is None else _finite(end, "end")
        metric = self.get_metric(namespace, name, dimensions)
        if metric is None or not metric.times:
            return [], []
        start = metric.times[0] if start is None else start
        end = self.cloud.clock.now + 1 if end is None else end
        start -= start % (1 if period < 60 else 60)
        if (end - start) / period > MAX_SERIES_POINTS:
            raise InvalidParameter("InvalidParameterValue",
                                   f"That asks for {(end - start) / period:,.0f} periods "
                                   f"(at most {MAX_SERIES_POINTS:,}): "
                                   "use a longer period or a shorter time range.")
        starts = []
        t = start
        while t < end:
            starts.append(t)
            t += period
        times, values = [], []
        for t, v in zip(starts, metric.period_stats(stat, starts, period)):
            if v is not None:
                times.append(t)
                values.append(v)
        return times, values

    def list_metrics(self, namespace: str | None = None, metric_name: str | None = None,
                     dimensions: list[dict[str, str]] | None = None, recently_active: str | None = None) -> list[Metric]:
        """Metrics matching the filters, sorted by namespace, name, dimensions.

        ``dimensions`` is boto3's DimensionFilter list: each ``{"Name", "Value"?}`` must be
        on the metric (any value when ``Value`` is omitted).
        """
        _optional_text(namespace, "Namespace", "InvalidParameterValue")
        _optional_text(metric_name, "MetricName", "InvalidParameterValue")
        if dimensions is not None and not isinstance(dimensions, (list, tuple)):
            raise InvalidParameter("InvalidParameterValue",
                                   f"Dimensions is a list of filters such as [{{'Name': 'InstanceId'}}], "
                                   f"not {dimensions!r}.")
        if recently_active is not None and not isinstance(recently_active, str):
            raise InvalidParameter("InvalidParameterValue",
                                   f"RecentlyActive can only be PT3H, not {recently_active!r}.")
        pool: Iterable[Metric]
        pool = self._by_namespace.get(namespace, []) if namespace is not None else self.metrics.values()
        want = []
        for i, f in enumerate(dimensions or []):
            if not isinstance(f, dict) or "Name" not in f:
                raise InvalidParameter("MissingParameter", f"The parameter Dimensions.member.{i + 1}.Name is required.")
            if not isinstance(f["Name"], str) or not isinstance(f.get("Value", ""), (str, type(None))):
                raise InvalidParameter("InvalidParameterValue",
                                       f"Dimensions.member.{i + 1} takes a Name and an optional Value as strings, "
                                       f"not {f!r}.")
            want.append((f["Name"], f.get("Value")))
        if recently_active not in (None, "PT3H"):
            raise InvalidParameter("InvalidParameterValue", f"RecentlyActive can only be PT3H, not {recently_active!r}.")
        now = self.cloud.clock.now
        out = []
        for m in pool:
            if metric_name is not None and m.name != metric_name:
                continue
            if any(k not in m.dimensions or (v is not None and m.dimensions[k] != v) for k, v in want):
                continue
            if recently_active and m.last_put < now - 3 * 3600:
                continue
            out.append(m)
        out.sort(key=lambda m: m.key)
        return out

    def __repr__(self) -> str:
        alarming = sum(1 for a in self.alarms.values() if a.state is AlarmState.ALARM)
        return (f"CloudWatchService({self.region_name!r}, metrics={len(self.metrics)}, alarms={len(self.alarms)}, "
                f"in_alarm={alarming})")


def _stat(agg, s: str) -> float | None:
    from .metrics import compute_stat
    return compute_stat(agg, s)
