"""Writes complete, valid bundle folders in the formats offices use, so a test can break one thing.

``make_spec()`` gives the canonical content (6 areas in 2 municipalities, 5 indicators, 3 years);
``write_bundle(folder, spec, ...)`` writes it as GeoJSON/GeoPackage/Shapefile, CSV (any dialect),
XLSX, Parquet, long or wide. ``set_cell`` / ``csv_rows`` edit a written CSV in place, keeping its
dialect and encoding, and return nothing a test must know beyond the spreadsheet row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
from shapely.geometry import box

from dashboard.model import DEFAULT_THEMES

YEARS = (2021, 2022, 2023)

#: German headers as a German office's values table has them, mapped in bundle.toml.
GERMAN_VALUE_HEADERS = {
    "area_id": "Sozialraum", "indicator_id": "Indikator", "year": "Jahr",
    "value": "Wert", "numerator": "Zähler", "denominator": "Nenner",
}
#: Shapefile field names (at most 10 characters), mapped in bundle.toml.
SHAPE_FIELDS = {"area_id": "SR_ID", "area_name": "SR_NAME", "municipality_id": "GEM_ID",
                "municipality_name": "GEM_NAME"}


@dataclass
class Spec:
    """Canonical bundle content; tests replace parts of it before writing."""

    config: dict[str, Any]
    areas: gpd.GeoDataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame


def make_spec() -> Spec:
    """Six areas (Aachen 3, Würselen 3), five indicators, 2021–2023; every number consistent."""
    names = [("05334002", "Aachen", "Aachen-Mitte"), ("05334002", "Aachen", "Burtscheid"),
             ("05334002", "Aachen", "Laurensberg"), ("05334036", "Würselen", "Würselen-Mitte"),
             ("05334036", "Würselen", "Straß"), ("05334036", "Würselen", "Euchen – Linden")]
    areas = gpd.GeoDataFrame(
        {
            "area_id": [f"{m}-0{i % 3 + 1}" for i, (m, _, _) in enumerate(names)],
            "area_name": [n for _, _, n in names],
            "municipality_id": [m for m, _, _ in names],
            "municipality_name": [g for _, g, _ in names],
        },
        geometry=[box(6.05 + 0.02 * i, 50.75, 6.07 + 0.02 * i, 50.76) for i in range(6)],
        crs="EPSG:4326",
    )
    indicators = pd.DataFrame(
        [
            ("EW", "Einwohner", "Soziodemografie", "Personen", "0", "Einwohner mit Hauptwohnsitz", "EMR",
             "", "", "0", "sum"),
            ("SGB2", "SGB-II-Quote", "Sozioökonomie", "%", "1", "Personen in Bedarfsgemeinschaften",
             "BA", "Personen in BG", "Einwohner unter Rentenalter", "1", ""),
            ("SBQ", "Schwerbehindertenquote", "Menschen mit Behinderungen", "%", "+1", "GdB ab 50", "SbStat",
             "Schwerbehinderte", "Einwohner", "1", ""),
            ("HZE", "Hilfen zur Erziehung", "Kinder, Jugend und Familie", "je 1.000", "1", "HzE-Fälle",
             "JA", "Fälle", "Einwohner unter 21", "1", ""),
            ("DICHTE", "Einwohnerdichte", "Wohnen", "EW je km²", "0", "Einwohner je km²", "GWZ",
             "", "", "1", ""),
        ],
        columns=["indicator_id", "name", "theme", "unit", "polarity", "description", "source",
                 "numerator_label", "denominator_label", "decimals", "aggregation"],
    )
    rows = []
    for i, area_id in enumerate(areas["area_id"]):
        for year in YEARS:
            t = year - YEARS[0]
            ew = 1200 + 731 * i + 17 * t
            rows.append((area_id, "EW", year, float(ew), np.nan, np.nan))
            num, den = 40 + 23 * i + 3 * t, round(ew * 0.8)
            rows.append((area_id, "SGB2", year, round(num / den * 100, 2), float(num), float(den)))
            num, den = 90 + 11 * i + t, ew
            rows.append((area_id, "SBQ", year, round(num / den * 100, 2), float(num), float(den)))
            num, den = 2 + i + t, round(ew * 0.2)
            rows.append((area_id, "HZE", year, round(num / den * 1000, 2), float(num), float(den)))
            rows.append((area_id, "DICHTE", year, round(ew / 1.57 + 0.25, 2), np.nan, np.nan))
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "year", "value", "numerator", "denominator"])
    config = {
        "title": "Testregion",
        "region": "StädteRegion Aachen (Ausschnitt)",
        "attribution": "Geometrie: Testdaten; Werte: synthetisch",
        "synthetic": True,
        "themes": list(DEFAULT_THEMES),
    }
    return Spec(config, areas, indicators, values)


# --------------------------------------------------------------------------- TOML

def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(value)


def toml_text(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for the nested dicts bundle.toml needs."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for key, sub in data.items():
        if isinstance(sub, dict):
            name = f"{prefix}{key}"
            lines += ["", f"[{name}]", toml_text(sub, f"{name}.")]
    return "\n".join(lines)


# --------------------------------------------------------------------------- tables

def german_number(value: float, decimals: int = 2) -> str:
    """1234.5 → "1.234,50" (what German Excel writes)."""
    if pd.isna(value):
        return ""
    text = f"{value:,.{decimals}f}" if not float(value).is_integer() else f"{int(value):,d}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def point_number(value: float) -> str:
    if pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass
class TableFormat:
    """How one table is written."""

    kind: str = "csv"  # csv | xlsx | parquet
    sep: str = ","
    german: bool = False
    encoding: str = "utf-8"
    title_rows: list[str] = field(default_factory=list)
    sheet: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


CSV = TableFormat()
CSV_DE = TableFormat(sep=";", german=True, encoding="cp1252")
CSV_BOM = TableFormat(sep=";", german=True, encoding="utf-8-sig")
XLSX = TableFormat(kind="xlsx")
PARQUET = TableFormat(kind="parquet")


def _cells(frame: pd.DataFrame, fmt: TableFormat) -> list[list[str]]:
    out = []
    for record in frame.itertuples(index=False):
        row = []
        for value in record:
            if isinstance(value, str):
                row.append(value)
            elif isinstance(value, (int, np.integer)):
                row.append(str(value))
            else:
                row.append(german_number(value) if fmt.german else point_number(value))
        out.append(row)
    return out


def write_table(path: Path, frame: pd.DataFrame, fmt: TableFormat) -> Path:
    """Write ``frame`` (canonical columns) in format ``fmt``; returns the file path."""
    frame = frame.rename(columns=fmt.headers)
    if fmt.kind == "parquet":
        path = path.with_suffix(".parquet")
        frame.to_parquet(path, index=False)
        return path
    if fmt.kind == "xlsx":
        path = path.with_suffix(".xlsx")
        book = openpyxl.Workbook()
        sheet = book.active
        if fmt.sheet:
            sheet.title = "Hinweise"
            sheet.append(["Dieses Blatt enthält keine Daten"])
            sheet = book.create_sheet(fmt.sheet)
        for title in fmt.title_rows:
            sheet.append([title])
        sheet.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            sheet.append([None if (not isinstance(v, str) and pd.isna(v)) else
                          (v.item() if hasattr(v, "item") else v) for v in record])
        book.save(path)
        return path
    path = path.with_suffix(".csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=fmt.sep, lineterminator="\r\n")
    width = len(frame.columns)
    for title in fmt.title_rows:
        writer.writerow([title] + [""] * (width - 1))
    writer.writerow(list(frame.columns))
    writer.writerows(_cells(frame, fmt))
    path.write_bytes(buffer.getvalue().encode(fmt.encoding))
    return path


def wide(values: pd.DataFrame) -> pd.DataFrame:
    """``area_id, year, <indicator_id>…`` (counts dropped: the wide format has none)."""
    table = values.pivot(index=["area_id", "year"], columns="indicator_id", values="value")
    return table.reset_index().rename_axis(columns=None)


# --------------------------------------------------------------------------- whole bundles

def write_areas(folder: Path, areas: gpd.GeoDataFrame, kind: str = "geojson") -> Path:
    """geojson | gpkg | shp (EPSG:25832, short mapped field names, cp1252 DBF without .cpg)."""
    if kind == "shp":
        frame = areas.to_crs(25832).rename(columns=SHAPE_FIELDS)
        path = folder / "areas.shp"
        frame.to_file(path, encoding="cp1252")
        (folder / "areas.cpg").unlink(missing_ok=True)
        return path
    path = folder / f"areas.{kind}"
    areas.to_file(path, driver={"geojson": "GeoJSON", "gpkg": "GPKG"}[kind])
    return path


def write_bundle(
    folder: Path,
    spec: Spec | None = None,
    *,
    areas: str = "geojson",
    indicators: TableFormat = CSV,
    values: TableFormat = CSV,
    wide_values: bool = False,
    config: dict[str, Any] | None = None,
) -> Path:
    """Write a complete bundle into ``folder`` (created if needed) and return the folder."""
    spec = spec or make_spec()
    folder.mkdir(parents=True, exist_ok=True)
    cfg = dict(spec.config if config is None else config)
    columns = dict(cfg.get("columns", {}))
    if areas == "shp":
        columns["areas"] = dict(SHAPE_FIELDS)
    if values.headers:
        columns["values"] = dict(values.headers)
    if indicators.headers:
        columns["indicators"] = dict(indicators.headers)
    if columns:
        cfg["columns"] = columns
    sheets = {name: fmt.sheet for name, fmt in (("indicators", indicators), ("values", values)) if fmt.sheet}
    if sheets:
        cfg["sheets"] = sheets
    (folder / "bundle.toml").write_text(toml_text(cfg) + "\n", encoding="utf-8")
    write_areas(folder, spec.areas, areas)
    write_table(folder / "indicators", spec.indicators, indicators)
    table = wide(spec.values) if wide_values else spec.values
    write_table(folder / "values", table, values if not wide_values else replace(values, headers={}))
    return folder


# --------------------------------------------------------------------------- editing written CSVs

def _dialect(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0]
    return (";" if first.count(";") > first.count(",") else ","), encoding


def csv_rows(path: Path) -> list[list[str]]:
    """All rows of a written CSV (row 1 = header)."""
    sep, encoding = _dialect(path)
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline=""), delimiter=sep))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows back with the file's separator and encoding."""
    sep, encoding = _dialect(path)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, text: str) -> None:
    """Set the cell at spreadsheet ``row`` (header = 1) under header ``column``."""
    rows = csv_rows(path)
    rows[row - 1][rows[0].index(column)] = text
    write_rows(path, rows)


def value_row(spec: Spec, area_id: str, indicator_id: str, year: int) -> int:
    """Spreadsheet row of one cell of the long values table as ``write_bundle`` writes it."""
    v = spec.values
    match = np.flatnonzero((v["area_id"] == area_id) & (v["indicator_id"] == indicator_id) & (v["year"] == year))
    return int(match[0]) + 2
