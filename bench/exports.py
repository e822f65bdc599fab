"""Export timings on this machine: a slide PNG with a warm renderer, a 12-slide deck, and the
presentation mode's repaint after a key press in headless Chromium.

    .venv/bin/python bench/exports.py [--data DIR] [--runs 5] [--skip-browser]

Targets (issue 9): PNG < 1.5 s, deck < 20 s, presentation step < 0.5 s. The PNG time covers the
whole export (view, figure, render); the first image (browser start) is reported separately.
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import DEFAULT_DATA, create_app  # noqa: E402
from dashboard.exports import render_view, renderer  # noqa: E402
from dashboard.exports.deck import build_deck, slide_plan  # noqa: E402
from dashboard.prepared import load_prepared  # noqa: E402
from dashboard.state import ViewState  # noqa: E402


def _fmt(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s (n={len(seconds)})"


def bench_png(prepared, runs: int) -> None:
    state = ViewState.from_query("", prepared.choices)
    started = time.perf_counter()
    render_view(prepared, state, "map", "png")
    print(f"PNG, first (starts the browser): {time.perf_counter() - started:.2f} s")
    years = prepared.choices.years_of(state.indicator)
    seconds = []
    for k in range(runs):
        other = ViewState.from_dict({**state.to_dict(), "year": years[k % len(years)]}, prepared.choices)
        started = time.perf_counter()
        data, name = render_view(prepared, other, "map", "png")
        seconds.append(time.perf_counter() - started)
    print(f"PNG 1920×1080 map, warm: {_fmt(seconds)}  [{name}, {len(data) // 1024} KB]  target < 1.5 s")


def twelve_slide_state(prepared) -> ViewState:
    """A view whose deck has 12 slides: compare mode and three selected areas."""
    areas = ",".join(prepared.geometry.area_ids[i] for i in (3, 40, 70))
    return ViewState.from_query(f"?areas={areas}&compare=year", prepared.choices)


def bench_deck(prepared) -> None:
    state = twelve_slide_state(prepared)
    started = time.perf_counter()
    data, name = build_deck(prepared, state)
    seconds = time.perf_counter() - started
    print(f"Deck: {len(slide_plan(prepared, state))} slides in {seconds:.2f} s  [{name}, {len(data) // 1024} KB]"
          "  target < 20 s")


def bench_presentation(data_dir: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(data_dir)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fills = ("() => Array.from(document.querySelectorAll('#pres-map path.leaflet-interactive'))"
             ".map(p => p.getAttribute('fill')).join()")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{port}/praesentation")
            page.wait_for_selector("#presentation[data-fitted='true']", timeout=60000)
            seconds = []
            for k in range(runs):
                before = page.evaluate(fills)
                started = time.perf_counter()
                page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowDown")
                page.wait_for_function(f"c => ({fills})() !== c", arg=before)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")  # painted
                seconds.append(time.perf_counter() - started)
            browser.close()
    finally:
        server.shutdown()
    print(f"Presentation step (key -> repainted map): {_fmt(seconds)}  target < 0.5 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    prepared = load_prepared(args.data)
    bench_png(prepared, args.runs)
    bench_deck(prepared)
    renderer().stop()
    if not args.skip_browser:
        bench_presentation(args.data, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
