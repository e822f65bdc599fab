"""Sozialraumprofil and Kommunenprofil: what one area (or one municipality's areas) shows, as plain data.

Pages, the XLSX and PDF files and the CLI all render these objects, so every output says the same
and follows one data-protection rule: a hidden value is ``None`` with ``hidden=True`` and its text
is the symbol – in values, ranks, classes, trend points and index values alike. Nothing here reads
anything but ``Prepared`` (published data only).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.formatting import NO_DATA, format_number
from dashboard.indices import PROTECTED_STATUSES, compute_indices, evaluate_needs
from dashboard.indices.engine import MISSING, PARTIAL, index_years
from dashboard.mapview import MapView, map_views
from dashboard.prepared import Prepared
from dashboard.publish import HIDDEN_STATUSES, Published
from dashboard.state import ViewState
from dashboard.tables import need_ranks
from dashboard.texts import HIDDEN_TEXT

#: German words for the states of a Gestaltungsbedarf.
NEED_STATE_TEXTS = {"yes": "ja", "no": "nein", "missing": NO_DATA}


@dataclass(frozen=True)
class Shown:
    """One shown number: ``value`` is None when hidden or missing; ``text`` is what a reader sees."""

    value: float | None
    hidden: bool
    text: str

    @property
    def missing(self) -> bool:
        return self.value is None and not self.hidden


def shown(value: float | None, hidden: bool, decimals: int, symbol: str) -> Shown:
    """The one rule: hidden -> symbol (never the number), NaN -> '–', else the German number."""
    if hidden:
        return Shown(None, True, symbol)
    if value is None or not np.isfinite(value):
        return Shown(None, False, NO_DATA)
    return Shown(float(value), False, format_number(value, decimals))


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of a Sozialraumprofil."""

    indicator_id: str
    name: str
    unit: str
    decimals: int
    area: Shown
    municipality: Shown
    region: Shown
    rank: int | None  # None when hidden or missing (no rank is ever derived from a hidden value)
    ranked: int
    rank_text: str
    class_text: str
    series: tuple[tuple[int, Shown], ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


@dataclass(frozen=True)
class ThemeBlock:
    theme: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class IndexRow:
    index_id: str
    name: str
    value: Shown
    class_label: str
    rank_text: str
    note: str


@dataclass(frozen=True)
class NeedRow:
    need_id: str
    name: str
    state: str  # yes, no, hidden, missing
    state_text: str
    fired: tuple[str, ...]
    rule_text: str


@dataclass(frozen=True)
class AreaProfile:
    area_id: str
    name: str
    municipality_id: str
    municipality: str
    region: str
    year: int
    years: tuple[int, ...]
    population: Shown
    themes: tuple[ThemeBlock, ...]
    indices: tuple[IndexRow, ...]
    needs: tuple[NeedRow, ...]
    symbol: str
    synthetic: bool
    attribution: str

    @property
    def hidden_cells(self) -> int:
        return sum(r.area.hidden for t in self.themes for r in t.rows)


def profile_year(prepared: Prepared, year: object) -> int:
    """The requested year if the bundle has it, else the latest (a hand-edited link still opens)."""
    years = prepared.published.years
    try:
        wanted = int(str(year))
    except (TypeError, ValueError):
        return int(max(years))
    return wanted if wanted in years else int(max(years))


# ------------------------------------------------------------------ published values per level

def _level_values(published: Published, level: str, unit_id: str) -> dict[tuple[str, int], tuple[float, bool]]:
    c = published.cells
    sel = c[(c["level"] == level) & (c["unit_id"] == unit_id)]
    return {(str(i), int(y)): (float(v), s in HIDDEN_STATUSES)
            for i, y, v, s in zip(sel["indicator_id"], sel["year"], sel["value"], sel["status"], strict=True)}


def _get(values: dict, key: tuple[str, int], decimals: int, symbol: str) -> Shown:
    value, hidden = values.get(key, (np.nan, False))
    return shown(None if hidden else value, hidden, decimals, symbol)


def _class_text(view: MapView, i: int, symbol: str) -> str:
    status = view.status_of(i)
    if status == "hidden":
        return symbol
    if status != "class":
        return NO_DATA
    code = view.codes[i]
    unit = f" {view.unit}" if view.density and view.unit else ""
    return f"{code + 1} von {view.k}: {view.legend[code].label}{unit}"


_VIEW_CACHE: dict[tuple[int, str, int], tuple[Prepared, MapView]] = {}


def indicator_view(prepared: Prepared, indicator_id: str, year: int, municipalities: tuple[str, ...] = ()) -> MapView:
    """The atlas map of one indicator (default classification): the class a profile names is the
    colour the atlas shows. Cached per prepared object, indicator and year."""
    key = (id(prepared), f"{indicator_id}|{','.join(municipalities)}", year)
    hit = _VIEW_CACHE.get(key)
    if hit is not None and hit[0] is prepared:
        return hit[1]
    state = ViewState(indicator=indicator_id, year=year, municipalities=municipalities)
    view = map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                     dict(prepared.matrices))[0]
    if len(_VIEW_CACHE) > 4000:
        _VIEW_CACHE.clear()
    _VIEW_CACHE[key] = (prepared, view)
    return view


