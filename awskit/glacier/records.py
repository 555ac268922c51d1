"""The records of the Glacier vault API: vaults, archives, uploads, jobs, locks and prices.

A *vault* holds *archives* (immutable blobs, found by a long opaque id).  Glacier keeps the
vault's summary (how many archives, how many bytes) from an *inventory* it prepares about
once a day, so what ``describe_vault`` shows lags behind what you just uploaded.  Reading an
archive back is a *job* that runs for minutes or hours depending on its *tier*.
"""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PRICES",
    "TIER_SECONDS",
    "Archive",
    "Inventory",
    "Job",
    "JobAction",
    "JobStatus",
    "LockState",
    "MultipartUpload",
    "ProvisionedCapacity",
    "Tier",
    "Vault",
    "VaultLock",
]

MIB = 1024 * 1024
GB = 1024 ** 3
DAY = 86400.0
HOUR = 3600.0

#: Approximate us-east-1 list prices (USD) for Glacier *vaults*, as AWS published them in
#: 2025.  The S3 Glacier storage classes (awskit.s3) have their own, similar prices.
PRICES: dict[str, float] = {
    "storage_gb_month": 0.0036,          # Glacier Flexible Retrieval storage in a vault
    "s3_standard_gb_month": 0.023,       # the 8 KiB of index metadata AWS keeps per archive
    "upload_per_1000": 0.05,             # UploadArchive, and each multipart request
    "retrieval_gb.Expedited": 0.03, "retrieval_per_1000.Expedited": 10.0,
    "retrieval_gb.Standard": 0.01, "retrieval_per_1000.Standard": 0.05,
    "retrieval_gb.Bulk": 0.0, "retrieval_per_1000.Bulk": 0.025,  # bulk data is free since 2021
    "select_scanned_gb.Expedited": 0.02, "select_returned_gb.Expedited": 0.03,
    "select_scanned_gb.Standard": 0.008, "select_returned_gb.Standard": 0.01,
    "select_scanned_gb.Bulk": 0.001, "select_returned_gb.Bulk": 0.0025,
    "provisioned_capacity_unit_month": 100.0,
    "minimum_storage_days": 90,
}

#: Per-archive overhead Glacier bills on top of the data: 32 KiB at the Glacier rate (its
#: index) and 8 KiB at the S3 Standard rate (the name and metadata).
OVERHEAD_GLACIER = 32 * 1024
OVERHEAD_S3 = 8 * 1024


class Tier(enum.Enum):
    """How fast (and how dear) a retrieval is."""

    EXPEDITED = "Expedited"
    STANDARD = "Standard"
    BULK = "Bulk"

    @classmethod
    def parse(cls, value: Any) -> Tier:
        from ..core.errors import InvalidParameter

        for t in cls:
            if value == t.value or value is t:
                return t
        raise InvalidParameter("InvalidParameterValueException",
                               f"Invalid tier {value!r}: use Expedited (1-5 minutes), Standard (3-5 hours) "
                               "or Bulk (5-12 hours).")


#: Documented completion windows (seconds) per tier for archives under 250 MB:
#: Expedited 1-5 minutes, Standard 3-5 hours, Bulk 5-12 hours.
TIER_SECONDS: dict[Tier, tuple[float, float]] = {
    Tier.EXPEDITED: (60.0, 300.0),
    Tier.STANDARD: (3 * HOUR, 5 * HOUR),
    Tier.BULK: (5 * HOUR, 12 * HOUR),
}
#: An inventory retrieval takes about four hours; awskit draws it from 3-5 hours.
INVENTORY_SECONDS = (3 * HOUR, 5 * HOUR)


class JobAction(enum.Enum):
    ARCHIVE_RETRIEVAL = "ArchiveRetrieval"
    INVENTORY_RETRIEVAL = "InventoryRetrieval"
    SELECT = "Select"


class JobStatus(enum.Enum):
    IN_PROGRESS = "InProgress"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


class LockState(enum.Enum):
    IN_PROGRESS = "InProgress"
    LOCKED = "Locked"


