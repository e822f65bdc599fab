"""End to end on the demo bundle: no hidden raw value reaches the browser, a download or the CLI.

Issue 4, "Tests" (second and third bullet) and "What must hold" 4–5.

*Secrets*: for every hidden cell (status in ``HIDDEN_STATUSES``) its raw value, numerator and
denominator, read from the raw ``Bundle`` (areas) or recomputed from it as ratio of sums / sum /
population-weighted mean (municipality and region totals, cross-checked against
``aggregate_cells``).

*Browser*: the real app runs behind Flask's test client. The page, ``/_dash-layout`` and
``/_dash-dependencies`` are fetched; then a scripted session posts to ``/_dash-update-component``
exactly what the dash-renderer posts (payloads built from ``/_dash-dependencies``, current prop
values kept like the renderer's store, dependent callbacks fired in cascade): every indicator in
three years (including the year with the most hidden cells), selections of hidden areas (map click,
table click, area dropdown), municipality filters (including municipalities whose total is hidden),
both compare modes, and both table downloads. Every response body is kept and checked:

* per cell position (map ``hideout`` codes, values and ranks aligned with the GeoJSON, table rows by
  ``unit_id``, series points by year, download rows by ID): a hidden cell carries the symbol or
  null and no number, in none of the formats the app uses;
* globally: no raw hidden number with ≥ 3 significant digits appears anywhere (JSON numbers and
  numbers inside texts), unless that exact number is also a published value (a coincidence);
* no status reason ("primary", "secondary", "population", "total") appears as a value;
* the hidden-count note, legend entry and markers match ``Published.hidden_counts``.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dashboard.aggregate import REGION_ID, aggregate_cells, area_population
from dashboard.charts.series_chart import expand_series
from dashboard.formatting import NO_DATA, format_count, format_number
from dashboard.model import Bundle
from dashboard.prepared import prepare
from dashboard.publish import HIDDEN_STATUSES, Published, publish
from dashboard.ranking import expand_reference
from dashboard.texts import HIDDEN_TEXT
from layouts import ids
from tests.app.grid import grid_rows
from tests.conftest import DEMO_DIR
from tests.csv_de import split_csv_de

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (DEMO_DIR / "bundle.toml").exists(), reason="demo bundle missing")]

SKIP_KEYS = frozenset({"geojson", "lon", "lat", "center", "coordinates", "bounds", "municipalities", "region",
                       "padding"})  # geometry and map boxes, not data
STATUS_WORDS = re.compile(r"\b(primary|secondary|population|total|primär|sekundär)\b", re.IGNORECASE)
#: Props whose values are Bootstrap styling words (color="secondary"), not data.
STYLE_KEYS = frozenset({"color", "className", "text_color", "outline"})
#: In the first pass every CONTROL_EVERY-th indicator is reached with the controls (the rest by link);
#: a switch costs ~0.2 s on the demo (the table callback dominates), so the session stays ~35 s.
CONTROL_EVERY = 8
NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


# --- secrets --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Secret:
    level: str
    unit_id: str
    indicator_id: str
    year: int
    status: str
    value: float
    numerator: float
    denominator: float

    def numbers(self) -> list[float]:
        return [x for x in (self.value, self.numerator, self.denominator) if not np.isnan(x)]


def canonical(x: float | str) -> str:
    """'7.9768', '3109', '12.3': a number without trailing zeros, for exact comparison."""
    d = Decimal(repr(float(x))) if not isinstance(x, str) else Decimal(x)
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def significant_digits(text: str) -> int:
    return len(text.replace("-", "").replace(".", "").lstrip("0"))


def forms(x: float, decimals: int) -> set[str]:
    """Every way the app (or a careless change) could print ``x``."""
    out = {repr(float(x)), json.dumps(float(x)), canonical(x)}
    for d in {0, 1, 2, 3, 4, decimals}:
        out |= {format_number(x, d), f"{x:.{d}f}", f"{x:,.{d}f}"}
    if float(x).is_integer():
        out |= {str(int(x)), format_count(x)}
    return {f for f in out if f not in ("", NO_DATA)}


def number_tokens(text: str) -> set[str]:
    """Numbers inside a text, each read plain ('1234.5') and German ('1.234,5') and canonicalised.

    '4.902' is read as 4902 only: German texts group thousands with a dot, so a plain number with
    exactly three decimals is ambiguous in a text (JSON numbers are compared exactly instead)."""
    found: set[str] = set()
    for token in NUMBER.findall(text):
        readings = [token.replace(".", "").replace(",", ".")]
        if not THOUSANDS.fullmatch(token):
            readings.append(token.replace(",", ""))
        for plain in readings:
            try:
                found.add(canonical(plain))
            except ArithmeticError:
                pass
    return found


def _recompute_totals(bundle: Bundle, groups: pd.Series, population: pd.Series, wanted: set) -> pd.DataFrame:
    """The ``wanted`` (unit, indicator, year) totals from raw area values, written out plainly."""
    meta = bundle.indicators.set_index("indicator_id")
    v = bundle.values.assign(unit_id=bundle.values["area_id"].map(groups))
    keys = pd.Series(list(zip(v["unit_id"], v["indicator_id"], v["year"], strict=True)), index=v.index)
    v = v[keys.isin(wanted)]
    v = v.assign(pop=[population.get((a, y), np.nan) for a, y in zip(v["area_id"], v["year"], strict=True)])
    rows = []
    for (unit, ind, year), g in v.groupby(["unit_id", "indicator_id", "year"]):
        info = meta.loc[ind]
        scale, agg = float(info["scale"]), info["aggregation"]
        both = g["numerator"].notna() & g["denominator"].notna()
        value = num = den = np.nan
        if agg != "none" and not np.isnan(scale) and g["numerator"].notna().any() and g["denominator"].notna().any():
            num, den = g.loc[both, "numerator"].sum(), g.loc[both, "denominator"].sum()
            value = num / den * scale if both.any() and den > 0 else np.nan
            if np.isnan(value):
                num = den = np.nan
        elif agg == "sum" and g["value"].notna().sum() == (groups == unit).sum():
            value = g["value"].sum()
        elif agg == "mean_weighted":
            w = g["value"].notna() & g["pop"].notna() & (g["pop"] > 0)
            if w.any():
                value = (g.loc[w, "value"] * g.loc[w, "pop"]).sum() / g.loc[w, "pop"].sum()
        rows.append((unit, ind, int(year), value, num, den))
    return pd.DataFrame(rows, columns=["unit_id", "indicator_id", "year", "value", "numerator", "denominator"])


@dataclass
class Demo:
    bundle: Bundle
    published: Published
    secrets: dict[tuple[str, str, str, int], Secret]  # (level, unit, indicator, year)
    decimals: dict[str, int]
    allowed: set[str]  # canonical forms of every published number (coincidences are not leaks)

    def hidden(self, level: str, indicator: str, year: int) -> dict[str, Secret]:
        return {k[1]: s for k, s in self.secrets.items() if k[0] == level and k[2] == indicator and k[3] == year}

    def secret(self, level: str, unit: str, indicator: str, year: int) -> Secret | None:
        return self.secrets.get((level, unit, indicator, year))


@pytest.fixture(scope="module")
def demo() -> Demo:
    from dashboard.bundle import load_bundle

    bundle = load_bundle(DEMO_DIR)
    published = publish(bundle)
    cells = published.cells
    hidden = cells[cells["status"].isin(HIDDEN_STATUSES)]
    raw_area = bundle.values.set_index(["area_id", "indicator_id", "year"])
    population = area_population(bundle.values, bundle.config.privacy.population_indicator)
    muni_of = pd.Series(bundle.areas["municipality_id"].to_numpy(), index=bundle.areas["area_id"])
    region_of = pd.Series(REGION_ID, index=bundle.areas["area_id"])
    totals = {}
    for level, groups in (("municipality", muni_of), ("region", region_of)):
        wanted = {(r.unit_id, r.indicator_id, int(r.year)) for r in hidden[hidden["level"] == level].itertuples()}
        mine = _recompute_totals(bundle, groups, population, wanted)
        check = aggregate_cells(bundle.values, bundle.indicators, groups, population)
        merged = mine.merge(check, on=["unit_id", "indicator_id", "year"], suffixes=("", "_agg"))
        assert len(merged) == len(wanted)
        for col in ("value", "numerator", "denominator"):
            assert np.allclose(merged[col].to_numpy(dtype=float), merged[f"{col}_agg"].to_numpy(dtype=float),
                               equal_nan=True, rtol=1e-12), col
        totals[level] = mine.set_index(["unit_id", "indicator_id", "year"])
    secrets = {}
    for r in hidden.itertuples(index=False):
        key = (r.unit_id, r.indicator_id, int(r.year))
        raw = raw_area.loc[key] if r.level == "area" else totals[r.level].loc[key]
        secrets[(r.level, r.unit_id, r.indicator_id, int(r.year))] = Secret(
            r.level, r.unit_id, r.indicator_id, int(r.year), r.status,
            float(raw["value"]), float(raw["numerator"]), float(raw["denominator"]))
    ok = cells[cells["status"] == "ok"]
    allowed = {canonical(x) for col in ("value", "numerator", "denominator") for x in ok[col].dropna().unique()}
    allowed |= {canonical(y) for y in published.years}
    # Counts are mapped as density per km² of published counts: those numbers (and every reading
    # of their German text) are published data too.
    km2 = published.areas.set_index("area_id")["area_km2"]
    counts = ok[(ok["level"] == "area") & ok["indicator_id"].isin(published.catalogue.ids_of_kind("count"))]
    for value, area in zip(counts["value"], counts["unit_id"], strict=True):
        density = float(value) / float(km2[area])
        allowed.add(canonical(round(density, 8)))
        for d in range(5):
            allowed |= number_tokens(format_number(density, d)) | {canonical(round(density, d))}
    decimals = {str(i): int(d) for i, d in zip(bundle.indicators["indicator_id"], bundle.indicators["decimals"],
                                                strict=True)}
    return Demo(bundle, published, secrets, decimals, allowed)


# --- a scripted browser session -------------------------------------------------------------

@dataclass
class Exchange:
    callback: str  # "router", "map", "table", "series", "download", or a GET path
    state: dict | None  # the view state the callback read
    body: bytes
    data: Any


@dataclass
class Session:
    app: Any
    client: Any
    deps: list[dict]
    props: dict[str, Any]
    exchanges: list[Exchange] = field(default_factory=list)
    selected_hidden: set[tuple[str, str, int]] = field(default_factory=set)  # (area, indicator, year) in series
    filtered: int = 0
    compared: set[str] = field(default_factory=set)
    download_states: list[tuple[dict, str]] = field(default_factory=list)  # (view state, button)
    app_areas: dict[str, str] = field(default_factory=dict)  # area -> municipality

    def dep(self, output: str) -> dict:
        return next(d for d in self.deps if f"{output}." in d["output"].replace("..", ".").split("@")[0]
                    and d["clientside_function"] is None)

    def name(self, dep: dict) -> str:
        out = dep["output"]
        for key, name in ((ids.VIEW_STATE, "router"), (ids.HIDDEN_NOTE, "map"),
                          (f"{ids.MAP_COMPARE_LAYER}.data", "compare-geometry"),
                          (ids.RANKING_TABLE, "table"), (ids.TIMESERIES, "series"), (f"{ids.DOWNLOAD}.", "download")):
            if key in out:
                return name
        return out

    def payload(self, dep: dict, changed: list[str]) -> dict:
        """The JSON the dash-renderer posts for ``dep`` (see bench/measure_switch.py)."""
        outs = [o.rsplit(".", 1) for o in dep["output"].strip(".").split("...")]
        outputs = [{"id": i, "property": p.split("@")[0]} for i, p in outs]

        def value(spec: dict) -> dict:
            item = {"id": spec["id"], "property": spec["property"]}
            key = f"{spec['id']}.{spec['property']}"
            if key in self.props:
                item["value"] = self.props[key]
            return item

        return {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [value(i) for i in dep["inputs"]],
            "state": [value(s) for s in dep["state"]],
            "changedPropIds": changed,
        }

    def fire(self, dep: dict, changed: list[str]) -> None:
        """Post one callback, record the body, store its outputs and fire what depends on them."""
        state = self.props.get(f"{ids.VIEW_STATE}.data")
        response = self.client.post("/_dash-update-component", json=self.payload(dep, changed))
        assert response.status_code in (200, 204), (dep["output"], response.status_code, response.data[:500])
        if response.status_code == 204:
            return
        data = json.loads(response.data)
        # The router answers with the new state and what the page shows for it: record that state.
        state = data.get("response", {}).get(ids.VIEW_STATE, {}).get("data", state)
        self.exchanges.append(Exchange(self.name(dep), state, response.data, data))
        updated = []
        for comp, props in data.get("response", {}).items():
            for prop, val in props.items():
                if isinstance(val, dict) and "__dash_patch_update" in val:
                    continue  # figures and grid options are not inputs of any callback
                self.props[f"{comp}.{prop}"] = val
                updated.append(f"{comp}.{prop}")
        for other in self.deps:
            if other is dep or other["clientside_function"] is not None:
                continue
            if any(f"{i['id']}.{i['property']}" in updated for i in other["inputs"]):
                self.fire(other, [p for p in updated if p.startswith(ids.VIEW_STATE)])

    def event(self, prop: str, value: Any) -> None:
        """A user changes one prop (control value, click event); the router and its cascade run."""
        self.props[prop] = value
        self.fire(self.dep(ids.VIEW_STATE), [prop])

    def download(self, button: str) -> None:
        key = f"{button}.n_clicks"
        self.props[key] = (self.props.get(key) or 0) + 1
        self.download_states.append((self.state, button))
        self.fire(self.dep(ids.DOWNLOAD), [key])

    @property
    def state(self) -> dict:
        return self.props[f"{ids.VIEW_STATE}.data"]


def _layout_props(node: Any, props: dict[str, Any]) -> None:
    if isinstance(node, dict):
        if "props" in node and "type" in node:
            p = node["props"]
            if isinstance(p.get("id"), str):
                for k, v in p.items():
                    if k not in ("children", "id"):
                        props[f"{p['id']}.{k}"] = v
            _layout_props(p.get("children"), props)
        else:
            for v in node.values():
                _layout_props(v, props)
    elif isinstance(node, list):
        for v in node:
            _layout_props(v, props)


def _selection(demo: Demo, indicator: str, year: int) -> list[str]:
    """Up to 6 hidden areas, one area of a municipality whose total is hidden, one published area."""
    hidden = sorted(demo.hidden("area", indicator, year))
    areas = demo.published.areas
    muni_of = dict(zip(areas["area_id"], areas["municipality_id"], strict=True))
    chosen = hidden[:6]
    munis = sorted(demo.hidden("municipality", indicator, year))
    for m in munis[:1]:
        chosen += [a for a in areas.loc[areas["municipality_id"] == m, "area_id"] if a not in chosen][:1]
    cells = demo.published.level_cells("area", indicator, year)
    ok = sorted(cells.index[cells["status"] == "ok"])
    chosen += [a for a in ok if a not in chosen][:1]
    assert all(a in muni_of for a in chosen)
    return chosen


@pytest.fixture(scope="module")
def session(demo: Demo) -> Session:
    from app import create_app

    app = create_app(published=demo.published)
    client = app.server.test_client()
    gets = []
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/assets/clientside.js",
                 "/assets/dashAgGridFunctions.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        gets.append(Exchange(path, None, r.data, r.get_json(silent=True)))
    deps = gets[2].data
    props: dict[str, Any] = {}
    _layout_props(gets[1].data, props)
    s = Session(app, client, deps, props, exchanges=list(gets))
    s.app_areas = dict(zip(demo.published.areas["area_id"], demo.published.areas["municipality_id"], strict=True))

    # Page load: the renderer fires every callback without prevent_initial_call.
    for dep in deps:
        if dep["clientside_function"] is None and not dep["prevent_initial_call"]:
            s.fire(dep, [])

    published = demo.published
    indicators = [o for t in published.themes
                  for o in published.indicators.loc[published.indicators["theme"] == t, "indicator_id"]]
    per_year = pd.Series([k[3] for k in demo.secrets if k[0] == "area"]).value_counts()
    busiest = int(per_year.idxmax())
    years = list(dict.fromkeys([max(published.years), busiest, min(published.years)]))
    theme_of = dict(zip(published.indicators["indicator_id"], published.indicators["theme"], strict=True))
    for pass_no, year in enumerate(years):
        compare = ("year", busiest) if pass_no == 2 else ("", None)  # last pass: compare map open
        for n, indicator in enumerate(indicators):
            chosen = _selection(demo, indicator, year)
            hidden_munis = sorted(demo.hidden("municipality", indicator, year))[:3]
            if pass_no == 0 and n % CONTROL_EVERY == 0:
                _by_controls(s, indicator, year, chosen, hidden_munis, theme_of[indicator], n)
            else:  # opening a link / Back and Forward: the router reads the URL
                s.event(f"{ids.URL}.search", _query(indicator, year, chosen, hidden_munis, *compare))
                assert s.state["areas"] == chosen
                s.filtered += bool(hidden_munis)
            s.selected_hidden |= {(a, indicator, year) for a in chosen[:8]}
            # Downloads cost ~0.1 s each: CSV of every indicator in the busiest year, a sample otherwise.
            if pass_no == 1 or n % 4 == 0 or hidden_munis:
                s.download(ids.DOWNLOAD_CSV)
            if (pass_no == 1 and n % 4 == 1) or hidden_munis:
                s.download(ids.DOWNLOAD_XLSX)
            if pass_no == 2:
                assert s.state["compare"] == "year"
                s.compared.add(indicator)
    # Compare indicator A / B with B = an indicator with many hidden cells.
    by_indicator = pd.Series([k[2] for k in demo.secrets if k[0] == "area" and k[3] == busiest]).value_counts()
    s.event(f"{ids.COMPARE_MODE}.value", "indicator")
    for other in by_indicator.index[:3]:
        s.event(f"{ids.COMPARE_INDICATOR_SELECT}.value", other)
    s.event(f"{ids.COMPARE_MODE}.value", "")
    return s


def _query(indicator: str, year: int, areas: list[str], munis: list[str], compare: str = "",
           compare_year: int | None = None) -> str:
    from dashboard.state import ViewState

    return ViewState(indicator, year, areas=tuple(areas), municipalities=tuple(munis), compare=compare,
                     compare_year=compare_year).to_query()


def _by_controls(s: Session, indicator: str, year: int, chosen: list[str], munis: list[str], theme: str,
                 n: int) -> None:
    """Reach the view with the controls a person uses: theme, indicator, year, a selection made
    by area dropdown, box selection plus map click, or table click, then a municipality filter."""
    if theme != s.props.get(f"{ids.THEME_SELECT}.value"):
        s.event(f"{ids.THEME_SELECT}.value", theme)  # picks the theme's first indicator
    if s.state["indicator"] != indicator:
        s.event(f"{ids.INDICATOR_SELECT}.value", indicator)
    if s.state["year"] != year:
        s.event(f"{ids.YEAR_SELECT}.value", year)
    way = (n // CONTROL_EVERY) % 3
    if len(chosen) < 2 or way == 0:
        s.event(f"{ids.AREA_SELECT}.value", chosen)
    elif way == 1:
        s.event(f"{ids.AREA_SELECT}.value", chosen[:-2])
        for area in chosen[-2:]:
            s.event(f"{ids.MAP_LAYER}.clickData", {"type": "Feature", "id": area, "properties": {}})
    else:
        s.event(f"{ids.AREA_SELECT}.value", chosen[:-1])
        s.event(f"{ids.TABLE_CLICK}.data", {"rowId": chosen[-1], "colId": "name"})
    assert s.state["areas"] == chosen, (indicator, year, s.state["areas"], chosen)
    if not munis:
        areas = s.app_areas
        munis = sorted({areas[a] for a in chosen})[:2]
    s.event(f"{ids.MUNICIPALITY_SELECT}.value", munis)  # the next link resets the filter
    s.download(ids.DOWNLOAD_CSV)
    s.filtered += 1


#: The router's response carries the maps, the table and the series: which output marks each part.
PART_OUTPUTS = {"map": f"{ids.MAP_STYLE}.data", "table": f"{ids.RANKING_DATA}.data",
                "series": f"{ids.SERIES_DATA}.data"}


def responses(session: Session, callback: str) -> Iterator[Exchange]:
    """Exchanges of one callback, or the router's responses that carry a part ("map", "table", "series")."""
    if callback in PART_OUTPUTS:
        return (e for e in session.exchanges if e.callback == "router" and PART_OUTPUTS[callback] in outputs(e))
    return (e for e in session.exchanges if e.callback == callback)


