"""Exports in the app: the /export route (validated query, German errors, never a 500), the menus'
links, the deck callback, presentation mode's page and step callback, ``--public-url``."""

from __future__ import annotations

import json
import shutil

import pytest
from dash.exceptions import PreventUpdate

from app import _parse, create_app
from callbacks.exports import deck_download, export_response
from callbacks.presentation import present
from layouts import ids
from layouts.pages import build_page
from tests.conftest import make_tiny_bundle

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def client():
    from dashboard.publish import publish

    app = create_app(published=publish(make_tiny_bundle()), public_url="https://atlas.example.org")
    return app.server.test_client()


def _find(component, wanted):
    found = []

    def walk(node):
        if getattr(node, "id", None) == wanted or (isinstance(wanted, type) and isinstance(node, wanted)):
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str | int | float):
                walk(child)

    walk(component)
    return found


@needs_chromium
def test_eap001_route_serves_each_view_as_a_named_attachment(client):
    response = client.get("/export/map.png?indicator=SGB2&year=2022&areas=A1")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "SGB-II-Quote_2022_Karte.png" in response.headers["Content-Disposition"]
    svg = client.get("/export/series.svg?indicator=SGB2&year=2022&areas=A1")
    assert svg.status_code == 200 and b"<svg" in svg.data[:400]


