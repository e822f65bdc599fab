"""What one map shows for a ``ViewState``, independent of the engine that draws it.

``map_view`` answers with per-area class codes, colours, values and ranks, a legend and titles;
the Leaflet map on screen and the vector map in exports both draw from it. Nothing here carries a
hidden number: hidden areas have the code ``HIDDEN`` and a NaN value.

Rules kept here, so every output follows them:
- a count is never a choropleth of absolute numbers: it is drawn as density per km²;
- year comparison classifies both years with one set of limits;
- the change map (Y − X) and indicators whose values straddle zero use a diverging palette
  centred on zero;
- a selection never changes a colour (it is an outline, drawn by the engine);
- a composite index (kind "index") is drawn in its declared classes with categorical colours; the
  classification controls do not apply to it (its change map Y − X is classified like any change).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from dashboard.catalogue import Indicator
from dashboard.classify import METHODS, Classification, classify, classify_shared, parse_limits
from dashboard.formatting import format_number
from dashboard.indices.atlas import DECLARED, declared_classes, spec_of
from dashboard.indices.spec import IndexSpec
from dashboard.matrices import AreaMatrix, area_matrix
from dashboard.palettes import DIVERGING, HIDDEN_COLOUR, NO_DATA_COLOUR, class_colours, index_class_colours
from dashboard.publish import Published
from dashboard.state import ViewState
from dashboard.tables import difference_unit, need_ranks
from dashboard.texts import HIDDEN_TEXT, NO_DATA_TEXT, OUTSIDE_TEXT, caption_text, short_caption

OUTSIDE_COLOUR = "#ffffff"
#: Class codes beyond the k data classes: ``k + MISSING`` etc. (see ``MapView.codes``).
MISSING, HIDDEN, OUTSIDE = 0, 1, 2


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: swatch colour, pattern ('' solid, 'hatch' no data, 'dots' hidden), label, count."""

    label: str
    colour: str
    count: int
    pattern: str = ""


@dataclass(frozen=True)
class MapView:
    """One map's content in the geometry's area order; no hidden number anywhere.

    ``codes`` holds the class index 0..k-1, then ``k + MISSING``, ``k + HIDDEN``, ``k + OUTSIDE``;
    ``colours`` has one colour per code. ``values`` are the drawn values rounded to the shown
    decimals (NaN where hidden, missing or outside), ``ranks`` the need ranks (NaN unranked).
    """

    indicator_id: str
    year: int
    codes: list[int]
    colours: list[str]
    values: list[float | None]
    ranks: list[int | None]
    legend: list[LegendEntry]
    legend_title: str
    selected: list[str]
    hidden_count: int
    missing_count: int
    title: str
    subtitle: str
    caption: str
    short_caption: str
    unit: str
    decimals: int
    note: str = ""
    k: int = 0
    density: bool = False
    diverging: bool = False
    extra: dict = field(default_factory=dict)
    #: The polarity ``ranks`` follow (``need_ranks``): -1 ranks the lowest value first, else the highest.
    rank_polarity: int = 1

    def status_of(self, i: int) -> str:
        """'class' | 'missing' | 'hidden' | 'outside' for area ``i``."""
        code = self.codes[i]
        if code < self.k:
            return "class"
        return ("missing", "hidden", "outside")[code - self.k]


@dataclass(frozen=True)
class _Layer:
    """Values of one map before classification."""

    indicator: Indicator
    year: int
    values: np.ndarray
    hidden: np.ndarray
    label: str
    unit: str
    decimals: int
    density: bool = False
    change: bool = False
    #: the declaration of a composite index with classes (None: classify with the controls)
    spec: IndexSpec | None = None


def _limits(state: ViewState) -> list[float] | None:
    return parse_limits(state.limits) if state.method == "manual" else None


def _year_values(matrix: AreaMatrix, year: int) -> tuple[np.ndarray, np.ndarray]:
    col = matrix.column(year)
    n = matrix.values.shape[0]
    if col < 0:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    return matrix.values[:, col].copy(), matrix.hidden[:, col].copy()


def _layer(published: Published, matrix: AreaMatrix, year: int, area_km2: np.ndarray) -> _Layer:
    ind = published.catalogue[matrix.indicator_id]
    values, hidden = _year_values(matrix, year)
    if ind.is_count:
        with np.errstate(divide="ignore", invalid="ignore"):
            dens = np.where(area_km2 > 0, values / area_km2, np.nan)
        unit = f"{ind.unit} je km²" if ind.unit else "je km²"
        finite = dens[np.isfinite(dens)]
        decimals = 0 if finite.size and float(np.median(finite)) >= 100 else 1  # 2.327, not 2.326,7
        return _Layer(ind, year, dens, hidden, f"{ind.name} je km²", unit, decimals, density=True)
    spec = spec_of(published, ind.id) if ind.is_index else None
    return _Layer(ind, year, values, hidden, ind.name, ind.unit, ind.decimals,
                  spec=spec if spec is not None and spec.has_classes else None)


