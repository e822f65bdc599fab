"""The German 404 page: says what was not found and links back to the atlas."""

from __future__ import annotations

from dash import html

from dashboard.links import ATLAS_PATH
from dashboard.prepared import Prepared
from layouts import ids
from layouts.common import header


def layout(prepared: Prepared, path: str) -> html.Div:
    shown_path = path if len(path) <= 80 else path[:77] + "…"
    return html.Div([
        header(prepared.published, "", filter_button=False),
        html.Main([
            html.H2("Seite nicht gefunden", className="h4"),
            html.P(["Unter der Adresse ", html.Code(shown_path), " gibt es keine Seite."]),
            html.P(html.A("Zurück zum Atlas", href=ATLAS_PATH, className="btn btn-primary")),
        ], id="main", className="container py-4"),
    ], id=ids.NOT_FOUND, className="page page-404")