def outputs(e: Exchange) -> dict[str, Any]:
    return {f"{c}.{p}": v for c, props in e.data.get("response", {}).items() for p, v in props.items()}


def figure_fields(fig: Any) -> dict[tuple, Any]:
    """Assigned fields of a figure Patch, or the fields of a full figure, by location."""
    if isinstance(fig, dict) and "__dash_patch_update" in fig:
        return {tuple(op["location"]): op["params"]["value"] for op in fig["operations"]
                if op["operation"] == "Assign"}
    out: dict[tuple, Any] = {}
    for i, trace in enumerate(fig.get("data", [])):
        for k, v in trace.items():
            out[("data", i, k)] = v
    return out


def _no_secret_in(texts: list[str], secret: Secret, decimals: int, where: str) -> None:
    bad = {f for x in secret.numbers() for f in forms(x, decimals)}
    for text in texts:
        tokens = set(NUMBER.findall(str(text)))
        assert not (tokens & bad), f"{where}: hidden {secret} printed as {tokens & bad} in {text!r}"


# --- tests ----------------------------------------------------------------------------------

def test_e2e001_secret_set_covers_every_hidden_cell_with_its_raw_numbers(demo):
    cells = demo.published.cells
    hidden = cells[cells["status"].isin(HIDDEN_STATUSES)]
    assert len(demo.secrets) == len(hidden) > 1000
    assert {s.status for s in demo.secrets.values()} == set(HIDDEN_STATUSES)
    assert {s.level for s in demo.secrets.values()} >= {"area", "municipality"}
    assert all(not np.isnan(s.value) for s in demo.secrets.values())
    # Publication kept none of them: hidden cells are NaN in the published table.
    assert hidden[["value", "numerator", "denominator"]].isna().all().all()
    unique = [s for s in demo.secrets.values() if significant_digits(canonical(s.value)) >= 3]
    assert len(unique) > 0.8 * len(demo.secrets)


