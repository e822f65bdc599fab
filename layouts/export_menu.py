"""The "Export" menu of a view (PNG, SVG, PDF and the deck) and the deck's progress panel.

Image items are plain links to ``/export/<view>.<fmt>?<view query>`` (served by
``callbacks.exports``), so a download never blocks the page; the deck is built by a background
callback that reports its progress here.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.links import PRESENTATION_PATH, PROFILE_IMAGE_VIEW, profile_image_query
from layouts import ids

IMAGE_ITEMS = (("png", "Bild (PNG, 1920 × 1080)"), ("svg", "Vektorgrafik (SVG)"), ("pdf", "PDF (Vektor)"))


def export_href(view: str, fmt: str, search: str) -> str:
    return dash.get_relative_path(f"/export/{view}.{fmt}") + (search if search.startswith("?") else "")


def export_menu(menu_id: str, view: str, search: str, deck_id: str | None = None, label: str = "Export") -> dbc.DropdownMenu:
    """A small dropdown with the view's image formats and (optionally) the whole deck."""
    items: list = [dbc.DropdownMenuItem(text, id=ids.export_link(view, fmt), href=export_href(view, fmt, search),
                                        external_link=True) for fmt, text in IMAGE_ITEMS]
    if deck_id:
        items += [dbc.DropdownMenuItem(divider=True),
                  dbc.DropdownMenuItem("Foliensatz (PPTX)", id=deck_id, n_clicks=0)]
    if deck_id == ids.DECK_MAP:  # the map's menu also opens the view on the projector
        items.append(dbc.DropdownMenuItem("Präsentationsmodus (Beamer)", id=ids.PRESENT_LINK,
                                          href=dash.get_relative_path(PRESENTATION_PATH) + search, external_link=True))
    return dbc.DropdownMenu(items, id=menu_id, label=label, size="sm", color="light",
                            align_end=True, className="export-menu", toggle_class_name="border",
                            toggle_style={"whiteSpace": "nowrap"})


def profile_export_menu(area_id: str, year: int, themes: tuple[str, ...] | list[str], area_name: str) -> dbc.DropdownMenu:
    """The profile page's menu: the profile as a slide image (PNG, SVG, PDF), one row per theme
    (a slide holds one theme's indicators beside the locator, indices and Gestaltungsbedarfe)."""
    items: list = [dbc.DropdownMenuItem("Profilbild (Folie 16:9) je Thema", header=True)]
    for k, theme in enumerate(themes):
        query = profile_image_query(area_id, year, theme)
        links = [html.A(fmt.upper(), id=ids.profile_export_link(k, fmt),
                        href=export_href(PROFILE_IMAGE_VIEW, fmt, query), className="profile-export-link",
                        title=f"Sozialraumprofil {area_name}, Thema {theme}, als {fmt.upper()}",
                        **{"aria-label": f"Thema {theme} als {fmt.upper()}"})
                 for fmt, _text in IMAGE_ITEMS]
        items.append(html.Div([html.Span(theme, className="profile-export-theme"),
                               html.Span(links, className="profile-export-formats")],
                              className="dropdown-item-text profile-export-row"))
    return dbc.DropdownMenu(items, id=ids.EXPORT_MENU_PROFILE, label="Export", size="sm", color="light",
                            align_end=True, className="export-menu ms-1", toggle_class_name="border",
                            toggle_style={"whiteSpace": "nowrap"})


def deck_panel() -> html.Div:
    """A fixed panel at the bottom right, shown while the deck builds (the page stays usable)."""
    return html.Div([
        html.Div("Foliensatz wird erstellt …", id=ids.DECK_STATUS, className="small mb-1", role="status"),
        dbc.Progress(id=ids.DECK_PROGRESS, value=0, max=100, label="", className="mb-2", style={"height": "1.2rem"}),
        dbc.Button("Abbrechen", id=ids.DECK_CANCEL, size="sm", color="secondary", outline=True),
        dcc.Download(id=ids.DECK_DOWNLOAD),
    ], id=ids.DECK_PANEL, className="deck-panel shadow border rounded bg-white p-2", style={"display": "none"})
