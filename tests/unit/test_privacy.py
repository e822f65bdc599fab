"""Hand-computed suppression cases on the tiny bundle (docs/privacy.md explains the rules)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.aggregate import REGION_ID
from dashboard.model import Bundle, PrivacyRules
from dashboard.privacy import _diffset, _interval, _sumset
from dashboard.publish import HIDDEN_STATUSES, Published, publish
from tests.conftest import make_tiny_bundle


def _status(pub: Published, indicator: str, year: int) -> dict[str, str]:
    cells = pub.cells[(pub.cells["indicator_id"] == indicator) & (pub.cells["year"] == year)]
    return dict(zip(cells["unit_id"], cells["status"], strict=True))


def _with_sgb2(bundle: Bundle, year: int, numerators: dict[str, float]) -> Bundle:
    values = bundle.values.copy()
    for area, num in numerators.items():
        row = (values["area_id"] == area) & (values["indicator_id"] == "SGB2") & (values["year"] == year)
        values.loc[row, "numerator"] = num
        values.loc[row, "value"] = num / values.loc[row, "denominator"] * 100
    return Bundle(path=bundle.path, config=bundle.config, areas=bundle.areas,
                  indicators=bundle.indicators, values=values)


def test_prv001_primary_and_one_secondary_in_musterstadt() -> None:
    pub = publish(make_tiny_bundle())
    status = _status(pub, "SGB2", 2022)
    assert status["A3"] == "primary"  # numerator 1
    assert status["A1"] == "secondary"  # smallest denominator (808) of the other M1 areas
    assert {status[a] for a in ("A2", "B1", "B2", "B3", "M1", "M2", REGION_ID)} == {"ok"}
    m1 = pub.level_cells("municipality", "SGB2", 2022).loc["M1"]
    assert m1["value"] == pytest.approx((103 + 53 + 1) / (808 + 1608 + 408) * 100)
    assert status == _status(pub, "SGB2", 2021)  # A3 also has 1 in 2021
    assert set(_status(pub, "SGB2", 2023).values()) == {"ok"}  # A3 has 7 in 2023


def test_prv002_hidden_cells_carry_no_number() -> None:
    cells = publish(make_tiny_bundle()).cells
    hidden = cells[cells["status"].isin(HIDDEN_STATUSES)]
    assert len(hidden) == 4
    assert hidden[["value", "numerator", "denominator"]].isna().all().all()


def test_prv003_ratio_of_sums_not_mean_of_ratios() -> None:
    pub = publish(make_tiny_bundle())
    m1 = pub.level_cells("municipality", "SGB2", 2021).loc["M1"]
    assert m1["value"] == pytest.approx((100 + 50 + 1) / (800 + 1600 + 400) * 100)
    assert (m1["numerator"], m1["denominator"]) == (151, 2800)
    region = pub.level_cells("region", "SGB2", 2021).loc[REGION_ID]
    assert region["value"] == pytest.approx(271 / 4720 * 100)
    ew = pub.level_cells("municipality", "EW", 2021)["value"]
    assert ew.to_dict() == {"M1": 3500, "M2": 2400}
    wfl = pub.level_cells("municipality", "WFL", 2021).loc["M1", "value"]
    assert wfl == pytest.approx((35 * 800 + 36 * 1600 + 37 * 400) / 2800)  # weighted by population


def test_prv004_indicator_override_is_stricter() -> None:
    pub = publish(make_tiny_bundle(PrivacyRules(indicator_min_count={"SGB2": 25})))
    status = _status(pub, "SGB2", 2021)
    assert status["B3"] == "primary"  # 20 < 25
    assert status["B1"] == "secondary"  # cheapest partner in Beispieldorf (640 < 960)
    assert status["B2"] == "ok" and status["M2"] == "ok"
    assert _status(pub, "SGB2", 2023)["B3"] == "ok"  # 26
    assert set(_status(pub, "EW", 2021).values()) == {"ok"}  # default min_count elsewhere


def test_prv005_min_population_hides_rates_not_counts() -> None:
    # population = largest denominator: A3 400, B3 320 in 2021, below 500
    pub = publish(make_tiny_bundle(PrivacyRules(min_population=500)))
    sgb2, wfl, ew = (_status(pub, i, 2021) for i in ("SGB2", "WFL", "EW"))
    assert sgb2["A3"] == sgb2["B3"] == wfl["A3"] == wfl["B3"] == "population"
    assert set(ew.values()) == {"ok"}
    # each municipality then needs a second hidden area: the smallest one
    assert sgb2["A1"] == wfl["A1"] == "secondary" and sgb2["B1"] == wfl["B1"] == "secondary"
    assert sgb2["M1"] == wfl["M1"] == "ok"


def test_prv006_round_counts_keeps_rates_exact() -> None:
    pub = publish(make_tiny_bundle(PrivacyRules(round_counts_to=5)))
    a2 = pub.level_cells("area", "SGB2", 2022).loc["A2"]
    assert (a2["numerator"], a2["denominator"]) == (55, 1610)
    assert a2["value"] == pytest.approx(53 / 1608 * 100)
    assert pub.level_cells("area", "EW", 2022).loc["A3", "value"] == 510  # 510 stays
    assert pub.level_cells("area", "EW", 2022).loc["A1", "value"] == 1010


def test_prv007_symbol() -> None:
    assert publish(make_tiny_bundle()).symbol == "•"
    assert publish(make_tiny_bundle(PrivacyRules(symbol="."))).symbol == "."


def test_prv008_tiny_municipality_hides_its_total_and_a_second_one() -> None:
    bundle = _with_sgb2(make_tiny_bundle(), 2021, {"B1": 1, "B2": 1, "B3": 1})
    pub = publish(bundle)
    status = _status(pub, "SGB2", 2021)
    # B1..B3 are all 1 and M2's 3 would pin them: M2's total goes, and since the region total
    # minus M1 would give it back, M1's total goes too (it already hides A1 and A3)
    assert [status[b] for b in ("B1", "B2", "B3")] == ["primary"] * 3
    assert status["M2"] == "total" and status["M1"] == "total"
    assert status[REGION_ID] == "ok"
    assert (status["A3"], status["A1"], status["A2"]) == ("primary", "secondary", "ok")
    assert pub.hidden_counts("SGB2", 2021) == {"primary": 4, "secondary": 1, "total": 2}


def test_prv009_small_municipal_total_is_hidden() -> None:
    bundle = _with_sgb2(make_tiny_bundle(), 2021, {"B1": 1, "B2": 0, "B3": 0})
    status = _status(publish(bundle), "SGB2", 2021)
    assert status["M2"] == "total"  # a municipal count of 1 is hidden by the primary rule too
    assert status["B1"] == "primary"
    assert status["M1"] == "total"  # else region minus M1 gives M2


def test_prv010_zero_may_be_shown() -> None:
    bundle = _with_sgb2(make_tiny_bundle(), 2023, {"A3": 0})
    assert set(_status(publish(bundle), "SGB2", 2023).values()) == {"ok"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [([0, 1], [0, 3], [0, 1, 3, 4]), ([1, 2], [0, 3, 4, 5, 6], [1, 2, 4, 5, 6])],
)
def test_prv011_sumset(a: list[int], b: list[int], expected: list[int]) -> None:
    def as_set(values: list[int]) -> np.ndarray:
        out = _interval(6, 1, 0)
        out[values] = True
        return out
    assert np.flatnonzero(_sumset(as_set(a), as_set(b))).tolist() == expected
    total = as_set([5])
    assert np.flatnonzero(_diffset(total, as_set(b))).tolist() == sorted({5 - x for x in b if x <= 5})


def test_prv012_secondary_must_really_unpin() -> None:
    # m = 3: a primary 1 next to a 3 is pinned (2 is no possible secondary value), so the 3 is
    # not enough; the cheapest area that un-pins is taken instead
    bundle = _with_sgb2(make_tiny_bundle(), 2021, {"A1": 3, "A2": 50, "A3": 1})
    status = _status(publish(bundle), "SGB2", 2021)
    assert status["A3"] == "primary"
    assert status["A2"] == "secondary" and status["A1"] == "ok"
    assert status["M1"] == "ok"


def test_prv013_no_raw_hidden_value_in_published_frame() -> None:
    bundle = make_tiny_bundle()
    cells = publish(bundle).cells
    raw = pd.Series(bundle.values["numerator"].to_numpy())
    hidden_raw = {1.0}
    assert not cells[["value", "numerator", "denominator"]].isin(hidden_raw).any().any()
    assert raw.isin(hidden_raw).any()
