"""Time ``publish()`` on a synthetic bundle of 93 areas x 50 indicators x 9 years (~45k area cells).

Run: ``.venv/bin/python -m bench.publish_timing``. Counts are skewed small so that primary and
secondary suppression have work to do; writes one line with the timing to stdout via ``sys.stdout``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from dashboard.model import Bundle, BundleConfig, PrivacyRules
from dashboard.publish import HIDDEN_STATUSES, publish


def synthetic_bundle(n_areas: int = 93, n_indicators: int = 50, n_years: int = 9, seed: int = 1) -> Bundle:
    rng = np.random.default_rng(seed)
    ids = [f"A{i:03d}" for i in range(n_areas)]
    munis = [f"M{min(i // 9, 9)}" for i in range(n_areas)]
    areas = gpd.GeoDataFrame(
        {"area_id": ids, "area_name": ids, "municipality_id": munis, "municipality_name": munis,
         "area_km2": 1.0},
        geometry=[box(i, 0, i + 1, 1) for i in range(n_areas)], crs="EPSG:4326",
    )
    ind_rows = [("EW", "Einwohner", "Soziodemografie", "Personen", 0, "", "", None, None, 0, "sum", np.nan)]
    for k in range(1, n_indicators):
        if k % 10 == 9:
            ind_rows.append((f"W{k}", f"Wert {k}", "Wohnen", "m²", 0, "", "", None, None, 1,
                             "mean_weighted", np.nan))
        else:
            ind_rows.append((f"Q{k}", f"Quote {k}", "Sozioökonomie", "%", 1, "", "", "Fälle", "Basis",
                             1, "sum", 100.0))
    indicators = pd.DataFrame(ind_rows, columns=[
        "indicator_id", "name", "theme", "unit", "polarity", "description", "source",
        "numerator_label", "denominator_label", "decimals", "aggregation", "scale"])
    pop = rng.integers(150, 12000, n_areas).astype(float)
    frames = []
    for year in range(2015, 2015 + n_years):
        for ind, agg in zip(indicators["indicator_id"], indicators["aggregation"], strict=True):
            if ind == "EW":
                frames.append(pd.DataFrame({"area_id": ids, "indicator_id": ind, "year": year,
                                            "value": pop, "numerator": np.nan, "denominator": np.nan}))
            elif agg == "mean_weighted":
                frames.append(pd.DataFrame({"area_id": ids, "indicator_id": ind, "year": year,
                                            "value": rng.normal(40, 5, n_areas), "numerator": np.nan,
                                            "denominator": np.nan}))
            else:
                share = rng.uniform(0.0005, 0.08)
                num = rng.poisson(pop * share).astype(float)
                frames.append(pd.DataFrame({"area_id": ids, "indicator_id": ind, "year": year,
                                            "value": num / pop * 100, "numerator": num,
                                            "denominator": pop}))
    values = pd.concat(frames, ignore_index=True)
    config = BundleConfig(title="Bench", region="Bench", attribution="synthetisch",
                          privacy=PrivacyRules(population_indicator="EW"))
    return Bundle(path=Path("."), config=config, areas=areas, indicators=indicators, values=values)


def main() -> None:
    bundle = synthetic_bundle()
    start = time.perf_counter()
    pub = publish(bundle)
    elapsed = time.perf_counter() - start
    counts = pub.cells["status"].value_counts()
    hidden = {s: int(counts.get(s, 0)) for s in HIDDEN_STATUSES}
    sys.stdout.write(f"publish(): {elapsed:.2f} s for {len(bundle.values)} area cells; hidden {hidden}\n")


if __name__ == "__main__":
    main()
