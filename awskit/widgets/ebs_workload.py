"""Chapter 8 widget: the same I/O workload on several EBS volume types, side by side.

Tick the volume types to compare, set their size (and the provisioned IOPS/throughput of
the types that take them) and describe a workload: how many I/Os per second the
application asks for, how big each I/O is, random or sequential, and for how long.  The
bench runs the workload through :func:`awskit.ebs.run_workload` on one fresh volume of
each type and plots the IOPS achieved and the latency over time, one line per type, with a
table of what each volume delivered, what held it back and what it costs per month.

The bench works on a scratch copy of the world (a new :class:`~awskit.Cloud` in the same
Region for every run), not in your account: its volumes never show up in
``cloud.ebs.volumes`` or on your bill, your clock does not move, and every run starts as a
new volume does, with a full burst bucket.  A type the settings do not allow (an st1
volume smaller than 125 GiB, say) gets the error AWS would answer in its table row.
"""

from __future__ import annotations

import html
import math
import statistics
import time
from typing import Any

import ipywidgets as widgets

from ..core.errors import AWSError, InvalidParameter
from ..plots import ceil_nice
from ._base import Dashboard

__all__ = ["BENCH_TYPES", "TYPE_COLOURS", "VolumeBench", "WorkloadChart"]

#: the volume types the bench offers, SSD first
BENCH_TYPES = ("gp3", "gp2", "io2", "st1", "sc1")
TYPE_COLOURS = {"gp3": "#1565c0", "gp2": "#2e7d32", "io2": "#6a1b9a", "st1": "#e65100", "sc1": "#795548",
                "io1": "#ad1457", "standard": "#607d8b"}
#: durations offered, label -> seconds
DURATIONS = {"10 minutes": 600, "1 hour": 3600, "3 hours": 10800, "6 hours": 21600}
#: at most this many points per line (the step grows with the duration; 1 hour -> 5 s steps)
POINTS = 720
_LIMITS = {"": "nothing: demand met", "iops": "IOPS ceiling", "throughput": "throughput ceiling",
           "burst-credits": "burst credits ran out", "instance-bandwidth": "instance EBS bandwidth",
           "impaired": "volume impaired"}


