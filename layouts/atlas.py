"""The atlas page: filters, the map (or two in compare mode), ranking table and time series.

Built per request for the view in the URL (``layout(prepared, state)``): the map with its
GeoJSON, the table rows and the time series arrive with the page, so the first paint needs no
callback round trip. Every later change is a small update (``hideout``, rows, a Patch).
"""

from __future__ import annotations

import json
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.series_chart import compact_series, series_for, series_title
from dashboard.classify import MAX_CLASSES, METHODS, MIN_CLASSES
from dashboard.formatting import format_count
from dashboard.links import ATLAS_PATH
from dashboard.mapview import MapView, map_views
from dashboard.options import (
    AREA_OPTION_LIMIT,
    all_indicator_options,
    area_options,
    indicator_options,
    municipality_options,
    theme_of,
    year_options,
)
from dashboard.page_texts import indicator_texts, info_rows
from dashboard.palettes import palette_options
from dashboard.prepared import Prepared
from dashboard.ranking import compact_table, difference_header, reference_rows, table_rows, value_header
from dashboard.state import ViewState, link_problems
from dashboard.texts import HIDDEN_TEXT, hidden_note
from layouts import ids
from layouts.atlas_map import FIT_PADDING, leaflet_bounds, leaflet_map, legend
from layouts.common import DROPDOWN_LABELS, drawer, dropdown, header, label, shown
from layouts.export_menu import deck_panel, export_menu
from layouts.profile import selection_links

PATH = ATLAS_PATH

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

#: plotly.js' German locale (modebar tooltips, dates), from npm plotly.js-locales 3.7.0 (MIT), passed in
#: the graph config so no locale script has to be fetched.
PLOTLY_LOCALE_DE = json.loads((Path(__file__).with_name("plotly_locale_de.json")).read_text(encoding="utf-8"))

GRAPH_CONFIG_BASE = {
    "displaylogo": False,
    "locale": "de",
    "locales": {"de": PLOTLY_LOCALE_DE},
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "lasso2d", "select2d", "autoScale2d"],
}


def graph_config(filename: str) -> dict:
    """dcc.Graph config: German tooltips, PNG at slide size, no logo, nothing that talks to a cloud."""
    return {**GRAPH_CONFIG_BASE, "toImageButtonOptions": {"format": "png", "filename": filename,
                                                          "width": 1920, "height": 1080, "scale": 1}}


INDEX_LINK_TEXT = "Feste Klassen des Index; die Klassifikation gilt hier nicht. "
INDEX_LINK_LABEL = "Matrix Status × Dynamik und Gestaltungsbedarfe"


def info_panel(info: dict[str, str]) -> list:
    """Definition, unit, kind, source, numerator/denominator of the indicator (German); the twin
    of assets/texts.js ``infoPanel`` (which builds it from ``dashboard.page_texts``)."""
    # An index: its classes are fixed (assets/indices.css hides the classification controls) and the
    # indices page holds the status × dynamics matrix and the Gestaltungsbedarfe.
    link = [html.P([INDEX_LINK_TEXT, html.A(INDEX_LINK_LABEL, href=info["link"])],
                   className="index-info small")] if info.get("link") else []
    return [html.Dl([part for text_label, text in info_rows(info) for part in (html.Dt(text_label), html.Dd(text))],
                    className="mb-0"), *link]


def compare_options() -> list[dict]:
    return [{"label": "aus", "value": ""}, {"label": "Indikator A / B", "value": "indicator"},
            {"label": "Jahr X / Y", "value": "year"}, {"label": "Veränderung (Y − X)", "value": "change"}]


