"""A bucket: the container that holds objects, and where its settings live.

Keys are kept in a dict for direct lookups and in a sorted list for listings, so a GET is
one dict lookup and a listing of a prefix starts with a binary search.  Python compares
``str`` by code point, which is the same order as S3's UTF-8 binary order.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidParameter, NotFound
from .objects import ObjectVersion

__all__ = ["Bucket", "PublicAccessBlock", "Versioning"]


class Versioning(str, enum.Enum):
    """A bucket's versioning state; once enabled it can only be suspended, never turned off."""

    UNVERSIONED = ""
    ENABLED = "Enabled"
    SUSPENDED = "Suspended"

    def __repr__(self) -> str:
        return f"Versioning.{self.name}"


@dataclass(slots=True, kw_only=True)
class PublicAccessBlock:
    """Block Public Access: all four settings are on for every new bucket since April 2023."""

    block_public_acls: bool = True
    ignore_public_acls: bool = True
    block_public_policy: bool = True
    restrict_public_buckets: bool = True

    _FIELDS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")

    def to_dict(self) -> dict[str, bool]:
        return {"BlockPublicAcls": self.block_public_acls, "IgnorePublicAcls": self.ignore_public_acls,
                "BlockPublicPolicy": self.block_public_policy,
                "RestrictPublicBuckets": self.restrict_public_buckets}


