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


def _props_by_id(node: object, out: dict) -> dict:
    """id -> component of a layout tree (components only; store data is not walked)."""
    if isinstance(node, (list, tuple)):
        for child in node:
            _props_by_id(child, out)
        return out
    if hasattr(node, "to_plotly_json"):
        cid = getattr(node, "id", None)
        if isinstance(cid, str):
            out[cid] = node
        _props_by_id(getattr(node, "children", None), out)
    return out


def deferred_page(prepared: Prepared, page: object) -> dict:
    """The atlas page's table and series as the browser mounts them (assets/deferred.js): the
    grid's props with rows and pinned rows, and the series figure, from the page's stores."""
    from dashboard.charts.series_chart import expand_series
    from dashboard.ranking import expand_reference
    from layouts import ids

    nodes = _props_by_id(page, {})
    parts = nodes[ids.DEFERRED_PARTS].data
    compact = nodes[ids.RANKING_DATA].data
    grid = dict(parts["grid"]["props"])
    grid["rowData"] = grid_rows(prepared, compact, nodes[ids.MAP_LAYER].hideout)
    grid["dashGridOptions"] = {**grid["dashGridOptions"], "pinnedTopRowData": expand_reference(compact)}
    series = nodes[ids.SERIES_DATA].data
    figure = expand_series(series)
    return {"grid": grid, "figure": figure, "compact": compact, "series": series, "nodes": nodes}
