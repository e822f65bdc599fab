"""The committee's short report as a 16:9 PowerPoint deck (``DeckWriter`` of ``deck.py``).

Every text comes from ``dashboard.funding.summary.CommitteeSummary``: title slide with the
"intern" marking, key figures, the ranked list over as many slides as needed (reasons of each
slide's rows in its notes), the reasons of the top applications, the spread per municipality and
per association, the need map with the funds (a picture from the warm renderer), the procedure
(weights and rules) and the sources with the data-protection note.
"""

from __future__ import annotations

from collections.abc import Callable

from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from dashboard.charts.canvas import Canvas
from dashboard.charts.funding_map import funding_map_figure
from dashboard.exports.deck import (
    DARK,
    DECK_PICTURE,
    HEIGHT,
    MARGIN,
    MUTED,
    PICTURE_TOP,
    WIDTH,
    DeckWriter,
    _set_text,
)
from dashboard.exports.renderer import Renderer, renderer
from dashboard.funding.summary import CommitteeSummary, Table, file_name
from dashboard.geometry import PreparedGeometry

#: Rows of the ranked list per slide and applications per reasons slide.
LIST_ROWS = 12
REASONS_PER_SLIDE = 5
RED = RGBColor(0xB0, 0x00, 0x20)
LIST_WIDTHS = [0.55, 1.3, 1.6, 1.85, 1.15, 1.5, 0.95, 1.2, 0.72, 0.6, 0.62, 0.62, 0.6, 0.6, 0.58]

Progress = Callable[[int, int, str], None]


def _noop(_done: int, _total: int, _text: str) -> None:
    return None


def _caption(summary: CommitteeSummary) -> str:
    parts = [summary.marking, f"{summary.title} · Kurzbericht · Stand {summary.date}"]
    if summary.synthetic:
        parts.append("Demodaten (synthetisch)")
    return " · ".join(parts)


def map_png(summary: CommitteeSummary, geometry: PreparedGeometry, canvas: Canvas, engine: Renderer,
            symbol: str = "•") -> bytes:
    """The need map with the funds of the summary, as PNG (same figure for slide and PDF)."""
    figure = funding_map_figure(geometry, summary.basis, summary.spread, canvas, summary.field, symbol,
                                summary.synthetic, summary.whatif)
    return engine.render(figure, "png", canvas.width, canvas.height)


def plan(summary: CommitteeSummary) -> list[str]:
    """The slides in order (also the progress steps)."""
    steps = ["title", "figures"]
    steps += [f"list:{k}" for k in range(0, max(len(summary.ranked.rows), 1), LIST_ROWS)]
    steps += [f"reasons:{k}" for k in range(0, summary.top_reasons, REASONS_PER_SLIDE)]
    return steps + ["municipalities", "associations", "map", "procedure", "sources"]


STEP_TEXTS = {"title": "Titelfolie", "figures": "Kennzahlen", "list": "Rangliste", "reasons": "Begründungen",
              "municipalities": "Streuung Kommunen", "associations": "Streuung Verbände", "map": "Karte",
              "procedure": "Verfahren", "sources": "Quellen"}


def build_funding_deck(summary: CommitteeSummary, geometry: PreparedGeometry, engine: Renderer | None = None,
                       progress: Progress = _noop, symbol: str = "•") -> tuple[bytes, str]:
    """Bytes and file name of the report deck; ``progress(done, total, text)`` before every slide."""
    deck = DeckWriter(_caption(summary), "\n".join(summary.definitions))
    steps = plan(summary)
    for done, step in enumerate(steps):
        kind, _, arg = step.partition(":")
        progress(done, len(steps), STEP_TEXTS[kind])
        if kind == "map":
            _map(deck, summary, map_png(summary, geometry, DECK_PICTURE, engine or renderer(), symbol))
        elif kind in ("list", "reasons"):
            (_list if kind == "list" else _reasons)(deck, summary, int(arg))
        else:
            BUILDERS[kind](deck, summary)
    progress(len(steps), len(steps), "Kurzbericht fertig")
    return deck.save(), file_name(summary.year, "pptx")


