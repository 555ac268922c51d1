"""RDS: engines, subnet groups, DB instance rules and lifecycle, real SQL connections."""

import pytest

from awskit import AWSError, Cloud
from awskit.rds.engines import ENGINES, INSTANCE_CLASSES, hourly_price
from awskit.rds.instances import BACKING_UP_SECONDS, CREATE_SECONDS, DELETE_SECONDS
from awskit.rds.sql import (
    AuthenticationError,
    ConnectionLost,
    ConnectTimeout,
    OperationalError,
    ProgrammingError,
)

PW = "s3cret-pass"


def make_db(cloud, ident="orders", wait=True, **kw):
    args = {"engine": "mysql", "instance_class": "db.t3.micro", "allocated_storage": 20, "master_username": "admin",
                "master_password": PW}
    args.update(kw)
    db = cloud.rds.create_db_instance(ident, **args)
    if wait:
        cloud.clock.advance(CREATE_SECONDS + BACKING_UP_SECONDS)
    return db


def code(fn, *a, **kw):
    with pytest.raises(AWSError) as err:
        fn(*a, **kw)
    return err.value.code


# -- catalog -----------------------------------------------------------------------------

def test_engines_have_their_default_ports():
    ports = {name: ENGINES[name].port for name in ("mysql", "postgres", "mariadb", "oracle-se2", "sqlserver-ex")}
    assert ports == {"mysql": 3306, "postgres": 5432, "mariadb": 3306, "oracle-se2": 1521, "sqlserver-ex": 1433}


def test_oracle_password_may_not_hold_an_ampersand(cloud):
    assert code(make_db, cloud, engine="oracle-se2", master_password="pass&word1") == "InvalidParameterValue"


def test_postgres_allows_longer_master_usernames(cloud):
    assert make_db(cloud, engine="postgres", master_username="a" * 20, wait=False).master_username == "a" * 20


def test_package_exports_resolve():
    from awskit import rds

    assert all(getattr(rds, name) is not None for name in rds.__all__)


def test_instance_classes_have_size_and_price():
    cls = INSTANCE_CLASSES["db.m5.large"]
    assert (cls.vcpu, cls.memory_gib) == (2, 8.0) and cls.hourly > 0


def test_multi_az_doubles_the_instance_price():
    assert hourly_price("db.r5.large", "mysql", multi_az=True) == pytest.approx(2 * hourly_price("db.r5.large", "mysql"))


def test_unknown_engine_is_rejected(cloud):
    assert code(make_db, cloud, engine="mongodb") == "InvalidParameterValue"


def test_unknown_instance_class_is_rejected(cloud):
    assert code(make_db, cloud, instance_class="db.x9.huge") == "InvalidParameterValue"


# -- subnet groups -----------------------------------------------------------------------

def test_subnet_group_in_one_az_is_rejected(cloud):
    subnet = cloud.vpc.default_vpc.subnets[0]
    assert code(cloud.rds.create_db_subnet_group, "one", "one zone", [subnet]) == "DBSubnetGroupDoesNotCoverEnoughAZs"


def test_subnet_group_covers_two_azs(cloud):
    g = cloud.rds.create_db_subnet_group("Two", "two zones", cloud.vpc.default_vpc.subnets[:2])
    assert g.name == "two" and len(g.availability_zones) == 2


def test_duplicate_subnet_group_is_rejected(cloud):
    cloud.rds.create_db_subnet_group("two", "d", cloud.vpc.default_vpc.subnets[:2])
    assert code(cloud.rds.create_db_subnet_group, "two", "d", cloud.vpc.default_vpc.subnets[:2]) == \
        "DBSubnetGroupAlreadyExists"


def test_subnet_group_in_use_cannot_be_deleted(cloud):
    g = cloud.rds.create_db_subnet_group("two", "d", cloud.vpc.default_vpc.subnets[:2])
    make_db(cloud, subnet_group=g, wait=False)
    assert code(cloud.rds.delete_db_subnet_group, "two") == "InvalidDBSubnetGroupStateFault"


def test_default_subnet_group_spans_the_default_vpc(cloud):
    db = make_db(cloud, wait=False)
    assert db.subnet_group.name == "default" and db.subnet_group.vpc is cloud.vpc.default_vpc


# -- identifiers and parameters ---------------------------------------------------------------

@pytest.mark.parametrize("ident", ["1db", "db-", "db--x", "a" * 64, "db_x", ""])
def test_bad_identifier_is_rejected(cloud, ident):
    assert code(make_db, cloud, ident) == "InvalidParameterValue"


