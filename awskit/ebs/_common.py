"""What the EBS model's modules share (private): EC2's error families for EBS codes, timings.

EBS is part of the EC2 API, so it answers every client error with HTTP 400; a few of its
codes do not say their family in their own words, so they are pinned here.
"""

from __future__ import annotations

from typing import NoReturn

from ..core.errors import AWSError, DependencyViolation, InvalidState, LimitExceeded, error_class

__all__ = ["fail"]

_FAMILY_OVERRIDES: dict[str, type[AWSError]] = {
    "VolumeInUse": DependencyViolation,
    "InvalidSnapshot.InUse": DependencyViolation,
    "VolumeModificationRateExceeded": LimitExceeded,
    "InsufficientVolumeCapacity": InvalidState,
    "IncorrectModificationState": InvalidState,
}


def fail(code: str, message: str) -> NoReturn:
    """Raise the AWSError family for ``code`` with EC2's HTTP status (400)."""
    cls = _FAMILY_OVERRIDES.get(code) or error_class(code)
    raise cls(code, message, status=400)
