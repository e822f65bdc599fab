"""The PowerPoint deck of a view, the area summary on its profile slides, and data protection
across every export (image text, SVG, PDF, PPTX text and notes, XLSX)."""

from __future__ import annotations

import dataclasses
import io
import shutil
import xml.etree.ElementTree as ET
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Emu

from dashboard.exports.area_summary import area_summary
from dashboard.exports.batch import export_one
from dashboard.exports.deck import DeckOptions, build_deck, slide_plan
from dashboard.exports.images import figure_for
from dashboard.prepared import Prepared, load_prepared, prepare
from dashboard.publish import publish
from dashboard.state import ViewState
from tests.conftest import DEMO_DIR, make_tiny_bundle

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def demo() -> Prepared:
    return load_prepared(DEMO_DIR)


@pytest.fixture(scope="module")
def tiny() -> Prepared:
    return prepare(publish(make_tiny_bundle()))


def _texts(prs) -> list[tuple[str, list[str], str]]:
    """(title, every text of the slide incl. table cells, notes) per slide."""
    out = []
    for slide in prs.slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        out.append((title, texts, slide.notes_slide.notes_text_frame.text))
    return out


# --- area summary (pure) ---------------------------------------------------------------------

def test_dck001_area_summary_lists_the_theme_with_area_municipality_and_region(tiny):
    summary = area_summary(tiny.published, "B1", "Sozioökonomie", 2023)
    assert (summary.area_name, summary.municipality_name, summary.region_name) == ("Dorf", "Beispieldorf", "Testkreis")
    (row,) = summary.rows
    cells = tiny.published.cells
    value = cells[(cells.unit_id == "B1") & (cells.indicator_id == "SGB2") & (cells.year == 2023)]["value"].iloc[0]
    assert row.area == f"{value:.1f}".replace(".", ",")
    assert row.municipality not in ("", "–") and row.region not in ("", "–")


def test_dck002_area_summary_shows_the_symbol_for_a_hidden_cell_and_no_comparison_for_counts(tiny):
    hidden = area_summary(tiny.published, "A3", "Sozioökonomie", 2022)
    assert hidden.rows[0].area == "•"
    counts = area_summary(tiny.published, "A1", "Soziodemografie", 2023)
    assert counts.rows[0].area == "1.020" and counts.rows[0].municipality == "" and counts.rows[0].region == ""
    with pytest.raises(KeyError):
        area_summary(tiny.published, "NOPE", "Wohnen", 2023)


def test_dck003_slide_plan_follows_the_view(demo):
    areas = sorted(demo.choices.areas)[:2]
    plain = slide_plan(demo, ViewState.from_query("?indicator=SO01&year=2024", demo.choices))
    assert plain[:2] == ["title", "map"] and plain[-1] == "sources" and "compare" not in plain
    assert not any(p.startswith("profile:") for p in plain) and "indices" not in plain and "needs" in plain
    full = slide_plan(demo, ViewState.from_query(f"?indicator=SO01&year=2024&areas={','.join(areas)}&compare=year",
                                                 demo.choices), DeckOptions(ranking="table"))
    assert "compare" in full and [p for p in full if p.startswith("profile:")] == [f"profile:{a}" for a in areas]
    assert sum(p.startswith("table:") for p in full) == 6  # 89 ranked areas, 15 per slide
    assert "indices" in full


# --- the deck ----------------------------------------------------------------------------------

