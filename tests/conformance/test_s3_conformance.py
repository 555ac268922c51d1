"""S3: the same boto3 calls against moto and awskit: response keys and error codes."""

import hashlib

import pytest

from .conftest import error_code, keys, moto_differs


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="conf-bucket")
    return "conf-bucket"


def test_create_head_list_delete_bucket(s3):
    assert keys(s3.create_bucket(Bucket="life-bucket")) == {"Location"}
    assert "BucketRegion" in keys(s3.head_bucket(Bucket="life-bucket"))
    listed = s3.list_buckets()
    assert {"Buckets", "Owner"} <= keys(listed)
    assert [b["Name"] for b in listed["Buckets"]] == ["life-bucket"]
    assert {"Name", "CreationDate"} <= set(listed["Buckets"][0])
    s3.delete_bucket(Bucket="life-bucket")
    assert s3.list_buckets()["Buckets"] == []


def test_bucket_in_another_region(client):
    eu = client("s3", region_name="eu-west-1")
    eu.create_bucket(Bucket="eu-conf", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert eu.get_bucket_location(Bucket="eu-conf")["LocationConstraint"] == "eu-west-1"


def test_location_of_us_east_1_bucket_is_none(s3, bucket):
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None


def test_recreate_own_bucket_in_us_east_1_succeeds(s3, bucket):
    assert keys(s3.create_bucket(Bucket=bucket)) == {"Location"}


def test_recreate_own_bucket_elsewhere_is_already_owned(client):
    eu = client("s3", region_name="eu-west-1")
    cfg = {"LocationConstraint": "eu-west-1"}
    eu.create_bucket(Bucket="eu-twice", CreateBucketConfiguration=cfg)
    assert error_code(eu.create_bucket, Bucket="eu-twice", CreateBucketConfiguration=cfg) == "BucketAlreadyOwnedByYou"


def test_us_east_1_location_constraint_is_invalid(s3):
    assert error_code(s3.create_bucket, Bucket="bad-loc", CreateBucketConfiguration={
        "LocationConstraint": "us-east-1"}) == "InvalidLocationConstraint"


def test_regional_client_without_constraint_is_illegal(client):
    assert error_code(client("s3", region_name="eu-west-1").create_bucket, Bucket="no-loc") == \
        "IllegalLocationConstraintException"


def test_too_short_bucket_name_is_invalid(s3):
    assert error_code(s3.create_bucket, Bucket="ab") == "InvalidBucketName"


@moto_differs("moto accepts upper case, underscores and a leading hyphen, which AWS refuses")
@pytest.mark.parametrize("name", ["UPPER-case", "bad_underscore", "-dash-start"])
def test_bucket_name_breaking_aws_rules_is_invalid(s3, name):
    assert error_code(s3.create_bucket, Bucket=name) == "InvalidBucketName"


@moto_differs("moto accepts IP-address-shaped bucket names, which AWS refuses")
def test_ip_address_bucket_name_is_invalid(s3):
    assert error_code(s3.create_bucket, Bucket="192.168.5.4") == "InvalidBucketName"


def test_errors_for_missing_things(s3, bucket):
    assert error_code(s3.get_object, Bucket="no-such-bucket-x", Key="k") == "NoSuchBucket"
    assert error_code(s3.get_object, Bucket=bucket, Key="missing") == "NoSuchKey"
    assert error_code(s3.head_object, Bucket=bucket, Key="missing") == "404"
    assert error_code(s3.head_bucket, Bucket="no-such-bucket-x") == "404"
    assert error_code(s3.delete_bucket, Bucket="no-such-bucket-x") == "NoSuchBucket"
    assert error_code(s3.list_objects_v2, Bucket="no-such-bucket-x") == "NoSuchBucket"


def test_delete_non_empty_bucket(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert error_code(s3.delete_bucket, Bucket=bucket) == "BucketNotEmpty"


def test_object_round_trip(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="a/b.txt", Body=b"hello", Metadata={"Team": "data"},
                        ContentType="text/plain")
    assert put["ETag"] == '"' + hashlib.md5(b"hello").hexdigest() + '"'
    got = s3.get_object(Bucket=bucket, Key="a/b.txt")
    assert {"Body", "ContentLength", "ContentType", "ETag", "LastModified", "Metadata", "AcceptRanges"} <= keys(got)
    assert (got["Body"].read(), got["Metadata"], got["ContentType"], got["ContentLength"]) == \
        (b"hello", {"team": "data"}, "text/plain", 5)
    head = s3.head_object(Bucket=bucket, Key="a/b.txt")
    assert {"ContentLength", "ContentType", "ETag", "LastModified", "Metadata"} <= keys(head)


def test_range_get(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="k", Range="bytes=3-5")
    assert (got["Body"].read(), got["ContentRange"]) == (b"345", "bytes 3-5/10")
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206


def test_copy_and_delete(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"data", Metadata={"a": "1"})
    out = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert {"ETag", "LastModified"} <= set(out["CopyObjectResult"])
    assert s3.head_object(Bucket=bucket, Key="dst")["Metadata"] == {"a": "1"}
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource=f"{bucket}/src", MetadataDirective="REPLACE",
                   Metadata={"b": "2"})
    assert s3.head_object(Bucket=bucket, Key="dst2")["Metadata"] == {"b": "2"}
    assert s3.delete_object(Bucket=bucket, Key="src")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert error_code(s3.get_object, Bucket=bucket, Key="src") == "NoSuchKey"


def test_delete_objects(s3, bucket):
    for k in "ab":
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["a", "b"]
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_list_objects_v2_with_delimiter(s3, bucket):
    for k in ["a.txt", "photos/1.jpg", "photos/2.jpg", "docs/x.md"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    out = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert {"IsTruncated", "Contents", "Name", "Prefix", "Delimiter", "MaxKeys", "CommonPrefixes", "KeyCount"} <= keys(out)
    assert [c["Key"] for c in out["Contents"]] == ["a.txt"]
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["docs/", "photos/"]
    assert out["KeyCount"] == 3
    assert {"Key", "LastModified", "ETag", "Size", "StorageClass"} <= set(out["Contents"][0])


def test_list_objects_v2_pagination(s3, bucket):
    for i in range(7):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"")
    first = s3.list_objects_v2(Bucket=bucket, MaxKeys=3)
    assert first["IsTruncated"] and first["KeyCount"] == 3 and "NextContinuationToken" in first
    second = s3.list_objects_v2(Bucket=bucket, MaxKeys=3, ContinuationToken=first["NextContinuationToken"])
    assert [c["Key"] for c in second["Contents"]] == ["k3", "k4", "k5"]
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 3}))
    assert [p["KeyCount"] for p in pages] == [3, 3, 1]


