"""The funding page in headless Chromium: ranked grid, need map with funds, spread, the what-if."""

from __future__ import annotations

import re

import pytest

from dashboard.funding import cached_evaluation, funding_years

pytestmark = pytest.mark.browser

SUMMARY = "#funding-summary"


def _amount(text: str) -> int:
    match = re.search(r": ([\d.]+) € für (\d+) Anträge", text)
    assert match, text
    return int(match.group(1).replace(".", ""))


def _ready(page) -> None:
    page.wait_for_selector("#funding-grid .ag-center-cols-container .ag-row")
    page.wait_for_selector("#funding-map path.leaflet-interactive")


@pytest.fixture()
def funding_year(published_for_browser) -> int:
    years = funding_years(published_for_browser)
    if not years:
        pytest.skip("the browser bundle has no applications")
    return years[-1]


def test_brf001_page_loads_ranked_with_map_and_spread(live_url, watch, published_for_browser, funding_year):
    page = watch.page
    page.goto(live_url + "/foerderung")
    _ready(page)
    ranked = cached_evaluation(published_for_browser, funding_year).ranked
    first = page.locator("#funding-grid .ag-center-cols-container .ag-row[row-index='0']")
    assert ranked.iloc[0]["application_id"] in first.inner_text()
    assert page.locator("#funding-spread-municipalities tbody tr").count() == len(published_for_browser.municipalities)
    # the areas are interactive paths, and so is every funds circle on top of them
    assert page.locator("#funding-map path.leaflet-interactive").count() > len(published_for_browser.areas)
    assert page.get_by_role("link", name="Förderung").count() == 1
    page.wait_for_timeout(800)
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts


def test_brf002_ticking_an_application_updates_spread_and_summary(live_url, watch, published_for_browser,
                                                                  funding_year):
    page = watch.page
    page.goto(live_url + "/foerderung")
    _ready(page)
    ranked = cached_evaluation(published_for_browser, funding_year).ranked
    target = ranked[ranked["status"] == "beantragt"].iloc[0]
    before = page.locator(SUMMARY).inner_text()
    muni_before = page.locator("#funding-spread-municipalities").inner_text()
    row = page.locator(f"#funding-grid .ag-pinned-left-cols-container .ag-row[row-id='{target['application_id']}']")
    row.locator("input[type=checkbox]").check()
    page.wait_for_function("([sel, t]) => document.querySelector(sel).innerText !== t", arg=[SUMMARY, before])
    after = page.locator(SUMMARY).inner_text()
    assert _amount(after) - _amount(before) == round(target["requested"])
    assert page.locator("#funding-spread-municipalities").inner_text() != muni_before
    # a filter keeps the tick; "Zurücksetzen" restores the decided statuses
    page.click("#funding-programme")
    page.get_by_role("option", name="freiwillige Mittel" if target["programme"] == "Sozialraumprojekt"
                     else "Sozialraumprojekt", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(800)
    assert page.locator(SUMMARY).inner_text() == after
    page.click("#funding-reset")
    page.wait_for_function("([sel, t]) => document.querySelector(sel).innerText === t", arg=[SUMMARY, before])
    assert watch.errors == []


def test_brf003_pdf_button_downloads_the_short_report_of_the_ticked_state(live_url, watch, published_for_browser,
                                                                          funding_year):
    from pypdf import PdfReader

    page = watch.page
    page.goto(live_url + "/foerderung")
    _ready(page)
    ranked = cached_evaluation(published_for_browser, funding_year).ranked
    target = ranked[ranked["status"] != "bewilligt"].iloc[0]
    before = page.locator(SUMMARY).inner_text()
    row = page.locator(f"#funding-grid .ag-pinned-left-cols-container .ag-row[row-id='{target['application_id']}']")
    row.locator("input[type=checkbox]").check()
    page.wait_for_function("([sel, t]) => document.querySelector(sel).innerText !== t", arg=[SUMMARY, before])
    with page.expect_download(timeout=120000) as download:
        page.click("#funding-report-pdf")
        page.wait_for_selector("#funding-report-panel", state="visible")
        assert page.locator("#funding-grid").is_visible()  # the page stays usable while the report builds
    assert download.value.suggested_filename == f"Foerderung_{funding_year}_Kurzbericht.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Was-wäre-wenn" in text.replace("\n", " ") and target["application_id"] in text
    page.wait_for_selector("#funding-report-panel", state="hidden")
    assert watch.errors == []
