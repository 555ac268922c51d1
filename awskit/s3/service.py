"""The S3 service of one account: buckets in a world-wide name space, objects, versions.

Bucket names are unique across every account (``cloud.namespace("s3")`` is shared by all
the accounts of one world), while each bucket lives in the region chosen at creation.
Every method runs as this account: requests to another account's bucket are judged by
that bucket's policy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import (
    AlreadyExists,
    AWSError,
    InvalidParameter,
    InvalidState,
    NotFound,
)
from ..regions import region_info
from . import billing, lifecycle, permissions
from .bucket import Bucket, Versioning, no_such_bucket
from .lifecycle import DAY, parse_lifecycle
from .names import validate_bucket_name, website_endpoint
from .objects import STORAGE_CLASSES, ObjectVersion, Restore, StorageClass, crc32_of, etag_of

__all__ = ["HttpResponse", "S3Service"]

MIB = 1024 * 1024
GB = 1024 ** 3
_VERSION_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._"
_META_LIMIT = 2 * 1024  # user-defined metadata: 2 KB per object


@dataclass(slots=True, kw_only=True)
class HttpResponse:
    """What an HTTP client would get back: status code, headers and body bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return f"HttpResponse(status={self.status}, {len(self.body)} bytes)"




def _check_key(key: Any) -> str:
    if not isinstance(key, str) or not key:
        raise InvalidParameter("InvalidArgument", f"An object key is a non-empty string, not {key!r}.")
    if len(key.encode("utf-8")) > 1024:
        raise InvalidParameter("KeyTooLongError", f"Object keys are at most 1024 bytes of UTF-8; this one has "
                               f"{len(key.encode('utf-8'))}.")
    return key


