"""The Sozialräume: attribute checks, geometry repair, CRS handling and area in km².

Problems here name the feature ("Objekt 7 (area_id 05334002-10)"), because a GIS shows
features, not spreadsheet rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from dashboard.bundle.files import find_file, sibling
from dashboard.bundle.numbers import id_texts
from dashboard.bundle.problems import ProblemList, describe
from dashboard.bundle.readers import AREA_FILES, RawTable, match_columns, read_areas_file
from dashboard.bundle.texts import check_texts
from dashboard.model import AREA_COLUMNS, BundleConfig

WGS84 = "EPSG:4326"
_POLYGONAL = {"Polygon", "MultiPolygon"}
_REQUIRED_TEXT = {
    "area_id": "Sozialraum-ID fehlt",
    "area_name": "Name des Sozialraums fehlt",
    "municipality_id": "Gemeinde-ID fehlt",
    "municipality_name": "Gemeindename fehlt",
}


def load_areas(folder: Path, config: BundleConfig, problems: ProblemList) -> gpd.GeoDataFrame | None:
    """Find, read and check the areas file; None when it has errors (they are in ``problems``)."""
    path = find_file(folder, AREA_FILES, "die Sozialräume (Geometrien)", problems)
    if path is None:
        return None
    frame = read_areas_file(path, config.sheets.get("areas"), problems)
    if frame is None:
        return None
    return check_areas(frame, path.name, config.columns.get("areas", {}), problems, folder)


def _label(number: int, area_id: str) -> str:
    return f"Objekt {number} (area_id {area_id})" if area_id else f"Objekt {number}"


def check_areas(
    frame: gpd.GeoDataFrame,
    file: str,
    mapping: Mapping[str, str],
    problems: ProblemList,
    folder: Path | None = None,
) -> gpd.GeoDataFrame | None:
    """Validate and normalise the areas; None if any error was found."""
    local = ProblemList()
    if len(frame) == 0:
        problems.error(file, "Datei enthält keine Objekte (Flächen)")
        return None
    attributes = frame.drop(columns=frame.geometry.name).reset_index(drop=True)
    raw = RawTable(file, attributes.set_axis(range(attributes.shape[1]), axis=1),
                   [str(c) for c in attributes.columns], np.arange(1, len(frame) + 1), header_row=None)
    table = match_columns(raw, AREA_COLUMNS, (), mapping, "areas", local)
    if table is None:
        problems.extend(local)
        return None
    cols = {c: id_texts(table.frame[c]) for c in AREA_COLUMNS}
    _warn_numeric_ids(attributes, table.headers, file, local)
    ids = cols["area_id"].to_numpy()
    labels = [_label(i + 1, a) for i, a in enumerate(ids)]

    for canonical, message in _REQUIRED_TEXT.items():
        for pos in np.flatnonzero(cols[canonical].to_numpy() == ""):
            local.error(file, message, feature=labels[pos], column=table.header(canonical))

    first_of: dict[str, int] = {}
    for pos, area_id in enumerate(ids):
        if not area_id:
            continue
        if area_id in first_of:
            local.error(file, f"Sozialraum-ID kommt doppelt vor (auch Objekt {first_of[area_id] + 1})",
                        feature=labels[pos], column=table.header("area_id"), value=area_id)
        else:
            first_of[area_id] = pos

    _check_municipality_names(cols, labels, table.header, file, local)
    for canonical in AREA_COLUMNS:
        check_texts(local, file, table.header(canonical), cols[canonical].to_numpy(), features=labels,
                    formula_only=canonical.endswith("_id"))
    geoms = _check_geometries(np.asarray(frame.geometry.array, dtype=object), labels, file, local)
    crs = _check_crs(frame, geoms, file, local, folder)
    problems.extend(local)
    if local.has_errors:
        return None

    result = gpd.GeoDataFrame(
        {c: cols[c].astype(str).to_numpy() for c in AREA_COLUMNS},
        geometry=gpd.GeoSeries(geoms, crs=crs),
    )
    try:
        result = result.to_crs(WGS84)
        metric = utm_crs(*shapely.total_bounds(result.geometry.array))
        result["area_km2"] = result.geometry.to_crs(metric).area.to_numpy() / 1e6
    except Exception as exc:  # an exotic CRS that PROJ cannot transform
        problems.error(file, f"Koordinaten können nicht umgerechnet werden: {describe(exc)}", value=str(crs))
        return None
    # RFC 7946 winding (exterior counter-clockwise) whatever the source wrote: Shapefiles use the opposite
    result.geometry = shapely.orient_polygons(np.asarray(result.geometry.array, dtype=object))
    result = result[[*AREA_COLUMNS, "area_km2", "geometry"]]
    return result.sort_values("area_id", kind="stable").reset_index(drop=True)


def utm_crs(minx: float, miny: float, maxx: float, maxy: float) -> str:
    """The UTM zone at the data's centre (ETRS89 in Europe, e.g. EPSG:25832 for NRW), for areas in km².

    Computed directly: geopandas' ``estimate_utm_crs`` queries the PROJ database (≈ 0.15 s).
    """
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    zone = min(int((lon + 180) // 6) + 1, 60)
    if lat >= 0 and 28 <= zone <= 38 and 34 <= lat <= 72:
        return f"EPSG:{25800 + zone}"
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _check_municipality_names(cols: dict[str, pd.Series], labels: list[str], header, file: str,
                              problems: ProblemList) -> None:
    """One municipality id must have one name; a second name usually means a typo or a wrong id."""
    seen: dict[str, tuple[str, int]] = {}
    reported: set[tuple[str, str]] = set()
    for pos, (mid, name) in enumerate(zip(cols["municipality_id"], cols["municipality_name"], strict=True)):
        if not mid or not name:
            continue
        if mid not in seen:
            seen[mid] = (name, pos)
            continue
        first_name, first_pos = seen[mid]
        if name != first_name and (mid, name) not in reported:
            reported.add((mid, name))
            problems.error(
                file,
                f"Gemeinde-ID {mid} hat verschiedene Namen (Objekt {first_pos + 1}: „{first_name}“)",
                feature=labels[pos], column=header("municipality_name"), value=name,
            )


def _absent(geoms: np.ndarray) -> np.ndarray:
    return np.array([g is None or g.is_empty for g in geoms], dtype=bool)


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygonal part of a ``make_valid`` result (it may return a GeometryCollection)."""
    if geom.geom_type in _POLYGONAL:
        return geom
    parts: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if merged.geom_type in _POLYGONAL and not merged.is_empty else None


