"""EBS volume types, their limits, and the Volume record.

An EBS volume is a network-attached block device that lives in ONE Availability Zone and can
be attached to instances in that zone.  Its type decides how fast it is: SSD types (gp3,
gp2, io1, io2) are measured in IOPS, HDD types (st1, sc1, and the old "standard"
magnetic) in MiB/s; gp3 and io1/io2 let you buy performance apart from capacity, gp2,
st1, sc1 and standard earn it from their size and spend it through a burst bucket.

The limits below are what the Amazon EBS User Guide and the EC2 API reference document
today (checked 2026).  They differ from the course's seed text, which predates several
changes: the seed says gp2 bursts to 10,000 IOPS and Provisioned IOPS volumes reach
20,000 IOPS at 30 IOPS/GB; today gp2 bursts to 3,000 IOPS (baseline up to 16,000), io1
reaches 64,000 IOPS at 50 IOPS/GiB, io2 Block Express 256,000 IOPS at 1,000 IOPS/GiB, and
gp3 (which did not exist then) was raised in 2025 from 16 TiB / 16,000 IOPS / 1,000 MiB/s
to 64 TiB / 80,000 IOPS / 2,000 MiB/s.

>>> VOLUME_TYPES["gp2"].baseline_iops(100), VOLUME_TYPES["gp2"].baseline_iops(10)
(300, 100)
>>> VOLUME_TYPES["gp3"].max_size_gib, VOLUME_TYPES["gp3"].max_iops
(65536, 80000)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..ec2._common import Resource
from ._common import fail

if TYPE_CHECKING:
    from ..ec2.instances import BlockDeviceAttachment, Instance
    from .service import EBSService
    from .snapshots import Snapshot

__all__ = [
    "BLOCK_SIZE",
    "VOLUME_TYPES",
    "Volume",
    "VolumeModification",
    "VolumeState",
    "VolumeType",
    "check_device_name",
]

#: EBS stores and snapshots data in 512 KiB blocks (the EBS direct APIs' block size); the
#: model's ``write``/``read`` address the same blocks.
BLOCK_SIZE = 512 * 1024
_GIB = 1024 ** 3
BLOCKS_PER_GIB = _GIB // BLOCK_SIZE


class VolumeState(StrEnum):
    """The states DescribeVolumes reports."""

    CREATING = "creating"
    AVAILABLE = "available"
    IN_USE = "in-use"
    DELETING = "deleting"
    DELETED = "deleted"
    ERROR = "error"


@dataclass(slots=True, frozen=True, kw_only=True)
class VolumeType:
    """The documented limits and performance rules of one volume type.

    SSD types count I/O in operations of up to 256 KiB; HDD types in operations of up to
    1 MiB.  A type with ``burst_iops`` (gp2, standard) or ``burst_mibps_per_tib`` (st1, sc1)
    spends credits from a bucket to go above its baseline.
    """

    name: str
    description: str
    media: str                           # "ssd" or "hdd"
    min_size_gib: int
    max_size_gib: int
    #: provisioned IOPS range (gp3, io1, io2) -- None when IOPS cannot be set
    iops_range: tuple[int, int] | None = None
    iops_default: int | None = None
    iops_required: bool = False
    #: maximum provisioned IOPS per GiB of size
    max_iops_per_gib: int | None = None
    #: provisioned throughput range in MiB/s (gp3 only)
    throughput_range: tuple[int, int] | None = None
    throughput_default: int | None = None
    #: gp3: maximum MiB/s per provisioned IOPS
    max_throughput_per_iops: float | None = None
    #: the most MiB/s a volume of this type can deliver
    max_throughput_mibps: float = 0.0
    #: the most IOPS a volume of this type can deliver (HDD: 1 MiB operations)
    max_iops: int = 0
    #: largest I/O counted as one operation, KiB
    max_io_kib: int = 256
    #: gp2 / standard: burst ceiling and bucket (I/O credits)
    burst_iops: int | None = None
    bucket_credits: float | None = None
    #: st1 / sc1: MiB/s per TiB of size
    baseline_mibps_per_tib: float | None = None
    burst_mibps_per_tib: float | None = None
    #: typical service time of one small operation, milliseconds (awskit's teaching figure)
    service_time_ms: float = 1.0
    #: HDD: service time of one random operation (a seek), milliseconds
    random_service_time_ms: float | None = None
    #: approximate us-east-1 USD per GB-month (dated 2026)
    price_gb_month: float = 0.0
    #: USD per provisioned IOPS-month (io1/io2 all, gp3 above the included 3,000)
    price_iops_month: float = 0.0
    #: gp3: USD per provisioned MiB/s-month above the included 125
    price_throughput_month: float = 0.0
    #: standard: USD per million I/O requests
    price_per_million_io: float = 0.0
    #: gp3 includes 3,000 IOPS and 125 MiB/s in the storage price
    included_iops: int = 0
    included_throughput: int = 0

    @property
    def is_ssd(self) -> bool:
        return self.media == "ssd"

    @property
    def provisioned_iops(self) -> bool:
        return self.iops_range is not None

    def baseline_iops(self, size_gib: int, iops: int | None = None) -> int:
        """The IOPS the volume sustains forever (no credits needed)."""
        if self.iops_range is not None:
            return int(iops if iops is not None else (self.iops_default or self.iops_range[0]))
        if self.name == "gp2":
            # 3 IOPS per GiB, at least 100 and at most 16,000.
            return max(100, min(16000, 3 * size_gib))
        if self.name == "standard":
            return 100
        # st1 / sc1: what the baseline throughput allows in 1 MiB operations.
        return int(min(self.max_iops, self.baseline_mibps(size_gib)))

    def baseline_mibps(self, size_gib: int) -> float:
        """HDD types: baseline MiB/s from the size (st1 40/TiB, sc1 12/TiB), capped at the type max."""
        if self.baseline_mibps_per_tib is None:
            return self.max_throughput_mibps
        return min(self.max_throughput_mibps, self.baseline_mibps_per_tib * size_gib / 1024)

    def burst_mibps(self, size_gib: int) -> float:
        """HDD types: burst MiB/s from the size (st1 250/TiB, sc1 80/TiB), capped at the type max."""
        if self.burst_mibps_per_tib is None:
            return self.max_throughput_mibps
        return min(self.max_throughput_mibps, self.burst_mibps_per_tib * size_gib / 1024)

    def bucket_size(self, size_gib: int) -> float | None:
        """Burst bucket capacity: I/O credits (gp2, standard) or MiB (st1/sc1: 1 TiB per TiB of size)."""
        if self.bucket_credits is not None:
            return self.bucket_credits
        if self.burst_mibps_per_tib is not None:
            return size_gib * 1024.0  # 1 TiB of credit per TiB of size, in MiB
        return None

    def max_throughput(self, size_gib: int, iops: int | None, throughput: int | None) -> float:
        """The volume's throughput ceiling in MiB/s."""
        if self.name == "gp3":
            return float(throughput or self.throughput_default or 125)
        if self.name == "io1":
            # io1 up to 32,000 IOPS: at most 500 MiB/s; above: up to 1,000 MiB/s.
            return 500.0 if (iops or 0) <= 32000 else 1000.0
        if self.name == "io2":
            # io2 Block Express: 256 KiB per provisioned IOPS, up to 4,000 MiB/s.
            return min(self.max_throughput_mibps, (iops or 0) * 0.25)
        if self.burst_mibps_per_tib is not None:
            return self.burst_mibps(size_gib)
        return self.max_throughput_mibps


