"""Bundles as real offices export them, and broken in every way we could think of.

Each test builds a valid bundle with ``bundle_factory``, breaks or varies one thing, and checks
that the loader either loads it correctly (with a warning where it had to interpret) or raises
``BundleError`` whose German problem names file, row or feature, column and value – never a
traceback, never a half-loaded bundle, never silently lost data.
"""

from __future__ import annotations

import json
import os
import re
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dashboard.bundle import BundleError, load_bundle
from dashboard.model import Bundle
from dashboard.problems import Problem
from tests.unit.bundle_factory import (
    CSV_DE,
    GERMAN_VALUE_HEADERS,
    PARQUET,
    SHAPE_FIELDS,
    XLSX,
    Spec,
    TableFormat,
    csv_rows,
    make_spec,
    set_cell,
    toml_text,
    value_row,
    write_bundle,
    write_rows,
)

SPEC = make_spec()
ROW_EW = value_row(SPEC, "05334002-02", "EW", 2022)  # value 1948, no counts
ROW_SGB2 = value_row(SPEC, "05334002-02", "SGB2", 2022)


# --------------------------------------------------------------------------- helpers

def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    return list(info.value.problems)


def find(problems: list[Problem] | tuple[Problem, ...], *parts: str, severity: str = "error") -> Problem:
    """The first problem of ``severity`` whose text holds every part (failure lists all problems)."""
    hits = [p for p in problems if p.severity == severity and all(part in str(p) for part in parts)]
    assert hits, f"no {severity} with {parts!r} in:\n" + "\n".join(str(p) for p in problems)
    return hits[0]


def value_of(bundle: Bundle, area_id: str, indicator_id: str, year: int) -> float:
    v = bundle.values.set_index(["area_id", "indicator_id", "year"])["value"]
    return float(v[(area_id, indicator_id, year)])


def cell_rows(spec: Spec) -> list[list[object]]:
    """The long value table as Excel cells (None for empty)."""
    return [[None if (not isinstance(v, str) and pd.isna(v)) else (v.item() if hasattr(v, "item") else v)
             for v in record] for record in spec.values.itertuples(index=False)]


def write_values_xlsx(folder: Path, rows: list[list[object]], header: list[str] | None = None,
                      above: list[list[object]] = (), edit: Callable | None = None) -> Path:
    """Replace the bundle's values with an xlsx sheet; ``edit(sheet)`` may format cells."""
    for old in folder.glob("values.*"):
        old.unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    for line in above:
        sheet.append(line)
    sheet.append(header or list(SPEC.values.columns))
    for row in rows:
        sheet.append(row)
    if edit is not None:
        edit(sheet)
    path = folder / "values.xlsx"
    book.save(path)
    return path


