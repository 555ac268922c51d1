"""DynamoDB writes: PutItem, UpdateItem and DeleteItem, with conditions.

Every write names one item by its full primary key and costs one write unit per 1 KB of the
larger of the old and new item, plus the units of each index entry it changes.  A
condition expression is checked against the current item after the capacity is taken: a
failed condition (``ConditionalCheckFailedException``) still costs the write.
:class:`TableWrites` is a base class of :class:`awskit.dynamodb.Table`.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> t = cloud.dynamodb.create_table("users", partition_key="id")
>>> cloud.clock.advance(10)
>>> t.put({"id": "ada", "visits": 1}, condition="attribute_not_exists(id)")
>>> try:
...     t.put({"id": "ada", "visits": 2}, condition="attribute_not_exists(id)")
... except Exception as err:
...     print(err.code)
ConditionalCheckFailedException
>>> t.get({"id": "ada"})["visits"]
Decimal('1')
"""

from __future__ import annotations

from ..core.errors import raise_error
from . import expressions as ex
from .capacity import Consumed, write_units
from .partitions import key_hash
from .storage import Row
from .types import (
    MAX_ITEM_BYTES,
    _invalid,
    copy_item,
    item_size,
    validate_item,
    validate_value,
    values_equal,
)

__all__ = ["TableWrites"]


