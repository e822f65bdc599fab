"""The ranking table on screen and in downloads: rows, pinned reference rows, the shown table.

Rows are built from the per-indicator arrays (``dashboard.matrices``); the download is rebuilt on
the server from the published data for exactly the rows the grid shows. Counts get no
"Differenz zur Region" (a difference of absolute numbers between an area and the region is no
comparison); nor do composite indices, which also get no reference rows (they have no
municipality or region value, see ``dashboard.indices.atlas``) and show their declared classes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.classify import Classification, classify, parse_limits
from dashboard.formatting import format_number, format_signed
from dashboard.indices.atlas import declared_classes, spec_of
from dashboard.matrices import TableData, table_data, values_at
from dashboard.publish import Published
from dashboard.state import ViewState
from dashboard.tables import difference_header as tables_difference_header
from dashboard.tables import (
    difference_unit,
    export_table,
    need_ranks,
    ranking_table,
    reference_table,
    region_value,
)
from dashboard.texts import HIDDEN_TEXT

NBSP = "\u00a0"


def _classify_values(state: ViewState, values: np.ndarray, decimals: int,
                     published: Published | None = None, with_ranges: bool = False) -> Classification:
    """The map's classes of ``values``: an index's declared classes (the grid shows their names, files
    also their value ranges), else the classification controls'."""
    spec = spec_of(published, state.indicator) if published is not None else None
    if spec is not None and spec.has_classes:
        return declared_classes(spec, values, with_ranges)
    limits = parse_limits(state.limits) if state.method == "manual" else None
    return classify(values, state.method, state.classes, decimals, limits)


def _no_difference(published: Published, indicator_id: str) -> bool:
    """Counts and indices get no "Differenz zur Region" (see the module docstring)."""
    return not published.catalogue[indicator_id].compares_to_region


TABLE_COLUMNS = ("rank", "name", "municipality", "value", "diff", "class_label")


def ranking_view(published: Published, state: ViewState, decimals: int | None = None) -> pd.DataFrame:
    """The table on screen: ``ranking_table`` plus "Differenz zur Region" and "Klasse"."""
    if decimals is None:
        decimals = published.catalogue[state.indicator].decimals
    table = ranking_table(published, state.indicator, state.year, municipalities=state.municipalities or None)
    cls = _classify_values(state, table["value"].to_numpy(dtype=float), decimals, published, with_ranges=True)
    region = region_value(published, state.indicator, state.year)
    ind = published.catalogue[state.indicator]
    if ind.compares_to_region:
        table = table.assign(diff=table["value"] - region)
    elif ind.is_count:
        table = table.assign(diff=np.nan)
    table["class_no"] = pd.array([c + 1 if c >= 0 else pd.NA for c in cls.classes], dtype="Int64")
    table["class_label"] = [cls.labels[c] if c >= 0 else "" for c in cls.classes]
    return table


def _short(value: float) -> float | None:
    """A number for the grid's sorting and filtering: None for NaN, float noise rounded away."""
    return None if np.isnan(value) else round(float(value), 8)


def table_rows(published: Published, state: ViewState, data: TableData | None = None) -> list[dict]:
    """Rows for the grid, in the order of ``ranking_view``; hidden rows carry the symbol and a
    generic flag only.

    ``data`` (precomputed per indicator) makes this a few array operations. Only what the grid
    reads is sent: ``selected`` appears only on selected rows, ``tip`` only on hidden ones.
    """
    if data is None or data.indicator_id != state.indicator:
        data = table_data(published, state.indicator)
    info = data.info
    decimals, polarity = int(info["decimals"]), int(info["polarity"])
    diff_unit = difference_unit(info["unit"])
    count = _no_difference(published, state.indicator)
    values, hidden = values_at(data.areas, state.year)
    region = values_at(data.region, state.year)[0][0]
    inside = (np.isin(data.areas.municipality, list(state.municipalities)) if state.municipalities
              else np.ones(len(values), dtype=bool))
    index = np.flatnonzero(inside)
    values, hidden = values[index], hidden[index]
    ranks = need_ranks(values, polarity)
    names = data.area_names
    # ranking_table's order: ranked rows by rank, then missing, then hidden; ties by name (stable).
    order = sorted(range(len(index)), key=lambda k: (
        int(hidden[k]) + int(np.isnan(values[k])), np.inf if np.isnan(ranks[k]) else ranks[k], names[index[k]]))
    values, hidden, ranks, index = values[order], hidden[order], ranks[order], index[order]
    cls = _classify_values(state, values, decimals, published)
    selected = set(state.areas)
    symbol = published.symbol
    rows = []
    for k, i in enumerate(index):
        unit = data.area_ids[i]
        if hidden[k]:
            row = {"unit_id": unit, "rank": None, "name": names[i], "municipality": data.area_municipality_names[i],
                   "value": None, "value_text": symbol, "diff": None, "diff_text": symbol, "class_no": None,
                   "class_label": "", "hidden": True, "tip": HIDDEN_TEXT}
        else:
            c = int(cls.classes[k])
            # The difference of the sent (8-digit) value, so the browser can rebuild it exactly.
            diff = np.nan if count or np.isnan(values[k]) else _short(values[k]) - region
            row = {"unit_id": unit, "rank": None if np.isnan(ranks[k]) else int(ranks[k]), "name": names[i],
                   "municipality": data.area_municipality_names[i],
                   "value": _short(values[k]), "value_text": format_number(values[k], decimals),
                   "diff": _short(diff), "diff_text": "" if count else format_signed(_short(diff), diff_unit, decimals),
                   "class_no": c + 1 if c >= 0 else None, "class_label": f"{c + 1}: {cls.labels[c]}" if c >= 0 else "",
                   "hidden": False}
        if unit in selected:
            row["selected"] = True
        rows.append(row)
    return rows


