"""The chapter 7 scaling watch, driven in plain Python: what it shows follows the model."""

import pytest

from awskit import AWSError, Cloud
from awskit.widgets import ScalingWatch
from awskit.widgets.scaling_watch import Annotation, ScalingChart
from awskit.workload import Workload, constant, serve_app

PNG = b"\x89PNG\r\n\x1a\n"
#: pixels of a chart redrawn step by step and of a fresh one differ by at most this much: text
#: pasted from a kept tile is blended twice, a few levels on glyph edges; anything stale (a tick
#: label, even a faint grid line) differs by far more
SAME = 10


def shop(seed=4, target=50):
    cloud = Cloud(seed=seed)
    vpc = cloud.vpc.default_vpc
    subnets = [s for s in vpc.subnets if s.availability_zone.name in ("us-east-1a", "us-east-1b")]
    lb = cloud.elb.create_load_balancer("shop", subnets=subnets)
    tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    cloud.elb.create_listener(lb, port=80, default_actions=tg)
    lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=2, max_size=10,
                                                    subnets=subnets, target_group_arns=[tg.arn],
                                                    health_check_type="ELB", health_check_grace_period=60)
    serve_app(g)
    cloud.autoscaling.put_scaling_policy(g, "cpu", policy_type="TargetTrackingScaling",
                                         predefined_metric="ASGAverageCPUUtilization", target_value=target)
    cloud.clock.advance(minutes=3)
    return cloud, g, Workload(cloud, constant(40), target=lb, group=g)


@pytest.fixture
def world():
    return shop()


@pytest.fixture
def watch(world):
    cloud, g, w = world
    view = ScalingWatch(cloud, g, w)
    yield view
    view.close()


def test_stepping_the_clock_adds_one_sample_per_minute(watch):
    watch.step_buttons[10].click()
    assert len(watch.series["time"]) == 10
    assert watch.series["cpu"][-1] == pytest.approx(40.0)   # 40 requests/s on two t3.micro (50/s each)
    assert watch.series["desired"][-1] == 2


def test_the_chart_is_a_png_that_changes_as_time_passes(watch):
    first = watch.image.value
    watch.step_buttons[1].click()
    assert watch.image.value[:8] == PNG and watch.image.value != first


def test_choosing_a_profile_changes_the_workload(world, watch):
    _, _, w = world
    watch.set_profile("constant", rps=150)
    assert repr(w.profile) == "constant(150)"
    watch.step_buttons[1].click()
    assert watch.series["rps"][-1] == pytest.approx(150.0)


def test_dropdown_shows_the_parameters_of_its_profile(watch):
    watch.profile_kind.value = "daily cycle"
    assert [b.description for b in watch.param_box.children] == ["peak rps", "trough rps", "peak hour"]
    assert "daily_cycle" in repr(watch.profile)


def test_spike_button_multiplies_traffic_from_now(watch):
    watch.spike_factor.value = 3
    watch.spike_minutes.value = 20
    watch.spike_button.click()
    watch.advance(5)
    assert watch.series["rps"][-1] == pytest.approx(120.0)


def test_a_spike_scales_the_group_out_and_is_annotated(watch):
    watch.add_spike(4, 60)
    watch.step_buttons[60].click()
    kinds = {a.kind for a in watch.annotations}
    assert {"scale", "alarm"} <= kinds
    assert any(a.label.startswith("High ALARM") for a in watch.annotations)
    assert max(watch.series["desired"]) > 2
    assert any("scaled out" in line for line in watch.narration)


def test_failing_a_zone_marks_it_and_the_group_replaces_its_instances(world, watch):
    cloud, g, _ = world
    watch.advance(5)
    watch.fail_buttons["us-east-1a"].click()
    assert watch.fail_buttons["us-east-1a"].disabled and not watch.restore_buttons["us-east-1a"].disabled
    watch.advance(10)
    assert Annotation(cloud.clock.now - 600, "az", "1a down") in watch.annotations
    assert any(a.label == "replace" for a in watch.annotations)
    assert any("replaced unhealthy" in line for line in watch.narration)
    assert g.zone_counts()["us-east-1b"] >= 2


def test_restoring_the_zone_rebalances(world, watch):
    g = world[1]
    watch.fail_az("us-east-1a")
    watch.advance(10)
    watch.restore_buttons["us-east-1a"].click()
    watch.advance(15)
    assert any(a.label == "1a back" for a in watch.annotations)
    assert any(a.label == "rebalance" for a in watch.annotations)
    assert g.zone_counts() == {"us-east-1a": 1, "us-east-1b": 1}


def test_play_advances_by_the_chosen_minutes_per_frame(watch, world):
    cloud = world[0]
    before = cloud.clock.now
    watch.play_minutes.value = 15
    watch.play.value += 1
    assert cloud.clock.now == before + 15 * 60


def test_target_line_follows_the_target_tracking_policy(watch):
    watch.advance(2)
    _, ys = watch._chart.target_line.get_data()
    assert list(ys) == [50, 50] and watch.target == 50


