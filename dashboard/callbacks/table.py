"""The incident table: the view's newest rows with their sources, and a line counting them.
The view callback (``controller``) sends them with the new state; rows are lean (an unknown
count is left out, which the grid shows as 'unknown')."""
from __future__ import annotations

import numpy as np
import pandas as pd
from dash import Output

from .. import aggregate, ids
from ..data.schema import BOUNDS
from ..layout import GRID_LIMIT
from ..reference import split_list

TEXT = ("district", "group", "attribution", "target_type", "attack_type")


def grid_rows(rows) -> list[dict]:
    """Incident rows as the grid's records (an unknown count left out, the source URLs as a
    list, or where a row has none the sources it cites as text, the sources' range of a
    count as '70-94' where it differs, else left out)."""
    dates = rows["date"].dt.strftime("%Y-%m-%d").tolist()
    urls = [split_list(u) for u in rows["source_urls"]]
    cited = rows["source_text"].fillna("").astype(str).tolist()
    texts = {k: rows[k].astype(str).tolist() for k in TEXT}
    counts = {k: rows[k].astype("Int64").tolist() for k in ("killed", "injured")}
    spans = {f"{k}_range": _spans(rows, k) for k in counts}
    records = []
    for i, iid in enumerate(rows["incident_id"].tolist()):
        r = {"incident_id": iid, "date": dates[i], **{k: texts[k][i] for k in TEXT}}
        for k, values in counts.items():
            if not pd.isna(values[i]):
                r[k] = int(values[i])
        for k, values in spans.items():
            if values[i] is not None:
                r[k] = values[i]
        if urls[i]:
            r["sources"] = urls[i]
        else:
            r["source_text"] = cited[i]
        records.append(r)
    return records


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
