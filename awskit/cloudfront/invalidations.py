"""Invalidations: removing objects from every edge cache before their TTL runs out.

An invalidation is ``InProgress`` for about a minute (:data:`INVALIDATION_SECONDS`), then
``Completed``, when the matching objects are gone from every edge.  The first 1,000 paths
a month are free; a path ending in ``*`` counts as one.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=4)
>>> d = cloud.cloudfront.create_distribution("www.example.com")
>>> inv = cloud.cloudfront.create_invalidation(d, ["/images/*"])
>>> inv.status.value
'InProgress'
>>> cloud.clock.advance(minutes=1)
>>> cloud.cloudfront.get_invalidation(d, inv.id).status.value
'Completed'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import AlreadyExists, NotFound
from ._common import _fail
from .cache import invalidation_matcher
from .resources import Distribution, Invalidation, InvalidationStatus

if TYPE_CHECKING:
    from .service import CloudFrontService

__all__ = ["INVALIDATION_SECONDS"]

INVALIDATION_SECONDS = 60.0  #: an invalidation completes in about a minute


class _InvalidationOps:
    """Invalidation actions of :class:`~awskit.cloudfront.CloudFrontService`."""

    def create_invalidation(self: CloudFrontService, distribution: str | Distribution, paths: list[str] | str, *,
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

    def _complete(self: CloudFrontService, inv: Invalidation) -> None:
        d = inv.distribution
        match = invalidation_matcher(list(inv.paths))
        for cache in d.caches.values():
            gone = [k for k, e in cache.items() if match(e.path)]
            for k in gone:
                del cache[k]
            inv.evicted += len(gone)
        inv.status = InvalidationStatus.COMPLETED
        self.cloud.events.publish("cloudfront.invalidation.completed", distribution=d.id, invalidation=inv.id)

    def get_invalidation(self: CloudFrontService, distribution: str | Distribution,
                         invalidation_id: str) -> Invalidation:
        d = self.get_distribution(distribution)
        inv = d.invalidations.get(invalidation_id) if isinstance(invalidation_id, str) else None
        if inv is None:
            _fail("NoSuchInvalidation", f"The invalidation {invalidation_id!r} does not exist for distribution "
                  f"{d.id}. Invalidations: {', '.join(d.invalidations) or 'none'}.", NotFound, 404)
        return inv

    def list_invalidations(self: CloudFrontService, distribution: str | Distribution) -> list[Invalidation]:
        """Newest first, as CloudFront lists them."""
        return list(reversed(self.get_distribution(distribution).invalidations.values()))
