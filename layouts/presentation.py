"""Presentation mode (``/praesentation``): the map full screen for a projector.

Large title and legend, a QR code of the view's permalink for the audience's phones, a key hint
with buttons (←/→ indicator, ↑/↓ year, space plays the years, Esc back to the atlas with the
same view). Keys are read by ``assets/presentation.js``, which clicks the buttons; each step
sends only the map's ``hideout``. Nothing here loads from another host.
"""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
import flask
from dash import dcc, html

from dashboard.links import PRESENTATION_PATH, atlas_href
from dashboard.mapview import MapView, map_views
from dashboard.prepared import Prepared
from dashboard.presentation import permalink, presentation_state, qr_svg
from dashboard.state import ViewState
from layouts import ids
from layouts.atlas_map import leaflet_bounds, leaflet_map, legend

PATH = PRESENTATION_PATH
#: One year per this many milliseconds when playing.
PLAY_INTERVAL_MS = 1600


def public_base(prepared: Prepared) -> str:
    """Where the audience's phones reach the app: ``--public-url`` / bundle.toml, else this host."""
    configured = prepared.published.config.public_url
    if configured:
        return configured
    if flask.has_request_context():
        return flask.request.host_url
    return ""


def main_view(prepared: Prepared, state: ViewState) -> MapView:
    return map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                     dict(prepared.matrices))[0]


def _key(label: str, keys: str, id_: str) -> html.Button:
    return html.Button([html.Kbd(keys), html.Span(label, className="ms-1")], id=id_, n_clicks=0, type="button",
                       className="btn btn-sm btn-light pres-key", title=f"{label} ({keys})")


def layout(prepared: Prepared, state: ViewState, search: str = "") -> html.Div:
    state = presentation_state(state)
    view = main_view(prepared, state)
    published = prepared.published
    base = public_base(prepared)
    link = permalink(base, state)
    box = prepared.geometry.bounds_of(state.municipalities)
    the_map = leaflet_map(ids.PRES_MAP, ids.PRES_LAYER, ids.PRES_BORDERS, prepared.geometry, view,
                          published.symbol, box, prepared.tile_url)
    the_map.keyboard = False  # the arrow keys step through indicators and years, not pan the map
    the_map.zoomControl = False
    badge = dbc.Badge("Demodaten", color="warning", text_color="dark", className="ms-3 align-middle") \
        if published.config.synthetic else None
    return html.Div([
        dcc.Location(id=ids.PRES_URL, refresh=False, search=search),
        dcc.Store(id=ids.PRES_STATE, data=state.to_dict()),
        dcc.Store(id=ids.PRES_BASE, data=base),
        dcc.Interval(id=ids.PRES_TIMER, interval=PLAY_INTERVAL_MS, disabled=True, n_intervals=0),
        html.Header([
            html.H1([html.Span(view.title, id=ids.PRES_TITLE), badge], className="pres-title"),
            html.Div(view.subtitle, id=ids.PRES_SUBTITLE, className="pres-subtitle"),
        ], className="pres-header"),
        html.Div([
            html.Div(the_map, className="pres-map"),
            html.Aside([
                html.Div(legend(view), id=ids.PRES_LEGEND, className="map-legend pres-legend", role="group",
                         **{"aria-label": "Legende"}),
                html.Figure([
                    html.Img(src=qr_svg(link), id=ids.PRES_QR, alt=f"QR-Code: {link}", className="pres-qr-img"),
                    html.Figcaption(["Diese Ansicht auf dem Handy: ",
                                     html.Span(link, id=ids.PRES_QR_LINK, className="pres-qr-link")]),
                ], className="pres-qr"),
            ], className="pres-side"),
        ], className="pres-body"),
        html.Footer([
            html.Div([
                _key("Indikator zurück", "←", ids.PRES_PREV_INDICATOR),
                _key("Indikator vor", "→", ids.PRES_NEXT_INDICATOR),
                _key("Jahr später", "↑", ids.PRES_NEXT_YEAR),
                _key("Jahr früher", "↓", ids.PRES_PREV_YEAR),
                _key("Jahre abspielen", "Leertaste", ids.PRES_PLAY),
                html.A([html.Kbd("Esc"), html.Span("zurück zum Atlas", className="ms-1")], id=ids.PRES_EXIT,
                       href=atlas_href(state.to_query()), className="btn btn-sm btn-light pres-key"),
            ], className="pres-keys", role="toolbar", **{"aria-label": "Tasten der Präsentation"}),
            html.Div(view.short_caption, id=ids.PRES_CAPTION, className="pres-caption"),
        ], className="pres-footer"),
    ], id=ids.PRES_PAGE, className="page page-presentation", tabIndex="-1",
        **{"data-bounds": json.dumps(leaflet_bounds(box))})
