"""The fast paths of the secondary suppression decide exactly as the plain search they replace."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.publish_scaling import _plain_sum_others, plain_search
from dashboard import privacy
from dashboard.bundle import load_bundle
from dashboard.privacy_tree import _sum_others
from dashboard.publish import publish
from tests.conftest import ROOT
from tests.unit.test_privacy_properties import linked_bundles


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.lists(st.floats(0, 1), min_size=0, max_size=7), st.randoms(use_true_random=False))
def test_pfp001_sums_of_all_others_equal_the_k_squared_sums(n, densities, rnd):
    sets = [np.array([rnd.random() < d for _ in range(n + 1)]) for d in densities]
    fast = _sum_others(sets, n)
    plain = _plain_sum_others(sets, n)
    assert len(fast) == len(plain) and all((a == b).all() for a, b in zip(fast, plain, strict=True))


def _statuses(bundle) -> list[str]:  # noqa: ANN001
    return publish(bundle).cells["status"].tolist()


def test_pfp002_the_demo_publishes_the_same_cells_as_with_the_plain_search():
    bundle = load_bundle(ROOT / "geodata" / "staedteregion-aachen")
    calls = []
    real = privacy._LinkedCounts._first_relief

    def counted(self, *args):  # noqa: ANN001, ANN002, ANN202
        calls.append(1)
        return real(self, *args)

    with mock.patch.object(privacy._LinkedCounts, "_first_relief", counted):
        fast = _statuses(bundle)
    assert calls, "the demo no longer reaches the linear fix: this test would prove nothing"
    with plain_search():
        plain = _statuses(bundle)
    assert fast == plain


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_bundles())
def test_pfp003_linked_bundles_publish_the_same_cells_as_with_the_plain_search(bundle):
    fast = _statuses(bundle)
    with plain_search():
        assert _statuses(bundle) == fast
