"""Rendering: the active tab's charts, the headline numbers and the chips, all functions of
the ViewState; other tabs' charts draw when opened. A chart already drawn is sent only as
what changed (``patches``: a ``dash.Patch`` of its changed parts, by the digests the page
keeps in ``ids.DRAWN``), or not at all. The view callback (``controller``) returns these with the
new state, in one round trip, with each changed chart's title, summary and table (``a11y``).
Also the panels, the tabs' bodies and the charts' SVG buttons (in the browser); a chip's x
is a button that sets its store in the browser (``ids.press``).
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, ClientsideFunction, Input, Output, State, html, no_update

from .. import aggregate, export, ids
from . import a11y, patches
from ..charts import CHARTS, on_tab
from ..figures import change_sentence, signed
from ..filters import ViewState
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
            words, html.Button("×", className="chip-close", title=f"Remove {words}",
                               **ids.press(ids.CHIP_REMOVED, dim=dim, value=value)),
        ], color="light", text_color="dark", className="chip me-1"))
    return out or [html.Span("No filters: all incidents.", className="text-muted small")]


def chart_updates(view, shown: set[str], drawn: dict | None, tables: set[str] = frozenset()
                  ) -> tuple[dict, dict, dict]:
    """({chart: figure, Patch or no_update}, the page's digests after them, {chart: its
    title, summary and, for the open `tables`, table}, each sent anew only where it
    changed). A chart's box is its card's (a tall chart's figure has its own height, and
    the card scrolls): no answer resizes a box."""
    drawn = dict(drawn) if isinstance(drawn, dict) else {}  # anything else: none drawn
    out, described = {}, {}
    for c in CHARTS:
        before = drawn.get(c.name)
        before = before if isinstance(before, dict) else None
        if c.name not in shown:
            out[c.name] = described[c.name] = no_update
            continue
        fig = c.figure(view, base_url(), frame="screen")
        out[c.name], drawn[c.name] = patches.figure_update(fig, before)
        described[c.name] = (no_update if out[c.name] is no_update
                             else a11y.described(c, fig, c.name in tables))
    return out, drawn, described


def _kpis(view: aggregate.View) -> dict[str, str]:
    if view.state.display.tab == "change":
        return change_kpi_texts(aggregate.change_totals(view))
    return kpi_texts(aggregate.totals(view))


def rendered(view: aggregate.View, drawn: dict | None = None,
             tables: set[str] = frozenset()) -> dict:
    """Every rendered output for a view (data + state; aggregations through its cache);
    `drawn`: the digests of the figures the page holds; `tables`: the charts whose table
    is open."""
    ds, state = view.ds, view.state
    shown = {c.name for c in on_tab(state.display.tab)}
    kpis = _kpis(view)
    districts = ds.reference.districts_of(state.filters.province)
    figures, digests, described = chart_updates(view, shown, drawn, tables)
    options = [{"label": d, "value": d}
               for d in sorted(set(districts) | set(state.filters.district))]
    digests["districts"] = patches.digest(options)  # the district list changes with the province
    same = isinstance(drawn, dict) and drawn.get("districts") == digests["districts"]
    return {
        "figures": figures, "drawn": digests, "export_name": export.slug(state),
        **{part: {name: d if d is no_update else d[part] for name, d in described.items()}
           for part in a11y.PARTS},
        "kpis": {k: kpis[k] for k in ids.KPIS},
        "notes": {ids.kpi_note(k): kpis[ids.kpi_note(k)] for k in ids.KPIS},
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
        **a11y.outputs(),
        "kpis": {k: Output(k, "children") for k in ids.KPIS},
        "notes": {ids.kpi_note(k): Output(ids.kpi_note(k), "children") for k in ids.KPIS},
        "chips": Output(ids.CHIPS, "children"),
        "districts": Output(ids.FILTER_DISTRICT, "options"),
        "published": Output(ids.PUBLISHED_GRID, "rowData"),
    }


def register(app) -> None:
    """The browser's own callbacks: panels, tabs' bodies, SVG downloads."""
    app.clientside_callback(
        ClientsideFunction("pmd", "openTabBody"),
        Output(ids.tab_body(ALL), "value"),
        Input(ids.TABS, "active_tab"), State(ids.tab_body(ALL), "value"),
        State(ids.tab_body(ALL), "id"),
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
