"""First painted map and repaint after an indicator switch: THE REAL APP against the naive app.

    .venv/bin/python bench/browser.py [--runs 3] [--sizes 93,10000]

One run measures, at each size (93 = the demo bundle, else a synthetic bundle), the real app
(``create_app`` from app.py: the atlas with its Leaflet map, table, series) and the naive app
(bench/naive.py: ``px.choropleth_map`` with the GeoJSON rebuilt per switch, full plotly bundle),
in headless Debian Chromium, fresh browser context per run (no HTTP cache), interleaved.

- *painted*: a requestAnimationFrame poll sees the map in its final state and the next frame has
  started. Real app: at least one SVG path per area in ``#map`` and the first 25 paths carry the
  fills of the wanted indicator (computed in Python from the same ``MapView``). Naive: the
  figure's ``layout.meta`` names the wanted indicator and MapLibre has rendered after it.
- *first paint*: navigation start → painted with the first indicator.
- *repaint*: click on the ``#indicator-select`` option → painted with the other indicator
  (A→B and B→A per run, median). *(response)*: click → last update response received.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CHROMIUM, CHROMIUM_ARGS, bundle_dir, free_port, serve, write_result  # noqa: E402

ENGINES = ("app", "naive")
TIMEOUT_MS = 180_000
SAMPLE = 25  # paths whose fills identify the indicator

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
    if (String(gd.layout.meta).split('|')[0] !== w.meta) { P.metaAt = null; return false; }
    if (P.metaAt === null) { P.metaAt = P.renders; return false; }
    if (P.renders <= P.metaAt) { return false; }
    const layers = (m.getStyle() && m.getStyle().layers) || [];
    return m.loaded() && layers.some((l) => l.type === 'fill');
  }
  function leafletReady(w) {
    const paths = document.querySelectorAll('#map .leaflet-overlay-pane path');
    if (paths.length < w.n) { return false; }
    for (let k = 0; k < w.fills.length; k++) {
      if (paths[k].getAttribute('fill') !== w.fills[k]) { return false; }
    }
    return true;
  }
  function tick() {
    const w = P.want;
    if (w && P.ready === null) {
      let ok = false;
      try { ok = w.engine === 'app' ? leafletReady(w) : plotlyReady(w); } catch (err) { ok = false; }
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




def expected_fills(prepared: Any, indicator: str) -> list[str]:
    """Fill attributes of the first SAMPLE area paths, as assets/map.js styles them."""
    from dashboard.mapview import map_views
    from dashboard.state import ViewState

    state = ViewState.from_query(f"?indicator={indicator}", prepared.choices)
    view, _ = map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                        dict(prepared.matrices))
    out = []
    for code in view.codes[:SAMPLE]:
        out.append("url(#sr-hatch)" if code == view.k else "url(#sr-dots)" if code == view.k + 1
                   else view.colours[code])
    return out


def pick_indicators(prepared: Any) -> tuple[str, str, str, str]:
    """(A, B, label A, label B): the default indicator and one of its theme that colours differently."""
    from dashboard.options import indicator_options, theme_of

    first = prepared.choices.default_indicator
    options = indicator_options(prepared.published, theme_of(prepared.published, first))
    fills = expected_fills(prepared, first)
    label = {o["value"]: o["label"] for o in options}
    other = next((o["value"] for o in options if o["value"] != first and expected_fills(prepared, o["value"]) != fills),
                 None)
    if other is None:
        raise SystemExit("no second indicator with other colours in the default theme")
    return first, other, label[first], label[other]


def _want(engine: str, prepared: Any, indicator: str) -> dict[str, Any]:
    if engine == "app":
        return {"engine": engine, "n": len(prepared.geometry.area_ids), "fills": expected_fills(prepared, indicator)}
    return {"engine": engine, "meta": indicator}


def _median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 1) if xs else None


def _wait(page: Any) -> float:
    page.wait_for_function("window.__probe.painted !== null", timeout=TIMEOUT_MS, polling=20)
    return float(page.evaluate("window.__probe.painted"))


def measure_once(browser: Any, engine: str, url: str, prepared: Any, pair: tuple) -> dict[str, Any]:
    """One fresh context: first paint, then A→B and B→A switches."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    want = json.dumps(_want(engine, prepared, pair[0]))
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
    for ind, name in ((pair[1], pair[3]), (pair[0], pair[2])):
        page.evaluate(f"""() => {{ const P = window.__probe; P.ready = null; P.painted = null; P.t0 = null;
                        P.metaAt = null; P.want = {json.dumps(_want(engine, prepared, ind))}; }}""")
        page.click("#indicator-select")
        page.get_by_role("option", name=name, exact=True).click()
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



def run(sizes: list[str], runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from app import create_app
    from bench.naive import naive_app
    from dashboard.cache import load_cached

    out: dict[str, Any] = {"runs": runs, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "load_before": os.getloadavg(), "sizes": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            folder = bundle_dir(size)
            prepared, _ = load_cached(folder)
            pair = pick_indicators(prepared)
            apps = {"app": create_app(folder).server, "naive": naive_app(prepared, folder).server}
            servers, urls, per = [], {}, {e: [] for e in ENGINES}
            for engine in ENGINES:
                port = free_port()
                servers.append(serve(apps[engine], port))
                urls[engine] = f"http://127.0.0.1:{port}/"
            n = len(prepared.geometry.area_ids)
            try:
                for r in range(runs):  # interleaved, so load changes hit both alike
                    for engine in ENGINES:
                        m = measure_once(browser, engine, urls[engine], prepared, pair)
                        per[engine].append(m)
                        print(f"  {n:>6} areas  {engine:<6} run {r + 1}: first paint {m['first_paint_ms']:7.0f} ms, "  # noqa: T201
                              f"repaint {m['repaint_ms'] or float('nan'):6.0f} ms  (load {os.getloadavg()[0]:.2f})",
                              flush=True)
            finally:
                for s in servers:
                    s.shutdown()
            out["sizes"][str(n)] = {
                e: {"first_paint_ms": _median([m["first_paint_ms"] for m in ms]),
                    "repaint_ms": _median([m["repaint_ms"] for m in ms]),
                    "response_ms": _median([m["response_ms"] for m in ms]),
                    "first_paint_runs": [round(m["first_paint_ms"]) for m in ms],
                    "foreign_hosts": sorted({h for m in ms for h in m["foreign_hosts"]}),
                    "full_plotly_fetched": any(m["full_plotly_fetched"] for m in ms),
                    "script_kb_wire": ms[-1]["script_kb_wire"],
                    "switch_kb_json": ms[-1]["switch_kb_json"], "switch_kb_wire": ms[-1]["switch_kb_wire"]}
                for e, ms in per.items()}
        browser.close()
    out["load_after"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="93,10000", help="93 = demo bundle; others synthetic")
    args = parser.parse_args(argv)
    result = run(args.sizes.split(","), args.runs)
    write_result("browser", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
