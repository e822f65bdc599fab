"""Published values as arrays, built once per indicator at start-up, so a switch is a few numpy
operations instead of a pandas query (a switch stays far below 20 ms at 93 areas).

Hidden cells are NaN with a generic ``hidden`` flag (never the reason), as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.catalogue import Catalogue
from dashboard.publish import HIDDEN_STATUSES, Published


def split_by_indicator(published: Published) -> dict[str, Published]:
    """One ``Published`` per indicator holding only its cells, built once at start-up.

    Every view of one indicator reads a few hundred rows instead of the whole table, which keeps
    a switch well under 20 ms; the slices share the areas and metadata with the original.
    """
    cells = published.cells
    catalogue = published.catalogue
    ids = cells["indicator_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.array([], dtype=int)
    if len(starts) == len(set(ids)):
        # Each indicator's cells are one run of rows (as publish writes them): slices are views of
        # the one table (copy-on-write), not 100 MB of copies at 10,000 areas.
        ends = np.r_[starts[1:], len(ids)]
        return {str(ids[a]): _with_cells(published, cells.iloc[a:b].reset_index(drop=True), catalogue)
                for a, b in zip(starts, ends, strict=True)}
    return {str(i): _with_cells(published, g.reset_index(drop=True), catalogue)
            for i, g in cells.groupby("indicator_id", sort=False)}


def _with_cells(published: Published, cells: pd.DataFrame, catalogue: Catalogue) -> Published:
    """``published`` with other cells and the same indicator catalogue (its indicators are unchanged).

    ``dataclasses.replace`` makes a new object, which would build its own catalogue on first use:
    14 ms per indicator, 0.9 s on the first page of the demo (every indicator's headers).
    """
    sliced = replace(published, cells=cells)
    sliced.__dict__["catalogue"] = catalogue  # functools.cached_property's slot
    return sliced


@dataclass(frozen=True)
class AreaMatrix:
    """Published area values of one indicator as arrays in the map's area order (years as columns).

    Built once per indicator at start-up so a map switch is a few numpy operations. ``values``
    is NaN where a cell is missing or hidden; ``hidden`` marks data protection (no reason code).
    """

    indicator_id: str
    years: tuple[int, ...]
    values: np.ndarray
    hidden: np.ndarray
    municipality: np.ndarray

    def column(self, year: int) -> int:
        return self.years.index(year) if year in self.years else -1


def area_matrix(published: Published, indicator_id: str, area_ids: tuple[str, ...]) -> AreaMatrix:
    """Pivot the area cells of one indicator into arrays aligned with ``area_ids``."""
    years = tuple(int(y) for y in published.years)
    cells = published.level_cells("area", indicator_id).reset_index()
    value = cells.pivot_table(index="unit_id", columns="year", values="value", aggfunc="first", dropna=False)
    secret = cells.assign(h=cells["status"].isin(HIDDEN_STATUSES)).pivot_table(
        index="unit_id", columns="year", values="h", aggfunc="max", dropna=False)
    order = list(area_ids)
    values = value.reindex(index=order, columns=list(years)).to_numpy(dtype=float, copy=True)
    hidden = secret.reindex(index=order, columns=list(years)).fillna(0.0).to_numpy(dtype=bool)
    values[hidden] = np.nan
    muni = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
    return AreaMatrix(indicator_id, years, values, hidden, np.array([str(muni.get(a, "")) for a in order]))


def level_matrix(published: Published, indicator_id: str, level: str, unit_ids: tuple[str, ...]) -> AreaMatrix:
    """Like ``area_matrix`` for any level, by direct indexing (no pivot): one indicator's published
    values of ``unit_ids`` (rows) over all years (columns); NaN where missing or hidden."""
    years = tuple(int(y) for y in published.years)
    c = published.cells
    cells = c[(c["level"] == level) & (c["indicator_id"] == indicator_id)]
    row_of = {u: i for i, u in enumerate(unit_ids)}
    col_of = {y: j for j, y in enumerate(years)}
    values = np.full((len(unit_ids), len(years)), np.nan)
    hidden = np.zeros((len(unit_ids), len(years)), dtype=bool)
    for unit, year, value, status in zip(cells["unit_id"], cells["year"], cells["value"], cells["status"],
                                         strict=True):
        i, j = row_of.get(unit), col_of.get(int(year))
        if i is None or j is None:
            continue
        if status in HIDDEN_STATUSES:
            hidden[i, j] = True
        elif pd.notna(value):
            values[i, j] = float(value)
    values[hidden] = np.nan
    if level == "area":
        muni = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
        municipality = np.array([str(muni.get(u, "")) for u in unit_ids])
    else:
        municipality = np.array([str(u) if level == "municipality" else "" for u in unit_ids])
    return AreaMatrix(indicator_id, years, values, hidden, municipality)


@dataclass(frozen=True)
class TableData:
    """One indicator's published cells as arrays for the ranking table, built once at start-up.

    Areas in the order of ``published.areas`` (the order ``ranking_table`` starts from), the
    municipalities in the order of ``published.municipalities``, and the region; hidden cells
    are NaN with a generic flag, as everywhere else.
    """

    indicator_id: str
    info: dict[str, str]
    area_ids: tuple[str, ...]
    area_names: tuple[str, ...]
    area_municipality_names: tuple[str, ...]
    areas: AreaMatrix
    municipality_ids: tuple[str, ...]
    municipality_names: tuple[str, ...]
    municipalities: AreaMatrix
    region: AreaMatrix


@dataclass(frozen=True)
class TableUnits:
    """The ids and names every indicator's table lists: built once and shared by all of them
    (at 10,000 areas one copy per indicator was about 2 MB of strings each)."""

    area_ids: tuple[str, ...]
    area_names: tuple[str, ...]
    area_municipality_names: tuple[str, ...]
    municipality_ids: tuple[str, ...]
    municipality_names: tuple[str, ...]


def table_units(published: Published) -> TableUnits:
    a, m = published.areas, published.municipalities
    return TableUnits(
        area_ids=tuple(str(x) for x in a["area_id"]),
        area_names=tuple(str(x) for x in a["area_name"]),
        area_municipality_names=tuple(str(x) for x in a["municipality_name"]),
        municipality_ids=tuple(str(x) for x in m["municipality_id"]),
        municipality_names=tuple(str(x) for x in m["municipality_name"]),
    )


def table_data(published: Published, indicator_id: str, units: TableUnits | None = None,
               areas: AreaMatrix | None = None) -> TableData:
    """``areas``: the indicator's area matrix when it is already built in ``units.area_ids`` order."""
    u = units or table_units(published)
    return TableData(
        indicator_id=indicator_id,
        info=published.catalogue[indicator_id].info(),
        area_ids=u.area_ids,
        area_names=u.area_names,
        area_municipality_names=u.area_municipality_names,
        areas=areas if areas is not None else level_matrix(published, indicator_id, "area", u.area_ids),
        municipality_ids=u.municipality_ids,
        municipality_names=u.municipality_names,
        municipalities=level_matrix(published, indicator_id, "municipality", u.municipality_ids),
        region=level_matrix(published, indicator_id, "region", (REGION_ID,)),
    )


def values_at(matrix: AreaMatrix, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Values and hidden flags of one year (NaN / False when the year is unknown)."""
    col = matrix.column(year)
    n = matrix.values.shape[0]
    if col < 0:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    return matrix.values[:, col], matrix.hidden[:, col]
