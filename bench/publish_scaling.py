"""Publication (aggregation + data protection) by size: the fast search against the plain one.

    .venv/bin/python bench/publish_scaling.py [--sizes 93,1000,10000] [--plain-sizes 93,1000]

The first start of a bundle publishes it before the prepared cache holds it. The secondary
suppression (``dashboard/privacy.py``) has two exact fast paths: the linear fix decides for all
candidate cells at once which one frees a pinned count (``_LinkedCounts._first_relief``), and the
tree search sums "all sets but one" from prefix and suffix sums (``privacy_tree._sum_others``).
"Plain" runs the same code with both replaced by what they replace (try every candidate in turn;
k² sumsets), in the same process, and checks that both publish the same cells. The plain search
is left out above ``--plain-sizes``: at 10,000 areas it ran for more than 45 minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bundle_dir, write_result  # noqa: E402


def _plain_first_relief(self: Any, candidates: list[int], hidden: set, found: set, published: Any,  # noqa: ANN401
                        n_unknown: Any, exact: Any) -> int | None:  # noqa: ANN401
    return next((c for c in candidates if exact(c)), None)


def _plain_sum_others(sets: list, n: int) -> list:
    from dashboard.privacy_tree import _sum_all

    return [_sum_all([s for j, s in enumerate(sets) if j != i], n) for i in range(len(sets))]


@contextlib.contextmanager
def plain_search() -> Iterator[None]:
    """The suppression search without its fast paths: every candidate in turn, k² sumsets."""
    from dashboard import privacy, privacy_tree

    with mock.patch.object(privacy._LinkedCounts, "_first_relief", _plain_first_relief), \
            mock.patch.object(privacy_tree, "_sum_others", _plain_sum_others):
        yield


def _timed_publish(bundle: Any) -> tuple[float, list[str]]:  # noqa: ANN401
    from dashboard.publish import publish

    t0 = time.perf_counter()
    cells = publish(bundle).cells
    return time.perf_counter() - t0, cells["status"].tolist()


def run(sizes: list[str], plain_sizes: set[str]) -> dict[str, Any]:
    from dashboard.bundle import load_bundle

    out: dict[str, Any] = {"sizes": {}}
    for size in sizes:
        bundle = load_bundle(bundle_dir(size))
        fast_s, fast = _timed_publish(bundle)
        row: dict[str, Any] = {"cells": len(fast), "hidden": sum(s not in ("ok", "missing") for s in fast),
                               "fast_s": round(fast_s, 1)}
        if size in plain_sizes:
            with plain_search():
                plain_s, plain = _timed_publish(bundle)
            row.update(plain_s=round(plain_s, 1), same_cells=plain == fast)
        out["sizes"][size] = row
        plain_text = f", plain {row['plain_s']:.1f} s (same cells: {row['same_cells']})" if "plain_s" in row else ""
        print(f"publish {size} areas ({row['cells']:,} cells, {row['hidden']:,} hidden): "  # noqa: T201
              f"fast {fast_s:.1f} s{plain_text}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="93,1000,10000")
    parser.add_argument("--plain-sizes", default="93,1000")
    args = parser.parse_args(argv)
    write_result("publish_scaling", run(args.sizes.split(","), set(args.plain_sizes.split(","))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
