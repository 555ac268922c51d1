"""Security groups (chapter 3): allow-only, stateful firewalls on network interfaces."""

import pytest

import awskit.security
from awskit import AWSError
from awskit.security import RULES_PER_DIRECTION, Direction


def code(fn, *args, **kwargs) -> str:
    with pytest.raises(AWSError) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.fixture
def svc(cloud):
    return cloud.vpc


@pytest.fixture
def vpc(svc):
    return svc.create_vpc("10.0.0.0/16")


@pytest.fixture
def web(svc, vpc):
    return svc.create_security_group(vpc, "web", "web servers")


def tcp_in(svc, sg, port, **peer):
    return svc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=port, to_port=port, **peer)


def test_all_names_resolve():
    for name in awskit.security.__all__:
        assert getattr(awskit.security, name) is not None


def test_new_group_allows_all_outbound_nothing_inbound(web):
    assert web.ingress == []
    assert web.allows("egress", port=443, protocol="tcp", peer_ip="8.8.8.8") is web.egress[0]
    assert web.allows("ingress", port=443, protocol="tcp", peer_ip="8.8.8.8") is None


def test_group_ids_and_arn(cloud, web):
    assert web.id.startswith("sg-0") and len(web.id) == 20
    assert web.arn == f"arn:aws:ec2:us-east-1:{cloud.account_id}:security-group/{web.id}"


def test_group_defaults_to_default_vpc(svc):
    assert svc.create_security_group(None, "x", "y").vpc is svc.default_vpc


def test_default_group_allows_its_members(vpc):
    sg = vpc.default_security_group
    assert sg.allows("ingress", port=22, protocol="tcp", peer_groups=[sg]) is not None
    assert sg.allows("ingress", port=22, protocol="tcp", peer_ip="10.0.0.5") is None


def test_duplicate_name_in_vpc(svc, vpc, web):
    assert code(svc.create_security_group, vpc, "web", "again") == "InvalidGroup.Duplicate"


def test_same_name_in_other_vpc_is_fine(svc, web):
    assert svc.create_security_group(svc.default_vpc, "web", "other").group_name == "web"


def test_name_default_is_reserved(svc, vpc):
    assert code(svc.create_security_group, vpc, "default", "mine") == "InvalidGroup.Reserved"


@pytest.mark.parametrize("name", ["sg-web", "", "x" * 256, "web\u00e9", 7])
def test_invalid_group_names(svc, vpc, name):
    assert code(svc.create_security_group, vpc, name, "d") == "InvalidParameterValue"


def test_description_limit(svc, vpc):
    assert code(svc.create_security_group, vpc, "ok", "d" * 256) == "InvalidParameterValue"


def test_group_by_name(svc, vpc, web):
    assert svc.security_group_by_name(vpc, "web") is web
    assert code(svc.security_group_by_name, vpc, "nope") == "InvalidGroup.NotFound"


def test_get_group_malformed_and_missing(svc):
    assert code(svc.get_security_group, "sg-xyz") == "InvalidGroupId.Malformed"
    assert code(svc.get_security_group, "sg-0123456789abcdef0") == "InvalidGroup.NotFound"


def test_authorize_cidr_rule(svc, web):
    rule = tcp_in(svc, web, 443, cidr_ip="0.0.0.0/0")
    assert rule.id.startswith("sgr-") and rule.direction is Direction.INGRESS
    assert web.allows("ingress", port=443, protocol="tcp", peer_ip="198.51.100.1") is rule


def test_rule_port_range(svc, web):
    svc.authorize_security_group_ingress(web, ip_protocol="tcp", from_port=8000, to_port=8080,
                                         cidr_ip="10.0.0.0/8")
    assert web.allows("ingress", port=8080, protocol="tcp", peer_ip="10.1.1.1")
    assert web.allows("ingress", port=8081, protocol="tcp", peer_ip="10.1.1.1") is None


def test_rule_cidr_limits_peer(svc, web):
    tcp_in(svc, web, 22, cidr_ip="203.0.113.0/24")
    assert web.allows("ingress", port=22, protocol="tcp", peer_ip="203.0.114.1") is None


def test_rule_protocol_must_match(svc, web):
    tcp_in(svc, web, 53, cidr_ip="0.0.0.0/0")
    assert web.allows("ingress", port=53, protocol="udp", peer_ip="1.1.1.1") is None


def test_protocol_number_means_same_as_name(svc, web):
    svc.authorize_security_group_ingress(web, ip_protocol="6", from_port=80, to_port=80, cidr_ip="0.0.0.0/0")
    assert web.ingress[0].ip_protocol == "tcp"
    assert code(tcp_in, svc, web, 80, cidr_ip="0.0.0.0/0") == "InvalidPermission.Duplicate"


