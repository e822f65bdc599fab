"""The router: URL, controls and selection events -> one ViewState (store + URL + controls) and
everything the page shows for it (maps, table, time series).

One callback owns the state so there is no loop between URL and controls: opening a link or
pressing Back sets the controls from the URL; a control, map or table event sets the URL. The
same response carries the new map style, table and series, so a switch costs one round trip
(``bench/browser.py`` measures the repaint) and one request's overhead on the server.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import dash
from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from callbacks import maps, ranking, timeseries
from callbacks.guard import as_bool, as_dict, as_scalar_text, as_str
from dashboard.options import area_options, indicator_options, lists_all, theme_of
from dashboard.prepared import Prepared
from dashboard.state import ViewState
from layouts import ids
from layouts.atlas_map import without_density_values

#: control id -> ViewState field it edits
CONTROL_FIELDS: dict[str, str] = {
    ids.INDICATOR_SELECT: "indicator",
    ids.YEAR_SELECT: "year",
    ids.MUNICIPALITY_SELECT: "municipalities",
    ids.AREA_SELECT: "areas",
    ids.CLASS_METHOD_SELECT: "method",
    ids.CLASSES_SELECT: "classes",
    ids.PALETTE_SELECT: "palette",
    ids.LIMITS_INPUT: "limits",
    ids.COMPARE_MODE: "compare",
    ids.COMPARE_INDICATOR_SELECT: "compare_indicator",
    ids.COMPARE_YEAR_SELECT: "compare_year",
}

#: Components the browser mounts after the map's first paint (not in the page until then).
DEFERRED = (ids.RANKING_TABLE, ids.TIMESERIES)

#: Fields whose control value must be valid as it is (else the event is ignored).
SINGLE_VALUE_FIELDS = ("indicator", "year", "method", "classes", "palette", "compare")

#: Inputs that are events (a click), not values: ``None`` means nothing happened.
EVENT_INPUTS: list[tuple[str, str]] = [
    (ids.MAP_LAYER, "clickData"),
    (ids.MAP_COMPARE_LAYER, "clickData"),
    (ids.TABLE_CLICK, "data"),
    (ids.CLEAR_SELECTION, "n_clicks"),
]
EVENTS = frozenset(f"{c}.{p}" for c, p in EVENT_INPUTS)

INPUTS: list[tuple[str, str]] = [
    (ids.URL, "search"),
    (ids.THEME_SELECT, "value"),
    *[(cid, "value") for cid in CONTROL_FIELDS],
    *EVENT_INPUTS,
]


def clicked_area(event: object) -> str | None:
    """The area id of a click on a map layer (dash-leaflet sends the clicked GeoJSON feature)."""
    if not isinstance(event, dict):
        return None
    return as_scalar_text(event.get("id"))


def next_state(data: Prepared, trigger: str | None, values: dict[str, Any], current: dict | None) -> ViewState:
    """The new state after one event.

    ``trigger`` is the firing "id.prop" (None on page load), ``values`` maps "id.prop" to each
    input's value, ``current`` is the stored state.
    """
    choices = data.choices
    component, _, prop = (trigger or "").partition(".")
    if not trigger or component == ids.URL or current is None:
        return ViewState.from_query(values.get(f"{ids.URL}.search"), choices)
    state = ViewState.from_dict(current, choices)
    value = values.get(trigger)
    if component == ids.THEME_SELECT:
        if value and theme_of(data.published, state.indicator) != value:
            options = indicator_options(data.published, value)
            if options:
                state = replace(state, indicator=options[0]["value"])
        return state
    if component in CONTROL_FIELDS:
        field = CONTROL_FIELDS[component]
        edited = ViewState.from_dict({**state.to_dict(), field: value}, choices)
        if field in SINGLE_VALUE_FIELDS and getattr(edited, field) != value:
            return state  # an invalid value (e.g. a cleared dropdown) changes nothing
        return edited
    if component in (ids.MAP_LAYER, ids.MAP_COMPARE_LAYER):
        area = clicked_area(value)
        return state.toggle_area(area) if area in choices.areas else state
    if component == ids.TABLE_CLICK:
        row = as_scalar_text(as_dict(value).get("rowId")) or ""
        return state.toggle_area(row) if row in choices.areas else state
    if component == ids.CLEAR_SELECTION:
        return state.clear_selection()
    return state


def outputs_for(data: Prepared, state: ViewState, old: ViewState | None, search: str, from_url: bool) -> list:
    """Values for the router's outputs: only what changed, so responses stay small."""
    new_dict = state.to_dict()
    old_dict = old.to_dict() if old else {}

    def control(field: str) -> Any:
        return new_dict[field] if from_url or old_dict.get(field) != new_dict[field] else no_update

    theme = theme_of(data.published, state.indicator)
    theme_changed = from_url or old is None or theme_of(data.published, old.indicator) != theme
    query = state.to_query()
    indicator_changed = from_url or old is None or old.indicator != state.indicator
    years = list(data.choices.years_of(state.indicator)) if indicator_changed else no_update
    return [
        new_dict if new_dict != old_dict else no_update,
        query if not from_url and query != search else no_update,
        theme if theme_changed else no_update,
        indicator_options(data.published, theme) if theme_changed else no_update,
        years,
        *[control(f) for f in CONTROL_FIELDS.values()],
        # The groups of the manual limits and the compare controls, when their visibility may change.
        *([_shown(state.method == "manual"), _shown(state.compare == "indicator"),
           _shown(state.compare in ("year", "change"))]
          if from_url or old is None or (old.method, old.compare) != (state.method, state.compare)
          else [no_update] * 3),
        # The area picker drops a value it has no option for: with its new value it gets the
        # options, when the selection holds an area the first options do not.
        area_options(data.area_order, state.areas)
        if control("areas") is not no_update and not lists_all(data.area_order, state.areas) else no_update,
    ]