@dataclass(slots=True, kw_only=True)
class Archive:
    """One immutable archive: its bytes, description and tree hash."""

    id: str
    description: str
    data: bytes = field(repr=False)
    tree_hash: str
    created: float
    vault: Vault = field(repr=False, compare=False)

    @property
    def size(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Archive({self.id[:12]}..., {self.size} bytes, description={self.description!r})"


@dataclass(slots=True, kw_only=True)
class Inventory:
    """What Glacier knew about a vault when it last took stock (about once a day)."""

    date: float
    archives: list[tuple[str, str, float, int, str]]  # id, description, created, size, tree hash

    @property
    def count(self) -> int:
        return len(self.archives)

    @property
    def size(self) -> int:
        return sum(a[3] for a in self.archives)


@dataclass(slots=True, kw_only=True)
class MultipartUpload:
    """An archive being uploaded in parts of ``part_size`` bytes (a power of two MiB)."""

    id: str
    description: str
    part_size: int
    created: float
    vault: Vault = field(repr=False, compare=False)
    parts: dict[int, tuple[bytes, str]] = field(default_factory=dict, repr=False)  # start -> (data, hash)

    def __repr__(self) -> str:
        return f"MultipartUpload({self.id[:12]}..., part_size={self.part_size}, parts={len(self.parts)})"


@dataclass(slots=True, kw_only=True)
class VaultLock:
    """A vault lock policy: InProgress for 24 hours to test, then Locked (unchangeable) or gone."""

    lock_id: str
    policy: Any  # awskit.iam.policy.Policy
    state: LockState
    created: float
    expires: float | None
    timer: Any = field(default=None, repr=False, compare=False)


@dataclass(slots=True, kw_only=True)
class Job:
    """A retrieval, inventory or select job; it completes on the simulated clock."""

    id: str
    vault: Vault = field(repr=False, compare=False)
    action: JobAction
    tier: Tier
    created: float
    completes_at: float
    description: str | None = None
    sns_topic: str | None = None
    archive: Archive | None = field(default=None, repr=False)
    byte_range: tuple[int, int] | None = None
    inventory_params: dict[str, Any] | None = None
    select: Any = None  # (SelectQuery, input options, output options)
    output_location: dict[str, Any] | None = None
    status: JobStatus = JobStatus.IN_PROGRESS
    status_message: str | None = None
    completed_at: float | None = None
    output: bytes | None = field(default=None, repr=False)
    output_tree_hash: str | None = None
    content_type: str = "application/octet-stream"
    output_path: str | None = None
    next_marker: str | None = None

    @property
    def completed(self) -> bool:
        return self.status is not JobStatus.IN_PROGRESS

    @property
    def expires_at(self) -> float | None:
        """Job output stays downloadable for 24 hours after the job completes."""
        return None if self.completed_at is None else self.completed_at + DAY

    def __repr__(self) -> str:
        return (f"Job({self.id[:12]}..., {self.action.value}, tier={self.tier.value}, "
                f"status={self.status.value})")


@dataclass(slots=True, kw_only=True)
class ProvisionedCapacity:
    """One unit of provisioned expedited-retrieval capacity, bought for a month."""

    id: str
    start: float
    expires: float


@dataclass(slots=True, kw_only=True, eq=False)
class Vault:
    """A container of archives, named uniquely per account per region."""

    name: str
    region: str
    account_id: str
    arn: str
    created: float
    archives: dict[str, Archive] = field(default_factory=dict, repr=False)
    uploads: dict[str, MultipartUpload] = field(default_factory=dict, repr=False)
    jobs: dict[str, Job] = field(default_factory=dict, repr=False)
    tags: dict[str, str] = field(default_factory=dict)
    notifications: dict[str, Any] | None = field(default=None, repr=False)
    access_policy: Any = field(default=None, repr=False)
    lock: VaultLock | None = field(default=None, repr=False)
    inventory: Inventory | None = field(default=None, repr=False)
    #: an archive was added or deleted since the last inventory (so the next one is taken)
    written_since_inventory: bool = field(default=False, repr=False)
    timer: Any = field(default=None, repr=False, compare=False)
    _combined: Any = field(default=None, repr=False, compare=False)

    @property
    def number_of_archives(self) -> int:
        """As of the last inventory (0 before the first), as AWS reports it."""
        return 0 if self.inventory is None else self.inventory.count

    @property
    def size_in_bytes(self) -> int:
        """As of the last inventory (0 before the first), as AWS reports it."""
        return 0 if self.inventory is None else self.inventory.size

    def __repr__(self) -> str:
        return f"Vault({self.name!r}, region={self.region!r}, archives={len(self.archives)})"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td><code>{html.escape(a.id[:16])}...</code></td><td>{html.escape(a.description)}"
                       f"</td><td>{a.size}</td></tr>" for a in list(self.archives.values())[:20])
        more = len(self.archives) - 20
        tail = f"<p>... ({more} archives omitted)</p>" if more > 0 else ""
        lock = f", lock {self.lock.state.value}" if self.lock else ""
        return (f"<b>Vault {html.escape(self.name)}</b> ({self.region}{lock}): {len(self.archives)} archives now, "
                f"{self.number_of_archives} in the last inventory<table><tr><th>ArchiveId</th><th>Description</th>"
                f"<th>Bytes</th></tr>{rows}</table>{tail}")
