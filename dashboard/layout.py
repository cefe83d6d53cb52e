"""Page layout: components and their stable ids (listed in the README for automation)."""
from __future__ import annotations

import re

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from .filters import COMMON_RULE_KILLED, Filters
from .reference import split_list

# The analyst views (tabs) and the charts on each; chart name -> stable graph id.
TAB_CHARTS = {
    "overview": ("district", "map", "target", "timeline"),
    "compare": ("compare_districts", "compare_years"),
    "published": ("published",),
    "targets": ("target_share", "human_targets"),
}
TAB_LABELS = {"overview": "Overview", "compare": "Group comparison",
              "published": "Published figures", "targets": "Target trends"}
GRAPH_IDS = {name: "graph-" + name.replace("_", "-")
             for names in TAB_CHARTS.values() for name in names}
# control id -> Filters field (date and period handled apart)
CONTROLS = {
    "filter-province": "province",
    "filter-district": "district",
    "filter-group": "group",
    "filter-attribution": "attribution",
    "filter-target": "target_type",
    "filter-attack": "attack_type",
}
UNKNOWN_IF_NULL = "params.value == null ? 'unknown' : params.value"
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
        html.Div("", id=f"{id_}-note", className="kpi-note"),
    ])), xs=6, md=3)


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
        html.Span("Counts are of sourced incidents only and fall below published totals; "
                  "collections follow different inclusion rules:"),
        html.Ul(items, className="mb-0"),
    ], id="coverage", className="coverage small")


def grid() -> dag.AgGrid:
    columns = [
        {"field": "date", "headerName": "Date", "width": 115, "sort": "desc"},
        {"field": "district", "headerName": "District", "width": 150},
        {"field": "group", "headerName": "Group", "width": 95},
        {"field": "attribution", "headerName": "Attribution", "width": 115},
        {"field": "target_type", "headerName": "Target", "width": 160},
        {"field": "attack_type", "headerName": "Attack", "width": 150},
        {"field": "killed", "headerName": "Killed", "width": 95,
         "filter": "agNumberColumnFilter", "type": "numericColumn",
         "valueFormatter": {"function": UNKNOWN_IF_NULL}},
        {"field": "injured", "headerName": "Injured", "width": 100,
         "filter": "agNumberColumnFilter", "type": "numericColumn",
         "valueFormatter": {"function": UNKNOWN_IF_NULL}},
        {"field": "sources", "headerName": "Sources", "cellRenderer": "markdown",
         "minWidth": 220, "flex": 1, "sortable": False},
        {"field": "incident_id", "headerName": "Id", "width": 170},
    ]
    return dag.AgGrid(
        id="grid-incidents",
        columnDefs=columns,
        rowData=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                          "enableClickSelection": True},
                         "pagination": True, "paginationPageSize": 25,
                         "paginationPageSizeSelector": [25, 50, 100],
                         "animateRows": False},
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
    return dag.AgGrid(id="grid-published", columnDefs=columns, rowData=[],
                      defaultColDef={"sortable": True, "resizable": True},
                      dashGridOptions={"domLayout": "autoHeight", "tooltipShowDelay": 300,
                                       "rowSelection": {"mode": "singleRow",
                                                        "checkboxes": False,
                                                        "enableClickSelection": True}},
                      getRowId="params.data.figure_id", className="ag-theme-quartz")


