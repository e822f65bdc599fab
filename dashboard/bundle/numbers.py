"""Numbers as German and English spreadsheet software write them, decided once per file.

A file is "German" when any numeric cell uses a comma as decimal separator (``12,5``,
``1.234,5``); then ``.`` separates thousands. Otherwise ``.`` is the decimal point. Deciding per
file (not per cell) is what keeps ``1.234`` unambiguous: in a German file it is 1234.
Cells may also be native numbers (Excel, Parquet); those are taken as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Cell texts that mean "no value" (German statistics offices use several).
MISSING_MARKERS = frozenset({"", "-", "–", "—", ".", "x", "X", "k.A.", "k. A.", "k.a.", "NA", "N/A", "n/a",
                             "nan", "NaN", "None", "null"})

_SPACE = "[ \u00a0\u202f]"
_DECIMAL_COMMA = r"^[+\-−]?(?:\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d*),\d+\s*%?$"
_GERMAN = r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)?(?:,\d+)?$"
_POINT = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$"


def split_native(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (text cells with "" elsewhere, native numbers as float with NaN elsewhere)."""
    if pd.api.types.is_string_dtype(cells) and not pd.api.types.is_object_dtype(cells):
        return cells.fillna(""), pd.Series(np.nan, index=cells.index)
    is_text = cells.map(lambda v: isinstance(v, str)).astype(bool)
    native = cells.where(~is_text & cells.map(_is_number).astype(bool))
    text = cells.where(is_text, "").astype(str)
    return text, pd.to_numeric(native, errors="coerce").astype(float)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _clean(text: pd.Series) -> pd.Series:
    text = text.str.strip()
    if text.str.contains("%", regex=False).any():  # regex replace is slow in pandas; skip when pointless
        text = text.str.replace(r"\s*%$", "", regex=True)
    text = text.str.replace("−", "-", regex=False)
    spaced = text.str.contains(_SPACE, regex=True)
    if not spaced.any():  # the look-around below runs per cell in Python; skip it when it cannot match
        return text
    return text.where(~spaced, text.str.replace(f"(?<=\\d){_SPACE}(?=\\d{{3}}(?:\\D|$))", "", regex=True))


def is_german(columns: list[pd.Series]) -> bool:
    """Whether any text cell of these columns uses a decimal comma."""
    for cells in columns:
        text, _ = split_native(cells)
        text = text.str.strip()
        with_comma = text[text.str.contains(",", regex=False)]
        if with_comma.str.contains(_DECIMAL_COMMA, regex=True).any():
            return True
    return False


def parse_numbers(cells: pd.Series, german: bool) -> tuple[pd.Series, pd.Series]:
    """Parse one column to float; return (values, mask of cells that are not a valid number).

    Missing-value markers become NaN without being an error.
    """
    text, native = split_native(cells)
    stripped = text.str.strip()
    missing = stripped.isin(MISSING_MARKERS) & native.isna()
    cleaned = _clean(stripped)
    if german:
        ok = cleaned.str.fullmatch(_GERMAN) & cleaned.str.contains(r"\d", regex=True)
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        ok = cleaned.str.fullmatch(_POINT) & cleaned.str.contains(r"\d", regex=True)
        cleaned = cleaned.str.replace(",", "", regex=False)
    parsed = pd.to_numeric(cleaned.where(ok & ~missing), errors="coerce").astype(float)
    values = native.where(native.notna(), parsed)
    bad = values.isna() & ~missing
    return values, bad


def parse_years(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse years ("2022", "2022.0", native 2022); return (Int64 years, mask of invalid cells)."""
    text, native = split_native(cells)
    stripped = text.str.strip()
    if stripped.str.fullmatch(r"\d{4}").all():  # the usual case, without the slower extract
        from_text = pd.to_numeric(stripped, errors="coerce")
    else:
        from_text = pd.to_numeric(stripped.str.extract(r"^(\d{4})(?:[.,]0+)?$", expand=False), errors="coerce")
    native = native.where(native == native.round())
    years = native.where(native.notna(), from_text)
    years = years.where((years >= 1900) & (years <= 2100))
    return years.astype("Int64"), years.isna()


def unit_scale(unit: str) -> float:
    """Scale implied by a unit text: "%" → 100, "‰"/"je 1.000" → 1000, and so on."""
    u = unit.strip().lower().replace(" ", "").replace("\u00a0", "")
    if "100.000" in u or "100000" in u:
        return 100000.0
    if "10.000" in u or "10000" in u:
        return 10000.0
    if "‰" in u or "1.000" in u or "1000" in u or "promille" in u:
        return 1000.0
    if "%" in u or "prozent" in u or "je100" in u or "pro100" in u:
        return 100.0
    return 1.0


SCALES = np.array([1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0])


def snap_scale(ratio: float) -> float:
    """Nearest power of ten in 1 … 100,000 (in log space), for a median of value / (num / den)."""
    if not np.isfinite(ratio) or ratio <= 0:
        return np.nan
    return float(SCALES[np.argmin(np.abs(np.log10(SCALES) - np.log10(ratio)))])


def id_texts(cells: pd.Series) -> pd.Series:
    """Ids as stripped text: keeps leading zeros of text ids; native 1.0 becomes "1"."""
    if pd.api.types.is_string_dtype(cells) and not pd.api.types.is_object_dtype(cells):
        return cells.fillna("").str.strip()
    return cells.map(_id_text).astype(str)


def _id_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()
