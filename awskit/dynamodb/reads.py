"""DynamoDB reads: GetItem, Query and Scan on a table or one of its secondary indexes.

A query reads the items of one partition key in sort-key order, so its cost depends on
what it returns; a scan walks every item collection in hash order and pays for all it reads,
matched or not.  Both return one :class:`Page` of at most 1 MB, whose ``last_evaluated_key``
starts the next.  :class:`TableReads` is a base class of :class:`awskit.dynamodb.Table`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import InvalidParameter
from . import expressions as ex
from .capacity import Consumed, read_units
from .partitions import HASH_SPACE, key_hash
from .storage import Store, key_range
from .types import copy_item, deserialize_item, item_size, key_value, serialize, validate_item

if TYPE_CHECKING:
    from .indexes import Index

__all__ = ["PAGE_BYTES", "Page", "TableReads"]

#: 1 MB: the most a single Query or Scan reads before it returns a page.
PAGE_BYTES = 1024 * 1024


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


@dataclass(slots=True)
class Page:
    """One page of a Query or Scan."""

    items: list[dict] | None
    count: int
    scanned_count: int
    last_evaluated_key: dict | None
    consumed: Consumed


class TableReads:
    """GetItem, Query and Scan, for :class:`~awskit.dynamodb.table.Table` (which inherits them)."""

    __slots__ = ()

    # -- reads ------------------------------------------------------------------------------
    def get_item(self, key: dict, *, consistent: bool = False, projection: str | None = None,
                 names: dict | None = None) -> tuple[dict | None, Consumed]:
        """The item with ``key`` (or None) and the read capacity it cost."""
        self._active()
        pk, pk_av, sk, _ = self._key(key)
        proj = ex.parse_projection(projection) if projection is not None else None
        names, _ = self._prep(names, None, proj)
        row = self.store.get(pk, sk)
        units = read_units(row.size if row is not None else 0, consistent)
        self._admit_read(units, pk)
        self._record(key_hash(pk_av), units, 0.0)
        consumed = Consumed(self.name, read=units)
        if row is None:
            return None, consumed
        item = ex.project(row.item, proj, names) if proj is not None else row.item
        return copy_item(item), consumed

    def _source(self, index_name: str | None, consistent: bool) -> tuple[Store, Index | None]:
        if index_name is None:
            return self.store, None
        idx = self.indexes.get(index_name)
        if idx is None:
            known = ", ".join(self.indexes) or "none"
            raise _invalid(f"The table does not have the specified index: {index_name}. "
                           f"Indexes of {self.name}: {known}.")
        if consistent and idx.kind == "GSI":
            raise _invalid("Consistent reads are not supported on global secondary indexes")
        return idx.store, idx

    def _start_key(self, start: dict | None, idx: Index | None):
        """ExclusiveStartKey -> (bucket pk comparable, stored sort comparable)."""
        if start is None:
            return None
        if not isinstance(start, dict) or not start:
            raise _invalid("The provided starting key is invalid: give the LastEvaluatedKey of the "
                           "previous page.")
        need = set(self.key_names) | (set(idx.key_names()) if idx else set())
        if set(start) != need:
            raise _invalid(f"The provided starting key is invalid: it needs exactly {sorted(need)}, "
                           f"not {sorted(start)}.")
        start = validate_item(start, "ExclusiveStartKey")
        pk, _, sk = self._key_parts(start)
        if idx is None:
            return pk, sk
        k = idx.key_of(start)
        if k is None:
            raise _invalid("The provided starting key is invalid: it lacks the index key.")
        return k[0], k[2]

    def _last_key(self, item: dict, idx: Index | None) -> dict:
        names = self.key_names + (idx.key_names() if idx else ())
        return {n: item[n] for n in dict.fromkeys(names)}

    def _select(self, select: str | None, projection, idx: Index | None) -> str:
        valid = ("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT")
        if select is None:
            return "SPECIFIC_ATTRIBUTES" if projection else ("ALL_PROJECTED_ATTRIBUTES" if idx else "ALL_ATTRIBUTES")
        if select not in valid:
            raise _invalid(f"Select must be one of {', '.join(valid)}, not {select!r}.")
        if projection is not None and select != "SPECIFIC_ATTRIBUTES":
            raise _invalid("Cannot specify the ProjectionExpression when choosing to get "
                           f"{select}")
        if select == "ALL_ATTRIBUTES" and idx is not None and idx.projection_type != "ALL":
            raise _invalid(f"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is "
                           f"not supported for index {idx.name}: its projection is {idx.projection_type}.")
        return select

    def _collect(self, rows, *, idx, filt, proj, ctx, limit, select, consistent, pk_for_hot):
        items: list[dict] = []
        count = scanned = 0
        size = 0
        last = None
        for row in rows:
            item = idx.project(row.item) if idx is not None else row.item
            scanned += 1
            size += row.size if idx is None or idx.projection_type == "ALL" else item_size(item)
            last = item
            if filt is None or filt.ev(item, ctx):
                count += 1
                if select != "COUNT":
                    items.append(ex.project(item, proj, ctx[0]) if proj is not None else item)
            if (limit is not None and scanned >= limit) or size >= PAGE_BYTES:
                break
        else:
            last = None
        return items, count, scanned, size, last

    def query(self, key_condition: str, *, index: str | None = None, filter: str | None = None,
              projection: str | None = None, names: dict | None = None, values: dict | None = None,
              limit: int | None = None, forward: bool = True, start_key: dict | None = None,
              select: str | None = None, consistent: bool = False) -> Page:
        """Read one partition key's items in sort-key order (one page of at most 1 MB).

        Only the bucket of that partition key is touched, so a query costs the same in a
        table of a thousand items or a million.
        """
        self._active()
        store, idx = self._source(index, consistent)
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise _invalid(f"Limit must be an integer >= 1, not {limit!r}.")
        kc = ex.parse_condition(key_condition, "KeyConditionExpression")
        filt = ex.parse_condition(filter, "FilterExpression") if filter is not None else None
        proj = ex.parse_projection(projection) if projection is not None else None
        select = self._select(select, proj, idx)
        names, values = self._prep(names, values, kc, filt, proj)
        hk, rk = (idx.hash_key, idx.range_key) if idx else (self.hash_key, self.range_key)
        cond = ex.key_condition(kc, names, values, hk, rk)
        if filt is not None:
            used = _top_names(filt, names)
            bad = used & ({hk[0], rk[0]} if rk else {hk[0]})
            if bad:
                raise _invalid(f"Filter Expression can only contain non-primary key attributes: Primary key "
                               f"attribute: {min(bad)}. Put key conditions in KeyConditionExpression.")
        start = self._start_key(start_key, idx)
        pk = key_value(cond.partition)
        bucket = store.buckets.get(pk)
        rows: list = []
        if bucket is not None:
            first = (lambda t: t[0]) if idx is not None else None
            sv = tuple(key_value(v) for v in cond.values)
            lo, hi = key_range(bucket.keys, cond.op, sv, first)
            if start is not None and start[0] == pk:
                if forward:
                    lo = max(lo, bisect_right(bucket.keys, start[1]))
                else:
                                hi = min(hi, bisect_left(bucket.keys, start[1]))
            rows = (r for _, r in bucket.ordered(lo, hi, reverse=not forward))
        items, count, scanned, size, last = self._collect(
            rows, idx=idx, filt=filt, proj=proj, ctx=(names, values), limit=limit, select=select,
            consistent=consistent, pk_for_hot=pk)
        units = read_units(size, consistent)
        self._admit_read(units, pk, idx)
        self._record(key_hash(cond.partition), units, 0.0)
        consumed = Consumed(self.name)
        if idx is not None:
            consumed.add_index(idx.name, idx.kind, read=units)
        else:
            consumed.read = units
        lek = self._last_key(last, idx) if last is not None else None
        return Page(None if select == "COUNT" else [copy_item(i) for i in items], count, scanned,
                    copy_item(lek) if lek else None, consumed)

    def scan(self, *, index: str | None = None, filter: str | None = None, projection: str | None = None,
             names: dict | None = None, values: dict | None = None, limit: int | None = None,
             start_key: dict | None = None, select: str | None = None, segment: int | None = None,
             total_segments: int | None = None, consistent: bool = False) -> Page:
        """Read every item (one page of at most 1 MB), in partition-hash order.

        A scan's cost grows with the table: every item read counts, matched or not.
        ``segment``/``total_segments`` split the hash space for parallel scans.
        """
        self._active()
        store, idx = self._source(index, consistent)
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise _invalid(f"Limit must be an integer >= 1, not {limit!r}.")
        if (segment is None) != (total_segments is None):
            raise _invalid("The Segment parameter is required but was not present in the request when "
                           "parameter TotalSegments is present" if segment is None else
                           "The TotalSegments parameter is required but was not present in the request "
                           "when Segment parameter is present")
        if total_segments is not None:
            if not isinstance(total_segments, int) or not 1 <= total_segments <= 1000000:
                raise _invalid(f"TotalSegments must be between 1 and 1000000, not {total_segments!r}.")
            if not isinstance(segment, int) or not 0 <= segment < total_segments:
                raise _invalid(f"The Segment parameter is zero-based and must be less than parameter "
                               f"TotalSegments: Segment: {segment} is not less than TotalSegments: {total_segments}")
        filt = ex.parse_condition(filter, "FilterExpression") if filter is not None else None
        proj = ex.parse_projection(projection) if projection is not None else None
        select = self._select(select, proj, idx)
        names, values = self._prep(names, values, filt, proj)
        start = self._start_key(start_key, idx)
        buckets, hashes = store.order()
        lo_h, hi_h = 0, HASH_SPACE
        if total_segments is not None:
            lo_h = segment * HASH_SPACE // total_segments
            hi_h = (segment + 1) * HASH_SPACE // total_segments
        first_b = bisect_left(hashes, lo_h)
        end_b = bisect_left(hashes, hi_h)

        touched: list = []  # the item collections the scan read: where its capacity is spent

        def rows():
            b0 = first_b
            if start is not None:
                sp, ssk = start
                bk = store.buckets.get(sp)
                h = bk.h if bk is not None else None
                if bk is not None:
                    b0 = bisect_left(hashes, h)
                    touched.append(bk)
                    yield from (r for _, r in bk.ordered(bisect_right(bk.keys, ssk)))
                    b0 += 1
            for b in buckets[b0:end_b]:
                touched.append(b)
                yield from b.rows.values() if len(b.rows) == 1 else (r for _, r in b.ordered())

        items, count, scanned, size, last = self._collect(
            rows(), idx=idx, filt=filt, proj=proj, ctx=(names, values), limit=limit, select=select,
            consistent=consistent, pk_for_hot=None)
        units = read_units(size, consistent)
        self._admit_read(units, None, idx)
        if idx is None:
            self._record_scan(touched, units)
        else:
            self._count(units, 0.0)
        consumed = Consumed(self.name)
        if idx is not None:
            consumed.add_index(idx.name, idx.kind, read=units)
        else:
            consumed.read = units
        lek = self._last_key(last, idx) if last is not None else None
        return Page(None if select == "COUNT" else [copy_item(i) for i in items], count, scanned,
                    copy_item(lek) if lek else None, consumed)

    def query_items(self, key_condition: str, **kwargs: Any) -> list[dict]:
        """Every page of a query, as plain Python items. Values in ``values=`` may be plain."""
        return self._all("query", key_condition, **kwargs)

    def scan_items(self, **kwargs: Any) -> list[dict]:
        """Every page of a scan, as plain Python items."""
        return self._all("scan", None, **kwargs)

    def _all(self, op: str, kc, **kwargs: Any) -> list[dict]:
        if kwargs.get("values"):
            kwargs["values"] = {k: serialize(v, k) for k, v in kwargs["values"].items()}
        out: list[dict] = []
        start = None
        while True:
            page = self.query(kc, start_key=start, **kwargs) if op == "query" else \
                self.scan(start_key=start, **kwargs)
            out.extend(deserialize_item(i) for i in page.items or [])
            start = page.last_evaluated_key
            if start is None:
                return out


def _top_names(parsed, names: dict) -> set[str]:
    out: set[str] = set()

    def walk(node):
        if isinstance(node, ex.Path):
            out.add(node.resolve(names)[0])
        elif isinstance(node, (list, tuple)):
            for x in node:
                walk(x)
        elif hasattr(node, "__slots__") and not isinstance(node, str):
            for s in type(node).__slots__:
                child = getattr(node, s)
                if not isinstance(child, str):
                    walk(child)

    walk(parsed.node)
    return out