def patch_sheet_xml(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite one fragment of the first sheet's XML (to store what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as src:
        items = {name: src.read(name) for name in src.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old in items[sheet]
    items[sheet] = items[sheet].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items.items():
            dst.writestr(name, data)


def edit_geojson(folder: Path, change: Callable[[dict], None]) -> None:
    path = folder / "areas.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def set_geometry(index: int, geometry: dict | None) -> Callable[[dict], None]:
    return lambda data: data["features"][index].update(geometry=geometry)


def ring(x0: float, y0: float, x1: float, y1: float, z: float | None = None) -> list[list[float]]:
    points = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return [p + [z] for p in points] if z is not None else points


def renamed_ids(spec: Spec, new_ids: list[str]) -> Spec:
    mapping = dict(zip(spec.areas["area_id"], new_ids, strict=True))
    spec.areas["area_id"] = spec.areas["area_id"].map(mapping)
    spec.values["area_id"] = spec.values["area_id"].map(mapping)
    return spec


# --------------------------------------------------------------------------- real office exports: ids

def test_hst001_excel_numeric_ags_ids_match_with_a_warning(tmp_path: Path) -> None:
    """Excel turned the text id 05334001 into the number 5334001: matched, and said so."""
    spec = renamed_ids(make_spec(), [f"0533400{i}" for i in range(1, 7)])
    folder = write_bundle(tmp_path / "b", spec)
    write_values_xlsx(folder, [[int(r[0])] + r[1:] for r in cell_rows(spec)])
    bundle = load_bundle(folder)
    assert sorted(bundle.values["area_id"].unique()) == sorted(spec.areas["area_id"])
    find(bundle.warnings, "values.xlsx", "Zeile 2", "Spalte „area_id“", "„5334001“", "führende Nullen",
         "„05334001“", severity="warning")


def test_hst002_ids_with_float_tail_match_with_a_warning(tmp_path: Path) -> None:
    spec = renamed_ids(make_spec(), [str(i) for i in range(1, 7)])
    folder = write_bundle(tmp_path / "b", spec)
    rows = csv_rows(folder / "values.csv")
    write_rows(folder / "values.csv", [rows[0]] + [[r[0] + ".0"] + r[1:] for r in rows[1:]])
    bundle = load_bundle(folder)
    assert len(bundle.values) == len(spec.values)
    find(bundle.warnings, "„1.0“", "„1“", severity="warning")


def test_hst003_id_folding_never_guesses_between_two_areas(tmp_path: Path) -> None:
    """With areas "01" and "1" both present, "1.0" is ambiguous and stays unknown."""
    spec = renamed_ids(make_spec(), ["01", "1", "2", "3", "4", "5"])
    folder = write_bundle(tmp_path / "b", spec)
    set_cell(folder / "values.csv", 2, "area_id", "1.0")
    find(problems_of(folder), "values.csv", "Zeile 2", "„1.0“", "unbekannter Sozialraum")


def test_hst004_folded_ids_that_collide_are_duplicates(tmp_path: Path) -> None:
    spec = renamed_ids(make_spec(), [f"0533400{i}" for i in range(1, 7)])
    folder = write_bundle(tmp_path / "b", spec)
    rows = csv_rows(folder / "values.csv")
    write_rows(folder / "values.csv", rows + [["5334001"] + rows[1][1:]])
    find(problems_of(folder), "values.csv", f"Zeile {len(rows) + 1}", "doppelt", "auch Zeile 2")


def test_hst005_trailing_and_nonbreaking_spaces_in_ids(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE)
    rows = csv_rows(folder / "values.csv")
    rows[1][0] += " "
    rows[2][0] = "\u00a0" + rows[2][0] + "\t"
    write_rows(folder / "values.csv", rows)
    bundle = load_bundle(folder)
    assert len(bundle.values) == len(SPEC.values) and not bundle.warnings


# --------------------------------------------------------------------------- real office exports: Excel

def test_hst006_xlsx_numbers_stored_as_german_text(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    write_values_xlsx(folder, [r[:3] + [None if v is None else f"{v:.2f}".replace(".", ",") for v in r[3:]]
                               for r in cell_rows(SPEC)])
    bundle = load_bundle(folder)
    assert value_of(bundle, "05334002-02", "SGB2", 2022) == pytest.approx(
        round(SPEC.values.set_index(["area_id", "indicator_id", "year"])["value"][("05334002-02", "SGB2", 2022)], 2))


def test_hst007_percent_formatted_cells_are_read_as_shown(tmp_path: Path) -> None:
    """0.0412 displayed as "4,1 %" means 4.12 (what the office sees), with a warning naming the column."""
    folder = write_bundle(tmp_path / "b")
    shares = {"SGB2", "SBQ"}
    rows = [r[:3] + [r[3] / 100 if r[1] in shares else r[3]] + r[4:] for r in cell_rows(SPEC)]

    def percent(sheet) -> None:
        for cells in sheet.iter_rows(min_row=2):
            if cells[1].value in shares:
                cells[3].number_format = "0.0%"

    write_values_xlsx(folder, rows, edit=percent)
    bundle = load_bundle(folder)
    expected = SPEC.values.set_index(["area_id", "indicator_id", "year"])["value"][("05334002-02", "SGB2", 2022)]
    assert value_of(bundle, "05334002-02", "SGB2", 2022) == pytest.approx(expected)
    assert value_of(bundle, "05334002-02", "EW", 2022) == 1948  # unformatted cells untouched
    assert bundle.indicators.set_index("indicator_id").at["SGB2", "scale"] == 100
    find(bundle.warnings, "values.xlsx", "Spalte „value“", "Prozentformat", "Zeile 3", severity="warning")


def test_hst008_formulas_use_their_cached_result(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = cell_rows(SPEC)
    rows[ROW_EW - 2][3] = "=1900+31"
    path = write_values_xlsx(folder, rows)
    patch_sheet_xml(path, b"<f>1900+31</f><v></v>", b"<f>1900+31</f><v>1931</v>")
    assert value_of(load_bundle(folder), "05334002-02", "EW", 2022) == 1931


def test_hst009_formula_without_cached_result_is_an_error_not_a_lost_value(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = cell_rows(SPEC)
    rows[ROW_EW - 2][3] = "=1900+31"
    write_values_xlsx(folder, rows)  # openpyxl stores no result, as scripts do
    find(problems_of(folder), "values.xlsx", f"Zeile {ROW_EW}", "Spalte „value“", "Formel ohne gespeichertes Ergebnis")


def test_hst010_empty_trailing_sheet_and_empty_first_sheet(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    path = write_values_xlsx(folder, cell_rows(SPEC))
    book = openpyxl.load_workbook(path)
    book.create_sheet("Tabelle2")
    book.save(path)
    assert len(load_bundle(folder).values) == len(SPEC.values)

    book.move_sheet("Tabelle2", offset=-1)  # now the empty sheet comes first
    book.save(path)
    bundle = load_bundle(folder)
    assert len(bundle.values) == len(SPEC.values)
    find(bundle.warnings, "values.xlsx", "„Tabelle2“ ist leer", "„Sheet“ wird gelesen", severity="warning")


def test_hst011_merged_title_cells_above_the_header_keep_row_numbers(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = cell_rows(SPEC)
    rows[ROW_SGB2 - 2][3] = "12,5x"

    def merge(sheet) -> None:
        sheet.merge_cells("A1:F1")

    write_values_xlsx(folder, rows, above=[["Sozialraumdaten StädteRegion Aachen"], [None]], edit=merge)
    find(problems_of(folder), "values.xlsx", f"Zeile {ROW_SGB2 + 2}", "Spalte „value“", "„12,5x“", "keine gültige Zahl")


def test_hst012_excel_dates_in_the_year_column(tmp_path: Path) -> None:
    """A Stichtag date gives its year (warning); a year typed into a date-formatted cell stays the year."""
    folder = write_bundle(tmp_path / "b")
    rows = cell_rows(SPEC)
    rows[0][2] = datetime(2021, 12, 31)
    rows[1][2] = datetime(1905, 7, 13)  # Excel serial 2021 shown as a date
    write_values_xlsx(folder, rows)
    bundle = load_bundle(folder)
    assert len(bundle.values) == len(SPEC.values) and bundle.years == (2021, 2022, 2023)
    find(bundle.warnings, "values.xlsx", "Zeile 2", "Spalte „year“", "Datum statt Jahreszahl", "2021",
         severity="warning")


def test_hst013_boolean_or_time_cell_in_a_number_column_is_an_error(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = cell_rows(SPEC)
    rows[ROW_EW - 2][3] = True
    write_values_xlsx(folder, rows)
    find(problems_of(folder), "values.xlsx", f"Zeile {ROW_EW}", "Spalte „value“", "„True“", "keine gültige Zahl")


# --------------------------------------------------------------------------- real office exports: CSV

def test_hst014_quoted_fields_containing_the_separator(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", indicators=CSV_DE)
    set_cell(folder / "indicators.csv", 2, "description", 'Einwohner; mit "Hauptwohnsitz", alle')
    bundle = load_bundle(folder)
    assert bundle.indicators.set_index("indicator_id").at["EW", "description"] == 'Einwohner; mit "Hauptwohnsitz", alle'


@pytest.mark.parametrize("newline", [b"\r\n", b"\r", b"\n"], ids=["crlf", "cr", "lf"])
def test_hst015_line_endings(tmp_path: Path, newline: bytes) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE, indicators=CSV_DE)
    for name in ("values.csv", "indicators.csv"):
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", newline))
    assert len(load_bundle(folder).values) == len(SPEC.values)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "cp1252"])
def test_hst016_encodings_with_umlauts_and_dashes(tmp_path: Path, encoding: str) -> None:
    """UTF-16 LE with BOM (Excel's "Unicode-Text"), without BOM, UTF-8 BOM, Windows-1252 (– is 0x96)."""
    folder = write_bundle(tmp_path / "b", indicators=CSV_DE)
    set_cell(folder / "indicators.csv", 2, "name", "Einwohner – Straße, Übach")
    path = folder / "indicators.csv"
    path.write_bytes(path.read_bytes().decode("cp1252").encode(encoding))
    bundle = load_bundle(folder)
    assert bundle.indicators.set_index("indicator_id").at["EW", "name"] == "Einwohner – Straße, Übach"
    assert bundle.indicators.set_index("indicator_id").at["SGB2", "theme"] == "Sozioökonomie"


def test_hst017_mac_roman_does_not_crash(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", indicators=CSV_DE)
    path = folder / "indicators.csv"
    path.write_bytes(path.read_bytes().decode("cp1252").encode("mac_roman", errors="replace"))
    problem = find(problems_of(folder), "indicators.csv", "Spalte „theme“", "unbekanntes Thema")
    assert problem.row == 3


def test_hst018_bom_on_a_semicolon_csv_with_german_headers(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=TableFormat(sep=";", german=True, encoding="utf-8-sig",
                                                             headers=GERMAN_VALUE_HEADERS))
    assert (folder / "values.csv").read_bytes().startswith(b"\xef\xbb\xbfSozialraum;")
    assert len(load_bundle(folder).values) == len(SPEC.values)


@pytest.mark.parametrize("headers", [
    ["Sozialraum ", "INDIKATOR", "Jahr ", "wert", "ZÄHLER", "nenner"],
    ["SOZIALRAUM", "Indikator", " JAHR", "Wert", "Za\u0308hler", "Nenner"],  # macOS: decomposed umlaut
], ids=["case-and-spaces", "nfd-umlaut"])
def test_hst019_header_case_spaces_and_umlaut_forms(tmp_path: Path, headers: list[str]) -> None:
    folder = write_bundle(tmp_path / "b", values=TableFormat(sep=";", german=True, headers=GERMAN_VALUE_HEADERS))
    rows = csv_rows(folder / "values.csv")
    write_rows(folder / "values.csv", [headers] + rows[1:])
    bundle = load_bundle(folder)
    assert [str(w) for w in bundle.warnings] == []
    assert bundle.values["numerator"].notna().any()


def test_hst020_duplicate_required_column_is_an_error(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = csv_rows(folder / "values.csv")
    rows[0][5] = "value"
    write_rows(folder / "values.csv", rows)
    find(problems_of(folder), "values.csv", "Zeile 1", "Spalte „value“", "mehrfach", "Spalten 4, 6")


def test_hst021_duplicate_indicator_column_in_wide_format_is_not_dropped(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", wide_values=True)
    rows = csv_rows(folder / "values.csv")
    column = rows[0].index("EW")
    rows[0][column] = "hze"  # second column for HZE (case differs); before, one silently won
    write_rows(folder / "values.csv", rows)
    find(problems_of(folder), "values.csv", "Zeile 1", "Spalte „hze“", "mehrfach", "Spalten 4, 5")


def test_hst022_empty_trailing_fields_are_no_data_but_missing_fields_are_an_error(tmp_path: Path) -> None:
    """``a;b;c;;;`` is a row whose values are empty (no data); ``a;b;c`` under a six-column header
    lost its separators (issue 12: a row with too few fields is an error naming file and row)."""
    folder = write_bundle(tmp_path / "b")
    rows = csv_rows(folder / "values.csv")
    blank = [r[:3] + [""] * (len(r) - 3) if r[1] == "EW" and r[0] == "05334002-01" else r for r in rows]
    write_rows(folder / "values.csv", blank)
    bundle = load_bundle(folder)
    ew = bundle.values[(bundle.values["indicator_id"] == "EW") & (bundle.values["area_id"] == "05334002-01")]
    assert ew.empty and len(bundle.values) == len(SPEC.values) - 3
    short = [r[:3] if r[1] == "EW" and r[0] == "05334002-01" else r for r in rows]
    write_rows(folder / "values.csv", short)
    row = next(i for i, r in enumerate(short, start=1) if r[1] == "EW" and r[0] == "05334002-01")
    problem = find(problems_of(folder), "values.csv", f"Zeile {row}", "nur 3 von 6 Feldern")
    assert problem.row == row


def test_hst022b_a_row_with_more_fields_than_the_header_is_an_error(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE)
    rows = csv_rows(folder / "values.csv")
    rows[5] = rows[5] + ["999", "extra"]
    rows[7] = rows[7] + ["", ""]  # empty padding (Excel's used range) is fine
    write_rows(folder / "values.csv", rows)
    problems = problems_of(folder)
    problem = find(problems, "values.csv", "Zeile 6", "8 Felder", "Kopfzeile (Zeile 1) nur 6")
    assert problem.value == "999;extra"
    assert not [p for p in problems if p.row == 8 and p.severity == "error"]


def test_hst023_a_million_blank_lines_at_the_end_stay_fast(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE)
    path = folder / "values.csv"
    path.write_bytes(path.read_bytes() + b";;;;;\r\n" * 1_000_000 + b"\r\n" * 10_000)
    start = time.perf_counter()
    bundle = load_bundle(folder)
    assert time.perf_counter() - start < 3.0
    assert len(bundle.values) == len(SPEC.values)


def test_hst024_many_empty_lines_in_the_middle_keep_row_numbers(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE)
    set_cell(folder / "values.csv", ROW_SGB2, "value", "12,5x")
    path = folder / "values.csv"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(lines[:5] + [b";;;;;"] * 200_000 + lines[5:]))
    start = time.perf_counter()
    problem = find(problems_of(folder), "values.csv", "„12,5x“", "keine gültige Zahl")
    assert time.perf_counter() - start < 3.0
    assert problem.row == ROW_SGB2 + 200_000


def test_hst025_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", indicators=CSV_DE)
    path = folder / "indicators.csv"
    rows = csv_rows(path)
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    lines[2] = lines[2].replace("Personen in Bedarfsgemeinschaften", '"Personen in Bedarfsgemeinschaften')
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    assert len(rows) == 6
    find(problems_of(folder), "indicators.csv", "Zeile 3", "Spalte „description“", "Anführungszeichen")


def test_hst026_excel_sep_line_names_the_separator(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE)
    set_cell(folder / "values.csv", ROW_SGB2, "value", "12,5x")
    path = folder / "values.csv"
    path.write_bytes(b"sep=;\r\n" + path.read_bytes())
    assert find(problems_of(folder), "values.csv", "„12,5x“").row == ROW_SGB2


# --------------------------------------------------------------------------- numbers and years

@pytest.mark.parametrize("german, text, expected", [
    (False, "1,234.5", 1234.5),
    (False, "12.5%", 12.5),
    (False, "  7 ", 7.0),
    (False, "1e3", 1000.0),
    (False, "NaN", None),
    (False, "-0", 0.0),
    (True, "1.234.567", 1234567.0),
    (True, "-0,0", 0.0),
    (True, "1 234,5", 1234.5),
    (True, "12,5 %", 12.5),
], ids=lambda v: repr(v))
def test_hst027_numbers_as_offices_write_them(tmp_path: Path, german: bool, text: str, expected: float | None) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE if german else TableFormat())
    set_cell(folder / "values.csv", ROW_EW, "value", text)
    bundle = load_bundle(folder)
    key = ("05334002-02", "EW", 2022)
    v = bundle.values.set_index(["area_id", "indicator_id", "year"])["value"]
    if expected is None:
        assert key not in v.index  # a missing-value marker: no data
    else:
        assert v[key] == expected and not np.signbit(v[key])


@pytest.mark.parametrize("german, text", [
    (False, "1.234.567"), (False, "∞"), (False, "1e400"), (False, "inf"), (True, "1,234.5"), (True, "1e3"),
], ids=lambda v: repr(v))
def test_hst028_numbers_that_are_errors(tmp_path: Path, german: bool, text: str) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE if german else TableFormat())
    set_cell(folder / "values.csv", ROW_EW, "value", text)
    find(problems_of(folder), "values.csv", f"Zeile {ROW_EW}", "Spalte „value“", f"„{text}“", "keine gültige Zahl")


@pytest.mark.parametrize("text", ["2022-12-31", "31.12.2022", "2022-12-31 00:00:00"])
def test_hst029_dates_as_years_give_their_year_with_a_warning(tmp_path: Path, text: str) -> None:
    folder = write_bundle(tmp_path / "b")
    set_cell(folder / "values.csv", ROW_EW, "year", text)
    bundle = load_bundle(folder)
    assert value_of(bundle, "05334002-02", "EW", 2022) == 1948
    find(bundle.warnings, "values.csv", f"Zeile {ROW_EW}", "Spalte „year“", f"„{text}“", "Datum statt Jahreszahl",
         severity="warning")


def test_hst030_parquet_with_index_infinity_and_dates(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=PARQUET)
    SPEC.values.set_index("area_id").to_parquet(folder / "values.parquet")  # the ids in the index
    assert len(load_bundle(folder).values) == len(SPEC.values)
    spec = make_spec()
    spec.values.loc[0, "value"] = np.inf
    spec.values["year"] = pd.to_datetime(spec.values["year"].astype(str) + "-12-31")
    folder = write_bundle(tmp_path / "c", spec, values=PARQUET)
    problems = problems_of(folder)
    find(problems, "values.parquet", "Zeile 2", "Spalte „value“", "„inf“", "keine gültige Zahl")
    find(problems, "values.parquet", "Spalte „year“", "Datum statt Jahreszahl", severity="warning")


# --------------------------------------------------------------------------- geometry

def test_hst031_geojson_with_an_old_style_crs_member(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    data = json.loads(SPEC.areas.to_crs(25832).to_json(drop_id=True))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}
    (folder / "areas.geojson").write_text(json.dumps(data), encoding="utf-8")
    bundle = load_bundle(folder)
    minx, miny, maxx, maxy = bundle.areas.total_bounds
    assert 6.0 < minx < maxx < 6.2 and 50.7 < miny < maxy < 50.8
    assert bundle.areas["area_km2"].sum() == pytest.approx(load_bundle(write_bundle(tmp_path / "c"))
                                                           .areas["area_km2"].sum(), rel=1e-3)


def test_hst032_geojson_utm_coordinates_without_crs_member(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    data = json.loads(SPEC.areas.to_crs(25832).to_json(drop_id=True))
    data.pop("crs", None)
    (folder / "areas.geojson").write_text(json.dumps(data), encoding="utf-8")
    find(problems_of(folder), "areas.geojson", "Koordinaten passen nicht", "EPSG:4326")


@pytest.mark.parametrize("geometry, kind", [
    ({"type": "Point", "coordinates": [6.1, 50.7]}, "Point"),
    ({"type": "LineString", "coordinates": [[6.1, 50.7], [6.2, 50.8]]}, "LineString"),
    ({"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [ring(6.07, 50.75, 6.09, 50.76)]},
                                                   {"type": "Point", "coordinates": [6.0, 50.0]}]},
     "GeometryCollection"),
])
def test_hst033_non_polygon_features_are_errors(tmp_path: Path, geometry: dict, kind: str) -> None:
    folder = write_bundle(tmp_path / "b")
    edit_geojson(folder, set_geometry(1, geometry))
    find(problems_of(folder), "areas.geojson", "Objekt 2 (area_id 05334002-02)", "Spalte „geometry“", f"„{kind}“",
         "nur Polygon oder MultiPolygon")


def test_hst034_null_geometry_is_an_error(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    edit_geojson(folder, set_geometry(2, None))
    find(problems_of(folder), "areas.geojson", "Objekt 3 (area_id 05334002-03)", "Geometrie fehlt")


def test_hst035_bow_tie_is_repaired_with_a_warning(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    bow_tie = [[6.05, 50.75], [6.07, 50.76], [6.07, 50.75], [6.05, 50.76], [6.05, 50.75]]
    edit_geojson(folder, set_geometry(0, {"type": "Polygon", "coordinates": [bow_tie]}))
    bundle = load_bundle(folder)
    find(bundle.warnings, "areas.geojson", "Objekt 1", "Self-intersection", "repariert", severity="warning")
    assert bundle.areas.geometry.is_valid.all()


def test_hst036_polygon_with_hole_keeps_the_hole(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    outer, hole = ring(6.05, 50.75, 6.07, 50.76), ring(6.055, 50.752, 6.065, 50.758)
    edit_geojson(folder, set_geometry(0, {"type": "Polygon", "coordinates": [outer, hole]}))
    bundle = load_bundle(folder)
    geom = bundle.areas.set_index("area_id").geometry["05334002-01"]
    assert len(geom.interiors) == 1
    full = bundle.areas.set_index("area_id")["area_km2"]["05334002-02"]
    assert bundle.areas.set_index("area_id")["area_km2"]["05334002-01"] == pytest.approx(full * 0.7, rel=0.01)


def test_hst037_geometry_collection_of_polygons_is_accepted_with_a_warning(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    parts = [{"type": "Polygon", "coordinates": [ring(6.05, 50.75, 6.06, 50.76)]},
             {"type": "Polygon", "coordinates": [ring(6.06, 50.75, 6.07, 50.76)]}]
    edit_geojson(folder, set_geometry(0, {"type": "GeometryCollection", "geometries": parts}))
    bundle = load_bundle(folder)
    find(bundle.warnings, "Objekt 1", "GeometryCollection", severity="warning")
    assert bundle.areas.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")


def test_hst038_3d_coordinates_are_dropped(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    edit_geojson(folder, set_geometry(0, {"type": "Polygon", "coordinates": [ring(6.05, 50.75, 6.07, 50.76, 212.5)]}))
    assert not load_bundle(folder).areas.geometry.has_z.any()


def test_hst039_shapefile_in_gauss_krueger_with_prj(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", areas="shp")
    SPEC.areas.to_crs(31466).rename(columns=SHAPE_FIELDS).to_file(folder / "areas.shp", encoding="cp1252")
    bundle = load_bundle(folder)
    minx, miny, maxx, maxy = bundle.areas.total_bounds
    assert minx == pytest.approx(6.05, abs=1e-4) and maxy == pytest.approx(50.76, abs=1e-4)
    assert set(bundle.areas["area_name"]) >= {"Straß", "Euchen – Linden"}


def test_hst040_shapefile_without_prj_in_utm(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", areas="shp")
    (folder / "areas.prj").unlink()
    problem = find(problems_of(folder), "areas.shp", "projizierte Koordinaten ohne Koordinatenbezugssystem (.prj fehlt)")
    assert problem.value and "5625844" in problem.value


@pytest.mark.parametrize("sidecar", [".shx", ".dbf"])
def test_hst041_shapefile_sidecar_missing(tmp_path: Path, sidecar: str) -> None:
    folder = write_bundle(tmp_path / "b", areas="shp")
    (folder / f"areas{sidecar}").unlink()
    find(problems_of(folder), "areas.shp", "gehörende Datei fehlt", f"„areas{sidecar}“")


def test_hst042_geopackage_with_two_layers(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", areas="gpkg")
    SPEC.areas.to_file(folder / "areas.gpkg", layer="alt", driver="GPKG")
    find(problems_of(folder), "areas.gpkg", "mehrdeutig", "„areas“", "„alt“", "[sheets] areas")
    config = {**SPEC.config, "sheets": {"areas": "ALT"}}
    (folder / "bundle.toml").write_text(toml_text(config), encoding="utf-8")
    assert len(load_bundle(folder).areas) == 6


def test_hst043_geopackage_with_a_non_spatial_table(tmp_path: Path) -> None:
    import sqlite3

    folder = write_bundle(tmp_path / "b", areas="gpkg")
    with sqlite3.connect(folder / "areas.gpkg") as db:
        db.execute("CREATE TABLE notizen (text TEXT)")
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('notizen', 'attributes', 'notizen')")
    bundle = load_bundle(folder)
    find(bundle.warnings, "areas.gpkg", "„areas“ wird gelesen", "„notizen“", severity="warning")


@pytest.mark.parametrize("content, parts", [
    ('{"type": "FeatureCollection", "features": []}', ["keine Objekte"]),
    ('{"type": "FeatureCollection",\n "features": [,]}', ["kein gültiges JSON", "Zeile 2"]),
    ("Sozialraum;Name\n1;Mitte\n", ["kein gültiges JSON", "Zeile 1"]),
    ("[1, 2, 3]", ["kein GeoJSON", "FeatureCollection"]),
], ids=["no-features", "json-syntax", "csv-content", "json-array"])
def test_hst044_broken_geojson(tmp_path: Path, content: str, parts: list[str]) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "areas.geojson").write_text(content, encoding="utf-8")
    find(problems_of(folder), "areas.geojson", *parts)


def test_hst045_geojson_in_windows_1252_loads_with_a_warning(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    path = folder / "areas.geojson"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    bundle = load_bundle(folder)
    assert "Straß" in set(bundle.areas["area_name"])
    find(bundle.warnings, "areas.geojson", "Windows-1252", severity="warning")


@pytest.mark.parametrize("name", ["areas.geojson", "indicators.csv", "values.csv"])
def test_hst046_zero_byte_files(tmp_path: Path, name: str) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / name).write_bytes(b"")
    find(problems_of(folder), name, "Datei ist leer (0 Byte)")


@pytest.mark.parametrize("kind, name", [("xlsx", "values.xlsx"), ("parquet", "values.parquet"), ("gpkg", "areas.gpkg")])
def test_hst047_zero_byte_binary_files(tmp_path: Path, kind: str, name: str) -> None:
    folder = write_bundle(tmp_path / "b", areas="gpkg" if kind == "gpkg" else "geojson",
                          values=TableFormat(kind=kind) if kind != "gpkg" else TableFormat())
    (folder / name).write_bytes(b"")
    find(problems_of(folder), name, "Datei ist leer (0 Byte)")


def test_hst048_duplicate_area_ids(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    edit_geojson(folder, lambda d: d["features"][4]["properties"].update(area_id="05334002-01"))
    find(problems_of(folder), "areas.geojson", "Objekt 5 (area_id 05334002-01)", "doppelt", "auch Objekt 1")


def test_hst049_municipality_ids_as_numbers_warn(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    edit_geojson(folder, lambda d: [f["properties"].update(municipality_id=int(f["properties"]["municipality_id"]))
                                    for f in d["features"]])
    bundle = load_bundle(folder)
    assert set(bundle.municipalities["municipality_id"]) == {"5334002", "5334036"}
    find(bundle.warnings, "areas.geojson", "Spalte „municipality_id“", "als Zahlen gespeichert", severity="warning")


# --------------------------------------------------------------------------- bundle.toml

def test_hst050_bundle_toml_with_bom(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    path = folder / "bundle.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_bundle(folder).config.title == "Testregion"


def test_hst051_bundle_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "bundle.toml").write_text('title = "Test"\nregion = "StädteRegion\nattribution = "x"\n', encoding="utf-8")
    problem = find(problems_of(folder), "bundle.toml", "Zeile 2", "ungültiges TOML", "Zeichen 23")
    assert problem.row == 2


@pytest.mark.parametrize("text, parts", [
    ('themes = "Soziodemografie, Wohnen"\n', ["Spalte „themes“", "„Soziodemografie, Wohnen“", "Liste von Texten"]),
    ("title = 3\n", ["Spalte „title“", "„3“", "Text"]),
    ("[columns]\nvalues = \"Werte\"\n", ["Spalte „columns.values“", "Tabelle"]),
    ("[columns.values]\nyear = 2022\n", ["Spalte „columns.values.year“", "„2022“"]),
    ("[privacy]\nmin_count = 2.5\n", ["Spalte „privacy.min_count“", "„2.5“", "ganze Zahl"]),
])
def test_hst052_bundle_toml_wrong_types(tmp_path: Path, text: str, parts: list[str]) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "bundle.toml").write_text('attribution = "x"\n' + text, encoding="utf-8")
    find(problems_of(folder), "bundle.toml", *parts)


def test_hst053_mapping_to_a_column_that_does_not_exist(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=TableFormat(sep=";", german=True, headers=GERMAN_VALUE_HEADERS))
    config = {**SPEC.config, "columns": {"values": {**GERMAN_VALUE_HEADERS, "year": "Berichtsjahr"}}}
    (folder / "bundle.toml").write_text(toml_text(config), encoding="utf-8")
    find(problems_of(folder), "values.csv", "Spalte „Berichtsjahr“", "Spalte fehlt", "[columns.values] year",
         "„Jahr“")


def test_hst054_mapping_not_found_but_canonical_present_warns(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    config = {**SPEC.config, "columns": {"values": {"year": "Berichtsjahr"}}}
    (folder / "bundle.toml").write_text(toml_text(config), encoding="utf-8")
    bundle = load_bundle(folder)
    find(bundle.warnings, "values.csv", "„Berichtsjahr“", "nicht gefunden", "„year“ wird verwendet", severity="warning")


def test_hst055_mapping_two_fields_to_one_column_is_an_error(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    config = {**SPEC.config, "columns": {"values": {"value": "area_id"}}}
    (folder / "bundle.toml").write_text(toml_text(config), encoding="utf-8")
    problems = problems_of(folder)
    find(problems, "values.csv", "Spalte „area_id“", "mehreren Feldern", "area_id, value")
    assert len(problems) < 5  # one clear message, not one per row


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_hst056_bundle_toml_in_a_legacy_encoding_loads_with_a_warning(tmp_path: Path, encoding: str) -> None:
    folder = write_bundle(tmp_path / "b")
    path = folder / "bundle.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    bundle = load_bundle(folder)
    assert bundle.config.region == "StädteRegion Aachen (Ausschnitt)"
    find(bundle.warnings, "bundle.toml", "gelesen", severity="warning")


# --------------------------------------------------------------------------- folder structure

def test_hst057_values_file_is_a_directory(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "values.csv").unlink()
    (folder / "values.csv").mkdir()
    find(problems_of(folder), "values.csv", "ist ein Ordner")


def test_hst058_unreadable_file(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    path = folder / "values.csv"
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        find(problems_of(folder), "values.csv", "keine Leseberechtigung")
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("kind", ["loop", "self", "dangling"])
def test_hst059_broken_symlinks(tmp_path: Path, kind: str) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "values.csv").unlink()
    if kind == "loop":
        (folder / "values.csv").symlink_to(folder / "other.csv")
        (folder / "other.csv").symlink_to(folder / "values.csv")
    elif kind == "self":
        (folder / "values.csv").symlink_to(folder / "values.csv")
    else:
        (folder / "values.csv").symlink_to(folder / "elsewhere.csv")
    find(problems_of(folder), "values.csv", "Symlink")


def test_hst060_fifo_is_not_read_and_does_not_hang(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "values.csv").unlink()
    os.mkfifo(folder / "values.csv")
    find(problems_of(folder), "values.csv", "keine normale Datei")


def test_hst061_upper_case_file_names_from_windows(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", areas="shp")
    for path in list(folder.iterdir()):
        path.rename(folder / path.name.upper())
    bundle = load_bundle(folder)
    assert len(bundle.areas) == 6 and bundle.config.title == "Testregion"


def test_hst062_same_name_in_two_cases_is_ambiguous(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "Values.CSV").write_bytes((folder / "values.csv").read_bytes())
    find(problems_of(folder), "Values.CSV", "values.csv", "mehrdeutig")


def test_hst063_folder_missing_or_a_file(tmp_path: Path) -> None:
    find(problems_of(tmp_path / "nirgends"), "nicht gefunden")
    (tmp_path / "datei.csv").write_text("x", encoding="utf-8")
    find(problems_of(tmp_path / "datei.csv"), "ist eine Datei, kein Ordner")


@pytest.mark.parametrize("make, name, parts", [
    (lambda f: (f / "values.csv").write_bytes(b"PK\x03\x04" + b"\0" * 40), "values.csv", ["Excel-Datei (.xlsx)"]),
    (lambda f: (f / "values.csv").rename(f / "values.xlsx"), "values.xlsx", ["keine gültige Excel-Datei", ".csv"]),
    (lambda f: (f / "values.csv").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600), "values.csv", ["alte Excel-Datei"]),
], ids=["xlsx-named-csv", "csv-named-xlsx", "xls-named-csv"])
def test_hst064_content_does_not_match_the_extension(tmp_path: Path, make: Callable, name: str,
                                                     parts: list[str]) -> None:
    folder = write_bundle(tmp_path / "b")
    make(folder)
    find(problems_of(folder), name, *parts)


def test_hst065_every_problem_names_its_file_and_no_exception_escapes(tmp_path: Path) -> None:
    """A bundle broken everywhere at once still gives one BundleError listing each file."""
    folder = write_bundle(tmp_path / "b", values=XLSX)
    (folder / "bundle.toml").write_bytes(b"\xef\xbb\xbftitle = \n")
    (folder / "areas.geojson").write_text("{", encoding="utf-8")
    (folder / "indicators.csv").write_bytes(b"\x00\x01\x02binary\x00")
    (folder / "values.xlsx").write_bytes(b"not a zip")
    problems = problems_of(folder)
    for name in ("bundle.toml", "areas.geojson", "indicators.csv", "values.xlsx"):
        find(problems, name)
    assert all(re.search(r"[äöüß]|Datei|Zeile|fehlt|gültig", str(p)) for p in problems)


def test_hst066_wide_xlsx_with_numeric_headers_and_ids(tmp_path: Path) -> None:
    """Wide layout where Excel stored area ids as numbers and the year as float."""
    spec = renamed_ids(make_spec(), [str(100 + i) for i in range(6)])
    folder = write_bundle(tmp_path / "b", spec)
    table = spec.values.pivot(index=["area_id", "year"], columns="indicator_id", values="value").reset_index()
    write_values_xlsx(folder, [[float(r[0]), float(r[1]), *r[2:]] for r in table.itertuples(index=False)],
                      header=list(table.columns))
    bundle = load_bundle(folder)
    assert len(bundle.values) == len(spec.values) and [str(w) for w in bundle.warnings] == []