def build_layout(ds, topojson_url: str) -> html.Div:
    ref = ds.reference
    provinces = list(ref.provinces.index)
    groups = [g for g in ref.vocab["group"].canonical if g in set(ds.values("group"))] or \
        ds.values("group")
    dates = ds.incidents["date"]
    lo = dates.min().date() if len(dates) else None
    hi = dates.max().date() if len(dates) else None
    controls = dbc.Card(dbc.CardBody([
        html.Div([
            dbc.Label("Date range", html_for="filter-date", className="mb-1 fw-semibold"),
            dcc.DatePickerRange(id="filter-date", min_date_allowed=lo, max_date_allowed=hi,
                                initial_visible_month=hi, display_format="YYYY-MM-DD",
                                start_date_placeholder_text="From", clearable=True,
                                end_date_placeholder_text="To"),
        ], className="mb-3"),
        _dropdown("filter-province", "Province", provinces),
        _dropdown("filter-district", "District", ref.districts_of()),
        _dropdown("filter-group", "Group", groups),
        _dropdown("filter-attribution", "Attribution", list(ref.vocab["attribution"].canonical)),
        _dropdown("filter-target", "Target type", ds.values("target_type")),
        _dropdown("filter-attack", "Attack type", ds.values("attack_type")),
        html.Div([
            dbc.Label("Minimum killed", html_for="filter-min-killed",
                      className="mb-1 fw-semibold"),
            dbc.Input(id="filter-min-killed", type="number", min=0, step=1, value=None,
                      placeholder="0 (rows with unknown killed drop out when set)"),
        ], className="mb-3"),
        html.Div([
            dbc.Label("Timeline per", html_for="filter-period", className="mb-1 fw-semibold"),
            dbc.RadioItems(id="filter-period", value="year", inline=True,
                           options=[{"label": "year", "value": "year"},
                                    {"label": "month", "value": "month"}]),
        ], className="mb-3"),
        dbc.Button("Reset all", id="reset", color="secondary", outline=True, className="w-100"),
    ]), className="controls")

    def graphs(tab):
        return [dbc.Col(dbc.Card([
            dcc.Graph(id=GRAPH_IDS[name], config=graph_config(topojson_url, name)),
            html.Div(dbc.Button("Download SVG", id={"type": "svg", "chart": name}, size="sm",
                                color="link", title="The chart as SVG (the camera icon in "
                                                    "the chart's toolbar gives a PNG)"),
                     className="text-end px-2 pb-1"),
        ]), xs=12) for name in TAB_CHARTS[tab]]

    extras = {
        "compare": [dbc.Col(dbc.Switch(
            id="compare-rule", value=True, className="mt-2",
            label=f"Same rule for both sides: only attacks with at least {COMMON_RULE_KILLED} "
                  "killed (the Baloch collection holds only major attacks)"), xs=12)],
        "published": [dbc.Col([
            html.P("Each figure published by Dawn (1 June 2025) beside this dataset's count for "
                   "the same scope. The attribution filter sets the dataset's definition; "
                   "click a bar or a row to see the incidents behind the count (hover a note "
                   "or citation to read it whole).", className="small text-muted mb-1"),
            published_grid()], xs=12)],
    }
    tabs = dbc.Tabs([
        dbc.Tab(dbc.Row(graphs(tab) + extras.get(tab, []), className="g-3 mt-1"),
                label=TAB_LABELS[tab], tab_id=tab)
        for tab in TAB_CHARTS
    ], id="view-tabs", active_tab="overview")

    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="filters", data=Filters().as_dict()),
        dbc.Navbar(dbc.Container([
            html.Span("Pakistan Militancy Dashboard", className="navbar-brand fw-bold"),
            html.Span("Sourced incidents: IS-K, ISPP and Baloch separatist attacks",
                      className="text-light small"),
        ], fluid=True), color="dark", dark=True, className="mb-3"),
        dbc.Container([
            dbc.Alert(id="url-notice", is_open=False, color="warning", dismissable=True),
            coverage(ds),
            dbc.Row([
                dbc.Col(controls, lg=3, className="mb-3"),
                dbc.Col([
                    html.Div([
                        html.Div(id="chips", className="chips"),
                        html.Div([
                            dbc.Button("Briefing pack (ZIP)", id="export-pack",
                                       color="primary", size="sm"),
                            dcc.Loading(html.Span(id="export-status", className="small ms-2"),
                                        type="circle", delay_show=150),
                            dcc.Download(id="download-pack"),
                        ], className="d-flex align-items-center"),
                    ], className="d-flex justify-content-between align-items-start mb-2"),
                    dbc.Row([_kpi("kpi-attacks", "Attacks"), _kpi("kpi-killed", "Killed"),
                              _kpi("kpi-injured", "Injured"),
                              _kpi("kpi-unknown", "Unknown casualties")], className="g-3 mb-3"),
                    tabs,
                    html.H2("Incidents in view", className="h5 mt-4"),
                    html.Div(id="grid-note", className="small text-muted mb-1"),
                    grid(),
                ], lg=9),
            ]),
            dbc.Modal([
                dbc.ModalHeader(dbc.ModalTitle("Incident", id="incident-title")),
                dbc.ModalBody(id="incident-detail"),
            ], id="incident-modal", is_open=False, size="lg", scrollable=True),
        ], fluid=True),
    ])


def source_cell_markdown(urls: str, text: str) -> str:
    """The table's sources cell: links to the URLs, else the cited sources as plain text."""
    if split_list(urls):
        return source_links_markdown(urls)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text or "")


def source_links_markdown(cell: str) -> str:
    """Numbered markdown links for the table; URLs were checked to be http(s) at load."""
    links = []
    for i, url in enumerate(split_list(cell), 1):
        safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        host = safe.split("/")[2] if safe.count("/") >= 2 else safe
        host = host.replace("[", "").replace("]", "").replace("*", "").replace("_", "\\_")
        links.append(f"[{i}. {host}]({safe})")
    return " ".join(links)
