"""Aggregation of area cells to municipality and region.

Shares are aggregated as the ratio of summed numerators and denominators (never as a mean of
area ratios). Indicators without counts follow their ``aggregation``: ``sum`` adds the values
(only when every area has one, else the total would silently be too low), ``mean_weighted``
weights area values by the area population, ``none`` publishes no aggregate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.catalogue import kinds_of

REGION_ID = "__region__"


def area_population(values: pd.DataFrame, population_indicator: str | None) -> pd.Series:
    """Residents per (area_id, year), the base of ``min_population`` and of weighted means.

    With a configured indicator: its denominator when it has one, else its value (a count such as
    "Einwohner"). Without one: the largest denominator any indicator has for that area and year,
    which for resident-based shares is the whole population.
    """
    if population_indicator is not None:
        rows = values[values["indicator_id"] == population_indicator]
        pop = rows["denominator"].where(rows["denominator"].notna(), rows["value"])
        return pd.Series(pop.to_numpy(), index=pd.MultiIndex.from_frame(rows[["area_id", "year"]]),
                         name="population")
    pop = values.groupby(["area_id", "year"])["denominator"].max()
    return pop.rename("population")


def aggregate_cells(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    groups: pd.Series,
    population: pd.Series,
) -> pd.DataFrame:
    """Aggregate area cells to the units in ``groups`` (area_id -> unit id).

    ``values`` has ``area_id, indicator_id, year, value, numerator, denominator``. Returns one row
    per (unit_id, indicator_id, year) with ``value, numerator, denominator``; value is NaN where no
    honest aggregate exists. Vectorised (one groupby of sums): a per-group loop took ~10 s on the
    demo's 45k cells. tests/unit/test_publish.py checks it against a plain loop.
    """
    meta = indicators.set_index("indicator_id")
    df = values.assign(unit_id=values["area_id"].map(groups))
    df = df[df["unit_id"].notna()]
    pop = population.reindex(pd.MultiIndex.from_frame(df[["area_id", "year"]])).to_numpy(dtype=float)
    num, den, val = (df[c].to_numpy(dtype=float) for c in ("numerator", "denominator", "value"))
    both = ~np.isnan(num) & ~np.isnan(den)
    weighted = ~np.isnan(val) & ~np.isnan(pop) & (pop > 0)
    helper = pd.DataFrame({
        "unit_id": df["unit_id"].to_numpy(), "indicator_id": df["indicator_id"].to_numpy(),
        "year": df["year"].to_numpy(),
        "n_both": both.astype(int), "num": np.where(both, num, 0.0), "den": np.where(both, den, 0.0),
        "any_num": ~np.isnan(num), "any_den": ~np.isnan(den),
        "n_val": (~np.isnan(val)).astype(int), "vsum": np.nan_to_num(val),
        "n_w": weighted.astype(int), "w": np.where(weighted, pop, 0.0),
        "wv": np.where(weighted, pop * np.nan_to_num(val), 0.0),
    })
    g = helper.groupby(["unit_id", "indicator_id", "year"], sort=True).agg(
        n_both=("n_both", "sum"), num=("num", "sum"), den=("den", "sum"), any_num=("any_num", "any"),
        any_den=("any_den", "any"), n_val=("n_val", "sum"), vsum=("vsum", "sum"), n_w=("n_w", "sum"),
        w=("w", "sum"), wv=("wv", "sum"),
    ).reset_index()
    ind = g["indicator_id"]
    kind = ind.map(kinds_of(indicators)).to_numpy()
    scale = ind.map(meta["scale"]).to_numpy(dtype=float)
    expected = g["unit_id"].map(groups.value_counts()).fillna(0).to_numpy()
    ratio = np.isin(kind, ("share", "rate")) & g["any_num"].to_numpy() & g["any_den"].to_numpy()
    ratio_ok = ratio & (g["n_both"].to_numpy() > 0) & (g["den"].to_numpy() > 0)
    summed = ~ratio & (kind == "count") & (g["n_val"].to_numpy() == expected)
    meaned = ~ratio & (kind == "mean") & (g["n_w"].to_numpy() > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ratio_ok, g["num"] / g["den"] * scale,
                         np.where(summed, g["vsum"], np.where(meaned, g["wv"] / g["w"], np.nan)))
    return pd.DataFrame({
        "unit_id": g["unit_id"], "indicator_id": ind, "year": g["year"].astype(int), "value": value,
        "numerator": np.where(ratio_ok, g["num"], np.nan),
        "denominator": np.where(ratio_ok, g["den"], np.nan),
    })
