"""boto3-shaped STS client: who am I, and temporary credentials for a role.

A client made with the returned credentials (``cloud.client("s3",
aws_access_key_id=..., aws_secret_access_key=..., aws_session_token=...)``) acts as the
role session, in the role's account, until the credentials expire on the simulated clock.
"""

from __future__ import annotations

from typing import Any

from ..iam.entities import AssumedRoleSession, Root
from .base import BaseClient, ParamValidationError, check_type

__all__ = ["STSClient"]


class STSClient(BaseClient):
    """``cloud.client("sts")``: GetCallerIdentity and AssumeRole."""

    service_name = "sts"
    error_codes = ("ExpiredToken", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabled",
                   "InvalidClientTokenId", "AccessDenied", "ValidationError")

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        for code in ("ExpiredToken", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabled"):
            setattr(self.exceptions, f"{code}Exception", self.exceptions.from_code(code))

    def get_caller_identity(self):
        who = self._cloud.iam.get_caller_identity()
        user_id = who.account_id if isinstance(who, Root) else who.user_id
        return {"UserId": user_id, "Account": who.account_id, "Arn": who.arn}

    def assume_role(self, *, RoleArn, RoleSessionName, DurationSeconds=3600, ExternalId=None, Policy=None,
                    PolicyArns=None, Tags=None, TransitiveTagKeys=None, SerialNumber=None, TokenCode=None,
                    SourceIdentity=None, ProvidedContexts=None):
        check_type("RoleArn", RoleArn, str)
        check_type("RoleSessionName", RoleSessionName, str)
        if not 2 <= len(RoleSessionName) <= 64:
            raise ParamValidationError(f"Invalid length for parameter RoleSessionName, value: "
                                       f"{len(RoleSessionName)}, valid min length: 2")
        if len(RoleArn) < 20:
            raise ParamValidationError(f"Invalid length for parameter RoleArn, value: {len(RoleArn)}, "
                                       f"valid min length: 20")
        check_type("DurationSeconds", DurationSeconds, int)
        if Policy is not None:
            check_type("Policy", Policy, str)
        session: AssumedRoleSession = self._cloud.iam.assume_role(
            RoleArn, RoleSessionName, duration_seconds=DurationSeconds, external_id=ExternalId, policy=Policy)
        clock = self._cloud.clock
        out = {
            "Credentials": {"AccessKeyId": session.access_key_id, "SecretAccessKey": session.secret,
                            "SessionToken": session.session_token,
                            "Expiration": clock.to_datetime(session.expiration)},
            "AssumedRoleUser": {"AssumedRoleId": session.user_id, "Arn": session.arn},
            "PackedPolicySize": 0 if Policy is None else min(100, len(Policy) // 20 + 6),
        }
        if SourceIdentity is not None:
            out["SourceIdentity"] = SourceIdentity
        return out
