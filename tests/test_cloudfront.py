"""CloudFront model: distributions, deployment on the clock, edges, caching, invalidations, OAC."""

import pytest

from awskit import AWSError
from awskit.cloudfront import DEPLOY_SECONDS, INVALIDATION_SECONDS, CacheBehavior
from awskit.http import Response
from awskit.regions import latency_ms


def _site(cloud, name="site", region="us-east-1", oac=True, **kw):
    cloud.s3.create_bucket(name, region=region)
    cloud.s3.put_object(name, "index.html", "<h1>home</h1>", content_type="text/html")
    cloud.s3.put_object(name, "img/a.png", "png-a")
    cloud.s3.put_object(name, "img/b.png", "png-b")
    cf = cloud.cloudfront
    access = cf.create_origin_access_control(f"{name}-oac") if oac else None
    d = cf.create_distribution(name, origin_access_control=access, **kw)
    if oac:
        cloud.s3.put_bucket_policy(name, cf.bucket_policy_for(d, name))
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    return d


# -- distributions ----------------------------------------------------------------------------------

def test_new_distribution_is_in_progress_then_deployed(cloud):
    cloud.s3.create_bucket("bkt1")
    d = cloud.cloudfront.create_distribution("bkt1")
    assert d.status.value == "InProgress"
    cloud.clock.advance(seconds=DEPLOY_SECONDS - 1)
    assert d.status.value == "InProgress"
    cloud.clock.advance(seconds=1)
    assert d.status.value == "Deployed"


def test_distribution_id_and_domain_look_like_aws(cloud):
    cloud.s3.create_bucket("bkt1")
    d = cloud.cloudfront.create_distribution("bkt1")
    assert d.id.startswith("E") and len(d.id) == 14 and d.id.isupper()
    assert d.domain_name.startswith("d") and d.domain_name.endswith(".cloudfront.net") and len(d.domain_name) == 29
    assert d.arn == f"arn:aws:cloudfront::{cloud.account_id}:distribution/{d.id}"


def test_same_seed_gives_same_distribution_ids():
    from awskit import Cloud

    ids = []
    for _ in range(2):
        c = Cloud(seed=9)
        c.s3.create_bucket("bkt1")
        ids.append(c.cloudfront.create_distribution("bkt1").domain_name)
    assert ids[0] == ids[1]


def test_reused_caller_reference_is_distribution_already_exists(cloud):
    cloud.s3.create_bucket("bkt1")
    cloud.cloudfront.create_distribution("bkt1", caller_reference="r1")
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.create_distribution("bkt1", caller_reference="r1", comment="other")
    assert err.value.code == "DistributionAlreadyExists"


def test_unknown_target_origin_is_no_such_origin(cloud):
    cloud.s3.create_bucket("bkt1")
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.create_distribution("bkt1", behaviors=[{"path_pattern": "/api/*", "target_origin_id": "nope"}])
    assert err.value.code == "NoSuchOrigin"


def test_bad_price_class_is_invalid_argument(cloud):
    cloud.s3.create_bucket("bkt1")
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.create_distribution("bkt1", price_class="PriceClass_50")
    assert err.value.code == "InvalidArgument"


def test_update_without_if_match_is_invalid_if_match_version(cloud):
    d = _site(cloud)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.update_distribution(d, if_match="", comment="x")
    assert err.value.code == "InvalidIfMatchVersion"


def test_update_with_stale_etag_is_precondition_failed(cloud):
    d = _site(cloud)
    old = d.etag
    cloud.cloudfront.update_distribution(d, if_match=old, comment="first")
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.update_distribution(d, if_match=old, comment="second")
    assert err.value.code == "PreconditionFailed"


def test_update_changes_etag_and_redeploys(cloud):
    d = _site(cloud)
    old = d.etag
    cloud.cloudfront.update_distribution(d, if_match=old, comment="new")
    assert d.etag != old and d.status.value == "InProgress" and d.config.comment == "new"


def test_changing_caller_reference_is_illegal_update(cloud):
    d = _site(cloud)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.update_distribution(d, if_match=d.etag, caller_reference="other")
    assert err.value.code == "IllegalUpdate"


