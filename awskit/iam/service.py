"""IAMService: the account's users, groups, roles, policies, keys and instance profiles.

IAM is global: one per account, the same in every region.  Every operation checks the
caller's permissions first (``iam:CreateUser`` on the new user's ARN...), so acting as a
limited user through :meth:`awskit.Cloud.as_principal` shows least privilege at work.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable
from typing import Any

from ..core.errors import (
    AlreadyExists,
    DependencyViolation,
    InvalidParameter,
    LimitExceeded,
    NotFound,
)
from .access import _Access
from .credentials import GROUPS_PER_USER, _Credentials
from .entities import (
    Group,
    InstanceProfile,
    ManagedPolicy,
    MFADevice,
    PolicyVersion,
    Role,
    Root,
    User,
)
from .managed import AWS_MANAGED_POLICIES, aws_managed_arn
from .policies import _Policies
from .policy import PolicyKind, parse_policy

__all__ = ["IAMService"]

_NAME = re.compile(r"[\w+=,.@-]+")
_PATH = re.compile(r"/([\x21-\x7E]*/)?")
_ID_CHARS = string.ascii_uppercase + string.digits
_KEY_CHARS = string.ascii_uppercase + "234567"
_SECRET_CHARS = string.ascii_letters + string.digits + "+/"
#: An instance profile holds one role (AWS IAM quotas).
ROLES_PER_INSTANCE_PROFILE = 1



def _validation(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationError", message)


def _no_such(kind: str, name: str, known: Iterable[str]) -> NotFound:
    known = sorted(known)
    listing = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "") if known else "none yet"
    return NotFound("NoSuchEntity", f"The {kind} with name {name} cannot be found. "
                                    f"{kind.capitalize()}s in this account: {listing}.", status=404)


def _path_prefix(value: Any) -> str:
    """A PathPrefix as IAM takes it: a string starting and usually ending with '/'."""
    if not isinstance(value, str) or not value.startswith("/"):
        raise InvalidParameter("ValidationError", f"Path prefix {value!r:.60} is not valid: give a path such "
                               "as '/' (everything) or '/engineering/'.")
    return value


class IAMService(_Policies, _Credentials, _Access):
    """Identity and Access Management for one account (``cloud.iam``).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=0)
    >>> alice = cloud.iam.create_user("alice")
    >>> alice.arn == f"arn:aws:iam::{cloud.account_id}:user/alice", alice.id[:4], len(alice.id)
    (True, 'AIDA', 21)
    >>> _ = cloud.iam.attach_user_policy(alice, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    >>> cloud.iam.simulate_principal_policy(alice, ["s3:GetObject", "s3:PutObject"])[1].decision
    'implicitDeny'
    """

    def __init__(self, cloud) -> None:
        self.cloud = cloud
        self.account_id: str = cloud.account_id
        self.root = Root(account_id=self.account_id)
        self.users: dict[str, User] = {}            # keyed by lower-case name: IAM names ignore case
        self.groups: dict[str, Group] = {}
        self.roles: dict[str, Role] = {}
        self.policies: dict[str, ManagedPolicy] = {}  # customer managed, by ARN
        self._aws_policies: dict[str, ManagedPolicy] = {}
        self.instance_profiles: dict[str, InstanceProfile] = {}
        self.mfa_devices: dict[str, MFADevice] = {}
        self._acting: list = []
        self._sessions: dict[str, Any] = {}

    # -- helpers -----------------------------------------------------------------
    @property
    def _now(self) -> float:
        return self.cloud.clock.now

    def _unique_id(self, prefix: str) -> str:
        rng = self.cloud.rng
        return prefix + "".join(rng.choice(_ID_CHARS) for _ in range(17))

    def _key_id(self, prefix: str) -> str:
        table = self.cloud.namespace("iam.credentials")
        while True:
            key = prefix + "".join(self.cloud.rng.choice(_KEY_CHARS) for _ in range(16))
            if key not in table:
                return key

    def _secret(self, n: int = 40) -> str:
        return "".join(self.cloud.rng.choice(_SECRET_CHARS) for _ in range(n))

    def _arn(self, kind: str, path: str, name: str) -> str:
        return f"arn:aws:iam::{self.account_id}:{kind}{path}{name}"

    @staticmethod
    def _check_name(value: Any, param: str, max_len: int = 64) -> str:
        if not isinstance(value, str) or not 1 <= len(value) <= max_len or not _NAME.fullmatch(value):
            raise _validation(f"1 validation error detected: Value {value!r} at '{param}' failed to satisfy "
                              f"constraint: 1 to {max_len} characters of letters, digits and +=,.@_-.")
        return value

    @staticmethod
    def _check_path(path: Any) -> str:
        if not isinstance(path, str) or len(path) > 512 or not _PATH.fullmatch(path):
            raise _validation(f"The path {path!r} is not valid: a path starts and ends with '/', e.g. '/' or "
                              f"'/engineering/'.")
        return path

    @staticmethod
    def _check_tags(tags: Any) -> dict[str, str]:
        if tags is None:
            return {}
        if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
            raise _validation(f"Tags are a dict of strings to strings, not {tags!r}.")
        if len(tags) > 50:
            raise LimitExceeded("LimitExceeded", f"An IAM resource can have at most 50 tags, not {len(tags)}.",
                                status=409)
        return dict(tags)

    def _name_of(self, thing: Any, cls: type, param: str) -> str:
        if isinstance(thing, cls):
            return thing.name  # type: ignore[attr-defined]
        return self._check_name(thing, param, 128)

    def _user(self, user: Any) -> User:
        name = self._name_of(user, User, "userName")
        found = self.users.get(name.lower())
        if found is None or (isinstance(user, User) and found is not user):
            raise _no_such("user", name, (u.name for u in self.users.values()))
        return found

    def _group(self, group: Any) -> Group:
        name = self._name_of(group, Group, "groupName")
        found = self.groups.get(name.lower())
        if found is None or (isinstance(group, Group) and found is not group):
            raise _no_such("group", name, (g.name for g in self.groups.values()))
        return found

    def _role(self, role: Any) -> Role:
        if isinstance(role, str) and role.startswith("arn:"):
            role = role.rsplit("/", 1)[-1]
        name = self._name_of(role, Role, "roleName")
        found = self.roles.get(name.lower())
        if found is None or (isinstance(role, Role) and found is not role):
            raise _no_such("role", name, (r.name for r in self.roles.values()))
        return found

    def _profile(self, profile: Any) -> InstanceProfile:
        name = self._name_of(profile, InstanceProfile, "instanceProfileName")
        found = self.instance_profiles.get(name.lower())
        if found is None:
            raise _no_such("instance profile", name, (p.name for p in self.instance_profiles.values()))
        return found

    def _policy(self, policy: Any) -> ManagedPolicy:
        if isinstance(policy, ManagedPolicy):
            return policy
        if not isinstance(policy, str) or not policy.startswith("arn:aws:iam::"):
            raise _validation(f"A managed policy is named by its ARN, e.g. "
                              f"'arn:aws:iam::aws:policy/ReadOnlyAccess', not {policy!r}.")
        if policy.startswith("arn:aws:iam::aws:policy/"):
            name = policy.rsplit("/", 1)[-1]
            if name in AWS_MANAGED_POLICIES and aws_managed_arn(name) == policy:
                return self._aws_policy(name)
        found = self.policies.get(policy)
        if found is None:
            raise NotFound("NoSuchEntity", f"Policy {policy} does not exist or is not attachable. "
                                           f"Customer managed policies: {', '.join(self.policies) or 'none'}; "
                                           f"AWS managed policies modelled: {', '.join(AWS_MANAGED_POLICIES)}.",
                           status=404)
        return found

    def _aws_policy(self, name: str) -> ManagedPolicy:
        mp = self._aws_policies.get(name)
        if mp is None:
            path, description, doc = AWS_MANAGED_POLICIES[name]
            digest = hashlib.sha256(name.encode()).digest()
            pid = "ANPA" + "".join(_ID_CHARS[b % len(_ID_CHARS)] for b in digest[:17])
            mp = ManagedPolicy(name=name, id=pid, arn=aws_managed_arn(name), path=path, description=description,
                               aws_managed=True, create_date=0.0, update_date=0.0)
            mp.versions["v1"] = PolicyVersion(version_id="v1", policy=parse_policy(doc), create_date=0.0)
            self._aws_policies[name] = mp
        return mp

    # -- users ---------------------------------------------------------------------
    def create_user(self, name: str, *, path: str = "/", tags: dict[str, str] | None = None,
                    permissions_boundary: Any = None) -> User:
        """Create an IAM user (no permissions and no credentials until you add them).

        Raises: ValidationError, EntityAlreadyExists, NoSuchEntity (boundary policy).
        """
        self._check_name(name, "userName")
        self._check_path(path)
        arn = self._arn("user", path, name)
        self._auth("iam:CreateUser", arn)
        if name.lower() in self.users:
            raise AlreadyExists("EntityAlreadyExists", f"User with name {name} already exists. "
                                "IAM user names are unique ignoring case.", status=409)
        boundary = self._policy(permissions_boundary) if permissions_boundary is not None else None
        user = User(name=name, id=self._unique_id("AIDA"), arn=arn, account_id=self.account_id, path=path,
                    create_date=self._now, tags=self._check_tags(tags), permissions_boundary=boundary)
        self.users[name.lower()] = user
        self.cloud.events.publish("iam.user.created", user=user)
        return user

    def get_user(self, user: Any = None) -> User | Root:
        """A user by name; with no name, the calling user (the root user by default)."""
        if user is None:
            caller = self.caller
            self._auth("iam:GetUser", caller.arn)
            return caller.role if hasattr(caller, "role") else caller
        found = self._user(user)
        self._auth("iam:GetUser", found.arn)
        return found

    def list_users(self, path_prefix: str = "/") -> list[User]:
        path_prefix = _path_prefix(path_prefix)
        self._auth("iam:ListUsers", self._arn("user", "/", ""))
        return sorted((u for u in self.users.values() if u.path.startswith(path_prefix)), key=lambda u: u.name)

    def delete_user(self, user: Any) -> None:
        """Delete a user that has nothing left: AWS refuses while keys, policies or groups remain.

        Raises: NoSuchEntity, DeleteConflict.
        """
        u = self._user(user)
        self._auth("iam:DeleteUser", u.arn)
        for what, present in (("access keys", u.access_keys), ("policies", u.inline_policies),
                              ("login profile", u.login_profile), ("MFA devices", u.mfa_devices)):
            if present:
                raise DependencyViolation("DeleteConflict", f"Cannot delete entity, must delete {what} first "
                                          f"(user {u.name}).", status=409)
        if u.attached_policies:
            raise DependencyViolation("DeleteConflict", f"Cannot delete entity, must detach all policies first "
                                      f"(user {u.name}: {', '.join(u.attached_policies)}).", status=409)
        if u.groups:
            raise DependencyViolation("DeleteConflict", f"Cannot delete entity, must remove users from group "
                                      f"first (user {u.name} is in {', '.join(g.name for g in u.groups)}).",
                                      status=409)
        del self.users[u.name.lower()]
        self.cloud.events.publish("iam.user.deleted", user=u)

    # -- groups ------------------------------------------------------------------------
    def create_group(self, name: str, *, path: str = "/") -> Group:
        self._check_name(name, "groupName", 128)
        self._check_path(path)
        arn = self._arn("group", path, name)
        self._auth("iam:CreateGroup", arn)
        if name.lower() in self.groups:
            raise AlreadyExists("EntityAlreadyExists", f"Group with name {name} already exists.", status=409)
        group = Group(name=name, id=self._unique_id("AGPA"), arn=arn, path=path, create_date=self._now)
        self.groups[name.lower()] = group
        return group

    def get_group(self, group: Any) -> Group:
        g = self._group(group)
        self._auth("iam:GetGroup", g.arn)
        return g

    def list_groups(self, path_prefix: str = "/") -> list[Group]:
        path_prefix = _path_prefix(path_prefix)
        self._auth("iam:ListGroups", self._arn("group", "/", ""))
        return sorted((g for g in self.groups.values() if g.path.startswith(path_prefix)), key=lambda g: g.name)

    def delete_group(self, group: Any) -> None:
        g = self._group(group)
        self._auth("iam:DeleteGroup", g.arn)
        if g.users:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must remove users from group first "
                                      f"({', '.join(u.name for u in g.users)}).", status=409)
        if g.inline_policies:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must delete policies first.", status=409)
        if g.attached_policies:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must detach all policies first.",
                                      status=409)
        del self.groups[g.name.lower()]

    def add_user_to_group(self, group: Any, user: Any) -> None:
        g, u = self._group(group), self._user(user)
        self._auth("iam:AddUserToGroup", g.arn)
        if g in u.groups:
            return  # AWS accepts adding a member twice
        if len(u.groups) >= GROUPS_PER_USER:
            raise LimitExceeded("LimitExceeded", f"Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}.",
                                status=409)
        u.groups.append(g)
        g.users.append(u)

    def remove_user_from_group(self, group: Any, user: Any) -> None:
        g, u = self._group(group), self._user(user)
        self._auth("iam:RemoveUserFromGroup", g.arn)
        if g not in u.groups:
            raise NotFound("NoSuchEntity", f"User {u.name} is not in group {g.name}.", status=404)
        u.groups.remove(g)
        g.users.remove(u)

    def list_groups_for_user(self, user: Any) -> list[Group]:
        u = self._user(user)
        self._auth("iam:ListGroupsForUser", u.arn)
        return list(u.groups)

    # -- roles ---------------------------------------------------------------------------
    def create_role(self, name: str, assume_role_policy: Any, *, path: str = "/", description: str = "",
                    max_session_duration: int = 3600, tags: dict[str, str] | None = None,
                    permissions_boundary: Any = None) -> Role:
        """Create a role; its trust policy says who may assume it.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=0)
        >>> trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        ...          "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        >>> cloud.iam.create_role("web-server", trust).id[:4]
        'AROA'

        Raises: ValidationError, EntityAlreadyExists, MalformedPolicyDocument.
        """
        self._check_name(name, "roleName")
        self._check_path(path)
        if (not isinstance(max_session_duration, int) or isinstance(max_session_duration, bool)
                or not 3600 <= max_session_duration <= 43200):
            raise _validation(f"MaxSessionDuration must be between 3600 and 43200 seconds (1 to 12 hours), "
                              f"not {max_session_duration!r}.")
        if not isinstance(description, str) or len(description) > 1000:
            raise _validation("A role description is a string of at most 1000 characters.")
        arn = self._arn("role", path, name)
        self._auth("iam:CreateRole", arn)
        if name.lower() in self.roles:
            raise AlreadyExists("EntityAlreadyExists", f"Role with name {name} already exists.", status=409)
        trust = parse_policy(assume_role_policy, PolicyKind.TRUST)
        boundary = self._policy(permissions_boundary) if permissions_boundary is not None else None
        role = Role(name=name, id=self._unique_id("AROA"), arn=arn, account_id=self.account_id, trust_policy=trust,
                    path=path, description=description, max_session_duration=max_session_duration,
                    create_date=self._now, tags=self._check_tags(tags), permissions_boundary=boundary)
        self.roles[name.lower()] = role
        self.cloud.events.publish("iam.role.created", role=role)
        return role

    def get_role(self, role: Any) -> Role:
        r = self._role(role)
        self._auth("iam:GetRole", r.arn)
        return r

    def list_roles(self, path_prefix: str = "/") -> list[Role]:
        path_prefix = _path_prefix(path_prefix)
        self._auth("iam:ListRoles", self._arn("role", "/", ""))
        return sorted((r for r in self.roles.values() if r.path.startswith(path_prefix)), key=lambda r: r.name)

    def update_assume_role_policy(self, role: Any, document: Any) -> Role:
        r = self._role(role)
        self._auth("iam:UpdateAssumeRolePolicy", r.arn)
        r.trust_policy = parse_policy(document, PolicyKind.TRUST)
        return r

    def delete_role(self, role: Any) -> None:
        """Raises DeleteConflict while the role is in an instance profile or has policies."""
        r = self._role(role)
        self._auth("iam:DeleteRole", r.arn)
        if r.instance_profiles:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must remove roles from instance "
                                      f"profile first ({', '.join(p.name for p in r.instance_profiles)}).", status=409)
        if r.attached_policies:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must detach all policies first "
                                      f"({', '.join(r.attached_policies)}).", status=409)
        if r.inline_policies:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must delete policies first "
                                      f"({', '.join(r.inline_policies)}).", status=409)
        del self.roles[r.name.lower()]

    # -- instance profiles ----------------------------------------------------------------
    def create_instance_profile(self, name: str, *, path: str = "/", tags: dict[str, str] | None = None
                                ) -> InstanceProfile:
        self._check_name(name, "instanceProfileName", 128)
        self._check_path(path)
        arn = self._arn("instance-profile", path, name)
        self._auth("iam:CreateInstanceProfile", arn)
        if name.lower() in self.instance_profiles:
            raise AlreadyExists("EntityAlreadyExists", f"Instance Profile {name} already exists.", status=409)
        profile = InstanceProfile(name=name, id=self._unique_id("AIPA"), arn=arn, path=path, create_date=self._now,
                                  tags=self._check_tags(tags))
        self.instance_profiles[name.lower()] = profile
        return profile

    def get_instance_profile(self, profile: Any) -> InstanceProfile:
        p = self._profile(profile)
        self._auth("iam:GetInstanceProfile", p.arn)
        return p

    def list_instance_profiles(self, path_prefix: str = "/") -> list[InstanceProfile]:
        path_prefix = _path_prefix(path_prefix)
        self._auth("iam:ListInstanceProfiles", self._arn("instance-profile", "/", ""))
        return sorted((p for p in self.instance_profiles.values() if p.path.startswith(path_prefix)),
                      key=lambda p: p.name)

    def add_role_to_instance_profile(self, profile: Any, role: Any) -> InstanceProfile:
        """Put the role in the profile; a profile holds one role at most (LimitExceeded)."""
        p, r = self._profile(profile), self._role(role)
        self._auth("iam:AddRoleToInstanceProfile", p.arn)
        if p.roles:
            raise LimitExceeded("LimitExceeded", f"Cannot exceed quota for InstanceSessionsPerInstanceProfile: "
                                f"{ROLES_PER_INSTANCE_PROFILE} (profile {p.name} already holds role "
                                f"{p.roles[0].name}).", status=409)
        p.roles.append(r)
        r.instance_profiles.append(p)
        return p

    def remove_role_from_instance_profile(self, profile: Any, role: Any) -> None:
        p, r = self._profile(profile), self._role(role)
        self._auth("iam:RemoveRoleFromInstanceProfile", p.arn)
        if r not in p.roles:
            raise NotFound("NoSuchEntity", f"Role {r.name} is not in instance profile {p.name}.", status=404)
        p.roles.remove(r)
        r.instance_profiles.remove(p)

    def delete_instance_profile(self, profile: Any) -> None:
        p = self._profile(profile)
        self._auth("iam:DeleteInstanceProfile", p.arn)
        if p.roles:
            raise DependencyViolation("DeleteConflict", "Cannot delete entity, must remove roles from instance "
                                      f"profile first (role {p.roles[0].name}).", status=409)
        del self.instance_profiles[p.name.lower()]

    def __repr__(self) -> str:
        return (f"IAMService(account={self.account_id!r}, users={len(self.users)}, groups={len(self.groups)}, "
                f"roles={len(self.roles)}, policies={len(self.policies)})")
