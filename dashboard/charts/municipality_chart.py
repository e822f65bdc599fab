"""The Kommunenprofil's small-multiple maps as one figure for a slide or a page: one vector map
per indicator of the theme, restricted to the municipality, each with its title and legend.

The maps are the same ``MapView``s as on the page (classes from the municipality's areas); the
grid takes as many columns as make the maps largest on the canvas. Areas are filled paths (one
trace per class and map), legends are swatches and text, so an SVG/PDF stays editable.
"""

from __future__ import annotations

import math
from dataclasses import replace

import shapely

from dashboard.charts.canvas import MUTED_COLOUR, SLIDE, Canvas, font
from dashboard.charts.map_chart import DEMO_BADGE, PATTERNS, _lines, _pattern, _rings, _text_px
from dashboard.formatting import PLOTLY_SEPARATORS, plotly_text
from dashboard.geometry import METRIC_CRS, PreparedGeometry
from dashboard.mapview import HIDDEN, MISSING, MapView
from dashboard.profile import MunicipalityProfile
from dashboard.texts import HIDDEN_TEXT, caption_lines


def municipality_geometry(geometry: PreparedGeometry, area_ids: tuple[str, ...]) -> PreparedGeometry:
    """Only the municipality's areas: a small multiple does not carry the whole region's outlines."""
    keep = set(area_ids)
    simple = geometry.simplified
    subset = simple[simple["area_id"].isin(keep)] if simple is not None else None
    order = tuple(a for a in geometry.area_ids if a in keep)
    if subset is not None:
        subset = subset.set_index("area_id", drop=False).loc[list(order)].reset_index(drop=True)
    return replace(geometry, area_ids=order, simplified=subset)


def restrict_view(full: PreparedGeometry, view: MapView, part: PreparedGeometry) -> MapView:
    """``view`` on the areas of ``part`` only (same classes, no selection)."""
    position = {a: i for i, a in enumerate(full.area_ids)}
    pick = [position[a] for a in part.area_ids]
    return replace(view, codes=[view.codes[i] for i in pick], values=[view.values[i] for i in pick],
                   ranks=[view.ranks[i] for i in pick], selected=[])


def _legend_rows(view: MapView, symbol: str) -> list[tuple[str, str, str]]:
    """(label, colour, pattern) of one small map's legend: its classes, then hidden and missing."""
    rows = [(e.label, view.colours[c], "") for c, e in enumerate(view.legend[:view.k])]
    if view.hidden_count:
        rows.append((f"{symbol} Datenschutz", view.colours[view.k + HIDDEN], PATTERNS[HIDDEN]))
    if view.missing_count:
        rows.append(("keine Daten", view.colours[view.k + MISSING], PATTERNS[MISSING]))
    return rows


def _grid(n: int, size: tuple[float, float], span: tuple[float, float], legend: tuple[float, float],
          title_h: float) -> tuple[int, int] | None:
    """Columns and rows that make the maps largest (px per metre) while every legend fits beside
    its map (``legend`` = its width and height); None when no grid fits."""
    width, height = size
    best: tuple[float, int, int] | None = None
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        map_w = width / cols - legend[0]
        map_h = height / rows - title_h
        if map_w <= 20 or map_h < max(legend[1], 20):
            continue
        scale = min(map_w / span[0], map_h / span[1])
        if best is None or scale > best[0]:
            best = (scale, cols, rows)
    return None if best is None else (best[1], best[2])


