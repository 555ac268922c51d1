"""Vault access policies and vault lock."""

import json

import pytest

from awskit.core.errors import AWSError

DAY = 86400.0


def _code(call, *args, **kwargs):
    with pytest.raises(AWSError) as info:
        call(*args, **kwargs)
    return info.value.code


@pytest.fixture
def g(cloud):
    cloud.glacier.create_vault("v")
    return cloud.glacier


def _policy(cloud, effect, action, principal="*", condition=None):
    st = {"Sid": "s1", "Effect": effect, "Principal": principal, "Action": action,
          "Resource": f"arn:aws:glacier:us-east-1:{cloud.account_id}:vaults/v"}
    if condition:
        st["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def _retention(cloud, days=365):
    return _policy(cloud, "Deny", "glacier:DeleteArchive",
                   condition={"NumericLessThan": {"glacier:ArchiveAgeInDays": str(days)}})


# -- access policies -------------------------------------------------------------------------------

def test_access_policy_text_is_returned_unchanged(g, cloud):
    text = _policy(cloud, "Allow", "glacier:*", {"AWS": f"arn:aws:iam::{cloud.account_id}:root"})
    g.set_vault_access_policy("v", text)
    assert g.get_vault_access_policy("v") == text


def test_get_access_policy_when_none_is_not_found(g):
    assert _code(g.get_vault_access_policy, "v") == "ResourceNotFoundException"


def test_delete_access_policy_is_idempotent(g, cloud):
    g.set_vault_access_policy("v", _policy(cloud, "Allow", "glacier:*"))
    g.delete_vault_access_policy("v")
    g.delete_vault_access_policy("v")
    assert _code(g.get_vault_access_policy, "v") == "ResourceNotFoundException"


def test_malformed_access_policy_is_invalid_parameter(g):
    assert _code(g.set_vault_access_policy, "v", "{not json") == "InvalidParameterValueException"
    assert _code(g.set_vault_access_policy, "v", json.dumps(
        {"Statement": [{"Effect": "Allow", "Action": "glacier:*", "Resource": "*"}]})) == \
        "InvalidParameterValueException"  # a resource policy needs a Principal


def test_access_policy_deny_binds_the_root_user_too(g, cloud):
    a = g.upload_archive("v", b"keep me")
    g.set_vault_access_policy("v", _policy(cloud, "Deny", "glacier:DeleteArchive"))
    assert _code(g.delete_archive, "v", a.id) == "AccessDeniedException"
    assert a.id in g.vault("v").archives


def test_access_policy_deny_only_affects_named_actions(g, cloud):
    g.set_vault_access_policy("v", _policy(cloud, "Deny", "glacier:DeleteArchive"))
    assert g.upload_archive("v", b"fine").size == 4


def test_iam_user_without_permission_is_denied(g, cloud):
    bob = cloud.iam.create_user("bob")
    assert _code(cloud.as_principal(bob).glacier.describe_vault, "v") == "AccessDeniedException"


def test_access_policy_can_grant_an_iam_user(g, cloud):
    bob = cloud.iam.create_user("bob")
    g.set_vault_access_policy("v", _policy(cloud, "Allow", "glacier:UploadArchive", {"AWS": bob.arn}))
    assert cloud.as_principal(bob).glacier.upload_archive("v", b"from bob").size == 8
    assert _code(cloud.as_principal(bob).glacier.describe_vault, "v") == "AccessDeniedException"


def test_identity_policy_allows_but_vault_deny_wins(g, cloud):
    bob = cloud.iam.create_user("bob")
    cloud.iam.put_policy(bob, "all-glacier", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "glacier:*", "Resource": "*"}]})
    a = g.upload_archive("v", b"x")
    g.set_vault_access_policy("v", _policy(cloud, "Deny", "glacier:DeleteArchive"))
    assert cloud.as_principal(bob).glacier.describe_vault("v").name == "v"
    assert _code(cloud.as_principal(bob).glacier.delete_archive, "v", a.id) == "AccessDeniedException"


# -- vault lock -------------------------------------------------------------------------------------

