"""indices.toml and bedarfe.toml: valid files load; every defect is one German message naming
file, index or field id, key and value (a BundleError like every other bundle problem)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.bundle import load_bundle
from dashboard.cli import main
from dashboard.problems import BundleError
from tests.unit.bundle_factory import write_bundle

VALID_INDEX = """
[[index]]
id = "status"
name = "Statusindex"
indicators = ["SGB2", "SBQ", "HZE"]
weights = [2, 1, 1]
classes = [-1.0, 1.0, 1.5]
labels = ["hoch", "mittel", "niedrig", "sehr niedrig"]

[[index]]
id = "dynamik"
name = "Dynamikindex"
indicators = ["SGB2", "HZE"]
change = 2
method = "minmax"
"""

VALID_NEEDS = """
[[bedarf]]
id = "armut"
name = "Kinder- und Familienarmut"
any = [
  { index = "status", classes = ["niedrig", "sehr niedrig"] },
  { all = [ { indicator = "SGB2", worst = 0.2 }, { indicator = "HZE", above = "region" } ] },
]

[[bedarf]]
id = "kumuliert"
name = "Kumulierte Benachteiligung"
at_least = 2
of = [ { indicator = "SGB2", above = 3.5 }, { indicator = "SBQ", below = "municipality" },
       { index = "dynamik", above = 50 } ]
