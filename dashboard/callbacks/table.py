"""The incident table: the view's newest rows with their sources, and a line counting them.
The view callback (``controller``) sends them with the new state; rows are lean (an unknown
count is left out, which the grid shows as 'unknown')."""
from __future__ import annotations

import pandas as pd
from dash import Output

from .. import aggregate, ids
from ..filters import ViewState
from ..layout import GRID_LIMIT, source_cell_markdown

TEXT = ("district", "group", "attribution", "target_type", "attack_type")


def grid_rows(rows) -> list[dict]:
    """Incident rows as the grid's records (an unknown count left out, sources as links)."""
    dates = rows["date"].dt.strftime("%Y-%m-%d").tolist()
    sources = [source_cell_markdown(u, t) for u, t in
               zip(rows["source_urls"], rows["source_text"].fillna(""))]
    texts = {k: rows[k].astype(str).tolist() for k in TEXT}
    counts = {k: rows[k].astype("Int64").tolist() for k in ("killed", "injured")}
    records = []
    for i, iid in enumerate(rows["incident_id"].tolist()):
        r = {"incident_id": iid, "date": dates[i], **{k: texts[k][i] for k in TEXT}}
        for k, values in counts.items():
            if not pd.isna(values[i]):
                r[k] = int(values[i])
        r["sources"] = sources[i]
        records.append(r)
    return records


def grid_note(total: int) -> str:
    if total <= GRID_LIMIT:
        return f"{total:,} incidents in view."
    return (f"Showing the {GRID_LIMIT:,} newest of {total:,} incidents in view; "
            "narrow the filters to see the rest.")


def outputs() -> dict:
    return {"rows": Output(ids.GRID, "rowData"), "note": Output(ids.GRID_NOTE, "children")}


def table(ds, state: ViewState) -> dict:
    """The table's outputs for one state, keyed as ``outputs``."""
    rows = aggregate.incident_rows(aggregate.View(ds, state))
    return {"rows": grid_rows(rows.head(GRID_LIMIT)), "note": grid_note(len(rows))}
