"""Loading a data bundle folder into a validated, immutable ``Bundle`` – or a list of problems.

``load_bundle`` is all-or-nothing: it reads every file, collects every problem (errors and
warnings, each naming file, row or feature, column and value), and either returns a complete
``Bundle`` (warnings in ``Bundle.warnings``) or raises one ``BundleError`` carrying all of them.
The file format is documented in ``docs/data-format.md``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from dashboard.bundle.applications import load_applications
from dashboard.bundle.areas import load_areas
from dashboard.bundle.config import CONFIG_FILE, check_config_ids, read_config
from dashboard.bundle.fundingfile import read_funding_config
from dashboard.bundle.indexfile import load_index_files
from dashboard.bundle.indicators import load_indicators
from dashboard.bundle.problems import ProblemList, describe
from dashboard.bundle.values import load_values
from dashboard.model import Bundle
from dashboard.problems import BundleError, Problem

__all__ = ["load_bundle", "BundleError", "Problem", "CONFIG_FILE"]

log = logging.getLogger(__name__)


def load_bundle(path: str | Path) -> Bundle:
    """Read and validate the bundle in folder ``path``.

    Raises ``BundleError`` with every problem found; never returns a partly loaded bundle and
    never lets a reader's exception escape.
    """
    folder = Path(path)
    if not folder.is_dir():
        what = "ist eine Datei, kein Ordner – bitte den Ordner des Datenpakets angeben" if folder.exists() \
            else "Ordner des Datenpakets nicht gefunden"
        raise BundleError([Problem(str(folder), what)])
    problems = ProblemList()
    areas = catalogue = loaded = None
    indices: tuple = ()
    needs: tuple = ()
    applications = funding = None
    try:
        config = read_config(folder, problems)
        areas = load_areas(folder, config, problems)
        catalogue = load_indicators(folder, config, problems)
        if catalogue is not None:
            check_config_ids(config, catalogue.ids, problems, catalogue.keys)
        area_ids = set(areas["area_id"]) if areas is not None else None
        loaded = load_values(folder, config, area_ids, catalogue, problems)
        if loaded is not None:
            years = tuple(sorted(int(y) for y in loaded[0]["year"].unique()))
            indices, needs = load_index_files(folder, loaded[1], years, config, problems)
        if areas is not None:  # optional, internal working data (never published as cells)
            funding = read_funding_config(folder, {s.index_id for s in indices}, problems)
            applications = load_applications(folder, areas, needs, funding, problems)
    except Exception as exc:  # a bug or an unforeseen file: still a message, never a traceback
        log.exception("unexpected error while loading bundle %s", folder)
        problems.error(folder.name, f"Datenpaket kann nicht gelesen werden: {describe(exc)}")
    if problems.has_errors or areas is None or catalogue is None or loaded is None:
        if not problems.has_errors:  # defensive: a reader returned nothing without saying why
            problems.error(folder.name, "Datenpaket unvollständig")
        raise BundleError(problems)
    values, indicators = loaded
    return Bundle(
        path=folder,
        config=config,
        areas=areas,
        indicators=indicators.reset_index(drop=True),
        values=values,
        warnings=tuple(problems),
        indices=indices,
        needs=needs,
        applications=applications,
        funding=funding if applications is not None else None,
    )
