"""Serving a request: pick the edge, look in its cache, go to the origin when needed.

A viewer is sent to the edge location with the lowest latency among those the
distribution's price class allows.  That edge answers from its own cache (``Hit``), asks
the origin whether a stale copy is still current (``RefreshHit`` when the ETag has not
changed), or fetches the object (``Miss``).  The latency a viewer sees is the round trip
to the edge, plus the round trip from the edge to the origin's region when the edge had
to ask.  Simplifications: no regional edge caches or Origin Shield (each edge asks the
origin itself), no TLS handshakes or transfer time, and a change of configuration takes
effect at every edge at once.

Origin Access Control: CloudFront signs its requests to the bucket as the service
principal ``cloudfront.amazonaws.com``.  S3's own policy evaluation in awskit knows only
account principals and skips Conditions, so this module judges the bucket policy itself:
an ``Allow`` for that service principal whose Condition (``StringEquals``/``ArnLike``... on
``aws:SourceArn`` or ``aws:SourceAccount``) matches the distribution lets CloudFront read,
an explicit ``Deny`` stops it, and statements with other condition keys are treated as not
matching.  Without an OAC, CloudFront reads anonymously (only a public bucket works).
"""

from __future__ import annotations

import fnmatch
import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from ..core.errors import AccessDenied, AWSError
from ..http import Request, Response
from ..regions import EdgeLocation
from .cache import CACHEABLE_ERRORS, DEFAULT_ERROR_TTL, CacheEntry, ttl_for
from .config import s3_origin_bucket

__all__ = ["RequestResult", "SimulationReport", "oac_verdict"]

_ELB_HOST = re.compile(r"\.(?P<region>[a-z]{2}-[a-z]+-\d)\.elb\.amazonaws\.com$")
_WEBSITE_HOST = re.compile(r"^(?P<bucket>.+)\.s3-website[.-](?P<region>[a-z]{2}-[a-z]+-\d)\.amazonaws\.com$")
_X_CACHE = {"Hit": "Hit from cloudfront", "RefreshHit": "RefreshHit from cloudfront",
            "Miss": "Miss from cloudfront", "Pass": "Miss from cloudfront",
            "Error": "Error from cloudfront", "Redirect": "Redirect from cloudfront"}


@dataclass(slots=True, kw_only=True)
class RequestResult:
    """What one viewer request did: the edge, hit or miss, the response and the latency."""

    distribution: Any
    user: Any
    edge: EdgeLocation
    method: str
    path: str
    outcome: str                    #: Hit, RefreshHit, Miss, Pass (not cacheable), Error, Redirect
    response: Response
    edge_ms: float                  #: viewer <-> edge round trip
    origin_ms: float = 0.0          #: edge <-> origin round trip (0 when served from cache)
    origin_region: str | None = None
    behavior: Any = None
    steps: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def latency_ms(self) -> float:
        return round(self.edge_ms + self.origin_ms, 1)

    @property
    def x_cache(self) -> str:
        return self.response.headers.get("X-Cache", "")

    @property
    def hit(self) -> bool:
        return self.outcome in ("Hit", "RefreshHit")

    def explain(self) -> str:
        return "\n".join(f"{i}. {s}" for i, s in enumerate(self.steps, 1))

    def __repr__(self) -> str:
        return (f"RequestResult({self.status}, {self.outcome} at {self.edge.code} ({self.edge.city}), "
                f"{self.latency_ms:g} ms)")

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.steps[:30])
        return (f"<div><b>{self.status} {html.escape(self.response.reason)}</b> &middot; "
                f"{html.escape(self.x_cache)} &middot; {self.edge.code} ({html.escape(self.edge.city)}) &middot; "
                f"{self.latency_ms:g} ms<ol>{items}</ol></div>")


