"""The chapter 8 volume bench, driven in plain Python (no kernel)."""

import pytest

from awskit import AWSError
from awskit.widgets import VolumeBench
from awskit.widgets.ebs_workload import WorkloadChart, _nice_ceiling

PNG = b"\x89PNG\r\n\x1a\n"
#: pixels of a chart redrawn step by step and of a fresh one differ by at most this much: text
#: pasted from a kept tile is blended twice, a few levels on glyph edges; anything stale (a tick
#: label, even a faint grid line) differs by far more
SAME = 10


@pytest.fixture
def bench(cloud):
    view = VolumeBench(cloud, size=125, iops=3000)
    yield view
    view.close()


def test_every_ticked_type_gets_a_row_and_a_result(bench):
    assert [r["type"] for r in bench.rows] == ["gp3", "gp2", "io2", "st1", "sc1"]
    assert set(bench.results) == {"gp3", "gp2", "io2", "st1", "sc1"}


def test_gp2_bursts_then_drops_to_its_baseline(bench):
    iops = bench.results["gp2"].iops
    assert iops[0] == 3000
    assert iops[-1] == 375  # 3 IOPS per GiB of a 125 GiB volume
    assert bench.row("gp2")["limited by"] == "burst credits ran out"


def test_gp2_of_100_gib_runs_out_of_credits_after_2000_seconds(bench):
    bench.checks["st1"].value = False
    bench.checks["sc1"].value = False
    bench.size.value = 100
    assert bench.results["gp2"].credits_exhausted_at == 2000.0
    assert bench.row("gp2")["credits out at (s)"] == 2000.0


def test_gp3_meets_a_demand_at_its_included_iops(bench):
    row = bench.row("gp3")
    assert (row["mean IOPS"], row["limited by"]) == (3000, "nothing: demand met")


def test_hdd_types_are_capped_far_below_ssd_on_small_random_io(bench):
    assert bench.row("st1")["mean IOPS"] == 500
    assert bench.row("sc1")["mean IOPS"] == 250
    assert bench.row("st1")["limited by"] == "IOPS ceiling"


def test_sequential_io_lifts_st1_throughput(bench):
    random_mibps = bench.row("st1")["MiB/s"]
    bench.io_size.value = 1024
    bench.pattern.value = "sequential"
    assert bench.row("st1")["MiB/s"] > 3 * random_mibps  # 30.5 (the burst of 125 GiB) against 7.8


def test_io2_latency_is_lowest(bench):
    p50 = {r["type"]: r["p50 latency (ms)"] for r in bench.rows}
    assert min(p50, key=p50.get) == "io2"


def test_io2_costs_most_per_month(bench):
    cost = {r["type"]: r["USD / month"] for r in bench.rows}
    assert max(cost, key=cost.get) == "io2"
    assert min(cost, key=cost.get) == "sc1"


def test_raising_gp3_iops_meets_a_higher_demand(bench):
    bench.demand.value = 6000
    assert bench.row("gp3")["mean IOPS"] == 3000
    bench.gp3_iops.value = 6000
    assert bench.row("gp3")["mean IOPS"] == 6000


def test_a_size_a_type_does_not_allow_shows_the_aws_error_in_its_row(bench):
    bench.size.value = 100
    assert bench.errors["st1"].startswith("InvalidParameterValue")
    assert "error" in bench.row("sc1")
    assert "st1" not in bench.results
    assert "125GiB" in bench.table.value


def test_unticking_a_type_removes_its_row(bench):
    bench.checks["io2"].value = False
    assert "io2" not in [r["type"] for r in bench.rows]
    with pytest.raises(AWSError) as info:
        bench.row("io2")
    assert info.value.code == "InvalidParameterValue"


def test_bench_leaves_the_students_account_alone(cloud, bench):
    before = cloud.clock.now
    bench.demand.value = 2000
    assert cloud.ebs.volumes == []
    assert cloud.clock.now == before


def test_chart_is_redrawn_when_the_workload_changes(bench):
    first, count = bench.image.value, bench.redraw_count
    bench.demand.value = 1500
    assert bench.image.value[:8] == PNG
    assert bench.image.value != first
    assert bench.redraw_count == count + 1


def test_redraw_times_are_reported(bench):
    times = []
    for demand in (1000, 1500, 2000, 2500, 3000, 3500, 4000):
        bench.demand.value = demand
        times.append(bench.last_redraw_ms)
    print(f"\nVolumeBench redraw ms: {', '.join(f'{t:.0f}' for t in times)}; "
          f"simulation {bench.last_run_ms:.0f} ms; frames drawn in full {bench._chart.frames_drawn}")
    assert all(t > 0 for t in times)


def test_chart_reuses_its_frame_when_the_limits_do_not_change(bench):
    chart = bench._chart
    bench.demand.value = 3100
    frames = chart.frames_drawn
    bench.demand.value = 3050  # same rounded axis limits
    assert chart.frames_drawn == frames


def test_lines_follow_the_results(bench):
    chart = bench._chart
    _, ys = chart.iops_lines["gp2"].get_data()
    assert list(ys) == bench.results["gp2"].iops
    assert not chart.iops_lines["io1"].get_visible()


def test_unknown_type_is_refused(cloud):
    with pytest.raises(AWSError) as info:
        VolumeBench(cloud, types=("gp4",))
    assert info.value.code == "InvalidParameterValue"


def test_summary_frame_has_a_row_per_type(bench):
    frame = bench.summary_frame()
    assert list(frame.index) == ["gp3", "gp2", "io2", "st1", "sc1"]


def test_nice_ceiling_rounds_up_to_a_round_number():
    assert [_nice_ceiling(x) for x in (3240, 1000, 0.7, 51000)] == [4000, 1000, 0.8, 60000]


def test_chart_without_results_still_renders():
    assert WorkloadChart().render({})[:8] == PNG


def _pixels(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)), dtype=int)


def test_a_chart_redrawn_step_by_step_shows_what_a_fresh_chart_shows(bench):
    # each redraw pastes the panels whose limits did not change: nothing stale may show
    bench.duration.value = 3600 * 3
    bench.checks["io2"].value = False
    for demand in (900, 2000, 4500, 12000):  # new IOPS and latency limits, the same time axis
        bench.demand.value = demand
    assert bench._chart.frames_drawn >= 5
    fresh = WorkloadChart()
    fresh.render(bench.results, bench.demand.value, bench._chart.title.get_text())
    assert abs(_pixels(bench.image.value) - _pixels(fresh.chart.last_png)).max() <= SAME


def test_axes_grow_to_hold_the_demand(bench):
    bench.demand.value = 12000
    assert bench._chart.ax_iops.get_ylim()[1] >= 12000
    bench.demand.value = 900
    assert 900 <= bench._chart.ax_iops.get_ylim()[1] < 12000
