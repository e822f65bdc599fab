"""The profile data builder (dashboard.profile) and its files: values, ranks and trends follow the
published data, and a hidden cell is the symbol everywhere (value, rank, class, trend, XLSX, PDF)."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pytest

from dashboard.aggregate import REGION_ID
from dashboard.prepared import prepare
from dashboard.profile import area_profile, municipality_profile, profile_year
from dashboard.profile_files import area_pdf, area_xlsx, municipality_xlsx
from dashboard.publish import HIDDEN_STATUSES, publish
from dashboard.sparkline import segments, sparkline_svg
from dashboard.tables import ranking_table
from tests.conftest import make_tiny_bundle


@pytest.fixture(scope="module")
def tiny():
    return prepare(publish(make_tiny_bundle()))


def _cell(published, level, unit, indicator, year):
    c = published.cells
    row = c[(c["level"] == level) & (c["unit_id"] == unit) & (c["indicator_id"] == indicator) & (c["year"] == year)]
    return row.iloc[0] if len(row) else None


def _hidden_cells(published):
    c = published.cells
    return c[(c["level"] == "area") & c["status"].isin(HIDDEN_STATUSES)]


def test_values_ranks_and_references_follow_published_data(tiny):
    published = tiny.published
    year = max(published.years)
    for area_id in published.areas["area_id"]:
        profile = area_profile(tiny, area_id, year)
        muni = published.areas.set_index("area_id").loc[area_id, "municipality_id"]
        for row in (r for block in profile.themes for r in block.rows):
            cell = _cell(published, "area", area_id, row.indicator_id, year)
            if cell is None or cell["status"] in HIDDEN_STATUSES or np.isnan(cell["value"]):
                continue
            assert row.area.value == pytest.approx(float(cell["value"]))
            ranked = ranking_table(published, row.indicator_id, year).set_index("unit_id")
            assert row.rank == int(ranked.loc[area_id, "rank"])
            m = _cell(published, "municipality", muni, row.indicator_id, year)
            if m is not None and m["status"] not in HIDDEN_STATUSES and not np.isnan(m["value"]):
                assert row.municipality.value == pytest.approx(float(m["value"]))
            r = _cell(published, "region", REGION_ID, row.indicator_id, year)
            if r is not None and r["status"] not in HIDDEN_STATUSES and not np.isnan(r["value"]):
                assert row.region.value == pytest.approx(float(r["value"]))


def test_hidden_cell_is_the_symbol_in_value_rank_class_and_trend(tiny):
    published = tiny.published
    hidden = _hidden_cells(published)
    assert len(hidden), "the tiny bundle must have hidden cells for this test"
    symbol = published.symbol
    for _, cell in hidden.iterrows():
        profile = area_profile(tiny, cell["unit_id"], int(cell["year"]))
        row = next(r for b in profile.themes for r in b.rows if r.indicator_id == cell["indicator_id"])
        assert row.area.hidden and row.area.value is None and row.area.text == symbol
        assert row.rank is None and row.rank_text == symbol and row.class_text == symbol
        point = dict(row.series)[int(cell["year"])]
        assert point.hidden and point.value is None
        # the same hidden year is a gap in every other year's profile too
        other = area_profile(tiny, cell["unit_id"], min(y for y in published.years))
        orow = next(r for b in other.themes for r in b.rows if r.indicator_id == cell["indicator_id"])
        assert dict(orow.series)[int(cell["year"])].value is None


def test_unknown_area_and_year_fallback(tiny):
    with pytest.raises(KeyError):
        area_profile(tiny, "no-such-area")
    assert profile_year(tiny, "1800") == max(tiny.published.years)
    assert profile_year(tiny, "junk") == max(tiny.published.years)
    assert profile_year(tiny, str(min(tiny.published.years))) == min(tiny.published.years)


def test_sparkline_gap_for_hidden_year():
    runs = segments([(2020, 1.0), (2021, None), (2022, 3.0), (2023, 4.0)])
    assert len(runs) == 2 and len(runs[0]) == 1 and len(runs[1]) == 2
    assert segments([(2020, None), (2021, None)]) == []
    svg = sparkline_svg([(2020, 1.0), (2021, None), (2022, 2.0)], "Verlauf <x>")
    assert "<x>" not in svg and "&lt;x&gt;" in svg and svg.count("<circle") >= 2


def test_municipality_profile_rows_and_hidden(tiny):
    published = tiny.published
    hidden = _hidden_cells(published)
    cell = hidden.iloc[0]
    muni = published.areas.set_index("area_id").loc[cell["unit_id"], "municipality_id"]
    theme = published.catalogue[cell["indicator_id"]].theme
    profile = municipality_profile(tiny, muni, theme, int(cell["year"]))
    members = set(published.areas.loc[published.areas["municipality_id"] == muni, "area_id"])
    assert set(profile.area_ids) == members
    column = [i for i, _ in profile.indicators].index(cell["indicator_id"])
    shown = profile.values[profile.area_ids.index(cell["unit_id"])][column]
    assert shown.hidden and shown.value is None and shown.text == published.symbol
    with pytest.raises(KeyError):
        municipality_profile(tiny, "no-such-municipality")


def _hidden_xlsx_cells_are_text(data: bytes, symbol: str) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for s in book.worksheets for row in s.iter_rows() for c in row if c.value == symbol]


def test_xlsx_and_pdf_of_a_profile_with_hidden_cells(tiny):
    published = tiny.published
    cell = _hidden_cells(published).iloc[0]
    profile = area_profile(tiny, cell["unit_id"], int(cell["year"]))
    data = area_xlsx(profile)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Indikatoren"]
    header_row = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Thema")
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[1] == published.catalogue[cell["indicator_id"]].name]
    assert rows and rows[0][3] == published.symbol
    assert rows[0][header_row.index(str(int(cell["year"])))] == published.symbol
    assert _hidden_xlsx_cells_are_text(data, published.symbol)
    pypdf = pytest.importorskip("pypdf")
    pdf = area_pdf(profile, tiny.geometry)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert f"Sozialraumprofil {profile.name}" in text
    assert "Datenschutzgründen" in text and published.symbol in text
    xlsx = municipality_xlsx(municipality_profile(tiny, profile.municipality_id))
    assert openpyxl.load_workbook(io.BytesIO(xlsx))["Sozialräume"].max_row > 3
