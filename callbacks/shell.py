"""Callbacks of the page shell: the filter drawer on small screens (browser only)."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output

from layouts import ids


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        ClientsideFunction("sozialraum", "toggleDrawer"),
        Output(ids.FILTER_DRAWER, "className"),
        Input(ids.FILTER_TOGGLE, "n_clicks"),
        Input(ids.FILTER_CLOSE, "n_clicks"),
        Input(ids.FILTER_BACKDROP, "n_clicks"),
        prevent_initial_call=True,
    )
