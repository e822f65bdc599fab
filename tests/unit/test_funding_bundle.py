"""Reading and checking ``antraege.csv|xlsx`` and ``foerderung.toml``: the loader's rules and messages."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from dashboard.bundle import load_bundle
from dashboard.bundle.applications import load_applications
from dashboard.bundle.fundingfile import read_funding_config
from dashboard.bundle.problems import ProblemList
from dashboard.demo.applications import HEADER, INVALID_ROWS, applications_csv
from dashboard.funding import FundingConfig
from dashboard.problems import BundleError
from tests.conftest import DEMO_DIR

AREAS = pd.DataFrame({
    "area_id": ["05334002-10", "05334002-13", "05334004-01"],
    "area_name": ["Markt", "Theater", "Mitte"],
    "municipality_id": ["05334002", "05334002", "05334004"],
    "municipality_name": ["Aachen", "Aachen", "Alsdorf"],
})
NEEDS = (SimpleNamespace(need_id="kinderarmut", name="Kinder- und Familienarmut"),
         SimpleNamespace(need_id="integration", name="Integration"),
         SimpleNamespace(need_id="aeltere", name="Teilhabe Älterer"),
         SimpleNamespace(need_id="kumuliert", name="Kumulierte Benachteiligung"))
GOOD = ["A-1", "Sprachcafé", "Initiative Brücke", "Caritas", "freiwillige Mittel", "05334002-10; 05334002-13",
        "integration, Kinder- und Familienarmut", "1.250,50", "2024", "bewilligt", "1.000"]


def write(folder: Path, rows: list[list[str]], sep: str = ";", encoding: str = "utf-8", name: str = "antraege.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows([HEADER, *rows])
    (folder / name).write_bytes(buf.getvalue().encode(encoding))


def load(folder: Path, config: FundingConfig | None = None) -> tuple[pd.DataFrame | None, ProblemList]:
    problems = ProblemList()
    return load_applications(folder, AREAS, NEEDS, config or FundingConfig(), problems), problems


def test_absent_file_is_fine(tmp_path):
    frame, problems = load(tmp_path)
    assert frame is None and not problems


def test_good_row_cp1252_decimal_comma_lists(tmp_path):
    write(tmp_path, [GOOD, ["A-2", "Fest", "Verein", "", "sozialraumprojekt", "Alsdorf", "kumuliert", "800", "2023",
                            "Beantragt", ""]], encoding="cp1252")
    frame, problems = load(tmp_path)
    assert not problems.has_errors, problems
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["requested"] == 1250.5 and first["awarded"] == 1000.0
    assert first["areas"] == ("05334002-10", "05334002-13")
    assert first["fields"] == ("integration", "kinderarmut") and first["applicant"] == "Initiative Brücke"
    assert second["programme"] == "Sozialraumprojekt" and second["status"] == "beantragt"
    assert second["areas"] == ("05334004-01",) and second["municipality_id"] == "05334004"  # a whole municipality
    assert first["row"] == 2 and second["row"] == 3


def test_thousands_dot_without_decimals_is_german(tmp_path):
    write(tmp_path, [[*GOOD[:7], "24.500", "2024", "bewilligt", "20.000"]])
    frame, _ = load(tmp_path)
    assert frame.iloc[0]["requested"] == 24500 and frame.iloc[0]["awarded"] == 20000


def test_comma_separated_file_is_sniffed(tmp_path):
    row = ["A-1", "Sprachcafé", "Initiative", "", "Sozialraumprojekt", "05334002-10; 05334002-13", "integration",
           "800", "2024", "beantragt", ""]
    write(tmp_path, [row], sep=",")
    frame, problems = load(tmp_path)
    assert not problems.has_errors, problems
    assert frame.iloc[0]["areas"] == ("05334002-10", "05334002-13")


@pytest.mark.parametrize(("key", "column", "value", "message"), [
    ("unknown_area", "sozialraeume", "05334002-99", "unbekannter Sozialraum"),
    ("unknown_field", "felder", "kultur", "unbekanntes Feld des Gestaltungsbedarfs"),
    ("negative", "beantragt", "-200", "nicht negativ"),
    ("over_limit", "beantragt", "1.500", "Höchstbetrag des Programms „Sozialraumprojekt“ (1.000 €)"),
    ("bad_status", "status", "genehmigt", "unbekannter Status"),
    ("bad_year", "jahr", "24", "vierstellige Zahl"),
    ("bad_programme", "programm", "Landesmittel", "unbekanntes Programm"),
])
def test_invalid_rows(tmp_path, key, column, value, message):
    write(tmp_path, [GOOD, INVALID_ROWS[key]])
    frame, problems = load(tmp_path)
    assert frame is None  # all or nothing
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, errors
    assert errors[0].file == "antraege.csv" and errors[0].row == 3 and errors[0].column == column
    assert errors[0].value == value and message in errors[0].message


def test_duplicate_id_names_both_rows(tmp_path):
    write(tmp_path, [GOOD, GOOD])
    frame, problems = load(tmp_path)
    assert frame is None
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.row == 3 and error.column == "antrag_id" and "auch Zeile 2" in error.message


def test_configured_limit_and_awarded_checks(tmp_path):
    config = FundingConfig(programmes={**FundingConfig().programmes,
                                       "freiwillige Mittel": FundingConfig().programmes["freiwillige Mittel"].__class__(
                                           "freiwillige Mittel", 1000.0)})
    write(tmp_path, [GOOD, ["A-3", "T", "V", "", "freiwillige Mittel", "05334002-10", "integration", "500", "2024",
                            "abgelehnt", "200"]])
    frame, problems = load(tmp_path, config)
    messages = {(p.row, p.column): p.message for p in problems if p.severity == "error"}
    assert "Höchstbetrag" in messages[(2, "beantragt")]
    assert "nicht bewilligt" in messages[(3, "bewilligt")]


def test_awarded_missing_is_a_warning_and_takes_requested(tmp_path):
    write(tmp_path, [[*GOOD[:10], ""]])
    frame, problems = load(tmp_path)
    assert frame.iloc[0]["awarded"] == 1250.5
    assert [p.severity for p in problems] == ["warning"]


def test_missing_column_is_named(tmp_path):
    (tmp_path / "antraege.csv").write_text("antrag_id;titel\nA-1;X\n", encoding="utf-8")
    frame, problems = load(tmp_path)
    assert frame is None and any(p.column == "programm" and "Spalte fehlt" in p.message for p in problems)


def test_formula_text_is_a_warning(tmp_path):
    write(tmp_path, [[GOOD[0], "=HYPERLINK(\"x\")", *GOOD[2:]]])
    frame, problems = load(tmp_path)
    assert frame is not None and any(p.column == "titel" and p.severity == "warning" for p in problems)


def test_xlsx_is_read(tmp_path):
    frame = pd.DataFrame([GOOD], columns=HEADER)
    frame["beantragt"] = [1250.5]
    frame.to_excel(tmp_path / "antraege.xlsx", index=False)
    loaded, problems = load(tmp_path)
    assert not problems.has_errors, problems
    assert loaded.iloc[0]["requested"] == 1250.5 and loaded.iloc[0]["year"] == 2024


def test_funding_toml_errors_name_the_key(tmp_path):
    (tmp_path / "foerderung.toml").write_text(
        '[weights]\nfit = -1\nluck = 3\n[need]\nindex = "nope"\n[programmes."Sozialraumprojekt"]\nlimit = "viel"\n'
        '[rules]\nperiod_years = 0\n', encoding="utf-8")
    problems = ProblemList()
    read_funding_config(tmp_path, {"sozialindex"}, problems)
    keys = {p.column for p in problems if p.severity == "error"}
    assert keys == {"weights.fit", "weights.luck", "need.index", "programmes.Sozialraumprojekt.limit",
                    "rules.period_years"}


def test_funding_toml_values(tmp_path):
    (tmp_path / "foerderung.toml").write_text(
        '[weights]\nfit = 50\n[need]\nfull_reach = 2000\n[programmes."Sozialraumprojekt"]\nlimit = 750\n'
        '[rules]\none_per_applicant = false\nperiod_years = 3\n', encoding="utf-8")
    problems = ProblemList()
    config = read_funding_config(tmp_path, {"sozialindex"}, problems)
    assert not problems
    assert config.weight("fit") == 50 and config.weight("reach") == 10  # others keep their defaults
    assert config.full_reach == 2000 and config.limit("Sozialraumprojekt") == 750
    assert not config.one_per_applicant and config.period_years == 3


@pytest.fixture(scope="module")
def broken_demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "bundle"
    shutil.copytree(DEMO_DIR, folder)
    import geopandas as gpd

    areas = gpd.read_file(folder / "areas.geojson")
    (folder / "antraege.csv").write_text(applications_csv(areas, list(INVALID_ROWS.values())), encoding="utf-8")
    return folder


def test_demo_with_invalid_rows_fails_as_a_whole(broken_demo):
    with pytest.raises(BundleError) as info:
        load_bundle(broken_demo)
    errors = [p for p in info.value.errors if p.file == "antraege.csv"]
    assert len(errors) == len(INVALID_ROWS)
    assert all(p.row is not None and p.column and p.value for p in errors)
    assert "antraege.csv, Zeile" in info.value.report()