def test_identifier_is_stored_in_lowercase(cloud):
    assert make_db(cloud, "Orders-DB", wait=False).id == "orders-db"


def test_duplicate_instance_is_rejected(cloud):
    make_db(cloud, wait=False)
    assert code(make_db, cloud, "ORDERS") == "DBInstanceAlreadyExists"


@pytest.mark.parametrize("size", [19, 65537])
def test_storage_outside_mysql_limits_is_rejected(cloud, size):
    assert code(make_db, cloud, allocated_storage=size) == "InvalidParameterCombination"


def test_sql_server_storage_tops_out_at_16_tib(cloud):
    assert code(make_db, cloud, engine="sqlserver-ex", allocated_storage=20000, master_username="admin") == \
        "InvalidParameterCombination"


@pytest.mark.parametrize("pw", ["short", "has/slash1", 'has"quote', "has@at-sign", "x" * 42])
def test_bad_master_password_is_rejected(cloud, pw):
    assert code(make_db, cloud, master_password=pw) == "InvalidParameterValue"


@pytest.mark.parametrize("user", ["1admin", "rdsadmin", "a" * 17, "ad-min"])
def test_bad_master_username_is_rejected(cloud, user):
    assert code(make_db, cloud, master_username=user) == "InvalidParameterValue"


@pytest.mark.parametrize("days", [-1, 36])
def test_backup_retention_outside_0_to_35_is_rejected(cloud, days):
    assert code(make_db, cloud, backup_retention_period=days) == "InvalidParameterValue"


def test_backup_retention_defaults_to_one_day(cloud):
    assert make_db(cloud, wait=False).backup_retention_period == 1


def test_short_backup_window_is_rejected(cloud):
    assert code(make_db, cloud, backup_window="03:00-03:20") == "InvalidParameterValue"


def test_overlapping_windows_are_rejected(cloud):
    assert code(make_db, cloud, backup_window="03:00-04:00", maintenance_window="mon:03:30-mon:04:30") == \
        "InvalidParameterValue"


def test_default_windows_do_not_overlap(cloud):
    db = make_db(cloud, wait=False)
    assert not db.backup_window.overlaps(db.maintenance_window) and db.backup_window.length == 30


def test_multi_az_with_a_chosen_az_is_rejected(cloud):
    assert code(make_db, cloud, multi_az=True, availability_zone="us-east-1a") == "InvalidParameterCombination"


