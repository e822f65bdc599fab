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

from dashboard.counts import CountLinks, link_counts, pure_counts, ratio_indicators
from dashboard.linear import components, determined
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

@dataclass(slots=True)
class _Node:
    key: Key
    row: int | None          # position in the cells frame (None: no cell, e.g. no region row)
    value: float             # the raw protected number (count, or NaN when not count-like)
    status: str              # "ok", "missing" or a hidden status
    cost: float = 0.0
    children: list[Key] = field(default_factory=list)
    secret: bool = True      # a protected count hidden somewhere: must not be pinned
    cons: tuple[tuple[str, int], ...] = ()  # (status, min_count) of the cells it is the count of
    m_sec: int = 0           # min count a new "secondary" status announces (0: says nothing)


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
        """What the attacker knows about one unknown number from the statuses alone."""
        dom = _interval(n, 0, n)
        if not is_area:  # hidden aggregates ("total" for any reason) reveal nothing
            return dom
        if node.key in state:
            if state[node.key] == SECONDARY and node.m_sec > 0:
                dom = _interval(n, 0, 0) | _interval(n, node.m_sec, n)
            return dom
        for status, m in node.cons:  # population cells reveal nothing
            if status == PRIMARY:
                dom &= _interval(n, 1, m - 1)
            elif status == SECONDARY:
                dom &= _interval(n, 0, 0) | _interval(n, m, n)
        return dom

    def _domain_is_point(self, node: _Node, state: dict[Key, str]) -> bool:
        """Known from the statuses alone (min_count 2: "primary" means 1); a documented limit."""
        if node.key in state or not any(s == PRIMARY for s, _ in node.cons):
            return False
        top = max(m for _, m in node.cons)
        return int(self._domain(node, state, top, True).sum()) <= 1

    def _no_upper_bounds(self, hidden: list[_Node], state: dict[Key, str], n: int) -> bool:
        """No hidden part is "primary" and n reaches every minimum: the DP's answer is known."""
        for h in hidden:
            if h.key in state:
                if h.m_sec > n:
                    return False
            elif any(s == PRIMARY or m > n for s, m in h.cons):
                return False
        return True

    def exposable(self, node: _Node, state: dict[Key, str]) -> bool:
        return node.secret or node.key in state

    # ---- exposure -------------------------------------------------------------------------
    def exposed_in_muni(self, muni: _Node, state: dict[Key, str]) -> list[Key]:
        """Hidden areas of a municipality with a published total that are pinned to one value."""
        hidden = [self.areas[k] for k in muni.children if not self.published(self.areas[k], state)]
        if not hidden:
            return []
        if len(hidden) == 1:  # the total minus the published areas gives it
            h = hidden[0]
            return [h.key] if self.exposable(h, state) and not self._domain_is_point(h, state) else []
        if not self.integer:
            return []
        known = sum(self.areas[k].value for k in muni.children if self.published(self.areas[k], state))
        n = int(round(muni.value - known))
        if n < 0:  # inconsistent input; be safe and call everything exposed
            return [h.key for h in hidden]
        if n > 0 and self._no_upper_bounds(hidden, state, n):
            return []  # each hidden part can be 0 or all of n: two values for everyone
        target = _interval(n, n, n)
        doms = [self._domain(h, state, n, True) for h in hidden]
        out = []
        for h, dom, others in zip(hidden, doms, _sum_others(doms, n), strict=True):
            feasible = dom & _diffset(target, others)
            if feasible.sum() < 2 and self.exposable(h, state) and not self._domain_is_point(h, state):
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
            if self.status(m, state) in HIDDEN and feasible_m.sum() < 2 and self.exposable(m, state):
                out.append(m.key)
            inner = _shift_down(feasible_m, offset)
            for h, dom, rest in zip(hidden, doms, _sum_others(doms, n), strict=True):
                if ((dom & _diffset(inner, rest)).sum() < 2 and self.exposable(h, state)
                        and not self._domain_is_point(h, state)):
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
        nodes = [self.areas.get(k) or self.munis[k] for k in known]
        return [n.key for n in nodes if (n.key in self.areas or self.status(n, state) in HIDDEN)
                and self.exposable(n, state)]

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

def _indicator_kinds(indicators: pd.DataFrame, area_values: pd.DataFrame) -> tuple[set[str], set[str], set[str]]:
    """Pure counts (e.g. Einwohner), ratios of summed counts, and population-weighted means."""
    scale = pd.to_numeric(indicators["scale"], errors="coerce")
    agg = indicators["aggregation"]
    counts = pure_counts(indicators, area_values)
    ratios = ratio_indicators(indicators)
    means = set(indicators.loc[scale.isna() & (agg == "mean_weighted"), "indicator_id"]) - counts
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
        self.ref_year, self.ref_muni, self.ref_level, self.ref_unit = yr, muni, lv, un
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
        for _ in range(100):  # monotone (only hides), so it ends; the cap only guards against bugs
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
        for i in np.flatnonzero((self.ref_level == "area") & self.contrib).tolist():
            by_muni.setdefault((series[i], yr[i], muni[i]), set()).add(cc[i])
            by_region.setdefault((series[i], yr[i]), set()).add(cc[i])
        frozen = {k: frozenset(v) for k, v in by_muni.items()}
        frozen.update({k: frozenset(v) for k, v in by_region.items()})
        pairs = set()
        for i in np.flatnonzero(self.ref_level != "area").tolist():
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
            self._eq_start = np.r_[0, np.cumsum(lengths)[:-1]] if arrays else np.zeros(0, dtype=np.int64)
            self._eq_of: dict[int, list[int]] = {}
            owner = np.repeat(np.arange(len(arrays)), lengths)
            order = np.argsort(self._eq_cells, kind="stable")
            cells_sorted, owners_sorted = self._eq_cells[order], owner[order]
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
        exposed = len(pinned_with(taken))
        while exposed:
            candidates = sorted(pool - taken, key=lambda c: (self._cell_cost(c, status), c))
            if not candidates:
                stuck = pinned_with(taken) & set(pinned)
                self.known.update(int(u) for u in stuck)
                exposable[list(stuck)] = False
                break
            pick = next((c for c in candidates if len(pinned_with(taken | {c})) < exposed), candidates[0])
            taken.add(pick)
            pool |= near({pick})
            exposed = len(pinned_with(taken))
        if exposed:
            return sorted(taken)  # the outer loop goes on from here
        for c in sorted(taken, key=lambda c: -self._cell_cost(c, status)):
            if not pinned_with(taken - {c}):
                taken.discard(c)
        return sorted(taken)

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
