"""Colour-blind-safe class colours for the choropleth maps.

Sequential palettes are ColorBrewer single-hue or multi-hue schemes (Brewer & Harrower, all rated
colour-blind safe) and viridis; the diverging one (PuOr) is used for the standard-deviation method.
Colours are chosen so that *darker always means more need*: for polarity -1 (less is worse) the
ramp is reversed. Plain hex strings, no plotting library needed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Fill of areas without data ("–") and of data-protected areas ("•"); both differ from every
#: palette colour (neutral greys, where all sequential palettes start near white or a hue).
NO_DATA_COLOUR = "#f2f2f2"
HIDDEN_COLOUR = "#a6a6a6"
HIDDEN_MARKER_COLOUR = "#222222"

#: Ordered class colours of a composite index's declared classes (least -> most need), distinguishable
#: in greyscale and for colour blindness; categorical, so no palette control changes them.
INDEX_CLASS_COLOURS = {
    2: ("#c6dbef", "#08519c"),
    3: ("#fee8c8", "#fdbb84", "#d7301f"),
    4: ("#d9f0d3", "#fee08b", "#fc8d59", "#b2182b"),
    5: ("#d9f0d3", "#ffffbf", "#fee08b", "#fc8d59", "#b2182b"),
    6: ("#d9f0d3", "#ffffbf", "#fee08b", "#fdae61", "#f46d43", "#a50026"),
}


def index_class_colours(k: int) -> list[str]:
    """``k`` colours of an index's classes, from least to most need."""
    if k in INDEX_CLASS_COLOURS:
        return list(INDEX_CLASS_COLOURS[k])
    base = INDEX_CLASS_COLOURS[6]
    return [base[min(5, i * 6 // max(k, 1))] for i in range(k)]


@dataclass(frozen=True)
class Palette:
    """A named ramp of nine anchor colours from light (little) to dark (much)."""

    key: str
    label: str
    anchors: tuple[str, ...]
    diverging: bool = False


_PALETTES: tuple[Palette, ...] = (
    Palette("blues", "Blau (ColorBrewer)", (
        "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b",
    )),
    Palette("ylorbr", "Gelb–Braun (ColorBrewer)", (
        "#ffffe5", "#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#993404", "#662506",
    )),
    Palette("purples", "Lila (ColorBrewer)", (
        "#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d",
    )),
    Palette("viridis", "Viridis", (
        "#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878",
    )),
)

#: ColorBrewer PuOr (colour-blind safe): orange = below the mean, purple = above.
DIVERGING = Palette("puor", "Orange–Lila (divergierend)", (
    "#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7", "#d8daeb", "#b2abd2", "#8073ac", "#542788",
), diverging=True)

PALETTES: dict[str, Palette] = {p.key: p for p in _PALETTES}
DEFAULT_PALETTE = "blues"


def palette_options() -> list[tuple[str, str]]:
    """(key, German label) pairs for the palette control."""
    return [(p.key, p.label) for p in _PALETTES]


def _pick(anchors: tuple[str, ...], n: int, skip_lightest: bool) -> list[str]:
    """``n`` evenly spaced anchors; the near-white first anchor is skipped so that the lightest
    class never looks like "keine Daten"."""
    pool = anchors[1:] if skip_lightest else anchors
    if n <= 1:
        return [pool[len(pool) // 2]]
    step = (len(pool) - 1) / (n - 1)
    return [pool[round(i * step)] for i in range(n)]


def class_colours(n: int, palette: str = DEFAULT_PALETTE, polarity: int = 1, diverging: bool = False) -> list[str]:
    """Colours of ``n`` classes ordered from the lowest to the highest value.

    Darker means more need: with polarity -1 the lowest values get the darkest colour. The
    diverging palette keeps its neutral centre on the middle class for odd ``n``.
    """
    if n <= 0:
        return []
    if diverging:
        anchors = DIVERGING.anchors
        colours = [anchors[4]] if n == 1 else _pick(anchors, n, skip_lightest=False)
        if n % 2 == 1:
            colours[n // 2] = anchors[4]
    else:
        chosen = PALETTES.get(palette, PALETTES[DEFAULT_PALETTE])
        colours = _pick(chosen.anchors, n, skip_lightest=True)
    if polarity == -1:
        colours = colours[::-1]
    return colours