#: The volume types AWS offers today.  Prices: approximate us-east-1 list prices (2026).
VOLUME_TYPES: dict[str, VolumeType] = {t.name: t for t in (
    VolumeType(name="gp3", description="General Purpose SSD (gp3)", media="ssd",
               min_size_gib=1, max_size_gib=65536, iops_range=(3000, 80000), iops_default=3000,
               max_iops_per_gib=500, throughput_range=(125, 2000), throughput_default=125,
               max_throughput_per_iops=0.25, max_throughput_mibps=2000, max_iops=80000,
               service_time_ms=0.8, price_gb_month=0.08, price_iops_month=0.005,
               price_throughput_month=0.04, included_iops=3000, included_throughput=125),
    VolumeType(name="gp2", description="General Purpose SSD (gp2)", media="ssd",
               min_size_gib=1, max_size_gib=16384, max_throughput_mibps=250, max_iops=16000,
               burst_iops=3000, bucket_credits=5.4e6, service_time_ms=0.8, price_gb_month=0.10),
    VolumeType(name="io1", description="Provisioned IOPS SSD (io1)", media="ssd",
               min_size_gib=4, max_size_gib=16384, iops_range=(100, 64000), iops_required=True,
               max_iops_per_gib=50, max_throughput_mibps=1000, max_iops=64000, service_time_ms=0.5,
               price_gb_month=0.125, price_iops_month=0.065),
    VolumeType(name="io2", description="Provisioned IOPS SSD (io2 Block Express)", media="ssd",
               min_size_gib=4, max_size_gib=65536, iops_range=(100, 256000), iops_required=True,
               max_iops_per_gib=1000, max_throughput_mibps=4000, max_iops=256000, service_time_ms=0.25,
               price_gb_month=0.125, price_iops_month=0.065),
    VolumeType(name="st1", description="Throughput Optimized HDD (st1)", media="hdd",
               min_size_gib=125, max_size_gib=16384, max_throughput_mibps=500, max_iops=500, max_io_kib=1024,
               baseline_mibps_per_tib=40, burst_mibps_per_tib=250, service_time_ms=2.0,
               random_service_time_ms=8.0, price_gb_month=0.045),
    VolumeType(name="sc1", description="Cold HDD (sc1)", media="hdd",
               min_size_gib=125, max_size_gib=16384, max_throughput_mibps=250, max_iops=250, max_io_kib=1024,
               baseline_mibps_per_tib=12, burst_mibps_per_tib=80, service_time_ms=4.0,
               random_service_time_ms=12.0, price_gb_month=0.015),
    # Magnetic: about 100 IOPS on average, bursting to "hundreds"; awskit models the burst
    # as 400 IOPS from a bucket of 360,000 credits (a simplification: AWS publishes no bucket).
    VolumeType(name="standard", description="Magnetic (standard, previous generation)", media="hdd",
               min_size_gib=1, max_size_gib=1024, max_throughput_mibps=90, max_iops=400, max_io_kib=64,
               burst_iops=400, bucket_credits=360000.0, service_time_ms=5.0, random_service_time_ms=10.0,
               price_gb_month=0.05, price_per_million_io=0.05),
)}

