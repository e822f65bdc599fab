"""The grid's rows as the browser builds them from a switch's compact table payload."""

from __future__ import annotations

from dashboard.prepared import Prepared
from dashboard.ranking import expand_table


def grid_rows(prepared: Prepared, compact: dict, map_style: dict | None = None) -> list[dict]:
    """``compact_table`` decoded with names from the geometry (and the values of the map style sent
    with it), as assets/ranking.js does."""
    return expand_table(compact, prepared.geometry.area_ids, prepared.area_names, prepared.municipality_names,
                        (map_style or {}).get("values"),
                        [e[0] for e in (map_style or {}).get("legend", {}).get("e", [])])
