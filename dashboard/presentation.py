"""Presentation mode without Dash: stepping through a theme's indicators and the years, the
permalink of the shown view and its QR code (made locally with segno, no web service).
"""

from __future__ import annotations

from dataclasses import replace

from dashboard.links import absolute, atlas_href
from dashboard.publish import Published
from dashboard.state import Choices, ViewState

ACTIONS = ("next-indicator", "previous-indicator", "next-year", "previous-year", "play")


def presentation_state(state: ViewState) -> ViewState:
    """The projector shows one map: no compare mode."""
    return replace(state, compare="", compare_indicator="", compare_year=None)


def step(published: Published, choices: Choices, state: ViewState, action: str) -> ViewState:
    """The view after one key: ←/→ the theme's indicators (wrapping), ↑/↓ the years with data
    (↑ later, ↓ earlier, stopping at the ends), ``play`` the next year (wrapping to the first)."""
    if action in ("next-indicator", "previous-indicator"):
        theme = published.catalogue[state.indicator].theme
        members = [i.id for i in published.catalogue.in_theme(theme) if choices.years_of(i.id)]
        if state.indicator not in members or len(members) < 2:
            return state
        k = members.index(state.indicator) + (1 if action == "next-indicator" else -1)
        indicator = members[k % len(members)]
        years = choices.years_of(indicator)
        year = state.year if state.year in years else max(years)
        return ViewState.from_dict({**state.to_dict(), "indicator": indicator, "year": year,
                                    "method": state.method, "limits": ""}, choices)
    years = list(choices.years_of(state.indicator))
    if not years:
        return state
    k = years.index(state.year) if state.year in years else len(years) - 1
    if action == "next-year":
        k = min(k + 1, len(years) - 1)
    elif action == "previous-year":
        k = max(k - 1, 0)
    elif action == "play":
        k = (k + 1) % len(years)
    else:
        return state
    return replace(state, year=years[k])


def permalink(base_url: str, state: ViewState) -> str:
    """The atlas link of the view for the audience (``base_url`` = the public address)."""
    return absolute(base_url, atlas_href(state.to_query()))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as a ``data:image/svg+xml`` URI (error correction M, dark on white)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#111111", light="#ffffff")
