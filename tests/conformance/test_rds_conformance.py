"""RDS and Aurora through boto3's calls: the same scenarios against moto and awskit."""

from .conftest import error_code, keys, moto_differs

PW = "password123"
INSTANCE_KEYS = {"DBInstanceIdentifier", "DBInstanceClass", "Engine", "DBInstanceStatus", "MasterUsername",
                 "AllocatedStorage", "PreferredBackupWindow", "BackupRetentionPeriod", "VpcSecurityGroups",
                 "PreferredMaintenanceWindow", "MultiAZ", "EngineVersion", "LicenseModel", "StorageType",
                 "StorageEncrypted", "DbiResourceId", "DBInstanceArn", "DeletionProtection", "TagList",
                 "ReadReplicaDBInstanceIdentifiers"}
SNAPSHOT_KEYS = {"DBSnapshotIdentifier", "DBInstanceIdentifier", "Engine", "AllocatedStorage", "Status", "Port",
                 "MasterUsername", "EngineVersion", "SnapshotType", "Encrypted", "DBSnapshotArn", "SnapshotCreateTime"}
GROUP_KEYS = {"DBSubnetGroupName", "DBSubnetGroupDescription", "VpcId", "SubnetGroupStatus", "Subnets",
              "DBSubnetGroupArn"}
CLUSTER_KEYS = {"DBClusterIdentifier", "DBClusterArn", "Status", "Engine", "EngineVersion", "MasterUsername", "Port",
                "Endpoint", "ReaderEndpoint", "DBClusterMembers", "AvailabilityZones", "BackupRetentionPeriod",
                "StorageEncrypted", "DeletionProtection", "VpcSecurityGroups", "DBSubnetGroup"}
WAIT = {"Delay": 30, "MaxAttempts": 60}


def _create(rds, ident="db1", **kw):
    args = {"DBInstanceIdentifier": ident, "Engine": "mysql", "DBInstanceClass": "db.t3.micro", "AllocatedStorage": 20,
                "MasterUsername": "admin", "MasterUserPassword": PW}
    args.update(kw)
    return rds.create_db_instance(**args)["DBInstance"]


def _available(rds, ident="db1"):
    rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier=ident, WaiterConfig=WAIT)
    return rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]


def test_create_db_instance_shape(client):
    d = _create(client("rds"))
    assert INSTANCE_KEYS <= set(d)
    assert (d["Engine"], d["DBInstanceClass"], d["AllocatedStorage"], d["MultiAZ"]) == ("mysql", "db.t3.micro", 20, False)


def test_describe_available_instance_has_an_endpoint(client):
    rds = client("rds")
    _create(rds)
    d = _available(rds)
    assert INSTANCE_KEYS <= set(d) and d["DBInstanceStatus"] == "available"
    assert d["Endpoint"]["Port"] == 3306 and d["Endpoint"]["Address"].startswith("db1.")


@moto_differs("moto makes a new instance available at once; AWS shows 'creating' for minutes")
def test_new_instance_is_creating(client):
    assert _create(client("rds"))["DBInstanceStatus"] == "creating"


def test_backup_retention_defaults_to_one_day(client):
    assert _create(client("rds"))["BackupRetentionPeriod"] == 1


def test_multi_az_flag_round_trips(client):
    rds = client("rds")
    _create(rds, MultiAZ=True)
    assert _available(rds)["MultiAZ"] is True


def test_unknown_instance_is_not_found(client):
    rds = client("rds")
    assert error_code(rds.describe_db_instances, DBInstanceIdentifier="nope") == "DBInstanceNotFound"


def test_not_found_class_name_matches_boto3(client):
    rds = client("rds")
    try:
        rds.describe_db_instances(DBInstanceIdentifier="nope")
    except rds.exceptions.DBInstanceNotFoundFault as err:
        assert err.response["Error"]["Code"] == "DBInstanceNotFound"
    else:
        raise AssertionError("expected DBInstanceNotFoundFault")


def test_duplicate_instance_is_rejected(client):
    rds = client("rds")
    _create(rds)
    assert error_code(_create, rds) == "DBInstanceAlreadyExists"


def test_bad_identifier_is_rejected(client):
    assert error_code(_create, client("rds"), ident="1bad") == "InvalidParameterValue"


@moto_differs("moto accepts any storage size; AWS limits MySQL gp2 to 20-65536 GiB")
def test_too_little_storage_is_rejected(client):
    assert error_code(_create, client("rds"), AllocatedStorage=5) == "InvalidParameterCombination"


@moto_differs("moto accepts any password; AWS requires 8-41 characters for MySQL")
def test_short_password_is_rejected(client):
    assert error_code(_create, client("rds"), MasterUserPassword="short") == "InvalidParameterValue"


