"""Launch templates through the EC2 API (CreateLaunchTemplate and friends).

The templates live in :mod:`awskit.autoscaling.templates` (``cloud.autoscaling``); this
module only translates ``LaunchTemplateData`` to and from the model.  As in EC2, the
template's ``UserData`` is base64 text (boto3 does not encode it for you here, unlike
``run_instances``).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, ClassVar

from ..core.errors import AWSError, InvalidParameter
from ._ec2_common import NetworkClientBase, check_max_results, page_start, tag_spec, tagged
from .base import ParamValidationError, apply_filters, check_type, from_tags, to_tags

__all__ = ["TemplateOps"]

_DATA_KEYS = {"ImageId", "InstanceType", "KeyName", "SecurityGroupIds", "SecurityGroups", "UserData",
              "IamInstanceProfile", "TagSpecifications", "Monitoring", "NetworkInterfaces"}


def _data_in(data: Any) -> dict[str, Any]:
    """LaunchTemplateData -> keyword arguments of the model."""
    check_type("LaunchTemplateData", data, dict)
    unknown = set(data) - _DATA_KEYS
    if unknown:
        raise InvalidParameter("InvalidParameterValue",
                               f"LaunchTemplateData.{min(unknown)} is not modelled by awskit. Modelled keys: "
                               f"{', '.join(sorted(_DATA_KEYS))}.")
    kw: dict[str, Any] = {}
    for key, name in (("ImageId", "image"), ("InstanceType", "instance_type"), ("KeyName", "key_name")):
        if key in data:
            kw[name] = check_type(f"LaunchTemplateData.{key}", data[key], str)
    if "SecurityGroupIds" in data:
        kw["security_groups"] = list(check_type("LaunchTemplateData.SecurityGroupIds", data["SecurityGroupIds"], list))
    if "SecurityGroups" in data:
        raise InvalidParameter("InvalidParameterValue", "Name security groups by id (SecurityGroupIds): awskit "
                                                        "launches templates into VPC subnets only.")
    if "UserData" in data:
        raw = check_type("LaunchTemplateData.UserData", data["UserData"], str)
        try:
            kw["user_data"] = base64.b64decode(raw, validate=True).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            raise InvalidParameter("InvalidUserData.Malformed", "User data in a launch template must be "
                                   "base64-encoded (base64.b64encode(script.encode()).decode()).") from None
    if "IamInstanceProfile" in data:
        prof = check_type("LaunchTemplateData.IamInstanceProfile", data["IamInstanceProfile"], dict)
        kw["iam_instance_profile"] = prof.get("Name") or (prof.get("Arn") or "").rsplit("/", 1)[-1] or None
    if "Monitoring" in data:
        kw["monitoring"] = bool(check_type("LaunchTemplateData.Monitoring", data["Monitoring"], dict).get("Enabled"))
    if "NetworkInterfaces" in data:
        nics = check_type("LaunchTemplateData.NetworkInterfaces", data["NetworkInterfaces"], list)
        if nics:
            nic = check_type("LaunchTemplateData.NetworkInterfaces[0]", nics[0], dict)
            if "AssociatePublicIpAddress" in nic:
                kw["associate_public_ip"] = bool(nic["AssociatePublicIpAddress"])
            if nic.get("Groups"):
                kw["security_groups"] = list(nic["Groups"])
    if "TagSpecifications" in data:
        specs = check_type("LaunchTemplateData.TagSpecifications", data["TagSpecifications"], list)
        tags: dict[str, str] = {}
        for i, spec in enumerate(specs):
            check_type(f"LaunchTemplateData.TagSpecifications[{i}]", spec, dict)
            if spec.get("ResourceType") not in ("instance", "volume", "network-interface"):
                raise InvalidParameter("InvalidParameterValue", f"ResourceType {spec.get('ResourceType')!r} cannot "
                                       "be tagged at launch: use instance, volume or network-interface.")
            if spec.get("ResourceType") == "instance":
                tags.update(from_tags(spec.get("Tags", []), f"TagSpecifications[{i}].Tags"))
        kw["tags"] = tags
    return kw


def _version_bound(param: str, value: Any) -> int:
    """MinVersion/MaxVersion: a version number given as a string, as EC2 takes it."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise InvalidParameter("InvalidParameterValue", f"{param} {value!r} is not a version number: give a "
                           "number such as '1' (describe_launch_template_versions lists them).")


