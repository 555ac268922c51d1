"""DynamoDB Streams records and Time to Live.

A stream is the table's change log: every write that changes an item appends a record
saying INSERT, MODIFY or REMOVE with the item's key and, depending on the stream's view
type, its new and/or old image.  awskit publishes each record on ``cloud.events`` as
``"dynamodb.stream"`` in the shape a Lambda function receives it.

Time to Live (TTL) names a Number attribute holding an expiry time in Unix epoch seconds.
DynamoDB deletes expired items in the background, without consuming write capacity, and
not at the exact second: AWS says deletion typically happens within a few days.  awskit
models that as a sweep every hour that deletes an item at a deterministic moment between
its expiry and 48 hours later (drawn from a hash of its key), so the same notebook shows
the same deletions.  Until then an expired item is still returned by reads, as in AWS.
Items whose expiry is more than five years in the past are never deleted (AWS's rule).
"""

from __future__ import annotations

import heapq
import itertools
from typing import Any

from .partitions import key_hash
from .types import copy_item, item_size, key_value

__all__ = ["TTL_MAX_DELAY", "VIEW_TYPES", "TimeToLive", "stream_record", "unix_time"]

VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
#: The latest an expired item is deleted, in awskit (AWS: "typically within a few days").
TTL_MAX_DELAY = 48 * 3600
#: How often the background TTL sweep runs.
TTL_SWEEP_SECONDS = 3600
_FIVE_YEARS = 5 * 365 * 86400


def unix_time(clock) -> float:
    """The simulated time as Unix epoch seconds (what TTL attributes hold)."""
    return clock.to_datetime(0).timestamp() + clock.now


_seq = itertools.count(100000000000000000000)


def stream_record(table, old: dict | None, new: dict | None, *, ttl: bool = False) -> dict:
    """The record for one change, shaped like an event record Lambda receives."""
    cloud = table.service.cloud
    view = table.stream_view_type
    name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
    some = new if new is not None else old
    ddb: dict[str, Any] = {
        "ApproximateCreationDateTime": int(unix_time(cloud.clock)),
        "Keys": {k: some[k] for k in table.key_names},
        "SequenceNumber": str(next(_seq)),
        "StreamViewType": view,
    }
    if new is not None and view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"):
        ddb["NewImage"] = copy_item(new)
    if old is not None and view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES"):
        ddb["OldImage"] = copy_item(old)
    ddb["SizeBytes"] = item_size(ddb["Keys"]) + sum(item_size(ddb[k]) for k in ("NewImage", "OldImage") if k in ddb)
    ddb["Keys"] = copy_item(ddb["Keys"])
    record = {
        "eventID": cloud.ids.hex(32),
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": table.service.region.name,
        "dynamodb": ddb,
        "eventSourceARN": table.stream_arn,
    }
    if ttl:
        record["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    return record


class TimeToLive:
    """The background job that deletes a table's expired items."""

    def __init__(self, table, attribute: str) -> None:
        self.table = table
        self.attribute = attribute
        self._heap: list[tuple[float, int, Any, Any, str]] = []
        self._n = itertools.count()
        clock = table.service.cloud.clock
        self._event = clock.every(TTL_SWEEP_SECONDS, self.sweep, name=f"dynamodb ttl {table.name}")
        for bucket in list(table.store.buckets.values()):
            for sk, row in bucket.ordered():
                self.track(key_value(bucket.pk), sk, row.item)

    def delay(self, pk_av: dict) -> float:
        """Seconds after expiry at which awskit deletes this key's item (fixed per key)."""
        return key_hash(pk_av) % TTL_MAX_DELAY

    def track(self, pk, sk, item: dict) -> None:
        av = item.get(self.attribute)
        if av is None or "N" not in av:
            return  # not a number: TTL ignores the item
        expires = float(av["N"])
        clock = self.table.service.cloud.clock
        offset = clock.to_datetime(0).timestamp()
        due = expires - offset + self.delay(item[self.table.hash_key[0]])
        heapq.heappush(self._heap, (due, next(self._n), pk, sk, av["N"]))

    def sweep(self) -> None:
        table = self.table
        clock = table.service.cloud.clock
        now_unix = unix_time(clock)
        while self._heap and self._heap[0][0] <= clock.now:
            _, _, pk, sk, stamp = heapq.heappop(self._heap)
            row = table.store.get(pk, sk)
            if row is None:
                continue
            av = row.item.get(self.attribute)
            if av is None or av.get("N") != stamp:
                continue  # the item changed since: its new value was tracked on write
            if float(stamp) < now_unix - _FIVE_YEARS:
                continue
            table.service._ttl_delete(table, row.item)

    def stop(self) -> None:
        self._event.cancel()
