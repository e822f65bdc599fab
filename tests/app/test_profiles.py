"""The profile pages and their files over HTTP (Flask test client), and on the demo bundle: no raw
hidden value of the profiled areas in the page, the PDF or the XLSX (issue 8, data protection)."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest

from app import create_app
from dashboard.publish import publish
from layouts import ids
from tests.conftest import DEMO_DIR, make_tiny_bundle


@pytest.fixture(scope="module")
def client():
    return create_app(published=publish(make_tiny_bundle())).server.test_client()


def _layout(client, path: str) -> str:
    response = client.get("/_dash-layout", headers={"Referer": f"http://h{path}"})
    assert response.status_code == 200
    return json.dumps(json.loads(response.get_data(as_text=True)), ensure_ascii=False)


def test_profile_page_shows_area_municipality_and_themes(client):
    text = _layout(client, "/profil/A1")
    assert "Sozialraumprofil" in text and ids.PROFILE_MAP in text and "/download/profil/A1.pdf" in text
    assert "Kommune" in text and "Region" in text and "data:image/svg+xml;base64," in text


def test_profile_year_from_query_and_unknown_area(client):
    assert "Datenstand 2021" in _layout(client, "/profil/A1?year=2021")
    assert "Datenstand 2023" in _layout(client, "/profil/A1?year=1999")  # falls back to the latest
    missing = _layout(client, "/profil/%3Cscript%3E")
    assert "Nicht gefunden" in missing and "„<script>“" in missing  # a text child, never markup


def test_municipality_and_indices_pages(client):
    text = _layout(client, "/kommune/M1?theme=Wohnen")
    assert "Kommunenprofil" in text and "/profil/A1" in text and ids.MUNICIPALITY_MAPS in text
    assert "Nicht gefunden" in _layout(client, "/kommune/nope")
    assert "keine Indizes" in _layout(client, "/indizes")


def test_atlas_selection_links_to_the_profile(client):
    text = _layout(client, "/?areas=B1")
    assert "Profil öffnen" in text and "/profil/B1" in text
    assert "Profil öffnen" not in _layout(client, "/")


def test_file_routes(client):
    pdf = client.get("/download/profil/A1.pdf?year=2022")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    xlsx = client.get("/download/kommune/M1.xlsx?theme=Wohnen")
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.data))["Sozialräume"]["A1"].value.startswith("Kommunenprofil")
    assert client.get("/download/profil/nope.pdf").status_code == 404
    assert client.get("/download/profil/A1.exe").mimetype == "text/html"  # the app shell, no file


# --- demo bundle: no hidden raw value anywhere in the profiles of the most-hidden areas -----------

from tests.app.test_privacy_e2e import (  # noqa: E402
    Demo,
    canonical,
    demo,  # noqa: E402,F401  (the e2e module's fixture, reused)
    number_tokens,
    significant_digits,
)

SKIP = {"src", "x", "y", "geojson", "data", "center", "bounds", "viewport", "coordinates"}


def _strings(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in SKIP:
                _strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, out)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        out.append(repr(node))
    elif isinstance(node, str):
        out.append(node)


def _shown_forms(data: Demo) -> set[str]:
    """Published numbers as the pages print them (rounded to the shown decimals): a hidden number
    that equals such a printed value is a coincidence, not a leak."""
    from dashboard.formatting import format_number

    ok = data.published.cells[data.published.cells["status"] == "ok"]
    out: set[str] = set()
    for indicator, values in ok.groupby("indicator_id")["value"]:
        decimals = data.decimals.get(str(indicator), 1)
        for v in values.dropna().unique():
            out.add(canonical(abs(float(v))))  # texts are read without their sign
            for d in range(decimals + 1):
                out |= number_tokens(format_number(float(v), d))
    return out


def _leaks(data: Demo, texts: list[str], secrets: list) -> list[str]:
    allowed = data.allowed | _shown_forms(data)
    tokens: set[str] = set()
    for text in texts:
        tokens |= number_tokens(text)
    found = []
    for s in secrets:
        for x in (s.value, s.numerator, s.denominator):
            if x != x:  # NaN
                continue
            c = canonical(round(x, 4))
            if significant_digits(c) >= 3 and c not in allowed and c in tokens:
                where = next((t[:120] for t in texts if c in number_tokens(t)), "")
                found.append(f"{s.unit_id} {s.indicator_id} {s.year}: {c} in {where!r}")
    return found


@pytest.mark.slow
@pytest.mark.skipif(not (DEMO_DIR / "bundle.toml").exists(), reason="demo bundle missing")
def test_demo_profiles_carry_no_hidden_value(demo):  # noqa: F811
    pypdf = pytest.importorskip("pypdf")
    client = create_app(published=demo.published).server.test_client()
    area_secrets: dict[str, list] = {}
    for (level, unit, _, _), s in demo.secrets.items():
        if level == "area":
            area_secrets.setdefault(unit, []).append(s)
    worst = sorted(area_secrets, key=lambda a: -len(area_secrets[a]))[:3]
    areas = demo.published.areas.set_index("area_id")
    symbol = demo.published.symbol
    checked = 0
    for area in worst:
        muni = str(areas.loc[area, "municipality_id"])
        secrets = area_secrets[area] + [s for (lv, u, _, _), s in demo.secrets.items()
                                        if lv == "municipality" and u == muni]
        texts: list[str] = []
        page = json.loads(_layout(client, f"/profil/{area}"))
        _strings(page, texts)
        assert symbol in "".join(texts)
        pdf = client.get(f"/download/profil/{area}.pdf")
        pdf_text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
        assert "Sozialraumprofil" in pdf_text and "Datenschutzgründen" in pdf_text and symbol in pdf_text
        texts.append(pdf_text)
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/download/profil/{area}.xlsx").data))
        texts += [repr(c.value) if isinstance(c.value, float) else str(c.value)
                  for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None]
        theme_pages = []
        for theme in demo.published.catalogue.indicator_themes:
            theme_pages.append(json.loads(_layout(client, f"/kommune/{muni}?theme={theme}")))
            muni_book = openpyxl.load_workbook(io.BytesIO(
                client.get(f"/download/kommune/{muni}.xlsx", query_string={"theme": theme}).data))
            texts += [repr(c.value) if isinstance(c.value, float) else str(c.value)
                      for s in muni_book.worksheets for row in s.iter_rows() for c in row if c.value is not None]
        for p in theme_pages:
            _strings(p, texts)
        assert not _leaks(demo, texts, secrets)
        # positionally: every hidden cell of the latest year is the symbol in the XLSX
        sheet = book["Indikatoren"]
        header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Thema")
        year = max(demo.published.years)
        by_name = {r[1]: r for r in sheet.iter_rows(values_only=True) if r and r[0] and r[0] != "Thema"}
        for s in area_secrets[area]:
            row = by_name[demo.published.catalogue[s.indicator_id].name]
            assert row[header.index(str(s.year))] == symbol
            if s.year == year:
                assert row[3] == symbol and row[6] == symbol
            checked += 1
    assert checked > 50


@pytest.mark.slow
@pytest.mark.skipif(not (DEMO_DIR / "bundle.toml").exists(), reason="demo bundle missing")
def test_demo_profile_images_carry_no_hidden_value(demo):  # noqa: F811
    """Every text the profile image and the Kommunenprofil maps draw (their SVG/PDF text is exactly
    these annotations) for the areas with the most hidden cells, every theme."""
    from dashboard.charts.municipality_chart import municipality_figure
    from dashboard.charts.profile_chart import profile_figure
    from dashboard.exports.profile_image import profile_chart_data
    from dashboard.prepared import prepare
    from dashboard.profile import municipality_profile, municipality_views

    prepared = prepare(demo.published)
    area_secrets: dict[str, list] = {}
    for (level, unit, _, _), s in demo.secrets.items():
        if level == "area":
            area_secrets.setdefault(unit, []).append(s)
    worst = sorted(area_secrets, key=lambda a: -len(area_secrets[a]))[:3]
    areas = demo.published.areas.set_index("area_id")
    year = max(demo.published.years)
    for area in worst:
        muni = str(areas.loc[area, "municipality_id"])
        secrets = area_secrets[area] + [s for (lv, u, _, _), s in demo.secrets.items()
                                        if lv == "municipality" and u == muni]
        texts: list[str] = []
        for theme in demo.published.catalogue.indicator_themes:
            figure = profile_figure(profile_chart_data(prepared, area, year, theme), prepared.geometry)
            texts += [a["text"] for a in figure["layout"]["annotations"]]
            profile = municipality_profile(prepared, muni, theme, year)
            maps = municipality_figure(profile, prepared.geometry, municipality_views(prepared, profile))
            texts += [a["text"] for a in maps["layout"]["annotations"]]
        assert any(t == f"<b>{demo.published.symbol}</b>" for t in texts)  # the area's hidden values
        assert not _leaks(demo, texts, secrets)
