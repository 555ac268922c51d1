"""Nothing a user stored is lost or silently changed.

Property tests, one per storage service: what goes in comes back exactly (bytes, nested
DynamoDB types, 38-digit numbers, sets, SQL rows, disk blocks), through the paths that copy
data (snapshots, restores, retrieval jobs), and what a call returns is a copy: changing it, or
changing the value after it was stored, does not change what is stored.
"""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awskit import Cloud
from awskit.ebs.volumes import BLOCK_SIZE

FAST = settings(max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

MIB = bytes(range(256)) * 4096  # 1 MiB, every byte value
payloads = st.one_of(st.binary(max_size=2048), st.sampled_from([b"", b"\x00", bytes(range(256)), MIB]))


# -- S3 ------------------------------------------------------------------------------------------

@FAST
@given(body=payloads, key=st.text(min_size=1, max_size=60).filter(lambda k: "\x00" not in k and len(k.encode()) <= 1024))
def test_s3_object_bytes_round_trip_exactly(body, key):
    s3 = Cloud(seed=0).client("s3")
    s3.create_bucket(Bucket="store")
    s3.put_object(Bucket="store", Key=key, Body=body, Metadata={"owner": "me"})
    got = s3.get_object(Bucket="store", Key=key)
    assert got["Body"].read() == body
    assert got["ContentLength"] == len(body)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="store")["Contents"]] == [key]


def test_s3_body_changed_after_put_does_not_change_the_object():
    s3 = Cloud(seed=0).client("s3")
    s3.create_bucket(Bucket="store")
    body = bytearray(b"original")
    s3.put_object(Bucket="store", Key="k", Body=body)
    body[:] = b"tampered"
    assert s3.get_object(Bucket="store", Key="k")["Body"].read() == b"original"


def test_s3_metadata_changed_after_get_does_not_change_the_object():
    s3 = Cloud(seed=0).client("s3")
    s3.create_bucket(Bucket="store")
    meta = {"owner": "me"}
    s3.put_object(Bucket="store", Key="k", Body=b"x", Metadata=meta)
    meta["owner"] = "someone else"
    s3.get_object(Bucket="store", Key="k")["Metadata"]["owner"] = "changed"
    assert s3.head_object(Bucket="store", Key="k")["Metadata"] == {"owner": "me"}


# -- DynamoDB ------------------------------------------------------------------------------------

_digits38 = st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1).map(str)
_decimals = st.sampled_from(["3.1415926535897932384626433832795028841", "-0.5", "0.000001",
                             "12345678901234567890123456789012345678", "1E+125", "1E-130"])
_numbers = _digits38 | _decimals
_text = st.text(max_size=20)
_scalars = st.one_of(
    _text.map(lambda s: {"S": s}), _numbers.map(lambda n: {"N": n}), st.binary(max_size=20).map(lambda b: {"B": b}),
    st.booleans().map(lambda b: {"BOOL": b}), st.just({"NULL": True}),
    st.lists(_text, min_size=1, max_size=4, unique=True).map(lambda v: {"SS": v}),
    st.lists(_digits38, min_size=1, max_size=4, unique_by=int).map(lambda v: {"NS": v}),
    st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=4, unique=True).map(lambda v: {"BS": v}),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3).map(lambda v: {"L": v}),
    st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3).map(lambda v: {"M": v})), max_leaves=12)
_items = st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k != "pk"), _values, max_size=5)


def _canonical(value):
    """One AttributeValue ({type: value}) in a comparable form: sets sorted (DynamoDB sets are
    unordered), numbers compared as numbers.  Maps hold attribute names, which may be any
    string, "N" included, so names and type tags are never confused."""
    (kind, v), = value.items()
    if kind in ("SS", "BS"):
        return (kind, sorted(v))
    if kind == "NS":
        return (kind, sorted(Decimal(n) for n in v))
    if kind == "N":
        return (kind, Decimal(v))
    if kind == "M":
        return (kind, _canonical_item(v))
    if kind == "L":
        return (kind, [_canonical(x) for x in v])
    return (kind, v)


def _canonical_item(item):
    return {name: _canonical(av) for name, av in item.items()}


