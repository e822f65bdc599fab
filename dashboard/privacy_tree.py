"""The exact secondary-suppression search on one tree: region -> municipalities -> areas.

A hidden count is *exposed* when exactly one value is consistent with everything published and
with what its status says (docs/privacy.md). Feasibility is decided exactly with set-valued
dynamic programming over the possible sums (boolean arrays over 0..n), not with interval
arithmetic. ``dashboard.privacy`` builds the trees (one per count and year) and applies the result.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

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
    """For each i the sumset of all sets but i: prefix and suffix sumsets, 3k sumsets, not k^2.

    Exact, as truncation to 0..n commutes with sums of non-negative values.
    """
    k = len(sets)
    before = [_interval(n, 0, 0)]
    for s in sets[:-1]:
        before.append(_sumset(before[-1], s))
    after = [_interval(n, 0, 0)]
    for s in reversed(sets[1:]):
        after.append(_sumset(after[-1], s))
    after.reverse()  # after[i]: the sumset of sets[i + 1:]
    return [_sumset(before[i], after[i]) for i in range(k)]


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
