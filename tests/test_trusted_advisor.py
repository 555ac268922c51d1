"""Trusted Advisor checks: for each, a resource that trips it and one that does not."""

import pytest

from awskit import AWSError
from awskit.http import Response


def _result(cloud, name):
    return cloud.trusted_advisor.result(name)


def _flagged_ids(cloud, name):
    return {f.resource_id for f in _result(cloud, name).flagged}


# -- cost optimization ----------------------------------------------------------------------------

@pytest.fixture
def two_weeks(cloud):
    """An idle instance and a busy one (it sends 10 MB a day), two simulated weeks old."""
    idle = cloud.ec2.run_instance(instance_type="m5.large", tags={"Name": "idle"})
    busy = cloud.ec2.run_instance(instance_type="m5.large", tags={"Name": "busy"})
    busy.cpu_load = 40.0
    cloud.clock.advance(days=14)
    return cloud, idle, busy


def test_idle_instance_is_flagged_for_low_utilization(two_weeks):
    cloud, idle, _ = two_weeks
    assert _flagged_ids(cloud, "Low Utilization Amazon EC2 Instances") == {idle.id}


def test_low_utilization_savings_are_the_monthly_instance_price(two_weeks):
    cloud, idle, _ = two_weeks
    finding = _result(cloud, "Qch7DwouX1").finding(idle.id)
    assert finding.estimated_monthly_savings == pytest.approx(0.096 * 730)


def test_instance_with_three_low_days_is_not_flagged(cloud):
    inst = cloud.ec2.run_instance(instance_type="t3.micro")
    inst.cpu_load = 50.0
    cloud.clock.advance(days=11)
    inst.cpu_load = 1.0
    cloud.clock.advance(days=3)
    assert _result(cloud, "Qch7DwouX1").flagged == []


def test_low_utilization_metadata_has_fourteen_days(two_weeks):
    cloud, _, _ = two_weeks
    res = _result(cloud, "Qch7DwouX1")
    row = res.rows()[0]
    assert len(res.flagged[0].metadata) == len(res.check.metadata) and row["Number of Days Low Utilization"] == "14 days"


def test_busy_instance_is_flagged_for_high_utilization(cloud):
    hot = cloud.ec2.run_instance(instance_type="t3.micro")
    cloud.ec2.run_instance(instance_type="t3.micro")
    hot.cpu_load = 97.0
    cloud.clock.advance(days=5)
    assert _flagged_ids(cloud, "High Utilization Amazon EC2 Instances") == {hot.id}


def test_unassociated_elastic_ip_is_flagged_and_associated_one_is_not(cloud):
    inst = cloud.ec2.run_instance(instance_type="t3.micro")
    cloud.clock.advance(minutes=1)
    used, spare = cloud.ec2.allocate_address(), cloud.ec2.allocate_address()
    cloud.ec2.associate_address(used, instance=inst)
    assert _flagged_ids(cloud, "Unassociated Elastic IP Addresses") == {spare.allocation_id}


def test_elastic_ip_of_a_stopped_instance_is_flagged(cloud):
    inst = cloud.ec2.run_instance(instance_type="t3.micro")
    cloud.clock.advance(minutes=1)
    eip = cloud.ec2.allocate_address()
    cloud.ec2.associate_address(eip, instance=inst)
    cloud.ec2.stop_instances([inst])
    cloud.clock.advance(minutes=2)
    assert _flagged_ids(cloud, "Z4AUBRNSmz") == {eip.allocation_id}


