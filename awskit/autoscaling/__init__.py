"""Chapter 7: Amazon EC2 Auto Scaling, fleets that grow and shrink with their load.

An Auto Scaling group keeps a number of identical instances (launched from a launch
template) running across Availability Zones, replaces the ones that fail, and changes its
size when CloudWatch alarms run its scaling policies, or on a schedule.  The chain a course
can watch end to end: traffic -> metric -> alarm -> policy -> capacity -> health -> routing
(see :mod:`awskit.workload` for the traffic).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=5)
>>> lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
>>> g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=2, max_size=4,
...                                                 availability_zones=["us-east-1a", "us-east-1b"])
>>> cloud.clock.advance(minutes=2)
>>> g.narrate()
['09:00 scaled out 0 -> 2 because the group was created']

The package is split by concept: :mod:`.templates` (launch templates and configurations),
:mod:`.groups` (groups and their members), :mod:`.fleet` (launching, terminating, health,
rebalancing), :mod:`.policies` (scaling policies and scheduled actions), :mod:`.activities`
and :mod:`.service`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AutoScalingService": ".service", "GROUP_METRICS": ".service",
    "AutoScalingGroup": ".groups", "GroupInstance": ".groups", "LifecycleState": ".groups",
    "PROCESSES": ".groups", "TERMINATION_POLICIES": ".groups",
    "ScalingPolicy": ".policies", "StepAdjustment": ".policies", "TargetTracking": ".policies",
    "ScheduledAction": ".policies", "Cron": ".policies", "PREDEFINED_METRICS": ".policies",
    "Activity": ".activities", "ActivityStatus": ".activities",
    "LaunchTemplate": ".templates", "LaunchTemplateVersion": ".templates", "LaunchConfiguration": ".templates",
    "LaunchSpec": ".templates",
}

__all__ = [
    "GROUP_METRICS",
    "PREDEFINED_METRICS",
    "PROCESSES",
    "TERMINATION_POLICIES",
    "Activity",
    "ActivityStatus",
    "AutoScalingGroup",
    "AutoScalingService",
    "Cron",
    "GroupInstance",
    "LaunchConfiguration",
    "LaunchSpec",
    "LaunchTemplate",
    "LaunchTemplateVersion",
    "LifecycleState",
    "ScalingPolicy",
    "ScheduledAction",
    "StepAdjustment",
    "TargetTracking",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.autoscaling' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
