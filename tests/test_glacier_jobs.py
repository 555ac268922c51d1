"""Glacier jobs: tiers on the clock, output windows, inventory, select, capacity, costs, timeline."""

import csv
import io
import json

import pytest

from awskit import Cloud
from awskit.core.errors import AWSError
from awskit.glacier import EXPEDITED_ON_DEMAND_LIMIT, TIER_SECONDS, Tier, tree_hash

MIB = 1024 * 1024
HOUR = 3600.0


def _code(call, *args, **kwargs):
    with pytest.raises(AWSError) as info:
        call(*args, **kwargs)
    return info.value.code


@pytest.fixture
def g(cloud):
    cloud.glacier.create_vault("v")
    return cloud.glacier


@pytest.fixture
def archive(g):
    return g.upload_archive("v", b"hello glacier", description="greeting")


# -- tiers and timing --------------------------------------------------------------------------------

@pytest.mark.parametrize("tier,lo,hi", [("Expedited", 60, 300), ("Standard", 3 * HOUR, 5 * HOUR),
                                        ("Bulk", 5 * HOUR, 12 * HOUR)])
def test_tier_completion_times_stay_in_documented_range_over_many_seeds(tier, lo, hi):
    durations = []
    for seed in range(60):
        c = Cloud(seed=seed)
        c.glacier.create_vault("v")
        a = c.glacier.upload_archive("v", b"x")
        job = c.glacier.initiate_job("v", "archive-retrieval", archive_id=a.id, tier=tier)
        durations.append(job.completes_at - job.created)
    assert all(lo <= d <= hi for d in durations)
    assert max(durations) - min(durations) > (hi - lo) / 3  # spread across the window, not a constant
    assert TIER_SECONDS[Tier(tier)] == (lo, hi)


def test_same_seed_gives_same_completion_time():
    times = []
    for _ in range(2):
        c = Cloud(seed=3)
        c.glacier.create_vault("v")
        a = c.glacier.upload_archive("v", b"x")
        times.append(c.glacier.initiate_job("v", "archive-retrieval", archive_id=a.id).completes_at)
    assert times[0] == times[1]


def test_job_is_in_progress_until_its_time_then_succeeds(g, archive, cloud):
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Standard")
    cloud.clock.advance(hours=2, minutes=59)
    assert g.describe_job("v", job.id).status.value == "InProgress"
    cloud.clock.advance(hours=2, minutes=1)
    job = g.describe_job("v", job.id)
    assert job.status.value == "Succeeded" and job.completed and job.completed_at == job.completes_at


def test_default_tier_is_standard(g, archive):
    assert g.initiate_job("v", "archive-retrieval", archive_id=archive.id).tier is Tier.STANDARD


def test_unknown_tier_is_rejected(g, archive):
    assert _code(g.initiate_job, "v", "archive-retrieval", archive_id=archive.id,
                 tier="Fast") == "InvalidParameterValueException"


def test_unknown_job_type_is_rejected(g):
    assert _code(g.initiate_job, "v", "archive-download") == "InvalidParameterValueException"


def test_retrieval_of_missing_archive_is_resource_not_found(g):
    assert _code(g.initiate_job, "v", "archive-retrieval", archive_id="nope") == "ResourceNotFoundException"


# -- output --------------------------------------------------------------------------------------

def test_output_before_completion_is_not_available(g, archive):
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id)
    assert _code(g.get_job_output, "v", job.id) == "InvalidParameterValueException"


def test_output_round_trips_with_checksum_and_description(g, archive, cloud):
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    cloud.clock.advance(minutes=5)
    out = g.get_job_output("v", job.id)
    assert (out.body, out.checksum, out.archive_description, out.status) == (
        b"hello glacier", archive.tree_hash, "greeting", 200)


def test_output_expires_24_hours_after_completion(g, archive, cloud):
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    cloud.clock.advance(minutes=5)
    done = job.completed_at
    cloud.clock.run_until(done + 24 * HOUR - 1)
    assert g.get_job_output("v", job.id).body == b"hello glacier"
    cloud.clock.advance(seconds=2)
    assert _code(g.get_job_output, "v", job.id) == "ResourceNotFoundException"
    assert _code(g.describe_job, "v", job.id) == "ResourceNotFoundException"


