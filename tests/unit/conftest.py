"""Fixtures of the view tests: the tiny bundle published, its areas in map order and their km²."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.geometry import prepare_geometry
from dashboard.publish import Published, publish
from tests.conftest import make_tiny_bundle


@pytest.fixture(scope="module")
def published() -> Published:
    return publish(make_tiny_bundle())


@pytest.fixture(scope="module")
def area_ids(published) -> tuple[str, ...]:
    return prepare_geometry(published.areas).area_ids


@pytest.fixture(scope="module")
def km2(published, area_ids) -> np.ndarray:
    return published.areas.set_index("area_id").loc[list(area_ids), "area_km2"].to_numpy(dtype=float)
