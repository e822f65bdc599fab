"""Sozialraum-Monitor: the Dash app for one data bundle.

``python app.py [--data DIR] [--host H] [--port P] [--debug]`` serves a bundle;
``SOZIALRAUM_DATA=DIR gunicorn app:server`` does the same in production. The bundle is loaded,
validated and published once at start; the raw bundle is dropped, callbacks read only the
``Published`` object and the geometry prepared from it.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import html as html_text
import importlib
import importlib.metadata
import json
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import dash
import flask
from dash import html
from flask import Flask

from callbacks import register_callbacks
from dashboard.cache import cached_artefact, load_cached, source_version
from dashboard.prepared import Prepared, load_published, prepare
from dashboard.problems import BundleError
from dashboard.publish import Published
from layouts import atlas
from layouts.pages import build_page, page_for, validation_pages

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / "geodata" / "staedteregion-aachen"
ASSETS = ROOT / "assets"
BOOTSTRAP_CSS = "vendor/bootstrap.min.css"
PLOTLY_JS = atlas.PLOTLY_JS
#: gunicorn's exit code for "worker failed to boot": the master stops rather than respawning.
WORKER_BOOT_ERROR = 3

__all__ = ["create_app", "load_published", "prepare", "main"]


def page_location() -> tuple[str, str]:
    """(path, '?query') of the page being opened, as the browser shows it (('/', '') outside a request).

    The renderer fetches ``/_dash-layout`` from the page, so the page's URL (and its view) is the
    request's referrer; a direct request for the page itself carries it in its own URL. A
    malformed referrer opens the atlas' default view.
    """
    if not flask.has_request_context():
        return "/", ""
    request = flask.request
    if request.path.endswith("_dash-layout"):
        try:
            parts = urlsplit(request.referrer or "")
        except ValueError:
            return "/", ""
        path, query = parts.path or "/", parts.query
    else:
        path, query = request.path, request.query_string.decode("utf-8", "replace")
    return path, (f"?{query}" if query else "")


def page_layout(prepared: Prepared):
    """The layout function Dash calls for every page load: the page for the URL's path and view."""

    def serve() -> object:
        path, search = page_location()
        return build_page(prepared, path, search)

    return serve


#: Data props left out of the validation layout (ids, types and options are all Dash checks).
_DATA_PROPS = {"figure": {"data": [], "layout": {}}, "rowData": [], "dashGridOptions": {}, "data": None,
               "hideout": None, "options": []}  # options: the area picker lists every area (750 KB at 10,000)


def validation_skeleton(prepared: Prepared) -> object:
    """Every page's components without their data, for Dash's callback validation.

    Dash embeds the validation layout in every index page; with a layout function it would
    otherwise be whole pages (map GeoJSON included) sent on top of the real one.
    Only components with an id are kept, flat and without their children (Dash checks ids and
    prop names, not the tree): the index page carries some 40 KB instead of 500 KB.
    """
    kept: dict[str, object] = {}
    for component in list(html.Div(validation_pages(prepared))._traverse()):  # all, before children go
        cid = getattr(component, "id", None)
        key = cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True)  # pattern-matching ids too
        if cid is None or key in kept:
            continue
        for prop, empty in _DATA_PROPS.items():
            if getattr(component, prop, None) is not None and not isinstance(getattr(component, prop), str):
                setattr(component, prop, empty)
        if getattr(component, "children", None) is not None:
            component.children = None
        kept[key] = component
    return html.Div(list(kept.values()))


#: What the validation layout is built from besides the bundle and ``dashboard/``: page code and the
#: component libraries whose classes it holds.
_LAYOUT_SOURCES = (ROOT / "layouts", ROOT / "callbacks", ROOT / "app.py")
_COMPONENT_PACKAGES = ("dash", "dash-bootstrap-components", "dash-leaflet", "dash-ag-grid")


def cached_validation_skeleton(prepared: Prepared, data_dir: str | Path, app: dash.Dash) -> object:
    """``validation_skeleton``, cached with the prepared data: building every page takes ~1.5 s of a start."""
    version = "\0".join([source_version(list(_LAYOUT_SOURCES)), app.config.requests_pathname_prefix,
                          prepared.published.config.public_url or "",
                          *(importlib.metadata.version(p) for p in _COMPONENT_PACKAGES)])
    return cached_artefact(data_dir, "validation", version, lambda: validation_skeleton(prepared))


def warm_imports() -> None:
    """Import what the first requests need but the start does not (mapclassify: scipy, scikit-learn)."""
    importlib.import_module("mapclassify")


