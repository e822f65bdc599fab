"""Time to build one Sozialraumprofil PDF (and XLSX) on the demo bundle.

``PYTHONPATH=. .venv/bin/python bench/profile_pdf.py [DIR] [--area ID] [--runs N]``: builds the
profile data and the files N times per area after one warm-up, prints median and max in ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dashboard.prepared import load_prepared
from dashboard.profile import area_profile
from dashboard.profile_files import area_pdf, area_xlsx

DEMO = Path(__file__).resolve().parents[1] / "geodata" / "staedteregion-aachen"


def _ms(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", nargs="?", default=str(DEMO))
    parser.add_argument("--area", default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    prepared = load_prepared(args.data_dir)
    area = args.area or prepared.geometry.area_ids[0]
    cold = time.perf_counter()
    profile = area_profile(prepared, area)
    data = area_pdf(profile, prepared.geometry)
    print(f"first profile + PDF (cold caches): {(time.perf_counter() - cold) * 1000:.0f} ms, {len(data) / 1024:.0f} KB")
    for label, fn in (
        ("profile data", lambda: area_profile(prepared, area)),
        ("PDF from data", lambda: area_pdf(profile, prepared.geometry)),
        ("profile data + PDF", lambda: area_pdf(area_profile(prepared, area), prepared.geometry)),
        ("XLSX from data", lambda: area_xlsx(profile)),
    ):
        times = _ms(fn, args.runs)
        print(f"{label:22s} median {statistics.median(times):7.0f} ms   max {max(times):7.0f} ms   (n={args.runs})")


if __name__ == "__main__":
    main()
