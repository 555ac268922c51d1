"""Chapter 6 widget: what cross-zone load balancing does to each instance's share of traffic.

A load balancer has one node per Availability Zone and DNS spreads clients evenly over the
nodes.  With cross-zone load balancing **off**, a node only uses the instances of its own zone,
so an uneven layout gives uneven shares: with 2 instances in zone a and 8 in zone b, each of
the two gets 25% of all traffic and each of the eight 6.25%.  With it **on**, every node uses
every instance and each gets 10%.

Two sliders set the instances per zone, a toggle turns cross-zone on or off, and a choice
picks an Application or a Classic Load Balancer.  The bars are each instance's share as
:meth:`awskit.elb.ELBService.distribution` computes it; the dashed lines are the shares the
rule above predicts.  The view builds its load balancers and instances in a scratch copy of
the world (a new Cloud in the same Region), so your account, bill and clock are untouched.
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets

from ._base import Dashboard

__all__ = ["CrossZoneView", "ShareChart", "expected_shares"]

ZONE_COLOURS = ("#0969da", "#bf8700")
REQUESTS = 16_000  # divisible by 2 nodes and by every count of instances up to 8 per zone


def expected_shares(per_zone: dict[str, int], cross_zone: bool) -> dict[str, float]:
    """Each instance's share of traffic in each zone, by the rule (zone -> share per instance).

    DNS gives each zone's node an equal part; with cross-zone off a node splits its part over
    its own zone's instances only (a zone with none is left out of DNS); with it on, over all.

    >>> expected_shares({"us-east-1a": 2, "us-east-1b": 8}, cross_zone=False)
    {'us-east-1a': 0.25, 'us-east-1b': 0.0625}
    >>> expected_shares({"us-east-1a": 2, "us-east-1b": 8}, cross_zone=True)
    {'us-east-1a': 0.1, 'us-east-1b': 0.1}
    """
    total = sum(per_zone.values())
    if total == 0:
        return {z: 0.0 for z in per_zone}
    if cross_zone:
        return {z: 1 / total for z in per_zone}
    used = [z for z, n in per_zone.items() if n]
    return {z: (1 / len(used) / n if n else 0.0) for z, n in per_zone.items()}


class ShareChart:
    """A bar per instance (its share of traffic) and a dashed line per zone (the expected share).

    A :class:`~awskit.plots.BlitFigure` lives as long as the chart: its frame (axes, ticks,
    labels) is drawn once and kept as pixels; a redraw moves and resizes the existing bars,
    moves the lines, pastes the frame and draws only those artists.
    """

    def __init__(self, slots: int, dpi: int = 72) -> None:
        from ..plots import BlitFigure

        self.blit = BlitFigure((7.0, 3.2), dpi=dpi)
        self.fig = self.blit.figure
        self.ax = self.fig.add_axes((0.1, 0.14, 0.86, 0.72))
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(0, 0.55)
        self.ax.set_xticks([])
        self.ax.set_yticks([0, 0.1, 0.2, 0.3, 0.4, 0.5], ["0%", "10%", "20%", "30%", "40%", "50%"])
        self.ax.tick_params(labelsize=8)
        self.ax.set_ylabel("share of all requests", fontsize=9)
        self.ax.grid(True, axis="y", linewidth=0.3, color="#cfd8dc")
        self.bars = list(self.ax.bar([0.0] * slots, [0.0] * slots, width=0.01, color=ZONE_COLOURS[0]))
        self.lines = [self.ax.plot([], [], "--", color="#24292f", linewidth=1.2)[0] for _ in range(2)]
        self.labels = [self.ax.text(0, -0.035, "", ha="center", va="top", fontsize=8) for _ in range(2)]
        self.title = self.fig.text(0.5, 0.93, "", ha="center", va="center", fontsize=9.5)
        self.blit.animate(*self.bars, *self.lines, *self.labels, self.title)

    def render(self, groups: list[tuple[str, list[float], float]], title: str = "") -> bytes:
        """Draw ``groups``: (zone, the share of each of its instances, the expected share)."""
        n = sum(len(shares) for _, shares, _ in groups)
        slot = 1.0 / max(n, 1)
        i = 0
        for g, (zone, shares, expected) in enumerate(groups):
            first = i
            for share in shares:
                bar = self.bars[i]
                bar.set_x(i * slot + 0.1 * slot)
                bar.set_width(0.8 * slot)
                bar.set_height(share)
                bar.set_color(ZONE_COLOURS[g % 2])
                bar.set_visible(True)
                i += 1
            line, label = self.lines[g], self.labels[g]
            line.set_data([first * slot, i * slot], [expected, expected])
            line.set_visible(bool(shares))
            label.set_position(((first + i) / 2 * slot, -0.035))
            label.set_text(f"{zone} ({len(shares)})")
            label.set_visible(bool(shares))
        for bar in self.bars[i:]:
            bar.set_visible(False)
        self.title.set_text(title)
        self.title.set_visible(True)
        return self.blit.render()  # the frame never changes: one key (None) for the chart's life

    def _repr_png_(self) -> bytes:
        return self.blit.last_png


class CrossZoneView(Dashboard):
    """Instances per zone, cross-zone on/off, ALB or classic -> each instance's share of traffic.

    Args:
        cloud: the awskit Cloud (its Region is used; the lab itself lives in a scratch Cloud).
        a, b: instances at first in the first and second zone (default 2 and 8).
        max_per_zone: the sliders' upper end (1-8).

    Read the outcome from ``shares`` (instance id -> fraction of all requests, from
    ``distribution``), ``expected`` (zone -> the rule's share per instance), ``per_az`` (zone
    -> fraction), ``zones`` and ``last_redraw_ms``.

    >>> from awskit import Cloud
    >>> view = CrossZoneView(Cloud(seed=1), a=2, b=8)
    >>> view.cross_zone.value = False
    >>> view.expected
    {'us-east-1a': 0.25, 'us-east-1b': 0.0625}
    >>> view.cross_zone.value = True
    >>> sorted(set(round(s, 4) for s in view.shares.values()))
    [0.1]
    >>> view.close()
    """

    def __init__(self, cloud, *, a: int = 2, b: int = 8, max_per_zone: int = 8) -> None:
        super().__init__(cloud)
        from ..cloud import Cloud
        from ..core.errors import InvalidParameter
        from ..http import Response

        for value, what, low, high in ((max_per_zone, "max_per_zone", 1, 8), (a, "a", 1, max_per_zone),
                                       (b, "b", 1, max_per_zone)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidParameter("InvalidParameterValue",
                                       f"{what} must be a whole number from {low} to {high}, not {value!r}.")
        self.lab = Cloud(seed=6, region=cloud.region_name)
        elb, vpc = self.lab.elb, self.lab.vpc.default_vpc
        subnets = [s for s in vpc.subnets if s.default_for_az][:2]
        self.zones = [s.availability_zone.name for s in subnets]
        self.alb = elb.create_load_balancer("cross-zone-alb", subnets=subnets)
        self.group = elb.create_target_group("cross-zone-web", vpc=vpc, health_check_interval=5,
                                             health_check_timeout=2, healthy_threshold=2)
        elb.modify_target_group_attributes(self.group, {"deregistration_delay.timeout_seconds": "0"})
        elb.create_listener(self.alb, port=80, default_actions=self.group)
        self.classic = elb.create_classic_load_balancer("cross-zone-classic", listeners=[("HTTP", 80, "HTTP", 80)],
                                                        subnets=subnets)
        elb.configure_health_check(self.classic, target="HTTP:80/", interval=5, timeout=2, healthy_threshold=2)
        # every instance the sliders can ask for, launched once (t2.micro: 1 vCPU each)
        self.pool: dict[str, list[Any]] = {}
        for s in subnets:
            batch = self.lab.ec2.run_instances(instance_type="t2.micro", min_count=max_per_zone, subnet=s).instances
            for inst in batch:
                inst.serve(lambda req: Response(200, body="ok"))
            self.pool[s.availability_zone.name] = batch
        self.lab.clock.advance(minutes=3)  # the ALB provisions, the instances boot
        self.shares: dict[str, float] = {}
        self.per_az: dict[str, float] = {}
        self.expected: dict[str, float] = {}
        self.last_redraw_ms = 0.0
        self.redraw_count = 0
        self.chart = ShareChart(2 * max_per_zone)
        self.image = widgets.Image(format="png")
        self.counts = {z: widgets.IntSlider(value=v, min=1, max=max_per_zone, description=z,
                                            continuous_update=False)
                       for z, v in zip(self.zones, (a, b))}
        self.cross_zone = widgets.ToggleButtons(options=[("cross-zone off", False), ("cross-zone on", True)],
                                                value=False)
        self.kind = widgets.ToggleButtons(options=[("Application LB", "application"), ("Classic LB", "classic")],
                                          value="application")
        self.summary = widgets.HTML()
        self.root = widgets.VBox([
            widgets.HTML("<b>Cross-zone load balancing</b>: instances per zone -> each one's share of requests"),
            widgets.HBox(list(self.counts.values())), widgets.HBox([self.cross_zone, self.kind]),
            self.image, self.summary, self.status, self.output])
        for control in (*self.counts.values(), self.cross_zone, self.kind):
            control.observe(self.guard(lambda _c: self.update()), names="value")
        self.update()

    @property
    def balancer(self) -> Any:
        return self.alb if self.kind.value == "application" else self.classic

    def _sync(self) -> None:
        """Register exactly the instances the sliders ask for, apply cross-zone, wait until in service."""
        elb = self.lab.elb
        want = [i for z in self.zones for i in self.pool[z][: self.counts[z].value]]
        want_ids = {i.id for i in want}
        on = self.cross_zone.value
        elb.modify_target_group_attributes(self.group, {"load_balancing.cross_zone.enabled": str(on).lower()})
        elb.modify_classic_load_balancer_attributes(self.classic, cross_zone=on)
        have = {t.id for t in self.group.targets.values()}
        gone = [i for i in have if i not in want_ids]
        if gone:
            elb.deregister_targets(self.group, gone)
        new = [i for i in want if i.id not in have]
        if new:
            elb.register_targets(self.group, new)
        gone_classic = [i for i in self.classic.instances if i not in want_ids]
        if gone_classic:
            elb.deregister_instances_from_load_balancer(self.classic, gone_classic)
        new_classic = [i for i in want if i.id not in self.classic.instances]
        if new_classic:
            elb.register_instances_with_load_balancer(self.classic, new_classic)
        self.lab.clock.run_until_true(
            lambda: all(t.state.value == "healthy" for t in self.group.targets.values())
            and all(i.in_service for i in self.classic.instances.values()), timeout=120, poll=5)

    def update(self) -> None:
        """Apply the controls and redraw the bars and the expected shares."""
        start = time.perf_counter()
        self._sync()
        lb = self.balancer
        dist = self.lab.elb.distribution(lb, REQUESTS)
        shares = {label.split(":")[0]: n / REQUESTS for label, n in dist.per_target.items()}
        self.shares = shares
        self.per_az = {z: dist.per_az.get(z, 0) / REQUESTS for z in self.zones}
        counts = {z: self.counts[z].value for z in self.zones}
        self.expected = expected_shares(counts, self.cross_zone.value)
        groups = [(z, [shares.get(i.id, 0.0) for i in self.pool[z][: counts[z]]], self.expected[z])
                  for z in self.zones]
        kind = "Application" if lb is self.alb else "Classic"
        title = f"{kind} Load Balancer, cross-zone {'on' if self.cross_zone.value else 'off'}"
        self.image.value = self.chart.render(groups, title)
        self.summary.value = self._summary_html(counts)
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_count += 1

    def _summary_html(self, counts: dict[str, int]) -> str:
        on = self.cross_zone.value
        total = sum(counts.values())
        parts = []
        for z in self.zones:
            n = counts[z]
            measured = self.per_az[z] / n if n else 0.0
            parts.append(f"each of the {n} in {z}: expected <b>{self.expected[z]:.2%}</b>, measured {measured:.2%} "
                         f"(the zone gets {self.per_az[z]:.1%})")
        rule = (f"cross-zone on: every node spreads over all {total} instances, 1/{total} each" if on else
                "cross-zone off: each zone's node gets 1/2 of the clients and splits it over its own zone's "
                "instances only")
        return f"<div>{rule}.</div><ul>" + "".join(f"<li>{p}</li>" for p in parts) + "</ul>"

    def __repr__(self) -> str:
        counts = {z: s.value for z, s in self.counts.items()} if hasattr(self, "counts") else {}
        return f"CrossZoneView({counts}, cross_zone={getattr(self, 'cross_zone', None) and self.cross_zone.value})"
