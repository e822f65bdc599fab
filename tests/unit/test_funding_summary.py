"""The committee's short report: its content against the funding functions on the four-area example
of test_funding.py (sums by hand), the PPTX and PDF files, the funds map, the CLI and the budget."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from dashboard.bundle.fundingfile import read_funding_config
from dashboard.bundle.problems import ProblemList
from dashboard.funding import assess, spread
from dashboard.funding.summary import MARKING, committee_summary, file_name, summary_for
from tests.unit.test_funding import BASIS, CONFIG, app

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
DAY = dt.date(2026, 3, 5)


@pytest.fixture()
def applications() -> pd.DataFrame:
    return pd.DataFrame([
        app("P1", 2024, ["A1", "A2"], ["kinder"], "Sozialraumprojekt", 800, "beantragt", association="Caritas",
            applicant="Verein X", row=2),
        app("P2", 2024, ["A4"], ["aeltere"], "freiwillige Mittel", 10000, "bewilligt", 8000, "Diakonie", row=3),
        app("P3", 2023, ["A1"], ["kinder"], "freiwillige Mittel", 6000, "bewilligt", 6000, "Caritas", row=4),
        app("P4", 2024, ["A3"], ["kinder"], "Sozialraumprojekt", 500, "beantragt", applicant="Verein Y", row=5),
        app("P5", 2024, ["A3"], ["kinder"], "Sozialraumprojekt", 300, "abgelehnt", applicant="Verein Z", row=6),
    ])


def summary(applications, config=CONFIG, **kw):
    ranked = assess(applications, BASIS, 2024, config)
    return committee_summary(ranked, BASIS, config, applications, 2024, bundle_title="Testpaket", region="Testkreis",
                             today=DAY, **kw), ranked


def figures(s) -> dict[str, tuple[str, ...]]:
    return {row[0].strip(): row[1:] for row in s.figures.rows}


def test_list_order_is_the_ranked_order_and_reasons_follow_it(applications):
    s, ranked = summary(applications)
    assert s.ranked_ids == tuple(ranked["application_id"])
    assert [r[0] for r in s.ranked.rows] == [str(r) for r in ranked["rank"]]
    assert [r.application_id for r in s.reasons] == list(ranked["application_id"])
    first = ranked.iloc[0]
    assert s.reasons[0].parts[0][2] == first["fit_reason"] and s.reasons[0].score == f"{first['score']:.1f}".replace(
        ".", ",")
    assert s.title == "Förderung nach Bedarf 2024" and s.marking == MARKING and s.date == "05.03.2026"
    assert s.period == "2023–2024" and not s.whatif and s.filters == ""


def test_key_figures_by_hand(applications):
    s, _ = summary(applications)
    f = figures(s)
    # 2024: P1 800 + P2 10.000 + P4 500 + P5 300 requested; P2 awarded 8.000; open P1 + P4 = 1.300
    assert f["Anträge 2024"] == ("4",) and f["davon beantragt"] == ("2",) and f["davon bewilligt"] == ("1",)
    assert f["davon abgelehnt"] == ("1",)
    assert f["Beantragt (alle Anträge)"] == ("11.600 €",) and f["Beantragt (offene Anträge)"] == ("1.300 €",)
    assert f["Bewilligt"] == ("8.000 €",)
    assert not any(k.startswith("Verfügbare Mittel") for k in f)  # no budget configured
    budgeted, _ = summary(applications, dataclasses.replace(CONFIG, budget={2024: 20000.0}))
    f = figures(budgeted)
    assert f["Verfügbare Mittel 2024 (foerderung.toml)"] == ("20.000 €",)
    assert f["noch verfügbar nach Bewilligungen"] == ("12.000 €",)


def test_spread_tables_equal_the_spread_function(applications):
    s, _ = summary(applications)
    decided = spread(applications, BASIS, 2024, CONFIG)
    rows = {r[0]: r for r in s.municipalities.rows}
    # P3 6.000 € (2023, in the period) to A1 (Kommune 1), P2 8.000 € to A4 (Kommune 2)
    assert rows["Kommune 1"][1] == "6.000 €" and rows["Kommune 2"][1] == "8.000 €"
    assert rows["Kommune 1"][2] == "42,9 %" and rows["Kommune 1"][3] == "14,3 %"  # 6/14 funds, 1.000/7.000 need
    assert rows["Kommune 1"][5] == "6,00 €"  # 6.000 € / 1.000 residents in need
    assert len(s.municipalities.rows) == len(decided.municipalities)
    assert [r[0] for r in s.associations.rows] == list(decided.associations["association"])


def test_whatif_ticks_change_the_spread_and_figures(applications):
    s, _ = summary(applications, ticked=["P2", "P1"])
    assert s.whatif and "2 Anträge" in s.whatif_text and "8.800 €" in s.whatif_text
    assert s.municipalities.header[1:3] == ("Mittel bisher", "Mittel mit Auswahl")
    rows = {r[0]: r for r in s.municipalities.rows}
    assert rows["Kommune 1"][1:3] == ("6.000 €", "6.800 €")  # + P1's 800 € requested (A1, A2 in Kommune 1)
    assert rows["Kommune 2"][1:3] == ("8.000 €", "8.000 €")
    assert s.spread.total == pytest.approx(14800.0)
    assert figures(s)["Was-wäre-wenn: als bewilligt angenommen"] == ("2 Anträge, 8.800 €",)
    assert s.ranked.header[-1] == "Ausw." and {r[1]: r[-1] for r in s.ranked.rows}["P1"] == "✓"
    same, _ = summary(applications, ticked=["P2"])  # the decided approvals: no what-if
    assert not same.whatif and same.municipalities.header[1] == "Mittel"
    unticked, _ = summary(applications, ticked=[])
    assert unticked.whatif and {r[0]: r for r in unticked.municipalities.rows}["Kommune 2"][2] == "0 €"


def test_filters_narrow_the_list_and_show_both_columns(applications):
    s, ranked = summary(applications, filters={"programme": ["Sozialraumprojekt"], "field": ["kinder"]})
    assert set(s.ranked_ids) == {"P1", "P4", "P5"}
    assert list(s.ranked_ids) == [i for i in ranked["application_id"] if i in {"P1", "P4", "P5"}]
    assert s.filters == "Programm: Sozialraumprojekt; Feld: Kinderarmut" and s.field == "kinder"
    assert s.figures.header == ("Kennzahl", "gefilterte Anträge", "alle Anträge 2024")
    assert figures(s)["Beantragt (alle Anträge)"] == ("1.600 €", "11.600 €")
    assert s.programmes == ("Sozialraumprojekt",)


def test_procedure_shows_the_weights_of_the_config(applications):
    heavy = dataclasses.replace(CONFIG, weights={**CONFIG.weights, "fit": 70.0})
    s, _ = summary(applications, heavy)
    weights = {r[0]: r[1] for r in s.weights.rows}
    assert weights["Passung"] == "70,00" and weights["Reichweite"] == "10,00"
    assert any("Höchstbetrag 1.000 €" in line for line in s.rules)
    assert file_name(2024, "pptx") == "Foerderung_2024_Kurzbericht.pptx"


def test_budget_in_foerderung_toml(tmp_path):
    (tmp_path / "foerderung.toml").write_text('[budget]\n"2024" = 50000\n"24" = 1\n"2023" = "viel"\n',
                                              encoding="utf-8")
    problems = ProblemList()
    config = read_funding_config(tmp_path, set(), problems)
    assert config.budget == {2024: 50000.0}
    assert {p.column for p in problems if p.severity == "error"} == {"budget.24", "budget.2023"}


# --------------------------------------------------------------------------- files (demo bundle)

class FakeRenderer:
    """Records the figures and answers with a small real PNG (no browser for the layout tests)."""

    def __init__(self) -> None:
        self.figures: list[dict] = []

    def render(self, figure: dict, fmt: str, width: int | None = None, height: int | None = None) -> bytes:
        self.figures.append(figure)
        out = io.BytesIO()
        Image.new("RGB", (width or 400, height or 300), "#3f007d").save(out, "PNG")
        return out.getvalue()


@pytest.fixture(scope="module")
def demo():
    from dashboard.prepared import load_prepared
    from tests.conftest import DEMO_DIR

    return load_prepared(DEMO_DIR)


@pytest.fixture(scope="module")
def demo_summary(demo):
    from dashboard.funding import cached_evaluation

    ranked = cached_evaluation(demo.published, 2024).ranked
    ticks = set(ranked.loc[ranked["status"] == "bewilligt", "application_id"]) | {
        ranked.loc[ranked["status"] == "beantragt", "application_id"].iloc[0]}
    return summary_for(demo.published, 2024, {}, ticks, today=DAY)


def _slides(data: bytes) -> list[dict]:
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        texts, tables, pictures = [], [], 0
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                tables.append([[c.text for c in row.cells] for row in shape.table.rows])
            pictures += shape.shape_type == 13
        out.append({"title": slide.shapes.title.text, "texts": texts, "tables": tables, "pictures": pictures,
                    "notes": slide.notes_slide.notes_text_frame.text})
    return out


def test_pptx_reopens_with_titles_tables_picture_and_notes(demo, demo_summary):
    from dashboard.exports.funding_deck import LIST_ROWS, build_funding_deck

    engine = FakeRenderer()
    steps = []
    data, name = build_funding_deck(demo_summary, demo.geometry, engine, lambda d, t, x: steps.append((d, t)))
    assert name == "Foerderung_2024_Kurzbericht.pptx" and steps[-1][0] == steps[-1][1]
    slides = _slides(data)
    titles = [s["title"] for s in slides]
    pages = -(-len(demo_summary.ranked.rows) // LIST_ROWS)
    assert titles[:2] == ["Förderung nach Bedarf 2024", "Kennzahlen"]
    assert titles[2].startswith("Rangliste 1–12 von") and len([t for t in titles if t.startswith("Rangliste")]) == pages
    assert titles[-5:] == ["Streuung nach Kommunen", "Streuung nach Wohlfahrtsverbänden",
                           "Mittel über den Gestaltungsbedarfen", "Verfahren: Punkte, Gewichte und Programmregeln",
                           "Quellen, Definitionen und Datenschutz"]
    assert any(t.startswith("Begründungen: Rang 1–5") for t in titles)
    assert MARKING.upper() in slides[0]["texts"] and any("Was-wäre-wenn" in t for t in slides[0]["texts"])
    assert all(MARKING in " ".join(s["texts"]) for s in slides[1:])  # every slide's footer
    assert sum(s["pictures"] for s in slides) == 1 and len(engine.figures) == 1
    listed = [row[1] for s in slides if s["title"].startswith("Rangliste") for row in s["tables"][0][1:]]
    assert listed == list(demo_summary.ranked_ids)  # the whole list, in rank order
    spread_table = slides[titles.index("Streuung nach Kommunen")]["tables"][0]
    assert spread_table[0][1:3] == ["Mittel bisher", "Mittel mit Auswahl"]
    assert any(cell.endswith(" €") and "." in cell for row in spread_table[1:] for cell in row)
    assert all(s["notes"] for s in slides)
    assert demo_summary.reasons[0].text in slides[2]["notes"]


def test_pdf_has_pages_and_extractable_text(demo, demo_summary):
    from dashboard.exports.funding_pdf import build_funding_pdf

    engine = FakeRenderer()
    data, name = build_funding_pdf(demo_summary, demo.geometry, engine)
    assert name == "Foerderung_2024_Kurzbericht.pdf" and data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 5
    assert "Förderung nach Bedarf 2024" in text and "INTERN – NICHT ZUR VERÖFFENTLICHUNG" in text
    for heading in ("Kennzahlen", "Rangliste", "Streuung nach Kommunen", "Streuung nach Wohlfahrtsverbänden",
                    "Verfahren: Punkte, Gewichte und Programmregeln", "Datenschutz"):
        assert heading in text, heading
    assert demo_summary.ranked_ids[-1] in text  # the whole list
    assert sum(len(page.images) for page in reader.pages) == 1 and len(engine.figures) == 1
    assert reader.metadata.title.startswith("Förderung nach Bedarf 2024")


def test_funds_map_draws_a_circle_per_area_with_funds(demo, demo_summary):
    from dashboard.charts.canvas import SLIDE
    from dashboard.charts.funding_map import funding_map_figure

    figure = funding_map_figure(demo.geometry, demo_summary.basis, demo_summary.spread, SLIDE, whatif=True)
    by_name = {t.get("name"): t for t in figure["data"] if t.get("xaxis") != "x2"}
    areas = demo_summary.spread.areas
    assert len(by_name["bewilligt"]["x"]) == int((areas["awarded"] > 0).sum())
    assert len(by_name["beantragt"]["x"]) == int((areas["requested"] > 0).sum())
    sizes = by_name["bewilligt"]["marker"]["size"]
    amounts = sorted(areas.loc[areas["awarded"] > 0, "awarded"])
    assert max(sizes) == pytest.approx(SLIDE.text_size * 1.9 * (amounts[-1] / max(amounts[-1], areas["requested"].max()))
                                       ** 0.5)
    assert any("mit Auswahl" in a["text"] for a in figure["layout"]["annotations"])


@needs_chromium
def test_cli_writes_both_reports_and_refuses_bad_input(tmp_path):
    from tests.conftest import DEMO_DIR
    from tests.unit.test_funding_cli import run

    for fmt in ("pptx", "pdf"):
        target = tmp_path / f"k.{fmt}"
        code, _, err = run("foerderung", str(DEMO_DIR), "--year", "2024", "--format", fmt, "--out", str(target))
        assert code == 0, err
        assert "Kurzbericht Förderung nach Bedarf 2024" in err and target.stat().st_size > 20_000
    assert len(PdfReader(tmp_path / "k.pdf").pages) >= 5
    assert any(shape.shape_type == 13 for slide in Presentation(tmp_path / "k.pptx").slides for shape in slide.shapes)
    code, out, err = run("foerderung", str(DEMO_DIR), "--year", "2024", "--format", "pdf")
    assert code == 2 and "PDF braucht --out DATEI" in err and out == ""
    code, _, err = run("foerderung", str(DEMO_DIR), "--year", "2024", "--format", "pptx", "--out",
                       str(tmp_path / "fehlt" / "k.pptx"))
    assert code == 1 and "existiert nicht" in err and "Traceback" not in err
    code, _, err = run("foerderung", str(DEMO_DIR), "--year", "2019", "--format", "pptx", "--out", str(tmp_path / "x"))
    assert code == 2 and "keine Anträge für 2019" in err
