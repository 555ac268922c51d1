"""Errors that teach.

Every user mistake inside awskit raises :class:`AWSError` carrying the error code AWS
itself would return (``InvalidSubnet.Range``, ``NoSuchBucket``, ``DependencyViolation``...)
and a message that says which rule was broken and what to do about it.  ``err.response``
has the shape botocore gives ``ClientError.response``, so code written for boto3 reads it
the same way.

The families below also inherit from the matching built-in exception, so an ordinary
``except LookupError`` or ``except ValueError`` still catches them.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AWSError",
    "NotFound",
    "AlreadyExists",
    "InvalidParameter",
    "DependencyViolation",
    "InvalidState",
    "LimitExceeded",
    "AccessDenied",
    "Throttling",
    "WaiterError",
    "error_class",
    "listing",
]


class AWSError(Exception):
    """An error with an AWS error code, a teaching message and a botocore-shaped response.

    Args:
        code: the AWS error code, e.g. ``"InvalidVpcID.NotFound"``.
        message: what was wrong and what to do.
        status: the HTTP status AWS answers with (400 unless the family says otherwise).
        operation: the API operation, filled in by the boto3-shaped facade.

    >>> err = AWSError("InvalidParameterValue", "CIDR '10.0.0.0/8' is too large.")
    >>> err.code, err.response["Error"]["Code"], err.response["ResponseMetadata"]["HTTPStatusCode"]
    ('InvalidParameterValue', 'InvalidParameterValue', 400)
    """

    status: int = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        operation: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status
        self.operation = operation
        self.extra = extra

    @property
    def response(self) -> dict[str, Any]:
        """The error as botocore's ``ClientError.response`` holds it."""
        error: dict[str, Any] = {"Code": self.code, "Message": self.message}
        error.update(self.extra)
        return {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": self.status, "RetryAttempts": 0},
        }

    def __str__(self) -> str:
        where = f" when calling the {self.operation} operation" if self.operation else ""
        return f"An error occurred ({self.code}){where}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"

    def __reduce__(self):  # keep errors picklable across processes (grader, nbclient)
        return (_rebuild, (type(self), self.code, self.message, self.status, self.operation, self.extra))


def _rebuild(cls, code, message, status, operation, extra):
    return cls(code, message, status=status, operation=operation, **extra)


class NotFound(AWSError, LookupError):
    """A resource that does not exist (``InvalidVpcID.NotFound``, ``NoSuchBucket``...)."""


class AlreadyExists(AWSError, ValueError):
    """A name or resource that is already taken (``BucketAlreadyExists``...)."""

    status = 409


class InvalidParameter(AWSError, ValueError):
    """A parameter that breaks an AWS rule (``InvalidParameterValue``, ``InvalidSubnet.Range``...)."""


class DependencyViolation(AWSError, RuntimeError):
    """A resource that is still in use by another (``DependencyViolation``, ``BucketNotEmpty``)."""


class InvalidState(AWSError, RuntimeError):
    """An action the resource's current state does not allow (``IncorrectInstanceState``...)."""


class LimitExceeded(AWSError, RuntimeError):
    """A quota reached (``VpcLimitExceeded``, ``RulesPerSecurityGroupLimitExceeded``...)."""


class AccessDenied(AWSError, PermissionError):
    """A request the caller's policies do not allow (``AccessDenied``)."""

    status = 403


class Throttling(AWSError, RuntimeError):
    """Too many requests (``TooManyRequestsException``, ``ProvisionedThroughputExceededException``)."""

    status = 429


class WaiterError(AWSError, TimeoutError):
    """A waiter whose condition never held, shaped like botocore's ``WaiterError``."""

    def __init__(self, name: str, reason: str, last_response: dict | None = None) -> None:
        super().__init__("WaiterError", f"Waiter {name} failed: {reason}")
        self.name = name
        self.kwargs = {"reason": reason, "last_response": last_response or {}}
        self.last_response = last_response or {}


_FAMILIES = {
    "NotFound": NotFound,
    "AlreadyExists": AlreadyExists,
    "InvalidParameter": InvalidParameter,
}


def error_class(code: str) -> type[AWSError]:
    """The family an AWS error code belongs to, judged from the code's own words.

    >>> error_class("InvalidVpcID.NotFound").__name__
    'NotFound'
    >>> error_class("DependencyViolation").__name__
    'DependencyViolation'
    """
    if code.endswith("NotFound") or code.startswith("NoSuch") or code.endswith("NotFoundException"):
        return NotFound
    if "AlreadyExists" in code or code.endswith(".Duplicate") or "AlreadyOwned" in code:
        return AlreadyExists
    if code in ("DependencyViolation", "BucketNotEmpty", "ResourceInUse", "ResourceInUseException"):
        return DependencyViolation
    if code.startswith("Incorrect") or code.startswith("InvalidState") or code == "InvalidObjectState":
        return InvalidState
    if "LimitExceeded" in code:
        return LimitExceeded
    if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
        return AccessDenied
    if code in ("Throttling", "TooManyRequestsException", "ProvisionedThroughputExceededException"):
        return Throttling
    if code.startswith("Invalid") or code.startswith("Malformed") or code in (
        "ValidationError",
        "ValidationException",
        "MissingParameter",
        "UnknownParameter",
    ):
        return InvalidParameter
    return AWSError


def raise_error(code: str, message: str, **kwargs: Any):
    """Raise the right family of :class:`AWSError` for ``code``."""
    raise error_class(code)(code, message, **kwargs)


def listing(items, empty: str = "none", limit: int = 20) -> str:
    """A short, comma-separated list for error messages ("the VPCs here are: ..."), capped.

    >>> listing(["vpc-1", "vpc-2"]), listing([]), listing(range(25), limit=3)
    ('vpc-1, vpc-2', 'none', '0, 1, 2, ... (22 more)')
    """
    items = [str(i) for i in items]
    if not items:
        return empty
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")
