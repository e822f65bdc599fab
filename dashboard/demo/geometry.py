"""The demo partition: 93 Sozialräume as one gap- and overlap-free coverage.

Aachen keeps its 34 real statistical districts, fitted to the DVG2 municipality polygon. The other
nine municipalities are cut into synthetic areas: points sampled around settlement cores are
clustered (weighted k-means), the cluster centres become Voronoi seeds, and the cells are clipped
to the municipality. All geometry work happens in EPSG:25832; the result is snapped to a 1e-6
degree grid in EPSG:4326 as a whole, so neighbours keep identical shared vertices.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from dashboard.demo.regions import AACHEN_AGS, MUNICIPALITIES, MUNICIPALITY_NAMES, MunicipalitySpec

METRIC_CRS = "EPSG:25832"
GRID_DEG = 1e-6
SAMPLE_POINTS = 6000
KMEANS_ITERATIONS = 40


@dataclass(frozen=True)
class Sources:
    """Paths of the real geodata inputs."""

    municipalities: Path
    districts: Path
    population: Path

    @classmethod
    def in_dir(cls, src: Path) -> Sources:
        """Return the standard file names inside ``src`` (see its SOURCES.md)."""
        return cls(
            municipalities=src / "staedteregion_aachen_gemeinden.geojson",
            districts=src / "aachen_statistische_bezirke.geojson",
            population=src / "staedteregion_aachen_population_zensus2022.csv",
        )


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    """Return the polygon parts of any geometry (collections are flattened)."""
    return [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]


def _as_area(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Return ``geom`` as a Polygon or MultiPolygon, dropping lines and points from overlays."""
    parts = _polygons(shapely.make_valid(geom))
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _shared_length(a: BaseGeometry, b: BaseGeometry) -> float:
    """Return the length of the common boundary of two polygonal geometries."""
    return float(shapely.length(shapely.intersection(a.boundary, b.boundary)))


def _attach(pieces: list[Polygon], targets: list[BaseGeometry]) -> list[BaseGeometry]:
    """Merge each piece into the target with the longest shared boundary (else the nearest)."""
    targets = list(targets)
    pending = sorted(pieces, key=lambda p: -p.area)
    while pending:
        piece = pending.pop(0)
        lengths = [_shared_length(piece, t) for t in targets]
        best = int(np.argmax(lengths))
        if lengths[best] <= 0:
            best = int(np.argmin([piece.distance(t) for t in targets]))
        targets[best] = _as_area(shapely.union(targets[best], piece))
    return targets


def fit_aachen_districts(districts: gpd.GeoDataFrame, aachen: BaseGeometry) -> list[BaseGeometry]:
    """Clip Aachen's districts to the DVG2 polygon, remove overlaps and fill the slivers.

    ``districts`` is in the metric CRS and ordered by code; overlaps go to the earlier district.
    """
    fitted: list[BaseGeometry] = []
    taken: BaseGeometry = Polygon()
    for geom in districts.geometry:
        own = shapely.difference(shapely.intersection(geom, aachen), taken)
        parts = _polygons(own)
        # Removing an overlap can leave crumbs; keep the main body, re-attach the crumbs later.
        main = max(parts, key=lambda p: p.area)
        fitted.append(main)
        taken = shapely.union(taken, own)
    leftovers = _polygons(shapely.difference(aachen, shapely.union_all(fitted)))
    return _attach([p for p in leftovers if p.area > 0], fitted)


