"""Pure answers to a ``ViewState``: map values and classes, table rows, time series, captions.

Everything reads a ``Published`` object only, so data-protected cells arrive here as NaN with a
generic ``hidden`` flag; what leaves this module for the browser carries the symbol, never a
number and never the reason (primary/secondary) for hiding.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.classify import METHODS, Classification, classify, parse_limits
from dashboard.formatting import NO_DATA, format_number, format_signed, format_value
from dashboard.palettes import HIDDEN_COLOUR, NO_DATA_COLOUR, class_colours
from dashboard.publish import HIDDEN_STATUSES, Published
from dashboard.state import MAX_SERIES_AREAS, Choices, ViewState
from dashboard.tables import difference_header as tables_difference_header
from dashboard.tables import (
    difference_unit,
    export_table,
    need_ranks,
    ranking_table,
    reference_table,
    region_value,
)

HIDDEN_TEXT = "aus Datenschutzgründen nicht ausgewiesen"
NO_DATA_TEXT = "keine Daten"
OUTSIDE_TEXT = "außerhalb des Kommunenfilters"
OUTSIDE_COLOUR = "#ffffff"


# --- choices and metadata -------------------------------------------------------------------

def view_choices(published: Published) -> Choices:
    """Valid indicators, years, areas and municipalities; the default is the first indicator of
    the first theme in its latest year."""
    ind = published.indicators
    ordered = [i for t in published.themes for i in ind.loc[ind["theme"] == t, "indicator_id"]]
    return Choices(
        indicators=tuple(str(i) for i in ordered),
        years=tuple(int(y) for y in published.years),
        areas=frozenset(str(a) for a in published.areas["area_id"]),
        municipalities=frozenset(str(m) for m in published.municipalities["municipality_id"]),
        default_indicator=str(ordered[0]),
        default_year=int(max(published.years)),
    )


def theme_of(published: Published, indicator_id: str) -> str:
    return str(published.indicator(indicator_id)["theme"])


def indicator_options(published: Published, theme: str) -> list[dict]:
    """Dropdown options of one theme's indicators (label = German name)."""
    ind = published.indicators[published.indicators["theme"] == theme]
    return [{"label": str(n), "value": str(i)} for i, n in zip(ind["indicator_id"], ind["name"], strict=True)]


def all_indicator_options(published: Published) -> list[dict]:
    """Every indicator, labelled with its theme (for the compare control)."""
    ind = published.indicators
    return [{"label": f"{n} ({t})", "value": str(i)} for i, n, t in zip(ind["indicator_id"], ind["name"], ind["theme"], strict=True)]


def area_options(published: Published) -> list[dict]:
    """Every Sozialraum labelled 'Name (Kommune)', sorted by municipality and name."""
    a = published.areas.sort_values(["municipality_name", "area_name"])
    return [{"label": f"{n} ({m})", "value": str(i)} for i, n, m in zip(a["area_id"], a["area_name"], a["municipality_name"], strict=True)]


def municipality_options(published: Published) -> list[dict]:
    m = published.municipalities
    return [{"label": str(n), "value": str(i)} for i, n in zip(m["municipality_id"], m["municipality_name"], strict=True)]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def indicator_info(published: Published, indicator_id: str) -> dict[str, str]:
    """German description of an indicator for the info panel and image captions."""
    return _info_of(published.indicator(indicator_id))


def _info_of(info: pd.Series) -> dict[str, str]:
    polarity = int(info["polarity"])
    direction = {1: "Höhere Werte bedeuten mehr Bedarf.", -1: "Niedrigere Werte bedeuten mehr Bedarf.",
                 0: "Neutraler Indikator (keine Bedarfsrichtung)."}[polarity]
    return {
        "name": _text(info["name"]),
        "unit": _text(info["unit"]),
        "description": _text(info["description"]),
        "source": _text(info["source"]),
        "numerator": _text(info.get("numerator_label")),
        "denominator": _text(info.get("denominator_label")),
        "direction": direction,
        "decimals": str(int(info["decimals"])),
        "polarity": str(polarity),
    }


def title_text(published: Published, indicator_id: str, year: int, info: dict[str, str] | None = None) -> str:
    """'SGB-II-Quote (%) 2024' – the title inside map and chart images."""
    info = info or indicator_info(published, indicator_id)
    unit = f" ({info['unit']})" if info["unit"] else ""
    return f"{info['name']}{unit} {year}"