class WorkloadChart:
    """Achieved IOPS (top) and latency (bottom, log scale) over time, one line per volume type.

    One :class:`~awskit.plots.BlitFigure` is kept for the chart's life.  Its frame (axes, ticks,
    grid, labels) depends only on the axis limits, which are rounded up (:func:`_nice_ceiling`)
    so they stay the same over many runs; each panel is a region of its own, so a new IOPS
    ceiling draws the IOPS panel again and pastes the latency panel.  The lines, the legend and
    the title are drawn at every render.  ``render(results)`` returns PNG bytes; the chart also
    shows itself in a notebook (``_repr_png_``) with the last results.
    """

    def __init__(self, dpi: int = 72) -> None:
        from ..plots import BlitFigure

        self.chart = BlitFigure((8.0, 5.0), dpi=dpi)
        self.fig = self.chart.figure
        self.ax_iops = self.fig.add_axes((0.1, 0.55, 0.86, 0.38))
        self.ax_lat = self.fig.add_axes((0.1, 0.09, 0.86, 0.36), sharex=self.ax_iops)
        self.ax_iops.set_ylabel("IOPS achieved", fontsize=9)
        self.ax_lat.set_ylabel("latency (ms, log)", fontsize=9)
        self.ax_lat.set_xlabel("minutes into the run", fontsize=9)
        self.ax_lat.set_yscale("log")
        for ax in (self.ax_iops, self.ax_lat):
            ax.grid(True, linewidth=0.3, color="#cfd8dc")
            ax.tick_params(labelsize=8)
        # the two panels, each with its axis labels; the title above is drawn at every render
        self.chart.add_region("iops panel", (0.0, 0.5, 1.0, 1.0), [self.ax_iops])
        self.chart.add_region("latency panel", (0.0, 0.0, 1.0, 0.5), [self.ax_lat])
        self.title = self.fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=9.5)
        (self.demand_line,) = self.ax_iops.plot([], [], ":", color="#424242", linewidth=1.2, label="demand")
        self.iops_lines: dict[str, Any] = {}
        self.lat_lines: dict[str, Any] = {}
        for name, colour in TYPE_COLOURS.items():
            (self.iops_lines[name],) = self.ax_iops.plot([], [], "-", color=colour, linewidth=1.6, label=name)
            (self.lat_lines[name],) = self.ax_lat.plot([], [], "-", color=colour, linewidth=1.4, label=name)
        self.chart.animate(*self.iops_lines.values(), self.demand_line, *self.lat_lines.values(), self.title)
        self._legend_key: tuple = ()
        self._legend = None

    @property
    def frames_drawn(self) -> int:
        """How many times the frame (axes, ticks, labels) had to be drawn."""
        return self.chart.frames_drawn

    def render(self, results: dict[str, Any], demand_iops: float | None = None, title: str = "") -> bytes:
        """Draw ``results`` (type name -> :class:`~awskit.ebs.WorkloadResult`) and return the PNG."""
        top, t_end, lat_lo, lat_hi = 1.0, 0.0, 0.1, 10.0
        lats: list[float] = []
        for name, line in self.iops_lines.items():
            result = results.get(name)
            lat_line = self.lat_lines[name]
            if result is None or not result.time:
                line.set_visible(False)
                lat_line.set_visible(False)
                continue
            minutes = [t / 60.0 for t in result.time]
            line.set_data(minutes, result.iops)
            # An impaired volume's latency is infinite: leave a gap in the line.
            finite = [x for x in result.latency_ms if x != math.inf]
            lat_line.set_data(minutes, [x if x != math.inf else math.nan for x in result.latency_ms])
            line.set_visible(True)
            lat_line.set_visible(True)
            top = max(top, max(result.iops))
            t_end = max(t_end, (result.time[-1] + result.step_s) / 60.0)
            lats += finite
        t_end = t_end or 60.0  # nothing to draw: an empty hour
        if demand_iops is not None:
            self.demand_line.set_data([0, t_end], [demand_iops, demand_iops])
            self.demand_line.set_visible(True)
            top = max(top, demand_iops)
        else:
            self.demand_line.set_visible(False)
        if lats:
            lat_lo = 10.0 ** math.floor(math.log10(max(min(lats), 1e-3)))
            lat_hi = 10.0 ** math.ceil(math.log10(max(lats) * 1.5))
        x_lim, iops_lim, lat_lim = (0.0, t_end), (0.0, _nice_ceiling(top * 1.08)), (lat_lo, lat_hi)
        shown = tuple(n for n in self.iops_lines if n in results and results[n].time)
        key = (shown, demand_iops is not None)
        if key != self._legend_key:  # the legend is rebuilt only when the set of lines changes
            if self._legend is not None:
                self._legend.remove()
                self.chart.animated.remove(self._legend)
            handles = [self.iops_lines[n] for n in shown] + ([self.demand_line] if demand_iops is not None else [])
            self._legend = self.ax_iops.legend(handles=handles, loc="upper right", fontsize=8, ncol=3,
                                               framealpha=0.85) if handles else None
            if self._legend is not None:
                self.chart.animate(self._legend)
            self._legend_key = key
        self.title.set_text(title)

        def set_limits() -> None:
            self.ax_iops.set_xlim(*x_lim)
            self.ax_iops.set_ylim(*iops_lim)
            self.ax_lat.set_ylim(*lat_lim)

        return self.chart.render({"frame": (x_lim, iops_lim, lat_lim), "iops panel": (x_lim, iops_lim),
                                  "latency panel": (x_lim, lat_lim)}, setup=set_limits)

    def _repr_png_(self) -> bytes:
        return self.chart._repr_png_()


def _nice_ceiling(value: float) -> float:
    """The next 'round' number at or above ``value`` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k).

    Rounding the axis limits keeps them (and the ticks) the same over many redraws, so the
    chart can reuse its drawn frame.
    """
    return ceil_nice(value, (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8))


def _duration_label(seconds: float) -> str:
    for label, value in DURATIONS.items():
        if value == seconds:
            return label
    return f"{seconds:g} s"


