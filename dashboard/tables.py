"""Ranking tables and their exports: one pipeline for the screen, the downloads and the CLI.

Everything here reads a ``Published`` object, so a suppressed value cannot appear in any table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.catalogue import Indicator
from dashboard.formatting import NO_DATA, format_count, format_number
from dashboard.publish import HIDDEN_STATUSES, Level, Published
from dashboard.sheets import (
    COUNT_FORMAT,
    INTEGER_FORMAT,
    TABLE_SHEET,
    Metadata,
    Sheet,
    bundle_rows,
    csv_bytes,
    csv_de_bytes,
    number_format,
    privacy_rules_text,
    selection_text,
    xlsx_bytes,
)

ExportFormat = Literal["csv", "csv-de", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "csv-de", "xlsx")

RANKING_COLUMNS = (
    "unit_id", "name", "municipality_id", "municipality_name",
    "value", "numerator", "denominator", "rank", "hidden",
)

#: Columns a view may add to a ranking table; the grid shows them, so the downloads carry them too.
#: ``diff``: value minus the region's value; ``class_no`` (1..k) and ``class_label`` (the limits);
#: ``reference``: True for the pinned region and municipality rows.
COMPARISON_COLUMNS = ("diff", "class_no", "class_label")
DIFF_HEADER = "Differenz zur Region"
CLASS_HEADER = "Klasse"
LIMITS_HEADER = "Klassengrenzen"


def _units(published: Published, level: Level) -> pd.DataFrame:
    """Id, name and municipality of every unit of a level."""
    if level == "area":
        a = published.areas
        return pd.DataFrame({
            "unit_id": a["area_id"].to_numpy(),
            "name": a["area_name"].to_numpy(),
            "municipality_id": a["municipality_id"].to_numpy(),
            "municipality_name": a["municipality_name"].to_numpy(),
        })
    if level == "municipality":
        m = published.municipalities
        return pd.DataFrame({
            "unit_id": m["municipality_id"].to_numpy(),
            "name": m["municipality_name"].to_numpy(),
            "municipality_id": m["municipality_id"].to_numpy(),
            "municipality_name": m["municipality_name"].to_numpy(),
        })
    return pd.DataFrame({
        "unit_id": [REGION_ID], "name": [published.config.region or "Region"],
        "municipality_id": [""], "municipality_name": [""],
    })


def region_value(published: Published, indicator_id: str, year: int) -> float:
    """The region's published value (NaN when missing or hidden): the reference of "Differenz"."""
    cells = published.level_cells("region", indicator_id, year)
    if cells.empty or cells["status"].iloc[0] in HIDDEN_STATUSES:
        return float("nan")
    return float(cells["value"].iloc[0])


def difference_unit(unit: str) -> str:
    """Differences of percentages are percentage points."""
    return "%-Pkt." if unit.strip() == "%" else unit


def difference_header(unit: str) -> str:
    unit = difference_unit(unit)
    return f"{DIFF_HEADER} ({unit})" if unit else DIFF_HEADER


def reference_table(
    published: Published, indicator_id: str, year: int, municipality_ids: Iterable[str] = (),
) -> pd.DataFrame:
    """The region and the given municipalities as reference rows (the grid pins them on top).

    Same columns as ``ranking_table`` plus ``reference`` (always True); no rank.
    """
    region = _units(published, "region").assign(name=lambda t: t["name"] + " (Region)")
    munis = _units(published, "municipality").set_index("unit_id")
    wanted = [m for m in dict.fromkeys(municipality_ids) if m in munis.index]
    munis = munis.loc[wanted].reset_index().assign(name=lambda t: t["name"] + " (Kommune)")
    parts = []
    for level, units in (("region", region), ("municipality", munis)):
        cells = published.level_cells(level, indicator_id, year)  # type: ignore[arg-type]
        parts.append(units.join(cells[["value", "numerator", "denominator", "status"]], on="unit_id"))
    table = pd.concat(parts, ignore_index=True)
    table["hidden"] = table["status"].isin(HIDDEN_STATUSES).astype(bool)
    for col in ("value", "numerator", "denominator"):
        table[col] = table[col].astype(float).where(~table["hidden"])
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["reference"] = True
    return table[[*RANKING_COLUMNS, "reference"]]


