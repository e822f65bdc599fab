"""Measure what an indicator switch costs and how fast the first map paints.

    .venv/bin/python bench/measure_switch.py [--data DIR] [--repeat 30] [--no-browser]

1. Starts the real app on a free port (werkzeug, in a thread) and drives the callbacks through
   Dash's HTTP endpoint (POST /_dash-update-component with the payload the browser sends):
   the router (indicator control -> ViewState), then the map, table and time-series callbacks
   that the new ViewState fires. Reports response bytes and round-trip ms (median) per callback
   and in total, and the size of the full map figure a naive app would resend.
2. Loads the page in headless Debian Chromium (Playwright) and reports the time from navigation
   start to the first painted map (``bench/first_paint.py``: canvas present, plotly_afterplot).
"""

from __future__ import annotations

import argparse
import gzip
import json
import socket
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from dashboard.views import map_view, title_text, view_choices  # noqa: E402
from plotly.io.json import to_json_plotly  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import DEFAULT_DATA, create_app, load_published, prepare  # noqa: E402
from dashboard.state import ViewState  # noqa: E402
from layouts import ids  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _payload(app, key: str, inputs: dict, changed: str) -> dict:
    """The JSON the dash-renderer posts for callback ``key``."""
    spec = app.callback_map[key]
    outs = key.strip(".").split("...")
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outs]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": i["id"], "property": i["property"], "value": inputs.get(f"{i['id']}.{i['property']}")}
                   for i in spec["inputs"]],
        "state": [{"id": s["id"], "property": s["property"], "value": inputs.get(f"{s['id']}.{s['property']}")}
                  for s in spec.get("state", [])],
        "changedPropIds": [changed],
    }


def post(port: int, payload: dict) -> tuple[int, float, dict, int]:
    """POST like the browser (gzip accepted); returns JSON bytes, ms, the response, bytes on the wire."""
    body = json.dumps(payload).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/_dash-update-component", data=body,
                                 headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req) as resp:
        wire = resp.read()
        raw = gzip.decompress(wire) if resp.headers.get("Content-Encoding") == "gzip" else wire
    ms = (time.perf_counter() - t0) * 1000
    return len(raw), ms, json.loads(raw) if raw else {}, len(wire)


def measure_callbacks(app, published, port: int, repeat: int) -> None:
    choices = view_choices(published)
    indicators = list(choices.indicators)
    keys = {name: next(k for k in app.callback_map if f"{out}." in k and (k.startswith(f"..{out}.") or
                                                                           k.startswith(f"{out}.")))
            for name, out in (("router", ids.VIEW_STATE), ("map", ids.MAP), ("table", ids.RANKING_TABLE),
                              ("series", ids.TIMESERIES))}
    results: dict[str, list[tuple[int, float]]] = {k: [] for k in keys}
    year = choices.default_year
    for n in range(repeat):
        a, b = indicators[n % len(indicators)], indicators[(n + 1) % len(indicators)]
        old = ViewState.from_query(f"?indicator={a}&year={year}", choices)
        new = ViewState.from_query(f"?indicator={b}&year={year}", choices)
        router_inputs = {f"{ids.INDICATOR_SELECT}.value": b, f"{ids.URL}.search": old.to_query(),
                         f"{ids.VIEW_STATE}.data": old.to_dict(), f"{ids.THEME_SELECT}.value": published.indicator(a)["theme"]}
        size, ms, _, wire = post(port, _payload(app, keys["router"], router_inputs, f"{ids.INDICATOR_SELECT}.value"))
        results["router"].append((size, ms, wire))
        state_inputs = {f"{ids.VIEW_STATE}.data": new.to_dict(), f"{ids.COMPARE_LOADED}.data": False}
        for name in ("map", "table", "series"):
            size, ms, _, wire = post(port, _payload(app, keys[name], state_inputs, f"{ids.VIEW_STATE}.data"))
            results[name].append((size, ms, wire))
    print(f"Indicator switch over {repeat} switches (median JSON bytes / bytes on the wire with gzip / "
          "median ms, localhost round trip):")
    total_b = total_w = total_ms = 0.0
    for name, rows in results.items():
        b = statistics.median(r[0] for r in rows)
        w = statistics.median(r[2] for r in rows)
        ms = statistics.median(r[1] for r in rows)
        total_b += b
        total_w += w
        total_ms += ms
        print(f"  {name:<7} {b / 1024:7.1f} KB  {w / 1024:6.1f} KB wire  {ms:6.1f} ms   "
              f"(max {max(r[1] for r in rows):.1f} ms)")
    print(f"  {'total':<7} {total_b / 1024:7.1f} KB  {total_w / 1024:6.1f} KB wire  {total_ms:6.1f} ms")
    from layouts.figures import map_figure

    geometry = prepare(published).geometry
    view = map_view(published, geometry.area_ids, ViewState.from_query("", choices))
    naive = to_json_plotly(map_figure(geometry, view, ["x"] * len(geometry.area_ids)))
    print(f"  for comparison: the full map figure (GeoJSON included, sent once per page load) is "
          f"{len(naive.encode()) / 1024:.1f} KB")


def measure_first_paint(port: int, published, runs: int = 3) -> None:
    """Time to the first painted map, as ``bench/first_paint.py`` measures it."""
    from bench.first_paint import run

    state = ViewState.from_query("", view_choices(published))
    r = run(f"http://127.0.0.1:{port}/", title_text(published, state.indicator, state.year), runs, detail=False)
    print(f"First painted map in headless Chromium: median {statistics.median(r['paint']):.0f} ms "
          f"(runs: {', '.join(f'{t:.0f}' for t in r['paint'])}); callback round trips before it: "
          f"{statistics.median(r['updates']):.0f}; hosts requested: {r['hosts']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    published = load_published(args.data)
    t1 = time.perf_counter()
    app = create_app(published=published)
    t2 = time.perf_counter()
    print(f"Data: {args.data}: {len(published.areas)} areas, {len(published.indicators)} indicators; "
          f"load+publish {t1 - t0:.1f} s, app start (geometry, layout) {t2 - t1:.2f} s")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        measure_callbacks(app, published, port, args.repeat)
        if not args.no_browser:
            measure_first_paint(port, published)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
