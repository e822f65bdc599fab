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
