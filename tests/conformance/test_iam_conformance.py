"""IAM and STS: the same boto3 calls against moto and awskit give the same keys and error codes."""

import json

import pytest

from .conftest import error_code, keys, moto_differs

V = "2012-10-17"
POLICY = json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def trust(principal):
    return json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Principal": principal,
                                                    "Action": "sts:AssumeRole"}]})


def client_as(client, service, key):
    """A client of either backend made with an access key (boto3 or awskit)."""
    creds = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    if "SessionToken" in key:
        creds["aws_session_token"] = key["SessionToken"]
    if hasattr(client, "_cloud"):
        return client._cloud.client(service, **creds)
    import boto3
    return boto3.client(service, region_name="us-east-1", **creds)


@pytest.fixture
def iam(client):
    return client("iam")


def test_create_and_get_user_keys(iam):
    created = iam.create_user(UserName="alice")
    assert keys(created) == {"User"}
    assert {"Path", "UserName", "UserId", "Arn", "CreateDate"} <= set(created["User"])
    got = iam.get_user(UserName="alice")["User"]
    assert got["Arn"] == created["User"]["Arn"] and got["Arn"].endswith(":user/alice")


def test_list_users_keys(iam):
    iam.create_user(UserName="alice")
    listed = iam.list_users()
    assert keys(listed) == {"Users", "IsTruncated"}
    assert [u["UserName"] for u in listed["Users"]] == ["alice"]


def test_duplicate_user_is_entity_already_exists(iam):
    iam.create_user(UserName="alice")
    assert error_code(iam.create_user, UserName="alice") == "EntityAlreadyExists"


def test_unknown_user_is_no_such_entity(iam):
    assert error_code(iam.get_user, UserName="ghost") == "NoSuchEntity"


def test_delete_user_with_attached_policy_is_delete_conflict(iam):
    iam.create_user(UserName="alice")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    assert error_code(iam.delete_user, UserName="alice") == "DeleteConflict"


@moto_differs("moto deletes a user that still has access keys; AWS answers DeleteConflict")
def test_delete_user_with_access_key_is_delete_conflict(iam):
    iam.create_user(UserName="alice")
    iam.create_access_key(UserName="alice")
    assert error_code(iam.delete_user, UserName="alice") == "DeleteConflict"


def test_group_keys_and_membership(iam):
    iam.create_user(UserName="alice")
    assert keys(iam.create_group(GroupName="devs")) == {"Group"}
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    got = iam.get_group(GroupName="devs")
    assert {"Group", "Users", "IsTruncated"} >= keys(got) >= {"Group", "Users"}
    assert [u["UserName"] for u in got["Users"]] == ["alice"]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="alice")["Groups"]] == ["devs"]


def test_create_and_get_role_keys(iam):
    created = iam.create_role(RoleName="web", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    assert {"Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument"} <= set(created["Role"])
    got = iam.get_role(RoleName="web")["Role"]
    assert got["RoleId"].startswith("AROA") and got["MaxSessionDuration"] == 3600
    assert got["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}


@moto_differs("moto accepts a Resource element in a trust policy; AWS answers MalformedPolicyDocument")
def test_role_with_resource_in_trust_policy_is_malformed(iam):
    bad = json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                  "Action": "sts:AssumeRole", "Resource": "*"}]})
    assert error_code(iam.create_role, RoleName="r", AssumeRolePolicyDocument=bad) == "MalformedPolicyDocument"


def test_policy_keys_and_versions(iam):
    created = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]
    assert {"PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount", "IsAttachable",
            "CreateDate", "UpdateDate"} <= set(created)
    assert created["DefaultVersionId"] == "v1"
    v2 = iam.create_policy_version(PolicyArn=created["Arn"], PolicyDocument=POLICY, SetAsDefault=True)
    assert v2["PolicyVersion"]["VersionId"] == "v2" and v2["PolicyVersion"]["IsDefaultVersion"] is True
    version = iam.get_policy_version(PolicyArn=created["Arn"], VersionId="v2")["PolicyVersion"]
    assert version["Document"] == json.loads(POLICY)


@pytest.mark.parametrize("document", [
    "{not json",
    json.dumps({"Version": V, "Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}),
    json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}),
    json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
])
def test_bad_policy_documents_are_malformed(iam, document):
    assert error_code(iam.create_policy, PolicyName="p", PolicyDocument=document) == "MalformedPolicyDocument"


def test_sixth_policy_version_is_limit_exceeded(iam):
    arn = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=POLICY)
    assert error_code(iam.create_policy_version, PolicyArn=arn, PolicyDocument=POLICY) == "LimitExceeded"


