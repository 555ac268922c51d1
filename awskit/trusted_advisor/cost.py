"""Cost optimization checks: resources you pay for and hardly use.

Each check follows the alert criteria AWS documents for it, on *simulated* days: "the last
14 days" are the 14 periods of 86,400 simulated seconds before the check runs.  Estimated
monthly savings are what the flagged resource's running meters on ``cloud.bill`` would cost
for a 730-hour month (see :func:`awskit.billing.monthly_rate`).
"""

from __future__ import annotations

import math
from typing import Any

from ..billing import monthly_rate
from .checks import DAY, Context, Finding, Status, check, money, name_tag

#: AWS's thresholds for "Low Utilization Amazon EC2 Instances"
LOW_CPU_PERCENT = 10.0
LOW_NETWORK_BYTES = 5 * 1024 * 1024
LOW_DAYS = 4
#: "Idle Load Balancers": fewer than this many requests on each of the last 7 days
IDLE_REQUESTS_PER_DAY = 100


def _ec2_days(ctx: Context, region, inst) -> tuple[list[float | None], list[float | None]]:
    dims = {"InstanceId": inst.id}
    cpu = ctx.daily(region, "AWS/EC2", "CPUUtilization", dims, "Average")
    net_in = ctx.daily(region, "AWS/EC2", "NetworkIn", dims, "Sum")
    net_out = ctx.daily(region, "AWS/EC2", "NetworkOut", dims, "Sum")
    net = [None if a is None and b is None else (a or 0.0) + (b or 0.0) for a, b in zip(net_in, net_out)]
    return cpu, net


def _running(ec2) -> list:
    return [i for i in ec2.instances if i.state.value in ("pending", "running")]


@check("Qch7DwouX1", "Low Utilization Amazon EC2 Instances", "cost_optimizing",
       metadata=("Region/AZ", "Instance ID", "Instance Name", "Instance Type", "Estimated Monthly Savings",
                 *(f"Day {i}" for i in range(1, 15)), "14-Day Average CPU Utilization",
                 "14-Day Average Network I/O", "Number of Days Low Utilization"),
       description="Running EC2 instances whose daily average CPU utilization was 10% or less and whose "
                   "network I/O was 5 MB or less on at least 4 of the last 14 days. Yellow: such an instance. "
                   "Recommended action: stop or terminate it, or pick a smaller type. awskit looks at "
                   "instances running now (a stopped instance has no instance-hours left to save).")
def low_utilization_ec2(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, ec2 in ctx.services("ec2"):
        for inst in _running(ec2):
            cpu, net = _ec2_days(ctx, region, inst)
            days = [(c, n) for c, n in zip(cpu, net) if c is not None]
            if not days:
                continue
            processed += 1
            low = sum(1 for c, n in days if c <= LOW_CPU_PERCENT and (n or 0.0) <= LOW_NETWORK_BYTES)
            if low < LOW_DAYS:
                continue
            rate = monthly_rate(ctx.cloud.bill, inst.id, service="ec2")
            savings = rate * min(1.0, low / 14)
            cells = ["" if c is None else f"{c:.1f}%  {(n or 0) / 1e6:.2f}MB" for c, n in zip(cpu, net)]
            avg_cpu = sum(c for c, _ in days) / len(days)
            avg_net = sum(n or 0.0 for _, n in days) / len(days)
            found.append(Finding(
                check_id="Qch7DwouX1", status=Status.WARNING, region=region.name, resource_id=inst.id,
                metadata=[inst.availability_zone.name, inst.id, name_tag(inst), inst.instance_type.name,
                          money(savings), *cells, f"{avg_cpu:.1f}%", f"{avg_net / 1e6:.2f}MB", f"{low} days"],
                reason=f"CPU <= {LOW_CPU_PERCENT:g}% and network I/O <= 5 MB on {low} of the last 14 days",
                estimated_monthly_savings=savings, action=f"Stop the instance {inst.id}",
                _fix=_stopper(ec2, inst)))
    return processed, found


def _stopper(ec2, inst):
    def fix() -> None:
        ec2.stop_instances([inst])
    return fix


def _lb_requests(ctx: Context, region, lb) -> list[float | None]:
    if lb.kind == "classic":
        return ctx.daily(region, "AWS/ELB", "RequestCount", {"LoadBalancerName": lb.name}, "Sum", days=7)
    if lb.type == "network":
        return ctx.daily(region, "AWS/NetworkELB", "NewFlowCount", {"LoadBalancer": lb.metric_id}, "Sum", days=7)
    return ctx.daily(region, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb.metric_id}, "Sum", days=7)


