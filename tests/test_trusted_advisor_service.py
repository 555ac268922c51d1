"""Trusted Advisor as a service: refreshes on the clock, fixes, and the support facade."""

import pytest

from awskit import AWSError


def _eip(cloud):
    return cloud.ec2.allocate_address()


# -- refresh on the clock ---------------------------------------------------------------------------

def test_result_is_kept_until_the_next_refresh(cloud):
    ta = cloud.trusted_advisor
    before = ta.result("Z4AUBRNSmz")
    _eip(cloud)
    assert ta.result("Z4AUBRNSmz") is before and before.flagged == []


def test_refresh_goes_enqueued_processing_success(cloud):
    ta = cloud.trusted_advisor
    ta.result("Z4AUBRNSmz")
    _eip(cloud)
    seen = [ta.refresh_check("Z4AUBRNSmz").status]
    cloud.clock.advance(seconds=15)
    seen.append(ta.refresh_status("Z4AUBRNSmz").status)
    cloud.clock.advance(seconds=60)
    seen.append(ta.refresh_status("Z4AUBRNSmz").status)
    assert seen == ["enqueued", "processing", "success"] and len(ta.result("Z4AUBRNSmz").flagged) == 1


def test_second_refresh_within_five_minutes_changes_nothing(cloud):
    ta = cloud.trusted_advisor
    ta.refresh_check("Z4AUBRNSmz")
    cloud.clock.advance(minutes=2)
    st = ta.refresh_check("Z4AUBRNSmz")
    assert (st.status, st.millis_until_next_refreshable) == ("success", 180_000)


def test_refresh_is_allowed_again_after_five_minutes(cloud):
    ta = cloud.trusted_advisor
    ta.refresh_check("Z4AUBRNSmz")
    cloud.clock.advance(minutes=5)
    assert ta.refresh_check("Z4AUBRNSmz").status == "enqueued"


def test_checks_refresh_automatically_every_week(cloud):
    ta = cloud.trusted_advisor
    first = ta.result("Z4AUBRNSmz")
    _eip(cloud)
    cloud.clock.advance(days=7)
    again = ta.result("Z4AUBRNSmz")
    assert (again is not first, again.timestamp, len(again.flagged)) == (True, 7 * 86400.0, 1)


def test_summary_counts_checks_per_category_and_status(cloud):
    _eip(cloud)
    summary = cloud.trusted_advisor.summary()
    assert summary["cost_optimizing"]["warning"] == 1 and summary["security"]["error"] >= 1


def test_unknown_category_is_rejected(cloud):
    with pytest.raises(AWSError) as err:
        cloud.trusted_advisor.checks("savings")
    assert err.value.code == "InvalidParameterValueException"


# -- fixes -------------------------------------------------------------------------------------------

def test_fixing_open_ssh_keeps_access_from_the_admin_range(cloud):
    sg = cloud.vpc.create_security_group(None, "ssh", "ssh")
    cloud.vpc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="0.0.0.0/0")
    after = cloud.trusted_advisor.result("1iG5NDGVre").flagged[0].fix(admin_cidr="203.0.113.0/24")
    assert after.status == "ok" and [str(r.cidr_ip) for r in sg.ingress] == ["203.0.113.0/24"]


def test_fix_with_a_bad_cidr_changes_nothing(cloud):
    sg = cloud.vpc.create_security_group(None, "ssh", "ssh")
    cloud.vpc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="0.0.0.0/0")
    with pytest.raises(AWSError) as err:
        cloud.trusted_advisor.result("1iG5NDGVre").flagged[0].fix(admin_cidr="my office")
    assert err.value.code == "InvalidParameterValue" and [str(r.cidr_ip) for r in sg.ingress] == ["0.0.0.0/0"]


def test_fixing_an_idle_instance_stops_it(cloud):
    inst = cloud.ec2.run_instance(instance_type="m5.large")
    cloud.clock.advance(days=5)
    after = cloud.trusted_advisor.result("Qch7DwouX1").finding(inst.id).fix()
    cloud.clock.advance(minutes=2)
    assert (inst.state.value, after.flagged) == ("stopped", [])


