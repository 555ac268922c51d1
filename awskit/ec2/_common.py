"""Helpers the EC2 model shares (private): EC2's error families and status, time shapes.

EC2 answers every client error with HTTP 400; a few of its codes do not say their family in
their own words, so they are pinned here.
"""

from __future__ import annotations

from typing import NoReturn

from ..core.errors import (
    AlreadyExists,
    AWSError,
    DependencyViolation,
    InvalidState,
    LimitExceeded,
    error_class,
)
from ..vpc._common import Resource, check_tags, listing, parse_ip

__all__ = ["Resource", "check_tags", "fail", "listing", "parse_ip"]

_FAMILY_OVERRIDES: dict[str, type[AWSError]] = {
    "OperationNotPermitted": InvalidState,
    "UnsupportedOperation": InvalidState,
    "Gateway.NotAttached": InvalidState,
    "InvalidIPAddress.InUse": DependencyViolation,
    "InvalidIPAddress.InUse.Assoc": DependencyViolation,
    "InvalidNetworkInterface.InUse": DependencyViolation,
    "Resource.AlreadyAssociated": AlreadyExists,
    "VcpuLimitExceeded": LimitExceeded,
    "AddressLimitExceeded": LimitExceeded,
    "InsufficientInstanceCapacity": InvalidState,
}


def fail(code: str, message: str) -> NoReturn:
    """Raise the AWSError family for ``code`` with EC2's HTTP status (400)."""
    cls = _FAMILY_OVERRIDES.get(code) or error_class(code)
    raise cls(code, message, status=400)
