"""Traffic for the simulated fleet: request-rate profiles and a queueing model of the servers.

A :class:`Workload` drives the whole cause -> effect chain of chapter 7: every ``step``
seconds it reads the request rate from a *profile*, splits it over the targets that may take
traffic (through the load balancer's bulk routing when given one, else evenly over an Auto
Scaling group's running instances), turns each instance's share into CPU utilisation (which
EC2 and Auto Scaling publish to CloudWatch, where alarms run scaling policies) and into a
response time, and keeps a per-minute :attr:`Workload.history`.

The server model (documented simplifications):

* **Capacity**: an instance serves ``RPS_PER_VCPU`` (25) requests per second per vCPU at
  100% CPU, so a t3.micro (2 vCPUs) saturates at 50 requests/s.  Utilisation
  ``rho = load / capacity``; CPU = ``min(100, 100 x rho)`` percent.
* **Response time**: each instance is an M/M/1 queue, ``R = S / (1 - rho)`` with service time
  ``S`` (``service_ms``, 20 ms by default), capped at ``timeout_ms`` (10 s).
* **Errors**: at ``rho >= 1`` the queue grows without bound: the requests above capacity
  fail (5XX / timeouts) and the rest wait ``timeout_ms``.  Requests sent to an instance in a
  failed Availability Zone all time out; requests no target can take fail at the load
  balancer (503).

Profiles are functions of simulated time (seconds since the clock's epoch, 2026-01-05
09:00 UTC) that compose with ``+`` and ``*``:

>>> p = constant(100) * spike(1, 3, at="09:10", duration=300) + constant(20)
>>> p(0), p(700), p(900)
(120.0, 320.0, 120.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from .core.errors import InvalidParameter

__all__ = ["RPS_PER_VCPU", "Profile", "Sample", "Workload", "constant", "daily_cycle", "ramp", "serve_app", "spike"]

#: Requests per second one vCPU serves at 100% CPU (a t3.micro with 2 vCPUs: 50 requests/s).
RPS_PER_VCPU = 25.0
#: Bytes in and out per request, for the NetworkIn/NetworkOut metrics.
BYTES_IN, BYTES_OUT = 600, 4000
_START_HOUR = 9.0   # the clock's epoch is 09:00 UTC


def _bad(message: str):
    raise InvalidParameter("InvalidParameterValue", message)


def _num(value: Any, what: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 \
            or (positive and value == 0):
        _bad(f"{what} must be a {'positive' if positive else 'non-negative'} finite number, not {value!r}.")
    return float(value)


def _at(value: Any, what: str = "at") -> float:
    """A time as simulated seconds, or ``"HH:MM"`` on the first day (the first such time >= 09:00)."""
    if isinstance(value, str):
        try:
            h, m = (int(x) for x in value.split(":"))
            assert 0 <= h < 24 and 0 <= m < 60
        except (ValueError, AssertionError):
            _bad(f"{what} {value!r} is not a time like '14:30' or a number of simulated seconds.")
        t = (h - _START_HOUR) * 3600 + m * 60
        return t if t >= 0 else t + 86400
    return _num(value, what)


@dataclass(slots=True, frozen=True)
class Profile:
    """A request rate (requests per second) as a function of simulated time; compose with + and *."""

    fn: Callable[[float], float]
    label: str

    def __call__(self, t: float) -> float:
        return max(0.0, float(self.fn(t)))

    def __add__(self, other: Any) -> Profile:
        o = _as_profile(other)
        return Profile(lambda t, a=self.fn, b=o.fn: a(t) + b(t), f"({self.label} + {o.label})")

    __radd__ = __add__

    def __mul__(self, other: Any) -> Profile:
        o = _as_profile(other)
        return Profile(lambda t, a=self.fn, b=o.fn: a(t) * b(t), f"{self.label} * {o.label}")

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return self.label


def _as_profile(value: Any) -> Profile:
    if isinstance(value, Profile):
        return value
    return constant(value)


def constant(rps: float) -> Profile:
    """The same rate all the time."""
    r = _num(rps, "rps")
    return Profile(lambda t: r, f"constant({r:g})")


def ramp(start: float, end: float, over: float, *, at: Any = 0) -> Profile:
    """From ``start`` to ``end`` requests/s linearly over ``over`` seconds, beginning ``at``."""
    a, b, d, t0 = _num(start, "start"), _num(end, "end"), _num(over, "over", positive=True), _at(at)

    def fn(t: float) -> float:
        x = min(1.0, max(0.0, (t - t0) / d))
        return a + (b - a) * x

    return Profile(fn, f"ramp({a:g}, {b:g}, over={d:g})")


def daily_cycle(peak: float, trough: float, peak_hour: float = 14) -> Profile:
    """A smooth daily wave (cosine): ``peak`` at ``peak_hour`` UTC, ``trough`` twelve hours later."""
    hi, lo = _num(peak, "peak"), _num(trough, "trough")
    ph = _num(peak_hour, "peak_hour")
    if ph >= 24:
        _bad(f"peak_hour is an hour of the day (0-24), not {peak_hour!r}.")

    def fn(t: float) -> float:
        hour = (_START_HOUR + t / 3600.0) % 24.0
        return lo + (hi - lo) * (1 + math.cos(2 * math.pi * (hour - ph) / 24.0)) / 2

    return Profile(fn, f"daily_cycle(peak={hi:g}, trough={lo:g}, peak_hour={ph:g})")


def spike(base: float, factor: float, at: Any, duration: float) -> Profile:
    """``base`` requests/s, multiplied by ``factor`` from ``at`` for ``duration`` seconds.

    Used as a multiplier, ``spike(1, 3, ...)`` triples another profile during the spike.
    """
    b, f, t0, d = _num(base, "base"), _num(factor, "factor"), _at(at), _num(duration, "duration", positive=True)
    return Profile(lambda t: b * f if t0 <= t < t0 + d else b, f"spike({b:g}, x{f:g}, at={t0:g}, for={d:g})")


def serve_app(group: Any, app: Any = None, *, port: int = 80) -> Any:
    """Run a web application on every instance of an Auto Scaling group, now and at each launch.

    In AWS the launch template's user data script installs and starts the web server when a
    new instance first boots, so load balancer health checks pass on every instance the group
    launches.  awskit's instances run Python apps (:meth:`awskit.ec2.Instance.serve`); this
    does the user data's job: it serves ``app`` (by default one that answers 200 ``ok``) on
    ``port`` of the group's current instances and of every instance it launches later.

    Returns the event subscription; ``close()`` it to stop installing the app.

    >>> from awskit import Cloud
    >>> from awskit.http import Request
    >>> cloud = Cloud(seed=1)
    >>> lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    >>> g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=1, max_size=2,
    ...                                                 availability_zones=["us-east-1a"])
    >>> _ = serve_app(g)
    >>> _ = cloud.autoscaling.set_desired_capacity(g, 2)
    >>> cloud.clock.advance(minutes=1)
    >>> [gi.instance.handle(Request("GET", "/")).status for gi in g.instances.values()]
    [200, 200]
    """
    from .autoscaling.groups import AutoScalingGroup
    from .http import Response

    if not isinstance(group, AutoScalingGroup):
        _bad(f"serve_app needs an Auto Scaling group, not {group!r}.")
    if app is None:
        def app(request: Any) -> Response:
            return Response(200, body="ok")
    if not callable(app):
        _bad(f"An app is a callable app(request) -> Response, not {app!r}.")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        _bad(f"port must be a whole number from 1 to 65535, not {port!r}.")
    for gi in list(group.instances.values()):
        if gi.active:
            gi.instance.serve(app, port)
    region = group.service.region_name

    def on_activity(message: Any) -> None:
        data = message.data
        if data.get("kind") != "launch" or data.get("group") != group.name or data.get("region") != region:
            return
        gi = group.instances.get(data.get("instance"))
        if gi is not None and gi.instance.apps.get(port) is not app:
            gi.instance.serve(app, port)

    return group.service.cloud.events.subscribe("autoscaling.activity", on_activity)


class Sample(NamedTuple):
    """One minute of :attr:`Workload.history`."""

    time: float
    rps: float
    in_service: int
    desired: int | None
    cpu_avg: float
    response_ms: float
    errors: float


class Workload:
    """Traffic on the simulated clock.

    Args:
        cloud: the cloud whose clock drives it.
        profile: a :class:`Profile` (or a number: a constant rate).
        target: a load balancer (routes through ``cloud.elb.route_load``), an Auto Scaling
            group (its InService instances, evenly), or a list of instances.
        step: seconds between evaluations (60 by default; 1 for second-by-second detail).
        group: the Auto Scaling group behind ``target`` when ``target`` is a load balancer
            (for the ``in_service`` and ``desired`` columns of the history).
        service_ms, timeout_ms, rps_per_vcpu: the server model (see the module docstring).
        noise: relative standard deviation of random variation of the rate (drawn from ``cloud.rng``).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> web = cloud.ec2.run_instance(instance_type="t3.micro")
    >>> w = Workload(cloud, constant(25), target=[web])
    >>> cloud.clock.advance(minutes=3)
    >>> web.cpu_load, w.history[-1].response_ms
    (50.0, 40.0)
    """

    def __init__(self, cloud: Any, profile: Any, target: Any, *, step: float = 60, group: Any = None,
                 service_ms: float = 20.0, timeout_ms: float = 10000.0, rps_per_vcpu: float = RPS_PER_VCPU,
                 noise: float = 0.0) -> None:
        self.cloud = cloud
        self.profile = _as_profile(profile) if not callable(profile) or isinstance(profile, Profile) else (
            Profile(profile, getattr(profile, "__name__", "profile")))
        self.step = _num(step, "step", positive=True)
        if self.step > 60 or 60 % self.step:
            _bad(f"step must divide a minute (1, 2, 5, 10, 15, 20, 30 or 60 seconds), not {step!r}.")
        self.service_s = _num(service_ms, "service_ms", positive=True) / 1000.0
        self.timeout_s = _num(timeout_ms, "timeout_ms", positive=True) / 1000.0
        self.rps_per_vcpu = _num(rps_per_vcpu, "rps_per_vcpu", positive=True)
        self.noise = _num(noise, "noise")
        self.history: list[Sample] = []
        self._metrics: dict[tuple, Any] = {}  # (namespace, name, dimension values) -> metric
        self._cw: Any = None
        self._elb: Any = None
        self._lb = None
        self._group = group
        self._instances: list | None = None
        from .autoscaling.groups import AutoScalingGroup

        if isinstance(target, AutoScalingGroup):
            self._group = target
        elif isinstance(target, (list, tuple)):
            self._instances = list(target)
        elif hasattr(target, "listeners") or getattr(target, "kind", None) == "classic":
            self._lb = target
        else:
            _bad(f"A workload's target is a load balancer, an Auto Scaling group or a list of instances, "
                 f"not {target!r}.")
        self._reset_minute()
        clock = cloud.clock
        first = self.step - clock.now % self.step
        self._timer = clock.every(self.step, self._tick, start=first, priority=1, name="workload")

    # -- the model ----------------------------------------------------------------------------------
    def _reset_minute(self) -> None:
        self._m_requests = 0.0
        self._m_errors = 0.0
        self._m_elb_errors = 0.0
        self._m_rt_weighted = 0.0
        self._m_served = 0.0
        self._m_rps = 0.0
        self._m_steps = 0
        self._m_cpu = 0.0
        self._m_tg: dict[Any, float] = {}

    def _shares(self, rps: float) -> tuple[dict[Any, float], float, dict[Any, float]]:
        """(instance -> requests/s, unrouted requests/s, target group -> requests/s)."""
        if self._lb is not None:
            elb = self._elb
            if elb is None:
                elb = self._elb = self.cloud.elb
            report = elb.route_load(self._lb, rps, self.step, record=False)
            per: dict[Any, float] = {}
            tgs: dict[Any, float] = {}
            for t, r in report.per_target.items():
                inst = t.instance
                if inst is not None:
                    per[inst] = per.get(inst, 0.0) + r
                tg = getattr(t, "target_group", None)
                if tg is not None:
                    tgs[tg] = tgs.get(tg, 0.0) + r
            return per, report.unrouted_rps, tgs
        if self._group is not None:
            pool = [gi.instance for gi in self._group.instances.values() if gi.lifecycle.value == "InService"
                    and gi.instance.state.value == "running"]
        else:
            pool = [i for i in self._instances if i.state.value == "running"]
        if not pool:
            return {}, rps, {}
        each = rps / len(pool)
        return {i: each for i in pool}, 0.0, {}

    def _tick(self) -> None:
        now = self.cloud.clock.now
        rps = self.profile(now - self.step / 2)
        if self.noise:
            rps = max(0.0, rps * (1.0 + self.cloud.rng.gauss(0.0, self.noise)))
        per, unrouted, tgs = self._shares(rps)
        step = self.step
        served_rt = 0.0
        served = 0.0
        errors = unrouted * step
        cpu_sum = 0.0
        cap_per_vcpu = self.rps_per_vcpu
        s, timeout = self.service_s, self.timeout_s
        for inst, r in per.items():
            cap = cap_per_vcpu * inst.instance_type.vcpus
            rho = r / cap
            n = r * step
            if inst.az_down:
                errors += n
                inst.cpu_load = 0.0
                continue
            if rho >= 1.0:
                inst.cpu_load = 100.0
                ok = cap * step
                errors += n - ok
                served += ok
                served_rt += ok * timeout
            else:
                inst.cpu_load = 100.0 * rho
                served += n
                served_rt += n * min(timeout, s / (1.0 - rho))
            cpu_sum += inst.cpu_load
        self._m_requests += rps * step
        self._m_errors += errors
        self._m_elb_errors += unrouted * step
        self._m_served += served
        self._m_rt_weighted += served_rt
        self._m_rps += rps
        self._m_steps += 1
        self._m_cpu += cpu_sum / len(per) if per else 0.0
        for tg, r in tgs.items():
            self._m_tg[tg] = self._m_tg.get(tg, 0.0) + r * step
        if now % 60 < 1e-9 or self.step == 60:
            self._flush(now)

    def _flush(self, now: float) -> None:
        steps = self._m_steps or 1
        rt = self._m_rt_weighted / self._m_served if self._m_served else 0.0
        g = self._group
        in_service = (sum(1 for gi in g.instances.values() if gi.lifecycle == "InService") if g is not None
                      else len(self._instances or []))
        self.history.append(Sample(now - 60, self._m_rps / steps, in_service,
                                   g.desired_capacity if g is not None else None, self._m_cpu / steps,
                                   rt * 1000.0, self._m_errors))
        if len(self.history) > 100_000:
            del self.history[:-100_000]
        t = now - 1
        put = self._put
        lb = self._lb
        if lb is not None and getattr(lb, "kind", "") != "classic":
            ns = "AWS/ApplicationELB"
            dims = {"LoadBalancer": lb.metric_id}
            put(ns, "RequestCount", dims, self._m_requests, "Count", t)
            if self._m_served:
                put(ns, "TargetResponseTime", dims, rt, "Seconds", t)
            target_errors = self._m_errors - self._m_elb_errors
            if target_errors:
                put(ns, "HTTPCode_Target_5XX_Count", dims, target_errors, "Count", t)
            if self._m_elb_errors:
                put(ns, "HTTPCode_ELB_5XX_Count", dims, self._m_elb_errors, "Count", t)
            for tg, n in self._m_tg.items():
                healthy = sum(1 for x in tg.targets.values() if x.state == "healthy") or 1
                put(ns, "RequestCountPerTarget", {"TargetGroup": f"targetgroup/{tg.name}/{tg.id}"}, n / healthy,
                    "Count", t)
        if g is not None and in_service:
            dims = {"AutoScalingGroupName": g.name}
            put("AWS/EC2", "NetworkIn", dims, self._m_requests * BYTES_IN / in_service, "Bytes", t)
            put("AWS/EC2", "NetworkOut", dims, self._m_requests * BYTES_OUT / in_service, "Bytes", t)
        self._reset_minute()

    def _put(self, namespace: str, name: str, dims: dict[str, str], value: float, unit: str, t: float) -> None:
        """``cloudwatch.put(...)`` through a metric handle kept from the first minute on."""
        key = (namespace, name, *dims.values())
        metric = self._metrics.get(key)
        cw = self._cw
        if cw is None:
            cw = self._cw = self.cloud.cloudwatch
        if metric is None:
            metric = self._metrics[key] = cw._series(namespace, name, dims)
        cw._emit(metric, value, unit, t)

    # -- control and views ------------------------------------------------------------------------------
    def stop(self) -> None:
        """Detach from the clock (instances keep their last CPU load)."""
        self._timer.cancel()

    def rows(self) -> list[dict[str, Any]]:
        """The history as dicts (for a DataFrame: ``pandas.DataFrame(w.rows())``)."""
        return [s._asdict() for s in self.history]

    def __repr__(self) -> str:
        what = (f"lb={self._lb.name!r}" if self._lb is not None else
                f"group={self._group.name!r}" if self._group is not None else f"instances={len(self._instances)}")
        return f"Workload({self.profile!r}, {what}, step={self.step:g})"
