"""Palettes: darker means more need, sizes 1..7, the diverging centre, distinct no-data styles."""

from __future__ import annotations

import pytest

from dashboard.palettes import DIVERGING, HIDDEN_COLOUR, NO_DATA_COLOUR, PALETTES, class_colours


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("n", range(1, 8))
def test_pal001_sizes_and_darker_means_more_need(palette, n):
    up = class_colours(n, palette, polarity=1)
    down = class_colours(n, palette, polarity=-1)
    assert len(up) == n and down == up[::-1]
    if n > 1:
        assert _luminance(up[-1]) < _luminance(up[0])  # highest value darkest for polarity 1
        assert _luminance(down[0]) < _luminance(down[-1])  # lowest value darkest for polarity -1
    assert len(set(up)) == n


@pytest.mark.parametrize("n", [3, 5, 7])
def test_pal002_diverging_has_neutral_centre_for_odd_counts(n):
    colours = class_colours(n, diverging=True)
    assert colours[n // 2] == DIVERGING.anchors[4]


def test_pal003_special_styles_differ_from_every_class_colour():
    for palette in PALETTES:
        for n in range(1, 8):
            colours = set(class_colours(n, palette)) | set(class_colours(n, diverging=True))
            assert NO_DATA_COLOUR not in colours and HIDDEN_COLOUR not in colours


def test_pal004_unknown_palette_falls_back():
    assert class_colours(3, "nope") == class_colours(3)
