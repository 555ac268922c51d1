"""The course in a real JupyterLab: widgets render and react in headless Chromium.

Each scenario opens a notebook, runs all cells, finds a widget control and the view it
drives, acts on the control, and checks the view changed to what it should show.

To retarget at a chapter (e.g. notebooks/02-vpc.ipynb), add a Scenario: the notebook name
(as served: notebooks/ is served flat, beside tests/browser/fixtures/), a selector for the
control, a selector for the view, and the view's text before and after. Selectors that
work in JupyterLab 4.6: ``button.jupyter-button:has-text('...')``, ``.widget-slider``,
``.widget-label``, ``.widget-output``; a widget given ``add_class("x")`` matches ``.x``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@dataclass(frozen=True)
class Scenario:
    notebook: str
    control: str  # a button to click
    view: str  # the widget whose text the click changes
    before: str  # a regular expression the view's text must match before the click
    after: str  # ... and after it


SCENARIOS = [
    # Chapter 3's reachability explorer is built on web -> db tcp/3306 (later cells change the
    # network, so its verdict at the end of the run may be either); its "22" quick button asks
    # about SSH from the web tier to the database, which the db group never allows.
    Scenario(
        notebook="03-security-groups.ipynb",
        control="button.jupyter-button:text-is('22')",
        view=".awskit-verdict",
        before=r"^\s*(NOT )?REACHABLE .* tcp/3306",
        after=r"^\s*NOT REACHABLE .* tcp/22 .*ENI_SG_RULES_MISMATCH",
    ),
    # Chapter 5's ALB router: "+1 min" moves the simulated clock (health checks run) and the
    # router redraws its clock line.
    Scenario(
        notebook="05-application-load-balancer.ipynb",
        control="button.jupyter-button:text-is('+1 min')",
        view=".awskit-alb-clock",
        before=r"simulated time: [\d,]+ s",
        after=r"simulated time: [\d,]+ s",
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.notebook for s in SCENARIOS])
def test_widget_renders_and_reacts_to_a_click(lab, scenario: Scenario) -> None:
    lab.open_notebook(scenario.notebook)
    lab.run_all_cells()

    control = lab.page.locator(f".jp-OutputArea {scenario.control}")
    view = lab.page.locator(f".jp-OutputArea {scenario.view}")
    expect(control).to_be_visible()
    expect(view).to_have_text(re.compile(scenario.before))

    shown = view.inner_text()
    control.click()

    expect(view).not_to_have_text(shown)  # the view changed ...

    expect(view).to_have_text(re.compile(scenario.after))


def test_page_requests_beyond_localhost_are_blocked(lab) -> None:
    outside = "http://198.51.100.7/feed.xml"  # TEST-NET-2: never a real host
    result = lab.page.evaluate("url => fetch(url).then(() => 'fetched', () => 'failed')", outside)
    assert (result, lab.blocked) == ("failed", [outside])
