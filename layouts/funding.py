"""The funding page (/foerderung): applications ranked by need, the funds over the need map,
the spread per municipality and association, and the what-if (tick applications as approved).

Internal working data: the page exists in the navigation only when the bundle has an
applications file; a bundle without one gets the same components, empty, and a German note
(so the callbacks stay valid). Everything shown is computed in ``dashboard.funding``.
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import dash_leaflet as dl
from dash import dcc, html

from dashboard.funding import PART_LABELS, PARTS, FundingResult, cached_evaluation, funding_years
from dashboard.funding.view import (
    circles,
    filter_options,
    grid_rows,
    need_texts,
    need_view,
    spread_rows,
    summary_text,
)
from dashboard.links import FUNDING_PATH
from dashboard.prepared import Prepared
from layouts import ids
from layouts.atlas import GRID_LOCALE
from layouts.atlas_map import leaflet_bounds, leaflet_map, legend
from layouts.common import DROPDOWN_LABELS, drawer, header, label

PATH = FUNDING_PATH
AWARDED_COLOUR = "#3f007d"
REQUESTED_COLOUR = "#6a51a3"


def _multi(id_: str, options: list, text: str) -> html.Div:
    return html.Div([label(text, id_), dcc.Dropdown(id=id_, options=options, value=[], multi=True,
                                                    placeholder="alle", labels=DROPDOWN_LABELS)],
                    className="mb-3")


def filter_panel(prepared: Prepared, result: FundingResult | None, years: tuple[int, ...]) -> list:
    opts = filter_options(result.ranked, result.basis) if result else {k: [] for k in
                                                                       ("programme", "status", "municipality",
                                                                        "association", "field")}
    year = result.year if result else None
    return [
        html.Div([label("Förderjahr", ids.FUNDING_YEAR),
                  dcc.Dropdown(id=ids.FUNDING_YEAR, options=[{"label": str(y), "value": y} for y in years],
                               value=year, clearable=False, labels=DROPDOWN_LABELS)], className="mb-3"),
        _multi(ids.FUNDING_PROGRAMME, opts["programme"], "Programm"),
        _multi(ids.FUNDING_STATUS, opts["status"], "Status"),
        _multi(ids.FUNDING_MUNICIPALITY, opts["municipality"], "Kommune"),
        _multi(ids.FUNDING_ASSOCIATION, opts["association"], "Wohlfahrtsverband"),
        _multi(ids.FUNDING_FIELD, opts["field"], "Feld des Gestaltungsbedarfs"),
        html.P("Das Feld färbt auch die Karte; ohne Auswahl zeigt sie die Zahl der Felder mit Gestaltungsbedarf.",
               className="small text-body-secondary"),
    ]


def columns() -> list[dict]:
    number = {"type": "rightAligned", "filter": "agNumberColumnFilter"}
    parts = [{"field": p, "headerName": PART_LABELS[p], "valueFormatter": {"function": f"params.data.{p}_text"},
              "tooltipField": f"{p}_reason", "width": 112, **number} for p in PARTS]
    return [
        {"field": "rank", "headerName": "Rang", "width": 90, **number},
        {"field": "score", "headerName": "Punkte", "width": 96, "valueFormatter": {"function": "params.data.score_text"},
         "tooltipField": "reasons", **number},
        {"field": "id", "headerName": "Antrag", "width": 130, "filter": "agTextColumnFilter"},
        {"field": "title", "headerName": "Titel", "minWidth": 160, "flex": 1, "filter": "agTextColumnFilter"},
        {"field": "applicant", "headerName": "Antragsteller", "minWidth": 170, "flex": 1,
         "filter": "agTextColumnFilter"},
        {"field": "association", "headerName": "Verband", "width": 150, "filter": "agTextColumnFilter"},
        {"field": "programme", "headerName": "Programm", "width": 150},
        {"field": "municipality", "headerName": "Kommune", "width": 130, "filter": "agTextColumnFilter"},
        {"field": "target", "headerName": "Sozialräume", "width": 180, "tooltipField": "target"},
        {"field": "fields", "headerName": "Felder", "width": 180, "tooltipField": "fields"},
        {"field": "requested", "headerName": "Beantragt", "width": 116,
         "valueFormatter": {"function": "params.data.requested_text"}, **number},
        {"field": "status", "headerName": "Status", "width": 110},
        {"field": "awarded_text", "headerName": "Bewilligt", "width": 110, "type": "rightAligned"},
        *parts,
        {"field": "eligible", "headerName": "Förderfähig", "width": 110, "tooltipField": "rules"},
        {"field": "rules", "headerName": "Programmregeln", "width": 260, "tooltipField": "rules"},
    ]


def grid(result: FundingResult | None) -> dag.AgGrid:
    rows = grid_rows(result.ranked) if result else []
    ticked = year_default_ids(result)
    return dag.AgGrid(
        id=ids.FUNDING_GRID,
        columnDefs=columns(),
        rowData=rows,
        getRowId="params.data.id",
        selectedRows={"ids": ticked},
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True,
                       "suppressHeaderMenuButton": True},
        rowClassRules={"row-not-eligible": "params.data.eligible === 'nein'"},
        dashGridOptions={
            "localeText": GRID_LOCALE, "tooltipShowDelay": 200, "animateRows": False,
            "enableCellTextSelection": True,
            "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False,
                             "enableClickSelection": False},
            "selectionColumnDef": {"headerName": "bewilligt", "width": 96, "pinned": "left",
                                   "headerTooltip": "Haken = als bewilligt angenommen (Was-wäre-wenn)"},
        },
        className="ag-theme-quartz funding-grid",
        style={"height": "480px"},
    )


def year_default_ids(result: FundingResult | None) -> list[str]:
    """The year's applications ticked when the page opens: those with status bewilligt."""
    if result is None:
        return []
    ranked_ids = set(result.ranked["application_id"])
    return sorted(i for i in result.spread.approved if i in ranked_ids)