def test_attached_policies_keys(iam):
    iam.create_user(UserName="alice")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    listed = iam.list_attached_user_policies(UserName="alice")
    assert keys(listed) == {"AttachedPolicies", "IsTruncated"}
    assert listed["AttachedPolicies"] == [{"PolicyName": "p", "PolicyArn": arn}]


def test_inline_policy_round_trip(iam):
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="inline", PolicyDocument=POLICY)
    got = iam.get_user_policy(UserName="alice", PolicyName="inline")
    assert keys(got) == {"UserName", "PolicyName", "PolicyDocument"}
    assert got["PolicyDocument"] == json.loads(POLICY)
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == ["inline"]
    iam.delete_user_policy(UserName="alice", PolicyName="inline")
    assert error_code(iam.get_user_policy, UserName="alice", PolicyName="inline") == "NoSuchEntity"


def test_access_key_keys_and_limit(iam):
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert set(key) == {"UserName", "AccessKeyId", "Status", "SecretAccessKey", "CreateDate"}
    assert key["AccessKeyId"].startswith("AKIA") and key["Status"] == "Active"
    listed = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert "SecretAccessKey" not in listed[0]
    iam.create_access_key(UserName="alice")
    assert error_code(iam.create_access_key, UserName="alice") == "LimitExceeded"


def test_instance_profile_keys_and_role(iam):
    iam.create_role(RoleName="web", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    created = iam.create_instance_profile(InstanceProfileName="web-profile")["InstanceProfile"]
    assert {"Path", "InstanceProfileName", "InstanceProfileId", "Arn", "CreateDate", "Roles"} <= set(created)
    iam.add_role_to_instance_profile(InstanceProfileName="web-profile", RoleName="web")
    got = iam.get_instance_profile(InstanceProfileName="web-profile")["InstanceProfile"]
    assert [r["RoleName"] for r in got["Roles"]] == ["web"]
    assert error_code(iam.delete_role, RoleName="web") == "DeleteConflict"


def test_second_role_in_instance_profile_is_limit_exceeded(iam):
    for name in ("a", "b"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    iam.create_instance_profile(InstanceProfileName="ip")
    iam.add_role_to_instance_profile(InstanceProfileName="ip", RoleName="a")
    assert error_code(iam.add_role_to_instance_profile, InstanceProfileName="ip", RoleName="b") == "LimitExceeded"


def test_account_summary_reports_root_mfa(iam):
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["AccountMFAEnabled"] == 0 and summary["AccessKeysPerUserQuota"] == 2


def test_get_caller_identity_keys(client):
    who = client("sts").get_caller_identity()
    assert keys(who) == {"UserId", "Account", "Arn"}
    assert len(who["Account"]) == 12


def test_get_caller_identity_with_user_keys(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    who = client_as(iam, "sts", key).get_caller_identity()
    assert who["Arn"].endswith(":user/alice") and who["UserId"] == iam.get_user(UserName="alice")["User"]["UserId"]


def test_assume_role_shape(client):
    iam = client("iam")
    alice = iam.create_user(UserName="alice")["User"]
    iam.put_user_policy(UserName="alice", PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    role = iam.create_role(RoleName="ops", AssumeRolePolicyDocument=trust({"AWS": alice["Arn"]}))["Role"]
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    sts = client_as(iam, "sts", key)
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="work", DurationSeconds=900)
    assert {"Credentials", "AssumedRoleUser"} <= keys(out)
    assert set(out["Credentials"]) == {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert out["AssumedRoleUser"]["Arn"].endswith(":assumed-role/ops/work")
    who = client_as(iam, "sts", out["Credentials"]).get_caller_identity()
    assert who["Arn"] == out["AssumedRoleUser"]["Arn"]


@moto_differs("moto lets any caller assume any role, even one that does not exist")
def test_assume_role_of_a_missing_role_is_access_denied(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    account = client_as(iam, "sts", key).get_caller_identity()["Account"]
    assert error_code(client_as(iam, "sts", key).assume_role, RoleArn=f"arn:aws:iam::{account}:role/ghost",
                      RoleSessionName="work") == "AccessDenied"


@moto_differs("moto does not check DurationSeconds against the role's MaxSessionDuration")
def test_assume_role_longer_than_max_session_is_a_validation_error(client):
    iam = client("iam")
    alice = iam.create_user(UserName="alice")["User"]
    role = iam.create_role(RoleName="ops", AssumeRolePolicyDocument=trust({"AWS": alice["Arn"]}))["Role"]
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert error_code(client_as(iam, "sts", key).assume_role, RoleArn=role["Arn"], RoleSessionName="work",
                      DurationSeconds=7200) == "ValidationError"