def test_e2e002_session_covers_every_indicator_three_years_filters_compare_and_downloads(demo, session):
    states = [e.state for e in responses(session, "map") if e.state]
    seen = {(st["indicator"], st["year"]) for st in states}
    indicators = set(demo.published.indicators["indicator_id"])
    years = {y for _, y in seen}
    assert len(years) >= 3
    from dashboard.options import view_choices

    choices = view_choices(demo.published)
    for year in years:  # years without data cannot be picked: such links fall back to a year with data
        assert {i for i, y in seen if y == year} == {i for i in indicators if year in choices.years_of(i)}
    hidden_area_keys = {(k[1], k[2], k[3]) for k in demo.secrets if k[0] == "area"}
    assert len(session.selected_hidden & hidden_area_keys) > 200
    assert session.filtered >= 8 and len(session.compared) == len(indicators)
    assert any(st.get("compare") == "indicator" for st in states)
    assert len(session.download_states) >= 100
    total = sum(len(e.body) for e in session.exchanges)
    print(f"\n{len(session.exchanges)} responses over HTTP, {total / 1e6:.1f} MB; "
          f"{len(session.download_states)} download clicks; "
          f"{len(demo.secrets)} hidden cells")


def _legend_texts(node: Any) -> list[str]:
    """The legend's texts (label, "(count)") from its data in the map style (assets/map.js ``legend``)."""
    if isinstance(node, dict) and "e" in node:
        return [text for label, _colour, count, _pattern in node["e"] for text in (label, f"({count})")]
    out: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "Span" and isinstance(node.get("props", {}).get("children"), str):
            out.append(node["props"]["children"])
        for v in node.values():
            out += _legend_texts(v)
    elif isinstance(node, list):
        for v in node:
            out += _legend_texts(v)
    return out


