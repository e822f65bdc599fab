"""The Sozialraumprofil as one slide-ready figure: where the area lies, its indices and
Gestaltungsbedarfe, and one theme's indicators against its municipality and the region.

Left (or on top, on a portrait canvas): a locator map of the area in its region (vector paths),
the index classes and the Gestaltungsbedarfe. Right (or below): a table-like chart, one row per
indicator of the theme with the area's, the municipality's and the region's values as text and
a dot strip that places them in the spread of all Sozialräume (line: lowest to highest published
value, box: the middle half). Everything is drawn as shapes, markers and text on pixel axes, so
an SVG/PDF keeps text as text and every mark as a path.

Only the ``AreaProfile`` (published values; hidden = the symbol) and published area values (the
spread) are read: a hidden value is the symbol in the text and no dot on the strip.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from dashboard.charts.canvas import MUTED_COLOUR, SLIDE, TEXT_COLOUR, Canvas, font
from dashboard.charts.map_chart import DEMO_BADGE, SELECTION_HALO, SELECTION_LINE, _lines, _rings, _text_px
from dashboard.formatting import PLOTLY_SEPARATORS, plotly_text
from dashboard.geometry import METRIC_CRS, PreparedGeometry
from dashboard.profile import AreaProfile, IndicatorRow, Shown, ThemeBlock
from dashboard.texts import HIDDEN_TEXT, caption_lines

AREA_COLOUR = "#1f4e79"      # the area: locator fill and its dot (as on the profile page)
MUNI_COLOUR = "#6c757d"      # its municipality: diamond on the strip, light fill on the locator
REGION_COLOUR = "#212529"    # the region: a vertical bar on the strip
RANGE_COLOUR, BOX_COLOUR, ZEBRA = "#adb5bd", "#dee2e6", "#f5f6f7"
NEED_COLOURS = {"yes": ("#b02a37", "#ffffff"), "no": ("#e9ecef", TEXT_COLOUR)}


@dataclass(frozen=True)
class Spread:
    """Lowest, lower quartile, upper quartile and highest published area value of one indicator."""

    low: float
    q1: float
    q3: float
    high: float

    def position(self, value: float | None) -> float | None:
        """0..1 along the strip (values beyond the areas' spread, e.g. a mean, sit at its ends)."""
        if value is None or not np.isfinite(value):
            return None
        span = self.high - self.low
        return 0.5 if span <= 0 else float(min(max((value - self.low) / span, 0.0), 1.0))


def spread_of(values: np.ndarray) -> Spread | None:
    """The spread of published values (NaN = hidden or missing, left out); None if there is none."""
    shown = values[np.isfinite(values)]
    if shown.size == 0:
        return None
    q1, q3 = np.quantile(shown, [0.25, 0.75])
    return Spread(float(shown.min()), float(q1), float(q3), float(shown.max()))


@dataclass(frozen=True)
class ProfileChartData:
    """What the figure draws: the profile, the theme, the spreads, which indicators are counts and
    the source line (the locator's geometry comes separately, as for the map)."""

    profile: AreaProfile
    theme: ThemeBlock
    spreads: dict[str, Spread | None]
    counts: frozenset[str]
    caption: str


class _Page:
    """Texts, shapes and markers in pixel coordinates (origin top left, y down) on axes x2/y2."""

    def __init__(self) -> None:
        self.notes: list[dict] = []
        self.shapes: list[dict] = []
        self.markers: dict[str, dict] = {}

    def text(self, text: str, x: float, y: float, size: float, anchor: str = "left", colour: str = TEXT_COLOUR,
             bold: bool = False, valign: str = "middle", **extra: object) -> None:
        body = f"<b>{text}</b>" if bold and text else text
        self.notes.append({"text": body, "x": x, "y": y, "xref": "x2", "yref": "y2", "xanchor": anchor,
                           "yanchor": valign, "showarrow": False, "align": anchor if anchor != "center" else "center",
                           "font": {"size": size, "color": colour}, **extra})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str, line: str | None = None) -> None:
        self.shapes.append({"type": "rect", "xref": "x2", "yref": "y2", "x0": x0, "x1": x1, "y0": y0, "y1": y1,
                            "fillcolor": fill, "line": {"width": 1 if line else 0, "color": line or fill},
                            "layer": "below"})

    def line(self, x0: float, y0: float, x1: float, y1: float, colour: str, width: float) -> None:
        self.shapes.append({"type": "line", "xref": "x2", "yref": "y2", "x0": x0, "x1": x1, "y0": y0, "y1": y1,
                            "line": {"color": colour, "width": width}})

    def marker(self, name: str, x: float, y: float, style: dict) -> None:
        trace = self.markers.setdefault(name, {
            "type": "scatter", "mode": "markers", "xaxis": "x2", "yaxis": "y2", "x": [], "y": [],
            "marker": style, "hoverinfo": "skip", "showlegend": False, "name": name, "cliponaxis": False})
        trace["x"].append(round(x, 1))
        trace["y"].append(round(y, 1))


