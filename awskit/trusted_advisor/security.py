"""Security checks: doors left open (firewall rules, public buckets) and weak credentials.

Port verdicts follow AWS's published alert criteria: for "Security Groups - Specific Ports
Unrestricted", 0.0.0.0/0 on ports 20, 21, 1433, 1434, 3306, 3389, 4333, 5432 or 5500 is red,
on 25, 80, 443 or 465 green, and on any other port (SSH's 22 included) yellow; "Security
Groups - Unrestricted Access" turns red for a /0 source on any port but 25, 80 and 443, so
SSH open to the world is red there.
"""

from __future__ import annotations

from ..regions import region_info
from ..s3 import access as s3_access
from .checks import Context, Finding, Status, check

RED_PORTS = frozenset({20, 21, 1433, 1434, 3306, 3389, 4333, 5432, 5500})
GREEN_PORTS = frozenset({25, 80, 443, 465})
UNRESTRICTED_OK_PORTS = frozenset({25, 80, 443})
#: IAM Access Key Rotation thresholds (days)
ROTATE_WARNING_DAYS = 90
ROTATE_ERROR_DAYS = 730


def _open_rules(sg):
    """Inbound rules of ``sg`` whose source is a /0 CIDR (the whole internet)."""
    return [r for r in sg.ingress if r.cidr_ip is not None and r.cidr_ip.prefixlen == 0]


def _ports(rule) -> tuple[int, int]:
    if rule.ip_protocol == "-1" or rule.from_port == -1:
        return 0, 65535
    return rule.from_port, rule.to_port


def _covers(rule, ports) -> bool:
    lo, hi = _ports(rule)
    return any(lo <= p <= hi for p in ports)


def _only(rule, ports) -> bool:
    lo, hi = _ports(rule)
    return all(p in ports for p in range(lo, hi + 1)) if hi - lo < 1000 else False


def _port_text(rule) -> str:
    lo, hi = _ports(rule)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _protocol(rule) -> str:
    return "all" if rule.ip_protocol == "-1" else rule.ip_protocol


def _restrict(vpc, rule):
    """The fix of an open rule: revoke it; with ``admin_cidr``, allow the same ports from there only."""
    sg = rule.group

    def fix(admin_cidr: str | None = None) -> None:
        if admin_cidr is not None:
            vpc._rule_spec(sg, False, rule.ip_protocol, rule.from_port, rule.to_port, admin_cidr, None)
        vpc.revoke_security_group_ingress(sg, security_group_rule_id=rule.id)
        if admin_cidr is not None:
            vpc.authorize_security_group_ingress(
                sg, ip_protocol=rule.ip_protocol,
                from_port=None if rule.ip_protocol == "-1" else rule.from_port,
                to_port=None if rule.ip_protocol == "-1" else rule.to_port, cidr_ip=admin_cidr,
                description=f"admin access (Trusted Advisor fix of {rule.id})")
    return fix


@check("HCP4007jGY", "Security Groups - Specific Ports Unrestricted", "security",
       metadata=("Region", "Security Group Name", "Security Group ID", "Protocol", "Status", "Ports"),
       description="Security group rules that let anyone on the internet (0.0.0.0/0) reach a port. Green: "
                   "80, 25, 443 or 465. Red: 20, 21, 1433, 1434, 3306, 3389, 4333, 5432 or 5500. Yellow: any "
                   "other port. Recommended action: allow only the addresses that need access. The fix "
                   "revokes the rule and, given admin_cidr=, allows the same ports from that range only.")
