"""The combined view of two classified indices (Berlin's MSS: status × dynamics)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.indices.spec import IndexSpec


@dataclass(frozen=True)
class ClassMatrix:
    """Per area its cell of the matrix, and how many areas fall into each cell.

    ``cells``: indexed by area_id, columns ``row_no``, ``row_label``, ``column_no``,
    ``column_label`` and ``cell`` (German text such as "Status mittel, Dynamik negativ"); all
    empty where either index has no class. ``counts``: rows = labels of the first index,
    columns = labels of the second, integer counts. ``unclassified``: areas without a cell.
    """

    row_name: str
    column_name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: pd.DataFrame
    counts: pd.DataFrame
    unclassified: int


def class_matrix(
    first: pd.DataFrame, second: pd.DataFrame, first_spec: IndexSpec, second_spec: IndexSpec,
    row_name: str | None = None, column_name: str | None = None,
) -> ClassMatrix:
    """Cross two results of ``compute_index`` (same areas, e.g. status and dynamics of one year).

    ``row_name``/``column_name`` name the two indices in the cell text (default: their names).
    Raises ValueError if an index has no classes (a matrix needs classes on both axes).
    """
    for spec in (first_spec, second_spec):
        if not spec.has_classes:
            raise ValueError(f"index {spec.index_id} has no classes")
    row_name = row_name or first_spec.name
    column_name = column_name or second_spec.name
    joined = first[["class_no", "class_label"]].add_suffix("_r").join(
        second[["class_no", "class_label"]].add_suffix("_c"), how="outer")
    both = joined["class_no_r"].notna() & joined["class_no_c"].notna()
    cell = pd.Series(
        [f"{row_name} {r}, {column_name} {c}" if ok else None
         for r, c, ok in zip(joined["class_label_r"], joined["class_label_c"], both, strict=True)],
        index=joined.index, dtype=object)
    cells = pd.DataFrame({
        "row_no": joined["class_no_r"].where(both).astype("Int64"),
        "row_label": joined["class_label_r"].where(both),
        "column_no": joined["class_no_c"].where(both).astype("Int64"),
        "column_label": joined["class_label_c"].where(both),
        "cell": cell,
    }, index=joined.index)
    counts = pd.crosstab(cells["row_label"], cells["column_label"]).reindex(
        index=list(first_spec.labels), columns=list(second_spec.labels), fill_value=0).astype(int)
    counts.index.name, counts.columns.name = row_name, column_name
    return ClassMatrix(row_name, column_name, first_spec.labels, second_spec.labels, cells, counts,
                       int((~both).sum()))