#: The view-state fields an output depends on; it is sent only when one of them changed (the
#: others are unchanged on the page). Outputs not listed depend on every field.
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    f"{ids.MAP_COL}.lg": ("compare",),
    f"{ids.MAP_COMPARE_COL}.style": ("compare",),
    f"{ids.SERIES_DATA}.data": ("indicator", "year", "municipalities", "areas"),
    f"{ids.SERIES_NOTE}.children": ("indicator", "areas"),
    f"{ids.SELECTION_NOTE}.children": ("areas", "year"),
}
VIEW_OUTPUTS = [*maps.OUTPUTS, *maps.COMPARE_OUTPUTS, *ranking.OUTPUTS, *timeseries.OUTPUTS]


def view_outputs(data: Prepared, state: ViewState, old: ViewState | None, compare_loaded: bool) -> list:
    """Maps, compare geometry, table and series for ``state``: only the parts that ``old`` (the
    view on the page) does not show already; all ``no_update`` when the view is unchanged."""
    if old is not None and old == state:
        return [no_update] * len(VIEW_OUTPUTS)
    state_dict = state.to_dict()
    map_parts = list(maps.update_maps(data, state_dict))
    table = ranking.update_table(data, state_dict, map_parts[0])
    # A count's density values are its table numbers per km²: the browser divides (assets/map.js).
    map_parts[0] = without_density_values(map_parts[0], table[0], data.area_km2.tolist())
    parts = [*map_parts, *maps.compare_geometry(data, state_dict, compare_loaded),
             *table, *timeseries.update_series(data, state_dict)]
    if old is None:
        return parts
    names = {f.name for f in fields(ViewState) if getattr(old, f.name) != getattr(state, f.name)}
    return [part if not names.isdisjoint(DEPENDS_ON.get(f"{o.component_id}.{o.component_property}", names)) else no_update
            for o, part in zip(VIEW_OUTPUTS, parts, strict=True)]


def _shown(visible: bool) -> dict:
    return {} if visible else {"display": "none"}


def register(app: dash.Dash, data: Prepared) -> None:
    outputs = [
        Output(ids.VIEW_STATE, "data"),
        Output(ids.URL, "search"),
        Output(ids.THEME_SELECT, "value"),
        Output(ids.INDICATOR_SELECT, "options"),
        Output(ids.YEAR_DATA, "data"),
        *[Output(cid, "value") for cid in CONTROL_FIELDS],
        Output(ids.LIMITS_GROUP, "style"),
        Output(ids.COMPARE_INDICATOR_GROUP, "style"),
        Output(ids.COMPARE_YEAR_GROUP, "style"),
        Output(ids.AREA_SELECT, "options", allow_duplicate=True),
        *VIEW_OUTPUTS,
    ]

    # Not on page load: the page is built for the URL's view (layouts.page), nothing to route yet.
    # The grid is mounted after the map's first paint (assets/deferred.js): optional until then.
    @app.callback(outputs, [Input(c, p, allow_optional=c in DEFERRED) for c, p in INPUTS], State(ids.VIEW_STATE, "data"),
                  maps.COMPARE_STATE,
                  prevent_initial_call=True)
    def route(*args: Any) -> list:
        values = {f"{c}.{p}": v for (c, p), v in zip(INPUTS, args[:-2], strict=True)}
        values[f"{ids.URL}.search"] = as_str(values[f"{ids.URL}.search"])
        current = as_dict(args[-2]) or None
        compare_loaded = as_bool(args[-1])
        trigger = dash.ctx.triggered[0]["prop_id"] if dash.ctx.triggered_id else None
        if trigger in EVENTS and values.get(trigger) is None:
            raise PreventUpdate  # no click happened (e.g. a component with an event input mounted)
        from_url = not trigger or trigger.startswith(ids.URL + ".")
        state = next_state(data, trigger, values, current)
        if from_url and current and state == ViewState.from_dict(current, data.choices):
            raise PreventUpdate  # the URL shows the view already (page load, Back to the same view)
        before = ViewState.from_dict(current, data.choices) if current else None
        old = None if from_url else before
        return [*outputs_for(data, state, old, values.get(f"{ids.URL}.search") or "", from_url),
                *view_outputs(data, state, before, compare_loaded)]
