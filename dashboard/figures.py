"""Figures: pure functions (dataset, filters) -> go.Figure, drawn in the briefing look.

Every chart has a title that says what it shows and for what, a subtitle with the active filters
in plain words, and a footer with the dataset, incident count, as-of date and permalink. The
same group has the same colour in every chart (Okabe-Ito, colour-blind safe).
"""
from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from . import aggregate
from .filters import Filters, mask

# Okabe & Ito (2008) colour-blind-safe palette; one fixed colour per group everywhere.
GROUP_COLOURS = {
    "IS-K": "#D55E00", "ISPP": "#E69F00", "BLA": "#0072B2", "BLF": "#56B4E9",
    "BRAS": "#009E73", "BRA": "#CC79A7", "TTP": "#F0E442", "Other": "#999999",
    "Unknown": "#666666",
}
KILLED_COLOUR, INJURED_COLOUR, ATTACKS_COLOUR = "#D55E00", "#E69F00", "#0072B2"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
HIGHLIGHT = "#000000"
DIMMED = 0.35
PAKISTAN = (23.5, 37.2, 60.8, 77.9)  # lat and lon bounds of the default map frame
MAP_PAD, MIN_SPAN = 1.5, 6.0  # degrees around the bubbles; smallest frame
MAP_ASPECT = 1.8  # longitude span per latitude span, so the map fills a wide frame


def group_colour(group: str) -> str:
    return GROUP_COLOURS.get(group, "#999999")


# ---------------------------------------------------------------------- words
def _span(ds, f: Filters) -> str:
    """The years the view covers: the date filter, else the span of the matching incidents."""
    dates = ds.incidents["date"][mask(ds, f, ignore=("date",))]
    lo = f.date_from.year if f.date_from else (dates.min().year if len(dates) else None)
    hi = f.date_to.year if f.date_to else (dates.max().year if len(dates) else None)
    if lo is None:
        return ""
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _where(f: Filters, by_district: bool = False) -> str:
    if f.district and not by_district:
        return ", ".join(f.district)
    return ", ".join(f.province) if f.province else "Pakistan"


def title(ds, f: Filters, what: str) -> str:
    """E.g. 'IS-K attacks by district, Balochistan, 2016-2025'.

    A chart by district shows every district of the provinces, so its place is the province.
    """
    parts = [p for p in (_where(f, by_district="by district" in what), _span(ds, f)) if p]
    if f.group:
        return f"{', '.join(f.group)} {what}, {', '.join(parts)}"
    return f"{what[0].upper()}{what[1:]}, all groups, {', '.join(parts)}"


def subtitle(f: Filters) -> str:
    words = [w for _, _, w in f.describe()]
    if f.period != "year":
        words.append("per month")
    return "Filters: " + "; ".join(words) if words else "Filters: none (all incidents)"


def footer(ds, f: Filters, base_url: str = "") -> str:
    collections = ", ".join(ds.values("collection")) or "none"
    count = int(mask(ds, f).sum())
    as_of = ds.incidents["date"].max()
    as_of = as_of.date().isoformat() if len(ds.incidents) else "n/a"
    link = f"{base_url}/{f.to_query()}" if base_url else (f.to_query() or "/")
    return (f"Data: Pakistan Militancy Dashboard, collections {collections}; {count} incidents "
            f"in view; data to {as_of}; sources per incident in the table.<br>View: {link}")


def _frame(fig: go.Figure, ds, f: Filters, what: str, base_url: str, height: int = 460
           ) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        font=dict(family=FONT, size=15, color="#222222"),
        title=dict(text=f"<b>{title(ds, f, what)}</b>", x=0.01, xanchor="left",
                   font=dict(size=20),
                   subtitle=dict(text=subtitle(f), font=dict(size=14, color="#555555"))),
        margin=dict(l=10, r=20, t=100, b=92),
        height=height,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right",
                    title_text=""),
        paper_bgcolor="white", plot_bgcolor="white",
        annotations=[dict(text=footer(ds, f, base_url), showarrow=False, xref="paper",
                          yref="paper", x=0, y=0, yshift=-58, xanchor="left", yanchor="top",
                          font=dict(size=11, color="#555555"), align="left")],
        meta=dict(chart=what),
    )
    return fig


def _empty(fig: go.Figure, message: str = "No incident matches these filters") -> None:
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5,
                       y=0.5, font=dict(size=18, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)


# ---------------------------------------------------------------------- charts
def district_figure(ds, f: Filters, base_url: str = "") -> go.Figure:
    """Attacks by district, stacked by group; selected districts highlighted."""
    table = aggregate.by_district(ds, f)
    order = list(dict.fromkeys(table["district"]))
    fig = go.Figure()
    for group, part in table.groupby("group", sort=True, observed=True):
        if not part["attacks"].any():
            continue
        selected = part["district"].isin(f.district) if f.district else None
        fig.add_trace(go.Bar(
            name=str(group), orientation="h", y=part["district"], x=part["attacks"],
            marker=dict(color=group_colour(str(group)),
                        opacity=None if selected is None else
                        [1 if s else DIMMED for s in selected],
                        line=dict(width=[2 if s else 0 for s in selected]
                                  if selected is not None else 0, color=HIGHLIGHT)),
            customdata=part["district"],
            hovertemplate="%{y}: %{x} attacks (" + str(group) + ")<extra></extra>",
        ))
    height = max(460, 150 + 22 * len(order))
    _frame(fig, ds, f, "attacks by district", base_url, height=height)
    fig.update_layout(barmode="stack", clickmode="event")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title=None,
                     automargin=True)
    fig.update_xaxes(title="Attacks (an attack across several districts counts in each)",
                     rangemode="tozero", tickformat="d")
    if not order:
        _empty(fig)
    return fig