def _wrap(text: str, chars: int, lines: int = 2) -> list[str]:
    """At most ``lines`` lines of ``chars`` characters; a longer label ends with an ellipsis."""
    out = textwrap.wrap(text, width=max(chars, 8), break_long_words=True) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:max(chars - 1, 1)].rstrip() + "…"
    return out


def profile_figure(data: ProfileChartData, geometry: PreparedGeometry, canvas: Canvas = SLIDE) -> dict:
    """The profile figure for ``canvas`` (a plain figure dict, ready for kaleido or plotly.js)."""
    profile = data.profile
    width, height = canvas.width or 1600, canvas.height or 900
    ts = canvas.text_size
    small = max(18, round(ts * 0.9)) if ts >= 18 else ts  # secondary texts, never under 18 px on a slide
    pad = max(int(width * 0.02), 16)
    inner_w = width - 2 * pad
    page = _Page()
    chars = max(canvas.caption_chars, int(inner_w / (canvas.caption_size * 0.54)))
    caption = [plotly_text(line) for line in caption_lines(data.caption, chars)]
    subtitle = caption_lines(_subtitle(profile, data.theme.theme), int(inner_w / (ts * 0.56)))[:2]
    legend = _legend_rows(_legend_items(small, profile.symbol), inner_w)
    legend_h = len(legend) * small * 1.6
    if canvas.framed:
        top = int(pad * 0.6 + canvas.title_size * 1.35 + ts * 1.35 * len(subtitle) + ts * 0.4 + pad * 0.6)
        bottom = int(canvas.line_px * len(caption) + legend_h + pad * 0.9)
    else:
        top, bottom = int(pad * 0.5), int(legend_h + pad * 0.5)
    inner_h = height - top - bottom
    landscape = width / height >= 1.25
    rows = max(len(data.theme.rows), 1)
    if landscape:
        side_w = _side_width(profile, small, inner_w, 0.33)
        gap = ts * 2
        compact = _blocks_height(profile, small, False) > inner_h * 0.62
        blocks_h = _blocks_height(profile, small, compact, side_w)
        map_h = max(inner_h - blocks_h - small, inner_h * 0.3)
        map_box = (pad, top, side_w, map_h)
        blocks_at = (pad, top + map_h + small, side_w)
        table = (pad + side_w + gap, top, inner_w - side_w - gap, inner_h)
    else:
        side_w = _side_width(profile, small, inner_w, 0.55)
        gap = ts * 1.5
        table_need = ts * 2.9 + rows * ts * 2.2
        room = max(inner_h - table_need - gap, inner_h * 0.25)
        compact = _blocks_height(profile, small, False, side_w) > room
        blocks_h = _blocks_height(profile, small, compact, side_w)
        head_h = min(max(blocks_h, room), inner_h * 0.5)
        map_w = inner_w - side_w - ts * 1.5 if blocks_h else inner_w
        map_box = (pad, top, max(map_w, inner_w * 0.35), head_h)
        blocks_at = (pad + inner_w - side_w, top, side_w)
        table = (pad, top + head_h + gap, inner_w, inner_h - head_h - gap)
    _blocks(page, profile, *blocks_at, small, compact)
    # The locator's key under it: what dark and light mean.
    note_h = small * 1.5
    map_box = (map_box[0], map_box[1], map_box[2], max(map_box[3] - note_h, 40))
    key_size = small * 0.9 if small * 0.9 >= 18 else small
    key = f"Lage: {profile.name} dunkel, {profile.municipality} hell"
    if _text_px(key, key_size) > map_box[2]:
        key = "Lage: Sozialraum dunkel, Kommune hell"
    locator = _locator(geometry, profile, map_box, (width, height))
    if locator["traces"]:  # the key right under the drawn map
        page.text(plotly_text(key), map_box[0] + map_box[2] / 2, locator["bottom"] + note_h * 0.55, key_size,
                  anchor="center", colour=MUTED_COLOUR)
    _theme_table(page, data, table, ts, small)
    _draw_legend(page, legend, pad, height - bottom + small * 0.9, small)
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    layout = {
        "width": width, "height": height, "font": font(canvas), "separators": PLOTLY_SEPARATORS,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "rgba(0,0,0,0)", "showlegend": False,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
        **locator["axes"],
        "xaxis2": {**axis, "range": [0, width], "domain": [0, 1], "anchor": "y2"},
        "yaxis2": {**axis, "range": [height, 0], "domain": [0, 1], "anchor": "x2"},
        "shapes": page.shapes, "annotations": page.notes,
    }
    if canvas.framed:
        layout["title"] = {"text": f"<b>Sozialraumprofil {plotly_text(profile.name)}</b>", "x": pad / width,
                           "xanchor": "left", "y": 1 - pad * 0.6 / height, "yanchor": "top", "yref": "container",
                           "font": {"size": canvas.title_size}}
        page.text("<br>".join(plotly_text(t) for t in subtitle), pad, top - pad * 0.6, ts, colour=MUTED_COLOUR,
                  valign="bottom")
        page.text("<br>".join(caption), pad, height - pad * 0.5, canvas.caption_size, colour=MUTED_COLOUR,
                  valign="bottom")
        if profile.synthetic:
            page.text(f"<b>{DEMO_BADGE}</b>", width - pad, pad * 0.6, ts, anchor="right", valign="top",
                      bgcolor="#ffc107", bordercolor="#8a6d00", borderpad=ts * 0.3)
    return {"data": locator["traces"] + list(page.markers.values()), "layout": layout}


