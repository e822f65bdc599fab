"""The dash-leaflet map builder: no tiles by default, geometry indexed once, JS functions by name."""

from __future__ import annotations

import copy

import pytest

dl = pytest.importorskip("dash_leaflet")

from layouts.leaflet_map import JS, bounds_of, choropleth_map, with_index  # noqa: E402

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"area_id": "a"},
     "geometry": {"type": "Polygon", "coordinates": [[[6.0, 50.0], [6.2, 50.0], [6.2, 50.1], [6.0, 50.0]]]}},
    {"type": "Feature", "properties": {"area_id": "b"},
     "geometry": {"type": "MultiPolygon",
                  "coordinates": [[[[5.9, 50.3], [6.1, 50.3], [6.1, 50.4], [5.9, 50.3]]]]}},
]}


def _layers(m: dl.Map) -> list:
    return list(m.children)


def test_with_index_numbers_features_without_touching_the_input() -> None:
    before = copy.deepcopy(GEOJSON)
    indexed = with_index(GEOJSON)
    assert [f["properties"]["i"] for f in indexed["features"]] == [0, 1]
    assert indexed["features"][1]["properties"]["area_id"] == "b"
    assert GEOJSON == before


def test_bounds_cover_every_part() -> None:
    assert bounds_of(GEOJSON) == ((50.0, 5.9), (50.4, 6.2))


def test_map_without_tiles_fits_bounds_and_names_the_js_functions() -> None:
    m = choropleth_map("map", GEOJSON, {"fill": ["#fff", "#000"]}, bounds_of(GEOJSON))
    layers = _layers(m)
    assert len(layers) == 1 and isinstance(layers[0], dl.GeoJSON)
    layer = layers[0]
    assert layer.id == "map-areas"
    assert layer.style == {"variable": f"{JS}.style"}
    assert layer.onEachFeature == {"variable": f"{JS}.onEachFeature"}
    assert layer.filter == {"variable": f"{JS}.filter"}
    assert [f["properties"]["i"] for f in layer.data["features"]] == [0, 1]
    assert m.bounds == [[50.0, 5.9], [50.4, 6.2]]
    assert m.attributionControl is False and m.zoomControl is True
    assert not getattr(m, "preferCanvas", None)  # the SVG renderer draws the hatch patterns


def test_tiles_only_when_asked() -> None:
    m = choropleth_map("map", GEOJSON, {}, bounds_of(GEOJSON), tile_url="/tiles/{z}/{x}/{y}.png",
                       tile_attribution="© Stadt", scrollWheelZoom=False)
    tiles = [c for c in _layers(m) if isinstance(c, dl.TileLayer)]
    assert len(tiles) == 1 and tiles[0].url == "/tiles/{z}/{x}/{y}.png"
    assert m.attributionControl is True and m.scrollWheelZoom is False
