"""Fault tolerance checks: what one failed Availability Zone, disk or mistake would take down.

The criteria are AWS's; the Auto Scaling single-zone check is awskit's own (AWS's "Auto
Scaling Group Resources" looks for deleted load balancers and images, which is evaluated too).
"""

from __future__ import annotations

from .checks import DAY, Context, Finding, Status, check, name_tag
from .cost import _backends, _running

SNAPSHOT_WARNING_DAYS = 7
SNAPSHOT_ERROR_DAYS = 30


def _zone_cells(region, counts: dict[str, int]) -> list[str]:
    """Counts for zones a-f of the region, as AWS's six 'Instances in Zone x' columns."""
    cells = []
    for letter in "abcdef":
        az = f"{region.name}{letter}"
        cells.append(str(counts.get(az, 0)) if any(a.name == az for a in region.availability_zones) else "")
    return cells


def _uneven(counts: list[int], min_gap: int = 0) -> bool:
    hi, lo = max(counts), min(counts)
    return hi - lo > min_gap and (hi - lo) > 0.2 * hi


@check("wuy7G1zxql", "Amazon EC2 Availability Zone Balance", "fault_tolerance",
       metadata=("Region", *(f"Instances in Zone {x}" for x in "abcdef"), "Status", "Reason"),
       description="How a Region's running instances spread over Availability Zones. Red: all of them are in "
                   "one zone. Yellow: several zones are used but unevenly (the difference between the "
                   "highest and lowest counts is more than 20%). Recommended action: launch instances in "
                   "other zones (an Auto Scaling group over subnets in several zones does it for you).")
