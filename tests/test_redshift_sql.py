"""Redshift's SQL engine: distribution styles, MPP execution, EXPLAIN, zone maps, COPY, resize."""

import random
from decimal import Decimal

import pytest

from awskit.core.errors import AWSError
from awskit.redshift import AUTO_ALL_MAX_ROWS, ROWS_PER_BLOCK


def code(fn, *a, **kw):
    with pytest.raises(AWSError) as e:
        fn(*a, **kw)
    return e.value.code


@pytest.fixture
def dw(cloud):
    c = cloud.redshift.create_cluster("dw", node_type="dc2.large", number_of_nodes=2, master_username="awsuser",
                                      master_user_password="Secret123")
    cloud.clock.advance(minutes=10)
    return c   # 2 nodes x 2 slices


def load(c, table, rows):
    vals = ", ".join("(" + ", ".join("NULL" if v is None else repr(v) for v in r) + ")" for r in rows)
    c.execute(f"INSERT INTO {table} VALUES {vals}")


DATA = [(i, random.Random(i).choice(["eu", "us", "ap"]), random.Random(i * 7).randint(1, 50)) for i in range(400)]


@pytest.fixture
def sales(dw):
    dw.execute("CREATE TABLE sales (id INT, region VARCHAR(4), qty INT) DISTKEY(id) SORTKEY(id)")
    load(dw, "sales", DATA)
    return dw


def test_even_distribution_deals_rows_round_robin(dw):
    dw.execute("CREATE TABLE t (a INT) DISTSTYLE EVEN")
    load(dw, "t", [(i,) for i in range(10)])
    assert dw.table_distribution("t") == [3, 3, 2, 2]


def test_key_distribution_puts_equal_keys_on_one_slice(dw):
    dw.execute("CREATE TABLE t (a INT, b INT) DISTKEY(a)")
    load(dw, "t", [(7, i) for i in range(20)])
    assert sorted(dw.table_distribution("t")) == [0, 0, 0, 20]


def test_skewed_key_shows_in_table_info(dw):
    dw.execute("CREATE TABLE t (a INT, b INT) DISTKEY(a)")
    load(dw, "t", [(7, i) for i in range(20)])
    assert dw.svv_table_info()[0]["skew_rows"] == 20


def test_all_distribution_keeps_a_copy_on_each_nodes_first_slice(dw):
    dw.execute("CREATE TABLE t (a INT) DISTSTYLE ALL")
    load(dw, "t", [(i,) for i in range(5)])
    assert dw.table_distribution("t") == [5, 0, 5, 0]


def test_auto_starts_all_then_turns_even(dw):
    dw.execute("CREATE TABLE t (a INT)")
    load(dw, "t", [(i,) for i in range(10)])
    assert dw.table("t").diststyle_label == "AUTO(ALL)"
    load(dw, "t", [(i,) for i in range(AUTO_ALL_MAX_ROWS)])
    assert dw.table("t").diststyle_label == "AUTO(EVEN)" and sum(dw.table_distribution("t")) == 1010


def test_distkey_must_be_a_column(dw):
    assert code(dw.execute, "CREATE TABLE t (a INT) DISTKEY(b)") == "42703"


def test_diststyle_key_needs_distkey(dw):
    assert code(dw.execute, "CREATE TABLE t (a INT) DISTSTYLE KEY") == "42601"


def test_duplicate_table_is_rejected(dw):
    dw.execute("CREATE TABLE t (a INT)")
    assert code(dw.execute, "CREATE TABLE t (a INT)") == "42P07"


def test_unknown_table_is_reported(dw):
    assert code(dw.execute, "SELECT * FROM nope") == "42P01"


def test_syntax_error_is_reported(dw):
    assert code(dw.execute, "SELEC 1") == "42601"


def test_varchar_too_long_is_rejected(dw):
    dw.execute("CREATE TABLE t (s VARCHAR(3))")
    assert code(dw.execute, "INSERT INTO t VALUES ('abcd')") == "22001"


def test_not_null_is_enforced_and_nothing_is_written(dw):
    dw.execute("CREATE TABLE t (a INT NOT NULL)")
    assert code(dw.execute, "INSERT INTO t VALUES (1), (NULL)") == "23502"
    assert dw.table("t").row_count == 0


