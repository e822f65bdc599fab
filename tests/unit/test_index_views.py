"""Index and Gestaltungsbedarf maps (dashboard.indexview) and the profile's index rows: classes as
categorical codes, an area without index because of data protection is the symbol, never a class."""

from __future__ import annotations

import numpy as np

from dashboard.indexview import index_view, need_view
from dashboard.indices import compute_index
from dashboard.indices.spec import Condition, Group, NeedRule
from dashboard.mapview import HIDDEN
from dashboard.prepared import prepare
from dashboard.profile import area_profile, indices_and_needs
from tests.unit.index_bundles import make_bundle, published_with, spec

POP = [1000, 1200, 200, 900, 1500, 800]  # the third area is below the population rule (300)
B = [5.0, 8.0, 9.0, 2.0, 12.0, 7.0]
C = [1.0, 4.0, 3.0, 6.0, 2.0, 5.0]


def _prepared():
    s = spec("status", ["B", "C"], thresholds=(-0.5, 0.5), labels=("hoch", "mittel", "niedrig"))
    rule = NeedRule("armut", "Armut", Group("any", (Condition("index", "status", "classes", "Status niedrig",
                                                              classes=("niedrig",)),), 1, "Status niedrig"),
                    "Status niedrig")
    bundle = make_bundle({"B": {2023: B}, "C": {2023: C}}, {2023: POP})
    return prepare(published_with(bundle, s, needs=(rule,))), s


def test_index_view_codes_follow_classes_and_protection():
    prepared, s = _prepared()
    result = compute_index(prepared.published, s, 2023)
    view = index_view(prepared, s, result, 2023)
    assert view.k == 3 and view.indicator_id == "index:status"
    by_area = dict(zip(prepared.geometry.area_ids, view.codes, strict=True))
    for area, row in result.iterrows():
        if row["status"] == "population":
            assert by_area[area] == view.k + HIDDEN
            assert view.values[prepared.geometry.area_ids.index(area)] is None
        else:
            assert by_area[area] == int(row["class_no"]) - 1
    assert [e.count for e in view.legend[:3]] == [int((result["class_no"] == i).sum()) for i in (1, 2, 3)]
    assert view.legend[0].label.startswith("hoch (") and "Datenschutz" in view.legend[-1].label
    assert len(set(view.colours[:3])) == 3


def test_need_view_and_profile_rows_hide_the_protected_area():
    prepared, s = _prepared()
    indices, needs = indices_and_needs(prepared.published, 2023)
    view = need_view(prepared, "Armut", "armut", needs["armut"], 2023)
    flagged = int((needs["armut"]["state"] == "yes").sum())
    assert view.legend[1].count == flagged and flagged > 0
    small = prepared.published.areas["area_id"].iloc[2]
    profile = area_profile(prepared, small, 2023)
    (row,) = profile.indices
    assert row.value.hidden and row.class_label == prepared.published.symbol and row.rank_text == row.class_label
    (need,) = profile.needs
    assert need.state == "hidden" and need.state_text == prepared.published.symbol and need.fired == ()
    top = indices["status"]["value"].idxmax()
    assert area_profile(prepared, top, 2023).indices[0].rank_text.startswith("1 von ")
    assert np.isnan(indices["status"].loc[small, "value"])
