"""Map geometry prepared once at start-up: simplified coverage, GeoJSON, borders, markers, view.

Simplification works on the whole coverage (``shapely.coverage_simplify``) so neighbouring
Sozialräume keep sharing their edges (no slivers or gaps), in a metric CRS so the tolerance is in
metres. The municipality borders are dissolved from the simplified areas, so they lie exactly on
the area edges. Everything here is computed once; callbacks only read the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

#: Metric CRS for the simplification (ETRS89 / UTM 32N covers Germany west of 12° E well enough
#: for a tolerance of a few dozen metres; elsewhere the tolerance is only slightly distorted).
METRIC_CRS = "EPSG:25832"
DEFAULT_TOLERANCE_M = 25.0
COORD_DECIMALS = 5  # about 1 m, far below the simplification tolerance


@dataclass(frozen=True)
class PreparedGeometry:
    """What the map needs, built once: GeoJSON (feature id = area_id), border lines, markers, view."""

    area_ids: tuple[str, ...]
    geojson: dict
    border_lon: tuple[float | None, ...]
    border_lat: tuple[float | None, ...]
    marker_lon: dict[str, float]
    marker_lat: dict[str, float]
    center: tuple[float, float]  # (lon, lat)
    zoom: float
    #: (west, south, east, north) of the region and of each municipality, for fitting the view.
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    municipality_bounds: dict[str, tuple[float, float, float, float]] | None = None
    #: Municipality boundaries as GeoJSON lines (drawn on top of the areas).
    border_geojson: dict | None = None
    #: The simplified areas (EPSG:4326), for vector exports of the same map.
    simplified: gpd.GeoDataFrame | None = None

    def bounds_of(self, municipalities: tuple[str, ...] | list[str] = ()) -> tuple[float, float, float, float]:
        """The box to fit: the filtered municipalities, else the whole region."""
        boxes = [self.municipality_bounds[m] for m in municipalities if self.municipality_bounds
                 and m in self.municipality_bounds]
        if not boxes:
            return self.bounds
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def simplify_coverage(areas: gpd.GeoDataFrame, tolerance_m: float = DEFAULT_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Simplify the areas as one coverage (shared edges stay shared); returns EPSG:4326."""
    metric = areas.to_crs(METRIC_CRS)
    geoms = shapely.make_valid(np.asarray(metric.geometry.array))
    try:
        simplified = shapely.coverage_simplify(geoms, tolerance_m)
    except shapely.errors.GEOSException:
        # Not a valid coverage (overlaps in the source): fall back to per-polygon simplification.
        simplified = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    out = metric.set_geometry(gpd.GeoSeries(simplified, index=metric.index, crs=METRIC_CRS))
    return out.to_crs("EPSG:4326")


def _rounded(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geom, 10 ** -COORD_DECIMALS, mode="pointwise")


def _geojson(areas: gpd.GeoDataFrame) -> dict:
    """Feature id = area_id; ``i`` is the position the per-area value arrays use, ``n``/``m`` the
    area's and municipality's names for the tooltip (escaped by the browser, never parsed as HTML)."""
    features = []
    names = areas["area_name"] if "area_name" in areas else [""] * len(areas)
    munis = areas["municipality_name"] if "municipality_name" in areas else [""] * len(areas)
    for i, (area_id, name, muni, geom) in enumerate(zip(areas["area_id"], names, munis, areas.geometry, strict=True)):
        features.append({
            "type": "Feature",
            "id": str(area_id),
            "properties": {"i": i, "n": str(name), "m": str(muni)},
            "geometry": shapely.geometry.mapping(_rounded(geom)),
        })
    return {"type": "FeatureCollection", "features": features}


def _border_geojson(areas: gpd.GeoDataFrame) -> dict:
    dissolved = areas.dissolve(by="municipality_id")
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": str(m), "properties": {},
         "geometry": shapely.geometry.mapping(_rounded(geom.boundary))}
        for m, geom in zip(dissolved.index, dissolved.geometry, strict=True)]}


def _box(geom_bounds: np.ndarray) -> tuple[float, float, float, float]:
    return tuple(round(float(v), COORD_DECIMALS) for v in geom_bounds)  # type: ignore[return-value]


def _border_lines(areas: gpd.GeoDataFrame) -> tuple[list[float | None], list[float | None]]:
    """Municipality boundaries as one line trace (lon/lat with None between the parts)."""
    dissolved = areas.dissolve(by="municipality_id")
    lon: list[float | None] = []
    lat: list[float | None] = []
    for geom in dissolved.geometry:
        boundary = _rounded(geom.boundary)
        parts = getattr(boundary, "geoms", [boundary])
        for part in parts:
            xs, ys = part.xy
            lon.extend(round(x, COORD_DECIMALS) for x in xs)
            lat.extend(round(y, COORD_DECIMALS) for y in ys)
            lon.append(None)
            lat.append(None)
    return lon, lat


def zoom_for(bounds: tuple[float, float, float, float], width_px: int = 700, height_px: int = 560) -> float:
    """Web-Mercator zoom at which the bounds fit the map box (MapLibre tiles are 512 px)."""
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-6)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lat_span = max(merc(maxy) - merc(miny), 1e-9)
    zoom_x = math.log2(width_px / 512 * 360 / lon_span)
    zoom_y = math.log2(height_px / 512 * 2 * math.pi / lat_span)
    return round(min(zoom_x, zoom_y) - 0.1, 2)


def prepare_geometry(areas: gpd.GeoDataFrame, tolerance_m: float = DEFAULT_TOLERANCE_M) -> PreparedGeometry:
    """Build everything the map needs from the published areas (EPSG:4326, one row per area)."""
    simple = simplify_coverage(areas, tolerance_m)
    lon, lat = _border_lines(simple)
    points = areas.to_crs(METRIC_CRS).geometry.representative_point().to_crs("EPSG:4326")
    ids = [str(a) for a in areas["area_id"]]
    minx, miny, maxx, maxy = simple.total_bounds
    return PreparedGeometry(
        area_ids=tuple(ids),
        geojson=_geojson(simple),
        border_lon=tuple(lon),
        border_lat=tuple(lat),
        marker_lon={a: round(float(p.x), COORD_DECIMALS) for a, p in zip(ids, points, strict=True)},
        marker_lat={a: round(float(p.y), COORD_DECIMALS) for a, p in zip(ids, points, strict=True)},
        center=(float((minx + maxx) / 2), float((miny + maxy) / 2)),
        zoom=zoom_for((minx, miny, maxx, maxy)),
        bounds=_box(simple.total_bounds),
        municipality_bounds={str(m): _box(g.total_bounds) for m, g in simple.groupby("municipality_id")},
        border_geojson=_border_geojson(simple),
        simplified=simple,
    )
