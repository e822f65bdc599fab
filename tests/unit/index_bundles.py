"""In-memory bundles for index tests: a handful of areas, value-only or count-based indicators."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from dashboard.indices.spec import IndexSpec, NeedRule
from dashboard.model import Bundle, BundleConfig, PrivacyRules
from dashboard.publish import Published, publish

COLUMNS = ["indicator_id", "name", "theme", "unit", "polarity", "description", "source",
           "numerator_label", "denominator_label", "decimals", "aggregation", "scale"]


def areas_frame(n: int, municipalities: int = 2) -> gpd.GeoDataFrame:
    ids = [f"A{i:02d}" for i in range(n)]
    munis = [f"M{i % municipalities}" for i in range(n)]
    return gpd.GeoDataFrame({
        "area_id": ids, "area_name": [f"Gebiet {i}" for i in range(n)], "municipality_id": munis,
        "municipality_name": [f"Kommune {m}" for m in munis], "area_km2": [1.0] * n,
    }, geometry=[box(6 + 0.01 * i, 50.7, 6.01 + 0.01 * i, 50.71) for i in range(n)], crs="EPSG:4326")


def make_bundle(
    values: dict[str, dict[int, list[float]]],
    population: dict[int, list[float]],
    polarity: dict[str, int] | None = None,
    counts: dict[str, dict[int, tuple[list[float], list[float]]]] | None = None,
    privacy: PrivacyRules | None = None,
    indices: tuple[IndexSpec, ...] = (),
    needs: tuple[NeedRule, ...] = (),
    municipalities: int = 2,
) -> Bundle:
    """``values[indicator][year]`` lists one value per area (NaN = missing); ``counts`` gives
    numerator/denominator lists for count-based shares (value = num / den × 100)."""
    counts = counts or {}
    n = len(next(iter(population.values())))
    areas = areas_frame(n, municipalities)
    polarity = polarity or {}
    rows = [("EW", "Einwohner", "Soziodemografie", "Personen", 0, "", "", None, None, 0, "sum", np.nan)]
    for ind in [*values, *counts]:
        has_counts = ind in counts
        rows.append((ind, f"Indikator {ind}", "Sozioökonomie", "%", polarity.get(ind, 1), "", "",
                     "Fälle" if has_counts else None, "Basis" if has_counts else None, 1,
                     "sum" if has_counts else "none", 100.0 if has_counts else np.nan))
    indicators = pd.DataFrame(rows, columns=COLUMNS)
    cells = []
    for year, pops in population.items():
        cells += [(a, "EW", year, float(p), np.nan, np.nan) for a, p in zip(areas["area_id"], pops, strict=True)]
    for ind, by_year in values.items():
        for year, vals in by_year.items():
            cells += [(a, ind, year, float(v), np.nan, np.nan) for a, v in zip(areas["area_id"], vals, strict=True)]
    for ind, by_year in counts.items():
        for year, (num, den) in by_year.items():
            cells += [(a, ind, year, nu / de * 100, float(nu), float(de))
                      for a, nu, de in zip(areas["area_id"], num, den, strict=True)]
    frame = pd.DataFrame(cells, columns=["area_id", "indicator_id", "year", "value", "numerator", "denominator"])
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    config = BundleConfig(title="Indextest", region="Testkreis", attribution="Testdaten", synthetic=True,
                          privacy=privacy or PrivacyRules(min_population=300, population_indicator="EW"))
    return Bundle(path=Path("."), config=config, areas=areas, indicators=indicators, values=frame,
                  indices=indices, needs=needs)


def published_with(bundle: Bundle, *specs: IndexSpec, needs: tuple[NeedRule, ...] = ()) -> Published:
    return publish(replace(bundle, indices=tuple(specs) or bundle.indices, needs=needs or bundle.needs))


def spec(index_id: str, indicators: list[str], **options) -> IndexSpec:
    """An IndexSpec as the loader builds it (signs +1 unless given, min_indicators = all)."""
    options.setdefault("weights", (1.0,) * len(indicators))
    options.setdefault("signs", (1,) * len(indicators))
    options.setdefault("min_indicators", len(indicators))
    return IndexSpec(index_id=index_id, name=index_id.title(), indicators=tuple(indicators), **options)


def zscore(x: np.ndarray, ddof: int = 1) -> np.ndarray:
    return (x - np.nanmean(x)) / np.nanstd(x, ddof=ddof)
