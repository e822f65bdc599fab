"""The publication step: interface, vectorised aggregation, nothing hidden leaks."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from bench.publish_timing import synthetic_bundle
from dashboard.aggregate import REGION_ID, aggregate_cells, area_population
from dashboard.publish import CELL_COLUMNS, publish
from tests.conftest import make_tiny_bundle
from tests.unit.test_privacy_properties import bundles


# An independent, deliberately plain loop: the oracle for the vectorised aggregation.
def _ratio_of_sums(group: pd.DataFrame, scale: float) -> tuple[float, float, float]:
    both = group.dropna(subset=["numerator", "denominator"])
    num, den = both["numerator"].sum(), both["denominator"].sum()
    if both.empty or den <= 0:
        return np.nan, np.nan, np.nan
    return num / den * scale, num, den


def reference_aggregate(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    groups: pd.Series,
    population: pd.Series,
) -> pd.DataFrame:
    """Aggregate area cells to the units in ``groups`` (area_id -> unit id).

    ``cells`` has ``area_id, indicator_id, year, value, numerator, denominator``. Returns one row
    per (unit_id, indicator_id, year) with ``value, numerator, denominator``; value is NaN where no
    honest aggregate exists.
    """
    meta = indicators.set_index("indicator_id")
    df = cells.assign(unit_id=cells["area_id"].map(groups))
    df = df[df["unit_id"].notna()]
    pop = population.reindex(pd.MultiIndex.from_frame(df[["area_id", "year"]])).to_numpy()
    df = df.assign(_pop=pop)
    expected = groups.value_counts()
    out = []
    for (unit, ind, year), g in df.groupby(["unit_id", "indicator_id", "year"], sort=True):
        info = meta.loc[ind]
        has_counts = g["numerator"].notna().any() and g["denominator"].notna().any()
        value = num = den = np.nan
        if info["aggregation"] == "none":
            pass
        elif has_counts and not np.isnan(info["scale"]):
            value, num, den = _ratio_of_sums(g, float(info["scale"]))
        elif info["aggregation"] == "sum":
            if g["value"].notna().sum() == expected.get(unit, 0):
                value = g["value"].sum()
        elif info["aggregation"] == "mean_weighted":
            ok = g.dropna(subset=["value", "_pop"])
            ok = ok[ok["_pop"] > 0]
            if not ok.empty:
                value = float(np.average(ok["value"], weights=ok["_pop"]))
        out.append((unit, ind, int(year), value, num, den))
    return pd.DataFrame(out, columns=["unit_id", "indicator_id", "year", "value", "numerator", "denominator"])


def _compare(bundle) -> None:
    pop = area_population(bundle.values, bundle.config.privacy.population_indicator)
    muni_of = pd.Series(bundle.areas["municipality_id"].to_numpy(), index=bundle.areas["area_id"])
    for groups in (muni_of, pd.Series(REGION_ID, index=bundle.areas["area_id"])):
        slow = reference_aggregate(bundle.values, bundle.indicators, groups, pop)
        fast = aggregate_cells(bundle.values, bundle.indicators, groups, pop)
        pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True),
                                      check_dtype=False, rtol=1e-12)


def test_pub001_fast_aggregation_matches_reference_on_tiny() -> None:
    _compare(make_tiny_bundle())


@settings(max_examples=10, deadline=None)
@given(bundles())
def test_pub002_fast_aggregation_matches_reference(bundle) -> None:
    _compare(bundle)


def test_pub003_published_interface() -> None:
    pub = publish(make_tiny_bundle())
    assert tuple(pub.cells.columns) == CELL_COLUMNS
    assert pub.years == (2021, 2022, 2023)
    assert pub.indicator("SGB2")["unit"] == "%"
    assert list(pub.level_cells("area", "SGB2", 2022).index) == ["A1", "A2", "A3", "B1", "B2", "B3"]
    assert pub.hidden_counts("SGB2", 2022) == {"primary": 1, "secondary": 1}
    assert pub.hidden_counts("EW", 2022) == {}
    missing = pub.cells[pub.cells["status"] == "missing"]
    assert missing["value"].isna().all()


def test_pub004_publish_is_fast_enough() -> None:
    bundle = synthetic_bundle()
    start = time.perf_counter()
    pub = publish(bundle)
    assert time.perf_counter() - start < 4.0  # budget 2 s; slack for slow CI machines
    assert (pub.cells["status"] == "secondary").any()
    hidden = pub.cells["status"].isin(("primary", "secondary", "population", "total"))
    assert np.isnan(pub.cells.loc[hidden, "value"]).all()


@pytest.mark.parametrize("level", ["area", "municipality", "region"])
def test_pub005_every_level_present(level: str) -> None:
    pub = publish(make_tiny_bundle())
    assert len(pub.level_cells(level, "EW", 2021)) == {"area": 6, "municipality": 2, "region": 1}[level]
