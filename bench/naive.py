"""The naive app the benchmarks compare against: ``px.choropleth_map`` with the GeoJSON rebuilt per change.

Same controls as the atlas (indicator, year, classification method, selected area); every change
sends the whole figure, GeoJSON included. Values come from the same published data (``Prepared``);
the GeoJSON is the bundle's own ``areas.geojson`` as a naive app would pass it to plotly (the
issue's definition), not the real app's simplified, rounded display geometry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dash
import numpy as np
import pandas as pd
import plotly.express as px
from dash import Input, Output, dcc, html

from dashboard.prepared import Prepared

PALETTE = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"]


def bundle_geojson(folder: str | Path) -> dict:
    """The bundle's GeoJSON file as it is (ids in ``properties.area_id``)."""
    return json.loads((Path(folder) / "areas.geojson").read_text(encoding="utf-8"))


def naive_figure(prepared: Prepared, indicator: str, year: int, method: str, area: str | None,
                 geojson: dict) -> Any:
    matrix = prepared.matrix(indicator)
    ids = list(prepared.geometry.area_ids)
    col = matrix.column(year) if matrix is not None else -1
    values = matrix.values[:, col] if matrix is not None and col >= 0 else np.full(len(ids), np.nan)
    df = pd.DataFrame({"area_id": ids, "name": prepared.area_names, "value": values})
    fig = px.choropleth_map(df, geojson=geojson, locations="area_id", featureidkey="properties.area_id",
                            color="value", hover_name="name", color_continuous_scale=PALETTE,
                            map_style="white-bg", zoom=9, opacity=0.9,
                            center={"lat": (prepared.geometry.bounds[1] + prepared.geometry.bounds[3]) / 2,
                                    "lon": (prepared.geometry.bounds[0] + prepared.geometry.bounds[2]) / 2})
    fig.update_traces(marker_line_width=[3 if a == area else 0.5 for a in ids])
    fig.update_layout(meta=f"{indicator}|{year}|{method}", margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=640)
    return fig


def naive_app(prepared: Prepared, folder: str | Path, name: str = "naive") -> dash.Dash:
    choices = prepared.choices
    geojson = bundle_geojson(folder)
    app = dash.Dash(name, serve_locally=True, compress=True, update_title=None, assets_folder="/nonexistent")
    first = choices.default_indicator
    app.layout = html.Div([
        dcc.Dropdown(id="indicator-select", options=[{"label": prepared.catalogue[i].name, "value": i}
                                                      for i in choices.indicators], value=first, clearable=False),
        dcc.Dropdown(id="year-select", options=list(choices.years), value=choices.default_year, clearable=False),
        dcc.Dropdown(id="class-method-select", options=["quantile", "jenks", "equal"], value="quantile"),
        dcc.Store(id="selected"),
        html.Div(dcc.Graph(id="graph", figure=naive_figure(prepared, first, choices.default_year, "quantile", None, geojson),
                           config={"displayModeBar": False}), id="map"),
    ])

    @app.callback(Output("graph", "figure"), Input("indicator-select", "value"), Input("year-select", "value"),
                  Input("class-method-select", "value"), Input("graph", "clickData"), prevent_initial_call=True)
    def update(indicator: str, year: int, method: str, click: dict | None) -> Any:
        area = (click or {}).get("points", [{}])[0].get("location") if isinstance(click, dict) else None
        return naive_figure(prepared, indicator, int(year), str(method), area, geojson)

    return app
