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
