"""Property-based tests: no hidden count can be pinned down by a brute-force attacker.

The attacker here is deliberately independent of ``dashboard.privacy``: it enumerates integer
assignments of the hidden cells explicitly (no set arithmetic), using only the published cells,
the rules and the statuses, as docs/privacy.md describes the attacker model.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from dashboard.aggregate import REGION_ID
from dashboard.model import Bundle, BundleConfig, PrivacyRules
from dashboard.publish import HIDDEN_STATUSES, publish
from tests.attack import leaks

YEARS = (2020, 2021)
SMALL = [0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 9]

INDICATORS = pd.DataFrame(
    [
        ("Q", "Quote", "Sozioökonomie", "%", 1, "", "", "Fälle", "Basis", 1, "sum", 100.0),
        ("N", "Anzahl", "Sozioökonomie", "Personen", 1, "", "", None, None, 0, "sum", np.nan),
    ],
    columns=["indicator_id", "name", "theme", "unit", "polarity", "description", "source",
             "numerator_label", "denominator_label", "decimals", "aggregation", "scale"],
)


@st.composite
def bundles(draw: st.DrawFn) -> Bundle:
    n_munis = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 6)) for _ in range(n_munis)]
    ids, munis = [], []
    for m, size in enumerate(sizes):
        for a in range(size):
            ids.append(f"G{m}A{a}")
            munis.append(f"G{m}")
    geoms = [box(i, 0, i + 1, 1) for i in range(len(ids))]
    areas = gpd.GeoDataFrame(
        {"area_id": ids, "area_name": ids, "municipality_id": munis,
         "municipality_name": [f"Gemeinde {m}" for m in munis], "area_km2": 1.0},
        geometry=geoms, crs="EPSG:4326",
    )
    rows = []
    for year in YEARS:
        for a in ids:
            den = float(draw(st.sampled_from([50, 200, 280, 400, 900, 1500])))
            if draw(st.integers(0, 9)) == 0:  # missing data for this area-year
                rows.append((a, "Q", year, np.nan, np.nan, np.nan))
            else:
                num = float(draw(st.sampled_from(SMALL)))
                rows.append((a, "Q", year, num / den * 100, num, den))
            rows.append((a, "N", year, float(draw(st.sampled_from(SMALL))), np.nan, np.nan))
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "year", "value", "numerator",
                                         "denominator"])
    rules = PrivacyRules(
        min_count=draw(st.integers(2, 5)),
        min_population=draw(st.sampled_from([0, 0, 300])),
        indicator_min_count={"N": draw(st.integers(2, 5))} if draw(st.booleans()) else {},
    )
    config = BundleConfig(title="T", region="R", attribution="A", privacy=rules)
    return Bundle(path=Path("."), config=config, areas=areas, indicators=INDICATORS, values=values)


def _domain(status: str, m: int, cap: int, is_area: bool) -> range | list[int]:
    """The attacker's knowledge of one hidden number from its status (docs/privacy.md)."""
    if is_area and status == "primary":
        return range(1, m)
    if is_area and status == "secondary":
        return [0, *range(m, cap + 1)]
    return range(0, cap + 1)


def _assignments(domains: list, target: set[int] | None, cap: int):
    """All tuples from the domains whose sum is in target (or <= cap), by explicit search."""
    def rec(i: int, acc: int, prefix: tuple):
        if acc > cap:
            return
        if i == len(domains):
            if target is None or acc in target:
                yield prefix, acc
            return
        for v in domains[i]:
            if acc + v > cap:
                break
            yield from rec(i + 1, acc + v, (*prefix, v))
    yield from rec(0, 0, ())


