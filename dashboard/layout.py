"""Page layout: components with their stable ids (ids.py), the charts from the registry."""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from . import ids
from .charts import TAB_LABELS, on_tab
from .filters import (COMMON_RULE_KILLED, FLAG_MIN, FLAG_MIN_RANGE, FLAG_PCT, FLAG_PCT_RANGE,
                      PRECISE_WORDS, TABS, ViewState)

UNKNOWN_IF_NULL = "params.value == null ? 'unknown' : params.value"


def with_range(count: str) -> str:
    """A count cell: 'unknown', the best figure, or the best figure and the sources' range
    ('74 (70-94)'); the cell's value stays the number, so it sorts and filters as one."""
    return (f"params.value == null ? 'unknown' : params.value + (params.data.{count}_range ? "
            f"' (' + params.data.{count}_range + ')' : '')")


GRID_LIMIT = 300  # newest rows sent to the table (keeps the response under 100 KB)


def graph_config(topojson_url: str, name: str) -> dict:
    return {
        "topojsonURL": topojson_url,
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 2,
                                 "filename": name},
    }


def _dropdown(id_: str, label: str, options: list[str], placeholder: str = "All"):
    return html.Div([
        dbc.Label(label, html_for=id_, className="mb-1 fw-semibold"),
        dcc.Dropdown(id=id_, options=[{"label": o, "value": o} for o in options], multi=True,
                     placeholder=placeholder, value=[]),
    ], className="mb-3")


def _kpi(id_: str, label: str):
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="kpi-label"),
        html.Div("–", id=id_, className="kpi-value"),
        html.Div("", id=ids.kpi_note(id_), className="kpi-note"),
    ], className="py-1 px-2"), className="kpi-card"), xs=6, md=3)


def groups_present(ds) -> list[tuple[str, int]]:
    """The groups in the data with their attacks: the vocabulary's order, then other named
    groups (imported data) by attacks."""
    counts = ds.incidents["group"].value_counts()  # on a categorical's codes: no text copy
    counts = counts[counts > 0].rename(index=str)
    known = [g for g in ds.reference.vocab["group"].canonical if g in counts.index]
    others = sorted((g for g in counts.index if g not in known), key=lambda g: (-counts[g], g))
    return [(g, int(counts[g])) for g in known + others]


def header_text(ds, shown: int = 6) -> str:
    """What the page holds, from the data loaded: its collections and groups."""
    groups = [g for g, _ in groups_present(ds)]
    names = ", ".join(groups[:shown]) + (f" and {len(groups) - shown} more groups"
                                         if len(groups) > shown else "")
    collections = ds.values("collection")
    where = (f"{len(collections)} collections" if len(collections) > 3
             else ", ".join(collections)) or "no collection"
    return f"Sourced incidents ({where}): {names or 'no group'}"


def coverage(ds) -> html.Div:
    """Data range, incident count and each collection's inclusion rule."""
    inc = ds.incidents
    span = (f"{inc['date'].min():%d %b %Y} to {inc['date'].max():%d %b %Y}"
            if len(inc) else "no incidents")
    items = []
    counts = inc["collection"].value_counts()
    for collection, n in counts.items():
        if n == 0:
            continue
        rule = (ds.reference.collections.at[collection, "inclusion_rule"]
                if collection in ds.reference.collections.index
                else "inclusion rule not documented (a user-supplied file)")
        items.append(html.Li([html.B(f"{collection} ({n}): "), rule]))
    return html.Div([
        html.Span(f"Coverage: {len(inc)} incidents, {span}. ", className="fw-semibold"),
        html.Span("Sourced incidents only, below published totals; the collections follow "
                  "different inclusion rules. "),
        dbc.Button("Details", id=ids.COVERAGE_TOGGLE, color="link", size="sm",
                   className="p-0 align-baseline coverage-toggle"),
        dbc.Collapse([
            html.Ul(items, className="mb-0 mt-1"),
            html.Div("Groups: " + (", ".join(f"{g} ({n})" for g, n in groups_present(ds))
                                   or "none"), className="coverage-groups"),
        ], id=ids.COVERAGE_DETAILS, is_open=False),
    ], id=ids.COVERAGE, className="coverage small")


