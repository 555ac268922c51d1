"""Multipart uploads: a large object sent in parts, then assembled by S3.

Every part but the last must be at least 5 MiB; parts may arrive in any order and be
re-sent, and ``complete`` names the parts (number and ETag) to join in ascending order.
The finished object's ETag is not an MD5 of its bytes: it is the MD5 of the parts' binary
MD5s joined together, followed by ``-`` and the number of parts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidParameter, NotFound
from .objects import ObjectVersion, StorageClass, crc32_of, etag_of

__all__ = ["MIN_PART_SIZE", "MultipartUpload", "Part", "multipart_etag"]

MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PARTS = 10000


@dataclass(slots=True, kw_only=True)
class Part:
    number: int
    data: bytes = field(repr=False)
    etag: str
    last_modified: float

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True, kw_only=True)
class MultipartUpload:
    upload_id: str
    bucket: str
    key: str
    initiated: float
    content_type: str = "binary/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)
    storage_class: StorageClass = StorageClass.STANDARD
    tags: dict[str, str] = field(default_factory=dict)
    parts: dict[int, Part] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"MultipartUpload({self.bucket!r}, {self.key!r}, parts={len(self.parts)})"


def multipart_etag(part_etags: list[str]) -> str:
    """The ETag S3 gives an object assembled from parts with these ETags.

    >>> multipart_etag(['"5d41402abc4b2a76b9719d911017c592"', '"7d793037a0760186574b0282f2f435e7"'])
    '"065947336a2f2a95ba8899f3675c3be6-2"'
    """
    digest = hashlib.md5(b"".join(bytes.fromhex(e.strip('"')) for e in part_etags)).hexdigest()
    return f'"{digest}-{len(part_etags)}"'


def create(svc, bucket, key: str, *, content_type: str | None = None, metadata: dict | None = None,
           storage_class: str = "STANDARD", tags: dict | None = None) -> MultipartUpload:
    from .service import _check_key

    b = svc.bucket(bucket, "s3:PutObject", key)
    _check_key(key)
    up = MultipartUpload(upload_id=svc.cloud.ids.token(64), bucket=b.name, key=key,
                         initiated=svc.cloud.clock.now, content_type=content_type or "binary/octet-stream",
                         metadata=svc._check_metadata(metadata), storage_class=StorageClass.parse(storage_class),
                         tags=dict(tags or {}))
    b.uploads[up.upload_id] = up
    return up


def find(svc, bucket, key: str, upload_id: str) -> MultipartUpload:
    b = svc.bucket(bucket, "s3:PutObject", key)
    up = b.uploads.get(upload_id) if isinstance(upload_id, str) else None
    if up is None or up.key != key:
        raise NotFound("NoSuchUpload", f"The specified multipart upload does not exist: {upload_id!r} for key "
                       f"{key!r}. It may have been completed or aborted.", status=404, UploadId=str(upload_id))
    return up


def upload_part(svc, bucket, key: str, upload_id: str, part_number: int, body: Any) -> Part:
    from .service import _to_bytes

    up = find(svc, bucket, key, upload_id)
    if not isinstance(part_number, int) or isinstance(part_number, bool) or not 1 <= part_number <= MAX_PARTS:
        raise InvalidParameter("InvalidArgument", f"Part number must be an integer between 1 and {MAX_PARTS}, "
                               f"inclusive; got {part_number!r}.")
    data = _to_bytes(body)
    part = Part(number=part_number, data=data, etag=etag_of(data), last_modified=svc.cloud.clock.now)
    up.parts[part_number] = part  # re-uploading a part number replaces it
    svc._request(svc.bucket(bucket), "PUT", up.storage_class)
    return part


def complete(svc, bucket, key: str, upload_id: str, parts: list[tuple[int, str]]) -> ObjectVersion:
    up = find(svc, bucket, key, upload_id)
    b = svc.bucket(bucket)
    if not parts:
        raise InvalidParameter("MalformedXML", "The XML you provided was not well-formed or did not validate: "
                               "complete_multipart_upload needs at least one part.")
    chosen: list[Part] = []
    last = 0
    for number, etag in parts:
        if number <= last:
            raise InvalidParameter("InvalidPartOrder", f"The list of parts was not in ascending order: part "
                                   f"{number} comes after part {last}. List parts by PartNumber.")
        last = number
        part = up.parts.get(number)
        if part is None or part.etag.strip('"') != str(etag).strip('"'):
            raise InvalidParameter("InvalidPart", f"Part {number} with ETag {etag!r} was not uploaded (or its "
                                   f"ETag differs). Uploaded parts: {sorted(up.parts)}.", PartNumber=str(number),
                                   ETag=str(etag), UploadId=upload_id)
        chosen.append(part)
    for part in chosen[:-1]:
        if part.size < MIN_PART_SIZE:
            raise InvalidParameter("EntityTooSmall", f"Your proposed upload is smaller than the minimum allowed "
                                   f"size: part {part.number} has {part.size} bytes; every part but the last "
                                   f"needs at least 5 MiB ({MIN_PART_SIZE} bytes).", ProposedSize=str(part.size),
                                   MinSizeAllowed=str(MIN_PART_SIZE), PartNumber=str(part.number))
    data = b"".join(p.data for p in chosen)
    version = ObjectVersion(key=key, data=data, etag=multipart_etag([p.etag for p in chosen]),
                            last_modified=svc.cloud.clock.now, content_type=up.content_type,
                            metadata=up.metadata, storage_class=up.storage_class, parts=len(chosen),
                            checksum=crc32_of(data), tags=up.tags, owner=svc.cloud.account_id)
    del b.uploads[upload_id]
    return svc._store(b, version, "ObjectCreated:CompleteMultipartUpload")


def abort(svc, bucket, key: str, upload_id: str) -> None:
    find(svc, bucket, key, upload_id)
    del svc.bucket(bucket).uploads[upload_id]
