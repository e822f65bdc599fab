"""Time-series chart: selected areas, their municipalities (dashed) and the region (bold).

Missing and hidden years are gaps (``connectgaps`` off), never interpolated. A plain dict: it is
rebuilt on every change and plotly's validation would cost more than the data.
"""

from __future__ import annotations

from dashboard.catalogue import Indicator
from dashboard.charts.canvas import MUTED_COLOUR, SCREEN, Canvas, font
from dashboard.formatting import PLOTLY_SEPARATORS, format_value, plotly_text
from dashboard.publish import Published
from dashboard.series import SeriesLine, series_note, series_view, years_with_data
from dashboard.state import ViewState
from dashboard.texts import HIDDEN_TEXT, NO_DATA_TEXT, caption_lines, caption_text, years_text

#: Okabe–Ito colours for the selected areas (colour-blind safe); markers differ too.
AREA_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
MUNICIPALITY_DASHES = ("dash", "dot", "dashdot", "longdash", "longdashdot")
AREA_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")


def series_title(published: Published, state: ViewState) -> str:
    ind = published.catalogue[state.indicator]
    years = years_text(state_years(published, state))
    return f"{ind.title()} – Zeitreihe {years}".strip()


def state_years(published: Published, state: ViewState) -> tuple[int, ...]:
    return years_with_data(published, state.indicator) or tuple(published.years)


def series_figure(lines: list[SeriesLine], title: str, caption: str, unit: str, year: int | None = None,
                  note: str = "", canvas: Canvas = SCREEN) -> dict:
    """The figure for ``canvas``: on screen without title and caption (the page shows them as
    text), in files with the title, the full source and the note inside the image."""
    traces = []
    area_i = muni_i = 0
    scale = canvas.text_size / 13
    for line in lines:
        if line.kind == "area":
            style = {"color": AREA_COLOURS[area_i % len(AREA_COLOURS)], "width": 2.5 * scale}
            marker = {"symbol": AREA_SYMBOLS[area_i % len(AREA_SYMBOLS)], "size": 7 * scale}
            area_i += 1
        elif line.kind == "municipality":
            # Each municipality its own dash pattern, so several grey lines stay apart.
            dash = MUNICIPALITY_DASHES[muni_i % len(MUNICIPALITY_DASHES)]
            style, marker = {"color": "#6c757d", "width": 2 * scale, "dash": dash}, {"size": 6 * scale}
            muni_i += 1
        else:
            style, marker = {"color": "#212529", "width": 3.5 * scale}, {"size": 6 * scale}
        traces.append({"type": "scatter", "x": line.years, "y": line.values,
                       "text": [plotly_text(t) for t in line.texts], "name": plotly_text(line.name),
                       "mode": "lines+markers", "line": style, "marker": marker, "connectgaps": False,
                       "hovertemplate": "%{fullData.name}<br>%{x}: %{text}<extra></extra>"})
    shapes = []
    if year is not None:
        shapes.append({"type": "line", "x0": year, "x1": year, "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#adb5bd", "width": 1, "dash": "dot"}})
    years = sorted({y for line in lines for y in line.years})
    step = 1 if len(years) <= 6 or canvas.framed else 2  # a narrow panel labels every other year, upright
    ticks = years[::-1][::step][::-1]
    layout: dict = {
        "xaxis": {"tickmode": "array", "tickvals": ticks, "ticktext": [str(y) for y in ticks], "tickangle": 0,
                  "showgrid": False, "automargin": True},
        # German numbers on the axis: 600.000, 12,5 (no SI suffix like "600k").
        "yaxis": {"title": {"text": plotly_text(unit) or "Wert"}, "gridcolor": "#e9ecef", "zeroline": False, "tickformat": ",~r",
                  "automargin": True},
        "legend": {"orientation": "h", "y": -0.12, "x": 0, "xanchor": "left", "yanchor": "top"},
        "showlegend": True,  # one line (an index or a count without reference lines) still says whose it is
        "shapes": shapes, "font": font(canvas), "separators": PLOTLY_SEPARATORS,
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff", "hovermode": "closest",
    }
    if canvas.framed:
        source = [plotly_text(line) for line in caption_lines(caption, canvas.caption_chars)]
        source += [f"<i>{plotly_text(line)}</i>" for line in caption_lines(note, canvas.caption_chars)] if note else []
        layout["title"] = {"text": f"<b>{plotly_text(title)}</b>", "x": 16 / (canvas.width or 1600), "xanchor": "left",
                           "y": 0.98, "yanchor": "top",
                           "font": {"size": canvas.title_size}}
        # Framed: the legend to the right of the plot (one row per line), the source below the axis.
        names = [len(line.name) for line in lines] or [10]
        legend_w = int(max(names) * canvas.text_size * 0.56 + canvas.text_size * 4)
        left = int(canvas.text_size * 4.5)
        layout["legend"] = {"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top",
                            "font": {"size": canvas.text_size}}
        layout["xaxis"]["automargin"] = layout["yaxis"]["automargin"] = False
        layout["annotations"] = [{
            "text": "<br>".join(source), "x": 0, "y": 0, "xref": "paper", "yref": "paper", "xanchor": "left",
            "yanchor": "top", "xshift": -left + 16, "yshift": -canvas.text_size * 2.6, "showarrow": False,
            "align": "left", "font": {"size": canvas.caption_size, "color": MUTED_COLOUR}}]
        layout["margin"] = {"l": left, "r": legend_w, "t": canvas.title_size * 2 + 20,
                            "b": int(canvas.text_size * 3 + canvas.line_px * len(source) + 16)}
        layout["width"], layout["height"] = canvas.width, canvas.height
    else:
        # Room for the horizontal legend below the axis; no title (the card header carries it),
        # so the modebar never covers one.
        layout["margin"] = {"l": 64, "r": 12, "t": 28, "b": 24}
    return {"data": traces, "layout": layout}