def grid() -> dag.AgGrid:
    columns = [
        {"field": "date", "headerName": "Date", "width": 115, "sort": "desc"},
        {"field": "district", "headerName": "District", "width": 150},
        {"field": "group", "headerName": "Group", "width": 95},
        {"field": "attribution", "headerName": "Attribution", "width": 115},
        {"field": "target_type", "headerName": "Target", "width": 160},
        {"field": "attack_type", "headerName": "Attack", "width": 150},
        {"field": "killed", "headerName": "Killed", "width": 120,
         "filter": "agNumberColumnFilter", "type": "numericColumn",
         "headerTooltip": "Best-supported figure; in brackets the range the sources give",
         "valueFormatter": {"function": with_range("killed")}},
        {"field": "injured", "headerName": "Injured", "width": 125,
         "filter": "agNumberColumnFilter", "type": "numericColumn",
         "headerTooltip": "Best-supported figure; in brackets the range the sources give",
         "valueFormatter": {"function": with_range("injured")}},
        # the row's source URLs as numbered links ("1. dawn.com"), or the cited sources as
        # text where it has none: drawn by assets/dashboard.js (no markdown to parse)
        {"field": "sources", "headerName": "Sources", "cellRenderer": "SourceLinks",
         "cellDataType": False,  # a list: no type to infer
         "filterValueGetter": {"function": "(params.data.sources || []).join(' ') || "
                                           "params.data.source_text || ''"},
         "minWidth": 220, "flex": 1, "sortable": False},
        {"field": "incident_id", "headerName": "Id", "width": 170},
    ]
    return dag.AgGrid(
        id=ids.GRID,
        columnDefs=columns,
        rowData=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                          "enableClickSelection": True},
                         "animateRows": False, "suppressColumnMoveAnimation": True},
        getRowId="params.data.incident_id",
        className="ag-theme-quartz",
        style={"height": "560px"},
    )


def published_grid() -> dag.AgGrid:
    columns = [
        {"field": "scope", "headerName": "Scope", "minWidth": 260, "flex": 2},
        {"field": "measure", "headerName": "Measure", "width": 105},
        {"field": "published", "headerName": "Published", "width": 115,
         "type": "numericColumn"},
        {"field": "dataset", "headerName": "Dataset", "width": 105, "type": "numericColumn"},
        {"field": "unknown", "headerName": "Unknown", "width": 105, "type": "numericColumn",
         "headerTooltip": "Incidents in scope whose count for this measure is unknown"},
        {"field": "coverage", "headerName": "Coverage", "width": 110,
         "valueFormatter": {"function": "params.value == null ? '' : "
                                        "Math.round(params.value * 100) + '%'"}},
        {"field": "definition", "headerName": "Dataset definition", "minWidth": 200, "flex": 1},
        {"field": "note", "headerName": "How the counts compare", "minWidth": 260, "flex": 2,
         "tooltipField": "note"},
        {"field": "citation", "headerName": "Citation", "minWidth": 240, "flex": 1,
         "tooltipField": "citation"},
    ]
    return dag.AgGrid(id=ids.PUBLISHED_GRID, columnDefs=columns, rowData=[],
                      defaultColDef={"sortable": True, "resizable": True},
                      dashGridOptions={"domLayout": "autoHeight", "tooltipShowDelay": 300,
                                       "rowSelection": {"mode": "singleRow",
                                                        "checkboxes": False,
                                                        "enableClickSelection": True}},
                      getRowId="params.data.figure_id", className="ag-theme-quartz")


def _labelled(id_: str, label: str, control) -> html.Div:
    return html.Div([dbc.Label(label, html_for=id_, className="mb-1 fw-semibold"), control],
                    className="mb-3")


def controls(ds) -> dbc.Card:
    """The filter panel: one control per filter, the timeline's period, and reset."""
    ref = ds.reference
    groups = [g for g, _ in groups_present(ds)]  # known groups first, then any others named
    dates = ds.incidents["date"]
    lo = dates.min().date() if len(dates) else None
    hi = dates.max().date() if len(dates) else None
    options = {"province": list(ref.provinces.index), "district": ref.districts_of(),
               "group": groups, "attribution": list(ref.vocab["attribution"].canonical),
               "target_type": ds.values("target_type"), "attack_type": ds.values("attack_type")}
    labels = {"province": "Province", "district": "District", "group": "Group",
              "attribution": "Attribution", "target_type": "Target type",
              "attack_type": "Attack type"}
    return dbc.Card(dbc.CardBody([
        _labelled(ids.FILTER_DATE, "Date range", dcc.DatePickerRange(
            id=ids.FILTER_DATE, min_date_allowed=lo, max_date_allowed=hi,
            initial_visible_month=hi, display_format="YYYY-MM-DD",
            start_date_placeholder_text="From", clearable=True,
            end_date_placeholder_text="To")),
        *[_dropdown(cid, labels[name], options[name])
          for cid, name in ids.FILTER_CONTROLS.items()],
        _labelled(ids.FILTER_MIN_KILLED, "Minimum killed", dbc.Input(
            id=ids.FILTER_MIN_KILLED, type="number", min=0, step=1, value=None,
            placeholder="0 (rows with unknown killed drop out when set)")),
        _labelled(ids.FILTER_PRECISE, "Precision", dbc.Switch(
            id=ids.FILTER_PRECISE, value=False, label=PRECISE_WORDS, className="small")),
        _labelled(ids.FILTER_PERIOD, "Timeline per", dbc.RadioItems(
            id=ids.FILTER_PERIOD, value="year", inline=True,
            options=[{"label": "year", "value": "year"},
                     {"label": "month", "value": "month"}])),
        dbc.Switch(id=ids.FILTER_EVENTS, value=True, className="mb-3",
                   label="Key events on the timeline and the comparison by year"),
        dbc.Button("Reset all", id=ids.RESET, color="secondary", outline=True,
                   className="w-100"),
    ]), className="controls")


