"""The committee's short report as an A4 PDF (fpdf2, embedded Unicode font, real text): the same
``CommitteeSummary`` as the deck, laid out as a Sitzungsvorlage.

Portrait pages for the text, key figures, spread, map and procedure; the ranked list on landscape
pages (15 columns). The map is the deck's picture (``map_png``), rendered for a page-wide canvas.
"""

from __future__ import annotations

import io

from fpdf.fonts import FontFace

from dashboard.charts.canvas import Canvas
from dashboard.exports.funding_deck import Progress, _noop, map_png
from dashboard.exports.renderer import Renderer, renderer
from dashboard.funding.summary import CommitteeSummary, Table, file_name
from dashboard.geometry import PreparedGeometry
from dashboard.profile_files import DARK, FONT, MUTED, _heading, _Pdf

#: The map for a page-wide picture (186 mm ≈ 1800 px; 24 px type ≈ 7 pt).
PDF_MAP = Canvas("a4-report", "A4 Bericht", 1800, 1250, 30, 26, 18, 160, framed=False)
RED = (176, 0, 32)
HEAD = FontFace(emphasis="BOLD", fill_color=(236, 240, 244))
#: Column widths (mm) of the ranked list on a landscape page (273 mm between the margins).
LIST_WIDTHS = (9, 21, 32, 37, 21, 27, 17, 26, 13, 10, 10, 10, 10, 10, 9)


def _text(pdf: _Pdf, text: str, size: float = 9, bold: bool = False, colour: tuple[int, int, int] = (0, 0, 0),
          height: float | None = None) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, height or size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)


def _table(pdf: _Pdf, table: Table, widths: tuple[float, ...], size: float = 8, line: float = 4.2,
           head: FontFace = HEAD) -> None:
    pdf.set_font(FONT, "", size)
    aligns = tuple("RIGHT" if a == "R" else "LEFT" for a in table.align)
    with pdf.table(col_widths=widths, width=sum(widths), align="LEFT", text_align=aligns, line_height=line,
                   first_row_as_headings=True, headings_style=head, borders_layout="HORIZONTAL_LINES",
                   padding=(0.6, 0.8)) as out:
        head = out.row()
        for text in table.header:
            head.cell(text)
        for row in table.rows:
            cells = out.row()
            for text in row:
                cells.cell(text)
    pdf.ln(2)