def _subtitle(profile: AreaProfile, theme: str) -> str:
    parts = [f"{profile.municipality} · {profile.region}", f"Thema {theme}", f"Datenstand {profile.year}"]
    if not profile.population.missing:
        parts.append(f"Einwohner: {profile.population.text}")
    return " · ".join(parts)


# ------------------------------------------------------------------ locator map

def _locator(geometry: PreparedGeometry, profile: AreaProfile, box: tuple[float, float, float, float],
             size: tuple[int, int]) -> dict:
    """The region with the area dark (outlined like a selection) and its municipality light."""
    simple = geometry.simplified
    width, height = size
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    if simple is None or box[2] < 40 or box[3] < 40:
        return {"traces": [], "axes": {"xaxis": {**axis}, "yaxis": {**axis}}, "bottom": box[1]}
    metric = simple.to_crs(METRIC_CRS)
    geoms = list(metric.geometry)
    munis = [str(m) for m in metric["municipality_id"]]
    area_ids = list(geometry.area_ids)
    minx, miny, maxx, maxy = metric.total_bounds
    shift = (float(minx), float(miny))
    traces = []
    groups = (("Sozialraum", AREA_COLOUR, [g for a, g in zip(area_ids, geoms, strict=True) if a == profile.area_id]),
              ("Kommune", "#c9d3dd", [g for a, m, g in zip(area_ids, munis, geoms, strict=True)
                                       if m == profile.municipality_id and a != profile.area_id]),
              ("Region", "#f3f4f5", [g for m, g in zip(munis, geoms, strict=True) if m != profile.municipality_id]))
    for name, colour, members in groups[::-1]:
        if members:
            xs, ys = _rings(members, shift)
            traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                           "fillcolor": colour, "line": {"color": "#8c8c8c", "width": 0.5}, "hoverinfo": "skip",
                           "showlegend": False, "name": f"Lage: {name}"})
    borders = [g.boundary for g in metric.dissolve(by="municipality_id").geometry]
    bx, by = _lines(borders, shift)
    traces.append({"type": "scatter", "x": bx, "y": by, "mode": "lines", "line": {"color": "#1a1a1a", "width": 1.4},
                   "hoverinfo": "skip", "showlegend": False, "name": "Kommunengrenzen"})
    if groups[0][2]:
        sx, sy = _rings(groups[0][2], shift)
        for name, line in (("Sozialraum (Rand)", {**SELECTION_HALO, "width": 6}),
                           ("Sozialraum (Auswahl)", {**SELECTION_LINE, "width": 3})):
            traces.append({"type": "scatter", "x": sx, "y": sy, "mode": "lines", "line": line,
                           "hoverinfo": "skip", "showlegend": False, "name": name})
    x0, y0, w, h = box
    span_x, span_y = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    scale = max(span_x / w, span_y / h) * 1.03  # metres per pixel
    used_w, used_h = span_x / scale, span_y / scale
    left = x0 + (w - used_w) / 2  # centred across, at the top of its box (the key follows below)
    axes = {
        "xaxis": {**axis, "range": [0, span_x], "domain": [left / width, min((left + used_w) / width, 1.0)]},
        "yaxis": {**axis, "range": [0, span_y],
                  "domain": [max(1 - (y0 + used_h) / height, 0.0), 1 - y0 / height]},
    }
    return {"traces": traces, "axes": axes, "bottom": y0 + used_h}


