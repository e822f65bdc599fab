"""The committee's short report ("Kurzbericht für den Ausschuss") as content, before any file format.

One pure function of the page's state (year, filters, what-if ticks) gives every text and table
the PPTX and the PDF writers print, so both files say the same and the writers only lay out.
Applicant data is what the internal page already shows (id, title, applicant, association,
municipality, programme, amounts, status, score, parts and reasons) and nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.formatting import format_count
from dashboard.funding.assess import euro, percent, points, reason_text
from dashboard.funding.basis import NeedBasis
from dashboard.funding.config import PART_LABELS, PARTS, STATUSES, FundingConfig
from dashboard.funding.spread import Spread, default_approved, funded_amount, spread
from dashboard.funding.text import per_resident
from dashboard.funding.view import FILTER_KEYS, filter_rows, whatif_ids

MARKING = "Intern – nicht zur Veröffentlichung"
INTERNAL_NOTE = ("Interne Arbeitsunterlage mit Angaben zu Antragstellern (Anträge sind interne Arbeitsdaten): "
                 "nicht veröffentlichen, nicht an Dritte weitergeben.")
#: Applications whose reasons the report prints in full (the rest: notes of the slides and the XLSX).
TOP_REASONS = 10
FILTER_LABELS = {"programme": "Programm", "status": "Status", "municipality": "Kommune",
                 "association": "Wohlfahrtsverband", "field": "Feld"}
PART_SHORT = {"fit": "Pass.", "strength": "Stärke", "reach": "Reich.", "spread_municipality": "Str. K.",
              "spread_association": "Str. V."}


@dataclass(frozen=True)
class Table:
    """A table as shown texts; ``align`` per column ("L" or "R")."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """One application's reasons: its line in the list and every part's German reason."""

    rank: int
    application_id: str
    title: str
    score: str
    parts: tuple[tuple[str, str, str], ...]  # (part label, points, reason)
    rules: str
    text: str  # everything in one line (notes)


@dataclass(frozen=True)
class CommitteeSummary:
    title: str
    subtitle: str
    marking: str
    year: int
    period: str
    date: str
    programmes: tuple[str, ...]
    filters: str  # "" when no filter is set
    whatif: bool
    whatif_text: str
    figures: Table
    ranked: Table  # the whole (filtered) list
    ranked_ids: tuple[str, ...]
    reasons: tuple[Reason, ...]  # every listed application, in list order
    top_reasons: int
    municipalities: Table
    associations: Table
    coverage: str
    weights: Table
    rules: tuple[str, ...]
    definitions: tuple[str, ...]
    sources: tuple[str, ...]
    privacy: tuple[str, ...]
    synthetic: bool
    # For the map (the writers draw it through dashboard.charts): need basis and the shown spread.
    basis: NeedBasis
    spread: Spread
    field: str | None


def period_text(year: int, config: FundingConfig) -> str:
    first = year - config.period_years + 1
    return f"{first}–{year}" if first != year else str(year)


def _filters_text(filters: Mapping[str, Iterable[str]], basis: NeedBasis) -> str:
    parts = []
    for key in FILTER_KEYS:
        chosen = [str(v) for v in filters.get(key, ()) or ()]
        if chosen:
            names = [basis.need_names.get(v, v) for v in chosen] if key == "field" else chosen
            parts.append(f"{FILTER_LABELS[key]}: {', '.join(names)}")
    return "; ".join(parts)


def _sum(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if len(frame) else 0.0


def _figure_rows(rows: pd.DataFrame, year: int) -> list[tuple[str, str]]:
    counts = rows["status"].value_counts()
    awarded = rows[rows["status"] == "bewilligt"]
    out = [(f"Anträge {year}", format_count(len(rows)))]
    out += [(f"  davon {s}", format_count(int(counts.get(s, 0)))) for s in STATUSES]
    out += [("  nicht förderfähig (Programmregeln)", format_count(int((~rows["eligible"].astype(bool)).sum()))),
            ("Beantragt (alle Anträge)", euro(_sum(rows, "requested"))),
            ("Beantragt (offene Anträge)", euro(_sum(rows[rows["status"] == "beantragt"], "requested"))),
            ("Bewilligt", euro(_sum(awarded, "awarded")))]
    return out


def _ticked_sum(rows: pd.DataFrame, ticked: set[str]) -> tuple[int, float]:
    chosen = rows[rows["application_id"].isin(ticked)]
    return len(chosen), float(sum(funded_amount(r) for _, r in chosen.iterrows()))


def key_figures(ranked: pd.DataFrame, shown: pd.DataFrame, year: int, config: FundingConfig, filtered: bool,
                ticked: set[str] | None, decided: Spread, after: Spread | None) -> Table:
    """Counts per status and sums (filtered list beside all applications), budget, what-if, coverage."""
    mine, everything = _figure_rows(shown, year), _figure_rows(ranked, year)
    rows: list[tuple[str, ...]] = []
    for (label, value), (_, total) in zip(mine, everything, strict=True):
        rows.append((label, value, total) if filtered else (label, total))

    def line(label: str, total: str, value: str = "") -> None:
        rows.append((label, value, total) if filtered else (label, total))

    budget = config.budget.get(year)
    awarded = _sum(ranked[ranked["status"] == "bewilligt"], "awarded")
    if budget is not None:
        line(f"Verfügbare Mittel {year} (foerderung.toml)", euro(budget))
        line("  noch verfügbar nach Bewilligungen", euro(budget - awarded))
    if ticked is not None:
        n_all, sum_all = _ticked_sum(ranked, ticked)
        n_shown, sum_shown = _ticked_sum(shown, ticked)
        line("Was-wäre-wenn: als bewilligt angenommen", f"{format_count(n_all)} Anträge, {euro(sum_all)}",
             f"{format_count(n_shown)} Anträge, {euro(sum_shown)}")
        if budget is not None:
            line("  noch verfügbar mit dieser Auswahl", euro(budget - sum_all))
    line("Bedarfsdeckung (bewilligt)", percent(decided.coverage))
    if after is not None:
        line("Bedarfsdeckung mit Auswahl", percent(after.coverage))
    header = ("Kennzahl", "gefilterte Anträge", f"alle Anträge {year}") if filtered else ("Kennzahl", "Wert")
    return Table(header, tuple(rows), ("L", "R", "R") if filtered else ("L", "R"))


def ranked_table(shown: pd.DataFrame, ticked: set[str] | None) -> Table:
    """The list as the page shows it: rank, id, title, applicant, municipality, programme, amounts, points."""
    header = ["Rang", "Antrag", "Titel", "Antragsteller", "Kommune", "Programm", "Beantragt", "Status", "Punkte",
              *[PART_SHORT[p] for p in PARTS], "Förd."]
    if ticked is not None:
        header.append("Ausw.")
    rows = []
    for _, r in shown.iterrows():
        row = [str(int(r["rank"])), r["application_id"], r["title"], r["applicant"], r["municipalities"],
               r["programme"], euro(r["requested"]),
               f"{r['status']} ({euro(r['awarded'])})" if r["status"] == "bewilligt" else r["status"],
               f"{r['score']:.1f}".replace(".", ","), *[f"{r[p]:.1f}".replace(".", ",") for p in PARTS],
               "ja" if r["eligible"] else "nein"]
        if ticked is not None:
            row.append("✓" if r["application_id"] in ticked else "")
        rows.append(tuple(str(c) for c in row))
    align = ("R", "L", "L", "L", "L", "L", "R", "L", "R", *["R"] * len(PARTS), "L") + (("L",) if ticked is not None
                                                                                         else ())
    return Table(tuple(header), tuple(rows), align)


def reasons_of(shown: pd.DataFrame) -> tuple[Reason, ...]:
    return tuple(Reason(
        rank=int(r["rank"]), application_id=r["application_id"], title=r["title"],
        score=f"{r['score']:.1f}".replace(".", ","),
        parts=tuple((PART_LABELS[p], points(r[p]), r[f"{p}_reason"]) for p in PARTS),
        rules=r["rules"], text=f"{r['rank']}. {r['application_id']} „{r['title']}“: {reason_text(r)}",
    ) for _, r in shown.iterrows())


def spread_table(before: pd.DataFrame, after: pd.DataFrame | None, name_column: str, label: str) -> Table:
    """Amount, share of funds, share of need, € per resident in need; with the what-if beside the decided."""
    if after is None:
        rows = tuple((str(r[name_column]), euro(r["amount"]), percent(r["share_funds"]), percent(r["share_need"]),
                      format_count(round(r["residents_in_need"])), per_resident(r["per_resident"]))
                     for _, r in before.iterrows())
        return Table((label, "Mittel", "Anteil Mittel", "Anteil Bedarf", "Einw. mit Bedarf", "€ je Einw. m. B."),
                     rows, ("L", "R", "R", "R", "R", "R"))
    other = after.set_index(name_column)
    rows_list = []
    names = list(before[name_column]) + [n for n in after[name_column] if n not in set(before[name_column])]
    first = before.set_index(name_column)
    for name in names:
        b = first.loc[name] if name in first.index else None
        a = other.loc[name] if name in other.index else None

        def cell(row, column, fmt):
            return fmt(row[column]) if row is not None else "–"

        need = a if a is not None else b
        rows_list.append((str(name), cell(b, "amount", euro), cell(a, "amount", euro),
                          cell(b, "share_funds", percent), cell(a, "share_funds", percent),
                          percent(need["share_need"]), cell(b, "per_resident", per_resident),
                          cell(a, "per_resident", per_resident)))
    return Table((label, "Mittel bisher", "Mittel mit Auswahl", "Anteil bisher", "Anteil mit Auswahl", "Anteil Bedarf",
                  "€/Einw. bisher", "€/Einw. mit Auswahl"), tuple(rows_list), ("L", *["R"] * 7))


def weights_table(config: FundingConfig, basis: NeedBasis) -> Table:
    index = basis.strength_name or (config.strength_index or "kein Index")
    classes = ", ".join(f"{k} = {points(v)}" for k, v in config.class_points.items())
    rules = {
        "fit": "Anteil der Zielräume mit Gestaltungsbedarf in einem der adressierten Felder",
        "strength": f"mittlere Klassenpunkte des {index} in den Zielräumen ({classes})",
        "reach": f"Einwohner der passenden Zielräume / {format_count(round(config.full_reach))} (höchstens 1)",
        "spread_municipality": "1, solange der Anteil der Kommune an den Mitteln des Zeitraums ihren Anteil am "
                               "Bedarf nicht übersteigt, sonst Anteil Bedarf / Anteil Mittel",
        "spread_association": "wie Streuung Kommune, für den Wohlfahrtsverband (Bedarf seiner Zielräume)",
    }
    total = config.total_weight
    rows = tuple((PART_LABELS[p], points(config.weight(p)), percent(config.weight(p) / total if total else float("nan")),
                  rules[p]) for p in PARTS)
    return Table(("Teil", "Gewicht (Punkte)", "Anteil", "Regel (Teil 0 bis 1 × Gewicht)"), rows, ("L", "R", "R", "L"))


def rule_lines(config: FundingConfig, year: int) -> tuple[str, ...]:
    lines = []
    for p in config.programmes.values():
        limit = f"Höchstbetrag {euro(p.limit)}" if p.limit else "kein Höchstbetrag"
        lines.append(f"{p.name}: {limit}; Pflichtangaben: {', '.join(p.required) or 'keine'}")
    if config.one_per_applicant:
        lines.append("Ein (nicht abgelehnter) Antrag je Antragsteller und Förderjahr; weitere sind nicht förderfähig.")
    lines.append(f"Streuung über den Zeitraum {period_text(year, config)} (bewilligte Mittel, ohne den Antrag selbst).")
    lines.append("Programmregeln geben keine Punkte: ein Antrag, der eine Regel verletzt, ist „nicht förderfähig“ "
                 "und steht nach allen anderen.")
    lines.append("Gewichte und Regeln stehen in foerderung.toml (Daten, nicht Code); eine Änderung ordnet die Liste neu.")
    return tuple(lines)


DEFINITIONS = (
    "Punkte: Summe der Teile (je 0 bis 1) × Gewicht; Rang nach förderfähig, Punkten, Antrags-ID.",
    "Mittel: bewilligte Beträge des Zeitraums; ein Antrag für mehrere Sozialräume zählt je Raum zu gleichen Teilen.",
    "Anteil Mittel: Mittel der Einheit / alle Mittel des Zeitraums.",
    "Anteil Bedarf (Kommune): Einwohner in Sozialräumen mit mindestens einem Gestaltungsbedarf / die der Region; "
    "(Verband): Einwohner mit Bedarf in den Zielräumen seiner Anträge / Summe über alle Verbände.",
    "€ je Einw. m. B.: Mittel / Einwohner in Sozialräumen mit Gestaltungsbedarf.",
    "Bedarfsdeckung: Anteil der Einwohner mit Bedarf, deren Sozialraum ein bewilligter Antrag in einem dort "
    "festgestellten Feld adressiert.",
    "Was-wäre-wenn: die auf der Seite angehakten Anträge des Förderjahres gelten als bewilligt (ein offener mit dem "
    "beantragten Betrag); frühere Jahre des Zeitraums wie entschieden.",
)


def committee_summary(ranked: pd.DataFrame, basis: NeedBasis, config: FundingConfig, applications: pd.DataFrame,
                      year: int, *, filters: Mapping[str, Iterable[str]] | None = None,
                      ticked: Iterable[str] | None = None, bundle_title: str = "", region: str = "",
                      attribution: str = "", synthetic: bool = False, today: dt.date | None = None) -> CommitteeSummary:
    """The report of ``year``: ``filters`` as on the page, ``ticked`` the what-if ids (None: as decided).

    Ticks equal to the decided approvals are no what-if (the page opens with those ticked).
    """
    filters = {k: [str(v) for v in (filters or {}).get(k, ()) or ()] for k in FILTER_KEYS}
    shown = filter_rows(ranked, filters)
    decided = spread(applications, basis, year, config)
    year_ids = set(ranked["application_id"])
    ticks = None if ticked is None else {str(t) for t in ticked} & year_ids
    if ticks is not None and ticks == default_approved(ranked):
        ticks = None
    after = None
    if ticks is not None:
        after = spread(applications, basis, year, config, whatif_ids(applications, year, config, ticks))
    filtered = bool(_filters_text(filters, basis))
    programmes = tuple(p for p in config.programmes if p in set(shown["programme"])) or tuple(config.programmes)
    period = period_text(year, config)
    date = (today or dt.date.today()).strftime("%d.%m.%Y")
    whatif_text = ""
    if ticks is not None:
        n, amount = _ticked_sum(ranked, ticks)
        whatif_text = (f"Was-wäre-wenn: {format_count(n)} Anträge des Jahres {year} als bewilligt angenommen "
                       f"({euro(amount)}); Streuung und Karte zeigen diese Auswahl.")
    shown_spread = after or decided
    coverage = (f"Bedarfsdeckung {percent(decided.coverage)} der Einwohner in Sozialräumen mit Gestaltungsbedarf"
                + (f", mit Auswahl {percent(after.coverage)}" if after is not None else "")
                + f"; Mittel {period}: {euro(decided.total)}" + (f", mit Auswahl {euro(after.total)}" if after else ""))
    sources = [f"Datenpaket: {bundle_title}" + (f" ({region})" if region else ""),
               f"Gestaltungsbedarfe, Indizes und Einwohner: Datenjahr {basis.year} (nur veröffentlichte Werte)",
               "Gestaltungsbedarfe: " + (", ".join(basis.need_names.values()) or "keine"),
               f"Anträge: antraege.csv|xlsx des Datenpakets, Förderjahr {year}, Zeitraum der Streuung {period}",
               f"Stand: {date}"]
    if attribution:
        sources.append(f"Quellen und Lizenzen: {attribution}")
    privacy = [INTERNAL_NOTE,
               "Öffentliche Bereitstellungen enthalten keine Anträge (antraege.csv und foerderung.toml bleiben "
               "draußen); öffentliche Seiten zeigen keine Angaben zu Antragstellern.",
               "Bedarfe und Einwohner stammen nur aus veröffentlichten Werten: ausgeblendete (Datenschutz) oder "
               "fehlende Werte zählen nicht (Einwohner 0, Bedarf „ohne Entscheidung“); keine Zahl hier lässt einen "
               "ausgeblendeten Wert zurückrechnen."]
    if synthetic:
        privacy.append("Alle Werte und Anträge sind synthetische Demodaten – nicht für Entscheidungen verwenden.")
    field = next((f for f in filters["field"] if f in basis.flags), None)
    title = f"Förderung nach Bedarf {year}"
    return CommitteeSummary(
        title=title, subtitle="Kurzbericht für den Ausschuss (Sitzungsvorlage)", marking=MARKING, year=year,
        period=period, date=date, programmes=programmes, filters=_filters_text(filters, basis),
        whatif=ticks is not None, whatif_text=whatif_text,
        figures=key_figures(ranked, shown, year, config, filtered, ticks, decided, after),
        ranked=ranked_table(shown, ticks), ranked_ids=tuple(shown["application_id"]), reasons=reasons_of(shown),
        top_reasons=min(TOP_REASONS, len(shown)),
        municipalities=spread_table(decided.municipalities, None if after is None else after.municipalities, "name",
                                    "Kommune"),
        associations=spread_table(decided.associations, None if after is None else after.associations, "association",
                                  "Wohlfahrtsverband"),
        coverage=coverage, weights=weights_table(config, basis), rules=rule_lines(config, year),
        definitions=DEFINITIONS, sources=tuple(sources), privacy=tuple(privacy), synthetic=synthetic,
        basis=basis, spread=shown_spread, field=field,
    )


def summary_for(published, year: int, filters: Mapping[str, Iterable[str]] | None = None,
                ticked: Iterable[str] | None = None, today: dt.date | None = None) -> CommitteeSummary:
    """``committee_summary`` of a published bundle (the page's and the CLI's entry point)."""
    from dashboard.funding import cached_evaluation

    result = cached_evaluation(published, year)
    cfg = published.config
    return committee_summary(result.ranked, result.basis, result.config, published.applications, year,
                             filters=filters, ticked=ticked, bundle_title=cfg.title, region=cfg.region or "",
                             attribution=cfg.attribution or "", synthetic=bool(cfg.synthetic), today=today)


def file_name(year: int, fmt: str) -> str:
    """'Foerderung_2024_Kurzbericht.pptx' (no umlauts: safe on every file system and mail client)."""
    return f"Foerderung_{year}_Kurzbericht.{fmt}"
