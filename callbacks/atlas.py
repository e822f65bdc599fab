"""The atlas page's callbacks: one router for the view state, then map, table, series, browser-only actions."""

from __future__ import annotations

import dash

from dashboard.prepared import Prepared


def register(app: dash.Dash, prepared: Prepared) -> None:
    from callbacks import clientside, maps, ranking, state, timeseries

    state.register(app, prepared)
    maps.register(app, prepared)
    ranking.register(app, prepared)
    timeseries.register(app, prepared)
    clientside.register(app)
