"""Lifecycle rules and archive restores.

A lifecycle configuration moves objects to cheaper storage classes as they age and
deletes them when they are no longer needed.  S3 evaluates the rules once a day; awskit
runs them in a daily job on the simulated clock.  Objects in GLACIER or DEEP_ARCHIVE
cannot be read directly: ``restore_object`` makes a temporary copy, ready after a delay
that depends on the retrieval tier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import AWSError, InvalidParameter, InvalidState
from .bucket import Bucket, Versioning
from .objects import STORAGE_CLASSES, ObjectVersion, Restore, StorageClass

__all__ = ["RESTORE_TIERS", "WATERFALL", "LifecycleRule", "parse_lifecycle"]

DAY = 86400.0
GB = 1024 ** 3

#: Transitions only go down this list (S3's "waterfall"); STANDARD is never a target.
WATERFALL = [StorageClass.STANDARD, StorageClass.STANDARD_IA, StorageClass.INTELLIGENT_TIERING,
             StorageClass.ONEZONE_IA, StorageClass.GLACIER_IR, StorageClass.GLACIER,
             StorageClass.DEEP_ARCHIVE]

#: Retrieval time ranges in seconds per (class, tier), as AWS documents them today.
#: DEEP_ARCHIVE has no Expedited tier.
RESTORE_TIERS: dict[tuple[StorageClass, str], tuple[float, float]] = {
    (StorageClass.GLACIER, "Expedited"): (60, 5 * 60),
    (StorageClass.GLACIER, "Standard"): (3 * 3600, 5 * 3600),
    (StorageClass.GLACIER, "Bulk"): (5 * 3600, 12 * 3600),
    (StorageClass.DEEP_ARCHIVE, "Standard"): (9 * 3600, 12 * 3600),
    (StorageClass.DEEP_ARCHIVE, "Bulk"): (24 * 3600, 48 * 3600),
}

#: USD per GB retrieved (us-east-1, 2025, approximate).
RESTORE_PRICES = {
    (StorageClass.GLACIER, "Expedited"): 0.03, (StorageClass.GLACIER, "Standard"): 0.01,
    (StorageClass.GLACIER, "Bulk"): 0.0, (StorageClass.DEEP_ARCHIVE, "Standard"): 0.02,
    (StorageClass.DEEP_ARCHIVE, "Bulk"): 0.0025,
}


def _invalid(msg: str) -> InvalidParameter:
    return InvalidParameter("InvalidArgument", msg)


def _malformed(msg: str) -> InvalidParameter:
    return InvalidParameter("MalformedXML", f"The XML you provided was not well-formed: {msg}")


def _days(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid(f"{where} must be a non-negative whole number of days, not {value!r}.")
    return value


@dataclass(slots=True, kw_only=True)
class LifecycleRule:
    """One parsed rule; ``raw`` keeps the dict exactly as the user gave it."""

    id: str
    enabled: bool
    prefix: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    size_greater: int | None = None
    size_less: int | None = None
    transitions: list[tuple[int, StorageClass]] = field(default_factory=list)
    expiration_days: int | None = None
    expired_delete_marker: bool = False
    noncurrent_transitions: list[tuple[int, StorageClass]] = field(default_factory=list)
    noncurrent_expiration_days: int | None = None
    abort_multipart_days: int | None = None
    raw: dict = field(default_factory=dict, repr=False)

    def matches(self, key: str, size: int, tags: dict[str, str]) -> bool:
        if not key.startswith(self.prefix):
            return False
        if any(tags.get(k) != v for k, v in self.tags.items()):
            return False
        if self.size_greater is not None and not size > self.size_greater:
            return False
        return self.size_less is None or size < self.size_less


def _transition(t: Any, where: str, days_key: str) -> tuple[int, StorageClass]:
    if not isinstance(t, dict):
        raise _malformed(f"{where} must be an object with {days_key} and StorageClass.")
    if days_key not in t:
        raise _invalid(f"{where} needs {days_key} (Date-based transitions are not modelled).")
    days = _days(t[days_key], f"{where}.{days_key}")
    sc = StorageClass.parse(t.get("StorageClass"))
    if sc is StorageClass.STANDARD:
        raise _invalid(f"{where}: STANDARD is not a transition target; lifecycle only moves objects down.")
    if sc in (StorageClass.STANDARD_IA, StorageClass.ONEZONE_IA) and days < 30:
        raise _invalid(f"'{days_key}' in {where} must be greater than or equal to 30 for storageClass "
                       f"'{sc.value}' (S3 keeps objects at least 30 days before an IA transition).")
    return days, sc


def parse_lifecycle(config: Any) -> list[LifecycleRule]:
    """Check a ``LifecycleConfiguration`` dict (boto3's shape) and parse its rules."""
    if not isinstance(config, dict) or not isinstance(config.get("Rules"), list):
        raise _malformed("LifecycleConfiguration must be {'Rules': [...]}.")
    rules = config["Rules"]
    if not 1 <= len(rules) <= 1000:
        raise _malformed(f"a lifecycle configuration has 1 to 1000 rules, not {len(rules)}.")
    out: list[LifecycleRule] = []
    seen: set[str] = set()
    for i, r in enumerate(rules):
        where = f"Rules[{i}]"
        if not isinstance(r, dict):
            raise _malformed(f"{where} must be an object.")
        status = r.get("Status")
        if status not in ("Enabled", "Disabled"):
            raise _malformed(f"{where}.Status must be 'Enabled' or 'Disabled', not {status!r}.")
        rid = r.get("ID") or f"rule-{i}"
        if len(rid) > 255:
            raise _invalid(f"{where}.ID is longer than 255 characters.")
        if rid in seen:
            raise _invalid(f"Rule ID {rid!r} is used twice; rule IDs must be unique.")
        seen.add(rid)
        rule = LifecycleRule(id=rid, enabled=status == "Enabled", raw=r)
        flt = r.get("Filter")
        if flt is None and "Prefix" in r:
            rule.prefix = r["Prefix"] or ""
        elif isinstance(flt, dict):
            spec = flt.get("And", flt)
            rule.prefix = spec.get("Prefix", "") or ""
            tags = spec.get("Tags", [spec["Tag"]] if "Tag" in spec else [])
            for tag in tags:
                if not isinstance(tag, dict) or "Key" not in tag:
                    raise _malformed(f"{where}.Filter tag must be {{'Key': ..., 'Value': ...}}.")
                rule.tags[tag["Key"]] = tag.get("Value", "")
            rule.size_greater = spec.get("ObjectSizeGreaterThan")
            rule.size_less = spec.get("ObjectSizeLessThan")
        elif flt is None:
            raise _malformed(f"{where} needs a Filter (use {{}} or {{'Prefix': ''}} for the whole bucket).")
        else:
            raise _malformed(f"{where}.Filter must be an object.")
        for j, t in enumerate(r.get("Transitions", []) or []):
            rule.transitions.append(_transition(t, f"{where}.Transitions[{j}]", "Days"))
        for j, t in enumerate(r.get("NoncurrentVersionTransitions", []) or []):
            rule.noncurrent_transitions.append(
                _transition(t, f"{where}.NoncurrentVersionTransitions[{j}]", "NoncurrentDays"))
        exp = r.get("Expiration")
        if exp is not None:
            if not isinstance(exp, dict):
                raise _malformed(f"{where}.Expiration must be an object.")
            if "Days" in exp:
                rule.expiration_days = _days(exp["Days"], f"{where}.Expiration.Days")
                if rule.expiration_days == 0:
                    raise _invalid(f"{where}.Expiration.Days must be a positive integer.")
                for days, sc in rule.transitions:
                    if days >= rule.expiration_days:
                        raise _invalid(f"{where}: Expiration ({rule.expiration_days} days) must come after "
                                       f"every transition (one is at {days} days to {sc.value}).")
            rule.expired_delete_marker = bool(exp.get("ExpiredObjectDeleteMarker", False))
        nce = r.get("NoncurrentVersionExpiration")
        if nce is not None:
            rule.noncurrent_expiration_days = _days(nce.get("NoncurrentDays"),
                                                    f"{where}.NoncurrentVersionExpiration.NoncurrentDays")
        amu = r.get("AbortIncompleteMultipartUpload")
        if amu is not None:
            rule.abort_multipart_days = _days(amu.get("DaysAfterInitiation"),
                                              f"{where}.AbortIncompleteMultipartUpload.DaysAfterInitiation")
        if not (rule.transitions or rule.noncurrent_transitions or exp is not None or nce is not None
                or amu is not None):
            raise _malformed(f"{where} has no action: give Transitions, Expiration, "
                             "NoncurrentVersionTransitions, NoncurrentVersionExpiration or "
                             "AbortIncompleteMultipartUpload.")
        out.append(rule)
    return out


def target_class(current: StorageClass, age_days: float,
                 transitions: list[tuple[int, StorageClass]]) -> StorageClass | None:
    """The lowest class a rule's transitions have reached at ``age_days``, if lower than now."""
    best = None
    for days, sc in transitions:
        if (age_days >= days and WATERFALL.index(sc) > WATERFALL.index(current)
                and (best is None or WATERFALL.index(sc) > WATERFALL.index(best))):
            best = sc
    return best


# -- applying rules and restoring archives (S3Service delegates here) ----------------


def run_lifecycle(svc) -> int:
    """Apply every bucket's lifecycle rules now (the daily job does this); return actions taken."""
    now = svc.cloud.clock.now
    actions = 0
    for b in list(svc.buckets.values()):
        if not b.lifecycle:
            continue
        for rule in b.lifecycle:
            if not rule.enabled:
                continue
            actions += apply_rule(svc, b, rule, now)
    return actions


def apply_rule(svc, b: Bucket, rule, now: float) -> int:
    actions = 0
    for key in list(b._keys):
        if not key.startswith(rule.prefix):
            continue
        for v in list(b._versions.get(key, ())):
            if v.delete_marker:
                if (rule.expired_delete_marker and len(b._versions.get(key, ())) == 1):
                    b.remove(key, v.version_id)
                    actions += 1
                continue
            if not rule.matches(key, v.size, v.tags):
                continue
            is_current = b.current(key) is v
            if is_current:
                age = (now - v.last_modified) / DAY
                if rule.expiration_days is not None and age >= rule.expiration_days:
                    expire(svc, b, v)
                    actions += 1
                    continue
                target = target_class(v.storage_class, age, rule.transitions)
            else:
                age = (now - (v.noncurrent_since or v.last_modified)) / DAY
                if rule.noncurrent_expiration_days is not None and age >= rule.noncurrent_expiration_days:
                    b.remove(key, v.version_id)
                    svc._unbill(b, v)
                    svc._notify(b, "LifecycleExpiration:Delete", v)
                    actions += 1
                    continue
                target = target_class(v.storage_class, age, rule.noncurrent_transitions)
            if target is not None:
                transition(svc, b, v, target)
                actions += 1
    if rule.abort_multipart_days is not None:
        for uid, up in list(b.uploads.items()):
            if (now - up.initiated) / DAY >= rule.abort_multipart_days:
                del b.uploads[uid]
                actions += 1
    return actions


def expire(svc, b: Bucket, v: ObjectVersion) -> None:
    if b.versioning is Versioning.UNVERSIONED:
        b.remove(v.key)
        svc._unbill(b, v)
        svc._notify(b, "LifecycleExpiration:Delete", v)
    else:
        marker = ObjectVersion(key=v.key, delete_marker=True, last_modified=svc.cloud.clock.now,
                               owner=b.owner, version_id=svc._new_version_id()
                               if b.versioning is Versioning.ENABLED else "null")
        v.noncurrent_since = svc.cloud.clock.now
        for old in b.store(marker):
            svc._unbill(b, old)
        svc._notify(b, "LifecycleExpiration:DeleteMarkerCreated", marker)


def transition(svc, b: Bucket, v: ObjectVersion, target: StorageClass) -> None:
    svc._unbill(b, v)  # leaving a class before its minimum duration is charged too
    v.storage_class = target
    v.azs = svc._place(b, target)
    v.restore = None
    svc._bill_bytes(b, target, svc._billable(v))
    svc._request(b, "TRANSITION", target)
    svc._notify(b, "LifecycleTransition", v)


def transition_object(svc, bucket: str | Bucket, key: str, storage_class: str | StorageClass) -> ObjectVersion:
    """Move the current version to another storage class now (what a lifecycle rule does)."""
    b = svc.bucket(bucket, "s3:PutObject", key)
    v = svc._version(b, key, None)
    transition(svc, b, v, StorageClass.parse(storage_class))
    return v


def restore_object(svc, bucket: str | Bucket, key: str, *, days: int = 1, tier: str = "Standard",
                   version_id: str | None = None) -> Restore:
    """Start restoring an archived object for ``days`` days; it is readable once the tier's delay passes.

    Raises: InvalidObjectState (not archived), RestoreAlreadyInProgress, InvalidArgument.
    """
    b = svc.bucket(bucket, "s3:RestoreObject", key)
    v = svc._version(b, key, version_id)
    if not STORAGE_CLASSES[v.storage_class].needs_restore:
        raise InvalidState("InvalidObjectState", f"Restore is not allowed for the object's current storage "
                           f"class ({v.storage_class.value}): only GLACIER and DEEP_ARCHIVE objects need it.",
                           status=403)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise InvalidParameter("InvalidArgument", f"Days is a whole number >= 1, not {days!r}.")
    span = RESTORE_TIERS.get((v.storage_class, tier))
    if span is None:
        tiers = [t for (sc, t) in RESTORE_TIERS if sc is v.storage_class]
        raise InvalidParameter("InvalidArgument", f"Tier {tier!r} is not available for "
                               f"{v.storage_class.value}; choose one of: {', '.join(tiers)}.")
    now = svc.cloud.clock.now
    if v.restore is not None and v.restore.ongoing(now):
        raise AWSError("RestoreAlreadyInProgress", f"A restore of {key!r} is already in progress.", status=409)
    if v.restore is not None and v.restore.available(now):
        v.restore.expires_at = _midnight_after(now + days * DAY)
        return v.restore
    delay = svc.cloud.rng.uniform(*span)
    restore = Restore(tier=tier, days=days, ready_at=now + delay)
    v.restore = restore

    def done() -> None:
        restore.expires_at = _midnight_after(restore.ready_at + days * DAY)
        svc._notify(b, "ObjectRestore:Completed", v)

    svc.cloud.clock.at(restore.ready_at, done, name=f"s3 restore {b.name}/{key}")
    svc.cloud.bill.charge("s3", b.name, f"{v.storage_class.value} {tier} retrieval",
                           RESTORE_PRICES[(v.storage_class, tier)] * v.size / GB)
    svc._notify(b, "ObjectRestore:Post", v)
    return restore


def _midnight_after(t: float) -> float:
    """S3 rounds restore expiry up to the next midnight UTC."""
    return (t // DAY + 1) * DAY
