"""Funding by need: applications checked against the Gestaltungsbedarfe, and the spread of funds.

Plain Python (no Dash). The bundle's ``antraege.csv|xlsx`` is parsed by
``dashboard.bundle.applications`` into ``Published.applications`` (internal working data, never
cells); ``foerderung.toml`` gives the weights and rules (``FundingConfig``). ``assess`` ranks the
applications of a year, ``spread`` gives the spread tables and is the what-if (pass the ticked ids).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.funding.assess import assess, reason_text
from dashboard.funding.basis import NeedBasis, basis_year, need_basis
from dashboard.funding.config import PART_LABELS, PARTS, FundingConfig, Programme
from dashboard.funding.spread import Spread, default_approved, period_applications, spread, spread_part
from dashboard.publish import Published


@dataclass(frozen=True)
class FundingResult:
    """Everything the page, the CLI and the export show for one funding year."""

    year: int
    basis: NeedBasis
    ranked: pd.DataFrame
    spread: Spread
    config: FundingConfig


def evaluate(published: Published, year: int, approved: Iterable[str] | None = None) -> FundingResult:
    """Rank the applications of ``year`` and compute the spread (``approved``: what-if ids)."""
    if published.applications is None:
        raise ValueError("bundle has no applications")
    config = published.funding or FundingConfig()
    basis = need_basis(published, year, config)
    ranked = assess(published.applications, basis, year, config)
    return FundingResult(year, basis, ranked, spread(published.applications, basis, year, config, approved), config)


_CACHE: dict[tuple[int, int], tuple[Published, FundingResult]] = {}


def cached_evaluation(published: Published, year: int) -> FundingResult:
    """``evaluate`` with the decided statuses, computed once per published object and year (the page).

    The published object is kept with its result, so its id cannot be reused while cached.
    """
    key = (id(published), year)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not published:
        hit = (published, evaluate(published, year))
        _CACHE[key] = hit
    return hit[1]


def whatif(published: Published, year: int, approved: Iterable[str]) -> Spread:
    """The spread if exactly ``approved`` were approved (a pure function of its inputs)."""
    result = cached_evaluation(published, year)
    assert published.applications is not None
    return spread(published.applications, result.basis, year, result.config, approved)


def funding_years(published: Published) -> tuple[int, ...]:
    """Years that have applications, ascending (empty without an applications file)."""
    if published.applications is None or published.applications.empty:
        return ()
    return tuple(sorted(int(y) for y in published.applications["year"].unique()))


__all__ = [
    "PARTS", "PART_LABELS", "FundingConfig", "FundingResult", "cached_evaluation", "evaluate", "whatif", "NeedBasis", "Programme", "Spread", "assess", "basis_year",
    "default_approved", "funding_years", "need_basis", "period_applications", "reason_text", "spread",
    "spread_part",
]
