"""The boto3-shaped RDS client: ``cloud.client("rds")`` (RDS and Aurora, one client as in AWS).

Responses carry boto3's shapes (``DBInstance``, ``DBSnapshot``, ``DBCluster`` with
``DBClusterMembers``...), times are aware ``datetime`` objects, and errors use RDS's codes
(``DBInstanceNotFound``, ``InvalidParameterCombination``...).  ``client.exceptions`` offers
both the code names and boto3's class names (``DBInstanceNotFoundFault``).

As in AWS (and unlike moto), a new instance is ``creating``: wait with
``client.get_waiter("db_instance_available").wait(DBInstanceIdentifier=...)``, which
advances the simulated clock.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ..rds.aurora import DBCluster, DBClusterSnapshot
from ..rds.engines import ENGINES, INSTANCE_CLASSES
from ..rds.instances import DBInstance, DBSubnetGroup
from ..rds.snapshots import DBSnapshot
from .base import BaseClient, ParamValidationError, check_type, from_tags, paginate_list, to_tags

__all__ = ["RDSClient"]

#: boto3 class name -> error code, for the codes awskit raises
_EXCEPTION_NAMES = {
    "DBInstanceNotFoundFault": "DBInstanceNotFound", "DBInstanceAlreadyExistsFault": "DBInstanceAlreadyExists",
    "DBSnapshotNotFoundFault": "DBSnapshotNotFound", "DBSnapshotAlreadyExistsFault": "DBSnapshotAlreadyExists",
    "DBSubnetGroupNotFoundFault": "DBSubnetGroupNotFoundFault",
    "DBSubnetGroupAlreadyExistsFault": "DBSubnetGroupAlreadyExists",
    "DBSubnetGroupDoesNotCoverEnoughAZs": "DBSubnetGroupDoesNotCoverEnoughAZs",
    "DBClusterNotFoundFault": "DBClusterNotFoundFault", "DBClusterAlreadyExistsFault": "DBClusterAlreadyExistsFault",
    "InvalidDBInstanceStateFault": "InvalidDBInstanceState", "InvalidDBClusterStateFault": "InvalidDBClusterStateFault",
    "InvalidDBSnapshotStateFault": "InvalidDBSnapshotState", "PointInTimeRestoreNotEnabledFault":
    "PointInTimeRestoreNotEnabled", "InvalidRestoreFault": "InvalidRestoreFault", "InvalidSubnet": "InvalidSubnet",
    "InvalidVPCNetworkStateFault": "InvalidVPCNetworkStateFault", "InstanceQuotaExceededFault": "InstanceQuotaExceeded",
    "InvalidDBSubnetGroupStateFault": "InvalidDBSubnetGroupStateFault",
    "DBClusterSnapshotAlreadyExistsFault": "DBClusterSnapshotAlreadyExistsFault",
}


def _status(key: str, ok: str, gone: tuple[str, ...] = ()):
    def predicate(resp: dict) -> Any:
        items = resp.get(key) or []
        states = [i.get("DBInstanceStatus") or i.get("Status") for i in items]
        if states and all(s == ok for s in states):
            return True
        if any(s in gone for s in states):
            return "failure"
        return False
    return predicate


class RDSClient(BaseClient):
    """Amazon RDS and Aurora through boto3's calls.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=3)
    >>> rds = cloud.client("rds")
    >>> r = rds.create_db_instance(DBInstanceIdentifier="shop", Engine="postgres", DBInstanceClass="db.t3.micro",
    ...     AllocatedStorage=20, MasterUsername="app", MasterUserPassword="app-pass-123")
    >>> r["DBInstance"]["DBInstanceStatus"]
    'creating'
    >>> rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier="shop")
    >>> rds.describe_db_instances(DBInstanceIdentifier="shop")["DBInstances"][0]["Endpoint"]["Port"]
    5432
    """

    service_name = "rds"
    error_codes = tuple(sorted(set(_EXCEPTION_NAMES.values()) | {
        "InvalidParameterValue", "InvalidParameterCombination", "UnsupportedDBEngineVersion",
        "DBInstanceAutomatedBackupNotFound"}))
    waiters: ClassVar[dict] = {
        "db_instance_available": ("describe_db_instances", _status("DBInstances", "available", ("deleting",)), 30, 60),
        "db_instance_deleted": ("_probe_instance", lambda r: r["gone"], 30, 60),
        "db_snapshot_available": ("describe_db_snapshots", _status("DBSnapshots", "available"), 30, 60),
        "db_snapshot_completed": ("describe_db_snapshots", _status("DBSnapshots", "available"), 15, 40),
        "db_cluster_available": ("describe_db_clusters", _status("DBClusters", "available", ("deleting",)), 30, 60),
        "db_cluster_deleted": ("_probe_cluster", lambda r: r["gone"], 30, 60),
    }
    paginators: ClassVar[dict] = {
        "describe_db_instances": ("Marker", "Marker", "MaxRecords", ("DBInstances",)),
        "describe_db_snapshots": ("Marker", "Marker", "MaxRecords", ("DBSnapshots",)),
        "describe_db_subnet_groups": ("Marker", "Marker", "MaxRecords", ("DBSubnetGroups",)),
        "describe_db_clusters": ("Marker", "Marker", "MaxRecords", ("DBClusters",)),
        "describe_events": ("Marker", "Marker", "MaxRecords", ("Events",)),
        "describe_db_engine_versions": ("Marker", "Marker", "MaxRecords", ("DBEngineVersions",)),
        "describe_orderable_db_instance_options": ("Marker", "Marker", "MaxRecords", ("OrderableDBInstanceOptions",)),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._rds = self._region.rds
        for name, code in _EXCEPTION_NAMES.items():
            setattr(self.exceptions, name, self.exceptions.from_code(code))

    def _error(self, err, operation: str):
        # boto3 spells the operations with "DB" (DescribeDBInstances), not "Db"
        return super()._error(err, operation.replace("Db", "DB"))

    # -- shapes -------------------------------------------------------------------------
    def _dt(self, t: float):
        return self._cloud.clock.to_datetime(t)

    def _group(self, g: DBSubnetGroup) -> dict:
        return {"DBSubnetGroupName": g.name, "DBSubnetGroupDescription": g.description, "VpcId": g.vpc.id,
                "SubnetGroupStatus": "Complete", "DBSubnetGroupArn": g.arn,
                "Subnets": [{"SubnetIdentifier": s.id, "SubnetAvailabilityZone": {"Name": s.availability_zone.name},
                             "SubnetOutpost": {}, "SubnetStatus": "Active"} for s in g.subnets],
                "SupportedNetworkTypes": ["IPV4"]}

    def _instance(self, d: DBInstance) -> dict:
        fam = d.engine.family + (d.engine_version.split(".")[0] if not d.engine.aurora else "")
        out: dict[str, Any] = {
            "DBInstanceIdentifier": d.id, "DBInstanceClass": d.instance_class.name, "Engine": d.engine.name,
            "DBInstanceStatus": d.status.value, "MasterUsername": d.master_username,
            "AllocatedStorage": d.allocated_storage, "PreferredBackupWindow": d.backup_window.text,
            "BackupRetentionPeriod": d.backup_retention_period, "DBSecurityGroups": [],
            "VpcSecurityGroups": [{"VpcSecurityGroupId": g.id, "Status": "active"} for g in d.security_groups],
            "DBParameterGroups": [{"DBParameterGroupName": f"default.{fam}", "ParameterApplyStatus": "in-sync"}],
            "AvailabilityZone": d.az, "DBSubnetGroup": self._group(d.subnet_group),
            "PreferredMaintenanceWindow": d.maintenance_window.text,
            "PendingModifiedValues": {k: (v.name if hasattr(v, "vcpu") else v) for k, v in d.pending.items()},
            "MultiAZ": d.multi_az, "EngineVersion": d.engine_version, "AutoMinorVersionUpgrade": True,
            "ReadReplicaDBInstanceIdentifiers": [r.id for r in d.replicas], "LicenseModel": d.license_model,
            "OptionGroupMemberships": [{"OptionGroupName": f"default:{d.engine.name}", "Status": "in-sync"}],
            "PubliclyAccessible": d.publicly_accessible, "StorageType": d.storage_type, "DbInstancePort": 0,
            "StorageEncrypted": d.storage_encrypted, "DbiResourceId": d.resource_id,
            "CACertificateIdentifier": "rds-ca-rsa2048-g1", "DomainMemberships": [], "CopyTagsToSnapshot": False,
            "MonitoringInterval": 0, "DBInstanceArn": d.arn, "IAMDatabaseAuthenticationEnabled": False,
            "DeletionProtection": d.deletion_protection, "AssociatedRoles": [], "TagList": to_tags(d.tags),
            "EnabledCloudwatchLogsExports": [],
        }
        if d.status.value != "creating":   # AWS shows the endpoint and create time once the instance exists
            out["Endpoint"] = dict(d.endpoint)
            out["InstanceCreateTime"] = self._dt(d.created)
        if d.db_name:
            out["DBName"] = d.db_name
        if d.multi_az and d.secondary_az:
            out["SecondaryAvailabilityZone"] = d.secondary_az
        if d.storage_encrypted:
            out["KmsKeyId"] = d.kms_key_id
        if d.source is not None:
            out["ReadReplicaSourceDBInstanceIdentifier"] = d.source.id
            out["StatusInfos"] = [{"StatusType": "read replication", "Normal": True, "Status": "replicating"}]
        if d.cluster is not None:
            out["DBClusterIdentifier"] = d.cluster.id
            out["PromotionTier"] = d.promotion_tier
        window = self._rds.restorable_window(d) if d.cluster is None and not d.deleted else None
        if window is not None:
            out["LatestRestorableTime"] = self._dt(window[1])
        return out

    def _snapshot(self, s: DBSnapshot) -> dict:
        out = {"DBSnapshotIdentifier": s.id, "DBInstanceIdentifier": s.instance_id,
               "SnapshotCreateTime": self._dt(s.created), "Engine": s.engine.name,
               "AllocatedStorage": s.allocated_storage, "Status": s.status.value, "Port": s.port,
               "AvailabilityZone": s.az, "VpcId": s.vpc_id, "InstanceCreateTime": self._dt(s.created),
               "MasterUsername": s.master_username, "EngineVersion": s.engine_version,
               "LicenseModel": s.license_model, "SnapshotType": s.snapshot_type,
               "PercentProgress": 100 if s.status.value == "available" else 0, "StorageType": s.storage_type,
               "Encrypted": s.encrypted, "DBSnapshotArn": s.arn, "IAMDatabaseAuthenticationEnabled": False,
               "DbiResourceId": s.dbi_resource_id, "TagList": to_tags(s.tags),
               "OriginalSnapshotCreateTime": self._dt(s.created)}
        if s.encrypted:
            out["KmsKeyId"] = s.kms_key_id
        if s.source_snapshot:
            out["SourceDBSnapshotIdentifier"] = s.source_snapshot
            out["SourceRegion"] = self._region.name
        return out

    def _cluster(self, c: DBCluster) -> dict:
        window = self._rds.cluster_restorable_window(c)
        out = {"DBClusterIdentifier": c.id, "DBClusterArn": c.arn, "DbClusterResourceId": c.resource_id,
               "Status": c.status.value, "Engine": c.engine.name, "EngineVersion": c.engine_version,
               "EngineMode": "provisioned", "MasterUsername": c.master_username, "Port": c.port,
               "AvailabilityZones": list(c.availability_zones), "BackupRetentionPeriod": c.backup_retention_period,
               "PreferredBackupWindow": c.backup_window.text, "PreferredMaintenanceWindow": c.maintenance_window.text,
               "Endpoint": c.endpoint_address, "ReaderEndpoint": c.reader_endpoint_address,
               "HostedZoneId": "Z2R2ITUGPM61AM", "MultiAZ": len({m.az for m in c.members}) > 1,
               "DBSubnetGroup": c.subnet_group.name, "DBClusterParameterGroup": f"default.{c.engine.family}",
               "VpcSecurityGroups": [{"VpcSecurityGroupId": g.id, "Status": "active"} for g in c.security_groups],
               "DBClusterMembers": [{"DBInstanceIdentifier": m.id, "IsClusterWriter": m is c.writer,
                                     "DBClusterParameterGroupStatus": "in-sync", "PromotionTier": m.promotion_tier}
                                    for m in c.members],
               "StorageEncrypted": c.storage_encrypted, "DeletionProtection": c.deletion_protection,
               "ClusterCreateTime": self._dt(c.created), "AllocatedStorage": 1, "StorageType": "aurora",
               "IAMDatabaseAuthenticationEnabled": False, "CopyTagsToSnapshot": False, "CrossAccountClone": False,
               "AssociatedRoles": [], "DomainMemberships": [], "TagList": to_tags(c.tags),
               "ReadReplicaIdentifiers": [], "HttpEndpointEnabled": False, "NetworkType": "IPV4"}
        if c.db_name:
            out["DatabaseName"] = c.db_name
        if c.storage_encrypted:
            out["KmsKeyId"] = c.kms_key_id
        if window is not None:
            out["EarliestRestorableTime"] = self._dt(window[0])
            out["LatestRestorableTime"] = self._dt(window[1])
        return out

    def _cluster_snapshot(self, s: DBClusterSnapshot) -> dict:
        return {"DBClusterSnapshotIdentifier": s.id, "DBClusterIdentifier": s.cluster_id,
                "SnapshotCreateTime": self._dt(s.created), "Engine": s.engine.name, "EngineVersion": s.engine_version,
                "Status": s.status, "Port": s.port, "VpcId": s.vpc_id, "MasterUsername": s.master_username,
                "SnapshotType": s.snapshot_type, "StorageEncrypted": s.encrypted, "DBClusterSnapshotArn": s.arn,
                "PercentProgress": 100, "AllocatedStorage": 1, "TagList": []}

    # -- paging ---------------------------------------------------------------------------
    @staticmethod
    def _page(items: list, marker: Any, max_records: Any) -> tuple[list, str | None]:
        if max_records is not None:
            check_type("MaxRecords", max_records, int)
            if not 20 <= max_records <= 100:
                raise InvalidParameter("InvalidParameterValue",
                                       f"MaxRecords must be between 20 and 100, not {max_records}.")
        return paginate_list(items, marker, max_records, default=100, maximum=100)

    # -- subnet groups ---------------------------------------------------------------------
    def create_db_subnet_group(self, *, DBSubnetGroupName: str, DBSubnetGroupDescription: str,
                               SubnetIds: list[str], Tags: list | None = None) -> dict:
        check_type("SubnetIds", SubnetIds, list)
        g = self._rds.create_db_subnet_group(DBSubnetGroupName, DBSubnetGroupDescription, SubnetIds,
                                             tags=from_tags(Tags))
        return {"DBSubnetGroup": self._group(g)}

    def describe_db_subnet_groups(self, *, DBSubnetGroupName: str | None = None, Filters: list | None = None,
                                  MaxRecords: int | None = None, Marker: str | None = None) -> dict:
        groups = ([self._rds.get_db_subnet_group(DBSubnetGroupName)] if DBSubnetGroupName
                  else self._rds.db_subnet_groups)
        page, nxt = self._page(groups, Marker, MaxRecords)
        out: dict[str, Any] = {"DBSubnetGroups": [self._group(g) for g in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    def delete_db_subnet_group(self, *, DBSubnetGroupName: str) -> dict:
        self._rds.delete_db_subnet_group(DBSubnetGroupName)
        return {}

    # -- instances -------------------------------------------------------------------------
    def create_db_instance(self, *, DBInstanceIdentifier: str, DBInstanceClass: str, Engine: str,
                           AllocatedStorage: int | None = None, MasterUsername: str | None = None,
                           MasterUserPassword: str | None = None, DBName: str | None = None,
                           EngineVersion: str | None = None, LicenseModel: str | None = None, Port: int | None = None,
                           DBSubnetGroupName: str | None = None, VpcSecurityGroupIds: list | None = None,
                           AvailabilityZone: str | None = None, PubliclyAccessible: bool | None = None,
                           MultiAZ: bool | None = None, BackupRetentionPeriod: int | None = None,
                           PreferredBackupWindow: str | None = None, PreferredMaintenanceWindow: str | None = None,
                           StorageType: str | None = None, StorageEncrypted: bool | None = None,
                           KmsKeyId: str | None = None, DeletionProtection: bool | None = None,
                           Tags: list | None = None, DBClusterIdentifier: str | None = None,
                           PromotionTier: int | None = None, AutoMinorVersionUpgrade: bool | None = None,
                           CopyTagsToSnapshot: bool | None = None) -> dict:
        d = self._rds.create_db_instance(
            DBInstanceIdentifier, engine=Engine, instance_class=DBInstanceClass, allocated_storage=AllocatedStorage,
            master_username=MasterUsername, master_password=MasterUserPassword, db_name=DBName,
            engine_version=EngineVersion, license_model=LicenseModel, port=Port, subnet_group=DBSubnetGroupName,
            security_groups=VpcSecurityGroupIds, availability_zone=AvailabilityZone,
            publicly_accessible=PubliclyAccessible, multi_az=bool(MultiAZ),
            backup_retention_period=1 if BackupRetentionPeriod is None else BackupRetentionPeriod,
            backup_window=PreferredBackupWindow, maintenance_window=PreferredMaintenanceWindow,
            storage_type=StorageType or "gp2", storage_encrypted=bool(StorageEncrypted), kms_key_id=KmsKeyId,
            deletion_protection=bool(DeletionProtection), tags=from_tags(Tags), cluster=DBClusterIdentifier,
            promotion_tier=1 if PromotionTier is None else PromotionTier)
        return {"DBInstance": self._instance(d)}

    def describe_db_instances(self, *, DBInstanceIdentifier: str | None = None, Filters: list | None = None,
                              MaxRecords: int | None = None, Marker: str | None = None) -> dict:
        items = self._rds.describe_db_instances(DBInstanceIdentifier)
        for flt in Filters or []:
            name, values = flt.get("Name"), flt.get("Values", [])
            getter = {"db-instance-id": lambda d: [d.id, d.arn], "engine": lambda d: [d.engine.name],
                      "db-cluster-id": lambda d: [d.cluster.id if d.cluster else None]}.get(name)
            if getter is None:
                raise InvalidParameter("InvalidParameterValue", f"Unrecognized filter name: {name}. Filters: "
                                                                "db-instance-id, engine, db-cluster-id.")
            items = [d for d in items if set(getter(d)) & set(values)]
        page, nxt = self._page(items, Marker, MaxRecords)
        out: dict[str, Any] = {"DBInstances": [self._instance(d) for d in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    def _probe_instance(self, DBInstanceIdentifier: str, **_: Any) -> dict:
        try:
            self._rds.get_db_instance(DBInstanceIdentifier)
        except LookupError:
            return {"gone": True}
        return {"gone": False}

    def _probe_cluster(self, DBClusterIdentifier: str, **_: Any) -> dict:
        try:
            self._rds.get_db_cluster(DBClusterIdentifier)
        except LookupError:
            return {"gone": True}
        return {"gone": False}

    def modify_db_instance(self, *, DBInstanceIdentifier: str, DBInstanceClass: str | None = None,
                           AllocatedStorage: int | None = None, MultiAZ: bool | None = None,
                           BackupRetentionPeriod: int | None = None, PreferredBackupWindow: str | None = None,
                           PreferredMaintenanceWindow: str | None = None, MasterUserPassword: str | None = None,
                           DeletionProtection: bool | None = None, VpcSecurityGroupIds: list | None = None,
                           ApplyImmediately: bool | None = None) -> dict:
        d = self._rds.modify_db_instance(
            DBInstanceIdentifier, instance_class=DBInstanceClass, allocated_storage=AllocatedStorage, multi_az=MultiAZ,
            backup_retention_period=BackupRetentionPeriod, backup_window=PreferredBackupWindow,
            maintenance_window=PreferredMaintenanceWindow, master_password=MasterUserPassword,
            deletion_protection=DeletionProtection, security_groups=VpcSecurityGroupIds,
            apply_immediately=bool(ApplyImmediately))
        return {"DBInstance": self._instance(d)}

    def delete_db_instance(self, *, DBInstanceIdentifier: str, SkipFinalSnapshot: bool | None = None,
                           FinalDBSnapshotIdentifier: str | None = None,
                           DeleteAutomatedBackups: bool | None = None) -> dict:
        d = self._rds.delete_db_instance(DBInstanceIdentifier, skip_final_snapshot=bool(SkipFinalSnapshot),
                                         final_snapshot_identifier=FinalDBSnapshotIdentifier,
                                         delete_automated_backups=True if DeleteAutomatedBackups is None
                                         else DeleteAutomatedBackups)
        return {"DBInstance": self._instance(d)}

    def reboot_db_instance(self, *, DBInstanceIdentifier: str, ForceFailover: bool | None = None) -> dict:
        d = self._rds.reboot_db_instance(DBInstanceIdentifier, force_failover=bool(ForceFailover))
        return {"DBInstance": self._instance(d)}

    def create_db_instance_read_replica(self, *, DBInstanceIdentifier: str, SourceDBInstanceIdentifier: str,
                                        DBInstanceClass: str | None = None, AvailabilityZone: str | None = None,
                                        PubliclyAccessible: bool | None = None, Tags: list | None = None) -> dict:
        d = self._rds.create_db_instance_read_replica(DBInstanceIdentifier, SourceDBInstanceIdentifier,
                                                      instance_class=DBInstanceClass,
                                                      availability_zone=AvailabilityZone,
                                                      publicly_accessible=PubliclyAccessible, tags=from_tags(Tags))
        return {"DBInstance": self._instance(d)}

    def promote_read_replica(self, *, DBInstanceIdentifier: str, BackupRetentionPeriod: int | None = None,
                             PreferredBackupWindow: str | None = None) -> dict:
        d = self._rds.promote_read_replica(DBInstanceIdentifier,
                                           backup_retention_period=1 if BackupRetentionPeriod is None
                                           else BackupRetentionPeriod, backup_window=PreferredBackupWindow)
        return {"DBInstance": self._instance(d)}

    # -- snapshots and restores -----------------------------------------------------------
    def create_db_snapshot(self, *, DBSnapshotIdentifier: str, DBInstanceIdentifier: str,
                           Tags: list | None = None) -> dict:
        s = self._rds.create_db_snapshot(DBInstanceIdentifier, DBSnapshotIdentifier, tags=from_tags(Tags))
        return {"DBSnapshot": self._snapshot(s)}

    def describe_db_snapshots(self, *, DBInstanceIdentifier: str | None = None, DBSnapshotIdentifier: str | None = None,
                              SnapshotType: str | None = None, MaxRecords: int | None = None,
                              Marker: str | None = None) -> dict:
        if DBInstanceIdentifier is not None and DBSnapshotIdentifier is None:
            DBInstanceIdentifier = DBInstanceIdentifier.lower()
        items = self._rds.describe_db_snapshots(DBInstanceIdentifier, DBSnapshotIdentifier, snapshot_type=SnapshotType)
        page, nxt = self._page(items, Marker, MaxRecords)
        out: dict[str, Any] = {"DBSnapshots": [self._snapshot(s) for s in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    def delete_db_snapshot(self, *, DBSnapshotIdentifier: str) -> dict:
        s = self._rds.delete_db_snapshot(DBSnapshotIdentifier)
        out = self._snapshot(s)
        out["Status"] = "deleted"
        return {"DBSnapshot": out}

    def copy_db_snapshot(self, *, SourceDBSnapshotIdentifier: str, TargetDBSnapshotIdentifier: str,
                         KmsKeyId: str | None = None, CopyTags: bool | None = None, Tags: list | None = None) -> dict:
        s = self._rds.copy_db_snapshot(SourceDBSnapshotIdentifier.split(":snapshot:")[-1], TargetDBSnapshotIdentifier,
                                       kms_key_id=KmsKeyId, copy_tags=bool(CopyTags), tags=from_tags(Tags))
        return {"DBSnapshot": self._snapshot(s)}

    @staticmethod
    def _overrides(**kw: Any) -> dict:
        return {k: v for k, v in kw.items() if v is not None}

    def restore_db_instance_from_db_snapshot(self, *, DBInstanceIdentifier: str, DBSnapshotIdentifier: str,
                                             DBInstanceClass: str | None = None, DBSubnetGroupName: str | None = None,
                                             VpcSecurityGroupIds: list | None = None, MultiAZ: bool | None = None,
                                             AvailabilityZone: str | None = None, PubliclyAccessible: bool | None = None,
                                             Port: int | None = None, Tags: list | None = None) -> dict:
        d = self._rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier, DBSnapshotIdentifier, **self._overrides(
            instance_class=DBInstanceClass, subnet_group=DBSubnetGroupName, security_groups=VpcSecurityGroupIds,
            multi_az=MultiAZ, availability_zone=AvailabilityZone, publicly_accessible=PubliclyAccessible, port=Port,
            tags=from_tags(Tags) if Tags else None))
        return {"DBInstance": self._instance(d)}

    def restore_db_instance_to_point_in_time(self, *, TargetDBInstanceIdentifier: str,
                                             SourceDBInstanceIdentifier: str | None = None, RestoreTime: Any = None,
                                             UseLatestRestorableTime: bool | None = None,
                                             DBInstanceClass: str | None = None, DBSubnetGroupName: str | None = None,
                                             VpcSecurityGroupIds: list | None = None, MultiAZ: bool | None = None,
                                             AvailabilityZone: str | None = None, PubliclyAccessible: bool | None = None,
                                             Port: int | None = None, Tags: list | None = None) -> dict:
        if SourceDBInstanceIdentifier is None:
            raise ParamValidationError("SourceDBInstanceIdentifier is required (awskit models restores from a "
                                       "live instance's automated backups).")
        d = self._rds.restore_db_instance_to_point_in_time(
            SourceDBInstanceIdentifier, TargetDBInstanceIdentifier, restore_time=RestoreTime,
            use_latest_restorable_time=bool(UseLatestRestorableTime), **self._overrides(
                instance_class=DBInstanceClass, subnet_group=DBSubnetGroupName, security_groups=VpcSecurityGroupIds,
                multi_az=MultiAZ, availability_zone=AvailabilityZone, publicly_accessible=PubliclyAccessible,
                port=Port, tags=from_tags(Tags) if Tags else None))
        return {"DBInstance": self._instance(d)}

    # -- catalogs and events ---------------------------------------------------------------
    def describe_db_engine_versions(self, *, Engine: str | None = None, EngineVersion: str | None = None,
                                    DefaultOnly: bool | None = None, MaxRecords: int | None = None,
                                    Marker: str | None = None) -> dict:
        rows = []
        for eng in ENGINES.values():
            if Engine is not None and eng.name != Engine:
                continue
            for v in eng.versions:
                if EngineVersion is not None and not (v == EngineVersion or v.startswith(EngineVersion + ".")):
                    continue
                if DefaultOnly and v != eng.default_version:
                    continue
                fam = eng.family + (v.split(".")[0] if not eng.aurora else "")
                rows.append({"Engine": eng.name, "EngineVersion": v, "DBParameterGroupFamily": fam,
                             "DBEngineDescription": eng.description,
                             "DBEngineVersionDescription": f"{eng.description} {v}",
                             "SupportedEngineModes": ["provisioned"], "Status": "available",
                             "SupportsReadReplica": not eng.name.startswith("sqlserver-ex")})
        page, nxt = self._page(rows, Marker, MaxRecords)
        out: dict[str, Any] = {"DBEngineVersions": page}
        if nxt:
            out["Marker"] = nxt
        return out

    def describe_orderable_db_instance_options(self, *, Engine: str, EngineVersion: str | None = None,
                                               DBInstanceClass: str | None = None, LicenseModel: str | None = None,
                                               MaxRecords: int | None = None, Marker: str | None = None) -> dict:
        from ..rds.engines import get_engine

        eng = get_engine(Engine)
        azs = [{"Name": a.name} for a in self._region.availability_zones]
        rows = []
        for v in eng.versions:
            if EngineVersion is not None and v != EngineVersion:
                continue
            for cls in INSTANCE_CLASSES.values():
                if (DBInstanceClass is not None and cls.name != DBInstanceClass) or (eng.aurora and not cls.aurora_hourly):
                    continue
                for lic in eng.license_models:
                    if LicenseModel is not None and lic != LicenseModel:
                        continue
                    rows.append({"Engine": eng.name, "EngineVersion": v, "DBInstanceClass": cls.name,
                                 "LicenseModel": lic, "AvailabilityZones": azs, "MultiAZCapable": not eng.aurora,
                                 "ReadReplicaCapable": True, "Vpc": True, "SupportsStorageEncryption": True,
                                 "StorageType": "aurora" if eng.aurora else "gp2",
                                 "MinStorageSize": eng.storage_gib[0], "MaxStorageSize": eng.storage_gib[1]})
        page, nxt = self._page(rows, Marker, MaxRecords)
        out: dict[str, Any] = {"OrderableDBInstanceOptions": page}
        if nxt:
            out["Marker"] = nxt
        return out

    def describe_events(self, *, SourceIdentifier: str | None = None, SourceType: str | None = None,
                        StartTime: Any = None, Duration: int | None = None, MaxRecords: int | None = None,
                        Marker: str | None = None) -> dict:
        since = self._rds._as_seconds(StartTime) if StartTime is not None else \
            self._cloud.clock.now - (Duration if Duration is not None else 60) * 60
        events = [e for e in self._rds.describe_events(SourceIdentifier, since=since)
                  if SourceType is None or e.source_type == SourceType]
        page, nxt = self._page(events, Marker, MaxRecords)
        out: dict[str, Any] = {"Events": [{"SourceIdentifier": e.source_id, "SourceType": e.source_type,
                                           "Message": e.message, "EventCategories": e.categories,
                                           "Date": self._dt(e.time), "SourceArn": e.source_arn} for e in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    # -- Aurora clusters -------------------------------------------------------------------
    def create_db_cluster(self, *, DBClusterIdentifier: str, Engine: str, MasterUsername: str | None = None,
                          MasterUserPassword: str | None = None, DatabaseName: str | None = None,
                          EngineVersion: str | None = None, Port: int | None = None,
                          DBSubnetGroupName: str | None = None, VpcSecurityGroupIds: list | None = None,
                          AvailabilityZones: list | None = None, BackupRetentionPeriod: int | None = None,
                          PreferredBackupWindow: str | None = None, PreferredMaintenanceWindow: str | None = None,
                          StorageEncrypted: bool | None = None, KmsKeyId: str | None = None,
                          DeletionProtection: bool | None = None, Tags: list | None = None) -> dict:
        if MasterUsername is None or MasterUserPassword is None:
            raise InvalidParameter("InvalidParameterValue", "MasterUsername and MasterUserPassword are required "
                                                            "for a new cluster.")
        c = self._rds.create_db_cluster(
            DBClusterIdentifier, engine=Engine, master_username=MasterUsername, master_password=MasterUserPassword,
            db_name=DatabaseName, engine_version=EngineVersion, port=Port, subnet_group=DBSubnetGroupName,
            security_groups=VpcSecurityGroupIds, availability_zones=AvailabilityZones,
            backup_retention_period=1 if BackupRetentionPeriod is None else BackupRetentionPeriod,
            backup_window=PreferredBackupWindow, maintenance_window=PreferredMaintenanceWindow,
            storage_encrypted=bool(StorageEncrypted), kms_key_id=KmsKeyId,
            deletion_protection=bool(DeletionProtection), tags=from_tags(Tags))
        return {"DBCluster": self._cluster(c)}

    def describe_db_clusters(self, *, DBClusterIdentifier: str | None = None, MaxRecords: int | None = None,
                             Marker: str | None = None) -> dict:
        items = self._rds.describe_db_clusters(DBClusterIdentifier)
        page, nxt = self._page(items, Marker, MaxRecords)
        out: dict[str, Any] = {"DBClusters": [self._cluster(c) for c in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    def delete_db_cluster(self, *, DBClusterIdentifier: str, SkipFinalSnapshot: bool | None = None,
                          FinalDBSnapshotIdentifier: str | None = None) -> dict:
        c = self._rds.delete_db_cluster(DBClusterIdentifier, skip_final_snapshot=bool(SkipFinalSnapshot),
                                        final_snapshot_identifier=FinalDBSnapshotIdentifier)
        return {"DBCluster": self._cluster(c)}

    def failover_db_cluster(self, *, DBClusterIdentifier: str, TargetDBInstanceIdentifier: str | None = None) -> dict:
        c = self._rds.failover_db_cluster(DBClusterIdentifier, target=TargetDBInstanceIdentifier)
        return {"DBCluster": self._cluster(c)}

    def create_db_cluster_snapshot(self, *, DBClusterSnapshotIdentifier: str, DBClusterIdentifier: str,
                                   Tags: list | None = None) -> dict:
        s = self._rds.create_db_cluster_snapshot(DBClusterIdentifier, DBClusterSnapshotIdentifier)
        return {"DBClusterSnapshot": self._cluster_snapshot(s)}

    def describe_db_cluster_snapshots(self, *, DBClusterIdentifier: str | None = None,
                                      MaxRecords: int | None = None, Marker: str | None = None) -> dict:
        items = self._rds.describe_db_cluster_snapshots(DBClusterIdentifier)
        page, nxt = self._page(items, Marker, MaxRecords)
        out: dict[str, Any] = {"DBClusterSnapshots": [self._cluster_snapshot(s) for s in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    def restore_db_cluster_to_point_in_time(self, *, DBClusterIdentifier: str, SourceDBClusterIdentifier: str,
                                            RestoreToTime: Any = None, UseLatestRestorableTime: bool | None = None,
                                            DBSubnetGroupName: str | None = None) -> dict:
        c = self._rds.restore_db_cluster_to_point_in_time(
            SourceDBClusterIdentifier, DBClusterIdentifier, restore_time=RestoreToTime,
            use_latest_restorable_time=bool(UseLatestRestorableTime), subnet_group=DBSubnetGroupName)
        return {"DBCluster": self._cluster(c)}
