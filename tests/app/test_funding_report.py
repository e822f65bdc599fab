"""The committee's short report on /foerderung: the buttons beside the XLSX, the background callback
with progress, and files that follow the page's year, filters and what-if ticks."""

from __future__ import annotations

import base64
import io
import json
import shutil

import pytest
from dash.exceptions import PreventUpdate
from pptx import Presentation
from pypdf import PdfReader

from app import create_app
from callbacks.funding import report_download
from dashboard.bundle import load_bundle
from dashboard.funding import cached_evaluation
from dashboard.prepared import prepare
from dashboard.publish import publish
from layouts import ids
from tests.app.test_funding_page import _find
from tests.conftest import DEMO_DIR

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def demo_published():
    return publish(load_bundle(DEMO_DIR))


@pytest.fixture(scope="module")
def demo_prepared(demo_published):
    return prepare(demo_published)


def test_buttons_sit_beside_the_xlsx_and_the_callback_runs_in_the_background(demo_published):
    app = create_app(published=demo_published)
    client = app.server.test_client()
    page = client.get("/_dash-layout", headers={"Referer": "http://h/foerderung"}).get_json()
    xlsx = _find(page, ids.FUNDING_XLSX)
    group = next(node for node in _walk(page) if isinstance(node.get("props", {}).get("children"), list)
                 and xlsx in node["props"]["children"])
    labels = [c["props"]["children"] for c in group["props"]["children"]]
    assert labels[-3:] == ["XLSX für den Ausschuss", "Kurzbericht (PPTX)", "Kurzbericht (PDF)"]
    assert _find(page, ids.FUNDING_REPORT_PANEL)["props"]["style"] == {"display": "none"}
    key = next(k for k in app.callback_map if k.startswith(f"{ids.FUNDING_REPORT_DOWNLOAD}.data"))
    spec = app.callback_map[key]
    assert spec.get("long") or spec.get("background")  # Dash's background-callback marker
    states = {f"{s['id']}.{s['property']}" for s in spec["state"]}
    assert {f"{ids.FUNDING_YEAR}.value", f"{ids.FUNDING_PROGRAMME}.value", f"{ids.FUNDING_FIELD}.value",
            f"{ids.FUNDING_TICKED}.data"} <= states
    public = json.dumps(client.get("/_dash-layout", headers={"Referer": "http://h/"}).get_json(), ensure_ascii=False)
    assert ids.FUNDING_REPORT_PDF not in public and "Kurzbericht" not in public  # not on the public atlas


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.mark.parametrize("trigger,clicks", [(None, 1), ("funding-xlsx", 1), (ids.FUNDING_REPORT_PDF, 0),
                                            (ids.FUNDING_REPORT_PPTX, None), (ids.FUNDING_REPORT_PDF, "1"),
                                            ({"x": 1}, 1), (ids.FUNDING_REPORT_PDF, True)])
def test_no_file_without_a_real_click(demo_prepared, trigger, clicks):
    with pytest.raises(PreventUpdate):
        report_download(demo_prepared, trigger, clicks, 2024, {}, None)


@needs_chromium
def test_pdf_and_pptx_follow_year_filters_and_ticks(demo_prepared):
    result = cached_evaluation(demo_prepared.published, 2023)
    srp = result.ranked[result.ranked["programme"] == "Sozialraumprojekt"]
    open_one = result.ranked[result.ranked["status"] != "bewilligt"].iloc[0]["application_id"]  # decided year: a rejected one
    ticked = sorted(set(result.spread.approved & set(result.ranked["application_id"])) | {open_one})
    store = {"year": 2023, "ids": ticked}
    seen = []
    pdf = report_download(demo_prepared, ids.FUNDING_REPORT_PDF, 1, 2023, {"programme": ["Sozialraumprojekt"]},
                          store, seen.append)
    assert pdf["filename"] == "Foerderung_2023_Kurzbericht.pdf"
    assert seen and seen[-1][0] == 100 and "Kurzbericht (PDF)" in seen[-1][2]
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf["content"])))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Förderung nach Bedarf 2023" in text and "Filter der Liste: Programm: Sozialraumprojekt" in text
    assert "Was-wäre-wenn" in text and "Mittel mit Auswahl" in text
    assert all(i in text for i in srp["application_id"])
    others = result.ranked.loc[result.ranked["programme"] != "Sozialraumprojekt", "application_id"]
    assert not any(i in text for i in others)  # the filter holds
    pptx = report_download(demo_prepared, ids.FUNDING_REPORT_PPTX, 2, 2023, {}, {"year": 2023, "ids": []})
    assert pptx["filename"] == "Foerderung_2023_Kurzbericht.pptx"
    prs = Presentation(io.BytesIO(base64.b64decode(pptx["content"])))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "Förderung nach Bedarf 2023" and "Streuung nach Kommunen" in titles
    garbage = report_download(demo_prepared, ids.FUNDING_REPORT_PDF, 1, {"x": 1}, {"status": 5, "field": [None]},
                              ["junk"])
    assert garbage["filename"] == "Foerderung_2024_Kurzbericht.pdf"  # the latest year, no filter, as decided
