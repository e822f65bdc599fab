"""The map as a vector figure (polygons as SVG paths) for image files, slides and print.

Same ``MapView`` as the screen's Leaflet map, drawn with plotly ``scatter`` traces in a metric
projection: one filled trace per class (so the legend shows area swatches and each class is
one editable group in an SVG/PDF), municipality borders on top, selected areas outlined (never
faded), hatched "keine Daten" and dotted data-protection areas, the title, the legend with the
unit and the full source inside the image. It fits the region, or the municipality filter:
the map is scaled to the largest size the canvas allows beside its legend, and map and legend
are centred as one block. The legend is drawn as shapes and text (not plotly's legend), so its
swatches are real areas and its type size is the canvas's.
"""

from __future__ import annotations

import numpy as np
import shapely

from dashboard.charts.canvas import MUTED_COLOUR, SLIDE, Canvas, font
from dashboard.formatting import PLOTLY_SEPARATORS, plotly_text
from dashboard.geometry import METRIC_CRS, PreparedGeometry
from dashboard.mapview import HIDDEN, MISSING, OUTSIDE, MapView
from dashboard.texts import caption_lines

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


#: Selection outline: a white halo under a black line reads on every class colour.
SELECTION_HALO = {"color": "#ffffff", "width": 9}
SELECTION_LINE = {"color": "#d6006f", "width": 4.5}  # the same magenta as on screen
DEMO_BADGE = "DEMODATEN"


def map_figure(geometry: PreparedGeometry, view: MapView, municipalities: tuple[str, ...] = (),
               canvas: Canvas = SLIDE, symbol: str = "•", synthetic: bool | None = None) -> dict:
    """A vector map of ``view`` for ``canvas`` (a plain figure dict, ready for kaleido or plotly.js).

    ``synthetic`` adds the "Demodaten" badge (default: when the caption names demo data).
    """
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
                 "name": plotly_text(entry_label), "hoverinfo": "skip", "showlegend": False}
        if pattern:
            trace["fillpattern"] = _pattern(pattern, view.colours[code])
        traces.append(trace)
    borders = shapely.get_parts(shapely.boundary(shapely.union_all(geoms)))  # region outline
    muni_lines = [g.boundary for g in metric.dissolve(by="municipality_id").geometry]
    bx, by = _lines(muni_lines + list(borders), shift)
    traces.append({"type": "scatter", "x": bx, "y": by, "mode": "lines", "line": {"color": "#1a1a1a", "width": 2.4},
                   "hoverinfo": "skip", "showlegend": False, "name": "Kommunengrenzen"})
    picked = [geoms[index[a]] for a in view.selected if a in index]
    if picked:
        sx, sy = _rings(picked, shift)
        for name, line in (("Auswahl (Rand)", SELECTION_HALO), ("Auswahl", SELECTION_LINE)):
            traces.append({"type": "scatter", "x": sx, "y": sy, "mode": "lines", "line": line,
                           "hoverinfo": "skip", "showlegend": False, "name": name})
    demo = ("Demodaten" in view.caption) if synthetic is None else synthetic
    layout, legend = _layout(view, canvas, (0.0, float(maxx - minx)), (0.0, float(maxy - miny)), symbol, demo,
                             bool(picked))
    return {"data": traces + legend, "layout": layout}


def _pattern(shape: str, colour: str) -> dict:
    return {"shape": shape, "fgcolor": "#555555", "bgcolor": colour, "size": 10, "solidity": 0.25}


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


def _legend_rows(view: MapView, symbol: str, selected: bool) -> list[tuple[str, str, str]]:
    """(label, fill colour, pattern) of every legend row, in drawing order."""
    rows = [(_legend_label(view, c, symbol)[0], view.colours[c], "") for c in range(view.k)]
    if view.missing_count:
        rows.append((_legend_label(view, view.k + MISSING, symbol)[0], view.colours[view.k + MISSING], "/"))
    if view.hidden_count:
        rows.append((_legend_label(view, view.k + HIDDEN, symbol)[0], view.colours[view.k + HIDDEN], "."))
    if selected:
        rows.append(("ausgewählte Sozialräume", "", "selection"))
    return rows


def _text_px(text: str, size: float) -> float:
    """A generous estimate of a label's width (no font metrics in a pure function)."""
    return len(text) * size * 0.56


