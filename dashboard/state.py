"""``ViewState``: the one description of what the user sees; the URL, callbacks and exports speak it.

``from_query`` never raises: an unknown indicator, a year without data, a foreign area id or a
malformed number falls back to the default, so a shared or hand-edited link always opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from urllib.parse import parse_qs, urlencode

from dashboard.classify import DEFAULT_CLASSES, DEFAULT_METHOD, MAX_CLASSES, METHODS, MIN_CLASSES
from dashboard.palettes import DEFAULT_PALETTE, PALETTES

COMPARE_MODES = ("", "indicator", "year", "change")
#: The time series shows at most this many selected areas (more lines are unreadable).
MAX_SERIES_AREAS = 8


@dataclass(frozen=True)
class Choices:
    """What is valid in one bundle, for validating a state (built from ``Published`` in views)."""

    indicators: tuple[str, ...]
    years: tuple[int, ...]
    areas: frozenset[str]
    municipalities: frozenset[str]
    default_indicator: str
    default_year: int
    #: Years with data per indicator (empty mapping: every year counts for every indicator).
    indicator_years: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def years_of(self, indicator_id: str) -> tuple[int, ...]:
        """The years an indicator has data in (all years when unknown)."""
        return tuple(self.indicator_years.get(indicator_id) or self.years)


@dataclass(frozen=True)
class ViewState:
    """Indicator, year, selection, filter, classification and compare mode of the current view."""

    indicator: str
    year: int
    areas: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    method: str = DEFAULT_METHOD
    classes: int = DEFAULT_CLASSES
    palette: str = DEFAULT_PALETTE
    limits: str = ""
    compare: str = ""
    compare_indicator: str = ""
    compare_year: int | None = None

    def to_query(self) -> str:
        """``?indicator=…&year=…`` with defaults left out, so links stay short."""
        params: dict[str, str] = {"indicator": self.indicator, "year": str(self.year)}
        if self.areas:
            params["areas"] = ",".join(self.areas)
        if self.municipalities:
            params["municipality"] = ",".join(self.municipalities)
        if self.method != DEFAULT_METHOD:
            params["method"] = self.method
        if self.classes != DEFAULT_CLASSES:
            params["classes"] = str(self.classes)
        if self.palette != DEFAULT_PALETTE:
            params["palette"] = self.palette
        if self.method == "manual" and self.limits:
            params["limits"] = self.limits
        if self.compare:
            params["compare"] = self.compare
            if self.compare == "indicator" and self.compare_indicator:
                params["compare_indicator"] = self.compare_indicator
            if self.compare in ("year", "change") and self.compare_year is not None:
                params["compare_year"] = str(self.compare_year)
        return "?" + urlencode(params, safe=",;:")  # ":" keeps index ids readable (index:status)

    def to_dict(self) -> dict:
        """JSON-friendly form for a ``dcc.Store``."""
        return {
            "indicator": self.indicator, "year": self.year, "areas": list(self.areas),
            "municipalities": list(self.municipalities), "method": self.method, "classes": self.classes,
            "palette": self.palette, "limits": self.limits, "compare": self.compare,
            "compare_indicator": self.compare_indicator, "compare_year": self.compare_year,
        }

    @classmethod
    def from_dict(cls, data: dict | None, choices: Choices) -> ViewState:
        """Rebuild from a store; validated like a query."""
        data = data if isinstance(data, dict) else {}  # a forged store may hold anything
        query = {k: _as_text(v) for k, v in data.items() if k != "municipalities"}
        query["municipality"] = _as_text(data.get("municipalities"))
        return cls.from_params(query, choices)

    @classmethod
    def from_query(cls, query: str | None, choices: Choices) -> ViewState:
        """Parse ``?indicator=…``; anything unknown or invalid falls back to its default."""
        raw = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
        return cls.from_params({k: v[-1] for k, v in raw.items()}, choices)

    @classmethod
    def from_params(cls, params: dict[str, str], choices: Choices) -> ViewState:
        """Validate plain string parameters against ``choices``."""
        indicator = params.get("indicator", "")
        if indicator not in choices.indicators:
            indicator = choices.default_indicator
        year = _int(params.get("year"))
        own_years = choices.years_of(indicator)
        if year not in own_years:
            year = choices.default_year if choices.default_year in own_years else max(own_years)
        areas = tuple(dict.fromkeys(a for a in _split(params.get("areas")) if a in choices.areas))
        munis = tuple(dict.fromkeys(m for m in _split(params.get("municipality")) if m in choices.municipalities))
        method = params.get("method", DEFAULT_METHOD)
        method = method if method in METHODS else DEFAULT_METHOD
        classes = _int(params.get("classes"))
        classes = classes if classes is not None and MIN_CLASSES <= classes <= MAX_CLASSES else DEFAULT_CLASSES
        palette = params.get("palette", DEFAULT_PALETTE)
        palette = palette if palette in PALETTES else DEFAULT_PALETTE
        limits = (params.get("limits") or "")[:200]
        compare = params.get("compare", "")
        compare = compare if compare in COMPARE_MODES else ""
        compare_indicator = params.get("compare_indicator", "")
        if compare_indicator not in choices.indicators:
            compare_indicator = ""
        compare_year = _int(params.get("compare_year"))
        if compare_year not in own_years:
            compare_year = None
        if compare == "indicator" and not compare_indicator:
            compare_indicator = next((i for i in choices.indicators if i != indicator), indicator)
        if compare in ("year", "change") and compare_year is None:
            compare_year = own_years[0] if own_years[0] != year or len(own_years) == 1 else own_years[-1]
        return cls(indicator, year, areas, munis, method, classes, palette, limits, compare,
                   compare_indicator, compare_year)

    # Selection changes: pure, so the map, the table and tests share them.
    def toggle_area(self, area_id: str) -> ViewState:
        """A click: add the area, or remove it when it is already selected."""
        if area_id in self.areas:
            return replace(self, areas=tuple(a for a in self.areas if a != area_id))
        return replace(self, areas=(*self.areas, area_id))

    def select_areas(self, area_ids: list[str]) -> ViewState:
        """A box or lasso selection replaces the selection."""
        return replace(self, areas=tuple(dict.fromkeys(area_ids)))

    def clear_selection(self) -> ViewState:
        return replace(self, areas=())


def link_problems(query: str | None, choices: Choices) -> list[str]:
    """German notes on what a link asked for but this bundle does not have (an unknown indicator,
    a year without data), so the page says so instead of silently showing something else."""
    raw = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
    params = {k: v[-1] for k, v in raw.items()}
    notes = []
    indicator = params.get("indicator")
    if indicator is not None and indicator not in choices.indicators:
        notes.append(f"Den Indikator „{indicator[:60]}“ aus dem Link gibt es in diesem Datenpaket nicht; "
                     "gezeigt wird der Standardindikator.")
        indicator = None
    year = params.get("year")
    if year is not None:
        own = choices.years_of(indicator or choices.default_indicator)
        if _int(year) not in own:
            notes.append(f"Für das Jahr „{year[:12]}“ aus dem Link liegen keine Daten vor; gezeigt wird {max(own)}.")
    unknown = [a for a in _split(params.get("areas")) if a not in choices.areas]
    if unknown:
        shown = ", ".join(f"„{a[:30]}“" for a in unknown[:3]) + (" …" if len(unknown) > 3 else "")
        noun = "den Sozialraum" if len(unknown) == 1 else f"{len(unknown)} Sozialräume"
        notes.append(f"Im Link stehen {noun} {shown}, die es in diesem Datenpaket nicht gibt.")
    return notes


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)
