"""Exports and presentation mode in real headless Chromium: the Export menu, the deck with its
progress panel, and the presentation's keys (←/→, ↑/↓, space, Esc)."""

from __future__ import annotations

import time

import pytest

from dashboard.options import view_choices
from dashboard.state import ViewState

pytestmark = pytest.mark.browser


def _title(page) -> str:
    return page.locator("#pres-title").inner_text()


def _press_and_wait(page, key: str) -> float:
    """Press ``key``; seconds until the title and the map's colours have changed."""
    before = _title(page)
    colours = page.evaluate("() => Array.from(document.querySelectorAll('#pres-map path.leaflet-interactive'))"
                            ".map(p => p.getAttribute('fill')).join()")
    started = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function("t => document.getElementById('pres-title').innerText !== t", arg=before)
    page.wait_for_function("c => Array.from(document.querySelectorAll('#pres-map path.leaflet-interactive'))"
                           ".map(p => p.getAttribute('fill')).join() !== c", arg=colours)
    return time.perf_counter() - started


def test_bex001_export_menu_downloads_a_named_slide_image_and_the_deck_with_progress(live_url, watch,
                                                                                       published_for_browser):
    page = watch.page
    choices = view_choices(published_for_browser)
    state = ViewState.from_query("", choices)
    page.goto(live_url + "/" + state.to_query())
    page.wait_for_selector("#map path.leaflet-interactive")
    page.click("#export-menu-table")
    with page.expect_download(timeout=60000) as download:
        page.click("#export-ranking-pdf")
    assert download.value.suggested_filename.endswith(f"_{state.year}_Rangfolge.pdf")
    page.click("#export-menu-map")
    with page.expect_download(timeout=120000) as download:
        page.click("#deck-map")
        page.wait_for_selector("#deck-panel", state="visible")
        assert page.locator("#map-title").is_visible()  # the page stays usable while the deck builds
    assert download.value.suggested_filename.endswith("_Foliensatz.pptx")
    page.wait_for_selector("#deck-panel", state="hidden")
    # A selection changes the URL; every export link (and the projector link) follows it.
    page.locator("#map path.leaflet-interactive").nth(5).click()
    page.wait_for_function("() => window.location.search.includes('areas=')")
    page.wait_for_function("() => document.getElementById('present-link').getAttribute('href')"
                           ".endsWith(window.location.search)")
    search = page.evaluate("location.search")
    assert page.get_attribute("#export-series-png", "href") == "/export/series.png" + search
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts


def test_bex002_presentation_keys_step_indicators_years_and_esc_returns_to_the_atlas(live_url, watch,
                                                                                     published_for_browser):
    page = watch.page
    pub = published_for_browser
    choices = view_choices(pub)
    state = ViewState.from_query("", choices)
    theme = [i.id for i in pub.catalogue.in_theme(pub.catalogue[state.indicator].theme)]
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_url + "/praesentation" + state.to_query())
    page.wait_for_selector("#pres-map path.leaflet-interactive")
    page.wait_for_selector("#presentation[data-fitted='true']")
    assert page.locator(".pres-keys").is_visible() and page.locator("#pres-qr").is_visible()
    seconds = [_press_and_wait(page, "ArrowRight")]
    following = theme[(theme.index(state.indicator) + 1) % len(theme)]
    page.wait_for_function("i => window.location.search.includes('indicator=' + i)", arg=following)
    assert pub.catalogue[following].name in _title(page)
    seconds.append(_press_and_wait(page, "ArrowDown"))
    year = int(_title(page).split()[-1])
    assert year < state.year
    seconds.append(_press_and_wait(page, "ArrowUp"))
    assert _title(page).endswith(str(state.year))
    assert max(seconds) < 2.0, seconds  # bench/exports.py measures the repaint (target < 0.5 s)
    page.keyboard.press(" ")  # play: the years change by themselves
    page.wait_for_function("y => !document.getElementById('pres-title').innerText.endsWith(y)",
                           arg=str(state.year), timeout=10000)
    page.keyboard.press(" ")
    search = page.evaluate("location.search")
    page.keyboard.press("Escape")
    page.wait_for_selector("#map path.leaflet-interactive")
    assert page.evaluate("location.pathname") == "/" and page.evaluate("location.search") == search
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts


def test_bex003_profile_page_export_menu_offers_png_svg_pdf_and_downloads_a_named_image(live_url, watch,
                                                                                        published_for_browser):
    from urllib.parse import parse_qs, urlparse

    from dashboard.profile_files import file_name

    page = watch.page
    area = str(published_for_browser.areas.sort_values("area_id").iloc[0]["area_id"])
    year = max(published_for_browser.years)
    themes = published_for_browser.catalogue.indicator_themes
    page.goto(f"{live_url}/profil/{area}?year={year}")
    page.wait_for_selector("#export-menu-profile")
    assert not page.locator("#export-profil-0-png").is_visible()  # closed until clicked
    page.click("#export-menu-profile .dropdown-toggle")
    for k, theme in enumerate(themes):
        for fmt in ("png", "svg", "pdf"):
            link = page.locator(f"#export-profil-{k}-{fmt}")
            assert link.is_visible() and link.inner_text() == fmt.upper()
            url = urlparse(link.get_attribute("href"))
            assert url.path == f"/export/profil.{fmt}"
            assert parse_qs(url.query) == {"area": [area], "year": [str(year)], "theme": [theme]}
    with page.expect_download(timeout=60000) as download:
        page.click("#export-profil-0-png")
    name = download.value.suggested_filename
    assert name.startswith("Sozialraumprofil_") and name.endswith(f"_{year}_{file_name(themes[0], 'png')}")
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts


def test_bex004_municipality_page_export_menu_links_its_maps_for_the_shown_theme(live_url, watch,
                                                                               published_for_browser):
    from urllib.parse import parse_qs, urlparse

    page = watch.page
    muni = str(published_for_browser.areas.sort_values("area_id").iloc[0]["municipality_id"])
    theme = published_for_browser.catalogue.indicator_themes[-1]
    page.goto(f"{live_url}/kommune/{muni}?theme={theme}")
    page.wait_for_selector("#export-menu-municipality")
    page.click("#export-menu-municipality .dropdown-toggle")
    for fmt in ("png", "svg", "pdf"):
        link = page.locator(f"#export-kommune-{fmt}")
        assert link.is_visible()
        url = urlparse(link.get_attribute("href"))
        assert url.path == f"/export/kommune.{fmt}" and parse_qs(url.query)["theme"] == [theme]
    with page.expect_download(timeout=60000) as download:
        page.click("#export-kommune-svg")
    assert download.value.suggested_filename.startswith("Kommunenprofil_")
    assert download.value.suggested_filename.endswith("_Karten.svg")
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts
