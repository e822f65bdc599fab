"""The value table: long or wide, parsed and checked against areas and catalogue.

Work is vectorised over the whole table (≈ 40,000 rows for a region); only rows that have a
problem are looked at one by one, to build their messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.files import find_file
from dashboard.bundle.indicators import Catalogue
from dashboard.bundle.numbers import (
    date_years,
    id_key,
    id_texts,
    is_german,
    parse_numbers,
    parse_years,
    snap_scale,
    unit_scale,
)
from dashboard.bundle.problems import ROW_LIMIT, ProblemList
from dashboard.bundle.readers import VALUE_FILES, Table, candidates, match_columns, read_raw
from dashboard.model import VALUE_COLUMNS, BundleConfig

LONG_REQUIRED = ("area_id", "indicator_id", "year", "value")
COUNTS = ("numerator", "denominator")
#: Indicators with at least this scale are shares (%, ‰, je 1.000 …): numerator ≤ denominator.
SHARE_SCALE = 100.0


@dataclass
class Cells:
    """The value table in long form, cells still as read, with row numbers and source columns."""

    file: str
    frame: pd.DataFrame  # area_id, indicator_id, year, value, numerator, denominator, row, value_col
    headers: dict[str, str]


def load_values(
    folder: Path,
    config: BundleConfig,
    area_ids: set[str] | None,
    catalogue: Catalogue | None,
    problems: ProblemList,
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Return (values, completed catalogue frame), or None when there are errors.

    ``area_ids`` / ``catalogue`` are None when their own file failed; the checks against them
    are then skipped (the user already sees why).
    """
    path = find_file(folder, VALUE_FILES, "die Werte", problems)
    if path is None:
        return None
    mapping = config.columns.get("values", {})
    raw = read_raw(path, config.sheets.get("values"),
                   [candidates("area_id", mapping), candidates("year", mapping)], problems)
    if raw is None:
        return None
    local = ProblemList()
    table = match_columns(raw, ("area_id", "year"), ("indicator_id", "value") + COUNTS, mapping, "values", local)
    cells = None
    if table is not None:
        if "indicator_id" in table.frame or any(c in table.frame for c in ("value",) + COUNTS):
            cells = _long(table, mapping, local)
        else:
            cells = _wide(table, catalogue, local)
    if cells is None:
        problems.extend(local)
        return None
    values = _parse(cells, local)
    _check_ids(values, cells, area_ids, catalogue, local)
    values = _check_duplicates(values, cells, local)
    completed = complete_catalogue(catalogue.frame, values) if catalogue is not None else None
    share = values["indicator_id"].map(completed.set_index("indicator_id")["scale"]) >= SHARE_SCALE \
        if completed is not None else pd.Series(True, index=values.index)
    _check_counts(values, share.to_numpy(dtype=bool), cells, local)
    result = None
    if catalogue is not None and completed is not None:
        values = _fill_and_compare(values, completed, cells, local)
        _coverage(values, area_ids, catalogue, cells, local)
        result = (_finish(values), completed)
    problems.extend(local)
    return None if local.has_errors else result


# --------------------------------------------------------------------------- shapes

def _long(table: Table, mapping: dict, problems: ProblemList) -> Cells | None:
    missing = [c for c in LONG_REQUIRED if c not in table.frame]
    if missing:
        existing = ", ".join(f"„{h}“" for h in [*table.headers.values(), *table.extra] if h)
        for c in missing:
            where = f" (bundle.toml [columns.values] {c} = „{mapping[c]}“)" if c in mapping else ""
            problems.error(table.file, f"Spalte fehlt{where}; vorhandene Spalten: {existing}",
                           column=mapping.get(c, c))
        return None
    for header in table.extra:
        if header:
            problems.warning(table.file, "Spalte wird nicht verwendet", row=table.header_row, column=header)
    f = table.frame
    frame = pd.DataFrame({
        "area_id": id_texts(f["area_id"]),
        "indicator_id": id_texts(f["indicator_id"]),
        "year": f["year"],
        "value": f["value"],
        "numerator": f["numerator"] if "numerator" in f else "",
        "denominator": f["denominator"] if "denominator" in f else "",
        "row": table.rows,
        "value_col": table.header("value"),
    })
    return Cells(table.file, frame, dict(table.headers))


