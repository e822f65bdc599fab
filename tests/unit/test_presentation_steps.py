"""Presentation mode without Dash: key steps through indicators and years, permalink, QR code."""

from __future__ import annotations

import base64
import urllib.parse

import pytest

from dashboard.prepared import load_prepared
from dashboard.presentation import permalink, presentation_state, qr_svg, step
from dashboard.state import ViewState
from tests.conftest import DEMO_DIR


@pytest.fixture(scope="module")
def demo():
    return load_prepared(DEMO_DIR)


def test_prs001_left_right_walk_the_theme_and_wrap(demo):
    state = ViewState.from_query("?indicator=SO01&year=2024", demo.choices)
    theme = [i.id for i in demo.catalogue.in_theme("Sozioökonomie")]
    seen = [state.indicator]
    for _ in range(len(theme)):
        state = step(demo.published, demo.choices, state, "next-indicator")
        seen.append(state.indicator)
    assert seen[:-1] == theme and seen[-1] == theme[0] and state.year == 2024
    back = step(demo.published, demo.choices, state, "previous-indicator")
    assert back.indicator == theme[-1]


def test_prs002_up_down_stop_at_the_ends_and_play_wraps(demo):
    years = demo.choices.years_of("SO01")
    state = ViewState.from_query(f"?indicator=SO01&year={years[-1]}", demo.choices)
    assert step(demo.published, demo.choices, state, "next-year").year == years[-1]
    down = step(demo.published, demo.choices, state, "previous-year")
    assert down.year == years[-2]
    assert step(demo.published, demo.choices, state, "play").year == years[0]
    assert step(demo.published, demo.choices, state, "nonsense") == state


def test_prs003_selection_and_filter_survive_steps_compare_is_dropped(demo):
    area, muni = sorted(demo.choices.areas)[0], sorted(demo.choices.municipalities)[0]
    state = presentation_state(ViewState.from_query(
        f"?indicator=SO01&year=2024&areas={area}&municipality={muni}&compare=year", demo.choices))
    assert state.compare == ""
    moved = step(demo.published, demo.choices, state, "next-indicator")
    assert moved.areas == (area,) and moved.municipalities == (muni,)


def test_prs004_permalink_points_at_the_public_address_and_the_qr_code_is_local_svg(demo):
    state = ViewState.from_query("?indicator=SO03&year=2022", demo.choices)
    link = permalink("https://atlas.example.org/", state)
    assert link == "https://atlas.example.org/?indicator=SO03&year=2022"
    uri = qr_svg(link)
    assert uri.startswith("data:image/svg+xml")
    body = uri.split(",", 1)[1]
    svg = base64.b64decode(body).decode() if ";base64" in uri.split(",", 1)[0] else urllib.parse.unquote(body)
    assert "<svg" in svg and "<path" in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert qr_svg(link) != qr_svg(permalink("https://atlas.example.org/", ViewState("SO03", 2023)))
