"""The CloudFront resources: distributions, their invalidations, and origin access controls.

A :class:`Distribution` holds its configuration (:mod:`.config`), its deployment status and
ETag, and what its traffic left behind: a cache per edge location and counters per edge.
An :class:`Invalidation` removes paths from every edge cache; an
:class:`OriginAccessControl` lets CloudFront sign its requests to a private S3 bucket.
The actions on them are methods of :class:`~awskit.cloudfront.CloudFrontService`.
"""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass, field
from typing import Any

from ..regions import EdgeLocation
from .cache import CacheEntry, compile_pattern
from .config import PRICE_CLASSES, CacheBehavior, DistributionConfig, Origin

__all__ = ["Distribution", "DistributionStatus", "Invalidation", "InvalidationStatus", "OriginAccessControl"]


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