# ------------------------------------------------------------------ indices and needs

def _side_width(profile: AreaProfile, size: float, inner_w: float, share: float) -> float:
    """Width of the indices/needs column: what its longest row needs, within ``share`` of the page."""
    rows = [_text_px(r.name, size) + _text_px(r.class_label, size) * 1.1 + size * 2.0 for r in profile.indices]
    rows += [_text_px(r.name, size) + _text_px(r.state_text, size) + size * 2.6 for r in profile.needs]
    wanted = max(rows + [inner_w * 0.24])
    return float(min(wanted, inner_w * share))


def _needs_line(profile: AreaProfile) -> str:
    """The Gestaltungsbedarfe in one sentence (where a list has no room)."""
    yes = [r.name for r in profile.needs if r.state == "yes"]
    hidden = sum(r.state == "hidden" for r in profile.needs)
    text = "Gestaltungsbedarfe: " + (", ".join(yes) if yes else "keiner")
    if hidden:
        text += f"; {profile.symbol} bei {hidden}"
    return text


def _blocks_height(profile: AreaProfile, size: float, compact: bool, width: float = 1e9) -> float:
    row = size * 1.55
    h = size * 1.8 + len(profile.indices) * row + size * 0.6 if profile.indices else 0.0
    if profile.needs:
        if compact:
            h += len(caption_lines(_needs_line(profile), int(width / (size * 0.56)))) * size * 1.35 + size * 0.6
        else:
            h += size * 1.8 + len(profile.needs) * row + size * 0.6
    return h


def _blocks(page: _Page, profile: AreaProfile, x0: float, y: float, w: float, size: float, compact: bool) -> None:
    """Index classes and Gestaltungsbedarfe (ja/nein badges, or one sentence when ``compact``)."""
    row = size * 1.55
    if profile.indices:
        page.text("Indizes", x0, y + size * 0.7, size * 1.1, bold=True)
        page.text("Klasse", x0 + w - size * 0.3, y + size * 0.7, size, anchor="right", colour=MUTED_COLOUR)
        y += size * 1.8
        for i, r in enumerate(profile.indices):
            mid = y + row * (i + 0.5)
            if i % 2 == 0:
                page.rect(x0, mid - row / 2, x0 + w, mid + row / 2, ZEBRA)
            class_w = _text_px(r.class_label, size) * 1.1 + size * 1.2
            chars = int((w - class_w - size * 0.3) / (size * 0.56))
            page.text(plotly_text(_wrap(r.name, chars, 1)[0]), x0 + size * 0.3, mid, size)
            page.text(plotly_text(r.class_label), x0 + w - size * 0.3, mid, size, anchor="right", bold=True,
                      **({"hovertext": HIDDEN_TEXT} if r.value.hidden else {}))
        y += len(profile.indices) * row + size * 0.6
    if profile.needs and compact:
        lines = caption_lines(_needs_line(profile), int(w / (size * 0.56)))
        page.text("<br>".join(plotly_text(t) for t in lines), x0, y, size, valign="top")
    elif profile.needs:
        page.text("Gestaltungsbedarfe", x0, y + size * 0.7, size * 1.1, bold=True)
        y += size * 1.8
        for i, r in enumerate(profile.needs):
            mid = y + row * (i + 0.5)
            if i % 2 == 0:
                page.rect(x0, mid - row / 2, x0 + w, mid + row / 2, ZEBRA)
            badge_w = _text_px(r.state_text, size) + size * 1.6
            chars = int((w - badge_w - size * 0.3) / (size * 0.56))
            page.text(plotly_text(_wrap(r.name, chars, 1)[0]), x0 + size * 0.3, mid, size)
            fill, ink = NEED_COLOURS.get(r.state, ("#ffffff", TEXT_COLOUR))
            page.text(plotly_text(r.state_text), x0 + w - size * 0.5, mid, size, anchor="right", bold=r.state == "yes",
                      colour=ink, bgcolor=fill, bordercolor="#adb5bd", borderpad=size * 0.15)


