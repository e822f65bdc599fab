"""The structure the issue asks for: a domain core without Dash, ids defined once and all in use."""

from __future__ import annotations

import ast
from pathlib import Path

from app import create_app
from dashboard.publish import publish
from layouts import ids
from tests.conftest import make_tiny_bundle

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("dash", "flask", "werkzeug")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_str001_dashboard_imports_no_web_framework():
    offenders = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        bad = {n for n in _imports(path) if n in FORBIDDEN or n.startswith("dash_")}
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_str002_every_id_is_defined_once():
    values = [v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)]
    assert len(values) == len(set(values)), sorted({v for v in values if values.count(v) > 1})


def _layout_ids(node, out: list[str]) -> None:
    if hasattr(node, "_traverse"):
        for component in [node, *node._traverse()]:
            cid = getattr(component, "id", None)
            if isinstance(cid, str):
                out.append(cid)


def test_str003_every_callback_id_exists_in_a_page_and_no_page_repeats_an_id():
    app = create_app(published=publish(make_tiny_bundle()))
    in_pages: list[str] = []
    _layout_ids(app.validation_layout, in_pages)
    used = set()
    for spec in app._callback_list:
        for dep in spec["inputs"] + spec["state"]:
            used.add(dep["id"])
        for part in spec["output"].strip(".").split("..."):
            used.add(part.rsplit(".", 1)[0])
    missing = {u for u in used if u not in set(in_pages)}
    assert missing == set()
    from dashboard.prepared import prepare
    from layouts.pages import PAGES
    prepared = prepare(publish(make_tiny_bundle()))
    for page in PAGES:
        built: list[str] = []
        path = page.path if not page.path.endswith("/") or page.path == "/" else page.path + prepared.geometry.area_ids[0]
        _layout_ids(page.build(prepared, path, ""), built)
        assert len(built) == len(set(built)), (page.path, sorted({b for b in built if built.count(b) > 1}))


def test_str004_public_atlas_ids_stay_stable():
    stable = {"theme-select", "indicator-select", "year-select", "municipality-select", "class-method-select",
              "map", "map-compare", "ranking-table", "timeseries"}
    app = create_app(published=publish(make_tiny_bundle()))
    found: list[str] = []
    _layout_ids(app.validation_layout, found)
    assert stable <= set(found)
