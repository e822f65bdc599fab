"""Callbacks of the funding page: filters -> rows, ticks -> what-if store -> spread, map, summary; XLSX.

The ticked ids live in a store ({"year", "ids"}), so a tick survives filtering rows away; the
what-if itself is ``dashboard.funding.whatif`` (a pure function of the ticked ids).
"""

from __future__ import annotations

from dataclasses import replace

import dash
from dash import Input, Output, State, dcc, no_update
from dash.exceptions import PreventUpdate

from callbacks.guard import as_dict, as_int, as_list_of_dict, as_list_of_str
from dashboard.funding import cached_evaluation, funding_years, whatif
from dashboard.funding.export import committee_workbook
from dashboard.funding.view import (
    filter_options,
    filter_rows,
    grid_rows,
    need_texts,
    need_view,
    spread_rows,
    summary_text,
    whatif_ids,
)
from dashboard.prepared import Prepared
from layouts import ids
from layouts.atlas_map import hideout, legend
from layouts.funding import circle_layer, funds_legend, spread_table, year_default_ids

FILTERS = {"programme": ids.FUNDING_PROGRAMME, "status": ids.FUNDING_STATUS, "municipality": ids.FUNDING_MUNICIPALITY,
           "association": ids.FUNDING_ASSOCIATION, "field": ids.FUNDING_FIELD}


def _year(prepared: Prepared, value: object) -> int:
    years = funding_years(prepared.published)
    if not years:
        raise PreventUpdate
    year = as_int(value)
    return year if year in years else years[-1]


def _ticked(prepared: Prepared, store: object, year: int) -> list[str]:
    data = as_dict(store)
    if as_int(data.get("year")) != year:
        return year_default_ids(cached_evaluation(prepared.published, year))
    return as_list_of_str(data.get("ids"))


def update_rows(prepared: Prepared, year_value: object, chosen: dict, store: object, reset: bool) -> tuple:
    """Rows, selection, store, options, need map styling and legend for a year and the filters."""
    year = _year(prepared, year_value)
    result = cached_evaluation(prepared.published, year)
    filters = {key: as_list_of_str(value) for key, value in chosen.items()}
    rows = filter_rows(result.ranked, filters)
    ticked = year_default_ids(result) if reset else _ticked(prepared, store, year)
    visible = set(rows["application_id"])
    options = filter_options(result.ranked, result.basis)
    field = next(iter(filters.get("field") or []), None)
    view = need_view(result.basis, prepared.geometry, field if field in result.basis.flags else None)
    chosen_field = field if field in result.basis.flags else None
    styling = {**hideout(view, prepared.published.symbol),
               "texts": need_texts(result.basis, prepared.geometry, chosen_field)}
    return (grid_rows(rows), {"ids": [i for i in ticked if i in visible]}, {"year": year, "ids": ticked},
            options["municipality"], options["association"], styling,
            [*legend(view), funds_legend()])


def update_store(prepared: Prepared, selected: object, rows: object, year_value: object, store: object) -> dict:
    """Ticks of the visible rows replace theirs in the store; ticks of filtered-out rows stay."""
    year = _year(prepared, year_value)
    base = set(_ticked(prepared, store, year))
    visible = {str(r.get("id")) for r in as_list_of_dict(rows)}
    chosen = {str(r.get("id")) for r in as_list_of_dict(selected)}
    in_year = set(cached_evaluation(prepared.published, year).ranked["application_id"])
    return {"year": year, "ids": sorted(((base - visible) | chosen) & in_year)}


