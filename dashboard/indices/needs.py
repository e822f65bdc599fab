"""Gestaltungsbedarfe: evaluating the declared rules of ``bedarfe.toml`` on published data.

Each condition is true, false or unknown per area (three-valued logic). Unknown means a value it
needs is hidden or missing; groups follow Kleene's rules (e.g. "A und B" is false as soon as one
of them is false, even if the other is unknown), so a flag is decided from published values
alone and never from a hidden one. Ranks ("worst 20 %") are taken among the published values
with the one ranking rule of the tables (``dashboard.tables.need_ranks``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID
from dashboard.indices.engine import PROTECTED_STATUSES, compute_index, index_spec
from dashboard.indices.spec import Condition, Group, NeedRule, Rule
from dashboard.publish import HIDDEN_STATUSES, Published
from dashboard.tables import need_ranks

#: Flag states per area: "ja" (rule holds), "nein", and unknown – hidden (symbol) or missing (–).
YES, NO, UNKNOWN_HIDDEN, UNKNOWN_MISSING = "yes", "no", "hidden", "missing"


class _Context:
    """Caches index results and area cells of one year while the rules are evaluated."""

    def __init__(self, published: Published, year: int, indices: Mapping[str, pd.DataFrame] | None) -> None:
        self.published, self.year = published, year
        self.area_ids = pd.Index(published.areas["area_id"])
        self.indices = dict(indices or {})
        self._cells: dict[tuple[str, str], pd.DataFrame] = {}
        self.memo: dict[Rule, tuple[np.ndarray, np.ndarray]] = {}
        in_year = published.cells[published.cells["year"] == year]
        self._year_cells = dict(tuple(in_year.groupby(["level", "indicator_id"])))

    def index(self, index_id: str) -> pd.DataFrame:
        if index_id not in self.indices:
            self.indices[index_id] = compute_index(self.published, index_spec(self.published, index_id), self.year)
        return self.indices[index_id].reindex(self.area_ids)

    def cells(self, level: str, indicator_id: str) -> pd.DataFrame:
        """Published cells of one level and indicator in the year, indexed by unit_id."""
        key = (level, indicator_id)
        if key not in self._cells:
            found = self._year_cells.get(key)
            empty = self.published.cells.iloc[:0]
            self._cells[key] = (empty if found is None else found).set_index("unit_id")
        return self._cells[key]


def _values(ctx: _Context, cond: Condition) -> tuple[np.ndarray, np.ndarray, int]:
    """The compared numbers per area, whether a missing one is hidden, and the polarity."""
    if cond.subject == "index":
        result = ctx.index(cond.ref)
        return (result["value"].to_numpy(dtype=float), result["status"].isin(PROTECTED_STATUSES).to_numpy(), 1)
    cells = ctx.cells("area", cond.ref).reindex(ctx.area_ids)
    polarity = int(ctx.published.indicator(cond.ref)["polarity"])
    return (cells["value"].to_numpy(dtype=float), cells["status"].isin(HIDDEN_STATUSES).to_numpy(), polarity)


def _reference(ctx: _Context, cond: Condition) -> tuple[np.ndarray, np.ndarray]:
    """The value each area is compared with, and whether it is hidden."""
    n = len(ctx.area_ids)
    if cond.reference == "number":
        return np.full(n, float(cond.threshold)), np.zeros(n, dtype=bool)  # type: ignore[arg-type]
    level = "region" if cond.reference == "region" else "municipality"
    cells = ctx.cells(level, cond.ref)
    if level == "region":
        unit = pd.Series(REGION_ID, index=ctx.area_ids)
    else:
        unit = pd.Series(ctx.published.areas["municipality_id"].to_numpy(), index=ctx.area_ids)
    ref = cells.reindex(unit.to_numpy())
    return ref["value"].to_numpy(dtype=float), ref["status"].isin(HIDDEN_STATUSES).to_numpy()


def _condition(ctx: _Context, cond: Condition) -> tuple[np.ndarray, np.ndarray]:
    """Truth per area as 1.0 / 0.0 / NaN (unknown), and whether an unknown is due to data protection."""
    values, hidden, polarity = _values(ctx, cond)
    known = np.isfinite(values)
    if cond.comparison == "classes":
        labels = ctx.index(cond.ref)["class_label"].to_numpy(dtype=object)
        truth = np.array([lbl in cond.classes for lbl in labels], dtype=float)
    elif cond.comparison == "worst":
        ranks = need_ranks(values, polarity)
        limit = cond.fraction * int(known.sum())  # type: ignore[operator]
        truth = (ranks <= limit).astype(float)
    else:
        ref, ref_hidden = _reference(ctx, cond)
        known &= np.isfinite(ref)
        hidden = hidden | (ref_hidden & ~np.isfinite(ref))
        with np.errstate(invalid="ignore"):
            truth = (values > ref) if cond.comparison == "above" else (values < ref)
        truth = truth.astype(float)
    truth = np.where(known, truth, np.nan)
    return truth, ~known & hidden


def _evaluate(ctx: _Context, rule: Rule) -> tuple[np.ndarray, np.ndarray]:
    if rule not in ctx.memo:
        ctx.memo[rule] = _condition(ctx, rule) if isinstance(rule, Condition) else _group(ctx, rule)
    return ctx.memo[rule]


def _group(ctx: _Context, rule: Group) -> tuple[np.ndarray, np.ndarray]:
    results = [_evaluate(ctx, item) for item in rule.items]
    truth = np.column_stack([t for t, _ in results])
    protected = np.column_stack([p for _, p in results])
    yes = (truth == 1).sum(axis=1)
    unknown = np.isnan(truth).sum(axis=1)
    k = len(rule.items) if rule.mode == "all" else (1 if rule.mode == "any" else rule.k)
    out = np.where(yes >= k, 1.0, np.where(yes + unknown < k, 0.0, np.nan))
    return out, np.isnan(out) & (protected & np.isnan(truth)).any(axis=1)


def evaluate_need(published: Published, rule: NeedRule, year: int,
                  indices: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One Gestaltungsbedarf for every area in ``year``, indexed by area_id.

    Columns: ``flag`` (boolean with NA = unknown), ``state`` (yes, no, hidden, missing),
    ``fired`` (tuple of the German texts of the top-level conditions that hold) and ``text``
    (the rule text). ``indices``: results of ``compute_index`` for ``year`` to reuse.
    """
    ctx = _Context(published, year, indices)
    return _need_frame(ctx, rule)