def reference_municipalities(published: Published, state: ViewState) -> list[str]:
    """The filtered municipalities, or (without a filter) those of the selected areas."""
    munis = list(state.municipalities)
    if not munis and state.areas:
        muni_of = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
        munis = list(dict.fromkeys(str(muni_of[a]) for a in state.areas if a in muni_of))
    return munis


def reference_view(published: Published, state: ViewState) -> pd.DataFrame:
    """The pinned rows as a table: the region, then the reference municipalities, with "diff"."""
    table = reference_table(published, state.indicator, state.year, reference_municipalities(published, state))
    ind = published.catalogue[state.indicator]
    if ind.is_index:  # no published municipality or region value of an index, no difference column
        table = table.iloc[0:0]
    else:
        region = region_value(published, state.indicator, state.year)
        table = table.assign(diff=np.nan if ind.is_count else
                             (table["value"] - region).where(table["unit_id"] != REGION_ID))
    table["class_no"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["class_label"] = ""
    return table


def reference_rows(published: Published, state: ViewState, data: TableData | None = None) -> list[dict]:
    """Pinned rows for the grid: the region, then the filtered municipalities (or those of the selection)."""
    if published.catalogue[state.indicator].is_index:
        return []  # no published municipality or region value of an index
    if data is None or data.indicator_id != state.indicator:
        data = table_data(published, state.indicator)
    info = data.info
    decimals = int(info["decimals"])
    diff_unit = difference_unit(info["unit"])
    count = _no_difference(published, state.indicator)
    symbol = published.symbol
    region_values, region_hidden = values_at(data.region, state.year)
    muni_values, muni_hidden = values_at(data.municipalities, state.year)
    position = {m: i for i, m in enumerate(data.municipality_ids)}
    units = [(REGION_ID, f"{published.config.region or 'Region'} (Region)", "", region_values[0], region_hidden[0])]
    units += [(m, f"{data.municipality_names[position[m]]} (Kommune)", data.municipality_names[position[m]],
               muni_values[position[m]], muni_hidden[position[m]])
              for m in dict.fromkeys(reference_municipalities(published, state)) if m in position]
    rows = []
    for unit, name, municipality, value, hidden in units:
        hidden, region = bool(hidden), unit == REGION_ID or count
        diff = value - region_values[0]
        rows.append({
            "unit_id": unit, "rank": None, "name": name, "municipality": municipality,
            "value": None if hidden else _short(value),
            "value_text": symbol if hidden else format_number(value, decimals),
            "diff": None if hidden or region else _short(diff),
            "diff_text": "" if region else (symbol if hidden else format_signed(diff, diff_unit, decimals)),
            "class_no": None, "class_label": "", "hidden": hidden, "selected": False, "reference": True,
            **({"tip": HIDDEN_TEXT} if hidden else {}),
        })
    return rows


def compact_reference(published: Published, state: ViewState, data: TableData | None = None) -> list[list]:
    """``reference_rows`` as ``[unit_id, name, municipality, value, hidden]`` lists (the browser
    formats them, ``expand_reference``); a hidden value is ``None``, never a number."""
    return [[r["unit_id"], r["name"], r["municipality"], r["value"], int(r["hidden"])]
            for r in reference_rows(published, state, data)]


def expand_reference(compact: dict) -> list[dict]:
    """The pinned rows from a compact table's ``ref`` — the Python twin of assets/ranking.js ``reference``."""
    refs = compact.get("ref") or []
    region_value = next((v for u, _n, _m, v, _h in refs if u == REGION_ID), None)
    decimals, symbol, count = compact["d"], compact["s"], compact["c"]
    rows = []
    for unit, name, municipality, value, hidden in refs:
        region = unit == REGION_ID or count
        diff = None if hidden or region or value is None or region_value is None else round(value - region_value, 8)
        rows.append({
            "unit_id": unit, "rank": None, "name": name, "municipality": municipality,
            "value": None if hidden else value,
            "value_text": symbol if hidden else format_number(value, decimals),
            "diff": diff,
            "diff_text": "" if region else (symbol if hidden else format_signed(diff, compact["u"], decimals)),
            "class_no": None, "class_label": "", "hidden": bool(hidden), "selected": False, "reference": True,
            **({"tip": HIDDEN_TEXT} if hidden else {}),
        })
    return rows


def shown_table(published: Published, state: ViewState, row_ids: list[str] | None = None) -> pd.DataFrame:
    """What the grid shows, as one table: the pinned reference rows, then the ranked rows.

    ``row_ids`` are the grid's rows after the user's column filters and sorting (its
    ``virtualRowData``), in display order; ids that are not in the current view are ignored, so
    a stale or forged list can only drop rows, never add a value. ``None`` means all rows.
    """
    ranked = ranking_view(published, state).assign(reference=False)
    if row_ids is not None:
        position = {u: i for i, u in enumerate(ranked["unit_id"])}
        order = [position[u] for u in dict.fromkeys(str(r) for r in row_ids) if u in position]
        ranked = ranked.iloc[order]
    return pd.concat([reference_view(published, state), ranked], ignore_index=True)


def value_header(published: Published, indicator_id: str) -> str:
    unit = published.catalogue[indicator_id].unit.replace(" ", NBSP)  # a header never breaks inside a unit
    return f"Wert ({unit})" if unit else "Wert"


def difference_header(published: Published, indicator_id: str) -> str:
    ind = published.catalogue[indicator_id]
    return "" if not ind.compares_to_region else tables_difference_header(ind.unit.replace(" ", NBSP))


def download(published: Published, state: ViewState, fmt: str, row_ids: list[str] | None = None) -> tuple[bytes, str]:
    """Bytes and file name of the table download: exactly the grid's rows and columns (see ``shown_table``)."""
    data = export_table(shown_table(published, state, row_ids), published, state.indicator, fmt,  # type: ignore[arg-type]
                        year=state.year)
    suffix = "xlsx" if fmt == "xlsx" else "csv"
    return data, f"{file_stem(published, state.indicator, state.year)}_Tabelle.{suffix}"




def file_stem(published: Published, indicator_id: str, year: int) -> str:
    """'SGB-II-Quote_2024': what a file holds, safe on every file system."""
    import re

    name = re.sub(r"[^0-9A-Za-zÄÖÜäöüß]+", "-", published.catalogue[indicator_id].name).strip("-") or indicator_id
    return f"{name[:60]}_{year}"


# --- Compact table payload -------------------------------------------------------------------
# A switch sends the grid's rows as a few arrays (``compact_table``); the browser turns them into
# rows (assets/ranking.js, ``sozialraum.table.rows``) with names from the map's GeoJSON and
# German number texts from Intl.NumberFormat. ``expand_table`` is the same decoding in Python
# (tests read the payload with it). Hidden areas carry only the code "h": no number at all.

#: Per-area codes of ``compact_table["k"]``: outside the filter, hidden, missing; digits = class number.
OUTSIDE_CODE, HIDDEN_CODE, MISSING_CODE = "x", "h", "-"
NO_NUMBER_CODES = (OUTSIDE_CODE, HIDDEN_CODE, MISSING_CODE)


def compact_table(published: Published, state: ViewState, data: TableData | None = None,
                  geometry_ids: tuple[str, ...] | None = None, map_values: list | None = None,
                  map_labels: list | None = None) -> dict:
    """The rows of ``table_rows`` as arrays in the table data's area order (a few bytes per area).

    ``k``: one character per area (``x`` outside the municipality filter, ``h`` hidden, ``-`` no
    data, ``0`` unclassified, ``1``..``7`` the class number); ``v``: the value of each area with a
    number, in that order (left out, with ``vm``, when they are the map's ``map_values`` at those
    areas: the browser takes them from the map style); ``p``: the polarity the browser ranks by
    (``need_ranks`` of these values); ``g``: geometry index per area when the orders differ;
    ``L``: the class labels (left out, with ``Lm``, when they are the map legend's ``map_labels``).
    """
    if data is None or data.indicator_id != state.indicator:
        data = table_data(published, state.indicator)
    info = data.info
    decimals, polarity = int(info["decimals"]), int(info["polarity"])
    count = _no_difference(published, state.indicator)
    values, hidden = values_at(data.areas, state.year)
    region = values_at(data.region, state.year)[0][0]
    inside = (np.isin(data.areas.municipality, list(state.municipalities)) if state.municipalities
              else np.ones(len(values), dtype=bool))
    shown = np.where(inside & ~hidden, values, np.nan)
    index = np.flatnonzero(inside)
    cls = _classify_values(state, values[index], decimals, published)
    classes = np.full(len(values), -1)
    classes[index] = cls.classes
    # One character per area, as arrays (a Python loop over 10,000 areas took 50 ms).
    numbered = inside & ~hidden & ~np.isnan(shown)
    class_chars = np.array([str(c + 1) if c >= 0 else "0" for c in range(-1, max(int(classes.max(initial=-1)), 0) + 1)])
    chars = np.where(~inside, OUTSIDE_CODE, np.where(hidden, HIDDEN_CODE, np.where(
        numbered, class_chars[np.clip(classes, -1, None) + 1], MISSING_CODE)))
    numbers: list = [round(v, 8) for v in shown[numbered].tolist()]  # as ``_short``: no NaN left here
    out = {"k": "".join(chars.tolist()), "v": numbers, "p": polarity, "L": list(cls.labels), "d": decimals,
           "R": None if count or np.isnan(region) else float(region), "c": bool(count),
           "u": difference_unit(info["unit"]), "s": published.symbol, "sel": list(state.areas),
           "ref": compact_reference(published, state, data)}
    if geometry_ids is not None and tuple(geometry_ids) != data.area_ids:
        position = {a: g for g, a in enumerate(geometry_ids)}
        out["g"] = [position.get(a, -1) for a in data.area_ids]
    if map_values is not None:
        geometry = out.get("g")
        numbered = [geometry[j] if geometry else j for j, code in enumerate(out["k"]) if code not in NO_NUMBER_CODES]
        if all(0 <= g < len(map_values) for g in numbered) and [map_values[g] for g in numbered] == numbers:
            del out["v"]
            out["vm"] = 1
    if map_labels is not None and list(map_labels[:len(out["L"])]) == out["L"]:
        del out["L"]
        out["Lm"] = 1
    return out


def compact_values(compact: dict, map_values: list | None = None) -> list:
    """The numbers of a compact table: its own ``v``, or the map's values at its numbered areas."""
    if not compact.get("vm"):
        return list(compact["v"])
    geometry = compact.get("g")
    return [map_values[geometry[j] if geometry else j] for j, code in enumerate(compact["k"])
            if code not in NO_NUMBER_CODES]


def expand_table(compact: dict, area_ids: tuple[str, ...], names: tuple[str, ...],
                 municipalities: tuple[str, ...], map_values: list | None = None,
                 map_labels: list | None = None) -> list[dict]:
    """The grid's rows from ``compact_table`` — the Python twin of assets/ranking.js.

    ``area_ids``/``names``/``municipalities`` are in geometry order (the GeoJSON's ``i``);
    ``map_values`` / ``map_labels`` are the map style's values and legend labels (for ``vm`` / ``Lm``).
    """
    labels = compact["L"] if not compact.get("Lm") else list(map_labels or [])
    decimals, region, count = compact["d"], compact["R"], compact["c"]
    symbol, selected = compact["s"], set(compact["sel"])
    geometry = compact.get("g")
    numbers = compact_values(compact, map_values)
    rank_of = need_ranks(np.array(numbers, dtype=float), int(compact["p"]))
    rows, n = [], 0
    for j, code in enumerate(compact["k"]):
        if code == OUTSIDE_CODE:
            continue
        g = geometry[j] if geometry else j
        row: dict = {"unit_id": area_ids[g], "rank": None, "name": names[g], "municipality": municipalities[g]}
        if code == HIDDEN_CODE:
            row.update(value=None, value_text=symbol, diff=None, diff_text=symbol, class_no=None, class_label="",
                       hidden=True, tip=HIDDEN_TEXT)
        elif code == MISSING_CODE:
            row.update(value=None, value_text=format_number(None), diff=None,
                       diff_text="" if count else format_signed(None), class_no=None, class_label="", hidden=False)
        else:
            value, rank = numbers[n], int(rank_of[n])
            n += 1
            diff = None if count or region is None else round(value - region, 8)
            c = int(code)
            row.update(rank=rank, value=value, value_text=format_number(value, decimals), diff=diff,
                       diff_text="" if count else format_signed(diff, compact["u"], decimals),
                       class_no=c or None, class_label=f"{c}: {labels[c - 1]}" if c else "", hidden=False)
        if row["unit_id"] in selected:
            row["selected"] = True
        rows.append(row)
    # table_rows' order: ranked rows by rank, then missing and hidden; ties by name (stable).
    rows.sort(key=lambda r: (2 if r["hidden"] else int(r["value"] is None),
                             np.inf if r["rank"] is None else r["rank"], r["name"]))
    return rows