def _attack(bundle: Bundle, cells: pd.DataFrame, indicator: str, year: int) -> dict[str, set[int]]:
    """Feasible values of every hidden count (areas by area_id, totals by municipality id)."""
    m = bundle.config.privacy.min_count_for(indicator)
    sel = cells[(cells["indicator_id"] == indicator) & (cells["year"] == year)]
    count_col = "numerator" if indicator == "Q" else "value"
    muni_of = dict(zip(bundle.areas["area_id"], bundle.areas["municipality_id"], strict=True))
    raw = bundle.values[(bundle.values["indicator_id"] == indicator) & (bundle.values["year"] == year)]
    cap = int(np.nansum(raw[count_col])) + 2 * m  # any bound above the truth; see the docs
    area = sel[sel["level"] == "area"]
    agg = sel[sel["level"] != "area"].set_index("unit_id")
    region = agg.loc[REGION_ID]
    if region["status"] == "ok":
        cap = int(region[count_col])
    per_muni: dict[str, dict] = {}
    for _, row in area.iterrows():
        if row["status"] == "missing":
            continue  # the attacker sees which areas have no data: they are not in the sums
        g = per_muni.setdefault(muni_of[row["unit_id"]], {"known": 0, "hidden": []})
        if row["status"] == "ok":
            g["known"] += int(row[count_col])
        else:
            g["hidden"].append(row)
    options: dict[str, list[tuple[tuple, int]]] = {}
    for muni, g in per_muni.items():
        doms = [_domain(r["status"], m, cap, True) for r in g["hidden"]]
        total = agg.loc[muni]
        if total["status"] == "ok":
            target = {int(total[count_col]) - g["known"]}
        else:
            target = None
        options[muni] = [(vals, g["known"] + s) for vals, s in _assignments(doms, target, cap)]
    open_munis = [mu for mu in per_muni if agg.loc[mu, "status"] != "ok"]
    closed_sum = sum(int(agg.loc[mu, count_col]) for mu in per_muni if mu not in open_munis)
    totals_ok: dict[str, set[int]] = {mu: set() for mu in open_munis}
    if region["status"] == "ok":
        choices = [sorted({t for _, t in options[mu]}) for mu in open_munis]
        for combo in itertools.product(*choices):
            if closed_sum + sum(combo) == int(region[count_col]):
                for mu, t in zip(open_munis, combo, strict=True):
                    totals_ok[mu].add(t)
    else:
        totals_ok = {mu: {t for _, t in options[mu]} for mu in open_munis}
    feasible: dict[str, set[int]] = {}
    for muni, g in per_muni.items():
        for vals, total in options[muni]:
            if muni in totals_ok:
                if total not in totals_ok[muni]:
                    continue
                if agg.loc[muni, "status"] in HIDDEN_STATUSES:
                    feasible.setdefault(muni, set()).add(total)
            for row, v in zip(g["hidden"], vals, strict=True):
                feasible.setdefault(row["unit_id"], set()).add(v)
        for row in g["hidden"]:
            feasible.setdefault(row["unit_id"], set())
    return feasible


def _only_primaries(sel: pd.DataFrame, bundle: Bundle, muni: str) -> bool:
    members = set(bundle.areas.loc[bundle.areas["municipality_id"] == muni, "area_id"])
    area = sel[(sel["level"] == "area") & sel["unit_id"].isin(members)]
    hidden = area[area["status"].isin(HIDDEN_STATUSES)]
    return bool(len(hidden)) and bool((hidden["status"] == "primary").all())


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles())
def test_prp001_no_hidden_count_is_pinned(bundle: Bundle) -> None:
    pub = publish(bundle)
    cells = pub.cells
    raw = bundle.values.set_index(["area_id", "indicator_id", "year"])
    for indicator in ("Q", "N"):
        m = bundle.config.privacy.min_count_for(indicator)
        for year in YEARS:
            feasible = _attack(bundle, cells, indicator, year)
            sel = cells[(cells["indicator_id"] == indicator) & (cells["year"] == year)]
            for _, row in sel[sel["status"].isin(HIDDEN_STATUSES)].iterrows():
                unit = row["unit_id"]
                if unit not in feasible:
                    continue  # a hidden cell outside every sum (no aggregate links it)
                if row["level"] == "area":
                    col = "numerator" if indicator == "Q" else "value"
                    truth = int(raw.loc[(unit, indicator, year), col])
                    assert truth in feasible[unit], (unit, truth, feasible[unit])
                    if row["status"] == "primary" and m == 2:
                        continue  # documented limit: with min_count 2 "primary" means 1
                elif m == 2 and _only_primaries(sel, bundle, unit):
                    continue  # a total of cells known to be 1 each is known too (same limit)
                assert len(feasible[unit]) >= 2, (indicator, year, unit, row["status"], feasible[unit])


