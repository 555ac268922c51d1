"""IAM and STS: entities, quotas, acting as a principal, AssumeRole, credentials on the facade."""

import json

import pytest

from awskit.core.errors import AWSError
from awskit.iam import AccessKeyStatus, AssumedRoleSession

V = "2012-10-17"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def code_of(call, *args, **kwargs):
    with pytest.raises(AWSError) as err:
        call(*args, **kwargs)
    return err.value.code


def policy(*statements):
    return {"Version": V, "Statement": list(statements)}


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def trust_for(*arns):
    return policy({"Effect": "Allow", "Principal": {"AWS": list(arns)}, "Action": "sts:AssumeRole"})


EC2_TRUST = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})


# -- users, groups, names --------------------------------------------------------------

def test_user_has_arn_and_aida_id(cloud):
    u = cloud.iam.create_user("alice", path="/dev/")
    assert u.arn == f"arn:aws:iam::{cloud.account_id}:user/dev/alice"
    assert u.id.startswith("AIDA") and len(u.id) == 21 and u.id.isupper()


def test_ids_carry_aws_prefixes(cloud):
    iam = cloud.iam
    assert iam.create_group("g").id[:4] == "AGPA"
    assert iam.create_role("r", EC2_TRUST).id[:4] == "AROA"
    assert iam.create_policy("p", policy(allow("s3:*"))).id[:4] == "ANPA"
    assert iam.create_instance_profile("ip").id[:4] == "AIPA"


def test_same_seed_gives_same_ids():
    from awskit import Cloud
    assert Cloud(seed=3).iam.create_user("a").id == Cloud(seed=3).iam.create_user("a").id


@pytest.mark.parametrize("name", ["", "a" * 65, "has space", "semi;colon", None])
def test_bad_user_names_are_rejected(cloud, name):
    assert code_of(cloud.iam.create_user, name) == "ValidationError"


def test_user_names_are_unique_ignoring_case(cloud):
    cloud.iam.create_user("Alice")
    assert code_of(cloud.iam.create_user, "alice") == "EntityAlreadyExists"


def test_unknown_user_is_no_such_entity(cloud):
    assert code_of(cloud.iam.get_user, "ghost") == "NoSuchEntity"


def test_bad_path_is_rejected(cloud):
    assert code_of(cloud.iam.create_user, "a", path="dev") == "ValidationError"


def test_group_membership_both_ways(cloud):
    g, u = cloud.iam.create_group("devs"), cloud.iam.create_user("a")
    cloud.iam.add_user_to_group(g, u)
    assert u.groups == [g] and g.users == [u]
    cloud.iam.remove_user_from_group("devs", "a")
    assert u.groups == [] and g.users == []


def test_delete_user_with_access_key_is_a_conflict(cloud):
    cloud.iam.create_user("a")
    cloud.iam.create_access_key("a")
    assert code_of(cloud.iam.delete_user, "a") == "DeleteConflict"


def test_delete_user_with_attached_policy_is_a_conflict(cloud):
    cloud.iam.create_user("a")
    cloud.iam.attach_user_policy("a", S3_READ)
    assert code_of(cloud.iam.delete_user, "a") == "DeleteConflict"


def test_delete_user_in_a_group_is_a_conflict(cloud):
    cloud.iam.create_user("a")
    cloud.iam.create_group("g")
    cloud.iam.add_user_to_group("g", "a")
    assert code_of(cloud.iam.delete_user, "a") == "DeleteConflict"


def test_delete_empty_user_removes_it(cloud):
    cloud.iam.create_user("a")
    cloud.iam.delete_user("a")
    assert cloud.iam.list_users() == []


def test_delete_group_with_members_is_a_conflict(cloud):
    cloud.iam.create_user("a")
    cloud.iam.create_group("g")
    cloud.iam.add_user_to_group("g", "a")
    assert code_of(cloud.iam.delete_group, "g") == "DeleteConflict"


# -- roles and instance profiles ----------------------------------------------------------

def test_role_keeps_its_trust_policy(cloud):
    r = cloud.iam.create_role("web", EC2_TRUST)
    assert r.trust_policy.document == EC2_TRUST and r.max_session_duration == 3600