def _to_bytes(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    read = getattr(body, "read", None)
    if callable(read):
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    raise InvalidParameter("InvalidArgument", f"An object body is bytes, str or a file-like object, not "
                           f"{type(body).__name__}.")


class S3Service:
    """Amazon S3 for one account (``cloud.s3``).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> cloud.s3.create_bucket("demo-notes")
    Bucket('demo-notes', region='us-east-1', objects=0)
    >>> cloud.s3.put_object("demo-notes", "hello.txt", "hi!").etag
    '"aff97160474a056e838c1f721af01edf"'
    >>> cloud.s3.get_object("demo-notes", "hello.txt").data
    b'hi!'
    """

    def __init__(self, cloud) -> None:
        self.cloud = cloud
        self._names: dict[str, Bucket] = cloud.namespace("s3")
        self._daily = None
        self._bytes: dict[tuple[str, StorageClass], int] = {}
        self._meters: dict[tuple[str, StorageClass], Any] = {}
        self._requests: dict[tuple[str, str], Any] = {}
        self._zone_turn = 0
        self._sequence = 0  #: orders event records (AWS's "sequencer") without drawing on the rng
        self.secret = hashlib.sha256(f"awskit:{cloud.account_id}:{cloud.seed}".encode()).hexdigest()
        self.access_key_id = "AKIA" + hashlib.sha256(self.secret.encode()).hexdigest()[:16].upper()

    # ======================================================================
    # buckets
    # ======================================================================
    def create_bucket(self, name: str, region: str | None = None, *, acl: str | None = None,
                      object_ownership: str | None = None) -> Bucket:
        """Create a bucket in ``region`` (default: the cloud's region).

        Raises: InvalidBucketName, BucketAlreadyExists (another account has the name),
        BucketAlreadyOwnedByYou (you have it, outside us-east-1), InvalidRegion.
        """
        validate_bucket_name(name)
        region = self.cloud.region_name if region is None else region
        region_info(region)
        existing = self._names.get(name)
        if existing is not None:
            if existing.owner != self.cloud.account_id:
                raise AlreadyExists("BucketAlreadyExists", f"The bucket name {name!r} is already taken by another "
                                    "account: bucket names are shared by every AWS account. Choose another "
                                    "name.", BucketName=name)
            if existing.region == "us-east-1" and region == "us-east-1":
                return existing  # the legacy us-east-1 behaviour: re-creating your own bucket succeeds
            raise AlreadyExists("BucketAlreadyOwnedByYou", f"You already own the bucket {name!r} (in "
                                f"{existing.region}).", BucketName=name)
        ownership = object_ownership or "BucketOwnerEnforced"
        if ownership not in ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"):
            raise InvalidParameter("InvalidArgument", f"ObjectOwnership {ownership!r} is not valid: use "
                                   "BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.")
        if acl is not None:
            self._check_acl_value(acl)
            if ownership == "BucketOwnerEnforced" and acl not in ("private", "bucket-owner-full-control"):
                raise InvalidParameter("InvalidBucketAclWithObjectOwnership",
                                       f"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced "
                                       f"setting (ACL {acl!r}). Pass object_ownership='ObjectWriter' to use ACLs.")
        bucket = Bucket(name=name, region=region, owner=self.cloud.account_id, created=self.cloud.clock.now,
                        ownership=ownership, acl=acl or "private")
        azs = [az.name for az in region_info(region).azs]
        bucket_azs = self.cloud.rng.sample(azs, min(3, len(azs)))
        bucket.azs = tuple(bucket_azs)
        self._names[name] = bucket
        self.cloud.events.publish("s3.bucket.created", bucket=name, region=region)
        return bucket

    @property
    def buckets(self) -> dict[str, Bucket]:
        """This account's buckets by name (every region)."""
        return {n: b for n, b in self._names.items() if b.owner == self.cloud.account_id}

    def list_buckets(self) -> list[Bucket]:
        """This account's buckets, sorted by name as S3 lists them."""
        return sorted(self.buckets.values(), key=lambda b: b.name)

    def bucket(self, name: str | Bucket, action: str = "s3:ListBucket", key: str | None = None) -> Bucket:
        """Look up a bucket by name and check that this account may do ``action`` on it."""
        if isinstance(name, Bucket):
            name = name.name
        b = self._names.get(name) if isinstance(name, str) else None
        if b is None:
            if not isinstance(name, str):
                raise InvalidParameter("InvalidBucketName", f"A bucket name is a string, not {name!r}.")
            raise no_such_bucket(name)
        if b.owner != self.cloud.account_id or b.policy is not None:
            self._authorize(b, self.cloud.account_id, action, key)
        return b

    head_bucket = bucket

    def get_bucket_location(self, name: str | Bucket) -> str | None:
        """The bucket's region; None for us-east-1, as S3's API has always answered."""
        b = self.bucket(name, "s3:GetBucketLocation")
        return None if b.region == "us-east-1" else b.region

    def delete_bucket(self, name: str | Bucket) -> None:
        """Delete an empty bucket (every object, version and delete marker gone first)."""
        b = self.bucket(name, "s3:DeleteBucket")
        if not b.is_empty():
            raise AWSError("BucketNotEmpty", f"The bucket {b.name!r} is not empty: delete its objects (and, in a "
                           "versioned bucket, every version and delete marker) first.", status=409,
                           BucketName=b.name)
        del self._names[b.name]
        for (bucket, sc), meter in list(self._meters.items()):
            if bucket == b.name:
                self.cloud.bill.stop_meter(meter)
                del self._meters[(bucket, sc)]
                self._bytes.pop((bucket, sc), None)
        self.cloud.events.publish("s3.bucket.deleted", bucket=b.name)

    # ======================================================================
    # objects
    # ======================================================================
    def put_object(self, bucket: str | Bucket, key: str, body: Any = b"", *, content_type: str | None = None,
                   metadata: dict[str, str] | None = None, storage_class: str | StorageClass = "STANDARD",
                   tags: dict[str, str] | None = None, acl: str | None = None,
                   headers: dict[str, str] | None = None, website_redirect: str | None = None,
                   _event: str = "ObjectCreated:Put") -> ObjectVersion:
        """Store ``body`` (bytes, str or a file-like object) under ``key``; return the new version."""
        b = self.bucket(bucket, "s3:PutObject", key)
        _check_key(key)
        data = _to_bytes(body)
        sc = StorageClass.parse(storage_class) if storage_class != "STANDARD" else StorageClass.STANDARD
        meta = self._check_metadata(metadata)
        if acl is not None:
            self._check_object_acl(b, acl)
        version = ObjectVersion(key=key, data=data, etag=etag_of(data), last_modified=self.cloud.clock.now,
                                content_type=content_type or "binary/octet-stream", metadata=meta,
                                headers=headers or {}, storage_class=sc, checksum=crc32_of(data),
                                tags=dict(tags) if tags else {}, acl=acl or "private",
                                owner=self.cloud.account_id, website_redirect=website_redirect)
        return self._store(b, version, _event)

    def _store(self, b: Bucket, version: ObjectVersion, event: str) -> ObjectVersion:
        now = self.cloud.clock.now
        version.version_id = self._new_version_id() if b.versioning is Versioning.ENABLED else "null"
        sc = version.storage_class
        version.azs = self._place(b, sc)
        previous = b.current(version.key)
        if previous is not None and previous.noncurrent_since is None:
            previous.noncurrent_since = now
        for old in b.store(version):
            self._unbill(b, old)
        self._bill_bytes(b, sc, self._billable(version))
        self._request(b, "PUT", sc)
        self._notify(b, event, version)
        return version

    def _new_version_id(self) -> str:
        rng = self.cloud.rng
        return "".join(rng.choice(_VERSION_ALPHABET) for _ in range(32))

    def _place(self, b: Bucket, sc: StorageClass) -> tuple[str, ...]:
        azs = b.azs
        if STORAGE_CLASSES[sc].zones == 1:
            self._zone_turn += 1
            return (azs[self._zone_turn % len(azs)],)
        return azs

    def _check_metadata(self, metadata: Any) -> dict[str, str]:
        if not metadata:
            return {}
        if not isinstance(metadata, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                     for k, v in metadata.items()):
            raise InvalidParameter("InvalidArgument", "Metadata is a dict of str -> str "
                                   "(sent as x-amz-meta-* headers).")
        size = sum(len(k.encode()) + len(v.encode()) for k, v in metadata.items())
        if size > _META_LIMIT:
            raise InvalidParameter("MetadataTooLarge", f"User-defined metadata is at most 2 KB; this is {size} "
                                   "bytes.", status=400)
        # S3 sends metadata as HTTP headers, whose names are case-insensitive: it stores them lower-case.
        return {k.lower(): v for k, v in metadata.items()}

    def get_object(self, bucket: str | Bucket, key: str, *, version_id: str | None = None,
                   _head: bool = False) -> ObjectVersion:
        """The current version of ``key`` (or ``version_id``), ready to read.

        Raises: NoSuchBucket, NoSuchKey, NoSuchVersion, MethodNotAllowed (a delete marker),
        InvalidObjectState (archived and not restored), AccessDenied.
        """
        b = self.bucket(bucket, "s3:GetObject" if version_id is None else "s3:GetObjectVersion", key)
        v = self._version(b, key, version_id)
        self._request(b, "GET", v.storage_class)
        if not _head:
            self._check_readable(b, v)
        return v

    def head_object(self, bucket: str | Bucket, key: str, *, version_id: str | None = None) -> ObjectVersion:
        """Like get_object, without reading the body: works on archived objects too."""
        return self.get_object(bucket, key, version_id=version_id, _head=True)

    def _version(self, b: Bucket, key: Any, version_id: str | None) -> ObjectVersion:
        if not isinstance(key, str):
            _check_key(key)
        if version_id is None:
            v = b.current(key)
            if v is None or v.delete_marker:
                raise NotFound("NoSuchKey", f"The specified key does not exist: {key!r} in bucket {b.name!r}."
                               + (" Its current version is a delete marker." if v is not None else ""),
                               status=404, Key=key)
            return v
        v = b.find_version(key, version_id)
        if v is None:
            raise NotFound("NoSuchVersion", f"The specified version {version_id!r} of {key!r} does not exist.",
                           status=404, Key=key, VersionId=version_id)
        if v.delete_marker:
            raise AWSError("MethodNotAllowed", f"Version {version_id!r} of {key!r} is a delete marker; a GET of "
                           "a delete marker is not allowed.", status=405, Method="GET", ResourceType="DeleteMarker")
        return v

    def _check_readable(self, b: Bucket, v: ObjectVersion) -> None:
        now = self.cloud.clock.now
        if STORAGE_CLASSES[v.storage_class].needs_restore and not (v.restore and v.restore.available(now)):
            raise InvalidState("InvalidObjectState", f"The object {v.key!r} is in {v.storage_class.value}: restore "
                               "it with restore_object() and wait for the restore to finish before reading it.",
                               status=403, StorageClass=v.storage_class.value)
        failed = self._owner_cloud(b).failed_azs
        if failed and all(az in failed for az in v.azs):
            raise AWSError("ServiceUnavailable", f"The only copy of {v.key!r} ({v.storage_class.value}) is in "
                           f"{', '.join(v.azs)}, which is down. It comes back when the AZ is restored.",
                           status=503)

    def _owner_cloud(self, b: Bucket):
        return self.cloud if b.owner == self.cloud.account_id else self.cloud.account(b.owner)

    def delete_object(self, bucket: str | Bucket, key: str, *, version_id: str | None = None
                      ) -> ObjectVersion | None:
        """Delete ``key``: in a versioned bucket this adds a delete marker (returned); with
        ``version_id`` it removes that version for good.  Deleting a missing key succeeds."""
        b = self.bucket(bucket, "s3:DeleteObject" if version_id is None else "s3:DeleteObjectVersion", key)
        _check_key(key)
        self._request(b, "DELETE", StorageClass.STANDARD)
        if version_id is not None:
            gone = b.remove(key, version_id)
            if gone is None:
                if version_id != "null":
                    raise InvalidParameter("InvalidArgument", f"Invalid version id specified: {version_id!r}.")
                return None
            self._unbill(b, gone)
            if not gone.delete_marker:
                self._notify(b, "ObjectRemoved:Delete", gone)
            return gone
        if b.versioning is Versioning.UNVERSIONED:
            gone = b.remove(key)
            if gone is not None:
                self._unbill(b, gone)
                self._notify(b, "ObjectRemoved:Delete", gone)
            return gone
        current = b.current(key)
        if current is not None and current.delete_marker and b.versioning is Versioning.ENABLED:
            # S3 adds another marker on top; harmless, and what the API does.
            pass
        marker = ObjectVersion(key=key, delete_marker=True, last_modified=self.cloud.clock.now,
                               owner=self.cloud.account_id,
                               version_id=self._new_version_id() if b.versioning is Versioning.ENABLED else "null")
        if current is not None and current.noncurrent_since is None:
            current.noncurrent_since = self.cloud.clock.now
        for old in b.store(marker):
            self._unbill(b, old)
        self._notify(b, "ObjectRemoved:DeleteMarkerCreated", marker)
        return marker

    def delete_objects(self, bucket: str | Bucket, keys: Iterable[str | tuple[str, str | None]]
                       ) -> tuple[list[tuple[str, ObjectVersion | None, str | None]], list[tuple[str, AWSError]]]:
        """Delete up to 1000 keys (or (key, version_id) pairs): (deleted, errors)."""
        if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable):
            raise InvalidParameter("MalformedXML", f"delete_objects takes a list of keys (or (key, version_id) "
                                   f"pairs), not {keys!r:.60}.")
        items = list(keys)
        for item in items:
            if not (isinstance(item, str) or (isinstance(item, tuple) and len(item) == 2
                                              and isinstance(item[0], str) and isinstance(item[1], (str, type(None))))):
                raise InvalidParameter("MalformedXML", f"{item!r:.60} is not a key: give key strings or "
                                       "(key, version_id) pairs.")
        if len(items) > 1000:
            raise InvalidParameter("MalformedXML", f"delete_objects takes at most 1000 keys, not {len(items)}.")
        done, errors = [], []
        for item in items:
            key, vid = (item, None) if isinstance(item, str) else item
            try:
                done.append((key, self.delete_object(bucket, key, version_id=vid), vid))
            except AWSError as err:
                if err.code in ("NoSuchBucket",):
                    raise
                errors.append((key, err))
        return done, errors

    def copy_object(self, src_bucket: str | Bucket, src_key: str, dst_bucket: str | Bucket, dst_key: str, *,
                    version_id: str | None = None, metadata_directive: str = "COPY",
                    metadata: dict[str, str] | None = None, content_type: str | None = None,
                    storage_class: str | StorageClass | None = None, tags: dict[str, str] | None = None
                    ) -> ObjectVersion:
        """Copy an object (to the same or another bucket).  The copy shares the stored bytes,
        which are immutable, so changing one never changes the other."""
        src = self.get_object(src_bucket, src_key, version_id=version_id)
        dst = self.bucket(dst_bucket, "s3:PutObject", dst_key)
        _check_key(dst_key)
        if metadata_directive not in ("COPY", "REPLACE"):
            raise InvalidParameter("InvalidArgument", f"Unknown metadata directive {metadata_directive!r}: use "
                                   "'COPY' (keep the source's metadata) or 'REPLACE'.")
        sc = StorageClass.parse(storage_class) if storage_class else StorageClass.STANDARD
        src_b = self._names[src_bucket.name if isinstance(src_bucket, Bucket) else src_bucket]
        if (src_b is dst and src_key == dst_key and metadata_directive == "COPY" and storage_class is None
                and version_id is None):
            raise InvalidParameter("InvalidRequest", "This copy request is illegal because it is trying to copy an "
                                   "object to itself without changing the object's metadata, storage class, "
                                   "website redirect location or encryption attributes.")
        replace = metadata_directive == "REPLACE"
        version = ObjectVersion(
            key=dst_key, data=src.data, etag=src.etag if not src.parts else etag_of(src.data),
            last_modified=self.cloud.clock.now, checksum=src.checksum, storage_class=sc,
            content_type=(content_type or "binary/octet-stream") if replace else src.content_type,
            metadata=self._check_metadata(metadata) if replace else dict(src.metadata),
            headers={} if replace else dict(src.headers),
            tags=dict(tags) if tags is not None else dict(src.tags), owner=self.cloud.account_id)
        return self._store(dst, version, "ObjectCreated:Copy")

    def move_object(self, src_bucket: str | Bucket, src_key: str, dst_bucket: str | Bucket, dst_key: str
                    ) -> ObjectVersion:
        """S3 has no move or rename: a move is a copy followed by a delete of the source."""
        new = self.copy_object(src_bucket, src_key, dst_bucket, dst_key)
        self.delete_object(src_bucket, src_key)
        return new

    def list_objects(self, bucket: str | Bucket, prefix: str = "", delimiter: str | None = None,
                     start_after: str | None = None, max_keys: int = 1000):
        """One page of a listing: (objects, common prefixes, is_truncated, last entry)."""
        b = self.bucket(bucket, "s3:ListBucket")
        if not isinstance(max_keys, int) or max_keys < 0:
            raise InvalidParameter("InvalidArgument", f"MaxKeys is a whole number >= 0, not {max_keys!r}.")
        self._request(b, "LIST", StorageClass.STANDARD)
        return b.list_current(prefix or "", delimiter or None, start_after, min(max_keys, 1000))

    # ======================================================================
    # versioning
    # ======================================================================
    def put_bucket_versioning(self, bucket: str | Bucket, status: str) -> None:
        """Turn versioning on ("Enabled") or pause it ("Suspended"); it can never be switched off."""
        b = self.bucket(bucket, "s3:PutBucketVersioning")
        if status not in ("Enabled", "Suspended"):
            raise InvalidParameter("MalformedXML", f"The versioning Status must be 'Enabled' or 'Suspended', not "
                                   f"{status!r}. (A versioned bucket can be suspended but never un-versioned.)")
        b.versioning = Versioning(status)
        self.cloud.events.publish("s3.bucket.versioning", bucket=b.name, status=status)

    def get_bucket_versioning(self, bucket: str | Bucket) -> str | None:
        b = self.bucket(bucket, "s3:GetBucketVersioning")
        return b.versioning.value or None

    def list_object_versions(self, bucket: str | Bucket, prefix: str = "", key_marker: str | None = None,
                             version_id_marker: str | None = None, max_keys: int = 1000):
        """(versions and delete markers newest first per key, truncated, next key marker, next version marker)."""
        b = self.bucket(bucket, "s3:ListBucketVersions")
        self._request(b, "LIST", StorageClass.STANDARD)
        return b.list_versions(prefix or "", key_marker, version_id_marker, min(max_keys, 1000))

    # ======================================================================
    # permissions
    # ======================================================================
    # permissions: the functions live in permissions.py
    _authorize = permissions._authorize
    _acl_allows_public_read = permissions._acl_allows_public_read
    _check_acl_value = permissions._check_acl_value
    _check_object_acl = permissions._check_object_acl
    put_bucket_acl = permissions.put_bucket_acl
    put_object_acl = permissions.put_object_acl
    put_bucket_ownership_controls = permissions.put_bucket_ownership_controls
    delete_bucket_ownership_controls = permissions.delete_bucket_ownership_controls
    put_public_access_block = permissions.put_public_access_block
    get_public_access_block = permissions.get_public_access_block
    delete_public_access_block = permissions.delete_public_access_block
    put_bucket_policy = permissions.put_bucket_policy
    get_bucket_policy = permissions.get_bucket_policy
    delete_bucket_policy = permissions.delete_bucket_policy
    is_public = permissions.is_public
    anonymous_get = permissions.anonymous_get
    generate_presigned_url = permissions.generate_presigned_url
    _sign = permissions._sign

    def http_request(self, method: str, url: str, body: Any = None) -> HttpResponse:
        """Send an HTTP request to an S3 URL: a presigned URL, a public object URL, or a
        website endpoint.  Returns status, headers and body instead of raising."""
        from .http import handle

        return handle(self, method, url, body)

    def http_get(self, url: str) -> HttpResponse:
        return self.http_request("GET", url)

    # ======================================================================
    # websites, lifecycle, notifications (logic in their own modules)
    # ======================================================================
    def put_bucket_website(self, bucket: str | Bucket, *, index_document: str | None = "index.html",
                           error_document: str | None = None, redirect_all_to: dict | str | None = None,
                           routing_rules: list[dict] | None = None):
        """Serve the bucket as a static website at :meth:`website_url`."""
        from .website import WebsiteConfiguration

        b = self.bucket(bucket, "s3:PutBucketWebsite")
        b.website = WebsiteConfiguration.build(index_document, error_document, redirect_all_to, routing_rules)
        self.cloud.events.publish("s3.bucket.website", bucket=b.name)
        return b.website

    def get_bucket_website(self, bucket: str | Bucket):
        b = self.bucket(bucket, "s3:GetBucketWebsite")
        if b.website is None:
            raise NotFound("NoSuchWebsiteConfiguration", f"The bucket {b.name!r} has no website configuration.",
                           status=404, BucketName=b.name)
        return b.website

    def delete_bucket_website(self, bucket: str | Bucket) -> None:
        b = self.bucket(bucket, "s3:DeleteBucketWebsite")
        b.website = None
        self.cloud.events.publish("s3.bucket.website", bucket=b.name)

    def website_url(self, bucket: str | Bucket) -> str:
        b = self.bucket(bucket, "s3:GetBucketWebsite")
        return f"http://{website_endpoint(b.name, b.region)}"

    def website_request(self, bucket: str, path: str = "/") -> HttpResponse:
        """What a browser gets from the bucket's website endpoint for ``path``."""
        from .website import serve

        return serve(self, bucket, path)

    def put_bucket_lifecycle_configuration(self, bucket: str | Bucket, configuration: dict) -> list:
        """Set lifecycle rules (boto3's ``{"Rules": [...]}`` shape); they run daily on the clock."""
        b = self.bucket(bucket, "s3:PutLifecycleConfiguration")
        b.lifecycle = parse_lifecycle(configuration)
        self._ensure_daily()
        return b.lifecycle

    def get_bucket_lifecycle_configuration(self, bucket: str | Bucket) -> list:
        b = self.bucket(bucket, "s3:GetLifecycleConfiguration")
        if not b.lifecycle:
            raise NotFound("NoSuchLifecycleConfiguration", f"The bucket {b.name!r} has no lifecycle "
                           "configuration.", status=404, BucketName=b.name)
        return b.lifecycle

    def delete_bucket_lifecycle(self, bucket: str | Bucket) -> None:
        self.bucket(bucket, "s3:PutLifecycleConfiguration").lifecycle = None

    def _ensure_daily(self) -> None:
        if self._daily is None:
            now = self.cloud.clock.now
            first = DAY - (now % DAY) or DAY  # S3 runs lifecycle at midnight UTC
            self._daily = self.cloud.clock.every(DAY, self.run_lifecycle, start=first, name="s3 lifecycle")

    def run_lifecycle(self) -> int:
        """Apply every bucket's lifecycle rules now (the daily job does this); return actions taken."""
        return lifecycle.run_lifecycle(self)

    def transition_object(self, bucket: str | Bucket, key: str, storage_class: str | StorageClass) -> ObjectVersion:
        """Move the current version to another storage class now (what a lifecycle rule does)."""
        return lifecycle.transition_object(self, bucket, key, storage_class)

    def restore_object(self, bucket: str | Bucket, key: str, *, days: int = 1, tier: str = "Standard",
                       version_id: str | None = None) -> Restore:
        """Start restoring an archived object for ``days`` days; readable once the tier's delay passes.

        Raises: InvalidObjectState (not archived), RestoreAlreadyInProgress, InvalidArgument.
        """
        return lifecycle.restore_object(self, bucket, key, days=days, tier=tier, version_id=version_id)

    def put_bucket_notification_configuration(self, bucket: str | Bucket, configuration: dict) -> None:
        """Store where to send object events (boto3's shape); events fire on ``cloud.events`` as
        ``s3.object.created`` / ``s3.object.removed`` with ``targets`` naming the matching
        Lambda functions, queues and topics."""
        from .notifications import parse_notifications

        b = self.bucket(bucket, "s3:PutBucketNotification")
        b.notifications = parse_notifications(configuration)

    def get_bucket_notification_configuration(self, bucket: str | Bucket) -> dict:
        return self.bucket(bucket, "s3:GetBucketNotification").notifications

    def _notify(self, b: Bucket, event_name: str, v: ObjectVersion) -> None:
        from .notifications import publish

        publish(self._owner_cloud(b), b, event_name, v, self.cloud.account_id)

    # ======================================================================
    # multipart uploads (logic in multipart.py)
    # ======================================================================
    def create_multipart_upload(self, bucket: str | Bucket, key: str, **kwargs: Any):
        from .multipart import create

        return create(self, bucket, key, **kwargs)

    def upload_part(self, bucket: str | Bucket, key: str, upload_id: str, part_number: int, body: Any):
        from .multipart import upload_part

        return upload_part(self, bucket, key, upload_id, part_number, body)

    def complete_multipart_upload(self, bucket: str | Bucket, key: str, upload_id: str,
                                  parts: list[tuple[int, str]]) -> ObjectVersion:
        from .multipart import complete

        return complete(self, bucket, key, upload_id, parts)

    def abort_multipart_upload(self, bucket: str | Bucket, key: str, upload_id: str) -> None:
        from .multipart import abort

        abort(self, bucket, key, upload_id)

    def multipart_upload(self, bucket: str | Bucket, key: str, upload_id: str):
        from .multipart import find

        return find(self, bucket, key, upload_id)

    # ======================================================================
    # the bill
    # ======================================================================
    _billable = staticmethod(billing.billable)
    _bill_bytes = billing.bill_bytes
    _unbill = billing.unbill
    _request = billing.request
    storage_bytes = billing.storage_bytes

    def __repr__(self) -> str:
        return f"S3Service(account={self.cloud.account_id}, buckets={len(self.buckets)})"
