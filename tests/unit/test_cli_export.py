"""``python -m dashboard export``: one file per indicator, German errors, exit codes as ``check``."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from dashboard.cli import main
from dashboard.prepared import load_published
from tests.conftest import ROOT
from tests.unit.bundle_factory import write_bundle

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return write_bundle(tmp_path_factory.mktemp("bundle") / "b")


def test_cex001_unknown_indicator_or_year_is_a_german_usage_error(bundle, tmp_path):
    code, _, err = run("export", str(bundle), "--indicator", "NOPE", "--year", "2022", "--out", str(tmp_path))
    assert code == 2 and "unbekannter Indikator „NOPE“" in err and "SGB2" in err and "Traceback" not in err
    code, _, err = run("export", str(bundle), "--indicator", "SGB2", "--year", "1999", "--out", str(tmp_path))
    assert code == 2 and "kein Jahr 1999" in err and "2021" in err
    assert list(tmp_path.iterdir()) == []


def test_cex002_bad_format_is_argparse_usage_exit_2(bundle, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "dashboard", "export", str(bundle), "--indicator", "all",
                           "--year", "2022", "--format", "gif", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "gif" in proc.stderr


def test_cex003_xlsx_for_all_writes_one_workbook_per_indicator_with_metadata(bundle, tmp_path):
    code, _, err = run("export", str(bundle), "--indicator", "all", "--year", "2022", "--format", "xlsx",
                       "--out", str(tmp_path / "out"))
    published = load_published(bundle)
    files = sorted((tmp_path / "out").iterdir())
    assert code == 0, err
    assert len(files) == len(published.catalogue.ids) and all(f.name.endswith("_2022_Tabelle.xlsx") for f in files)
    with zipfile.ZipFile(files[0]) as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert workbook.count("<sheet ") >= 2  # the table and the metadata sheet
    assert f"{len(files)} Datei(en) geschrieben" in err


@needs_chromium
def test_cex004_png_for_all_writes_one_slide_image_per_indicator(bundle, tmp_path):
    code, _, err = run("export", str(bundle), "--indicator", "all", "--year", "2022", "--format", "png",
                       "--out", str(tmp_path))
    files = sorted(tmp_path.glob("*.png"))
    assert code == 0, err
    assert len(files) == len(load_published(bundle).catalogue.ids)
    assert all(f.name.endswith("_2022_Karte.png") for f in files)
    assert {Image.open(f).size for f in files} == {(1920, 1080)}


@needs_chromium
def test_cex005_one_deck_to_a_named_file_with_a_view(bundle, tmp_path):
    target = tmp_path / "bericht.pptx"
    code, _, err = run("export", str(bundle), "--indicator", "SGB2", "--year", "2022", "--format", "pptx",
                       "--view", "?areas=05334002-02", "--out", str(target))
    assert code == 0, err
    from pptx import Presentation

    titles = [s.shapes.title.text for s in Presentation(str(target)).slides if s.shapes.title is not None]
    assert "Profil: Burtscheid (Aachen)" in titles and titles[-1].startswith("Quellen")


@needs_chromium
def test_cex006_profile_chart_writes_one_image_per_selected_area_and_theme(bundle, tmp_path):
    published = load_published(bundle)
    areas = sorted(str(a) for a in published.areas["area_id"])[:2]
    code, _, err = run("export", str(bundle), "--indicator", "all", "--year", "2022", "--format", "png",
                       "--chart", "profile", "--view", f"?areas={','.join(areas)}", "--out", str(tmp_path / "p"))
    assert code == 0, err
    files = sorted((tmp_path / "p").glob("*.png"))
    themes = set(published.catalogue.themes)
    assert len(files) == len(areas) * len(themes)
    assert all(f.name.startswith("Sozialraumprofil_") and "_2022_" in f.name for f in files)
    assert {Image.open(f).size for f in files} == {(1920, 1080)}
    code, _, err = run("export", str(bundle), "--indicator", "all", "--year", "2022", "--format", "png",
                       "--chart", "profile", "--out", str(tmp_path / "none"))
    assert code == 2 and "braucht ausgewählte Sozialräume" in err and not (tmp_path / "none").exists()
