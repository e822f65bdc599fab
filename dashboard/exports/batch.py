"""Batch exports for printed reports: one file per indicator (image, deck or table) into a folder.

Used by ``python -m dashboard export``; every file comes from the same view pipeline as the
app (``ViewState`` from the given query, then indicator and year replaced).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.exports.deck import DEFAULT_DECK, DeckOptions, build_deck
from dashboard.exports.images import IMAGE_FORMATS, ExportError, render_view
from dashboard.exports.renderer import Renderer, renderer
from dashboard.prepared import Prepared
from dashboard.ranking import download
from dashboard.state import ViewState

BATCH_FORMATS = (*IMAGE_FORMATS, "pptx", "xlsx")


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # German notes (no data in that year)
    failed: list[str] = field(default_factory=list)   # German notes (an export that failed)


def state_for(prepared: Prepared, query: str, indicator_id: str, year: int) -> ViewState:
    """The view of ``query`` with ``indicator_id`` and ``year`` (validated like a link)."""
    base = ViewState.from_query(query, prepared.choices).to_dict()
    base.update(indicator=indicator_id, year=year)
    return ViewState.from_dict(base, prepared.choices)


def export_one(prepared: Prepared, state: ViewState, fmt: str, view: str = "map",
               engine: Renderer | None = None, options: DeckOptions = DEFAULT_DECK) -> tuple[bytes, str]:
    """Bytes and file name of one export of ``state`` as ``fmt``."""
    if fmt in IMAGE_FORMATS:
        return render_view(prepared, state, view, fmt, engine=engine or renderer())
    if fmt == "pptx":
        return build_deck(prepared, state, options, engine or renderer())
    if fmt == "xlsx":
        return download(prepared.for_indicator(state.indicator), state, "xlsx")
    raise ExportError(f"Unbekanntes Format „{fmt[:10]}“; möglich sind: {', '.join(BATCH_FORMATS)}.")


#: The ``--chart`` that writes Sozialraumprofile instead of one file per indicator.
PROFILE_CHART = "profile"


def profile_jobs(prepared: Prepared, indicators: Iterable[str], query: str) -> list[tuple[str, str]]:
    """(area, theme) of every profile image ``--chart profile`` writes: each selected area of the
    view, once per theme of the indicators."""
    state = ViewState.from_query(query, prepared.choices)
    profiled = set(prepared.catalogue.indicator_themes)  # the index theme has no profile block
    themes = [t for t in dict.fromkeys(prepared.catalogue[i].theme for i in indicators) if t in profiled]
    return [(area, theme) for area in state.areas for theme in themes]


def run_profiles(prepared: Prepared, jobs: list[tuple[str, str]], year: int, fmt: str, out: Path,
                 step: Callable[[str], None] = lambda _name: None) -> BatchResult:
    """Write the profile image of each (area, theme) into the folder ``out`` (or the file ``out``
    for a single one)."""
    from dashboard.exports.profile_image import render_profile

    result = BatchResult()
    single_file = len(jobs) == 1 and out.suffix.lower() == f".{fmt}"
    if not single_file:
        out.mkdir(parents=True, exist_ok=True)
    for area, theme in jobs:
        try:
            data, file_name = render_profile(prepared, area, fmt, year, theme)
        except ExportError as error:
            result.failed.append(f"{area} ({theme}): {error}")
            step(area)
            continue
        result.written.append(_write(out if single_file else out / file_name, data))
        step(area)
    return result


def _write(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def run_batch(prepared: Prepared, indicators: Iterable[str], year: int, fmt: str, out: Path, query: str = "",
              view: str = "map", options: DeckOptions = DEFAULT_DECK,
              step: Callable[[str], None] = lambda _name: None) -> BatchResult:
    """Write one file per indicator into the folder ``out`` (or to the file ``out`` for a single
    indicator when ``out`` ends with the format's suffix); ``step`` is called after each one.
    ``view="profile"`` writes profile images instead (``profile_jobs``)."""
    ids = list(indicators)
    if view == PROFILE_CHART and fmt in IMAGE_FORMATS:
        return run_profiles(prepared, profile_jobs(prepared, ids, query), year, fmt, out, step)
    result = BatchResult()
    single_file = len(ids) == 1 and out.suffix.lower() == f".{fmt}"
    if not single_file:
        out.mkdir(parents=True, exist_ok=True)
    for ind_id in ids:
        name = prepared.catalogue[ind_id].name
        if year not in prepared.choices.years_of(ind_id):
            result.skipped.append(f"{name} ({ind_id}): keine Daten im Jahr {year}, übersprungen.")
            step(ind_id)
            continue
        try:
            data, file_name = export_one(prepared, state_for(prepared, query, ind_id, year), fmt, view,
                                         options=options)
        except ExportError as error:
            result.failed.append(f"{name} ({ind_id}): {error}")
            step(ind_id)
            continue
        result.written.append(_write(out if single_file else out / file_name, data))
        step(ind_id)
    return result
