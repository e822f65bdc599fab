"""Composite indices computed from published data only.

Inputs are the published area cells (``Published.cells``): a hidden cell is NaN there, so no raw
hidden value can enter an index. On top of that an area with a hidden input gets no index unless
``min_indicators`` allows computing it from the remaining inputs; then the value is a function of
published numbers only and tells nothing about the hidden one (tests/unit/test_indices_privacy.py
checks this with an attacker). An area below the population rule gets no index at all.

Methods (``IndexSpec.method``):

- ``zsum``: z-standardise each input across the areas that have it, sum with weight × sign,
  z-standardise the sum again (Berlin's MSS). An area with fewer inputs sums the ones it has and
  scales by total weight / available weight (the weighted mean of its z-values, times total weight).
- ``ranksum``: each input as percent rank 0–100 (100 = most need, ties averaged), weighted mean.
- ``minmax``: each input scaled to 0–100 between the least and the most need, weighted mean.

Every index value is oriented so that a higher value means more need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.formatting import format_number
from dashboard.indices.spec import IndexSpec
from dashboard.publish import HIDDEN_STATUSES, Published

#: Why an area has no index value, or how it got one.
OK = "ok"                  # all inputs published
PARTIAL = "partial"        # computed from ≥ min_indicators published inputs (others hidden/missing)
HIDDEN = "hidden"          # too few inputs because of data protection – shown as the symbol
POPULATION = "population"  # area below the population rule – shown as the symbol
MISSING = "missing"        # too few inputs because data are missing – shown as "–"
PROTECTED_STATUSES = (HIDDEN, POPULATION)

RESULT_COLUMNS = ("value", "class_no", "class_label", "status", "n_inputs")


def index_years(published: Published, spec: IndexSpec) -> tuple[int, ...]:
    """Years for which the index can be computed (all years, minus the first ``change`` years)."""
    years = published.years
    if spec.change is None:
        return years
    return tuple(y for y in years if y - spec.change in years)


def _area_matrix(published: Published, indicators: tuple[str, ...], year: int) -> tuple[np.ndarray, np.ndarray]:
    """Published values (areas × indicators) and a mask of the cells hidden by data protection."""
    c = published.cells
    sel = c[(c["level"] == "area") & (c["year"] == year) & c["indicator_id"].isin(indicators)]
    area_ids = pd.Index(published.areas["area_id"])
    values = sel.pivot(index="unit_id", columns="indicator_id", values="value")
    hidden = sel.assign(h=sel["status"].isin(HIDDEN_STATUSES)).pivot(index="unit_id", columns="indicator_id",
                                                                       values="h")
    values = values.reindex(index=area_ids, columns=list(indicators))
    hidden = hidden.reindex(index=area_ids, columns=list(indicators)).isin([True])
    return values.to_numpy(dtype=float), hidden.to_numpy()


def population_values(published: Published, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Published population of each area (NaN where none) and whether it is hidden."""
    indicator = published.config.privacy.population_indicator
    n = len(published.areas)
    if indicator is None:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    values, hidden = _area_matrix(published, (indicator,), year)
    return values[:, 0], hidden[:, 0]


def below_population_rule(published: Published, year: int) -> np.ndarray:
    """Areas (in ``published.areas`` order) that the population rule excludes in ``year``.

    An area is excluded when any of its cells has status "population", or when its published
    population is hidden or below ``min_population``. Without a known population, no rule applies
    (as in ``dashboard.privacy``).
    """
    c = published.cells
    flagged = set(c.loc[(c["level"] == "area") & (c["year"] == year) & (c["status"] == "population"), "unit_id"])
    out = np.array(published.areas["area_id"].isin(flagged), dtype=bool)
    pop, hidden = population_values(published, year)
    with np.errstate(invalid="ignore"):
        return out | hidden | (pop < published.config.privacy.min_population)


