"""BITV 2.0 / WCAG 2.1 AA: axe-core (vendored for tests only) finds no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.mark.parametrize("query", ["", "?compare=year&compare_year=2016"])
def test_a11y001_atlas_has_no_serious_or_critical_violation(watch, live_url, query):
    page = watch.page
    page.goto(live_url + "/" + query)
    page.wait_for_selector("#map path.leaflet-interactive")
    page.wait_for_selector("#ranking-table .ag-row")
    page.wait_for_timeout(800)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN)
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
