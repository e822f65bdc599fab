"""Exports in the app: the ``/export/<view>.<fmt>`` route, the menus' links, the deck in the background.

The route validates its query through ``ViewState.from_query`` (a broken link exports the default
view) and never answers with a 500: an export this view cannot give is a German 404, a renderer
failure a German 503. The deck runs as a background callback (``DiskcacheManager``) with a
progress bar, so the page never freezes while it builds.
"""

from __future__ import annotations

import io
import logging

import dash
import flask
from dash import Input, Output, State, dcc
from dash.exceptions import PreventUpdate
from flask import Flask

from callbacks.guard import MAX_TEXT, as_dict, as_int
from callbacks.jobs import background_manager
from dashboard.exports.batch import export_one
from dashboard.exports.deck import build_deck
from dashboard.exports.images import IMAGE_FORMATS, MEDIA_TYPES, VIEWS, ExportError
from dashboard.exports.profile_image import municipality_image, render_profile
from dashboard.exports.renderer import renderer
from dashboard.links import MUNICIPALITY_IMAGE_VIEW, PROFILE_IMAGE_VIEW
from dashboard.prepared import Prepared
from dashboard.state import ViewState
from layouts import ids

log = logging.getLogger(__name__)

#: <view>.<fmt> the route serves: every view as an image, the deck, the table as XLSX, the
#: Sozialraumprofil as an image (``profil``, with ``?area=ID&year=Y&theme=T`` instead of a view query)
#: and the Kommunenprofil's maps (``kommune``, with ``?municipality=ID&theme=T&year=Y``).
ROUTE_FILES = {(v, f) for v in VIEWS for f in IMAGE_FORMATS} | {("deck", "pptx"), ("table", "xlsx")} | \
    {(v, f) for v in (PROFILE_IMAGE_VIEW, MUNICIPALITY_IMAGE_VIEW) for f in IMAGE_FORMATS}
DECK_BUTTONS = (ids.DECK_MAP, ids.DECK_SERIES, ids.DECK_TABLE)


def _text(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain", content_type="text/plain; charset=utf-8")


def _query_args(query: str) -> dict[str, str]:
    """The first value of each parameter of ``a=b&c=d`` (empty for a query that does not parse)."""
    from urllib.parse import parse_qs

    try:
        return {k: v[0] for k, v in parse_qs(query.lstrip("?"), max_num_fields=50).items() if v}
    except ValueError:
        return {}


def export_response(prepared: Prepared, name: str, query: str) -> flask.Response:
    """The file for ``/export/<name>?<query>``; German 404/503 instead of any traceback."""
    view, _, fmt = name.rpartition(".")
    if (view, fmt) not in ROUTE_FILES:
        return _text(f"Unbekannter Export „{name[:60]}“. Möglich: Karte, Vergleichskarte, Zeitreihe und Rangfolge "
                     "als PNG, SVG oder PDF (z. B. /export/map.png), der Foliensatz (/export/deck.pptx), die "
                     "Tabelle (/export/table.xlsx), das Sozialraumprofil (/export/profil.png?area=ID) und die "
                     "Karten des Kommunenprofils (/export/kommune.png?municipality=ID).", 404)
    state = ViewState.from_query(query[:MAX_TEXT], prepared.choices)
    try:
        if view == PROFILE_IMAGE_VIEW:
            args = _query_args(query[:MAX_TEXT])
            data, file_name = render_profile(prepared, args.get("area", ""), fmt, args.get("year"), args.get("theme"))
        elif view == MUNICIPALITY_IMAGE_VIEW:
            args = _query_args(query[:MAX_TEXT])
            data, file_name = municipality_image(prepared, args.get("municipality", ""), fmt, args.get("theme"),
                                                 args.get("year"))
        elif view == "deck":
            data, file_name = build_deck(prepared, state)
        elif view == "table":
            data, file_name = export_one(prepared, state, "xlsx")
        else:
            data, file_name = export_one(prepared, state, fmt, view)
    except ExportError as error:
        return _text(str(error), 404)
    except Exception as error:  # noqa: BLE001 - the renderer (a browser) can fail; the user gets a message
        log.warning("export %s failed: %s: %s", name[:40], type(error).__name__, str(error)[:200])
        return _text("Der Export ist gerade nicht möglich (Bilddienst nicht bereit). Bitte erneut versuchen.", 503)
    response = flask.send_file(io.BytesIO(data), mimetype=MEDIA_TYPES[fmt], as_attachment=True,
                               download_name=file_name, max_age=0)
    response.direct_passthrough = False  # bytes in memory: compression and tests may read them
    return response


def deck_download(prepared: Prepared, clicked: object, state_data: object, set_progress=None) -> dict:
    """The deck of the stored view for ``dcc.Download`` (only after a real click)."""
    if not isinstance(as_int(clicked), int) or (as_int(clicked) or 0) < 1:
        raise PreventUpdate
    state = ViewState.from_dict(as_dict(state_data), prepared.choices)

    def progress(done: int, total: int, text: str) -> None:
        if set_progress is not None:
            percent = int(100 * done / max(total, 1))
            set_progress((percent, f"{percent} %", f"Foliensatz: {text} ({done}/{total})"))

    engine = renderer()
    try:
        data, file_name = build_deck(prepared, state, engine=engine, progress=progress)
    finally:
        if _in_job_process():
            engine.stop()  # the job's own browser ends with the job
    return dcc.send_bytes(data, file_name)


def _in_job_process() -> bool:
    """True in a process started by the background-callback manager (it ends after one job)."""
    import multiprocess

    return multiprocess.parent_process() is not None


def register(app: dash.Dash, prepared: Prepared) -> None:
    if isinstance(app.server, Flask):
        prefix = app.config.routes_pathname_prefix.rstrip("/")

        def export_file(name: str) -> flask.Response:
            return export_response(prepared, name, flask.request.query_string.decode("utf-8", "replace"))

        app.server.add_url_rule(f"{prefix}/export/<name>", "export_file", export_file)

    # The links carry the current view: the URL's query replaces theirs on every change.
    links = [ids.export_link(v, f) for v, f in sorted(ROUTE_FILES) if v in VIEWS] + [ids.PRESENT_LINK]
    app.clientside_callback(
        """function (search) {
            var hrefs = Array.prototype.slice.call(arguments, 1);
            return hrefs.map(function (h) { return (h || "").split("?")[0] + (search || ""); });
        }""",
        *[Output(link, "href") for link in links],
        Input(ids.URL, "search"),
        *[State(link, "href") for link in links],
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.DECK_DOWNLOAD, "data"),
        *[Input(b, "n_clicks") for b in DECK_BUTTONS],
        State(ids.VIEW_STATE, "data"),
        background=True,
        manager=background_manager(prepared),
        progress=[Output(ids.DECK_PROGRESS, "value"), Output(ids.DECK_PROGRESS, "label"),
                  Output(ids.DECK_STATUS, "children")],
        running=[(Output(ids.DECK_PANEL, "style"), {"display": "block"}, {"display": "none"}),
                 *[(Output(b, "disabled"), True, False) for b in DECK_BUTTONS]],
        cancel=[Input(ids.DECK_CANCEL, "n_clicks")],
        prevent_initial_call=True,
    )
    def deck(set_progress, *args: object) -> dict:
        trigger = dash.ctx.triggered_id
        clicks = args[DECK_BUTTONS.index(trigger)] if trigger in DECK_BUTTONS else None
        return deck_download(prepared, clicks, args[-1], set_progress)
