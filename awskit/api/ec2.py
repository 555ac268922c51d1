"""The EC2 API as boto3 speaks it: regions and AZs here, the rest in one module per concept.

EC2's API covers more than instances: VPCs, subnets, route tables, gateways, network ACLs
and security groups are all EC2 operations, so one client serves chapters 1 to 4.
``EC2Client`` is the single client class; each concept's operations live in a base class
of their own module (:mod:`.ec2_vpc`, :mod:`.ec2_routing`, :mod:`.ec2_security`) that it
inherits, and their waiters and paginators are merged here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ..regions import LOCAL_ZONES, REGIONS
from .base import apply_filters, check_type
from .ec2_ebs import EbsOps
from .ec2_insights import InsightsOps
from .ec2_instances import InstanceOps
from .ec2_routing import RoutingOps
from .ec2_security import SecurityOps
from .ec2_templates import TemplateOps
from .ec2_vpc import VpcOps

__all__ = ["EC2Client"]


def _optin(info) -> str:
    return "opted-in" if info.opt_in else "opt-in-not-required"


class EC2Client(VpcOps, RoutingOps, SecurityOps, InstanceOps, InsightsOps, EbsOps, TemplateOps):
    """``awskit.client("ec2")``: the EC2 API on a simulated account.

    >>> from awskit import Cloud
    >>> ec2 = Cloud(seed=1).client("ec2")
    >>> vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    >>> [v["IsDefault"] for v in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]]
    [False]
    """

    service_name = "ec2"
    error_codes = (
        "InvalidVpcID.NotFound", "InvalidVpcID.Malformed", "InvalidVpc.Range", "VpcLimitExceeded",
        "InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed", "InvalidSubnet.Range", "InvalidSubnet.Conflict",
        "SubnetLimitExceeded", "InvalidInternetGatewayID.NotFound", "InvalidInternetGatewayId.Malformed",
        "Gateway.NotAttached", "Resource.AlreadyAssociated", "InvalidGatewayID.NotFound",
        "InvalidRouteTableID.NotFound", "InvalidRouteTableId.Malformed", "RouteAlreadyExists",
        "InvalidRoute.NotFound", "InvalidAssociationID.NotFound", "InvalidNetworkAclID.NotFound",
        "NetworkAclEntryAlreadyExists", "NetworkAclEntryLimitExceeded", "InvalidNetworkAclEntry.NotFound",
        "InvalidGroup.NotFound", "InvalidGroupId.Malformed", "InvalidGroup.Duplicate", "InvalidGroup.Reserved",
        "InvalidPermission.Duplicate", "InvalidPermission.NotFound", "InvalidSecurityGroupRuleId.NotFound",
        "RulesPerSecurityGroupLimitExceeded", "CannotDelete", "VPCIdNotSpecified",
        "InvalidNetworkInterfaceID.NotFound", "InvalidNetworkInterfaceId.Malformed",
        "InvalidNetworkInterface.InUse", "InvalidIPAddress.InUse", "InsufficientFreeAddressesInSubnet",
        "SecurityGroupsPerInterfaceLimitExceeded", "DependencyViolation", "InvalidParameterValue",
        "InvalidParameterCombination", "MissingParameter", "InvalidID", "TagLimitExceeded",
        "UnsupportedOperation", "DryRunOperation", "InvalidNextToken",
    ) + InstanceOps.error_codes + InsightsOps.error_codes + EbsOps.error_codes + TemplateOps.error_codes
    waiters: ClassVar[dict] = {**VpcOps.waiters, **RoutingOps.waiters, **SecurityOps.waiters, **InstanceOps.waiters,
                              **EbsOps.waiters}
    paginators: ClassVar[dict] = {**VpcOps.paginators, **RoutingOps.paginators, **SecurityOps.paginators,
                                  **InstanceOps.paginators, **InsightsOps.paginators, **EbsOps.paginators,
                                  **TemplateOps.paginators}

    # -- chapter 1: regions and Availability Zones ------------------------------
    def describe_regions(self, *, RegionNames: list[str] | None = None, Filters: list | None = None,
                         AllRegions: bool = False, DryRun: bool = False) -> dict[str, Any]:
        """Regions the account can use (opt-in Regions only with ``AllRegions=True``)."""
        check_type("AllRegions", AllRegions, bool)
        infos = list(REGIONS.values())
        if RegionNames is not None:
            check_type("RegionNames", RegionNames, list)
            unknown = [n for n in RegionNames if n not in REGIONS]
            if unknown:
                raise InvalidParameter("InvalidParameterValue", f"Invalid region names: {unknown}. "
                                       f"Valid region names: {', '.join(REGIONS)}.")
            infos = [REGIONS[n] for n in RegionNames]
        elif not AllRegions:
            infos = [r for r in infos if not r.opt_in]
        rows = [{
            "Endpoint": f"ec2.{r.code}.amazonaws.com",
            "RegionName": r.code,
            # An opt-in Region the account has not enabled shows as "not-opted-in".
            "OptInStatus": "not-opted-in" if r.opt_in else "opt-in-not-required",
        } for r in infos]
        rows = apply_filters(rows, Filters, {
            "endpoint": lambda r: r["Endpoint"],
            "region-name": lambda r: r["RegionName"],
            "opt-in-status": lambda r: r["OptInStatus"],
        })
        return {"Regions": rows}

    def describe_availability_zones(self, *, ZoneNames: list[str] | None = None, ZoneIds: list[str] | None = None,
                                    Filters: list | None = None, AllAvailabilityZones: bool = False,
                                    DryRun: bool = False) -> dict[str, Any]:
        """The client's Region's AZs (and, with ``AllAvailabilityZones``, its Local Zones)."""
        region = self._region.info
        failed = self._cloud.failed_azs
        rows = [{
            "OptInStatus": "opt-in-not-required",
            "Messages": ([{"Message": "This Availability Zone is impaired (simulated outage)."}]
                         if az.name in failed else []),
            "RegionName": region.code,
            "ZoneName": az.name,
            "ZoneId": az.zone_id,
            "GroupName": region.code,
            "NetworkBorderGroup": region.code,
            "ZoneType": "availability-zone",
            "State": "impaired" if az.name in failed else "available",
        } for az in region.azs]
        if AllAvailabilityZones:
            rows += [{
                "OptInStatus": "not-opted-in",
                "Messages": [],
                "RegionName": region.code,
                "ZoneName": lz.name,
                "ZoneId": f"{region.zone_prefix}-{lz.name.split('-')[-2]}{lz.name.split('-')[-1][:-1]}-az1",
                "GroupName": lz.name[:-1],
                "NetworkBorderGroup": lz.name[:-1],
                "ZoneType": "local-zone",
                "ParentZoneName": region.azs[0].name,
                "ParentZoneId": region.azs[0].zone_id,
                "State": "available",
            } for lz in LOCAL_ZONES if lz.parent == region.code]
        for param, key, wanted in (("ZoneNames", "ZoneName", ZoneNames), ("ZoneIds", "ZoneId", ZoneIds)):
            if wanted is not None:
                check_type(param, wanted, list)
                have = {r[key] for r in rows}
                unknown = [w for w in wanted if w not in have]
                if unknown:
                    raise InvalidParameter(
                        "InvalidParameterValue",
                        f"The zone '{unknown[0]}' does not exist in {region.code}. "
                        f"Zones here: {', '.join(sorted(have))}.")
                rows = [r for r in rows if r[key] in wanted]
        rows = apply_filters(rows, Filters, {
            "zone-name": lambda r: r["ZoneName"],
            "zone-id": lambda r: r["ZoneId"],
            "state": lambda r: r["State"],
            "region-name": lambda r: r["RegionName"],
            "zone-type": lambda r: r["ZoneType"],
            "group-name": lambda r: r["GroupName"],
            "opt-in-status": lambda r: r["OptInStatus"],
        })
        return {"AvailabilityZones": rows}