def test_get_job_output_range_returns_partial_content(g, archive, cloud):
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    cloud.clock.advance(minutes=5)
    out = g.get_job_output("v", job.id, range="bytes=0-4")
    assert (out.body, out.status, out.content_range) == (b"hello", 206, "bytes 0-4/13")


def test_get_job_output_bad_range_is_rejected(g, archive, cloud):
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    cloud.clock.advance(minutes=5)
    assert _code(g.get_job_output, "v", job.id, range="bytes=50-60") == "InvalidParameterValueException"


def test_retrieval_byte_range_must_be_megabyte_aligned(g):
    a = g.upload_archive("v", b"x" * (3 * MIB))
    assert _code(g.initiate_job, "v", "archive-retrieval", archive_id=a.id,
                 byte_range="1-1048575") == "InvalidParameterValueException"
    assert _code(g.initiate_job, "v", "archive-retrieval", archive_id=a.id,
                 byte_range="0-1000") == "InvalidParameterValueException"


def test_ranged_retrieval_returns_the_range_and_its_tree_hash(g, cloud):
    data = b"a" * MIB + b"b" * MIB + b"c" * 10
    a = g.upload_archive("v", data)
    job = g.initiate_job("v", "archive-retrieval", archive_id=a.id, byte_range=f"{MIB}-{2 * MIB - 1}",
                         tier="Expedited")
    cloud.clock.advance(minutes=5)
    out = g.get_job_output("v", job.id)
    assert out.body == b"b" * MIB and out.checksum == tree_hash(b"b" * MIB)


def test_job_completion_publishes_event_with_notification_topic(g, archive, cloud):
    topic = f"arn:aws:sns:us-east-1:{cloud.account_id}:done"
    g.set_vault_notifications("v", topic, ["ArchiveRetrievalCompleted"])
    seen = []
    cloud.events.subscribe("glacier.job.completed", lambda m: seen.append(m.data))
    job = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    cloud.clock.advance(minutes=5)
    assert seen == [{"vault": "v", "job_id": job.id, "action": "ArchiveRetrieval", "tier": "Expedited",
                     "status": "Succeeded", "sns_topic": topic}]


def test_list_jobs_filters_by_completion_and_status(g, archive, cloud):
    fast = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    slow = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Bulk")
    cloud.clock.advance(minutes=5)
    assert [j.id for j in g.list_jobs("v", completed=True)[0]] == [fast.id]
    assert [j.id for j in g.list_jobs("v", statuscode="InProgress")[0]] == [slow.id]
    assert _code(g.list_jobs, "v", statuscode="Done") == "InvalidParameterValueException"


# -- inventory ---------------------------------------------------------------------------------------

def test_inventory_retrieval_before_first_inventory_is_not_found(g, archive):
    assert _code(g.initiate_job, "v", "inventory-retrieval") == "ResourceNotFoundException"


def test_inventory_json_lists_the_last_inventory_not_later_uploads(g, archive, cloud):
    cloud.clock.advance(days=1)
    g.upload_archive("v", b"too new")
    job = g.initiate_job("v", "inventory-retrieval")
    cloud.clock.advance(hours=5)
    doc = json.loads(g.get_job_output("v", job.id).body)
    assert [a["ArchiveId"] for a in doc["ArchiveList"]] == [archive.id]
    assert doc["ArchiveList"][0]["Size"] == 13 and doc["VaultARN"] == g.vault("v").arn


def test_inventory_csv_has_header_and_rows(g, archive, cloud):
    cloud.clock.advance(days=1)
    job = g.initiate_job("v", "inventory-retrieval", format="CSV")
    cloud.clock.advance(hours=5)
    rows = list(csv.reader(io.StringIO(g.get_job_output("v", job.id).body.decode())))
    assert rows[0] == ["ArchiveId", "ArchiveDescription", "CreationDate", "Size", "SHA256TreeHash"]
    assert rows[1][0] == archive.id


