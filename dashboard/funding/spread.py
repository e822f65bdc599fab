"""The spread of funds per municipality and per welfare association, and the what-if.

"Funds" are the amounts of the approved applications of the period: by default those with status
``bewilligt`` (their awarded amount); in the what-if, exactly the ticked ones (an application not
yet awarded counts with its requested amount). An amount aimed at several areas is split equally
over its target areas, and so over their municipalities.

- share of funds: the unit's funds / all funds of the period;
- share of need (municipality): its residents in areas with at least one Gestaltungsbedarf / the
  region's; (association): residents in need in the target areas of its applications of the period /
  the sum over associations (how much of the need its applications address);
- € per resident in need: funds / residents in need (empty when there are none);
- need coverage: the share of the region's residents in need who live in an area that an approved
  application addresses in a field flagged there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.funding.basis import NeedBasis, area_shares
from dashboard.funding.config import FundingConfig

NO_ASSOCIATION = "ohne Verband"


def association_of(value: str) -> str:
    return value if value else NO_ASSOCIATION


def period_applications(applications: pd.DataFrame, year: int, config: FundingConfig) -> pd.DataFrame:
    """Applications whose year lies in the period ending in ``year``."""
    mask = applications["year"].map(lambda y: config.in_period(year, int(y)))
    return applications[mask.astype(bool)]


def default_approved(applications: pd.DataFrame) -> set[str]:
    return set(applications.loc[applications["status"] == "bewilligt", "application_id"])


def funded_amount(row: pd.Series) -> float:
    """What an approved application receives: the awarded amount, else (what-if) the requested one."""
    if row["status"] == "bewilligt" and row["awarded"] > 0:
        return float(row["awarded"])
    return float(row["requested"])


@dataclass(frozen=True)
class Spread:
    """The spread tables, the funds per area (for the map) and the need coverage."""

    municipalities: pd.DataFrame
    associations: pd.DataFrame
    areas: pd.DataFrame  # area_id, awarded (approved funds), requested (all open and approved)
    total: float
    coverage: float  # 0..1 (NaN when the region has no residents in need)
    residents_in_need: float
    approved: frozenset[str]


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else float("nan")


def spread(applications: pd.DataFrame, basis: NeedBasis, year: int, config: FundingConfig,
           approved: Iterable[str] | None = None) -> Spread:
    """The spread of the period ending in ``year``; ``approved``: the ids ticked as approved (what-if)."""
    period = period_applications(applications, year, config)
    chosen = default_approved(period) if approved is None else {str(a) for a in approved}
    chosen &= set(period["application_id"])
    funds_muni = {m: 0.0 for m in basis.municipality_names}
    funds_area = {a: 0.0 for a in basis.area_ids}
    asked_area = {a: 0.0 for a in basis.area_ids}
    funds_assoc: dict[str, float] = {}
    need_areas_assoc: dict[str, set[str]] = {}
    covered: set[str] = set()
    for _, row in period.iterrows():
        assoc = association_of(row["association"])
        funds_assoc.setdefault(assoc, 0.0)
        need_areas_assoc.setdefault(assoc, set()).update(row["areas"])
        n = len(row["areas"])
        if row["status"] != "abgelehnt" and n:
            for area in row["areas"]:
                asked_area[area] += float(row["requested"]) / n
        if row["application_id"] not in chosen or not n:
            continue
        amount = funded_amount(row)
        funds_assoc[assoc] += amount
        for area in row["areas"]:
            funds_area[area] += amount / n
        for muni, share in area_shares(row["areas"], basis.municipality).items():
            funds_muni[muni] += amount * share
        for field in row["fields"]:
            covered |= set(row["areas"]) & basis.flags.get(field, frozenset())
    total = sum(funds_muni.values())
    need = basis.municipality_need()
    need_total = sum(need.values())
    munis = pd.DataFrame({
        "municipality_id": list(basis.municipality_names),
        "name": list(basis.municipality_names.values()),
        "amount": [funds_muni[m] for m in basis.municipality_names],
        "residents_in_need": [need[m] for m in basis.municipality_names],
    })
    munis["share_funds"] = [_share(a, total) for a in munis["amount"]]
    munis["share_need"] = [_share(r, need_total) for r in munis["residents_in_need"]]
    munis["per_resident"] = [a / r if r > 0 else float("nan") for a, r in zip(munis["amount"],
                                                                               munis["residents_in_need"], strict=True)]
    assoc_need = {a: basis.residents_in_need(sorted(areas)) for a, areas in need_areas_assoc.items()}
    assoc_need_total = sum(assoc_need.values())
    names = sorted(funds_assoc, key=lambda a: (a == NO_ASSOCIATION, a.casefold()))
    assocs = pd.DataFrame({
        "association": names,
        "amount": [funds_assoc[a] for a in names],
        "residents_in_need": [assoc_need[a] for a in names],
    })
    assocs["share_funds"] = [_share(a, total) for a in assocs["amount"]]
    assocs["share_need"] = [_share(r, assoc_need_total) for r in assocs["residents_in_need"]]
    assocs["per_resident"] = [a / r if r > 0 else float("nan") for a, r in zip(assocs["amount"],
                                                                                assocs["residents_in_need"], strict=True)]
    areas = pd.DataFrame({"area_id": list(basis.area_ids), "awarded": [funds_area[a] for a in basis.area_ids],
                          "requested": [asked_area[a] for a in basis.area_ids]})
    return Spread(
        municipalities=munis, associations=assocs, areas=areas, total=total,
        coverage=_share(basis.residents_in_need(sorted(covered)), need_total),
        residents_in_need=need_total, approved=frozenset(chosen),
    )


def spread_part(received: float, total: float, share_need: float) -> float:
    """The spread part (0..1): full while the unit's share of funds is at most its share of need,
    then falling as share of need / share of funds (twice its share gives 0,5)."""
    if total <= 0 or received <= 0:
        return 1.0
    share_funds = received / total
    if not share_need > 0:
        return 0.0
    return min(1.0, share_need / share_funds)
