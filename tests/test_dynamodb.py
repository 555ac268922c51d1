"""The DynamoDB model: tables, items, query/scan, indexes, partitions, throughput, streams, TTL, bill."""


import pytest

from awskit.core.errors import AWSError
from awskit.dynamodb import TableStatus


def err(fn, *a, **kw):
    with pytest.raises(AWSError) as info:
        fn(*a, **kw)
    return info.value


def S(x):
    return {"S": x}


def N(x):
    return {"N": str(x)}


@pytest.fixture
def ddb(cloud):
    return cloud.dynamodb


@pytest.fixture
def music(cloud, ddb):
    t = ddb.create_table("music", partition_key="artist", sort_key=("year", "N"))
    cloud.clock.advance(10)
    return t


# -- tables -------------------------------------------------------------------------

def test_new_table_is_creating_then_active(cloud, ddb):
    t = ddb.create_table("users", partition_key="id")
    assert t.status is TableStatus.CREATING
    cloud.clock.advance(10)
    assert t.status is TableStatus.ACTIVE


def test_writing_to_a_creating_table_is_not_found(ddb):
    t = ddb.create_table("users", partition_key="id")
    assert err(t.put, {"id": "a"}).code == "ResourceNotFoundException"


def test_duplicate_table_name_is_in_use(ddb):
    ddb.create_table("users", partition_key="id")
    assert err(ddb.create_table, "users", partition_key="id").code == "ResourceInUseException"


@pytest.mark.parametrize("name", ["ab", "has space", "x" * 256, "bad/name"])
def test_invalid_table_names_are_rejected(ddb, name):
    assert err(ddb.create_table, name, partition_key="id").code == "ValidationException"


def test_key_type_must_be_scalar(ddb):
    assert err(ddb.create_table, "users", partition_key=("id", "BOOL")).code == "ValidationException"


def test_provisioned_needs_capacity(ddb):
    assert err(ddb.create_table, "users", partition_key="id", billing_mode="PROVISIONED").code == \
        "ValidationException"


def test_on_demand_refuses_capacity(ddb):
    assert err(ddb.create_table, "users", partition_key="id", read_capacity=5).code == "ValidationException"


def test_deleted_table_goes_through_deleting(cloud, music, ddb):
    ddb.delete_table("music")
    assert music.status is TableStatus.DELETING
    cloud.clock.advance(10)
    assert "music" not in ddb.list_tables()


def test_unknown_table_is_not_found(ddb):
    assert err(ddb.table, "nope").code == "ResourceNotFoundException"


def test_update_table_changes_throughput(cloud, ddb):
    t = ddb.create_table("t1x", partition_key="id", billing_mode="PROVISIONED", read_capacity=5, write_capacity=5)
    cloud.clock.advance(10)
    ddb.update_table(t, read_capacity=10, write_capacity=10)
    assert t.status is TableStatus.UPDATING and t.reads.rate == 10


def test_update_table_to_on_demand_drops_buckets(cloud, ddb):
    t = ddb.create_table("t1x", partition_key="id", billing_mode="PROVISIONED", read_capacity=5, write_capacity=5)
    cloud.clock.advance(10)
    ddb.update_table(t, billing_mode="PAY_PER_REQUEST")
    assert t.reads is None and t.billing_mode.value == "PAY_PER_REQUEST"


# -- items ----------------------------------------------------------------------------

def test_put_and_get_plain_values(music):
    music.put({"artist": "Nina", "year": 1965, "songs": ["Sinnerman"], "live": True})
    assert music.get({"artist": "Nina", "year": 1965})["songs"] == ["Sinnerman"]


def test_missing_key_attribute_is_rejected(music):
    assert err(music.put_item, {"artist": S("Nina")}).code == "ValidationException"


def test_key_of_wrong_type_is_rejected(music):
    assert err(music.put_item, {"artist": S("Nina"), "year": S("1965")}).code == "ValidationException"


def test_empty_string_key_is_rejected(music):
    assert err(music.put_item, {"artist": S(""), "year": N(1)}).code == "ValidationException"


def test_empty_string_non_key_attribute_is_allowed(music):
    music.put_item({"artist": S("a"), "year": N(1), "note": S("")})
    assert music.get({"artist": "a", "year": 1})["note"] == ""


