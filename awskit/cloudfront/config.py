"""What a distribution is made of: origins, cache behaviours, cache policies, price classes.

The records here are plain configuration; :mod:`awskit.cloudfront.config_builder` validates them
against each other (an unknown ``TargetOriginId`` is ``NoSuchOrigin``) and
:mod:`awskit.cloudfront.serving` acts on them.

Price classes choose which edge locations serve a distribution.  AWS groups its edges by
geography; awskit maps its own sample of edges onto those groups (a simplification of
AWS's published table, checked 2026):

* ``PriceClass_100``: North America and Europe (the cheapest regions);
* ``PriceClass_200``: adds Asia (Japan, India and the rest of Asia Pacific), the Middle
  East and Africa;
* ``PriceClass_All``: adds South America, Australia and New Zealand.

Prices per GB and per 10,000 requests are AWS's approximate 2025 list prices for the
first 10 TB a month; the always-free allowance (1 TB and 10 million requests a month) is
not modelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidParameter, NotFound
from ..regions import EDGE_LOCATIONS, EdgeLocation

__all__ = [
    "ALL_METHODS",
    "CACHE_POLICIES",
    "EDGE_GEOGRAPHY",
    "GEOGRAPHY_PRICES",
    "PRICE_CLASSES",
    "CacheBehavior",
    "CachePolicy",
    "DistributionConfig",
    "Origin",
    "edges_for",
    "s3_origin_bucket",
]

ALL_METHODS = ("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE")
#: the three method sets CloudFront accepts for AllowedMethods
METHOD_SETS = (frozenset({"GET", "HEAD"}), frozenset({"GET", "HEAD", "OPTIONS"}), frozenset(ALL_METHODS))
VIEWER_PROTOCOL_POLICIES = ("allow-all", "redirect-to-https", "https-only")
ORIGIN_PROTOCOL_POLICIES = ("http-only", "match-viewer", "https-only")
ONE_YEAR = 31536000

# -- geography, price classes and prices ------------------------------------------------------

_GEO_OF_CITY = {
    "North America": ("Ashburn", "New York", "Chicago", "Dallas", "Atlanta", "Miami", "Denver", "Columbus",
                      "Portland", "Montreal", "Los Angeles", "San Francisco", "Seattle", "Toronto"),
    "Europe": ("London", "Dublin", "Paris", "Frankfurt", "Amsterdam", "Madrid", "Milan", "Stockholm", "Warsaw"),
    "South America": ("Sao Paulo", "Buenos Aires"),
    "Middle East & Africa": ("Johannesburg", "Cape Town", "Lagos", "Dubai", "Manama", "Cairo"),
    "India": ("Mumbai", "New Delhi"),
    "Japan": ("Tokyo", "Osaka"),
    "Asia Pacific": ("Singapore", "Hong Kong", "Seoul", "Taipei"),
    "Australia & New Zealand": ("Sydney", "Melbourne", "Auckland"),
}

#: edge code -> the billing geography AWS puts it in
EDGE_GEOGRAPHY: dict[str, str] = {
    e.code: geo for geo, cities in _GEO_OF_CITY.items() for e in EDGE_LOCATIONS if e.city in cities
}

#: geography -> (USD per GB out, per 10,000 HTTPS requests, per 10,000 HTTP requests); approximate 2025
GEOGRAPHY_PRICES: dict[str, tuple[float, float, float]] = {
    "North America": (0.085, 0.0100, 0.0075),
    "Europe": (0.085, 0.0120, 0.0090),
    "South America": (0.110, 0.0220, 0.0160),
    "Middle East & Africa": (0.110, 0.0220, 0.0160),
    "India": (0.109, 0.0120, 0.0090),
    "Japan": (0.114, 0.0120, 0.0090),
    "Asia Pacific": (0.120, 0.0120, 0.0090),
    "Australia & New Zealand": (0.114, 0.0125, 0.0090),
}

_PRICE_CLASS_GEOS = {
    "PriceClass_100": ("North America", "Europe"),
    "PriceClass_200": ("North America", "Europe", "Middle East & Africa", "India", "Japan", "Asia Pacific"),
    "PriceClass_All": tuple(GEOGRAPHY_PRICES),
}

#: price class -> the edge locations it uses
PRICE_CLASSES: dict[str, tuple[EdgeLocation, ...]] = {
    pc: tuple(e for e in EDGE_LOCATIONS if EDGE_GEOGRAPHY[e.code] in geos) for pc, geos in _PRICE_CLASS_GEOS.items()
}


def edges_for(price_class: str) -> tuple[EdgeLocation, ...]:
    """The edge locations a distribution of this price class is served from.

    >>> [e.code for e in edges_for("PriceClass_100")][:3]
    ['IAD89', 'JFK51', 'ORD52']
    """
    try:
        return PRICE_CLASSES[price_class]
    except (KeyError, TypeError):
        raise InvalidParameter("InvalidArgument", f"PriceClass {price_class!r} is not valid: use one of "
                               f"{', '.join(PRICE_CLASSES)}.") from None


# -- cache policies ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class CachePolicy:
    """How long objects stay cached and what goes into the cache key (managed policies only)."""

    id: str
    name: str
    min_ttl: int
    default_ttl: int
    max_ttl: int
    query_strings: str = "none"       #: "none" or "all"
    headers: tuple[str, ...] = ()     #: request headers that are part of the cache key
    comment: str = ""

    def __repr__(self) -> str:
        return f"CachePolicy({self.name!r}, ttl={self.min_ttl}/{self.default_ttl}/{self.max_ttl})"


#: AWS's managed cache policies (ids are the same in every account)
CACHE_POLICIES: dict[str, CachePolicy] = {p.id: p for p in (
    CachePolicy(id="658327ea-f89d-4fab-a63d-7e88639e58f6", name="Managed-CachingOptimized", min_ttl=1,
                default_ttl=86400, max_ttl=ONE_YEAR, comment="Default for S3 and static content"),
    CachePolicy(id="b2884449-e4de-46a7-ac36-70bc7f1ddd6d", name="Managed-CachingOptimizedForUncompressedObjects",
                min_ttl=1, default_ttl=86400, max_ttl=ONE_YEAR),
    CachePolicy(id="4135ea2d-6df8-44a3-9df3-4b5a84be39ad", name="Managed-CachingDisabled", min_ttl=0,
                default_ttl=0, max_ttl=0, comment="Every request goes to the origin"),
    CachePolicy(id="83da9c7e-98b4-4e11-a168-04f0df8e2c65", name="UseOriginCacheControlHeaders", min_ttl=0,
                default_ttl=0, max_ttl=ONE_YEAR, headers=("host",)),
    CachePolicy(id="4cc15a8a-d715-48a4-82b8-cc0b614638fe", name="UseOriginCacheControlHeaders-QueryStrings",
                min_ttl=0, default_ttl=0, max_ttl=ONE_YEAR, query_strings="all", headers=("host",)),
)}
_POLICY_BY_NAME = {p.name.removeprefix("Managed-"): p for p in CACHE_POLICIES.values()}


def cache_policy(ref: Any) -> CachePolicy:
    """A managed cache policy by id or short name (``"CachingOptimized"``)."""
    if isinstance(ref, CachePolicy):
        return ref
    if isinstance(ref, str):
        if ref in CACHE_POLICIES:
            return CACHE_POLICIES[ref]
        if ref.removeprefix("Managed-") in _POLICY_BY_NAME:
            return _POLICY_BY_NAME[ref.removeprefix("Managed-")]
    known = ", ".join(f"{p.name.removeprefix('Managed-')} ({p.id})" for p in CACHE_POLICIES.values())
    raise NotFound("NoSuchCachePolicy", f"The cache policy {ref!r} does not exist. awskit models AWS's managed "
                   f"policies: {known}.", status=404)


# -- origins ----------------------------------------------------------------------------------

_S3_REST = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.-]*?)\.s3(?:[.-](?P<region>[a-z]{2}-[a-z]+-\d))?\.amazonaws\.com$")


def s3_origin_bucket(domain: str) -> tuple[str, str] | None:
    """(bucket, region) for an S3 REST endpoint domain name, else None.

    >>> s3_origin_bucket("photos.s3.eu-west-1.amazonaws.com")
    ('photos', 'eu-west-1')
    >>> s3_origin_bucket("photos.s3.amazonaws.com")
    ('photos', 'us-east-1')
    """
    m = _S3_REST.match(domain.lower()) if isinstance(domain, str) else None
    if not m:
        return None
    return m.group("bucket"), m.group("region") or "us-east-1"


@dataclass(slots=True, kw_only=True)
class Origin:
    """Where CloudFront fetches what it does not have cached: an S3 bucket or an HTTP server.

    An S3 origin (``kind="s3"``) names the bucket's REST endpoint
    (``bucket.s3.<region>.amazonaws.com``) and usually an Origin Access Control, so that
    the bucket can stay private.  A custom origin is any web server: a load balancer's DNS
    name, an S3 *website* endpoint, or a domain registered with
    :meth:`~awskit.cloudfront.CloudFrontService.register_origin`.
    """

    id: str
    domain_name: str
    kind: str = "s3"                               #: "s3" or "custom"
    origin_path: str = ""
    origin_access_control_id: str = ""             #: S3 origins only
    protocol_policy: str = "https-only"            #: custom origins: http-only / match-viewer / https-only
    http_port: int = 80
    https_port: int = 443
    custom_headers: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        oac = f", oac={self.origin_access_control_id!r}" if self.origin_access_control_id else ""
        return f"Origin({self.id!r}, {self.domain_name!r}, kind={self.kind!r}{oac})"


@dataclass(slots=True, kw_only=True)
class CacheBehavior:
    """Which origin serves a path pattern, and how its responses are cached.

    Either ``cache_policy_id`` (a managed policy) or the legacy settings (``min_ttl``,
    ``default_ttl``, ``max_ttl`` and the forwarded query string and headers) decide TTLs
    and the cache key, never both.
    """

    path_pattern: str = "*"
    target_origin_id: str = ""
    viewer_protocol_policy: str = "allow-all"
    allowed_methods: tuple[str, ...] = ("GET", "HEAD")
    cached_methods: tuple[str, ...] = ("GET", "HEAD")
    cache_policy_id: str | None = None
    min_ttl: int = 0
    default_ttl: int = 86400
    max_ttl: int = ONE_YEAR
    forward_query_string: bool = False
    forwarded_headers: tuple[str, ...] = ()
    compress: bool = False

    @property
    def ttls(self) -> tuple[int, int, int]:
        """(min, default, max) TTL in seconds: the cache policy's, or the legacy settings."""
        if self.cache_policy_id:
            p = CACHE_POLICIES[self.cache_policy_id]
            return p.min_ttl, p.default_ttl, p.max_ttl
        return self.min_ttl, self.default_ttl, self.max_ttl

    @property
    def key_query_strings(self) -> bool:
        if self.cache_policy_id:
            return CACHE_POLICIES[self.cache_policy_id].query_strings == "all"
        return self.forward_query_string

    @property
    def key_headers(self) -> tuple[str, ...]:
        if self.cache_policy_id:
            return CACHE_POLICIES[self.cache_policy_id].headers
        return tuple(h.lower() for h in self.forwarded_headers)

    def __repr__(self) -> str:
        how = (CACHE_POLICIES[self.cache_policy_id].name.removeprefix("Managed-") if self.cache_policy_id
               in CACHE_POLICIES else f"ttl={self.min_ttl}/{self.default_ttl}/{self.max_ttl}")
        return f"CacheBehavior({self.path_pattern!r} -> {self.target_origin_id!r}, {self.viewer_protocol_policy}, {how})"


@dataclass(slots=True, kw_only=True)
class DistributionConfig:
    """Everything a distribution is configured with (what ``get_distribution_config`` returns)."""

    caller_reference: str
    origins: list[Origin]
    default_behavior: CacheBehavior
    behaviors: list[CacheBehavior] = field(default_factory=list)
    default_root_object: str = ""
    price_class: str = "PriceClass_All"
    enabled: bool = True
    comment: str = ""
    aliases: tuple[str, ...] = ()
    http_version: str = "http2"
    ipv6: bool = True
    #: HTTP status -> seconds CloudFront caches that error (CustomErrorResponses ErrorCachingMinTTL)
    error_caching_min_ttl: dict[int, int] = field(default_factory=dict)

    def origin(self, origin_id: str) -> Origin | None:
        for o in self.origins:
            if o.id == origin_id:
                return o
        return None

    def same_as(self, other: DistributionConfig) -> bool:
        return self == other
