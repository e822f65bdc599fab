"""Map engines side by side: first painted map and repaint after an indicator switch.

    .venv/bin/python bench/map_engines.py [--runs 3] [--sizes 93,10000] [--engines naive,plotly,leaflet,…]

One run measures, at 93 areas (the demo bundle) and at 10,000 areas (a synthetic bundle generated
into /tmp if missing), minimal standalone Dash apps with the same page (a dropdown of
indicators, the map, one static bar chart):

- ``naive``: ``px.choropleth_map`` with the GeoJSON, rebuilt on every switch (full plotly bundle);
- ``plotly``: ``go.Choroplethmap`` once, a switch patches ``z`` (``dash.Patch``; full bundle) –
  today's approach;
- ``leaflet``: dash-leaflet GeoJSON styled in the browser from ``hideout``
  (``layouts.leaflet_map`` + ``assets/leaflet_choropleth.js``), a switch sends a new hideout;
  charts use the vendored ``plotly-basic`` bundle (the full bundle is never fetched);
- ``leaflet-inplace``: as ``leaflet``, but the switch's hideout goes to a ``dcc.Store`` and the
  clientside callback ``sozialraum_map.restyle`` restyles the existing layers (``setStyle``),
  instead of dash-leaflet's rebuild of every layer on a new hideout (``clearLayers`` + ``addData``).

Definitions, the same for all engines (times in ms, from the page's navigation start, i.e.
``performance.now()``; headless Debian Chromium, fresh browser context per run, so no HTTP cache):

- *painted*: a requestAnimationFrame poll sees the map in its final state, and the next
  animation frame has started (the frame holding that state was handed to the compositor).
  Final state for plotly: ``layout.meta`` is the wanted indicator, the MapLibre map has rendered at
  least once after that and reports ``loaded()`` (style and GeoJSON source done). For Leaflet:
  one SVG path per area, and the first 25 paths carry the wanted fill colours.
- *first paint*: navigation start → painted with the initial indicator.
- *repaint*: click on the dropdown option (capture-phase listener) → painted with the new
  indicator. Each run switches twice (A→B→A); the repaint of a run is the median of both.
  *(response)*: click → the switch's response fully received; the rest is work in the browser.

Also recorded: requests to hosts other than 127.0.0.1 (must be none), whether plotly's full
bundle was fetched, bytes of the page's scripts and of the switch responses, and the load average.
Writes ``bench/results/map_engines.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dash  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.express as px  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
from dash import ClientsideFunction, Input, Output, Patch, State, dcc, html  # noqa: E402
from layouts.leaflet_map import bounds_of, choropleth_map, with_index  # noqa: E402

DEMO = ROOT / "geodata" / "staedteregion-aachen"
SYNTH = Path("/tmp/sozialraum-synth-{n}")
RESULTS = ROOT / "bench" / "results" / "map_engines.json"
PORT_BASE = 8710
ENGINES = ("naive", "plotly", "leaflet", "leaflet-inplace")
INDICATORS = ("SO01", "KJ01")  # the two indicators switched between (both in demo and synthetic)
PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")  # 5 classes, light → dark
COLORSCALE = [[k / (len(PALETTE) - 1), c] for k, c in enumerate(PALETTE)]
MAP_W, MAP_H = 1000, 640
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 180_000

PROBE = """
(() => {
  const P = window.__probe = {want: null, t0: null, ready: null, painted: null, renders: 0, metaAt: null};
  document.addEventListener('click', (e) => {
    if (e.target && e.target.closest && e.target.closest('[role=option]')) { P.t0 = performance.now(); }
  }, true);
  function plotlyReady(w) {
    const gd = document.querySelector('#map .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullLayout.map || !gd.layout) { return false; }
    const sub = gd._fullLayout.map._subplot;
    const m = sub && sub.map;
    if (!m || !gd.querySelector('canvas')) { return false; }
    if (!m.__probed) { m.__probed = true; m.on('render', () => { P.renders += 1; }); }
    if (gd.layout.meta !== w.meta) { P.metaAt = null; return false; }
    if (P.metaAt === null) { P.metaAt = P.renders; return false; }
    if (P.renders <= P.metaAt) { return false; }
    const layers = (m.getStyle() && m.getStyle().layers) || [];
    return m.loaded() && layers.some((l) => l.type === 'fill');
  }
  function leafletReady(w) {
    const paths = document.querySelectorAll('#map .leaflet-overlay-pane path');
    if (paths.length !== w.n) { return false; }
    for (let k = 0; k < w.fills.length; k++) {
      if (paths[k].getAttribute('fill') !== w.fills[k]) { return false; }
    }
    return true;
  }
  function tick() {
    const w = P.want;
    if (w && P.ready === null) {
      let ok = false;
      try { ok = w.engine.startsWith('leaflet') ? leafletReady(w) : plotlyReady(w); } catch (err) { ok = false; }
      if (ok) {
        P.ready = performance.now();
        requestAnimationFrame((ts) => { P.painted = performance.now(); });
      }
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


@dataclass
class Data:
    """What the three apps show: geometry, per-indicator values and leaflet hideouts."""

    n: int
    geojson: dict[str, Any]
    ids: list[str]
    names: list[str]
    values: dict[str, np.ndarray]
    hidden: list[str]
    bounds: tuple[tuple[float, float], tuple[float, float]]
    center: dict[str, float]
    zoom: float


def _synthetic_dir(n: int) -> Path:
    out = Path(str(SYNTH).format(n=n))
    if not (out / "values.csv").exists():
        from dashboard.demo.synthetic import generate_synthetic

        print(f"generating synthetic bundle with {n} areas into {out} …", flush=True)  # noqa: T201
        generate_synthetic(n, out, seed=1)
    return out


def load_data(folder: Path) -> Data:
    """Read geometry and the last year's values of INDICATORS straight from the bundle files."""
    geojson = json.loads((folder / "areas.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in geojson["features"]]
    ids = [p["area_id"] for p in props]
    values = pd.read_csv(folder / "values.csv", usecols=["area_id", "indicator_id", "year", "value"],
                         dtype={"area_id": str})
    year = int(values["year"].max())
    values = values[(values["year"] == year) & values["indicator_id"].isin([*INDICATORS, "SD01"])]
    wide = values.pivot(index="area_id", columns="indicator_id", values="value").reindex(ids)
    (south, west), (north, east) = bounds_of(geojson)
    lat = (south + north) / 2
    # Web-Mercator zoom that fits the bounds into the map box (plotly has no fitbounds for maps).
    zoom_x = math.log2(MAP_W / 512 * 360 / (east - west))
    y = lambda phi: math.log(math.tan(math.pi / 4 + math.radians(phi) / 2))  # noqa: E731
    zoom_y = math.log2(MAP_H / 512 * 2 * math.pi / (y(north) - y(south)))
    pop = wide["SD01"].to_numpy()
    return Data(
        n=len(ids), geojson=geojson, ids=ids, names=[p["area_name"] for p in props],
        values={i: wide[i].to_numpy(dtype=float) for i in INDICATORS},
        hidden=[a for a, p in zip(ids, pop, strict=True) if not np.isnan(p) and p < 300],
        bounds=((south, west), (north, east)), center={"lat": lat, "lon": (west + east) / 2},
        zoom=min(zoom_x, zoom_y) - 0.1,
    )


def classes(values: np.ndarray) -> list[int | None]:
    """Five quantile classes as palette indices (None: no value)."""
    finite = values[~np.isnan(values)]
    edges = np.quantile(finite, [0.2, 0.4, 0.6, 0.8]) if len(finite) else np.zeros(4)
    k = np.searchsorted(edges, values, side="right")
    return [None if np.isnan(v) else int(c) for v, c in zip(values, k, strict=True)]


def hideout(data: Data, indicator: str) -> dict[str, Any]:
    """The leaflet hideout for one indicator in its compact form: class per area, values for the
    tooltips (formatted in the browser), hidden/no-data ids. Hidden areas carry neither."""
    vals = data.values[indicator].copy()
    hidden = set(data.hidden)
    mask = np.array([a in hidden for a in data.ids])
    vals[mask] = np.nan
    return {
        "palette": list(PALETTE),
        "classes": classes(vals),
        "values": [None if np.isnan(v) else round(float(v), 1) for v in vals],
        "format": {"decimals": 1, "unit": "%"},
        "hidden": data.hidden,
        "nodata": [a for a, v, m in zip(data.ids, vals, mask, strict=True) if np.isnan(v) and not m],
    }


def expected_fills(data: Data, indicator: str, k: int = 25) -> list[str]:
    """Fill attributes of the first ``k`` leaflet paths (what the JS style produces)."""
    h = hideout(data, indicator)
    hidden, nodata = set(h["hidden"]), set(h["nodata"])
    out = []
    for a, c in list(zip(data.ids, h["classes"], strict=True))[:k]:
        out.append("url(#sozialraum-hatch)" if a in hidden else
                   "url(#sozialraum-dots)" if a in nodata or c is None else PALETTE[c])
    return out


def _bar(data: Data) -> go.Figure:
    vals = data.values[INDICATORS[0]]
    order = np.argsort(np.nan_to_num(vals, nan=-1))[::-1][:15]
    fig = go.Figure(go.Bar(x=[data.names[i] for i in order], y=vals[order], marker_color=PALETTE[3]))
    fig.update_layout(height=260, margin={"l": 40, "r": 10, "t": 10, "b": 80})
    return fig


def _plotly_map(data: Data, indicator: str, naive: bool) -> go.Figure:
    if naive:
        df = pd.DataFrame({"area_id": data.ids, "value": data.values[indicator]})
        fig = px.choropleth_map(df, geojson=data.geojson, locations="area_id",
                                featureidkey="properties.area_id", color="value",
                                color_continuous_scale=COLORSCALE, map_style="white-bg",
                                center=data.center, zoom=data.zoom)
    else:
        fig = go.Figure(go.Choroplethmap(
            geojson=data.geojson, locations=data.ids, z=data.values[indicator],
            featureidkey="properties.area_id", colorscale=COLORSCALE,
            marker_line_width=0.5, marker_line_color="white"))
        fig.update_layout(map={"style": "white-bg", "center": data.center, "zoom": data.zoom})
    fig.update_layout(meta=indicator, margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=MAP_H, width=MAP_W)
    return fig


def make_app(engine: str, data: Data) -> dash.Dash:
    """One minimal page per engine: dropdown, map (#map), one bar chart."""
    leaflet = engine.startswith("leaflet")
    kwargs: dict[str, Any] = {"serve_locally": True, "compress": True, "update_title": None,
                              "assets_folder": str(ROOT / "assets"), "assets_path_ignore": ["vendor"],
                              "assets_ignore": r"^(?!leaflet_choropleth\.js$)" if leaflet else ".*"}
    app = dash.Dash(f"bench_{engine}", **kwargs)
    if leaflet:
        # Wiring of the partial bundle: dcc.Graph uses window.Plotly when it exists.
        app.config.external_scripts = [app.get_asset_url("vendor/plotly-basic.min.js")]
    dropdown = dcc.Dropdown(id="ind", options=[{"label": i, "value": i} for i in INDICATORS],
                            value=INDICATORS[0], clearable=False, style={"width": "300px"})
    if leaflet:
        themap = choropleth_map("lmap", with_index(data.geojson), hideout(data, INDICATORS[0]),
                                data.bounds, height=f"{MAP_H}px")
    else:
        themap = dcc.Graph(id="graph", figure=_plotly_map(data, INDICATORS[0], engine == "naive"),
                           config={"displayModeBar": False})
    app.layout = html.Div([
        html.H1(f"Bench {engine}", style={"fontSize": "20px"}), dropdown,
        html.Div(themap, id="map", style={"width": f"{MAP_W}px", "height": f"{MAP_H}px"}),
        dcc.Store(id="hide-store"), html.Div(id="hide-sink"),
        dcc.Graph(id="chart", figure=_bar(data), config={"displayModeBar": False}),
    ])
    if engine == "naive":
        @app.callback(Output("graph", "figure"), Input("ind", "value"), prevent_initial_call=True)
        def _naive(ind: str) -> go.Figure:
            return _plotly_map(data, ind, naive=True)
    elif engine == "plotly":
        @app.callback(Output("graph", "figure"), Input("ind", "value"), prevent_initial_call=True)
        def _patch(ind: str) -> Patch:
            p = Patch()
            vals = data.values[ind]
            p["data"][0]["z"] = [None if np.isnan(v) else float(v) for v in vals]
            p["layout"]["meta"] = ind
            return p
    elif engine == "leaflet":
        @app.callback(Output("lmap-areas", "hideout"), Input("ind", "value"), prevent_initial_call=True)
        def _hideout(ind: str) -> dict[str, Any]:
            return hideout(data, ind)
    else:
        @app.callback(Output("hide-store", "data"), Input("ind", "value"), prevent_initial_call=True)
        def _store(ind: str) -> dict[str, Any]:
            return hideout(data, ind)

        app.clientside_callback(ClientsideFunction("sozialraum_map", "restyle"), Output("hide-sink", "title"),
                                Input("hide-store", "data"), State("lmap-areas", "id"), prevent_initial_call=True)
    return app


def _median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 1) if xs else None


def _want(engine: str, data: Data, indicator: str) -> dict[str, Any]:
    if engine.startswith("leaflet"):
        return {"engine": engine, "n": data.n, "fills": expected_fills(data, indicator)}
    return {"engine": engine, "meta": indicator}


def _wait(page: Any) -> float:
    page.wait_for_function("window.__probe.painted !== null", timeout=TIMEOUT_MS, polling=20)
    return float(page.evaluate("window.__probe.painted"))


def measure_once(browser: Any, engine: str, url: str, data: Data) -> dict[str, Any]:
    """One fresh context: first paint, then A→B and B→A switches."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    want = json.dumps(_want(engine, data, INDICATORS[0]))
    context.add_init_script(PROBE + f"window.__probe.want = {want};")
    page = context.new_page()
    foreign: set[str] = set()
    urls: list[str] = []

    def on_request(r: Any) -> None:
        u = urlparse(r.url)
        if u.scheme in ("data", "blob"):
            return
        urls.append(u.path)
        if u.hostname != "127.0.0.1":
            foreign.add(u.hostname or u.scheme)

    page.on("request", on_request)
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    first = _wait(page)
    page.wait_for_timeout(300)
    repaints: list[float | None] = []
    responses: list[float | None] = []
    for ind in (INDICATORS[1], INDICATORS[0]):
        page.evaluate(f"""() => {{ const P = window.__probe; P.ready = null; P.painted = null; P.t0 = null;
                        P.metaAt = null; P.want = {json.dumps(_want(engine, data, ind))}; }}""")
        page.click("#ind")
        page.get_by_role("option", name=ind, exact=True).click()
        painted = _wait(page)
        t0 = page.evaluate("window.__probe.t0")
        repaints.append(painted - t0 if t0 is not None else None)
        # When the switch's response had arrived (the rest of the repaint is the browser's work).
        end = page.evaluate("""() => Math.max(...performance.getEntriesByType('resource')
            .filter(r => r.name.includes('_dash-update-component')).map(r => r.responseEnd))""")
        responses.append(end - t0 if t0 is not None else None)
        page.wait_for_timeout(300)
    res = page.evaluate("""() => performance.getEntriesByType('resource').map(r => ({
        name: r.name.replace(location.origin, ''), size: r.transferSize, type: r.initiatorType,
        body: r.decodedBodySize}))""")
    context.close()
    scripts = [r for r in res if r["type"] == "script"]
    updates = [r for r in res if "_dash-update-component" in r["name"]]
    return {
        "first_paint_ms": first,
        "repaint_ms": _median(repaints),
        "repaints_ms": repaints,
        "response_ms": _median(responses),
        "foreign_hosts": sorted(foreign),
        "full_plotly_fetched": any(u.endswith("/plotly.min.js") for u in urls),
        "script_kb_wire": round(sum(r["size"] for r in scripts) / 1024, 1),
        "switch_kb_json": round(statistics.median([r["body"] for r in updates]) / 1024, 1) if updates else None,
        "switch_kb_wire": round(statistics.median([r["size"] for r in updates]) / 1024, 1) if updates else None,
    }


def _serve(app: dash.Dash, port: int) -> Any:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(sizes: list[int], engines: list[str], runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    out: dict[str, Any] = {"runs": runs, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "load_before": os.getloadavg(), "sizes": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size in sizes:
            folder = DEMO if size == 93 else _synthetic_dir(size)
            data = load_data(folder)
            if expected_fills(data, INDICATORS[0]) == expected_fills(data, INDICATORS[1]):
                raise SystemExit("both indicators give the same first colours: the repaint probe cannot tell them apart")
            servers, urls, per = [], {}, {e: [] for e in engines}
            for k, engine in enumerate(engines):
                port = PORT_BASE + 10 * sizes.index(size) + k
                servers.append(_serve(make_app(engine, data), port))
                urls[engine] = f"http://127.0.0.1:{port}/"
            try:
                for r in range(runs):  # engines interleaved, so load changes hit all of them alike
                    for engine in engines:
                        m = measure_once(browser, engine, urls[engine], data)
                        per[engine].append(m)
                        print(f"  {data.n:>6} areas  {engine:<15} run {r + 1}: first paint {m['first_paint_ms']:7.0f} ms, "  # noqa: T201
                              f"repaint {m['repaint_ms'] or float('nan'):6.0f} ms  (load {os.getloadavg()[0]:.2f})",
                              flush=True)
            finally:
                for s in servers:
                    s.shutdown()
            out["sizes"][str(data.n)] = {
                e: {
                    "first_paint_ms": _median([m["first_paint_ms"] for m in ms]),
                    "repaint_ms": _median([m["repaint_ms"] for m in ms]),
                    "response_ms": _median([m["response_ms"] for m in ms]),
                    "first_paint_runs": [round(m["first_paint_ms"]) for m in ms],
                    "repaint_runs": [[round(x) if x is not None else None for x in m["repaints_ms"]] for m in ms],
                    "foreign_hosts": sorted({h for m in ms for h in m["foreign_hosts"]}),
                    "full_plotly_fetched": any(m["full_plotly_fetched"] for m in ms),
                    "script_kb_wire": ms[-1]["script_kb_wire"],
                    "switch_kb_json": ms[-1]["switch_kb_json"],
                    "switch_kb_wire": ms[-1]["switch_kb_wire"],
                }
                for e, ms in per.items()
            }
        browser.close()
    out["load_after"] = os.getloadavg()
    return out


def table(result: dict[str, Any]) -> str:
    """The result as a plain-text table."""
    lines = [f"map engines, medians of {result['runs']} runs; load average before "
             f"{', '.join(f'{x:.2f}' for x in result['load_before'])}, after "
             f"{', '.join(f'{x:.2f}' for x in result['load_after'])}",
             f"{'areas':>6}  {'engine':<15} {'first paint':>12} {'repaint':>9} {'(response)':>10} {'scripts KB':>11} "
             f"{'switch KB json/wire':>20}  full plotly  foreign hosts"]
    for n, engines in result["sizes"].items():
        for e, r in engines.items():
            sw = f"{r['switch_kb_json']}/{r['switch_kb_wire']}" if r["switch_kb_json"] is not None else "-"
            lines.append(f"{n:>6}  {e:<15} {r['first_paint_ms']:>9.0f} ms {r['repaint_ms'] or float('nan'):>6.0f} ms "
                         f"{r['response_ms'] or float('nan'):>7.0f} ms "
                         f"{r['script_kb_wire']:>11.0f} {sw:>20}  {'yes' if r['full_plotly_fetched'] else 'no':<11}  "
                         f"{', '.join(r['foreign_hosts']) or 'none'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="93,10000", help="93 = demo bundle; others synthetic")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unbekannte Engine(s): {', '.join(sorted(unknown))}")
    result = run(sizes, engines, args.runs)
    print(table(result))  # noqa: T201
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
