"""Service limits (quotas): how close each Region is to a default quota.

Every check lists one row per Region the account has used (per quota class for EC2 vCPUs)
with the quota, the usage and a status: yellow at 80% of the quota, red at 100%, as AWS
colours them.  The quotas are AWS's defaults as its quota pages give them today; an
account can ask for more (``cloud.ec2.set_vcpu_quota`` models that for EC2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .checks import Context, Finding, Status, check

_COLUMNS = ("Region", "Service", "Limit Name", "Limit Amount", "Current Usage", "Status")
WARN_AT = 0.8


def _row(check_id: str, region: str, service: str, limit_name: str, limit: int, usage: int) -> Finding:
    ratio = usage / limit if limit else 1.0
    status = Status.ERROR if ratio >= 1.0 else Status.WARNING if ratio >= WARN_AT else Status.OK
    return Finding(check_id=check_id, status=status, region=region, resource_id=f"{region}/{limit_name}",
                   metadata=[region, service, limit_name, str(limit), str(usage),
                             {"ok": "Green", "warning": "Yellow", "error": "Red"}[status.value]],
                   reason=f"{usage} of {limit} used ({ratio:.0%})",
                   action="" if status is Status.OK else "Free up resources or request a quota increase")


def _per_region(ctx: Context, check_id: str, service_attr: str, service: str, limit_name: str,
                rows: Callable[[object], Iterable[tuple[str, int, int]]] | None = None,
                limit: int = 0, usage: Callable[[object], int] | None = None) -> tuple[int, list[Finding]]:
    found = []
    for region, svc in ctx.services(service_attr):
        if rows is None:
            found.append(_row(check_id, region.name, service, limit_name, limit, usage(svc)))
        else:
            found += [_row(check_id, region.name, service, name, lim, used) for name, lim, used in rows(svc)]
    return len(found), found


@check("jL7PP0l7J9", "VPC", "service_limits", metadata=_COLUMNS,
       description="VPCs per Region (default quota 5, the default VPC included). Yellow: 80% of the limit "
                   "reached. Red: 100% reached.")
def vpc_limit(ctx: Context) -> tuple[int, list[Finding]]:
    from ..vpc.network import VPCS_PER_REGION

    return _per_region(ctx, "jL7PP0l7J9", "vpc", "VPC", "VPCs", limit=VPCS_PER_REGION,
                       usage=lambda svc: len(svc.vpcs))


@check("lN7RR0l7J9", "EC2-VPC Elastic IP Address", "service_limits", metadata=_COLUMNS,
       description="Elastic IP addresses per Region (default quota 5). Yellow: 80% of the limit reached. "
                   "Red: 100% reached.")
def eip_limit(ctx: Context) -> tuple[int, list[Finding]]:
    from ..ec2.addresses import ADDRESSES_PER_REGION

    return _per_region(ctx, "lN7RR0l7J9", "ec2", "EC2", "EC2-VPC Elastic IPs", limit=ADDRESSES_PER_REGION,
                       usage=lambda svc: len(svc.addresses))


@check("0Xc6LMYG8P", "EC2 On-Demand Instances", "service_limits", metadata=_COLUMNS,
       description="Running On-Demand vCPUs per Region and instance family group (AWS counts vCPUs, not "
                   "instances, since 2019; the default for Standard families is 32 vCPUs in awskit, as for "
                   "a new account). Yellow: 80% reached. Red: 100% reached.")
def ec2_vcpu_limit(ctx: Context) -> tuple[int, list[Finding]]:
    from ..ec2.lifecycle import _QUOTA_NAMES

    def rows(ec2):
        for cls, quota in ec2.vcpu_quotas.items():
            used = ec2.vcpus_in_use(cls)
            if used or cls == "standard":
                yield _QUOTA_NAMES.get(cls, cls), quota, used

    return _per_region(ctx, "0Xc6LMYG8P", "ec2", "EC2", "", rows=rows)


@check("awskit-ebs-storage", "EBS Volume Storage", "service_limits", metadata=_COLUMNS,
       description="awskit's check in the spirit of AWS's per-type 'EBS ... Volume Storage' checks: storage "
                   "provisioned per EBS volume type and Region against a quota of 50 TiB (51,200 GiB), AWS's "
                   "usual default per type (some types and accounts differ). Yellow: 80%. Red: 100%.")
def ebs_storage_limit(ctx: Context) -> tuple[int, list[Finding]]:
    def rows(ebs):
        per_type: dict[str, int] = {}
        for vol in ebs.volumes:
            if vol.state.value in ("creating", "available", "in-use"):
                per_type[vol.volume_type.name] = per_type.get(vol.volume_type.name, 0) + vol.size
        for name, used in sorted(per_type.items()):
            yield f"{name} volume storage (GiB)", EBS_STORAGE_GIB, used

    return _per_region(ctx, "awskit-ebs-storage", "ebs", "EBS", "", rows=rows)


#: AWS's default quota of storage per EBS volume type and Region (GiB)
EBS_STORAGE_GIB = 51200


@check("qS7VV0l7J9", "IAM Users", "service_limits", metadata=_COLUMNS,
       description="IAM users in the account (quota 5,000; IAM is global). Yellow: 80% reached. Red: 100%.")
def iam_users_limit(ctx: Context) -> tuple[int, list[Finding]]:
    iam = ctx.global_service("iam")
    summary = iam.get_account_summary()
    return 1, [_row("qS7VV0l7J9", "global", "IAM", "Users", summary["UsersQuota"], summary["Users"])]


@check("fW7HH0l7J9", "Auto Scaling Groups", "service_limits", metadata=_COLUMNS,
       description="Auto Scaling groups per Region (default quota 500). Yellow: 80% reached. Red: 100%.",
       requires="awskit.autoscaling")
def asg_limit(ctx: Context) -> tuple[int, list[Finding]]:
    from ..autoscaling.groups import MAX_GROUPS

    return _per_region(ctx, "fW7HH0l7J9", "autoscaling", "AutoScaling", "Auto Scaling groups", limit=MAX_GROUPS,
                       usage=lambda svc: len(svc.groups))


@check("XG0aXHpIEt", "RDS DB Instances", "service_limits", metadata=_COLUMNS,
       description="DB instances per Region (default quota 40). Yellow: 80% reached. Red: 100%.",
       requires="awskit.rds")
def rds_instances_limit(ctx: Context) -> tuple[int, list[Finding]]:
    from ..rds.service import INSTANCE_QUOTA

    return _per_region(ctx, "XG0aXHpIEt", "rds", "RDS", "DB instances", limit=INSTANCE_QUOTA,
                       usage=lambda svc: len(svc.db_instances))
