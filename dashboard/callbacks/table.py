"""The incident table: the view's newest rows with their sources, and a line counting them.
The view callback (``controller``) sends them with the new state, lean: as columns and
values (``grid_rows``), which the page makes the grid's records as the answer lands."""
from __future__ import annotations

import numpy as np
import pandas as pd
from dash import Output

from .. import aggregate, ids
from ..data.schema import BOUNDS
from ..layout import GRID_LIMIT
from ..reference import split_list

TEXT = ("district", "group", "attribution", "target_type", "attack_type")


def grid_rows(rows) -> dict:
    """Incident rows for the grid, as pandas' "split" orientation without the index: the
    column names once, then each row's values in their order (the field names in every row
    were a third of a click's bytes). A null is a value the row leaves out: an unknown count
    (the grid shows 'unknown'), the sources' range of a count where they agree (else
    '70-94'), the source URLs where a row has none and the sources it cites as text where
    it has URLs; a column null in every row is not sent. The page makes them the grid's
    records before Dash applies the answer (``RENDERER`` in dashboard/app.py,
    ``pmd.gridRecords`` in assets/dashboard.js)."""
    urls = [split_list(u) or None for u in rows["source_urls"]]
    cited = rows["source_text"].fillna("").astype(str).tolist()
    columns = {"incident_id": rows["incident_id"].tolist(),
               "date": rows["date"].dt.strftime("%Y-%m-%d").tolist(),
               **{k: rows[k].astype(str).tolist() for k in TEXT}}
    for k in ("killed", "injured"):
        columns[k] = [None if pd.isna(n) else int(n) for n in rows[k].astype("Int64").tolist()]
    for k in ("killed", "injured"):
        columns[f"{k}_range"] = _spans(rows, k)
    columns["sources"] = urls
    columns["source_text"] = [None if u else c for u, c in zip(urls, cited)]
    sent = {k: v for k, v in columns.items() if any(x is not None for x in v)}
    return {"columns": list(sent), "data": [list(values) for values in zip(*sent.values())]}


def _spans(rows, count: str) -> list[str | None]:
    """Each row's range of `count` as 'low-high' (a blank bound is the best figure), or None
    where the best figure is unknown or the sources agree."""
    best = rows[count]
    low, high = (rows[b].fillna(best) if b in rows else best for b in BOUNDS[count])
    differs = (best.notna() & ((low != best) | (high != best))).fillna(False).to_numpy()
    return [f"{lo}-{hi}" if d else None for d, lo, hi in zip(differs, low, high)]


def grid_note(total: int) -> str:
    if total <= GRID_LIMIT:
        return f"{total:,} incidents in view."
    return (f"Showing the {GRID_LIMIT:,} newest of {total:,} incidents in view; "
            "narrow the filters to see the rest.")


def outputs() -> dict:
    return {"rows": Output(ids.GRID, "rowData"), "note": Output(ids.GRID_NOTE, "children")}


def newest(view: aggregate.View, limit: int = GRID_LIMIT):
    """(the view's `limit` newest rows as ``aggregate.incident_rows`` orders them, how many
    the view holds). Incidents kept in date order (as loaded) need only the rows from the
    `limit`-th newest date on sorted, not the whole view."""
    ds, keep = view.ds, view.mask()
    positions = np.flatnonzero(keep)
    if not ds.dates_ascending or len(positions) <= limit:
        return aggregate.incident_rows(view).head(limit), len(positions)
    dates = ds.arrays["date"][positions]
    positions = positions[np.searchsorted(dates, dates[-limit], side="left"):]
    rows = ds.incidents.iloc[positions].sort_values(["date", "incident_id"],
                                                     ascending=[False, True], kind="stable")
    return rows.head(limit), int(keep.sum())


def table(view: aggregate.View) -> dict:
    """The table's outputs for a view, keyed as ``outputs``."""
    rows, total = newest(view)
    return {"rows": grid_rows(rows), "note": grid_note(total)}