def _table(deck: DeckWriter, slide: object, table: Table, widths: list[float], size: int = 12, **kw) -> object:
    shape = deck.table(slide, list(table.header), [list(r) for r in table.rows], widths, size=size,
                       align="".join(table.align), **kw)
    for i, row in enumerate(shape.table.rows):  # narrow cell margins, a smaller header: more text per column
        for cell in row.cells:
            cell.margin_left = cell.margin_right = Inches(0.04)
            for para in cell.text_frame.paragraphs if i == 0 and size <= 10 else ():
                for run in para.runs:
                    run.font.size = Pt(size - 1)
    return shape


def _title(deck: DeckWriter, s: CommitteeSummary) -> None:
    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[0])
    title, sub = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(1.3)
    sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(2.7), WIDTH - 2 * MARGIN, Inches(3.6)
    _set_text(title.text_frame, s.title, 40, bold=True, colour=DARK)
    lines = [s.subtitle, "Programme: " + ", ".join(s.programmes),
             f"Förderjahr {s.year} · Zeitraum der Streuung {s.period} · Stand: {s.date}"]
    lines += [f"Filter der Liste: {s.filters}"] if s.filters else []
    lines += [s.whatif_text] if s.whatif else []
    if s.synthetic:
        lines.append("Demodaten (synthetisch) – nicht für Entscheidungen verwenden")
    _set_text(sub.text_frame, "\n".join(lines), 18, colour=MUTED)
    box = deck.text(slide, s.marking.upper(), MARGIN, Inches(0.45), WIDTH - 2 * MARGIN, Inches(0.6), 20, bold=True,
                    colour=RED)
    box.line.color.rgb = RED
    deck.text(slide, s.privacy[0], MARGIN, HEIGHT - Inches(1.0), WIDTH - 2 * MARGIN, Inches(0.6), 11, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = "\n".join([*s.privacy, "", *s.definitions])


def _figures(deck: DeckWriter, s: CommitteeSummary) -> None:
    slide = deck.slide("Kennzahlen", s.whatif_text, f"Förderjahr {s.year}" + (f" · Filter: {s.filters}" if s.filters
                                                                            else ""))
    width = Inches(8.2)
    widths = [4.2, 2.0, 2.0] if len(s.figures.header) == 3 else [4.2, 2.6]
    _table(deck, slide, s.figures, widths, 12, width=width, row_height=Inches(0.3), top=PICTURE_TOP - Inches(0.1))
    right = MARGIN + width + Inches(0.35)
    text = "\n\n".join(t for t in (s.coverage, s.whatif_text) if t)
    deck.text(slide, text, right, PICTURE_TOP, WIDTH - right - MARGIN, Inches(3.5), 14, colour=DARK)


def _list(deck: DeckWriter, s: CommitteeSummary, start: int) -> None:
    rows = s.ranked.rows[start:start + LIST_ROWS]
    total = len(s.ranked.rows)
    title = (f"Rangliste {start + 1}–{start + len(rows)} von {total}" if total > LIST_ROWS
             else f"Rangliste ({total} Anträge)")
    reasons = "\n".join(r.text for r in s.reasons[start:start + LIST_ROWS])
    subtitle = f"Filter: {s.filters}" if s.filters else "Punkte und Teile je Antrag (Begründungen in den Notizen und im XLSX)"
    slide = deck.slide(title, reasons, subtitle)
    if not rows:
        deck.text(slide, "Keine Anträge für diese Auswahl.", MARGIN, PICTURE_TOP, WIDTH - 2 * MARGIN, Inches(1), 16)
        return
    part = Table(s.ranked.header, rows, s.ranked.align)
    widths = LIST_WIDTHS + ([0.55] if len(s.ranked.header) > len(LIST_WIDTHS) else [])
    _table(deck, slide, part, widths, 9, row_height=Inches(0.36), top=PICTURE_TOP - Inches(0.05))


def _reasons(deck: DeckWriter, s: CommitteeSummary, start: int) -> None:
    chosen = s.reasons[start:min(start + REASONS_PER_SLIDE, s.top_reasons)]
    title = f"Begründungen: Rang {chosen[0].rank}–{chosen[-1].rank}" if chosen else "Begründungen"
    slide = deck.slide(title, "\n".join(r.text for r in chosen),
                       f"Die ersten {s.top_reasons} der Liste; alle Begründungen im XLSX für den Ausschuss")
    rows = [[f"{r.rank}. {r.application_id}\n{r.title}", r.score,
             "\n".join(f"{label} {pts}: {reason}" for label, pts, reason in r.parts) + f"\nRegeln: {r.rules}"]
            for r in chosen]
    deck.table(slide, ["Antrag", "Punkte", "Begründung je Teil (Punkte)"], rows, [2.2, 0.7, 10], size=8,
               align="LRL", row_height=Inches(0.95), top=PICTURE_TOP - Inches(0.05))


def _spread(deck: DeckWriter, s: CommitteeSummary, table: Table, title: str) -> None:
    sub = ("Mittel vor und nach der Was-wäre-wenn-Auswahl" if s.whatif else f"Bewilligte Mittel {s.period}")
    slide = deck.slide(title, s.coverage + "\n\n" + "\n".join(s.definitions[1:5]), sub)
    widths = [3.0] + [1.3] * (len(table.header) - 1)
    _table(deck, slide, table, widths, 12 if len(table.header) <= 6 else 11, row_height=Inches(0.34))
    deck.text(slide, s.coverage, MARGIN, Inches(6.35), WIDTH - 2 * MARGIN, Inches(0.45), 12, colour=MUTED)


def _municipalities(deck: DeckWriter, s: CommitteeSummary) -> None:
    _spread(deck, s, s.municipalities, "Streuung nach Kommunen")


def _associations(deck: DeckWriter, s: CommitteeSummary) -> None:
    _spread(deck, s, s.associations, "Streuung nach Wohlfahrtsverbänden")


def _map(deck: DeckWriter, s: CommitteeSummary, png: bytes) -> None:
    field = s.basis.need_names.get(s.field, "") if s.field else ""
    title = f"Mittel über dem Gestaltungsbedarf „{field}“" if field else "Mittel über den Gestaltungsbedarfen"
    sub = (f"Gestaltungsbedarfe {s.basis.year}; Kreise: Mittel je Sozialraum"
           + (" mit der Was-wäre-wenn-Auswahl" if s.whatif else f" ({s.period})"))
    slide = deck.slide(title, "Kreisfläche proportional zum Betrag; ein Antrag für mehrere Sozialräume zählt je Raum "
                              "zu gleichen Teilen. Schraffiert: keine Entscheidung (keine Daten oder Datenschutz).",
                       sub)
    deck.picture(slide, png)


def _procedure(deck: DeckWriter, s: CommitteeSummary) -> None:
    slide = deck.slide("Verfahren: Punkte, Gewichte und Programmregeln", "\n".join(s.rules),
                       "Transparente Bewertung aus foerderung.toml")
    shape = _table(deck, slide, s.weights, [2.2, 1.3, 1.0, 8.0], 12, row_height=Inches(0.42),
                   top=PICTURE_TOP - Inches(0.1))
    top = shape.top + Inches(0.5) * (len(s.weights.rows) + 1) + Inches(0.15)
    box = deck.text(slide, "\n".join("• " + line for line in s.rules), MARGIN, top, WIDTH - 2 * MARGIN,
                    Inches(6.75) - top, 12, colour=DARK)
    for para in box.text_frame.paragraphs:
        para.space_after = Pt(3)


def _sources(deck: DeckWriter, s: CommitteeSummary) -> None:
    slide = deck.slide("Quellen, Definitionen und Datenschutz", "\n".join(s.definitions), "")
    half = (WIDTH - 2 * MARGIN - Inches(0.3)) / 2
    deck.text(slide, "Quellen\n" + "\n".join("• " + x for x in s.sources), MARGIN, PICTURE_TOP - Inches(0.25), half,
              Inches(5.3), 11)
    deck.text(slide, "Datenschutz\n" + "\n".join("• " + x for x in s.privacy), MARGIN + half + Inches(0.3),
              PICTURE_TOP - Inches(0.25), half, Inches(5.3), 11)


BUILDERS = {"title": _title, "figures": _figures, "municipalities": _municipalities, "associations": _associations,
            "procedure": _procedure, "sources": _sources}
