"""The indices page (``/indizes?year=``): a class map per index, the status × dynamics matrix and the
Gestaltungsbedarfe overview (a map per field, counts per field and municipality, the list)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.formatting import format_number
from dashboard.indexview import index_view, need_view
from dashboard.indices import class_matrix, need_counts
from dashboard.links import INDICES_PATH, indices_href, municipality_href, profile_href
from dashboard.prepared import Prepared
from dashboard.profile import indices_and_needs, profile_year
from dashboard.texts import HIDDEN_TEXT
from layouts import ids
from layouts.common import header
from layouts.municipality import small_figure, small_map
from layouts.profile import query_value, year_links

PATH = INDICES_PATH


_FIGURES: dict[tuple[int, str, int], tuple[Prepared, dict]] = {}


def _small_map(prepared: Prepared, view) -> dbc.Col:
    """A small multiple; its figure is built once per map and year (the page is fast on reload)."""
    key = (id(prepared), view.indicator_id, view.year)
    hit = _FIGURES.get(key)
    if hit is None or hit[0] is not prepared:
        if len(_FIGURES) > 400:
            _FIGURES.clear()
        hit = _FIGURES[key] = (prepared, small_figure(prepared.geometry, view, prepared.published.symbol))
    return small_map(prepared.geometry, view, prepared.published.symbol, hit[1])


def _matrix(prepared: Prepared, indices: dict, year: int) -> html.Section | None:
    """Status × dynamics: the first classified level index against the first classified change index."""
    specs = prepared.published.indices
    status = next((s for s in specs if s.has_classes and s.change is None), None)
    dynamics = next((s for s in specs if s.has_classes and s.change is not None), None)
    if status is None or dynamics is None:
        return None
    m = class_matrix(indices[status.index_id], indices[dynamics.index_id], status, dynamics)
    head = html.Thead(html.Tr([html.Th(f"{m.row_name} \\ {m.column_name}"),
                               *[html.Th(c, className="text-end") for c in m.columns],
                               html.Th("Summe", className="text-end")]))
    body = [html.Tr([html.Th(r, scope="row"), *[html.Td(format_number(int(m.counts.loc[r, c]), 0),
                                                         className=f"text-end matrix-cell matrix-{i}-{j}")
                                                 for j, c in enumerate(m.columns)],
                     html.Td(format_number(int(m.counts.loc[r].sum()), 0), className="text-end fw-semibold")])
            for i, r in enumerate(m.rows)]
    note = (f"{format_number(m.unclassified, 0)} Sozialräume ohne Klasse in einem der beiden Indizes "
            f"({prepared.published.symbol} Datenschutz oder keine Daten)." if m.unclassified else "")
    return html.Section([
        html.H2(f"Matrix {m.row_name} × {m.column_name} {year}", className="h5"),
        html.P("Anzahl Sozialräume je Kombination der Klassen.", className="small text-body-secondary"),
        html.Div(html.Table([head, html.Tbody(body)], className="table table-sm profile-table matrix-table"),
                 className="table-responsive", id=ids.INDICES_MATRIX),
        html.P(note, className="small"),
    ], className="profile-section")


def _needs(prepared: Prepared, needs: dict, year: int) -> html.Section:
    published = prepared.published
    if not published.needs:
        return html.Section([html.H2("Gestaltungsbedarfe", className="h5"),
                             html.P("Das Datenpaket erklärt keine Gestaltungsbedarfe.")], className="profile-section")
    counts = need_counts(published, needs)
    rules = list(published.needs)
    head = html.Thead(html.Tr([html.Th("Kommune"), *[html.Th(r.name, className="text-end") for r in rules],
                               html.Th("mind. ein Feld", className="text-end"),
                               html.Th("Sozialräume", className="text-end")]))
    body = []
    for unit, row in counts.iterrows():
        region = unit == "__region__"
        name = html.Th(row["name"] if region else html.A(row["name"], href=municipality_href(str(unit))), scope="row")
        body.append(html.Tr([name, *[html.Td(format_number(int(row[r.need_id]), 0), className="text-end")
                                     for r in rules],
                             html.Td(format_number(int(row["any"]), 0), className="text-end fw-semibold"),
                             html.Td(format_number(int(row["areas"]), 0), className="text-end")],
                            className="row-reference fw-semibold" if region else None))
    names = dict(zip(prepared.geometry.area_ids, prepared.area_names, strict=True))
    munis = dict(zip(prepared.geometry.area_ids, prepared.municipality_names, strict=True))
    lists = []
    for rule in rules:
        frame = needs[rule.need_id]
        flagged = [a for a in frame.index[frame["state"] == "yes"] if a in names]
        flagged.sort(key=lambda a: (munis[a], names[a]))
        unknown = int((frame["state"] == "hidden").sum())
        lists.append(html.Details([
            html.Summary(f"{rule.name}: {len(flagged)} Sozialräume"),
            html.P(f"Regel: {rule.text}", className="small text-body-secondary mb-1"),
            html.P(f"{unknown} Sozialräume nicht entscheidbar ({published.symbol} {HIDDEN_TEXT}).",
                   className="small mb-1") if unknown else None,
            html.Ul([html.Li([html.A(names[a], href=profile_href(a, f"?year={year}")), f" ({munis[a]}): ",
                              html.Span("; ".join(frame.loc[a, "fired"]), className="text-body-secondary")])
                     for a in flagged], className="small need-list"),
        ], className="mb-2 need-details", open=False))
    region_row = counts.loc["__region__"]
    summary = ", ".join(f"{r.name} {int(region_row[r.need_id])}" for r in rules)
    return html.Section([
        html.H2(f"Gestaltungsbedarfe {year}", className="h5"),
        html.P(f"In {int(region_row['any'])} von {int(region_row['areas'])} Sozialräumen mindestens ein Feld "
               f"({summary}).", className="need-summary"),
        html.Div(html.Table([head, html.Tbody(body)], className="table table-sm profile-table need-table"),
                 className="table-responsive", id=ids.INDICES_NEEDS),
        dbc.Row([_small_map(prepared, need_view(prepared, r.name, r.need_id, needs[r.need_id], year)) for r in rules],
                className="g-3"),
        html.Div(lists),
    ], className="profile-section")


def layout(prepared: Prepared, path: str, query: str) -> html.Div:
    return _build(prepared, profile_year(prepared, query_value(query, "year")))


def _build(prepared: Prepared, year: int) -> html.Div:
    published = prepared.published
    indices, needs = indices_and_needs(published, year)
    index_maps = [_small_map(prepared, index_view(prepared, spec, indices[spec.index_id], year))
                  for spec in published.indices]
    matrix = _matrix(prepared, indices, year)
    main = html.Main([
        html.H1(f"Indizes und Gestaltungsbedarfe {year}", className="h3 mb-1"),
        html.P("Zusammengesetzte Indizes aus veröffentlichten Werten; ein Sozialraum mit einem Wert unter "
               f"Datenschutz erhält keinen Index ({published.symbol}), wenn das Datenpaket es nicht erlaubt.",
               className="text-body-secondary small"),
        year_links(tuple(published.years), year, indices_href),
        html.Section([
            html.H2(f"Indizes {year}", className="h5 mt-3"),
            dbc.Row(index_maps, className="g-3") if index_maps else html.P("Das Datenpaket erklärt keine Indizes."),
            html.Ul([html.Li([html.Strong(s.name), f": {s.description}" if s.description else "",
                              f" ({len(s.indicators)} Indikatoren"
                              + (f", Veränderung über {s.change} Jahre" if s.change else "") + ")"])
                     for s in published.indices], className="small"),
        ], className="profile-section"),
        matrix,
        _needs(prepared, needs, year),
    ], id="main", className="profile-main container-xl py-3")
    return html.Div([header(published, PATH, filter_button=False), main], id=ids.PAGE, className="page page-indices")
