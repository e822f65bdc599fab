"""The page: header, filter panel, maps, ranking table and time series (German labels).

Built per page request for the view in the URL (``layout(data, state)``): the map figure with its
GeoJSON, the table rows and the time series arrive with the layout, so the first paint needs no
callback round trip. Every later change is a small update or a Patch.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.classify import MAX_CLASSES, METHODS, MIN_CLASSES
from dashboard.palettes import palette_options
from dashboard.publish import Published
from dashboard.state import ViewState
from dashboard.views import (
    HIDDEN_TEXT,
    TableData,
    all_indicator_options,
    area_options,
    difference_header,
    hidden_note,
    indicator_info,
    indicator_options,
    map_view,
    municipality_options,
    reference_rows,
    selection_note,
    table_rows,
    theme_of,
    title_text,
    value_header,
)
from layouts import ids
from layouts.figures import graph_config, map_figure, series_for

if TYPE_CHECKING:
    from callbacks import AppData

#: A few German texts for the grid's filter menus.
GRID_LOCALE = {
    "contains": "enthält", "notContains": "enthält nicht", "equals": "gleich", "notEqual": "ungleich",
    "startsWith": "beginnt mit", "endsWith": "endet mit", "lessThan": "kleiner als",
    "greaterThan": "größer als", "lessThanOrEqual": "kleiner oder gleich",
    "greaterThanOrEqual": "größer oder gleich", "inRange": "zwischen", "blank": "leer",
    "notBlank": "nicht leer", "filterOoo": "Filtern …", "andCondition": "UND", "orCondition": "ODER",
    "noRowsToShow": "Keine Zeilen", "loadingOoo": "Lädt …", "applyFilter": "Anwenden",
    "resetFilter": "Zurücksetzen", "clearFilter": "Leeren", "inRangeStart": "von", "inRangeEnd": "bis",
}


#: German texts of the Dash 4 dropdowns (the defaults are English).
DROPDOWN_LABELS = {
    "select_all": "Alle auswählen", "deselect_all": "Alle abwählen", "selected_count": "{num_selected} ausgewählt",
    "search": "Suchen", "clear_search": "Suche leeren", "clear_selection": "Auswahl leeren",
    "no_options_found": "Keine Treffer",
}

#: Positions of the columns whose header carries the indicator's unit (patched per indicator).
VALUE_COLUMN, DIFF_COLUMN = 3, 4


def info_panel(info: dict[str, str]) -> list:
    """Definition, unit, source, numerator/denominator of the indicator (German)."""
    items = [("Definition", info["description"]), ("Einheit", info["unit"]), ("Quelle", info["source"]),
             ("Zähler", info["numerator"]), ("Nenner", info["denominator"]), ("Lesart", info["direction"])]
    return [html.Dl([part for label, text in items if text
                     for part in (html.Dt(label), html.Dd(text))], className="mb-0")]


def _shown(visible: bool) -> dict:
    return {} if visible else {"display": "none"}


def _label(text: str, target: str) -> dbc.Label:
    return dbc.Label(text, html_for=target, className="form-label fw-semibold mb-1")


def _dropdown(id_: str, options: list, value: object, label: str, **kwargs: object) -> html.Div:
    return html.Div([
        _label(label, id_),
        dcc.Dropdown(id=id_, options=options, value=value, clearable=False, labels=DROPDOWN_LABELS, **kwargs),
    ], className="mb-3")


def header(published: Published) -> html.Header:
    """Title, region, 'Demodaten' badge and attribution."""
    cfg = published.config
    badge = dbc.Badge("Demodaten", color="warning", text_color="dark", className="ms-2 align-middle",
                      title="Synthetische Werte – nicht für Entscheidungen verwenden") if cfg.synthetic else None
    return html.Header(
        dbc.Container([
            html.Div([
                html.H1([cfg.title, badge], className="h4 mb-0"),
                html.Div(cfg.region, className="text-body-secondary"),
            ]),
            html.Small(cfg.attribution, className="text-body-secondary attribution"),
        ], fluid=True, className="d-flex flex-wrap justify-content-between align-items-end gap-2 py-2"),
        className="app-header border-bottom bg-white",
    )


def filter_panel(published: Published, state: ViewState) -> html.Div:
    """Theme → indicator, year, municipalities, classification, palette, compare, selection."""
    theme = theme_of(published, state.indicator)
    years = [{"label": str(y), "value": y} for y in published.years]
    return html.Div([
        _dropdown(ids.THEME_SELECT, [{"label": t, "value": t} for t in published.themes], theme, "Thema"),
        _dropdown(ids.INDICATOR_SELECT, indicator_options(published, theme), state.indicator, "Indikator"),
        html.Div(info_panel(indicator_info(published, state.indicator)), id=ids.INDICATOR_INFO,
                 className="indicator-info small mb-3"),
        _dropdown(ids.YEAR_SELECT, years, state.year, "Jahr"),
        html.Div([
            _label("Kommunen (Filter)", ids.MUNICIPALITY_SELECT),
            dcc.Dropdown(id=ids.MUNICIPALITY_SELECT, options=municipality_options(published),
                         value=list(state.municipalities), multi=True, labels=DROPDOWN_LABELS, placeholder="Alle Kommunen"),
        ], className="mb-3"),
        html.Div([
            _label("Ausgewählte Sozialräume", ids.AREA_SELECT),
            dcc.Dropdown(id=ids.AREA_SELECT, options=area_options(published), value=list(state.areas),
                         multi=True, labels=DROPDOWN_LABELS, placeholder="Karte oder Tabelle anklicken"),
            dbc.Button("Auswahl aufheben", id=ids.CLEAR_SELECTION, color="secondary", outline=True, size="sm",
                       className="mt-2"),
        ], className="mb-3"),
        html.Fieldset([
            html.Legend("Klassifikation", className="h6"),
            _dropdown(ids.CLASS_METHOD_SELECT, [{"label": v, "value": k} for k, v in METHODS.items()],
                      state.method, "Methode"),
            _dropdown(ids.CLASSES_SELECT, [{"label": str(k), "value": k} for k in range(MIN_CLASSES, MAX_CLASSES + 1)],
                      state.classes, "Anzahl Klassen"),
            html.Div([
                _label("Klassengrenzen (mit ; getrennt)", ids.LIMITS_INPUT),
                dbc.Input(id=ids.LIMITS_INPUT, value=state.limits, debounce=True, placeholder="z. B. 5; 10; 12,5",
                          type="text"),
            ], id=ids.LIMITS_GROUP, className="mb-3", style={} if state.method == "manual" else {"display": "none"}),
            _dropdown(ids.PALETTE_SELECT, [{"label": lbl, "value": k} for k, lbl in palette_options()],
                      state.palette, "Farbpalette"),
        ]),
        html.Fieldset([
            html.Legend("Vergleich", className="h6"),
            dbc.RadioItems(id=ids.COMPARE_MODE, value=state.compare, className="mb-2", options=[
                {"label": "aus", "value": ""}, {"label": "Indikator A / B", "value": "indicator"},
                {"label": "Jahr X / Y", "value": "year"},
            ]),
            html.Div(_dropdown(ids.COMPARE_INDICATOR_SELECT, all_indicator_options(published),
                               state.compare_indicator or None, "Indikator B"),
                     id=ids.COMPARE_INDICATOR_GROUP, style=_shown(state.compare == "indicator")),
            html.Div(_dropdown(ids.COMPARE_YEAR_SELECT, years, state.compare_year, "Jahr Y"),
                     id=ids.COMPARE_YEAR_GROUP, style=_shown(state.compare == "year")),
        ]),
        html.Div([
            dbc.Button("Link kopieren", id=ids.COPY_LINK, color="primary", size="sm"),
            html.Span(id=ids.COPY_LINK_STATUS, className="ms-2 small", role="status"),
        ], className="mt-2"),
    ], className="filter-panel")


def _svg_button(id_: str) -> dbc.Button:
    return dbc.Button("SVG", id=id_, color="link", size="sm", className="p-0 ms-2",
                      title="Grafik als SVG herunterladen (1920 px breit)")


def _grid(published: Published, state: ViewState, arrays: TableData | None = None) -> dag.AgGrid:
    symbol = json.dumps(published.symbol)
    hidden_last = {"function": "sozialraumHiddenLast(valueA, valueB, nodeA, nodeB, isDescending)"}
    number = {"filter": "agNumberColumnFilter", "comparator": hidden_last, "type": "rightAligned"}
    columns = [
        {"field": "rank", "headerName": "Rang", "width": 90, **number,
         "valueFormatter": {"function": f"params.value == null ? (params.data.hidden ? {symbol} : '') : params.value"},
         "tooltipField": "tip"},
        {"field": "name", "headerName": "Sozialraum", "filter": "agTextColumnFilter", "flex": 2, "minWidth": 150},
        {"field": "municipality", "headerName": "Kommune", "filter": "agTextColumnFilter", "flex": 1.3,
         "minWidth": 120},
        {"field": "value", "headerName": value_header(published, state.indicator), "valueFormatter": {"function": "params.data.value_text"},
         "tooltipField": "tip", "flex": 1, "minWidth": 100, **number},
        {"field": "diff", "headerName": difference_header(published, state.indicator),
         "valueFormatter": {"function": "params.data.diff_text"}, "tooltipField": "tip", "flex": 1.3,
         "minWidth": 130, **number},
        {"field": "class_no", "headerName": "Klasse", "valueFormatter": {"function": "params.data.class_label"},
         "flex": 1.4, "minWidth": 130, "filter": "agNumberColumnFilter", "comparator": hidden_last},
    ]
    return dag.AgGrid(
        id=ids.RANKING_TABLE,
        columnDefs=columns,
        rowData=table_rows(published, state, arrays),
        getRowId="params.data.unit_id",
        # Enter on a focused row selects its area, like a click (assets/dashAgGridFunctions.js).
        eventListeners={"cellKeyDown": ["sozialraumEnterSelects(params, setGridProps)"]},
        defaultColDef={"sortable": True, "resizable": True, "floatingFilter": True, "suppressHeaderMenuButton": True,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        rowClassRules={"row-selected-area": "params.data.selected === true",
                       "row-reference": "params.data.reference === true",
                       "row-hidden-cell": "params.data.hidden === true"},
        dashGridOptions={"localeText": GRID_LOCALE, "tooltipShowDelay": 200, "pinnedTopRowData": reference_rows(published, state, arrays),
                         "animateRows": False, "enableCellTextSelection": True},
        className="ag-theme-quartz ranking-grid",
        style={"height": "520px"},
    )


def layout(data: AppData, state: ViewState, search: str = "") -> html.Div:
    """The whole page for ``state`` (the view in the URL ``search``), ready to paint."""
    published, geometry = data.published, data.geometry
    shown = data.for_indicator(state.indicator)
    first = map_view(shown, geometry.area_ids, state, matrix=data.matrix(state.indicator))
    figure = map_figure(geometry, first, list(data.area_names), data.tile_url)
    compare_figure: object = {"data": [], "layout": {}}
    compare_note = ""
    if state.compare:
        other = state.compare_indicator if state.compare == "indicator" else state.indicator
        second = map_view(data.for_indicator(other), geometry.area_ids, state, second=True, matrix=data.matrix(other))
        compare_figure = map_figure(geometry, second, list(data.area_names), data.tile_url)
        compare_note = second.note
    series, series_note = series_for(shown, state)
    map_card = dbc.Card([
        dbc.CardBody([
            dcc.Graph(id=ids.MAP, figure=figure, config=graph_config("karte"), className="map-graph",
                      style={"height": "600px"}),
            html.Div([html.Span(first.note, id=ids.MAP_NOTE, className="small"), _svg_button(ids.MAP_SVG)],
                     className="d-flex justify-content-between"),
        ], className="p-2"),
    ])
    compare_card = dbc.Card([
        dbc.CardBody([
            dcc.Graph(id=ids.MAP_COMPARE, figure=compare_figure, config=graph_config("karte-vergleich"),
                      className="map-graph", style={"height": "600px"}),
            html.Div([html.Span(compare_note, id=ids.MAP_COMPARE_NOTE, className="small"),
                      _svg_button(ids.MAP_COMPARE_SVG)], className="d-flex justify-content-between"),
        ], className="p-2"),
    ])
    table_card = dbc.Card([
        dbc.CardHeader(html.Div([
            html.H2(f"Rangfolge: {title_text(shown, state.indicator, state.year)}", id=ids.TABLE_TITLE,
                    className="h6 mb-0"),
            html.Div([
                dbc.Button("CSV (Excel)", id=ids.DOWNLOAD_CSV, size="sm", color="secondary", outline=True,
                           className="me-2", title="Angezeigte Zeilen (mit Filtern) für Excel herunterladen"),
                dbc.Button("XLSX", id=ids.DOWNLOAD_XLSX, size="sm", color="secondary", outline=True,
                           title="Angezeigte Zeilen (mit Filtern) als Excel-Arbeitsmappe herunterladen"),
            ]),
        ], className="d-flex justify-content-between align-items-center")),
        dbc.CardBody([_grid(shown, state, data.table(state.indicator)),
                      html.Div(f"{published.symbol} = {HIDDEN_TEXT}; – = keine Daten",
                               className="small text-body-secondary mt-1")], className="p-2"),
    ])
    series_card = dbc.Card([
        dbc.CardBody([
            dcc.Graph(id=ids.TIMESERIES, figure=series, config=graph_config("zeitreihe"), style={"height": "520px"}),
            html.Div([html.Span(series_note, id=ids.SERIES_NOTE, className="small"), _svg_button(ids.TIMESERIES_SVG)],
                     className="d-flex justify-content-between"),
        ], className="p-2"),
    ])
    return html.Div([
        # ``search`` is set so the Location does not report the URL on mount (no round trip on load).
        dcc.Location(id=ids.URL, refresh=False, search=search),
        dcc.Store(id=ids.VIEW_STATE, data=state.to_dict()),
        dcc.Store(id=ids.COMPARE_LOADED, data=bool(state.compare)),
        dcc.Download(id=ids.DOWNLOAD),
        html.A("Zum Inhalt springen", href="#main", className="visually-hidden-focusable skip-link"),
        header(published),
        dbc.Container(dbc.Row([
            dbc.Col(html.Nav(filter_panel(published, state), **{"aria-label": "Filter"}), lg=3, md=4,
                    className="py-3 border-end bg-body-tertiary"),
            dbc.Col(html.Main([
                html.Div([
                    html.Div(hidden_note(first.hidden_count), id=ids.HIDDEN_NOTE, className="hidden-note small",
                             role="status"),
                    html.Div(selection_note(len(state.areas)), id=ids.SELECTION_NOTE,
                             className="small text-body-secondary"),
                    html.Div(id=ids.SVG_STATUS, className="visually-hidden"),
                ], className="mb-2"),
                dbc.Row([
                    dbc.Col(map_card, id=ids.MAP_COL, lg=6 if state.compare else 12, className="mb-3"),
                    dbc.Col(compare_card, id=ids.MAP_COMPARE_COL, lg=6, className="mb-3",
                            style={"display": "block"} if state.compare else {"display": "none"}),
                ]),
                dbc.Row([
                    dbc.Col(table_card, xl=7, className="mb-3"),
                    dbc.Col(series_card, xl=5, className="mb-3"),
                ]),
            ], id="main", tabIndex="-1"), lg=9, md=8, className="py-3"),
        ]), fluid=True),
    ])