def test_inventory_date_filter_and_limit_with_marker(g, cloud):
    first = g.upload_archive("v", b"1")
    cloud.clock.advance(hours=1)
    second = g.upload_archive("v", b"2")
    third = g.upload_archive("v", b"3")
    cloud.clock.advance(days=1)
    later = cloud.clock.isoformat(1800)
    job = g.initiate_job("v", "inventory-retrieval", inventory_params={"StartDate": later, "Limit": "1"})
    assert job.next_marker == third.id
    cloud.clock.advance(hours=5)
    ids = [a["ArchiveId"] for a in json.loads(g.get_job_output("v", job.id).body)["ArchiveList"]]
    assert ids == [second.id] and first.id not in ids


def test_inventory_bad_format_is_rejected(g, archive, cloud):
    cloud.clock.advance(days=1)
    assert _code(g.initiate_job, "v", "inventory-retrieval", format="XML") == "InvalidParameterValueException"


# -- select ------------------------------------------------------------------------------------------

SALES = b"region,amount,rep\nnorth,120,ana\nsouth,80,bo\nnorth,40,cy\neast,300,dee\n"


def _select(expression, header="USE"):
    return {"Expression": expression, "ExpressionType": "SQL",
            "InputSerialization": {"csv": {"FileHeaderInfo": header}}, "OutputSerialization": {"csv": {}}}


def test_select_writes_matching_rows_to_s3(g, cloud):
    cloud.s3.create_bucket("select-results")
    a = g.upload_archive("v", SALES)
    job = g.initiate_job("v", "select", archive_id=a.id, tier="Expedited",
                         select=_select("SELECT s.rep, s.amount FROM archive s WHERE s.region = 'north' "
                                        "AND s.amount > 50 OR s.rep = 'dee'"),
                         output_location={"S3": {"BucketName": "select-results", "Prefix": "q1"}})
    cloud.clock.advance(minutes=5)
    key = f"q1/{job.id}/results/00000.csv"
    assert cloud.s3.get_object("select-results", key).data == b"ana,120\ndee,300\n"


def test_select_with_positional_columns_and_limit(g, cloud):
    cloud.s3.create_bucket("select-results")
    a = g.upload_archive("v", SALES)
    job = g.initiate_job("v", "select", archive_id=a.id, tier="Expedited",
                         select=_select("SELECT _3 FROM archive WHERE (_1 = 'north' OR _1 = 'east') LIMIT 2",
                                        header="IGNORE"),
                         output_location={"S3": {"BucketName": "select-results"}})
    cloud.clock.advance(minutes=5)
    assert cloud.s3.get_object("select-results", f"{job.id}/results/00000.csv").data == b"ana\ncy\n"


def test_select_with_bad_sql_is_rejected_at_initiation(g, cloud):
    cloud.s3.create_bucket("select-results")
    a = g.upload_archive("v", SALES)
    assert _code(g.initiate_job, "v", "select", archive_id=a.id, select=_select("SELECT FROM"),
                 output_location={"S3": {"BucketName": "select-results"}}) == "InvalidParameterValueException"


def test_select_to_missing_bucket_is_rejected(g):
    a = g.upload_archive("v", SALES)
    assert _code(g.initiate_job, "v", "select", archive_id=a.id, select=_select("SELECT * FROM archive"),
                 output_location={"S3": {"BucketName": "nobody-bucket"}}) == "InvalidParameterValueException"


def test_select_fails_when_bucket_disappears_before_completion(g, cloud):
    cloud.s3.create_bucket("select-results")
    a = g.upload_archive("v", SALES)
    job = g.initiate_job("v", "select", archive_id=a.id, select=_select("SELECT * FROM archive"),
                         output_location={"S3": {"BucketName": "select-results"}})
    cloud.s3.delete_bucket("select-results")
    cloud.clock.advance(hours=5)
    assert job.status.value == "Failed" and job.status_message


# -- expedited capacity --------------------------------------------------------------------------------

def test_too_many_concurrent_expedited_jobs_is_insufficient_capacity(g, archive):
    for _ in range(EXPEDITED_ON_DEMAND_LIMIT):
        g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    assert _code(g.initiate_job, "v", "archive-retrieval", archive_id=archive.id,
                 tier="Expedited") == "InsufficientCapacityException"
    g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Standard")  # other tiers unaffected


