"""Redshift clusters and snapshots: the same boto3 calls against moto and awskit."""

import pytest

from .conftest import error_code, keys, moto_differs

pytestmark = pytest.mark.conformance

BASE = {"NodeType": "dc2.large", "MasterUsername": "awsuser", "MasterUserPassword": "Secret123"}


def create(rs, ident="dw", **kw):
    args = dict(BASE, ClusterIdentifier=ident, ClusterType="multi-node", NumberOfNodes=2)
    args.update(kw)
    return rs.create_cluster(**args)


def test_create_cluster_shape(client):
    c = create(client("redshift"))["Cluster"]
    assert {"ClusterIdentifier", "NodeType", "ClusterStatus", "MasterUsername", "DBName", "NumberOfNodes",
            "VpcSecurityGroups", "ClusterParameterGroups", "AvailabilityZone", "Encrypted"} <= keys(c)
    assert (c["ClusterIdentifier"], c["NodeType"], c["NumberOfNodes"], c["DBName"], c["MasterUsername"],
            c["ClusterStatus"]) == ("dw", "dc2.large", 2, "dev", "awsuser", "creating")


def test_cluster_becomes_available_with_endpoint(client):
    rs = client("redshift")
    create(rs)
    rs.get_waiter("cluster_available").wait(ClusterIdentifier="dw", WaiterConfig={"Delay": 60})
    c = rs.describe_clusters(ClusterIdentifier="dw")["Clusters"][0]
    assert c["ClusterStatus"] == "available" and c["Endpoint"]["Port"] == 5439
    assert c["Endpoint"]["Address"].startswith("dw.") and c["Endpoint"]["Address"].endswith(
        ".us-east-1.redshift.amazonaws.com")


@moto_differs("moto makes a cluster available at once; AWS needs minutes to create it")
def test_new_cluster_is_not_yet_available(client):
    rs = client("redshift")
    create(rs)
    assert rs.describe_clusters(ClusterIdentifier="dw")["Clusters"][0]["ClusterStatus"] == "creating"


def test_unknown_cluster_is_not_found(client):
    assert error_code(client("redshift").describe_clusters, ClusterIdentifier="nope") == "ClusterNotFound"


def test_duplicate_cluster_already_exists(client):
    rs = client("redshift")
    create(rs)
    assert error_code(create, rs) == "ClusterAlreadyExists"


def test_delete_with_no_skip_and_no_final_snapshot_is_rejected(client):
    rs = client("redshift")
    create(rs)
    assert error_code(rs.delete_cluster, ClusterIdentifier="dw",
                      SkipFinalClusterSnapshot=False) == "InvalidParameterCombination"


@moto_differs("moto treats an omitted SkipFinalClusterSnapshot as a skip; AWS's default is false")
def test_delete_with_neither_parameter_is_rejected(client):
    rs = client("redshift")
    create(rs)
    assert error_code(rs.delete_cluster, ClusterIdentifier="dw") == "InvalidParameterCombination"


def test_delete_unknown_cluster_is_not_found(client):
    assert error_code(client("redshift").delete_cluster, ClusterIdentifier="nope",
                      SkipFinalClusterSnapshot=True) == "ClusterNotFound"


def test_delete_cluster_shape(client):
    rs = client("redshift")
    create(rs)
    out = rs.delete_cluster(ClusterIdentifier="dw", SkipFinalClusterSnapshot=True)
    assert keys(out) == {"Cluster"} and out["Cluster"]["ClusterIdentifier"] == "dw"


def test_snapshot_create_describe_delete(client):
    rs = client("redshift")
    create(rs)
    rs.get_waiter("cluster_available").wait(ClusterIdentifier="dw")
    snap = rs.create_cluster_snapshot(SnapshotIdentifier="s1", ClusterIdentifier="dw")["Snapshot"]
    assert {"SnapshotIdentifier", "ClusterIdentifier", "Status", "SnapshotType", "NodeType", "NumberOfNodes",
            "SnapshotCreateTime", "DBName", "MasterUsername"} <= keys(snap)
    assert snap["SnapshotType"] == "manual"
    found = rs.describe_cluster_snapshots(SnapshotIdentifier="s1")["Snapshots"]
    assert [s["SnapshotIdentifier"] for s in found] == ["s1"]
    rs.delete_cluster_snapshot(SnapshotIdentifier="s1")
    assert error_code(rs.describe_cluster_snapshots, SnapshotIdentifier="s1") == "ClusterSnapshotNotFound"


def test_duplicate_snapshot_already_exists(client):
    rs = client("redshift")
    create(rs)
    rs.get_waiter("cluster_available").wait(ClusterIdentifier="dw")
    rs.create_cluster_snapshot(SnapshotIdentifier="s1", ClusterIdentifier="dw")
    assert error_code(rs.create_cluster_snapshot, SnapshotIdentifier="s1",
                      ClusterIdentifier="dw") == "ClusterSnapshotAlreadyExists"


@moto_differs("moto does not check the node count on create (only on modify)")
def test_multi_node_with_one_node_is_rejected(client):
    assert error_code(create, client("redshift"), NumberOfNodes=1) == "InvalidParameterCombination"


@moto_differs("moto accepts any node type; AWS retired DS2 nodes")
def test_retired_ds2_is_rejected(client):
    assert error_code(create, client("redshift"), NodeType="ds2.xlarge") == "InvalidParameterValue"


@moto_differs("moto does not validate cluster identifiers")
def test_bad_identifier_is_rejected(client):
    assert error_code(create, client("redshift"), ident="bad--name") == "InvalidParameterValue"


@moto_differs("moto builds a 1-node cluster; AWS's default ClusterType multi-node needs NumberOfNodes >= 2")
def test_default_cluster_type_needs_node_count(client):
    assert error_code(client("redshift").create_cluster, ClusterIdentifier="dw",
                      **BASE) == "InvalidParameterCombination"
