"""Funding by need: every scoring part and rule, the spread figures and the what-if, against
values computed by hand on a four-area example (see the numbers in each test)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.funding import FundingConfig, Programme, assess, spread, spread_part
from dashboard.funding.assess import need_parts, rule_checks
from dashboard.funding.basis import NeedBasis, area_shares
from dashboard.funding.view import filter_rows, whatif_ids

#: Residents: A1 1.000, A2 3.000 (Kommune M1); A3 2.000, A4 4.000 (M2).
#: Needs: kinder in A1 and A3 (A2 undecided), aeltere in A4 → residents in need M1 1.000, M2 6.000.
BASIS = NeedBasis(
    year=2024,
    area_ids=("A1", "A2", "A3", "A4"),
    area_names={"A1": "Eins", "A2": "Zwei", "A3": "Drei", "A4": "Vier"},
    municipality={"A1": "M1", "A2": "M1", "A3": "M2", "A4": "M2"},
    municipality_names={"M1": "Kommune 1", "M2": "Kommune 2"},
    population={"A1": 1000.0, "A2": 3000.0, "A3": 2000.0, "A4": 4000.0},
    flags={"kinder": frozenset({"A1", "A3"}), "aeltere": frozenset({"A4"})},
    unknown={"kinder": frozenset({"A2"}), "aeltere": frozenset()},
    need_names={"kinder": "Kinderarmut", "aeltere": "Teilhabe Älterer"},
    strength={"A1": 1.0, "A2": 0.7, "A3": 0.3, "A4": 0.0},
    strength_label={"A1": "sehr niedrig", "A2": "niedrig", "A3": "mittel", "A4": "hoch"},
    strength_index="sozialindex",
    strength_name="Sozialindex",
)
CONFIG = FundingConfig(
    programmes={"Sozialraumprojekt": Programme("Sozialraumprojekt", 1000.0, ("titel", "antragsteller")),
                "freiwillige Mittel": Programme("freiwillige Mittel", None, ("titel", "antragsteller", "verband"))},
    period_years=2,
)


def app(app_id, year, areas, fields, programme, requested, status, awarded=0.0, association="", applicant="",
        title="Projekt", row=2):
    return {"application_id": app_id, "title": title, "applicant": applicant or f"Träger {app_id}",
            "association": association, "programme": programme, "target": ", ".join(areas), "areas": tuple(areas),
            "municipality_id": "", "fields": tuple(fields), "requested": float(requested), "year": year,
            "status": status, "awarded": float(awarded), "row": row}


@pytest.fixture()
def applications() -> pd.DataFrame:
    return pd.DataFrame([
        app("P1", 2024, ["A1", "A2"], ["kinder"], "Sozialraumprojekt", 800, "beantragt", association="Caritas",
            applicant="Verein X", row=2),
        app("P2", 2024, ["A4"], ["aeltere"], "freiwillige Mittel", 10000, "bewilligt", 8000, "Diakonie", row=3),
        app("P3", 2023, ["A1"], ["kinder"], "freiwillige Mittel", 6000, "bewilligt", 6000, "Caritas", row=4),
        app("P4", 2024, ["A3"], ["kinder"], "Sozialraumprojekt", 500, "beantragt", applicant="verein x", row=5),
    ])


def row(applications: pd.DataFrame, app_id: str) -> pd.Series:
    return applications.set_index("application_id", drop=False).loc[app_id]


# --------------------------------------------------------------------------- need parts

def test_fit_counts_target_areas_with_need_in_the_addressed_field(applications):
    parts = need_parts(row(applications, "P1"), BASIS, CONFIG)
    assert parts["fit"][0] == pytest.approx(0.5)  # A1 yes, A2 undecided
    assert "1 von 2 Zielräumen" in parts["fit"][1] and "„Kinderarmut“" in parts["fit"][1]
    assert "1 ohne Entscheidung" in parts["fit"][1]


def test_fit_is_zero_when_the_field_is_not_flagged_there():
    other = pd.Series(app("Q", 2024, ["A2", "A4"], ["kinder"], "Sozialraumprojekt", 100, "beantragt"))
    assert need_parts(other, BASIS, CONFIG)["fit"][0] == 0.0


def test_strength_is_the_mean_class_points_of_the_target_areas(applications):
    value, reason = need_parts(row(applications, "P1"), BASIS, CONFIG)["strength"]
    assert value == pytest.approx((1.0 + 0.7) / 2)
    assert "1× sehr niedrig" in reason and "1× niedrig" in reason and "0,85" in reason


def test_reach_is_residents_of_matched_areas_against_full_reach(applications):
    assert need_parts(row(applications, "P1"), BASIS, CONFIG)["reach"][0] == pytest.approx(1000 / 5000)
    assert need_parts(row(applications, "P2"), BASIS, CONFIG)["reach"][0] == pytest.approx(4000 / 5000)
    big = pd.Series(app("Q", 2024, ["A1", "A3", "A4"], ["kinder", "aeltere"], "freiwillige Mittel", 1, "beantragt"))
    value, reason = need_parts(big, BASIS, CONFIG)["reach"]
    assert value == 1.0 and "7.000 Einwohner" in reason  # capped at 1


# --------------------------------------------------------------------------- spread

def test_spread_part_rule():
    assert spread_part(0, 100, 0.2) == 1.0  # nothing received yet
    assert spread_part(10, 0, 0.2) == 1.0  # nothing awarded in the period
    assert spread_part(20, 100, 0.2) == 1.0  # share of funds = share of need
    assert spread_part(40, 100, 0.2) == pytest.approx(0.5)  # twice its share
    assert spread_part(10, 100, 0.0) == 0.0  # funds without any need


def test_spread_figures_by_hand(applications):
    s = spread(applications, BASIS, 2024, CONFIG)
    assert s.approved == {"P2", "P3"} and s.total == 14000
    m = s.municipalities.set_index("municipality_id")
    assert m.at["M1", "amount"] == 6000 and m.at["M2", "amount"] == 8000
    assert m.at["M1", "share_funds"] == pytest.approx(6 / 14)
    assert m.at["M1", "share_need"] == pytest.approx(1 / 7)
    assert m.at["M2", "share_need"] == pytest.approx(6 / 7)
    assert m.at["M1", "per_resident"] == pytest.approx(6.0)
    assert m.at["M2", "per_resident"] == pytest.approx(8000 / 6000)
    a = s.associations.set_index("association")
    assert a.at["Caritas", "amount"] == 6000 and a.at["Diakonie", "amount"] == 8000
    assert a.at["ohne Verband", "amount"] == 0
    # residents in need addressed: Caritas A1 (1.000), Diakonie A4 (4.000), ohne Verband A3 (2.000)
    assert a.at["Caritas", "share_need"] == pytest.approx(1 / 7)
    assert a.at["Diakonie", "share_need"] == pytest.approx(4 / 7)
    assert s.coverage == pytest.approx(5 / 7)  # A1 (P3, kinder) and A4 (P2, aeltere)


def test_period_excludes_older_years(applications):
    one_year = FundingConfig(programmes=CONFIG.programmes, period_years=1)
    assert spread(applications, BASIS, 2024, one_year).total == 8000  # P3 (2023) is outside


def test_split_over_target_areas():
    assert area_shares(("A1", "A2", "A3"), BASIS.municipality) == {"M1": pytest.approx(2 / 3),
                                                                   "M2": pytest.approx(1 / 3)}


def test_whatif_ticks_change_spread_and_coverage(applications):
    ticked = whatif_ids(applications, 2024, CONFIG, ["P1", "P2"])
    assert ticked == {"P1", "P2", "P3"}  # the earlier year of the period stays as decided
    s = spread(applications, BASIS, 2024, CONFIG, ticked)
    m = s.municipalities.set_index("municipality_id")
    assert s.total == 14800 and m.at["M1", "amount"] == 6800  # P1 counts with its requested 800
    assert s.areas.set_index("area_id").at["A2", "awarded"] == 400  # split equally over A1, A2
    assert s.coverage == pytest.approx(5 / 7)
    with_p4 = spread(applications, BASIS, 2024, CONFIG, whatif_ids(applications, 2024, CONFIG, ["P4"]))
    assert with_p4.coverage == pytest.approx(3 / 7)  # P2 unticked: A4 lost, A3 gained → A1 + A3 of 7.000


def test_whatif_is_pure(applications):
    before = applications.copy()
    first = spread(applications, BASIS, 2024, CONFIG, {"P1"})
    second = spread(applications, BASIS, 2024, CONFIG, {"P1"})
    pd.testing.assert_frame_equal(first.municipalities, second.municipalities)
    pd.testing.assert_frame_equal(applications, before)


# --------------------------------------------------------------------------- rules

def test_limit_rule():
    over = pd.Series(app("Q", 2024, ["A1"], ["kinder"], "Sozialraumprojekt", 1200, "beantragt"))
    checks = rule_checks(over, pd.DataFrame([over]), CONFIG)
    assert (False, "Höchstbetrag 1.000 € überschritten (beantragt 1.200 €)") in checks
    ok = pd.Series(app("Q", 2024, ["A1"], ["kinder"], "Sozialraumprojekt", 1000, "beantragt"))
    assert all(passed for passed, _ in rule_checks(ok, pd.DataFrame([ok]), CONFIG))


def test_required_fields_rule():
    missing = pd.Series(app("Q", 2024, ["A1"], ["kinder"], "freiwillige Mittel", 5000, "beantragt"))
    checks = rule_checks(missing, pd.DataFrame([missing]), CONFIG)
    assert (False, "Pflichtangabe fehlt: Wohlfahrtsverband") in checks


def test_one_application_per_applicant_and_year(applications):
    checks = rule_checks(row(applications, "P4"), applications, CONFIG)
    assert any(not ok and "P1" in text for ok, text in checks)  # case-insensitive applicant match
    assert all(ok for ok, _ in rule_checks(row(applications, "P1"), applications, CONFIG))
    relaxed = FundingConfig(programmes=CONFIG.programmes, period_years=2, one_per_applicant=False)
    assert all(ok for ok, _ in rule_checks(row(applications, "P4"), applications, relaxed))


# --------------------------------------------------------------------------- the ranked list

def test_scores_by_hand(applications):
    ranked = assess(applications, BASIS, 2024, CONFIG).set_index("application_id")
    # P1: fit 0,5×35 + strength 0,85×15 + reach 0,2×10 + M1 (1/7 ÷ 6/14 = 1/3)×25 + Caritas (1/3)×15
    assert ranked.at["P1", "fit"] == 17.5 and ranked.at["P1", "strength"] == 12.75 and ranked.at["P1", "reach"] == 2
    assert ranked.at["P1", "spread_municipality"] == pytest.approx(25 / 3, abs=0.01)
    assert ranked.at["P1", "spread_association"] == pytest.approx(5.0, abs=0.01)
    assert ranked.at["P1", "score"] == pytest.approx(45.6, abs=0.05)
    # P2 (approved): its own 8.000 € do not count against it → both spread parts full
    assert ranked.at["P2", "spread_municipality"] == 25 and ranked.at["P2", "spread_association"] == 15
    assert ranked.at["P2", "score"] == pytest.approx(35 + 0 + 8 + 25 + 15)
    assert ranked.at["P4", "score"] == pytest.approx(35 + 4.5 + 4 + 25 + 15)
    assert "P3" not in ranked.index  # another year


def test_rule_breaker_ranks_last_and_order(applications):
    ranked = assess(applications, BASIS, 2024, CONFIG)
    assert list(ranked["application_id"]) == ["P2", "P1", "P4"]  # P4 has the top score but breaks a rule
    assert list(ranked["rank"]) == [1, 2, 3]
    assert list(ranked["eligible"]) == [True, True, False]
    assert ranked.iloc[2]["rules"].startswith("✓ Höchstbetrag") and "✗ weiterer Antrag" in ranked.iloc[2]["rules"]


def test_weights_are_data(applications):
    only_strength = FundingConfig(weights={"strength": 100.0}, programmes=CONFIG.programmes, period_years=2)
    ranked = assess(applications, BASIS, 2024, only_strength)
    assert list(ranked["application_id"][:2]) == ["P1", "P2"]  # strength 0,85 vs 0
    assert ranked.iloc[0]["score"] == pytest.approx(85.0)


def test_filters(applications):
    ranked = assess(applications, BASIS, 2024, CONFIG)
    assert set(filter_rows(ranked, {"programme": ["Sozialraumprojekt"]})["application_id"]) == {"P1", "P4"}
    assert set(filter_rows(ranked, {"field": ["aeltere"]})["application_id"]) == {"P2"}
    assert set(filter_rows(ranked, {"municipality": ["Kommune 1"]})["application_id"]) == {"P1"}
    assert set(filter_rows(ranked, {"association": ["ohne Verband"], "status": ["beantragt"]})
               ["application_id"]) == {"P4"}
    assert len(filter_rows(ranked, {})) == 3


def test_exports_keep_formula_texts_as_text(applications):
    import io

    import openpyxl

    from dashboard.funding.export import export_ranking

    hostile = applications.copy()
    hostile.loc[0, "applicant"] = '=HYPERLINK("http://x","y")'
    ranked = assess(hostile, BASIS, 2024, CONFIG)
    text = export_ranking(ranked, "csv").decode("utf-8")
    assert "'=HYPERLINK" in text
    assert "'=HYPERLINK" in export_ranking(ranked, "csv-de").decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(export_ranking(ranked, "xlsx")))
    cells = [c for row in book["Rangliste"].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == '=HYPERLINK("http://x","y")' for c in cells)  # shown as typed, as text


def test_need_map_codes_and_tooltips():
    from types import SimpleNamespace

    from dashboard.funding.view import need_texts, need_view

    geometry = SimpleNamespace(area_ids=("A1", "A2", "A3", "A4"))
    one = need_view(BASIS, geometry, "kinder")
    assert one.codes == [1, one.k, 1, 0] and one.k == 2  # A2 undecided → "nicht entscheidbar" (hatch)
    assert [e.count for e in one.legend] == [1, 2, 1]
    counts = need_view(BASIS, geometry)
    assert counts.codes == [1, counts.k, 1, 1] and counts.k == 3  # two fields → classes 0, 1, 2
    assert need_texts(BASIS, geometry, "kinder")[1] == "Gestaltungsbedarf „Kinderarmut“: nicht entscheidbar"
    assert need_texts(BASIS, geometry)[3] == "Gestaltungsbedarf: Teilhabe Älterer"
