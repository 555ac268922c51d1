"""What every part of the Auto Scaling model shares (private to :mod:`awskit.autoscaling`).

Auto Scaling answers client errors with HTTP 400 and a small set of codes: most mistakes,
including a group name that does not exist, are ``ValidationError``.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from ..core.errors import (
    listing,  # noqa: F401  (shared helper, re-exported for this package)
    AlreadyExists,
    AWSError,
    DependencyViolation,
    InvalidParameter,
    InvalidState,
    error_class,
)

__all__: list[str] = []

_FAMILY: dict[str, type[AWSError]] = {
    "AlreadyExists": AlreadyExists,
    "ResourceInUse": DependencyViolation,
    "ScalingActivityInProgress": InvalidState,
    "ResourceContention": InvalidState,
}


def fail(code: str, message: str) -> NoReturn:
    """Raise the AWSError family for ``code`` with Auto Scaling's HTTP status (400)."""
    cls = _FAMILY.get(code) or error_class(code)
    if cls is AWSError:
        cls = InvalidParameter
    raise cls(code, message, status=400)




_NAME = re.compile(r"^[\x20-\x7e]{1,255}$")


def check_name(value: Any, param: str) -> str:
    """Auto Scaling names: 1-255 printable characters, no colon (a colon would break the ARN)."""
    if not isinstance(value, str) or not _NAME.match(value) or ":" in value:
        fail("ValidationError", f"{param} {value!r} is not valid: use 1-255 printable characters without ':'.")
    return value


def check_int(value: Any, param: str, low: int = 0, high: int = 2**31 - 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        fail("ValidationError", f"{param} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def check_bool(value: Any, param: str) -> bool:
    if not isinstance(value, bool):
        fail("ValidationError", f"{param} is True or False, not {value!r}.")
    return value


def hhmm(clock, t: float) -> str:
    return clock.to_datetime(t).strftime("%H:%M")


def iso_z(clock, t: float) -> str:
    """``2026-01-05T09:12:00Z``: how Auto Scaling writes times inside a Cause."""
    return clock.to_datetime(t).strftime("%Y-%m-%dT%H:%M:%SZ")
