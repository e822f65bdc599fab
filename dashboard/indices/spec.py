"""Parsed, validated declarations of ``indices.toml`` and ``bedarfe.toml`` (plain data, no logic).

The bundle loader (``dashboard.bundle.indexfile``) builds these; the engine
(``dashboard.indices.engine``) and the rule evaluation (``dashboard.indices.needs``) read them.
Nothing here imports the loader, so the model can carry them without import cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Method = Literal["zsum", "ranksum", "minmax"]
METHODS: tuple[Method, ...] = ("zsum", "ranksum", "minmax")
Boundary = Literal["lower", "upper", "inner"]
BOUNDARIES: tuple[Boundary, ...] = ("lower", "upper", "inner")
Weighting = Literal["none", "population"]
SdKind = Literal["sample", "population"]

METHOD_NAMES = {
    "zsum": "z-standardisierte gewichtete Summe, erneut z-standardisiert",
    "ranksum": "gewichtetes Mittel der Rangplätze (0 = günstigster, 100 = ungünstigster Sozialraum)",
    "minmax": "gewichtetes Mittel der Min-Max-skalierten Werte (0 = günstigster, 100 = ungünstigster Wert)",
}


@dataclass(frozen=True)
class IndexSpec:
    """One ``[[index]]`` entry. ``signs`` are +1/−1 per indicator (from polarity unless overridden).

    ``thresholds`` has one entry fewer than ``labels`` (both empty: no classes). ``boundary`` says
    where a value equal to a threshold goes: the class below, above, or the one nearer zero
    ("inner", Berlin's MSS: −1 and 1 are "mittel", 1,5 is "niedrig").
    """

    index_id: str
    name: str
    indicators: tuple[str, ...]
    weights: tuple[float, ...]
    signs: tuple[int, ...]
    method: Method = "zsum"
    thresholds: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    boundary: Boundary = "inner"
    change: int | None = None
    weighting: Weighting = "none"
    min_indicators: int = 0  # 0 is replaced by len(indicators) when parsed
    sd: SdKind = "sample"
    description: str = ""
    theme: str = ""

    @property
    def has_classes(self) -> bool:
        return bool(self.labels)


# --------------------------------------------------------------------------- Gestaltungsbedarfe

Subject = Literal["index", "indicator"]
Comparison = Literal["classes", "above", "below", "worst"]
Reference = Literal["number", "region", "municipality"]
GroupMode = Literal["all", "any", "at_least"]


@dataclass(frozen=True)
class Condition:
    """One test on one area: an index's class, or a value above/below a number or a reference,
    or among the worst ``fraction`` of areas. ``text`` is the German wording shown with a flag."""

    subject: Subject
    ref: str
    comparison: Comparison
    text: str
    classes: tuple[str, ...] = ()
    threshold: float | None = None
    reference: Reference = "number"
    fraction: float | None = None


@dataclass(frozen=True)
class Group:
    """All, any, or at least ``k`` of the items hold."""

    mode: GroupMode
    items: tuple[Condition | Group, ...]
    k: int
    text: str


Rule = Condition | Group


@dataclass(frozen=True)
class NeedRule:
    """One ``[[bedarf]]``: a field of action flagged for an area when ``rule`` holds."""

    need_id: str
    name: str
    rule: Group
    text: str  # the German rule text shown wherever the flag is shown
