"""Glacier vaults, archives, multipart uploads and the tree hash."""

import hashlib

import pytest

from awskit import Cloud
from awskit.core.errors import AWSError
from awskit.glacier import tree_hash
from awskit.glacier.service import VAULTS_PER_REGION
from awskit.glacier.treehash import CHUNK, is_tree_hash_aligned

MIB = 1024 * 1024


def _code(call, *args, **kwargs):
    with pytest.raises(AWSError) as info:
        call(*args, **kwargs)
    return info.value.code


@pytest.fixture
def g(cloud):
    cloud.glacier.create_vault("vault-a")
    return cloud.glacier


# -- tree hash ------------------------------------------------------------------------------

def test_tree_hash_of_one_chunk_is_plain_sha256():
    data = b"x" * 1000
    assert tree_hash(data) == hashlib.sha256(data).hexdigest()


def test_tree_hash_of_exactly_one_mib_is_plain_sha256():
    data = bytes(range(256)) * 4096
    assert tree_hash(data) == hashlib.sha256(data).hexdigest()


def test_tree_hash_of_three_mib_pairs_then_promotes_the_odd_chunk():
    data = b"a" * MIB + b"b" * MIB + b"c" * MIB
    h = [hashlib.sha256(data[i * MIB:(i + 1) * MIB]).digest() for i in range(3)]
    expected = hashlib.sha256(hashlib.sha256(h[0] + h[1]).digest() + h[2]).hexdigest()
    assert tree_hash(data) == expected


def test_tree_hash_of_partial_last_chunk_hashes_the_short_chunk():
    data = b"a" * MIB + b"tail"
    h0, h1 = hashlib.sha256(b"a" * MIB).digest(), hashlib.sha256(b"tail").digest()
    assert tree_hash(data) == hashlib.sha256(h0 + h1).hexdigest()


def test_tree_hash_matches_botocore():
    import io

    from botocore.utils import calculate_tree_hash

    data = bytes(range(251)) * (5 * 4177)  # a little over 5 MiB
    assert tree_hash(data) == calculate_tree_hash(io.BytesIO(data))


def test_tree_hash_alignment_rules():
    assert is_tree_hash_aligned(0, 4 * CHUNK - 1, 8 * CHUNK)
    assert is_tree_hash_aligned(4 * CHUNK, 7 * CHUNK - 1, 7 * CHUNK)  # runs to the end
    assert not is_tree_hash_aligned(CHUNK, 3 * CHUNK - 1, 8 * CHUNK)  # crosses subtrees
    assert not is_tree_hash_aligned(0, 3 * CHUNK - 1, 8 * CHUNK)      # 3 chunks mid-archive
    assert not is_tree_hash_aligned(100, CHUNK - 1, 8 * CHUNK)


# -- vaults ----------------------------------------------------------------------------------

def test_vault_has_glacier_arn(g, cloud):
    assert g.vault("vault-a").arn == f"arn:aws:glacier:us-east-1:{cloud.account_id}:vaults/vault-a"


@pytest.mark.parametrize("name", ["", "a" * 256, "bad name", "slash/name", "ümlaut"])
def test_invalid_vault_name_is_rejected(cloud, name):
    assert _code(cloud.glacier.create_vault, name) == "InvalidParameterValueException"


def test_creating_an_existing_vault_is_idempotent(g):
    assert g.create_vault("vault-a") is g.vault("vault-a")
    assert len(g.vaults) == 1


def test_same_vault_name_in_another_region_is_a_different_vault(cloud, g):
    other = cloud.region("eu-west-1").glacier.create_vault("vault-a")
    assert other is not g.vault("vault-a") and other.region == "eu-west-1"


def test_vault_limit_per_region(cloud, monkeypatch):
    monkeypatch.setattr("awskit.glacier.service.VAULTS_PER_REGION", 2)
    cloud.glacier.create_vault("v1")
    cloud.glacier.create_vault("v2")
    assert _code(cloud.glacier.create_vault, "v3") == "LimitExceededException"
    assert VAULTS_PER_REGION == 1000


def test_missing_vault_is_resource_not_found(cloud):
    assert _code(cloud.glacier.describe_vault, "nope") == "ResourceNotFoundException"


