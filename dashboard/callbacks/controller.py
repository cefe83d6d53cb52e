"""The view callback: one round trip per event. It turns every event into the next
ViewState (pure ``next_state``, tested without a server); the URL, the notice and every
control mirror it; and in the same answer the charts (only what changed), the numbers, the
chips and the table of the new state (``render``, ``table``)."""
from __future__ import annotations

from dataclasses import replace

from dash import Input, Output, State, ctx, html

from .. import aggregate, clicks, ids
from . import render, table
from ..charts import BY_GRAPH_ID, CHARTS
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
    if trigger == ids.STATE:  # the stored view itself (tools and tests set it): as it is
        return current, []
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
                      min_killed=parse_min_killed(controls.get("min_killed")), **values)
    display = Display(period=controls.get("period") or "year",
                      tab=controls.get("tab") or current.display.tab,
                      common_rule=bool(controls.get("common_rule",
                                                    current.display.common_rule)))
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
        "min_killed": f.min_killed, "period": d.period, "tab": d.tab, "rule": d.common_rule,
        "clicks": {c.graph_id: None for c in CLICKABLE if c.event == "clickData"},
    }


def _control_props() -> dict:
    return {"start": (ids.FILTER_DATE, "start_date"), "end": (ids.FILTER_DATE, "end_date"),
            "min_killed": (ids.FILTER_MIN_KILLED, "value"),
            "period": (ids.FILTER_PERIOD, "value"), "tab": (ids.TABS, "active_tab"),
            "rule": (ids.COMPARE_RULE, "value")}


def _inputs(props: dict) -> dict:
    return {
        "search": Input(ids.URL, "search"), "reset": Input(ids.RESET, "n_clicks"),
        "chip": Input(ids.CHIP_REMOVED, "data"),
        "events": {c.graph_id: Input(c.graph_id, c.event) for c in CLICKABLE},
        "published_row": Input(ids.PUBLISHED_GRID, "cellClicked"),
        **{key: Input(*where) for key, where in props.items()},
        "controls": {cid: Input(cid, "value") for cid in ids.FILTER_CONTROLS},
        "stored": Input(ids.STATE, "data"),
    }


def _event(trigger, events: dict, published_row, chip):
    """The payload of the event that fired: a chart's click, a table row, a chip."""
    if trigger == ids.PUBLISHED_GRID:
        return published_row
    if trigger == ids.CHIP_REMOVED:
        return chip
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
                  state={"drawn": State(ids.DRAWN, "data")})
    def view(search, reset, chip, events, published_row, start, end, min_killed, period,
             tab, rule, controls, stored, drawn):
        trigger = ctx.triggered_id
        values = dict(controls, start=start, end=end, min_killed=min_killed, period=period,
                      tab=tab, common_rule=rule)
        new, notices = next_state(trigger, ViewState.from_dict(stored), ds, search=search,
                                  controls=values,
                                  event=_event(trigger, events, published_row, chip))
        if trigger != ids.STATE:  # a stored view is rendered as it is, as it always was
            new = new.sanitised(ds.reference, clicks.data_values(ds))
        view = aggregate.View(ds, new, cache)  # one view, its masks shared by all outputs
        return {**mirrored(new, notices), **render.rendered(view, drawn), **table.table(view)}
