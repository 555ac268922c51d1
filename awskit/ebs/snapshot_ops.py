"""Creating, copying, listing and deleting snapshots (methods of :class:`~awskit.ebs.EBSService`).

Private to :mod:`awskit.ebs`; the concept is explained in :mod:`awskit.ebs.snapshots`.
Timing (awskit's simplification): a snapshot is ``pending`` for 30 s plus 0.5 s per block
it must store, its progress rising evenly, then ``completed``; a copy takes 60 s plus
0.5 s per block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..vpc._common import check_tags, listing
from ._common import fail
from .snapshots import SNAPSHOT_PRICE_GB_MONTH, Snapshot, SnapshotState
from .volumes import VolumeState

if TYPE_CHECKING:
    from .service import EBSService

SNAPSHOT_BASE_SECONDS = 30
COPY_BASE_SECONDS = 60
SECONDS_PER_BLOCK = 0.5


def _check_text(name: str, value: Any, limit: int = 255) -> str:
    if not isinstance(value, str) or len(value) > limit:
        fail("InvalidParameterValue", f"{name} is a string of at most {limit} characters, not {value!r}.")
    return value


class _SnapshotOps:
    """Snapshot actions of :class:`~awskit.ebs.EBSService`."""

    @property
    def snapshots(self: EBSService) -> list[Snapshot]:
        """The account's snapshots in this Region, oldest first."""
        return list(self._snapshots.values())

    def get_snapshot(self: EBSService, snapshot: Any) -> Snapshot:
        """A snapshot by id or object.  Raises: InvalidSnapshotID.Malformed, InvalidSnapshot.NotFound."""
        if isinstance(snapshot, Snapshot):
            if self._snapshots.get(snapshot.id) is snapshot:
                return snapshot
            snapshot = snapshot.id
        if not isinstance(snapshot, str) or not snapshot.startswith("snap-") or len(snapshot) not in (13, 22) or \
                not all(c in "0123456789abcdef" for c in snapshot[5:]):
            fail("InvalidSnapshotID.Malformed", f"Invalid id: {snapshot!r} (expecting 'snap-' followed by 8 or 17 "
                                                "hex digits).")
        found = self._snapshots.get(snapshot)
        if found is None:
            fail("InvalidSnapshot.NotFound", f"The snapshot '{snapshot}' does not exist in {self.region_name}. "
                                             f"Snapshots here: {listing(self._snapshots)}.")
        return found

    def create_snapshot(self: EBSService, volume: Any, description: str = "",
                        tags: dict[str, str] | None = None) -> Snapshot:
        """Snapshot a volume's data as it is NOW; it copies out in the background (``pending``).

        Raises: InvalidVolume.NotFound, IncorrectState (creating, deleting, or its AZ is down).
        """
        vol = self.get_volume(volume)
        _check_text("Description", description)
        tags = check_tags(tags)
        if vol.state not in (VolumeState.AVAILABLE, VolumeState.IN_USE):
            fail("IncorrectState", f"Volume '{vol.id}' is {vol.state.value}: snapshot an available or in-use volume.")
        if vol.impaired:
            fail("IncorrectState", f"Volume '{vol.id}' is impaired: its Availability Zone "
                                   f"{vol.availability_zone.name} is down, so its data cannot be read now.")
        snap = Snapshot(id=self.cloud.ids.new("snap"), owner_id=self.cloud.account_id, region=self.region_name,
                        tags=tags, service=self, volume_id=vol.id, volume_size=vol.size, description=description,
                        start_time=self.cloud.clock.now, encrypted=vol.encrypted, kms_key_id=vol.kms_key_id,
                        lineage=vol.id, blocks=dict(vol.blocks), versions=dict(vol.versions))
        self._add_snapshot(snap, SNAPSHOT_BASE_SECONDS + SECONDS_PER_BLOCK * snap.stored_blocks)
        return snap

    def _add_snapshot(self: EBSService, snap: Snapshot, duration: float) -> None:
        self._snapshots[snap.id] = snap
        self._lineages.setdefault(snap.lineage, []).append(snap)
        snap._duration = duration
        snap._timer = self.cloud.clock.schedule(duration, lambda: self._finish_snapshot(snap),
                                                name=f"{snap.id} complete")
        self.cloud.events.publish("ebs.snapshot.created", id=snap.id, region=self.region_name, volume=snap.volume_id)

    def snapshot_progress(self: EBSService, snap: Snapshot) -> int:
        """Percent copied so far (what DescribeSnapshots reports as Progress)."""
        snap = self.get_snapshot(snap)
        if snap.state is not SnapshotState.PENDING:
            return 100
        duration = snap._duration or 1.0
        return min(99, int(100 * (self.cloud.clock.now - snap.start_time) / duration))

    def _finish_snapshot(self: EBSService, snap: Snapshot) -> None:
        snap._timer = None
        if self._snapshots.get(snap.id) is not snap:
            return
        snap.state, snap.progress, snap.completed_at = SnapshotState.COMPLETED, 100, self.cloud.clock.now
        self._meter_lineage(snap.lineage)
        self.cloud.events.publish("ebs.snapshot.completed", id=snap.id, region=self.region_name,
                                  volume=snap.volume_id)

    def _previous_in_lineage(self: EBSService, snap: Snapshot) -> Snapshot | None:
        chain = self._lineages.get(snap.lineage, [])
        prev = None
        for s in chain:
            if s is snap:
                return prev
            prev = s
        return prev

    def _meter_lineage(self: EBSService, lineage: str) -> None:
        """Snapshot storage is billed on the blocks each snapshot stores; deleting one moves its
        still-needed blocks to the next, so the whole chain is re-metered."""
        for s in self._lineages.get(lineage, []):
            self.cloud.bill.stop_meter(s._meter)
            s._meter = None
            if s.state is SnapshotState.COMPLETED:
                s._meter = self.cloud.bill.start_meter(
                    "ebs", s.id, f"snapshot storage ({s.stored_blocks} blocks)",
                    monthly=s.stored_gb * SNAPSHOT_PRICE_GB_MONTH)

    def delete_snapshot(self: EBSService, snapshot: Any) -> None:
        """Delete a snapshot.  Blocks a later snapshot of the same volume still needs are kept
        (and billed to it), so every other snapshot still restores completely."""
        snap = self.get_snapshot(snapshot)
        if snap._timer is not None:
            snap._timer.cancel()
        self.cloud.bill.stop_meter(snap._meter)
        snap._meter = None
        del self._snapshots[snap.id]
        chain = self._lineages.get(snap.lineage, [])
        if snap in chain:
            chain.remove(snap)
        self._meter_lineage(snap.lineage)
        self.cloud.events.publish("ebs.snapshot.deleted", id=snap.id, region=self.region_name)

    def copy_snapshot(self: EBSService, source_snapshot: Any, source_region: str | None = None, *,
                      description: str = "", encrypted: bool | None = None, kms_key_id: str | None = None,
                      tags: dict[str, str] | None = None) -> Snapshot:
        """Copy a completed snapshot from ``source_region`` (default: this Region) into this Region.

        Called on the DESTINATION Region, as in AWS: ``cloud.region("eu-west-1").ebs.copy_snapshot(
        snap.id, source_region="us-east-1")``.  A copy of an encrypted snapshot stays encrypted;
        ``encrypted=True`` encrypts a copy of an unencrypted one.  The first copy is a full copy.

        Raises: InvalidSnapshot.NotFound, IncorrectState (source still pending),
        InvalidParameterCombination, InvalidParameterDependency.
        """
        src_region = self.region_name if source_region is None else source_region
        if not isinstance(src_region, str):
            fail("InvalidParameterValue", f"source_region is a Region code such as 'us-east-1', not {src_region!r}.")
        src_service = self.cloud.region(src_region).ebs
        src = src_service.get_snapshot(source_snapshot)
        if src.state is not SnapshotState.COMPLETED:
            fail("IncorrectState", f"Snapshot {src.id} is in invalid state - {src.state.value}. Wait until it is "
                                   "completed before copying it.")
        _check_text("Description", description)
        tags = check_tags(tags)
        enc, key = self._encryption(encrypted, kms_key_id, inherited=src.encrypted, inherited_key=src.kms_key_id)
        copy = Snapshot(id=self.cloud.ids.new("snap"), owner_id=self.cloud.account_id, region=self.region_name,
                        tags=tags, service=self, volume_id="vol-ffffffff", volume_size=src.volume_size,
                        description=description or f"[Copied {src.id} from {src_region}]",
                        start_time=self.cloud.clock.now, encrypted=enc, kms_key_id=key,
                        source_snapshot_id=src.id, source_region=src_region,
                        blocks=dict(src.blocks), versions=dict(src.versions))
        copy.lineage = f"copy:{copy.id}"
        self._add_snapshot(copy, COPY_BASE_SECONDS + SECONDS_PER_BLOCK * len(copy.versions))
        return copy
