"""The atlas callbacks, the export route and the batch export with an index of the theme "Indizes"
(the domain does the work; the callbacks are called directly with plain inputs)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from dash import html

from app import create_app
from callbacks.maps import update_maps
from callbacks.ranking import update_table
from callbacks.state import INPUTS, next_state, outputs_for
from callbacks.timeseries import update_series
from dashboard.charts.series_chart import expand_series
from dashboard.exports.batch import run_batch
from dashboard.indices.atlas import INDEX_THEME
from dashboard.page_texts import indicator_texts
from dashboard.state import ViewState
from layouts.atlas import info_panel, layout
from tests.app.grid import deferred_page
from tests.unit.test_atlas_indices import DYNAMICS_ID, LABELS, STATUS_ID, _prepared


@pytest.fixture(scope="module")
def data():
    return _prepared()


def _values(**overrides):
    values = {f"{c}.{p}": None for c, p in INPUTS}
    values.update(overrides)
    return values


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


def test_theme_indizes_lists_the_indices_and_opens_the_first(data):
    current = ViewState.from_query("?indicator=B&year=2022&areas=A01", data.choices).to_dict()
    state = next_state(data, "theme-select.value", _values(**{"theme-select.value": INDEX_THEME}), current)
    assert state.indicator == STATUS_ID and state.year == 2022 and state.areas == ("A01",)
    out = outputs_for(data, state, ViewState.from_dict(current, data.choices), "?indicator=B", from_url=False)
    assert out[1] == "?indicator=index:status&year=2022&areas=A01"
    assert out[2] == INDEX_THEME and [o["value"] for o in out[3]] == [STATUS_ID, DYNAMICS_ID]
    # the dynamics index exists in 2023 only: the year follows
    moved = next_state(data, "indicator-select.value", _values(**{"indicator-select.value": DYNAMICS_ID}),
                       state.to_dict())
    assert moved.indicator == DYNAMICS_ID and moved.year == 2023


def test_map_table_series_and_info_callbacks_show_the_index(data):
    state = ViewState.from_query(f"?indicator={STATUS_ID}&year=2023&areas=A01", data.choices).to_dict()
    maps = update_maps(data, state)
    legend = maps[0]["legend"]
    assert legend["t"] == "Status: Klasse (Wertebereich)"
    assert [e[0].split(" (")[0] for e in legend["e"][:4]] == list(LABELS) and legend["e"][-1][3] == "dots"
    assert maps[2] == "Status 2023" and "Klassifikation" in maps[4]
    (rows,) = update_table(data, state)
    texts = indicator_texts(data)[STATUS_ID]  # the page's indicator texts (assets/texts.js)
    assert texts["t"] == "Status" and texts["hd"] and rows["L"] == list(LABELS) and "h" in rows["k"]
    nodes = list(_walk(html.Div(info_panel(data.catalogue[STATUS_ID].info()))))
    terms = [n.children for n in nodes if isinstance(n, html.Dt)]
    assert {"Indikatoren des Index", "Methode", "Klassen"} <= set(terms)
    assert [n.href for n in nodes if isinstance(n, html.A)] == ["/indizes"]
    compact, note = update_series(data, state)
    series_title = texts["st"]
    figure = expand_series(compact)  # as assets/series.js draws it
    assert [t["name"] for t in figure["data"]] == ["Gebiet 1"] and "Kommune oder Region" in note
    assert series_title.startswith("Status – Zeitreihe")


def test_atlas_page_for_an_index_link_paints_the_index(data):
    create_app(published=data.published)  # the page's export links need an app's path prefix
    page = layout(data, ViewState.from_query(f"?indicator={STATUS_ID}&year=2023", data.choices),
                  f"?indicator={STATUS_ID}&year=2023")
    nodes = list(_walk(page))
    grid = deferred_page(data, page)["grid"]  # mounted by the browser after the map (assets/deferred.js)
    diff = next(c for c in grid["columnDefs"] if c["field"] == "diff")
    assert diff["hide"] is True  # no "Differenz zur Region" for an index
    assert grid["dashGridOptions"]["pinnedTopRowData"] == [] and grid["rowData"]
    assert any(isinstance(n, html.A) and n.href == "/indizes" for n in nodes)


def test_export_route_and_batch_export_an_index(data, tmp_path):
    client = create_app(published=data.published).server.test_client()
    response = client.get(f"/export/table.xlsx?indicator={STATUS_ID}&year=2023")
    assert response.status_code == 200, response.data[:200]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    meta = {r[0]: r[1] for r in book["Metadaten"].iter_rows(values_only=True) if r and r[0]}
    assert meta["Indikator"] == f"Status ({STATUS_ID})" and "Methode" in meta
    result = run_batch(data, [STATUS_ID, DYNAMICS_ID], 2023, "xlsx", tmp_path)
    assert sorted(p.name for p in result.written) == ["Dynamik_2023_Tabelle.xlsx", "Status_2023_Tabelle.xlsx"]
    assert not result.failed


def test_presentation_steps_through_the_indices(data):
    from callbacks.presentation import present
    from layouts import ids
    from layouts.pages import build_page

    create_app(published=data.published)
    page = build_page(data, "/praesentation", f"?indicator={STATUS_ID}&year=2023")
    titles = [n.children for n in _walk(page) if getattr(n, "id", None) == ids.PRES_TITLE]
    assert titles == ["Status 2023"]
    out = present(data, ids.PRES_NEXT_INDICATOR, {"indicator": STATUS_ID, "year": 2023}, "")
    state, hideout, legend, title_text, *_rest = out
    assert state["indicator"] == DYNAMICS_ID and title_text == "Dynamik 2023"
    texts = " ".join(str(n.children) for n in _walk(html.Div(legend)) if isinstance(getattr(n, "children", None), str))
    assert hideout["codes"] and all(f"{label} (" in texts for label in ("positiv", "stabil", "negativ"))
