"""The chapter 12 partition view, driven in plain Python: bars, loads, hot keys, query vs scan."""

import time

import pytest

from awskit import AWSError
from awskit.widgets import PartitionView


@pytest.fixture
def table(cloud):
    t = cloud.dynamodb.create_table("events", partition_key="device", sort_key="seq")
    cloud.clock.advance(seconds=10)
    return t


@pytest.fixture
def view(cloud, table):
    v = PartitionView(cloud, table)
    yield v
    v.close()


def test_empty_table_shows_one_empty_bar_per_partition(table, view):
    assert [b["partition"] for b in view.bars] == [p.number for p in table.partitions]
    assert all(b["items"] == 0 and not b["hot"] for b in view.bars)


def test_uniform_load_spreads_items_over_every_partition(table, view):
    result = view.load(2000, "uniform", keys=200)
    assert result["written"] == 2000 and table.item_count == 2000
    counts = [b["items"] for b in view.bars]
    assert sum(counts) == 2000
    assert min(counts) > 2000 / len(counts) / 2  # no partition far below its share
    assert not any(b["hot"] for b in view.bars)


def test_skewed_load_makes_a_hot_partition(table, view):
    view.load(2000, "skewed", keys=200)
    hot = [b for b in view.bars if b["hot"]]
    assert hot
    assert "hot" in view.chart.value and "#cf222e" in view.chart.value


def test_a_hot_key_past_a_partitions_ceiling_is_throttled_and_retried(table, view):
    result = view.load(5000, "skewed", keys=100)
    assert result["written"] == 5000
    assert result["throttled"] > 0 and result["seconds"] >= 1
    assert table.throttled_requests == result["throttled"]


def test_heavy_traffic_splits_partitions(table, view):
    before = len(table.partitions)
    result = view.load(5000, "skewed", keys=100)
    assert result["new_partitions"] > 0
    assert len(view.bars) == len(table.partitions) > before


def test_load_button_uses_the_controls(table, view):
    view.count.value, view.keys.value, view.distribution.value = 300, 30, "uniform"
    view.load_button.click()
    assert table.item_count == 300
    assert "300 items" in view.status.value


def test_query_reads_only_its_key_while_the_scan_reads_everything(table, view):
    view.load(1000, "uniform", keys=50)
    result = view.compare("key-7")
    q, s = result["query"], result["scan"]
    assert q["count"] == s["count"] > 0
    assert q["scanned_count"] == q["count"]
    assert s["scanned_count"] == 1000
    assert s["consumed_rcu"] > q["consumed_rcu"]
    assert "ScannedCount" in view.panel.value


def test_compare_button_reads_the_key_box(table, view):
    view.load(200, "uniform", keys=10)
    view.key.value = "key-1"
    view.compare_button.click()
    assert view.comparison["query"]["count"] == len(table.query_items("device = :d", values={":d": "key-1"}))


def test_compare_without_a_key_is_explained(view):
    view.key.value = ""
    view.compare_button.click()
    assert view.last_error.code == "ValidationException"


def test_scan_shows_capacity_on_every_partition(cloud, table, view):
    view.load(1000, "uniform", keys=100)
    cloud.clock.advance(seconds=61)  # let the writes leave the one-minute window
    view.compare("key-1")
    assert all(b["rcu"] > 0 for b in view.bars)


def test_numeric_partition_keys_are_loaded_and_compared(cloud):
    t = cloud.dynamodb.create_table("readings", partition_key=("sensor", "N"))
    cloud.clock.advance(seconds=10)
    v = PartitionView(cloud, "readings")
    v.load(300, "skewed", keys=20)
    assert t.item_count > 0  # hash-only table: a repeated key replaces its item
    result = v.compare("-1")  # the first hot key
    assert result["query"]["count"] == 1 and result["scan"]["scanned_count"] == t.item_count
    v.close()


def test_provisioned_table_that_cannot_keep_up_reports_throttling(cloud):
    t = cloud.dynamodb.create_table("slow", partition_key="device", billing_mode="PROVISIONED",
                                    read_capacity=1, write_capacity=1)
    cloud.clock.advance(seconds=10)
    v = PartitionView(cloud, t)
    v.count.value = 1000
    v.load_button.click()  # 300 WCU of burst, then 1 per second: the retries run out
    assert v.last_error.code == "ProvisionedThroughputExceededException"
    assert 0 < v.last_load["written"] < 1000 and v.last_load["throttled"] > 0
    v.close()


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": 10, "distribution": "zipf"}, {"n": 10, "keys": 0}])
def test_bad_load_arguments_are_rejected(view, kwargs):
    with pytest.raises(AWSError) as err:
        view.load(**kwargs)
    assert err.value.code == "InvalidParameterValue"


def test_unknown_table_is_rejected(cloud):
    with pytest.raises(AWSError) as err:
        PartitionView(cloud, "nope")
    assert err.value.code == "ResourceNotFoundException"


def test_split_made_elsewhere_redraws(cloud, table, view):
    before = view.redraw_count
    table.partition_max_bytes = 1000  # a tiny partition size, so a split comes quickly
    for i in range(50):
        table.put({"device": f"d{i}", "seq": "1", "pad": "x" * 100})
    assert view.redraw_count > before
    assert len(view.bars) == len(table.partitions) > 4


def test_closed_view_stops_listening(cloud, table, view):
    view.close()
    before = view.redraw_count
    cloud.dynamodb.create_table("other", partition_key="id")
    cloud.clock.advance(seconds=10)
    assert view.redraw_count == before


def test_redraw_shows_every_item_and_the_hot_partition(table, view):
    view.load(5000, "skewed", keys=500)
    times = []
    for _ in range(10):
        start = time.perf_counter()
        view.redraw()
        times.append((time.perf_counter() - start) * 1000)
    print(f"\nPartitionView redraw over {len(view.bars)} partitions: "
          f"{', '.join(f'{t:.2f}' for t in times)} ms (max {max(times):.2f})")
    # (timings are printed; speed is measured in bench/, never asserted)
    assert sum(b["items"] for b in view.bars) == 5000 and any(b["hot"] for b in view.bars)