def test_enabled_distribution_cannot_be_deleted(cloud):
    d = _site(cloud)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.delete_distribution(d, if_match=d.etag)
    assert err.value.code == "DistributionNotDisabled"


def test_disabled_distribution_must_be_deployed_before_delete(cloud):
    d = _site(cloud)
    cloud.cloudfront.update_distribution(d, if_match=d.etag, enabled=False)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.delete_distribution(d, if_match=d.etag)
    assert err.value.code == "DistributionNotDisabled"
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    cloud.cloudfront.delete_distribution(d, if_match=d.etag)
    assert cloud.cloudfront.list_distributions() == []


def test_unknown_distribution_is_no_such_distribution(cloud):
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.get_distribution("E0000000000000")
    assert err.value.code == "NoSuchDistribution"


def test_oac_in_use_cannot_be_deleted(cloud):
    d = _site(cloud)
    oac_id = d.origins[0].origin_access_control_id
    oac = cloud.cloudfront.get_origin_access_control(oac_id)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.delete_origin_access_control(oac, if_match=oac.etag)
    assert err.value.code == "OriginAccessControlInUse"


# -- edges --------------------------------------------------------------------------------------------

def test_viewer_goes_to_nearest_edge(cloud):
    assert cloud.cloudfront.edge_for("Berlin").code == "FRA56"
    assert cloud.cloudfront.edge_for("Tokyo").code == "NRT57"


def test_price_class_100_sends_tokyo_to_north_america_or_europe(cloud):
    edge = cloud.cloudfront.edge_for("Tokyo", "PriceClass_100")
    assert edge.code in ("SEA19", "PDX50", "SFO53", "LAX50")


def test_price_class_200_keeps_asia_but_not_oceania(cloud):
    assert cloud.cloudfront.edge_for("Tokyo", "PriceClass_200").code == "NRT57"
    assert cloud.cloudfront.edge_for("Sydney", "PriceClass_200").code not in ("SYD62", "MEL50", "AKL50")


def test_request_uses_price_class_of_distribution(cloud):
    d = _site(cloud, price_class="PriceClass_100")
    r = cloud.cloudfront.request(d, "/index.html", user="Sao Paulo")
    assert r.edge.code not in ("GRU50", "EZE50")


# -- hits, misses, TTLs ---------------------------------------------------------------------------------

def test_first_request_misses_second_hits(cloud):
    d = _site(cloud)
    first = cloud.cloudfront.request(d, "/index.html", user="London")
    second = cloud.cloudfront.request(d, "/index.html", user="London")
    assert (first.outcome, second.outcome) == ("Miss", "Hit")
    assert first.x_cache == "Miss from cloudfront" and second.x_cache == "Hit from cloudfront"
    assert second.response.body == "<h1>home</h1>"


def test_each_edge_has_its_own_cache(cloud):
    d = _site(cloud)
    cloud.cloudfront.request(d, "/index.html", user="London")
    assert cloud.cloudfront.request(d, "/index.html", user="Tokyo").outcome == "Miss"


def test_hit_and_miss_latency_hand_computed(cloud):
    d = _site(cloud)
    miss = cloud.cloudfront.request(d, "/index.html", user="London")
    hit = cloud.cloudfront.request(d, "/index.html", user="London")
    edge_ms = latency_ms("London", miss.edge)
    assert hit.latency_ms == edge_ms == 4.0
    assert miss.latency_ms == round(edge_ms + latency_ms(miss.edge, "us-east-1"), 1)
    assert miss.origin_region == "us-east-1"


def test_age_header_counts_seconds_in_cache(cloud):
    d = _site(cloud)
    cloud.cloudfront.request(d, "/index.html", user="London")
    cloud.clock.advance(seconds=42)
    assert cloud.cloudfront.request(d, "/index.html", user="London").response.headers["Age"] == "42"


