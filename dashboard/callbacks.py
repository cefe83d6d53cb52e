"""Callbacks, kept thin: events -> Filters (one controller), Filters -> outputs (renderers).

Source -> control -> target: a chart click, a box selection, a chip or a permalink only changes
the Filters value; the controls and the URL mirror it; every output is a function of it.
"""
from __future__ import annotations

import logging
import tempfile
from dataclasses import replace
from datetime import date

import dash_bootstrap_components as dbc
import flask
from dash import (ALL, MATCH, ClientsideFunction, Input, Output, State, ctx, dcc, html,
                  no_update)

from . import aggregate, export, figures
from .filters import Filters, parse_date, parse_min_killed
from .layout import (CONTROLS, GRAPH_IDS, GRID_LIMIT, TAB_CHARTS, graph_config,
                     source_cell_markdown)
from .reference import split_list

log = logging.getLogger("dashboard")
# chart -> the filter its clicks set (one value, toggled)
CLICK_DIMENSION = {"district": "district", "map": "district", "compare_districts": "district",
                   "target": "target_type", "target_share": "target_type",
                   "human_targets": "target_type"}
CLICKABLE = tuple(CLICK_DIMENSION) + ("compare_years", "published")
GRAPH_NAMES = {gid: name for name, gid in GRAPH_IDS.items()}


def _clicked(click: dict | None) -> str | None:
    """The category a chart click names: customdata where a chart sets it, else a
    horizontal bar's y."""
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    value = point.get("customdata", point.get("y"))
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else None


def _selected_range(selected: dict | None) -> tuple[date | None, date | None] | None:
    """Dates of a box selection on the timeline, or None if it is not one."""
    if not selected or "range" not in selected or "x" not in selected["range"]:
        return None
    try:
        lo, hi = sorted(parse_date(v) for v in selected["range"]["x"][:2])
    except (TypeError, ValueError):  # a bound that is not a date
        return None
    return (lo, hi) if lo and hi else None


def next_filters(trigger: str | dict | None, current: Filters, ds, *, search: str = "",
                 controls: dict | None = None, click: dict | None = None,
                 selected: dict | None = None) -> tuple[Filters, list[str]]:
    """Pure: the new Filters after one event. Tested without a server."""
    controls = controls or {}
    if trigger is None or trigger == "url":
        return _from_query(search, ds)
    if trigger == "reset":
        return Filters(tab=current.tab), []
    if isinstance(trigger, dict) and trigger.get("type") == "chip":
        return current.without(trigger["dim"], trigger.get("value") or None), []
    chart = GRAPH_NAMES.get(trigger)
    if chart in CLICK_DIMENSION:
        value = _clicked(click)
        return (current.toggle(CLICK_DIMENSION[chart], value) if value else current), []
    if chart == "compare_years":  # a year's bar: that year, or back to all years
        value = _clicked(click)
        if not value or not value.isdigit() or not 1900 < int(value) < 2200:
            return current, []
        year = (date(int(value), 1, 1), date(int(value), 12, 31))
        same = (current.date_from, current.date_to) == year
        return replace(current, date_from=None if same else year[0],
                       date_to=None if same else year[1]), []
    if chart == "published" or trigger == "grid-published":  # a published figure: its scope
        value = _clicked(click) if chart else _published_query(ds, current, click)
        if not value:
            return current, []
        scope, notices = _from_query(value, ds)
        return replace(scope, tab=current.tab, period=current.period), notices
    if chart == "timeline":
        span = _selected_range(selected)
        if span is None:
            return current, []
        return replace(current, date_from=span[0], date_to=span[1]), []
    # one of the filter controls changed: read them all
    values = {field: tuple(str(v) for v in controls.get(cid) or ())
              for cid, field in CONTROLS.items()}
    return replace(current, date_from=parse_date(controls.get("start")),
                   date_to=parse_date(controls.get("end")),
                   min_killed=parse_min_killed(controls.get("min_killed")),
                   period=controls.get("period") or "year",
                   tab=controls.get("tab") or current.tab,
                   common_rule=bool(controls.get("common_rule", current.common_rule)),
                   **values), []


def _published_query(ds, current: Filters, cell: dict | None) -> str | None:
    """The scope of the published figure in a clicked row of the published table."""
    table = aggregate.published_comparison(ds, current)
    row = table[table["figure_id"] == (cell or {}).get("rowId")]
    return row["query"].iat[0] if len(row) else None


def _data_values(ds) -> dict[str, list[str]]:
    """Values only the loaded data knows (beyond the vocabularies), accepted in URLs."""
    return {name: ds.values(name) for name in ("group", "target_type", "attack_type")}


