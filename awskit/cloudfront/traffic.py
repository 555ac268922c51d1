"""Traffic through CloudFront: single requests, bulk simulation, hit ratios, metrics and the bill.

Each function here is a method of :class:`~awskit.cloudfront.service.CloudFrontService`
(``cloud.cloudfront.request(...)``); they live apart to keep the service module about
configuration.  Metrics are summed per distribution and minute and published to CloudWatch
in us-east-1 (namespace ``AWS/CloudFront``, dimensions ``DistributionId`` and
``Region=Global``) once the minute is over; the bill gets one line per distribution,
month, geography and kind of usage, growing as traffic flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.errors import InvalidParameter
from ..http import Response
from ..regions import EdgeLocation, latency_ms
from .cache import CacheEntry
from .config import ALL_METHODS, EDGE_GEOGRAPHY, GEOGRAPHY_PRICES, edges_for
from .serving import _X_CACHE, RequestResult, SimulationReport, serve, split_path

if TYPE_CHECKING:
    from .service import Distribution

__all__ = ["cached", "edge_for", "flush", "hit_ratio", "request", "simulate"]

GB = 1024 ** 3
FREE_INVALIDATION_PATHS = 1000
INVALIDATION_PATH_PRICE = 0.005


def _fail(code: str, message: str):
    raise InvalidParameter(code, message)


# -- single requests ----------------------------------------------------------------------------------------
def edge_for(svc, user: Any, price_class: str = "PriceClass_All") -> EdgeLocation:
    """The lowest-latency edge for ``user`` (a city, a region code or (lat, lon)) within a price class."""
    key = (user, price_class) if isinstance(user, (str, tuple)) and isinstance(price_class, str) else None
    try:
        hit = svc._edge_memo.get(key) if key else None
    except TypeError:  # a tuple holding something unhashable: latency_ms explains what a place is
        key = hit = None
    if hit is not None:
        return hit
    edges = edges_for(price_class)
    edge = min(edges, key=lambda e: (latency_ms(user, e), e.code))
    if key:
        svc._edge_memo[key] = edge
    return edge

def _latency(svc, a: Any, b: Any) -> float:
    key = (a.code if isinstance(a, EdgeLocation) else a, b)
    v = svc._lat_memo.get(key)
    if v is None:
        v = svc._lat_memo[key] = latency_ms(a, b)
    return v

def request(svc, distribution: str | Distribution, path: str = "/", *, user: Any = "Ashburn",
            method: str = "GET", headers: dict[str, str] | None = None, scheme: str = "https") -> RequestResult:
    """One viewer request through CloudFront; see :class:`~awskit.cloudfront.serving.RequestResult`.

    Args:
        path: the URL path, optionally with a query string (``/img/a.png?w=200``).
        user: where the viewer is: a city in ``awskit.regions.CITIES``, a region code or (lat, lon).
        scheme: "https" or "http" (the ViewerProtocolPolicy decides what HTTP gets).
    """
    d = svc.get_distribution(distribution)
    if not isinstance(path, str) or not path.startswith("/"):
        _fail("InvalidArgument", f"A request path starts with '/', e.g. '/index.html', not {path!r}.")
    if scheme not in ("http", "https"):
        _fail("InvalidArgument", f"scheme is 'http' or 'https', not {scheme!r}.")
    method = method.upper() if isinstance(method, str) else method
    if method not in ALL_METHODS:
        _fail("InvalidArgument", f"method {method!r} is not one CloudFront accepts: {', '.join(ALL_METHODS)}.")
    if headers is not None and not isinstance(headers, dict):
        _fail("InvalidArgument", f"headers is a dict of str -> str, not {headers!r}.")
    edge = svc.edge_for(user, d.config.price_class)
    p, query = split_path(path)
    steps = [(f"DNS sends a viewer in {user} to edge {edge.code} ({edge.city}), the closest allowed by "
              f"{d.config.price_class}.")]
    outcome, status, hdrs, body, size, region, stored_at, behavior = serve(
        svc, d, edge, method, p, query, headers or {}, scheme, steps)
    now = svc.cloud.clock.now
    out_headers = dict(hdrs)
    out_headers["X-Cache"] = _X_CACHE[outcome]
    out_headers["Via"] = f"1.1 {d.domain_name.split('.')[0][1:]}.cloudfront.net (CloudFront)"
    out_headers["X-Amz-Cf-Pop"] = edge.code
    out_headers["X-Amz-Cf-Id"] = svc._token("", 20)
    if stored_at is not None:
        out_headers["Age"] = str(int(now - stored_at))
    response = Response(status, headers=out_headers, body="" if method == "HEAD" else body)
    edge_ms = svc._latency(edge, user) if not isinstance(user, tuple) else latency_ms(user, edge)
    origin_ms = svc._latency(edge, region) if region else 0.0
    svc._account(d, edge, outcome, status, size if method != "HEAD" else 0, scheme, now)
    return RequestResult(distribution=d, user=user, edge=edge, method=method, path=path, outcome=outcome,
                         response=response, edge_ms=edge_ms, origin_ms=origin_ms, origin_region=region or None,
                         behavior=behavior, steps=steps)

def simulate(svc, distribution: str | Distribution, users: dict[Any, int], paths: list[str] | dict[str, float],
             *, duration_s: float = 60.0, method: str = "GET", scheme: str = "https") -> SimulationReport:
    """Many requests, spread evenly over ``duration_s`` simulated seconds; returns the totals.

    Args:
        users: place -> number of requests from there (``{"London": 100, "Tokyo": 50}``).
        paths: the paths requested, chosen at random (from ``cloud.rng``) for each request;
            a dict gives each path a weight.

    The clock advances by ``duration_s``; metrics and the bill are recorded as for single
    requests.
    """
    d = svc.get_distribution(distribution)
    if not isinstance(users, dict) or not users:
        _fail("InvalidArgument", "users maps a place to a number of requests, e.g. {'London': 100}.")
    for place, n in users.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            _fail("InvalidArgument", f"users[{place!r}] must be a whole number of requests >= 0, not {n!r}.")
    weights = None
    if isinstance(paths, dict):
        weights = list(paths.values())
        if not all(isinstance(w, (int, float)) and w >= 0 for w in weights) or not sum(weights):
            _fail("InvalidArgument", "Path weights must be numbers >= 0, not all zero.")
        paths = list(paths)
    if not isinstance(paths, (list, tuple)) or not paths or not all(isinstance(p, str) and p.startswith("/")
                                                                  for p in paths):
        _fail("InvalidArgument", "paths is a non-empty list of paths starting with '/'.")
    if not isinstance(duration_s, (int, float)) or duration_s <= 0:
        _fail("InvalidArgument", f"duration_s must be > 0 seconds, not {duration_s!r}.")
    clock = svc.cloud.clock
    start = clock.now
    schedule: list[tuple[float, int]] = []
    places = list(users)
    edges = [svc.edge_for(p, d.config.price_class) for p in places]
    edge_ms = [svc._latency(e, p) if not isinstance(p, tuple) else latency_ms(p, e) for p, e in zip(places, edges)]
    for i, place in enumerate(places):
        n = users[place]
        step = duration_s / n if n else 0
        schedule.extend((start + (k + 0.5) * step, i) for k in range(n))
    schedule.sort()
    chosen = svc.cloud.rng.choices(paths, weights=weights, k=len(schedule))
    split = {p: split_path(p) for p in set(chosen)}
    report = SimulationReport()
    by_edge = report.by_edge
    for (t, i), path in zip(schedule, chosen):
        clock.run_until(t)
        edge = edges[i]
        p, query = split[path]
        outcome, status, _, _, size, region, _, _ = serve(svc, d, edge, method, p, query, {}, scheme, None)
        lat = edge_ms[i] + (svc._latency(edge, region) if region else 0.0)
        if method == "HEAD":
            size = 0
        svc._account(d, edge, outcome, status, size, scheme, t)
        report.requests += 1
        report.bytes += size
        report.total_latency_ms += lat
        if region is not None:
            report.origin_requests += 1
        row = by_edge.get(edge.code)
        if row is None:
            row = by_edge[edge.code] = {"requests": 0, "hits": 0, "misses": 0, "latency_ms": 0.0}
        row["requests"] += 1
        row["latency_ms"] += lat
        if outcome == "Hit":
            report.hits += 1
            row["hits"] += 1
        elif outcome == "RefreshHit":
            report.refresh_hits += 1
            row["hits"] += 1
        elif outcome == "Miss":
            report.misses += 1
            row["misses"] += 1
        elif outcome in ("Error", "Redirect"):
            report.errors += 1
    for row in by_edge.values():
        row["latency_ms"] = round(row["latency_ms"] / row["requests"], 2)
    clock.run_until(start + duration_s)
    return report

def hit_ratio(svc, distribution: str | Distribution, edge: str | EdgeLocation | None = None) -> float:
    """Cache hit ratio of a distribution (hits and RefreshHits over cacheable requests)."""
    return svc.get_distribution(distribution).hit_ratio(edge)

def cached(svc, distribution: str | Distribution, edge: str | EdgeLocation) -> dict[str, CacheEntry]:
    """What one edge holds for a distribution (cache key -> entry), expired entries included."""
    code = edge.code if isinstance(edge, EdgeLocation) else edge
    return dict(svc.get_distribution(distribution).caches.get(code, {}))

# -- metrics and bill ------------------------------------------------------------------------------
def _account(svc, d: Distribution, edge: EdgeLocation, outcome: str, status: int, size: int, scheme: str,
             now: float) -> None:
    row = d.stats.get(edge.code)
    if row is None:
        row = d.stats[edge.code] = [0, 0, 0, 0, 0, 0]
    row[0] += 1
    row[5] += size
    if outcome == "Hit":
        row[1] += 1
    elif outcome == "RefreshHit":
        row[2] += 1
    elif outcome == "Miss":
        row[3] += 1
    elif outcome == "Error":
        row[4] += 1
    minute = now - now % 60
    key = (d.id, minute)
    acc = svc._minutes.get(key)
    if acc is None:
        acc = svc._minutes[key] = [0, 0, 0, 0, 0, 0]  # requests, bytes, 4xx, 5xx, hits, cacheable
        if svc._flush_event is None:
            svc._flush_event = svc.cloud.clock.at(minute + 60, svc._flush, name="cloudfront metrics")
    acc[0] += 1
    acc[1] += size
    if 400 <= status < 500:
        acc[2] += 1
    elif status >= 500:
        acc[3] += 1
    if outcome in ("Hit", "RefreshHit"):
        acc[4] += 1
        acc[5] += 1
    elif outcome == "Miss":
        acc[5] += 1
    ckey = (d.id, EDGE_GEOGRAPHY[edge.code], scheme, minute)
    charge = svc._charges.get(ckey)
    if charge is None:
        charge = svc._charges[ckey] = [0, 0]
    charge[0] += 1
    charge[1] += size

def flush(svc) -> None:
    """Publish every finished minute now (metrics go out once a minute on their own)."""
    svc._flush(force=True)

def _flush(svc, force: bool = False) -> None:
    svc._flush_event = None
    now = svc.cloud.clock.now
    cw = svc.cloud.region("us-east-1").cloudwatch
    ns = "AWS/CloudFront"
    for key in [k for k in svc._minutes if force or k[1] + 60 <= now]:
        did, minute = key
        req, nbytes, e4, e5, hits, cacheable = svc._minutes.pop(key)
        dims = {"DistributionId": did, "Region": "Global"}
        cw.put(ns, "Requests", req, dimensions=dims, unit="None", timestamp=minute)
        cw.put(ns, "BytesDownloaded", nbytes, dimensions=dims, unit="None", timestamp=minute)
        cw.put(ns, "4xxErrorRate", 100.0 * e4 / req, dimensions=dims, unit="Percent", timestamp=minute)
        cw.put(ns, "5xxErrorRate", 100.0 * e5 / req, dimensions=dims, unit="Percent", timestamp=minute)
        cw.put(ns, "TotalErrorRate", 100.0 * (e4 + e5) / req, dimensions=dims, unit="Percent", timestamp=minute)
        if cacheable:
            cw.put(ns, "CacheHitRate", 100.0 * hits / cacheable, dimensions=dims, unit="Percent", timestamp=minute)
    for key in [k for k in svc._charges if force or k[3] + 60 <= now]:
        did, geo, scheme, minute = key
        n, nbytes = svc._charges.pop(key)
        per_gb, https, http = GEOGRAPHY_PRICES[geo]
        month = svc.cloud.clock.to_datetime(minute).strftime("%Y-%m")
        svc._charge(did, f"{month} data transfer out, {geo} (GB)", nbytes / GB * per_gb)
        svc._charge(did, f"{month} {scheme.upper()} requests, {geo}", n / 10000 * (https if scheme == "https"
                                                                                      else http))
    if svc._minutes and svc._flush_event is None:
        nxt = min(k[1] for k in svc._minutes) + 60
        svc._flush_event = svc.cloud.clock.at(max(nxt, now), svc._flush, name="cloudfront metrics")

def _charge(svc, resource: str, usage: str, amount: float) -> None:
    item = svc._items.get((resource, usage))
    if item is None:
        item = svc._items[(resource, usage)] = svc.cloud.bill.charge("cloudfront", resource, usage, 0.0)
    item.amount += amount

def _bill_invalidation(svc, n: int) -> None:
    month = svc.cloud.clock.datetime.strftime("%Y-%m")
    before = svc._invalidation_paths.get(month, 0)
    after = svc._invalidation_paths[month] = before + n
    billable = max(0, after - max(before, FREE_INVALIDATION_PATHS))
    if billable:
        svc._charge("invalidations", f"{month} invalidation paths beyond {FREE_INVALIDATION_PATHS}",
                     billable * INVALIDATION_PATH_PRICE)
