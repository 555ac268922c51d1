"""boto3-shaped ``client("redshift")`` over :mod:`awskit.redshift`."""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ..redshift import Cluster, Snapshot
from .base import BaseClient, check_type, from_tags, paginate_list, to_tags

__all__ = ["RedshiftClient"]

_AVAILABILITY = {"available": "Available", "creating": "Unavailable", "resizing": "Modifying",
                 "pausing": "Modifying", "paused": "Paused", "resuming": "Modifying", "deleting": "Unavailable",
                 "final-snapshot": "Unavailable"}


def _status(want: str, gone_ok: bool = False):
    def pred(resp: dict):
        clusters = resp.get("Clusters", [])
        if not clusters:
            return gone_ok
        status = clusters[0]["ClusterStatus"]
        if status == want:
            return True
        if want == "available" and status == "deleting":
            return "failure"
        return False
    return pred


class RedshiftClient(BaseClient):
    """``cloud.client("redshift")``: clusters, snapshots and subnet groups, as boto3 shapes them."""

    service_name = "redshift"
    error_codes = ("ClusterNotFound", "ClusterAlreadyExists", "ClusterSnapshotNotFound",
                   "ClusterSnapshotAlreadyExists", "InvalidClusterState", "InvalidClusterSnapshotState",
                   "InvalidParameterValue", "InvalidParameterCombination", "UnsupportedOperation",
                   "NumberOfNodesPerClusterLimitExceeded", "ClusterSubnetGroupNotFoundFault",
                   "ClusterSubnetGroupAlreadyExists", "InvalidClusterSubnetGroupStateFault", "InvalidSubnet")
    waiters: ClassVar[dict] = {
        "cluster_available": ("describe_clusters", _status("available"), 60, 30),
        "cluster_deleted": ("_clusters_gone", _status("__gone__", gone_ok=True), 60, 30),
        "cluster_restored": ("describe_clusters", _status("available"), 60, 30),
        "snapshot_available": ("describe_cluster_snapshots",
                               lambda r: bool(r.get("Snapshots")) and all(
                                   s["Status"] == "available" for s in r["Snapshots"]), 15, 20),
    }
    paginators: ClassVar[dict] = {
        "describe_clusters": ("Marker", "Marker", "MaxRecords", ("Clusters",)),
        "describe_cluster_snapshots": ("Marker", "Marker", "MaxRecords", ("Snapshots",)),
    }

    @property
    def _svc(self):
        return self._region.redshift

    # -- shapes ------------------------------------------------------------------------
    def _cluster(self, c: Cluster) -> dict[str, Any]:
        clock = self._cloud.clock
        out: dict[str, Any] = {
            "ClusterIdentifier": c.id, "NodeType": c.node_type.name, "ClusterStatus": c.status.value,
            "ClusterAvailabilityStatus": _AVAILABILITY[c.status.value], "MasterUsername": c.master_username,
            "DBName": c.db_name, "ClusterCreateTime": clock.to_datetime(c.created),
            "AutomatedSnapshotRetentionPeriod": c.automated_snapshot_retention_period,
            "ManualSnapshotRetentionPeriod": -1, "ClusterSecurityGroups": [],
            "VpcSecurityGroups": [{"VpcSecurityGroupId": g.id, "Status": "active"} for g in c.security_groups],
            "ClusterParameterGroups": [{"ParameterGroupName": "default.redshift-1.0",
                                        "ParameterApplyStatus": "in-sync"}],
            "ClusterSubnetGroupName": c.subnet_group.name if c.subnet_group else "default",
            "VpcId": c.vpc.id if c.vpc is not None else "", "AvailabilityZone": c.availability_zone,
            "PreferredMaintenanceWindow": "sun:05:00-sun:05:30", "PendingModifiedValues": {},
            "ClusterVersion": "1.0", "AllowVersionUpgrade": True, "NumberOfNodes": c.number_of_nodes,
            "PubliclyAccessible": c.publicly_accessible, "Encrypted": c.encrypted,
            "ClusterNodes": [{"NodeRole": n.role, "PrivateIPAddress": n.private_ip,
                              **({"PublicIPAddress": n.public_ip} if n.public_ip else {})} for n in c.nodes],
            "Tags": to_tags(c.tags), "EnhancedVpcRouting": False,
            "IamRoles": [{"IamRoleArn": r, "ApplyStatus": "in-sync"} for r in c.iam_roles],
            "ClusterNamespaceArn": self._cloud.arn("redshift", f"namespace:{c.id}", c.region),
            "TotalStorageCapacityInMegaBytes": c.node_type.storage_gb * 1024 * c.number_of_nodes,
        }
        if c.endpoint is not None:
            out["Endpoint"] = {"Address": c.endpoint_address, "Port": c.port}
        if c.restored_from:
            out["RestoreStatus"] = {"Status": "completed"}
        return out

    def _snapshot(self, s: Snapshot) -> dict[str, Any]:
        clock = self._cloud.clock
        return {
            "SnapshotIdentifier": s.id, "ClusterIdentifier": s.cluster_identifier,
            "SnapshotCreateTime": clock.to_datetime(s.created), "Status": s.status.value, "Port": s.port,
            "AvailabilityZone": s.availability_zone, "ClusterCreateTime": clock.to_datetime(s.cluster_created),
            "MasterUsername": s.master_username, "ClusterVersion": "1.0", "SnapshotType": s.snapshot_type,
            "NodeType": s.node_type.name, "NumberOfNodes": s.number_of_nodes, "DBName": s.db_name,
            "VpcId": s.vpc_id or "", "Encrypted": s.encrypted, "EnhancedVpcRouting": False,
            "TotalBackupSizeInMegaBytes": round(s.size_bytes / 1_048_576, 3), "Tags": to_tags(s.tags),
            "SnapshotArn": s.arn, "OwnerAccount": self._cloud.account_id,
        }

    # -- clusters -----------------------------------------------------------------------
    def create_cluster(self, *, ClusterIdentifier, NodeType, MasterUsername=None, MasterUserPassword=None,
                       ClusterType=None, NumberOfNodes=None, DBName=None, Port=None,
                       ClusterSubnetGroupName=None, VpcSecurityGroupIds=None, AvailabilityZone=None,
                       Encrypted=None, PubliclyAccessible=None, AutomatedSnapshotRetentionPeriod=None,
                       IamRoles=None, Tags=None, ClusterSecurityGroups=None, ClusterParameterGroupName=None,
                       ClusterVersion=None, AllowVersionUpgrade=None, KmsKeyId=None,
                       EnhancedVpcRouting=None, PreferredMaintenanceWindow=None, ManageMasterPassword=None):
        check_type("ClusterIdentifier", ClusterIdentifier, str)
        check_type("NodeType", NodeType, str)
        if MasterUsername is None:
            raise InvalidParameter("InvalidParameterValue", "MasterUsername is required (e.g. 'awsuser').")
        if MasterUserPassword is None:
            raise InvalidParameter("InvalidParameterValue",
                                   "MasterUserPassword is required (ManageMasterPassword is not modelled).")
        if NumberOfNodes is not None:
            check_type("NumberOfNodes", NumberOfNodes, int)
        # AWS's default ClusterType is multi-node, which needs NumberOfNodes >= 2.
        ctype = ClusterType if ClusterType is not None else "multi-node"
        c = self._svc.create_cluster(
            ClusterIdentifier, node_type=NodeType, master_username=MasterUsername,
            master_user_password=MasterUserPassword, number_of_nodes=NumberOfNodes, cluster_type=ctype,
            db_name="dev" if DBName is None else DBName, port=5439 if Port is None else Port,
            cluster_subnet_group_name=ClusterSubnetGroupName, vpc_security_group_ids=VpcSecurityGroupIds,
            availability_zone=AvailabilityZone, encrypted=bool(Encrypted),
            publicly_accessible=bool(PubliclyAccessible),
            automated_snapshot_retention_period=1 if AutomatedSnapshotRetentionPeriod is None
            else AutomatedSnapshotRetentionPeriod, iam_roles=IamRoles, tags=from_tags(Tags))
        return {"Cluster": self._cluster(c)}

    def describe_clusters(self, *, ClusterIdentifier=None, MaxRecords=None, Marker=None, TagKeys=None,
                          TagValues=None):
        clusters = self._svc.describe_clusters(ClusterIdentifier)
        page, marker = paginate_list(clusters, Marker, MaxRecords, default=100, maximum=100)
        out: dict[str, Any] = {"Clusters": [self._cluster(c) for c in page]}
        if marker:
            out["Marker"] = marker
        return out

    def delete_cluster(self, *, ClusterIdentifier, SkipFinalClusterSnapshot=None,
                       FinalClusterSnapshotIdentifier=None, FinalClusterSnapshotRetentionPeriod=None):
        c = self._svc.delete_cluster(ClusterIdentifier, skip_final_snapshot=bool(SkipFinalClusterSnapshot),
                                     final_snapshot_identifier=FinalClusterSnapshotIdentifier)
        return {"Cluster": self._cluster(c)}

    def resize_cluster(self, *, ClusterIdentifier, ClusterType=None, NodeType=None, NumberOfNodes=None,
                       Classic=None):
        c = self._svc.resize_cluster(ClusterIdentifier, number_of_nodes=NumberOfNodes, node_type=NodeType,
                                     cluster_type=ClusterType, classic=bool(Classic))
        return {"Cluster": self._cluster(c)}

    def pause_cluster(self, *, ClusterIdentifier):
        return {"Cluster": self._cluster(self._svc.pause_cluster(ClusterIdentifier))}

    def resume_cluster(self, *, ClusterIdentifier):
        return {"Cluster": self._cluster(self._svc.resume_cluster(ClusterIdentifier))}

    # -- snapshots ----------------------------------------------------------------------
    def create_cluster_snapshot(self, *, SnapshotIdentifier, ClusterIdentifier, Tags=None,
                                ManualSnapshotRetentionPeriod=None):
        s = self._svc.create_cluster_snapshot(SnapshotIdentifier, ClusterIdentifier, tags=from_tags(Tags))
        return {"Snapshot": self._snapshot(s)}

    def describe_cluster_snapshots(self, *, ClusterIdentifier=None, SnapshotIdentifier=None, SnapshotType=None,
                                   MaxRecords=None, Marker=None, OwnerAccount=None, StartTime=None,
                                   EndTime=None, TagKeys=None, TagValues=None):
        snaps = self._svc.describe_cluster_snapshots(cluster=ClusterIdentifier,
                                                     snapshot_identifier=SnapshotIdentifier,
                                                     snapshot_type=SnapshotType)
        page, marker = paginate_list(snaps, Marker, MaxRecords, default=100, maximum=100)
        out: dict[str, Any] = {"Snapshots": [self._snapshot(s) for s in page]}
        if marker:
            out["Marker"] = marker
        return out

    def delete_cluster_snapshot(self, *, SnapshotIdentifier, SnapshotClusterIdentifier=None):
        return {"Snapshot": self._snapshot(self._svc.delete_cluster_snapshot(SnapshotIdentifier))}

    def restore_from_cluster_snapshot(self, *, ClusterIdentifier, SnapshotIdentifier, SnapshotClusterIdentifier=None,
                                      Port=None, AvailabilityZone=None, ClusterSubnetGroupName=None,
                                      PubliclyAccessible=None, VpcSecurityGroupIds=None, NodeType=None,
                                      NumberOfNodes=None, IamRoles=None):
        kw: dict[str, Any] = {}
        if Port is not None:
            kw["port"] = Port
        c = self._svc.restore_from_cluster_snapshot(
            ClusterIdentifier, SnapshotIdentifier, availability_zone=AvailabilityZone,
            cluster_subnet_group_name=ClusterSubnetGroupName, publicly_accessible=bool(PubliclyAccessible),
            vpc_security_group_ids=VpcSecurityGroupIds, iam_roles=IamRoles, **kw)
        return {"Cluster": self._cluster(c)}

    # -- subnet groups ---------------------------------------------------------------------
    def _group(self, g) -> dict[str, Any]:
        return {"ClusterSubnetGroupName": g.name, "Description": g.description, "VpcId": g.vpc.id,
                "SubnetGroupStatus": "Complete",
                "Subnets": [{"SubnetIdentifier": s.id, "SubnetAvailabilityZone": {"Name": s.availability_zone.name},
                             "SubnetStatus": "Active"} for s in g.subnets], "Tags": to_tags(g.tags)}

    def create_cluster_subnet_group(self, *, ClusterSubnetGroupName, Description, SubnetIds, Tags=None):
        g = self._svc.create_cluster_subnet_group(ClusterSubnetGroupName, Description, SubnetIds,
                                                  tags=from_tags(Tags))
        return {"ClusterSubnetGroup": self._group(g)}

    def describe_cluster_subnet_groups(self, *, ClusterSubnetGroupName=None, MaxRecords=None, Marker=None,
                                       TagKeys=None, TagValues=None):
        groups = ([self._svc.get_subnet_group(ClusterSubnetGroupName)] if ClusterSubnetGroupName
                  else list(self._svc.subnet_groups.values()))
        return {"ClusterSubnetGroups": [self._group(g) for g in groups]}

    def delete_cluster_subnet_group(self, *, ClusterSubnetGroupName):
        self._svc.delete_cluster_subnet_group(ClusterSubnetGroupName)
        return {}

    # -- options -------------------------------------------------------------------------
    def describe_orderable_cluster_options(self, *, ClusterVersion=None, NodeType=None, MaxRecords=None,
                                           Marker=None):
        opts = self._svc.describe_orderable_cluster_options(NodeType)
        return {"OrderableClusterOptions": [
            {**o, "AvailabilityZones": [{"Name": a, "SupportedPlatforms": []} for a in o["AvailabilityZones"]]}
            for o in opts]}

    def describe_node_configuration_options(self, *, ActionType, ClusterIdentifier=None, SnapshotIdentifier=None,
                                            SnapshotArn=None, OwnerAccount=None, Filters=None, Marker=None,
                                            MaxRecords=None):
        if ActionType not in ("restore-cluster", "recommend-node-config", "resize-cluster"):
            raise InvalidParameter("InvalidParameterValue", f"ActionType {ActionType!r} must be restore-cluster, "
                                                            "recommend-node-config or resize-cluster.")
        data_gb = 0.0
        if ClusterIdentifier:
            data_gb = self._svc.get_cluster(ClusterIdentifier).data_bytes / 1e9
        elif SnapshotIdentifier:
            data_gb = self._svc.get_snapshot(SnapshotIdentifier).size_bytes / 1e9
        opts = self._svc.describe_node_configuration_options(data_gb)
        return {"NodeConfigurationOptionList": [
            {k: v for k, v in o.items() if k != "HourlyCost"} for o in opts]}

    def _clusters_gone(self, *, ClusterIdentifier=None, **_: Any) -> dict:
        """What the ClusterDeleted waiter polls: no error once the cluster is gone."""
        return {"Clusters": [self._cluster(c) for c in self._svc.clusters.values()
                             if ClusterIdentifier is None or c.id == ClusterIdentifier.lower()]}
