"""The Trusted Advisor dashboard, driven in plain Python."""

import pytest

pytest.importorskip("ipywidgets")

from awskit.widgets import TrustedAdvisorDashboard


@pytest.fixture
def sloppy(cloud):
    sg = cloud.vpc.create_security_group(None, "ssh", "ssh from anywhere")
    cloud.vpc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="0.0.0.0/0")
    cloud.ec2.allocate_address()
    dash = TrustedAdvisorDashboard(cloud)
    yield cloud, sg, dash
    dash.close()


def test_header_counts_checks_by_category_and_status(sloppy):
    cloud, _, dash = sloppy
    assert dash.summary == cloud.trusted_advisor.summary() and dash.summary["security"]["error"] >= 2


def test_savings_total_is_shown(sloppy):
    _, _, dash = sloppy
    assert dash.savings == pytest.approx(3.65) and "$3.65" in dash.header.value


def test_selecting_a_check_shows_its_flagged_resources(sloppy):
    _, sg, dash = sloppy
    dash.select_check("Security Groups - Unrestricted Access")
    assert sg.id in dash.table.value and dash.check.check.id == "1iG5NDGVre"


def test_fix_button_applies_the_fix_with_the_admin_cidr(sloppy):
    _, sg, dash = sloppy
    dash.select_check("1iG5NDGVre")
    dash.fix_argument.value = "198.51.100.0/24"
    dash.fix_button.click()
    assert [str(r.cidr_ip) for r in sg.ingress] == ["198.51.100.0/24"] and dash.check.status == "ok"


def test_a_refused_fix_is_shown_not_raised(sloppy):
    _, _, dash = sloppy
    dash.select_check("1iG5NDGVre")
    dash.fix_argument.value = "not-a-cidr"
    dash.fix_button.click()
    assert dash.last_error.code == "InvalidParameterValue" and "Error" in dash.status.value


def test_refresh_button_picks_up_changes_made_elsewhere(sloppy):
    cloud, _, dash = sloppy
    cloud.iam.enable_root_mfa()
    before = dash.summary["security"]["error"]
    dash.refresh_button.click()
    assert dash.summary["security"]["error"] == before - 1


def test_check_without_fixable_findings_disables_fix(sloppy):
    _, _, dash = sloppy
    dash.select_check("VPC")
    assert dash.fix_button.disabled and dash.finding is None


def test_redraw_is_fast(sloppy):
    _, _, dash = sloppy
    dash.redraw()
    assert dash.last_redraw_ms < 100
