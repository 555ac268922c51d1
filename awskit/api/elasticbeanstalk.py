"""The Elastic Beanstalk API as boto3 speaks it (``client("elasticbeanstalk")``).

Translates shapes only: applications, versions and environments live in
:mod:`awskit.beanstalk`.  Beanstalk itself is free; the resources it composes bill themselves.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .base import BaseClient, check_type, from_tags, to_tags

__all__ = ["ElasticBeanstalkClient"]


def _statuses(resp: dict, ready: str, retry: str) -> Any:
    """botocore's pathAll acceptor: success when every environment has reached ``ready``."""
    envs = resp.get("Environments", [])
    return bool(envs) and all(e["Status"] == ready for e in envs)


def _tier() -> dict[str, str]:
    return {"Name": "WebServer", "Type": "Standard", "Version": "1.0"}


class ElasticBeanstalkClient(BaseClient):
    """``awskit.client("elasticbeanstalk")``: Elastic Beanstalk on a simulated account.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> eb = cloud.client("elasticbeanstalk")
    >>> _ = eb.create_application(ApplicationName="shop")
    >>> env = eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod",
    ...     SolutionStackName="64bit Amazon Linux 2023 v4.6.0 running Python 3.11", CNAMEPrefix="shop-prod")
    >>> env["Status"], env["CNAME"]
    ('Launching', 'shop-prod.us-east-1.elasticbeanstalk.com')
    >>> eb.get_waiter("environment_exists").wait(EnvironmentNames=["shop-prod"])
    >>> eb.describe_environments(EnvironmentNames=["shop-prod"])["Environments"][0]["Health"]
    'Green'
    """

    service_name = "elasticbeanstalk"
    error_codes = ("InvalidParameterValue", "InvalidParameterCombination", "ConfigurationValidationException",
                   "TooManyApplicationsException", "TooManyApplicationVersionsException",
                   "TooManyEnvironmentsException", "InsufficientPrivilegesException",
                   "SourceBundleDeletionException", "OperationInProgressException", "InvalidRequestException",
                   "ElasticBeanstalkServiceException", "S3LocationNotInServiceRegionException")
    waiters: ClassVar[dict] = {
        "environment_exists": ("describe_environments", lambda r: _statuses(r, "Ready", "Launching"), 20, 20),
        "environment_updated": ("describe_environments", lambda r: _statuses(r, "Ready", "Updating"), 20, 20),
        "environment_terminated": ("describe_environments", lambda r: _statuses(r, "Terminated", "Terminating"),
                                   20, 20),
    }

    @property
    def _eb(self):
        return self._region.beanstalk

    def _dt(self, t: float | None):
        return None if t is None else self._cloud.clock.to_datetime(t)

    # -- shapes -------------------------------------------------------------------------------
    def _app(self, a) -> dict[str, Any]:
        return {"ApplicationArn": a.arn, "ApplicationName": a.name, "Description": a.description,
                "DateCreated": self._dt(a.created), "DateUpdated": self._dt(a.updated),
                "Versions": list(a.versions), "ConfigurationTemplates": [],
                "ResourceLifecycleConfig": {"VersionLifecycleConfig": {
                    "MaxCountRule": {"Enabled": False, "MaxCount": 200, "DeleteSourceFromS3": False},
                    "MaxAgeRule": {"Enabled": False, "MaxAgeInDays": 180, "DeleteSourceFromS3": False}}}}

    def _version(self, v) -> dict[str, Any]:
        out = {"ApplicationVersionArn": v.arn, "ApplicationName": v.application.name, "Description": v.description,
               "VersionLabel": v.label, "DateCreated": self._dt(v.created), "DateUpdated": self._dt(v.updated),
               "Status": v.status.value}
        if v.source_bundle is not None:
            out["SourceBundle"] = {"S3Bucket": v.source_bundle[0], "S3Key": v.source_bundle[1]}
        return out

    def _env(self, e) -> dict[str, Any]:
        from ..beanstalk._common import STACKS_BY_NAME
        stack = STACKS_BY_NAME[e.solution_stack]
        out = {"EnvironmentName": e.name, "EnvironmentId": e.id, "ApplicationName": e.application.name,
               "SolutionStackName": e.solution_stack,
               "PlatformArn": f"arn:aws:elasticbeanstalk:{self._region.name}::{stack.platform_arn}",
               "Description": e.description, "EndpointURL": e.endpoint_url, "CNAME": e.cname,
               "DateCreated": self._dt(e.created), "DateUpdated": self._dt(e.updated), "Status": e.status.value,
               "AbortableOperationInProgress": e.status.value == "Updating", "Health": e.health,
               "HealthStatus": e.health_status.value, "Tier": _tier(), "EnvironmentLinks": [],
               "EnvironmentArn": e.arn}
        if e.version_label is not None:
            out["VersionLabel"] = e.version_label
        return out

    # -- applications ---------------------------------------------------------------------------
    def create_application(self, *, ApplicationName: str, Description: str = "",
                           ResourceLifecycleConfig: dict | None = None, Tags: list | None = None) -> dict:
        a = self._eb.create_application(ApplicationName, description=Description, tags=from_tags(Tags or []))
        return {"Application": self._app(a)}

    def describe_applications(self, *, ApplicationNames: list | None = None) -> dict:
        apps = self._eb.applications
        if ApplicationNames is not None:
            check_type("ApplicationNames", ApplicationNames, list)
            apps = [a for a in apps if a.name in ApplicationNames]
        return {"Applications": [self._app(a) for a in apps]}

    def delete_application(self, *, ApplicationName: str, TerminateEnvByForce: bool = False) -> dict:
        self._eb.delete_application(ApplicationName, terminate_env_by_force=TerminateEnvByForce)
        return {}

    def create_application_version(self, *, ApplicationName: str, VersionLabel: str, Description: str = "",
                                   SourceBuildInformation: dict | None = None, SourceBundle: dict | None = None,
                                   BuildConfiguration: dict | None = None, AutoCreateApplication: bool = False,
                                   Process: bool = False, Tags: list | None = None) -> dict:
        v = self._eb.create_application_version(ApplicationName, VersionLabel, source_bundle=SourceBundle,
                                                description=Description, process=Process,
                                                auto_create_application=AutoCreateApplication,
                                                tags=from_tags(Tags or []))
        return {"ApplicationVersion": self._version(v)}

    def describe_application_versions(self, *, ApplicationName: str | None = None, VersionLabels: list | None = None,
                                      MaxRecords: int | None = None, NextToken: str | None = None) -> dict:
        apps = [self._eb.get_application(ApplicationName)] if ApplicationName is not None else self._eb.applications
        versions = [v for a in apps for v in sorted(a.versions.values(), key=lambda v: -v.created)]
        if VersionLabels is not None:
            versions = [v for v in versions if v.label in VersionLabels]
        return {"ApplicationVersions": [self._version(v) for v in versions]}

    def delete_application_version(self, *, ApplicationName: str, VersionLabel: str,
                                   DeleteSourceBundle: bool = False) -> dict:
        self._eb.delete_application_version(ApplicationName, VersionLabel, delete_source_bundle=DeleteSourceBundle)
        return {}

    def list_available_solution_stacks(self) -> dict:
        stacks = self._eb.list_available_solution_stacks()
        return {"SolutionStacks": [s.name for s in stacks],
                "SolutionStackDetails": [{"SolutionStackName": s.name, "PermittedFileTypes": list(s.permitted_file_types)}
                                         for s in stacks]}

    def check_dns_availability(self, *, CNAMEPrefix: str) -> dict:
        ok, cname = self._eb.check_dns_availability(CNAMEPrefix)
        return {"Available": ok, "FullyQualifiedCNAME": cname}

    # -- environments ---------------------------------------------------------------------------
    def create_environment(self, *, ApplicationName: str, EnvironmentName: str | None = None,
                           GroupName: str | None = None, Description: str = "", CNAMEPrefix: str | None = None,
                           Tier: dict | None = None, Tags: list | None = None, VersionLabel: str | None = None,
                           TemplateName: str | None = None, SolutionStackName: str | None = None,
                           PlatformArn: str | None = None, OptionSettings: list | None = None,
                           OptionsToRemove: list | None = None, OperationsRole: str | None = None) -> dict:
        from ..beanstalk._common import fail
        if EnvironmentName is None:
            fail("InvalidParameterValue", "EnvironmentName is required (awskit does not model GroupName naming).")
        if TemplateName is not None or PlatformArn is not None:
            fail("InvalidParameterValue", "awskit takes SolutionStackName; TemplateName and PlatformArn are not "
                                          "modelled.")
        tier = (Tier or {}).get("Name", "WebServer")
        e = self._eb.create_environment(ApplicationName, EnvironmentName, version_label=VersionLabel,
                                        solution_stack=SolutionStackName, cname_prefix=CNAMEPrefix,
                                        option_settings=OptionSettings, tier=tier, description=Description,
                                        tags=from_tags(Tags or []))
        return self._env(e)

    def describe_environments(self, *, ApplicationName: str | None = None, VersionLabel: str | None = None,
                              EnvironmentIds: list | None = None, EnvironmentNames: list | None = None,
                              IncludeDeleted: bool = True, IncludedDeletedBackTo: Any = None,
                              MaxRecords: int | None = None, NextToken: str | None = None) -> dict:
        now = self._cloud.clock.now
        envs = []
        for e in self._eb._envs.values():
            if e.status.value == "Terminated" and (not IncludeDeleted or now - e.terminated_at > 3600):
                continue   # terminated environments stay visible for about an hour
            if ApplicationName is not None and e.application.name != ApplicationName:
                continue
            if VersionLabel is not None and e.version_label != VersionLabel:
                continue
            if EnvironmentIds is not None and e.id not in EnvironmentIds:
                continue
            if EnvironmentNames is not None and e.name not in EnvironmentNames:
                continue
            envs.append(e)
        return {"Environments": [self._env(e) for e in envs]}

    def _pick(self, EnvironmentId: str | None, EnvironmentName: str | None):
        from ..beanstalk._common import fail
        if EnvironmentId is None and EnvironmentName is None:
            fail("MissingParameter", "Either EnvironmentId or EnvironmentName must be given.")
        return self._eb.get_environment(EnvironmentId or EnvironmentName)

    def update_environment(self, *, ApplicationName: str | None = None, EnvironmentId: str | None = None,
                           EnvironmentName: str | None = None, GroupName: str | None = None,
                           Description: str | None = None, Tier: dict | None = None, VersionLabel: str | None = None,
                           TemplateName: str | None = None, SolutionStackName: str | None = None,
                           PlatformArn: str | None = None, OptionSettings: list | None = None,
                           OptionsToRemove: list | None = None) -> dict:
        e = self._pick(EnvironmentId, EnvironmentName)
        e = self._eb.update_environment(e, version_label=VersionLabel, option_settings=OptionSettings,
                                        description=Description)
        return self._env(e)

    def terminate_environment(self, *, EnvironmentId: str | None = None, EnvironmentName: str | None = None,
                              TerminateResources: bool = True, ForceTerminate: bool = False) -> dict:
        e = self._eb.terminate_environment(self._pick(EnvironmentId, EnvironmentName))
        return self._env(e)

    def rebuild_environment(self, *, EnvironmentId: str | None = None, EnvironmentName: str | None = None) -> dict:
        self._eb.rebuild_environment(self._pick(EnvironmentId, EnvironmentName))
        return {}

    def swap_environment_cnames(self, *, SourceEnvironmentId: str | None = None,
                                SourceEnvironmentName: str | None = None,
                                DestinationEnvironmentId: str | None = None,
                                DestinationEnvironmentName: str | None = None) -> dict:
        a = self._pick(SourceEnvironmentId, SourceEnvironmentName)
        b = self._pick(DestinationEnvironmentId, DestinationEnvironmentName)
        self._eb.swap_environment_cnames(a, b)
        return {}

    def describe_environment_resources(self, *, EnvironmentId: str | None = None,
                                       EnvironmentName: str | None = None) -> dict:
        e = self._pick(EnvironmentId, EnvironmentName)
        r = self._eb.describe_environment_resources(e)
        return {"EnvironmentResources": {
            "EnvironmentName": e.name,
            "AutoScalingGroups": [{"Name": g.name} for g in r["AutoScalingGroups"]],
            "Instances": [{"Id": i.id} for i in r["Instances"]],
            "LaunchConfigurations": [],
            "LaunchTemplates": [{"Id": lt.id} for lt in r["LaunchTemplates"]],
            "LoadBalancers": [{"Name": lb.arn} for lb in r["LoadBalancers"]],
            "Triggers": [{"Name": a.name} for a in r["Triggers"]],
            "Queues": []}}

    def describe_events(self, *, ApplicationName: str | None = None, VersionLabel: str | None = None,
                        TemplateName: str | None = None, EnvironmentId: str | None = None,
                        EnvironmentName: str | None = None, PlatformArn: str | None = None,
                        RequestId: str | None = None, Severity: str | None = None, StartTime: Any = None,
                        EndTime: Any = None, MaxRecords: int | None = None, NextToken: str | None = None) -> dict:
        env = None
        if EnvironmentId is not None or EnvironmentName is not None:
            env = self._eb.get_environment(EnvironmentId or EnvironmentName, include_terminated=True)
        events = self._eb.describe_events(application=ApplicationName, environment=env, severity=Severity)
        if VersionLabel is not None:
            events = [ev for ev in events if ev.version_label == VersionLabel]
        if MaxRecords is not None:
            events = events[:MaxRecords]
        return {"Events": [{"EventDate": self._dt(ev.time), "Message": ev.message,
                            "ApplicationName": ev.application_name, "EnvironmentName": ev.environment_name,
                            **({"VersionLabel": ev.version_label} if ev.version_label else {}),
                            "RequestId": ev.request_id, "Severity": ev.severity.value} for ev in events]}

    def describe_environment_health(self, *, EnvironmentName: str | None = None, EnvironmentId: str | None = None,
                                    AttributeNames: list | None = None) -> dict:
        e = self._pick(EnvironmentId, EnvironmentName)
        h = self._eb.describe_environment_health(e)
        counts = {s.value: n for s, n in h["instances"].items() if s.value != "Suspended"}
        return {"EnvironmentName": e.name, "HealthStatus": h["status"].value, "Status": e.status.value,
                "Color": h["color"], "Causes": h["causes"],
                "ApplicationMetrics": {"Duration": 60, "RequestCount": h["request_count"],
                                       "StatusCodes": h["status_codes"]},
                "InstancesHealth": counts, "RefreshedAt": self._cloud.clock.datetime}

    def describe_instances_health(self, *, EnvironmentName: str | None = None, EnvironmentId: str | None = None,
                                  AttributeNames: list | None = None, NextToken: str | None = None) -> dict:
        e = self._pick(EnvironmentId, EnvironmentName)
        rows = self._eb.instance_health(e)
        return {"InstanceHealthList": [
            {"InstanceId": i.id, "HealthStatus": s.value, "Color": s.color, "Causes": causes,
             "LaunchedAt": self._dt(i.launch_time), "AvailabilityZone": i.availability_zone.name,
             "InstanceType": i.instance_type.name,
             **({"Deployment": {"VersionLabel": e.version_on(i)}} if e.version_on(i) else {})}
            for i, s, causes in rows], "RefreshedAt": self._cloud.clock.datetime}

    def list_tags_for_resource(self, *, ResourceArn: str) -> dict:
        for e in self._eb._envs.values():
            if e.arn == ResourceArn:
                return {"ResourceArn": ResourceArn, "ResourceTags": to_tags(e.tags)}
        for a in self._eb.applications:
            if a.arn == ResourceArn:
                return {"ResourceArn": ResourceArn, "ResourceTags": to_tags(a.tags)}
        from ..beanstalk._common import fail
        fail("ResourceNotFoundException", f"Resource not found for ARN '{ResourceArn}'.")
