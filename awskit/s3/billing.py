"""What S3 storage and requests cost: one GB-month meter per (bucket, storage class).

Storage is billed on each class's billable size (small objects in the IA and Glacier
classes count as 128 KiB or 40 KiB more), and an object removed before its class's
minimum storage duration is charged for the rest of it.  Requests are added to one
line item per (bucket, request kind) so that a million PUTs do not make a million lines.
Prices: :data:`awskit.s3.objects.STORAGE_CLASSES` (us-east-1, 2025, approximate).
"""

from __future__ import annotations

from .bucket import Bucket
from .objects import STORAGE_CLASSES, ObjectVersion, StorageClass

__all__ = ["bill_bytes", "billable", "request", "storage_bytes", "unbill"]

GB = 1024 ** 3
DAY = 86400.0


def billable(v: ObjectVersion) -> int:
    return max(v.size, STORAGE_CLASSES[v.storage_class].min_billable_bytes)


def bill_bytes(svc, b: Bucket, sc: StorageClass, delta: int) -> None:
    """Keep one GB-month meter per (bucket, storage class) at the current size."""
    owner = svc._owner_cloud(b)
    svc = owner.s3 if owner is not svc.cloud else svc  # the owner pays for storage
    k = (b.name, sc)
    total = svc._bytes.get(k, 0) + delta
    svc._bytes[k] = total
    rate = total / GB * STORAGE_CLASSES[sc].gb_month
    meter = svc._meters.get(k)
    now = owner.clock.now
    if meter is not None and meter.start == now and meter.end is None:
        meter.rate = rate  # same instant: adjust instead of starting a new meter
        return
    owner.bill.stop_meter(meter)
    svc._meters[k] = owner.bill.start_meter("s3", b.name, f"{sc.value} storage (GB-month)", monthly=rate)


def unbill(svc, b: Bucket, v: ObjectVersion) -> None:
    if v.delete_marker:
        return
    info = STORAGE_CLASSES[v.storage_class]
    svc._bill_bytes(b, v.storage_class, -billable(v))
    if info.min_days:
        age = (svc.cloud.clock.now - v.last_modified) / DAY
        if age < info.min_days:
            # Objects removed before the class's minimum duration are billed for the rest of it.
            svc._owner_cloud(b).bill.charge(
                "s3", b.name, f"{v.storage_class.value} early delete",
                (info.min_days - age) / 30.4167 * billable(v) / GB * info.gb_month)


def request(svc, b: Bucket, kind: str, sc: StorageClass) -> None:
    """Add one request to an aggregated line item per (bucket, request kind)."""
    info = STORAGE_CLASSES[sc]
    price = (info.get_per_1000 if kind == "GET" else 0.0 if kind == "DELETE" else
             0.05 if kind == "TRANSITION" and sc in (StorageClass.GLACIER, StorageClass.DEEP_ARCHIVE) else
             info.put_per_1000) / 1000
    k = (b.name, kind if sc is StorageClass.STANDARD else f"{kind} {sc.value}")
    item = svc._requests.get(k)
    if item is None:
        item = svc._requests[k] = svc.cloud.bill.charge("s3", b.name, f"{k[1]} requests", 0.0)
    item.amount += price


def storage_bytes(svc, bucket: str | Bucket | None = None) -> dict[str, int]:
    """Billable bytes per storage class (for one bucket or all of this account's)."""
    name = bucket.name if isinstance(bucket, Bucket) else bucket
    out: dict[str, int] = {}
    for (b, sc), n in svc._bytes.items():
        if n and (name is None or b == name):
            out[sc.value] = out.get(sc.value, 0) + n
    return out