class TableWrites:
    """PutItem, UpdateItem, DeleteItem and transaction checks, for :class:`~awskit.dynamodb.table.Table`."""

    __slots__ = ()

    def _prep(self, names, values, *parsed) -> tuple:
        if names is not None:
            if not isinstance(names, dict) or not names:
                raise _invalid("ExpressionAttributeNames must not be empty")
            if not any(parsed):
                raise _invalid("ExpressionAttributeNames can only be specified when using expressions")
        if values is not None:
            if not isinstance(values, dict) or not values:
                raise _invalid("ExpressionAttributeValues must not be empty")
            if not any(parsed):
                raise _invalid("ExpressionAttributeValues can only be specified when using expressions")
            values = {k: validate_value(v, f"ExpressionAttributeValues.{k}") for k, v in values.items()}
        if any(parsed):
            ex.check_refs([p for p in parsed if p is not None], names, values)
        return names or {}, values or {}

    def _write(self, pk, pk_av, sk, old: Row | None, new_item: dict | None, *, condition, ctx,
               consumed: Consumed, factor: int = 1, system: bool = False) -> Row | None:
        """Admit, check the condition, store and announce one write (new_item None deletes)."""
        new_size = item_size(new_item) if new_item is not None else 0
        if new_size > MAX_ITEM_BYTES:
            raise _invalid(f"Item size has exceeded the maximum allowed size ({new_size} bytes > "
                           f"{MAX_ITEM_BYTES} bytes = 400 KB). Store large data in S3 and keep a pointer.")
        old_item = old.item if old is not None else None
        units = write_units(max(new_size, old.size if old is not None else 0)) * factor
        gsi_units: dict[str, float] = {}
        changes = []
        for idx in self.indexes.values():
            ok = idx.key_of(old_item) if old_item is not None else None
            nk = idx.key_of(new_item) if new_item is not None else None
            if ok is None and nk is None:
                continue
            changes.append((idx, ok, nk))
            old_u = write_units(item_size(idx.project(old_item))) if ok is not None else 0
            new_u = write_units(item_size(idx.project(new_item))) if nk is not None else 0
            # an index entry that keeps its key is rewritten once; a moved one is a delete plus a put
            u = max(old_u, new_u) if ok is not None and ok == nk else old_u + new_u
            if idx.kind == "GSI":
                gsi_units[idx.name] = u * factor
            consumed.add_index(idx.name, idx.kind, write=u * factor)
        h = key_hash(pk_av)
        if not system:  # TTL deletions are free and unthrottled
            self._admit_write(units, pk, gsi_units)
            consumed.write += units
            self._record(h, 0.0, units + sum(v for (k, _r, v) in consumed.indexes.values() if k == "LSI"))
        if condition is not None and not condition.ev(old_item or {}, ctx):
            raise_error("ConditionalCheckFailedException", "The conditional request failed",
                        **({"Item": copy_item(old_item)} if old_item is not None and ctx[2] else {}))
        for idx, ok, nk in changes:
            if ok is not None:
                idx.store.delete(ok[0], ok[2])
            if nk is not None:
                idx.store.put(nk[0], nk[1], nk[2], Row(new_item, new_size))
        part = self._partition_of(h)
        if new_item is None:
            removed = self.store.delete(pk, sk)
            if removed is not None:
                part.item_count -= 1
                part.size_bytes -= removed.size
        else:
            row = Row(new_item, new_size)
            prev = self.store.put(pk, pk_av, sk, row, h)
            if prev is None:
                part.item_count += 1
                part.size_bytes += new_size
            else:
                part.size_bytes += new_size - prev.size
            if part.size_bytes > self.partition_max_bytes and part.item_count > 1:
                self._split(part, "size")
            if self._ttl is not None:
                self._ttl.track(pk, sk, new_item)
        self.service._storage_changed(self)
        if self.stream_view_type is not None:
            self.service._stream(self, old_item, new_item, ttl=system)
        return old

    def put_item(self, item: dict, *, condition: str | None = None, names: dict | None = None,
                 values: dict | None = None, return_values: str = "NONE",
                 return_item_on_failure: bool = False, factor: int = 1) -> tuple[dict | None, Consumed]:
        """Store a typed item, replacing any item with the same key.

        Returns ``(attributes, consumed)`` where attributes is the old item when
        ``return_values="ALL_OLD"``.

        Raises:
            ValidationException, ConditionalCheckFailedException,
            ProvisionedThroughputExceededException, ResourceNotFoundException.
        """
        self._active()
        if return_values not in ("NONE", "ALL_OLD"):
            raise _invalid(f"ReturnValues can only be ALL_OLD or NONE for PutItem, not {return_values!r}.")
        item = validate_item(item)
        self._check_item_keys(item)
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        names, values = self._prep(names, values, cond)
        pk, pk_av, sk = self._key_parts(item)
        consumed = Consumed(self.name)
        old = self._write(pk, pk_av, sk, self.store.get(pk, sk), item, condition=cond,
                          ctx=(names, values, return_item_on_failure), consumed=consumed, factor=factor)
        out = copy_item(old.item) if (old is not None and return_values == "ALL_OLD") else None
        return out, consumed

    def delete_item(self, key: dict, *, condition: str | None = None, names: dict | None = None,
                    values: dict | None = None, return_values: str = "NONE",
                    return_item_on_failure: bool = False, factor: int = 1) -> tuple[dict | None, Consumed]:
        """Delete the item with ``key`` (a no-op if there is none, unless a condition fails)."""
        self._active()
        if return_values not in ("NONE", "ALL_OLD"):
            raise _invalid(f"ReturnValues can only be ALL_OLD or NONE for DeleteItem, not {return_values!r}.")
        pk, pk_av, sk, _ = self._key(key)
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        names, values = self._prep(names, values, cond)
        consumed = Consumed(self.name)
        old = self.store.get(pk, sk)
        self._write(pk, pk_av, sk, old, None, condition=cond,
                    ctx=(names, values, return_item_on_failure), consumed=consumed, factor=factor)
        out = copy_item(old.item) if (old is not None and return_values == "ALL_OLD") else None
        return out, consumed

    def update_item(self, key: dict, *, update: str | None = None, condition: str | None = None,
                    names: dict | None = None, values: dict | None = None, return_values: str = "NONE",
                    return_item_on_failure: bool = False, factor: int = 1) -> tuple[dict | None, Consumed]:
        """Change (or create) the item with ``key`` using an UpdateExpression.

        ``return_values`` is NONE, ALL_OLD, UPDATED_OLD, ALL_NEW or UPDATED_NEW.
        """
        self._active()
        if return_values not in ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"):
            raise _invalid(f"ReturnValues {return_values!r} is not valid; choose NONE, ALL_OLD, "
                           "UPDATED_OLD, ALL_NEW or UPDATED_NEW.")
        pk, pk_av, sk, key = self._key(key)
        upd = ex.parse_update(update) if update is not None else None
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        names, values = self._prep(names, values, upd, cond)
        old = self.store.get(pk, sk)
        base = old.item if old is not None else key
        new = ex.apply_update(upd, base, names, values, self.key_names) if upd is not None else dict(base)
        consumed = Consumed(self.name)
        self._write(pk, pk_av, sk, old, new, condition=cond,
                    ctx=(names, values, return_item_on_failure), consumed=consumed, factor=factor)
        old_item = old.item if old is not None else {}
        if return_values == "NONE":
            return None, consumed
        if return_values == "ALL_OLD":
            return (copy_item(old_item) if old is not None else None), consumed
        if return_values == "ALL_NEW":
            return copy_item(new), consumed
        touched = {p.resolve(names)[0] for p in (upd.node.paths() if upd is not None else [])}
        src = old_item if return_values == "UPDATED_OLD" else new
        other = new if return_values == "UPDATED_OLD" else old_item
        changed = {k: src[k] for k in touched if k in src and not values_equal(src.get(k), other.get(k))}
        return (copy_item(changed) if changed else None), consumed

    def condition_holds(self, key: dict, condition: str | None, names: dict | None, values: dict | None,
                        update: str | None = None) -> tuple[bool, dict | None]:
        """Whether a (transaction's) condition holds on the current item; writes nothing."""
        self._active()
        pk, _, sk, _ = self._key(key)
        cond = ex.parse_condition(condition, "ConditionExpression") if condition is not None else None
        upd = ex.parse_update(update) if update is not None else None
        names, values = self._prep(names, values, cond, upd)
        row = self.store.get(pk, sk)
        item = row.item if row is not None else {}
        ok = cond is None or cond.ev(item, (names, values))
        return ok, (copy_item(row.item) if row is not None else None)

    def check_cost(self, key: dict) -> Consumed:
        """What a transaction's ConditionCheck consumes: a write unit, doubled."""
        pk, pk_av, _, _ = self._key(key)
        self._admit_write(2, pk, {})
        self._record(key_hash(pk_av), 0.0, 2)
        return Consumed(self.name, write=2)
