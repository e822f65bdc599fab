"""A trend sparkline as a tiny inline SVG, built on the server from published values only.

A hidden or missing year is a gap in the line (never an interpolated point), so the picture
tells nothing about a hidden value; the first and last published values are marked.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 120, 28, 3
LINE = "#1f4e79"


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def segments(points: Sequence[tuple[int, float | None]], width: float = WIDTH, height: float = HEIGHT,
             pad: float = PAD) -> list[list[tuple[float, float]]]:
    """Runs of consecutive published years as (x, y) in pixel space; a gap starts a new run."""
    known = [v for _, v in points if _finite(v)]
    if not points or not known:
        return []
    lo, hi = min(known), max(known)
    span = hi - lo or 1.0
    n = len(points)
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i, (_, v) in enumerate(points):
        if not _finite(v):
            if current:
                runs.append(current)
            current = []
            continue
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * ((v - lo) / span if hi > lo else 0.5)  # type: ignore[operator]
        current.append((round(x, 1), round(y, 1)))
    if current:
        runs.append(current)
    return runs


def sparkline_svg(points: Sequence[tuple[int, float | None]], label: str) -> str:
    """The SVG text; ``label`` (German, e.g. "Verlauf 2016–2024") becomes its accessible title."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img"><title>{escape(label)}</title>']
    for run in segments(points):
        if len(run) == 1:
            x, y = run[0]
            parts.append(f'<circle cx="{x}" cy="{y}" r="1.6" fill="{LINE}"/>')
        else:
            path = " ".join(f"{x},{y}" for x, y in run)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.6"/>')
    runs = segments(points)
    if runs:
        x, y = runs[-1][-1]
        parts.append(f'<circle cx="{x}" cy="{y}" r="2.2" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    """For an ``<img src>``: no request leaves the page."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
