"""The one place the oracle tests touch the app's Python API (issue 10).

Every view is a permalink query string, the stable public interface. Figures come from each
chart's figure function in the chart registry; KPI texts through the HTTP callback API (the
`cb` fixture), by the stable ids of the README.
"""
from __future__ import annotations

import csv
from pathlib import Path

import plotly.graph_objects as go

from dashboard import aggregate, export, figures
from dashboard.aggregate import View
from dashboard.charts import BY_NAME, for_export
from dashboard.filters import ViewState
from dashboard import ids

STORE = f"{ids.STATE}.data"  # the browser's store of the view state
GRID_ROWS = f"{ids.GRID}.rowData"  # the incident table's rows, sent as columns and values

CHARTS = tuple(c.name for c in for_export())  # district, target, timeline, map, ...
OVERVIEW = ("district", "target", "timeline", "map")
KPI_IDS = ("kpi-attacks", "kpi-killed", "kpi-injured", "kpi-unknown", "kpi-killed-note",
           "kpi-injured-note", "kpi-unknown-note")


def _state(ds, query: str) -> ViewState:
    return ViewState.from_query(query, ds.reference, {})[0]


def view_for(ds, query: str) -> View:
    """The app's aggregation view of a permalink (for tables the charts are drawn from)."""
    return View(ds, _state(ds, query))


def figures_for(ds, query: str, names=CHARTS, base_url: str = "", frame: str = "briefing"
                ) -> dict[str, go.Figure]:
    """{chart name: figure} for the view a permalink describes, in the briefing (exports) or
    the screen frame."""
    view = view_for(ds, query)
    return {name: BY_NAME[name].figure(view, base_url, frame=frame) for name in names}


def canonical_query(ds, query: str) -> str:
    """The app's own URL for a query (what its footers print)."""
    return _state(ds, query).to_query()


def store_for(cb, query: str) -> dict:
    """Open a permalink through the controller callback: the stored view it sets."""
    out, _ = cb.call(STORE, {"url.search": query, STORE: None},
                     ["url.search"])
    return out[ids.STATE]["data"]


def render(cb, query: str) -> dict:
    """The render callback's answer for a permalink: {component id: {prop: value}}."""
    out, _ = cb.call("kpi-attacks.children", {STORE: store_for(cb, query)},
                     [STORE])
    return out


def kpis(cb, query: str) -> dict[str, str]:
    """{KPI id: text} as the page shows them, for a permalink."""
    out = render(cb, query)
    return {cid: out[cid]["children"] for cid in KPI_IDS}


def records(sent: dict) -> list[dict]:
    """The incident table's rows as the grid holds them: the columns and values sent
    (pandas' "split" orientation) as records, a null left out, as the browser makes them."""
    return [{c: v for c, v in zip(sent["columns"], values) if v is not None}
            for values in sent["data"]]


def table_rows(out: dict) -> list[dict]:
    """The incident table's rows in a view callback's answer, as the grid holds them."""
    return records(out[ids.GRID]["rowData"])


def grid(cb, query: str) -> tuple[list[dict], str]:
    """The incident table's rows and its row-count line, for a permalink."""
    out, _ = cb.call(GRID_ROWS, {STORE: store_for(cb, query)}, [STORE])
    return table_rows(out), out["grid-note"]["children"]


def pack_csv(ds, query: str, folder: Path) -> list[dict]:
    """The briefing pack's incidents.csv for a permalink, read back as rows of text."""
    view = View(ds, _state(ds, query))
    path = export._write_csv(aggregate.incident_rows(view), Path(folder) / "incidents.csv")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def oracle_view_of_store(stored: dict) -> dict:
    """The oracle's view dict for a stored view (what the controller writes to the store),
    values taken as they are: a stale or junk value matches nothing, as in the data."""
    state = ViewState.from_dict(stored)
    f, d = state.filters, state.display
    return {"from": f.date_from.isoformat() if f.date_from else None,
            "to": f.date_to.isoformat() if f.date_to else None,
            "province": list(f.province), "district": list(f.district),
            "group": list(f.group), "attribution": list(f.attribution),
            "target": list(f.target_type), "attack": list(f.attack_type),
            "min_killed": f.min_killed, "period": d.period, "view": d.tab,
            "rule": d.common_rule}


def group_colours(groups: list[str]) -> dict[str, str]:
    """The colour the charts give each group."""
    return {g: figures.group_colour(g) for g in groups}
