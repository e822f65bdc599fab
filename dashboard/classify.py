"""Class breaks for the choropleth maps (mapclassify) and their German legend labels.

Only published, visible values are classified: hidden (data protection) and missing cells are
NaN and never influence a break. Degenerate inputs (no values, ties, fewer distinct values than
classes) shrink the number of classes instead of raising, because any bundle must render.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.formatting import format_number

MIN_CLASSES = 3
MAX_CLASSES = 7
DEFAULT_CLASSES = 5
DEFAULT_METHOD = "quantiles"

#: method key -> German label, in the order of the control.
METHODS: dict[str, str] = {
    "quantiles": "Quantile",
    "fisher_jenks": "Natürliche Unterbrechungen (Fisher-Jenks)",
    "equal_interval": "Gleiche Intervalle",
    "std_mean": "Standardabweichung",
    "manual": "Manuelle Grenzen",
}

#: Multiples of the standard deviation that cut the classes of the SD method, per class count.
_SD_MULTIPLES: dict[int, tuple[float, ...]] = {
    3: (-1.0, 1.0),
    4: (-1.0, 0.0, 1.0),
    5: (-2.0, -1.0, 1.0, 2.0),
    6: (-2.0, -1.0, 0.0, 1.0, 2.0),
    7: (-3.0, -2.0, -1.0, 1.0, 2.0, 3.0),
}


@dataclass(frozen=True)
class Classification:
    """Upper bounds of the classes (ascending), a German label per class and the class of each value.

    ``classes`` has -1 for values that were NaN (hidden or missing).
    """

    method: str
    bounds: tuple[float, ...]
    labels: tuple[str, ...]
    classes: np.ndarray
    diverging: bool = False
    note: str = ""

    @property
    def k(self) -> int:
        return len(self.bounds)

    def counts(self) -> list[int]:
        """Number of values per class (for the legend)."""
        return [int((self.classes == i).sum()) for i in range(self.k)]


def parse_limits(text: str | None) -> list[float] | None:
    """Parse manual class limits typed the German way: ``"5; 10,5; 1.000"`` -> [5, 10.5, 1000].

    Separators are ``;``, whitespace or ``|``; a comma is the decimal mark and a dot followed by
    three digits a thousands separator. Returns None for empty or invalid input.
    """
    if not text or not text.strip():
        return None
    parts = [p for p in re.split(r"[;|\s]+", text.strip()) if p]
    out: list[float] = []
    for part in parts:
        p = part.replace("−", "-")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", p):
            p = p.replace(".", "")
        p = p.replace(",", ".")
        try:
            value = float(p)
        except ValueError:
            return None
        if not np.isfinite(value):
            return None
        out.append(value)
    limits = sorted(set(out))
    if not limits or len(limits) > MAX_CLASSES - 1:
        return None
    return limits


def _assign(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Class index per value (value <= bound), -1 for NaN; values above the last bound join it."""
    out = np.full(values.shape, -1, dtype=int)
    ok = ~np.isnan(values)
    idx = np.searchsorted(bounds, values[ok], side="left")
    out[ok] = np.minimum(idx, len(bounds) - 1)
    return out


def _range_labels(bounds: np.ndarray, low: float, decimals: int, open_ends: bool) -> tuple[str, ...]:
    """Half-open German labels that say where a boundary value belongs (class = lower < v <= upper):
    '8,1 bis 10,8', 'über 10,8 bis 13,2', …; with open ends 'bis 10,0' … 'über 20,0'."""
    labels = []
    for i, upper in enumerate(bounds):
        lower = low if i == 0 else bounds[i - 1]
        up, lo = format_number(upper, decimals), format_number(lower, decimals)
        if open_ends and i == 0:
            labels.append(f"bis {up}")
        elif open_ends and i == len(bounds) - 1:
            labels.append(f"über {lo}")
        elif lower == upper:
            labels.append(up)
        elif i == 0:
            labels.append(f"{lo} bis {up}")
        else:
            labels.append(f"über {lo} bis {up}")
    return tuple(labels)


#: Fisher-Jenks costs O(k·n²) (mapclassify without numba: ~1.2 s CPU at 1,000 values, minutes at
#: 10,000): above this many values its breaks come from an evenly spaced sample of the sorted
#: values. Deterministic, so every worker and instance draws the same classes for the same view.
JENKS_SAMPLE = 150


def jenks_sample(y: np.ndarray, size: int = JENKS_SAMPLE) -> np.ndarray:
    """``y`` itself when small, else ``size`` order statistics from minimum to maximum."""
    if y.size <= size:
        return y
    ordered = np.sort(y)
    return ordered[np.unique(np.linspace(0, ordered.size - 1, size).round().astype(int))]


def _data_bounds(y: np.ndarray, method: str, k: int) -> np.ndarray:
    # Imported on first use: mapclassify imports scipy.stats and scikit-learn (about 1.5 s), which a
    # start with the prepared cache would otherwise spend before the app answers (app.py warms it).
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "fisher_jenks":
            bins = mapclassify.FisherJenks(jenks_sample(y), k=k).bins
        elif method == "equal_interval":
            bins = mapclassify.EqualInterval(y, k=k).bins
        else:
            bins = mapclassify.Quantiles(y, k=k).bins
    bins = np.unique(np.asarray(bins, dtype=float))
    bins[-1] = max(bins[-1], float(y.max()))
    return bins


