"""The SHA-256 tree hash Glacier uses as every archive's checksum.

Glacier cuts the data into 1 MiB chunks, hashes each chunk with SHA-256, then hashes
neighbouring pairs of digests together (``sha256(left + right)``), level after level, until
one digest is left; an odd digest at the end of a level moves up unchanged.  Because each
part of a multipart upload is a whole number of chunks, the parts' tree hashes combine
into the archive's tree hash without re-reading the data, and a byte range that lines up
with the tree can be checked on its own.

>>> import hashlib
>>> tree_hash(b"hello") == hashlib.sha256(b"hello").hexdigest()   # one chunk: plain SHA-256
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["CHUNK", "chunk_hashes", "combine", "is_tree_hash_aligned", "tree_hash"]

#: Glacier's tree hash leaf size: 1 MiB.
CHUNK = 1024 * 1024


def chunk_hashes(data: bytes) -> list[bytes]:
    """The SHA-256 digest of each 1 MiB chunk (one digest of b"" for empty data)."""
    if not data:
        return [hashlib.sha256(b"").digest()]
    view = memoryview(data)
    return [hashlib.sha256(view[i:i + CHUNK]).digest() for i in range(0, len(data), CHUNK)]


def combine(digests: Sequence[bytes]) -> bytes:
    """Reduce a level of digests to the root, pairing neighbours; an odd one out moves up."""
    level = list(digests)
    if not level:
        raise ValueError("combine() needs at least one digest")
    while len(level) > 1:
        nxt = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def tree_hash(data: bytes | bytearray | memoryview) -> str:
    """The Glacier tree hash of ``data`` as 64 lowercase hex digits.

    >>> tree_hash(b"") == hashlib.sha256(b"").hexdigest()
    True
    """
    return combine(chunk_hashes(bytes(data))).hex()


def is_tree_hash_aligned(start: int, end: int, size: int) -> bool:
    """Does the inclusive byte range [start, end] of a ``size``-byte archive line up with its tree?

    Glacier returns a checksum for a ranged retrieval only when it does: the range starts on a
    chunk boundary and covers exactly one subtree (2**k chunks starting at a multiple of 2**k),
    or runs from such a start to the end of the archive.

    >>> M = CHUNK
    >>> is_tree_hash_aligned(0, 2 * M - 1, 5 * M), is_tree_hash_aligned(M, 3 * M - 1, 5 * M)
    (True, False)
    """
    if start < 0 or end < start or end >= size or start % CHUNK:
        return False
    first = start // CHUNK
    count = -(-(end + 1 - start) // CHUNK)
    if (end + 1) % CHUNK and end != size - 1:
        return False
    span = 1
    while span < count:
        span *= 2
    if first % span:
        return False
    return count == span or end == size - 1
