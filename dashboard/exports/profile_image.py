"""The Sozialraumprofil as an image (PNG, SVG, PDF): one theme of one area for a slide or a page.

Gathers what ``charts.profile_chart`` draws from ``Prepared`` (the profile, the published spread
of every indicator, the sources) and names the file by what it holds:
``Sozialraumprofil_Hanbruch_2024_Sozioökonomie.png``.
"""

from __future__ import annotations

from dashboard.charts.canvas import SLIDE, Canvas
from dashboard.charts.profile_chart import ProfileChartData, profile_figure, spread_of
from dashboard.exports.images import IMAGE_FORMATS, ExportError
from dashboard.exports.renderer import Renderer, renderer
from dashboard.prepared import Prepared
from dashboard.profile import AreaProfile, area_profile, profile_year
from dashboard.profile_files import file_name
from dashboard.texts import sources_caption


def profile_theme(prepared: Prepared, theme: object) -> str:
    """The requested theme if the bundle has it, else the theme of the default indicator."""
    themes = prepared.catalogue.indicator_themes  # profiles show indices apart, not as a theme
    if isinstance(theme, str) and theme in themes:
        return theme
    default = prepared.catalogue[prepared.choices.default_indicator].theme
    return default if default in themes else themes[0]


def profile_chart_data(prepared: Prepared, area_id: str, year: object = None, theme: object = None,
                       profile: AreaProfile | None = None) -> ProfileChartData:
    """Everything the profile figure of ``area_id`` draws (ExportError, in German, for an unknown area)."""
    if not isinstance(area_id, str) or area_id not in prepared.choices.areas:
        shown = "".join(c for c in str(area_id or "")[:80] if c.isprintable())
        raise ExportError(f"Einen Sozialraum mit der ID „{shown}“ gibt es in diesem Datenpaket nicht.")
    profile = profile or area_profile(prepared, area_id, profile_year(prepared, year))
    name = profile_theme(prepared, theme)
    block = next(b for b in profile.themes if b.theme == name)
    spreads = {}
    for row in block.rows:
        matrix = prepared.matrix(row.indicator_id)
        column = matrix.column(profile.year) if matrix is not None else -1
        spreads[row.indicator_id] = spread_of(matrix.values[:, column]) if column >= 0 else None
    counts = frozenset(r.indicator_id for r in block.rows if prepared.catalogue[r.indicator_id].is_count)
    caption = sources_caption(prepared.published, [r.indicator_id for r in block.rows])
    return ProfileChartData(profile, block, spreads, counts, caption)


def profile_image_name(data: ProfileChartData, fmt: str) -> str:
    """'Sozialraumprofil_Hanbruch_2024_Sozioökonomie.png' (safe characters, parts split by "_")."""
    parts = ("Sozialraumprofil", data.profile.name, str(data.profile.year), data.theme.theme)
    return "_".join(file_name(p, fmt).rsplit(".", 1)[0] for p in parts) + f".{fmt}"


def render_profile(prepared: Prepared, area_id: str, fmt: str, year: object = None, theme: object = None,
                   canvas: Canvas = SLIDE, engine: Renderer | None = None) -> tuple[bytes, str]:
    """Bytes and file name of the profile image (ExportError for an unknown area or format)."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"Unbekanntes Bildformat „{str(fmt)[:10]}“; möglich sind: PNG, SVG, PDF.")
    data = profile_chart_data(prepared, area_id, year, theme)
    figure = profile_figure(data, prepared.geometry, canvas)
    png = (engine or renderer()).render(figure, fmt, canvas.width or 1920, canvas.height or 1080)
    return png, profile_image_name(data, fmt)


def municipality_image(prepared: Prepared, municipality_id: str, fmt: str, theme: object = None,
                       year: object = None, canvas: Canvas = SLIDE,
                       engine: Renderer | None = None) -> tuple[bytes, str]:
    """The Kommunenprofil's small-multiple maps of one theme as ``fmt`` (ExportError, in German, for
    an unknown municipality or format): ``Kommunenprofil_Aachen_2024_Wohnen_Karten.png``."""
    from dashboard.charts.municipality_chart import municipality_figure
    from dashboard.profile import municipality_profile, municipality_theme, municipality_views

    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"Unbekanntes Bildformat „{str(fmt)[:10]}“; möglich sind: PNG, SVG, PDF.")
    if not isinstance(municipality_id, str) or municipality_id not in prepared.choices.municipalities:
        shown = "".join(c for c in str(municipality_id or "")[:80] if c.isprintable())
        raise ExportError(f"Eine Kommune mit der ID „{shown}“ gibt es in diesem Datenpaket nicht.")
    profile = municipality_profile(prepared, municipality_id, municipality_theme(prepared, theme),
                                   profile_year(prepared, year))
    caption = sources_caption(prepared.published, [i for i, _ in profile.indicators])
    figure = municipality_figure(profile, prepared.geometry, municipality_views(prepared, profile), canvas, caption)
    data = (engine or renderer()).render(figure, fmt, canvas.width or 1920, canvas.height or 1080)
    parts = ("Kommunenprofil", profile.name, str(profile.year), profile.theme, "Karten")
    return data, "_".join(file_name(p, fmt).rsplit(".", 1)[0] for p in parts) + f".{fmt}"
