"""CloudWatch metric alarms: a threshold on a statistic, judged over the last N periods.

An alarm watches one metric's statistic per ``Period`` and compares each data point with a
``Threshold``.  If at least ``DatapointsToAlarm`` (M) of the last ``EvaluationPeriods`` (N)
data points breach, the alarm is in ``ALARM``; otherwise ``OK``; with no data it is in
``INSUFFICIENT_DATA``.  Actions (SNS topics, Auto Scaling policies...) run when the state
changes.  This module holds the alarm record and the evaluation rule; the service in
:mod:`awskit.cloudwatch.service` runs it on the simulated clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = [
    "AlarmHistoryItem",
    "AlarmState",
    "Comparison",
    "Evaluation",
    "MetricAlarm",
    "MissingData",
    "evaluate_datapoints",
    "evaluation_range",
]


class AlarmState(str, Enum):
    """The three states of an alarm."""

    OK = "OK"
    ALARM = "ALARM"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


class Comparison(str, Enum):
    """How a data point is compared with the threshold (the data point is the left operand)."""

    GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
    GreaterThanThreshold = "GreaterThanThreshold"
    LessThanThreshold = "LessThanThreshold"
    LessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"
    # Anomaly-detection bands need a model (ThresholdMetricId); awskit rejects them.
    LessThanLowerOrGreaterThanUpperThreshold = "LessThanLowerOrGreaterThanUpperThreshold"
    LessThanLowerThreshold = "LessThanLowerThreshold"
    GreaterThanUpperThreshold = "GreaterThanUpperThreshold"

    def breaches(self, value: float, threshold: float) -> bool:
        return _OPS[self](value, threshold)

    @property
    def words(self) -> str:
        return _WORDS[self]


_OPS: dict[Comparison, Callable[[float, float], bool]] = {
    Comparison.GreaterThanOrEqualToThreshold: lambda v, t: v >= t,
    Comparison.GreaterThanThreshold: lambda v, t: v > t,
    Comparison.LessThanThreshold: lambda v, t: v < t,
    Comparison.LessThanOrEqualToThreshold: lambda v, t: v <= t,
}
_WORDS = {
    Comparison.GreaterThanOrEqualToThreshold: "greater than or equal to",
    Comparison.GreaterThanThreshold: "greater than",
    Comparison.LessThanThreshold: "less than",
    Comparison.LessThanOrEqualToThreshold: "less than or equal to",
}

#: The comparison operators that need an anomaly-detection model.
ANOMALY_OPERATORS = frozenset({Comparison.LessThanLowerOrGreaterThanUpperThreshold,
                               Comparison.LessThanLowerThreshold, Comparison.GreaterThanUpperThreshold})


class MissingData(str, Enum):
    """TreatMissingData: what a period without data counts as."""

    missing = "missing"
    notBreaching = "notBreaching"
    breaching = "breaching"
    ignore = "ignore"


@dataclass(slots=True, kw_only=True)
class AlarmHistoryItem:
    """One entry of an alarm's history (a state change, a configuration change, an action)."""

    alarm_name: str
    alarm_type: str
    timestamp: float
    item_type: str  # ConfigurationUpdate | StateUpdate | Action
    summary: str
    data: str = "{}"


