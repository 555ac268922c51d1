"""RDS backups: automated backups and point-in-time restore, manual snapshots, copies, encryption."""

import pytest
from test_rds import PW, code, make_db

from awskit import AWSError
from awskit.rds.snapshots import LATEST_RESTORABLE_LAG, SNAPSHOT_SECONDS


def rows(cloud, db, table="t"):
    return cloud.rds.connect(db, "admin", PW).execute(f"SELECT x FROM {table} ORDER BY x").fetchall()


def insert(conn, x):
    conn.execute("INSERT INTO t VALUES (?)", (x,))
    conn.commit()


@pytest.fixture
def db_with_table(cloud):
    db = make_db(cloud, backup_retention_period=7)
    conn = cloud.rds.connect(db, "admin", PW)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    return db, conn


def test_point_in_time_restore_sees_exactly_the_rows_committed_before(cloud, db_with_table):
    db, conn = db_with_table
    times = []
    for x in (1, 2, 3):
        cloud.clock.advance(minutes=10)
        insert(conn, x)
        times.append(cloud.clock.now)
    cloud.clock.advance(minutes=10)
    new = cloud.rds.restore_db_instance_to_point_in_time(db, "orders-pitr", restore_time=(times[1] + times[2]) / 2)
    cloud.clock.advance(minutes=6)
    assert rows(cloud, new) == [(1,), (2,)]


def test_point_in_time_restore_to_the_second_of_a_commit_includes_it(cloud, db_with_table):
    db, conn = db_with_table
    cloud.clock.advance(minutes=10)
    insert(conn, 1)
    t1 = cloud.clock.now
    cloud.clock.advance(seconds=1)
    insert(conn, 2)
    cloud.clock.advance(minutes=10)
    new = cloud.rds.restore_db_instance_to_point_in_time(db, "at-t1", restore_time=t1)
    cloud.clock.advance(minutes=6)
    assert rows(cloud, new) == [(1,)]


def test_point_in_time_restore_replays_from_the_daily_snapshot(cloud, db_with_table):
    db, conn = db_with_table
    insert(conn, 1)
    cloud.clock.advance(days=2)   # two daily backups happen in between
    insert(conn, 2)
    t = cloud.clock.now
    cloud.clock.advance(hours=1)
    insert(conn, 3)
    cloud.clock.advance(minutes=10)
    assert len(cloud.rds.automated_backups(db).snapshots) >= 3
    new = cloud.rds.restore_db_instance_to_point_in_time(db, "later", restore_time=t + 60)
    cloud.clock.advance(minutes=6)
    assert rows(cloud, new) == [(1,), (2,)]


def test_restore_time_accepts_a_datetime(cloud, db_with_table):
    db, conn = db_with_table
    insert(conn, 1)
    cloud.clock.advance(minutes=10)
    when = cloud.clock.to_datetime(cloud.clock.now - 400)
    new = cloud.rds.restore_db_instance_to_point_in_time(db, "dt", restore_time=when)
    cloud.clock.advance(minutes=6)
    assert rows(cloud, new) == [(1,)]


def test_latest_restorable_time_trails_now_by_five_minutes(cloud, db_with_table):
    db, _ = db_with_table
    cloud.clock.advance(hours=1)
    assert cloud.rds.restorable_window(db)[1] == cloud.clock.now - LATEST_RESTORABLE_LAG


def test_restore_after_the_latest_restorable_time_is_rejected(cloud, db_with_table):
    db, _ = db_with_table
    cloud.clock.advance(hours=1)
    assert code(cloud.rds.restore_db_instance_to_point_in_time, db, "x", restore_time=cloud.clock.now - 60) == \
        "InvalidRestoreFault"


def test_restore_before_the_earliest_restorable_time_is_rejected(cloud, db_with_table):
    db, _ = db_with_table
    cloud.clock.advance(hours=1)
    assert code(cloud.rds.restore_db_instance_to_point_in_time, db, "x", restore_time=10) == "InvalidRestoreFault"


def test_retention_zero_disables_point_in_time_restore(cloud):
    db = make_db(cloud, backup_retention_period=0)
    cloud.clock.advance(hours=1)
    assert code(cloud.rds.restore_db_instance_to_point_in_time, db, "x", use_latest_restorable_time=True) == \
        "PointInTimeRestoreNotEnabled"


def test_restore_time_and_use_latest_together_are_rejected(cloud, db_with_table):
    db, _ = db_with_table
    cloud.clock.advance(hours=1)
    assert code(cloud.rds.restore_db_instance_to_point_in_time, db, "x", restore_time=cloud.clock.now - 600,
                use_latest_restorable_time=True) == "InvalidParameterCombination"


def test_old_automated_backups_expire_with_the_retention_period(cloud):
    db = make_db(cloud, backup_retention_period=2)
    cloud.clock.advance(days=6)
    earliest, _ = cloud.rds.restorable_window(db)
    assert earliest == cloud.clock.now - 2 * 86400
    # the first snapshot plus six dailies were taken; only the retention period's (and one base) remain
    assert len(cloud.rds.describe_db_snapshots(db, snapshot_type="automated")) == 3


def test_daily_backups_run_in_the_backup_window(cloud):
    db = make_db(cloud, backup_window="23:00-23:30", maintenance_window="sun:05:00-sun:05:30")
    cloud.clock.advance(days=1)
    daily = cloud.rds.automated_backups(db).snapshots[-1]
    assert cloud.clock.to_datetime(daily.created).strftime("%H:%M") == "23:00"


def test_automated_snapshot_ids_follow_rds_naming(cloud):
    db = make_db(cloud)
    snap = cloud.rds.describe_db_snapshots(db, snapshot_type="automated")[0]
    assert snap.id.startswith("rds:orders-2026-")


