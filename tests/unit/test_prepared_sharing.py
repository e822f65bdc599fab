"""What ``prepare`` shares instead of copying (memory at 10,000 areas), and that it stays exact."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from dashboard.cache import _dumps
from dashboard.matrices import level_matrix, table_units
from dashboard.prepared import prepare
from dashboard.publish import publish
from tests.conftest import make_tiny_bundle


@pytest.fixture(scope="module")
def prepared():
    return prepare(publish(make_tiny_bundle()))


def _same(a, b) -> bool:
    return (a.years == b.years and np.array_equal(a.values, b.values, equal_nan=True)
            and np.array_equal(a.hidden, b.hidden) and np.array_equal(a.municipality, b.municipality))


def test_prs001_slices_are_views_of_the_cells_and_equal_a_filter(prepared):
    cells = prepared.published.cells
    for indicator, sub in prepared.slices.items():
        expected = cells[cells["indicator_id"] == indicator].reset_index(drop=True)
        assert sub.cells.equals(expected)
        assert np.shares_memory(sub.cells["value"].to_numpy(), cells["value"].to_numpy())


def test_prs002_tables_share_units_and_the_maps_matrix_and_equal_the_direct_build(prepared):
    units = table_units(prepared.published)
    tables = list(prepared.tables.values())
    assert all(t.area_names is tables[0].area_names and t.area_ids is tables[0].area_ids for t in tables)
    for indicator, table in prepared.tables.items():
        assert table.areas is prepared.matrices[indicator]
        assert _same(table.areas, level_matrix(prepared.slices[indicator], indicator, "area", units.area_ids))


def test_prs003_a_cache_round_trip_rebuilds_the_slices_as_views(prepared):
    loaded = pickle.loads(_dumps(prepared))  # noqa: S301 - our own bytes
    assert set(loaded.slices) == set(prepared.slices)
    for indicator, sub in loaded.slices.items():
        assert sub.cells.equals(prepared.slices[indicator].cells)
        assert np.shares_memory(sub.cells["value"].to_numpy(), loaded.published.cells["value"].to_numpy())
    first = next(iter(loaded.tables.values()))
    assert all(t.area_names is first.area_names for t in loaded.tables.values())


def test_prs004_category_columns_hold_the_same_cells():
    published = publish(make_tiny_bundle())
    compact = prepare(published).published.cells
    original = published.cells
    assert all(str(compact[c].dtype) == "category" for c in ("level", "indicator_id", "status"))
    shown = compact[original.columns].astype({c: original[c].dtype for c in ("level", "indicator_id", "status")})
    head = shown.iloc[: len(original)].reset_index(drop=True)
    assert head.equals(original.reset_index(drop=True))  # the bundle's own cells first, then the indices'


def test_prs005_slices_share_the_catalogue_of_the_whole_bundle_also_after_the_cache(prepared):
    for source in (prepared, pickle.loads(_dumps(prepared))):  # noqa: S301 - our own bytes
        whole = source.published.catalogue
        assert all(sub.catalogue is whole for sub in source.slices.values())
        assert [i.id for i in whole] == [i.id for i in prepare(source.published).published.catalogue]
