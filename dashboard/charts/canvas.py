"""Canvases: where a figure goes decides its pixel size, type sizes and caption width.

A figure builder takes a ``Canvas`` instead of hard-coded pixels, so the same map or chart
reads on a laptop panel, a 16:9 slide, an A4 page or a projector.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif"
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#495057"


@dataclass(frozen=True)
class Canvas:
    """Pixel size (None = fill the screen panel) and type sizes of one output."""

    key: str
    label: str
    width: int | None
    height: int | None
    title_size: int
    text_size: int
    caption_size: int
    #: Characters per caption line at this width (a wrapped source never leaves the image).
    caption_chars: int
    #: Whether titles and captions are drawn inside the figure (files) or by the page (screen).
    framed: bool = True

    @property
    def line_px(self) -> int:
        return int(self.caption_size * 1.35)


SCREEN = Canvas("screen", "Bildschirm", None, None, 16, 13, 11, 70, framed=False)
SLIDE = Canvas("slide", "Folie 16:9", 1920, 1080, 40, 22, 18, 180)
HALF_SLIDE = Canvas("half-slide", "halbe Folie", 960, 1080, 32, 20, 16, 70)
A4_LANDSCAPE = Canvas("a4-landscape", "A4 quer", 1754, 1240, 34, 20, 15, 160)
A4_PORTRAIT = Canvas("a4-portrait", "A4 hoch", 1240, 1754, 30, 18, 14, 110)
PROJECTOR = Canvas("projector", "Beamer", 1920, 1080, 44, 26, 18, 140, framed=False)

CANVASES: dict[str, Canvas] = {c.key: c for c in (SCREEN, SLIDE, HALF_SLIDE, A4_LANDSCAPE, A4_PORTRAIT, PROJECTOR)}


def font(canvas: Canvas) -> dict:
    return {"family": FONT_FAMILY, "size": canvas.text_size, "color": TEXT_COLOUR}
