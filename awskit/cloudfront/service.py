"""``cloud.cloudfront``: distributions, origin access controls, invalidations, traffic, metrics, bill.

Changes are not instant: a new or updated distribution is ``InProgress`` for a few
simulated minutes (:data:`DEPLOY_SECONDS`) while the configuration reaches the edges, then
``Deployed``; an invalidation is ``InProgress`` for about a minute
(:data:`INVALIDATION_SECONDS`) and removes the matching objects from every edge when it
completes.  Updates and deletes need the current ``ETag`` (``if_match``), as in the API.

The actions live in modules by concept, composed here: :mod:`.config_builder` (building and
validating configurations), :mod:`.access` (origin access controls, origin apps),
:mod:`.invalidations` and :mod:`.traffic` (requests, metrics, bill); the resources
themselves are in :mod:`.resources`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..core.errors import AlreadyExists, AWSError, InvalidState, NotFound
from ..regions import EdgeLocation
from . import traffic
from ._common import _ALNUM, _LOWER, _fail
from .access import _OriginAccessOps
from .config import DistributionConfig
from .config_builder import _ConfigOps
from .invalidations import INVALIDATION_SECONDS, _InvalidationOps
from .resources import (
    Distribution,
    DistributionStatus,
    Invalidation,
    InvalidationStatus,
    OriginAccessControl,
)

__all__ = [
    "DEPLOY_SECONDS",
    "INVALIDATION_SECONDS",
    "CloudFrontService",
    "Distribution",
    "DistributionStatus",
    "Invalidation",
    "InvalidationStatus",
    "OriginAccessControl",
]

DEPLOY_SECONDS = 300.0       #: a distribution change reaches every edge in about five minutes


class CloudFrontService(_ConfigOps, _OriginAccessOps, _InvalidationOps):
    """Amazon CloudFront for one account (``cloud.cloudfront``; global, like IAM).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=4)
    >>> _ = cloud.s3.create_bucket("site-assets")
    >>> _ = cloud.s3.put_object("site-assets", "index.html", "<h1>hi</h1>", content_type="text/html")
    >>> oac = cloud.cloudfront.create_origin_access_control("site-oac")
    >>> d = cloud.cloudfront.create_distribution("site-assets", origin_access_control=oac,
    ...                                          default_root_object="index.html")
    >>> cloud.s3.put_bucket_policy("site-assets", cloud.cloudfront.bucket_policy_for(d, "site-assets"))
    >>> d.status.value
    'InProgress'
    >>> cloud.clock.advance(minutes=5)
    >>> first = cloud.cloudfront.request(d, "/", user="Berlin")
    >>> first.status, first.outcome, first.edge.code
    (200, 'Miss', 'FRA56')
    >>> cloud.cloudfront.request(d, "/", user="Berlin").x_cache
    'Hit from cloudfront'
    """

    def __init__(self, cloud) -> None:
        self.cloud = cloud
        self.distributions: dict[str, Distribution] = {}
        self.origin_access_controls: dict[str, OriginAccessControl] = {}
        self._by_reference: dict[str, Distribution] = {}
        self._apps: dict[str, tuple[Callable, str]] = {}
        self._edge_memo: dict[tuple, EdgeLocation] = {}
        self._lat_memo: dict[tuple, float] = {}
        self._minutes: dict[tuple[str, float], list[float]] = {}
        self._charges: dict[tuple, list[float]] = {}
        self._items: dict[tuple, Any] = {}
        self._invalidation_paths: dict[str, int] = {}
        self._flush_event = None

    # -- ids --------------------------------------------------------------------------------------
    def _token(self, prefix: str = "E", n: int = 13, alphabet: str = _ALNUM) -> str:
        rng = self.cloud.rng
        return prefix + "".join(rng.choice(alphabet) for _ in range(n))

    # -- finding things -----------------------------------------------------------------------------
    def get_distribution(self, distribution: str | Distribution) -> Distribution:
        """A distribution by id (or the object itself).  Raises: NoSuchDistribution."""
        if isinstance(distribution, Distribution):
            distribution = distribution.id
        d = self.distributions.get(distribution) if isinstance(distribution, str) else None
        if d is None:
            known = ", ".join(self.distributions) or "none"
            _fail("NoSuchDistribution", f"The specified distribution does not exist: {distribution!r}. "
                  f"Distributions in this account: {known}.", NotFound, 404)
        return d

    def get_distribution_config(self, distribution: str | Distribution) -> DistributionConfig:
        return self.get_distribution(distribution).config

    def list_distributions(self) -> list[Distribution]:
        return list(self.distributions.values())

    # -- distributions --------------------------------------------------------------------------------
    def create_distribution(self, origin: Any = None, *, config: DistributionConfig | None = None,
                            **options: Any) -> Distribution:
        """Create a distribution serving ``origin`` (a bucket, a load balancer or a domain name).

        ``options`` are those of :meth:`build_config` (``origin_access_control``,
        ``viewer_protocol_policy``, ``cache_policy_id``, ``behaviors``, ``default_root_object``,
        ``price_class``, ``enabled``, ``comment``, ``aliases``, ``caller_reference``...), or pass a
        ready ``config``.  The new distribution is ``InProgress`` for :data:`DEPLOY_SECONDS`.

        A CallerReference may be used once: CloudFront's current API answers a second create
        with the same reference with ``DistributionAlreadyExists`` (older API versions replayed
        an identical request instead).

        Raises: NoSuchOrigin, InvalidArgument, NoSuchCachePolicy, NoSuchOriginAccessControl,
        DistributionAlreadyExists, CNAMEAlreadyExists, InvalidTTLOrder.
        """
        cfg = config if config is not None else self.build_config(origin, **options)
        if not isinstance(cfg, DistributionConfig):
            _fail("InvalidArgument", f"config must be a DistributionConfig, not {type(cfg).__name__}.")
        self._validate(cfg)
        existing = self._by_reference.get(cfg.caller_reference)
        if existing is not None:
            _fail("DistributionAlreadyExists", f"The caller reference {cfg.caller_reference!r} is already used by "
                  f"distribution {existing.id}; use a new CallerReference for a new distribution.", AlreadyExists, 409)
        did = self._token("E")
        while did in self.distributions:
            did = self._token("E")
        now = self.cloud.clock.now
        d = Distribution(service=self, id=did, arn=f"arn:aws:cloudfront::{self.cloud.account_id}:distribution/{did}",
                         domain_name=f"{self._token('d', 13, _LOWER)}.cloudfront.net", config=cfg,
                         etag=self._token("E"), created=now, last_modified=now)
        d._compile()
        self.distributions[did] = d
        self._by_reference[cfg.caller_reference] = d
        self._deploy(d)
        self.cloud.events.publish("cloudfront.distribution.created", distribution=did)
        return d

    def _deploy(self, d: Distribution) -> None:
        d.status = DistributionStatus.IN_PROGRESS
        d._generation += 1
        gen = d._generation

        def done() -> None:
            if d._generation == gen and d.id in self.distributions:
                d.status = DistributionStatus.DEPLOYED
                d.deployed_once = True
                self.cloud.events.publish("cloudfront.distribution.deployed", distribution=d.id)

        self.cloud.clock.schedule(DEPLOY_SECONDS, done, name=f"cloudfront deploy {d.id}")

    def _check_if_match(self, etag: Any, if_match: Any, what: str) -> None:
        if not if_match:
            _fail("InvalidIfMatchVersion", f"The If-Match version is missing: pass the ETag of the {what} you read "
                  "last (if_match=...).")
        if if_match != etag:
            _fail("PreconditionFailed", f"The If-Match version {if_match!r} is not the current ETag of the {what} "
                  f"({etag}): someone changed it since you read it. Read it again and retry.", AWSError, 412)

    def update_distribution(self, distribution: str | Distribution, *, if_match: str,
                            config: DistributionConfig | None = None, **changes: Any) -> Distribution:
        """Replace the configuration (``config``) or change some fields (``enabled=False``...).

        Fields: the attributes of :class:`DistributionConfig` (``enabled``, ``comment``,
        ``price_class``, ``default_root_object``, ``behaviors``, ``origins``...).  The
        distribution goes back to ``InProgress`` and gets a new ETag.

        Raises: NoSuchDistribution, InvalidIfMatchVersion, PreconditionFailed, IllegalUpdate,
        NoSuchOrigin, InvalidArgument.
        """
        d = self.get_distribution(distribution)
        self._check_if_match(d.etag, if_match, "distribution")
        if config is None:
            names = {f.name for f in dataclasses.fields(DistributionConfig)}
            unknown = sorted(set(changes) - names)
            if unknown:
                _fail("InvalidArgument", f"Unknown distribution setting(s) {', '.join(unknown)}; settings: "
                      f"{', '.join(sorted(names))}.")
            if "aliases" in changes:
                changes["aliases"] = tuple(changes["aliases"])
            config = dataclasses.replace(d.config, **changes)
        if not isinstance(config, DistributionConfig):
            _fail("InvalidArgument", f"config must be a DistributionConfig, not {type(config).__name__}.")
        if config.caller_reference != d.config.caller_reference:
            _fail("IllegalUpdate", f"CallerReference cannot change ({d.config.caller_reference!r} -> "
                  f"{config.caller_reference!r}): send the one the distribution was created with.")
        self._validate(config, current=d)
        d.config = config
        d._compile()
        d.etag = self._token("E")
        d.last_modified = self.cloud.clock.now
        self._deploy(d)
        self.cloud.events.publish("cloudfront.distribution.updated", distribution=d.id)
        return d

    def delete_distribution(self, distribution: str | Distribution, *, if_match: str) -> None:
        """Delete a distribution: it must be disabled and Deployed first.

        Raises: NoSuchDistribution, InvalidIfMatchVersion, PreconditionFailed, DistributionNotDisabled.
        """
        d = self.get_distribution(distribution)
        self._check_if_match(d.etag, if_match, "distribution")
        if d.config.enabled or d.status is not DistributionStatus.DEPLOYED:
            why = "it is still enabled: update it with enabled=False" if d.config.enabled else \
                "the change that disabled it is still InProgress: wait until it is Deployed"
            _fail("DistributionNotDisabled", f"The distribution {d.id} cannot be deleted because {why}, then delete "
                  "it with the new ETag.", InvalidState, 409)
        del self.distributions[d.id]
        self._by_reference.pop(d.config.caller_reference, None)
        d.caches.clear()
        self.cloud.events.publish("cloudfront.distribution.deleted", distribution=d.id)

    # -- traffic, metrics and bill (awskit.cloudfront.traffic) --------------------------------------
    edge_for = traffic.edge_for
    _latency = traffic._latency
    request = traffic.request
    simulate = traffic.simulate
    hit_ratio = traffic.hit_ratio
    cached = traffic.cached
    _account = traffic._account
    flush = traffic.flush
    _flush = traffic._flush
    _charge = traffic._charge
    _bill_invalidation = traffic._bill_invalidation

    def __repr__(self) -> str:
        return f"CloudFrontService(distributions={len(self.distributions)})"
