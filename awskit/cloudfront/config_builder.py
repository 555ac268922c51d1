"""Building and validating distribution configurations.

:meth:`build_config` turns Pythonic arguments (a bucket, a load balancer or a domain name as
the origin; a cache policy; extra cache behaviours...) into a :class:`DistributionConfig`;
:meth:`_validate` checks one against itself and against the account (every
``TargetOriginId`` names an origin, TTLs are ordered, an alias is used once...) with the
error codes CloudFront returns.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=4)
>>> cfg = cloud.cloudfront.build_config("www.example.com", behaviors=[{"path_pattern": "/api/*"}])
>>> cfg.origins[0].kind, cfg.default_behavior.target_origin_id, cfg.behaviors[0].path_pattern
('custom', 'www.example.com', '/api/*')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.errors import AlreadyExists, NotFound
from ._common import _fail
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
from .resources import Distribution

if TYPE_CHECKING:
    from .service import CloudFrontService

__all__: list[str] = []


class _ConfigOps:
    """Configuration building and checking, for :class:`~awskit.cloudfront.CloudFrontService`."""

    def make_origin(self: CloudFrontService, spec: Any, *, origin_id: str | None = None,
                    origin_access_control: Any = None, protocol_policy: str = "http-only",
                    origin_path: str = "") -> Origin:
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

    def _validate(self: CloudFrontService, cfg: DistributionConfig, current: Distribution | None = None) -> None:
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

    def build_config(self: CloudFrontService, origin: Any = None, *, origins: list | None = None,
                     caller_reference: str | None = None, origin_access_control: Any = None,
                     viewer_protocol_policy: str = "allow-all",
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
