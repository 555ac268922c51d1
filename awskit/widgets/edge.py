"""Chapter 1 widget: where is a user served from?

Pick where a user sits (a city, or the site of a Region) and the explorer shows the edge
location CloudFront would route that user to, the modelled round trip to it, and the round
trip to every Region, sorted.  The gap between the first row and the rest is the reason a
CDN exists: a cached copy a few hundred kilometres away answers far sooner than the origin.

The view only reads the model (:mod:`awskit.regions`) and listens to ``az.*`` events, so a
failed Availability Zone shows up in the table's "AZs up" column.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets

from ..core.errors import InvalidParameter
from ..regions import CITIES, EDGE_LOCATIONS, REGIONS, EdgeLocation, latency_ms, nearest_edge
from ._base import Dashboard

__all__ = ["EdgeExplorer", "place_options"]


def place_options() -> list[tuple[str, str]]:
    """Dropdown choices: every known city, then every Region (the user sits at its site)."""
    cities = [(city, city) for city in sorted(CITIES)]
    regions = [(f"{code} site ({info.city})", code) for code, info in REGIONS.items()]
    return cities + regions


class EdgeExplorer(Dashboard):
    """Nearest edge location and Region latencies for a user, with a world map.

    Args:
        cloud: the awskit Cloud whose failed AZs are shown.
        user: a city name from :data:`awskit.regions.CITIES` or a Region code.

    >>> from awskit import Cloud
    >>> explorer = EdgeExplorer(Cloud(seed=0), user="Nairobi")
    >>> explorer.nearest.code
    'JNB61'
    >>> explorer.place.value = "Tokyo"; explorer.nearest.city
    'Tokyo'
    >>> explorer.close()
    """

    topics = ("az.*",)

    def __init__(self, cloud, user: str = "London") -> None:
        super().__init__(cloud)
        options = place_options()
        valid = [value for _, value in options]
        if user not in valid:
            raise InvalidParameter(
                "InvalidParameterValue",
                f"Unknown user location {user!r}. Choose a city ({', '.join(sorted(CITIES))}) "
                f"or a Region code ({', '.join(REGIONS)}).",
            )
        self.place = widgets.Dropdown(
            options=options, value=user, description="User in", layout=widgets.Layout(width="320px")
        )
        self.summary = widgets.HTML()
        self.table = widgets.HTML(layout=widgets.Layout(max_height="330px", overflow="auto"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="560px"))
        self.nearest: EdgeLocation = nearest_edge(user)
        self.edge_latency: float = 0.0
        #: (region code, modelled round trip in ms), nearest first
        self.region_latencies: list[tuple[str, float]] = []
        self.last_redraw_ms: float = 0.0  # wall time of the last full update (text + map)
        self.last_plot_ms: float = 0.0  # of which the map
        self._map: _EdgeMap | None = None
        self.root = widgets.VBox(
            [
                widgets.HTML("<b>Edge location explorer</b>: where is this user served from?"),
                self.place,
                self.summary,
                self.image,
                self.table,
                self.status,
                self.output,
            ]
        )
        self.place.observe(self.guard(self._on_place), names="value")
        self.refresh()

    # -- reacting ----------------------------------------------------------
    def _on_place(self, change: dict[str, Any]) -> None:
        self.refresh()

    def on_event(self, message) -> None:
        # An AZ failed or came back: only the table's "AZs up" column changes.
        self.table.value = self._table_html()

    @property
    def user(self) -> str:
        return self.place.value

    def refresh(self) -> None:
        """Recompute everything for the selected user and redraw the text and the map."""
        start = time.perf_counter()
        user = self.user
        self.nearest = nearest_edge(user)
        self.edge_latency = latency_ms(user, self.nearest)
        self.region_latencies = sorted(
            ((code, latency_ms(user, code)) for code in REGIONS),
            key=lambda item: (item[1], item[0]),
        )
        self.summary.value = self._summary_html()
        self.table.value = self._table_html()
        plot_start = time.perf_counter()
        if self._map is None:
            self._map = _EdgeMap()
        self.image.value = self._map.render(user, self.nearest, self.region_latencies[0][0])
        end = time.perf_counter()
        self.last_plot_ms = (end - plot_start) * 1000
        self.last_redraw_ms = (end - start) * 1000

    # -- text views ----------------------------------------------------------
    def _label(self) -> str:
        user = self.user
        return f"the {user} Region's site" if user in REGIONS else user

    def _summary_html(self) -> str:
        region, region_ms = self.region_latencies[0]
        saving = region_ms - self.edge_latency
        edge = self.nearest
        if saving >= 1:
            gain = f"a cached copy at the edge saves about {saving:.0f} ms on every request."
        elif saving > -1:
            gain = (
                "the edge sits next to that Region, so here the edge saves little time; "
                "it still answers from cache without troubling the origin."
            )
        else:
            gain = (
                "here the Region is nearer than any edge in awskit's sample. (AWS has edge "
                "locations in or near the metro of every Region; awskit lists only some.)"
            )
        return (
            f"A user in <b>{html.escape(self._label())}</b> is routed to edge location "
            f"<b>{edge.code}</b> ({html.escape(edge.city)}): about <b>{self.edge_latency:.0f} ms</b> "
            f"round trip.<br>The nearest Region, <b>{region}</b> ({html.escape(REGIONS[region].city)}), "
            f"is about <b>{region_ms:.0f} ms</b> away: {gain}"
        )

    def _azs_up(self, code: str) -> str:
        azs = REGIONS[code].azs
        up = sum(1 for az in azs if az.name not in self.cloud.failed_azs)
        return f"{up}/{len(azs)}"

    def _table_html(self) -> str:
        worst = max(ms for _, ms in self.region_latencies) or 1.0

        def row(
            kind: str, name: str, where: str, azs: str, ms: float, colour: str, bold: bool
        ) -> str:
            width = max(1.0, 100.0 * ms / worst)
            weight = "font-weight:bold;" if bold else ""
            return (
                f"<tr style='{weight}'><td>{kind}</td><td>{html.escape(name)}</td>"
                f"<td>{html.escape(where)}</td><td style='text-align:center'>{azs}</td>"
                f"<td style='text-align:right'>{ms:.1f}</td>"
                f"<td style='width:180px'><div style='background:{colour};height:0.8em;"
                f"width:{width:.1f}%'></div></td></tr>"
            )

        rows = [
            row(
                "edge", self.nearest.code, self.nearest.city, "", self.edge_latency, "#2e7d32", True
            )
        ]
        for i, (code, ms) in enumerate(self.region_latencies):
            rows.append(
                row(
                    "Region",
                    code,
                    REGIONS[code].city,
                    self._azs_up(code),
                    ms,
                    "#1565c0" if i == 0 else "#90a4ae",
                    i == 0,
                )
            )
        head = (
            "<tr><th></th><th>served from</th><th>where</th><th>AZs up</th>"
            "<th>round trip (ms)</th><th></th></tr>"
        )
        return (
            "<table style='border-collapse:collapse;font-size:12px'>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def __repr__(self) -> str:
        return (
            f"EdgeExplorer(user={self.user!r}: edge {self.nearest.code} {self.edge_latency:.1f} ms, "
            f"nearest Region {self.region_latencies[0][0]} {self.region_latencies[0][1]:.1f} ms)"
        )


class _EdgeMap:
    """The world map, kept for the explorer's life: a redraw moves four artists and the caption.

    The static map (grid, Regions, edges, legend) is the frame of a
    :class:`~awskit.plots.BlitFigure`, drawn once; a redraw pastes it, draws the highlighted
    artists and the caption on top and encodes the PNG: a few ms, against 30-100 ms for a full
    ``savefig`` on a loaded 2-core machine.
    """

    def __init__(self) -> None:
        from ..plots import BlitFigure

        self.chart = BlitFigure((7.0, 3.4), dpi=80)
        self.fig = self.chart.figure
        ax = self.ax = self.fig.add_axes((0.05, 0.08, 0.93, 0.82))
        ax.set_xlim(-180, 180)
        ax.set_ylim(-60, 75)
        ax.set_xticks(range(-180, 181, 60))
        ax.set_yticks(range(-60, 76, 30))
        ax.tick_params(labelsize=7)
        ax.grid(True, linewidth=0.3, color="#cfd8dc")
        ax.set_facecolor("#f7fbff")
        regions = list(REGIONS.values())
        ax.scatter(
            [r.lon for r in regions],
            [r.lat for r in regions],
            s=[25 * len(r.azs) for r in regions],
            color="#1565c0",
            alpha=0.45,
            edgecolor="#0d47a1",
            label="Region (size: AZ count)",
            zorder=2,
        )
        ax.scatter(
            [e.lon for e in EDGE_LOCATIONS],
            [e.lat for e in EDGE_LOCATIONS],
            marker="^",
            s=14,
            color="#607d8b",
            label="edge location",
            zorder=3,
        )
        (self.edge_line,) = ax.plot([], [], "-", color="#2e7d32", linewidth=2, zorder=4)
        (self.region_line,) = ax.plot([], [], "--", color="#1565c0", linewidth=1.2, zorder=4)
        (self.edge_ring,) = ax.plot(
            [],
            [],
            "o",
            markersize=13,
            markerfacecolor="none",
            markeredgecolor="#2e7d32",
            markeredgewidth=2,
            label="nearest edge",
            zorder=5,
        )
        (self.user_dot,) = ax.plot(
            [], [], "*", markersize=15, color="#d81b60", label="user", zorder=6
        )
        ax.legend(loc="lower left", fontsize=7, framealpha=0.8, markerscale=0.7)
        self.title = self.fig.text(0.5, 0.955, "", ha="center", va="center", fontsize=9)
        self.chart.animate(self.region_line, self.edge_line, self.edge_ring, self.user_dot, self.title)

    @staticmethod
    def _towards(lon_from: float, lon_to: float) -> float:
        # Draw the short way round: across the date line rather than across the whole map.
        if lon_to - lon_from > 180:
            return lon_to - 360
        if lon_from - lon_to > 180:
            return lon_to + 360
        return lon_to

    def render(self, user: str, edge: EdgeLocation, region_code: str) -> bytes:
        """PNG bytes of the map with ``user``, its edge and its nearest Region highlighted."""
        from ..regions import _coords

        lat, lon = _coords(user)
        region = REGIONS[region_code]
        self.user_dot.set_data([lon], [lat])
        self.edge_ring.set_data([edge.lon], [edge.lat])
        self.edge_line.set_data([lon, self._towards(lon, edge.lon)], [lat, edge.lat])
        self.region_line.set_data([lon, self._towards(lon, region.lon)], [lat, region.lat])
        self.title.set_text(f"{user}: edge {edge.code} ({edge.city}), nearest Region {region_code}")
        return self.chart.render()
