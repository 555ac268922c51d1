"""EBS snapshots: point-in-time, incremental backups of a volume, kept by the Region.

A snapshot captures the volume's blocks as they were when CreateSnapshot was called, even
while writes continue; it then copies them out over minutes (``pending`` with a progress
percentage, then ``completed``).  Snapshots are incremental: the first snapshot of a
volume stores every written block, each later one only the blocks changed since the
previous snapshot of the same volume; deleting a snapshot keeps whatever later snapshots
still need.  Snapshots are stored regionally (in S3, out of sight), not in an AZ: a volume
created from one can be in ANY Availability Zone of the Region, which is how data moves
between AZs, and ``copy_snapshot`` moves it between Regions.

awskit keeps a snapshot's blocks as a dict block -> bytes shared with the volume (no copy)
and a dict block -> version, so "stored blocks" can be counted exactly for the teaching
and for the bill (USD 0.05 per GB-month of stored data, us-east-1, 2026).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..ec2._common import Resource
from .volumes import BLOCK_SIZE

if TYPE_CHECKING:
    from .service import EBSService

__all__ = ["SNAPSHOT_PRICE_GB_MONTH", "Snapshot", "SnapshotState"]

#: Standard-tier snapshot storage, USD per GB-month of stored data (us-east-1, approximate, 2026).
SNAPSHOT_PRICE_GB_MONTH = 0.05


class SnapshotState(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    ERROR = "error"
    RECOVERABLE = "recoverable"
    RECOVERING = "recovering"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Snapshot(Resource):
    """A point-in-time copy of a volume.  Build it with :meth:`EBSService.create_snapshot`.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> vol = cloud.ebs.create_volume(size=8, availability_zone="us-east-1a")
    >>> cloud.clock.advance(seconds=10)
    >>> _ = vol.write(0, b"v1"); _ = vol.write(1, b"other")
    >>> first = cloud.ebs.create_snapshot(vol)
    >>> _ = vol.write(0, b"v2"); second = cloud.ebs.create_snapshot(vol)
    >>> first.stored_blocks, second.stored_blocks   # the second stores only what changed
    (2, 1)
    """

    _ARN_KIND = "snapshot"

    service: EBSService = field(repr=False)
    volume_id: str
    volume_size: int
    description: str = ""
    start_time: float = 0.0
    state: SnapshotState = SnapshotState.PENDING
    progress: int = 0
    encrypted: bool = False
    kms_key_id: str | None = None
    #: the volume this lineage belongs to: snapshots of the same source are incremental
    lineage: str = ""
    source_snapshot_id: str | None = None
    source_region: str | None = None
    blocks: dict[int, bytes] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)
    completed_at: float | None = None
    _duration: float = 1.0
    _meter: Any = None
    _timer: Any = None

    # -- incrementality ------------------------------------------------------------------
    @property
    def previous(self) -> Snapshot | None:
        """The latest earlier snapshot of the same volume still kept (what this one builds on)."""
        return self.service._previous_in_lineage(self)

    @property
    def stored_blocks(self) -> int:
        """Blocks this snapshot stores itself: those new or changed since :attr:`previous`."""
        prev = self.previous
        if prev is None:
            return len(self.versions)
        pv = prev.versions
        return sum(1 for b, v in self.versions.items() if pv.get(b) != v)

    @property
    def stored_bytes(self) -> int:
        """What the bill counts: stored blocks x 512 KiB."""
        return self.stored_blocks * BLOCK_SIZE

    @property
    def stored_gb(self) -> float:
        return self.stored_bytes / 1024 ** 3

    @property
    def data_blocks(self) -> int:
        """Blocks of data the snapshot can restore (its full image)."""
        return len(self.blocks)

    def read(self, offset_blocks: int = 0, count: int = 1) -> bytes:
        """The snapshot's data, as :meth:`Volume.read` returns it."""
        return b"".join(self.blocks[b] for b in range(offset_blocks, offset_blocks + count) if b in self.blocks)

    # -- views ---------------------------------------------------------------------------------
    def __repr__(self) -> str:
        enc = ", encrypted" if self.encrypted else ""
        prog = f" {self.progress}%" if self.state is SnapshotState.PENDING else ""
        return (f"Snapshot({self.id!r}, of {self.volume_id}, {self.volume_size} GiB, {self.state.value}{prog}, "
                f"stored_blocks={self.stored_blocks}{enc}{self._name_part()})")

    def _repr_html_(self) -> str:
        rows = [("volume", f"{self.volume_id} ({self.volume_size} GiB)"),
                ("state", f"{self.state.value} ({self.progress}%)"),
                ("stored", (f"{self.stored_blocks} blocks ({self.stored_bytes / 1024 ** 2:.1f} MiB) of "
                            f"{self.data_blocks} in the image")),
                ("builds on", self.previous.id if self.previous is not None else "- (full copy)"),
                ("encrypted", f"yes ({self.kms_key_id})" if self.encrypted else "no"),
                ("description", self.description or "-")]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<div><b>{self.id}</b><table>{body}</table></div>"