def test_max_age_expiry_then_refresh_hit_when_unchanged(cloud):
    d = _site(cloud)
    cloud.s3.put_object("site", "news.html", "v1", headers={"CacheControl": "max-age=60"})
    cloud.cloudfront.request(d, "/news.html", user="London")
    cloud.clock.advance(seconds=59)
    assert cloud.cloudfront.request(d, "/news.html", user="London").outcome == "Hit"
    cloud.clock.advance(seconds=1)
    r = cloud.cloudfront.request(d, "/news.html", user="London")
    assert r.outcome == "RefreshHit" and r.x_cache == "RefreshHit from cloudfront" and r.origin_ms > 0


def test_expired_object_that_changed_is_a_miss_with_new_body(cloud):
    d = _site(cloud)
    cloud.s3.put_object("site", "news.html", "v1", headers={"CacheControl": "max-age=60"})
    cloud.cloudfront.request(d, "/news.html", user="London")
    cloud.s3.put_object("site", "news.html", "v2", headers={"CacheControl": "max-age=60"})
    assert cloud.cloudfront.request(d, "/news.html", user="London").response.body == "v1"
    cloud.clock.advance(seconds=61)
    r = cloud.cloudfront.request(d, "/news.html", user="London")
    assert (r.outcome, r.response.body) == ("Miss", "v2")


def test_default_ttl_applies_without_cache_control(cloud):
    d = _site(cloud)  # CachingOptimized: default TTL one day
    cloud.cloudfront.request(d, "/index.html", user="London")
    cloud.clock.advance(hours=23)
    assert cloud.cloudfront.request(d, "/index.html", user="London").outcome == "Hit"
    cloud.clock.advance(hours=1)
    assert cloud.cloudfront.request(d, "/index.html", user="London").outcome == "RefreshHit"


def test_caching_disabled_policy_always_goes_to_origin(cloud):
    d = _site(cloud, cache_policy_id="CachingDisabled")
    cloud.cloudfront.request(d, "/index.html", user="London")
    assert cloud.cloudfront.request(d, "/index.html", user="London").outcome == "Miss"


def test_legacy_max_ttl_caps_origin_max_age(cloud):
    cloud.s3.create_bucket("leg")
    cloud.s3.put_object("leg", "x", "x", headers={"CacheControl": "max-age=3600"})
    cf = cloud.cloudfront
    d = cf.create_distribution("leg", cache_policy_id=None)
    legacy = CacheBehavior(target_origin_id=d.origins[0].id, min_ttl=0, default_ttl=10, max_ttl=100)
    cf.update_distribution(d, if_match=d.etag, default_behavior=legacy)
    cloud.s3.delete_public_access_block("leg")
    cloud.s3.put_bucket_policy("leg", {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                       "Resource": "arn:aws:s3:::leg/*"}]})
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    cf.request(d, "/x", user="London")
    cloud.clock.advance(seconds=100)
    assert cf.request(d, "/x", user="London").outcome == "RefreshHit"


def test_s_maxage_wins_over_max_age_and_min_ttl_raises_short_ones():
    from awskit.cloudfront import ttl_for

    assert ttl_for(200, {"cache-control": "max-age=10, s-maxage=99"}, 0, 5, 1000, now=0) == 99
    assert ttl_for(200, {"cache-control": "max-age=10"}, 30, 50, 1000, now=0) == 30
    assert ttl_for(200, {"expires": "120"}, 0, 5, 1000, now=20) == 100
    assert ttl_for(200, {"cache-control": "no-store"}, 0, 5, 1000, now=0) == 0
    assert ttl_for(404, {}, 0, 5, 1000, now=0) == 10


def test_missing_object_error_is_cached_for_ten_seconds(cloud):
    d = _site(cloud)
    cf = cloud.cloudfront
    first = cf.request(d, "/nope.html", user="London")
    assert first.status == 403 and first.outcome == "Error"  # OAC policy grants no ListBucket: 403
    cloud.s3.put_object("site", "nope.html", "now here")
    assert cf.request(d, "/nope.html", user="London").status == 403
    cloud.clock.advance(seconds=10)
    assert cf.request(d, "/nope.html", user="London").status == 200


def test_default_root_object_serves_root(cloud):
    d = _site(cloud, default_root_object="index.html")
    assert cloud.cloudfront.request(d, "/", user="London").response.body == "<h1>home</h1>"