def test_initiate_vault_lock_is_in_progress_for_24_hours(g, cloud):
    lock_id = g.initiate_vault_lock("v", _retention(cloud))
    lock = g.get_vault_lock("v")
    assert len(lock_id) == 24 and lock.state.value == "InProgress" and lock.expires == cloud.clock.now + DAY


def test_in_progress_lock_expires_after_24_hours(g, cloud):
    g.initiate_vault_lock("v", _retention(cloud))
    cloud.clock.advance(hours=24)
    assert _code(g.get_vault_lock, "v") == "ResourceNotFoundException"


def test_second_initiate_while_in_progress_is_access_denied(g, cloud):
    g.initiate_vault_lock("v", _retention(cloud))
    assert _code(g.initiate_vault_lock, "v", _retention(cloud)) == "AccessDeniedException"


def test_complete_with_wrong_lock_id_while_in_progress_is_invalid_parameter(g, cloud):
    g.initiate_vault_lock("v", _retention(cloud))
    assert _code(g.complete_vault_lock, "v", "wrong") == "InvalidParameterValueException"


def test_complete_locks_for_good(g, cloud):
    lock_id = g.initiate_vault_lock("v", _retention(cloud))
    g.complete_vault_lock("v", lock_id)
    cloud.clock.advance(days=2)
    lock = g.get_vault_lock("v")
    assert lock.state.value == "Locked" and lock.expires is None


def test_complete_again_with_same_id_is_idempotent_and_other_id_denied(g, cloud):
    lock_id = g.initiate_vault_lock("v", _retention(cloud))
    g.complete_vault_lock("v", lock_id)
    g.complete_vault_lock("v", lock_id)
    assert _code(g.complete_vault_lock, "v", "other") == "AccessDeniedException"


def test_locked_policy_cannot_be_aborted_or_replaced(g, cloud):
    lock_id = g.initiate_vault_lock("v", _retention(cloud))
    g.complete_vault_lock("v", lock_id)
    assert _code(g.abort_vault_lock, "v") == "AccessDeniedException"
    assert _code(g.initiate_vault_lock, "v", _retention(cloud, 1)) == "AccessDeniedException"


def test_complete_without_lock_is_invalid_parameter(g):
    assert _code(g.complete_vault_lock, "v", "anything") == "InvalidParameterValueException"


def test_abort_in_progress_lock_removes_it_and_is_idempotent(g, cloud):
    g.initiate_vault_lock("v", _retention(cloud))
    g.abort_vault_lock("v")
    g.abort_vault_lock("v")
    assert _code(g.get_vault_lock, "v") == "ResourceNotFoundException"


def test_in_progress_lock_is_already_enforced_for_testing(g, cloud):
    a = g.upload_archive("v", b"x")
    g.initiate_vault_lock("v", _retention(cloud))
    assert _code(g.delete_archive, "v", a.id) == "AccessDeniedException"


def test_locked_retention_blocks_young_archives_and_frees_old_ones(g, cloud):
    a = g.upload_archive("v", b"record")
    g.complete_vault_lock("v", g.initiate_vault_lock("v", _retention(cloud, 365)))
    cloud.clock.advance(days=364)
    assert _code(g.delete_archive, "v", a.id) == "AccessDeniedException"
    cloud.clock.advance(days=1)
    g.delete_archive("v", a.id)
    assert a.id not in g.vault("v").archives


def test_deleting_access_policy_leaves_lock_policy_in_force(g, cloud):
    a = g.upload_archive("v", b"x")
    g.set_vault_access_policy("v", _policy(cloud, "Allow", "glacier:*"))
    g.complete_vault_lock("v", g.initiate_vault_lock("v", _retention(cloud)))
    g.delete_vault_access_policy("v")
    assert _code(g.delete_archive, "v", a.id) == "AccessDeniedException"


def test_access_and_lock_policies_with_same_sid_combine(g, cloud):
    a = g.upload_archive("v", b"x")
    g.set_vault_access_policy("v", _policy(cloud, "Allow", "glacier:*"))
    g.initiate_vault_lock("v", _retention(cloud))
    assert _code(g.delete_archive, "v", a.id) == "AccessDeniedException"
