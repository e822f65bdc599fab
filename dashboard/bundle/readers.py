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
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from dashboard.bundle.excel import CellNote, Grid, column_letter, excel_grid
from dashboard.bundle.files import content_kind, sibling
from dashboard.bundle.problems import ROW_LIMIT, ProblemList, ReadError, join_names, unreadable

AREA_FILES = ("areas.gpkg", "areas.geojson", "areas.json", "areas.shp")
INDICATOR_FILES = ("indicators.csv", "indicators.xlsx")
VALUE_FILES = ("values.csv", "values.xlsx", "values.parquet")

SEPARATORS = (";", ",", "\t", "|")
#: What a line holds when it is empty in a spreadsheet: separators, quotes, spaces.
_BLANK_CHARS = " \t\r\n;,|\"\u00a0"
#: Title lines above the header are searched for this many non-empty rows.
HEADER_SEARCH_ROWS = 10


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
    #: headers (as spelled first) of unused columns that occur more than once, with their positions
    extra_duplicates: dict[str, list[int]] = field(default_factory=dict)

    def header(self, canonical: str) -> str:
        return self.headers.get(canonical, canonical)


def decode_text(raw: bytes) -> str:
    """BOM → its encoding; else strict UTF-8; else Windows-1252 (what German Excel writes).

    UTF-16 without BOM is recognised by its zero bytes; other binary content (an .xlsx renamed
    to .csv) is a ``ReadError`` naming what the file really is.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    kind = content_kind(raw[:16])
    if kind is not None:
        raise ReadError(f"Inhalt ist keine Textdatei (CSV), sondern {kind} – Dateiendung passt nicht zum Inhalt")
    if b"\x00" in raw:
        encoding = _utf16_without_bom(raw)
        if encoding is not None:
            return raw.decode(encoding, errors="replace")
        raw = raw.rstrip(b"\x00")  # some exporters pad the file with zero bytes
        if b"\x00" in raw:
            raise ReadError("Binärdaten, keine Textdatei (CSV)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (Mac Roman …): never fail, show them
        return raw.decode("latin-1")


def _utf16_without_bom(raw: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when every other byte is zero (ASCII-heavy UTF-16 text)."""
    half = max(len(raw) // 2, 1)
    if raw[1::2].count(0) > 0.4 * half and raw[0::2].count(0) < 0.05 * half:
        return "utf-16-le"
    if raw[0::2].count(0) > 0.4 * half and raw[1::2].count(0) < 0.05 * half:
        return "utf-16-be"
    return None


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
    lines = list(itertools.islice((line for line in io.StringIO(text) if line.strip(_BLANK_CHARS)), 40))
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


_SEP_LINE = re.compile(r"\A\"?sep=(.)\"?[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)


def _trim_blank_tail(text: str) -> str:
    """Cut trailing lines that hold only separators or spaces (Excel's used range, ``;;;;``).

    Done on the text, before parsing, so a million empty lines cost milliseconds, not seconds.
    """
    end = len(text.rstrip(_BLANK_CHARS))
    newline = min((i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0), default=len(text))
    return text[:newline]


def _csv_grid(path: Path) -> Grid:
    text = _trim_blank_tail(decode_text(path.read_bytes()))
    hint = _SEP_LINE.match(text)  # Excel's "sep=;" line names the separator and is not a row
    if hint:
        text = text[hint.end():]
    sep = hint.group(1) if hint else sniff_separator(text)
    rows: list[list[str]] = []
    numbers: list[int] = []
    limit = csv.field_size_limit(max(len(text) + 1, 131072))
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep), start=1):
            if "".join(row).strip():
                rows.append(row)
                numbers.append(number)
    finally:
        csv.field_size_limit(limit)
    widths = pd.DataFrame({"fields": [len(r) for r in rows],
                           "filled": [next((i for i in range(len(r), 0, -1) if r[i - 1].strip()), 0) for r in rows]},
                          index=np.array(numbers, dtype=int))
    width = max((len(r) for r in rows), default=0)
    rows = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]
    grid = pd.DataFrame(rows, index=np.array(numbers, dtype=int), columns=range(width), dtype=str)
    grid = grid.apply(lambda s: s.str.strip()) if width else grid
    return Grid(grid, _open_quotes(grid, sep, width), widths)


