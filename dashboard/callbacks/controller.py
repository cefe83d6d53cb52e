"""The view callback: one round trip per event. It turns every event into the next
ViewState (pure ``next_state``, tested without a server); the URL, the notice and every
control mirror it; and in the same answer the charts (only what changed), the numbers, the
chips and the table of the new state (``render``, ``table``)."""
from __future__ import annotations

import json
from dataclasses import replace

from dash import Input, Output, State, ctx, html, no_update

from .. import aggregate, clicks, ids
from . import a11y, patches, render, table
from ..charts import BY_GRAPH_ID, BY_NAME, CHARTS
from ..filters import Display, ViewState, parse_date, parse_min_killed

CLICKABLE = tuple(c for c in CHARTS if c.click)
# The view callback's outputs that only it writes and that are sent only when they change
# (the page keeps their digests with the figures'): the numbers, the chips, the file name
# part; and the table (``table.table``).
TEXTS = ("export_name", "kpis", "notes", "chips")


def next_state(trigger: str | dict | None, current: ViewState, ds, *, search: str = "",
               controls: dict | None = None, event: dict | None = None
               ) -> tuple[ViewState, list[str]]:
    """Pure: the new view state after one event, with any notices for the user."""
    if trigger is None or trigger == ids.URL:
        return clicks.state_from_query(search, ds)
    if trigger == ids.RESET:
        return ViewState(display=Display(tab=current.display.tab)), []
    if trigger == ids.STATE:  # the stored view itself (tools and tests set it): as it is
        return current, []
    if trigger == ids.ROW_CHOSEN:  # a row of a chart's table: as a click on its bar
        row = event if isinstance(event, dict) else {}
        chart = BY_NAME.get(str(row.get("chart")))
        return chart.click(current, json.loads(row["event"]), ds) if chart and \
            chart.click and isinstance(row.get("event"), str) else (current, [])
    if trigger == ids.CHIP_REMOVED:
        chip = event if isinstance(event, dict) else {}
        f = current.filters.without(str(chip.get("dim")), chip.get("value") or None)
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


def unchanged(sent: dict, shown: dict, outputs: dict) -> dict:
    """`sent` with each value the page already has (`shown`, the callback's inputs) as
    no_update, member by member where `outputs` groups several outputs under a key: the
    browser applies every output it is sent, a store update and a re-render each, whether
    the value changed or not (a click sent some 60)."""
    out = {}
    for key, value in sent.items():
        if key not in shown:
            out[key] = value
        elif isinstance(outputs[key], dict):
            out[key] = unchanged(value, shown[key] or {}, outputs[key])
        else:
            out[key] = no_update if _json(value) == _json(shown[key]) else value
    return out


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _control_props() -> dict:
    return {"start": (ids.FILTER_DATE, "start_date"), "end": (ids.FILTER_DATE, "end_date"),
            "min_killed": (ids.FILTER_MIN_KILLED, "value"),
            "precise": (ids.FILTER_PRECISE, "value"),
            "period": (ids.FILTER_PERIOD, "value"), "tab": (ids.TABS, "active_tab"),
            "rule": (ids.COMPARE_RULE, "value"), "show_events": (ids.FILTER_EVENTS, "value"),
            "base_start": (ids.CHANGE_BASELINE, "start_date"),
            "base_end": (ids.CHANGE_BASELINE, "end_date"),
            "flag_pct": (ids.CHANGE_PCT, "value"), "flag_min": (ids.CHANGE_MIN, "value")}


def _inputs(props: dict) -> dict:
    return {
        "search": Input(ids.URL, "search"), "reset": Input(ids.RESET, "n_clicks"),
        "chip": Input(ids.CHIP_REMOVED, "data"), "row": Input(ids.ROW_CHOSEN, "data"),
        "events": {c.graph_id: Input(c.graph_id, c.event) for c in CLICKABLE},
        "published_row": Input(ids.PUBLISHED_GRID, "cellClicked"),
        **{key: Input(*where) for key, where in props.items()},
        "controls": {cid: Input(cid, "value") for cid in ids.FILTER_CONTROLS},
        "stored": Input(ids.STATE, "data"),
    }


def _event(trigger, events: dict, given: dict):
    """The payload of the event that fired: a chart's click, a table row, a chip."""
    if trigger == ids.PUBLISHED_GRID:
        return given["published_row"]
    if trigger == ids.CHIP_REMOVED:
        return given["chip"]
    if trigger == ids.ROW_CHOSEN:
        return given["row"]
    return events.get(trigger) if isinstance(trigger, str) else None


def register(app, ds, cache=None) -> None:
    props = _control_props()
    outputs = {
        "state": Output(ids.STATE, "data"), "search": Output(ids.URL, "search"),
        "notice": Output(ids.NOTICE, "children"), "notice_open": Output(ids.NOTICE, "is_open"),
        **{key: Output(*where) for key, where in props.items()},
        "controls": {cid: Output(cid, "value") for cid in ids.FILTER_CONTROLS},
        "clicks": {c.graph_id: Output(c.graph_id, "clickData")
                   for c in CLICKABLE if c.event == "clickData"},
        **render.outputs(), **table.outputs(),
    }

    @app.callback(output=outputs, inputs=_inputs(props),
                  state={"drawn": State(ids.DRAWN, "data"), "hidden": a11y.open_tables(),
                         "notice_open": State(ids.NOTICE, "is_open")})
    def view(search, events, controls, stored, drawn, hidden, notice_open, **given):
        trigger = ctx.triggered_id
        values = dict(controls, **{k: given[k] for k in props},
                      common_rule=given["rule"])
        new, notices = next_state(trigger, ViewState.from_dict(stored), ds, search=search,
                                  controls=values, event=_event(trigger, events, given))
        if trigger != ids.STATE:  # a stored view is rendered as it is, as it always was
            new = new.sanitised(ds.reference, clicks.data_values(ds))
        view = aggregate.View(ds, new, cache)  # one view, its masks shared by all outputs
        tables = {name for name, closed in hidden.items() if closed is False}
        shown = {"state": stored, "search": search, "notice_open": bool(notice_open),
                 "controls": controls, "clicks": events, **{k: given[k] for k in props}}
        if not notices and not notice_open:
            shown["notice"] = []
        out = {**unchanged(mirrored(new, notices), shown, outputs),
               **render.rendered(view, drawn, tables)}
        texts = {key: out.pop(key) for key in TEXTS} | table.table(view)
        return out | patches.sent_if_changed(texts, outputs, drawn, out["drawn"], "sent:")
