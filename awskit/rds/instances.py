"""DB subnet groups and DB instances: the database server RDS runs for you.

A *DB subnet group* names the subnets (in at least two Availability Zones) where RDS may
place a database; a *DB instance* is one managed database server in one of them, reached
through an endpoint DNS name on the engine's port and guarded by VPC security groups.
With Multi-AZ, RDS keeps a synchronous standby in a second zone and fails over to it on
its own; a read replica is an asynchronous copy that serves reads.

Timings awskit uses (AWS quotes ranges, these are fixed and written down): a new instance
is ``creating`` for 4 minutes and ``backing-up`` (its first automated backup) for 1 more;
``modifying`` lasts 1 minute, ``rebooting`` 30 s, ``deleting`` 1 minute; a Multi-AZ
failover takes 60-120 s (drawn from ``cloud.rng``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..core.errors import AWSError
from ..vpc._common import check_tags
from ._common import Window, fail
from .engines import Engine, InstanceClass

if TYPE_CHECKING:
    from ..security import SecurityGroup
    from ..vpc import NetworkInterface, Subnet, Vpc
    from .aurora import DBCluster
    from .service import RDSService
    from .sql import Database, Txn

__all__ = [
    "BACKING_UP_SECONDS",
    "CREATE_SECONDS",
    "DELETE_SECONDS",
    "FAILOVER_SECONDS",
    "MODIFY_SECONDS",
    "REBOOT_SECONDS",
    "DBInstance",
    "DBInstanceStatus",
    "DBSubnetGroup",
    "Journal",
]

CREATE_SECONDS = 240
BACKING_UP_SECONDS = 60
MODIFY_SECONDS = 60
REBOOT_SECONDS = 30
DELETE_SECONDS = 60
#: Multi-AZ failover: AWS says typically 60-120 seconds
FAILOVER_SECONDS = (60, 120)


class DBInstanceStatus(StrEnum):
    CREATING = "creating"
    BACKING_UP = "backing-up"
    AVAILABLE = "available"
    MODIFYING = "modifying"
    REBOOTING = "rebooting"
    FAILING_OVER = "failing-over"
    STORAGE_OPTIMIZATION = "storage-optimization"
    DELETING = "deleting"


@dataclass(slots=True, kw_only=True, eq=False)
class DBSubnetGroup:
    """Subnets of one VPC, in at least two Availability Zones, where RDS may place databases.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> g = cloud.rds.create_db_subnet_group("app", "two zones", cloud.vpc.default_vpc.subnets[:2])
    >>> g.availability_zones
    ['us-east-1a', 'us-east-1b']
    """

    name: str
    description: str
    subnets: list[Subnet]
    arn: str
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def vpc(self) -> Vpc:
        return self.subnets[0].vpc

    @property
    def availability_zones(self) -> list[str]:
        return sorted({s.availability_zone.name for s in self.subnets})

    def subnet_in(self, az: str) -> Subnet | None:
        return next((s for s in self.subnets if s.availability_zone.name == az), None)

    def __repr__(self) -> str:
        return f"DBSubnetGroup({self.name!r}, vpc={self.vpc.id!r}, azs={self.availability_zones})"


class Journal:
    """The transaction log: committed transactions in commit order, numbered from ``base``.

    Pruning drops old entries but keeps the numbering, so a replica's position stays valid.
    """

    __slots__ = ("base", "entries")

    def __init__(self) -> None:
        self.entries: list[Txn] = []
        self.base = 0

    def append(self, txn: Txn) -> None:
        self.entries.append(txn)

    @property
    def end(self) -> int:
        return self.base + len(self.entries)

    def after(self, position: int, until: float) -> list[Txn]:
        """Entries from absolute ``position`` on, committed at or before ``until``."""
        out = []
        for txn in self.entries[max(0, position - self.base):]:
            if txn.time > until:
                break
            out.append(txn)
        return out

    def between(self, start: float, end: float) -> list[Txn]:
        return [t for t in self.entries if start < t.time <= end]

    def prune_to(self, position: int) -> None:
        """Forget the entries before absolute ``position`` (already inside a kept snapshot)."""
        n = max(0, min(len(self.entries), position - self.base))
        del self.entries[:n]
        self.base += n

    def count_since(self, t: float) -> int:
        n = 0
        for txn in reversed(self.entries):
            if txn.time <= t:
                break
            n += 1
        return n

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(slots=True, kw_only=True, eq=False)
class DBInstance:
    """One managed database server (or one instance of an Aurora cluster).

    Reach its data with ``cloud.rds.connect(db, user, password)``; reach its network
    interface with ``db.network_interface`` (for ``cloud.reachability(app, db, 3306)``).
    """

    id: str
    arn: str
    resource_id: str
    engine: Engine
    engine_version: str
    instance_class: InstanceClass
    license_model: str
    allocated_storage: int
    storage_type: str
    master_username: str
    _password: str = field(repr=False)
    db_name: str | None
    port: int
    subnet_group: DBSubnetGroup
    security_groups: list[SecurityGroup]
    publicly_accessible: bool
    multi_az: bool
    backup_retention_period: int
    backup_window: Window
    maintenance_window: Window
    storage_encrypted: bool
    kms_key_id: str | None
    deletion_protection: bool
    address: str
    created: float
    az: str
    secondary_az: str | None = None
    status: DBInstanceStatus = DBInstanceStatus.CREATING
    tags: dict[str, str] = field(default_factory=dict)
    network_interface: NetworkInterface | None = None
    standby_interface: NetworkInterface | None = None
    data: Database | None = field(default=None, repr=False)
    standby: Database | None = field(default=None, repr=False)
    journal: Journal = field(default_factory=Journal, repr=False)
    source: DBInstance | None = None           # set on a read replica
    replicas: list[DBInstance] = field(default_factory=list)
    replica_position: int = 0
    cluster: DBCluster | None = None
    promotion_tier: int = 1
    pending: dict[str, Any] = field(default_factory=dict)
    incarnation: int = 0
    unavailable_until: float | None = None
    connections: set = field(default_factory=set, repr=False)
    reads: int = 0
    writes: int = 0
    meters: list = field(default_factory=list, repr=False)
    timers: list = field(default_factory=list, repr=False)
    failovers: list[tuple[float, str, str, bool]] = field(default_factory=list)
    backup_event: Any = field(default=None, repr=False)
    maintenance_event: Any = field(default=None, repr=False)
    standby_ok: bool = True
    deleted: bool = False

    # -- what the console shows -------------------------------------------------
    @property
    def identifier(self) -> str:
        return self.id

    @property
    def endpoint(self) -> dict[str, Any]:
        return {"Address": self.address, "Port": self.port, "HostedZoneId": "Z2R2ITUGPM61AM"}

    @property
    def is_replica(self) -> bool:
        return self.source is not None

    @property
    def is_writer(self) -> bool:
        return self.cluster is not None and self.cluster.writer is self

    @property
    def vpc(self) -> Vpc:
        return self.subnet_group.vpc

    def __repr__(self) -> str:
        extra = ", multi_az=True" if self.multi_az else ""
        if self.source is not None:
            extra += f", replica_of={self.source.id!r}"
        if self.cluster is not None:
            extra += f", cluster={self.cluster.id!r}, {'writer' if self.is_writer else 'reader'}"
        return (f"DBInstance({self.id!r}, {self.engine.name} {self.engine_version}, {self.instance_class.name}, "
                f"{self.az}{extra}, {self.status.value})")

    def _repr_html_(self) -> str:
        import html

        rows = [("endpoint", f"{self.address}:{self.port}"), ("engine", f"{self.engine.name} {self.engine_version}"),
                ("class", self.instance_class.name), ("status", self.status.value),
                ("AZ", self.az + (f" (standby {self.secondary_az})" if self.multi_az else "")),
                ("storage", f"{self.allocated_storage} GiB {self.storage_type}"),
                ("backups", f"{self.backup_retention_period} days, window {self.backup_window.text}")]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<div><b>DB instance {html.escape(self.id)}</b><table>{body}</table></div>"


def check_password(engine: Engine, password: Any, what: str = "MasterUserPassword") -> str:
    """Printable ASCII, 8 to the engine's maximum, without ``/``, ``"``, ``@`` or a space (and for
    Oracle without ``&`` or ``'``), as the CreateDBInstance reference says."""
    if not isinstance(password, str) or not 8 <= len(password) <= engine.password_max:
        fail("InvalidParameterValue",
             f"The parameter {what} is not a valid password because it is shorter than 8 characters or "
             f"longer than {engine.password_max} ({engine.name}).")
    forbidden = '/"@ ' + ("&'" if engine.name.startswith("oracle") else "")
    bad = sorted({c for c in password if c in forbidden or not 33 <= ord(c) <= 126})
    if bad:
        fail("InvalidParameterValue",
             f"The parameter {what} is not a valid password. Only printable ASCII characters besides "
             f"'/', '@', '\"', ' ' may be used (found {''.join(bad)!r}).")
    return password


