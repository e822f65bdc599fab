"""The committee's tables: ranked list with scores and reasons, spread tables, metadata.

CSV (scripts), CSV for German Excel and XLSX; every text cell passes ``dashboard.cells`` so no
applicant's or title's text can become a formula in a spreadsheet.
"""

from __future__ import annotations

import io

import pandas as pd

from dashboard.cells import csv_frame, xlsx_text_cells
from dashboard.funding.assess import percent, points
from dashboard.funding.config import PART_LABELS, PARTS, FundingConfig
from dashboard.funding.spread import Spread
from dashboard.publish import Published
from dashboard.tables import ExportFormat

#: German headers of the ranked list (and the canonical names of the plain CSV).
LIST_HEADERS = {
    "rank": "Rang", "application_id": "Antrag", "title": "Titel", "applicant": "Antragsteller",
    "association": "Wohlfahrtsverband", "programme": "Programm", "municipalities": "Kommune",
    "target": "Sozialräume", "fields": "Felder", "requested": "Beantragt (€)", "status": "Status",
    "awarded": "Bewilligt (€)", "score": "Punkte", "eligible": "Förderfähig",
    **{p: PART_LABELS[p] for p in PARTS},
    **{f"{p}_reason": f"Begründung {PART_LABELS[p]}" for p in PARTS},
    "rules": "Programmregeln",
}
MUNICIPALITY_HEADERS = {"name": "Kommune", "amount": "Mittel (€)", "share_funds": "Anteil an den Mitteln",
                        "residents_in_need": "Einwohner mit Bedarf", "share_need": "Anteil am Bedarf",
                        "per_resident": "€ je Einwohner mit Bedarf"}
ASSOCIATION_HEADERS = {"association": "Wohlfahrtsverband", **{k: v for k, v in MUNICIPALITY_HEADERS.items()
                                                              if k != "name"}}


def list_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked list with canonical columns (no internal tuples)."""
    return ranked[list(LIST_HEADERS)].copy()


def _german_number(value: float, decimals: int) -> str:
    if value != value:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def _shown_list(ranked: pd.DataFrame) -> pd.DataFrame:
    out = list_table(ranked)
    out["eligible"] = ["ja" if e else "nein" for e in out["eligible"]]
    return out


def _spread_sheet(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    return frame[list(headers)].rename(columns=headers)


def export_ranking(ranked: pd.DataFrame, fmt: ExportFormat) -> bytes:
    """The ranked list alone (CLI): plain CSV, German CSV, or XLSX without spread sheets."""
    if fmt == "csv":
        plain = list_table(ranked)
        return csv_frame(plain).to_csv(index=False, lineterminator="\n").encode("utf-8")
    shown = _shown_list(ranked)
    if fmt == "csv-de":
        for col in ("requested", "awarded"):
            shown[col] = [_german_number(v, 2) for v in shown[col]]
        for col in (*PARTS, "score"):
            shown[col] = [_german_number(v, 2 if col != "score" else 1) for v in shown[col]]
        text = csv_frame(shown.rename(columns=LIST_HEADERS)).to_csv(index=False, sep=";", lineterminator="\r\n")
        return ("\ufeff" + text).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx({"Rangliste": shown.rename(columns=LIST_HEADERS)})
    raise ValueError(f"unknown export format: {fmt}")


def metadata(published: Published, year: int, config: FundingConfig, basis_year: int,
             result: Spread | None = None) -> pd.DataFrame:
    """Source, settings and notes for the committee's workbook."""
    rows = [
        ("Datenpaket", published.config.title),
        ("Förderjahr", str(year)),
        ("Zeitraum der Streuung", f"{year - config.period_years + 1}–{year}" if config.period_years > 1 else str(year)),
        ("Gestaltungsbedarfe und Indizes", f"Datenjahr {basis_year}"),
        ("Gewichte", "; ".join(f"{PART_LABELS[p]} {points(config.weight(p))}" for p in PARTS)),
        ("Bedarfsstärke", f"Index {config.strength_index or '–'}: "
                          + ", ".join(f"{k} = {points(v)}" for k, v in config.class_points.items())),
        ("Reichweite", f"volle Punkte ab {_german_number(config.full_reach, 0)} Einwohnern in Zielräumen mit Bedarf"),
        ("Programme", "; ".join(f"{p.name}: Höchstbetrag {_german_number(p.limit, 0) + ' €' if p.limit else 'keiner'}, "
                                f"Pflichtangaben {', '.join(p.required) or 'keine'}" for p in config.programmes.values())),
        ("Ein Antrag je Antragsteller und Jahr", "ja" if config.one_per_applicant else "nein"),
        ("Hinweis", "Interne Arbeitsunterlage: enthält Angaben zu Antragstellern – nicht veröffentlichen."
                    + (" Demodaten (synthetisch)." if published.config.synthetic else "")),
    ]
    if result is not None:
        rows.insert(4, ("Bewilligte Mittel im Zeitraum", f"{_german_number(result.total, 2)} € "
                       f"({len(result.approved)} Anträge)"))
        rows.insert(5, ("Bedarfsdeckung", f"{percent(result.coverage)} der Einwohner mit Bedarf leben in einem "
                                          "Sozialraum, in dem ein bewilligter Antrag ein dort festgestelltes Feld adressiert"))
    return pd.DataFrame(rows, columns=["Angabe", "Inhalt"])


def committee_workbook(published: Published, ranked: pd.DataFrame, result: Spread, year: int, config: FundingConfig,
                       basis_year: int) -> bytes:
    """XLSX for the committee: ranked list, spread per municipality and association, metadata."""
    return _xlsx({
        "Rangliste": _shown_list(ranked).rename(columns=LIST_HEADERS),
        "Streuung Kommunen": _spread_sheet(result.municipalities, MUNICIPALITY_HEADERS),
        "Streuung Verbände": _spread_sheet(result.associations, ASSOCIATION_HEADERS),
        "Quelle": metadata(published, year, config, basis_year, result),
    })


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        for worksheet in writer.sheets.values():
            xlsx_text_cells(worksheet)
    return buffer.getvalue()
