"""The figure of one view for a canvas, and its bytes as PNG, SVG or PDF.

Views: ``map`` (the main map), ``compare`` (the second map of the compare mode), ``series``
(the time series of the selection) and ``ranking`` (top and bottom areas as bars). The same
builders draw the screen, so the files show what the screen shows.
"""

from __future__ import annotations

from dashboard.charts.canvas import SLIDE, Canvas
from dashboard.charts.map_chart import map_figure
from dashboard.charts.ranking_chart import ranking_figure
from dashboard.charts.series_chart import series_for
from dashboard.exports.names import export_name
from dashboard.exports.renderer import Renderer, renderer
from dashboard.mapview import MapView, map_views
from dashboard.prepared import Prepared
from dashboard.state import ViewState

VIEWS = ("map", "compare", "series", "ranking")
IMAGE_FORMATS = ("png", "svg", "pdf")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
               "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ExportError(ValueError):
    """A request for an export that this view cannot give (German message for the user)."""


def map_views_of(prepared: Prepared, state: ViewState) -> tuple[MapView, MapView | None]:
    return map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                     dict(prepared.matrices))


def figure_for(prepared: Prepared, state: ViewState, view: str, canvas: Canvas = SLIDE) -> dict:
    """The plotly figure of ``view`` for ``canvas`` (ExportError for an unknown or absent view)."""
    published = prepared.for_indicator(state.indicator)
    if view in ("map", "compare"):
        first, second = map_views_of(prepared, state)
        if view == "compare" and second is None:
            raise ExportError("Die Vergleichskarte gibt es nur im Vergleichsmodus.")
        shown = second if view == "compare" and second is not None else first
        return map_figure(prepared.geometry, shown, state.municipalities, canvas, prepared.published.symbol,
                          prepared.published.config.synthetic)
    if view == "series":
        figure, _note = series_for(published, state, canvas)
        return figure
    if view == "ranking":
        return ranking_figure(published, state, canvas)
    raise ExportError(f"Unbekannte Ansicht „{view[:40]}“; möglich sind: {', '.join(VIEWS)}.")


def render_view(prepared: Prepared, state: ViewState, view: str, fmt: str, canvas: Canvas = SLIDE,
                engine: Renderer | None = None) -> tuple[bytes, str]:
    """Bytes and file name of one view as ``fmt`` (ExportError for an unknown format or view)."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"Unbekanntes Bildformat „{fmt[:10]}“; möglich sind: PNG, SVG, PDF.")
    figure = figure_for(prepared, state, view, canvas)
    data = (engine or renderer()).render(figure, fmt, canvas.width or 1920, canvas.height or 1080)
    return data, export_name(prepared.published, state, view, fmt)