def create_app(data_dir: str | Path | None = None, published: Published | None = None,
               server: Flask | bool = True, public_url: str | None = None) -> dash.Dash:
    """Build the app for a bundle directory, or for an already published object (tests).

    ``public_url`` (``--public-url``) overrides bundle.toml's: the address QR codes point to.
    """
    from_bundle = published is None
    if from_bundle:
        data_dir = data_dir or DEFAULT_DATA
        # Warm starts read the prepared cache (dashboard/cache.py, SOZIALRAUM_CACHE); published data only.
        prepared, _source = load_cached(data_dir)
        published = prepared.published
    else:
        prepared = prepare(published)
    if public_url:
        published = dataclasses.replace(published, config=dataclasses.replace(published.config, public_url=public_url))
        prepared = dataclasses.replace(prepared, published=published)
    app = dash.Dash(
        __name__,
        server=server,
        # Dash puts the title into <title> as it is: the bundle's text must not become markup.
        title=html_text.escape(f"{published.config.title} – Sozialraum-Monitor"),
        assets_folder=str(ASSETS),
        # Bootstrap is linked explicitly below so it loads before the app's own CSS.
        assets_path_ignore=["vendor"],
        serve_locally=True,
        update_title=None,
        # gzip/brotli via flask-compress for page, scripts and updates (bench/measure_switch.py shows
        # an indicator switch at ~1/4 of its JSON size on the wire): matters on conference Wi-Fi.
        compress=True,
    )
    app.config.external_stylesheets = [app.get_asset_url(BOOTSTRAP_CSS)]
    # plotly.js' "basic" partial bundle (scatter, bar): dcc.Graph uses window.Plotly when a script
    # defines it and never fetches the 4.8 MB full bundle; the maps are Leaflet.
    app.config.external_scripts = [app.get_asset_url(PLOTLY_JS)]
    app.interpolate_index = functools.partial(_index_without_plotly, app, app.get_asset_url(PLOTLY_JS))
    app.index_string = app.index_string.replace("<html>", '<html lang="de">')
    app.validation_layout = (cached_validation_skeleton(prepared, data_dir or DEFAULT_DATA, app) if from_bundle
                             else validation_skeleton(prepared))
    app.layout = page_layout(prepared)
    register_callbacks(app, prepared)
    if isinstance(app.server, Flask):
        app.server.add_url_rule("/healthz", "healthz", functools.partial(healthz, published))
    return app


def _index_without_plotly(app: dash.Dash, plotly_url: str, **parts: str) -> str:
    """The index page; the atlas's without plotly.js, which it loads after the map's first paint
    (assets/deferred.js): parsing 1.2 MB of script before the map would delay it by about 0.2 s."""
    path, _search = page_location()
    page = page_for(path)
    if page is not None and page.path == atlas.PATH:
        parts["scripts"] = "\n".join(line for line in parts["scripts"].split("\n") if plotly_url not in line)
    return dash.Dash.interpolate_index(app, **parts)


def healthz(published: Published) -> flask.Response:
    """Liveness for Docker and load balancers: the bundle is loaded; its title and size, no value."""
    return flask.jsonify(status="ok", bundle_loaded=True, title=published.config.title,
                         areas=int(len(published.areas)))


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Sozialraum-Monitor starten")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="Ordner des Datenpakets (bundle.toml)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--public-url", default=None,
                        help="Adresse, unter der das Publikum die App erreicht (QR-Code der Präsentation)")
    parser.add_argument("--cache", default=None,
                        help="Ordner des Caches (Standard: $SOZIALRAUM_CACHE oder .cache/; 'off' = kein Cache)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.cache is not None:
        os.environ["SOZIALRAUM_CACHE"] = args.cache
    try:
        app = create_app(args.data, public_url=args.public_url)
    except BundleError as error:
        sys.stderr.write(f"Datenpaket {args.data} kann nicht geladen werden:\n{error.report()}\n")
        return 1
    threading.Thread(target=warm_imports, name="warm-imports", daemon=True).start()
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


@functools.cache
def _server() -> Flask:
    """The Flask server for gunicorn, built once on first access (data from SOZIALRAUM_DATA).

    With ``gunicorn.conf.py`` (``preload_app``) this runs in the master, so a broken bundle ends
    gunicorn at once. Without preloading it runs in each worker; exit code 3 is gunicorn's
    "worker failed to boot", which stops the master instead of restarting the worker forever.
    """
    data_dir = os.environ.get("SOZIALRAUM_DATA") or str(DEFAULT_DATA)
    try:
        server = create_app(data_dir).server
        warm_imports()  # before gunicorn forks (preload_app): once, and never half-done in a child
        return server
    except BundleError as error:
        sys.stderr.write(f"Datenpaket {data_dir} kann nicht geladen werden:\n{error.report()}\n")
        sys.stderr.flush()
        raise SystemExit(WORKER_BOOT_ERROR) from None


def __getattr__(name: str) -> Flask:
    """``app.server`` is built lazily (PEP 562): importing app.py in tests loads no bundle."""
    if name == "server":
        return _server()
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
