"""Data-protection suppression: primary, minimum-population and secondary suppression.

``suppress`` only sets ``status``; ``publish`` then blanks every hidden cell. The secondary search
assumes a strong attacker (see docs/privacy.md): it knows every published cell and aggregate
exactly, the rules, which cell is hidden with which status, which counts several indicators
share and which counts add up. Suppression works on counts (``_LinkedCounts``): the exact tree
search of ``dashboard.privacy_tree`` per count and year, plus a linear check across counts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.catalogue import kinds_of
from dashboard.counts import CountLinks, link_counts, pure_counts, ratio_indicators
from dashboard.linear import components, determined, numerical_rank
from dashboard.model import PrivacyRules
from dashboard.privacy_tree import (  # noqa: F401 (re-exported for tests)
    HIDDEN,
    POPULATION,
    PRIMARY,
    SECONDARY,
    TOTAL,
    Key,
    _diffset,
    _interval,
    _Node,
    _protect,
    _sumset,
    _Tree,
)

# --------------------------------------------------------------------------------------------
# The public step
# --------------------------------------------------------------------------------------------

def _indicator_kinds(indicators: pd.DataFrame, area_values: pd.DataFrame) -> tuple[set[str], set[str], set[str]]:
    """Pure counts (e.g. Einwohner), ratios of summed counts, and population-weighted means."""
    counts = pure_counts(indicators, area_values)
    ratios = ratio_indicators(indicators)
    means = {i for i, kind in kinds_of(indicators).items() if kind == "mean"} - counts
    return counts, ratios, means


def suppress(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    municipality_of: pd.Series,
    population: pd.Series,
    rules: PrivacyRules,
    links: CountLinks | None = None,
) -> pd.DataFrame:
    """Return ``cells`` with ``status`` set to a hidden status where a value must not be shown.

    ``cells`` carries raw values for the levels area, municipality and region. Statuses: area
    cells ``primary`` (small count), ``population`` (area too small for rates, takes precedence so
    the status says nothing about the count), ``secondary`` (hidden to protect another cell);
    aggregates ``total`` whatever the reason, so a hidden total never tells that it is small.
    Counts shared by several indicators (``links``, found from the cells when not given) are
    protected jointly: see ``_LinkedCounts``.
    """
    out = cells.reset_index(drop=True).copy()
    area_values = out[out["level"] == "area"].rename(columns={"unit_id": "area_id"})
    counts, ratios, means = _indicator_kinds(indicators, area_values)
    ind = out["indicator_id"].to_numpy()
    level = out["level"].to_numpy()
    is_area = level == "area"
    is_count = np.isin(ind, list(counts))
    value = out["value"].to_numpy(dtype=float)
    num = out["numerator"].to_numpy(dtype=float)
    den = out["denominator"].to_numpy(dtype=float)
    is_ratio = np.isin(ind, list(ratios))
    protected = np.where(is_ratio & ~np.isnan(num), num, np.where(is_count, value, np.nan))
    mins = {i: rules.min_count_for(i) for i in pd.unique(ind)}
    min_count = np.array([mins[i] for i in ind], dtype=np.int64) if len(ind) else np.zeros(0, dtype=np.int64)
    status = out["status"].to_numpy(dtype=object).copy()
    shown = status == "ok"

    small = shown & (protected > 0) & (protected < min_count)
    status[small & is_area] = PRIMARY
    status[small & ~is_area] = TOTAL

    pop_index = pd.MultiIndex.from_arrays([out["unit_id"], out["year"]])
    pop = population.reindex(pop_index).to_numpy(dtype=float) if len(population) else np.full(len(out), np.nan)
    tiny = is_area & shown & ~is_count & (pop < rules.min_population)  # NaN population: no rule
    status[tiny] = POPULATION

    if not np.isin(status, HIDDEN).any():
        out["status"] = status
        return out
    muni_of = municipality_of.to_dict()
    unit = out["unit_id"].to_numpy()
    year = out["year"].to_numpy()
    cost = np.where(~np.isnan(den), den, np.where(~np.isnan(pop), pop, np.nan_to_num(protected)))

    # Continuous indicators (no counts): one indicator-year at a time, as their values are not shared.
    continuous = set(pd.unique(ind)) - counts - ratios
    hidden = np.isin(status, HIDDEN)
    keys = set(zip(ind[hidden], year[hidden], strict=True))
    for (indicator_id, y), rows in out.groupby(["indicator_id", "year"], sort=False).indices.items():
        if indicator_id not in continuous or (indicator_id, y) not in keys:
            continue
        kind = "mean" if indicator_id in means else "value"
        tree = _build_tree(rows, unit, level, value, num, den, protected, status, cost, pop,
                           muni_of, kind, mins[indicator_id])
        for key, new in _protect(tree).items():
            node = tree.areas.get(key) or tree.munis.get(key) or tree.region
            if node.row is not None:
                status[node.row] = new

    if links is None:
        links = link_counts(indicators, area_values, rules.sums)
    agg = indicators.set_index("indicator_id")["aggregation"].to_dict()
    linked = _LinkedCounts(links, ind, year, level, unit, value, num, den, min_count, cost, muni_of,
                           ratios, {c for c in counts if agg.get(c) == "sum"}, counts)
    linked.protect(status)
    out["status"] = status
    return out


def _hide_status(level: np.ndarray) -> np.ndarray:
    return np.where(level == "area", SECONDARY, TOTAL)


class _LinkedCounts:
    """The counts behind all count indicators, and their joint protection.

    A *count cell* is one number (a count group, year, level, unit and raw value); it is referred
    to by every indicator cell that publishes it as numerator, denominator or count value
    ("refs"). ``p`` refs are those where it is the cell's protected count. A count cell is
    *secret* when a ``p`` ref is hidden, and is then hidden in every ref (``_propagate``).
    Secondary suppression runs on the tree of each count group and year (``_protect`` with the
    domains of all its refs), then a linear check over everything published per year (shared
    counts with different contributing areas, declared sums) adds cells where a secret count is
    still determined. Both steps repeat until nothing changes.
    """

    def __init__(self, links: CountLinks, ind: np.ndarray, year: np.ndarray, level: np.ndarray,
                 unit: np.ndarray, value: np.ndarray, num: np.ndarray, den: np.ndarray,
                 min_count: np.ndarray, cost: np.ndarray, muni_of: dict, ratios: set[str],
                 summed_counts: set[str], counts: set[str]) -> None:
        group_names = sorted(set(links.group_of.values()))
        self.group_index = {g: i for i, g in enumerate(group_names)}
        ind = np.asarray(ind, dtype=object)
        unit = np.asarray(unit, dtype=object)
        level = np.asarray(level, dtype=object)
        ind_codes, ind_names = pd.factorize(ind)
        is_agg = level != "area"
        both = ~np.isnan(num) & ~np.isnan(den)
        parts = []
        for r_code, (role, vals, p) in enumerate((("numerator", num, True), ("denominator", den, False),
                                                  ("value", value, True))):
            series_ind = ratios if role != "value" else counts
            gid = np.array([self.group_index[links.group_of[(str(i), role)]]
                            if (str(i), role) in links.group_of and i in series_ind else -1
                            for i in ind_names], dtype=np.int64)
            g = gid[ind_codes] if len(ind) else np.zeros(0, dtype=np.int64)
            ok = (g >= 0) & ~np.isnan(vals)
            if role == "value":  # aggregates of a count are sums only with aggregation "sum"
                ok &= ~is_agg | np.isin(ind, list(summed_counts))
            rows = np.flatnonzero(ok)
            contrib = both[rows] if role != "value" else np.ones(len(rows), dtype=bool)
            parts.append((rows, g[rows], np.full(len(rows), p), contrib, vals[rows],
                          ind_codes[rows] * 3 + r_code))
        rows = np.concatenate([x[0] for x in parts])
        self.row = rows
        g = np.concatenate([x[1] for x in parts])
        self.is_p = np.concatenate([x[2] for x in parts]).astype(bool)
        self.contrib = np.concatenate([x[3] for x in parts]).astype(bool)
        val = np.concatenate([x[4] for x in parts])
        series = np.concatenate([x[5] for x in parts])
        lv = level[rows]
        un = unit[rows]
        yr = np.asarray(year)[rows]
        muni = np.array([muni_of.get(u) for u in un], dtype=object)
        muni = np.where(lv == "area", muni, np.where(lv == "municipality", un, None))
        # Areas: one number per count (the value separates numbers a wrong declared key would
        # merge). Totals: the same number only when they add up the same areas; two totals
        # that happen to be equal are still two unknowns to an attacker once both are hidden.
        frame = pd.DataFrame({"g": g, "year": yr, "level": lv, "unit": un, "val": val, "series": series,
                              "muni": muni, "contrib": self.contrib})
        sig = val.astype(float).copy()
        unit_code = pd.factorize(un)[0].astype(np.uint64)
        weight = (unit_code + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)  # set fingerprint: sum of
        weight ^= weight >> np.uint64(29)  # pseudo-random 64-bit words per area (wraps mod 2**64)
        in_area = (lv == "area") & self.contrib
        for keys, at_level in ((("series", "year", "muni"), "municipality"), (("series", "year"), "region")):
            key = frame.groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
            acc = np.zeros(key.max() + 1 if len(key) else 0, dtype=np.uint64)
            np.add.at(acc, key[in_area], weight[in_area])
            agg = lv == at_level
            sig[agg] = (acc[key[agg]] >> np.uint64(11)).astype(float)  # 53 bits fit a float exactly
        frame["sig"] = sig
        self.cc = frame.groupby(["g", "year", "level", "unit", "sig", "val"], sort=True).ngroup().to_numpy()
        self.series = series
        self.ref_year, self.ref_muni, self.ref_level, self.ref_unit, self.ref_g = yr, muni, lv, un, g
        self.level = level
        self.min_count = min_count
        self.cost = cost
        order = np.argsort(self.cc, kind="stable")
        first = order[np.r_[True, self.cc[order][1:] != self.cc[order][:-1]]] if len(order) else order
        self.cc_g = g[first]
        self.cc_year = yr[first]
        self.cc_level = lv[first]
        self.cc_unit = un[first]
        self.cc_muni = muni[first]
        self.cc_val = val[first].astype(float)
        self.n_cc = len(first)
        bounds = np.flatnonzero(np.r_[True, self.cc[order][1:] != self.cc[order][:-1], True])
        self.refs_of = {int(self.cc[order[bounds[i]]]): order[bounds[i]:bounds[i + 1]]
                        for i in range(len(bounds) - 1)}
        self.sums = [(self.group_index[t], [self.group_index[p] for p in parts]) for t, parts in links.sums]
        self.known: set[int] = set()  # hidden, but determined whatever else is hidden
        self.cc_msec = np.zeros(self.n_cc, dtype=np.int64)
        np.maximum.at(self.cc_msec, self.cc[self.is_p], min_count[self.row[self.is_p]])
        contrib_cc = np.zeros(self.n_cc, dtype=bool)
        contrib_cc[self.cc[self.contrib]] = True
        self.gy_cells: dict[tuple[int, int], tuple[list[int], dict]] = {}
        for c, (gg, y, lvl, u, v) in enumerate(zip(self.cc_g.tolist(), self.cc_year.tolist(), self.cc_level,
                                                   self.cc_unit, self.cc_val.tolist(), strict=True)):
            area_cells, agg_cells = self.gy_cells.setdefault((gg, y), ([], {}))
            if lvl == "area":
                if contrib_cc[c]:
                    area_cells.append(c)
            else:
                agg_cells.setdefault((lvl, u if lvl == "municipality" else None, v), c)

    # ---- statuses of count cells --------------------------------------------------------------
    def _hidden_refs(self, status: np.ndarray) -> np.ndarray:
        return np.isin(status[self.row], HIDDEN)

    def _propagate(self, status: np.ndarray) -> None:
        """Hide a secret count in every cell that publishes it, until nothing changes."""
        while True:
            hidden = self._hidden_refs(status)
            secret = np.unique(self.cc[hidden & self.is_p])
            fix = np.isin(self.cc, secret) & (status[self.row] == "ok")
            if not fix.any():
                return
            rows = np.unique(self.row[fix])
            status[rows] = _hide_status(self.level[rows])

    def _cell_state(self, status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per count cell: published anywhere, and secret (hidden as somebody's protected count)."""
        ok = status[self.row] == "ok"
        published = np.zeros(self.n_cc, dtype=bool)
        published[self.cc[ok]] = True
        published[list(self.known)] = True
        secret = np.zeros(self.n_cc, dtype=bool)
        secret[self.cc[~ok & self.is_p]] = True
        return published, secret & ~published

    def _hide_cells(self, status: np.ndarray, cells: list[int]) -> None:
        pos = np.concatenate([self.refs_of[c] for c in cells]) if cells else np.zeros(0, dtype=int)
        rows = np.unique(self.row[pos])
        rows = rows[status[rows] == "ok"]
        status[rows] = _hide_status(self.level[rows])

    def _cell_cost(self, c: int, status: np.ndarray) -> float:
        """Cheapest first: fewest cells hidden, then the smallest denominators (or populations)."""
        rows = np.unique(self.row[self.refs_of[c]])
        rows = rows[status[rows] == "ok"]
        return float(len(rows)) * 1e12 + float(np.nansum(self.cost[rows]))

    # ---- the loop -------------------------------------------------------------------------------
    def protect(self, status: np.ndarray) -> None:
        if not self.n_cc:
            return
        done: dict[tuple[int, int], frozenset[int]] = {}
        for _ in range(10_000):  # monotone (each round hides cells or learns known ones), so it ends
            self._propagate(status)
            changed = self._protect_trees(status, done)
            if changed:
                continue
            if not self._linear(status):
                return
        raise RuntimeError("Datenschutz: Sperrung kommt zu keinem Ende")

    def _protect_trees(self, status: np.ndarray, done: dict) -> bool:
        published, secret = self._cell_state(status)
        ok = status[self.row] == "ok"
        n_ok = np.bincount(self.cc[ok], minlength=self.n_cc)
        cost = np.bincount(self.cc[ok], weights=np.nan_to_num(self.cost[self.row[ok]]), minlength=self.n_cc)
        self._costs = n_ok * 1e12 + cost
        hidden_cc = np.flatnonzero(~published)
        by_group_year: dict[tuple[int, int], list[int]] = {}
        for g, y, c in zip(self.cc_g[hidden_cc], self.cc_year[hidden_cc], hidden_cc, strict=True):
            by_group_year.setdefault((int(g), int(y)), []).append(int(c))
        changed = False
        for gy, cells in by_group_year.items():
            sig = frozenset(cells)
            if done.get(gy) == sig or not secret[cells].any():
                continue
            done[gy] = sig
            tree = self._tree(gy, status, published, secret, light=True)
            if tree is None:
                continue
            result = _protect(tree)
            has_open = any(m.children and not tree.published(m, {}) for m in tree.munis.values())
            if has_open or TOTAL in result.values():  # the region search needs every area
                tree = self._tree(gy, status, published, secret)
                result = _protect(tree) if tree is not None else {}
            new = [node.row for key, node in (
                (k, tree.areas.get(k) or tree.munis.get(k) or tree.region) for k in result)
                if node.row is not None]
            if new:
                self._hide_cells(status, new)
                changed = True
        return changed

    def _tree(self, gy: tuple[int, int], status: np.ndarray, published: np.ndarray,
              secret: np.ndarray, light: bool = False) -> _Tree | None:
        """The attacker's view of one count group and year (areas -> municipalities -> region).

        ``light``: a municipality whose areas and total are all published gets one published
        stand-in child instead of its areas (same sums, far fewer nodes). Only the region search
        hides such municipalities' cells, so ``_protect_trees`` falls back to the full tree then.
        """
        area_cells, agg_cells = self.gy_cells[gy]
        by_muni: dict[str, list[int]] = {}
        seen: set[str] = set()
        for c in area_cells:
            if self.cc_unit[c] in seen or self.cc_muni[c] is None:
                continue  # a second number for one area (a declared key, other values): linear check
            seen.add(self.cc_unit[c])
            by_muni.setdefault(self.cc_muni[c], []).append(c)
        if not by_muni:
            return None
        areas: dict[Key, _Node] = {}
        munis: dict[Key, _Node] = {}
        mins: list[int] = [2]
        total = 0.0
        for muni, cells in by_muni.items():
            mkey = ("m", muni)
            s = float(self.cc_val[cells].sum())
            total += s
            match = agg_cells.get(("municipality", muni, s))
            if match is not None:
                mnode = self._node(mkey, match, status, published, secret, area=False)
            else:
                mnode = _Node(mkey, None, np.nan, "missing", np.inf)
            munis[mkey] = mnode
            if light and match is not None and published[match] and published[cells].all():
                stand_in = _Node(("s", muni), None, s, "ok", np.inf, secret=False)
                areas[stand_in.key] = stand_in
                mnode.children.append(stand_in.key)
                continue
            for c in cells:
                node = self._node(("a", int(c)), int(c), status, published, secret)
                areas[node.key] = node
                mins += [m for _, m in node.cons] + [node.m_sec]
                mnode.children.append(node.key)
        region = _Node(("r",), None, np.nan, "missing")
        match = agg_cells.get(("region", None, total))
        if match is not None:
            region = self._node(("r",), match, status, published, secret, area=False)
        vals = np.array([a.value for a in areas.values()])
        integer = bool(np.all(vals == np.round(vals)))
        if not integer:
            for n in [*areas.values(), *munis.values(), region]:
                n.value = 0.0 if not np.isnan(n.value) else n.value
        return _Tree(integer=integer, min_count=max(mins), areas=areas, munis=munis, region=region)

    def _node(self, key: Key, c: int, status: np.ndarray, published: np.ndarray, secret: np.ndarray,
              area: bool = True) -> _Node:
        cons: tuple[tuple[str, int], ...] = ()
        if not published[c]:
            pos = self.refs_of[c]
            rows = self.row[pos][self.is_p[pos]]
            cons = tuple(sorted({(str(s), int(m)) for s, m in zip(status[rows], self.min_count[rows], strict=True)
                                 if s in (PRIMARY, SECONDARY)}))
        shown = "ok" if published[c] else ("hidden" if area else TOTAL)
        return _Node(key, c, float(self.cc_val[c]), shown, float(self._costs[c]),
                     secret=bool(secret[c]), cons=cons, m_sec=int(self.cc_msec[c]))

    # ---- linear check across groups -----------------------------------------------------------
    def _equations(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Every published sum relation between count cells: (cells, coefficients), Σ = 0."""
        eqs: set[frozenset] = set()
        by_muni: dict[tuple, set[int]] = {}
        by_region: dict[tuple, set[int]] = {}
        series, yr, muni, cc = self.series.tolist(), self.ref_year.tolist(), self.ref_muni, self.cc.tolist()
        # A count published by one series only and in no declared sum is one tree, which the exact
        # tree search has already settled; only shared and summed counts need the linear check.
        in_sums = {g for t, parts in self.sums for g in (t, *parts)}
        n_series = pd.Series(self.series).groupby(self.ref_g).nunique()
        shared = np.isin(self.ref_g, [g for g, n in n_series.items() if n > 1 or g in in_sums])
        for i in np.flatnonzero((self.ref_level == "area") & self.contrib & shared).tolist():
            by_muni.setdefault((series[i], yr[i], muni[i]), set()).add(cc[i])
            by_region.setdefault((series[i], yr[i]), set()).add(cc[i])
        frozen = {k: frozenset(v) for k, v in by_muni.items()}
        frozen.update({k: frozenset(v) for k, v in by_region.items()})
        pairs = set()
        for i in np.flatnonzero((self.ref_level != "area") & shared).tolist():
            key = (series[i], yr[i]) if self.ref_level[i] == "region" else (series[i], yr[i], muni[i])
            if key in frozen:
                pairs.add((cc[i], frozen[key]))
        out: list[tuple[np.ndarray, np.ndarray]] = [
            (np.array([agg, *members], dtype=np.int64), np.r_[-1.0, np.ones(len(members))])
            for agg, members in sorted(pairs, key=lambda p: (p[0], sorted(p[1])))]
        if self.sums:
            lookup: dict[tuple, tuple[int, float]] = {}
            for c, key in enumerate(zip(self.cc_g.tolist(), self.cc_year.tolist(), self.cc_level, self.cc_unit,
                                        strict=True)):
                lookup.setdefault(key, (c, float(self.cc_val[c])))
            sites = {(y, lv, u) for _, y, lv, u in lookup}
            for total, parts in self.sums:
                for y, lv, u in sites:
                    t = lookup.get((total, y, lv, u))
                    ps = [lookup.get((p, y, lv, u)) for p in parts]
                    if t is None or any(p is None for p in ps):
                        continue
                    if abs(t[1] - sum(p[1] for p in ps if p is not None)) > 1e-6:
                        continue  # the relation does not hold here, so it tells nothing
                    terms: dict[int, float] = {t[0]: -1.0}
                    for p in ps:
                        if p is not None:
                            terms[p[0]] = terms.get(p[0], 0.0) + 1.0
                    eqs.add(frozenset(terms.items()))
        for e in sorted(eqs, key=lambda e: sorted(e)):
            terms_sorted = sorted(e)
            out.append((np.array([c for c, _ in terms_sorted], dtype=np.int64),
                        np.array([v for _, v in terms_sorted], dtype=float)))
        return out

    def _linear(self, status: np.ndarray) -> bool:
        """Hide more cells where a secret count is still determined by the linear equations."""
        if not hasattr(self, "_eqs"):
            arrays = self._equations()
            self._eqs = [dict(zip(c.tolist(), v.tolist(), strict=True)) for c, v in arrays]
            lengths = np.array([len(c) for c, _ in arrays], dtype=np.int64)
            self._eq_cells = np.concatenate([c for c, _ in arrays]) if arrays else np.zeros(0, dtype=np.int64)
            self._eq_coef = np.concatenate([v for _, v in arrays]) if arrays else np.zeros(0, dtype=float)
            self._eq_owner = np.repeat(np.arange(len(arrays)), lengths)
            self._eq_start = np.r_[0, np.cumsum(lengths)[:-1]] if arrays else np.zeros(0, dtype=np.int64)
            self._eq_of: dict[int, list[int]] = {}
            order = np.argsort(self._eq_cells, kind="stable")
            cells_sorted, owners_sorted = self._eq_cells[order], self._eq_owner[order]
            cuts = np.flatnonzero(np.r_[True, cells_sorted[1:] != cells_sorted[:-1]]) if len(order) else []
            bounds = list(cuts) + [len(order)]
            for k in range(len(bounds) - 1):
                self._eq_of[int(cells_sorted[bounds[k]])] = owners_sorted[bounds[k]:bounds[k + 1]].tolist()
        published, secret = self._cell_state(status)
        exposable = secret.copy()
        for c in np.flatnonzero(secret):
            if self._intrinsic_point(int(c), status):
                exposable[c] = False
        if len(self._eq_cells):
            with_unknown = np.add.reduceat((~published[self._eq_cells]).astype(np.int64), self._eq_start) > 0
        else:
            with_unknown = np.zeros(0, dtype=bool)
        unknown_eqs = [{c: v for c, v in self._eqs[i].items() if not published[c]}
                       for i in np.flatnonzero(with_unknown).tolist()]
        changed = False
        for unknowns, eqs in components(unknown_eqs):
            if not exposable[unknowns].any():
                continue
            pinned = [u for u in determined(unknowns, eqs) if exposable[u]]
            if not pinned:
                continue
            fix = self._fix(set(unknowns), pinned, published, exposable, status)
            if fix:
                self._hide_cells(status, fix)
            changed = True
        return changed

    def _intrinsic_point(self, c: int, status: np.ndarray) -> bool:
        pos = self.refs_of[c]
        rows = self.row[pos][self.is_p[pos]]
        prim = [int(m) for s, m in zip(status[rows], self.min_count[rows], strict=True) if s == PRIMARY]
        return bool(prim) and min(prim) <= 2

    def _fix(self, unknowns: set[int], pinned: list[int], published: np.ndarray, exposable: np.ndarray,
             status: np.ndarray) -> list[int]:
        """Greedy: hide published count cells next to the component until nothing is pinned.

        The candidates are the published cells in the equations of the unknowns, and grow with
        every cell taken (a hidden total can still follow from the region total, so the next
        total is a candidate too). Cells still pinned when no candidate is left are pinned by the
        shape of the data alone: they become *known*, so the trees protect the rest with that.
        """
        def near(cells: set[int]) -> set[int]:
            return {c for u in cells for i in self._eq_of.get(u, ()) for c in self._eqs[i] if published[c]}

        def pinned_with(extra: set[int]) -> set[int]:
            touched = {i for c in unknowns | extra for i in self._eq_of.get(c, ())}
            eqs = [{c: v for c, v in self._eqs[i].items() if not published[c] or c in extra}
                   for i in sorted(touched)]
            found: set[int] = set()
            for us, es in components(eqs):
                if exposable[us].any() or extra & set(us):
                    found |= {u for u in determined(us, es) if exposable[u] or (u in extra and self._has_p(u))}
            return found

        pool = near(unknowns)
        taken: set[int] = set()
        costs: dict[int, float] = {}  # status does not change inside one fix
        n_unknown = np.add.reduceat((~published[self._eq_cells]).astype(np.int64), self._eq_start)

        def order(c: int) -> tuple[float, int]:
            if c not in costs:
                costs[c] = self._cell_cost(c, status)
            return costs[c], c

        found = pinned_with(taken)
        exposed = len(found)
        while exposed:
            candidates = sorted(pool - taken, key=order)
            if not candidates:
                stuck = found & set(pinned)
                self.known.update(int(u) for u in stuck)
                exposable[list(stuck)] = False
                break
            pick = self._first_relief(candidates, unknowns | taken, found, published, n_unknown,
                                      lambda c, t=frozenset(taken), e=exposed: len(pinned_with(t | {c})) < e)
            pick = candidates[0] if pick is None else pick  # none frees a cell alone: the cheapest
            taken.add(pick)
            pool |= near({pick})
            found = pinned_with(taken)
            exposed = len(found)
        if exposed:
            return sorted(taken)  # the outer loop goes on from here
        for c in sorted(taken, key=lambda c: -self._cell_cost(c, status)):
            if not pinned_with(taken - {c}):
                taken.discard(c)
        return sorted(taken)

    def _first_relief(self, candidates: list[int], hidden: set[int], found: set[int], published: np.ndarray,
                      n_unknown: np.ndarray, exact: Callable[[int], bool]) -> int | None:
        """The first candidate whose hiding leaves fewer cells pinned than ``found``, or None.

        Equivalent to trying ``exact`` on each candidate in turn, but decided for all candidates
        at once by linear algebra on the attacker's view (the equations of ``hidden``). Hiding a
        published cell c adds its column a_c. If a_c is not in the column space of the view's
        matrix A, c itself is pinned and nothing is freed. If it is, A y = a_c has a solution, and
        a pinned cell u is freed exactly when y_u != 0 (y_u is unique for pinned u). Equations of
        c outside the view are new rows: one with no other unknown pins c (no relief); one with
        other unknowns is left to ``exact``. ``n_unknown``: unpublished cells per equation.
        """
        rows = sorted({i for c in hidden for i in self._eq_of.get(c, ())})
        row_pos = {r: k for k, r in enumerate(rows)}
        seg = np.concatenate([np.arange(self._eq_start[r], self._eq_start[r] + len(self._eqs[r])) for r in rows])
        seg_cells, seg_rows = self._eq_cells[seg], np.array([row_pos[r] for r in self._eq_owner[seg].tolist()])
        in_view = ~published[seg_cells] | np.isin(seg_cells, list(hidden))
        cols, col_of = np.unique(seg_cells[in_view], return_inverse=True)
        a = np.zeros((len(rows), len(cols)))
        np.add.at(a, (seg_rows[in_view], col_of), self._eq_coef[seg][in_view])
        cand_of = np.full(self.n_cc, -1, dtype=np.int64)
        cand_of[candidates] = np.arange(len(candidates))
        k = cand_of[seg_cells]
        m = np.zeros((len(rows), len(candidates)))
        np.add.at(m, (seg_rows[k >= 0], k[k >= 0]), self._eq_coef[seg][k >= 0])
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        rank = numerical_rank(s)
        proj = u[:, :rank].T @ m
        in_span = np.abs(m - u[:, :rank] @ proj).max(axis=0, initial=0.0) < 1e-8
        y = vt[:rank].T @ (proj / s[:rank, None])
        freed = np.abs(y[np.searchsorted(cols, sorted(found))]).max(axis=0, initial=0.0) > 1e-8
        view_rows = set(rows)
        for j, c in enumerate(candidates):
            outside = [i for i in self._eq_of.get(c, ()) if i not in view_rows]
            if any(n_unknown[i] == 0 for i in outside):
                continue  # c alone in an equation: pinned itself, frees nothing
            if outside:
                if exact(c):
                    return c
            elif in_span[j] and freed[j]:
                return c
        return None

    def _has_p(self, c: int) -> bool:
        return bool(self.is_p[self.refs_of[c]].any())


def _build_tree(
    rows: np.ndarray, unit: np.ndarray, level: np.ndarray, value: np.ndarray, num: np.ndarray,
    den: np.ndarray, protected: np.ndarray, status: np.ndarray, cost: np.ndarray, pop: np.ndarray,
    muni_of: dict, kind: str, min_count: int,
) -> _Tree:
    """The attacker's view of one indicator-year; mirrors which areas ``aggregate`` sums.

    ``kind``: "ratio" (sums of numerators), "count" (sums of values), "mean" (population-weighted
    means) or "value" (other sums). Only the first two are integer problems; for the others the
    unknowns are continuous and only the structure of the equations matters.
    """
    present = ~np.isnan(value)
    if kind == "ratio":
        contributes = ~np.isnan(num) & ~np.isnan(den)
    elif kind == "count":
        contributes = present
    elif kind == "mean":
        contributes = present & (pop > 0)
    else:
        contributes = present
    number = protected
    integer = kind in ("ratio", "count")
    area_rows = [int(r) for r in rows if level[r] == "area" and contributes[r]]
    if integer:
        vals = number[area_rows]
        integer = bool(np.all(vals == np.round(vals)))
    if not integer:  # continuous: a placeholder marks "a value exists"
        number = np.where(present, 0.0, np.nan)
    areas = {("a", r): _Node(("a", r), r, float(number[r]), str(status[r]), float(cost[r]))
             for r in area_rows}
    munis: dict[Key, _Node] = {}
    region = _Node(("r",), None, np.nan, "missing")
    for r in rows:
        r = int(r)
        if level[r] == "municipality":
            munis[("m", unit[r])] = _Node(("m", unit[r]), r, float(number[r]), str(status[r]),
                                          float(cost[r]))
        elif level[r] == "region":
            region = _Node(("r",), r, float(number[r]), str(status[r]), float(cost[r]))
    for key, node in areas.items():
        mkey = ("m", muni_of.get(unit[node.row]))
        if mkey not in munis:
            munis[mkey] = _Node(mkey, None, np.nan, "missing", np.inf)
        munis[mkey].children.append(key)
    return _Tree(integer=integer, min_count=min_count, areas=areas, munis=munis, region=region)