def test_item_over_400_kb_is_rejected(music):
    big = {"artist": S("a"), "year": N(1), "blob": S("x" * (400 * 1024))}
    assert err(music.put_item, big).code == "ValidationException"


def test_get_key_must_match_schema(music):
    assert err(music.get_item, {"artist": S("a")}).code == "ValidationException"


def test_put_return_all_old(music):
    music.put_item({"artist": S("a"), "year": N(1), "v": N(1)})
    old, _ = music.put_item({"artist": S("a"), "year": N(1), "v": N(2)}, return_values="ALL_OLD")
    assert old["v"] == N(1)


def test_condition_failure_keeps_the_item(music):
    music.put_item({"artist": S("a"), "year": N(1), "v": N(1)})
    e = err(music.put_item, {"artist": S("a"), "year": N(1), "v": N(2)}, condition="attribute_not_exists(artist)")
    assert e.code == "ConditionalCheckFailedException" and music.get({"artist": "a", "year": 1})["v"] == 1


def test_update_creates_missing_item(music):
    new, _ = music.update_item({"artist": S("a"), "year": N(1)}, update="SET plays = :one",
                               values={":one": N(1)}, return_values="ALL_NEW")
    assert new == {"artist": S("a"), "year": N(1), "plays": N(1)}


def test_update_returns_updated_old_only_changed_attributes(music):
    music.put_item({"artist": S("a"), "year": N(1), "x": N(1), "y": N(1)})
    old, _ = music.update_item({"artist": S("a"), "year": N(1)}, update="SET x = :two", values={":two": N(2)},
                               return_values="UPDATED_OLD")
    assert old == {"x": N(1)}


def test_returned_item_is_a_copy(music):
    music.put_item({"artist": S("a"), "year": N(1), "l": {"L": [N(1)]}})
    item, _ = music.get_item({"artist": S("a"), "year": N(1)})
    item["l"]["L"].append(N(2))
    assert music.get({"artist": "a", "year": 1})["l"] == [1]


def test_names_without_expression_are_rejected(music):
    assert err(music.get_item, {"artist": S("a"), "year": N(1)}, names={"#a": "a"}).code == "ValidationException"


def test_delete_with_condition(music):
    music.put_item({"artist": S("a"), "year": N(1), "v": N(1)})
    e = err(music.delete_item, {"artist": S("a"), "year": N(1)}, condition="v = :two", values={":two": N(2)})
    assert e.code == "ConditionalCheckFailedException"


# -- capacity ---------------------------------------------------------------------------

def test_eventually_consistent_read_costs_half(music):
    music.put_item({"artist": S("a"), "year": N(1)})
    _, c1 = music.get_item({"artist": S("a"), "year": N(1)})
    _, c2 = music.get_item({"artist": S("a"), "year": N(1)}, consistent=True)
    assert (c1.read, c2.read) == (0.5, 1.0)


def test_write_units_round_up_per_kilobyte(music):
    _, c = music.put_item({"artist": S("a"), "year": N(1), "x": S("y" * 1500)})
    assert c.write == 2


def test_query_capacity_counts_items_read_before_the_filter(music):
    for y in range(10):
        music.put_item({"artist": S("a"), "year": N(y), "padding": S("p" * 1000)})
    page = music.query("artist = :a", filter="padding = :none", values={":a": S("a"), ":none": S("-")},
                       consistent=True)
    assert page.count == 0 and page.scanned_count == 10 and page.consumed.read == 3


# -- query and scan ------------------------------------------------------------------------

@pytest.fixture
def filled(music):
    for artist in ("a", "b", "c"):
        for y in range(1, 11):
            music.put_item({"artist": S(artist), "year": N(y), "hit": {"BOOL": y % 2 == 0}})
    return music


def test_query_returns_sort_key_order(filled):
    page = filled.query("artist = :a", values={":a": S("b")})
    assert [i["year"]["N"] for i in page.items] == [str(y) for y in range(1, 11)]


def test_query_backwards(filled):
    page = filled.query("artist = :a", values={":a": S("b")}, forward=False, limit=2)
    assert [i["year"]["N"] for i in page.items] == ["10", "9"]


def test_query_sort_key_range(filled):
    page = filled.query("artist = :a AND #y BETWEEN :l AND :h", names={"#y": "year"},
                        values={":a": S("a"), ":l": N(3), ":h": N(5)})
    assert page.count == 3


