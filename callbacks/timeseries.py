"""Time series of the selected areas, their municipalities and the region."""

from __future__ import annotations

from dash import Input, Output, dash

from callbacks.guard import as_dict
from dashboard.charts.series_chart import series_for, series_title
from dashboard.prepared import Prepared
from dashboard.state import ViewState
from layouts import ids


def update_series(data: Prepared, state_data: dict) -> tuple:
    state = ViewState.from_dict(state_data, data.choices)
    shown = data.for_indicator(state.indicator)
    figure, note = series_for(shown, state)
    return figure, note, series_title(shown, state)


def register(app: dash.Dash, data: Prepared) -> None:
    @app.callback(Output(ids.TIMESERIES, "figure"), Output(ids.SERIES_NOTE, "children"),
                  Output(ids.TIMESERIES_TITLE, "children"),
                  Input(ids.VIEW_STATE, "data"), prevent_initial_call=True)
    def series(state_data: dict) -> tuple:
        return update_series(data, as_dict(state_data))
