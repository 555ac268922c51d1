"""The EBS I/O model: what a workload gets from a volume (or a RAID 0 stripe of volumes).

A volume's performance has three ceilings and the lowest wins each second:

* **IOPS**: operations per second.  Provisioned on gp3/io1/io2; on gp2 the baseline is
  3 IOPS/GiB (100 to 16,000) and a volume under 1 TiB may burst to 3,000 IOPS while its
  bucket has I/O credits; st1/sc1 manage at most 500/250 operations of up to 1 MiB.
* **Throughput**: MiB per second.  gp3: provisioned (125-2,000); gp2: 250; io1: 500
  (1,000 above 32,000 IOPS); io2: 0.25 MiB/s per IOPS up to 4,000; st1/sc1: a baseline per
  TiB of size, bursting per TiB while the bucket holds credits.
* **Burst credits** (gp2, st1, sc1, standard): the bucket fills at the baseline rate every
  second and each operation (gp2: one credit per I/O; st1/sc1: per MiB) spends from it.
  A gp2 bucket holds 5.4 million credits and starts full: a 100 GiB gp2 (baseline 300)
  running flat out at 3,000 IOPS empties it in 5.4e6 / (3,000 - 300) = 2,000 s.

How I/O sizes count (as the EBS User Guide describes): an SSD operation is up to 256 KiB
(a 1 MiB I/O is 4 operations), an HDD operation up to 1 MiB.  Sequential small I/Os are
merged into operations of that maximum size; random ones are not, which is why small
random I/O on st1/sc1 is capped far below their sequential throughput (500 x 16 KiB is
only 7.8 MiB/s on st1).

Latency (awskit's teaching formula, documented here, not an AWS figure): each type has a
service time (io2 0.25 ms, io1 0.5 ms, gp2/gp3 0.8 ms, st1 2 ms sequential / 8 ms
random, sc1 4/12 ms, standard 5/10 ms) plus the transfer time of the I/O at the volume's
throughput ceiling.  As demand approaches capacity, queueing adds delay like an M/M/1
queue: ``latency = service_time / (1 - u)`` with the utilisation ``u`` capped at 0.95;
beyond capacity the excess requests wait in line, multiplying latency by demand/capacity.

A RAID 0 stripe (a list of volumes) spreads I/O evenly: IOPS and throughput add up, and the
stripe runs at the pace of its slowest member.  An impaired volume (its AZ is down) does no
I/O at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._common import fail

if TYPE_CHECKING:
    from .volumes import Volume

__all__ = ["U_MAX", "WorkloadResult", "run_workload"]

#: utilisation ceiling of the queueing formula (keeps latency finite at saturation)
U_MAX = 0.95
#: seconds in a day (``Volume.io_history`` is kept per simulated day)
DAY = 86400.0
#: the most steps one run may take (keeps a notebook responsive)
MAX_STEPS = 200_000

IOPS_CAP, THROUGHPUT_CAP, CREDITS, INSTANCE, IMPAIRED = (
    "iops", "throughput", "burst-credits", "instance-bandwidth", "impaired")


@dataclass(slots=True, kw_only=True, repr=False)
class WorkloadResult:
    """Per-step time series and a summary of one :func:`run_workload` run.

    ``iops`` are the application's I/Os per second achieved, ``throughput`` MiB/s,
    ``latency_ms`` the average latency, ``burst_balance`` the lowest bucket fill (percent)
    among the volumes that have one (None otherwise) and ``limited_by`` what held the step
    back ("" when the demand was met).
    """

    volume_ids: list[str]
    demand_iops: float | None
    io_size_kib: float
    read_fraction: float
    pattern: str
    step_s: float
    start: float
    time: list[float] = field(default_factory=list)
    iops: list[float] = field(default_factory=list)
    throughput: list[float] = field(default_factory=list)
    latency_ms: list[float] = field(default_factory=list)
    burst_balance: list[float | None] = field(default_factory=list)
    limited_by: list[str] = field(default_factory=list)

    @property
    def throttled(self) -> bool:
        """True when some step did not get the demanded IOPS."""
        return any(self.limited_by)

    @property
    def throttled_by(self) -> dict[str, float]:
        """Seconds spent held back, by cause (iops, throughput, burst-credits, ...)."""
        out: dict[str, float] = {}
        for why in self.limited_by:
            if why:
                out[why] = out.get(why, 0.0) + self.step_s
        return out

    @property
    def credits_exhausted_at(self) -> float | None:
        """Seconds from the start when a burst bucket first ran dry, else None."""
        for t, why in zip(self.time, self.limited_by):
            if why == CREDITS:
                return t
        return None

    @property
    def total_ios(self) -> float:
        return sum(self.iops) * self.step_s

    @property
    def total_mib(self) -> float:
        return sum(self.throughput) * self.step_s

    @property
    def summary(self) -> dict[str, Any]:
        """mean/min/max of each series, whether and by what the workload was throttled."""
        def stats(xs: list[float]) -> dict[str, float]:
            return {"mean": sum(xs) / len(xs), "min": min(xs), "max": max(xs)} if xs else {}

        balances = [b for b in self.burst_balance if b is not None]
        return {
            "iops": stats(self.iops), "throughput_mibps": stats(self.throughput),
            "latency_ms": stats(self.latency_ms),
            "burst_balance_end": balances[-1] if balances else None,
            "throttled": self.throttled, "throttled_by": self.throttled_by,
            "credits_exhausted_at": self.credits_exhausted_at,
            "read_mib": self.total_mib * self.read_fraction,
            "write_mib": self.total_mib * (1 - self.read_fraction),
            "total_ios": self.total_ios,
        }

    def to_dataframe(self):
        """The series as a pandas DataFrame indexed by seconds (pandas imported on demand)."""
        import pandas as pd

        return pd.DataFrame({"iops": self.iops, "throughput_mibps": self.throughput,
                             "latency_ms": self.latency_ms, "burst_balance": self.burst_balance,
                             "limited_by": self.limited_by}, index=pd.Index(self.time, name="seconds"))

    def __repr__(self) -> str:
        s = self.summary
        if not self.iops:
            return "WorkloadResult(no steps)"
        why = ", ".join(f"{k} {v:g}s" for k, v in s["throttled_by"].items()) or "not throttled"
        return (f"WorkloadResult({'+'.join(self.volume_ids)}, {len(self.time)} steps of {self.step_s:g}s: "
                f"{s['iops']['mean']:.0f} IOPS, {s['throughput_mibps']['mean']:.1f} MiB/s, "
                f"{s['latency_ms']['mean']:.2f} ms mean; {why})")


def _number(name: str, value: Any, low: float, high: float, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not low <= value <= high:
        fail("InvalidParameterValue", f"{name}={value!r} is invalid: give a number from {low:g} to {high:g}.")
    return float(value)


def _record_daily_iops(vols: list[Volume], start: float, step: float, iops: list[float]) -> None:
    """Add the run's I/Os to each volume's ``io_history`` (day -> average IOPS over the whole day)."""
    per_day: dict[int, float] = {}
    for k, total in enumerate(iops):
        if total:
            day = int((start + k * step) // DAY)
            per_day[day] = per_day.get(day, 0.0) + total * step
    n = len(vols)
    for v in vols:
        hist = v.io_history
        for day, ios in per_day.items():
            hist[day] = hist.get(day, 0.0) + ios / n / DAY


def run_workload(service: Any, volumes: Any, *, iops: float | None = None, io_size_kib: float = 16,
                 read_fraction: float = 0.7, duration_s: float = 600, step_s: float = 1,
                 pattern: str = "random", instance_bandwidth_mibps: float | None = None,
                 advance_clock: bool = True) -> WorkloadResult:
    """Run an I/O workload against a volume or a RAID 0 stripe; see the module docstring.

    Args:
        volumes: a volume (or id), or a list of them (a RAID 0 stripe).
        iops: I/Os per second the application asks for (None: as many as the volume gives).
        io_size_kib: size of each application I/O.
        read_fraction: share of reads (reported in the summary; EBS limits reads and writes alike).
        duration_s, step_s: how long to run and the resolution of the series.
        pattern: "random" or "sequential" (sequential small I/Os are merged).
        instance_bandwidth_mibps: the instance's EBS bandwidth ceiling (default: the attached
            instance type's ``ebs_bandwidth_mibps`` if the catalog defines one).
        advance_clock: move the simulated clock by ``duration_s`` (bursts refill on the clock).

    Raises: InvalidParameterValue, IncorrectState (a volume that is not available or in use).
    """
    vols: list[Volume] = [service.get_volume(v) for v in (volumes if isinstance(volumes, (list, tuple))
                                                          else [volumes])]
    if not vols:
        fail("InvalidParameterValue", "Give at least one volume to run the workload on.")
    if len({v.id for v in vols}) != len(vols):
        fail("InvalidParameterValue", "A stripe lists each volume once.")
    for v in vols:
        if v.state.value not in ("available", "in-use"):
            fail("IncorrectState", f"Volume '{v.id}' is {v.state.value}: wait until it is available.")
    demand = _number("iops", iops, 0.0, 1e9, allow_none=True)
    io_kib = _number("io_size_kib", io_size_kib, 0.5, 16384.0)
    rf = _number("read_fraction", read_fraction, 0.0, 1.0)
    duration = _number("duration_s", duration_s, 0.0, 1e8)
    step = _number("step_s", step_s, 0.001, 1e8)
    if pattern not in ("random", "sequential"):
        fail("InvalidParameterValue", f"pattern={pattern!r} is invalid: use 'random' or 'sequential'.")
    if advance_clock not in (True, False):
        fail("InvalidParameterValue", f"advance_clock is True or False, not {advance_clock!r}.")
    steps = math.ceil(duration / step - 1e-9)
    if steps > MAX_STEPS:
        fail("InvalidParameterValue", f"{steps} steps is too many (at most {MAX_STEPS}): use a larger step_s.")
    inst_cap = _number("instance_bandwidth_mibps", instance_bandwidth_mibps, 0.0, 1e6, allow_none=True)
    if inst_cap is None:
        caps = {getattr(v.instance.instance_type, "ebs_bandwidth_mibps", None) for v in vols if v.instance is not None}
        caps.discard(None)
        inst_cap = min(caps) if caps else None

    now = service.cloud.clock.now
    n = len(vols)
    per_vol_demand = math.inf if demand is None else demand / n
    mib_per_io = io_kib / 1024.0
    seq = pattern == "sequential"

    # Per-volume constants and state, as plain lists for a tight loop.
    spec = []
    for v in vols:
        t = v.volume_type
        max_io = t.max_io_kib
        ops_per_io = (io_kib / max_io) if (seq and io_kib <= max_io) else math.ceil(io_kib / max_io)
        hdd_bucket = t.burst_mibps_per_tib is not None
        base = t.baseline_iops(v.size, v._iops)
        burst = t.burst_iops if (t.burst_iops is not None and t.burst_iops > base) else None
        cap_ops = t.max_iops if hdd_bucket else base
        cap = t.bucket_size(v.size)
        credits = service._credits_now(v) if cap is not None else None
        svc = t.service_time_ms if (t.is_ssd or seq or t.random_service_time_ms is None) else t.random_service_time_ms
        svc += mib_per_io / max(v.max_throughput, 1e-9) * 1000.0
        spec.append({
            "ops_per_io": ops_per_io, "base": base, "burst": burst, "cap_ops": cap_ops,
            "hdd": hdd_bucket, "base_mib": t.baseline_mibps(v.size), "burst_mib": t.burst_mibps(v.size),
            "max_mib": v.max_throughput, "cap": cap, "credits": credits, "svc": svc,
            "impaired": v.impaired,
        })

    result = WorkloadResult(volume_ids=[v.id for v in vols], demand_iops=demand, io_size_kib=io_kib,
                            read_fraction=rf, pattern=pattern, step_s=step, start=now)
    t_series, i_series, m_series = result.time, result.iops, result.throughput
    l_series, b_series, w_series = result.latency_ms, result.burst_balance, result.limited_by
    any_bucket = any(s["cap"] is not None for s in spec)
    for k in range(steps):
        best = math.inf
        why = ""
        latency = 0.0
        for s in spec:
            if s["impaired"]:
                best, why, latency = 0.0, IMPAIRED, math.inf
                continue
            credits = s["credits"]
            limited_by_credits = False
            if s["hdd"]:  # st1/sc1: a throughput bucket
                ops_cap = s["cap_ops"]
                if credits > 0:
                    mib_cap = min(s["burst_mib"], s["base_mib"] + credits / step)
                else:
                    mib_cap = s["base_mib"]
                    limited_by_credits = s["burst_mib"] > s["base_mib"]
            else:
                mib_cap = s["max_mib"]
                if s["burst"] is not None:  # gp2 / standard: an I/O credit bucket
                    if credits > 0:
                        ops_cap = min(s["burst"], s["base"] + credits / step)
                    else:
                        ops_cap = s["base"]
                        limited_by_credits = True
                else:
                    ops_cap = s["cap_ops"]
            by_ops = ops_cap / s["ops_per_io"]
            by_mib = mib_cap / mib_per_io
            capacity = min(by_mib, by_ops)
            if per_vol_demand <= capacity:
                got, reason = per_vol_demand, ""
            else:
                got = capacity
                if limited_by_credits and ((by_ops <= by_mib) != s["hdd"]):
                    reason = CREDITS
                else:
                    reason = IOPS_CAP if by_ops <= by_mib else THROUGHPUT_CAP
            # "As fast as it goes" keeps the queue just full: utilisation 1, no backlog.
            u = 1.0 if per_vol_demand == math.inf else (per_vol_demand / capacity if capacity > 0 else math.inf)
            lat = s["svc"] / (1.0 - (min(U_MAX, u)))
            if u > 1.0:
                lat *= u
            if got < best:
                best, why = got, reason
            latency = max(latency, lat)
        total = best * n
        if inst_cap is not None and total * mib_per_io > inst_cap:
            total = inst_cap / mib_per_io
            best = total / n
            why = INSTANCE
        # Spend and earn credits at the pace the stripe actually ran.
        low_balance = None
        if any_bucket:
            for s in spec:
                cap = s["cap"]
                if cap is None or s["impaired"]:
                    continue
                if s["hdd"]:
                    c = s["credits"] + (s["base_mib"] - best * mib_per_io) * step
                else:
                    c = s["credits"] + (s["base"] - best * s["ops_per_io"]) * step
                c = 0.0 if c < 0 else (min(c, cap))
                s["credits"] = c
                pct = 100.0 * c / cap
                if low_balance is None or pct < low_balance:
                    low_balance = pct
        t_series.append(k * step)
        i_series.append(total)
        m_series.append(total * mib_per_io)
        l_series.append(latency)
        b_series.append(low_balance)
        w_series.append(why)

    _record_daily_iops(vols, now, step, i_series)
    end = now + steps * step if advance_clock else now
    for v, s in zip(vols, spec):
        if s["credits"] is not None:
            v.credits, v.credits_at = s["credits"], end
    service._after_workload(vols, result, advance_clock, steps * step)
    return result