def chart_cards(tab: str, topojson_url: str) -> list:
    """The tab's charts from the registry, each in a card of the grid with its Download SVG
    button."""
    return [html.Div([
        html.H3(id=ids.chart_title(chart.name), className="visually-hidden"),
        html.P(id=ids.chart_summary(chart.name), className="visually-hidden"),
        html.Div(dcc.Graph(id=chart.graph_id, config=graph_config(topojson_url, chart.name),
                           className="chart-graph", style={"height": "100%"}),
                 id=ids.chart_box(chart.name), className="chart-scroll"),
        html.Div(id=ids.chart_table(chart.name), className="chart-scroll chart-table",
                 hidden=True),
        html.Div([
            html.Button("Table", id=ids.table_toggle(chart.name), n_clicks=0,
                        className="btn btn-link btn-sm p-0 me-2",
                        title="Show the chart's numbers as a table (Enter on a row filters "
                              "to it, as a click on its bar does)"),
            dbc.Button("Download SVG", id=ids.svg_button(chart.name), size="sm",
                       color="link", className="p-0",
                       title="The chart as SVG in the briefing frame (the camera icon "
                             "in the chart's toolbar gives a PNG)")],
                 className="chart-tools"),
    ], id=ids.card(chart.name), className="chart-card", role="figure",
        **{"aria-labelledby": ids.chart_title(chart.name),
           "aria-describedby": ids.chart_summary(chart.name)})
        for chart in on_tab(tab)]


def tab_extras(tab: str) -> list:
    """What a tab shows beside its charts: the comparison's rule switch, the published table."""
    if tab == "compare":
        return [dbc.Switch(
            id=ids.COMPARE_RULE, value=True, className="tab-note small mb-0",
            label=f"Same rule for both sides: only attacks with at least {COMMON_RULE_KILLED} "
                  "killed (the Baloch collection holds only major attacks)")]
    if tab == "change":
        return [change_controls()]
    if tab == "published":
        return [html.Div([
            html.P("Each figure published by Dawn (1 June 2025) beside this dataset's count for "
                   "the same scope. The attribution filter sets the dataset's definition; "
                   "click a bar or a row to see the incidents behind the count (hover a note "
                   "or citation to read it whole).", className="small text-muted mb-1"),
            published_grid()], className="chart-card published-table")]
    return []


def change_controls() -> html.Div:
    """What changed: the baseline (else the previous period of the same length) and the two
    thresholds that flag a district."""
    def number(id_, value, bounds, label, unit):
        return html.Div([dbc.Label(label, html_for=id_, className="mb-0 me-1"),
                         dbc.Input(id=id_, type="number", value=value, min=bounds[0],
                                   max=bounds[1], step=1, size="sm", className="flag-input"),
                         html.Span(unit, className="ms-1")],
                        className="d-flex align-items-center me-3")
    return html.Div([
        html.Div([dbc.Label("Baseline", html_for=ids.CHANGE_BASELINE, className="mb-0 me-1"),
                  dcc.DatePickerRange(id=ids.CHANGE_BASELINE, display_format="YYYY-MM-DD",
                                      start_date_placeholder_text="previous",
                                      end_date_placeholder_text="period", clearable=True)],
                 className="d-flex align-items-center me-3"),
        number(ids.CHANGE_PCT, FLAG_PCT, FLAG_PCT_RANGE, "Flag a change of at least", "%"),
        number(ids.CHANGE_MIN, FLAG_MIN, FLAG_MIN_RANGE, "and at least", "attacks"),
        html.Span("The date filter's period (no dates: the last 12 months of data) against "
                  "the baseline; without one, the previous period of the same length.",
                  className="text-muted"),
    ], className="tab-note small d-flex flex-wrap align-items-center change-controls")