def test_new_vault_has_no_inventory(g):
    v = g.describe_vault("vault-a")
    assert v.inventory is None and v.number_of_archives == 0 and v.size_in_bytes == 0


def test_describe_vault_lags_until_the_daily_inventory(g, cloud):
    g.upload_archive("vault-a", b"12345")
    cloud.clock.advance(hours=23)
    assert g.describe_vault("vault-a").number_of_archives == 0
    cloud.clock.advance(hours=1)
    v = g.describe_vault("vault-a")
    assert (v.number_of_archives, v.size_in_bytes, v.inventory.date) == (1, 5, cloud.clock.now)


def test_inventory_date_does_not_move_when_nothing_changed(g, cloud):
    g.upload_archive("vault-a", b"x")
    cloud.clock.advance(days=1)
    first = g.vault("vault-a").inventory.date
    cloud.clock.advance(days=3)
    assert g.vault("vault-a").inventory.date == first


def test_list_vaults_pages_by_name_with_marker(cloud):
    for n in ["c", "a", "b"]:
        cloud.glacier.create_vault(n)
    page, marker = cloud.glacier.list_vaults(limit=2)
    assert [v.name for v in page] == ["a", "b"]
    page2, marker2 = cloud.glacier.list_vaults(marker=marker, limit=2)
    assert [v.name for v in page2] == ["c"] and marker2 is None


def test_list_vaults_rejects_bad_limit(cloud):
    assert _code(cloud.glacier.list_vaults, limit=0) == "InvalidParameterValueException"


def test_empty_never_written_vault_can_be_deleted(g):
    g.delete_vault("vault-a")
    assert "vault-a" not in g.vaults


def test_vault_with_archives_cannot_be_deleted(g, cloud):
    g.upload_archive("vault-a", b"x")
    cloud.clock.advance(days=1)
    assert _code(g.delete_vault, "vault-a") == "InvalidParameterValueException"


def test_vault_is_not_deletable_until_an_inventory_sees_it_empty(g, cloud):
    a = g.upload_archive("vault-a", b"x")
    cloud.clock.advance(days=1)
    g.delete_archive("vault-a", a.id)
    assert _code(g.delete_vault, "vault-a") == "InvalidParameterValueException"  # written since inventory
    cloud.clock.advance(days=1)
    g.delete_vault("vault-a")
    assert "vault-a" not in g.vaults


def test_recent_upload_blocks_delete_even_before_first_inventory(g):
    a = g.upload_archive("vault-a", b"x")
    g.delete_archive("vault-a", a.id)
    assert _code(g.delete_vault, "vault-a") == "InvalidParameterValueException"


def test_tags_add_list_remove(g):
    g.add_tags_to_vault("vault-a", {"team": "finance", "env": "prod"})
    g.remove_tags_from_vault("vault-a", ["env"])
    assert g.list_tags_for_vault("vault-a") == {"team": "finance"}


def test_more_than_fifty_tags_is_limit_exceeded(g):
    assert _code(g.add_tags_to_vault, "vault-a", {f"k{i}": "v" for i in range(51)}) == "LimitExceededException"


def test_notifications_are_stored_and_validated(g, cloud):
    topic = f"arn:aws:sns:us-east-1:{cloud.account_id}:jobs"
    g.set_vault_notifications("vault-a", topic, ["ArchiveRetrievalCompleted"])
    assert g.get_vault_notifications("vault-a") == {"SNSTopic": topic, "Events": ["ArchiveRetrievalCompleted"]}
    assert _code(g.set_vault_notifications, "vault-a", topic, ["Done"]) == "InvalidParameterValueException"
    g.delete_vault_notifications("vault-a")
    assert _code(g.get_vault_notifications, "vault-a") == "ResourceNotFoundException"


# -- archives --------------------------------------------------------------------------------------

def test_archive_id_is_138_url_safe_characters(g):
    a = g.upload_archive("vault-a", b"data")
    assert len(a.id) == 138 and all(c.isalnum() or c in "-_" for c in a.id)


def test_archive_ids_are_deterministic_per_seed():
    ids = []
    for _ in range(2):
        c = Cloud(seed=11)
        c.glacier.create_vault("v")
        ids.append(c.glacier.upload_archive("v", b"x").id)
    assert ids[0] == ids[1]


