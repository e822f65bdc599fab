"""Attacker tests: an index or a Gestaltungsbedarf must not let a hidden input be recovered.

The attacker knows every published cell, every published index value and class, every flag, and
the method. For a hidden input they try every value the cell's status allows (a primary cell:
1 … min_count − 1) and keep those that reproduce what was published. The hidden value is
recovered when exactly one candidate survives. A naive engine that computes on the raw values
is attacked the same way, to show that the test can find a leak.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from dashboard.indices import compute_index, evaluate_needs
from dashboard.indices.spec import Condition, Group, NeedRule
from dashboard.indices.table import export_index_table, index_table
from dashboard.model import Bundle
from dashboard.publish import publish
from tests.unit.index_bundles import make_bundle, published_with, spec, zscore

POP = [1200, 2000, 1500, 800, 3000, 1100, 900, 2500]
DEN = [900.0, 1500.0, 1100.0, 600.0, 2300.0, 800.0, 700.0, 1900.0]
NUM = [1.0, 40.0, 25.0, 60.0, 30.0, 45.0, 20.0, 50.0]   # A00 has 1 case: primary suppression
B = [30.0, 41.0, 28.0, 55.0, 35.0, 26.0, 47.0, 33.0]
C = [5.0, 9.0, 2.0, 14.0, 7.0, 3.5, 11.0, 6.0]
HIDDEN_AREA = "A00"
CANDIDATES = (1.0, 2.0)  # what a primary cell with min_count 3 can hold


def raw_bundle(hidden_count: float) -> Bundle:
    num = list(NUM)
    num[0] = hidden_count
    return make_bundle({"B": {2023: B}, "C": {2023: C}}, {2023: POP},
                       counts={"Q": {2023: (num, DEN)}})


def naive_index(bundle: Bundle) -> np.ndarray:
    """What an engine reading raw values would publish (the leak this module guards against)."""
    v = bundle.values[bundle.values["indicator_id"].isin(["Q", "B", "C"])]
    wide = v.pivot(index="area_id", columns="indicator_id", values="value").reindex(bundle.areas["area_id"])
    return zscore(sum(zscore(wide[c].to_numpy()) for c in ("Q", "B", "C")))


def survivors(outputs: dict[float, object], observed: object) -> list[float]:
    """Candidates whose published output equals the observed one."""
    def same(a: object, b: object) -> bool:
        if isinstance(a, pd.DataFrame):
            return a.equals(b)
        if isinstance(a, np.ndarray):
            return bool(np.allclose(a, b, equal_nan=True, rtol=0, atol=1e-12))
        return a == b
    return [c for c, out in outputs.items() if same(out, observed)]


@pytest.fixture(scope="module")
def bundles() -> dict[float, Bundle]:
    return {c: raw_bundle(c) for c in CANDIDATES}


def test_priv001_the_input_is_really_hidden_and_the_pattern_does_not_depend_on_it(bundles) -> None:
    statuses = {}
    for c, bundle in bundles.items():
        cells = publish(bundle).cells
        area = cells[(cells["level"] == "area") & (cells["indicator_id"] == "Q")].set_index("unit_id")
        assert area.loc[HIDDEN_AREA, "status"] == "primary" and np.isnan(area.loc[HIDDEN_AREA, "value"])
        statuses[c] = area["status"]
    assert statuses[1.0].equals(statuses[2.0])
    assert (statuses[1.0] == "secondary").sum() >= 1  # a second area hides it from the municipal total


def test_priv002_naive_raw_index_would_give_the_hidden_count_away(bundles) -> None:
    outputs = {c: naive_index(b) for c, b in bundles.items()}
    for true in CANDIDATES:
        assert survivors(outputs, outputs[true]) == [true]


@pytest.mark.parametrize("min_indicators", [3, 2])
def test_priv003_engine_output_is_the_same_for_every_possible_hidden_value(bundles, min_indicators: int) -> None:
    s = spec("sozial", ["Q", "B", "C"], min_indicators=min_indicators,
             thresholds=(-1.0, 1.0, 1.5), labels=("hoch", "mittel", "niedrig", "sehr niedrig"))
    outputs = {c: compute_index(published_with(b, s), s, 2023) for c, b in bundles.items()}
    for true in CANDIDATES:
        assert survivors(outputs, outputs[true]) == list(CANDIDATES)  # nothing narrowed down
    result = outputs[1.0]
    hidden_areas = result.index[result["n_inputs"] < 3]
    assert HIDDEN_AREA in hidden_areas
    if min_indicators == 3:  # default rule: an area with a hidden input gets no value and no class
        assert result.loc[hidden_areas, "value"].isna().all()
        assert result.loc[hidden_areas, "class_label"].isna().all()
        assert (result.loc[hidden_areas, "status"] == "hidden").all()
    else:  # computed from the published inputs alone
        assert (result.loc[hidden_areas, "status"] == "partial").all()
        assert result.loc[hidden_areas, "value"].notna().all()


def test_priv004_partial_value_is_a_function_of_the_published_inputs_only(bundles) -> None:
    """With min_indicators below the count, the area's sum uses only B and C: the same value
    results when the hidden indicator is dropped from the area altogether."""
    s = spec("sozial", ["Q", "B", "C"], min_indicators=2)
    published = published_with(bundles[1.0], s)
    result = compute_index(published, s, 2023)
    q = published.cells.query("level == 'area' and indicator_id == 'Q'").set_index("unit_id")["value"]
    q = q.reindex(result.index).to_numpy()
    zq, zb, zc = zscore(q), zscore(np.array(B)), zscore(np.array(C))
    sums = np.where(np.isnan(zq), (zb + zc) * 3 / 2, zq + zb + zc)
    np.testing.assert_allclose(result["value"].to_numpy(), zscore(sums), rtol=1e-12)


def test_priv005_flags_and_the_cli_table_are_the_same_for_every_possible_hidden_value(bundles) -> None:
    s = spec("sozial", ["Q", "B", "C"], min_indicators=2, thresholds=(-1.0, 1.0), labels=("a", "b", "c"))
    rule = NeedRule("n", "Testbedarf", Group("all", (
        Condition("indicator", "Q", "worst", "Q schlecht", fraction=0.4),
        Condition("indicator", "B", "above", "B über 25", threshold=25.0),
    ), 2, "Q schlecht und B über 25"), "Q schlecht und B über 25")
    outputs, files = {}, {}
    for c, bundle in bundles.items():
        published = published_with(bundle, s, needs=(rule,))
        outputs[c] = evaluate_needs(published, 2023)["n"][["flag", "state"]]
        files[c] = export_index_table(index_table(published, 2023), published, 2023, "csv")
    for true in CANDIDATES:
        assert survivors(outputs, outputs[true]) == list(CANDIDATES)
        assert survivors(files, files[true]) == list(CANDIDATES)
    assert outputs[1.0].loc[HIDDEN_AREA, "state"] == "hidden"  # B holds, Q is hidden: undecided
    assert outputs[1.0]["state"].isin(["yes"]).any() and outputs[1.0]["state"].isin(["no"]).any()
    row = pd.read_csv(io.BytesIO(files[1.0]), dtype=str).set_index("unit_id").loc[HIDDEN_AREA]
    assert row["need_n"] == "•" and row["sozial_value"] not in ("", "•")
