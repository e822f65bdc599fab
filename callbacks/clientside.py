"""Browser-only actions: copy the view's link, download a chart as SVG (no server round trip)."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dash

from layouts import ids

#: SVG button -> the graph it exports (see assets/clientside.js).
SVG_BUTTONS = {ids.MAP_SVG: ids.MAP, ids.MAP_COMPARE_SVG: ids.MAP_COMPARE, ids.TIMESERIES_SVG: ids.TIMESERIES}


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        ClientsideFunction("sozialraum", "copyLink"),
        Output(ids.COPY_LINK_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
    for button, graph in SVG_BUTTONS.items():
        app.clientside_callback(
            ClientsideFunction("sozialraum", "downloadSvg"),
            Output(ids.SVG_STATUS, "children", allow_duplicate=True),
            Input(button, "n_clicks"),
            State(graph, "id"),
            prevent_initial_call=True,
        )