class VolumeBench(Dashboard):
    """Run one workload on several EBS volume types and compare what each delivers.

    Args:
        cloud: the awskit Cloud; the bench uses its Region (and works on a scratch copy).
        types: the volume types ticked at first (default: all of :data:`BENCH_TYPES`).
        size: GiB for every volume.
        iops: the application's demand in I/Os per second.
        io_size_kib, pattern, duration_s: the rest of the workload.

    What it shows is readable without pixels: ``results`` (type -> WorkloadResult),
    ``rows`` (one dict per ticked type: mean IOPS, MiB/s, p50 and mean latency, what limited
    it, monthly cost, or the error), ``errors`` (type -> AWS error code), and
    ``last_run_ms``/``last_redraw_ms`` (wall time of the simulation and of the picture).

    >>> from awskit import Cloud
    >>> bench = VolumeBench(Cloud(seed=0), types=("gp2", "gp3"), size=100, iops=3000)
    >>> bench.row("gp2")["limited by"], bench.row("gp3")["limited by"]
    ('burst credits ran out', 'nothing: demand met')
    >>> bench.results["gp2"].credits_exhausted_at
    2000.0
    >>> bench.close()
    """

    def __init__(self, cloud, *, types: tuple[str, ...] | list[str] = BENCH_TYPES, size: int = 125,
                 iops: int = 3000, io_size_kib: int = 16, pattern: str = "random",
                 duration_s: int = 3600) -> None:
        super().__init__(cloud)
        bad = [t for t in types if t not in BENCH_TYPES] if isinstance(types, (list, tuple)) else [types]
        if bad:
            raise InvalidParameter("InvalidParameterValue", f"The bench compares {', '.join(BENCH_TYPES)}; "
                                                            f"not {bad!r}.")
        if duration_s not in DURATIONS.values():
            raise InvalidParameter("InvalidParameterValue", f"duration_s={duration_s!r}: choose one of "
                                   f"{', '.join(f'{v} ({k})' for k, v in DURATIONS.items())}.")
        if pattern not in ("random", "sequential"):
            raise InvalidParameter("InvalidParameterValue", f"pattern={pattern!r}: 'random' or 'sequential'.")
        self.results: dict[str, Any] = {}
        self.rows: list[dict[str, Any]] = []
        self.errors: dict[str, str] = {}
        self.last_run_ms = 0.0
        self.last_redraw_ms = 0.0
        self.redraw_count = 0
        self._chart: WorkloadChart | None = None
        self._building = True

        self.checks = {t: widgets.Checkbox(value=t in types, description=t, indent=False,
                                           layout=widgets.Layout(width="70px")) for t in BENCH_TYPES}
        small = widgets.Layout(width="230px")
        style = {"description_width": "120px"}
        self.size = widgets.BoundedIntText(value=size, min=1, max=65536, description="size (GiB)",
                                           layout=small, style=style)
        self.gp3_iops = widgets.BoundedIntText(value=3000, min=1, max=256000, description="gp3 IOPS",
                                               layout=small, style=style)
        self.gp3_throughput = widgets.BoundedIntText(value=125, min=1, max=4000, description="gp3 MiB/s",
                                                     layout=small, style=style)
        self.io2_iops = widgets.BoundedIntText(value=4000, min=1, max=256000, description="io2 IOPS",
                                               layout=small, style=style)
        self.demand = widgets.BoundedIntText(value=iops, min=1, max=1_000_000, description="demand (IOPS)",
                                             layout=small, style=style)
        self.io_size = widgets.Dropdown(options=[4, 8, 16, 64, 128, 256, 1024], value=io_size_kib,
                                        description="I/O size (KiB)", layout=small, style=style)
        self.pattern = widgets.ToggleButtons(options=["random", "sequential"], value=pattern,
                                             style={"button_width": "90px"})
        self.duration = widgets.Dropdown(options=list(DURATIONS.items()), value=duration_s,
                                         description="duration", layout=small, style=style)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self.table = widgets.HTML()
        volume_box = widgets.VBox([widgets.HTML("<b>Volumes</b>"), widgets.HBox(list(self.checks.values())),
                                   self.size, self.gp3_iops, self.gp3_throughput, self.io2_iops])
        workload_box = widgets.VBox([widgets.HTML("<b>Workload</b>"), self.demand, self.io_size, self.pattern,
                                     self.duration])
        self.root = widgets.VBox([
            widgets.HTML("<b>EBS volume bench</b>: the same workload on each volume type "
                         "(scratch volumes: nothing is added to your account)"),
            widgets.HBox([volume_box, workload_box]), self.image, self.table, self.status, self.output])
        for control in (*self.checks.values(), self.size, self.gp3_iops, self.gp3_throughput, self.io2_iops,
                        self.demand, self.io_size, self.pattern, self.duration):
            control.observe(self.guard(self._on_change), names="value")
        self._building = False
        self.refresh()

    # -- what is shown ------------------------------------------------------------------
    @property
    def selected(self) -> list[str]:
        """The ticked volume types, in the bench's order."""
        return [t for t, box in self.checks.items() if box.value]

    def row(self, volume_type: str) -> dict[str, Any]:
        """The table row of one ticked type (KeyError-free: InvalidParameterValue if not shown)."""
        for r in self.rows:
            if r["type"] == volume_type:
                return r
        raise InvalidParameter("InvalidParameterValue", f"{volume_type!r} is not on the bench now; shown: "
                                                        f"{', '.join(r['type'] for r in self.rows) or 'none'}.")

    def summary_frame(self):
        """The table as a pandas DataFrame indexed by volume type (pandas imported on demand)."""
        import pandas as pd

        return pd.DataFrame(self.rows).set_index("type") if self.rows else pd.DataFrame()

    # -- reacting --------------------------------------------------------------------------
    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._building:
            self.refresh()

    def _volume_kwargs(self, vtype: str) -> dict[str, Any]:
        if vtype == "gp3":
            return {"iops": self.gp3_iops.value, "throughput": self.gp3_throughput.value}
        if vtype == "io2":
            return {"iops": self.io2_iops.value}
        return {}

    def run(self) -> None:
        """Run the workload on a fresh volume of each ticked type (on a scratch cloud)."""
        from ..cloud import Cloud

        start = time.perf_counter()
        lab = Cloud(seed=0, region=self.cloud.region_name)
        zone = lab.region(self.cloud.region_name).availability_zones[0].name
        duration = self.duration.value
        step = max(1.0, duration / POINTS)
        volumes, self.errors, self.results = {}, {}, {}
        for vtype in self.selected:
            try:
                volumes[vtype] = lab.ebs.create_volume(size=self.size.value, volume_type=vtype,
                                                       availability_zone=zone, **self._volume_kwargs(vtype))
            except AWSError as err:
                self.errors[vtype] = f"{err.code}: {err.message}"
        lab.clock.advance(seconds=10)  # the volumes become available
        rows = []
        for vtype in self.selected:
            if vtype in self.errors:
                rows.append({"type": vtype, "error": self.errors[vtype]})
                continue
            vol = volumes[vtype]
            result = lab.ebs.run_workload(vol, iops=self.demand.value, io_size_kib=self.io_size.value,
                                          pattern=self.pattern.value, duration_s=duration, step_s=step,
                                          advance_clock=False)
            self.results[vtype] = result
            summary = result.summary
            finite = [x for x in result.latency_ms if x != float("inf")]
            held = summary["throttled_by"]
            limit = max(held, key=held.get) if held else ""
            rows.append({
                "type": vtype,
                "mean IOPS": round(summary["iops"]["mean"]),
                "MiB/s": round(summary["throughput_mibps"]["mean"], 1),
                "p50 latency (ms)": round(statistics.median(finite), 2) if finite else None,
                "mean latency (ms)": round(sum(finite) / len(finite), 2) if finite else None,
                "limited by": _LIMITS.get(limit, limit),
                "limited for (s)": round(held.get(limit, 0.0)),
                "credits out at (s)": result.credits_exhausted_at,
                "USD / month": round(lab.ebs.monthly_cost(vol), 2),
            })
        self.rows = rows
        self.last_run_ms = (time.perf_counter() - start) * 1000

    def refresh(self) -> None:
        """Run the bench and redraw the chart and the table."""
        self.run()
        self.redraw()

    def redraw(self) -> None:
        """Redraw the chart and the table from ``results`` and ``rows`` (no simulation)."""
        start = time.perf_counter()
        if self._chart is None:
            self._chart = WorkloadChart()
        title = (f"{self.demand.value:,} IOPS of {self.io_size.value} KiB, {self.pattern.value}, for "
                 f"{_duration_label(self.duration.value)} on {self.size.value} GiB volumes")
        self.image.value = self._chart.render(self.results, self.demand.value, title)
        self.table.value = self._table_html()
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_count += 1
        if self.errors:
            self.show_status("; ".join(f"{t}: {e.split(':')[0]}" for t, e in self.errors.items())
                             + " (see the table)")
        else:
            self.show_status(f"ran in {self.last_run_ms:.0f} ms, drawn in {self.last_redraw_ms:.0f} ms")

    def _table_html(self) -> str:
        if not self.rows:
            return "<i>Tick at least one volume type.</i>"
        columns = [c for c in ("mean IOPS", "MiB/s", "p50 latency (ms)", "mean latency (ms)", "limited by",
                               "limited for (s)", "credits out at (s)", "USD / month")]
        head = "".join(f"<th style='padding:0 6px'>{html.escape(c)}</th>" for c in ["type", *columns])
        body = []
        for r in self.rows:
            dot = f"<span style='color:{TYPE_COLOURS[r['type']]}'>&#9632;</span> {r['type']}"
            if "error" in r:
                body.append(f"<tr><td>{dot}</td><td colspan='{len(columns)}' style='color:#b00020'>"
                            f"{html.escape(r['error'])}</td></tr>")
                continue
            cells = "".join(f"<td style='text-align:right;padding:0 6px'>"
                            f"{html.escape('-' if r[c] is None else (f'{r[c]:,}' if isinstance(r[c], (int, float)) else str(r[c])))}"
                            f"</td>" for c in columns)
            body.append(f"<tr><td>{dot}</td>{cells}</tr>")
        return ("<table style='border-collapse:collapse;font-size:12px'>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def __repr__(self) -> str:
        parts = [f"{r['type']} {r['mean IOPS']} IOPS" if "error" not in r else f"{r['type']} error"
                 for r in self.rows]
        return f"VolumeBench({self.demand.value} IOPS demand: {', '.join(parts) or 'no types ticked'})"