def _check_geometries(geoms: np.ndarray, labels: list[str], file: str, problems: ProblemList) -> np.ndarray:
    """Polygonal, non-empty, 2D and valid (repaired with a warning where possible)."""
    out = geoms.copy()
    missing = _absent(geoms)
    for pos in np.flatnonzero(missing):
        problems.error(file, "Geometrie fehlt oder ist leer", feature=labels[pos], column="geometry")
    present = np.flatnonzero(~missing)
    _unpack_collections(out, present, labels, file, problems)
    geoms = out.copy()
    types = shapely.get_type_id(geoms[present])
    polygonal = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    for pos in present[~polygonal]:
        problems.error(file, "Geometrietyp nicht erlaubt – nur Polygon oder MultiPolygon",
                       feature=labels[pos], column="geometry", value=geoms[pos].geom_type)
    ok = present[polygonal]
    if len(ok):
        out[ok] = shapely.force_2d(geoms[ok])
        invalid = ok[~shapely.is_valid(out[ok])]
        for pos in invalid:
            reason = shapely.is_valid_reason(out[pos])
            repaired = _polygonal_part(shapely.make_valid(out[pos]))
            if repaired is None:
                problems.error(file, "ungültige Geometrie, nicht reparierbar", feature=labels[pos],
                               column="geometry", value=reason)
            else:
                out[pos] = repaired
                problems.warning(file, "Geometrie repariert (ungültig, mit make_valid korrigiert)",
                                 feature=labels[pos], column="geometry", value=reason)
    return out


def _prj_hint(folder: Path | None, file: str) -> str:
    if not file.lower().endswith(".shp"):
        return ""
    if folder is not None and sibling(folder / file, ".prj") is not None:
        return " (.prj vorhanden, aber nicht lesbar)"
    return " (.prj fehlt)"


def _unpack_collections(geoms: np.ndarray, present: np.ndarray, labels: list[str], file: str,
                        problems: ProblemList) -> None:
    """A GeometryCollection made only of polygons (some GIS exports write that) becomes one area."""
    for pos in present[shapely.get_type_id(geoms[present]) == 7]:
        parts = shapely.get_parts(geoms[pos])
        if len(parts) and np.isin(shapely.get_type_id(parts), (3, 6)).all():
            geoms[pos] = shapely.union_all(shapely.make_valid(shapely.force_2d(parts)))
            problems.warning(file, "GeometryCollection aus Flächen – als (Multi-)Polygon übernommen",
                             feature=labels[pos], column="geometry", value="GeometryCollection")


def _warn_numeric_ids(attributes: pd.DataFrame, table_headers: Mapping[str, str], file: str,
                      problems: ProblemList) -> None:
    """Municipality ids stored as numbers have lost their leading zero (AGS 05334002 → 5334002)."""
    header = table_headers.get("municipality_id", "municipality_id")
    column = attributes[header] if header in attributes else None
    if column is not None and pd.api.types.is_numeric_dtype(column):
        problems.warning(file, "Gemeinde-IDs sind als Zahlen gespeichert – eine führende Null (AGS 05…) fehlt "
                         "dann; besser als Text speichern", column=header, value=_first_text(column))


def _first_text(column: pd.Series) -> str:
    return id_texts(column.dropna().head(1)).iat[0] if column.notna().any() else ""


def _check_crs(frame: gpd.GeoDataFrame, geoms: np.ndarray, file: str, problems: ProblemList,
               folder: Path | None = None) -> object:
    """The declared CRS; EPSG:4326 assumed (warning) when none is declared and coordinates fit."""
    usable = geoms[~_absent(geoms)]
    if len(usable) == 0:
        return frame.crs or WGS84
    minx, miny, maxx, maxy = shapely.total_bounds(usable)
    lonlat = -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    shown = f"{minx:.0f}, {miny:.0f} … {maxx:.0f}, {maxy:.0f}"
    if frame.crs is None:
        if lonlat:
            problems.warning(file, "kein Koordinatenbezugssystem angegeben – WGS 84 (EPSG:4326) angenommen")
            return WGS84
        hint = _prj_hint(folder, file)
        problems.error(file, f"projizierte Koordinaten ohne Koordinatenbezugssystem{hint}", value=shown)
        return None
    if frame.crs.is_geographic and not lonlat:
        problems.error(file, f"Koordinaten passen nicht zum Koordinatenbezugssystem {frame.crs.to_string()} "
                       "(projizierte Koordinaten in Grad angegeben?)", value=shown)
    return frame.crs
