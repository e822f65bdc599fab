"""The theme "Indizes" on the atlas in headless Chromium: pick an index, see its classes and values."""

from __future__ import annotations

import re

import pytest

from dashboard.indices.atlas import INDEX_THEME, spec_of, with_indices
from dashboard.options import indicator_options
from tests.browser.test_dashboard import _pick, _ready, _wait_title

pytestmark = pytest.mark.browser


def test_brw_idx001_theme_indizes_shows_class_legend_values_and_the_indices_page_link(
        live_url, watch, published_for_browser):
    pub = with_indices(published_for_browser)
    options = indicator_options(pub, INDEX_THEME)
    if not options:
        pytest.skip("the bundle declares no indices")
    page = watch.page
    page.goto(live_url + "/")
    _ready(page)
    _pick(page, "theme-select", INDEX_THEME)
    page.wait_for_function("t => document.querySelector('#indicator-select').innerText.includes(t)",
                           arg=options[0]["label"])
    page.click("#indicator-select")
    shown = [s.strip() for s in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    assert shown == [o["label"] for o in options]
    target = options[-1] if len(options) > 1 else options[0]
    if target is not options[0]:
        _pick(page, "indicator-select", target["label"])
    _wait_title(page, target["label"])
    page.wait_for_function("t => document.querySelector('#table-title').innerText.includes(t)", arg=target["label"])
    assert f"indicator={target['value']}" in page.url
    spec = spec_of(pub, target["value"])
    legend = page.locator("#map-legend").inner_text()
    for label in spec.labels:
        assert re.search(rf"{re.escape(label)} \(", legend), (label, legend)
    assert "Klassen des Index" in page.locator("#map-subtitle").inner_text()
    first = page.locator("#ranking-table .ag-center-cols-container .ag-row[row-index='0']")
    value = first.locator("[col-id='value']").inner_text().strip()
    assert re.fullmatch(r"−?\d+,\d{1,2}", value), value
    assert first.locator("[col-id='class_no']").inner_text().split(": ", 1)[1] in spec.labels
    info = page.locator("#indicator-info")
    assert "Methode" in info.inner_text() and "Klassen" in info.inner_text()
    assert info.locator("a[href='/indizes']").count() == 1
    # the classification controls do not apply to an index: hidden, and back for an indicator
    controls = page.locator("fieldset:has(#class-method-select)")
    assert controls.is_hidden()
    data_theme = published_for_browser.catalogue.themes[0]
    _pick(page, "theme-select", data_theme)
    _wait_title(page, indicator_options(pub, data_theme)[0]["label"])
    page.wait_for_function("() => !document.querySelector('#indicator-info .index-info')")
    assert controls.is_visible()
    assert watch.errors == []