# ------------------------------------------------------------------ the theme's indicators

def _theme_table(page: _Page, data: ProfileChartData, box: tuple[float, float, float, float], ts: float,
                 small: float) -> None:
    x0, y0, w, h = box
    rows = data.theme.rows
    head = ts * 2.9
    row_h = (h - head) / max(len(rows), 1)
    size = float(min(ts, max(row_h / 1.45, 10)))
    row_h = min(row_h, size * 2.8)
    values = [r.area.text for r in rows] + [r.municipality.text for r in rows] + [r.region.text for r in rows]
    value_w = max(_text_px(max(values, key=len, default=""), size), _text_px("Sozialraum", small) * 1.05) + size * 0.7
    cols_w = 3 * value_w
    strip_w = min(max(w * 0.21, 200.0), 380.0)
    label_w = w - cols_w - strip_w - size * 1.5
    if label_w < w * 0.3:  # a narrow canvas: the values matter more than the strip
        strip_w, label_w = 0.0, w - cols_w - size
    # One type size for every label: the row's size, or a little smaller if that lets the long ones fit.
    longest = max((_text_px(r.label, size) for r in rows), default=0.0)
    label_size = size if longest <= label_w - size * 0.3 else min(size, small)
    line_1, line_2 = y0 + head * 0.28, y0 + head * 0.74
    page.text(plotly_text(data.theme.theme), x0, line_1, ts * 1.1, bold=True)
    heads = (("Sozialraum", True), ("Kommune", False), ("Region", False))
    value_x = [x0 + label_w + value_w * (k + 1) for k in range(3)]
    for (name, bold), vx in zip(heads, value_x, strict=True):
        page.text(name, vx, line_2, small, anchor="right", colour=TEXT_COLOUR if bold else MUTED_COLOUR, bold=bold)
    strip_x0 = x0 + label_w + cols_w + size * 1.5
    strip_x1 = x0 + w - size * 0.6
    if strip_w:
        page.text("alle Sozialräume", (strip_x0 + strip_x1) / 2, line_1, small, anchor="center",
                  colour=MUTED_COLOUR)
        page.text("niedrig", strip_x0, line_2, small, colour=MUTED_COLOUR)
        page.text("hoch", strip_x1, line_2, small, anchor="right", colour=MUTED_COLOUR)
    page.line(x0, y0 + head, x0 + w, y0 + head, "#6c757d", 1.5)
    for i, r in enumerate(rows):
        mid = y0 + head + row_h * (i + 0.5)
        if i % 2 == 1:
            page.rect(x0, mid - row_h / 2, x0 + w, mid + row_h / 2, ZEBRA)
        page.text(_label(r.label, label_w - size * 0.3, label_size, row_h), x0 + size * 0.3, mid, label_size)
        count = r.indicator_id in data.counts
        for s, vx, bold in zip((r.area, r.municipality, r.region), value_x, (True, False, False), strict=True):
            shown = s if not (count and not bold) else Shown(None, False, "")
            page.text(plotly_text(shown.text), vx, mid, size, anchor="right", bold=bold,
                      colour=TEXT_COLOUR if bold else MUTED_COLOUR,
                      **({"hovertext": HIDDEN_TEXT} if shown.hidden else {}))
        if strip_w:
            _strip(page, r, data.spreads.get(r.indicator_id), count, (strip_x0, strip_x1), mid, size)


