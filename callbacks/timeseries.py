"""Time series of the selected areas, their municipalities and the region (set by the router)."""

from __future__ import annotations

from dash import Output

from dashboard.charts.series_chart import compact_series
from dashboard.prepared import Prepared
from dashboard.state import ViewState
from layouts import ids


def update_series(data: Prepared, state_data: dict) -> tuple:
    """The series as compact data (assets/series.js draws the figure) and its note (the title
    comes from the page's indicator texts)."""
    state = ViewState.from_dict(state_data, data.choices)
    shown = data.for_indicator(state.indicator)
    compact, note = compact_series(shown, state)
    return compact, note


#: What the router (callbacks/state.py) sets from ``update_series``.
OUTPUTS = [Output(ids.SERIES_DATA, "data"), Output(ids.SERIES_NOTE, "children")]