def target_figure(ds, f: Filters, base_url: str = "") -> go.Figure:
    table = aggregate.by_target(ds, f)
    order = list(dict.fromkeys(table["target_type"]))
    fig = go.Figure()
    for group, part in table.groupby("group", sort=True, observed=True):
        if not part["attacks"].any():
            continue
        selected = part["target_type"].isin(f.target_type) if f.target_type else None
        fig.add_trace(go.Bar(
            name=str(group), orientation="h", y=part["target_type"], x=part["attacks"],
            marker=dict(color=group_colour(str(group)),
                        opacity=None if selected is None else
                        [1 if s else DIMMED for s in selected]),
            customdata=part["target_type"],
            hovertemplate="%{y}: %{x} attacks (" + str(group) + ")<extra></extra>",
        ))
    _frame(fig, ds, f, "attacks by target type", base_url)
    fig.update_layout(barmode="stack", clickmode="event")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title=None,
                     automargin=True)
    fig.update_xaxes(title="Attacks", rangemode="tozero", tickformat="d")
    if not order:
        _empty(fig)
    return fig


def timeline_figure(ds, f: Filters, base_url: str = "") -> go.Figure:
    """Killed and injured per year or month; a box selection sets the date range."""
    table = aggregate.over_time(ds, f)
    period = "%Y" if f.period == "year" else "%b %Y"
    fig = go.Figure()
    for column, colour, label in (("killed", KILLED_COLOUR, "Killed"),
                                  ("injured", INJURED_COLOUR, "Injured")):
        unknown = table[f"unknown_{column}"]
        fig.add_trace(go.Bar(
            name=label, x=table["period"], y=table[column], marker_color=colour,
            customdata=list(zip(table["attacks"], unknown)),
            hovertemplate=(f"%{{x|{period}}}: %{{y}} {column} in %{{customdata[0]}} attacks"
                           f" (%{{customdata[1]}} with {column} unknown)<extra></extra>"),
        ))
    what = "casualties per " + f.period
    _frame(fig, ds, f, what, base_url)
    fig.update_layout(barmode="group", dragmode="select", selectdirection="h",
                      clickmode="event+select")
    fig.update_xaxes(title=None, type="date")
    fig.update_yaxes(title="People (known figures)", rangemode="tozero", tickformat="d")
    if f.date_from or f.date_to:
        lo = f.date_from or table["period"].min()
        hi = f.date_to or date.today()
        fig.add_vrect(x0=str(lo), x1=str(hi), fillcolor="#0072B2", opacity=0.10,
                      line_width=0, layer="below")
    if table.empty:
        _empty(fig)
    return fig


def map_figure(ds, f: Filters, base_url: str = "") -> go.Figure:
    """Bubbles at district headquarters, sized by attacks and coloured by group."""
    points, unplaced = aggregate.map_points(ds, f)
    fig = go.Figure()
    biggest = max(int(points["attacks"].max()) if len(points) else 1, 1)
    for group, part in points.groupby("group", sort=True, observed=True):
        selected = part["district"].isin(f.district) if f.district else None
        fig.add_trace(go.Scattergeo(
            name=str(group), lat=part["latitude"], lon=part["longitude"],
            text=part["district"], customdata=part["district"],
            marker=dict(size=(8 + 42 * (part["attacks"] / biggest) ** 0.5).round(1),
                        color=group_colour(str(group)), opacity=0.75,
                        line=dict(color=[HIGHLIGHT if s else "white" for s in selected]
                                  if selected is not None else "white",
                                  width=[3 if s else 1 for s in selected]
                                  if selected is not None else 1)),
            hovertext=[f"{d}: {a} attacks ({group})"
                       for d, a in zip(part["district"], part["attacks"])],
            hoverinfo="text",
        ))
    _frame(fig, ds, f, "attacks by district (map)", base_url, height=560)
    lon_range, lat_range = _extent(points)
    fig.update_geos(
        scope="asia", resolution=50, projection=dict(type="mercator"),
        lonaxis_range=lon_range, lataxis_range=lat_range, showcountries=True, countrycolor="#888888", showcoastlines=True,
        coastlinecolor="#888888", showland=True, landcolor="#F4F4F4", showocean=True,
        oceancolor="#E8F1F8", showlakes=False, showrivers=False, showframe=False,
    )
    fig.update_layout(clickmode="event", margin=dict(l=10, r=10))
    if len(unplaced):
        note = ", ".join(f"{d} ({a})" for d, a in zip(unplaced["district"], unplaced["attacks"]))
        fig.add_annotation(text=f"Not on the map (no headquarters coordinates): {note}",
                           showarrow=False, xref="paper", yref="paper", x=0, y=1,
                           xanchor="left", yanchor="bottom", font=dict(size=12))
    if not len(points) and not len(unplaced):
        fig.add_annotation(text="No incident matches these filters", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=18))
    return fig


def _extent(points) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges framing the bubbles (at least MIN_SPAN degrees wide),
    or Pakistan when there is nothing to show."""
    if not len(points):
        return [PAKISTAN[2], PAKISTAN[3]], [PAKISTAN[0], PAKISTAN[1]]
    mids, halves = [], []
    for column in ("longitude", "latitude"):
        lo, hi = float(points[column].min()), float(points[column].max())
        mids.append((lo + hi) / 2)
        halves.append(max((hi - lo) / 2 + MAP_PAD, MIN_SPAN / 2))
    halves[0] = max(halves[0], halves[1] * MAP_ASPECT)  # fill the wide frame
    return [[round(m - h, 2), round(m + h, 2)] for m, h in zip(mids, halves)]


CHARTS = {
    "district": district_figure,
    "target": target_figure,
    "timeline": timeline_figure,
    "map": map_figure,
}
