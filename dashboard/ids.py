"""Every component id of the page, in one place: layout, callbacks, tests and bench use these.

The README lists them for automation. A chart's graph id comes from its registry entry
(``charts.Chart.graph_id``).
"""
import json

URL = "url"
STATE = "view-state"  # the browser's store of the ViewState
DRAWN = "figures-drawn"  # digests of the figures the page holds (only changes are sent)
CHIP_REMOVED = "chip-removed"  # the chip whose x was clicked (set in the browser)
ROW_CHOSEN = "chart-row-chosen"  # the chart table's row whose button was pressed (browser)
EXPORT_NAME = "export-name"  # the view's file-name part for the camera and SVG downloads
NOTICE = "url-notice"
COVERAGE = "coverage"
COVERAGE_TOGGLE = "coverage-toggle"  # shows the collections' inclusion rules
COVERAGE_DETAILS = "coverage-details"
PAGE = "page-body"  # the page's body; class "filters-hidden" when the filter panel is closed
FILTER_PANEL = "filter-panel"
FILTER_TOGGLE = "filter-toggle"
CHIPS = "chips"
RESET = "reset"
TABS = "view-tabs"
COMPARE_RULE = "compare-rule"
FILTER_EVENTS = "filter-events"  # the key events' switch
CHANGE_BASELINE = "change-baseline"  # "What changed": the baseline's date range
CHANGE_PCT = "change-flag-pct"  # and its two flag thresholds
CHANGE_MIN = "change-flag-min"

FILTER_DATE = "filter-date"
FILTER_MIN_KILLED = "filter-min-killed"
FILTER_PERIOD = "filter-period"
FILTER_PRECISE = "filter-precise"  # the switch: precise rows only
# the multi-value filter controls: id -> Filters field
FILTER_CONTROLS = {
    "filter-province": "province",
    "filter-district": "district",
    "filter-group": "group",
    "filter-attribution": "attribution",
    "filter-target": "target_type",
    "filter-attack": "attack_type",
}
FILTER_DISTRICT = "filter-district"

KPIS = ("kpi-attacks", "kpi-killed", "kpi-injured", "kpi-unknown")


def kpi_note(kpi: str) -> str:
    return f"{kpi}-note"


GRID = "grid-incidents"
GRID_NOTE = "grid-note"
PUBLISHED_GRID = "grid-published"

EXPORT_BUTTON = "export-pack"
EXPORT_STATUS = "export-status"
EXPORT_CANCEL = "export-cancel"
EXPORT_DOWNLOAD = "download-pack"

MODAL = "incident-modal"
MODAL_TITLE = "incident-title"
MODAL_BODY = "incident-detail"


def press(store: str, **data) -> dict:
    """A button's attributes that make pressing it (a click, Enter or Space) set `store`'s
    data to `data`, stamped with the time, in the browser (``assets/dashboard.js``: one
    listener for every such button, so drawing new ones runs no callback): a chip's x
    (CHIP_REMOVED), a chart table's row (ROW_CHOSEN)."""
    return {"data-press": json.dumps({"store": store, "data": data}, separators=(",", ":"))}


def card(chart: str) -> str:
    """A chart's card in the grid (the box a screenshot of the chart takes)."""
    return "card-" + chart.replace("_", "-")


def chart_title(chart: str) -> str:
    """A chart card's accessible name (the chart's title, kept up to date)."""
    return "title-" + chart.replace("_", "-")


def chart_summary(chart: str) -> str:
    """A chart's text summary: what it shows and its top values."""
    return "summary-" + chart.replace("_", "-")


def chart_table(chart: str) -> dict:
    """The chart's numbers as an HTML table (shown by its Table toggle)."""
    return {"type": "chart-table", "chart": chart}


def chart_box(chart: str) -> dict:
    """The box the chart's graph is drawn in (hidden while its table shows)."""
    return {"type": "chart-box", "chart": chart}


def table_toggle(chart: str) -> dict:
    """A chart's 'Table' toggle button."""
    return {"type": "table-toggle", "chart": chart}


def svg_button(chart: str) -> dict:
    """A chart's 'Download SVG' button."""
    return {"type": "svg", "chart": chart}


def tab_body(tab: str) -> dict:
    """A tab's body, mounted in the page once the tab is first opened."""
    return {"type": "tab-body", "tab": tab}
