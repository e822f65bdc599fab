"""The dash-leaflet choropleth in a real browser: hideout-driven colours, patterns, tooltips, offline."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PALETTE = ["#fef0d9", "#fc8d59", "#b30000"]
EVIL = '<img src=x onerror="window.__pwned=1">'


def _square(i: int, area_id: str, name: str) -> dict:
    x = 6.0 + 0.01 * i
    ring = [[x, 50.0], [x + 0.01, 50.0], [x + 0.01, 50.01], [x, 50.01], [x, 50.0]]
    return {"type": "Feature", "properties": {"area_id": area_id, "area_name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


GEOJSON = {"type": "FeatureCollection", "features": [
    _square(0, "a", "Altstadt"), _square(1, "b", EVIL), _square(2, "c", "Cleeberg"),
    _square(3, "d", "Dorf"), _square(4, "e", "Eck"),
]}
FIRST = {"palette": PALETTE, "classes": [0, 2, 1, None, 1], "values": [12.34, 56.7, 30.0, None, None],
         "format": {"decimals": 1, "unit": "%"}, "hidden": ["e"], "nodata": ["d"], "selected": ["c"]}
SECOND = {"palette": PALETTE, "classes": [2, 0, 0, 1, None], "values": [1.0, 2.0, 3.0, 4.0, None],
          "format": {"decimals": 1, "unit": "%"}, "hidden": ["e"], "only": ["a", "b", "c", "d", "e"]}
THIRD = {**SECOND, "only": ["a", "b"]}
INPLACE = {"palette": PALETTE, "classes": [1, 1, 2, 0, None], "values": [7.25, 8.0, 9.0, 10.0, None],
           "format": {"decimals": 2, "unit": "%"}, "hidden": ["e"], "selected": ["a"]}


@pytest.fixture(scope="module")
def leaflet_url() -> Iterator[str]:
    pytest.importorskip("dash_leaflet")
    import dash
    from dash import ClientsideFunction, Input, Output, State, dcc, html
    from werkzeug.serving import make_server

    from layouts.leaflet_map import bounds_of, choropleth_map

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = dash.Dash(__name__, assets_folder=str(ROOT / "assets"), assets_path_ignore=["vendor"],
                    assets_ignore=r"^(?!leaflet_choropleth\.js$)", serve_locally=True)
    app.layout = html.Div([
        html.Button("B", id="to-second"), html.Button("C", id="to-third"), html.Button("I", id="in-place"),
        dcc.Store(id="style-store"), html.Div(id="sink"),
        html.Div(choropleth_map("m", GEOJSON, FIRST, bounds_of(GEOJSON), height="400px"),
                 style={"width": "600px", "height": "400px"}),
    ])

    @app.callback(Output("m-areas", "hideout"), Input("to-second", "n_clicks"), Input("to-third", "n_clicks"),
                  prevent_initial_call=True)
    def _switch(_b: int | None, _c: int | None) -> dict:
        return THIRD if dash.ctx.triggered_id == "to-third" else SECOND

    @app.callback(Output("style-store", "data"), Input("in-place", "n_clicks"), prevent_initial_call=True)
    def _in_place(_n: int | None) -> dict:
        return INPLACE

    app.clientside_callback(ClientsideFunction("sozialraum_map", "restyle"), Output("sink", "title"),
                            Input("style-store", "data"), State("m-areas", "id"), prevent_initial_call=True)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


def _paths(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('.leaflet-overlay-pane path')].map(p => ({
        fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),
        width: p.getAttribute('stroke-width'), dash: p.getAttribute('stroke-dasharray')}))""")


def test_colours_patterns_and_selection_from_hideout(watch, leaflet_url: str) -> None:
    page = watch.page
    page.goto(leaflet_url)
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 5")
    paths = _paths(page)
    # Hidden and missing values are patterns, not a colour (distinguishable without colour).
    assert [p["fill"] for p in paths] == [PALETTE[0], PALETTE[2], PALETTE[1], "url(#sozialraum-dots)",
                                          "url(#sozialraum-hatch)"]
    by_fill = {p["fill"]: p for p in paths}
    assert by_fill["url(#sozialraum-dots)"]["dash"]
    assert page.locator("pattern#sozialraum-hatch").count() == 1
    assert page.locator("pattern#sozialraum-dots").count() == 1
    # The selected area keeps its colour and gets a thick dark outline.
    selected = by_fill[PALETTE[1]]
    assert selected["stroke"] == "#111111" and float(selected["width"]) == 3
    assert float(by_fill[PALETTE[0]]["width"]) < 3
    assert watch.errors == []
    assert watch.hosts == {"127.0.0.1"}


def test_tooltips_are_escaped_and_formatted_in_german(watch, leaflet_url: str) -> None:
    page = watch.page
    page.goto(leaflet_url)
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 5")
    texts = page.evaluate("""(h) => [0, 3, 4].map(i => window.sozialraum.map.label(
        {properties: {area_id: 'abcde'[i], area_name: 'X', i: i}}, h))""", FIRST)
    assert texts == ["X\n12,3\u00a0%", "X\nkeine Daten", "X\naus Datenschutzgründen nicht ausgewiesen"]
    # A hostile area name is shown as text: the tooltip never creates elements from it.
    page.hover(".leaflet-overlay-pane path >> nth=1", force=True)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "<img" in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_a_new_hideout_repaints_and_filters(watch, leaflet_url: str) -> None:
    page = watch.page
    page.goto(leaflet_url)
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 5")
    page.click("#to-second")
    page.wait_for_function(f"document.querySelector('.leaflet-overlay-pane path').getAttribute('fill') === '{PALETTE[2]}'")
    fills = [p["fill"] for p in _paths(page)]
    assert fills == [PALETTE[2], PALETTE[0], PALETTE[0], PALETTE[1], "url(#sozialraum-hatch)"]
    assert all(float(p["width"]) < 3 for p in _paths(page))  # selection cleared
    page.click("#to-third")
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 2")
    assert watch.errors == []


def test_in_place_restyle_keeps_the_layers_and_survives_hover(watch, leaflet_url: str) -> None:
    page = watch.page
    page.goto(leaflet_url)
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 5")
    page.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').forEach(p => p.dataset.old = '1')")
    page.click("#in-place")
    page.wait_for_function(f"document.querySelector('.leaflet-overlay-pane path').getAttribute('fill') === '{PALETTE[1]}'")
    fills = sorted(p["fill"] for p in _paths(page))
    assert fills == sorted([PALETTE[1], PALETTE[1], PALETTE[2], PALETTE[0], "url(#sozialraum-hatch)"])
    # The same SVG elements were restyled (no rebuild), and the selection moved to area a.
    assert page.locator(".leaflet-overlay-pane path[data-old='1']").count() == 5
    selected = [p for p in _paths(page) if p["stroke"] == "#111111"]
    assert len(selected) == 1 and selected[0]["fill"] == PALETTE[1]
    # Hover and mouseout (Leaflet's resetStyle) keep the new colours, the tooltip the new value.
    d = page.locator(f".leaflet-overlay-pane path[fill='{PALETTE[0]}']")  # area d (selected a moved to the end)
    assert d.count() == 1
    d.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == "Dorf\n10,00\u00a0%"
    page.mouse.move(1, 1)
    page.wait_for_timeout(200)
    assert d.count() == 1 and float(d.get_attribute("stroke-width")) < 2.5
    assert watch.errors == []