def test_http_is_redirected_to_https(cloud):
    d = _site(cloud, viewer_protocol_policy="redirect-to-https")
    r = cloud.cloudfront.request(d, "/index.html", user="London", scheme="http")
    assert r.status == 301 and r.response.headers["Location"] == f"https://{d.domain_name}/index.html"


def test_https_only_refuses_http(cloud):
    d = _site(cloud, viewer_protocol_policy="https-only")
    assert cloud.cloudfront.request(d, "/index.html", user="London", scheme="http").status == 403


def test_query_string_is_not_in_cache_key_with_caching_optimized(cloud):
    d = _site(cloud)
    cloud.cloudfront.request(d, "/index.html?v=1", user="London")
    assert cloud.cloudfront.request(d, "/index.html?v=2", user="London").outcome == "Hit"


def test_undeployed_distribution_does_not_serve(cloud):
    cloud.s3.create_bucket("bkt1")
    d = cloud.cloudfront.create_distribution("bkt1")
    assert cloud.cloudfront.request(d, "/", user="London").status == 503


# -- cache behaviours -------------------------------------------------------------------------------------

def test_first_matching_behavior_wins(cloud):
    app_calls = []

    def api(req):
        app_calls.append(req.path)
        return Response(200, headers={"Cache-Control": "no-store"}, body="api " + req.path)

    cf = cloud.cloudfront
    cf.register_origin("api.example.com", api, region="eu-west-1")
    d = _site(cloud, origins=["api.example.com"], behaviors=[
        CacheBehavior(path_pattern="/api/special/*", target_origin_id="site.s3.us-east-1.amazonaws.com"),
        CacheBehavior(path_pattern="/api/*", target_origin_id="api.example.com",
                      cache_policy_id="4135ea2d-6df8-44a3-9df3-4b5a84be39ad"),
    ])
    # origins=[api] plus the bucket: the default behaviour targets the first origin given
    r = cf.request(d, "/api/users", user="London")
    assert r.response.body == "api /api/users" and r.origin_region == "eu-west-1"
    assert d.behavior_for("/api/special/x").path_pattern == "/api/special/*"
    assert d.behavior_for("/img/a.png") is d.config.default_behavior


def test_pattern_is_case_sensitive(cloud):
    from awskit.cloudfront.cache import compile_pattern

    m = compile_pattern("*.jpg")
    assert m("/a/b.jpg") and not m("/a/b.JPG")


# -- invalidations ------------------------------------------------------------------------------------------

def test_invalidation_completes_on_the_clock_and_evicts_wildcard_matches(cloud):
    d = _site(cloud)
    cf = cloud.cloudfront
    for p in ("/img/a.png", "/img/b.png", "/index.html"):
        cf.request(d, p, user="London")
    inv = cf.create_invalidation(d, ["/img/*"])
    assert inv.status.value == "InProgress"
    assert cf.request(d, "/img/a.png", user="London").outcome == "Hit"
    cloud.clock.advance(seconds=INVALIDATION_SECONDS)
    assert inv.status.value == "Completed" and inv.evicted == 2
    assert cf.request(d, "/img/a.png", user="London").outcome == "Miss"
    assert cf.request(d, "/index.html", user="London").outcome == "Hit"


def test_wildcard_in_middle_of_invalidation_path_is_rejected(cloud):
    d = _site(cloud)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.create_invalidation(d, ["/img/*.png"])
    assert err.value.code == "InvalidArgument"


def test_same_invalidation_reference_returns_same_invalidation(cloud):
    d = _site(cloud)
    a = cloud.cloudfront.create_invalidation(d, ["/x"], caller_reference="r")
    assert cloud.cloudfront.create_invalidation(d, ["/x"], caller_reference="r") is a
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.create_invalidation(d, ["/y"], caller_reference="r")
    assert err.value.code == "InvalidationBatchAlreadyExists"


def test_invalidation_paths_beyond_free_thousand_are_billed(cloud):
    d = _site(cloud)
    cloud.cloudfront.create_invalidation(d, [f"/p{i}" for i in range(1000)])
    assert cloud.bill.by_service().get("cloudfront", 0) == 0
    cloud.cloudfront.create_invalidation(d, [f"/q{i}" for i in range(10)])
    assert cloud.bill.by_service()["cloudfront"] == pytest.approx(10 * 0.005)


