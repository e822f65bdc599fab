"""The Sozialraumprofil as an image (PNG, SVG, PDF): canvas size, vector text and paths, type
sizes, file names, German errors, and data protection (a hidden value is the symbol, never a
number; two bundles that differ only in hidden values give the same files).

Rendering needs Debian's chromium (kaleido finds it on PATH); those tests are skipped without it.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import unicodedata
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from dashboard.charts.canvas import A4_PORTRAIT, HALF_SLIDE, SLIDE
from dashboard.charts.profile_chart import profile_figure, spread_of
from dashboard.exports.images import ExportError
from dashboard.exports.profile_image import profile_chart_data, profile_image_name, profile_theme, render_profile
from dashboard.prepared import Prepared, load_prepared, prepare
from dashboard.profile import IndexRow, NeedRow, Shown
from dashboard.publish import publish
from dashboard.texts import DEMO_NOTE, caption_text, short_caption
from tests.conftest import DEMO_DIR, make_tiny_bundle
from tests.unit.test_exports_deck import _variant

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo() -> Prepared:
    return load_prepared(DEMO_DIR)


@pytest.fixture(scope="module")
def tiny() -> Prepared:
    return prepare(publish(make_tiny_bundle()))


def _texts(figure: dict) -> list[str]:
    return [a["text"] for a in figure["layout"]["annotations"]]


def _svg_texts(svg: bytes) -> str:
    return " ".join("".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text"))


# --- the figure (no browser) ----------------------------------------------------------------------

def test_pim001_slide_figure_has_title_theme_rows_and_readable_type(demo):
    area = demo.geometry.area_ids[5]
    data = profile_chart_data(demo, area, 2024, "Sozioökonomie")
    figure = profile_figure(data, demo.geometry, SLIDE)
    layout = figure["layout"]
    assert layout["title"]["text"] == f"<b>Sozialraumprofil {demo.area_name(area)}</b>"
    assert layout["title"]["font"]["size"] >= 28 and layout["font"]["size"] >= 18
    sizes = [a["font"]["size"] for a in layout["annotations"]]
    assert min(sizes) >= 18, min(sizes)
    texts = " ".join(_texts(figure))
    for row in data.theme.rows:  # every indicator of the theme with the area's value
        assert row.area.text in texts
    assert "Thema Sozioökonomie" in texts and "Indizes" in texts and "Gestaltungsbedarfe" in texts
    assert "DEMODATEN" in texts
    locator = [t for t in figure["data"] if t["name"] == "Lage: Sozialraum"]
    assert locator and locator[0]["fill"] == "toself"
    assert texts.count("Demodaten") == 1 + texts.count("(Demodaten)")  # the note is not added twice


def test_pim002_theme_falls_back_to_the_default_indicators_theme_and_unknown_area_is_german(demo):
    assert profile_theme(demo, "Sozioökonomie") == "Sozioökonomie"
    assert profile_theme(demo, "<script>") == demo.catalogue[demo.choices.default_indicator].theme
    assert profile_theme(demo, ["x"]) == profile_theme(demo, None)
    with pytest.raises(ExportError, match="Einen Sozialraum mit der ID „nope“"):
        profile_chart_data(demo, "nope")
    with pytest.raises(ExportError, match="Sozialraum"):
        profile_chart_data(demo, None)  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="Bildformat"):
        render_profile(demo, demo.geometry.area_ids[0], "gif")


def test_pim003_file_name_says_area_year_and_theme_in_safe_characters(tiny, demo):
    data = profile_chart_data(tiny, "A3", 2022, "Sozioökonomie")
    assert profile_image_name(data, "png") == "Sozialraumprofil_Süd_2022_Sozioökonomie.png"
    slash = [a for a in demo.geometry.area_ids if "/" in demo.area_name(a)][0]
    name = profile_image_name(profile_chart_data(demo, slash, 2024, "Wohnen"), "pdf")
    assert "/" not in name and name.startswith("Sozialraumprofil_") and name.endswith("_2024_Wohnen.pdf")


def test_pim004_hidden_value_is_the_symbol_and_no_dot(tiny):
    data = profile_chart_data(tiny, "A3", 2022, "Sozioökonomie")
    (row,) = data.theme.rows
    assert row.area.hidden
    figure = profile_figure(data, tiny.geometry, SLIDE)
    texts = _texts(figure)
    assert "<b>•</b>" in texts  # the area's value cell
    dots = [t for t in figure["data"] if t["name"] == "Sozialraum"]
    assert len(dots[0]["x"]) == 1  # only the legend's dot: no dot for the hidden value
    # The strip's spread is the published values only (the hidden ones are NaN there).
    matrix = tiny.matrix("SGB2")
    published = matrix.values[:, matrix.column(2022)]
    assert data.spreads["SGB2"] == spread_of(published)
    assert np.isnan(published).sum() >= 1


def test_pim005_hidden_index_class_and_need_show_the_symbol(tiny):
    data = profile_chart_data(tiny, "A1", 2023, "Sozioökonomie")
    profile = dataclasses.replace(
        data.profile,
        indices=(IndexRow("i", "Sozialindex", Shown(None, True, "•"), "•", "•", "x"),),
        needs=(NeedRow("n1", "Kinderarmut", "hidden", "•", (), "r"), NeedRow("n2", "Integration", "yes", "ja", (), "r")))
    figure = profile_figure(dataclasses.replace(data, profile=profile), tiny.geometry, SLIDE)
    texts = _texts(figure)
    assert "Sozialindex" in texts and "<b>•</b>" in texts and "•" in texts and "<b>ja</b>" in texts


@pytest.mark.parametrize("canvas", [SLIDE, HALF_SLIDE, A4_PORTRAIT], ids=lambda c: c.key)
def test_pim006_every_text_stays_inside_the_canvas(demo, canvas):
    import re

    area = max(demo.geometry.area_ids, key=lambda a: len(demo.area_name(a)))
    for theme in demo.catalogue.indicator_themes:
        layout = profile_figure(profile_chart_data(demo, area, 2024, theme), demo.geometry, canvas)["layout"]
        for note in layout["annotations"]:
            assert 0 <= note["x"] <= canvas.width and 0 <= note["y"] <= canvas.height, (theme, note["text"][:40])
            lines = [re.sub("<[^>]+>", "", t) for t in note["text"].split("<br>")]
            wide = max(len(t) for t in lines) * note["font"]["size"] * 0.5  # an average glyph is ~0.5 em
            left = {"left": note["x"], "right": note["x"] - wide, "center": note["x"] - wide / 2}[note["xanchor"]]
            assert left >= 0 and left + wide <= canvas.width, (canvas.key, theme, note["text"][:60])
        assert min(n["font"]["size"] for n in layout["annotations"]) >= min(18, canvas.caption_size), theme


def test_pim007_demo_note_is_added_once_and_only_where_no_part_says_it(tiny, demo):
    assert caption_text(tiny.published, "SGB2").endswith(DEMO_NOTE)  # attribution "Testdaten"
    assert caption_text(demo.published, "SO01").count("Demodaten") == 2  # the bundle's source and attribution
    assert DEMO_NOTE not in caption_text(demo.published, "SO01")
    assert DEMO_NOTE not in short_caption(demo.published, "SO01")  # its source says "(Demodaten)"
    real = prepare(publish(dataclasses.replace(make_tiny_bundle(), config=dataclasses.replace(
        make_tiny_bundle().config, synthetic=False))))
    assert "Demodaten" not in caption_text(real.published, "SGB2")


# --- rendered files ----------------------------------------------------------------------------------

@needs_chromium
@pytest.mark.parametrize("canvas", [SLIDE, A4_PORTRAIT], ids=lambda c: c.key)
def test_pim010_png_has_the_canvas_size_and_is_not_blank(demo, canvas):
    png, name = render_profile(demo, demo.geometry.area_ids[5], "png", 2024, "Wohnen", canvas)
    image = Image.open(io.BytesIO(png))
    assert image.size == (canvas.width, canvas.height)
    assert np.asarray(image.convert("L")).std() > 20
    assert name.endswith("_2024_Wohnen.png")


@needs_chromium
def test_pim011_svg_has_the_title_as_text_and_the_areas_as_paths(demo):
    area = demo.geometry.area_ids[5]
    svg, _ = render_profile(demo, area, "svg", 2024, "Sozioökonomie")
    root = ET.fromstring(svg)
    texts = _svg_texts(svg)
    assert f"Sozialraumprofil {demo.area_name(area)}" in texts and "SGB-II-Quote (%)" in texts
    filled = [p for p in root.iter(f"{SVG}path") if "fill" in (p.get("style") or "")
              and "fill: none" not in (p.get("style") or "") and len(p.get("d") or "") > 200]
    assert len(filled) >= 3  # area, its municipality, the rest of the region: vector paths
    assert not list(root.iter(f"{SVG}image"))


@needs_chromium
def test_pim012_pdf_has_a_page_with_extractable_title(demo):
    from pypdf import PdfReader

    area = demo.geometry.area_ids[5]
    pdf, name = render_profile(demo, area, "pdf", 2024, "Gesundheit")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = unicodedata.normalize("NFKC", reader.pages[0].extract_text())  # the "fi" ligature as two letters
    assert "Sozialraumprofil" in text and demo.area_name(area) in text and "Quellen" in text
    assert name.endswith("_2024_Gesundheit.pdf")


@needs_chromium
def test_pim013_no_profile_image_depends_on_a_hidden_value():
    from pypdf import PdfReader

    a, b = _variant(0), _variant(1)
    assert a.published.cells.equals(b.published.cells)  # precondition: the same published data
    for area in ("A1", "A3"):
        fig_a = profile_figure(profile_chart_data(a, area, 2022, "Sozioökonomie"), a.geometry)
        fig_b = profile_figure(profile_chart_data(b, area, 2022, "Sozioökonomie"), b.geometry)
        assert fig_a == fig_b
        svg_a, _ = render_profile(a, area, "svg", 2022, "Sozioökonomie")
        svg_b, _ = render_profile(b, area, "svg", 2022, "Sozioökonomie")
        assert _svg_texts(svg_a) == _svg_texts(svg_b) and "•" in _svg_texts(svg_a)
        pdf_a, _ = render_profile(a, area, "pdf", 2022, "Sozioökonomie")
        pdf_b, _ = render_profile(b, area, "pdf", 2022, "Sozioökonomie")
        text_a = PdfReader(io.BytesIO(pdf_a)).pages[0].extract_text()
        assert text_a == PdfReader(io.BytesIO(pdf_b)).pages[0].extract_text()
        png_a, _ = render_profile(a, area, "png", 2022, "Sozioökonomie")
        png_b, _ = render_profile(b, area, "png", 2022, "Sozioökonomie")
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(png_a))), np.asarray(Image.open(io.BytesIO(png_b))))


# --- the Kommunenprofil's maps ---------------------------------------------------------------------

def test_pim020_municipality_maps_one_small_map_per_indicator_with_legends_inside_the_canvas(demo):
    from dashboard.charts.municipality_chart import municipality_figure
    from dashboard.profile import municipality_profile, municipality_views

    profile = municipality_profile(demo, "05334032", "Soziodemografie", 2024)
    views = municipality_views(demo, profile)
    figure = municipality_figure(profile, demo.geometry, views, SLIDE, "Quelle: x")
    layout = figure["layout"]
    map_axes = [k for k in layout if k.startswith("xaxis") and k not in ("xaxis", "xaxis2")]
    assert len(map_axes) == len(profile.indicators)
    for k in map_axes:  # each map inside the canvas, none overlapping another
        low, high = layout[k]["domain"]
        assert 0 <= low < high <= 1
    texts = [a["text"] for a in layout["annotations"]]
    assert layout["title"]["text"].startswith("<b>Kommunenprofil Stolberg (Rhld.): Soziodemografie")
    assert min(a["font"]["size"] for a in layout["annotations"]) >= 18
    assert any(t.endswith("Datenschutz") for t in texts)  # hidden areas have their legend row
    for note in layout["annotations"]:
        assert 0 <= note["x"] <= SLIDE.width and 0 <= note["y"] <= SLIDE.height
    boxes = []
    for n in range(3, 3 + len(map_axes)):
        x, y = layout[f"xaxis{n}"]["domain"], layout[f"yaxis{n}"]["domain"]
        boxes.append((x[0], y[0], x[1], y[1]))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] + 1e-9 or b[2] <= a[0] + 1e-9 or a[3] <= b[1] + 1e-9 or b[3] <= a[1] + 1e-9


@needs_chromium
def test_pim021_municipality_maps_render_as_vector_svg_and_named_png(demo):
    from dashboard.exports.profile_image import municipality_image

    svg, name = municipality_image(demo, "05334032", "svg", "Wohnen", 2024)
    root = ET.fromstring(svg)
    assert "Kommunenprofil Stolberg (Rhld.): Wohnen" in _svg_texts(svg) and not list(root.iter(f"{SVG}image"))
    assert name == "Kommunenprofil_Stolberg-Rhld_2024_Wohnen_Karten.svg"
    png, _ = municipality_image(demo, "05334032", "png", "Wohnen", 2024, A4_PORTRAIT)
    image = Image.open(io.BytesIO(png))
    assert image.size == (A4_PORTRAIT.width, A4_PORTRAIT.height) and np.asarray(image.convert("L")).std() > 20
    with pytest.raises(ExportError, match="Eine Kommune mit der ID „nope“"):
        municipality_image(demo, "nope", "png")


@needs_chromium
def test_pim022_municipality_maps_do_not_depend_on_a_hidden_value():
    from dashboard.exports.profile_image import municipality_image

    a, b = _variant(0), _variant(1)
    svg_a, _ = municipality_image(a, "M1", "svg", "Sozioökonomie", 2022)
    svg_b, _ = municipality_image(b, "M1", "svg", "Sozioökonomie", 2022)
    assert _svg_texts(svg_a) == _svg_texts(svg_b) and "Datenschutz" in _svg_texts(svg_a)
    png_a, _ = municipality_image(a, "M1", "png", "Sozioökonomie", 2022)
    png_b, _ = municipality_image(b, "M1", "png", "Sozioökonomie", 2022)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png_a))), np.asarray(Image.open(io.BytesIO(png_b))))
