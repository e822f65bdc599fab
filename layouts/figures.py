"""Plotly figures built from the pure views; the map's geometry goes into the first figure only.

Trace order of a map figure is fixed, because ``map_patch`` addresses traces by index:
0 = areas (choroplethmap), 1 = municipality borders, 2 = data-protection markers ("•"),
3.. = legend entries (scattermap traces without points).
"""

from __future__ import annotations

import plotly.graph_objects as go
from dash import Patch

from dashboard.classify import MAX_CLASSES
from dashboard.formatting import PLOTLY_SEPARATORS, plotly_text
from dashboard.geometry import PreparedGeometry
from dashboard.palettes import HIDDEN_MARKER_COLOUR
from dashboard.publish import Published
from dashboard.state import ViewState
from dashboard.views import (
    COUNT_SERIES_NOTE,
    HIDDEN_TEXT,
    MapView,
    SeriesLine,
    caption_lines,
    caption_text,
    indicator_info,
    is_count,
    series_view,
)

AREAS, BORDERS, MARKERS, LEGEND0 = 0, 1, 2, 3
LEGEND_SLOTS = MAX_CLASSES + 2  # classes + "keine Daten" + data protection
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif",
            size=13, color="#212529")
SELECTED_LINE = 3.5
DEFAULT_LINE = 0.4

#: Modebar: PNG at presentation size; an SVG button sits next to each chart (clientside).
def graph_config(filename: str) -> dict:
    """dcc.Graph config: PNG 1920 px wide, no plotly logo, no cloud links."""
    return {
        "displaylogo": False,
        "scrollZoom": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": 1920, "height": 1080,
                                 "scale": 1},
        "modeBarButtonsToRemove": ["sendDataToCloud"],
    }


def _colorscale(colours: list[str]) -> list[list]:
    """A stepped scale: code i (0..n-1) maps to colours[i] exactly."""
    n = len(colours)
    scale: list[list] = []
    for i, c in enumerate(colours):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


#: Characters per caption line: fits a 1920-px image, the map on a laptop screen and the narrower
#: time-series panel (about 470 px at a 1600-px window).
MAP_CAPTION_WIDTH, SERIES_CAPTION_WIDTH = 130, 60
CAPTION_LINE_PX = 14


def _caption(view: MapView) -> tuple[str, int]:
    """The wrapped source/attribution and the bottom margin that holds all of its lines."""
    lines = caption_lines(view.caption, MAP_CAPTION_WIDTH)
    return "<br>".join(map(plotly_text, lines)), 14 + CAPTION_LINE_PX * len(lines)


def _title(view: MapView) -> str:
    return f"<b>{plotly_text(view.title)}</b><br><span style='font-size:12px'>{plotly_text(view.subtitle)}</span>"


def _legend_trace(i: int, entry: tuple[str, str] | None) -> go.Scattermap:
    label, colour = entry or ("", "#ffffff")
    return go.Scattermap(lon=[None], lat=[None], mode="markers", name=plotly_text(label), showlegend=True,
                         visible=entry is not None, hoverinfo="skip",
                         marker=dict(size=14, color=colour), legendrank=i)


def _hover(view: MapView) -> list[list[str]]:
    """Hover texts (value with unit, symbol) as literal text."""
    return [[plotly_text(t) for t in texts] for texts in view.hover]


def _line_widths(view: MapView, n: int) -> list[float]:
    chosen = set(view.selected)
    return [SELECTED_LINE if i in chosen else DEFAULT_LINE for i in range(n)]


def _marker_points(view: MapView, geometry: PreparedGeometry) -> tuple[list[float], list[float]]:
    return ([geometry.marker_lon[a] for a in view.hidden_ids], [geometry.marker_lat[a] for a in view.hidden_ids])


