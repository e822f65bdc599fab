"""The typed catalogue: one kind per indicator, and the default-indicator rule."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.catalogue import Catalogue, indicator_kind
from dashboard.publish import publish
from tests.conftest import make_tiny_bundle


@pytest.mark.parametrize("aggregation, scale, unit, kind", [
    ("sum", 100.0, "%", "share"),
    ("sum", 1000.0, "je 1.000 EW", "rate"),
    ("sum", 100.0, "je 100 EW", "rate"),
    ("sum", None, "Personen", "count"),
    ("mean_weighted", None, "€/m²", "mean"),
    ("none", None, "%", "value"),
    ("none", 100.0, "%", "value"),  # counts given, but the catalogue forbids aggregating them
])
def test_cat001_one_rule_gives_the_kind(aggregation, scale, unit, kind):
    assert indicator_kind(aggregation, scale, unit) == kind


def test_cat002_default_is_configured_or_first_share_never_a_count():
    published = publish(make_tiny_bundle())
    catalogue = published.catalogue
    assert catalogue["EW"].is_count and not catalogue["SGB2"].is_count
    assert catalogue.default_id() == "SGB2"
    assert catalogue.default_id("WFL") == "WFL"
    assert catalogue.default_id("nope") == "SGB2"


def test_cat003_only_counts_left_still_gives_a_default():
    table = pd.DataFrame([{"indicator_id": "A", "name": "A", "theme": "T", "unit": "Personen", "polarity": 0,
                           "decimals": 0, "aggregation": "sum", "scale": None}])
    assert Catalogue(table, ("T",)).default_id() == "A"


def test_cat004_title_and_info_are_german():
    ind = publish(make_tiny_bundle()).catalogue["SGB2"]
    assert ind.title(2024) == "SGB-II-Quote (%) 2024"
    assert ind.info()["direction"] == "Höhere Werte bedeuten mehr Bedarf."
    assert ind.info()["kind"].startswith("Anteil")
