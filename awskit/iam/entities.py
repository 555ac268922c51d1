"""The IAM records: users, groups, roles, managed policies, access keys, instance profiles.

Each principal (the root user, an IAM user, an assumed-role session) knows its ARN, its
identity-based policies and the request-context keys AWS fills in for it, which is all the
evaluator needs to decide a request it makes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .policy import Policy

__all__ = [
    "AccessKey",
    "AccessKeyStatus",
    "AssumedRoleSession",
    "Group",
    "InstanceProfile",
    "LoginProfile",
    "MFADevice",
    "ManagedPolicy",
    "PolicyVersion",
    "Role",
    "Root",
    "User",
]

#: The address requests come from unless a caller says otherwise (TEST-NET-3, RFC 5737).
DEFAULT_SOURCE_IP = "203.0.113.10"


class AccessKeyStatus(str, Enum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"


def _html_table(title: str, rows: list[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in rows)
    return f"<b>{html.escape(title)}</b><table>{body}</table>"


def _cap(items: list[str], n: int = 10) -> str:
    shown = ", ".join(items[:n])
    return shown + (f" ... ({len(items) - n} more)" if len(items) > n else "")


@dataclass(slots=True, kw_only=True)
class PolicyVersion:
    """One version of a managed policy; the default version is the one that applies."""

    version_id: str
    policy: Policy
    create_date: float

    @property
    def document(self) -> dict:
        return self.policy.document


@dataclass(slots=True, kw_only=True, eq=False)
class ManagedPolicy:
    """A standalone policy with an ARN, attachable to users, groups and roles (up to 5 versions)."""

    name: str
    id: str
    arn: str
    path: str = "/"
    description: str = ""
    aws_managed: bool = False
    create_date: float = 0.0
    update_date: float = 0.0
    versions: dict[str, PolicyVersion] = field(default_factory=dict, repr=False)
    default_version_id: str = "v1"
    next_version: int = 2
    tags: dict[str, str] = field(default_factory=dict)
    attached_to: list[Any] = field(default_factory=list, repr=False)

    @property
    def policy(self) -> Policy:
        """The default version's parsed document."""
        return self.versions[self.default_version_id].policy

    @property
    def document(self) -> dict:
        return self.policy.document

    @property
    def attachment_count(self) -> int:
        return len(self.attached_to)

    @property
    def source_type(self) -> str:
        return "aws-managed" if self.aws_managed else "user-managed"

    def __repr__(self) -> str:
        return f"ManagedPolicy({self.arn!r}, default={self.default_version_id!r}, attachments={self.attachment_count})"

    def _repr_html_(self) -> str:
        return _html_table(f"Managed policy {self.name}", [
            ("ARN", self.arn), ("Default version", self.default_version_id),
            ("Attached to", _cap([getattr(e, "name", "?") for e in self.attached_to])),
            ("Statements", len(self.policy.statements))])


class _Holder:
    """What users, groups and roles share: inline and attached policies."""

    __slots__ = ()

    def _own_policies(self, kind: str) -> list[tuple[str, str, Policy]]:
        out = [(name, kind, pol) for name, pol in self.inline_policies.items()]  # type: ignore[attr-defined]
        out += [(mp.name, mp.source_type, mp.policy) for mp in self.attached_policies.values()]  # type: ignore[attr-defined]
        return out


@dataclass(slots=True, kw_only=True, eq=False)
class Group(_Holder):
    """A set of users that share the group's policies (groups cannot be principals)."""

    name: str
    id: str
    arn: str
    path: str = "/"
    create_date: float = 0.0
    users: list[User] = field(default_factory=list, repr=False)
    inline_policies: dict[str, Policy] = field(default_factory=dict, repr=False)
    attached_policies: dict[str, ManagedPolicy] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"Group({self.name!r}, users={[u.name for u in self.users]})"


@dataclass(slots=True, kw_only=True, eq=False)
class AccessKey:
    """A long-term credential of a user.  The secret is shown once, when the key is made."""

    id: str
    user: User = field(repr=False)
    secret: str = field(repr=False)
    status: AccessKeyStatus = AccessKeyStatus.ACTIVE
    create_date: float = 0.0
    last_used: float | None = None
    last_used_service: str | None = None

    @property
    def account_id(self) -> str:
        return self.user.account_id

    def age_days(self, now: float) -> float:
        """Days since the key was made: rotation checks flag keys older than 90 days."""
        return (now - self.create_date) / 86400.0

    def __repr__(self) -> str:
        return f"AccessKey({self.id!r}, user={self.user.name!r}, status={self.status.value!r})"


