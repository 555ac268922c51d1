"""S3 model and facade: buckets, objects, listings, multipart uploads, versioning."""

import hashlib
import io

import pytest

from awskit import AWSError, Cloud
from awskit.s3 import StorageClass, multipart_etag, validate_bucket_name, website_endpoint

MIB = 1024 * 1024


@pytest.fixture
def s3(cloud):
    return cloud.client("s3")


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="test-bucket")
    return "test-bucket"


def code_of(call, **kw):
    with pytest.raises(AWSError) as info:
        call(**kw)
    return info.value.code


# -- bucket names ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ab", "a" * 64, "My-Bucket", "under_score", "-start", "end-", "a..b",
                                  "192.168.5.4", "xn--bucket", "sthree-bucket", "name-s3alias", "name--ol-s3",
                                  "a.-b", "amzn-s3-demo-bucket"])
def test_bucket_name_breaking_a_rule_is_invalid(cloud, name):
    assert code_of(cloud.s3.create_bucket, name=name) == "InvalidBucketName"


@pytest.mark.parametrize("name", ["abc", "a" * 63, "my.bucket-1", "1bucket", "192.168.5.4x"])
def test_valid_bucket_names_are_accepted(name):
    assert validate_bucket_name(name) == name


def test_bucket_name_that_is_not_a_string_is_invalid(cloud):
    assert code_of(cloud.s3.create_bucket, name=123) == "InvalidBucketName"


# -- the global namespace --------------------------------------------------------------

def test_name_taken_by_another_account_is_bucket_already_exists(cloud):
    cloud.s3.create_bucket("shared-name")
    other = cloud.create_account()
    assert code_of(other.client("s3").create_bucket, Bucket="shared-name") == "BucketAlreadyExists"


def test_recreating_own_bucket_in_us_east_1_succeeds(s3, bucket):
    assert s3.create_bucket(Bucket=bucket)["Location"] == f"/{bucket}"


def test_recreating_own_bucket_outside_us_east_1_is_already_owned(cloud):
    eu = cloud.client("s3", region_name="eu-west-1")
    eu.create_bucket(Bucket="eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert code_of(eu.create_bucket, Bucket="eu-bucket",
                   CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}) == "BucketAlreadyOwnedByYou"


def test_buckets_of_other_accounts_are_not_listed(cloud):
    cloud.s3.create_bucket("mine-only")
    other = cloud.create_account()
    other.s3.create_bucket("theirs-only")
    assert [b["Name"] for b in cloud.client("s3").list_buckets()["Buckets"]] == ["mine-only"]


def test_another_accounts_bucket_is_access_denied_without_a_policy(cloud):
    cloud.s3.create_bucket("private-one")
    cloud.s3.put_object("private-one", "k", b"secret")
    other = cloud.create_account().client("s3")
    assert code_of(other.get_object, Bucket="private-one", Key="k") == "AccessDenied"


# -- location constraints --------------------------------------------------------------

def test_us_east_1_as_location_constraint_is_invalid(s3):
    assert code_of(s3.create_bucket, Bucket="abc-x",
                   CreateBucketConfiguration={"LocationConstraint": "us-east-1"}) == "InvalidLocationConstraint"


def test_unknown_location_constraint_is_invalid(s3):
    assert code_of(s3.create_bucket, Bucket="abc-x",
                   CreateBucketConfiguration={"LocationConstraint": "mars-1"}) == "InvalidLocationConstraint"


def test_regional_client_without_constraint_is_illegal(cloud):
    eu = cloud.client("s3", region_name="eu-west-1")
    assert code_of(eu.create_bucket, Bucket="abc-x") == "IllegalLocationConstraintException"


def test_constraint_differing_from_regional_client_is_illegal(cloud):
    eu = cloud.client("s3", region_name="eu-west-1")
    assert code_of(eu.create_bucket, Bucket="abc-x",
                   CreateBucketConfiguration={"LocationConstraint": "us-west-2"}) == "IllegalLocationConstraintException"


def test_bucket_location_is_none_for_us_east_1(s3, bucket):
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None


