"""The funding page over the Flask test client: layout, navigation only with applications, the
what-if callbacks and the committee's XLSX; applicant data never on the public atlas page."""

from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest

from app import create_app
from callbacks.funding import update_rows, update_spread, update_store
from dashboard.bundle import load_bundle
from dashboard.funding import cached_evaluation
from dashboard.prepared import prepare
from dashboard.publish import publish
from layouts import ids
from tests.conftest import DEMO_DIR, make_tiny_bundle


@pytest.fixture(scope="module")
def demo_published():
    return publish(load_bundle(DEMO_DIR))


@pytest.fixture(scope="module")
def demo_app(demo_published):
    return create_app(published=demo_published)


@pytest.fixture(scope="module")
def demo_prepared(demo_published):
    return prepare(demo_published)


def layout_json(app, path: str) -> str:
    client = app.server.test_client()
    return json.dumps(client.get("/_dash-layout", headers={"Referer": f"http://h{path}"}).get_json(),
                      ensure_ascii=False)


def test_page_layout_has_ranked_rows_and_ticks(demo_app, demo_published):
    page = layout_json(demo_app, "/foerderung")
    assert ids.FUNDING_GRID in page and ids.FUNDING_SPREAD_MUNI in page and ids.FUNDING_CIRCLES in page
    data = json.loads(page)
    grid = _find(data, ids.FUNDING_GRID)
    rows = grid["props"]["rowData"]
    ranked = cached_evaluation(demo_published, 2024).ranked
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all("-2024-" in r["id"] for r in rows)
    ticked = set(grid["props"]["selectedRows"]["ids"])
    assert ticked == {r["id"] for r in rows if r["status"] == "bewilligt"}
    assert [r["id"] for r in rows] == list(ranked["application_id"])
    assert '"href": "/foerderung"' in page and "Arbeitsunterlage" in page


def test_public_atlas_shows_no_applicant_data(demo_app):
    page = layout_json(demo_app, "/")
    assert '"href": "/foerderung"' in page  # the navigation entry, nothing else
    demo = (DEMO_DIR / "antraege.csv").read_text(encoding="utf-8")
    applicants = {line.split(";")[2] for line in demo.splitlines()[2:]}
    assert not [a for a in applicants if a in page]
    assert "SRP-2024" not in page and "FM-2024" not in page


def test_tiny_bundle_has_no_navigation_entry_and_a_note():
    app = create_app(published=publish(make_tiny_bundle()))
    assert "/foerderung" not in layout_json(app, "/")
    page = layout_json(app, "/foerderung")
    assert "enthält keine Anträge" in page and ids.FUNDING_GRID in page


def test_filters_ticks_and_whatif(demo_prepared):
    prepared = demo_prepared
    rows, selected, store, munis, assocs, hideout, legend = update_rows(
        prepared, 2024, {"programme": ["Sozialraumprojekt"]}, None, False)
    assert rows and all(r["programme"] == "Sozialraumprojekt" for r in rows)
    assert set(selected["ids"]) <= {r["id"] for r in rows} and store["year"] == 2024
    assert set(store["ids"]) >= set(selected["ids"])  # ticks of filtered-out rows stay in the store
    assert len(hideout["codes"]) == len(prepared.geometry.area_ids)
    before = update_spread(prepared, store)[0]
    open_row = next(r for r in rows if r["status"] == "beantragt")
    new_store = update_store(prepared, [{"id": i} for i in selected["ids"]] + [{"id": open_row["id"]}], rows, 2024,
                             store)
    assert open_row["id"] in new_store["ids"] and set(store["ids"]) < set(new_store["ids"])
    after = update_spread(prepared, new_store)[0]
    assert before != after and "Bewilligt 2023–2024" in after
    amount = lambda text: int(text.split(": ")[1].split(" €")[0].replace(".", ""))  # noqa: E731
    assert amount(after) - amount(before) == round(open_row["requested"])