def filter_panel(prepared: Prepared, state: ViewState) -> list:
    """Theme → indicator, year, municipalities, areas, classification, palette, compare, link."""
    published, choices = prepared.published, prepared.choices
    theme = theme_of(published, state.indicator)
    years = year_options(choices, state.indicator)
    return [
        dropdown(ids.THEME_SELECT, [{"label": t, "value": t} for t in published.catalogue.themes], theme, "Thema"),
        dropdown(ids.INDICATOR_SELECT, indicator_options(published, theme), state.indicator, "Indikator"),
        html.Details([html.Summary("Was zeigt der Indikator?", className="small fw-semibold"),
                      html.Div(info_panel(published.catalogue[state.indicator].info()), id=ids.INDICATOR_INFO,
                               className="indicator-info small mt-2")], className="mb-3", open=True),
        dropdown(ids.YEAR_SELECT, years, state.year, "Jahr"),
        html.Div([
            label("Kommunen (Filter)", ids.MUNICIPALITY_SELECT),
            dcc.Dropdown(id=ids.MUNICIPALITY_SELECT, options=municipality_options(published),
                         value=list(state.municipalities), multi=True, labels=DROPDOWN_LABELS,
                         placeholder="Alle Kommunen"),
        ], className="mb-3"),
        html.Div([
            label("Ausgewählte Sozialräume", ids.AREA_SELECT),
            dcc.Dropdown(id=ids.AREA_SELECT, options=area_options(prepared.area_order, state.areas),
                         value=list(state.areas), multi=True, labels=DROPDOWN_LABELS, placeholder="Karte, Liste oder Tabelle"),
            *([html.Div(f"Die Liste zeigt die ersten {format_count(AREA_OPTION_LIMIT)} von "
                        f"{format_count(len(published.areas))} Sozialräumen; ein Name findet jeden.",
                        className="form-text")] if len(published.areas) > AREA_OPTION_LIMIT else []),
            dbc.Button("Auswahl aufheben", id=ids.CLEAR_SELECTION, color="secondary", outline=True, size="sm",
                       className="mt-2"),
        ], className="mb-3"),
        html.Fieldset([
            html.Legend("Klassifikation", className="h6"),
            dropdown(ids.CLASS_METHOD_SELECT, [{"label": v, "value": k} for k, v in METHODS.items()],
                     state.method, "Methode"),
            dropdown(ids.CLASSES_SELECT, [{"label": str(k), "value": k} for k in range(MIN_CLASSES, MAX_CLASSES + 1)],
                     state.classes, "Anzahl Klassen"),
            html.Div([
                label("Klassengrenzen (mit ; getrennt)", ids.LIMITS_INPUT),
                dbc.Input(id=ids.LIMITS_INPUT, value=state.limits, debounce=True, placeholder="z. B. 5; 10; 12,5",
                          type="text"),
            ], id=ids.LIMITS_GROUP, className="mb-3", style=shown(state.method == "manual")),
            dropdown(ids.PALETTE_SELECT, [{"label": lbl, "value": k} for k, lbl in palette_options()],
                     state.palette, "Farbpalette"),
        ]),
        html.Fieldset([
            html.Legend("Vergleich", className="h6"),
            dbc.RadioItems(id=ids.COMPARE_MODE, value=state.compare, className="mb-2", options=compare_options()),
            html.Div(dropdown(ids.COMPARE_INDICATOR_SELECT, all_indicator_options(published),
                              state.compare_indicator or None, "Indikator B"),
                     id=ids.COMPARE_INDICATOR_GROUP, style=shown(state.compare == "indicator")),
            html.Div(dropdown(ids.COMPARE_YEAR_SELECT, years, state.compare_year, "Jahr Y"),
                     id=ids.COMPARE_YEAR_GROUP, style=shown(state.compare in ("year", "change"))),
        ]),
        html.Div([
            dbc.Button("Link kopieren", id=ids.COPY_LINK, color="primary", size="sm"),
            html.Span(id=ids.COPY_LINK_STATUS, className="ms-2 small", role="status"),
        ], className="mt-2"),
    ]


