"""Scaling activities: the record Auto Scaling keeps of every launch and termination.

Each change to a group's instances is an *activity* with a Description ("Launching a new
EC2 instance: i-..."), a Cause that tells the chain of events in AWS's own phrasing ("At
... a monitor alarm ... in state ALARM triggered policy ... changing the desired capacity
from 2 to 4.  At ... an instance was started in response to a difference between desired
and actual capacity, increasing the capacity from 2 to 4."), a status code and a progress.
awskit publishes each new or finished activity as ``autoscaling.activity`` on
``cloud.events``, and ``group.narrate()`` retells them in plain words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .groups import AutoScalingGroup

__all__ = ["Activity", "ActivityStatus", "Trigger"]


class ActivityStatus(StrEnum):
    """The StatusCode values awskit uses (AWS has a few more for Spot and lifecycle hooks)."""

    IN_PROGRESS = "InProgress"
    WAITING_FOR_DRAINING = "WaitingForELBConnectionDraining"
    SUCCESSFUL = "Successful"
    FAILED = "Failed"
    CANCELLED = "Cancelled"


_DONE = (ActivityStatus.SUCCESSFUL, ActivityStatus.FAILED, ActivityStatus.CANCELLED)


@dataclass(slots=True, kw_only=True)
class Trigger:
    """Why the desired capacity changed: the first sentence of a Cause, and a plain-words version."""

    time: float
    text: str               # "a user request explicitly set group desired capacity"
    old: int
    new: int
    plain: str = ""         # "alarm X crossed 50% CPU (3 datapoints)"
    policy: bool = False    # a step or target tracking policy asked for it (its launches warm up)


@dataclass(slots=True, kw_only=True, eq=False)
class Activity:
    """One scaling activity of a group."""

    id: str
    group: AutoScalingGroup = field(repr=False)
    description: str
    cause: str
    start: float
    end: float | None = None
    status: ActivityStatus = ActivityStatus.IN_PROGRESS
    status_message: str | None = None
    progress: int = 0
    details: dict[str, str] = field(default_factory=dict)
    kind: str = "launch"              # launch | terminate
    instance_id: str | None = None
    plain: str = ""                   # the plain-words reason, for narrate()

    @property
    def done(self) -> bool:
        return self.status in _DONE

    @property
    def details_json(self) -> str:
        return json.dumps(self.details)

    def __repr__(self) -> str:
        return f"Activity({self.description!r}, {self.status.value}, progress={self.progress})"


def record(group: AutoScalingGroup, *, description: str, cause: str, kind: str, instance_id: str | None,
           details: dict[str, str], plain: str, status: ActivityStatus = ActivityStatus.IN_PROGRESS,
           message: str | None = None) -> Activity:
    """Create an activity on ``group``, keep it, and publish it."""
    svc = group.service
    now = svc.cloud.clock.now
    act = Activity(id=svc.cloud.ids.uuid(), group=group, description=description, cause=cause, start=now,
                   kind=kind, instance_id=instance_id, details=details, plain=plain, status=status,
                   status_message=message)
    if act.done:
        act.end, act.progress = now, 100
    group.activities.append(act)
    if len(group.activities) > 2000:      # AWS keeps six weeks; awskit keeps the last 2000
        del group.activities[:-2000]
    _publish(act)
    return act


def finish(act: Activity | None, status: ActivityStatus = ActivityStatus.SUCCESSFUL, message: str | None = None) -> None:
    if act is None or act.done:
        return
    act.status = status
    act.status_message = message
    act.progress = 100
    act.end = act.group.service.cloud.clock.now
    _publish(act)


def _publish(act: Activity) -> None:
    g = act.group
    g.service.cloud.events.publish("autoscaling.activity", group=g.name, activity_id=act.id,
                                   description=act.description, status=act.status.value,
                                   instance=act.instance_id, kind=act.kind, region=g.service.region_name)


def narrate(group: AutoScalingGroup, limit: int | None = None) -> list[str]:
    """Plain lines, oldest first: ``09:12 scaled out 2 -> 4 because alarm ... crossed ...``.

    One line per change of desired capacity (the launches and terminations that carried it
    out are not repeated), plus one per health replacement or zone rebalancing.
    """
    clock = group.service.cloud.clock
    items: list[tuple[float, str]] = []
    for trig in group._narrative:
        if trig.new > trig.old:
            verb = f"scaled out {trig.old} -> {trig.new}"
        elif trig.new < trig.old:
            verb = f"scaled in {trig.old} -> {trig.new}"
        else:
            verb = f"kept {trig.new}"
        items.append((trig.time, verb + (f" because {trig.plain}" if trig.plain else "")))
    for act in group.activities:
        if act.plain.startswith("!"):
            items.append((act.start, act.plain[1:]))
    items.sort(key=lambda x: x[0])
    multi_day = bool(items) and clock.to_datetime(items[0][0]).date() != clock.to_datetime(items[-1][0]).date()
    fmt = "%a %H:%M" if multi_day else "%H:%M"
    lines = [f"{clock.to_datetime(t).strftime(fmt)} {text}" for t, text in items]
    return lines[-limit:] if limit else lines


def details_for(subnet: Any) -> dict[str, str]:
    return {"Subnet ID": subnet.id, "Availability Zone": subnet.availability_zone.name}
