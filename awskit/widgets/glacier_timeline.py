"""Chapter 10 widget: Glacier retrieval jobs on a timeline.

Pick an archive of a vault and start a retrieval in each tier (Expedited, Standard, Bulk),
then move the simulated clock forward (+1 minute, +1 hour, +6 hours) and watch the jobs
finish.  Each job is a horizontal bar from the moment it was started to the moment it
finished (solid) or is expected to finish (pale), coloured by tier; a red line marks
"now".  Rows are numbered #1, #2, ... from the top; the table under the chart, row by row,
says which jobs are still InProgress, which have Succeeded,
and whether their output can be downloaded (for 24 hours after the job completes).

The view reads :meth:`GlacierService.job_timeline` and listens to ``glacier.job.*``
events, so jobs started in other cells appear too; it holds no timing logic of its own.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets

from ..core.errors import InvalidParameter
from ..plots import ceil_doubling
from ._base import Dashboard

__all__ = ["TIER_COLOURS", "JobTimeline"]

TIER_COLOURS = {"Expedited": "#c62828", "Standard": "#1565c0", "Bulk": "#2e7d32"}
#: the clock steps the buttons offer: label -> seconds
STEPS = {"+1 min": 60, "+1 h": 3600, "+6 h": 6 * 3600}
HOUR = 3600.0
DAY = 86400.0


def _span(seconds: float) -> str:
    """A duration as a person says it: 4 min, 3.2 h."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 2 * HOUR:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / HOUR:.1f} h"