def _inputs(published: Published, spec: IndexSpec, year: int) -> tuple[np.ndarray, np.ndarray]:
    values, hidden = _area_matrix(published, spec.indicators, year)
    if spec.change is None:
        return values, hidden
    before, hidden_before = _area_matrix(published, spec.indicators, year - spec.change)
    return values - before, hidden | hidden_before


def _weighted_stats(x: np.ndarray, w: np.ndarray, sd: str) -> tuple[float, float]:
    """Mean and SD of the finite ``x`` with weights ``w`` (equal weights: the ordinary statistics).

    ``sd = "sample"`` divides by n − 1 (with weights: the weighted variance × n / (n − 1)).
    """
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    n = int(ok.sum())
    if n < 2:
        return (float(x[ok].mean()) if n else np.nan), np.nan
    xs, ws = x[ok], w[ok]
    mean = float(np.sum(ws * xs) / np.sum(ws))
    var = float(np.sum(ws * (xs - mean) ** 2) / np.sum(ws))
    if sd == "sample":
        var *= n / (n - 1)
    return mean, float(np.sqrt(var))


def _zscores(x: np.ndarray, w: np.ndarray, sd: str) -> np.ndarray:
    mean, spread = _weighted_stats(x, w, sd)
    if not np.isfinite(spread) or spread == 0:  # no spread: every area is average
        return np.where(np.isfinite(x), 0.0, np.nan)
    return (x - mean) / spread


def _percent_ranks(x: np.ndarray) -> np.ndarray:
    s = pd.Series(x)
    n = int(s.notna().sum())
    if n < 2:
        return np.where(np.isfinite(x), 50.0, np.nan)
    return ((s.rank(method="average") - 1) / (n - 1) * 100).to_numpy(dtype=float)


def _minmax(x: np.ndarray) -> np.ndarray:
    finite = x[np.isfinite(x)]
    if len(finite) == 0 or finite.max() == finite.min():
        return np.where(np.isfinite(x), 50.0, np.nan)
    return (x - finite.min()) / (finite.max() - finite.min()) * 100


def classify(values: np.ndarray, spec: IndexSpec) -> np.ndarray:
    """Class numbers 1..k (0 where there is no value) by the thresholds and the boundary rule."""
    values = np.asarray(values, dtype=float)
    out = np.ones(len(values), dtype=int)
    for t in spec.thresholds:
        out += (values >= t) if _goes_up(spec, t) else (values > t)
    return np.where(np.isfinite(values), out, 0)


def _goes_up(spec: IndexSpec, threshold: float) -> bool:
    """Whether a value equal to ``threshold`` belongs to the class above it."""
    return spec.boundary == "upper" or (spec.boundary == "inner" and threshold < 0)


def class_ranges(spec: IndexSpec, decimals: int = 1) -> tuple[tuple[str, str], ...]:
    """(label, German range text) per class for a legend, e.g. MSS: "< −1,0", "−1,0 … 1,0",
    "> 1,0 … 1,5", "> 1,5" – the text says on which side each threshold value falls."""
    t = spec.thresholds
    out = []

    def num(x: float) -> str:
        return format_number(x, decimals)

    for j, label in enumerate(spec.labels):
        low = None if j == 0 else t[j - 1]
        high = None if j == len(t) else t[j]
        if low is None and high is None:
            text = "alle Werte"
        elif low is None:
            text = f"{'<' if _goes_up(spec, high) else '≤'} {num(high)}"
        elif high is None:
            text = f"{'≥' if _goes_up(spec, low) else '>'} {num(low)}"
        else:
            text = (f"{'' if _goes_up(spec, low) else '> '}{num(low)} … "
                    f"{'< ' if _goes_up(spec, high) else ''}{num(high)}")
        out.append((label, text))
    return tuple(out)