def _wide(table: Table, catalogue: Catalogue | None, problems: ProblemList) -> Cells | None:
    """``area_id, year, <indicator_id>…``: one column per indicator, melted to long form."""
    known = {i.casefold(): i for i in catalogue.ids} if catalogue is not None else None
    blocks = []
    ok = True
    for header, positions in table.extra_duplicates.items():
        problems.error(table.file, f"Spalte kommt mehrfach vor (Spalten {', '.join(str(i + 1) for i in positions)})",
                       row=table.header_row, column=header, value=header)
        ok = False
    for header, column in table.extra.items():
        if not header:
            problems.error(table.file, "Spalte ohne Überschrift enthält Daten", row=table.header_row)
            ok = False
            continue
        indicator_id = header if known is None else known.get(header.casefold())
        if indicator_id is None:
            problems.error(table.file, f"unbekannter Indikator: Spaltenüberschrift ist keine Indikator-ID aus "
                           f"{catalogue.file if catalogue else 'dem Indikatorenkatalog'}",
                           row=table.header_row, column=header, value=header)
            ok = False
            continue
        blocks.append(pd.DataFrame({
            "area_id": id_texts(table.frame["area_id"]),
            "indicator_id": indicator_id,
            "year": table.frame["year"].to_numpy(),
            "value": column.to_numpy(),
            "numerator": "",
            "denominator": "",
            "row": table.rows,
            "value_col": header,
        }))
    if not blocks and ok:
        problems.error(table.file, "keine Indikatorspalten gefunden (weder Spalte indicator_id für das lange "
                       "Format noch Spalten mit Indikator-IDs für das breite Format)", row=table.header_row)
    if not ok or not blocks:
        return None
    return Cells(table.file, pd.concat(blocks, ignore_index=True), dict(table.headers))


# --------------------------------------------------------------------------- parsing

def _parse(cells: Cells, problems: ProblemList) -> pd.DataFrame:
    f = cells.frame
    german = is_german([f["value"], f["numerator"], f["denominator"]])
    rows = f["row"].to_numpy()
    years, bad_year = parse_years(f["year"])
    bad = np.flatnonzero(bad_year.to_numpy())
    problems.rows(cells.file, cells.headers["year"], "Jahr fehlt oder ist ungültig (erwartet z. B. 2022)",
                  rows[bad], f["year"].to_numpy()[bad])
    _warn_dates(f["year"], years, bad_year.to_numpy(), rows, cells, problems)
    out = pd.DataFrame({"area_id": f["area_id"], "indicator_id": f["indicator_id"], "year": years, "row": rows})
    valid = ~bad_year.to_numpy()
    for column in ("value",) + COUNTS:
        numbers, bad_number = parse_numbers(f[column], german)
        out[column] = numbers.to_numpy()
        bad_mask = bad_number.to_numpy()
        valid &= ~bad_mask
        if column == "value":
            for header, idx in pd.Series(np.flatnonzero(bad_mask)).groupby(f["value_col"].to_numpy()[bad_mask]):
                problems.rows(cells.file, str(header), "keine gültige Zahl", rows[idx.to_numpy()],
                              f[column].to_numpy()[idx.to_numpy()])
        else:
            bad = np.flatnonzero(bad_mask)
            problems.rows(cells.file, cells.headers.get(column, column), "keine gültige Zahl", rows[bad],
                          f[column].to_numpy()[bad])
    for column, message in (("area_id", "Sozialraum-ID fehlt"), ("indicator_id", "Indikator-ID fehlt")):
        empty = np.flatnonzero(out[column].to_numpy() == "")
        problems.rows(cells.file, cells.headers.get(column, column), message, rows[empty], [""] * len(empty))
        valid &= out[column].to_numpy() != ""
    out["_valid"] = valid
    return out


