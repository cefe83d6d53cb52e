"""The incident table: the view's newest rows with their sources, and a line counting them."""
from __future__ import annotations

from dash import Input, Output

from .. import aggregate, ids
from ..data.schema import BOUNDS
from ..filters import ViewState
from ..layout import GRID_LIMIT, source_cell_markdown


def grid_rows(rows) -> list[dict]:
    """Incident rows as the grid's records (unknown counts as None, sources as links, the
    sources' range of each count as '70-94' where it differs)."""
    out = rows[["incident_id", "date", "district", "group", "attribution",
                "target_type", "attack_type", "killed", "injured"]].copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["sources"] = [source_cell_markdown(u, t) for u, t in
                      zip(rows["source_urls"], rows["source_text"].fillna(""))]
    for count in ("killed", "injured"):  # '70-94' where the sources' range differs
        out[f"{count}_range"] = _spans(rows, count)
    records = out.astype(object).where(out.notna(), None).to_dict("records")
    for r in records:
        for k in ("killed", "injured"):
            r[k] = None if r[k] is None else int(r[k])
        for k in ("district", "group", "attribution", "target_type", "attack_type"):
            r[k] = str(r[k])
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


def register(app, ds) -> None:
    @app.callback(output={"rows": Output(ids.GRID, "rowData"),
                          "note": Output(ids.GRID_NOTE, "children")},
                  inputs={"stored": Input(ids.STATE, "data")})
    def table(stored):
        rows = aggregate.incident_rows(aggregate.View(ds, ViewState.from_dict(stored)))
        return {"rows": grid_rows(rows.head(GRID_LIMIT)), "note": grid_note(len(rows))}
