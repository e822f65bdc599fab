"""Downloads equal the grid, compare maps share the view, the page is built for the URL's view."""

from __future__ import annotations

import base64
import csv
import io
import json

import openpyxl
import pytest
from dash import Patch, no_update
from plotly.io.json import to_json_plotly

from app import create_app, page_query, prepare, validation_skeleton
from callbacks.maps import sync_views, view_edits
from callbacks.ranking import download_file, update_table
from dashboard.publish import publish
from dashboard.state import ViewState
from layouts import ids
from layouts.page import layout
from tests.conftest import make_tiny_bundle

RELAYOUT = {"map.center": {"lon": 6.02, "lat": 50.705}, "map.zoom": 12.5, "map.bearing": 0, "map.pitch": 0,
            "map._derived": {"coordinates": [[6.0, 50.7]] * 4}}


def _state(app_data, query: str) -> dict:
    return ViewState.from_query(query, app_data.choices).to_dict()


def _file(result: dict) -> bytes:
    return base64.b64decode(result["content"]) if result.get("base64") else result["content"].encode()


def _csv(app_data, query: str, rows=None) -> list[list[str]]:
    result = download_file(app_data, ids.DOWNLOAD_CSV, _state(app_data, query), rows)
    return list(csv.reader(io.StringIO(_file(result).decode("utf-8-sig")), delimiter=";"))


def test_dlw001_csv_has_the_grids_columns_and_rows_in_german_format(app_data):
    query = "?indicator=SGB2&year=2021&areas=A1"
    rows, options, *_ = update_table(app_data, _state(app_data, query))
    table = _csv(app_data, query)
    header, body = table[0], table[1:]
    assert header[:5] == ["ID", "Name", "Kommune", "Wert (%)", "Rang"]
    assert "Differenz zur Region (%-Pkt.)" in header and "Klasse" in header and "Klassengrenzen" in header
    pinned = options.to_plotly_json()["operations"][0]["params"]["value"]
    assert [r[0] for r in body] == [p["unit_id"] for p in pinned] + [r["unit_id"] for r in rows]
    diff, klass = header.index("Differenz zur Region (%-Pkt.)"), header.index("Klasse")
    by_id = {r[0]: r for r in body}
    for row in rows:  # one pipeline: the file says what the grid says
        line = by_id[row["unit_id"]]
        if row["diff"] is not None:
            assert line[diff] == row["diff_text"].split(" ")[0].lstrip("+±").replace("−", "-")
            assert "," in line[diff] and "." not in line[diff]
        if row["class_no"] is not None:
            assert row["class_label"].startswith(line[klass] + ":")
    assert by_id["__region__"][diff] == "" and by_id["__region__"][4] == ""


def test_dlw002_grid_filter_and_sort_decide_the_rows(app_data):
    query = "?indicator=SGB2&year=2021"
    rows, *_ = update_table(app_data, _state(app_data, query))
    shown = [rows[3], rows[0], {"unit_id": "NOPE", "value": 123456.0}, {"value": 1.0}]
    table = _csv(app_data, query, shown)
    areas = [r[0] for r in table[1:] if not r[0].startswith("__") and r[0] not in ("M1", "M2")]
    assert areas == [rows[3]["unit_id"], rows[0]["unit_id"]]
    assert "123456" not in json.dumps(table)  # values from the browser never reach the file
    assert len(_csv(app_data, query, [])) == 2  # everything filtered away: header + region


def test_dlw003_xlsx_keeps_numbers_as_numbers(app_data):
    result = download_file(app_data, ids.DOWNLOAD_XLSX, _state(app_data, "?indicator=SGB2&year=2021"), None)
    assert result["filename"] == "SGB2_2021.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(_file(result)))["Tabelle"]
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    first_area = values[2]  # after the region row
    for col in ("Wert (%)", "Rang", "Differenz zur Region (%-Pkt.)", "Klasse"):
        assert isinstance(first_area[header.index(col)], (int, float)), col
    assert isinstance(first_area[header.index("Klassengrenzen")], str)


def test_dlw004_hidden_rows_show_the_symbol_in_every_value_column(app_data):
    table = _csv(app_data, "?indicator=SGB2&year=2022")
    header, body = table[0], table[1:]
    symbol = app_data.published.symbol
    hidden = [r for r in body if r[0] == "A3"]
    assert hidden, "A3 is hidden in 2022"
    row = hidden[0]
    for col in ("Wert (%)", "Differenz zur Region (%-Pkt.)", "Klasse", "Klassengrenzen"):
        assert row[header.index(col)] == symbol, col


