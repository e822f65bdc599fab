"""Finding a bundle's files and reading them into tables that remember spreadsheet row numbers.

Tables are read as text (CSV) or as the native cells of Excel/Parquet, never guessed into types:
the office's ids keep their leading zeros, and numbers are parsed later, once per file, by
``dashboard.bundle.numbers``. Every row carries the number a spreadsheet shows for it (header
= row 1 unless title rows sit above it), so a problem can point at the cell to fix.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from dashboard.bundle.problems import ProblemList, join_names, unreadable

AREA_FILES = ("areas.gpkg", "areas.geojson", "areas.json", "areas.shp")
INDICATOR_FILES = ("indicators.csv", "indicators.xlsx")
VALUE_FILES = ("values.csv", "values.xlsx", "values.parquet")

SEPARATORS = (";", ",", "\t", "|")
#: Title lines above the header are searched for this many non-empty rows.
HEADER_SEARCH_ROWS = 10


# --------------------------------------------------------------------------- finding files

def find_file(folder: Path, names: tuple[str, ...], what: str, problems: ProblemList) -> Path | None:
    """The one file among ``names`` (case-insensitive); a problem when none or several exist."""
    present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    found = [present[n] for n in names if n in present]
    label = " | ".join(names)
    if len(found) > 1:
        problems.error(", ".join(p.name for p in found),
                       f"mehrdeutig: mehrere Dateien für {what} – bitte nur eine davon im Ordner lassen")
        return None
    if found:
        return found[0]
    stem = names[0].split(".")[0]
    others = sorted(p.name for key, p in present.items() if key.split(".")[0] == stem)
    hint = f"; gefunden: {join_names(others)} – Format nicht unterstützt" if others else ""
    problems.error(label, f"Datei für {what} fehlt{hint}")
    return None


# --------------------------------------------------------------------------- raw tables

@dataclass
class RawTable:
    """A file's data rows under its header, before column names are matched.

    ``frame`` has positional columns (0..n-1); ``headers`` their names as the file spells them;
    ``rows`` the spreadsheet row number of each frame row.
    """

    file: str
    frame: pd.DataFrame
    headers: list[str]
    rows: np.ndarray
    header_row: int | None = 1


@dataclass
class Table:
    """A table whose columns are matched to canonical names.

    ``frame`` holds the canonical columns that were found (cells still unparsed); ``headers``
    maps each canonical name to the file's own header (for messages); ``extra`` holds the
    remaining columns under their file headers (the indicator columns of a wide value table).
    """

    file: str
    frame: pd.DataFrame
    headers: dict[str, str]
    rows: np.ndarray
    extra: dict[str, pd.Series] = field(default_factory=dict)
    header_row: int | None = 1

    def header(self, canonical: str) -> str:
        return self.headers.get(canonical, canonical)


def decode_text(raw: bytes) -> str:
    """BOM → its encoding; else strict UTF-8; else Windows-1252 (what German Excel writes)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw:
        raise ValueError("Binärdaten, keine Textdatei")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            count += 1
    return count


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines most consistently (ties: ; , TAB |)."""
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    best, best_score = SEPARATORS[0], (0, 0)
    for sep in SEPARATORS:
        counts = [_count_outside_quotes(line, sep) for line in lines]
        nonzero = [c for c in counts if c > 0]
        if not nonzero:
            continue
        mode = Counter(nonzero).most_common(1)[0][0]
        score = (sum(c == mode for c in counts), mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv_grid(path: Path) -> pd.DataFrame:
    text = decode_text(path.read_bytes())
    sep = sniff_separator(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    width = max((len(r) for r in rows), default=0)
    rows = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]
    grid = pd.DataFrame(rows, dtype=str)
    grid.index = np.arange(1, len(grid) + 1)
    return grid.apply(lambda s: s.str.strip()) if width else grid


def _native_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel/Parquet cells: empty → "", text stripped, numbers kept as numbers."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(float).astype(object).where(s.notna(), "")
            continue
        s = s.astype(object).where(s.notna(), "")
        stripped = s.str.strip()
        out[col] = stripped.where(stripped.notna(), s)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _excel_grid(path: Path, sheet: str | None, file: str, problems: ProblemList) -> pd.DataFrame | None:
    with pd.ExcelFile(path, engine="openpyxl") as book:
        names = [str(n) for n in book.sheet_names]
        target: str | int = 0
        if sheet is not None:
            match = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
            if not match:
                problems.error(file, f"Tabellenblatt fehlt (laut bundle.toml [sheets]); vorhandene Blätter: "
                               f"{join_names(names)}", value=sheet)
                return None
            target = match[0]
        raw = pd.read_excel(book, sheet_name=target, header=None, dtype=object)
    raw.index = np.arange(1, len(raw) + 1)
    raw.columns = range(raw.shape[1])
    return _native_cells(raw)


def _parquet_table(path: Path, file: str) -> RawTable:
    frame = pd.read_parquet(path)
    headers = [_header_text(c) for c in frame.columns]
    frame = _native_cells(frame.reset_index(drop=True))
    frame.columns = range(frame.shape[1])
    return RawTable(file, frame, headers, np.arange(2, len(frame) + 2))


def _header_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _empty(cells: pd.Series) -> pd.Series:
    return (cells == "").to_numpy(dtype=bool) if len(cells) else np.zeros(0, dtype=bool)


def _drop_empty(grid: pd.DataFrame) -> pd.DataFrame:
    """Drop rows and columns that hold nothing (Excel's ";;;" padding, blank lines)."""
    if grid.empty:
        return grid
    empty = np.column_stack([_empty(grid[c]) for c in grid.columns])
    grid = grid.loc[~empty.all(axis=1), ~empty.all(axis=0)]
    grid.columns = range(grid.shape[1])
    return grid


def _header_position(grid: pd.DataFrame, wanted: list[list[str]]) -> int:
    """Position of the first row (within the first rows) holding all wanted columns, else the best."""
    best, best_hits = 0, -1
    for pos in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = {_header_text(c).casefold() for c in grid.iloc[pos]}
        hits = sum(any(name in cells for name in names) for names in wanted)
        if hits == len(wanted):
            return pos
        if hits > best_hits:
            best, best_hits = pos, hits
    return best


def read_raw(
    path: Path,
    sheet: str | None,
    wanted: list[list[str]],
    problems: ProblemList,
) -> RawTable | None:
    """Read a CSV/XLSX/Parquet file; ``wanted`` lists candidate header names per key column.

    Returns None (with a problem recorded) when the file cannot be read or holds nothing.
    """
    file = path.name
    try:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            raw = _parquet_table(path, file)
            if raw.frame.empty:
                problems.error(file, "Datei enthält keine Datenzeilen")
                return None
            return raw
        grid = _csv_grid(path) if suffix == ".csv" else _excel_grid(path, sheet, file, problems)
    except Exception as exc:  # whatever a reader raises becomes a German problem
        problems.add(unreadable(file, exc))
        return None
    if grid is None:
        return None
    grid = _drop_empty(grid)
    if grid.empty:
        problems.error(file, "Datei ist leer")
        return None
    pos = _header_position(grid, [[n.casefold() for n in names] for names in wanted])
    header_row = int(grid.index[pos])
    headers = [_header_text(c) for c in grid.iloc[pos]]
    data = grid.iloc[pos + 1:]
    if data.empty:
        problems.error(file, f"Datei enthält keine Datenzeilen (Kopfzeile ist Zeile {header_row})")
        return None
    return RawTable(file, data.reset_index(drop=True), headers, data.index.to_numpy(), header_row)


def candidates(canonical: str, mapping: Mapping[str, str]) -> list[str]:
    """Header names that may hold a canonical column: the mapped name first, then the canonical."""
    names = [mapping[canonical]] if canonical in mapping else []
    return names + [canonical]


def match_columns(
    raw: RawTable,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    mapping: Mapping[str, str],
    section: str,
    problems: ProblemList,
) -> Table | None:
    """Match the file's headers to canonical names (case-insensitive, whitespace ignored)."""
    keys = [h.strip().casefold() for h in raw.headers]
    found: dict[str, int] = {}
    ok = True
    for canonical in required + optional:
        for name in candidates(canonical, mapping):
            hits = [i for i, k in enumerate(keys) if k == name.strip().casefold()]
            if len(hits) > 1:
                problems.error(raw.file, f"Spalte kommt mehrfach vor (Spalten {', '.join(str(i + 1) for i in hits)})",
                               row=raw.header_row, column=raw.headers[hits[0]])
                ok = False
            if hits:
                found[canonical] = hits[0]
                break
    existing = join_names(h for h in raw.headers if h)
    for canonical in required:
        if canonical in found:
            continue
        ok = False
        if canonical in mapping:
            problems.error(raw.file, f"Spalte fehlt (bundle.toml [columns.{section}] {canonical} = "
                           f"„{mapping[canonical]}“); vorhandene Spalten: {existing}",
                           column=mapping[canonical])
        else:
            problems.error(raw.file, f"Spalte fehlt; vorhandene Spalten: {existing}", column=canonical)
    if not ok:
        return None
    frame = pd.DataFrame({c: raw.frame[i].to_numpy() for c, i in found.items()})
    used = set(found.values())
    extra = {raw.headers[i]: raw.frame[i].reset_index(drop=True) for i in range(len(raw.headers)) if i not in used}
    return Table(raw.file, frame, {c: raw.headers[i] for c, i in found.items()}, raw.rows, extra, raw.header_row)


# --------------------------------------------------------------------------- areas

_C1_CONTROLS = re.compile("[\u0080-\u009f]")
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")


def _text_quality(frame: pd.DataFrame) -> tuple[int, int]:
    """(cells that look decoded with the wrong code page, of which UTF-8-as-Latin-1 mojibake)."""
    broken = mojibake = 0
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        s = frame[col]
        if not (pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)):
            continue
        text = s.dropna().astype(str)
        moj = text.str.contains(_MOJIBAKE).sum()
        broken += int(text.str.contains(_C1_CONTROLS).sum() + text.str.contains("\ufffd", regex=False).sum()
                      + moj)
        mojibake += int(moj)
    return broken, mojibake