@dataclass(slots=True, kw_only=True, eq=False)
class LoginProfile:
    """A console password for a user (awskit keeps no password, only the fact)."""

    user: User = field(repr=False)
    create_date: float = 0.0
    password_reset_required: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class MFADevice:
    """A virtual MFA device, enabled for at most one user (or the root user)."""

    serial_number: str
    user: Any = field(default=None, repr=False)
    enable_date: float | None = None
    create_date: float = 0.0


class _Principal:
    """What the evaluator asks of whoever makes a request."""

    __slots__ = ()
    kind = "principal"

    def request_context(self, now_iso: str, now: float) -> dict[str, Any]:
        ctx = {"aws:currenttime": now_iso, "aws:epochtime": int(now), "aws:securetransport": True,
               "aws:sourceip": DEFAULT_SOURCE_IP, "aws:principalarn": self.arn,  # type: ignore[attr-defined]
               "aws:principalaccount": self.account_id, "aws:userid": self.user_id,  # type: ignore[attr-defined]
               "aws:principaltype": self.principal_type}  # type: ignore[attr-defined]
        return ctx

    def principal_info(self) -> dict[str, Any]:
        return {"arn": self.arn, "account": self.account_id}  # type: ignore[attr-defined]


@dataclass(slots=True, kw_only=True, eq=False)
class User(_Holder, _Principal):
    """An IAM user: a person or program with long-term credentials."""

    name: str
    id: str
    arn: str
    account_id: str
    path: str = "/"
    create_date: float = 0.0
    tags: dict[str, str] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list, repr=False)
    inline_policies: dict[str, Policy] = field(default_factory=dict, repr=False)
    attached_policies: dict[str, ManagedPolicy] = field(default_factory=dict, repr=False)
    access_keys: list[AccessKey] = field(default_factory=list, repr=False)
    login_profile: LoginProfile | None = field(default=None, repr=False)
    mfa_devices: list[MFADevice] = field(default_factory=list, repr=False)
    permissions_boundary: ManagedPolicy | None = field(default=None, repr=False)
    password_last_used: float | None = None
    kind = "user"
    principal_type = "User"

    @property
    def user_id(self) -> str:
        return self.id

    def identity_policies(self) -> list[tuple[str, str, Policy]]:
        out = self._own_policies("user")
        for g in self.groups:
            out += g._own_policies("group")
        return out

    def boundaries(self) -> list[tuple[str, str, Policy]]:
        b = self.permissions_boundary
        return [(b.name, "permissions-boundary", b.policy)] if b else []

    def request_context(self, now_iso: str, now: float) -> dict[str, Any]:
        ctx = _Principal.request_context(self, now_iso, now)
        ctx["aws:username"] = self.name
        # Requests signed with a user's long-term access key carry no MFA key at all,
        # which is why AWS recommends "BoolIfExists" for MFA conditions.
        return ctx

    def __repr__(self) -> str:
        return f"User({self.name!r}, arn={self.arn!r})"

    def _repr_html_(self) -> str:
        return _html_table(f"IAM user {self.name}", [
            ("ARN", self.arn), ("Groups", _cap([g.name for g in self.groups])),
            ("Attached policies", _cap(list(self.attached_policies))),
            ("Inline policies", _cap(list(self.inline_policies))),
            ("Access keys", _cap([f"{k.id} ({k.status.value})" for k in self.access_keys])),
            ("MFA", "yes" if self.mfa_devices else "no")])


