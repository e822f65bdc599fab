"""The PowerPoint deck of a view (python-pptx, 16:9): title, maps, ranking, time series,
area profiles (the profile figure of ``charts.profile_chart``), indices and Gestaltungsbedarfe, sources.

Titles and notes are editable text boxes, charts are pictures rendered by the warm renderer
from the same figure builders as the screen, tables are real PowerPoint tables. Every number
comes from published data (hidden cells are the symbol), and every slide's notes hold the
indicator's definition.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from dashboard.charts.canvas import Canvas
from dashboard.exports.area_summary import area_summary
from dashboard.exports.images import figure_for, map_views_of
from dashboard.exports.names import export_name
from dashboard.exports.renderer import Renderer, renderer
from dashboard.formatting import NO_DATA, format_number, format_signed
from dashboard.prepared import Prepared
from dashboard.ranking import ranking_view
from dashboard.state import MAX_SERIES_AREAS, ViewState
from dashboard.texts import HIDDEN_TEXT, caption_text, hidden_note, years_text

#: Slide size 16:9 and the picture area under the title (inches).
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
PICTURE_TOP, PICTURE_HEIGHT = Inches(1.35), Inches(5.45)
#: The picture's canvas: 1920 px over the slide's width, so 1 px = 0.5 pt (24 px type = 12 pt).
DECK_PICTURE = Canvas("deck", "Folienbild", 1920, 785, 36, 26, 20, 180, framed=False)
TABLE_ROWS = 15
ROW_HEIGHT = Inches(0.33)
DARK, MUTED, ACCENT = RGBColor(0x21, 0x25, 0x29), RGBColor(0x49, 0x50, 0x57), RGBColor(0x08, 0x51, 0x9C)
PRIVACY_NOTE = (f"Datenschutz: Werte kleiner Fallzahlen und Werte, aus denen sie sich zurückrechnen ließen, "
                f"sind {HIDDEN_TEXT} (Zeichen „{{symbol}}“). Summen, Ränge, Klassen und Indizes sind nur aus "
                f"veröffentlichten Werten berechnet; „{NO_DATA}“ bedeutet keine Daten.")

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DeckOptions:
    """``ranking``: 'top' (top and bottom areas) or 'table' (every ranked row over several slides)."""

    ranking: str = "top"
    top: int = 10


DEFAULT_DECK = DeckOptions()


def _noop(_done: int, _total: int, _text: str) -> None:
    return None


class DeckWriter:
    """A 16:9 presentation under construction: slides with an editable title, a footer caption and
    notes (+ ``definition``), text boxes, pictures and real tables. Every deck builds on this."""

    def __init__(self, caption: str = "", definition: str = "") -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.caption, self.definition = caption, definition

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # Building blocks -------------------------------------------------------------------------
    def slide(self, title: str, notes: str = "", subtitle: str = "", caption: str | None = None) -> object:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.75)
        _set_text(shape.text_frame, title, 28, bold=True, colour=DARK, left=True)
        if subtitle:
            self.text(slide, subtitle, MARGIN, Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.4), 14, colour=MUTED)
        self.text(slide, self.caption if caption is None else caption, MARGIN, Inches(6.85), WIDTH - 2 * MARGIN,
                  Inches(0.55), 9, colour=MUTED)
        slide.notes_slide.notes_text_frame.text = "\n\n".join(t for t in (notes, self.definition) if t)
        return slide

    def text(self, slide: object, text: str, left: Emu, top: Emu, width: Emu, height: Emu, size: int,
             bold: bool = False, colour: RGBColor = DARK) -> object:
        box = slide.shapes.add_textbox(left, top, width, height)
        box.text_frame.word_wrap = True
        _set_text(box.text_frame, text, size, bold, colour)
        return box

    def picture(self, slide: object, png: bytes, top: Emu = PICTURE_TOP, height: Emu | None = None) -> object:
        """The picture across the slide (or ``height`` high, centred)."""
        if height is None:
            return slide.shapes.add_picture(io.BytesIO(png), MARGIN, top, width=WIDTH - 2 * MARGIN)
        shape = slide.shapes.add_picture(io.BytesIO(png), MARGIN, top, height=height)
        shape.left = int((WIDTH - shape.width) / 2)
        return shape

    def table(self, slide: object, header: list[str], rows: list[list[str]], widths: list[float],
              top: Emu = PICTURE_TOP, size: int = 13, align: str | None = None, row_height: Emu = ROW_HEIGHT,
              left: Emu = MARGIN, width: Emu | None = None) -> object:
        """A PowerPoint table; ``align`` one letter per column ("L"/"R", default: narrow columns right)."""
        width = WIDTH - 2 * MARGIN if width is None else width
        shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, row_height * (len(rows) + 1))
        table = shape.table
        total = sum(widths)
        for j, w in enumerate(widths):
            table.columns[j].width = int(width * w / total)
        for j, text in enumerate(header):
            _set_text(table.cell(0, j).text_frame, text, size, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF),
                      right=align is not None and align[j] == "R")
        for i, row in enumerate(rows, start=1):
            for j, text in enumerate(row):
                right = align[j] == "R" if align is not None else j > 0 and widths[j] <= 1.2
                _set_text(table.cell(i, j).text_frame, text, size, colour=DARK, right=right)
        return shape


class _Deck(DeckWriter):
    """The deck of one view, with the view's common texts."""

    def __init__(self, prepared: Prepared, state: ViewState) -> None:
        super().__init__(caption_text(prepared.published, state.indicator), definition_text(prepared, state.indicator))
        self.prepared, self.state = prepared, state
        self.published = prepared.for_indicator(state.indicator)
        self.ind = prepared.catalogue[state.indicator]


