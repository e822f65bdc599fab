"""What a user does, in real headless Chromium: load, switch theme and indicator, select, share links."""

from __future__ import annotations

import pytest

from dashboard.options import indicator_options, view_choices
from dashboard.state import ViewState

pytestmark = pytest.mark.browser

GRAPH = "document.querySelector('#{id} .js-plotly-plot')"
LEAFLET = "window.sozialraum.map.instances['{layer}']"


def _ready(page) -> None:
    """Wait until the map has drawn its areas and the grid has rows."""
    page.wait_for_selector("#map path.leaflet-interactive")
    page.wait_for_selector("#ranking-table .ag-center-cols-container .ag-row")
    page.wait_for_function(f"{GRAPH.format(id='timeseries')} && {GRAPH.format(id='timeseries')}.data")


def _map_title(page) -> str:
    return page.locator("#map-title").inner_text()


def _wait_title(page, text: str, element: str = "map-title") -> None:
    page.wait_for_function("([id, t]) => document.getElementById(id).innerText.includes(t)", arg=[element, text])


def _pick(page, dropdown_id: str, label: str) -> None:
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=label, exact=True).click()


def test_brw001_page_loads_without_console_error_or_foreign_request(live_url, watch):
    watch.page.goto(live_url + "/")
    _ready(watch.page)
    watch.page.wait_for_timeout(1500)
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts
    assert watch.page.locator("#theme-select").is_visible()


def test_brw002_theme_changes_indicator_list(live_url, watch, published_for_browser):
    pub = published_for_browser
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    other_theme = pub.themes[-1]
    _pick(page, "theme-select", other_theme)
    wanted = [o["label"] for o in indicator_options(pub, other_theme)]
    page.wait_for_function("t => document.querySelector('#indicator-select').innerText.includes(t)", arg=wanted[0])
    page.click("#indicator-select")
    shown = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert [s.strip() for s in shown] == wanted
    assert "indicator=" in page.url


def test_brw003_indicator_change_updates_map_and_table(live_url, watch, published_for_browser):
    pub = published_for_browser
    page = watch.page
    choices = view_choices(pub)
    page.goto(live_url + "/")
    _ready(page)
    theme = pub.catalogue[choices.default_indicator].theme
    options = indicator_options(pub, theme)
    if len(options) < 2:
        theme = next(t for t in pub.themes if len(indicator_options(pub, t)) > 1)
        _pick(page, "theme-select", theme)
        options = indicator_options(pub, theme)
    target = options[1]
    before = _map_title(page)
    _pick(page, "indicator-select", target["label"])
    _wait_title(page, target["label"])
    assert _map_title(page) != before
    page.wait_for_function("t => document.querySelector('#table-title').innerText.includes(t)", arg=target["label"])
    assert f"indicator={target['value']}" in page.url
    assert watch.errors == []


def test_brw004_table_row_click_selects_area_everywhere(live_url, watch, published_for_browser):
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    row = page.locator("#ranking-table .ag-center-cols-container .ag-row").first
    area_id = row.get_attribute("row-id")
    name = row.locator("[col-id='name']").inner_text()
    row.locator("[col-id='name']").click()
    page.wait_for_function("id => window.location.search.includes('areas=' + id)", arg=area_id)
    page.wait_for_function(  # the selected area is outlined (its colour stays the class colour)
        "id => window.sozialraum.map.latest['map-layer'].selected.includes(id)", arg=area_id)
    page.wait_for_function("document.querySelectorAll('#map path[stroke=\"#d6006f\"]').length === 1")
    page.wait_for_function(
        f"n => {GRAPH.format(id='timeseries')}.data.some(t => t.name === n)", arg=name)
    assert "row-selected-area" in (row.get_attribute("class") or "")


def test_brw005_url_restores_indicator_year_and_selection(live_url, watch, published_for_browser):
    pub = published_for_browser
    choices = view_choices(pub)
    indicator = choices.indicators[-1]
    year = choices.years_of(indicator)[0]
    areas = tuple(sorted(choices.areas))[:2]
    query = ViewState(indicator, year, areas).to_query()
    page = watch.page
    page.goto(live_url + "/" + query)
    _ready(page)
    name = pub.catalogue[indicator].name
    _wait_title(page, name)
    assert str(year) in _map_title(page)
    assert name in page.locator("#indicator-select").inner_text()
    assert str(year) in page.locator("#year-select").inner_text()
    area_names = list(pub.areas.set_index("area_id").loc[list(areas), "area_name"])
    page.wait_for_function(
        f"ns => ns.every(n => {GRAPH.format(id='timeseries')}.data.some(t => t.name === n))", arg=area_names)
    assert watch.errors == []


