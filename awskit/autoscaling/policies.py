"""Scaling policies and scheduled actions: what changes a group's desired capacity.

* **Simple scaling**: an alarm runs the policy, which adds, removes or sets capacity
  (``ChangeInCapacity``, ``PercentChangeInCapacity``, ``ExactCapacity``), then the group
  ignores further alarms for this policy until the activity has finished *and* the
  **cooldown** (the policy's ``Cooldown`` or the group's ``DefaultCooldown``, 300 s) has passed.
* **Step scaling**: the size of the change depends on how far the metric is from the alarm
  threshold (``StepAdjustments`` with bounds *relative to the threshold*).  There is no
  cooldown: the alarm re-runs the policy every minute while it stays in ALARM, and
  **instance warm-up** stops over-reaction instead.  Instances still warming up count as
  capacity already added: a second breach in the same step adds nothing, a breach in a
  larger step adds only the difference.
* **Target tracking**: you name a metric and a target value; Auto Scaling creates two
  CloudWatch alarms (``TargetTracking-<group>-AlarmHigh-<id>``: above the target for 3 of 3
  one-minute periods; ``...-AlarmLow-<id>``: below 90% of it for 15 of 15) and sizes the
  group in proportion: ``ceil(reporting x metric / target)``, where *reporting* are the
  instances past their warm-up (the ones the metric averages); instances still warming count as
  capacity on its way, so a persisting breach does not add more while they warm.  It scales out
  quickly and in conservatively (awskit waits until no instance is warming up;
  ``DisableScaleIn`` turns it off).
* **Scheduled actions** set min/max/desired at a time or on a cron ``Recurrence``.

The classic misconception: cooldowns and warm-up are different things.  A cooldown (simple
scaling only) blocks the *policy* for a while after it acted.  Warm-up (step and target
tracking) never blocks anything: it keeps new instances out of the group's aggregated
metric until they have warmed up, and counts them as capacity already on its way.

AWS does not publish AlarmLow's exact threshold; awskit uses 90% of the target value.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ._common import check_bool, check_int, check_name, fail, iso_z, listing
from .groups import AutoScalingGroup

if TYPE_CHECKING:
    from .service import AutoScalingService

__all__ = ["PREDEFINED_METRICS", "Cron", "ScalingPolicy", "ScheduledAction", "StepAdjustment", "TargetTracking"]

POLICY_TYPES = ("SimpleScaling", "StepScaling", "TargetTrackingScaling")
ADJUSTMENT_TYPES = ("ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity")
#: predefined metric -> (namespace, metric name, statistic)
PREDEFINED_METRICS = {
    "ASGAverageCPUUtilization": ("AWS/EC2", "CPUUtilization", "Average"),
    "ASGAverageNetworkIn": ("AWS/EC2", "NetworkIn", "Average"),
    "ASGAverageNetworkOut": ("AWS/EC2", "NetworkOut", "Average"),
    "ALBRequestCountPerTarget": ("AWS/ApplicationELB", "RequestCountPerTarget", "Sum"),
}
HIGH_PERIODS, LOW_PERIODS, LOW_FRACTION = 3, 15, 0.9


@dataclass(slots=True, kw_only=True, frozen=True)
class StepAdjustment:
    """One step: applies when ``lower <= metric - threshold < upper`` (None: unbounded).

    Above the threshold the lower bound is inclusive and the upper exclusive; below it, the
    other way round (as AWS documents).
    """

    lower: float | None
    upper: float | None
    adjustment: int

    def contains(self, breach: float) -> bool:
        lo = -math.inf if self.lower is None else self.lower
        hi = math.inf if self.upper is None else self.upper
        if breach >= 0:
            return lo <= breach < hi
        return lo < breach <= hi


@dataclass(slots=True, kw_only=True)
class TargetTracking:
    """What a target tracking policy tracks."""

    target_value: float
    namespace: str
    metric_name: str
    statistic: str
    dimensions: dict[str, str]
    predefined: str | None = None
    resource_label: str | None = None
    unit: str | None = None
    disable_scale_in: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class ScalingPolicy:
    """A scaling policy attached to a group (its ARN is what alarms invoke)."""

    name: str
    arn: str
    group: AutoScalingGroup = field(repr=False)
    policy_type: str
    adjustment_type: str | None = None
    scaling_adjustment: int | None = None
    min_adjustment_magnitude: int | None = None
    cooldown: int | None = None
    step_adjustments: list[StepAdjustment] = field(default_factory=list)
    metric_aggregation_type: str = "Average"
    estimated_instance_warmup: int | None = None
    target: TargetTracking | None = None
    alarms: list[str] = field(default_factory=list)
    enabled: bool = True

    @property
    def warmup(self) -> int:
        """The warm-up this policy uses: its own, else the group's default instance warm-up,
        else the group's default cooldown (AWS's fallback)."""
        g = self.group
        for v in (self.estimated_instance_warmup, g.default_instance_warmup):
            if v is not None:
                return v
        return g.default_cooldown

    def __repr__(self) -> str:
        if self.policy_type == "TargetTrackingScaling":
            what = f"{self.target.predefined or self.target.metric_name} -> {self.target.target_value:g}"
        elif self.policy_type == "StepScaling":
            what = f"{len(self.step_adjustments)} steps, {self.adjustment_type}"
        else:
            what = f"{self.adjustment_type} {self.scaling_adjustment:+d}"
        return f"ScalingPolicy({self.name!r}, {self.policy_type}, {what}, group={self.group.name!r})"


class Cron:
    """A five-field cron expression (minute hour day-of-month month day-of-week), as
    ``Recurrence`` takes it: numbers, ``*``, ranges ``a-b``, lists ``a,b``, steps ``*/n``;
    day of week 0-6 with 0 = Sunday (7 also Sunday), or ``SUN``-``SAT``; months ``JAN``-``DEC``.

    >>> c = Cron("0 9 * * MON-FRI")
    >>> c.next_after(_dt.datetime(2026, 1, 9, 10, 0, tzinfo=_dt.timezone.utc)).isoformat()
    '2026-01-12T09:00:00+00:00'
    """

    _NAMES: ClassVar[dict[str, int]] = {"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6,
              "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9,
              "OCT": 10, "NOV": 11, "DEC": 12}

    def __init__(self, expression: str) -> None:
        if not isinstance(expression, str) or len(expression.split()) != 5:
            fail("ValidationError", f"Recurrence {expression!r} is not a valid cron expression: give five fields, "
                                    "'minute hour day-of-month month day-of-week', e.g. '0 9 * * MON-FRI'.")
        self.expression = expression
        m, h, dom, mon, dow = expression.upper().split()
        self.minutes = self._field(m, 0, 59)
        self.hours = self._field(h, 0, 23)
        self.days = self._field(dom, 1, 31)
        self.months = self._field(mon, 1, 12)
        self.weekdays = {d % 7 for d in self._field(dow, 0, 7)}
        self.any_dom, self.any_dow = dom == "*", dow == "*"

    def _field(self, text: str, lo: int, hi: int) -> set[int]:
        out: set[int] = set()
        for part in text.split(","):
            step = 1
            if "/" in part:
                part, s = part.split("/", 1)
                step = self._num(s, 1, hi)
            if part in ("*", "?"):
                a, b = lo, hi
            elif "-" in part:
                x, y = part.split("-", 1)
                a, b = self._num(x, lo, hi), self._num(y, lo, hi)
            else:
                a = self._num(part, lo, hi)
                b = hi if step > 1 else a
            if a > b:
                fail("ValidationError", f"Recurrence {self.expression!r}: range {part!r} runs backwards.")
            out.update(range(a, b + 1, step))
        return out

    def _num(self, s: str, lo: int, hi: int) -> int:
        v = self._NAMES.get(s, s)
        try:
            v = int(v)
        except ValueError:
            fail("ValidationError", f"Recurrence {self.expression!r}: {s!r} is not a number from {lo} to {hi}.")
        if not lo <= v <= hi:
            fail("ValidationError", f"Recurrence {self.expression!r}: {v} is outside {lo}-{hi}.")
        return v

    def _day_ok(self, d: _dt.date) -> bool:
        if d.month not in self.months:
            return False
        dom_ok = d.day in self.days
        dow_ok = (d.isoweekday() % 7) in self.weekdays
        if self.any_dom or self.any_dow:
            return dom_ok and dow_ok
        return dom_ok or dow_ok   # both restricted: either matches, as in cron

    def next_after(self, t: _dt.datetime) -> _dt.datetime | None:
        """The first matching minute strictly after ``t`` (an aware datetime), within 5 years."""
        t = t.replace(second=0, microsecond=0) + _dt.timedelta(minutes=1)
        day = t.date()
        hours, minutes = sorted(self.hours), sorted(self.minutes)
        for _ in range(366 * 5):
            if self._day_ok(day):
                for h in hours:
                    for m in minutes:
                        cand = _dt.datetime(day.year, day.month, day.day, h, m, tzinfo=t.tzinfo)
                        if cand >= t:
                            return cand
            day += _dt.timedelta(days=1)
        return None

    def __repr__(self) -> str:
        return f"Cron({self.expression!r})"


@dataclass(slots=True, kw_only=True, eq=False)
class ScheduledAction:
    """A scheduled change of min/max/desired capacity."""

    name: str
    arn: str
    group: AutoScalingGroup = field(repr=False)
    start_time: float | None = None
    end_time: float | None = None
    recurrence: Cron | None = None
    time_zone: str = "UTC"
    min_size: int | None = None
    max_size: int | None = None
    desired_capacity: int | None = None
    next_run: float | None = None
    timer: Any = field(default=None, repr=False)


def _percent(current: int, pct: int, min_magnitude: int | None) -> int:
    """PercentChangeInCapacity rounding as AWS documents: above 1 round down, 0..1 -> 1,
    -1..0 -> -1, below -1 round toward zero; then MinAdjustmentMagnitude."""
    raw = current * pct / 100
    if raw > 1:
        n = math.floor(raw)
    elif raw > 0:
        n = 1
    elif raw == 0:
        n = 0
    elif raw >= -1:
        n = -1
    else:
        n = math.ceil(raw)
    if min_magnitude and 0 < abs(n) < min_magnitude:
        n = min_magnitude if n > 0 else -min_magnitude
    return n


def adjusted(current: int, adjustment_type: str, adjustment: int, min_magnitude: int | None = None) -> int:
    """The new capacity a simple or step adjustment asks for (before min/max clamping).

    >>> adjusted(4, "ChangeInCapacity", 2), adjusted(4, "ExactCapacity", 1), adjusted(10, "PercentChangeInCapacity", -25)
    (6, 1, 8)
    """
    if adjustment_type == "ExactCapacity":
        return adjustment
    if adjustment_type == "ChangeInCapacity":
        return current + adjustment
    return current + _percent(current, adjustment, min_magnitude)


def _when(clock, value: Any, param: str) -> float:
    """A time given as simulated seconds, an aware datetime or an ISO-8601 string."""
    from ..core.clock import EPOCH

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            fail("ValidationError", f"{param} {value!r} is not an ISO-8601 time such as 2026-01-05T18:00:00Z.")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.UTC)
        return (value - EPOCH).total_seconds()
    fail("ValidationError", f"{param} must be a time (datetime, ISO string or simulated seconds), not {value!r}.")


class _PolicyOps:
    """Scaling policy and scheduled action actions of :class:`AutoScalingService`."""

    # -- policies -------------------------------------------------------------------------
    def put_scaling_policy(self: AutoScalingService, group: Any, name: str, *, policy_type: str = "SimpleScaling",
                           adjustment_type: str | None = None, scaling_adjustment: int | None = None,
                           min_adjustment_magnitude: int | None = None, cooldown: int | None = None,
                           step_adjustments: list | None = None, metric_aggregation_type: str | None = None,
                           estimated_instance_warmup: int | None = None, target_value: float | None = None,
                           predefined_metric: str | None = None, resource_label: str | None = None,
                           customized_metric: dict | None = None, disable_scale_in: bool = False,
                           enabled: bool = True) -> ScalingPolicy:
        """PutScalingPolicy: create or replace a policy (its ARN stays the same on replace).

        ``step_adjustments`` are ``(lower, upper, adjustment)`` triples or StepAdjustment.
        ``customized_metric`` is ``{"namespace", "metric_name", "statistic", "dimensions", "unit"}``.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
        >>> g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=1, max_size=4,
        ...                                                 availability_zones=["us-east-1a"])
        >>> p = cloud.autoscaling.put_scaling_policy(g, "cpu50", policy_type="TargetTrackingScaling",
        ...                                          predefined_metric="ASGAverageCPUUtilization", target_value=50)
        >>> [a.split("-")[2] for a in p.alarms]
        ['AlarmHigh', 'AlarmLow']

        Raises: ValidationError.
        """
        g = self.get_group(group)
        check_name(name, "PolicyName")
        if policy_type not in POLICY_TYPES:
            fail("ValidationError", f"PolicyType {policy_type!r} is not valid (awskit does not model predictive "
                                    f"scaling). Types: {', '.join(POLICY_TYPES)}.")
        check_bool(enabled, "Enabled")
        policy = ScalingPolicy(name=name, arn="", group=g, policy_type=policy_type, enabled=enabled)
        if policy_type == "TargetTrackingScaling":
            for param, value in (("AdjustmentType", adjustment_type), ("ScalingAdjustment", scaling_adjustment),
                                 ("StepAdjustments", step_adjustments), ("Cooldown", cooldown)):
                if value is not None:
                    fail("ValidationError", f"{param} is not supported for policy type TargetTrackingScaling.")
            policy.target = self._tracking(g, target_value, predefined_metric, resource_label, customized_metric,
                                           disable_scale_in)
        else:
            if adjustment_type not in ADJUSTMENT_TYPES:
                fail("ValidationError", f"AdjustmentType {adjustment_type!r} is not valid. Types: "
                                        f"{', '.join(ADJUSTMENT_TYPES)}.")
            if min_adjustment_magnitude is not None:
                if adjustment_type != "PercentChangeInCapacity":
                    fail("ValidationError", "MinAdjustmentMagnitude may only be specified with "
                                            "PercentChangeInCapacity.")
                check_int(min_adjustment_magnitude, "MinAdjustmentMagnitude", 1)
            if target_value is not None or predefined_metric is not None or customized_metric is not None:
                fail("ValidationError", f"A target tracking configuration is not valid for {policy_type}.")
            policy.adjustment_type = adjustment_type
            policy.min_adjustment_magnitude = min_adjustment_magnitude
            if policy_type == "SimpleScaling":
                if scaling_adjustment is None:
                    fail("ValidationError", "ScalingAdjustment is required for a SimpleScaling policy.")
                policy.scaling_adjustment = check_int(scaling_adjustment, "ScalingAdjustment", -(2**31))
                if cooldown is not None:
                    policy.cooldown = check_int(cooldown, "Cooldown")
                if estimated_instance_warmup is not None:
                    fail("ValidationError", "EstimatedInstanceWarmup is not supported for SimpleScaling "
                                            "(simple policies use a cooldown instead).")
            else:
                if cooldown is not None or scaling_adjustment is not None:
                    fail("ValidationError", "Cooldown and ScalingAdjustment are only supported for SimpleScaling; "
                                            "step scaling uses StepAdjustments and EstimatedInstanceWarmup.")
                policy.step_adjustments = self._steps(step_adjustments)
                agg = metric_aggregation_type or "Average"
                if agg not in ("Average", "Minimum", "Maximum"):
                    fail("ValidationError", f"MetricAggregationType {agg!r}: use Average, Minimum or Maximum.")
                policy.metric_aggregation_type = agg
        if estimated_instance_warmup is not None:
            policy.estimated_instance_warmup = check_int(estimated_instance_warmup, "EstimatedInstanceWarmup")
        old = g.policies.get(name)
        policy.arn = old.arn if old is not None else self.cloud.arn(
            "autoscaling", f"scalingPolicy:{self.cloud.ids.uuid()}:autoScalingGroupName/{g.name}:policyName/{name}",
            self.region_name)
        if old is not None:
            self._drop_policy(g, old, keep_arn=True)
        g.policies[name] = policy
        self._policy_by_arn[policy.arn] = policy
        cw = self.region.cloudwatch
        cw.register_action(policy.arn, lambda alarm, state, p=policy: self._on_alarm(p, alarm, state))
        if policy.target is not None:
            self._create_tracking_alarms(policy)
        return policy

    def _tracking(self: AutoScalingService, g: AutoScalingGroup, target_value: Any, predefined: Any,
                  label: Any, custom: Any, disable_scale_in: Any) -> TargetTracking:
        if isinstance(target_value, bool) or not isinstance(target_value, (int, float)) or target_value <= 0:
            fail("ValidationError", f"TargetValue must be a positive number, not {target_value!r}.")
        check_bool(disable_scale_in, "DisableScaleIn")
        if (predefined is None) == (custom is None):
            fail("ValidationError", "Give exactly one of PredefinedMetricSpecification and "
                                    "CustomizedMetricSpecification.")
        if predefined is not None:
            if predefined not in PREDEFINED_METRICS:
                fail("ValidationError", f"PredefinedMetricType {predefined!r} is not valid. Types: "
                                        f"{', '.join(PREDEFINED_METRICS)}.")
            ns, metric, stat = PREDEFINED_METRICS[predefined]
            if predefined == "ALBRequestCountPerTarget":
                if not isinstance(label, str) or "/targetgroup/" not in label:
                    fail("ValidationError", "ALBRequestCountPerTarget needs a ResourceLabel "
                                            "'app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>' naming a target "
                                            "group attached to the group.")
                tg_part = label[label.index("targetgroup/"):]
                if not any(a.endswith(tg_part) for a in g.target_group_arns):
                    fail("ValidationError", f"The target group in ResourceLabel {label!r} is not attached to "
                                            f"Auto Scaling group {g.name}.")
                dims = {"TargetGroup": tg_part}
            else:
                if label is not None:
                    fail("ValidationError", "ResourceLabel is only valid with ALBRequestCountPerTarget.")
                dims = {"AutoScalingGroupName": g.name}
            return TargetTracking(target_value=float(target_value), namespace=ns, metric_name=metric, statistic=stat,
                                  dimensions=dims, predefined=predefined, resource_label=label,
                                  disable_scale_in=disable_scale_in)
        if not isinstance(custom, dict) or not {"namespace", "metric_name"} <= set(custom):
            fail("ValidationError", f"A customized metric needs namespace and metric_name, got {custom!r}.")
        stat = custom.get("statistic", "Average")
        if stat not in ("Average", "Minimum", "Maximum", "SampleCount", "Sum"):
            fail("ValidationError", f"Statistic {stat!r} is not valid for a customized metric.")
        return TargetTracking(target_value=float(target_value), namespace=custom["namespace"],
                              metric_name=custom["metric_name"], statistic=stat,
                              dimensions=dict(custom.get("dimensions") or {}), unit=custom.get("unit"),
                              disable_scale_in=disable_scale_in)

    def _steps(self: AutoScalingService, steps: Any) -> list[StepAdjustment]:
        if not steps:
            fail("ValidationError", "StepAdjustments is required for a StepScaling policy: give at least one step.")
        out = []
        for s in steps:
            if isinstance(s, StepAdjustment):
                out.append(s)
                continue
            if not isinstance(s, (tuple, list)) or len(s) != 3:
                fail("ValidationError", f"A step is (lower, upper, adjustment), not {s!r}.")
            lo, hi, adj = s
            for v in (lo, hi):
                if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                    fail("ValidationError", f"Step bounds are numbers or None, not {v!r}.")
            out.append(StepAdjustment(lower=lo, upper=hi, adjustment=check_int(adj, "ScalingAdjustment", -(2**31))))
        out.sort(key=lambda s: -math.inf if s.lower is None else s.lower)
        if sum(1 for s in out if s.lower is None) > 1 or sum(1 for s in out if s.upper is None) > 1:
            fail("ValidationError", "Only one step may have a null lower bound, and only one a null upper bound.")
        for a, b in itertools.pairwise(out):
            if a.upper is None or b.lower is None or a.upper != b.lower:
                fail("ValidationError", f"Step adjustments must not overlap or leave gaps: a step ends at "
                                        f"{a.upper} and the next starts at {b.lower}.")
        for s in out:
            if s.lower is not None and s.upper is not None and s.lower >= s.upper:
                fail("ValidationError", f"A step's lower bound {s.lower} must be below its upper bound {s.upper}.")
        return out

    def _create_tracking_alarms(self: AutoScalingService, p: ScalingPolicy) -> None:
        t = p.target
        g = p.group
        cw = self.region.cloudwatch
        desc = f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {p.arn}."
        for kind, op, threshold, n in (("AlarmHigh", "GreaterThanThreshold", t.target_value, HIGH_PERIODS),
                                       ("AlarmLow", "LessThanThreshold", t.target_value * LOW_FRACTION, LOW_PERIODS)):
            name = f"TargetTracking-{g.name}-{kind}-{self.cloud.ids.uuid()}"
            cw.put_metric_alarm(name, namespace=t.namespace, metric_name=t.metric_name, threshold=threshold,
                                comparison=op, evaluation_periods=n, datapoints_to_alarm=n, period=60,
                                statistic=t.statistic, dimensions=t.dimensions, unit=t.unit, description=desc,
                                alarm_actions=[p.arn], actions_enabled=not (kind == "AlarmLow" and t.disable_scale_in))
            p.alarms.append(name)

    def _drop_policy(self: AutoScalingService, g: AutoScalingGroup, p: ScalingPolicy, keep_arn: bool = False) -> None:
        cw = self.region.cloudwatch
        mine = [a for a in p.alarms if a in cw.alarms]
        if mine:
            cw.delete_alarms(mine)
        if not keep_arn:
            cw.unregister_action(p.arn)
            self._policy_by_arn.pop(p.arn, None)
        g.policies.pop(p.name, None)

    def get_policy(self: AutoScalingService, group: Any, name: str) -> ScalingPolicy:
        g = self.get_group(group)
        p = g.policies.get(name)
        if p is None:
            fail("ValidationError", f"Policy {name!r} does not exist on group {g.name}. Policies: "
                                    f"{listing(g.policies)}.")
        return p

    def delete_policy(self: AutoScalingService, group: Any, name: str) -> None:
        """DeletePolicy; a target tracking policy takes its alarms with it."""
        p = self.get_policy(group, name)
        self._drop_policy(p.group, p)

    def execute_policy(self: AutoScalingService, group: Any, name: str, *, honor_cooldown: bool = False,
                       metric_value: float | None = None, breach_threshold: float | None = None) -> None:
        """ExecutePolicy: run a simple or step policy by hand (step policies need the metric value
        and the threshold it is compared with)."""
        p = self.get_policy(group, name)
        g = p.group
        if p.policy_type == "TargetTrackingScaling":
            fail("ValidationError", "ExecutePolicy is not supported for target tracking policies.")
        if p.policy_type == "StepScaling" and (metric_value is None or breach_threshold is None):
            fail("ValidationError", "A step scaling policy needs MetricValue and BreachThreshold to be executed.")
        if honor_cooldown and p.policy_type == "SimpleScaling" and g.in_cooldown():
            fail("ScalingActivityInProgress", f"Group {g.name} is in its cooldown period; the policy was not run.")
        self._run(p, f"a user request execute policy {p.name}", "a user executed the policy",
                  value=metric_value, threshold=breach_threshold, honor=honor_cooldown)

    # -- running policies ------------------------------------------------------------------------
    def _on_alarm(self: AutoScalingService, p: ScalingPolicy, alarm, state) -> None:
        g = p.group
        if state.value != "ALARM" or not p.enabled or g.status or "AlarmNotification" in g.suspended:
            return
        if self._policy_by_arn.get(p.arn) is not p:
            return
        cw = self.region.cloudwatch
        value = next((v for _, v in reversed(cw.datapoints(alarm)) if v is not None), None)
        n = alarm.m
        verb = "fell below" if alarm.comparison.value.startswith("Less") else "went above"
        what = f"{alarm.threshold:g}% CPU" if alarm.metric_name == "CPUUtilization" else \
            f"{alarm.threshold:g} {alarm.metric_name}"
        plain = f"alarm {alarm.name} {verb} {what} ({n} datapoint{'s' if n != 1 else ''})"
        self._run(p, f"a monitor alarm {alarm.name} in state ALARM triggered policy {p.name}", plain,
                  value=value, threshold=alarm.threshold, honor=True, alarm=alarm)

    def _run(self: AutoScalingService, p: ScalingPolicy, text: str, plain: str, *, value: float | None,
             threshold: float | None, honor: bool, alarm=None) -> None:
        g = p.group
        now = self.cloud.clock.now
        current = g.desired_capacity
        if p.policy_type == "SimpleScaling":
            if honor and g.in_cooldown(now):
                return
            new = adjusted(current, p.adjustment_type, p.scaling_adjustment, p.min_adjustment_magnitude)
            new = min(max(new, g.min_size), g.max_size)
            if new != current:
                self._change_desired(g, new, text, plain=plain, cooldown=p.cooldown if p.cooldown is not None
                                     else g.default_cooldown)
            return
        if p.policy_type == "StepScaling":
            if value is None or threshold is None:
                return
            breach = value - threshold
            step = next((s for s in p.step_adjustments if s.contains(breach)), None)
            if step is None:
                return
            warming = sum(1 for gi in g.instances.values()
                          if gi.active and gi.scaled_out and gi.warming(now, p.warmup))
            if p.adjustment_type == "ExactCapacity":
                new = step.adjustment
            elif step.adjustment > 0:
                # instances still warming up count as capacity this policy already added
                new = max(current, adjusted(current - warming, p.adjustment_type, step.adjustment,
                                            p.min_adjustment_magnitude))
            else:
                new = adjusted(current, p.adjustment_type, step.adjustment, p.min_adjustment_magnitude)
            new = min(max(new, g.min_size), g.max_size)
            if new != current:
                self._change_desired(g, new, text, plain=plain, policy=True)
            return
        # target tracking
        if value is None:
            return
        t = p.target
        # The metric is the average of the instances past their warm-up, so it sizes from them:
        # ceil(reporting x metric / target). Instances still warming count as capacity already
        # on its way (new desired = max(need, current)), so a breach that persists while they
        # warm adds nothing more (AWS: "considers instances that are warming up as part of the
        # current capacity"; without this a scale-out compounds every minute).
        reporting = len(g.reporting(now))
        need = math.ceil(round(max(reporting, 1) * value / t.target_value, 9))
        is_low = alarm is not None and alarm.comparison.value.startswith("Less")
        if is_low:
            if t.disable_scale_in or any(gi.active and gi.warming(now, p.warmup) for gi in g.instances.values()):
                return
            new = max(min(need, current), g.min_size)
        else:
            new = min(max(need, current), g.max_size)
        if new != current:
            self._change_desired(g, new, text, plain=plain, policy=True)

    # -- scheduled actions --------------------------------------------------------------------------
    def put_scheduled_update_group_action(self: AutoScalingService, group: Any, name: str, *,
                                          start_time: Any = None, end_time: Any = None, recurrence: str | None = None,
                                          min_size: int | None = None, max_size: int | None = None,
                                          desired_capacity: int | None = None, time_zone: str = "UTC"
                                          ) -> ScheduledAction:
        """Create or replace a scheduled action: at ``start_time`` and/or on a cron ``recurrence``
        (evaluated in ``time_zone``, UTC by default), set the given sizes.

        Raises: ValidationError (nothing to change, start time in the past, bad cron, bad zone).
        """
        g = self.get_group(group)
        check_name(name, "ScheduledActionName")
        if min_size is None and max_size is None and desired_capacity is None:
            fail("ValidationError", "At least one of MinSize, MaxSize or DesiredCapacity must be given.")
        for param, v in (("MinSize", min_size), ("MaxSize", max_size), ("DesiredCapacity", desired_capacity)):
            if v is not None:
                check_int(v, param)
        now = self.cloud.clock.now
        start = None if start_time is None else _when(self.cloud.clock, start_time, "StartTime")
        end = None if end_time is None else _when(self.cloud.clock, end_time, "EndTime")
        if start is None and recurrence is None:
            fail("ValidationError", "Give a StartTime, a Recurrence, or both.")
        if start is not None and start < now:
            fail("ValidationError", f"Given start time {iso_z(self.cloud.clock, start)} is in the past (it is now "
                                    f"{iso_z(self.cloud.clock, now)}).")
        if end is not None and (end <= now or (start is not None and end <= start)):
            fail("ValidationError", "EndTime must be in the future and after StartTime.")
        cron = Cron(recurrence) if recurrence is not None else None
        self._zone(time_zone)
        old = g.scheduled_actions.pop(name, None)
        if old is not None and old.timer is not None:
            old.timer.cancel()
        action = ScheduledAction(name=name, group=g, arn=self.cloud.arn(
            "autoscaling", f"scheduledUpdateGroupAction:{self.cloud.ids.uuid()}:autoScalingGroupName/{g.name}:"
                           f"scheduledActionName/{name}", self.region_name),
            start_time=start, end_time=end, recurrence=cron, time_zone=time_zone, min_size=min_size,
            max_size=max_size, desired_capacity=desired_capacity)
        g.scheduled_actions[name] = action
        self._schedule_next(action, first=True)
        return action

    def _zone(self: AutoScalingService, name: str):
        if name in ("UTC", "Etc/UTC", "GMT"):
            return _dt.UTC
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except Exception:  # noqa: BLE001 - unknown name or no tz database
            fail("ValidationError", f"TimeZone {name!r} is not a valid IANA time zone (e.g. 'UTC', "
                                    "'America/New_York').")

    def _schedule_next(self: AutoScalingService, a: ScheduledAction, first: bool = False) -> None:
        from ..core.clock import EPOCH

        clock = self.cloud.clock
        if a.recurrence is None:
            t = a.start_time if first else None
        else:
            after = clock.now if a.start_time is None else max(clock.now, a.start_time - 1)
            nxt = a.recurrence.next_after(clock.to_datetime(after).astimezone(self._zone(a.time_zone)))
            t = None if nxt is None else (nxt - EPOCH).total_seconds()
        if t is None or (a.end_time is not None and t > a.end_time):
            a.next_run, a.timer = None, None
            return
        a.next_run = t
        a.timer = clock.at(t, lambda: self._fire(a), priority=2, name=f"scheduled action {a.name}")

    def _fire(self: AutoScalingService, a: ScheduledAction) -> None:
        g = a.group
        a.timer = None
        if g.scheduled_actions.get(a.name) is not a or g.status:
            return
        if "ScheduledActions" not in g.suspended:
            lo = g.min_size if a.min_size is None else a.min_size
            hi = g.max_size if a.max_size is None else a.max_size
            if lo <= hi:
                desired = a.desired_capacity if a.desired_capacity is not None else min(max(g.desired_capacity, lo), hi)
                desired = min(max(desired, lo), hi)
                g.min_size, g.max_size = lo, hi
                self._change_desired(g, desired, f"a scheduled action update of AutoScalingGroup constraints to min: "
                                                 f"{lo}, max: {hi}, desired: {desired}",
                                     plain=f"scheduled action {a.name} ran")
        if a.recurrence is None:
            del g.scheduled_actions[a.name]     # one-time actions disappear once they have run
        else:
            self._schedule_next(a)

    def delete_scheduled_action(self: AutoScalingService, group: Any, name: str) -> None:
        g = self.get_group(group)
        a = g.scheduled_actions.pop(name, None)
        if a is None:
            fail("ValidationError", f"Scheduled action name not found - {name!r} on group {g.name}. Actions: "
                                    f"{listing(g.scheduled_actions)}.")
        if a.timer is not None:
            a.timer.cancel()