def test_bucket_location_names_other_regions(cloud):
    eu = cloud.client("s3", region_name="eu-west-1")
    eu.create_bucket(Bucket="eu-b", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert eu.get_bucket_location(Bucket="eu-b")["LocationConstraint"] == "eu-west-1"
    assert cloud.s3.buckets["eu-b"].region == "eu-west-1"


def test_head_bucket_reports_region(s3, bucket):
    assert s3.head_bucket(Bucket=bucket)["BucketRegion"] == "us-east-1"


def test_head_missing_bucket_is_404(s3):
    assert code_of(s3.head_bucket, Bucket="nope-nope") == "404"


# -- deleting buckets --------------------------------------------------------------------

def test_delete_non_empty_bucket_is_refused(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert code_of(s3.delete_bucket, Bucket=bucket) == "BucketNotEmpty"


def test_delete_missing_bucket_is_no_such_bucket(s3):
    assert code_of(s3.delete_bucket, Bucket="nope-nope") == "NoSuchBucket"


def test_deleted_bucket_name_is_free_for_another_account(cloud, s3, bucket):
    s3.delete_bucket(Bucket=bucket)
    other = cloud.create_account()
    other.s3.create_bucket(bucket)
    assert cloud.s3.buckets == {}


def test_versioned_bucket_with_only_delete_markers_is_not_empty(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.delete_object(Bucket=bucket, Key="k")
    assert code_of(s3.delete_bucket, Bucket=bucket) == "BucketNotEmpty"


# -- objects ----------------------------------------------------------------------------

def test_put_get_round_trip_keeps_bytes_metadata_and_type(s3, bucket):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"hello", Metadata={"Owner": "ana"}, ContentType="text/plain")
    got = s3.get_object(Bucket=bucket, Key="a.txt")
    assert got["Body"].read() == b"hello"
    assert got["Metadata"] == {"owner": "ana"}
    assert got["ContentType"] == "text/plain"


def test_etag_is_quoted_md5_of_content(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"hello")["ETag"]
    assert etag == '"' + hashlib.md5(b"hello").hexdigest() + '"'


def test_str_body_is_stored_as_utf8(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body="héllo")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == "héllo".encode()


def test_file_like_body_is_read(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=io.BytesIO(b"from a file"))
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"from a file"


def test_body_of_wrong_type_is_param_validation_error(s3, bucket):
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=42) == "ParamValidationError"


def test_default_content_type_is_binary_octet_stream(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert s3.head_object(Bucket=bucket, Key="k")["ContentType"] == "binary/octet-stream"


def test_wrong_content_md5_is_bad_digest(s3, bucket):
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=b"x", ContentMD5="AAAA") == "BadDigest"


def test_streaming_body_iterates_lines_and_chunks(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"one\ntwo\nthree")
    assert list(s3.get_object(Bucket=bucket, Key="k")["Body"].iter_lines()) == [b"one", b"two", b"three"]
    assert list(s3.get_object(Bucket=bucket, Key="k")["Body"].iter_chunks(5)) == [b"one\nt", b"wo\nth", b"ree"]


def test_streaming_body_is_a_context_manager_that_closes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with s3.get_object(Bucket=bucket, Key="k")["Body"] as body:
        assert body.read() == b"x"
    with pytest.raises(ValueError):
        body.read()


def test_range_get_returns_the_slice_with_206(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="k", Range="bytes=2-4")
    assert got["Body"].read() == b"234"
    assert got["ContentRange"] == "bytes 2-4/10"
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206


def test_suffix_range_returns_the_tail(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    assert s3.get_object(Bucket=bucket, Key="k", Range="bytes=-3")["Body"].read() == b"789"


def test_range_past_the_end_is_invalid_range(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123")
    assert code_of(s3.get_object, Bucket=bucket, Key="k", Range="bytes=10-20") == "InvalidRange"


def test_missing_key_is_no_such_key(s3, bucket):
    assert code_of(s3.get_object, Bucket=bucket, Key="nope") == "NoSuchKey"


def test_missing_key_error_is_catchable_as_client_exception(s3, bucket):
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=bucket, Key="nope")


def test_object_in_missing_bucket_is_no_such_bucket(s3):
    assert code_of(s3.get_object, Bucket="nope-nope", Key="k") == "NoSuchBucket"


def test_head_missing_object_is_404(s3, bucket):
    assert code_of(s3.head_object, Bucket=bucket, Key="nope") == "404"


def test_if_match_mismatch_is_precondition_failed(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert code_of(s3.get_object, Bucket=bucket, Key="k", IfMatch='"0000"') == "PreconditionFailed"


def test_key_longer_than_1024_bytes_is_rejected(s3, bucket):
    assert code_of(s3.put_object, Bucket=bucket, Key="k" * 1025, Body=b"") == "KeyTooLongError"


def test_metadata_over_2kb_is_rejected(s3, bucket):
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=b"",
                   Metadata={"big": "x" * 3000}) == "MetadataTooLarge"


def test_stored_bytes_are_returned_exactly(cloud, bucket):
    payload = bytes(range(256)) * 4
    cloud.s3.put_object(bucket, "bin", payload)
    assert cloud.client("s3").get_object(Bucket=bucket, Key="bin")["Body"].read() == payload


def test_changing_returned_metadata_does_not_change_the_stored_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Metadata={"a": "1"})
    s3.get_object(Bucket=bucket, Key="k")["Metadata"]["a"] = "changed"
    assert s3.head_object(Bucket=bucket, Key="k")["Metadata"] == {"a": "1"}


def test_put_replaces_the_object_in_an_unversioned_bucket(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"one")
    s3.put_object(Bucket=bucket, Key="k", Body=b"two")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"two"
    assert "VersionId" not in s3.head_object(Bucket=bucket, Key="k")


def test_delete_object_removes_it(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.delete_object(Bucket=bucket, Key="k")
    assert code_of(s3.get_object, Bucket=bucket, Key="k") == "NoSuchKey"


def test_deleting_a_missing_key_succeeds(s3, bucket):
    assert s3.delete_object(Bucket=bucket, Key="never")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_delete_objects_reports_each_key(s3, bucket):
    for k in "abc":
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "zz"}]})
    assert [d["Key"] for d in out["Deleted"]] == ["a", "b", "zz"]
    assert [c["Key"] for c in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]


