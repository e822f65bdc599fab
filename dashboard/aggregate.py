"""Aggregation of area cells to municipality and region.

Shares are aggregated as the ratio of summed numerators and denominators (never as a mean of
area ratios). Indicators without counts follow their ``aggregation``: ``sum`` adds the values
(only when every area has one, else the total would silently be too low), ``mean_weighted``
weights area values by the area population, ``none`` publishes no aggregate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def _ratio_of_sums(group: pd.DataFrame, scale: float) -> tuple[float, float, float]:
    both = group.dropna(subset=["numerator", "denominator"])
    num, den = both["numerator"].sum(), both["denominator"].sum()
    if both.empty or den <= 0:
        return np.nan, np.nan, np.nan
    return num / den * scale, num, den


def aggregate_cells(
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
