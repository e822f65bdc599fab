"""German number formatting for every user-facing text: ``12,3 %``, ``1.234``, ``–`` for no data."""

from __future__ import annotations

import math

NO_DATA = "–"


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """Format with German separators: 1234.5 -> '1.234,5'; NaN/None -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    text = f"{float(value):,.{max(decimals, 0)}f}"
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    if text.startswith("-") and set(text[1:]) <= set("0,."):
        text = text[1:]  # no "-0,0"
    return text.replace("-", "−")


def format_count(value: float | int | None) -> str:
    """Whole counts: 1234 -> '1.234'."""
    return format_number(value, 0)


def format_value(value: float | int | None, unit: str = "", decimals: int = 1) -> str:
    """A value with its unit, German style: '12,3 %', '4,2 je 1.000 EW', '1.234'."""
    text = format_number(value, decimals)
    if text == NO_DATA or not unit:
        return text
    return f"{text} {unit}"


def format_signed(value: float | int | None, unit: str = "", decimals: int = 1) -> str:
    """A difference with explicit sign: '+1,2 %-Pkt.' style output ('±0,0' for zero)."""
    text = format_number(value, decimals)
    if text == NO_DATA:
        return text
    if not text.startswith("−") and set(text) - set("0,."):
        text = "+" + text
    elif not set(text) - set("0,."):
        text = "±" + text
    return f"{text} {unit}".rstrip()


def d3_locale() -> dict:
    """The German d3 locale for plotly figures (``layout.separators`` covers the rest)."""
    return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"]}


PLOTLY_SEPARATORS = ",."


def plotly_text(text: object) -> str:
    """A bundle text as plotly shows it literally: ``<``, ``>`` and ``&`` become entities.

    Plotly renders a subset of HTML in titles, legends, annotations and hover labels
    (``<a href>``, ``<b>``, ``<br>``); a name from the bundle must never become a link or markup.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