def need_ranks(values: np.ndarray, polarity: int) -> np.ndarray:
    """Rank 1 = most need (highest value, or lowest for polarity -1); ties share the lower rank as in
    reports; NaN (hidden or missing) gets no rank. The one ranking rule of tables, map and CLI."""
    return pd.Series(values).rank(method="min", ascending=polarity == -1).to_numpy(dtype=float)


def ranking_table(
    published: Published,
    indicator_id: str,
    year: int,
    level: Level = "area",
    municipalities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Units of one level ranked by need for one indicator and year.

    Rank 1 is the most need: the highest value for polarity 1 and 0, the lowest for polarity -1.
    Hidden (data protection) and missing rows carry no rank and come last; ties share the lower
    rank ("min" method), as rankings in reports do.
    """
    polarity = int(published.indicator(indicator_id)["polarity"])
    units = _units(published, level)
    if municipalities:
        wanted = set(municipalities)
        units = units[units["municipality_id"].isin(wanted)] if level != "region" else units
    cells = published.level_cells(level, indicator_id, year)
    table = units.join(cells[["value", "numerator", "denominator", "status"]], on="unit_id")
    table["hidden"] = table["status"].isin(HIDDEN_STATUSES)
    table["rank"] = pd.array(need_ranks(table["value"].to_numpy(dtype=float), polarity)).astype("Int64")
    table["_order"] = table["hidden"].astype(int) + table["value"].isna().astype(int)
    table = table.sort_values(["_order", "rank", "name"], na_position="last", kind="stable")
    return table[list(RANKING_COLUMNS)].reset_index(drop=True)


def _masked(table: pd.DataFrame, column: str, symbol: str, fmt: Callable[[float], Any]) -> list[Any]:
    """One column as shown: the symbol where a cell is hidden, else ``fmt(value)``."""
    return [symbol if h else fmt(v) for v, h in zip(table[column], table["hidden"], strict=True)]


def _excel_number(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def _csv_number(decimals: int) -> Callable[[float], str]:
    """German number for a CSV cell; an ASCII minus so that German Excel reads it as a number."""
    return lambda x: format_number(x, decimals).replace("\u2212", "-")


def _is_reference(table: pd.DataFrame) -> list[bool]:
    if "reference" not in table.columns:
        return [False] * len(table)
    return [r is True or r == 1 for r in table["reference"].fillna(False)]


def _count_labels(info: pd.Series) -> tuple[str, str]:
    num, den = info.get("numerator_label"), info.get("denominator_label")
    return (str(num) if isinstance(num, str) and num else "Zähler", str(den) if isinstance(den, str) and den else "Nenner")


def _has_counts(table: pd.DataFrame, info: pd.Series) -> bool:
    return bool(table["numerator"].notna().any() or (table["hidden"].any() and pd.notna(info["scale"])))


def _is_region(table: pd.DataFrame) -> list[bool]:
    return [u == REGION_ID for u in table["unit_id"]]


def shown_ids(ids: Iterable[str]) -> list[str]:
    """Ids as a file shows them: the region's internal id becomes empty (its name says "Region")."""
    return ["" if u == REGION_ID else u for u in ids]


def display_table(table: pd.DataFrame, published: Published, indicator_id: str) -> pd.DataFrame:
    """German headers and text cells: what a person reads on screen and in a download.

    Hidden cells show the configured symbol, missing ones "–"; counts columns appear only when
    the indicator has counts. The comparison columns ("Differenz zur Region", "Klasse",
    "Klassengrenzen") appear when the table carries them (the dashboard's view of it).
    """
    info = published.indicator(indicator_id)
    decimals = int(info["decimals"])
    symbol = published.symbol
    unit = str(info["unit"] or "")

    number = _csv_number(decimals)
    reference = _is_reference(table)
    out = pd.DataFrame({
        "ID": shown_ids(table["unit_id"]),
        "Name": table["name"],
        "Kommune": table["municipality_name"],
        f"Wert ({unit})" if unit else "Wert": _masked(table, "value", symbol, number),
        "Rang": ["" if ref else NO_DATA if pd.isna(r) else str(int(r))
                 for r, ref in zip(table["rank"], reference, strict=True)],
    })
    labels = _count_labels(info)
    if _has_counts(table, info):
        out[labels[0]] = _masked(table, "numerator", symbol, format_count)
        out[labels[1]] = _masked(table, "denominator", symbol, format_count)
    if "diff" in table.columns:
        out[difference_header(unit)] = ["" if region else text for text, region in zip(
            _masked(table, "diff", symbol, number), _is_region(table), strict=True)]
    if "class_no" in table.columns:
        # A hidden row has no class: showing it would narrow the hidden value down.
        limits = table["class_label"] if "class_label" in table.columns else pd.Series([""] * len(table))
        out[CLASS_HEADER] = _masked(table, "class_no", symbol, lambda c: "" if pd.isna(c) else str(int(c)))
        out[LIMITS_HEADER] = [symbol if h else "" if pd.isna(c) else str(lbl)
                              for c, lbl, h in zip(table["class_no"], limits, table["hidden"], strict=True)]
    return out


def plain_table(table: pd.DataFrame, published: Published) -> pd.DataFrame:
    """Machine-readable table: numbers as numbers, hidden cells as the symbol (never a value)."""
    symbol = published.symbol
    out = table.drop(columns=["hidden"]).copy()
    out["unit_id"] = shown_ids(out["unit_id"])
    for col in ("value", "numerator", "denominator", "diff"):
        if col in out.columns:
            out[col] = out[col].astype(object)
            out.loc[table["hidden"].to_numpy(), col] = symbol
    for col in ("rank", "class_no"):
        if col in out.columns:
            out[col] = out[col].astype(object).where(out[col].notna(), "")
    return out


LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "area": ("Sozialräume", "Sozialräumen"), "municipality": ("Kommunen", "Kommunen"), "region": ("Region", "Region"),
}
RANK_TEXTS = {
    1: "Rang 1 = höchster Wert = größter Bedarf",
    -1: "Rang 1 = niedrigster Wert = größter Bedarf",
    0: "Rang 1 = höchster Wert (neutraler Indikator ohne Bedarfsrichtung)",
}


