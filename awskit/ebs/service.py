"""``cloud.ebs``: the EBS volumes and snapshots of one account in one Region.

Timings awskit uses (deterministic simplifications): a new volume is ``creating`` for 5 s
(plus 0.01 s per block restored from a snapshot); deleting takes 2 s, after which the
volume no longer appears; a modification is ``modifying`` for 10 s, then ``optimizing``
for 60 s plus 21 s per GiB of written data (a full 1 TiB volume takes about 6 hours, as
AWS says), then ``completed``; a volume can be modified again 6 hours after the start of
its last modification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..vpc._common import check_tags, listing
from ._common import fail
from .attachments import _AttachmentOps
from .performance import WorkloadResult, run_workload
from .snapshot_ops import _SnapshotOps
from .snapshots import Snapshot, SnapshotState
from .volumes import (
    BLOCK_SIZE,
    BLOCKS_PER_GIB,
    IO2_IOPS_TIERS,
    VOLUME_TYPES,
    Volume,
    VolumeModification,
    VolumeState,
    VolumeType,
)

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

__all__ = ["DEFAULT_KMS_ALIAS", "EBSService"]

CREATE_SECONDS = 5
RESTORE_SECONDS_PER_BLOCK = 0.01
DELETE_SECONDS = 2
MODIFYING_SECONDS = 10
OPTIMIZE_BASE_SECONDS = 60
OPTIMIZE_SECONDS_PER_GIB = 21
#: AWS: wait at least six hours between modifications of the same volume
MODIFICATION_COOLDOWN = 6 * 3600
#: the AWS managed key EBS uses when you ask for encryption without naming a key
DEFAULT_KMS_ALIAS = "alias/aws/ebs"


def _whole(name: str, value: Any, *, allow_none: bool = True) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fail("InvalidParameterValue", f"Value ({value!r}) for parameter {name} is invalid: a whole number.")
    return value


class EBSService(_AttachmentOps, _SnapshotOps):
    """EBS in one Region: ``cloud.ebs`` or ``cloud.region("eu-west-1").ebs``.

    Every change is published on ``cloud.events`` (``ebs.volume.*``, ``ebs.snapshot.*``).
    An Availability Zone outage (``cloud.fail_az``) makes the volumes there ``impaired``:
    their I/O fails until the zone recovers, and no data is lost.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> vol = cloud.ebs.create_volume(size=100, volume_type="gp3", availability_zone="us-east-1a")
    >>> cloud.clock.advance(seconds=10)
    >>> vol
    Volume('vol-...', gp3, 100 GiB, iops=3000, throughput=125, us-east-1a, available)
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name: str = region.name
        self._volumes: dict[str, Volume] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._lineages: dict[str, list[Snapshot]] = {}
        self._version = 0
        self._default_key: str | None = None
        self._subs = [cloud.events.subscribe("az.failed", self._on_az_failed),
                      cloud.events.subscribe("az.restored", self._on_az_restored),
                      cloud.events.subscribe("ec2.instance.state", self._on_instance_state)]

    def _publish(self, topic: str, vol: Volume, **data: Any) -> None:
        self.cloud.events.publish(topic, id=vol.id, region=self.region_name, az=vol.availability_zone.name, **data)

    # -- lookups -----------------------------------------------------------------------------
    @property
    def volume_types(self) -> dict[str, VolumeType]:
        return dict(VOLUME_TYPES)

    @property
    def volumes(self) -> list[Volume]:
        """Every volume not yet deleted, oldest first."""
        return list(self._volumes.values())

    def get_volume(self, volume: Any) -> Volume:
        """A volume by id or object.  Raises: InvalidVolumeID.Malformed, InvalidVolume.NotFound."""
        if isinstance(volume, Volume):
            if self._volumes.get(volume.id) is volume:
                return volume
            volume = volume.id
        if not isinstance(volume, str) or not volume.startswith("vol-") or len(volume) not in (12, 21) or \
                not all(c in "0123456789abcdef" for c in volume[4:]):
            fail("InvalidVolumeID.Malformed", f"Invalid id: {volume!r} (expecting 'vol-' followed by 8 or 17 hex "
                                              "digits).")
        found = self._volumes.get(volume)
        if found is None:
            fail("InvalidVolume.NotFound", f"The volume '{volume}' does not exist in {self.region_name}. "
                                           f"Volumes here: {listing(self._volumes)}.")
        return found

    def _volume_type(self, name: Any) -> VolumeType:
        if isinstance(name, VolumeType):
            return name
        found = VOLUME_TYPES.get(name) if isinstance(name, str) else None
        if found is None:
            fail("InvalidParameterValue", f"Value ({name}) for parameter volumeType is invalid. Valid volume types: "
                                          f"{', '.join(VOLUME_TYPES)}.")
        return found

    def _zone(self, name: Any):
        if name is None:
            return self.region.availability_zones[0]
        for az in self.region.availability_zones:
            if name in (az.name, az.zone_id):
                return az
        fail("InvalidParameterValue", f"Invalid availability zone: [{name}]. Zones in {self.region_name}: "
                                      f"{', '.join(a.name for a in self.region.availability_zones)}.")

    # -- validation shared by create and modify ---------------------------------------------------
    def _check_config(self, vtype: VolumeType, size: int, iops: int | None, throughput: int | None) -> None:
        """Size, IOPS and throughput against the type's documented limits."""
        if size < vtype.min_size_gib:
            fail("InvalidParameterValue", f"Volume of {size}GiB is too small for volume type {vtype.name}; minimum is "
                                          f"{vtype.min_size_gib}GiB (range {vtype.min_size_gib}-{vtype.max_size_gib}).")
        if size > vtype.max_size_gib:
            fail("InvalidParameterValue", f"Volume of {size}GiB is too large for volume type {vtype.name}; maximum is "
                                          f"{vtype.max_size_gib}GiB (range {vtype.min_size_gib}-{vtype.max_size_gib}).")
        if iops is not None:
            low, high = vtype.iops_range  # type: ignore[misc]
            if iops < low:
                fail("InvalidParameterValue", f"Volume iops of {iops} is too low for {vtype.name}; minimum is {low}.")
            if iops > high:
                fail("InvalidParameterValue", f"Volume iops of {iops} is too high for {vtype.name}; maximum is {high}.")
            ratio = iops / size
            if vtype.max_iops_per_gib and ratio > vtype.max_iops_per_gib and iops > (vtype.iops_default or 0):
                fail("InvalidParameterValue",
                     f"Iops to volume size ratio of {ratio:f} is too high; maximum is {vtype.max_iops_per_gib:f}. "
                     f"A {size} GiB {vtype.name} volume allows at most {size * vtype.max_iops_per_gib} IOPS: "
                     "grow the volume or ask for fewer IOPS.")
        if throughput is not None:
            low, high = vtype.throughput_range  # type: ignore[misc]
            if not low <= throughput <= high:
                fail("InvalidParameterValue", f"Throughput of {throughput} MiB/s is invalid for {vtype.name}: "
                                              f"from {low} to {high} MiB/s.")
            ratio = throughput / (iops or vtype.iops_default or 1)
            if vtype.max_throughput_per_iops and ratio > vtype.max_throughput_per_iops and throughput > low:
                fail("InvalidParameterValue",
                     f"Throughput (MiBps) to iops ratio of {ratio:f} is too high; maximum is "
                     f"{vtype.max_throughput_per_iops:f} MiBps per iops. Provision at least "
                     f"{int(throughput / vtype.max_throughput_per_iops)} IOPS for {throughput} MiB/s.")

    def _perf_params(self, vtype: VolumeType, iops: Any, throughput: Any) -> tuple[int | None, int | None]:
        iops, throughput = _whole("iops", iops), _whole("throughput", throughput)
        if iops is not None and not vtype.provisioned_iops:
            fail("InvalidParameterCombination", f"The parameter iops is not supported for {vtype.name} volumes: "
                                                "only gp3, io1 and io2 take provisioned IOPS.")
        if throughput is not None and vtype.throughput_range is None:
            fail("InvalidParameterCombination", f"The parameter throughput is not supported for {vtype.name} "
                                                "volumes: only gp3 takes provisioned throughput.")
        if vtype.iops_required and iops is None:
            fail("MissingParameter", f"The request must contain the parameter iops: {vtype.name} volumes need "
                                     f"provisioned IOPS ({vtype.iops_range[0]}-{vtype.iops_range[1]}).")
        if vtype.provisioned_iops and iops is None:
            iops = vtype.iops_default
        if vtype.throughput_range is not None and throughput is None:
            throughput = vtype.throughput_default
        return iops, throughput

    def _default_kms_key(self) -> str:
        if self._default_key is None:
            self._default_key = f"arn:aws:kms:{self.region_name}:{self.cloud.account_id}:key/{self.cloud.ids.uuid()}"
        return self._default_key

    def _encryption(self, encrypted: Any, kms_key_id: Any, *, inherited: bool = False,
                    inherited_key: str | None = None) -> tuple[bool, str | None]:
        if encrypted is not None and not isinstance(encrypted, bool):
            fail("InvalidParameterValue", f"encrypted is True or False, not {encrypted!r}.")
        if kms_key_id is not None:
            if not isinstance(kms_key_id, str) or not kms_key_id:
                fail("InvalidParameterValue", f"KmsKeyId is a key id, alias or ARN, not {kms_key_id!r}.")
            if encrypted is not True:
                fail("InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
        if inherited and encrypted is False:
            fail("InvalidParameterCombination", "The source snapshot is encrypted, so the result is encrypted too: "
                                                "you cannot make unencrypted data from an encrypted snapshot.")
        if not (inherited or encrypted):
            return False, None
        if kms_key_id is not None:
            key = self._default_kms_key() if kms_key_id == DEFAULT_KMS_ALIAS else kms_key_id
        else:
            key = inherited_key or self._default_kms_key()
        return True, key

    # -- volumes -----------------------------------------------------------------------------------
    def create_volume(self, size: int | None = None, volume_type: str = "gp3", availability_zone: str | None = None,
                      *, iops: int | None = None, throughput: int | None = None, snapshot: Any = None,
                      encrypted: bool | None = None, kms_key_id: str | None = None,
                      tags: dict[str, str] | None = None) -> Volume:
        """Create a volume in one Availability Zone (``creating`` for a few seconds, then ``available``).

        Args:
            size: GiB; optional with a snapshot (default: the snapshot's size, never smaller).
            volume_type: gp3 (default), gp2, io1, io2, st1, sc1 or standard.
            availability_zone: e.g. ``"us-east-1a"`` (default: the Region's first zone).
            iops: gp3 (3,000-80,000, default 3,000), io1 (100-64,000) and io2 (100-256,000) only.
            throughput: gp3 only, MiB/s (125-2,000, default 125).
            snapshot: restore this snapshot's data (any AZ of the snapshot's Region).
            encrypted, kms_key_id: encrypt with a KMS key (default ``alias/aws/ebs``); a volume from
                an encrypted snapshot is always encrypted.

        Raises: InvalidParameterValue, InvalidParameterCombination, MissingParameter,
        InvalidParameterDependency, InvalidSnapshot.NotFound, IncorrectState (snapshot pending),
        InsufficientVolumeCapacity (the zone is down).
        """
        vtype = self._volume_type(volume_type)
        az = self._zone(availability_zone)
        snap = self.get_snapshot(snapshot) if snapshot is not None else None
        size = _whole("size", size)
        if snap is not None:
            if snap.state is not SnapshotState.COMPLETED:
                fail("IncorrectState", f"Snapshot {snap.id} is in invalid state - {snap.state.value}: create volumes "
                                       "from completed snapshots.")
            if size is None:
                size = snap.volume_size
            elif size < snap.volume_size:
                fail("InvalidParameterValue", f"Volume of {size}GiB is smaller than snapshot '{snap.id}', expect size "
                                              f">= {snap.volume_size}GiB.")
        elif size is None:
            fail("MissingParameter", "The request must contain the parameter size or snapshotId.")
        iops, throughput = self._perf_params(vtype, iops, throughput)
        self._check_config(vtype, size, iops, throughput)
        enc, key = self._encryption(encrypted, kms_key_id, inherited=bool(snap and snap.encrypted),
                                    inherited_key=snap.kms_key_id if snap else None)
        tags = check_tags(tags)
        if az.name in self.cloud.failed_azs:
            fail("InsufficientVolumeCapacity", f"There is not enough capacity to create the volume in {az.name}: the "
                                               "zone is down. Create it in another Availability Zone.")
        vol = self._new_volume(size=size, vtype=vtype, az=az, iops=iops, throughput=throughput, encrypted=enc,
                               kms_key_id=key, snapshot=snap, tags=tags)
        delay = CREATE_SECONDS + (RESTORE_SECONDS_PER_BLOCK * len(snap.blocks) if snap else 0)
        vol._timer = self.cloud.clock.schedule(delay, lambda: self._finish_create(vol), name=f"{vol.id} create")
        self._publish("ebs.volume.created", vol)
        return vol

    def _new_volume(self, *, size: int, vtype: VolumeType, az: Any, iops: int | None, throughput: int | None,
                    encrypted: bool, kms_key_id: str | None, snapshot: Snapshot | None,
                    tags: dict[str, str]) -> Volume:
        now = self.cloud.clock.now
        vol = Volume(id=self.cloud.ids.new("vol"), owner_id=self.cloud.account_id, region=self.region_name,
                     tags=tags, service=self, size=size, volume_type=vtype, availability_zone=az, _iops=iops,
                     throughput=throughput, encrypted=encrypted, kms_key_id=kms_key_id, snapshot=snapshot,
                     snapshot_id=snapshot.id if snapshot else "", create_time=now, credits_at=now,
                     impaired=az.name in self.cloud.failed_azs)
        if snapshot is not None:
            # The restored volume holds exactly the snapshot's data (blocks are shared, not copied).
            vol.blocks = dict(snapshot.blocks)
            vol.versions = dict(snapshot.versions)
        self._volumes[vol.id] = vol
        self._meter_volume(vol)
        return vol

    def _finish_create(self, vol: Volume) -> None:
        vol._timer = None
        if vol.state is VolumeState.CREATING:
            vol.state = VolumeState.AVAILABLE
            self._publish("ebs.volume.available", vol)

    def delete_volume(self, volume: Any) -> None:
        """Delete a volume and its data (snapshots of it are kept).

        Raises: VolumeInUse (attached: detach it first), IncorrectState (creating or deleting).
        """
        vol = self.get_volume(volume)
        if vol.instance is not None:
            fail("VolumeInUse", f"Volume {vol.id} is currently attached to {vol.instance.id} as {vol.device}. "
                                "Detach it first (or terminate the instance).")
        if vol.state is not VolumeState.AVAILABLE:
            fail("IncorrectState", f"Volume '{vol.id}' is {vol.state.value}; only an available volume can be deleted.")
        self._begin_delete(vol)

    def _begin_delete(self, vol: Volume) -> None:
        if vol._timer is not None:
            vol._timer.cancel()
        vol.state = VolumeState.DELETING
        for meter in vol._meters:
            self.cloud.bill.stop_meter(meter)
        vol._meters = []
        self._publish("ebs.volume.deleting", vol)
        vol._timer = self.cloud.clock.schedule(DELETE_SECONDS, lambda: self._finish_delete(vol),
                                               name=f"{vol.id} delete")

    def _finish_delete(self, vol: Volume) -> None:
        vol._timer = None
        vol.state = VolumeState.DELETED
        self._volumes.pop(vol.id, None)
        self._publish("ebs.volume.deleted", vol)

    # -- modification ------------------------------------------------------------------------------
    def modify_volume(self, volume: Any, *, size: int | None = None, volume_type: str | None = None,
                      iops: int | None = None, throughput: int | None = None) -> VolumeModification:
        """Elastic Volumes: grow a volume or change its type, IOPS or throughput while in use.

        Size only grows.  The modification goes modifying -> optimizing -> completed; the new
        size and performance apply from ``optimizing``.  Wait 6 hours before modifying again.

        Raises: InvalidParameterValue (smaller size, no change, limits), InvalidParameterCombination,
        IncorrectModificationState (a modification is in progress), VolumeModificationRateExceeded.
        """
        vol = self.get_volume(volume)
        if vol.state not in (VolumeState.AVAILABLE, VolumeState.IN_USE):
            fail("IncorrectState", f"Volume '{vol.id}' is {vol.state.value}: modify an available or in-use volume.")
        now = self.cloud.clock.now
        last = vol.modifications[-1] if vol.modifications else None
        if last is not None and last.state in ("modifying", "optimizing") and now - last.start_time < MODIFICATION_COOLDOWN:
            fail("IncorrectModificationState", f"Volume {vol.id} is already being modified ({last.state}); wait for "
                                               "it to complete.")
        if last is not None and now - last.start_time < MODIFICATION_COOLDOWN:
            wait = MODIFICATION_COOLDOWN - (now - last.start_time)
            fail("VolumeModificationRateExceeded",
                 f"You've reached the maximum modification rate per volume limit. Wait at least 6 hours between "
                 f"modifications per EBS volume ({wait / 3600:.1f} h left for {vol.id}).")
        size = _whole("size", size)
        new_type = vol.volume_type if volume_type is None else self._volume_type(volume_type)
        new_size = vol.size if size is None else size
        if new_size < vol.size:
            fail("InvalidParameterValue", f"New size {new_size}GiB cannot be smaller than the existing size "
                                          f"{vol.size}GiB: EBS volumes only grow. Copy the data to a smaller volume "
                                          "instead.")
        same_type = new_type is vol.volume_type
        if iops is None and new_type.provisioned_iops:
            iops = vol._iops if same_type else None
        if throughput is None and new_type.throughput_range is not None:
            throughput = vol.throughput if same_type else None
        if not same_type and new_type.provisioned_iops and iops is None:
            iops = 3000  # ModifyVolume's documented default when changing to gp3, io1 or io2
        new_iops, new_thr = self._perf_params(new_type, iops, throughput)
        self._check_config(new_type, new_size, new_iops, new_thr)
        if (new_type, new_size, new_iops, new_thr) == (vol.volume_type, vol.size, vol._iops, vol.throughput):
            fail("InvalidParameterValue", f"The modification asks for no change to {vol.id} ({vol.volume_type.name}, "
                                          f"{vol.size} GiB): give a new size, type, iops or throughput.")
        mod = VolumeModification(volume_id=vol.id, original_size=vol.size, target_size=new_size,
                                 original_type=vol.volume_type.name, target_type=new_type.name,
                                 original_iops=vol.iops, target_iops=new_iops if new_type.provisioned_iops else (
                                     new_type.baseline_iops(new_size) if new_type.name == "gp2" else None),
                                 original_throughput=vol.throughput, target_throughput=new_thr, start_time=now)
        vol.modifications.append(mod)
        apply = (new_type, new_size, new_iops, new_thr)
        self.cloud.clock.schedule(MODIFYING_SECONDS, lambda: self._optimize(vol, mod, apply),
                                  name=f"{vol.id} optimizing")
        self._publish("ebs.volume.modifying", vol)
        return mod

    def _optimize(self, vol: Volume, mod: VolumeModification, apply: tuple) -> None:
        if vol.id not in self._volumes:
            mod.state, mod.end_time = "failed", self.cloud.clock.now
            return
        vol.volume_type, vol.size, vol._iops, vol.throughput = apply
        mod.state, mod.progress = "optimizing", 10
        self._meter_volume(vol)
        written_gib = len(vol.blocks) / BLOCKS_PER_GIB
        duration = OPTIMIZE_BASE_SECONDS + OPTIMIZE_SECONDS_PER_GIB * written_gib
        self.cloud.clock.schedule(duration, lambda: self._complete_modification(vol, mod), name=f"{vol.id} modified")
        self._publish("ebs.volume.optimizing", vol)

    def _complete_modification(self, vol: Volume, mod: VolumeModification) -> None:
        mod.state, mod.progress, mod.end_time = "completed", 100, self.cloud.clock.now
        self._publish("ebs.volume.modified", vol)

    def describe_volumes_modifications(self, volumes: Any = None) -> list[VolumeModification]:
        """The latest modification of each volume (or of those given)."""
        vols = self.volumes if volumes is None else [self.get_volume(v) for v in
                                                     (volumes if isinstance(volumes, (list, tuple)) else [volumes])]
        return [v.modifications[-1] for v in vols if v.modifications]

    # -- data ------------------------------------------------------------------------------------------
    def _usable(self, vol: Volume) -> None:
        if vol.state not in (VolumeState.AVAILABLE, VolumeState.IN_USE):
            fail("IncorrectState", f"Volume '{vol.id}' is {vol.state.value}: I/O needs an available or in-use volume.")
        if vol.impaired:
            fail("IncorrectState", f"I/O to volume '{vol.id}' failed: its Availability Zone "
                                   f"{vol.availability_zone.name} is down. The data is safe; it returns with the "
                                   "zone, or restore a snapshot in another zone now.")

    def _check_range(self, vol: Volume, offset: Any, count: int) -> int:
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            fail("InvalidParameterValue", f"offset_blocks is a block number >= 0, not {offset!r}.")
        if offset + count > vol.block_count:
            fail("InvalidParameterValue", f"Blocks {offset}..{offset + count - 1} are outside {vol.id}: it has "
                                          f"{vol.block_count} blocks of {BLOCK_SIZE // 1024} KiB ({vol.size} GiB).")
        return offset

    def _write(self, vol: Volume, offset: Any, data: Any) -> int:
        if not isinstance(data, (bytes, bytearray)):
            fail("InvalidParameterValue", f"data is bytes (e.g. b'hello' or 'text'.encode()), not "
                                          f"{type(data).__name__}.")
        data = bytes(data)
        chunks = [data[i:i + BLOCK_SIZE] for i in range(0, len(data), BLOCK_SIZE)]
        self._check_range(vol, offset, len(chunks))
        self._usable(vol)
        for i, chunk in enumerate(chunks):
            self._version += 1
            vol.blocks[offset + i] = chunk
            vol.versions[offset + i] = self._version
        return len(chunks)

    def _read(self, vol: Volume, offset: Any, count: Any) -> bytes:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            fail("InvalidParameterValue", f"count is a number of blocks >= 1, not {count!r}.")
        self._check_range(vol, offset, count)
        self._usable(vol)
        blocks = vol.blocks
        return b"".join(blocks[b] for b in range(offset, offset + count) if b in blocks)

    # -- performance ---------------------------------------------------------------------------------
    def _credits_now(self, vol: Volume) -> float:
        """The burst bucket balance now: it refills at the baseline rate while idle."""
        t = vol.volume_type
        cap = t.bucket_size(vol.size) or 0.0
        if vol.credits is None:
            return cap  # a new volume starts with a full bucket
        rate = t.baseline_mibps(vol.size) if t.burst_mibps_per_tib is not None else t.baseline_iops(vol.size, vol._iops)
        return min(cap, vol.credits + rate * max(0.0, self.cloud.clock.now - vol.credits_at))

    def run_workload(self, volumes: Any, **kwargs: Any) -> WorkloadResult:
        """Run an I/O workload on a volume or a RAID 0 stripe; see :mod:`awskit.ebs.performance`.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> vol = cloud.ebs.create_volume(size=100, volume_type="gp2", availability_zone="us-east-1a")
        >>> cloud.clock.advance(seconds=10)
        >>> run = cloud.ebs.run_workload(vol, iops=3000, duration_s=3600)
        >>> run.credits_exhausted_at, run.iops[0], run.iops[-1]
        (2000.0, 3000.0, 300.0)
        """
        return run_workload(self, volumes, **kwargs)

    def _after_workload(self, vols: list[Volume], result: WorkloadResult, advance: bool, seconds: float) -> None:
        ios = result.total_ios
        for v in vols:
            price = v.volume_type.price_per_million_io
            if price and ios:
                self.cloud.bill.charge("ebs", v.id, "magnetic volume I/O requests", ios / len(vols) / 1e6 * price)
        self.cloud.events.publish("ebs.workload", ids=[v.id for v in vols], region=self.region_name,
                                  iops=result.summary["iops"].get("mean", 0.0))
        if advance and seconds > 0:
            self.cloud.clock.advance(seconds)

    # -- the bill ---------------------------------------------------------------------------------------
    def _meter_volume(self, vol: Volume) -> None:
        """Storage by the GB-month, plus provisioned IOPS and throughput where the type charges them."""
        bill = self.cloud.bill
        for meter in vol._meters:
            bill.stop_meter(meter)
        t = vol.volume_type
        meters = [bill.start_meter("ebs", vol.id, f"{t.name} storage ({vol.size} GB-month)",
                                   monthly=vol.size * t.price_gb_month)]
        iops_cost = 0.0
        if t.name == "io2" and vol._iops:
            left, low = vol._iops, 0
            for top, price in IO2_IOPS_TIERS:
                band = left if top is None else min(left, top - low)
                iops_cost += band * price
                left -= band
                low = top or low
                if left <= 0:
                    break
        elif t.price_iops_month and vol._iops:
            iops_cost = max(0, vol._iops - t.included_iops) * t.price_iops_month
        if iops_cost:
            meters.append(bill.start_meter("ebs", vol.id, f"{t.name} provisioned IOPS", monthly=iops_cost))
        if t.price_throughput_month and vol.throughput and vol.throughput > t.included_throughput:
            meters.append(bill.start_meter("ebs", vol.id, f"{t.name} provisioned throughput",
                                           monthly=(vol.throughput - t.included_throughput) * t.price_throughput_month))
        vol._meters = meters

    def monthly_cost(self, volume: Any) -> float:
        """What the volume costs per month as configured now (USD, approximate us-east-1)."""
        vol = self.get_volume(volume)
        return sum(m.rate for m in vol._meters)

    # -- Availability Zone outages -------------------------------------------------------------------------
    def _on_az_failed(self, message) -> None:
        if message.data.get("region") != self.region_name:
            return
        for vol in self._volumes.values():
            if vol.availability_zone.name == message["az"] and not vol.impaired:
                vol.impaired = True
                self._publish("ebs.volume.status", vol, status="impaired")

    def _on_az_restored(self, message) -> None:
        if message.data.get("region") != self.region_name:
            return
        for vol in self._volumes.values():
            if vol.availability_zone.name == message["az"] and vol.impaired:
                vol.impaired = False
                self._publish("ebs.volume.status", vol, status="ok")

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for v in self._volumes.values():
            states[v.state.value] = states.get(v.state.value, 0) + 1
        return f"EBSService({self.region_name!r}, volumes={states or 0}, snapshots={len(self._snapshots)})"
