"""The atlas at the four screen sizes of its users: projector, laptop, phone (headless Chromium)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SIZES = {"projector-1080": (1920, 1080), "projector-720": (1280, 720), "laptop": (1366, 768), "phone": (390, 844)}

#: The union of the drawn areas' boxes, and the map container's box (client pixels).
AREA_BOX = """() => {
  const map = document.getElementById('map').getBoundingClientRect();
  const paths = [...document.querySelectorAll('#map path.leaflet-interactive')].map(p => p.getBoundingClientRect());
  const u = paths.reduce((a, r) => ({l: Math.min(a.l, r.left), t: Math.min(a.t, r.top), r: Math.max(a.r, r.right),
                                     b: Math.max(a.b, r.bottom)}), {l: 1e9, t: 1e9, r: -1e9, b: -1e9});
  return {map: {l: map.left, t: map.top, r: map.right, b: map.bottom}, areas: u, n: paths.length};
}"""


def _intersects(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized(request, browser, live_url):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=request.param == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_url + "/")
    page.wait_for_selector("#map path.leaflet-interactive")
    page.wait_for_selector("#ranking-table .ag-row")
    page.wait_for_timeout(600)
    yield request.param, page, (width, height), errors
    context.close()


def test_scr001_region_lies_inside_the_visible_map(sized):
    _, page, _, errors = sized
    box = page.evaluate(AREA_BOX)
    m, a = box["map"], box["areas"]
    assert box["n"] > 0
    assert a["l"] >= m["l"] - 1 and a["r"] <= m["r"] + 1 and a["t"] >= m["t"] - 1 and a["b"] <= m["b"] + 1, box
    # ... and fills it: the region is no small island in a big card.
    assert (a["r"] - a["l"]) >= 0.5 * (m["r"] - m["l"]) or (a["b"] - a["t"]) >= 0.8 * (m["b"] - m["t"]), box
    assert errors == []


def test_scr002_header_takes_at_most_15_percent_of_the_height(sized):
    _, page, (_, height), _ = sized
    header = page.locator("header.app-header").bounding_box()
    assert header["height"] <= 0.15 * height, header


def test_scr003_no_modebar_covers_a_title(sized):
    _, page, _, _ = sized
    page.hover("#timeseries")
    page.wait_for_timeout(300)
    bar = page.locator("#timeseries .modebar-container")
    title = page.locator("#timeseries-title").bounding_box()
    if bar.count():
        box = bar.bounding_box()
        if box:
            assert not _intersects(box, title), (box, title)


def test_scr004_panels_are_readable(sized):
    name, page, (width, height), _ = sized
    series = page.locator("#timeseries").bounding_box()
    assert series["height"] >= 250, series
    if name == "phone":
        map_box = page.locator("#map").bounding_box()
        assert map_box["y"] < height * 0.35 and map_box["y"] + map_box["height"] <= height + 1, map_box
        assert page.locator("#filter-drawer").bounding_box()["x"] < 0 or not page.locator("#filter-drawer").is_visible()
        grid = page.evaluate("() => { const v = document.querySelector('#ranking-table .ag-center-cols-viewport');"
                             " return [v.scrollWidth, v.clientWidth]; }")
        assert grid[0] <= grid[1] + 2, grid  # name and value without sideways scrolling
    else:
        assert page.locator("#filter-drawer").is_visible()


def test_scr005_filter_drawer_opens_and_closes_on_the_phone(browser, live_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_url + "/")
        page.wait_for_selector("#map path.leaflet-interactive")
        page.click("#filter-toggle")
        page.wait_for_function("document.getElementById('filter-drawer').classList.contains('open')")
        page.wait_for_timeout(400)
        assert page.locator("#theme-select").is_visible()
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('filter-drawer').classList.contains('open')")
    finally:
        context.close()
