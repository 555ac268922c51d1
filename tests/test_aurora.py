"""Aurora: clusters, the six-copy volume and its quorums, writer and readers, endpoints, failover, PITR."""

import pytest
from test_rds import PW, code

from awskit.rds.aurora import CLUSTER_FAILOVER_SECONDS, MAX_REPLICAS, WRITER_RECREATE_SECONDS
from awskit.rds.sql import ConnectionLost, OperationalError, ReadOnlyError


def make_cluster(cloud, readers=0, classes=None, tiers=None, **kw):
    cluster = cloud.rds.create_db_cluster("shop", engine="aurora-mysql", master_username="admin",
                                          master_password=PW, **kw)
    members = [cloud.rds.create_db_instance("shop-w", engine="aurora-mysql", instance_class="db.r6g.large",
                                            cluster=cluster)]
    for i in range(readers):
        cls = (classes or {}).get(i, "db.r6g.large")
        members.append(cloud.rds.create_db_instance(f"shop-r{i}", engine="aurora-mysql", instance_class=cls,
                                                    cluster=cluster, promotion_tier=(tiers or {}).get(i, 1)))
    cloud.clock.advance(minutes=6)
    return cluster, members


def test_cluster_volume_keeps_six_copies_across_three_azs(cloud):
    cluster, _ = make_cluster(cloud)
    azs = [c.az for c in cluster.volume.copies]
    assert len(azs) == 6 and len(set(azs)) == 3 and all(azs.count(a) == 2 for a in set(azs))


def test_writes_continue_with_one_az_down(cloud):
    cluster, _ = make_cluster(cloud, readers=1)
    cloud.fail_az(cluster.volume.copies[0].az)
    assert cluster.healthy_copies() == 4 and cluster.volume_can_write() and cluster.volume_can_read()


def test_an_az_plus_one_copy_down_stops_writes_but_not_reads(cloud):
    cluster, _ = make_cluster(cloud)
    cloud.fail_az(cluster.volume.copies[0].az)
    cluster.fail_storage_node(2)
    assert (cluster.healthy_copies(), cluster.volume_can_write(), cluster.volume_can_read()) == (3, False, True)


def test_four_copies_down_stops_reads_too(cloud):
    cluster, _ = make_cluster(cloud)
    for n in range(4):
        cluster.fail_storage_node(n)
    assert not cluster.volume_can_read()