def test_role_trust_policy_must_be_valid(cloud):
    assert code_of(cloud.iam.create_role, "r", policy(allow("sts:AssumeRole"))) == "MalformedPolicyDocument"


def test_max_session_duration_range(cloud):
    assert code_of(cloud.iam.create_role, "r", EC2_TRUST, max_session_duration=60) == "ValidationError"


def test_instance_profile_holds_one_role(cloud):
    cloud.iam.create_role("a", EC2_TRUST)
    cloud.iam.create_role("b", EC2_TRUST)
    cloud.iam.create_instance_profile("ip")
    cloud.iam.add_role_to_instance_profile("ip", "a")
    assert code_of(cloud.iam.add_role_to_instance_profile, "ip", "b") == "LimitExceeded"


def test_role_in_instance_profile_cannot_be_deleted(cloud):
    cloud.iam.create_role("a", EC2_TRUST)
    cloud.iam.create_instance_profile("ip")
    cloud.iam.add_role_to_instance_profile("ip", "a")
    assert code_of(cloud.iam.delete_role, "a") == "DeleteConflict"


# -- managed and inline policies --------------------------------------------------------------

def test_aws_managed_policies_have_real_arns(cloud):
    admin = cloud.iam.get_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    lam = cloud.iam.get_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert admin.aws_managed and lam.path == "/service-role/"


def test_policy_versions_and_default(cloud):
    p = cloud.iam.create_policy("p", policy(allow("s3:GetObject")))
    cloud.iam.create_policy_version(p.arn, policy(allow("s3:*")), set_as_default=True)
    assert p.default_version_id == "v2" and p.policy.statements[0].actions == ("s3:*",)


def test_sixth_policy_version_is_over_the_limit(cloud):
    p = cloud.iam.create_policy("p", policy(allow("s3:GetObject")))
    for _ in range(4):
        cloud.iam.create_policy_version(p.arn, policy(allow("s3:GetObject")))
    assert code_of(cloud.iam.create_policy_version, p.arn, policy(allow("s3:GetObject"))) == "LimitExceeded"


def test_default_version_cannot_be_deleted(cloud):
    p = cloud.iam.create_policy("p", policy(allow("s3:GetObject")))
    assert code_of(cloud.iam.delete_policy_version, p.arn, "v1") == "DeleteConflict"


def test_attached_policy_cannot_be_deleted(cloud):
    p = cloud.iam.create_policy("p", policy(allow("s3:GetObject")))
    cloud.iam.create_user("a")
    cloud.iam.attach_user_policy("a", p.arn)
    assert code_of(cloud.iam.delete_policy, p.arn) == "DeleteConflict"


def test_detaching_a_policy_that_is_not_attached(cloud):
    cloud.iam.create_user("a")
    assert code_of(cloud.iam.detach_user_policy, "a", S3_READ) == "NoSuchEntity"


def test_inline_policy_round_trip(cloud):
    u = cloud.iam.create_user("a")
    cloud.iam.put_policy(u, "logs", policy(allow("logs:*")))
    assert cloud.iam.list_inline_policies(u) == ["logs"]
    assert cloud.iam.get_policy_document(u, "logs").document == policy(allow("logs:*"))
    cloud.iam.delete_inline_policy(u, "logs")
    assert code_of(cloud.iam.get_policy_document, u, "logs") == "NoSuchEntity"


def test_malformed_inline_policy_is_rejected(cloud):
    cloud.iam.create_user("a")
    assert code_of(cloud.iam.put_policy, "a", "p", "{bad", kind="User") == "MalformedPolicyDocument"


# -- access keys, root ------------------------------------------------------------------------

def test_access_key_formats(cloud):
    cloud.iam.create_user("a")
    key = cloud.iam.create_access_key("a")
    assert key.id.startswith("AKIA") and len(key.id) == 20 and len(key.secret) == 40


def test_third_access_key_exceeds_the_limit(cloud):
    cloud.iam.create_user("a")
    cloud.iam.create_access_key("a")
    cloud.iam.create_access_key("a")
    assert code_of(cloud.iam.create_access_key, "a") == "LimitExceeded"