def _layout(view: MapView, canvas: Canvas, xr: tuple[float, float], yr: tuple[float, float], symbol: str,
            demo: bool, selected: bool) -> tuple[dict, list[dict]]:
    width, height = canvas.width or 1600, canvas.height or 900
    ts, pad = canvas.text_size, int(canvas.width and canvas.width * 0.02 or 24)
    caption = [plotly_text(line) for line in caption_lines(view.caption, canvas.caption_chars)]
    framed = canvas.framed
    # Unframed (slides, projector): the page or the slide carries title, subtitle and source.
    top = int(pad * 0.6 + canvas.title_size * 1.35 + ts * 1.7 + pad * 0.5) if framed else int(pad * 0.5)
    bottom = int(canvas.line_px * len(caption) + pad * 0.7) if framed else int(pad * 0.5)
    rows = _legend_rows(view, symbol, selected)
    row_h = ts * 1.65
    swatch = ts * 1.6
    title_lines = caption_lines(view.legend_title, 30)
    legend_w = max([_text_px(r[0], ts) + swatch + ts * 0.6 for r in rows]
                   + [_text_px(t, ts) for t in title_lines] + [ts * 12])
    gap = ts * 1.5
    avail_w = max(width - 2 * pad - legend_w - gap, 100)
    avail_h = max(height - top - bottom, 100)
    span_x, span_y = max(xr[1] - xr[0], 1.0), max(yr[1] - yr[0], 1.0)
    scale = max(span_x / avail_w, span_y / avail_h) * 1.02  # metres per pixel
    map_w = span_x / scale * 1.02
    left = max(pad, (width - (map_w + gap + legend_w)) / 2)
    cx, cy = (xr[0] + xr[1]) / 2, (yr[0] + yr[1]) / 2
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    legend, notes = _legend_items(view, rows, title_lines, left + map_w + gap, (width, avail_h), ts, swatch, row_h)
    subtitle = plotly_text(view.subtitle)
    layout = {
        "width": width, "height": height, "font": font(canvas), "separators": PLOTLY_SEPARATORS,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "rgba(0,0,0,0)", "showlegend": False,
        "xaxis": {**axis, "range": [cx - scale * map_w / 2, cx + scale * map_w / 2],
                  "domain": [left / width, min(1.0, (left + map_w) / width)]},
        "yaxis": {**axis, "range": [cy - scale * avail_h / 2, cy + scale * avail_h / 2]},
        "xaxis2": {**axis, "range": [0, width], "domain": [0, 1], "anchor": "y2"},
        "yaxis2": {**axis, "range": [0, avail_h], "domain": [0, 1], "anchor": "x2"},
        "margin": {"l": 0, "r": 0, "t": top, "b": bottom, "pad": 0},
        "annotations": notes,
    }
    if not framed:
        return layout, legend
    layout["title"] = {"text": f"<b>{plotly_text(view.title)}</b>", "x": pad / width, "xanchor": "left",
                       "y": 1 - pad * 0.6 / height, "yanchor": "top", "yref": "container",
                       "font": {"size": canvas.title_size}}
    notes.insert(0, {"text": subtitle, "x": pad / width, "y": 1, "xref": "paper", "yref": "paper", "xanchor": "left",
                     "yanchor": "bottom", "yshift": pad * 0.4, "showarrow": False, "align": "left",
                     "font": {"size": ts, "color": MUTED_COLOUR}})
    notes.append({"text": "<br>".join(caption), "x": pad / width, "y": 0, "xref": "paper", "yref": "paper",
                  "xanchor": "left", "yanchor": "top", "yshift": -pad * 0.3, "showarrow": False, "align": "left",
                  "font": {"size": canvas.caption_size, "color": MUTED_COLOUR}})
    if demo:
        notes.append({"text": f"<b>{DEMO_BADGE}</b>", "x": 1 - pad / width, "y": 1, "yshift": top - pad * 0.6,
                      "xref": "paper", "yref": "paper", "xanchor": "right", "yanchor": "top", "showarrow": False,
                      "bgcolor": "#ffc107", "bordercolor": "#8a6d00", "borderpad": ts * 0.3,
                      "font": {"size": ts, "color": "#212529"}})
    return layout, legend


def _legend_items(view: MapView, rows: list[tuple[str, str, str]], title_lines: list[str], x0: float,
                  size: tuple[float, float], ts: float, swatch: float, row_h: float) -> tuple[list[dict], list[dict]]:
    """The legend as filled areas and texts on a second pair of axes in pixels (origin bottom left
    of the plot area), so swatches carry the same fills and patterns as the map."""
    width, plot_h = size
    traces: list[dict] = []
    ref = {"xref": "x2", "yref": "y2", "showarrow": False, "xanchor": "left"}
    notes: list[dict] = [{
        **ref, "text": "<br>".join(f"<b>{plotly_text(t)}</b>" for t in title_lines), "x": x0, "y": plot_h,
        "yanchor": "top", "align": "left", "font": {"size": ts}}]
    y = plot_h - len(title_lines) * ts * 1.3 - ts * 0.3
    notes.append({**ref, "text": "Anzahl Sozialräume in Klammern", "x": x0, "y": y, "yanchor": "top",
                  "font": {"size": ts * 0.85, "color": MUTED_COLOUR}})
    y -= ts * 1.7
    for label, colour, pattern in rows:
        x1, y0 = x0 + swatch, y - swatch * 0.75
        trace = {"type": "scatter", "xaxis": "x2", "yaxis": "y2", "x": [x0, x1, x1, x0, x0],
                 "y": [y0, y0, y, y, y0], "mode": "lines", "fill": "toself", "hoverinfo": "skip",
                 "showlegend": False, "name": plotly_text(label),
                 "fillcolor": colour or "#ffffff", "line": {"color": "#4d4d4d", "width": 1}}
        if pattern == "selection":
            trace["line"] = dict(SELECTION_LINE)
        elif pattern:
            trace["fillpattern"] = _pattern(pattern, colour)
        traces.append(trace)
        notes.append({**ref, "text": plotly_text(label), "x": x1, "y": (y0 + y) / 2, "yanchor": "middle",
                      "xshift": ts * 0.5, "font": {"size": ts}})
        y -= row_h
    return traces, notes