def _data_out(spec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.image_id:
        out["ImageId"] = spec.image_id
    if spec.instance_type:
        out["InstanceType"] = spec.instance_type
    if spec.key_name:
        out["KeyName"] = spec.key_name
    if spec.security_group_ids:
        out["SecurityGroupIds"] = list(spec.security_group_ids)
    if spec.user_data:
        out["UserData"] = base64.b64encode(spec.user_data.encode()).decode()
    if spec.iam_instance_profile:
        out["IamInstanceProfile"] = {"Name": spec.iam_instance_profile}
    if spec.monitoring:
        out["Monitoring"] = {"Enabled": True}
    if spec.associate_public_ip is not None:
        out["NetworkInterfaces"] = [{"AssociatePublicIpAddress": spec.associate_public_ip, "DeviceIndex": 0}]
    if spec.instance_tags:
        out["TagSpecifications"] = [{"ResourceType": "instance", "Tags": to_tags(dict(spec.instance_tags))}]
    return out


class TemplateOps(NetworkClientBase):
    """CreateLaunchTemplate, CreateLaunchTemplateVersion, Describe*, Modify and Delete."""

    waiters: ClassVar[dict] = {}
    paginators: ClassVar[dict] = {
        "describe_launch_templates": ("NextToken", "NextToken", "MaxResults", ("LaunchTemplates",)),
        "describe_launch_template_versions": ("NextToken", "NextToken", "MaxResults", ("LaunchTemplateVersions",)),
    }
    error_codes: ClassVar[tuple] = (
        "InvalidLaunchTemplateName.AlreadyExistsException", "InvalidLaunchTemplateName.NotFoundException",
        "InvalidLaunchTemplateName.MalformedException", "InvalidLaunchTemplateId.NotFound",
        "InvalidLaunchTemplateId.Malformed", "InvalidLaunchTemplateId.VersionNotFound", "InvalidUserData.Malformed",
        "LaunchTemplateVersionLimitExceeded")

    @property
    def _lts(self):
        return self._region.autoscaling

    def _lt_shape(self, lt) -> dict[str, Any]:
        shape = {"LaunchTemplateId": lt.id, "LaunchTemplateName": lt.name,
                 "CreateTime": self._cloud.clock.to_datetime(lt.created),
                 "CreatedBy": f"arn:aws:iam::{self._cloud.account_id}:root",
                 "DefaultVersionNumber": lt.default_version, "LatestVersionNumber": lt.latest_version}
        return tagged(shape, lt.tags)

    def _version_shape(self, v) -> dict[str, Any]:
        shape = {"LaunchTemplateId": v.template.id, "LaunchTemplateName": v.template.name,
                 "VersionNumber": v.number}
        if v.description:
            shape["VersionDescription"] = v.description
        shape.update({"CreateTime": self._cloud.clock.to_datetime(v.created),
                      "CreatedBy": f"arn:aws:iam::{self._cloud.account_id}:root", "DefaultVersion": v.is_default,
                      "LaunchTemplateData": _data_out(v.data)})
        return shape

    def _template_lookup(self, LaunchTemplateId: Any, LaunchTemplateName: Any):
        if (LaunchTemplateId is None) == (LaunchTemplateName is None):
            raise InvalidParameter("InvalidParameterCombination" if LaunchTemplateId else "MissingParameter",
                                   "Give exactly one of LaunchTemplateId and LaunchTemplateName.")
        if LaunchTemplateId is not None:
            return self._lts.get_launch_template(check_type("LaunchTemplateId", LaunchTemplateId, str))
        return self._lts.get_launch_template(name=check_type("LaunchTemplateName", LaunchTemplateName, str))

    def _template_warnings(self, kw: dict[str, Any]) -> dict[str, Any]:
        """EC2 accepts a template with unknown values but warns (the launch fails later)."""
        errors = []
        ec2 = self._region.ec2
        for key, check in (("image", ec2.get_image), ("instance_type", ec2.get_instance_type)):
            if key in kw:
                try:
                    check(kw[key])
                except AWSError as err:
                    errors.append({"Code": err.code, "Message": err.message})
        return {"Warning": {"Errors": errors}} if errors else {}

    def create_launch_template(self, *, LaunchTemplateName: str, LaunchTemplateData: dict,
                               VersionDescription: str | None = None, TagSpecifications: list | None = None,
                               ClientToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        check_type("LaunchTemplateName", LaunchTemplateName, str)
        if not 3 <= len(LaunchTemplateName) <= 128:   # botocore checks the length before sending
            raise ParamValidationError(f"Invalid length for parameter LaunchTemplateName, value: "
                                       f"{len(LaunchTemplateName)}, valid min length: 3")
        kw = _data_in(LaunchTemplateData)
        tags = tag_spec(TagSpecifications, "launch-template")
        self._dry_run(DryRun)
        lt = self._lts.create_launch_template(LaunchTemplateName, description=VersionDescription,
                                              template_tags=tags, **kw)
        return {"LaunchTemplate": self._lt_shape(lt), **self._template_warnings(kw)}

    def create_launch_template_version(self, *, LaunchTemplateData: dict, LaunchTemplateId: str | None = None,
                                       LaunchTemplateName: str | None = None, SourceVersion: str | None = None,
                                       VersionDescription: str | None = None, ClientToken: str | None = None,
                                       DryRun: bool = False) -> dict[str, Any]:
        kw = _data_in(LaunchTemplateData)
        lt = self._template_lookup(LaunchTemplateId, LaunchTemplateName)
        self._dry_run(DryRun)
        v = self._lts.create_launch_template_version(lt, source_version=SourceVersion,
                                                     description=VersionDescription, **kw)
        return {"LaunchTemplateVersion": self._version_shape(v), **self._template_warnings(kw)}

    def describe_launch_templates(self, *, LaunchTemplateIds: list | None = None,
                                  LaunchTemplateNames: list | None = None, Filters: list | None = None,
                                  MaxResults: int | None = None, NextToken: str | None = None,
                                  DryRun: bool = False) -> dict[str, Any]:
        lts = self._lts.launch_templates
        if LaunchTemplateIds is not None:
            check_type("LaunchTemplateIds", LaunchTemplateIds, list)
            lts = [self._lts.get_launch_template(i) for i in LaunchTemplateIds]
        if LaunchTemplateNames is not None:
            check_type("LaunchTemplateNames", LaunchTemplateNames, list)
            lts = [self._lts.get_launch_template(name=n) for n in LaunchTemplateNames]
        lts = apply_filters(lts, Filters, {"launch-template-name": lambda t: t.name}, tag_getter=lambda t: t.tags)
        limit = check_max_results(MaxResults, 1, 200)
        start = page_start(NextToken)
        end = len(lts) if limit is None else start + limit
        out: dict[str, Any] = {"LaunchTemplates": [self._lt_shape(t) for t in lts[start:end]]}
        if end < len(lts):
            out["NextToken"] = f"page-{end}"
        return out

    def describe_launch_template_versions(self, *, LaunchTemplateId: str | None = None,
                                          LaunchTemplateName: str | None = None, Versions: list | None = None,
                                          MinVersion: str | None = None, MaxVersion: str | None = None,
                                          Filters: list | None = None, MaxResults: int | None = None,
                                          NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        if LaunchTemplateId is None and LaunchTemplateName is None:
            if not Versions or not all(v in ("$Latest", "$Default") for v in Versions):
                raise ParamValidationError("Give LaunchTemplateId or LaunchTemplateName (or only $Latest/$Default "
                                           "versions across every template).")
            versions = [t.version(v) for t in self._lts.launch_templates for v in Versions]
        else:
            lt = self._template_lookup(LaunchTemplateId, LaunchTemplateName)
            if Versions:
                check_type("Versions", Versions, list)
                versions = list({id(v): v for v in (lt.version(x) for x in Versions)}.values())
            else:
                versions = sorted(lt.versions.values(), key=lambda v: v.number)
                if MinVersion is not None:
                    versions = [v for v in versions if v.number >= _version_bound("MinVersion", MinVersion)]
                if MaxVersion is not None:
                    versions = [v for v in versions if v.number <= _version_bound("MaxVersion", MaxVersion)]
        limit = check_max_results(MaxResults, 1, 200)
        start = page_start(NextToken)
        end = len(versions) if limit is None else start + limit
        out: dict[str, Any] = {"LaunchTemplateVersions": [self._version_shape(v) for v in versions[start:end]]}
        if end < len(versions):
            out["NextToken"] = f"page-{end}"
        return out

    def modify_launch_template(self, *, LaunchTemplateId: str | None = None, LaunchTemplateName: str | None = None,
                               DefaultVersion: str | None = None, SetDefaultVersion: str | None = None,
                               ClientToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        lt = self._template_lookup(LaunchTemplateId, LaunchTemplateName)
        self._dry_run(DryRun)
        which = DefaultVersion if DefaultVersion is not None else SetDefaultVersion
        if which is not None:
            self._lts.modify_launch_template(lt, default_version=which)
        return {"LaunchTemplate": self._lt_shape(lt)}

    def delete_launch_template(self, *, LaunchTemplateId: str | None = None, LaunchTemplateName: str | None = None,
                               DryRun: bool = False) -> dict[str, Any]:
        lt = self._template_lookup(LaunchTemplateId, LaunchTemplateName)
        self._dry_run(DryRun)
        self._lts.delete_launch_template(lt)
        return {"LaunchTemplate": self._lt_shape(lt)}

    def delete_launch_template_versions(self, *, Versions: list, LaunchTemplateId: str | None = None,
                                        LaunchTemplateName: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        lt = self._template_lookup(LaunchTemplateId, LaunchTemplateName)
        check_type("Versions", Versions, list)
        self._dry_run(DryRun)
        ok, bad = [], []
        for number, code in self._lts.delete_launch_template_versions(lt, Versions):
            if code is None:
                ok.append({"LaunchTemplateId": lt.id, "LaunchTemplateName": lt.name, "VersionNumber": number})
            else:
                bad.append({"LaunchTemplateId": lt.id, "LaunchTemplateName": lt.name,
                            "VersionNumber": number if isinstance(number, int) else 0,
                            "ResponseError": {"Code": code, "Message": f"Version {number} could not be deleted."}})
        return {"SuccessfullyDeletedLaunchTemplateVersions": ok, "UnsuccessfullyDeletedLaunchTemplateVersions": bad}
