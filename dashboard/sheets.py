"""The one spreadsheet writer behind every table download and CLI table: CSV, German CSV, XLSX.

The ranking table (``dashboard.tables``) and the index table (``dashboard.indices.table``) only
say what their columns and metadata are; how a file looks (metadata block, number formats, frozen
header, autofilter, column widths) and the formula guard (``dashboard.cells``) live here, once.

Where the metadata goes, per format (documented in docs/data-format.md, "Downloads"):

- ``xlsx``: sheet "Tabelle" (header in row 1) and sheet "Metadaten" (Angabe | Inhalt).
- ``csv-de`` (for people, German Excel): the metadata lines first (``Angabe;Inhalt``, one line
  each, a fixed number per table kind), one empty line, then the table. Excel shows them above
  the table; ``pandas.read_csv(..., skiprows=n)`` and ``csv.reader`` (table after the first empty
  row) read it unchanged.
- ``csv`` (for scripts): the table only, header in line 1; the CLI writes the metadata to a side
  file ``<name>_Metadaten.txt`` next to ``--out``.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.cells import csv_frame, xlsx_text_cells
from dashboard.formatting import NO_DATA, format_count
from dashboard.model import PrivacyRules
from dashboard.publish import Published
from dashboard.texts import HIDDEN_TEXT

#: (Angabe, Inhalt) pairs: the metadata sheet and the German CSV's first lines.
Metadata = list[tuple[str, str]]

METADATA_SHEET = "Metadaten"
TABLE_SHEET = "Tabelle"
META_HEADERS = ("Angabe", "Inhalt")
COUNT_FORMAT = "#,##0"
INTEGER_FORMAT = "0"
MIN_WIDTH, MAX_WIDTH = 8.0, 48.0
#: Metadata side file of a plain CSV: ``tabelle.csv`` -> ``tabelle_Metadaten.txt``.
SIDE_FILE_SUFFIX = "_Metadaten.txt"


def number_format(decimals: int, signed: bool = False) -> str:
    """Excel number format with the indicator's decimals and thousands grouping ('#,##0.0').

    Excel stores the format in English notation and shows it in the reader's locale (German Excel:
    ``1.234,5``). ``signed`` prefixes positive differences with "+", as the grid does.
    """
    plain = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{plain};-{plain};{plain}" if signed else plain


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a frame and the Excel number format of its numeric columns (by header).

    ``table`` sheets get a frozen header row, an autofilter and print titles.
    """

    name: str
    frame: pd.DataFrame
    formats: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    table: bool = True


# --- metadata texts -------------------------------------------------------------------------

def _count_range(min_count: int) -> str:
    below = min_count - 1
    return "1 Fall" if below == 1 else "1 oder 2 Fällen" if below == 2 else f"1 bis {below} Fällen"


def privacy_rules_text(rules: PrivacyRules, *, min_count: int | None = None, counts: bool = True,
                       population: str = "all", stricter_elsewhere: bool = False) -> str:
    """The data-protection rules in plain German (what min_count and min_population mean).

    ``counts``: the minimum count applies (indicators with counts, or pure counts);
    ``population``: "all", "except_counts" (a table of many indicators) or "none" (a pure count).
    Names no status and no cell: the same text for every table of a bundle and indicator.
    """
    m = rules.min_count if min_count is None else min_count
    parts = []
    if counts and m > 1:
        parts.append(f"Werte, die auf {_count_range(m)} beruhen, werden nicht ausgewiesen "
                     f"(Mindestfallzahl {format_count(m)}{', für einzelne Indikatoren höher' if stricter_elsewhere else ''}); "
                     "0 Fälle werden gezeigt.")
    if population != "none" and rules.min_population > 0:
        who = f"von Sozialräumen mit weniger als {format_count(rules.min_population)} Einwohnerinnen und Einwohnern"
        parts.append(f"Außer bei Anzahlen werden Werte {who} nicht ausgewiesen." if population == "except_counts"
                     else f"Werte {who} werden nicht ausgewiesen.")
    parts.append("Damit sich kein verborgener Wert aus Summen (Kommune, Region) oder anderen Werten "
                 "zurückrechnen lässt, werden wenn nötig weitere Werte verborgen, auch von Kommunen "
                 "oder der Region.")
    if rules.round_counts_to > 1:
        parts.append(f"Fallzahlen sind auf Vielfache von {format_count(rules.round_counts_to)} gerundet.")
    return " ".join(parts)


def symbols_text(symbol: str) -> str:
    """What the marks in the table mean."""
    return f"„{symbol}“ = {HIDDEN_TEXT}; „{NO_DATA}“ oder leere Zelle = keine Daten"


def bundle_rows(published: Published, rules_text: str, created: date | None = None) -> Metadata:
    """The rows every table shares: data package, attribution, the data-protection note, the date."""
    config = published.config
    created = created or date.today()
    return [
        ("Datenpaket", config.title + (" – Demodaten (synthetisch)" if config.synthetic else "")),
        ("Nachweis", config.attribution or NO_DATA),
        ("Zeichen", symbols_text(published.symbol)),
        ("Datenschutz", rules_text),
        ("Abgerufen am", created.strftime("%d.%m.%Y")),
    ]


def one_line(text: object) -> str:
    """A metadata text on one line: line breaks would shift the German CSV's fixed head."""
    return " ".join(str(text).split()) or NO_DATA