def test_e2e003_map_hides_every_protected_area_and_counts_them(demo, session):
    area_ids = _find_map_ids(session.exchanges[1].data)  # the layout's map: the order of every array
    from layouts.atlas_map import density_values

    page: dict[str, Any] = {}
    _layout_props(session.exchanges[1].data, page)
    km2 = page[f"{ids.AREA_KM2}.data"]
    densities = 0
    published = demo.published
    muni_of = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
    checked = 0
    for e in responses(session, "map"):
        out = outputs(e)
        st = e.state
        views = [(out[f"{ids.MAP_STYLE}.data"], out[f"{ids.MAP_STYLE}.data"]["legend"], st["indicator"], st["year"])]
        if st.get("compare") in ("indicator", "year") and isinstance(out.get(f"{ids.MAP_COMPARE_STYLE}.data"), dict):
            second = (st["compare_indicator"] if st["compare"] == "indicator" else st["indicator"],
                      st["compare_year"] if st["compare"] == "year" else st["year"])
            views.append((out[f"{ids.MAP_COMPARE_STYLE}.data"], out[f"{ids.MAP_COMPARE_STYLE}.data"]["legend"], *second))
        for i_view, (h, legend, indicator, year) in enumerate(views):
            if h.get("vd"):  # a count: the browser divides the table's numbers by the areas' sizes
                h = {**h, "values": density_values(out[f"{ids.RANKING_DATA}.data"], km2)}
                densities += 1
            assert len(h["codes"]) == len(h["values"]) == len(area_ids)
            assert "ranks" not in h  # the browser ranks the published values (assets/map.js)
            hidden = demo.hidden("area", indicator, year)
            inside = {a for a in area_ids if not st["municipalities"] or muni_of[a] in st["municipalities"]}
            for i, area in enumerate(area_ids):
                secret = hidden.get(area)
                if secret is None or area not in inside:
                    continue
                assert int(h["codes"][i]) == h["k"] + 1, (indicator, year, area, h["codes"][i])  # data protection
                assert h["values"][i] is None, (indicator, year, area)
                checked += 1
            shown = len(set(hidden) & inside)
            texts = _legend_texts(legend)
            entry = [t for t in texts if HIDDEN_TEXT in t]
            if shown:
                assert entry == [f"{published.symbol} {HIDDEN_TEXT}"]
                assert texts[texts.index(entry[0]) + 1] == f"({shown})"
            if i_view == 0:
                note = out[f"{ids.HIDDEN_NOTE}.children"]
                counts = published.hidden_counts(indicator, year)
                if not st["municipalities"]:
                    expected = sum(v for k, v in counts.items() if k != "total")
                    assert shown == expected
                assert note == ("" if not shown else
                                f"{format_number(shown, 0)} Sozialr{'aum' if shown == 1 else 'äume'} {HIDDEN_TEXT}")
    assert checked > 1000 and densities >= 3