def compute_index(published: Published, spec: IndexSpec, year: int) -> pd.DataFrame:
    """The index of every area in ``year``, indexed by area_id in ``published.areas`` order.

    Columns: ``value`` (NaN without one), ``class_no`` (Int64, 1 = first label), ``class_label``,
    ``status`` (ok, partial, hidden, population, missing) and ``n_inputs`` (published inputs used).
    A year that cannot be computed (``change`` reaching before the first year) gives all "missing".
    """
    area_ids = pd.Index(published.areas["area_id"], name="area_id")
    k = len(spec.indicators)
    if year not in index_years(published, spec):
        return _result(area_ids, np.full(len(area_ids), np.nan), np.zeros(len(area_ids), dtype=int),
                       np.full(len(area_ids), MISSING, dtype=object), spec)
    x, hidden = _inputs(published, spec, year)
    x = x.copy()
    small = below_population_rule(published, year)
    if spec.weighting == "population":
        pop, pop_hidden = population_values(published, year)
        weights = pop
        small = small | pop_hidden
    else:
        weights = np.ones(len(area_ids))
        pop_hidden = np.zeros(len(area_ids), dtype=bool)
    x[small] = np.nan
    x[~np.isfinite(weights)] = np.nan
    signed = x * np.array(spec.signs, dtype=float)
    if spec.method == "zsum":
        parts = np.column_stack([_zscores(signed[:, j], weights, spec.sd) for j in range(k)])
    elif spec.method == "ranksum":
        parts = np.column_stack([_percent_ranks(signed[:, j]) for j in range(k)])
    else:
        parts = np.column_stack([_minmax(signed[:, j]) for j in range(k)])
    available = np.isfinite(parts)
    n_inputs = available.sum(axis=1)
    w = np.array(spec.weights, dtype=float)
    used_weight = (available * w).sum(axis=1)
    enough = (n_inputs >= spec.min_indicators) & ~small
    with np.errstate(invalid="ignore", divide="ignore"):
        combined = np.where(enough, np.nansum(parts * w, axis=1) / used_weight, np.nan)
    if spec.method == "zsum":
        value = _zscores(combined * w.sum(), weights, spec.sd)
    else:
        value = combined
    status = np.where(n_inputs == k, OK, PARTIAL).astype(object)
    hidden_input = (hidden & ~available).any(axis=1) | pop_hidden
    status[~enough] = np.where(hidden_input[~enough], HIDDEN, MISSING)
    status[small] = POPULATION
    return _result(area_ids, value, np.where(enough, n_inputs, 0), status, spec)


def _result(area_ids: pd.Index, value: np.ndarray, n_inputs: np.ndarray, status: np.ndarray,
            spec: IndexSpec) -> pd.DataFrame:
    value = np.where(np.isin(status, (OK, PARTIAL)), value, np.nan)
    classes = classify(value, spec) if spec.has_classes else np.zeros(len(value), dtype=int)
    labels = np.array((None, *spec.labels), dtype=object)[classes] if spec.has_classes else \
        np.full(len(value), None, dtype=object)
    return pd.DataFrame({
        "value": value,
        "class_no": pd.Series(classes, index=area_ids).where(classes > 0).astype("Int64"),
        "class_label": labels,
        "status": status,
        "n_inputs": n_inputs.astype(int),
    }, index=area_ids)


def compute_indices(published: Published, year: int) -> dict[str, pd.DataFrame]:
    """Every declared index of the bundle for ``year``, by index id (declaration order)."""
    return {spec.index_id: compute_index(published, spec, year) for spec in published.indices}


def index_series(published: Published, spec: IndexSpec) -> pd.DataFrame:
    """All computable years of one index in long form (area_id, year and the result columns)."""
    parts = [compute_index(published, spec, y).reset_index().assign(year=y) for y in index_years(published, spec)]
    if not parts:
        return pd.DataFrame(columns=["area_id", "year", *RESULT_COLUMNS])
    return pd.concat(parts, ignore_index=True)[["area_id", "year", *RESULT_COLUMNS]]


def index_spec(published: Published, index_id: str) -> IndexSpec:
    """The declaration of one index (KeyError if the bundle has no such index)."""
    for spec in published.indices:
        if spec.index_id == index_id:
            return spec
    raise KeyError(index_id)
