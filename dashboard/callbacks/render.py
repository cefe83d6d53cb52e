"""Rendering: the active tab's charts, the headline numbers and the chips, all functions of
the stored ViewState; other tabs' charts draw when opened. Also the charts' SVG buttons."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import MATCH, ClientsideFunction, Input, Output, State, html, no_update

from .. import aggregate, export, ids
from ..charts import CHARTS, on_tab
from ..figures import change_sentence, signed
from ..filters import ViewState
from ..layout import graph_config
from .common import base_url


def kpi_texts(t: aggregate.Totals) -> dict[str, str]:
    """The four headline numbers and their notes, by component id (a count's note: the
    sources' range where they differ, then the attacks whose count is unknown)."""
    def note(count: str, unknown: int) -> str:
        parts = [aggregate.range_words(t, count),
                 f"+ {unknown} attacks with {count} unknown" if unknown else None]
        return "; ".join(p for p in parts if p) or "known figures"

    return {
        "kpi-attacks": f"{t.attacks:,}", "kpi-killed": f"{t.killed:,}", "kpi-attacks-note": "",
        "kpi-injured": f"{t.injured:,}", "kpi-unknown": f"{t.unknown_any:,}",
        "kpi-killed-note": note("killed", t.unknown_killed),
        "kpi-injured-note": note("injured", t.unknown_injured),
        "kpi-unknown-note": "rows with killed or injured unknown",
    }


def change_kpi_texts(change) -> dict[str, str]:
    """What changed's headline numbers: each change, the sentence, and from what to what."""
    if change is None:
        return {k: "–" for k in ids.KPIS} | {ids.kpi_note(k): "" for k in ids.KPIS}
    now, base, periods = change
    out = {}
    for kid, field in zip(ids.KPIS, ("attacks", "killed", "injured", "unknown_any")):
        out[kid] = signed(getattr(now, field) - getattr(base, field))
        out[ids.kpi_note(kid)] = f"{getattr(base, field):,} → {getattr(now, field):,}"
    out["kpi-attacks-note"] = f"{change_sentence(now, base, periods)} ({out['kpi-attacks-note']})"
    return out


def chips(state: ViewState):
    """One removable chip per active filter value."""
    out = []
    for dim, value, words in state.filters.describe():
        out.append(dbc.Badge([
            words, html.Button("×", id=ids.chip(dim, value), className="chip-close",
                               title=f"Remove {words}", n_clicks=0),
        ], color="light", text_color="dark", className="chip me-1"))
    return out or [html.Span("No filters: all incidents.", className="text-muted small")]


def rendered(ds, state: ViewState, topojson_url: str, cache=None) -> dict:
    """Every output of the render callback for one state (aggregations through `cache`)."""
    view = aggregate.View(ds, state, cache)
    shown = {c.name for c in on_tab(state.display.tab)}
    name = export.slug(state)
    kpis = (change_kpi_texts(aggregate.change_totals(view)) if state.display.tab == "change"
            else kpi_texts(aggregate.totals(view)))
    districts = ds.reference.districts_of(state.filters.province)
    return {
        "figures": {c.name: c.figure(view, base_url(), frame="screen") if c.name in shown
                    else no_update
                    for c in CHARTS},
        "configs": {c.name: graph_config(topojson_url, f"{c.name}_{name}")
                    if c.name in shown else no_update for c in CHARTS},
        "kpis": {k: kpis[k] for k in ids.KPIS},
        "notes": {ids.kpi_note(k): kpis[ids.kpi_note(k)] for k in ids.KPIS},
        "chips": chips(state),
        "districts": [{"label": d, "value": d}
                      for d in sorted(set(districts) | set(state.filters.district))],
        "published": (aggregate.published_comparison(ds, state.filters).to_dict("records")
                      if "published" in shown else no_update),
    }


def register(app, ds, cache=None) -> None:
    topojson_url = app.get_asset_url("topojson/")
    outputs = {
        "figures": {c.name: Output(c.graph_id, "figure") for c in CHARTS},
        "configs": {c.name: Output(c.graph_id, "config") for c in CHARTS},
        "kpis": {k: Output(k, "children") for k in ids.KPIS},
        "notes": {ids.kpi_note(k): Output(ids.kpi_note(k), "children") for k in ids.KPIS},
        "chips": Output(ids.CHIPS, "children"),
        "districts": Output(ids.FILTER_DISTRICT, "options"),
        "published": Output(ids.PUBLISHED_GRID, "rowData"),
    }

    @app.callback(output=outputs, inputs={"stored": Input(ids.STATE, "data")})
    def render(stored):
        """Every number and the active tab's charts; other tabs draw when opened."""
        return rendered(ds, ViewState.from_dict(stored), topojson_url, cache)

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