def build_funding_pdf(summary: CommitteeSummary, geometry: PreparedGeometry, engine: Renderer | None = None,
                      progress: Progress = _noop, symbol: str = "•") -> tuple[bytes, str]:
    """Bytes and file name of the report as PDF; ``progress(done, total, text)`` between parts."""
    s = summary
    steps = 6
    footer = f"{s.marking} · {s.title} · Kurzbericht · Stand {s.date}" + (" · Demodaten" if s.synthetic else "")
    pdf = _Pdf("P", footer)
    pdf.set_title(f"{s.title} – Kurzbericht für den Ausschuss")
    pdf.set_subject(s.marking)
    pdf.set_keywords("intern")

    progress(0, steps, "Titel und Kennzahlen")
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*RED)
    pdf.set_draw_color(*RED)
    pdf.cell(0, 8, s.marking.upper(), border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(3)
    _text(pdf, s.title, 18, bold=True, colour=DARK, height=9)
    _text(pdf, s.subtitle, 12, colour=DARK, height=6)
    pdf.ln(1)
    lines = ["Programme: " + ", ".join(s.programmes),
             f"Förderjahr {s.year} · Zeitraum der Streuung {s.period} · Stand: {s.date}"]
    lines += [f"Filter der Liste: {s.filters}"] if s.filters else []
    lines += [s.whatif_text] if s.whatif else []
    if s.synthetic:
        lines.append("Demodaten (synthetisch) – nicht für Entscheidungen verwenden.")
    _text(pdf, "\n".join(lines), 9.5, colour=MUTED, height=5)
    pdf.ln(3)
    _heading(pdf, "Kennzahlen")
    widths = (86, 48, 48) if len(s.figures.header) == 3 else (110, 50)
    _table(pdf, s.figures, widths, 8.5, 4.6)
    _text(pdf, s.coverage, 8.5, height=4.4)
    pdf.ln(2)
    _text(pdf, s.privacy[0], 8, bold=True, colour=RED, height=4.2)

    progress(1, steps, "Rangliste")
    pdf.add_page(orientation="L")
    total = len(s.ranked.rows)
    _heading(pdf, f"Rangliste ({total} Anträge" + (f"; Filter: {s.filters})" if s.filters else ")"))
    _text(pdf, "Punkte = Summe der Teile; Teile: Pass. = Passung, Stärke = Bedarfsstärke, Reich. = Reichweite, "
               "Str. K./Str. V. = Streuung Kommune/Verband; Förd. = förderfähig nach den Programmregeln"
          + ("; Ausw. = in der Was-wäre-wenn-Auswahl" if s.whatif else "") + ".", 7.5, colour=MUTED, height=3.8)
    pdf.ln(1)
    if total:
        widths = LIST_WIDTHS + ((10,) if len(s.ranked.header) > len(LIST_WIDTHS) else ())
        if len(widths) > len(LIST_WIDTHS):
            widths = (*widths[:5], widths[5] - 3, widths[6] - 1, widths[7] - 4, widths[8] - 1, *widths[9:])
        _table(pdf, s.ranked, widths, 7, 3.6, FontFace(emphasis="BOLD", fill_color=(236, 240, 244), size_pt=6.3))
    else:
        _text(pdf, "Keine Anträge für diese Auswahl.", 9)

    progress(2, steps, "Begründungen")
    pdf.add_page(orientation="P")
    _heading(pdf, f"Begründungen der ersten {s.top_reasons} Anträge")
    _text(pdf, "Alle Begründungen stehen im XLSX für den Ausschuss (Schaltfläche „XLSX für den Ausschuss“).", 7.5,
          colour=MUTED, height=3.8)
    pdf.ln(1)
    for reason in s.reasons[:s.top_reasons]:
        if pdf.get_y() > pdf.h - 36:
            pdf.add_page()
        _text(pdf, f"{reason.rank}. {reason.application_id} „{reason.title}“ – {reason.score} Punkte", 8.2, bold=True,
              colour=DARK, height=4.1)
        for label, pts, text in reason.parts:
            _text(pdf, f"{label} {pts}: {text}", 7, height=3.3)
        _text(pdf, f"Regeln: {reason.rules}", 7, colour=MUTED, height=3.3)
        pdf.ln(1.2)

    progress(3, steps, "Streuung")
    if pdf.get_y() > pdf.h * 0.4:  # the spread tables need about half a page
        pdf.add_page()
    else:
        pdf.ln(4)
    _heading(pdf, "Streuung nach Kommunen" + (" (vor und nach der Was-wäre-wenn-Auswahl)" if s.whatif else
                                               f" (bewilligte Mittel {s.period})"))
    spread_widths = (38, 22, 22, 20, 20, 20, 22, 22) if s.whatif else (56, 26, 26, 26, 26, 26)
    _table(pdf, s.municipalities, spread_widths, 7.5, 4)
    _heading(pdf, "Streuung nach Wohlfahrtsverbänden")
    _table(pdf, s.associations, spread_widths, 7.5, 4)
    _text(pdf, s.coverage, 8, height=4)
    pdf.ln(1)
    _text(pdf, "\n".join(s.definitions[1:6]), 7, colour=MUTED, height=3.5)

    progress(4, steps, "Karte")
    png = map_png(s, geometry, PDF_MAP, engine or renderer(), symbol)
    pdf.add_page()
    field = s.basis.need_names.get(s.field, "") if s.field else ""
    _heading(pdf, f"Mittel über dem Gestaltungsbedarf „{field}“" if field else "Mittel über den Gestaltungsbedarfen")
    _text(pdf, f"Gestaltungsbedarfe {s.basis.year}; Kreise: Mittel je Sozialraum"
               + (" mit der Was-wäre-wenn-Auswahl" if s.whatif else f" ({s.period})")
               + "; schraffiert: keine Entscheidung (keine Daten oder Datenschutz).", 8, colour=MUTED, height=4)
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=pdf.w - pdf.l_margin - pdf.r_margin)

    progress(5, steps, "Verfahren und Quellen")
    pdf.add_page()
    _heading(pdf, "Verfahren: Punkte, Gewichte und Programmregeln")
    _table(pdf, s.weights, (32, 22, 16, 116), 7.5, 4)
    for line in s.rules:
        _text(pdf, "• " + line, 8, height=4.2)
    pdf.ln(3)
    _heading(pdf, "Definitionen")
    for line in s.definitions:
        _text(pdf, "• " + line, 7.5, height=3.9)
    pdf.ln(3)
    _heading(pdf, "Quellen")
    for line in s.sources:
        _text(pdf, "• " + line, 7.5, height=3.9)
    pdf.ln(3)
    _heading(pdf, "Datenschutz")
    for line in s.privacy:
        _text(pdf, "• " + line, 7.5, height=3.9)
    progress(steps, steps, "Kurzbericht fertig")
    return bytes(pdf.output()), file_name(s.year, "pdf")
