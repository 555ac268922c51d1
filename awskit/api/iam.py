"""boto3-shaped IAM client over :class:`awskit.iam.IAMService`.

Responses carry boto3's keys; policy documents come back as dicts, as botocore decodes
them.  boto3 names IAM's exception classes ``NoSuchEntityException`` and so on (the error
code is ``NoSuchEntity``); both spellings are offered on ``client.exceptions``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter, NotFound
from ..iam.entities import (
    AccessKey,
    Group,
    InstanceProfile,
    ManagedPolicy,
    MFADevice,
    PolicyVersion,
    Role,
    User,
)
from .base import BaseClient, ParamValidationError, check_type, from_tags, to_tags

__all__ = ["IAMClient"]

_EXCEPTION_NAMES = {
    "NoSuchEntity": "NoSuchEntityException", "EntityAlreadyExists": "EntityAlreadyExistsException",
    "DeleteConflict": "DeleteConflictException", "LimitExceeded": "LimitExceededException",
    "MalformedPolicyDocument": "MalformedPolicyDocumentException", "InvalidInput": "InvalidInputException",
    "PasswordPolicyViolation": "PasswordPolicyViolationException",
    "InvalidAuthenticationCode": "InvalidAuthenticationCodeException",
}


def _page(items: list, marker: Any, max_items: Any) -> tuple[list, dict]:
    """IAM's Marker/MaxItems paging: returns the page and the IsTruncated/Marker keys."""
    start = 0
    if marker is not None:
        try:
            start = int(check_type("Marker", marker, str), 16)
        except ValueError:
            raise InvalidParameter("ValidationError", f"Marker {marker!r} is not one this API returned.") from None
    size = 100 if max_items is None else check_type("MaxItems", max_items, int)
    if not 1 <= size <= 1000:
        raise InvalidParameter("ValidationError", f"MaxItems must be between 1 and 1000, not {size}.")
    page = items[start:start + size]
    more = start + size < len(items)
    return page, ({"IsTruncated": True, "Marker": f"{start + size:x}"} if more else {"IsTruncated": False})