#: Classifications computed before, by a digest of their inputs. The prepared cache carries those
#: of every indicator's default view (``Prepared.known_classes``): the first page after a start
#: then neither imports mapclassify (about 1 s with scipy and scikit-learn) nor computes breaks.
#: Only seeded from there, never grown by requests, so its memory is bounded.
_KNOWN: dict[bytes, Classification] = {}
_RECORDING: list[dict[bytes, Classification]] = []


def _inputs_key(arr: np.ndarray, method: str, k: int, decimals: int, limits: list[float] | None) -> bytes:
    digest = hashlib.blake2b(np.ascontiguousarray(arr).tobytes(), digest_size=20)
    digest.update(repr((arr.shape, method, int(k), int(decimals), tuple(map(float, limits or ())))).encode())
    return digest.digest()


@contextlib.contextmanager
def recording_classes() -> Iterator[dict[bytes, Classification]]:
    """Collect every classification computed inside the block (for ``remember_classes`` later)."""
    recorded: dict[bytes, Classification] = {}
    _RECORDING.append(recorded)
    try:
        yield recorded
    finally:
        _RECORDING.remove(recorded)


def remember_classes(known: Mapping[bytes, Classification]) -> None:
    """Seed the memo (results are keyed by their inputs, so any bundle's entries are right for all)."""
    for key, result in known.items():
        result.classes.setflags(write=False)  # unpickled arrays come back writable
        _KNOWN[key] = result


def classify(
    values: pd.Series | np.ndarray,
    method: str = DEFAULT_METHOD,
    k: int = DEFAULT_CLASSES,
    decimals: int = 1,
    limits: list[float] | None = None,
) -> Classification:
    """Classify the visible values; NaN (hidden or missing) stay unclassified (class -1).

    ``manual`` needs ``limits`` (see ``parse_limits``); without valid limits it falls back to
    quantiles and says so in ``note``. The result's ``classes`` array is read-only (it may be shared).
    """
    arr = np.asarray(values, dtype=float)
    key = _inputs_key(arr, method, k, decimals, limits)
    result = _KNOWN.get(key)
    if result is None:
        result = _classify(arr, method, k, decimals, limits)
        result.classes.setflags(write=False)
    for recorded in _RECORDING:  # remembered ones too: a second bundle's cache entry needs them as well
        recorded[key] = result
    return result


def _classify(arr: np.ndarray, method: str, k: int, decimals: int, limits: list[float] | None) -> Classification:
    y = arr[~np.isnan(arr)]
    k = int(min(max(k, MIN_CLASSES), MAX_CLASSES))
    note = ""
    if method not in METHODS:
        method = DEFAULT_METHOD
    if method == "manual" and not limits:
        method, note = DEFAULT_METHOD, "Keine gültigen manuellen Grenzen – Quantile verwendet."
    if y.size == 0:
        return Classification(method, (), (), np.full(arr.shape, -1, dtype=int), method == "std_mean", note)
    distinct = np.unique(y)

    if method == "manual":
        cuts = np.asarray(limits, dtype=float)
        bounds = np.append(cuts, max(float(y.max()), cuts[-1]))
        if bounds[-1] == bounds[-2]:
            bounds = bounds[:-1]
        bounds = np.unique(bounds)
        return Classification(method, tuple(bounds), _range_labels(bounds, float(y.min()), decimals, True),
                              _assign(arr, bounds), False, note)

    if method == "std_mean":
        std = float(y.std())
        if distinct.size < 2 or std == 0:
            bounds = distinct[-1:]
            return Classification(method, tuple(bounds), (format_number(bounds[0], decimals),),
                                  _assign(arr, bounds), True, note)
        cuts = float(y.mean()) + np.asarray(_SD_MULTIPLES[k]) * std
        bounds = np.append(cuts, max(float(y.max()), cuts[-1]))
        return Classification(method, tuple(bounds), _range_labels(bounds, float(y.min()), decimals, True),
                              _assign(arr, bounds), True, note)

    k_eff = min(k, distinct.size)
    if k_eff < k:
        note = f"Nur {distinct.size} verschiedene Werte – {k_eff} Klassen."
    if k_eff <= 1:
        bounds = distinct[-1:]
    else:
        bounds = _data_bounds(y, method, k_eff)
    return Classification(method, tuple(float(b) for b in bounds),
                          _range_labels(bounds, float(y.min()), decimals, False), _assign(arr, bounds), False, note)


def classify_shared(
    first: np.ndarray, second: np.ndarray, method: str = DEFAULT_METHOD, k: int = DEFAULT_CLASSES,
    decimals: int = 1, limits: list[float] | None = None,
) -> tuple[Classification, Classification]:
    """One set of class limits for two maps (year X / year Y): the breaks come from both years'
    values together, so the same colour means the same range on both maps."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    both = classify(np.concatenate([a, b]), method, k, decimals, limits)
    return (replace(both, classes=both.classes[: a.size]), replace(both, classes=both.classes[a.size:]))
