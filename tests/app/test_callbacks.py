"""Callback functions called directly with plain inputs (no browser, no HTTP)."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from dash import no_update

from app import create_app
from callbacks.maps import compare_geometry, update_maps
from callbacks.ranking import update_table
from callbacks.state import CONTROL_FIELDS, INPUTS, next_state, outputs_for
from callbacks.timeseries import update_series
from dashboard.charts.canvas import SLIDE
from dashboard.charts.series_chart import expand_series, series_for
from dashboard.page_texts import indicator_texts
from dashboard.publish import HIDDEN_STATUSES, publish
from dashboard.ranking import expand_reference
from dashboard.state import ViewState
from layouts import ids
from tests.app.grid import grid_rows
from tests.conftest import make_tiny_bundle


def _values(**overrides):
    values = {f"{c}.{p}": None for c, p in INPUTS}
    values.update(overrides)
    return values


def _state(app_data, query: str) -> dict:
    return ViewState.from_query(query, app_data.choices).to_dict()


def test_app001_create_app_accepts_a_published_object():
    app = create_app(published=publish(make_tiny_bundle()))
    assert app.layout is not None
    assert app.config.external_stylesheets == ["/assets/vendor/bootstrap.min.css"]


def test_app002_url_restores_the_view(app_data):
    state = next_state(app_data, None, _values(**{"url.search": "?indicator=WFL&year=2022&areas=B1"}), None)
    assert (state.indicator, state.year, state.areas) == ("WFL", 2022, ("B1",))
    out = outputs_for(app_data, state, None, "?indicator=WFL&year=2022&areas=B1", from_url=True)
    assert out[1] is no_update  # the URL is not rewritten when it was the trigger
    assert out[2] == "Wohnen" and out[3] == [{"label": "Wohnfläche je Einwohner", "value": "WFL"}]


def test_app003_theme_switch_picks_that_themes_indicator_and_keeps_selection(app_data):
    current = _state(app_data, "?indicator=SGB2&year=2022&areas=A1,B2")
    state = next_state(app_data, "theme-select.value", _values(**{"theme-select.value": "Wohnen"}), current)
    assert state.indicator == "WFL" and state.areas == ("A1", "B2") and state.year == 2022
    old = ViewState.from_dict(current, app_data.choices)
    out = outputs_for(app_data, state, old, "?indicator=SGB2&year=2022&areas=A1,B2", from_url=False)
    assert out[1] == "?indicator=WFL&year=2022&areas=A1,B2"
    assert out[3] == [{"label": "Wohnfläche je Einwohner", "value": "WFL"}]


@pytest.mark.parametrize("control, value, field, expected", [
    (ids.YEAR_SELECT, 2021, "year", 2021),
    (ids.CLASS_METHOD_SELECT, "fisher_jenks", "method", "fisher_jenks"),
    (ids.CLASSES_SELECT, 3, "classes", 3),
    (ids.MUNICIPALITY_SELECT, ["M2"], "municipalities", ("M2",)),
    (ids.YEAR_SELECT, 1800, "year", 2022),  # invalid: unchanged
])
def test_app004_controls_edit_the_state(app_data, control, value, field, expected):
    current = _state(app_data, "?indicator=SGB2&year=2022&areas=A1")
    state = next_state(app_data, f"{control}.value", _values(**{f"{control}.value": value}), current)
    assert getattr(state, field) == expected
    assert state.areas == ("A1",)
    assert control in CONTROL_FIELDS


def test_app005_map_click_table_click_and_clear(app_data):
    current = _state(app_data, "?indicator=SGB2&year=2022")
    feature = {"type": "Feature", "id": "B1", "properties": {"i": 3}}
    s = next_state(app_data, "map-layer.clickData", _values(**{"map-layer.clickData": feature}), current)
    assert s.areas == ("B1",)
    s = next_state(app_data, "table-click.data",
                   _values(**{"table-click.data": {"rowId": "A2", "colId": "name"}}), s.to_dict())
    assert s.areas == ("B1", "A2")
    s2 = next_state(app_data, "table-click.data",
                    _values(**{"table-click.data": {"rowId": "__region__"}}), s.to_dict())
    assert s2.areas == s.areas  # pinned reference rows do not select
    s = next_state(app_data, "map-compare-layer.clickData",
                   _values(**{"map-compare-layer.clickData": {"id": "B1"}}), s.to_dict())
    assert s.areas == ("A2",)  # a second click on an area deselects it (either map)
    s3 = next_state(app_data, "map-layer.clickData", _values(**{"map-layer.clickData": {"id": "nope"}}), s.to_dict())
    assert s3.areas == s.areas
    s = next_state(app_data, "clear-selection.n_clicks", _values(**{"clear-selection.n_clicks": 1}), s.to_dict())
    assert s.areas == ()


def test_app006_map_update_is_small_and_carries_no_geometry(app_data):
    out = update_maps(app_data, _state(app_data, "?indicator=SGB2&year=2022&areas=A1"))
    payload = json.dumps(out[0])
    assert len(payload) < 5000
    assert "coordinates" not in payload and "geometry" not in payload
    assert out[0]["selected"] == ["A1"] and len(out[0]["codes"]) == 6
    assert out[5] is no_update  # compare map untouched while compare mode is off


def test_app007_compare_geometry_is_sent_once(app_data):
    state = _state(app_data, "?indicator=SGB2&year=2022&compare=year&compare_year=2021")
    first = compare_geometry(app_data, state, False)
    assert first[2] is True and first[0]["type"] == "FeatureCollection" and len(first[0]["features"]) == 6
    again = compare_geometry(app_data, state, True)
    assert again == (no_update, no_update, no_update)
    out = update_maps(app_data, state)
    assert out[11] == 6  # two maps side by side
    assert out[5]["codes"] and out[2].endswith("2022") and out[7].endswith("2021")


def _hidden_cells(app_data):
    cells = app_data.published.cells
    return cells[cells["status"].isin(HIDDEN_STATUSES) & (cells["level"] == "area")]


def test_app008_hidden_cells_reach_the_browser_only_as_symbol(app_data):
    hidden = _hidden_cells(app_data)
    if hidden.empty:
        pytest.skip("privacy rules hide nothing in the tiny bundle yet")
    ind, year = hidden.iloc[0]["indicator_id"], int(hidden.iloc[0]["year"])
    state = _state(app_data, f"?indicator={ind}&year={year}")
    compact, *_ = update_table(app_data, state)
    rows = grid_rows(app_data, compact)
    hidden_ids = set(hidden[(hidden["indicator_id"] == ind) & (hidden["year"] == year)]["unit_id"])
    for row in rows:
        if row["unit_id"] in hidden_ids:
            assert row["hidden"] and row["value"] is None and row["diff"] is None and row["rank"] is None
            assert row["value_text"] == app_data.published.symbol
    text = json.dumps([rows, compact])
    assert "primary" not in text and "secondary" not in text
    maps = update_maps(app_data, state)
    assert "Datenschutzgründen" in maps[12]


def _series(app_data, state: dict) -> tuple:
    """The router's series outputs with the figure the browser draws from them (the Python twin)."""
    compact, note = update_series(app_data, state)
    return expand_series(compact), note, indicator_texts(app_data)[state["indicator"]]["st"]