@dataclass(slots=True, kw_only=True)
class SimulationReport:
    """Totals for a burst of simulated traffic (see ``CloudFrontService.simulate``)."""

    requests: int = 0
    hits: int = 0
    refresh_hits: int = 0
    misses: int = 0
    errors: int = 0
    origin_requests: int = 0
    bytes: int = 0
    total_latency_ms: float = 0.0
    by_edge: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def hit_ratio(self) -> float:
        cacheable = self.hits + self.refresh_hits + self.misses
        return (self.hits + self.refresh_hits) / cacheable if cacheable else 0.0

    @property
    def mean_latency_ms(self) -> float:
        return round(self.total_latency_ms / self.requests, 2) if self.requests else 0.0

    def __repr__(self) -> str:
        return (f"SimulationReport(requests={self.requests}, hit_ratio={self.hit_ratio:.3f}, "
                f"mean_latency_ms={self.mean_latency_ms:g}, origin_requests={self.origin_requests})")


# -- Origin Access Control --------------------------------------------------------------------

def _as_list(v: Any) -> list:
    return v if isinstance(v, list) else [v]


def _principal_ok(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return ("*" in _as_list(principal.get("AWS", []))
                or "cloudfront.amazonaws.com" in _as_list(principal.get("Service", [])))
    return False


def _condition_ok(cond: Any, dist_arn: str, account: str) -> bool:
    if not isinstance(cond, dict):
        return False
    for op, pairs in cond.items():
        like = op in ("StringLike", "ArnLike")
        if op not in ("StringEquals", "StringLike", "ArnEquals", "ArnLike") or not isinstance(pairs, dict):
            return False
        for key, wanted in pairs.items():
            k = key.lower()
            actual = dist_arn if k == "aws:sourcearn" else account if k == "aws:sourceaccount" else None
            if actual is None:
                return False  # a condition key awskit does not model: the statement does not apply
            values = [w for w in _as_list(wanted) if isinstance(w, str)]
            if not any(fnmatch.fnmatchcase(actual, w) if like else actual == w for w in values):
                return False
    return True


def oac_verdict(doc: dict | None, dist_arn: str, account: str, action: str, resource: str) -> str | None:
    """"Allow", "Deny" or None: what a bucket policy says about CloudFront (with OAC) reading.

    >>> doc = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
    ...     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
    ...     "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}}}]}
    >>> oac_verdict(doc, "arn:aws:cloudfront::123456789012:distribution/E1", "123456789012",
    ...             "s3:GetObject", "arn:aws:s3:::site/index.html")
    'Allow'
    >>> oac_verdict(doc, "arn:aws:cloudfront::123456789012:distribution/E2", "123456789012",
    ...             "s3:GetObject", "arn:aws:s3:::site/index.html") is None
    True
    """
    verdict = None
    for st in _as_list((doc or {}).get("Statement", [])):
        if not isinstance(st, dict) or "Principal" not in st or not _principal_ok(st["Principal"]):
            continue
        if "Action" not in st or not any(isinstance(a, str) and fnmatch.fnmatchcase(action.lower(), a.lower())
                                         for a in _as_list(st["Action"])):
            continue
        if "Resource" not in st or not any(isinstance(r, str) and fnmatch.fnmatchcase(resource, r)
                                           for r in _as_list(st["Resource"])):
            continue
        if "Condition" in st and not _condition_ok(st["Condition"], dist_arn, account):
            continue
        if st.get("Effect") == "Deny":
            return "Deny"
        verdict = "Allow"
    return verdict


# -- origins ------------------------------------------------------------------------------------

def _http_date(t: float, clock) -> str:
    return clock.to_datetime(t).strftime("%a, %d %b %Y %H:%M:%S GMT")


def _s3_error(status: int, code: str, message: str) -> tuple:
    body = f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return status, {"Content-Type": "application/xml"}, body, len(body), ""


def fetch_s3(svc, dist, origin, path: str, method: str, if_none_match: str | None) -> tuple:
    """(status, headers, body, size, etag) from an S3 REST origin, as CloudFront would get it."""
    bucket_name, _ = s3_origin_bucket(origin.domain_name)
    cloud = svc.cloud
    b = cloud.s3._names.get(bucket_name)
    if b is None:
        return _s3_error(404, "NoSuchBucket", f"The bucket {bucket_name!r} does not exist.")
    owner = cloud if b.owner == cloud.account_id else cloud.account(b.owner)
    s3 = owner.s3
    key = unquote((origin.origin_path + path).lstrip("/"))
    if method not in ("GET", "HEAD"):
        return _s3_error(403, "AccessDenied", f"{method} through CloudFront to an S3 origin is not modelled.")
    obj_arn = f"arn:aws:s3:::{b.name}/{key}"
    if origin.origin_access_control_id:
        verdict = oac_verdict(b.policy_doc, dist.arn, cloud.account_id, "s3:GetObject", obj_arn)
        if verdict == "Deny":
            return _s3_error(403, "AccessDenied", f"The bucket policy of {b.name!r} denies CloudFront.")
        allowed = verdict == "Allow"
        can_list = oac_verdict(b.policy_doc, dist.arn, cloud.account_id, "s3:ListBucket",
                               f"arn:aws:s3:::{b.name}") == "Allow"
    else:
        allowed = can_list = False
    if not allowed:
        # Without OAC (or when the policy does not name the distribution) CloudFront's request
        # is anonymous: only a public bucket answers it.
        try:
            s3._authorize(b, None, "s3:GetObject", key)
        except AccessDenied:
            hint = ("the bucket policy does not allow the service principal cloudfront.amazonaws.com with "
                    f"aws:SourceArn {dist.arn}" if origin.origin_access_control_id else
                    "the origin has no Origin Access Control and the bucket is not public")
            return _s3_error(403, "AccessDenied", f"Access Denied: {hint}.")
        try:
            s3._authorize(b, None, "s3:ListBucket", None)
            can_list = True
        except AccessDenied:
            pass
    v = b.current(key) if key else None
    if v is None or v.delete_marker:
        if can_list:
            return _s3_error(404, "NoSuchKey", f"The specified key does not exist: {key!r}.")
        return _s3_error(403, "AccessDenied", f"Access Denied for {key!r} (without s3:ListBucket S3 does not "
                         "say whether a key exists).")
    try:
        s3._check_readable(b, v)
    except AWSError as err:
        return _s3_error(err.status, err.code, err.message)
    s3._request(b, "GET", v.storage_class)
    headers = {"Content-Type": v.content_type, "ETag": v.etag, "Last-Modified": _http_date(v.last_modified, cloud.clock)}
    for name, http in (("CacheControl", "Cache-Control"), ("Cache-Control", "Cache-Control"), ("Expires", "Expires"),
                       ("ContentEncoding", "Content-Encoding")):
        if name in v.headers:
            headers[http] = v.headers[name]
    if if_none_match is not None and if_none_match == v.etag:
        return 304, headers, "", 0, v.etag
    headers["Content-Length"] = str(v.size)
    return 200, headers, v.data.decode("utf-8", "replace"), v.size, v.etag


def origin_region(svc, origin) -> str | None:
    """The AWS Region the origin lives in (for the edge-to-origin latency), if known."""
    if origin.kind == "s3":
        bucket, region = s3_origin_bucket(origin.domain_name)
        b = svc.cloud.s3._names.get(bucket)
        return b.region if b is not None else region
    host = origin.domain_name.lower()
    m = _ELB_HOST.search(host) or _WEBSITE_HOST.match(host)
    if m:
        return m.group("region")
    reg = svc._apps.get(host)
    return reg[1] if reg else None


def fetch_custom(svc, origin, path: str, method: str, query: dict, headers: dict, scheme: str,
                 if_none_match: str | None) -> tuple:
    """(status, headers, body, size, etag) from a custom (HTTP) origin."""
    host = origin.domain_name.lower()
    send_headers = {"Host": origin.domain_name, **origin.custom_headers}
    send_headers.update({k: v for k, v in headers.items() if k.lower() not in ("host",)})
    if if_none_match:
        send_headers["If-None-Match"] = if_none_match
    full_path = (origin.origin_path + path) or "/"
    m = _WEBSITE_HOST.match(host)
    if m:
        r = svc.cloud.s3.website_request(m.group("bucket"), full_path)
        body = r.body.decode("utf-8", "replace")
        return r.status, dict(r.headers), body, len(r.body), r.headers.get("ETag", "")
    m = _ELB_HOST.search(host)
    if m:
        protocol = origin.protocol_policy
        https = scheme == "https" if protocol == "match-viewer" else protocol == "https-only"
        port = origin.https_port if https else origin.http_port
        try:
            res = svc.cloud.region(m.group("region")).elb.send(
                origin.domain_name, Request(method, full_path, headers=send_headers, query=dict(query)), port=port)
        except AWSError as err:
            body = f"502 Bad Gateway: CloudFront could not reach the origin {origin.domain_name}: {err.message}"
            return 502, {"Content-Type": "text/plain"}, body, len(body), ""
        resp = res.response
    elif host in svc._apps:
        resp = svc._apps[host][0](Request(method, full_path, headers=send_headers, query=dict(query)))
        if not isinstance(resp, Response):
            resp = Response(200, body=str(resp))
    else:
        body = (f"502 Bad Gateway: CloudFront could not resolve the origin domain name {origin.domain_name!r}. "
                "Use a load balancer's DNS name, an S3 website endpoint, or register_origin(domain, app).")
        return 502, {"Content-Type": "text/plain"}, body, len(body), ""
    body = resp.body if isinstance(resp.body, str) else bytes(resp.body).decode("utf-8", "replace")
    hdrs = dict(resp.headers)
    etag = next((v for k, v in hdrs.items() if k.lower() == "etag"), "")
    return resp.status, hdrs, body, len(body.encode("utf-8")), etag


# -- the cache state machine ------------------------------------------------------------------

def cache_key(behavior, path: str, query: dict, headers: dict) -> str:
    qs = behavior.key_query_strings and query
    hs = behavior.key_headers
    if not qs and not hs:
        return path
    key = path
    if qs:
        key += "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))
    if hs:
        lower = {k.lower(): v for k, v in headers.items()}
        key += "|" + "|".join(f"{h}={lower.get(h, '')}" for h in hs)
    return key


def split_path(path: str) -> tuple[str, dict[str, str]]:
    p, _, q = path.partition("?")
    return p, dict(parse_qsl(q, keep_blank_values=True)) if q else {}


def serve(svc, dist, edge: EdgeLocation, method: str, path: str, query: dict, headers: dict, scheme: str,
          steps: list | None) -> tuple:
    """The core of one request.  Returns (outcome, status, headers, body, size, origin_region, stored_at, behavior).

    ``stored_at`` is the time the served copy entered the cache (for the Age header), or
    None when the response did not come from the cache.  ``steps`` (a list or None)
    collects the explanation; the bulk simulation passes None to stay fast.
    """
    cfg = dist.config
    now = svc.cloud.clock.now
    if not dist.deployed_once:
        body = (f"The distribution {dist.id} is not deployed to the edge locations yet (Status "
                f"{dist.status.value}); advance the clock a few minutes.")
        steps is not None and steps.append(body)
        return "Error", 503, {"Content-Type": "text/plain"}, body, len(body), None, None, None
    if not cfg.enabled:
        body = f"The distribution {dist.id} is disabled: CloudFront does not serve it."
        steps is not None and steps.append(body)
        return "Error", 403, {"Content-Type": "text/plain"}, body, len(body), None, None, None
    if path == "/" and cfg.default_root_object:
        path = "/" + cfg.default_root_object
        steps is not None and steps.append(f"'/' is the root URL: DefaultRootObject makes it {path}.")
    behavior = dist.behavior_for(path)
    if steps is not None:
        steps.append(f"Path {path} matches the cache behaviour {behavior.path_pattern!r} -> origin "
                     f"{behavior.target_origin_id!r}.")
    if scheme == "http" and behavior.viewer_protocol_policy != "allow-all":
        if behavior.viewer_protocol_policy == "redirect-to-https":
            loc = f"https://{dist.domain_name}{path}"
            steps is not None and steps.append(f"ViewerProtocolPolicy redirect-to-https: 301 to {loc}.")
            return "Redirect", 301, {"Location": loc}, "", 0, None, None, behavior
        steps is not None and steps.append("ViewerProtocolPolicy https-only: an HTTP request gets 403.")
        return "Error", 403, {"Content-Type": "text/plain"}, "HTTPS only", 10, None, None, behavior
    if method not in behavior.allowed_methods:
        body = f"{method} is not in this behaviour's AllowedMethods ({', '.join(behavior.allowed_methods)})."
        steps is not None and steps.append(body)
        return "Error", 403, {"Content-Type": "text/plain"}, body, len(body), None, None, behavior
    origin = cfg.origin(behavior.target_origin_id)
    region = origin_region(svc, origin) or ""  # "": contacted, region unknown
    fwd_query = query if behavior.key_query_strings else {}
    if method not in behavior.cached_methods:
        st, hd, body, size, _ = _fetch(svc, dist, origin, path, method, fwd_query, headers, scheme, None)
        steps is not None and steps.append(f"{method} is not cached: forwarded to {origin.domain_name} -> {st}.")
        return "Pass", st, hd, body, size, region, None, behavior
    key = cache_key(behavior, path, query, headers)
    cache = dist.caches.get(edge.code)
    if cache is None:
        cache = dist.caches[edge.code] = {}
    entry = cache.get(key)
    if entry is not None and now < entry.expires_at:
        entry.hits += 1
        steps is not None and steps.append(f"{edge.code} has {key} cached ({now - entry.stored_at:g} s old, "
                                           f"{entry.expires_at - now:g} s left): served from the edge.")
        outcome = "Error" if entry.status >= 400 else "Hit"
        return outcome, entry.status, entry.headers, entry.body, entry.size, None, entry.stored_at, behavior
    lo, default, hi = behavior.ttls
    if entry is not None and entry.etag and entry.status < 400:
        st, hd, body, size, etag = _fetch(svc, dist, origin, path, method, fwd_query, headers, scheme, entry.etag)
        if st == 304 or (st == 200 and etag == entry.etag):
            lower = {k.lower(): v for k, v in hd.items()} or {k.lower(): v for k, v in entry.headers.items()}
            entry.stored_at = now
            entry.expires_at = now + ttl_for(entry.status, lower, lo, default, hi, now=now)
            steps is not None and steps.append(f"The cached copy had expired; the origin confirmed ETag "
                                               f"{entry.etag} is current (304): RefreshHit.")
            return "RefreshHit", entry.status, entry.headers, entry.body, entry.size, region, now, behavior
        steps is not None and steps.append("The cached copy had expired and the origin has a new version.")
    else:
        st, hd, body, size, etag = _fetch(svc, dist, origin, path, method, fwd_query, headers, scheme, None)
    lower = {k.lower(): v for k, v in hd.items()}
    ttl = ttl_for(st, lower, lo, default, hi, now=now,
                  error_ttl=cfg.error_caching_min_ttl.get(st, DEFAULT_ERROR_TTL))
    if ttl > 0:
        cache[key] = CacheEntry(path, st, hd, body, size, etag, now, now + ttl)
    elif entry is not None:
        del cache[key]
    if steps is not None:
        steps.append(f"Miss at {edge.code}: fetched {path} from {origin.domain_name} ({region or 'unknown region'})"
                     f" -> {st}; " + (f"cached for {ttl:g} s." if ttl > 0 else "not cached."))
    outcome = "Error" if st in CACHEABLE_ERRORS or st >= 400 else "Miss"
    return outcome, st, hd, body, size, region, None, behavior


def _fetch(svc, dist, origin, path, method, query, headers, scheme, if_none_match) -> tuple:
    if origin.kind == "s3":
        return fetch_s3(svc, dist, origin, path, method, if_none_match)
    return fetch_custom(svc, origin, path, method, query, headers, scheme, if_none_match)