@dataclass(slots=True, kw_only=True)
class MetricAlarm:
    """A CloudWatch metric alarm (what ``put_metric_alarm`` creates).

    ``state`` starts as INSUFFICIENT_DATA; the service evaluates it every minute (every
    10 seconds for a high-resolution alarm with a 10, 20 or 30 second period).
    """

    name: str
    arn: str
    namespace: str
    metric_name: str
    dimensions: dict[str, str] = field(default_factory=dict)
    statistic: str | None = "Average"
    extended_statistic: str | None = None
    period: int = 60
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None
    threshold: float = 0.0
    comparison: Comparison = Comparison.GreaterThanThreshold
    treat_missing_data: MissingData | None = None
    unit: str | None = None
    description: str = ""
    actions_enabled: bool = True
    alarm_actions: list[str] = field(default_factory=list)
    ok_actions: list[str] = field(default_factory=list)
    insufficient_data_actions: list[str] = field(default_factory=list)
    state: AlarmState = AlarmState.INSUFFICIENT_DATA
    state_reason: str = "Unchecked: Initial alarm creation"
    state_reason_data: str | None = None
    state_updated: float = 0.0
    state_transitioned: float = 0.0
    configuration_updated: float = 0.0
    tags: dict[str, str] = field(default_factory=dict)
    last_repeat: float = field(default=-1e18, repr=False)

    @property
    def stat(self) -> str:
        return self.statistic or self.extended_statistic or "Average"

    @property
    def m(self) -> int:
        """DatapointsToAlarm, which defaults to EvaluationPeriods."""
        return self.datapoints_to_alarm or self.evaluation_periods

    @property
    def missing(self) -> MissingData:
        return self.treat_missing_data or MissingData.missing

    @property
    def high_resolution(self) -> bool:
        return self.period < 60

    def actions_for(self, state: AlarmState) -> list[str]:
        return {AlarmState.ALARM: self.alarm_actions, AlarmState.OK: self.ok_actions,
                AlarmState.INSUFFICIENT_DATA: self.insufficient_data_actions}[state]

    def __repr__(self) -> str:
        dims = "".join(f", {k}={v!r}" for k, v in sorted(self.dimensions.items()))
        return (f"MetricAlarm({self.name!r}, {self.namespace}/{self.metric_name}{dims}, {self.stat} "
                f"{self.comparison.value} {self.threshold:g}, {self.m} of {self.evaluation_periods} x "
                f"{self.period}s, state={self.state.value})")

    def _repr_html_(self) -> str:
        colour = {"OK": "#2e7d32", "ALARM": "#c62828"}.get(self.state.value, "#757575")
        from html import escape
        return (f"<div><b>{escape(self.name)}</b> <span style='color:{colour}'>{self.state.value}</span>"
                f"<br><small>{escape(self.namespace)}/{escape(self.metric_name)} {self.stat} "
                f"{escape(self.comparison.words or self.comparison.value)} {self.threshold:g} for "
                f"{self.m} of {self.evaluation_periods} periods of {self.period}s</small>"
                f"<br><small>{escape(self.state_reason)}</small></div>")


def evaluation_range(evaluation_periods: int) -> int:
    """How many periods CloudWatch fetches to judge N of them.

    AWS fetches more periods than N (its documented example: 5 for N = 3) but does not
    publish the exact number; awskit uses N + 2.
    """
    return evaluation_periods + 2


@dataclass(slots=True)
class Evaluation:
    """The outcome of judging one evaluation range."""

    state: AlarmState | None  # None: keep the current state (TreatMissingData=ignore)
    evaluated: list[tuple[float, float | None, bool]]  # (period start, value or None if filled, breaching)
    breaching: int
    filled: int


def evaluate_datapoints(points: list[tuple[float, float | None]], *, m: int, n: int,
                        comparison: Comparison, threshold: float,
                        missing: MissingData) -> Evaluation:
    """Judge an evaluation range as CloudWatch documents it.

    ``points`` are ``(period start, value or None)`` oldest first, covering the evaluation
    range.  The rules (CloudWatch User Guide, "How alarm state is evaluated when data is
    missing"):

    * at least N real data points: the N most recent real ones are judged and
      TreatMissingData plays no part;
    * fewer real points: every real point is judged, and missing ones are filled in (as
      few as possible, N in all) with the TreatMissingData value: ``breaching`` /
      ``notBreaching`` fill with that verdict; ``missing`` judges the real points alone
      (ALARM when they hold M breaching ones, or are all breaching when fewer than M
      exist); ``ignore`` does the same but never moves to ALARM or INSUFFICIENT_DATA
      on partial data (it keeps the current state instead);
    * no real point at all: ``missing`` -> INSUFFICIENT_DATA, ``ignore`` -> keep state,
      ``breaching`` -> ALARM, ``notBreaching`` -> OK.

    Fewer than M breaching points is OK, otherwise ALARM.

    >>> pts = [(0, 50.0), (60, None), (120, 90.0), (180, None), (240, 95.0)]
    >>> ev = evaluate_datapoints(pts, m=3, n=3, comparison=Comparison.GreaterThanThreshold,
    ...                          threshold=70, missing=MissingData.breaching)
    >>> ev.state.value, ev.breaching
    ('OK', 2)
    """
    real = [(t, v) for t, v in points if v is not None]
    k = len(real)
    breaches = _OPS.get(comparison) or comparison.breaches
    judged = []
    b = 0
    for t, v in real[-n:] if k >= n else real:
        x = breaches(v, threshold)
        if x:
            b += 1
        judged.append((t, v, x))
    if k >= n:
        return Evaluation(AlarmState.ALARM if b >= m else AlarmState.OK, judged, b, 0)
    fill = n - k
    if missing in (MissingData.breaching, MissingData.notBreaching):
        verdict = missing is MissingData.breaching
        missing_slots = [t for t, v in points if v is None][-fill:]
        filled = [(t, None, verdict) for t in missing_slots]
        judged = sorted(judged + filled, key=lambda x: x[0])
        b += fill if verdict else 0
        return Evaluation(AlarmState.ALARM if b >= m else AlarmState.OK, judged, b, fill)
    if k == 0:
        state = AlarmState.INSUFFICIENT_DATA if missing is MissingData.missing else None
        return Evaluation(state, [], 0, 0)
    alarm = b >= min(m, k)
    if missing is MissingData.ignore and alarm:
        return Evaluation(None, judged, b, 0)
    return Evaluation(AlarmState.ALARM if alarm else AlarmState.OK, judged, b, 0)


