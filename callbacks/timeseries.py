"""Time series of the selected areas, their municipalities and the region."""

from __future__ import annotations

from dash import Input, Output, dash

from callbacks import AppData
from dashboard.state import ViewState
from dashboard.views import caption_text, indicator_info, series_view
from layouts import ids
from layouts.figures import series_figure


def update_series(data: AppData, state_data: dict) -> tuple:
    state = ViewState.from_dict(state_data, data.choices)
    published = data.for_indicator(state.indicator)
    lines, note = series_view(published, state)
    info = indicator_info(published, state.indicator)
    title = f"{info['name']} – Zeitreihe"
    figure = series_figure(lines, title, caption_text(published, state.indicator, info), info["unit"], state.year)
    if not state.areas:
        note = (note + " " if note else "") + "Sozialräume in Karte oder Tabelle anklicken, um sie zu vergleichen."
    return figure, note


def register(app: dash.Dash, data: AppData) -> None:
    @app.callback(Output(ids.TIMESERIES, "figure"), Output(ids.SERIES_NOTE, "children"),
                  Input(ids.VIEW_STATE, "data"))
    def series(state_data: dict) -> tuple:
        return update_series(data, state_data)