def test_access_key_age_follows_the_simulated_clock(cloud):
    cloud.iam.create_user("a")
    key = cloud.iam.create_access_key("a")
    cloud.clock.advance(days=91)
    assert cloud.iam.access_key_report()[0]["age_days"] == pytest.approx(91)
    assert key.age_days(cloud.clock.now) > 90


def test_access_key_status_must_be_active_or_inactive(cloud):
    cloud.iam.create_user("a")
    key = cloud.iam.create_access_key("a")
    cloud.iam.update_access_key(key.id, "Inactive", "a")
    assert key.status is AccessKeyStatus.INACTIVE
    assert code_of(cloud.iam.update_access_key, key.id, "Paused", "a") == "ValidationError"


def test_root_mfa_and_root_keys_show_in_account_summary(cloud):
    summary = cloud.iam.get_account_summary()
    assert summary["AccountMFAEnabled"] == 0 and summary["AccountAccessKeysPresent"] == 0
    cloud.iam.enable_root_mfa()
    cloud.iam.create_access_key()  # as root with no user: a root access key
    summary = cloud.iam.get_account_summary()
    assert summary["AccountMFAEnabled"] == 1 and summary["AccountAccessKeysPresent"] == 1


def test_login_profile_password_policy(cloud):
    cloud.iam.create_user("a")
    assert code_of(cloud.iam.create_login_profile, "a", "short") == "PasswordPolicyViolation"
    assert cloud.iam.create_login_profile("a", "Corr3ct-Horse").user.name == "a"


def test_user_with_login_profile_cannot_be_deleted(cloud):
    cloud.iam.create_user("a")
    cloud.iam.create_login_profile("a", "Corr3ct-Horse")
    assert code_of(cloud.iam.delete_user, "a") == "DeleteConflict"


def test_mfa_device_enable_needs_six_digit_codes(cloud):
    cloud.iam.create_user("a")
    d = cloud.iam.create_virtual_mfa_device("a-phone")
    assert code_of(cloud.iam.enable_mfa_device, "a", d.serial_number, "12", "345678") == "InvalidAuthenticationCode"
    cloud.iam.enable_mfa_device("a", d.serial_number, "123456", "654321")
    assert cloud.iam.list_mfa_devices("a") == [d]


# -- acting as a principal -------------------------------------------------------------------

def test_default_caller_is_root_and_may_do_anything(cloud):
    assert cloud.iam.caller is cloud.iam.root
    cloud.authorize("s3:DeleteBucket", "arn:aws:s3:::anything")


def test_user_without_policies_is_denied(cloud):
    u = cloud.iam.create_user("a")
    with cloud.as_principal(u), pytest.raises(AWSError) as err:
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")
    assert err.value.code == "AccessDenied" and u.arn in err.value.message and "s3:GetObject" in err.value.message


def test_policy_from_a_group_allows(cloud):
    u, g = cloud.iam.create_user("a"), cloud.iam.create_group("readers")
    cloud.iam.attach_group_policy(g, S3_READ)
    cloud.iam.add_user_to_group(g, u)
    with cloud.as_principal(u):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")


def test_explicit_deny_message_names_the_deny(cloud):
    u = cloud.iam.create_user("a")
    cloud.iam.attach_user_policy(u, "arn:aws:iam::aws:policy/AdministratorAccess")
    cloud.iam.put_policy(u, "no-s3", policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}))
    with cloud.as_principal(u), pytest.raises(AWSError) as err:
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")
    assert "explicit deny" in err.value.message


def test_iam_operations_are_authorized(cloud):
    u = cloud.iam.create_user("a")
    view = cloud.as_principal(u)
    assert code_of(view.iam.create_user, "b") == "AccessDenied"
    cloud.iam.attach_user_policy(u, "arn:aws:iam::aws:policy/IAMFullAccess")
    assert view.iam.create_user("b").name == "b"


def test_read_only_user_can_list_but_not_create(cloud):
    u = cloud.iam.create_user("a")
    cloud.iam.attach_user_policy(u, "arn:aws:iam::aws:policy/ReadOnlyAccess")
    view = cloud.as_principal(u)
    assert [x.name for x in view.iam.list_users()] == ["a"]
    assert code_of(view.iam.create_role, "r", EC2_TRUST) == "AccessDenied"