#: io2 IOPS are priced in tiers (per IOPS-month): up to 32,000; 32,001-64,000; above 64,000.
IO2_IOPS_TIERS = ((32000, 0.065), (64000, 0.0455), (None, 0.03185))

#: Device names a volume may be attached as (Linux HVM): /dev/sd[b-z], /dev/sd[b-z][1-15],
#: /dev/xvd[b-z] and /dev/xvd[b-c][a-z]; AWS recommends /dev/sd[f-p] for data volumes.
_DEVICE_RE = re.compile(r"^/dev/(sd[b-z](1[0-5]|[1-9])?|xvd[b-z]|xvd[b-c][a-z]|sda1|xvda)$")


def check_device_name(device: Any) -> str:
    """A valid EBS device name, or InvalidParameterValue saying which names work."""
    if not isinstance(device, str) or not _DEVICE_RE.match(device):
        fail("InvalidParameterValue",
             f"Value ({device}) for parameter device is invalid. {device!r} is not a valid EBS device name: "
             "use /dev/sdf to /dev/sdp (or /dev/xvdf to /dev/xvdp) for data volumes.")
    return device


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class VolumeModification:
    """One ModifyVolume request and its progress (modifying -> optimizing -> completed)."""

    volume_id: str
    state: str = "modifying"
    original_size: int
    target_size: int
    original_type: str
    target_type: str
    original_iops: int | None
    target_iops: int | None
    original_throughput: int | None
    target_throughput: int | None
    progress: int = 0
    start_time: float = 0.0
    end_time: float | None = None

    def __repr__(self) -> str:
        return (f"VolumeModification({self.volume_id!r}, {self.state}, {self.original_type}->{self.target_type}, "
                f"{self.original_size}->{self.target_size} GiB, progress={self.progress}%)")


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Volume(Resource):
    """An EBS volume.  Build it with :meth:`EBSService.create_volume`.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> vol = cloud.ebs.create_volume(size=100, volume_type="gp2", availability_zone="us-east-1a")
    >>> vol.state.value, vol.iops
    ('creating', 300)
    >>> cloud.clock.advance(seconds=10); vol.state.value
    'available'
    >>> vol.write(0, b"hello"), vol.read(0)
    (1, b'hello')
    """

    _ARN_KIND = "volume"

    service: EBSService = field(repr=False)
    size: int
    volume_type: VolumeType
    availability_zone: Any
    #: provisioned IOPS (gp3/io1/io2) or the gp2 baseline, as AWS reports ``Iops``
    _iops: int | None = None
    throughput: int | None = None
    encrypted: bool = False
    kms_key_id: str | None = None
    snapshot: Snapshot | None = None
    snapshot_id: str = ""
    create_time: float = 0.0
    state: VolumeState = VolumeState.CREATING
    #: the instance it is attached to and the device name (the record itself lives in
    #: ``instance.block_device_mappings[device]``, shared with the EC2 model)
    instance: Instance | None = None
    device: str | None = None
    modifications: list[VolumeModification] = field(default_factory=list)
    impaired: bool = False
    #: block number -> bytes (at most BLOCK_SIZE); block number -> version (for snapshots)
    blocks: dict[int, bytes] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)
    #: burst bucket balance and the time it was last brought up to date
    credits: float | None = None
    credits_at: float = 0.0
    #: simulated day number (``clock time // 86400``) -> average IOPS over that whole day, from the
    #: workloads :func:`~awskit.ebs.performance.run_workload` ran (what a daily CloudWatch
    #: VolumeReadOps + VolumeWriteOps sum / 86,400 would show)
    io_history: dict[int, float] = field(default_factory=dict, repr=False)
    _meters: list = field(default_factory=list)
    _timer: Any = None

    # -- performance -----------------------------------------------------------------------
    @property
    def iops(self) -> int | None:
        """Provisioned IOPS (gp3, io1, io2) or the baseline (gp2); None for st1, sc1, standard."""
        if self.volume_type.provisioned_iops:
            return self._iops
        if self.volume_type.name == "gp2":
            return self.volume_type.baseline_iops(self.size)
        return None

    @property
    def baseline_iops(self) -> int:
        return self.volume_type.baseline_iops(self.size, self._iops)

    @property
    def max_throughput(self) -> float:
        """The throughput ceiling in MiB/s (gp3: provisioned; gp2: 250; st1/sc1: burst)."""
        return self.volume_type.max_throughput(self.size, self._iops, self.throughput)

    @property
    def burst_balance(self) -> float | None:
        """Burst bucket fill in percent (CloudWatch's BurstBalance), None for types without one."""
        cap = self.volume_type.bucket_size(self.size)
        if cap is None:
            return None
        return 100.0 * self.service._credits_now(self) / cap

    # -- attachment ------------------------------------------------------------------------
    @property
    def attachment(self) -> BlockDeviceAttachment | None:
        """The attachment record (shared with ``instance.block_device_mappings``), if attached."""
        if self.instance is None or self.device is None:
            return None
        return self.instance.block_device_mappings.get(self.device)

    @property
    def attached(self) -> bool:
        return self.instance is not None

    @property
    def is_root(self) -> bool:
        return self.instance is not None and self.device == self.instance.root_device_name

    # -- data --------------------------------------------------------------------------------
    @property
    def block_count(self) -> int:
        return self.size * BLOCKS_PER_GIB

    def write(self, offset_blocks: int, data: bytes) -> int:
        """Write ``data`` starting at block ``offset_blocks``; returns the blocks written.

        Data is cut into 512 KiB blocks; each block written replaces that block whole.
        Raises IncorrectState while the volume is not usable (creating, deleting, or its
        Availability Zone is down) and InvalidParameterValue outside the volume.
        """
        return self.service._write(self, offset_blocks, data)

    def read(self, offset_blocks: int = 0, count: int = 1) -> bytes:
        """The bytes of ``count`` blocks from ``offset_blocks`` (unwritten blocks add nothing)."""
        return self.service._read(self, offset_blocks, count)

    @property
    def used_blocks(self) -> int:
        return len(self.blocks)

    # -- views --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        perf = f", iops={self.iops}" if self.iops is not None else ""
        thr = f", throughput={self.throughput}" if self.throughput is not None else ""
        att = f", attached={self.instance.id}:{self.device}" if self.instance is not None else ""
        enc = ", encrypted" if self.encrypted else ""
        return (f"Volume({self.id!r}, {self.volume_type.name}, {self.size} GiB{perf}{thr}, "
                f"{self.availability_zone.name}, {self.state.value}{att}{enc}{self._name_part()})")

    def _repr_html_(self) -> str:
        colour = {"available": "#1a7f37", "in-use": "#0969da", "creating": "#9a6700"}.get(self.state.value, "#57606a")
        rows = [("type", f"{self.volume_type.description}, {self.size} GiB"),
                ("performance", f"{self.baseline_iops} IOPS baseline, {self.max_throughput:g} MiB/s max"),
                ("zone", self.availability_zone.name),
                ("attached to", f"{self.instance.id} as {self.device}" if self.instance is not None else "-"),
                ("encrypted", f"yes ({self.kms_key_id})" if self.encrypted else "no"),
                ("from snapshot", self.snapshot_id or "-"),
                ("data", f"{len(self.blocks)} of {self.block_count} blocks written")]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        name = f" ({html.escape(self.name)})" if self.name else ""
        flag = " <b style='color:#cf222e'>impaired</b>" if self.impaired else ""
        return (f"<div><b>{self.id}</b>{name} <span style='color:{colour}'>{self.state.value}</span>"
                f"{flag}<table>{body}</table></div>")
