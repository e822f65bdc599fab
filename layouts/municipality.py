"""The Kommunenprofil page (``/kommune/<id>?theme=&year=``): all Sozialräume of a municipality for one
theme, as a table (with the municipality and the region) and as small-multiple vector maps."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.canvas import Canvas
from dashboard.charts.map_chart import map_figure
from dashboard.charts.municipality_chart import municipality_geometry, restrict_view
from dashboard.geometry import PreparedGeometry
from dashboard.links import (
    MUNICIPALITY_IMAGE_VIEW,
    MUNICIPALITY_PREFIX,
    indices_href,
    municipality_file_href,
    municipality_href,
    municipality_image_query,
    profile_href,
)
from dashboard.mapview import MapView
from dashboard.prepared import Prepared
from dashboard.profile import municipality_profile, municipality_theme, municipality_views, profile_year
from dashboard.texts import HIDDEN_TEXT
from layouts import ids
from layouts.atlas_map import legend
from layouts.common import header
from layouts.export_menu import export_menu
from layouts.profile import file_buttons, key_from_path, not_found, query_value, value_cell, year_links

PATH = MUNICIPALITY_PREFIX
#: A small map on screen and in print: three side by side on a wide screen, one on a phone.
SMALL = Canvas("small-multiple", "klein", 520, 430, 15, 11, 9, 80)


def small_figure(geometry: PreparedGeometry, view: MapView, symbol: str) -> dict:
    """The vector map without its file frame (title, legend and source are HTML around it)."""
    figure = map_figure(geometry, view, (), SMALL, symbol)
    layout = figure["layout"]
    layout.update(showlegend=False, title=None, annotations=[], margin={"l": 2, "r": 2, "t": 2, "b": 2},
                  height=SMALL.height - 120, autosize=True)
    layout.pop("width", None)  # the column's width: a phone shows the whole map
    layout["xaxis"] = {k: v for k, v in layout["xaxis"].items() if k not in ("range", "domain")}
    layout["yaxis"] = {k: v for k, v in layout["yaxis"].items() if k != "range"}
    layout["xaxis"]["constrain"] = layout["yaxis"]["constrain"] = "domain"
    for trace in figure["data"]:  # 5 m steps are invisible at this size and halve the page
        for axis in ("x", "y"):
            trace[axis] = [None if v is None else int(round(v / 5) * 5) for v in trace[axis]]
    return figure


def small_map(geometry: PreparedGeometry, view: MapView, symbol: str, figure: dict | None = None) -> dbc.Col:
    """One small multiple: title, static vector map, the same HTML legend as the atlas."""
    return dbc.Col(html.Figure([
        html.Figcaption([html.H3(view.title, className="h6 mb-0"),
                         html.Div(view.subtitle, className="small text-body-secondary")]),
        dcc.Graph(figure=figure or small_figure(geometry, view, symbol), config={"staticPlot": True, "displayModeBar": False},
                  className="small-map", style={"height": f"{SMALL.height - 120}px"}, responsive=True),
        html.Div(legend(view), className="map-legend small-legend"),
    ], className="small-multiple mb-0"), sm=12, md=6, xl=4, className="mb-3 small-map-col")


def _href(municipality_id: str, theme: str, year: int) -> str:
    return municipality_href(municipality_id, "?" + urlencode({"theme": theme, "year": year}))


def layout(prepared: Prepared, path: str, query: str) -> html.Div:
    municipality_id = key_from_path(path, MUNICIPALITY_PREFIX)
    if municipality_id not in prepared.choices.municipalities:
        return not_found(prepared, f"Eine Kommune mit der ID „{municipality_id[:80]}“ gibt es in diesem Datenpaket nicht.")
    theme = municipality_theme(prepared, query_value(query, "theme"))
    year = profile_year(prepared, query_value(query, "year"))
    profile = municipality_profile(prepared, municipality_id, theme, year)
    symbol = profile.symbol
    themes = html.Nav([html.A(t, href=_href(municipality_id, t, year),
                              className="nav-link" + (" active" if t == theme else ""),
                              **({"aria-current": "page"} if t == theme else {})) for t in profile.themes],
                      className="nav nav-pills theme-links no-print mb-2", **{"aria-label": "Thema wählen"})
    head = html.Thead(html.Tr([html.Th("Sozialraum"), *[html.Th(label, className="text-end")
                                                       for _, label in profile.indicators]]))
    reference = [
        html.Tr([html.Th(f"{profile.name} (Kommune)", scope="row"), *[value_cell(s) for s in profile.municipality]],
                className="row-reference"),
        html.Tr([html.Th(f"{profile.region} (Region)", scope="row"), *[value_cell(s) for s in profile.region_values]],
                className="row-reference"),
    ]
    rows = [html.Tr([html.Th(html.A(name, href=profile_href(area_id, f"?year={year}")), scope="row",
                             className="fw-normal"), *[value_cell(s) for s in values]])
            for area_id, name, values in zip(profile.area_ids, profile.area_names, profile.values, strict=True)]
    table = html.Div(html.Table([head, html.Tbody(reference + rows)],
                                className="table table-sm profile-table municipality-table"),
                     className="table-responsive")
    geometry = municipality_geometry(prepared.geometry, profile.area_ids)
    maps = [small_map(geometry, restrict_view(prepared.geometry, view, geometry), symbol)
            for view in municipality_views(prepared, profile)]
    title = html.Div([
        html.Div([
            html.H1(f"Kommunenprofil {profile.name}", className="h3 mb-1"),
            html.Div(f"{len(profile.area_ids)} Sozialräume · {theme} · Datenstand {year}",
                     className="text-body-secondary"),
        ], className="min-w-0"),
        html.Div([
            file_buttons(ids.MUNICIPALITY_PRINT, ids.MUNICIPALITY_PDF, ids.MUNICIPALITY_XLSX,
                         municipality_file_href(municipality_id, "pdf", theme, year),
                         municipality_file_href(municipality_id, "xlsx", theme, year)),
            export_menu(ids.EXPORT_MENU_MUNICIPALITY, MUNICIPALITY_IMAGE_VIEW,
                        municipality_image_query(municipality_id, theme, year), label="Export Karten"),
        ], className="no-print d-flex flex-shrink-0 align-items-start gap-1"),
    ], className="d-flex justify-content-between align-items-start gap-2 flex-wrap mb-2")
    main = html.Main([
        title, themes,
        year_links(tuple(prepared.published.years), year, lambda y: _href(municipality_id, theme, y)),
        html.H2(f"{theme}: Sozialräume im Vergleich", className="h5 mt-3"),
        table,
        html.P(f"{symbol} = {HIDDEN_TEXT}; – = keine Daten. Ein Klick auf einen Sozialraum öffnet sein Profil.",
               className="small text-body-secondary"),
        html.H2(f"Karten: {theme} {year}", className="h5 mt-3 print-break"),
        html.P("Klassen je Karte aus den Sozialräumen der Kommune (Quantile); Anzahlen als Dichte je km².",
               className="small text-body-secondary"),
        dbc.Row(maps, id=ids.MUNICIPALITY_MAPS, className="g-3"),
        html.P(html.A("Indizes und Gestaltungsbedarfe", href=indices_href(year)), className="small no-print"),
    ], id="main", className="profile-main container-xl py-3")
    return html.Div([header(prepared.published, PATH, filter_button=False), main], id=ids.PAGE,
                    className="page page-municipality")