def caption_text(published: Published, indicator_id: str, info: dict[str, str] | None = None) -> str:
    """Source line inside every image: source, attribution and the demo-data note."""
    info = info or indicator_info(published, indicator_id)
    parts = [f"Quelle: {info['source']}" if info["source"] else "", published.config.attribution]
    if published.config.synthetic:
        parts.append("Demodaten (synthetisch)")
    return " · ".join(p for p in parts if p)


def caption_lines(text: str, width: int = 120) -> list[str]:
    """The source line broken into lines of at most ``width`` characters (at spaces), so that a
    long attribution stays whole inside a chart image instead of running off its edge."""
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def hidden_note(count: int) -> str:
    """'3 Sozialräume aus Datenschutzgründen nicht ausgewiesen' (empty when none)."""
    if count <= 0:
        return ""
    noun = "Sozialraum" if count == 1 else "Sozialräume"
    return f"{format_number(count, 0)} {noun} {HIDDEN_TEXT}"


def split_by_indicator(published: Published) -> dict[str, Published]:
    """One ``Published`` per indicator holding only its cells, built once at start-up.

    Every view of one indicator reads a few hundred rows instead of the whole table, which keeps
    a switch well under 20 ms; the slices share the areas and metadata with the original.
    """
    return {str(i): replace(published, cells=g.reset_index(drop=True))
            for i, g in published.cells.groupby("indicator_id", sort=False)}


@dataclass(frozen=True)
class AreaMatrix:
    """Published area values of one indicator as arrays in the map's area order (years as columns).

    Built once per indicator at start-up so a map switch is a few numpy operations. ``values``
    is NaN where a cell is missing or hidden; ``hidden`` marks data protection (no reason code).
    """

    indicator_id: str
    years: tuple[int, ...]
    values: np.ndarray
    hidden: np.ndarray
    municipality: np.ndarray

    def column(self, year: int) -> int:
        return self.years.index(year) if year in self.years else -1


def area_matrix(published: Published, indicator_id: str, area_ids: tuple[str, ...]) -> AreaMatrix:
    """Pivot the area cells of one indicator into arrays aligned with ``area_ids``."""
    years = tuple(int(y) for y in published.years)
    cells = published.level_cells("area", indicator_id).reset_index()
    value = cells.pivot_table(index="unit_id", columns="year", values="value", aggfunc="first", dropna=False)
    secret = cells.assign(h=cells["status"].isin(HIDDEN_STATUSES)).pivot_table(
        index="unit_id", columns="year", values="h", aggfunc="max", dropna=False)
    order = list(area_ids)
    values = value.reindex(index=order, columns=list(years)).to_numpy(dtype=float, copy=True)
    hidden = secret.reindex(index=order, columns=list(years)).fillna(0.0).to_numpy(dtype=bool)
    values[hidden] = np.nan
    muni = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
    return AreaMatrix(indicator_id, years, values, hidden, np.array([str(muni.get(a, "")) for a in order]))


def level_matrix(published: Published, indicator_id: str, level: str, unit_ids: tuple[str, ...]) -> AreaMatrix:
    """Like ``area_matrix`` for any level, by direct indexing (no pivot): one indicator's published
    values of ``unit_ids`` (rows) over all years (columns); NaN where missing or hidden."""
    years = tuple(int(y) for y in published.years)
    c = published.cells
    cells = c[(c["level"] == level) & (c["indicator_id"] == indicator_id)]
    row_of = {u: i for i, u in enumerate(unit_ids)}
    col_of = {y: j for j, y in enumerate(years)}
    values = np.full((len(unit_ids), len(years)), np.nan)
    hidden = np.zeros((len(unit_ids), len(years)), dtype=bool)
    for unit, year, value, status in zip(cells["unit_id"], cells["year"], cells["value"], cells["status"],
                                         strict=True):
        i, j = row_of.get(unit), col_of.get(int(year))
        if i is None or j is None:
            continue
        if status in HIDDEN_STATUSES:
            hidden[i, j] = True
        elif pd.notna(value):
            values[i, j] = float(value)
    values[hidden] = np.nan
    if level == "area":
        muni = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
        municipality = np.array([str(muni.get(u, "")) for u in unit_ids])
    else:
        municipality = np.array([str(u) if level == "municipality" else "" for u in unit_ids])
    return AreaMatrix(indicator_id, years, values, hidden, municipality)


