"""The compact time series (what a switch sends) gives exactly the screen figure of ``series_for``."""

from __future__ import annotations

import json

from dashboard.charts.series_chart import compact_series, expand_series, series_for
from dashboard.prepared import prepare
from dashboard.state import ViewState


def _states(prepared) -> list[ViewState]:
    areas = list(prepared.choices.areas)
    out = []
    for n, indicator in enumerate(prepared.choices.indicators):
        chosen = ",".join(areas[n % len(areas):][:1 + n % 3])
        out.append(ViewState.from_query(f"?indicator={indicator}&areas={chosen}", prepared.choices))
        out.append(ViewState.from_query(f"?indicator={indicator}", prepared.choices))
    return out


def test_ser001_compact_series_expands_to_the_screen_figure(published):
    prepared = prepare(published)
    for state in _states(prepared):
        shown = prepared.for_indicator(state.indicator)
        compact, note = compact_series(shown, state)
        figure, expected_note = series_for(shown, state)
        assert expand_series(json.loads(json.dumps(compact))) == json.loads(json.dumps(figure)), state.to_query()
        assert note == expected_note


def _hidden_states(prepared) -> list[ViewState]:
    """Per indicator a selection of the areas that have a hidden year."""
    from dashboard.publish import HIDDEN_STATUSES

    c = prepared.published.cells
    hidden = c[(c["level"] == "area") & c["status"].isin(HIDDEN_STATUSES)]
    return [ViewState.from_query(f"?indicator={i}&areas={','.join(sorted(set(g['unit_id']))[:4])}", prepared.choices)
            for i, g in hidden.groupby("indicator_id")]


def test_ser002_hidden_years_travel_as_a_mark_not_a_number(published):
    prepared = prepare(published)
    hidden_lines = 0
    for state in _states(prepared) + _hidden_states(prepared):
        shown = prepared.for_indicator(state.indicator)
        compact, _ = compact_series(shown, state)
        figure, _ = series_for(shown, state)
        for (_, _, values), trace in zip(compact["L"], figure["data"], strict=True):
            for v, text in zip(values, trace["text"], strict=True):
                assert (v == "h") == (text == compact["h"])
            hidden_lines += "h" in values
    assert hidden_lines  # the tiny bundle has hidden years in some selected line


def test_ser003_compact_series_is_a_fraction_of_the_figure(published):
    prepared = prepare(published)
    state = _states(prepared)[0]
    shown = prepared.for_indicator(state.indicator)
    compact, _ = compact_series(shown, state)
    figure, _ = series_for(shown, state)
    assert len(json.dumps(compact)) * 3 < len(json.dumps(figure))
