"""The EC2 Auto Scaling API as boto3 speaks it (``client("autoscaling")``).

Translates shapes only: the groups, policies and activities live in
:mod:`awskit.autoscaling`.  Launch templates are EC2 operations (see :mod:`.ec2_templates`);
launch configurations are Auto Scaling's own.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from .base import (
    BaseClient,
    ParamValidationError,
    apply_filters,
    check_type,
    paginate_list,
)

__all__ = ["AutoScalingClient"]


def _dt(client, t: float | None):
    return None if t is None else client._cloud.clock.to_datetime(t)


def _b64(text: str | None) -> str:
    return base64.b64encode(text.encode()).decode() if text else ""


def _lt_ref(lt, version: str) -> dict[str, str]:
    return {"LaunchTemplateId": lt.id, "LaunchTemplateName": lt.name, "Version": version}


def _in_service(resp: dict) -> Any:
    groups = resp.get("AutoScalingGroups", [])
    return all(sum(1 for i in g["Instances"] if i["LifecycleState"] == "InService") >= g["MinSize"] for g in groups)


class AutoScalingClient(BaseClient):
    """``awskit.client("autoscaling")``: EC2 Auto Scaling on a simulated account.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> ec2, asg = cloud.client("ec2"), cloud.client("autoscaling")
    >>> _ = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "t3.micro"})
    >>> subnets = ",".join(s.id for s in cloud.vpc.default_vpc.subnets[:2])
    >>> _ = asg.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=4,
    ...     LaunchTemplate={"LaunchTemplateName": "web"}, VPCZoneIdentifier=subnets)
    >>> asg.get_waiter("group_in_service").wait(AutoScalingGroupNames=["web"])
    >>> [i["LifecycleState"] for i in asg.describe_auto_scaling_groups()["AutoScalingGroups"][0]["Instances"]]
    ['InService', 'InService']
    """

    service_name = "autoscaling"
    error_codes = ("ValidationError", "AlreadyExists", "ResourceInUse", "ScalingActivityInProgress",
                   "LimitExceeded", "ResourceContention", "InvalidNextToken", "ServiceLinkedRoleFailure")
    waiters: ClassVar[dict] = {
        "group_exists": ("describe_auto_scaling_groups", lambda r: len(r["AutoScalingGroups"]) > 0, 5, 10),
        "group_in_service": ("describe_auto_scaling_groups", _in_service, 15, 40),
        "group_not_exists": ("describe_auto_scaling_groups", lambda r: len(r["AutoScalingGroups"]) == 0, 15, 40),
    }
    paginators: ClassVar[dict] = {
        "describe_auto_scaling_groups": ("NextToken", "NextToken", "MaxRecords", ("AutoScalingGroups",)),
        "describe_auto_scaling_instances": ("NextToken", "NextToken", "MaxRecords", ("AutoScalingInstances",)),
        "describe_launch_configurations": ("NextToken", "NextToken", "MaxRecords", ("LaunchConfigurations",)),
        "describe_policies": ("NextToken", "NextToken", "MaxRecords", ("ScalingPolicies",)),
        "describe_scaling_activities": ("NextToken", "NextToken", "MaxRecords", ("Activities",)),
        "describe_scheduled_actions": ("NextToken", "NextToken", "MaxRecords", ("ScheduledUpdateGroupActions",)),
    }

    @property
    def _asg(self):
        return self._region.autoscaling

    # -- shapes ---------------------------------------------------------------------------------
    def _instance_shape(self, gi, *, with_group: bool = False) -> dict[str, Any]:
        shape: dict[str, Any] = {"InstanceId": gi.id, "InstanceType": gi.instance_type}
        if with_group:
            shape["AutoScalingGroupName"] = gi.group.name
        shape.update({"AvailabilityZone": gi.availability_zone, "LifecycleState": gi.lifecycle.value,
                      # describe_auto_scaling_instances writes health in capitals, the group view does not
                      "HealthStatus": gi.health.upper() if with_group else gi.health})
        if gi.launch_template is not None:
            shape["LaunchTemplate"] = _lt_ref(gi.launch_template, str(gi.template_version))
        elif gi.launch_configuration is not None:
            shape["LaunchConfigurationName"] = gi.launch_configuration.name
        shape["ProtectedFromScaleIn"] = gi.protected
        return shape

    def _group_shape(self, g) -> dict[str, Any]:
        shape: dict[str, Any] = {"AutoScalingGroupName": g.name, "AutoScalingGroupARN": g.arn}
        if g.launch_template is not None:
            shape["LaunchTemplate"] = _lt_ref(g.launch_template, g.launch_template_version)
        else:
            shape["LaunchConfigurationName"] = g.launch_configuration.name
        shape.update({
            "MinSize": g.min_size, "MaxSize": g.max_size, "DesiredCapacity": g.desired_capacity,
            "DefaultCooldown": g.default_cooldown, "AvailabilityZones": g.availability_zones,
            "LoadBalancerNames": [], "TargetGroupARNs": list(g.target_group_arns),
            "HealthCheckType": g.health_check_type, "HealthCheckGracePeriod": g.health_check_grace_period,
            "Instances": [self._instance_shape(gi) for gi in g.instances.values()],
            "CreatedTime": _dt(self, g.created),
            "SuspendedProcesses": [{"ProcessName": p, "SuspensionReason": r} for p, r in g.suspended.items()],
            "VPCZoneIdentifier": g.vpc_zone_identifier,
            "EnabledMetrics": [{"Metric": m, "Granularity": "1Minute"} for m in g.enabled_metrics],
            "Tags": [{"ResourceId": g.name, "ResourceType": "auto-scaling-group", "Key": k, "Value": v,
                      "PropagateAtLaunch": p} for k, (v, p) in g.tags.items()],
            "TerminationPolicies": list(g.termination_policies),
            "NewInstancesProtectedFromScaleIn": g.new_instances_protected,
            "ServiceLinkedRoleARN": f"arn:aws:iam::{self._cloud.account_id}:role/aws-service-role/"
                                    "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            "CapacityRebalance": False,
            "TrafficSources": [{"Identifier": a, "Type": "elbv2"} for a in g.target_group_arns],
        })
        if g.default_instance_warmup is not None:
            shape["DefaultInstanceWarmup"] = g.default_instance_warmup
        if g.status:
            shape["Status"] = g.status
        return shape

    def _activity_shape(self, a) -> dict[str, Any]:
        shape: dict[str, Any] = {"ActivityId": a.id, "AutoScalingGroupName": a.group.name,
                                 "Description": a.description, "Cause": a.cause, "StartTime": _dt(self, a.start)}
        if a.end is not None:
            shape["EndTime"] = _dt(self, a.end)
        shape["StatusCode"] = a.status.value
        if a.status_message:
            shape["StatusMessage"] = a.status_message
        shape.update({"Progress": a.progress, "Details": a.details_json, "AutoScalingGroupARN": a.group.arn})
        return shape

    def _policy_shape(self, p) -> dict[str, Any]:
        cw = self._region.cloudwatch
        shape: dict[str, Any] = {"AutoScalingGroupName": p.group.name, "PolicyName": p.name, "PolicyARN": p.arn,
                                 "PolicyType": p.policy_type}
        if p.adjustment_type:
            shape["AdjustmentType"] = p.adjustment_type
        if p.min_adjustment_magnitude is not None:
            shape["MinAdjustmentMagnitude"] = p.min_adjustment_magnitude
        if p.scaling_adjustment is not None:
            shape["ScalingAdjustment"] = p.scaling_adjustment
        if p.cooldown is not None:
            shape["Cooldown"] = p.cooldown
        steps = []
        for s in p.step_adjustments:
            step: dict[str, Any] = {}
            if s.lower is not None:
                step["MetricIntervalLowerBound"] = float(s.lower)
            if s.upper is not None:
                step["MetricIntervalUpperBound"] = float(s.upper)
            step["ScalingAdjustment"] = s.adjustment
            steps.append(step)
        shape["StepAdjustments"] = steps
        if p.policy_type == "StepScaling":
            shape["MetricAggregationType"] = p.metric_aggregation_type
        if p.estimated_instance_warmup is not None:
            shape["EstimatedInstanceWarmup"] = p.estimated_instance_warmup
        shape["Alarms"] = [{"AlarmName": n, "AlarmARN": cw.alarms[n].arn} for n in p.alarms if n in cw.alarms] + [
            {"AlarmName": a.name, "AlarmARN": a.arn} for a in cw.alarms.values()
            if p.arn in a.alarm_actions and a.name not in p.alarms]
        if p.target is not None:
            t = p.target
            cfg: dict[str, Any] = {}
            if t.predefined:
                spec = {"PredefinedMetricType": t.predefined}
                if t.resource_label:
                    spec["ResourceLabel"] = t.resource_label
                cfg["PredefinedMetricSpecification"] = spec
            else:
                spec = {"MetricName": t.metric_name, "Namespace": t.namespace,
                        "Dimensions": [{"Name": k, "Value": v} for k, v in t.dimensions.items()],
                        "Statistic": t.statistic}
                if t.unit:
                    spec["Unit"] = t.unit
                cfg["CustomizedMetricSpecification"] = spec
            cfg["TargetValue"] = t.target_value
            cfg["DisableScaleIn"] = t.disable_scale_in
            shape["TargetTrackingConfiguration"] = cfg
        shape["Enabled"] = p.enabled
        return shape

    # -- groups -------------------------------------------------------------------------------------
    def _group_kwargs(self, LaunchTemplate, LaunchConfigurationName, VPCZoneIdentifier, AvailabilityZones,
                      MixedInstancesPolicy, InstanceId, LoadBalancerNames) -> dict[str, Any]:
        if MixedInstancesPolicy is not None or InstanceId is not None:
            raise InvalidParameter("ValidationError", "MixedInstancesPolicy and InstanceId are not modelled by awskit: "
                                                      "use LaunchTemplate or LaunchConfigurationName.")
        if LoadBalancerNames:
            raise InvalidParameter("ValidationError", "Classic Load Balancer names are not modelled for Auto "
                                                      "Scaling in awskit: use TargetGroupARNs.")
        kw: dict[str, Any] = {}
        if LaunchTemplate is not None:
            check_type("LaunchTemplate", LaunchTemplate, dict)
            ref = LaunchTemplate.get("LaunchTemplateId") or LaunchTemplate.get("LaunchTemplateName")
            if ref is None or ("LaunchTemplateId" in LaunchTemplate and "LaunchTemplateName" in LaunchTemplate):
                raise InvalidParameter("ValidationError", "Give exactly one of LaunchTemplateId and "
                                                          "LaunchTemplateName in LaunchTemplate.")
            kw["launch_template"] = ref
            kw["launch_template_version"] = LaunchTemplate.get("Version", "$Default")
        if LaunchConfigurationName is not None:
            kw["launch_configuration"] = check_type("LaunchConfigurationName", LaunchConfigurationName, str)
        if VPCZoneIdentifier is not None:
            kw["subnets"] = check_type("VPCZoneIdentifier", VPCZoneIdentifier, str)
        if AvailabilityZones is not None:
            kw["availability_zones"] = check_type("AvailabilityZones", AvailabilityZones, list)
        return kw

    def create_auto_scaling_group(self, *, AutoScalingGroupName: str, MinSize: int, MaxSize: int,
                                  LaunchConfigurationName: str | None = None, LaunchTemplate: dict | None = None,
                                  MixedInstancesPolicy: dict | None = None, InstanceId: str | None = None,
                                  DesiredCapacity: int | None = None, DefaultCooldown: int | None = None,
                                  AvailabilityZones: list | None = None, LoadBalancerNames: list | None = None,
                                  TargetGroupARNs: list | None = None, HealthCheckType: str | None = None,
                                  HealthCheckGracePeriod: int | None = None, VPCZoneIdentifier: str | None = None,
                                  TerminationPolicies: list | None = None,
                                  NewInstancesProtectedFromScaleIn: bool | None = None,
                                  CapacityRebalance: bool | None = None, Tags: list | None = None,
                                  ServiceLinkedRoleARN: str | None = None, DefaultInstanceWarmup: int | None = None,
                                  Context: str | None = None) -> dict[str, Any]:
        kw = self._group_kwargs(LaunchTemplate, LaunchConfigurationName, VPCZoneIdentifier, AvailabilityZones,
                                MixedInstancesPolicy, InstanceId, LoadBalancerNames)
        tags = None
        if Tags is not None:
            check_type("Tags", Tags, list)
            tags = {}
            for i, t in enumerate(Tags):
                check_type(f"Tags[{i}]", t, dict)
                if "Key" not in t:
                    raise ParamValidationError(f'Missing required parameter in Tags[{i}]: "Key"')
                tags[t["Key"]] = (t.get("Value", ""), bool(t.get("PropagateAtLaunch", False)))
        self._asg.create_auto_scaling_group(
            AutoScalingGroupName, min_size=MinSize, max_size=MaxSize, desired_capacity=DesiredCapacity,
            target_group_arns=TargetGroupARNs, health_check_type=HealthCheckType or "EC2",
            health_check_grace_period=0 if HealthCheckGracePeriod is None else HealthCheckGracePeriod,
            default_cooldown=300 if DefaultCooldown is None else DefaultCooldown,
            default_instance_warmup=DefaultInstanceWarmup, termination_policies=TerminationPolicies,
            new_instances_protected=bool(NewInstancesProtectedFromScaleIn), tags=tags, **kw)
        return {}

    def describe_auto_scaling_groups(self, *, AutoScalingGroupNames: list | None = None, NextToken: str | None = None,
                                     MaxRecords: int | None = None, Filters: list | None = None,
                                     IncludeInstances: bool = True) -> dict[str, Any]:
        groups = self._asg.groups
        if AutoScalingGroupNames is not None:
            check_type("AutoScalingGroupNames", AutoScalingGroupNames, list)
            wanted = set(AutoScalingGroupNames)
            groups = [g for g in groups if g.name in wanted]
        groups = apply_filters(groups, Filters, {}, tag_getter=lambda g: {k: v for k, (v, _) in g.tags.items()})
        page, token = paginate_list(groups, NextToken, MaxRecords, default=50, maximum=100)
        out: dict[str, Any] = {"AutoScalingGroups": [self._group_shape(g) for g in page]}
        if not IncludeInstances:
            for shape in out["AutoScalingGroups"]:
                shape["Instances"] = []
        if token:
            out["NextToken"] = token
        return out

    def describe_auto_scaling_instances(self, *, InstanceIds: list | None = None, MaxRecords: int | None = None,
                                        NextToken: str | None = None) -> dict[str, Any]:
        if InstanceIds is not None:
            check_type("InstanceIds", InstanceIds, list)
        members = self._asg.describe_auto_scaling_instances(InstanceIds)
        page, token = paginate_list(members, NextToken, MaxRecords, default=50, maximum=50)
        out: dict[str, Any] = {"AutoScalingInstances": [self._instance_shape(gi, with_group=True) for gi in page]}
        if token:
            out["NextToken"] = token
        return out

    def update_auto_scaling_group(self, *, AutoScalingGroupName: str, LaunchConfigurationName: str | None = None,
                                  LaunchTemplate: dict | None = None, MixedInstancesPolicy: dict | None = None,
                                  MinSize: int | None = None, MaxSize: int | None = None,
                                  DesiredCapacity: int | None = None, DefaultCooldown: int | None = None,
                                  AvailabilityZones: list | None = None, HealthCheckType: str | None = None,
                                  HealthCheckGracePeriod: int | None = None, VPCZoneIdentifier: str | None = None,
                                  TerminationPolicies: list | None = None,
                                  NewInstancesProtectedFromScaleIn: bool | None = None,
                                  CapacityRebalance: bool | None = None, DefaultInstanceWarmup: int | None = None,
                                  ServiceLinkedRoleARN: str | None = None, Context: str | None = None
                                  ) -> dict[str, Any]:
        kw = self._group_kwargs(LaunchTemplate, LaunchConfigurationName, VPCZoneIdentifier, AvailabilityZones,
                                MixedInstancesPolicy, None, None)
        self._asg.update_auto_scaling_group(
            AutoScalingGroupName, min_size=MinSize, max_size=MaxSize, desired_capacity=DesiredCapacity,
            health_check_type=HealthCheckType, health_check_grace_period=HealthCheckGracePeriod,
            default_cooldown=DefaultCooldown, default_instance_warmup=DefaultInstanceWarmup,
            termination_policies=TerminationPolicies, new_instances_protected=NewInstancesProtectedFromScaleIn, **kw)
        return {}

    def delete_auto_scaling_group(self, *, AutoScalingGroupName: str, ForceDelete: bool = False) -> dict[str, Any]:
        self._asg.delete_auto_scaling_group(AutoScalingGroupName, force_delete=ForceDelete)
        return {}

    def set_desired_capacity(self, *, AutoScalingGroupName: str, DesiredCapacity: int,
                             HonorCooldown: bool = False) -> dict[str, Any]:
        self._asg.set_desired_capacity(AutoScalingGroupName, DesiredCapacity, honor_cooldown=HonorCooldown)
        return {}

    def set_instance_health(self, *, InstanceId: str, HealthStatus: str,
                            ShouldRespectGracePeriod: bool = True) -> dict[str, Any]:
        self._asg.set_instance_health(InstanceId, HealthStatus, should_respect_grace_period=ShouldRespectGracePeriod)
        return {}

    def set_instance_protection(self, *, InstanceIds: list, AutoScalingGroupName: str,
                                ProtectedFromScaleIn: bool) -> dict[str, Any]:
        check_type("InstanceIds", InstanceIds, list)
        self._asg.set_instance_protection(AutoScalingGroupName, InstanceIds, ProtectedFromScaleIn)
        return {}

    def terminate_instance_in_auto_scaling_group(self, *, InstanceId: str,
                                                 ShouldDecrementDesiredCapacity: bool) -> dict[str, Any]:
        act = self._asg.terminate_instance_in_auto_scaling_group(
            InstanceId, should_decrement_desired_capacity=ShouldDecrementDesiredCapacity)
        return {"Activity": self._activity_shape(act)} if act is not None else {}

    def suspend_processes(self, *, AutoScalingGroupName: str, ScalingProcesses: list | None = None) -> dict[str, Any]:
        self._asg.suspend_processes(AutoScalingGroupName, ScalingProcesses or None)
        return {}

    def resume_processes(self, *, AutoScalingGroupName: str, ScalingProcesses: list | None = None) -> dict[str, Any]:
        self._asg.resume_processes(AutoScalingGroupName, ScalingProcesses or None)
        return {}

    def describe_scaling_process_types(self) -> dict[str, Any]:
        from ..autoscaling.groups import PROCESSES

        return {"Processes": [{"ProcessName": p} for p in PROCESSES]}

    def describe_termination_policy_types(self) -> dict[str, Any]:
        from ..autoscaling.groups import TERMINATION_POLICIES

        return {"TerminationPolicyTypes": list(TERMINATION_POLICIES)}

    def attach_load_balancer_target_groups(self, *, AutoScalingGroupName: str,
                                           TargetGroupARNs: list) -> dict[str, Any]:
        check_type("TargetGroupARNs", TargetGroupARNs, list)
        self._asg.attach_load_balancer_target_groups(AutoScalingGroupName, TargetGroupARNs)
        return {}

    def detach_load_balancer_target_groups(self, *, AutoScalingGroupName: str,
                                           TargetGroupARNs: list) -> dict[str, Any]:
        check_type("TargetGroupARNs", TargetGroupARNs, list)
        self._asg.detach_load_balancer_target_groups(AutoScalingGroupName, TargetGroupARNs)
        return {}

    def describe_load_balancer_target_groups(self, *, AutoScalingGroupName: str, NextToken: str | None = None,
                                             MaxRecords: int | None = None) -> dict[str, Any]:
        g = self._asg.get_group(AutoScalingGroupName)
        return {"LoadBalancerTargetGroups": [{"LoadBalancerTargetGroupARN": a, "State": "InService"}
                                             for a in g.target_group_arns]}

    def enable_metrics_collection(self, *, AutoScalingGroupName: str, Granularity: str,
                                  Metrics: list | None = None) -> dict[str, Any]:
        self._asg.enable_metrics_collection(AutoScalingGroupName, Metrics, Granularity)
        return {}

    def disable_metrics_collection(self, *, AutoScalingGroupName: str, Metrics: list | None = None) -> dict[str, Any]:
        self._asg.disable_metrics_collection(AutoScalingGroupName, Metrics)
        return {}

    # -- policies -------------------------------------------------------------------------------------
    def put_scaling_policy(self, *, AutoScalingGroupName: str, PolicyName: str, PolicyType: str | None = None,
                           AdjustmentType: str | None = None, MinAdjustmentStep: int | None = None,
                           MinAdjustmentMagnitude: int | None = None, ScalingAdjustment: int | None = None,
                           Cooldown: int | None = None, MetricAggregationType: str | None = None,
                           StepAdjustments: list | None = None, EstimatedInstanceWarmup: int | None = None,
                           TargetTrackingConfiguration: dict | None = None, Enabled: bool = True,
                           PredictiveScalingConfiguration: dict | None = None) -> dict[str, Any]:
        kw: dict[str, Any] = {}
        if StepAdjustments is not None:
            check_type("StepAdjustments", StepAdjustments, list)
            steps = []
            for i, s in enumerate(StepAdjustments):
                check_type(f"StepAdjustments[{i}]", s, dict)
                if "ScalingAdjustment" not in s:
                    raise ParamValidationError(f'Missing required parameter in StepAdjustments[{i}]: '
                                               '"ScalingAdjustment"')
                steps.append((s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound"),
                              s["ScalingAdjustment"]))
            kw["step_adjustments"] = steps
        if TargetTrackingConfiguration is not None:
            cfg = check_type("TargetTrackingConfiguration", TargetTrackingConfiguration, dict)
            if "TargetValue" not in cfg:
                raise ParamValidationError('Missing required parameter in TargetTrackingConfiguration: "TargetValue"')
            kw["target_value"] = cfg["TargetValue"]
            kw["disable_scale_in"] = cfg.get("DisableScaleIn", False)
            pre = cfg.get("PredefinedMetricSpecification")
            if pre is not None:
                kw["predefined_metric"] = pre.get("PredefinedMetricType")
                kw["resource_label"] = pre.get("ResourceLabel")
            custom = cfg.get("CustomizedMetricSpecification")
            if custom is not None:
                kw["customized_metric"] = {
                    "namespace": custom.get("Namespace"), "metric_name": custom.get("MetricName"),
                    "statistic": custom.get("Statistic", "Average"), "unit": custom.get("Unit"),
                    "dimensions": {d["Name"]: d["Value"] for d in custom.get("Dimensions", [])}}
        if PredictiveScalingConfiguration is not None:
            raise InvalidParameter("ValidationError", "Predictive scaling is not modelled by awskit.")
        p = self._asg.put_scaling_policy(
            AutoScalingGroupName, PolicyName, policy_type=PolicyType or "SimpleScaling",
            adjustment_type=AdjustmentType, scaling_adjustment=ScalingAdjustment,
            min_adjustment_magnitude=MinAdjustmentMagnitude if MinAdjustmentMagnitude is not None else MinAdjustmentStep,
            cooldown=Cooldown, metric_aggregation_type=MetricAggregationType,
            estimated_instance_warmup=EstimatedInstanceWarmup, enabled=Enabled, **kw)
        cw = self._region.cloudwatch
        return {"PolicyARN": p.arn, "Alarms": [{"AlarmName": n, "AlarmARN": cw.alarms[n].arn} for n in p.alarms]}

    def describe_policies(self, *, AutoScalingGroupName: str | None = None, PolicyNames: list | None = None,
                          PolicyTypes: list | None = None, NextToken: str | None = None,
                          MaxRecords: int | None = None) -> dict[str, Any]:
        groups = [self._asg.get_group(AutoScalingGroupName)] if AutoScalingGroupName else self._asg.groups
        policies = [p for g in groups for p in g.policies.values()]
        if PolicyNames:
            policies = [p for p in policies if p.name in PolicyNames or p.arn in PolicyNames]
        if PolicyTypes:
            policies = [p for p in policies if p.policy_type in PolicyTypes]
        page, token = paginate_list(policies, NextToken, MaxRecords, default=50, maximum=100)
        out: dict[str, Any] = {"ScalingPolicies": [self._policy_shape(p) for p in page]}
        if token:
            out["NextToken"] = token
        return out

    def delete_policy(self, *, PolicyName: str, AutoScalingGroupName: str | None = None) -> dict[str, Any]:
        if AutoScalingGroupName is None:
            p = self._asg._policy_by_arn.get(PolicyName)
            if p is None:
                raise InvalidParameter("ValidationError", f"Policy {PolicyName!r} not found: give the group name "
                                                          "with a policy name, or the policy ARN.")
            self._asg.delete_policy(p.group, p.name)
        else:
            self._asg.delete_policy(AutoScalingGroupName, PolicyName)
        return {}

    def execute_policy(self, *, PolicyName: str, AutoScalingGroupName: str | None = None,
                       HonorCooldown: bool = False, MetricValue: float | None = None,
                       BreachThreshold: float | None = None) -> dict[str, Any]:
        p = self._asg._policy_by_arn.get(PolicyName)
        group = p.group if p is not None else AutoScalingGroupName
        name = p.name if p is not None else PolicyName
        if group is None:
            raise InvalidParameter("ValidationError", "Give AutoScalingGroupName, or a policy ARN as PolicyName.")
        self._asg.execute_policy(group, name, honor_cooldown=HonorCooldown, metric_value=MetricValue,
                                 breach_threshold=BreachThreshold)
        return {}

    # -- scheduled actions -----------------------------------------------------------------------------
    def put_scheduled_update_group_action(self, *, AutoScalingGroupName: str, ScheduledActionName: str,
                                          Time: Any = None, StartTime: Any = None, EndTime: Any = None,
                                          Recurrence: str | None = None, MinSize: int | None = None,
                                          MaxSize: int | None = None, DesiredCapacity: int | None = None,
                                          TimeZone: str | None = None) -> dict[str, Any]:
        self._asg.put_scheduled_update_group_action(
            AutoScalingGroupName, ScheduledActionName, start_time=StartTime if StartTime is not None else Time,
            end_time=EndTime, recurrence=Recurrence, min_size=MinSize, max_size=MaxSize,
            desired_capacity=DesiredCapacity, time_zone=TimeZone or "UTC")
        return {}

    def describe_scheduled_actions(self, *, AutoScalingGroupName: str | None = None,
                                   ScheduledActionNames: list | None = None, StartTime: Any = None,
                                   EndTime: Any = None, NextToken: str | None = None,
                                   MaxRecords: int | None = None) -> dict[str, Any]:
        groups = [self._asg.get_group(AutoScalingGroupName)] if AutoScalingGroupName else self._asg.groups
        actions = [a for g in groups for a in g.scheduled_actions.values()]
        if ScheduledActionNames:
            actions = [a for a in actions if a.name in ScheduledActionNames]
        page, token = paginate_list(actions, NextToken, MaxRecords, default=50, maximum=100)
        rows = []
        for a in page:
            row: dict[str, Any] = {"AutoScalingGroupName": a.group.name, "ScheduledActionName": a.name,
                                   "ScheduledActionARN": a.arn}
            when = a.next_run if a.next_run is not None else a.start_time
            if when is not None:
                row["Time"] = row["StartTime"] = _dt(self, when)
            if a.end_time is not None:
                row["EndTime"] = _dt(self, a.end_time)
            if a.recurrence is not None:
                row["Recurrence"] = a.recurrence.expression
            for key, v in (("MinSize", a.min_size), ("MaxSize", a.max_size), ("DesiredCapacity", a.desired_capacity)):
                if v is not None:
                    row[key] = v
            if a.time_zone != "UTC":
                row["TimeZone"] = a.time_zone
            rows.append(row)
        out: dict[str, Any] = {"ScheduledUpdateGroupActions": rows}
        if token:
            out["NextToken"] = token
        return out

    def delete_scheduled_action(self, *, AutoScalingGroupName: str, ScheduledActionName: str) -> dict[str, Any]:
        self._asg.delete_scheduled_action(AutoScalingGroupName, ScheduledActionName)
        return {}

    # -- activities -----------------------------------------------------------------------------------------
    def describe_scaling_activities(self, *, ActivityIds: list | None = None, AutoScalingGroupName: str | None = None,
                                    IncludeDeletedGroups: bool = False, MaxRecords: int | None = None,
                                    NextToken: str | None = None, Filters: list | None = None) -> dict[str, Any]:
        acts = self._asg.activities(AutoScalingGroupName)
        if ActivityIds:
            acts = [a for a in acts if a.id in ActivityIds]
        page, token = paginate_list(acts, NextToken, MaxRecords, default=100, maximum=100)
        out: dict[str, Any] = {"Activities": [self._activity_shape(a) for a in page]}
        if token:
            out["NextToken"] = token
        return out

    # -- launch configurations --------------------------------------------------------------------------------
    def create_launch_configuration(self, *, LaunchConfigurationName: str, ImageId: str | None = None,
                                    KeyName: str | None = None, SecurityGroups: list | None = None,
                                    UserData: str | None = None, InstanceId: str | None = None,
                                    InstanceType: str | None = None, IamInstanceProfile: str | None = None,
                                    InstanceMonitoring: dict | None = None, EbsOptimized: bool | None = None,
                                    AssociatePublicIpAddress: bool | None = None,
                                    BlockDeviceMappings: list | None = None) -> dict[str, Any]:
        monitoring = True if InstanceMonitoring is None else bool(InstanceMonitoring.get("Enabled", True))
        self._asg.create_launch_configuration(
            LaunchConfigurationName, image=ImageId, instance_type=InstanceType, key_name=KeyName,
            security_groups=SecurityGroups, user_data=UserData, iam_instance_profile=IamInstanceProfile,
            monitoring=monitoring, associate_public_ip=AssociatePublicIpAddress)
        return {}

    def describe_launch_configurations(self, *, LaunchConfigurationNames: list | None = None,
                                       NextToken: str | None = None, MaxRecords: int | None = None) -> dict[str, Any]:
        lcs = self._asg.launch_configurations
        if LaunchConfigurationNames:
            lcs = [c for c in lcs if c.name in LaunchConfigurationNames]
        page, token = paginate_list(lcs, NextToken, MaxRecords, default=50, maximum=100)
        rows = []
        for c in page:
            d = c.data
            row: dict[str, Any] = {"LaunchConfigurationName": c.name, "LaunchConfigurationARN": c.arn,
                                   "ImageId": d.image_id, "KeyName": d.key_name or "",
                                   "SecurityGroups": list(d.security_group_ids), "ClassicLinkVPCSecurityGroups": [],
                                   "UserData": _b64(d.user_data), "InstanceType": d.instance_type,
                                   "KernelId": "", "RamdiskId": "", "BlockDeviceMappings": [],
                                   "InstanceMonitoring": {"Enabled": d.monitoring}, "CreatedTime": _dt(self, c.created),
                                   "EbsOptimized": False}
            if d.iam_instance_profile:
                row["IamInstanceProfile"] = d.iam_instance_profile
            if d.associate_public_ip is not None:
                row["AssociatePublicIpAddress"] = d.associate_public_ip
            rows.append(row)
        out: dict[str, Any] = {"LaunchConfigurations": rows}
        if token:
            out["NextToken"] = token
        return out

    def delete_launch_configuration(self, *, LaunchConfigurationName: str) -> dict[str, Any]:
        self._asg.delete_launch_configuration(LaunchConfigurationName)
        return {}
