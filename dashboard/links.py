"""Every link between pages, built in one place (pages, exports and QR codes use the same)."""

from __future__ import annotations

from urllib.parse import quote

ATLAS_PATH = "/"
PROFILE_PREFIX = "/profil/"
MUNICIPALITY_PREFIX = "/kommune/"
PRESENTATION_PATH = "/praesentation"
FUNDING_PATH = "/foerderung"


def atlas_href(query: str = "") -> str:
    """The atlas with a view (``query`` from ``ViewState.to_query``)."""
    return ATLAS_PATH + (query if not query or query.startswith("?") else f"?{query}")


def profile_href(area_id: str, query: str = "") -> str:
    return f"{PROFILE_PREFIX}{quote(str(area_id), safe='')}{query}"


def municipality_href(municipality_id: str, query: str = "") -> str:
    return f"{MUNICIPALITY_PREFIX}{quote(str(municipality_id), safe='')}{query}"


def absolute(base_url: str | None, href: str) -> str:
    """A link the audience can open: the configured public address in front of ``href``."""
    return (base_url or "").rstrip("/") + href

INDICES_PATH = "/indizes"
DOWNLOAD_PREFIX = "/download"


def profile_file_href(area_id: str, fmt: str, year: int | None = None) -> str:
    """The Sozialraumprofil as a file ('pdf' or 'xlsx'), served by the app (callbacks/profile.py)."""
    query = f"?year={year}" if year is not None else ""
    return f"{DOWNLOAD_PREFIX}/profil/{quote(str(area_id), safe='')}.{fmt}{query}"


def municipality_file_href(municipality_id: str, fmt: str, theme: str = "", year: int | None = None) -> str:
    from urllib.parse import urlencode

    params = {k: v for k, v in (("theme", theme), ("year", "" if year is None else str(year))) if v}
    query = f"?{urlencode(params)}" if params else ""
    return f"{DOWNLOAD_PREFIX}/kommune/{quote(str(municipality_id), safe='')}.{fmt}{query}"


def indices_href(year: int | None = None) -> str:
    return INDICES_PATH + (f"?year={year}" if year is not None else "")


#: The view name of the profile image in the export route (``/export/profil.png?area=…``).
PROFILE_IMAGE_VIEW = "profil"


def profile_image_query(area_id: str, year: int | None = None, theme: str = "") -> str:
    """'?area=…&year=…&theme=…' of the profile image served by ``/export/profil.<fmt>``."""
    from urllib.parse import urlencode

    params = {"area": area_id, **({"year": str(year)} if year is not None else {}), **({"theme": theme} if theme else {})}
    return "?" + urlencode(params)


#: The view name of the Kommunenprofil's maps in the export route (``/export/kommune.png?municipality=…``).
MUNICIPALITY_IMAGE_VIEW = "kommune"


def municipality_image_query(municipality_id: str, theme: str = "", year: int | None = None) -> str:
    """'?municipality=…&theme=…&year=…' of the Kommunenprofil maps served by ``/export/kommune.<fmt>``."""
    from urllib.parse import urlencode

    params = {"municipality": municipality_id, **({"theme": theme} if theme else {}),
              **({"year": str(year)} if year is not None else {})}
    return "?" + urlencode(params)