def read_areas_file(path: Path, layer: str | None, problems: ProblemList) -> gpd.GeoDataFrame | None:
    """Read the areas with GDAL; repair the code page of Shapefiles that lack a ``.cpg``."""
    file = path.name
    if path.suffix.lower() == ".shp":
        siblings = {p.name.lower() for p in path.parent.iterdir()}
        missing = [ext for ext in (".dbf", ".shx") if f"{path.stem.lower()}{ext}" not in siblings]
        if missing:
            problems.error(file, f"zur Shapefile gehörende Datei fehlt: "
                           f"{join_names(path.stem + ext for ext in missing)}")
            return None
    try:
        if path.suffix.lower() == ".gpkg":
            layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
            if layer is not None:
                match = [n for n in layers if n.casefold() == layer.strip().casefold()]
                if not match:
                    problems.error(file, f"Ebene fehlt (laut bundle.toml [sheets] areas); vorhandene Ebenen: "
                                   f"{join_names(layers)}", value=layer)
                    return None
                layer = match[0]
            elif len(layers) > 1:
                problems.error(file, f"mehrdeutig: mehrere Ebenen ({join_names(layers)}) – in bundle.toml "
                               "[sheets] areas = \"…\" angeben")
                return None
        frame = gpd.read_file(path, engine="pyogrio", layer=layer)
        if path.suffix.lower() == ".shp":
            frame = _repair_encoding(path, frame)
    except Exception as exc:
        problems.add(unreadable(file, exc))
        return None
    return frame


def _repair_encoding(path: Path, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """German offices' DBFs are often Windows-1252 without a .cpg; GDAL then guesses Latin-1."""
    broken, mojibake = _text_quality(frame)
    if not broken:
        return frame
    best, best_broken = frame, broken
    for encoding in ("utf-8", "cp1252") if mojibake else ("cp1252", "utf-8"):
        try:
            again = gpd.read_file(path, engine="pyogrio", encoding=encoding)
        except Exception:  # a wrong guess may not even decode; keep the first reading
            continue
        now, _ = _text_quality(again)
        if now < best_broken:
            best, best_broken = again, now
        if now == 0:
            break
    return best