def test_delete_objects_quiet_returns_no_deleted_list(s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"x")
    assert "Deleted" not in s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}], "Quiet": True})


# -- copy and move ---------------------------------------------------------------------------

def test_copy_keeps_metadata_by_default(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"data", Metadata={"a": "1"}, ContentType="text/csv")
    s3.copy_object(Bucket=bucket, Key="dst", CopySource=f"{bucket}/src")
    got = s3.head_object(Bucket=bucket, Key="dst")
    assert (got["Metadata"], got["ContentType"]) == ({"a": "1"}, "text/csv")


def test_copy_with_replace_uses_new_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"data", Metadata={"a": "1"})
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"b": "2"})
    assert s3.head_object(Bucket=bucket, Key="dst")["Metadata"] == {"b": "2"}


def test_copy_to_another_bucket_is_independent_of_the_source(s3, bucket):
    s3.create_bucket(Bucket="other-bucket")
    s3.put_object(Bucket=bucket, Key="src", Body=b"v1")
    s3.copy_object(Bucket="other-bucket", Key="dst", CopySource=f"{bucket}/src")
    s3.put_object(Bucket=bucket, Key="src", Body=b"v2")
    assert s3.get_object(Bucket="other-bucket", Key="dst")["Body"].read() == b"v1"


def test_copy_onto_itself_without_changes_is_invalid_request(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert code_of(s3.copy_object, Bucket=bucket, Key="k", CopySource=f"{bucket}/k") == "InvalidRequest"


def test_copy_of_missing_source_is_no_such_key(s3, bucket):
    assert code_of(s3.copy_object, Bucket=bucket, Key="dst", CopySource=f"{bucket}/missing") == "NoSuchKey"


def test_move_is_copy_then_delete(cloud, bucket):
    cloud.s3.put_object(bucket, "old/name.txt", b"x")
    cloud.s3.move_object(bucket, "old/name.txt", bucket, "new/name.txt")
    assert cloud.s3.buckets[bucket].keys == ["new/name.txt"]


# -- listings ----------------------------------------------------------------------------

@pytest.fixture
def tree(s3, bucket):
    for key in ["a.txt", "photos/2025/x.jpg", "photos/2026/y.jpg", "photos/z.jpg", "docs/readme.md", "b.txt"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    return bucket


def test_listing_is_sorted_by_key(s3, tree):
    keys = [c["Key"] for c in s3.list_objects_v2(Bucket=tree)["Contents"]]
    assert keys == sorted(keys)


def test_listing_order_is_utf8_binary(s3, bucket):
    for key in ["é", "z", "Z", "a", "日本"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")
    keys = [c["Key"] for c in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == sorted(keys, key=lambda k: k.encode("utf-8"))


def test_prefix_limits_the_listing(s3, tree):
    keys = [c["Key"] for c in s3.list_objects_v2(Bucket=tree, Prefix="photos/")["Contents"]]
    assert keys == ["photos/2025/x.jpg", "photos/2026/y.jpg", "photos/z.jpg"]


def test_delimiter_groups_common_prefixes(s3, tree):
    out = s3.list_objects_v2(Bucket=tree, Delimiter="/")
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["docs/", "photos/"]
    assert [c["Key"] for c in out["Contents"]] == ["a.txt", "b.txt"]
    assert out["KeyCount"] == 4


def test_delimiter_with_prefix_lists_one_folder_level(s3, tree):
    out = s3.list_objects_v2(Bucket=tree, Prefix="photos/", Delimiter="/")
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["photos/2025/", "photos/2026/"]
    assert [c["Key"] for c in out["Contents"]] == ["photos/z.jpg"]


def test_start_after_skips_keys(s3, tree):
    keys = [c["Key"] for c in s3.list_objects_v2(Bucket=tree, StartAfter="b.txt")["Contents"]]
    assert keys[0] == "docs/readme.md"


def test_max_keys_truncates_with_a_continuation_token(s3, tree):
    page = s3.list_objects_v2(Bucket=tree, MaxKeys=2)
    assert page["IsTruncated"] and page["KeyCount"] == 2
    rest = s3.list_objects_v2(Bucket=tree, ContinuationToken=page["NextContinuationToken"])
    assert not rest["IsTruncated"] and rest["KeyCount"] == 4


def test_pagination_with_delimiter_visits_each_entry_once(s3, tree):
    seen = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=tree, Delimiter="/",
                                                             PaginationConfig={"PageSize": 1}):
        seen += [c["Key"] for c in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    assert sorted(seen) == ["a.txt", "b.txt", "docs/", "photos/"]


def test_paginator_lists_every_key(s3, bucket):
    for i in range(25):
        s3.put_object(Bucket=bucket, Key=f"k{i:02d}", Body=b"")
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 10}))
    assert [p["KeyCount"] for p in pages] == [10, 10, 5]


def test_bad_continuation_token_is_invalid_argument(s3, tree):
    assert code_of(s3.list_objects_v2, Bucket=tree, ContinuationToken="garbage") == "InvalidArgument"


def test_list_objects_v1_uses_markers(s3, tree):
    page = s3.list_objects(Bucket=tree, MaxKeys=3)
    assert page["IsTruncated"]
    rest = s3.list_objects(Bucket=tree, Marker=page["NextMarker"])
    assert len(page["Contents"]) + len(rest["Contents"]) == 6


def test_listing_missing_bucket_is_no_such_bucket(s3):
    assert code_of(s3.list_objects_v2, Bucket="nope-nope") == "NoSuchBucket"


def test_empty_listing_has_no_contents_key(s3, bucket):
    out = s3.list_objects_v2(Bucket=bucket)
    assert "Contents" not in out and out["KeyCount"] == 0


# -- multipart uploads --------------------------------------------------------------------------

def _upload(s3, bucket, key, parts):
    up = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key=key, UploadId=up, PartNumber=i + 1, Body=p)["ETag"]
             for i, p in enumerate(parts)]
    return up, etags


