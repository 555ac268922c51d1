"""Chapter 1: the global infrastructure.

A *Region* is a separate geographic area holding several *Availability Zones* (AZs): one or
more data centres each, with their own power, cooling and networking, close enough for
low-latency links but far enough apart that one failure does not take out two.  *Edge
locations* are the many smaller sites where CloudFront caches content near users.  A
*Local Region* was a single-data-centre Region (Osaka, 2018-2021); today's near-user
extensions of a Region are *Local Zones*.

The catalog below follows what AWS documents in 2026 (region codes, AZ names and counts,
opt-in status).  AZ *names* (``us-east-1a``) are mapped to physical AZ *ids* (``use1-az1``)
differently for each account; awskit uses one fixed mapping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .core.errors import InvalidParameter

__all__ = [
    "RegionInfo",
    "AvailabilityZone",
    "EdgeLocation",
    "LocalZone",
    "REGIONS",
    "EDGE_LOCATIONS",
    "LOCAL_ZONES",
    "CITIES",
    "region_info",
    "latency_ms",
    "nearest_edge",
    "distance_km",
]


@dataclass(frozen=True, slots=True)
class AvailabilityZone:
    """One AZ: its name as the account sees it and the physical zone id."""

    name: str
    zone_id: str
    region: str

    def __repr__(self) -> str:
        return f"AvailabilityZone({self.name!r}, zone_id={self.zone_id!r})"


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """A Region: its code, where it is, its AZs and whether accounts must opt in."""

    code: str
    name: str
    city: str
    lat: float
    lon: float
    az_letters: str
    zone_prefix: str
    opt_in: bool = False
    launched: int = 2006
    azs: tuple[AvailabilityZone, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        return f"RegionInfo({self.code!r}, {self.name!r}, azs={len(self.azs)})"


def _region(code, name, city, lat, lon, letters, prefix, opt_in=False, launched=2006) -> RegionInfo:
    azs = tuple(
        AvailabilityZone(f"{code}{letter}", f"{prefix}-az{i}", code)
        for i, letter in enumerate(letters, start=1)
    )
    return RegionInfo(code, name, city, lat, lon, letters, prefix, opt_in, launched, azs)


#: Regions with their AZ names.  AZ counts are those AWS lists for new accounts in 2026.
REGIONS: dict[str, RegionInfo] = {
    r.code: r
    for r in [
        _region("us-east-1", "US East (N. Virginia)", "Ashburn", 39.04, -77.49, "abcdef", "use1", launched=2006),
        _region("us-east-2", "US East (Ohio)", "Columbus", 39.96, -83.00, "abc", "use2", launched=2016),
        _region("us-west-1", "US West (N. California)", "San Francisco", 37.77, -122.42, "ab", "usw1", launched=2009),
        _region("us-west-2", "US West (Oregon)", "Boardman", 45.84, -119.70, "abcd", "usw2", launched=2011),
        _region("ca-central-1", "Canada (Central)", "Montreal", 45.50, -73.57, "abd", "cac1", launched=2016),
        _region("sa-east-1", "South America (Sao Paulo)", "Sao Paulo", -23.55, -46.63, "abc", "sae1", launched=2011),
        _region("eu-west-1", "Europe (Ireland)", "Dublin", 53.35, -6.26, "abc", "euw1", launched=2007),
        _region("eu-west-2", "Europe (London)", "London", 51.51, -0.13, "abc", "euw2", launched=2016),
        _region("eu-west-3", "Europe (Paris)", "Paris", 48.86, 2.35, "abc", "euw3", launched=2017),
        _region("eu-central-1", "Europe (Frankfurt)", "Frankfurt", 50.11, 8.68, "abc", "euc1", launched=2014),
        _region("eu-north-1", "Europe (Stockholm)", "Stockholm", 59.33, 18.07, "abc", "eun1", launched=2018),
        _region("eu-south-1", "Europe (Milan)", "Milan", 45.46, 9.19, "abc", "eus1", opt_in=True, launched=2020),
        _region("ap-northeast-1", "Asia Pacific (Tokyo)", "Tokyo", 35.68, 139.69, "acd", "apne1", launched=2011),
        _region("ap-northeast-2", "Asia Pacific (Seoul)", "Seoul", 37.57, 126.98, "abcd", "apne2", launched=2016),
        _region("ap-northeast-3", "Asia Pacific (Osaka)", "Osaka", 34.69, 135.50, "abc", "apne3", launched=2021),
        _region("ap-southeast-1", "Asia Pacific (Singapore)", "Singapore", 1.35, 103.82, "abc", "apse1", launched=2010),
        _region("ap-southeast-2", "Asia Pacific (Sydney)", "Sydney", -33.87, 151.21, "abc", "apse2", launched=2012),
        _region("ap-south-1", "Asia Pacific (Mumbai)", "Mumbai", 19.08, 72.88, "abc", "aps1", launched=2016),
        _region("ap-east-1", "Asia Pacific (Hong Kong)", "Hong Kong", 22.32, 114.17, "abc", "ape1", opt_in=True, launched=2019),
        _region("me-south-1", "Middle East (Bahrain)", "Manama", 26.23, 50.59, "abc", "mes1", opt_in=True, launched=2019),
        _region("af-south-1", "Africa (Cape Town)", "Cape Town", -33.92, 18.42, "abc", "afs1", opt_in=True, launched=2020),
    ]
}


def region_info(code: str) -> RegionInfo:
    """The catalog entry for a region code; an ``InvalidParameterValue`` lists the valid codes.

    >>> region_info("eu-west-1").name
    'Europe (Ireland)'
    """
    if not isinstance(code, str) or code not in REGIONS:
        raise InvalidParameter(
            "InvalidParameterValue",
            f"{code!r} is not an AWS Region code. Region codes look like 'us-east-1'; "
            f"the regions awskit knows are: {', '.join(REGIONS)}.",
        )
    return REGIONS[code]


@dataclass(frozen=True, slots=True)
class EdgeLocation:
    """A CloudFront point of presence, named like AWS names them (airport code + number)."""

    code: str
    city: str
    lat: float
    lon: float

    def __repr__(self) -> str:
        return f"EdgeLocation({self.code!r}, {self.city!r})"


#: A representative subset of CloudFront's 600+ points of presence (one per metro).
EDGE_LOCATIONS: tuple[EdgeLocation, ...] = (
    EdgeLocation("IAD89", "Ashburn", 39.04, -77.49),
    EdgeLocation("JFK51", "New York", 40.71, -74.01),
    EdgeLocation("ORD52", "Chicago", 41.88, -87.63),
    EdgeLocation("DFW56", "Dallas", 32.78, -96.80),
    EdgeLocation("ATL56", "Atlanta", 33.75, -84.39),
    EdgeLocation("MIA50", "Miami", 25.76, -80.19),
    EdgeLocation("DEN52", "Denver", 39.74, -104.99),
    EdgeLocation("CMH68", "Columbus", 39.96, -83.00),
    EdgeLocation("PDX50", "Portland", 45.52, -122.68),
    EdgeLocation("YUL62", "Montreal", 45.50, -73.57),
    EdgeLocation("LAX50", "Los Angeles", 34.05, -118.24),
    EdgeLocation("SFO53", "San Francisco", 37.77, -122.42),
    EdgeLocation("SEA19", "Seattle", 47.61, -122.33),
    EdgeLocation("YTO50", "Toronto", 43.65, -79.38),
    EdgeLocation("GRU50", "Sao Paulo", -23.55, -46.63),
    EdgeLocation("EZE50", "Buenos Aires", -34.60, -58.38),
    EdgeLocation("LHR61", "London", 51.51, -0.13),
    EdgeLocation("DUB56", "Dublin", 53.35, -6.26),
    EdgeLocation("CDG50", "Paris", 48.86, 2.35),
    EdgeLocation("FRA56", "Frankfurt", 50.11, 8.68),
    EdgeLocation("AMS54", "Amsterdam", 52.37, 4.90),
    EdgeLocation("MAD53", "Madrid", 40.42, -3.70),
    EdgeLocation("MXP64", "Milan", 45.46, 9.19),
    EdgeLocation("ARN56", "Stockholm", 59.33, 18.07),
    EdgeLocation("WAW51", "Warsaw", 52.23, 21.01),
    EdgeLocation("JNB61", "Johannesburg", -26.20, 28.05),
    EdgeLocation("CPT52", "Cape Town", -33.92, 18.42),
    EdgeLocation("LOS50", "Lagos", 6.52, 3.38),
    EdgeLocation("DXB53", "Dubai", 25.20, 55.27),
    EdgeLocation("BAH53", "Manama", 26.23, 50.59),
    EdgeLocation("CAI50", "Cairo", 30.04, 31.24),
    EdgeLocation("BOM78", "Mumbai", 19.08, 72.88),
    EdgeLocation("DEL54", "New Delhi", 28.61, 77.21),
    EdgeLocation("SIN52", "Singapore", 1.35, 103.82),
    EdgeLocation("HKG62", "Hong Kong", 22.32, 114.17),
    EdgeLocation("NRT57", "Tokyo", 35.68, 139.69),
    EdgeLocation("KIX56", "Osaka", 34.69, 135.50),
    EdgeLocation("ICN57", "Seoul", 37.57, 126.98),
    EdgeLocation("TPE52", "Taipei", 25.03, 121.57),
    EdgeLocation("SYD62", "Sydney", -33.87, 151.21),
    EdgeLocation("MEL50", "Melbourne", -37.81, 144.96),
    EdgeLocation("AKL50", "Auckland", -36.85, 174.76),
)

#: Cities a student can place a user in (coordinates in degrees).
CITIES: dict[str, tuple[float, float]] = {
    **{e.city: (e.lat, e.lon) for e in EDGE_LOCATIONS},
    "Boston": (42.36, -71.06),
    "Mexico City": (19.43, -99.13),
    "Bogota": (4.71, -74.07),
    "Lima": (-12.05, -77.04),
    "Berlin": (52.52, 13.40),
    "Rome": (41.90, 12.50),
    "Istanbul": (41.01, 28.98),
    "Nairobi": (-1.29, 36.82),
    "Bangalore": (12.97, 77.59),
    "Jakarta": (-6.21, 106.85),
    "Manila": (14.60, 120.98),
    "Beijing": (39.90, 116.41),
    "Perth": (-31.95, 115.86),
    "Reykjavik": (64.15, -21.94),
    "Honolulu": (21.31, -157.86),
    "Anchorage": (61.22, -149.90),
}


@dataclass(frozen=True, slots=True)
class LocalZone:
    """An AWS Local Zone: compute close to a metro, attached to a parent Region."""

    name: str
    city: str
    parent: str
    lat: float
    lon: float


#: A few of AWS's Local Zones (2026).  Each extends one parent Region's VPCs.
LOCAL_ZONES: tuple[LocalZone, ...] = (
    LocalZone("us-east-1-bos-1a", "Boston", "us-east-1", 42.36, -71.06),
    LocalZone("us-east-1-mia-1a", "Miami", "us-east-1", 25.76, -80.19),
    LocalZone("us-east-1-dfw-2a", "Dallas", "us-east-1", 32.78, -96.80),
    LocalZone("us-west-2-lax-1a", "Los Angeles", "us-west-2", 34.05, -118.24),
    LocalZone("us-west-2-den-1a", "Denver", "us-west-2", 39.74, -104.99),
    LocalZone("ap-northeast-1-tpe-1a", "Taipei", "ap-northeast-1", 25.03, 121.57),
)

_EARTH_RADIUS_KM = 6371.0
#: Light in fibre covers about 200 km per millisecond; real routes are longer than the
#: great circle, so awskit multiplies the distance by this detour factor.
_ROUTE_FACTOR = 1.4
_FIBRE_KM_PER_MS = 200.0
#: The last mile and the servers' own processing add a few milliseconds to any request.
_BASE_MS = 4.0


def _coords(place) -> tuple[float, float]:
    if isinstance(place, (EdgeLocation, LocalZone, RegionInfo)):
        return (place.lat, place.lon)
    if isinstance(place, str):
        if place in CITIES:
            return CITIES[place]
        if place in REGIONS:
            r = REGIONS[place]
            return (r.lat, r.lon)
        raise InvalidParameter(
            "InvalidParameterValue",
            f"Unknown place {place!r}. Use a region code such as 'eu-west-1' or one of these cities: "
            f"{', '.join(sorted(CITIES))}; or give (latitude, longitude).",
        )
    if isinstance(place, tuple) and len(place) == 2 and all(isinstance(v, (int, float)) for v in place):
        lat, lon = place
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidParameter("InvalidParameterValue", f"Coordinates {place!r} are off the globe.")
        return (float(lat), float(lon))
    raise InvalidParameter(
        "InvalidParameterValue",
        f"A place is a city name, a region code or (latitude, longitude), not {place!r}.",
    )


def distance_km(a, b) -> float:
    """Great-circle distance between two places (cities, regions, edges or coordinates)."""
    (lat1, lon1), (lat2, lon2) = _coords(a), _coords(b)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def latency_ms(a, b) -> float:
    """Modelled round-trip time between two places, in milliseconds.

    A simplification: distance along the great circle times a detour factor, at the speed
    of light in fibre, there and back, plus a fixed few milliseconds.  Real latency also
    depends on peering and congestion.

    >>> latency_ms("London", "London")
    4.0
    >>> 70 < latency_ms("London", "us-east-1") < 100
    True
    """
    return round(_BASE_MS + 2 * distance_km(a, b) * _ROUTE_FACTOR / _FIBRE_KM_PER_MS, 1)


def nearest_edge(user) -> EdgeLocation:
    """The edge location with the lowest modelled latency to ``user``: CloudFront routes there.

    >>> nearest_edge("Berlin").code
    'FRA56'
    """
    return min(EDGE_LOCATIONS, key=lambda e: (latency_ms(user, e), e.code))
