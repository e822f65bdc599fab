"""The choropleth map as a dash-leaflet component: geometry once, colours via ``hideout``.

The GeoJSON layer is styled in the browser by ``assets/leaflet_choropleth.js``
(``window.sozialraum.map``); an indicator or year switch only sends a new ``hideout`` (colours,
hidden/no-data ids, selection, tooltip texts), never the geometry again. No tiles unless a
``tile_url`` is given (offline: it must point at the app's own host), a blank background, zoom
buttons, and the attribution control off (the page shows the bundle's attribution itself).
"""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl

#: Names the JavaScript side defines (assets/leaflet_choropleth.js).
JS = "sozialraum.map"
BACKGROUND = "#ffffff"


def with_index(geojson: dict[str, Any]) -> dict[str, Any]:
    """Return a shallow copy whose features carry ``properties.i`` (their position).

    The JS side then takes colours and labels from plain arrays (``hideout["fill"][i]``), which
    are far smaller on the wire than objects keyed by area id.
    """
    features = []
    for i, feature in enumerate(geojson.get("features", [])):
        props = dict(feature.get("properties") or {})
        props["i"] = i
        features.append({**feature, "properties": props})
    return {**geojson, "features": features}


def choropleth_map(
    map_id: str,
    geojson: dict[str, Any],
    hideout: dict[str, Any],
    bounds: tuple[tuple[float, float], tuple[float, float]] | list[list[float]],
    tile_url: str | None = None,
    *,
    layer_id: str | None = None,
    padding: int = 12,
    height: str = "100%",
    tile_attribution: str | None = None,
    **opts: Any,
) -> dl.Map:
    """Build the map: one GeoJSON layer ``layer_id`` (default ``f"{map_id}-areas"``) in ``map_id``.

    ``bounds`` is ``((south, west), (north, east))`` in degrees; the view fits it with ``padding``
    pixels. ``geojson`` gets feature indices (``with_index``) unless they are there already.
    Callbacks update ``Output(layer_id, "hideout")`` for a switch. Extra ``opts`` go to ``dl.Map``
    (e.g. ``scrollWheelZoom=False``); keep Leaflet's SVG renderer (no ``preferCanvas``), which the
    hatch patterns for hidden and missing values need.
    """
    features = geojson.get("features", [])
    if features and "i" not in (features[0].get("properties") or {}):
        geojson = with_index(geojson)
    layer = dl.GeoJSON(
        id=layer_id or f"{map_id}-areas",
        data=geojson,
        hideout=hideout,
        style={"variable": f"{JS}.style"},
        onEachFeature={"variable": f"{JS}.onEachFeature"},
        filter={"variable": f"{JS}.filter"},
        hoverStyle={"variable": f"{JS}.hover"},
        zoomToBounds=False,
    )
    children: list[Any] = []
    if tile_url:
        children.append(dl.TileLayer(url=tile_url, attribution=tile_attribution or ""))
    children.append(layer)
    south_west, north_east = bounds
    settings: dict[str, Any] = {
        "zoomControl": True,
        "attributionControl": bool(tile_url and tile_attribution),
        "zoomSnap": 0.25,
        "zoomDelta": 0.5,
        "scrollWheelZoom": True,
        # dash-leaflet 1.1.3's viewport tracking reads `center`, which a bounds-only map lacks
        # (TypeError "reading 'equals'" after load); pass center and zoom too before enabling it.
        "trackViewport": False,
        "style": {"height": height, "width": "100%", "background": BACKGROUND},
    }
    settings.update(opts)
    return dl.Map(
        id=map_id,
        children=children,
        bounds=[list(south_west), list(north_east)],
        boundsOptions={"padding": [padding, padding]},
        **settings,
    )


def bounds_of(geojson: dict[str, Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    """``((south, west), (north, east))`` of all coordinates of a GeoJSON FeatureCollection."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: Any) -> None:
        if coords and isinstance(coords[0], (int, float)):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
            return
        for c in coords:
            walk(c)

    for feature in geojson.get("features", []):
        walk(feature["geometry"]["coordinates"])
    return (min(ys), min(xs)), (max(ys), max(xs))
