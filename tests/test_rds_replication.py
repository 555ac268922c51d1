"""RDS high availability and scaling: Multi-AZ failover, read replicas, modify_db_instance."""

import pytest
from test_rds import PW, code, make_db

from awskit.rds.instances import FAILOVER_SECONDS, MODIFY_SECONDS
from awskit.rds.replication import REPLICA_BASE_LAG
from awskit.rds.sql import ConnectionLost, OperationalError, ReadOnlyError


def write(cloud, db, *values):
    conn = cloud.rds.connect(db, "admin", PW)
    conn.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    for v in values:
        conn.execute("INSERT INTO t VALUES (?)", (v,))
    conn.commit()
    return conn


def count(cloud, db):
    return cloud.rds.connect(db, "admin", PW).execute("SELECT count(*) FROM t").fetchone()[0]


# -- Multi-AZ -------------------------------------------------------------------------------------

def test_multi_az_standby_is_in_another_az_of_the_subnet_group(cloud):
    db = make_db(cloud, multi_az=True)
    assert db.secondary_az != db.az and db.secondary_az in db.subnet_group.availability_zones


def test_standby_holds_exactly_the_primary_data(cloud):
    db = make_db(cloud, multi_az=True)
    write(cloud, db, 1, 2, 3)
    assert db.standby.dump() == db.data.dump() and len(db.data.dump()) > 2


def test_uncommitted_rows_are_not_on_the_standby(cloud):
    db = make_db(cloud, multi_az=True)
    conn = write(cloud, db, 1)
    conn.execute("INSERT INTO t VALUES (2)")
    assert db.standby.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_az_failure_fails_over_within_60_to_120_seconds(cloud):
    db = make_db(cloud, multi_az=True)
    old = db.az
    cloud.fail_az(old)
    assert db.status.value == "failing-over"
    cloud.clock.advance(FAILOVER_SECONDS[0] - 1)
    assert db.status.value == "failing-over"
    cloud.clock.advance(FAILOVER_SECONDS[1] - FAILOVER_SECONDS[0] + 1)
    assert db.status.value == "available" and db.az != old


def test_failover_keeps_the_endpoint_name(cloud):
    db = make_db(cloud, multi_az=True)
    before = dict(db.endpoint)
    cloud.fail_az(db.az)
    cloud.clock.advance(FAILOVER_SECONDS[1])
    assert db.endpoint == before


def test_failover_moves_the_endpoint_to_the_standby_address(cloud):
    db = make_db(cloud, multi_az=True)
    standby_ip = db.standby_interface.private_ip_address
    cloud.fail_az(db.az)
    cloud.clock.advance(FAILOVER_SECONDS[1])
    assert db.network_interface.private_ip_address == standby_ip


def test_committed_data_survives_failover(cloud):
    db = make_db(cloud, multi_az=True)
    write(cloud, db, 1, 2)
    cloud.fail_az(db.az)
    cloud.clock.advance(FAILOVER_SECONDS[1])
    assert count(cloud, db) == 2


def test_open_sessions_break_on_failover(cloud):
    db = make_db(cloud, multi_az=True)
    conn = write(cloud, db, 1)
    cloud.fail_az(db.az)
    with pytest.raises(ConnectionLost):
        conn.execute("SELECT 1")


def test_connections_are_refused_during_failover(cloud):
    db = make_db(cloud, multi_az=True)
    cloud.fail_az(db.az)
    with pytest.raises(OperationalError) as err:
        cloud.rds.connect(db, "admin", PW)
    assert err.value.code == "CannotConnect"


def test_failover_publishes_events(cloud):
    db = make_db(cloud, multi_az=True)
    seen = []
    cloud.events.subscribe("rds.failover", lambda m: seen.append(m["phase"]))
    cloud.fail_az(db.az)
    cloud.clock.advance(FAILOVER_SECONDS[1])
    messages = [e.message for e in cloud.rds.describe_events(db)]
    assert seen == ["started", "completed"]
    assert messages[-2:] == ["Multi-AZ instance failover started.", "Multi-AZ instance failover completed."]


def test_failover_timeline_lists_the_outage(cloud):
    db = make_db(cloud, multi_az=True)
    old = db.az
    cloud.fail_az(old)
    start = cloud.clock.now
    cloud.clock.advance(FAILOVER_SECONDS[1])
    timeline = cloud.rds.failover_timeline(db)
    started, completed = timeline[-2], timeline[-1]
    assert started[0] == start and started[1:] == ("failover started", old, False)
    assert completed[1:] == ("failover completed", db.az, True)
    assert FAILOVER_SECONDS[0] <= completed[0] - started[0] <= FAILOVER_SECONDS[1]


def test_failover_duration_is_deterministic_for_a_seed():
    from awskit import Cloud

    def duration(seed):
        cloud = Cloud(seed=seed)
        db = make_db(cloud, multi_az=True)
        cloud.fail_az(db.az)
        cloud.clock.advance(FAILOVER_SECONDS[1])
        return cloud.rds.failover_timeline(db)[-1][0] - cloud.rds.failover_timeline(db)[-2][0]

    assert duration(3) == duration(3)


def test_reboot_with_force_failover_switches_az(cloud):
    db = make_db(cloud, multi_az=True)
    old = db.az
    cloud.rds.reboot_db_instance(db, force_failover=True)
    cloud.clock.advance(FAILOVER_SECONDS[1])
    assert db.az != old and db.secondary_az == old


def test_force_failover_on_single_az_is_rejected(cloud):
    assert code(cloud.rds.reboot_db_instance, make_db(cloud), force_failover=True) == "InvalidParameterCombination"