def update_spread(prepared: Prepared, store: object) -> tuple:
    """Summary, both spread tables and the funds circles for the ticked applications."""
    data = as_dict(store)
    year = _year(prepared, data.get("year"))
    result = cached_evaluation(prepared.published, year)
    applications = prepared.published.applications
    assert applications is not None
    approved = whatif_ids(applications, year, result.config, _ticked(prepared, store, year))
    spread = whatif(prepared.published, year, approved)
    with_spread = replace(result, spread=spread)
    return (summary_text(spread, year, result.config.period_years),
            spread_table(spread_rows(spread.municipalities, "name"), "Kommune", ids.FUNDING_SPREAD_MUNI).children,
            spread_table(spread_rows(spread.associations, "association"), "Verband",
                         ids.FUNDING_SPREAD_ASSOC).children,
            circle_layer(with_spread, prepared))


def workbook(prepared: Prepared, store: object) -> dict:
    data = as_dict(store)
    year = _year(prepared, data.get("year"))
    result = cached_evaluation(prepared.published, year)
    applications = prepared.published.applications
    assert applications is not None
    spread = whatif(prepared.published, year, whatif_ids(applications, year, result.config,
                                                         _ticked(prepared, store, year)))
    content = committee_workbook(prepared.published, result.ranked, spread, year, result.config, result.basis.year)
    return dcc.send_bytes(content, f"foerderung_{year}.xlsx")


REPORT_BUTTONS = {ids.FUNDING_REPORT_PPTX: "pptx", ids.FUNDING_REPORT_PDF: "pdf"}


def report_download(prepared: Prepared, trigger: object, clicked: object, year_value: object, chosen: dict,
                    store: object, set_progress=None) -> dict:
    """The committee's short report (PPTX or PDF) of the page's year, filters and ticks (after a real click)."""
    from dashboard.exports.funding_deck import build_funding_deck
    from dashboard.exports.funding_pdf import build_funding_pdf
    from dashboard.exports.renderer import renderer
    from dashboard.funding.summary import summary_for

    fmt = REPORT_BUTTONS.get(trigger) if isinstance(trigger, str) else None
    clicks = as_int(clicked)
    if fmt is None or not isinstance(clicks, int) or clicks < 1:
        raise PreventUpdate
    year = _year(prepared, year_value)
    filters = {key: as_list_of_str(value) for key, value in as_dict(chosen).items() if key in FILTERS}
    summary = summary_for(prepared.published, year, filters, _ticked(prepared, store, year))

    def progress(done: int, total: int, text: str) -> None:
        if set_progress is not None:
            percent = int(100 * done / max(total, 1))
            set_progress((percent, f"{percent} %", f"Kurzbericht ({fmt.upper()}): {text} ({done}/{total})"))

    engine = renderer()
    build = build_funding_deck if fmt == "pptx" else build_funding_pdf
    try:
        data, name = build(summary, prepared.geometry, engine, progress, prepared.published.symbol)
    finally:
        if _in_job_process():
            engine.stop()  # the job's own browser ends with the job
    return dcc.send_bytes(data, name)


def _in_job_process() -> bool:
    from callbacks.exports import _in_job_process as in_job

    return in_job()


#: Fit the funding map to the region once Leaflet has its instance and the container a size.
FIT_JS = """
function (box) {
    var tries = 0;
    function fit() {
        var maps = (window.sozialraum && window.sozialraum.map && window.sozialraum.map.instances) || {};
        var map = maps["LAYER_ID"];
        var el = document.getElementById("MAP_ID");
        if (!map || !el || el.clientWidth === 0 || el.clientHeight === 0) {
            if (tries++ < 80) { window.setTimeout(fit, 50); }
            return;
        }
        map.invalidateSize(false);
        map.fitBounds(box, {padding: [12, 12], animate: false});
    }
    if (box) { fit(); }
    return window.dash_clientside.no_update;
}
""".replace("LAYER_ID", ids.FUNDING_MAP_LAYER).replace("MAP_ID", ids.FUNDING_MAP)