def test_changes_made_elsewhere_are_picked_up(world, watch):
    cloud, g, _ = world
    cloud.autoscaling.set_desired_capacity(g, 4)
    assert Annotation(cloud.clock.now, "scale", "2\u21924") in watch.annotations
    assert "a user set the desired capacity" in watch.narration[-1]


def test_bad_zone_is_an_aws_error_in_the_status_line(watch):
    with pytest.raises(AWSError) as info:
        watch.fail_az("us-east-1f")
    assert info.value.code == "InvalidParameterValue"
    watch.guard(lambda: watch.fail_az("us-east-1f"))()
    assert "InvalidParameterValue" in watch.status.value


def test_unknown_profile_is_refused(watch):
    with pytest.raises(AWSError) as info:
        watch.set_profile("sawtooth")
    assert info.value.code == "InvalidParameterValue"


def test_a_workload_is_required(world):
    cloud, g, _ = world
    with pytest.raises(AWSError) as info:
        ScalingWatch(cloud, g, constant(10))
    assert info.value.code == "InvalidParameterValue"


def test_closing_stops_listening(world):
    cloud, g, w = world
    view = ScalingWatch(cloud, g, w)
    view.close()
    cloud.autoscaling.set_desired_capacity(g, 3)
    assert view.annotations == []


def test_redraw_times_over_a_day_are_reported(watch):
    watch.set_profile("daily cycle", peak=300, trough=30, peak_hour=14)
    watch.add_spike(2, 30)
    watch.advance(24 * 60, chunk=30)
    times = sorted(watch.redraw_times)
    print(f"\nScalingWatch redraw ms over a day in 30-minute chunks: median {times[len(times) // 2]:.1f}, "
          f"max {times[-1]:.1f}, {len(times)} redraws, full frames {watch.frames_drawn}")
    assert len(watch.series["time"]) == 24 * 60
    assert watch.frames_drawn < len(times)


def test_chart_without_data_still_renders():
    chart = ScalingChart()
    empty = {k: [] for k in ("time", "rps", "errors", "cpu", "desired", "in_service", "response_ms")}
    assert chart.render(empty, [], None)[:8] == PNG


def _pixels(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)), dtype=int)


def test_a_chart_redrawn_step_by_step_shows_what_a_fresh_chart_shows(world):
    # The chart pastes what it drew before (panels, time axis, event markers): nothing stale may show.
    cloud, g, w = world
    view = ScalingWatch(cloud, g, w)
    view.advance(200, chunk=10)  # the time axis grows, up to 6 hours
    view.add_spike(10, 60)
    view.advance(40, chunk=5)  # the request and instance axes grow: those panels are drawn again
    builds = view._chart.chart.builds
    assert builds["frame"] > 2 and builds["time axis"] > builds["frame"]
    fresh = ScalingChart()
    fresh.render(view.series, view.annotations, view.target, title=view._chart.title.get_text())
    assert abs(_pixels(view.image.value) - _pixels(fresh.chart.last_png)).max() <= SAME
    view.close()


def test_axes_grow_to_hold_the_new_data(watch):
    watch.add_spike(10, 30)
    watch.advance(90)
    chart = watch._chart
    assert chart.ax_rps.get_ylim()[1] >= max(watch.series["rps"])
    assert chart.ax_n.get_ylim()[1] >= max(watch.series["desired"])
    assert chart.ax_rps.get_xlim()[1] >= 9 + (watch.series["time"][-1] + 60) / 3600


def test_a_longer_time_window_redraws_the_time_axis_not_the_panels(watch):
    chart = watch._chart
    watch.advance(50)
    window, frames = chart.ax_rps.get_xlim(), chart.chart.frames_drawn
    while chart.ax_rps.get_xlim() == window:
        watch.advance(1)
    assert chart.chart.last_built == ("time axis", "events")
    assert chart.chart.frames_drawn == frames


def test_every_panel_has_grid_lines_and_tick_marks_at_the_time_axis_ticks(watch):
    watch.advance(90)
    chart = watch._chart
    low, high = chart.ax_rt.get_xlim()
    ticks = [t for t in chart.ax_rt.get_xticks() if low <= t <= high]
    assert list(chart.time_marks.get_xdata()) == ticks * 4
    grid = [segment[0][0] for segment in chart.time_grid.get_segments()]
    assert grid == [t for t in ticks if low < t < high] * 4  # one on a panel's border would be hidden


def test_the_caption_over_the_chart_tells_the_counts_and_the_time(world, watch):
    cloud, g, _ = world
    watch.step_buttons[10].click()
    cloud.autoscaling.set_desired_capacity(g, 4)  # the watch hears it and redraws
    when = cloud.clock.to_datetime(cloud.clock.now).strftime("%a %H:%M")
    assert f"web: desired 4, in service {len(g.in_service)} at {when}" in watch.caption.value
