"""S3 model: permissions, presigned URLs, websites, lifecycle and restores, events, durability, bill."""

import json

import pytest

from awskit import AWSError
from awskit.s3 import StorageClass

DAY = 86400


@pytest.fixture
def s3(cloud):
    return cloud.client("s3")


@pytest.fixture
def bucket(cloud):
    cloud.s3.create_bucket("feat-bucket")
    return "feat-bucket"


def code_of(call, *args, **kw):
    with pytest.raises(AWSError) as info:
        call(*args, **kw)
    return info.value.code


def public_read(bucket, actions=("s3:GetObject",), resource="/*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": list(actions), "Resource": f"arn:aws:s3:::{bucket}{resource}"}]})


def open_up(cloud, bucket):
    cloud.s3.put_public_access_block(bucket)  # all four settings False


# -- Block Public Access and policies -----------------------------------------------------------

def test_new_bucket_blocks_all_public_access(s3, bucket):
    assert set(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values()) == {True}


def test_deleted_public_access_block_is_not_found(s3, bucket):
    s3.delete_public_access_block(Bucket=bucket)
    assert code_of(s3.get_public_access_block, Bucket=bucket) == "NoSuchPublicAccessBlockConfiguration"


def test_public_policy_is_refused_while_block_public_policy_is_on(s3, bucket):
    assert code_of(s3.put_bucket_policy, Bucket=bucket, Policy=public_read(bucket)) == "AccessDenied"


def test_public_policy_is_accepted_once_bpa_is_lifted(cloud, s3, bucket):
    open_up(cloud, bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Principal"] == "*"


@pytest.mark.parametrize("policy", ["not json", "[]", json.dumps({"Statement": []}),
                                    json.dumps({"Statement": [{"Effect": "Maybe", "Principal": "*",
                                                               "Action": "s3:GetObject", "Resource": "*"}]}),
                                    json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                               "Resource": "arn:aws:s3:::feat-bucket/*"}]}),
                                    json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                                               "Action": "s3:GetObject",
                                                               "Resource": "arn:aws:s3:::other-bucket/*"}]}),
                                    json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                                               "Action": "ec2:RunInstances",
                                                               "Resource": "arn:aws:s3:::feat-bucket/*"}]})])
def test_malformed_policy_is_rejected(s3, bucket, policy):
    assert code_of(s3.put_bucket_policy, Bucket=bucket, Policy=policy) == "MalformedPolicy"


def test_missing_policy_is_no_such_bucket_policy(s3, bucket):
    assert code_of(s3.get_bucket_policy, Bucket=bucket) == "NoSuchBucketPolicy"