def map_figure(geometry: PreparedGeometry, view: MapView, names: list[str], tile_url: str | None = None) -> go.Figure:
    """The full map figure, GeoJSON included: sent once per page load."""
    n = len(geometry.area_ids)
    lon, lat = _marker_points(view, geometry)
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=geometry.geojson, locations=list(geometry.area_ids), z=view.z,
        colorscale=_colorscale(view.colours), zmin=-0.5, zmax=len(view.colours) - 0.5, showscale=False,
        marker=dict(line=dict(width=_line_widths(view, n), color="#4d4d4d"), opacity=1),
        selectedpoints=view.selected or None, unselected=dict(marker=dict(opacity=0.7)),
        text=names, customdata=_hover(view),
        hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        name="Sozialräume", showlegend=False,
    ))
    fig.add_trace(go.Scattermap(lon=list(geometry.border_lon), lat=list(geometry.border_lat), mode="lines",
                                line=dict(width=2.2, color="#1a1a1a"), hoverinfo="skip",
                                name="Kommunengrenzen", showlegend=False))
    fig.add_trace(go.Scattermap(lon=lon, lat=lat, mode="markers", hoverinfo="text",
                                hovertext=HIDDEN_TEXT, marker=dict(size=7, color=HIDDEN_MARKER_COLOUR),
                                name="Datenschutz", showlegend=False))
    for i in range(LEGEND_SLOTS):
        fig.add_trace(_legend_trace(i, view.legend[i] if i < len(view.legend) else None))
    caption, bottom = _caption(view)
    layers = []
    if tile_url:
        layers = [dict(below="traces", sourcetype="raster", source=[tile_url])]
    fig.update_layout(
        map=dict(style="white-bg", center=dict(lon=geometry.center[0], lat=geometry.center[1]),
                 zoom=geometry.zoom, layers=layers),
        margin=dict(l=0, r=0, t=64, b=bottom),
        title=dict(text=_title(view), x=0.01, xanchor="left", y=0.97, yanchor="top", font=dict(size=16)),
        legend=dict(title=dict(text="Klassen"), x=0.005, y=0.01, xanchor="left", yanchor="bottom",
                    bgcolor="rgba(255,255,255,0.88)", bordercolor="#adb5bd", borderwidth=1, itemclick=False,
                    itemdoubleclick=False),
        annotations=[dict(text=caption, x=0.005, y=0, xref="paper", yref="paper", xanchor="left",
                          yanchor="top", yshift=-6, showarrow=False, align="left",
                          font=dict(size=11, color="#495057"))],
        font=FONT, separators=PLOTLY_SEPARATORS, paper_bgcolor="#ffffff", uirevision="map",
        clickmode="event", dragmode="pan", hoverlabel=dict(bgcolor="#ffffff"),
    )
    return fig


def map_patch(geometry: PreparedGeometry, view: MapView) -> Patch:
    """Only values, classes, colours, selection and texts: the GeoJSON stays in the browser."""
    n = len(geometry.area_ids)
    p = Patch()
    p["data"][AREAS]["z"] = view.z
    p["data"][AREAS]["colorscale"] = _colorscale(view.colours)
    p["data"][AREAS]["zmax"] = len(view.colours) - 0.5
    p["data"][AREAS]["customdata"] = _hover(view)
    p["data"][AREAS]["marker"]["line"]["width"] = _line_widths(view, n)
    p["data"][AREAS]["selectedpoints"] = view.selected or None
    lon, lat = _marker_points(view, geometry)
    p["data"][MARKERS]["lon"] = lon
    p["data"][MARKERS]["lat"] = lat
    for i in range(LEGEND_SLOTS):
        entry = view.legend[i] if i < len(view.legend) else None
        p["data"][LEGEND0 + i]["visible"] = entry is not None
        if entry is not None:
            p["data"][LEGEND0 + i]["name"] = plotly_text(entry[0])
            p["data"][LEGEND0 + i]["marker"]["color"] = entry[1]
    p["layout"]["title"]["text"] = _title(view)
    caption, bottom = _caption(view)
    p["layout"]["annotations"][0]["text"] = caption
    p["layout"]["margin"]["b"] = bottom
    return p


