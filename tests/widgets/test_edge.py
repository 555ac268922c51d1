"""The chapter 1 edge explorer, driven in plain Python (no kernel)."""

import subprocess
import sys

import pytest

from awskit import AWSError
from awskit.regions import REGIONS, latency_ms, nearest_edge
from awskit.widgets import EdgeExplorer

#: pixels of a chart redrawn step by step and of a fresh one differ by at most this much: text
#: pasted from a kept tile is blended twice, a few levels on glyph edges; anything stale (a tick
#: label, even a faint grid line) differs by far more
SAME = 10


@pytest.fixture
def explorer(cloud):
    view = EdgeExplorer(cloud, user="London")
    yield view
    view.close()


def test_import_awskit_does_not_import_ipywidgets_or_matplotlib():
    code = (
        "import sys, awskit, awskit.widgets; "
        "print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_choosing_a_city_shows_its_nearest_edge(explorer):
    explorer.place.value = "Nairobi"
    edge = nearest_edge("Nairobi")
    assert explorer.nearest == edge
    assert edge.code in explorer.summary.value
    assert "Nairobi" in explorer.summary.value


def test_summary_shows_the_latency_to_the_edge(explorer):
    explorer.place.value = "Tokyo"
    before = explorer.summary.value
    explorer.place.value = "Lima"
    expected = latency_ms("Lima", nearest_edge("Lima"))
    assert explorer.edge_latency == expected
    assert f"{expected:.0f} ms" in explorer.summary.value
    assert explorer.summary.value != before


def test_table_lists_every_region_sorted_by_latency(explorer):
    explorer.place.value = "Sydney"
    codes = [code for code, _ in explorer.region_latencies]
    times = [ms for _, ms in explorer.region_latencies]
    assert sorted(codes) == sorted(REGIONS)
    assert times == sorted(times)
    assert codes[0] == "ap-southeast-2"
    table = explorer.table.value
    assert table.index("ap-southeast-2") < table.index("us-east-1")


def test_table_changes_with_the_city(explorer):
    first = explorer.table.value
    explorer.place.value = "Honolulu"
    assert explorer.table.value != first


def test_a_region_can_be_the_user_location(explorer):
    explorer.place.value = "eu-central-1"
    assert explorer.nearest.city == "Frankfurt"
    assert explorer.region_latencies[0][0] == "eu-central-1"


def test_map_is_redrawn_when_the_city_changes(explorer):
    first = explorer.image.value
    explorer.place.value = "Cape Town"
    assert explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert explorer.image.value != first


def test_failed_az_shows_in_the_table(cloud, explorer):
    assert "3/3" in _row(explorer.table.value, "eu-west-1")
    cloud.fail_az("eu-west-1b")
    assert "2/3" in _row(explorer.table.value, "eu-west-1")
    cloud.restore_az("eu-west-1b")
    assert "3/3" in _row(explorer.table.value, "eu-west-1")


def test_closed_explorer_stops_listening(cloud, explorer):
    explorer.close()
    before = explorer.table.value
    cloud.fail_az("eu-west-1b")
    assert explorer.table.value == before


def test_unknown_user_location_is_rejected(cloud):
    with pytest.raises(AWSError) as err:
        EdgeExplorer(cloud, user="Atlantis")
    assert err.value.code == "InvalidParameterValue"


def test_redraw_time_is_measured(explorer):
    times = []
    for city in [
        "Tokyo",
        "Nairobi",
        "Auckland",
        "Reykjavik",
        "Lima",
        "Honolulu",
        "Berlin",
        "Perth",
    ]:
        explorer.place.value = city
        times.append((explorer.last_redraw_ms, explorer.last_plot_ms))
    worst = max(t for t, _ in times)
    mean = sum(t for t, _ in times) / len(times)
    print(
        f"\nEdgeExplorer redraw over {len(times)} city changes: mean {mean:.1f} ms, worst {worst:.1f} ms "
        f"(map share mean {sum(p for _, p in times) / len(times):.1f} ms)"
    )
    assert all(t > 0 for t, _ in times)


def _row(table_html: str, code: str) -> str:
    start = table_html.index(f"<td>{code}</td>")
    return table_html[start : table_html.index("</tr>", start)]


def test_a_map_redrawn_city_by_city_shows_what_a_fresh_map_shows(explorer):
    # each redraw pastes the kept map and draws the highlights: nothing stale may show
    import io

    import numpy as np
    from PIL import Image

    from awskit.widgets.edge import _EdgeMap

    for city in ("Tokyo", "Lima", "Nairobi"):
        explorer.place.value = city
    fresh = _EdgeMap().render("Nairobi", explorer.nearest, explorer.region_latencies[0][0])
    pixels = [np.asarray(Image.open(io.BytesIO(png)), dtype=int) for png in (explorer.image.value, fresh)]
    assert abs(pixels[0] - pixels[1]).max() <= SAME
