"""The one publication step: raw ``Bundle`` -> ``Published``.

Every output (map, table, time series, hover, downloads, images, slides, CLI) reads only a
``Published`` object. It holds area, municipality and region cells after aggregation and after
data-protection suppression; a hidden cell has NaN in value, numerator and denominator and a
status saying why, so no raw hidden value exists anywhere downstream.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID, aggregate_cells, area_population
from dashboard.catalogue import Catalogue
from dashboard.counts import pure_counts
from dashboard.model import Bundle, BundleConfig
from dashboard.privacy import suppress

if TYPE_CHECKING:
    from dashboard.funding.config import FundingConfig
    from dashboard.indices.spec import IndexSpec, NeedRule

Level = Literal["area", "municipality", "region"]
LEVELS: tuple[Level, ...] = ("area", "municipality", "region")

#: Why a cell shows no value. "missing": no data or no honest aggregate ("–");
#: the other statuses are data protection ("•").
STATUS_OK = "ok"
STATUS_MISSING = "missing"
HIDDEN_STATUSES = ("primary", "secondary", "population", "total")

CELL_COLUMNS = (
    "level", "unit_id", "indicator_id", "year", "value", "numerator", "denominator", "status",
)


@dataclass(frozen=True)
class Published:
    """Publishable tables of one bundle; the only data any output may read."""

    config: BundleConfig
    areas: gpd.GeoDataFrame
    indicators: pd.DataFrame
    themes: tuple[str, ...]
    years: tuple[int, ...]
    municipalities: pd.DataFrame
    cells: pd.DataFrame
    #: declarations only (indices.toml, bedarfe.toml); dashboard.indices computes from ``cells``
    indices: tuple[IndexSpec, ...] = ()
    needs: tuple[NeedRule, ...] = ()
    #: internal applications and their assessment settings (see Bundle); carried, never turned into cells
    applications: pd.DataFrame | None = None
    funding: FundingConfig | None = None

    @cached_property
    def catalogue(self) -> Catalogue:
        """The typed indicators in theme order (computed once per object)."""
        return Catalogue(self.indicators, self.themes)

    @property
    def symbol(self) -> str:
        return self.config.privacy.symbol

    def indicator(self, indicator_id: str) -> pd.Series:
        """Metadata row of one indicator (KeyError if unknown)."""
        return self.indicators.set_index("indicator_id").loc[indicator_id]

    def level_cells(self, level: Level, indicator_id: str, year: int | None = None) -> pd.DataFrame:
        """Cells of one level and indicator (and year), indexed by unit_id."""
        c = self.cells
        mask = (c["level"] == level) & (c["indicator_id"] == indicator_id)
        if year is not None:
            mask &= c["year"] == year
        return c[mask].set_index("unit_id")

    def hidden_counts(self, indicator_id: str, year: int) -> dict[str, int]:
        """How many cells of one indicator and year are hidden, by status (for the view's note)."""
        c = self.cells
        sel = c[(c["indicator_id"] == indicator_id) & (c["year"] == year)]
        counts = sel["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in HIDDEN_STATUSES if counts.get(s, 0)}


def _round_counts(cells: pd.DataFrame, indicators: pd.DataFrame, base: int, pure: set[str]) -> pd.DataFrame:
    """Round published counts to ``base``; rates stay exact (they are computed before rounding)."""
    cells = cells.copy()
    for col in ("numerator", "denominator"):
        cells[col] = (cells[col] / base).round() * base
    is_count = cells["indicator_id"].isin(pure)
    cells.loc[is_count, "value"] = (cells.loc[is_count, "value"] / base).round() * base
    return cells


def publish(bundle: Bundle) -> Published:
    """Aggregate and suppress a bundle; the returned object carries no hidden raw value."""
    values = bundle.values
    rules = bundle.config.privacy
    population = area_population(values, rules.population_indicator)
    areas = bundle.areas
    muni_of = pd.Series(areas["municipality_id"].to_numpy(), index=areas["area_id"])
    region_of = pd.Series(REGION_ID, index=areas["area_id"])

    area_cells = values.rename(columns={"area_id": "unit_id"}).assign(level="area")
    muni_cells = aggregate_cells(values, bundle.indicators, muni_of, population).assign(level="municipality")
    region_cells = aggregate_cells(values, bundle.indicators, region_of, population).assign(level="region")
    cells = pd.concat([area_cells, muni_cells, region_cells], ignore_index=True)
    cells["status"] = np.where(cells["value"].isna(), STATUS_MISSING, STATUS_OK)

    cells = suppress(cells, bundle.indicators, muni_of, population, rules)

    hidden = cells["status"].isin(HIDDEN_STATUSES)
    cells.loc[hidden, ["value", "numerator", "denominator"]] = np.nan
    if rules.round_counts_to > 1:
        cells = _round_counts(cells, bundle.indicators, rules.round_counts_to, pure_counts(bundle.indicators, values))
    cells = cells[list(CELL_COLUMNS)].sort_values(["indicator_id", "year", "level", "unit_id"])
    return Published(
        config=bundle.config,
        areas=areas,
        indicators=bundle.indicators,
        themes=bundle.themes,
        years=bundle.years,
        municipalities=bundle.municipalities,
        cells=cells.reset_index(drop=True),
        indices=bundle.indices,
        needs=bundle.needs,
        applications=bundle.applications,
        funding=bundle.funding,
    )
