"""``cloud.cloudfront``: distributions, origin access controls, invalidations, traffic, metrics, bill.

Changes are not instant: a new or updated distribution is ``InProgress`` for a few
simulated minutes (:data:`DEPLOY_SECONDS`) while the configuration reaches the edges, then
``Deployed``; an invalidation is ``InProgress`` for about a minute
(:data:`INVALIDATION_SECONDS`) and removes the matching objects from every edge when it
completes.  Updates and deletes need the current ``ETag`` (``if_match``), as in the API.
"""

from __future__ import annotations

import dataclasses
import enum
import html
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import AlreadyExists, AWSError, InvalidParameter, InvalidState, NotFound
from ..regions import EdgeLocation
from . import traffic
from .cache import CacheEntry, compile_pattern, invalidation_matcher
from .config import (
    ALL_METHODS,
    METHOD_SETS,
    ORIGIN_PROTOCOL_POLICIES,
    PRICE_CLASSES,
    VIEWER_PROTOCOL_POLICIES,
    CacheBehavior,
    DistributionConfig,
    Origin,
    cache_policy,
    edges_for,
    s3_origin_bucket,
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
INVALIDATION_SECONDS = 60.0  #: an invalidation completes in about a minute
_ALNUM = string.ascii_uppercase + string.digits
_LOWER = string.ascii_lowercase + string.digits


class DistributionStatus(str, enum.Enum):
    IN_PROGRESS = "InProgress"
    DEPLOYED = "Deployed"

    def __repr__(self) -> str:
        return f"DistributionStatus.{self.name}"


class InvalidationStatus(str, enum.Enum):
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"

    def __repr__(self) -> str:
        return f"InvalidationStatus.{self.name}"


@dataclass(slots=True, kw_only=True)
class OriginAccessControl:
    """Lets CloudFront sign its requests to a private S3 bucket (the successor of OAI)."""

    id: str
    name: str
    etag: str
    origin_type: str = "s3"
    signing_behavior: str = "always"
    signing_protocol: str = "sigv4"
    description: str = ""

    def __repr__(self) -> str:
        return f"OriginAccessControl({self.id!r}, name={self.name!r})"


@dataclass(slots=True, kw_only=True)
class Invalidation:
    """A request to remove paths from every edge cache before they expire."""

    id: str
    distribution: Any = field(repr=False)
    paths: tuple[str, ...]
    caller_reference: str
    created: float
    status: InvalidationStatus = InvalidationStatus.IN_PROGRESS
    evicted: int = 0

    def __repr__(self) -> str:
        return f"Invalidation({self.id!r}, paths={list(self.paths)!r}, status={self.status.value!r})"


@dataclass(slots=True, kw_only=True)
class Distribution:
    """A CloudFront distribution: a domain name served from the edges, with its origins and caches."""

    service: Any = field(repr=False)
    id: str
    arn: str
    domain_name: str
    config: DistributionConfig
    etag: str
    created: float
    last_modified: float
    status: DistributionStatus = DistributionStatus.IN_PROGRESS
    deployed_once: bool = False
    invalidations: dict[str, Invalidation] = field(default_factory=dict, repr=False)
    #: edge code -> cache key -> cached response
    caches: dict[str, dict[str, CacheEntry]] = field(default_factory=dict, repr=False)
    #: edge code -> [requests, hits, refresh hits, misses, errors, bytes]
    stats: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _matchers: list = field(default_factory=list, repr=False)
    _generation: int = 0

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    @property
    def origins(self) -> list[Origin]:
        return self.config.origins

    @property
    def price_class(self) -> str:
        return self.config.price_class

    @property
    def edges(self) -> tuple[EdgeLocation, ...]:
        return PRICE_CLASSES[self.config.price_class]

    @property
    def in_progress_invalidations(self) -> int:
        return sum(1 for i in self.invalidations.values() if i.status is InvalidationStatus.IN_PROGRESS)

    def _compile(self) -> None:
        self._matchers = [(compile_pattern(b.path_pattern), b) for b in self.config.behaviors]

    def behavior_for(self, path: str) -> CacheBehavior:
        """The first cache behaviour (in list order) whose pattern matches, else the default."""
        for match, behavior in self._matchers:
            if match(path):
                return behavior
        return self.config.default_behavior

    def hit_ratio(self, edge: str | EdgeLocation | None = None) -> float:
        """Hits (including RefreshHits) over cacheable requests, for one edge or all of them."""
        code = edge.code if isinstance(edge, EdgeLocation) else edge
        rows = [self.stats.get(code, [0] * 6)] if code is not None else list(self.stats.values())
        hits = sum(r[1] + r[2] for r in rows)
        total = hits + sum(r[3] for r in rows)
        return hits / total if total else 0.0

    def __repr__(self) -> str:
        return (f"Distribution({self.id!r}, {self.domain_name!r}, status={self.status.value!r}, "
                f"enabled={self.enabled}, origins={[o.id for o in self.origins]})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<li><code>{html.escape(o.domain_name)}</code> ({o.kind})</li>" for o in self.origins[:10])
        return (f"<div><b>CloudFront {self.id}</b> <code>{self.domain_name}</code> &middot; {self.status.value}"
                f" &middot; {'enabled' if self.enabled else 'disabled'} &middot; {self.price_class}"
                f"<ul>{rows}</ul></div>")


def _fail(code: str, message: str, family=InvalidParameter, status: int | None = None):
    raise family(code, message, **({"status": status} if status else {}))


class CloudFrontService:
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

    # -- building configurations --------------------------------------------------------------------
    def _oac_id(self, oac: Any) -> str:
        if oac is None or oac == "":
            return ""
        oid = oac.id if isinstance(oac, OriginAccessControl) else oac
        if not isinstance(oid, str) or oid not in self.origin_access_controls:
            _fail("NoSuchOriginAccessControl", f"The origin access control {oac!r} does not exist. Create one with "
                  "create_origin_access_control(name).", NotFound, 404)
        return oid

    def make_origin(self, spec: Any, *, origin_id: str | None = None, origin_access_control: Any = None,
                    protocol_policy: str = "http-only", origin_path: str = "") -> Origin:
        """An :class:`Origin` from a bucket (object or name), a load balancer, or a domain name."""
        if isinstance(spec, Origin):
            return spec
        from ..s3 import Bucket

        if isinstance(spec, Bucket):
            domain = f"{spec.name}.s3.{spec.region}.amazonaws.com"
        elif isinstance(spec, str) and spec in self.cloud.s3._names:
            b = self.cloud.s3._names[spec]
            domain = f"{b.name}.s3.{b.region}.amazonaws.com"
        elif isinstance(getattr(spec, "dns_name", None), str):
            domain = spec.dns_name
        elif isinstance(spec, str) and "." in spec:
            domain = spec
        else:
            _fail("InvalidArgument", f"An origin is a bucket, a load balancer or a domain name such as "
                  f"'bucket.s3.us-east-1.amazonaws.com', not {spec!r}.")
        kind = "s3" if s3_origin_bucket(domain) else "custom"
        oac = self._oac_id(origin_access_control) if kind == "s3" else ""
        return Origin(id=origin_id or domain, domain_name=domain, kind=kind, origin_access_control_id=oac,
                      protocol_policy=protocol_policy, origin_path=origin_path)

    def _validate(self, cfg: DistributionConfig, current: Distribution | None = None) -> None:
        if not isinstance(cfg.caller_reference, str) or not cfg.caller_reference:
            _fail("InvalidArgument", "CallerReference is a non-empty string that makes the request unique "
                  "(a timestamp works).")
        if not isinstance(cfg.enabled, bool):
            _fail("InvalidArgument", f"Enabled is True or False, not {cfg.enabled!r}.")
        if not isinstance(cfg.comment, str) or len(cfg.comment) > 128:
            _fail("InvalidArgument", f"Comment is a string of at most 128 characters, not {cfg.comment!r}.")
        if not isinstance(cfg.default_root_object, str):
            _fail("InvalidArgument", f"DefaultRootObject is an object name such as 'index.html', not "
                  f"{cfg.default_root_object!r}.")
        if not cfg.origins:
            _fail("InvalidArgument", "A distribution needs at least one origin.")
        ids = [o.id for o in cfg.origins]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup is not None:
            _fail("InvalidArgument", f"Origin ids must be unique; {dup!r} appears more than once.")
        for o in cfg.origins:
            if not isinstance(o.domain_name, str) or "." not in o.domain_name:
                _fail("InvalidArgument", f"Origin {o.id!r}: {o.domain_name!r} is not a domain name.")
            if o.kind == "s3" and not s3_origin_bucket(o.domain_name):
                _fail("InvalidArgument", f"Origin {o.id!r}: an S3 origin's domain is the bucket's REST endpoint "
                      f"'<bucket>.s3.<region>.amazonaws.com', not {o.domain_name!r} (use a custom origin for a "
                      "website endpoint).")
            if o.kind == "custom" and o.protocol_policy not in ORIGIN_PROTOCOL_POLICIES:
                _fail("InvalidArgument", f"Origin {o.id!r}: OriginProtocolPolicy {o.protocol_policy!r} is not "
                      f"valid: use {', '.join(ORIGIN_PROTOCOL_POLICIES)}.")
            if o.origin_access_control_id:
                self._oac_id(o.origin_access_control_id)
            if o.origin_path and (not o.origin_path.startswith("/") or o.origin_path.endswith("/")):
                _fail("InvalidArgument", f"OriginPath {o.origin_path!r} must start with '/' and not end with one.")
        for b in [cfg.default_behavior, *cfg.behaviors]:
            where = "DefaultCacheBehavior" if b is cfg.default_behavior else f"CacheBehavior {b.path_pattern!r}"
            if cfg.origin(b.target_origin_id) is None:
                _fail("NoSuchOrigin", f"{where}: TargetOriginId {b.target_origin_id!r} is not one of this "
                      f"distribution's origins ({', '.join(ids)}).", NotFound, 404)
            if b.viewer_protocol_policy not in VIEWER_PROTOCOL_POLICIES:
                _fail("InvalidArgument", f"{where}: ViewerProtocolPolicy {b.viewer_protocol_policy!r} is not "
                      f"valid: use {', '.join(VIEWER_PROTOCOL_POLICIES)}.")
            if frozenset(b.allowed_methods) not in METHOD_SETS:
                _fail("InvalidArgument", f"{where}: AllowedMethods {list(b.allowed_methods)} is not one of the "
                      "sets CloudFront accepts: [GET, HEAD], [GET, HEAD, OPTIONS] or all seven "
                      f"({', '.join(ALL_METHODS)}).")
            if not set(b.cached_methods) <= set(b.allowed_methods) or not {"GET", "HEAD"} <= set(b.cached_methods):
                _fail("InvalidArgument", f"{where}: CachedMethods must include GET and HEAD and be allowed methods.")
            if b.cache_policy_id is not None:
                cache_policy(b.cache_policy_id)
            else:
                for name in ("min_ttl", "default_ttl", "max_ttl"):
                    v = getattr(b, name)
                    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                        _fail("InvalidArgument", f"{where}: {name} must be a whole number of seconds >= 0, not {v!r}.")
                if not b.min_ttl <= b.default_ttl <= b.max_ttl:
                    _fail("InvalidTTLOrder", f"{where}: TTLs must satisfy MinTTL <= DefaultTTL <= MaxTTL; got "
                          f"{b.min_ttl} / {b.default_ttl} / {b.max_ttl}.")
        patterns = [b.path_pattern for b in cfg.behaviors]
        for b in cfg.behaviors:
            if not isinstance(b.path_pattern, str) or not b.path_pattern or b.path_pattern == "*":
                _fail("InvalidArgument", f"A cache behaviour needs a PathPattern other than '*' (that is the "
                      f"default behaviour), not {b.path_pattern!r}.")
            if patterns.count(b.path_pattern) > 1:
                _fail("InvalidArgument", f"PathPattern {b.path_pattern!r} is used by two cache behaviours.")
        if not isinstance(cfg.price_class, str) or cfg.price_class not in PRICE_CLASSES:
            edges_for(cfg.price_class)
        if cfg.default_root_object.startswith("/"):
            _fail("InvalidDefaultRootObject", f"DefaultRootObject {cfg.default_root_object!r} is an object name "
                  "without a leading '/', e.g. 'index.html'.")
        for alias in cfg.aliases:
            if not isinstance(alias, str) or "." not in alias:
                _fail("InvalidArgument", f"The parameter CNAME contains an invalid value {alias!r}: an alias is a "
                      "domain name such as 'www.example.com'.")
            for other in self.distributions.values():
                if other is not current and alias in other.config.aliases:
                    _fail("CNAMEAlreadyExists", f"The alias {alias!r} is already used by distribution {other.id}.",
                          AlreadyExists, 409)
        for code, ttl in cfg.error_caching_min_ttl.items():
            if code not in (400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504):
                _fail("InvalidArgument", f"ErrorCode {code!r} cannot have a custom error response.")
            if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
                _fail("InvalidArgument", f"ErrorCachingMinTTL for {code} is a whole number of seconds >= 0, "
                      f"not {ttl!r}.")

    def build_config(self, origin: Any = None, *, origins: list | None = None, caller_reference: str | None = None,
                     origin_access_control: Any = None, viewer_protocol_policy: str = "allow-all",
                     cache_policy_id: str | None = "CachingOptimized", behaviors: list | None = None,
                     default_root_object: str = "", price_class: str = "PriceClass_All", enabled: bool = True,
                     comment: str = "", aliases: tuple[str, ...] | list[str] = (),
                     error_caching_min_ttl: dict[int, int] | None = None) -> DistributionConfig:
        """A :class:`DistributionConfig` from Pythonic arguments (what ``create_distribution`` uses)."""
        for name, value in (("origins", origins), ("behaviors", behaviors)):
            if value is not None and not isinstance(value, (list, tuple)):
                _fail("InvalidArgument", f"{name} is a list, not {value!r}.")
        if not isinstance(aliases, (list, tuple)):
            _fail("InvalidArgument", f"aliases (Aliases/CNAMEs) is a list of domain names such as "
                  f"['www.example.com'], not {aliases!r}.")
        if error_caching_min_ttl is not None and not isinstance(error_caching_min_ttl, dict):
            _fail("InvalidArgument", f"error_caching_min_ttl maps an HTTP error code to seconds, e.g. {{404: 10}}, "
                  f"not {error_caching_min_ttl!r}.")
        specs = list(origins or []) + ([origin] if origin is not None else [])
        if not specs:
            _fail("InvalidArgument", "Give an origin: a bucket, a load balancer or a domain name.")
        built = [self.make_origin(s, origin_access_control=origin_access_control) for s in specs]
        policy = cache_policy(cache_policy_id).id if cache_policy_id is not None else None
        default = CacheBehavior(target_origin_id=built[0].id, viewer_protocol_policy=viewer_protocol_policy,
                                cache_policy_id=policy)
        extra = []
        for b in behaviors or []:
            if isinstance(b, dict):
                b = dict(b)
                if "cache_policy_id" in b and b["cache_policy_id"] is not None:
                    b["cache_policy_id"] = cache_policy(b["cache_policy_id"]).id
                b.setdefault("target_origin_id", built[0].id)
                b.setdefault("cache_policy_id", policy)
                try:
                    b = CacheBehavior(**b)
                except TypeError as err:
                    _fail("InvalidArgument", f"Bad cache behaviour {b!r}: {err}.")
            if not isinstance(b, CacheBehavior):
                _fail("InvalidArgument", f"A cache behaviour is a CacheBehavior or a dict of its fields, not {b!r}.")
            extra.append(b)
        return DistributionConfig(
            caller_reference=caller_reference or f"awskit-{self.cloud.clock.now:.0f}-{self._token('', 6)}",
            origins=built, default_behavior=default, behaviors=extra, default_root_object=default_root_object,
            price_class=price_class, enabled=enabled, comment=comment, aliases=tuple(aliases),
            error_caching_min_ttl=dict(error_caching_min_ttl or {}))

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

    # -- origin access control ---------------------------------------------------------------------------
    def create_origin_access_control(self, name: str, *, origin_type: str = "s3", signing_behavior: str = "always",
                                     signing_protocol: str = "sigv4", description: str = "") -> OriginAccessControl:
        """An Origin Access Control that signs CloudFront's requests to a private bucket.

        Raises: OriginAccessControlAlreadyExists, InvalidArgument.
        """
        if not isinstance(name, str) or not 1 <= len(name) <= 64:
            _fail("InvalidArgument", f"An origin access control name is 1-64 characters, not {name!r}.")
        if any(o.name == name for o in self.origin_access_controls.values()):
            _fail("OriginAccessControlAlreadyExists", f"An origin access control named {name!r} already exists.",
                  AlreadyExists, 409)
        for label, value, valid in (("OriginAccessControlOriginType", origin_type, ("s3", "mediastore", "lambda",
                                                                                    "mediapackagev2")),
                                    ("SigningBehavior", signing_behavior, ("never", "always", "no-override")),
                                    ("SigningProtocol", signing_protocol, ("sigv4",))):
            if value not in valid:
                _fail("InvalidArgument", f"{label} {value!r} is not valid: use {', '.join(valid)}.")
        oid = self._token("E")
        oac = OriginAccessControl(id=oid, name=name, etag=self._token("E"), origin_type=origin_type,
                                  signing_behavior=signing_behavior, signing_protocol=signing_protocol,
                                  description=description)
        self.origin_access_controls[oid] = oac
        return oac

    def get_origin_access_control(self, oac: str | OriginAccessControl) -> OriginAccessControl:
        if oac is None or oac == "":
            _fail("NoSuchOriginAccessControl", "Give the id of an origin access control "
                  "(list_origin_access_controls() lists them).", NotFound, 404)
        return self.origin_access_controls[self._oac_id(oac)]

    def list_origin_access_controls(self) -> list[OriginAccessControl]:
        return list(self.origin_access_controls.values())

    def delete_origin_access_control(self, oac: str | OriginAccessControl, *, if_match: str) -> None:
        """Raises: NoSuchOriginAccessControl, InvalidIfMatchVersion, PreconditionFailed, OriginAccessControlInUse."""
        o = self.get_origin_access_control(oac)
        self._check_if_match(o.etag, if_match, "origin access control")
        users = [d.id for d in self.distributions.values()
                 if any(x.origin_access_control_id == o.id for x in d.origins)]
        if users:
            _fail("OriginAccessControlInUse", f"{o.id} is used by distribution(s) {', '.join(users)}; remove it from "
                  "their origins first.", InvalidState, 409)
        del self.origin_access_controls[o.id]

    def bucket_policy_for(self, distribution: str | Distribution, bucket: str) -> dict:
        """The bucket policy AWS recommends for OAC: only this distribution may read the bucket."""
        d = self.get_distribution(distribution)
        return {"Version": "2012-10-17", "Statement": [{
            "Sid": "AllowCloudFrontServicePrincipalReadOnly", "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": d.arn}}}]}

    def register_origin(self, domain_name: str, app: Callable, *, region: str = "us-east-1") -> None:
        """Make ``domain_name`` a custom origin answered by ``app(request) -> Response`` in ``region``."""
        from ..regions import region_info

        if not isinstance(domain_name, str) or "." not in domain_name or not callable(app):
            _fail("InvalidArgument", "register_origin(domain_name, app): a domain such as 'api.example.com' and a "
                  "callable taking an awskit.http.Request.")
        region_info(region)
        self._apps[domain_name.lower()] = (app, region)

    # -- invalidations ----------------------------------------------------------------------------------
    def create_invalidation(self, distribution: str | Distribution, paths: list[str] | str, *,
                            caller_reference: str | None = None) -> Invalidation:
        """Remove ``paths`` (``*`` allowed at the end) from every edge; Completed after about a minute.

        The same CallerReference with the same paths returns the earlier invalidation; with
        other paths it is ``InvalidationBatchAlreadyExists``.  The first 1,000 paths a month
        are free, then each costs $0.005 (a path ending in ``*`` counts as one).

        Raises: NoSuchDistribution, InvalidArgument, InvalidationBatchAlreadyExists.
        """
        d = self.get_distribution(distribution)
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, (list, tuple)) or not paths:
            _fail("InvalidArgument", "Paths is a non-empty list such as ['/index.html', '/images/*'].")
        for p in paths:
            if not isinstance(p, str) or not p.startswith("/"):
                _fail("InvalidArgument", f"Invalidation path {p!r} must start with '/' (e.g. '/images/*').")
            if "*" in p[:-1]:
                _fail("InvalidArgument", f"Invalidation path {p!r}: the * wildcard may only be the last character.")
        ref = caller_reference or f"awskit-{self.cloud.clock.now:.0f}-{self._token('', 6)}"
        for inv in d.invalidations.values():
            if inv.caller_reference == ref:
                if list(inv.paths) == list(paths):
                    return inv
                _fail("InvalidationBatchAlreadyExists", f"CallerReference {ref!r} was used by invalidation {inv.id} "
                      "with other paths; use a new CallerReference.", AlreadyExists, 409)
        inv = Invalidation(id=self._token("I"), distribution=d, paths=tuple(paths), caller_reference=ref,
                           created=self.cloud.clock.now)
        d.invalidations[inv.id] = inv
        self._bill_invalidation(len(paths))
        self.cloud.clock.schedule(INVALIDATION_SECONDS, lambda: self._complete(inv), name=f"invalidation {inv.id}")
        return inv

    def _complete(self, inv: Invalidation) -> None:
        d = inv.distribution
        match = invalidation_matcher(list(inv.paths))
        for cache in d.caches.values():
            gone = [k for k, e in cache.items() if match(e.path)]
            for k in gone:
                del cache[k]
            inv.evicted += len(gone)
        inv.status = InvalidationStatus.COMPLETED
        self.cloud.events.publish("cloudfront.invalidation.completed", distribution=d.id, invalidation=inv.id)

    def get_invalidation(self, distribution: str | Distribution, invalidation_id: str) -> Invalidation:
        d = self.get_distribution(distribution)
        inv = d.invalidations.get(invalidation_id) if isinstance(invalidation_id, str) else None
        if inv is None:
            _fail("NoSuchInvalidation", f"The invalidation {invalidation_id!r} does not exist for distribution "
                  f"{d.id}. Invalidations: {', '.join(d.invalidations) or 'none'}.", NotFound, 404)
        return inv

    def list_invalidations(self, distribution: str | Distribution) -> list[Invalidation]:
        """Newest first, as CloudFront lists them."""
        return list(reversed(self.get_distribution(distribution).invalidations.values()))

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

