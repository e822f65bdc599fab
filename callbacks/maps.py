"""What the maps show for a view state: a new style (codes, colours, values, selection), legend, titles.

The router (callbacks/state.py) sends these in the same response as the new state, so a switch is
one round trip. The style goes to a store that assets/map.js applies to the existing shapes (no rebuild).

The GeoJSON never travels again after the page load. Fitting the view (filter, "ganze Region",
opening the compare map) and keeping the two compare maps in step happen in the browser
(assets/clientside.js); image files come from the server (callbacks/exports.py).
"""

from __future__ import annotations

from dash import Output, State, no_update

from dashboard.mapview import map_views
from dashboard.prepared import Prepared
from dashboard.state import ViewState
from dashboard.texts import hidden_note
from layouts import ids
from layouts.atlas_map import hideout, legend_data
from layouts.profile import selection_links


def update_maps(data: Prepared, state_data: dict) -> tuple:
    """Everything the two maps show for a state; the compare column is shown only in compare mode."""
    state = ViewState.from_dict(state_data, data.choices)
    first, second = map_views(data.published, data.geometry.area_ids, state, data.area_km2, dict(data.matrices))
    other = second or first
    symbol = data.published.symbol
    # The legends travel as data inside the styles; the browser builds their rows (assets/map.js).
    return (
        {**hideout(first, symbol, rank_in_browser=True), "legend": legend_data(first)}, no_update, first.title, first.subtitle, first.note,
        {**hideout(other, symbol, rank_in_browser=True), "legend": legend_data(other)} if second else no_update, no_update,
        other.title if second else no_update, other.subtitle if second else no_update,
        other.note if second else no_update,
        {"display": "block"} if second else {"display": "none"},
        6 if second else 12,
        hidden_note(first.hidden_count),
        selection_links(data, state.areas, state.year),
    )


def compare_geometry(data: Prepared, state_data: dict, loaded: bool) -> tuple:
    """The compare map's GeoJSON, sent once when compare mode is first opened."""
    state = ViewState.from_dict(state_data if isinstance(state_data, dict) else {}, data.choices)
    if loaded or not state.compare:
        return no_update, no_update, no_update
    return data.geometry.geojson, data.geometry.border_geojson, True


#: What the router (callbacks/state.py) sets from ``update_maps`` on every new view state.
OUTPUTS = [
    Output(ids.MAP_STYLE, "data"),
    Output(ids.MAP_LEGEND, "children"),
    Output(ids.MAP_TITLE, "children"),
    Output(ids.MAP_SUBTITLE, "children"),
    Output(ids.MAP_NOTE, "children"),
    Output(ids.MAP_COMPARE_STYLE, "data"),
    Output(ids.MAP_COMPARE_LEGEND, "children"),
    Output(ids.MAP_COMPARE_TITLE, "children"),
    Output(ids.MAP_COMPARE_SUBTITLE, "children"),
    Output(ids.MAP_COMPARE_NOTE, "children"),
    Output(ids.MAP_COMPARE_COL, "style"),
    Output(ids.MAP_COL, "lg"),
    Output(ids.HIDDEN_NOTE, "children"),
    Output(ids.SELECTION_NOTE, "children"),
]

#: ... and from ``compare_geometry`` (with ``COMPARE_STATE`` as its state).
COMPARE_OUTPUTS = [
    Output(ids.MAP_COMPARE_LAYER, "data"),
    Output(ids.MAP_COMPARE_BORDERS, "data"),
    Output(ids.COMPARE_LOADED, "data"),
]
COMPARE_STATE = State(ids.COMPARE_LOADED, "data")
