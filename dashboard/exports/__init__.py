"""File exports of a view (no Dash): images (PNG, SVG, PDF), profile images, the PowerPoint deck
and batch runs.

Everything is built from a ``ViewState`` and the ``Prepared`` bundle through the same view
functions and figure builders as the screen, so an export never disagrees with what is shown
and never carries a value the screen hides.
"""

from dashboard.exports.images import IMAGE_FORMATS, VIEWS, ExportError, figure_for, render_view
from dashboard.exports.names import export_name
from dashboard.exports.profile_image import municipality_image, render_profile
from dashboard.exports.renderer import Renderer, renderer

__all__ = ["IMAGE_FORMATS", "VIEWS", "ExportError", "Renderer", "export_name", "figure_for", "municipality_image",
           "render_profile", "render_view", "renderer"]
