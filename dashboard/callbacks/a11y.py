"""Charts anyone can read: each chart card's accessible name (its title), its text summary,
and its numbers as an HTML table whose rows filter as a click on their bar does (a row's
button: Enter or a click). Each a function of the figure the chart draws."""
from __future__ import annotations

import plotly.graph_objects as go
from dash import MATCH, ClientsideFunction, Input, Output, html

from .. import describe, ids
from ..charts import CHARTS, Chart


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
        return html.Button(row.label, id=ids.chart_row(chart.name, row.event_key()),
                           n_clicks=0, className="btn btn-link btn-sm p-0 text-start",
                           title=f"Filter to {row.label}")
    head = html.Tr([html.Th("", scope="col")] + [html.Th(c, scope="col") for c in columns])
    body = [html.Tr([html.Th(label(r), scope="row")] + [html.Td(_cell(v)) for v in r.values])
            for r in rows]
    return html.Table([html.Caption(caption), html.Thead(head), html.Tbody(body)],
                      className="table table-sm table-hover chart-numbers mb-0")


def described(chart: Chart, figure: dict | None) -> dict:
    """A drawn chart's title, summary and table (from the figure the page shows, so nothing
    is computed twice)."""
    if not figure:
        return {"title": "", "summary": "", "table": []}
    fig = go.Figure(figure)
    columns, rows = describe.chart_table(fig)
    title = describe.title_of(fig)
    return {"title": title, "summary": describe.summary(fig, columns, rows),
            "table": table(chart, title, columns, rows)}


def register(app) -> None:
    for chart in CHARTS:
        _register_chart(app, chart)
    app.clientside_callback(
        ClientsideFunction("a11y", "toggleTable"),
        Output(ids.chart_table(MATCH), "hidden"), Output(ids.chart_box(MATCH), "hidden"),
        Output(ids.table_toggle(MATCH), "children"),
        Input(ids.table_toggle(MATCH), "n_clicks"),
        prevent_initial_call=True,
    )


def _register_chart(app, chart: Chart) -> None:
    @app.callback(output={"title": Output(ids.chart_title(chart.name), "children"),
                          "summary": Output(ids.chart_summary(chart.name), "children"),
                          "table": Output(ids.chart_table(chart.name), "children")},
                  inputs={"figure": Input(chart.graph_id, "figure")},
                  prevent_initial_call=True)
    def describe_chart(figure):
        return described(chart, figure)
