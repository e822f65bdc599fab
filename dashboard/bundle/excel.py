"""Reading one Excel sheet cell by cell, as the office sees it in Excel.

pandas' ``read_excel`` drops what matters here: a cell formatted as percent shows ``12,5 %`` but
stores ``0.125``, and a formula written by a script has no stored result (openpyxl then returns
an empty cell, so a value would silently go missing). This reader keeps the number formats and
finds such formulas, and it skips empty rows without building them (Excel's used range often
reaches far below the data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter

from dashboard.bundle.files import content_kind
from dashboard.bundle.problems import ProblemList, ReadError, join_names

#: A cell with a formula and no stored (cached) result: ``<c r="D2"><f>…</f><v></v></c>``.
_UNCACHED = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*'
    rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>'
)


@dataclass
class CellNote:
    """Something about one cell (or the first of several in a column) to report with its header."""

    row: int
    column: int  # 0-based source column
    value: str
    message: str
    severity: str = "error"


@dataclass
class Grid:
    """A sheet's non-empty rows: index = spreadsheet row, columns = 0-based source columns."""

    frame: pd.DataFrame
    notes: list[CellNote] = field(default_factory=list)
    #: CSV only: per row (index = file row) the number of fields and up to the last non-empty one,
    #: so rows longer or shorter than the header can be named (a sheet has no such rows).
    widths: pd.DataFrame | None = None


def excel_grid(path: Path, sheet: str | None, file: str, problems: ProblemList) -> Grid | None:
    """Read the named (or first non-empty) worksheet; None with a problem when it is missing."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK\x03\x04"):
        kind = content_kind(head)
        raise ReadError("keine gültige Excel-Datei (.xlsx): "
                        + (f"Inhalt ist {kind} – als .xlsx speichern (ohne Kennwort)" if kind else
                           "Inhalt ist Text oder ein anderes Format – bei einer CSV-Datei die Endung .csv verwenden"))
    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheets = book.worksheets
        if not sheets:
            raise ReadError("Arbeitsmappe enthält kein Tabellenblatt")
        chosen = _named_sheet(sheets, sheet, file, problems) if sheet is not None else sheets[0]
        if chosen is None:
            return None
        grid = _read_sheet(chosen)
        if grid.frame.empty and sheet is None:
            grid = _first_filled(sheets[1:], sheets[0].title, file, problems) or grid
        return grid
    finally:
        book.close()


def _named_sheet(sheets: list, name: str, file: str, problems: ProblemList):
    match = [s for s in sheets if s.title.strip().casefold() == name.strip().casefold()]
    if not match:
        problems.error(file, f"Tabellenblatt fehlt (laut bundle.toml [sheets]); vorhandene Blätter: "
                       f"{join_names(s.title for s in sheets)}", value=name)
        return None
    return match[0]


def _first_filled(sheets: list, first: str, file: str, problems: ProblemList) -> Grid | None:
    """An empty first sheet (a deleted cover sheet) falls back to the first sheet with cells."""
    for ws in sheets:
        grid = _read_sheet(ws)
        if not grid.frame.empty:
            problems.warning(file, f"erstes Tabellenblatt „{first}“ ist leer – Blatt „{ws.title}“ wird gelesen "
                             "(in bundle.toml [sheets] festlegen)")
            return grid
    return None


def _read_sheet(ws) -> Grid:
    ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is really there
    rows: list[list[object]] = []
    numbers: list[int] = []
    percent: dict[int, list[int]] = {}
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values = [_cell_value(c, number, percent) for c in cells]
        if any(v != "" for v in values):
            rows.append(values)
            numbers.append(number)  # iter_rows yields gaps as empty rows, so this is the sheet's row
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], index=np.array(numbers, dtype=int),
                         columns=range(width), dtype=object)
    notes = [CellNote(r[0], c, "", f"Zellen im Prozentformat ({len(r)} Zelle(n), erste hier): Excel zeigt "
                      "z. B. 12,5 % für den gespeicherten Wert 0,125 – verwendet wird der angezeigte Wert 12,5",
                      "warning") for c, r in percent.items()]
    return Grid(frame, notes + _uncached_formulas(ws))


def _cell_value(cell, row: int, percent: dict[int, list[int]]) -> object:
    """The cell as Excel shows it: text stripped, percent-formatted numbers × 100, empty → ""."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in (cell.number_format or ""):
            percent.setdefault(cell.column - 1, []).append(row)
            return round(value * 100, 10)
        return value
    if isinstance(value, time):  # a time of day is never a valid cell here; keep it visible
        return value.isoformat()
    return value  # bool, datetime, date: judged by the column's parser


def _uncached_formulas(ws) -> list[CellNote]:
    """Formulas without a stored result: openpyxl reads them as empty cells, so say so."""
    with ws._get_source() as source:  # openpyxl read-only: the sheet's XML, not otherwise exposed
        xml = source.read()
    if b"<f" not in xml and b":f" not in xml:
        return []
    return [CellNote(int(row), column_index_from_string(col.decode()) - 1, "",
                     "Formel ohne gespeichertes Ergebnis (Datei wurde nicht in Excel berechnet) – "
                     "Datei in Excel oder LibreOffice öffnen und erneut speichern")
            for col, row in _UNCACHED.findall(xml)]


def column_letter(column: int) -> str:
    """Excel's letter for a 0-based column (for cells whose column has no header)."""
    return get_column_letter(column + 1)

