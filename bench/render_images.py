"""Render the map and the time series as slide images (1920 × 1080 PNG) with kaleido.

    .venv/bin/python bench/render_images.py [--data DIR] [--query "?indicator=…&areas=…"] [--out /tmp]

Uses the same figure functions as the app (``layouts.figures``), so what is checked here is
what the modebar's PNG button downloads: title with indicator, unit and year, and the whole
source/attribution inside the image. kaleido finds Debian's ``/usr/bin/chromium`` by itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotly.io as pio  # noqa: E402
from dashboard.views import map_view  # noqa: E402
from layouts.figures import map_figure, series_for  # noqa: E402

from app import DEFAULT_DATA, load_published, prepare  # noqa: E402
from dashboard.state import ViewState  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--query", default="")
    parser.add_argument("--out", default="/tmp")
    args = parser.parse_args()
    data = prepare(load_published(args.data))
    state = ViewState.from_query(args.query, data.choices)
    if not state.areas:  # a few areas so the time series shows lines, as on a real slide
        state = state.select_areas(list(data.geometry.area_ids[:3]))
    shown = data.for_indicator(state.indicator)
    view = map_view(shown, data.geometry.area_ids, state, matrix=data.matrix(state.indicator))
    figures = {
        "karte": map_figure(data.geometry, view, list(data.area_names), data.tile_url),
        "zeitreihe": series_for(shown, state)[0],
    }
    out = Path(args.out)
    for name, fig in figures.items():
        path = out / f"sozialraum-{name}-{state.indicator}-{state.year}.png"
        t0 = time.perf_counter()
        pio.write_image(fig, path, width=1920, height=1080)
        print(f"{path}  ({path.stat().st_size / 1024:.0f} KB, {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