# -- Origin Access Control ------------------------------------------------------------------------------

def test_private_bucket_serves_through_oac(cloud):
    d = _site(cloud)
    assert cloud.s3.get_public_access_block("site").restrict_public_buckets
    assert cloud.s3.http_get("https://site.s3.amazonaws.com/index.html").status == 403
    assert cloud.cloudfront.request(d, "/index.html", user="London").status == 200


def test_oac_without_bucket_policy_is_access_denied(cloud):
    cloud.s3.create_bucket("priv")
    cloud.s3.put_object("priv", "a", "a")
    oac = cloud.cloudfront.create_origin_access_control("o")
    d = cloud.cloudfront.create_distribution("priv", origin_access_control=oac)
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    assert cloud.cloudfront.request(d, "/a", user="London").status == 403


def test_bucket_policy_for_another_distribution_does_not_allow(cloud):
    d = _site(cloud)
    other = cloud.cloudfront.create_distribution("site", origin_access_control=d.origins[0].origin_access_control_id)
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    assert cloud.cloudfront.request(other, "/index.html", user="London").status == 403


def test_without_oac_private_bucket_is_access_denied(cloud):
    d = _site(cloud, oac=False)
    assert cloud.cloudfront.request(d, "/index.html", user="London").status == 403


# -- ratios, simulation, metrics, bill -------------------------------------------------------------------

def test_hit_ratio_per_distribution_and_edge(cloud):
    d = _site(cloud)
    cf = cloud.cloudfront
    for _ in range(4):
        cf.request(d, "/index.html", user="London")
    cf.request(d, "/index.html", user="Tokyo")
    assert cf.hit_ratio(d, "LHR61") == 0.75
    assert cf.hit_ratio(d, "NRT57") == 0.0
    assert cf.hit_ratio(d) == pytest.approx(3 / 5)


def test_simulate_hand_computed(cloud):
    d = _site(cloud)
    rep = cloud.cloudfront.simulate(d, users={"London": 10}, paths=["/index.html"], duration_s=60)
    assert (rep.requests, rep.hits, rep.misses, rep.origin_requests) == (10, 9, 1, 1)
    miss = 4.0 + latency_ms(cloud.cloudfront.edge_for("London"), "us-east-1")
    assert rep.mean_latency_ms == round((9 * 4.0 + miss) / 10, 2)
    assert rep.hit_ratio == 0.9


def test_simulate_advances_clock_by_duration(cloud):
    d = _site(cloud)
    t = cloud.clock.now
    cloud.cloudfront.simulate(d, users={"London": 5, "Tokyo": 5}, paths={"/index.html": 3, "/img/a.png": 1},
                              duration_s=120)
    assert cloud.clock.now == t + 120


def test_simulate_is_fast_for_many_requests(cloud):
    import time

    d = _site(cloud)
    t0 = time.perf_counter()
    rep = cloud.cloudfront.simulate(d, users={"London": 20000, "Tokyo": 10000, "New York": 10000},
                                    paths=[f"/img/{c}.png" for c in "ab"], duration_s=600)
    assert rep.requests == 40000 and rep.hit_ratio > 0.99
    assert time.perf_counter() - t0 < 5


def test_metrics_published_once_a_minute(cloud):
    d = _site(cloud)
    for _ in range(3):
        cloud.cloudfront.request(d, "/index.html", user="London")
    cloud.cloudfront.request(d, "/missing", user="London")
    cloud.clock.advance(minutes=1)
    cw = cloud.region("us-east-1").cloudwatch
    dims = {"DistributionId": d.id, "Region": "Global"}
    req = cw.get_metric("AWS/CloudFront", "Requests", dims)
    assert req.sums == [4.0]
    assert cw.get_metric("AWS/CloudFront", "4xxErrorRate", dims).sums == [25.0]
    assert cw.get_metric("AWS/CloudFront", "CacheHitRate", dims).sums == pytest.approx([100 * 2 / 3])


