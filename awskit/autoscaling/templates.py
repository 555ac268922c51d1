"""Launch templates and launch configurations: what an Auto Scaling group launches.

A *launch template* is an EC2 resource (``lt-`` id) that saves the parameters of
``run_instances`` (AMI, instance type, key pair, security groups, user data, instance
profile, tags) under a name, in numbered immutable *versions*; one version is the
``$Default`` and the newest is ``$Latest``.  A *launch configuration* is the older,
Auto Scaling-only equivalent: one unversioned set of parameters.  AWS recommends launch
templates today: it adds no new instance types to launch configurations, and accounts
created since 2023 cannot create them in the console (awskit still lets you, to teach the
difference).

In AWS, launch templates belong to EC2 (``ec2.create_launch_template``); awskit keeps them
in ``cloud.autoscaling`` beside the groups that use them, and the EC2 client reaches them
there.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
>>> v2 = cloud.autoscaling.create_launch_template_version(lt, instance_type="t3.small")
>>> lt.version("$Default").number, lt.version("$Latest").data.instance_type
(1, 't3.small')
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ._common import check_name, fail, listing

if TYPE_CHECKING:
    from .service import AutoScalingService

__all__ = ["LaunchConfiguration", "LaunchSpec", "LaunchTemplate", "LaunchTemplateVersion"]

_LT_NAME = re.compile(r"^[a-zA-Z0-9().\-/_]{3,128}$")
#: A template keeps at most this many versions (AWS quota: 10,000 per template).
MAX_VERSIONS = 10000


@dataclass(slots=True, kw_only=True, frozen=True)
class LaunchSpec:
    """The instance parameters a template version or launch configuration saves."""

    image_id: str | None = None
    instance_type: str | None = None
    key_name: str | None = None
    security_group_ids: tuple[str, ...] = ()
    user_data: str | None = None
    iam_instance_profile: str | None = None
    #: tags put on launched instances (TagSpecifications with ResourceType "instance")
    instance_tags: tuple[tuple[str, str], ...] = ()
    monitoring: bool = False
    associate_public_ip: bool | None = None


_SPEC_FIELDS = {"image": "image_id", "image_id": "image_id", "instance_type": "instance_type",
                "key_name": "key_name", "security_groups": "security_group_ids",
                "security_group_ids": "security_group_ids", "user_data": "user_data",
                "iam_instance_profile": "iam_instance_profile", "tags": "instance_tags",
                "instance_tags": "instance_tags", "monitoring": "monitoring",
                "associate_public_ip": "associate_public_ip"}


def make_spec(base: LaunchSpec | None = None, **given: Any) -> LaunchSpec:
    """A LaunchSpec from Pythonic arguments (unknown names are a ValidationError)."""
    changes: dict[str, Any] = {}
    for key, value in given.items():
        if key not in _SPEC_FIELDS:
            fail("ValidationError", f"Unknown launch parameter {key!r}. Parameters: {', '.join(sorted(_SPEC_FIELDS))}.")
        if value is None:
            continue
        name = _SPEC_FIELDS[key]
        if name == "image_id":
            value = getattr(value, "id", value)
        elif name == "security_group_ids":
            value = tuple(getattr(g, "id", g) for g in ([value] if isinstance(value, str) else value))
        elif name == "instance_tags":
            if not isinstance(value, dict):
                fail("ValidationError", f"Instance tags are a dict of strings, not {value!r}.")
            value = tuple(sorted(value.items()))
        elif name == "instance_type" or name == "iam_instance_profile":
            value = getattr(value, "name", value)
        elif name in ("monitoring", "associate_public_ip") and not isinstance(value, bool):
            fail("ValidationError", f"{key} is True or False, not {value!r}.")
        if name in ("image_id", "instance_type", "key_name", "user_data", "iam_instance_profile") \
                and not isinstance(value, str):
            fail("ValidationError", f"{key} must be a string, not {value!r}.")
        changes[name] = value
    return replace(base or LaunchSpec(), **changes)


@dataclass(slots=True, kw_only=True, eq=False)
class LaunchTemplateVersion:
    """One immutable version of a launch template."""

    template: LaunchTemplate = field(repr=False)
    number: int
    description: str | None
    data: LaunchSpec
    created: float

    @property
    def is_default(self) -> bool:
        return self.template.default_version == self.number

    def __repr__(self) -> str:
        return f"LaunchTemplateVersion({self.template.name!r}, {self.number}{', default' if self.is_default else ''})"


@dataclass(slots=True, kw_only=True, eq=False)
class LaunchTemplate:
    """A named, versioned set of launch parameters (an EC2 ``lt-`` resource)."""

    id: str
    name: str
    owner_id: str
    region: str
    created: float
    versions: dict[int, LaunchTemplateVersion] = field(default_factory=dict, repr=False)
    default_version: int = 1
    latest_version: int = 1
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:launch-template/{self.id}"

    def version(self, which: Any = "$Default") -> LaunchTemplateVersion:
        """A version by number or ``"$Latest"`` / ``"$Default"``.

        Raises: InvalidLaunchTemplateId.VersionNotFound.
        """
        if which in (None, "$Default"):
            number = self.default_version
        elif which == "$Latest":
            number = self.latest_version
        elif isinstance(which, int) and not isinstance(which, bool):
            number = which
        elif isinstance(which, str) and which.isdigit():
            number = int(which)
        else:
            fail("InvalidLaunchTemplateId.VersionNotFound",
                 f"Version {which!r} of launch template {self.id} is not valid: use a version number, "
                 "'$Latest' or '$Default'.")
        found = self.versions.get(number)
        if found is None:
            fail("InvalidLaunchTemplateId.VersionNotFound",
                 f"Could not find launch template version {number} of {self.id} ({self.name}). "
                 f"Versions: {listing(self.versions)}.")
        return found

    def __repr__(self) -> str:
        return (f"LaunchTemplate({self.id!r}, name={self.name!r}, default={self.default_version}, "
                f"latest={self.latest_version})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{v.number}{' (default)' if v.is_default else ''}</td>"
                       f"<td>{html.escape(str(v.data.instance_type))}</td><td>{html.escape(str(v.data.image_id))}</td>"
                       f"<td>{html.escape(v.description or '')}</td></tr>"
                       for v in list(self.versions.values())[-20:])
        return (f"<div><b>{html.escape(self.name)}</b> {self.id}<table><tr><th>version</th><th>type</th>"
                f"<th>AMI</th><th>description</th></tr>{rows}</table></div>")


@dataclass(slots=True, kw_only=True, eq=False)
class LaunchConfiguration:
    """The legacy, unversioned launch parameters of Auto Scaling (immutable once created)."""

    name: str
    arn: str
    data: LaunchSpec
    created: float

    def __repr__(self) -> str:
        return f"LaunchConfiguration({self.name!r}, {self.data.instance_type}, {self.data.image_id})"


class _TemplateOps:
    """Launch template and launch configuration actions of :class:`AutoScalingService`."""

    # -- launch templates ---------------------------------------------------------------------
    @property
    def launch_templates(self: AutoScalingService) -> list[LaunchTemplate]:
        return list(self._templates.values())

    def get_launch_template(self: AutoScalingService, template: Any = None, *, name: str | None = None
                            ) -> LaunchTemplate:
        """A launch template by object, ``lt-`` id or name.

        Raises: InvalidLaunchTemplateId.Malformed, InvalidLaunchTemplateId.NotFound,
        InvalidLaunchTemplateName.NotFoundException.
        """
        if isinstance(template, LaunchTemplate):
            return template
        if template is None and name is None:
            fail("MissingParameter", "Give a launch template id or name.")
        if name is None and isinstance(template, str) and not template.startswith("lt-"):
            name = template
        if name is not None:
            for lt in self._templates.values():
                if lt.name == name:
                    return lt
            fail("InvalidLaunchTemplateName.NotFoundException",
                 f"The specified launch template, with template name {name}, does not exist. Templates: "
                 f"{listing(t.name for t in self._templates.values())}.")
        if not isinstance(template, str) or not re.fullmatch(r"lt-[0-9a-f]{17}", template):
            fail("InvalidLaunchTemplateId.Malformed",
                 f"The specified ID for the launch template, {template!r}, is not valid: 'lt-' and 17 hex digits.")
        found = self._templates.get(template)
        if found is None:
            fail("InvalidLaunchTemplateId.NotFound",
                 f"The specified launch template, with template ID {template}, does not exist. Templates: "
                 f"{listing(f'{t.id} ({t.name})' for t in self._templates.values())}.")
        return found

    def create_launch_template(self: AutoScalingService, name: str, *, description: str | None = None,
                               template_tags: dict[str, str] | None = None, **data: Any) -> LaunchTemplate:
        """CreateLaunchTemplate: version 1, which is also the default.

        ``data`` takes ``image``, ``instance_type``, ``key_name``, ``security_groups``,
        ``user_data``, ``iam_instance_profile``, ``tags`` (for the instances),
        ``monitoring`` and ``associate_public_ip``.  Like EC2, nothing is checked against
        the account until an instance is launched from the template.

        Raises: InvalidLaunchTemplateName.MalformedException,
        InvalidLaunchTemplateName.AlreadyExistsException.
        """
        if not isinstance(name, str) or not _LT_NAME.match(name):
            fail("InvalidLaunchTemplateName.MalformedException",
                 f"A launch template name must be 3-128 characters of letters, digits and ( ) . - / _, not {name!r}.")
        if any(t.name == name for t in self._templates.values()):
            fail("InvalidLaunchTemplateName.AlreadyExistsException",
                 f"Launch template name already in use: {name!r}. Create a new version of it instead "
                 "(create_launch_template_version).")
        spec = make_spec(**data)
        now = self.cloud.clock.now
        lt = LaunchTemplate(id=self.cloud.ids.new("lt"), name=name, owner_id=self.cloud.account_id,
                            region=self.region_name, created=now, tags=dict(template_tags or {}))
        lt.versions[1] = LaunchTemplateVersion(template=lt, number=1, description=description, data=spec, created=now)
        self._templates[lt.id] = lt
        self.cloud.events.publish("ec2.launch_template.created", id=lt.id, name=name, region=self.region_name)
        return lt

    def create_launch_template_version(self: AutoScalingService, template: Any, *, source_version: Any = None,
                                       description: str | None = None, **data: Any) -> LaunchTemplateVersion:
        """A new version: the source version's parameters (if given) overlaid with ``data``.

        The default version does not move; ``modify_launch_template`` moves it.
        """
        lt = self.get_launch_template(template)
        base = lt.version(source_version).data if source_version is not None else None
        spec = make_spec(base, **data)
        if len(lt.versions) >= MAX_VERSIONS:
            fail("LaunchTemplateVersionLimitExceeded", f"{lt.name} has {MAX_VERSIONS} versions; delete some.")
        lt.latest_version += 1
        v = LaunchTemplateVersion(template=lt, number=lt.latest_version, description=description, data=spec,
                                  created=self.cloud.clock.now)
        lt.versions[v.number] = v
        return v

    def modify_launch_template(self: AutoScalingService, template: Any, *, default_version: Any) -> LaunchTemplate:
        """Make another version the ``$Default``."""
        lt = self.get_launch_template(template)
        lt.default_version = lt.version(str(default_version)).number
        return lt

    def delete_launch_template_versions(self: AutoScalingService, template: Any, versions: list) -> list:
        """Delete versions (not the default one).  Returns ``(number, error code or None)`` pairs."""
        lt = self.get_launch_template(template)
        out = []
        for which in versions:
            try:
                v = lt.version(which)
            except LookupError as err:
                out.append((which, getattr(err, "code", "InvalidLaunchTemplateId.VersionNotFound")))
                continue
            if v.is_default:
                out.append((v.number, "InvalidLaunchTemplateVersion.DefaultVersionDeletion"))
                continue
            del lt.versions[v.number]
            out.append((v.number, None))
        if lt.versions:
            lt.latest_version = max(lt.versions)
        return out

    def delete_launch_template(self: AutoScalingService, template: Any) -> LaunchTemplate:
        """Delete a template and every version.  (AWS lets you, even when a group uses it: that
        group's next launch then fails; awskit does the same.)"""
        lt = self.get_launch_template(template)
        del self._templates[lt.id]
        return lt

    # -- launch configurations -------------------------------------------------------------------
    @property
    def launch_configurations(self: AutoScalingService) -> list[LaunchConfiguration]:
        return list(self._launch_configs.values())

    def get_launch_configuration(self: AutoScalingService, config: Any) -> LaunchConfiguration:
        if isinstance(config, LaunchConfiguration):
            return config
        found = self._launch_configs.get(config) if isinstance(config, str) else None
        if found is None:
            fail("ValidationError", f"Launch configuration name not found - Launch configuration {config} not found. "
                                    f"Launch configurations: {listing(self._launch_configs)}.")
        return found

    def create_launch_configuration(self: AutoScalingService, name: str, *, image: Any = None,
                                    instance_type: Any = None, monitoring: bool = True, **data: Any
                                    ) -> LaunchConfiguration:
        """CreateLaunchConfiguration (legacy).  Detailed monitoring is on by default here, unlike
        in launch templates.

        Raises: ValidationError (missing ImageId or InstanceType), AlreadyExists.
        """
        check_name(name, "LaunchConfigurationName")
        if name in self._launch_configs:
            fail("AlreadyExists", f"Launch Configuration by this name already exists - A launch configuration "
                                  f"already exists with the name {name}")
        if image is None or instance_type is None:
            fail("ValidationError", "A launch configuration needs both ImageId and InstanceType (there is no "
                                    "default; launch templates may leave them out).")
        spec = make_spec(image=image, instance_type=instance_type, monitoring=monitoring, **data)
        uid = self.cloud.ids.uuid()
        lc = LaunchConfiguration(name=name, arn=self.cloud.arn(
            "autoscaling", f"launchConfiguration:{uid}:launchConfigurationName/{name}", self.region_name),
            data=spec, created=self.cloud.clock.now)
        self._launch_configs[name] = lc
        return lc

    def delete_launch_configuration(self: AutoScalingService, config: Any) -> None:
        """Raises: ResourceInUse while a group uses it."""
        lc = self.get_launch_configuration(config)
        users = [g.name for g in self._groups.values() if g.launch_configuration is lc]
        if users:
            fail("ResourceInUse", f"Cannot delete launch configuration {lc.name} because it is attached to "
                                  f"AutoScalingGroup {users[0]}.")
        del self._launch_configs[lc.name]
