"""Figures: pure functions View -> go.Figure, drawn in the briefing look.

Every chart has a title that says what it shows and for what, a subtitle with the active filters
in plain words, and a footer with the dataset, incident count, as-of date and permalink. The
same group has the same colour in every chart (Okabe-Ito, colour-blind safe).
"""
from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import aggregate
from .aggregate import View
from .filters import ViewState
from .reference import PAKISTAN_BOUNDS

# Okabe & Ito (2008) colour-blind-safe palette; one fixed colour per group everywhere.
GROUP_COLOURS = {
    "IS-K": "#D55E00", "ISPP": "#E69F00", "BLA": "#0072B2", "BLF": "#56B4E9",
    "BRAS": "#009E73", "BRA": "#CC79A7", "TTP": "#F0E442", "Other": "#999999",
    "Unknown": "#666666",
}
KILLED_COLOUR, INJURED_COLOUR = "#D55E00", "#E69F00"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
HIGHLIGHT = "#000000"
DIMMED = 0.35
FOOTER_GAP = 84  # pixels from the plot's bottom edge to the footer: room for ticks and title
MAP_PAD, MIN_SPAN = 1.5, 6.0  # degrees around the bubbles; smallest frame
MAP_ASPECT = 2.4  # longitude span per latitude span, so the map fills a wide frame


# Groups outside the vocabulary (named in imported exports): a neutral grey each, fixed by name.
OTHER_GREYS = ("#7F7F7F", "#A3A3A3", "#5C5C5C", "#BDBDBD", "#8E8E8E", "#4A4A4A", "#B0B0B0",
               "#6E6E6E")


def group_colour(group: str) -> str:
    """The group's own colour; any other named group a grey of the neutral scale (the same
    grey for the same name in every chart and every run)."""
    if group in GROUP_COLOURS:
        return GROUP_COLOURS[group]
    return OTHER_GREYS[zlib.crc32(group.encode("utf-8")) % len(OTHER_GREYS)]


# ---------------------------------------------------------------------- words
def _span(v: View) -> str:
    """The years the view covers: the date filter, else the span of the matching incidents."""
    f = v.filters
    years = v.ds.arrays["year"][v.mask(("date",))] + 1970
    lo = f.date_from.year if f.date_from else (int(years.min()) if len(years) else None)
    hi = f.date_to.year if f.date_to else (int(years.max()) if len(years) else None)
    if lo is None:
        return ""
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _span_words(v: View) -> str:
    """The view's span, computed once per view however many charts print it."""
    return v.memo("span", lambda: _span(v))


def _where(f, by_district: bool = False) -> str:
    if f.district and not by_district:
        return ", ".join(f.district)
    return ", ".join(f.province) if f.province else "Pakistan"


def title(v: View, what: str) -> str:
    """E.g. 'IS-K attacks by district, Balochistan, 2016-2025'.

    A chart by district shows every district of the provinces, so its place is the province.
    """
    f = v.filters
    parts = [p for p in (_where(f, by_district="by district" in what), _span_words(v)) if p]
    if f.group:
        return f"{', '.join(f.group)} {what}, {', '.join(parts)}"
    return f"{what[0].upper()}{what[1:]}, all groups, {', '.join(parts)}"


def subtitle(state: ViewState) -> str:
    words = [w for _, _, w in state.filters.describe()]
    if state.display.period != "year":
        words.append("per month")
    return "Filters: " + "; ".join(words) if words else "Filters: none (all incidents)"


def footer(v: View, base_url: str = "") -> str:
    ds = v.ds
    collections = ", ".join(ds.values("collection")) or "none"
    count = int(v.mask().sum())
    as_of = ds.as_of.isoformat() if ds.as_of else "n/a"
    link = v.state.link(base_url)
    return (f"Data: Pakistan Militancy Dashboard, collections {collections}; {count} incidents "
            f"in view; data to {as_of}; sources per incident in the table.<br>View: {link}")


# The briefing look: white, large type, no chart junk. Sent with each figure as a plain
# template dict (the browser does not know plotly.py's named templates).
BRIEFING = dict(layout=dict(
    font=dict(family=FONT, size=15, color="#222222"),
    paper_bgcolor="white", plot_bgcolor="white",
    xaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB", linecolor="#BBBBBB",
               automargin=True),
    yaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB", linecolor="#BBBBBB",
               automargin=True),
    hoverlabel=dict(font=dict(family=FONT, size=14)),
    colorway=list(GROUP_COLOURS.values()),
))


