"""Chapter 10: Amazon S3 Glacier vaults, archival storage that is cheap to keep and slow to read.

An *archive* (any blob: a backup, a video, a log bundle) lives in a *vault*, named uniquely
per account per region.  Writing is immediate; reading back is a *job* that takes minutes
(Expedited), hours (Standard) or half a day (Bulk), which is the price of storage at a
fraction of S3 Standard's.  Vault access policies say who may do what, and a *vault lock*
turns a policy into an unchangeable compliance control (for example "no deletions for 365 days").

Since 15 December 2025 AWS no longer accepts new customers for this vault API and steers
everyone to the S3 Glacier storage classes (Instant Retrieval, Flexible Retrieval, Deep
Archive) used through ordinary S3 buckets, see :mod:`awskit.s3`.  Both are taught: the vault
API here, the storage classes in S3.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=7)
>>> _ = cloud.glacier.create_vault("backups")
>>> a = cloud.glacier.upload_archive("backups", b"db dump", description="2026-01-05")
>>> job = cloud.glacier.initiate_job("backups", "archive-retrieval", archive_id=a.id)
>>> cloud.clock.advance(hours=5)
>>> cloud.glacier.get_job_output("backups", job.id).body
b'db dump'
"""

from .jobs import (
    EXPEDITED_ON_DEMAND_LIMIT,
    PROVISIONED_UNITS_LIMIT,
    RETRIEVALS_PER_UNIT,
    JobOutput,
    TimelineEntry,
)
from .records import (
    PRICES,
    TIER_SECONDS,
    Archive,
    Inventory,
    Job,
    JobAction,
    JobStatus,
    LockState,
    MultipartUpload,
    ProvisionedCapacity,
    Tier,
    Vault,
    VaultLock,
)
from .select import SelectQuery, parse_select, run_select
from .service import GlacierService
from .treehash import tree_hash

__all__ = [
    "EXPEDITED_ON_DEMAND_LIMIT",
    "PRICES",
    "PROVISIONED_UNITS_LIMIT",
    "RETRIEVALS_PER_UNIT",
    "TIER_SECONDS",
    "Archive",
    "GlacierService",
    "Inventory",
    "Job",
    "JobAction",
    "JobOutput",
    "JobStatus",
    "LockState",
    "MultipartUpload",
    "ProvisionedCapacity",
    "SelectQuery",
    "Tier",
    "TimelineEntry",
    "Vault",
    "VaultLock",
    "parse_select",
    "run_select",
    "tree_hash",
]