def test_bill_charges_transfer_and_requests_by_geography(cloud):
    d = _site(cloud)
    cloud.cloudfront.simulate(d, users={"London": 10000}, paths=["/index.html"], duration_s=60)
    cloud.clock.advance(minutes=1)
    items = {i.usage: i.amount for i in cloud.bill.items if i.service == "cloudfront"}
    assert items["2026-01 HTTPS requests, Europe"] == pytest.approx(0.012)
    size = len("<h1>home</h1>")
    assert items["2026-01 data transfer out, Europe (GB)"] == pytest.approx(10000 * size / 1024**3 * 0.085)


# -- custom origins ----------------------------------------------------------------------------------------

def test_alb_origin_serves_through_the_load_balancer_in_its_region():
    from awskit import Cloud

    cloud = Cloud(seed=1, region="eu-west-1")
    vpc = cloud.vpc.default_vpc
    lb = cloud.elb.create_load_balancer("shop", subnets=vpc.subnets[:2])
    tg = cloud.elb.create_target_group("shop", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    web = cloud.ec2.run_instance(subnet=vpc.subnets[0])
    web.serve(lambda req: Response(200, headers={"Cache-Control": "max-age=30", "ETag": '"v1"'},
                                   body=f"shop {req.path}"))
    cloud.elb.register_targets(tg, web)
    d = cloud.cloudfront.create_distribution(lb)
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    miss = cloud.cloudfront.request(d, "/cart", user="Paris")
    assert (miss.status, miss.response.body, miss.origin_region) == (200, "shop /cart", "eu-west-1")
    assert cloud.cloudfront.request(d, "/cart", user="Paris").outcome == "Hit"
    cloud.clock.advance(seconds=30)
    assert cloud.cloudfront.request(d, "/cart", user="Paris").outcome == "RefreshHit"


def test_unresolvable_custom_origin_is_502(cloud):
    d = cloud.cloudfront.create_distribution("nowhere.example.org")
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    assert cloud.cloudfront.request(d, "/", user="London").status == 502


def test_s3_website_endpoint_works_as_custom_origin(cloud):
    cloud.s3.create_bucket("web-site")
    cloud.s3.delete_public_access_block("web-site")
    cloud.s3.put_bucket_policy("web-site", {"Statement": [{"Effect": "Allow", "Principal": "*",
                                                             "Action": "s3:GetObject",
                                                             "Resource": "arn:aws:s3:::web-site/*"}]})
    cloud.s3.put_object("web-site", "index.html", "welcome", content_type="text/html")
    cloud.s3.put_bucket_website("web-site")
    d = cloud.cloudfront.create_distribution("web-site.s3-website-us-east-1.amazonaws.com")
    assert d.origins[0].kind == "custom"
    cloud.clock.advance(seconds=DEPLOY_SECONDS)
    assert cloud.cloudfront.request(d, "/", user="London").response.body == "welcome"


def test_enabled_must_be_a_bool(cloud):
    d = _site(cloud)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.update_distribution(d, if_match=d.etag, enabled="no")
    assert err.value.code == "InvalidArgument"
    assert d.config.enabled is True


def test_unknown_user_place_is_invalid_parameter(cloud):
    d = _site(cloud)
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.request(d, "/index.html", user="Atlantis")
    assert err.value.code == "InvalidParameterValue"


def test_origin_access_control_with_an_empty_id_is_not_found(cloud):
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.get_origin_access_control("")
    assert err.value.code == "NoSuchOriginAccessControl"


def test_origins_that_are_not_a_list_are_an_invalid_argument(cloud):
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.build_config(origins=7)
    assert err.value.code == "InvalidArgument"


def test_alias_that_is_not_a_domain_name_is_an_invalid_argument(cloud):
    cloud.s3.create_bucket("site-assets")
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.create_distribution("site-assets", aliases=[7])
    assert err.value.code == "InvalidArgument"


def test_edge_for_a_malformed_price_class_is_an_invalid_argument(cloud):
    with pytest.raises(AWSError) as err:
        cloud.cloudfront.edge_for("Ashburn", ["PriceClass_100"])
    assert err.value.code == "InvalidArgument"