def test_username_variable_limits_a_user_to_their_own_keys(cloud):
    self_service = policy(allow(["iam:CreateAccessKey", "iam:ListAccessKeys"],
                                f"arn:aws:iam::{cloud.account_id}:user/${{aws:username}}"))
    a = cloud.iam.create_user("a")
    cloud.iam.create_user("b")
    cloud.iam.put_policy(a, "self", self_service)
    with cloud.as_principal(a):
        assert cloud.iam.create_access_key().user is a
        assert code_of(cloud.iam.create_access_key, "b") == "AccessDenied"


def test_source_ip_condition_uses_the_acting_context(cloud):
    u = cloud.iam.create_user("a")
    cloud.iam.put_policy(u, "office", policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                                              "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}))
    with cloud.as_principal(u, context={"aws:SourceIp": "192.0.2.7"}):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")
    with cloud.as_principal(u), pytest.raises(AWSError):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")


def test_current_time_condition_follows_the_clock(cloud):
    u = cloud.iam.create_user("a")
    cloud.iam.put_policy(u, "until", policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
        "DateLessThan": {"aws:CurrentTime": "2026-01-06T00:00:00Z"}}}))
    with cloud.as_principal(u):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")
    cloud.clock.advance(days=2)
    with cloud.as_principal(u), pytest.raises(AWSError):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")


def test_permissions_boundary_caps_what_policies_allow(cloud):
    boundary = cloud.iam.create_policy("s3-only", policy(allow("s3:*")))
    u = cloud.iam.create_user("a", permissions_boundary=boundary.arn)
    cloud.iam.attach_user_policy(u, "arn:aws:iam::aws:policy/AdministratorAccess")
    with cloud.as_principal(u):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")
        assert code_of(cloud.authorize, "ec2:RunInstances", "*") == "AccessDenied"


def test_resource_policy_naming_the_user_allows_without_identity_policy(cloud):
    u = cloud.iam.create_user("a")
    bucket_policy = {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"AWS": u.arn},
                                                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
    with cloud.as_principal(u):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k", resource_policy=bucket_policy)


def test_resource_policy_naming_the_account_still_needs_an_identity_policy(cloud):
    u = cloud.iam.create_user("a")
    bucket_policy = {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"AWS": cloud.account_id},
                                                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
    with cloud.as_principal(u):
        assert code_of(cloud.authorize, "s3:GetObject", "arn:aws:s3:::b/k",
                       resource_policy=bucket_policy) == "AccessDenied"


