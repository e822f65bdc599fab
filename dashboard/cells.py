"""Spreadsheet cells that stay text: no bundle text may become a formula in Excel.

A name, label or symbol starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel (and LibreOffice) as a formula when a CSV opens (``=HYPERLINK(…)`` can send a
neighbouring cell to a web address), and openpyxl writes a string starting with ``=`` as a live
formula. Every CSV and XLSX writer passes its cells through here (``dashboard.tables``); the
loader warns about such texts (``dashboard.bundle.texts``).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Numbers as the CSV writers format them (``-1,5``, ``+2.000``, ``-0.25``): these stay numbers.
_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?")
#: What Excel shows before a text that would be a formula: the cell displays the rest as typed.
CSV_GUARD = "'"


def formula_like(text: object) -> bool:
    """True for a text a spreadsheet would evaluate (not for a number written as text, nor a lone
    sign such as the symbol "-", which Excel shows as it is)."""
    if not isinstance(text, str) or not text.startswith(FORMULA_START):
        return False
    return not _NUMBER.fullmatch(text) and text not in ("-", "+")


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: formula-like text gets a leading apostrophe."""
    return CSV_GUARD + value if formula_like(value) else value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header of a table made safe for CSV; numbers are left as they are."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def xlsx_text_cells(sheet: Any) -> int:
    """Store every text cell of an openpyxl worksheet as text, never as a formula.

    openpyxl turns a string starting with ``=`` into a formula; setting the type back to "s"
    writes it as a plain shared string, and ``quotePrefix`` keeps Excel from reading it as a
    formula even when the cell is edited. Numbers stay numbers. Returns how many cells were fixed.
    """
    fixed = 0
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or (cell.data_type == "s" and formula_like(cell.value)):
                cell.data_type = "s"
                cell.quotePrefix = True
                fixed += 1
    return fixed