def _find_map_ids(node: Any) -> list[str] | None:
    if isinstance(node, dict):
        p = node.get("props")
        if node.get("type") == "GeoJSON" and isinstance(p, dict) and p.get("id") == ids.MAP_LAYER:
            return [str(f["id"]) for f in p["data"]["features"]]
        for v in node.values():
            found = _find_map_ids(v)
            if found:
                return found
    elif isinstance(node, list):
        for v in node:
            found = _find_map_ids(v)
            if found:
                return found
    return None


def test_e2e004_table_rows_and_reference_rows_show_only_the_symbol(demo, session):
    symbol = demo.published.symbol
    checked = 0
    prepared = prepare(demo.published)
    for e in responses(session, "table"):
        out = outputs(e)
        st = e.state
        indicator, year = st["indicator"], st["year"]
        rows = grid_rows(prepared, out[f"{ids.RANKING_DATA}.data"], out[f"{ids.MAP_STYLE}.data"])
        hidden = demo.hidden("area", indicator, year)
        ranked = [r["rank"] is not None for r in rows]
        assert ranked == sorted(ranked, reverse=True), "hidden and missing rows must come last"
        for row in rows:
            secret = hidden.get(row["unit_id"])
            assert row["hidden"] == (secret is not None), (indicator, year, row["unit_id"])
            if secret is None:
                continue
            assert (row["value"], row["diff"], row["rank"], row["class_no"]) == (None, None, None, None), row
            assert (row["value_text"], row["diff_text"], row["tip"]) == (symbol, symbol, HIDDEN_TEXT), row
            assert row["class_label"] in ("", symbol), row
            _no_secret_in([v for k, v in row.items() if k not in ("unit_id", "name", "municipality")],
                          secret, demo.decimals[indicator], f"table {indicator} {year}")
            checked += 1
        pinned = expand_reference(out[f"{ids.RANKING_DATA}.data"])  # as assets/ranking.js builds them
        for row in pinned:
            level = "region" if row["unit_id"] == REGION_ID else "municipality"
            secret = demo.secret(level, row["unit_id"], indicator, year)
            if secret is None:
                continue
            assert row["value"] is None and row["diff"] is None and row["value_text"] == symbol, row
            _no_secret_in([v for k, v in row.items() if k not in ("unit_id", "name", "municipality")],
                          secret, demo.decimals[indicator], f"pinned {indicator} {year}")
            checked += 1
    assert checked > 800
    pinned_hidden = sum(1 for e in responses(session, "table")
                        for r in expand_reference(outputs(e)[f"{ids.RANKING_DATA}.data"]) if r["hidden"])
    assert pinned_hidden > 0, "no hidden municipality total was ever shown as a reference row"


