"""Charts anyone can read: each chart card's accessible name (its title), its text summary,
and its numbers as an HTML table whose rows filter as a click on their bar does (a row's
button: Enter or a click). Each a function of the figure the chart draws, sent with it by
the view callback (a table only while it is open; opening it fills it, closing it empties it)."""
from __future__ import annotations

import plotly.graph_objects as go
from dash import MATCH, ClientsideFunction, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from .. import aggregate, describe, ids
from ..charts import BY_NAME, CHARTS, Chart
from ..filters import ViewState
from .common import base_url


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(chart: Chart, caption: str, columns: list[str], rows: list[describe.Row]):
    """The chart's numbers: a caption, column headings, one row per bar; each row's label a
    button that applies the row's filter (none where the chart has no click)."""
    if not rows:
        return html.P("No incident matches these filters.", className="small m-2")

    def label(row: describe.Row):
        if chart.click is None or row.event is None:
            return row.label
        return html.Button(row.label, className="btn btn-link btn-sm p-0 text-start",
                           title=f"Filter to {row.label}",
                           **ids.press(ids.ROW_CHOSEN, chart=chart.name,
                                       event=row.event_key()))
    head = html.Tr([html.Th("", scope="col")] + [html.Th(c, scope="col") for c in columns])
    body = [html.Tr([html.Th(label(r), scope="row")] + [html.Td(_cell(v)) for v in r.values])
            for r in rows]
    return html.Table([html.Caption(caption), html.Thead(head), html.Tbody(body)],
                      className="table table-sm table-hover chart-numbers mb-0")


PARTS = ("titles", "summaries", "tables")


def described(chart: Chart, fig: go.Figure, with_table: bool = True) -> dict:
    """A drawn chart's title, summary and (`with_table`: its table is open) table, keyed as
    ``PARTS``; a closed table is left as it is: it was emptied when it closed (no stale
    rows) and is filled when it opens (``register``)."""
    columns, rows = describe.chart_table(fig)
    title = describe.title_of(fig)
    return {"titles": title, "summaries": describe.summary(fig, columns, rows),
            "tables": table(chart, title, columns, rows) if with_table else no_update}


def outputs() -> dict:
    """Each chart's title, summary and table, as the view callback sends them with the
    chart (``render``)."""
    return {"titles": {c.name: Output(ids.chart_title(c.name), "children") for c in CHARTS},
            "summaries": {c.name: Output(ids.chart_summary(c.name), "children")
                          for c in CHARTS},
            "tables": {c.name: Output(ids.chart_table(c.name), "children") for c in CHARTS}}


def open_tables() -> dict:
    """Whether each chart's table is shown (the view callback sends only those)."""
    return {c.name: State(ids.chart_table(c.name), "hidden") for c in CHARTS}


def register(app, ds, cache=None) -> None:
    """The Table toggle (in the browser), the table filled when opened and emptied when
    closed, and a row's button pressed (in the browser)."""
    app.clientside_callback(
        ClientsideFunction("a11y", "toggleTable"),
        Output(ids.chart_table(MATCH), "hidden"), Output(ids.chart_box(MATCH), "hidden"),
        Output(ids.table_toggle(MATCH), "children"),
        Input(ids.table_toggle(MATCH), "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(Output(ids.chart_table(MATCH), "children", allow_duplicate=True),
                  Input(ids.table_toggle(MATCH), "n_clicks"), State(ids.STATE, "data"),
                  prevent_initial_call=True)
    def fill_table(n_clicks, stored):
        if not n_clicks:
            raise PreventUpdate
        if n_clicks % 2 == 0:  # the table closed: emptied, so no stale rows show on opening
            return []
        chart = BY_NAME[ctx.triggered_id["chart"]]
        view = aggregate.View(ds, ViewState.from_dict(stored), cache)
        return described(chart, chart.figure(view, base_url(), frame="screen"))["tables"]
