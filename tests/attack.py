"""A linear-algebra attacker on published outputs only (independent of ``dashboard.privacy``).

It reads a ``Published`` object (what tables, map, downloads and the CLI show), learns which
counts are the same (equal published numbers in two series, the catalogue's keys) and the
declared sums, writes every published sum relation as an equation (municipality = Σ of its areas
with a cell, region = Σ of all, declared totals = Σ of parts), and decides by exact elimination
(modulo a large prime, so the arithmetic is exact integers) which hidden counts the equations pin
to one value. A hidden count is the numerator of a hidden share, the value of a hidden pure count
or the count of a hidden total; whatever it is linked to is the same unknown.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.aggregate import REGION_ID, aggregate_cells, area_population
from dashboard.model import Bundle
from dashboard.publish import HIDDEN_STATUSES, Published

PRIME = 2_147_483_629  # < 2**31, so products of two residues fit into int64
COUNT_UNITS = {"personen", "haushalte", "fälle", "anzahl", "einwohner", "kinder", "wohnungen"}
MIN_EQUAL = 3  # common non-zero published numbers before two series count as the same count

Var = tuple[str, str, str, int]  # (series "ID|role", level, unit, year)
RHS = "__rhs__"  # the constant of an equation (published numbers moved to the right)


@dataclass(frozen=True)
class Recovery:
    """A hidden count the attacker pins; ``structural``: pinned even if every count were hidden."""

    var: Var
    linked: tuple[Var, ...]
    structural: bool
    value: int


def _series_of(published: Published) -> dict[str, tuple[str, str]]:
    """series name -> (indicator_id, column) for every count series the attacker can see."""
    ind = published.indicators
    cells = published.cells
    out = {}
    for row in ind.itertuples(index=False):
        scale = pd.to_numeric(pd.Series([row.scale]), errors="coerce").iloc[0]
        if pd.notna(scale) and row.aggregation != "none":
            out[f"{row.indicator_id}|numerator"] = (row.indicator_id, "numerator")
            out[f"{row.indicator_id}|denominator"] = (row.indicator_id, "denominator")
            continue
        shown = cells.loc[(cells["indicator_id"] == row.indicator_id) & (cells["status"] == "ok"), "value"]
        whole = bool(len(shown)) and bool((shown == shown.round()).all())
        unit = str(row.unit).strip().casefold()
        if pd.isna(scale) and whole and (row.aggregation == "sum" or unit in COUNT_UNITS):
            out[f"{row.indicator_id}|value"] = (row.indicator_id, "value")
    return out


class _Classes:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _rref_mod_p(unknowns: list[Hashable], equations: list[dict[Hashable, int]]) -> tuple[np.ndarray, list]:
    """Exact Gauss-Jordan elimination over GF(p) of ``{unknown: coefficient, RHS: constant}`` rows."""
    index = {u: i for i, u in enumerate(unknowns)}
    a = np.zeros((len(equations), len(unknowns) + 1), dtype=np.int64)
    for r, e in enumerate(equations):
        for u, c in e.items():
            col = len(unknowns) if u == RHS else index[u]
            a[r, col] = (a[r, col] + c) % PRIME
    rows, cols = a.shape[0], len(unknowns)
    pivot_row = 0
    pivots = []
    for col in range(cols):
        if pivot_row == rows:
            break
        nz = np.flatnonzero(a[pivot_row:, col])
        if not len(nz):
            continue
        r = pivot_row + nz[0]
        a[[pivot_row, r]] = a[[r, pivot_row]]
        inv = pow(int(a[pivot_row, col]), PRIME - 2, PRIME)
        a[pivot_row] = (a[pivot_row] * inv) % PRIME
        others = np.flatnonzero(a[:, col])
        others = others[others != pivot_row]
        if len(others):
            factors = a[others, col][:, None]
            a[others] = (a[others] - (factors * a[pivot_row][None, :]) % PRIME) % PRIME
        pivots.append((pivot_row, col))
        pivot_row += 1
    return a, pivots


def _consistent_mod_p(unknowns: list[Hashable], equations: list[dict[Hashable, int]]) -> bool:
    """The equations have a solution: no row of the RREF reads 0 = c with c != 0."""
    a, pivots = _rref_mod_p(unknowns, equations)
    return not np.any(a[len(pivots):, len(unknowns)])


def _determined_mod_p(unknowns: list[Hashable], equations: list[dict[Hashable, int]]) -> dict[Hashable, int]:
    """x_i is pinned iff its unit row is in the RREF; returns the pinned unknowns with their value
    (residues above p/2 are negative numbers)."""
    a, pivots = _rref_mod_p(unknowns, equations)
    cols = len(unknowns)
    out = {}
    for r, col in pivots:
        if np.count_nonzero(a[r, :cols]) == 1:
            v = int(a[r, cols])
            out[unknowns[col]] = v - PRIME if v > PRIME // 2 else v
    return out


def _components(equations: list[dict[Hashable, int]]) -> Iterable[tuple[list[Hashable], list[dict]]]:
    classes = _Classes()
    for e in equations:
        keys = [k for k in e if k != RHS]
        for k in keys[1:]:
            classes.union(keys[0], k)
        if keys:
            classes.find(keys[0])
    groups: dict[Hashable, tuple[list, list]] = {}
    for x in list(classes.parent):
        groups.setdefault(classes.find(x), ([], []))[0].append(x)
    for e in equations:
        keys = [k for k in e if k != RHS]
        if keys:
            groups[classes.find(keys[0])][1].append(e)
    return groups.values()


def linear_attack(published: Published, same: Iterable[tuple[str, str]] = (),
                  bounds: bool = False) -> list[Recovery]:
    """Every hidden count that the published numbers and relations pin to one value.

    ``same``: pairs of series ("ID|numerator", "ID|denominator", "ID|value") the attacker knows to
    be the same count, on top of those it learns from equal published numbers and catalogue keys.
    ``bounds``: also pin by linear programming, with 0 <= count and 1 <= primary count <= m - 1
    (min == max over the equations means one value); slower, for small bundles.
    """
    cells = published.cells
    series = _series_of(published)
    muni_of = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
    exists: dict[str, pd.DataFrame] = {}
    value: dict[Var, float] = {}
    for name, (indicator_id, column) in series.items():
        sel = cells[(cells["indicator_id"] == indicator_id) & (cells["status"] != "missing")]
        exists[name] = sel
        shown = sel[sel["status"] == "ok"]
        for lv, u, y, v in zip(shown["level"], shown["unit_id"], shown["year"], shown[column], strict=True):
            if pd.notna(v):
                value[(name, lv, u, int(y))] = float(v)

    def keyset(name: str) -> dict[tuple[str, str, int], str]:
        sel = exists[name]
        return {(lv, u, int(y)): s for lv, u, y, s in zip(sel["level"], sel["unit_id"], sel["year"], sel["status"],
                                                          strict=True)}

    sites = {n: keyset(n) for n in series}
    members: dict[tuple[str, str, int], set[str]] = {}  # (name, year, muni) -> areas with a cell
    for n, keys in sites.items():
        for (lv, u, y) in keys:
            if lv == "area":
                members.setdefault((n, y, muni_of[u]), set()).add(u)
                members.setdefault((n, y, "__region__"), set()).add(u)

    # Same count: equal published numbers (or the catalogue's key), linked cell by cell.
    names = sorted(series)
    keyed: dict[str, list[str]] = {}
    for row in published.indicators.itertuples(index=False):
        for role, col in (("numerator", "numerator_key"), ("denominator", "denominator_key"),
                          ("value", "numerator_key")):
            key = getattr(row, col, None)
            if isinstance(key, str) and key.strip() and f"{row.indicator_id}|{role}" in series:
                keyed.setdefault(key.strip(), []).append(f"{row.indicator_id}|{role}")
    pairs = {(a, b) for a, b in same if a in series and b in series}
    for ms in keyed.values():
        pairs |= {(a, b) for a in ms for b in ms if a < b}
    inferred: set[tuple[str, str]] = set()  # guessed from equal published numbers
    known_by_series: dict[str, dict[tuple[str, str, int], float]] = {n: {} for n in names}
    for (n, lv, u, y), v in value.items():
        known_by_series[n][(lv, u, y)] = v
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ka, kb = known_by_series[a], known_by_series[b]
            common = ka.keys() & kb.keys()
            if sum(1 for k in common if ka[k] != 0) >= MIN_EQUAL and all(ka[k] == kb[k] for k in common):
                inferred.add((a, b))
    def system(pairs: set[tuple[str, str]], only: set[str] | None = None) -> tuple:
        """Unknowns (classes of linked cells), published values and the equations, for one set of
        links; ``only``: just the relations of these series (a quick check of one link)."""
        classes = _Classes()
        for a, b in pairs:
            for site in sites[a].keys() & sites[b].keys():
                lv, u, y = site
                if lv != "area":  # totals are the same number only when they add up the same areas
                    if members.get((a, y, u if lv == "municipality" else "__region__")) != \
                            members.get((b, y, u if lv == "municipality" else "__region__")):
                        continue
                classes.union((a, *site), (b, *site))

        def var(n: str, lv: str, u: str, y: int) -> Hashable:
            return classes.find((n, lv, u, y))

        known_value: dict[Hashable, float] = {var(*k): v for k, v in value.items()}
        known = set(known_value)
        equations: list[dict[Hashable, int]] = []
        contradictions: list = []  # relations the links make false: 0 = c
        full: list[dict[Hashable, int]] = []  # the same with every count unknown (for ``structural``)

        def add(terms: list[tuple[Hashable, int]]) -> None:
            e: dict[Hashable, int] = {}
            for v, c in terms:
                e[v] = e.get(v, 0) + c
            e = {v: c for v, c in e.items() if c}
            if e:
                full.append(e)
            rhs = -sum(c * int(round(known_value[v])) for v, c in e.items() if v in known)
            e = {v: c for v, c in e.items() if v not in known}
            if e:
                equations.append({**e, RHS: rhs})
            elif rhs:
                contradictions.append(terms)

        for n in names if only is None else sorted(only):
            agg = published.indicator(series[n][0])["aggregation"]
            for (lv, u, y) in sites[n]:
                if lv == "area" or (n.endswith("|value") and agg != "sum"):
                    continue
                parts = members.get((n, y, u if lv == "municipality" else "__region__"), set())
                add([(var(n, lv, u, y), -1), *((var(n, "area", a, y), 1) for a in parts)])

        # Declared sums (bundle.toml [privacy.sums]): total = Σ parts wherever all of them have a cell.
        def term_series(term: str) -> str | None:
            if term in keyed:
                return keyed[term][0]
            base, _, role = term.partition(".")
            for r in ((role,) if role else ("numerator", "value")):
                if f"{base}|{r}" in series:
                    return f"{base}|{r}"
            return None

        for total, parts in getattr(published.config.privacy, "sums", ()):
            names_ = [term_series(total), *(term_series(p) for p in parts)]
            if not all(names_) or (only is not None and not only & set(names_)):
                continue
            common = set.intersection(*(set(sites[n]) for n in names_))
            for site in common:
                add([(var(names_[0], *site), -1), *((var(n, *site), 1) for n in names_[1:])])

        return classes, known_value, equations, full, contradictions

    def consistent(pairs: set[tuple[str, str]], only: set[str] | None = None) -> bool:
        _, _, eqs, _, contradictions = system(pairs, only)
        return not contradictions and all(_consistent_mod_p(us, es) for us, es in _components(eqs))

    # A link guessed from equal numbers that the published relations contradict is dropped, as a
    # rational attacker would: it is not the same count (true links are always consistent). Each
    # guess is checked on the relations of its two series.
    if not consistent(pairs | inferred):
        inferred = {pair for pair in inferred if consistent(pairs | {pair}, set(pair))}
    pairs |= inferred
    classes, known_value, equations, full, _ = system(pairs)
    known = set(known_value)

    def var(n: str, lv: str, u: str, y: int) -> Hashable:
        return classes.find((n, lv, u, y))

    # Which hidden counts are asked about: protected counts of hidden cells.
    targets: dict[Hashable, list[Var]] = {}
    for n in series:
        if n.endswith("|denominator"):
            continue
        for (lv, u, y), s in sites[n].items():
            if s in HIDDEN_STATUSES:
                targets.setdefault(var(n, lv, u, y), []).append((n, lv, u, y))

    pinned: dict[Hashable, int] = {}
    for unknowns, eqs in _components(equations):
        pinned.update(_determined_mod_p(unknowns, eqs))
    if bounds:
        rules = published.config.privacy
        box: dict[Hashable, tuple[float, float]] = {}
        for n in series:
            for (lv, u, y), st in sites[n].items():
                v = var(n, lv, u, y)
                lo, hi = box.get(v, (0.0, np.inf))
                if st == "primary" and lv == "area" and not n.endswith("|denominator"):
                    lo, hi = max(lo, 1.0), min(hi, rules.min_count_for(n.split("|")[0]) - 1.0)
                box[v] = (lo, hi)
        for unknowns, eqs in _components(equations):
            ask = [u for u in unknowns if u in targets and u not in pinned]
            if ask:
                pinned.update(_pinned_by_lp(unknowns, eqs, ask, box))
    structural = _structural(full, pinned)
    out = []
    for v, vs in targets.items():
        if v in known:  # published under another indicator
            out.append(Recovery(vs[0], tuple(vs), False, int(round(known_value[v]))))
        elif v in pinned:
            out.append(Recovery(vs[0], tuple(vs), v in structural, pinned[v]))
    return out


def _pinned_by_lp(unknowns: list[Hashable], equations: list[dict], ask: list[Hashable],
                  box: dict[Hashable, tuple[float, float]]) -> dict[Hashable, int]:
    """min == max of each asked unknown over {A x = b, bounds}: pinned by the bounds too."""
    from scipy.optimize import linprog

    index = {u: i for i, u in enumerate(unknowns)}
    a = np.zeros((len(equations), len(unknowns)))
    b = np.zeros(len(equations))
    for r, e in enumerate(equations):
        for u, c in e.items():
            if u == RHS:
                b[r] = c
            else:
                a[r, index[u]] += c
    limits = [box.get(u, (0.0, np.inf)) for u in unknowns]
    limits = [(lo, None if np.isinf(hi) else hi) for lo, hi in limits]
    out = {}
    for u in ask:
        c = np.zeros(len(unknowns))
        c[index[u]] = 1.0
        low = linprog(c, A_eq=a, b_eq=b, bounds=limits, method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=limits, method="highs")
        if low.status == 0 and high.status == 0 and abs(low.fun + high.fun) < 1e-6:
            out[u] = int(round(low.fun))
    return out


def _structural(equations: list[dict[Hashable, int]], pinned: dict[Hashable, int]) -> set[Hashable]:
    """Pinned ones that stay pinned with every count unknown: the pattern of cells alone tells."""
    out: set[Hashable] = set()
    for unknowns, eqs in _components(equations):
        if pinned.keys() & set(unknowns):
            out |= _determined_mod_p(unknowns, eqs).keys() & pinned.keys()
    return out


def raw_counts(bundle: Bundle) -> dict[Var, float]:
    """The true counts behind every cell (area, municipality, region): to tell a real leak from an
    attacker's wrong guess (two series equal where published need not be equal where hidden)."""
    pop = area_population(bundle.values, bundle.config.privacy.population_indicator)
    areas = bundle.areas
    muni_of = pd.Series(areas["municipality_id"].to_numpy(), index=areas["area_id"])
    frames = [bundle.values.rename(columns={"area_id": "unit_id"}).assign(level="area"),
              aggregate_cells(bundle.values, bundle.indicators, muni_of, pop).assign(level="municipality"),
              aggregate_cells(bundle.values, bundle.indicators, pd.Series(REGION_ID, index=areas["area_id"]),
                              pop).assign(level="region")]
    out: dict[Var, float] = {}
    for f in frames:
        for role in ("numerator", "denominator", "value"):
            for i, lv, u, y, v in zip(f["indicator_id"], f["level"], f["unit_id"], f["year"], f[role], strict=True):
                if pd.notna(v):
                    out[(f"{i}|{role}", lv, u, int(y))] = float(v)
    return out


def leaks(bundle: Bundle, published: Published, same: Iterable[tuple[str, str]] = (),
          bounds: bool = False) -> list[Recovery]:
    """Recoveries that hit the true number (the attacker's pinned value is the real count)."""
    truth = raw_counts(bundle)
    return [r for r in linear_attack(published, same, bounds) if truth.get(r.var) == r.value]