def circle_layer(result: FundingResult | None, prepared: Prepared) -> list:
    """Funds per Sozialraum: a ring for the requested, a filled circle for the approved amount."""
    if result is None:
        return []
    markers = []
    for c in circles(result.spread, result.basis, prepared.geometry):
        if c["requested_radius"] > 0:
            markers.append(dl.CircleMarker(center=[c["lat"], c["lon"]], radius=c["requested_radius"],
                                           color=REQUESTED_COLOUR, weight=1.5, fill=False, dashArray="3 3",
                                           children=dl.Tooltip(c["text"])))
        if c["awarded_radius"] > 0:
            markers.append(dl.CircleMarker(center=[c["lat"], c["lon"]], radius=c["awarded_radius"],
                                           color="#ffffff", weight=1, fillColor=AWARDED_COLOUR, fillOpacity=0.7,
                                           children=dl.Tooltip(c["text"])))
    return markers


def funds_legend() -> html.Div:
    return html.Div([
        html.Div("Mittel je Sozialraum", className="legend-title mt-2"),
        html.Ul([
            html.Li([html.Span(className="legend-swatch", style={"backgroundColor": AWARDED_COLOUR,
                                                                 "borderRadius": "50%"}),
                     html.Span("bewilligt (Was-wäre-wenn)", className="legend-label")], className="legend-row"),
            html.Li([html.Span(className="legend-swatch", style={"border": f"2px dashed {REQUESTED_COLOUR}",
                                                                 "borderRadius": "50%", "background": "none"}),
                     html.Span("beantragt (offen und bewilligt)", className="legend-label")], className="legend-row"),
        ], className="legend-rows list-unstyled mb-0"),
        html.Div("Kreisfläche proportional zum Betrag; bei mehreren Zielräumen je Raum zu gleichen Teilen.",
                 className="legend-hint"),
    ])


