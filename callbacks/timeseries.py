"""Time series of the selected areas, their municipalities and the region."""

from __future__ import annotations

from dash import Input, Output, dash

from callbacks import AppData
from callbacks.guard import as_dict
from dashboard.state import ViewState
from layouts import ids
from layouts.figures import series_for


def update_series(data: AppData, state_data: dict) -> tuple:
    state = ViewState.from_dict(state_data, data.choices)
    return series_for(data.for_indicator(state.indicator), state)


def register(app: dash.Dash, data: AppData) -> None:
    @app.callback(Output(ids.TIMESERIES, "figure"), Output(ids.SERIES_NOTE, "children"),
                  Input(ids.VIEW_STATE, "data"), prevent_initial_call=True)
    def series(state_data: dict) -> tuple:
        return update_series(data, as_dict(state_data))
