"""The boto3-shaped RDS client: shapes, waiters on the simulated clock, catalogs, paging, errors."""

import datetime as dt

import pytest

from awskit import AWSError

PW = "password123"


@pytest.fixture
def rds(cloud):
    return cloud.client("rds")


def create(rds, ident="db1", **kw):
    args = {"DBInstanceIdentifier": ident, "Engine": "mysql", "DBInstanceClass": "db.t3.micro", "AllocatedStorage": 20,
                "MasterUsername": "admin", "MasterUserPassword": PW}
    args.update(kw)
    return rds.create_db_instance(**args)["DBInstance"]


def wait(rds, ident="db1"):
    rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier=ident)
    return rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]


def test_endpoint_is_absent_while_creating(rds):
    assert "Endpoint" not in create(rds)


def test_waiter_advances_simulated_time_until_available(rds, cloud):
    create(rds)
    d = wait(rds)
    assert d["DBInstanceStatus"] == "available" and 300 <= cloud.clock.now <= 400


def test_instance_create_time_is_a_datetime(rds):
    create(rds)
    assert isinstance(wait(rds)["InstanceCreateTime"], dt.datetime)


def test_multi_az_instance_shows_its_secondary_az(rds):
    create(rds, MultiAZ=True)
    d = wait(rds)
    assert d["SecondaryAvailabilityZone"] != d["AvailabilityZone"]


def test_pending_modified_values_show_a_deferred_change(rds):
    create(rds)
    wait(rds)
    d = rds.modify_db_instance(DBInstanceIdentifier="db1", DBInstanceClass="db.m5.large")["DBInstance"]
    assert d["PendingModifiedValues"] == {"DBInstanceClass": "db.m5.large"}


def test_exceptions_offer_code_and_boto3_class_names(rds):
    assert rds.exceptions.DBInstanceNotFoundFault is rds.exceptions.DBInstanceNotFound
    with pytest.raises(rds.exceptions.DBInstanceNotFoundFault):
        rds.describe_db_instances(DBInstanceIdentifier="missing")


def test_error_carries_the_operation_name(rds):
    with pytest.raises(AWSError) as err:
        rds.describe_db_instances(DBInstanceIdentifier="missing")
    assert err.value.operation == "DescribeDBInstances"


def test_unknown_parameter_is_a_param_validation_error(rds):
    with pytest.raises(AWSError) as err:
        rds.describe_db_instances(DBInstanceId="x")
    assert err.value.code == "ParamValidationError"


def test_engine_versions_filter_by_engine_and_default(rds):
    got = rds.describe_db_engine_versions(Engine="postgres", DefaultOnly=True)["DBEngineVersions"]
    assert [(v["Engine"], v["EngineVersion"]) for v in got] == [("postgres", "17.6")]


def test_orderable_options_exclude_micro_for_aurora(rds):
    rows = rds.describe_orderable_db_instance_options(Engine="aurora-postgresql", MaxRecords=100)
    classes = {r["DBInstanceClass"] for r in rows["OrderableDBInstanceOptions"]}
    assert "db.t3.micro" not in classes and "db.r6g.large" in classes


def test_orderable_options_give_storage_limits(rds):
    row = rds.describe_orderable_db_instance_options(Engine="mysql", DBInstanceClass="db.t3.micro")[
        "OrderableDBInstanceOptions"][0]
    assert (row["MinStorageSize"], row["MaxStorageSize"]) == (20, 65536)


def test_paginator_walks_all_instances(rds):
    for i in range(25):
        create(rds, f"db{i}")
    pages = list(rds.get_paginator("describe_db_instances").paginate(PaginationConfig={"PageSize": 20}))
    assert [len(p["DBInstances"]) for p in pages] == [20, 5]


def test_max_records_below_twenty_is_rejected(rds):
    with pytest.raises(AWSError) as err:
        rds.describe_db_instances(MaxRecords=5)
    assert err.value.code == "InvalidParameterValue"


def test_point_in_time_restore_through_the_client(rds, cloud):
    create(rds)
    wait(rds)
    conn = cloud.rds.connect("db1", "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    cloud.clock.advance(minutes=20)
    latest = rds.describe_db_instances(DBInstanceIdentifier="db1")["DBInstances"][0]["LatestRestorableTime"]
    r = rds.restore_db_instance_to_point_in_time(SourceDBInstanceIdentifier="db1", TargetDBInstanceIdentifier="db2",
                                                 RestoreTime=latest)
    assert r["DBInstance"]["DBInstanceStatus"] == "creating"
    wait(rds, "db2")
    assert cloud.rds.connect("db2", "admin", PW).execute("SELECT x FROM t").fetchall() == [(1,)]


def test_describe_events_lists_a_failover(rds, cloud):
    create(rds, MultiAZ=True)
    wait(rds)
    rds.reboot_db_instance(DBInstanceIdentifier="db1", ForceFailover=True)
    wait(rds)
    messages = [e["Message"] for e in rds.describe_events(SourceIdentifier="db1", Duration=60)["Events"]]
    assert "Multi-AZ instance failover completed." in messages


def test_read_replica_shape(rds):
    create(rds)
    wait(rds)
    r = rds.create_db_instance_read_replica(DBInstanceIdentifier="ro", SourceDBInstanceIdentifier="db1")
    assert r["DBInstance"]["ReadReplicaSourceDBInstanceIdentifier"] == "db1"
    assert rds.describe_db_instances(DBInstanceIdentifier="db1")["DBInstances"][0][
        "ReadReplicaDBInstanceIdentifiers"] == ["ro"]


def test_cluster_members_flag_the_writer_after_failover(rds, cloud):
    rds.create_db_cluster(DBClusterIdentifier="cl", Engine="aurora-postgresql", MasterUsername="app",
                          MasterUserPassword=PW)
    for name in ("cl-a", "cl-b"):
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="aurora-postgresql", DBInstanceClass="db.r6g.large",
                               DBClusterIdentifier="cl")
    wait(rds, "cl-b")
    rds.failover_db_cluster(DBClusterIdentifier="cl")
    rds.get_waiter("db_cluster_available").wait(DBClusterIdentifier="cl")
    members = rds.describe_db_clusters(DBClusterIdentifier="cl")["DBClusters"][0]["DBClusterMembers"]
    assert {m["DBInstanceIdentifier"]: m["IsClusterWriter"] for m in members} == {"cl-a": False, "cl-b": True}


def test_copy_snapshot_with_kms_key_is_encrypted(rds, cloud):
    create(rds)
    wait(rds)
    rds.create_db_snapshot(DBInstanceIdentifier="db1", DBSnapshotIdentifier="s1")
    rds.get_waiter("db_snapshot_available").wait(DBSnapshotIdentifier="s1")
    c = rds.copy_db_snapshot(SourceDBSnapshotIdentifier="s1", TargetDBSnapshotIdentifier="s2", KmsKeyId="alias/k")
    assert c["DBSnapshot"]["Encrypted"] is True


def test_client_is_registered():
    from awskit.api import CLIENTS

    assert CLIENTS["rds"] == "awskit.api.rds:RDSClient"