@dataclass(slots=True, kw_only=True, eq=False)
class Role(_Holder):
    """An identity with permissions but no long-term credentials; trusted principals assume it."""

    name: str
    id: str
    arn: str
    account_id: str
    trust_policy: Policy = field(repr=False)
    path: str = "/"
    description: str = ""
    max_session_duration: int = 3600
    create_date: float = 0.0
    tags: dict[str, str] = field(default_factory=dict)
    inline_policies: dict[str, Policy] = field(default_factory=dict, repr=False)
    attached_policies: dict[str, ManagedPolicy] = field(default_factory=dict, repr=False)
    instance_profiles: list[InstanceProfile] = field(default_factory=list, repr=False)
    permissions_boundary: ManagedPolicy | None = field(default=None, repr=False)
    last_used: float | None = None

    def identity_policies(self) -> list[tuple[str, str, Policy]]:
        return self._own_policies("role")

    def __repr__(self) -> str:
        return f"Role({self.name!r}, arn={self.arn!r})"

    def _repr_html_(self) -> str:
        trusted = [str(s.principal) for s in self.trust_policy.statements if s.effect == "Allow"]
        return _html_table(f"IAM role {self.name}", [
            ("ARN", self.arn), ("Trusted", _cap(trusted)),
            ("Attached policies", _cap(list(self.attached_policies))),
            ("Inline policies", _cap(list(self.inline_policies))),
            ("Max session", f"{self.max_session_duration} s")])


@dataclass(slots=True, kw_only=True, eq=False)
class InstanceProfile:
    """A container that passes one role to an EC2 instance."""

    name: str
    id: str
    arn: str
    path: str = "/"
    create_date: float = 0.0
    roles: list[Role] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def role(self) -> Role | None:
        return self.roles[0] if self.roles else None

    def __repr__(self) -> str:
        return f"InstanceProfile({self.name!r}, role={self.role.name if self.role else None!r})"


@dataclass(slots=True, kw_only=True, eq=False)
class Root(_Principal):
    """The account's root user: every permission in its own account, and no way to limit it."""

    account_id: str
    mfa_enabled: bool = False
    access_keys: list[AccessKey] = field(default_factory=list, repr=False)
    kind = "root"
    principal_type = "Account"

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"

    @property
    def user_id(self) -> str:
        return self.account_id

    @property
    def name(self) -> str:
        return "root"

    def identity_policies(self) -> list[tuple[str, str, Policy]]:
        return []

    def boundaries(self) -> list[tuple[str, str, Policy]]:
        return []

    def __repr__(self) -> str:
        return f"Root(account={self.account_id!r}, mfa={self.mfa_enabled})"


@dataclass(slots=True, kw_only=True, eq=False)
class AssumedRoleSession(_Principal):
    """Temporary credentials for a role, made by ``AssumeRole``; they expire."""

    role: Role
    session_name: str
    access_key_id: str
    secret: str = field(repr=False)
    session_token: str = field(repr=False)
    expiration: float
    issued: float = 0.0
    session_policy: Policy | None = field(default=None, repr=False)
    source_arn: str | None = None
    mfa: bool = False
    kind = "assumed-role"
    principal_type = "AssumedRole"

    @property
    def account_id(self) -> str:
        return self.role.account_id

    @property
    def arn(self) -> str:
        return f"arn:aws:sts::{self.account_id}:assumed-role/{self.role.name}/{self.session_name}"

    @property
    def user_id(self) -> str:
        return f"{self.role.id}:{self.session_name}"

    @property
    def name(self) -> str:
        return self.session_name

    def expired(self, now: float) -> bool:
        return now >= self.expiration

    def identity_policies(self) -> list[tuple[str, str, Policy]]:
        return self.role.identity_policies()

    def boundaries(self) -> list[tuple[str, str, Policy]]:
        out = []
        b = self.role.permissions_boundary
        if b:
            out.append((b.name, "permissions-boundary", b.policy))
        if self.session_policy is not None:
            out.append(("session-policy", "session", self.session_policy))
        return out

    def principal_info(self) -> dict[str, Any]:
        return {"arn": self.arn, "account": self.account_id, "role_arn": self.role.arn}

    def request_context(self, now_iso: str, now: float) -> dict[str, Any]:
        ctx = _Principal.request_context(self, now_iso, now)
        ctx["aws:principalarn"] = self.role.arn  # AWS reports the role's ARN here, not the session's
        ctx["aws:multifactorauthpresent"] = self.mfa
        ctx["aws:rolesessionname"] = self.session_name
        return ctx

    def __repr__(self) -> str:
        return f"AssumedRoleSession({self.arn!r}, expires={self.expiration:g})"
