"""Event notifications: S3 tells other services when objects are created or removed.

A bucket's notification configuration names targets (Lambda functions, SQS queues, SNS
topics) and the events each wants.  awskit publishes every object event on the owner's
``cloud.events`` bus (``s3.object.created``, ``s3.object.removed``, ...) with a record
shaped like the one AWS delivers, plus ``targets``: the configured ARNs whose event and
key filters match, so a Lambda simulation can subscribe and invoke them.
"""

from __future__ import annotations

import fnmatch
from typing import Any
from urllib.parse import quote_plus

from ..core.errors import InvalidParameter

__all__ = ["EVENT_TYPES", "TOPICS", "parse_notifications", "publish"]

#: Event types a notification configuration may ask for (wildcards end in ``*``).
EVENT_TYPES = (
    "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:LifecycleTransition",
    "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
    "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*", "s3:ObjectAcl:Put",
    "s3:ReducedRedundancyLostObject", "s3:Replication:*", "s3:IntelligentTiering",
)

#: Event-name family -> topic on ``cloud.events``.
TOPICS = {"ObjectCreated": "s3.object.created", "ObjectRemoved": "s3.object.removed",
          "ObjectRestore": "s3.object.restore", "LifecycleTransition": "s3.object.transition",
          "LifecycleExpiration": "s3.object.expired"}

_KINDS = (("LambdaFunctionConfigurations", "LambdaFunctionArn"), ("QueueConfigurations", "QueueArn"),
          ("TopicConfigurations", "TopicArn"))


def _bad(msg: str) -> InvalidParameter:
    return InvalidParameter("InvalidArgument", msg)


def parse_notifications(config: Any) -> dict:
    """Check a ``NotificationConfiguration`` dict (boto3's shape) and return a copy to store."""
    if not isinstance(config, dict):
        raise InvalidParameter("MalformedXML", "NotificationConfiguration must be a dict.")
    allowed = {k for k, _ in _KINDS} | {"EventBridgeConfiguration"}
    unknown = set(config) - allowed
    if unknown:
        raise InvalidParameter("MalformedXML", f"Unknown notification setting(s) {sorted(unknown)}; use "
                               f"{', '.join(sorted(allowed))}.")
    out: dict = {}
    for kind, arn_key in _KINDS:
        entries = config.get(kind)
        if not entries:
            continue
        stored = []
        for i, entry in enumerate(entries):
            where = f"{kind}[{i}]"
            arn = entry.get(arn_key) if isinstance(entry, dict) else None
            if not isinstance(arn, str) or not arn.startswith("arn:"):
                raise _bad(f"{where} needs {arn_key}, an ARN (e.g. arn:aws:lambda:us-east-1:123456789012:"
                           f"function:resize).")
            events = entry.get("Events")
            if not isinstance(events, list) or not events:
                raise _bad(f"{where} needs Events, e.g. ['s3:ObjectCreated:*'].")
            for ev in events:
                if ev not in EVENT_TYPES:
                    raise _bad(f"The event {ev!r} is not supported for notifications. Events: "
                               f"{', '.join(EVENT_TYPES[:8])}, ...")
            rules = (entry.get("Filter") or {}).get("Key", {}).get("FilterRules", [])
            for rule in rules:
                if rule.get("Name", "").lower() not in ("prefix", "suffix"):
                    raise _bad(f"{where}: a filter rule's Name is 'prefix' or 'suffix', not {rule.get('Name')!r}.")
            item = dict(entry)
            item.setdefault("Id", f"notification-{i}")
            stored.append(item)
        out[kind] = stored
    if "EventBridgeConfiguration" in config:
        out["EventBridgeConfiguration"] = {}
    return out


def _targets(b, event_name: str, key: str) -> list[dict[str, str]]:
    found = []
    for kind, arn_key in _KINDS:
        for entry in b.notifications.get(kind, ()):
            if not any(fnmatch.fnmatchcase(f"s3:{event_name}", ev) for ev in entry["Events"]):
                continue
            rules = (entry.get("Filter") or {}).get("Key", {}).get("FilterRules", [])
            ok = True
            for rule in rules:
                name, value = rule.get("Name", "").lower(), rule.get("Value", "")
                if (name == "prefix" and not key.startswith(value)) or (name == "suffix" and not key.endswith(value)):
                    ok = False
            if ok:
                found.append({"type": kind[:-len("Configurations")], "arn": entry[arn_key], "id": entry["Id"]})
    return found


def record(cloud, b, event_name: str, v, requester: str, configuration_id: str = "") -> dict:
    """One entry of ``Records`` as S3 sends it to Lambda, SQS and SNS."""
    svc = cloud.s3
    svc._sequence += 1
    seq = f"{svc._sequence:016X}"
    obj: dict[str, Any] = {"key": quote_plus(v.key, safe="/"), "sequencer": seq}
    if not v.delete_marker and not event_name.startswith("ObjectRemoved"):
        obj["size"] = v.size
        obj["eTag"] = v.etag.strip('"')
    if v.version_id != "null":
        obj["versionId"] = v.version_id
    return {
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": b.region,
        "eventTime": cloud.clock.isoformat(), "eventName": event_name,
        "userIdentity": {"principalId": f"AWS:{requester}"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": seq, "x-amz-id-2": f"awskit/{b.name}/{seq}"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": configuration_id,
               "bucket": {"name": b.name, "ownerIdentity": {"principalId": b.owner}, "arn": f"arn:aws:s3:::{b.name}"},
               "object": obj},
    }


def publish(cloud, b, event_name: str, v, requester: str) -> None:
    """Announce an object event on the owner's bus: ``Records`` plus the matching ``targets``."""
    topic = TOPICS.get(event_name.split(":")[0], "s3.object.event")
    targets = _targets(b, event_name, v.key) if b.notifications else []
    rec = record(cloud, b, event_name, v, requester, targets[0]["id"] if targets else "")
    cloud.events.publish(topic, bucket=b.name, key=v.key, event_name=event_name, targets=targets,
                         Records=[rec])
