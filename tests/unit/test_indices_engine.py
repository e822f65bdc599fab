"""The index engine against hand computations: zsum, ranksum, minmax, weights, signs, change,
population weighting, min_indicators, the population rule and class boundaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.indices import class_matrix, class_ranges, classify, compute_index, index_series, index_years
from tests.unit.index_bundles import make_bundle, published_with, spec, zscore

N = 8
POP = [1000, 2000, 1500, 800, 3000, 1200, 900, 2500]
X = {"A": [5.0, 9.0, 2.0, 14.0, 7.0, 3.5, 11.0, 6.0],
     "B": [30.0, 41.0, 28.0, 55.0, 35.0, 26.0, 47.0, 33.0],
     "C": [60.0, 52.0, 70.0, 40.0, 58.0, 66.0, 45.0, 61.0]}   # C: higher is better (polarity -1)
X_2021 = {"A": [4.0, 9.5, 2.5, 12.0, 7.0, 4.0, 10.0, 6.5],
          "B": [29.0, 40.0, 29.0, 50.0, 36.0, 27.0, 45.0, 32.0],
          "C": [61.0, 50.0, 69.0, 42.0, 57.0, 66.0, 47.0, 60.0]}


@pytest.fixture(scope="module")
def bundle():
    values = {k: {2021: X_2021[k], 2023: X[k]} for k in X}
    return make_bundle(values, {2021: POP, 2023: POP}, polarity={"A": 1, "B": 1, "C": -1})


def _arr(d: dict[str, list[float]], k: str) -> np.ndarray:
    return np.array(d[k], dtype=float)


def test_eng001_zsum_is_the_z_of_the_weighted_signed_z_sum(bundle) -> None:
    s = spec("s", ["A", "B", "C"], weights=(2.0, 1.0, 1.0), signs=(1, 1, -1))
    result = compute_index(published_with(bundle, s), s, 2023)
    expected = zscore(2 * zscore(_arr(X, "A")) + zscore(_arr(X, "B")) - zscore(_arr(X, "C")))
    np.testing.assert_allclose(result["value"].to_numpy(), expected, rtol=1e-12)
    assert (result["status"] == "ok").all() and (result["n_inputs"] == 3).all()
    assert result.index.tolist() == list(bundle.areas["area_id"])


def test_eng002_population_sd_scales_the_index_by_sqrt_n_over_n_minus_1(bundle) -> None:
    sample = spec("s", ["A", "B"])
    pop = spec("s", ["A", "B"], sd="population")
    v1 = compute_index(published_with(bundle, sample), sample, 2023)["value"].to_numpy()
    v0 = compute_index(published_with(bundle, pop), pop, 2023)["value"].to_numpy()
    np.testing.assert_allclose(v0 / v1, np.sqrt(N / (N - 1)), rtol=1e-12)


def test_eng003_ranksum_is_the_weighted_mean_of_percent_ranks(bundle) -> None:
    s = spec("r", ["A", "C"], method="ranksum", weights=(3.0, 1.0), signs=(1, -1))
    result = compute_index(published_with(bundle, s), s, 2023)
    ra = (pd.Series(X["A"]).rank() - 1) / (N - 1) * 100
    rc = (pd.Series(X["C"]).mul(-1).rank() - 1) / (N - 1) * 100
    np.testing.assert_allclose(result["value"].to_numpy(), ((3 * ra + rc) / 4).to_numpy())
    assert result["value"].max() <= 100 and result["value"].min() >= 0


def test_eng004_minmax_scales_need_to_0_100(bundle) -> None:
    s = spec("m", ["B", "C"], method="minmax", signs=(1, -1))
    result = compute_index(published_with(bundle, s), s, 2023)
    b, c = _arr(X, "B"), _arr(X, "C")
    expected = ((b - b.min()) / (b.max() - b.min()) * 100 + (c.max() - c) / (c.max() - c.min()) * 100) / 2
    np.testing.assert_allclose(result["value"].to_numpy(), expected)


def test_eng005_change_uses_each_indicators_change_over_n_years(bundle) -> None:
    s = spec("d", ["A", "B"], change=2)
    published = published_with(bundle, s)
    result = compute_index(published, s, 2023)
    da, db = _arr(X, "A") - _arr(X_2021, "A"), _arr(X, "B") - _arr(X_2021, "B")
    np.testing.assert_allclose(result["value"].to_numpy(), zscore(zscore(da) + zscore(db)), rtol=1e-12)
    assert index_years(published, s) == (2023,)
    early = compute_index(published, s, 2021)
    assert early["value"].isna().all() and (early["status"] == "missing").all()
    series = index_series(published, s)
    assert set(series["year"]) == {2023} and len(series) == N


def test_eng006_population_weighting_uses_weighted_mean_and_sd(bundle) -> None:
    s = spec("w", ["A", "B"], weighting="population", sd="population")
    result = compute_index(published_with(bundle, s), s, 2023)
    w = np.array(POP, dtype=float)

    def wz(x: np.ndarray) -> np.ndarray:
        m = np.sum(w * x) / w.sum()
        return (x - m) / np.sqrt(np.sum(w * (x - m) ** 2) / w.sum())

    np.testing.assert_allclose(result["value"].to_numpy(), wz(wz(_arr(X, "A")) + wz(_arr(X, "B"))), rtol=1e-12)
    unweighted = spec("u", ["A", "B"], sd="population")
    plain = compute_index(published_with(bundle, unweighted), unweighted, 2023)["value"].to_numpy()
    assert not np.allclose(plain, result["value"].to_numpy())


def test_eng007_missing_input_gives_no_value_unless_min_indicators_allows(bundle) -> None:
    a = list(X["A"])
    a[3] = np.nan
    values = {"A": {2023: a}, "B": {2023: X["B"]}, "C": {2023: X["C"]}}
    b = make_bundle(values, {2023: POP}, polarity={"A": 1, "B": 1, "C": -1})
    strict = spec("s", ["A", "B", "C"], signs=(1, 1, -1))
    result = compute_index(published_with(b, strict), strict, 2023)
    assert np.isnan(result["value"].iloc[3]) and result["status"].iloc[3] == "missing"
    assert result["value"].drop(index="A03").notna().all()
    loose = spec("s", ["A", "B", "C"], signs=(1, 1, -1), min_indicators=2)
    result = compute_index(published_with(b, loose), loose, 2023)
    za, zb, zc = zscore(np.array(a)), zscore(_arr(X, "B")), zscore(_arr(X, "C"))
    sums = za + zb - zc
    sums[3] = (zb[3] - zc[3]) * 3 / 2  # the mean of the two available z-values, times three
    np.testing.assert_allclose(result["value"].to_numpy(), zscore(sums), rtol=1e-12)
    assert result["status"].iloc[3] == "partial" and result["n_inputs"].iloc[3] == 2


def test_eng008_area_below_population_rule_gets_no_index_and_is_left_out_of_the_statistics(bundle) -> None:
    pop = list(POP)
    pop[5] = 250
    values = {k: {2023: X[k]} for k in ("A", "B")}
    b = make_bundle(values, {2023: pop})
    s = spec("s", ["A", "B"])
    result = compute_index(published_with(b, s), s, 2023)
    assert result["status"].iloc[5] == "population" and np.isnan(result["value"].iloc[5])
    keep = np.arange(N) != 5
    expected = zscore(zscore(_arr(X, "A")[keep]) + zscore(_arr(X, "B")[keep]))
    np.testing.assert_allclose(result["value"].to_numpy()[keep], expected, rtol=1e-12)


@pytest.mark.parametrize(("boundary", "expected"), [
    ("inner", [1, 2, 2, 2, 3, 3, 4]),
    ("lower", [1, 1, 2, 2, 3, 3, 4]),
    ("upper", [1, 2, 2, 3, 3, 4, 4]),
])
def test_eng009_threshold_values_fall_into_classes_by_the_boundary_rule(boundary: str, expected: list[int]) -> None:
    s = spec("k", ["A"], thresholds=(-1.0, 1.0, 1.5), labels=("hoch", "mittel", "niedrig", "sehr niedrig"),
             boundary=boundary)
    values = np.array([-1.0001, -1.0, 0.3, 1.0, 1.0001, 1.5, 1.5001])
    assert classify(values, s).tolist() == expected
    assert classify(np.array([np.nan]), s).tolist() == [0]


def test_eng010_class_labels_and_matrix_counts(bundle) -> None:
    status = spec("status", ["A", "B"], thresholds=(-1.0, 1.0, 1.5), labels=("hoch", "mittel", "niedrig", "sehr niedrig"))
    dyn = spec("dyn", ["A", "B"], change=2, thresholds=(-1.0, 1.0), labels=("positiv", "stabil", "negativ"))
    published = published_with(bundle, status, dyn)
    s, d = compute_index(published, status, 2023), compute_index(published, dyn, 2023)
    assert s["class_label"].tolist() == [status.labels[c - 1] for c in classify(s["value"].to_numpy(), status)]
    m = class_matrix(s, d, status, dyn)
    assert m.counts.shape == (4, 3) and int(m.counts.to_numpy().sum()) == N
    for area, row in m.cells.iterrows():
        assert row["cell"] == f"Status {s.loc[area, 'class_label']}, Dyn {d.loc[area, 'class_label']}"
        assert m.counts.loc[row["row_label"], row["column_label"]] >= 1
    with pytest.raises(ValueError):
        class_matrix(s, d, spec("x", ["A"]), dyn)


def test_eng011_legend_ranges_say_where_threshold_values_fall() -> None:
    labels = ("hoch", "mittel", "niedrig", "sehr niedrig")
    mss = spec("k", ["A"], thresholds=(-1.0, 1.0, 1.5), labels=labels, boundary="inner")
    assert [r for _, r in class_ranges(mss)] == ["< −1,0", "−1,0 … 1,0", "> 1,0 … 1,5", "> 1,5"]
    lower = spec("k", ["A"], thresholds=(-1.0, 1.0, 1.5), labels=labels, boundary="lower")
    assert [r for _, r in class_ranges(lower)] == ["≤ −1,0", "> −1,0 … 1,0", "> 1,0 … 1,5", "> 1,5"]
    upper = spec("k", ["A"], thresholds=(-1.0, 1.0, 1.5), labels=labels, boundary="upper")
    assert [r for _, r in class_ranges(upper)] == ["< −1,0", "−1,0 … < 1,0", "1,0 … < 1,5", "≥ 1,5"]
    assert [lbl for lbl, _ in class_ranges(mss)] == list(labels)
