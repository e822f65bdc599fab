"""The indicator catalogue: ids, names, themes, units, polarity and how values aggregate.

``aggregation`` and ``scale`` may be left empty by the office; they are completed once the
values are known (``dashboard.bundle.values.complete_catalogue``), because whether an indicator
has counts decides both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.files import find_file
from dashboard.bundle.numbers import id_texts, is_german, parse_numbers
from dashboard.bundle.problems import ProblemList
from dashboard.bundle.readers import INDICATOR_FILES, Table, candidates, match_columns, read_raw
from dashboard.bundle.texts import check_texts
from dashboard.model import AGGREGATIONS, BundleConfig

REQUIRED = ("indicator_id", "name", "theme", "unit", "polarity")
OPTIONAL = ("description", "source", "numerator_label", "denominator_label", "decimals", "aggregation", "scale",
            "numerator_key", "denominator_key")
TEXT_COLUMNS = ("description", "source", "numerator_label", "denominator_label", "numerator_key", "denominator_key")

POLARITY = {
    "1": 1, "+1": 1, "1.0": 1, "+": 1, "↑": 1,
    "-1": -1, "−1": -1, "–1": -1, "-1.0": -1, "↓": -1,
    "0": 0, "0.0": 0, "±0": 0, "○": 0, "o": 0,
}
AGGREGATION_ALIASES = {
    "sum": "sum", "summe": "sum",
    "mean_weighted": "mean_weighted", "gewichteter mittelwert": "mean_weighted",
    "none": "none", "keine": "none",
}
MAX_DECIMALS = 6


@dataclass(frozen=True)
class Catalogue:
    """The checked catalogue plus where each indicator stands in its file (for later messages)."""

    file: str
    frame: pd.DataFrame  # INDICATOR_COLUMNS; aggregation "" and scale NaN where not given
    rows: dict[str, int]  # indicator_id -> spreadsheet row
    id_header: str

    @property
    def ids(self) -> set[str]:
        return set(self.frame["indicator_id"])

    @property
    def keys(self) -> frozenset[str]:
        """Count keys the catalogue declares (``numerator_key``, ``denominator_key``)."""
        cols = self.frame[["numerator_key", "denominator_key"]].to_numpy().ravel()
        return frozenset(str(k) for k in cols if isinstance(k, str) and k)


def load_indicators(folder: Path, config: BundleConfig, problems: ProblemList) -> Catalogue | None:
    """Find, read and check the catalogue; None when it has errors (they are in ``problems``)."""
    path = find_file(folder, INDICATOR_FILES, "den Indikatorenkatalog", problems)
    if path is None:
        return None
    mapping = config.columns.get("indicators", {})
    raw = read_raw(path, config.sheets.get("indicators"), [candidates(c, mapping) for c in REQUIRED], problems)
    if raw is None:
        return None
    local = ProblemList()
    table = match_columns(raw, REQUIRED, OPTIONAL, mapping, "indicators", local)
    if table is not None:
        for header in table.extra:
            if header:
                local.warning(table.file, "Spalte wird nicht verwendet", row=table.header_row, column=header)
        catalogue = _check(table, config, local)
    problems.extend(local)
    return None if table is None or local.has_errors else catalogue


def _check(table: Table, config: BundleConfig, problems: ProblemList) -> Catalogue:
    file, rows = table.file, table.rows
    text = {c: id_texts(table.frame[c]) for c in REQUIRED + TEXT_COLUMNS + ("aggregation",) if c in table.frame}
    for c in REQUIRED:
        empty = np.flatnonzero(text[c].to_numpy() == "")
        problems.rows(file, table.header(c), "Pflichtfeld ist leer", rows[empty], [""] * len(empty))

    for c, values in text.items():
        if c != "aggregation":
            check_texts(problems, file, table.header(c), values.to_numpy(), rows,
                        long_text=c in ("description", "source"), formula_only=c == "indicator_id")

    ids = text["indicator_id"].to_numpy()
    first: dict[str, int] = {}
    dup_rows, dup_msgs = [], []
    for pos, indicator_id in enumerate(ids):
        if indicator_id and indicator_id in first:
            dup_rows.append(pos)
            dup_msgs.append(f"Indikator-ID kommt doppelt vor (auch Zeile {rows[first[indicator_id]]})")
        elif indicator_id:
            first[indicator_id] = pos
    problems.rows(file, table.header("indicator_id"), "Indikator-ID kommt doppelt vor", rows[dup_rows],
                  ids[dup_rows], messages=dup_msgs)

    polarity = text["polarity"].map(lambda v: POLARITY.get(v.replace(" ", "")))
    bad = np.flatnonzero(polarity.isna().to_numpy() & (text["polarity"].to_numpy() != ""))
    problems.rows(file, table.header("polarity"), "Polarität muss 1 (↑), -1 (↓) oder 0 (○) sein", rows[bad],
                  text["polarity"].to_numpy()[bad])

    if config.themes:
        themes = text["theme"].to_numpy()
        unknown = np.flatnonzero(~np.isin(themes, config.themes) & (themes != ""))
        problems.rows(file, table.header("theme"),
                      f"unbekanntes Thema (bundle.toml themes: {', '.join(config.themes)})",
                      rows[unknown], themes[unknown])

    german = is_german([table.frame[c] for c in ("decimals", "scale") if c in table.frame])
    decimals = pd.Series(1, index=table.frame.index)
    if "decimals" in table.frame:
        parsed, invalid = parse_numbers(table.frame["decimals"], german)
        invalid |= parsed.notna() & ((parsed != parsed.round()) | (parsed < 0) | (parsed > MAX_DECIMALS))
        bad = np.flatnonzero(invalid.to_numpy())
        problems.rows(file, table.header("decimals"),
                      f"Nachkommastellen müssen eine ganze Zahl von 0 bis {MAX_DECIMALS} sein",
                      rows[bad], table.frame["decimals"].to_numpy()[bad])
        decimals = parsed.fillna(1).where(~invalid, 1)

    scale = pd.Series(np.nan, index=table.frame.index)
    if "scale" in table.frame:
        scale, invalid = parse_numbers(table.frame["scale"], german)
        invalid |= scale <= 0
        bad = np.flatnonzero(invalid.to_numpy())
        problems.rows(file, table.header("scale"), "Skalierung muss eine Zahl größer 0 sein (z. B. 100 für %)",
                      rows[bad], table.frame["scale"].to_numpy()[bad])

    aggregation = pd.Series("", index=table.frame.index)
    if "aggregation" in text:
        given = text["aggregation"].str.casefold()
        aggregation = given.map(lambda v: AGGREGATION_ALIASES.get(v, "" if v == "" else None))
        bad = np.flatnonzero(aggregation.isna().to_numpy())
        problems.rows(file, table.header("aggregation"),
                      f"unbekannte Aggregation (erlaubt: {', '.join(AGGREGATIONS)})",
                      rows[bad], text["aggregation"].to_numpy()[bad])
        aggregation = aggregation.fillna("")

    def optional_text(column: str, empty: object) -> object:
        if column not in text:
            return empty
        return text[column].where(text[column] != "", empty)

    frame = pd.DataFrame({
        "indicator_id": text["indicator_id"],
        "name": text["name"],
        "theme": text["theme"],
        "unit": text["unit"],
        "polarity": polarity.fillna(0).astype(int),
        "description": optional_text("description", ""),
        "source": optional_text("source", ""),
        "numerator_label": optional_text("numerator_label", None),
        "denominator_label": optional_text("denominator_label", None),
        "decimals": decimals.astype(int),
        "aggregation": aggregation.astype(str),
        "scale": scale.astype(float),
        # Count identity (docs/privacy.md): indicators whose counts are the same population.
        "numerator_key": optional_text("numerator_key", None),
        "denominator_key": optional_text("denominator_key", None),
    })
    return Catalogue(file, frame, {i: int(rows[p]) for i, p in first.items()}, table.header("indicator_id"))
