"""Ranking as a bar chart: the areas with the most and the least need, with the region's value.

Hidden and missing areas are left out (they have no rank); counts get no region line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.charts.canvas import MUTED_COLOUR, SLIDE, Canvas, font
from dashboard.formatting import PLOTLY_SEPARATORS, format_number, plotly_text
from dashboard.indices.atlas import spec_of
from dashboard.palettes import index_class_colours
from dashboard.publish import Published
from dashboard.ranking import ranking_view
from dashboard.state import ViewState
from dashboard.tables import region_value
from dashboard.texts import caption_lines, caption_text


def ranking_figure(published: Published, state: ViewState, canvas: Canvas = SLIDE, top: int = 10) -> dict:
    """Top ``top`` and bottom ``top`` areas by need rank as horizontal bars (rank 1 at the top)."""
    ind = published.catalogue[state.indicator]
    table = ranking_view(published, state)
    ranked = table[table["rank"].notna()]
    if len(ranked) > 2 * top:
        ranked = pd.concat([ranked.head(top), ranked.tail(top)])
    names = [plotly_text(f"{r}. {n} ({m})") for r, n, m in zip(ranked["rank"], ranked["name"], ranked["municipality_name"],
                                                   strict=True)]
    values = ranked["value"].to_numpy(dtype=float)
    texts = [format_number(v, ind.decimals) for v in values]
    colours = ["#08519c" if i < top else "#9ecae1" for i in range(len(values))]
    spec = spec_of(published, state.indicator) if ind.is_index else None
    if spec is not None and spec.has_classes:  # an index: each bar in its class colour, as on the map
        palette = index_class_colours(len(spec.labels))
        colours = [palette[int(c) - 1] if pd.notna(c) else MUTED_COLOUR for c in ranked["class_no"]]
    data: list[dict] = [{"type": "bar", "orientation": "h", "x": values.tolist(), "y": names, "text": texts,
                         "textposition": "outside", "marker": {"color": colours}, "hoverinfo": "skip",
                         "cliponaxis": False, "name": ind.name}]
    shapes = []
    region = region_value(published, state.indicator, state.year)
    if not ind.is_count and not np.isnan(region):
        shapes.append({"type": "line", "x0": region, "x1": region, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#212529", "width": 2, "dash": "dash"}})
    caption = [plotly_text(line) for line in caption_lines(caption_text(published, state.indicator), canvas.caption_chars)]
    region_note = "" if not shapes else f" · gestrichelt: Region {format_number(region, ind.decimals)}"
    if spec is not None and spec.has_classes:
        region_note = " · Farben: Klassen des Index"
    width, height = canvas.width or 1600, canvas.height or 900
    # A fixed left margin for the area names, so the source can start at the image's edge.
    left = int(min(max((len(n) for n in names), default=10) * canvas.text_size * 0.56 + 24, width * 0.45))
    layout = {
        "width": width, "height": height, "font": font(canvas), "separators": PLOTLY_SEPARATORS,
        "title": {"text": f"<b>Rangfolge: {plotly_text(ind.title(state.year))}</b><br><span style='font-size:{canvas.text_size}px'>"
                          f"höchster Bedarf oben{region_note}</span>",
                  "x": 16 / width, "xanchor": "left", "font": {"size": canvas.title_size}},
        "yaxis": {"autorange": "reversed", "automargin": False, "tickfont": {"size": canvas.text_size}},
        "xaxis": {"title": {"text": plotly_text(ind.unit) or ("Indexwert" if ind.is_index else "Wert")}, "gridcolor": "#e9ecef", "tickformat": ",~r"},
        "shapes": shapes, "showlegend": False, "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "margin": {"l": left, "r": canvas.text_size * 4, "t": canvas.title_size * 3,
                   "b": int(canvas.line_px * len(caption) + canvas.text_size * 5)},
        "annotations": [{"text": "<br>".join(caption), "x": 0, "y": 0, "xref": "paper", "yref": "paper",
                         "xanchor": "left", "yanchor": "top", "yshift": -canvas.text_size * 4.2, "xshift": -left + 16,
                         "showarrow": False, "align": "left",
                         "font": {"size": canvas.caption_size, "color": MUTED_COLOUR}}],
    }
    if not canvas.framed:  # the slide carries title and source as text boxes
        del layout["title"], layout["annotations"]
        layout["margin"] = {"l": left, "r": canvas.text_size * 4, "t": 12, "b": canvas.text_size * 3}
    return {"data": data, "layout": layout}
