"""The command line: check summaries, exit codes, ranking tables in every format, suppression."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.cli import main
from tests.conftest import DEMO_DIR, ROOT
from tests.csv_de import split_csv_de
from tests.unit.bundle_factory import CSV_DE, GERMAN_VALUE_HEADERS, TableFormat, make_spec, write_bundle


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def run_process(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def office_bundle(folder: Path, values: TableFormat) -> Path:
    """Shapefile in EPSG:25832 with short mapped fields, cp1252 semicolon indicators, given values."""
    return write_bundle(folder, areas="shp", indicators=CSV_DE, values=values)


def ratio_of_sums(spec, indicator: str, year: int, municipality: str, scale: float) -> float:
    v = spec.values.merge(spec.areas[["area_id", "municipality_id"]], on="area_id")
    sel = v[(v.indicator_id == indicator) & (v.year == year) & (v.municipality_id == municipality)]
    return sel["numerator"].sum() / sel["denominator"].sum() * scale


def test_cli001_demo_check_reports_10_municipalities_and_93_areas():
    proc = run_process("check", str(DEMO_DIR))
    assert proc.returncode == 0, proc.stderr
    assert "Kommunen: 10" in proc.stdout
    assert "Sozialräume: 93" in proc.stdout
    assert "Demodaten" in proc.stdout


def test_cli002_broken_bundle_exits_1_with_german_problem_list_and_no_traceback(tmp_path):
    folder = write_bundle(tmp_path / "b")
    text = (folder / "values.csv").read_text(encoding="utf-8").replace("05334036-02,SGB2,2022", "05334036-99,SGB2,2022")
    (folder / "values.csv").write_text(text, encoding="utf-8")
    proc = run_process("check", str(folder))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "values.csv" in proc.stderr and "05334036-99" in proc.stderr


def test_cli003_usage_errors_exit_2():
    assert run_process("check").returncode == 2
    assert run_process("table", str(DEMO_DIR), "--year", "2024").returncode == 2  # --indicator missing
    code, _, err = run("table", str(DEMO_DIR), "--indicator", "NOPE", "--year", "2024")
    assert code == 2 and "NOPE" in err


def test_cli004_missing_folder_is_a_problem_not_a_traceback(tmp_path):
    proc = run_process("check", str(tmp_path / "does-not-exist"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("values_format", [
    TableFormat(kind="xlsx", headers=GERMAN_VALUE_HEADERS),
    CSV_DE,
], ids=["xlsx-german-headers", "semicolon-decimal-comma"])
def test_cli005_office_bundle_municipality_values_equal_ratio_of_sums(tmp_path, values_format):
    spec = make_spec()
    folder = office_bundle(tmp_path / "office", values_format)
    code, out, err = run("table", str(folder), "--indicator", "SGB2", "--year", "2022", "--level", "municipality")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out), dtype={"unit_id": str}).set_index("unit_id")
    for municipality in ("05334002", "05334036"):
        expected = ratio_of_sums(spec, "SGB2", 2022, municipality, 100)
        assert table.loc[municipality, "value"] == pytest.approx(expected, rel=1e-9)


def test_cli006_csv_de_opens_in_german_excel(tmp_path):
    folder = write_bundle(tmp_path / "b")
    code, out, _ = run("table", str(folder), "--indicator", "SBQ", "--year", "2023", "--format", "csv-de")
    assert code == 0
    assert out.startswith("\ufeffTabelle;Rangtabelle ")
    meta, rows = split_csv_de(out)
    assert meta["Jahr"] == "2023" and meta["Indikator"].endswith("(SBQ)")
    assert ";".join(rows[0]).startswith("ID;Name;Kommune;Wert (%);Rang")
    assert "," in rows[1][3]  # decimal comma


def test_cli007_xlsx_needs_out_and_writes_a_workbook(tmp_path):
    folder = write_bundle(tmp_path / "b")
    code, _, err = run("table", str(folder), "--indicator", "SBQ", "--year", "2023", "--format", "xlsx")
    assert code == 2 and "--out" in err
    target = tmp_path / "t.xlsx"
    code, _, _ = run("table", str(folder), "--indicator", "SBQ", "--year", "2023", "--format", "xlsx",
                     "--out", str(target))
    assert code == 0
    assert len(pd.read_excel(target)) == 6


def test_cli008_table_shows_symbol_never_the_suppressed_value(tmp_path):
    spec = make_spec()
    folder = write_bundle(tmp_path / "b", spec)
    # HZE numerators are 2 + i + t: in 2021 the first area has 2 cases, below min_count 3.
    raw = spec.values[(spec.values.indicator_id == "HZE") & (spec.values.year == 2021)].set_index("area_id")
    small = raw[raw["numerator"] < 3]
    assert not small.empty
    for fmt in ("csv", "csv-de"):
        code, out, _ = run("table", str(folder), "--indicator", "HZE", "--year", "2021", "--format", fmt)
        assert code == 0
        lines = {line.split(";" if fmt == "csv-de" else ",")[0].lstrip("\ufeff"): line for line in out.splitlines()}
        for area_id, row in small.iterrows():
            line = lines[area_id]
            assert "•" in line
            assert f"{row['value']:.2f}".replace(".", ",") not in line and str(row["value"]) not in line


def test_cli009_demo_table_municipality_level(tmp_path):
    code, out, err = run("table", str(DEMO_DIR), "--indicator", "SO01", "--year", "2024", "--level", "municipality")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == 10
    assert table["rank"].tolist() == sorted(table["rank"].tolist())


def test_cli010_closed_pipe_gives_no_traceback():
    # The read end is closed before the CLI has loaded the bundle, so its first write gets EPIPE.
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "table", str(DEMO_DIR), "--indicator", "SD01", "--year", "2024"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err.decode()
    assert "BrokenPipe" not in err.decode()


def test_cli011_xlsx_has_formats_frozen_header_filter_and_metadata(tmp_path):
    folder = write_bundle(tmp_path / "b")
    target = tmp_path / "t.xlsx"
    code, _, _ = run("table", str(folder), "--indicator", "SBQ", "--year", "2023", "--format", "xlsx",
                     "--level", "municipality", "--out", str(target))
    assert code == 0
    book = openpyxl.load_workbook(target)
    sheet = book["Tabelle"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}3"
    header = [c.value for c in sheet[1]]
    decimals = int(pd.read_csv(folder / "indicators.csv").set_index("indicator_id").loc["SBQ", "decimals"])
    value = sheet.cell(2, header.index("Wert (%)") + 1)
    assert isinstance(value.value, float) and value.number_format == "#,##0" + ("." + "0" * decimals if decimals else "")
    meta = dict(list(book["Metadaten"].iter_rows(values_only=True))[1:])
    assert meta["Jahr"] == "2023" and meta["Auswahl"] == "alle 2 Kommunen" and "Mindestfallzahl" in meta["Datenschutz"]


def test_cli012_plain_csv_out_gets_a_metadata_side_file_and_stays_a_bare_table(tmp_path):
    folder = write_bundle(tmp_path / "b")
    target = tmp_path / "sbq.csv"
    code, _, err = run("table", str(folder), "--indicator", "SBQ", "--year", "2023", "--out", str(target))
    assert code == 0
    side = tmp_path / "sbq_Metadaten.txt"
    assert str(side) in err
    table = pd.read_csv(target)
    assert list(table.columns[:2]) == ["unit_id", "name"] and len(table) == 6
    lines = side.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Tabelle: Rangtabelle ") and "Jahr: 2023" in lines
    assert any(line.startswith("Datenschutz: Werte, die auf 1 oder 2 Fällen beruhen") for line in lines)
    assert any(line.startswith("Abgerufen am: ") for line in lines)


@pytest.mark.parametrize("fmt", ["csv", "csv-de", "xlsx"])
def test_cli013_region_level_never_shows_the_internal_id(tmp_path, fmt):
    folder = write_bundle(tmp_path / "b")
    target = tmp_path / f"r.{fmt}"
    code, _, _ = run("table", str(folder), "--indicator", "SBQ", "--year", "2023", "--level", "region",
                     "--format", fmt, "--out", str(target))
    assert code == 0
    data = target.read_bytes()
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            data = b"".join(book.read(n) for n in book.namelist())
    assert b"__region__" not in data


def test_cli014_check_lists_linked_counts_and_sums():
    code, out, _ = run("check", str(DEMO_DIR))
    assert code == 0
    assert "Gemeinsam geschützte Anzahlen: 11 Gruppe(n)" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("EW_65PLUS"))
    assert all(s in line for s in ("Zähler SD04", "Nenner BH02", "Nenner GE06", "Nenner SO10"))
    assert "Summe: EW = EW_U18 + EW_18_64 + EW_65PLUS" in out
