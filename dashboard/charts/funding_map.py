"""The funding page's map for files: the need map (``map_figure``) with the funds as circles on top.

The same ``need_view`` and the same amounts per area as the page's Leaflet map (a filled circle
for the approved, a dashed ring for the requested amount, area ∝ amount), placed at the page's
marker points and projected like the polygons, with the circles' key under the need legend.
"""

from __future__ import annotations

import math

import geopandas as gpd

from dashboard.charts.canvas import MUTED_COLOUR, SLIDE, Canvas
from dashboard.charts.map_chart import map_figure
from dashboard.formatting import plotly_text
from dashboard.funding.basis import NeedBasis
from dashboard.funding.spread import Spread
from dashboard.funding.view import need_view
from dashboard.geometry import METRIC_CRS, PreparedGeometry

AWARDED_COLOUR = "#3f007d"  # as layouts/funding.py
REQUESTED_COLOUR = "#6a51a3"


def _points(geometry: PreparedGeometry, area_ids: list[str]) -> dict[str, tuple[float, float]]:
    """The page's marker points in the metric projection of ``map_figure``, shifted like its polygons."""
    simple = geometry.simplified
    assert simple is not None
    minx, miny, _, _ = simple.to_crs(METRIC_CRS).total_bounds
    known = [a for a in area_ids if a in geometry.marker_lat and a in geometry.marker_lon]
    pts = gpd.GeoSeries(gpd.points_from_xy([geometry.marker_lon[a] for a in known],
                                           [geometry.marker_lat[a] for a in known]), crs="EPSG:4326").to_crs(METRIC_CRS)
    return {a: (float(p.x - minx), float(p.y - miny)) for a, p in zip(known, pts, strict=True)}


def funding_map_figure(geometry: PreparedGeometry, basis: NeedBasis, result: Spread, canvas: Canvas = SLIDE,
                       field: str | None = None, symbol: str = "•", synthetic: bool = False,
                       whatif: bool = False) -> dict:
    """Need map of ``basis`` (one field or the number of fields) with the funds of ``result`` per area."""
    view = need_view(basis, geometry, field)
    figure = map_figure(geometry, view, (), canvas, symbol, synthetic)
    amounts = result.areas.set_index("area_id")
    biggest = max(float(amounts["awarded"].max()), float(amounts["requested"].max()), 1.0) if len(amounts) else 1.0
    largest = canvas.text_size * 1.9  # diameter (px) of the largest amount
    points = _points(geometry, [a for a in geometry.area_ids if a in amounts.index])

    def size(amount: float) -> float:
        return max(canvas.text_size * 0.45, largest * math.sqrt(amount / biggest)) if amount > 0 else 0.0

    rings, dots = ([], [], []), ([], [], [])
    for area, (x, y) in points.items():
        awarded, asked = float(amounts.at[area, "awarded"]), float(amounts.at[area, "requested"])
        for target, amount in ((rings, asked), (dots, awarded)):
            if amount > 0:
                target[0].append(x)
                target[1].append(y)
                target[2].append(size(amount))
    circles = [
        {"type": "scatter", "x": rings[0], "y": rings[1], "mode": "markers", "hoverinfo": "skip", "showlegend": False,
         "name": "beantragt", "marker": {"size": rings[2], "color": "rgba(0,0,0,0)", "sizemode": "diameter",
                                         "line": {"color": REQUESTED_COLOUR, "width": 2.5}}},
        {"type": "scatter", "x": dots[0], "y": dots[1], "mode": "markers", "hoverinfo": "skip", "showlegend": False,
         "name": "bewilligt", "marker": {"size": dots[2], "color": AWARDED_COLOUR, "opacity": 0.75,
                                         "sizemode": "diameter", "line": {"color": "#ffffff", "width": 1.5}}},
    ]
    legend = [t for t in figure["data"] if t.get("xaxis") == "x2"]
    polygons = [t for t in figure["data"] if t.get("xaxis") != "x2"]
    figure["data"] = polygons + circles + legend + _circle_key(legend, canvas, whatif, figure["layout"])
    return figure


def _circle_key(legend: list[dict], canvas: Canvas, whatif: bool, layout: dict) -> list[dict]:
    """Two key rows (filled circle, dashed ring) below the need legend, in its pixel axes."""
    if not legend:
        return []
    ts = canvas.text_size
    x0 = min(min(t["x"]) for t in legend)
    y = min(min(t["y"]) for t in legend) - ts * 1.6
    d = ts * 1.3
    rows = [("bewilligt" + (" (mit Auswahl)" if whatif else ""), {"color": AWARDED_COLOUR, "opacity": 0.75}),
            ("beantragt (offen und bewilligt)", {"color": "rgba(0,0,0,0)",
                                                 "line": {"color": REQUESTED_COLOUR, "width": 2.5}})]
    traces = []
    notes = layout.setdefault("annotations", [])
    notes.append({"xref": "x2", "yref": "y2", "showarrow": False, "xanchor": "left", "yanchor": "top", "x": x0, "y": y,
                  "text": "<b>Mittel je Sozialraum</b>", "font": {"size": ts}})
    y -= ts * 2.0
    for label, marker in rows:
        traces.append({"type": "scatter", "xaxis": "x2", "yaxis": "y2", "x": [x0 + d / 2], "y": [y], "mode": "markers",
                       "hoverinfo": "skip", "showlegend": False, "name": label,
                       "marker": {"size": d, "sizemode": "diameter", **marker}})
        notes.append({"xref": "x2", "yref": "y2", "showarrow": False, "xanchor": "left", "yanchor": "middle",
                      "x": x0 + d, "xshift": ts * 0.5, "y": y, "text": plotly_text(label), "font": {"size": ts}})
        y -= ts * 1.65
    notes.append({"xref": "x2", "yref": "y2", "showarrow": False, "xanchor": "left", "yanchor": "top", "x": x0,
                  "y": y + ts * 0.5, "align": "left", "text": "Kreisfläche ∝ Betrag; mehrere Zielräume<br>je Raum zu gleichen Teilen",
                  "font": {"size": ts * 0.85, "color": MUTED_COLOUR}})
    return traces
