"""Sozialraumprofil and Kommunenprofil as XLSX and PDF files (no Dash).

Both render the objects of ``dashboard.profile`` and nothing else, so a hidden value is the symbol
here too: an XLSX cell holds the symbol as text (never a number), the PDF prints the symbol and
its trend line has a gap. The PDF is real text (fpdf2 with an embedded Unicode TrueType font),
A4, with the locator map drawn as vector polygons.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openpyxl
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl.styles import Alignment, Font

from dashboard.cells import xlsx_text_cells
from dashboard.geometry import METRIC_CRS, PreparedGeometry
from dashboard.mapview import MapView
from dashboard.profile import AreaProfile, MunicipalityProfile, Shown
from dashboard.sparkline import segments
from dashboard.texts import HIDDEN_TEXT, years_text

#: Unicode fonts with ä/ö/ü/ß, "•", "–" and "−" (Debian: fonts-dejavu-core or fonts-liberation).
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
)
FONT = "ProfileSans"
DARK = (31, 78, 121)
MUTED = (90, 90, 90)


class ProfileFileError(RuntimeError):
    """A file cannot be written (German message, e.g. no Unicode font installed)."""


def file_name(text: str, suffix: str) -> str:
    """'Sozialraumprofil_Schevenhuette_2024.pdf'-style names, safe on every file system."""
    stem = re.sub(r"[^0-9A-Za-zÄÖÜäöüß]+", "-", text).strip("-")[:80] or "Profil"
    return f"{stem}.{suffix}"


def area_file_name(profile: AreaProfile, suffix: str) -> str:
    return file_name(f"Sozialraumprofil {profile.name} {profile.year}", suffix)


def municipality_file_name(profile: MunicipalityProfile, suffix: str) -> str:
    return file_name(f"Kommunenprofil {profile.name} {profile.theme} {profile.year}", suffix)


# ------------------------------------------------------------------ XLSX

def _cell(s: Shown) -> float | str:
    """A number where published, else the symbol or '–' as text (a hidden cell holds no number)."""
    return s.value if s.value is not None else s.text


def _bold_row(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _widths(sheet, widths: Sequence[int]) -> None:
    for i, w in enumerate(widths):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w


def _notes(profile: AreaProfile | MunicipalityProfile) -> list[list[str]]:
    lines = [[f"{profile.symbol} = {HIDDEN_TEXT}; – = keine Daten"]]
    if profile.attribution:
        lines.append([profile.attribution])
    if profile.synthetic:
        lines.append(["Alle Werte sind synthetische Demodaten – nicht für Entscheidungen verwenden."])
    return lines


def area_xlsx(profile: AreaProfile) -> bytes:
    """Three sheets: indicators (with the trend years), indices, Gestaltungsbedarfe."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Indikatoren"
    sheet.append([f"Sozialraumprofil {profile.name} ({profile.municipality}), {profile.year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Sozialraum-ID", profile.area_id])
    sheet.append(["Einwohner", _cell(profile.population)])
    sheet.append([])
    head = ["Thema", "Indikator", "Einheit", f"Sozialraum {profile.year}", f"Kommune {profile.municipality}",
            f"Region {profile.region}", "Rang", "von", "Klasse", *[str(y) for y in profile.years]]
    sheet.append(head)
    _bold_row(sheet, sheet.max_row)
    for block in profile.themes:
        for r in block.rows:
            sheet.append([block.theme, r.name, r.unit, _cell(r.area), _cell(r.municipality), _cell(r.region),
                          r.rank if r.rank is not None else r.rank_text, r.ranked if r.rank is not None else "",
                          r.class_text, *[_cell(s) for _, s in r.series]])
    sheet.append([])
    for line in _notes(profile):
        sheet.append(line)
    _widths(sheet, [24, 44, 12, 14, 16, 16, 7, 6, 26] + [9] * len(profile.years))
    sheet.freeze_panes = "C6"

    idx = book.create_sheet("Indizes")
    idx.append(["Index", "Wert", "Klasse", "Rang", "Hinweis"])
    _bold_row(idx, 1)
    for row in profile.indices:
        idx.append([row.name, _cell(row.value), row.class_label, row.rank_text, row.note])
    _widths(idx, [36, 10, 16, 12, 44])

    needs = book.create_sheet("Gestaltungsbedarfe")
    needs.append(["Handlungsfeld", "Bedarf", "Erfüllte Bedingungen", "Regel"])
    _bold_row(needs, 1)
    for row in profile.needs:
        needs.append([row.name, row.state_text, "; ".join(row.fired), row.rule_text])
    for cell in needs["D"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(needs, [30, 8, 60, 90])
    return _save(book)


def municipality_xlsx(profile: MunicipalityProfile) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sozialräume"
    sheet.append([f"Kommunenprofil {profile.name}: {profile.theme}, {profile.year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(["Sozialraum-ID", "Sozialraum", *[label for _, label in profile.indicators]])
    _bold_row(sheet, sheet.max_row)
    sheet.append(["", f"{profile.name} (Kommune)", *[_cell(s) for s in profile.municipality]])
    sheet.append(["", f"{profile.region} (Region)", *[_cell(s) for s in profile.region_values]])
    for area_id, name, row in zip(profile.area_ids, profile.area_names, profile.values, strict=True):
        sheet.append([area_id, name, *[_cell(s) for s in row]])
    sheet.append([])
    for line in _notes(profile):
        sheet.append(line)
    _widths(sheet, [14, 30] + [18] * len(profile.indicators))
    sheet.freeze_panes = "C4"
    return _save(book)


def _save(book: openpyxl.Workbook) -> bytes:
    for sheet in book.worksheets:
        xlsx_text_cells(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ PDF

def _fonts() -> tuple[str, str]:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            return regular, bold
    raise ProfileFileError("Für das PDF fehlt eine Unicode-Schrift (DejaVu Sans oder Liberation Sans), "
                           "z. B. apt-get install fonts-dejavu-core.")


class _Pdf(FPDF):
    def __init__(self, orientation: str, footer_text: str) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        regular, bold = _fonts()
        self.add_font(FONT, "", regular)
        self.add_font(FONT, "B", bold)
        self.footer_text = footer_text
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=14)
        self.set_creator("Sozialraum-Monitor")

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{self.footer_text} · Seite {self.page_no()}/{{nb}}", align="L")
        self.set_text_color(0, 0, 0)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten ``text`` with '…' to fit ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width - 1:
        return text
    while text and pdf.get_string_width(text + "…") > width - 1:
        text = text[:-1]
    return text + "…"


def _footer_text(profile: AreaProfile | MunicipalityProfile) -> str:
    parts = [f"{profile.symbol} = {HIDDEN_TEXT}", "– = keine Daten"]
    if profile.synthetic:
        parts.append("Demodaten (synthetisch)")
    return " · ".join(parts)


def _draw_areas(pdf: FPDF, geometry: PreparedGeometry, fills: dict[str, tuple[int, int, int]],
                box: tuple[float, float, float, float], outline: Sequence[str] = ()) -> None:
    """Draw the areas in ``fills`` (area_id -> RGB) as vector polygons fitted into ``box`` (x, y, w, h mm)."""
    simple = geometry.simplified
    if simple is None or not fills:
        return
    metric = simple.to_crs(METRIC_CRS)
    chosen = metric[metric["area_id"].isin(list(fills))]
    if not len(chosen):
        return
    minx, miny, maxx, maxy = chosen.total_bounds
    x0, y0, w, h = box
    scale = min(w / max(maxx - minx, 1), h / max(maxy - miny, 1))
    ox = x0 + (w - (maxx - minx) * scale) / 2
    oy = y0 + (h - (maxy - miny) * scale) / 2

    def rings(geom) -> list[list[tuple[float, float]]]:
        out = []
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type == "Polygon" and not poly.is_empty:
                coords = np.asarray(poly.exterior.coords)
                out.append([(ox + (x - minx) * scale, oy + (maxy - y) * scale) for x, y in coords])
        return out

    pdf.set_line_width(0.15)
    pdf.set_draw_color(90, 90, 90)
    for area_id, geom in zip(chosen["area_id"], chosen.geometry, strict=True):
        pdf.set_fill_color(*fills[area_id])
        for ring in rings(geom):
            pdf.polygon(ring, style="DF")
    pdf.set_line_width(0.7)
    pdf.set_draw_color(0, 0, 0)
    for area_id, geom in zip(chosen["area_id"], chosen.geometry, strict=True):
        if area_id in outline:
            for ring in rings(geom):
                pdf.polygon(ring, style="D")
    pdf.set_line_width(0.2)


def _hex(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) != 6:
        return (200, 200, 200)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _sparkline(pdf: FPDF, series: Sequence[tuple[int, Shown]], x: float, y: float, w: float, h: float) -> None:
    """The trend in the PDF: the same runs as on screen; hidden/missing years are gaps."""
    points = [(year, s.value) for year, s in series]
    pdf.set_draw_color(*DARK)
    pdf.set_line_width(0.3)
    for run in segments(points, width=w, height=h, pad=0.6):
        moved = [(x + px, y + py) for px, py in run]
        if len(moved) == 1:
            pdf.circle(moved[0][0], moved[0][1], 0.35, style="F")
        else:
            pdf.polyline(moved)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)


def _heading(pdf: FPDF, text: str, size: float = 11) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*DARK)
    pdf.cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def area_pdf(profile: AreaProfile, geometry: PreparedGeometry | None = None) -> bytes:
    """The Sozialraumprofil on A4 portrait pages."""
    pdf = _Pdf("P", _footer_text(profile))
    pdf.set_title(f"Sozialraumprofil {profile.name}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 8, f"Sozialraumprofil {profile.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    facts = [f"Kommune: {profile.municipality}", f"Region: {profile.region}", f"Sozialraum-ID: {profile.area_id}",
             f"Einwohner {profile.year}: {profile.population.text}", f"Datenstand: {profile.year} "
             f"(Verlauf {years_text(profile.years)})"]
    top = pdf.get_y()
    for line in facts:
        pdf.cell(110, 5, line, new_x="LMARGIN", new_y="NEXT")
    if profile.synthetic:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(110, 5, "Synthetische Demodaten – nicht für Entscheidungen verwenden.", new_x="LMARGIN", new_y="NEXT")
    if geometry is not None and geometry.simplified is not None:
        simple = geometry.simplified
        members = simple.loc[simple["municipality_id"] == profile.municipality_id, "area_id"]
        fills = {str(a): ((31, 78, 121) if a == profile.area_id else (225, 228, 232)) for a in members}
        _draw_areas(pdf, geometry, fills, (130, top, 68, 42), outline=(profile.area_id,))
        pdf.set_y(max(pdf.get_y(), top + 44))
    pdf.ln(3)

    _heading(pdf, "Indizes und Gestaltungsbedarfe")
    pdf.set_font(FONT, "", 8.5)
    for row in profile.indices:
        text = f"{row.name}: {row.value.text} – Klasse {row.class_label} – Rang {row.rank_text}"
        pdf.multi_cell(0, 4.4, text + (f" ({row.note})" if row.note else ""), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    for row in profile.needs:
        pdf.set_font(FONT, "B", 8.5)
        pdf.multi_cell(0, 4.4, f"{row.name}: {row.state_text}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 7.5)
        if row.fired:
            pdf.multi_cell(0, 3.8, "Erfüllt: " + "; ".join(row.fired), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(0, 3.8, "Regel: " + row.rule_text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(0.8)

    widths = (60, 18, 19, 19, 17, 30, 23)
    heads = ("Indikator", "Sozialraum", "Kommune", "Region", "Rang", "Klasse", "Verlauf")
    row_h = 4.6

    def head_row() -> None:
        pdf.set_font(FONT, "B", 7.5)
        pdf.set_fill_color(236, 240, 244)
        for w, text in zip(widths, heads, strict=True):
            pdf.cell(w, 5, text, border="B", fill=True, align="L" if text == "Indikator" else "R")
        pdf.ln(5)

    for block in profile.themes:
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(2)
        _heading(pdf, block.theme, 10.5)
        head_row()
        pdf.set_font(FONT, "", 7.5)
        for r in block.rows:
            if pdf.get_y() + row_h > pdf.h - 16:
                pdf.add_page()
                head_row()
                pdf.set_font(FONT, "", 7.5)
            y = pdf.get_y()
            cells = (r.label, r.area.text, r.municipality.text, r.region.text, r.rank_text, r.class_text)
            for w, text, align in zip(widths[:-1], cells, "LRRRRR", strict=True):
                pdf.cell(w, row_h, _fit(pdf, text, w), border="B", align=align)
            x = pdf.get_x()
            pdf.cell(widths[-1], row_h, "", border="B")
            _sparkline(pdf, r.series, x + 1.5, y + 0.6, widths[-1] - 3, row_h - 1.2)
            pdf.ln(row_h)
    pdf.ln(3)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 3.6, f"Rang 1 = höchster Bedarf unter allen Sozialräumen; Klasse wie im Atlas (Quantile, "
                           f"5 Klassen; Anzahlen als Dichte je km²). Verlauf: {years_text(profile.years)}, "
                           f"Lücke = kein veröffentlichter Wert. {profile.attribution}".strip(),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def municipality_pdf(profile: MunicipalityProfile, geometry: PreparedGeometry | None = None,
                     views: Sequence[MapView] = ()) -> bytes:
    """The Kommunenprofil on A4 landscape: the table, then one small map per indicator."""
    pdf = _Pdf("L", _footer_text(profile))
    pdf.set_title(f"Kommunenprofil {profile.name}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, f"Kommunenprofil {profile.name}: {profile.theme}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    pdf.cell(0, 5, f"{len(profile.area_ids)} Sozialräume · Datenstand {profile.year} · Region {profile.region}"
             + (" · synthetische Demodaten" if profile.synthetic else ""), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 7.5)
    first = 52
    rest = (pdf.w - 24 - first) / max(len(profile.indicators), 1)
    with pdf.table(col_widths=(first, *([rest] * len(profile.indicators))), text_align=(
            "LEFT", *(["RIGHT"] * len(profile.indicators))), line_height=4, first_row_as_headings=True,
            headings_style=FontFace(emphasis="BOLD", fill_color=(236, 240, 244))) as table:
        header = table.row()
        header.cell("Sozialraum")
        for _, label in profile.indicators:
            header.cell(label)
        for name, values in ((f"{profile.name} (Kommune)", profile.municipality),
                             (f"{profile.region} (Region)", profile.region_values),
                             *zip(profile.area_names, profile.values, strict=True)):
            row = table.row()
            row.cell(name)
            for s in values:
                row.cell(s.text)
    if geometry is not None and views:
        pdf.add_page()
        _heading(pdf, f"Karten: {profile.theme} {profile.year}")
        cols, w, h = 3, 88, 62
        for i, view in enumerate(views):
            col, line = i % cols, (i // cols) % 2
            if i and i % (cols * 2) == 0:
                pdf.add_page()
            x, y = 12 + col * (w + 5), 24 + line * (h + 26)
            pdf.set_xy(x, y)
            pdf.set_font(FONT, "B", 8)
            pdf.multi_cell(w, 3.8, _fit(pdf, view.title, w), new_x="LEFT", new_y="NEXT")
            fills = {a: _hex(view.colours[c]) for a, c in zip(geometry.area_ids, view.codes, strict=True)
                     if view.status_of(geometry.area_ids.index(a)) != "outside"}
            _draw_areas(pdf, geometry, fills, (x, y + 5, w, h - 6))
            pdf.set_xy(x, y + h)
            pdf.set_font(FONT, "", 6.5)
            legend = " · ".join(f"{e.label} ({e.count})" for e in view.legend)
            pdf.multi_cell(w, 3, legend, new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