def test_subnet_group_shape(client):
    rds, ec2 = client("rds"), client("ec2")
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    g = rds.create_db_subnet_group(DBSubnetGroupName="app", DBSubnetGroupDescription="app tier",
                                   SubnetIds=[subnets[0]["SubnetId"], subnets[1]["SubnetId"]])["DBSubnetGroup"]
    assert GROUP_KEYS <= set(g) and len(g["Subnets"]) == 2
    assert {"SubnetIdentifier", "SubnetAvailabilityZone", "SubnetStatus"} <= set(g["Subnets"][0])
    listed = rds.describe_db_subnet_groups(DBSubnetGroupName="app")["DBSubnetGroups"]
    assert [x["DBSubnetGroupName"] for x in listed] == ["app"]


@moto_differs("moto accepts a subnet group in one Availability Zone; AWS needs two")
def test_subnet_group_in_one_az_is_rejected(client):
    rds, ec2 = client("rds"), client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    assert error_code(rds.create_db_subnet_group, DBSubnetGroupName="one", DBSubnetGroupDescription="d",
                      SubnetIds=[subnet]) == "DBSubnetGroupDoesNotCoverEnoughAZs"


def test_snapshot_create_describe_restore(client):
    rds = client("rds")
    _create(rds)
    _available(rds)
    s = rds.create_db_snapshot(DBInstanceIdentifier="db1", DBSnapshotIdentifier="snap1")["DBSnapshot"]
    assert SNAPSHOT_KEYS <= set(s) and s["SnapshotType"] == "manual"
    rds.get_waiter("db_snapshot_available").wait(DBSnapshotIdentifier="snap1", WaiterConfig=WAIT)
    listed = rds.describe_db_snapshots(DBSnapshotIdentifier="snap1")["DBSnapshots"]
    assert listed[0]["Status"] == "available" and listed[0]["DBInstanceIdentifier"] == "db1"
    r = rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="db2", DBSnapshotIdentifier="snap1")
    assert r["DBInstance"]["DBInstanceIdentifier"] == "db2" and r["DBInstance"]["Engine"] == "mysql"


def test_unknown_snapshot_is_not_found(client):
    rds = client("rds")
    assert error_code(rds.describe_db_snapshots, DBSnapshotIdentifier="nope") == "DBSnapshotNotFound"
    assert error_code(rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier="x",
                      DBSnapshotIdentifier="nope") == "DBSnapshotNotFound"


def test_delete_with_skip_final_snapshot(client):
    rds = client("rds")
    _create(rds)
    _available(rds)
    d = rds.delete_db_instance(DBInstanceIdentifier="db1", SkipFinalSnapshot=True)["DBInstance"]
    assert d["DBInstanceStatus"] == "deleting"
    rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="db1", WaiterConfig=WAIT)
    assert error_code(rds.describe_db_instances, DBInstanceIdentifier="db1") == "DBInstanceNotFound"


@moto_differs("moto deletes without a final-snapshot choice; AWS requires SkipFinalSnapshot or an identifier")
def test_delete_without_final_snapshot_choice_is_rejected(client):
    rds = client("rds")
    _create(rds)
    _available(rds)
    assert error_code(rds.delete_db_instance, DBInstanceIdentifier="db1") == "InvalidParameterCombination"


def test_final_snapshot_is_kept(client):
    rds = client("rds")
    _create(rds)
    _available(rds)
    rds.delete_db_instance(DBInstanceIdentifier="db1", FinalDBSnapshotIdentifier="db1-final")
    rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="db1", WaiterConfig=WAIT)
    snaps = rds.describe_db_snapshots(DBSnapshotIdentifier="db1-final")["DBSnapshots"]
    assert snaps[0]["DBInstanceIdentifier"] == "db1"


def test_deletion_protection_blocks_delete(client):
    rds = client("rds")
    _create(rds, DeletionProtection=True)
    _available(rds)
    assert error_code(rds.delete_db_instance, DBInstanceIdentifier="db1",
                      SkipFinalSnapshot=True) == "InvalidParameterCombination"


def test_create_and_describe_cluster_shapes(client):
    rds = client("rds")
    c = rds.create_db_cluster(DBClusterIdentifier="cl1", Engine="aurora-mysql", MasterUsername="admin",
                              MasterUserPassword=PW)["DBCluster"]
    assert CLUSTER_KEYS <= set(c) and c["Status"] == "creating"
    rds.create_db_instance(DBInstanceIdentifier="cl1-a", Engine="aurora-mysql", DBInstanceClass="db.r5.large",
                           DBClusterIdentifier="cl1")
    got = rds.describe_db_clusters(DBClusterIdentifier="cl1")["DBClusters"][0]
    assert CLUSTER_KEYS <= set(got)
    member = got["DBClusterMembers"][0]
    assert (member["DBInstanceIdentifier"], member["IsClusterWriter"]) == ("cl1-a", True)
    assert got["ReaderEndpoint"] != got["Endpoint"]


def test_unknown_cluster_is_not_found(client):
    assert error_code(client("rds").describe_db_clusters, DBClusterIdentifier="nope") == "DBClusterNotFoundFault"


def test_describe_keys_exclude_metadata(client):
    rds = client("rds")
    _create(rds)
    assert keys(rds.describe_db_instances()) >= {"DBInstances"}