def _fmt(v: float) -> str:
    return repr(float(v)) if abs(v) < 1e15 else f"{v:g}"


def state_reason(alarm: MetricAlarm, ev: Evaluation, old: AlarmState, new: AlarmState,
                 when: Callable[[float], str]) -> str:
    """StateReason text in the shape CloudWatch writes it."""
    n, thr = alarm.evaluation_periods, _fmt(alarm.threshold)
    if new is AlarmState.INSUFFICIENT_DATA:
        return f"Insufficient Data: {n} datapoint{'s were' if n != 1 else ' was'} unknown."
    want = new is AlarmState.ALARM
    shown = [(t, v) for t, v, x in ev.evaluated if x == want and v is not None]
    filled = sum(1 for _, v, x in ev.evaluated if v is None and x == want)
    count = len(shown) + filled
    verb = "were" if count != 1 else "was"
    negation = "" if want else "not "
    words = alarm.comparison.words
    if not shown and filled:
        treated = "Breaching" if alarm.missing is MissingData.breaching else "NonBreaching"
        return (f"Threshold Crossed: no datapoints were received for {filled} period{'s' if filled != 1 else ''} "
                f"and {filled} missing datapoint{'s were' if filled != 1 else ' was'} treated as [{treated}].")
    listing = ", ".join(f"{_fmt(v)} ({when(t)})" for t, v in sorted(shown, key=lambda p: -p[0]))
    if n == 1:
        return f"Threshold Crossed: 1 datapoint [{listing}] {verb} {negation}{words} the threshold ({thr})."
    need = alarm.m if want else n - alarm.m + 1
    return (f"Threshold Crossed: {count} out of the last {n} datapoints [{listing}] {verb} {negation}{words} "
            f"the threshold ({thr}) (minimum {need} datapoint{'s' if need != 1 else ''} for "
            f"{old.value} -> {new.value} transition).")


def state_reason_data(alarm: MetricAlarm, ev: Evaluation, now: float, start: float,
                      iso: Callable[[float], str]) -> str:
    """StateReasonData JSON in the shape CloudWatch writes it."""
    data: dict[str, Any] = {
        "version": "1.0",
        "queryDate": iso(now),
        "startDate": iso(start),
        "period": alarm.period,
        "recentDatapoints": [v for _, v, _ in ev.evaluated if v is not None],
        "threshold": float(alarm.threshold),
        "evaluatedDatapoints": [
            {"timestamp": iso(t), **({"value": v} if v is not None else {})}
            for t, v, _ in sorted(ev.evaluated, key=lambda p: -p[0])
        ],
    }
    if alarm.statistic:
        data["statistic"] = alarm.statistic
    else:
        data["extendedStatistic"] = alarm.extended_statistic
    if alarm.unit:
        data["unit"] = alarm.unit
    return json.dumps(data)
