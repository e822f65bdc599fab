"""The map as a vector figure (polygons as SVG paths) for image files, slides and print.

Same ``MapView`` as the screen's Leaflet map, drawn with plotly ``scatter`` traces in a metric
projection: one filled trace per class (so the legend shows area swatches and each class is
one editable group in an SVG/PDF), municipality borders on top, selected areas outlined (never
faded), hatched "keine Daten" and dotted data-protection areas, the title, the legend with the
unit and the full source inside the image. It fits the region, or the municipality filter.
"""

from __future__ import annotations

import numpy as np
import shapely

from dashboard.charts.canvas import MUTED_COLOUR, SLIDE, Canvas, font
from dashboard.formatting import PLOTLY_SEPARATORS, plotly_text
from dashboard.geometry import METRIC_CRS, PreparedGeometry
from dashboard.mapview import HIDDEN, MISSING, OUTSIDE, MapView
from dashboard.texts import caption_lines

#: The selection's outline (the same magenta as on screen): differs from palettes and borders.
SELECTED_COLOUR = "#d6006f"
#: plotly fill patterns for the non-class codes (no information by colour alone).
PATTERNS = {MISSING: "/", HIDDEN: ".", OUTSIDE: ""}


def _rings(geoms: list, shift: tuple[float, float]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for geom in geoms:
        for poly in getattr(geom, "geoms", [geom]):
            if poly.is_empty or poly.geom_type != "Polygon":
                continue
            for ring in [poly.exterior, *poly.interiors]:
                coords = np.asarray(ring.coords)
                xs.extend(np.round(coords[:, 0] - shift[0], 1).tolist())
                ys.extend(np.round(coords[:, 1] - shift[1], 1).tolist())
                xs.append(None)
                ys.append(None)
    return xs, ys


def _lines(geoms: list, shift: tuple[float, float]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for geom in geoms:
        for part in getattr(geom, "geoms", [geom]):
            coords = np.asarray(part.coords)
            xs.extend(np.round(coords[:, 0] - shift[0], 1).tolist())
            ys.extend(np.round(coords[:, 1] - shift[1], 1).tolist())
            xs.append(None)
            ys.append(None)
    return xs, ys


def map_figure(geometry: PreparedGeometry, view: MapView, municipalities: tuple[str, ...] = (),
               canvas: Canvas = SLIDE, symbol: str = "•") -> dict:
    """A vector map of ``view`` for ``canvas`` (a plain figure dict, ready for kaleido or plotly.js)."""
    simple = geometry.simplified
    if simple is None:
        raise ValueError("geometry without simplified areas")
    metric = simple.to_crs(METRIC_CRS)
    geoms = list(metric.geometry)
    index = {a: i for i, a in enumerate(geometry.area_ids)}
    chosen = metric if not municipalities else metric[metric["municipality_id"].isin(municipalities)]
    minx, miny, maxx, maxy = (chosen if len(chosen) else metric).total_bounds
    shift = (float(minx), float(miny))
    traces: list[dict] = []
    for code in range(view.k + 3):
        members = [geoms[i] for i, c in enumerate(view.codes) if c == code]
        if not members:
            continue
        entry_label, pattern = _legend_label(view, code, symbol)
        xs, ys = _rings(members, shift)
        trace = {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                 "fillcolor": view.colours[code], "line": {"color": "#4d4d4d", "width": 0.6},
                 "name": plotly_text(entry_label), "hoverinfo": "skip", "showlegend": code - view.k != OUTSIDE,
                 "legendrank": code}
        if pattern:
            trace["fillpattern"] = {"shape": pattern, "fgcolor": "#555555", "bgcolor": view.colours[code],
                                    "size": 10, "solidity": 0.25}
        traces.append(trace)
    borders = shapely.get_parts(shapely.boundary(shapely.union_all(geoms)))  # region outline
    muni_lines = [g.boundary for g in metric.dissolve(by="municipality_id").geometry]
    bx, by = _lines(muni_lines + list(borders), shift)
    traces.append({"type": "scatter", "x": bx, "y": by, "mode": "lines", "line": {"color": "#1a1a1a", "width": 2.2},
                   "hoverinfo": "skip", "showlegend": False, "name": "Kommunengrenzen"})
    picked = [geoms[index[a]] for a in view.selected if a in index]
    if picked:
        sx, sy = _rings(picked, shift)
        traces.append({"type": "scatter", "x": sx, "y": sy, "mode": "lines", "line": {"color": SELECTED_COLOUR, "width": 4},
                       "hoverinfo": "skip", "showlegend": True, "name": f"ausgewählt ({len(picked)})",
                       "legendrank": 999})
    return {"data": traces, "layout": _layout(view, canvas, (0.0, float(maxx - minx)), (0.0, float(maxy - miny)))}


def _legend_label(view: MapView, code: int, symbol: str) -> tuple[str, str]:
    if code < view.k:
        entry = view.legend[code]
        return f"{entry.label} ({entry.count})", ""
    kind = code - view.k
    if kind == MISSING:
        return f"keine Daten ({view.missing_count})", PATTERNS[MISSING]
    if kind == HIDDEN:
        return f"{symbol} Datenschutz ({view.hidden_count})", PATTERNS[HIDDEN]
    return "außerhalb des Filters", ""


def _layout(view: MapView, canvas: Canvas, xr: tuple[float, float], yr: tuple[float, float]) -> dict:
    width, height = canvas.width or 1600, canvas.height or 900
    caption = [plotly_text(line) for line in caption_lines(view.caption, canvas.caption_chars)]
    top = int(canvas.title_size * 1.3 + canvas.text_size * 2.2 + 24)
    bottom = int(canvas.line_px * len(caption) + 24)
    legend_w = int(canvas.text_size * 17)
    # Pad the data range so the map keeps its aspect ratio inside the plot area and fills it.
    plot_w, plot_h = max(width - legend_w - 40, 100), max(height - top - bottom, 100)
    span_x, span_y = xr[1] - xr[0], yr[1] - yr[0]
    scale = max(span_x / plot_w, span_y / plot_h) * 1.03
    cx, cy = (xr[0] + xr[1]) / 2, (yr[0] + yr[1]) / 2
    x_range = [cx - scale * plot_w / 2, cx + scale * plot_w / 2]
    y_range = [cy - scale * plot_h / 2, cy + scale * plot_h / 2]
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    return {
        "width": width, "height": height, "font": font(canvas), "separators": PLOTLY_SEPARATORS,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "showlegend": True,
        "title": {"text": f"<b>{plotly_text(view.title)}</b><br>"
                          f"<span style='font-size:{canvas.text_size}px'>{plotly_text(view.subtitle)}</span>",
                  "x": 0.02, "xanchor": "left", "y": 0.985, "yanchor": "top", "font": {"size": canvas.title_size}},
        "xaxis": {**axis, "range": x_range, "domain": [0, plot_w / (width - 40)]},
        "yaxis": {**axis, "range": y_range, "scaleanchor": "x", "scaleratio": 1},
        "margin": {"l": 20, "r": 20, "t": top, "b": bottom},
        "legend": {"title": {"text": f"<b>{plotly_text(view.legend_title)}</b><br>(Anzahl Sozialräume in Klammern)"},
                   "x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.9)",
                   "font": {"size": canvas.text_size}, "itemsizing": "constant", "traceorder": "normal"},
        "annotations": [{"text": "<br>".join(caption), "x": 0, "y": 0, "xref": "paper", "yref": "paper",
                         "xanchor": "left", "yanchor": "top", "yshift": -8, "showarrow": False, "align": "left",
                         "font": {"size": canvas.caption_size, "color": MUTED_COLOUR}}],
    }