def _table(cloud):
    ddb = cloud.client("dynamodb")
    ddb.create_table(TableName="items", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    cloud.clock.advance(minutes=1)
    return ddb


@FAST
@given(attrs=_items)
def test_dynamodb_item_round_trips_exactly(attrs):
    ddb = _table(Cloud(seed=0))
    item = {"pk": {"S": "id-1"}, **attrs}
    ddb.put_item(TableName="items", Item=item)
    got = ddb.get_item(TableName="items", Key={"pk": {"S": "id-1"}}, ConsistentRead=True)["Item"]
    assert _canonical_item(got) == _canonical_item(item)


def test_dynamodb_38_digit_number_keeps_every_digit():
    ddb = _table(Cloud(seed=0))
    n = "12345678901234567890123456789012345678"
    ddb.put_item(TableName="items", Item={"pk": {"S": "a"}, "n": {"N": n}, "f": {"N": "0.12345678901234567890123456789012345678"}})
    got = ddb.get_item(TableName="items", Key={"pk": {"S": "a"}})["Item"]
    assert got["n"] == {"N": n}
    assert Decimal(got["f"]["N"]) == Decimal("0.12345678901234567890123456789012345678")


@FAST
@given(attrs=_items)
def test_dynamodb_item_changed_after_put_or_get_does_not_change_the_table(attrs):
    ddb = _table(Cloud(seed=0))
    item = {"pk": {"S": "id-1"}, "nested": {"M": {"list": {"L": [{"S": "a"}]}}}, **attrs}
    ddb.put_item(TableName="items", Item=item)
    expected = _canonical_item(item)
    item["nested"]["M"]["list"]["L"].append({"S": "sneaked in"})
    item["pk"] = {"S": "other"}
    got = ddb.get_item(TableName="items", Key={"pk": {"S": "id-1"}})["Item"]
    got["nested"]["M"]["list"]["L"].clear()
    got.clear()
    again = ddb.get_item(TableName="items", Key={"pk": {"S": "id-1"}})["Item"]
    assert _canonical_item(again) == expected


# -- Glacier ----------------------------------------------------------------------------------------

@SLOW
@given(body=st.binary(min_size=1, max_size=4096) | st.just(MIB))
def test_glacier_archive_comes_back_exactly_from_a_retrieval_job(body):
    cloud = Cloud(seed=0)
    glacier = cloud.client("glacier")
    glacier.create_vault(vaultName="cold")
    archive = glacier.upload_archive(vaultName="cold", body=body)["archiveId"]
    job = glacier.initiate_job(vaultName="cold", jobParameters={"Type": "archive-retrieval", "ArchiveId": archive,
                                                                "Tier": "Expedited"})["jobId"]
    cloud.clock.advance(minutes=10)
    assert glacier.get_job_output(vaultName="cold", jobId=job)["body"].read() == body


# -- RDS -----------------------------------------------------------------------------------------------

_rows = st.lists(st.tuples(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.text(max_size=30),
                           st.binary(max_size=30) | st.none(),
                           st.floats(allow_nan=False) | st.none()), max_size=8)


@SLOW
@given(rows=_rows)
def test_rds_rows_survive_a_snapshot_restore_exactly(rows):
    cloud = Cloud(seed=0)
    db = cloud.rds.create_db_instance("orders", engine="mysql", instance_class="db.t3.micro", allocated_storage=20,
                                      master_username="admin", master_password="s3cret-pass")
    cloud.clock.advance(hours=1)
    conn = cloud.rds.connect(db, "admin", "s3cret-pass")
    conn.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, f REAL)")
    for row in rows:
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", row)
    conn.commit()
    cloud.rds.create_db_snapshot(db, "snap")
    cloud.clock.advance(hours=1)
    conn.execute("DELETE FROM t")  # the source changes after the snapshot: the snapshot must not
    conn.commit()
    restored = cloud.rds.restore_db_instance_from_db_snapshot("restored", "snap")
    cloud.clock.advance(hours=1)
    got = cloud.rds.connect(restored, "admin", "s3cret-pass").execute("SELECT i, s, b, f FROM t").fetchall()
    assert [tuple(r) for r in got] == [(i, s, b, f) for i, s, b, f in rows]


# -- EBS -----------------------------------------------------------------------------------------------

@SLOW
@given(offset=st.integers(min_value=0, max_value=100),
       data=st.binary(min_size=1, max_size=4096) | st.just(MIB + b"tail"))
def test_ebs_blocks_survive_snapshot_to_new_volume_exactly(offset, data):
    cloud = Cloud(seed=0)
    vol = cloud.ebs.create_volume(1, availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    vol.write(offset, data)
    snap = cloud.ebs.create_snapshot(vol)
    vol.write(offset, b"after the snapshot")  # later writes must not leak into the snapshot
    cloud.clock.advance(hours=2)
    copy = cloud.ebs.create_volume(snapshot=snap, availability_zone="us-east-1b")
    cloud.clock.advance(minutes=5)
    count = math.ceil(len(data) / BLOCK_SIZE)
    assert copy.read(offset, count) == data