def _warn_dates(cells: pd.Series, years: pd.Series, bad: np.ndarray, rows: np.ndarray, where: Cells,
                problems: ProblemList) -> None:
    """A date where a year belongs (a Stichtag, an Excel date cell) is accepted, but said once."""
    if pd.api.types.is_string_dtype(cells) and cells.str.fullmatch(r"\d{4}").all():
        return
    dated = np.flatnonzero(date_years(cells).notna().to_numpy() & ~bad)
    if len(dated):
        first = dated[0]
        problems.warning(where.file, f"Datum statt Jahreszahl – verwendet wird das Jahr des Datums, hier "
                         f"{years.iat[first]} ({len(dated)} Zeile(n), erste hier); bitte Jahreszahlen eintragen",
                         row=int(rows[first]), column=where.headers["year"], value=str(cells.iat[first]))


# --------------------------------------------------------------------------- checks

def _per_id(values: pd.DataFrame, column: str, known: set[str], file: str, header: str, message: str,
            problems: ProblemList) -> None:
    """One problem per unknown id, at its first row, with the number of rows that use it."""
    unknown = values[~values[column].isin(known) & (values[column] != "")]
    if unknown.empty:
        return
    stats = unknown.groupby(column, sort=False)["row"].agg(["min", "size"])
    for shown, (value, (first, size)) in enumerate(stats.iterrows()):
        if shown == ROW_LIMIT * 3:
            problems.error(file, f"{message} – und {len(stats) - shown} weitere unbekannte IDs", column=header)
            break
        more = f"; {size} Zeilen, erste hier" if size > 1 else ""
        problems.error(file, f"{message}{more}", row=int(first), column=header, value=str(value))


def _fold_ids(values: pd.DataFrame, column: str, known: set[str], file: str, header: str, what: str,
              problems: ProblemList) -> None:
    """Match ids that lost leading zeros or gained ".0" (Excel stored them as numbers), with a warning.

    Only when the folded id points at exactly one known id: with "01" and "1" both known,
    "1.0" stays unknown rather than being guessed.
    """
    ids = values[column]
    unknown = (~ids.isin(known) & (ids != "")).to_numpy()
    if not unknown.any():
        return
    by_key: dict[str, list[str]] = {}
    for k in known:
        by_key.setdefault(id_key(k), []).append(k)
    mapping = {v: by_key[id_key(v)][0] for v in ids[unknown].unique() if len(by_key.get(id_key(v), ())) == 1}
    if not mapping:
        return
    hit = unknown & ids.isin(list(mapping)).to_numpy()
    first = int(np.flatnonzero(hit)[0])
    original = ids.iat[first]
    values.loc[hit, column] = ids[hit].map(mapping)
    problems.warning(file, f"{what} weichen nur durch führende Nullen oder „.0“ ab (als Zahl gespeichert?) und "
                     f"werden zugeordnet, hier „{original}“ → „{mapping[original]}“ ({int(hit.sum())} Zeile(n), "
                     "erste hier)", row=int(values["row"].iat[first]), column=header, value=original)


def _check_ids(values: pd.DataFrame, cells: Cells, area_ids: set[str] | None, catalogue: Catalogue | None,
               problems: ProblemList) -> None:
    if area_ids is not None:
        _fold_ids(values, "area_id", area_ids, cells.file, cells.headers["area_id"], "Sozialraum-IDs", problems)
    if catalogue is not None and "indicator_id" in cells.headers:
        _fold_ids(values, "indicator_id", catalogue.ids, cells.file, cells.headers["indicator_id"],
                  "Indikator-IDs", problems)
    if area_ids is not None:
        _per_id(values, "area_id", area_ids, cells.file, cells.headers["area_id"],
                "unbekannter Sozialraum (nicht in der Flächendatei)", problems)
    if catalogue is not None and "indicator_id" in cells.headers:
        _per_id(values, "indicator_id", catalogue.ids, cells.file, cells.headers["indicator_id"],
                f"unbekannter Indikator (nicht in {catalogue.file})", problems)


