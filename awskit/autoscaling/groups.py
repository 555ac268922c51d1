"""Auto Scaling groups: a fleet of identical instances kept at a desired size.

A group launches instances from a launch template (or launch configuration) into its
subnets, spread evenly over their Availability Zones, and keeps the number in service at
its *desired capacity*, which always lies between its minimum and maximum size.  You (or a
scaling policy, or a scheduled action) change the desired capacity; the group launches or
terminates instances to match, replaces instances that fail their health checks (EC2 status
checks, and load balancer health checks when the health check type is ``ELB``), registers
new instances with its target groups, and rebalances its zones after an outage.

Instance lifecycle states awskit models: ``Pending`` (launching, until EC2 reports it
running) -> ``InService`` -> ``Terminating`` (deregistered from the load balancer, draining
for the target group's deregistration delay, then shutting down) -> ``Terminated``.
Lifecycle hooks (``Pending:Wait`` ...) and standby are not modelled.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
>>> subnets = [s for s in cloud.vpc.default_vpc.subnets][:2]
>>> g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=2, max_size=6,
...                                                 subnets=subnets)
>>> [i.lifecycle.value for i in g.instances.values()]
['Pending', 'Pending']
>>> cloud.clock.advance(minutes=1)
>>> sorted(i.availability_zone for i in g.in_service)
['us-east-1a', 'us-east-1b']
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ._common import check_bool, check_int, check_name, fail, iso_z, listing
from .activities import Activity, Trigger, narrate
from .templates import LaunchConfiguration, LaunchTemplate

if TYPE_CHECKING:
    from .service import AutoScalingService

__all__ = ["PROCESSES", "TERMINATION_POLICIES", "AutoScalingGroup", "GroupInstance", "LifecycleState"]

#: The processes that suspend_processes can pause.
PROCESSES = ("Launch", "Terminate", "AddToLoadBalancer", "AlarmNotification", "AZRebalance", "HealthCheck",
             "InstanceRefresh", "ReplaceUnhealthy", "ScheduledActions")
TERMINATION_POLICIES = ("Default", "AllocationStrategy", "OldestLaunchTemplate", "OldestLaunchConfiguration",
                        "ClosestToNextInstanceHour", "NewestInstance", "OldestInstance")
HEALTH_CHECK_TYPES = ("EC2", "ELB", "VPC_LATTICE", "EBS")
#: Groups per Region (AWS default quota).
MAX_GROUPS = 500


class LifecycleState(StrEnum):
    PENDING = "Pending"
    IN_SERVICE = "InService"
    TERMINATING = "Terminating"
    TERMINATED = "Terminated"


#: The states that count toward a group's capacity (a module constant: asked many times a minute).
_ACTIVE = (LifecycleState.PENDING, LifecycleState.IN_SERVICE)


@dataclass(slots=True, kw_only=True, eq=False)
class GroupInstance:
    """An EC2 instance as its group sees it: lifecycle state, health and protection."""

    instance: Any = field(repr=False)              # awskit.ec2.Instance
    group: AutoScalingGroup = field(repr=False)
    subnet: Any = field(repr=False)
    lifecycle: LifecycleState = LifecycleState.PENDING
    health: str = "Healthy"
    health_reason: str | None = None
    protected: bool = False
    launch_template: LaunchTemplate | None = field(default=None, repr=False)
    template_version: int | None = None
    launch_configuration: LaunchConfiguration | None = field(default=None, repr=False)
    launched_at: float = 0.0
    in_service_at: float | None = None
    #: launched because a step or target tracking policy scaled out (counts as capacity on its way)
    scaled_out: bool = False
    activity: Activity | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.instance.id

    @property
    def availability_zone(self) -> str:
        return self.subnet.availability_zone.name

    @property
    def instance_type(self) -> str:
        return self.instance.instance_type.name

    @property
    def active(self) -> bool:
        """Counts toward the group's capacity (Pending or InService)."""
        return self.lifecycle in _ACTIVE

    def warming(self, now: float, warmup: float) -> bool:
        """Still inside its warm-up (which starts when it enters InService)."""
        return self.lifecycle is LifecycleState.PENDING or (
            self.in_service_at is not None and now < self.in_service_at + warmup)

    def __repr__(self) -> str:
        prot = ", protected" if self.protected else ""
        return (f"GroupInstance({self.id!r}, {self.availability_zone}, {self.lifecycle.value}, "
                f"{self.health}{prot})")


