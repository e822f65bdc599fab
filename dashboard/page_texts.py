"""Texts of the atlas that depend on the indicator only, sent once with the page.

A switch then carries numbers, not prose: the browser takes the info panel, the table's headers
and title, the series title and the source line of the new indicator from this table
(assets/texts.js), which keeps an indicator switch to a few kilobytes.
"""

from __future__ import annotations

import weakref

from dashboard.charts.series_chart import series_title
from dashboard.prepared import Prepared
from dashboard.ranking import difference_header, value_header
from dashboard.state import ViewState
from dashboard.texts import short_caption

#: Rows of the info panel: (label, key of ``Indicator.info()``), shown where the text is not empty.
INFO_ROWS = (("Definition", "description"), ("Einheit", "unit"), ("Art", "kind"), ("Quelle", "source"),
             ("Zähler", "numerator"), ("Nenner", "denominator"), ("Lesart", "direction"),
             ("Indikatoren des Index", "inputs"), ("Methode", "method"), ("Klassen", "classes"))


def info_rows(info: dict[str, str]) -> list[list[str]]:
    """The info panel's (label, text) pairs of one indicator, empty texts left out."""
    return [[label, info[key]] for label, key in INFO_ROWS if info.get(key)]


_BUILT: dict[int, tuple[weakref.ref, dict]] = {}


def indicator_texts(prepared: Prepared) -> dict[str, dict]:
    """``build_indicator_texts`` once per prepared bundle (every page carries the same table)."""
    hit = _BUILT.get(id(prepared))
    if hit is not None and hit[0]() is prepared:
        return hit[1]
    texts = build_indicator_texts(prepared)
    _BUILT.clear()  # one bundle per process; a test's next bundle replaces it
    _BUILT[id(prepared)] = (weakref.ref(prepared), texts)
    return texts


def build_indicator_texts(prepared: Prepared) -> dict[str, dict]:
    """Per indicator id: info rows (``i``) and index link (``l``), value and difference headers
    (``vh``, ``dh``; ``hd``: no difference column), title without year (``t``), series title
    (``st``) and the on-screen source line (``c``)."""
    out = {}
    for ind in prepared.catalogue:
        shown = prepared.for_indicator(ind.id)
        state = ViewState.from_query(f"?indicator={ind.id}", prepared.choices)
        info = ind.info()
        out[ind.id] = {
            "i": info_rows(info), "l": info.get("link", ""),
            "vh": value_header(shown, ind.id), "dh": difference_header(shown, ind.id) or "Differenz",
            "hd": not ind.compares_to_region, "t": ind.title(), "st": series_title(shown, state),
            "c": short_caption(prepared.published, ind.id),
        }
    return out