@settings(max_examples=15, deadline=None)
@given(bundles())
def test_prp002_changes_and_hidden_fields(bundle: Bundle) -> None:
    cells = publish(bundle).cells
    hidden = cells["status"].isin(HIDDEN_STATUSES)
    assert cells.loc[hidden, ["value", "numerator", "denominator"]].isna().all().all()
    small = cells["numerator"].between(1, bundle.config.privacy.min_count_for("Q") - 1)
    assert not (small & (cells["indicator_id"] == "Q")).any()
    wide = cells.pivot_table(index=["level", "unit_id", "indicator_id"], columns="year",
                             values="value", dropna=False)
    change = wide[YEARS[1]] - wide[YEARS[0]]
    status = cells.set_index(["level", "unit_id", "indicator_id", "year"])["status"]
    for key, delta in change.items():
        either_hidden = any(status.get((*key, y)) in HIDDEN_STATUSES for y in YEARS)
        if either_hidden:
            assert np.isnan(delta)


# --------------------------------------------------------------------------------------------
# Linked counts: the same count under several indicators, a pure count without "sum", a sum.
# --------------------------------------------------------------------------------------------

LINKED_COLUMNS = ["indicator_id", "name", "theme", "unit", "polarity", "description", "source",
                  "numerator_label", "denominator_label", "decimals", "aggregation", "scale",
                  "numerator_key", "denominator_key"]
#: T = residents (pure count, summed); A = a/T; B = b/a (A's numerator is B's denominator);
#: C = c/T; R = x/r with T = a + r declared; P = a again as a pure count *without* "sum".
LINKED_SERIES = {"A|numerator": "a", "B|denominator": "a", "P|value": "a", "T|value": "d",
                 "A|denominator": "d", "C|denominator": "d", "R|denominator": "r"}


def _linked_indicators(keys: bool) -> pd.DataFrame:
    k = (lambda key: key) if keys else (lambda key: None)
    rows = [
        ("T", "Einwohner", "S", "Personen", 0, "", "", None, None, 0, "sum", np.nan, k("D"), None),
        ("A", "Anteil a", "S", "%", 1, "", "", "a", "d", 1, "sum", 100.0, k("A"), k("D")),
        ("B", "Anteil b an a", "S", "%", 1, "", "", "b", "a", 1, "sum", 100.0, None, k("A")),
        ("C", "Anteil c", "S", "%", 1, "", "", "c", "d", 1, "sum", 100.0, None, k("D")),
        ("R", "Anteil x an r", "S", "%", 1, "", "", "x", "r", 1, "sum", 100.0, None, k("R")),
        ("P", "Anzahl a", "S", "Personen", 1, "", "", None, None, 0, "none", np.nan, k("A"), None),
    ]
    return pd.DataFrame(rows, columns=LINKED_COLUMNS)


@st.composite
def linked_bundles(draw: st.DrawFn) -> Bundle:
    n_munis = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 5)) for _ in range(n_munis)]
    ids = [f"G{m}A{a}" for m, size in enumerate(sizes) for a in range(size)]
    munis = [f"G{m}" for m, size in enumerate(sizes) for _ in range(size)]
    areas = gpd.GeoDataFrame(
        {"area_id": ids, "area_name": ids, "municipality_id": munis,
         "municipality_name": [f"Gemeinde {m}" for m in munis], "area_km2": 1.0},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(ids))], crs="EPSG:4326",
    )
    rows = []
    for year in YEARS:
        for area in ids:
            d = draw(st.sampled_from([60, 250, 400, 900]))
            a = min(draw(st.sampled_from(SMALL + [12, 40])), d)
            b = min(draw(st.sampled_from(SMALL)), a)
            c = min(draw(st.sampled_from(SMALL)), d)
            r = d - a
            x = min(draw(st.sampled_from(SMALL)), r)
            rows.append((area, "T", year, float(d), np.nan, np.nan))
            rows.append((area, "P", year, float(a), np.nan, np.nan))
            for ind, num, den in (("A", a, d), ("B", b, a), ("C", c, d), ("R", x, r)):
                if den > 0:  # as offices deliver it: no cell where the denominator is 0
                    rows.append((area, ind, year, num / den * 100, float(num), float(den)))
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "year", "value", "numerator",
                                         "denominator"])
    keys = draw(st.booleans())
    sums = ((("D" if keys else "T"), ("A.numerator", "R.denominator")),) if draw(st.booleans()) else ()
    # min_count >= 3: with 2 a "primary" status alone says the count is 1 (documented limit, prp001)
    rules = PrivacyRules(min_count=draw(st.integers(3, 4)), min_population=draw(st.sampled_from([0, 300])),
                         population_indicator="T", sums=sums)
    config = BundleConfig(title="T", region="R", attribution="A", privacy=rules)
    return Bundle(path=Path("."), config=config, areas=areas, indicators=_linked_indicators(keys),
                  values=values)


