"""Synthetic bundles of any size (100 … 10,000+ areas) for benchmarks and tests.

    python -m dashboard.demo.synthetic --areas 10000 --out /tmp/synth-10000 [--seed 1]

The geometry is a Voronoi tessellation of random points (denser around a few settlement cores)
clipped to a wavy region outline; the edges are densified and bent by one smooth displacement
field, so shared edges stay identical and the coverage stays gap- and overlap-free. Cells are
grouped into 10–40 municipalities by k-means on their centroids. The values come from the demo's
value model (``dashboard.demo.values``) on a subset of its catalogue, with traits derived from
the synthetic geography. Everything depends only on ``--areas`` and ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from dashboard.demo.catalogue import CATALOGUE, SENSITIVE, THEMES
from dashboard.demo.generate import _neighbours, areas_geojson, indicators_csv, values_csv
from dashboard.demo.geometry import METRIC_CRS, _as_area, to_wgs84_grid
from dashboard.demo.values import AreaTraits, build_values

#: Two dozen indicators, four per theme (SD has five): shares, rates per 1,000 and 100,000,
#: a count (SD01), value-only means (SD12 weighted, WO09 rent) and a sensitive one (KJ07, BH03).
INDICATORS = (
    "SD01", "SD03", "SD04", "SD08", "SD12",
    "SO01", "SO03", "SO05", "SO09",
    "KJ01", "KJ03", "KJ07", "KJ08",
    "WO01", "WO04", "WO06", "WO09",
    "BH01", "BH03", "BH05",
    "GE01", "GE05", "GE06", "GE07",
)
YEARS = (2020, 2021, 2022, 2023, 2024)
#: Mean area of one cell (km²): city blocks near the cores are smaller, rural cells larger.
MEAN_AREA_KM2 = 0.6
#: Centre of the region in EPSG:25832 (about 7.0° E, 51.2° N, so the UTM zone fits).
CENTRE = (360_000.0, 5_675_000.0)
TINY_SHARE = 0.02  # areas with fewer than 300 residents (hidden by the privacy rule)

_STEMS = ("Linden", "Eichen", "Buchen", "Birken", "Erlen", "Wies", "Brun", "Stein", "Berg", "Tal",
          "Mühl", "Kirch", "Hoh", "Rot", "Weiß", "Sand", "Moor", "Fels", "Wald", "Rosen")
_ENDS = ("dorf", "heim", "hausen", "feld", "berg", "bach", "rath", "hofen", "kirchen", "stedt")
_QUARTERS = ("Nord", "Süd", "Ost", "West", "Mitte", "Oberdorf", "Unterdorf", "Am Markt", "Bahnhof",
             "Feldmark", "Heide", "Siedlung", "Neubaugebiet", "Altstadt", "Am Park", "Kirchviertel")


@dataclass(frozen=True)
class Geography:
    """The areas (metric CRS, canonical columns) and the traits the value model needs."""

    areas: gpd.GeoDataFrame
    traits: AreaTraits


def _outline(n_areas: int, rng: np.random.Generator) -> shapely.Polygon:
    """A wavy, roughly round region whose area fits ``n_areas`` cells of MEAN_AREA_KM2."""
    theta = np.linspace(0.0, 2 * np.pi, 721)[:-1]
    radius = 1.0 + sum(rng.uniform(0.03, 0.12) / k * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
                       for k in range(2, 7))
    ring = np.column_stack([radius * np.cos(theta) * 1.3, radius * np.sin(theta)])
    unit = shapely.Polygon(ring)
    scale = np.sqrt(n_areas * MEAN_AREA_KM2 * 1e6 / unit.area)
    return shapely.Polygon(ring * scale + np.array(CENTRE))


def _seeds(outline: shapely.Polygon, n: int, cores: np.ndarray, spread: float,
           rng: np.random.Generator) -> np.ndarray:
    """``n`` points inside the outline: half uniform, half around the cores."""
    xmin, ymin, xmax, ymax = outline.bounds
    out: list[np.ndarray] = []
    count = 0
    while count < n:
        m = max(n, 64)
        which = rng.integers(len(cores), size=m // 2)
        near = cores[which] + rng.normal(0.0, spread, size=(m // 2, 2))
        far = np.column_stack([rng.uniform(xmin, xmax, m - m // 2), rng.uniform(ymin, ymax, m - m // 2)])
        pts = np.vstack([near, far])
        pts = pts[shapely.contains_xy(outline, pts[:, 0], pts[:, 1])]
        out.append(pts)
        count += len(pts)
    return np.vstack(out)[:n]


def _displacement(spacing: float, rng: np.random.Generator):  # noqa: ANN202
    """A smooth field (sum of sinusoids) that bends straight edges; amplitude ≪ cell spacing."""
    k = rng.uniform(0.6, 2.2, size=(6, 2)) / spacing * rng.choice([-1, 1], size=(6, 2))
    phase = rng.uniform(0, 2 * np.pi, size=(6, 2))
    amp = 0.035 * spacing

    def move(xy: np.ndarray) -> np.ndarray:
        dx = sum(np.sin(xy @ k[j] + phase[j, 0]) for j in range(3))
        dy = sum(np.sin(xy @ k[j] + phase[j, 1]) for j in range(3, 6))
        return xy + amp * np.column_stack([dx, dy])

    return move


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 25) -> np.ndarray:
    """Cluster labels of ``points`` (random start among the points, Lloyd iterations)."""
    centres = points[rng.choice(len(points), size=k, replace=False)]
    label = np.zeros(len(points), dtype=np.int64)
    for _ in range(iterations):
        d2 = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        label = np.argmin(d2, axis=1)
        centres = np.array([points[label == j].mean(axis=0) if (label == j).any() else centres[j]
                            for j in range(k)])
    return label


def _name(rng: np.random.Generator, taken: set[str]) -> str:
    """A German-sounding, unused municipality name."""
    while True:
        name = str(rng.choice(_STEMS)) + str(rng.choice(_ENDS))
        if name not in taken:
            taken.add(name)
            return name


def municipality_count(n_areas: int) -> int:
    """10 municipalities for small bundles, up to 40 for 10,000 areas."""
    return int(np.clip(round(np.sqrt(n_areas) / 2.5), 10, 40)) if n_areas >= 10 else 1


def build_geography(n_areas: int, rng: np.random.Generator) -> Geography:
    """Build ``n_areas`` areas with ids, names and municipalities, plus their traits."""
    outline = _outline(n_areas, rng)
    xmin, ymin, xmax, ymax = outline.bounds
    size = max(xmax - xmin, ymax - ymin)
    cores = np.array([p for p in (np.array(CENTRE) + rng.normal(0, size / 5, 2) for _ in range(12))
                      if outline.contains(shapely.Point(p))][:5] or [np.array(CENTRE)])
    seeds = _seeds(outline, n_areas, cores, size / 12, rng)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=outline,
                                                       ordered=True))
    cells = shapely.intersection(cells, outline)
    spacing = np.sqrt(MEAN_AREA_KM2 * 1e6)
    cells = shapely.segmentize(cells, spacing / 5)
    cells = shapely.transform(cells, _displacement(spacing, rng))
    geoms = np.array([_as_area(g) for g in cells], dtype=object)

    centroids = shapely.get_coordinates(shapely.centroid(geoms))
    k = municipality_count(n_areas)
    label = _kmeans(centroids, k, rng)
    # Municipalities numbered from the centre outwards (the first is the "city").
    centre_dist = np.array([np.hypot(*(centroids[label == j].mean(axis=0) - cores[0])) for j in range(k)])
    rank = np.empty(k, dtype=np.int64)
    rank[np.argsort(centre_dist)] = np.arange(k)
    label = rank[label]
    taken: set[str] = set()
    muni_names = [_name(rng, taken) for _ in range(k)]
    muni_ids = [f"0599{j + 1:04d}" for j in range(k)]

    dist_core = np.min(np.hypot(centroids[:, None, 0] - cores[None, :, 0],
                                centroids[:, None, 1] - cores[None, :, 1]), axis=1)
    urban = np.exp(-dist_core / (size / 10))
    # Areas within a municipality: ordered by distance to the nearest core, the closest is "Mitte".
    order = np.lexsort((dist_core, label))
    rows = []
    counter = np.zeros(k, dtype=np.int64)
    for idx in order:
        j = int(label[idx])
        counter[j] += 1
        quarter = "Mitte" if counter[j] == 1 else str(rng.choice(_QUARTERS))
        rows.append({"area_id": f"{muni_ids[j]}-{counter[j]:04d}",
                     "area_name": f"{muni_names[j]} {quarter} {counter[j]}",
                     "municipality_id": muni_ids[j], "municipality_name": muni_names[j],
                     "geometry": geoms[idx], "_urban": urban[idx]})
    areas = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)
    traits = _traits(areas, rng)
    return Geography(areas=areas.drop(columns="_urban"), traits=traits)


def _traits(areas: gpd.GeoDataFrame, rng: np.random.Generator) -> AreaTraits:
    """Population, a spatially smooth deprivation score and the other inputs of the value model."""
    n = len(areas)
    urban = areas["_urban"].to_numpy()
    xy = shapely.get_coordinates(shapely.centroid(areas.geometry.values))
    span = xy.max(axis=0) - xy.min(axis=0) + 1.0
    # A few deprivation hot and cold spots plus urbanity, smoothed over neighbours.
    bumps = rng.uniform(xy.min(axis=0), xy.max(axis=0), size=(8, 2))
    signs = rng.choice([-1.0, 1.0], size=8, p=[0.35, 0.65])
    field = sum(s * np.exp(-(((xy - b) / (span / 8)) ** 2).sum(axis=1)) for s, b in zip(signs, bumps, strict=True))
    raw = 0.8 * field + 0.6 * urban + rng.normal(0, 0.35, n)
    nb = _neighbours(areas.geometry.values)
    smooth = np.array([0.6 * raw[i] + 0.4 * raw[nbi].mean() if len(nbi) else raw[i] for i, nbi in enumerate(nb)])
    deprivation = (smooth - smooth.mean()) / (smooth.std() or 1.0) * 0.8 + 0.3
    population = np.rint(rng.lognormal(np.log(2600), 0.45, n) * (0.7 + 0.6 * urban)).astype(np.int64)
    tiny = rng.random(n) < TINY_SHARE
    population[tiny] = rng.integers(40, 290, tiny.sum())
    muni = areas["municipality_id"].to_numpy()
    muni_urban = areas.groupby("municipality_id")["_urban"].transform("mean").to_numpy()
    growth_by_muni = {m: rng.uniform(-0.004, 0.009) for m in sorted(set(muni))}
    return AreaTraits(
        municipality_id=muni,
        population_2022=population,
        deprivation=deprivation,
        urban=urban,
        student=(urban > 0.7) & (rng.random(n) < 0.08),
        rural=muni_urban < 0.2,
        rent_base=np.round(6.4 + 2.2 * urban - 0.3 * deprivation + rng.normal(0, 0.25, n), 2),
        growth=np.array([growth_by_muni[m] for m in muni]),
    )


def bundle_toml(n_areas: int, seed: int, indicators: tuple[str, ...]) -> str:
    """The bundle.toml of a synthetic bundle: marked synthetic, demo privacy rules."""
    lines = [
        "# Synthetic bundle of the Sozialraum-Monitor, generated by",
        f"# `python -m dashboard.demo.synthetic --areas {n_areas} --seed {seed}`. Do not edit by hand.",
        f'title = "Synthetischer Raum ({n_areas:_} Sozialräume)"'.replace("_", "."),
        'region = "Synthetische Region"',
        "synthetic = true",
        json.dumps("Synthetische Testdaten: Geometrie und alle Werte sind zufällig erzeugt "
                   "(Voronoi-Zerlegung), keine realen Gebiete und keine amtlichen Zahlen.",
                   ensure_ascii=False).join(["attribution = ", ""]),
        "themes = [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in THEMES) + "]",
        "",
        "[privacy]",
        "min_count = 3",
        "min_population = 300",
        'population_indicator = "SD01"',
    ]
    for ind in SENSITIVE:
        if ind in indicators:
            lines += ["", f"[privacy.indicators.{ind}]", "min_count = 5"]
    return "\n".join(lines) + "\n"


def generate_synthetic(n_areas: int, out: Path, seed: int = 1,
                       indicators: tuple[str, ...] = INDICATORS,
                       years: tuple[int, ...] = YEARS) -> dict[str, int]:
    """Write a synthetic bundle of ``n_areas`` areas into ``out``; return the file sizes in bytes."""
    if n_areas < 10:
        raise ValueError("mindestens 10 Sozialräume")
    rng = np.random.default_rng(seed)
    geo = build_geography(n_areas, rng)
    catalogue = tuple(i for i in CATALOGUE if i.indicator_id in indicators)
    values = build_values(list(geo.areas["area_id"]), geo.traits, rng, only=set(indicators), years=set(years))
    texts = {
        "bundle.toml": bundle_toml(n_areas, seed, indicators),
        "areas.geojson": areas_geojson(to_wgs84_grid(geo.areas)),
        "indicators.csv": indicators_csv(catalogue),
        "values.csv": values_csv(values),
    }
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, text in texts.items():
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one synthetic bundle and print its file sizes."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.demo.synthetic",
                                     description="Erzeugt ein synthetisches Datenpaket beliebiger Größe.")
    parser.add_argument("--areas", type=int, required=True, help="Zahl der Sozialräume (≥ 10)")
    parser.add_argument("--out", type=Path, required=True, help="Zielordner")
    parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufallsgenerators")
    parser.add_argument("--all-indicators", action="store_true", help="alle Indikatoren des Demo-Katalogs")
    args = parser.parse_args(argv)
    if args.areas < 10:
        parser.error("--areas: mindestens 10 Sozialräume")
    indicators = tuple(i.indicator_id for i in CATALOGUE) if args.all_indicators else INDICATORS
    sizes = generate_synthetic(args.areas, args.out, args.seed, indicators)
    sys.stdout.write(f"{args.out}: {args.areas} Sozialräume, {len(indicators)} Indikatoren\n")
    for name, size in sizes.items():
        sys.stdout.write(f"  {name}: {size / 1024:.0f} KiB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
