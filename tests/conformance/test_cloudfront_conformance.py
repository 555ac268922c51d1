"""CloudFront: the same boto3 calls against moto and awskit: response keys, ETag flow, error codes.

moto deploys distributions and completes invalidations at once, deletes enabled
distributions and accepts any IfMatch value; AWS does none of these.  Those tests follow
AWS and are marked ``moto_differs``.
"""

import pytest

from .conftest import error_code, keys, moto_differs

OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _config(ref="conf-1", enabled=True, target="s3"):
    return {
        "CallerReference": ref, "Comment": "conformance", "Enabled": enabled,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "conf-bucket.s3.us-east-1.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": target, "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": OPTIMIZED},
    }


@pytest.fixture
def cf(client):
    return client("cloudfront")


@pytest.fixture
def created(cf):
    return cf.create_distribution(DistributionConfig=_config())


def _deploy(cf, did):
    cf.get_waiter("distribution_deployed").wait(Id=did, WaiterConfig={"Delay": 60, "MaxAttempts": 10})


def test_create_distribution_shape(created):
    assert {"Distribution", "Location", "ETag"} <= keys(created)
    d = created["Distribution"]
    assert {"Id", "ARN", "Status", "LastModifiedTime", "InProgressInvalidationBatches", "DomainName",
            "ActiveTrustedSigners", "ActiveTrustedKeyGroups", "DistributionConfig", "AliasICPRecordals"} <= set(d)
    assert d["ARN"].endswith(f":distribution/{d['Id']}") and d["DomainName"].endswith(".cloudfront.net")
    assert created["Location"].endswith(f"/distribution/{d['Id']}")
    cfg = d["DistributionConfig"]
    assert cfg["Origins"]["Quantity"] == 1 and cfg["Origins"]["Items"][0]["Id"] == "s3"
    assert cfg["CallerReference"] == "conf-1" and cfg["DefaultCacheBehavior"]["CachePolicyId"] == OPTIMIZED


def test_new_distribution_is_in_progress(created):
    assert created["Distribution"]["Status"] == "InProgress"


@moto_differs("moto ids are 13 characters and do not start with E; AWS ids are E + 13")
def test_distribution_id_format(created):
    did = created["Distribution"]["Id"]
    assert did.startswith("E") and len(did) == 14


def test_get_distribution_and_config_return_etag(cf, created):
    did = created["Distribution"]["Id"]
    got = cf.get_distribution(Id=did)
    assert keys(got) == {"ETag", "Distribution"} and got["ETag"] == created["ETag"]
    conf = cf.get_distribution_config(Id=did)
    assert keys(conf) == {"ETag", "DistributionConfig"}
    assert conf["DistributionConfig"]["Comment"] == "conformance"


def test_list_distributions_shape(cf, created):
    lst = cf.list_distributions()["DistributionList"]
    assert {"Marker", "MaxItems", "IsTruncated", "Quantity", "Items"} <= set(lst)
    assert lst["Quantity"] == 1 and lst["IsTruncated"] is False
    item = lst["Items"][0]
    assert {"Id", "ARN", "Status", "DomainName", "Origins", "DefaultCacheBehavior", "Enabled", "PriceClass"} <= set(item)


def test_empty_list_has_no_items(cf):
    lst = cf.list_distributions()["DistributionList"]
    assert lst["Quantity"] == 0 and "Items" not in lst


def test_unknown_distribution(cf):
    assert error_code(cf.get_distribution, Id="E1AAAAAAAAAAAA") == "NoSuchDistribution"


def test_unknown_target_origin_is_no_such_origin(cf):
    assert error_code(cf.create_distribution, DistributionConfig=_config(target="nope")) == "NoSuchOrigin"


def test_reused_caller_reference(cf, created):
    code = error_code(cf.create_distribution, DistributionConfig=dict(_config(), Comment="changed"))
    assert code == "DistributionAlreadyExists"


def test_update_without_if_match(cf, created):
    did = created["Distribution"]["Id"]
    assert error_code(cf.update_distribution, Id=did, DistributionConfig=_config()) == "InvalidIfMatchVersion"


def test_delete_without_if_match(cf, created):
    assert error_code(cf.delete_distribution, Id=created["Distribution"]["Id"]) == "InvalidIfMatchVersion"


