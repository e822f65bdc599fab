"""Map callbacks: a Patch with values, classes and colours; the GeoJSON is never sent again."""

from __future__ import annotations

from dash import Input, Output, State, dash, no_update

from callbacks import AppData
from dashboard.state import ViewState
from dashboard.views import hidden_note, map_view
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
    selection = ""
    if state.areas:
        selection = f"{len(state.areas)} Sozialr{'aum' if len(state.areas) == 1 else 'äume'} ausgewählt"
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
    )
    def maps(state_data: dict, compare_loaded: bool) -> tuple:
        return update_maps(data, state_data, compare_loaded)
