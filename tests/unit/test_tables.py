"""Ranking tables and exports: ranks by need, hidden rows last, German CSV, XLSX."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.aggregate import REGION_ID
from dashboard.model import PrivacyRules
from dashboard.publish import publish
from dashboard.tables import display_table, export_table, ranking_table
from tests.conftest import make_tiny_bundle
from tests.csv_de import split_csv_de


@pytest.fixture(scope="module")
def published():
    return publish(make_tiny_bundle())


def test_tab001_rank_one_is_most_need_for_positive_polarity(published):
    t = ranking_table(published, "SGB2", 2023)
    ranked = t[t["rank"].notna()]
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    assert ranked["value"].is_monotonic_decreasing
    assert t.iloc[0]["unit_id"] == "A1"  # 106 / 816 is the highest share


def test_tab002_negative_polarity_ranks_lowest_value_first(published):
    t = ranking_table(published, "WFL", 2021)
    assert t.iloc[0]["unit_id"] == "A1"  # 35 m² per head: the least living space
    assert t["value"].is_monotonic_increasing


def test_tab003_hidden_rows_have_no_rank_and_come_last(published):
    t = ranking_table(published, "SGB2", 2022)
    hidden = t[t["hidden"]]
    assert not hidden.empty, "A3 has a count of 1 in 2022"
    assert hidden["rank"].isna().all()
    assert hidden["value"].isna().all() and hidden["numerator"].isna().all()
    first_hidden = t.index[t["hidden"]].min()
    assert not t.loc[first_hidden:, "hidden"].eq(False).any()


def test_tab004_municipality_level_is_ratio_of_sums(published):
    t = ranking_table(published, "SGB2", 2021, level="municipality").set_index("unit_id")
    expected = (100 + 50 + 1) / (800 + 1600 + 400) * 100
    assert t.loc["M1", "value"] == pytest.approx(expected)
    mean_of_ratios = (100 / 800 + 50 / 1600 + 1 / 400) / 3 * 100
    assert t.loc["M1", "value"] != pytest.approx(mean_of_ratios)


def test_tab005_municipality_filter(published):
    t = ranking_table(published, "SGB2", 2021, municipalities=["M2"])
    assert set(t["municipality_id"]) == {"M2"}


def test_tab006_csv_de_is_what_german_excel_opens(published):
    t = ranking_table(published, "SGB2", 2023)
    data = export_table(t, published, "SGB2", "csv-de", year=2023)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    _, rows = split_csv_de(data)
    header, first = rows[:2]
    assert header[:5] == ["ID", "Name", "Kommune", "Wert (%)", "Rang"]
    assert first[3] == "13,0"  # 106 / 816 = 12.99 with one decimal, decimal comma
    assert "1.616" in text  # thousands separator on counts (A2: 2020 * 0.8)


def test_tab007_plain_csv_round_trips_numbers(published):
    t = ranking_table(published, "SGB2", 2023)
    back = pd.read_csv(io.BytesIO(export_table(t, published, "SGB2", "csv", year=2023)))
    assert list(back["unit_id"]) == list(t["unit_id"])
    assert back["value"].iloc[0] == pytest.approx(106 / 816 * 100)


def test_tab008_exports_show_symbol_never_hidden_value(published):
    t = ranking_table(published, "SGB2", 2022)
    hidden_ids = set(t.loc[t["hidden"], "unit_id"])
    for fmt in ("csv", "csv-de"):
        text = export_table(t, published, "SGB2", fmt, year=2022).decode("utf-8-sig")
        for line in text.splitlines():
            cells = line.replace(";", ",").split(",")
            if cells[0] in hidden_ids:
                assert published.symbol in cells
    xlsx = pd.read_excel(io.BytesIO(export_table(t, published, "SGB2", "xlsx", year=2022)), sheet_name=None)
    assert set(xlsx) == {"Tabelle", "Metadaten"}
    sheet = xlsx["Tabelle"].set_index("ID")
    for area in hidden_ids:
        assert sheet.loc[area, "Wert (%)"] == published.symbol


def test_tab009_display_table_uses_count_labels(published):
    shown = display_table(ranking_table(published, "SGB2", 2021), published, "SGB2")
    assert "Personen in BG" in shown.columns and "Einwohner unter Rentenalter" in shown.columns


# --- the writer: formats, frozen header, filter, widths, metadata (issue 7, section 4) ----------

def _with_decimals(decimals: int):
    bundle = make_tiny_bundle()
    indicators = bundle.indicators.copy()
    indicators.loc[indicators["indicator_id"] == "SGB2", "decimals"] = decimals
    return publish(replace(bundle, indicators=indicators))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _column(sheet, header: str) -> list:
    names = [c.value for c in sheet[1]]
    return [row[names.index(header)] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("decimals, expected", [(0, "#,##0"), (1, "#,##0.0"), (2, "#,##0.00"), (3, "#,##0.000")])
def test_tab010_xlsx_numbers_carry_the_indicators_decimals(decimals, expected):
    published = _with_decimals(decimals)
    sheet = _book(export_table(ranking_table(published, "SGB2", 2022), published, "SGB2", "xlsx", year=2022))["Tabelle"]
    values = _column(sheet, "Wert (%)")
    numbers = [c for c in values if isinstance(c.value, float)]
    assert numbers and {c.number_format for c in numbers} == {expected}
    assert [c.value for c in values if isinstance(c.value, str)] == ["•", "•"]  # A1 and A3 in 2022
    assert {c.number_format for c in _column(sheet, "Rang") if c.value is not None} == {"0"}
    assert {c.number_format for c in _column(sheet, "Personen in BG") if isinstance(c.value, int | float)} == {"#,##0"}


def test_tab011_xlsx_difference_has_a_sign_and_the_decimals():
    published = _with_decimals(2)
    from dashboard.ranking import download
    from dashboard.state import ViewState

    sheet = _book(download(published, ViewState("SGB2", 2021), "xlsx")[0])["Tabelle"]
    cells = [c for c in _column(sheet, "Differenz zur Region (%-Pkt.)") if isinstance(c.value, float)]
    assert cells and {c.number_format for c in cells} == {"+#,##0.00;-#,##0.00;#,##0.00"}


def test_tab012_xlsx_header_frozen_autofilter_and_widths():
    published = publish(make_tiny_bundle())
    table = ranking_table(published, "SGB2", 2022)
    sheet = _book(export_table(table, published, "SGB2", "xlsx", year=2022))["Tabelle"]
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(sheet.max_column)
    assert sheet.auto_filter.ref == f"A1:{last}{len(table) + 1}" and sheet.max_row == len(table) + 1
    assert all(c.font.bold for c in sheet[1])
    default = 8.43  # Excel's default column width
    widths = {c: sheet.column_dimensions[c].width for c in (openpyxl.utils.get_column_letter(j)
                                                           for j in range(1, sheet.max_column + 1))}
    assert all(w > default for w in widths.values()), widths
    longest_name = max(len(str(c.value)) for c in _column(sheet, "Name"))
    assert widths["B"] >= longest_name


def _all_text(data: bytes, fmt: str) -> str:
    if fmt != "xlsx":
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist())


@pytest.mark.parametrize("fmt", ["csv", "csv-de", "xlsx"])
def test_tab013_internal_region_id_is_never_in_a_file(fmt):
    from dashboard.ranking import download
    from dashboard.state import ViewState

    published = publish(make_tiny_bundle())
    grid = download(published, ViewState("SGB2", 2021, areas=("A1",)), fmt)[0]
    assert "Testkreis (Region)" in _all_text(grid, fmt)  # the region row is there, by name
    region_level = export_table(ranking_table(published, "SGB2", 2021, level="region"), published, "SGB2", fmt,
                                year=2021, level="region")
    for data in (grid, region_level):
        assert "__region__" not in _all_text(data, fmt) and REGION_ID not in _all_text(data, fmt)
    if fmt == "csv":
        back = pd.read_csv(io.BytesIO(region_level), keep_default_na=False)
        assert list(back["unit_id"]) == [""] and list(back["name"]) == ["Testkreis"]


def test_tab014_metadata_sheet_states_indicator_year_unit_source_privacy_and_date():
    published = publish(make_tiny_bundle(PrivacyRules(min_count=5, min_population=1000, symbol="x")))
    table = ranking_table(published, "SGB2", 2022)
    book = _book(export_table(table, published, "SGB2", "xlsx", year=2022, created=date(2026, 3, 5)))
    assert book.sheetnames == ["Tabelle", "Metadaten"]
    rows = list(book["Metadaten"].iter_rows(values_only=True))
    assert rows[0] == ("Angabe", "Inhalt")
    meta = dict(rows[1:])
    assert meta["Indikator"] == "SGB-II-Quote (SGB2)" and meta["Jahr"] == "2022" and meta["Einheit"] == "%"
    assert meta["Quelle"] == "BA" and meta["Definition"] == "Personen in Bedarfsgemeinschaften"
    assert meta["Abgerufen am"] == "05.03.2026"
    assert meta["Zeichen"].startswith("„x“ = aus Datenschutzgründen nicht ausgewiesen")
    assert "1 bis 4 Fällen" in meta["Datenschutz"] and "Mindestfallzahl 5" in meta["Datenschutz"]
    assert "weniger als 1.000 Einwohnerinnen und Einwohnern" in meta["Datenschutz"]
    assert "Demodaten" in meta["Datenpaket"] and meta["Nachweis"] == "Testdaten"
    assert meta["Auswahl"] == "alle 6 Sozialräume"
    assert meta["Rang"].startswith("Rang 1 = höchster Wert")
    # A count has no minimum-population rule; a negative polarity ranks the lowest value first.
    count = dict(list(_book(export_table(ranking_table(published, "EW", 2022), published, "EW", "xlsx",
                                         year=2022))["Metadaten"].iter_rows(values_only=True))[1:])
    assert "Einwohnerinnen" not in count["Datenschutz"] and "Mindestfallzahl 5" in count["Datenschutz"]
    mean = dict(list(_book(export_table(ranking_table(published, "WFL", 2022), published, "WFL", "xlsx",
                                        year=2022))["Metadaten"].iter_rows(values_only=True))[1:])
    assert "Mindestfallzahl" not in mean["Datenschutz"] and "1.000" in mean["Datenschutz"]
    assert mean["Rang"].startswith("Rang 1 = niedrigster Wert")


def test_tab015_csv_de_first_lines_are_the_metadata_and_the_table_reads_with_skiprows():
    published = publish(make_tiny_bundle())
    heads = set()
    for indicator in ("EW", "SGB2", "WFL"):
        table = ranking_table(published, indicator, 2022, municipalities=["M2"])
        data = export_table(table, published, indicator, "csv-de", year=2022, created=date(2026, 1, 2))
        meta, rows = split_csv_de(data)
        assert meta["Jahr"] == "2022" and meta["Abgerufen am"] == "02.01.2026"
        assert meta["Auswahl"] == "3 von 6 Sozialräumen (gefiltert)"
        assert rows[0][:3] == ["ID", "Name", "Kommune"] and len(rows) == 4
        text = data.decode("utf-8-sig")
        heads.add(text.split("\r\n").index(""))
        assert text.split("\r\n")[0] == f"Tabelle;Rangtabelle {published.catalogue[indicator].title(2022)}"
    assert heads == {14}, "the same number of metadata lines for every indicator"
    data = export_table(ranking_table(published, "SGB2", 2023), published, "SGB2", "csv-de", year=2023)
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", thousands=".", skiprows=15, encoding="utf-8-sig")
    assert list(back.columns[:4]) == ["ID", "Name", "Kommune", "Wert (%)"]
    assert back["Wert (%)"].iloc[0] == pytest.approx(13.0) and back["ID"].iloc[0] == "A1"


def test_tab016_plain_csv_stays_a_bare_table():
    published = publish(make_tiny_bundle())
    data = export_table(ranking_table(published, "SGB2", 2023), published, "SGB2", "csv", year=2023)
    assert data.decode("utf-8").split("\n")[0].startswith("unit_id,name,municipality_id")
    assert "Datenschutz" not in data.decode("utf-8")
