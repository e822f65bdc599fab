"""Composite indices as indicators of the atlas (theme "Indizes"), materialised once from published data.

``with_indices(published)`` adds for every declared index an indicator ``index:<id>`` of kind
"index" in the theme "Indizes", with the engine's values as area cells for every year the index
exists. Every atlas path (choices, URL, map, table, series, info panel, downloads, exports) then
works for an index as for an indicator; map and table take its declared classes from
``declared_classes`` instead of the classification controls.

Data protection: the cells are ``compute_index`` results, which read published cells only. An
area the engine withholds (a hidden input, or the population rule) gets a hidden cell (NaN, status
"secondary" or "population"), so every view shows it exactly like a hidden indicator value. No
municipality or region cell is added: an aggregate of an index is no published figure (a
z-standardised index averages 0 over the areas by construction, and a municipality value would
need a rule the bundle does not declare, computed from inputs that may be hidden).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.catalogue import INDEX_AGGREGATION
from dashboard.classify import Classification
from dashboard.formatting import format_number
from dashboard.indices.engine import HIDDEN, OK, PARTIAL, POPULATION, class_ranges, classify, compute_index, index_years
from dashboard.indices.spec import METHOD_NAMES, IndexSpec
from dashboard.links import indices_href
from dashboard.publish import CELL_COLUMNS, STATUS_MISSING, Published

INDEX_THEME = "Indizes"
PREFIX = "index:"
#: ``Classification.method`` of declared index classes (not a choice of the classification control).
DECLARED = "declared"
#: Cell status of an area the engine withholds: a hidden input -> "secondary" (protects another
#: cell, like secondary suppression), the population rule -> "population"; both are hidden statuses.
_CELL_STATUS = {OK: "ok", PARTIAL: "ok", HIDDEN: "secondary", POPULATION: "population"}

DECLARED_NOTE = ("Feste Klassen des Index aus dem Datenpaket (indices.toml); Klassifikation, Klassenzahl und "
                 "Farbpalette gelten für Indizes nicht.")


def atlas_id(index_id: str) -> str:
    """The indicator id of an index in the atlas and its links: ``index:status``."""
    return f"{PREFIX}{index_id}"


def spec_of(published: Published, indicator_id: str) -> IndexSpec | None:
    """The declaration behind an atlas index id (None for a data indicator or an unknown index)."""
    if not indicator_id.startswith(PREFIX):
        return None
    wanted = indicator_id[len(PREFIX):]
    return next((s for s in published.indices if s.index_id == wanted), None)


def index_decimals(spec: IndexSpec) -> int:
    """z-values with two decimals (−1,23), 0–100 scales with one (42,5)."""
    return 2 if spec.method == "zsum" else 1


def declared_classes(spec: IndexSpec, values: np.ndarray, with_ranges: bool = True) -> Classification:
    """The index's own classes for ``values`` (class -1 where NaN); labels say the value range when
    ``with_ranges`` ("mittel (−1,00 … 1,00)"), else only the class name (the table's "Klasse")."""
    values = np.asarray(values, dtype=float)
    numbers = classify(values, spec) - 1
    labels = tuple(f"{label} ({text})" if with_ranges else label
                   for label, text in class_ranges(spec, index_decimals(spec)))
    return Classification(DECLARED, (*spec.thresholds, float("inf")), labels, numbers, False, DECLARED_NOTE)


def mean_note(spec: IndexSpec) -> str:
    """Why the time series and the table show no municipality or region value of an index."""
    if spec.method == "zsum":
        weighted = " (einwohnergewichtet)" if spec.weighting == "population" else ""
        reason = f"ein z-standardisierter Index ist im Mittel der Sozialräume{weighted} per Konstruktion 0"
    elif spec.method == "ranksum":
        reason = "Rangplätze sind im Mittel der Sozialräume per Konstruktion 50"
    else:
        reason = "er wäre aus den veröffentlichten Werten nicht eindeutig bestimmt"
    return f"Indizes haben keinen Wert für Kommune oder Region: {reason}."


def _inputs_text(published: Published, spec: IndexSpec) -> str:
    catalogue = published.catalogue
    parts = []
    for ind_id, sign, weight in zip(spec.indicators, spec.signs, spec.weights, strict=True):
        name = catalogue[ind_id].name if ind_id in catalogue else ind_id
        reversed_text = "" if sign > 0 else "; umgekehrt: niedrigerer Wert = mehr Bedarf"
        parts.append(f"{name} ({ind_id}; Gewicht {format_number(weight, 0 if weight == int(weight) else 1)}"
                     f"{reversed_text})")
    lead = "höherer Wert = mehr Bedarf" + (", wo nicht anders angegeben" if min(spec.signs) < 0 else "")
    return f"{lead}: " + "; ".join(parts)


def _method_text(spec: IndexSpec) -> str:
    parts = [METHOD_NAMES[spec.method]]
    if spec.change:
        parts.append(f"Veränderung jedes Indikators über {spec.change} Jahre")
    if spec.weighting == "population":
        parts.append("Mittelwert und Streuung einwohnergewichtet")
    k = len(spec.indicators)
    if spec.min_indicators < k:
        parts.append(f"berechnet, wenn mindestens {spec.min_indicators} von {k} Indikatoren veröffentlicht sind")
    else:
        parts.append("nur berechnet, wenn alle Indikatoren veröffentlicht sind")
    return "; ".join(parts) + ". Höhere Indexwerte bedeuten mehr Bedarf."


def _classes_text(spec: IndexSpec) -> str:
    if not spec.has_classes:
        return ""
    return " · ".join(f"{label}: {text}" for label, text in class_ranges(spec, index_decimals(spec)))


def _row(published: Published, spec: IndexSpec) -> dict:
    catalogue = published.catalogue
    sources = list(dict.fromkeys(catalogue[i].source for i in spec.indicators if i in catalogue and catalogue[i].source))
    description = spec.description or f"Zusammengesetzter Index aus {len(spec.indicators)} Indikatoren"
    return {
        "indicator_id": atlas_id(spec.index_id), "name": spec.name, "theme": INDEX_THEME, "unit": "", "polarity": 1,
        "description": description,
        "source": "Eigene Berechnung" + (f" aus: {'; '.join(sources)}" if sources else ""),
        "numerator_label": None, "denominator_label": None, "decimals": index_decimals(spec),
        "aggregation": INDEX_AGGREGATION, "scale": np.nan, "numerator_key": None, "denominator_key": None,
        "index_inputs": _inputs_text(published, spec), "index_method": _method_text(spec),
        "index_classes": _classes_text(spec), "index_link": indices_href(),
    }


def _cells(published: Published, spec: IndexSpec) -> pd.DataFrame:
    # Only what compute_index reads: the inputs, the population, and every population-rule cell.
    c = published.cells
    needed = {*spec.indicators, published.config.privacy.population_indicator}
    area_only = replace(published, cells=c[(c["level"] == "area")
                                           & (c["indicator_id"].isin(needed) | (c["status"] == "population"))])
    parts = []
    for year in index_years(published, spec):
        result = compute_index(area_only, spec, year)
        status = result["status"].map(lambda s: _CELL_STATUS.get(s, STATUS_MISSING)).to_numpy()
        value = np.where(status == "ok", result["value"].to_numpy(dtype=float), np.nan)
        parts.append(pd.DataFrame({
            "level": "area", "unit_id": result.index.astype(str), "indicator_id": atlas_id(spec.index_id),
            "year": int(year), "value": value, "numerator": np.nan, "denominator": np.nan, "status": status,
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(CELL_COLUMNS))


def with_indices(published: Published) -> Published:
    """``published`` plus one indicator of kind "index" per declared index (theme "Indizes") and its
    area cells; unchanged when the bundle declares no index."""
    known = set(published.indicators["indicator_id"].astype(str))
    specs = [s for s in published.indices if atlas_id(s.index_id) not in known]
    if not specs:
        return published
    rows = pd.DataFrame([_row(published, s) for s in specs])
    cells = [c for c in (_cells(published, s) for s in specs) if not c.empty]
    all_cells = pd.concat([published.cells, *cells], ignore_index=True)[list(CELL_COLUMNS)] if cells else published.cells
    themes = published.themes if INDEX_THEME in published.themes else (*published.themes, INDEX_THEME)
    indicators = pd.concat([published.indicators, rows], ignore_index=True)
    out = replace(published, indicators=indicators, cells=all_cells, themes=themes)
    out.__dict__.pop("catalogue", None)  # a fresh catalogue for the new indicators (cached_property)
    return out