def specific_ports_unrestricted(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, vpc in ctx.services("vpc"):
        for sg in vpc.security_groups:
            processed += 1
            for rule in _open_rules(sg):
                if _covers(rule, RED_PORTS):
                    status, why = Status.ERROR, "a high-risk port is open to the internet"
                elif _only(rule, GREEN_PORTS):
                    status, why = Status.OK, "a port meant for public access (web or mail)"
                else:
                    status, why = Status.WARNING, "a port is open to the internet"
                found.append(Finding(
                    check_id="HCP4007jGY", status=status, region=region.name, resource_id=f"{sg.id}/{rule.id}",
                    metadata=[region.name, f"{sg.group_name} ({sg.vpc.id})", sg.id, _protocol(rule),
                              {"ok": "Green", "warning": "Yellow", "error": "Red"}[status.value], _port_text(rule)],
                    reason=f"{_protocol(rule)} {_port_text(rule)} from {rule.cidr_ip}: {why}",
                    action=None if status is Status.OK else f"Restrict {_port_text(rule)} in {sg.id}",
                    _fix=None if status is Status.OK else _restrict(vpc, rule)))
    return processed, found


@check("1iG5NDGVre", "Security Groups - Unrestricted Access", "security",
       metadata=("Region", "Security Group Name", "Security Group ID", "Protocol", "Port", "Status", "IP Range"),
       description="Security group rules with a /0 source. Red: a rule with a /0 source on any port other "
                   "than 25, 80 or 443. Recommended action: allow only the addresses that need access "
                   "(fix(admin_cidr=...) replaces the world with your range).")
def unrestricted_access(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, vpc in ctx.services("vpc"):
        for sg in vpc.security_groups:
            processed += 1
            for rule in _open_rules(sg):
                if _only(rule, UNRESTRICTED_OK_PORTS):
                    continue
                found.append(Finding(
                    check_id="1iG5NDGVre", status=Status.ERROR, region=region.name, resource_id=f"{sg.id}/{rule.id}",
                    metadata=[region.name, f"{sg.group_name} ({sg.vpc.id})", sg.id, _protocol(rule),
                              _port_text(rule), "Red", str(rule.cidr_ip)],
                    reason=f"{_protocol(rule)} {_port_text(rule)} open to {rule.cidr_ip}",
                    action=f"Restrict {_port_text(rule)} in {sg.id}", _fix=_restrict(vpc, rule)))
    return processed, found


def _bucket_fixer(s3, bucket):
    def fix() -> None:
        if bucket.acl in s3_access.PUBLIC_ACLS:
            s3.put_bucket_acl(bucket, "private")
        doc = bucket.policy_doc
        if doc and s3_access.policy_is_public(doc):
            keep = [st for st in doc.get("Statement", []) if not s3_access.policy_is_public({"Statement": [st]})]
            if keep:
                s3.put_bucket_policy(bucket, {**{k: v for k, v in doc.items() if k != "Statement"}, "Statement": keep})
            else:
                s3.delete_bucket_policy(bucket)
        s3.put_public_access_block(bucket, block_public_acls=True, ignore_public_acls=True,
                                   block_public_policy=True, restrict_public_buckets=True)
    return fix


@check("Pfx0RwqBli", "Amazon S3 Bucket Permissions", "security",
       metadata=("Region Name", "Region API Parameter", "Bucket Name", "ACL Allows List", "ACL Allows Upload/Delete",
                 "Status", "Policy Allows Access", "Ignored Bucket Name"),
       description="Buckets whose ACL or policy opens them to everyone. Yellow: the bucket ACL allows List "
                   "for Everyone or Any Authenticated AWS User; a bucket policy grants public access (even "
                   "while RestrictPublicBuckets holds it back). Red: the ACL allows Upload/Delete for everyone. "
                   "Recommended action: remove the public grants and turn on Block Public Access (the fix "
                   "resets a public ACL to private, removes only the public policy statements and turns on "
                   "all four Block Public Access settings).")
def s3_bucket_permissions(ctx: Context) -> tuple[int, list[Finding]]:
    s3 = ctx.global_service("s3")
    processed, found = 0, []
    for bucket in s3.list_buckets():
        processed += 1
        pab = bucket.public_access_block
        acls_count = bucket.ownership != "BucketOwnerEnforced" and not (pab and pab.ignore_public_acls)
        acl_list = acls_count and bucket.acl in s3_access.PUBLIC_ACLS
        acl_write = acls_count and bucket.acl == "public-read-write"
        policy_public = bool(bucket.policy_doc) and s3_access.policy_is_public(bucket.policy_doc)
        if not (acl_list or acl_write or policy_public):
            continue
        status = Status.ERROR if acl_write else Status.WARNING
        reasons = [why for flag, why in ((acl_write, "the ACL lets everyone upload and delete"),
                                         (acl_list and not acl_write, "the ACL lets everyone list"),
                                         (policy_public, "the bucket policy grants public access")) if flag]
        found.append(Finding(
            check_id="Pfx0RwqBli", status=status, region=bucket.region, resource_id=bucket.name,
            metadata=[region_info(bucket.region).name, bucket.region, bucket.name, _yes(acl_list), _yes(acl_write),
                      {"error": "Red", "warning": "Yellow"}[status.value], _yes(policy_public), ""],
            reason="; ".join(reasons).capitalize(), action=f"Block public access to {bucket.name}",
            _fix=_bucket_fixer(s3, bucket)))
    return processed, found


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


@check("7DAFEmoDos", "MFA on Root Account", "security", metadata=(),
       description="Whether the root user signs in with multi-factor authentication. Red: MFA is not enabled "
                   "on the root account. Recommended action: enable MFA for the root user (and use it rarely).")
def root_mfa(ctx: Context) -> tuple[int, list[Finding]]:
    iam = ctx.global_service("iam")
    if iam.root.mfa_enabled:
        return 1, []
    return 1, [Finding(check_id="7DAFEmoDos", status=Status.ERROR, region="global", resource_id=iam.root.arn,
                       metadata=[], reason="MFA is not enabled on the root account",
                       action="Enable MFA for the root user", _fix=iam.enable_root_mfa)]


@check("zXCkfM1nI3", "IAM Use", "security", metadata=(),
       description="Whether the account has any IAM users, so that nobody works as the root user. Yellow: no "
                   "IAM users have been created for this account. Recommended action: create users (or roles) "
                   "with only the permissions each person needs; fix(name=...) creates one user.")
def iam_use(ctx: Context) -> tuple[int, list[Finding]]:
    iam = ctx.global_service("iam")
    if iam.list_users():
        return 1, []

    def fix(name: str = "admin") -> None:
        iam.create_user(name)

    return 1, [Finding(check_id="zXCkfM1nI3", status=Status.WARNING, region="global", resource_id=ctx.cloud.account_id,
                       metadata=[], reason="No IAM users have been created", action="Create an IAM user",
                       _fix=fix)]


def _rotate(iam, row):
    key = row["key"]
    user = None if row["user"] == "<root_account>" else row["user"]

    def fix():
        new = iam.create_access_key(user)
        iam.update_access_key(key.id, "Inactive", user)
        return new
    return fix


@check("DqdJqYeRm5", "IAM Access Key Rotation", "security",
       metadata=("Status", "IAM User", "Access Key", "Key Last Rotated", "Reason"),
       description="Active access keys that have not been rotated. Yellow: the key is active and was rotated "
                   "within 2 years but more than 90 days ago. Red: the key is active and has not been rotated "
                   "for 2 years. Recommended action: create a new key, switch your applications to it, then "
                   "deactivate (and later delete) the old one; fix() creates the new key and deactivates "
                   "the old one, and returns the new key in finding.outcome.")
def access_key_rotation(ctx: Context) -> tuple[int, list[Finding]]:
    iam = ctx.global_service("iam")
    rows = iam.access_key_report()
    found = []
    for row in rows:
        if row["status"] != "Active" or row["age_days"] <= ROTATE_WARNING_DAYS:
            continue
        red = row["age_days"] > ROTATE_ERROR_DAYS
        key = row["key"]
        found.append(Finding(
            check_id="DqdJqYeRm5", status=Status.ERROR if red else Status.WARNING, region="global",
            resource_id=key.id,
            metadata=["Red" if red else "Yellow", row["user"], key.id, ctx.cloud.clock.isoformat(key.create_date),
                      "Not rotated in over 2 years" if red else "Not rotated in over 90 days"],
            reason=f"Active key {row['age_days']:.0f} days old", action=f"Rotate {key.id}",
            _fix=_rotate(iam, row)))
    return len(rows), found


@check("awskit-root-keys", "Root Account Access Keys", "security",
       metadata=("Access Key", "Status", "Created"),
       description="awskit's own check (AWS Security Hub's IAM.4 says the same): the root user should have no "
                   "access keys at all, since a leaked root key gives away the whole account. Red: the root "
                   "user has an access key. Recommended action: delete it and use IAM users or roles.")
def root_access_keys(ctx: Context) -> tuple[int, list[Finding]]:
    iam = ctx.global_service("iam")
    found = []
    for key in iam.root.access_keys:
        def fix(key=key) -> None:
            iam.delete_access_key(key.id)
        found.append(Finding(check_id="awskit-root-keys", status=Status.ERROR, region="global", resource_id=key.id,
                             metadata=[key.id, key.status.value, ctx.cloud.clock.isoformat(key.create_date)],
                             reason="The root user has an access key", action=f"Delete the root access key {key.id}",
                             _fix=fix))
    return 1, found
