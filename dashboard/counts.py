"""Count identity: which numerators, denominators and pure counts are the same population.

Suppression works on *counts*, not on indicators one by one (docs/privacy.md): the number of
residents aged 65+ is SD04's numerator and BH02's denominator, so hiding it in one indicator and
showing it in the other protects nothing. A *series* is one role of one indicator: its
``numerator``, its ``denominator`` or, for a pure count (Einwohner), its ``value``. Series are the
same count when the catalogue gives them the same ``numerator_key``/``denominator_key``, or when
their raw numbers are equal in every area and year where both exist (offices rarely declare keys;
equal numbers are what an attacker would notice). Declared additive relations
(``[privacy.sums]`` in bundle.toml) tie counts together, e.g. EW = EW_U18 + EW_18_64 + EW_65PLUS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.catalogue import kinds_of

Series = tuple[str, str]  # (indicator_id, role), role in ROLES
ROLES = ("numerator", "denominator", "value")

#: Units that name a number of people or things (compared case-insensitively, without dots).
COUNT_UNITS = frozenset({
    "anzahl", "anz", "personen", "person", "pers", "einwohner", "einwohnerinnen und einwohner", "ew",
    "haushalte", "haushalt", "hh", "fälle", "fall", "kinder", "jugendliche", "schüler",
    "schülerinnen und schüler", "wohnungen", "gebäude", "betriebe", "plätze", "bedarfsgemeinschaften",
    "bg", "leistungsberechtigte", "empfänger", "empfängerinnen und empfänger", "familien", "beschäftigte",
    "arbeitslose", "geburten", "sterbefälle", "zuzüge", "fortzüge",
})


def is_count_unit(unit: object) -> bool:
    return isinstance(unit, str) and unit.strip().casefold().replace(".", "") in COUNT_UNITS


def _key_column(indicators: pd.DataFrame, column: str) -> pd.Series:
    if column not in indicators:
        return pd.Series([None] * len(indicators), index=indicators.index, dtype=object)
    keys = indicators[column].astype(object)
    return keys.where(keys.map(lambda k: isinstance(k, str) and k.strip() != ""), None)


def pure_counts(indicators: pd.DataFrame, values: pd.DataFrame) -> set[str]:
    """Indicators whose value is itself a count and is protected like a numerator.

    ``aggregation = sum`` without a scale (the catalogue says so), or whole-number values without
    numerator and denominator and a count-like unit (Personen, Haushalte, Fälle, …): such an
    indicator would otherwise publish its 1s and 2s next to a share whose small numerator is hidden.
    """
    scale = pd.to_numeric(indicators["scale"], errors="coerce")
    declared = {i for i, kind in kinds_of(indicators).items() if kind == "count"}
    candidates = set(indicators.loc[scale.isna() & indicators["unit"].map(is_count_unit), "indicator_id"])
    candidates -= declared
    if not candidates:
        return declared
    rows = values[values["indicator_id"].isin(candidates)]
    val = rows["value"].to_numpy(dtype=float)
    counted = rows["numerator"].notna().to_numpy() | rows["denominator"].notna().to_numpy()
    bad = (~np.isnan(val) & ((val != np.round(val)) | (val < 0))) | counted
    spoiled = set(rows.loc[bad, "indicator_id"])
    present = set(rows.loc[~np.isnan(val), "indicator_id"])
    return declared | (present - spoiled)


def ratio_indicators(indicators: pd.DataFrame) -> set[str]:
    """Indicators aggregated as a ratio of summed numerators and denominators."""
    return {i for i, kind in kinds_of(indicators).items() if kind in ("share", "rate")}


def parse_term(term: str, indicator_ids: set[str], keys: set[str]) -> Series | str | None:
    """A term of ``[privacy.sums]``: a declared key, ``ID`` (its numerator or value), ``ID.numerator``
    or ``ID.denominator``. Returns the key, the series, or None when it names nothing."""
    term = term.strip()
    if term in keys:
        return term
    base, _, role = term.partition(".")
    if base in indicator_ids and role in ("", "numerator", "denominator"):
        return (base, role or "protected")
    return None


@dataclass(frozen=True)
class CountLinks:
    """Which series are the same count, and which sums of counts the office declared."""

    group_of: Mapping[Series, str]
    inferred: tuple[tuple[str, tuple[Series, ...]], ...] = ()  # groups found by equal numbers
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (total group, part groups)
    declared: Mapping[str, tuple[Series, ...]] = field(default_factory=dict)

    def members(self) -> dict[str, list[Series]]:
        out: dict[str, list[Series]] = {}
        for series, group in self.group_of.items():
            out.setdefault(group, []).append(series)
        return out


class _UnionFind:
    def __init__(self, items: Iterable[Series]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: Series) -> Series:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Series, b: Series) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def count_grid(indicators: pd.DataFrame, values: pd.DataFrame) -> tuple[list[Series], np.ndarray]:
    """Every count series as one row of a (series x (area, year)) matrix; NaN where absent."""
    counts = pure_counts(indicators, values)
    ratios = ratio_indicators(indicators)
    cell = pd.MultiIndex.from_arrays([values["area_id"], values["year"]]).factorize()[0]
    n_cells = int(cell.max()) + 1 if len(cell) else 0
    ind_codes, ind_names = pd.factorize(values["indicator_id"])
    names: list[Series] = []
    rows: list[np.ndarray] = []
    for code, indicator_id in sorted(enumerate(ind_names), key=lambda t: str(t[1])):
        roles = ("numerator", "denominator") if indicator_id in ratios else ("value",) if indicator_id in counts else ()
        sel = ind_codes == code
        for role in roles:
            row = np.full(n_cells, np.nan)
            row[cell[sel]] = values[role].to_numpy(dtype=float)[sel]
            if not np.isnan(row).all():
                names.append((str(indicator_id), role))
                rows.append(row)
    return names, np.array(rows).reshape(len(rows), n_cells)


def count_series(indicators: pd.DataFrame, values: pd.DataFrame) -> list[Series]:
    """The count series of a bundle: (indicator, role) for shares' numerators and denominators and
    for pure counts' values."""
    return count_grid(indicators, values)[0]