def _open_quotes(grid: pd.DataFrame, sep: str, width: int) -> list[CellNote]:
    """Cells that swallowed whole lines of the file: an opening quote that was never closed."""
    notes = []
    for col in grid.columns:
        cells = grid[col]
        multiline = cells[cells.str.contains("\n", regex=False)]
        for row, cell in multiline.items():
            swallowed = [line for line in cell.splitlines()[1:] if line.count(sep) >= max(1, width - 2)]
            if swallowed:
                notes.append(CellNote(int(row), int(col), cell, "Anführungszeichen (\") nicht geschlossen – "
                                      f"{len(swallowed)} folgende Zeile(n) der Datei wurden in diese Zelle gelesen"))
    return notes


def _native_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet cells: empty → "", text stripped, numbers kept as numbers."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(float).astype(object).where(s.notna(), "")
            continue
        s = s.astype(object).where(s.notna(), "")
        out[col] = s.map(lambda v: v.strip() if isinstance(v, str) else v)  # dates, bools stay as they are
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _parquet_table(path: Path, file: str) -> RawTable:
    with path.open("rb") as fh:
        if fh.read(4) != b"PAR1":
            kind = content_kind(path.read_bytes()[:16])
            raise ReadError(f"keine Parquet-Datei{f': Inhalt ist {kind}' if kind else ''}")
    frame = pd.read_parquet(path)
    if not isinstance(frame.index, pd.RangeIndex):  # written with index=True: ids may sit in the index
        frame = frame.reset_index()
    headers = [_header_text(c) for c in frame.columns]
    frame = _native_cells(frame.reset_index(drop=True))
    frame.columns = range(frame.shape[1])
    return RawTable(file, frame, headers, np.arange(2, len(frame) + 2))