def test_query_pagination_covers_every_item_once(filled):
    seen, start = [], None
    while True:
        page = filled.query("artist = :a", values={":a": S("c")}, limit=3, start_key=start)
        seen += [i["year"]["N"] for i in page.items]
        start = page.last_evaluated_key
        if start is None:
            break
    assert seen == [str(y) for y in range(1, 11)]


def test_query_filter_counts_differ_from_scanned(filled):
    page = filled.query("artist = :a", filter="hit = :t", values={":a": S("a"), ":t": {"BOOL": True}})
    assert (page.count, page.scanned_count) == (5, 10)


def test_select_count_returns_no_items(filled):
    page = filled.query("artist = :a", values={":a": S("a")}, select="COUNT")
    assert page.items is None and page.count == 10


def test_filter_on_key_attribute_is_rejected(filled):
    e = err(filled.query, "artist = :a", filter="#y > :y", names={"#y": "year"}, values={":a": S("a"), ":y": N(1)})
    assert e.code == "ValidationException"


def test_scan_reads_every_item_across_pages(filled):
    seen, start = 0, None
    while True:
        page = filled.scan(limit=7, start_key=start)
        seen += page.count
        start = page.last_evaluated_key
        if start is None:
            break
    assert seen == 30


def test_parallel_scan_segments_partition_the_items(filled):
    total = sum(filled.scan(segment=s, total_segments=4).count for s in range(4))
    assert total == 30


def test_segment_without_total_is_rejected(filled):
    assert err(filled.scan, segment=0).code == "ValidationException"


def test_page_stops_at_one_megabyte(cloud, music):
    for y in range(30):
        music.put_item({"artist": S("a"), "year": N(y), "padding": S("p" * 100_000)})
        cloud.clock.advance(1)  # 98 WCU each: stay under the 1,000 WCU/s a partition serves
    page = music.query("artist = :a", values={":a": S("a")})
    assert page.count < 30 and page.last_evaluated_key is not None


def test_query_reads_only_its_key_while_scan_reads_everything(cloud, ddb):
    # The work a query does depends on its own key's items, not on the table's size
    # (timings belong in bench/, not in tests).
    t = ddb.create_table("big", partition_key="pk", sort_key=("sk", "N"))
    cloud.clock.advance(10)

    def load(n, start):
        for i in range(start, n):
            t.put_item({"pk": S(f"k{i % 1000}"), "sk": N(i)})
            if i % 900 == 0:
                cloud.clock.advance(1)  # keep every key under the per-second partition ceiling

    load(2_000, 0)
    small = t.query("pk = :p", values={":p": S("k7")})
    load(20_000, 2_000)
    large = t.query("pk = :p", values={":p": S("k7")})
    assert (small.scanned_count, large.scanned_count) == (2, 20)
    total, page = 0, t.scan()
    total += page.scanned_count
    while page.last_evaluated_key is not None:
        cloud.clock.advance(1)  # stay inside the per-second read ceiling between pages
        page = t.scan(start_key=page.last_evaluated_key)
        total += page.scanned_count
    assert total == 20_000


# -- indexes -----------------------------------------------------------------------------

@pytest.fixture
def orders(cloud, ddb):
    t = ddb.create_table("orders", partition_key="id", sort_key="line",
                         global_indexes=[{"name": "by-customer", "partition_key": "customer",
                                          "sort_key": ("amount", "N"), "projection": "KEYS_ONLY"}],
                         local_indexes=[{"name": "by-sku", "sort_key": "sku", "projection": ["qty"]}])
    cloud.clock.advance(10)
    return t


def test_gsi_query_uses_the_index_key(orders):
    for i in range(5):
        orders.put_item({"id": S(f"o{i}"), "line": S("1"), "customer": S("ann"), "amount": N(i * 10), "sku": S("x")})
    page = orders.query("customer = :c AND amount >= :t", index="by-customer", values={":c": S("ann"), ":t": N(20)})
    assert page.count == 3 and set(page.items[0]) == {"id", "line", "customer", "amount"}


def test_items_without_index_key_are_not_in_the_index(orders):
    orders.put_item({"id": S("o1"), "line": S("1")})
    assert orders.indexes["by-customer"].store.item_count == 0


