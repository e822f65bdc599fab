"""The browser builds the ranking grid's rows from the compact payload exactly as table_rows does."""

from __future__ import annotations

import math

from dashboard.prepared import prepare
from dashboard.ranking import compact_table, table_rows
from dashboard.state import ViewState


def _cases(prepared) -> list[tuple[dict, list[dict]]]:
    """(compact payload, expected rows) for every indicator, with and without filter and selection."""
    muni = str(prepared.published.municipalities["municipality_id"].iloc[0])
    area = prepared.geometry.area_ids[0]
    out = []
    for n, indicator in enumerate(prepared.choices.indicators):
        years = prepared.choices.years_of(indicator)
        extra = ["", f"&municipalities={muni}&areas={area}", "&method=jenks&classes=7"][n % 3]
        for year in list(years)[:2]:
            query = f"?indicator={indicator}&year={year}{extra}"
            state = ViewState.from_query(query, prepared.choices)
            data, arrays = prepared.for_indicator(indicator), prepared.table(indicator)
            out.append((compact_table(data, state, arrays, prepared.geometry.area_ids),
                        table_rows(data, state, arrays)))
    return out


def _clean(rows: list[dict]) -> list[dict]:
    """JSON has no NaN: compare as the browser holds them."""
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows]


def test_cmp001_browser_rows_equal_table_rows_for_every_indicator(live_url, watch, published_for_browser):
    prepared = prepare(published_for_browser)
    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.table")
    cases = _cases(prepared)
    assert len(cases) >= 10
    got = page.evaluate("([cases, shapes]) => cases.map(c => window.sozialraum.table.rows(c, shapes))",
                        [[c for c, _ in cases], prepared.geometry.geojson])
    for (compact, expected), rows in zip(cases, got, strict=True):
        assert rows == _clean(expected), compact["k"][:40]
    assert not watch.errors


def test_cmp002_number_texts_round_like_python(live_url, watch):
    from dashboard.formatting import format_number, format_signed

    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.table")
    cases = [(0.25, 1), (0.35, 1), (-2.5, 0), (3.5, 0), (38.15, 1), (1234567.891, 1), (-0.04, 1), (999.9996, 3),
             (-1234.5, 0), (0.125, 2), (12.0, 0), (-0.0, 2), (1e-9, 1)]
    got = page.evaluate("cs => cs.map(([v, d]) => [window.sozialraum.table.formatNumber(v, d),"
                        " window.sozialraum.table.formatSigned(v, '%-Pkt.', d)])", [list(c) for c in cases])
    assert got == [[format_number(v, d), format_signed(v, "%-Pkt.", d)] for v, d in cases]


def test_cmp003_browser_legend_equals_the_server_legend(live_url, watch, published_for_browser):
    import json

    from dash._utils import to_json

    from callbacks.maps import update_maps
    from dashboard.mapview import map_views
    from layouts.atlas_map import legend

    prepared = prepare(published_for_browser)
    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.map && window.sozialraum.map.legend")
    for indicator in prepared.choices.indicators[:8]:
        state = ViewState.from_query(f"?indicator={indicator}", prepared.choices)
        style = update_maps(prepared, state.to_dict())[0]
        view, _ = map_views(prepared.published, prepared.geometry.area_ids, state, prepared.area_km2,
                            dict(prepared.matrices))
        got = page.evaluate("s => window.sozialraum.map.legend(s)", style)
        assert got == json.loads(to_json(legend(view))), indicator


def test_cmp003_browser_series_figure_equals_the_python_figure(live_url, watch, published_for_browser):
    """A switch sends the series as data; assets/series.js must draw exactly ``series_for``'s figure."""
    import json

    from dashboard.charts.series_chart import compact_series, series_for

    prepared = prepare(published_for_browser)
    areas = list(prepared.choices.areas)
    cases = []
    for n, indicator in enumerate(prepared.choices.indicators):
        query = f"?indicator={indicator}" + (f"&areas={','.join(areas[n:n + 1 + n % 3])}" if n % 4 else "")
        state = ViewState.from_query(query, prepared.choices)
        shown = prepared.for_indicator(state.indicator)
        compact, _ = compact_series(shown, state)
        figure, _ = series_for(shown, state)
        cases.append((compact, json.loads(json.dumps(figure))))
    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.series")
    got = page.evaluate("cases => cases.map(([c, f]) => window.sozialraum.series.figure(c, {layout: f.layout}))",
                        [[c, f] for c, f in cases])
    for (compact, expected), figure in zip(cases, got, strict=True):
        assert figure == expected, compact["L"][:1]
    assert not watch.errors


