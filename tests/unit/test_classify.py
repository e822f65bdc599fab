"""Classification: every method, degenerate inputs, NaN never classified, German labels."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.classify import METHODS, classify, parse_limits


@pytest.mark.parametrize("method", [m for m in METHODS if m != "manual"])
@pytest.mark.parametrize("k", [3, 5, 7])
def test_cls001_every_method_classifies_all_visible_values(method, k):
    values = np.arange(1.0, 41.0)
    cls = classify(values, method, k)
    assert cls.k >= 1 and len(cls.labels) == cls.k
    assert (cls.classes >= 0).all() and (cls.classes < cls.k).all()
    assert list(cls.bounds) == sorted(cls.bounds)
    assert sum(cls.counts()) == values.size
    # monotonic: a larger value never sits in a lower class
    assert (np.diff(cls.classes) >= 0).all()


@pytest.mark.parametrize("method", list(METHODS))
def test_cls002_nan_is_never_classified(method):
    values = np.array([1.0, np.nan, 3.0, 4.0, np.nan, 10.0])
    cls = classify(values, method, 3, limits=[2.0, 5.0])
    assert list(cls.classes[[1, 4]]) == [-1, -1]
    assert (cls.classes[[0, 2, 3, 5]] >= 0).all()


def test_cls003_hidden_values_do_not_move_breaks():
    base = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    with_nan = np.append(base, [np.nan, np.nan])
    assert classify(base, "quantiles", 3).bounds == classify(with_nan, "quantiles", 3).bounds


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("values", [[], [np.nan, np.nan], [5.0], [5.0, 5.0, 5.0], [1.0, 1.0, 1.0, 2.0]])
def test_cls004_degenerate_inputs_do_not_raise(method, values):
    cls = classify(np.array(values, dtype=float), method, 5, limits=[1.5])
    assert cls.classes.shape == (len(values),)
    if not [v for v in values if not np.isnan(v)]:
        assert cls.k == 0


def test_cls005_ties_reduce_the_number_of_classes_with_a_note():
    cls = classify(np.array([1.0, 1.0, 2.0, 2.0, 3.0]), "fisher_jenks", 5)
    assert cls.k == 3
    assert "3 verschiedene Werte" in cls.note


def test_cls006_labels_are_german():
    cls = classify(np.array([1000.5, 2000.25, 3000.0, 4000.0]), "equal_interval", 3, decimals=1)
    assert cls.labels[0].startswith("1.000,5 bis ")
    assert "," in cls.labels[-1] and "." in cls.labels[-1]


def test_cls007_std_mean_is_diverging_with_open_ends():
    cls = classify(np.arange(100.0), "std_mean", 5)
    assert cls.diverging
    assert cls.labels[0].startswith("bis ") and cls.labels[-1].startswith("über ")
    assert cls.k == 5


def test_cls008_manual_limits_and_fallback():
    cls = classify(np.arange(0.0, 30.0), "manual", 5, limits=[10.0, 20.0])
    assert cls.bounds == (10.0, 20.0, 29.0)
    assert cls.labels == ("bis 10,0", "über 10,0 bis 20,0", "über 20,0")
    fallback = classify(np.arange(0.0, 30.0), "manual", 5, limits=None)
    assert fallback.method == "quantiles" and fallback.note


@pytest.mark.parametrize("text, expected", [
    ("5; 10,5; 20", [5.0, 10.5, 20.0]),
    ("1.000 2.500,5", [1000.0, 2500.5]),
    ("20;10", [10.0, 20.0]),
    ("−1,5 | 3", [-1.5, 3.0]),
    ("", None), ("abc", None), ("1;2;3;4;5;6;7", None), ("nan", None),
])
def test_cls009_parse_german_limits(text, expected):
    assert parse_limits(text) == expected


def test_cls_jenks_is_fast_and_deterministic_on_many_values():
    """10,000 areas: Fisher-Jenks on a sample, the same breaks every time, every value in a class."""
    import time

    from dashboard.classify import JENKS_SAMPLE, classify, jenks_sample

    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(10, 2, 6000), rng.normal(30, 3, 4000)])
    t0 = time.thread_time()
    first = classify(values, "fisher_jenks", 5, 1)
    assert time.thread_time() - t0 < 2.0  # the exact algorithm needs minutes here
    again = classify(values[::-1].copy(), "fisher_jenks", 5, 1)
    assert first.bounds == again.bounds and first.labels == again.labels
    assert (first.classes >= 0).all() and first.bounds[-1] >= values.max()
    # the two groups are told apart: a break lies between them
    assert any(15 < b < 25 for b in first.bounds[:-1])
    sample = jenks_sample(values)
    assert sample.size <= JENKS_SAMPLE and sample.min() == values.min() and sample.max() == values.max()
    small = values[:100]
    assert jenks_sample(small) is small