def _figure(traces: list[dict], layout: dict, v: View, what: str, base_url: str,
            message: str | None = None, heading: str | None = None,
            note: str | None = None) -> go.Figure:
    """Assemble one figure: the chart's traces and layout inside the briefing frame."""
    annotations = [dict(text=footer(v, base_url), showarrow=False, xref="paper",
                        yref="paper", x=0, y=0, yshift=-FOOTER_GAP, xanchor="left", yanchor="top",
                        font=dict(size=11, color="#555555"), align="left")]
    annotations += layout.pop("annotations", [])
    if message:
        annotations.append(dict(text=message, showarrow=False, xref="paper", yref="paper",
                                x=0.5, y=0.5, font=dict(size=18, color="#555555")))
        layout.setdefault("xaxis", {})["visible"] = False
        layout.setdefault("yaxis", {})["visible"] = False
    frame = dict(
        template=BRIEFING,
        title=dict(text=f"<b>{heading or title(v, what)}</b>", x=0.01, xanchor="left",
                   font=dict(size=20),
                   subtitle=dict(text=subtitle(v.state) + (f"<br>{note}" if note else ""),
                                 font=dict(size=14, color="#555555"))),
        margin=dict(l=10, r=20, t=100, b=FOOTER_GAP + 40),
        height=460,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
        annotations=annotations,
        meta=dict(chart=what),
    )
    if note:  # a second subtitle line
        frame["margin"] = dict(frame["margin"], t=frame["margin"]["t"] + 20)
    frame.update(layout)
    frame["legend"] = _fit_legend(frame["legend"], traces)
    # Built from plain dicts and not re-validated here (validation costs more than the
    # aggregation at a million rows); tests re-validate every chart with go.Figure(fig).
    return go.Figure(data=traces, layout=frame, _validate=False)


NO_MATCH = "No incident matches these filters"
LEGEND_ROW = 5  # more legend entries than this go in a column right of the plot


def _fit_legend(legend: dict, traces: list[dict]) -> dict:
    """A legend of many groups (imported data names any number) as a column right of the
    plot, where it cannot run into the title or a note; a short one stays above the plot."""
    shown = [t for t in traces if t.get("showlegend", True) and t.get("name")]
    if len(shown) <= LEGEND_ROW:
        return legend
    title = dict(legend.get("title") or {}, side="top", font=dict(size=12))
    return dict(legend, orientation="v", x=1.01, xanchor="left", y=1, yanchor="top",
                title=title if title.get("text") else None)


def _category_axis(order: list[str], height: int) -> dict:
    """A category axis, first category on top, every label shown in a font that fits."""
    rows = max(len(order), 1)
    plot = height - 100 - FOOTER_GAP - 40
    size = max(8, min(15, int(plot / rows * 0.8)))
    return dict(categoryorder="array", categoryarray=order[::-1], title=None, automargin=True,
                dtick=1, tickfont=dict(size=size))


def fit_to_height(fig: go.Figure, height: int) -> go.Figure:
    """Give a figure a fixed height (a slide), refitting a category axis to it."""
    fig.update_layout(height=height)
    axis = fig.layout.yaxis
    if axis.categoryarray is not None:
        fig.update_layout(yaxis=_category_axis(list(axis.categoryarray)[::-1], height))
    return fig


