"""The atlas page's callbacks: one router for the view state and what it shows, downloads, browser-only actions."""

from __future__ import annotations

import dash

from dashboard.prepared import Prepared


def register(app: dash.Dash, prepared: Prepared) -> None:
    from callbacks import clientside, ranking, state

    state.register(app, prepared)  # the router also sets maps, table and series (one round trip)
    ranking.register(app, prepared)  # the table downloads
    clientside.register(app)
