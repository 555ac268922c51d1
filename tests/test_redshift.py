"""Redshift clusters: node types, create rules, lifecycle on the clock, snapshots, billing."""

import pytest

from awskit.core.errors import AWSError
from awskit.redshift import NODE_TYPES, ClusterStatus, node_type

PW = "Secret123"


def make(cloud, ident="dw", node="dc2.large", nodes=2, **kw):
    return cloud.redshift.create_cluster(ident, node_type=node, number_of_nodes=nodes, master_username="awsuser",
                                         master_user_password=PW, **kw)


def code(fn, *a, **kw):
    with pytest.raises(AWSError) as e:
        fn(*a, **kw)
    return e.value.code


@pytest.fixture
def ready(cloud):
    c = make(cloud)
    cloud.clock.advance(minutes=10)
    return c


def test_node_types_today_have_documented_slices():
    assert {n: t.slices for n, t in NODE_TYPES.items()} == {
        "ra3.large": 2, "ra3.xlplus": 2, "ra3.4xlarge": 4, "ra3.16xlarge": 16, "dc2.large": 2, "dc2.8xlarge": 16}


def test_retired_ds2_node_type_is_rejected(cloud):
    assert code(make, cloud, node="ds2.xlarge") == "InvalidParameterValue"


def test_unknown_node_type_is_rejected():
    assert code(node_type, "m5.large") == "InvalidParameterValue"


@pytest.mark.parametrize("ident", ["1abc", "a--b", "ab-", "a_b", "x" * 64, ""])
def test_bad_cluster_identifier_is_rejected(cloud, ident):
    assert code(make, cloud, ident=ident) == "InvalidParameterValue"


def test_cluster_identifier_is_stored_lower_case(cloud):
    assert make(cloud, ident="MyDW").id == "mydw"


def test_duplicate_cluster_is_rejected(cloud):
    make(cloud)
    assert code(make, cloud) == "ClusterAlreadyExists"


@pytest.mark.parametrize("pw", ["short1A", "alllower123", "ALLUPPER123", "NoDigitsHere", "Has space1A", "Quote'1Ab"])
def test_weak_or_forbidden_password_is_rejected(cloud, pw):
    assert code(cloud.redshift.create_cluster, "dw", node_type="dc2.large", master_username="awsuser",
                master_user_password=pw) == "InvalidParameterValue"


def test_single_node_with_several_nodes_is_rejected(cloud):
    assert code(make, cloud, nodes=3, cluster_type="single-node") == "InvalidParameterCombination"


def test_multi_node_needs_two_nodes(cloud):
    assert code(make, cloud, nodes=1, cluster_type="multi-node") == "InvalidParameterCombination"


def test_ra3_16xlarge_cannot_be_single_node(cloud):
    assert code(make, cloud, node="ra3.16xlarge", nodes=1) == "InvalidParameterCombination"


def test_too_many_nodes_for_type_is_rejected(cloud):
    assert code(make, cloud, nodes=33) == "NumberOfNodesPerClusterLimitExceeded"


def test_bad_port_is_rejected(cloud):
    assert code(make, cloud, port=80) == "InvalidParameterValue"


def test_cluster_is_creating_then_available_on_the_clock(cloud):
    c = make(cloud)
    assert c.status is ClusterStatus.CREATING and c.endpoint is None
    cloud.clock.advance(minutes=10)
    assert c.status is ClusterStatus.AVAILABLE
    assert c.endpoint[0].startswith("dw.") and c.endpoint[0].endswith(".us-east-1.redshift.amazonaws.com")
    assert c.endpoint[1] == 5439


def test_multi_node_cluster_has_leader_and_compute_nodes(ready):
    assert [n.role for n in ready.nodes] == ["LEADER", "COMPUTE-0", "COMPUTE-1"]
    assert ready.nodes[0].slices == [] and ready.nodes[2].slices == [2, 3]


def test_single_node_cluster_has_one_shared_node(cloud):
    c = make(cloud, nodes=None)
    assert [n.role for n in c.nodes] == ["SHARED"] and c.slices == 2


def test_nodes_take_addresses_in_the_subnet(ready):
    assert all(ready.subnet.cidr_block.__contains__(__import__("ipaddress").ip_address(n.private_ip))
               for n in ready.nodes)


def test_delete_needs_final_snapshot_or_skip(ready, cloud):
    assert code(cloud.redshift.delete_cluster, "dw") == "InvalidParameterCombination"


def test_delete_with_final_snapshot_keeps_data(ready, cloud):
    ready.execute("CREATE TABLE t (a INT)")
    ready.execute("INSERT INTO t VALUES (1), (2)")
    cloud.redshift.delete_cluster("dw", final_snapshot_identifier="last")
    cloud.clock.advance(minutes=5)
    assert code(cloud.redshift.get_cluster, "dw") == "ClusterNotFound"
    cloud.redshift.restore_from_cluster_snapshot("back", "last")
    cloud.clock.advance(minutes=10)
    assert cloud.redshift.get_cluster("back").execute("SELECT a FROM t ORDER BY a").rows == [(1,), (2,)]