def test_index_key_of_wrong_type_is_rejected(orders):
    e = err(orders.put_item, {"id": S("o1"), "line": S("1"), "customer": S("c"), "amount": S("big")})
    assert e.code == "ValidationException"


def test_consistent_read_on_gsi_is_rejected(orders):
    e = err(orders.query, "customer = :c", index="by-customer", values={":c": S("a")}, consistent=True)
    assert e.code == "ValidationException"


def test_lsi_include_projection(orders):
    orders.put_item({"id": S("o1"), "line": S("1"), "sku": S("x"), "qty": N(2), "other": S("no")})
    page = orders.query("id = :i AND sku = :s", index="by-sku", values={":i": S("o1"), ":s": S("x")})
    assert set(page.items[0]) == {"id", "line", "sku", "qty"}


def test_index_follows_updates_and_deletes(orders):
    key = {"id": S("o1"), "line": S("1")}
    orders.put_item({**key, "customer": S("ann"), "amount": N(5)})
    orders.update_item(key, update="SET customer = :b", values={":b": S("bob")})
    idx = orders.indexes["by-customer"]
    assert "ann" not in idx.store.buckets and "bob" in idx.store.buckets
    orders.delete_item(key)
    assert idx.store.item_count == 0


def test_unknown_index_is_rejected(orders):
    assert err(orders.query, "id = :i", index="nope", values={":i": S("a")}).code == "ValidationException"


def test_lsi_needs_a_table_sort_key(ddb):
    e = err(ddb.create_table, "x1x", partition_key="id", local_indexes=[{"name": "l1x", "sort_key": "s"}])
    assert e.code == "ValidationException"


# -- partitions and throughput -------------------------------------------------------------

def test_items_land_in_the_partition_owning_their_hash(music):
    for y in range(50):
        music.put_item({"artist": S(f"a{y}"), "year": N(y)})
    assert sum(p.item_count for p in music.partitions) == 50
    part = music.partition_for(S("a7"))
    assert part.item_count >= 1


def test_partition_splits_when_too_big(cloud, ddb):
    t = ddb.create_table("splits", partition_key="id", billing_mode="PROVISIONED", read_capacity=5,
                         write_capacity=5)
    cloud.clock.advance(10)
    t.partition_max_bytes = 2000
    for i in range(100):
        t.put_item({"id": S(f"k{i}"), "pad": S("x" * 50)})
        cloud.clock.advance(1)
    assert len(t.partitions) > 1 and sum(p.item_count for p in t.partitions) == 100


def test_provisioned_capacity_throttles_after_burst(cloud, ddb):
    t = ddb.create_table("slow", partition_key="id", billing_mode="PROVISIONED", read_capacity=1,
                         write_capacity=1)
    cloud.clock.advance(10)
    e = None
    for i in range(400):
        try:
            t.put_item({"id": S(f"k{i}")})
        except AWSError as exc:
            e = exc
            break
    assert e is not None and e.code == "ProvisionedThroughputExceededException" and 290 <= i <= 320


def test_capacity_refills_with_simulated_time(cloud, ddb):
    t = ddb.create_table("slow", partition_key="id", billing_mode="PROVISIONED", read_capacity=1,
                         write_capacity=1)
    cloud.clock.advance(10)
    t.writes.tokens, t.writes.last = 0, cloud.clock.now
    assert err(t.put_item, {"id": S("a")}).code == "ProvisionedThroughputExceededException"
    cloud.clock.advance(1)
    t.put_item({"id": S("a")})


def test_hot_key_is_throttled_even_on_demand(music):
    with pytest.raises(AWSError) as info:
        for i in range(1100):
            music.put_item({"artist": S("hot"), "year": N(i)})
    assert info.value.code == "ProvisionedThroughputExceededException"


def test_partition_report_shows_recent_capacity(music):
    music.put_item({"artist": S("a"), "year": N(1)})
    rows = music.partition_report()
    assert sum(r["recent_wcu"] for r in rows) == 1 and sum(r["items"] for r in rows) == 1


# -- streams and TTL -----------------------------------------------------------------------

