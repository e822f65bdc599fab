"""Every component id of the app, defined once (tests and automation rely on the public ones)."""

from __future__ import annotations

# Public, stable ids (issue 3).
THEME_SELECT = "theme-select"
INDICATOR_SELECT = "indicator-select"
YEAR_SELECT = "year-select"
MUNICIPALITY_SELECT = "municipality-select"
CLASS_METHOD_SELECT = "class-method-select"
MAP = "map"
RANKING_TABLE = "ranking-table"
TIMESERIES = "timeseries"

# Further controls.
CLASSES_SELECT = "classes-select"
PALETTE_SELECT = "palette-select"
LIMITS_INPUT = "limits-input"
LIMITS_GROUP = "limits-group"
COMPARE_MODE = "compare-mode"
COMPARE_INDICATOR_SELECT = "compare-indicator-select"
COMPARE_YEAR_SELECT = "compare-year-select"
COMPARE_INDICATOR_GROUP = "compare-indicator-group"
COMPARE_YEAR_GROUP = "compare-year-group"
CLEAR_SELECTION = "clear-selection"
COPY_LINK = "copy-link"
COPY_LINK_STATUS = "copy-link-status"

# Views and notes.
MAP_COMPARE = "map-compare"
MAP_COMPARE_COL = "map-compare-col"
MAP_COL = "map-col"
MAP_NOTE = "map-note"
MAP_COMPARE_NOTE = "map-compare-note"
HIDDEN_NOTE = "hidden-note"
SELECTION_NOTE = "selection-note"
INDICATOR_INFO = "indicator-info"
TABLE_TITLE = "table-title"
SERIES_NOTE = "series-note"
MAP_SVG = "map-svg"
MAP_COMPARE_SVG = "map-compare-svg"
TIMESERIES_SVG = "timeseries-svg"
SVG_STATUS = "svg-status"

# Downloads.
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_XLSX = "download-xlsx"
DOWNLOAD = "download"

# State.
URL = "url"
VIEW_STATE = "view-state"
COMPARE_LOADED = "compare-loaded"
AREA_SELECT = "area-select"

# Page shell (every page).
PAGE = "page"
SOURCES_BUTTON = "sources-button"
SOURCES_POPOVER = "sources-popover"
FILTER_TOGGLE = "filter-toggle"
FILTER_CLOSE = "filter-close"
FILTER_DRAWER = "filter-drawer"
FILTER_BACKDROP = "filter-backdrop"
LINK_NOTE = "link-note"

# Atlas map (Leaflet): the container keeps the public id ``map``; its layers have their own.
MAP_LAYER = "map-layer"
MAP_BORDERS = "map-borders"
MAP_COMPARE_LAYER = "map-compare-layer"
MAP_COMPARE_BORDERS = "map-compare-borders"
MAP_LEGEND = "map-legend"
MAP_COMPARE_LEGEND = "map-compare-legend"
MAP_TITLE = "map-title"
MAP_SUBTITLE = "map-subtitle"
MAP_COMPARE_TITLE = "map-compare-title"
MAP_COMPARE_SUBTITLE = "map-compare-subtitle"
MAP_CAPTION = "map-caption"
MAP_RESET = "map-reset"
MAP_PNG = "map-png"
MAP_COMPARE_PNG = "map-compare-png"
MAP_EXPORT = "map-export"
TIMESERIES_TITLE = "timeseries-title"
MAP_COMPARE_RESET = "map-compare-reset"
NOT_FOUND = "not-found"
MAP_BOUNDS = "map-bounds"

# Exports (issue 9): the "Export" menus, their links, the deck's progress panel.
EXPORT_LINK = "export-link"  # pattern-matching type of every image link (see export_link)
EXPORT_MENU_MAP = "export-menu-map"
EXPORT_MENU_COMPARE = "export-menu-compare"
EXPORT_MENU_SERIES = "export-menu-series"
EXPORT_MENU_TABLE = "export-menu-table"
DECK_MAP = "deck-map"
DECK_SERIES = "deck-series"
DECK_TABLE = "deck-table"
DECK_PANEL = "deck-panel"
DECK_PROGRESS = "deck-progress"
DECK_CANCEL = "deck-cancel"
DECK_STATUS = "deck-status"
DECK_DOWNLOAD = "deck-download"


def export_link(view: str, fmt: str) -> dict:
    """The id of the menu link that downloads ``view`` as ``fmt``."""
    return {"type": EXPORT_LINK, "view": view, "fmt": fmt}

# Presentation mode (issue 9).
PRES_PAGE = "presentation"
PRES_URL = "pres-url"
PRES_STATE = "pres-state"
PRES_MAP = "pres-map"
PRES_LAYER = "pres-layer"
PRES_BORDERS = "pres-borders"
PRES_LEGEND = "pres-legend"
PRES_TITLE = "pres-title"
PRES_SUBTITLE = "pres-subtitle"
PRES_QR = "pres-qr"
PRES_QR_LINK = "pres-qr-link"
PRES_CAPTION = "pres-caption"
PRES_PREV_INDICATOR = "pres-previous-indicator"
PRES_NEXT_INDICATOR = "pres-next-indicator"
PRES_PREV_YEAR = "pres-previous-year"
PRES_NEXT_YEAR = "pres-next-year"
PRES_PLAY = "pres-play"
PRES_TIMER = "pres-timer"
PRES_EXIT = "pres-exit"
PRES_BASE = "pres-base"