# -- manual snapshots ---------------------------------------------------------------------------

def test_snapshot_restore_brings_the_data_back_exactly(cloud, db_with_table):
    db, conn = db_with_table
    for x in range(5):
        insert(conn, x)
    snap = cloud.rds.create_db_snapshot(db, "snap1")
    insert(conn, 99)   # after the snapshot: not in it
    cloud.clock.advance(SNAPSHOT_SECONDS)
    new = cloud.rds.restore_db_instance_from_db_snapshot("copy", snap)
    cloud.clock.advance(minutes=6)
    assert rows(cloud, new) == [(x,) for x in range(5)]


def test_snapshot_is_kept_after_its_instance_is_deleted(cloud, db_with_table):
    db, conn = db_with_table
    insert(conn, 7)
    cloud.rds.create_db_snapshot(db, "keep")
    cloud.clock.advance(SNAPSHOT_SECONDS)
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True)
    cloud.clock.advance(minutes=5)
    new = cloud.rds.restore_db_instance_from_db_snapshot("orders", "keep")
    cloud.clock.advance(minutes=6)
    assert rows(cloud, new) == [(7,)]


def test_restoring_a_snapshot_that_is_still_creating_is_rejected(cloud):
    snap = cloud.rds.create_db_snapshot(make_db(cloud), "s")
    assert code(cloud.rds.restore_db_instance_from_db_snapshot, "x", snap) == "InvalidDBSnapshotState"


def test_duplicate_snapshot_is_rejected(cloud):
    db = make_db(cloud)
    cloud.rds.create_db_snapshot(db, "s")
    assert code(cloud.rds.create_db_snapshot, db, "s") == "DBSnapshotAlreadyExists"


def test_unknown_snapshot_is_not_found(cloud):
    assert code(cloud.rds.get_db_snapshot, "nope") == "DBSnapshotNotFound"


def test_automated_snapshots_cannot_be_deleted_by_hand(cloud):
    snap = cloud.rds.describe_db_snapshots(make_db(cloud), snapshot_type="automated")[0]
    assert code(cloud.rds.delete_db_snapshot, snap) == "InvalidDBSnapshotState"


def test_manual_snapshot_can_be_deleted(cloud):
    cloud.rds.create_db_snapshot(make_db(cloud), "s")
    cloud.clock.advance(SNAPSHOT_SECONDS)
    cloud.rds.delete_db_snapshot("s")
    assert cloud.rds.describe_db_snapshots(snapshot_type="manual") == []


def test_deleting_the_instance_drops_its_automated_backups(cloud):
    db = make_db(cloud)
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True)
    cloud.clock.advance(minutes=2)
    assert cloud.rds.describe_db_snapshots(snapshot_type="automated") == []


def test_automated_backups_can_be_retained_on_delete(cloud):
    db = make_db(cloud)
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True, delete_automated_backups=False)
    cloud.clock.advance(minutes=2)
    assert len(cloud.rds.describe_db_snapshots(snapshot_type="automated")) == 1


def test_restored_instance_gets_the_vpc_default_security_group(cloud):
    sg = cloud.vpc.create_security_group(cloud.vpc.default_vpc, "db", "db")
    db = make_db(cloud, security_groups=[sg])
    cloud.rds.create_db_snapshot(db, "s")
    cloud.clock.advance(SNAPSHOT_SECONDS)
    new = cloud.rds.restore_db_instance_from_db_snapshot("copy", "s")
    assert new.security_groups == [cloud.vpc.default_vpc.default_security_group]


# -- encryption ---------------------------------------------------------------------------------

def test_encryption_cannot_be_switched_on_for_an_existing_instance(cloud):
    assert code(cloud.rds.modify_db_instance, make_db(cloud), storage_encrypted=True) == "InvalidParameterCombination"


def test_copy_with_a_kms_key_encrypts_and_the_restore_is_encrypted(cloud, db_with_table):
    db, conn = db_with_table
    insert(conn, 5)
    cloud.rds.create_db_snapshot(db, "plain")
    cloud.clock.advance(SNAPSHOT_SECONDS)
    copy = cloud.rds.copy_db_snapshot("plain", "secret", kms_key_id="alias/my-key")
    cloud.clock.advance(SNAPSHOT_SECONDS)
    new = cloud.rds.restore_db_instance_from_db_snapshot("enc", copy)
    cloud.clock.advance(minutes=6)
    assert (copy.encrypted, new.storage_encrypted, rows(cloud, new)) == (True, True, [(5,)])


def test_copy_to_an_existing_name_is_rejected(cloud):
    db = make_db(cloud)
    cloud.rds.create_db_snapshot(db, "a")
    cloud.rds.create_db_snapshot(db, "b")
    cloud.clock.advance(SNAPSHOT_SECONDS)
    assert code(cloud.rds.copy_db_snapshot, "a", "b") == "DBSnapshotAlreadyExists"


def test_kms_key_without_encryption_is_rejected(cloud):
    assert code(make_db, cloud, kms_key_id="alias/k") == "InvalidParameterCombination"


def test_errors_are_awserrors_with_rds_status(cloud):
    with pytest.raises(AWSError) as err:
        cloud.rds.get_db_snapshot("nope")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_snapshots_left_without_a_database_cost_backup_storage(cloud):
    db = make_db(cloud)
    cloud.rds.delete_db_instance(db, final_snapshot_identifier="last")
    cloud.clock.advance(days=2)
    assert any(i.resource == "backup-storage" and i.amount > 0 for i in cloud.bill.items)


def test_backups_within_the_free_allowance_cost_nothing(cloud):
    make_db(cloud)
    cloud.clock.advance(days=2)
    assert not [i for i in cloud.bill.items if i.resource == "backup-storage"]