def test_resource_policy_deny_applies_even_to_root(cloud):
    bucket_policy = {"Version": V, "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                  "Resource": "arn:aws:s3:::b/*"}]}
    assert code_of(cloud.authorize, "s3:GetObject", "arn:aws:s3:::b/k", resource_policy=bucket_policy) == "AccessDenied"


def test_service_may_choose_its_error_code(cloud):
    u = cloud.iam.create_user("a")
    with cloud.as_principal(u):
        assert code_of(cloud.authorize, "ec2:RunInstances", "*", code="UnauthorizedOperation") == "UnauthorizedOperation"


def test_as_principal_refuses_a_group(cloud):
    g = cloud.iam.create_group("g")
    assert code_of(cloud.as_principal, g) == "InvalidParameterValue"


def test_acting_ends_with_the_block(cloud):
    u = cloud.iam.create_user("a")
    with cloud.as_principal(u):
        pass
    assert cloud.iam.caller is cloud.iam.root


# -- simulation ---------------------------------------------------------------------------

def test_simulate_principal_policy_includes_group_policies(cloud):
    u, g = cloud.iam.create_user("a"), cloud.iam.create_group("g")
    cloud.iam.attach_group_policy(g, S3_READ)
    cloud.iam.add_user_to_group(g, u)
    results = cloud.iam.simulate_principal_policy(u.arn, ["s3:GetObject", "s3:PutObject"])
    assert [r.decision for r in results] == ["allowed", "implicitDeny"]
    assert results[0].matched_statements[0].policy_id == "AmazonS3ReadOnlyAccess"


def test_simulate_custom_policy_reports_explicit_deny(cloud):
    results = cloud.iam.simulate_custom_policy(
        [json.dumps(policy(allow("s3:*"), {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}))],
        ["s3:DeleteBucket"], ["arn:aws:s3:::b"])
    assert results[0].decision == "explicitDeny"


# -- STS -------------------------------------------------------------------------------------

@pytest.fixture
def alice(cloud):
    u = cloud.iam.create_user("alice")
    cloud.iam.put_policy(u, "assume", policy(allow("sts:AssumeRole")))
    return u


def test_root_cannot_assume_a_role(cloud):
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    assert code_of(cloud.iam.assume_role, role.arn, "sess") == "AccessDenied"


def test_trusted_user_gets_temporary_credentials(cloud, alice):
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    with cloud.as_principal(alice):
        s = cloud.iam.assume_role(role.arn, "work", duration_seconds=900)
    assert isinstance(s, AssumedRoleSession) and s.access_key_id.startswith("ASIA")
    assert s.arn == f"arn:aws:sts::{cloud.account_id}:assumed-role/r/work"
    assert s.expiration == cloud.clock.now + 900


def test_untrusted_user_is_denied(cloud, alice):
    role = cloud.iam.create_role("r", EC2_TRUST)
    with cloud.as_principal(alice):
        assert code_of(cloud.iam.assume_role, role.arn, "sess") == "AccessDenied"


def test_trust_naming_the_user_needs_no_identity_policy_in_the_same_account(cloud):
    bob = cloud.iam.create_user("bob")
    role = cloud.iam.create_role("r", trust_for(bob.arn))
    with cloud.as_principal(bob):
        assert cloud.iam.assume_role(role.arn, "sess").role is role


def test_trust_naming_the_account_needs_an_identity_policy(cloud):
    bob = cloud.iam.create_user("bob")
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    with cloud.as_principal(bob):
        assert code_of(cloud.iam.assume_role, role.arn, "sess") == "AccessDenied"


def test_missing_role_is_access_denied_not_no_such_entity(cloud, alice):
    with cloud.as_principal(alice):
        assert code_of(cloud.iam.assume_role, f"arn:aws:iam::{cloud.account_id}:role/ghost", "sess") == "AccessDenied"


@pytest.mark.parametrize("duration", [899, 3601])
def test_duration_outside_the_role_limits_is_rejected(cloud, alice, duration):
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    with cloud.as_principal(alice):
        assert code_of(cloud.iam.assume_role, role.arn, "sess", duration_seconds=duration) == "ValidationError"


def test_bad_session_name_is_rejected(cloud, alice):
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    with cloud.as_principal(alice):
        assert code_of(cloud.iam.assume_role, role.arn, "has space") == "ValidationError"


def test_session_acts_with_the_role_permissions(cloud, alice):
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    cloud.iam.attach_role_policy(role, S3_READ)
    with cloud.as_principal(alice):
        session = cloud.iam.assume_role(role.arn, "sess")
    with cloud.as_principal(session):
        cloud.authorize("s3:GetObject", "arn:aws:s3:::b/k")
        assert code_of(cloud.authorize, "s3:PutObject", "arn:aws:s3:::b/k") == "AccessDenied"


def test_session_policy_narrows_the_role(cloud, alice):
    role = cloud.iam.create_role("r", trust_for(cloud.account_id))
    cloud.iam.attach_role_policy(role, "arn:aws:iam::aws:policy/AdministratorAccess")
    with cloud.as_principal(alice):
        session = cloud.iam.assume_role(role.arn, "sess", policy=policy(allow("s3:Get*")))
    with cloud.as_principal(session):
        assert code_of(cloud.authorize, "ec2:RunInstances", "*") == "AccessDenied"


def test_external_id_condition_in_trust_policy(cloud, alice):
    trust = policy({"Effect": "Allow", "Principal": {"AWS": alice.arn}, "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": "k-42"}}})
    role = cloud.iam.create_role("r", trust)
    with cloud.as_principal(alice):
        assert code_of(cloud.iam.assume_role, role.arn, "sess") == "AccessDenied"
        assert cloud.iam.assume_role(role.arn, "sess", external_id="k-42").role is role


# -- the facade with credentials ------------------------------------------------------------------

@pytest.fixture
def alice_keys(cloud, alice):
    key = cloud.iam.create_access_key(alice)
    return {"aws_access_key_id": key.id, "aws_secret_access_key": key.secret}


def test_client_with_user_keys_acts_as_the_user(cloud, alice_keys):
    who = cloud.client("sts", **alice_keys).get_caller_identity()
    assert who["Arn"].endswith(":user/alice") and who["UserId"].startswith("AIDA")


def test_client_with_user_keys_is_denied_what_policies_do_not_allow(cloud, alice_keys):
    iam = cloud.client("iam", **alice_keys)
    with pytest.raises(iam.exceptions.ClientError) as err:
        iam.create_user(UserName="eve")
    assert err.value.response["Error"]["Code"] == "AccessDenied"


def test_wrong_secret_is_signature_does_not_match(cloud, alice_keys):
    sts = cloud.client("sts", aws_access_key_id=alice_keys["aws_access_key_id"], aws_secret_access_key="x" * 40)
    assert code_of(sts.get_caller_identity) == "SignatureDoesNotMatch"


def test_inactive_key_is_an_invalid_token(cloud, alice_keys):
    cloud.iam.update_access_key(alice_keys["aws_access_key_id"], "Inactive", "alice")
    assert code_of(cloud.client("sts", **alice_keys).get_caller_identity) == "InvalidClientTokenId"


def test_deleted_key_is_an_invalid_token(cloud, alice_keys):
    cloud.iam.delete_access_key(alice_keys["aws_access_key_id"], "alice")
    assert code_of(cloud.client("sts", **alice_keys).get_caller_identity) == "InvalidClientTokenId"


def test_unknown_placeholder_key_acts_as_root(cloud):
    who = cloud.client("sts", aws_access_key_id="testing", aws_secret_access_key="testing").get_caller_identity()
    assert who["Arn"] == f"arn:aws:iam::{cloud.account_id}:root"


def test_using_a_key_records_last_use(cloud, alice_keys):
    cloud.clock.advance(hours=2)
    cloud.client("sts", **alice_keys).get_caller_identity()
    used = cloud.client("iam").get_access_key_last_used(AccessKeyId=alice_keys["aws_access_key_id"])
    assert used["AccessKeyLastUsed"]["LastUsedDate"] == cloud.clock.datetime


@pytest.fixture
def other_role(cloud, alice):
    other = cloud.create_account()
    role = other.iam.create_role("auditor", trust_for(alice.arn))
    other.iam.attach_role_policy(role, "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    return other, role


def _session_client(cloud, service, creds):
    return cloud.client(service, aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])


def test_cross_account_assume_role_acts_in_the_other_account(cloud, alice_keys, other_role):
    other, role = other_role
    creds = cloud.client("sts", **alice_keys).assume_role(RoleArn=role.arn, RoleSessionName="audit")["Credentials"]
    who = _session_client(cloud, "sts", creds).get_caller_identity()
    assert who["Account"] == other.account_id
    assert who["Arn"] == f"arn:aws:sts::{other.account_id}:assumed-role/auditor/audit"
    assert who["UserId"] == f"{role.id}:audit"


def test_cross_account_session_sees_the_other_accounts_resources(cloud, alice_keys, other_role):
    _, role = other_role
    creds = cloud.client("sts", **alice_keys).assume_role(RoleArn=role.arn, RoleSessionName="audit")["Credentials"]
    roles = _session_client(cloud, "iam", creds).list_roles()["Roles"]
    assert [r["Arn"] for r in roles] == [role.arn]


def test_cross_account_needs_an_identity_policy_too(cloud, other_role):
    other, role = other_role
    bob = cloud.iam.create_user("bob")
    other.iam.update_assume_role_policy(role, trust_for(bob.arn))
    with cloud.as_principal(bob):
        assert code_of(cloud.iam.assume_role, role.arn, "sess") == "AccessDenied"


def test_session_credentials_expire_on_the_simulated_clock(cloud, alice_keys, other_role):
    _, role = other_role
    creds = cloud.client("sts", **alice_keys).assume_role(RoleArn=role.arn, RoleSessionName="audit",
                                                         DurationSeconds=900)["Credentials"]
    sts = _session_client(cloud, "sts", creds)
    assert creds["Expiration"] == cloud.clock.to_datetime(cloud.clock.now + 900)
    cloud.clock.advance(minutes=15)
    assert code_of(sts.get_caller_identity) == "ExpiredToken"


def test_session_key_without_token_is_invalid(cloud, alice_keys, other_role):
    _, role = other_role
    creds = cloud.client("sts", **alice_keys).assume_role(RoleArn=role.arn, RoleSessionName="audit")["Credentials"]
    sts = cloud.client("sts", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])
    assert code_of(sts.get_caller_identity) == "InvalidClientTokenId"


def test_role_chaining_is_limited_to_one_hour(cloud, alice_keys, other_role):
    other, role = other_role
    role.max_session_duration = 7200
    other.iam.put_policy(role, "chain", policy(allow("sts:AssumeRole")))
    second = other.iam.create_role("second", trust_for(role.arn))
    second.max_session_duration = 7200
    creds = cloud.client("sts", **alice_keys).assume_role(RoleArn=role.arn, RoleSessionName="first")["Credentials"]
    sts = _session_client(cloud, "sts", creds)
    assert code_of(sts.assume_role, RoleArn=second.arn, RoleSessionName="second", DurationSeconds=7200) == "ValidationError"
    assert sts.assume_role(RoleArn=second.arn, RoleSessionName="second")["AssumedRoleUser"]["Arn"].endswith("second/second")


# -- facade shapes ------------------------------------------------------------------------------

def test_facade_exception_classes_use_boto3_names(cloud):
    iam = cloud.client("iam")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_user(UserName="ghost")


def test_facade_simulate_principal_policy_shape(cloud):
    iam = cloud.client("iam")
    arn = iam.create_user(UserName="a")["User"]["Arn"]
    iam.attach_user_policy(UserName="a", PolicyArn=S3_READ)
    res = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["s3:GetObject"],
                                        ResourceArns=["arn:aws:s3:::b/k"])["EvaluationResults"][0]
    assert res["EvalDecision"] == "allowed" and res["EvalResourceName"] == "arn:aws:s3:::b/k"
    assert res["MatchedStatements"][0]["SourcePolicyType"] == "aws-managed"


def test_facade_simulate_custom_policy_with_context(cloud):
    doc = json.dumps(policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}))
    iam = cloud.client("iam")
    ctx = [{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.1.1"], "ContextKeyType": "ip"}]
    res = iam.simulate_custom_policy(PolicyInputList=[doc], ActionNames=["s3:GetObject"], ContextEntries=ctx)
    assert res["EvaluationResults"][0]["EvalDecision"] == "allowed"


def test_facade_paginates_users(cloud):
    iam = cloud.client("iam")
    for i in range(5):
        iam.create_user(UserName=f"u{i}")
    first = iam.list_users(MaxItems=2)
    assert first["IsTruncated"] and len(first["Users"]) == 2
    names = [u["UserName"] for page in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
             for u in page["Users"]]
    assert names == [f"u{i}" for i in range(5)]


def test_list_users_with_a_path_prefix_that_is_not_a_path_is_a_validation_error(cloud):
    assert code_of(cloud.iam.list_users, None) == "ValidationError"


def test_inline_policy_for_something_that_is_not_an_entity_is_a_validation_error(cloud):
    assert code_of(cloud.iam.put_policy, None, "p", policy({"Effect": "Allow", "Action": "s3:*",
                                                            "Resource": "*"})) == "ValidationError"


def test_policy_document_as_bytes_that_are_not_text_is_malformed(cloud):
    assert code_of(cloud.iam.create_policy, "p", b"\x00\xff") == "MalformedPolicyDocument"


def test_evaluate_request_for_something_that_is_not_a_principal_is_invalid_input(cloud):
    assert code_of(cloud.iam.evaluate_request, None, "s3:GetObject") == "InvalidInput"
