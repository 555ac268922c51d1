"""Chapter 7 widget: watch an Auto Scaling group follow its traffic, minute by minute.

Pick a traffic profile (constant, ramp, daily cycle, spike) and its numbers, add a spike
now, fail or restore one of the group's Availability Zones, and move the simulated clock
forward (+1 min, +10 min, +1 h, or Play).  Four panels share one time axis: the request
rate (and failed requests), the group's average CPU with the target tracking target, the
desired and in-service instance counts, and the response time.  Vertical markers show
when an alarm changed state, when the desired capacity changed, when an instance was
replaced or the zones rebalanced, and when a zone failed or came back; the panel below
retells the group's story with ``group.narrate()``.

The view holds no simulation logic: it changes the :class:`~awskit.workload.Workload`'s
profile, calls ``cloud.fail_az``/``restore_az`` and ``cloud.clock.advance``, and draws the
workload's history and the events the model publishes.  Redraws reuse one Agg figure: lines
move with ``set_data`` and the drawn frame (axes, ticks, labels) is kept while the axis
limits stay the same, which they do for long stretches because the limits are rounded.
"""

from __future__ import annotations

import html
import math
import time
from typing import Any, NamedTuple

import ipywidgets as widgets

from ..core.errors import InvalidParameter
from ..plots import ceil_nice
from ._base import Dashboard

__all__ = ["PROFILES", "Annotation", "ScalingChart", "ScalingWatch"]

#: the traffic profiles the dropdown offers
PROFILES = ("as given", "constant", "ramp", "daily cycle", "spike")
#: which parameter boxes each profile uses
_PARAMS = {"as given": (), "constant": ("rps",), "ramp": ("start", "end", "over_min"),
           "daily cycle": ("peak", "trough", "peak_hour"), "spike": ("base", "factor", "duration_min")}
#: annotation kind -> colour of its markers
KIND_COLOURS = {"scale": "#6a1b9a", "alarm": "#ef6c00", "health": "#546e7a", "az": "#c62828"}
_MAX_LABELS = 10
#: the chart's panels, top to bottom
_PANELS = ("requests", "cpu", "instances", "response")
_GRID_COLOUR, _GRID_WIDTH = "#cfd8dc", 0.3
_START_HOUR = 9.0   # the clock's epoch is 09:00 UTC


class Annotation(NamedTuple):
    """One marker on the timeline: simulated time, kind (scale, alarm, health, az) and a short label."""

    time: float
    kind: str
    label: str


def _hours(t: float) -> float:
    """Simulated seconds -> hours on the axis (09:00 on the first day is 9.0)."""
    return _START_HOUR + t / 3600.0


def _clock(hours: float) -> str:
    """A time axis label: hours on the axis -> 'HH:MM' on the clock."""
    minutes = round(hours * 60)
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _window(span_h: float) -> float:
    """The time axis length for ``span_h`` hours of data: a round number of hours, so it changes rarely."""
    for w in (1, 2, 3, 6, 12, 24, 48, 72, 168):
        if span_h <= w:
            return float(w)
    return float(math.ceil(span_h / 24) * 24)


def _generous(value: float, steps: tuple[float, ...] = (1, 2, 5)) -> float:
    """The next of 1, 2, 5 x 10^k at or above ``value``: y limits that grow in big steps, so
    the kept frame is redrawn a few times a day rather than at every new maximum."""
    return ceil_nice(value, steps)


