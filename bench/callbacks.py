"""Callbacks of the real app against the naive app: server time, JSON bytes and bytes on the wire.

    .venv/bin/python bench/callbacks.py [--sizes 93,1000,10000] [--repeat 15]

Four switches: indicator, year, classification method, selection change (a map click that
selects an area, or deselects the one it selected the round before). For the
real app a switch is the router callback plus every server callback the new view state fires
(map style, table, time series, compare geometry), posted in-process through Flask's test client
with ``Accept-Encoding: gzip`` exactly as the dash-renderer posts them; server time is the CPU
time of those requests together (no network; gzip included), JSON bytes the decoded bodies, wire bytes the gzip bodies. The
naive app (bench/naive.py) answers each switch with one figure, GeoJSON included.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bundle_dir, callback_key, median, payload, write_result  # noqa: E402
from layouts import ids  # noqa: E402

SWITCHES = ("indicator", "year", "method", "selection")


def post(client: Any, body: dict) -> tuple[float, int, int, dict]:
    """(CPU ms, JSON bytes, wire bytes, response) of one update request.

    The server's CPU time (``thread_time``: the test client runs the request in this thread) is
    what a request costs; wall time on this shared 2-core machine is mostly waiting for a core.
    """
    data = json.dumps(body)
    t0 = time.thread_time()
    response = client.post("/_dash-update-component", data=data, content_type="application/json",
                           headers={"Accept-Encoding": "gzip"})
    wire = response.get_data()
    ms = (time.thread_time() - t0) * 1000
    if response.status_code == 204:
        return ms, 0, 0, {}
    if response.status_code != 200:
        raise RuntimeError(f"{body['output'][:60]}: HTTP {response.status_code} {wire[:200]!r}")
    raw = gzip.decompress(wire) if response.headers.get("Content-Encoding") == "gzip" else wire
    return ms, len(raw), len(wire), json.loads(raw)


def _events(prepared: Any, n: int) -> list[tuple[str, str, Any, Any]]:
    """(switch, input 'id.prop', value, naive value) pairs that alternate between two views."""
    from dashboard.options import indicator_options, theme_of

    choices = prepared.choices
    first = choices.default_indicator
    same_theme = [o["value"] for o in indicator_options(prepared.published, theme_of(prepared.published, first))]
    other = next((i for i in same_theme if i != first), choices.indicators[1])
    years = list(choices.years_of(first))
    areas = list(choices.areas)
    out = []
    for k in range(n):
        out.append(("indicator", f"{ids.INDICATOR_SELECT}.value", [other, first][k % 2], None))
        out.append(("year", f"{ids.YEAR_SELECT}.value", years[-1 - (k % 2)] if len(years) > 1 else years[0], None))
        out.append(("method", f"{ids.CLASS_METHOD_SELECT}.value", ["equal_interval", "quantiles"][k % 2], None))
        # A click selects an area, the next click on it deselects it: at most one selected area,
        # as in the naive app (whose click highlights one area). Earlier runs clicked a new area
        # every round, so up to 15 areas (and their series lines) were selected at the end.
        area = areas[((k // 2) * 7919) % len(areas)]
        out.append(("selection", f"{ids.MAP_LAYER}.clickData", {"id": area}, area))
    return out


def measure_real(app: Any, prepared: Any, repeat: int) -> dict[str, dict[str, float]]:
    from dashboard.state import ViewState

    client = app.server.test_client()
    client.get("/_dash-layout")
    router = callback_key(app, f"{ids.VIEW_STATE}.data")
    followers = [k for k, spec in app.callback_map.items()
                 if "callback" in spec and k != router
                 and any(i["id"] == ids.VIEW_STATE for i in spec["inputs"])]
    state = ViewState.from_query("", prepared.choices).to_dict()
    props: dict[str, Any] = {f"{ids.VIEW_STATE}.data": state, f"{ids.URL}.search": "",
                             f"{ids.COMPARE_LOADED}.data": False}
    results: dict[str, list[tuple[float, int, int]]] = {s: [] for s in SWITCHES}
    per_callback: dict[str, dict[str, list[int]]] = {s: {} for s in SWITCHES}
    for switch, prop, value, _ in _events(prepared, repeat + 1):
        props[prop] = value
        ms, size, wire, out = post(client, payload(app, router, props, [prop]))
        total = [ms, size, wire]
        new_state = out.get("response", {}).get(ids.VIEW_STATE, {}).get("data")
        if new_state is not None:
            props[f"{ids.VIEW_STATE}.data"] = new_state
            for key in followers:
                ms, size, wire, _ = post(client, payload(app, key, props, [f"{ids.VIEW_STATE}.data"]))
                total = [total[0] + ms, total[1] + size, total[2] + wire]
                per_callback[switch].setdefault(key.strip(".").split(".")[0], []).append(size)
        results[switch].append(tuple(total))  # type: ignore[arg-type]
    return {s: {"ms": median([r[0] for r in rows[1:]]), "json": median([r[1] for r in rows[1:]]),
                "wire": median([r[2] for r in rows[1:]]),
                "json_by_callback": {k: median(v) for k, v in per_callback[s].items()}}
            for s, rows in results.items()}


def measure_naive(prepared: Any, folder: Any, repeat: int) -> dict[str, dict[str, float]]:
    from bench.naive import naive_app

    app = naive_app(prepared, folder)
    client = app.server.test_client()
    client.get("/_dash-layout")
    key = callback_key(app, "graph.figure")
    choices = prepared.choices
    props: dict[str, Any] = {"indicator-select.value": choices.default_indicator,
                             "year-select.value": choices.default_year, "class-method-select.value": "quantile",
                             "graph.clickData": None}
    naive_prop = {"indicator": "indicator-select.value", "year": "year-select.value",
                  "method": "class-method-select.value", "selection": "graph.clickData"}
    results: dict[str, list[tuple[float, int, int]]] = {s: [] for s in SWITCHES}
    for switch, _prop, value, area in _events(prepared, repeat + 1):
        prop = naive_prop[switch]
        props[prop] = {"points": [{"location": area}]} if switch == "selection" else value
        ms, size, wire, _ = post(client, payload(app, key, props, [prop]))
        results[switch].append((ms, size, wire))
    return {s: {"ms": median([r[0] for r in rows[1:]]), "json": median([r[1] for r in rows[1:]]),
                "wire": median([r[2] for r in rows[1:]])} for s, rows in results.items()}


def run(sizes: list[str], repeat: int) -> dict[str, Any]:
    from app import create_app
    from dashboard.cache import load_cached

    out: dict[str, Any] = {"repeat": repeat, "sizes": {}}
    for size in sizes:
        folder = bundle_dir(size)
        t0 = time.perf_counter()
        prepared, source = load_cached(folder)
        load_s = time.perf_counter() - t0
        app = create_app(folder)
        n = len(prepared.geometry.area_ids)
        real, naive = measure_real(app, prepared, repeat), measure_naive(prepared, folder, repeat)
        out["sizes"][str(n)] = {"bundle": str(folder), "load_s": round(load_s, 2), "cache": source,
                                "real": real, "naive": naive}
        for s in SWITCHES:
            r, v = real[s], naive[s]
            print(f"{n:>6} areas {s:<10} real {r['ms']:7.1f} ms {r['json'] / 1024:8.1f} KB json "  # noqa: T201
                  f"{r['wire'] / 1024:7.1f} KB wire | naive {v['ms']:7.1f} ms {v['json'] / 1024:8.1f} KB "
                  f"{v['wire'] / 1024:7.1f} KB | ×{v['json'] / max(r['json'], 1):.0f} bytes ×{v['ms'] / r['ms']:.1f} time",
                  flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="93,1000,10000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    result = run(args.sizes.split(","), args.repeat)
    write_result("callbacks", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