def test_standby_az_failure_leaves_the_primary_up_and_rebuilds_later(cloud):
    db = make_db(cloud, multi_az=True)
    cloud.fail_az(db.secondary_az)
    write(cloud, db, 1)
    assert db.status.value == "available" and not db.standby_ok
    cloud.restore_az(db.secondary_az)
    assert db.standby_ok and db.standby.dump() == db.data.dump()


# -- read replicas ----------------------------------------------------------------------------------

def test_replica_needs_automated_backups_on_the_source(cloud):
    db = make_db(cloud, backup_retention_period=0)
    assert code(cloud.rds.create_db_instance_read_replica, "ro", db) == "InvalidDBInstanceState"


def test_replica_starts_with_the_source_data(cloud):
    db = make_db(cloud)
    write(cloud, db, 1, 2)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=6)
    assert (ro.engine.name, count(cloud, ro)) == ("mysql", 2)


def test_replica_reads_lag_behind_the_source(cloud):
    db = make_db(cloud)
    write(cloud, db, 1)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=6)
    write(cloud, db, 2)
    assert count(cloud, ro) == 1
    cloud.clock.advance(cloud.rds.replica_lag(ro) + 1)
    assert count(cloud, ro) == 2


def test_replica_lag_grows_with_write_load(cloud):
    db = make_db(cloud)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=6)
    idle = cloud.rds.replica_lag(ro)
    for i in range(20):
        write(cloud, db, i)
    assert idle == REPLICA_BASE_LAG and cloud.rds.replica_lag(ro) > idle


def test_replica_refuses_writes(cloud):
    db = make_db(cloud)
    write(cloud, db, 1)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=6)
    with pytest.raises(ReadOnlyError):
        cloud.rds.connect(ro, "admin", PW).execute("INSERT INTO t VALUES (9)")


def test_promoted_replica_accepts_writes(cloud):
    db = make_db(cloud)
    write(cloud, db, 1)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=6)
    cloud.rds.promote_read_replica(ro)
    cloud.clock.advance(MODIFY_SECONDS)
    write(cloud, ro, 2)
    assert (ro.source, count(cloud, ro), count(cloud, db)) == (None, 2, 1)


def test_promoting_a_standalone_instance_is_rejected(cloud):
    assert code(cloud.rds.promote_read_replica, make_db(cloud)) == "InvalidDBInstanceState"


def test_replica_is_listed_on_its_source(cloud):
    db = make_db(cloud)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    assert db.replicas == [ro] and ro.source is db


def test_replica_lag_metric_is_published(cloud):
    db = make_db(cloud)
    cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=8)
    assert [m.name for m in cloud.cloudwatch.list_metrics(namespace="AWS/RDS", metric_name="ReplicaLag")]


# -- modify -------------------------------------------------------------------------------------

def test_class_change_waits_for_the_maintenance_window(cloud):
    db = make_db(cloud, maintenance_window="sun:05:00-sun:05:30", backup_window="03:00-03:30")
    cloud.rds.modify_db_instance(db, instance_class="db.m5.large")
    assert db.instance_class.name == "db.t3.micro" and "DBInstanceClass" in db.pending
    cloud.clock.advance(days=7)
    assert db.instance_class.name == "db.m5.large" and not db.pending


def test_apply_immediately_changes_the_class_after_modifying(cloud):
    db = make_db(cloud)
    cloud.rds.modify_db_instance(db, instance_class="db.m5.large", apply_immediately=True)
    assert db.status.value == "modifying"
    cloud.clock.advance(MODIFY_SECONDS)
    assert (db.status.value, db.instance_class.name) == ("available", "db.m5.large")


def test_storage_increase_below_ten_percent_is_rounded_up(cloud):
    db = make_db(cloud, allocated_storage=100)
    cloud.rds.modify_db_instance(db, allocated_storage=105, apply_immediately=True)
    cloud.clock.advance(MODIFY_SECONDS)
    assert db.allocated_storage == 110


def test_storage_cannot_shrink(cloud):
    db = make_db(cloud, allocated_storage=100)
    assert code(cloud.rds.modify_db_instance, db, allocated_storage=50) == "InvalidParameterValue"


def test_modify_while_creating_is_rejected(cloud):
    assert code(cloud.rds.modify_db_instance, make_db(cloud, wait=False), instance_class="db.t3.small") == \
        "InvalidDBInstanceState"


def test_turning_on_multi_az_builds_a_standby(cloud):
    db = make_db(cloud)
    write(cloud, db, 1)
    cloud.rds.modify_db_instance(db, multi_az=True, apply_immediately=True)
    cloud.clock.advance(MODIFY_SECONDS)
    assert db.multi_az and db.standby.dump() == db.data.dump()


def test_multi_az_doubles_the_running_cost(cloud):
    db = make_db(cloud)
    cloud.rds.modify_db_instance(db, multi_az=True, apply_immediately=True)
    cloud.clock.advance(MODIFY_SECONDS)
    hourly = [m.rate for m in cloud.bill.meters if m.resource == db.id and m.end is None and m.per == 3600]
    assert hourly == [pytest.approx(2 * 0.017)]


def test_turning_backups_off_waits_for_the_window_unless_immediate(cloud):
    db = make_db(cloud)
    cloud.rds.modify_db_instance(db, backup_retention_period=0)
    assert db.backup_retention_period == 1 and db.pending == {"BackupRetentionPeriod": 0}


def test_changing_retention_between_nonzero_values_applies_at_once(cloud):
    db = make_db(cloud)
    cloud.rds.modify_db_instance(db, backup_retention_period=14)
    assert db.backup_retention_period == 14


def test_deleting_a_source_promotes_its_replicas(cloud):
    db = make_db(cloud)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(minutes=6)
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True)
    assert ro.source is None
