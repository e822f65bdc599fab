"""Exactness: the engine, configured only through indices.toml, reproduces Berlin's MSS 2021 classes."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from dashboard.bundle import load_bundle
from dashboard.indices import class_matrix, compute_index, index_spec
from dashboard.publish import Published, publish
from tests.unit.mss_bundle import YEAR, read_mss, write_mss_bundle


@pytest.fixture(scope="module")
def mss() -> pd.DataFrame:
    return read_mss().set_index("PLR_ID")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    folder = write_mss_bundle(tmp_path_factory.mktemp("mss") / "bundle")
    return publish(load_bundle(folder))


def _compare(published: Published, mss: pd.DataFrame, index_id: str, official: str) -> tuple[int, int, list]:
    result = compute_index(published, index_spec(published, index_id), YEAR)
    expected = mss[official].replace("", pd.NA).dropna()
    got = result["class_label"].reindex(expected.index)
    wrong = [(plr, expected[plr], got[plr], result.loc[plr, "value"]) for plr in expected.index
             if got[plr] != expected[plr]]
    return int((got == expected).sum()), len(expected), wrong


def test_mss001_status_index_matches_every_official_class(published: Published, mss: pd.DataFrame) -> None:
    right, total, wrong = _compare(published, mss, "status", "SI_V")
    if "MSS_REFERENCE_CSV" not in os.environ:
        assert total == 536  # the 2021 table in tests/data
    assert wrong == [], f"{right}/{total} status classes right; wrong: {wrong[:10]}"
    assert right == total > 0


def test_mss002_dynamics_index_matches_every_official_class(published: Published, mss: pd.DataFrame) -> None:
    right, total, wrong = _compare(published, mss, "dynamik", "DI_V")
    if "MSS_REFERENCE_CSV" not in os.environ:
        assert total == 536
    assert wrong == [], f"{right}/{total} dynamics classes right; wrong: {wrong[:10]}"
    assert right == total > 0


def test_mss003_every_area_with_values_gets_an_index_and_the_others_none(published: Published,
                                                                         mss: pd.DataFrame) -> None:
    result = compute_index(published, index_spec(published, "status"), YEAR)
    has_values = mss["S1"] != ""
    assert result.loc[has_values[has_values].index, "status"].eq("ok").all()
    assert result.loc[has_values[~has_values].index, "value"].isna().all()


def test_mss004_class_matrix_reproduces_the_combined_classes(published: Published, mss: pd.DataFrame) -> None:
    status = compute_index(published, index_spec(published, "status"), YEAR)
    dynamics = compute_index(published, index_spec(published, "dynamik"), YEAR)
    matrix = class_matrix(status, dynamics, index_spec(published, "status"), index_spec(published, "dynamik"),
                          row_name="Status", column_name="Dynamik")
    official = mss["SDI_V"].str.replace(" ,", ",", regex=False).replace("", pd.NA).dropna()
    assert (matrix.cells["cell"].reindex(official.index) == official).all()
    assert int(matrix.counts.to_numpy().sum()) == len(official)
    crossed = pd.crosstab(mss.loc[official.index, "SI_V"], mss.loc[official.index, "DI_V"])
    assert matrix.counts.loc[crossed.index, crossed.columns].equals(crossed.astype(int))
    assert matrix.unclassified == len(mss) - len(official)


@pytest.mark.parametrize("sd", ["sample", "population"])
def test_mss005_both_sd_conventions_give_536(tmp_path: Path, mss: pd.DataFrame, sd: str) -> None:
    """The class result does not hinge on n or n − 1 (documented in docs/data-format.md)."""
    from tests.unit.mss_bundle import INDICES_TOML, index_columns
    table = read_mss()
    text = INDICES_TOML.format(status=", ".join(f'"{c}"' for c in index_columns(table, "S")),
                               dynamics=", ".join(f'"{c}"' for c in index_columns(table, "D")))
    text = text.replace('method = "zsum"', f'method = "zsum"\nsd = "{sd}"')
    published = publish(load_bundle(write_mss_bundle(tmp_path / "b", table, text)))
    for index_id, column in (("status", "SI_V"), ("dynamik", "DI_V")):
        right, total, wrong = _compare(published, mss, index_id, column)
        assert wrong == [] and right == total
