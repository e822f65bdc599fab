"""The time series of a view: selected areas, their municipalities and the region.

Missing and hidden years are gaps (None), never interpolated; counts get no municipality or
region lines (their totals would flatten the areas' lines near zero), nor do composite indices
(they have no published municipality or region value; ``dashboard.indices.atlas.mean_note``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.formatting import format_value
from dashboard.indices.atlas import mean_note, spec_of
from dashboard.publish import HIDDEN_STATUSES, Published
from dashboard.state import MAX_SERIES_AREAS, ViewState
from dashboard.texts import COUNT_SERIES_NOTE, HIDDEN_TEXT, NO_DATA_TEXT


def series_note(published: Published, indicator_id: str) -> str:
    """The note a chart of this indicator carries inside the image (counts and indices have one)."""
    ind = published.catalogue[indicator_id]
    if ind.is_count:
        return COUNT_SERIES_NOTE
    spec = spec_of(published, indicator_id) if ind.is_index else None
    return mean_note(spec) if spec is not None else ""


@dataclass(frozen=True)
class SeriesLine:
    """One line of the time series; ``values`` has None for missing and hidden years (a gap)."""

    name: str
    kind: str  # "area" | "municipality" | "region"
    years: list[int]
    values: list[float | None]
    texts: list[str]


@dataclass(frozen=True)
class _UnitRows:
    """One indicator's cells as arrays with the row positions of every (level, unit): a line is
    then a gather of a few rows, not a pandas query over the whole table (about 2 ms a line)."""

    cells: pd.DataFrame  # the table it was built from (identity check for the cache)
    years: np.ndarray
    values: np.ndarray
    statuses: np.ndarray
    rows: dict


_UNIT_ROWS: dict[tuple[int, str], _UnitRows] = {}


def _unit_rows(published: Published, indicator_id: str) -> _UnitRows:
    key = (id(published.cells), indicator_id)
    hit = _UNIT_ROWS.get(key)
    if hit is not None and hit.cells is published.cells:
        return hit
    c = published.cells
    mine = c[c["indicator_id"] == indicator_id].reset_index(drop=True)
    rows = {(str(level), str(unit)): positions
            for (level, unit), positions in mine.groupby(["level", "unit_id"], sort=False).indices.items()}
    built = _UnitRows(c, mine["year"].to_numpy(), mine["value"].to_numpy(dtype=float),
                      mine["status"].to_numpy(dtype=object), rows)
    if len(_UNIT_ROWS) >= 16:  # bounded: the indicators viewed last (about 2 MB each at 10,000 areas)
        _UNIT_ROWS.pop(next(iter(_UNIT_ROWS)))
    _UNIT_ROWS[key] = built
    return built


def years_with_data(published: Published, indicator_id: str) -> tuple[int, ...]:
    """The years in which some unit has a value or a hidden cell of the indicator (not only "missing")."""
    c = published.cells
    mine = c.loc[(c["indicator_id"] == indicator_id) & (c["status"] != "missing"), "year"]
    return tuple(sorted(int(y) for y in mine.unique()))


def _line(published: Published, level: str, unit_id: str, name: str, indicator_id: str, decimals: int,
          unit: str) -> SeriesLine:
    table = _unit_rows(published, indicator_id)
    positions = table.rows.get((level, unit_id), ())
    status = {int(table.years[i]): table.statuses[i] for i in positions}
    value_of = {int(table.years[i]): table.values[i] for i in positions}
    years = list(published.years)
    values: list[float | None] = []
    texts: list[str] = []
    for y in years:
        v = value_of.get(y, np.nan)
        if status.get(y) in HIDDEN_STATUSES:
            values.append(None)
            texts.append(f"{published.symbol} {HIDDEN_TEXT}")
        elif pd.notna(v):
            values.append(round(float(v), 8))  # float noise away; the same number the browser gets
            texts.append(format_value(float(v), unit, decimals))
        else:
            values.append(None)
            texts.append(NO_DATA_TEXT)
    return SeriesLine(name, level, years, values, texts)


def series_view(published: Published, state: ViewState) -> tuple[list[SeriesLine], str]:
    """Lines for the selected areas (at most ``MAX_SERIES_AREAS``), their municipalities and the
    region, plus a German note when the selection was cut.

    For pure counts (``is_count``) the municipality and region lines are left out (their totals
    would flatten the areas' lines near zero) and the note says so.
    """
    info = published.catalogue[state.indicator].info()
    decimals = int(info["decimals"])
    areas = published.areas.set_index("area_id")
    chosen = [a for a in state.areas if a in areas.index][:MAX_SERIES_AREAS]
    lines = [_line(published, "area", a, str(areas.loc[a, "area_name"]), state.indicator, decimals, info["unit"])
             for a in chosen]
    notes = []
    if len(state.areas) > MAX_SERIES_AREAS:
        notes.append(f"Zeitreihe zeigt die ersten {MAX_SERIES_AREAS} von {len(state.areas)} ausgewählten Sozialräumen.")
    if published.catalogue[state.indicator].is_count:
        notes.append(COUNT_SERIES_NOTE)
        return lines, " ".join(notes)
    if published.catalogue[state.indicator].is_index:
        notes.append(series_note(published, state.indicator))
        return lines, " ".join(notes)
    munis = dict.fromkeys(str(areas.loc[a, "municipality_id"]) for a in chosen)
    munis.update(dict.fromkeys(state.municipalities))
    names = dict(zip(published.municipalities["municipality_id"], published.municipalities["municipality_name"], strict=True))
    lines += [_line(published, "municipality", m, f"{names.get(m, m)} (Kommune)", state.indicator, decimals,
                    info["unit"]) for m in munis]
    lines.append(_line(published, "region", REGION_ID, f"{published.config.region or 'Region'} (Region)",
                       state.indicator, decimals, info["unit"]))
    return lines, " ".join(notes)
