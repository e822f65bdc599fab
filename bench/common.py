"""Shared helpers of the benchmarks: bundles by size, the real and the naive app, Dash payloads, ports."""

from __future__ import annotations

import gzip
import json
import logging
import os
import socket
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO = ROOT / "geodata" / "staedteregion-aachen"
SYNTH = "/tmp/sozialraum-synth-{n}"
RESULTS = ROOT / "bench" / "results"
#: Ports of servers the benchmarks start (the team's range for this work).
PORTS = range(9100, 9200)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def bundle_dir(size: int | str) -> Path:
    """93 (or 'demo') = the demo bundle; else a synthetic bundle of that many areas (generated once)."""
    if str(size) in ("93", "demo"):
        return DEMO
    out = Path(SYNTH.format(n=int(size)))
    if not (out / "values.csv").exists():
        from dashboard.demo.synthetic import generate_synthetic

        print(f"generating a synthetic bundle with {size} areas into {out} …", flush=True)  # noqa: T201
        generate_synthetic(int(size), out, seed=1)
    return out


def free_port() -> int:
    """A free loopback port in PORTS."""
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 9100-9199")


def serve(flask_app: Any, port: int) -> Any:
    """A threaded werkzeug server in the background; ``.shutdown()`` stops it."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", port, flask_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def callback_key(app: Any, output: str) -> str:
    """The callback_map key of the server callback that writes ``output`` ('id.prop')."""
    for key, spec in app.callback_map.items():
        if spec.get("clientside_function") or "callback" not in spec:
            continue
        if output in [o.split("@")[0] for o in key.strip(".").split("...")]:
            return key
    raise KeyError(output)


def payload(app: Any, key: str, values: dict[str, Any], changed: list[str]) -> dict:
    """The JSON the dash-renderer posts for callback ``key`` with prop ``values``."""
    spec = app.callback_map[key]
    outs = [o.split("@")[0].rsplit(".", 1) for o in key.strip(".").split("...")]
    outputs = [{"id": i, "property": p} for i, p in outs]

    def item(s: dict) -> dict:
        out = {"id": s["id"], "property": s["property"]}
        k = f"{s['id']}.{s['property']}"
        if k in values:
            out["value"] = values[k]
        return out

    return {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec.get("state", [])],
            "changedPropIds": changed}


def wire_size(body: bytes) -> int:
    """Bytes on the wire with gzip (level 6, as flask-compress)."""
    return len(gzip.compress(body, compresslevel=6))


def median(xs: list[float]) -> float:
    return float(statistics.median(xs)) if xs else float("nan")


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    ys = sorted(xs)
    return ys[min(len(ys) - 1, int(round(p / 100 * (len(ys) - 1))))]


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


def env_with(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env["PYTHONPATH"] = str(ROOT)
    return env
