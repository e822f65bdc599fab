"""The Sozialraumprofil page (``/profil/<area_id>?year=``), built server-side from path and query.

Everything on it comes from ``dashboard.profile.area_profile``; the page needs no callback but the
print button. Downloads are plain links to the app's file routes (callbacks/profile.py).
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, unquote

import dash_bootstrap_components as dbc
from dash import html

from dashboard.links import (
    PROFILE_PREFIX,
    atlas_href,
    indices_href,
    municipality_href,
    profile_file_href,
    profile_href,
)
from dashboard.prepared import Prepared
from dashboard.profile import AreaProfile, Shown, area_profile, locator_view, profile_year
from dashboard.sparkline import data_uri, sparkline_svg
from dashboard.state import ViewState
from dashboard.texts import HIDDEN_TEXT, years_text
from layouts import ids
from layouts.atlas_map import leaflet_map
from layouts.common import header
from layouts.export_menu import profile_export_menu

PATH = PROFILE_PREFIX


def query_value(query: str, key: str) -> str:
    """One parameter of ``?a=b`` (empty when absent); never raises."""
    try:
        return (parse_qs((query or "").lstrip("?")).get(key) or [""])[0]
    except (TypeError, ValueError):
        return ""


def key_from_path(path: str, prefix: str) -> str:
    return unquote(path[len(prefix):].strip("/")) if path.startswith(prefix) else ""


def fitted_view(box: tuple[float, float, float, float], width: int = 340, height: int = 280) -> tuple[list, float]:
    """Centre and zoom that fit ``box`` into a small map of about ``width`` × ``height`` px
    (the initial view; Leaflet's own fit needs the map's size, which a fresh page may not know)."""
    west, south, east, north = box

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (256 * max(east - west, 1e-6)))
    zoom_y = math.log2(height * 2 * math.pi / (256 * max(merc(north) - merc(south), 1e-9)))
    zoom = math.floor(min(zoom_x, zoom_y) * 4) / 4
    return [(south + north) / 2, (west + east) / 2], max(1.0, min(zoom, 16.0))


def value_cell(s: Shown, **kwargs: object) -> html.Td:
    """A table cell; a hidden value is the symbol with its explanation as tooltip."""
    if s.hidden:
        return html.Td(s.text, title=HIDDEN_TEXT, className="text-end hidden-cell", **kwargs)
    return html.Td(s.text, className="text-end", **kwargs)


def year_links(years: tuple[int, ...], current: int, href) -> html.Nav:
    return html.Nav([html.Span("Jahr:", className="me-2 small fw-semibold")] + [
        html.A(str(y), href=href(y), className="year-link" + (" active" if y == current else ""),
               **({"aria-current": "page"} if y == current else {}))
        for y in years], className="year-links no-print d-flex flex-wrap align-items-center gap-1",
        **{"aria-label": "Jahr wählen"})


def file_buttons(print_id: str, pdf_id: str, xlsx_id: str, pdf_href: str, xlsx_href: str) -> html.Div:
    return html.Div([
        html.Button("Drucken", id=print_id, type="button", n_clicks=0,
                    className="btn btn-outline-secondary btn-sm me-1"),
        html.A("PDF", id=pdf_id, href=pdf_href, className="btn btn-outline-secondary btn-sm me-1",
               title="Profil als PDF (A4) herunterladen"),
        html.A("XLSX", id=xlsx_id, href=xlsx_href, className="btn btn-outline-secondary btn-sm",
               title="Profil als Excel-Arbeitsmappe herunterladen"),
    ], className="no-print d-flex flex-shrink-0")


def _facts(profile: AreaProfile) -> html.Dl:
    items = [("Kommune", html.A(profile.municipality, href=municipality_href(profile.municipality_id))),
             ("Region", profile.region), ("Sozialraum-ID", profile.area_id),
             (f"Einwohner {profile.year}", profile.population.text), ("Verlauf", years_text(profile.years))]
    return html.Dl([part for term, value in items for part in (html.Dt(term), html.Dd(value))],
                   className="profile-facts")


def _indices_card(profile: AreaProfile) -> html.Section:
    if not profile.indices:
        body: list = [html.P("Das Datenpaket erklärt keine Indizes.", className="small mb-0")]
    else:
        rows = [html.Tr([html.Th(r.name, scope="row"), value_cell(r.value),
                         html.Td(r.class_label, title=HIDDEN_TEXT if r.value.hidden else None),
                         html.Td(r.rank_text, className="text-end"), html.Td(r.note, className="small")])
                for r in profile.indices]
        body = [html.Table([html.Thead(html.Tr([html.Th("Index"), html.Th("Wert", className="text-end"),
                                                html.Th("Klasse"), html.Th("Rang", className="text-end"),
                                                html.Th("Hinweis")])), html.Tbody(rows)],
                           className="table table-sm profile-table mb-0")]
    return html.Section([html.H2("Indizes", className="h5"), *body], className="profile-section")


def _needs_card(profile: AreaProfile) -> html.Section:
    if not profile.needs:
        return html.Section([html.H2("Gestaltungsbedarfe", className="h5"),
                             html.P("Das Datenpaket erklärt keine Gestaltungsbedarfe.", className="small")],
                            className="profile-section")
    items = []
    for r in profile.needs:
        badge_colour = {"yes": "danger", "no": "secondary"}.get(r.state, "light")
        items.append(html.Li([
            html.Div([html.Strong(r.name), dbc.Badge(r.state_text, color=badge_colour,
                                                     text_color="dark" if badge_colour == "light" else None,
                                                     className="ms-2",
                                                     title=HIDDEN_TEXT if r.state == "hidden" else None)]),
            html.Ul([html.Li(t) for t in r.fired], className="small mb-1 need-fired") if r.fired else None,
            html.Div(f"Regel: {r.rule_text}", className="small text-body-secondary"),
        ], className="mb-2"))
    return html.Section([html.H2("Gestaltungsbedarfe", className="h5"),
                         html.Ul(items, className="list-unstyled mb-0")], className="profile-section")


def _theme_table(profile: AreaProfile, block) -> html.Section:
    head = html.Thead(html.Tr([html.Th("Indikator"), html.Th("Sozialraum", className="text-end"),
                               html.Th("Kommune", className="text-end"), html.Th("Region", className="text-end"),
                               html.Th("Rang", className="text-end"), html.Th("Klasse"),
                               html.Th(f"Verlauf {years_text(profile.years)}")]))
    rows = []
    for r in block.rows:
        shown_years = [y for y, s in r.series if s.value is not None]
        label = (f"Verlauf {r.name}: " + ", ".join(f"{y} {s.text}" for y, s in r.series)) if shown_years else \
            f"Verlauf {r.name}: keine veröffentlichten Werte"
        rows.append(html.Tr([
            html.Th(r.label, scope="row", className="fw-normal"),
            value_cell(r.area, style={"fontWeight": 600}), value_cell(r.municipality), value_cell(r.region),
            html.Td(r.rank_text, className="text-end", title=HIDDEN_TEXT if r.area.hidden else None),
            html.Td(r.class_text, className="small", title=HIDDEN_TEXT if r.area.hidden else None),
            html.Td(html.Img(src=data_uri(sparkline_svg([(y, s.value) for y, s in r.series], label)), alt=label,
                             width=120, height=28, className="sparkline")),
        ]))
    return html.Section([html.H2(block.theme, className="h5"),
                         html.Div(html.Table([head, html.Tbody(rows)], className="table table-sm profile-table"),
                                  className="table-responsive")],
                        className="profile-section profile-theme")


def page(prepared: Prepared, profile: AreaProfile) -> html.Div:
    geometry = prepared.geometry
    view = locator_view(prepared, profile.area_id, profile.municipality_id)
    locator = leaflet_map(ids.PROFILE_MAP, ids.PROFILE_MAP_LAYER, ids.PROFILE_MAP_BORDERS, geometry, view,
                          profile.symbol, geometry.bounds_of((profile.municipality_id,)))
    for child in locator.children:
        if getattr(child, "id", None) == ids.PROFILE_MAP_LAYER:
            child.onEachFeature = None  # no tooltips: the locator shows where, not values
    locator.className = "atlas-map profile-locator"
    locator.center, locator.zoom = fitted_view(geometry.bounds_of((profile.municipality_id,)))
    atlas_state = ViewState(indicator=prepared.choices.default_indicator, year=profile.year,
                            areas=(profile.area_id,))
    title = html.Div([
        html.Div([
            html.Nav([html.A("Atlas", href=atlas_href(atlas_state.to_query())), " › ",
                      html.A(profile.municipality, href=municipality_href(profile.municipality_id)), " › ",
                      html.Span("Sozialraumprofil")], className="small no-print", **{"aria-label": "Pfad"}),
            html.H1(f"Sozialraumprofil {profile.name}", className="h3 mb-1"),
            html.Div(f"{profile.municipality} · Datenstand {profile.year}", className="text-body-secondary"),
        ], className="min-w-0"),
        html.Div([
            file_buttons(ids.PROFILE_PRINT, ids.PROFILE_PDF, ids.PROFILE_XLSX,
                         profile_file_href(profile.area_id, "pdf", profile.year),
                         profile_file_href(profile.area_id, "xlsx", profile.year)),
            profile_export_menu(profile.area_id, profile.year, [t.theme for t in profile.themes if t.rows],
                                profile.name),
        ], className="no-print d-flex flex-shrink-0 align-items-start"),
    ], className="d-flex justify-content-between align-items-start gap-2 flex-wrap mb-2")
    note = f"{profile.symbol} = {HIDDEN_TEXT}; – = keine Daten. Rang 1 = höchster Bedarf unter allen Sozialräumen; " \
           "Klasse wie im Atlas (Quantile, 5 Klassen; Anzahlen als Dichte je km²)."
    main = html.Main([
        title,
        year_links(profile.years, profile.year, lambda y: profile_href(profile.area_id, f"?year={y}")),
        dbc.Row([
            dbc.Col(_facts(profile), md=6, className="mb-2"),
            dbc.Col(html.Div(locator, className="profile-locator-frame",
                             **{"aria-label": f"Lage von {profile.name} in {profile.municipality}"}), md=6,
                    className="mb-2"),
        ], className="g-3 mt-1 profile-head"),
        dbc.Row([dbc.Col(_indices_card(profile), lg=6), dbc.Col(_needs_card(profile), lg=6)], className="g-3"),
        html.P(note, className="small text-body-secondary mt-2"),
        *[_theme_table(profile, block) for block in profile.themes],
        html.P([html.A("Indizes und Gestaltungsbedarfe aller Sozialräume", href=indices_href(profile.year))],
               className="small no-print"),
        html.Footer(" · ".join(p for p in (profile.attribution, "Synthetische Demodaten – nicht für Entscheidungen "
                                            "verwenden." if profile.synthetic else "") if p),
                    className="small text-body-secondary border-top pt-2 mt-3"),
    ], id="main", className="profile-main container-xl py-3")
    return html.Div([header(prepared.published, PATH, filter_button=False), main], id=ids.PAGE,
                    className="page page-profile")


def not_found(prepared: Prepared, text: str) -> html.Div:
    return html.Div([
        header(prepared.published, PATH, filter_button=False),
        html.Main([html.H1("Nicht gefunden", className="h4"), html.P(text),
                   html.A("Zum Atlas", href=atlas_href())], id=ids.NOT_FOUND, className="container-xl py-4"),
    ], id=ids.PAGE, className="page page-profile")


def layout(prepared: Prepared, path: str, query: str) -> html.Div:
    area_id = key_from_path(path, PROFILE_PREFIX)
    if area_id not in prepared.choices.areas:
        return not_found(prepared, f"Einen Sozialraum mit der ID „{area_id[:80]}“ gibt es in diesem Datenpaket nicht.")
    return page(prepared, area_profile(prepared, area_id, profile_year(prepared, query_value(query, "year"))))


def selection_links(prepared: Prepared, area_ids: tuple[str, ...], year: int) -> list:
    """The atlas' selection note with a visible "Profil öffnen" link per selected area (at most 3)."""
    from dashboard.texts import selection_note

    text = selection_note(len(area_ids))
    if not area_ids:
        return [text]
    picked = [a for a in area_ids if a in prepared.choices.areas][-3:]
    if len(picked) == 1:
        links: list = [html.A("Profil öffnen", href=profile_href(picked[0], f"?year={year}"), id=ids.PROFILE_LINK,
                              className="ms-1 fw-semibold", title=f"Sozialraumprofil {prepared.area_name(picked[0])}")]
    else:
        links = []
        for a in picked:
            links += [" ", html.A(f"Profil {prepared.area_name(a)}", href=profile_href(a, f"?year={year}"),
                                  className="ms-1")]
    return [text, " ·", *links]
