"""``python -m dashboard foerderung DIR --year YYYY``: the ranked list of the demo's applications."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.funding import PARTS
from tests.conftest import DEMO_DIR
from tests.unit.bundle_factory import make_spec, write_bundle


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def plain() -> tuple[int, str, str]:
    return run("foerderung", str(DEMO_DIR), "--year", "2024")


def test_plain_csv_is_ranked_and_scores_add_up(plain):
    code, out, err = plain
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    demo = pd.read_csv(DEMO_DIR / "antraege.csv", sep=";", skiprows=1, dtype=str)
    assert len(table) == (demo["jahr"] == "2024").sum()
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    assert (table[list(PARTS)].sum(axis=1) - table["score"]).abs().max() < 0.06
    eligible = table["eligible"].astype(str) == "True"
    assert eligible.iloc[: eligible.sum()].all()  # eligible applications first
    for block in (table[eligible], table[~eligible]):
        assert block["score"].is_monotonic_decreasing
    assert table["fit_reason"].str.contains("Zielräumen mit Gestaltungsbedarf").all()
    assert "Bedarfsdeckung" in err and "Kommune" in err and "Wohlfahrtsverband" in err


def test_csv_de_and_xlsx(tmp_path):
    code, out, _ = run("foerderung", str(DEMO_DIR), "--year", "2023", "--format", "csv-de")
    assert code == 0
    header = out.lstrip("\ufeff").splitlines()[0].split(";")
    assert header[:3] == ["Rang", "Antrag", "Titel"] and "Begründung Passung" in header
    target = tmp_path / "liste.xlsx"
    code, _, err = run("foerderung", str(DEMO_DIR), "--year", "2024", "--format", "xlsx", "--out", str(target))
    assert code == 0 and "Zeilen geschrieben" in err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Rangliste"] and book["Rangliste"]["A1"].value == "Rang"


def test_unknown_year_and_bundle_without_applications(tmp_path):
    code, _, err = run("foerderung", str(DEMO_DIR), "--year", "2019")
    assert code == 2 and "keine Anträge für 2019" in err and "2022, 2023, 2024" in err
    folder = write_bundle(tmp_path / "b", make_spec())
    code, _, err = run("foerderung", str(folder), "--year", "2024")
    assert code == 2 and "enthält keine Anträge" in err
