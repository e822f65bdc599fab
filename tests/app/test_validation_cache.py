"""The validation layout is cached with the prepared data and equals a fresh build."""

from __future__ import annotations

import json

import plotly

import app as app_module
from dashboard.demo.synthetic import generate_synthetic


def _json(component: object) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def test_vlc001_second_start_reads_the_validation_layout(tmp_path, monkeypatch):
    bundle = tmp_path / "bundle"
    generate_synthetic(30, bundle, seed=7)
    monkeypatch.setenv("SOZIALRAUM_CACHE", str(tmp_path / "cache"))
    built = []
    real = app_module.validation_skeleton

    def counting(prepared):
        built.append(1)
        return real(prepared)

    monkeypatch.setattr(app_module, "validation_skeleton", counting)
    first = app_module.create_app(bundle, server=True)
    second = app_module.create_app(bundle, server=True)
    assert len(built) == 1  # the second start read it
    assert _json(second.validation_layout) == _json(first.validation_layout)
    assert len(list((tmp_path / "cache").glob("*.validation-*.artefact"))) == 1
    # a different component library version (or page code) builds it again
    monkeypatch.setattr(app_module, "_COMPONENT_PACKAGES", ("dash",))
    app_module.create_app(bundle, server=True)
    assert len(built) == 2


def test_vlc002_the_index_page_does_not_list_the_areas(tmp_path, monkeypatch):
    """The area picker's options (one per area) stay out of the validation layout: at 10,000
    areas they made the index page 780 KB before the page itself was even requested."""
    bundle = tmp_path / "bundle"
    generate_synthetic(30, bundle, seed=7)
    monkeypatch.setenv("SOZIALRAUM_CACHE", "off")
    dash_app = app_module.create_app(bundle, server=True)
    html = dash_app.server.test_client().get("/").data.decode()
    names = [n for n in dash_app_names(bundle) if len(n) > 6]
    # at most the one area whose profile stands in for the profile page in the validation layout
    assert names and len([n for n in names if n in html]) <= 1
    layout = dash_app.server.test_client().get("/_dash-layout").data.decode()
    assert any(n in layout for n in names)  # the page itself still offers them


def dash_app_names(bundle) -> list[str]:  # noqa: ANN001
    import geopandas as gpd

    return [str(n) for n in gpd.read_file(bundle / "areas.geojson")["area_name"]]
