"""Ranking tables and their exports: one pipeline for the screen, the downloads and the CLI.

Everything here reads a ``Published`` object, so a suppressed value cannot appear in any table.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any, Literal

import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.formatting import NO_DATA, format_count, format_number
from dashboard.publish import HIDDEN_STATUSES, Level, Published

ExportFormat = Literal["csv", "csv-de", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "csv-de", "xlsx")

RANKING_COLUMNS = (
    "unit_id", "name", "municipality_id", "municipality_name",
    "value", "numerator", "denominator", "rank", "hidden",
)


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
    ascending = polarity == -1
    table["rank"] = table["value"].rank(method="min", ascending=ascending).astype("Int64")
    table["_order"] = table["hidden"].astype(int) + table["value"].isna().astype(int)
    table = table.sort_values(["_order", "rank", "name"], na_position="last", kind="stable")
    return table[list(RANKING_COLUMNS)].reset_index(drop=True)


def _masked(table: pd.DataFrame, column: str, symbol: str, fmt: Callable[[float], Any]) -> list[Any]:
    """One column as shown: the symbol where a cell is hidden, else ``fmt(value)``."""
    return [symbol if h else fmt(v) for v, h in zip(table[column], table["hidden"], strict=True)]


def _excel_number(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def display_table(table: pd.DataFrame, published: Published, indicator_id: str) -> pd.DataFrame:
    """German headers and text cells: what a person reads on screen and in a download.

    Hidden cells show the configured symbol, missing ones "–"; counts columns appear only when
    the indicator has counts.
    """
    info = published.indicator(indicator_id)
    decimals = int(info["decimals"])
    symbol = published.symbol
    unit = str(info["unit"] or "")

    out = pd.DataFrame({
        "ID": table["unit_id"],
        "Name": table["name"],
        "Kommune": table["municipality_name"],
        f"Wert ({unit})" if unit else "Wert": _masked(table, "value", symbol, lambda x: format_number(x, decimals)),
        "Rang": [NO_DATA if pd.isna(r) else str(int(r)) for r in table["rank"]],
    })
    if table["numerator"].notna().any() or (table["hidden"].any() and pd.notna(info["scale"])):
        num_label = info.get("numerator_label") or "Zähler"
        den_label = info.get("denominator_label") or "Nenner"
        out[str(num_label) if pd.notna(num_label) else "Zähler"] = _masked(table, "numerator", symbol, format_count)
        out[str(den_label) if pd.notna(den_label) else "Nenner"] = _masked(table, "denominator", symbol, format_count)
    return out


def plain_table(table: pd.DataFrame, published: Published) -> pd.DataFrame:
    """Machine-readable table: numbers as numbers, hidden cells as the symbol (never a value)."""
    symbol = published.symbol
    out = table.drop(columns=["hidden"]).copy()
    for col in ("value", "numerator", "denominator"):
        out[col] = out[col].astype(object)
        out.loc[table["hidden"].to_numpy(), col] = symbol
    out["rank"] = out["rank"].astype(object).where(out["rank"].notna(), "")
    return out


def export_table(table: pd.DataFrame, published: Published, indicator_id: str, fmt: ExportFormat) -> bytes:
    """Bytes of a download or CLI output.

    ``csv``: comma, decimal point, UTF-8, canonical column names (for scripts).
    ``csv-de``: what German Excel opens directly: semicolon, decimal comma, UTF-8 with BOM.
    ``xlsx``: German headers, numbers as numbers, plus a sheet with source and notes.
    """
    if fmt == "csv":
        return plain_table(table, published).to_csv(index=False, lineterminator="\n").encode("utf-8")
    shown = display_table(table, published, indicator_id)
    if fmt == "csv-de":
        text = shown.to_csv(index=False, sep=";", lineterminator="\r\n")
        return ("\ufeff" + text).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(table, shown, published, indicator_id)
    raise ValueError(f"unknown export format: {fmt}")


def _xlsx(table: pd.DataFrame, shown: pd.DataFrame, published: Published, indicator_id: str) -> bytes:
    info = published.indicator(indicator_id)
    sheet = shown.copy()
    value_col = shown.columns[3]
    # Numbers stay numbers in Excel; hidden and missing cells stay text symbols.
    sheet[value_col] = _masked(table, "value", published.symbol, _excel_number)
    sheet["Rang"] = [None if pd.isna(r) else int(r) for r in table["rank"]]
    for col, src in zip(shown.columns[5:7], ("numerator", "denominator"), strict=False):
        sheet[col] = _masked(table, src, published.symbol, _excel_number)
    meta = pd.DataFrame({
        "Angabe": ["Indikator", "Einheit", "Definition", "Quelle", "Datenpaket", "Hinweis", "Zeichen"],
        "Inhalt": [
            str(info["name"]), str(info["unit"] or ""), str(info.get("description") or ""),
            str(info.get("source") or ""), published.config.title,
            ("Demodaten (synthetisch). " if published.config.synthetic else "") + published.config.attribution,
            f"{published.symbol} = aus Datenschutzgründen nicht ausgewiesen; {NO_DATA} = keine Daten",
        ],
    })
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name="Tabelle", index=False)
        meta.to_excel(writer, sheet_name="Quelle", index=False)
    return buffer.getvalue()
