"""The CloudWatch service of one account in one region: metrics, alarms and their actions.

Other services emit into it cheaply with :meth:`CloudWatchService.put`; alarms are judged
on the simulated clock (every minute, or every 10 seconds for high-resolution alarms) and
run their actions (Auto Scaling policies, SNS-style notifications, any callback
registered with :meth:`CloudWatchService.register_action`) when their state changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..core.errors import AWSError, InvalidParameter, NotFound
from ..core.pricing import PRICES
from .alarms import (
    ANOMALY_OPERATORS,
    AlarmHistoryItem,
    AlarmState,
    Comparison,
    MetricAlarm,
    MissingData,
    evaluate_datapoints,
    evaluation_range,
    state_reason,
    state_reason_data,
)
from .metrics import (
    STATISTICS,
    UNITS,
    Metric,
    MetricKey,
    _check_name,
    _check_namespace,
    _check_period,
    _positive_int,
    check_stat,
    metric_key,
    prepare_datum,
)

__all__ = ["CloudWatchService", "Notification"]

PRICES.setdefault("cloudwatch.metric.month", 0.30)  # custom metric, first 10,000 tier
PRICES.setdefault("cloudwatch.alarm.month", 0.10)  # standard-resolution metric alarm
PRICES.setdefault("cloudwatch.alarm.highres.month", 0.30)  # high-resolution alarm

MAX_DATAPOINTS = 1440
HISTORY_SECONDS = 14 * 86400  # alarm history is kept two weeks


@dataclass(slots=True, kw_only=True)
class Notification:
    """A message an alarm sent to an SNS topic (awskit keeps them in a log)."""

    time: float
    topic_arn: str
    alarm_name: str
    old_state: str
    new_state: str
    reason: str


_NAME = re.compile(r"^[\x20-\x7e]{1,255}$")
_ARN = re.compile(r"^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$")
_REPEATING_SERVICES = {"autoscaling", "application-autoscaling"}


class CloudWatchService:
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
        """Record one sample, the cheap way other services emit (no request validation).

        ``timestamp`` is simulated seconds (default: now).  Namespaces starting with
        ``AWS/`` are allowed here, since this is how the simulated services publish.

        >>> from awskit import Cloud
        >>> cw = Cloud().cloudwatch
        >>> cw.put("MyApp", "Orders", 3, unit="Count").name
        'Orders'
        """
        t = self.cloud.clock.now if timestamp is None else float(timestamp)
        metric = self._metric(namespace, name, dimensions)
        metric.add(math.floor(t) if high_resolution else t - t % 60, float(value), count)
        metric.unit = unit
        metric.high_resolution = metric.high_resolution or high_resolution
        metric.last_put = max(metric.last_put, t)
        return metric

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
        """The stored metric with exactly these dimensions, or None."""
        return self.metrics.get(metric_key(namespace, name, dimensions))

    def get_metric_statistics(self, namespace: str, name: str, *, start: float, end: float, period: int,
                              statistics: Iterable[str] = (), extended: Iterable[str] = (),
                              dimensions: dict[str, str] | None = None, unit: str | None = None) -> list[dict]:
        """Datapoints (dicts with Timestamp seconds, the statistics and Unit), oldest first.

        AWS does not promise any order; awskit (like moto) returns them oldest first.

        Raises:
            InvalidParameterValue (period, times), InvalidParameterCombination (no statistic,
            more than 1,440 datapoints).
        """
        statistics, extended = list(statistics), list(extended)
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
        metric = self.get_metric(namespace, name, dimensions)
        if metric is None or not metric.times:
            return [], []
        start = metric.times[0] if start is None else start
        end = self.cloud.clock.now + 1 if end is None else end
        start -= start % (1 if period < 60 else 60)
        times, values = [], []
        pct = stat[0] == "p"
        t = start
        while t < end:
            v = metric.stat(stat, t, t + period) if pct else _stat(metric.aggregate(t, t + period), stat)
            if v is not None:
                times.append(t)
                values.append(v)
            t += period
        return times, values

    def list_metrics(self, namespace: str | None = None, metric_name: str | None = None,
                     dimensions: list[dict[str, str]] | None = None, recently_active: str | None = None) -> list[Metric]:
        """Metrics matching the filters, sorted by namespace, name, dimensions.

        ``dimensions`` is boto3's DimensionFilter list: each ``{"Name", "Value"?}`` must be
        on the metric (any value when ``Value`` is omitted).
        """
        pool: Iterable[Metric]
        pool = self._by_namespace.get(namespace, []) if namespace is not None else self.metrics.values()
        want = []
        for i, f in enumerate(dimensions or []):
            if not isinstance(f, dict) or "Name" not in f:
                raise InvalidParameter("MissingParameter", f"The parameter Dimensions.member.{i + 1}.Name is required.")
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

    # -- alarms -----------------------------------------------------------------------
    def put_metric_alarm(self, name: str, *, namespace: str, metric_name: str, threshold: float,
                         comparison: str | Comparison, evaluation_periods: int, period: int = 60,
                         statistic: str | None = None, extended_statistic: str | None = None,
                         dimensions: dict[str, str] | None = None, datapoints_to_alarm: int | None = None,
                         treat_missing_data: str | None = None, unit: str | None = None,
                         description: str = "", actions_enabled: bool = True,
                         alarm_actions: Iterable[str] = (), ok_actions: Iterable[str] = (),
                         insufficient_data_actions: Iterable[str] = (),
                         tags: dict[str, str] | None = None) -> MetricAlarm:
        """Create or replace a metric alarm (PutMetricAlarm); a new alarm starts INSUFFICIENT_DATA.

        Raises:
            ValidationError (bad operator, period, M > N, evaluation span), InvalidParameterCombination
            (Statistic and ExtendedStatistic together or neither), LimitExceeded (5 actions per state).
        """
        if not isinstance(name, str) or not _NAME.match(name):
            raise InvalidParameter("ValidationError", f"AlarmName must be 1-255 printable ASCII characters, not {name!r}.")
        _check_name(namespace, "Namespace")
        _check_name(metric_name, "MetricName")
        if (statistic is None) == (extended_statistic is None):
            raise InvalidParameter("InvalidParameterCombination",
                                   "Exactly one of Statistic and ExtendedStatistic must be given.")
        if statistic is not None and statistic not in STATISTICS:
            raise InvalidParameter("ValidationError",
                                   f"Value {statistic!r} at 'statistic' failed to satisfy constraint: "
                                   f"Member must satisfy enum value set: [{', '.join(STATISTICS)}]")
        if extended_statistic is not None and (extended_statistic in STATISTICS or
                                               check_stat(extended_statistic, "ExtendedStatistic") != extended_statistic):
            raise InvalidParameter("InvalidParameterValue", f"ExtendedStatistic takes a percentile like p90, not {extended_statistic!r}.")
        try:
            op = Comparison(comparison)
        except ValueError:
            raise InvalidParameter("ValidationError",
                                   f"Value {comparison!r} at 'comparisonOperator' failed to satisfy constraint: "
                                   f"Member must satisfy enum value set: [{', '.join(c.value for c in Comparison)}]") from None
        if op in ANOMALY_OPERATORS:
            raise InvalidParameter("ValidationError",
                                   f"{op.value} compares with an anomaly-detection band, which needs ThresholdMetricId "
                                   "and a model; awskit does not model anomaly detection. Use GreaterThanThreshold, "
                                   "GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold.")
        _check_period(period, "Period", alarm=True)
        n = _positive_int(evaluation_periods, "EvaluationPeriods")
        m = n if datapoints_to_alarm is None else _positive_int(datapoints_to_alarm, "DatapointsToAlarm")
        if m > n:
            raise InvalidParameter("ValidationError",
                                   f"DatapointsToAlarm ({m}) must be less than or equal to EvaluationPeriods ({n}).")
        span = period * n
        if span > 7 * 86400 or (period < 3600 and span > 86400):
            raise InvalidParameter("ValidationError",
                                   f"Period x EvaluationPeriods is {span} s: it may not exceed one day (86,400 s) for "
                                   "periods under an hour, nor seven days (604,800 s) otherwise.")
        missing = None
        if treat_missing_data is not None:
            try:
                missing = MissingData(treat_missing_data)
            except ValueError:
                raise InvalidParameter("ValidationError",
                                       f"TreatMissingData {treat_missing_data!r} is invalid; valid values: "
                                       f"{', '.join(x.value for x in MissingData)}.") from None
        if unit is not None and unit not in UNITS:
            raise InvalidParameter("ValidationError", f"Unit {unit!r} is invalid. Units: {', '.join(UNITS)}.")
        lists = {}
        for param, actions in (("AlarmActions", alarm_actions), ("OKActions", ok_actions),
                               ("InsufficientDataActions", insufficient_data_actions)):
            actions = list(actions or [])
            if len(actions) > 5:
                raise InvalidParameter("LimitExceeded", f"{param} takes at most 5 actions, not {len(actions)}.")
            for a in actions:
                if not isinstance(a, str) or not _ARN.match(a):
                    raise InvalidParameter("ValidationError", f"Invalid arn syntax in {param}: {a!r}. "
                                           "An action is an ARN such as arn:aws:sns:us-east-1:123456789012:topic.")
            lists[param] = actions
        now = self.cloud.clock.now
        dims = dict(dimensions or {})
        if len(dims) > 30:
            raise InvalidParameter("InvalidParameterValue", f"An alarm's metric has at most 30 dimensions, not {len(dims)}.")
        existing = self.alarms.get(name)
        alarm = MetricAlarm(
            name=name, arn=self.cloud.arn("cloudwatch", f"alarm:{name}", self.region_name),
            namespace=namespace, metric_name=metric_name, dimensions=dims, statistic=statistic,
            extended_statistic=extended_statistic, period=int(period), evaluation_periods=n,
            datapoints_to_alarm=datapoints_to_alarm, threshold=float(threshold), comparison=op,
            treat_missing_data=missing, unit=unit, description=description, actions_enabled=bool(actions_enabled),
            alarm_actions=lists["AlarmActions"], ok_actions=lists["OKActions"],
            insufficient_data_actions=lists["InsufficientDataActions"], state_updated=now,
            state_transitioned=now, configuration_updated=now, tags=dict(tags or {}),
        )
        if existing is not None:
            # Updating an alarm keeps its state (AWS re-evaluates it at the next evaluation).
            alarm.state, alarm.state_reason = existing.state, existing.state_reason
            alarm.state_reason_data, alarm.state_updated = existing.state_reason_data, existing.state_updated
            alarm.state_transitioned = existing.state_transitioned
            alarm.tags = {**existing.tags, **alarm.tags}
            self.cloud.bill.stop_meter(self._meters.pop(("alarm", name), None))
        self.alarms[name] = alarm
        self._meters[("alarm", name)] = self.cloud.bill.start_meter(
            "cloudwatch", f"alarm:{name}", "alarm-month",
            monthly=PRICES["cloudwatch.alarm.highres.month" if alarm.high_resolution else "cloudwatch.alarm.month"])
        self._record(alarm, "ConfigurationUpdate", f"Alarm \"{name}\" {'updated' if existing else 'created'}")
        self._ensure_ticks()
        return alarm

    def get_alarm(self, name: str) -> MetricAlarm:
        """The alarm called ``name``; ResourceNotFound lists the alarms that exist."""
        alarm = self.alarms.get(name)
        if alarm is None:
            known = ", ".join(sorted(self.alarms)) or "none"
            raise NotFound("ResourceNotFound", f"Alarm {name!r} does not exist in {self.region_name}. Alarms: {known}.")
        return alarm

    def describe_alarms(self, names: Iterable[str] | None = None, prefix: str | None = None,
                        state: str | None = None, action_prefix: str | None = None) -> list[MetricAlarm]:
        """Alarms filtered as DescribeAlarms filters them, sorted by name."""
        if names and prefix:
            raise InvalidParameter("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be used together.")
        if state is not None and state not in AlarmState.__members__:
            raise InvalidParameter("ValidationError",
                                   f"Value {state!r} at 'stateValue' failed to satisfy constraint: Member must satisfy "
                                   "enum value set: [INSUFFICIENT_DATA, ALARM, OK]")
        pool = ([self.alarms[n] for n in dict.fromkeys(names) if n in self.alarms] if names
                else list(self.alarms.values()))
        out = [a for a in pool
               if (prefix is None or a.name.startswith(prefix))
               and (state is None or a.state.value == state)
               and (action_prefix is None or any(x.startswith(action_prefix) for x in
                                                 a.alarm_actions + a.ok_actions + a.insufficient_data_actions))]
        return sorted(out, key=lambda a: a.name)

    def delete_alarms(self, names: Iterable[str]) -> None:
        """Delete alarms; AWS fails the whole call if one does not exist."""
        names = list(names)
        missing = [n for n in names if n not in self.alarms]
        if missing:
            raise NotFound("ResourceNotFound", f"Alarm(s) {', '.join(map(repr, missing))} do not exist; nothing was deleted.")
        for n in names:
            alarm = self.alarms.pop(n)
            self.cloud.bill.stop_meter(self._meters.pop(("alarm", n), None))
            self._record(alarm, "ConfigurationUpdate", f"Alarm \"{n}\" deleted")

    def set_alarm_actions(self, names: Iterable[str], enabled: bool) -> None:
        """EnableAlarmActions / DisableAlarmActions (unknown names are skipped, as in AWS)."""
        for n in names:
            alarm = self.alarms.get(n)
            if alarm is not None:
                alarm.actions_enabled = enabled

    def set_alarm_state(self, name: str, state: str | AlarmState, reason: str,
                        reason_data: str | None = None) -> MetricAlarm:
        """SetAlarmState: force a state for testing; actions run if it changed, and the next
        evaluation puts the alarm back where its data says it belongs."""
        alarm = self.get_alarm(name)
        try:
            new = AlarmState(state)
        except ValueError:
            raise InvalidParameter("ValidationError",
                                   f"Value {state!r} at 'stateValue' failed to satisfy constraint: Member must satisfy "
                                   "enum value set: [INSUFFICIENT_DATA, ALARM, OK]") from None
        if not isinstance(reason, str) or len(reason) > 1023:
            raise InvalidParameter("ValidationError", "StateReason is a string of at most 1023 characters.")
        if reason_data is not None:
            import json
            try:
                json.loads(reason_data)
            except (TypeError, ValueError):
                raise InvalidParameter("InvalidFormat", f"StateReasonData must be JSON, not {reason_data!r}.") from None
        self._transition(alarm, new, reason, reason_data or "{}")
        return alarm

    def alarm_history(self, name: str | None = None, item_type: str | None = None,
                      start: float | None = None, end: float | None = None) -> list[AlarmHistoryItem]:
        """History items, newest first (kept for two weeks, as in AWS)."""
        horizon = self.cloud.clock.now - HISTORY_SECONDS
        out = [h for h in self.history
               if h.timestamp >= horizon and (name is None or h.alarm_name == name)
               and (item_type is None or h.item_type == item_type)
               and (start is None or h.timestamp >= start) and (end is None or h.timestamp <= end)]
        return out[::-1]

    def register_action(self, arn: str, callback: Callable[[MetricAlarm, AlarmState], Any]) -> None:
        """Make ``arn`` an action target: ``callback(alarm, new_state)`` runs when an alarm invokes it.

        Auto Scaling registers its scaling policies here; an SNS topic ARN with no callback
        is recorded in :attr:`notifications`.
        """
        if not isinstance(arn, str) or not _ARN.match(arn):
            raise InvalidParameter("ValidationError", f"Invalid arn syntax: {arn!r}.")
        self._actions[arn] = callback

    def unregister_action(self, arn: str) -> None:
        self._actions.pop(arn, None)

    # -- evaluation on the clock ------------------------------------------------------
    def _ensure_ticks(self) -> None:
        clock = self.cloud.clock
        if self._minute_tick is None or self._minute_tick.cancelled:
            # Evaluate on whole minutes, after anything else due at the same instant (priority 10):
            # at 09:06:00 the last one-minute period is 09:05:00-09:06:00.
            first = 60 - clock.now % 60
            self._minute_tick = clock.every(60, self._tick_minute, start=first, priority=10,
                                            name=f"cloudwatch {self.region_name} alarms")
        if self._fast_tick is None and any(a.high_resolution for a in self.alarms.values()):
            first = 10 - clock.now % 10
            self._fast_tick = clock.every(10, self._tick_fast, start=first, priority=10,
                                          name=f"cloudwatch {self.region_name} high-resolution alarms")

    def _tick_minute(self) -> None:
        now = self.cloud.clock.now
        for alarm in list(self.alarms.values()):
            if alarm.high_resolution:
                continue
            if alarm.period * alarm.evaluation_periods > 86400 and now % 3600:
                continue  # multi-day alarms are evaluated once an hour
            self.evaluate(alarm)

    def _tick_fast(self) -> None:
        high = [a for a in self.alarms.values() if a.high_resolution]
        if not high and self._fast_tick is not None:
            self._fast_tick.cancel()
            self._fast_tick = None
            return
        for alarm in high:
            self.evaluate(alarm)

    def datapoints(self, alarm: MetricAlarm, now: float | None = None) -> list[tuple[float, float | None]]:
        """The alarm's evaluation range at ``now``: ``(period start, value or None)``, oldest first.

        Periods end at the evaluation time: at 09:06 a 5-minute period covers 09:01-09:06.
        """
        now = self.cloud.clock.now if now is None else now
        metric = self.get_metric(alarm.namespace, alarm.metric_name, alarm.dimensions)
        r = evaluation_range(alarm.evaluation_periods)
        p = alarm.period
        stat = alarm.stat
        out = []
        for i in range(r, 0, -1):
            lo = now - i * p
            value = None
            if metric is not None and (alarm.unit is None or alarm.unit == metric.unit):
                value = metric.stat(stat, lo, lo + p)
            out.append((lo, value))
        return out

    def evaluate(self, alarm: MetricAlarm | str) -> MetricAlarm:
        """Judge an alarm now (the clock does this every minute; call it to force one)."""
        if isinstance(alarm, str):
            alarm = self.get_alarm(alarm)
        now = self.cloud.clock.now
        points = self.datapoints(alarm, now)
        ev = evaluate_datapoints(points, m=alarm.m, n=alarm.evaluation_periods, comparison=alarm.comparison,
                                 threshold=alarm.threshold, missing=alarm.missing)
        new = ev.state
        if new is None or new is alarm.state:
            self._repeat_actions(alarm, now)
            return alarm
        iso = self._iso
        reason = state_reason(alarm, ev, alarm.state, new, self._short_time)
        data = state_reason_data(alarm, ev, now, points[0][0] if points else now, iso)
        self._transition(alarm, new, reason, data)
        return alarm

    def _transition(self, alarm: MetricAlarm, new: AlarmState, reason: str, data: str) -> None:
        now = self.cloud.clock.now
        old = alarm.state
        alarm.state_reason, alarm.state_reason_data, alarm.state_updated = reason, data, now
        if new is old:
            return
        alarm.state = new
        alarm.state_transitioned = now
        self._record(alarm, "StateUpdate", f"Alarm updated from {old.value} to {new.value}",
                     _history_data(old, new, reason, data))
        self.cloud.events.publish("cloudwatch.alarm.state", alarm=alarm.name, old=old.value, new=new.value,
                                  reason=reason, region=self.region_name)
        if alarm.actions_enabled:
            alarm.last_repeat = now
            for arn in alarm.actions_for(new):
                self._invoke(alarm, arn, old, new)

    def _repeat_actions(self, alarm: MetricAlarm, now: float) -> None:
        # AWS runs most actions only on a state change; Auto Scaling actions are the exception:
        # "the alarm continues to invoke the action for every period that the alarm remains in
        # the new state" (CloudWatch User Guide, alarm actions).  awskit re-invokes them once a
        # minute, at the alarm's evaluations, while the state holds.
        if not alarm.actions_enabled or now - alarm.last_repeat < 60:
            return
        repeating = [a for a in alarm.actions_for(alarm.state) if _ARN.match(a).group(1) in _REPEATING_SERVICES]
        if repeating:
            alarm.last_repeat = now
            for arn in repeating:
                self._invoke(alarm, arn, alarm.state, alarm.state)

    def _invoke(self, alarm: MetricAlarm, arn: str, old: AlarmState, new: AlarmState) -> None:
        callback = self._actions.get(arn)
        service = _ARN.match(arn).group(1)
        if callback is not None:
            try:
                callback(alarm, new)
            except AWSError as err:
                self._record(alarm, "Action", f"Failed to execute action {arn}. Received error: \"{err.message}\"")
                return
            self._record(alarm, "Action", f"Successfully executed action {arn}")
        elif service == "sns":
            self.notifications.append(Notification(time=self.cloud.clock.now, topic_arn=arn, alarm_name=alarm.name,
                                                   old_state=old.value, new_state=new.value,
                                                   reason=alarm.state_reason))
            self._record(alarm, "Action", f"Successfully executed action {arn}")
        else:
            self._record(alarm, "Action", f"Failed to execute action {arn}. Received error: "
                                          "\"No target is registered for this ARN in the simulation.\"")

    def _record(self, alarm: MetricAlarm, item_type: str, summary: str, data: str = "{}") -> None:
        self.history.append(AlarmHistoryItem(alarm_name=alarm.name, alarm_type="MetricAlarm",
                                             timestamp=self.cloud.clock.now, item_type=item_type,
                                             summary=summary, data=data))

    def _iso(self, t: float) -> str:
        return self.cloud.clock.to_datetime(t).strftime("%Y-%m-%dT%H:%M:%S.") + "000+0000"

    def _short_time(self, t: float) -> str:
        return self.cloud.clock.to_datetime(t).strftime("%d/%m/%y %H:%M:%S")

    def __repr__(self) -> str:
        alarming = sum(1 for a in self.alarms.values() if a.state is AlarmState.ALARM)
        return (f"CloudWatchService({self.region_name!r}, metrics={len(self.metrics)}, alarms={len(self.alarms)}, "
                f"in_alarm={alarming})")


def _history_data(old: AlarmState, new: AlarmState, reason: str, data: str) -> str:
    import json
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = {}
    return json.dumps({"version": "1.0", "oldState": {"stateValue": old.value},
                       "newState": {"stateValue": new.value, "stateReason": reason, "stateReasonData": parsed}})


def _stat(agg, s: str) -> float | None:
    from .metrics import compute_stat
    return compute_stat(agg, s)
