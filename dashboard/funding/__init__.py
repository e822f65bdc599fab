"""Funding by need: applications checked against the Gestaltungsbedarfe, and the spread of funds.

Plain Python (no Dash). The bundle's ``antraege.csv|xlsx`` is parsed by
``dashboard.bundle.applications`` into ``Published.applications`` (internal working data, never
cells); ``foerderung.toml`` gives the weights and rules (``FundingConfig``). ``assess`` ranks the
applications of a year, ``spread`` gives the spread tables and is the what-if (pass the ticked ids).
"""

from __future__ import annotations

from dashboard.funding.assess import assess, reason_text
from dashboard.funding.basis import NeedBasis, basis_year, need_basis
from dashboard.funding.config import PART_LABELS, PARTS, FundingConfig, Programme
from dashboard.funding.spread import Spread, default_approved, period_applications, spread, spread_part
from dashboard.publish import Published


def funding_years(published: Published) -> tuple[int, ...]:
    """Years that have applications, ascending (empty without an applications file)."""
    if published.applications is None or published.applications.empty:
        return ()
    return tuple(sorted(int(y) for y in published.applications["year"].unique()))


__all__ = [
    "PARTS", "PART_LABELS", "FundingConfig", "NeedBasis", "Programme", "Spread", "assess", "basis_year",
    "default_approved", "funding_years", "need_basis", "period_applications", "reason_text", "spread",
    "spread_part",
]