def test_eap002_route_answers_unknown_exports_in_german_and_never_500(client, app_data):
    for path in ("/export/map.gif", "/export/torte.png", "/export/map", "/export/deck.svg",
                 "/export/compare.png?indicator=SGB2"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.get_data(as_text=True)
    assert "Vergleichsmodus" in client.get("/export/compare.png?indicator=SGB2").get_data(as_text=True)


def test_eap003_forged_queries_export_the_default_view(client, app_data, monkeypatch):
    from dashboard.exports.renderer import Renderer

    monkeypatch.setattr(Renderer, "render", lambda self, figure, fmt, w=None, h=None: b"PNG")
    for query in ("indicator=%00%ff&year=1e999&areas=" + ",".join(["X"] * 500), "classes=99&method=<script>",
                  "a" * 20_000):
        with client.application.test_request_context():
            response = export_response(app_data, "map.png", query)
        assert response.status_code == 200 and response.get_data() == b"PNG"
        assert response.headers["Content-Disposition"].endswith("_Karte.png")


def test_eap004_renderer_failure_is_a_german_503(client, app_data, monkeypatch):
    from dashboard.exports.renderer import Renderer

    def broken(self, figure, fmt, w=None, h=None):
        raise RuntimeError("browser gone")

    monkeypatch.setattr(Renderer, "render", broken)
    with client.application.test_request_context():
        response = export_response(app_data, "map.pdf", "")
    assert response.status_code == 503 and "nicht möglich" in response.get_data(as_text=True)


def test_eap005_atlas_menus_link_every_view_with_the_current_query(app_data):
    import dash_bootstrap_components as dbc

    query = "?indicator=SGB2&year=2022&areas=A1"
    page = build_page(app_data, "/", query)
    hrefs = {i.id: getattr(i, "href", None) for i in _find(page, dbc.DropdownMenuItem) if getattr(i, "id", None)}
    for view in ("map", "compare", "series", "ranking"):
        for fmt in ("png", "svg", "pdf"):
            assert hrefs[ids.export_link(view, fmt)] == f"/export/{view}.{fmt}{query}"
    assert hrefs[ids.PRESENT_LINK] == f"/praesentation{query}"
    for deck in (ids.DECK_MAP, ids.DECK_SERIES, ids.DECK_TABLE):
        assert _find(page, deck), deck
    assert _find(page, ids.DECK_PANEL) and _find(page, ids.DECK_PROGRESS)


def test_eap006_deck_callback_ignores_anything_but_a_click(app_data):
    for clicks in (None, 0, "1", [], {"a": 1}, True, 1.5):
        with pytest.raises(PreventUpdate):
            deck_download(app_data, clicks, {"indicator": "SGB2"})


@needs_chromium
def test_eap007_deck_callback_reports_progress_and_returns_the_named_file(app_data):
    seen = []
    result = deck_download(app_data, 1, {"indicator": "SGB2", "year": 2022, "areas": ["B1"]}, seen.append)
    assert result["filename"] == "SGB-II-Quote_2022_Foliensatz.pptx" and result["base64"]
    percents = [p[0] for p in seen]
    assert percents == sorted(percents) and percents[-1] == 100 and "Foliensatz" in seen[0][2]


def test_eap008_presentation_page_and_steps_with_the_public_url(app_data):
    page = build_page(app_data, "/praesentation", "?indicator=SGB2&year=2023")
    (title,) = _find(page, ids.PRES_TITLE)
    assert title.children == "SGB-II-Quote (%) 2023"
    (exit_link,) = _find(page, ids.PRES_EXIT)
    assert exit_link.href == "/?indicator=SGB2&year=2023"
    out = present(app_data, ids.PRES_PREV_YEAR, {"indicator": "SGB2", "year": 2023}, "https://atlas.example.org")
    state, hideout, _legend, title_text, *_rest, qr, link, _alt, exit_href, _caption, search = out
    assert state["year"] == 2022 and title_text == "SGB-II-Quote (%) 2022" and "codes" in hideout
    assert link == "https://atlas.example.org/?indicator=SGB2&year=2022" and exit_href == "/?indicator=SGB2&year=2022"
    assert qr.startswith("data:image/svg+xml") and search == "?indicator=SGB2&year=2022"
    for trigger in (None, "nope", ids.PRES_PLAY):
        with pytest.raises(PreventUpdate):
            present(app_data, trigger, {}, "")


def test_eap009_public_url_flag_reaches_the_qr_code(client):
    assert _parse(["--public-url", "https://x.example"]).public_url == "https://x.example"
    html = client.get("/praesentation?indicator=SGB2&year=2023").get_data(as_text=True)
    assert client.get("/praesentation").status_code == 200 and "<html" in html
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/praesentation?indicator=SGB2"})
    assert "https://atlas.example.org/?indicator=SGB2&year=" in json.dumps(layout.get_json())


# --- the Sozialraumprofil as an image ------------------------------------------------------------

@needs_chromium
def test_eap010_profile_route_serves_png_svg_pdf_named_by_area_year_and_theme(client):
    for fmt, mimetype, magic in (("png", "image/png", b"\x89PNG"), ("svg", "image/svg+xml", b"<svg"),
                                 ("pdf", "application/pdf", b"%PDF")):
        response = client.get(f"/export/profil.{fmt}?area=A1&year=2022&theme=Wohnen")
        assert response.status_code == 200 and response.mimetype == mimetype, fmt
        assert magic in response.data[:400], fmt
        disposition = response.headers["Content-Disposition"]
        assert "attachment" in disposition and f"Sozialraumprofil_Altstadt_2022_Wohnen.{fmt}" in disposition


def test_eap011_profile_route_unknown_area_is_a_german_404_and_junk_never_a_500(client, monkeypatch):
    from dashboard.exports.renderer import Renderer

    monkeypatch.setattr(Renderer, "render", lambda self, figure, fmt, w=None, h=None: b"IMG")
    response = client.get("/export/profil.png?area=nope")
    assert response.status_code == 404 and "Einen Sozialraum mit der ID „nope“" in response.get_data(as_text=True)
    assert client.get("/export/profil.png").status_code == 404  # no area at all
    assert client.get("/export/profil.gif?area=A1").status_code == 404
    junk = ["area=%00%ff", "area=A1&year=1e999&theme=%3Cscript%3E", "area=A1&area=B1&year=-1",
            "area=" + "A" * 20_000, "&&&==&", "area=A1&" + "&".join(f"x{i}=1" for i in range(500)),
            "area=A1&year=2022&theme=" + "Ü" * 5000, "area=%E2%80%AE&year=%20"]
    for query in junk:
        response = client.get("/export/profil.svg?" + query)
        assert response.status_code in (200, 404), query[:40]
        body = response.get_data(as_text=True)
        assert "Traceback" not in body and (response.status_code == 404 or response.data == b"IMG")
    ok = client.get("/export/profil.png?area=A1&year=abc&theme=nope")
    assert ok.status_code == 200 and "Sozialraumprofil_Altstadt_2023_Sozioökonomie.png" in \
        ok.headers["Content-Disposition"].replace("%C3%B6", "ö")


def test_eap012_profile_page_has_an_export_menu_with_png_svg_pdf_per_theme(app_data):
    from urllib.parse import parse_qs, urlparse

    page = build_page(app_data, "/profil/A1", "?year=2022")
    assert _find(page, ids.EXPORT_MENU_PROFILE)
    for k, theme in enumerate(app_data.catalogue.themes):
        for fmt in ("png", "svg", "pdf"):
            (link,) = _find(page, ids.profile_export_link(k, fmt))
            url = urlparse(link.href)
            assert url.path == f"/export/profil.{fmt}"
            assert parse_qs(url.query) == {"area": ["A1"], "year": ["2022"], "theme": [theme]}
    assert _find(page, ids.PROFILE_PDF) and _find(page, ids.PROFILE_XLSX)  # the profile files stay


@needs_chromium
def test_eap013_municipality_maps_route_and_menu(client, app_data):
    response = client.get("/export/kommune.pdf?municipality=M1&theme=Wohnen&year=2022")
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data[:4] == b"%PDF"
    assert "Kommunenprofil_Musterstadt_2022_Wohnen_Karten.pdf" in response.headers["Content-Disposition"]
    missing = client.get("/export/kommune.png?municipality=nope")
    assert missing.status_code == 404 and "Eine Kommune mit der ID „nope“" in missing.get_data(as_text=True)
    import dash_bootstrap_components as dbc

    page = build_page(app_data, "/kommune/M1", "?theme=Wohnen&year=2022")
    assert _find(page, ids.EXPORT_MENU_MUNICIPALITY)
    hrefs = {i.id: i.href for i in _find(page, dbc.DropdownMenuItem) if getattr(i, "id", None)}
    for fmt in ("png", "svg", "pdf"):
        assert hrefs[ids.export_link("kommune", fmt)] == f"/export/kommune.{fmt}?municipality=M1&theme=Wohnen&year=2022"
