"""The atlas's table and series are mounted after the map's first paint (assets/deferred.js)."""

from __future__ import annotations

from dashboard.charts.series_chart import series_for
from dashboard.prepared import prepare
from dashboard.ranking import table_rows
from dashboard.state import ViewState

MAP_PATHS = "#map .leaflet-overlay-pane path"
#: When the map's first shape appeared (performance.now()), recorded from the page's start.
WATCH_MAP = """
(() => {
  window.__mapAt = null;
  new MutationObserver((_, obs) => {
    if (document.querySelector('#map .leaflet-overlay-pane path')) { window.__mapAt = performance.now(); obs.disconnect(); }
  }).observe(document, {childList: true, subtree: true});
})();
"""


def _grid_names(page) -> list[str]:
    return page.evaluate("""() => window.dash_ag_grid.getApiAsync('ranking-table').then(api => {
        const out = []; api.forEachNodeAfterFilterAndSort(n => out.push(n.data.name)); return out; })""")


def test_dfr001_map_paints_before_plotly_loads_and_table_and_series_follow(live_url, watch, published_for_browser):
    prepared = prepare(published_for_browser)
    page = watch.page
    page.add_init_script(WATCH_MAP)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_url + "/")
    page.wait_for_selector("#ranking-table .ag-row", state="attached")
    page.wait_for_selector("#timeseries .js-plotly-plot", state="attached")
    map_at = page.evaluate("window.__mapAt")
    plotly_at = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => r.name.includes('plotly-basic')).map(r => r.startTime)""")
    assert map_at is not None and len(plotly_at) == 1 and plotly_at[0] > map_at
    assert not any(u.endswith("/plotly.min.js") for u in requests)  # never the full bundle
    state = ViewState.from_query("", prepared.choices)
    shown = prepared.for_indicator(state.indicator)
    expected = [r["name"] for r in table_rows(shown, state, prepared.table(state.indicator))]
    assert _grid_names(page) == expected
    figure, _ = series_for(shown, state)
    names = page.evaluate("() => document.querySelector('#timeseries .js-plotly-plot').data.map(t => t.name)")
    assert names == [t["name"] for t in figure["data"]]
    assert not watch.errors


def test_dfr002_a_switch_before_the_mount_is_what_the_mounted_table_shows(live_url, watch, published_for_browser):
    prepared = prepare(published_for_browser)
    page = watch.page
    first = ViewState.from_query("", prepared.choices).indicator
    page.goto(live_url + "/")
    page.wait_for_selector(MAP_PATHS, state="attached")
    # A switch as early as the page allows (the router's inputs include the grid, not there yet).
    page.click("#indicator-select")
    page.get_by_role("option").nth(1).click()
    page.wait_for_function("() => window.sozialraum.deferred.isMounted()")
    page.wait_for_function(f"() => !location.search.includes('indicator={first}&') && location.search.includes('indicator=')")
    page.wait_for_selector("#ranking-table .ag-row", state="attached")
    page.wait_for_timeout(800)
    new = ViewState.from_query(page.evaluate("location.search"), prepared.choices)  # the view the router chose
    assert new.indicator != first
    shown = prepared.for_indicator(new.indicator)
    assert _grid_names(page) == [r["name"] for r in table_rows(shown, new, prepared.table(new.indicator))]
    header = page.locator("#ranking-table .ag-header-cell-text").all_inner_texts()
    assert f"Wert ({prepared.catalogue[new.indicator].unit})" in header or not prepared.catalogue[new.indicator].unit
    assert not watch.errors
