"""What the assessment reads from the published data of one year: needs, strength, residents.

Only published values are used: a hidden population counts as 0 residents and a hidden index
class as 0 points, so no figure of the funding page can depend on a suppressed value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from dashboard.funding.config import FundingConfig
from dashboard.publish import Published


@dataclass(frozen=True)
class NeedBasis:
    """Per area (in the areas' order): municipality, residents, flagged fields, strength points."""

    year: int
    area_ids: tuple[str, ...]
    area_names: dict[str, str]
    municipality: dict[str, str]  # area_id -> municipality_id
    municipality_names: dict[str, str]
    population: dict[str, float]  # published residents (0 where hidden or missing)
    flags: dict[str, frozenset[str]]  # need_id -> areas flagged "yes"
    unknown: dict[str, frozenset[str]]  # need_id -> areas undecided (hidden or missing data)
    need_names: dict[str, str]
    strength: dict[str, float]  # area_id -> 0..1
    strength_label: dict[str, str]  # area_id -> class label ("" when none)
    strength_index: str | None
    strength_name: str

    def in_need(self, area_id: str) -> bool:
        return any(area_id in flagged for flagged in self.flags.values())

    def residents_in_need(self, area_ids: tuple[str, ...] | list[str] | None = None) -> float:
        chosen = self.area_ids if area_ids is None else area_ids
        return float(sum(self.population.get(a, 0.0) for a in chosen if self.in_need(a)))

    def municipality_need(self) -> dict[str, float]:
        """Residents in areas with at least one Gestaltungsbedarf, per municipality (every municipality)."""
        out = {m: 0.0 for m in self.municipality_names}
        for area in self.area_ids:
            if self.in_need(area):
                out[self.municipality[area]] += self.population.get(area, 0.0)
        return out


def basis_year(published: Published, year: int) -> int:
    """The data year the assessment of ``year`` reads: that year, else the latest earlier, else the first."""
    years = published.years
    if year in years:
        return year
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else min(years)


def need_basis(published: Published, year: int, config: FundingConfig) -> NeedBasis:
    """Gestaltungsbedarfe, strength classes and residents of ``year`` (see ``basis_year``)."""
    from dashboard.indices import compute_indices, evaluate_needs

    data_year = basis_year(published, year)
    areas = published.areas
    area_ids = tuple(str(a) for a in areas["area_id"])
    indices = compute_indices(published, data_year) if published.indices else {}
    needs = evaluate_needs(published, data_year, indices) if published.needs else {}
    flags = {nid: frozenset(r.index[r["state"] == "yes"].astype(str)) for nid, r in needs.items()}
    unknown = {nid: frozenset(r.index[r["state"].isin(["hidden", "missing"])].astype(str)) for nid, r in needs.items()}
    population = {a: 0.0 for a in area_ids}
    pop_id = published.config.privacy.population_indicator
    if pop_id and pop_id in set(published.indicators["indicator_id"]):
        cells = published.level_cells("area", pop_id, data_year)
        for area, value in cells["value"].items():
            if np.isfinite(value):
                population[str(area)] = float(value)
    strength = {a: 0.0 for a in area_ids}
    labels = {a: "" for a in area_ids}
    name = ""
    index_id = config.strength_index if config.strength_index in indices else None
    if index_id is not None:
        name = next(s.name for s in published.indices if s.index_id == index_id)
        result = indices[index_id]
        for area, label in result["class_label"].items():
            if isinstance(label, str) and label:
                labels[str(area)] = label
                strength[str(area)] = float(config.class_points.get(label, 0.0))
    munis = published.municipalities
    return NeedBasis(
        year=data_year,
        area_ids=area_ids,
        area_names=dict(zip(area_ids, (str(n) for n in areas["area_name"]), strict=True)),
        municipality=dict(zip(area_ids, (str(m) for m in areas["municipality_id"]), strict=True)),
        municipality_names=dict(zip(munis["municipality_id"].astype(str), munis["municipality_name"].astype(str),
                                    strict=True)),
        population=population,
        flags=flags,
        unknown=unknown,
        need_names={r.need_id: r.name for r in published.needs},
        strength=strength,
        strength_label=labels,
        strength_index=index_id,
        strength_name=name,
    )


def area_shares(areas: tuple[str, ...], municipality: dict[str, str]) -> dict[str, float]:
    """How an amount aimed at ``areas`` splits over municipalities: equally per target area."""
    if not areas:
        return {}
    counts = Counter(municipality[a] for a in areas)
    return {str(m): n / len(areas) for m, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))}
