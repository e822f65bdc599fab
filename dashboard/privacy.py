"""Data-protection suppression: primary, minimum-population and secondary suppression.

``suppress`` only sets ``status``; ``publish`` then blanks every hidden cell. The secondary search
assumes a strong attacker (see docs/privacy.md): it knows every published cell and aggregate
exactly, the rules, and which cell is hidden with which status. A hidden count is *exposed* when
exactly one value is consistent with all of that; feasibility is decided exactly with set-valued
dynamic programming over the possible sums, not with interval arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.catalogue import kinds_of
from dashboard.model import PrivacyRules

PRIMARY = "primary"
SECONDARY = "secondary"
POPULATION = "population"
TOTAL = "total"
HIDDEN = (PRIMARY, SECONDARY, POPULATION, TOTAL)

Key = Hashable  # ("a", row) for an area cell, ("m", municipality_id), ("r",) for the region
Move = dict  # cells to hide together: key -> status


# --------------------------------------------------------------------------------------------
# Integer sets as boolean arrays over 0..n, and the two operations the tree DP needs.
# --------------------------------------------------------------------------------------------

def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs [lo, hi] of True; sets here are unions of a few intervals, so this is short."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(edges[i]), int(edges[i + 1] - 1)) for i in range(0, len(edges), 2)]


def _window_any(csum: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """For each position: is any a[start..stop] (inclusive, clipped) True? ``csum`` is a's prefix sum."""
    size = len(csum) - 1
    lo = np.minimum(np.maximum(start, 0), size)
    hi = np.minimum(np.maximum(stop + 1, lo), size)
    return csum[hi] - csum[lo] > 0


def _prefix(a: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a) + 1, dtype=np.int64)
    np.cumsum(a, out=out[1:])
    return out