def test_sql_write_fails_without_the_write_quorum(cloud):
    cluster, _ = make_cluster(cloud)
    conn = cloud.rds.connect(cluster, "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    for n in (0, 2, 4):
        cluster.fail_storage_node(n)
    with pytest.raises(OperationalError) as err:
        conn.execute("INSERT INTO t VALUES (1)")
    assert err.value.code == "StorageQuorumLost"
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_repaired_storage_node_restores_writes(cloud):
    cluster, _ = make_cluster(cloud)
    for n in (0, 2, 4):
        cluster.fail_storage_node(n)
    cluster.restore_storage_node(4)
    assert cluster.volume_can_write()


def test_bad_storage_node_number_is_rejected(cloud):
    cluster, _ = make_cluster(cloud)
    assert code(cluster.fail_storage_node, 6) == "InvalidParameterValue"


def test_first_instance_is_the_writer_and_later_ones_readers(cloud):
    cluster, (w, r) = make_cluster(cloud, readers=1)
    assert cluster.writer is w and cluster.readers == [r]


def test_replicas_are_spread_across_azs(cloud):
    _cluster, members = make_cluster(cloud, readers=2)
    assert len({m.az for m in members}) == 3


def test_readers_see_writes_at_once_through_the_shared_volume(cloud):
    cluster, (_w, r) = make_cluster(cloud, readers=1)
    conn = cloud.rds.connect(cluster, "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    assert cloud.rds.connect(r, "admin", PW).execute("SELECT x FROM t").fetchall() == [(1,)]


def test_reader_refuses_writes(cloud):
    cluster, (_w, _r) = make_cluster(cloud, readers=1)
    with pytest.raises(ReadOnlyError):
        cloud.rds.connect(cluster.reader_endpoint, "admin", PW).execute("CREATE TABLE t (x)")


def test_reader_endpoint_spreads_connections_round_robin(cloud):
    cluster, _members = make_cluster(cloud, readers=3)
    conns = [cloud.rds.connect(cluster.reader_endpoint, "admin", PW) for _ in range(6)]
    assert [c.server_id for c in conns] == ["shop-r0", "shop-r1", "shop-r2"] * 2


def test_reader_endpoint_without_readers_leads_to_the_writer(cloud):
    cluster, (_w,) = make_cluster(cloud)
    assert cloud.rds.connect(cluster.reader_endpoint, "admin", PW).server_id == "shop-w"


def test_reader_endpoint_skips_a_reader_in_a_failed_az(cloud):
    cluster, (_w, r0, _r1) = make_cluster(cloud, readers=2)
    cloud.fail_az(r0.az)
    assert {cloud.rds.connect(cluster.reader_endpoint, "admin", PW).server_id for _ in range(4)} == {"shop-r1"}


def test_connections_count_on_the_instance_they_reach(cloud):
    cluster, (w, r) = make_cluster(cloud, readers=1)
    conn = cloud.rds.connect(cluster.reader_endpoint, "admin", PW)
    assert (len(r.connections), len(w.connections)) == (1, 0)
    conn.close()
    assert len(r.connections) == 0


def test_endpoints_are_named_like_aurora(cloud):
    cluster, (w,) = make_cluster(cloud)
    assert ".cluster-" in cluster.endpoint and ".cluster-ro-" in cluster.reader_endpoint
    assert w.endpoint["Address"].startswith("shop-w.")


def test_at_most_fifteen_replicas(cloud):
    cluster, _ = make_cluster(cloud, readers=MAX_REPLICAS)
    assert code(cloud.rds.create_db_instance, "one-more", engine="aurora-mysql", instance_class="db.r6g.large",
                cluster=cluster) == "InstanceQuotaExceeded"


@pytest.mark.parametrize("tier", [-1, 16])
def test_promotion_tier_outside_0_to_15_is_rejected(cloud, tier):
    cluster, _ = make_cluster(cloud)
    assert code(cloud.rds.create_db_instance, "x", engine="aurora-mysql", instance_class="db.r6g.large",
                cluster=cluster, promotion_tier=tier) == "InvalidParameterValue"


def test_failover_promotes_the_lowest_promotion_tier(cloud):
    cluster, _members = make_cluster(cloud, readers=3, tiers={0: 5, 1: 0, 2: 3})
    cloud.rds.failover_db_cluster(cluster)
    cloud.clock.advance(CLUSTER_FAILOVER_SECONDS)
    assert cluster.writer.id == "shop-r1"


def test_failover_tie_goes_to_the_largest_instance(cloud):
    cluster, _members = make_cluster(cloud, readers=2, classes={1: "db.r6g.xlarge"})
    cloud.rds.failover_db_cluster(cluster)
    cloud.clock.advance(CLUSTER_FAILOVER_SECONDS)
    assert cluster.writer.id == "shop-r1"


def test_writer_az_failure_fails_over_and_the_cluster_endpoint_follows(cloud):
    cluster, (w, r) = make_cluster(cloud, readers=1)
    endpoint = cluster.endpoint
    cloud.fail_az(w.az)
    assert cluster.status.value == "failing-over"
    cloud.clock.advance(CLUSTER_FAILOVER_SECONDS)
    conn = cloud.rds.connect(endpoint, "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    assert cluster.writer is r and cluster.endpoint == endpoint


def test_outage_during_cluster_failover_lasts_thirty_seconds(cloud):
    cluster, (w, _r) = make_cluster(cloud, readers=1)
    cloud.fail_az(w.az)
    cloud.clock.advance(CLUSTER_FAILOVER_SECONDS - 1)
    with pytest.raises(OperationalError):
        cloud.rds.connect(cluster, "admin", PW).execute("SELECT 1")
    cloud.clock.advance(1)
    assert cloud.rds.connect(cluster, "admin", PW).execute("SELECT 1").fetchone() == (1,)


def test_writer_sessions_break_on_failover(cloud):
    cluster, (_w, _r) = make_cluster(cloud, readers=1)
    conn = cloud.rds.connect(cluster, "admin", PW)
    cloud.rds.failover_db_cluster(cluster)
    with pytest.raises(ConnectionLost):
        conn.execute("SELECT 1")


def test_failover_events_use_aurora_messages(cloud):
    cluster, (_w, r) = make_cluster(cloud, readers=1)
    cloud.rds.failover_db_cluster(cluster)
    cloud.clock.advance(CLUSTER_FAILOVER_SECONDS)
    messages = [e.message for e in cloud.rds.describe_events(cluster)]
    assert messages[-2:] == [f"Started cross AZ failover to DB instance: {r.id}",
                             f"Completed failover to DB instance: {r.id}"]


def test_failover_without_a_reader_is_rejected(cloud):
    cluster, _ = make_cluster(cloud)
    assert code(cloud.rds.failover_db_cluster, cluster) == "InvalidDBClusterStateFault"


def test_writer_without_replica_is_recreated_in_a_healthy_az(cloud):
    cluster, (w,) = make_cluster(cloud)
    old = w.az
    cloud.fail_az(old)
    cloud.clock.advance(WRITER_RECREATE_SECONDS)
    assert w.az != old and cloud.rds.connect(cluster, "admin", PW).execute("SELECT 1").fetchone() == (1,)


def test_engine_mismatch_with_the_cluster_is_rejected(cloud):
    cluster, _ = make_cluster(cloud)
    assert code(cloud.rds.create_db_instance, "pg", engine="aurora-postgresql", instance_class="db.r6g.large",
                cluster=cluster) == "InvalidParameterCombination"


def test_aurora_instance_without_a_cluster_is_rejected(cloud):
    assert code(cloud.rds.create_db_instance, "lone", engine="aurora-mysql",
                instance_class="db.r6g.large") == "InvalidParameterCombination"


def test_unknown_cluster_is_not_found(cloud):
    assert code(cloud.rds.get_db_cluster, "nope") == "DBClusterNotFoundFault"


def test_duplicate_cluster_is_rejected(cloud):
    make_cluster(cloud)
    assert code(cloud.rds.create_db_cluster, "shop", engine="aurora-mysql", master_username="admin",
                master_password=PW) == "DBClusterAlreadyExistsFault"


def test_cluster_with_instances_cannot_be_deleted(cloud):
    cluster, _ = make_cluster(cloud)
    assert code(cloud.rds.delete_db_cluster, cluster, skip_final_snapshot=True) == "InvalidDBClusterStateFault"


def test_cluster_is_deleted_after_its_instances(cloud):
    cluster, (w,) = make_cluster(cloud)
    cloud.rds.delete_db_instance(w)
    cloud.rds.delete_db_cluster(cluster, skip_final_snapshot=True)
    cloud.clock.advance(minutes=2)
    assert cloud.rds.db_clusters == []


def test_cluster_point_in_time_restore_is_exact(cloud):
    cluster, _ = make_cluster(cloud)
    conn = cloud.rds.connect(cluster, "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    marks = []
    for x in (1, 2, 3):
        cloud.clock.advance(minutes=10)
        conn.execute("INSERT INTO t VALUES (?)", (x,))
        conn.commit()
        marks.append(cloud.clock.now)
    cloud.clock.advance(minutes=10)
    new = cloud.rds.restore_db_cluster_to_point_in_time(cluster, "shop-then", restore_time=marks[1] + 30)
    assert new.volume.data.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (2,)] and new.members == []


def test_aurora_bills_instance_hours_and_io(cloud):
    cluster, _ = make_cluster(cloud)
    conn = cloud.rds.connect(cluster, "admin", PW)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    cloud.clock.advance(hours=2)
    usages = {(i.resource, i.usage) for i in cloud.bill.items} | {(m.resource, m.usage) for m in cloud.bill.meters}
    assert ("shop-w", "db.r6g.large Aurora hours") in usages and ("shop", "Aurora storage and I/O (hour)") in usages


def test_cluster_repr_names_writer_and_readers(cloud):
    cluster, _ = make_cluster(cloud, readers=2)
    assert repr(cluster) == "DBCluster('shop', aurora-mysql, writer='shop-w', readers=2, available)"


def test_failover_timeline_works_for_a_cluster(cloud):
    cluster, (_w, _r) = make_cluster(cloud, readers=1)
    cloud.rds.failover_db_cluster(cluster)
    cloud.clock.advance(CLUSTER_FAILOVER_SECONDS)
    timeline = cloud.rds.failover_timeline("shop")
    assert [row[3] for row in timeline] == [False, True] and timeline[1][0] - timeline[0][0] == CLUSTER_FAILOVER_SECONDS
