"""Chapter 1.3: Amazon CloudFront, the content delivery network on AWS's edge locations.

A *distribution* gives content one domain name (``dxxxx.cloudfront.net``) and serves it
from hundreds of edge locations: DNS sends each viewer to the edge with the lowest
latency, and that edge answers from its cache when it can and fetches from the *origin*
(an S3 bucket, a load balancer, any web server) when it cannot.  Cache behaviours decide,
path by path, which origin is used and how long responses are kept.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=5)
>>> _ = cloud.s3.create_bucket("cdn-demo", region="eu-west-1")
>>> _ = cloud.s3.put_object("cdn-demo", "logo.svg", "<svg/>", headers={"CacheControl": "max-age=300"})
>>> oac = cloud.cloudfront.create_origin_access_control("cdn-demo-oac")
>>> d = cloud.cloudfront.create_distribution("cdn-demo", origin_access_control=oac)
>>> cloud.s3.put_bucket_policy("cdn-demo", cloud.cloudfront.bucket_policy_for(d, "cdn-demo"))
>>> cloud.clock.advance(minutes=5)
>>> miss = cloud.cloudfront.request(d, "/logo.svg", user="Tokyo")
>>> hit = cloud.cloudfront.request(d, "/logo.svg", user="Tokyo")
>>> miss.outcome, miss.latency_ms > hit.latency_ms, hit.response.headers["X-Cache"]
('Miss', True, 'Hit from cloudfront')

The package is split by concept: :mod:`.config` (origins, cache behaviours, cache
policies, price classes), :mod:`.cache` (TTL rules, path patterns), :mod:`.resources`
(distributions, invalidations, origin access controls), :mod:`.serving` (one request:
edge, cache, origin, Origin Access Control), :mod:`.traffic` (bulk traffic, metrics, bill)
and :mod:`.service` (``CloudFrontService``: distributions), which composes
:mod:`.config_builder` (building and validating configurations), :mod:`.access` (origin
access controls, origin apps) and :mod:`.invalidations`.
"""

from .cache import CacheEntry, ttl_for
from .config import (
    CACHE_POLICIES,
    EDGE_GEOGRAPHY,
    GEOGRAPHY_PRICES,
    PRICE_CLASSES,
    CacheBehavior,
    CachePolicy,
    DistributionConfig,
    Origin,
    edges_for,
)
from .service import (
    DEPLOY_SECONDS,
    INVALIDATION_SECONDS,
    CloudFrontService,
    Distribution,
    DistributionStatus,
    Invalidation,
    InvalidationStatus,
    OriginAccessControl,
)
from .serving import RequestResult, SimulationReport, oac_verdict

__all__ = [
    "CACHE_POLICIES",
    "DEPLOY_SECONDS",
    "EDGE_GEOGRAPHY",
    "GEOGRAPHY_PRICES",
    "INVALIDATION_SECONDS",
    "PRICE_CLASSES",
    "CacheBehavior",
    "CacheEntry",
    "CachePolicy",
    "CloudFrontService",
    "Distribution",
    "DistributionConfig",
    "DistributionStatus",
    "Invalidation",
    "InvalidationStatus",
    "Origin",
    "OriginAccessControl",
    "RequestResult",
    "SimulationReport",
    "edges_for",
    "oac_verdict",
    "ttl_for",
]