def _change_layer(published: Published, matrix: AreaMatrix, x: int, y: int, area_km2: np.ndarray) -> _Layer:
    """Y − X from published values only (either hidden -> hidden)."""
    a, b = _layer(published, matrix, x, area_km2), _layer(published, matrix, y, area_km2)
    unit = difference_unit(a.unit)
    return _Layer(a.indicator, y, b.values - a.values, a.hidden | b.hidden, f"Veränderung {a.label} {x}–{y}",
                  unit, a.decimals, density=a.density, change=True)


def _straddles_zero(values: np.ndarray) -> bool:
    y = values[~np.isnan(values)]
    return y.size > 0 and float(y.min()) < 0 < float(y.max())


def _centred(cls: Classification, values: np.ndarray, decimals: int) -> Classification:
    """Force a class limit at zero so the diverging palette's sides mean below/above zero."""
    if not cls.bounds or 0.0 in cls.bounds:
        return cls
    cuts = sorted(set([b for b in cls.bounds[:-1]] + [0.0]))
    cuts = [c for c in cuts if c < cls.bounds[-1]]
    centred = classify(values, "manual", len(cuts) + 1, decimals, cuts)
    return replace(centred, method=cls.method, note=(cls.note + " " if cls.note else "") + "Null ist Klassengrenze.")


