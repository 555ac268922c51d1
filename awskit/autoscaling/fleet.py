"""How a group keeps its fleet: placement, launches, terminations, health and rebalancing.

Private to :mod:`awskit.autoscaling` (methods of :class:`AutoScalingService`).  The rules
follow the EC2 Auto Scaling User Guide:

* **Placement**: a new instance goes to the enabled Availability Zone with the fewest of the
  group's instances (ties: the order of the group's subnets); a zone that is down is skipped.
* **Scale-in**: first the zone with the most instances, then the termination policies in
  order (Default: instances from the oldest launch template or configuration, then the one
  closest to its next billing hour, then one at random from ``cloud.rng``); instances
  protected from scale-in are never chosen.
* **Health**: after the grace period (which starts at InService), an instance whose EC2
  status checks are impaired, which is no longer running, or (health check type ELB) which a
  target group marks unhealthy, is terminated and then replaced.
* **Rebalancing** (AZRebalance): when zone counts differ by more than one, the group first
  launches in the emptiest zone (it may exceed its maximum by 10% or one instance for this),
  and terminates in the fullest once the new instance is InService.
* **Termination** deregisters the instance from the group's target groups and waits for the
  deregistration delay (connection draining) before EC2 terminates it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..core.errors import AWSError
from ._common import check_bool, fail, iso_z
from .activities import ActivityStatus, Trigger, details_for, finish, record
from .groups import AutoScalingGroup, GroupInstance, LifecycleState

if TYPE_CHECKING:
    from .service import AutoScalingService

L = LifecycleState


class _FleetOps:
    """The machinery that moves a group's actual capacity to its desired capacity."""

    # -- desired capacity ---------------------------------------------------------------
    def _change_desired(self: AutoScalingService, g: AutoScalingGroup, new: int, text: str, *, plain: str = "",
                        cooldown: float | None = None, when: float | None = None,
                        policy: bool = False) -> Trigger | None:
        now = self.cloud.clock.now
        old = g.desired_capacity
        trig = Trigger(time=now if when is None else when, text=text, old=old, new=new, plain=plain, policy=policy)
        g.desired_capacity = new
        if new != old:
            g._narrative.append(trig)
            if len(g._narrative) > 2000:
                del g._narrative[:-2000]
            self.cloud.events.publish("autoscaling.group.desired", group=g.name, old=old, new=new,
                                      region=self.region_name)
            if cooldown is not None:
                g._cooldown_pending = cooldown
        self._reconcile(g, trig if new != old else None)
        if g._cooldown_pending is not None and not g.in_progress:
            g._cooldown_until, g._cooldown_pending = now + g._cooldown_pending, None
        return trig

    def _reconcile(self: AutoScalingService, g: AutoScalingGroup, trig: Trigger | None = None) -> None:
        """Launch or terminate until Pending + InService equals the desired capacity."""
        if g.status:
            return
        now = self.cloud.clock.now
        actual = g.capacity
        if g._rebalance is not None:
            if g._rebalance.active and g._rebalance.lifecycle is L.PENDING:
                actual -= 1     # the extra rebalancing instance is not yet part of the count
            else:
                g._rebalance = None
        want = g.desired_capacity
        head = f"At {iso_z(self.cloud.clock, trig.time)} {trig.text} changing the desired capacity from " \
               f"{trig.old} to {trig.new}.  " if trig is not None else ""
        if actual < want and "Launch" not in g.suspended:
            cause = (f"{head}At {iso_z(self.cloud.clock, now)} an instance was started in response to a difference "
                     f"between desired and actual capacity, increasing the capacity from {actual} to {want}.")
            for _ in range(want - actual):
                gi = self._launch(g, cause)
                if gi is None:
                    break
                gi.scaled_out = trig is not None and trig.policy
        elif actual > want and "Terminate" not in g.suspended and g._rebalance is None:
            cause = (f"{head}At {iso_z(self.cloud.clock, now)} an instance was taken out of service in response to "
                     f"a difference between desired and actual capacity, shrinking the capacity from {actual} to "
                     f"{want}.")
            for gi in self._choose_victims(g, actual - want):
                self._terminate(gi, cause)

    # -- launching ---------------------------------------------------------------------------
    def _zones_by_need(self: AutoScalingService, g: AutoScalingGroup) -> list:
        """The group's usable subnets, emptiest zone first (ties in subnet order)."""
        counts = g.zone_counts()
        failed = self.cloud.failed_azs
        usable = [s for s in g.subnets if s.availability_zone.name not in failed]
        seen: set[str] = set()
        firsts = []
        for s in usable:  # one subnet per zone: the group's first subnet there
            if s.availability_zone.name not in seen:
                seen.add(s.availability_zone.name)
                firsts.append(s)
        order = {s.id: i for i, s in enumerate(firsts)}
        return sorted(firsts, key=lambda s: (counts.get(s.availability_zone.name, 0), order[s.id]))

    def _launch_spec(self: AutoScalingService, g: AutoScalingGroup):
        if g.launch_configuration is not None:
            return g.launch_configuration.data, None, None
        lt = g.launch_template
        if lt is None or self._templates.get(lt.id) is not lt:
            fail("InvalidLaunchTemplateId.NotFound", f"The launch template {getattr(lt, 'id', lt)} of group "
                                                     f"{g.name} no longer exists.")
        v = lt.version(g.launch_template_version)
        return v.data, lt, v.number

    def _launch(self: AutoScalingService, g: AutoScalingGroup, cause: str, *, plain: str = "",
                subnet: Any = None) -> GroupInstance | None:
        """Launch one instance into the emptiest zone; on failure record a Failed activity."""
        ec2 = self.region.ec2
        candidates = [subnet] if subnet is not None else self._zones_by_need(g)
        error: AWSError | None = None
        if not candidates:
            error = AWSError("InsufficientInstanceCapacity", "Every Availability Zone of the group is unavailable.")
        for sn in candidates:
            try:
                spec, lt, version = self._launch_spec(g)
                if not spec.image_id and not spec.instance_type:
                    fail("ValidationError", "You must use a valid fully-formed launch template. The launch template "
                                            "has neither ImageId nor InstanceType.")
                tags = dict(spec.instance_tags)
                tags.update({k: v for k, (v, prop) in g.tags.items() if prop})
                res = ec2.run_instances(spec.image_id, spec.instance_type or "m1.small", subnet=sn,
                                        security_groups=list(spec.security_group_ids) or None,
                                        key_name=spec.key_name, user_data=spec.user_data, tags=tags,
                                        iam_instance_profile=spec.iam_instance_profile,
                                        monitoring=spec.monitoring, associate_public_ip=spec.associate_public_ip)
            except AWSError as err:
                error = err
                if err.code == "InsufficientInstanceCapacity":
                    continue    # try the next zone, as Auto Scaling does
                break
            inst = res.instances[0]
            inst.tags["aws:autoscaling:groupName"] = g.name   # the tag AWS adds to every member
            now = self.cloud.clock.now
            gi = GroupInstance(instance=inst, group=g, subnet=sn, protected=g.new_instances_protected,
                               launch_template=lt, template_version=version,
                               launch_configuration=g.launch_configuration, launched_at=now)
            g.instances[inst.id] = gi
            self._members_by_id[inst.id] = gi
            gi.activity = record(g, description=f"Launching a new EC2 instance: {inst.id}", cause=cause,
                                 kind="launch", instance_id=inst.id, details=details_for(sn), plain=plain)
            gi.activity.progress = 30
            return gi
        record(g, description="Launching a new EC2 instance.  Status Reason: "
                              f"{error.message.rstrip('.') if error else 'no subnet'}. Launching EC2 instance failed.",
               cause=cause, kind="launch", instance_id=None, details={}, plain=f"!launch failed: "
               f"{error.code if error else 'no subnet'}", status=ActivityStatus.FAILED,
               message=error.message if error else None)
        return None

    # -- terminating -----------------------------------------------------------------------------
    def _choose_victims(self: AutoScalingService, g: AutoScalingGroup, k: int) -> list[GroupInstance]:
        chosen: list[GroupInstance] = []
        for _ in range(k):
            pool = [gi for gi in g.instances.values() if gi.active and not gi.protected and gi not in chosen]
            if not pool:
                break
            counts = g.zone_counts()
            for gi in chosen:
                counts[gi.availability_zone] -= 1
            top = max(counts.get(gi.availability_zone, 0) for gi in pool)
            pool = [gi for gi in pool if counts.get(gi.availability_zone, 0) == top]
            for policy in g.termination_policies + ["Default"]:
                pool = self._apply_termination_policy(g, policy, pool)
                if len(pool) == 1:
                    break
            chosen.append(pool[0] if len(pool) == 1 else pool[self.cloud.rng.randrange(len(pool))])
        return chosen

    def _apply_termination_policy(self: AutoScalingService, g: AutoScalingGroup, policy: str,
                                  pool: list[GroupInstance]) -> list[GroupInstance]:
        now = self.cloud.clock.now

        def keep(key) -> list[GroupInstance]:
            best = min(key(gi) for gi in pool)
            return [gi for gi in pool if key(gi) == best]

        def till_hour(gi: GroupInstance) -> float:
            return 3600 - (now - gi.launched_at) % 3600

        def age_of_source(gi: GroupInstance) -> tuple:
            # instances not launched from the group's current template/version go first
            if gi.launch_configuration is not None:
                current = gi.launch_configuration is g.launch_configuration
                return (current, gi.launch_configuration.created)
            current = gi.launch_template is g.launch_template and (
                g.launch_template is None or gi.template_version == self._current_version(g))
            return (current, gi.template_version or 0)

        if policy == "OldestInstance":
            return keep(lambda gi: gi.launched_at)
        if policy == "NewestInstance":
            return keep(lambda gi: -gi.launched_at)
        if policy in ("OldestLaunchConfiguration", "OldestLaunchTemplate"):
            return keep(age_of_source)
        if policy == "ClosestToNextInstanceHour":
            return keep(till_hour)
        if policy == "Default":
            return [gi for gi in keep(till_hour) if gi in keep(age_of_source)] or keep(age_of_source)
        return pool   # AllocationStrategy and Lambda-based policies: no preference in awskit

    def _current_version(self: AutoScalingService, g: AutoScalingGroup) -> int | None:
        try:
            return g.launch_template.version(g.launch_template_version).number if g.launch_template else None
        except LookupError:
            return None

    def _terminate(self: AutoScalingService, gi: GroupInstance, cause: str, *, plain: str = "",
                   drain: bool = True) -> None:
        """Take an instance out of service: deregister, drain, then terminate through EC2."""
        g = gi.group
        if not gi.active:
            return
        if gi.activity is not None and not gi.activity.done:
            finish(gi.activity, ActivityStatus.CANCELLED, "The instance was terminated before it entered InService.")
        gi.lifecycle = L.TERMINATING
        delay = self._deregister(gi, g.target_group_arns) if drain else 0
        gi.activity = record(g, description=f"Terminating EC2 instance: {gi.id}", cause=cause, kind="terminate",
                             instance_id=gi.id, details=details_for(gi.subnet), plain=plain)
        self.cloud.events.publish("autoscaling.instance.lifecycle", group=g.name, instance=gi.id,
                                  state=gi.lifecycle.value, region=self.region_name)
        if delay > 0:
            gi.activity.status = ActivityStatus.WAITING_FOR_DRAINING
            self.cloud.clock.schedule(delay, lambda: self._ec2_terminate(gi), name=f"drain {gi.id}")
        else:
            self._ec2_terminate(gi)

    def _ec2_terminate(self: AutoScalingService, gi: GroupInstance) -> None:
        inst = gi.instance
        if gi.activity is not None and gi.activity.status is ActivityStatus.WAITING_FOR_DRAINING:
            gi.activity.status = ActivityStatus.IN_PROGRESS
        gi.activity.progress = 50
        if inst.state.value in ("terminated",):
            self._gone(gi)
            return
        if inst.state.value != "shutting-down":
            inst.disable_api_termination = False   # Auto Scaling terminates members regardless
            self.region.ec2.terminate_instances(inst)

    def _gone(self: AutoScalingService, gi: GroupInstance) -> None:
        g = gi.group
        gi.lifecycle = L.TERMINATED
        finish(gi.activity)
        g.instances.pop(gi.id, None)
        self._members_by_id.pop(gi.id, None)
        if g._rebalance is gi:
            g._rebalance = None
        self.cloud.events.publish("autoscaling.instance.lifecycle", group=g.name, instance=gi.id,
                                  state=gi.lifecycle.value, region=self.region_name)
        self._activity_done(g)
        self._forget_if_empty(g)

    def _activity_done(self: AutoScalingService, g: AutoScalingGroup) -> None:
        if g._cooldown_pending is not None and not g.in_progress:
            g._cooldown_until = self.cloud.clock.now + g._cooldown_pending
            g._cooldown_pending = None

    # -- load balancer registration -------------------------------------------------------------
    def _register(self: AutoScalingService, gi: GroupInstance, arns: list[str]) -> None:
        if "AddToLoadBalancer" in gi.group.suspended:
            return
        for arn in arns:
            tg = self._target_group(arn)
            if tg is not None:
                self.region.service("elb").register_targets(tg, [gi.instance])

    def _deregister(self: AutoScalingService, gi: GroupInstance, arns: list[str]) -> int:
        """Deregister from target groups; returns the longest draining delay that applies."""
        delay = 0
        for arn in arns:
            tg = self._target_group(arn)
            if tg is None:
                continue
            mine = [t for t in tg.targets.values() if t.id == gi.id]
            if not mine:
                continue
            if tg.in_use and any(t.state.value not in ("unused",) for t in mine):
                delay = max(delay, tg.deregistration_delay)
            self.region.service("elb").deregister_targets(tg, [gi.id])
        return delay

    # -- EC2 state changes -----------------------------------------------------------------------
    def _on_instance_state(self: AutoScalingService, message) -> None:
        gi = self._members_by_id.get(message.data.get("id"))
        if gi is None:
            return
        new = message.data.get("new")
        if new == "running" and gi.lifecycle is L.PENDING:
            self._enter_service(gi)
        elif new == "terminated":
            if gi.lifecycle is L.TERMINATING:
                self._gone(gi)
            else:   # terminated behind the group's back: the next health check notices
                gi.health = "Unhealthy"
                gi.health_reason = "an EC2 health check indicating it has been terminated or stopped"

    def _enter_service(self: AutoScalingService, gi: GroupInstance) -> None:
        g = gi.group
        gi.lifecycle = L.IN_SERVICE
        gi.in_service_at = self.cloud.clock.now
        self._register(gi, g.target_group_arns)
        finish(gi.activity)
        self.cloud.events.publish("autoscaling.instance.lifecycle", group=g.name, instance=gi.id,
                                  state=gi.lifecycle.value, region=self.region_name)
        self._activity_done(g)
        if g._rebalance is gi:
            g._rebalance = None
            self._rebalance_terminate(g)

    # -- health ----------------------------------------------------------------------------------
    def _health_reason(self: AutoScalingService, gi: GroupInstance, elb_unhealthy: set | None = None) -> str | None:
        inst = gi.instance
        if inst.state not in ("pending", "running"):  # InstanceState is a StrEnum: no .value needed
            return "an EC2 health check indicating it has been terminated or stopped"
        g = gi.group
        if gi.in_service_at is None or self.cloud.clock.now < gi.in_service_at + g.health_check_grace_period:
            return None
        if inst.system_status == "impaired" or inst.instance_status == "impaired":
            return "an EC2 instance status checks failure"
        if g.health_check_type == "ELB":
            if elb_unhealthy is None:
                elb_unhealthy = self._elb_unhealthy(g)
            if gi.id in elb_unhealthy:
                return "an ELB system health check failure"
        return None

    def _elb_unhealthy(self: AutoScalingService, g: AutoScalingGroup) -> set[str]:
        """Ids of the group's instances that one of its target groups reports unhealthy."""
        out: set[str] = set()
        for arn in g.target_group_arns:
            tg = self._target_group(arn)
            if tg is not None:
                out.update(t.id for t in tg.targets.values() if t.state == "unhealthy")
        return out

    def _check_health(self: AutoScalingService, g: AutoScalingGroup) -> None:
        if "HealthCheck" not in g.suspended:
            elb_unhealthy = self._elb_unhealthy(g) if g.health_check_type == "ELB" else None
            for gi in list(g.instances.values()):
                if gi.lifecycle is L.IN_SERVICE and gi.health == "Healthy":
                    reason = self._health_reason(gi, elb_unhealthy)
                    if reason:
                        gi.health, gi.health_reason = "Unhealthy", reason
        if "ReplaceUnhealthy" in g.suspended:
            return
        now = None
        for gi in list(g.instances.values()):
            if gi.active and gi.health == "Unhealthy":
                if now is None:     # written only when an instance is replaced (once a minute otherwise)
                    now = iso_z(self.cloud.clock, self.cloud.clock.now)
                self._terminate(gi, f"At {now} an instance was taken out of service in response to "
                                    f"{gi.health_reason or 'a user health-check'}.",
                                plain=f"!replaced unhealthy {gi.id} in {gi.availability_zone} "
                                      f"({gi.health_reason or 'marked unhealthy'})")

    def set_instance_health(self: AutoScalingService, instance: Any, health_status: str, *,
                            should_respect_grace_period: bool = True) -> GroupInstance:
        """SetInstanceHealth: mark a member Healthy or Unhealthy (an unhealthy one is replaced
        at the next health check)."""
        gi = self._member(instance)
        if health_status not in ("Healthy", "Unhealthy"):
            fail("ValidationError", f"HealthStatus must be 'Healthy' or 'Unhealthy', not {health_status!r}.")
        check_bool(should_respect_grace_period, "ShouldRespectGracePeriod")
        g = gi.group
        in_grace = gi.in_service_at is None or self.cloud.clock.now < gi.in_service_at + g.health_check_grace_period
        if should_respect_grace_period and in_grace and health_status == "Unhealthy":
            return gi   # AWS ignores the call during the grace period
        gi.health = health_status
        gi.health_reason = "a user health-check" if health_status == "Unhealthy" else None
        return gi

    def _member(self: AutoScalingService, instance: Any) -> GroupInstance:
        iid = getattr(instance, "id", instance)
        gi = self._members_by_id.get(iid) if isinstance(iid, str) else None
        if gi is None:
            fail("ValidationError", f"Instance Id not found - No instance(s) currently in service with id {iid!r} "
                                    "in any Auto Scaling group.")
        return gi

    def terminate_instance_in_auto_scaling_group(self: AutoScalingService, instance: Any, *,
                                                 should_decrement_desired_capacity: bool):
        """Terminate one member; with ``should_decrement_desired_capacity`` the group shrinks,
        otherwise it launches a replacement.  Returns the termination activity."""
        gi = self._member(instance)
        check_bool(should_decrement_desired_capacity, "ShouldDecrementDesiredCapacity")
        g = gi.group
        now = iso_z(self.cloud.clock, self.cloud.clock.now)
        if not gi.active:
            return gi.activity
        if should_decrement_desired_capacity:
            if g.desired_capacity - 1 < g.min_size:
                fail("ValidationError", f"Currently, desiredSize equals minSize ({g.min_size}). Terminating instance "
                                        "without replacement will violate group's min size constraint. Either set "
                                        "shouldDecrementDesiredCapacity flag to false or lower group's min size.")
            old = g.desired_capacity
            g.desired_capacity -= 1
            g._narrative.append(Trigger(time=self.cloud.clock.now, text="a user request", old=old,
                                        new=g.desired_capacity, plain=f"a user terminated {gi.id}"))
            self._terminate(gi, f"At {now} instance {gi.id} was taken out of service in response to a user "
                                f"request, shrinking the capacity from {old} to {g.desired_capacity}.")
        else:
            self._terminate(gi, f"At {now} instance {gi.id} was taken out of service in response to a user request.",
                            plain=f"!a user terminated {gi.id}; it will be replaced")
            self._reconcile(g)
        return gi.activity

    # -- zone rebalancing ----------------------------------------------------------------------------
    def _rebalance_check(self: AutoScalingService, g: AutoScalingGroup) -> None:
        if "AZRebalance" in g.suspended or "Launch" in g.suspended or g._rebalance is not None or g.in_progress:
            return
        if g.capacity != g.desired_capacity:
            return
        failed = self.cloud.failed_azs
        counts = {az: n for az, n in g.zone_counts().items() if az not in failed}
        if len(counts) < 2 or max(counts.values()) - min(counts.values()) <= 1:
            return
        allowance = max(1, math.floor(g.max_size * 0.1))
        if g.capacity + 1 > g.max_size + allowance:
            return
        now = iso_z(self.cloud.clock, self.cloud.clock.now)
        target = self._zones_by_need(g)[0]
        gi = self._launch(g, f"At {now} an instance was launched to aid in balancing the group's zones.",
                          subnet=target, plain=f"!rebalancing: launched into {target.availability_zone.name}")
        g._rebalance = gi

    def _rebalance_terminate(self: AutoScalingService, g: AutoScalingGroup) -> None:
        counts = g.zone_counts()
        pool = [gi for gi in g.instances.values() if gi.active and not gi.protected]
        if not pool or g.capacity <= g.desired_capacity:
            return
        top = max(counts[gi.availability_zone] for gi in pool)
        pool = [gi for gi in pool if counts[gi.availability_zone] == top]
        victim = min(pool, key=lambda gi: (gi.launched_at, gi.id))
        now = iso_z(self.cloud.clock, self.cloud.clock.now)
        self._terminate(victim, f"At {now} an instance was taken out of service in response to a difference between "
                                f"desired and actual capacity, shrinking the capacity from {g.capacity} to "
                                f"{g.desired_capacity}, to aid in balancing the group's zones.",
                        plain=f"!rebalancing: terminated {victim.id} in {victim.availability_zone}")
