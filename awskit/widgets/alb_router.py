"""Chapter 5 widget: follow one request through an Application Load Balancer.

Compose a request (method, host, path, headers, query string, the client's address) and send
it: the router shows the listener that took it, every rule in priority order with each of its
conditions marked ✓ or ✗, the rule that matched, what its action did (the target group and the
target chosen and why, the redirect's ``Location``, or the fixed response) and the response.
"Fire" sends the same request many times and counts what each target and each Availability
Zone received.

Below sits every target of the balancer with its health, coloured by state, and a Stop/Start
button per instance, with buttons that move the simulated clock.  Stop an instance, press
"+10 s" a few times and watch the health checks take it out of service and the traffic move to
the others.  The view listens to ``elb.target.health`` and ``ec2.instance.state`` events, so it
also follows changes made in other cells.  All routing is the model's
(:meth:`awskit.elb.ELBService.send`); the view only draws the decision trail.
"""

from __future__ import annotations

import html
import ipaddress
import time
from typing import Any

import ipywidgets as widgets

from ..core.errors import InvalidParameter
from ..http import Request
from ._base import Dashboard

__all__ = ["HEALTH_COLOURS", "ALBRouter", "parse_pairs"]

#: target state -> colour of its cell in the target table
HEALTH_COLOURS = {"initial": "#57606a", "healthy": "#1a7f37", "unhealthy": "#cf222e", "draining": "#9a6700",
                  "unused": "#8c959f", "unavailable": "#8c959f"}
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_OK = "<span style='color:#1a7f37'>&#10003;</span>"
_NO = "<span style='color:#cf222e'>&#10007;</span>"
_CELL = "padding:2px 6px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top"


def parse_pairs(text: str, what: str = "headers") -> dict[str, str]:
    """``"k=v"`` lines (``"k: v"`` is accepted too) as a dict; blank lines are skipped.

    >>> parse_pairs("User-Agent=curl\\nX-Env: beta")
    {'User-Agent': 'curl', 'X-Env': 'beta'}

    Raises: InvalidParameterValue for a line with neither ``=`` nor ``:``.
    """
    out: dict[str, str] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
        if cut <= 0:
            raise InvalidParameter("InvalidParameterValue",
                                   f"Write one {what[:-1]} per line as name=value, not {line!r}.")
        out[line[:cut].strip()] = line[cut + 1:].strip()
    return out