def _after(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@dataclass(slots=True, kw_only=True)
class Bucket:
    """One bucket, owned by one account, living in one region."""

    name: str
    region: str
    owner: str
    created: float
    versioning: Versioning = Versioning.UNVERSIONED
    mfa_delete: str = "Disabled"
    policy: str | None = field(default=None, repr=False)
    policy_doc: dict | None = field(default=None, repr=False)
    azs: tuple[str, ...] = ()  #: the AZs that hold copies of objects stored in 3+ zones
    public_access_block: PublicAccessBlock | None = field(default_factory=PublicAccessBlock, repr=False)
    ownership: str | None = "BucketOwnerEnforced"
    acl: str = "private"
    website: Any = field(default=None, repr=False)
    lifecycle: Any = field(default=None, repr=False)
    notifications: dict[str, Any] = field(default_factory=dict, repr=False)
    tags: dict[str, str] = field(default_factory=dict, repr=False)
    uploads: dict[str, Any] = field(default_factory=dict, repr=False)
    _versions: dict[str, list[ObjectVersion]] = field(default_factory=dict, repr=False)
    _keys: list[str] = field(default_factory=list, repr=False)

    # -- reading --------------------------------------------------------------
    def current(self, key: str) -> ObjectVersion | None:
        """The newest version of ``key`` (possibly a delete marker), or None."""
        versions = self._versions.get(key)
        return versions[-1] if versions else None

    def versions_of(self, key: str) -> list[ObjectVersion]:
        """Every version of ``key``, oldest first."""
        return list(self._versions.get(key, ()))

    def find_version(self, key: str, version_id: str) -> ObjectVersion | None:
        for v in self._versions.get(key, ()):
            if v.version_id == version_id:
                return v
        return None

    @property
    def keys(self) -> list[str]:
        """Keys whose current version is an object (not a delete marker), in S3's order."""
        return [k for k in self._keys if not self._versions[k][-1].delete_marker]

    def all_versions(self) -> Iterator[ObjectVersion]:
        for k in self._keys:
            yield from self._versions[k]

    def is_empty(self) -> bool:
        """A bucket with any version or delete marker left is not empty (S3 refuses to delete it)."""
        return not self._keys

    def __len__(self) -> int:
        return sum(1 for k in self._keys if not self._versions[k][-1].delete_marker)

    # -- writing --------------------------------------------------------------
    def store(self, version: ObjectVersion) -> list[ObjectVersion]:
        """Add a version under the bucket's versioning rules; return the versions it replaced."""
        key = version.key
        versions = self._versions.get(key)
        if versions is None:
            self._versions[key] = [version]
            insort(self._keys, key)
            return []
        if self.versioning is Versioning.ENABLED:
            versions.append(version)
            return []
        # Unversioned and suspended buckets keep at most one "null" version per key.
        replaced = [v for v in versions if v.version_id == "null"]
        if replaced:
            versions[:] = [v for v in versions if v.version_id != "null"]
        versions.append(version)
        return replaced

    def remove(self, key: str, version_id: str | None = None) -> ObjectVersion | None:
        """Remove one version for good (the current one when ``version_id`` is None)."""
        versions = self._versions.get(key)
        if not versions:
            return None
        if version_id is None:
            gone = versions.pop()
        else:
            for i, v in enumerate(versions):
                if v.version_id == version_id:
                    gone = versions.pop(i)
                    break
            else:
                return None
        if not versions:
            del self._versions[key]
            del self._keys[bisect_left(self._keys, key)]
        return gone

    # -- listing ----------------------------------------------------------------
    def list_current(self, prefix: str = "", delimiter: str | None = None, after: str | None = None,
                     max_keys: int = 1000) -> tuple[list[ObjectVersion], list[str], bool, str | None]:
        """One page of a listing: (objects, common prefixes, truncated, last entry returned)."""
        keys, versions = self._keys, self._versions
        n = len(keys)
        if after is not None and after >= prefix:
            if delimiter and after.endswith(delimiter) and after.startswith(prefix) and \
                    after.find(delimiter, len(prefix)) == len(after) - len(delimiter):
                i = bisect_left(keys, _after(after))   # resume after a whole common prefix
            else:
                i = bisect_right(keys, after)
        else:
            i = bisect_left(keys, prefix)
        contents: list[ObjectVersion] = []
        prefixes: list[str] = []
        last: str | None = None
        lp = len(prefix)
        while i < n:
            key = keys[i]
            if not key.startswith(prefix):
                break
            if delimiter:
                j = key.find(delimiter, lp)
                if j >= 0:
                    if len(contents) + len(prefixes) >= max_keys:
                        return contents, prefixes, True, last
                    cp = key[:j + len(delimiter)]
                    prefixes.append(cp)
                    last = cp
                    i = bisect_left(keys, _after(cp), i)
                    continue
            v = versions[key][-1]
            i += 1
            if v.delete_marker:
                continue
            if len(contents) + len(prefixes) >= max_keys:
                return contents, prefixes, True, last
            contents.append(v)
            last = key
        return contents, prefixes, False, last

    def list_versions(self, prefix: str = "", key_marker: str | None = None,
                      version_marker: str | None = None, max_keys: int = 1000,
                      ) -> tuple[list[ObjectVersion], bool, str | None, str | None]:
        """Versions and delete markers, by key then newest first: (entries, truncated, next key, next version)."""
        keys = self._keys
        i = bisect_left(keys, prefix)
        if key_marker is not None and key_marker >= prefix:
            i = bisect_left(keys, key_marker) if version_marker else bisect_right(keys, key_marker)
        out: list[ObjectVersion] = []
        for key in keys[i:]:
            if not key.startswith(prefix):
                break
            newest_first = reversed(self._versions[key])
            if version_marker and key == key_marker:
                seen = False
                rest = []
                for v in newest_first:
                    if seen:
                        rest.append(v)
                    elif v.version_id == version_marker:
                        seen = True
                newest_first = iter(rest)
            for v in newest_first:
                if len(out) >= max_keys:
                    last = out[-1]
                    return out, True, last.key, last.version_id
                out.append(v)
        return out, False, None, None

    def __repr__(self) -> str:
        return f"Bucket({self.name!r}, region={self.region!r}, objects={len(self)})"

    def _repr_html_(self) -> str:
        import html

        rows = []
        keys = self.keys
        for k in keys[:20]:
            v = self._versions[k][-1]
            rows.append(f"<tr><td>{html.escape(k)}</td><td>{v.size}</td><td>{v.storage_class.value}</td></tr>")
        more = f"<p>... ({len(keys) - 20} objects omitted)</p>" if len(keys) > 20 else ""
        return (f"<b>s3://{html.escape(self.name)}</b> ({self.region}, versioning "
                f"{self.versioning.value or 'off'})<table><tr><th>Key</th><th>Size</th><th>Class</th></tr>"
                f"{''.join(rows)}</table>{more}")


def bucket_name(name: Any) -> str:
    """The name of a bucket given as its name or as the :class:`Bucket`; InvalidBucketName otherwise."""
    if isinstance(name, str):
        return name
    if isinstance(name, Bucket):
        return name.name
    raise InvalidParameter("InvalidBucketName", f"A bucket name is a string such as 'my-bucket' (or the Bucket), "
                           f"not {name!r:.80}.")


def no_such_bucket(name: str) -> NotFound:
    return NotFound("NoSuchBucket", f"The specified bucket does not exist: {name!r}. Create it with "
                    "create_bucket() or check the spelling.", status=404, BucketName=name)
