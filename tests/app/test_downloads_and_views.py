"""Downloads equal the grid, compare maps share the view, the page is built for the URL's view."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date

import openpyxl

from app import create_app, page_location, validation_skeleton
from callbacks.ranking import download_file, update_table
from dashboard.prepared import prepare
from dashboard.publish import publish
from dashboard.ranking import expand_reference
from dashboard.state import ViewState
from layouts import ids
from layouts.atlas import layout
from tests.app.grid import deferred_page, grid_rows
from tests.conftest import make_tiny_bundle
from tests.csv_de import split_csv_de


def _state(app_data, query: str) -> dict:
    return ViewState.from_query(query, app_data.choices).to_dict()


def _file(result: dict) -> bytes:
    return base64.b64decode(result["content"]) if result.get("base64") else result["content"].encode()


def _csv(app_data, query: str, rows=None) -> list[list[str]]:
    """The table part of the German CSV download (after its metadata lines)."""
    result = download_file(app_data, ids.DOWNLOAD_CSV, _state(app_data, query), rows)
    return split_csv_de(_file(result))[1]


def test_dlw001_csv_has_the_grids_columns_and_rows_in_german_format(app_data):
    query = "?indicator=SGB2&year=2021&areas=A1"
    compact, *_ = update_table(app_data, _state(app_data, query))
    rows = grid_rows(app_data, compact)
    table = _csv(app_data, query)
    header, body = table[0], table[1:]
    assert header[:5] == ["ID", "Name", "Kommune", "Wert (%)", "Rang"]
    assert "Differenz zur Region (%-Pkt.)" in header and "Klasse" in header and "Klassengrenzen" in header
    pinned = expand_reference(compact)  # the pinned rows as the browser builds them
    shown_id = {"__region__": ""}  # the grid's internal row id of the region is never in a file
    assert [r[0] for r in body] == [shown_id.get(p["unit_id"], p["unit_id"]) for p in pinned] + [r["unit_id"] for r in rows]
    diff, klass = header.index("Differenz zur Region (%-Pkt.)"), header.index("Klasse")
    by_id = {r[0]: r for r in body}
    for row in rows:  # one pipeline: the file says what the grid says
        line = by_id[row["unit_id"]]
        if row["diff"] is not None:
            assert line[diff] == row["diff_text"].split(" ")[0].lstrip("+±").replace("−", "-")
            assert "," in line[diff] and "." not in line[diff]
        if row["class_no"] is not None:
            assert row["class_label"].startswith(line[klass] + ":")
    region = body[0]
    assert region[0] == "" and region[1] == "Testkreis (Region)"  # never the internal id
    assert region[diff] == "" and region[4] == ""


def test_dlw002_grid_filter_and_sort_decide_the_rows(app_data):
    query = "?indicator=SGB2&year=2021"
    compact, *_ = update_table(app_data, _state(app_data, query))
    rows = grid_rows(app_data, compact)
    shown = [rows[3], rows[0], {"unit_id": "NOPE", "value": 123456.0}, {"value": 1.0}]
    table = _csv(app_data, query, shown)
    areas = [r[0] for r in table[1:] if r[0] and r[0] not in ("M1", "M2")]
    assert areas == [rows[3]["unit_id"], rows[0]["unit_id"]]
    assert "123456" not in json.dumps(table)  # values from the browser never reach the file
    assert len(_csv(app_data, query, [])) == 2  # everything filtered away: header + region


def test_dlw003_xlsx_keeps_numbers_as_numbers(app_data):
    result = download_file(app_data, ids.DOWNLOAD_XLSX, _state(app_data, "?indicator=SGB2&year=2021"), None)
    assert result["filename"] == "SGB-II-Quote_2021_Tabelle.xlsx"
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
    assert data["filename"] == "SGB-II-Quote_2021_Tabelle.csv" and "\nB1;" in text.replace("\r", "") and "A1;" not in text


def test_dlw006_xlsx_download_is_formatted_and_names_what_it_holds(app_data):
    query = "?indicator=SGB2&year=2022&municipality=M1"
    result = download_file(app_data, ids.DOWNLOAD_XLSX, _state(app_data, query), None)
    data = _file(result)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Tabelle", "Metadaten"]
    sheet = book["Tabelle"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    value = [sheet.cell(r, header.index("Wert (%)") + 1) for r in range(2, sheet.max_row + 1)]
    assert {c.number_format for c in value if isinstance(c.value, float)} == {"#,##0.0"}  # SGB2: 1 decimal
    assert [c.value for c in value if isinstance(c.value, str)] == [app_data.published.symbol] * 2  # A1, A3
    assert sheet.column_dimensions["B"].width > 8.43
    meta = dict(list(book["Metadaten"].iter_rows(values_only=True))[1:])
    assert meta["Indikator"] == "SGB-II-Quote (SGB2)" and meta["Jahr"] == "2022" and meta["Einheit"] == "%"
    assert meta["Quelle"] == "BA" and meta["Abgerufen am"] == date.today().strftime("%d.%m.%Y")
    assert meta["Auswahl"] == "3 von 6 Sozialräumen (gefiltert)"
    assert "die ersten 2 Zeilen zeigen Region und die Kommune" in meta["Gebiet"]
    assert meta["Zeichen"].startswith(f"„{app_data.published.symbol}“ = aus Datenschutzgründen")
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        assert not any(b"__region__" in parts.read(n) for n in parts.namelist())


def test_dlw007_csv_download_starts_with_the_metadata_lines(app_data):
    result = download_file(app_data, ids.DOWNLOAD_CSV, _state(app_data, "?indicator=WFL&year=2021"), None)
    data = _file(result)
    assert data.startswith("\ufeffTabelle;Rangtabelle Wohnfläche je Einwohner (m²) 2021\r\n".encode())
    meta, table = split_csv_de(data)
    assert meta["Einheit"] == "m²" and meta["Rang"].startswith("Rang 1 = niedrigster Wert")
    assert "Datenschutz" in meta and "Abgerufen am" in meta
    assert table[0][:4] == ["ID", "Name", "Kommune", "Wert (m²)"] and "__region__" not in data.decode("utf-8-sig")


def _props(page) -> dict:
    return {getattr(c, "id", None): c for c in page._traverse() if getattr(c, "id", None)}


def test_dlw009_page_is_built_for_the_urls_view_with_no_initial_callback(app_data):
    query = "?indicator=WFL&year=2022&areas=B1&compare=year&compare_year=2021"
    page = _props(layout(app_data, ViewState.from_query(query, app_data.choices), query))
    assert page[ids.URL].search == query
    assert page[ids.VIEW_STATE].data["indicator"] == "WFL" and page[ids.COMPARE_LOADED].data is True
    assert len(page[ids.MAP_LAYER].data["features"]) == 6 and page[ids.MAP_LAYER].hideout["selected"] == ["B1"]
    assert len(page[ids.MAP_COMPARE_LAYER].data["features"]) == 6  # compare mode: both maps carry geometry
    assert page[ids.MAP_TITLE].children.endswith("2022") and page[ids.MAP_COMPARE_TITLE].children.endswith("2021")
    # Table and series are mounted by the browser after the map (assets/deferred.js), from the page's data.
    assert ids.RANKING_TABLE not in page and ids.TIMESERIES not in page
    mounted = deferred_page(app_data, layout(app_data, ViewState.from_query(query, app_data.choices), query))
    assert any(r["unit_id"] == "B1" and r["selected"] for r in mounted["grid"]["rowData"])
    assert mounted["grid"]["dashGridOptions"]["pinnedTopRowData"][0]["unit_id"] == "__region__"
    assert mounted["grid"]["id"] == ids.RANKING_TABLE and mounted["figure"]["data"][0]["name"] == "Dorf"
    assert page[ids.THEME_SELECT].value == "Wohnen"


def test_dlw010_layout_follows_the_page_url_and_stays_small_in_the_index():
    app = create_app(published=publish(make_tiny_bundle()))
    client = app.server.test_client()
    layout_json = client.get("/_dash-layout", headers={"Referer": "http://h/?indicator=WFL&year=2021"}).get_json()
    assert '"indicator": "WFL"' in json.dumps(layout_json) and '"year": 2021' in json.dumps(layout_json)
    index = client.get("/").data.decode()
    assert "geojson" not in index  # the validation layout carries no data
    for spec in app._callback_list:
        if "clientside_function" not in spec:  # browser-only callbacks cost no round trip
            assert spec["prevent_initial_call"], spec["output"]  # the first paint needs no round trip
    with app.server.test_request_context("/?indicator=EW"):
        assert page_location() == ("/", "?indicator=EW")
    assert page_location() == ("/", "")
    skeleton = _props(validation_skeleton(prepare(publish(make_tiny_bundle()))))
    assert skeleton[ids.RANKING_TABLE].rowData == [] and skeleton[ids.MAP_LAYER].data is None


def test_dlw011_page_without_compare_sends_the_geometry_once(app_data):
    page = _props(layout(app_data, ViewState.from_query("", app_data.choices), ""))
    assert len(page[ids.MAP_LAYER].data["features"]) == 6
    assert page[ids.MAP_COMPARE_LAYER].data["features"] == []


def test_dlw012_unknown_paths_get_a_german_404_and_links_report_unknown_indicators():
    app = create_app(published=publish(make_tiny_bundle()))
    client = app.server.test_client()
    page = json.dumps(client.get("/_dash-layout", headers={"Referer": "http://h/gibt-es-nicht"}).get_json(), ensure_ascii=False)
    assert "Seite nicht gefunden" in page and "Zurück zum Atlas" in page
    page = json.dumps(client.get("/_dash-layout", headers={"Referer": "http://h/?indicator=XYZ"}).get_json(), ensure_ascii=False)
    assert "XYZ" in page and "gibt es in diesem Datenpaket nicht" in page
    page = client.get("/_dash-layout", headers={"Referer": "http://[bad"})
    assert page.status_code == 200
