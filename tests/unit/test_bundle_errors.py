"""Each defect of issue 2 section 3 gives a BundleError whose problem names file, row, column, value."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, Polygon

from dashboard.bundle import BundleError, load_bundle
from dashboard.problems import Problem
from tests.unit.bundle_factory import (
    CSV_DE,
    SHAPE_FIELDS,
    csv_rows,
    make_spec,
    set_cell,
    toml_text,
    value_row,
    write_bundle,
    write_rows,
)


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    return list(info.value.problems)


def find(problems: list[Problem], *parts: str) -> Problem:
    """The one error whose text contains every part (a helpful failure lists them all)."""
    hits = [p for p in problems if p.severity == "error" and all(part in str(p) for part in parts)]
    assert hits, "no error with " + repr(parts) + " in:\n" + "\n".join(str(p) for p in problems)
    return hits[0]


SPEC = make_spec()
ROW_SGB2 = value_row(SPEC, "05334002-02", "SGB2", 2022)


def _edit_values(row: int, column: str, text: str) -> Callable[[Path], None]:
    return lambda folder: set_cell(folder / "values.csv", row, column, text)


def _edit_indicators(row: int, column: str, text: str) -> Callable[[Path], None]:
    return lambda folder: set_cell(folder / "indicators.csv", row, column, text)


def _duplicate_value_row(folder: Path) -> None:
    rows = csv_rows(folder / "values.csv")
    write_rows(folder / "values.csv", rows + [rows[ROW_SGB2 - 1]])


def _unknown_area(folder: Path) -> None:
    rows = csv_rows(folder / "values.csv")
    for r in (5, 9, 12):
        rows[r - 1][0] = "05334099-01"
    write_rows(folder / "values.csv", rows)


def _drop_column(name: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        rows = csv_rows(folder / "values.csv")
        i = rows[0].index(name)
        write_rows(folder / "values.csv", [r[:i] + r[i + 1:] for r in rows])
    return edit


def _empty_file(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(b"")


def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _second_values_file(folder: Path) -> None:
    (folder / "values.xlsx").write_bytes(b"")


n = len(SPEC.values) + 2  # first row after the data
CASES = {
    # code: (edit, parts of str(problem) that must appear)
    "bne001-missing-values-file": (_remove("values.csv"), ["values.csv", "fehlt"]),
    "bne002-ambiguous-values-file": (_second_values_file, ["values.csv", "values.xlsx", "mehrdeutig"]),
    "bne003-missing-column": (_drop_column("year"), ["values.csv", "Spalte „year“", "fehlt",
                                                     "vorhandene Spalten", "„area_id“"]),
    "bne004-empty-file": (_empty_file("indicators.csv"), ["indicators.csv", "leer"]),
    "bne005-bad-number": (_edit_values(ROW_SGB2, "value", "12,5x"),
                          ["values.csv", f"Zeile {ROW_SGB2}", "Spalte „value“", "„12,5x“", "keine gültige Zahl"]),
    "bne006-bad-year": (_edit_values(ROW_SGB2, "year", "22"),
                        ["values.csv", f"Zeile {ROW_SGB2}", "Spalte „year“", "„22“", "Jahr fehlt oder ist ungültig"]),
    "bne007-year-out-of-range": (_edit_values(ROW_SGB2, "year", "2202"), [f"Zeile {ROW_SGB2}", "„2202“", "Jahr"]),
    "bne008-duplicate-value-row": (_duplicate_value_row,
                                   ["values.csv", f"Zeile {n}", "05334002-02 / SGB2 / 2022", "doppelt",
                                    f"auch Zeile {ROW_SGB2}"]),
    "bne009-unknown-area": (_unknown_area, ["values.csv", "Zeile 5", "Spalte „area_id“", "„05334099-01“",
                                            "unbekannter Sozialraum", "3 Zeilen"]),
    "bne010-unknown-indicator": (_edit_values(ROW_SGB2, "indicator_id", "SGB3"),
                                 ["values.csv", f"Zeile {ROW_SGB2}", "Spalte „indicator_id“", "„SGB3“",
                                  "unbekannter Indikator"]),
    "bne011-numerator-greater-than-denominator": (_edit_values(ROW_SGB2, "numerator", "99999"),
                                                  ["values.csv", f"Zeile {ROW_SGB2}", "Spalte „numerator“",
                                                   "„99999“", "Zähler ist größer als Nenner"]),
    "bne012-negative-count": (_edit_values(ROW_SGB2, "denominator", "-5"),
                              [f"Zeile {ROW_SGB2}", "Spalte „denominator“", "„-5“", "negative Anzahl"]),
    "bne013-zero-denominator": (_edit_values(ROW_SGB2, "denominator", "0"),
                                [f"Zeile {ROW_SGB2}", "Spalte „denominator“", "„0“", "Nenner ist 0"]),
    "bne014-unknown-theme": (_edit_indicators(3, "theme", "Sozialökonomie"),
                             ["indicators.csv", "Zeile 3", "Spalte „theme“", "„Sozialökonomie“", "unbekanntes Thema"]),
    "bne015-duplicate-indicator": (_edit_indicators(4, "indicator_id", "SGB2"),
                                   ["indicators.csv", "Zeile 4", "„SGB2“", "doppelt", "auch Zeile 3"]),
    "bne016-bad-polarity": (_edit_indicators(3, "polarity", "hoch"),
                            ["indicators.csv", "Zeile 3", "Spalte „polarity“", "„hoch“", "Polarität"]),
    "bne017-empty-required-field": (_edit_indicators(5, "unit", ""),
                                    ["indicators.csv", "Zeile 5", "Spalte „unit“", "Pflichtfeld ist leer"]),
    "bne018-bad-aggregation": (_edit_indicators(2, "aggregation", "mittel"),
                               ["indicators.csv", "Zeile 2", "Spalte „aggregation“", "„mittel“", "Aggregation"]),
    "bne019-bad-decimals": (_edit_indicators(2, "decimals", "1,5"),
                            ["indicators.csv", "Zeile 2", "Spalte „decimals“", "„1,5“", "Nachkommastellen"]),
    "bne020-missing-area-id": (_edit_values(ROW_SGB2, "area_id", ""),
                               ["values.csv", f"Zeile {ROW_SGB2}", "Spalte „area_id“", "Sozialraum-ID fehlt"]),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bne_value_and_catalogue_errors(tmp_path: Path, case: str) -> None:
    folder = write_bundle(tmp_path / "b")
    edit, parts = CASES[case]
    edit(folder)
    find(problems_of(folder), *parts)


def test_bne021_german_file_reports_the_cell_as_written(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", values=CSV_DE)
    set_cell(folder / "values.csv", ROW_SGB2, "value", "1.23,4")
    find(problems_of(folder), "values.csv", f"Zeile {ROW_SGB2}", "„1.23,4“", "keine gültige Zahl")


def test_bne022_title_rows_shift_the_reported_row(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = csv_rows(folder / "values.csv")
    rows[1][3] = "zwölf"  # first data row
    write_rows(folder / "values.csv", [["Sozialraumdaten 2023", "", "", "", "", ""], [""] * 6] + rows)
    find(problems_of(folder), "values.csv", "Zeile 4", "„zwölf“")


def test_bne023_mapped_column_missing_names_the_mapping(tmp_path: Path) -> None:
    spec = make_spec()
    spec.config["columns"] = {"values": {"year": "Jahr"}}
    folder = write_bundle(tmp_path / "b", spec)
    set_cell(folder / "values.csv", 1, "year", "Berichtsjahr")
    p = find(problems_of(folder), "values.csv", "Spalte „Jahr“", "[columns.values] year = „Jahr“")
    assert "„area_id“" in p.message  # lists what exists


def test_bne024_wide_format_unknown_indicator_column(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", wide_values=True)
    rows = csv_rows(folder / "values.csv")
    rows[0][rows[0].index("SBQ")] = "SBQ_alt"
    write_rows(folder / "values.csv", rows)
    find(problems_of(folder), "values.csv", "Zeile 1", "Spalte „SBQ_alt“", "unbekannter Indikator")


def test_bne025_missing_sheet_lists_existing_sheets(tmp_path: Path) -> None:
    from tests.unit.bundle_factory import TableFormat

    spec = make_spec()
    folder = write_bundle(tmp_path / "b", spec, values=TableFormat(kind="xlsx", sheet="Werte"))
    spec.config["sheets"] = {"values": "Daten"}
    (folder / "bundle.toml").write_text(toml_text(spec.config), encoding="utf-8")
    find(problems_of(folder), "values.xlsx", "„Daten“", "Tabellenblatt fehlt", "„Werte“", "„Hinweise“")


@pytest.mark.parametrize("name, content", [
    ("values.xlsx", b"PK\x03\x04 this is not really a zip"),
    ("values.parquet", b"\x00\x01garbage"),
    ("values.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("areas.geojson", b"{ not json"),
    ("areas.gpkg", b"SQLite format 3\x00 broken"),
])
def test_bne026_corrupt_files_are_problems_not_tracebacks(tmp_path: Path, name: str, content: bytes) -> None:
    folder = write_bundle(tmp_path / "b")
    stem = name.split(".")[0]
    for old in folder.glob(f"{stem}.*"):
        old.unlink()
    (folder / name).write_bytes(content)
    find(problems_of(folder), name, "Datei kann nicht gelesen werden")


def test_bne027_errors_in_every_file_are_reported_together(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    set_cell(folder / "values.csv", ROW_SGB2, "value", "abc")
    set_cell(folder / "indicators.csv", 3, "polarity", "hoch")
    (folder / "bundle.toml").write_text('title = "x"\n[privacy]\nmin_count = 0\n', encoding="utf-8")
    problems = problems_of(folder)
    find(problems, "values.csv", "„abc“")
    find(problems, "indicators.csv", "„hoch“")
    find(problems, "bundle.toml", "privacy.min_count")


def test_bne028_a_broken_bundle_never_returns(tmp_path: Path) -> None:
    """All-or-nothing: one bad cell among 90 rows and the loader returns nothing at all."""
    folder = write_bundle(tmp_path / "b")
    set_cell(folder / "values.csv", n - 1, "value", "?")
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    assert len(info.value.errors) == 1
    assert "1 Fehler" in str(info.value)
    assert info.value.report().startswith("Fehler: values.csv")


def test_bne029_many_bad_cells_are_capped_with_a_summary(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b")
    rows = csv_rows(folder / "values.csv")
    for r in rows[1:]:
        r[3] = "n.v."
    write_rows(folder / "values.csv", rows)
    problems = [p for p in problems_of(folder) if "keine gültige Zahl" in p.message]
    assert len(problems) == 11
    assert "und 80 weitere Zeile(n)" in problems[-1].message


# --------------------------------------------------------------------------- geometry

def _areas_with(tmp_path: Path, index: int, geometry) -> Path:
    spec = make_spec()
    spec.areas.loc[index, "geometry"] = geometry
    folder = write_bundle(tmp_path / "b", spec, areas="gpkg")
    return folder


def test_bng001_projected_coordinates_without_crs(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", areas="shp")
    (folder / "areas.prj").unlink()
    find(problems_of(folder), "areas.shp", "projizierte Koordinaten ohne Koordinatenbezugssystem", ".prj fehlt")


def test_bng002_self_intersection_is_repaired_with_a_warning(tmp_path: Path) -> None:
    bowtie = Polygon([(6.11, 50.75), (6.13, 50.76), (6.13, 50.75), (6.11, 50.76)])
    folder = _areas_with(tmp_path, 3, bowtie)
    bundle = load_bundle(folder)
    warning = next(w for w in bundle.warnings if "Geometrie repariert" in str(w))
    assert "areas.gpkg" in str(warning) and "Objekt 4 (area_id 05334036-01)" in str(warning)
    assert "Self-intersection" in str(warning)
    geom = bundle.areas.set_index("area_id").geometry["05334036-01"]
    assert geom.is_valid and geom.geom_type == "MultiPolygon"


def test_bng003_unrepairable_geometry_is_an_error(tmp_path: Path) -> None:
    flat = Polygon([(6.11, 50.75), (6.12, 50.75), (6.13, 50.75), (6.11, 50.75)])  # zero area
    folder = _areas_with(tmp_path, 3, flat)
    find(problems_of(folder), "areas.gpkg", "Objekt 4 (area_id 05334036-01)", "nicht reparierbar")


def test_bng004_line_geometry_is_an_error(tmp_path: Path) -> None:
    spec = make_spec()
    spec.areas = spec.areas.set_geometry(list(spec.areas.geometry[:5]) + [LineString([(6, 50), (6.1, 50.1)])])
    folder = write_bundle(tmp_path / "b", spec, areas="geojson")
    find(problems_of(folder), "areas.geojson", "Objekt 6 (area_id 05334036-03)", "„LineString“",
         "nur Polygon oder MultiPolygon")


def test_bng005_empty_geometry_is_an_error(tmp_path: Path) -> None:
    folder = _areas_with(tmp_path, 1, None)
    find(problems_of(folder), "areas.gpkg", "Objekt 2 (area_id 05334002-02)", "Geometrie fehlt oder ist leer")


def test_bng006_duplicate_area_id_names_both_features(tmp_path: Path) -> None:
    spec = make_spec()
    spec.areas.loc[4, "area_id"] = "05334002-02"
    folder = write_bundle(tmp_path / "b", spec, areas="shp")
    find(problems_of(folder), "areas.shp", "Objekt 5 (area_id 05334002-02)", "Spalte „SR_ID“",
         "Sozialraum-ID kommt doppelt vor (auch Objekt 2)")


def test_bng007_municipality_with_two_names(tmp_path: Path) -> None:
    spec = make_spec()
    spec.areas.loc[2, "municipality_name"] = "Stadt Aachen"
    folder = write_bundle(tmp_path / "b", spec)
    find(problems_of(folder), "areas.geojson", "Objekt 3", "„Stadt Aachen“", "05334002", "verschiedene Namen")


def test_bng008_missing_area_field_lists_fields(tmp_path: Path) -> None:
    spec = make_spec()
    spec.config["columns"] = {"areas": {"area_name": "NAME"}}
    spec.areas = spec.areas.rename(columns={"area_name": "BEZ_NAME"})
    folder = write_bundle(tmp_path / "b", spec)
    find(problems_of(folder), "areas.geojson", "Spalte „NAME“", "[columns.areas] area_name = „NAME“",
         "„area_id“")


def test_bng009_z_coordinates_are_dropped(tmp_path: Path) -> None:
    spec = make_spec()
    spec.areas.geometry = shapely.force_3d(spec.areas.geometry.array, 100.0)
    bundle = load_bundle(write_bundle(tmp_path / "b", spec, areas="gpkg"))
    assert not bundle.areas.geometry.has_z.any()


def test_bng010_shapefile_sidecar_missing(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", areas="shp")
    (folder / "areas.dbf").unlink()
    find(problems_of(folder), "areas.shp", "„areas.dbf“", "fehlt")


def test_bng011_empty_area_name(tmp_path: Path) -> None:
    spec = make_spec()
    spec.areas.loc[0, "area_name"] = " "
    folder = write_bundle(tmp_path / "b", spec, areas="shp")
    find(problems_of(folder), "areas.shp", "Objekt 1 (area_id 05334002-01)", f"Spalte „{SHAPE_FIELDS['area_name']}“",
         "Name des Sozialraums fehlt")