def test_e2e005_time_series_have_gaps_at_hidden_years(demo, session):
    published = demo.published
    names = dict(zip(published.areas["area_id"], published.areas["area_name"], strict=True))
    muni_of = dict(zip(published.areas["area_id"], published.areas["municipality_id"], strict=True))
    checked = 0
    for e in responses(session, "series"):
        st = e.state
        indicator = st["indicator"]
        traces = expand_series(outputs(e)[f"{ids.SERIES_DATA}.data"])["data"]  # as assets/series.js draws it
        chosen = st["areas"][:8]
        munis = list(dict.fromkeys([muni_of[a] for a in chosen] + list(st["municipalities"])))
        units = [("area", a) for a in chosen]
        if not published.catalogue[indicator].is_count:  # counts: no municipality/region totals as reference
            units += [("municipality", m) for m in munis] + [("region", REGION_ID)]
        assert len(traces) == len(units)
        for (level, unit), trace in zip(units, traces, strict=True):
            if level == "area":
                assert trace["name"] == names[unit]
            for j, year in enumerate(trace["x"]):
                secret = demo.secret(level, unit, indicator, int(year))
                if secret is None:
                    continue
                assert trace["y"][j] is None, (indicator, level, unit, year, trace["y"][j])
                assert trace["text"][j] == f"{published.symbol} {HIDDEN_TEXT}"
                _no_secret_in([trace["text"][j]], secret, demo.decimals[indicator], f"series {indicator}")
                checked += 1
    assert checked > 2000


