"""``python -m dashboard index``: one row per area with every index and Gestaltungsbedarf."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.bundle import load_bundle
from dashboard.cli import main
from dashboard.indices import compute_indices, evaluate_needs, need_counts
from dashboard.publish import Published, publish
from tests.conftest import DEMO_DIR, ROOT
from tests.csv_de import split_csv_de
from tests.unit.bundle_factory import write_bundle

YEAR = 2024


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo() -> Published:
    return publish(load_bundle(DEMO_DIR))


@pytest.fixture(scope="module")
def plain() -> tuple[int, str, str]:
    return run("index", str(DEMO_DIR), "--year", str(YEAR))


def test_icli001_plain_csv_has_every_area_index_and_field(plain, demo: Published) -> None:
    code, out, err = plain
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False).set_index("unit_id")
    assert len(table) == 93 and len(demo.indices) >= 6 and len(demo.needs) == 4
    indices = compute_indices(demo, YEAR)
    for index_id, result in indices.items():
        for area, row in result.iterrows():
            cell = table.loc[area, f"{index_id}_value"]
            if row["status"] in ("hidden", "population"):
                assert cell == "•" and table.loc[area, f"{index_id}_class"] == "•"
            elif pd.isna(row["value"]):
                assert cell == ""
            else:
                assert float(cell) == pytest.approx(row["value"], rel=1e-12)
                assert table.loc[area, f"{index_id}_class"] == (row["class_label"] or "")
    assert (table["sozialindex_value"] == "•").sum() >= 2  # the two tiny areas at least


def test_icli002_summary_counts_per_field_and_municipality(plain, demo: Published) -> None:
    _, out, err = plain
    counts = need_counts(demo, evaluate_needs(demo, YEAR))
    region = counts.loc["__region__"]
    for rule in demo.needs:
        assert f"  {rule.name}: {int(region[rule.need_id])} – Regel: {rule.text}" in err
    assert f"mindestens ein Gestaltungsbedarf: {int(region['any'])} von 93" in err
    aachen = counts.loc["05334002"]
    fields = ", ".join(str(int(aachen[r.need_id])) for r in demo.needs)
    assert f"  Aachen: {fields}; {int(aachen['any'])} / 34" in err
    table = pd.read_csv(io.StringIO(out), dtype=str)
    for rule in demo.needs:
        assert (table[f"need_{rule.need_id}"] == "1").sum() == region[rule.need_id]
    assert 40 <= region["any"] <= 75  # a realistic share (the real region: 59 of 93)


def test_icli003_german_csv_and_xlsx(tmp_path: Path, demo: Published) -> None:
    code, out, _ = run("index", str(DEMO_DIR), "--year", str(YEAR), "--format", "csv-de")
    meta, rows = split_csv_de(out)
    assert code == 0 and ";".join(rows[0]).startswith("ID;Name;Kommune;Sozialindex (Wert);Sozialindex (Klasse)")
    assert meta["Jahr"] == str(YEAR) and meta["Auswahl"] == "alle 93 Sozialräume"
    assert "Sozialindex" in meta["Indizes"] and "Integration" in meta["Gestaltungsbedarfe"]
    assert "Mindestfallzahl" in meta["Datenschutz"] and "Außer bei Anzahlen" in meta["Datenschutz"]
    table = pd.read_csv(io.StringIO(out.lstrip("\ufeff")), sep=";", dtype=str, keep_default_na=False,
                        skiprows=len(meta) + 1)
    assert set(table["Gestaltungsbedarf: Integration"]) <= {"ja", "nein", "•", "–"}
    assert table["Sozialindex (Wert)"].str.fullmatch(r"-?\d+,\d\d|•").all()
    target = tmp_path / "indizes.xlsx"
    code, _, err = run("index", str(DEMO_DIR), "--year", str(YEAR), "--format", "xlsx", "--out", str(target))
    assert code == 0 and "93 Zeilen geschrieben" in err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Tabelle", "Indizes", "Gestaltungsbedarfe", "Metadaten"]
    sheet = book["Tabelle"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.endswith(str(sheet.max_row))
    assert {c.number_format for c in sheet["D"][1:] if isinstance(c.value, float)} == {"#,##0.00"}
    inputs = [c.value for c in sheet["F"][1:]]
    assert sheet["F1"].value == "Sozialindex (Indikatoren)" and all(v is None or isinstance(v, int) for v in inputs)
    meta = dict(list(book["Metadaten"].iter_rows(values_only=True))[1:])
    assert meta["Tabelle"] == f"Indizes und Gestaltungsbedarfe {YEAR}" and meta["Abgerufen am"]
    rules = list(book["Gestaltungsbedarfe"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rules] == [r.name for r in demo.needs]
    assert all(r[1] for r in rules)
    values = [row[3] for row in book["Tabelle"].iter_rows(min_row=2, values_only=True)]
    assert sum(isinstance(v, float) for v in values) >= 85 and "•" in values


def test_icli004_usage_errors(tmp_path: Path) -> None:
    assert run("index", str(DEMO_DIR), "--year", "1999")[0] == 2
    assert run("index", str(DEMO_DIR), "--year", str(YEAR), "--format", "xlsx")[0] == 2
    code, _, err = run("index", str(write_bundle(tmp_path / "b")), "--year", "2023")
    assert code == 2 and "indices.toml" in err


def test_icli005_dynamics_year_without_base_year_says_so() -> None:
    code, out, err = run("index", str(DEMO_DIR), "--year", "2016", "--municipality", "05334020")
    assert code == 0
    assert "Dynamikindex ist für 2016 nicht berechenbar" in err
    table = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert len(table) == 6 and (table["dynamik_value"] == "").all()


def test_icli006_module_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "dashboard", "index", str(DEMO_DIR), "--year", str(YEAR)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.count("\n") == 94 and "Traceback" not in proc.stderr
