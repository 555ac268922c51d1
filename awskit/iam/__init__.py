"""IAM: who can do what in an account, and STS: temporary credentials for roles.

A principal (the root user, an IAM user, or a session of an assumed role) makes each
request; policies attached to it, to its groups, to its role, and to the resource decide
whether AWS lets the request through.  Nothing is allowed until a policy allows it, and an
explicit Deny beats any Allow.  IAM is global: ``cloud.iam`` is the same in every region.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=0)
>>> dev = cloud.iam.create_user("dev")
>>> _ = cloud.iam.attach_user_policy(dev, "arn:aws:iam::aws:policy/ReadOnlyAccess")
>>> with cloud.as_principal(dev):
...     cloud.iam.list_users() == [dev]
True
"""

from .access import Acting, bind_credentials
from .entities import (
                       AccessKey,
                       AccessKeyStatus,
                       AssumedRoleSession,
                       Group,
                       InstanceProfile,
                       LoginProfile,
                       ManagedPolicy,
                       MFADevice,
                       PolicyVersion,
                       Role,
                       Root,
                       User,
)
from .managed import AWS_MANAGED_POLICIES
from .policy import Decision, MatchedStatement, Policy, PolicyKind, evaluate, parse_policy
from .service import IAMService

__all__ = [
                       "AWS_MANAGED_POLICIES",
                       "AccessKey",
                       "AccessKeyStatus",
                       "Acting",
                       "AssumedRoleSession",
                       "Decision",
                       "Group",
                       "IAMService",
                       "InstanceProfile",
                       "LoginProfile",
                       "MFADevice",
                       "ManagedPolicy",
                       "MatchedStatement",
                       "Policy",
                       "PolicyKind",
                       "PolicyVersion",
                       "Role",
                       "Root",
                       "User",
                       "bind_credentials",
                       "evaluate",
                       "parse_policy",
]