def test_dlw005_download_over_http_answers_with_a_file():
    app = create_app(published=publish(make_tiny_bundle()))
    key = next(k for k in app.callback_map if k.startswith(f"{ids.DOWNLOAD}.data"))
    spec = app.callback_map[key]
    state = ViewState("SGB2", 2021).to_dict()
    values = {f"{ids.DOWNLOAD_CSV}.n_clicks": 1, f"{ids.VIEW_STATE}.data": state,
              f"{ids.RANKING_TABLE}.virtualRowData": [{"unit_id": "B1"}]}
    payload = {
        "output": key, "outputs": {"id": ids.DOWNLOAD, "property": "data"},
        "inputs": [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in spec["inputs"]],
        "state": [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in spec["state"]],
        "changedPropIds": [f"{ids.DOWNLOAD_CSV}.n_clicks"],
    }
    response = app.server.test_client().post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:300]
    data = response.get_json()["response"][ids.DOWNLOAD]["data"]
    text = _file(data).decode("utf-8-sig")
    assert data["filename"] == "SGB2_2021.csv" and "\nB1;" in text.replace("\r", "") and "A1;" not in text


def test_dlw006_a_pan_on_one_map_patches_only_the_view_of_the_other(app_data):
    main, compare = sync_views(ids.MAP, RELAYOUT, None, True)
    assert main is no_update and isinstance(compare, Patch)
    payload = to_json_plotly(compare.to_plotly_json())
    assert len(payload) < 600 and "geojson" not in payload and "_derived" not in payload
    ops = {tuple(o["location"]): o["params"]["value"] for o in compare.to_plotly_json()["operations"]}
    assert ops[("layout", "map", "center")] == RELAYOUT["map.center"] and ops[("layout", "map", "zoom")] == 12.5
    main, compare = sync_views(ids.MAP_COMPARE, None, RELAYOUT, True)
    assert isinstance(main, Patch) and compare is no_update


@pytest.mark.parametrize("trigger, main_relayout, compare_relayout, loaded", [
    (ids.MAP, {"autosize": True}, None, True),  # not a view change
    (ids.MAP, {"dragmode": "lasso"}, None, True),
    (ids.MAP, RELAYOUT, None, False),  # compare map not built yet
    (ids.MAP_COMPARE, None, {"autosize": True}, True),
])
def test_dlw007_other_events_move_nothing(trigger, main_relayout, compare_relayout, loaded):
    assert sync_views(trigger, main_relayout, compare_relayout, loaded) == (no_update, no_update)


def test_dlw008_a_new_compare_map_takes_the_main_maps_view():
    _, compare = sync_views(ids.COMPARE_LOADED, RELAYOUT, None, True)
    assert isinstance(compare, Patch)
    assert view_edits({"map.zoom": 9}) == {"zoom": 9} and view_edits(None) is None


def _props(page) -> dict:
    return {getattr(c, "id", None): c for c in page._traverse() if getattr(c, "id", None)}


def test_dlw009_page_is_built_for_the_urls_view_with_no_initial_callback(app_data):
    query = "?indicator=WFL&year=2022&areas=B1&compare=year&compare_year=2021"
    page = _props(layout(app_data, ViewState.from_query(query, app_data.choices), query))
    assert page[ids.URL].search == query
    assert page[ids.VIEW_STATE].data["indicator"] == "WFL" and page[ids.COMPARE_LOADED].data is True
    assert "geojson" in page[ids.MAP].figure.to_plotly_json()["data"][0]
    assert "2022" in page[ids.MAP].figure.layout.title.text
    assert "2021" in page[ids.MAP_COMPARE].figure.layout.title.text
    assert any(r["unit_id"] == "B1" and r["selected"] for r in page[ids.RANKING_TABLE].rowData)
    assert page[ids.RANKING_TABLE].dashGridOptions["pinnedTopRowData"][0]["unit_id"] == "__region__"
    assert [t["name"] for t in page[ids.TIMESERIES].figure["data"]][0] == "Dorf"
    assert page[ids.THEME_SELECT].value == "Wohnen"


def test_dlw010_layout_follows_the_page_url_and_stays_small_in_the_index():
    app = create_app(published=publish(make_tiny_bundle()))
    client = app.server.test_client()
    layout_json = client.get("/_dash-layout", headers={"Referer": "http://h/?indicator=WFL&year=2021"}).get_json()
    assert '"indicator": "WFL"' in json.dumps(layout_json) and '"year": 2021' in json.dumps(layout_json)
    index = client.get("/").data.decode()
    assert "geojson" not in index  # the validation layout carries no data
    for spec in app._callback_list:
        assert spec["prevent_initial_call"], spec["output"]  # the first paint needs no round trip
    with app.server.test_request_context("/?indicator=EW"):
        assert page_query() == "?indicator=EW"
    assert page_query() == ""
    skeleton = _props(validation_skeleton(prepare(publish(make_tiny_bundle()))))
    assert skeleton[ids.RANKING_TABLE].rowData == [] and skeleton[ids.MAP].figure == {"data": [], "layout": {}}
