"""Chapter 8: Amazon EBS, block storage volumes for EC2 instances.

An EBS volume is a virtual disk that lives in one Availability Zone, attaches to an
instance in that zone, and keeps its data when the instance stops or goes away.  Its type
decides its speed and price (SSD: gp3, gp2, io1, io2; HDD: st1, sc1, standard), snapshots
back it up incrementally to regional storage, and a volume restored from a snapshot can be
created in any zone of the Region: that is how data moves between zones.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> vol = cloud.ebs.create_volume(size=50, volume_type="gp3", availability_zone="us-east-1a")
>>> cloud.clock.advance(seconds=10)
>>> _ = vol.write(0, b"precious")
>>> snap = cloud.ebs.create_snapshot(vol); cloud.clock.advance(minutes=5)
>>> copy = cloud.ebs.create_volume(snapshot=snap, availability_zone="us-east-1b")
>>> cloud.clock.advance(seconds=10); copy.read(0)
b'precious'

The package is split by concept: :mod:`.volumes` (types, limits and the Volume record),
:mod:`.snapshots` (the Snapshot record), :mod:`.performance` (the I/O model),
:mod:`.attachments` and :mod:`.snapshot_ops` (actions) and :mod:`.service` (``EBSService``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EBSService": ".service", "DEFAULT_KMS_ALIAS": ".service",
    "Volume": ".volumes", "VolumeState": ".volumes", "VolumeType": ".volumes", "VOLUME_TYPES": ".volumes",
    "VolumeModification": ".volumes", "BLOCK_SIZE": ".volumes",
    "Snapshot": ".snapshots", "SnapshotState": ".snapshots",
    "WorkloadResult": ".performance", "run_workload": ".performance",
}

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_KMS_ALIAS",
    "VOLUME_TYPES",
    "EBSService",
    "Snapshot",
    "SnapshotState",
    "Volume",
    "VolumeModification",
    "VolumeState",
    "VolumeType",
    "WorkloadResult",
    "run_workload",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.ebs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