def test_capacity_frees_up_when_expedited_jobs_finish(g, archive, cloud):
    for _ in range(EXPEDITED_ON_DEMAND_LIMIT):
        g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    cloud.clock.advance(minutes=5)
    assert g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited").tier is Tier.EXPEDITED


def test_provisioned_capacity_adds_three_expedited_per_five_minutes(g, archive, cloud):
    unit = g.purchase_provisioned_capacity()
    for _ in range(EXPEDITED_ON_DEMAND_LIMIT + 3):
        g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    assert _code(g.initiate_job, "v", "archive-retrieval", archive_id=archive.id,
                 tier="Expedited") == "InsufficientCapacityException"
    assert g.list_provisioned_capacity() == [unit]


def test_provisioned_capacity_limit_is_two_units(g):
    g.purchase_provisioned_capacity()
    g.purchase_provisioned_capacity()
    assert _code(g.purchase_provisioned_capacity) == "LimitExceededException"


def test_provisioned_capacity_lasts_one_calendar_month(g, cloud):
    unit = g.purchase_provisioned_capacity()  # 2026-01-05 09:00 -> 2026-02-05 09:00
    assert unit.expires - unit.start == 31 * 24 * HOUR


# -- costs ---------------------------------------------------------------------------------------------

def test_storage_is_metered_per_gb_month_with_overhead(g, cloud):
    g.upload_archive("v", b"x" * (1024 ** 3 - 32 * 1024))  # 1 GiB including the 32 KiB index overhead
    before = cloud.bill.by_service().get("glacier", 0.0)
    cloud.clock.advance(hours=730)
    storage = cloud.bill.by_service()["glacier"] - before
    assert storage == pytest.approx(0.0036 + 8 * 1024 / 1024 ** 3 * 0.023, rel=1e-6)


def test_upload_requests_cost_five_cents_per_thousand(g, cloud):
    for _ in range(10):
        g.upload_archive("v", b"")
    items = [i for i in cloud.bill.items if i.usage == "upload requests"]
    assert items[0].amount == pytest.approx(10 * 0.05 / 1000)


def test_expedited_retrieval_costs_per_request_and_per_gb(g, cloud):
    a = g.upload_archive("v", b"x" * MIB)
    g.initiate_job("v", "archive-retrieval", archive_id=a.id, tier="Expedited")
    by_usage = {i.usage: i.amount for i in cloud.bill.items}
    assert by_usage["Expedited retrieval requests"] == pytest.approx(10 / 1000)
    assert by_usage["Expedited retrieval (GB)"] == pytest.approx(0.03 * MIB / 1024 ** 3)


def test_bulk_retrieval_data_is_free(g, cloud):
    a = g.upload_archive("v", b"x" * MIB)
    g.initiate_job("v", "archive-retrieval", archive_id=a.id, tier="Bulk")
    assert "Bulk retrieval (GB)" not in {i.usage for i in cloud.bill.items}


def test_early_delete_bills_rest_of_90_days(g, cloud):
    a = g.upload_archive("v", b"x" * (1024 ** 3 - 32 * 1024))
    cloud.clock.advance(days=30)
    g.delete_archive("v", a.id)
    early = [i for i in cloud.bill.items if i.usage.startswith("early delete")]
    assert early[0].amount == pytest.approx(60 / (730 / 24) * 0.0036, rel=1e-6)


def test_no_early_delete_charge_after_90_days(g, cloud):
    a = g.upload_archive("v", b"x")
    cloud.clock.advance(days=91)
    g.delete_archive("v", a.id)
    assert not [i for i in cloud.bill.items if i.usage.startswith("early delete")]


# -- timeline ------------------------------------------------------------------------------------------

def test_job_timeline_lists_jobs_side_by_side(g, archive, cloud):
    e = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Expedited")
    b = g.initiate_job("v", "archive-retrieval", archive_id=archive.id, tier="Bulk")
    cloud.clock.advance(minutes=5)
    timeline = g.job_timeline()
    assert [(t.job_id, t.tier) for t in timeline] == [(e.id, "Expedited"), (b.id, "Bulk")]
    assert timeline[0].completed == e.completes_at and timeline[1].completed is None
    assert timeline[1].expected == b.completes_at and timeline[1].initiated == 0.0
