"""Build the demo bundle and write its eight files byte-for-byte reproducibly."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, mapping

from dashboard.demo.applications import FOERDERUNG_TOML, applications_csv
from dashboard.demo.catalogue import CATALOGUE, SENSITIVE, SUMS, THEMES, IndicatorDef
from dashboard.demo.geometry import METRIC_CRS, Sources, build_areas, to_wgs84_grid
from dashboard.demo.indices import BEDARFE_TOML, INDICES_TOML
from dashboard.demo.regions import (
    AACHEN_AGS,
    AACHEN_CENTRAL,
    AACHEN_DISTRICTS,
    GROWTH,
    MUNICIPALITIES,
)
from dashboard.demo.values import AreaTraits, build_values

SEED = 20240515
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "geodata" / "staedteregion-aachen"
DEFAULT_SRC = ROOT.parent / "shared" / "geodata-src"

TITLE = "Sozialraum-Monitor StädteRegion Aachen"
REGION = "StädteRegion Aachen"
ATTRIBUTION = (
    "Demodaten: Alle Indikatorwerte sind synthetisch erzeugt und keine amtlichen Zahlen. "
    "Geometrie: Gemeindegrenzen © Land NRW (2023), Geobasis NRW, DVG2, Datenlizenz Deutschland – "
    "Zero – Version 2.0 (dl-de/zero-2-0); Statistische Bezirke © Stadt Aachen, Datenlizenz "
    "Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0), verändert (an die DVG2-Grenze "
    "angepasst); Sozialräume der übrigen neun Kommunen synthetisch. Einwohner-Eckwerte: "
    "Zensus 2022, © Statistische Ämter des Bundes und der Länder, dl-de/by-2-0."
)

#: Mean asking rent 2022 (€/m²) by municipality, before area adjustments (synthetic).
_RENT = {
    "05334002": 8.7, "05334004": 6.8, "05334008": 6.6, "05334012": 6.9, "05334016": 7.3,
    "05334020": 6.5, "05334024": 7.6, "05334028": 6.6, "05334032": 6.8, "05334036": 7.4,
}


@dataclass(frozen=True)
class Summary:
    """What was written, for the command line."""

    out: Path
    areas: int
    municipalities: int
    indicators: int
    values: int
    sizes: dict[str, int]


def _neighbours(geoms: np.ndarray) -> list[np.ndarray]:
    """Return the indices of the areas sharing a boundary with each area."""
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="touches")
    return [j[i == k] for k in range(len(geoms))]


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum exactly to ``total``."""
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def area_traits(areas: gpd.GeoDataFrame, census: pd.Series, rng: np.random.Generator) -> AreaTraits:
    """Derive population 2022, the smooth deprivation score and the other traits of each area.

    ``areas`` is in the metric CRS; ``census`` maps AGS to the Zensus 2022 population.
    """
    n = len(areas)
    deprivation = np.zeros(n)
    weight = np.zeros(n)
    urban = np.zeros(n)
    student = np.zeros(n, dtype=bool)
    rural = np.zeros(n, dtype=bool)
    fixed = np.full(n, -1, dtype=np.int64)
    rent = np.zeros(n)
    specs = {s.ags: s for s in MUNICIPALITIES}
    rep = areas.geometry.representative_point()
    for k, row in enumerate(areas.itertuples(index=False)):
        ags = row.municipality_id
        rent[k] = _RENT[ags]
        if ags == AACHEN_AGS:
            code = row.area_id[-2:]
            w, dep, stud = AACHEN_DISTRICTS[code]
            weight[k], deprivation[k], student[k] = w * rng.lognormal(0.0, 0.06), dep, stud
            urban[k] = 1.0 if code in AACHEN_CENTRAL else (0.45 if code[0] in "56" else 0.75)
            rent[k] += 0.5 * (code in AACHEN_CENTRAL) + 0.3 * stud
            continue
        spec = specs[ags]
        core_ll = spec.cores[0]
        core = gpd.GeoSeries([Point(core_ll[0], core_ll[1])], crs="EPSG:4326").to_crs(METRIC_CRS)[0]
        dist = rep.iloc[k].distance(core)
        is_core = row.area_id.endswith("-01")
        deprivation[k] = (spec.deprivation + 0.9 * np.exp(-(dist**2) / (2 * 1800.0**2))
                          - 0.07 * dist / 1000 + 0.3 * is_core + rng.normal(0, 0.25))
        weight[k] = rng.lognormal(0.0, 0.35 if spec.rural else 0.25) * (1.6 if is_core else 1.0)
        urban[k] = (0.25 if is_core else 0.12) if spec.rural else (0.7 if is_core else 0.45)
        rural[k] = spec.rural
        for name, pop in spec.tiny:
            if row.area_name == name:
                fixed[k] = pop
    rent += -0.3 * deprivation + rng.normal(0.0, 0.25, n)
    neighbours = _neighbours(areas.geometry.values)
    smooth = np.array([0.6 * deprivation[k] + 0.4 * deprivation[nb].mean() if len(nb) else deprivation[k]
                       for k, nb in enumerate(neighbours)])
    population = np.zeros(n, dtype=np.int64)
    growth = np.zeros(n)
    for ags, idx in areas.groupby("municipality_id").indices.items():
        # Register counts run a little above the census (Zensus 2022 corrected downwards).
        target = int(round(census[ags] * (1 + rng.uniform(0.004, 0.022))))
        free = idx[fixed[idx] < 0]
        population[idx] = np.maximum(fixed[idx], 0)
        population[free] = _largest_remainder(target - int(population[idx].sum()), weight[free])
        growth[idx] = GROWTH[ags]
    return AreaTraits(
        municipality_id=areas["municipality_id"].to_numpy(),
        population_2022=population,
        deprivation=smooth,
        urban=urban,
        student=student,
        rural=rural,
        rent_base=np.round(rent, 2),
        growth=growth,
    )


