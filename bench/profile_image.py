"""Profile image timings on this machine: one Sozialraumprofil PNG (slide 1920×1080) with a warm
renderer, and its figure alone (no browser).

    .venv/bin/python bench/profile_image.py [--data DIR] [--runs 5]

The PNG time covers the whole export (profile, spreads, figure, render); areas and themes change
between runs so no cache makes it look faster. The first image (browser start) is reported
separately. Target as for the map (issue 9): < 1.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import DEFAULT_DATA  # noqa: E402
from dashboard.charts.profile_chart import profile_figure  # noqa: E402
from dashboard.exports import renderer  # noqa: E402
from dashboard.exports.profile_image import profile_chart_data, render_profile  # noqa: E402
from dashboard.prepared import load_prepared  # noqa: E402


def _fmt(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s (n={len(seconds)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    prepared = load_prepared(args.data)
    areas, themes = prepared.geometry.area_ids, prepared.catalogue.themes
    year = max(prepared.published.years)
    started = time.perf_counter()
    render_profile(prepared, areas[0], "png", year, themes[0])
    print(f"Profile PNG, first (starts the browser): {time.perf_counter() - started:.2f} s")
    figure_s, png_s = [], []
    for k in range(args.runs):
        area, theme = areas[(7 * k + 3) % len(areas)], themes[k % len(themes)]
        started = time.perf_counter()
        profile_figure(profile_chart_data(prepared, area, year, theme), prepared.geometry)
        figure_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        data, name = render_profile(prepared, area, "png", year, theme)
        png_s.append(time.perf_counter() - started)
    print(f"Profile figure only (no browser): {_fmt(figure_s)}")
    print(f"Profile PNG 1920×1080, warm: {_fmt(png_s)}  [{name}, {len(data) // 1024} KB]  target < 1.5 s")
    renderer().stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