def test_brw006_back_and_forward_restore_the_indicator(live_url, watch, published_for_browser):
    pub = published_for_browser
    page = watch.page
    choices = view_choices(pub)
    first = choices.default_indicator
    theme = pub.catalogue[first].theme
    second = next(o for o in indicator_options(pub, theme) if o["value"] != first)
    page.goto(live_url + "/")
    _ready(page)
    first_name = pub.catalogue[first].name
    _pick(page, "indicator-select", second["label"])
    page.wait_for_function("v => window.location.search.includes('indicator=' + v)", arg=second["value"])
    _wait_title(page, second["label"])
    page.go_back()
    _wait_title(page, first_name)
    page.wait_for_function("t => document.querySelector('#indicator-select').innerText.includes(t)", arg=first_name)
    page.go_forward()
    _wait_title(page, second["label"])
    assert f"indicator={second['value']}" in page.url
    assert watch.errors == []


def test_brw007_copy_link_puts_the_url_on_the_clipboard(live_url, browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)
    page = context.new_page()
    try:
        page.goto(live_url + "/")
        _ready(page)
        page.click("#copy-link")
        page.wait_for_function("document.querySelector('#copy-link-status').innerText.includes('Link kopiert')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url
    finally:
        context.close()


def test_brw008_image_downloads_at_presentation_size_and_no_cloud_button(live_url, watch):
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    options = page.evaluate(f"{GRAPH.format(id='timeseries')}._context.toImageButtonOptions")
    assert options["width"] == 1920 and options["format"] == "png", options
    assert page.evaluate(f"{GRAPH.format(id='timeseries')}._context.showSendToCloud") is False
    page.click("#export-menu-series")
    with page.expect_download(timeout=30000) as download:
        page.click("#export-series-svg")
    assert download.value.suggested_filename.endswith("_Zeitreihe.svg")
    page.click("#export-menu-map")
    with page.expect_download(timeout=30000) as download:
        page.click("#export-map-png")
    name = download.value.suggested_filename
    assert name.endswith("_Karte.png") and "_20" in name, name
    assert watch.errors == []


def test_brw009_enter_on_a_focused_row_selects_the_area(live_url, watch):
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    row = page.locator("#ranking-table .ag-center-cols-container .ag-row").nth(1)
    area_id = row.get_attribute("row-id")
    cell = row.locator("[col-id='municipality']")
    cell.click()  # focus (and a first toggle: selects)
    page.wait_for_function("id => window.location.search.includes(id)", arg=area_id)
    page.keyboard.press("Enter")  # the second toggle: deselects
    page.wait_for_function("id => !window.location.search.includes(id)", arg=area_id)
    page.keyboard.press("ArrowDown")
    below = page.locator("#ranking-table .ag-center-cols-container .ag-row").nth(2).get_attribute("row-id")
    page.keyboard.press("Enter")
    page.wait_for_function("id => window.location.search.includes('areas=' + id)", arg=below)
    assert watch.errors == []


def test_brw010_compare_maps_share_the_view(live_url, watch, published_for_browser):
    page = watch.page
    choices = view_choices(published_for_browser)
    page.goto(live_url + f"/?indicator={choices.default_indicator}&compare=year&compare_year={choices.years[0]}")
    _ready(page)
    main, compare = LEAFLET.format(layer="map-layer"), LEAFLET.format(layer="map-compare-layer")
    page.wait_for_function(f"{main} && {compare}")
    page.wait_for_timeout(500)
    before = page.evaluate(f"{compare}.getZoom()")
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -600)
    page.wait_for_function(f"z => Math.abs({compare}.getZoom() - z) > 0.2", arg=before, timeout=10000)
    page.wait_for_function(f"Math.abs({compare}.getZoom() - {main}.getZoom()) < 0.01")
    assert watch.errors == []


def test_brw011_map_click_selects_and_the_filter_refits_the_map(live_url, watch, published_for_browser):
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    main = LEAFLET.format(layer="map-layer")
    page.wait_for_function(f"!!{main}")
    page.wait_for_timeout(1500)  # the browser's exact fit to the region has run
    zoom = page.evaluate(f"{main}.getZoom()")
    path = page.locator("#map path.leaflet-interactive").nth(3)
    path.click(force=True)
    page.wait_for_function("window.location.search.includes('areas=')")
    munis = sorted(published_for_browser.municipalities["municipality_id"])
    page.goto(live_url + f"/?municipality={munis[0]}")
    _ready(page)
    page.wait_for_function(f"!!{main}")
    # fitted to the smaller municipality: a closer zoom than the whole region's
    page.wait_for_function(f"z => {main}.getZoom() >= z", arg=zoom, timeout=15000)
    assert watch.errors == []


def test_brw012_the_table_is_one_tab_stop(live_url, watch):
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    page.locator("#ranking-table .ag-center-cols-container .ag-row").first.locator("[col-id='name']").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    inside = page.evaluate("document.activeElement.closest('#ranking-table') !== null")
    assert not inside, "Tab must leave the grid instead of walking through its cells"