def _download_rows(e: Exchange) -> tuple[list[str], list[list[Any]], str]:
    data = outputs(e)[f"{ids.DOWNLOAD}.data"]
    raw = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    if data["filename"].endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(raw))
        rows = [list(r) for r in book["Tabelle"].iter_rows(values_only=True)]
        meta = " ".join(str(c) for r in book["Metadaten"].iter_rows(values_only=True) for c in r)
        return [str(h) for h in rows[0]], rows[1:], meta
    head, rows = split_csv_de(raw)  # the metadata lines are checked like the XLSX metadata sheet
    return rows[0], rows[1:], " ".join(f"{k} {v}" for k, v in head.items())


def _check_download(demo: Demo, e: Exchange) -> tuple[int, str]:
    """Hidden rows of one download show the symbol only; returns (rows checked, file type)."""
    symbol = demo.published.symbol
    st = e.state
    indicator, year = st["indicator"], st["year"]
    header, rows, meta = _download_rows(e)
    filename = outputs(e)[f"{ids.DOWNLOAD}.data"]["filename"]
    from dashboard.ranking import file_stem

    assert filename == f"{file_stem(demo.published, indicator, year)}_Tabelle.{filename.rsplit('.', 1)[1]}"
    assert not STATUS_WORDS.search(meta + " ".join(header))
    hidden = demo.hidden("area", indicator, year)
    wanted = set(hidden)
    if st["municipalities"]:
        muni_of = dict(zip(demo.published.areas["area_id"], demo.published.areas["municipality_id"], strict=True))
        wanted = {a for a in wanted if muni_of[a] in st["municipalities"]}
    assert wanted <= {str(r[0]) for r in rows}
    checked = 0
    for row in rows:
        secret = hidden.get(str(row[0]))
        if secret is None:
            continue
        assert row[3] == symbol and row[4] in (NO_DATA, None), (indicator, year, row)
        assert all(c == symbol for c in row[5:7]), (indicator, year, row)
        _no_secret_in([c for c in row[3:] if c is not None], secret, demo.decimals[indicator],
                      f"download {indicator} {year}")
        checked += 1
    return checked, filename.rsplit(".", 1)[1]


def test_e2e006_csv_and_xlsx_downloads_show_the_symbol_never_the_value(demo, session):
    files = list(responses(session, "download"))
    assert len(files) == len(session.download_states)
    results = [_check_download(demo, e) for e in files]
    assert {kind for _, kind in results} == {"csv", "xlsx"} and sum(n for n, _ in results) > 500