def register(app: dash.Dash, prepared: Prepared) -> None:
    app.clientside_callback(FIT_JS, Output(ids.FUNDING_BOUNDS, "modified_timestamp"),
                            Input(ids.FUNDING_BOUNDS, "data"))

    @app.callback(
        Output(ids.FUNDING_GRID, "rowData"),
        Output(ids.FUNDING_GRID, "selectedRows"),
        Output(ids.FUNDING_TICKED, "data", allow_duplicate=True),
        Output(ids.FUNDING_MUNICIPALITY, "options"),
        Output(ids.FUNDING_ASSOCIATION, "options"),
        Output(ids.FUNDING_MAP_LAYER, "hideout"),
        Output(ids.FUNDING_LEGEND, "children"),
        Input(ids.FUNDING_YEAR, "value"),
        *[Input(i, "value") for i in FILTERS.values()],
        Input(ids.FUNDING_RESET, "n_clicks"),
        State(ids.FUNDING_TICKED, "data"),
        prevent_initial_call=True,
    )
    def rows(year: object, *args: object) -> tuple:
        values, store = args[:len(FILTERS)], args[-1]
        reset = dash.ctx.triggered_id == ids.FUNDING_RESET
        return update_rows(prepared, year, dict(zip(FILTERS, values, strict=True)), store, reset)

    @app.callback(
        Output(ids.FUNDING_TICKED, "data"),
        Input(ids.FUNDING_GRID, "selectedRows"),
        State(ids.FUNDING_GRID, "rowData"),
        State(ids.FUNDING_YEAR, "value"),
        State(ids.FUNDING_TICKED, "data"),
        prevent_initial_call=True,
    )
    def ticks(selected: object, rows_data: object, year: object, store: object) -> dict:
        return update_store(prepared, selected, rows_data, year, store)

    @app.callback(
        Output(ids.FUNDING_SUMMARY, "children"),
        Output(ids.FUNDING_SPREAD_MUNI, "children"),
        Output(ids.FUNDING_SPREAD_ASSOC, "children"),
        Output(ids.FUNDING_CIRCLES, "children"),
        Input(ids.FUNDING_TICKED, "data"),
        prevent_initial_call=True,
    )
    def spread(store: object) -> tuple:
        return update_spread(prepared, store)

    @app.callback(
        Output(ids.FUNDING_DOWNLOAD, "data"),
        Input(ids.FUNDING_XLSX, "n_clicks"),
        State(ids.FUNDING_TICKED, "data"),
        prevent_initial_call=True,
    )
    def download(clicks: object, store: object) -> dict:
        if not as_int(clicks):
            return no_update
        return workbook(prepared, store)

    from callbacks.jobs import background_manager

    @app.callback(
        Output(ids.FUNDING_REPORT_DOWNLOAD, "data"),
        *[Input(b, "n_clicks") for b in REPORT_BUTTONS],
        State(ids.FUNDING_YEAR, "value"),
        *[State(i, "value") for i in FILTERS.values()],
        State(ids.FUNDING_TICKED, "data"),
        background=True,
        manager=background_manager(prepared),
        progress=[Output(ids.FUNDING_REPORT_PROGRESS, "value"), Output(ids.FUNDING_REPORT_PROGRESS, "label"),
                  Output(ids.FUNDING_REPORT_STATUS, "children")],
        running=[(Output(ids.FUNDING_REPORT_PANEL, "style"), {"display": "block"}, {"display": "none"}),
                 *[(Output(b, "disabled"), True, False) for b in REPORT_BUTTONS]],
        cancel=[Input(ids.FUNDING_REPORT_CANCEL, "n_clicks")],
        prevent_initial_call=True,
    )
    def report(set_progress, *args: object) -> dict:
        trigger = dash.ctx.triggered_id
        buttons = list(REPORT_BUTTONS)
        clicks = args[buttons.index(trigger)] if trigger in REPORT_BUTTONS else None
        year, filters, store = args[2], args[3:3 + len(FILTERS)], args[-1]
        return report_download(prepared, trigger, clicks, year, dict(zip(FILTERS, filters, strict=True)), store,
                               set_progress)
