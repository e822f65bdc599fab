"""Profile pages: the print buttons (browser only) and the file routes for PDF and XLSX.

The files are plain links (``dashboard.links.profile_file_href``): a GET builds the file on the
server from the published data, so the download also works from a printed or shared link.
"""

from __future__ import annotations

from urllib.parse import quote

import dash
import flask
from dash import Input, Output

from dashboard.links import DOWNLOAD_PREFIX
from dashboard.prepared import Prepared
from dashboard.profile import area_profile, municipality_profile, municipality_views, profile_year
from dashboard.profile_files import (
    ProfileFileError,
    area_file_name,
    area_pdf,
    area_xlsx,
    municipality_file_name,
    municipality_pdf,
    municipality_xlsx,
)
from layouts import ids

MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PRINT = "function (n, title) { if (n) { window.print(); } return title; }"


def _send(data: bytes, fmt: str, name: str) -> flask.Response:
    return flask.Response(data, mimetype=MIME[fmt], headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "Cache-Control": "no-store"})


def _refuse(text: str, code: int = 404) -> flask.Response:
    return flask.Response(text, status=code, mimetype="text/plain; charset=utf-8")


def area_file(prepared: Prepared, area_id: str, fmt: str, year: object) -> flask.Response:
    if area_id not in prepared.choices.areas or fmt not in MIME:
        return _refuse(f"Kein Sozialraum „{area_id[:80]}“ in diesem Datenpaket.")
    profile = area_profile(prepared, area_id, profile_year(prepared, year))
    try:
        data = area_pdf(profile, prepared.geometry) if fmt == "pdf" else area_xlsx(profile)
    except ProfileFileError as error:
        return _refuse(str(error), 503)
    return _send(data, fmt, area_file_name(profile, fmt))


def municipality_file(prepared: Prepared, municipality_id: str, fmt: str, theme: object,
                      year: object) -> flask.Response:
    if municipality_id not in prepared.choices.municipalities or fmt not in MIME:
        return _refuse(f"Keine Kommune „{municipality_id[:80]}“ in diesem Datenpaket.")
    profile = municipality_profile(prepared, municipality_id, str(theme or ""), profile_year(prepared, year))
    try:
        data = municipality_pdf(profile, prepared.geometry, municipality_views(prepared, profile)) \
            if fmt == "pdf" else municipality_xlsx(profile)
    except ProfileFileError as error:
        return _refuse(str(error), 503)
    return _send(data, fmt, municipality_file_name(profile, fmt))


def register(app: dash.Dash, prepared: Prepared) -> None:
    for button in (ids.PROFILE_PRINT, ids.MUNICIPALITY_PRINT):
        app.clientside_callback(PRINT, Output(button, "title"), Input(button, "n_clicks"),
                                dash.State(button, "title"), prevent_initial_call=True)
    server = app.server
    if not isinstance(server, flask.Flask):
        return

    def area_route(area_id: str, fmt: str) -> flask.Response:
        return area_file(prepared, area_id, fmt, flask.request.args.get("year"))

    def municipality_route(municipality_id: str, fmt: str) -> flask.Response:
        args = flask.request.args
        return municipality_file(prepared, municipality_id, fmt, args.get("theme"), args.get("year"))

    server.add_url_rule(f"{DOWNLOAD_PREFIX}/profil/<area_id>.<any(pdf, xlsx):fmt>", "profile_file", area_route)
    server.add_url_rule(f"{DOWNLOAD_PREFIX}/kommune/<municipality_id>.<any(pdf, xlsx):fmt>", "municipality_file",
                        municipality_route)
