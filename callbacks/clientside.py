"""Browser-only actions: copy the link, save images, fit and sync the maps, phone table columns."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dash

from layouts import ids


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        ClientsideFunction("sozialraum", "copyLink"),
        Output(ids.COPY_LINK_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
    # Fit both maps to the region or the municipality filter: on a filter change, on "ganze
    # Region", and when the compare map appears (it was laid out hidden, at size zero).
    app.clientside_callback(
        ClientsideFunction("sozialraum", "fitMaps"),
        Output(ids.MAP, "viewport"),
        Output(ids.MAP_COMPARE, "viewport"),
        Output(ids.MAP_COMPARE, "invalidateSize"),
        Input(ids.VIEW_STATE, "data"),
        Input(ids.MAP_RESET, "n_clicks"),
        Input(ids.MAP_COMPARE_RESET, "n_clicks"),
        State(ids.MAP_BOUNDS, "data"),
    )
    # Pan/zoom one compare map and the other follows (no server round trip).
    app.clientside_callback(
        ClientsideFunction("sozialraum", "syncMaps"),
        Output(ids.MAP, "viewport", allow_duplicate=True),
        Output(ids.MAP_COMPARE, "viewport", allow_duplicate=True),
        Input(ids.MAP, "center"),
        Input(ids.MAP, "zoom"),
        Input(ids.MAP_COMPARE, "center"),
        Input(ids.MAP_COMPARE, "zoom"),
        State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    # A new map style recolours the existing shapes in place (assets/map.js).
    for store, layer in ((ids.MAP_STYLE, ids.MAP_LAYER), (ids.MAP_COMPARE_STYLE, ids.MAP_COMPARE_LAYER)):
        app.clientside_callback(
            f"function (style) {{ if (style) {{ window.sozialraum.map.restyle({layer!r}, style); }}"
            " return window.dash_clientside.no_update; }",
            Output(ids.MAP_RESTYLED, "children", allow_duplicate=True),
            Input(store, "data"),
            prevent_initial_call=True,
        )
    # A newly selected area is scrolled into view in the table.
    app.clientside_callback(
        ClientsideFunction("sozialraum", "showSelection"),
        Output(ids.MAP_RESTYLED, "title", allow_duplicate=True),
        Input(ids.VIEW_STATE, "data"),
        State(ids.RANKING_TABLE, "id"),
        prevent_initial_call=True,
    )
    # The legend of a new style, built from its data (assets/map.js).
    for store, legend_id in ((ids.MAP_STYLE, ids.MAP_LEGEND), (ids.MAP_COMPARE_STYLE, ids.MAP_COMPARE_LEGEND)):
        app.clientside_callback(
            "function (style) { return window.sozialraum.map.legend(style); }",
            Output(legend_id, "children", allow_duplicate=True),
            Input(store, "data"),
            prevent_initial_call=True,
        )
    # A switch's table arrives as compact arrays; the browser builds the rows (assets/ranking.js).
    app.clientside_callback(
        "function (compact, shapes) { return window.sozialraum.table.rows(compact, shapes); }",
        Output(ids.RANKING_TABLE, "rowData"),
        Input(ids.RANKING_DATA, "data"),
        State(ids.MAP_LAYER, "data"),
        prevent_initial_call=True,
    )
    # On a phone the table shows name and value only (no sideways scrolling).
    app.clientside_callback(
        ClientsideFunction("sozialraum", "fitGridColumns"),
        Output(ids.RANKING_TABLE, "className"),
        Input(ids.RANKING_TABLE, "id"),
    )