def ec2_az_balance(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, ec2 in ctx.services("ec2"):
        running = _running(ec2)
        if not running:
            continue
        processed += 1
        counts: dict[str, int] = {}
        for inst in running:
            counts[inst.availability_zone.name] = counts.get(inst.availability_zone.name, 0) + 1
        if len(counts) == 1:
            status, reason = Status.ERROR, f"All {len(running)} running instances are in {next(iter(counts))}"
        elif _uneven(list(counts.values())):
            status, reason = Status.WARNING, "Instances are unevenly spread over the zones in use"
        else:
            continue
        found.append(Finding(
            check_id="wuy7G1zxql", status=status, region=region.name, resource_id=region.name,
            metadata=[region.name, *_zone_cells(region, counts), {"error": "Red", "warning": "Yellow"}[status.value],
                      reason], reason=reason, action="Run instances in more Availability Zones"))
    return processed, found


def _lb_zone_counts(lb) -> dict[str, int]:
    counts = {az: 0 for az in lb.zone_names}
    if lb.kind == "classic":
        for i in lb.instances.values():
            if i.in_service:
                counts[i.availability_zone] = counts.get(i.availability_zone, 0) + 1
        return counts
    for tg in lb.target_groups_in_use():
        for t in tg.targets.values():
            if t.state.value == "healthy" and t.availability_zone:
                counts[t.availability_zone] = counts.get(t.availability_zone, 0) + 1
    return counts


@check("iqdCTZKCUp", "Load Balancer Optimization", "fault_tolerance",
       metadata=("Region", "Load Balancer Name", "# of Zones", *(f"Instances in Zone {x}" for x in "abcdef"),
                 "Status", "Reason"),
       description="Load balancers that would not survive losing a zone. Yellow: enabled for a single "
                   "Availability Zone; enabled for a zone with no healthy instances; or its instances are "
                   "unevenly spread (the highest and lowest zone counts differ by more than 1 and by more "
                   "than 20% of the highest). Recommended action: enable two or more zones and balance the "
                   "instances across them.")
def load_balancer_optimization(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, elb in ctx.services("elb"):
        for lb in [*elb.load_balancers, *elb.classic_load_balancers]:
            processed += 1
            counts = _lb_zone_counts(lb)
            registered, _ = _backends(lb)
            zones = lb.zone_names
            if len(set(zones)) <= 1:
                reason = f"Enabled for a single Availability Zone ({zones[0] if zones else 'none'})"
            elif registered and any(counts.get(z, 0) == 0 for z in zones):
                reason = "Enabled for a zone with no healthy instances: " + ", ".join(
                    z for z in zones if counts.get(z, 0) == 0)
            elif registered and _uneven([counts.get(z, 0) for z in zones], min_gap=1):
                reason = "Instances are unevenly spread over the zones"
            else:
                continue
            key = lb.name if lb.kind == "classic" else lb.arn
            found.append(Finding(
                check_id="iqdCTZKCUp", status=Status.WARNING, region=region.name, resource_id=key,
                metadata=[region.name, lb.name, str(len(set(zones))), *_zone_cells(region, counts), "Yellow", reason],
                reason=reason, action="Enable more zones and balance the instances"))
    return processed, found


@check("8CNsSllI5v", "Auto Scaling Group Resources", "fault_tolerance",
       metadata=("Region", "Auto Scaling Group Name", "Launch Configuration Name", "Launch Type", "Launch Name",
                 "Resource Type", "Resource Name", "Status", "Reason"),
       description="Auto Scaling groups that point at things that no longer exist. Red: a group is associated "
                   "with a deleted load balancer (target group). Recommended action: detach the missing "
                   "target group, or create it again; fix() detaches it.",
       requires="awskit.autoscaling")
def asg_resources(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, asg in ctx.services("autoscaling"):
        elb = region.loaded_services().get("elb")
        known = {tg.arn for tg in elb.target_groups} if elb is not None else set()
        for g in asg.groups:
            processed += 1
            for arn in g.target_group_arns:
                if arn in known:
                    continue
                launch = g.launch_template or g.launch_configuration
                found.append(Finding(
                    check_id="8CNsSllI5v", status=Status.ERROR, region=region.name, resource_id=f"{g.name}/{arn}",
                    metadata=[region.name, g.name, getattr(g.launch_configuration, "name", ""),
                              "launch template" if g.launch_template else "launch configuration",
                              getattr(launch, "name", ""), "target group", arn, "Red",
                              "The target group was deleted"],
                    reason="Associated with a deleted target group", action=f"Detach {arn} from {g.name}",
                    _fix=lambda asg=asg, g=g, arn=arn: asg.detach_load_balancer_target_groups(g, [arn])))
    return processed, found


@check("awskit-asg-single-az", "Auto Scaling Group in a Single Availability Zone", "fault_tolerance",
       metadata=("Region", "Auto Scaling Group Name", "Availability Zones", "Status", "Reason"),
       description="awskit's own check: an Auto Scaling group whose subnets are all in one Availability Zone "
                   "cannot replace instances when that zone fails. Yellow: a group spans one zone. "
                   "Recommended action: add subnets in other zones; fix(subnets=[...]) sets the group's "
                   "subnets (keep the current ones in the list).",
       requires="awskit.autoscaling")
def asg_single_az(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, asg in ctx.services("autoscaling"):
        for g in asg.groups:
            processed += 1
            zones = g.availability_zones
            if len(zones) > 1:
                continue
            found.append(Finding(
                check_id="awskit-asg-single-az", status=Status.WARNING, region=region.name, resource_id=g.name,
                metadata=[region.name, g.name, ", ".join(zones), "Yellow", "The group uses a single zone"],
                reason=f"All subnets of {g.name} are in {zones[0] if zones else 'no zone'}",
                action=f"Add subnets in other zones to {g.name}",
                _fix=lambda subnets, asg=asg, g=g: asg.update_auto_scaling_group(g, subnets=subnets)))
    return processed, found


def _rds_row(region, db, what: str, value: str, colour: str) -> list[str]:
    return [f"{region.name}/{db.az}", db.id, db.vpc.id if db.vpc is not None else "", value, colour]


@check("f2iK5R6Dep", "Amazon RDS Multi-AZ", "fault_tolerance",
       metadata=("Region/AZ", "DB Instance", "VPC ID", "Multi-AZ", "Status"),
       description="DB instances in a single Availability Zone. Yellow: a DB instance is deployed in one zone. "
                   "Recommended action: turn Multi-AZ on, so that RDS keeps a synchronous standby in another "
                   "zone and fails over to it; fix() does it with apply_immediately=True.",
       requires="awskit.rds")
def rds_multi_az(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, rds in ctx.services("rds"):
        for db in rds.db_instances:
            if db.cluster is not None or db.is_replica or db.deleted:
                continue
            processed += 1
            if db.multi_az:
                continue
            found.append(Finding(
                check_id="f2iK5R6Dep", status=Status.WARNING, region=region.name, resource_id=db.id,
                metadata=_rds_row(region, db, "Multi-AZ", "false", "Yellow"), reason="Single-AZ deployment",
                action=f"Turn on Multi-AZ for {db.id}",
                _fix=lambda rds=rds, db=db: rds.modify_db_instance(db, multi_az=True, apply_immediately=True)))
    return processed, found


@check("opQPADkZvH", "Amazon RDS Backups", "fault_tolerance",
       metadata=("Region/AZ", "DB Instance", "VPC ID", "Backup Retention Period", "Status"),
       description="DB instances without automated backups. Red: the backup retention period is 0 days. "
                   "Recommended action: set a retention period of 1 to 35 days (fix(days=7)).",
       requires="awskit.rds")
def rds_backups(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, rds in ctx.services("rds"):
        for db in rds.db_instances:
            if db.cluster is not None or db.is_replica or db.deleted:
                continue
            processed += 1
            if db.backup_retention_period > 0:
                continue
            found.append(Finding(
                check_id="opQPADkZvH", status=Status.ERROR, region=region.name, resource_id=db.id,
                metadata=_rds_row(region, db, "Backup Retention Period", "0", "Red"),
                reason="Automated backups are off (retention 0 days)", action=f"Turn on backups for {db.id}",
                _fix=lambda days=7, rds=rds, db=db: rds.modify_db_instance(
                    db, backup_retention_period=days, apply_immediately=True)))
    return processed, found


@check("H7IgTzjTYb", "Amazon EBS Snapshots", "fault_tolerance",
       metadata=("Region", "Volume ID", "Volume Name", "Snapshot ID", "Snapshot Name", "Snapshot Age",
                 "Volume Attachment", "Status", "Reason"),
       description="How old each volume's latest snapshot is. Yellow: between 7 and 30 days old. Red: more "
                   "than 30 days old, or the volume has no snapshot. Recommended action: snapshot volumes "
                   "weekly or monthly (fix() takes one now).")
def ebs_snapshots(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, ebs in ctx.services("ebs"):
        latest: dict[str, object] = {}
        for s in ebs.snapshots:
            if s.state.value != "error" and (s.volume_id not in latest or s.start_time > latest[s.volume_id].start_time):
                latest[s.volume_id] = s
        for vol in ebs.volumes:
            if vol.state.value not in ("available", "in-use"):
                continue
            processed += 1
            snap = latest.get(vol.id)
            age = None if snap is None else (ctx.now - snap.start_time) / DAY
            if age is not None and age <= SNAPSHOT_WARNING_DAYS:
                continue
            if snap is None:
                status, reason = Status.ERROR, "No snapshot"
            elif age > SNAPSHOT_ERROR_DAYS:
                status, reason = Status.ERROR, f"Latest snapshot is {age:.0f} days old (more than 30)"
            else:
                status, reason = Status.WARNING, f"Latest snapshot is {age:.0f} days old (more than 7)"
            attachment = f"{vol.instance.id}:{vol.device}" if vol.instance is not None else "unattached"
            found.append(Finding(
                check_id="H7IgTzjTYb", status=status, region=region.name, resource_id=vol.id,
                metadata=[region.name, vol.id, name_tag(vol), getattr(snap, "id", ""),
                          name_tag(snap) if snap is not None else "", "" if age is None else f"{age:.0f}",
                          attachment, {"error": "Red", "warning": "Yellow"}[status.value], reason],
                reason=reason, action=f"Snapshot {vol.id}",
                _fix=lambda ebs=ebs, vol=vol: ebs.create_snapshot(vol, description="Trusted Advisor: regular snapshot")))
    return processed, found


@check("R365s2Qddf", "Amazon S3 Bucket Versioning", "fault_tolerance",
       metadata=("Region", "Bucket Name", "Versioning", "MFA Delete Enabled", "Status"),
       description="Buckets that keep only the latest copy of each object. Yellow: versioning is not "
                   "enabled, or it is suspended. Recommended action: enable versioning (and a lifecycle rule "
                   "that expires old versions, to bound the cost).")
def s3_versioning(ctx: Context) -> tuple[int, list[Finding]]:
    s3 = ctx.global_service("s3")
    processed, found = 0, []
    for bucket in s3.list_buckets():
        processed += 1
        state = s3.get_bucket_versioning(bucket)
        if state == "Enabled":
            continue
        found.append(Finding(
            check_id="R365s2Qddf", status=Status.WARNING, region=bucket.region, resource_id=bucket.name,
            metadata=[bucket.region, bucket.name, state or "Not enabled", str(bucket.mfa_delete == "Enabled").lower(),
                      "Yellow"],
            reason=f"Versioning is {'suspended' if state == 'Suspended' else 'not enabled'}",
            action=f"Enable versioning on {bucket.name}",
            _fix=lambda s3=s3, bucket=bucket: s3.put_bucket_versioning(bucket, "Enabled")))
    return processed, found