def test_unattached_volume_is_underutilized_and_attached_one_is_not(cloud):
    inst = cloud.ec2.run_instance(instance_type="t3.micro", availability_zone="us-east-1a")
    spare = cloud.ebs.create_volume(size=100, availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    assert _flagged_ids(cloud, "Underutilized Amazon EBS Volumes") == {spare.id}
    assert inst.state.value == "running"


def test_underutilized_volume_savings_are_its_monthly_storage(cloud):
    vol = cloud.ebs.create_volume(size=100, volume_type="gp3", availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    assert _result(cloud, "DAvU99Dc4C").finding(vol.id).estimated_monthly_savings == pytest.approx(8.0)


@pytest.fixture
def alb(cloud):
    vpc = cloud.vpc.default_vpc
    subnets = vpc.subnets[:2]
    lb = cloud.elb.create_load_balancer("shop", subnets=subnets)
    tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    for subnet in subnets:
        inst = cloud.ec2.run_instance(subnet=subnet)
        inst.serve(lambda req: Response(200, body="ok"), port=80)
        cloud.elb.register_targets(tg, inst)
    cloud.clock.advance(minutes=3)
    return cloud, lb


def test_load_balancer_without_targets_is_idle(cloud):
    lb = cloud.elb.create_classic_load_balancer("empty", listeners=[("HTTP", 80, "HTTP", 80)],
                                               availability_zones=["us-east-1a", "us-east-1b"])
    assert _result(cloud, "Idle Load Balancers").finding("empty").reason == "No active back-end instances"
    assert lb.name == "empty"


def test_load_balancer_with_few_requests_for_a_week_is_idle(alb):
    cloud, lb = alb
    cloud.clock.advance(days=7)
    assert _result(cloud, "hjLMh88uM8").finding(lb.arn).reason.startswith("Low request count")


def test_busy_load_balancer_is_not_idle(alb):
    cloud, lb = alb
    for _ in range(7):
        cloud.elb.route_load(lb, rps=0.01, duration_s=86400)
    assert _result(cloud, "hjLMh88uM8").flagged == []


def test_new_load_balancer_is_not_judged_on_requests(alb):
    cloud, _ = alb
    assert _result(cloud, "hjLMh88uM8").flagged == []


# -- RDS (cost and fault tolerance) ----------------------------------------------------------------

def _db(cloud, name="app", **kw):
    db = cloud.rds.create_db_instance(name, engine="mysql", instance_class="db.t3.micro", allocated_storage=20,
                                      master_username="admin", master_password="s3cret-pass", **kw)
    cloud.clock.advance(minutes=10)
    return db


def test_db_without_connections_for_a_week_is_idle(cloud):
    db = _db(cloud)
    cloud.clock.advance(days=8)
    assert _flagged_ids(cloud, "Amazon RDS Idle DB Instances") == {db.id}


def test_db_with_a_recent_connection_is_not_idle(cloud):
    db = _db(cloud)
    cloud.clock.advance(days=6)
    conn = cloud.rds.connect(db, "admin", "s3cret-pass")
    cloud.clock.advance(minutes=5)
    conn.close()
    cloud.clock.advance(days=2)
    assert _result(cloud, "Ti39halfu8").flagged == []


def test_single_az_db_is_flagged_and_multi_az_is_not(cloud):
    single = _db(cloud, "single")
    _db(cloud, "double", multi_az=True)
    assert _flagged_ids(cloud, "Amazon RDS Multi-AZ") == {single.id}


def test_db_without_backups_is_red(cloud):
    _db(cloud, "kept")
    bare = _db(cloud, "bare", backup_retention_period=0)
    res = _result(cloud, "Amazon RDS Backups")
    assert (res.status.value, {f.resource_id for f in res.flagged}) == ("error", {bare.id})


# -- security ------------------------------------------------------------------------------------

def _open(cloud, port, cidr="0.0.0.0/0", name=None):
    sg = cloud.vpc.create_security_group(None, name or f"open-{port}", "test")
    rule = cloud.vpc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=port, to_port=port,
                                                      cidr_ip=cidr)
    return sg, rule


@pytest.mark.parametrize(("port", "status"), [(3306, "error"), (3389, "error"), (22, "warning"), (443, "ok")])
def test_specific_ports_follow_aws_colours(cloud, port, status):
    sg, rule = _open(cloud, port)
    assert _result(cloud, "Security Groups - Specific Ports Unrestricted").finding(f"{sg.id}/{rule.id}").status == status


def test_port_open_to_one_range_is_not_unrestricted(cloud):
    _open(cloud, 22, cidr="203.0.113.0/24")
    assert _result(cloud, "HCP4007jGY").flagged == []


def test_ssh_open_to_the_world_is_red_unrestricted_access(cloud):
    sg, rule = _open(cloud, 22)
    res = _result(cloud, "Security Groups - Unrestricted Access")
    assert (res.status.value, [f.resource_id for f in res.flagged]) == ("error", [f"{sg.id}/{rule.id}"])


def test_https_open_to_the_world_is_not_unrestricted_access(cloud):
    _open(cloud, 443)
    assert _result(cloud, "1iG5NDGVre").flagged == []


def test_public_bucket_policy_is_flagged(cloud):
    b = cloud.s3.create_bucket("public-site-1")
    cloud.s3.put_public_access_block(b)  # all off
    cloud.s3.put_bucket_policy(b, {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public-site-1/*"}]})
    cloud.s3.create_bucket("private-data-1")
    assert _flagged_ids(cloud, "Amazon S3 Bucket Permissions") == {"public-site-1"}


def test_public_read_write_acl_is_red(cloud):
    b = cloud.s3.create_bucket("wide-open-1", object_ownership="ObjectWriter")
    cloud.s3.put_public_access_block(b)
    cloud.s3.put_bucket_acl(b, "public-read-write")
    assert _result(cloud, "Pfx0RwqBli").finding("wide-open-1").status == "error"


def test_root_without_mfa_is_red_and_with_mfa_is_ok(cloud):
    assert _result(cloud, "MFA on Root Account").status == "error"
    cloud.iam.enable_root_mfa()
    assert cloud.trusted_advisor.refresh_all() and _result(cloud, "7DAFEmoDos").status == "ok"


def test_account_without_iam_users_is_yellow(cloud):
    assert _result(cloud, "IAM Use").status == "warning"


def test_account_with_an_iam_user_passes_iam_use(cloud):
    cloud.iam.create_user("alice")
    assert _result(cloud, "IAM Use").status == "ok"


@pytest.mark.parametrize(("age_days", "status"), [(30, None), (100, "warning"), (800, "error")])
def test_access_key_rotation_by_age(cloud, age_days, status):
    cloud.iam.create_user("alice")
    key = cloud.iam.create_access_key("alice")
    cloud.clock.advance(days=age_days)
    res = _result(cloud, "IAM Access Key Rotation")
    assert ({f.resource_id: f.status.value for f in res.flagged}.get(key.id)) == status


def test_inactive_old_key_is_not_flagged(cloud):
    cloud.iam.create_user("alice")
    key = cloud.iam.create_access_key("alice")
    cloud.iam.update_access_key(key.id, "Inactive", "alice")
    cloud.clock.advance(days=100)
    assert _result(cloud, "DqdJqYeRm5").flagged == []


def test_root_access_key_is_red(cloud):
    key = cloud.iam.create_access_key()
    assert _flagged_ids(cloud, "Root Account Access Keys") == {key.id}


def test_root_without_access_keys_is_ok(cloud):
    assert _result(cloud, "awskit-root-keys").status == "ok"


# -- fault tolerance ----------------------------------------------------------------------------

def test_instances_in_one_zone_are_red(cloud):
    for _ in range(2):
        cloud.ec2.run_instance(instance_type="t3.micro", availability_zone="us-east-1a")
    assert _result(cloud, "Amazon EC2 Availability Zone Balance").status == "error"


def test_instances_spread_evenly_are_balanced(cloud):
    for az in ("us-east-1a", "us-east-1b"):
        cloud.ec2.run_instance(instance_type="t3.micro", availability_zone=az)
    assert _result(cloud, "wuy7G1zxql").flagged == []


def test_uneven_spread_is_yellow(cloud):
    for az in ("us-east-1a", "us-east-1a", "us-east-1a", "us-east-1b"):
        cloud.ec2.run_instance(instance_type="t3.micro", availability_zone=az)
    assert _result(cloud, "wuy7G1zxql").status == "warning"


def test_single_zone_classic_load_balancer_is_flagged(cloud):
    cloud.elb.create_classic_load_balancer("one", listeners=[("HTTP", 80, "HTTP", 80)],
                                           availability_zones=["us-east-1a"])
    assert _result(cloud, "Load Balancer Optimization").finding("one").reason.startswith("Enabled for a single")


def test_two_zone_load_balancer_with_targets_in_both_is_optimized(alb):
    cloud, _ = alb
    assert _result(cloud, "iqdCTZKCUp").flagged == []


def test_volume_without_snapshot_is_red(cloud):
    vol = cloud.ebs.create_volume(size=10, availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    assert _result(cloud, "Amazon EBS Snapshots").finding(vol.id).status == "error"


@pytest.mark.parametrize(("days", "status"), [(3, None), (10, "warning"), (40, "error")])
def test_snapshot_age_sets_the_colour(cloud, days, status):
    vol = cloud.ebs.create_volume(size=10, availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(days=days)
    res = _result(cloud, "H7IgTzjTYb")
    assert {f.resource_id: f.status.value for f in res.flagged}.get(vol.id) == status


def test_unversioned_bucket_is_yellow_and_versioned_is_not(cloud):
    cloud.s3.create_bucket("plain-1")
    v = cloud.s3.create_bucket("versioned-1")
    cloud.s3.put_bucket_versioning(v, "Enabled")
    assert _flagged_ids(cloud, "Amazon S3 Bucket Versioning") == {"plain-1"}


def _group(cloud, subnets, tgs=()):
    lt = cloud.autoscaling.create_launch_template("web-lt", image_id=cloud.ec2.find_image().id,
                                                  instance_type="t3.micro")
    return cloud.autoscaling.create_auto_scaling_group("web", min_size=1, max_size=2, launch_template=lt,
                                                       subnets=subnets, target_group_arns=list(tgs))


def test_single_zone_auto_scaling_group_is_flagged(cloud):
    g = _group(cloud, cloud.vpc.default_vpc.subnets[:1])
    assert _flagged_ids(cloud, "Auto Scaling Group in a Single Availability Zone") == {g.name}


def test_multi_zone_auto_scaling_group_is_not_flagged(cloud):
    _group(cloud, cloud.vpc.default_vpc.subnets[:2])
    assert _result(cloud, "awskit-asg-single-az").flagged == []


def test_auto_scaling_group_with_a_deleted_target_group_is_red(cloud):
    tg = cloud.elb.create_target_group("gone", vpc=cloud.vpc.default_vpc)
    g = _group(cloud, cloud.vpc.default_vpc.subnets[:2], [tg.arn])
    cloud.elb.delete_target_group(tg)
    assert _flagged_ids(cloud, "Auto Scaling Group Resources") == {f"{g.name}/{tg.arn}"}


# -- service limits ------------------------------------------------------------------------------

def test_vpc_limit_turns_yellow_at_80_percent(cloud):
    for i in range(3):
        cloud.vpc.create_vpc(f"10.{i}.0.0/16")
    res = _result(cloud, "VPC")
    assert (res.status.value, res.flagged[0].metadata[3:5]) == ("warning", ["5", "4"])


def test_vpc_limit_is_green_with_the_default_vpc_only(cloud):
    assert cloud.vpc.default_vpc is not None
    assert _result(cloud, "jL7PP0l7J9").status == "ok"


def test_elastic_ip_limit_turns_red_at_100_percent(cloud):
    for _ in range(5):
        cloud.ec2.allocate_address()
    assert _result(cloud, "EC2-VPC Elastic IP Address").status == "error"


def test_vcpu_limit_counts_running_vcpus(cloud):
    cloud.ec2.run_instance(instance_type="m5.xlarge")
    row = _result(cloud, "EC2 On-Demand Instances").flagged[0]
    assert row.metadata[3:5] == ["32", "4"]


# -- regions and availability ------------------------------------------------------------------------

def test_checks_look_at_every_region_the_account_used(cloud):
    far = cloud.region("eu-west-1").ec2.allocate_address()
    assert _flagged_ids(cloud, "Z4AUBRNSmz") == {far.allocation_id}


def test_check_with_nothing_to_look_at_is_not_available(cloud):
    assert _result(cloud, "Underutilized Amazon EBS Volumes").status == "not_available"


def test_unknown_check_lists_the_checks(cloud):
    with pytest.raises(AWSError) as err:
        cloud.trusted_advisor.result("Cheap Instances")
    assert err.value.code == "InvalidParameterValueException"


# -- performance: EBS magnetic volumes and CloudFront -----------------------------------------------

def _magnetic(cloud, volume_type="standard"):
    inst = cloud.ec2.run_instance(instance_type="m5.large")
    vol = cloud.ebs.create_volume(size=100, volume_type=volume_type, availability_zone=inst.availability_zone.name)
    cloud.clock.advance(minutes=1)
    cloud.ebs.attach_volume(vol, inst, "/dev/sdf")
    cloud.clock.advance(minutes=1)
    return vol


def _busy_days(cloud, vol, iops, days):
    for _ in range(days):
        cloud.ebs.run_workload(vol, iops=iops, duration_s=86400, step_s=600)


def test_magnetic_volume_busy_for_a_week_is_overutilized(cloud):
    hot = _magnetic(cloud)
    _busy_days(cloud, hot, 150, 8)
    assert _flagged_ids(cloud, "Overutilized Amazon EBS Magnetic Volumes") == {hot.id}


def test_magnetic_volume_busy_for_six_days_is_not_overutilized(cloud):
    vol = _magnetic(cloud)
    _busy_days(cloud, vol, 150, 6)
    cloud.clock.advance(days=1)
    res = _result(cloud, "k3J2hns32g")
    assert res.resources_processed == 1 and res.flagged == []


def test_quiet_magnetic_volume_is_not_overutilized(cloud):
    vol = _magnetic(cloud)
    _busy_days(cloud, vol, 50, 8)
    assert _flagged_ids(cloud, "k3J2hns32g") == set()


def test_busy_gp3_volume_is_not_a_magnetic_finding(cloud):
    vol = _magnetic(cloud, "gp3")
    _busy_days(cloud, vol, 150, 8)
    assert _result(cloud, "k3J2hns32g").resources_processed == 0


def test_overutilized_magnetic_metadata_has_fourteen_days(cloud):
    vol = _magnetic(cloud)
    _busy_days(cloud, vol, 150, 8)
    res = _result(cloud, "k3J2hns32g")
    row = res.rows()[0]
    assert len(res.flagged[0].metadata) == len(res.check.metadata) and row["Number of Days Over"] == "8"


def test_fixing_an_overutilized_magnetic_volume_moves_it_to_gp3(cloud):
    vol = _magnetic(cloud)
    _busy_days(cloud, vol, 150, 8)
    after = _result(cloud, "k3J2hns32g").finding(vol.id).fix()
    cloud.clock.advance(hours=1)
    assert after.status.value == "ok" and vol.volume_type.name == "gp3"


def _site(cloud, **options):
    cloud.s3.create_bucket("cf-ta")
    cloud.s3.put_object("cf-ta", "app.js", "x" * 1000, headers={"CacheControl": "max-age=86400"})
    oac = cloud.cloudfront.create_origin_access_control("cf-ta-oac")
    d = cloud.cloudfront.create_distribution("cf-ta", origin_access_control=oac, **options)
    cloud.s3.put_bucket_policy("cf-ta", cloud.cloudfront.bucket_policy_for(d, "cf-ta"))
    cloud.clock.advance(minutes=5)
    return d


def _traffic(cloud, d, days=2, **headers):
    for _ in range(days):
        for _ in range(20):
            cloud.cloudfront.request(d, "/app.js", user="London", headers=headers or None)
        cloud.clock.advance(days=1)


def test_caching_disabled_distribution_has_a_low_hit_ratio(cloud):
    d = _site(cloud, cache_policy_id="CachingDisabled")
    _traffic(cloud, d)
    finding = _result(cloud, "awskit-cf-hit-ratio").finding(d.id)
    assert finding.status.value == "warning" and finding.fixable


def test_caching_optimized_distribution_has_a_good_hit_ratio(cloud):
    d = _site(cloud)
    _traffic(cloud, d)
    res = _result(cloud, "Low Amazon CloudFront Cache Hit Ratio")
    assert res.resources_processed == 1 and res.flagged == []


def test_fixing_a_low_hit_ratio_switches_to_caching_optimized(cloud):
    d = _site(cloud, cache_policy_id="CachingDisabled")
    _traffic(cloud, d)
    after = _result(cloud, "awskit-cf-hit-ratio").finding(d.id).fix()
    assert after.status.value == "ok" and d.config.default_behavior.cache_policy_id.startswith("658327ea")


def test_forwarding_user_agent_is_flagged_for_header_forwarding(cloud):
    d = _site(cloud, cache_policy_id=None, behaviors=[
        {"path_pattern": "*.js", "cache_policy_id": None, "forwarded_headers": ("User-Agent", "Origin")}])
    res = _result(cloud, "CloudFront Header Forwarding and Cache Hit Ratio")
    assert res.resources_processed == 2 and [(f.resource_id, f.metadata[4]) for f in res.flagged] == [
        (f"{d.id} *.js", "User-Agent")]


def test_fixing_header_forwarding_keeps_the_other_headers(cloud):
    d = _site(cloud, cache_policy_id=None, behaviors=[
        {"path_pattern": "*.js", "cache_policy_id": None, "forwarded_headers": ("User-Agent", "Origin")}])
    after = _result(cloud, "N415c450f2").flagged[0].fix()
    assert after.status.value == "ok" and d.config.behaviors[0].forwarded_headers == ("Origin",)
