"""Which unknowns a system of linear equations pins down (the attacker's linear algebra).

Equations are sparse rows ``{unknown: coefficient} = known``; only their left sides matter. An
unknown is *determined* when its unit vector lies in the row space, i.e. when every solution of
the homogeneous system has 0 there. The system splits into connected components (equations sharing
unknowns); each is decided with an SVD of a small dense matrix (coefficients are small integers,
so the numerical rank is reliable).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np

Equation = Mapping[Hashable, float]


def components(equations: Iterable[Equation]) -> list[tuple[list[Hashable], list[Equation]]]:
    """Group equations by the unknowns they share: [(unknowns, equations)] per component."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    eqs = [e for e in equations if e]
    for e in eqs:
        first, *rest = e
        for other in rest:
            ra, rb = find(first), find(other)
            if ra != rb:
                parent[rb] = ra
        find(first)
    by_root: dict[Hashable, tuple[list[Hashable], list[Equation]]] = {}
    for x in parent:
        by_root.setdefault(find(x), ([], []))[0].append(x)
    for e in eqs:
        by_root[find(next(iter(e)))][1].append(e)
    return list(by_root.values())


def numerical_rank(singular_values: np.ndarray) -> int:
    """Singular values above 1e-9 of the largest (at least 1): the coefficients are small integers."""
    s = singular_values
    return int((s > 1e-9 * max(1.0, s[0] if len(s) else 1.0)).sum())


def determined(unknowns: list[Hashable], equations: list[Equation]) -> set[Hashable]:
    """The unknowns of one component that the equations fix to a single value."""
    index = {u: i for i, u in enumerate(unknowns)}
    if len(unknowns) == 1:
        return set(unknowns) if equations else set()
    a = np.zeros((len(equations), len(unknowns)))
    for r, e in enumerate(equations):
        for u, c in e.items():
            a[r, index[u]] = c
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = numerical_rank(s)
    null = vt[rank:]
    if not len(null):
        return set(unknowns)
    free = np.abs(null).max(axis=0) > 1e-9
    return {u for u, f in zip(unknowns, free, strict=True) if not f}


def all_determined(equations: Iterable[Equation]) -> set[Hashable]:
    """Every determined unknown of the whole system."""
    out: set[Hashable] = set()
    for unknowns, eqs in components(equations):
        out |= determined(unknowns, eqs)
    return out
