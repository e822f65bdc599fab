"""The typed indicator catalogue: one ``Indicator`` per row of ``indicators.csv``, with one ``kind``.

The kind decides how an indicator is aggregated, protected, drawn and compared; it used to be
re-derived from ``aggregation`` and ``scale`` in four places. Now ``indicator_kind`` is the one
rule, and aggregation, privacy, publication and the views ask the catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

Kind = Literal["share", "rate", "count", "mean", "value", "index"]

#: ``aggregation`` of the composite indices the atlas shows as indicators (``dashboard.indices.atlas``);
#: never valid in a bundle's indicators.csv, so no data indicator can take this kind.
INDEX_AGGREGATION = "index"

#: German names of the kinds (info panel, docs).
KIND_LABELS: Mapping[Kind, str] = {
    "share": "Anteil (Zähler / Nenner)",
    "rate": "Quote oder Dichte (Zähler / Nenner)",
    "count": "Anzahl",
    "mean": "Mittelwert (einwohnergewichtet)",
    "value": "Kennzahl (nicht aggregierbar)",
    "index": "Index (aus mehreren Indikatoren zusammengesetzt)",
}

DIRECTION_TEXTS = {1: "Höhere Werte bedeuten mehr Bedarf.", -1: "Niedrigere Werte bedeuten mehr Bedarf.",
                   0: "Neutraler Indikator (keine Bedarfsrichtung)."}


def _scale(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


def indicator_kind(aggregation: str, scale: float | None, unit: str = "") -> Kind:
    """The one rule: counts-based ratios are shares (per 100, unit %) or rates (any other scale);
    without counts, ``sum`` is a count, ``mean_weighted`` a mean, anything else a plain value.
    A composite index (aggregation ``index``, set only by ``dashboard.indices.atlas``) is an index."""
    if aggregation == INDEX_AGGREGATION:
        return "index"
    if scale is not None and aggregation != "none":
        return "share" if scale == 100 and unit.strip() == "%" else "rate"
    if aggregation == "sum":
        return "count"
    if aggregation == "mean_weighted":
        return "mean"
    return "value"


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


@dataclass(frozen=True)
class Indicator:
    """One indicator's metadata, typed; ``kind`` is derived once from aggregation and scale."""

    id: str
    name: str
    theme: str
    unit: str
    polarity: int
    description: str
    source: str
    numerator_label: str
    denominator_label: str
    decimals: int
    aggregation: str
    scale: float | None
    kind: Kind
    #: German definition parts of a composite index (empty for a data indicator): its inputs with
    #: polarity and weight, the method, the declared classes, and the page with matrix and needs.
    inputs: str = ""
    method: str = ""
    classes: str = ""
    link: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> Indicator:
        scale = _scale(row.get("scale"))
        aggregation = _text(row.get("aggregation")) or "none"
        unit = _text(row.get("unit"))
        return cls(
            id=str(row["indicator_id"]), name=_text(row.get("name")), theme=_text(row.get("theme")), unit=unit,
            polarity=int(row.get("polarity") or 0), description=_text(row.get("description")),
            source=_text(row.get("source")), numerator_label=_text(row.get("numerator_label")),
            denominator_label=_text(row.get("denominator_label")), decimals=int(row.get("decimals") or 0),
            aggregation=aggregation, scale=scale, kind=indicator_kind(aggregation, scale, unit),
            inputs=_text(row.get("index_inputs")), method=_text(row.get("index_method")),
            classes=_text(row.get("index_classes")), link=_text(row.get("index_link")),
        )

    @property
    def is_count(self) -> bool:
        """Absolute numbers: never a choropleth, no difference to the region, no total reference lines."""
        return self.kind == "count"

    @property
    def is_index(self) -> bool:
        """A composite index: declared classes, no municipality or region value."""
        return self.kind == "index"

    @property
    def compares_to_region(self) -> bool:
        """Whether "Differenz zur Region" means something: not for counts (absolute numbers) and not for
        indices (they have no published region value; a z-standardised index is 0 there by construction)."""
        return self.kind not in ("count", "index")

    @property
    def has_counts(self) -> bool:
        """A ratio of numerator and denominator (share or rate)."""
        return self.kind in ("share", "rate")

    @property
    def direction(self) -> str:
        return DIRECTION_TEXTS.get(self.polarity, DIRECTION_TEXTS[0])

    def title(self, year: int | str | None = None) -> str:
        """'SGB-II-Quote (%) 2024' – the title of maps, tables and images."""
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.name}{unit}" + (f" {year}" if year is not None else "")

    def info(self) -> dict[str, str]:
        """German description for the info panel and captions (strings only, JSON-friendly)."""
        return {
            "name": self.name, "unit": self.unit, "description": self.description, "source": self.source,
            "numerator": self.numerator_label, "denominator": self.denominator_label,
            "direction": self.direction, "decimals": str(self.decimals), "polarity": str(self.polarity),
            "kind": KIND_LABELS[self.kind],
            **({"inputs": self.inputs, "method": self.method, "classes": self.classes, "link": self.link}
               if self.is_index else {}),
        }


class Catalogue:
    """The indicators of one bundle in theme order, looked up by id."""

    def __init__(self, indicators: pd.DataFrame, themes: tuple[str, ...]) -> None:
        items = [Indicator.from_row(row) for row in indicators.to_dict("records")]
        by_theme = {t: [i for i in items if i.theme == t] for t in themes}
        self.themes = tuple(t for t in themes if by_theme.get(t))
        self._ordered = tuple(i for t in self.themes for i in by_theme[t])
        self._by_id = {i.id: i for i in self._ordered}

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._ordered)

    def __len__(self) -> int:
        return len(self._ordered)

    def get(self, indicator_id: str) -> Indicator | None:
        return self._by_id.get(indicator_id)

    @property
    def indicator_themes(self) -> tuple[str, ...]:
        """The themes of data indicators (without the atlas' theme of composite indices): profiles list
        these; they show indices in their own block."""
        return tuple(t for t in self.themes if any(not i.is_index for i in self.in_theme(t)))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self._ordered)

    def in_theme(self, theme: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self._ordered if i.theme == theme)

    def default_id(self, configured: str | None = None) -> str:
        """The indicator a fresh page opens with: the bundle's ``default_indicator`` if valid,
        else the first share or rate in theme order (a count is never the first map)."""
        if configured and configured in self._by_id:
            return configured
        for kinds in (("share", "rate"), ("mean", "value"), ("count",)):
            for item in self._ordered:
                if item.kind in kinds:
                    return item.id
        raise ValueError("Katalog ohne Indikatoren")

    def ids_of_kind(self, *kinds: Kind) -> set[str]:
        return {i.id for i in self._ordered if i.kind in kinds}


def kinds_of(indicators: pd.DataFrame) -> dict[str, Kind]:
    """Kind per indicator id straight from the catalogue table (for the data layer, before themes)."""
    return {str(row["indicator_id"]): Indicator.from_row(row).kind for row in indicators.to_dict("records")}