def _walk(node: Any, path: tuple, out: list[tuple[tuple, Any]]) -> None:
    """Leaves of a JSON document with their key path; Patch operations use their location."""
    if isinstance(node, dict):
        if "operation" in node and "location" in node:
            _walk(node.get("params", {}).get("value"), path + tuple(node["location"]), out)
            return
        for k, v in node.items():
            if k not in SKIP_KEYS:
                _walk(v, path + (k,), out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _walk(v, path + (i,), out)
    elif not (path and path[-1] in SKIP_KEYS):
        out.append((path, node))


def _download_leaves(e: Exchange) -> list[tuple[tuple, Any]]:
    header, rows, meta = _download_rows(e)
    return [(("download", "header"), " ".join(header)), (("download", "meta"), meta)] + [
        (("download", i, j), c) for i, r in enumerate(rows) for j, c in enumerate(r) if c is not None]


def test_e2e007_no_hidden_raw_number_or_status_reason_anywhere(demo, session):
    unique: dict[str, Secret] = {}
    for s in demo.secrets.values():
        for x in s.numbers():
            c = canonical(x)
            if significant_digits(c) >= 3 and c not in demo.allowed:
                unique.setdefault(c, s)
    assert len(unique) > 1000
    # Texts show numbers rounded to the indicator's 0–2 decimals (and class limits are arbitrary
    # rounded numbers), so inside texts only raw numbers with ≥ 3 decimals are unambiguous.
    in_texts = {c for c in unique if "." in c and len(c.split(".")[1]) >= 3}
    assert len(in_texts) > 1000
    leaks, reasons = [], []
    scanned = 0
    for e in session.exchanges:
        leaves: list[tuple[tuple, Any]] = []
        if e.data is not None:
            _walk(e.data, (e.callback,), leaves)
        else:  # the HTML page and the JavaScript assets
            leaves.append(((e.callback,), e.body.decode("utf-8")))
        if e.callback == "download":
            leaves += _download_leaves(e)
        scanned += len(e.body)
        for path, leaf in leaves:
            if isinstance(leaf, bool) or leaf is None:
                continue
            if isinstance(leaf, int | float):
                hit = {canonical(leaf)} & unique.keys()
            else:
                text = str(leaf)
                hit = number_tokens(text) & in_texts
                key = next((p for p in reversed(path) if isinstance(p, str)), "")
                if key not in STYLE_KEYS and not e.callback.startswith("/assets") and e.callback != "/":
                    if STATUS_WORDS.search(text):
                        reasons.append((e.callback, path, text[:200]))
                    if key in ("status", "reason"):
                        reasons.append((e.callback, path, text[:200]))
            for h in hit:
                leaks.append((e.callback, e.state and (e.state["indicator"], e.state["year"]), path, h, unique[h]))
    assert not reasons, reasons[:10]
    assert not leaks, leaks[:10]
    assert scanned > 1_000_000
    # The page itself (HTML and client code) names no status either.
    for e in session.exchanges[:5]:
        if e.callback in ("/", "/assets/clientside.js", "/assets/dashAgGridFunctions.js"):
            text = re.sub(r'"(className|color)":\s*"[^"]*"', "", e.body.decode("utf-8"))  # Bootstrap words
            assert not re.search(r"\b(secondary|population|primär|sekundär)\b", text), e.callback


def test_e2e008_layout_and_store_carry_no_data_of_hidden_cells(demo, session):
    layout = session.exchanges[1].data
    store = session.props[f"{ids.VIEW_STATE}.data"]
    assert set(store) >= {"indicator", "year", "areas"} and not any(
        isinstance(v, float) for v in store.values())
    # The initial map in the page: hidden areas of the default view carry no value and no rank.
    props: dict[str, Any] = {}
    _layout_props(layout, props)
    h = props[f"{ids.MAP_LAYER}.hideout"]
    default = _find_store(layout)
    hidden = demo.hidden("area", default["indicator"], default["year"])
    area_ids = _find_map_ids(layout)
    assert sum(int(c) == h["k"] + 1 for c in h["codes"]) == len(hidden)
    for i, area in enumerate(area_ids):
        if area in hidden:
            assert h["values"][i] is None and "ranks" not in h  # the browser ranks the published values


def _find_store(node: Any) -> dict:
    props: dict[str, Any] = {}
    _layout_props(node, props)
    return props[f"{ids.VIEW_STATE}.data"]


# --- the command line -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "csv-de"])
def test_e2e009_cli_table_shows_the_symbol_never_the_value(demo, monkeypatch, fmt):
    """``python -m dashboard table`` on the demo (in-process; the demo is loaded and published once)."""
    import dashboard.cli as cli

    published = demo.published
    monkeypatch.setattr(cli, "load_bundle", lambda _path: demo.bundle)
    monkeypatch.setattr(cli, "publish", lambda bundle: published if bundle is demo.bundle else publish(bundle))
    muni_hidden = sorted({(k[2], k[3]) for k in demo.secrets if k[0] == "municipality"})
    area_counts = pd.Series([(k[2], k[3]) for k in demo.secrets if k[0] == "area"]).value_counts()
    cases = [("area", *area_counts.index[0]), ("area", *area_counts.index[1]), ("area", "KJ07", 2016),
             ("municipality", *muni_hidden[0]), ("municipality", *muni_hidden[-1])]
    checked = 0
    for level, indicator, year in cases:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["table", str(DEMO_DIR), "--indicator", indicator, "--year", str(year),
                         "--level", level, "--format", fmt], out=out, err=err)
        assert code == 0, err.getvalue()
        text = out.getvalue()
        assert not STATUS_WORDS.search(text)
        if fmt == "csv-de":
            head, rows = split_csv_de(text)
            assert head["Jahr"] == str(year) and head["Indikator"].endswith(f"({indicator})")
        else:
            rows = list(csv.reader(io.StringIO(text), delimiter=","))
        header, body = rows[0], rows[1:]
        hidden = demo.hidden(level, indicator, year)
        assert hidden
        by_id = {r[0]: r for r in body}
        for unit, secret in hidden.items():
            row = by_id[unit]
            cols = dict(zip(header, row, strict=True))
            if fmt == "csv":
                assert (cols["value"], cols["numerator"], cols["denominator"], cols["rank"]) == (
                    published.symbol, published.symbol, published.symbol, ""), row
            else:
                assert row[3] == published.symbol and row[4] == NO_DATA, row
                assert all(c == published.symbol for c in row[5:7]), row
            _no_secret_in(row[2:] if level == "area" else row[4:], secret, demo.decimals[indicator],
                          f"cli {fmt} {indicator} {year}")
            checked += 1
        unique = {canonical(x) for s in hidden.values() for x in s.numbers()
                  if significant_digits(canonical(x)) >= 3} - demo.allowed
        assert not (number_tokens(text) & unique)
    assert checked > 30
