"""Where items live: one sorted bucket per partition key, so a query touches only its key.

Each partition key value owns a :class:`Bucket` whose sort-key values are kept in a sorted
list (``bisect``), as DynamoDB keeps an item collection ordered by sort key.  A query finds
its bucket with one dict lookup and its sort-key range with two binary searches, so its
cost does not grow with the table; a scan walks every bucket in hash order, so its cost
does.  Secondary indexes use the same structure with their own keys.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from typing import Any

from .partitions import key_hash

__all__ = ["Bucket", "Row", "Store", "key_range"]


class Row:
    """A stored item and its size in bytes (items are replaced, never changed in place)."""

    __slots__ = ("item", "size")

    def __init__(self, item: dict, size: int) -> None:
        self.item, self.size = item, size


class Bucket:
    """The items that share one partition key value (an "item collection")."""

    __slots__ = ("h", "keys", "pk", "rows", "size")

    def __init__(self, pk: dict, h: int) -> None:
        self.pk, self.h = pk, h
        self.keys: list = []  # sorted sort-key comparables
        self.rows: dict[Any, Row] = {}
        self.size = 0

    def ordered(self, lo: int = 0, hi: int | None = None, reverse: bool = False) -> Iterator[tuple[Any, Row]]:
        keys = self.keys
        hi = len(keys) if hi is None else hi
        rng = range(hi - 1, lo - 1, -1) if reverse else range(lo, hi)
        rows = self.rows
        for i in rng:
            k = keys[i]
            yield k, rows[k]


class Store:
    """Buckets by partition-key comparable, plus a lazily rebuilt hash order for scans."""

    __slots__ = ("_hashes", "_order", "buckets", "item_count", "size")

    def __init__(self) -> None:
        self.buckets: dict[Any, Bucket] = {}
        self._order: list[Bucket] | None = []
        self._hashes: list[int] = []
        self.item_count = 0
        self.size = 0

    def get(self, pk: Any, sk: Any) -> Row | None:
        b = self.buckets.get(pk)
        return None if b is None else b.rows.get(sk)

    def put(self, pk: Any, pk_av: dict, sk: Any, row: Row, h: int | None = None) -> Row | None:
        """Store ``row``; return the row it replaced, if any."""
        b = self.buckets.get(pk)
        if b is None:
            b = self.buckets[pk] = Bucket(pk_av, key_hash(pk_av) if h is None else h)
            self._order = None
        old = b.rows.get(sk)
        b.rows[sk] = row
        if old is None:
            insort(b.keys, sk)
            self.item_count += 1
            b.size += row.size
            self.size += row.size
        else:
            b.size += row.size - old.size
            self.size += row.size - old.size
        return old

    def delete(self, pk: Any, sk: Any) -> Row | None:
        b = self.buckets.get(pk)
        if b is None:
            return None
        old = b.rows.pop(sk, None)
        if old is None:
            return None
        if len(b.keys) == 1:
            b.keys.clear()  # also the only way for hash-only tables, whose sort key is None
        else:
            del b.keys[bisect_left(b.keys, sk)]
        self.item_count -= 1
        b.size -= old.size
        self.size -= old.size
        if not b.rows:
            del self.buckets[pk]
            self._order = None
        return old

    def order(self) -> tuple[list[Bucket], list[int]]:
        """Buckets in hash order (the order a scan reads them) and their hashes."""
        if self._order is None:
            self._order = sorted(self.buckets.values(), key=lambda b: b.h)
            self._hashes = [b.h for b in self._order]
        return self._order, self._hashes

    def clear(self) -> None:
        self.buckets.clear()
        self._order = None
        self.item_count = self.size = 0


def _successor(prefix):
    """The smallest value greater than every value that starts with ``prefix``."""
    if isinstance(prefix, str):
        while prefix and ord(prefix[-1]) == 0x10FFFF:
            prefix = prefix[:-1]
        return None if not prefix else prefix[:-1] + chr(ord(prefix[-1]) + 1)
    b = bytearray(prefix)
    while b and b[-1] == 0xFF:
        b.pop()
    if not b:
        return None
    b[-1] += 1
    return bytes(b)


def key_range(keys: list, op: str | None, values: tuple, first=None) -> tuple[int, int]:
    """The slice of the sorted ``keys`` a sort-key condition selects.

    ``first`` picks the sort value out of a stored key (index keys are tuples).
    """
    n = len(keys)
    if op is None:
        return 0, n
    kw = {"key": first} if first else {}
    v = values[0]
    if op == "=":
        return bisect_left(keys, v, **kw), bisect_right(keys, v, **kw)
    if op == "<":
        return 0, bisect_left(keys, v, **kw)
    if op == "<=":
        return 0, bisect_right(keys, v, **kw)
    if op == ">":
        return bisect_right(keys, v, **kw), n
    if op == ">=":
        return bisect_left(keys, v, **kw), n
    if op == "BETWEEN":
        return bisect_left(keys, v, **kw), bisect_right(keys, values[1], **kw)
    # begins_with
    lo = bisect_left(keys, v, **kw)
    succ = _successor(v)
    return lo, (n if succ is None else bisect_left(keys, succ, **kw))