def table_metadata(table: pd.DataFrame, published: Published, indicator_id: str, year: int,
                   level: Level = "area", created: date | None = None) -> Metadata:
    """What a ranking download says about itself (the same rows for every indicator and level)."""
    ind = published.catalogue[indicator_id]
    rules = published.config.privacy
    reference = _is_reference(table)
    plural, dative = LEVEL_NAMES[level]
    region = published.config.region or "Region"
    scope = f"{region}, {plural}" if level != "region" else region
    references = [u for u, ref in zip(table["unit_id"], reference, strict=True) if ref]
    if references:
        munis = len([u for u in references if u != REGION_ID])
        shown = ("die erste Zeile zeigt die Region" if not munis else
                 f"die ersten {len(references)} Zeilen zeigen " + ("Region und " if len(references) > munis else "")
                 + ("die Kommune" if munis == 1 else "Kommunen"))
        scope += f"; {shown} zum Vergleich (ohne Rang)"
    ranked = len(table) - sum(reference)
    selection = ("ganze Region" if level == "region"
                 else selection_text(ranked, len(_units(published, level)), plural, dative))
    rules_text = privacy_rules_text(rules, min_count=rules.min_count_for(indicator_id),
                                    counts=ind.has_counts or ind.is_count,
                                    population="none" if ind.is_count else "all")
    return [
        ("Tabelle", f"Rangtabelle {ind.title(year)}"),
        ("Indikator", f"{ind.name} ({ind.id})"),
        ("Jahr", str(year)),
        ("Einheit", ind.unit or NO_DATA),
        ("Definition", ind.description or NO_DATA),
        ("Quelle", ind.source or NO_DATA),
        ("Gebiet", scope),
        ("Auswahl", selection),
        ("Rang", RANK_TEXTS.get(ind.polarity, RANK_TEXTS[0]) + "; gleiche Werte teilen sich einen Rang"),
        *_index_rows(ind),
        *bundle_rows(published, rules_text, created),
    ]


