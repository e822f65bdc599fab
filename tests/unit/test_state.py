"""ViewState: URL round trip, invalid parameters fall back, selection changes."""

from __future__ import annotations

import pytest

from dashboard.state import Choices, ViewState

CHOICES = Choices(indicators=("EW", "SGB2", "WFL"), years=(2021, 2022, 2023), areas=frozenset({"A1", "A2", "B1"}),
                  municipalities=frozenset({"M1", "M2"}), default_indicator="EW", default_year=2023)


@pytest.mark.parametrize("state", [
    ViewState("SGB2", 2022),
    ViewState("WFL", 2021, ("A1", "B1"), ("M2",), "fisher_jenks", 7, "viridis"),
    ViewState("SGB2", 2023, method="manual", limits="5;10,5"),
    ViewState("SGB2", 2023, compare="indicator", compare_indicator="WFL"),
    ViewState("SGB2", 2023, compare="year", compare_year=2021),
])
def test_sta001_query_round_trip(state):
    assert ViewState.from_query(state.to_query(), CHOICES) == state
    assert ViewState.from_dict(state.to_dict(), CHOICES) == state


def test_sta002_query_uses_the_documented_names():
    q = ViewState("SGB2", 2022, ("A1", "A2"), ("M1",), "std_mean", 4, compare="year", compare_year=2021).to_query()
    assert q == "?indicator=SGB2&year=2022&areas=A1,A2&municipality=M1&method=std_mean&classes=4&compare=year" \
                "&compare_year=2021"


@pytest.mark.parametrize("query", [
    "", "?", "?indicator=NOPE&year=abc", "?year=1900&classes=99&method=x&palette=y&compare=z",
    "?areas=,,ZZ,&municipality=%00", "?classes=-1&compare_year=zz", "garbage&&==", None,
])
def test_sta003_invalid_parameters_fall_back_to_defaults(query):
    state = ViewState.from_query(query, CHOICES)
    assert state.indicator == "EW" and state.year == 2023
    assert state.areas == () and state.municipalities == ()
    assert state.method == "quantiles" and state.classes == 5 and state.compare == ""


def test_sta004_partial_validity_keeps_the_valid_parts():
    state = ViewState.from_query("?indicator=WFL&year=1999&areas=A1,XX,A1", CHOICES)
    assert (state.indicator, state.year, state.areas) == ("WFL", 2023, ("A1",))


def test_sta005_compare_defaults_when_partner_missing():
    assert ViewState.from_query("?indicator=EW&compare=indicator", CHOICES).compare_indicator == "SGB2"
    assert ViewState.from_query("?compare=year", CHOICES).compare_year == 2021


def test_sta006_selection_changes():
    s = ViewState("EW", 2023)
    s = s.toggle_area("A1").toggle_area("B1")
    assert s.areas == ("A1", "B1")
    assert s.toggle_area("A1").areas == ("B1",)
    assert s.select_areas(["A2", "A2", "B1"]).areas == ("A2", "B1")
    assert s.clear_selection().areas == ()
