"""German texts shared by every view: hidden/missing markers, titles, captions, notes.

One place for the words, so the map, the table, the images, the slides and the CLI say the same.
"""

from __future__ import annotations

import textwrap

from dashboard.formatting import format_number
from dashboard.publish import Published

HIDDEN_TEXT = "aus Datenschutzgründen nicht ausgewiesen"
NO_DATA_TEXT = "keine Daten"
OUTSIDE_TEXT = "außerhalb des Kommunenfilters"
COUNT_SERIES_NOTE = "Bei Anzahlen werden Kommune und Region nicht als Vergleich gezeigt."


def title_text(published: Published, indicator_id: str, year: int | None = None) -> str:
    """'SGB-II-Quote (%) 2024' – the title inside map and chart images."""
    return published.catalogue[indicator_id].title(year)


DEMO_NOTE = "Demodaten (synthetisch)"


def with_demo_note(parts: list[str], synthetic: bool) -> str:
    """Join the parts of a source line with " · " and add the demo-data note for a synthetic bundle
    unless a part already says "Demodaten" (the demo's attribution does; the word once is enough)."""
    shown = [p for p in parts if p]
    if synthetic and not any("demodaten" in p.lower() for p in shown):
        shown.append(DEMO_NOTE)
    return " · ".join(shown)


def caption_text(published: Published, indicator_id: str) -> str:
    """Source line inside every image: source, attribution and the demo-data note."""
    return sources_caption(published, (indicator_id,))


def sources_caption(published: Published, indicator_ids: tuple[str, ...] | list[str]) -> str:
    """The source line of a figure that shows several indicators: their distinct sources, the
    attribution and the demo-data note (once)."""
    sources = list(dict.fromkeys(s for s in (published.catalogue[i].source for i in indicator_ids) if s))
    label = "Quelle" if len(sources) == 1 else "Quellen"
    return with_demo_note([f"{label}: {'; '.join(sources)}" if sources else "", published.config.attribution],
                          published.config.synthetic)


def short_caption(published: Published, indicator_id: str) -> str:
    """The one on-screen line: 'Quelle: … · Demodaten'; the full attribution sits behind a button."""
    source = published.catalogue[indicator_id].source
    return with_demo_note([f"Quelle: {source}" if source else ""], published.config.synthetic)


def caption_lines(text: str, width: int = 120) -> list[str]:
    """The source line broken into lines of at most ``width`` characters (at spaces), so that a
    long attribution stays whole inside a chart image instead of running off its edge."""
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def hidden_note(count: int) -> str:
    """'3 Sozialräume aus Datenschutzgründen nicht ausgewiesen' (empty when none)."""
    if count <= 0:
        return ""
    noun = "Sozialraum" if count == 1 else "Sozialräume"
    return f"{format_number(count, 0)} {noun} {HIDDEN_TEXT}"


def selection_note(count: int) -> str:
    """'2 Sozialräume ausgewählt' (empty when nothing is selected)."""
    if count <= 0:
        return ""
    return f"{count} Sozialr{'aum' if count == 1 else 'äume'} ausgewählt"


def years_text(years: tuple[int, ...] | list[int]) -> str:
    """'2016–2024', or '2016, 2018–2024' when years are missing in between."""
    ys = sorted(set(int(y) for y in years))
    if not ys:
        return ""
    runs: list[tuple[int, int]] = []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