def test_publicly_accessible_needs_an_internet_gateway(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    subs = [cloud.vpc.create_subnet(vpc, f"10.0.{i}.0/24", availability_zone=az)
            for i, az in enumerate(("us-east-1a", "us-east-1b"))]
    g = cloud.rds.create_db_subnet_group("private", "d", subs)
    assert code(make_db, cloud, subnet_group=g, publicly_accessible=True) == "InvalidVPCNetworkStateFault"


def test_instance_in_a_private_vpc_is_private_by_default(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    subs = [cloud.vpc.create_subnet(vpc, f"10.0.{i}.0/24", availability_zone=az)
            for i, az in enumerate(("us-east-1a", "us-east-1b"))]
    db = make_db(cloud, subnet_group=cloud.rds.create_db_subnet_group("private", "d", subs), wait=False)
    assert db.publicly_accessible is False and db.network_interface.public_ip is None


def test_aurora_class_rule_rejects_micro_for_aurora(cloud):
    c = cloud.rds.create_db_cluster("c", engine="aurora-mysql", master_username="admin", master_password=PW)
    assert code(cloud.rds.create_db_instance, "c1", engine="aurora-mysql", instance_class="db.t3.micro",
                cluster=c) == "InvalidParameterCombination"


def test_unknown_instance_is_not_found(cloud):
    assert code(cloud.rds.get_db_instance, "nope") == "DBInstanceNotFound"


# -- lifecycle ------------------------------------------------------------------------------

def test_new_instance_is_creating_then_backing_up_then_available(cloud):
    db = make_db(cloud, wait=False)
    seen = [db.status.value]
    cloud.clock.advance(CREATE_SECONDS)
    seen.append(db.status.value)
    cloud.clock.advance(BACKING_UP_SECONDS)
    seen.append(db.status.value)
    assert seen == ["creating", "backing-up", "available"]


def test_endpoint_names_the_instance_region_and_port(cloud):
    db = make_db(cloud, engine="postgres", wait=False)
    addr = db.endpoint["Address"]
    assert addr.startswith("orders.") and addr.endswith(".us-east-1.rds.amazonaws.com") and db.endpoint["Port"] == 5432


def test_instance_gets_an_interface_with_its_security_groups(cloud):
    sg = cloud.vpc.create_security_group(cloud.vpc.default_vpc, "db", "db")
    db = make_db(cloud, security_groups=[sg], wait=False)
    assert db.network_interface.security_groups == [sg] and db.network_interface.subnet.vpc is cloud.vpc.default_vpc


def test_delete_without_final_snapshot_choice_is_rejected(cloud):
    assert code(cloud.rds.delete_db_instance, make_db(cloud)) == "InvalidParameterCombination"


def test_delete_with_both_skip_and_final_snapshot_is_rejected(cloud):
    assert code(cloud.rds.delete_db_instance, make_db(cloud), skip_final_snapshot=True,
                final_snapshot_identifier="last") == "InvalidParameterCombination"


def test_deletion_protection_blocks_delete(cloud):
    db = make_db(cloud, deletion_protection=True)
    assert code(cloud.rds.delete_db_instance, db, skip_final_snapshot=True) == "InvalidParameterCombination"


def test_deleted_instance_goes_after_a_minute_and_frees_its_interface(cloud):
    db = make_db(cloud)
    eni = db.network_interface
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True)
    assert db.status.value == "deleting"
    cloud.clock.advance(DELETE_SECONDS)
    assert cloud.rds.db_instances == [] and eni not in cloud.vpc.network_interfaces


def test_final_snapshot_outlives_the_instance(cloud):
    db = make_db(cloud)
    cloud.rds.delete_db_instance(db, final_snapshot_identifier="orders-final")
    cloud.clock.advance(minutes=5)
    assert cloud.rds.get_db_snapshot("orders-final").status.value == "available"


def test_events_record_creation(cloud):
    db = make_db(cloud)
    assert [e.message for e in cloud.rds.describe_events(db)] == ["DB instance created"]


# -- SQL -------------------------------------------------------------------------------------

def test_sql_round_trip(cloud):
    conn = cloud.rds.connect(make_db(cloud), "admin", PW)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO t (name) VALUES (%s)", [("a",), ("b",)])
    conn.commit()
    assert conn.execute("SELECT name FROM t ORDER BY id").fetchall() == [("a",), ("b",)]


def test_each_instance_has_its_own_database(cloud):
    a, b = make_db(cloud, "a"), make_db(cloud, "b")
    ca = cloud.rds.connect(a, "admin", PW)
    ca.execute("CREATE TABLE t (x)")
    ca.commit()
    assert cloud.rds.connect(b, "admin", PW).execute("SELECT name FROM sqlite_master").fetchall() == []


def test_rollback_discards_uncommitted_rows(cloud):
    conn = cloud.rds.connect(make_db(cloud), "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.execute("INSERT INTO t VALUES (1)")
    conn.rollback()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_wrong_password_fails_like_mysql(cloud):
    with pytest.raises(AuthenticationError) as err:
        cloud.rds.connect(make_db(cloud), "admin", "wrong-password")
    assert err.value.engine_code == 1045


def test_wrong_password_fails_like_postgres(cloud):
    with pytest.raises(AuthenticationError) as err:
        cloud.rds.connect(make_db(cloud, engine="postgres"), "admin", "wrong-password")
    assert err.value.engine_code == "28P01"


def test_unknown_database_is_refused(cloud):
    with pytest.raises(OperationalError) as err:
        cloud.rds.connect(make_db(cloud, db_name="shop"), "admin", PW, database="other")
    assert err.value.code == "UnknownDatabase"


def test_connect_to_a_creating_instance_is_refused(cloud):
    with pytest.raises(OperationalError) as err:
        cloud.rds.connect(make_db(cloud, wait=False), "admin", PW)
    assert err.value.code == "CannotConnect"


def test_connect_by_endpoint_address(cloud):
    db = make_db(cloud)
    assert cloud.rds.connect(db.endpoint["Address"], "admin", PW).execute("SELECT 1").fetchone() == (1,)


def test_sql_error_is_a_programming_error(cloud):
    with pytest.raises(ProgrammingError):
        cloud.rds.connect(make_db(cloud), "admin", PW).execute("SELEC nonsense")


def test_reboot_breaks_open_sessions(cloud):
    db = make_db(cloud)
    conn = cloud.rds.connect(db, "admin", PW)
    cloud.rds.reboot_db_instance(db)
    with pytest.raises(ConnectionLost):
        conn.execute("SELECT 1")


def test_security_group_without_a_rule_times_out_naming_the_group(cloud):
    sg = cloud.vpc.create_security_group(cloud.vpc.default_vpc, "db", "db only")
    db = make_db(cloud, security_groups=[sg])
    app = cloud.vpc.create_network_interface(cloud.vpc.default_vpc.subnets[1])
    with pytest.raises(ConnectTimeout) as err:
        cloud.rds.connect(db, "admin", PW, from_eni=app)
    assert sg.id in str(err.value)


def test_security_group_rule_for_the_engine_port_lets_the_app_in(cloud):
    sg = cloud.vpc.create_security_group(cloud.vpc.default_vpc, "db", "db only")
    app = cloud.vpc.create_network_interface(cloud.vpc.default_vpc.subnets[1])
    cloud.vpc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=3306, to_port=3306,
                                               source_group=app.security_groups[0])
    db = make_db(cloud, security_groups=[sg])
    assert cloud.reachability(app, db.network_interface, 3306).reachable
    assert cloud.rds.connect(db, "admin", PW, from_eni=app).execute("SELECT 2").fetchone() == (2,)


def test_single_az_instance_is_unreachable_while_its_az_is_down(cloud):
    db = make_db(cloud)
    cloud.fail_az(db.az)
    with pytest.raises(OperationalError) as err:
        cloud.rds.connect(db, "admin", PW)
    assert err.value.code == "CannotConnect"


# -- metrics and bill -----------------------------------------------------------------------

def test_metrics_are_published_every_minute(cloud):
    db = make_db(cloud)
    cloud.rds.connect(db, "admin", PW)
    cloud.clock.advance(minutes=2)
    names = {m.name for m in cloud.cloudwatch.list_metrics(namespace="AWS/RDS")}
    assert {"CPUUtilization", "DatabaseConnections", "FreeStorageSpace"} <= names


def test_metric_ticker_stops_when_no_instance_is_left(cloud):
    db = make_db(cloud)
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True)
    cloud.clock.advance(minutes=2)
    assert not [e for e in cloud.clock.pending if e.name == "rds:metrics"]


