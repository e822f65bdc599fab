"""Presentation mode callbacks: one step per key or timer tick -> new map colours, legend, titles,
permalink and QR code; play/pause toggles the timer in the browser."""

from __future__ import annotations

import dash
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from callbacks.guard import as_dict, as_str
from dashboard.links import atlas_href
from dashboard.prepared import Prepared
from dashboard.presentation import permalink, qr_svg, step
from dashboard.state import ViewState
from layouts import ids
from layouts.atlas_map import hideout, legend
from layouts.presentation import main_view

#: Which button (or the timer) does what.
ACTION_OF = {ids.PRES_NEXT_INDICATOR: "next-indicator", ids.PRES_PREV_INDICATOR: "previous-indicator",
             ids.PRES_NEXT_YEAR: "next-year", ids.PRES_PREV_YEAR: "previous-year", ids.PRES_TIMER: "play"}


def present(data: Prepared, trigger: str | None, state_data: dict, base: str) -> tuple:
    """Everything the page shows after one step (``trigger`` = the button or the timer)."""
    action = ACTION_OF.get(trigger or "")
    if action is None:
        raise PreventUpdate
    old = ViewState.from_dict(state_data, data.choices)
    state = step(data.published, data.choices, old, action)
    if state == old:
        raise PreventUpdate
    view = main_view(data, state)
    link = permalink(base, state)
    return (state.to_dict(), hideout(view, data.published.symbol), legend(view), view.title, view.subtitle,
            qr_svg(link), link, f"QR-Code: {link}", atlas_href(state.to_query()), view.short_caption,
            state.to_query())


def register(app: dash.Dash, data: Prepared) -> None:
    @app.callback(
        Output(ids.PRES_STATE, "data"),
        Output(ids.PRES_LAYER, "hideout"),
        Output(ids.PRES_LEGEND, "children"),
        Output(ids.PRES_TITLE, "children"),
        Output(ids.PRES_SUBTITLE, "children"),
        Output(ids.PRES_QR, "src"),
        Output(ids.PRES_QR_LINK, "children"),
        Output(ids.PRES_QR, "alt"),
        Output(ids.PRES_EXIT, "href"),
        Output(ids.PRES_CAPTION, "children"),
        Output(ids.PRES_URL, "search"),
        *[Input(i, "n_clicks") for i in (ids.PRES_NEXT_INDICATOR, ids.PRES_PREV_INDICATOR, ids.PRES_NEXT_YEAR,
                                         ids.PRES_PREV_YEAR)],
        Input(ids.PRES_TIMER, "n_intervals"),
        State(ids.PRES_STATE, "data"),
        State(ids.PRES_BASE, "data"),
        prevent_initial_call=True,
    )
    def on_step(*args: object) -> tuple:
        trigger = dash.ctx.triggered_id
        return present(data, trigger if isinstance(trigger, str) else None, as_dict(args[-2]), as_str(args[-1]))

    # Space / the button: play or pause the years (browser only, no round trip).
    app.clientside_callback(
        """function (n, disabled) {
            var playing = disabled === false;
            return [playing, playing ? "Jahre abspielen" : "Anhalten"];
        }""",
        Output(ids.PRES_TIMER, "disabled"),
        Output(ids.PRES_PLAY, "title"),
        Input(ids.PRES_PLAY, "n_clicks"),
        State(ids.PRES_TIMER, "disabled"),
        prevent_initial_call=True,
    )
