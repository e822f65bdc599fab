"""Data-protection suppression (placeholder until the privacy issue lands: primary rule only)."""

from __future__ import annotations

import pandas as pd

from dashboard.model import PrivacyRules


def suppress(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    municipality_of: pd.Series,
    population: pd.Series,
    rules: PrivacyRules,
) -> pd.DataFrame:
    """Return ``cells`` with ``status`` set to a hidden status where a value must not be shown."""
    return cells
