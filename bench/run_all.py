"""Every benchmark in one run, and the results table of docs/performance.md.

    .venv/bin/python bench/run_all.py            # the full run (about 20 minutes on 2 cores)
    .venv/bin/python bench/run_all.py --quick    # tiny sizes and counts (smoke test, < 2 minutes)

Writes bench/results/*.json and replaces the table between the markers in docs/performance.md
(``--no-docs`` leaves the docs alone). Each figure is shown against its target (issue 10) and,
where there is one, against the naive app measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import browser, callbacks, load, start  # noqa: E402
from bench.common import ROOT, write_result  # noqa: E402

DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
KB = 1024


def _ok(passed: bool) -> str:
    return "✅" if passed else "❌"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.0f}×" if b else "–"


def callback_rows(result: dict[str, Any]) -> list[str]:
    rows = ["| Switch | Areas | Server CPU ms (naive) | JSON KB (naive) | Wire KB gzip (naive) | Fewer bytes | Less time | Target | |",
            "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for n, data in result["sizes"].items():
        for switch in callbacks.SWITCHES:
            r, v = data["real"][switch], data["naive"][switch]
            target, passed = "≥ 50× bytes, ≥ 5× time", v["json"] / max(r["json"], 1) >= 50 and v["ms"] / r["ms"] >= 5
            if switch == "indicator":
                size_kb, ms = (3.8, 20) if int(n) < 500 else (300, 150)
                target = f"< {size_kb} KB, < {ms} ms; " + target
                passed = passed and r["json"] / KB < size_kb and r["ms"] < ms
            rows.append(f"| {switch} | {int(n):,} | {r['ms']:.1f} ({v['ms']:.0f}) | {r['json'] / KB:.1f} ({v['json'] / KB:.0f}) "
                        f"| {r['wire'] / KB:.1f} ({v['wire'] / KB:.0f}) | {_ratio(v['json'], r['json'])} "
                        f"| {v['ms'] / r['ms']:.1f}× | {target} | {_ok(passed)} |")
    return rows


def browser_rows(result: dict[str, Any]) -> list[str]:
    rows = ["| Browser (headless Chromium) | Areas | Real app | Naive | Target | |", "|---|---:|---:|---:|---|---|"]
    for n, data in result["sizes"].items():
        a, v = data["app"], data["naive"]
        small = int(n) < 500
        limit, repaint = (2000, 300) if small else (5000, 1500)
        rows.append(f"| first painted map | {int(n):,} | {a['first_paint_ms']:.0f} ms | {v['first_paint_ms']:.0f} ms "
                    f"| < {limit / 1000:.0f} s and ≤ naive | {_ok(a['first_paint_ms'] < limit and a['first_paint_ms'] <= v['first_paint_ms'])} |")
        rows.append(f"| repaint after indicator switch | {int(n):,} | {a['repaint_ms']:.0f} ms | {v['repaint_ms']:.0f} ms "
                    f"| < {repaint} ms | {_ok(a['repaint_ms'] < repaint)} |")
        rows.append(f"| requests to other hosts | {int(n):,} | {', '.join(a['foreign_hosts']) or 'none'} | "
                    f"{', '.join(v['foreign_hosts']) or 'none'} | none | {_ok(not a['foreign_hosts'])} |")
    return rows


def other_rows(start_result: dict[str, Any], load_result: dict[str, Any], memory: dict[str, Any]) -> list[str]:
    rows = ["| Measure | Figure | Target | |", "|---|---|---|---|"]
    for size, s in start_result["sizes"].items():
        rows.append(f"| cold start {size} areas, without cache | {s['without_cache_s']:.1f} s | – | |")
        rows.append(f"| cold start {size} areas, with prepared cache (until /healthz answers) | {s['with_cache_s']:.1f} s "
                    f"| < 3 s | {_ok(s['with_cache_s'] < 3)} |")
        if "with_cache_first_page_s" in s:
            rows.append(f"| cold start {size} areas, with prepared cache, until the first atlas page is served "
                        f"| {s['with_cache_first_page_s']:.1f} s | < 3 s | {_ok(s['with_cache_first_page_s'] < 3)} |")
    lr = load_result
    rows.append(f"| load: {lr['users']} users × {lr['seconds']:.0f} s, gunicorn 2 workers ({lr['requests']} callback requests) "
                f"| p50 {lr['p50_ms']} ms, p95 {lr['p95_ms']} ms, p99 {lr['p99_ms']} ms, errors {lr['errors']} "
                f"| p95 < 300 ms, no errors | {_ok(lr['p95_ms'] < 300 and lr['errors'] == 0)} |")
    for size, m in memory.items():
        rss = max(w["rss_mb"] for w in m["memory_after"]) if m["memory_after"] else float("nan")
        pss = max(w["pss_mb"] for w in m["memory_after"]) if m["memory_after"] else float("nan")
        limit = f"< 400 MB | {_ok(rss < 400)}" if int(size) >= 5000 else "– |"
        rows.append(f"| memory per worker, {int(size):,} areas (RSS; PSS = shared pages split) | RSS {rss:.0f} MB, "
                    f"PSS {pss:.0f} MB | {limit} |")
    return rows


def render(results: dict[str, Any]) -> str:
    head = (f"Run of {results['finished']} on {os.cpu_count()} cores; load average before "
            f"{results['load_before'][0]:.1f}, after {results['load_after'][0]:.1f} "
            f"(other developers share the machine). Command: `{results['command']}`.")
    parts = [head, "", *callback_rows(results["callbacks"]), "", *browser_rows(results["browser"]), "",
             *other_rows(results["start"], results["load"], results["memory"])]
    return "\n".join(parts)


def write_docs(table: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOCS.write_text(f"{before}{BEGIN}\n{table}\n{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and counts (smoke test)")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--big", default=None,
                        help="the large size (default 10000; its first start publishes it, which takes long)")
    args = parser.parse_args(argv)
    quick = args.quick
    big = args.big or ("60" if quick else "10000")
    command = "bench/run_all.py" + (" --quick" if quick else "") + (f" --big {args.big}" if args.big else "")
    results: dict[str, Any] = {"command": command, "load_before": os.getloadavg()}
    sizes = ["40", big] if quick else list(dict.fromkeys(["93", "1000", big]))
    results["callbacks"] = callbacks.run(sizes, 3 if quick else 15)
    if args.skip_browser:
        results["browser"] = {"sizes": {}}
    else:
        results["browser"] = browser.run(["40"] if quick else ["93", big], 1 if quick else 3)
    results["start"] = start.run(["40" if quick else "93"], 1 if quick else 3)
    results["load"] = load.run("40" if quick else "93", 5 if quick else 50, 5 if quick else 60,
                               200 if quick else 40000)
    results["memory"] = {str(results["load"]["size"] if not quick else 40): results["load"]}
    results["memory"][big] = load.memory(big)
    results["load_after"] = os.getloadavg()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write_result("run_all_quick" if quick else "run_all", results)
    table = render(results)
    print(table)  # noqa: T201
    if not args.no_docs and not quick:
        write_docs(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
