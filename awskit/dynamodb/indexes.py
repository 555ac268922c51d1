"""DynamoDB secondary indexes: the same items, keyed another way.

A global secondary index (GSI) has its own partition key (and optional sort key) and, on a
provisioned table, its own throughput; a local secondary index (LSI) keeps the table's
partition key and sorts by another attribute.  An item missing an index key attribute is
simply not in that index (a *sparse* index).  The projection decides which attributes are
copied: ALL, KEYS_ONLY, or the keys plus a list (INCLUDE).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> t = cloud.dynamodb.create_table("orders", partition_key="id", global_indexes=[
...     {"name": "by-customer", "partition_key": "customer", "projection": "KEYS_ONLY"}])
>>> cloud.clock.advance(10)
>>> t.put({"id": "o1", "customer": "ada", "total": 12})
>>> t.put({"id": "o2", "total": 5})  # no customer: not in the index
>>> t.indexes["by-customer"]
Index('by-customer', GSI, partition_key=('customer', 'S'), projection=KEYS_ONLY, items=1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .capacity import TokenBucket
from .storage import Store
from .types import _invalid, key_value

if TYPE_CHECKING:
    from .table import Table

__all__ = ["Index"]


@dataclass(slots=True, kw_only=True, eq=False)
class Index:
    """A secondary index: GSI (own partition key, own throughput) or LSI (table's partition key)."""

    name: str
    kind: str  # "GSI" or "LSI"
    table: Table = field(repr=False)
    hash_key: tuple[str, str]
    range_key: tuple[str, str] | None = None
    projection_type: str = "ALL"
    non_key_attributes: tuple[str, ...] = ()
    read_capacity: int | None = None
    write_capacity: int | None = None
    status: str = "ACTIVE"
    store: Store = field(default_factory=Store, repr=False)
    reads: TokenBucket | None = field(default=None, repr=False)
    writes: TokenBucket | None = field(default=None, repr=False)

    @property
    def arn(self) -> str:
        return f"{self.table.arn}/index/{self.name}"

    def key_of(self, item: dict):
        """(partition comparable, partition value, sort tuple) or None if the item is not indexed."""
        hn, ht = self.hash_key
        pk_av = item.get(hn)
        if pk_av is None:
            return None
        self._check(hn, ht, pk_av)
        sk = None
        if self.range_key:
            rn, rt = self.range_key
            sk_av = item.get(rn)
            if sk_av is None:
                return None
            self._check(rn, rt, sk_av)
            sk = key_value(sk_av)
        t = self.table
        base_pk, _, base_sk = t._key_parts(item)
        return key_value(pk_av), pk_av, (sk, base_pk, base_sk)

    def _check(self, name: str, typ: str, av: dict) -> None:
        if typ not in av:
            actual = next(iter(av))
            raise _invalid(f"One or more parameter values were invalid: Type mismatch for Index Key "
                           f"{name} Expected: {typ} Actual: {actual} IndexName: {self.name}")
        if typ in ("S", "B") and not av[typ]:
            raise _invalid("One or more parameter values are not valid. A value specified for a "
                           "secondary index key is not supported. The AttributeValue for a key "
                           f"attribute cannot contain an empty string value. IndexName: {self.name}, "
                           f"IndexKey: {name}")

    def key_names(self) -> tuple[str, ...]:
        names = [self.hash_key[0]] + ([self.range_key[0]] if self.range_key else [])
        return tuple(dict.fromkeys(names + list(self.table.key_names)))

    def project(self, item: dict) -> dict:
        if self.projection_type == "ALL":
            return item
        keep = set(self.key_names())
        if self.projection_type == "INCLUDE":
            keep.update(self.non_key_attributes)
        return {k: v for k, v in item.items() if k in keep}

    def __repr__(self) -> str:
        rk = f", sort_key={self.range_key}" if self.range_key else ""
        return (f"Index({self.name!r}, {self.kind}, partition_key={self.hash_key}{rk}, "
                f"projection={self.projection_type}, items={self.store.item_count})")