_AREA_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


def series_figure(lines: list[SeriesLine], title: str, caption: str, unit: str, year: int | None = None,
                  note: str = "") -> dict:
    """Time series: selected areas (Okabe–Ito colours), their municipalities dashed, the region bold.

    Missing and hidden years are gaps (connectgaps False), never interpolated. A plain dict: it
    is rebuilt on every change and plotly's validation would cost more than the data. ``note``
    (e.g. why counts have no reference lines) is a last line of the source block, so it stays in
    the exported image.
    """
    traces = []
    area_i = 0
    for line in lines:
        if line.kind == "area":
            style = {"color": _AREA_COLOURS[area_i % len(_AREA_COLOURS)], "width": 2.5}
            area_i += 1
        elif line.kind == "municipality":
            style = {"color": "#6c757d", "width": 2, "dash": "dash"}
        else:
            style = {"color": "#212529", "width": 3.5}
        traces.append({"type": "scatter", "x": line.years, "y": line.values, "text": [plotly_text(t) for t in line.texts],
                       "name": plotly_text(line.name),
                       "mode": "lines+markers", "line": style, "connectgaps": False,
                       "hovertemplate": "%{fullData.name}<br>%{x}: %{text}<extra></extra>"})
    shapes = []
    if year is not None:
        shapes.append({"type": "line", "x0": year, "x1": year, "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#adb5bd", "width": 1, "dash": "dot"}})
    lines = [plotly_text(t) for t in caption_lines(caption, SERIES_CAPTION_WIDTH)] + ([f"<i>{plotly_text(note)}</i>"] if note else [])
    # The source sits in the top margin as an annotation anchored at its bottom edge, so all of
    # its lines stay inside the image whatever their number (a multi-line title would not).
    source = {"text": "<br>".join(lines), "x": 0, "y": 1, "xref": "paper", "yref": "paper", "xanchor": "left",
              "yanchor": "bottom", "yshift": 8, "showarrow": False, "align": "left",
              "font": {"size": 11, "color": "#495057"}}
    layout = {
        "title": {"text": f"<b>{plotly_text(title)}</b>", "x": 0.01, "xanchor": "left", "y": 0.99, "yanchor": "top",
                  "font": {"size": 15}},
        "annotations": [source],
        "xaxis": {"dtick": 1, "tickformat": "d", "showgrid": False},
        # German numbers on the axis: 600.000, 12,5 (no SI suffix like "600k").
        "yaxis": {"title": {"text": plotly_text(unit or "Wert")}, "gridcolor": "#e9ecef", "zeroline": False, "tickformat": ",~r"},
        "legend": {"orientation": "h", "y": -0.1, "x": 0, "xanchor": "left", "yanchor": "top"},
        "margin": {"l": 70, "r": 16, "t": 52 + CAPTION_LINE_PX * len(lines), "b": 40},
        "shapes": shapes, "font": FONT, "separators": PLOTLY_SEPARATORS,
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff", "hovermode": "closest",
    }
    return {"data": traces, "layout": layout}


def series_for(published: Published, state: ViewState) -> tuple[dict, str]:
    """The time-series figure of a view and the note under it (page load and callback alike)."""
    lines, note = series_view(published, state)
    info = indicator_info(published, state.indicator)
    unit = f" ({info['unit']})" if info["unit"] else ""
    years = f" {published.years[0]}–{published.years[-1]}" if len(published.years) > 1 else ""
    figure = series_figure(lines, f"{info['name']}{unit} – Zeitreihe{years}", caption_text(published, state.indicator, info),
                           info["unit"], state.year, COUNT_SERIES_NOTE if is_count(published, state.indicator) else "")
    if not state.areas:
        note = (note + " " if note else "") + "Sozialräume in Karte oder Tabelle anklicken, um sie zu vergleichen."
    return figure, note
