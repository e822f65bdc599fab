"""Start-up under gunicorn (real subprocesses): a broken bundle stops it, a good one serves /healthz."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import create_app
from dashboard.publish import publish
from tests.conftest import make_tiny_bundle
from tests.unit.bundle_factory import write_bundle

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
needs_gunicorn = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn not installed")


def _free_port() -> int:
    """A free port in 8600-8699 (the range this project's tests may use)."""
    for port in range(8600, 8700):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8600-8699")


def _start(data: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "SOZIALRAUM_DATA": str(data), "SOZIALRAUM_BIND": f"127.0.0.1:{port}",
           "SOZIALRAUM_WORKERS": "2"}
    return subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    return err


def _broken(tmp_path: Path, kind: str) -> Path:
    if kind == "missing":
        return tmp_path / "nicht-da"
    folder = write_bundle(tmp_path / kind)
    (folder / "values.csv").write_text("area_id;indicator_id;year;value\nXX;EW;2022;abc\n", encoding="utf-8")
    return folder


@pytest.mark.slow
@needs_gunicorn
@pytest.mark.parametrize("kind", ["missing", "broken"])
def test_gun001_a_broken_bundle_stops_gunicorn_with_the_german_message(tmp_path, kind):
    port = _free_port()
    process = _start(_broken(tmp_path, kind), port)
    try:
        code = process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        _stop(process)
        pytest.fail("gunicorn kept running on a broken bundle")
    err = process.stderr.read() if process.stderr else ""
    assert code != 0
    assert "kann nicht geladen werden" in err and "Fehler:" in err, err[-2000:]
    assert err.count("kann nicht geladen werden") == 1  # loaded once, in the master: no worker loop
    assert "Traceback" not in err


@pytest.mark.slow
@needs_gunicorn
def test_gun002_a_good_bundle_answers_healthz_without_data_values(tmp_path):
    port = _free_port()
    process = _start(write_bundle(tmp_path / "ok"), port)
    try:
        deadline, health = time.monotonic() + 60, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.3)
        assert health is not None, "no answer on /healthz"
        assert health["status"] == "ok" and health["bundle_loaded"] is True
        assert isinstance(health["areas"], int) and health["areas"] > 0 and health["title"]
        assert set(health) == {"status", "bundle_loaded", "title", "areas"}  # never a data value
    finally:
        err = _stop(process)
    assert process.returncode == 0, err[-2000:]


def test_gun003_healthz_names_the_bundle_and_its_size_only():
    client = create_app(published=publish(make_tiny_bundle())).server.test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "bundle_loaded": True, "title": "Testregion", "areas": 6}
