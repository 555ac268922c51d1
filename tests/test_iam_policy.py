"""The policy language and AWS's evaluation rules, on hand-written policies."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awskit.core.errors import AWSError
from awskit.iam.policy import PolicyKind, evaluate, parse_policy

V = "2012-10-17"


def doc(*statements, version=V):
    return {"Version": version, "Statement": list(statements)}


def allow(action="*", resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="*", resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def decide(statements, action="s3:GetObject", resource="arn:aws:s3:::b/k", context=None):
    return evaluate([doc(*statements)], action, resource, context).decision


# -- the three outcomes ------------------------------------------------------------

def test_no_policy_is_an_implicit_deny():
    assert evaluate([], "s3:GetObject", "arn:aws:s3:::b/k").decision == "implicitDeny"


def test_matching_allow_allows():
    assert decide([allow("s3:GetObject")]) == "allowed"


def test_explicit_deny_beats_allow():
    assert decide([allow("s3:*"), deny("s3:GetObject")]) == "explicitDeny"


def test_deny_in_a_second_policy_beats_allow_in_the_first():
    d = evaluate([doc(allow()), doc(deny("s3:GetObject"))], "s3:GetObject", "arn:aws:s3:::b/k")
    assert d.decision == "explicitDeny" and not d.allowed


def test_allow_for_another_action_is_an_implicit_deny():
    assert decide([allow("s3:PutObject")]) == "implicitDeny"


def test_matched_statements_name_policy_and_index():
    d = evaluate([("mine", "user", doc(allow("ec2:*"), allow("s3:Get*")))], "s3:GetObject", "*")
    assert [(m.policy_id, m.index) for m in d.matched_statements] == [("mine", 1)]


# -- actions ---------------------------------------------------------------------------

def test_action_wildcard_star():
    assert decide([allow("s3:Get*")]) == "allowed"


def test_action_wildcard_question_mark_matches_one_character():
    assert decide([allow("s3:GetObjec?")]) == "allowed"
    assert decide([allow("s3:GetObj?")]) == "implicitDeny"


def test_actions_compare_case_insensitively():
    assert decide([allow("S3:getobject")]) == "allowed"


def test_action_list_matches_any_member():
    assert decide([allow(["ec2:RunInstances", "s3:GetObject"])]) == "allowed"


def test_not_action_allows_everything_else():
    st_ = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert decide([st_], "s3:GetObject") == "allowed"
    assert decide([st_], "iam:CreateUser") == "implicitDeny"


def test_deny_with_not_action_denies_everything_but_listed():
    statements = [allow(), {"Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*"}]
    assert decide(statements, "iam:ChangePassword", "*") == "allowed"
    assert decide(statements, "s3:GetObject") == "explicitDeny"


# -- resources -------------------------------------------------------------------------

def test_resource_wildcard_matches_keys_under_prefix():
    assert decide([allow(resource="arn:aws:s3:::b/*")]) == "allowed"


def test_resources_compare_case_sensitively():
    assert decide([allow(resource="arn:aws:s3:::B/*")]) == "implicitDeny"


def test_resource_star_does_not_cross_arn_segments():
    assert decide([allow(resource="arn:aws:s3:*")], resource="arn:aws:s3:::b/k") == "allowed"
    assert decide([allow(resource="arn:aws:iam::*:user/bob")],
                  resource="arn:aws:iam::123456789012:user/alice") == "implicitDeny"


def test_not_resource_applies_to_other_resources():
    statements = [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}]
    assert decide(statements, resource="arn:aws:s3:::public/x") == "allowed"
    assert decide(statements, resource="arn:aws:s3:::secret/x") == "implicitDeny"


def test_brackets_in_resources_are_literal():
    assert decide([allow(resource="arn:aws:s3:::b/[a]")], resource="arn:aws:s3:::b/a") == "implicitDeny"


# -- policy variables --------------------------------------------------------------------

def test_username_variable_scopes_a_home_folder():
    statements = [allow("s3:*", "arn:aws:s3:::home/${aws:username}/*")]
    ctx = {"aws:username": "alice"}
    assert decide(statements, resource="arn:aws:s3:::home/alice/a.txt", context=ctx) == "allowed"
    assert decide(statements, resource="arn:aws:s3:::home/bob/a.txt", context=ctx) == "implicitDeny"


def test_variable_without_a_value_does_not_match():
    assert decide([allow("s3:*", "arn:aws:s3:::home/${aws:username}/*")],
                  resource="arn:aws:s3:::home/alice/a") == "implicitDeny"


def test_variables_are_literal_in_2008_version_documents():
    d = evaluate([doc(allow("s3:*", "arn:aws:s3:::h/${aws:username}"), version="2008-10-17")],
                 "s3:GetObject", "arn:aws:s3:::h/${aws:username}", {"aws:username": "alice"})
    assert d.decision == "allowed"


def test_variable_default_value_is_used_when_key_missing():
    statements = [allow("s3:*", "arn:aws:s3:::h/${aws:username, 'guest'}/*")]
    assert decide(statements, resource="arn:aws:s3:::h/guest/x") == "allowed"


def test_variables_work_in_condition_values():
    statements = [allow("s3:ListBucket", "*", Condition={"StringLike": {"s3:prefix": "home/${aws:username}/*"}})]
    assert decide(statements, "s3:ListBucket", "*", {"s3:prefix": "home/ann/docs", "aws:username": "ann"}) == "allowed"
    assert decide(statements, "s3:ListBucket", "*", {"s3:prefix": "home/bob/docs", "aws:username": "ann"}) == "implicitDeny"


# -- conditions ---------------------------------------------------------------------------

def cond(block, context, action="s3:GetObject"):
    return decide([allow(Condition=block)], action, context=context)


def test_string_equals_is_case_sensitive():
    assert cond({"StringEquals": {"aws:username": "alice"}}, {"aws:username": "alice"}) == "allowed"
    assert cond({"StringEquals": {"aws:username": "alice"}}, {"aws:username": "Alice"}) == "implicitDeny"


def test_condition_key_names_are_case_insensitive():
    assert cond({"StringEquals": {"AWS:UserName": "alice"}}, {"aws:username": "alice"}) == "allowed"


def test_string_equals_ignore_case():
    assert cond({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}, {"aws:username": "alice"}) == "allowed"


def test_string_like_wildcards():
    assert cond({"StringLike": {"s3:prefix": "photos/*"}}, {"s3:prefix": "photos/2024/a"}) == "allowed"
    assert cond({"StringLike": {"s3:prefix": "photos/*"}}, {"s3:prefix": "docs/a"}) == "implicitDeny"


def test_several_values_for_one_key_are_ored():
    assert cond({"StringEquals": {"aws:username": ["bob", "alice"]}}, {"aws:username": "alice"}) == "allowed"


def test_several_keys_and_operators_are_anded():
    block = {"StringEquals": {"aws:username": "alice"}, "Bool": {"aws:SecureTransport": "true"}}
    assert cond(block, {"aws:username": "alice", "aws:SecureTransport": True}) == "allowed"
    assert cond(block, {"aws:username": "alice", "aws:SecureTransport": False}) == "implicitDeny"


def test_string_not_equals_matches_none_of_the_values():
    block = {"StringNotEquals": {"aws:username": ["bob", "carol"]}}
    assert cond(block, {"aws:username": "alice"}) == "allowed"
    assert cond(block, {"aws:username": "carol"}) == "implicitDeny"


def test_missing_key_fails_a_positive_operator():
    assert cond({"StringEquals": {"aws:username": "alice"}}, {}) == "implicitDeny"


def test_missing_key_passes_a_negated_operator():
    assert cond({"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}, {}) == "allowed"


def test_if_exists_passes_when_the_key_is_missing():
    assert cond({"StringEqualsIfExists": {"ec2:InstanceType": "t3.micro"}}, {}) == "allowed"
    assert cond({"StringEqualsIfExists": {"ec2:InstanceType": "t3.micro"}},
                {"ec2:InstanceType": "m5.large"}) == "implicitDeny"


def test_ip_address_checks_the_cidr():
    block = {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    assert cond(block, {"aws:SourceIp": "203.0.113.9"}) == "allowed"
    assert cond(block, {"aws:SourceIp": "198.51.100.9"}) == "implicitDeny"


def test_not_ip_address_deny_blocks_outsiders():
    statements = [allow(), deny(Condition={"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}})]
    assert decide(statements, context={"aws:SourceIp": "10.1.2.3"}) == "allowed"
    assert decide(statements, context={"aws:SourceIp": "8.8.8.8"}) == "explicitDeny"


def test_bool_secure_transport_deny():
    statements = [allow(), deny(Condition={"Bool": {"aws:SecureTransport": "false"}})]
    assert decide(statements, context={"aws:SecureTransport": False}) == "explicitDeny"
    assert decide(statements, context={"aws:SecureTransport": True}) == "allowed"


def test_mfa_bool_if_exists_denies_only_sessions_without_mfa():
    statements = [allow(), deny(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})]
    assert decide(statements, context={"aws:MultiFactorAuthPresent": False}) == "explicitDeny"
    assert decide(statements, context={}) == "explicitDeny"  # IfExists: a missing key passes the test
    assert decide(statements, context={"aws:MultiFactorAuthPresent": True}) == "allowed"


@pytest.mark.parametrize("op,limit,ok", [("NumericLessThan", "10", True), ("NumericLessThan", "5", False),
                                         ("NumericLessThanEquals", "5", False), ("NumericGreaterThan", "4", True),
                                         ("NumericGreaterThanEquals", "6", True), ("NumericEquals", "6", True),
                                         ("NumericNotEquals", "6", False)])
def test_numeric_operators(op, limit, ok):
    assert (cond({op: {"s3:max-keys": limit}}, {"s3:max-keys": "6"}) == "allowed") is ok


def test_numeric_value_that_is_not_a_number_does_not_match():
    assert cond({"NumericLessThan": {"s3:max-keys": "10"}}, {"s3:max-keys": "many"}) == "implicitDeny"


def test_date_operators_use_the_current_time():
    block = {"DateLessThan": {"aws:CurrentTime": "2026-02-01T00:00:00Z"}}
    assert cond(block, {"aws:CurrentTime": "2026-01-05T09:00:00Z"}) == "allowed"
    assert cond(block, {"aws:CurrentTime": "2026-03-01T00:00:00Z"}) == "implicitDeny"
    assert cond({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}},
                {"aws:CurrentTime": "2026-01-05T09:00:00Z"}) == "allowed"


def test_arn_like_compares_arns():
    block = {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:123456789012:alerts-*"}}
    assert cond(block, {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:alerts-ops"}) == "allowed"
    assert cond(block, {"aws:SourceArn": "arn:aws:sns:us-east-1:999999999999:alerts-ops"}) == "implicitDeny"


def test_null_checks_for_presence():
    assert cond({"Null": {"aws:TokenIssueTime": "true"}}, {}) == "allowed"
    assert cond({"Null": {"aws:TokenIssueTime": "false"}}, {}) == "implicitDeny"


def test_for_any_value_needs_one_match():
    block = {"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}}
    assert cond(block, {"aws:TagKeys": ["owner", "env"]}) == "allowed"
    assert cond(block, {"aws:TagKeys": ["owner"]}) == "implicitDeny"
    assert cond(block, {}) == "implicitDeny"


def test_for_all_values_needs_every_value_to_match():
    block = {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}
    assert cond(block, {"aws:TagKeys": ["env", "team"]}) == "allowed"
    assert cond(block, {"aws:TagKeys": ["env", "owner"]}) == "implicitDeny"
    assert cond(block, {}) == "allowed"  # every one of no values matches: a known trap


# -- principals in resource policies -------------------------------------------------------

def test_resource_policy_applies_only_to_the_named_principal():
    bucket = {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/a"},
                                           "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
    a = {"arn": "arn:aws:iam::111122223333:user/a", "account": "111122223333"}
    b = {"arn": "arn:aws:iam::111122223333:user/b", "account": "111122223333"}
    assert evaluate([bucket], "s3:GetObject", "arn:aws:s3:::b/k", principal=a).allowed
    assert not evaluate([bucket], "s3:GetObject", "arn:aws:s3:::b/k", principal=b).allowed


# -- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [
    "{not json",
    "[]",
    {"Version": V},
    {"Version": V, "Statement": []},
    {"Version": "2020-01-01", "Statement": [allow()]},
    {"Statement": [allow()]},
    doc({"Effect": "allow", "Action": "*", "Resource": "*"}),
    doc({"Effect": "Allow", "Resource": "*"}),
    doc({"Effect": "Allow", "Action": "*"}),
    doc({"Effect": "Allow", "Action": "GetObject", "Resource": "*"}),
    doc({"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}),
    doc(allow(Condition={"StringSortOf": {"aws:username": "a"}})),
    doc(allow(Principal="*")),
    doc(allow(Sid="same"), allow(Sid="same")),
    doc(allow(Colour="blue")),
    doc(allow(Condition={"DateLessThan": {"aws:CurrentTime": "next tuesday"}})),
])
def test_malformed_identity_policies_are_rejected(bad):
    with pytest.raises(AWSError) as err:
        parse_policy(bad)
    assert err.value.code == "MalformedPolicyDocument"


def test_statement_may_be_a_single_object():
    p = parse_policy({"Version": V, "Statement": allow()})
    assert len(p.statements) == 1


def test_trust_policy_may_not_have_a_resource():
    with pytest.raises(AWSError) as err:
        parse_policy(doc(allow("sts:AssumeRole", Principal={"Service": "ec2.amazonaws.com"})), PolicyKind.TRUST)
    assert err.value.code == "MalformedPolicyDocument"


def test_trust_policy_needs_a_principal():
    with pytest.raises(AWSError) as err:
        parse_policy(doc({"Effect": "Allow", "Action": "sts:AssumeRole"}), PolicyKind.TRUST)
    assert err.value.code == "MalformedPolicyDocument"


def test_trust_policy_accepts_the_2008_version():
    p = parse_policy({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service":
                      "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, PolicyKind.TRUST)
    assert p.version == "2008-10-17"


def test_policy_text_is_kept_as_given():
    text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    assert parse_policy(text).text == text


def test_evaluate_rejects_a_non_string_action():
    with pytest.raises(AWSError) as err:
        evaluate([doc(allow())], None, "*")
    assert err.value.code == "InvalidInput"


# -- properties ---------------------------------------------------------------------------------

actions = st.sampled_from(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "iam:CreateUser"])
patterns = st.sampled_from(["*", "s3:*", "s3:Get*", "s3:?utObject", "ec2:*", "iam:Create*", "S3:LIST*"])
resources = st.sampled_from(["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b", "arn:aws:s3:::other/*"])
statement = st.builds(lambda e, a, r: {"Effect": e, "Action": a, "Resource": r},
                      st.sampled_from(["Allow", "Deny"]), patterns, resources)
request_resources = st.sampled_from(["arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:s3:::other/x"])


@settings(max_examples=150, deadline=None)
@given(st.lists(statement, min_size=1, max_size=5), statement, actions, request_resources)
def test_adding_a_deny_never_turns_a_denied_request_allowed(statements, extra, action, resource):
    before = evaluate([doc(*statements)], action, resource)
    extra = {**extra, "Effect": "Deny"}
    after = evaluate([doc(*statements, extra)], action, resource)
    assert before.allowed or not after.allowed


@settings(max_examples=150, deadline=None)
@given(st.lists(statement, min_size=1, max_size=5), statement, actions, request_resources)
def test_adding_an_allow_never_overrides_an_explicit_deny(statements, extra, action, resource):
    before = evaluate([doc(*statements)], action, resource)
    after = evaluate([doc(*statements, {**extra, "Effect": "Allow"})], action, resource)
    if before.decision == "explicitDeny":
        assert after.decision == "explicitDeny"
