"""Ranking table, indicator info panel and the table downloads."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, no_update

from callbacks.guard import as_dict, as_list_of_dict, as_scalar_text
from dashboard.matrices import table_data
from dashboard.prepared import Prepared
from dashboard.ranking import compact_table, download
from dashboard.state import ViewState
from layouts import ids


def update_table(data: Prepared, state_data: dict, map_style: dict | None = None) -> tuple:
    """The table payload (rows and reference rows as arrays); ``map_values`` (the map style's values) lets the table
    leave out numbers the browser already has. Headers, title and info panel come from the
    page's indicator texts (assets/texts.js)."""
    state = ViewState.from_dict(state_data, data.choices)
    published = data.for_indicator(state.indicator)
    arrays = data.table(state.indicator) or table_data(published, state.indicator)
    # Rows and the pinned reference rows are built in the browser (assets/ranking.js).
    values = map_style.get("values") if map_style else None
    labels = [e[0] for e in map_style["legend"]["e"]] if map_style and "legend" in map_style else None
    return (compact_table(published, state, arrays, data.geometry.area_ids, values, labels),)


def row_ids(shown_rows: list | None) -> list[str] | None:
    """The ids of the grid's rows after the user's filters and sorting (``virtualRowData``).

    Only the ids are read: every value of the download is rebuilt on the server from the published
    data, so a row sent by the browser can select rows but never put a number into the file.
    """
    if shown_rows is None:
        return None
    return [u for u in (as_scalar_text(r.get("unit_id")) for r in as_list_of_dict(shown_rows)) if u is not None]


def download_file(data: Prepared, trigger: str | None, state_data: dict | None, shown_rows: list | None) -> object:
    """``dcc.Download`` data for a click on "CSV (Excel)" or "XLSX": the rows and columns the grid shows."""
    if trigger not in (ids.DOWNLOAD_CSV, ids.DOWNLOAD_XLSX):
        return no_update
    state = ViewState.from_dict(state_data, data.choices)
    fmt = "xlsx" if trigger == ids.DOWNLOAD_XLSX else "csv-de"
    content, filename = download(data.for_indicator(state.indicator), state, fmt, row_ids(shown_rows))
    return dcc.send_bytes(content, filename)


#: What the router (callbacks/state.py) sets from ``update_table`` on every new view state.
OUTPUTS = [
    Output(ids.RANKING_DATA, "data"),
]


def register(app: dash.Dash, data: Prepared) -> None:
    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"),
        Input(ids.DOWNLOAD_XLSX, "n_clicks"),
        State(ids.VIEW_STATE, "data"),
        State(ids.RANKING_TABLE, "virtualRowData", allow_optional=True),
        prevent_initial_call=True,
    )
    def download_table(_csv: int | None, _xlsx: int | None, state_data: dict, shown_rows: list | None) -> dict:
        rows = None if shown_rows is None else as_list_of_dict(shown_rows)
        return download_file(data, as_scalar_text(dash.ctx.triggered_id), as_dict(state_data), rows)