def test_aggregates_equal_plain_python(sales):
    res = sales.execute("SELECT region, COUNT(*), SUM(qty), MIN(qty), MAX(qty), AVG(qty) FROM sales "
                        "GROUP BY region ORDER BY region")
    want = []
    for region in sorted({r for _, r, _ in DATA}):
        q = [x for _, r, x in DATA if r == region]
        want.append((region, len(q), sum(q), min(q), max(q), sum(q) // len(q)))
    assert res.rows == want


def test_avg_of_decimals_is_exact(dw):
    dw.execute("CREATE TABLE t (p DECIMAL(8,2))")
    load(dw, "t", [("1.10",), ("2.20",)])
    assert dw.execute("SELECT AVG(p), SUM(p) FROM t").rows == [(Decimal("1.65"), Decimal("3.30"))]


def test_where_order_limit(sales):
    res = sales.execute("SELECT id, qty FROM sales WHERE region = 'eu' AND qty >= 40 ORDER BY qty DESC, id LIMIT 3")
    want = sorted([(i, q) for i, r, q in DATA if r == "eu" and q >= 40], key=lambda t: (-t[1], t[0]))[:3]
    assert res.rows == want


def test_ungrouped_column_is_a_grouping_error(sales):
    assert code(sales.execute, "SELECT region, qty, COUNT(*) FROM sales GROUP BY region") == "42803"


def test_every_slice_scans_its_own_rows(sales):
    rec = sales.execute("SELECT COUNT(*) FROM sales").record
    assert rec.slice_rows == sales.table_distribution("sales") and rec.rows_scanned == 400


def test_colocated_join_moves_nothing(sales):
    sales.execute("CREATE TABLE details (id INT, note VARCHAR(8)) DISTKEY(id)")
    load(sales, "details", [(i, "n") for i in range(0, 400, 2)])
    plan = sales.explain("SELECT s.region, COUNT(*) FROM sales s JOIN details d ON s.id = d.id GROUP BY s.region")
    assert "XN Hash Join DS_DIST_NONE" in plan
    assert sales.query_log[-1].rows_moved == 0


def test_mismatched_join_redistributes_the_inner(sales):
    sales.execute("CREATE TABLE users (uid INT, name VARCHAR(8)) DISTSTYLE EVEN")
    load(sales, "users", [(i, "u") for i in range(100)])
    res = sales.execute("SELECT COUNT(*) FROM sales JOIN users ON sales.id = users.uid")
    assert res.record.join == "DS_DIST_INNER" and res.record.rows_moved == 100
    assert res.scalar() == 100


def test_small_inner_with_no_matching_keys_is_broadcast(dw):
    dw.execute("CREATE TABLE a (x INT, y INT) DISTSTYLE EVEN")
    dw.execute("CREATE TABLE b (y INT, z INT) DISTSTYLE EVEN")
    load(dw, "a", [(i, i % 10) for i in range(50)])
    load(dw, "b", [(i, i) for i in range(10)])
    plan = dw.explain("SELECT COUNT(*) FROM a JOIN b ON a.y = b.y")
    assert "DS_BCAST_INNER" in plan and dw.query_log[-1].rows_moved == 10 * 2


def test_all_inner_needs_no_movement(sales):
    sales.execute("CREATE TABLE regions (code VARCHAR(4), name VARCHAR(20)) DISTSTYLE ALL")
    load(sales, "regions", [("eu", "Europe"), ("us", "America"), ("ap", "Asia")])
    res = sales.execute("SELECT r.name, SUM(s.qty) FROM sales s JOIN regions r ON s.region = r.code "
                        "GROUP BY r.name ORDER BY r.name")
    assert res.record.join == "DS_DIST_ALL_NONE" and res.record.rows_moved == 0
    totals = {n: sum(q for _, r, q in DATA if r == c) for c, n in [("eu", "Europe"), ("us", "America"),
                                                                 ("ap", "Asia")]}
    assert res.rows == sorted(totals.items())


def test_join_results_do_not_depend_on_strategy(sales):
    sales.execute("CREATE TABLE u1 (uid INT, k INT) DISTKEY(uid)")
    sales.execute("CREATE TABLE u2 (uid INT, k INT) DISTSTYLE EVEN")
    rows = [(i, i % 3) for i in range(0, 400, 3)]
    load(sales, "u1", rows)
    load(sales, "u2", rows)
    q = "SELECT s.id, u.k FROM sales s JOIN {} u ON s.id = u.uid ORDER BY s.id"
    assert sales.execute(q.format("u1")).rows == sales.execute(q.format("u2")).rows


def test_explain_shows_aggregate_and_scan(sales):
    plan = sales.explain("SELECT region, SUM(qty) FROM sales WHERE qty > 10 GROUP BY region ORDER BY region")
    lines = plan.splitlines()
    assert lines[0].startswith("XN Merge") and any("XN HashAggregate" in ln for ln in lines)
    assert any("XN Seq Scan on sales" in ln for ln in lines) and any("Filter: (qty > 10)" in ln for ln in lines)


def test_range_on_sort_key_skips_blocks(sales):
    res = sales.execute("SELECT COUNT(*) FROM sales WHERE id BETWEEN 0 AND 20")
    rec = res.record
    assert res.scalar() == 21 and rec.blocks_skipped > 0 and rec.rows_scanned < 400


def test_range_on_unsorted_column_skips_fewer_blocks_than_on_sort_key(sales):
    unsorted = sales.execute("SELECT COUNT(*) FROM sales WHERE qty BETWEEN 20 AND 30").record
    sorted_ = sales.execute("SELECT COUNT(*) FROM sales WHERE id BETWEEN 100 AND 190").record
    assert unsorted.rows_scanned > sorted_.rows_scanned


def test_skew_makes_the_query_slower(dw):
    dw.execute("CREATE TABLE even_t (a INT, b INT) DISTSTYLE EVEN")
    dw.execute("CREATE TABLE skew_t (a INT, b INT) DISTKEY(a)")
    rows = [(1, i) for i in range(2000)]
    load(dw, "even_t", rows)
    load(dw, "skew_t", rows)
    fast = dw.execute("SELECT SUM(b) FROM even_t").record
    slow = dw.execute("SELECT SUM(b) FROM skew_t").record
    assert slow.duration_s > fast.duration_s and slow.skew > fast.skew


def test_copy_from_s3_loads_csv(dw, cloud):
    cloud.s3.create_bucket("lake")
    cloud.s3.put_object("lake", "sales/part-0.csv", b"id,region,qty\n1,eu,5\n2,us,7\n")
    cloud.s3.put_object("lake", "sales/part-1.csv", b"id,region,qty\n3,eu,1\n")
    dw.execute("CREATE TABLE sales (id INT, region VARCHAR(4), qty INT) DISTKEY(id)")
    res = dw.execute("COPY sales FROM 's3://lake/sales/' IAM_ROLE 'arn:aws:iam::123456789012:role/rs' "
                     "FORMAT AS CSV IGNOREHEADER 1")
    assert res.record.rows == 3
    assert dw.execute("SELECT id, region, qty FROM sales ORDER BY id").rows == [(1, "eu", 5), (2, "us", 7),
                                                                                (3, "eu", 1)]


def test_copy_from_missing_bucket_is_a_load_error(dw):
    dw.execute("CREATE TABLE t (a INT)")
    assert code(dw.execute, "COPY t FROM 's3://nobucket-here/x' IAM_ROLE default CSV") == "XX000"


def test_copy_bad_line_fails_and_is_logged(dw, cloud):
    cloud.s3.create_bucket("lake")
    cloud.s3.put_object("lake", "t.csv", b"1\nabc\n3\n")
    dw.execute("CREATE TABLE t (a INT)")
    assert code(dw.execute, "COPY t FROM 's3://lake/t.csv' IAM_ROLE default CSV") == "XX000"
    assert dw.table("t").row_count == 0
    err = dw.execute("SELECT line_number, colname, err_code FROM stl_load_errors").rows
    assert err == [(2, "a", 1207)]


def test_copy_maxerror_tolerates_bad_lines(dw, cloud):
    cloud.s3.create_bucket("lake")
    cloud.s3.put_object("lake", "t.csv", b"1\nabc\n3\n")
    dw.execute("CREATE TABLE t (a INT)")
    dw.execute("COPY t FROM 's3://lake/t.csv' IAM_ROLE default CSV MAXERROR 5")
    assert dw.execute("SELECT SUM(a) FROM t").scalar() == 4


def test_copy_without_iam_role_is_refused(dw, cloud):
    cloud.s3.create_bucket("lake")
    cloud.s3.put_object("lake", "t.csv", b"1\n")
    dw.execute("CREATE TABLE t (a INT)")
    assert code(dw.execute, "COPY t FROM 's3://lake/t.csv' CSV") == "XX000"


def test_resize_redistributes_and_results_stay_the_same(sales, cloud):
    q = "SELECT region, COUNT(*), SUM(qty) FROM sales GROUP BY region ORDER BY region"
    before = sales.execute(q).rows
    cloud.redshift.resize_cluster("dw", number_of_nodes=4)
    cloud.clock.advance(minutes=20)
    assert len(sales.table_distribution("sales")) == 8 and sum(sales.table_distribution("sales")) == 400
    assert sales.execute(q).rows == before


def test_writes_are_refused_while_resizing(sales, cloud):
    cloud.redshift.resize_cluster("dw", number_of_nodes=3)
    assert code(sales.execute, "INSERT INTO sales VALUES (1, 'eu', 1)") == "InvalidClusterState"
    assert sales.execute("SELECT COUNT(*) FROM sales").scalar() == 400


def test_insert_select_copies_rows(sales):
    sales.execute("CREATE TABLE eu (id INT, qty INT)")
    sales.execute("INSERT INTO eu SELECT id, qty FROM sales WHERE region = 'eu'")
    assert sales.table("eu").row_count == sum(1 for _, r, _ in DATA if r == "eu")


def test_dates_compare_with_string_literals(dw):
    dw.execute("CREATE TABLE e (d DATE, n INT) SORTKEY(d)")
    load(dw, "e", [(f"2026-01-0{i}", i) for i in range(1, 10)])
    assert dw.execute("SELECT SUM(n) FROM e WHERE d >= '2026-01-05'").scalar() == 5 + 6 + 7 + 8 + 9


def test_blocks_are_rows_per_block(dw):
    dw.execute("CREATE TABLE t (a INT) DISTSTYLE EVEN SORTKEY(a)")
    load(dw, "t", [(i,) for i in range(4 * ROWS_PER_BLOCK)])
    rec = dw.execute("SELECT COUNT(*) FROM t").record
    assert rec.blocks_scanned == 4
