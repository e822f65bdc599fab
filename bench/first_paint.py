"""Time to the first painted map in headless Chromium, and what the page fetches before it.

    .venv/bin/python bench/first_paint.py [--data DIR] [--runs 5] [--query "?indicator=…"] [--detail]

Starts the real app on a free port (werkzeug, threaded) and opens the page N times in Debian's
``/usr/bin/chromium`` (Playwright, fresh context each run, so no HTTP cache). "Painted" means:
the map's MapLibre canvas is in the page and plotly fired ``plotly_afterplot`` on it. Also
reported: when the map shows the final values of the URL's view (its title matches the URL's
indicator and year), the number of requests, the ``/_dash-update-component`` round trips
before that moment and how many of them ran one after another (a chain). ``--detail`` prints
the resource timeline of the last run.
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.views import title_text, view_choices  # noqa: E402

from app import DEFAULT_DATA, create_app, load_published  # noqa: E402
from dashboard.state import ViewState  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: Installed before any page script: watches #map for plotly's afterplot with a canvas present.
PROBE = """
window.__paint = {afterplot: null, final: null, count: 0};
(function watch() {
    const gd = document.querySelector('#map .js-plotly-plot');
    if (gd && typeof gd.on === 'function' && !gd.__probe) {
        gd.__probe = true;
        gd.on('plotly_afterplot', () => {
            const p = window.__paint;
            if (!gd.querySelector('canvas')) { return; }
            p.count += 1;
            const t = performance.now();
            if (p.afterplot === null) { p.afterplot = t; }
            const title = (gd.layout && gd.layout.title && gd.layout.title.text) || '';
            if (p.final === null && window.__wanted && title.includes(window.__wanted)) { p.final = t; }
        });
    }
    if (!window.__paint.afterplot) { requestAnimationFrame(watch); }
})();
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chains(updates: list[dict], until: float) -> int:
    """Longest run of update round trips where each starts after the previous one ended."""
    done = [u for u in updates if u["end"] <= until + 1]
    longest = 0
    ends: list[float] = []
    depth: dict[int, int] = {}
    for i, u in enumerate(sorted(done, key=lambda u: u["start"])):
        before = [j for j, e in enumerate(ends) if e <= u["start"]]
        depth[i] = 1 + max((depth[j] for j in before), default=0)
        ends.append(u["end"])
        longest = max(longest, depth[i])
    return longest


def run(url: str, wanted: str, runs: int, detail: bool) -> dict:
    from playwright.sync_api import sync_playwright

    paints, finals, requests, updates_before, chains, hosts = [], [], [], [], [], set()
    last: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_init_script(f"window.__wanted = {wanted!r};" + PROBE)
            page = context.new_page()
            page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or urlparse(r.url).scheme)
                    if urlparse(r.url).scheme not in ("data", "blob") else None)
            page.goto(url, wait_until="commit")
            page.wait_for_function("window.__paint.afterplot !== null && window.__paint.final !== null",
                                   timeout=60000, polling=50)
            page.wait_for_timeout(300)
            paint = page.evaluate("window.__paint")
            resources = page.evaluate("""() => performance.getEntriesByType('resource').map(r => ({
                name: r.name.replace(location.origin, ''), start: r.startTime, end: r.responseEnd,
                size: r.transferSize, type: r.initiatorType}))""")
            nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                return {start: n.startTime, end: n.responseEnd, size: n.transferSize,
                        dcl: n.domContentLoadedEventEnd}; }""")
            updates = [r for r in resources if "_dash-update-component" in r["name"]]
            paints.append(paint["afterplot"])
            finals.append(paint["final"])
            requests.append(1 + len(resources))
            updates_before.append(sum(1 for u in updates if u["end"] <= paint["final"] + 1))
            chains.append(_chains(updates, paint["final"]))
            last = [{"name": "(page)", "type": "navigation", **nav}, *resources]
            context.close()
        browser.close()
    if detail:
        print("Resource timeline of the last run (ms from navigation start):")
        for r in sorted(last, key=lambda r: r["start"]):
            print(f"  {r['start']:7.0f} – {r['end']:7.0f}  {r['size'] / 1024:8.1f} KB  {r['type']:<10} {r['name'][:80]}")
    return {"paint": paints, "final": finals, "requests": requests, "updates": updates_before,
            "chain": chains, "hosts": sorted(hosts)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="", help="URL query of the opened view, e.g. ?indicator=SO02")
    parser.add_argument("--detail", action="store_true")
    args = parser.parse_args()
    published = load_published(args.data)
    app = create_app(published=published)
    state = ViewState.from_query(args.query, view_choices(published))
    wanted = title_text(published, state.indicator, state.year)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from werkzeug.serving import make_server

    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        r = run(f"http://127.0.0.1:{port}/{args.query}", wanted, args.runs, args.detail)
    finally:
        server.shutdown()
    med = statistics.median
    print(f"{len(published.areas)} areas, {args.runs} runs, view {args.query or '(default)'}")
    print(f"first painted map (canvas + plotly_afterplot): median {med(r['paint']):.0f} ms "
          f"(runs: {', '.join(f'{t:.0f}' for t in r['paint'])})")
    print(f"map with the URL's values:                    median {med(r['final']):.0f} ms "
          f"(runs: {', '.join(f'{t:.0f}' for t in r['final'])})")
    print(f"requests per page load: median {med(r['requests']):.0f}; callback round trips before the final map: "
          f"median {med(r['updates']):.0f}, longest sequential chain {med(r['chain']):.0f}; hosts {r['hosts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