def _index_rows(ind: Indicator) -> Metadata:
    """A composite index says how it is made: inputs with polarity and weight, method, classes."""
    if not ind.is_index:
        return []
    rows = [("Indikatoren des Index", ind.inputs), ("Methode", ind.method), ("Klassen", ind.classes),
            ("Kommune und Region", "ohne Wert: ein Index wird für Sozialräume berechnet, nicht für Kommunen "
                                   "oder die Region")]
    return [(k, v) for k, v in rows if v]


def export_table(table: pd.DataFrame, published: Published, indicator_id: str, fmt: ExportFormat, *,
                 year: int, level: Level = "area", created: date | None = None) -> bytes:
    """Bytes of a download or CLI output (the writer and where metadata goes: ``dashboard.sheets``).

    ``csv``: comma, decimal point, UTF-8, canonical column names (for scripts), nothing else.
    ``csv-de``: what German Excel opens directly: the metadata lines, an empty line, then the table
    with semicolon, decimal comma, UTF-8 with BOM.
    ``xlsx``: German headers, numbers as numbers with the indicator's decimals, plus "Metadaten".
    In every format a text that a spreadsheet would evaluate stays text (``dashboard.cells``), a
    hidden cell shows the symbol and the region's internal id is never shown.
    """
    if fmt == "csv":
        return csv_bytes(plain_table(table, published))
    meta = table_metadata(table, published, indicator_id, year, level, created)
    shown = display_table(table, published, indicator_id)
    if fmt == "csv-de":
        return csv_de_bytes(shown, meta)
    if fmt == "xlsx":
        return xlsx_bytes([_xlsx_sheet(table, shown, published, indicator_id)], meta)
    raise ValueError(f"unknown export format: {fmt}")


def _xlsx_sheet(table: pd.DataFrame, shown: pd.DataFrame, published: Published, indicator_id: str) -> Sheet:
    """The table sheet: numbers stay numbers in Excel, hidden cells the symbol, missing ones empty."""
    info = published.indicator(indicator_id)
    decimals = int(info["decimals"])
    symbol = published.symbol
    sheet = shown.copy()
    value_col = shown.columns[3]
    sheet[value_col] = _masked(table, "value", symbol, _excel_number)
    sheet["Rang"] = [None if pd.isna(r) else int(r) for r in table["rank"]]
    formats = {value_col: number_format(decimals), "Rang": INTEGER_FORMAT}
    if _has_counts(table, info):
        for col, src in zip(_count_labels(info), ("numerator", "denominator"), strict=True):
            sheet[col] = _masked(table, src, symbol, _excel_number)
            formats[col] = COUNT_FORMAT
    if "diff" in table.columns:
        diff_col = difference_header(str(info["unit"] or ""))
        sheet[diff_col] = [None if region else v for v, region in zip(
            _masked(table, "diff", symbol, _excel_number), _is_region(table), strict=True)]
        formats[diff_col] = number_format(decimals, signed=True)
    if CLASS_HEADER in shown.columns:
        sheet[CLASS_HEADER] = _masked(table, "class_no", symbol, lambda c: None if pd.isna(c) else int(c))
        formats[CLASS_HEADER] = INTEGER_FORMAT
    return Sheet(TABLE_SHEET, sheet, formats)
