"""Helpers every part of the Elastic Load Balancing model shares (private to :mod:`awskit.elb`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from ..core.errors import (
    listing,  # noqa: F401  (shared helper, re-exported for this package)
    AlreadyExists,
    AWSError,
    DependencyViolation,
    InvalidParameter,
    error_class,
)

__all__: list[str] = []

# ELB answers client errors with HTTP 400; a few codes belong to families their words do not show.
_FAMILY: dict[str, type[AWSError]] = {
    "DuplicateLoadBalancerName": AlreadyExists,
    "DuplicateTargetGroupName": AlreadyExists,
    "DuplicateListener": AlreadyExists,
    "PriorityInUse": AlreadyExists,
    "ResourceInUse": DependencyViolation,
    "InvalidConfigurationRequest": InvalidParameter,
    "CertificateNotFound": InvalidParameter,
    "UnsupportedProtocol": InvalidParameter,
    "LoadBalancerNotFound": error_class("X.NotFound"),
    "TargetGroupNotFound": error_class("X.NotFound"),
    "ListenerNotFound": error_class("X.NotFound"),
    "RuleNotFound": error_class("X.NotFound"),
    "SubnetNotFound": error_class("X.NotFound"),
}


def fail(code: str, message: str) -> NoReturn:
    """Raise the AWSError family for ``code`` with ELB's HTTP status (400)."""
    cls = _FAMILY.get(code) or error_class(code)
    if cls is AWSError:
        cls = InvalidParameter
    raise cls(code, message, status=400)




_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")


def check_name(name: Any, what: str = "load balancer") -> str:
    """AWS's naming rule for load balancers and target groups.

    1-32 characters, letters, digits and hyphens, not starting or ending with a hyphen; a load
    balancer name may not start with ``internal-`` (AWS reserves that prefix for the DNS names
    of internal load balancers).
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        fail("ValidationError",
             f"The {what} name {name!r} is not valid: use 1-32 letters, digits and hyphens, and do not "
             "start or end with a hyphen.")
    if what == "load balancer" and name.lower().startswith("internal-"):
        fail("ValidationError", f"The load balancer name {name!r} cannot begin with 'internal-': AWS uses that "
                                "prefix for the DNS names of internal load balancers.")
    return name


def check_int(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        fail("ValidationError", f"{what} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def check_tags(tags: Any) -> dict[str, str]:
    if tags is None:
        return {}
    if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        fail("ValidationError", f"Tags are a dict of strings such as {{'team': 'web'}}, not {tags!r}.")
    for k, v in tags.items():
        if not 1 <= len(k) <= 128 or len(v) > 256:
            fail("ValidationError", f"Tag keys are 1-128 characters and values at most 256, not {k!r}={v!r}.")
    if len(tags) > 50:
        fail("TooManyTags", f"{len(tags)} tags given; a resource carries at most 50.")
    return dict(tags)


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class ElbResource:
    """What every ELB resource has: an ARN-bearing id, its account, its region and tags."""

    id: str
    arn: str
    owner_id: str
    region: str
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def name_tag(self) -> str | None:
        return self.tags.get("Name")


def first(value: Any, default: Any = None) -> Any:
    """The first item of a list, or the value itself."""
    if isinstance(value, (list, tuple)):
        return value[0] if value else default
    return value
