"""Chapter 15 widget: a Trusted Advisor dashboard over the simulated account.

The top shows, per category, how many checks are green, yellow and red (and not
available), with the estimated monthly savings of the cost checks.  Pick a check to see its
flagged resources as AWS lists them; pick a finding and press Fix to apply its recommended
action through the services' own APIs (the check re-runs at once).  Refresh runs every check
now, as the weekly automatic refresh would.  Errors (a fix refused by a service) show in the
status line.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets

from ..trusted_advisor.checks import CATEGORIES, findings_table
from ._base import Dashboard

__all__ = ["TrustedAdvisorDashboard"]

_COLOURS = {"ok": "#2e7d32", "warning": "#b7791f", "error": "#b00020", "not_available": "#777"}
_SYMBOL = {"ok": "✔", "warning": "▲", "error": "✖", "not_available": "–"}


class TrustedAdvisorDashboard(Dashboard):
    """The five categories at a glance, a check's flagged resources, and Fix / Refresh buttons.

    Readable without a browser: ``summary`` (category -> status -> number of checks),
    ``savings`` (USD a month), ``check`` (the selected check's result), ``finding`` (the
    selected finding), ``last_redraw_ms`` and ``last_error``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> _ = cloud.ec2.allocate_address()
    >>> dash = TrustedAdvisorDashboard(cloud)
    >>> dash.summary["cost_optimizing"]["warning"], round(dash.savings, 2)
    (1, 3.65)
    >>> dash.select_check("Z4AUBRNSmz"); dash.fix_button.click()
    >>> dash.check.flagged, dash.summary["cost_optimizing"]["warning"]
    ([], 0)
    >>> dash.close()
    """

    topics = ("trusted_advisor.*",)

    def __init__(self, cloud) -> None:
        super().__init__(cloud)
        self._ta = cloud.trusted_advisor
        self._quiet = True
        self.summary: dict[str, dict[str, int]] = {}
        self.savings = 0.0
        self.check: Any = None
        self.finding: Any = None
        self.last_redraw_ms = 0.0
        self.header = widgets.HTML()
        self.check_choice = widgets.Dropdown(description="Check", layout=widgets.Layout(width="560px"))
        self.table = widgets.HTML()
        self.finding_choice = widgets.Dropdown(description="Finding", layout=widgets.Layout(width="560px"))
        self.fix_argument = widgets.Text(description="Admin CIDR", placeholder="e.g. 203.0.113.0/24 (open ports)",
                                         layout=widgets.Layout(width="360px"))
        self.fix_button = widgets.Button(description="Fix", icon="wrench", button_style="success",
                                         tooltip="apply the recommended action and re-run the check")
        self.refresh_button = widgets.Button(description="Refresh all", icon="refresh",
                                             tooltip="run every check now")
        self.check_choice.observe(self.guard(self._on_check), names="value")
        self.finding_choice.observe(self.guard(self._on_finding), names="value")
        self.fix_button.on_click(self.guard(lambda _b: self.fix()))
        self.refresh_button.on_click(self.guard(lambda _b: self.refresh()))
        self.root = widgets.VBox([
            self.header, widgets.HBox([self.check_choice, self.refresh_button]), self.table,
            widgets.HBox([self.finding_choice, self.fix_argument, self.fix_button]), self.status, self.output])
        self.redraw()
        self._quiet = False

    # -- actions -----------------------------------------------------------------------------
    def select_check(self, check: Any) -> None:
        """Show one check (by id, name or result)."""
        self.check_choice.value = self._ta.get_check(check).id

    def refresh(self) -> None:
        """Run every check now, then redraw."""
        self._quiet = True
        try:
            self._ta.refresh_all()
        finally:
            self._quiet = False
        self.redraw()
        self.show_status("Every check refreshed.")

    def fix(self) -> None:
        """Apply the selected finding's fix (with the admin CIDR when the fix takes one)."""
        f = self.finding
        if f is None:
            self.show_status("Pick a finding with a fix first.")
            return
        kwargs = {}
        if self.fix_argument.value.strip() and f.check_id in ("HCP4007jGY", "1iG5NDGVre"):
            kwargs["admin_cidr"] = self.fix_argument.value.strip()
        self._quiet = True
        try:
            f.fix(**kwargs)
        finally:
            self._quiet = False
        self.redraw()
        self.show_status(f"Applied: {f.action}.")

    # -- drawing -------------------------------------------------------------------------------
    def on_event(self, message) -> None:
        if not self._quiet:
            self.redraw()

    def redraw(self) -> None:
        started = time.perf_counter()
        results = self._ta.results()
        self.summary = {cat: {"ok": 0, "warning": 0, "error": 0, "not_available": 0} for cat in CATEGORIES}
        for r in results:
            self.summary[r.check.category][r.status.value] += 1
        self.savings = sum(r.estimated_monthly_savings for r in results if r.check.category == "cost_optimizing")
        self.header.value = self._header_html()
        keep = self.check_choice.value
        options = [(f"{_SYMBOL[r.status.value]} {CATEGORIES[r.check.category]}: {r.check.name}", r.check.id)
                   for r in results]
        self._quiet, was = True, self._quiet
        try:
            self.check_choice.options = options
            ids = [o[1] for o in options]
            self.check_choice.value = keep if keep in ids else next(
                (r.check.id for r in results if r.status.value in ("error", "warning")), ids[0])
        finally:
            self._quiet = was
        self._show_check()
        self.last_redraw_ms = (time.perf_counter() - started) * 1000

    def _header_html(self) -> str:
        cells = []
        for cat, label in CATEGORIES.items():
            counts = self.summary[cat]
            parts = " ".join(f"<span style='color:{_COLOURS[s]}'>{_SYMBOL[s]} {counts[s]}</span>"
                             for s in ("ok", "warning", "error", "not_available"))
            cells.append(f"<td style='padding:4px 10px'><b>{html.escape(label)}</b><br>{parts}</td>")
        return ("<table><tr>" + "".join(cells) + "</tr></table>"
                f"<div>Estimated monthly savings: <b>${self.savings:,.2f}</b></div>")

    def _on_check(self, change) -> None:
        if not self._quiet:
            self._show_check()

    def _show_check(self) -> None:
        if not self.check_choice.value:
            return
        self.check = res = self._ta.result(self.check_choice.value)
        colour = _COLOURS[res.status.value]
        head = (f"<div><b>{html.escape(res.check.name)}</b> <span style='color:{colour}'>{res.status.value}</span>"
                f" &middot; {len(res.flagged)} of {res.resources_processed} flagged"
                + (f" &middot; <i>{html.escape(res.note)}</i>" if res.note else "")
                + f"<br><small>{html.escape(res.check.description)}</small></div>")
        self.table.value = head + findings_table(res, limit=25)
        fixable = [(f"{f.status.value}: {f.resource_id} ({f.action})", i) for i, f in enumerate(res.flagged)
                   if f.fixable]
        self.finding_choice.options = fixable or [("(nothing to fix)", -1)]
        self.finding_choice.value = fixable[0][1] if fixable else -1
        self._on_finding(None)

    def _on_finding(self, change) -> None:
        i = self.finding_choice.value
        self.finding = self.check.flagged[i] if self.check is not None and i is not None and i >= 0 else None
        self.fix_button.disabled = self.finding is None