@needs_chromium
def test_dck004_deck_reopens_16_9_with_titles_pictures_tables_and_definitions_in_notes(demo):
    areas = sorted(demo.choices.areas)[:2]
    state = ViewState.from_query(f"?indicator=SO01&year=2024&areas={','.join(areas)}&compare=year&compare_year=2020",
                                 demo.choices)
    steps: list[tuple[int, int, str]] = []
    data, name = build_deck(demo, state, progress=lambda d, t, x: steps.append((d, t, x)))
    assert name == "SGB-II-Quote_2024_Foliensatz.pptx"
    prs = Presentation(io.BytesIO(data))
    assert (Emu(prs.slide_width).inches, round(Emu(prs.slide_height).inches, 2)) == (pytest.approx(13.333, 0.01), 7.5)
    slides = _texts(prs)
    titles = [t for t, _, _ in slides]
    plan = slide_plan(demo, state)
    assert len(prs.slides) == len(plan) == steps[-1][0] and steps[-1][1] == len(plan)
    assert titles[0] == "SGB-II-Quote (%) 2024" and titles[1] == "SGB-II-Quote (%) 2024"
    assert titles[2] == "SGB-II-Quote (%) 2020"  # the compare map
    assert "Rangfolge: SGB-II-Quote (%) 2024" in titles and titles[-1].startswith("Quellen")
    assert [t for t in titles if t.startswith("Profil:")] == [
        f"Profil: {demo.area_name(a)} ({demo.municipality_names[demo.geometry.area_ids.index(a)]})" for a in areas]
    assert "Gestaltungsbedarfe 2024" in titles
    pictures = [s for s in prs.slides if any(sh.shape_type == 13 for sh in s.shapes)]
    assert len(pictures) == 6  # map, compare map, ranking chart, time series, two profile figures
    profiles = [s for s in prs.slides if s.shapes.title.text.startswith("Profil:")]
    assert all(any(sh.shape_type == 13 for sh in s.shapes) for s in profiles)
    tables = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    assert len(tables) >= 3  # ranking table, needs, indices
    for title, _shown, notes in slides:
        assert "Definition: Personen in Bedarfsgemeinschaften" in notes, title
    sources = " ".join(slides[-1][1])
    assert "Datenschutz" in sources and "Demodaten" in sources and "Quelle" in sources
    assert "Demodaten" in " ".join(slides[0][1])


# --- data protection across every export --------------------------------------------------------

def _variant(shift: int):
    """The tiny bundle with ``shift`` moved between two hidden 2022 counts (A3 stays below the
    minimum, the municipality's total is unchanged): the published data must not change."""
    bundle = make_tiny_bundle()
    v = bundle.values.copy()
    for area, delta in (("A3", shift), ("A1", -shift)):
        row = (v.area_id == area) & (v.indicator_id == "SGB2") & (v.year == 2022)
        v.loc[row, "numerator"] += delta
        v.loc[row, "value"] = v.loc[row, "numerator"] / v.loc[row, "denominator"] * 100
    return prepare(publish(dataclasses.replace(bundle, values=v)))


def _export_texts(prepared: Prepared, state: ViewState) -> dict[str, object]:
    from pypdf import PdfReader

    out: dict[str, object] = {}
    for view in ("map", "compare", "series", "ranking"):
        out[f"{view} figure"] = figure_for(prepared, state, view)
    svg, _ = export_one(prepared, state, "svg", "map")
    out["svg"] = ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    pdf, _ = export_one(prepared, state, "pdf", "series")
    out["pdf"] = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    deck, _ = export_one(prepared, state, "pptx")
    out["pptx"] = _texts(Presentation(io.BytesIO(deck)))
    xlsx, _ = export_one(prepared, state, "xlsx")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        out["xlsx"] = {n: book.read(n) for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml")
                       and "styles" not in n}
    return out


@needs_chromium
def test_dck005_no_export_depends_on_a_hidden_value():
    a, b = _variant(0), _variant(1)
    cells_a, cells_b = a.published.cells, b.published.cells
    assert cells_a.equals(cells_b)  # precondition: the published data are the same
    state = ViewState.from_query("?indicator=SGB2&year=2022&areas=A1,A3&compare=year&compare_year=2021", a.choices)
    texts_a, texts_b = _export_texts(a, state), _export_texts(b, state)
    for key in texts_a:
        assert texts_a[key] == texts_b[key], key
    deck = texts_a["pptx"]
    profile = next(t for t in deck if t[0].startswith("Profil: Süd"))
    assert "SGB-II-Quote (%): • · " in profile[2]  # the hidden area's own value is the symbol (notes)