def test_stream_records_insert_modify_remove(cloud, ddb):
    t = ddb.create_table("events1", partition_key="id", stream_view_type="NEW_AND_OLD_IMAGES")
    cloud.clock.advance(10)
    seen = []
    cloud.events.subscribe("dynamodb.stream", lambda m: seen.append(m["record"]))
    t.put_item({"id": S("a"), "v": N(1)})
    t.put_item({"id": S("a"), "v": N(2)})
    t.delete_item({"id": S("a")})
    assert [r["eventName"] for r in seen] == ["INSERT", "MODIFY", "REMOVE"]
    assert seen[1]["dynamodb"]["OldImage"]["v"] == N(1) and seen[1]["dynamodb"]["NewImage"]["v"] == N(2)


def test_keys_only_stream_has_no_images(cloud, ddb):
    t = ddb.create_table("events1", partition_key="id", stream_view_type="KEYS_ONLY")
    cloud.clock.advance(10)
    t.put_item({"id": S("a"), "v": N(1)})
    rec = t.stream_records[-1]["dynamodb"]
    assert rec["Keys"] == {"id": S("a")} and "NewImage" not in rec


def test_unchanged_write_makes_no_stream_record(cloud, ddb):
    t = ddb.create_table("events1", partition_key="id", stream_view_type="NEW_IMAGE")
    cloud.clock.advance(10)
    t.put_item({"id": S("a"), "v": N(1)})
    t.put_item({"id": S("a"), "v": N(1)})
    assert len(t.stream_records) == 1


def test_ttl_deletes_expired_items_within_48_hours_not_at_once(cloud, ddb):
    from awskit.dynamodb.streams import unix_time
    t = ddb.create_table("sessions", partition_key="id", stream_view_type="KEYS_ONLY")
    cloud.clock.advance(10)
    ddb.update_time_to_live(t, "expires")
    now = unix_time(cloud.clock)
    for i in range(20):
        t.put_item({"id": S(f"s{i}"), "expires": N(int(now) + 60)})
    t.put_item({"id": S("keep"), "expires": N(int(now) + 10**7)})
    cloud.clock.advance(120)
    assert t.item_count == 21  # expired, but not deleted yet
    cloud.clock.advance(hours=49)
    assert t.item_count == 1
    assert t.stream_records[-1]["userIdentity"]["principalId"] == "dynamodb.amazonaws.com"


def test_describe_ttl(ddb, music):
    ddb.update_time_to_live(music, "exp")
    assert ddb.describe_time_to_live(music) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}


# -- bill ---------------------------------------------------------------------------------

def test_provisioned_capacity_bills_by_the_hour(cloud, ddb):
    ddb.create_table("billed", partition_key="id", billing_mode="PROVISIONED", read_capacity=10, write_capacity=10)
    cloud.clock.advance(hours=10)
    assert cloud.bill.by_service()["dynamodb"] == pytest.approx(10 * (10 * 0.00013 + 10 * 0.00065))


def test_on_demand_bills_request_units(cloud, music):
    for i in range(100):
        music.put_item({"artist": S("a"), "year": N(i)})
    assert cloud.bill.by_service()["dynamodb"] == pytest.approx(100 * 0.625 / 1e6, rel=0.05)


def test_storage_accrues_per_gb_month(cloud, music):
    music.put_item({"artist": S("a"), "year": N(1), "pad": S("x" * 300_000)})
    before = cloud.bill.total()
    cloud.clock.advance(days=30)
    assert cloud.bill.total() > before


def test_ttl_enabled_later_covers_existing_items(cloud, ddb):
    from awskit.dynamodb.streams import unix_time
    t = ddb.create_table("sessions", partition_key="id")
    cloud.clock.advance(10)
    t.put_item({"id": S("old"), "expires": N(int(unix_time(cloud.clock)) - 60)})
    ddb.update_time_to_live(t, "expires")
    cloud.clock.advance(hours=49)
    assert t.item_count == 0


def test_scan_charges_its_reads_to_every_partition_it_read(cloud, ddb):
    t = ddb.create_table("spread", partition_key="id")
    cloud.clock.advance(seconds=60)
    for i in range(200):
        t.put({"id": f"k{i}", "pad": "x" * 100})
    cloud.clock.advance(seconds=61)  # the writes leave the one-minute window
    page = t.scan()
    recent = [p["recent_rcu"] for p in t.partition_report()]
    assert all(r > 0 for r in recent)
    assert sum(recent) == pytest.approx(page.consumed.read)