"""


def bundle_with(tmp_path: Path, indices: str | None = None, needs: str | None = None) -> Path:
    folder = write_bundle(tmp_path / "b")
    if indices is not None:
        (folder / "indices.toml").write_text(indices, encoding="utf-8")
    if needs is not None:
        (folder / "bedarfe.toml").write_text(needs, encoding="utf-8")
    return folder


def errors(folder: Path) -> list[str]:
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    return [str(p) for p in info.value.errors]


def one_error(folder: Path) -> str:
    found = errors(folder)
    assert len(found) == 1, found
    return found[0]


def test_cfg001_valid_files_load_with_defaults_and_polarity_signs(tmp_path: Path) -> None:
    bundle = load_bundle(bundle_with(tmp_path, VALID_INDEX, VALID_NEEDS))
    status, dynamics = bundle.indices
    assert status.index_id == "status" and status.weights == (2.0, 1.0, 1.0) and status.signs == (1, 1, 1)
    assert status.method == "zsum" and status.min_indicators == 3 and status.boundary == "inner"
    assert status.thresholds == (-1.0, 1.0, 1.5) and status.labels[-1] == "sehr niedrig"
    assert dynamics.change == 2 and dynamics.method == "minmax" and not dynamics.has_classes
    armut, kumuliert = bundle.needs
    assert armut.text == ("Statusindex in Klasse „niedrig“/„sehr niedrig“ oder (SGB-II-Quote unter den "
                          "ungünstigsten 20 % der Sozialräume und Hilfen zur Erziehung über dem Wert der Region)")
    assert kumuliert.rule.mode == "at_least" and kumuliert.rule.k == 2
    assert kumuliert.text.startswith("mindestens 2 von 3: SGB-II-Quote über 3,5 %; Schwerbehindertenquote unter "
                                     "dem Wert der Kommune; Dynamikindex über 50")


def test_cfg002_no_files_no_indices(tmp_path: Path) -> None:
    bundle = load_bundle(bundle_with(tmp_path))
    assert bundle.indices == () and bundle.needs == ()


@pytest.mark.parametrize(("change", "expected"), [
    ('indicators = ["SGB2", "SBQ", "GIBTSNICHT"]', ("Spalte „indicators“", "Wert „GIBTSNICHT“", "unbekannter Indikator")),
    ('classes = [-1.0, 1.0]', ("Spalte „labels“", "2 Schwellen ergeben 3 Klassen", "4 Klassennamen")),
    ('classes = [-1.0, 1.5, 1.0]', ("Spalte „classes“", "Wert „[-1.0, 1.5, 1.0]“", "streng aufsteigend")),
    ('change = 3', ("Spalte „change“", "Wert „3“", "2021–2023")),
    ('method = "zscore"', ("Spalte „method“", "Wert „zscore“", "erlaubt: zsum, ranksum, minmax")),
    ('weights = [1, 1]', ("Spalte „weights“", "genau 3 Einträge")),
    ('min_indicators = 4', ("Spalte „min_indicators“", "von 1 bis 3")),
    ('weighting = "population"', ("Spalte „weighting“", "population_indicator")),
    ('gewichte = [1, 1, 1]', ("Spalte „gewichte“", "unbekannter Schlüssel")),
    ('boundary = "mitte"', ("Spalte „boundary“", "erlaubt: lower, upper, inner")),
])
def test_cfg003_each_index_defect_is_one_german_message(tmp_path: Path, change: str, expected: tuple) -> None:
    key = change.split(" =")[0]
    lines = [ln for ln in VALID_INDEX.split("[[index]]")[1].strip().splitlines() if not ln.startswith(f"{key} =")]
    text = "[[index]]\n" + "\n".join(lines) + f"\n{change}\n"
    message = one_error(bundle_with(tmp_path, text))
    assert message.startswith("Fehler: indices.toml, Index „status“")
    for part in expected:
        assert part in message, message


def test_cfg008_polarity_0_is_a_warning_and_counts_like_1(tmp_path: Path) -> None:
    text = VALID_INDEX.replace('["SGB2", "SBQ", "HZE"]', '["SGB2", "SBQ", "DICHTE"]')
    rule = '[[bedarf]]\nid = "b"\nname = "X"\nall = [{ indicator = "DICHTE", worst = 0.2 }]\n'
    bundle = load_bundle(bundle_with(tmp_path, text, rule))
    assert bundle.indices[0].signs == (1, 1, 1)
    warnings = [str(w) for w in bundle.warnings if "DICHTE" in str(w)]
    assert len(warnings) == 2 and all(w.startswith("Warnung: ") and "ohne Polarität" in w for w in warnings)
    assert "Index „status“" in warnings[0] and "Bedarf „b“" in warnings[1]
    signed = load_bundle(bundle_with(tmp_path / "s", text.replace("weights = [2, 1, 1]", "signs = [1, 1, -1]"), rule))
    assert signed.indices[0].signs == (1, 1, -1)
    assert len([w for w in signed.warnings if "DICHTE" in str(w)]) == 1


def test_cfg004_duplicate_ids_and_syntax_errors(tmp_path: Path) -> None:
    block = VALID_INDEX.split("[[index]]")[1]
    message = one_error(bundle_with(tmp_path, "[[index]]" + block + "[[index]]" + block))
    assert "Index „status“" in message and "doppelt" in message
    broken = bundle_with(tmp_path / "x", "[[index]]\nid = \"a\nname = 1\n")
    assert "ungültiges TOML (Zeile 2" in one_error(broken)


@pytest.mark.parametrize(("condition", "expected"), [
    ('{ index = "gibtsnicht", classes = ["hoch"] }', ("Spalte „any[1].index“", "Wert „gibtsnicht“", "unbekannter Index")),
    ('{ index = "status", classes = ["mies"] }', ("Wert „mies“", "unbekannte Klasse", "„sehr niedrig“")),
    ('{ indicator = "XX", above = "region" }', ("Wert „XX“", "unbekannter Indikator")),
    ('{ indicator = "SGB2", worst = 20 }', ("Spalte „any[1].worst“", "zwischen 0 und 1")),
    ('{ indicator = "SGB2" }', ("genau einen Vergleich",)),
    ('{ indicator = "SGB2", above = 3, below = 5 }', ("genau einen Vergleich",)),
    ('{ indicator = "SGB2", above = "kreis" }', ("Wert „kreis“", "\"region\" oder \"municipality\"")),
    ('{ indicator = "SGB2", abvoe = 3 }', ("Spalte „any[1].abvoe“", "unbekannter Schlüssel")),
    ('{ indicator = "SGB2", classes = ["hoch"] }', ("nur für einen Index",)),
    ('{ at_least = 3, of = [ { indicator = "SGB2", above = 1 } ] }', ("Spalte „any[1].at_least“", "von 1 bis 1")),
    ('"SGB2 > 3"', ("Bedingung muss eine Tabelle sein",)),
])
def test_cfg005_each_rule_defect_is_one_german_message(tmp_path: Path, condition: str, expected: tuple) -> None:
    text = f'[[bedarf]]\nid = "b1"\nname = "Integration"\nany = [ {condition} ]\n'
    message = one_error(bundle_with(tmp_path, VALID_INDEX, text))
    assert message.startswith("Fehler: bedarfe.toml, Bedarf „b1“"), message
    for part in expected:
        assert part in message, message


def test_cfg006_rule_without_group_or_name_and_on_a_broken_index(tmp_path: Path) -> None:
    assert "genau eines von „all = [...]“" in one_error(bundle_with(tmp_path, VALID_INDEX,
                                                                    '[[bedarf]]\nid = "b"\nname = "X"\n'))
    assert "„name“ fehlt" in one_error(bundle_with(tmp_path / "n", VALID_INDEX,
                                                   '[[bedarf]]\nid = "b"\nall = [{ indicator = "SGB2", above = 1 }]\n'))
    broken = VALID_INDEX.replace('method = "minmax"', 'method = "kaputt"')
    rule = '[[bedarf]]\nid = "b"\nname = "X"\nall = [{ index = "dynamik", above = 1 }]\n'
    found = errors(bundle_with(tmp_path / "c", broken, rule))
    assert len(found) == 1 and "indices.toml" in found[0]  # no second message for the same defect


def test_cfg007_cli_exits_1_with_file_id_and_value(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = bundle_with(tmp_path, VALID_INDEX.replace("[-1.0, 1.0, 1.5]", "[1.5, 1.0, -1.0]"))
    assert main(["index", str(folder), "--year", "2023"]) == 1
    err = capsys.readouterr().err
    assert "indices.toml" in err and "Index „status“" in err and "[1.5, 1.0, -1.0]" in err
    assert "Traceback" not in err