def test_deleted_cluster_gives_back_its_addresses(ready, cloud):
    enis = len(cloud.vpc.network_interfaces)
    cloud.redshift.delete_cluster("dw", skip_final_snapshot=True)
    cloud.clock.advance(minutes=5)
    assert len(cloud.vpc.network_interfaces) == enis - 3


def test_snapshot_restores_data_exactly_even_after_changes(ready, cloud):
    ready.execute("CREATE TABLE t (a INT, b VARCHAR(5)) DISTKEY(a)")
    ready.execute("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, NULL)")
    cloud.redshift.create_cluster_snapshot("snap1", "dw")
    ready.execute("TRUNCATE t")
    cloud.clock.advance(minutes=2)
    cloud.redshift.restore_from_cluster_snapshot("copy", "snap1")
    cloud.clock.advance(minutes=10)
    copy = cloud.redshift.get_cluster("copy")
    assert copy.execute("SELECT a, b FROM t ORDER BY a").rows == [(1, "x"), (2, "y"), (3, None)]
    assert copy.table_distribution("t") == ready.table_distribution("t") or ready.table("t").row_count == 0


def test_restoring_a_creating_snapshot_is_rejected(ready, cloud):
    cloud.redshift.create_cluster_snapshot("s", "dw")
    assert code(cloud.redshift.restore_from_cluster_snapshot, "x", "s") == "InvalidClusterSnapshotState"


def test_automated_snapshot_every_eight_hours(ready, cloud):
    cloud.clock.advance(hours=16.5)
    autos = cloud.redshift.describe_cluster_snapshots(snapshot_type="automated")
    assert len(autos) == 2


def test_automated_snapshot_cannot_be_deleted_by_hand(ready, cloud):
    cloud.clock.advance(hours=8.5)
    sid = cloud.redshift.describe_cluster_snapshots(snapshot_type="automated")[0].id
    assert code(cloud.redshift.delete_cluster_snapshot, sid) == "InvalidClusterSnapshotState"


def test_pause_stops_compute_billing(ready, cloud):
    cloud.redshift.pause_cluster("dw")
    cloud.clock.advance(minutes=5)
    before = cloud.bill.total()
    cloud.clock.advance(hours=10)
    assert ready.status is ClusterStatus.PAUSED and cloud.bill.total() == pytest.approx(before)


def test_available_cluster_bills_node_hours(ready, cloud):
    before = cloud.bill.total()
    cloud.clock.advance(hours=1)
    assert cloud.bill.total() - before == pytest.approx(2 * NODE_TYPES["dc2.large"].hourly)


def test_paused_cluster_refuses_queries(ready, cloud):
    cloud.redshift.pause_cluster("dw")
    assert code(ready.execute, "SELECT 1") == "InvalidClusterState"


def test_resume_only_a_paused_cluster(ready, cloud):
    assert code(cloud.redshift.resume_cluster, "dw") == "InvalidClusterState"


def test_elastic_resize_beyond_double_is_unsupported(ready, cloud):
    assert code(cloud.redshift.resize_cluster, "dw", number_of_nodes=5) == "UnsupportedOperation"


def test_classic_resize_allows_bigger_change(ready, cloud):
    cloud.redshift.resize_cluster("dw", number_of_nodes=5, classic=True)
    assert ready.status is ClusterStatus.RESIZING
    cloud.clock.advance(hours=3)
    assert ready.number_of_nodes == 5 and ready.slices == 10 and len(ready.nodes) == 6


def test_ra3_managed_storage_is_billed_per_gb_month(cloud):
    c = make(cloud, node="ra3.xlplus")
    cloud.clock.advance(minutes=10)
    c.execute("CREATE TABLE t (s VARCHAR(1000))")
    c.execute("INSERT INTO t VALUES ('" + "x" * 1000 + "')")
    meters = [m for m in cloud.bill.meters if m.usage.startswith("RA3 managed storage") and m.end is None]
    assert meters and meters[0].rate == pytest.approx(c.data_bytes / 1e9 * 0.024)


def test_connect_checks_password(ready, cloud):
    assert code(cloud.redshift.connect, "dw", "awsuser", "wrong") == "28P01"


def test_connect_checks_database(ready, cloud):
    assert code(cloud.redshift.connect, "dw", "awsuser", PW, database="prod") == "3D000"


def test_cursor_runs_sql_with_parameters(ready, cloud):
    cur = cloud.redshift.connect("dw", "awsuser", PW).cursor()
    cur.execute("CREATE TABLE t (a INT, b VARCHAR(10))")
    cur.execute("INSERT INTO t VALUES (%s, %s)", (1, "it's"))
    cur.execute("SELECT b FROM t WHERE a = %s", (1,))
    assert cur.fetchall() == [("it's",)] and cur.description[0][0] == "b"


def test_node_configuration_options_fit_the_data(cloud):
    opts = cloud.redshift.describe_node_configuration_options(data_gb=1000)
    assert opts and all(NODE_TYPES[o["NodeType"]].storage_gb * o["NumberOfNodes"] >= 1000 for o in opts)


def test_node_configuration_options_need_a_non_negative_size(cloud):
    assert code(cloud.redshift.describe_node_configuration_options, data_gb=-1) == "InvalidParameterValue"