def _label(text: str, width: float, size: float, row_h: float) -> str:
    """The label on one line, on two if it is too long and the row is tall enough, else cut with
    an ellipsis; plotly-escaped."""
    if _text_px(text, size) <= width:
        return plotly_text(text)
    lines = _wrap(text, int(width / (size * 0.56)), 2 if row_h >= size * 2.7 else 1)
    return "<br>".join(plotly_text(t) for t in lines)


def _strip(page: _Page, row: IndicatorRow, spread: Spread | None, count: bool, xs: tuple[float, float],
           mid: float, size: float) -> None:
    if spread is None:
        return
    x0, x1 = xs

    def at(p: float) -> float:
        return x0 + p * (x1 - x0)

    page.line(x0, mid, x1, mid, RANGE_COLOUR, 2)
    q1, q3 = spread.position(spread.q1), spread.position(spread.q3)
    page.rect(at(q1 or 0), mid - size * 0.3, at(q3 or 1), mid + size * 0.3, BOX_COLOUR, RANGE_COLOUR)
    if not count:
        region = spread.position(row.region.value)
        if region is not None:
            page.line(at(region), mid - size * 0.55, at(region), mid + size * 0.55, REGION_COLOUR, 3)
        muni = spread.position(row.municipality.value)
        if muni is not None:
            page.marker("Kommune", at(muni), mid, {"symbol": "diamond", "size": size * 0.85, "color": "#ffffff",
                                                   "line": {"color": MUNI_COLOUR, "width": 2.5}})
    area = spread.position(row.area.value)  # None when hidden or missing: no dot
    if area is not None:
        page.marker("Sozialraum", at(area), mid, {"symbol": "circle", "size": size * 0.95, "color": AREA_COLOUR,
                                                  "line": {"color": "#ffffff", "width": 1.5}})


def _legend_items(size: float, symbol: str) -> list[tuple[str, str, float]]:
    """(kind, text, width in px) of the legend under the chart."""
    texts = (("dot", "Sozialraum"), ("diamond", "Kommune"), ("bar", "Region"),
             ("range", "alle Sozialräume (Kasten: mittlere Hälfte)"),
             ("note", plotly_text(f"{symbol} = {HIDDEN_TEXT}, – = keine Daten")))
    marks = {"dot": size * 1.3, "diamond": size * 1.3, "bar": size * 1.1, "range": size * 2.8, "note": 0.0}
    return [(kind, text, marks[kind] + _text_px(text, size) + size * 1.5) for kind, text in texts]


def _legend_rows(items: list[tuple[str, str, float]], width: float) -> list[list[tuple[str, str, float]]]:
    rows: list[list[tuple[str, str, float]]] = [[]]
    used = 0.0
    for item in items:
        if rows[-1] and used + item[2] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += item[2]
    return rows


def _draw_legend(page: _Page, rows: list[list[tuple[str, str, float]]], x0: float, y: float, size: float) -> None:
    """What dot, diamond, bar, line and box mean, and the symbol (wrapped onto as many lines as needed)."""
    for row in rows:
        x = x0
        for kind, text, item_w in row:
            if kind == "dot":
                page.marker("Sozialraum", x + size * 0.5, y, {"symbol": "circle", "size": size * 0.95,
                                                              "color": AREA_COLOUR, "line": {"color": "#ffffff",
                                                                                             "width": 1.5}})
                offset = size * 1.3
            elif kind == "diamond":
                page.marker("Kommune", x + size * 0.5, y, {"symbol": "diamond", "size": size * 0.85,
                                                           "color": "#ffffff", "line": {"color": MUNI_COLOUR,
                                                                                        "width": 2.5}})
                offset = size * 1.3
            elif kind == "bar":
                page.line(x + size * 0.4, y - size * 0.55, x + size * 0.4, y + size * 0.55, REGION_COLOUR, 3)
                offset = size * 1.1
            elif kind == "range":
                page.line(x, y, x + size * 2.4, y, RANGE_COLOUR, 2)
                page.rect(x + size * 0.6, y - size * 0.3, x + size * 1.8, y + size * 0.3, BOX_COLOUR, RANGE_COLOUR)
                offset = size * 2.8
            else:
                offset = 0.0
            page.text(text, x + offset, y, size, colour=MUTED_COLOUR if kind == "note" else TEXT_COLOUR)
            x += item_w
        y += size * 1.6