def _check_duplicates(values: pd.DataFrame, cells: Cells, problems: ProblemList) -> pd.DataFrame:
    keys = ["area_id", "indicator_id", "year"]
    usable = values[values["_valid"]]
    dup = usable.duplicated(keys, keep="first")
    if dup.any():
        first_row = usable.groupby(keys, sort=False)["row"].transform("min")
        later = usable[dup]
        messages = [f"Sozialraum, Indikator und Jahr kommen doppelt vor (auch Zeile {r})"
                    for r in first_row[dup]]
        shown = [f"{a} / {i} / {y}" for a, i, y in later[keys].itertuples(index=False)]
        problems.rows(cells.file, cells.headers["area_id"], "Sozialraum, Indikator und Jahr kommen doppelt vor",
                      later["row"].to_numpy(), shown, messages=messages)
    return values


def _check_counts(values: pd.DataFrame, share: np.ndarray, cells: Cells, problems: ProblemList) -> None:
    """Counts are never negative; in shares (``share``) the numerator is part of the denominator.

    Ratios with scale 1 or 10 (m² Wohnfläche je Einwohner, Räume je Einwohner) legitimately have a
    numerator larger than the denominator, so that check applies to shares (%, ‰, je 1.000 …) only.
    """
    num, den, rows = values["numerator"], values["denominator"], values["row"].to_numpy()
    raw = cells.frame
    for column, series in (("numerator", num), ("denominator", den)):
        bad = np.flatnonzero((series < 0).to_numpy())
        problems.rows(cells.file, cells.headers.get(column, column), "negative Anzahl", rows[bad],
                      raw[column].to_numpy()[bad])
    bad = np.flatnonzero((num > den).to_numpy() & (den > 0).to_numpy() & share)
    problems.rows(cells.file, cells.headers.get("numerator", "numerator"), "Zähler ist größer als Nenner",
                  rows[bad], raw["numerator"].to_numpy()[bad],
                  messages=[f"Zähler ist größer als Nenner (Nenner {raw['denominator'].iat[i]})" for i in bad])
    bad = np.flatnonzero(((den == 0) & (num > 0)).to_numpy())
    problems.rows(cells.file, cells.headers.get("denominator", "denominator"),
                  "Nenner ist 0, aber der Zähler größer als 0", rows[bad], raw["denominator"].to_numpy()[bad])
    partial = values[num.isna() != den.isna()]
    for indicator_id, group in partial.groupby("indicator_id", sort=False):
        column = "numerator" if group["numerator"].isna().iat[0] else "denominator"
        problems.warning(cells.file, f"nur Zähler oder nur Nenner angegeben ({len(group)} Zeile(n) von Indikator "
                         f"{indicator_id}, erste hier) – diese Anzahlen werden nicht verwendet",
                         row=int(group["row"].iat[0]), column=cells.headers.get(column, column))


# --------------------------------------------------------------------------- scale, fill, coverage

def _has_counts(values: pd.DataFrame) -> pd.Series:
    return values["numerator"].notna() & values["denominator"].notna()


