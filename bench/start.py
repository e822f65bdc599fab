"""Cold start: a fresh ``python app.py`` process until /healthz answers (and until its first page is served), with and without the prepared cache.

    .venv/bin/python bench/start.py [--sizes 93] [--runs 3]

"without cache" runs with ``SOZIALRAUM_CACHE=off`` (load, validate, publish, prepare); "with
cache" first fills a temporary cache folder, then times starts that read it. Imports included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, bundle_dir, env_with, free_port, median, write_result  # noqa: E402

PYTHON = sys.executable


def start_once(folder: Path, cache: str, timeout: float = 900) -> tuple[float, float]:
    """Seconds from spawning ``app.py`` to the first 200 of /healthz, and to the first page served.

    "First page": the index page and the layout the browser asks for next (``/_dash-layout``,
    the whole atlas with its map), fetched right after /healthz answers, as a first visitor would.
    """
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([PYTHON, str(ROOT / "app.py"), "--data", str(folder), "--port", str(port),
                             "--cache", cache], env=env_with(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"app.py ended: {proc.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status != 200:
                        continue
                healthy = time.perf_counter() - t0
            except OSError:
                time.sleep(0.05)
                continue
            for path in ("/", "/_dash-layout"):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
                    r.read()
            return healthy, time.perf_counter() - t0
        raise TimeoutError(f"no /healthz within {timeout} s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(sizes: list[str], runs: int, uncached_runs: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": runs, "sizes": {}}
    for size in sizes:
        folder = bundle_dir(size)
        with tempfile.TemporaryDirectory(prefix="sozialraum-cache-") as cache:
            cold = [start_once(folder, "off") for _ in range(uncached_runs or runs)]
            first, _ = start_once(folder, cache)  # builds the cache entries
            warm = [start_once(folder, cache) for _ in range(runs)]
        out["sizes"][str(size)] = {
            "without_cache_s": round(median([h for h, _ in cold]), 2), "first_with_empty_cache_s": round(first, 2),
            "with_cache_s": round(median([h for h, _ in warm]), 2),
            "with_cache_first_page_s": round(median([p for _, p in warm]), 2),
            "runs_without": [round(h, 2) for h, _ in cold], "runs_with": [round(h, 2) for h, _ in warm],
            "runs_with_first_page": [round(p, 2) for _, p in warm]}
        s = out["sizes"][str(size)]
        print(f"start {size}: without cache {s['without_cache_s']:.1f} s, with cache {s['with_cache_s']:.2f} s, "  # noqa: T201
              f"first page {s['with_cache_first_page_s']:.2f} s (first start filling the cache {first:.1f} s)", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="93")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    write_result("start", run(args.sizes.split(","), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
