"""Map callbacks: a Patch with values, classes and colours; the GeoJSON is never sent again."""

from __future__ import annotations

import math

import dash
from dash import Input, Output, Patch, State, no_update

from callbacks import AppData
from callbacks.guard import as_bool, as_dict, as_scalar_text
from dashboard.state import ViewState
from dashboard.views import hidden_note, map_view, selection_note
from layouts import ids
from layouts.figures import map_figure, map_patch


def update_maps(data: AppData, state_data: dict, compare_loaded: bool) -> tuple:
    """Patch the main map; build the compare map once when compare mode is first opened."""
    state = ViewState.from_dict(state_data, data.choices)
    main = map_view(data.for_indicator(state.indicator), data.geometry.area_ids, state,
                    matrix=data.matrix(state.indicator))
    notes = [main.note]
    compare_figure: object = no_update
    loaded: object = no_update
    compare_note = ""
    if state.compare:
        other = state.compare_indicator if state.compare == "indicator" else state.indicator
        second = map_view(data.for_indicator(other), data.geometry.area_ids, state, second=True,
                          matrix=data.matrix(other))
        compare_note = second.note
        if compare_loaded:
            compare_figure = map_patch(data.geometry, second)
        else:
            compare_figure = map_figure(data.geometry, second, list(data.area_names), data.tile_url)
            loaded = True
    hidden = hidden_note(main.hidden_count)
    selection = selection_note(len(state.areas))
    return (
        map_patch(data.geometry, main),
        compare_figure,
        loaded,
        {"display": "block"} if state.compare else {"display": "none"},
        6 if state.compare else 12,
        hidden,
        selection,
        " ".join(n for n in notes if n),
        compare_note,
    )


#: The parts of a map's view that the two compare maps share (plotly's ``map.*`` relayout keys).
VIEW_KEYS = ("center", "zoom", "bearing", "pitch")


def view_edits(relayout: dict | None) -> dict | None:
    """Center, zoom, bearing and pitch from a map's ``relayoutData``; None for any other event
    (autosize, drag mode, a selection box), which must not move the other map."""
    if not isinstance(relayout, dict):
        return None
    edits = {k: relayout[f"map.{k}"] for k in VIEW_KEYS if f"map.{k}" in relayout}
    center = edits.get("center")
    if center is not None and not (isinstance(center, dict) and _finite(center.get("lon"))
                                   and _finite(center.get("lat"))):
        return None  # forged or broken: the other map must not be sent garbage
    if not all(_finite(edits[k]) for k in VIEW_KEYS[1:] if k in edits):
        return None
    return edits if "center" in edits or "zoom" in edits else None


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def view_patch(edits: dict) -> Patch:
    """Move a map to ``edits``: a few numbers, the geometry stays in the browser."""
    patch = Patch()
    for key, value in edits.items():
        patch["layout"]["map"][key] = value
    return patch


def sync_views(trigger: str | None, main_relayout: dict | None, compare_relayout: dict | None,
               compare_loaded: bool) -> tuple:
    """(main figure, compare figure) after a pan or zoom of one map: the other one follows.

    A patched map does not report the move back (plotly emits ``relayout`` only for moves made by
    the user), and the map that moved is never patched, so the two cannot ping-pong. When the
    compare map has just been built it takes over the main map's current view.
    """
    if not compare_loaded:
        return no_update, no_update
    if trigger == ids.MAP_COMPARE:
        edits = view_edits(compare_relayout)
        return (view_patch(edits) if edits else no_update), no_update
    if trigger in (ids.MAP, ids.COMPARE_LOADED):
        edits = view_edits(main_relayout)
        return no_update, (view_patch(edits) if edits else no_update)
    return no_update, no_update


def register(app: dash.Dash, data: AppData) -> None:
    @app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.MAP_COMPARE, "figure"),
        Output(ids.COMPARE_LOADED, "data"),
        Output(ids.MAP_COMPARE_COL, "style"),
        Output(ids.MAP_COL, "lg"),
        Output(ids.HIDDEN_NOTE, "children"),
        Output(ids.SELECTION_NOTE, "children"),
        Output(ids.MAP_NOTE, "children"),
        Output(ids.MAP_COMPARE_NOTE, "children"),
        Input(ids.VIEW_STATE, "data"),
        State(ids.COMPARE_LOADED, "data"),
        prevent_initial_call=True,  # the page is built for the URL's view (layouts.page)
    )
    def maps(state_data: dict, compare_loaded: bool) -> tuple:
        return update_maps(data, as_dict(state_data), as_bool(compare_loaded))

    @app.callback(
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.MAP_COMPARE, "figure", allow_duplicate=True),
        Input(ids.MAP, "relayoutData"),
        Input(ids.MAP_COMPARE, "relayoutData"),
        Input(ids.COMPARE_LOADED, "data"),
        prevent_initial_call=True,
    )
    def share_view(main_relayout: dict | None, compare_relayout: dict | None, compare_loaded: bool) -> tuple:
        return sync_views(as_scalar_text(dash.ctx.triggered_id), as_dict(main_relayout), as_dict(compare_relayout),
                          as_bool(compare_loaded))
