"""Image files of a view (PNG, SVG, PDF) from the warm kaleido renderer, and their names.

Needs Debian's chromium (kaleido finds it on PATH); skipped without it.
"""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from dashboard.charts.canvas import A4_PORTRAIT, HALF_SLIDE, SLIDE
from dashboard.exports import ExportError, export_name, figure_for, render_view
from dashboard.exports.images import map_views_of
from dashboard.prepared import Prepared, load_prepared
from dashboard.state import ViewState
from tests.conftest import DEMO_DIR

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo() -> Prepared:
    return load_prepared(DEMO_DIR)


def _state(prepared: Prepared, query: str) -> ViewState:
    return ViewState.from_query(query, prepared.choices)


def _class_mask(png: bytes, colours: list[str]) -> np.ndarray:
    """Pixels drawn in one of the map's class colours."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    mask = np.zeros(pixels.shape[:2], dtype=bool)
    for colour in colours:
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        mask |= (np.abs(pixels - rgb).sum(axis=2) <= 6)
    return mask


@pytest.mark.parametrize("canvas", [SLIDE, HALF_SLIDE, A4_PORTRAIT], ids=lambda c: c.key)
def test_exp001_map_png_has_the_canvas_size_is_not_blank_and_the_region_fills_it(demo, canvas):
    state = _state(demo, "?indicator=SO01&year=2024")
    png, name = render_view(demo, state, "map", "png", canvas)
    image = Image.open(io.BytesIO(png))
    assert image.size == (canvas.width, canvas.height)
    assert np.asarray(image.convert("L")).std() > 20  # not a blank page
    view, _ = map_views_of(demo, state)
    mask = _class_mask(png, view.colours[:view.k])
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    height, width = (rows[-1] - rows[0]) / canvas.height, (cols[-1] - cols[0]) / canvas.width
    # The region is tall: it must fill the height left by title and source (not a fifth of it).
    assert max(height, width) > 0.65, (height, width)
    assert name == "SGB-II-Quote_2024_Karte.png"


def test_exp002_svg_holds_title_and_legend_as_text_and_the_areas_as_paths(demo):
    state = _state(demo, "?indicator=SO01&year=2024")
    svg, name = render_view(demo, state, "map", "svg")
    root = ET.fromstring(svg)
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "SGB-II-Quote (%) 2024" in texts
    assert "Anzahl Sozialräume in Klammern" in texts and "DEMODATEN" in texts
    filled = [p for p in root.iter(f"{SVG}path") if "fill" in (p.get("style") or "") and "fill: none" not in
              (p.get("style") or "") and len(p.get("d") or "") > 200]
    assert len(filled) >= 5  # one filled path per class at least: vector areas, no raster picture
    assert not list(root.iter(f"{SVG}image")), "the map must not be a raster image inside the SVG"
    assert name.endswith("_Karte.svg")


def test_exp003_pdf_has_a_page_with_extractable_title_and_source(demo):
    from pypdf import PdfReader

    state = _state(demo, "?indicator=SO01&year=2024")
    pdf, name = render_view(demo, state, "ranking", "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Rangfolge" in text and "SGB-II-Quote" in text and "Quelle" in text
    assert name == "SGB-II-Quote_2024_Rangfolge.pdf"


def test_exp004_series_and_compare_images_render_and_are_named_by_what_they_hold(demo):
    area = sorted(demo.choices.areas)[0]
    state = _state(demo, f"?indicator=SO01&year=2024&areas={area}&compare=change&compare_year=2018")
    png, name = render_view(demo, state, "series", "png")
    assert Image.open(io.BytesIO(png)).size == (1920, 1080) and name == "SGB-II-Quote_2024_Zeitreihe.png"
    _, name = render_view(demo, state, "compare", "png")
    assert name == "SGB-II-Quote_2018-2024_Veraenderung_Karte.png"


def test_exp005_unknown_view_format_or_absent_compare_map_is_a_german_error(demo):
    state = _state(demo, "?indicator=SO01&year=2024")
    with pytest.raises(ExportError, match="Vergleichsmodus"):
        figure_for(demo, state, "compare")
    with pytest.raises(ExportError, match="Unbekannte Ansicht"):
        figure_for(demo, state, "torte")
    with pytest.raises(ExportError, match="Bildformat"):
        render_view(demo, state, "map", "gif")


def test_exp006_slide_type_sizes_meet_the_minimums(demo):
    area = sorted(demo.choices.areas)[0]
    state = _state(demo, f"?indicator=SO01&year=2024&areas={area}")
    for view in ("map", "series", "ranking"):
        layout = figure_for(demo, state, view, SLIDE)["layout"]
        assert layout["title"]["font"]["size"] >= 28, view
        assert layout["font"]["size"] >= 18, view
        sizes = [a["font"]["size"] for a in layout.get("annotations", []) if "font" in a]
        assert min(sizes) >= 18, (view, min(sizes))


def test_exp007_selection_is_an_outline_and_never_changes_a_fill(demo):
    areas = sorted(demo.choices.areas)[:3]
    plain = figure_for(demo, _state(demo, "?indicator=SO01&year=2024"), "map")
    chosen = figure_for(demo, _state(demo, f"?indicator=SO01&year=2024&areas={','.join(areas)}"), "map")
    fills = [(t["name"], t.get("fillcolor")) for t in plain["data"] if t.get("fill") and t.get("xaxis") != "x2"]
    assert fills == [(t["name"], t.get("fillcolor")) for t in chosen["data"]
                     if t.get("fill") and t.get("xaxis") != "x2"]
    outlines = [t for t in chosen["data"] if t["name"] == "Auswahl"]
    assert outlines and outlines[0]["line"]["width"] >= 4 and not outlines[0].get("fill")
    assert "Kommunengrenzen" in {t["name"] for t in chosen["data"]}


def test_exp008_file_names_say_indicator_year_and_view(demo):
    published = demo.published
    state = _state(demo, "?indicator=SO01&year=2023&compare=indicator&compare_indicator=SO03")
    assert export_name(published, state, "map", "png") == "SGB-II-Quote_2023_Karte.png"
    assert export_name(published, state, "compare", "pdf") == \
        "SGB-II-Quote_2023_Vergleich_Arbeitslosenanteil_2023_Karte.pdf"
    muni = sorted(demo.choices.municipalities)[0]
    filtered = _state(demo, f"?indicator=SO01&year=2023&municipality={muni}")
    assert export_name(published, filtered, "deck", "pptx") == "SGB-II-Quote_2023_Foliensatz_Kommunenfilter.pptx"


def test_exp009_bundle_texts_stay_text_in_svg_and_deck():
    import dataclasses

    from pptx import Presentation

    from dashboard.exports.deck import build_deck
    from dashboard.prepared import prepare
    from dashboard.publish import publish
    from tests.conftest import make_tiny_bundle

    hostile = 'Quote <a href="http://evil.example">x</a> & <b>fett</b>'
    bundle = make_tiny_bundle()
    indicators = bundle.indicators.copy()
    indicators.loc[indicators.indicator_id == "SGB2", "name"] = hostile
    prepared = prepare(publish(dataclasses.replace(bundle, indicators=indicators)))
    state = ViewState.from_query("?indicator=SGB2&year=2023&areas=B1", prepared.choices)
    svg, name = render_view(prepared, state, "map", "svg")
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}a"))  # no link element, and no attribute carries the address
    assert not [v for el in root.iter() for v in el.attrib.values() if "evil.example" in v]
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert hostile in texts
    assert "/" not in name and "<" not in name and name.endswith("_2023_Karte.svg")
    deck, _ = build_deck(prepared, state)
    assert hostile in Presentation(io.BytesIO(deck)).slides[1].shapes.title.text