def link_counts(
    indicators: pd.DataFrame, values: pd.DataFrame, sums: Iterable[tuple[str, tuple[str, ...]]] = (),
) -> CountLinks:
    """Group the count series of a bundle into counts (declared keys, then equal numbers).

    ``values`` holds the raw area cells (``area_id, indicator_id, year, value, numerator,
    denominator``). Equality needs at least one common non-zero number, so series that are all 0
    where they meet are not called the same count.
    """
    names, grid = count_grid(indicators, values)
    uf = _UnionFind(names)
    meta = indicators.set_index("indicator_id")
    num_key, den_key = _key_column(meta, "numerator_key"), _key_column(meta, "denominator_key")
    declared: dict[str, list[Series]] = {}
    for ind, role in names:
        key = (den_key if role == "denominator" else num_key).get(ind)
        if key:
            declared.setdefault(key.strip(), []).append((ind, role))
    for members in declared.values():
        for other in members[1:]:
            uf.union(members[0], other)

    before = {s: uf.find(s) for s in names}
    if len(names) > 1:
        present = ~np.isnan(grid)
        filled = np.where(present, grid, 0.0)
        for i in range(len(names) - 1):
            rest = slice(i + 1, None)
            both = present[i] & present[rest]
            equal = (filled[i] == filled[rest]) | ~both
            nonzero = (both & (filled[i] != 0)).any(axis=1)
            for j in np.flatnonzero(equal.all(axis=1) & nonzero):
                uf.union(names[i], names[i + 1 + j])

    groups: dict[Series, list[Series]] = {}
    for s in names:
        groups.setdefault(uf.find(s), []).append(s)
    key_of_root = {uf.find(m[0]): k for k, m in sorted(declared.items())}
    group_of: dict[Series, str] = {}
    inferred = []
    for root, members in groups.items():
        name = key_of_root.get(root) or f"{root[0]}.{root[1]}"
        for s in members:
            group_of[s] = name
        if len({before[s] for s in members}) > 1:
            inferred.append((name, tuple(members)))
    links = CountLinks(group_of=group_of, inferred=tuple(sorted(inferred)),
                       declared={k: tuple(v) for k, v in declared.items()})
    return CountLinks(group_of=group_of, inferred=links.inferred, declared=links.declared,
                      sums=_resolve_sums(sums, links, set(meta.index)))


def _resolve_sums(sums: Iterable[tuple[str, tuple[str, ...]]], links: CountLinks,
                  indicator_ids: set[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Declared sums as count groups; terms that name no count series are left out (``check`` warns)."""
    def group(term: str) -> str | None:
        parsed = parse_term(term, indicator_ids, set(links.declared))
        if isinstance(parsed, str):
            return links.group_of.get(links.declared[parsed][0]) if links.declared.get(parsed) else None
        if parsed is None:
            return None
        ind, role = parsed
        for r in ((role,) if role != "protected" else ("numerator", "value")):
            if (ind, r) in links.group_of:
                return links.group_of[(ind, r)]
        return None

    out = []
    for total, parts in sums:
        groups = [group(total), *(group(p) for p in parts)]
        if all(groups) and len(groups) > 2:
            out.append((str(groups[0]), tuple(str(g) for g in groups[1:])))
    return tuple(out)


def describe_links(links: CountLinks) -> list[str]:
    """German lines for ``check``: which series are protected as one count, and the declared sums."""
    def label(s: Series) -> str:
        return {"numerator": f"Zähler {s[0]}", "denominator": f"Nenner {s[0]}", "value": f"Wert {s[0]}"}[s[1]]

    groups = sorted((g, ms) for g, ms in links.members().items() if len(ms) > 1)
    by_numbers = {name for name, _ in links.inferred}
    lines = [f"Gemeinsam geschützte Anzahlen: {len(groups)} Gruppe(n) "
             f"({len(by_numbers)} an gleichen Zahlen erkannt, {len(groups) - len(by_numbers)} über Schlüssel im Katalog)"]
    for name, members in groups:
        how = "gleiche Zahlen" if name in by_numbers else "Schlüssel"
        lines.append(f"  {name} ({how}): " + " = ".join(label(s) for s in sorted(members)))
    for total, parts in links.sums:
        lines.append(f"  Summe: {total} = " + " + ".join(parts))
    return lines
