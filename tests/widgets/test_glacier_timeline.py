"""The chapter 10 Glacier job timeline, driven in plain Python (no kernel)."""

import pytest

from awskit import AWSError
from awskit.widgets import JobTimeline

PNG = b"\x89PNG\r\n\x1a\n"
#: pixels of a chart redrawn step by step and of a fresh one differ by at most this much: text
#: pasted from a kept tile is blended twice, a few levels on glyph edges; anything stale (a tick
#: label, even a faint grid line) differs by far more
SAME = 10


@pytest.fixture
def glacier(cloud):
    cloud.glacier.create_vault("photos")
    cloud.glacier.upload_archive("photos", b"cat picture", description="cat.jpg")
    return cloud.glacier


@pytest.fixture
def view(cloud, glacier):
    widget = JobTimeline(cloud, "photos")
    yield widget
    widget.close()


def test_dropdown_lists_the_vaults_archives(glacier, view):
    ids = [value for _, value in view.archive.options]
    assert ids == list(glacier.vault("photos").archives)
    assert view.archive.value == ids[0]


def test_a_tier_button_starts_a_job_in_that_tier(glacier, view):
    view.tier_buttons["Bulk"].click()
    assert [(r["tier"], r["status"]) for r in view.rows] == [("Bulk", "InProgress")]
    assert [j.tier.value for j in glacier.vault("photos").jobs.values()] == ["Bulk"]


def test_expedited_finishes_within_five_minutes(view):
    view.tier_buttons["Expedited"].click()
    for _ in range(5):
        view.step_buttons["+1 min"].click()
    assert view.rows[0]["status"] == "Succeeded"
    assert view.rows[0]["ready"] is True


def test_standard_is_still_running_after_one_hour_and_done_after_six(view):
    view.tier_buttons["Standard"].click()
    view.step_buttons["+1 h"].click()
    assert view.rows[0]["status"] == "InProgress"
    assert view.rows[0]["ready"] is False
    view.step_buttons["+6 h"].click()
    assert view.rows[0]["status"] == "Succeeded"


def test_tiers_finish_in_their_order(view):
    for tier in ("Bulk", "Standard", "Expedited"):
        view.tier_buttons[tier].click()
    view.step_buttons["+6 h"].click()
    view.step_buttons["+6 h"].click()
    finish = {r["tier"]: r["finish (h)"] for r in view.rows}
    assert finish["Expedited"] < finish["Standard"] < finish["Bulk"]


def test_completion_events_are_heard(view):
    view.tier_buttons["Expedited"].click()
    view.step_buttons["+1 h"].click()
    assert view.completed == [view.rows[0]["job"]]


def test_output_expires_24_hours_after_completion(view):
    view.tier_buttons["Expedited"].click()
    view.step_buttons["+1 h"].click()
    for _ in range(4):
        view.step_buttons["+6 h"].click()
    assert view.rows[0]["status"] == "Succeeded"
    assert view.rows[0]["ready"] is False
    assert "expired" in view.rows[0]["download"]


def test_jobs_started_in_other_cells_appear(cloud, glacier, view):
    archive_id = view.archive.value
    glacier.initiate_job("photos", "archive-retrieval", archive_id=archive_id, tier="Standard")
    assert [r["tier"] for r in view.rows] == ["Standard"]


def test_jobs_of_other_vaults_are_not_shown(cloud, glacier, view):
    glacier.create_vault("other")
    a = glacier.upload_archive("other", b"x")
    glacier.initiate_job("other", "archive-retrieval", archive_id=a.id)
    assert view.rows == []


def test_new_archive_appears_in_the_dropdown(glacier, view):
    before = view.archive.value
    glacier.upload_archive("photos", b"dog picture", description="dog.jpg")
    view.step_buttons["+1 min"].click()
    assert len(view.archive.options) == 2
    assert view.archive.value == before


def test_too_many_expedited_jobs_shows_the_capacity_error(view):
    for _ in range(4):
        view.tier_buttons["Expedited"].click()
    assert view.last_error.code == "InsufficientCapacityException"
    assert "InsufficientCapacityException" in view.status.value
    assert len(view.rows) == 3


def test_retrieving_from_an_empty_vault_explains(cloud, glacier):
    glacier.create_vault("empty")
    widget = JobTimeline(cloud, "empty")
    widget.tier_buttons["Standard"].click()
    assert widget.last_error.code == "InvalidParameterValueException"
    widget.close()


def test_unknown_vault_is_not_found(cloud, glacier):
    with pytest.raises(AWSError) as info:
        JobTimeline(cloud, "nope")
    assert info.value.code == "ResourceNotFoundException"


def test_now_line_moves_with_the_clock(view):
    view.step_buttons["+6 h"].click()
    assert view.now == pytest.approx(6.0)
    assert list(view._chart.now_line.get_xdata()) == [6.0, 6.0]


def test_timeline_is_redrawn_and_timed(view):
    first = view.image.value
    times = []
    for tier in ("Expedited", "Standard", "Bulk"):
        view.tier_buttons[tier].click()
        times.append(view.last_redraw_ms)
    for label in ("+1 min", "+1 h", "+6 h"):
        view.step_buttons[label].click()
        times.append(view.last_redraw_ms)
    print(f"\nJobTimeline redraw ms: {', '.join(f'{t:.0f}' for t in times)}")
    assert view.image.value[:8] == PNG
    assert view.image.value != first


def test_closed_widget_stops_listening(cloud, glacier, view):
    count = view.redraw_count
    view.close()
    glacier.initiate_job("photos", "archive-retrieval", archive_id=next(iter(glacier.vault("photos").archives)))
    assert view.redraw_count == count


def _pixels(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)), dtype=int)


def test_a_timeline_redrawn_step_by_step_shows_what_a_fresh_one_shows(view):
    # redraws paste the kept axes and legend: nothing stale may show after the axes grow
    from awskit.widgets.glacier_timeline import _TimelineChart

    for tier in ("Expedited", "Standard", "Bulk"):
        view.tier_buttons[tier].click()
    for label in ("+1 min", "+1 h", "+6 h", "+6 h"):
        view.step_buttons[label].click()
    view.tier_buttons["Standard"].click()
    view.tier_buttons["Bulk"].click()  # a fifth row: the rows come in 8 slots now
    assert view._chart.frames_drawn > 2
    fresh = _TimelineChart()
    fresh.render(view.rows, view.now, view.vault.name)
    assert abs(_pixels(view.image.value) - _pixels(fresh.chart.last_png)).max() <= SAME


def test_time_axis_grows_to_show_when_the_jobs_finish(view):
    view.tier_buttons["Bulk"].click()
    assert view._chart.ax.get_xlim()[1] >= view.rows[0]["finish (h)"]
