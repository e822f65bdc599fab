"""A compact profile of one area for a slide: the theme's indicators, area vs municipality vs region.

Only published cells are read; a hidden cell becomes the symbol, a missing one "–", so the table
holds nothing the screen hides. (Full profile pages live elsewhere; this is the slide's summary.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.formatting import NO_DATA, format_number
from dashboard.publish import HIDDEN_STATUSES, Published


@dataclass(frozen=True)
class SummaryRow:
    """One indicator's values as shown texts (value, municipality, region)."""

    indicator_id: str
    label: str
    area: str
    municipality: str
    region: str


@dataclass(frozen=True)
class AreaSummary:
    area_id: str
    area_name: str
    municipality_name: str
    region_name: str
    theme: str
    year: int
    rows: tuple[SummaryRow, ...]


def _shown(cells: pd.DataFrame, level: str, unit_id: str, indicator_id: str, decimals: int, symbol: str,
           is_count: bool) -> str:
    """The text of one published cell: number, symbol (hidden) or '–' (missing)."""
    if is_count and level != "area":
        return ""  # a count of a whole municipality is no comparison for one area
    mine = cells[(cells["level"] == level) & (cells["unit_id"] == unit_id) & (cells["indicator_id"] == indicator_id)]
    if mine.empty:
        return NO_DATA
    status, value = str(mine["status"].iloc[0]), float(mine["value"].iloc[0])
    if status in HIDDEN_STATUSES:
        return symbol
    return NO_DATA if np.isnan(value) else format_number(value, decimals)


def area_summary(published: Published, area_id: str, theme: str, year: int) -> AreaSummary:
    """The theme's indicators for ``area_id`` in ``year`` (KeyError for an unknown area)."""
    areas = published.areas.set_index("area_id")
    if area_id not in areas.index:
        raise KeyError(area_id)
    muni = str(areas.loc[area_id, "municipality_id"])
    cells = published.cells[published.cells["year"] == year]
    symbol = published.symbol
    rows = []
    for ind in published.catalogue.in_theme(theme):
        label = f"{ind.name} ({ind.unit})" if ind.unit else ind.name
        rows.append(SummaryRow(
            ind.id, label,
            _shown(cells, "area", area_id, ind.id, ind.decimals, symbol, ind.is_count),
            _shown(cells, "municipality", muni, ind.id, ind.decimals, symbol, ind.is_count),
            _shown(cells, "region", REGION_ID, ind.id, ind.decimals, symbol, ind.is_count),
        ))
    return AreaSummary(area_id, str(areas.loc[area_id, "area_name"]), str(areas.loc[area_id, "municipality_name"]),
                       published.config.region or "Region", theme, year, tuple(rows))