def test_anonymous_read_is_denied_by_default(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x")
    assert code_of(cloud.s3.anonymous_get, bucket, "k") == "AccessDenied"


def test_public_policy_allows_anonymous_read(cloud, bucket):
    open_up(cloud, bucket)
    cloud.s3.put_bucket_policy(bucket, public_read(bucket))
    cloud.s3.put_object(bucket, "k", b"x")
    assert cloud.s3.anonymous_get(bucket, "k").data == b"x"


def test_restrict_public_buckets_ignores_a_stored_public_policy(cloud, bucket):
    open_up(cloud, bucket)
    cloud.s3.put_bucket_policy(bucket, public_read(bucket))
    cloud.s3.put_object(bucket, "k", b"x")
    cloud.s3.put_public_access_block(bucket, restrict_public_buckets=True)
    assert code_of(cloud.s3.anonymous_get, bucket, "k") == "AccessDenied"


def test_explicit_deny_wins_over_allow(cloud, bucket):
    open_up(cloud, bucket)
    doc = json.loads(public_read(bucket))
    doc["Statement"].append({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:Get*",
                             "Resource": f"arn:aws:s3:::{bucket}/secret/*"})
    cloud.s3.put_bucket_policy(bucket, doc)
    cloud.s3.put_object(bucket, "secret/k", b"x")
    cloud.s3.put_object(bucket, "open/k", b"y")
    assert code_of(cloud.s3.anonymous_get, bucket, "secret/k") == "AccessDenied"
    assert cloud.s3.anonymous_get(bucket, "open/k").data == b"y"


def test_explicit_deny_applies_to_the_owner_too(cloud, bucket):
    cloud.s3.put_bucket_policy(bucket, {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
                                                       "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    cloud.s3.put_object(bucket, "k", b"x")
    assert code_of(cloud.s3.delete_object, bucket, "k") == "AccessDenied"


def test_policy_resource_pattern_limits_the_allow(cloud, bucket):
    open_up(cloud, bucket)
    cloud.s3.put_bucket_policy(bucket, public_read(bucket, resource="/public/*"))
    cloud.s3.put_object(bucket, "private/k", b"x")
    assert code_of(cloud.s3.anonymous_get, bucket, "private/k") == "AccessDenied"


def test_missing_key_without_list_permission_is_access_denied(cloud, bucket):
    open_up(cloud, bucket)
    cloud.s3.put_bucket_policy(bucket, public_read(bucket))
    assert code_of(cloud.s3.anonymous_get, bucket, "missing") == "AccessDenied"


def test_policy_naming_another_account_grants_it_access(cloud, bucket):
    other = cloud.create_account()
    cloud.s3.put_bucket_policy(bucket, {"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{other.account_id}:root"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    cloud.s3.put_object(bucket, "k", b"shared")
    assert other.client("s3").get_object(Bucket=bucket, Key="k")["Body"].read() == b"shared"


def test_policy_status_reports_public_bucket(cloud, s3, bucket):
    open_up(cloud, bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True


# -- ACLs and object ownership ------------------------------------------------------------------

def test_new_bucket_enforces_bucket_owner_ownership(s3, bucket):
    rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]


def test_acl_on_owner_enforced_bucket_is_not_supported(s3, bucket):
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=b"", ACL="public-read") == \
        "AccessControlListNotSupported"


def test_public_acl_is_blocked_by_block_public_acls(cloud, s3, bucket):
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=b"", ACL="public-read") == "AccessDenied"


def test_public_read_acl_allows_anonymous_read_when_acls_are_enabled(cloud, s3, bucket):
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    open_up(cloud, bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"hi", ACL="public-read")
    assert cloud.s3.anonymous_get(bucket, "k").data == b"hi"


def test_ignore_public_acls_hides_existing_public_acls(cloud, s3, bucket):
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    open_up(cloud, bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"hi", ACL="public-read")
    cloud.s3.put_public_access_block(bucket, ignore_public_acls=True)
    assert code_of(cloud.s3.anonymous_get, bucket, "k") == "AccessDenied"


def test_bucket_acl_lists_owner_full_control(s3, bucket):
    assert s3.get_bucket_acl(Bucket=bucket)["Grants"][0]["Permission"] == "FULL_CONTROL"


# -- presigned URLs -------------------------------------------------------------------------------

def test_presigned_url_fetches_the_object(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="report.pdf", Body=b"%PDF")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "report.pdf"}, ExpiresIn=600)
    resp = cloud.s3.http_get(url)
    assert (resp.status, resp.body) == (200, b"%PDF")


def test_presigned_url_fails_after_expiry_on_the_simulated_clock(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=600)
    cloud.clock.advance(seconds=601)
    assert cloud.s3.http_get(url).status == 403


def test_tampered_presigned_url_does_not_match_its_signature(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.put_object(Bucket=bucket, Key="j", Body=b"y")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    assert b"SignatureDoesNotMatch" in cloud.s3.http_get(url.replace("/k?", "/j?")).body


def test_presigned_url_longer_than_a_week_is_refused_when_used(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=8 * DAY)
    assert cloud.s3.http_get(url).status == 400


def test_presigned_put_uploads(cloud, s3, bucket):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up"})
    assert cloud.s3.http_request("PUT", url, b"uploaded").status == 200
    assert cloud.s3.get_object(bucket, "up").data == b"uploaded"


def test_plain_object_url_is_forbidden_for_a_private_bucket(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x")
    assert cloud.s3.http_get(f"https://{bucket}.s3.amazonaws.com/k").status == 403


# -- static websites -----------------------------------------------------------------------------

@pytest.fixture
def site(cloud, bucket):
    open_up(cloud, bucket)
    cloud.s3.put_bucket_policy(bucket, public_read(bucket))
    cloud.s3.put_bucket_website(bucket, index_document="index.html", error_document="404.html")
    cloud.s3.put_object(bucket, "index.html", b"<h1>home</h1>", content_type="text/html")
    cloud.s3.put_object(bucket, "docs/index.html", b"<h1>docs</h1>", content_type="text/html")
    cloud.s3.put_object(bucket, "404.html", b"<h1>lost</h1>", content_type="text/html")
    return bucket


def test_website_root_serves_the_index_document(cloud, site):
    resp = cloud.s3.website_request(site, "/")
    assert (resp.status, resp.body, resp.headers["Content-Type"]) == (200, b"<h1>home</h1>", "text/html")


def test_website_folder_serves_its_index_document(cloud, site):
    assert cloud.s3.website_request(site, "/docs/").body == b"<h1>docs</h1>"


def test_website_folder_without_slash_redirects(cloud, site):
    resp = cloud.s3.website_request(site, "/docs")
    assert (resp.status, resp.headers["Location"]) == (302, "/docs/")


def test_missing_page_serves_error_document_with_403_without_list_permission(cloud, site):
    resp = cloud.s3.website_request(site, "/nope.html")
    assert (resp.status, resp.body) == (403, b"<h1>lost</h1>")


def test_missing_page_is_404_when_anyone_may_list(cloud, site):
    cloud.s3.put_bucket_policy(site, json.dumps({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{site}/*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{site}"}]}))
    resp = cloud.s3.website_request(site, "/nope.html")
    assert (resp.status, resp.body) == (404, b"<h1>lost</h1>")


def test_website_of_a_private_bucket_is_403(cloud, bucket):
    cloud.s3.put_bucket_website(bucket)
    cloud.s3.put_object(bucket, "index.html", b"x")
    assert cloud.s3.website_request(bucket, "/").status == 403


def test_bucket_without_website_configuration_is_404(cloud, bucket):
    assert cloud.s3.website_request(bucket, "/").status == 404


def test_redirect_all_requests(cloud, bucket):
    cloud.s3.put_bucket_website(bucket, redirect_all_to={"HostName": "example.com", "Protocol": "https"})
    resp = cloud.s3.website_request(bucket, "/a/b")
    assert (resp.status, resp.headers["Location"]) == (301, "https://example.com/a/b")


def test_routing_rule_replaces_a_key_prefix(cloud, site):
    cloud.s3.put_bucket_website(site, index_document="index.html", routing_rules=[
        {"Condition": {"KeyPrefixEquals": "old/"}, "Redirect": {"ReplaceKeyPrefixWith": "docs/"}}])
    assert cloud.s3.website_request(site, "/old/page.html").headers["Location"] == "/docs/page.html"


def test_website_url_uses_the_regions_endpoint_form(cloud, site):
    assert cloud.s3.website_url(site) == f"http://{site}.s3-website-us-east-1.amazonaws.com"


def test_http_get_on_the_website_host_serves_the_site(cloud, site):
    assert cloud.s3.http_get(f"http://{site}.s3-website-us-east-1.amazonaws.com/").body == b"<h1>home</h1>"


def test_index_document_with_a_slash_is_invalid(s3, bucket):
    assert code_of(s3.put_bucket_website, Bucket=bucket,
                   WebsiteConfiguration={"IndexDocument": {"Suffix": "a/index.html"}}) == "InvalidArgument"


def test_get_website_round_trips_the_configuration(s3, bucket):
    cfg = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "err.html"}}
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration=cfg)
    out = s3.get_bucket_website(Bucket=bucket)
    assert (out["IndexDocument"], out["ErrorDocument"]) == (cfg["IndexDocument"], cfg["ErrorDocument"])


# -- lifecycle and storage classes ---------------------------------------------------------------

def test_lifecycle_transitions_objects_as_days_pass(cloud, bucket):
    cloud.s3.put_bucket_lifecycle_configuration(bucket, {"Rules": [{
        "ID": "age", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
        "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}]}]})
    cloud.s3.put_object(bucket, "logs/a", b"x")
    cloud.s3.put_object(bucket, "other/b", b"x")
    cloud.clock.advance(days=31)
    assert cloud.s3.head_object(bucket, "logs/a").storage_class is StorageClass.STANDARD_IA
    cloud.clock.advance(days=60)
    assert cloud.s3.head_object(bucket, "logs/a").storage_class is StorageClass.GLACIER
    assert cloud.s3.head_object(bucket, "other/b").storage_class is StorageClass.STANDARD


def test_lifecycle_expiration_deletes_objects(cloud, bucket):
    cloud.s3.put_bucket_lifecycle_configuration(bucket, {"Rules": [{
        "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 7}}]})
    cloud.s3.put_object(bucket, "tmp", b"x")
    cloud.clock.advance(days=8)
    assert cloud.s3.buckets[bucket].keys == []


def test_lifecycle_tag_filter_selects_tagged_objects(cloud, bucket):
    cloud.s3.put_bucket_lifecycle_configuration(bucket, {"Rules": [{
        "Status": "Enabled", "Filter": {"Tag": {"Key": "temp", "Value": "yes"}}, "Expiration": {"Days": 1}}]})
    cloud.s3.put_object(bucket, "a", b"x", tags={"temp": "yes"})
    cloud.s3.put_object(bucket, "b", b"x")
    cloud.clock.advance(days=2)
    assert cloud.s3.buckets[bucket].keys == ["b"]


def test_noncurrent_versions_expire(cloud, bucket):
    cloud.s3.put_bucket_versioning(bucket, "Enabled")
    cloud.s3.put_bucket_lifecycle_configuration(bucket, {"Rules": [{
        "Status": "Enabled", "Filter": {}, "NoncurrentVersionExpiration": {"NoncurrentDays": 10}}]})
    cloud.s3.put_object(bucket, "k", b"1")
    cloud.s3.put_object(bucket, "k", b"2")
    cloud.clock.advance(days=11)
    assert [v.data for v in cloud.s3.buckets[bucket].versions_of("k")] == [b"2"]


def test_disabled_rule_does_nothing(cloud, bucket):
    cloud.s3.put_bucket_lifecycle_configuration(bucket, {"Rules": [{
        "Status": "Disabled", "Filter": {}, "Expiration": {"Days": 1}}]})
    cloud.s3.put_object(bucket, "k", b"x")
    cloud.clock.advance(days=3)
    assert cloud.s3.buckets[bucket].keys == ["k"]


def test_ia_transition_before_30_days_is_invalid(s3, bucket):
    assert code_of(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={"Rules": [{
        "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}]}]}) == \
        "InvalidArgument"


def test_rule_without_status_is_refused_client_side(s3, bucket):
    # Status is a required member of a lifecycle rule: boto3 refuses the call before sending it
    assert code_of(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={"Rules": [{
        "Filter": {}, "Expiration": {"Days": 1}}]}) == "ParamValidationError"


def test_missing_lifecycle_is_not_found(s3, bucket):
    assert code_of(s3.get_bucket_lifecycle_configuration, Bucket=bucket) == "NoSuchLifecycleConfiguration"


def test_lifecycle_configuration_round_trips(s3, bucket):
    rules = [{"ID": "r", "Status": "Enabled", "Filter": {"Prefix": "a/"}, "Expiration": {"Days": 3}}]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == rules


# -- archives and restores ---------------------------------------------------------------------

def test_glacier_object_needs_restore_before_get(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="old", Body=b"x", StorageClass="GLACIER")
    assert code_of(s3.get_object, Bucket=bucket, Key="old") == "InvalidObjectState"


def test_expedited_restore_completes_within_five_minutes(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="old", Body=b"x", StorageClass="GLACIER")
    s3.restore_object(Bucket=bucket, Key="old", RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
    assert s3.head_object(Bucket=bucket, Key="old")["Restore"] == 'ongoing-request="true"'
    cloud.clock.advance(minutes=5)
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"x"
    assert 'ongoing-request="false"' in s3.head_object(Bucket=bucket, Key="old")["Restore"]


def test_standard_restore_is_not_ready_after_an_hour(cloud, s3, bucket):
    s3.put_object(Bucket=bucket, Key="old", Body=b"x", StorageClass="GLACIER")
    s3.restore_object(Bucket=bucket, Key="old", RestoreRequest={"Days": 1})
    cloud.clock.advance(hours=1)
    assert code_of(s3.get_object, Bucket=bucket, Key="old") == "InvalidObjectState"
    cloud.clock.advance(hours=4)
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"x"


def test_deep_archive_bulk_restore_takes_up_to_48_hours(cloud, bucket):
    cloud.s3.put_object(bucket, "cold", b"x", storage_class="DEEP_ARCHIVE")
    cloud.s3.restore_object(bucket, "cold", tier="Bulk")
    cloud.clock.advance(hours=23)
    assert code_of(cloud.s3.get_object, bucket, "cold") == "InvalidObjectState"
    cloud.clock.advance(hours=25)
    assert cloud.s3.get_object(bucket, "cold").data == b"x"


def test_deep_archive_has_no_expedited_tier(cloud, bucket):
    cloud.s3.put_object(bucket, "cold", b"x", storage_class="DEEP_ARCHIVE")
    assert code_of(cloud.s3.restore_object, bucket, "cold", tier="Expedited") == "InvalidArgument"


def test_restore_while_in_progress_is_refused(cloud, bucket):
    cloud.s3.put_object(bucket, "old", b"x", storage_class="GLACIER")
    cloud.s3.restore_object(bucket, "old")
    assert code_of(cloud.s3.restore_object, bucket, "old") == "RestoreAlreadyInProgress"


def test_restored_copy_expires_after_its_days(cloud, bucket):
    cloud.s3.put_object(bucket, "old", b"x", storage_class="GLACIER")
    cloud.s3.restore_object(bucket, "old", days=1, tier="Expedited")
    cloud.clock.advance(days=3)
    assert code_of(cloud.s3.get_object, bucket, "old") == "InvalidObjectState"


def test_restore_of_a_standard_object_is_invalid_object_state(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x")
    assert code_of(cloud.s3.restore_object, bucket, "k") == "InvalidObjectState"


def test_glacier_instant_retrieval_reads_without_restore(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x", storage_class="GLACIER_IR")
    assert cloud.s3.get_object(bucket, "k").data == b"x"


# -- events -------------------------------------------------------------------------------------

def test_put_publishes_object_created_with_an_aws_shaped_record(cloud, bucket):
    got = []
    cloud.events.subscribe("s3.object.created", got.append)
    cloud.s3.put_object(bucket, "photos/cat 1.jpg", b"meow")
    rec = got[0]["Records"][0]
    assert rec["eventName"] == "ObjectCreated:Put"
    assert rec["s3"]["bucket"]["name"] == bucket
    assert rec["s3"]["object"]["key"] == "photos/cat+1.jpg"
    assert rec["s3"]["object"]["size"] == 4
    assert rec["s3"]["object"]["eTag"] == cloud.s3.head_object(bucket, "photos/cat 1.jpg").etag.strip('"')


def test_delete_publishes_object_removed(cloud, bucket):
    got = []
    cloud.s3.put_object(bucket, "k", b"x")
    cloud.events.subscribe("s3.object.removed", got.append)
    cloud.s3.delete_object(bucket, "k")
    assert got[0]["event_name"] == "ObjectRemoved:Delete"


def test_notification_configuration_selects_targets_by_event_and_suffix(cloud, s3, bucket):
    fn = "arn:aws:lambda:us-east-1:123456789012:function:thumbs"
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"LambdaFunctionArn": fn, "Events": ["s3:ObjectCreated:*"],
                                          "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".jpg"}]}}}]})
    got = []
    cloud.events.subscribe("s3.object.created", got.append)
    cloud.s3.put_object(bucket, "a.jpg", b"x")
    cloud.s3.put_object(bucket, "a.txt", b"x")
    assert [m["targets"] for m in got] == [[{"type": "LambdaFunction", "arn": fn, "id": "notification-0"}], []]


def test_unknown_notification_event_is_invalid(s3, bucket):
    assert code_of(s3.put_bucket_notification_configuration, Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:1:q", "Events": ["s3:ObjectEaten"]}]}) == \
        "InvalidArgument"


# -- durability ------------------------------------------------------------------------------------

def test_standard_objects_are_kept_in_three_distinct_azs(cloud, bucket):
    v = cloud.s3.put_object(bucket, "k", b"x")
    assert len(set(v.azs)) == 3


def test_losing_an_az_loses_no_standard_object(cloud, bucket):
    v = cloud.s3.put_object(bucket, "k", b"x")
    cloud.fail_az(v.azs[0])
    assert cloud.s3.get_object(bucket, "k").data == b"x"


def test_one_zone_ia_object_is_unavailable_while_its_az_is_down(cloud, bucket):
    v = cloud.s3.put_object(bucket, "k", b"x", storage_class="ONEZONE_IA")
    assert len(v.azs) == 1
    cloud.fail_az(v.azs[0])
    assert code_of(cloud.s3.get_object, bucket, "k") == "ServiceUnavailable"
    cloud.restore_az(v.azs[0])
    assert cloud.s3.get_object(bucket, "k").data == b"x"


# -- the bill ----------------------------------------------------------------------------------------

def test_storage_accrues_per_gb_month(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x" * (1024 ** 3 // 16))  # 1/16 GB
    start = cloud.bill.total()
    cloud.clock.advance(hours=730)
    assert cloud.bill.total() - start == pytest.approx(0.023 / 16, rel=1e-6)


def test_small_ia_objects_are_billed_at_128_kib(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x", storage_class="STANDARD_IA")
    assert cloud.s3.storage_bytes(bucket) == {"STANDARD_IA": 128 * 1024}


def test_deleting_before_the_minimum_duration_is_charged(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x" * 1024 ** 2, storage_class="GLACIER_IR")
    cloud.s3.delete_object(bucket, "k")
    assert any("early delete" in i.usage for i in cloud.bill.items)


def test_requests_are_charged(cloud, bucket):
    for i in range(1000):
        cloud.s3.put_object(bucket, f"k{i}", b"")
    puts = [i for i in cloud.bill.items if i.usage == "PUT requests"]
    assert puts[0].amount == pytest.approx(0.005)


def test_deleting_everything_stops_storage_charges(cloud, bucket):
    cloud.s3.put_object(bucket, "k", b"x" * 1000)
    cloud.s3.delete_object(bucket, "k")
    before = cloud.bill.total()
    cloud.clock.advance(days=30)
    assert cloud.bill.total() == pytest.approx(before)


@pytest.mark.parametrize("change, topic", [
    (lambda s3, b: s3.put_public_access_block(b, block_public_acls=True), "s3.bucket.public_access_block"),
    (lambda s3, b: s3.delete_public_access_block(b), "s3.bucket.public_access_block"),
    (lambda s3, b: s3.put_bucket_website(b, index_document="index.html"), "s3.bucket.website"),
])
def test_changes_to_who_may_read_a_bucket_are_published(cloud, bucket, change, topic):
    seen = []
    cloud.events.subscribe("s3.bucket.*", lambda m: seen.append(m.topic))
    change(cloud.s3, bucket)
    assert seen == [topic]


def test_bucket_policy_changes_are_published(cloud, bucket):
    seen = []
    cloud.events.subscribe("s3.bucket.policy", lambda m: seen.append(m.data["bucket"]))
    cloud.s3.put_bucket_policy(bucket, {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    cloud.s3.delete_bucket_policy(bucket)
    assert seen == [bucket, bucket]


def test_presigned_url_for_a_malformed_bucket_name_is_invalid_bucket_name(cloud):
    assert code_of(cloud.s3.generate_presigned_url, "../../etc", "k") == "InvalidBucketName"


def test_presigned_url_needs_a_string_key(cloud, bucket):
    assert code_of(cloud.s3.generate_presigned_url, bucket, None) == "InvalidArgument"


def test_anonymous_get_from_a_non_string_bucket_is_invalid_bucket_name(cloud):
    assert code_of(cloud.s3.anonymous_get, {"Bucket": "b"}, "k") == "InvalidBucketName"


def test_website_request_to_a_non_string_bucket_is_invalid_bucket_name(cloud):
    assert code_of(cloud.s3.website_request, ["site"], "/") == "InvalidBucketName"