def _rank(prepared: Prepared, indicator_id: str, year: int, position: int) -> tuple[int | None, int]:
    """Need rank of the area among all areas (the table's rule); None where hidden or missing."""
    matrix = prepared.matrix(indicator_id)
    if matrix is None or matrix.column(year) < 0:
        return None, 0
    values = matrix.values[:, matrix.column(year)]
    ranks = need_ranks(values, prepared.catalogue[indicator_id].polarity)
    r = ranks[position]
    return (None if np.isnan(r) else int(r)), int(np.isfinite(values).sum())


# ------------------------------------------------------------------ indices and needs (cached)

_INDEX_CACHE: dict[tuple[int, int], tuple[Published, dict, dict]] = {}


def indices_and_needs(published: Published, year: int) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """``compute_indices`` and ``evaluate_needs`` of one year, computed once per published object."""
    key = (id(published), year)
    hit = _INDEX_CACHE.get(key)
    if hit is not None and hit[0] is published:
        return hit[1], hit[2]
    indices = compute_indices(published, year)
    needs = evaluate_needs(published, year, indices) if published.needs else {}
    if len(_INDEX_CACHE) > 64:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[key] = (published, indices, needs)
    return indices, needs


def index_decimals(method: str) -> int:
    return 2 if method == "zsum" else 1


def _index_rows(published: Published, area_id: str, year: int) -> tuple[IndexRow, ...]:
    indices, _ = indices_and_needs(published, year)
    symbol = published.symbol
    rows = []
    for spec in published.indices:
        result = indices[spec.index_id]
        if area_id not in result.index:
            continue
        row = result.loc[area_id]
        status = str(row["status"])
        protected = status in PROTECTED_STATUSES
        value = shown(None if protected else float(row["value"]), protected, index_decimals(spec.method), symbol)
        ranks = pd.Series(result["value"].to_numpy(dtype=float)).rank(method="min", ascending=False)
        ranked = int(result["value"].notna().sum())
        r = ranks.iloc[list(result.index).index(area_id)]
        rank_text = symbol if protected else (NO_DATA if np.isnan(r) else f"{int(r)} von {ranked}")
        if protected:
            note = HIDDEN_TEXT
        elif status == PARTIAL:
            note = f"aus {int(row['n_inputs'])} von {len(spec.indicators)} Indikatoren berechnet"
        elif status == MISSING:
            note = "nicht berechenbar" if year in index_years(published, spec) else f"für {year} nicht berechenbar"
        else:
            note = ""
        label = row["class_label"]
        rows.append(IndexRow(spec.index_id, spec.name, value,
                             symbol if protected else (str(label) if isinstance(label, str) else NO_DATA),
                             rank_text, note))
    return tuple(rows)


def _need_rows(published: Published, area_id: str, year: int) -> tuple[NeedRow, ...]:
    _, needs = indices_and_needs(published, year)
    rows = []
    for rule in published.needs:
        frame = needs.get(rule.need_id)
        if frame is None or area_id not in frame.index:
            continue
        row = frame.loc[area_id]
        state = str(row["state"])
        text = published.symbol if state == "hidden" else NEED_STATE_TEXTS.get(state, state)
        rows.append(NeedRow(rule.need_id, rule.name, state, text, tuple(row["fired"]) if state == "yes" else (),
                            rule.text))
    return tuple(rows)


# ------------------------------------------------------------------ Sozialraumprofil

def area_profile(prepared: Prepared, area_id: str, year: int | None = None) -> AreaProfile:
    """Everything the Sozialraumprofil of ``area_id`` shows (KeyError for an unknown area)."""
    published = prepared.published
    area_ids = prepared.geometry.area_ids
    if area_id not in area_ids:
        raise KeyError(area_id)
    position = area_ids.index(area_id)
    year = profile_year(prepared, year)
    areas = published.areas.set_index("area_id")
    municipality_id = str(areas.loc[area_id, "municipality_id"])
    symbol = published.symbol
    own = _level_values(published, "area", area_id)
    muni = _level_values(published, "municipality", municipality_id)
    region = _level_values(published, "region", REGION_ID)
    blocks = []
    for theme in prepared.catalogue.indicator_themes:
        rows = []
        for ind in prepared.catalogue.in_theme(theme):
            key = (ind.id, year)
            area_value = _get(own, key, ind.decimals, symbol)
            rank, ranked = _rank(prepared, ind.id, year, position)
            if area_value.hidden:
                rank, rank_text = None, symbol
            else:
                rank_text = NO_DATA if rank is None else f"{rank} von {ranked}"
            series = tuple((y, _get(own, (ind.id, y), ind.decimals, symbol)) for y in published.years)
            rows.append(IndicatorRow(
                ind.id, ind.name, ind.unit, ind.decimals, area_value,
                _get(muni, key, ind.decimals, symbol), _get(region, key, ind.decimals, symbol),
                rank, ranked, rank_text, _class_text(indicator_view(prepared, ind.id, year), position, symbol),
                series))
        blocks.append(ThemeBlock(theme, tuple(rows)))
    pop_id = published.config.privacy.population_indicator
    population = _get(own, (pop_id, year), 0, symbol) if pop_id else shown(None, False, 0, symbol)
    cfg = published.config
    return AreaProfile(
        area_id=area_id, name=prepared.area_names[position], municipality_id=municipality_id,
        municipality=prepared.municipality_names[position], region=cfg.region or "Region", year=year,
        years=tuple(int(y) for y in published.years), population=population, themes=tuple(blocks),
        indices=_index_rows(published, area_id, year), needs=_need_rows(published, area_id, year),
        symbol=symbol, synthetic=bool(cfg.synthetic), attribution=cfg.attribution or "",
    )


