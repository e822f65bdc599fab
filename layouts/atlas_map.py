"""The atlas map on screen: a Leaflet map (dash-leaflet) with the areas as one GeoJSON layer.

The GeoJSON is sent once with the page; every later change sends only ``hideout`` (class codes,
colours, values, ranks, selection), which ``assets/map.js`` turns into styles and tooltips. The
legend is HTML beside the map (area swatches, patterns for "keine Daten" and data protection),
so it stays readable and accessible at every screen size. Why Leaflet: docs/architecture.md.
"""

from __future__ import annotations

import math

import dash_leaflet as dl
from dash import html

from dashboard.geometry import PreparedGeometry, zoom_for
from dashboard.mapview import MapView

STYLE = {"variable": "sozialraum.map.style"}
ON_EACH = {"variable": "sozialraum.map.onEachFeature"}
BORDER_STYLE = {"color": "#1a1a1a", "weight": 2.2, "fill": False, "interactive": False}
#: Room around the region inside the map when fitting (px): never cut at the edges.
FIT_PADDING = [16, 16]


def hideout(view: MapView, symbol: str, rank_in_browser: bool = False) -> dict:
    """What the browser needs to style and label the areas: no geometry, no hidden number.

    ``rank_in_browser``: send the polarity instead of the ranks, when the ranks are the need ranks
    of the values (the atlas): assets/map.js ranks them as ``need_ranks`` does.
    """
    out = {"codes": view.codes, "colours": view.colours, "k": view.k, "values": view.values, "unit": view.unit,
           "decimals": view.decimals, "selected": view.selected, "symbol": symbol}
    if rank_in_browser:  # the atlas: compact (codes as one digit each, ranks computed in the browser)
        out["p"] = view.rank_polarity
        if all(0 <= c <= 9 for c in view.codes):
            out["codes"] = "".join(str(c) for c in view.codes)
    else:
        out.update(ranks=view.ranks, ranked=sum(r is not None for r in view.ranks))
    return out


def density_values(compact: dict, area_km2: list[float]) -> list[float | None]:
    """A count's map values (per km², in geometry order) from its compact table and the areas'
    sizes — the twin of assets/map.js ``densityValues``: a count switch sends its numbers once."""
    from dashboard.ranking import NO_NUMBER_CODES

    out: list[float | None] = [None] * len(area_km2)
    numbers = iter(compact.get("v") or [])
    geometry = compact.get("g")
    for j, code in enumerate(compact["k"]):
        if code in NO_NUMBER_CODES:
            continue
        value, i = next(numbers), geometry[j] if geometry else j
        out[i] = round(value / area_km2[i], 8) if area_km2[i] > 0 and value is not None else None
    return out


def without_density_values(style: dict, compact: dict, area_km2: list[float]) -> dict:
    """The map style without its values when the browser can compute them from the table's (``vd``)."""
    if compact.get("vm") or "values" not in style or not compact.get("v"):
        return style
    if density_values(compact, area_km2) != style["values"]:
        return style
    return {**{k: v for k, v in style.items() if k != "values"}, "vd": 1}


def legend_data(view: MapView) -> dict:
    """The legend as data for the browser (assets/map.js ``legend`` builds the same rows as ``legend``)."""
    return {"t": view.legend_title, "e": [[e.label, e.colour, e.count, e.pattern] for e in view.legend]}


def leaflet_bounds(box: tuple[float, float, float, float]) -> list[list[float]]:
    """(west, south, east, north) -> Leaflet's [[south, west], [north, east]]."""
    west, south, east, north = box
    return [[south, west], [north, east]]


def fit_viewport(box: tuple[float, float, float, float]) -> dict:
    return {"bounds": leaflet_bounds(box), "transition": "fitBounds",
            "options": {"padding": FIT_PADDING, "animate": False}}


def leaflet_map(map_id: str, layer_id: str, borders_id: str, geometry: PreparedGeometry, view: MapView,
                symbol: str, box: tuple[float, float, float, float], tile_url: str | None = None,
                with_data: bool = True, visible: bool = True, rank_in_browser: bool = False) -> dl.MapContainer:
    """The map container, fitted to ``box``; tiles only when the bundle configures a tile server.

    ``with_data=False`` leaves the geometry out (the hidden compare map): it is sent once when
    compare mode is first opened, so a page without comparison carries the GeoJSON only once.
    """
    empty = {"type": "FeatureCollection", "features": []}
    layers: list = []
    if tile_url:
        layers.append(dl.TileLayer(url=tile_url, attribution=""))
    layers += [
        dl.GeoJSON(id=layer_id, data=geometry.geojson if with_data else empty, style=STYLE, onEachFeature=ON_EACH,
                   hideout={**hideout(view, symbol, rank_in_browser),
                            # The fit, applied by assets/map.js before the first area is drawn.
                            **({"fit": leaflet_bounds(box), "pad": FIT_PADDING} if visible else {})},
                   bubblingMouseEvents=False),
        dl.GeoJSON(id=borders_id, data=geometry.border_geojson if with_data else empty, style=BORDER_STYLE, interactive=False),
    ]
    west, south, east, north = box
    # dash-leaflet's ``bounds`` prop fails in the browser; the initial ``viewport`` fits instead.
    return dl.MapContainer(
        # A first guess of the fitted zoom (Leaflet's 256-px tiles: MapLibre's zoom + 1), so the map
        # shows the region even before the browser's exact fit runs.
        layers, id=map_id, center=[(south + north) / 2, (west + east) / 2],
        zoom=max(1.0, math.floor((zoom_for(box) + 1) * 4) / 4 - 0.25),
        # A hidden map has no size to fit into; assets/clientside.js fits it when it is shown.
        **({"viewport": fit_viewport(box)} if visible else {}),
        zoomSnap=0.25, zoomDelta=0.5, wheelPxPerZoomLevel=120, attributionControl=False,
        className="atlas-map", style={"background": "#ffffff"},
        # The keyboard can pan/zoom the map; selecting works with the area list and the table.
        keyboard=True,
    )


def _swatch(colour: str, pattern: str) -> html.Span:
    return html.Span(className=f"legend-swatch {('swatch-' + pattern) if pattern else ''}".strip(),
                     style={"backgroundColor": colour}, **{"aria-hidden": "true"})


def legend(view: MapView) -> list:
    """Legend rows: swatch, half-open class label, number of areas (explained in the title), and
    the selection's outline when areas are selected."""
    rows = [html.Li([_swatch(e.colour, e.pattern), html.Span(e.label, className="legend-label"),
                     html.Span(f"({e.count})", className="legend-count")], className="legend-row")
            for e in view.legend]
    if view.selected:
        rows.append(html.Li([html.Span(className="legend-swatch swatch-selected", **{"aria-hidden": "true"}),
                             html.Span("ausgewählt", className="legend-label"),
                             html.Span(f"({len(view.selected)})", className="legend-count")], className="legend-row"))
    return [
        html.Div(view.legend_title, className="legend-title"),
        html.Div("Zahl in Klammern: Anzahl Sozialräume", className="legend-hint"),
        html.Ul(rows, className="legend-rows list-unstyled mb-0"),
    ]