def test_bill_counts_instance_hours_and_storage(cloud):
    make_db(cloud)
    cloud.clock.advance(hours=10)
    cost = cloud.bill.by_service()["rds"]
    hours = (10 * 3600 + CREATE_SECONDS + BACKING_UP_SECONDS) / 3600
    expected = hours * 0.017 + 20 * 0.115 * hours / 730
    assert cost == pytest.approx(expected, rel=1e-6)


def test_repr_reads_like_the_instance(cloud):
    assert repr(make_db(cloud, wait=False)).startswith("DBInstance('orders', mysql")


def test_service_is_registered_on_the_cloud():
    assert type(Cloud(seed=1).rds).__name__ == "RDSService"


def test_deleting_a_creating_instance_stays_deleting(cloud):
    db = make_db(cloud, wait=False)
    cloud.rds.delete_db_instance(db, skip_final_snapshot=True)
    cloud.clock.advance(DELETE_SECONDS - 1)
    assert db.status.value == "deleting"


def test_commit_on_a_read_only_session_with_nothing_to_commit_is_fine(cloud):
    db = make_db(cloud)
    ro = cloud.rds.create_db_instance_read_replica("ro", db)
    cloud.clock.advance(CREATE_SECONDS + BACKING_UP_SECONDS)
    conn = cloud.rds.connect(ro, "admin", PW)
    conn.execute("SELECT 1")
    conn.commit()
    assert conn.execute("SELECT 3").fetchone() == (3,)


def test_cpu_metric_rises_with_queries(cloud):
    db = make_db(cloud)
    conn = cloud.rds.connect(db, "admin", PW)
    cloud.clock.advance(minutes=1)
    for _ in range(50):
        conn.execute("SELECT 1")
    cloud.clock.advance(minutes=1)
    metric = cloud.cloudwatch.list_metrics(namespace="AWS/RDS", metric_name="CPUUtilization")[0]
    stats = cloud.cloudwatch.get_metric_statistics("AWS/RDS", "CPUUtilization", dimensions=metric.dimensions,
                                                   start=0, end=cloud.clock.now, period=60, statistics=["Maximum"])
    assert max(p["Maximum"] for p in stats) > 2.0


def test_describe_events_since_must_be_a_time(cloud):
    assert code(cloud.rds.describe_events, since="yesterday") == "InvalidParameterValue"


def test_describe_events_since_accepts_a_datetime(cloud):
    db = make_db(cloud)
    before, after = cloud.clock.to_datetime(0), cloud.clock.to_datetime(cloud.clock.now + 1)
    assert cloud.rds.describe_events(db, since=before) and cloud.rds.describe_events(db, since=after) == []
