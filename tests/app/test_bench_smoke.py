"""The benchmarks import and run on a tiny synthetic bundle with tiny counts (not a benchmark)."""

from __future__ import annotations

import importlib

import pytest

pytestmark = pytest.mark.slow


def test_bch001_every_bench_module_imports():
    for name in ("common", "naive", "callbacks", "browser", "start", "load", "run_all", "publish_scaling"):
        importlib.import_module(f"bench.{name}")


def test_bch002_callbacks_bench_measures_real_and_naive_on_a_tiny_bundle(tmp_path, monkeypatch):
    from bench import callbacks, common, run_all

    monkeypatch.setenv("SOZIALRAUM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(common, "SYNTH", str(tmp_path / "synth-{n}"))
    result = callbacks.run(["30"], 1)
    sizes = result["sizes"]
    assert list(sizes) == ["30"]
    for switch in callbacks.SWITCHES:
        real, naive = sizes["30"]["real"][switch], sizes["30"]["naive"][switch]
        assert 0 < real["json"] < naive["json"] and real["wire"] > 0 and real["ms"] > 0
    rows = run_all.callback_rows(result)
    assert len(rows) == 2 + len(callbacks.SWITCHES) and all(r.startswith("|") for r in rows)


def test_bch009_publish_scaling_times_fast_and_plain_and_they_agree(tmp_path, monkeypatch):
    from bench import common, publish_scaling

    monkeypatch.setattr(common, "SYNTH", str(tmp_path / "synth-{n}"))
    result = publish_scaling.run(["30"], {"30"})["sizes"]["30"]
    assert result["same_cells"] is True and result["fast_s"] >= 0 and result["plain_s"] >= 0
    assert result["hidden"] > 0  # suppression had work to do
