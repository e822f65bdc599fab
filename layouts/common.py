"""The shell every page shares: a one-line header with navigation, the sources popover, the
filter drawer (a side panel on wide screens, a drawer on phones) and small form helpers."""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.links import ATLAS_PATH, FUNDING_PATH, PRESENTATION_PATH
from dashboard.publish import Published
from layouts import ids

#: German texts of the Dash 4 dropdowns (the defaults are English).
DROPDOWN_LABELS = {
    "select_all": "Alle auswählen", "deselect_all": "Alle abwählen", "selected_count": "{num_selected} ausgewählt",
    "search": "Suchen", "clear_search": "Suche leeren", "clear_selection": "Auswahl leeren",
    "no_options_found": "Keine Treffer",
}

#: (path, label) of the main navigation; pages register here as they exist.
NAVIGATION: list[tuple[str, str]] = [(ATLAS_PATH, "Atlas"), ("/indizes", "Indizes"), (PRESENTATION_PATH, "Präsentation"),
                                     (FUNDING_PATH, "Förderung")]
#: Entries shown only when the bundle has what the page needs (path -> condition on the published data).
NAVIGATION_WHEN: dict[str, Callable[[Published], bool]] = {FUNDING_PATH: lambda p: p.applications is not None}


def shown(visible: bool) -> dict:
    return {} if visible else {"display": "none"}


def label(text: str, target: str) -> dbc.Label:
    return dbc.Label(text, html_for=target, className="form-label fw-semibold mb-1")


def dropdown(id_: str, options: list, value: object, text: str, **kwargs: object) -> html.Div:
    return html.Div([
        label(text, id_),
        dcc.Dropdown(id=id_, options=options, value=value, clearable=False, labels=DROPDOWN_LABELS, **kwargs),
    ], className="mb-3")


def sources_text(published: Published) -> list:
    """The full attribution (and the demo-data note) for the popover and the footer."""
    cfg = published.config
    parts = [html.P(cfg.attribution or "Keine Quellenangabe im Datenpaket.", className="mb-2")]
    if cfg.synthetic:
        parts.append(html.P("Alle Werte sind synthetische Demodaten – nicht für Entscheidungen verwenden.",
                            className="mb-0 fw-semibold"))
    return parts


def header(published: Published, current: str, filter_button: bool = True) -> html.Header:
    """One line: title, 'Demodaten' badge, navigation, 'Quellen & Lizenzen', and on small
    screens the button that opens the filters."""
    cfg = published.config
    badge = dbc.Badge("Demodaten", color="warning", text_color="dark", className="ms-2 align-middle badge-demo",
                      title="Synthetische Werte – nicht für Entscheidungen verwenden") if cfg.synthetic else None
    nav = [html.A(text, href=path, className="nav-link px-2" + (" active fw-semibold" if path == current else ""),
                  **({"aria-current": "page"} if path == current else {})) for path, text in NAVIGATION
           if NAVIGATION_WHEN.get(path, lambda _p: True)(published)]
    buttons = [
        dbc.Button([html.Span("Quellen & Lizenzen", className="d-none d-sm-inline"),
                    html.Span("Quellen", className="d-sm-none")],
                   id=ids.SOURCES_BUTTON, color="link", size="sm", className="px-2 text-nowrap"),
        dbc.Popover([dbc.PopoverHeader("Quellen und Lizenzen"), dbc.PopoverBody(sources_text(published))],
                    target=ids.SOURCES_BUTTON, trigger="legacy", placement="bottom-end", id=ids.SOURCES_POPOVER,
                    className="sources-popover"),
    ]
    if filter_button:
        buttons.insert(0, html.Button("Filter", id=ids.FILTER_TOGGLE, type="button", n_clicks=0,
                                      className="btn btn-primary btn-sm d-lg-none me-1",
                                      **{"aria-controls": ids.FILTER_DRAWER, "aria-expanded": "false"}))
    return html.Header(
        html.Div([
            html.Div([
                html.H1([html.Span(cfg.title, className="app-title"), badge], className="h5 mb-0 text-truncate"),
                html.Span(cfg.region, className="text-body-secondary small d-none d-md-inline ms-2 text-nowrap"),
            ], className="d-flex align-items-center min-w-0 flex-grow-1"),
            html.Nav(nav, className="nav d-none d-sm-flex", **{"aria-label": "Seiten"}),
            html.Div(buttons, className="d-flex align-items-center"),
        ], className="d-flex align-items-center gap-2 px-3 py-2"),
        className="app-header border-bottom bg-white",
    )


def drawer(children: list) -> list:
    """The filter panel: a static side column at lg and wider, a drawer with backdrop below."""
    return [
        html.Aside([
            html.Div([
                html.H2("Filter", className="h6 mb-0"),
                dbc.Button("Schließen", id=ids.FILTER_CLOSE, color="secondary", outline=True, size="sm"),
            ], className="d-flex d-lg-none justify-content-between align-items-center mb-3"),
            *children,
        ], id=ids.FILTER_DRAWER, className="filter-drawer", **{"aria-label": "Filter"}),
        html.Div(id=ids.FILTER_BACKDROP, className="filter-backdrop", n_clicks=0),
    ]
