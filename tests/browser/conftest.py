"""A real app on a free port (werkzeug in a thread) and headless Debian Chromium via Playwright."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from dashboard.problems import BundleError
from dashboard.publish import Published, publish
from tests.conftest import DEMO_DIR, make_tiny_bundle

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _published() -> Published:
    """The demo bundle when it loads, else the tiny bundle (the browser tests still run)."""
    try:
        from dashboard.bundle import load_bundle

        return publish(load_bundle(DEMO_DIR))
    except (BundleError, ImportError, OSError):
        return publish(make_tiny_bundle())


@pytest.fixture(scope="session")
def published_for_browser() -> Published:
    return _published()


def serve_app(published: Published) -> Iterator[str]:
    """The app for ``published`` on a free loopback port (werkzeug in a thread) while iterated."""
    from werkzeug.serving import make_server

    from app import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(published=published)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def live_url(published_for_browser: Published) -> Iterator[str]:
    yield from serve_app(published_for_browser)


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageWatch:
    """A page plus what it logged and which hosts it contacted."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._record)

    def _record(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme not in ("data", "blob"):  # inline SVG icons, MapLibre's worker
            self.hosts.add(url.hostname or url.scheme)


@pytest.fixture
def watch(browser) -> Iterator[PageWatch]:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(30000)
    yield PageWatch(page)
    page.close()
