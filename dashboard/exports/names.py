"""File names that say what a file holds: ``SGB-II-Quote_2024_Karte.png``."""

from __future__ import annotations

from dashboard.publish import Published
from dashboard.ranking import file_stem
from dashboard.state import ViewState

#: What each exported view is called in its file name.
VIEW_SUFFIXES = {"map": "Karte", "compare": "Vergleichskarte", "series": "Zeitreihe", "ranking": "Rangfolge",
                 "deck": "Foliensatz", "table": "Tabelle"}


def export_name(published: Published, state: ViewState, view: str, fmt: str) -> str:
    """'Anteil-unter-18-Jaehrige_2024_Karte.png'; the compare map names what it compares."""
    stem = file_stem(published, state.indicator, state.year)
    suffix = VIEW_SUFFIXES.get(view, view)
    if view == "compare":
        if state.compare == "indicator" and state.compare_indicator:
            suffix = f"Vergleich_{file_stem(published, state.compare_indicator, state.year)}_Karte"
        elif state.compare == "year" and state.compare_year is not None:
            suffix = f"Vergleich_{state.compare_year}_Karte"
        elif state.compare == "change" and state.compare_year is not None:
            low, high = sorted((state.year, state.compare_year))
            stem = file_stem(published, state.indicator, low) + f"-{high}"
            suffix = "Veraenderung_Karte"
    if state.municipalities and view in ("map", "compare", "ranking", "deck"):
        suffix += "_Kommunenfilter"
    return f"{stem}_{suffix}.{fmt}"