class ScalingChart:
    """Request rate, CPU, instances and response time over time, on one Agg figure.

    ``render(series, annotations, target)`` returns PNG bytes.  The chart is a
    :class:`~awskit.plots.BlitFigure` whose kept layers change at different paces:

    * the frame: the panels with their y axes, labels and legends.  Each panel is a region
      keyed by its own y limits, which grow in big rounded steps, so a new request-rate ceiling
      draws that one panel again and pastes the other three;
    * the time axis: grid lines, tick marks and labels at the ticks matplotlib's locator picks
      (one collection, one line of markers and a few texts, rather than four matplotlib x
      axes), and the panels' borders, drawn over the frame; the legends' pixels are copied back
      on top.  The time window grows in round hours (1, 2, 3, 6, 12, 24 h, ...): when it does,
      only this layer and those above are drawn, never the y axes (text is most of a draw);
    * the event markers and their labels, drawn again only when the events change;
    * the data lines (and the title, if one is given), drawn at every render.

    ``frames_drawn`` counts the renders that drew axes (the frame or the time axis) again.
    """

    def __init__(self, dpi: int = 72) -> None:
        import matplotlib as mpl
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D
        from matplotlib.markers import TICKDOWN
        from matplotlib.transforms import blended_transform_factory

        from ..plots import BlitFigure

        self.chart = BlitFigure((8.4, 6.6), dpi=dpi)
        self.fig = self.chart.figure
        left, width, gap = 0.09, 0.88, 0.02
        heights = (0.2, 0.18, 0.18, 0.18)
        top = 0.95
        self.axes = []
        self._spans: list[tuple[float, float]] = []  # each panel's (bottom, top) in figure fractions
        bands = []  # each panel's horizontal strip of the figure, cut in the middle of the gaps
        for i, h in enumerate(heights):
            bottom = top - h
            ax = self.fig.add_axes((left, bottom, width, h), sharex=self.axes[0] if self.axes else None)
            ax.grid(True, axis="y", linewidth=_GRID_WIDTH, color=_GRID_COLOUR)
            ax.tick_params(labelsize=8)
            self.axes.append(ax)
            self._spans.append((bottom, top))
            bands.append((0.0, bottom - gap / 2 if i < len(heights) - 1 else 0.0,
                          1.0, top + gap / 2 if i else 1.0))
            top = bottom - gap
        self.ax_rps, self.ax_cpu, self.ax_n, self.ax_rt = self.axes
        self.ax_rps.set_ylabel("requests/s", fontsize=8)
        self.ax_cpu.set_ylabel("avg CPU %", fontsize=8)
        self.ax_n.set_ylabel("instances", fontsize=8)
        self.ax_rt.set_ylabel("response ms", fontsize=8)
        # Fixed label places: matplotlib otherwise measures every tick label of the four
        # shared axes to place them, at each full draw.
        for ax in self.axes:
            ax.yaxis.set_label_coords(-0.075, 0.5)
        self.ax_rt.set_yscale("log")
        self.ax_rt.text(0.5, -0.2, "time (UTC)", transform=self.ax_rt.transAxes, ha="center", va="top", fontsize=8)
        self.ax_cpu.set_ylim(0, 105)
        self.ax_rt.set_ylim(10, 20000)
        (self.rps_line,) = self.ax_rps.plot([], [], "-", color="#1565c0", linewidth=1.3, label="requests/s")
        (self.err_line,) = self.ax_rps.plot([], [], "-", color="#c62828", linewidth=1.1, label="failed/s")
        (self.cpu_line,) = self.ax_cpu.plot([], [], "-", color="#2e7d32", linewidth=1.3, label="avg CPU")
        (self.target_line,) = self.ax_cpu.plot([], [], "--", color="#424242", linewidth=1.0, label="target")
        (self.desired_line,) = self.ax_n.plot([], [], "--", color="#6a1b9a", linewidth=1.3, drawstyle="steps-post",
                                              label="desired")
        (self.in_service_line,) = self.ax_n.plot([], [], "-", color="#00838f", linewidth=1.5,
                                                 drawstyle="steps-post", label="in service")
        (self.rt_line,) = self.ax_rt.plot([], [], "-", color="#e65100", linewidth=1.3, label="response time")
        # opaque legends: the time axis layer copies their pixels back over its grid lines
        legends = [ax.legend(loc="upper left", fontsize=7, framealpha=1.0)
                   for ax in (self.ax_rps, self.ax_cpu, self.ax_n)]
        # One line per panel and kind draws all of that kind's markers (NaN-separated segments
        # in data x and axes-fraction y): a handful of artists however many events there are.
        self.markers: dict[tuple[int, str], Any] = {}
        for i, ax in enumerate(self.axes):
            for kind, colour in KIND_COLOURS.items():
                (self.markers[(i, kind)],) = ax.plot([], [], "-", color=colour, linewidth=0.8, alpha=0.7,
                                                     transform=ax.get_xaxis_transform())
        self.labels = [self.ax_rps.text(0, 0.97, "", transform=self.ax_rps.get_xaxis_transform(), rotation=90,
                                        fontsize=6.5, va="top", ha="right", visible=False)
                       for _ in range(_MAX_LABELS)]
        self.title = self.fig.text(0.5, 0.98, "", ha="center", va="center", fontsize=9)
        # The time axis is drawn without matplotlib's four x axes, which would each work out the
        # same ticks and measure their labels: the four panels' grid lines are one collection,
        # their tick marks one line of markers (x in data, y in figure fractions), and the labels
        # under the bottom panel plain texts at the ticks matplotlib's locator picks.
        for ax in self.axes:
            ax.xaxis.set_visible(False)
        pad = mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"]  # points, as an XTick
        self.time_labels = [self.ax_rt.text(0, 0, "", transform=self.ax_rt.get_xaxis_text1_transform(pad)[0],
                                            ha="center", va="top", fontsize=8, visible=False)
                            for _ in range(16)]
        time_and_figure = blended_transform_factory(self.ax_rt.transData, self.fig.transFigure)
        self.time_grid = LineCollection([], colors=_GRID_COLOUR, linewidths=_GRID_WIDTH, transform=time_and_figure)
        self.time_marks = Line2D([], [], linestyle="none", marker=TICKDOWN, color=mpl.rcParams["xtick.color"],
                                 markersize=mpl.rcParams["xtick.major.size"],
                                 markeredgewidth=mpl.rcParams["xtick.major.width"], transform=time_and_figure)
        self.fig.add_artist(self.time_grid)
        self.fig.add_artist(self.time_marks)

        chart = self.chart
        # the panels' top and bottom borders go over the grid lines, as matplotlib draws them
        borders = [ax.spines[side] for ax in self.axes for side in ("top", "bottom")]
        chart.add_layer("time axis", [self.time_grid, self.time_marks, *self.time_labels, *borders],
                        on_top=legends)
        chart.add_layer("events", self.overlay)
        chart.animate(*self.lines)
        for name, ax, band in zip(_PANELS, self.axes, bands, strict=True):
            chart.add_region(name, band, [ax])
        # the time labels under the bottom panel: kept while the time window stays the same
        chart.add_region("time labels", bands[-1], self.time_labels, layer="time axis")
        self.frames_drawn = 0

    @property
    def lines(self) -> list:
        """What every redraw draws over the kept layers: the data lines and the title (if any)."""
        return [self.rps_line, self.err_line, self.cpu_line, self.target_line, self.desired_line,
                self.in_service_line, self.rt_line, self.title]

    @property
    def overlay(self) -> list:
        """The event markers and labels: drawn into a kept layer when the events change."""
        return [*self.markers.values(), *self.labels]

    @property
    def dynamic(self) -> list:
        return [*self.lines, *self.overlay]

    def render(self, series: dict[str, list], annotations: list[Annotation], target: float | None = None,
               title: str = "") -> bytes:
        x = [_hours(t) for t in series["time"]]
        # a sample covers the minute that starts at its time: draw it at the minute's end
        x_end = [h + 1 / 60 for h in x]
        self.rps_line.set_data(x_end, series["rps"])
        self.err_line.set_data(x_end, [e / 60.0 for e in series["errors"]])
        self.cpu_line.set_data(x_end, series["cpu"])
        self.desired_line.set_data(x_end, series["desired"])
        self.in_service_line.set_data(x_end, series["in_service"])
        self.rt_line.set_data(x_end, [max(r, 10.0) if r > 0 else math.nan for r in series["response_ms"]])
        start = math.floor(x[0]) if x else _START_HOUR
        end_data = x_end[-1] if x_end else start
        x_lim = (float(start), start + _window(max(end_data - start, 1e-9)))
        if target is not None:
            self.target_line.set_data(x_lim, (target, target))
        else:
            self.target_line.set_data([], [])
        self.target_line.set_visible(target is not None)
        rps_top = _generous(max(series["rps"], default=1.0) * 1.1)
        n_top = _generous(max(max(series["desired"], default=1), max(series["in_service"], default=1), 1) * 1.15,
                          (1, 1.5, 2, 3, 5))
        self.title.set_text(title)
        # A panel's key holds what it shows: its y limits in the frame, and the time window too
        # in the time axis layer.  The CPU and response-time axes never change.
        keys = {"frame": (rps_top, n_top), "time axis": x_lim, "events": tuple(annotations),
                "requests": rps_top, "cpu": None, "instances": n_top, "response": None, "time labels": x_lim}
        setup = {"frame": lambda: (self.ax_rps.set_ylim(0, rps_top), self.ax_n.set_ylim(0, n_top)),
                 "time axis": lambda: self._set_time_axis(x_lim),
                 "events": lambda: self._place_annotations(annotations, x_lim)}
        png = self.chart.render(keys, setup)
        if {"frame", "time axis"} & set(self.chart.last_built):
            self.frames_drawn += 1
        return png

    def _set_time_axis(self, x_lim: tuple[float, float]) -> None:
        self.ax_rps.set_xlim(*x_lim)
        ticks = [x for x in self.ax_rt.xaxis.get_majorticklocs() if x_lim[0] - 1e-9 <= x <= x_lim[1] + 1e-9]
        # a grid line on a panel's left or right border would be hidden under it: leave it out
        inside = [x for x in ticks if x_lim[0] + 1e-9 < x < x_lim[1] - 1e-9]
        self.time_grid.set_segments([((x, bottom), (x, top)) for bottom, top in self._spans for x in inside])
        self.time_marks.set_data([x for _ in self._spans for x in ticks],
                                 [bottom for bottom, _ in self._spans for _ in ticks])
        for text, x in zip(self.time_labels, ticks, strict=False):
            text.set_x(x)
            text.set_text(_clock(x))
            text.set_visible(True)
        for text in self.time_labels[len(ticks):]:
            text.set_visible(False)

    def _place_annotations(self, annotations: list[Annotation], x_lim: tuple[float, float]) -> None:
        for kind in KIND_COLOURS:
            xs: list[float] = []
            ys: list[float] = []
            for a in annotations:
                if a.kind == kind:
                    h = _hours(a.time)
                    xs += [h, h, math.nan]
                    ys += [0.0, 1.0, math.nan]
            for i in range(len(self.axes)):
                self.markers[(i, kind)].set_data(xs, ys)
        # Label the newest markers, skipping one that would sit on top of a newer label: text is
        # the slowest thing to draw, and overlapping labels cannot be read anyway.
        shown: list[Annotation] = []
        gap = (x_lim[1] - x_lim[0]) / 45
        for a in reversed(annotations):
            h = _hours(a.time)
            if h < x_lim[0] or len(shown) == _MAX_LABELS:
                break
            if not shown or _hours(shown[-1].time) - h >= gap:
                shown.append(a)
        for text, a in zip(self.labels, shown, strict=False):
            text.set_position((_hours(a.time), 0.97))
            text.set_text(a.label)
            text.set_color(KIND_COLOURS.get(a.kind, "#000000"))
            text.set_visible(True)
        for text in self.labels[len(shown):]:
            text.set_visible(False)

    def _repr_png_(self) -> bytes:
        return self.chart._repr_png_()


