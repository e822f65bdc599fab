"""The index table of the CLI and the downloads: one row per area, every index and every field.

Built from ``Published`` only. A value withheld for data protection (status hidden or
population) shows the bundle's symbol, a missing one "–" (German) or an empty cell (plain CSV);
an unknown Gestaltungsbedarf likewise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from dashboard.formatting import NO_DATA, format_count, format_number
from dashboard.indices.engine import PARTIAL, PROTECTED_STATUSES, compute_indices
from dashboard.indices.needs import UNKNOWN_HIDDEN, YES, evaluate_needs, need_counts
from dashboard.indices.spec import METHOD_NAMES, IndexSpec
from dashboard.publish import Published
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
from dashboard.tables import ExportFormat

INDEX_DECIMALS = 2
YES_TEXT, NO_TEXT = "ja", "nein"


def index_table(published: Published, year: int, municipalities: Iterable[str] | None = None,
                indices: Mapping[str, pd.DataFrame] | None = None,
                needs: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Canonical table: unit_id, name, municipality_id, municipality_name, then per index
    ``<id>_value``, ``<id>_class``, ``<id>_status``, ``<id>_inputs`` and per field ``need_<id>``
    (state: yes, no, hidden, missing), and ``needs`` (names of the flagged fields, "; "-joined)."""
    indices = compute_indices(published, year) if indices is None else indices
    needs = evaluate_needs(published, year, indices) if needs is None else needs
    a = published.areas
    table = pd.DataFrame({
        "unit_id": a["area_id"].to_numpy(), "name": a["area_name"].to_numpy(),
        "municipality_id": a["municipality_id"].to_numpy(), "municipality_name": a["municipality_name"].to_numpy(),
    })
    for spec in published.indices:
        result = indices[spec.index_id].reindex(table["unit_id"])
        table[f"{spec.index_id}_value"] = result["value"].to_numpy()
        table[f"{spec.index_id}_class"] = result["class_label"].to_numpy()
        table[f"{spec.index_id}_status"] = result["status"].to_numpy()
        table[f"{spec.index_id}_inputs"] = result["n_inputs"].to_numpy()
    names = {r.need_id: r.name for r in published.needs}
    for need_id in names:
        table[f"need_{need_id}"] = needs[need_id]["state"].reindex(table["unit_id"]).to_numpy()
    table["needs"] = ["; ".join(names[n] for n in names if row[f"need_{n}"] == YES)
                      for _, row in table.iterrows()] if names else ""
    if municipalities:
        table = table[table["municipality_id"].isin(set(municipalities))]
    return table.reset_index(drop=True)


def _shown_value(value: float, status: str, symbol: str, fmt) -> object:
    if status in PROTECTED_STATUSES:
        return symbol
    return fmt(value)


def plain_index_table(table: pd.DataFrame, published: Published) -> pd.DataFrame:
    """For scripts: numbers as numbers, the symbol where data protection withholds a value."""
    out = table.copy()
    symbol = published.symbol
    for spec in published.indices:
        status = table[f"{spec.index_id}_status"]
        for col in (f"{spec.index_id}_value", f"{spec.index_id}_class"):
            out[col] = [symbol if s in PROTECTED_STATUSES else ("" if pd.isna(v) else v)
                        for v, s in zip(table[col], status, strict=True)]
    for rule in published.needs:
        col = f"need_{rule.need_id}"
        out[col] = [{"yes": 1, "no": 0, UNKNOWN_HIDDEN: symbol}.get(s, "") for s in table[col]]
    return out


def display_index_table(table: pd.DataFrame, published: Published) -> pd.DataFrame:
    """German headers and text cells, as a person reads them (CSV for German Excel, XLSX)."""
    symbol = published.symbol
    out = pd.DataFrame({"ID": table["unit_id"], "Name": table["name"], "Kommune": table["municipality_name"]})
    for spec in published.indices:
        status = table[f"{spec.index_id}_status"]
        out[f"{spec.name} (Wert)"] = [
            _shown_value(v, s, symbol, lambda x: format_number(x, INDEX_DECIMALS).replace("\u2212", "-"))
            for v, s in zip(table[f"{spec.index_id}_value"], status, strict=True)]
        if spec.has_classes:
            out[f"{spec.name} (Klasse)"] = [
                _shown_value(c, s, symbol, lambda x: NO_DATA if pd.isna(x) else str(x))
                for c, s in zip(table[f"{spec.index_id}_class"], status, strict=True)]
        if (status == PARTIAL).any():
            out[f"{spec.name} (Indikatoren)"] = [
                format_count(n) if s not in PROTECTED_STATUSES and n else ""
                for n, s in zip(table[f"{spec.index_id}_inputs"], status, strict=True)]
    for rule in published.needs:
        out[f"Gestaltungsbedarf: {rule.name}"] = [
            {"yes": YES_TEXT, "no": NO_TEXT, UNKNOWN_HIDDEN: symbol}.get(s, NO_DATA) for s in table[f"need_{rule.need_id}"]]
    if published.needs:
        out["Gestaltungsbedarfe"] = table["needs"]
    return out