def spread_table(rows: list[dict], first: str, table_id: str) -> html.Div:
    head = html.Thead(html.Tr([html.Th(first), html.Th("Mittel", className="text-end"),
                               html.Th("Anteil Mittel", className="text-end"),
                               html.Th("Anteil Bedarf", className="text-end"),
                               html.Th("Einw. mit Bedarf", className="text-end"),
                               html.Th("€ je Einw. mit Bedarf", className="text-end")]))
    body = html.Tbody([html.Tr([
        html.Td(r["name"]), html.Td(r["amount"], className="text-end"),
        html.Td(r["share_funds"], className="text-end" + (" fw-semibold text-danger-emphasis" if r["over"] else ""),
                title="mehr Mittel als Anteil am Bedarf" if r["over"] else None),
        html.Td(r["share_need"], className="text-end"), html.Td(r["residents"], className="text-end"),
        html.Td(r["per_resident"], className="text-end"),
    ]) for r in rows])
    return html.Div(dbc.Table([head, body], size="sm", hover=True, className="mb-0 spread-table"),
                    id=table_id, className="table-responsive")


def spread_children(result: FundingResult | None, spread=None) -> tuple[list, list]:
    if result is None:
        return [], []
    s = spread or result.spread
    return (spread_rows(s.municipalities, "name"), spread_rows(s.associations, "association"))


REPORT_TITLE = ("Kurzbericht für den Ausschuss mit Jahr, Filtern und Haken dieser Seite: Kennzahlen, Rangliste, "
                "Streuung, Karte, Verfahren (intern)")


def report_panel() -> html.Div:
    """Shown while the short report builds in the background (as the atlas's deck panel)."""
    return html.Div([
        html.Div("Kurzbericht wird erstellt …", id=ids.FUNDING_REPORT_STATUS, className="small mb-1", role="status"),
        dbc.Progress(id=ids.FUNDING_REPORT_PROGRESS, value=0, max=100, label="", className="mb-2",
                     style={"height": "1.2rem"}),
        dbc.Button("Abbrechen", id=ids.FUNDING_REPORT_CANCEL, size="sm", color="secondary", outline=True),
        dcc.Download(id=ids.FUNDING_REPORT_DOWNLOAD),
    ], id=ids.FUNDING_REPORT_PANEL, className="deck-panel shadow border rounded bg-white p-2", style={"display": "none"})


