"""Linked counts (issue 12): the same count under several indicators is protected jointly.

The attacks here read only published outputs (the ranking tables of ``dashboard.tables`` and the
``Published`` object). Each is also run against suppression with linking switched off, to show
that it does find the leak the issue describes, so a pass is not a test that cannot fail.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

import dashboard.privacy as privacy
from dashboard.bundle import load_bundle
from dashboard.bundle.config import check_config_ids, parse_config
from dashboard.bundle.problems import ProblemList
from dashboard.counts import CountLinks, count_series, link_counts, pure_counts
from dashboard.model import Bundle, PrivacyRules
from dashboard.publish import HIDDEN_STATUSES, Published, publish
from dashboard.tables import ranking_table
from tests.attack import leaks, raw_counts
from tests.conftest import DEMO_DIR, make_tiny_bundle


@pytest.fixture(scope="module")
def demo() -> Bundle:
    return load_bundle(DEMO_DIR)


@pytest.fixture(scope="module")
def linked(demo: Bundle) -> Published:
    return publish(demo)


def _unlinked_links(indicators: pd.DataFrame, values: pd.DataFrame, sums: object = ()) -> CountLinks:
    """Every series its own count: suppression one indicator at a time, as before issue 12."""
    return CountLinks(group_of={s: f"{s[0]}|{s[1]}" for s in count_series(indicators, values)})


@pytest.fixture(scope="module")
def unlinked(demo: Bundle) -> Iterator[Published]:
    patch = pytest.MonkeyPatch()
    patch.setattr(privacy, "link_counts", _unlinked_links)
    try:
        yield publish(demo)
    finally:
        patch.undo()


def _series_groups(links: CountLinks) -> dict[str, list[tuple[str, str]]]:
    return {g: sorted(m) for g, m in links.members().items() if len(m) > 1}


def issue_recovery(published: Published, groups: dict[str, list[tuple[str, str]]]) -> list[tuple]:
    """The attack of issue 12, from the ranking tables: municipality total minus the published
    areas minus the same count published by a linked indicator; one hidden area left = recovered.
    Returns (indicator, role, area, year, value) for every count it pins."""
    column = {"numerator": "numerator", "denominator": "denominator", "value": "value"}
    found = []
    for members in groups.values():
        for year in published.years:
            tables = {}
            for ind, role in members:
                areas = ranking_table(published, ind, year, "area").set_index("unit_id")
                munis = ranking_table(published, ind, year, "municipality").set_index("unit_id")
                tables[(ind, role)] = (areas, munis)
            for ind, role in members:
                if role == "denominator":
                    continue  # the protected count of a cell is its numerator (or value)
                areas, munis = tables[(ind, role)]
                for muni, rows in areas.groupby("municipality_id"):
                    if muni not in munis.index or munis.loc[muni, "hidden"] or pd.isna(munis.loc[muni, column[role]]):
                        continue
                    present = rows[rows["hidden"] | rows[column[role]].notna()]
                    rest = munis.loc[muni, column[role]] - present.loc[~present["hidden"], column[role]].sum()
                    open_areas = []
                    for area in present.index[present["hidden"]]:
                        elsewhere = [t[0].loc[area, column[r]] for (i, r), t in tables.items()
                                     if (i, r) != (ind, role) and area in t[0].index and not t[0].loc[area, "hidden"]
                                     and pd.notna(t[0].loc[area, column[r]])]
                        if elsewhere:
                            rest -= elsewhere[0]
                        else:
                            open_areas.append(area)
                    if len(open_areas) == 1:
                        found.append((ind, role, open_areas[0], year, int(round(rest))))
    return found


def test_plk001_issue_attack_recovers_nothing_from_the_demo(demo: Bundle, linked: Published,
                                                          unlinked: Published) -> None:
    groups = _series_groups(link_counts(demo.indicators, demo.values, demo.config.privacy.sums))
    truth = raw_counts(demo)
    before = [f for f in issue_recovery(unlinked, groups)
              if truth[(f"{f[0]}|{f[1]}", "area", f[2], f[3])] == f[4]]
    # the example of the issue: 3 single-parent households in Schevenhütte, KJ03 2018
    assert ("KJ03", "numerator", "05334032-09", 2018, 3) in before
    assert issue_recovery(linked, groups) == []


def test_plk002_linear_attacker_finds_no_hidden_count_in_the_demo(demo: Bundle, linked: Published,
                                                                unlinked: Published) -> None:
    assert len(leaks(demo, unlinked)) >= 20  # the attacker works: per-indicator suppression leaks
    assert leaks(demo, linked) == []


def test_plk003_a_count_hidden_anywhere_is_hidden_everywhere_in_the_demo(demo: Bundle, linked: Published) -> None:
    cells = linked.cells[linked.cells["level"] == "area"].set_index(["indicator_id", "unit_id", "year"])
    hidden = cells["status"].isin(HIDDEN_STATUSES)
    for ind, other in (("KJ03", "KJ04"), ("SD04", "BH02"), ("SD04", "GE06"), ("SD03", "KJ05"), ("SO03", "SO05")):
        mine = hidden.loc[ind]
        theirs = hidden.loc[other].reindex(mine.index)
        both = theirs.notna()
        assert (theirs[both & mine] == True).all(), (ind, other)  # noqa: E712 (pandas mask)


def test_plk004_inference_without_keys_finds_the_declared_groups(demo: Bundle) -> None:
    declared = _series_groups(link_counts(demo.indicators, demo.values))
    bare = demo.indicators.drop(columns=["numerator_key", "denominator_key"])
    inferred = link_counts(bare, demo.values)
    assert sorted(_series_groups(inferred).values()) == sorted(declared.values())
    assert len(declared) == 11 and ("BH02", "denominator") in declared["EW_65PLUS"]
    assert len(inferred.inferred) == 11


def test_plk005_declared_sums_resolve_to_counts(demo: Bundle) -> None:
    links = link_counts(demo.indicators, demo.values, demo.config.privacy.sums)
    assert ("EW", ("EW_U18", "EW_18_64", "EW_65PLUS")) in links.sums
    v = demo.values.pivot_table(index=["area_id", "year"], columns="indicator_id", values="denominator")
    n = demo.values.pivot_table(index=["area_id", "year"], columns="indicator_id", values="numerator")
    ew = demo.values[demo.values["indicator_id"] == "SD01"].set_index(["area_id", "year"])["value"]
    assert np.allclose(ew, n["SD03"] + v["SD06"] + n["SD04"])  # the relation holds in the demo


def test_plk006_pure_count_without_sum_is_protected() -> None:
    base = make_tiny_bundle()
    ind = pd.concat([base.indicators, pd.DataFrame([{
        "indicator_id": "KIND", "name": "Kinder in Pflege", "theme": "Sozioökonomie", "unit": "Personen",
        "polarity": 1, "description": "", "source": "", "numerator_label": None, "denominator_label": None,
        "decimals": 0, "aggregation": "none", "scale": np.nan}])], ignore_index=True)
    counts = {"A1": 1.0, "A2": 7.0, "A3": 2.0, "B1": 0.0, "B2": 9.0, "B3": 4.0}
    rows = pd.DataFrame([(a, "KIND", y, v, np.nan, np.nan) for y in (2021, 2022, 2023) for a, v in counts.items()],
                        columns=base.values.columns)
    bundle = Bundle(path=base.path, config=base.config, areas=base.areas, indicators=ind,
                    values=pd.concat([base.values, rows], ignore_index=True))
    assert "KIND" in pure_counts(ind, bundle.values)
    status = publish(bundle).level_cells("area", "KIND", 2022)["status"]
    assert status["A1"] == "primary" and status["A3"] == "primary"  # 1 and 2 are not shown
    assert status["B1"] == "ok" and status["B2"] == "ok"  # 0 and large counts are
    text = ind.assign(unit=np.where(ind["indicator_id"] == "KIND", "%", ind["unit"]))
    assert "KIND" not in pure_counts(text, bundle.values)  # a share is no count


def test_plk007_sums_in_bundle_toml_are_checked() -> None:
    problems = ProblemList()
    config = parse_config({"privacy": {"sums": [
        {"total": "EW", "parts": ["EW_U18", "SD06.denominator", "SD04"]},
        {"total": "EW", "parts": ["EW_U18"]},
        {"total": "EW", "parts": ["NIX", "SD04.zaehler"]},
    ]}}, "t", problems)
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and "mindestens zwei" in str(errors[0]) and "privacy.sums[2]" in str(errors[0])
    assert config.privacy.sums[0] == ("EW", ("EW_U18", "SD06.denominator", "SD04"))
    check_config_ids(config, {"SD04", "SD06"}, problems, frozenset({"EW", "EW_U18"}))
    unknown = [p for p in problems if "unbekannte Zählgröße" in str(p)]
    assert {p.value for p in unknown} == {"NIX", "SD04.zaehler"}


def test_plk008_wrong_key_does_not_merge_different_numbers() -> None:
    base = make_tiny_bundle(PrivacyRules(min_population=0))
    ind = base.indicators.assign(numerator_key=["EW", "EW", None], denominator_key=None)  # SGB2's numerator
    links = link_counts(ind, base.values)  # is declared to be EW although the numbers differ
    assert links.group_of[("SGB2", "numerator")] == links.group_of[("EW", "value")]
    bundle = Bundle(path=base.path, config=base.config, areas=base.areas, indicators=ind, values=base.values)
    cells = publish(bundle).cells
    ew = cells[(cells["indicator_id"] == "EW") & (cells["level"] == "area")]
    assert (ew["status"] == "ok").all()  # EW is never hidden because a different number is small


@pytest.mark.slow
def test_plk009_bounds_do_not_pin_a_hidden_count_in_the_demo(demo: Bundle, linked: Published) -> None:
    """The same attacker with 0 <= count and 1 <= primary <= m - 1 (linear programming, ~40 s)."""
    assert leaks(demo, linked, bounds=True) == []