class ALBRouter(Dashboard):
    """Send requests through an Application Load Balancer and watch its decisions.

    Args:
        cloud: the awskit Cloud.
        lb: the Application Load Balancer (object, name or ARN) of the cloud's default Region.

    State to read (and test): ``last_result`` (the last
    :class:`~awskit.elb.RoutingResult`), ``trail`` (one dict per rule of the listener, in
    evaluation order: ``priority``, ``conditions`` as ``(description, verdict)`` with verdict
    True/False, ``evaluated``, ``matched``, ``action``), ``counts`` (target ``"id:port"`` ->
    requests of the last "Fire"), ``az_counts``, ``status_counts``, ``health``
    (``(target group, target id, port)`` -> state) and ``last_redraw_ms``.

    >>> from awskit import Cloud
    >>> from awskit.http import Response
    >>> cloud = Cloud(seed=1)
    >>> vpc = cloud.vpc.default_vpc
    >>> lb = cloud.elb.create_load_balancer("shop", subnets=vpc.subnets[:2])
    >>> tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
    >>> _ = cloud.elb.create_listener(lb, port=80, default_actions=tg)
    >>> web = cloud.ec2.run_instance(subnet=vpc.subnets[0])
    >>> web.serve(lambda req: Response(200, body="hello"))
    >>> _ = cloud.elb.register_targets(tg, web)
    >>> cloud.clock.advance(minutes=3)
    >>> router = ALBRouter(cloud, lb)
    >>> router.path.value = "/index.html"
    >>> router.send().status, router.trail[-1]["matched"]
    (200, True)
    >>> router.close()
    """

    topics = ("elb.target.health", "ec2.instance.state")

    def __init__(self, cloud, lb: Any) -> None:
        super().__init__(cloud)
        self._ready = False
        self.lb = _resolve_alb(cloud, lb)
        self.last_result = None
        self.trail: list[dict[str, Any]] = []
        self.counts: dict[str, int] = {}
        self.az_counts: dict[str, int] = {}
        self.status_counts: dict[int, int] = {}
        self.health: dict[tuple[str, str, int], str] = {}
        self.last_redraw_ms = 0.0
        self.redraw_count = 0
        short = widgets.Layout(width="260px")
        self.listener = widgets.Dropdown(description="Listener", layout=short)
        self.method = widgets.Dropdown(options=METHODS, value="GET", description="Method", layout=short)
        self.host = widgets.Text(value="shop.example.com", description="Host", layout=short)
        self.path = widgets.Text(value="/", description="Path", layout=widgets.Layout(width="360px"))
        self.headers = widgets.Textarea(placeholder="name=value, one per line", description="Headers",
                                        layout=widgets.Layout(width="360px", height="56px"))
        self.query = widgets.Textarea(placeholder="key=value, one per line", description="Query",
                                      layout=widgets.Layout(width="360px", height="56px"))
        self.source_ip = widgets.Text(value="198.51.100.7", description="Source IP", layout=short)
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="paper-plane")
        self.n_requests = widgets.BoundedIntText(value=100, min=1, max=10_000, description="Requests",
                                                 layout=widgets.Layout(width="180px"))
        self.fire_button = widgets.Button(description="Fire", icon="bolt")
        self.tick_10s = widgets.Button(description="+10 s", layout=widgets.Layout(width="70px"))
        self.tick_1m = widgets.Button(description="+1 min", layout=widgets.Layout(width="70px"))
        self.clock_label = widgets.HTML()
        self.clock_label.add_class("awskit-alb-clock")  # a stable handle for the browser test
        self.trail_view = widgets.HTML()
        self.counts_view = widgets.HTML()
        self.targets_view = widgets.HTML()
        self.instance_rows = widgets.VBox()
        self._buttons: dict[str, tuple[widgets.Button, widgets.Button, widgets.HTML]] = {}
        self._fill_listeners()
        self.root = widgets.VBox([
            widgets.HTML(f"<b>ALB router</b>: <code>{html.escape(self.lb.name)}</code> "
                         f"(<code>{html.escape(self.lb.dns_name)}</code>)"),
            widgets.HBox([widgets.VBox([self.listener, self.method, self.host, self.source_ip]),
                          widgets.VBox([self.path, self.headers, self.query])]),
            widgets.HBox([self.send_button, self.n_requests, self.fire_button]),
            self.trail_view, self.counts_view,
            widgets.HTML("<b>Targets</b> (stop an instance, then move the clock: the health checks decide)"),
            widgets.HBox([self.tick_10s, self.tick_1m, self.clock_label]),
            self.targets_view, self.instance_rows, self.status, self.output])
        self.send_button.on_click(self.guard(lambda _b: self.send()))
        self.fire_button.on_click(self.guard(lambda _b: self.fire()))
        self.tick_10s.on_click(self.guard(lambda _b: self.advance(10)))
        self.tick_1m.on_click(self.guard(lambda _b: self.advance(60)))
        self._ready = True
        self.refresh_targets()

    # -- composing ------------------------------------------------------------------------
    def _fill_listeners(self) -> None:
        options = [(f"{lst.protocol}:{lst.port}", lst.port) for lst in self.lb.listeners]
        keep = self.listener.value
        self.listener.options = options
        if keep in {v for _, v in options}:
            self.listener.value = keep

    def request(self) -> Request:
        """The request the controls describe.  Raises: InvalidParameterValue for a bad input."""
        path = self.path.value.strip() or "/"
        if not path.startswith("/"):
            raise InvalidParameter("InvalidParameterValue", f"A path starts with '/', e.g. '/api/orders', not {path!r}.")
        ip = self.source_ip.value.strip()
        try:
            ipaddress.IPv4Address(ip)
        except ValueError:
            raise InvalidParameter("InvalidParameterValue",
                                   f"The source IP is one IPv4 address such as 198.51.100.7, not {ip!r}.") from None
        headers = parse_pairs(self.headers.value, "headers")
        if self.host.value.strip():
            headers["Host"] = self.host.value.strip()
        query = parse_pairs(self.query.value, "query parameters")
        return Request(self.method.value, path, headers, query, "", ip)

    # -- actions ----------------------------------------------------------------------------
    def send(self):
        """Send the composed request once and draw its decision trail; returns the RoutingResult."""
        result = self.cloud.elb.send(self.lb, self.request(), port=self.listener.value)
        self.last_result = result
        self.trail = self._trail(result)
        self._draw(trail=True)
        return result

    def fire(self, n: int | None = None) -> dict[str, int]:
        """Send the composed request ``n`` times (default: the Requests box); returns requests per target."""
        n = self.n_requests.value if n is None else n
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10_000:
            raise InvalidParameter("InvalidParameterValue", f"Fire 1 to 10000 requests, not {n!r}.")
        base = self.request()
        port = self.listener.value
        counts: dict[str, int] = {}
        azs: dict[str, int] = {}
        statuses: dict[int, int] = {}
        result = None
        for _ in range(n):
            req = Request(base.method, base.path, dict(base.headers), dict(base.query), "", base.client_ip)
            result = self.cloud.elb.send(self.lb, req, port=port)
            statuses[result.status] = statuses.get(result.status, 0) + 1
            t = result.target
            if t is not None:
                key = f"{t.id}:{t.port}"
                counts[key] = counts.get(key, 0) + 1
                azs[t.availability_zone] = azs.get(t.availability_zone, 0) + 1
        self.counts, self.az_counts, self.status_counts = counts, azs, statuses
        self.last_result = result
        self.trail = self._trail(result)
        self._draw(trail=True, counts=True)
        return counts

    def advance(self, seconds: float) -> None:
        """Move the simulated clock (health checks run on the way)."""
        self.cloud.clock.advance(seconds=seconds)
        self.refresh_targets()

    def stop(self, instance_id: str) -> None:
        self.cloud.ec2.stop_instances([instance_id])
        self.refresh_targets()

    def start(self, instance_id: str) -> None:
        self.cloud.ec2.start_instances([instance_id])
        self.refresh_targets()

    # -- events -------------------------------------------------------------------------------
    def on_event(self, message) -> None:
        if self._ready:
            self.refresh_targets()

    # -- the trail ------------------------------------------------------------------------------
    @staticmethod
    def _trail(result) -> list[dict[str, Any]]:
        if result is None or result.listener is None:
            return []
        evaluated = {id(ev.rule): ev for ev in result.evaluations}
        rows = []
        for rule in result.listener.ordered_rules():
            ev = evaluated.get(id(rule))
            conds = [(c.describe(), c.matches(result.request), repr(c.actual(result.request)))
                     for c in rule.conditions]
            # the balancer stops at a rule's first failing condition; later ones were not needed
            seen = len(ev.conditions) if ev is not None else 0
            rows.append({"priority": rule.priority, "rule": rule, "evaluated": ev is not None,
                         "matched": bool(ev and ev.matched), "checked": seen,
                         "conditions": [(d, v) for d, v, _ in conds], "actual": [a for _, _, a in conds],
                         "action": rule.action.describe()})
        return rows

    def _trail_html(self) -> str:
        res = self.last_result
        if res is None:
            return "<i>Compose a request and press Send.</i>"
        lines = []
        if res.listener is None:
            return (f"<div style='padding:6px;background:#ffebe9'><b>{res.status}</b> "
                    f"{html.escape(res.explain())}</div>")
        node = f" via the node in {res.node.availability_zone}" if res.node is not None else ""
        lines.append(f"<div>Listener <b>{res.listener.protocol}:{res.listener.port}</b> took "
                     f"<code>{html.escape(res.request.method)} {html.escape(res.request.path)}</code>{node}.</div>")
        rows = []
        for row in self.trail:
            where = "default" if row["priority"] is None else str(row["priority"])
            if row["matched"]:
                style = "background:#dafbe1;font-weight:bold"
            elif not row["evaluated"]:
                style = "color:#8c959f"
            else:
                style = ""
            parts = []
            for i, ((desc, ok), actual) in enumerate(zip(row["conditions"], row["actual"])):
                mark = (_OK if ok else _NO) if row["evaluated"] and i < row["checked"] else "&middot;"
                parts.append(f"{mark} {html.escape(desc)} <small>(request: {html.escape(actual)})</small>")
            conds = "<br>".join(parts) or "<i>always</i>"
            verdict = "MATCH" if row["matched"] else ("no match" if row["evaluated"] else "not evaluated")
            rows.append(f"<tr style='{style}'><td style='{_CELL}'>{where}</td><td style='{_CELL}'>{conds}</td>"
                        f"<td style='{_CELL}'>{html.escape(row['action'])}</td><td style='{_CELL}'>{verdict}</td></tr>")
        lines.append("<table style='border-collapse:collapse;font-size:12px'><tr>"
                     f"<th style='{_CELL}'>priority</th><th style='{_CELL}'>conditions</th>"
                     f"<th style='{_CELL}'>action</th><th style='{_CELL}'></th></tr>{''.join(rows)}</table>")
        lines.append(f"<div>{self._action_html(res)}</div>")
        colour = "#1a7f37" if res.status < 400 else "#cf222e"
        body = res.response.body if len(res.response.body) <= 200 else res.response.body[:197] + "..."
        lines.append(f"<div style='padding:4px;border-left:4px solid {colour}'>Response <b style='color:{colour}'>"
                     f"{res.status} {html.escape(res.response.reason)}</b> from "
                     f"{'the target' if res.source == 'target' else 'the load balancer'}: "
                     f"<code>{html.escape(body)}</code></div>")
        return "".join(lines)

    @staticmethod
    def _action_html(res) -> str:
        action = res.action
        if action is None:
            return html.escape(res.steps[-1]) if res.steps else ""
        if action.type == "redirect":
            where = res.response.headers.get("Location", "")
            return f"Action <b>redirect</b> {res.status}: <code>Location: {html.escape(where)}</code>"
        if action.type == "fixed-response":
            return f"Action <b>fixed-response</b>: the load balancer answers {res.status} itself."
        tg = res.target_group.name if res.target_group is not None else "?"
        draw = f" (weighted draw {res.weight_draw:.2f})" if res.weight_draw is not None else ""
        if res.target is None:
            return f"Action <b>forward</b> to <b>{html.escape(tg)}</b>{draw}: no target ({html.escape(res.selection)})."
        t = res.target
        return (f"Action <b>forward</b> to <b>{html.escape(tg)}</b>{draw} &rarr; target <code>{t.id}:{t.port}</code> "
                f"in {t.availability_zone}: {html.escape(res.selection)}.")

    # -- counts and targets -------------------------------------------------------------------------
    def _counts_html(self) -> str:
        if not self.status_counts:
            return ""
        total = sum(self.status_counts.values())
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.status_counts.items()))

        def bars(title: str, data: dict[str, int]) -> str:
            rows = "".join(
                f"<tr><td style='{_CELL}'><code>{html.escape(k)}</code></td><td style='{_CELL}'>{n}</td>"
                f"<td style='{_CELL}'><div style='background:#0969da;height:10px;width:{200 * n / total:.0f}px'>"
                f"</div></td></tr>" for k, n in sorted(data.items()))
            return (f"<table style='border-collapse:collapse;font-size:12px;margin-right:16px'><tr>"
                    f"<th style='{_CELL}'>{title}</th><th style='{_CELL}'>requests</th><th></th></tr>{rows}</table>")

        return (f"<div><b>{total} requests</b> (status codes {statuses})</div><div style='display:flex'>"
                f"{bars('target', self.counts)}{bars('Availability Zone', self.az_counts)}</div>")

    def _instances(self) -> list[Any]:
        seen: dict[str, Any] = {}
        for tg in self.lb.target_groups_in_use():
            for t in tg.targets.values():
                if t.instance is not None:
                    seen.setdefault(t.instance.id, t.instance)
        return list(seen.values())

    def refresh_targets(self) -> None:
        """Re-read every target's health and every instance's state, and redraw them."""
        health = {}
        for tg in self.lb.target_groups_in_use():
            for t in tg.targets.values():
                health[(tg.name, t.id, t.port)] = t.state.value
        self.health = health
        self._draw(targets=True)

    def _targets_html(self) -> str:
        rows = []
        for tg in self.lb.target_groups_in_use():
            for t in tg.targets.values():
                colour = HEALTH_COLOURS.get(t.state.value, "#57606a")
                inst = t.instance.state.value if t.instance is not None else ""
                rows.append(f"<tr><td style='{_CELL}'>{html.escape(tg.name)}</td><td style='{_CELL}'><code>{t.id}"
                            f"</code></td><td style='{_CELL}'>{t.port}</td><td style='{_CELL}'>{t.availability_zone}"
                            f"</td><td style='{_CELL};color:{colour};font-weight:bold'>{t.state.value}</td>"
                            f"<td style='{_CELL}'>{html.escape(t.reason or '')}</td><td style='{_CELL}'>{inst}</td></tr>")
        if not rows:
            return "<i>No target is registered with the target groups this balancer forwards to.</i>"
        return ("<table style='border-collapse:collapse;font-size:12px'><tr>"
                + "".join(f"<th style='{_CELL}'>{h}</th>" for h in
                          ("target group", "target", "port", "AZ", "health", "reason", "instance"))
                + f"</tr>{''.join(rows)}</table>")

    def _sync_instance_rows(self) -> None:
        instances = self._instances()
        ids = [i.id for i in instances]
        if list(self._buttons) != ids:
            for stop, start, label in self._buttons.values():
                stop.close()
                start.close()
                label.close()
            self._buttons = {}
            rows = []
            for inst in instances:
                stop = widgets.Button(description="Stop", icon="stop", layout=widgets.Layout(width="80px"))
                start = widgets.Button(description="Start", icon="play", layout=widgets.Layout(width="80px"))
                label = widgets.HTML()
                stop.on_click(self.guard(lambda _b, i=inst.id: self.stop(i)))
                start.on_click(self.guard(lambda _b, i=inst.id: self.start(i)))
                self._buttons[inst.id] = (stop, start, label)
                rows.append(widgets.HBox([label, stop, start]))
            self.instance_rows.children = rows
        for inst in instances:
            stop, start, label = self._buttons[inst.id]
            state = inst.state.value
            label.value = (f"<code>{inst.id}</code> {inst.availability_zone.name} <b>{state}</b>")
            stop.disabled = state != "running"
            start.disabled = state != "stopped"

    def _draw(self, *, trail: bool = False, counts: bool = False, targets: bool = False) -> None:
        start = time.perf_counter()
        if trail:
            self.trail_view.value = self._trail_html()
        if counts:
            self.counts_view.value = self._counts_html()
        if targets:
            self.targets_view.value = self._targets_html()
            self._sync_instance_rows()
            self.clock_label.value = f"simulated time: <b>{self.cloud.clock.now:,.0f} s</b>"
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_count += 1

    def __repr__(self) -> str:
        return f"ALBRouter({self.lb.name!r}, last={self.last_result!r})"


def _resolve_alb(cloud, lb: Any):
    from ..elb import LoadBalancer

    if not isinstance(lb, (str, LoadBalancer)):
        raise InvalidParameter("InvalidParameterValue",
                               f"Pass an Application Load Balancer (object, name or ARN), not {lb!r}.")
    found = cloud.elb.get_load_balancer(lb)
    if found.type != "application":
        raise InvalidParameter("InvalidParameterValue",
                               f"{found.name} is a {found.type} load balancer: the router reads HTTP rules, which "
                               "only Application Load Balancers have.")
    return found
