"""Performance checks: resources working at their limit, or configured to slow things down.

AWS's performance category also covers Route 53 and EC2-to-EBS throughput; awskit evaluates
the checks its simulation can answer honestly (CPU history from CloudWatch, the rules of
security groups, the daily I/O of EBS volumes, CloudFront's cache configuration and hit
rate) and leaves out those that need data it does not model.
"""

from __future__ import annotations

import dataclasses

from .checks import DAY, Context, Finding, Status, check, name_tag
from .cost import _running

HIGH_CPU_PERCENT = 90.0
HIGH_DAYS = 4
#: "Large Number of Rules in an EC2 Security Group": more than 50 rules in a VPC security group
MANY_RULES = 50


@check("ZRxQlPsb6c", "High Utilization Amazon EC2 Instances", "performance",
       metadata=("Region/AZ", "Instance ID", "Instance Name", "Instance Type",
                 *(f"Day {i}" for i in range(1, 15)), "14-Day Average CPU Utilization",
                 "Number of Days over 90% CPU Utilization"),
       description="Running EC2 instances with more than 90% daily average CPU utilization on at least 4 of "
                   "the last 14 days. Yellow: such an instance. Recommended action: add instances (Auto "
                   "Scaling) or move to a larger instance type.")
def high_utilization_ec2(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, ec2 in ctx.services("ec2"):
        for inst in _running(ec2):
            cpu = ctx.daily(region, "AWS/EC2", "CPUUtilization", {"InstanceId": inst.id}, "Average")
            days = [c for c in cpu if c is not None]
            if not days:
                continue
            processed += 1
            high = sum(1 for c in days if c > HIGH_CPU_PERCENT)
            if high < HIGH_DAYS:
                continue
            found.append(Finding(
                check_id="ZRxQlPsb6c", status=Status.WARNING, region=region.name, resource_id=inst.id,
                metadata=[inst.availability_zone.name, inst.id, name_tag(inst), inst.instance_type.name,
                          *("" if c is None else f"{c:.1f}%" for c in cpu), f"{sum(days) / len(days):.1f}%",
                          f"{high}"],
                reason=f"CPU above {HIGH_CPU_PERCENT:g}% on {high} of the last 14 days",
                action="Scale out with Auto Scaling, or stop the instance and change it to a larger type"))
    return processed, found


@check("tfg86AVHAZ", "Large Number of Rules in an EC2 Security Group", "performance",
       metadata=("Region", "Security Group Name", "Group ID", "Description", "Instance Count", "VPC ID",
                 "Total Inbound Rules", "Total Outbound Rules"),
       description="Security groups with many rules, which can slow the network down. Yellow: a VPC "
                   "security group has more than 50 rules. Recommended action: merge rules (wider ranges, "
                   "prefix lists or security-group references) or remove those no longer needed.")
def many_security_group_rules(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, vpc in ctx.services("vpc"):
        for sg in vpc.security_groups:
            processed += 1
            if len(sg.ingress) + len(sg.egress) <= MANY_RULES:
                continue
            instances = {getattr(e.attachment, "instance", None) for e in sg.network_interfaces} - {None}
            found.append(Finding(
                check_id="tfg86AVHAZ", status=Status.WARNING, region=region.name, resource_id=sg.id,
                metadata=[region.name, sg.group_name, sg.id, sg.description, str(len(instances)), sg.vpc.id,
                          str(len(sg.ingress)), str(len(sg.egress))],
                reason=f"{len(sg.ingress) + len(sg.egress)} rules (more than {MANY_RULES})",
                action="Merge or remove rules"))
    return processed, found


#: "Overutilized Amazon EBS Magnetic Volumes": more than 95 IOPS a day on at least 7 of the last 14 days
MAGNETIC_IOPS = 95.0
MAGNETIC_DAYS = 7


def _in_progress(vol) -> bool:
    last = vol.modifications[-1] if vol.modifications else None
    return last is not None and last.state == "modifying" and last.target_type != "standard"


@check("k3J2hns32g", "Overutilized Amazon EBS Magnetic Volumes", "performance",
       metadata=("Region", "Volume ID", "Volume Name", *(f"Day {i}" for i in range(1, 15)), "Number of Days Over",
                 "Max Daily Median", "Status"),
       description="Magnetic (standard) volumes attached to an instance that work harder than the roughly 100 "
                   "IOPS a magnetic volume delivers on average. Yellow: more than 95 IOPS a day on at least 7 of "
                   "the last 14 complete days. Simplification: AWS takes the daily median of the volume's IOPS "
                   "and also asks that it vary by less than 10%; awskit uses the daily average of the workloads "
                   "run on the volume (Volume.io_history). Recommended action: change the volume to General "
                   "Purpose SSD (gp3) or Provisioned IOPS SSD.")
def overutilized_magnetic(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    today = int(ctx.now // DAY)
    days = range(today - 14, today)
    for region, ebs in ctx.services("ebs"):
        for vol in ebs.volumes:
            if vol.volume_type.name != "standard" or vol.state.value != "in-use":
                continue
            processed += 1
            if _in_progress(vol):  # already on its way to another type
                continue
            born = int(vol.create_time // DAY)
            daily = [None if d < born else vol.io_history.get(d, 0.0) for d in days]
            over = sum(1 for v in daily if v is not None and v > MAGNETIC_IOPS)
            if over < MAGNETIC_DAYS:
                continue
            peak = max(v for v in daily if v is not None)
            found.append(Finding(
                check_id="k3J2hns32g", status=Status.WARNING, region=region.name, resource_id=vol.id,
                metadata=[region.name, vol.id, name_tag(vol), *("" if v is None else f"{v:.0f}" for v in daily),
                          f"{over}", f"{peak:.0f}", "Yellow"],
                reason=f"Above {MAGNETIC_IOPS:g} IOPS on {over} of the last 14 days (magnetic: about 100 on average)",
                action=f"Change {vol.id} to gp3 (modify_volume)", _fix=_to_gp3(ebs, vol)))
    return processed, found


def _to_gp3(ebs, vol):
    def fix():
        return ebs.modify_volume(vol, volume_type="gp3")
    return fix


# -- CloudFront ----------------------------------------------------------------------------------

#: request headers whose value changes from viewer to viewer (or request to request): in the cache
#: key, each value gets its own cached copy, so the edge hardly ever has a hit (awskit's list,
#: after the CloudFront Developer Guide's "Date or User-Agent" examples)
VARYING_HEADERS = ("date", "user-agent", "referer", "x-forwarded-for")
#: "Low CloudFront Cache Hit Ratio": below this average daily CacheHitRate (percent) over 7 days
LOW_HIT_RATE = 50.0
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _distributions(ctx: Context) -> list:
    cf = ctx.cloud._globals.get("cloudfront")  # never built just to be checked
    return [] if cf is None else [(cf, d) for d in cf.list_distributions()]


def _behaviors(d) -> list:
    return [d.config.default_behavior, *d.config.behaviors]


@check("N415c450f2", "CloudFront Header Forwarding and Cache Hit Ratio", "performance",
       metadata=("Status", "Distribution ID", "Distribution Domain Name", "Cache Behavior Path Pattern", "Headers"),
       description="Cache behaviours whose cache key includes request headers that differ from viewer to viewer "
                   "(Date, User-Agent, Referer, X-Forwarded-For): every value is cached separately, so most "
                   "requests go to the origin. Yellow: such a behaviour. Recommended action: forward only the "
                   "headers the origin really varies its response on.")
def header_forwarding(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for cf, d in _distributions(ctx):
        for b in _behaviors(d):
            processed += 1
            named = b.forwarded_headers if b.cache_policy_id is None else b.key_headers  # as the user spelt them
            bad = [h for h in named if h.lower() in VARYING_HEADERS]
            if not bad:
                continue
            fixable = b.cache_policy_id is None  # legacy forwarded headers (managed policies forward none of these)
            found.append(Finding(
                check_id="N415c450f2", status=Status.WARNING, region="global", resource_id=f"{d.id} {b.path_pattern}",
                metadata=["Yellow", d.id, d.domain_name, b.path_pattern, ", ".join(bad)],
                reason=f"Cache key includes {', '.join(bad)}, which differ per viewer",
                action=f"Stop forwarding {', '.join(bad)} on {b.path_pattern!r}",
                _fix=_drop_headers(cf, d, b.path_pattern, {h.lower() for h in bad}) if fixable else None))
    return processed, found


def _drop_headers(cf, d, pattern: str, bad: set[str]):
    def fix():
        def clean(b):
            if b.path_pattern != pattern:
                return b
            return dataclasses.replace(b, forwarded_headers=tuple(h for h in b.forwarded_headers
                                                                  if h.lower() not in bad))
        cfg = d.config
        return cf.update_distribution(d, if_match=d.etag, default_behavior=clean(cfg.default_behavior),
                                      behaviors=[clean(b) for b in cfg.behaviors])
    return fix


@check("awskit-cf-hit-ratio", "Low Amazon CloudFront Cache Hit Ratio", "performance",
       metadata=("Status", "Distribution ID", "Distribution Domain Name", *(f"Day {i}" for i in range(1, 8)),
                 "7-Day Average Cache Hit Rate", "Behaviors with CachingDisabled"),
       description="An awskit check (AWS has no exact counterpart): distributions that served cacheable GET "
                   "traffic in the last 7 days but answered little of it from the edge. Yellow: the daily "
                   "CacheHitRate (CloudWatch, AWS/CloudFront) averages below 50%, counting only traffic since the "
                   "configuration last changed (a fixed distribution is judged afresh). When a GET/HEAD behaviour uses "
                   "the CachingDisabled policy, that is the cause, and the fix switches it to CachingOptimized. "
                   "Otherwise check Cache-Control headers, TTLs and what goes into the cache key.")
def low_hit_ratio(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    us_east = ctx.cloud._regions.get("us-east-1")
    for cf, d in _distributions(ctx):
        rates = ([None] * 7 if us_east is None else
                 ctx.daily(us_east, "AWS/CloudFront", "CacheHitRate", {"DistributionId": d.id, "Region": "Global"},
                           "Average", days=7))
        if all(r is None for r in rates):
            continue
        processed += 1
        # judge the configuration the distribution has now: only traffic since its last change counts
        window = min(7.0, (ctx.now - d.last_modified) / DAY)
        avg = None if window <= 0 else ctx.total(us_east, "AWS/CloudFront", "CacheHitRate",
                                                 {"DistributionId": d.id, "Region": "Global"}, "Average", window)
        if avg is None or avg >= LOW_HIT_RATE:
            continue
        disabled = [b.path_pattern for b in _behaviors(d) if b.cache_policy_id == CACHING_DISABLED
                    and set(b.allowed_methods) <= {"GET", "HEAD", "OPTIONS"}]
        why = (f"CachingDisabled on {', '.join(disabled)} for GET content" if disabled
               else "responses expire or vary too quickly to be reused")
        found.append(Finding(
            check_id="awskit-cf-hit-ratio", status=Status.WARNING, region="global", resource_id=d.id,
            metadata=["Yellow", d.id, d.domain_name, *("" if r is None else f"{r:.0f}%" for r in rates),
                      f"{avg:.1f}%", ", ".join(disabled)],
            reason=f"Cache hit rate {avg:.1f}% over the last 7 days: {why}",
            action=("Switch " + ", ".join(disabled) + " to the CachingOptimized policy" if disabled else
                    "Raise TTLs (Cache-Control max-age) and keep only what matters in the cache key"),
            _fix=_enable_caching(cf, d, set(disabled)) if disabled else None))
    return processed, found


def _enable_caching(cf, d, patterns: set[str]):
    def fix():
        def switch(b):
            if b.path_pattern in patterns and b.cache_policy_id == CACHING_DISABLED:
                return dataclasses.replace(b, cache_policy_id=CACHING_OPTIMIZED)
            return b
        cfg = d.config
        return cf.update_distribution(d, if_match=d.etag, default_behavior=switch(cfg.default_behavior),
                                      behaviors=[switch(b) for b in cfg.behaviors])
    return fix
