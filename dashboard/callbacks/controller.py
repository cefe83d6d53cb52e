"""The controller: one callback turns every event into the next ViewState (pure
``next_state``, tested without a server); the URL, the notice and every control mirror it."""
from __future__ import annotations

import json
from dataclasses import replace

from dash import ALL, Input, Output, State, ctx, html
from dash.exceptions import PreventUpdate

from .. import aggregate, clicks, ids
from ..charts import BY_GRAPH_ID, BY_NAME, CHARTS
from ..filters import Display, ViewState, parse_date, parse_min_killed

CLICKABLE = tuple(c for c in CHARTS if c.click)


def next_state(trigger: str | dict | None, current: ViewState, ds, *, search: str = "",
               controls: dict | None = None, event: dict | None = None
               ) -> tuple[ViewState, list[str]]:
    """Pure: the new view state after one event, with any notices for the user."""
    if trigger is None or trigger == ids.URL:
        return clicks.state_from_query(search, ds)
    if trigger == ids.RESET:
        return ViewState(display=Display(tab=current.display.tab)), []
    if isinstance(trigger, dict) and trigger.get("type") == "chart-row":
        chart = BY_NAME.get(trigger.get("chart"))
        return chart.click(current, json.loads(trigger["event"]), ds) if chart and \
            chart.click else (current, [])
    if isinstance(trigger, dict) and trigger.get("type") == "chip":
        f = current.filters.without(trigger["dim"], trigger.get("value") or None)
        return replace(current, filters=f), []
    chart = BY_GRAPH_ID.get(trigger) if isinstance(trigger, str) else None
    if chart is not None and chart.click is not None:
        return chart.click(current, event, ds)
    if trigger == ids.PUBLISHED_GRID:
        return clicks.scope(current, published_query(ds, current, event), ds)
    return from_controls(current, controls or {}), []


def from_controls(current: ViewState, controls: dict) -> ViewState:
    """The state the filter controls show (one of them changed: read them all)."""
    values = {name: tuple(str(v) for v in controls.get(cid) or ())
              for cid, name in ids.FILTER_CONTROLS.items()}
    filters = replace(current.filters, date_from=parse_date(controls.get("start")),
                      date_to=parse_date(controls.get("end")),
                      min_killed=parse_min_killed(controls.get("min_killed")),
                      precise=bool(controls.get("precise")), **values)
    d = current.display
    display = replace(d, period=controls.get("period") or "year",
                      tab=controls.get("tab") or d.tab,
                      common_rule=bool(controls.get("common_rule", d.common_rule)),
                      events=bool(controls.get("show_events", d.events)),
                      base_from=parse_date(controls.get("base_start", d.base_from)),
                      base_to=parse_date(controls.get("base_end", d.base_to)),
                      flag_pct=controls.get("flag_pct", d.flag_pct),
                      flag_min=controls.get("flag_min", d.flag_min))
    return ViewState(filters, display)


def published_query(ds, current: ViewState, cell: dict | None) -> str | None:
    """The scope of the published figure in a clicked row of the published table."""
    table = aggregate.published_comparison(ds, current.filters)
    row = table[table["figure_id"] == (cell or {}).get("rowId")]
    return row["query"].iat[0] if len(row) else None


def mirrored(state: ViewState, notices: list[str]) -> dict:
    """Every output of the controller for a new state: the store, the URL, the notice, the
    controls, and the charts' clicks cleared (so the same bar can be clicked again)."""
    f, d = state.filters, state.display
    return {
        "state": state.as_dict(), "search": state.to_query(),
        "notice": [html.Div(n) for n in notices], "notice_open": bool(notices),
        "start": f.date_from.isoformat() if f.date_from else None,
        "end": f.date_to.isoformat() if f.date_to else None,
        "controls": {cid: list(getattr(f, name)) for cid, name in ids.FILTER_CONTROLS.items()},
        "min_killed": f.min_killed, "precise": f.precise, "period": d.period, "tab": d.tab,
        "rule": d.common_rule,
        "show_events": d.events, "flag_pct": d.flag_pct, "flag_min": d.flag_min,
        "base_start": d.base_from.isoformat() if d.base_from else None,
        "base_end": d.base_to.isoformat() if d.base_to else None,
        "clicks": {c.graph_id: None for c in CLICKABLE if c.event == "clickData"},
    }


def _control_props() -> dict:
    return {"start": (ids.FILTER_DATE, "start_date"), "end": (ids.FILTER_DATE, "end_date"),
            "min_killed": (ids.FILTER_MIN_KILLED, "value"),
            "precise": (ids.FILTER_PRECISE, "value"),
            "period": (ids.FILTER_PERIOD, "value"), "tab": (ids.TABS, "active_tab"),
            "rule": (ids.COMPARE_RULE, "value"), "show_events": (ids.FILTER_EVENTS, "value"),
            "base_start": (ids.CHANGE_BASELINE, "start_date"),
            "base_end": (ids.CHANGE_BASELINE, "end_date"),
            "flag_pct": (ids.CHANGE_PCT, "value"), "flag_min": (ids.CHANGE_MIN, "value")}


def register(app, ds) -> None:
    props = _control_props()
    outputs = {
        "state": Output(ids.STATE, "data"), "search": Output(ids.URL, "search"),
        "notice": Output(ids.NOTICE, "children"), "notice_open": Output(ids.NOTICE, "is_open"),
        **{key: Output(*where) for key, where in props.items()},
        "controls": {cid: Output(cid, "value") for cid in ids.FILTER_CONTROLS},
        "clicks": {c.graph_id: Output(c.graph_id, "clickData")
                   for c in CLICKABLE if c.event == "clickData"},
    }
    inputs = {
        "search": Input(ids.URL, "search"), "reset": Input(ids.RESET, "n_clicks"),
        "chips": Input(ids.chip(ALL, ALL), "n_clicks"),
        "rows": Input(ids.chart_row(ALL, ALL), "n_clicks"),
        "events": {c.graph_id: Input(c.graph_id, c.event) for c in CLICKABLE},
        "published_row": Input(ids.PUBLISHED_GRID, "cellClicked"),
        **{key: Input(*where) for key, where in props.items()},
        "controls": {cid: Input(cid, "value") for cid in ids.FILTER_CONTROLS},
    }

    @app.callback(output=outputs, inputs=inputs, state={"stored": State(ids.STATE, "data")})
    def control(search, reset, chips, rows, events, published_row, start, end, min_killed,
                precise, period, tab, rule, show_events, base_start, base_end, flag_pct,
                flag_min, controls, stored):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
            raise PreventUpdate  # chips re-rendered, not clicked
        event = events.get(trigger) if isinstance(trigger, str) else None
        if trigger == ids.PUBLISHED_GRID:
            event = published_row
        values = dict(controls, start=start, end=end, min_killed=min_killed, precise=precise,
                      period=period, tab=tab, common_rule=rule, show_events=show_events,
                      base_start=base_start, base_end=base_end, flag_pct=flag_pct,
                      flag_min=flag_min)
        new, notices = next_state(trigger, ViewState.from_dict(stored), ds, search=search,
                                  controls=values, event=event)
        return mirrored(new.sanitised(ds.reference, clicks.data_values(ds)), notices)