def test_multipart_upload_assembles_parts_with_multipart_etag(s3, bucket):
    parts = [b"a" * (5 * MIB), b"b" * 10]
    up, etags = _upload(s3, bucket, "big", parts)
    out = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=up, MultipartUpload={
        "Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
    assert out["ETag"] == f'"{digest}-2"' == multipart_etag(etags)
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == b"".join(parts)


def test_small_non_final_part_is_entity_too_small(s3, bucket):
    up, etags = _upload(s3, bucket, "big", [b"a" * 100, b"b"])
    assert code_of(s3.complete_multipart_upload, Bucket=bucket, Key="big", UploadId=up, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": etags[0]}, {"PartNumber": 2, "ETag": etags[1]}]}) == "EntityTooSmall"


def test_parts_out_of_order_are_invalid_part_order(s3, bucket):
    up, etags = _upload(s3, bucket, "big", [b"a" * (5 * MIB), b"b"])
    assert code_of(s3.complete_multipart_upload, Bucket=bucket, Key="big", UploadId=up, MultipartUpload={
        "Parts": [{"PartNumber": 2, "ETag": etags[1]}, {"PartNumber": 1, "ETag": etags[0]}]}) == "InvalidPartOrder"


def test_wrong_part_etag_is_invalid_part(s3, bucket):
    up, _ = _upload(s3, bucket, "big", [b"a"])
    assert code_of(s3.complete_multipart_upload, Bucket=bucket, Key="big", UploadId=up, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": '"deadbeef"'}]}) == "InvalidPart"


def test_part_number_out_of_range_is_invalid_argument(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    assert code_of(s3.upload_part, Bucket=bucket, Key="k", UploadId=up, PartNumber=10001, Body=b"x") == \
        "InvalidArgument"


def test_aborted_upload_is_no_such_upload(s3, bucket):
    up, _ = _upload(s3, bucket, "k", [b"x"])
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=up)
    assert code_of(s3.list_parts, Bucket=bucket, Key="k", UploadId=up) == "NoSuchUpload"


def test_list_parts_shows_uploaded_parts(s3, bucket):
    up, _ = _upload(s3, bucket, "k", [b"x", b"yy"])
    parts = s3.list_parts(Bucket=bucket, Key="k", UploadId=up)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 1), (2, 2)]


# -- versioning --------------------------------------------------------------------------------

@pytest.fixture
def versioned(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return bucket


def test_new_bucket_reports_no_versioning_status(s3, bucket):
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)


def test_versioning_status_must_be_enabled_or_suspended(s3, bucket):
    assert code_of(s3.put_bucket_versioning, Bucket=bucket,
                   VersioningConfiguration={"Status": "Disabled"}) == "MalformedXML"


def test_each_put_gets_a_version_id(s3, versioned):
    v1 = s3.put_object(Bucket=versioned, Key="k", Body=b"1")["VersionId"]
    v2 = s3.put_object(Bucket=versioned, Key="k", Body=b"2")["VersionId"]
    assert v1 != v2
    assert s3.get_object(Bucket=versioned, Key="k", VersionId=v1)["Body"].read() == b"1"


def test_delete_adds_a_delete_marker_and_hides_the_object(s3, versioned):
    s3.put_object(Bucket=versioned, Key="k", Body=b"1")
    out = s3.delete_object(Bucket=versioned, Key="k")
    assert out["DeleteMarker"] is True
    assert code_of(s3.get_object, Bucket=versioned, Key="k") == "NoSuchKey"


def test_deleting_the_delete_marker_brings_the_object_back(s3, versioned):
    s3.put_object(Bucket=versioned, Key="k", Body=b"1")
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    s3.delete_object(Bucket=versioned, Key="k", VersionId=marker)
    assert s3.get_object(Bucket=versioned, Key="k")["Body"].read() == b"1"


def test_get_of_a_delete_marker_version_is_method_not_allowed(s3, versioned):
    s3.put_object(Bucket=versioned, Key="k", Body=b"1")
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    assert code_of(s3.get_object, Bucket=versioned, Key="k", VersionId=marker) == "MethodNotAllowed"


def test_deleting_a_specific_version_removes_it_for_good(s3, versioned):
    v1 = s3.put_object(Bucket=versioned, Key="k", Body=b"1")["VersionId"]
    s3.put_object(Bucket=versioned, Key="k", Body=b"2")
    s3.delete_object(Bucket=versioned, Key="k", VersionId=v1)
    assert code_of(s3.get_object, Bucket=versioned, Key="k", VersionId=v1) == "NoSuchVersion"


def test_list_object_versions_shows_versions_newest_first_and_markers(s3, versioned):
    s3.put_object(Bucket=versioned, Key="k", Body=b"1")
    s3.put_object(Bucket=versioned, Key="k", Body=b"2")
    s3.delete_object(Bucket=versioned, Key="k")
    out = s3.list_object_versions(Bucket=versioned)
    assert [v["Size"] for v in out["Versions"]] == [1, 1]
    assert [v["IsLatest"] for v in out["Versions"]] == [False, False]
    assert out["DeleteMarkers"][0]["IsLatest"] is True


def test_suspended_versioning_overwrites_the_null_version(s3, versioned):
    s3.put_object(Bucket=versioned, Key="k", Body=b"v")
    s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Suspended"})
    s3.put_object(Bucket=versioned, Key="k", Body=b"n1")
    s3.put_object(Bucket=versioned, Key="k", Body=b"n2")
    ids = [v["VersionId"] for v in s3.list_object_versions(Bucket=versioned)["Versions"]]
    assert len(ids) == 2 and ids[0] == "null"


def test_versions_are_deterministic_for_a_seed():
    def ids():
        s3 = Cloud(seed=5).client("s3")
        s3.create_bucket(Bucket="b-seed")
        s3.put_bucket_versioning(Bucket="b-seed", VersioningConfiguration={"Status": "Enabled"})
        return s3.put_object(Bucket="b-seed", Key="k", Body=b"")["VersionId"]
    assert ids() == ids()


# -- misc ------------------------------------------------------------------------------------

def test_website_endpoint_uses_dash_or_dot_by_region():
    assert website_endpoint("b", "us-west-2") == "b.s3-website-us-west-2.amazonaws.com"
    assert website_endpoint("b", "eu-west-2") == "b.s3-website.eu-west-2.amazonaws.com"


def test_unknown_storage_class_is_invalid(s3, bucket):
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=b"", StorageClass="COLD") == "InvalidStorageClass"


def test_storage_class_is_reported_when_not_standard(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"", StorageClass="STANDARD_IA")
    assert s3.head_object(Bucket=bucket, Key="k")["StorageClass"] == "STANDARD_IA"
    assert cloud_class(s3, bucket) is StorageClass.STANDARD_IA


def cloud_class(s3, bucket):
    return s3._s3.buckets[bucket].current("k").storage_class


def test_object_tags_round_trip(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"", Tagging="team=data&env=dev")
    assert {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"]} == \
        {"team": "data", "env": "dev"}


def test_bucket_exists_waiter_returns_for_an_existing_bucket(s3, bucket):
    assert s3.get_waiter("bucket_exists").wait(Bucket=bucket) is None


def test_object_exists_waiter_times_out_on_simulated_clock(cloud, s3, bucket):
    with pytest.raises(AWSError):
        s3.get_waiter("object_exists").wait(Bucket=bucket, Key="never")
    assert cloud.clock.now >= 5 * 19


def test_delete_objects_with_keys_that_are_not_a_list_is_malformed(cloud):
    cloud.s3.create_bucket("keys-bucket")
    with pytest.raises(AWSError) as err:
        cloud.s3.delete_objects("keys-bucket", None)
    assert err.value.code == "MalformedXML"