class ScalingWatch(Dashboard):
    """A live view of one Auto Scaling group under a workload.

    Args:
        cloud: the awskit Cloud.
        group: the :class:`~awskit.autoscaling.AutoScalingGroup` to watch.
        workload: the :class:`~awskit.workload.Workload` sending it traffic (its profile is what
            the profile controls change).

    Readable without pixels: ``series`` (lists per column of the workload's history: time,
    rps, errors, cpu, desired, in_service, response_ms), ``annotations`` (a list of
    :class:`Annotation`), ``narration`` (``group.narrate()`` as last drawn), ``caption`` (the line
    over the chart: desired and in-service counts at the clock's time), ``profile`` (the
    workload's current profile), and ``redraw_times`` / ``last_redraw_ms`` / ``frames_drawn``.
    After moving the clock from another cell, call :meth:`refresh` (or press a step button).

    >>> from awskit import Cloud
    >>> from awskit.workload import Workload, constant
    >>> cloud = Cloud(seed=3)
    >>> lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
    >>> g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=2, max_size=6,
    ...                                                 availability_zones=["us-east-1a", "us-east-1b"])
    >>> watch = ScalingWatch(cloud, g, Workload(cloud, constant(40), target=g))
    >>> watch.advance(10)
    >>> len(watch.series["time"]), watch.series["cpu"][-1]
    (10, 40.0)
    >>> watch.close()
    """

    topics = ("autoscaling.*", "cloudwatch.alarm.state", "az.*")

    def __init__(self, cloud, group, workload) -> None:
        super().__init__(cloud)
        from ..autoscaling.groups import AutoScalingGroup
        from ..workload import Workload

        if not isinstance(group, AutoScalingGroup):
            raise InvalidParameter("InvalidParameterValue", f"ScalingWatch watches an Auto Scaling group, not "
                                                            f"{group!r}: pass the object create_auto_scaling_group "
                                                            "returned.")
        if not isinstance(workload, Workload):
            raise InvalidParameter("InvalidParameterValue", f"ScalingWatch needs the Workload that sends the "
                                                            f"group its traffic, not {workload!r}: build one with "
                                                            "Workload(cloud, profile, target=...).")
        if workload.cloud is not cloud or group.service.cloud is not cloud:
            raise InvalidParameter("InvalidParameterValue", "The group and the workload must belong to the cloud "
                                                            "you pass to ScalingWatch.")
        self.group = group
        self.workload = workload
        self.given_profile = workload.profile
        self.series: dict[str, list] = {k: [] for k in ("time", "rps", "errors", "cpu", "desired", "in_service",
                                                        "response_ms")}
        self.annotations: list[Annotation] = []
        self.narration: list[str] = []
        self.spikes: list[tuple[float, float, float]] = []   # (at, factor, seconds) added with the button
        self.redraw_times: list[float] = []
        self.last_redraw_ms = 0.0
        self._seen = 0
        self._advancing = False
        self._chart: ScalingChart | None = None
        self._building = True

        # -- traffic controls --------------------------------------------------------------
        style = {"description_width": "80px"}
        box = widgets.Layout(width="170px")
        self.profile_kind = widgets.Dropdown(options=PROFILES, value="as given", description="traffic",
                                             layout=widgets.Layout(width="220px"), style=style)

        def field(kind, value, low, high, label):
            return kind(value=value, min=low, max=high, description=label, layout=box, style=style)

        real, whole = widgets.BoundedFloatText, widgets.BoundedIntText
        self.params = {
            "rps": field(real, 100, 0, 1e6, "requests/s"),
            "start": field(real, 50, 0, 1e6, "from rps"),
            "end": field(real, 300, 0, 1e6, "to rps"),
            "over_min": field(whole, 60, 1, 100000, "over min"),
            "peak": field(real, 300, 0, 1e6, "peak rps"),
            "trough": field(real, 30, 0, 1e6, "trough rps"),
            "peak_hour": field(real, 14, 0, 23.99, "peak hour"),
            "base": field(real, 100, 0, 1e6, "base rps"),
            "factor": field(real, 3, 0, 100, "x factor"),
            "duration_min": field(whole, 30, 1, 100000, "for min"),
        }
        self.param_box = widgets.HBox([])
        self.spike_factor = field(real, 2.5, 0, 100, "spike x")
        self.spike_minutes = field(whole, 30, 1, 10000, "for min")
        self.spike_button = widgets.Button(description="Spike now", icon="bolt", button_style="warning")
        # -- zones -------------------------------------------------------------------------------
        self.fail_buttons: dict[str, widgets.Button] = {}
        self.restore_buttons: dict[str, widgets.Button] = {}
        for az in group.availability_zones:
            self.fail_buttons[az] = widgets.Button(description=f"Fail {az}", button_style="danger",
                                                   layout=widgets.Layout(width="150px"))
            self.restore_buttons[az] = widgets.Button(description=f"Restore {az}", button_style="success",
                                                      layout=widgets.Layout(width="150px"))
        # -- the clock -----------------------------------------------------------------------------
        self.step_buttons = {m: widgets.Button(description=label, layout=widgets.Layout(width="70px"))
                             for m, label in ((1, "+1 min"), (10, "+10 min"), (60, "+1 h"))}
        self.play = widgets.Play(value=0, min=0, max=100000, step=1, interval=400, description="play")
        self.play_minutes = widgets.Dropdown(options=[("1 min/frame", 1), ("5 min/frame", 5),
                                                      ("15 min/frame", 15), ("1 h/frame", 60)], value=5,
                                             layout=widgets.Layout(width="130px"))
        # the chart's title line, as text over the image: a label redrawn into the PNG at every
        # step would cost more than the rest of a step's picture
        self.caption = widgets.HTML(layout=widgets.Layout(width="680px"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="680px"))
        self.panel = widgets.HTML()
        self.summary = widgets.HTML()

        self.profile_kind.observe(self.guard(self._on_profile), names="value")
        for w in self.params.values():
            w.observe(self.guard(self._on_profile), names="value")
        self.spike_button.on_click(self.guard(lambda _b: self.add_spike()))
        for az, b in self.fail_buttons.items():
            b.on_click(self.guard(lambda _b, az=az: self.fail_az(az)))
        for az, b in self.restore_buttons.items():
            b.on_click(self.guard(lambda _b, az=az: self.restore_az(az)))
        for m, b in self.step_buttons.items():
            b.on_click(self.guard(lambda _b, m=m: self.advance(m)))
        self.play.observe(self.guard(self._on_play), names="value")

        zones = widgets.HBox([widgets.VBox([self.fail_buttons[az], self.restore_buttons[az]])
                              for az in group.availability_zones])
        self.root = widgets.VBox([
            widgets.HTML(f"<b>Scaling watch</b>: group <code>{html.escape(group.name)}</code> under its traffic"),
            widgets.HBox([self.profile_kind, self.param_box]),
            widgets.HBox([self.spike_factor, self.spike_minutes, self.spike_button]),
            zones,
            widgets.HBox([*self.step_buttons.values(), self.play, self.play_minutes]),
            self.caption, self.image, self.summary, self.panel, self.status, self.output])
        self._show_params()
        self._building = False
        self.refresh()

    # -- reading the model -------------------------------------------------------------------
    @property
    def profile(self):
        """The profile the workload follows now."""
        return self.workload.profile

    @property
    def target(self) -> float | None:
        """The CPU target of the group's target tracking policy, if it has one."""
        for p in self.group.policies.values():
            t = getattr(p, "target", None)
            if t is not None and t.predefined == "ASGAverageCPUUtilization":
                return t.target_value
        return None

    @property
    def frames_drawn(self) -> int:
        return self._chart.frames_drawn if self._chart is not None else 0

    def _collect(self) -> None:
        hist = self.workload.history
        s = self.series
        if self._seen > len(hist):     # the workload trimmed its history: start over
            self._seen = 0
            for v in s.values():
                v.clear()
        for row in hist[self._seen:]:
            s["time"].append(row.time)
            s["rps"].append(row.rps)
            s["errors"].append(row.errors)
            s["cpu"].append(row.cpu_avg)
            s["desired"].append(row.desired if row.desired is not None else self.group.desired_capacity)
            s["in_service"].append(row.in_service)
            s["response_ms"].append(row.response_ms)
        self._seen = len(hist)

    # -- events -------------------------------------------------------------------------------------
    def _policy_arns(self) -> set[str]:
        return {p.arn for p in self.group.policies.values()}

    def on_event(self, message) -> None:
        topic, data = message.topic, message.data
        g = self.group
        if topic == "autoscaling.group.desired" and data.get("group") == g.name:
            self.annotations.append(Annotation(message.time, "scale", f"{data['old']}\u2192{data['new']}"))
        elif topic == "autoscaling.activity" and data.get("group") == g.name and data.get("status") in (
                "InProgress", "WaitingForELBConnectionDraining", "Failed"):
            act = next((a for a in reversed(g.activities) if a.id == data.get("activity_id")), None)
            if act is not None and act.plain.startswith("!") and act.start == message.time:
                if act.plain.startswith("!replaced"):
                    label = "replace"
                elif act.plain.startswith("!rebalancing: launched"):
                    label = "rebalance"
                elif act.plain.startswith("!launch failed"):
                    label = "launch failed"
                else:
                    label = ""
                last = self.annotations[-1] if self.annotations else None
                if label and not (last and last.time == message.time and last.label == label):
                    self.annotations.append(Annotation(message.time, "health", label))
        elif topic == "cloudwatch.alarm.state":
            alarm = self.cloud.region(data.get("region", self.cloud.region_name)).cloudwatch.alarms.get(
                data.get("alarm"))
            if alarm is not None and set(alarm.alarm_actions) & self._policy_arns():
                name = alarm.name
                short = "High" if "AlarmHigh" in name else "Low" if "AlarmLow" in name else name[:14]
                self.annotations.append(Annotation(message.time, "alarm", f"{short} {data['new']}"))
        elif topic in ("az.failed", "az.restored") and data.get("az") in g.availability_zones:
            verb = "down" if topic == "az.failed" else "back"
            self.annotations.append(Annotation(message.time, "az", f"{data['az'][-2:]} {verb}"))
        else:
            return
        if len(self.annotations) > 5000:
            del self.annotations[:-5000]
        # A change made from another cell (set_desired_capacity, fail_az) redraws at once; events
        # fired while someone else advances the clock wait for the next refresh (no redraw storm).
        if not self._advancing and not self._building and not getattr(self.cloud.clock, "_running", False):
            self.refresh()

    # -- controls ------------------------------------------------------------------------------------
    def _show_params(self) -> None:
        self.param_box.children = [self.params[k] for k in _PARAMS[self.profile_kind.value]]

    def _base_profile(self):
        from ..workload import constant, daily_cycle, ramp, spike

        kind = self.profile_kind.value
        p = {k: w.value for k, w in self.params.items()}
        now = self.cloud.clock.now
        if kind == "constant":
            return constant(p["rps"])
        if kind == "ramp":
            return ramp(p["start"], p["end"], p["over_min"] * 60, at=now)
        if kind == "daily cycle":
            return daily_cycle(p["peak"], p["trough"], p["peak_hour"])
        if kind == "spike":
            return constant(p["base"]) * spike(1, p["factor"], at=now, duration=p["duration_min"] * 60)
        return self.given_profile

    def _apply_profile(self) -> None:
        from ..workload import spike

        profile = self._base_profile()
        for at, factor, seconds in self.spikes:
            profile = profile * spike(1, factor, at=at, duration=seconds)
        self.workload.profile = profile

    def _on_profile(self, change: dict[str, Any]) -> None:
        if self._building:
            return
        self._show_params()
        self._apply_profile()
        self.show_status(f"traffic from now on: {self.workload.profile!r}")

    def set_profile(self, kind: str, **params: float) -> None:
        """Choose a profile and its numbers, as the controls do: ``set_profile("daily cycle", peak=400)``."""
        if kind not in PROFILES:
            raise InvalidParameter("InvalidParameterValue", f"Profile {kind!r} is not offered: choose one of "
                                                            f"{', '.join(PROFILES)}.")
        bad = [k for k in params if k not in _PARAMS[kind]]
        if bad:
            raise InvalidParameter("InvalidParameterValue", f"The {kind} profile takes "
                                                            f"{', '.join(_PARAMS[kind]) or 'no numbers'}, not "
                                                            f"{', '.join(bad)}.")
        self._building = True
        try:
            for k, v in params.items():
                self.params[k].value = v
            self.profile_kind.value = kind
        finally:
            self._building = False
        self._on_profile({})

    def add_spike(self, factor: float | None = None, minutes: int | None = None) -> None:
        """Multiply the traffic by ``factor`` (default: the box) from now for ``minutes``."""
        factor = self.spike_factor.value if factor is None else factor
        minutes = self.spike_minutes.value if minutes is None else minutes
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor < 0:
            raise InvalidParameter("InvalidParameterValue", f"A spike factor is a number >= 0, not {factor!r}.")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise InvalidParameter("InvalidParameterValue", f"A spike lasts a whole number of minutes >= 1, "
                                                            f"not {minutes!r}.")
        self.spikes.append((self.cloud.clock.now, float(factor), minutes * 60.0))
        self._apply_profile()
        self.show_status(f"spike: traffic x{factor:g} for {minutes} minutes from now")

    def fail_az(self, az: str) -> None:
        """Fail one of the group's zones (``cloud.fail_az``) and redraw."""
        self._check_az(az)
        self.cloud.fail_az(az)
        self.refresh()

    def restore_az(self, az: str) -> None:
        self._check_az(az)
        self.cloud.restore_az(az)
        self.refresh()

    def _check_az(self, az: str) -> None:
        if az not in self.group.availability_zones:
            raise InvalidParameter("InvalidParameterValue", f"{az!r} is not a zone of group {self.group.name}: "
                                                            f"{', '.join(self.group.availability_zones)}.")

    def advance(self, minutes: int, *, chunk: int | None = None) -> None:
        """Move the clock ``minutes`` forward in chunks (default: 10 minutes, or all at once for
        less than 30), redrawing after each chunk."""
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise InvalidParameter("InvalidParameterValue", f"Advance by a whole number of minutes >= 1, "
                                                            f"not {minutes!r}.")
        chunk = chunk or (minutes if minutes < 30 else 10)
        left = minutes
        self._advancing = True
        try:
            while left > 0:
                step = min(chunk, left)
                self.cloud.clock.advance(minutes=step)
                left -= step
                self.refresh()
        finally:
            self._advancing = False

    def _on_play(self, change: dict[str, Any]) -> None:
        if change.get("new", 0) > change.get("old", 0):
            self.advance(self.play_minutes.value, chunk=self.play_minutes.value)

    # -- drawing ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the workload's history and the group's story, and redraw."""
        start = time.perf_counter()
        self._collect()
        if self._chart is None:
            self._chart = ScalingChart()
        g = self.group
        now = self.cloud.clock.to_datetime(self.cloud.clock.now).strftime("%a %H:%M")
        self.caption.value = (f"<div style='text-align:center;font-size:12px'>{html.escape(g.name)}: desired "
                              f"{g.desired_capacity}, in service {len(g.in_service)} at {now}</div>")
        self.image.value = self._chart.render(self.series, self.annotations, self.target)
        self.narration = g.narrate()
        self.panel.value = ("<pre style='font-size:11px;line-height:1.3;max-height:14em;overflow:auto'>"
                            + html.escape("\n".join(self.narration[-14:]) or "(nothing yet)") + "</pre>")
        self.summary.value = self._summary_html()
        failed = self.cloud.failed_azs
        for az in g.availability_zones:
            self.fail_buttons[az].disabled = az in failed
            self.restore_buttons[az].disabled = az not in failed
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_times.append(self.last_redraw_ms)
        del self.redraw_times[:-200]

    def _summary_html(self) -> str:
        g, s = self.group, self.series
        served = sum(s["rps"]) * 60 - sum(s["errors"])
        weighted = sum(r * (q * 60 - e) for r, q, e in zip(s["response_ms"], s["rps"], s["errors"], strict=True))
        mean_rt = weighted / served if served > 0 else 0.0
        ec2 = sum(m.cost(self.cloud.clock.now) for m in self.cloud.bill.meters
                  if m.service == "ec2" and "instance-hours" in m.usage)
        zones = ", ".join(f"{az} {n}" for az, n in g.zone_counts().items())
        failed = f"; <span style='color:#c62828'>failed: {', '.join(sorted(self.cloud.failed_azs))}</span>" \
            if self.cloud.failed_azs else ""
        return (f"min {g.min_size} / desired {g.desired_capacity} / max {g.max_size}; zones: {zones}{failed}<br>"
                f"{len(s['time'])} minutes watched: mean response {mean_rt:.0f} ms, "
                f"{sum(s['errors']):,.0f} failed requests; EC2 instance-hours so far ${ec2:.2f}")

    def close(self) -> None:
        self.play.playing = False
        super().close()

    def __repr__(self) -> str:
        g = self.group
        return (f"ScalingWatch({g.name!r}: desired {g.desired_capacity}, in service {len(g.in_service)}, "
                f"{len(self.series['time'])} minutes, {len(self.annotations)} markers)")
