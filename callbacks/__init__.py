"""Thin Dash callbacks, one module per concern; each reads a ViewState and calls dashboard/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import dash
from flask import Flask

from dashboard.geometry import PreparedGeometry
from dashboard.publish import Published
from dashboard.state import Choices
from dashboard.views import AreaMatrix, TableData


@dataclass(frozen=True)
class AppData:
    """Everything the callbacks may read, prepared once at start-up and never mutated."""

    published: Published
    geometry: PreparedGeometry
    choices: Choices
    area_names: tuple[str, ...]
    tile_url: str | None = None
    slices: Mapping[str, Published] = field(default_factory=dict)
    matrices: Mapping[str, AreaMatrix] = field(default_factory=dict)
    tables: Mapping[str, TableData] = field(default_factory=dict)

    def for_indicator(self, indicator_id: str) -> Published:
        """The published data restricted to one indicator (fast views); the full data if unknown."""
        return self.slices.get(indicator_id, self.published)

    def matrix(self, indicator_id: str) -> AreaMatrix | None:
        return self.matrices.get(indicator_id)

    def table(self, indicator_id: str) -> TableData | None:
        """The ranking table's arrays of one indicator (None if not precomputed)."""
        return self.tables.get(indicator_id)


def register_callbacks(app: dash.Dash, data: AppData) -> None:
    """Attach every callback of the app to ``app``, then guard them all (``callbacks.guard``)."""
    from callbacks import clientside, guard, maps, ranking, state, timeseries

    state.register(app, data)
    maps.register(app, data)
    ranking.register(app, data)
    timeseries.register(app, data)
    clientside.register(app)
    # Last, so every callback registered above is covered, whatever module it comes from.
    guard.guard_callbacks(app)
    if isinstance(app.server, Flask):
        guard.guard_requests(app.server, app.config.routes_pathname_prefix)
