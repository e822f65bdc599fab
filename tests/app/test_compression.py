"""Responses are compressed for browsers that accept it (slow conference Wi-Fi)."""

from __future__ import annotations

import gzip

from app import create_app
from dashboard.publish import publish
from tests.conftest import make_tiny_bundle


def test_cmp001_page_and_scripts_are_gzipped_when_accepted():
    app = create_app(published=publish(make_tiny_bundle()))
    client = app.server.test_client()
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers.get("Content-Encoding") == "gzip"
    assert b"<html" in gzip.decompress(page.data)
    plain = client.get("/")
    assert plain.headers.get("Content-Encoding") is None  # clients without gzip get plain bytes
