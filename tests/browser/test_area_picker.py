"""The area picker of a bundle with more areas than it lists: search in the browser, any area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.options import AREA_OPTION_LIMIT, area_options, area_order
from dashboard.publish import Published
from tests.browser.conftest import serve_app

pytestmark = pytest.mark.browser

AREAS = AREA_OPTION_LIMIT + 40
OPTIONS = "[role=option]"


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Published:
    from dashboard.bundle import load_bundle
    from dashboard.demo.synthetic import generate_synthetic
    from dashboard.publish import publish

    out: Path = tmp_path_factory.mktemp("many")
    generate_synthetic(AREAS, out, seed=5, years=(2023, 2024))
    return publish(load_bundle(out))


@pytest.fixture(scope="module")
def many_url(many: Published) -> Iterator[str]:
    yield from serve_app(many)


def _options(page) -> list[dict]:
    return page.evaluate("() => window.dash_component_api.getLayout('area-select').props.options")


def _open_picker(page) -> None:
    page.click("#area-select")
    page.wait_for_selector(OPTIONS)


def test_arp001_typing_finds_an_area_beyond_the_listed_ones_and_selects_it(many_url, many, watch):
    page = watch.page
    page.goto(many_url + "/")
    page.wait_for_selector("#map path.leaflet-interactive")
    assert f"ersten {AREA_OPTION_LIMIT} von {AREAS} Sozialräumen" in page.locator("body").inner_text()
    every = area_options(area_order(many), limit=len(many.areas))
    late = every[-1]  # sorted last: not among the options the page lists
    assert late not in area_options(area_order(many))
    _open_picker(page)
    assert _options(page) == every[:AREA_OPTION_LIMIT]  # the list is virtualised: read the prop
    name = late["label"].rsplit(" (", 1)[0]
    page.keyboard.type(name)
    option = page.get_by_role("option", name=late["label"], exact=True)
    option.wait_for()
    assert [o["value"] for o in _options(page)] == [o["value"] for o in every
                                                    if all(w.lower() in o["label"].lower() for w in name.split())]
    option.click()
    page.wait_for_function("v => window.location.search.includes(v)", arg=f"areas={late['value']}")
    page.keyboard.press("Escape")
    assert late["label"] in page.locator("#area-select").inner_text()
    assert watch.errors == []


def test_arp002_a_map_click_on_an_unlisted_area_shows_its_name_in_the_picker(many_url, many, watch):
    page = watch.page
    page.goto(many_url + "/")
    page.wait_for_selector("#map path.leaflet-interactive")
    listed = [o["value"] for o in area_options(area_order(many))]
    # An unlisted area whose label point is not covered by the legend or a title: click there.
    hit = page.evaluate("""listed => {
        const m = window.sozialraum.map.instances['map-layer'];
        const box = m.getContainer().getBoundingClientRect();
        for (const layer of Object.values(m._layers)) {
            if (!layer.feature || listed.includes(layer.feature.id)) { continue; }
            const p = m.latLngToContainerPoint(layer.getCenter());
            const x = box.left + p.x, y = box.top + p.y;
            if (document.elementFromPoint(x, y) === layer._path) { return {id: layer.feature.id, x: x, y: y}; }
        }
        return null;
    }""", listed)
    assert hit is not None
    target = hit["id"]
    label = next(o["label"] for o in area_options(area_order(many), limit=len(many.areas)) if o["value"] == target)
    page.mouse.click(hit["x"], hit["y"])
    page.wait_for_function("v => window.location.search.includes(v)", arg=f"areas={target}")
    page.wait_for_function("t => document.getElementById('area-select').innerText.includes(t)", arg=label)
    assert watch.errors == []