def axis_unit(ind: Indicator) -> str:
    """The value axis' title: the unit, "Indexwert" for an index without one."""
    return ind.unit or ("Indexwert" if ind.is_index else "")


#: Line kinds in the compact payload (one letter each).
KIND_CODES = {"area": "a", "municipality": "m", "region": "r"}
#: A hidden year in a compact line's values (JSON ``null`` is "keine Daten").
HIDDEN_MARK = "h"


def compact_series(published: Published, state: ViewState) -> tuple[dict, str]:
    """The screen series as data (about a tenth of the figure's bytes) and the note under it.

    ``expand_series`` (and its twin in assets/series.js) builds the same figure as ``series_for``;
    hidden years carry ``"h"``, never a number.
    """
    lines, note = _series_lines(published, state)
    ind = published.catalogue[state.indicator]
    hidden = f"{published.symbol} {HIDDEN_TEXT}"
    compact = {
        "x": sorted({y for line in lines for y in line.years}), "yr": state.year, "u": ind.unit, "a": axis_unit(ind),
        "d": ind.decimals,
        "h": hidden,
        "L": [[KIND_CODES[line.kind], line.name,
               [HIDDEN_MARK if v is None and t == hidden else v
                for v, t in zip(line.values, line.texts, strict=True)]] for line in lines],
    }
    return compact, note


def expand_series(compact: dict) -> dict:
    """The screen figure from ``compact_series``: the Python twin of assets/series.js."""
    kinds = {v: k for k, v in KIND_CODES.items()}
    unit, decimals = compact["u"], int(compact["d"])
    lines = []
    for code, name, values in compact["L"]:
        texts = [compact["h"] if v == HIDDEN_MARK else (NO_DATA_TEXT if v is None else format_value(v, unit, decimals))
                 for v in values]
        lines.append(SeriesLine(name, kinds[code], list(compact["x"]),
                                [None if v == HIDDEN_MARK else v for v in values], texts))
    return series_figure(lines, "", "", compact["a"], compact["yr"])


def _series_lines(published: Published, state: ViewState) -> tuple[list[SeriesLine], str]:
    lines, note = series_view(published, state)
    if not state.areas:
        note = (note + " " if note else "") + "Sozialräume in Karte, Liste oder Tabelle wählen, um sie zu vergleichen."
    return lines, note


def series_for(published: Published, state: ViewState, canvas: Canvas = SCREEN) -> tuple[dict, str]:
    """The time-series figure of a view and the note under it (page, callback and export alike)."""
    lines, note = _series_lines(published, state)
    ind = published.catalogue[state.indicator]
    figure = series_figure(lines, series_title(published, state), caption_text(published, state.indicator),
                           axis_unit(ind), state.year, series_note(published, state.indicator), canvas)
    return figure, note
