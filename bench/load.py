"""Load test against gunicorn (2 workers, loopback) and resident memory per worker.

    .venv/bin/python bench/load.py [--size 93] [--users 50] [--seconds 60] [--max-requests 20000]

Each simulated user (a thread with its own keep-alive connection) loads the page (index,
layout, dependencies), then every 1–3 s fires an indicator, year or selection switch: the
router callback, then the map, table and series callbacks with the new view state, as the
browser does. Latency is per request; p50/p95/p99 over all callback requests; errors are
non-200/204 answers and failed connections. Bounded by ``--seconds`` and ``--max-requests``.
Memory: RSS and PSS (proportional: shared pages split between processes) of each worker from
/proc, after the run; with ``preload_app`` the workers share the prepared data copy-on-write.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, bundle_dir, callback_key, env_with, free_port, payload, percentile, write_result  # noqa: E402
from layouts import ids  # noqa: E402


def _kb(proc_file: Path, field: str) -> int:
    for line in proc_file.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker_memory(master_pid: int) -> list[dict[str, float]]:
    """RSS and PSS (MB) of the gunicorn workers (children of the master)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    out = []
    for pid in children:
        base = Path(f"/proc/{pid}")
        try:
            out.append({"pid": int(pid), "rss_mb": round(_kb(base / "status", "VmRSS") / 1024, 1),
                        "pss_mb": round(_kb(base / "smaps_rollup", "Pss") / 1024, 1)})
        except OSError:
            continue
    return out


def start_gunicorn(folder: Path, port: int, cache: str | None = None, workers: int = 2) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py on loopback; ``cache`` None = the default prepared cache."""
    env = env_with(SOZIALRAUM_DATA=str(folder), SOZIALRAUM_BIND=f"127.0.0.1:{port}",
                   SOZIALRAUM_WORKERS=str(workers), **({"SOZIALRAUM_CACHE": cache} if cache else {}))
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", str(ROOT / "gunicorn.conf.py"),
                             "--access-logfile", "/dev/null"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 1200:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn ended: {proc.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise TimeoutError("gunicorn did not answer /healthz")


class User(threading.Thread):
    def __init__(self, port: int, plan: dict, until: float, budget: list[int], lock: threading.Lock,
                 seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.plan, self.until, self.budget, self.lock = port, plan, until, budget, lock
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.page_ms: list[float] = []
        self.errors: list[str] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def _request(self, method: str, path: str, body: dict | None = None) -> tuple[float, bytes]:
        with self.lock:
            if self.budget[0] <= 0:
                raise TimeoutError("request budget used up")
            self.budget[0] -= 1
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept-Encoding": "gzip"}
        if data:
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.errors.append(f"{path}: {error!r}")
            return (time.perf_counter() - t0) * 1000, b""
        ms = (time.perf_counter() - t0) * 1000
        if response.status not in (200, 204):
            self.errors.append(f"{path}: HTTP {response.status}")
        if response.getheader("Content-Encoding") == "gzip":
            import gzip

            content = gzip.decompress(content)
        return ms, content

    def run(self) -> None:
        try:
            t0 = time.perf_counter()
            for path in ("/", "/_dash-layout", "/_dash-dependencies"):
                self._request("GET", path)
            self.page_ms.append((time.perf_counter() - t0) * 1000)
            plan = self.plan
            props: dict[str, Any] = {f"{ids.VIEW_STATE}.data": plan["state"], f"{ids.URL}.search": "",
                                     f"{ids.COMPARE_LOADED}.data": False}
            while time.time() < self.until:
                time.sleep(self.rng.uniform(1.0, 3.0))
                if time.time() >= self.until:
                    break
                prop, value = self.rng.choice(plan["events"])
                props[prop] = value
                ms, content = self._request("POST", "/_dash-update-component",
                                            payload(plan["app"], plan["router"], props, [prop]))
                self.latencies.append(ms)
                try:
                    state = json.loads(content)["response"][ids.VIEW_STATE]["data"] if content else None
                except (KeyError, ValueError):
                    state = None
                if state is None:
                    continue
                props[f"{ids.VIEW_STATE}.data"] = state
                for key in plan["followers"]:
                    ms, _ = self._request("POST", "/_dash-update-component",
                                          payload(plan["app"], key, props, [f"{ids.VIEW_STATE}.data"]))
                    self.latencies.append(ms)
        except TimeoutError:
            pass
        finally:
            self.conn.close()


def _plan(folder: Path) -> dict:
    """Callback keys and a pool of events, from an in-process app of the same bundle."""
    from app import create_app
    from dashboard.cache import load_cached
    from dashboard.options import indicator_options, theme_of
    from dashboard.state import ViewState

    prepared, _ = load_cached(folder)
    app = create_app(folder)
    router = callback_key(app, f"{ids.VIEW_STATE}.data")
    followers = [k for k, s in app.callback_map.items() if "callback" in s and k != router
                 and any(i["id"] == ids.VIEW_STATE for i in s["inputs"])]
    choices = prepared.choices
    first = choices.default_indicator
    theme = [o["value"] for o in indicator_options(prepared.published, theme_of(prepared.published, first))]
    events = [(f"{ids.INDICATOR_SELECT}.value", i) for i in theme]
    events += [(f"{ids.YEAR_SELECT}.value", y) for y in choices.years_of(first)]
    events += [(f"{ids.MAP_LAYER}.clickData", {"id": a}) for a in list(choices.areas)[:50]]
    return {"app": app, "router": router, "followers": followers, "events": events,
            "state": ViewState.from_query("", choices).to_dict()}


def run(size: str, users: int, seconds: float, max_requests: int, cache: str | None = None) -> dict[str, Any]:
    folder = bundle_dir(size)
    plan = _plan(folder)
    port = free_port()
    if True:
        proc = start_gunicorn(folder, port, cache)
        try:
            idle = worker_memory(proc.pid)
            until = time.time() + seconds
            budget, lock = [max_requests], threading.Lock()
            crowd = [User(port, plan, until, budget, lock, seed=k) for k in range(users)]
            t0 = time.perf_counter()
            for user in crowd:
                user.start()
                time.sleep(0.02)
            for user in crowd:
                user.join(timeout=seconds + 120)
            wall = time.perf_counter() - t0
            busy = worker_memory(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    latencies = [x for u in crowd for x in u.latencies]
    errors = [e for u in crowd for e in u.errors]
    pages = [x for u in crowd for x in u.page_ms]
    result = {"size": str(size), "users": users, "seconds": seconds, "wall_s": round(wall, 1),
              "requests": len(latencies), "p50_ms": round(percentile(latencies, 50), 1),
              "p95_ms": round(percentile(latencies, 95), 1), "p99_ms": round(percentile(latencies, 99), 1),
              "page_load_p95_ms": round(percentile(pages, 95), 1), "errors": len(errors),
              "error_samples": errors[:5], "memory_idle": idle, "memory_after": busy}
    print(f"load {size}: {users} users {seconds:.0f} s: {len(latencies)} callback requests, "  # noqa: T201
          f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, errors {len(errors)}; "
          f"worker RSS/PSS after: {[(m['rss_mb'], m['pss_mb']) for m in busy]} MB", flush=True)
    return result


def memory(size: str, cache: str | None = None) -> dict[str, Any]:
    """Worker memory of gunicorn with a bundle after one page load and a few switches per worker."""
    return run(size, users=4, seconds=8, max_requests=400, cache=cache)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="93")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=20000)
    args = parser.parse_args(argv)
    write_result("load", run(args.size, args.users, args.seconds, args.max_requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
