"""CloudFront facade: boto3 shapes into the model and back, and the errors boto3 code catches."""

import pytest

from awskit import AWSError

OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _config(**extra):
    behavior = extra.pop("behavior", {"CachePolicyId": OPTIMIZED})
    cfg = {"CallerReference": "api-1", "Comment": "", "Enabled": True,
           "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "api-site.s3.us-east-1.amazonaws.com",
                                                 "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
           "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all", **behavior}}
    cfg.update(extra)
    return cfg


@pytest.fixture
def cf(cloud):
    return cloud.client("cloudfront")


def test_cache_policy_with_legacy_ttls_is_invalid_argument(cf):
    with pytest.raises(cf.exceptions.InvalidArgument):
        cf.create_distribution(DistributionConfig=_config(behavior={"CachePolicyId": OPTIMIZED, "MinTTL": 5}))


def test_behavior_without_policy_or_forwarded_values_is_invalid_argument(cf):
    with pytest.raises(AWSError) as err:
        cf.create_distribution(DistributionConfig=_config(behavior={}))
    assert err.value.code == "InvalidArgument"


def test_quantity_must_match_items(cf):
    cfg = _config()
    cfg["Origins"]["Quantity"] = 2
    with pytest.raises(AWSError) as err:
        cf.create_distribution(DistributionConfig=cfg)
    assert err.value.code == "InvalidArgument"


def test_missing_enabled_is_param_validation_error(cf):
    cfg = _config()
    del cfg["Enabled"]
    with pytest.raises(AWSError) as err:
        cf.create_distribution(DistributionConfig=cfg)
    assert err.value.code == "ParamValidationError"


def test_legacy_ttls_round_trip(cf):
    legacy = {"ForwardedValues": {"QueryString": True, "Cookies": {"Forward": "none"}},
              "MinTTL": 0, "DefaultTTL": 60, "MaxTTL": 600}
    d = cf.create_distribution(DistributionConfig=_config(behavior=legacy))["Distribution"]
    b = d["DistributionConfig"]["DefaultCacheBehavior"]
    assert (b["MinTTL"], b["DefaultTTL"], b["MaxTTL"], b["ForwardedValues"]["QueryString"]) == (0, 60, 600, True)
    assert "CachePolicyId" not in b


def test_legacy_ttl_order_is_checked(cf):
    legacy = {"ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
              "MinTTL": 100, "DefaultTTL": 60, "MaxTTL": 600}
    with pytest.raises(AWSError) as err:
        cf.create_distribution(DistributionConfig=_config(behavior=legacy))
    assert err.value.code == "InvalidTTLOrder"


def test_cache_behaviors_echo_with_quantity(cf):
    extra = {"Quantity": 1, "Items": [{"PathPattern": "/img/*", "TargetOriginId": "s3",
                                       "ViewerProtocolPolicy": "https-only", "CachePolicyId": OPTIMIZED}]}
    d = cf.create_distribution(DistributionConfig=_config(CacheBehaviors=extra))["Distribution"]
    items = d["DistributionConfig"]["CacheBehaviors"]
    assert items["Quantity"] == 1 and items["Items"][0]["PathPattern"] == "/img/*"


def test_facade_distribution_serves_through_the_model(cloud, cf):
    cloud.s3.create_bucket("api-site")
    cloud.s3.put_object("api-site", "a.txt", "hello")
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": "o", "OriginAccessControlOriginType": "s3", "SigningBehavior": "always", "SigningProtocol": "sigv4"})
    cfg = _config()
    cfg["Origins"]["Items"][0]["OriginAccessControlId"] = oac["OriginAccessControl"]["Id"]
    did = cf.create_distribution(DistributionConfig=cfg)["Distribution"]["Id"]
    cloud.s3.put_bucket_policy("api-site", cloud.cloudfront.bucket_policy_for(did, "api-site"))
    cf.get_waiter("distribution_deployed").wait(Id=did)
    assert cloud.cloudfront.request(did, "/a.txt", user="Seoul").response.body == "hello"


def test_unknown_oac_on_origin_is_no_such_origin_access_control(cf):
    cfg = _config()
    cfg["Origins"]["Items"][0]["OriginAccessControlId"] = "E0000000000000"
    with pytest.raises(AWSError) as err:
        cf.create_distribution(DistributionConfig=cfg)
    assert err.value.code == "NoSuchOriginAccessControl"


def test_list_distributions_pages_with_marker(cf):
    for i in range(3):
        cf.create_distribution(DistributionConfig=_config(CallerReference=f"r{i}"))
    first = cf.list_distributions(MaxItems="2")["DistributionList"]
    assert first["IsTruncated"] and first["Quantity"] == 2
    rest = cf.list_distributions(Marker=first["NextMarker"], MaxItems="2")["DistributionList"]
    assert rest["Quantity"] == 1 and not rest["IsTruncated"]
