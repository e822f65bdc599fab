"""Maps of composite indices and Gestaltungsbedarfe as ``MapView`` objects (no Dash).

An index map is categorical: one colour per declared class (ordered from least to most need),
the legend says the class label and its value range (``class_ranges``). An area without an index
because of data protection (a hidden input or the population rule) gets the data-protection
code, so it looks exactly like a hidden value on an indicator map.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.indices import PROTECTED_STATUSES, IndexSpec, class_ranges
from dashboard.mapview import HIDDEN, MISSING, OUTSIDE, LegendEntry, MapView
from dashboard.palettes import HIDDEN_COLOUR, INDEX_CLASS_COLOURS, NO_DATA_COLOUR, index_class_colours
from dashboard.prepared import Prepared
from dashboard.texts import HIDDEN_TEXT, NO_DATA_TEXT, with_demo_note

NEED_COLOURS = ("#e9ecef", "#c2185b")  # no need / need
OUTSIDE_COLOUR = "#ffffff"
#: The ordered class colours of an index map (shared with the atlas, ``dashboard.mapview``).
CLASS_COLOURS = INDEX_CLASS_COLOURS
class_colours = index_class_colours


def _finish(prepared: Prepared, view_id: str, year: int, codes: np.ndarray, k: int, colours: list[str],
            labels: list[str], values: np.ndarray, title: str, subtitle: str, legend_title: str,
            decimals: int, inside: np.ndarray) -> MapView:
    codes = np.where(inside, codes, k + OUTSIDE)
    hidden_count = int((codes == k + HIDDEN).sum())
    missing_count = int((codes == k + MISSING).sum())
    legend = [LegendEntry(label, colours[i], int((codes == i).sum())) for i, label in enumerate(labels)]
    if missing_count:
        legend.append(LegendEntry(NO_DATA_TEXT, NO_DATA_COLOUR, missing_count, "hatch"))
    if hidden_count:
        legend.append(LegendEntry(f"{prepared.published.symbol} {HIDDEN_TEXT}", HIDDEN_COLOUR, hidden_count, "dots"))
    shown = np.where(codes < k, values, np.nan)
    order = pd.Series(shown).rank(method="min", ascending=False).to_numpy(dtype=float)
    published = prepared.published
    cfg = published.config
    caption = with_demo_note([cfg.attribution], cfg.synthetic)
    return MapView(
        indicator_id=view_id, year=year, codes=[int(c) for c in codes],
        colours=colours + [NO_DATA_COLOUR, HIDDEN_COLOUR, OUTSIDE_COLOUR],
        values=[None if not np.isfinite(v) else round(float(v), 8) for v in shown],
        ranks=[None if not np.isfinite(r) else int(r) for r in order], legend=legend, legend_title=legend_title,
        selected=[], hidden_count=hidden_count, missing_count=missing_count, title=title, subtitle=subtitle,
        caption=caption, short_caption=caption, unit="", decimals=decimals, k=k,
    )


def _inside(prepared: Prepared, municipalities: tuple[str, ...]) -> np.ndarray:
    areas = prepared.published.areas.set_index("area_id").reindex(list(prepared.geometry.area_ids))
    if not municipalities:
        return np.ones(len(areas), dtype=bool)
    return areas["municipality_id"].astype(str).isin(municipalities).to_numpy()


def index_view(prepared: Prepared, spec: IndexSpec, result: pd.DataFrame, year: int,
               municipalities: tuple[str, ...] = ()) -> MapView:
    """The class map of one index (``result`` from ``compute_index`` for ``year``)."""
    result = result.reindex(list(prepared.geometry.area_ids))
    status = result["status"].astype(object).to_numpy()
    protected = np.isin(status, PROTECTED_STATUSES)
    if spec.has_classes:
        k = len(spec.labels)
        ranges = class_ranges(spec, 2 if spec.method == "zsum" else 1)
        labels = [f"{label} ({text})" for label, text in ranges]
        classes = result["class_no"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        codes = np.where(np.isfinite(classes), np.nan_to_num(classes, nan=1) - 1, k + MISSING)
    else:
        k, labels = 1, ["berechnet"]
        codes = np.where(np.isfinite(result["value"].to_numpy(dtype=float)), 0, 1 + MISSING)
    codes = np.where(protected, k + HIDDEN, codes).astype(int)
    colours = class_colours(k)
    subtitle = f"Index {year} · {len(spec.indicators)} Indikatoren · höherer Wert = mehr Bedarf"
    return _finish(prepared, f"index:{spec.index_id}", year, codes, k, colours, labels,
                   result["value"].to_numpy(dtype=float), f"{spec.name} {year}", subtitle,
                   f"{spec.name}: Klasse (Wertebereich)", 2 if spec.method == "zsum" else 1,
                   _inside(prepared, municipalities))


def need_view(prepared: Prepared, name: str, need_id: str, frame: pd.DataFrame, year: int) -> MapView:
    """Map of one Gestaltungsbedarf: flagged, not flagged, unknown (hidden -> symbol, missing -> –)."""
    frame = frame.reindex(list(prepared.geometry.area_ids))
    state = frame["state"].astype(object).to_numpy()
    codes = np.select([state == "yes", state == "no", state == "hidden"], [1, 0, 2 + HIDDEN], 2 + MISSING)
    return _finish(prepared, f"need:{need_id}", year, codes.astype(int), 2, list(NEED_COLOURS),
                   ["kein Bedarf", "Gestaltungsbedarf"], np.where(state == "yes", 1.0, np.nan), f"{name} {year}",
                   "Gestaltungsbedarf nach der Regel des Datenpakets", name, 0,
                   np.ones(len(state), dtype=bool))