@dataclass(slots=True, kw_only=True, eq=False)
class AutoScalingGroup:
    """An Auto Scaling group.  Build it with :meth:`AutoScalingService.create_auto_scaling_group`."""

    service: AutoScalingService = field(repr=False)
    name: str
    arn: str
    launch_template: LaunchTemplate | None = None
    launch_template_version: str = "$Default"
    launch_configuration: LaunchConfiguration | None = None
    min_size: int
    max_size: int
    desired_capacity: int
    subnets: list = field(default_factory=list)
    target_group_arns: list[str] = field(default_factory=list)
    health_check_type: str = "EC2"
    health_check_grace_period: int = 0
    default_cooldown: int = 300
    default_instance_warmup: int | None = None
    termination_policies: list[str] = field(default_factory=lambda: ["Default"])
    new_instances_protected: bool = False
    #: key -> (value, propagate at launch)
    tags: dict[str, tuple[str, bool]] = field(default_factory=dict)
    instances: dict[str, GroupInstance] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)
    policies: dict[str, Any] = field(default_factory=dict)
    scheduled_actions: dict[str, Any] = field(default_factory=dict)
    suspended: dict[str, str] = field(default_factory=dict)
    enabled_metrics: list[str] = field(default_factory=list)
    created: float = 0.0
    status: str | None = None
    _cooldown_until: float = -1.0
    _cooldown_pending: float | None = None
    _rebalance: GroupInstance | None = None
    _narrative: list[Trigger] = field(default_factory=list)

    # -- views of the fleet ------------------------------------------------------------
    @property
    def availability_zones(self) -> list[str]:
        return list(dict.fromkeys(s.availability_zone.name for s in self.subnets))

    @property
    def vpc_zone_identifier(self) -> str:
        return ",".join(s.id for s in self.subnets)

    @property
    def in_service(self) -> list[GroupInstance]:
        return [g for g in self.instances.values() if g.lifecycle is LifecycleState.IN_SERVICE]

    @property
    def active(self) -> list[GroupInstance]:
        return [g for g in self.instances.values() if g.active]

    @property
    def capacity(self) -> int:
        """Instances counting toward desired capacity (Pending + InService)."""
        return sum(1 for g in self.instances.values() if g.lifecycle in _ACTIVE)

    @property
    def in_progress(self) -> list[Activity]:
        return [a for a in self.activities if not a.done]

    def in_cooldown(self, now: float | None = None) -> bool:
        """True while a scaling activity started by a simple policy (or an honoured manual change)
        runs, or its cooldown has not yet expired."""
        now = self.service.cloud.clock.now if now is None else now
        return self._cooldown_pending is not None or now < self._cooldown_until

    def metric_warmup(self) -> float:
        """How long a new instance stays out of the group's aggregated metrics.

        The group's DefaultInstanceWarmup when set; otherwise the longest warm-up of its step
        and target tracking policies (each defaults to the group's DefaultCooldown); 0 when it
        has neither.
        """
        if self.default_instance_warmup is not None:
            return self.default_instance_warmup
        return max((p.warmup for p in self.policies.values() if p.policy_type != "SimpleScaling"), default=0)

    def reporting(self, now: float | None = None) -> list[GroupInstance]:
        """The instances whose metrics count in the group's aggregated metrics now: in service,
        past the warm-up, running, in a zone that is up (what target tracking sizes from)."""
        now = self.service.cloud.clock.now if now is None else now
        warm = self.metric_warmup()
        return [gi for gi in self.instances.values()
                if gi.lifecycle is LifecycleState.IN_SERVICE and not gi.warming(now, warm)
                and gi.instance.state == "running" and not gi.instance.az_down]

    def narrate(self, limit: int | None = None) -> list[str]:
        """What happened to this group, one plain line per change; see :func:`.activities.narrate`."""
        return narrate(self, limit)

    def zone_counts(self) -> dict[str, int]:
        counts = {az: 0 for az in self.availability_zones}
        for g in self.instances.values():
            if g.lifecycle in _ACTIVE:
                az = g.availability_zone
                counts[az] = counts.get(az, 0) + 1
        return counts

    def __repr__(self) -> str:
        return (f"AutoScalingGroup({self.name!r}, min={self.min_size}, desired={self.desired_capacity}, "
                f"max={self.max_size}, in_service={len(self.in_service)}, zones={self.availability_zones})")

    def _repr_html_(self, max_rows: int = 20) -> str:
        rows = []
        for g in list(self.instances.values())[:max_rows]:
            c = {"InService": "#1a7f37", "Pending": "#9a6700"}.get(g.lifecycle.value, "#57606a")
            rows.append(f"<tr><td>{g.id}</td><td>{g.availability_zone}</td><td style='color:{c}'>"
                        f"{g.lifecycle.value}</td><td>{g.health}</td></tr>")
        more = len(self.instances) - max_rows
        tail = f"<tr><td colspan=4>... ({more} rows omitted)</td></tr>" if more > 0 else ""
        return (f"<div><b>{html.escape(self.name)}</b> min {self.min_size} / desired {self.desired_capacity} / "
                f"max {self.max_size}<table><tr><th>instance</th><th>AZ</th><th>lifecycle</th><th>health</th></tr>"
                f"{''.join(rows)}{tail}</table></div>")


