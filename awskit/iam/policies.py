"""Managed and inline policies: the IAMService operations that create, version and attach them.

A managed policy stands alone with its own ARN and up to five versions, one of them the
default; it is attached to users, groups and roles.  An inline policy is embedded in one
user, group or role and lives and dies with it.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import (
    AlreadyExists,
    DependencyViolation,
    InvalidParameter,
    LimitExceeded,
    NotFound,
)
from .entities import Group, ManagedPolicy, PolicyVersion, Role, User
from .managed import AWS_MANAGED_POLICIES
from .policy import Policy, PolicyKind, parse_policy

__all__: list[str] = []

#: IAM quotas (AWS IAM and STS quotas page, 2025).
MANAGED_POLICIES_PER_ENTITY = 10
VERSIONS_PER_POLICY = 5


def _validation(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationError", message)


class _Policies:
    """Part of :class:`awskit.iam.IAMService` (``cloud.iam``)."""

    # -- managed policies ------------------------------------------------------------------
    def create_policy(self, name: str, document: Any, *, path: str = "/", description: str = "",
                      tags: dict[str, str] | None = None) -> ManagedPolicy:
        """A customer managed policy (version v1, the default).

        Raises: ValidationError, EntityAlreadyExists, MalformedPolicyDocument.
        """
        self._check_name(name, "policyName", 128)
        self._check_path(path)
        arn = self._arn("policy", path, name)
        self._auth("iam:CreatePolicy", arn)
        if arn in self.policies or any(p.name.lower() == name.lower() for p in self.policies.values()):
            raise AlreadyExists("EntityAlreadyExists", f"A policy called {name} already exists. "
                                "Duplicate names are not allowed.", status=409)
        policy = parse_policy(document, PolicyKind.IDENTITY)
        mp = ManagedPolicy(name=name, id=self._unique_id("ANPA"), arn=arn, path=path, description=description,
                           create_date=self._now, update_date=self._now, tags=self._check_tags(tags))
        mp.versions["v1"] = PolicyVersion(version_id="v1", policy=policy, create_date=self._now)
        self.policies[arn] = mp
        return mp

    def get_policy(self, policy_arn: Any) -> ManagedPolicy:
        mp = self._policy(policy_arn)
        self._auth("iam:GetPolicy", mp.arn)
        return mp

    def list_policies(self, scope: str = "All", *, only_attached: bool = False) -> list[ManagedPolicy]:
        if scope not in ("All", "AWS", "Local"):
            raise _validation(f"Scope must be All, AWS or Local, not {scope!r}.")
        self._auth("iam:ListPolicies", self._arn("policy", "/", ""))
        out: list[ManagedPolicy] = []
        if scope in ("All", "AWS"):
            out += [self._aws_policy(n) for n in AWS_MANAGED_POLICIES]
        if scope in ("All", "Local"):
            out += list(self.policies.values())
        return [p for p in out if p.attached_to or not only_attached]

    def delete_policy(self, policy_arn: Any) -> None:
        mp = self._policy(policy_arn)
        self._auth("iam:DeletePolicy", mp.arn)
        if mp.aws_managed:
            raise InvalidParameter("InvalidInput", f"{mp.arn} is an AWS managed policy: only AWS can delete it.")
        if mp.attached_to:
            raise DependencyViolation("DeleteConflict", "Cannot delete a policy attached to entities "
                                      f"({', '.join(e.name for e in mp.attached_to)}): detach it first.", status=409)
        if len(mp.versions) > 1:
            raise DependencyViolation("DeleteConflict", "This policy has more than one version. Before you "
                                      "delete a policy, you must delete the policy's versions. The default "
                                      "version is deleted with the policy.", status=409)
        del self.policies[mp.arn]

    def create_policy_version(self, policy_arn: Any, document: Any, *, set_as_default: bool = False) -> PolicyVersion:
        """A new version of a customer managed policy (at most 5 kept).  Raises LimitExceeded."""
        mp = self._policy(policy_arn)
        self._auth("iam:CreatePolicyVersion", mp.arn)
        if mp.aws_managed:
            raise InvalidParameter("InvalidInput", f"{mp.arn} is an AWS managed policy: only AWS can change it.")
        if len(mp.versions) >= VERSIONS_PER_POLICY:
            raise LimitExceeded("LimitExceeded", f"A managed policy can have up to {VERSIONS_PER_POLICY} versions. "
                                f"Before you create a new version, you must delete an existing version "
                                f"(non-default: {', '.join(v for v in mp.versions if v != mp.default_version_id)}).",
                                status=409)
        policy = parse_policy(document, PolicyKind.IDENTITY)
        vid = f"v{mp.next_version}"
        mp.next_version += 1
        version = PolicyVersion(version_id=vid, policy=policy, create_date=self._now)
        mp.versions[vid] = version
        if set_as_default:
            mp.default_version_id = vid
        mp.update_date = self._now
        return version

    def _version(self, mp: ManagedPolicy, version_id: Any) -> PolicyVersion:
        v = mp.versions.get(version_id) if isinstance(version_id, str) else None
        if v is None:
            raise NotFound("NoSuchEntity", f"Policy {mp.arn} version {version_id} does not exist. "
                                           f"Versions: {', '.join(mp.versions)}.", status=404)
        return v

    def get_policy_version(self, policy_arn: Any, version_id: str) -> PolicyVersion:
        mp = self._policy(policy_arn)
        self._auth("iam:GetPolicyVersion", mp.arn)
        return self._version(mp, version_id)

    def list_policy_versions(self, policy_arn: Any) -> list[PolicyVersion]:
        mp = self._policy(policy_arn)
        self._auth("iam:ListPolicyVersions", mp.arn)
        return sorted(mp.versions.values(), key=lambda v: -int(v.version_id[1:]))

    def set_default_policy_version(self, policy_arn: Any, version_id: str) -> None:
        mp = self._policy(policy_arn)
        self._auth("iam:SetDefaultPolicyVersion", mp.arn)
        self._version(mp, version_id)
        mp.default_version_id = version_id
        mp.update_date = self._now

    def delete_policy_version(self, policy_arn: Any, version_id: str) -> None:
        mp = self._policy(policy_arn)
        self._auth("iam:DeletePolicyVersion", mp.arn)
        self._version(mp, version_id)
        if version_id == mp.default_version_id:
            raise DependencyViolation("DeleteConflict", "Cannot delete the default version of a policy; make "
                                      "another version the default first.", status=409)
        del mp.versions[version_id]

    # -- attaching managed policies ---------------------------------------------------------
    def _attach(self, holder: Any, policy_arn: Any, action: str) -> ManagedPolicy:
        mp = self._policy(policy_arn)
        self._auth(action, holder.arn)
        if mp.arn not in holder.attached_policies:
            if len(holder.attached_policies) >= MANAGED_POLICIES_PER_ENTITY:
                raise LimitExceeded("LimitExceeded", f"Cannot exceed quota for PoliciesPerUser/Group/Role: "
                                    f"{MANAGED_POLICIES_PER_ENTITY} managed policies.", status=409)
            holder.attached_policies[mp.arn] = mp
            mp.attached_to.append(holder)
        return mp

    def _detach(self, holder: Any, policy_arn: Any, action: str) -> None:
        mp = self._policy(policy_arn)
        self._auth(action, holder.arn)
        if mp.arn not in holder.attached_policies:
            raise NotFound("NoSuchEntity", f"Policy {mp.arn} was not found (it is not attached to {holder.name}; "
                                           f"attached: {', '.join(holder.attached_policies) or 'none'}).", status=404)
        del holder.attached_policies[mp.arn]
        mp.attached_to.remove(holder)

    def attach_user_policy(self, user: Any, policy_arn: Any) -> ManagedPolicy:
        return self._attach(self._user(user), policy_arn, "iam:AttachUserPolicy")

    def detach_user_policy(self, user: Any, policy_arn: Any) -> None:
        self._detach(self._user(user), policy_arn, "iam:DetachUserPolicy")

    def attach_group_policy(self, group: Any, policy_arn: Any) -> ManagedPolicy:
        return self._attach(self._group(group), policy_arn, "iam:AttachGroupPolicy")

    def detach_group_policy(self, group: Any, policy_arn: Any) -> None:
        self._detach(self._group(group), policy_arn, "iam:DetachGroupPolicy")

    def attach_role_policy(self, role: Any, policy_arn: Any) -> ManagedPolicy:
        return self._attach(self._role(role), policy_arn, "iam:AttachRolePolicy")

    def detach_role_policy(self, role: Any, policy_arn: Any) -> None:
        self._detach(self._role(role), policy_arn, "iam:DetachRolePolicy")

    def list_attached_policies(self, entity: User | Group | Role) -> list[ManagedPolicy]:
        """The managed policies attached to a user, group or role object."""
        kind = type(entity).__name__
        if not isinstance(entity, (User, Group, Role)):
            raise InvalidParameter("ValidationError", f"{entity!r:.60} is not a user, group or role: pass the "
                                   "object (e.g. cloud.iam.get_user('alice')).")
        self._auth(f"iam:ListAttached{kind}Policies", entity.arn)
        return list(entity.attached_policies.values())

    # -- inline policies ------------------------------------------------------------------
    def _holder(self, kind: Any, who: Any) -> Any:
        lookups = {"User": self._user, "Group": self._group, "Role": self._role}
        if not isinstance(kind, str) or kind not in lookups:
            raise InvalidParameter("ValidationError", f"Inline policies belong to a user, group or role, not "
                                   f"{who!r:.60}: pass the object, or its name with kind='User', 'Group' or 'Role'.")
        return lookups[kind](who)

    def put_policy(self, entity: Any, name: str, document: Any, *, kind: str | None = None) -> Policy:
        """Embed (or replace) an inline policy in a user, group or role.

        ``entity`` is the object, or its name with ``kind`` "User"/"Group"/"Role".
        Raises: NoSuchEntity, MalformedPolicyDocument, ValidationError.
        """
        holder = self._holder(kind or type(entity).__name__, entity)
        self._check_name(name, "policyName", 128)
        self._auth(f"iam:Put{type(holder).__name__}Policy", holder.arn)
        policy = parse_policy(document, PolicyKind.IDENTITY)
        holder.inline_policies[name] = policy
        return policy

    def get_policy_document(self, entity: Any, name: str, *, kind: str | None = None) -> Policy:
        holder = self._holder(kind or type(entity).__name__, entity)
        self._auth(f"iam:Get{type(holder).__name__}Policy", holder.arn)
        try:
            return holder.inline_policies[name]
        except (KeyError, TypeError):
            raise NotFound("NoSuchEntity", f"The {type(holder).__name__.lower()} policy with name {name} cannot "
                                           f"be found. Inline policies of {holder.name}: "
                                           f"{', '.join(holder.inline_policies) or 'none'}.", status=404) from None

    def delete_inline_policy(self, entity: Any, name: str, *, kind: str | None = None) -> None:
        holder = self._holder(kind or type(entity).__name__, entity)
        self._auth(f"iam:Delete{type(holder).__name__}Policy", holder.arn)
        if not isinstance(name, str) or name not in holder.inline_policies:
            raise NotFound("NoSuchEntity", f"The {type(holder).__name__.lower()} policy with name {name} cannot "
                                           f"be found. Inline policies of {holder.name}: "
                                           f"{', '.join(holder.inline_policies) or 'none'}.", status=404)
        del holder.inline_policies[name]

    def list_inline_policies(self, entity: Any, *, kind: str | None = None) -> list[str]:
        holder = self._holder(kind or type(entity).__name__, entity)
        self._auth(f"iam:List{type(holder).__name__}Policies", holder.arn)
        return sorted(holder.inline_policies)
