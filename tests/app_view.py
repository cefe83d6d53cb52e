"""The one place the oracle tests touch the app's Python API (issue 10).

Every view is a permalink query string, the stable public interface. The app is about to be
restructured (modules move, Filters may split into filter and display state): when it is, only
this module needs to follow. Figures come from each chart's figure function; KPI texts through
the HTTP callback API (the `cb` fixture), by the stable ids of the README.
"""
from __future__ import annotations

import csv
from pathlib import Path

import plotly.graph_objects as go

from dashboard import aggregate, export, figures
from dashboard.aggregate import View
from dashboard.filters import Filters

CHARTS = tuple(figures.CHARTS)  # district, target, timeline, map, compare_districts, ...
OVERVIEW = ("district", "target", "timeline", "map")
KPI_IDS = ("kpi-attacks", "kpi-killed", "kpi-injured", "kpi-unknown", "kpi-killed-note",
           "kpi-injured-note", "kpi-unknown-note")


def _filters(ds, query: str):
    return Filters.from_query(query, ds.reference, {})[0]


def figures_for(ds, query: str, names=CHARTS, base_url: str = "") -> dict[str, go.Figure]:
    """{chart name: figure} for the view a permalink describes."""
    view = View(ds, _filters(ds, query))
    return {name: figures.CHARTS[name](view, base_url) for name in names}


def canonical_query(ds, query: str) -> str:
    """The app's own URL for a query (what its footers print)."""
    return _filters(ds, query).to_query()


def store_for(cb, query: str) -> dict:
    """Open a permalink through the controller callback: the stored view it sets."""
    out, _ = cb.call("filters.data", {"url.search": query, "filters.data": None},
                     ["url.search"])
    return out["filters"]["data"]


def render(cb, query: str) -> dict:
    """The render callback's answer for a permalink: {component id: {prop: value}}."""
    out, _ = cb.call("kpi-attacks.children", {"filters.data": store_for(cb, query)},
                     ["filters.data"])
    return out


def kpis(cb, query: str) -> dict[str, str]:
    """{KPI id: text} as the page shows them, for a permalink."""
    out = render(cb, query)
    return {cid: out[cid]["children"] for cid in KPI_IDS}


def grid(cb, query: str) -> tuple[list[dict], str]:
    """The incident table's rows and its row-count line, for a permalink."""
    out, _ = cb.call("grid-incidents.rowData", {"filters.data": store_for(cb, query)},
                     ["filters.data"])
    return out["grid-incidents"]["rowData"], out["grid-note"]["children"]


def pack_csv(ds, query: str, folder: Path) -> list[dict]:
    """The briefing pack's incidents.csv for a permalink, read back as rows of text."""
    view = View(ds, _filters(ds, query))
    path = export._write_csv(aggregate.incidents(view), Path(folder) / "incidents.csv")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def oracle_view_of_store(stored: dict) -> dict:
    """The oracle's view dict for a stored view (the `filters.data` the controller writes),
    values taken as they are: a stale or junk value matches nothing, as in the data."""
    f = Filters.from_dict(stored)
    return {"from": f.date_from.isoformat() if f.date_from else None,
            "to": f.date_to.isoformat() if f.date_to else None,
            "province": list(f.province), "district": list(f.district),
            "group": list(f.group), "attribution": list(f.attribution),
            "target": list(f.target_type), "attack": list(f.attack_type),
            "min_killed": f.min_killed, "period": f.period, "view": f.tab,
            "rule": f.common_rule}


def group_colours(groups: list[str]) -> dict[str, str]:
    """The colour the charts give each group."""
    return {g: figures.group_colour(g) for g in groups}