def _need_frame(ctx: _Context, rule: NeedRule) -> pd.DataFrame:
    truth, protected = _evaluate(ctx, rule.rule)
    parts = [(_evaluate(ctx, item)[0], item.text) for item in rule.rule.items]
    fired = [tuple(text for t, text in parts if t[i] == 1) for i in range(len(truth))]
    state = np.where(truth == 1, YES, np.where(truth == 0, NO, np.where(protected, UNKNOWN_HIDDEN, UNKNOWN_MISSING)))
    flag = pd.array([True if t == 1 else False if t == 0 else pd.NA for t in truth], dtype="boolean")
    return pd.DataFrame({"flag": flag, "state": state, "fired": fired, "text": rule.text}, index=ctx.area_ids.rename("area_id"))


def evaluate_needs(published: Published, year: int,
                   indices: Mapping[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Every declared Gestaltungsbedarf for ``year``, by need id (declaration order)."""
    ctx = _Context(published, year, indices)
    return {rule.need_id: _need_frame(ctx, rule) for rule in published.needs}


def need_counts(published: Published, needs: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Flagged areas per municipality and field, plus ``any`` (at least one field) and ``areas``.

    One row per municipality (ordered by name) and a last row for the region; index = unit id.
    """
    areas = published.areas.set_index("area_id")
    frame = pd.DataFrame({nid: r["flag"].fillna(False).astype(bool) for nid, r in needs.items()}, index=areas.index)
    frame["any"] = frame.any(axis=1) if len(needs) else False
    frame["areas"] = 1
    frame["municipality_id"] = areas["municipality_id"]
    per_muni = frame.groupby("municipality_id").sum(numeric_only=True).astype(int)
    munis = published.municipalities.set_index("municipality_id")
    per_muni = per_muni.reindex(munis.index)
    per_muni.insert(0, "name", munis["municipality_name"])
    total = per_muni.drop(columns="name").sum()
    region = pd.DataFrame([[published.config.region or "Region", *total.to_list()]],
                          columns=per_muni.columns, index=["__region__"])
    return pd.concat([per_muni, region])
