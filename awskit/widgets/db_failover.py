"""Chapters 11 and 14 widget: what an application sees while a database fails over.

A *probe* plays the application: every few simulated seconds it connects to the database's
endpoint (an RDS instance's, or an Aurora cluster's writer endpoint) and writes one row
into a small table of its own, ``failover_probe``, then notes whether that worked and which
Availability Zone answered.  Buttons break things (fail the primary's or writer's AZ,
reboot with failover, and for Aurora break copies of the cluster volume), and clock buttons
move simulated time so the probe runs.  The timeline shows availability as a coloured band
(green: writes work, amber: reads only, red: nothing answers), the failover start and
completion from the model's own record (:meth:`RDSService.failover_timeline`), and the AZ
of the primary over time; under it, the RDS events the service logged.

The probe is the only thing the view adds to the database (its table and rows); it runs only
when the view's own clock buttons or :meth:`FailoverTimeline.advance` move time, and right
after each button, so it measures the outage to within one probe interval.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ..core.errors import AWSError, InvalidParameter
from ..plots import new_figure, png_bytes
from ._base import Dashboard

__all__ = ["FailoverTimeline", "Probe"]

#: the clock steps the buttons offer: label -> seconds
STEPS = {"+1 min": 60, "+5 min": 300}
#: band colours: writes work, reads only, nothing answers
COLOURS = {"up": "#2e7d32", "read-only": "#f9a825", "down": "#c62828"}
PROBE_TABLE = "failover_probe"


@dataclass(slots=True, frozen=True)
class Probe:
    """One probe: when, whether the write (and a read) worked, who answered, or the error code."""

    time: float            # simulated seconds since the view was built
    write_ok: bool
    read_ok: bool
    az: str | None         # the AZ of the primary (or writer) when the probe ran
    server: str | None     # the DB instance that answered the session
    error: str | None = None

    @property
    def state(self) -> str:
        return "up" if self.write_ok else "read-only" if self.read_ok else "down"


class FailoverTimeline(Dashboard):
    """Break an RDS instance or an Aurora cluster and watch a probe measure the outage.

    Args:
        cloud: the awskit Cloud.
        target: a DB instance or Aurora cluster (object or identifier).
        probe_interval: simulated seconds between probes (default 10).
        user, password: the login the probe uses (default: the master user's).

    State for tests and curious students: ``probes`` (a list of :class:`Probe`), ``events``
    (the RDS events of the target as dicts: time in seconds since ``t0``, source, message),
    ``timeline`` (the model's failover record), ``outage_seconds`` (how long writes failed,
    as the probe measured it), ``redraw_count`` and ``last_redraw_ms``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=3)
    >>> db = cloud.rds.create_db_instance("shop", engine="mysql", instance_class="db.t3.micro",
    ...     allocated_storage=20, master_username="admin", master_password="s3cretpass", multi_az=True)
    >>> cloud.clock.advance(minutes=6)
    >>> view = FailoverTimeline(cloud, db)
    >>> view.fail_button.click()
    >>> view.probes[-1].state
    'down'
    >>> view.step_buttons["+5 min"].click()
    >>> view.probes[-1].state, 60 <= view.outage_seconds <= 130
    ('up', True)
    >>> view.close()
    """

    topics = ("rds.*", "az.*")

    def __init__(self, cloud, target: Any, *, probe_interval: float = 10.0, user: str | None = None,
                 password: str | None = None) -> None:
        super().__init__(cloud)
        self.ready = False
        self._quiet = 0
        try:
            self.target, self.is_cluster = self._resolve(target)
            if isinstance(probe_interval, bool) or not isinstance(probe_interval, (int, float)) \
                    or not 1 <= probe_interval <= 3600:
                raise InvalidParameter("InvalidParameterValue",
                                       f"probe_interval is simulated seconds from 1 to 3600, not {probe_interval!r}.")
        except Exception:
            self.close()
            raise
        self.probe_interval = float(probe_interval)
        self.user = user if user is not None else self.target.master_username
        self._password = password if password is not None else self.target._password
        self.t0 = cloud.clock.now
        self.probes: list[Probe] = []
        self.events: list[dict[str, Any]] = []
        self.timeline: list[tuple[float, str, str, bool]] = []
        self.redraw_count = 0
        self.last_redraw_ms = 0.0
        self._conn = None
        self._table_ready = False
        self._chart: _Chart | None = None
        kind = "Aurora cluster" if self.is_cluster else "DB instance"
        self.fail_button = widgets.Button(description="Fail AZ", tooltip="fail the AZ of the primary / writer",
                                          button_style="danger")
        self.restore_button = widgets.Button(description="Restore AZ", tooltip="bring failed AZs back")
        self.reboot_button = widgets.Button(description="Reboot with failover" if not self.is_cluster
                                            else "Failover cluster", layout=widgets.Layout(width="170px"))
        self.step_buttons = {label: widgets.Button(description=label, layout=widgets.Layout(width="70px"))
                             for label in STEPS}
        self.fail_button.on_click(self.guard(lambda _b: self.fail_az()))
        self.restore_button.on_click(self.guard(lambda _b: self.restore_az()))
        self.reboot_button.on_click(self.guard(lambda _b: self.reboot_with_failover()))
        for label, button in self.step_buttons.items():
            button.on_click(self.guard(lambda _b, s=STEPS[label]: self.advance(s)))
        actions: list[widgets.Widget] = [self.fail_button, self.restore_button, self.reboot_button]
        self.node = self.node_fail_button = self.node_repair_button = None
        if self.is_cluster:
            self.node = widgets.Dropdown(options=list(range(6)), value=0, description="copy",
                                         layout=widgets.Layout(width="130px"))
            self.node_fail_button = widgets.Button(description="Fail storage node")
            self.node_repair_button = widgets.Button(description="Repair node")
            self.node_fail_button.on_click(self.guard(lambda _b: self.fail_storage_node(self.node.value)))
            self.node_repair_button.on_click(self.guard(lambda _b: self.restore_storage_node(self.node.value)))
            actions += [self.node, self.node_fail_button, self.node_repair_button]
        self.summary = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="680px"))
        self.table = widgets.HTML()
        self.root = widgets.VBox([
            widgets.HTML(f"<b>Failover timeline</b> of {kind} <code>{html.escape(self.target.id)}</code>: a probe "
                         f"connects and writes every {self.probe_interval:g} simulated seconds"),
            widgets.HBox(actions),
            widgets.HBox([widgets.HTML("clock&nbsp;"), *self.step_buttons.values(), self.summary]),
            self.image, self.table, self.status, self.output])
        self.ready = True
        self.probe()
        self.refresh()

    def _resolve(self, target: Any):
        from ..rds.aurora import DBCluster

        rds = self.cloud.rds
        if isinstance(target, DBCluster):
            return rds.get_db_cluster(target), True
        if isinstance(target, str) and target.lower() in {c.id for c in rds.db_clusters}:
            return rds.get_db_cluster(target), True
        db = rds.get_db_instance(target)
        if db.cluster is not None:
            return db.cluster, True
        return db, False

    # -- what the model says ---------------------------------------------------------------
    @property
    def primary(self):
        """The DB instance taking writes now (the instance itself, or the cluster's writer)."""
        return self.target.writer if self.is_cluster else self.target

    @property
    def primary_az(self) -> str | None:
        p = self.primary
        return None if p is None else p.az

    @property
    def now(self) -> float:
        """Simulated seconds since the view was built."""
        return self.cloud.clock.now - self.t0

    @property
    def outage_seconds(self) -> float:
        """How long writes failed, as the probe saw it: for each run of failed probes, from its
        first failure to the first success after it (or to now, if still failing)."""
        total, start = 0.0, None
        for p in self.probes:
            if not p.write_ok and start is None:
                start = p.time
            elif p.write_ok and start is not None:
                total += p.time - start
                start = None
        if start is not None:
            total += self.now - start
        return total

    # -- actions ----------------------------------------------------------------------------
    def _act(self, fn) -> Any:
        self._quiet += 1       # one probe and one redraw after the action, not one per event
        try:
            result = fn()
        finally:
            self._quiet -= 1
        self.probe()
        self.refresh()
        return result

    def fail_az(self) -> str:
        """Fail the Availability Zone of the primary (or the cluster's writer); returns its name."""
        az = self.primary_az
        if az is None:
            raise InvalidParameter("InvalidDBClusterStateFault",
                                   f"Cluster {self.target.id} has no DB instance yet: add a writer first.")
        self._act(lambda: self.cloud.fail_az(az))
        self.show_status(f"{az} failed at +{self.now:.0f} s. Move the clock and watch the probe.")
        return az

    def restore_az(self) -> list[str]:
        """Bring back every failed Availability Zone; returns their names."""
        azs = sorted(self.cloud.failed_azs)

        def restore() -> None:
            for az in azs:
                self.cloud.restore_az(az)

        self._act(restore)
        self.show_status(f"restored {', '.join(azs)}" if azs else "no Availability Zone is down")
        return azs

    def reboot_with_failover(self) -> None:
        """RDS: ``reboot_db_instance(force_failover=True)``; Aurora: ``failover_db_cluster``."""
        if self.is_cluster:
            self._act(lambda: self.cloud.rds.failover_db_cluster(self.target))
        else:
            self._act(lambda: self.cloud.rds.reboot_db_instance(self.target, force_failover=True))
        self.show_status(f"failover requested at +{self.now:.0f} s")

    def fail_storage_node(self, n: int):
        """Aurora: break copy ``n`` (0-5) of the cluster volume."""
        copy = self._act(lambda: self._cluster_only().fail_storage_node(n))
        self.show_status(f"storage copy {n} ({copy.az}) failed: {self.target.healthy_copies()} of 6 healthy")
        return copy

    def restore_storage_node(self, n: int):
        """Aurora: repair copy ``n`` of the cluster volume."""
        copy = self._act(lambda: self._cluster_only().restore_storage_node(n))
        self.show_status(f"storage copy {n} ({copy.az}) repaired: {self.target.healthy_copies()} of 6 healthy")
        return copy

    def _cluster_only(self):
        if not self.is_cluster:
            raise InvalidParameter("InvalidParameterCombination",
                                   f"{self.target.id} is an RDS instance: storage nodes belong to Aurora clusters.")
        return self.target

    def advance(self, seconds: float) -> None:
        """Move the clock forward, probing every ``probe_interval`` seconds on the way."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise InvalidParameter("InvalidParameterValue", f"advance takes seconds >= 0, not {seconds!r}.")
        self._quiet += 1
        try:
            left = float(seconds)
            while left > 1e-9:
                step = min(self.probe_interval, left)
                self.cloud.clock.advance(seconds=step)
                left -= step
                self.probe()
        finally:
            self._quiet -= 1
        self.refresh()

    # -- the probe -----------------------------------------------------------------------------
    def probe(self) -> Probe:
        """Connect (if needed) and write one row, then read it back; record what happened."""
        from ..rds.sql import Error as SQLError

        write_ok = read_ok = False
        error = server = None
        for attempt in (1, 2):          # a broken session: reconnect once, as an application would
            try:
                if self._conn is None:
                    self._conn = self.cloud.rds.connect(self.target, self.user, self._password)
                server = self._conn.server_id
                try:
                    if not self._table_ready:
                        self._conn.execute(f"CREATE TABLE IF NOT EXISTS {PROBE_TABLE} (at REAL, note TEXT)")
                        self._conn.commit()
                        self._table_ready = True
                    self._conn.execute(f"INSERT INTO {PROBE_TABLE} (at, note) VALUES (?, ?)",
                                       (self.cloud.clock.now, "probe"))
                    self._conn.commit()
                    write_ok = True
                except SQLError as err:
                    if err.code == "ConnectionLost":
                        raise
                    error = err.code       # e.g. StorageQuorumLost: the write failed, try a read
                self._conn.execute("SELECT 1").fetchall()
                read_ok = True
                break
            except SQLError as err:
                error = err.code
                self._conn = None
                if err.code != "ConnectionLost" or attempt == 2:
                    break
        if write_ok:
            error = None
        record = Probe(time=self.now, write_ok=write_ok, read_ok=read_ok, az=self.primary_az, server=server,
                       error=error)
        self.probes.append(record)
        return record

    # -- reacting and drawing --------------------------------------------------------------------
    def on_event(self, message) -> None:
        if not self.ready or self._quiet:
            return
        ids = {self.target.id} | ({m.id for m in self.target.members} if self.is_cluster else set())
        if message.topic.startswith("az.") or message.data.get("id") in ids:
            self.refresh()

    def _read_model(self) -> None:
        rds = self.cloud.rds
        ids = {self.target.id}
        if self.is_cluster:
            ids |= {m.id for m in self.target.members}
        self.events = [{"time": e.time - self.t0, "source": e.source_id, "message": e.message}
                       for e in rds.describe_events() if e.source_id in ids]
        self.timeline = [(t - self.t0, what, az, ok) for t, what, az, ok in rds.failover_timeline(self.target)]

    def refresh(self) -> None:
        """Re-read the model and redraw the chart and the events table."""
        start = time.perf_counter()
        try:
            self._read_model()
        except AWSError:
            self.timeline = []      # the target was deleted: keep what the probe saw
        last = self.probes[-1] if self.probes else None
        colour = COLOURS[last.state] if last else "#616161"
        self.summary.value = (
            f"&nbsp;now <b>+{self.now:.0f} s</b> ({self.cloud.clock.isoformat()}); probe: "
            f"<b style='color:{colour}'>{last.state if last else '-'}</b>"
            f"{f' ({html.escape(last.error)})' if last and last.error else ''}; primary in "
            f"<b>{self.primary_az or '-'}</b>; writes failed for <b>{self.outage_seconds:.0f} s</b> so far")
        if self._chart is None:
            self._chart = _Chart()
        self.image.value = self._chart.render(self.probes, self.timeline, self.now, self.probe_interval)
        self.table.value = self._table_html()
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_count += 1

    def _table_html(self) -> str:
        if not self.events:
            return "<i>No RDS events yet.</i>"
        shown = self.events[-12:]
        more = len(self.events) - len(shown)
        rows = "".join(f"<tr><td style='text-align:right'>{e['time']:+.0f} s</td><td><code>{html.escape(e['source'])}"
                       f"</code></td><td>{html.escape(e['message'])}</td></tr>" for e in shown)
        note = f"<i>... ({more} earlier events omitted)</i>" if more else ""
        return ("<b>RDS events</b> (describe_events)" + note +
                "<table style='border-collapse:collapse;font-size:12px'><thead><tr><th>time</th><th>source</th>"
                f"<th>message</th></tr></thead><tbody>{rows}</tbody></table>")

    def close(self) -> None:
        if getattr(self, "_conn", None) is not None:
            self._conn.close()
            self._conn = None
        super().close()

    def __repr__(self) -> str:
        last = self.probes[-1].state if self.probes else "-"
        return (f"FailoverTimeline({self.target.id!r}, now=+{self.now:.0f} s, probe={last}, "
                f"outage={self.outage_seconds:.0f} s)")


class _Chart:
    """One Agg figure for the view's life: availability band and markers on top, primary AZ below.

    Every render draws the whole figure: the time axis follows the clock at each redraw, and
    the band and markers sit under the axes' spines, so there is no kept picture to paste
    (unlike a :class:`~awskit.plots.BlitFigure`).  The PNG is encoded with the fast
    :func:`~awskit.plots.png_bytes`.
    """

    def __init__(self, dpi: int = 72) -> None:
        from matplotlib.patches import Patch

        self.fig = new_figure(dpi)
        self.fig.set_size_inches(8.6, 3.4)
        self.band = self.fig.add_axes((0.12, 0.62, 0.85, 0.22))
        self.azs = self.fig.add_axes((0.12, 0.14, 0.85, 0.40), sharex=self.band)
        self.band.set_yticks([])
        self.band.set_ylim(0, 1)
        self.band.tick_params(labelbottom=False, labelsize=8)
        self.azs.tick_params(labelsize=8)
        self.azs.set_xlabel("simulated seconds since the view started", fontsize=9)
        self.azs.set_ylabel("primary AZ", fontsize=8)
        self.azs.grid(True, axis="x", linewidth=0.3, color="#cfd8dc")
        handles = [Patch(color=c, label={"up": "writes work", "read-only": "reads only",
                                          "down": "no answer"}[k]) for k, c in COLOURS.items()]
        handles += [Patch(color="#6a1b9a", label="failover started"), Patch(color="#1565c0", label="completed")]
        self.band.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.02), ncol=5, fontsize=8,
                         frameon=False)
        self._artists: list[Any] = []

    def render(self, probes: list[Probe], timeline: list, now: float, interval: float) -> bytes:
        for artist in self._artists:
            artist.remove()
        self._artists = []
        spans: dict[str, list[tuple[float, float]]] = {k: [] for k in COLOURS}
        run_start, run_state = None, None          # merge runs of one state into one bar
        for i, p in enumerate(probes):
            if p.state != run_state:
                run_start, run_state = p.time, p.state
            end = probes[i + 1].time if i + 1 < len(probes) else max(now, p.time + interval * 0.5)
            last_of_run = i + 1 == len(probes) or probes[i + 1].state != run_state
            if last_of_run and end > run_start:
                spans[run_state].append((run_start, end - run_start))
        for state, items in spans.items():
            if items:
                self._artists.append(self.band.broken_barh(items, (0.1, 0.8), facecolors=COLOURS[state]))
        marks: dict[str, list[float]] = {"#6a1b9a": [], "#1565c0": []}
        for t, what, _az, ok in timeline:
            if t >= 0 and ("failover" in what or "recreat" in what):
                marks["#1565c0" if ok else "#6a1b9a"].append(t)
        for colour, xs in marks.items():   # one collection per colour: cheap however many failovers
            if xs:
                for ax in (self.band, self.azs):
                    self._artists.append(ax.vlines(xs, 0, 1, transform=ax.get_xaxis_transform(), colors=colour,
                                                   linestyles="--", linewidth=1.2))
        names = sorted({p.az for p in probes if p.az})
        self.azs.set_yticks(range(len(names)))
        self.azs.set_yticklabels(names, fontsize=8)
        self.azs.set_ylim(-0.6, max(len(names), 1) - 0.4)
        xs, ys = [], []
        for p in probes:                            # only the moments the primary's AZ changed
            if p.az and (not ys or names.index(p.az) != ys[-1]):
                xs.append(p.time)
                ys.append(names.index(p.az))
        if xs:
            xs.append(max(now, xs[-1]))
            ys.append(ys[-1])
            (line,) = self.azs.step(xs, ys, where="post", color="#37474f", linewidth=2)
            self._artists.append(line)
        top = max(now, interval * 6)
        self.band.set_xlim(-0.02 * top, 1.02 * top)
        self.fig.canvas.draw()
        return png_bytes(self.fig.canvas)