# ------------------------------------------------------------------ Kommunenprofil

@dataclass(frozen=True)
class MunicipalityProfile:
    """One municipality's Sozialräume side by side for one theme, with municipality and region."""

    municipality_id: str
    name: str
    region: str
    theme: str
    themes: tuple[str, ...]
    year: int
    indicators: tuple[tuple[str, str], ...]  # (id, label)
    area_ids: tuple[str, ...]
    area_names: tuple[str, ...]
    values: tuple[tuple[Shown, ...], ...]  # one row per area, one Shown per indicator
    municipality: tuple[Shown, ...]
    region_values: tuple[Shown, ...]
    symbol: str
    synthetic: bool
    attribution: str

    @property
    def hidden_cells(self) -> int:
        return sum(s.hidden for row in self.values for s in row)


def municipality_theme(prepared: Prepared, theme: object) -> str:
    themes = prepared.catalogue.indicator_themes
    return str(theme) if theme in themes else themes[0]


def municipality_profile(prepared: Prepared, municipality_id: str, theme: str | None = None,
                         year: int | None = None) -> MunicipalityProfile:
    """The Kommunenprofil of ``municipality_id`` for ``theme`` (KeyError for an unknown municipality)."""
    published = prepared.published
    munis = published.municipalities.set_index("municipality_id")
    if municipality_id not in munis.index:
        raise KeyError(municipality_id)
    theme = municipality_theme(prepared, theme)
    year = profile_year(prepared, year)
    symbol = published.symbol
    members = [(a, prepared.area_names[i]) for i, a in enumerate(prepared.geometry.area_ids)
               if prepared.municipality_names[i] == str(munis.loc[municipality_id, "municipality_name"])]
    areas = published.areas.set_index("area_id")
    members = [(a, n) for a, n in members if str(areas.loc[a, "municipality_id"]) == municipality_id]
    members.sort(key=lambda m: m[1])
    indicators = prepared.catalogue.in_theme(theme)
    muni = _level_values(published, "municipality", municipality_id)
    region = _level_values(published, "region", REGION_ID)
    rows = []
    for area_id, _ in members:
        own = _level_values(published, "area", area_id)
        rows.append(tuple(_get(own, (i.id, year), i.decimals, symbol) for i in indicators))
    cfg = published.config
    return MunicipalityProfile(
        municipality_id=municipality_id, name=str(munis.loc[municipality_id, "municipality_name"]),
        region=cfg.region or "Region", theme=theme, themes=tuple(prepared.catalogue.indicator_themes), year=year,
        indicators=tuple((i.id, i.title()) for i in indicators),
        area_ids=tuple(a for a, _ in members), area_names=tuple(n for _, n in members), values=tuple(rows),
        municipality=tuple(_get(muni, (i.id, year), i.decimals, symbol) for i in indicators),
        region_values=tuple(_get(region, (i.id, year), i.decimals, symbol) for i in indicators),
        symbol=symbol, synthetic=bool(cfg.synthetic), attribution=cfg.attribution or "",
    )


def municipality_views(prepared: Prepared, profile: MunicipalityProfile) -> list[MapView]:
    """One map per indicator of the theme, restricted to the municipality (small multiples)."""
    views = [indicator_view(prepared, i, profile.year, (profile.municipality_id,)) for i, _ in profile.indicators]
    return [replace(v, selected=[], subtitle=v.subtitle.replace(" · Kommunenfilter aktiv", "")) for v in views]


def locator_view(prepared: Prepared, area_id: str, municipality_id: str) -> MapView:
    """The small locator map: the area dark, the rest of its municipality light, others blank."""
    from dashboard.mapview import OUTSIDE

    areas = prepared.published.areas.set_index("area_id").reindex(list(prepared.geometry.area_ids))
    muni = areas["municipality_id"].astype(str).to_numpy()
    codes = [0 if a == area_id else (1 if m == municipality_id else 2 + OUTSIDE)
             for a, m in zip(prepared.geometry.area_ids, muni, strict=True)]
    n = len(codes)
    return MapView(
        indicator_id="locator", year=0, codes=codes, colours=["#1f4e79", "#dee2e6", "#f2f2f2", "#a6a6a6", "#ffffff"],
        values=[None] * n, ranks=[None] * n, legend=[], legend_title="", selected=[area_id], hidden_count=0,
        missing_count=0, title="", subtitle="", caption="", short_caption="", unit="", decimals=0, k=2,
    )
