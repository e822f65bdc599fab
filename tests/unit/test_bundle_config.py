"""bundle.toml: every key type-checked, unknown keys warned about, ids checked against the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.bundle import BundleError, load_bundle
from dashboard.bundle.config import parse_config
from dashboard.bundle.problems import ProblemList
from tests.unit.bundle_factory import make_spec, toml_text, write_bundle


def _parse(data: dict) -> tuple[object, ProblemList]:
    problems = ProblemList()
    return parse_config(data, "Ordner", problems), problems


def test_bnc001_full_config_is_read(tmp_path: Path) -> None:
    spec = make_spec()
    spec.config.update({
        "privacy": {"min_count": 5, "min_population": 100, "round_counts_to": 5, "symbol": "*",
                    "population_indicator": "EW", "indicators": {"HZE": {"min_count": 10}}},
        "map": {"tile_url": "https://tiles.example/{z}/{x}/{y}.png"},
    })
    bundle = load_bundle(write_bundle(tmp_path / "b", spec))
    rules = bundle.config.privacy
    assert (rules.min_count, rules.min_population, rules.round_counts_to, rules.symbol) == (5, 100, 5, "*")
    assert rules.population_indicator == "EW"
    assert rules.min_count_for("HZE") == 10 and rules.min_count_for("SGB2") == 5
    assert bundle.config.tile_url.endswith("{y}.png")
    assert bundle.config.region == "StädteRegion Aachen (Ausschnitt)"


@pytest.mark.parametrize("data, key, value", [
    ({"title": 3}, "title", "3"),
    ({"synthetic": "ja"}, "synthetic", "ja"),
    ({"themes": "Wohnen"}, "themes", "Wohnen"),
    ({"privacy": {"min_count": 0}}, "privacy.min_count", "0"),
    ({"privacy": {"min_count": True}}, "privacy.min_count", "True"),
    ({"privacy": {"round_counts_to": 2.5}}, "privacy.round_counts_to", "2.5"),
    ({"privacy": {"min_population": -1}}, "privacy.min_population", "-1"),
    ({"privacy": {"symbol": ""}}, "privacy.symbol", ""),
    ({"privacy": {"indicators": {"HZE": {"min_count": "10"}}}}, "privacy.indicators.HZE.min_count", "10"),
    ({"columns": {"values": {"year": 2}}}, "columns.values.year", "2"),
    ({"map": {"tile_url": "https://tiles.example/a.png"}}, "map.tile_url", "https://tiles.example/a.png"),
])
def test_bnc002_wrong_types_are_errors_naming_the_key(data: dict, key: str, value: str) -> None:
    _, problems = _parse({"attribution": "x", **data})
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1
    assert errors[0].file == "bundle.toml" and errors[0].column == key
    assert f"Spalte „{key}“" in str(errors[0])
    if value:
        assert errors[0].value == value


@pytest.mark.parametrize("data, key", [
    ({"titel": "x"}, "titel"),
    ({"privacy": {"min_cont": 3}}, "privacy.min_cont"),
    ({"columns": {"values": {"jahr": "Jahr"}}}, "columns.values.jahr"),
    ({"sheets": {"werte": "Daten"}}, "sheets.werte"),
])
def test_bnc003_unknown_keys_are_warnings(data: dict, key: str) -> None:
    _, problems = _parse({"attribution": "x", **data})
    assert [(p.severity, p.column) for p in problems] == [("warning", key)]


def test_bnc004_bad_toml_is_a_problem(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    (folder / "bundle.toml").write_text('title = "unterminated\n', encoding="utf-8")
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    assert any("bundle.toml" in str(p) and "ungültiges TOML" in str(p) for p in info.value.errors)


@pytest.mark.parametrize("privacy, key", [
    ({"population_indicator": "EINW"}, "privacy.population_indicator"),
    ({"indicators": {"SGB9": {"min_count": 5}}}, "privacy.indicators.SGB9"),
])
def test_bnc005_privacy_ids_must_be_in_the_catalogue(tmp_path: Path, privacy: dict, key: str) -> None:
    spec = make_spec()
    spec.config["privacy"] = privacy
    folder = write_bundle(tmp_path / "b", spec)
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    [error] = info.value.errors
    assert error.file == "bundle.toml" and error.column == key and "unbekannter Indikator" in error.message


def test_bnc006_toml_helper_round_trips() -> None:
    import tomllib

    data = {"title": "A \"B\"", "themes": ["x", "y"], "privacy": {"min_count": 3, "indicators": {"A": {"min_count": 4}}}}
    assert tomllib.loads(toml_text(data)) == data