def _set_text(frame: object, text: str, size: int, bold: bool = False, colour: RGBColor = DARK,
              right: bool = False, left: bool = False) -> None:
    from pptx.enum.text import PP_ALIGN

    frame.clear()
    for k, line in enumerate(str(text).split("\n")):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
        if right or left:
            para.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT


def definition_text(prepared: Prepared, indicator_id: str) -> str:
    """The indicator's definition for the slide notes (name, definition, unit, counts, source)."""
    info = prepared.catalogue[indicator_id].info()
    parts = [("Indikator", info["name"]), ("Definition", info["description"]), ("Einheit", info["unit"]),
             ("Art", info["kind"]), ("Zähler", info["numerator"]), ("Nenner", info["denominator"]),
             ("Lesart", info["direction"]), ("Quelle", info["source"]),
             ("Indikatoren des Index", info.get("inputs", "")), ("Methode", info.get("method", "")),
             ("Klassen", info.get("classes", ""))]
    return "\n".join(f"{k}: {v}" for k, v in parts if v)


def view_summary(prepared: Prepared, state: ViewState) -> str:
    """The view in words: filter, selection, compare mode (title slide and notes)."""
    names = dict(zip(prepared.published.municipalities["municipality_id"],
                     prepared.published.municipalities["municipality_name"], strict=True))
    lines = []
    if state.municipalities:
        lines.append("Kommunen: " + ", ".join(str(names.get(m, m)) for m in state.municipalities))
    if state.areas:
        shown = [prepared.area_name(a) for a in state.areas]
        lines.append("Ausgewählte Sozialräume: " + ", ".join(shown[:12]) + (" …" if len(shown) > 12 else ""))
    if state.compare == "indicator":
        lines.append(f"Vergleich mit: {prepared.catalogue[state.compare_indicator].name}")
    elif state.compare in ("year", "change") and state.compare_year is not None:
        lines.append(("Vergleich mit dem Jahr " if state.compare == "year" else "Veränderung seit/bis ")
                     + str(state.compare_year))
    return "\n".join(lines)


