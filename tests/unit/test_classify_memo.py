"""The classification memo: the prepared cache's default views need no mapclassify after a start,
a remembered result equals a fresh one, and requests never grow the memo."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from dashboard import classify as classify_module
from dashboard.cache import _dumps
from dashboard.classify import _classify, classify, recording_classes
from dashboard.prepared import prepare
from dashboard.publish import publish
from tests.conftest import ROOT, make_tiny_bundle


@pytest.fixture(scope="module")
def prepared():
    return prepare(publish(make_tiny_bundle()))


def test_mem001_a_start_from_the_cache_draws_every_default_map_without_importing_mapclassify(prepared, tmp_path):
    entry = tmp_path / "prepared.pickle"
    entry.write_bytes(_dumps(prepared))
    script = textwrap.dedent(f"""
        import pickle, sys
        from dashboard.mapview import map_views
        from dashboard.state import ViewState
        prepared = pickle.loads(open({str(entry)!r}, "rb").read())
        for ind in prepared.catalogue:
            state = ViewState.from_query("?indicator=" + ind.id, prepared.choices)
            map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2, dict(prepared.matrices))
        print("mapclassify" in sys.modules)
        state = ViewState.from_query("?indicator=" + ind.id + "&method=equal_interval", prepared.choices)
        map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2, dict(prepared.matrices))
        print("mapclassify" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]  # another method still classifies (and imports)


def test_mem002_a_remembered_result_equals_a_fresh_one_and_is_read_only(prepared):
    assert prepared.known_classes  # every indicator's default view
    for result in prepared.known_classes.values():
        assert not result.classes.flags.writeable
    rng = np.random.default_rng(7)
    values = np.where(rng.random(300) < 0.1, np.nan, rng.gamma(2.0, 5.0, 300))
    for method in ("quantiles", "fisher_jenks", "equal_interval", "std_mean"):
        with recording_classes() as recorded:
            first = classify(values, method, 5, 1)
        again = classify(values.copy(), method, 5, 1)
        fresh = _classify(values, method, 5, 1, None)
        assert list(recorded.values()) == [first]
        assert (first.bounds, first.labels, first.note) == (fresh.bounds, fresh.labels, fresh.note)
        assert np.array_equal(first.classes, fresh.classes) and np.array_equal(again.classes, fresh.classes)
        with pytest.raises(ValueError):
            first.classes[0] = 3
    other = classify(values, "quantiles", 4, 1)
    assert other.k == 4  # the settings are part of the key


def test_mem003_requests_do_not_grow_the_memo(prepared):
    size = len(classify_module._KNOWN)
    rng = np.random.default_rng(11)
    for _ in range(20):
        classify(rng.random(50), "quantiles", 5, 1)
    assert len(classify_module._KNOWN) == size