def _diverging_colours(cls: Classification) -> list[str]:
    """Orange below zero, purple above, darker further from zero; a class around zero is neutral."""
    anchors = DIVERGING.anchors
    lows = [i for i, b in enumerate(cls.bounds) if b <= 0]
    highs = [i for i in range(cls.k) if i not in lows]
    colours = [""] * cls.k
    for rank, i in enumerate(reversed(lows)):  # nearest zero first
        colours[i] = anchors[max(0, 3 - rank)] if len(lows) <= 4 else anchors[max(0, 3 - rank * 4 // len(lows))]
    for rank, i in enumerate(highs):
        colours[i] = anchors[min(8, 5 + rank)] if len(highs) <= 4 else anchors[min(8, 5 + rank * 4 // len(highs))]
    return colours


def _classified(state: ViewState, layers: list[_Layer], inside: np.ndarray) -> list[Classification]:
    shown = [np.where(inside, layer.values, np.nan) for layer in layers]
    decimals = layers[0].decimals
    spec = layers[0].spec
    if spec is not None:  # an index: its own classes, whatever the controls say
        return [declared_classes(spec, values) for values in shown]
    if len(layers) == 2:
        a, b = classify_shared(shown[0], shown[1], state.method, state.classes, decimals, _limits(state))
        out = [a, b]
    else:
        out = [classify(shown[0], state.method, state.classes, decimals, _limits(state))]
    diverging = (layers[0].change or _straddles_zero(np.concatenate(shown))) and state.method != "manual"
    if diverging and state.method != "std_mean":
        both = np.concatenate(shown)
        centred = _centred(classify(both, state.method, state.classes, decimals), both, decimals)
        size = shown[0].size
        out = [Classification(c.method if c.method == "manual" else centred.method, centred.bounds, centred.labels,
                              centred.classes[i * size:(i + 1) * size], True, centred.note)
               for i, c in enumerate(out)]
    return out


def _build(published: Published, area_ids: tuple[str, ...], state: ViewState, layer: _Layer,
           cls: Classification, inside: np.ndarray, municipality_filter: bool, compare_title: str = "") -> MapView:
    ind = layer.indicator
    k = cls.k
    declared = cls.method == DECLARED
    if declared:
        colours = index_class_colours(k)
    elif cls.diverging and cls.method != "std_mean":
        colours = _diverging_colours(cls)
    else:
        colours = class_colours(k, state.palette, ind.polarity, cls.diverging)
    colours = colours + [NO_DATA_COLOUR, HIDDEN_COLOUR, OUTSIDE_COLOUR]
    values, hidden = layer.values, layer.hidden
    shown = np.where(inside, values, np.nan)
    rank_polarity = -1 if not layer.change and ind.polarity == -1 else 1
    ranks = need_ranks(shown, rank_polarity)
    codes = np.where(~inside, k + OUTSIDE, np.where(hidden, k + HIDDEN, np.where(np.isnan(values), k + MISSING,
                                                                                  cls.classes)))
    # Float noise rounded away (as in the table rows); the browser formats to the shown decimals.
    rounded = [None if not ins or v != v else round(v, 8)  # v != v: NaN; plain floats: 3× faster at 10,000
               for v, ins in zip(values.tolist(), inside.tolist(), strict=True)]
    counts = cls.counts()
    legend = [LegendEntry(label, colours[i], counts[i]) for i, label in enumerate(cls.labels)]
    hidden_count = int((hidden & inside).sum())
    missing_count = int((np.isnan(values) & ~hidden & inside).sum())
    if missing_count:
        legend.append(LegendEntry(NO_DATA_TEXT, NO_DATA_COLOUR, missing_count, "hatch"))
    if hidden_count:
        legend.append(LegendEntry(f"{published.symbol} {HIDDEN_TEXT}", HIDDEN_COLOUR, hidden_count, "dots"))
    method = METHODS.get(cls.method, cls.method)
    filter_note = " · Kommunenfilter aktiv" if municipality_filter else ""
    if layer.change:
        title = f"{ind.name}: Veränderung {compare_title}"
    elif layer.density:
        title = f"{ind.name} je km² {layer.year}"
    else:
        title = ind.title(layer.year)
    subtitle = (f"Klassen des Index ({k}) · höherer Wert = mehr Bedarf{filter_note}" if declared
                else f"Klassifikation: {method}, {k} Klassen{filter_note}")
    if state.compare == "year" and not layer.change and not declared:
        subtitle += " · gleiche Klassengrenzen in beiden Jahren"
    if layer.density:
        subtitle += " · Anzahl je km² (Anzahlen werden nicht als Flächenfarbe gezeigt)"
    unit = layer.unit
    if layer.change:
        legend_title = f"Veränderung ({unit})" if unit else "Veränderung"
    elif layer.density:
        legend_title = layer.label  # 'Einwohner je km²' says its unit
    elif declared:
        legend_title = f"{layer.label}: Klasse (Wertebereich)"
    else:
        legend_title = f"{layer.label} ({unit})" if unit else layer.label
    return MapView(
        indicator_id=ind.id, year=layer.year, codes=[int(c) for c in codes.tolist()], colours=colours, values=rounded,
        ranks=[None if r != r else int(r) for r in np.asarray(ranks, dtype=float).tolist()], legend=legend,
        legend_title=legend_title, selected=[a for a in state.areas if a in set(area_ids)],
        hidden_count=hidden_count, missing_count=missing_count, title=title, subtitle=subtitle,
        caption=caption_text(published, ind.id), short_caption=short_caption(published, ind.id),
        unit=unit, decimals=layer.decimals, note=cls.note, k=k, density=layer.density,
        diverging=bool(cls.diverging), rank_polarity=rank_polarity,
    )


def _inside(matrix: AreaMatrix, state: ViewState) -> np.ndarray:
    if not state.municipalities:
        return np.ones(matrix.values.shape[0], dtype=bool)
    return np.isin(matrix.municipality, list(state.municipalities))


def map_views(published: Published, area_ids: tuple[str, ...], state: ViewState, area_km2: np.ndarray,
              matrices: dict[str, AreaMatrix] | None = None) -> tuple[MapView, MapView | None]:
    """The main map and, in compare mode, the second map (indicator B, year Y, or the change Y − X)."""
    matrices = matrices or {}

    def matrix(indicator_id: str) -> AreaMatrix:
        return matrices.get(indicator_id) or area_matrix(published, indicator_id, area_ids)

    main_matrix = matrix(state.indicator)
    inside = _inside(main_matrix, state)
    main = _layer(published, main_matrix, state.year, area_km2)
    filtered = bool(state.municipalities)
    if state.compare == "year" and state.compare_year is not None:
        second = _layer(published, main_matrix, state.compare_year, area_km2)
        a, b = _classified(state, [main, second], inside)
        return (_build(published, area_ids, state, main, a, inside, filtered),
                _build(published, area_ids, state, second, b, inside, filtered))
    if state.compare == "change" and state.compare_year is not None:
        x, y = sorted((state.year, state.compare_year))
        change = _change_layer(published, main_matrix, x, y, area_km2)
        (a,) = _classified(state, [main], inside)
        (c,) = _classified(replace_method(state), [change], inside)
        return (_build(published, area_ids, state, main, a, inside, filtered),
                _build(published, area_ids, state, change, c, inside, filtered, f"{x}–{y}"))
    (a,) = _classified(state, [main], inside)
    first = _build(published, area_ids, state, main, a, inside, filtered)
    if state.compare == "indicator" and state.compare_indicator:
        other = _layer(published, matrix(state.compare_indicator), state.year, area_km2)
        (b,) = _classified(state, [other], inside)
        return first, _build(published, area_ids, state, other, b, inside, filtered)
    return first, None


def replace_method(state: ViewState) -> ViewState:
    """The change map ignores manual limits of the level map (they are in other units)."""
    return replace(state, method="quantiles", limits="") if state.method == "manual" else state


def map_view(published: Published, area_ids: tuple[str, ...], state: ViewState, area_km2: np.ndarray,
             matrices: dict[str, AreaMatrix] | None = None) -> MapView:
    """The main map of a view."""
    return map_views(published, area_ids, state, area_km2, matrices)[0]


def hover_text(published: Published, view: MapView, i: int, name: str, municipality: str) -> str:
    """The hover/tooltip text of one area in plain text lines (the same words on every engine)."""
    status = view.status_of(i)
    lines = [name, municipality]
    if status == "outside":
        lines.append(OUTSIDE_TEXT)
    elif status == "hidden":
        lines.append(f"{published.symbol} {HIDDEN_TEXT}")
    elif status == "missing":
        lines.append(NO_DATA_TEXT)
    else:
        value = view.values[i]
        unit = f" {view.unit}" if view.unit else ""
        lines.append(f"{format_number(value, view.decimals)}{unit}")
        if view.ranks[i] is not None:
            ranked = sum(r is not None for r in view.ranks)
            lines.append(f"Rang {view.ranks[i]} von {ranked}")
    return "\n".join(lines)
