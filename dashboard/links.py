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