def test_all_protocols_rule_ignores_ports(svc, web):
    rule = svc.authorize_security_group_ingress(web, ip_protocol="-1", cidr_ip="10.0.0.0/16")
    assert (rule.from_port, rule.to_port) == (-1, -1)
    assert web.allows("ingress", port=5432, protocol="tcp", peer_ip="10.0.3.3") is rule


def test_icmp_rule_by_type(svc, web):
    svc.authorize_security_group_ingress(web, ip_protocol="icmp", from_port=8, to_port=-1, cidr_ip="0.0.0.0/0")
    assert web.allows("ingress", port=8, protocol="icmp", peer_ip="1.1.1.1")
    assert web.allows("ingress", port=0, protocol="icmp", peer_ip="1.1.1.1") is None


def test_icmp_all_types_needs_all_codes(svc, web):
    assert code(svc.authorize_security_group_ingress, web, ip_protocol="icmp", from_port=-1, to_port=3,
                cidr_ip="0.0.0.0/0") == "InvalidParameterValue"


def test_source_group_rule_matches_member(svc, vpc, web):
    db = svc.create_security_group(vpc, "db", "databases")
    rule = svc.authorize_security_group_ingress(db, ip_protocol="tcp", from_port=5432, to_port=5432,
                                                source_group=web)
    assert db.allows("ingress", port=5432, protocol="tcp", peer_groups=[web.id]) is rule
    assert db.allows("ingress", port=5432, protocol="tcp", peer_ip="10.0.0.9") is None


def test_source_group_in_other_vpc(svc, web):
    other = svc.create_security_group(svc.default_vpc, "x", "y")
    assert code(tcp_in, svc, web, 22, source_group=other) == "InvalidGroup.NotFound"


def test_missing_source_group(svc, web):
    assert code(tcp_in, svc, web, 22, source_group="sg-0123456789abcdef0") == "InvalidGroup.NotFound"


def test_rule_needs_a_peer(svc, web):
    assert code(tcp_in, svc, web, 22) == "MissingParameter"


def test_rule_with_two_peers(svc, web):
    assert code(tcp_in, svc, web, 22, cidr_ip="0.0.0.0/0", source_group=web) == "InvalidParameterCombination"


@pytest.mark.parametrize("lo,hi", [(None, 80), (80, None), (-1, 80), (0, 65536), (90, 80), ("80", 80)])
def test_bad_tcp_ports(svc, web, lo, hi):
    assert code(svc.authorize_security_group_ingress, web, ip_protocol="tcp", from_port=lo, to_port=hi,
                cidr_ip="0.0.0.0/0") == "InvalidParameterValue"


def test_bad_protocol(svc, web):
    assert code(svc.authorize_security_group_ingress, web, ip_protocol="http", from_port=80, to_port=80,
                cidr_ip="0.0.0.0/0") == "InvalidParameterValue"


def test_bad_rule_cidr(svc, web):
    assert code(tcp_in, svc, web, 22, cidr_ip="10.0.0.5/24") == "InvalidParameterValue"


def test_duplicate_rule(svc, web):
    tcp_in(svc, web, 22, cidr_ip="10.0.0.0/16")
    assert code(tcp_in, svc, web, 22, cidr_ip="10.0.0.0/16") == "InvalidPermission.Duplicate"


def test_default_egress_rule_is_a_duplicate(svc, web):
    assert code(svc.authorize_security_group_egress, web, ip_protocol="-1", cidr_ip="0.0.0.0/0") == \
        "InvalidPermission.Duplicate"


def test_inbound_rule_limit(svc, web):
    for port in range(RULES_PER_DIRECTION):
        tcp_in(svc, web, 1000 + port, cidr_ip="0.0.0.0/0")
    assert code(tcp_in, svc, web, 22, cidr_ip="0.0.0.0/0") == "RulesPerSecurityGroupLimitExceeded"


def test_outbound_limit_counts_separately(svc, web):
    for port in range(RULES_PER_DIRECTION):
        tcp_in(svc, web, 1000 + port, cidr_ip="0.0.0.0/0")
    assert svc.authorize_security_group_egress(web, ip_protocol="tcp", from_port=443, to_port=443,
                                               cidr_ip="10.0.0.0/8")


def test_revoke_rule_by_fields(svc, web):
    tcp_in(svc, web, 22, cidr_ip="10.0.0.0/16")
    svc.revoke_security_group_ingress(web, ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="10.0.0.0/16")
    assert web.ingress == []


def test_revoke_rule_by_id(svc, web):
    svc.revoke_security_group_egress(web, security_group_rule_id=web.egress[0].id)
    assert web.allows("egress", port=443, protocol="tcp", peer_ip="8.8.8.8") is None


def test_revoke_missing_rule(svc, web):
    assert code(svc.revoke_security_group_ingress, web, ip_protocol="tcp", from_port=22, to_port=22,
                cidr_ip="10.0.0.0/16") == "InvalidPermission.NotFound"