def slide_plan(prepared: Prepared, state: ViewState, options: DeckOptions = DEFAULT_DECK) -> list[str]:
    """The slides the deck will have, in order (also the progress bar's steps)."""
    plan = ["title", "map"]
    if state.compare:
        plan.append("compare")
    plan.append("ranking")
    ranked = int(ranking_view(prepared.for_indicator(state.indicator), state)["rank"].notna().sum())
    if options.ranking == "table":
        plan += [f"table:{k}" for k in range(0, max(ranked, 1), TABLE_ROWS)]
    else:
        plan.append("table:top")
    plan.append("series")
    plan += [f"profile:{a}" for a in state.areas[:MAX_SERIES_AREAS]]
    if prepared.published.needs:
        plan.append("needs")
    if prepared.published.indices and state.areas:
        plan.append("indices")
    plan.append("sources")
    return plan


def build_deck(prepared: Prepared, state: ViewState, options: DeckOptions = DEFAULT_DECK,
               engine: Renderer | None = None, progress: Progress = _noop) -> tuple[bytes, str]:
    """Bytes and file name of the deck; ``progress(done, total, text)`` after every slide."""
    engine = engine or renderer()
    deck = _Deck(prepared, state)
    plan = slide_plan(prepared, state, options)
    for done, step in enumerate(plan):
        progress(done, len(plan), _step_text(step))
        _build_step(deck, step, engine, options)
    progress(len(plan), len(plan), "Foliensatz fertig")
    out = io.BytesIO()
    deck.prs.save(out)
    return out.getvalue(), export_name(prepared.published, state, "deck", "pptx")


def _step_text(step: str) -> str:
    kind = step.split(":")[0]
    return {"title": "Titelfolie", "map": "Karte", "compare": "Vergleichskarte", "ranking": "Rangfolge",
            "table": "Rangtabelle", "series": "Zeitreihe", "profile": "Profil", "needs": "Gestaltungsbedarfe",
            "indices": "Indizes", "sources": "Quellen"}.get(kind, kind)


def _build_step(deck: _Deck, step: str, engine: Renderer, options: DeckOptions) -> None:
    kind, _, arg = step.partition(":")
    builders = {"title": _title, "map": _map, "compare": _map, "ranking": _ranking, "series": _series,
                "needs": _needs, "indices": _indices, "sources": _sources}
    if kind == "table":
        _table(deck, arg, options)
    elif kind == "profile":
        _profile(deck, arg, engine)
    elif kind in ("map", "compare"):
        _map(deck, engine, kind)
    elif kind in ("ranking", "series"):
        builders[kind](deck, engine, options)
    else:
        builders[kind](deck)


