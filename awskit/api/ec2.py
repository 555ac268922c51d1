"""The EC2 API as boto3 speaks it: regions and AZs here; VPC networking in :mod:`.ec2_network`.

EC2's API covers more than instances: VPCs, subnets, route tables, gateways, network ACLs
and security groups are all EC2 operations, so one client serves chapters 1 to 4.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidParameter
from ..regions import LOCAL_ZONES, REGIONS
from .base import BaseClient, apply_filters, check_type

__all__ = ["EC2Client"]


def _optin(info) -> str:
    return "opted-in" if info.opt_in else "opt-in-not-required"


class EC2Client(BaseClient):
    """``awskit.client("ec2")``: the EC2 API on a simulated account."""

    service_name = "ec2"

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
