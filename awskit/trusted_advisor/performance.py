"""Performance checks: resources working at their limit, or configured to slow things down.

AWS's performance category also covers CloudFront, Route 53 and EBS throughput; awskit
evaluates the checks its simulation can answer honestly (CPU history from CloudWatch, the
rules of security groups) and leaves out those that need data it does not model.
"""

from __future__ import annotations

from .checks import Context, Finding, Status, check, name_tag
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
