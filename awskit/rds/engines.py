"""The engines RDS runs and the DB instance classes it runs them on.

RDS offers the common open-source engines (MySQL, MariaDB, PostgreSQL), the commercial ones
(Oracle, Microsoft SQL Server) and Amazon's own Aurora (MySQL- and PostgreSQL-compatible).
An engine fixes the default port, the licence model, the storage limits and the rules for
user names and passwords; a *DB instance class* (``db.t3.micro``, ``db.r5.large``) fixes CPU,
memory and the hourly price.

Versions and prices are a dated snapshot (AWS's documentation and us-east-1 on-demand list
prices, 2025-2026, Single-AZ; Multi-AZ doubles the instance price).  They move: check AWS
before relying on them.

>>> ENGINES["postgres"].port, ENGINES["mysql"].default_version
(5432, '8.4.6')
>>> INSTANCE_CLASSES["db.t3.micro"].vcpu, INSTANCE_CLASSES["db.t3.micro"].memory_gib
(2, 1.0)
>>> round(hourly_price("db.m5.large", "mysql", multi_az=True), 3)
0.342
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._common import fail

__all__ = [
    "AURORA_IO_PRICE_PER_MILLION",
    "AURORA_STORAGE_PRICE_GB_MONTH",
    "BACKUP_PRICE_GB_MONTH",
    "ENGINES",
    "INSTANCE_CLASSES",
    "STORAGE_PRICE_GB_MONTH",
    "Engine",
    "InstanceClass",
    "get_engine",
    "get_instance_class",
    "hourly_price",
]

#: gp2/gp3 storage for RDS, USD per GB-month (us-east-1, Single-AZ; Multi-AZ doubles it)
STORAGE_PRICE_GB_MONTH = 0.115
#: Aurora Standard storage and I/O
AURORA_STORAGE_PRICE_GB_MONTH = 0.10
AURORA_IO_PRICE_PER_MILLION = 0.20
#: automated backup and snapshot storage beyond 100% of the Region's provisioned DB storage
BACKUP_PRICE_GB_MONTH = 0.095


@dataclass(frozen=True, slots=True, kw_only=True)
class Engine:
    """One database engine as RDS offers it."""

    name: str
    description: str
    versions: tuple[str, ...]          # newest first
    default_version: str
    port: int
    license_models: tuple[str, ...]    # the first is the default
    storage_gib: tuple[int, int]       # gp2/gp3 allocated storage limits
    username_max: int                  # AWS: 1-16 for MySQL-family; the older per-engine limits elsewhere
    password_max: int
    dbname_max: int                    # 0: the engine takes no DBName at creation
    price_factor: float = 1.0          # instance price relative to MySQL (licence included etc.)
    aurora: bool = False
    family: str = ""                   # parameter group family prefix
    default_database: str | None = None

    @property
    def major_versions(self) -> list[str]:
        seen: list[str] = []
        for v in self.versions:
            major = v.rsplit(".", 1)[0] if self.name in ("mysql", "mariadb") else v.split(".")[0]
            if major not in seen:
                seen.append(major)
        return seen

    def __repr__(self) -> str:
        return f"Engine({self.name!r}, default_version={self.default_version!r}, port={self.port})"


def _e(**kw: Any) -> Engine:
    return Engine(**kw)


ENGINES: dict[str, Engine] = {e.name: e for e in (
    _e(name="mysql", description="MySQL Community Edition", versions=("8.4.6", "8.4.5", "8.0.43", "8.0.42"),
       default_version="8.4.6", port=3306, license_models=("general-public-license",), storage_gib=(20, 65536),
       username_max=16, password_max=41, dbname_max=64, family="mysql"),
    _e(name="mariadb", description="MariaDB Community Edition",
       versions=("11.4.8", "11.4.7", "10.11.14", "10.6.23"), default_version="11.4.8", port=3306,
       license_models=("general-public-license",), storage_gib=(20, 65536), username_max=16,
       password_max=41, dbname_max=64, family="mariadb"),
    _e(name="postgres", description="PostgreSQL", versions=("17.6", "17.5", "16.10", "15.14", "14.19", "13.22"),
       default_version="17.6", port=5432, license_models=("postgresql-license",), storage_gib=(20, 65536),
       username_max=63, password_max=128, dbname_max=63, price_factor=1.05, family="postgres",
       default_database="postgres"),
    _e(name="oracle-se2", description="Oracle Database Standard Edition Two",
       versions=("21.0.0.0.ru-2025-07.rur-2025-07.r1", "19.0.0.0.ru-2025-07.rur-2025-07.r1"),
       default_version="19.0.0.0.ru-2025-07.rur-2025-07.r1", port=1521,
       license_models=("bring-your-own-license", "license-included"), storage_gib=(20, 65536),
       username_max=30, password_max=30, dbname_max=8, price_factor=1.6, family="oracle-se2",
       default_database="ORCL"),
    _e(name="oracle-ee", description="Oracle Database Enterprise Edition",
       versions=("21.0.0.0.ru-2025-07.rur-2025-07.r1", "19.0.0.0.ru-2025-07.rur-2025-07.r1"),
       default_version="19.0.0.0.ru-2025-07.rur-2025-07.r1", port=1521, license_models=("bring-your-own-license",),
       storage_gib=(20, 65536), username_max=30, password_max=30, dbname_max=8, price_factor=1.0,
       family="oracle-ee", default_database="ORCL"),
    _e(name="sqlserver-ex", description="Microsoft SQL Server Express Edition",
       versions=("16.00.4210.1.v1", "15.00.4435.7.v1"), default_version="16.00.4210.1.v1", port=1433,
       license_models=("license-included",), storage_gib=(20, 16384), username_max=128, password_max=128,
       dbname_max=0, price_factor=1.35, family="sqlserver-ex", default_database="master"),
    _e(name="sqlserver-se", description="Microsoft SQL Server Standard Edition",
       versions=("16.00.4210.1.v1", "15.00.4435.7.v1"), default_version="16.00.4210.1.v1", port=1433,
       license_models=("license-included",), storage_gib=(20, 16384), username_max=128, password_max=128,
       dbname_max=0, price_factor=3.4, family="sqlserver-se", default_database="master"),
    _e(name="sqlserver-ee", description="Microsoft SQL Server Enterprise Edition",
       versions=("16.00.4210.1.v1", "15.00.4435.7.v1"), default_version="16.00.4210.1.v1", port=1433,
       license_models=("license-included",), storage_gib=(20, 16384), username_max=128, password_max=128,
       dbname_max=0, price_factor=5.5, family="sqlserver-ee", default_database="master"),
    _e(name="aurora-mysql", description="Aurora MySQL",
       versions=("8.0.mysql_aurora.3.10.0", "8.0.mysql_aurora.3.08.2"), default_version="8.0.mysql_aurora.3.10.0",
       port=3306, license_models=("general-public-license",), storage_gib=(1, 131072), username_max=16,
       password_max=41, dbname_max=64, aurora=True, family="aurora-mysql8.0"),
    _e(name="aurora-postgresql", description="Aurora PostgreSQL",
       versions=("17.5", "16.9", "15.13"), default_version="17.5", port=5432,
       license_models=("postgresql-license",), storage_gib=(1, 131072), username_max=63, password_max=128,
       dbname_max=63, aurora=True, family="aurora-postgresql", default_database="postgres"),
)}


@dataclass(frozen=True, slots=True, kw_only=True)
class InstanceClass:
    """A DB instance class: its size and approximate on-demand price (MySQL, Single-AZ, us-east-1)."""

    name: str
    vcpu: int
    memory_gib: float
    hourly: float                      # RDS for MySQL, Single-AZ
    aurora_hourly: float | None = None  # None: Aurora does not offer this class

    @property
    def burstable(self) -> bool:
        return self.name.startswith(("db.t3.", "db.t4g."))

    def __repr__(self) -> str:
        return f"InstanceClass({self.name!r}, vcpu={self.vcpu}, memory_gib={self.memory_gib:g}, hourly=${self.hourly})"


def _c(name: str, vcpu: int, mem: float, hourly: float, aurora: float | None = None) -> InstanceClass:
    return InstanceClass(name=name, vcpu=vcpu, memory_gib=float(mem), hourly=hourly, aurora_hourly=aurora)


INSTANCE_CLASSES: dict[str, InstanceClass] = {c.name: c for c in (
    _c("db.t3.micro", 2, 1, 0.017), _c("db.t3.small", 2, 2, 0.034), _c("db.t3.medium", 2, 4, 0.068, 0.082),
    _c("db.t3.large", 2, 8, 0.136, 0.164),
    _c("db.t4g.micro", 2, 1, 0.016), _c("db.t4g.small", 2, 2, 0.032), _c("db.t4g.medium", 2, 4, 0.065, 0.073),
    _c("db.t4g.large", 2, 8, 0.129, 0.146),
    _c("db.m5.large", 2, 8, 0.171), _c("db.m5.xlarge", 4, 16, 0.342), _c("db.m5.2xlarge", 8, 32, 0.684),
    _c("db.m6g.large", 2, 8, 0.152), _c("db.m6g.xlarge", 4, 16, 0.304),
    _c("db.m7g.large", 2, 8, 0.168), _c("db.m7g.xlarge", 4, 16, 0.336),
    _c("db.r5.large", 2, 16, 0.25, 0.29), _c("db.r5.xlarge", 4, 32, 0.50, 0.58),
    _c("db.r5.2xlarge", 8, 64, 1.00, 1.16),
    _c("db.r6g.large", 2, 16, 0.225, 0.26), _c("db.r6g.xlarge", 4, 32, 0.45, 0.519),
    _c("db.r7g.large", 2, 16, 0.239, 0.276), _c("db.r7g.xlarge", 4, 32, 0.478, 0.553),
)}


def get_engine(name: Any) -> Engine:
    """The engine called ``name``; InvalidParameterValue lists the valid ones."""
    engine = ENGINES.get(name.lower()) if isinstance(name, str) else None
    if engine is None:
        fail("InvalidParameterValue", f"Invalid DB engine: {name!r}. Engines: {', '.join(ENGINES)}.")
    return engine


def get_instance_class(name: Any, engine: Engine | None = None) -> InstanceClass:
    """The class called ``name``, checked against what ``engine`` runs on.

    Raises InvalidParameterCombination for a class the engine does not offer (Aurora has no
    micro or small classes), as RDS does.
    """
    cls = INSTANCE_CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        fail("InvalidParameterValue",
             f"Invalid DB instance class: {name!r}. Classes: {', '.join(INSTANCE_CLASSES)}.")
    if engine is not None and engine.aurora and cls.aurora_hourly is None:
        ok = ", ".join(c.name for c in INSTANCE_CLASSES.values() if c.aurora_hourly is not None)
        fail("InvalidParameterCombination",
             f"RDS does not support creating a DB instance with the following combination: "
             f"DBInstanceClass={name}, Engine={engine.name}. Aurora classes: {ok}.")
    return cls


def hourly_price(instance_class: str | InstanceClass, engine: str | Engine = "mysql", *,
                 multi_az: bool = False) -> float:
    """Approximate on-demand USD per hour; Multi-AZ runs (and bills) a second instance."""
    cls = instance_class if isinstance(instance_class, InstanceClass) else get_instance_class(instance_class)
    eng = engine if isinstance(engine, Engine) else get_engine(engine)
    if eng.aurora:
        return cls.aurora_hourly or cls.hourly * 1.16
    return cls.hourly * eng.price_factor * (2 if multi_az else 1)
