"""German number formatting used by hover, legend, table and axes."""

from __future__ import annotations

import math

import pytest

from dashboard.formatting import format_count, format_number, format_signed, format_value


@pytest.mark.parametrize("value, decimals, expected", [
    (1234.5, 1, "1.234,5"), (12.345, 1, "12,3"), (0, 0, "0"), (1234567, 0, "1.234.567"),
    (-0.04, 1, "0,0"), (-3.25, 2, "−3,25"), (None, 1, "–"), (math.nan, 1, "–"),
])
def test_fmt001_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_fmt002_value_with_unit_and_counts():
    assert format_value(12.34, "%", 1) == "12,3 %"
    assert format_value(math.nan, "%", 1) == "–"
    assert format_count(1234) == "1.234"


@pytest.mark.parametrize("value, expected", [(1.23, "+1,2 %-Pkt."), (-1.23, "−1,2 %-Pkt."), (0.0, "±0,0 %-Pkt.")])
def test_fmt003_signed_differences(value, expected):
    assert format_signed(value, "%-Pkt.", 1) == expected
