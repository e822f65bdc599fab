"""Indices as their own atlas theme "Indizes" (dashboard.indices.atlas): choices, map, table, series,
downloads, links – and that no atlas view shows a value for an area the engine withholds."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dashboard.charts.series_chart import series_for, series_title
from dashboard.indices import PROTECTED_STATUSES, class_ranges, compute_index
from dashboard.indices.atlas import INDEX_THEME, atlas_id, with_indices
from dashboard.mapview import HIDDEN, MISSING, map_views
from dashboard.options import indicator_options, theme_of, year_options
from dashboard.palettes import index_class_colours
from dashboard.prepared import prepare
from dashboard.profile import area_profile
from dashboard.publish import publish
from dashboard.ranking import (
    compact_table,
    difference_header,
    download,
    expand_table,
    reference_rows,
    table_rows,
    value_header,
)
from dashboard.series import series_view
from dashboard.state import ViewState, link_problems
from tests.conftest import make_tiny_bundle
from tests.unit.index_bundles import make_bundle, published_with, spec

YEARS = (2021, 2022, 2023)
POP = [1200, 2000, 1500, 800, 3000, 250, 900, 2500]  # A05 is below the population rule (300)
DEN = [900.0, 1500.0, 1100.0, 600.0, 2300.0, 200.0, 700.0, 1900.0]
NUM = [1.0, 40.0, 25.0, 60.0, 30.0, 45.0, 20.0, 50.0]  # A00 has 1 case: primary suppression of Q
B = [30.0, 41.0, 28.0, 55.0, 35.0, 26.0, 47.0, 33.0]
C = [5.0, 9.0, 2.0, 14.0, 7.0, 3.5, 11.0, 6.0]
LABELS = ("hoch", "mittel", "niedrig", "sehr niedrig")
STATUS = spec("status", ["Q", "B", "C"], thresholds=(-1.0, 1.0, 1.5), labels=LABELS, signs=(1, 1, -1),
              weights=(2.0, 1.0, 1.0), description="Statusindex der Testregion")
DYNAMICS = spec("dynamik", ["B", "C"], change=2, thresholds=(-1.0, 1.0), labels=("positiv", "stabil", "negativ"))
STATUS_ID, DYNAMICS_ID = atlas_id("status"), atlas_id("dynamik")


def _bundle(hidden_count: float = 1.0):
    num = [hidden_count, *NUM[1:]]
    shift = {y: k for k, y in enumerate(YEARS)}
    return make_bundle(
        {"B": {y: [b + 3 * shift[y] * (i % 3) for i, b in enumerate(B)] for y in YEARS},
         "C": {y: [c - shift[y] * (i % 2) for i, c in enumerate(C)] for y in YEARS}},
        {y: POP for y in YEARS}, counts={"Q": {y: (num, DEN) for y in YEARS}})


def _prepared(hidden_count: float = 1.0):
    return prepare(published_with(_bundle(hidden_count), STATUS, DYNAMICS))


@pytest.fixture(scope="module")
def prepared():
    return _prepared()


def _state(prepared, query: str) -> ViewState:
    return ViewState.from_query(query, prepared.choices)


def _engine(prepared, s, year: int) -> pd.DataFrame:
    return compute_index(prepared.published, s, year).reindex(list(prepared.geometry.area_ids))


def test_choices_offer_the_theme_indizes_with_the_bundles_indices(prepared):
    catalogue = prepared.catalogue
    assert catalogue.themes[-1] == INDEX_THEME
    assert [o["value"] for o in indicator_options(prepared.published, INDEX_THEME)] == [STATUS_ID, DYNAMICS_ID]
    assert [o["label"] for o in indicator_options(prepared.published, INDEX_THEME)] == ["Status", "Dynamik"]
    assert {STATUS_ID, DYNAMICS_ID} <= set(prepared.choices.indicators)
    assert theme_of(prepared.published, STATUS_ID) == INDEX_THEME
    assert prepared.choices.default_indicator not in (STATUS_ID, DYNAMICS_ID)  # never the first map
    # the dynamics index exists only where its change reaches back two years
    assert prepared.choices.years_of(DYNAMICS_ID) == (2023,)
    assert [o["value"] for o in year_options(prepared.choices, DYNAMICS_ID) if not o["disabled"]] == [2023]
    assert _state(prepared, f"?indicator={DYNAMICS_ID}&year=2021").year == 2023
    # the profiles keep their own index block: no theme "Indizes" among their indicator themes
    assert INDEX_THEME not in catalogue.indicator_themes
    assert all(block.theme != INDEX_THEME for block in area_profile(prepared, "A01", 2023).themes)


def test_info_states_inputs_with_polarity_and_weight_method_and_classes(prepared):
    info = prepared.catalogue[STATUS_ID].info()
    assert info["description"] == "Statusindex der Testregion"
    assert info["inputs"].startswith("höherer Wert = mehr Bedarf, wo nicht anders angegeben: Indikator Q (Q; Gewicht 2)")
    assert "Indikator C (C; Gewicht 1; umgekehrt: niedrigerer Wert = mehr Bedarf)" in info["inputs"]
    assert prepared.catalogue[DYNAMICS_ID].info()["inputs"].startswith("höherer Wert = mehr Bedarf: Indikator B (B;")
    assert info["method"].startswith("z-standardisierte gewichtete Summe")
    assert info["classes"].split(" · ")[0] == "hoch: < −1,00" and "sehr niedrig: > 1,50" in info["classes"]
    assert info["link"] == "/indizes" and info["kind"].startswith("Index")
    assert "Veränderung jedes Indikators über 2 Jahre" in prepared.catalogue[DYNAMICS_ID].info()["method"]


def test_map_view_uses_the_declared_classes_and_codes_protected_areas_as_hidden(prepared):
    state = _state(prepared, f"?indicator={STATUS_ID}&year=2023")
    view, second = map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                             dict(prepared.matrices))
    result = _engine(prepared, STATUS, 2023)
    assert second is None and view.k == 4
    assert view.colours[:4] == index_class_colours(4)
    assert [e.label for e in view.legend[:4]] == [f"{lbl} ({txt})" for lbl, txt in class_ranges(STATUS, 2)]
    assert view.legend[-1].pattern == "dots" and view.legend[-1].count == view.hidden_count >= 2
    for i, (_area, row) in enumerate(result.iterrows()):
        if row["status"] in PROTECTED_STATUSES:
            assert view.codes[i] == view.k + HIDDEN and view.values[i] is None and view.ranks[i] is None
        elif pd.isna(row["value"]):
            assert view.codes[i] == view.k + MISSING
        else:
            assert view.codes[i] == int(row["class_no"]) - 1
            assert view.values[i] == pytest.approx(row["value"], abs=1e-8)
    assert {"A00", "A05"} <= {a for a, c in zip(prepared.geometry.area_ids, view.codes, strict=True)
                              if c == view.k + HIDDEN}
    # the classification controls cannot produce another classification for an index
    other = replace(state, method="fisher_jenks", classes=7, palette="viridis")
    again, _ = map_views(prepared.published, prepared.geometry.area_ids, other, prepared.area_km2)
    assert again.codes == view.codes and again.colours == view.colours and again.legend == view.legend
    assert "Klassifikation" in view.note and view.subtitle.startswith("Klassen des Index")


def test_compare_year_keeps_declared_classes_and_change_map_is_a_difference(prepared):
    year = _state(prepared, f"?indicator={STATUS_ID}&year=2023&compare=year&compare_year=2021")
    a, b = map_views(prepared.published, prepared.geometry.area_ids, year, prepared.area_km2)
    assert b is not None and b.year == 2021 and b.k == a.k == 4 and b.colours == a.colours
    codes_2021 = [int(c) - 1 if pd.notna(c) else None for c in _engine(prepared, STATUS, 2021)["class_no"]]
    assert [c if c < b.k else None for c in b.codes] == codes_2021
    change = _state(prepared, f"?indicator={STATUS_ID}&year=2023&compare=change&compare_year=2021")
    _, diff = map_views(prepared.published, prepared.geometry.area_ids, change, prepared.area_km2)
    values = _engine(prepared, STATUS, 2023)["value"] - _engine(prepared, STATUS, 2021)["value"]
    assert diff is not None and "Veränderung" in diff.title
    for i, v in enumerate(values):
        assert (diff.values[i] is None) == bool(np.isnan(v))
        if not np.isnan(v):
            assert diff.values[i] == pytest.approx(v, abs=1e-8)


def test_table_rows_show_value_class_label_and_rank_and_no_region_reference(prepared):
    state = _state(prepared, f"?indicator={STATUS_ID}&year=2023&areas=A01")
    published = prepared.for_indicator(STATUS_ID)
    arrays = prepared.table(STATUS_ID)
    rows = table_rows(published, state, arrays)
    result = _engine(prepared, STATUS, 2023)
    by_id = {r["unit_id"]: r for r in rows}
    assert len(rows) == 8
    for area, row in result.iterrows():
        shown = by_id[area]
        if row["status"] in PROTECTED_STATUSES:
            assert shown["hidden"] and shown["value"] is None and shown["value_text"] == published.symbol
            assert shown["rank"] is None and shown["class_label"] == ""
        else:
            assert shown["value"] == pytest.approx(row["value"], abs=1e-8)
            assert shown["value_text"] == f"{row['value']:.2f}".replace(".", ",").replace("-", "−")
            assert shown["class_label"] == f"{int(row['class_no'])}: {row['class_label']}"
            assert shown["diff_text"] == ""
    assert [r["rank"] for r in rows if r["rank"] is not None] == list(range(1, int(result["value"].notna().sum()) + 1))
    assert rows[0]["value"] == max(r["value"] for r in rows if r["value"] is not None)
    assert reference_rows(published, state, arrays) == []
    assert value_header(published, STATUS_ID) == "Wert" and difference_header(published, STATUS_ID) == ""
    compact = compact_table(published, state, arrays, prepared.geometry.area_ids)
    assert compact["L"] == list(LABELS) and compact["c"] is True
    assert expand_table(compact, prepared.geometry.area_ids, prepared.area_names,
                        prepared.municipality_names) == rows


def test_downloads_state_the_index_definition_and_carry_no_difference(prepared):
    state = _state(prepared, f"?indicator={STATUS_ID}&year=2023")
    published = prepared.for_indicator(STATUS_ID)
    text, name = download(published, state, "csv-de")
    assert name == "Status_2023_Tabelle.csv"
    lines = text.decode("utf-8-sig").splitlines()
    assert any(line.startswith("Methode;") and "z-standardisierte" in line for line in lines)
    assert any(line.startswith("Indikatoren des Index;") for line in lines)
    header = next(line for line in lines if line.startswith("ID;"))
    assert header == "ID;Name;Kommune;Wert;Rang;Klasse;Klassengrenzen"
    top = lines[lines.index(header) + 1].split(";")
    result = _engine(prepared, STATUS, 2023)
    best = result.loc[result["value"].idxmax()]
    ranges = dict(class_ranges(STATUS, 2))
    assert top[0] == result["value"].idxmax() and top[4] == "1"
    assert top[5:] == [str(int(best["class_no"])), f"{best['class_label']} ({ranges[best['class_label']]})"]
    book = openpyxl.load_workbook(io.BytesIO(download(published, state, "xlsx")[0]))
    meta = {r[0]: r[1] for r in book["Metadaten"].iter_rows(values_only=True) if r and r[0]}
    assert meta["Klassen"].startswith("hoch: < −1,00") and "Gewicht 2" in meta["Indikatoren des Index"]


def test_series_has_area_lines_only_and_says_why(prepared):
    state = _state(prepared, f"?indicator={STATUS_ID}&year=2023&areas=A01,A05")
    published = prepared.for_indicator(STATUS_ID)
    lines, note = series_view(published, state)
    assert [line.kind for line in lines] == ["area", "area"]
    for line, area in zip(lines, ("A01", "A05"), strict=True):
        for year, value in zip(line.years, line.values, strict=True):
            result = compute_index(prepared.published, STATUS, year).loc[area]
            if result["status"] in PROTECTED_STATUSES:
                assert value is None
            else:
                assert value == pytest.approx(result["value"], abs=1e-8)  # values travel rounded to 8 decimals
    assert all(v is None for v in lines[1].values)  # A05 is below the population rule every year
    assert note == "Indizes haben keinen Wert für Kommune oder Region: ein z-standardisierter Index ist im Mittel " \
                   "der Sozialräume per Konstruktion 0."
    figure, screen_note = series_for(published, state)
    assert [t["name"] for t in figure["data"]] == ["Gebiet 1", "Gebiet 5"]
    assert "Kommune oder Region" in screen_note
    assert series_title(published, state) == "Status – Zeitreihe 2021–2023"
    dyn = _state(prepared, f"?indicator={DYNAMICS_ID}&year=2023&areas=A01")
    assert series_title(prepared.for_indicator(DYNAMICS_ID), dyn) == "Dynamik – Zeitreihe 2023"


def test_url_round_trip_of_an_index_view(prepared):
    state = ViewState(STATUS_ID, 2022, areas=("A02",), compare="year", compare_year=2021)
    query = state.to_query()
    assert "indicator=index:status" in query and "year=2022" in query
    assert ViewState.from_query(query, prepared.choices) == state
    assert ViewState.from_query("?indicator=index%3Astatus&year=2022", prepared.choices).indicator == STATUS_ID
    assert link_problems(query, prepared.choices) == []
    assert link_problems("?indicator=index:unbekannt", prepared.choices)  # an unknown index says so
    assert ViewState.from_dict(state.to_dict(), prepared.choices) == state


def test_bundle_without_indices_has_no_index_theme():
    published = publish(make_tiny_bundle())
    assert with_indices(published) is published
    plain = prepare(published)
    assert INDEX_THEME not in plain.catalogue.themes
    assert not [i for i in plain.choices.indicators if i.startswith("index:")]


def test_index_without_classes_is_classified_by_the_controls():
    plain = spec("roh", ["B", "C"], method="minmax")
    prepared = prepare(published_with(_bundle(), plain))
    state = _state(prepared, f"?indicator={atlas_id('roh')}&year=2023&classes=3")
    view, _ = map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2)
    assert view.k == 3 and view.subtitle.startswith("Klassifikation: Quantile")
    assert prepared.catalogue[atlas_id("roh")].decimals == 1 and prepared.catalogue[atlas_id("roh")].info()["classes"] == ""


# ------------------------------------------------------------------ data protection

def _atlas_outputs(prepared, index_id: str, year: int) -> dict[str, object]:
    """Everything the atlas publishes about one index view (all areas selected)."""
    areas = ",".join(prepared.geometry.area_ids)
    state = _state(prepared, f"?indicator={index_id}&year={year}&areas={areas}")
    published = prepared.for_indicator(index_id)
    view, _ = map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                        dict(prepared.matrices))
    lines, _ = series_view(published, state)
    return {
        "map": (view.codes, view.values, view.ranks),
        "rows": table_rows(published, state, prepared.table(index_id)),
        "compact": compact_table(published, state, prepared.table(index_id), prepared.geometry.area_ids),
        "series": [(line.name, line.values, line.texts) for line in lines],
        "csv": download(published, state, "csv")[0],
        "csv-de": download(published, state, "csv-de")[0],
        "xlsx": download(published, state, "xlsx")[0],
    }


@pytest.mark.parametrize(("s", "year"), [(STATUS, 2021), (STATUS, 2023), (DYNAMICS, 2023)])
def test_atlas_index_views_hold_no_value_for_areas_the_engine_protects(prepared, s, year):
    index_id = atlas_id(s.index_id)
    result = _engine(prepared, s, year)
    protected = set(result.index[result["status"].isin(PROTECTED_STATUSES)])
    assert protected  # the bundle really withholds areas
    out = _atlas_outputs(prepared, index_id, year)
    codes, values, ranks = out["map"]
    for i, area in enumerate(prepared.geometry.area_ids):
        if area in protected:
            assert values[i] is None and ranks[i] is None and codes[i] == len(s.labels) + HIDDEN
    for row in out["rows"]:
        if row["unit_id"] in protected:
            assert row["hidden"] and row["value"] is None and row["rank"] is None and row["class_no"] is None
    codes_text = out["compact"]["k"]
    assert all(codes_text[prepared.table(index_id).area_ids.index(a)] == "h" for a in protected)
    assert len(out["compact"]["v"]) == int(result["value"].notna().sum())
    names = {prepared.area_name(a) for a in protected}
    for name, line_values, texts in out["series"]:
        if name in names:
            assert line_values[YEARS.index(year)] is None and texts[YEARS.index(year)].startswith("•")
    plain = pd.read_csv(io.BytesIO(out["csv"]), dtype=str).set_index("unit_id")
    assert (plain.loc[sorted(protected), "value"] == "•").all()
    assert plain.loc[sorted(protected), ["rank", "class_no"]].isna().all().all()
    german = out["csv-de"].decode("utf-8-sig").splitlines()
    for line in german:
        cells = line.split(";")
        if cells[0] in protected:
            assert cells[3] == "•" and cells[4] in ("–", "") and cells[5] == "•"
    sheet = openpyxl.load_workbook(io.BytesIO(out["xlsx"]))["Tabelle"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    for row in rows[1:]:
        if row[0] in protected:
            assert row[3] == "•" and row[4] is None and row[5] == "•" and row[6] == "•"
    assert sum(row[0] in protected for row in rows) == len(protected)


def test_atlas_index_views_are_the_same_whatever_the_hidden_input_holds():
    """An attacker who sees every atlas output cannot tell a hidden count of 1 from one of 2."""
    first, second = _prepared(1.0), _prepared(2.0)
    for s in (STATUS, DYNAMICS):
        a = _atlas_outputs(first, atlas_id(s.index_id), 2023)
        b = _atlas_outputs(second, atlas_id(s.index_id), 2023)
        assert a["map"] == b["map"] and a["rows"] == b["rows"] and a["compact"] == b["compact"]
        assert a["series"] == b["series"] and a["csv"] == b["csv"]


def test_cli_batch_export_accepts_an_index_id(tmp_path):
    from dashboard.cli import main
    from tests.unit.bundle_factory import write_bundle

    folder = write_bundle(tmp_path / "b")
    (folder / "indices.toml").write_text(
        '[[index]]\nid = "lage"\nname = "Lageindex"\nindicators = ["SGB2", "HZE"]\nmethod = "ranksum"\n'
        'classes = [50.0]\nlabels = ["unauffällig", "auffällig"]\n', encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", str(folder), "--indicator", "index:lage", "--year", "2022", "--format", "xlsx",
                 "--out", str(tmp_path / "out")], out=out, err=err)
    assert code == 0, err.getvalue()
    (written,) = (tmp_path / "out").iterdir()
    assert written.name == "Lageindex_2022_Tabelle.xlsx"
    book = openpyxl.load_workbook(written)
    meta = {r[0]: r[1] for r in book["Metadaten"].iter_rows(values_only=True) if r and r[0]}
    assert meta["Indikator"] == "Lageindex (index:lage)" and meta["Methode"].startswith("gewichtetes Mittel der Rangplätze")
    header = [c.value for c in next(book["Tabelle"].iter_rows(max_row=1))]
    assert header == ["ID", "Name", "Kommune", "Wert", "Rang", "Klasse", "Klassengrenzen"]
    code = main(["export", str(folder), "--indicator", "index:nix", "--year", "2022", "--out", str(tmp_path)],
                out=out, err=err)
    assert code == 2 and "index:lage" in err.getvalue()


def test_compare_an_index_with_an_indicator_both_ways(prepared):
    ids = prepared.geometry.area_ids
    index_first = _state(prepared, f"?indicator={STATUS_ID}&year=2023&compare=indicator&compare_indicator=B")
    a, b = map_views(prepared.published, ids, index_first, prepared.area_km2)
    assert a.subtitle.startswith("Klassen des Index") and b.subtitle.startswith("Klassifikation: Quantile")
    indicator_first = _state(prepared, f"?indicator=B&year=2023&compare=indicator&compare_indicator={STATUS_ID}")
    c, d = map_views(prepared.published, ids, indicator_first, prepared.area_km2)
    assert c.subtitle.startswith("Klassifikation") and d.codes == a.codes and d.legend == a.legend
