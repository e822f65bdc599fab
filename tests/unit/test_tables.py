"""Ranking tables and exports: ranks by need, hidden rows last, German CSV, XLSX."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.publish import publish
from dashboard.tables import display_table, export_table, ranking_table
from tests.conftest import make_tiny_bundle


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
    data = export_table(t, published, "SGB2", "csv-de")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.split(";")[:5] == ["ID", "Name", "Kommune", "Wert (%)", "Rang"]
    assert first.split(";")[3] == "13,0"  # 106 / 816 = 12.99 with one decimal, decimal comma
    assert "1.616" in text  # thousands separator on counts (A2: 2020 * 0.8)


def test_tab007_plain_csv_round_trips_numbers(published):
    t = ranking_table(published, "SGB2", 2023)
    back = pd.read_csv(io.BytesIO(export_table(t, published, "SGB2", "csv")))
    assert list(back["unit_id"]) == list(t["unit_id"])
    assert back["value"].iloc[0] == pytest.approx(106 / 816 * 100)


def test_tab008_exports_show_symbol_never_hidden_value(published):
    t = ranking_table(published, "SGB2", 2022)
    hidden_ids = set(t.loc[t["hidden"], "unit_id"])
    for fmt in ("csv", "csv-de"):
        text = export_table(t, published, "SGB2", fmt).decode("utf-8-sig")
        for line in text.splitlines():
            cells = line.replace(";", ",").split(",")
            if cells[0] in hidden_ids:
                assert published.symbol in cells
    xlsx = pd.read_excel(io.BytesIO(export_table(t, published, "SGB2", "xlsx")), sheet_name=None)
    assert set(xlsx) == {"Tabelle", "Quelle"}
    sheet = xlsx["Tabelle"].set_index("ID")
    for area in hidden_ids:
        assert sheet.loc[area, "Wert (%)"] == published.symbol


def test_tab009_display_table_uses_count_labels(published):
    shown = display_table(ranking_table(published, "SGB2", 2021), published, "SGB2")
    assert "Personen in BG" in shown.columns and "Einwohner unter Rentenalter" in shown.columns
