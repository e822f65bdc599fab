"""The immutable data model: a validated ``Bundle`` and its configuration.

A ``Bundle`` holds raw (unsuppressed) values. Nothing that a user sees may read it directly;
every output reads the ``Published`` data produced by ``dashboard.publish.publish``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from dashboard.problems import Problem

if TYPE_CHECKING:
    from dashboard.funding.config import FundingConfig
    from dashboard.indices.spec import IndexSpec, NeedRule

AreaId = str
IndicatorId = str

#: Canonical columns of the three tables, in display order.
AREA_COLUMNS = ("area_id", "area_name", "municipality_id", "municipality_name")
INDICATOR_COLUMNS = (
    "indicator_id", "name", "theme", "unit", "polarity", "description", "source",
    "numerator_label", "denominator_label", "decimals", "aggregation", "scale",
    "numerator_key", "denominator_key",
)
VALUE_COLUMNS = ("area_id", "indicator_id", "year", "value", "numerator", "denominator")
AGGREGATIONS = ("sum", "mean_weighted", "none")

DEFAULT_THEMES = (
    "Soziodemografie",
    "Sozioökonomie",
    "Kinder, Jugend und Familie",
    "Wohnen",
    "Menschen mit Behinderungen",
    "Gesundheit",
)


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class PrivacyRules:
    """Confidentiality rules of one bundle (``[privacy]`` in bundle.toml)."""

    min_count: int = 3
    min_population: int = 300
    round_counts_to: int = 1
    symbol: str = "•"
    population_indicator: IndicatorId | None = None
    indicator_min_count: Mapping[IndicatorId, int] = field(default_factory=_frozen)
    #: Declared additive relations between counts: (total, parts) (``[[privacy.sums]]``).
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def min_count_for(self, indicator_id: IndicatorId) -> int:
        """Return the minimum publishable count for one indicator (stricter overrides apply)."""
        return int(self.indicator_min_count.get(indicator_id, self.min_count))


@dataclass(frozen=True)
class BundleConfig:
    """What ``bundle.toml`` says: titles, attribution, theme order, column mappings, privacy."""

    title: str
    region: str
    attribution: str
    synthetic: bool = False
    themes: tuple[str, ...] = ()
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=_frozen)
    sheets: Mapping[str, str] = field(default_factory=_frozen)
    privacy: PrivacyRules = field(default_factory=PrivacyRules)
    tile_url: str | None = None
    #: The indicator a fresh page opens with (else the first share or rate; never a count).
    default_indicator: str | None = None
    #: The address the audience should open (QR codes, shared links), if the host sets one.
    public_url: str | None = None


@dataclass(frozen=True)
class Bundle:
    """A loaded, validated data bundle.

    - ``areas``: GeoDataFrame in EPSG:4326 with ``AREA_COLUMNS`` (ids as str), ``area_km2``
      (computed in a metric CRS) and ``geometry``; one row per area, ordered by area_id.
    - ``indicators``: DataFrame with ``INDICATOR_COLUMNS``; ``polarity`` in {-1, 0, 1}, ``decimals``
      int, ``aggregation`` in ``AGGREGATIONS``, ``scale`` the factor with value = numerator /
      denominator * scale (NaN when the indicator has no counts).
    - ``values``: long DataFrame with ``VALUE_COLUMNS``; year int, the rest float (NaN = missing).
    """

    path: Path
    config: BundleConfig
    areas: gpd.GeoDataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame
    warnings: tuple[Problem, ...] = ()
    #: composite indices (indices.toml) and Gestaltungsbedarfe (bedarfe.toml); empty when absent
    indices: tuple[IndexSpec, ...] = ()
    needs: tuple[NeedRule, ...] = ()
    #: applications for funds (antraege.csv|xlsx) and the assessment settings (foerderung.toml); internal
    #: working data of the office, never published as cells; None when the bundle has no applications file
    applications: pd.DataFrame | None = None
    funding: FundingConfig | None = None

    @property
    def themes(self) -> tuple[str, ...]:
        """Themes in the configured order, then any others in order of first appearance."""
        present = list(dict.fromkeys(self.indicators["theme"]))
        ordered = [t for t in self.config.themes if t in present]
        return tuple(ordered + [t for t in present if t not in ordered])

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.values["year"].unique()))

    @property
    def municipalities(self) -> pd.DataFrame:
        """Municipality id and name, one row each, ordered by name."""
        m = self.areas[["municipality_id", "municipality_name"]].drop_duplicates("municipality_id")
        return m.sort_values("municipality_name").reset_index(drop=True)