def test_delete_group(svc, web):
    svc.delete_security_group(web.id)
    assert web not in svc.security_groups


def test_default_group_cannot_be_deleted(svc, vpc):
    assert code(svc.delete_security_group, vpc.default_security_group) == "CannotDelete"


def test_group_on_interface_cannot_be_deleted(svc, vpc, web):
    subnet = svc.create_subnet(vpc, "10.0.0.0/24")
    svc.create_network_interface(subnet, groups=[web])
    assert code(svc.delete_security_group, web) == "DependencyViolation"


def test_referenced_group_cannot_be_deleted(svc, vpc, web):
    db = svc.create_security_group(vpc, "db", "databases")
    svc.authorize_security_group_ingress(db, ip_protocol="tcp", from_port=5432, to_port=5432, source_group=web)
    assert code(svc.delete_security_group, web) == "DependencyViolation"


def test_self_referencing_group_can_be_deleted(svc, web):
    svc.authorize_security_group_ingress(web, ip_protocol="-1", source_group=web)
    svc.delete_security_group(web)
    assert web not in svc.security_groups


def test_bad_direction_is_rejected(web):
    assert code(web.allows, "sideways", port=22, protocol="tcp") == "InvalidParameterValue"


def test_rule_events(cloud, svc, web):
    seen = []
    cloud.events.subscribe("vpc.security_group.*", lambda m: seen.append(m.topic))
    tcp_in(svc, web, 22, cidr_ip="10.0.0.0/16")
    svc.revoke_security_group_ingress(web, ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="10.0.0.0/16")
    assert seen == ["vpc.security_group.rule_added", "vpc.security_group.rule_removed"]


def test_security_module_imports_first():
    import subprocess
    import sys

    script = "import awskit.security, awskit.vpc; print(awskit.vpc.VPCService.__name__)"
    out = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True)
    assert out.stdout.strip() == "VPCService", out.stderr


# -- batches (one AuthorizeSecurityGroupIngress/RevokeSecurityGroupIngress call) -------------------

def _https(cidr):
    return {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ip": cidr}


def test_authorize_rules_adds_every_rule(svc, web):
    rules = svc.authorize_security_group_rules(web, "ingress", [_https("10.0.0.0/8"), _https("192.168.0.0/16")])
    assert web.ingress == rules and len(rules) == 2


def test_authorize_rules_adds_none_when_one_is_a_duplicate(svc, web):
    tcp_in(svc, web, 443, cidr_ip="10.0.0.0/8")
    assert code(svc.authorize_security_group_rules, web, "ingress",
                [_https("172.16.0.0/12"), _https("10.0.0.0/8")]) == "InvalidPermission.Duplicate"
    assert len(web.ingress) == 1


def test_authorize_rules_rejects_the_same_rule_twice_in_one_call(svc, web):
    assert code(svc.authorize_security_group_rules, web, "ingress",
                [_https("10.0.0.0/8"), _https("10.0.0.0/8")]) == "InvalidPermission.Duplicate"
    assert web.ingress == []


def test_authorize_rules_checks_the_limit_for_the_whole_batch(svc, web):
    batch = [_https(f"10.{i}.0.0/16") for i in range(RULES_PER_DIRECTION + 1)]
    assert code(svc.authorize_security_group_rules, web, "ingress", batch) == "RulesPerSecurityGroupLimitExceeded"
    assert web.ingress == []


def test_authorize_rules_rejects_unknown_keys(svc, web):
    assert code(svc.authorize_security_group_rules, web, "ingress",
                [{**_https("10.0.0.0/8"), "port": 443}]) == "InvalidParameterValue"


def test_revoke_rules_by_fields_and_id(svc, web):
    a, b = svc.authorize_security_group_rules(web, "ingress", [_https("10.0.0.0/8"), _https("192.168.0.0/16")])
    gone = svc.revoke_security_group_rules(web, "ingress", [_https("10.0.0.0/8")], [b.id])
    assert gone == [a, b] and web.ingress == []


def test_revoke_rules_removes_none_when_one_is_missing(svc, web):
    tcp_in(svc, web, 443, cidr_ip="10.0.0.0/8")
    assert code(svc.revoke_security_group_rules, web, "ingress",
                [_https("10.0.0.0/8"), _https("172.16.0.0/12")]) == "InvalidPermission.NotFound"
    assert len(web.ingress) == 1


def test_revoke_rules_unknown_rule_id(svc, web):
    assert code(svc.revoke_security_group_rules, web, "egress", rule_ids=["sgr-0123456789abcdef0"]) == \
        "InvalidSecurityGroupRuleId.NotFound"


def test_revoke_rules_needs_something_to_revoke(svc, web):
    assert code(svc.revoke_security_group_rules, web, "ingress") == "MissingParameter"