@moto_differs("moto accepts any IfMatch value")
def test_update_with_wrong_if_match_is_precondition_failed(cf, created):
    did = created["Distribution"]["Id"]
    assert error_code(cf.update_distribution, Id=did, DistributionConfig=_config(), IfMatch="EWRONG") == \
        "PreconditionFailed"


@moto_differs("moto deletes a distribution that is still enabled")
def test_delete_enabled_distribution_is_refused(cf, created):
    did = created["Distribution"]["Id"]
    assert error_code(cf.delete_distribution, Id=did, IfMatch=created["ETag"]) == "DistributionNotDisabled"


def test_disable_wait_delete_flow(cf, created):
    did = created["Distribution"]["Id"]
    upd = cf.update_distribution(Id=did, DistributionConfig=_config(enabled=False), IfMatch=created["ETag"])
    assert keys(upd) == {"ETag", "Distribution"} and upd["Distribution"]["DistributionConfig"]["Enabled"] is False
    _deploy(cf, did)
    etag = cf.get_distribution(Id=did)["ETag"]
    cf.delete_distribution(Id=did, IfMatch=etag)
    assert error_code(cf.get_distribution, Id=did) == "NoSuchDistribution"


@moto_differs("moto keeps the same ETag after an update; AWS issues a new one")
def test_update_issues_new_etag(cf, created):
    did = created["Distribution"]["Id"]
    upd = cf.update_distribution(Id=did, DistributionConfig=dict(_config(), Comment="v2"), IfMatch=created["ETag"])
    assert upd["ETag"] != created["ETag"]


def test_invalidation_create_get_list_shapes(cf, created):
    did = created["Distribution"]["Id"]
    inv = cf.create_invalidation(DistributionId=did, InvalidationBatch={
        "Paths": {"Quantity": 2, "Items": ["/index.html", "/img/*"]}, "CallerReference": "inv-1"})
    assert {"Location", "Invalidation"} <= keys(inv)
    body = inv["Invalidation"]
    assert {"Id", "Status", "CreateTime", "InvalidationBatch"} <= set(body)
    assert body["InvalidationBatch"]["Paths"]["Items"] == ["/index.html", "/img/*"]
    got = cf.get_invalidation(DistributionId=did, Id=body["Id"])
    assert keys(got) == {"Invalidation"} and got["Invalidation"]["Id"] == body["Id"]
    lst = cf.list_invalidations(DistributionId=did)["InvalidationList"]
    assert {"Marker", "MaxItems", "IsTruncated", "Quantity", "Items"} <= set(lst)
    assert set(lst["Items"][0]) == {"Id", "CreateTime", "Status"}


@moto_differs("moto completes invalidations at once (and spells the status COMPLETED)")
def test_invalidation_is_in_progress_then_completed(cf, created):
    did = created["Distribution"]["Id"]
    inv = cf.create_invalidation(DistributionId=did, InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "inv-2"})["Invalidation"]
    assert inv["Status"] == "InProgress"
    cf.get_waiter("invalidation_completed").wait(DistributionId=did, Id=inv["Id"])
    assert cf.get_invalidation(DistributionId=did, Id=inv["Id"])["Invalidation"]["Status"] == "Completed"


def test_unknown_invalidation(cf, created):
    did = created["Distribution"]["Id"]
    assert error_code(cf.get_invalidation, DistributionId=did, Id="I1AAAAAAAAAAAA") == "NoSuchInvalidation"


def test_invalidation_on_unknown_distribution(cf):
    assert error_code(cf.create_invalidation, DistributionId="E1AAAAAAAAAAAA", InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "x"}) == "NoSuchDistribution"


def test_origin_access_control_create_get(cf):
    made = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": "conf-oac", "OriginAccessControlOriginType": "s3", "SigningBehavior": "always",
        "SigningProtocol": "sigv4"})
    assert {"ETag", "OriginAccessControl"} <= keys(made)
    oid = made["OriginAccessControl"]["Id"]
    got = cf.get_origin_access_control(Id=oid)
    assert got["OriginAccessControl"]["OriginAccessControlConfig"]["Name"] == "conf-oac"
    assert error_code(cf.get_origin_access_control, Id="E1AAAAAAAAAAAA") == "NoSuchOriginAccessControl"
