"""Number, year, id and dialect parsing: pure functions, decided per file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.bundle.indicators import POLARITY
from dashboard.bundle.numbers import id_texts, is_german, parse_numbers, parse_years, snap_scale, unit_scale
from dashboard.bundle.readers import decode_text, sniff_separator


def _parse(cells: list, german: bool) -> list:
    values, bad = parse_numbers(pd.Series(cells, dtype=object if any(not isinstance(c, str) for c in cells)
                                          else "str"), german)
    return [("bad" if b else (None if np.isnan(v) else v)) for v, b in zip(values, bad, strict=True)]


@pytest.mark.parametrize("cells, german", [
    (["12,5", "3"], True),
    (["1.234,5"], True),
    (["0,5 %"], True),
    (["1 234,5"], True),
    (["12.5", "1,234.5", "3"], False),
    (["1234", ""], False),
])
def test_bnn001_file_dialect_detection(cells: list, german: bool) -> None:
    assert is_german([pd.Series(cells, dtype="str")]) is german


@pytest.mark.parametrize("cell, german, expected", [
    ("1.234,5", True, 1234.5),
    ("1.234", True, 1234.0),
    ("12,5 %", True, 12.5),
    ("1\u00a0234,5", True, 1234.5),
    ("−3,5", True, -3.5),
    ("12.5", False, 12.5),
    ("1,234.5", False, 1234.5),
    ("1 234", False, 1234.0),
    ("1e3", False, 1000.0),
    ("12.5", True, "bad"),  # a point is a thousands separator in a German file
    ("12,5x", True, "bad"),
    ("zwölf", False, "bad"),
    ("1.2.3", False, "bad"),
] + [(m, g, None) for m in ("", "-", "–", ".", "x", "k.A.", "NA") for g in (True, False)])
def test_bnn002_parse_numbers(cell: str, german: bool, expected: object) -> None:
    assert _parse([cell], german) == [expected]


def test_bnn003_native_numbers_are_kept() -> None:
    assert _parse([12.5, 3, "1,5", None], german=True) == [12.5, 3.0, 1.5, None]


@pytest.mark.parametrize("cell, expected", [
    ("2022", 2022), ("2022.0", 2022), ("2022,0", 2022), (2022, 2022), (2022.0, 2022),
    ("22", None), ("1899", None), ("2101", None), ("", None), ("2022.5", None), (2022.5, None),
])
def test_bnn004_parse_years(cell: object, expected: int | None) -> None:
    years, bad = parse_years(pd.Series([cell], dtype=object))
    assert (None if bad.iat[0] else int(years.iat[0])) == expected


def test_bnn005_ids_keep_leading_zeros_and_drop_float_tails() -> None:
    assert list(id_texts(pd.Series([" 05334 ", 1.0, 7, None, "1.0"], dtype=object))) == ["05334", "1", "7", "", "1.0"]


@pytest.mark.parametrize("text, sep", [
    ("a;b;c\n1;2,5;3\n", ";"),
    ("a,b,c\n1,2.5,3\n", ","),
    ("a\tb\tc\n1\t2\t3\n", "\t"),
    ("a|b|c\n1|2|3\n", "|"),
    ('Titel;;\n\na;b;c\n"x; y";2,5;3\n1;2;3\n', ";"),
    ('a,b,c\n"1,5","2,5",3\n', ","),
])
def test_bnn006_sniff_separator(text: str, sep: str) -> None:
    assert sniff_separator(text) == sep


@pytest.mark.parametrize("raw, text", [
    ("Würselen".encode("utf-8-sig"), "Würselen"),
    ("Würselen".encode(), "Würselen"),
    ("Würselen – Straß".encode("cp1252"), "Würselen – Straß"),
    ("Würselen".encode("utf-16"), "Würselen"),
])
def test_bnn007_decode_text(raw: bytes, text: str) -> None:
    assert decode_text(raw) == text


@pytest.mark.parametrize("unit, scale", [
    ("%", 100), ("‰", 1000), ("je 1.000 EW", 1000), ("je 100.000", 100000), ("je 100 EW", 100),
    ("Personen", 1), ("m²", 1),
])
def test_bnn008_unit_scale(unit: str, scale: float) -> None:
    assert unit_scale(unit) == scale


@pytest.mark.parametrize("ratio, scale", [(99.7, 100), (1000.2, 1000), (1.01, 1), (3.0, 1), (4.0, 10), (0, np.nan)])
def test_bnn009_snap_scale(ratio: float, scale: float) -> None:
    assert snap_scale(ratio) == scale or (np.isnan(scale) and np.isnan(snap_scale(ratio)))


@pytest.mark.parametrize("text, polarity", [("1", 1), ("+1", 1), ("↑", 1), ("-1", -1), ("↓", -1), ("0", 0), ("○", 0)])
def test_bnn010_polarity_symbols(text: str, polarity: int) -> None:
    assert POLARITY[text] == polarity
