"""The alarm half of :class:`~awskit.cloudwatch.CloudWatchService`: creating, describing and
deleting metric alarms, forcing their state, and judging them on the simulated clock.

Every minute (every 10 seconds for a high-resolution alarm) each alarm fetches its evaluation
range from its metric, judges it (:func:`~awskit.cloudwatch.alarms.evaluate_datapoints`),
records a history item when its state changes and runs the actions of the new state: an
Auto Scaling policy, an SNS topic (kept in :attr:`notifications`), or any callback registered
with :meth:`register_action`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    _HUGE,
    _NUMBERS,
    STATISTICS,
    UNITS,
    _check_name,
    _check_period,
    _finite,
    _names,
    _optional_text,
    _positive_int,
    check_stat,
)

if TYPE_CHECKING:
    from .service import CloudWatchService

__all__ = ["Notification"]

PRICES.setdefault("cloudwatch.alarm.month", 0.10)  # standard-resolution metric alarm
PRICES.setdefault("cloudwatch.alarm.highres.month", 0.30)  # high-resolution alarm

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


class _AlarmOps:
    """Alarm actions of :class:`~awskit.cloudwatch.CloudWatchService`."""

    # -- alarms -----------------------------------------------------------------------
    def put_metric_alarm(self: CloudWatchService, name: str, *, namespace: str, metric_name: str, threshold: float,
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

    def get_alarm(self: CloudWatchService, name: str) -> MetricAlarm:
        """The alarm called ``name``; ResourceNotFound lists the alarms that exist.

        Raises: ResourceNotFound, ValidationError (a name that is not a string).
        """
        if not isinstance(name, str):
            raise InvalidParameter("ValidationError", f"AlarmName is a string such as 'cpu-high', not {name!r}.")
        alarm = self.alarms.get(name)
        if alarm is None:
            known = ", ".join(sorted(self.alarms)) or "none"
            raise NotFound("ResourceNotFound", f"Alarm {name!r} does not exist in {self.region_name}. Alarms: {known}.")
        return alarm

    def describe_alarms(self: CloudWatchService, names: Iterable[str] | None = None, prefix: str | None = None,
                        state: str | None = None, action_prefix: str | None = None) -> list[MetricAlarm]:
        """Alarms filtered as DescribeAlarms filters them, sorted by name.

        Raises: InvalidParameterCombination (names and a prefix), ValidationError (a filter of
        the wrong type, an unknown state).
        """
        if names is not None:
            names = _names(names, "AlarmNames")
        _optional_text(prefix, "AlarmNamePrefix")
        _optional_text(action_prefix, "ActionPrefix")
        if names and prefix:
            raise InvalidParameter("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be used together.")
        if state is not None and (not isinstance(state, str) or state not in AlarmState.__members__):
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

    def delete_alarms(self: CloudWatchService, names: Iterable[str]) -> None:
        """Delete alarms; AWS fails the whole call if one does not exist.

        Raises: ResourceNotFound, ValidationError (not a list of names).
        """
        names = _names(names, "AlarmNames")
        missing = [n for n in names if n not in self.alarms]
        if missing:
            raise NotFound("ResourceNotFound", f"Alarm(s) {', '.join(map(repr, missing))} do not exist; nothing was deleted.")
        for n in names:
            alarm = self.alarms.pop(n)
            self.cloud.bill.stop_meter(self._meters.pop(("alarm", n), None))
            self._record(alarm, "ConfigurationUpdate", f"Alarm \"{n}\" deleted")

    def set_alarm_actions(self: CloudWatchService, names: Iterable[str], enabled: bool) -> None:
        """EnableAlarmActions / DisableAlarmActions (unknown names are skipped, as in AWS).

        Raises: ValidationError (not a list of names, ``enabled`` not a bool).
        """
        names = _names(names, "AlarmNames")
        if not isinstance(enabled, bool):
            raise InvalidParameter("ValidationError", f"enabled is True or False, not {enabled!r}.")
        for n in names:
            alarm = self.alarms.get(n)
            if alarm is not None:
                alarm.actions_enabled = enabled

    def set_alarm_state(self: CloudWatchService, name: str, state: str | AlarmState, reason: str,
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

    def alarm_history(self: CloudWatchService, name: str | None = None, item_type: str | None = None,
                      start: float | None = None, end: float | None = None) -> list[AlarmHistoryItem]:
        """History items, newest first (kept for two weeks, as in AWS)."""
        horizon = self.cloud.clock.now - HISTORY_SECONDS
        out = [h for h in self.history
               if h.timestamp >= horizon and (name is None or h.alarm_name == name)
               and (item_type is None or h.item_type == item_type)
               and (start is None or h.timestamp >= start) and (end is None or h.timestamp <= end)]
        return out[::-1]

    def register_action(self: CloudWatchService, arn: str,
                        callback: Callable[[MetricAlarm, AlarmState], Any]) -> None:
        """Make ``arn`` an action target: ``callback(alarm, new_state)`` runs when an alarm invokes it.

        Auto Scaling registers its scaling policies here; an SNS topic ARN with no callback
        is recorded in :attr:`notifications`.
        """
        if not isinstance(arn, str) or not _ARN.match(arn):
            raise InvalidParameter("ValidationError", f"Invalid arn syntax: {arn!r}.")
        self._actions[arn] = callback

    def unregister_action(self: CloudWatchService, arn: str) -> None:
        self._actions.pop(arn, None)

    # -- evaluation on the clock ------------------------------------------------------
    def _ensure_ticks(self: CloudWatchService) -> None:
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

    def _tick_minute(self: CloudWatchService) -> None:
        now = self.cloud.clock.now
        for alarm in list(self.alarms.values()):
            if alarm.high_resolution:
                continue
            if alarm.period * alarm.evaluation_periods > 86400 and now % 3600:
                continue  # multi-day alarms are evaluated once an hour
            self.evaluate(alarm)

    def _tick_fast(self: CloudWatchService) -> None:
        high = [a for a in self.alarms.values() if a.high_resolution]
        if not high and self._fast_tick is not None:
            self._fast_tick.cancel()
            self._fast_tick = None
            return
        for alarm in high:
            self.evaluate(alarm)

    def datapoints(self: CloudWatchService, alarm: MetricAlarm | str,
                   now: float | None = None) -> list[tuple[float, float | None]]:
        """The alarm's evaluation range at ``now``: ``(period start, value or None)``, oldest first.

        Periods end at the evaluation time: at 09:06 a 5-minute period covers 09:01-09:06.

        Raises: ResourceNotFound (no such alarm), ValidationError (not an alarm or a name),
        InvalidParameterValue (``now`` not a number).
        """
        if alarm.__class__ is not MetricAlarm:
            alarm = self._alarm_arg(alarm)
        if now is None:
            now = self.cloud.clock.now
        elif now.__class__ not in _NUMBERS or not -_HUGE < now < _HUGE:
            now = _finite(now, "now")
        metric = self.get_metric(alarm.namespace, alarm.metric_name, alarm.dimensions)
        p = alarm.period
        starts = [now - i * p for i in range(evaluation_range(alarm.evaluation_periods), 0, -1)]
        if metric is not None and (alarm.unit is None or alarm.unit == metric.unit):
            return list(zip(starts, metric.period_stats(alarm.stat, starts, p)))
        return [(lo, None) for lo in starts]

    def _alarm_arg(self: CloudWatchService, alarm: Any) -> MetricAlarm:
        """An alarm given as the object or its name."""
        if isinstance(alarm, MetricAlarm):
            return alarm
        if isinstance(alarm, str):
            return self.get_alarm(alarm)
        raise InvalidParameter("ValidationError", f"Give an alarm (a MetricAlarm or its name), not {alarm!r}.")

    def evaluate(self: CloudWatchService, alarm: MetricAlarm | str) -> MetricAlarm:
        """Judge an alarm now (the clock does this every minute; call it to force one).

        Raises: ResourceNotFound (no such alarm), ValidationError (not an alarm or a name).
        """
        if alarm.__class__ is not MetricAlarm:
            alarm = self._alarm_arg(alarm)
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

    def _transition(self: CloudWatchService, alarm: MetricAlarm, new: AlarmState, reason: str, data: str) -> None:
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

    def _repeat_actions(self: CloudWatchService, alarm: MetricAlarm, now: float) -> None:
        # AWS runs most actions only on a state change; Auto Scaling actions are the exception:
        # "the alarm continues to invoke the action for every period that the alarm remains in
        # the new state" (CloudWatch User Guide, alarm actions).  awskit re-invokes them once a
        # minute, at the alarm's evaluations, while the state holds.
        if not alarm.actions_enabled or now - alarm.last_repeat < 60:
            return
        repeating = [a for a in alarm.actions_for(alarm.state) if self._service_of(a) in _REPEATING_SERVICES]
        if repeating:
            alarm.last_repeat = now
            for arn in repeating:
                self._invoke(alarm, arn, alarm.state, alarm.state)

    def _service_of(self: CloudWatchService, arn: str) -> str:
        """The service part of a (validated) action ARN, remembered: alarms ask every minute."""
        service = self._arn_services.get(arn)
        if service is None:
            service = self._arn_services[arn] = _ARN.match(arn).group(1)
        return service

    def _invoke(self: CloudWatchService, alarm: MetricAlarm, arn: str, old: AlarmState, new: AlarmState) -> None:
        callback = self._actions.get(arn)
        service = self._service_of(arn)
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

    def _record(self: CloudWatchService, alarm: MetricAlarm, item_type: str, summary: str, data: str = "{}") -> None:
        self.history.append(AlarmHistoryItem(alarm_name=alarm.name, alarm_type="MetricAlarm",
                                             timestamp=self.cloud.clock.now, item_type=item_type,
                                             summary=summary, data=data))

    def _iso(self: CloudWatchService, t: float) -> str:
        return self.cloud.clock.to_datetime(t).strftime("%Y-%m-%dT%H:%M:%S.") + "000+0000"

    def _short_time(self: CloudWatchService, t: float) -> str:
        return self.cloud.clock.to_datetime(t).strftime("%d/%m/%y %H:%M:%S")


def _history_data(old: AlarmState, new: AlarmState, reason: str, data: str) -> str:
    import json
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = {}
    return json.dumps({"version": "1.0", "oldState": {"stateValue": old.value},
                       "newState": {"stateValue": new.value, "stateReason": reason, "stateReasonData": parsed}})