class JobTimeline(Dashboard):
    """Start Glacier retrievals by tier, advance the clock, and watch the jobs on a timeline.

    Args:
        cloud: the awskit Cloud (its ``glacier`` service and clock).
        vault: the vault (name or object) whose archives and jobs are shown.

    State for tests and curious students: ``entries`` (the vault's
    :class:`~awskit.glacier.TimelineEntry` list), ``rows`` (one dict per job: id, tier,
    status, started/finished in hours since ``t0``, ready to download), ``now`` (hours
    since ``t0``), ``completed`` (job ids whose completion event arrived while the widget
    watched), ``redraw_count`` and ``last_redraw_ms``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=2)
    >>> _ = cloud.glacier.create_vault("photos")
    >>> _ = cloud.glacier.upload_archive("photos", b"jpeg bytes", description="cat.jpg")
    >>> view = JobTimeline(cloud, "photos")
    >>> view.tier_buttons["Expedited"].click()
    >>> view.rows[0]["status"]
    'InProgress'
    >>> view.step_buttons["+1 h"].click()
    >>> view.rows[0]["status"], view.rows[0]["ready"]
    ('Succeeded', True)
    >>> view.close()
    """

    topics = ("glacier.job.*",)

    def __init__(self, cloud, vault: Any) -> None:
        super().__init__(cloud)
        self.ready = False
        self._advancing = False
        try:
            self.vault = cloud.glacier.vault(vault)
        except Exception:
            self.close()
            raise
        self.t0 = cloud.clock.now
        self.entries: list[Any] = []
        self.rows: list[dict[str, Any]] = []
        self.completed: list[str] = []
        self.redraw_count = 0
        self.last_redraw_ms = 0.0
        self._chart: _TimelineChart | None = None
        self.archive = widgets.Dropdown(description="archive", layout=widgets.Layout(width="420px"))
        self.tier_buttons = {tier: widgets.Button(description=f"retrieve: {tier}", tooltip=tip,
                                                  layout=widgets.Layout(width="150px"),
                                                  style={"button_color": _pale(colour)})
                             for (tier, colour), tip in zip(TIER_COLOURS.items(),
                                                            ("1-5 minutes", "3-5 hours", "5-12 hours"))}
        self.step_buttons = {label: widgets.Button(description=label, layout=widgets.Layout(width="70px"))
                             for label in STEPS}
        self.clock_label = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self.table = widgets.HTML()
        for tier, button in self.tier_buttons.items():
            button.on_click(self.guard(lambda _b, tier=tier: self.retrieve(tier)))
        for label, button in self.step_buttons.items():
            button.on_click(self.guard(lambda _b, s=STEPS[label]: self.advance(s)))
        self.root = widgets.VBox([
            widgets.HTML(f"<b>Glacier jobs</b> of vault <code>{html.escape(self.vault.name)}</code>: "
                         "start retrievals, move the clock, watch them finish"),
            self.archive, widgets.HBox(list(self.tier_buttons.values())),
            widgets.HBox([widgets.HTML("clock&nbsp;"), *self.step_buttons.values(), self.clock_label]),
            self.image, self.table, self.status, self.output])
        self.ready = True
        self.refresh()

    # -- actions --------------------------------------------------------------------------------
    def retrieve(self, tier: str):
        """Start an archive-retrieval job of the selected archive in ``tier``; returns the Job."""
        if self.archive.value is None:
            raise InvalidParameter("InvalidParameterValueException",
                                   f"Vault {self.vault.name} has no archive to retrieve: upload_archive one first.")
        job = self.cloud.glacier.initiate_job(self.vault, "archive-retrieval", archive_id=self.archive.value,
                                              tier=tier)
        self.show_status(f"{tier} retrieval {job.id[:10]}... started: expected in "
                         f"{_span(job.completes_at - self.cloud.clock.now)}.")
        return job

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward (jobs due in that span complete on the way)."""
        self._advancing = True  # one redraw at the end, not one per job that completes on the way
        try:
            self.cloud.clock.advance(seconds)
        finally:
            self._advancing = False
        self.refresh()

    # -- reacting ---------------------------------------------------------------------------------
    def on_event(self, message) -> None:
        if not self.ready or message.data.get("vault") != self.vault.name:
            return
        if message.topic == "glacier.job.completed":
            self.completed.append(message.data["job_id"])
        if not self._advancing:
            self.refresh()

    @property
    def now(self) -> float:
        """The clock, in hours since ``t0`` (when the widget was built)."""
        return (self.cloud.clock.now - self.t0) / HOUR

    def refresh(self) -> None:
        """Re-read the archives and jobs and redraw the timeline and the table."""
        start = time.perf_counter()
        options = [(f"{a.description or '(no description)'} - {a.size:,} bytes - {a.id[:10]}...", a.id)
                   for a in self.vault.archives.values()]
        if [v for _, v in options] != [v for _, v in self.archive.options]:
            keep = self.archive.value
            values = [v for _, v in options]
            self.archive.options = options
            if values:
                self.archive.value = keep if keep in values else values[0]
        now = self.cloud.clock.now
        self.entries = [e for e in self.cloud.glacier.job_timeline() if e.vault == self.vault.name]
        rows = []
        for e in self.entries:
            kept = e.job_id in self.vault.jobs  # output is kept for 24 hours after completion
            ready = e.status == "Succeeded" and kept
            if e.status == "InProgress":
                note = f"not yet: about {_span(e.expected - now)} to go"
            elif ready:
                note = f"yes, for {_span(e.completed + DAY - now)} more"
            elif e.status == "Succeeded":
                note = "expired (24 h passed): start a new job"
            else:
                note = "failed"
            rows.append({"job": e.job_id, "what": "inventory" if e.action == "InventoryRetrieval" else
                         e.action.replace("Retrieval", " retrieval").lower() if e.action != "Select" else "select",
                         "tier": e.tier, "status": e.status,
                         "started (h)": (e.initiated - self.t0) / HOUR,
                         "finish (h)": ((e.completed if e.completed is not None else e.expected) - self.t0) / HOUR,
                         "ready": ready, "download": note})
        self.rows = rows
        self.clock_label.value = (f"&nbsp;now: <b>{self.cloud.clock.isoformat(now)}</b> "
                                  f"({self.now:.2f} h since the widget started)")
        if self._chart is None:
            self._chart = _TimelineChart()
        self.image.value = self._chart.render(rows, self.now, self.vault.name)
        self.table.value = self._table_html()
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_count += 1

    def _table_html(self) -> str:
        if not self.rows:
            return "<i>No jobs yet: pick an archive and press a retrieve button.</i>"
        head = "".join(f"<th style='padding:0 6px'>{c}</th>" for c in
                       ("#", "job", "what", "tier", "status", "started", "finishes / finished", "ready to download?"))
        body = []
        for i, r in enumerate(self.rows, 1):
            colour = TIER_COLOURS.get(r["tier"], "#616161")
            status_colour = "#1a7f37" if r["status"] == "Succeeded" else "#9a6700"
            body.append(
                f"<tr><td style='text-align:right'>#{i}</td>"
                f"<td><code>{html.escape(r['job'][:10])}...</code></td><td>{r['what']}</td>"
                f"<td style='color:{colour}'><b>{r['tier']}</b></td>"
                f"<td style='color:{status_colour}'>{r['status']}</td>"
                f"<td style='text-align:right'>{r['started (h)']:.2f} h</td>"
                f"<td style='text-align:right'>{r['finish (h)']:.2f} h</td>"
                f"<td>{html.escape(r['download'])}</td></tr>")
        return ("<table style='border-collapse:collapse;font-size:12px'>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for r in self.rows:
            states[r["status"]] = states.get(r["status"], 0) + 1
        return f"JobTimeline({self.vault.name!r}, now={self.now:.2f} h, jobs={states or 0})"


def _pale(colour: str) -> str:
    """A light tint of a hex colour (for button backgrounds)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c + (255 - c) * 0.75):02x}" for c in (r, g, b))


