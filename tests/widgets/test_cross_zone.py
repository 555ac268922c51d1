"""The chapter 6 cross-zone view, driven in plain Python: sliders, toggles, shares."""

import time

import pytest

from awskit.widgets import CrossZoneView
from awskit.widgets.cross_zone import expected_shares

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def view(cloud):
    v = CrossZoneView(cloud, a=2, b=8)
    yield v
    v.close()


def _by_zone(view):
    out = {}
    for zone in view.zones:
        ids = [i.id for i in view.pool[zone][: view.counts[zone].value]]
        out[zone] = sorted({round(view.shares[i], 6) for i in ids})
    return out


def test_cross_zone_off_gives_25_and_6_25_percent(view):
    view.cross_zone.value = False
    assert _by_zone(view) == {"us-east-1a": [0.25], "us-east-1b": [0.0625]}
    assert view.expected == {"us-east-1a": 0.25, "us-east-1b": 0.0625}


def test_cross_zone_on_gives_10_percent_each(view):
    view.cross_zone.value = True
    assert _by_zone(view) == {"us-east-1a": [0.1], "us-east-1b": [0.1]}
    assert view.per_az == {"us-east-1a": pytest.approx(0.2), "us-east-1b": pytest.approx(0.8)}


def test_classic_balancer_gives_the_same_shares(view):
    view.kind.value = "classic"
    view.cross_zone.value = False
    assert _by_zone(view) == {"us-east-1a": [0.25], "us-east-1b": [0.0625]}
    view.cross_zone.value = True
    assert _by_zone(view) == {"us-east-1a": [0.1], "us-east-1b": [0.1]}


def test_moving_a_slider_registers_and_deregisters_instances(view):
    view.counts["us-east-1b"].value = 3
    assert len(view.group.targets) == 5 and len(view.classic.instances) == 5
    assert len(view.shares) == 5
    view.counts["us-east-1a"].value = 4
    assert len(view.shares) == 7


def test_shares_add_up_to_one(view):
    for on in (False, True):
        view.cross_zone.value = on
        assert sum(view.shares.values()) == pytest.approx(1.0)


def test_summary_prints_the_expected_shares(view):
    view.cross_zone.value = False
    assert "25.00%" in view.summary.value and "6.25%" in view.summary.value
    view.cross_zone.value = True
    assert "10.00%" in view.summary.value


def test_the_chart_is_a_png(view):
    assert bytes(view.image.value).startswith(PNG)


def test_the_students_cloud_is_untouched(cloud, view):
    assert cloud.clock.now == 0 and cloud.elb.load_balancers == []


def test_expected_shares_leave_an_empty_zone_out():
    assert expected_shares({"a": 0, "b": 4}, cross_zone=False) == {"a": 0.0, "b": 0.25}


def test_bad_counts_are_rejected(cloud):
    with pytest.raises(Exception) as err:
        CrossZoneView(cloud, a=0)
    assert err.value.code == "InvalidParameterValue"


def test_redraw_timings(view):
    timings = []
    for a, b in ((2, 8), (3, 5), (8, 1), (2, 8)):
        view.counts["us-east-1a"].value = a
        view.counts["us-east-1b"].value = b
        timings.append(view.last_redraw_ms)
    start = time.perf_counter()
    view.cross_zone.value = not view.cross_zone.value
    toggle = (time.perf_counter() - start) * 1000
    print("CrossZoneView redraws (ms):", [round(t, 1) for t in timings], "toggle:", round(toggle, 1))
    assert view.redraw_count >= 5
