"""The prepared cache: a hit when nothing changed, rebuilt when the bundle or the code changes."""

from __future__ import annotations

import pytest

from dashboard import cache
from dashboard.demo.synthetic import generate_synthetic


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    generate_synthetic(30, out, seed=5)
    return out


def test_cch001_second_start_reads_the_entry_and_equals_a_fresh_build(bundle, tmp_path):
    first, source = cache.load_cached(bundle, tmp_path)
    assert source == "built" and len(list(tmp_path.glob("*.pickle"))) == 1
    again, source = cache.load_cached(bundle, tmp_path)
    assert source == "hit"
    assert again.geometry.area_ids == first.geometry.area_ids
    assert again.published.cells.equals(first.published.cells)
    assert dict(again.published.config.privacy.indicator_min_count) == dict(first.published.config.privacy.indicator_min_count)


def test_cch002_a_changed_bundle_file_or_code_version_gives_a_new_key(bundle, tmp_path, monkeypatch):
    key = cache.cache_key(bundle)
    values = bundle / "values.csv"
    original = values.read_bytes()
    try:
        values.write_bytes(original + b"\n")
        assert cache.cache_key(bundle) != key
    finally:
        values.write_bytes(original)
    assert cache.cache_key(bundle) == key
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert cache.cache_key(bundle) != key


def test_cch003_damaged_entry_is_rebuilt_and_off_disables(bundle, tmp_path, monkeypatch):
    cache.load_cached(bundle, tmp_path)
    entry = next(tmp_path.glob("*.pickle"))
    entry.write_bytes(b"not a pickle")
    _, source = cache.load_cached(bundle, tmp_path)
    assert source == "built"
    monkeypatch.setenv("SOZIALRAUM_CACHE", "off")
    assert cache.cache_dir() is None
    _, source = cache.load_cached(bundle)
    assert source == "off"
    monkeypatch.setenv("SOZIALRAUM_CACHE", str(tmp_path / "elsewhere"))
    assert cache.cache_dir() == tmp_path / "elsewhere"


def test_cch004_an_artefact_is_built_once_and_rebuilt_when_its_version_changes(bundle, tmp_path):
    builds = []

    def build() -> dict:
        builds.append(1)
        return {"n": len(builds)}

    assert cache.cached_artefact(bundle, "demo", "v1", build, tmp_path) == {"n": 1}
    assert cache.cached_artefact(bundle, "demo", "v1", build, tmp_path) == {"n": 1}  # read, not built
    assert len(builds) == 1
    assert cache.cached_artefact(bundle, "demo", "v2", build, tmp_path) == {"n": 2}
    assert len(list(tmp_path.glob("*.demo-*.artefact"))) == 1  # the old version's entry is gone
    next(tmp_path.glob("*.demo-*.artefact")).write_bytes(b"damaged")
    assert cache.cached_artefact(bundle, "demo", "v2", build, tmp_path) == {"n": 3}
    assert cache.cached_artefact(bundle, "demo", "v2", lambda: (x for x in ()), tmp_path) is not None  # unpicklable: built, not stored
    assert cache.cached_artefact(bundle, "demo", "v3", build, None, "off") == {"n": 4}