def selection_text(shown: int, total: int, plural: str, dative: str) -> str:
    """'alle 93 Sozialräume' or '12 von 93 Sozialräumen (gefiltert)'."""
    if shown >= total:
        return f"alle {format_count(total)} {plural}"
    return f"{format_count(shown)} von {format_count(total)} {dative} (gefiltert)"


def metadata_text(meta: Metadata) -> str:
    """The side file of a plain CSV: 'Angabe: Inhalt' lines, UTF-8."""
    return "".join(f"{key}: {one_line(value)}\n" for key, value in meta)


def side_file_name(name: str) -> str:
    """``tabelle.csv`` -> ``tabelle_Metadaten.txt``."""
    stem = name[:-4] if name.lower().endswith(".csv") else name
    return stem + SIDE_FILE_SUFFIX


# --- writers --------------------------------------------------------------------------------

def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Plain CSV for scripts: comma, decimal point, UTF-8, header in line 1, nothing else."""
    return csv_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def csv_de_bytes(frame: pd.DataFrame, meta: Metadata) -> bytes:
    """German CSV: UTF-8 with BOM, semicolon, CRLF; the metadata lines, an empty line, the table."""
    head = pd.DataFrame([(k, one_line(v)) for k, v in meta], columns=list(META_HEADERS))
    lines = csv_frame(head).to_csv(index=False, header=False, sep=";", lineterminator="\r\n")
    table = csv_frame(frame).to_csv(index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + lines + "\r\n" + table).encode("utf-8")


def _text_width(value: Any, fmt: str | None) -> int:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        decimals = len(fmt.split(";")[0].split(".")[1]) if fmt and "." in fmt else 0
        text = f"{float(value):+,.{decimals}f}" if fmt and fmt.startswith("+") else f"{float(value):,.{decimals}f}"
        return len(text)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _two_line_width(header: str, cap: int = 24) -> int:
    """The narrowest width (at most ``cap``, at least the longest word) that wraps a header onto two lines."""
    width = max(max((len(w) for w in header.split()), default=0), math.ceil(len(header) / 2))
    while width < cap and len(textwrap.wrap(header, width=width, break_long_words=False)) > 2:
        width += 1
    return width


def _format_table(ws: Worksheet, sheet: Sheet) -> None:
    """Number formats per column, frozen header, autofilter, widths from the content, print setup."""
    headers = [str(h) for h in sheet.frame.columns]
    rows, cols = len(sheet.frame) + 1, len(headers)
    header_font = Font(bold=True)
    header_lines = 1
    for j, header in enumerate(headers, start=1):
        fmt = sheet.formats.get(header)
        letter = get_column_letter(j)
        top = ws.cell(row=1, column=j)
        top.font = header_font
        top.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if fmt else "left")
        width = 0
        for i in range(2, rows + 1):
            cell = ws.cell(row=i, column=j)
            if fmt is not None:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
                cell.alignment = Alignment(horizontal="right")  # the symbol lines up with the numbers
            cell_width = _text_width(cell.value, fmt)
            if cell_width > MAX_WIDTH - 2:  # a long text (a rule, a definition) wraps in its capped column
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = max(width, cell_width)
        # A long header wraps onto two lines rather than widening its column to the full length.
        header_width = len(header) if len(header) <= 16 else _two_line_width(header)
        column_width = min(max(width, header_width, MIN_WIDTH) + 2, MAX_WIDTH)
        ws.column_dimensions[letter].width = column_width
        wrapped = textwrap.wrap(header, width=int(column_width - 2), break_long_words=False)
        header_lines = max(header_lines, len(wrapped))
    ws.row_dimensions[1].height = 15 * min(header_lines, 4)  # wrapped headers stay readable
    if sheet.table:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(cols, 1))}{rows}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def _format_metadata(ws: Worksheet, meta: Metadata) -> None:
    ws.column_dimensions["A"].width = max(len(k) for k, _ in meta) + 4 if meta else 16
    ws.column_dimensions["B"].width = 100
    for row in ws.iter_rows(min_row=1, max_row=len(meta) + 1):
        row[0].font = Font(bold=True)
        row[0].alignment = Alignment(vertical="top")
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=1, column=2).font = Font(bold=True)


def xlsx_bytes(sheets: Sequence[Sheet], meta: Metadata) -> bytes:
    """Workbook: the given sheets (the first is what opens), then the metadata sheet.

    Numbers stay numbers with the given formats; every text cell stays text (never a formula).
    """
    buffer = io.BytesIO()
    meta_frame = pd.DataFrame([(k, str(v)) for k, v in meta], columns=list(META_HEADERS))
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet in sheets:
            sheet.frame.to_excel(writer, sheet_name=sheet.name, index=False)
            _format_table(writer.sheets[sheet.name], sheet)
        meta_frame.to_excel(writer, sheet_name=METADATA_SHEET, index=False)
        _format_metadata(writer.sheets[METADATA_SHEET], meta)
        writer.book.properties.creator = "Sozialraum-Monitor"
        writer.book.properties.title = next((str(v) for k, v in meta if k == "Tabelle"), "")
        for worksheet in writer.sheets.values():
            xlsx_text_cells(worksheet)
    return buffer.getvalue()