def test_fixing_an_unattached_volume_snapshots_then_deletes_it(cloud):
    vol = cloud.ebs.create_volume(size=20, availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    cloud.trusted_advisor.result("DAvU99Dc4C").finding(vol.id).fix()
    cloud.clock.advance(minutes=5)
    assert vol not in cloud.ebs.volumes and [s.volume_id for s in cloud.ebs.snapshots] == [vol.id]


def test_fixing_root_mfa_turns_the_check_green(cloud):
    assert cloud.trusted_advisor.result("7DAFEmoDos").flagged[0].fix().status == "ok"


def test_rotating_a_key_deactivates_the_old_one_and_returns_the_new(cloud):
    cloud.iam.create_user("alice")
    old = cloud.iam.create_access_key("alice")
    cloud.clock.advance(days=100)
    finding = cloud.trusted_advisor.result("DqdJqYeRm5").finding(old.id)
    after = finding.fix()
    assert (old.status.value, finding.outcome.status.value, after.flagged) == ("Inactive", "Active", [])


def test_blocking_a_public_bucket_removes_only_the_public_statements(cloud):
    b = cloud.s3.create_bucket("site-1")
    cloud.s3.put_public_access_block(b)
    cloud.s3.put_bucket_policy(b, {"Version": "2012-10-17", "Statement": [
        {"Sid": "public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::site-1/*"},
        {"Sid": "partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site-1/*"}]})
    after = cloud.trusted_advisor.result("Pfx0RwqBli").finding("site-1").fix()
    assert after.flagged == [] and [s["Sid"] for s in b.policy_doc["Statement"]] == ["partner"]
    assert b.public_access_block.block_public_policy


def test_turning_on_multi_az_clears_the_finding(cloud):
    db = cloud.rds.create_db_instance("app", engine="mysql", instance_class="db.t3.micro", allocated_storage=20,
                                      master_username="admin", master_password="s3cret-pass")
    cloud.clock.advance(minutes=10)
    cloud.trusted_advisor.result("f2iK5R6Dep").finding(db.id).fix()
    cloud.clock.advance(minutes=30)
    assert db.multi_az and cloud.trusted_advisor._rerun("f2iK5R6Dep").flagged == []


def test_turning_on_backups_clears_the_finding(cloud):
    db = cloud.rds.create_db_instance("app", engine="mysql", instance_class="db.t3.micro", allocated_storage=20,
                                      master_username="admin", master_password="s3cret-pass",
                                      backup_retention_period=0)
    cloud.clock.advance(minutes=10)
    cloud.trusted_advisor.result("opQPADkZvH").finding(db.id).fix()
    cloud.clock.advance(minutes=30)
    assert db.backup_retention_period == 7 and cloud.trusted_advisor._rerun("opQPADkZvH").flagged == []


def test_finding_without_a_fix_says_what_to_do(cloud):
    for _ in range(2):
        cloud.ec2.run_instance(instance_type="t3.micro", availability_zone="us-east-1a")
    with pytest.raises(AWSError) as err:
        cloud.trusted_advisor.result("wuy7G1zxql").flagged[0].fix()
    assert err.value.code == "InvalidParameterValueException"


# -- the support facade -------------------------------------------------------------------------------

@pytest.fixture
def support(cloud):
    return cloud.client("support")


def test_describe_checks_lists_id_name_description_category_metadata(support):
    checks = support.describe_trusted_advisor_checks(language="en")["checks"]
    assert {tuple(sorted(c)) for c in checks} == {("category", "description", "id", "metadata", "name")}
    assert {c["category"] for c in checks} == {"cost_optimizing", "performance", "security", "fault_tolerance",
                                              "service_limits"}


def test_describe_checks_needs_a_known_language(support):
    with pytest.raises(support.exceptions.InvalidParameterValueException):
        support.describe_trusted_advisor_checks(language="klingon")


def test_check_result_has_the_aws_shape(cloud, support):
    eip = cloud.ec2.allocate_address()
    result = support.describe_trusted_advisor_check_result(checkId="Z4AUBRNSmz")["result"]
    assert set(result) == {"checkId", "timestamp", "status", "resourcesSummary", "categorySpecificSummary",
                           "flaggedResources"}
    assert result["categorySpecificSummary"]["costOptimizing"]["estimatedMonthlySavings"] == 3.65
    assert result["flaggedResources"] == [{"status": "warning", "region": "us-east-1",
                                           "resourceId": eip.allocation_id, "isSuppressed": False,
                                           "metadata": ["us-east-1", str(eip.public_ip)]}]


def test_resources_summary_counts_processed_and_flagged(cloud, support):
    cloud.ec2.allocate_address()
    summary = support.describe_trusted_advisor_check_result(checkId="Z4AUBRNSmz")["result"]["resourcesSummary"]
    assert summary == {"resourcesProcessed": 1, "resourcesFlagged": 1, "resourcesIgnored": 0,
                       "resourcesSuppressed": 0}


def test_summaries_say_whether_resources_are_flagged(cloud, support):
    cloud.iam.create_user("alice")
    out = support.describe_trusted_advisor_check_summaries(checkIds=["7DAFEmoDos", "zXCkfM1nI3"])["summaries"]
    assert [(s["checkId"], s["status"], s["hasFlaggedResources"]) for s in out] == [
        ("7DAFEmoDos", "error", True), ("zXCkfM1nI3", "ok", False)]


def test_refresh_through_the_facade(cloud, support):
    first = support.refresh_trusted_advisor_check(checkId="7DAFEmoDos")["status"]
    cloud.clock.advance(minutes=1)
    later = support.describe_trusted_advisor_check_refresh_statuses(checkIds=["7DAFEmoDos"])["statuses"][0]
    assert (first["status"], later["status"], later["millisUntilNextRefreshable"]) == ("enqueued", "success", 240_000)


def test_unknown_check_id_is_invalid_parameter_value(support):
    with pytest.raises(support.exceptions.InvalidParameterValueException):
        support.describe_trusted_advisor_check_result(checkId="nope")


def test_check_ids_must_be_a_list(support):
    with pytest.raises(AWSError) as err:
        support.describe_trusted_advisor_check_summaries(checkIds="7DAFEmoDos")
    assert err.value.code == "ParamValidationError"


def test_findings_with_an_unknown_status_is_an_invalid_parameter(cloud):
    with pytest.raises(AWSError) as err:
        cloud.trusted_advisor.findings("purple")
    assert err.value.code == "InvalidParameterValueException"