def test_field_filter_colours_the_map_by_that_field(demo_prepared):
    result = cached_evaluation(demo_prepared.published, 2024)
    _, _, _, _, _, hideout, _ = update_rows(demo_prepared, 2024, {"field": ["aeltere"]}, None, False)
    flagged = result.basis.flags["aeltere"]
    codes = dict(zip(demo_prepared.geometry.area_ids, hideout["codes"], strict=True))
    assert {a for a, c in codes.items() if c == 1} == set(flagged)


def test_garbage_inputs_fall_back(demo_prepared):
    rows, selected, store, *_ = update_rows(demo_prepared, {"x": 1}, {"status": "abc"}, ["junk"], False)
    assert store["year"] == 2024 and rows
    assert update_store(demo_prepared, "junk", 5, None, None)["year"] == 2024


def test_committee_xlsx_over_http(demo_app):
    key = next(k for k in demo_app.callback_map if k.startswith(f"{ids.FUNDING_DOWNLOAD}.data"))
    spec = demo_app.callback_map[key]
    values = {f"{ids.FUNDING_XLSX}.n_clicks": 1, f"{ids.FUNDING_TICKED}.data": {"year": 2024, "ids": ["SRP-2024-012"]}}
    payload = {
        "output": key, "outputs": {"id": ids.FUNDING_DOWNLOAD, "property": "data"},
        "inputs": [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in spec["inputs"]],
        "state": [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in spec["state"]],
        "changedPropIds": [f"{ids.FUNDING_XLSX}.n_clicks"],
    }
    response = demo_app.server.test_client().post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:300]
    data = response.get_json()["response"][ids.FUNDING_DOWNLOAD]["data"]
    assert data["filename"] == "foerderung_2024.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    assert book.sheetnames == ["Rangliste", "Streuung Kommunen", "Streuung Verbände", "Quelle"]
    header = [c.value for c in book["Rangliste"][1]]
    assert header[:3] == ["Rang", "Antrag", "Titel"] and "Begründung Streuung Kommune" in header
    meta = {r[0].value: r[1].value for r in book["Quelle"].iter_rows(min_row=2)}
    assert "nicht veröffentlichen" in meta["Hinweis"] and meta["Förderjahr"] == "2024"
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)


def _find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.values():
            found = _find(value, component_id)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, component_id)
            if found is not None:
                return found
    return None


def test_funding_callbacks_survive_garbage_directly(demo_prepared):
    """Each callback function itself (not only the guard around it) copes with any JSON."""
    from dash.exceptions import PreventUpdate

    from tests.app.test_fuzz import GARBAGE

    calls = [
        lambda g: update_rows(demo_prepared, g, {"programme": g, "field": g, "municipality": g}, g, False),
        lambda g: update_rows(demo_prepared, 2024, {}, g, True),
        lambda g: update_store(demo_prepared, g, g, g, g),
        lambda g: update_store(demo_prepared, g, [], 2024, {"year": 2024, "ids": g}),
        lambda g: update_spread(demo_prepared, g),
        lambda g: update_spread(demo_prepared, {"year": 2024, "ids": g}),
    ]
    for n, value in enumerate(GARBAGE[:-4]):  # the 100,000-item lists cost time, not coverage
        for i, call in enumerate(calls):
            try:
                call(value)
            except PreventUpdate:
                pass
            except Exception as exc:  # pragma: no cover - the failure message names the case
                pytest.fail(f"call {i} with garbage #{n}: {type(exc).__name__}: {exc}")


def test_funding_callbacks_over_http_never_fail(demo_app):
    from tests.app.test_fuzz import _send, fuzz_bodies

    client = demo_app.server.test_client()
    client.get("/_dash-layout")
    failures = 0
    for label, body in fuzz_bodies(demo_app):
        if "funding" not in label:
            continue
        response = _send(client, body)
        text = response.get_data(as_text=True)
        failures += response.status_code >= 500 or "Traceback" in text
    assert failures == 0


def test_index_page_html_carries_no_application_data(demo_app):
    """Dash embeds the validation layout in every index page (also the public atlas)."""
    html = demo_app.server.test_client().get("/").data.decode()
    assert "SRP-2024" not in html and "FM-2024" not in html
    assert "74.550" not in html and "Bedarfsdeckung" not in html
    assert ids.FUNDING_GRID in html  # the components are still known to Dash's validation