@dataclass(frozen=True)
class TableData:
    """One indicator's published cells as arrays for the ranking table, built once at start-up.

    Areas in the order of ``published.areas`` (the order ``ranking_table`` starts from), the
    municipalities in the order of ``published.municipalities``, and the region; hidden cells
    are NaN with a generic flag, as everywhere else.
    """

    indicator_id: str
    info: dict[str, str]
    area_ids: tuple[str, ...]
    area_names: tuple[str, ...]
    area_municipality_names: tuple[str, ...]
    areas: AreaMatrix
    municipality_ids: tuple[str, ...]
    municipality_names: tuple[str, ...]
    municipalities: AreaMatrix
    region: AreaMatrix


def table_data(published: Published, indicator_id: str) -> TableData:
    a, m = published.areas, published.municipalities
    area_ids = tuple(str(x) for x in a["area_id"])
    muni_ids = tuple(str(x) for x in m["municipality_id"])
    return TableData(
        indicator_id=indicator_id,
        info=indicator_info(published, indicator_id),
        area_ids=area_ids,
        area_names=tuple(str(x) for x in a["area_name"]),
        area_municipality_names=tuple(str(x) for x in a["municipality_name"]),
        areas=level_matrix(published, indicator_id, "area", area_ids),
        municipality_ids=muni_ids,
        municipality_names=tuple(str(x) for x in m["municipality_name"]),
        municipalities=level_matrix(published, indicator_id, "municipality", muni_ids),
        region=level_matrix(published, indicator_id, "region", (REGION_ID,)),
    )


