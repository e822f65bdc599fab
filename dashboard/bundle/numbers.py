"""Numbers as German and English spreadsheet software write them, decided once per file.

A file is "German" when any numeric cell uses a comma as decimal separator (``12,5``,
``1.234,5``); then ``.`` separates thousands. Otherwise ``.`` is the decimal point. Deciding per
file (not per cell) is what keeps ``1.234`` unambiguous: in a German file it is 1234.
Cells may also be native numbers (Excel, Parquet); those are taken as they are.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

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
    if not (pd.api.types.is_object_dtype(cells) or pd.api.types.is_numeric_dtype(cells)):
        cells = cells.astype(object)  # datetime64 (Parquet): NaT must not become a number
    is_number = cells.map(_is_number).astype(bool)
    native = cells.where(is_number)
    # anything else that is not empty (TRUE, a date, an Excel time) stays visible as text → an error
    text = cells.where(~is_number & cells.map(_is_present).astype(bool), "").map(str)
    return text, pd.to_numeric(native, errors="coerce").astype(float)


def _is_present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value is not pd.NaT


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
    values = values.where(np.isfinite(values))  # "1e400" overflows to ∞; Parquet may hold inf
    bad = values.isna() & ~missing
    return values + 0.0, bad  # + 0.0 turns -0.0 ("-0", "-0,0") into 0.0, shown as "0" not "-0"


def parse_years(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse years ("2022", "2022.0", native 2022, or a date); return (Int64 years, mask of invalid cells).

    A date (``2022-12-31``, ``31.12.2022``, an Excel date cell) gives its year; ``date_years``
    tells which cells were dates so the caller can warn.
    """
    text, native = split_native(cells)
    stripped = text.str.strip()
    if stripped.str.fullmatch(r"\d{4}").all():  # the usual case, without the slower extract
        from_text = pd.to_numeric(stripped, errors="coerce")
    else:
        from_text = pd.to_numeric(stripped.str.extract(r"^(\d{4})(?:[.,]0+)?$", expand=False), errors="coerce")
        from_text = from_text.fillna(date_years(cells))
    native = native.where(native == native.round())
    years = native.where(native.notna(), from_text)
    years = years.where((years >= 1900) & (years <= 2100))
    return years.astype("Int64"), years.isna()


_ISO_DATE = r"^(\d{4})-\d{1,2}-\d{1,2}(?:[ T][\d:.]+)?$"
_GERMAN_DATE = r"^\d{1,2}\.\d{1,2}\.(\d{4})(?: [\d:]+)?$"
_EXCEL_EPOCH = datetime(1899, 12, 30)


def date_years(cells: pd.Series) -> pd.Series:
    """The year of cells that hold a date instead of a year (float, NaN elsewhere).

    A year typed into a date-formatted Excel cell arrives as a date in 1905 (serial 2022 =
    1905-07-14); its serial number is the year that was typed.
    """
    out = pd.Series(np.nan, index=cells.index)
    is_date = cells.map(lambda v: isinstance(v, (date, np.datetime64)) and not pd.isna(v)).astype(bool)
    if is_date.any():
        out[is_date] = cells[is_date].map(_native_date_year)
    text = cells.where(cells.map(lambda v: isinstance(v, str)).astype(bool), "").astype(str).str.strip()
    candidates = text.str.contains(r"\d[-.]\d", regex=True)
    if candidates.any():
        found = text[candidates].str.extract(_ISO_DATE, expand=False).fillna(
            text[candidates].str.extract(_GERMAN_DATE, expand=False))
        out[candidates] = pd.to_numeric(found, errors="coerce").to_numpy()
    return out


def _native_date_year(value: date | np.datetime64) -> float:
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value).to_pydatetime()
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    serial = (moment.replace(tzinfo=None) - _EXCEL_EPOCH).days
    if 1900 <= serial <= 2100 and moment.time() == datetime.min.time():
        return float(serial)
    return float(moment.year)


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
    """Ids as stripped, NFC-normalised text: keeps leading zeros of text ids; native 1.0 becomes "1"."""
    if pd.api.types.is_string_dtype(cells) and not pd.api.types.is_object_dtype(cells):
        texts = cells.fillna("").str.strip()
    else:
        texts = cells.map(_id_text).astype(str)
    if texts.map(str.isascii).all():  # the usual case; normalising is only needed for umlauts
        return texts
    return texts.map(lambda t: unicodedata.normalize("NFC", t))


def id_key(text: str) -> str:
    """The id an office meant when Excel stored it as a number: "05334002" and "5334002.0" → "5334002".

    Only ids made of digits (with an optional ".0" tail) are folded; "05334002-10" stays as it is.
    """
    stripped = text.strip()
    head, dot, tail = stripped.partition(".")
    if head.isdigit() and head.isascii() and (not dot or (tail and set(tail) == {"0"})):
        return head.lstrip("0") or "0"
    return stripped


def _id_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()