class IAMClient(BaseClient):
    """``cloud.client("iam")``: users, groups, roles, policies, keys, instance profiles, simulation."""

    service_name = "iam"
    error_codes = tuple(_EXCEPTION_NAMES) + ("ValidationError", "AccessDenied", "ServiceFailure")
    paginators: ClassVar[dict[str, tuple[str, str, str, tuple[str, ...]]]] = {
        "list_users": ("Marker", "Marker", "MaxItems", ("Users",)),
        "list_roles": ("Marker", "Marker", "MaxItems", ("Roles",)),
        "list_groups": ("Marker", "Marker", "MaxItems", ("Groups",)),
        "list_policies": ("Marker", "Marker", "MaxItems", ("Policies",)),
        "list_instance_profiles": ("Marker", "Marker", "MaxItems", ("InstanceProfiles",)),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        for code, name in _EXCEPTION_NAMES.items():
            setattr(self.exceptions, name, self.exceptions.from_code(code))

    @property
    def _iam(self):
        return self._cloud.iam

    def _dt(self, t: float | None):
        return None if t is None else self._cloud.clock.to_datetime(t)

    # -- shapes -----------------------------------------------------------------------
    def _user(self, u: User, tags: bool = False) -> dict:
        out = {"Path": u.path, "UserName": u.name, "UserId": u.id, "Arn": u.arn, "CreateDate": self._dt(u.create_date)}
        if u.password_last_used is not None:
            out["PasswordLastUsed"] = self._dt(u.password_last_used)
        if u.permissions_boundary is not None:
            out["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                          "PermissionsBoundaryArn": u.permissions_boundary.arn}
        if tags and u.tags:
            out["Tags"] = to_tags(u.tags)
        return out

    def _group(self, g: Group) -> dict:
        return {"Path": g.path, "GroupName": g.name, "GroupId": g.id, "Arn": g.arn, "CreateDate": self._dt(g.create_date)}

    def _role(self, r: Role, full: bool = True) -> dict:
        out = {"Path": r.path, "RoleName": r.name, "RoleId": r.id, "Arn": r.arn, "CreateDate": self._dt(r.create_date),
               "AssumeRolePolicyDocument": r.trust_policy.document, "MaxSessionDuration": r.max_session_duration}
        if r.description:
            out["Description"] = r.description
        if r.permissions_boundary is not None:
            out["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                          "PermissionsBoundaryArn": r.permissions_boundary.arn}
        if r.tags:
            out["Tags"] = to_tags(r.tags)
        if full:
            out["RoleLastUsed"] = {} if r.last_used is None else {"LastUsedDate": self._dt(r.last_used),
                                                                   "Region": self._region.name}
        return out

    def _policy(self, p: ManagedPolicy, tags: bool = False) -> dict:
        out = {"PolicyName": p.name, "PolicyId": p.id, "Arn": p.arn, "Path": p.path,
               "DefaultVersionId": p.default_version_id, "AttachmentCount": p.attachment_count,
               "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
               "CreateDate": self._dt(p.create_date), "UpdateDate": self._dt(p.update_date)}
        if p.description and tags:
            out["Description"] = p.description
        if tags and p.tags:
            out["Tags"] = to_tags(p.tags)
        return out

    def _version(self, p: ManagedPolicy, v: PolicyVersion) -> dict:
        return {"Document": v.document, "VersionId": v.version_id,
                "IsDefaultVersion": v.version_id == p.default_version_id, "CreateDate": self._dt(v.create_date)}

    def _profile(self, p: InstanceProfile) -> dict:
        out = {"Path": p.path, "InstanceProfileName": p.name, "InstanceProfileId": p.id, "Arn": p.arn,
               "CreateDate": self._dt(p.create_date), "Roles": [self._role(r, full=False) for r in p.roles]}
        if p.tags:
            out["Tags"] = to_tags(p.tags)
        return out

    def _key(self, k: AccessKey, secret: bool = False) -> dict:
        out = {"UserName": k.user.name, "AccessKeyId": k.id, "Status": k.status.value,
               "CreateDate": self._dt(k.create_date)}
        if secret:
            out["SecretAccessKey"] = k.secret
        return out

    @staticmethod
    def _doc(value: Any, param: str = "PolicyDocument") -> str:
        return check_type(param, value, str)

    # -- users --------------------------------------------------------------------------
    def create_user(self, *, UserName, Path="/", PermissionsBoundary=None, Tags=None):
        user = self._iam.create_user(UserName, path=Path, tags=from_tags(Tags),
                                     permissions_boundary=PermissionsBoundary)
        return {"User": self._user(user, tags=True)}

    def get_user(self, *, UserName=None):
        user = self._iam.get_user(UserName)
        if not isinstance(user, User):  # the root user (or a role session asking about itself)
            return {"User": {"UserId": user.account_id if user.name == "root" else user.id, "Arn": user.arn,
                             "CreateDate": self._dt(0.0)}}
        return {"User": self._user(user, tags=True)}

    def list_users(self, *, PathPrefix="/", Marker=None, MaxItems=None):
        page, more = _page(self._iam.list_users(PathPrefix), Marker, MaxItems)
        return {"Users": [self._user(u) for u in page], **more}

    def delete_user(self, *, UserName):
        self._iam.delete_user(UserName)
        return {}

    def put_user_permissions_boundary(self, *, UserName, PermissionsBoundary):
        u = self._iam._user(UserName)
        self._iam._auth("iam:PutUserPermissionsBoundary", u.arn)
        u.permissions_boundary = self._iam._policy(PermissionsBoundary)
        return {}

    def delete_user_permissions_boundary(self, *, UserName):
        u = self._iam._user(UserName)
        self._iam._auth("iam:DeleteUserPermissionsBoundary", u.arn)
        u.permissions_boundary = None
        return {}

    # -- groups -------------------------------------------------------------------------
    def create_group(self, *, GroupName, Path="/"):
        return {"Group": self._group(self._iam.create_group(GroupName, path=Path))}

    def get_group(self, *, GroupName, Marker=None, MaxItems=None):
        g = self._iam.get_group(GroupName)
        page, more = _page(g.users, Marker, MaxItems)
        return {"Group": self._group(g), "Users": [self._user(u) for u in page], **more}

    def list_groups(self, *, PathPrefix="/", Marker=None, MaxItems=None):
        page, more = _page(self._iam.list_groups(PathPrefix), Marker, MaxItems)
        return {"Groups": [self._group(g) for g in page], **more}

    def delete_group(self, *, GroupName):
        self._iam.delete_group(GroupName)
        return {}

    def add_user_to_group(self, *, GroupName, UserName):
        self._iam.add_user_to_group(GroupName, UserName)
        return {}

    def remove_user_from_group(self, *, GroupName, UserName):
        self._iam.remove_user_from_group(GroupName, UserName)
        return {}

    def list_groups_for_user(self, *, UserName, Marker=None, MaxItems=None):
        page, more = _page(self._iam.list_groups_for_user(UserName), Marker, MaxItems)
        return {"Groups": [self._group(g) for g in page], **more}

    # -- roles ----------------------------------------------------------------------------
    def create_role(self, *, RoleName, AssumeRolePolicyDocument, Path="/", Description="", MaxSessionDuration=3600,
                    PermissionsBoundary=None, Tags=None):
        role = self._iam.create_role(RoleName, self._doc(AssumeRolePolicyDocument, "AssumeRolePolicyDocument"),
                                     path=Path, description=Description, max_session_duration=MaxSessionDuration,
                                     tags=from_tags(Tags), permissions_boundary=PermissionsBoundary)
        out = self._role(role, full=False)
        return {"Role": out}

    def get_role(self, *, RoleName):
        return {"Role": self._role(self._iam.get_role(RoleName))}

    def list_roles(self, *, PathPrefix="/", Marker=None, MaxItems=None):
        page, more = _page(self._iam.list_roles(PathPrefix), Marker, MaxItems)
        return {"Roles": [self._role(r, full=False) for r in page], **more}

    def delete_role(self, *, RoleName):
        self._iam.delete_role(RoleName)
        return {}

    def update_assume_role_policy(self, *, RoleName, PolicyDocument):
        self._iam.update_assume_role_policy(RoleName, self._doc(PolicyDocument))
        return {}

    def put_role_permissions_boundary(self, *, RoleName, PermissionsBoundary):
        r = self._iam._role(RoleName)
        self._iam._auth("iam:PutRolePermissionsBoundary", r.arn)
        r.permissions_boundary = self._iam._policy(PermissionsBoundary)
        return {}

    # -- managed policies --------------------------------------------------------------------
    def create_policy(self, *, PolicyName, PolicyDocument, Path="/", Description="", Tags=None):
        p = self._iam.create_policy(PolicyName, self._doc(PolicyDocument), path=Path, description=Description,
                                    tags=from_tags(Tags))
        out = self._policy(p)
        out.pop("PermissionsBoundaryUsageCount")
        if p.tags:
            out["Tags"] = to_tags(p.tags)
        return {"Policy": out}

    def get_policy(self, *, PolicyArn):
        return {"Policy": self._policy(self._iam.get_policy(check_type("PolicyArn", PolicyArn, str)), tags=True)}

    def list_policies(self, *, Scope="All", OnlyAttached=False, PathPrefix="/", PolicyUsageFilter=None,
                      Marker=None, MaxItems=None):
        items = [p for p in self._iam.list_policies(Scope, only_attached=OnlyAttached) if p.path.startswith(PathPrefix)]
        page, more = _page(items, Marker, MaxItems)
        return {"Policies": [self._policy(p) for p in page], **more}

    def delete_policy(self, *, PolicyArn):
        self._iam.delete_policy(check_type("PolicyArn", PolicyArn, str))
        return {}

    def create_policy_version(self, *, PolicyArn, PolicyDocument, SetAsDefault=False):
        p = self._iam._policy(check_type("PolicyArn", PolicyArn, str))
        v = self._iam.create_policy_version(p, self._doc(PolicyDocument), set_as_default=SetAsDefault)
        out = self._version(p, v)
        out.pop("Document")
        return {"PolicyVersion": out}

    def get_policy_version(self, *, PolicyArn, VersionId):
        p = self._iam._policy(check_type("PolicyArn", PolicyArn, str))
        return {"PolicyVersion": self._version(p, self._iam.get_policy_version(p, VersionId))}

    def list_policy_versions(self, *, PolicyArn, Marker=None, MaxItems=None):
        p = self._iam._policy(check_type("PolicyArn", PolicyArn, str))
        page, more = _page(self._iam.list_policy_versions(p), Marker, MaxItems)
        versions = []
        for v in page:
            shaped = self._version(p, v)
            shaped.pop("Document")  # AWS lists versions without their documents
            versions.append(shaped)
        return {"Versions": versions, **more}

    def set_default_policy_version(self, *, PolicyArn, VersionId):
        self._iam.set_default_policy_version(check_type("PolicyArn", PolicyArn, str), VersionId)
        return {}

    def delete_policy_version(self, *, PolicyArn, VersionId):
        self._iam.delete_policy_version(check_type("PolicyArn", PolicyArn, str), VersionId)
        return {}

    # -- attaching -----------------------------------------------------------------------------
    def attach_user_policy(self, *, UserName, PolicyArn):
        self._iam.attach_user_policy(UserName, check_type("PolicyArn", PolicyArn, str))
        return {}

    def detach_user_policy(self, *, UserName, PolicyArn):
        self._iam.detach_user_policy(UserName, check_type("PolicyArn", PolicyArn, str))
        return {}

    def attach_group_policy(self, *, GroupName, PolicyArn):
        self._iam.attach_group_policy(GroupName, check_type("PolicyArn", PolicyArn, str))
        return {}

    def detach_group_policy(self, *, GroupName, PolicyArn):
        self._iam.detach_group_policy(GroupName, check_type("PolicyArn", PolicyArn, str))
        return {}

    def attach_role_policy(self, *, RoleName, PolicyArn):
        self._iam.attach_role_policy(RoleName, check_type("PolicyArn", PolicyArn, str))
        return {}

    def detach_role_policy(self, *, RoleName, PolicyArn):
        self._iam.detach_role_policy(RoleName, check_type("PolicyArn", PolicyArn, str))
        return {}

    def _attached(self, entity, prefix, marker, max_items) -> dict:
        items = [p for p in self._iam.list_attached_policies(entity) if p.path.startswith(check_type("PathPrefix", prefix, str))]
        page, more = _page(items, marker, max_items)
        return {"AttachedPolicies": [{"PolicyName": p.name, "PolicyArn": p.arn} for p in page], **more}

    def list_attached_user_policies(self, *, UserName, PathPrefix="/", Marker=None, MaxItems=None):
        return self._attached(self._iam._user(UserName), PathPrefix, Marker, MaxItems)

    def list_attached_group_policies(self, *, GroupName, PathPrefix="/", Marker=None, MaxItems=None):
        return self._attached(self._iam._group(GroupName), PathPrefix, Marker, MaxItems)

    def list_attached_role_policies(self, *, RoleName, PathPrefix="/", Marker=None, MaxItems=None):
        return self._attached(self._iam._role(RoleName), PathPrefix, Marker, MaxItems)

    def list_entities_for_policy(self, *, PolicyArn, EntityFilter=None, Marker=None, MaxItems=None):
        p = self._iam.get_policy(check_type("PolicyArn", PolicyArn, str))
        out: dict[str, list] = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
        for e in p.attached_to:
            kind = type(e).__name__
            if EntityFilter in (None, kind):
                out[f"Policy{kind}s"].append({f"{kind}Name": e.name, f"{kind}Id": e.id})
        return {**out, "IsTruncated": False}

    # -- inline policies ---------------------------------------------------------------------
    def _put(self, kind: str, name: str, policy_name: str, document: Any) -> dict:
        self._iam.put_policy(name, policy_name, self._doc(document), kind=kind)
        return {}

    def _get(self, kind: str, name: str, policy_name: str) -> dict:
        holder = self._iam._holder(kind, name)
        policy = self._iam.get_policy_document(holder, policy_name)
        return {f"{kind}Name": holder.name, "PolicyName": policy_name, "PolicyDocument": policy.document}

    def _list(self, kind: str, name: str, marker, max_items) -> dict:
        page, more = _page(self._iam.list_inline_policies(name, kind=kind), marker, max_items)
        return {"PolicyNames": page, **more}

    def put_user_policy(self, *, UserName, PolicyName, PolicyDocument):
        return self._put("User", UserName, PolicyName, PolicyDocument)

    def put_group_policy(self, *, GroupName, PolicyName, PolicyDocument):
        return self._put("Group", GroupName, PolicyName, PolicyDocument)

    def put_role_policy(self, *, RoleName, PolicyName, PolicyDocument):
        return self._put("Role", RoleName, PolicyName, PolicyDocument)

    def get_user_policy(self, *, UserName, PolicyName):
        return self._get("User", UserName, PolicyName)

    def get_group_policy(self, *, GroupName, PolicyName):
        return self._get("Group", GroupName, PolicyName)

    def get_role_policy(self, *, RoleName, PolicyName):
        return self._get("Role", RoleName, PolicyName)

    def delete_user_policy(self, *, UserName, PolicyName):
        self._iam.delete_inline_policy(UserName, PolicyName, kind="User")
        return {}

    def delete_group_policy(self, *, GroupName, PolicyName):
        self._iam.delete_inline_policy(GroupName, PolicyName, kind="Group")
        return {}

    def delete_role_policy(self, *, RoleName, PolicyName):
        self._iam.delete_inline_policy(RoleName, PolicyName, kind="Role")
        return {}

    def list_user_policies(self, *, UserName, Marker=None, MaxItems=None):
        return self._list("User", UserName, Marker, MaxItems)

    def list_group_policies(self, *, GroupName, Marker=None, MaxItems=None):
        return self._list("Group", GroupName, Marker, MaxItems)

    def list_role_policies(self, *, RoleName, Marker=None, MaxItems=None):
        return self._list("Role", RoleName, Marker, MaxItems)

    # -- access keys -----------------------------------------------------------------------
    def create_access_key(self, *, UserName=None):
        return {"AccessKey": self._key(self._iam.create_access_key(UserName), secret=True)}

    def list_access_keys(self, *, UserName=None, Marker=None, MaxItems=None):
        page, more = _page(self._iam.list_access_keys(UserName), Marker, MaxItems)
        return {"AccessKeyMetadata": [self._key(k) for k in page], **more}

    def update_access_key(self, *, AccessKeyId, Status, UserName=None):
        self._iam.update_access_key(AccessKeyId, Status, UserName)
        return {}

    def delete_access_key(self, *, AccessKeyId, UserName=None):
        self._iam.delete_access_key(AccessKeyId, UserName)
        return {}

    def get_access_key_last_used(self, *, AccessKeyId):
        key = self._iam.access_key(check_type("AccessKeyId", AccessKeyId, str))
        self._iam._auth("iam:GetAccessKeyLastUsed", key.user.arn)
        used = ({"ServiceName": "N/A", "Region": "N/A"} if key.last_used is None else
                {"LastUsedDate": self._dt(key.last_used), "ServiceName": key.last_used_service or "iam",
                 "Region": self._region.name})
        return {"UserName": key.user.name, "AccessKeyLastUsed": used}

    # -- instance profiles ------------------------------------------------------------------
    def create_instance_profile(self, *, InstanceProfileName, Path="/", Tags=None):
        p = self._iam.create_instance_profile(InstanceProfileName, path=Path, tags=from_tags(Tags))
        return {"InstanceProfile": self._profile(p)}

    def get_instance_profile(self, *, InstanceProfileName):
        return {"InstanceProfile": self._profile(self._iam.get_instance_profile(InstanceProfileName))}

    def list_instance_profiles(self, *, PathPrefix="/", Marker=None, MaxItems=None):
        page, more = _page(self._iam.list_instance_profiles(PathPrefix), Marker, MaxItems)
        return {"InstanceProfiles": [self._profile(p) for p in page], **more}

    def list_instance_profiles_for_role(self, *, RoleName, Marker=None, MaxItems=None):
        role = self._iam.get_role(RoleName)
        page, more = _page(list(role.instance_profiles), Marker, MaxItems)
        return {"InstanceProfiles": [self._profile(p) for p in page], **more}

    def add_role_to_instance_profile(self, *, InstanceProfileName, RoleName):
        self._iam.add_role_to_instance_profile(InstanceProfileName, RoleName)
        return {}

    def remove_role_from_instance_profile(self, *, InstanceProfileName, RoleName):
        self._iam.remove_role_from_instance_profile(InstanceProfileName, RoleName)
        return {}

    def delete_instance_profile(self, *, InstanceProfileName):
        self._iam.delete_instance_profile(InstanceProfileName)
        return {}

    # -- passwords and MFA -----------------------------------------------------------------
    def create_login_profile(self, *, UserName, Password, PasswordResetRequired=False):
        lp = self._iam.create_login_profile(UserName, Password, password_reset_required=PasswordResetRequired)
        return {"LoginProfile": {"UserName": lp.user.name, "CreateDate": self._dt(lp.create_date),
                                 "PasswordResetRequired": lp.password_reset_required}}

    def get_login_profile(self, *, UserName):
        u = self._iam.get_user(UserName)
        if u.login_profile is None:
            raise NotFound("NoSuchEntity", f"Login Profile for User {u.name} cannot be found.", status=404)
        lp = u.login_profile
        return {"LoginProfile": {"UserName": u.name, "CreateDate": self._dt(lp.create_date),
                                 "PasswordResetRequired": lp.password_reset_required}}

    def delete_login_profile(self, *, UserName):
        self._iam.delete_login_profile(UserName)
        return {}

    def create_virtual_mfa_device(self, *, VirtualMFADeviceName, Path="/", Tags=None):
        d: MFADevice = self._iam.create_virtual_mfa_device(VirtualMFADeviceName, path=Path)
        return {"VirtualMFADevice": {"SerialNumber": d.serial_number,
                                     "Base32StringSeed": self._iam._secret(64).encode(),
                                     "QRCodePNG": b"\x89PNG (simulated)"}}

    def enable_mfa_device(self, *, UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2):
        self._iam.enable_mfa_device(UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2)
        return {}

    def deactivate_mfa_device(self, *, SerialNumber, UserName=None):
        if UserName is None:
            raise ParamValidationError('Missing required parameter in input: "UserName"')
        self._iam.deactivate_mfa_device(UserName, SerialNumber)
        return {}

    def list_mfa_devices(self, *, UserName=None, Marker=None, MaxItems=None):
        if UserName is None:
            return {"MFADevices": [], "IsTruncated": False}
        page, more = _page(self._iam.list_mfa_devices(UserName), Marker, MaxItems)
        return {"MFADevices": [{"UserName": d.user.name, "SerialNumber": d.serial_number,
                                "EnableDate": self._dt(d.enable_date)} for d in page], **more}

    # -- account and simulation ----------------------------------------------------------------
    def get_account_summary(self):
        return {"SummaryMap": self._iam.get_account_summary()}

    @staticmethod
    def _context(entries: Any) -> dict[str, Any]:
        if entries is None:
            return {}
        check_type("ContextEntries", entries, list)
        out: dict[str, Any] = {}
        for i, e in enumerate(entries):
            if not isinstance(e, dict) or "ContextKeyName" not in e:
                raise ParamValidationError(f'Missing required parameter in ContextEntries[{i}]: "ContextKeyName"')
            values = e.get("ContextKeyValues", [])
            kind = e.get("ContextKeyType", "string")
            out[e["ContextKeyName"]] = values if kind.endswith("List") else (values[0] if values else None)
        return out

    def _results(self, decisions, policies_by_id: dict) -> dict:
        results = []
        for d in decisions:
            matched = []
            for m in d.matched_statements:
                line = 3 + m.index  # a stable position: the statement's order within its document
                matched.append({"SourcePolicyId": m.policy_id, "SourcePolicyType": _SOURCE_TYPES.get(m.policy_type,
                                                                                                    m.policy_type),
                                "StartPosition": {"Line": line, "Column": 1},
                                "EndPosition": {"Line": line, "Column": 2}})
            results.append({"EvalActionName": d.action, "EvalResourceName": d.resource, "EvalDecision": d.decision,
                            "MatchedStatements": matched, "MissingContextValues": [],
                            "EvalDecisionDetails": {}})
        return {"EvaluationResults": results, "IsTruncated": False}

    def simulate_principal_policy(self, *, PolicySourceArn, ActionNames, PolicyInputList=None, ResourceArns=None,
                                  ResourcePolicy=None, ResourceOwner=None, CallerArn=None, ContextEntries=None,
                                  ResourceHandlingOption=None, PermissionsBoundaryPolicyInputList=None,
                                  MaxItems=None, Marker=None):
        decisions = self._iam.simulate_principal_policy(
            check_type("PolicySourceArn", PolicySourceArn, str), check_type("ActionNames", ActionNames, list),
            ResourceArns, self._context(ContextEntries), policy_inputs=PolicyInputList or (),
            resource_policy=ResourcePolicy)
        return self._results(decisions, {})

    def simulate_custom_policy(self, *, PolicyInputList, ActionNames, PermissionsBoundaryPolicyInputList=None,
                               ResourceArns=None, ResourcePolicy=None, ResourceOwner=None, CallerArn=None,
                               ContextEntries=None, ResourceHandlingOption=None, MaxItems=None, Marker=None):
        decisions = self._iam.simulate_custom_policy(
            check_type("PolicyInputList", PolicyInputList, list), check_type("ActionNames", ActionNames, list),
            ResourceArns, self._context(ContextEntries), resource_policy=ResourcePolicy, caller_arn=CallerArn)
        return self._results(decisions, {})


_SOURCE_TYPES = {"user": "user", "group": "group", "role": "role", "aws-managed": "aws-managed",
                 "user-managed": "user-managed", "resource": "resource", "IAM Policy": "none",
                 "permissions-boundary": "none", "session": "none"}