def municipality_figure(profile: MunicipalityProfile, geometry: PreparedGeometry, views: list[MapView],
                        canvas: Canvas = SLIDE, caption: str = "") -> dict:
    """Every indicator of ``profile``'s theme as a small map, in one figure for ``canvas``."""
    part = municipality_geometry(geometry, profile.area_ids)
    views = [restrict_view(geometry, v, part) for v in views]
    width, height = canvas.width or 1600, canvas.height or 900
    ts = canvas.text_size
    small = max(18, round(ts * 0.85)) if ts >= 18 else ts
    note_size = small
    pad = max(int(width * 0.02), 16)
    inner_w = width - 2 * pad
    lines = [plotly_text(t) for t in caption_lines(caption, max(canvas.caption_chars,
                                                                  int(inner_w / (canvas.caption_size * 0.54))))]
    note = f"{profile.symbol} = {HIDDEN_TEXT}; Klassen je Karte aus den Sozialräumen der Kommune (Quantile); " \
           "Anzahlen als Dichte je km²"
    note_lines = caption_lines(note, int(inner_w / (note_size * 0.56)))
    note_h = note_size * 1.3 * len(note_lines) + note_size * 0.4
    if canvas.framed:
        top = int(pad * 0.6 + canvas.title_size * 1.35 + ts * 1.7 + pad * 0.6)
        bottom = int(canvas.line_px * len(lines) + note_h + pad * 0.9)
    else:
        top, bottom = int(pad * 0.5), int(note_h + pad * 0.5)
    inner_h = height - top - bottom
    simple = part.simplified
    if simple is None or not len(simple) or not views:
        return {"data": [], "layout": {"width": width, "height": height, "font": font(canvas)}}
    metric = simple.to_crs(METRIC_CRS)
    geoms = list(metric.geometry)
    minx, miny, maxx, maxy = metric.total_bounds
    shift = (float(minx), float(miny))
    span = (max(float(maxx - minx), 1.0), max(float(maxy - miny), 1.0))
    rows_of = [_legend_rows(v, profile.symbol) for v in views]
    longest = max(_text_px(label, 1.0) for rows in rows_of for label, _, _ in rows)
    most = max(len(rows) for rows in rows_of)
    # The largest type (from the canvas's down to 12 px) at which every legend fits beside its map.
    for size in [small, *range(int(small) - 1, 11, -1)]:
        swatch, row_h, title_h = size * 1.1, size * 1.25, size * 1.8
        legend_w = longest * size + swatch + size * 1.4
        grid = _grid(len(views), (inner_w, inner_h), span, (legend_w, most * row_h), title_h)
        if grid is not None:
            break
    small = size
    cols, nrows = grid or (math.ceil(math.sqrt(len(views))), math.ceil(len(views) / math.ceil(math.sqrt(len(views)))))
    cell_w, cell_h = inner_w / cols, inner_h / nrows
    map_w, map_h = cell_w - legend_w, cell_h - title_h
    scale = min(map_w / span[0], map_h / span[1])  # px per metre, the same for every map
    outline = shapely.get_parts(shapely.boundary(shapely.union_all(geoms)))
    ox, oy = _lines(list(outline), shift)
    traces: list[dict] = []
    notes: list[dict] = []
    axes: dict[str, dict] = {}
    hide = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    page = {"xref": "x2", "yref": "y2", "showarrow": False}
    for k, (view, rows) in enumerate(zip(views, rows_of, strict=True)):
        col, row = k % cols, k // cols
        x0, y0 = pad + col * cell_w, top + row * cell_h
        chars = int((cell_w - small * 1.2) / (small * 0.64))  # bold type is wider
        title = view.legend_title
        if len(title) > chars:  # cut at a word, so the next map's title keeps its distance
            title = title[:chars - 1].rsplit(" ", 1)[0].rstrip(" ,(–-") + " …"
        notes.append({**page, "text": f"<b>{plotly_text(title)}</b>", "x": x0,
                      "y": y0 + small * 0.2, "xanchor": "left", "yanchor": "top", "align": "left",
                      "font": {"size": small}})
        n = k + 3
        used_w, used_h = span[0] * scale, span[1] * scale
        mx0, my0 = x0 + (map_w - used_w) / 2, y0 + title_h + small * 0.2  # top-aligned with the legend
        axes[f"xaxis{n}"] = {**hide, "range": [0, span[0]], "domain": [mx0 / width, (mx0 + used_w) / width],
                             "anchor": f"y{n}"}
        axes[f"yaxis{n}"] = {**hide, "range": [0, span[1]],
                             "domain": [1 - (my0 + used_h) / height, 1 - my0 / height], "anchor": f"x{n}"}
        for code in range(view.k + 3):
            members = [geoms[i] for i, c in enumerate(view.codes) if c == code]
            if not members:
                continue
            xs, ys = _rings(members, shift)
            trace = {"type": "scatter", "x": xs, "y": ys, "xaxis": f"x{n}", "yaxis": f"y{n}", "mode": "lines",
                     "fill": "toself", "fillcolor": view.colours[code], "line": {"color": "#4d4d4d", "width": 0.5},
                     "hoverinfo": "skip", "showlegend": False, "name": plotly_text(f"{view.legend_title}: {code}")}
            pattern = PATTERNS.get(code - view.k, "") if code >= view.k else ""
            if pattern:
                trace["fillpattern"] = _pattern(pattern, view.colours[code])
            traces.append(trace)
        traces.append({"type": "scatter", "x": ox, "y": oy, "xaxis": f"x{n}", "yaxis": f"y{n}", "mode": "lines",
                       "line": {"color": "#1a1a1a", "width": 1.6}, "hoverinfo": "skip", "showlegend": False,
                       "name": "Kommunengrenze"})
        lx, ly = x0 + map_w + small * 0.6, y0 + title_h + small * 0.2
        for label, colour, pattern in rows:
            sx = [lx, lx + swatch, lx + swatch, lx, lx]
            sy = [ly, ly, ly + small * 0.9, ly + small * 0.9, ly]
            swatch_trace = {"type": "scatter", "x": sx, "y": sy, "xaxis": "x2", "yaxis": "y2", "mode": "lines",
                            "fill": "toself", "fillcolor": colour, "line": {"color": "#4d4d4d", "width": 1},
                            "hoverinfo": "skip", "showlegend": False, "name": plotly_text(label)}
            if pattern:
                swatch_trace["fillpattern"] = _pattern(pattern, colour)
            traces.append(swatch_trace)
            notes.append({**page, "text": plotly_text(label), "x": lx + swatch + small * 0.4, "y": ly + small * 0.45,
                          "xanchor": "left", "yanchor": "middle", "font": {"size": small}})
            ly += row_h
    notes.append({**page, "text": "<br>".join(plotly_text(t) for t in note_lines), "x": pad,
                  "y": height - bottom + note_size * 0.3, "xanchor": "left", "yanchor": "top", "align": "left",
                  "font": {"size": note_size, "color": MUTED_COLOUR}})
    layout = {
        "width": width, "height": height, "font": font(canvas), "separators": PLOTLY_SEPARATORS,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "rgba(0,0,0,0)", "showlegend": False,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
        "xaxis2": {**hide, "range": [0, width], "domain": [0, 1], "anchor": "y2"},
        "yaxis2": {**hide, "range": [height, 0], "domain": [0, 1], "anchor": "x2"},
        **axes, "annotations": notes,
    }
    if canvas.framed:
        layout["title"] = {"text": f"<b>Kommunenprofil {plotly_text(profile.name)}: {plotly_text(profile.theme)}</b>",
                           "x": pad / width, "xanchor": "left", "y": 1 - pad * 0.6 / height, "yanchor": "top",
                           "yref": "container", "font": {"size": canvas.title_size}}
        sub = f"{len(profile.area_ids)} Sozialräume · {profile.region} · Datenstand {profile.year}"
        notes.append({**page, "text": plotly_text(sub), "x": pad, "y": top - pad * 0.6, "xanchor": "left",
                      "yanchor": "bottom", "font": {"size": ts, "color": MUTED_COLOUR}})
        notes.append({**page, "text": "<br>".join(lines), "x": pad, "y": height - pad * 0.5, "xanchor": "left",
                      "yanchor": "bottom", "align": "left", "font": {"size": canvas.caption_size, "color": MUTED_COLOUR}})
        if profile.synthetic:
            notes.append({**page, "text": f"<b>{DEMO_BADGE}</b>", "x": width - pad, "y": pad * 0.6, "xanchor": "right",
                          "yanchor": "top", "bgcolor": "#ffc107", "bordercolor": "#8a6d00", "borderpad": ts * 0.3,
                          "font": {"size": ts, "color": "#212529"}})
    # the page axes first, so every small map's axes sit on top of the white paper
    layout["xaxis"] = {**hide}
    layout["yaxis"] = {**hide}
    return {"data": traces, "layout": layout}
