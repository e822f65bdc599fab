"""Hostile requests: every server callback fuzzed over HTTP with wrong types, huge values, unknown
ids and nested garbage; a too-large body, a malformed Referer and broken request shapes.

The callbacks are read from ``app.callback_map``, so a callback added later is fuzzed too. A
request may be refused (204, 400, 413), but never answered with 500 or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from dash._utils import split_callback_id

from app import create_app
from dashboard.prepared import prepare
from dashboard.publish import publish
from tests.app.grid import grid_rows
from tests.conftest import make_tiny_bundle

UPDATE = "/_dash-update-component"


def _nested(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value, 1, None] if i % 2 else {"points": value, "rowId": "x"}
    return value


#: Wrong types, huge values, unknown ids, nested garbage: every one goes into every slot.
GARBAGE: list[Any] = [
    None, "abc", "", 123, -1, 1.5e308, True, [], {}, ["x"], [None, 1, {}],
    {"points": "abc"}, {"points": [1, "x", None, {"location": {"a": 1}}, {"location": None}]},
    {"points": [{"location": "A1"}] * 3}, {"rowId": {"x": 1}, "colId": 5}, {"rowId": "NOPE"},
    {"indicator": ["SGB2"], "year": {"a": 1}, "areas": 5, "municipalities": {"M1": 1}, "classes": "9",
     "method": None, "palette": [], "limits": {"x": 1}, "compare": 7, "compare_indicator": [1],
     "compare_year": "x"},
    {"map.center": "abc", "map.zoom": {"x": 1}}, {"map.center": {"lon": "a", "lat": None}, "map.zoom": 1},
    [{"unit_id": {"x": 1}}, {"unit_id": None}, "row", 3],
    "?indicator=" + "%" * 1000 + "&year=1e9999&areas=" + ",".join(["A1"] * 2000),
    "x" * 500_000,  # a 500 KB string
    list(range(100_000)),  # a 100,000-element list
    ["A1"] * 100_000,
    _nested(60),
]


def _server_callbacks(app) -> list[tuple[str, dict]]:
    """Every callback that runs on the server (clientside ones have no Python function)."""
    return [(key, spec) for key, spec in app.callback_map.items() if "callback" in spec]


def _body(key: str, spec: dict, values: dict[str, Any], changed: list[str]) -> dict:
    outputs = split_callback_id(key)
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in spec["inputs"]],
        "state": [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in spec["state"]],
        "changedPropIds": changed,
    }


def fuzz_bodies(app) -> Iterator[tuple[str, Any]]:
    """(label, body) for every server callback: each garbage value in each input and state slot,
    all slots garbage at once, and broken request shapes (unknown ids, wrong structure)."""
    for key, spec in _server_callbacks(app):
        slots = [f"{s['id']}.{s['property']}" for s in spec["inputs"] + spec["state"]]
        first_input = slots[0]
        for slot in slots:
            trigger = slot if any(f"{i['id']}.{i['property']}" == slot for i in spec["inputs"]) else first_input
            for n, value in enumerate(GARBAGE):
                yield f"{key[:40]} {slot} #{n}", _body(key, spec, {slot: value}, [trigger])
        for n, value in enumerate(GARBAGE):
            yield f"{key[:40]} all #{n}", _body(key, spec, dict.fromkeys(slots, value), [first_input])
        good = _body(key, spec, {}, [first_input])
        yield f"{key[:40]} unknown trigger", {**good, "changedPropIds": ["no-such-id.value", 5, None]}
        yield f"{key[:40]} too few inputs", {**good, "inputs": good["inputs"][:1], "state": []}
        yield f"{key[:40]} too many inputs", {**good, "inputs": good["inputs"] * 3}
        yield f"{key[:40]} inputs a string", {**good, "inputs": "abc"}
        yield f"{key[:40]} inputs garbage", {**good, "inputs": [1, "x", None, {"id": {"x": 1}}]}
        yield f"{key[:40]} outputs garbage", {**good, "outputs": [{"id": 1}, "x"]}
        yield f"{key[:40]} no outputs", {k: v for k, v in good.items() if k != "outputs"}
        yield f"{key[:40]} unknown output id", {**good, "output": "no-such-id.children"}
        yield f"{key[:40]} pattern id", {**good, "output": '{"index":1,"type":"x"}.children'}
    for n, body in enumerate([None, "abc", 123, [], [1, 2], {}, {"output": None}, {"output": ["x"]},
                              {"output": 5, "inputs": {}}, _nested(60)]):
        yield f"shape #{n}", body


@pytest.fixture(scope="module")
def app():
    app = create_app(published=publish(make_tiny_bundle()))
    app.server.test_client().get("/_dash-layout")  # first request: callbacks of ``dash.callback`` join the map
    return app


def _send(client, body: Any):
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def test_fuz001_every_callback_survives_hostile_inputs(app):
    client = app.server.test_client()
    failures, count, statuses = [], 0, set()
    for label, body in fuzz_bodies(app):
        response = _send(client, body)
        count += 1
        statuses.add(response.status_code)
        text = response.get_data(as_text=True)
        if response.status_code >= 500 or "Traceback" in text or 'File "' in text:
            failures.append(f"{label}: {response.status_code} {text[:120]!r}")
    assert count > 500  # every slot of every callback was tried
    assert not failures, f"{len(failures)} of {count} requests failed:\n" + "\n".join(failures[:40])
    assert 200 in statuses  # garbage is mostly ignored gracefully, not everything refused


def test_fuz002_every_server_callback_is_fuzzed(app):
    keys = {label.split(" ")[0] for label, _ in fuzz_bodies(app)}
    assert len(_server_callbacks(app)) >= 6
    assert {k[:40] for k, _ in _server_callbacks(app)} <= keys


def test_fuz003_a_valid_request_still_answers_after_the_guard(app):
    key, spec = next((k, s) for k, s in _server_callbacks(app) if k.startswith("..view-state.data"))
    link = {"url.search": "?indicator=WFL&year=2022&areas=B1"}
    response = _send(app.server.test_client(), _body(key, spec, link, ["url.search"]))
    assert response.status_code == 200
    out = response.get_json()["response"]
    assert out["map-title"]["children"] == "Wohnfläche je Einwohner (m²) 2022"
    rows = grid_rows(prepare(publish(make_tiny_bundle())), out["ranking-data"]["data"], out["map-style"]["data"])
    assert [r["unit_id"] for r in rows if r.get("selected")] == ["B1"]


def test_fuz004_a_too_large_body_is_refused_with_413(app):
    client = app.server.test_client()
    big = b'{"output": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post(UPDATE, data=big, content_type="application/json")
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)
    assert app.server.config["MAX_CONTENT_LENGTH"] <= 1024 * 1024


@pytest.mark.parametrize("referer", ["http://[::1", "http://[", "://", "\x00\x01", "http://h/?%%%&&==", "x" * 20_000])
def test_fuz005_a_malformed_referer_still_gives_the_page(app, referer):
    response = app.server.test_client().get("/_dash-layout", headers={"Referer": referer})
    assert response.status_code == 200
    assert "props" in response.get_data(as_text=True)


def test_fuz006_non_json_bodies_are_refused_without_a_traceback(app):
    client = app.server.test_client()
    for data, kind in [(b"{not json", "application/json"), (b"\xff\xfe\x00", "application/json"),
                       (b"a=1", "application/x-www-form-urlencoded"), (b"", "text/plain")]:
        response = client.post(UPDATE, data=data, content_type=kind)
        assert response.status_code < 500 and "Traceback" not in response.get_data(as_text=True)


def test_fuz007_coercion_helpers_fall_back_to_empty_values():
    from callbacks.guard import as_bool, as_dict, as_int, as_list_of_dict, as_list_of_str, as_scalar_text, as_str
    assert as_dict("abc") == {} and as_dict({"a": 1}) == {"a": 1}
    assert as_str(5) == "" and as_str("x" * 20_000) == "x" * 10_000
    assert as_int(True) is None and as_int(2.0) == 2 and as_int(float("nan")) is None and as_int("3") is None
    assert as_list_of_str(["a", 1, None, "b"]) == ["a", "b"] and as_list_of_str("ab") == []
    assert as_list_of_dict([{}, "x", 3]) == [{}] and len(as_list_of_dict([{}] * 50_000)) == 20_000
    assert as_scalar_text({"x": 1}) is None and as_scalar_text(7) == "7" and as_scalar_text(1.5) is None
    assert as_bool("true") is False and as_bool(True) is True


def test_fuz008_garbage_events_leave_the_view_unchanged(app_data):
    from callbacks.ranking import row_ids
    from callbacks.state import INPUTS, next_state
    from dashboard.state import ViewState
    current = ViewState.from_query("?indicator=SGB2&year=2022&areas=A1", app_data.choices).to_dict()
    base = dict.fromkeys(f"{c}.{p}" for c, p in INPUTS)
    for trigger, value in [("map.clickData", {"points": "abc"}), ("map.selectedData", {"points": [1, None]}),
                           ("table-click.data", "A2"), ("table-click.data", {"rowId": ["A2"]}),
                           ("year-select.value", {"y": 2021}), ("classes-select.value", "abc")]:
        state = next_state(app_data, trigger, {**base, trigger: value}, current)
        assert state.to_dict() == current, trigger
    assert row_ids([{"unit_id": {"x": 1}}, "A1", {"unit_id": "B1"}, {"unit_id": 5}]) == ["B1", "5"]


def test_fuz009_a_callback_added_later_is_guarded_too(caplog):
    from dash import Input, Output

    from callbacks.guard import guard_callbacks
    app = create_app(published=publish(make_tiny_bundle()))

    @app.callback(Output("table-title", "children", allow_duplicate=True), Input("copy-link", "n_clicks"),
                  prevent_initial_call=True)
    def broken(n_clicks):
        return 1 / 0

    assert guard_callbacks(app) == len(_server_callbacks(app))
    key = next(k for k in app.callback_map if k.startswith("table-title.children@"))
    body = _body(key, app.callback_map[key], {"copy-link.n_clicks": 1}, ["copy-link.n_clicks"])
    with caplog.at_level("WARNING", logger="callbacks.guard"):
        response = _send(app.server.test_client(), body)
    assert response.status_code == 204 and response.get_data() == b""
    assert "ZeroDivisionError" in caplog.text


def test_fuz010_file_routes_answer_junk_queries_without_a_500(app, monkeypatch):
    """The export and download routes read their query themselves: junk gives a file or a German 404."""
    from urllib.parse import quote

    from dashboard.exports.renderer import Renderer

    monkeypatch.setattr(Renderer, "render", lambda self, figure, fmt, w=None, h=None: b"IMG")
    client = app.server.test_client()
    values = [v for v in GARBAGE if isinstance(v, str | int | float)][:12] + ["%zz", "\u202e", "A1\x00", "../A1"]
    for value in values:
        text = quote(str(value)[:5000], safe="")
        for path in (f"/export/profil.png?area={text}", f"/export/profil.svg?area=A1&year={text}&theme={text}",
                     f"/export/profil.pdf?{text}", f"/export/map.png?{text}",
                     f"/export/kommune.png?municipality={text}&theme={text}&year={text}",
                     f"/export/kommune.svg?municipality=M1&theme={text}&year={text}"):
            response = client.get(path)
            assert response.status_code in (200, 404), (path[:60], response.status_code)
            assert "Traceback" not in response.get_data(as_text=True)


def test_fuz004_an_event_input_without_a_value_is_no_event(app):
    """Dash fires the router with an empty click input when a component with one mounts; answering
    that request with the view it carries would race a click in flight."""
    key, spec = next((k, s) for k, s in _server_callbacks(app) if k.startswith("..view-state.data"))
    state = {"indicator": "WFL", "year": 2022}
    client = app.server.test_client()
    mount = _send(client, _body(key, spec, {"view-state.data": state, "url.search": ""}, ["table-click.data"]))
    assert mount.status_code == 204
    click = _send(client, _body(key, spec, {"view-state.data": state, "url.search": "",
                                            "table-click.data": {"rowId": "B1", "colId": "name"}},
                                ["table-click.data"]))
    assert click.status_code == 200
    assert json.loads(click.data)["response"]["view-state"]["data"]["areas"] == ["B1"]
