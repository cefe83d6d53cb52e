"""The incident dialog: every field of one incident as inert text, its sources as citations
(outlet, date, title where known) with the decoded URL as a link."""
from __future__ import annotations

from dash import Input, Output, ctx, html, no_update

from ..data.schema import bounds
from .. import ids
from ..citations import incident_citations


def incident_detail(row) -> list:
    """Every field of one incident as inert text; its citations, only http(s) URLs as links."""
    def item(label, value):
        text = "unknown" if value is None or (value != value) or str(value) in ("", "<NA>") \
            else str(value)
        return html.Tr([html.Th(label, className="pe-3"), html.Td(text)])

    fields = [("Date", f"{row['date']:%Y-%m-%d}"), ("Province", row["province"]),
              ("District", row["district"]), ("Location", row["location"]),
              ("Group", row["group"]), ("Claimant as reported", row["claimant_reported"]),
              ("Attribution", row["attribution"]), ("Target type", row["target_type"]),
              ("Target", row["target_detail"]), ("Attack type", row["attack_type"]),
              ("Killed", count_words(row, "killed")), ("Injured", count_words(row, "injured")),
              ("Date precision", row.get("date_precision")),
              ("Place precision", row.get("place_precision")),
              ("Collection", row["collection"]),
              ("Notes (which source gives which figure)", row["notes"]),
              ("Sources as cited", row["source_text"]),
              ("File", f"{row['source_file']}, line {row['source_line']}")]
    links = [html.Li([c.text(), html.Br(),
                      html.A(c.shown, href=c.url, target="_blank", rel="noopener noreferrer")
                      if c.is_link else c.shown])
             for c in incident_citations(row)]
    return [html.Table([html.Tbody([item(k, v) for k, v in fields])],
                       className="table table-sm"),
            html.H3("Sources", className="h6"), html.Ol(links)]


def count_words(row, count: str) -> str:
    """'74', 'unknown', or '74 (sources range 70 to 94)' where the sources differ."""
    span = bounds(row, count)
    if span is None:
        return "unknown"
    best = int(row[count])
    return str(best) if span == (best, best) else (f"{best} (sources range {span[0]} to "
                                                    f"{span[1]}; see the notes)")


def register(app, ds) -> None:
    @app.callback(
        output={"open": Output(ids.MODAL, "is_open"), "title": Output(ids.MODAL_TITLE, "children"),
                "body": Output(ids.MODAL_BODY, "children")},
        inputs={"cell": Input(ids.GRID, "cellClicked"),
                "selected": Input(ids.GRID, "selectedRows")},  # Space on a row, by keyboard
        prevent_initial_call=True,
    )
    def details(cell, selected):
        nothing = {"open": no_update, "title": no_update, "body": no_update}
        chosen = (cell or {}).get("rowId") if ctx.triggered_id and "cellClicked" in \
            ctx.triggered[0]["prop_id"] else (selected or [{}])[0].get("incident_id")
        if not chosen:
            return nothing
        row = ds.incidents[ds.incidents["incident_id"] == chosen]
        if row.empty:
            return nothing
        return {"open": True, "title": chosen, "body": incident_detail(row.iloc[0])}
