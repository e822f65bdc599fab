"""Build time of the committee's short report (Kurzbericht) on this machine: the summary content,
the PPTX and the PDF, each with the warm renderer (the first map image starts the browser and
is reported separately), as decided and with a what-if selection.

    .venv/bin/python bench/funding_summary.py [--data DIR] [--year 2024] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import DEFAULT_DATA  # noqa: E402
from dashboard.exports.funding_deck import build_funding_deck  # noqa: E402
from dashboard.exports.funding_pdf import build_funding_pdf  # noqa: E402
from dashboard.exports.renderer import renderer  # noqa: E402
from dashboard.funding import cached_evaluation, funding_years  # noqa: E402
from dashboard.funding.summary import summary_for  # noqa: E402
from dashboard.prepared import load_prepared  # noqa: E402


def _fmt(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s (n={len(seconds)})"


def _time(call, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    prepared = load_prepared(args.data)
    published = prepared.published
    years = funding_years(published)
    if not years:
        print(f"{args.data}: keine Anträge")
        return 1
    year = args.year or years[-1]
    ranked = cached_evaluation(published, year).ranked
    ticks = set(ranked.loc[ranked["status"] == "bewilligt", "application_id"]) | set(
        ranked.loc[ranked["status"] == "beantragt", "application_id"][:5])
    engine = renderer()
    started = time.perf_counter()
    build_funding_pdf(summary_for(published, year), prepared.geometry, engine)
    print(f"first PDF (starts the browser): {time.perf_counter() - started:.2f} s")
    print(f"{len(ranked)} applications in {year}")
    for label, chosen in (("as decided", None), ("what-if (+5 ticked)", ticks)):
        summaries = _time(lambda chosen=chosen: summary_for(published, year, {}, chosen), args.runs)
        summary = summary_for(published, year, {}, chosen)
        pptx = _time(lambda s=summary: build_funding_deck(s, prepared.geometry, engine), args.runs)
        pdf = _time(lambda s=summary: build_funding_pdf(s, prepared.geometry, engine), args.runs)
        print(f"{label}: summary {_fmt(summaries)}; PPTX {_fmt(pptx)}; PDF {_fmt(pdf)}")
    engine.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