def test_upload_returns_tree_hash_and_verifies_a_correct_checksum(g):
    data = b"z" * (2 * MIB + 5)
    a = g.upload_archive("vault-a", data, checksum=tree_hash(data))
    assert a.tree_hash == tree_hash(data) and a.data == data


def test_upload_with_wrong_checksum_is_rejected_and_stores_nothing(g):
    assert _code(g.upload_archive, "vault-a", b"abc", checksum="0" * 64) == "InvalidParameterValueException"
    assert g.vault("vault-a").archives == {}


def test_plain_sha256_is_wrong_checksum_for_multi_chunk_archive(g):
    data = b"q" * (2 * MIB)
    assert _code(g.upload_archive, "vault-a", data,
                 checksum=hashlib.sha256(data).hexdigest()) == "InvalidParameterValueException"


def test_description_must_be_printable_ascii(g):
    assert _code(g.upload_archive, "vault-a", b"x", description="line\nbreak") == "InvalidParameterValueException"


def test_delete_missing_archive_is_resource_not_found(g):
    assert _code(g.delete_archive, "vault-a", "nope") == "ResourceNotFoundException"


# -- multipart ---------------------------------------------------------------------------------------

def test_multipart_upload_round_trips_and_matches_tree_hash(g):
    data = bytes(range(256)) * (4096 * 5) + b"end"  # 5 MiB + 3 bytes
    up = g.initiate_multipart_upload("vault-a", 2 * MIB, description="big")
    for start in range(0, len(data), 2 * MIB):
        part = data[start:start + 2 * MIB]
        g.upload_multipart_part("vault-a", up.id, f"bytes {start}-{start + len(part) - 1}/*", part,
                                checksum=tree_hash(part))
    a = g.complete_multipart_upload("vault-a", up.id, len(data), tree_hash(data))
    assert a.data == data and a.tree_hash == tree_hash(data) and a.description == "big"
    assert g.list_multipart_uploads("vault-a") == []


@pytest.mark.parametrize("size", [MIB // 2, 3 * MIB, 8 * 1024 ** 3, "x"])
def test_part_size_must_be_power_of_two_mib(g, size):
    assert _code(g.initiate_multipart_upload, "vault-a", size) == "InvalidParameterValueException"


def test_part_range_must_start_on_part_boundary(g):
    up = g.initiate_multipart_upload("vault-a", MIB)
    assert _code(g.upload_multipart_part, "vault-a", up.id, "bytes 10-1048585/*",
                 b"x" * MIB) == "InvalidParameterValueException"


def test_part_checksum_mismatch_is_rejected(g):
    up = g.initiate_multipart_upload("vault-a", MIB)
    assert _code(g.upload_multipart_part, "vault-a", up.id, "bytes 0-2/*", b"abc",
                 checksum="f" * 64) == "InvalidParameterValueException"


def test_complete_with_missing_part_is_rejected(g):
    up = g.initiate_multipart_upload("vault-a", MIB)
    g.upload_multipart_part("vault-a", up.id, f"bytes {MIB}-{MIB + 2}/*", b"abc")
    assert _code(g.complete_multipart_upload, "vault-a", up.id, MIB + 3, "0" * 64) == "InvalidParameterValueException"


def test_complete_with_wrong_whole_tree_hash_is_rejected(g):
    up = g.initiate_multipart_upload("vault-a", MIB)
    g.upload_multipart_part("vault-a", up.id, "bytes 0-2/*", b"abc")
    assert _code(g.complete_multipart_upload, "vault-a", up.id, 3, "0" * 64) == "InvalidParameterValueException"
    assert up.id in g.vault("vault-a").uploads


def test_abort_removes_upload(g):
    up = g.initiate_multipart_upload("vault-a", MIB)
    g.abort_multipart_upload("vault-a", up.id)
    assert _code(g.list_parts, "vault-a", up.id) == "ResourceNotFoundException"


def test_archive_location_of_something_that_is_not_an_archive_is_invalid(cloud):
    with pytest.raises(AWSError) as err:
        cloud.glacier.archive_location(None)
    assert err.value.code == "InvalidParameterValueException"