def layout(prepared: Prepared, path: str = PATH, query: str = "", with_data: bool = True) -> html.Div:
    """The page; ``with_data=False``: every component, no application data (the validation layout)."""
    published = prepared.published
    years = funding_years(published) if with_data else ()
    result = cached_evaluation(published, years[-1]) if years else None
    view = need_view(result.basis, prepared.geometry) if result else None
    notice = None
    if result is None:
        notice = dbc.Alert("Dieses Datenpaket enthält keine Anträge (antraege.csv oder antraege.xlsx).",
                           color="secondary", className="my-3")
    munis, assocs = spread_children(result)
    map_block: list = []
    if view is not None:
        leaflet = leaflet_map(ids.FUNDING_MAP, ids.FUNDING_MAP_LAYER, ids.FUNDING_MAP_BORDERS, prepared.geometry, view,
                              published.symbol, prepared.geometry.bounds, prepared.tile_url)
        leaflet.children.append(dl.LayerGroup(circle_layer(result, prepared), id=ids.FUNDING_CIRCLES))
        for layer in leaflet.children:
            if getattr(layer, "id", None) == ids.FUNDING_MAP_LAYER:
                layer.hideout = {**layer.hideout, "texts": need_texts(result.basis, prepared.geometry)}
        map_block = [leaflet]
    else:
        empty = {"type": "FeatureCollection", "features": []}
        map_block = [dl.MapContainer([dl.GeoJSON(id=ids.FUNDING_MAP_LAYER, data=empty),
                                      dl.LayerGroup([], id=ids.FUNDING_CIRCLES)], id=ids.FUNDING_MAP,
                                     style={"display": "none"})]
    intro = html.Div([
        dbc.Badge("Intern", color="danger", className="me-2"),
        html.Span("Arbeitsunterlage mit Angaben zu Antragstellern – nicht für eine öffentliche Bereitstellung. "
                  "Punkte und Begründungen: Zeiger auf eine Zelle; Haken = als bewilligt angenommen.",
                  className="small"),
    ], className="mb-2")
    main = html.Main([
        intro,
        notice,
        html.Div([
            html.Span(summary_text(result.spread, result.year, result.config.period_years) if result else "",
                      id=ids.FUNDING_SUMMARY, className="fw-semibold", role="status"),
            html.Div([
                dbc.Button("Zurücksetzen", id=ids.FUNDING_RESET, size="sm", color="secondary", outline=True,
                           className="me-2", title="Haken wieder auf die bewilligten Anträge setzen"),
                dbc.Button("XLSX für den Ausschuss", id=ids.FUNDING_XLSX, size="sm", color="primary",
                           className="me-2", title="Rangliste mit Punkten und Begründungen, Streuungstabellen, Quelle"),
                dbc.Button("Kurzbericht (PPTX)", id=ids.FUNDING_REPORT_PPTX, size="sm", color="primary", outline=True,
                           className="me-2", n_clicks=0, title=REPORT_TITLE),
                dbc.Button("Kurzbericht (PDF)", id=ids.FUNDING_REPORT_PDF, size="sm", color="primary", outline=True,
                           n_clicks=0, title=REPORT_TITLE),
            ], className="d-flex flex-wrap flex-shrink-0 gap-1"),
        ], className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2"),
        dbc.Card([dbc.CardHeader(html.H2("Anträge nach Bedarf", className="h6 mb-0")),
                  dbc.CardBody(grid(result), className="p-2")], className="mb-3"),
        dbc.Row([
            dbc.Col(dbc.Card([
                dbc.CardHeader(html.H2("Mittel über dem Gestaltungsbedarf", className="h6 mb-0")),
                dbc.CardBody(html.Div([
                    html.Div(map_block, className="funding-map-wrap flex-grow-1"),
                    html.Div([*(legend(view) if view else []), funds_legend()], id=ids.FUNDING_LEGEND,
                             className="map-legend funding-legend"),
                ], className="d-flex flex-column flex-md-row gap-2"), className="p-2"),
            ], className="h-100"), xxl=6, className="mb-3"),
            dbc.Col([
                dbc.Card([dbc.CardHeader(html.H2("Streuung nach Kommunen", className="h6 mb-0")),
                          dbc.CardBody(spread_table(munis, "Kommune", ids.FUNDING_SPREAD_MUNI), className="p-2")],
                         className="mb-3"),
                dbc.Card([dbc.CardHeader(html.H2("Streuung nach Wohlfahrtsverbänden", className="h6 mb-0")),
                          dbc.CardBody(spread_table(assocs, "Verband", ids.FUNDING_SPREAD_ASSOC), className="p-2")]),
            ], xxl=6, className="mb-3"),
        ], className="g-3"),
    ], id="main", tabIndex="-1", className="atlas-main")
    return html.Div([
        dcc.Store(id=ids.FUNDING_TICKED, data={"year": result.year if result else None,
                                               "ids": year_default_ids(result)}),
        dcc.Download(id=ids.FUNDING_DOWNLOAD),
        report_panel(),
        dcc.Store(id=ids.FUNDING_BOUNDS, data=leaflet_bounds(prepared.geometry.bounds)),
        html.A("Zum Inhalt springen", href="#main", className="visually-hidden-focusable skip-link"),
        header(published, PATH),
        html.Div([*drawer(filter_panel(prepared, result, years)), main], className="atlas-layout"),
    ], id=ids.PAGE, className="page page-funding")

