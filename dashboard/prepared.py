"""The composition root: everything computed once at start from a published bundle.

Pages, callbacks, the CLI and the exports all read one ``Prepared`` object; nothing in it is
mutated after start, so it is safe to share between threads and (with gunicorn's preload)
between worker processes. It holds only published data: the raw bundle is gone by now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.catalogue import Catalogue
from dashboard.classify import Classification, recording_classes, remember_classes
from dashboard.geometry import PreparedGeometry, prepare_geometry
from dashboard.indices.atlas import with_indices
from dashboard.mapview import map_views
from dashboard.matrices import AreaMatrix, TableData, area_matrix, split_by_indicator, table_data, table_units
from dashboard.options import area_order, view_choices
from dashboard.publish import Published, publish
from dashboard.state import Choices, ViewState


@dataclass(frozen=True)
class Prepared:
    """Published data plus what every view reads: geometry, valid choices, per-indicator arrays."""

    published: Published
    geometry: PreparedGeometry
    choices: Choices
    area_names: tuple[str, ...]
    municipality_names: tuple[str, ...]
    area_km2: np.ndarray
    tile_url: str | None = None
    #: (id, label) of every area in the area picker's order (dashboard.options.area_order)
    area_order: tuple[tuple[str, str], ...] = ()
    slices: Mapping[str, Published] = field(default_factory=dict)
    matrices: Mapping[str, AreaMatrix] = field(default_factory=dict)
    tables: Mapping[str, TableData] = field(default_factory=dict)
    #: the classifications of every indicator's default view, seeded into ``dashboard.classify``
    known_classes: Mapping[bytes, Classification] = field(default_factory=dict)

    @property
    def catalogue(self) -> Catalogue:
        return self.published.catalogue

    def __getstate__(self) -> dict:
        """Pickled without ``slices``: they are views of ``published.cells`` and would be stored
        (and loaded) as copies; ``__setstate__`` rebuilds them as views."""
        return {**self.__dict__, "slices": None}

    def __setstate__(self, state: dict) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "slices", split_by_indicator(self.published))
        remember_classes(self.known_classes)

    def for_indicator(self, indicator_id: str) -> Published:
        """The published data restricted to one indicator (fast views); the full data if unknown."""
        return self.slices.get(indicator_id, self.published)

    def matrix(self, indicator_id: str) -> AreaMatrix | None:
        return self.matrices.get(indicator_id)

    def table(self, indicator_id: str) -> TableData | None:
        """The ranking table's arrays of one indicator (None if not precomputed)."""
        return self.tables.get(indicator_id)

    def area_name(self, area_id: str) -> str:
        try:
            return self.area_names[self.geometry.area_ids.index(area_id)]
        except ValueError:
            return area_id


#: Columns of the published cells with a handful of distinct values, kept as categories: at
#: 10,000 areas they took about 40 MB as strings and take 4 MB as codes (per worker).
CATEGORY_COLUMNS = ("level", "indicator_id", "status")


def compact_cells(cells: pd.DataFrame) -> pd.DataFrame:
    return cells.astype({c: "category" for c in CATEGORY_COLUMNS if c in cells})


def prepare(published: Published) -> Prepared:
    """Geometry, GeoJSON, valid choices, and per indicator its cells and arrays (fast switches).

    The declared indices join as indicators of the theme "Indizes" (``dashboard.indices.atlas``)."""
    published = with_indices(published)
    published = replace(published, cells=compact_cells(published.cells))
    geometry = prepare_geometry(published.areas)
    slices = split_by_indicator(published)
    matrices = {i: area_matrix(sub, i, geometry.area_ids) for i, sub in slices.items()}
    units = table_units(published)
    same_order = units.area_ids == tuple(geometry.area_ids)  # then the table's area matrix is the map's
    areas = published.areas.set_index("area_id").loc[list(geometry.area_ids)]
    prepared = Prepared(
        published=published,
        geometry=geometry,
        choices=view_choices(published),
        area_names=tuple(str(n) for n in areas["area_name"]),
        municipality_names=tuple(str(m) for m in areas["municipality_name"]),
        area_km2=areas["area_km2"].to_numpy(dtype=float) if "area_km2" in areas else np.full(len(areas), np.nan),
        tile_url=published.config.tile_url,
        area_order=area_order(published),
        slices=slices,
        matrices=matrices,
        tables={i: table_data(sub, i, units, matrices[i] if same_order else None) for i, sub in slices.items()},
    )
    return replace(prepared, known_classes=default_view_classes(prepared))


def default_view_classes(prepared: Prepared) -> dict[bytes, Classification]:
    """Classify every indicator's default map once (its first page, or a switch to it, reuses them)."""
    with recording_classes() as recorded:
        for ind in prepared.catalogue:
            state = ViewState.from_params({"indicator": ind.id}, prepared.choices)  # no URL: any id
            map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                      dict(prepared.matrices))
    remember_classes(recorded)
    return recorded


def load_published(data_dir: str | Path) -> Published:
    """Load, validate and publish a bundle; the raw values go out of scope here (BundleError)."""
    from dashboard.bundle import load_bundle

    return publish(load_bundle(Path(data_dir)))


def load_prepared(data_dir: str | Path) -> Prepared:
    return prepare(load_published(data_dir))
