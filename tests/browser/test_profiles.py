"""Sozialraumprofil, Kommunenprofil and the indices page in headless Chromium: they load with no
console error and no request to a foreign host, show their content, and the atlas links to a profile."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _first_area(published) -> tuple[str, str]:
    row = published.areas.sort_values("area_id").iloc[0]
    return str(row["area_id"]), str(row["municipality_id"])


def _clean(watch) -> None:
    watch.page.wait_for_timeout(800)
    assert watch.errors == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts


def test_brp001_area_profile(live_url, watch, published_for_browser):
    area, _ = _first_area(published_for_browser)
    page = watch.page
    page.goto(f"{live_url}/profil/{area}")
    page.wait_for_selector(".profile-main h1")
    page.wait_for_selector("#profile-map path.leaflet-interactive")
    assert "Sozialraumprofil" in page.locator(".profile-main h1").inner_text()
    assert page.locator("img.sparkline").count() == len(published_for_browser.catalogue)
    assert page.locator("#profile-pdf").get_attribute("href").startswith(f"/download/profil/{area}.pdf")
    _clean(watch)


def test_brp002_municipality_profile(live_url, watch, published_for_browser):
    _, muni = _first_area(published_for_browser)
    page = watch.page
    theme = published_for_browser.catalogue.themes[-1]
    page.goto(f"{live_url}/kommune/{muni}?theme={theme}")
    page.wait_for_selector(".profile-main h1")
    page.wait_for_selector("#municipality-maps .js-plotly-plot")
    assert page.locator("#municipality-maps .small-multiple").count() == \
        len(published_for_browser.catalogue.in_theme(theme))
    assert page.locator(".theme-links .active").inner_text() == theme
    _clean(watch)


def test_brp003_indices_page(live_url, watch, published_for_browser):
    page = watch.page
    page.goto(f"{live_url}/indizes")
    page.wait_for_selector(".profile-main h1")
    if published_for_browser.indices:
        page.wait_for_selector(".small-multiple .js-plotly-plot")
        assert page.locator(".small-multiple").count() == \
            len(published_for_browser.indices) + len(published_for_browser.needs)
    if published_for_browser.needs:
        assert "mindestens ein Feld" in page.locator(".need-summary").inner_text()
        assert page.locator("#indices-matrix table").count() == 1
    _clean(watch)


def test_brp004_atlas_selection_opens_the_profile(live_url, watch, published_for_browser):
    area, _ = _first_area(published_for_browser)
    page = watch.page
    page.goto(f"{live_url}/?areas={area}")
    page.wait_for_selector("#profile-link")
    page.click("#profile-link")
    page.wait_for_selector(".page-profile .profile-main h1")
    assert f"/profil/{area}" in page.url
    _clean(watch)
