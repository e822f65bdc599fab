"""Shared fixtures: a tiny in-memory bundle, and the real demo bundle for end-to-end checks."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from shapely.geometry import box

from dashboard.model import Bundle, BundleConfig, PrivacyRules

# CI runs the same examples every time (a red CI must be reproducible); locally hypothesis explores.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "geodata" / "staedteregion-aachen"


def make_tiny_bundle(privacy: PrivacyRules | None = None) -> Bundle:
    """Six square areas in two municipalities, three indicators, three years; hand-checkable.

    Municipality M1 has areas A1..A3 (A3 has a count of 1 in SGB-II 2022), M2 has B1..B3.
    """
    ids = ["A1", "A2", "A3", "B1", "B2", "B3"]
    geoms = [box(6.0 + 0.01 * i, 50.7, 6.01 + 0.01 * i, 50.71) for i in range(6)]
    areas = gpd.GeoDataFrame(
        {
            "area_id": ids,
            "area_name": ["Altstadt", "Nord", "Süd", "Dorf", "Heide", "Feld"],
            "municipality_id": ["M1", "M1", "M1", "M2", "M2", "M2"],
            "municipality_name": ["Musterstadt"] * 3 + ["Beispieldorf"] * 3,
            "area_km2": [0.79] * 6,
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    indicators = pd.DataFrame(
        [
            ("EW", "Einwohner", "Soziodemografie", "Personen", 0, "Einwohner mit Hauptwohnsitz",
             "EMR", None, None, 0, "sum", np.nan),
            ("SGB2", "SGB-II-Quote", "Sozioökonomie", "%", 1, "Personen in Bedarfsgemeinschaften",
             "BA", "Personen in BG", "Einwohner unter Rentenalter", 1, "sum", 100.0),
            ("WFL", "Wohnfläche je Einwohner", "Wohnen", "m²", -1, "Wohnfläche / EW",
             "GWZ", None, None, 1, "mean_weighted", np.nan),
        ],
        columns=["indicator_id", "name", "theme", "unit", "polarity", "description", "source",
                 "numerator_label", "denominator_label", "decimals", "aggregation", "scale"],
    )
    pop = {"A1": 1000, "A2": 2000, "A3": 500, "B1": 800, "B2": 1200, "B3": 400}
    sgb2 = {"A1": 100, "A2": 50, "A3": 1, "B1": 40, "B2": 60, "B3": 20}
    rows = []
    for year in (2021, 2022, 2023):
        for a in ids:
            p = pop[a] + (year - 2021) * 10
            rows.append((a, "EW", year, float(p), np.nan, np.nan))
            num = sgb2[a] + (0 if a == "A3" and year == 2022 else (year - 2021) * 3)
            den = p * 0.8
            rows.append((a, "SGB2", year, num / den * 100, float(num), den))
            rows.append((a, "WFL", year, 35.0 + ids.index(a), np.nan, np.nan))
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "year", "value", "numerator", "denominator"])
    config = BundleConfig(
        title="Testregion",
        region="Testkreis",
        attribution="Testdaten",
        synthetic=True,
        themes=("Soziodemografie", "Sozioökonomie", "Wohnen"),
        privacy=privacy or PrivacyRules(),
    )
    return Bundle(path=Path("."), config=config, areas=areas, indicators=indicators, values=values)


@pytest.fixture
def tiny_bundle() -> Bundle:
    return make_tiny_bundle()