def _sample_points(
    poly: BaseGeometry, spec: MunicipalitySpec, cores: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Sample points inside ``poly``: some uniform, some clustered around the settlement cores."""
    xmin, ymin, xmax, ymax = poly.bounds
    n_core = int(SAMPLE_POINTS * spec.core_share)
    weights = cores[:, 2] / cores[:, 2].sum()
    out: list[np.ndarray] = []
    count = 0
    while count < SAMPLE_POINTS:
        which = rng.choice(len(cores), size=n_core, p=weights)
        near = cores[which, :2] + rng.normal(0.0, 1100.0, size=(n_core, 2))
        far = np.column_stack([
            rng.uniform(xmin, xmax, SAMPLE_POINTS - n_core),
            rng.uniform(ymin, ymax, SAMPLE_POINTS - n_core),
        ])
        pts = np.vstack([near, far])
        pts = pts[shapely.contains_xy(poly, pts[:, 0], pts[:, 1])]
        out.append(pts)
        count += len(pts)
    return np.vstack(out)[:SAMPLE_POINTS]


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``k`` cluster centres of ``points`` (k-means++ start, Lloyd iterations)."""
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        d2 = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(points[rng.choice(len(points), p=d2 / d2.sum())])
    c = np.array(centres)
    for _ in range(KMEANS_ITERATIONS):
        label = np.argmin(((points[:, None, :] - c[None, :, :]) ** 2).sum(axis=2), axis=1)
        c = np.array([points[label == j].mean(axis=0) if (label == j).any() else c[j] for j in range(k)])
    return c


def split_municipality(
    geom: BaseGeometry, spec: MunicipalitySpec, cores_xy: np.ndarray, rng: np.random.Generator
) -> list[BaseGeometry]:
    """Cut one municipality into ``len(spec.names)`` areas, ordered like ``spec.names``.

    The area holding the first core comes first, the others follow by distance from it.
    Exclaves and crumbs that Voronoi cells leave in concave parts join the neighbour with the
    longest shared boundary.
    """
    parts = sorted(_polygons(geom), key=lambda p: -p.area)
    main, exclaves = parts[0], parts[1:]
    k = len(spec.names)
    points = _sample_points(main, spec, cores_xy, rng)
    centres = _kmeans(points, k, rng)
    # A centre of a concave cluster can fall outside: move it to the nearest sample point.
    for j, (x, y) in enumerate(centres):
        if not main.contains(Point(x, y)):
            centres[j] = points[np.argmin(((points - centres[j]) ** 2).sum(axis=1))]
    seeds = shapely.multipoints(centres)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=main.buffer(5000)))
    areas: list[BaseGeometry] = []
    crumbs: list[Polygon] = []
    for x, y in centres:
        cell = next(c for c in cells if c.contains(Point(x, y)))
        pieces = sorted(_polygons(shapely.intersection(cell, main)), key=lambda p: -p.area)
        areas.append(pieces[0])
        crumbs.extend(pieces[1:])
    areas = _attach(crumbs + exclaves, areas)
    core = Point(cores_xy[0, :2])
    first = int(np.argmin([a.distance(core) + (0 if a.contains(core) else 1e6) for a in areas]))
    rest = sorted((i for i in range(k) if i != first), key=lambda i: areas[i].centroid.distance(core))
    return [areas[i] for i in [first, *rest]]


def build_areas(sources: Sources, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Return the 93 areas in the metric CRS with the four canonical attribute columns."""
    munis = gpd.read_file(sources.municipalities).to_crs(METRIC_CRS).set_index("ags")
    districts = gpd.read_file(sources.districts).to_crs(METRIC_CRS).sort_values("statbez")
    rows: list[dict[str, object]] = []
    aachen = munis.geometry[AACHEN_AGS]
    for (code, name), geom in zip(
        districts[["statbez", "name"]].itertuples(index=False),
        fit_aachen_districts(districts, aachen),
        strict=True,
    ):
        rows.append({"area_id": f"{AACHEN_AGS}-{code}", "area_name": name,
                     "municipality_id": AACHEN_AGS, "geometry": geom})
    for spec in MUNICIPALITIES:
        lonlat = np.array(spec.cores)
        xy = gpd.GeoSeries(gpd.points_from_xy(lonlat[:, 0], lonlat[:, 1]), crs="EPSG:4326")
        xy = xy.to_crs(METRIC_CRS)
        cores = np.column_stack([xy.x, xy.y, lonlat[:, 2]])
        for j, geom in enumerate(split_municipality(munis.geometry[spec.ags], spec, cores, rng)):
            rows.append({"area_id": f"{spec.ags}-{j + 1:02d}", "area_name": spec.names[j],
                         "municipality_id": spec.ags, "geometry": geom})
    areas = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)
    areas["municipality_name"] = areas["municipality_id"].map(MUNICIPALITY_NAMES)
    return areas[["area_id", "area_name", "municipality_id", "municipality_name", "geometry"]]


def to_wgs84_grid(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 and snap the whole coverage to the 1e-6 degree grid.

    ``coverage_clean`` first nodes the metric coverage (a vertex on a neighbour's edge is added to
    that edge too) and drops sub-metre gaps and overlaps. Shared edges then consist of identical
    vertices, which round identically, so the snapped coverage keeps matching edges. Rings are
    oriented as RFC 7946 asks (exterior counter-clockwise).
    """
    cleaned = shapely.coverage_clean(areas.geometry.values, snapping_distance=0.001, gap_width=0.5)
    geo = areas.set_geometry(cleaned, crs=areas.crs).to_crs("EPSG:4326")
    snapped = shapely.set_precision(geo.geometry.values, GRID_DEG)
    snapped = shapely.orient_polygons(snapped, exterior_cw=False)
    if not (shapely.is_valid(snapped).all() and shapely.coverage_is_valid(snapped)):
        raise RuntimeError("snapping to the 1e-6 grid broke the coverage")
    return geo.set_geometry(np.array([_as_area(g) for g in snapped], dtype=object), crs="EPSG:4326")