class _TimelineChart:
    """One :class:`~awskit.plots.BlitFigure` for the widget's life, redrawn the cheap way.

    The frame (axes, ticks, grid, legend, row numbers) is drawn once per *scale*: the time
    axis grows by doubling (1 h, 2 h, 4 h, ...) and the rows come in slots of 4, 8, 16, ...,
    so most redraws paste the kept frame and draw only the bars, the finish markers and the
    now line.  The legend above the axes never changes: a new frame copies its pixels from the
    old one.  The bars are two collections (finished, still running) whose polygons are
    replaced in place; rows are labelled #1, #2, ... and the table under the chart names each
    row's job.  ``frames_drawn`` counts the full draws.
    """

    def __init__(self, dpi: int = 72) -> None:
        from matplotlib.collections import PolyCollection
        from matplotlib.patches import Patch

        from ..plots import BlitFigure

        self.chart = BlitFigure((8.0, 3.2), dpi=dpi)
        self.fig = self.chart.figure
        self.ax = self.fig.add_axes((0.08, 0.17, 0.89, 0.7))
        self.ax.set_xlabel("hours since the widget started", fontsize=9)
        self.ax.tick_params(labelsize=8)
        self.ax.grid(True, axis="x", linewidth=0.3, color="#cfd8dc")
        self.done_bars = PolyCollection([], linewidths=0.8, zorder=2)
        self.running_bars = PolyCollection([], linewidths=0.8, hatch="///", hatchcolors="edge", zorder=2)
        self.ax.add_collection(self.done_bars)
        self.ax.add_collection(self.running_bars)
        # A marker at the finish keeps a one-minute Expedited job visible beside a 12-hour Bulk one:
        # one line per tier and state draws all of its markers.
        self.markers = {(tier, running): self.ax.plot([], [], linestyle="none", marker="|" if running else "o",
                                                      markersize=6, color=colour, zorder=3)[0]
                        for tier, colour in [*TIER_COLOURS.items(), ("", "#616161")]
                        for running in (False, True)}
        self.now_line = self.ax.axvline(0, color="#d32f2f", linewidth=1.5, zorder=5)
        self.now_text = self.ax.text(0, 1.01, "now", color="#d32f2f", fontsize=8, ha="center", va="bottom",
                                     transform=self.ax.get_xaxis_transform())
        handles = [Patch(color=c, label=t) for t, c in TIER_COLOURS.items()]
        handles.append(Patch(facecolor="#ffffff", edgecolor="#616161", hatch="///", label="still running"))
        self.legend = self.ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.2), ncol=4,
                                     fontsize=8, frameon=False)
        self.chart.add_region("legend", self.legend, [self.legend])
        self.chart.animate(*self.dynamic)

    @property
    def dynamic(self) -> list:
        return [self.done_bars, self.running_bars, *self.markers.values(), self.now_line, self.now_text]

    @property
    def frames_drawn(self) -> int:
        return self.chart.frames_drawn

    def render(self, rows: list[dict[str, Any]], now: float, vault: str) -> bytes:
        from matplotlib.colors import to_rgba

        n = len(rows)
        slots = int(ceil_doubling(n, start=4))
        done: list[tuple[list, str]] = []
        running: list[tuple[list, str]] = []
        marks: dict[tuple[str, bool], tuple[list, list]] = {key: ([], []) for key in self.markers}
        for i, r in enumerate(rows):
            y = slots - 1 - i  # the first job on top
            tier = r["tier"] if r["tier"] in TIER_COLOURS else ""
            colour = TIER_COLOURS.get(tier, "#616161")
            start, end = r["started (h)"], r["finish (h)"]
            end = max(end, start + 1e-9)
            is_running = r["status"] == "InProgress"
            box = [(start, y - 0.275), (end, y - 0.275), (end, y + 0.275), (start, y + 0.275)]
            (running if is_running else done).append((box, colour))
            xs, ys = marks[(tier, is_running)]
            xs.append(r["finish (h)"])
            ys.append(y)
        for bars, items, alpha in ((self.done_bars, done, 0.9), (self.running_bars, running, 0.35)):
            bars.set_verts([box for box, _ in items])
            colours = [to_rgba(c, alpha) for _, c in items]
            bars.set_facecolor(colours)
            bars.set_edgecolor(colours)
        for key, (xs, ys) in marks.items():
            self.markers[key].set_data(xs, ys)
        self.now_line.set_xdata([now, now])
        self.now_text.set_x(now)
        # The time axis: from 0 (or the earliest job, for jobs started before the widget) to a
        # doubling number of hours, so it changes only when the jobs or the clock outgrow it.
        top = max([now, 1.0] + [r["finish (h)"] for r in rows])
        first = min([0.0] + [r["started (h)"] for r in rows])
        right = ceil_doubling(top * 1.02)
        left = -right / 32  # a little room before 0, more (doubling) for jobs started earlier
        while left > first - right / 64:
            left *= 2

        def set_scale() -> None:
            self.ax.set_xlim(left, right)
            self.ax.set_ylim(-0.6, slots - 0.4)
            self.ax.set_yticks(range(slots), [f"#{slots - y}" for y in range(slots)], fontsize=8)

        return self.chart.render({"frame": (left, right, slots), "legend": None}, setup=set_scale)
