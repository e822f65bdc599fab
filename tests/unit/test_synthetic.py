"""Synthetic bundles: they load like an office's bundle, tile the region and are reproducible."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import shapely

from dashboard.bundle import load_bundle
from dashboard.cli import main as cli_main
from dashboard.demo.synthetic import INDICATORS, YEARS, generate_synthetic, main, municipality_count
from dashboard.publish import publish

N = 120
FILES = ("bundle.toml", "areas.geojson", "indicators.csv", "values.csv")


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate_synthetic(N, out, seed=7)
    return out


def test_loads_without_problems_and_is_marked_synthetic(bundle_dir: Path) -> None:
    bundle = load_bundle(bundle_dir)
    assert bundle.warnings == ()
    assert bundle.config.synthetic is True
    assert len(bundle.areas) == N
    assert bundle.areas["area_id"].is_unique
    assert 10 <= bundle.areas["municipality_id"].nunique() <= 40
    assert set(bundle.indicators["indicator_id"]) == set(INDICATORS)
    assert set(bundle.indicators["theme"]) == set(bundle.config.themes)
    assert sorted(bundle.values["year"].unique()) == list(YEARS)
    # Shares/rates with counts, a count without (SD01) and value-only means (SD12, WO09).
    with_counts = bundle.values.dropna(subset=["numerator"])["indicator_id"].unique()
    assert {"SO01", "KJ07", "GE07"} <= set(with_counts)
    assert not {"SD01", "SD12", "WO09"} & set(with_counts)
    # The privacy rules have something to hide: tiny areas and small counts exist.
    status = publish(bundle).cells["status"].value_counts()
    assert status.get("population", 0) > 0
    assert status.get("primary", 0) > 0


def test_check_command_accepts_it(bundle_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["check", str(bundle_dir)]) == 0
    assert f"Sozialräume: {N}" in capsys.readouterr().out


def test_areas_tile_the_region_without_gaps_or_overlaps(bundle_dir: Path) -> None:
    areas = load_bundle(bundle_dir).areas.to_crs("EPSG:25832")
    geoms = areas.geometry.values
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    union = shapely.union_all(geoms)
    assert union.geom_type == "Polygon"  # one region, no islands torn off
    assert len(union.interiors) == 0  # and no holes between areas
    # Densified, bent edges: far more vertices than a plain Voronoi cell (about 6).
    vertices = shapely.get_num_coordinates(geoms)
    assert np.median(vertices) > 15


def test_same_seed_same_bytes_other_seed_other_bundle(bundle_dir: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    generate_synthetic(N, again, seed=7)
    generate_synthetic(N, other, seed=8)
    for name in FILES:
        assert (again / name).read_bytes() == (bundle_dir / name).read_bytes(), name
    assert (other / "areas.geojson").read_bytes() != (bundle_dir / "areas.geojson").read_bytes()
    assert (other / "values.csv").read_bytes() != (bundle_dir / "values.csv").read_bytes()


def test_command_line_writes_a_bundle_of_the_asked_size(tmp_path: Path) -> None:
    assert main(["--areas", "40", "--out", str(tmp_path), "--seed", "3"]) == 0
    config = tomllib.loads((tmp_path / "bundle.toml").read_text(encoding="utf-8"))
    assert config["synthetic"] is True
    assert len(load_bundle(tmp_path).areas) == 40


def test_command_line_rejects_too_few_areas(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--areas", "3", "--out", str(tmp_path)])
    assert exc.value.code == 2


def test_municipality_count_grows_with_size() -> None:
    assert municipality_count(100) == 10
    assert municipality_count(10_000) == 40
    assert 10 < municipality_count(2_500) < 40
