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
#: the grid's last cell click, as the router reads it (the grid is mounted late: assets/deferred.js)
TABLE_CLICK = "table-click"
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
TIMESERIES_TITLE = "timeseries-title"
MAP_COMPARE_RESET = "map-compare-reset"
NOT_FOUND = "not-found"
MAP_BOUNDS = "map-bounds"
MAP_STYLE = "map-style"
MAP_COMPARE_STYLE = "map-compare-style"
MAP_RESTYLED = "map-restyled"

# Funding page (/foerderung): internal, only with an applications file.
FUNDING_YEAR = "funding-year"
FUNDING_PROGRAMME = "funding-programme"
FUNDING_STATUS = "funding-status"
FUNDING_MUNICIPALITY = "funding-municipality"
FUNDING_ASSOCIATION = "funding-association"
FUNDING_FIELD = "funding-field"
FUNDING_GRID = "funding-grid"
FUNDING_TICKED = "funding-ticked"
FUNDING_SUMMARY = "funding-summary"
FUNDING_MAP = "funding-map"
FUNDING_MAP_LAYER = "funding-map-layer"
FUNDING_MAP_BORDERS = "funding-map-borders"
FUNDING_CIRCLES = "funding-circles"
FUNDING_LEGEND = "funding-legend"
FUNDING_SPREAD_MUNI = "funding-spread-municipalities"
FUNDING_SPREAD_ASSOC = "funding-spread-associations"
FUNDING_XLSX = "funding-xlsx"
FUNDING_DOWNLOAD = "funding-download"
FUNDING_RESET = "funding-reset"
FUNDING_BOUNDS = "funding-bounds"

# Profiles and indices pages (issue 8).
PROFILE_MAP = "profile-map"
PROFILE_MAP_LAYER = "profile-map-layer"
PROFILE_MAP_BORDERS = "profile-map-borders"
PROFILE_PRINT = "profile-print"
PROFILE_PDF = "profile-pdf"
PROFILE_XLSX = "profile-xlsx"
MUNICIPALITY_PRINT = "municipality-print"
MUNICIPALITY_PDF = "municipality-pdf"
MUNICIPALITY_XLSX = "municipality-xlsx"
MUNICIPALITY_MAPS = "municipality-maps"
INDICES_MATRIX = "indices-matrix"
INDICES_NEEDS = "indices-needs"
PROFILE_LINK = "profile-link"

# Exports (issue 9): the "Export" menus, their links, the deck's progress panel.
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


def export_link(view: str, fmt: str) -> str:
    """The id of the menu link that downloads ``view`` as ``fmt`` (e.g. ``export-map-png``)."""
    return f"export-{view}-{fmt}"

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
PRESENT_LINK = "present-link"  # the atlas's link to presentation mode with the same view
#: The ranking table's rows after a switch as compact arrays (assets/ranking.js builds the rows).
RANKING_DATA = "ranking-data"

#: A switch's time series as compact data (assets/series.js draws the figure).
SERIES_DATA = "series-data"
#: The atlas's table and series are mounted after the map's first paint (assets/deferred.js):
#: their slots, and the components without data (the browser fills them from the stores above).
RANKING_SLOT = "ranking-slot"
SERIES_SLOT = "series-slot"
DEFERRED_PARTS = "deferred-parts"
#: Each area's size in km² (geometry order): the browser computes a count's density from its numbers.
AREA_KM2 = "area-km2"
#: The years with data of the current indicator (the year controls' options are built in the browser).
YEAR_DATA = "year-data"
# Funding page: the committee's short report (PPTX, PDF) with its progress panel.
FUNDING_REPORT_PPTX = "funding-report-pptx"
FUNDING_REPORT_PDF = "funding-report-pdf"
FUNDING_REPORT_PANEL = "funding-report-panel"
FUNDING_REPORT_PROGRESS = "funding-report-progress"
FUNDING_REPORT_STATUS = "funding-report-status"
FUNDING_REPORT_CANCEL = "funding-report-cancel"
FUNDING_REPORT_DOWNLOAD = "funding-report-download"

# Profile images (issue 9): the profile page's Export menu, one PNG/SVG/PDF link per theme.
EXPORT_MENU_PROFILE = "export-menu-profile"


def profile_export_link(theme_index: int, fmt: str) -> str:
    """The id of the profile menu's link to theme number ``theme_index`` as ``fmt``."""
    return f"export-profil-{theme_index}-{fmt}"


#: The Kommunenprofil's Export menu (its links: ``export_link("kommune", fmt)``).
EXPORT_MENU_MUNICIPALITY = "export-menu-municipality"

#: Per indicator the atlas texts that do not change with the view (dashboard.page_texts).
INDICATOR_TEXTS = "indicator-texts"