def _index_sheet(specs: Iterable[IndexSpec], published: Published) -> pd.DataFrame:
    names = published.indicators.set_index("indicator_id")["name"]
    rows = []
    for s in specs:
        parts = [f"{names[i]} ({i}){'' if sign > 0 else ', umgekehrt'}{'' if w == 1 else f', Gewicht {format_number(w, 1)}'}"
                 for i, sign, w in zip(s.indicators, s.signs, s.weights, strict=True)]
        classes = "; ".join(f"{lbl}" for lbl in s.labels)
        limits = ", ".join(format_number(t, 2) for t in s.thresholds)
        rows.append({
            "Index": s.name, "Indikatoren": "; ".join(parts),
            "Methode": METHOD_NAMES[s.method] + (f"; Veränderung über {s.change} Jahre" if s.change else "")
            + ("; bevölkerungsgewichtet" if s.weighting == "population" else ""),
            "Klassen": f"{classes} (Schwellen {limits})" if s.labels else "",
            "Mindestzahl Indikatoren": s.min_indicators, "Beschreibung": s.description,
        })
    return pd.DataFrame(rows)


def index_metadata(table: pd.DataFrame, published: Published, year: int, created: date | None = None) -> Metadata:
    """What an index table says about itself: year, indices, fields, sources, data protection."""
    rules = published.config.privacy
    used = list(dict.fromkeys(i for spec in published.indices for i in spec.indicators))
    used += [i for i in published.catalogue.ids() if i not in used] if not used else []
    sources = list(dict.fromkeys(published.catalogue[i].source for i in used if i in published.catalogue
                                 and published.catalogue[i].source))
    stricter = any(rules.min_count_for(i) > rules.min_count for i in used)
    return [
        ("Tabelle", f"Indizes und Gestaltungsbedarfe {year}"),
        ("Jahr", str(year)),
        ("Gebiet", f"{published.config.region or 'Region'}, Sozialräume"),
        ("Auswahl", selection_text(len(table), len(published.areas), "Sozialräume", "Sozialräumen")),
        ("Indizes", ", ".join(s.name for s in published.indices) or NO_DATA),
        ("Gestaltungsbedarfe", ", ".join(r.name for r in published.needs) or NO_DATA),
        ("Quelle", "; ".join(sources) or NO_DATA),
        *bundle_rows(published, privacy_rules_text(rules, population="except_counts", stricter_elsewhere=stricter),
                     created),
    ]


def export_index_table(table: pd.DataFrame, published: Published, year: int, fmt: ExportFormat,
                       created: date | None = None) -> bytes:
    """Bytes of the CLI output or a download (formats and writer as in ``dashboard.tables.export_table``)."""
    if fmt == "csv":
        return csv_bytes(plain_index_table(table, published))
    meta = index_metadata(table, published, year, created)
    shown = display_index_table(table, published)
    if fmt == "csv-de":
        return csv_de_bytes(shown, meta)
    if fmt != "xlsx":
        raise ValueError(f"unknown export format: {fmt}")
    sheet = shown.copy()
    formats: dict[str, str] = {}
    for spec in published.indices:  # numbers stay numbers in Excel; withheld cells keep the symbol
        status = table[f"{spec.index_id}_status"]
        column = f"{spec.name} (Wert)"
        sheet[column] = [
            _shown_value(v, s, published.symbol, lambda x: None if pd.isna(x) else round(float(x), 6))
            for v, s in zip(table[f"{spec.index_id}_value"], status, strict=True)]
        formats[column] = number_format(INDEX_DECIMALS)
        inputs = f"{spec.name} (Indikatoren)"
        if inputs in sheet.columns:
            sheet[inputs] = [int(n) if s not in PROTECTED_STATUSES and n else None
                             for n, s in zip(table[f"{spec.index_id}_inputs"], status, strict=True)]
            formats[inputs] = INTEGER_FORMAT
    rules = pd.DataFrame({
        "Gestaltungsbedarf": [r.name for r in published.needs],
        "Regel": [r.text for r in published.needs],
        "Sozialräume": [int((table[f"need_{r.need_id}"] == YES).sum()) for r in published.needs],
    })
    return xlsx_bytes([
        Sheet(TABLE_SHEET, sheet, formats),
        Sheet("Indizes", _index_sheet(published.indices, published), {"Mindestzahl Indikatoren": INTEGER_FORMAT}),
        Sheet("Gestaltungsbedarfe", rules, {"Sozialräume": COUNT_FORMAT}),
    ], meta)


def need_summary(published: Published, needs: Mapping[str, pd.DataFrame], year: int) -> str:
    """German summary: flagged areas per field and per municipality (what the CLI prints)."""
    counts = need_counts(published, needs)
    region = counts.iloc[-1]
    total = int(region["areas"])
    lines = [f"Gestaltungsbedarfe {year} ({published.config.region or 'Region'}, {total} Sozialräume):"]
    for rule in published.needs:
        lines.append(f"  {rule.name}: {int(region[rule.need_id])} – Regel: {rule.text}")
    lines.append(f"  mindestens ein Gestaltungsbedarf: {int(region['any'])} von {total}")
    lines.append("Nach Kommune (" + ", ".join(r.name for r in published.needs) + "; mindestens einer / Sozialräume):")
    for _, row in counts.iloc[:-1].iterrows():
        fields = ", ".join(str(int(row[r.need_id])) for r in published.needs)
        lines.append(f"  {row['name']}: {fields}; {int(row['any'])} / {int(row['areas'])}")
    return "\n".join(lines)
