"""Chapters 11 and 14: Amazon RDS and Amazon Aurora, relational databases that AWS runs for you.

RDS takes the chores of a database server off your hands (hardware, operating system and
engine installs and patches, backups, failover, scaling) while you keep the SQL.  You pick
an engine (MySQL, MariaDB, PostgreSQL, Oracle, SQL Server) and an instance class, and RDS
places the instance in your VPC's subnets behind an endpoint name.  Aurora is Amazon's own
MySQL- and PostgreSQL-compatible engine: a cluster of instances over one shared volume that
keeps six copies of the data across three Availability Zones.

awskit runs real SQL: each DB instance (and each Aurora cluster volume) holds an in-memory
SQLite database, reached through a DB-API style connection (see :mod:`awskit.rds.sql`).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=4)
>>> db = cloud.rds.create_db_instance("inventory", engine="postgres", instance_class="db.t4g.micro",
...     allocated_storage=20, master_username="app", master_password="app-pass-123", multi_az=True)
>>> cloud.clock.advance(minutes=6)
>>> db.endpoint["Address"].startswith("inventory."), db.endpoint["Port"], db.az != db.secondary_az
(True, 5432, True)

The package is split by concept: :mod:`.engines` (engines, instance classes, prices),
:mod:`.instances` (subnet groups, DB instances), :mod:`.replication` (Multi-AZ failover, read
replicas), :mod:`.snapshots` (automated backups, point-in-time restore, snapshots),
:mod:`.aurora` and :mod:`.aurora_backups` (clusters, the cluster volume, endpoints, restores),
:mod:`.sql` (the stand-in engine), :mod:`.connections` (endpoints, network path, sessions),
:mod:`.metering` (CloudWatch metrics, the bill) and :mod:`.service` (``RDSService``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RDSService": ".service", "RDSEvent": ".service",
    "Engine": ".engines", "InstanceClass": ".engines", "ENGINES": ".engines", "INSTANCE_CLASSES": ".engines",
    "hourly_price": ".engines",
    "DBInstance": ".instances", "DBInstanceStatus": ".instances", "DBSubnetGroup": ".instances",
    "DBSnapshot": ".snapshots", "SnapshotStatus": ".snapshots", "AutomatedBackup": ".snapshots",
    "DBCluster": ".aurora", "DBClusterStatus": ".aurora", "ClusterVolume": ".aurora", "StorageCopy": ".aurora",
    "DBClusterSnapshot": ".aurora_backups",
    "Connection": ".sql", "Cursor": ".sql", "Database": ".sql",
}

__all__ = [
    "ENGINES",
    "INSTANCE_CLASSES",
    "AutomatedBackup",
    "ClusterVolume",
    "Connection",
    "Cursor",
    "DBCluster",
    "DBClusterSnapshot",
    "DBClusterStatus",
    "DBInstance",
    "DBInstanceStatus",
    "DBSnapshot",
    "DBSubnetGroup",
    "Database",
    "Engine",
    "InstanceClass",
    "RDSEvent",
    "RDSService",
    "SnapshotStatus",
    "StorageCopy",
    "hourly_price",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.rds' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
