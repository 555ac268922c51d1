"""The edge caches: cache keys, how long a response may be kept (TTL), path patterns.

How CloudFront picks a TTL, as AWS documents it (2026):

* ``Cache-Control: s-maxage`` wins over ``max-age``; either wins over ``Expires``; with none
  of them the behaviour's *default* TTL applies;
* whatever the origin asked for is clamped between the behaviour's *minimum* and *maximum*
  TTL;
* ``no-cache``, ``no-store`` or ``private`` stop caching only when the minimum TTL is 0
  (otherwise the minimum TTL applies);
* error responses (403, 404, 5xx...) are kept for the *error caching minimum TTL*, 10
  seconds unless a custom error response says otherwise.

>>> ttl_for(200, {"cache-control": "max-age=60"}, 0, 86400, 31536000, now=0.0)
60.0
>>> ttl_for(200, {"cache-control": "max-age=60, s-maxage=600"}, 0, 86400, 31536000, now=0.0)
600.0
>>> ttl_for(200, {}, 0, 86400, 31536000, now=0.0)
86400.0
>>> ttl_for(200, {"cache-control": "max-age=5"}, 30, 86400, 31536000, now=0.0)
30.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from ..core.clock import EPOCH

__all__ = ["CACHEABLE_ERRORS", "CacheEntry", "compile_pattern", "parse_cache_control", "ttl_for"]

#: error statuses CloudFront caches (for the error caching minimum TTL)
CACHEABLE_ERRORS = frozenset({400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504})
#: successful statuses CloudFront caches
CACHEABLE_OK = frozenset({200, 203, 204, 206, 300, 301, 410})
DEFAULT_ERROR_TTL = 10


@dataclass(slots=True)
class CacheEntry:
    """One cached response at one edge."""

    path: str
    status: int
    headers: dict[str, str]
    body: str
    size: int
    etag: str
    stored_at: float
    expires_at: float
    hits: int = 0
    extra: dict = field(default_factory=dict)

    def fresh(self, now: float) -> bool:
        return now < self.expires_at

    def __repr__(self) -> str:
        return f"CacheEntry({self.path!r}, {self.status}, {self.size} bytes, ttl={self.expires_at - self.stored_at:g}s)"


def parse_cache_control(value: str | None) -> dict[str, str]:
    """``"max-age=60, public"`` -> ``{"max-age": "60", "public": ""}`` (names lower-cased)."""
    out: dict[str, str] = {}
    if not value:
        return out
    for part in value.split(","):
        name, _, arg = part.strip().partition("=")
        if name:
            out[name.lower()] = arg.strip().strip('"')
    return out


def _seconds(value: str) -> float | None:
    try:
        return max(0.0, float(int(value)))
    except (TypeError, ValueError):
        return None


def _expires_at(value) -> float | None:
    """An Expires header as simulated seconds: a number, or an HTTP date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return (parsedate_to_datetime(value) - EPOCH).total_seconds()
    except (TypeError, ValueError, IndexError):
        return None


def ttl_for(status: int, headers: dict[str, str], min_ttl: float, default_ttl: float, max_ttl: float, *,
            now: float, error_ttl: float = DEFAULT_ERROR_TTL) -> float:
    """Seconds a response may be served from cache (0: not cached).  ``headers`` are lower-cased."""
    if status in CACHEABLE_ERRORS:
        return float(error_ttl)
    if status not in CACHEABLE_OK:
        return 0.0
    cc = parse_cache_control(headers.get("cache-control"))
    if "no-store" in cc or "no-cache" in cc or "private" in cc:
        return float(min_ttl)
    asked = None
    if "s-maxage" in cc:
        asked = _seconds(cc["s-maxage"])
    if asked is None and "max-age" in cc:
        asked = _seconds(cc["max-age"])
    if asked is None and "expires" in headers:
        at = _expires_at(headers["expires"])
        asked = None if at is None else max(0.0, at - now)
    if asked is None:
        return float(default_ttl)
    return float(max(min_ttl, min(asked, max_ttl)))


def compile_pattern(pattern: str):
    """A cache behaviour's path pattern as a compiled matcher (``*`` any run, ``?`` one char).

    Patterns are case-sensitive; the leading ``/`` is optional, as in CloudFront.

    >>> compile_pattern("images/*.jpg")("/images/cat.jpg"), compile_pattern("images/*.jpg")("/Images/cat.jpg")
    (True, False)
    """
    if pattern == "*":
        return lambda path: True
    p = pattern if pattern.startswith(("/", "*")) else "/" + pattern
    rx = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p) + r"\Z", re.DOTALL)
    return lambda path: rx.match(path) is not None


def invalidation_matcher(paths: list[str]):
    """One predicate for a batch of invalidation paths (``*`` only at the end, as AWS allows)."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for p in paths:
        if p.endswith("*"):
            prefixes.append(p[:-1])
        else:
            exact.add(p)
    prefix_tuple = tuple(prefixes)
    return lambda path: path in exact or (bool(prefix_tuple) and path.startswith(prefix_tuple))