def _fmt_coords(obj: object) -> object:
    """Round nested coordinate lists to 6 decimals (and turn tuples into lists)."""
    if isinstance(obj, (tuple, list)):
        if obj and isinstance(obj[0], float):
            return [round(v, 6) for v in obj]
        return [_fmt_coords(o) for o in obj]
    return obj


def areas_geojson(areas: gpd.GeoDataFrame) -> str:
    """Serialise the areas (EPSG:4326) as compact RFC 7946 GeoJSON, one feature per line."""
    lines = []
    for row in areas.itertuples(index=False):
        geom = mapping(row.geometry)
        feature = {
            "type": "Feature",
            "properties": {
                "area_id": row.area_id, "area_name": row.area_name,
                "municipality_id": row.municipality_id, "municipality_name": row.municipality_name,
            },
            "geometry": {"type": geom["type"], "coordinates": _fmt_coords(geom["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _fmt_number(x: object) -> str:
    """Format a value with at most four decimals and no trailing zeros; '' for missing."""
    if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x)):
        return ""
    text = f"{float(x):.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def indicators_csv(catalogue: tuple[IndicatorDef, ...] = CATALOGUE) -> str:
    """Return the indicator catalogue (by default the demo's) as CSV text."""
    header = ["indicator_id", "name", "theme", "unit", "polarity", "description", "source",
              "numerator_label", "denominator_label", "decimals", "aggregation",
              "numerator_key", "denominator_key"]
    rows = [header] + [
        [i.indicator_id, i.name, i.theme, i.unit, str(i.polarity), i.description, i.source,
         i.numerator_label, i.denominator_label, str(i.decimals), i.aggregation,
         i.numerator_key, i.denominator_key]
        for i in catalogue
    ]
    return _csv(rows)


def values_csv(values: pd.DataFrame) -> str:
    """Return the long values table as CSV text (integer counts, values with at most four decimals)."""
    rows = [["area_id", "indicator_id", "year", "value", "numerator", "denominator"]]
    for a, i, y, v, num, den in values.itertuples(index=False):
        rows.append([a, i, str(y), _fmt_number(v),
                     "" if num is pd.NA else str(int(num)), "" if den is pd.NA else str(int(den))])
    return _csv(rows)


def bundle_toml() -> str:
    """Return the bundle.toml text (written by hand: the standard library only reads TOML)."""
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = [
        "# Demo bundle of the Sozialraum-Monitor, generated by `python -m dashboard.demo`.",
        "# Do not edit by hand; change dashboard/demo and regenerate.",
        f"title = {q(TITLE)}",
        f"region = {q(REGION)}",
        "synthetic = true",
        f"attribution = {q(ATTRIBUTION)}",
        "themes = [" + ", ".join(q(t) for t in THEMES) + "]",
        "",
        "[privacy]",
        "min_count = 3",
        "min_population = 300",
        'population_indicator = "SD01"',
    ]
    for ind in SENSITIVE:
        lines += ["", f"[privacy.indicators.{ind}]", "min_count = 5"]
    lines += ["", "# Counts that add up (the age groups make the population): protected together."]
    for total, parts in SUMS:
        lines += ["", "[[privacy.sums]]", f"total = {q(total)}", "parts = [" + ", ".join(q(p) for p in parts) + "]"]
    return "\n".join(lines) + "\n"


def generate_bundle(out: Path = DEFAULT_OUT, src: Path = DEFAULT_SRC) -> Summary:
    """Generate the whole demo bundle into ``out`` from the real sources in ``src``."""
    sources = Sources.in_dir(src)
    rng = np.random.default_rng(SEED)
    areas = build_areas(sources, rng)
    census = pd.read_csv(sources.population, dtype={"ags": str}).set_index("ags")["population"]
    traits = area_traits(areas, census, rng)
    values = build_values(list(areas["area_id"]), traits, rng)
    texts = {
        "bundle.toml": bundle_toml(),
        "areas.geojson": areas_geojson(to_wgs84_grid(areas)),
        "indicators.csv": indicators_csv(),
        "values.csv": values_csv(values),
        "indices.toml": INDICES_TOML,
        "bedarfe.toml": BEDARFE_TOML,
        "antraege.csv": applications_csv(areas),
        "foerderung.toml": FOERDERUNG_TOML,
    }
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, text in texts.items():
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        sizes[name] = len(data)
    return Summary(out=out, areas=len(areas), municipalities=areas["municipality_id"].nunique(),
                   indicators=len(CATALOGUE), values=len(values), sizes=sizes)