def _title(deck: _Deck) -> None:
    cfg = deck.prepared.published.config
    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[0])
    title, sub = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(2.0), WIDTH - 2 * MARGIN, Inches(1.4)
    sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(3.5), WIDTH - 2 * MARGIN, Inches(2.4)
    _set_text(title.text_frame, deck.ind.title(deck.state.year), 40, bold=True, colour=DARK)
    lines = [cfg.region or cfg.title, f"Stand: {dt.date.today().strftime('%d.%m.%Y')}"]
    summary = view_summary(deck.prepared, deck.state)
    lines += [summary] if summary else []
    if cfg.synthetic:
        lines.append("Demodaten (synthetisch) – nicht für Entscheidungen verwenden")
    _set_text(sub.text_frame, "\n".join(lines), 20, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = deck.definition


def _map(deck: _Deck, engine: Renderer, kind: str) -> None:
    first, second = map_views_of(deck.prepared, deck.state)
    view = second if kind == "compare" and second is not None else first
    figure = figure_for(deck.prepared, deck.state, kind, DECK_PICTURE)
    notes = [view.note, hidden_note(view.hidden_count), "Umrandet: ausgewählte Sozialräume." if view.selected else ""]
    slide = deck.slide(view.title, "\n".join(n for n in notes if n), view.subtitle)
    deck.picture(slide, engine.render(figure, "png"))


def _ranking(deck: _Deck, engine: Renderer, options: DeckOptions) -> None:
    from dashboard.charts.ranking_chart import ranking_figure

    figure = ranking_figure(deck.published, deck.state, DECK_PICTURE, options.top)
    slide = deck.slide(f"Rangfolge: {deck.ind.title(deck.state.year)}",
                       "Rang 1 = höchster Bedarf. Sozialräume ohne veröffentlichten Wert haben keinen Rang.",
                       f"Die {options.top} Sozialräume mit dem höchsten und dem niedrigsten Bedarf")
    deck.picture(slide, engine.render(figure, "png"))


def _ranking_rows(deck: _Deck) -> pd.DataFrame:
    return ranking_view(deck.published, deck.state)


def _row_texts(deck: _Deck, row: pd.Series) -> list[str]:
    symbol = deck.prepared.published.symbol
    hidden = bool(row["hidden"])
    rank = "" if pd.isna(row["rank"]) else str(int(row["rank"]))
    value = symbol if hidden else format_number(row["value"], deck.ind.decimals)
    diff = "" if not deck.ind.compares_to_region else (symbol if hidden else format_signed(row["diff"], "", deck.ind.decimals))
    return [rank, str(row["name"]), str(row["municipality_name"]), value, diff, str(row["class_label"] or "")]


def _table(deck: _Deck, arg: str, options: DeckOptions) -> None:
    table = _ranking_rows(deck)
    ranked = table[table["rank"].notna()]
    unit = f" ({deck.ind.unit})" if deck.ind.unit else ""
    header = ["Rang", "Sozialraum", "Kommune", f"Wert{unit}", "" if not deck.ind.compares_to_region else "Differenz zur Region",
              "Klasse"]
    if arg == "top":
        half = max(1, min(options.top, TABLE_ROWS // 2))
        part = ranked if len(ranked) <= 2 * half else pd.concat([ranked.head(half), ranked.tail(half)])
        title = f"Rangfolge (Tabelle): {deck.ind.title(deck.state.year)}"
        sub = f"höchster und niedrigster Bedarf, {len(ranked)} Sozialräume mit Rang"
    else:
        start = int(arg)
        part = ranked.iloc[start:start + TABLE_ROWS]
        title = f"Rangfolge {start + 1}–{start + len(part)}: {deck.ind.title(deck.state.year)}"
        sub = f"{len(ranked)} Sozialräume mit Rang"
    hidden = int(table["hidden"].sum())
    notes = hidden_note(hidden)
    slide = deck.slide(title, notes, sub)
    deck.table(slide, header, [_row_texts(deck, r) for _, r in part.iterrows()], [0.7, 3, 2.2, 1.2, 1.6, 2.4],
               size=12)


def _series(deck: _Deck, engine: Renderer, _options: DeckOptions) -> None:
    from dashboard.charts.series_chart import series_for, series_title

    figure, note = series_for(deck.published, deck.state, DECK_PICTURE)
    figure["layout"].update(width=DECK_PICTURE.width, height=DECK_PICTURE.height)
    slide = deck.slide(series_title(deck.published, deck.state), note,
                       "Ausgewählte Sozialräume, ihre Kommunen (gestrichelt) und die Region (fett); Lücken: "
                       "keine Daten oder Datenschutz")
    deck.picture(slide, engine.render(figure, "png"))


def _profile(deck: _Deck, area_id: str, engine: Renderer) -> None:
    """The area's profile figure (locator, index classes, Gestaltungsbedarfe, the theme's indicators
    against municipality and region) as the picture; its values as text in the notes."""
    from dashboard.charts.profile_chart import profile_figure
    from dashboard.exports.profile_image import profile_chart_data

    summary = area_summary(deck.prepared.published, area_id, deck.ind.theme, deck.state.year)
    data = profile_chart_data(deck.prepared, area_id, deck.state.year, deck.ind.theme)
    symbol = deck.prepared.published.symbol
    values = [f"{r.label}: {' · '.join(t for t in (r.area, r.municipality, r.region) if t)}" for r in summary.rows]
    notes = "\n".join([f"Thema {summary.theme}, {summary.year} – Sozialraum · Kommune · Region:", *values,
                       f"{symbol} = {HIDDEN_TEXT}; {NO_DATA} = keine Daten."])
    slide = deck.slide(f"Profil: {summary.area_name} ({summary.municipality_name})", notes,
                       f"Thema {summary.theme}, {summary.year}: Sozialraum, Kommune und Region; Lage in der Region, "
                       "Indizes und Gestaltungsbedarfe", caption=data.caption)  # the theme's sources
    deck.picture(slide, engine.render(profile_figure(data, deck.prepared.geometry, DECK_PICTURE), "png"))


def _needs(deck: _Deck) -> None:
    from dashboard.indices import compute_indices, evaluate_needs, need_counts

    published = deck.prepared.published
    year = deck.state.year
    needs = evaluate_needs(published, year, compute_indices(published, year))
    counts = need_counts(published, needs)
    names = {r.need_id: r.name for r in published.needs}
    columns = [c for c in counts.columns if c in names]
    header = ["Kommune", *[names[c] for c in columns], "mind. ein Bedarf", "Sozialräume"]
    rows = [[str(row["name"]), *[format_number(row[c], 0) for c in columns], format_number(row["any"], 0),
             format_number(row["areas"], 0)] for _, row in counts.iterrows()]
    notes = "\n".join(f"{r.name}: {r.text}" for r in published.needs)
    slide = deck.slide(f"Gestaltungsbedarfe {year}", notes, "Anzahl Sozialräume mit Gestaltungsbedarf je Kommune")
    deck.table(slide, header, rows[:TABLE_ROWS], [2.6] + [1.6] * len(columns) + [1.4, 1.2], size=11)


def _indices(deck: _Deck) -> None:
    from dashboard.indices import PROTECTED_STATUSES, compute_indices

    published = deck.prepared.published
    indices = compute_indices(published, deck.state.year)
    specs = [s for s in published.indices if s.index_id in indices]
    symbol = published.symbol
    rows = []
    for area in deck.state.areas[:TABLE_ROWS]:
        cells = []
        for spec in specs:
            frame = indices[spec.index_id]
            if area not in frame.index:
                cells.append(NO_DATA)
                continue
            status = str(frame.loc[area, "status"])
            cells.append(symbol if status in PROTECTED_STATUSES else (str(frame.loc[area, "class_label"] or NO_DATA)
                                                                      if status in ("ok", "partial") else NO_DATA))
        rows.append([deck.prepared.area_name(area), *cells])
    notes = "\n".join(f"{s.name}: {s.description}" for s in specs if s.description)
    slide = deck.slide(f"Indizes der ausgewählten Sozialräume {deck.state.year}", notes, "Klasse je Index")
    deck.table(slide, ["Sozialraum", *[s.name for s in specs]], rows, [2.6] + [1.5] * len(specs), size=11)


def _sources(deck: _Deck) -> None:
    published = deck.prepared.published
    cfg = published.config
    used = [deck.state.indicator] + ([deck.state.compare_indicator] if deck.state.compare == "indicator" else [])
    parts = []
    for ind_id in dict.fromkeys(used):
        info = published.catalogue[ind_id].info()
        parts.append(f"{info['name']}: {info['description']} Quelle: {info['source']}".strip())
    years = years_text(published.years)
    parts += [f"Datenpaket: {cfg.title} ({cfg.region}), Jahre {years}.",
              f"Quellen und Lizenzen: {cfg.attribution}" if cfg.attribution else "",
              PRIVACY_NOTE.format(symbol=published.symbol)]
    if cfg.synthetic:
        parts.append("Alle Werte sind synthetische Demodaten – nicht für Entscheidungen verwenden.")
    slide = deck.slide("Quellen, Definitionen und Datenschutz", "", "")
    deck.text(slide, "\n".join(p for p in parts if p), MARGIN, PICTURE_TOP - Inches(0.2), WIDTH - 2 * MARGIN,
              Inches(5.3), 13)