def _int_axis(title_text: str, top: int) -> dict:
    """A count axis with whole-number ticks only."""
    step = max(1, -(-top // 6))
    return dict(title=dict(text=title_text), rangemode="tozero", tick0=0, dtick=step)


def _bars(table, selected: tuple[str, ...], outline: bool) -> list[dict]:
    """Horizontal bars, one trace per group (column of `table`), categories as rows.

    A first, invisible trace carries every category, so zero-attack rows stay on the axis;
    unselected categories are dimmed when some are selected.
    """
    names = table.index.to_numpy(dtype=object)
    traces = [dict(type="bar", orientation="h", y=names.tolist(),
                   x=[0] * len(names), showlegend=False, hoverinfo="skip",
                   marker=dict(opacity=0))]
    chosen_all = np.isin(names, list(selected)) if selected else None
    for group in table.columns:
        counts = table[group].to_numpy()
        nz = counts > 0
        if not nz.any():
            continue
        marker = dict(color=group_colour(str(group)))
        if chosen_all is not None:
            chosen = chosen_all[nz]
            marker["opacity"] = np.where(chosen, 1.0, DIMMED).tolist()
            if outline:
                marker["line"] = dict(width=np.where(chosen, 2, 0).tolist(), color=HIGHLIGHT)
        traces.append(dict(
            type="bar", name=str(group), orientation="h", y=names[nz].tolist(),
            x=counts[nz].tolist(), marker=marker,
            hovertemplate="%{y}: %{x} attacks (" + str(group) + ")<extra></extra>"))
    return traces


# ---------------------------------------------------------------------- charts
def district_figure(v: View, base_url: str = "") -> go.Figure:
    """Attacks by district, stacked by group; selected districts highlighted."""
    table = aggregate.by_district(v)
    return _stacked_bars(v, table, v.filters.district, "attacks by district", base_url,
                         "Attacks (an attack across several districts counts in each)",
                         height=max(460, 230 + 22 * len(table)), outline=True)


def target_figure(v: View, base_url: str = "") -> go.Figure:
    """Attacks by target type, stacked by group; selected types highlighted."""
    return _stacked_bars(v, aggregate.by_target(v), v.filters.target_type,
                         "attacks by target type", base_url, "Attacks")


def _stacked_bars(v: View, table, selected: tuple[str, ...], what: str, base_url: str,
                  axis_title: str, height: int = 460, outline: bool = False) -> go.Figure:
    """Horizontal bars of a category x group count table, most attacks on top."""
    top = int(table.to_numpy().sum(axis=1).max()) if len(table) else 1
    layout = dict(barmode="stack", clickmode="event", height=height,
                  yaxis=_category_axis(table.index.tolist(), height),
                  xaxis=_int_axis(axis_title, top))
    return _figure(_bars(table, selected, outline), layout, v, what, base_url,
                   None if table.to_numpy().any() else NO_MATCH)


def timeline_figure(v: View, base_url: str = "") -> go.Figure:
    """Killed and injured per year or month; a box selection sets the date range."""
    f, period = v.filters, v.display.period
    table = aggregate.over_time(v)
    fmt = "%Y" if period == "year" else "%b %Y"
    periods = [d.strftime("%Y-%m-%d") for d in table["period"]]
    traces = []
    for column, colour, label in (("killed", KILLED_COLOUR, "Killed"),
                                  ("injured", INJURED_COLOUR, "Injured")):
        traces.append(dict(
            type="bar", name=label, x=periods, y=table[column].tolist(), marker_color=colour,
            xperiod="M12" if period == "year" else "M1", xperiodalignment="middle",
            width=_bar_width(period), offset=-_bar_width(period) if column == "killed" else 0,
            customdata=table[["attacks", f"unknown_{column}"]].to_numpy().tolist(),
            hovertemplate=(f"%{{x|{fmt}}}: %{{y}} {column} in %{{customdata[0]}} attacks"
                           f" (%{{customdata[1]}} with {column} unknown)<extra></extra>")))
    layout = dict(barmode="group", dragmode="select", selectdirection="h",
                  clickmode="event+select", xaxis=_period_axis(table["period"], period),
                  yaxis=dict(title=dict(text="People (known figures)"), rangemode="tozero"))
    if (f.date_from or f.date_to) and len(table):
        lo = f.date_from or table["period"].min().date()
        hi = f.date_to or table["period"].max().date()
        layout["shapes"] = [dict(type="rect", xref="x", yref="paper", x0=str(lo), x1=str(hi),
                                 y0=0, y1=1, fillcolor="#0072B2", opacity=0.07, line_width=0,
                                 layer="below")]
    return _figure(traces, layout, v, "casualties per " + period, base_url,
                   NO_MATCH if table.empty else None)


def _period_axis(periods, period: str) -> dict:
    """A date axis labelled by year (or month), one tick per period, fewer when there are
    many, so one year or one month of data never reads as hours ('12:00:00 Jul 2, 2015')."""
    axis = dict(title=None, type="date", tickformat="%Y" if period == "year" else "%b %Y")
    if not len(periods):
        return axis
    first, last = periods.min(), periods.max()
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 12 if period == "year" else 1
    count = months // step + 1
    axis["dtick"] = f"M{step * max(1, -(-count // 12))}"  # at most about 12 ticks
    axis["tick0"] = first.strftime("%Y-%m-%d")
    axis["ticklabelmode"] = "period"
    end = (last + pd.DateOffset(months=step)).strftime("%Y-%m-%d")
    axis["range"] = [first.strftime("%Y-%m-%d"), end]
    return axis


def _bar_width(period: str) -> float:
    """Each of the two bars takes 40% of its period (milliseconds on a date axis), so a lone
    period still shows bars of a readable width."""
    days = 365.25 if period == "year" else 30.44
    return 0.4 * days * 86_400_000


def _unplaced_note(unplaced) -> dict:
    """The districts without coordinates, under the map (the legend is above it)."""
    note = ", ".join(f"{d} ({a})" for d, a in zip(unplaced["district"], unplaced["attacks"]))
    return dict(text=f"Not on the map (no headquarters coordinates): {note}", showarrow=False,
                xref="paper", yref="paper", x=0, y=0, yshift=-6, xanchor="left",
                yanchor="top", font=dict(size=12), align="left")


def map_figure(v: View, base_url: str = "") -> go.Figure:
    """Bubbles at district headquarters, sized by attacks and coloured by the district's main
    group; the hover lists every group's attacks there."""
    f = v.filters
    points, unplaced = aggregate.map_points(v)
    biggest = max(int(points["attacks"].max()) if len(points) else 1, 1)
    traces = []
    for group, part in points.groupby("main_group", sort=True):
        line = dict(color="white", width=1)
        if f.district:
            chosen = part["district"].isin(f.district).to_numpy()
            line = dict(color=np.where(chosen, HIGHLIGHT, "white").tolist(),
                        width=np.where(chosen, 3, 1).tolist())
        traces.append(dict(
            type="scattergeo", name=str(group), showlegend=True,
            lat=part["latitude"].astype(float).tolist(),
            lon=part["longitude"].astype(float).tolist(), customdata=part["district"].tolist(),
            text=part["breakdown"].tolist(),
            marker=dict(size=(8 + 42 * (part["attacks"].to_numpy() / biggest) ** 0.5)
                        .round(1).tolist(),
                        color=group_colour(str(group)), opacity=0.8, line=line),
            hovertemplate="%{customdata}: %{text}<extra></extra>"))
    lon_range, lat_range = _extent(points)
    layout = dict(
        clickmode="event", height=640, margin=dict(l=10, r=10, t=100, b=FOOTER_GAP + 40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right",
                    title=dict(text="Colour: group with most attacks in the district")),
        geo=dict(scope="asia", resolution=50, projection=dict(type="mercator"),
                 lonaxis=dict(range=lon_range), lataxis=dict(range=lat_range),
                 showcountries=True, countrycolor="#888888", showcoastlines=True,
                 coastlinecolor="#888888", showland=True, landcolor="#F4F4F4",
                 showocean=True, oceancolor="#E8F1F8", showlakes=False, showrivers=False,
                 showframe=False),
    )
    if len(unplaced):
        layout["annotations"] = [_unplaced_note(unplaced)]
    empty = not len(points) and not len(unplaced)
    fig = _figure(traces, layout, v, "attacks by district (map)", base_url)
    if empty:
        fig.add_annotation(text=NO_MATCH, showarrow=False, xref="paper", yref="paper", x=0.5,
                           y=0.5, font=dict(size=18, color="#555555"))
    return fig


def _extent(points) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges framing the bubbles (at least MIN_SPAN degrees wide),
    or Pakistan when there is nothing to show."""
    if not len(points):
        min_lat, max_lat, min_lon, max_lon = PAKISTAN_BOUNDS
        return [min_lon, max_lon], [min_lat, max_lat]
    mids, halves = [], []
    for column in ("longitude", "latitude"):
        lo, hi = float(points[column].min()), float(points[column].max())
        mids.append((lo + hi) / 2)
        halves.append(max((hi - lo) / 2 + MAP_PAD, MIN_SPAN / 2))
    halves[0] = max(halves[0], halves[1] * MAP_ASPECT)  # fill the wide frame
    return tuple([round(m - h, 2), round(m + h, 2)] for m, h in zip(mids, halves))


# ---------------------------------------------------------------------- analyst views
SIDE_LEGEND = dict(orientation="v", x=1.01, y=1, xanchor="left", yanchor="top")
FAMILY_COLOURS = {"Islamic State": GROUP_COLOURS["IS-K"],
                  "Baloch separatist": GROUP_COLOURS["BLA"]}
# Okabe-Ito plus greys: target types beyond eight share the greys, named in the legend.
TARGET_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                  "#F0E442", "#000000", "#999999", "#666666", "#BBBBBB", "#444444",
                  "#DDDDDD", "#888888", "#222222"]


def _rule_note(v: View) -> str:
    if v.display.common_rule:
        return (f"Both sides: only attacks with at least "
                f"{max(v.filters.min_killed or 0, aggregate.COMMON_RULE_KILLED)} killed (the Baloch "
                "collection holds only major attacks); the group filter does not apply")
    return ("No common rule: the Islamic State collections hold every attack, the Baloch "
            "collection only major ones; the group filter does not apply")


def compare_districts_figure(v: View, base_url: str = "") -> go.Figure:
    """Districts where each side attacked, side by side; 'both' marks the overlap."""
    table = aggregate.compare_districts(v)
    labels = [f"{d} (both)" if both else d for d, both in zip(table.index, table["both"])]
    traces = []
    for family in aggregate.FAMILIES:
        counts = table[family].to_numpy()
        traces.append(dict(type="bar", orientation="h", name=family, y=labels,
                           x=counts.tolist(), customdata=table.index.tolist(),
                           marker=dict(color=FAMILY_COLOURS[family]),
                           hovertemplate="%{customdata}: %{x} attacks (" + family +
                                         ")<extra></extra>"))
    height = max(460, 230 + 26 * len(labels))
    where = ", ".join(v.filters.province) if v.filters.province else "Pakistan"
    overlap = int(table["both"].sum())
    layout = dict(legend=SIDE_LEGEND, barmode="group", clickmode="event", height=height,
                  yaxis=_category_axis(labels, height),
                  xaxis=_int_axis("Attacks", int(table[list(aggregate.FAMILIES)]
                                                 .to_numpy().max()) if len(table) else 1))
    heading = (f"Islamic State and Baloch separatist attacks by district, {where}, "
               f"{_span_words(aggregate.comparison_view(v))}: {overlap} districts hit by both")
    return _figure(traces, layout, v, "group comparison by district", base_url,
                   None if len(table) else NO_MATCH, heading=heading, note=_rule_note(v))


def compare_years_figure(v: View, base_url: str = "") -> go.Figure:
    """Attacks (top) and known killed (bottom) per year for each side."""
    table = aggregate.compare_years(v)
    traces = []
    for family in aggregate.FAMILIES:
        part = table[table["family"] == family]
        colour = FAMILY_COLOURS[family]
        traces.append(dict(type="bar", name=family, x=part["year"].tolist(),
                           y=part["attacks"].tolist(), marker=dict(color=colour),
                           legendgroup=family, customdata=part["year"].tolist(),
                           hovertemplate="%{x}: %{y} attacks (" + family + ")<extra></extra>"))
        traces.append(dict(type="bar", name=family, x=part["year"].tolist(),
                           y=part["killed"].tolist(), marker=dict(color=colour),
                           legendgroup=family, showlegend=False, xaxis="x", yaxis="y2",
                           customdata=part["year"].tolist(),
                           hovertemplate="%{x}: %{y} killed (" + family + ")<extra></extra>"))
    layout = dict(legend=SIDE_LEGEND, barmode="group", clickmode="event", height=560,
                  xaxis=dict(anchor="y2", dtick=1, title=None),
                  yaxis=dict(domain=[0.55, 1], title=dict(text="Attacks"), rangemode="tozero"),
                  yaxis2=dict(domain=[0, 0.45], title=dict(text="Killed (known)"),
                              rangemode="tozero"))
    where = ", ".join(v.filters.district or v.filters.province) or "Pakistan"
    heading = f"Islamic State and Baloch separatist attacks and killed per year, {where}"
    return _figure(traces, layout, v, "group comparison per year", base_url,
                   None if len(table) else NO_MATCH, heading=heading, note=_rule_note(v))


def published_figure(v: View, base_url: str = "") -> go.Figure:
    """Each published figure beside the dataset's own count for the same scope."""
    table = aggregate.published_comparison(v.ds, v.filters)
    labels = [f"{s}: {m}" for s, m in zip(table["scope"], table["measure"])]
    traces = [
        dict(type="bar", orientation="h", name="Published (Dawn, 1 June 2025)", y=labels,
             x=table["published"].tolist(), marker=dict(color="#999999"),
             customdata=table["query"].tolist(),
             hovertemplate="%{y}: %{x} published<extra></extra>"),
        dict(type="bar", orientation="h", name="This dataset", y=labels,
             x=table["dataset"].tolist(), marker=dict(color="#0072B2"),
             customdata=table["query"].tolist(),
             text=[f"{c:.0%}" if c is not None else "" for c in table["coverage"]],
             textposition="outside",
             hovertemplate="%{y}: %{x} in the dataset (%{text} of published)<extra></extra>"),
    ]
    height = 230 + 52 * len(labels)
    layout = dict(legend=SIDE_LEGEND, barmode="group", clickmode="event", height=height,
                  yaxis=_category_axis(labels, height),
                  xaxis=dict(title=dict(text="Count"), rangemode="tozero"))
    heading = "Published IS-K figures beside this dataset's sourced incidents"
    note = (f"Dataset side: attribution {table['definition'].iat[0] if len(table) else ''}; "
            "only the attribution filter applies; percentages are coverage")
    return _figure(traces, layout, v, "published figures", base_url, heading=heading,
                   note=note)


def target_share_figure(v: View, base_url: str = "") -> go.Figure:
    """Share of attacks by target type, per year."""
    shares = aggregate.target_shares(v)
    traces = []
    if len(shares):
        counts = shares.attrs["counts"]
        totals = counts.sum(axis=0)
        order = sorted(totals.index, key=lambda t: (-totals[t], str(t)))  # ties by name
        for i, target in enumerate(order):
            traces.append(dict(
                type="bar", name=str(target), x=shares.index.tolist(),
                y=(shares[target] * 100).round(1).tolist(),
                customdata=[target] * len(shares), text=counts[target].tolist(),
                textposition="none",
                marker=dict(color=TARGET_PALETTE[i % len(TARGET_PALETTE)],
                            opacity=1 if not v.filters.target_type
                            or target in v.filters.target_type
                            else DIMMED),
                hovertemplate="%{x}: %{y}% of attacks on " + str(target) +
                              " (%{text})<extra></extra>"))
    layout = dict(legend=SIDE_LEGEND, barmode="stack", clickmode="event", height=520,
                  xaxis=dict(dtick=1, title=None),
                  yaxis=dict(title=dict(text="Share of the year's attacks (%)"),
                             range=[0, 100]))
    return _figure(traces, layout, v, "target types per year (share)", base_url,
                   None if len(shares) else NO_MATCH)


def human_targets_figure(v: View, base_url: str = "") -> go.Figure:
    """Ranking of human targets: attacks on each kind of person, with known killed."""
    table = aggregate.human_targets(v)
    names = table.index.tolist()
    chosen = v.filters.target_type
    selected = np.isin(names, list(chosen)) if chosen else None
    traces = [dict(type="bar", orientation="h", name="Attacks", y=names,
                   x=table["attacks"].tolist(), text=table["killed"].tolist(),
                   textposition="none",
                   marker=dict(color="#0072B2",
                               opacity=None if selected is None else
                               np.where(selected, 1.0, DIMMED).tolist()),
                   hovertemplate="%{y}: %{x} attacks, %{text} killed<extra></extra>")]
    layout = dict(clickmode="event", height=max(420, 230 + 34 * len(names)),
                  yaxis=_category_axis(names, max(420, 230 + 34 * len(names))),
                  xaxis=_int_axis("Attacks", int(table["attacks"].max()) if len(table) else 1),
                  showlegend=False)
    return _figure(traces, layout, v, "human targets ranked", base_url,
                   None if len(table) else NO_MATCH)