def tabs(topojson_url: str) -> dbc.Tabs:
    """One tab per analyst view, each a grid of chart cards (two columns, stacked on narrow
    screens); the comparison's switch sits above its grid."""
    out, active = [], ViewState().display.tab  # the default view's tab
    for tab in TABS:
        cards = chart_cards(tab, topojson_url)
        extras = tab_extras(tab)
        notes = [e for e in extras if "chart-card" not in (e.className or "")]
        cards += [e for e in extras if "chart-card" in (e.className or "")]
        rows = -(-len(cards) // 2)
        body = html.Div(notes + [html.Div(
            cards, className="chart-grid", style={"--rows": str(rows)})], className="tab-body")
        out.append(dbc.Tab(mounted_when_open(tab, body, tab == active),
                           label=TAB_LABELS[tab], tab_id=tab))
    return dbc.Tabs(out, id=ids.TABS, active_tab=active, className="view-tabs")


def mounted_when_open(tab: str, body, open_: bool) -> dcc.Tabs:
    """A tab's body that the browser builds only once the tab is first opened (then keeps):
    a closed tab's charts and table are not drawn at all on the first render. Its
    components stay in the layout, so the view callback's outputs reach them. dcc.Tabs
    mounts only its selected tab's content; its own header row is hidden (dbc.Tabs is the
    tab bar); ``pmd.openTabBody`` selects the body when its tab opens."""
    return dcc.Tabs(dcc.Tab(body, value=tab), id=ids.tab_body(tab), value=tab if open_ else "",
                    style={"display": "none"}, parent_className="tab-mount",
                    content_className="tab-mount-body")


def toolbar() -> html.Div:
    """The filter panel's toggle, active-filter chips, and the briefing pack button with its
    status line."""
    return html.Div([
        dbc.Button("Hide filters", id=ids.FILTER_TOGGLE, color="secondary", outline=True,
                   size="sm", className="me-2 flex-shrink-0"),
        html.Div(id=ids.CHIPS, className="chips flex-grow-1"),
        html.Div([
            dbc.Button("Briefing pack (ZIP)", id=ids.EXPORT_BUTTON, color="primary", size="sm"),
            dbc.Button("Cancel", id=ids.EXPORT_CANCEL, color="secondary", outline=True,
                       size="sm", disabled=True, className="ms-1"),
            html.Span(id=ids.EXPORT_STATUS, className="small ms-2", role="status"),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ], className="d-flex align-items-center flex-shrink-0"),
    ], className="d-flex align-items-start toolbar")


def build_layout(ds, topojson_url: str) -> html.Div:
    """One screen: filters in a side panel that collapses; header, coverage line, chips,
    headline numbers and the active view's chart grid fill the window; the incident table
    below."""
    kpis = zip(ids.KPIS, ("Attacks", "Killed", "Injured", "Unknown casualties"))
    screen = html.Div([
        html.Div([
            html.H1("Pakistan Militancy Dashboard", className="brand"),
            html.Span(header_text(ds), className="tagline"),
        ], className="topbar"),
        dbc.Alert(id=ids.NOTICE, is_open=False, color="warning", dismissable=True,
                  className="py-1 mb-1"),
        coverage(ds),
        toolbar(),
        dbc.Row([_kpi(kid, label) for kid, label in kpis], className="g-2 kpis"),
        tabs(topojson_url),
    ], className="screen")
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.STATE, data=ViewState().as_dict()),
        dcc.Store(id=ids.DRAWN, data={}),
        dcc.Store(id=ids.CHIP_REMOVED),
        dcc.Store(id=ids.ROW_CHOSEN),
        html.Span(id=ids.EXPORT_NAME, hidden=True),
        html.Div([
            html.Aside(controls(ds), id=ids.FILTER_PANEL, className="sidebar"),
            html.Main([
                screen,
                html.Section([
                    html.H2("Incidents in view", className="h5 mt-3"),
                    html.Div(id=ids.GRID_NOTE, className="small text-muted mb-1",
                             role="status"),
                    grid(),
                ], className="incidents"),
            ], className="main"),
        ], id=ids.PAGE, className="page-body"),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle("Incident", id=ids.MODAL_TITLE)),
            dbc.ModalBody(id=ids.MODAL_BODY),
        ], id=ids.MODAL, is_open=False, size="lg", scrollable=True),
    ])
