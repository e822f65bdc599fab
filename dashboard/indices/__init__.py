"""Composite indices, the status × dynamics class matrix and Gestaltungsbedarfe (no Dash).

Declarations come from the bundle (``indices.toml``, ``bedarfe.toml``, parsed by
``dashboard.bundle.indexfile``); every computation reads a ``Published`` object only.
"""

from dashboard.indices.engine import (
    HIDDEN,
    MISSING,
    OK,
    PARTIAL,
    POPULATION,
    PROTECTED_STATUSES,
    below_population_rule,
    class_ranges,
    classify,
    compute_index,
    compute_indices,
    index_series,
    index_spec,
    index_years,
)
from dashboard.indices.matrix import ClassMatrix, class_matrix
from dashboard.indices.needs import evaluate_need, evaluate_needs, need_counts
from dashboard.indices.spec import Condition, Group, IndexSpec, NeedRule

__all__ = [
    "HIDDEN", "MISSING", "OK", "PARTIAL", "POPULATION", "PROTECTED_STATUSES",
    "ClassMatrix", "Condition", "Group", "IndexSpec", "NeedRule",
    "below_population_rule", "class_matrix", "class_ranges", "classify", "compute_index", "compute_indices",
    "evaluate_need", "evaluate_needs", "index_series", "index_spec", "index_years", "need_counts",
]