_RESERVED_USERS = {"rdsadmin", "rdsrepladmin", "rdstopmgr", "rds_superuser"}


def check_username(engine: Engine, user: Any) -> str:
    """1 to the engine's maximum letters, digits or underscores, starting with a letter; not reserved."""
    import re

    if not isinstance(user, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", user) \
            or len(user) > engine.username_max:
        fail("InvalidParameterValue",
             f"The parameter MasterUsername is not a valid identifier: {user!r}. For {engine.name} it must be "
             f"1 to {engine.username_max} letters, digits or underscores, starting with a letter.")
    if user.lower() in _RESERVED_USERS:
        fail("InvalidParameterValue",
             f"MasterUsername {user} cannot be used as it is a reserved word used by the engine.")
    return user


def check_db_name(engine: Engine, name: Any) -> str | None:
    import re

    if name is None:
        return None
    if engine.dbname_max == 0:
        fail("InvalidParameterValue", f"{engine.name} does not take a DBName at creation: leave it out and "
                                      "create databases after connecting.")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) or len(name) > engine.dbname_max:
        fail("InvalidParameterValue",
             f"DBName {name!r} is invalid: for {engine.name} use 1 to {engine.dbname_max} letters, digits or "
             "underscores, starting with a letter.")
    return name


class _SubnetGroupOps:
    """DB subnet group actions of :class:`~awskit.rds.RDSService`."""

    # -- subnet groups ----------------------------------------------------------------
    def create_db_subnet_group(self: RDSService, name: str, description: str, subnets: Any, *,
                               tags: dict[str, str] | None = None) -> DBSubnetGroup:
        """A named set of subnets of one VPC covering at least two Availability Zones.

        Raises: DBSubnetGroupAlreadyExists, DBSubnetGroupDoesNotCoverEnoughAZs, InvalidSubnet,
        InvalidParameterValue.
        """
        import re

        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9 ._-]{1,255}", name) or name.lower() == "default":
            fail("InvalidParameterValue",
                 f"DBSubnetGroupName {name!r} is invalid: 1-255 letters, digits, spaces, periods, underscores "
                 "or hyphens, and not 'default' (RDS keeps that name for itself).")
        name = name.lower()
        if name in self._subnet_groups:
            fail("DBSubnetGroupAlreadyExists", f"The DB subnet group '{name}' already exists.")
        if not isinstance(description, str) or not description:
            fail("InvalidParameterValue", "DBSubnetGroupDescription is required: say what the group is for.")
        return self._new_subnet_group(name, description, subnets, check_tags(tags))

    def _new_subnet_group(self: RDSService, name: str, description: str, subnets: Any, tags: dict[str, str]) -> DBSubnetGroup:
        items = [subnets] if isinstance(subnets, str) or not hasattr(subnets, "__iter__") else list(subnets)
        resolved = []
        for s in items:
            try:
                resolved.append(self.cloud.region(self.region_name).vpc.get_subnet(s))
            except AWSError:
                fail("InvalidSubnet", f"Subnet {getattr(s, 'id', s)!r} does not exist in {self.region_name}.")
        if not resolved:
            fail("InvalidParameterValue", "A DB subnet group needs subnets (SubnetIds).")
        vpcs = {s.vpc.id for s in resolved}
        if len(vpcs) > 1:
            fail("InvalidSubnet", f"All subnets of a DB subnet group must be in one VPC; these are in {sorted(vpcs)}.")
        azs = {s.availability_zone.name for s in resolved}
        if len(azs) < 2:
            fail("DBSubnetGroupDoesNotCoverEnoughAZs",
                 f"The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement: its subnets are "
                 f"all in {sorted(azs)}. Please add subnets to cover at least 2 AZs.")
        group = DBSubnetGroup(name=name, description=description, subnets=list(dict.fromkeys(resolved)),
                              arn=self._arn("subgrp", name), tags=tags)
        self._subnet_groups[name] = group
        return group

    def get_db_subnet_group(self: RDSService, name: str | DBSubnetGroup | None) -> DBSubnetGroup:
        """The named group; ``None`` or ``"default"``: the default group over the default VPC's subnets."""
        if isinstance(name, DBSubnetGroup):
            return name
        if name is None or (isinstance(name, str) and name.lower() == "default"):
            group = self._subnet_groups.get("default")
            if group is None:
                vpc = self.cloud.region(self.region_name).vpc.default_vpc
                if vpc is None:
                    fail("InvalidVPCNetworkStateFault",
                         "There is no default VPC in this Region: create a DB subnet group and name it.")
                group = self._new_subnet_group("default", "default", vpc.subnets, {})
            return group
        group = self._subnet_groups.get(name.lower()) if isinstance(name, str) else None
        if group is None:
            fail("DBSubnetGroupNotFoundFault",
                 f"DBSubnetGroup {name!r} not found. Groups: {', '.join(self._subnet_groups) or 'none'}.")
        return group

    @property
    def db_subnet_groups(self: RDSService) -> list[DBSubnetGroup]:
        return list(self._subnet_groups.values())

    def delete_db_subnet_group(self: RDSService, name: str | DBSubnetGroup) -> None:
        """Raises: DBSubnetGroupNotFoundFault, InvalidDBSubnetGroupStateFault (still in use)."""
        group = self.get_db_subnet_group(name)
        users = [d.id for d in self.db_instances if d.subnet_group is group]
        users += [c.id for c in self._clusters.values() if c.subnet_group is group]
        if users:
            fail("InvalidDBSubnetGroupStateFault",
                 f"Cannot delete the subnet group '{group.name}' because it is in use by {', '.join(users)}.")
        del self._subnet_groups[group.name]
