"""The page registry and the path dispatcher.

Each page is one module in ``layouts/`` (its layout) and one in ``callbacks/`` (its callbacks).
The dispatcher picks the page for the request's path and builds it server-side from path and
query, so the first paint needs no callback round trip; an unknown path gets the German 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import html

from dashboard.prepared import Prepared
from dashboard.state import ViewState
from layouts import atlas, municipality, not_found, presentation, profile
from layouts import indices as indices_page


@dataclass(frozen=True)
class Page:
    """A path (exact, or a prefix ending in '/') and the function that builds the page for it."""

    path: str
    name: str
    build: Callable[[Prepared, str, str], html.Div]  # (prepared, path, query) -> page
    #: the page's components without any data, for the validation layout that Dash embeds in every
    #: index page (a page with internal data must not leak it there); None = ``build`` is used
    skeleton: Callable[[Prepared], html.Div] | None = None

    def matches(self, path: str) -> bool:
        if self.path.endswith("/") and self.path != "/":
            return path.startswith(self.path) and len(path) > len(self.path)
        return path.rstrip("/") == self.path.rstrip("/") or (self.path == "/" and path == "")


def _atlas(prepared: Prepared, path: str, query: str) -> html.Div:
    return atlas.layout(prepared, ViewState.from_query(query, prepared.choices), query)


def _atlas_skeleton(prepared: Prepared) -> html.Div:
    """The atlas with its table and series in place (the page mounts them in the browser)."""
    return atlas.layout(prepared, ViewState.from_query("", prepared.choices), "", deferred=False)


def _presentation(prepared: Prepared, path: str, query: str) -> html.Div:
    return presentation.layout(prepared, ViewState.from_query(query, prepared.choices), query)


PAGES: list[Page] = [Page(atlas.PATH, "Atlas", _atlas, _atlas_skeleton), Page(presentation.PATH, "Präsentation", _presentation)]
PAGES.append(Page(profile.PATH, "Sozialraumprofil", profile.layout))
PAGES.append(Page(municipality.PATH, "Kommunenprofil", municipality.layout))
PAGES.append(Page(indices_page.PATH, "Indizes", indices_page.layout))


def _funding(prepared: Prepared, path: str, query: str) -> html.Div:
    from layouts import funding

    return funding.layout(prepared, path, query)


def _funding_skeleton(prepared: Prepared) -> html.Div:
    from layouts import funding

    return funding.layout(prepared, with_data=False)


# internal: in NAVIGATION only with applications; its data never goes into the validation layout
PAGES.append(Page("/foerderung", "Förderung", _funding, _funding_skeleton))


def register_page(page: Page) -> None:
    """Add a page (profiles, presentation, …) to the dispatcher."""
    PAGES.append(page)


def page_for(path: str) -> Page | None:
    for page in PAGES:
        if page.matches(path):
            return page
    return None


def build_page(prepared: Prepared, path: str, query: str) -> html.Div:
    """The page for ``path`` (the 404 page for unknown paths); never raises for odd input."""
    page = page_for(path)
    if page is None:
        return not_found.layout(prepared, path)
    return page.build(prepared, path, query)


def validation_pages(prepared: Prepared) -> list[html.Div]:
    """One instance of every page, for Dash's callback validation (data stripped by the caller)."""
    return [page.skeleton(prepared) if page.skeleton else
            page.build(prepared, page.path if not page.path.endswith("/") or page.path == "/" else
                       page.path + _sample_key(prepared, page), "") for page in PAGES]


def _sample_key(prepared: Prepared, page: Page) -> str:
    if page.path == municipality.PATH:
        return str(prepared.published.municipalities["municipality_id"].iloc[0])
    return str(prepared.geometry.area_ids[0])