def test_list_objects_v2_start_after_and_prefix(s3, bucket):
    for k in ["a1", "a2", "b1"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    assert [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, StartAfter="a1")["Contents"]] == ["a2", "b1"]
    assert [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, Prefix="a")["Contents"]] == ["a1", "a2"]


def test_list_objects_v1(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"")
    out = s3.list_objects(Bucket=bucket)
    assert {"IsTruncated", "Contents", "Name", "MaxKeys"} <= keys(out)


def test_versioning(s3, bucket):
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"1")["VersionId"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"2")
    marker = s3.delete_object(Bucket=bucket, Key="k")
    assert marker["DeleteMarker"] is True and "VersionId" in marker
    assert error_code(s3.get_object, Bucket=bucket, Key="k") == "NoSuchKey"
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v1)["Body"].read() == b"1"
    listed = s3.list_object_versions(Bucket=bucket)
    assert len(listed["Versions"]) == 2 and len(listed["DeleteMarkers"]) == 1
    assert {"Key", "VersionId", "IsLatest", "LastModified", "ETag", "Size"} <= set(listed["Versions"][0])
    s3.delete_object(Bucket=bucket, Key="k", VersionId=marker["VersionId"])
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"2"


def test_multipart_upload(s3, bucket):
    part1, part2 = b"a" * (5 * 1024 * 1024), b"tail"
    up = s3.create_multipart_upload(Bucket=bucket, Key="big")
    assert {"Bucket", "Key", "UploadId"} <= keys(up)
    e1 = s3.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1, Body=part1)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=2, Body=part2)["ETag"]
    assert [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="big", UploadId=up["UploadId"])["Parts"]] == [1, 2]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=up["UploadId"], MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    assert {"Bucket", "Key", "ETag", "Location"} <= keys(done)
    assert done["ETag"].endswith('-2"')
    assert s3.get_object(Bucket=bucket, Key="big")["ContentLength"] == len(part1) + len(part2)


def test_multipart_small_part_is_entity_too_small(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    e1 = s3.upload_part(Bucket=bucket, Key="big", UploadId=up, PartNumber=1, Body=b"small")["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="big", UploadId=up, PartNumber=2, Body=b"tail")["ETag"]
    assert error_code(s3.complete_multipart_upload, Bucket=bucket, Key="big", UploadId=up, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]}) == "EntityTooSmall"


def test_abort_multipart_then_no_such_upload(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    s3.abort_multipart_upload(Bucket=bucket, Key="big", UploadId=up)
    assert error_code(s3.list_parts, Bucket=bucket, Key="big", UploadId=up) == "NoSuchUpload"


def test_bucket_policy_round_trip_and_missing_policy(s3, bucket):
    assert error_code(s3.get_bucket_policy, Bucket=bucket) == "NoSuchBucketPolicy"
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket",'
              '"Resource":"arn:aws:s3:::conf-bucket"}]}')
    s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert "Statement" in s3.get_bucket_policy(Bucket=bucket)["Policy"]


@moto_differs("moto stores a policy that is not valid JSON")
def test_malformed_policy(s3, bucket):
    assert error_code(s3.put_bucket_policy, Bucket=bucket, Policy="{not json") == "MalformedPolicy"


def test_public_access_block_round_trip(s3, bucket):
    cfg = {"BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": True,
           "RestrictPublicBuckets": False}
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=cfg)
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == cfg


def test_website_configuration_round_trip(s3, bucket):
    cfg = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"}}
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration=cfg)
    out = s3.get_bucket_website(Bucket=bucket)
    assert (out["IndexDocument"], out["ErrorDocument"]) == (cfg["IndexDocument"], cfg["ErrorDocument"])


def test_lifecycle_configuration_round_trip(s3, bucket):
    rule = {"ID": "archive", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
            "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}], "Expiration": {"Days": 365}}
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]
    assert (got["ID"], got["Status"], got["Expiration"]) == ("archive", "Enabled", {"Days": 365})


def test_glacier_object_needs_restore(s3, bucket):
    s3.put_object(Bucket=bucket, Key="cold", Body=b"x", StorageClass="GLACIER")
    assert error_code(s3.get_object, Bucket=bucket, Key="cold") == "InvalidObjectState"


def test_object_tagging_round_trip(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"")
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "a", "Value": "1"}]
