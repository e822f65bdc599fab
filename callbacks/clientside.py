"""Browser-only actions: copy the link, save images, fit and sync the maps, phone table columns."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dash

from dashboard.options import AREA_OPTION_LIMIT
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
    # A count's style comes without its density values (``vd``): the table's numbers per km².
    for store, layer in ((ids.MAP_STYLE, ids.MAP_LAYER), (ids.MAP_COMPARE_STYLE, ids.MAP_COMPARE_LAYER)):
        app.clientside_callback(
            f"function (style, table, km2) {{ if (style) {{ window.sozialraum.map.restyle({layer!r},"
            " window.sozialraum.map.withValues(style, table, km2)); }"
            " return window.dash_clientside.no_update; }",
            Output(ids.MAP_RESTYLED, "children", allow_duplicate=True),
            Input(store, "data"),
            State(ids.RANKING_DATA, "data"),
            State(ids.AREA_KM2, "data"),
            prevent_initial_call=True,
        )
    # The area picker holds the selected areas and the first matches of what the user types
    # (dashboard.options.area_options), searched in the browser over the map's features.
    app.clientside_callback(
        f"function (search, value, features) {{ return window.sozialraum.areaOptions(search, value, features,"
        f" {AREA_OPTION_LIMIT}); }}",
        Output(ids.AREA_SELECT, "options"),  # and the router's, with a new value
        Input(ids.AREA_SELECT, "search_value"),
        State(ids.AREA_SELECT, "value"),
        State(ids.MAP_LAYER, "data"),
        prevent_initial_call=True,
    )
    # A grid click reaches the router through a store that is on the page from the start: the grid
    # is mounted after the map's first paint, and a router input on it would fire the router then,
    # and Dash drops the answer of a click in flight when the same callback fires again.
    app.clientside_callback(
        "function (click) { return click || window.dash_clientside.no_update; }",
        Output(ids.TABLE_CLICK, "data"),
        Input(ids.RANKING_TABLE, "cellClicked"),
        prevent_initial_call=True,
    )
    # A newly selected area is scrolled into view in the table.
    app.clientside_callback(
        ClientsideFunction("sozialraum", "showSelection"),
        Output(ids.MAP_RESTYLED, "title", allow_duplicate=True),
        Input(ids.VIEW_STATE, "data"),
        State(ids.RANKING_TABLE, "id", allow_optional=True),
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
    # Table, series and texts wait for the next frame (``afterPaint``): the recoloured map paints first.
    app.clientside_callback(
        "function (compact, shapes, style, options) {"
        " return window.sozialraum.afterPaint(function () {"
        " return window.sozialraum.table.grid(compact, shapes, style, options); }); }",
        Output(ids.RANKING_TABLE, "rowData"),
        Output(ids.RANKING_TABLE, "dashGridOptions"),
        Input(ids.RANKING_DATA, "data"),
        State(ids.MAP_LAYER, "data"),
        State(ids.MAP_STYLE, "data"),  # set in the same response: the values the table shares with the map
        State(ids.RANKING_TABLE, "dashGridOptions", allow_optional=True),
        prevent_initial_call=True,
    )
    # A switch's series arrives as data; the browser draws the figure (assets/series.js).
    app.clientside_callback(
        "function (compact, current) { return window.sozialraum.afterPaint(function () {"
        " return window.sozialraum.series.figure(compact, current); }); }",
        Output(ids.TIMESERIES, "figure"),
        Input(ids.SERIES_DATA, "data"),
        State(ids.TIMESERIES, "figure", allow_optional=True),
        prevent_initial_call=True,
    )
    # A new indicator's years: every bundle year stays listed, the ones without data cannot be picked.
    app.clientside_callback(
        """function (years, options) {
            if (!years) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
            var built = (options || []).map(function (o) {
                var has = years.indexOf(o.value) >= 0;
                return {label: has ? String(o.value) : o.value + " (keine Daten)", value: o.value, disabled: !has};
            });
            return [built, built];
        }""",
        Output(ids.YEAR_SELECT, "options"),
        Output(ids.COMPARE_YEAR_SELECT, "options"),
        Input(ids.YEAR_DATA, "data"),
        State(ids.YEAR_SELECT, "options"),
        prevent_initial_call=True,
    )
    # The texts that follow the indicator come from the page's table, not from the server (assets/texts.js).
    app.clientside_callback(
        "function (state, texts, columns) { return window.sozialraum.afterPaint(function () {"
        " return window.sozialraum.texts.apply(state, texts, columns); }); }",
        Output(ids.INDICATOR_INFO, "children"),
        Output(ids.TABLE_TITLE, "children"),
        Output(ids.RANKING_TABLE, "columnDefs"),
        Output(ids.TIMESERIES_TITLE, "children"),
        Output(ids.MAP_CAPTION, "children"),
        Input(ids.VIEW_STATE, "data"),
        State(ids.INDICATOR_TEXTS, "data"),
        State(ids.RANKING_TABLE, "columnDefs", allow_optional=True),
        prevent_initial_call=True,
    )
    # The atlas's table and series, mounted after the map's first paint (assets/deferred.js).
    app.clientside_callback(
        ClientsideFunction("sozialraum", "mountDeferred"),
        Output(ids.RANKING_SLOT, "children"),
        Output(ids.SERIES_SLOT, "children"),
        Input(ids.DEFERRED_PARTS, "data"),
        Input(ids.VIEW_STATE, "data"),  # a switch before the mount: its table and series came with it
        State(ids.RANKING_DATA, "data"),
        State(ids.SERIES_DATA, "data"),
        State(ids.MAP_LAYER, "data"),
        State(ids.MAP_LAYER, "hideout"),
        State(ids.MAP_STYLE, "data"),
        State(ids.INDICATOR_TEXTS, "data"),
    )
    # On a phone the table shows name and value only (no sideways scrolling).
    app.clientside_callback(
        ClientsideFunction("sozialraum", "fitGridColumns"),
        Output(ids.RANKING_TABLE, "className"),
        Input(ids.RANKING_TABLE, "id"),
    )
