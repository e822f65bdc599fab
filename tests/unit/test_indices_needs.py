"""Gestaltungsbedarfe: conditions, three-valued groups, ranks among published values, counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.indices import compute_index, evaluate_need, evaluate_needs, need_counts
from dashboard.indices.spec import Condition, Group, NeedRule
from tests.unit.index_bundles import make_bundle, published_with, spec

POP = [1000, 1200, 900, 1500, 800, 1100, 1300, 950, 1000, 1250]
DEN = [800.0, 1000.0, 700.0, 1200.0, 650.0, 900.0, 1000.0, 760.0, 800.0, 1000.0]
NUM = [40.0, 150.0, 21.0, 96.0, 1.0, 45.0, 200.0, 38.0, 64.0, 30.0]  # A04: 1 case, hidden
GOOD = [50.0, 40.0, 60.0, 45.0, 55.0, 35.0, 30.0, 65.0, 42.0, 58.0]  # polarity -1: low is bad


@pytest.fixture(scope="module")
def published():
    bundle = make_bundle({"G": {2023: GOOD}}, {2023: POP}, polarity={"G": -1},
                         counts={"Q": {2023: (NUM, DEN)}})
    s = spec("idx", ["G"], signs=(-1,), thresholds=(-1.0, 1.0), labels=("gut", "mittel", "schlecht"))
    return published_with(bundle, s)


def cond(ref: str, comparison: str, subject: str = "indicator", **kw) -> Condition:
    return Condition(subject, ref, comparison, f"{ref} {comparison}", **kw)  # type: ignore[arg-type]


def need(mode: str, *items, k: int = 0) -> NeedRule:
    group = Group(mode, tuple(items), k or (len(items) if mode == "all" else 1), "Regel")  # type: ignore[arg-type]
    return NeedRule("n", "Bedarf", group, "Regeltext")


def states(published, rule: NeedRule) -> list[str]:
    return evaluate_need(published, rule, 2023)["state"].tolist()


def test_need001_worst_fraction_ranks_among_published_values_by_polarity(published) -> None:
    q = published.level_cells("area", "Q", 2023)["value"].reindex(published.areas["area_id"]).to_numpy()
    shown = np.flatnonzero(np.isfinite(q))
    assert 4 not in shown and 7 <= len(shown) < 10  # A04 primary, plus secondary suppression
    got = states(published, need("all", cond("Q", "worst", fraction=0.25)))
    count = int(np.floor(0.25 * len(shown)))  # ranks 1 … 0.25 × (number of published values)
    worst = set(shown[np.argsort(-q[shown])[:count]].tolist())
    assert got == ["hidden" if i not in shown else "yes" if i in worst else "no" for i in range(10)]
    low = states(published, need("all", cond("G", "worst", fraction=0.2)))
    assert [i for i, s in enumerate(low) if s == "yes"] == sorted(np.argsort(GOOD)[:2].tolist())


def test_need002_above_region_and_municipality_use_the_published_aggregates(published) -> None:
    region = published.level_cells("region", "Q", 2023)["value"].iloc[0]
    munis = published.level_cells("municipality", "Q", 2023)["value"]
    q = published.level_cells("area", "Q", 2023)["value"].reindex(published.areas["area_id"])
    got = states(published, need("all", cond("Q", "above", reference="region")))
    assert got == ["hidden" if np.isnan(v) else "yes" if v > region else "no" for v in q]
    got = states(published, need("all", cond("Q", "below", reference="municipality")))
    ref = published.areas["municipality_id"].map(munis).to_numpy()
    assert got == ["hidden" if np.isnan(v) else "yes" if v < r else "no" for v, r in zip(q, ref, strict=True)]
    # value-only indicator without an aggregate: nothing to compare with, "missing" (not "no")
    assert set(states(published, need("all", cond("G", "above", reference="region")))) == {"missing"}


def test_need003_groups_follow_three_valued_logic(published) -> None:
    hidden_q = cond("Q", "above", threshold=0.0)         # A04 unknown (hidden), others true
    false_g = cond("G", "above", threshold=1000.0)       # false everywhere
    true_g = cond("G", "below", threshold=1000.0)        # true everywhere
    assert states(published, need("all", hidden_q, false_g))[4] == "no"
    assert states(published, need("all", hidden_q, true_g))[4] == "hidden"
    assert states(published, need("any", hidden_q, true_g))[4] == "yes"
    assert states(published, need("any", hidden_q, false_g))[4] == "hidden"
    assert states(published, need("at_least", hidden_q, true_g, false_g, k=2))[4] == "hidden"
    assert states(published, need("at_least", hidden_q, true_g, true_g, k=2))[4] == "yes"
    assert states(published, need("at_least", hidden_q, false_g, false_g, k=2))[4] == "no"
    assert states(published, need("at_least", hidden_q, true_g, false_g, k=2))[0] == "yes"


def test_need004_index_class_condition_and_fired_texts(published) -> None:
    s = published.indices[0]
    result = compute_index(published, s, 2023)
    rule = need("any", cond("idx", "classes", subject="index", classes=("schlecht",)),
                cond("Q", "above", threshold=15.0))
    out = evaluate_need(published, rule, 2023)
    q = published.level_cells("area", "Q", 2023)["value"].reindex(out.index)
    for area, row in out.iterrows():
        bad = result.loc[area, "class_label"] == "schlecht"
        high = bool(q[area] > 15.0)
        assert row["fired"] == tuple(t for t, ok in (("idx classes", bad), ("Q above", high)) if ok)
        assert (row["state"] == "yes") == (bad or high)
        assert row["text"] == "Regeltext"
    assert out["flag"].dtype == "boolean"


def test_need005_counts_per_municipality_and_region(published) -> None:
    r1 = NeedRule("a", "A", Group("all", (cond("Q", "above", threshold=8.0),), 1, "A"), "A")
    r2 = NeedRule("b", "B", Group("all", (cond("G", "below", threshold=45.0),), 1, "B"), "B")
    published = published.__class__(**{**published.__dict__, "needs": (r1, r2)})
    needs = evaluate_needs(published, 2023)
    counts = need_counts(published, needs)
    flags = pd.DataFrame({k: v["flag"].fillna(False).astype(bool) for k, v in needs.items()})
    muni = published.areas.set_index("area_id")["municipality_id"]
    for m, group in flags.groupby(muni):
        assert counts.loc[m, "a"] == group["a"].sum() and counts.loc[m, "b"] == group["b"].sum()
        assert counts.loc[m, "any"] == (group["a"] | group["b"]).sum()
        assert counts.loc[m, "areas"] == len(group)
    assert counts.loc["__region__", "any"] == (flags["a"] | flags["b"]).sum()
    assert counts.loc["__region__", "areas"] == 10