def complete_catalogue(indicators: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Fill ``scale`` and default ``aggregation`` from what the values show.

    scale: the table's, else the median of value / (numerator / denominator) snapped to a power
    of ten, else implied by the unit; NaN without counts. aggregation: "sum" with counts (a ratio
    of sums), else "none" (a mean of area shares only when the office says mean_weighted).
    """
    counted = values[_has_counts(values)]
    with_counts = set(counted["indicator_id"])
    full = counted[counted["value"].notna() & (counted["numerator"] > 0) & (counted["denominator"] > 0)]
    ratio = full["value"] / (full["numerator"] / full["denominator"])
    medians = ratio.groupby(full["indicator_id"]).median()
    out = indicators.copy()
    scales = []
    for indicator_id, given, unit in out[["indicator_id", "scale", "unit"]].itertuples(index=False):
        if indicator_id not in with_counts:
            scales.append(np.nan)
        elif not np.isnan(given):
            scales.append(float(given))
        elif indicator_id in medians.index and np.isfinite(snap_scale(medians[indicator_id])):
            scales.append(snap_scale(medians[indicator_id]))
        else:
            scales.append(unit_scale(unit))
    out["scale"] = np.array(scales, dtype=float)
    default = np.where(out["indicator_id"].isin(with_counts), "sum", "none")
    out["aggregation"] = np.where(out["aggregation"] == "", default, out["aggregation"])
    return out


def _fill_and_compare(values: pd.DataFrame, indicators: pd.DataFrame, cells: Cells,
                      problems: ProblemList) -> pd.DataFrame:
    """Compute missing values from counts; warn where a given value disagrees with its counts."""
    meta = indicators.set_index("indicator_id")
    scale = values["indicator_id"].map(meta["scale"]).astype(float)
    decimals = values["indicator_id"].map(meta["decimals"]).astype(float)
    counted = _has_counts(values) & (values["denominator"] > 0) & scale.notna()
    expected = values["numerator"] / values["denominator"] * scale
    values = values.assign(value=values["value"].where(values["value"].notna() | ~counted, expected))
    tolerance = 0.5 * 10.0 ** (-decimals.fillna(1)) * 1.001 + 1e-9 * expected.abs()
    off = counted & values["value"].notna() & ((values["value"] - expected).abs() > tolerance)
    raw_value = cells.frame["value"]
    for indicator_id, group in values[off].groupby("indicator_id", sort=False):
        i = group.index[0]
        d = int(meta.at[indicator_id, "decimals"])
        problems.warning(
            cells.file,
            f"Wert passt nicht zu Zähler / Nenner × {meta.at[indicator_id, 'scale']:g} (erwartet "
            f"{expected.at[i]:.{d}f}; {len(group)} Zeile(n) von Indikator {indicator_id}, erste hier)",
            row=int(group["row"].iat[0]), column=str(cells.frame["value_col"].iat[i]),
            value=str(raw_value.iat[i]),
        )
    return values


def _coverage(values: pd.DataFrame, area_ids: set[str] | None, catalogue: Catalogue, cells: Cells,
              problems: ProblemList) -> None:
    has_data = values[values["_valid"] & (values["value"].notna() | _has_counts(values))]
    if area_ids is not None:
        empty = sorted(area_ids - set(has_data["area_id"].unique()))
        problems.rows(cells.file, cells.headers["area_id"], "Sozialraum hat keine Werte",
                      [None] * len(empty), empty, severity="warning")
    with_data = set(has_data["indicator_id"].unique())
    for indicator_id in catalogue.frame["indicator_id"]:
        if indicator_id not in with_data:
            problems.warning(catalogue.file, f"Indikator hat keine Werte in {cells.file}",
                             row=catalogue.rows.get(indicator_id), column=catalogue.id_header, value=indicator_id)


def _finish(values: pd.DataFrame) -> pd.DataFrame:
    keep = values["_valid"] & (values["value"].notna() | _has_counts(values))
    out = values.loc[keep, list(VALUE_COLUMNS)].copy()
    out["area_id"] = out["area_id"].astype(str)
    out["indicator_id"] = out["indicator_id"].astype(str)
    out["year"] = out["year"].astype("int64")
    for column in ("value",) + COUNTS:
        out[column] = out[column].astype(float)
    return out.sort_values(["area_id", "indicator_id", "year"], kind="stable").reset_index(drop=True)