def test_app009_series_has_region_and_selected_lines_with_gaps(app_data):
    fig, note, _title = _series(app_data, _state(app_data, "?indicator=SGB2&year=2022&areas=A1,B1"))
    names = [t["name"] for t in fig["data"]]
    assert names[:2] == ["Altstadt", "Dorf"] and names[-1] == "Testkreis (Region)"
    assert all(t["connectgaps"] is False for t in fig["data"])
    assert fig["layout"]["separators"] == ",."
    go.Figure(fig)  # a valid plotly figure
    empty_fig, empty_note, _title = _series(app_data, _state(app_data, "?indicator=SGB2&year=2022"))
    assert len(empty_fig["data"]) == 1 and "wählen" in empty_note


def test_app010_table_has_german_headers_and_reference_rows(app_data):
    (compact,) = update_table(app_data, _state(app_data, "?indicator=SGB2&year=2021&areas=A1"))
    rows = grid_rows(app_data, compact)
    texts = indicator_texts(app_data)["SGB2"]  # the browser's table title: "Rangfolge: " + t + " " + year
    assert f"Rangfolge: {texts['t']} 2021" == "Rangfolge: SGB-II-Quote (%) 2021"
    assert texts["vh"] == "Wert (%)" and not texts["hd"]
    pinned = expand_reference(compact)  # as assets/ranking.js builds the pinned rows
    assert rows[0]["rank"] == 1 and rows[0]["value_text"].count(",") == 1
    assert pinned[0]["unit_id"] == "__region__" and pinned[0]["reference"]


def test_app020_series_of_a_count_shows_only_the_selected_areas(app_data):
    """Counts (Einwohner): municipality and region totals would flatten the area lines, so they are left out."""
    fig, note, _title = _series(app_data, _state(app_data, "?indicator=EW&year=2022&areas=A1,B1"))
    assert [t["name"] for t in fig["data"]] == ["Altstadt", "Dorf"]
    assert "Bei Anzahlen werden Kommune und Region nicht als Vergleich gezeigt." in note
    exported, _ = series_for(app_data.for_indicator("EW"), ViewState.from_dict(
        _state(app_data, "?indicator=EW&year=2022&areas=A1,B1"), app_data.choices), SLIDE)
    assert "Bei Anzahlen" in exported["layout"]["annotations"][0]["text"]  # inside the exported image
    go.Figure(fig)
    rate_fig, rate_note, _title = _series(app_data, _state(app_data, "?indicator=SGB2&year=2022&areas=A1,B1"))
    assert rate_fig["data"][-1]["name"] == "Testkreis (Region)" and "Anzahlen" not in rate_note
    assert "annotations" not in rate_fig["layout"]  # on screen the page carries title and source
