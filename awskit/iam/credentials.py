"""Credentials: access keys, console passwords, MFA devices, and the account summary.

An access key (``AKIA...``) signs API calls as a user; AWS shows its secret once, allows
two per user so that keys can be rotated, and Trusted Advisor flags keys older than 90
days.  The root user should have MFA and no access keys at all.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import AccessDenied, AlreadyExists, InvalidParameter, LimitExceeded, NotFound
from .entities import AccessKey, AccessKeyStatus, LoginProfile, MFADevice, Root, User
from .policies import MANAGED_POLICIES_PER_ENTITY, VERSIONS_PER_POLICY

__all__: list[str] = []

#: IAM quotas (AWS IAM and STS quotas page, 2025).
ACCESS_KEYS_PER_USER = 2
GROUPS_PER_USER = 10


def _validation(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationError", message)


class _Credentials:
    """Part of :class:`awskit.iam.IAMService` (``cloud.iam``)."""

    # -- access keys --------------------------------------------------------------------
    def create_access_key(self, user: Any = None) -> AccessKey:
        """A new access key; ``key.secret`` is the only time you see the secret.

        With no user, the key belongs to the caller (for the root user: a root access key,
        which AWS strongly advises against).  Raises: LimitExceeded (two keys per user).
        """
        owner = self._key_owner(user)
        self._auth("iam:CreateAccessKey", owner.arn)
        if len(owner.access_keys) >= ACCESS_KEYS_PER_USER:
            raise LimitExceeded("LimitExceeded", f"Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}. "
                                f"Delete an old key of {owner.name} ({', '.join(k.id for k in owner.access_keys)}) "
                                f"first: that is how rotation works.", status=409)
        key = AccessKey(id=self._key_id("AKIA"), user=owner, secret=self._secret(), create_date=self._now)
        owner.access_keys.append(key)
        self.cloud.namespace("iam.credentials")[key.id] = key
        return key

    def _key_owner(self, user: Any) -> User | Root:
        if user is not None:
            return self._user(user)
        caller = self.caller
        if isinstance(caller, (User, Root)):
            return caller
        raise _validation("Must specify a userName when calling with non-User credentials.")

    def _key(self, key_id: Any, user: Any) -> AccessKey:
        owner = self._key_owner(user)
        for key in owner.access_keys:
            if key.id == key_id:
                return key
        raise NotFound("NoSuchEntity", f"The Access Key with id {key_id} cannot be found. Keys of {owner.name}: "
                                       f"{', '.join(k.id for k in owner.access_keys) or 'none'}.", status=404)

    def list_access_keys(self, user: Any = None) -> list[AccessKey]:
        owner = self._key_owner(user)
        self._auth("iam:ListAccessKeys", owner.arn)
        return list(owner.access_keys)

    def update_access_key(self, key_id: str, status: str | AccessKeyStatus, user: Any = None) -> AccessKey:
        key = self._key(key_id, user)
        self._auth("iam:UpdateAccessKey", key.user.arn)
        try:
            key.status = AccessKeyStatus(status)
        except ValueError:
            raise _validation(f"Status must be Active or Inactive, not {status!r}.") from None
        return key

    def delete_access_key(self, key_id: str, user: Any = None) -> None:
        key = self._key(key_id, user)
        self._auth("iam:DeleteAccessKey", key.user.arn)
        key.user.access_keys.remove(key)
        self.cloud.namespace("iam.credentials")[key.id] = None  # known, but no longer valid

    def access_key(self, key_id: str) -> AccessKey:
        """Find any access key of the account by id (for last-used and rotation reports)."""
        found = self.cloud.namespace("iam.credentials").get(key_id) if isinstance(key_id, str) else None
        if not isinstance(found, AccessKey) or found.account_id != self.account_id:
            raise NotFound("NoSuchEntity", f"The Access Key with id {key_id} cannot be found.", status=404)
        return found

    # -- console passwords and MFA ----------------------------------------------------------
    def create_login_profile(self, user: Any, password: str, *, password_reset_required: bool = False) -> LoginProfile:
        """Give a user a console password (checked against AWS's default password policy)."""
        u = self._user(user)
        self._auth("iam:CreateLoginProfile", u.arn)
        if u.login_profile is not None:
            raise AlreadyExists("EntityAlreadyExists", f"Login Profile for user {u.name} already exists.", status=409)
        if not isinstance(password, str) or len(password) < 8 or sum(
                any(f(c) for c in password) for f in (str.isupper, str.islower, str.isdigit,
                                                      lambda c: not c.isalnum())) < 3:
            raise InvalidParameter("PasswordPolicyViolation", "The default password policy needs at least 8 "
                                   "characters with three of: uppercase, lowercase, digits, symbols.")
        u.login_profile = LoginProfile(user=u, create_date=self._now, password_reset_required=password_reset_required)
        return u.login_profile

    def delete_login_profile(self, user: Any) -> None:
        u = self._user(user)
        self._auth("iam:DeleteLoginProfile", u.arn)
        if u.login_profile is None:
            raise NotFound("NoSuchEntity", f"Login Profile for User {u.name} cannot be found.", status=404)
        u.login_profile = None

    def create_virtual_mfa_device(self, name: str, *, path: str = "/") -> MFADevice:
        self._check_name(name, "virtualMFADeviceName", 226)
        serial = self._arn("mfa", path, name)
        self._auth("iam:CreateVirtualMFADevice", serial)
        if serial in self.mfa_devices:
            raise AlreadyExists("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.",
                                status=409)
        device = self.mfa_devices[serial] = MFADevice(serial_number=serial, create_date=self._now)
        return device

    def enable_mfa_device(self, user: Any, serial_number: str, code1: str, code2: str) -> MFADevice:
        """Associate a virtual MFA device with a user (two consecutive 6-digit codes)."""
        u = self._user(user)
        self._auth("iam:EnableMFADevice", u.arn)
        device = self.mfa_devices.get(serial_number)
        if device is None:
            raise NotFound("NoSuchEntity", f"MFA device {serial_number} does not exist; create it with "
                                           "create_virtual_mfa_device first.", status=404)
        for code in (code1, code2):
            if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
                raise InvalidParameter("InvalidAuthenticationCode", f"Authentication code {code!r} is not 6 digits.")
        if device.user is not None:
            raise AlreadyExists("EntityAlreadyExists", f"MFA device {serial_number} is already in use.", status=409)
        device.user, device.enable_date = u, self._now
        u.mfa_devices.append(device)
        return device

    def deactivate_mfa_device(self, user: Any, serial_number: str) -> None:
        u = self._user(user)
        self._auth("iam:DeactivateMFADevice", u.arn)
        device = next((d for d in u.mfa_devices if d.serial_number == serial_number), None)
        if device is None:
            raise NotFound("NoSuchEntity", f"MFA Device with serial number {serial_number} for {u.name} "
                                           "cannot be found.", status=404)
        u.mfa_devices.remove(device)
        device.user = device.enable_date = None

    def list_mfa_devices(self, user: Any) -> list[MFADevice]:
        u = self._user(user)
        self._auth("iam:ListMFADevices", u.arn)
        return list(u.mfa_devices)

    def enable_root_mfa(self) -> Root:
        """Turn on MFA for the root user (done in the console in AWS; a Trusted Advisor check)."""
        self._require_root("enable MFA for the root user")
        self.root.mfa_enabled = True
        return self.root

    def _require_root(self, what: str) -> None:
        if not isinstance(self.caller, Root):
            raise AccessDenied("AccessDenied", f"Only the root user can {what}; the caller is {self.caller.arn}.")

    # -- account -------------------------------------------------------------------------
    def get_account_summary(self) -> dict[str, int]:
        """IAM usage and quotas; AccountMFAEnabled and AccountAccessKeysPresent are about the root user."""
        self._auth("iam:GetAccountSummary", "*")
        attached_aws = [p for p in self._aws_policies.values() if p.attached_to]
        return {
            "Users": len(self.users), "UsersQuota": 5000, "Groups": len(self.groups), "GroupsQuota": 300,
            "Roles": len(self.roles), "RolesQuota": 1000, "Policies": len(self.policies), "PoliciesQuota": 1500,
            "InstanceProfiles": len(self.instance_profiles), "InstanceProfilesQuota": 1000,
            "MFADevices": len(self.mfa_devices) + int(self.root.mfa_enabled),
            "MFADevicesInUse": sum(1 for d in self.mfa_devices.values() if d.user) + int(self.root.mfa_enabled),
            "AccountMFAEnabled": int(self.root.mfa_enabled),
            "AccountAccessKeysPresent": int(bool(self.root.access_keys)),
            "AccountSigningCertificatesPresent": 0, "AccessKeysPerUserQuota": ACCESS_KEYS_PER_USER,
            "GroupsPerUserQuota": GROUPS_PER_USER, "AttachedPoliciesPerUserQuota": MANAGED_POLICIES_PER_ENTITY,
            "AttachedPoliciesPerGroupQuota": MANAGED_POLICIES_PER_ENTITY,
            "AttachedPoliciesPerRoleQuota": MANAGED_POLICIES_PER_ENTITY, "PolicyVersionsInUse":
                sum(len(p.versions) for p in self.policies.values()) + len(attached_aws),
            "PolicyVersionsInUseQuota": 10000, "VersionsPerPolicyQuota": VERSIONS_PER_POLICY,
            "PolicySizeQuota": 6144, "UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120,
            "RolePolicySizeQuota": 10240, "AssumeRolePolicySizeQuota": 2048,
            "ServerCertificates": 0, "ServerCertificatesQuota": 20, "Providers": 0,
            "GlobalEndpointTokenVersion": 1, "SigningCertificatesPerUserQuota": 2,
        }

    def access_key_report(self) -> list[dict[str, Any]]:
        """Every access key with its age in days and status (what rotation checks read)."""
        now = self._now
        rows = [{"user": "<root_account>", "key": k, "age_days": k.age_days(now), "status": k.status.value}
                for k in self.root.access_keys]
        for u in sorted(self.users.values(), key=lambda u: u.name):
            rows += [{"user": u.name, "key": k, "age_days": k.age_days(now), "status": k.status.value}
                     for k in u.access_keys]
        return rows