def _backends(lb) -> tuple[int, int]:
    """(registered back ends, healthy ones) of any kind of load balancer."""
    if lb.kind == "classic":
        return len(lb.instances), sum(1 for i in lb.instances.values() if i.in_service)
    targets = [t for tg in lb.target_groups_in_use() for t in tg.targets.values()]
    return len(targets), sum(1 for t in targets if t.state.value == "healthy")


@check("hjLMh88uM8", "Idle Load Balancers", "cost_optimizing",
       metadata=("Region", "Load Balancer Name", "Reason", "Estimated Monthly Savings"),
       description="Load balancers that are not in active use. Yellow: no back-end instances registered; no "
                   "healthy back-end instances; or fewer than 100 requests on each of the last 7 days (days "
                   "before the load balancer existed are not counted). Recommended action: delete it.")
def idle_load_balancers(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, elb in ctx.services("elb"):
        for lb in [*elb.load_balancers, *elb.classic_load_balancers]:
            processed += 1
            registered, healthy = _backends(lb)
            reason = None
            if not registered:
                reason = "No active back-end instances"
            elif not healthy:
                reason = "No healthy back-end instances"
            else:
                age_days = math.floor((ctx.now - lb.created_at) / DAY)
                recent = _lb_requests(ctx, region, lb)[7 - min(7, age_days):] if age_days >= 1 else []
                if recent and all((r or 0.0) < IDLE_REQUESTS_PER_DAY for r in recent):
                    reason = f"Low request count (under {IDLE_REQUESTS_PER_DAY} a day for {len(recent)} days)"
            if reason is None:
                continue
            key = lb.name if lb.kind == "classic" else lb.arn
            savings = monthly_rate(ctx.cloud.bill, key, service="elb")
            found.append(Finding(
                check_id="hjLMh88uM8", status=Status.WARNING, region=region.name, resource_id=key,
                metadata=[region.name, lb.name, reason, money(savings)], reason=reason,
                estimated_monthly_savings=savings, action=f"Delete the load balancer {lb.name}",
                _fix=_lb_deleter(elb, lb)))
    return processed, found


def _lb_deleter(elb, lb):
    def fix() -> None:
        if lb.kind == "classic":
            elb.delete_classic_load_balancer(lb)
        else:
            elb.delete_load_balancer(lb)
    return fix


@check("Z4AUBRNSmz", "Unassociated Elastic IP Addresses", "cost_optimizing",
       metadata=("Region", "IP Address"),
       description="Elastic IP addresses not associated with a running instance. Every public IPv4 address "
                   "costs $0.005 an hour since February 2024, so an idle one is money spent on nothing. "
                   "Yellow: an allocated address not associated with a running instance. Recommended action: "
                   "associate it with a running instance or release it.")
def unassociated_eips(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, ec2 in ctx.services("ec2"):
        for addr in ec2.addresses:
            processed += 1
            inst = addr.instance
            if inst is not None and inst.state.value == "running":
                continue
            why = ("not associated" if addr.network_interface is None else
                   f"associated with {inst.id}, which is {inst.state.value}" if inst is not None else
                   f"associated with {addr.network_interface.id}, which has no instance")
            savings = monthly_rate(ctx.cloud.bill, str(addr.public_ip), service="vpc")
            found.append(Finding(
                check_id="Z4AUBRNSmz", status=Status.WARNING, region=region.name, resource_id=addr.allocation_id,
                metadata=[region.name, str(addr.public_ip)], reason=f"Elastic IP {why}",
                estimated_monthly_savings=savings, action=f"Release the Elastic IP {addr.public_ip}",
                _fix=_releaser(ec2, addr)))
    return processed, found


def _releaser(ec2, addr):
    def fix() -> None:
        if addr.network_interface is not None:
            ec2.disassociate_address(addr)
        ec2.release_address(addr)
    return fix


def _latest_snapshot(ebs, vol) -> Any:
    snaps = [s for s in ebs.snapshots if s.volume_id == vol.id]
    return max(snaps, key=lambda s: s.start_time, default=None)


@check("DAvU99Dc4C", "Underutilized Amazon EBS Volumes", "cost_optimizing",
       metadata=("Region", "Volume ID", "Volume Name", "Volume Type", "Volume Size", "Monthly Storage Cost",
                 "Snapshot ID", "Snapshot Name", "Snapshot Age"),
       description="EBS volumes that look unused. Yellow: a volume is unattached, or had less than 1 IOPS a day "
                   "over the last 7 days. Simplification: awskit's EBS publishes no VolumeReadOps/WriteOps "
                   "metrics, so only unattached volumes are flagged. Recommended action: snapshot the volume "
                   "and delete it (a snapshot costs far less than a provisioned volume).")
def underutilized_ebs(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, ebs in ctx.services("ebs"):
        for vol in ebs.volumes:
            if vol.state.value not in ("available", "in-use"):
                continue
            processed += 1
            if vol.state.value != "available":
                continue
            cost = ebs.monthly_cost(vol)
            snap = _latest_snapshot(ebs, vol)
            snap_cells = ([snap.id, name_tag(snap), f"{(ctx.now - snap.start_time) / DAY:.0f} days"]
                          if snap is not None else ["", "", ""])
            found.append(Finding(
                check_id="DAvU99Dc4C", status=Status.WARNING, region=region.name, resource_id=vol.id,
                metadata=[region.name, vol.id, name_tag(vol), vol.volume_type.name, f"{vol.size}", money(cost),
                          *snap_cells],
                reason="Volume is not attached to any instance", estimated_monthly_savings=cost,
                action=f"Snapshot {vol.id}, then delete it", _fix=_snapshot_and_delete(ebs, vol)))
    return processed, found


def _snapshot_and_delete(ebs, vol):
    def fix() -> None:
        ebs.create_snapshot(vol, description=f"Trusted Advisor: kept before deleting {vol.id}")
        ebs.delete_volume(vol)
    return fix


@check("Ti39halfu8", "Amazon RDS Idle DB Instances", "cost_optimizing",
       metadata=("Region", "DB Instance Name", "Multi-AZ", "Instance Type", "Storage Provisioned (GB)",
                 "Days Since Last Connection", "Estimated Monthly Savings (On Demand)"),
       description="DB instances nobody connects to. Yellow: an active DB instance has not had a connection "
                   "in the last 7 days (instances younger than 7 days are not judged). Recommended action: "
                   "take a final snapshot and delete the instance.",
       requires="awskit.rds")
def idle_rds(ctx: Context) -> tuple[int, list[Finding]]:
    processed, found = 0, []
    for region, rds in ctx.services("rds"):
        for db in rds.db_instances:
            if db.status.value != "available" or db.cluster is not None:
                continue
            processed += 1
            if ctx.now - db.created < 7 * DAY or db.connections:
                continue
            peak = ctx.daily(region, "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db.id},
                             "Maximum", days=30)
            used = [i for i, v in enumerate(peak) if v]
            since = 30 - 1 - used[-1] if used else None
            if since is not None and since < 7:
                continue
            savings = monthly_rate(ctx.cloud.bill, db.id, service="rds")
            days = f"{since}" if since is not None else f"{min(30, math.floor((ctx.now - db.created) / DAY))}+"
            found.append(Finding(
                check_id="Ti39halfu8", status=Status.WARNING, region=region.name, resource_id=db.id,
                metadata=[region.name, db.id, str(db.multi_az).lower(), db.instance_class.name,
                          str(db.allocated_storage), days, money(savings)],
                reason="No connection in the last 7 days", estimated_monthly_savings=savings,
                action=f"Delete {db.id} after a final snapshot", _fix=_db_deleter(rds, db, ctx.now)))
    return processed, found


def _db_deleter(rds, db, now: float):
    def fix() -> None:
        rds.delete_db_instance(db, final_snapshot_identifier=f"{db.id}-final-{int(now)}")
    return fix