def _at(matrix: AreaMatrix, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Values and hidden flags of one year (NaN / False when the year is unknown)."""
    col = matrix.column(year)
    n = matrix.values.shape[0]
    if col < 0:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    return matrix.values[:, col], matrix.hidden[:, col]


# --- map ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapView:
    """Per-area values for one map, in the geometry's area order; no hidden number anywhere.

    ``z`` holds the class index, then ``k`` = keine Daten, ``k+1`` = hidden, ``k+2`` = outside
    the municipality filter; ``colours`` has one colour per code.
    """

    z: list[int]
    colours: list[str]
    legend: list[tuple[str, str]]
    hover: list[list[str]]
    hidden_ids: list[str]
    selected: list[int]
    hidden_count: int
    missing_count: int
    title: str
    subtitle: str
    caption: str
    note: str


def _ranked(published: Published, state: ViewState, indicator_id: str, year: int) -> pd.DataFrame:
    return ranking_table(published, indicator_id, year, municipalities=state.municipalities or None)


def _classification(state: ViewState, table: pd.DataFrame, decimals: int) -> Classification:
    return _classify_values(state, table["value"].to_numpy(dtype=float), decimals)


def _classify_values(state: ViewState, values: np.ndarray, decimals: int) -> Classification:
    limits = parse_limits(state.limits) if state.method == "manual" else None
    return classify(values, state.method, state.classes, decimals, limits)


def map_view(published: Published, area_ids: tuple[str, ...], state: ViewState, second: bool = False,
             matrix: AreaMatrix | None = None) -> MapView:
    """The values, classes, colours and hover texts of one map (``second``: the compare map).

    ``matrix`` (precomputed for the indicator shown) makes this a few array operations; the
    ranks follow the same rule as the ranking table (a test checks they agree).
    """
    indicator_id, year = state.indicator, state.year
    if second and state.compare == "indicator" and state.compare_indicator:
        indicator_id = state.compare_indicator
    elif second and state.compare == "year" and state.compare_year is not None:
        year = state.compare_year
    if matrix is None or matrix.indicator_id != indicator_id:
        matrix = area_matrix(published, indicator_id, area_ids)
    info = indicator_info(published, indicator_id)
    polarity, decimals = int(info["polarity"]), int(info["decimals"])
    col = matrix.column(year)
    n = len(area_ids)
    values = matrix.values[:, col] if col >= 0 else np.full(n, np.nan)
    hidden = matrix.hidden[:, col] if col >= 0 else np.zeros(n, dtype=bool)
    inside = np.isin(matrix.municipality, list(state.municipalities)) if state.municipalities else np.ones(n, bool)
    shown = np.where(inside, values, np.nan)
    ranks = need_ranks(shown, polarity)
    cls = _classification(state, pd.DataFrame({"value": shown}), decimals)
    k = cls.k
    colours = class_colours(k, state.palette, polarity, cls.diverging) + [NO_DATA_COLOUR, HIDDEN_COLOUR, OUTSIDE_COLOUR]
    ranked_count = int((~np.isnan(ranks)).sum())
    z: list[int] = []
    hover: list[list[str]] = []
    hidden_ids: list[str] = []
    for i, area in enumerate(area_ids):
        if not inside[i]:
            z.append(k + 2)
            hover.append([OUTSIDE_TEXT, ""])
        elif hidden[i]:
            z.append(k + 1)
            hover.append([published.symbol, HIDDEN_TEXT])
            hidden_ids.append(area)
        elif np.isnan(values[i]):
            z.append(k)
            hover.append([NO_DATA, NO_DATA_TEXT])
        else:
            z.append(int(cls.classes[i]))
            hover.append([format_value(values[i], info["unit"], decimals),
                          f"Rang {int(ranks[i])} von {ranked_count}"])
    counts = cls.counts()
    legend = [(f"{label} ({counts[i]})", colours[i]) for i, label in enumerate(cls.labels)]
    hidden_count = int((hidden & inside).sum())
    missing_count = int((np.isnan(values) & ~hidden & inside).sum())
    if missing_count:
        legend.append((f"{NO_DATA_TEXT} ({missing_count})", NO_DATA_COLOUR))
    if hidden_count:
        legend.append((f"{published.symbol} {HIDDEN_TEXT} ({hidden_count})", HIDDEN_COLOUR))
    index = {a: i for i, a in enumerate(area_ids)}
    method = METHODS.get(cls.method, cls.method)
    return MapView(
        z=z,
        colours=colours,
        legend=legend,
        hover=hover,
        hidden_ids=hidden_ids,
        selected=[index[a] for a in state.areas if a in index],
        hidden_count=hidden_count,
        missing_count=missing_count,
        title=title_text(published, indicator_id, year, info),
        subtitle=f"Klassifikation: {method}, {k} Klassen" + (" · Kommunenfilter aktiv" if state.municipalities else ""),
        caption=caption_text(published, indicator_id, info),
        note=cls.note,
    )


def selection_note(count: int) -> str:
    """'2 Sozialräume ausgewählt' (empty when nothing is selected)."""
    if count <= 0:
        return ""
    return f"{count} Sozialr{'aum' if count == 1 else 'äume'} ausgewählt"


# --- ranking table --------------------------------------------------------------------------

TABLE_COLUMNS = ("rank", "name", "municipality", "value", "diff", "class_label")


def ranking_view(published: Published, state: ViewState, decimals: int | None = None) -> pd.DataFrame:
    """The table on screen: ``ranking_table`` plus "Differenz zur Region" and "Klasse"."""
    if decimals is None:
        decimals = int(published.indicator(state.indicator)["decimals"])
    table = _ranked(published, state, state.indicator, state.year)
    cls = _classification(state, table, decimals)
    region = region_value(published, state.indicator, state.year)
    table = table.assign(diff=table["value"] - region)
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
    values, hidden = _at(data.areas, state.year)
    region = _at(data.region, state.year)[0][0]
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
    cls = _classify_values(state, values, decimals)
    diffs = values - region
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
            row = {"unit_id": unit, "rank": None if np.isnan(ranks[k]) else int(ranks[k]), "name": names[i],
                   "municipality": data.area_municipality_names[i],
                   "value": _short(values[k]), "value_text": format_number(values[k], decimals),
                   "diff": _short(diffs[k]), "diff_text": format_signed(diffs[k], diff_unit, decimals),
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
    region = region_value(published, state.indicator, state.year)
    table = table.assign(diff=(table["value"] - region).where(table["unit_id"] != REGION_ID))
    table["class_no"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["class_label"] = ""
    return table


def reference_rows(published: Published, state: ViewState, data: TableData | None = None) -> list[dict]:
    """Pinned rows for the grid: the region, then the filtered municipalities (or those of the selection)."""
    if data is None or data.indicator_id != state.indicator:
        data = table_data(published, state.indicator)
    info = data.info
    decimals = int(info["decimals"])
    diff_unit = difference_unit(info["unit"])
    symbol = published.symbol
    region_values, region_hidden = _at(data.region, state.year)
    muni_values, muni_hidden = _at(data.municipalities, state.year)
    position = {m: i for i, m in enumerate(data.municipality_ids)}
    units = [(REGION_ID, f"{published.config.region or 'Region'} (Region)", "", region_values[0], region_hidden[0])]
    units += [(m, f"{data.municipality_names[position[m]]} (Kommune)", data.municipality_names[position[m]],
               muni_values[position[m]], muni_hidden[position[m]])
              for m in dict.fromkeys(reference_municipalities(published, state)) if m in position]
    rows = []
    for unit, name, municipality, value, hidden in units:
        hidden, region = bool(hidden), unit == REGION_ID
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
    unit = indicator_info(published, indicator_id)["unit"]
    return f"Wert ({unit})" if unit else "Wert"


def difference_header(published: Published, indicator_id: str) -> str:
    return tables_difference_header(indicator_info(published, indicator_id)["unit"])


def download(published: Published, state: ViewState, fmt: str, row_ids: list[str] | None = None) -> tuple[bytes, str]:
    """Bytes and file name of the table download: exactly the grid's rows and columns (see ``shown_table``)."""
    data = export_table(shown_table(published, state, row_ids), published, state.indicator, fmt)  # type: ignore[arg-type]
    suffix = "xlsx" if fmt == "xlsx" else "csv"
    return data, f"{state.indicator}_{state.year}.{suffix}"


# --- time series ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesLine:
    """One line of the time series; ``values`` has None for missing and hidden years (a gap)."""

    name: str
    kind: str  # "area" | "municipality" | "region"
    years: list[int]
    values: list[float | None]
    texts: list[str]


def _line(published: Published, level: str, unit_id: str, name: str, indicator_id: str, decimals: int,
          unit: str) -> SeriesLine:
    c = published.cells
    mine = c[(c["unit_id"] == unit_id) & (c["level"] == level) & (c["indicator_id"] == indicator_id)]
    status = dict(zip(mine["year"], mine["status"], strict=True))
    value_of = dict(zip(mine["year"], mine["value"], strict=True))
    years = list(published.years)
    values: list[float | None] = []
    texts: list[str] = []
    for y in years:
        v = value_of.get(y, np.nan)
        if status.get(y) in HIDDEN_STATUSES:
            values.append(None)
            texts.append(f"{published.symbol} {HIDDEN_TEXT}")
        elif pd.notna(v):
            values.append(float(v))
            texts.append(format_value(float(v), unit, decimals))
        else:
            values.append(None)
            texts.append(NO_DATA_TEXT)
    return SeriesLine(name, level, years, values, texts)


COUNT_SERIES_NOTE = "Bei Anzahlen werden Kommune und Region nicht als Vergleich gezeigt."


def is_count(published: Published, indicator_id: str) -> bool:
    """A pure count (aggregation "sum", no scale, e.g. Einwohner): totals of larger units are no
    comparison for an area, so the time series leaves them out."""
    info = published.indicator(indicator_id)
    return str(info["aggregation"]) == "sum" and pd.isna(pd.to_numeric(info["scale"], errors="coerce"))


def series_view(published: Published, state: ViewState) -> tuple[list[SeriesLine], str]:
    """Lines for the selected areas (at most ``MAX_SERIES_AREAS``), their municipalities and the
    region, plus a German note when the selection was cut.

    For pure counts (``is_count``) the municipality and region lines are left out (their totals
    would flatten the areas' lines near zero) and the note says so.
    """
    info = indicator_info(published, state.indicator)
    decimals = int(info["decimals"])
    areas = published.areas.set_index("area_id")
    chosen = [a for a in state.areas if a in areas.index][:MAX_SERIES_AREAS]
    lines = [_line(published, "area", a, str(areas.loc[a, "area_name"]), state.indicator, decimals, info["unit"])
             for a in chosen]
    notes = []
    if len(state.areas) > MAX_SERIES_AREAS:
        notes.append(f"Zeitreihe zeigt die ersten {MAX_SERIES_AREAS} von {len(state.areas)} ausgewählten Sozialräumen.")
    if is_count(published, state.indicator):
        notes.append(COUNT_SERIES_NOTE)
        return lines, " ".join(notes)
    munis = dict.fromkeys(str(areas.loc[a, "municipality_id"]) for a in chosen)
    munis.update(dict.fromkeys(state.municipalities))
    names = dict(zip(published.municipalities["municipality_id"], published.municipalities["municipality_name"], strict=True))
    lines += [_line(published, "municipality", m, f"{names.get(m, m)} (Kommune)", state.indicator, decimals,
                    info["unit"]) for m in munis]
    lines.append(_line(published, "region", REGION_ID, f"{published.config.region or 'Region'} (Region)",
                       state.indicator, decimals, info["unit"]))
    return lines, " ".join(notes)