def grid(prepared: Prepared, state: ViewState, with_rows: bool = True) -> dag.AgGrid:
    shown_data = prepared.for_indicator(state.indicator)
    arrays = prepared.table(state.indicator)
    symbol = json.dumps(shown_data.symbol)
    hidden_last = {"function": "sozialraumHiddenLast(valueA, valueB, nodeA, nodeB, isDescending)"}
    number_filter = {"filter": "agNumberColumnFilter",
                     "filterParams": {"allowedCharPattern": "\\d\\-\\,\\.",
                                      "numberParser": {"function": "sozialraumParseNumber(params)"}}}
    number = {**number_filter, "comparator": hidden_last, "type": "rightAligned"}
    count = not shown_data.catalogue[state.indicator].compares_to_region  # counts and indices: no difference
    columns = [
        {"field": "rank", "headerName": "Rang", "width": 86, "minWidth": 70, **number,
         "valueFormatter": {"function": f"params.value == null ? (params.data.hidden ? {symbol} : '') : params.value"},
         "tooltipField": "tip"},
        {"field": "name", "headerName": "Sozialraum", "filter": "agTextColumnFilter", "flex": 2, "minWidth": 140},
        {"field": "municipality", "headerName": "Kommune", "filter": "agTextColumnFilter", "flex": 1.3,
         "minWidth": 110},
        {"field": "value", "headerName": value_header(shown_data, state.indicator),
         "valueFormatter": {"function": "params.data.value_text"}, "tooltipField": "tip", "flex": 1,
         "minWidth": 96, **number},
        {"field": "diff", "headerName": difference_header(shown_data, state.indicator) or "Differenz",
         "hide": count, "valueFormatter": {"function": "params.data.diff_text"}, "tooltipField": "tip",
         "flex": 1.3, "minWidth": 110, **number},
        {"field": "class_no", "headerName": "Klasse", "valueFormatter": {"function": "params.data.class_label"},
         "flex": 1.4, "minWidth": 110, "comparator": hidden_last, **number_filter},
    ]
    return dag.AgGrid(
        id=ids.RANKING_TABLE,
        columnDefs=columns,
        rowData=table_rows(shown_data, state, arrays) if with_rows else [],
        getRowId="params.data.unit_id",
        # Enter on a focused row selects its area, like a click (assets/dashAgGridFunctions.js).
        eventListeners={"cellKeyDown": ["sozialraumEnterSelects(params, setGridProps)"]},
        defaultColDef={"sortable": True, "resizable": True, "floatingFilter": True, "suppressHeaderMenuButton": True,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        rowClassRules={"row-selected-area": "params.data.selected === true",
                       "row-reference": "params.data.reference === true",
                       "row-hidden-cell": "params.data.hidden === true"},
        dashGridOptions={"localeText": GRID_LOCALE, "tooltipShowDelay": 200,
                         "pinnedTopRowData": reference_rows(shown_data, state, arrays) if with_rows else [],
                         "animateRows": False, "enableCellTextSelection": True,
                         # One tab stop: Tab leaves the grid, the arrow keys move inside it.
                         "tabToNextCell": {"function": "sozialraumLeaveGrid(params)"},
                         "suppressHeaderFocus": False},
        className="ag-theme-quartz ranking-grid",
        columnSize="responsiveSizeToFit",
        style={"height": "460px"},
    )


def _deferred_parts(prepared: Prepared, state: ViewState, series: dict) -> dict:
    """The grid and the series graph without data, and plotly.js' path in the assets, for assets/deferred.js."""
    return {"grid": grid(prepared, state, with_rows=False).to_plotly_json(),
            "graph": _series_graph({"data": [], "layout": series["layout"]}).to_plotly_json(),
            "plotly": PLOTLY_JS, "indicator": state.indicator}


def map_bounds(prepared: Prepared) -> dict:
    """Region and municipality boxes for fitting the maps in the browser (a few numbers)."""
    geometry = prepared.geometry
    return {"region": leaflet_bounds(geometry.bounds),
            "municipalities": {m: leaflet_bounds(b) for m, b in (geometry.municipality_bounds or {}).items()},
            "padding": FIT_PADDING}


def _map_card(prepared: Prepared, view: MapView, second: bool, state: ViewState, with_data: bool = True,
              search: str = "") -> dbc.Card:
    names = (ids.MAP_COMPARE, ids.MAP_COMPARE_LAYER, ids.MAP_COMPARE_BORDERS, ids.MAP_COMPARE_LEGEND,
             ids.MAP_COMPARE_TITLE, ids.MAP_COMPARE_SUBTITLE, ids.MAP_COMPARE_NOTE) if second else \
        (ids.MAP, ids.MAP_LAYER, ids.MAP_BORDERS, ids.MAP_LEGEND, ids.MAP_TITLE, ids.MAP_SUBTITLE, ids.MAP_NOTE)
    map_id, layer_id, borders_id, legend_id, title_id, subtitle_id, note_id = names
    box = prepared.geometry.bounds_of(state.municipalities)
    published = prepared.published
    return dbc.Card([
        html.Div([
            html.Div([html.H2(view.title, id=title_id, className="h6 mb-0 map-title"),
                      html.Div(view.subtitle, id=subtitle_id, className="small text-body-secondary map-subtitle")],
                     className="min-w-0"),
            html.Div([
                dbc.Button("ganze Region", id=ids.MAP_COMPARE_RESET if second else ids.MAP_RESET, size="sm",
                           color="secondary", outline=True, className="me-1 text-nowrap",
                           title="Karte auf die ganze Region (bzw. den Kommunenfilter) einpassen"),
                export_menu(ids.EXPORT_MENU_COMPARE if second else ids.EXPORT_MENU_MAP,
                            "compare" if second else "map", search, None if second else ids.DECK_MAP),
            ], className="d-flex flex-shrink-0"),
        ], className="d-flex justify-content-between align-items-start gap-2 px-2 pt-2"),
        html.Div([
            # The map is named by its title; the table below holds every value as text.
            html.Div(leaflet_map(map_id, layer_id, borders_id, prepared.geometry, view, published.symbol, box,
                                 prepared.tile_url, with_data, visible=with_data, rank_in_browser=True),
                     className="map-frame",
                     role="region", **{"aria-labelledby": title_id, "aria-describedby": ids.TABLE_TITLE}),
            html.Div(legend(view), id=legend_id, className="map-legend", role="group",
                     **{"aria-label": "Legende"}),
        ], className="map-body"),
        html.Div(view.note, id=note_id, className="small px-2 map-note"),
    ], className="map-card h-100")


#: The plotly.js bundle the atlas loads after its map has painted (app.py links it on other pages).
PLOTLY_JS = "vendor/plotly-basic.min.js"


def _series_graph(figure: dict) -> dcc.Graph:
    return dcc.Graph(id=ids.TIMESERIES, figure=figure, config=graph_config("Zeitreihe"), className="series-graph",
                     responsive=True, style={"height": SERIES_HEIGHT})


SERIES_HEIGHT = "clamp(280px, 42vh, 440px)"


def layout(prepared: Prepared, state: ViewState, search: str = "", deferred: bool = True) -> html.Div:
    """The whole page for ``state`` (the view in the URL ``search``), ready to paint.

    ``deferred``: the table and the series are not in the tree but mounted by the browser after
    the map's first paint (assets/deferred.js) from their compact data (``RANKING_DATA``,
    ``SERIES_DATA``), which holds the same rows and lines. Their grid and plotly work then
    comes after the map, and plotly.js is loaded only then. ``deferred=False``
    (the validation layout) keeps them in place.
    """
    published = prepared.published
    shown_data = prepared.for_indicator(state.indicator)
    first, second = map_views(published, prepared.geometry.area_ids, state, prepared.area_km2,
                              dict(prepared.matrices))
    compare_view = second or first
    series, series_note = series_for(shown_data, state)
    problems = link_problems(search, prepared.choices)
    table_card = dbc.Card([
        dbc.CardHeader(html.Div([
            html.H2(f"Rangfolge: {published.catalogue[state.indicator].title(state.year)}", id=ids.TABLE_TITLE, className="h6 mb-0"),
            html.Div([
                dbc.Button("CSV (Excel)", id=ids.DOWNLOAD_CSV, size="sm", color="secondary", outline=True,
                           className="me-2", title="Angezeigte Zeilen (mit Filtern) für Excel herunterladen"),
                dbc.Button("XLSX", id=ids.DOWNLOAD_XLSX, size="sm", color="secondary", outline=True, className="me-2",
                           title="Angezeigte Zeilen (mit Filtern) als Excel-Arbeitsmappe herunterladen"),
                export_menu(ids.EXPORT_MENU_TABLE, "ranking", search, ids.DECK_TABLE, label="Export Rangfolge"),
            ], className="d-flex flex-shrink-0"),
        ], className="d-flex justify-content-between align-items-center gap-2")),
        dbc.CardBody([html.Div(None if deferred else grid(prepared, state), id=ids.RANKING_SLOT, className="ranking-slot"),
                      html.Div(f"{published.symbol} = {HIDDEN_TEXT}; – = keine Daten. Tabelle: Pfeiltasten "
                               "bewegen, Enter wählt den Sozialraum.", className="small text-body-secondary mt-1")],
                     className="p-2"),
    ], className="h-100")
    series_card = dbc.Card([
        dbc.CardHeader(html.Div([
            html.H2(series_title(shown_data, state), id=ids.TIMESERIES_TITLE, className="h6 mb-0"),
            export_menu(ids.EXPORT_MENU_SERIES, "series", search, ids.DECK_SERIES),
        ], className="d-flex justify-content-between align-items-center gap-2")),
        dbc.CardBody([
            html.Div(None if deferred else _series_graph(series), id=ids.SERIES_SLOT, className="series-slot",
                     style={"height": SERIES_HEIGHT}),
            html.Div(html.Span(series_note, id=ids.SERIES_NOTE, className="small"),
                     className="d-flex justify-content-between"),
        ], className="p-2"),
    ], className="h-100")
    main = html.Main([
        html.Div([dbc.Alert(text, color="warning", dismissable=True, className="py-1 px-2 mb-2 small")
                  for text in problems], id=ids.LINK_NOTE),
        html.Div([
            html.Span(hidden_note(first.hidden_count), id=ids.HIDDEN_NOTE, className="hidden-note small",
                      role="status"),
            html.Span(selection_links(prepared, state.areas, state.year), id=ids.SELECTION_NOTE,
                      className="small text-body-secondary ms-2", role="status"),
            html.Span(id=ids.SVG_STATUS, className="visually-hidden", role="status"),
        ], className="status-line"),
        dbc.Row([
            dbc.Col(_map_card(prepared, first, False, state, search=search), id=ids.MAP_COL, lg=6 if second else 12,
                    className="mb-3"),
            dbc.Col(_map_card(prepared, compare_view, True, state, bool(second), search), id=ids.MAP_COMPARE_COL, lg=6, className="mb-3",
                    style={"display": "block"} if second else {"display": "none"}),
        ], className="g-3"),
        html.Div(first.short_caption, id=ids.MAP_CAPTION, className="small text-body-secondary mb-3 map-caption"),
        dbc.Row([
            dbc.Col(table_card, xl=7, className="mb-3"),
            dbc.Col(series_card, xl=5, className="mb-3"),
        ], className="g-3"),
    ], id="main", tabIndex="-1", className="atlas-main")
    return html.Div([
        # ``search`` is set so the Location does not report the URL on mount (no round trip on load).
        dcc.Location(id=ids.URL, refresh=False, search=search),
        dcc.Store(id=ids.VIEW_STATE, data=state.to_dict()),
        dcc.Store(id=ids.COMPARE_LOADED, data=bool(second)),
        # New styles for the two maps after a switch; applied in place by assets/map.js.
        dcc.Store(id=ids.MAP_STYLE),
        dcc.Store(id=ids.TABLE_CLICK),
        dcc.Store(id=ids.MAP_COMPARE_STYLE),
        # The table rows and the series as compact data (assets/ranking.js, assets/series.js):
        # the page's own view here, a switch's view after it.
        dcc.Store(id=ids.RANKING_DATA, data=compact_table(shown_data, state, prepared.table(state.indicator),
                                                          prepared.geometry.area_ids, first.values)
                  if deferred else None),
        dcc.Store(id=ids.SERIES_DATA, data=compact_series(shown_data, state)[0] if deferred else None),
        dcc.Store(id=ids.DEFERRED_PARTS, data=_deferred_parts(prepared, state, series) if deferred else None),
        # Per indicator the texts that do not change with the view (assets/texts.js).
        dcc.Store(id=ids.INDICATOR_TEXTS, data=indicator_texts(prepared)),  # a switch's time series as data (assets/series.js)
        dcc.Store(id=ids.YEAR_DATA),  # the years with data of a new indicator (year options in the browser)
        html.Span(id=ids.MAP_RESTYLED, hidden=True),
        dcc.Store(id=ids.MAP_BOUNDS, data=map_bounds(prepared)),
        dcc.Store(id=ids.AREA_KM2, data=[a if a > 0 else None for a in prepared.area_km2.tolist()]),
        dcc.Download(id=ids.DOWNLOAD),
        html.A("Zum Inhalt springen", href="#main", className="visually-hidden-focusable skip-link"),
        header(published, PATH),
        html.Div([*drawer(filter_panel(prepared, state)), main], className="atlas-layout"),
        deck_panel(),
    ], id=ids.PAGE, className="page page-atlas")
