"""The area picker's options: every selected area, then the first ones in picker order."""

from __future__ import annotations

from dashboard.options import area_options, area_order, lists_all
from dashboard.publish import publish
from tests.conftest import make_tiny_bundle


def test_aro001_order_is_municipality_name_id_and_labels_name_the_municipality():
    published = publish(make_tiny_bundle())
    order = area_order(published)
    a = published.areas.set_index("area_id")
    keys = [(a.loc[i, "municipality_name"], a.loc[i, "area_name"], i) for i, _ in order]
    assert keys == sorted(keys) and len(order) == len(a)
    assert all(label == f"{a.loc[i, 'area_name']} ({a.loc[i, 'municipality_name']})" for i, label in order)


def test_aro002_the_selected_areas_are_always_options_and_the_others_are_capped():
    order = tuple((f"A{k:03d}", f"Gebiet {k:03d} (K)") for k in range(50))
    out = area_options(order, selected=("A040", "A002"), limit=5)
    assert [o["value"] for o in out] == ["A000", "A001", "A002", "A003", "A004", "A005", "A040"]
    assert lists_all(order, ("A001", "A004"), limit=5) and not lists_all(order, ("A001", "A040"), limit=5)
    assert len(area_options(order, limit=len(order))) == 50
