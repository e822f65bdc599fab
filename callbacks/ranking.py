"""Ranking table, indicator info panel and the table downloads."""

from __future__ import annotations

from dash import Input, Output, Patch, State, dash, dcc, html, no_update

from callbacks import AppData
from dashboard.state import ViewState
from dashboard.views import (
    difference_header,
    download,
    indicator_info,
    reference_rows,
    table_rows,
    title_text,
    value_header,
)
from layouts import ids
from layouts.page import DIFF_COLUMN, VALUE_COLUMN


def info_panel(info: dict[str, str]) -> list:
    """Definition, unit, source, numerator/denominator of the indicator (German)."""
    items = [("Definition", info["description"]), ("Einheit", info["unit"]), ("Quelle", info["source"]),
             ("Zähler", info["numerator"]), ("Nenner", info["denominator"]), ("Lesart", info["direction"])]
    return [html.Dl([part for label, text in items if text
                     for part in (html.Dt(label), html.Dd(text))], className="mb-0")]


def update_table(data: AppData, state_data: dict) -> tuple:
    state = ViewState.from_dict(state_data, data.choices)
    published = data.for_indicator(state.indicator)
    options = Patch()
    options["pinnedTopRowData"] = reference_rows(published, state)
    columns = Patch()  # only the two headers that carry the unit change
    columns[VALUE_COLUMN]["headerName"] = value_header(published, state.indicator)
    columns[DIFF_COLUMN]["headerName"] = difference_header(published, state.indicator)
    return (
        table_rows(published, state),
        options,
        columns,
        f"Rangfolge: {title_text(published, state.indicator, state.year)}",
        info_panel(indicator_info(published, state.indicator)),
    )


def register(app: dash.Dash, data: AppData) -> None:
    @app.callback(
        Output(ids.RANKING_TABLE, "rowData"),
        Output(ids.RANKING_TABLE, "dashGridOptions"),
        Output(ids.RANKING_TABLE, "columnDefs"),
        Output(ids.TABLE_TITLE, "children"),
        Output(ids.INDICATOR_INFO, "children"),
        Input(ids.VIEW_STATE, "data"),
    )
    def table(state_data: dict) -> tuple:
        return update_table(data, state_data)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"),
        Input(ids.DOWNLOAD_XLSX, "n_clicks"),
        State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    def download_table(_csv: int | None, _xlsx: int | None, state_data: dict) -> dict:
        fmt = "xlsx" if dash.ctx.triggered_id == ids.DOWNLOAD_XLSX else "csv-de"
        if not dash.ctx.triggered_id:
            return no_update
        content, filename = download(data.for_indicator(state_data.get("indicator", "")) if state_data else data.published, ViewState.from_dict(state_data, data.choices), fmt)
        return dcc.send_bytes(content, filename)