def _header_text(cell: object) -> str:
    """A header as text, NFC-normalised (macOS writes "Zähler" with a combining diaeresis)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unicodedata.normalize("NFC", str(cell).strip())


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _empty(cells: pd.Series) -> pd.Series:
    return (cells == "").to_numpy(dtype=bool) if len(cells) else np.zeros(0, dtype=bool)


def _drop_empty(grid: pd.DataFrame) -> pd.DataFrame:
    """Drop rows and columns that hold nothing (Excel's ";;;" padding); column labels are kept."""
    if grid.empty:
        return grid
    empty = np.column_stack([_empty(grid[c]) for c in grid.columns])
    return grid.loc[~empty.all(axis=1), ~empty.all(axis=0)]


def _header_position(grid: pd.DataFrame, wanted: list[list[str]]) -> int:
    """Position of the first row (within the first rows) holding all wanted columns, else the best."""
    best, best_hits = 0, -1
    for pos in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = {_key(_header_text(c)) for c in grid.iloc[pos]}
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
        grid = _csv_grid(path) if suffix == ".csv" else excel_grid(path, sheet, file, problems)
    except Exception as exc:  # whatever a reader raises becomes a German problem
        problems.add(unreadable(file, exc))
        return None
    if grid is None:
        return None
    frame = _drop_empty(grid.frame)
    if frame.empty:
        problems.error(file, "Datei ist leer")
        return None
    pos = _header_position(frame, [[_key(n) for n in names] for names in wanted])
    header_row = int(frame.index[pos])
    headers = [_header_text(c) for c in frame.iloc[pos]]
    _report_notes(grid.notes, dict(zip(frame.columns, headers, strict=True)), header_row, file, problems)
    if grid.widths is not None:
        _check_row_widths(grid, header_row, frame.index[pos + 1:], file, problems)
    data = frame.iloc[pos + 1:]
    if data.empty:
        problems.error(file, f"Datei enthält keine Datenzeilen (Kopfzeile ist Zeile {header_row})")
        return None
    data = data.set_axis(range(data.shape[1]), axis=1).reset_index(drop=True)
    return RawTable(file, data, headers, frame.index[pos + 1:].to_numpy(), header_row)


def _check_row_widths(grid: Grid, header_row: int, data_rows: pd.Index, file: str, problems: ProblemList) -> None:
    """A CSV row with more filled fields than the header, or fewer fields, is an error: a value
    would be silently dropped or read into the wrong column (a stray separator, a lost one)."""
    widths = grid.widths
    assert widths is not None
    width = int(widths.at[header_row, "filled"])
    rows = widths.loc[data_rows]
    bad = rows[(rows["filled"] > width) | (rows["fields"] < width)]
    for i, (row, fields, filled) in enumerate(zip(bad.index, bad["fields"], bad["filled"], strict=True)):
        if i == ROW_LIMIT:
            problems.error(file, f"Zeilen mit falscher Anzahl Felder – und {len(bad) - ROW_LIMIT} weitere Zeile(n)")
            break
        if filled > width:
            extra = ";".join(str(v) for v in grid.frame.loc[row, width:filled - 1])
            problems.error(file, f"Zeile hat {filled} Felder, die Kopfzeile (Zeile {header_row}) nur {width} – "
                           "überzähliges Trennzeichen oder Feld ohne Anführungszeichen? Die Zeile wird nicht "
                           "gelesen, bitte korrigieren", row=int(row), value=extra)
        else:
            problems.error(file, f"Zeile hat nur {fields} von {width} Feldern der Kopfzeile (Zeile {header_row}) – "
                           "fehlt ein Trennzeichen, oder ist die Zeile umgebrochen?", row=int(row))


def _report_notes(notes: list[CellNote], headers: dict[int, str], header_row: int, file: str,
                  problems: ProblemList) -> None:
    """Turn a reader's cell notes into problems named by the column's header (or its letter)."""
    for note in notes:
        if note.row <= header_row and note.severity == "warning":
            continue  # formatting above the header (a title in percent format) does not matter
        column = headers.get(note.column) or f"Spalte {column_letter(note.column)}"
        add = problems.warning if note.severity == "warning" else problems.error
        add(file, note.message, row=note.row, column=column, value=note.value or None)


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
    keys = [_key(h) for h in raw.headers]
    found: dict[str, int] = {}
    ok = True
    for canonical in required + optional:
        for name in candidates(canonical, mapping):
            hits = [i for i, k in enumerate(keys) if k == _key(name)]
            if len(hits) > 1:
                problems.error(raw.file, f"Spalte kommt mehrfach vor (Spalten {', '.join(str(i + 1) for i in hits)})",
                               row=raw.header_row, column=raw.headers[hits[0]])
                ok = False
            if hits:
                found[canonical] = hits[0]
                _note_fallback(raw, canonical, name, mapping, section, problems)
                break
    ok &= _check_collisions(raw, found, section, problems)
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
    unused = [i for i in range(len(raw.headers)) if i not in used]
    extra = {raw.headers[i]: raw.frame[i].reset_index(drop=True) for i in reversed(unused)}
    extra = dict(reversed(extra.items()))  # the first of equal headers wins, in file order
    by_key: dict[str, list[int]] = {}
    for i in unused:
        if raw.headers[i]:
            by_key.setdefault(keys[i], []).append(i)
    duplicates = {raw.headers[pos[0]]: pos for pos in by_key.values() if len(pos) > 1}
    return Table(raw.file, frame, {c: raw.headers[i] for c, i in found.items()}, raw.rows, extra,
                 raw.header_row, duplicates)


def _note_fallback(raw: RawTable, canonical: str, used: str, mapping: Mapping[str, str], section: str,
                   problems: ProblemList) -> None:
    """A mapped column that is absent but present under its canonical name: allowed, but said."""
    if canonical in mapping and _key(used) != _key(mapping[canonical]):
        problems.warning(raw.file, f"Spalte „{mapping[canonical]}“ (bundle.toml [columns.{section}] {canonical}) "
                         f"nicht gefunden – Spalte „{used}“ wird verwendet", row=raw.header_row, column=used)


def _check_collisions(raw: RawTable, found: dict[str, int], section: str, problems: ProblemList) -> bool:
    """Two canonical columns read from one file column (a mapping naming another column)."""
    by_column: dict[int, list[str]] = {}
    for canonical, i in found.items():
        by_column.setdefault(i, []).append(canonical)
    for i, names in by_column.items():
        if len(names) > 1:
            problems.error(raw.file, f"eine Spalte ist mehreren Feldern zugeordnet ({', '.join(names)}) – "
                           f"bundle.toml [columns.{section}] prüfen", row=raw.header_row, column=raw.headers[i])
    return all(len(names) == 1 for names in by_column.values())


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
    suffix = path.suffix.lower()
    if suffix == ".shp":
        missing = [ext for ext in (".dbf", ".shx") if sibling(path, ext) is None]
        if missing:
            problems.error(file, f"zur Shapefile gehörende Datei fehlt: "
                           f"{join_names(path.stem + ext for ext in missing)}")
            return None
    try:
        if suffix == ".gpkg":
            layer = _gpkg_layer(path, layer, problems)
            if layer is None:
                return None
        frame = gpd.read_file(path, engine="pyogrio", layer=layer)
        if suffix == ".shp":
            frame = _repair_encoding(path, frame)
    except Exception as exc:
        if suffix in (".geojson", ".json"):
            return _read_geojson_again(path, exc, problems)
        problems.add(unreadable(file, exc))
        return None
    return frame


def _gpkg_layer(path: Path, wanted: str | None, problems: ProblemList) -> str | None:
    """The layer named in bundle.toml, else the only polygon layer (other tables are ignored)."""
    listed = pyogrio.list_layers(path)
    layers = [str(name) for name in listed[:, 0]]
    if wanted is not None:
        match = [n for n in layers if n.casefold() == wanted.strip().casefold()]
        if not match:
            problems.error(path.name, f"Ebene fehlt (laut bundle.toml [sheets] areas); vorhandene Ebenen: "
                           f"{join_names(layers)}", value=wanted)
            return None
        return match[0]
    if len(layers) == 1:
        return layers[0]
    polygonal = [str(name) for name, kind in listed if kind and "POLYGON" in str(kind).upper()]
    if len(polygonal) == 1:
        others = [n for n in layers if n != polygonal[0]]
        problems.warning(path.name, f"mehrere Ebenen – die einzige Flächenebene „{polygonal[0]}“ wird gelesen, "
                         f"ignoriert: {join_names(others)}")
        return polygonal[0]
    if not layers:
        problems.error(path.name, "GeoPackage enthält keine Ebene")
        return None
    problems.error(path.name, f"mehrdeutig: mehrere Ebenen ({join_names(layers)}) – in bundle.toml "
                   "[sheets] areas = \"…\" angeben")
    return None


def _read_geojson_again(path: Path, exc: Exception, problems: ProblemList) -> gpd.GeoDataFrame | None:
    """GDAL failed on a GeoJSON: say precisely why, or read a Windows-1252 file after all."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        legacy = False
    except UnicodeDecodeError:
        text, legacy = raw.decode("cp1252", errors="replace"), True
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        problems.error(path.name, f"Datei kann nicht gelesen werden: kein gültiges JSON (Zeile {err.lineno}, Zeichen {err.colno}: {err.msg})")
        return None
    except RecursionError:
        problems.error(path.name, "Datei kann nicht gelesen werden: kein gültiges GeoJSON, zu tief verschachtelt")
        return None
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        problems.error(path.name, "Datei kann nicht gelesen werden: kein GeoJSON, erwartet ein Objekt mit \"type\": \"FeatureCollection\"",
                       value=str(found))
        return None
    if not legacy:
        problems.add(unreadable(path.name, exc))
        return None
    try:
        frame = gpd.read_file(io.BytesIO(text.encode("utf-8")), engine="pyogrio")
    except Exception as again:
        problems.add(unreadable(path.name, again))
        return None
    problems.warning(path.name, "GeoJSON ist nicht UTF-8-kodiert – als Windows-1252 gelesen (GeoJSON sollte "
                     "UTF-8 sein)")
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
