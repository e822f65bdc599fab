"""What a map shows: legend texts, counts as density, shared limits, change maps, selection."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.classify import classify
from dashboard.mapview import map_view, map_views
from dashboard.state import ViewState


def test_map001_legend_labels_are_half_open_and_name_the_unit(published, area_ids, km2):
    view = map_view(published, area_ids, ViewState("WFL", 2022), km2)
    labels = [e.label for e in view.legend]
    assert labels[0].split(" bis ")[0][0].isdigit()  # first class: 'min bis upper'
    assert all(label.startswith("über ") for label in labels[1:view.k])
    assert view.legend_title == "Wohnfläche je Einwohner (m²)"
    assert sum(e.count for e in view.legend[:view.k]) == sum(v is not None for v in view.values)


def test_map002_boundary_value_belongs_to_the_lower_class():
    cls = classify(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), "manual", 3, 0, [2.0, 4.0])
    assert cls.labels == ("bis 2", "über 2 bis 4", "über 4")
    assert list(cls.classes) == [0, 0, 1, 1, 2, 2]


def test_map003_a_count_is_drawn_as_density_never_as_absolute_numbers(published, area_ids, km2):
    view = map_view(published, area_ids, ViewState("EW", 2022), km2)
    assert view.density and "je km²" in view.title and "je km²" in view.legend_title
    cells = published.level_cells("area", "EW", 2022)["value"]
    for i, area in enumerate(area_ids):
        if view.values[i] is not None:
            assert view.values[i] == pytest.approx(cells[area] / km2[i], rel=1e-3)


def test_map004_year_compare_uses_one_set_of_limits(published, area_ids, km2):
    state = ViewState("SGB2", 2021, compare="year", compare_year=2023)
    first, second = map_views(published, area_ids, state, km2)
    assert second is not None
    assert [e.label for e in first.legend[:first.k]] == [e.label for e in second.legend[:second.k]]
    assert first.colours == second.colours
    # The same value gets the same colour in both years.
    solo = map_view(published, area_ids, ViewState("SGB2", 2023), km2)
    assert solo.k >= 1


def test_map005_change_map_is_diverging_around_zero(published, area_ids, km2):
    state = ViewState("SGB2", 2021, compare="change", compare_year=2023)
    _, change = map_views(published, area_ids, state, km2)
    assert change is not None and change.diverging and "Veränderung" in change.title
    values = np.array([np.nan if v is None else v for v in change.values])
    published_2021 = published.level_cells("area", "SGB2", 2021)["value"]
    published_2023 = published.level_cells("area", "SGB2", 2023)["value"]
    for i, area in enumerate(area_ids):
        if not np.isnan(values[i]):
            assert values[i] == pytest.approx(published_2023[area] - published_2021[area], abs=1e-3)


def test_map006_selection_never_changes_a_colour(published, area_ids, km2):
    plain = map_view(published, area_ids, ViewState("SGB2", 2023), km2)
    chosen = map_view(published, area_ids, ViewState("SGB2", 2023, areas=("A1", "B2")), km2)
    assert plain.codes == chosen.codes and plain.colours == chosen.colours
    assert chosen.selected == ["A1", "B2"]


def test_map007_municipality_filter_marks_others_outside(published, area_ids, km2):
    view = map_view(published, area_ids, ViewState("SGB2", 2023, municipalities=("M2",)), km2)
    for i, area in enumerate(area_ids):
        assert (view.status_of(i) == "outside") == area.startswith("A")