def _truth(bundle: Bundle) -> list[tuple[str, str]]:
    """The pairs of series that are the same count by construction (the attacker may know them)."""
    names = sorted(LINKED_SERIES)
    return [(a, b) for a in names for b in names if a < b and LINKED_SERIES[a] == LINKED_SERIES[b]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_bundles())
def test_prp003_no_linked_count_is_recovered(bundle: Bundle) -> None:
    pub = publish(bundle)
    found = [r for r in leaks(bundle, pub, same=_truth(bundle)) if not r.structural]
    assert not found, found[:3]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_bundles())
def test_prp004_a_count_hidden_anywhere_is_hidden_everywhere(bundle: Bundle) -> None:
    from dashboard.counts import link_counts

    cells = publish(bundle).cells
    area = cells[cells["level"] == "area"].set_index(["indicator_id", "unit_id", "year"])
    m = bundle.config.privacy.min_count
    # Without declared keys a link is seen only in equal numbers with at least one non-zero
    # (docs/privacy.md, "Known limits"): a count that is 0 wherever it meets is not linked.
    group = link_counts(bundle.indicators, bundle.values, bundle.config.privacy.sums).group_of
    linked = {"B": group.get(("B", "denominator")) == group[("A", "numerator")],
              "P": group.get(("P", "value")) == group[("A", "numerator")]}
    for (_, unit, year), row in area[area.index.get_level_values(0) == "A"].iterrows():
        hidden_a = row["status"] in HIDDEN_STATUSES
        for other in ("B", "P"):  # A's numerator is B's denominator and P's value
            if linked[other] and (other, unit, year) in area.index:
                assert (area.loc[(other, unit, year), "status"] in HIDDEN_STATUSES) >= hidden_a
    p = area.loc["P"]
    shown = p[p["status"] == "ok"]["value"]
    assert not shown.between(1, m - 1).any()  # a pure count without "sum" is protected too


def _coincidence_bundle() -> Bundle:
    """prp003's counterexample of 2026-12-02 (random exploration, clean clone): in 2021 the counts x
    of R equal the counts c of C in every area (0, 3, 3), and the one cell where they differ in
    2020 (x = 1 in G0A0) is hidden, so the published numbers alone make them look like one count."""
    ids, munis = ["G0A0", "G0A1", "G1A0"], ["G0", "G0", "G1"]
    areas = gpd.GeoDataFrame(
        {"area_id": ids, "area_name": ids, "municipality_id": munis,
         "municipality_name": [f"Gemeinde {m}" for m in munis], "area_km2": 1.0},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(ids))], crs="EPSG:4326",
    )
    counts = {  # (year, area): (d, a, b, c, x)
        (2020, "G0A0"): (60, 0, 0, 0, 1), (2020, "G0A1"): (60, 0, 0, 0, 0), (2020, "G1A0"): (60, 0, 0, 0, 0),
        (2021, "G0A0"): (60, 1, 0, 0, 0), (2021, "G0A1"): (60, 2, 0, 3, 3), (2021, "G1A0"): (60, 0, 0, 3, 3),
    }
    rows = []
    for (year, area), (d, a, b, c, x) in counts.items():
        rows.append((area, "T", year, float(d), np.nan, np.nan))
        rows.append((area, "P", year, float(a), np.nan, np.nan))
        for ind, num, den in (("A", a, d), ("B", b, a), ("C", c, d), ("R", x, d - a)):
            if den > 0:
                rows.append((area, ind, year, num / den * 100, float(num), float(den)))
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "year", "value", "numerator", "denominator"])
    rules = PrivacyRules(min_count=3, min_population=0, population_indicator="T",
                         sums=(("T", ("A.numerator", "R.denominator")),))
    return Bundle(path=Path("."), config=BundleConfig(title="T", region="R", attribution="A", privacy=rules),
                  areas=areas, indicators=_linked_indicators(False), values=values)


@pytest.mark.xfail(strict=True, reason="known limit: a guessed link that holds by coincidence in the hidden cells "
                                       "(links are inferred per series over all years, not per year)")
def test_prp006_a_coincidental_equality_in_one_year_does_not_reveal_hidden_counts() -> None:
    bundle = _coincidence_bundle()
    found = [r for r in leaks(bundle, publish(bundle), same=_truth(bundle)) if not r.structural]
    assert not found, found[:3]