def _from_query(search: str, ds) -> tuple[Filters, list[str]]:
    return Filters.from_query(search or "", ds.reference, _data_values(ds))


def base_url() -> str:
    """The address the page was served from, for the view links in figure footers."""
    try:
        return flask.request.host_url.rstrip("/")
    except RuntimeError:  # outside a request
        return ""


def register(app, ds) -> None:
    topojson_url = app.get_asset_url("topojson/")
    control_inputs = [Input(cid, "value") for cid in CONTROLS]

    click_ids = [GRAPH_IDS[name] for name in CLICKABLE]

    @app.callback(
        Output("filters", "data"),
        Output("url", "search"),
        Output("url-notice", "children"),
        Output("url-notice", "is_open"),
        Output("filter-date", "start_date"),
        Output("filter-date", "end_date"),
        *[Output(cid, "value") for cid in CONTROLS],
        Output("filter-min-killed", "value"),
        Output("filter-period", "value"),
        Output("view-tabs", "active_tab"),
        Output("compare-rule", "value"),
        *[Output(gid, "clickData") for gid in click_ids],
        Input("url", "search"),
        Input("reset", "n_clicks"),
        Input({"type": "chip", "dim": ALL, "value": ALL}, "n_clicks"),
        *[Input(gid, "clickData") for gid in click_ids],
        Input("grid-published", "cellClicked"),
        Input(GRAPH_IDS["timeline"], "selectedData"),
        Input("filter-date", "start_date"),
        Input("filter-date", "end_date"),
        *control_inputs,
        Input("filter-min-killed", "value"),
        Input("filter-period", "value"),
        Input("view-tabs", "active_tab"),
        Input("compare-rule", "value"),
        State("filters", "data"),
    )
    def control(search, _reset, _chips, *rest):
        clicks = dict(zip(click_ids, rest[:len(click_ids)]))
        clicks["grid-published"], selected, start, end, *rest = rest[len(click_ids):]
        *control_values, min_killed, period, tab, rule, stored = rest
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
            return [no_update] * len(ctx.outputs_list)  # chips re-rendered, not clicked
        controls = dict(zip(CONTROLS, control_values), start=start, end=end,
                        min_killed=min_killed, period=period, tab=tab, common_rule=rule)
        click = clicks.get(trigger) if isinstance(trigger, str) else None
        new, notices = next_filters(trigger, Filters.from_dict(stored), ds, search=search,
                                    controls=controls, click=click, selected=selected)
        new = new.sanitised(ds.reference, _data_values(ds))
        return (
            new.as_dict(), new.to_query(), [html.Div(n) for n in notices], bool(notices),
            new.date_from.isoformat() if new.date_from else None,
            new.date_to.isoformat() if new.date_to else None,
            *[list(getattr(new, field)) for field in CONTROLS.values()],
            new.min_killed, new.period, new.tab, new.common_rule,
            *[None] * len(click_ids),
        )

    @app.callback(
        *[Output(gid, "figure") for gid in GRAPH_IDS.values()],
        *[Output(gid, "config") for gid in GRAPH_IDS.values()],
        Output("kpi-attacks", "children"),
        Output("kpi-killed", "children"),
        Output("kpi-injured", "children"),
        Output("kpi-unknown", "children"),
        Output("kpi-killed-note", "children"),
        Output("kpi-injured-note", "children"),
        Output("kpi-unknown-note", "children"),
        Output("chips", "children"),
        Output("filter-district", "options"),
        Output("grid-published", "rowData"),
        Input("filters", "data"),
    )
    def render(stored):
        """Every number and the active view's charts; other views draw when opened."""
        f = Filters.from_dict(stored)
        view = aggregate.View(ds, f)
        shown = TAB_CHARTS.get(f.tab, TAB_CHARTS["overview"])
        figs = [figures.CHARTS[name](view, base_url()) if name in shown else no_update
                for name in GRAPH_IDS]
        configs = [graph_config(topojson_url, f"{name}_{export.slug(f)}") if name in shown
                   else no_update for name in GRAPH_IDS]
        published = (aggregate.published_comparison(ds, f).to_dict("records")
                     if "published" in shown else no_update)
        t = aggregate.totals(view)
        districts = ds.reference.districts_of(f.province)
        return (
            *figs, *configs,
            f"{t.attacks:,}", f"{t.killed:,}", f"{t.injured:,}", f"{t.unknown_any:,}",
            f"+ {t.unknown_killed} attacks with killed unknown" if t.unknown_killed else
            "known figures",
            f"+ {t.unknown_injured} attacks with injured unknown" if t.unknown_injured else
            "known figures",
            "rows with killed or injured unknown",
            chips(f),
            [{"label": d, "value": d} for d in sorted(set(districts) | set(f.district))],
            published,
        )

    @app.callback(
        Output("grid-incidents", "rowData"),
        Output("grid-note", "children"),
        Input("filters", "data"),
    )
    def table(stored):
        view = aggregate.incidents(aggregate.View(ds, Filters.from_dict(stored)))
        shown = view.head(GRID_LIMIT)
        note = (f"{len(view):,} incidents in view." if len(view) <= GRID_LIMIT else
                f"Showing the {GRID_LIMIT:,} newest of {len(view):,} incidents in view; "
                "narrow the filters to see the rest.")
        return grid_rows(shown), note

    app.clientside_callback(
        ClientsideFunction("pmd", "downloadSvg"),
        Output({"type": "svg", "chart": MATCH}, "title"),
        Input({"type": "svg", "chart": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("download-pack", "data"),
        Output("export-status", "children"),
        Input("export-pack", "n_clicks"),
        State("filters", "data"),
        prevent_initial_call=True,
        running=[(Output("export-pack", "disabled"), True, False)],
    )
    def pack(_clicks, stored):
        f = Filters.from_dict(stored)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                data, name = export.zip_pack(ds, f, tmp, base_url())
        except export.ExportError as exc:
            log.error("briefing pack failed: %s", exc)
            return no_update, f"Could not make the pack: {exc}"
        empty = " (the view is empty; the pack says so)" if aggregate.totals(
            aggregate.View(ds, f)).attacks == 0 else ""
        return dcc.send_bytes(data, name), f"Downloaded {name}{empty}"

    @app.callback(
        Output("incident-modal", "is_open"),
        Output("incident-title", "children"),
        Output("incident-detail", "children"),
        Input("grid-incidents", "cellClicked"),
        prevent_initial_call=True,
    )
    def details(cell):
        if not cell or not cell.get("rowId"):
            return no_update, no_update, no_update
        row = ds.incidents[ds.incidents["incident_id"] == cell["rowId"]]
        if row.empty:
            return no_update, no_update, no_update
        return True, cell["rowId"], incident_detail(row.iloc[0])


def chips(f: Filters):
    """One removable chip per active filter value."""
    out = []
    for dim, value, words in f.describe():
        out.append(dbc.Badge([
            words, html.Button("×", id={"type": "chip", "dim": dim, "value": value},
                               className="chip-close", title=f"Remove {words}",
                               n_clicks=0),
        ], color="light", text_color="dark", className="chip me-1"))
    return out or [html.Span("No filters: all incidents.", className="text-muted small")]


def grid_rows(view) -> list[dict]:
    out = view[["incident_id", "date", "district", "group", "attribution",
                "target_type", "attack_type", "killed", "injured"]].copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["sources"] = [source_cell_markdown(u, t) for u, t in
                      zip(view["source_urls"], view["source_text"].fillna(""))]
    records = out.astype(object).where(out.notna(), None).to_dict("records")
    for r in records:
        for k in ("killed", "injured"):
            r[k] = None if r[k] is None else int(r[k])
        for k in ("district", "group", "attribution", "target_type", "attack_type"):
            r[k] = str(r[k])
    return records


def incident_detail(row) -> list:
    """Every field of one incident as inert text; only http(s) URLs become links."""
    def item(label, value):
        text = "unknown" if value is None or (value != value) or str(value) in ("", "<NA>") \
            else str(value)
        return html.Tr([html.Th(label, className="pe-3"), html.Td(text)])

    fields = [("Date", f"{row['date']:%Y-%m-%d}"), ("Province", row["province"]),
              ("District", row["district"]), ("Location", row["location"]),
              ("Group", row["group"]), ("Claimant as reported", row["claimant_reported"]),
              ("Attribution", row["attribution"]), ("Target type", row["target_type"]),
              ("Target", row["target_detail"]), ("Attack type", row["attack_type"]),
              ("Killed", row["killed"]), ("Injured", row["injured"]),
              ("Collection", row["collection"]), ("Notes", row["notes"]),
              ("Sources as cited", row["source_text"]),
              ("File", f"{row['source_file']}, line {row['source_line']}")]
    links = [html.Li(html.A(u, href=u, target="_blank", rel="noopener noreferrer"))
             for u in split_list(row["source_urls"]) if u.lower().startswith(("http://",
                                                                               "https://"))]
    return [html.Table([html.Tbody([item(k, v) for k, v in fields])],
                       className="table table-sm"),
            html.H3("Sources", className="h6"), html.Ol(links)]