class _GroupOps:
    """Group actions of :class:`AutoScalingService`."""

    @property
    def groups(self: AutoScalingService) -> list[AutoScalingGroup]:
        return list(self._groups.values())

    def get_group(self: AutoScalingService, group: Any) -> AutoScalingGroup:
        """A group by object or name.  Raises: ValidationError (AWS's code for an unknown group)."""
        if isinstance(group, AutoScalingGroup):
            if self._groups.get(group.name) is group:
                return group
            group = group.name
        found = self._groups.get(group) if isinstance(group, str) else None
        if found is None:
            fail("ValidationError", f"AutoScalingGroup name not found - AutoScalingGroup {group!r} not found. "
                                    f"Groups in {self.region_name}: {listing(self._groups)}.")
        return found

    # -- create ---------------------------------------------------------------------------
    def create_auto_scaling_group(self: AutoScalingService, name: str, *, min_size: int, max_size: int,
                                  desired_capacity: int | None = None, launch_template: Any = None,
                                  launch_template_version: Any = "$Default", launch_configuration: Any = None,
                                  subnets: Any = None, availability_zones: Any = None,
                                  target_group_arns: Any = None, health_check_type: str = "EC2",
                                  health_check_grace_period: int = 0, default_cooldown: int = 300,
                                  default_instance_warmup: int | None = None,
                                  termination_policies: Any = None, new_instances_protected: bool = False,
                                  tags: dict | None = None) -> AutoScalingGroup:
        """CreateAutoScalingGroup; the group starts launching at once.

        Args:
            min_size, max_size, desired_capacity: the bounds and the target (default: min_size).
            launch_template: a template (object, ``lt-`` id or name), with
                ``launch_template_version`` ``"$Default"`` (the default), ``"$Latest"`` or a number;
                or ``launch_configuration`` (legacy).
            subnets: subnets (objects or ids) in one VPC, ideally in several AZs; or
                ``availability_zones`` for the default VPC's default subnets.
            health_check_type: ``"EC2"`` (status checks) or ``"ELB"`` (also the target groups' checks).
            health_check_grace_period: seconds after InService before health counts (API default 0;
                the console proposes 300).
            tags: ``{key: value}`` or ``{key: (value, propagate_at_launch)}``.

        Raises: AlreadyExists, ValidationError, LimitExceeded.
        """
        check_name(name, "AutoScalingGroupName")
        if name in self._groups:
            fail("AlreadyExists", f"AutoScalingGroup by this name already exists - A group with the name {name} "
                                  "already exists")
        if len(self._groups) >= MAX_GROUPS:
            fail("LimitExceeded", f"You have reached the limit of {MAX_GROUPS} Auto Scaling groups in "
                                  f"{self.region_name}; delete one or request a quota increase.")
        lt, lt_version, lc = self._launch_source(launch_template, launch_template_version, launch_configuration)
        min_size = check_int(min_size, "MinSize")
        max_size = check_int(max_size, "MaxSize")
        desired = min_size if desired_capacity is None else check_int(desired_capacity, "DesiredCapacity")
        self._check_bounds(min_size, max_size, desired)
        subnet_list = self._subnets(subnets, availability_zones)
        tg_arns = self._target_groups(target_group_arns)
        now = self.cloud.clock.now
        group = AutoScalingGroup(
            service=self, name=name,
            arn=self.cloud.arn("autoscaling", f"autoScalingGroup:{self.cloud.ids.uuid()}:autoScalingGroupName/{name}",
                               self.region_name),
            launch_template=lt, launch_template_version=lt_version, launch_configuration=lc,
            min_size=min_size, max_size=max_size, desired_capacity=0, subnets=subnet_list,
            target_group_arns=tg_arns, created=now)
        self._apply_settings(group, health_check_type=health_check_type,
                             health_check_grace_period=health_check_grace_period,
                             default_cooldown=default_cooldown, default_instance_warmup=default_instance_warmup,
                             termination_policies=termination_policies,
                             new_instances_protected=new_instances_protected)
        group.tags = self._check_group_tags(tags)
        self._groups[name] = group
        self._ensure_tick()
        self.cloud.events.publish("autoscaling.group.created", group=name, region=self.region_name)
        self._change_desired(group, desired, "a user request created an AutoScalingGroup",
                             plain="the group was created")
        return group

    def _launch_source(self: AutoScalingService, lt: Any, version: Any, lc: Any):
        if (lt is None) == (lc is None):
            fail("ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, "
                                    "InstanceId or MixedInstancesPolicy parameter (exactly one).")
        if lc is not None:
            return None, "$Default", self.get_launch_configuration(lc)
        try:
            template = self.get_launch_template(lt)
        except LookupError:
            fail("ValidationError", f"You must use a valid fully-formed launch template. The specified launch "
                                    f"template {lt!r} does not exist. Templates: "
                                    f"{listing(t.name for t in self._templates.values())}.")
        version = "$Default" if version is None else str(version)
        try:
            template.version(version)
        except LookupError:
            fail("ValidationError", f"You must use a valid fully-formed launch template. Version {version!r} of "
                                    f"{template.name} does not exist (versions: {listing(template.versions)}, "
                                    "or '$Latest' / '$Default').")
        return template, version, None

    @staticmethod
    def _check_bounds(min_size: int, max_size: int, desired: int) -> None:
        if min_size > max_size:
            fail("ValidationError", f"Max bound, {max_size}, must be greater than or equal to min bound, {min_size}")
        if not min_size <= desired <= max_size:
            fail("ValidationError", f"Desired capacity:{desired} must be between the specified min size:{min_size} "
                                    f"and max size:{max_size}")

    def _subnets(self: AutoScalingService, subnets: Any, zones: Any) -> list:
        net = self.region.vpc
        if subnets is not None:
            items = subnets.split(",") if isinstance(subnets, str) else list(subnets)
            try:
                found = [net.get_subnet(s.strip() if isinstance(s, str) else s) for s in items]
            except LookupError as err:
                fail("ValidationError", f"The subnet ID is invalid: {err}")
            found = list(dict.fromkeys(found))
            vpcs = {s.vpc.id for s in found}
            if len(vpcs) > 1:
                fail("ValidationError", f"The subnets of one group must belong to one VPC; these are in "
                                        f"{', '.join(sorted(vpcs))}.")
            if found:
                return found
        if zones is not None:
            vpc = net.default_vpc
            names = [zones] if isinstance(zones, str) else list(zones)
            if vpc is None:
                fail("ValidationError", "No default VPC: give subnets (VPCZoneIdentifier) instead of zones.")
            out = []
            for z in names:
                match = [s for s in vpc.subnets if s.default_for_az and s.availability_zone.name == z]
                if not match:
                    fail("ValidationError", f"Invalid Availability Zone {z!r}. Zones here: "
                                            f"{listing(a.name for a in self.region.availability_zones)}.")
                out.append(match[0])
            if out:
                return out
        fail("ValidationError", "At least one Availability Zone or VPC Subnet is required.")

    def _target_groups(self: AutoScalingService, arns: Any) -> list[str]:
        if not arns:
            return []
        arns = [arns] if isinstance(arns, str) else list(arns)
        out = []
        for a in arns:
            a = getattr(a, "arn", a)
            if self._target_group(a) is None:
                fail("ValidationError", f"Provided Target Groups may not be valid. Please ensure they exist and try "
                                        f"again. ({a!r} was not found.)")
            out.append(a)
        return list(dict.fromkeys(out))

    def _target_group(self: AutoScalingService, arn: str):
        try:
            elb = self.region.service("elb")
        except AttributeError:
            return None
        try:
            return elb.get_target_group(arn)
        except LookupError:
            return None

    def _apply_settings(self: AutoScalingService, group: AutoScalingGroup, **settings: Any) -> None:
        """Validate first, then apply: nothing half-changed on a mistake."""
        new: dict[str, Any] = {}
        for key, value in settings.items():
            if value is None:
                continue
            if key == "health_check_type":
                if value not in HEALTH_CHECK_TYPES:
                    fail("ValidationError", f"HealthCheckType {value!r} is not valid: use EC2 or ELB.")
            elif key in ("health_check_grace_period", "default_cooldown"):
                check_int(value, key)
            elif key == "default_instance_warmup":
                check_int(value, "DefaultInstanceWarmup", -1)
                value = None if value == -1 else value      # -1 turns it off, as in AWS
            elif key == "termination_policies":
                value = [value] if isinstance(value, str) else list(value)
                bad = [p for p in value if p not in TERMINATION_POLICIES and not str(p).startswith("arn:")]
                if bad:
                    fail("ValidationError", f"Termination policy {bad[0]!r} is not valid. Policies: "
                                            f"{', '.join(TERMINATION_POLICIES)}.")
                value = value or ["Default"]
            elif key == "new_instances_protected":
                check_bool(value, "NewInstancesProtectedFromScaleIn")
            new[key] = value
        for key, value in new.items():
            setattr(group, key, value)

    def _check_group_tags(self: AutoScalingService, tags: Any) -> dict[str, tuple[str, bool]]:
        if tags is None:
            return {}
        if not isinstance(tags, dict):
            fail("ValidationError", f"Tags are a dict {{key: value}} or {{key: (value, propagate)}}, not {tags!r}.")
        out = {}
        for k, v in tags.items():
            value, prop = (v if isinstance(v, tuple) else (v, True))
            if not isinstance(k, str) or not 1 <= len(k) <= 128 or k.lower().startswith("aws:"):
                fail("ValidationError", f"Tag key {k!r} is invalid: 1-128 characters, not starting with 'aws:'.")
            if not isinstance(value, str) or len(value) > 256 or not isinstance(prop, bool):
                fail("ValidationError", f"Tag {k!r}: the value is a string of at most 256 characters and "
                                        f"PropagateAtLaunch True/False, not {v!r}.")
            out[k] = (value, prop)
        if len(out) > 50:
            fail("ValidationError", f"{len(out)} tags given; a group has at most 50.")
        return out

    # -- change ------------------------------------------------------------------------
    def update_auto_scaling_group(self: AutoScalingService, group: Any, *, min_size: int | None = None,
                                  max_size: int | None = None, desired_capacity: int | None = None,
                                  launch_template: Any = None, launch_template_version: Any = None,
                                  launch_configuration: Any = None, subnets: Any = None,
                                  availability_zones: Any = None, **settings: Any) -> AutoScalingGroup:
        """UpdateAutoScalingGroup.  A new minimum above the desired capacity raises it, a new
        maximum below it lowers it (as AWS does); an explicit desired capacity outside the
        bounds is a ValidationError.  New launch settings apply to instances launched later.
        """
        g = self.get_group(group)
        if g.status:
            fail("ValidationError", f"AutoScalingGroup {g.name} is being deleted.")
        lo = g.min_size if min_size is None else check_int(min_size, "MinSize")
        hi = g.max_size if max_size is None else check_int(max_size, "MaxSize")
        if desired_capacity is not None:
            desired = check_int(desired_capacity, "DesiredCapacity")
        else:
            desired = min(max(g.desired_capacity, lo), hi)
        self._check_bounds(lo, hi, desired)
        source = None
        if launch_template is not None or launch_configuration is not None:
            source = self._launch_source(launch_template, launch_template_version, launch_configuration)
        elif launch_template_version is not None and g.launch_template is not None:
            source = self._launch_source(g.launch_template, launch_template_version, None)
        new_subnets = (self._subnets(subnets, availability_zones)
                       if subnets is not None or availability_zones is not None else None)
        unknown = set(settings) - {"health_check_type", "health_check_grace_period", "default_cooldown",
                                   "default_instance_warmup", "termination_policies", "new_instances_protected"}
        if unknown:
            fail("ValidationError", f"Unknown setting(s): {', '.join(sorted(unknown))}.")
        self._apply_settings(g, **settings)
        if source is not None:
            g.launch_template, g.launch_template_version, g.launch_configuration = source
        if new_subnets is not None:
            g.subnets = new_subnets
        g.min_size, g.max_size = lo, hi
        self._change_desired(g, desired, f"a user request update of AutoScalingGroup constraints to min: {lo}, "
                                         f"max: {hi}, desired: {desired}", plain="a user updated the group")
        return g

    def set_desired_capacity(self: AutoScalingService, group: Any, desired_capacity: int, *,
                             honor_cooldown: bool = False) -> AutoScalingGroup:
        """SetDesiredCapacity.  With ``honor_cooldown`` the call fails while the group is in a
        cooldown (ScalingActivityInProgress), and starts one.

        Raises: ValidationError (outside min/max), ScalingActivityInProgress.
        """
        g = self.get_group(group)
        n = check_int(desired_capacity, "DesiredCapacity")
        if n > g.max_size:
            fail("ValidationError", f"New SetDesiredCapacity value {n} is above max value {g.max_size} for the "
                                    "AutoScalingGroup.")
        if n < g.min_size:
            fail("ValidationError", f"New SetDesiredCapacity value {n} is below min value {g.min_size} for the "
                                    "AutoScalingGroup.")
        check_bool(honor_cooldown, "HonorCooldown")
        if honor_cooldown and g.in_cooldown():
            fail("ScalingActivityInProgress", "Scaling activity is in progress or the group is in its cooldown "
                                              f"period (until {iso_z(self.cloud.clock, g._cooldown_until)}) and "
                                              "blocks this action. Try again later or omit HonorCooldown.")
        self._change_desired(g, n, "a user request explicitly set group desired capacity",
                             plain="a user set the desired capacity",
                             cooldown=g.default_cooldown if honor_cooldown else None)
        return g

    # -- delete --------------------------------------------------------------------------
    def delete_auto_scaling_group(self: AutoScalingService, group: Any, *, force_delete: bool = False) -> None:
        """DeleteAutoScalingGroup.  Without ``force_delete`` the group must be empty and idle;
        with it, every instance is terminated and the group disappears once they are gone.

        Raises: ValidationError, ResourceInUse (instances left), ScalingActivityInProgress.
        """
        g = self.get_group(group)
        check_bool(force_delete, "ForceDelete")
        if not force_delete:
            if g.in_progress:
                fail("ScalingActivityInProgress", "You cannot delete an AutoScalingGroup while there are scaling "
                                                  "activities in progress for that group.")
            if g.instances:
                fail("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending "
                                      f"Spot instance request(s) still in the group ({len(g.instances)}). Set its "
                                      "desired and minimum capacity to 0 first, or use ForceDelete.")
        g.status = "Delete in progress"
        for p in list(g.policies.values()):
            self._drop_policy(g, p)
        for a in list(g.scheduled_actions.values()):
            if a.timer is not None:
                a.timer.cancel()
        g.scheduled_actions.clear()
        for gi in list(g.instances.values()):
            if gi.active:
                self._terminate(gi, f"At {iso_z(self.cloud.clock, self.cloud.clock.now)} an instance was taken "
                                    "out of service in response to a user request to delete the group.",
                                plain="", drain=False)
        self._forget_if_empty(g)

    def _forget_if_empty(self: AutoScalingService, g: AutoScalingGroup) -> None:
        if g.status and not g.instances and self._groups.get(g.name) is g:
            del self._groups[g.name]
            self.cloud.events.publish("autoscaling.group.deleted", group=g.name, region=self.region_name)

    # -- processes, protection, target groups, metrics ---------------------------------------
    def suspend_processes(self: AutoScalingService, group: Any, processes: Any = None) -> None:
        """Pause processes (all when ``processes`` is None): e.g. ``["ReplaceUnhealthy"]`` while debugging."""
        g = self.get_group(group)
        names = self._process_names(processes)
        for p in names:
            g.suspended.setdefault(p, f"User suspended at {iso_z(self.cloud.clock, self.cloud.clock.now)}")

    def resume_processes(self: AutoScalingService, group: Any, processes: Any = None) -> None:
        g = self.get_group(group)
        for p in self._process_names(processes):
            g.suspended.pop(p, None)
        self._reconcile(g)

    @staticmethod
    def _process_names(processes: Any) -> list[str]:
        if processes is None:
            return list(PROCESSES)
        names = [processes] if isinstance(processes, str) else list(processes)
        bad = [p for p in names if p not in PROCESSES]
        if bad:
            fail("ValidationError", f"Process {bad[0]!r} is not a valid scaling process. Valid scaling processes "
                                    f"are: {', '.join(PROCESSES)}.")
        return names

    def set_instance_protection(self: AutoScalingService, group: Any, instances: Any, protected: bool) -> None:
        """Protect instances from scale-in (health replacement still applies)."""
        g = self.get_group(group)
        check_bool(protected, "ProtectedFromScaleIn")
        for gi in self._members(g, instances):
            gi.protected = protected

    def _members(self: AutoScalingService, g: AutoScalingGroup, instances: Any) -> list[GroupInstance]:
        ids = [instances] if isinstance(instances, (str,)) or hasattr(instances, "id") else list(instances)
        out = []
        for i in ids:
            iid = getattr(i, "id", i)
            gi = g.instances.get(iid)
            if gi is None:
                fail("ValidationError", f"The instance {iid} is not part of Auto Scaling group {g.name}. Members: "
                                        f"{listing(g.instances)}.")
            out.append(gi)
        return out

    def attach_load_balancer_target_groups(self: AutoScalingService, group: Any, target_group_arns: Any) -> None:
        """Attach target groups; InService instances are registered at once."""
        g = self.get_group(group)
        arns = self._target_groups(target_group_arns)
        for arn in arns:
            if arn not in g.target_group_arns:
                g.target_group_arns.append(arn)
                for gi in g.in_service:
                    self._register(gi, [arn])

    def detach_load_balancer_target_groups(self: AutoScalingService, group: Any, target_group_arns: Any) -> None:
        g = self.get_group(group)
        arns = [getattr(a, "arn", a) for a in ([target_group_arns] if isinstance(target_group_arns, str)
                                               else target_group_arns)]
        for arn in arns:
            if arn in g.target_group_arns:
                g.target_group_arns.remove(arn)
                for gi in g.active:
                    self._deregister(gi, [arn])

    def enable_metrics_collection(self: AutoScalingService, group: Any, metrics: Any = None,
                                  granularity: str = "1Minute") -> None:
        """Publish the group's size metrics (AWS/AutoScaling, every minute, free of charge)."""
        from .service import GROUP_METRICS

        g = self.get_group(group)
        if granularity != "1Minute":
            fail("ValidationError", f"Granularity {granularity!r} is not valid: the only value is '1Minute'.")
        names = list(GROUP_METRICS) if not metrics else list(metrics)
        bad = [m for m in names if m not in GROUP_METRICS]
        if bad:
            fail("ValidationError", f"Metric {bad[0]!r} is not valid. Metrics: {', '.join(GROUP_METRICS)}.")
        for m in names:
            if m not in g.enabled_metrics:
                g.enabled_metrics.append(m)

    def disable_metrics_collection(self: AutoScalingService, group: Any, metrics: Any = None) -> None:
        g = self.get_group(group)
        g.enabled_metrics = [] if not metrics else [m for m in g.enabled_metrics if m not in metrics]
