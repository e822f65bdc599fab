"""The assessment's settings (``foerderung.toml``): weights and rules are data, not code.

Every field has a default, so a bundle with an applications file but no ``foerderung.toml``
still gets a documented, reproducible ranking. The file format is in docs/data-format.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

PROGRAMMES = ("freiwillige Mittel", "Sozialraumprojekt")
STATUSES = ("beantragt", "bewilligt", "abgelehnt")
#: Score parts, in display order, and their German names.
PARTS = ("fit", "strength", "reach", "spread_municipality", "spread_association")
PART_LABELS = {
    "fit": "Passung",
    "strength": "Bedarfsstärke",
    "reach": "Reichweite",
    "spread_municipality": "Streuung Kommune",
    "spread_association": "Streuung Verband",
}
#: Application columns a programme may declare as required.
REQUIRABLE = ("titel", "antragsteller", "verband", "sozialraeume", "felder")

DEFAULT_WEIGHTS = MappingProxyType({
    "fit": 35.0, "strength": 15.0, "reach": 10.0, "spread_municipality": 25.0, "spread_association": 15.0,
})
DEFAULT_CLASS_POINTS = MappingProxyType({"sehr niedrig": 1.0, "niedrig": 0.7, "mittel": 0.3, "hoch": 0.0})


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Programme:
    """One funding programme: an upper limit per application (None = none) and required columns."""

    name: str
    limit: float | None = None
    required: tuple[str, ...] = ("titel", "antragsteller")


def default_programmes() -> Mapping[str, Programme]:
    return MappingProxyType({
        "freiwillige Mittel": Programme("freiwillige Mittel"),
        "Sozialraumprojekt": Programme("Sozialraumprojekt", 1000.0),
    })


@dataclass(frozen=True)
class FundingConfig:
    """Weights of the score parts (points; they need not sum to 100) and the programme rules.

    - ``strength_index`` / ``class_points``: the index whose class in a target area measures how
      strong the need is (points 0..1 per class label; other classes count 0).
    - ``full_reach``: residents in target areas with need at which the reach part is full.
    - ``one_per_applicant``: a second (not rejected) application of an applicant in the same funding year
      breaks a rule (the first one in file order stays eligible).
    - ``period_years``: the period over which funds already received are counted (ending in the year).
    - ``budget``: funds available per funding year (all programmes, €); only reported (committee
      summary), it never changes a score.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    strength_index: str | None = "sozialindex"
    class_points: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CLASS_POINTS)
    full_reach: float = 5000.0
    programmes: Mapping[str, Programme] = field(default_factory=default_programmes)
    one_per_applicant: bool = True
    period_years: int = 1
    budget: Mapping[int, float] = field(default_factory=_frozen)

    def weight(self, part: str) -> float:
        return float(self.weights.get(part, 0.0))

    @property
    def total_weight(self) -> float:
        return sum(self.weight(p) for p in PARTS)

    def limit(self, programme: str) -> float | None:
        found = self.programmes.get(programme)
        return None if found is None else found.limit

    def in_period(self, year: int, other: int) -> bool:
        """Whether ``other`` lies in the period that ends in ``year``."""
        return year - self.period_years < other <= year