def test_cmp004_browser_info_panel_equals_the_python_panel(live_url, watch, published_for_browser):
    """The info panel of a switch is built in the browser from the page's indicator texts."""
    import json

    import plotly

    from dashboard.page_texts import indicator_texts
    from layouts.atlas import info_panel

    prepared = prepare(published_for_browser)
    texts = indicator_texts(prepared)
    expected = {i: json.loads(json.dumps(info_panel(prepared.catalogue[i].info()), cls=plotly.utils.PlotlyJSONEncoder))
                for i in texts}
    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.texts")
    got = page.evaluate("texts => Object.fromEntries(Object.entries(texts).map(([i, t]) =>"
                        " [i, window.sozialraum.texts.infoPanel(t.i, t.l)]))", texts)
    assert got == expected
    assert not watch.errors


def test_cmp005_browser_reference_rows_equal_the_python_rows(live_url, watch, published_for_browser):
    """The pinned region and municipality rows are built in the browser from the compact table."""
    from dashboard.ranking import reference_rows

    prepared = prepare(published_for_browser)
    cases = [(compact, _clean(reference_rows(prepared.for_indicator(s.indicator), s, prepared.table(s.indicator))))
             for compact, s in _compact_states(prepared)]
    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.table")
    got = page.evaluate("cs => cs.map(c => window.sozialraum.table.reference(c))", [c for c, _ in cases])
    for (compact, expected), rows in zip(cases, got, strict=True):
        assert rows == expected, compact["ref"]
    assert not watch.errors


def _compact_states(prepared) -> list[tuple[dict, ViewState]]:
    muni = [str(m) for m in prepared.published.municipalities["municipality_id"]]
    out = []
    for n, indicator in enumerate(prepared.choices.indicators):
        for year in list(prepared.choices.years_of(indicator))[-2:]:
            query = f"?indicator={indicator}&year={year}&municipalities={','.join(muni[n % len(muni):][:2])}"
            state = ViewState.from_query(query, prepared.choices)
            out.append((compact_table(prepared.for_indicator(indicator), state, prepared.table(indicator),
                                      prepared.geometry.area_ids), state))
    return out


def test_cmp006_browser_density_of_a_count_equals_the_map_values(live_url, watch, published_for_browser):
    """A count's switch leaves its density values out (``vd``); the browser divides the table's
    numbers by the areas' sizes and must get the map's values exactly (hover texts and ranks)."""
    from callbacks.maps import update_maps
    from callbacks.ranking import update_table
    from layouts.atlas_map import density_values, without_density_values

    prepared = prepare(published_for_browser)
    km2 = [a if a > 0 else None for a in prepared.area_km2.tolist()]
    muni = str(prepared.published.municipalities["municipality_id"].iloc[0])
    cases = []
    for indicator in prepared.choices.indicators:
        if not prepared.catalogue[indicator].is_count:
            continue
        for extra in ("", f"&municipalities={muni}"):
            state = ViewState.from_query(f"?indicator={indicator}{extra}", prepared.choices).to_dict()
            style = update_maps(prepared, state)[0]
            compact = update_table(prepared, state, style)[0]
            slim = without_density_values(style, compact, prepared.area_km2.tolist())
            assert slim.get("vd") == 1 and "values" not in slim, indicator  # counts always qualify
            assert density_values(compact, prepared.area_km2.tolist()) == style["values"]
            cases.append((compact, style["values"]))
    assert len(cases) >= 2
    page = watch.page
    page.goto(live_url + "/")
    page.wait_for_function("() => window.sozialraum && window.sozialraum.map && window.sozialraum.map.densityValues")
    got = page.evaluate("([cs, km2]) => cs.map(c => window.sozialraum.map.densityValues(c, km2))",
                        [[c for c, _ in cases], km2])
    assert got == [v for _, v in cases]
    assert not watch.errors
