"""Background jobs stay with their app: its own function and data, and keys of its own bundle."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from dash.background_callback.managers import BaseBackgroundCallbackManager

import callbacks.funding
from app import create_app
from dashboard.bundle import load_bundle
from dashboard.publish import publish
from layouts import ids
from tests.conftest import DEMO_DIR


@pytest.fixture(scope="module")
def demo_published():
    return publish(load_bundle(DEMO_DIR))


@pytest.fixture(scope="module")
def other_published(demo_published):
    """The demo under another title: another bundle to the fingerprint, the same callbacks to Dash."""
    return dataclasses.replace(demo_published, config=dataclasses.replace(demo_published.config, title="Andere Region"))


def _report(app):
    """(manager, registry key, user function) of the funding report's background callback."""
    spec = next(v for k, v in app.callback_map.items() if k.startswith(f"{ids.FUNDING_REPORT_DOWNLOAD}.data"))
    fn = inspect.unwrap(spec["callback"])
    key = next(k for k, f, _ in BaseBackgroundCallbackManager.functions if f is fn)
    return spec["manager"], key, fn


def test_job001_a_later_app_in_the_process_does_not_take_over_the_jobs_of_an_earlier_one(
        monkeypatch, tmp_path, demo_published, other_published):
    monkeypatch.setenv("SOZIALRAUM_JOBS", str(tmp_path))
    first, second = create_app(published=demo_published), create_app(published=other_published)
    manager, key, _ = _report(first)
    assert key == _report(second)[1]  # Dash keys the function by source and output id: one key for both
    seen = []
    monkeypatch.setattr(callbacks.funding, "report_download",
                        lambda prepared, *args, **kwargs: seen.append(prepared.published.config.title) or {})
    args = [None, 1, 2024, [], [], [], [], [], None]
    manager.func_registry[key]("result", "progress", args,
                               {"triggered_inputs": [{"prop_id": f"{ids.FUNDING_REPORT_PDF}.n_clicks", "value": 1}]})
    assert seen == [demo_published.config.title]  # the first app's job ran on the first app's data
    assert manager.handle.get("result") == {}


def test_job002_equal_requests_against_different_bundles_never_share_a_result_key(monkeypatch, tmp_path,
                                                                                   demo_published, other_published):
    monkeypatch.setenv("SOZIALRAUM_JOBS", str(tmp_path))
    one, same, different = (create_app(published=p) for p in (demo_published, publish(load_bundle(DEMO_DIR)),
                                                                other_published))
    args = [None, 1, 2024, [], [], [], [], [], {"year": 2024, "ids": ["FM-2024-003"]}]

    def result_key(app) -> str:
        manager, _, fn = _report(app)
        return manager.build_cache_key(fn, args, [], None)

    assert result_key(one) == result_key(same)  # two instances of one bundle: a job polled on either
    assert result_key(one) != result_key(different)
