"""``cloud.autoscaling``: Amazon EC2 Auto Scaling in one Region (plus the launch templates it uses).

One clock event per minute serves every group of the Region: it runs health checks and
replacements, retries launches that failed, rebalances zones, and publishes each group's
aggregated ``AWS/EC2 CPUUtilization`` (dimension ``AutoScalingGroupName``, instances still
warming up left out) and, when enabled, its ``AWS/AutoScaling`` size metrics.  It runs at
whole minutes just before CloudWatch judges its alarms, so a value measured during a minute
is judged at the end of that minute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import fail
from .fleet import _FleetOps
from .groups import AutoScalingGroup, LifecycleState, _GroupOps
from .policies import _PolicyOps
from .templates import _TemplateOps

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

__all__ = ["GROUP_METRICS", "AutoScalingService"]

GROUP_METRICS = ("GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
                 "GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances",
                 "GroupTotalInstances")


class AutoScalingService(_TemplateOps, _GroupOps, _FleetOps, _PolicyOps):
    """EC2 Auto Scaling in one Region: ``cloud.autoscaling``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=2)
    >>> asg = cloud.autoscaling
    >>> lt = asg.create_launch_template("web", instance_type="t3.micro")
    >>> g = asg.create_auto_scaling_group("web", launch_template=lt, min_size=1, max_size=3,
    ...                                   availability_zones=["us-east-1a", "us-east-1b"])
    >>> _ = asg.set_desired_capacity(g, 3)
    >>> cloud.clock.advance(minutes=1)
    >>> len(g.in_service), g.zone_counts()
    (3, {'us-east-1a': 2, 'us-east-1b': 1})
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name: str = region.name
        self._templates: dict[str, Any] = {}
        self._launch_configs: dict[str, Any] = {}
        self._groups: dict[str, AutoScalingGroup] = {}
        self._members_by_id: dict[str, Any] = {}
        self._policy_by_arn: dict[str, Any] = {}
        self._tick = None
        self._subs = [cloud.events.subscribe("ec2.instance.state", self._on_instance_state)]

    def _ensure_tick(self) -> None:
        if self._tick is None:
            clock = self.cloud.clock
            self._tick = clock.every(60, self._minute, start=60 - clock.now % 60, priority=5,
                                     name=f"autoscaling {self.region_name}")

    def _minute(self) -> None:
        if not self._groups:
            return
        for g in list(self._groups.values()):
            if g.status:
                continue
            self._check_health(g)
            self._reconcile(g)
            self._rebalance_check(g)
            self._emit_metrics(g)

    def _emit_metrics(self, g: AutoScalingGroup) -> None:
        cw = self.region.cloudwatch
        now = self.cloud.clock.now
        t = now - 1        # the minute that just ended
        warm = g.metric_warmup()
        loads = [gi.instance.cpu_load for gi in g.instances.values()
                 if gi.lifecycle is LifecycleState.IN_SERVICE and not gi.warming(now, warm)
                 and gi.instance.state == "running" and not gi.instance.az_down]
        dims = {"AutoScalingGroupName": g.name}
        if loads:
            cw.put("AWS/EC2", "CPUUtilization", sum(loads) / len(loads), dimensions=dims, unit="Percent",
                   timestamp=t)
        if g.enabled_metrics:
            counts = {s: 0 for s in LifecycleState}
            for gi in g.instances.values():
                counts[gi.lifecycle] += 1
            values = {"GroupMinSize": g.min_size, "GroupMaxSize": g.max_size,
                      "GroupDesiredCapacity": g.desired_capacity,
                      "GroupInServiceInstances": counts[LifecycleState.IN_SERVICE],
                      "GroupPendingInstances": counts[LifecycleState.PENDING], "GroupStandbyInstances": 0,
                      "GroupTerminatingInstances": counts[LifecycleState.TERMINATING],
                      "GroupTotalInstances": len(g.instances)}
            for m in g.enabled_metrics:
                cw.put("AWS/AutoScaling", m, values[m], dimensions=dims, unit="None", timestamp=t)

    # -- lookups the facade uses ------------------------------------------------------------
    def describe_auto_scaling_instances(self, instance_ids: Any = None) -> list:
        """Every member of every group (or those ids), in group then launch order."""
        members = [gi for g in self._groups.values() for gi in g.instances.values()]
        if instance_ids is not None:
            ids = [instance_ids] if isinstance(instance_ids, str) or hasattr(instance_ids, "id") else instance_ids
            if not isinstance(ids, (list, tuple, set, frozenset)):
                fail("ValidationError", f"InstanceIds is a list of instance ids such as ['i-0abc...'], "
                                        f"not {instance_ids!r}.")
            wanted = set()
            for i in ids:
                iid = getattr(i, "id", i)
                if not isinstance(iid, str):
                    fail("ValidationError", f"Each of InstanceIds is an instance id string such as 'i-0abc...', "
                                            f"not {i!r}.")
                wanted.add(iid)
            members = [gi for gi in members if gi.id in wanted]
        return members

    def activities(self, group: Any = None) -> list:
        """Scaling activities, newest first (of one group or all)."""
        groups = [self.get_group(group)] if group is not None else list(self._groups.values())
        acts = [a for g in groups for a in g.activities]
        order = {id(a): i for i, a in enumerate(acts)}
        return sorted(acts, key=lambda a: (a.start, order[id(a)]), reverse=True)

    def __repr__(self) -> str:
        return (f"AutoScalingService({self.region_name!r}, groups={len(self._groups)}, "
                f"launch_templates={len(self._templates)})")