def _sumset(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """{x + y : x in a, y in b}, truncated to the common range 0..n."""
    s = np.arange(len(a))
    csum = _prefix(a)
    out = np.zeros(len(a), dtype=bool)
    for lo, hi in _runs(b):
        out |= _window_any(csum, s - hi, s - lo)
    return out


def _diffset(total: np.ndarray, b: np.ndarray) -> np.ndarray:
    """{v : v + y in total for some y in b}: the values one part can take given the rest."""
    s = np.arange(len(total))
    csum = _prefix(total)
    out = np.zeros(len(total), dtype=bool)
    for lo, hi in _runs(b):
        out |= _window_any(csum, s + lo, s + hi)
    return out


def _interval(n: int, lo: int, hi: int) -> np.ndarray:
    out = np.zeros(n + 1, dtype=bool)
    if lo <= n and hi >= lo:
        out[max(lo, 0):min(hi, n) + 1] = True
    return out


def _shift_down(a: np.ndarray, offset: int) -> np.ndarray:
    """{v - offset : v in a, v >= offset}."""
    out = np.zeros_like(a)
    if offset <= 0:
        out[-offset:] = a[: len(a) + offset] if offset else a
        return out
    if offset < len(a):
        out[: len(a) - offset] = a[offset:]
    return out


def _shift_up(a: np.ndarray, offset: int) -> np.ndarray:
    return _shift_down(a, -offset)


def _sum_all(sets: Sequence[np.ndarray], n: int) -> np.ndarray:
    acc = _interval(n, 0, 0)
    for s in sets:
        acc = _sumset(acc, s)
    return acc


def _sum_others(sets: Sequence[np.ndarray], n: int) -> list[np.ndarray]:
    """For each i the sumset of all sets but i (k^2 sumsets; k is the handful of hidden cells)."""
    return [_sum_all([s for j, s in enumerate(sets) if j != i], n) for i in range(len(sets))]


# --------------------------------------------------------------------------------------------
# One indicator-year: a tree region -> municipalities -> contributing areas.
# --------------------------------------------------------------------------------------------

@dataclass
class _Node:
    key: Key
    row: int | None          # position in the cells frame (None: no cell, e.g. no region row)
    value: float             # the raw protected number (count, or NaN when not count-like)
    status: str              # "ok", "missing" or a hidden status
    cost: float = 0.0
    children: list[Key] = field(default_factory=list)


@dataclass
class _Tree:
    """The sum constraints of one indicator-year as the attacker sees them."""

    integer: bool
    min_count: int
    areas: dict[Key, _Node]
    munis: dict[Key, _Node]
    region: _Node

    def published(self, node: _Node, state: dict[Key, str]) -> bool:
        return state.get(node.key, node.status) == "ok" and not np.isnan(node.value)

    def status(self, node: _Node, state: dict[Key, str]) -> str:
        return state.get(node.key, node.status)

    # ---- domains --------------------------------------------------------------------------
    def _domain(self, node: _Node, state: dict[Key, str], n: int, is_area: bool) -> np.ndarray:
        """What the attacker knows about one unknown number from its status alone."""
        status = self.status(node, state)
        m = self.min_count
        if is_area and status == PRIMARY:
            return _interval(n, 1, m - 1)
        if is_area and status == SECONDARY:
            return _interval(n, 0, 0) | _interval(n, m, n)
        # population cells and hidden aggregates ("total" for any reason) reveal nothing
        return _interval(n, 0, n)

    def _domain_is_point(self, node: _Node, state: dict[Key, str]) -> bool:
        return self.status(node, state) == PRIMARY and self.min_count == 2

    # ---- exposure -------------------------------------------------------------------------
    def exposed_in_muni(self, muni: _Node, state: dict[Key, str]) -> list[Key]:
        """Hidden areas of a municipality with a published total that are pinned to one value."""
        hidden = [self.areas[k] for k in muni.children if not self.published(self.areas[k], state)]
        if not hidden:
            return []
        if len(hidden) == 1:  # the total minus the published areas gives it
            return [] if self._domain_is_point(hidden[0], state) else [hidden[0].key]
        if not self.integer:
            return []
        known = sum(self.areas[k].value for k in muni.children if self.published(self.areas[k], state))
        n = int(round(muni.value - known))
        if n < 0:  # inconsistent input; be safe and call everything exposed
            return [h.key for h in hidden]
        target = _interval(n, n, n)
        doms = [self._domain(h, state, n, True) for h in hidden]
        out = []
        for h, dom, others in zip(hidden, doms, _sum_others(doms, n), strict=True):
            feasible = dom & _diffset(target, others)
            if feasible.sum() < 2 and not self._domain_is_point(h, state):
                out.append(h.key)
        return out

    def exposed_in_region(self, state: dict[Key, str]) -> list[Key]:
        """Pinned hidden cells under municipalities whose total is not published."""
        open_munis = [m for m in self.munis.values() if m.children and not self.published(m, state)]
        if not open_munis:
            return []
        root_known = self.published(self.region, state)
        if not self.integer:
            return self._peel(open_munis, state, root_known)
        closed = sum(m.value for m in self.munis.values() if m.children and self.published(m, state))
        if root_known:
            n = int(round(self.region.value - closed))
            if n < 0:
                return [m.key for m in open_munis]
        else:  # no upper bound is published: any cap above the true values is safe (see docs)
            n = int(round(sum(np.nansum([self.areas[k].value for k in m.children])
                              for m in open_munis))) + 2 * self.min_count
        root = _interval(n, n, n) if root_known else _interval(n, 0, n)
        ups, area_doms, offsets = [], [], []
        for m in open_munis:
            hidden = [self.areas[k] for k in m.children if not self.published(self.areas[k], state)]
            offset = int(round(sum(self.areas[k].value for k in m.children
                                   if self.published(self.areas[k], state))))
            doms = [self._domain(h, state, n, True) for h in hidden]
            up = self._domain(m, state, n, False) & _shift_up(_sum_all(doms, n), offset)
            ups.append(up)
            area_doms.append((hidden, doms))
            offsets.append(offset)
        root_feasible = root & _sum_all(ups, n)
        out = []
        for m, up, others, (hidden, doms), offset in zip(
                open_munis, ups, _sum_others(ups, n), area_doms, offsets, strict=True):
            feasible_m = up & _diffset(root_feasible, others)
            if self.status(m, state) in HIDDEN and feasible_m.sum() < 2:
                out.append(m.key)
            inner = _shift_down(feasible_m, offset)
            for h, dom, rest in zip(hidden, doms, _sum_others(doms, n), strict=True):
                if (dom & _diffset(inner, rest)).sum() < 2 and not self._domain_is_point(h, state):
                    out.append(h.key)
        return out

    def _peel(self, open_munis: list[_Node], state: dict[Key, str], root_known: bool) -> list[Key]:
        """Continuous values: which unknowns the linear sum equations determine (tree peeling)."""
        known: set[Key] = set()
        unknown_children = {m.key: [k for k in m.children if not self.published(self.areas[k], state)]
                            for m in open_munis}
        changed = True
        while changed:
            changed = False
            free_munis = [m for m in open_munis if m.key not in known]
            if root_known and len(free_munis) == 1:
                known.add(free_munis[0].key)
                changed = True
            for m in open_munis:
                rest = [k for k in unknown_children[m.key] if k not in known]
                if m.key not in known and not rest:
                    known.add(m.key)
                    changed = True
                elif m.key in known and len(rest) == 1:
                    known.add(rest[0])
                    changed = True
        return [k for k in known if k in self.areas or self.status(self.munis[k], state) in HIDDEN]

    def exposed(self, state: dict[Key, str]) -> list[Key]:
        out = []
        for m in self.munis.values():
            if m.children and self.published(m, state):
                out += self.exposed_in_muni(m, state)
        return out + self.exposed_in_region(state)


def _greedy(
    count: Callable[[dict[Key, str]], int],
    state: dict[Key, str],
    moves: list[Move],
) -> dict[Key, str] | None:
    """Add moves (cells to hide) in preference order until nothing is exposed; None if impossible.

    Each round takes the first move, in the given (cheapest-first) order, that strictly lowers
    the number of exposed cells; when none does, the first remaining move (two cells may be needed
    together). Afterwards moves that turned out unnecessary are taken back, dearest first.
    """
    state = dict(state)
    exposed = count(state)
    taken: list[int] = []
    remaining = list(range(len(moves)))
    while exposed:
        if not remaining:
            return None
        pick = None
        for i in remaining:
            trial = {**state, **moves[i]}
            if count(trial) < exposed:
                pick = i
                break
        pick = remaining[0] if pick is None else pick
        remaining.remove(pick)
        taken.append(pick)
        state.update(moves[pick])
        exposed = count(state)
    for i in reversed(taken):
        trial = {k: v for k, v in state.items() if k not in moves[i]}
        if not count(trial):
            state = trial
    return state


def _protect(tree: _Tree) -> dict[Key, str]:
    """Secondary suppression in one indicator-year; returns the new statuses by node key."""
    state: dict[Key, str] = {}
    for muni in tree.munis.values():
        if not (muni.children and tree.published(muni, state)):
            continue
        if not tree.exposed_in_muni(muni, state):
            continue
        candidates = sorted((tree.areas[k] for k in muni.children if tree.published(tree.areas[k], state)),
                            key=lambda a: (a.cost, str(a.key)))
        moves = [{a.key: SECONDARY} for a in candidates]
        solved = _greedy(lambda s, m=muni: len(tree.exposed_in_muni(m, s)), state, moves)
        if solved is None:
            state[muni.key] = TOTAL
        else:
            state = solved

    if tree.exposed_in_region(state):
        moves: list[Move] = []
        for muni in sorted(tree.munis.values(), key=lambda m: (m.cost, str(m.key))):
            if not (muni.children and tree.published(muni, state)):
                continue
            moves.append({muni.key: TOTAL})
            areas = sorted((tree.areas[k] for k in muni.children if tree.published(tree.areas[k], state)),
                           key=lambda a: (a.cost, str(a.key)))
            # a total alone is derivable from its published areas, so also offer it with one area
            moves += [{muni.key: TOTAL, a.key: SECONDARY} for a in areas]
        inner = [tree.areas[k] for m in tree.munis.values() if m.children and not tree.published(m, state)
                 for k in m.children if tree.published(tree.areas[k], state)]
        moves += [{a.key: SECONDARY} for a in sorted(inner, key=lambda a: (a.cost, str(a.key)))]
        solved = _greedy(lambda s: len(tree.exposed(s)), state, moves)
        if solved is None and tree.published(tree.region, state) and tree.region.row is not None:
            state[tree.region.key] = TOTAL
            solved = _greedy(lambda s: len(tree.exposed(s)), state, moves)
        state = solved if solved is not None else state
    return state


# --------------------------------------------------------------------------------------------
# The public step
# --------------------------------------------------------------------------------------------

def _indicator_kinds(indicators: pd.DataFrame) -> tuple[set[str], set[str], set[str]]:
    """Pure counts (e.g. Einwohner), ratios of summed counts, and population-weighted means."""
    kinds = kinds_of(indicators)
    counts = {i for i, k in kinds.items() if k == "count"}
    ratios = {i for i, k in kinds.items() if k in ("share", "rate")}
    means = {i for i, k in kinds.items() if k == "mean"}
    return counts, ratios, means


def suppress(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    municipality_of: pd.Series,
    population: pd.Series,
    rules: PrivacyRules,
) -> pd.DataFrame:
    """Return ``cells`` with ``status`` set to a hidden status where a value must not be shown.

    ``cells`` carries raw values for the levels area, municipality and region. Statuses: area
    cells ``primary`` (small count), ``population`` (area too small for rates, takes precedence so
    the status says nothing about the count), ``secondary`` (hidden to protect another cell);
    aggregates ``total`` whatever the reason, so a hidden total never tells that it is small.
    """
    out = cells.reset_index(drop=True).copy()
    counts, ratios, means = _indicator_kinds(indicators)
    ind = out["indicator_id"].to_numpy()
    level = out["level"].to_numpy()
    is_area = level == "area"
    is_count = np.isin(ind, list(counts))
    value = out["value"].to_numpy(dtype=float)
    num = out["numerator"].to_numpy(dtype=float)
    den = out["denominator"].to_numpy(dtype=float)
    protected = np.where(~np.isnan(num), num, np.where(is_count, value, np.nan))
    mins = {i: rules.min_count_for(i) for i in pd.unique(ind)}
    min_count = np.array([mins[i] for i in ind], dtype=float) if len(ind) else np.zeros(0)
    status = out["status"].to_numpy(dtype=object).copy()
    shown = status == "ok"

    small = shown & (protected > 0) & (protected < min_count)
    status[small & is_area] = PRIMARY
    status[small & ~is_area] = TOTAL

    pop_index = pd.MultiIndex.from_arrays([out["unit_id"], out["year"]])
    pop = population.reindex(pop_index).to_numpy(dtype=float) if len(population) else np.full(len(out), np.nan)
    tiny = is_area & shown & ~is_count & (pop < rules.min_population)  # NaN population: no rule
    status[tiny] = POPULATION

    hidden = np.isin(status, HIDDEN)
    if not hidden.any():
        out["status"] = status
        return out
    muni_of = municipality_of.to_dict()
    unit = out["unit_id"].to_numpy()
    cost = np.where(~np.isnan(den), den, np.where(~np.isnan(pop), pop, np.nan_to_num(protected)))
    keys = set(zip(ind[hidden], out["year"].to_numpy()[hidden], strict=True))
    for (indicator_id, year), rows in out.groupby(["indicator_id", "year"], sort=False).indices.items():
        if (indicator_id, year) not in keys:
            continue
        kind = ("ratio" if indicator_id in ratios else "count" if indicator_id in counts
                else "mean" if indicator_id in means else "value")
        tree = _build_tree(rows, unit, level, value, num, den, protected, status, cost, pop,
                           muni_of, kind, mins[indicator_id])
        for key, new in _protect(tree).items():
            node = tree.areas.get(key) or tree.munis.get(key) or tree.region
            if node.row is not None:
                status[node.row] = new
    out["status"] = status
    return out


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
