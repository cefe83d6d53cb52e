"""Rendering: the active tab's charts, the headline numbers and the chips, all functions of
the ViewState; other tabs' charts draw when opened. A chart already drawn is sent only as
what changed (a ``dash.Patch`` of its traces and layout keys, by the digests the page keeps
in ``ids.DRAWN``), or not at all. The view callback (``controller``) returns these with the
new state, in one round trip. Also the charts' SVG buttons and the chips' x (in the browser).
"""
from __future__ import annotations

import hashlib
import json

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, ClientsideFunction, Input, Output, Patch, State, html, no_update
from plotly.utils import PlotlyJSONEncoder

from .. import aggregate, export, ids
from ..charts import CHARTS, on_tab
from ..filters import ViewState
from .common import base_url


def kpi_texts(t: aggregate.Totals) -> dict[str, str]:
    """The four headline numbers and their notes, by component id."""
    return {
        "kpi-attacks": f"{t.attacks:,}", "kpi-killed": f"{t.killed:,}",
        "kpi-injured": f"{t.injured:,}", "kpi-unknown": f"{t.unknown_any:,}",
        "kpi-killed-note": (f"+ {t.unknown_killed} attacks with killed unknown"
                            if t.unknown_killed else "known figures"),
        "kpi-injured-note": (f"+ {t.unknown_injured} attacks with injured unknown"
                             if t.unknown_injured else "known figures"),
        "kpi-unknown-note": "rows with killed or injured unknown",
    }


def chips(state: ViewState):
    """One removable chip per active filter value."""
    out = []
    for dim, value, words in state.filters.describe():
        out.append(dbc.Badge([
            words, html.Button("×", id=ids.chip(dim, value), className="chip-close",
                               title=f"Remove {words}", n_clicks=0),
        ], color="light", text_color="dark", className="chip me-1"))
    return out or [html.Span("No filters: all incidents.", className="text-muted small")]


def _digest(value) -> str:
    text = json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def figure_update(fig, drawn: dict | None):
    """(what to send, its digests): the whole figure when the page holds none, else a Patch
    of the traces and top-level layout keys that changed, or no_update when none did."""
    plain = fig.to_plotly_json()
    layout = plain.get("layout", {})
    now = {"data": _digest(plain["data"]), **{f"layout.{k}": _digest(v)
                                              for k, v in layout.items()}}
    if not drawn:
        return plain, now
    if drawn == now:
        return no_update, now
    patch = Patch()
    if drawn.get("data") != now["data"]:
        patch["data"] = plain["data"]
    for key, value in layout.items():
        if drawn.get(f"layout.{key}") != now[f"layout.{key}"]:
            patch["layout"][key] = value
    for key in drawn:
        if key.startswith("layout.") and key not in now:
            del patch["layout"][key.removeprefix("layout.")]
    return patch, now


def chart_updates(view, shown: set[str], drawn: dict | None) -> tuple[dict, dict]:
    """({chart: figure, Patch or no_update}, the page's digests after them)."""
    drawn = dict(drawn) if isinstance(drawn, dict) else {}  # anything else: none drawn
    out = {}
    for c in CHARTS:
        if c.name not in shown:
            out[c.name] = no_update
            continue
        before = drawn.get(c.name)
        out[c.name], drawn[c.name] = figure_update(
            c.figure(view, base_url(), frame="screen"),
            before if isinstance(before, dict) else None)
    return out, drawn


def rendered(view: aggregate.View, drawn: dict | None = None) -> dict:
    """Every rendered output for a view (data + state; aggregations through its cache);
    `drawn`: the digests of the figures the page holds."""
    ds, state = view.ds, view.state
    shown = {c.name for c in on_tab(state.display.tab)}
    kpis = kpi_texts(aggregate.totals(view))
    districts = ds.reference.districts_of(state.filters.province)
    figures, digests = chart_updates(view, shown, drawn)
    options = [{"label": d, "value": d}
               for d in sorted(set(districts) | set(state.filters.district))]
    digests["districts"] = _digest(options)  # the district list changes with the province
    same = isinstance(drawn, dict) and drawn.get("districts") == digests["districts"]
    return {
        "figures": figures, "drawn": digests, "export_name": export.slug(state),
        "kpis": {k: kpis[k] for k in ids.KPIS},
        "notes": {ids.kpi_note(k): kpis[ids.kpi_note(k)] for k in ids.KPIS[1:]},
        "chips": chips(state),
        "districts": no_update if same else options,
        "published": (aggregate.published_comparison(ds, state.filters).to_dict("records")
                      if "published" in shown else no_update),
    }


def outputs() -> dict:
    """The rendered outputs, keyed as ``rendered`` returns them."""
    return {
        "figures": {c.name: Output(c.graph_id, "figure") for c in CHARTS},
        "drawn": Output(ids.DRAWN, "data"),
        "export_name": Output(ids.EXPORT_NAME, "children"),
        "kpis": {k: Output(k, "children") for k in ids.KPIS},
        "notes": {ids.kpi_note(k): Output(ids.kpi_note(k), "children") for k in ids.KPIS[1:]},
        "chips": Output(ids.CHIPS, "children"),
        "districts": Output(ids.FILTER_DISTRICT, "options"),
        "published": Output(ids.PUBLISHED_GRID, "rowData"),
    }


def register(app) -> None:
    """The browser's own callbacks: chart heights, panels, SVG downloads, the chips' x."""
    app.clientside_callback(
        ClientsideFunction("pmd", "chipRemoved"),
        Output(ids.CHIP_REMOVED, "data"), Input(ids.chip(ALL, ALL), "n_clicks"),
        prevent_initial_call=True,
    )
    for chart in CHARTS:  # a tall chart keeps its height and scrolls in its card
        app.clientside_callback(
            ClientsideFunction("pmd", "graphHeight"),
            Output(chart.graph_id, "style"), Input(chart.graph_id, "figure"),
            prevent_initial_call=True,
        )
    app.clientside_callback(
        ClientsideFunction("pmd", "toggleFilters"),
        Output(ids.PAGE, "className"), Output(ids.FILTER_TOGGLE, "children"),
        Input(ids.FILTER_TOGGLE, "n_clicks"), State(ids.PAGE, "className"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("pmd", "toggleOpen"),
        Output(ids.COVERAGE_DETAILS, "is_open"),
        Input(ids.COVERAGE_TOGGLE, "n_clicks"), State(ids.COVERAGE_DETAILS, "is_open"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("pmd", "downloadSvg"),
        Output(ids.svg_button(MATCH), "title"),
        Input(ids.svg_button(MATCH), "n_clicks"),
        prevent_initial_call=True,
    )
