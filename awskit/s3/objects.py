"""Objects, versions, storage classes and the streaming body a GET returns.

An S3 object is a key, its bytes and metadata.  Every write creates a *version*; in a
bucket without versioning the new version replaces the old (its id is ``"null"``).  The
storage class chooses the trade-off between price, retrieval speed and how many
Availability Zones hold the bytes.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core.errors import InvalidParameter

__all__ = [
    "STORAGE_CLASSES",
    "ObjectVersion",
    "Restore",
    "StorageClass",
    "StorageClassInfo",
    "StreamingBody",
    "crc32_of",
    "etag_of",
    "parse_range",
]


class StorageClass(str, enum.Enum):
    """The storage classes awskit models (S3 Express One Zone and Outposts are left out)."""

    STANDARD = "STANDARD"
    STANDARD_IA = "STANDARD_IA"
    ONEZONE_IA = "ONEZONE_IA"
    INTELLIGENT_TIERING = "INTELLIGENT_TIERING"
    GLACIER_IR = "GLACIER_IR"
    GLACIER = "GLACIER"
    DEEP_ARCHIVE = "DEEP_ARCHIVE"

    @classmethod
    def parse(cls, value: object) -> StorageClass:
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            raise InvalidParameter("InvalidStorageClass",
                                   f"The storage class you specified is not valid: {value!r}. "
                                   f"Choose one of: {', '.join(c.value for c in cls)}.",
                                   StorageClassRequested=str(value)) from None

    def __repr__(self) -> str:
        return f"StorageClass.{self.name}"


@dataclass(frozen=True, slots=True)
class StorageClassInfo:
    """What a storage class costs and promises (us-east-1 list prices, 2025, approximate)."""

    zones: int                 #: how many AZs hold a copy (>= 3 or exactly 1)
    min_days: int              #: minimum storage duration billed (early delete is charged)
    min_billable_bytes: int    #: a smaller object is billed as this size
    gb_month: float            #: storage price, USD per GB-month
    put_per_1000: float        #: PUT, COPY, POST, LIST requests
    get_per_1000: float        #: GET, SELECT and other requests
    needs_restore: bool = False
    first_byte: str = "milliseconds"


KIB = 1024
#: Minimums and prices as AWS documents them today.  GLACIER and DEEP_ARCHIVE add 40 KB of
#: index overhead per object (32 KB at the archive rate, 8 KB at STANDARD); awskit bills
#: the 40 KB at the class's rate.  INTELLIGENT_TIERING has had no minimum duration since 2021.
STORAGE_CLASSES: dict[StorageClass, StorageClassInfo] = {
    StorageClass.STANDARD: StorageClassInfo(3, 0, 0, 0.023, 0.005, 0.0004),
    StorageClass.STANDARD_IA: StorageClassInfo(3, 30, 128 * KIB, 0.0125, 0.01, 0.001),
    StorageClass.ONEZONE_IA: StorageClassInfo(1, 30, 128 * KIB, 0.01, 0.01, 0.001),
    StorageClass.INTELLIGENT_TIERING: StorageClassInfo(3, 0, 0, 0.023, 0.005, 0.0004),
    StorageClass.GLACIER_IR: StorageClassInfo(3, 90, 128 * KIB, 0.004, 0.02, 0.01),
    StorageClass.GLACIER: StorageClassInfo(3, 90, 40 * KIB, 0.0036, 0.03, 0.0004, True, "minutes to hours"),
    StorageClass.DEEP_ARCHIVE: StorageClassInfo(3, 180, 40 * KIB, 0.00099, 0.05, 0.0004, True, "hours"),
}


def etag_of(data: bytes) -> str:
    """The ETag of a single-part upload: the MD5 of the bytes, hex, in double quotes.

    >>> etag_of(b"hello")
    '"5d41402abc4b2a76b9719d911017c592"'
    """
    return f'"{hashlib.md5(data).hexdigest()}"'


def crc32_of(data: bytes) -> str:
    """The base64 CRC32 checksum SDKs send by default since 2025 (``ChecksumCRC32``)."""
    return base64.b64encode((zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big")).decode()


@dataclass(slots=True, kw_only=True)
class Restore:
    """A temporary copy of an archived object: in progress until ``ready_at``, gone at ``expires_at``."""

    tier: str
    days: int
    ready_at: float
    expires_at: float | None = None

    def ongoing(self, now: float) -> bool:
        return now < self.ready_at

    def available(self, now: float) -> bool:
        return self.ready_at <= now and (self.expires_at is None or now < self.expires_at)


@dataclass(slots=True, kw_only=True)
class ObjectVersion:
    """One version of an object (or a delete marker when ``delete_marker`` is true).

    ``data`` is the exact bytes stored; awskit never changes them and hands out the same
    immutable ``bytes`` object, so nothing needs copying.
    """

    key: str
    data: bytes = b""
    version_id: str = "null"
    etag: str = ""
    last_modified: float = 0.0
    content_type: str = "binary/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  #: CacheControl, ContentEncoding, ...
    storage_class: StorageClass = StorageClass.STANDARD
    delete_marker: bool = False
    parts: int = 0
    checksum: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    acl: str = "private"
    owner: str = ""
    azs: tuple[str, ...] = ()
    restore: Restore | None = None
    website_redirect: str | None = None
    noncurrent_since: float | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        if self.delete_marker:
            return f"DeleteMarker(key={self.key!r}, version_id={self.version_id!r})"
        vid = "" if self.version_id == "null" else f", version_id={self.version_id!r}"
        sc = "" if self.storage_class is StorageClass.STANDARD else f", storage_class={self.storage_class.value!r}"
        return f"S3Object(key={self.key!r}, size={self.size}{vid}{sc})"


class StreamingBody(io.RawIOBase):
    """What ``get_object()["Body"]`` is: read it once, in full or in chunks, like botocore's.

    >>> body = StreamingBody(b"line 1\\nline 2\\n")
    >>> list(body.iter_lines())
    [b'line 1', b'line 2']
    """

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._pos = 0
        self._content_length = len(data)

    def readable(self) -> bool:
        return True

    def read(self, amt: int | None = None) -> bytes:  # type: ignore[override]
        if self.closed:
            raise ValueError("I/O operation on closed StreamingBody.")
        if amt is None or amt < 0:
            out = self._data[self._pos:] if self._pos else self._data
            self._pos = len(self._data)
            return out
        out = self._data[self._pos:self._pos + amt]
        self._pos += len(out)
        return out

    def readinto(self, b) -> int:  # type: ignore[override]
        chunk = self.read(len(b))
        b[:len(chunk)] = chunk
        return len(chunk)

    def iter_chunks(self, chunk_size: int = 1024) -> Iterator[bytes]:
        while True:
            chunk = self.read(chunk_size)
            if not chunk:
                return
            yield chunk

    def iter_lines(self, chunk_size: int = 1024, keepends: bool = False) -> Iterator[bytes]:
        pending = b""
        for chunk in self.iter_chunks(chunk_size):
            lines = (pending + chunk).splitlines(True)
            for line in lines[:-1]:
                yield line if keepends else line.splitlines()[0]
            pending = lines[-1] if lines else b""
        if pending:
            yield pending if keepends else pending.splitlines()[0]

    def __iter__(self) -> Iterator[bytes]:  # botocore iterates in chunks, not lines
        return self.iter_chunks()

    def __repr__(self) -> str:
        return f"StreamingBody({self._content_length} bytes, read {self._pos})"


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` -> inclusive (start, end); None to send everything.

    A range that starts past the end is ``InvalidRange`` (416), as in S3.
    """
    m = _RANGE.match(header.strip()) if isinstance(header, str) else None
    if not m or (not m.group(1) and not m.group(2)):
        return None  # S3 ignores a malformed Range header and returns the whole object
    first, last = m.group(1), m.group(2)
    if first == "":
        n = int(last)
        if n == 0:
            raise InvalidParameter("InvalidRange", f"The requested range {header!r} is not satisfiable.",
                                   status=416, RangeRequested=header, ActualObjectSize=str(size))
        return max(0, size - n), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        raise InvalidParameter("InvalidRange", f"The requested range {header!r} is not satisfiable: the "
                               f"object has {size} bytes.", status=416, RangeRequested=header,
                               ActualObjectSize=str(size))
    return start, end
