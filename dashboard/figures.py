"""Figures: pure functions View -> go.Figure, drawn in the briefing look.

Every chart has a title that says what it shows and for what, a subtitle with the active filters
in plain words, and a footer with the dataset, incident count, as-of date and permalink. The
same group has the same colour in every chart (Okabe-Ito, colour-blind safe).
"""
from __future__ import annotations

import textwrap
import zlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import aggregate, geo, textwidth
from .aggregate import View
from .filters import ViewState

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
VEIL = f"rgba(255,255,255,{1 - DIMMED:g})"  # over a bar on white: its colour at DIMMED
BAR_HALF = 0.4  # half a bar's height on a category axis (plotly's bargap 0.2)
FOOTER_GAP = 84  # pixels from the plot's bottom edge to the footer: room for ticks and title


# Groups outside the vocabulary (named in imported exports): a neutral grey each, fixed by name.
OTHER_GREYS = ("#7F7F7F", "#A3A3A3", "#5C5C5C", "#BDBDBD", "#8E8E8E", "#4A4A4A", "#B0B0B0",
               "#6E6E6E")


NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11: a series stands out from the white at 3:1 or more
EDGE_WIDTH = 1.2


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of an sRGB '#RRGGBB' colour against white."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def edge_colour(colour: str) -> str | None:
    """The outline a fill needs to stand out from white: the same hue darkened to 4.5:1, or
    None when the fill has 3:1 already (the palette's hues stay as Okabe and Ito chose)."""
    if not (isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")):
        return None
    if contrast_on_white(colour) >= NON_TEXT_CONTRAST:
        return None
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 101):
        dark = "#" + "".join(f"{int(c * (1 - step / 100)):02X}" for c in rgb)
        if contrast_on_white(dark) >= 4.5:
            return dark
    return "#000000"


def _outline_light_fills(traces: list[dict]) -> None:
    """Bars whose fill is under 3:1 on white get an outline of their darkened hue (a bar
    highlighted by its own line, as the change view's are, keeps the black), on screen and
    in every export."""
    for t in traces:
        marker = t.get("marker") if t.get("type") == "bar" else None
        edge = edge_colour(marker.get("color")) if marker else None
        if edge is None:
            continue
        line = marker.get("line") or {}
        widths = line.get("width")
        if isinstance(widths, list):  # a selection: black where chosen, the edge elsewhere
            marker["line"] = dict(color=[line.get("color", HIGHLIGHT) if w else edge
                                         for w in widths],
                                  width=[w or EDGE_WIDTH for w in widths])
        elif not widths:
            marker["line"] = dict(color=edge, width=EDGE_WIDTH)


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


def collections(v: View) -> str:
    """The collections of the incidents in view, by name ('none' for an empty view)."""
    def names():
        codes = v.ds.arrays["collection"][v.mask()]
        categories = v.ds.incidents["collection"].cat.categories
        used = np.bincount(codes[codes >= 0], minlength=len(categories)) > 0
        return ", ".join(sorted(str(c) for c in categories[used])) or "none"
    return v.memo("collections", names)


def foot(v: View) -> str:
    """The screen frame's one-line source and data date."""
    as_of = v.ds.as_of.isoformat() if v.ds.as_of else "n/a"
    n = int(v.mask().sum())
    if not n:
        return f"Source: no incident in view; data to {as_of}"
    return (f"Source: {n} sourced incident{'s' if n > 1 else ''} of {collections(v)}; "
            f"data to {as_of}")


def footer(v: View, base_url: str = "") -> str:
    ds = v.ds
    collections_ = collections(v)
    count = int(v.mask().sum())
    as_of = ds.as_of.isoformat() if ds.as_of else "n/a"
    link = v.state.link(base_url)
    return (f"Data: Pakistan Militancy Dashboard, collections {collections_}; {count} incidents "
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


SCREEN_FONT = 12
SCREEN_ROWS = 12  # a category chart with more rows keeps its height and scrolls in its card
FRAMES = ("briefing", "screen")


def _figure(traces: list[dict], layout: dict, v: View, what: str, base_url: str,
            message: str | None = None, heading: str | None = None,
            note: str | None = None, frame: str = "briefing",
            rows: int | None = None) -> go.Figure:
    """Assemble one figure: the chart's traces and layout inside a frame.

    "briefing" (exports, slides, the camera button): title, subtitle with the filters, and a
    footer with collections, count, data date and the view's link. "screen" (the page's
    cards): a compact title and filter line, a one-line source and data date at the foot,
    and the briefing frame in ``layout.meta.briefing`` for the browser's exports.
    `rows`: a category chart's rows; on screen one with more than SCREEN_ROWS keeps a height
    that gives each row room and scrolls in its card, others fill the card.
    """
    own = layout.pop("annotations", [])
    _outline_light_fills(traces)
    bare = layout.pop("screen_bare", False)  # no x axis: a shorter foot margin on screen
    if message:
        own.append(dict(text=message, showarrow=False, xref="paper", yref="paper",
                        x=0.5, y=0.5, font=dict(size=18, color="#555555")))
        layout.setdefault("xaxis", {})["visible"] = False
        layout.setdefault("yaxis", {})["visible"] = False
    title_text = f"<b>{heading or title(v, what)}</b>"
    sub_text = subtitle(v.state) + (f"<br>{note}" if note else "")
    full = dict(
        title=dict(text=title_text, x=0.01, xanchor="left", font=dict(size=20),
                   subtitle=dict(text=sub_text, font=dict(size=14, color="#555555"))),
        margin=dict(l=10, r=20, t=100 + (20 if note else 0), b=FOOTER_GAP + 40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
        annotations=[dict(text=footer(v, base_url), showarrow=False, xref="paper",
                          yref="paper", x=0, y=0, yshift=-FOOTER_GAP, xanchor="left",
                          yanchor="top", font=dict(size=11, color="#555555"),
                          align="left")] + own,
        font=BRIEFING["layout"]["font"],
    )
    if frame == "briefing":
        fig = dict(template=BRIEFING, height=460, meta=dict(chart=what), **full)
        fig.update(layout)
        fig["legend"] = _fit_legend(fig["legend"], traces)
        # Built from plain dicts and not re-validated here (validation costs more than the
        # aggregation at a million rows); tests re-validate every chart with go.Figure(fig).
        return go.Figure(data=traces, layout=fig, _validate=False)
    if frame != "screen":
        raise ValueError(f"unknown frame {frame!r}")
    return _screen_figure(traces, layout, v, what, full, own, bare, rows,
                          title_text, sub_text, bool(note))


def _screen_figure(traces, layout: dict, v: View, what: str, full: dict, own: list,
                   bare: bool, rows: int | None, title_text: str, sub_text: str,
                   note: bool) -> go.Figure:
    """The screen frame: a compact title and filter line, one source line at the foot, and
    the briefing frame (`full`) in layout.meta.briefing for the browser's exports."""
    briefing = dict(full, margin=layout.get("margin", full["margin"]),
                    legend=layout.get("legend", full["legend"]))
    legend = layout.pop("legend", {})
    bottom = 34 if bare else 70
    screen = dict(
        template=BRIEFING,
        font=dict(BRIEFING["layout"]["font"], size=SCREEN_FONT),
        title=dict(text=title_text, x=0.01, xanchor="left", y=0.995, yanchor="top",
                   yref="container", font=dict(size=14),
                   subtitle=dict(text=sub_text, font=dict(size=11, color="#555555"))),
        margin=dict(l=8, r=12, t=70 + (14 if note else 0), b=bottom),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left",
                    font=dict(size=11), title=legend.get("title")),
        annotations=[dict(text=foot(v), showarrow=False, xref="paper", yref="paper",
                          x=1, y=0, yshift=-(bottom - 16), xanchor="right", yanchor="top",
                          font=dict(size=10, color="#555555"))] + own,
        meta=dict(chart=what, briefing=briefing),
    )
    height = layout.pop("height", None)
    layout.pop("margin", None)
    for axis in ("yaxis", "yaxis2"):
        if axis in layout and "tickfont" in layout[axis]:
            layout[axis] = dict(layout[axis], tickfont=dict(size=11))
    screen.update(layout)
    _measured_left_margin(screen, briefing)
    if rows is not None and rows > SCREEN_ROWS and height:
        screen["height"] = screen["margin"]["t"] + bottom + 40 + 20 * rows
    else:
        screen["autosize"] = True
    return go.Figure(data=traces, layout=screen, _validate=False)


LABEL_PAD = 12  # px between a y-axis label's left end and the figure's edge, and tick gap


def _y_labels(axis: dict) -> list[str] | None:
    """The longest labels a left y axis can draw, or None where they are not known here."""
    if axis.get("categoryarray") is not None:
        return list(axis.get("ticktext") or axis["categoryarray"])
    bounds = axis.get("range")
    if bounds is None or axis.get("tickformat") or axis.get("ticksuffix") or \
            axis.get("tickprefix") or axis.get("type") not in (None, "linear"):
        return None
    low, high = bounds
    if high - low < 0.1:  # ticks of three decimals or more: left to the browser
        return None
    labels = [f"{int(high):d}", f"\u2212{int(abs(low)):d}" if low < 0 else "0"]
    if high - low < 10:  # ticks in steps under one: up to two decimals
        labels = [label + ".25" for label in labels]
    return labels


def _measured_left_margin(screen: dict, briefing: dict) -> None:
    """Set the screen frame's left margin to hold its left y axes' labels and titles,
    measured here (textwidth), with those axes' automargin off; the browser's exports,
    which take the briefing frame over the screen one, get automargin back. Axes whose
    labels are not known here (no range, a tick format, an axis not at the left edge) keep
    automargin."""
    need = screen["margin"]["l"]
    for key in [k for k in screen if k.startswith("yaxis")]:
        axis = screen[key]
        anchor = "xaxis" + (axis.get("anchor") or "x")[1:]
        if axis.get("side") == "right" or axis.get("overlaying") or \
                axis.get("visible") is False or axis.get("anchor") == "free" or \
                (screen.get(anchor) or {}).get("domain", [0])[0] > 0:
            continue
        labels = _y_labels(axis)
        size = (axis.get("tickfont") or {}).get("size") or screen["font"]["size"]
        label_px = None if labels is None else textwidth.width(labels, size)
        if label_px is None:
            continue
        title = axis.get("title") or {}
        if title.get("text") if isinstance(title, dict) else title:
            # plotly draws an axis title left of the labels, in 1.2 times the font
            label_px += round(1.2 * screen["font"]["size"]) * 1.4 + 4
        need = max(need, int(label_px) + LABEL_PAD + 1)
        screen[key] = dict(axis, automargin=False)
        briefing[key] = dict(axis, automargin=True)
    screen["margin"] = dict(screen["margin"], l=need)


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


def _bars(table) -> list[dict]:
    """Horizontal bars, one trace per group (column of `table`), categories as rows.

    A first, invisible trace carries every category, so zero-attack rows stay on the axis.
    """
    names = table.index.to_numpy(dtype=object)
    traces = [dict(type="bar", orientation="h", y=names.tolist(),
                   x=[0] * len(names), showlegend=False, hoverinfo="skip",
                   marker=dict(opacity=0))]
    for group in table.columns:
        counts = table[group].to_numpy()
        nz = counts > 0
        if not nz.any():
            continue
        traces.append(dict(
            type="bar", name=str(group), orientation="h", y=names[nz].tolist(),
            x=counts[nz].tolist(), marker=dict(color=group_colour(str(group))),
            hovertemplate="%{y}: %{x} attacks (" + str(group) + ")<extra></extra>"))
    return traces


def selection_shapes(table, selected: tuple[str, ...], outline: bool) -> list[dict]:
    """A selection drawn over a category chart's bars (rows in the table's order, first on
    top): a veil over each run of rows not selected, so their bars show dimmed, and with
    `outline` a frame around each selected row's bar. Shapes and not a style per bar:
    plotly redraws changed shapes alone, while a changed per-bar array makes it compute and
    draw the whole chart again (about 40 ms of a click on the districts at 200,000 rows)."""
    if not selected:
        return []
    names = list(table.index)[::-1]  # bottom to top: the axis's positions 0, 1, ...
    chosen = [n in selected for n in names]
    totals = table.to_numpy().sum(axis=1)[::-1]
    shapes, start = [], None
    for i, c in enumerate(chosen + [True]):  # a run of rows not chosen ends at a chosen one
        if not c and start is None:
            start = i
        elif c and start is not None:
            shapes.append(dict(type="rect", layer="above", xref="paper", x0=0, x1=1,
                               yref="y", y0=start - 0.5, y1=i - 0.5, fillcolor=VEIL,
                               line=dict(width=0)))
            start = None
    if outline:
        shapes += [dict(type="rect", layer="above", xref="x", x0=0, x1=int(total),
                        yref="y", y0=i - BAR_HALF, y1=i + BAR_HALF,
                        line=dict(color=HIGHLIGHT, width=2), fillcolor="rgba(0,0,0,0)")
                   for i, (c, total) in enumerate(zip(chosen, totals)) if c and total]
    return shapes


# ---------------------------------------------------------------------- charts
def district_figure(v: View, base_url: str = "", frame: str = "briefing",
                    only_attacked: bool = False) -> go.Figure:
    """Attacks by district, stacked by group; selected districts highlighted.

    `only_attacked` (the briefing pack's slides): only the districts with attacks, the others
    named in one line ("27 other districts of Balochistan: no attack in view")."""
    table = aggregate.by_district(v)
    note = None
    if only_attacked:
        hit = table.to_numpy().sum(axis=1) > 0
        rest = int((~hit).sum())
        table = table[hit]
        if rest and table.size:
            note = (f"{rest} other district{'s' if rest > 1 else ''} of "
                    f"{_where(v.filters, by_district=True)}: no attack in view")
    return _stacked_bars(v, table, v.filters.district, "attacks by district", base_url,
                         "Attacks (an attack across several districts counts in each)",
                         height=max(460, 230 + 22 * len(table)), outline=True, frame=frame,
                         note=note)


def target_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
    """Attacks by target type, stacked by group; selected types highlighted."""
    return _stacked_bars(v, aggregate.by_target(v), v.filters.target_type,
                         "attacks by target type", base_url, "Attacks", frame=frame)


def _stacked_bars(v: View, table, selected: tuple[str, ...], what: str, base_url: str,
                  axis_title: str, height: int = 460, outline: bool = False,
                  frame: str = "briefing", note: str | None = None) -> go.Figure:
    """Horizontal bars of a category x group count table, most attacks on top."""
    top = int(table.to_numpy().sum(axis=1).max()) if len(table) else 1
    layout = dict(barmode="stack", clickmode="event", height=height,
                  yaxis=_category_axis(table.index.tolist(), height),
                  xaxis=_int_axis(axis_title, top),
                  shapes=selection_shapes(table, selected, outline))
    return _figure(_bars(table), layout, v, what, base_url,
                   None if table.to_numpy().any() else NO_MATCH, frame=frame, rows=len(table),
                   note=note)


def timeline_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
    """Killed and injured per year or month; a box selection sets the date range."""
    f, period = v.filters, v.display.period
    table = aggregate.over_time(v)
    fmt = "%Y" if period == "year" else "%b %Y"
    periods = [d.strftime("%Y-%m-%d") for d in table["period"]]
    traces = []
    for column, colour, label in (("killed", KILLED_COLOUR, "Killed"),
                                  ("injured", INJURED_COLOUR, "Injured")):
        spans = [_range_words(b, lo, hi) for b, lo, hi in
                 zip(table[column], table[f"{column}_low"], table[f"{column}_high"])]
        traces.append(dict(
            type="bar", name=label, x=periods, y=table[column].tolist(),
            marker=dict(color=colour),
            xperiod="M12" if period == "year" else "M1", xperiodalignment="middle",
            width=_bar_width(period), offset=-_bar_width(period) if column == "killed" else 0,
            customdata=[[int(a), int(u), w] for a, u, w in
                        zip(table["attacks"], table[f"unknown_{column}"], spans)],
            hovertemplate=(f"%{{x|{fmt}}}: %{{y}} {column} in %{{customdata[0]}} attacks"
                           f" (%{{customdata[1]}} with {column} unknown)%{{customdata[2]}}"
                           "<extra></extra>")))
    layout = dict(barmode="group", dragmode="select", selectdirection="h",
                  clickmode="event+select", xaxis=_period_axis(table["period"], period),
                  yaxis=dict(title=dict(text="People (known figures)"), rangemode="tozero"))
    if (f.date_from or f.date_to) and len(table):
        lo = f.date_from or table["period"].min().date()
        hi = f.date_to or table["period"].max().date()
        layout["shapes"] = [dict(type="rect", xref="x", yref="paper", x0=str(lo), x1=str(hi),
                                 y0=0, y1=1, fillcolor="#0072B2", opacity=0.07, line_width=0,
                                 layer="below")]
    if len(table):
        _timeline_events(v, table, layout, frame)
    return _figure(traces, layout, v, "casualties per " + period, base_url,
                   NO_MATCH if table.empty else None, note=range_note(table), frame=frame)


def _range_words(best, low, high) -> str:
    """'; sources range 70 to 94' for a hover, or '' when the sources agree."""
    return "" if low == best == high else f"; sources range {int(low):,} to {int(high):,}"


def range_note(table) -> str | None:
    """The figure's range note, from a table of best figures and bounds: None when every
    source agrees (the bars show the best-supported figures)."""
    parts = []
    for count in ("killed", "injured"):
        best, low, high = (int(table[c].sum()) if len(table) else 0
                           for c in (count, f"{count}_low", f"{count}_high"))
        if not low == best == high:
            parts.append(f"{count} {best:,} (sources range {low:,} to {high:,})")
    return ("Bars: best-supported figures; " + ", ".join(parts)) if parts else None


def _timeline_events(v: View, table, layout: dict, frame: str) -> None:
    """The key events inside the timeline's range, as labelled lines above the bars."""
    start, end = (pd.Timestamp(d) for d in layout["xaxis"]["range"])
    lines, labels, rows = event_marks(v, start, end, lambda d: d.strftime("%Y-%m-%d"), frame)
    top = float(table[["killed", "injured"]].to_numpy().max())
    if rows:
        layout["shapes"] = layout.get("shapes", []) + lines
        layout["annotations"] = labels
        layout["yaxis"]["range"] = events_headroom(top, rows)


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


MAP_LABELS = {"briefing": 8, "screen": 5}  # districts with most attacks named on a map
MAP_SCALE = ["#FEE6CE", "#FDAE6B", "#E6550D", "#7F2704"]  # sequential oranges, light to dark
FOOTPRINT = {"none": ("#FFFFFF", "neither side"),
             "Islamic State only": (GROUP_COLOURS["IS-K"], "Islamic State only"),
             "Baloch separatist only": (GROUP_COLOURS["BLA"], "Baloch separatists only"),
             "both": ("#CC79A7", "both sides")}


def _geojson(frame: str):
    """The polygons: the app's asset URL (the browser fetches and caches it once; relative,
    so it works under any path prefix); server-side images put the file inline
    (export.with_polygons)."""
    return "assets/" + geo.GEOJSON_ASSET


def _map_layer(frame: str, provinces: list[str], labels) -> list[dict]:
    """Province borders and the district labels drawn over a choropleth."""
    lons, lats = geo.province_borders(tuple(provinces))
    return [
        dict(type="scattergeo", mode="lines", lon=lons, lat=lats, name="Province borders",
             line=dict(color="#333333", width=1.6), hoverinfo="skip", showlegend=False),
        dict(type="scattergeo", mode="text", name="District names",
             lon=labels["label_lon"].tolist(), lat=labels["label_lat"].tolist(),
             text=labels["label"].tolist(), hoverinfo="skip", showlegend=False,
             textfont=dict(size=10 if frame == "screen" else 13, color="#111111",
                           family=FONT)),
    ]


def _geo_layout() -> dict:
    """Zooming out stops before the edge of the outlines' window (geo.min_zoom)."""
    return dict(scope="asia", resolution=50,
                projection=dict(type="mercator", minscale=round(geo.min_zoom(), 3)),
                fitbounds="locations", showcountries=True, countrycolor="#999999",
                showcoastlines=True, coastlinecolor="#999999", showland=True,
                landcolor="#F4F4F4", showocean=True, oceancolor="#E8F1F8", showlakes=False,
                showrivers=False, showframe=False)


def _map_notes(folded, unplaced, frame: str, province_level: int = 0) -> list[dict]:
    """The attribution the boundaries' licence asks for, where attacks off the district
    polygons are counted, and how many are placed at province level only."""
    lines = []
    if province_level:
        lines.append(f"{province_level} attack{'s' if province_level > 1 else ''} in view "
                     "placed at province level only: the district shown is not established")
    if folded is not None and len(folded):
        lines.append("Counted in the parent polygon (2022 boundaries): " + ", ".join(
            f"{d} ({n}) in {p}" for d, p, n in zip(folded["district"], folded["polygon"],
                                                 folded["attacks"])))
    if len(unplaced):
        lines.append("Not on the map (no polygon of their own): " + ", ".join(
            f"{d} ({n})" for d, n in zip(unplaced["district"], unplaced["attacks"])))
    small = frame == "screen"
    notes = [dict(text=geo.ATTRIBUTION, showarrow=False, xref="paper", yref="paper", x=0,
                  y=0, xanchor="left", yanchor="bottom", align="left",
                  bgcolor="rgba(255,255,255,0.8)", font=dict(size=8 if small else 10,
                                                             color="#444444"))]
    if lines:
        notes.append(dict(text="<br>".join(lines), showarrow=False, xref="paper",
                          yref="paper", x=1, y=1, xanchor="right", yanchor="top",
                          align="right", bgcolor="rgba(255,255,255,0.85)",
                          font=dict(size=9 if small else 12)))
    return notes


def _hover(row) -> str:
    parts = [f"<b>{row['name']}</b>: {row['attacks']} attacks, {row['killed']} killed, "
             f"{row['injured']} injured (known figures)"]
    ranges = [f"{c}: {words[2:]}" for c in ("killed", "injured")
              if (words := _range_words(row[c], row[f"{c}_low"], row[f"{c}_high"]))]
    if ranges:
        parts.append("; ".join(ranges))
    if row["province_level"]:
        parts.append(f"{row['province_level']} placed at province level only")
    if row["unknown_killed"] or row["unknown_injured"]:
        parts.append(f"killed unknown in {row['unknown_killed']}, injured unknown in "
                     f"{row['unknown_injured']} of them")
    if row["breakdown"]:
        parts.append(row["breakdown"])
    if len(row["districts"]) > 1 or (row["districts"] and row["districts"][0] != row["name"]):
        parts.append("counts: " + ", ".join(row["districts"]))
    return "<br>".join(parts)


def map_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
    """Districts shaded by attacks in the view (white: none), province borders, the
    districts with most attacks named; a click on a district filters to it."""
    f = v.filters
    table, folded, unplaced = aggregate.map_polygons(v)
    top = max(int(table["attacks"].max()) if len(table) else 0, 1)
    cut = 0.5 / top
    scale = [[0, "#FFFFFF"], [cut, "#FFFFFF"], [cut, MAP_SCALE[0]]]
    scale += [[cut + (1 - cut) * i / 3, c] for i, c in enumerate(MAP_SCALE) if i]
    chosen = table["districts"].map(lambda ds: bool(set(ds) & set(f.district))).to_numpy()
    line = dict(color="#888888", width=0.6)
    if f.district:
        line = dict(color=np.where(chosen, HIGHLIGHT, "#888888").tolist(),
                    width=np.where(chosen, 3, 0.6).tolist())
    hit = table[table["attacks"] > 0].head(MAP_LABELS[frame])
    labels = hit.assign(label=[f"{n} {a}" for n, a in zip(hit["name"], hit["attacks"])])
    provinces = list(dict.fromkeys(table["province"]))
    traces = [dict(
        type="choropleth", name="Attacks", geojson=_geojson(frame),
        featureidkey=geo.FEATURE_KEY, locations=table["pcode"].tolist(),
        z=table["attacks"].tolist(), zmin=0, zmax=top, colorscale=scale,
        customdata=[list(d) for d in table["districts"]],
        text=[_hover(r) for r in table.to_dict("records")], hovertemplate="%{text}<extra></extra>",
        marker=dict(line=line),
        colorbar=dict(title=dict(text="Attacks"), thickness=12, len=0.5, y=0.5,
                      tickformat="d", dtick=max(1, -(-top // 5))),
    )] + _map_layer(frame, provinces, labels)
    layout = dict(clickmode="event", height=640, margin=dict(l=10, r=10, t=100,
                                                             b=FOOTER_GAP + 40),
                  geo=_geo_layout(),
                  annotations=_map_notes(folded, unplaced, frame, aggregate.province_level(v)),
                  screen_bare=True)
    empty = not table["attacks"].any() and not len(unplaced)
    fig = _figure(traces, layout, v, "attacks by district (map)", base_url, frame=frame)
    if empty:
        fig.add_annotation(text=NO_MATCH, showarrow=False, xref="paper", yref="paper", x=0.5,
                           y=0.5, font=dict(size=18, color="#555555"))
    return fig


def compare_footprint_figure(v: View, base_url: str = "",
                             frame: str = "briefing") -> go.Figure:
    """Districts hit by the Islamic State side only, the Baloch side only, or both, under
    the comparison's rule."""
    table, unplaced = aggregate.footprint(v)
    sides = list(FOOTPRINT)
    code = table["side"].map(sides.index)
    scale = []
    for i, side in enumerate(sides):
        scale += [[i / len(sides), FOOTPRINT[side][0]], [(i + 1) / len(sides),
                                                         FOOTPRINT[side][0]]]
    fam_is, fam_b = aggregate.FAMILIES
    hover = [f"<b>{r['name']}</b>: {fam_is} {r[fam_is]}, {fam_b} {r[fam_b]} attacks "
             f"({FOOTPRINT[r['side']][1]})" for r in table.to_dict("records")]
    hit = table[table["side"] != "none"].copy()
    hit["total"] = hit[fam_is] + hit[fam_b]
    hit = hit.sort_values(["total", "name"], ascending=[False, True]).head(MAP_LABELS[frame])
    labels = hit.assign(label=hit["name"])
    provinces = list(dict.fromkeys(table["province"]))
    districts = geo.districts_in()
    traces = [dict(
        type="choropleth", name="Footprint", geojson=_geojson(frame),
        featureidkey=geo.FEATURE_KEY, locations=table["pcode"].tolist(),
        z=code.tolist(), zmin=-0.5, zmax=len(sides) - 0.5, colorscale=scale,
        customdata=[list(districts[p]) for p in table["pcode"]], text=hover,
        hovertemplate="%{text}<extra></extra>", marker=dict(line=dict(color="#888888",
                                                                      width=0.6)),
        colorbar=dict(tickvals=list(range(len(sides))),
                      ticktext=[FOOTPRINT[s][1] for s in sides], thickness=12, len=0.6),
    )] + _map_layer(frame, provinces, labels)
    n = table["side"].value_counts()
    where = ", ".join(v.filters.province) if v.filters.province else "Pakistan"
    span = _span_words(aggregate.comparison_view(v))
    heading = (f"Districts hit, {where}, {span}: Islamic State only "
               f"{n.get(fam_is + ' only', 0)}, Baloch separatists only "
               f"{n.get(fam_b + ' only', 0)}, both {n.get('both', 0)}")
    layout = dict(clickmode="event", height=640, margin=dict(l=10, r=10, t=120,
                                                             b=FOOTER_GAP + 40),
                  geo=_geo_layout(),
                  annotations=_map_notes(None, unplaced, frame),
                  screen_bare=True)
    empty = (table["side"] == "none").all() and not len(unplaced)
    return _figure(traces, layout, v, "group comparison footprint", base_url,
                   NO_MATCH if empty else None, heading=heading, note=_rule_note(v),
                   frame=frame)


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


def compare_districts_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
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
                   None if len(table) else NO_MATCH, heading=heading, note=_rule_note(v),
                   frame=frame, rows=len(labels))


def compare_years_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
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
    if len(table):
        start = pd.Timestamp(int(table["year"].min()), 1, 1)
        end = pd.Timestamp(int(table["year"].max()) + 1, 1, 1)
        lines, labels, rows = event_marks(v, start, end, _year_x, frame)
        layout.update(shapes=lines, annotations=labels)
        layout["xaxis"]["range"] = [start.year - 0.5, end.year - 0.5]
        if rows:
            layout["yaxis"]["range"] = events_headroom(float(table["attacks"].max()), rows)
    where = ", ".join(v.filters.district or v.filters.province) or "Pakistan"
    heading = f"Islamic State and Baloch separatist attacks and killed per year, {where}"
    return _figure(traces, layout, v, "group comparison per year", base_url,
                   None if len(table) else NO_MATCH, heading=heading, note=_rule_note(v),
                   frame=frame)


def published_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
    """Each published figure beside the dataset's own count for the same scope: attacks on
    the top panel, casualties (killed, injured) on the bottom one, each on its own scale."""
    table = aggregate.published_comparison(v.ds, v.filters)
    labels = [f"{s}: {m}" for s, m in zip(table["scope"], table["measure"])]
    panels = (("attacks", "", "Attacks"), ("casualties", "2", "People"))
    is_attacks = (table["measure"] == "attacks").to_numpy()
    traces, layout = [], {}
    n_top = max(int(is_attacks.sum()), 1)
    n_bottom = max(int((~is_attacks).sum()), 1)
    split = n_bottom / (n_top + n_bottom)
    domains = {"": [min(split + 0.1, 0.9), 1], "2": [0, max(split - 0.04, 0.1)]}
    for (panel, suffix, axis_title), rows in zip(panels, (is_attacks, ~is_attacks)):
        part = table[rows]
        names = [lab for lab, keep in zip(labels, rows) if keep]
        top = max([1] + part["published"].tolist() + part["dataset"].tolist())
        for name, column, colour in (("Published (Dawn, 1 June 2025)", "published",
                                      "#999999"), ("This dataset", "dataset", "#0072B2")):
            trace = dict(type="bar", orientation="h", name=name, y=names,
                         x=part[column].tolist(), marker=dict(color=colour),
                         customdata=part["query"].tolist(), legendgroup=name,
                         showlegend=suffix == "", xaxis="x" + suffix, yaxis="y" + suffix,
                         hovertemplate="%{y}: %{x} published<extra></extra>")
            if column == "dataset":
                trace.update(text=[f"{c:.0%}" if c is not None else ""
                                   for c in part["coverage"]],
                             textposition="outside", cliponaxis=False,
                             hovertemplate="%{y}: %{x} in the dataset (%{text} of "
                                           "published)<extra></extra>")
            else:
                trace.update(text=part["published"].tolist(), textposition="outside",
                             cliponaxis=False, texttemplate="%{x}")
            traces.append(trace)
        layout["yaxis" + suffix] = dict(_category_axis(names, 230 + 52 * len(labels)),
                                        domain=domains[suffix], anchor="x" + suffix)
        layout["xaxis" + suffix] = dict(title=dict(text=axis_title), rangemode="tozero",
                                        range=[0, top * 1.22], anchor="y" + suffix)
    height = 260 + 52 * len(labels)
    layout.update(legend=SIDE_LEGEND, barmode="group", clickmode="event", height=height)
    heading = "Published IS-K figures beside this dataset's sourced incidents"
    note = (f"Dataset side: attribution {table['definition'].iat[0] if len(table) else ''}; "
            "only the attribution filter applies; percentages are coverage")
    return _figure(traces, layout, v, "published figures", base_url, heading=heading,
                   note=note, frame=frame)


def target_share_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
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
                   None if len(shares) else NO_MATCH, frame=frame)


def human_targets_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
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
                   None if len(table) else NO_MATCH, frame=frame, rows=len(names))



# ---------------------------------------------------------------------- key events
EVENT_LINE = "#555555"
EVENT_ROWS = 4  # label rows above the bars; more events at one place share the last row
EVENT_ROW_STEP = 0.075  # each label row's height, as a share of the plot's height
EVENT_FONT = {"briefing": 12, "screen": 10}
EVENT_PLOT_PX = {"briefing": 1600, "screen": 640}  # the plot's width a label is laid out in


def events_in(v: View, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The key events from `start` to before `end`, when the view shows them."""
    ev = v.ds.events
    if not v.display.events or not len(ev):
        return ev.iloc[0:0]
    return ev[(ev["date"] >= start) & (ev["date"] < end)]


def _event_hover(row) -> str:
    detail = "<br>".join(textwrap.wrap(str(row["detail"]), 70, break_on_hyphens=False,
                                          break_long_words=False))
    sources = "<br>".join(row["sources"])
    return f"<b>{row['date']:%d %b %Y}: {row['title']}</b><br>{detail}<br>Sources:<br>{sources}"


def _label_places(shares: list[float], titles: list[str], frame: str
                  ) -> list[tuple[int, bool]]:
    """Where each label goes, left to right: (its row, whether it runs left of its line, as
    it does near the right edge). The first row where it overlaps no label, else the row
    whose labels end first."""
    taken: list[list[tuple[float, float]]] = [[] for _ in range(EVENT_ROWS)]
    out = []
    for share, text in zip(shares, titles):
        width = (len(text) * 0.75 + 1) * EVENT_FONT[frame] / EVENT_PLOT_PX[frame]
        left = share + width > 1
        span = (share - width, share) if left else (share, share + width)
        free = [r for r in range(EVENT_ROWS)
                if all(span[1] < lo or span[0] > hi for lo, hi in taken[r])]
        row = free[0] if free else min(range(EVENT_ROWS),
                                       key=lambda r: max(hi for _, hi in taken[r]))
        taken[row].append(span)
        out.append((row, left))
    return out


def event_marks(v: View, start: pd.Timestamp, end: pd.Timestamp, x_of, frame: str
                ) -> tuple[list[dict], list[dict], int]:
    """Key events between `start` and `end` as (dotted lines, labels with their detail and
    sources on hover, the label rows used). `x_of(date)` places a date on the x axis."""
    ev = events_in(v, start, end)
    if not len(ev):
        return [], [], 0
    span = (end - start) / pd.Timedelta(days=1)
    shares = [((d - start) / pd.Timedelta(days=1)) / span for d in ev["date"]]
    places = _label_places(shares, ev["title"].tolist(), frame)
    lines, labels = [], []
    for (_, row), (level, left) in zip(ev.iterrows(), places):
        x = x_of(row["date"])
        lines.append(dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                          line=dict(color=EVENT_LINE, width=1, dash="dot"), layer="above"))
        labels.append(dict(
            text=row["title"], name=f"event {row['date']:%Y-%m-%d}", x=x, xref="x",
            y=1 - EVENT_ROW_STEP * level, yref="y domain", yanchor="top",
            xanchor="right" if left else "left",
            showarrow=False, align="left", hovertext=_event_hover(row),
            bgcolor="rgba(255,255,255,0.85)", borderpad=1,
            font=dict(size=EVENT_FONT[frame], color="#222222")))
    return lines, labels, max(level for level, _ in places) + 1


def events_headroom(top: float, rows: int) -> list[float] | None:
    """A count axis's range leaving room above the bars for `rows` label rows."""
    if not rows:
        return None
    return [0, max(top, 1) / (1 - EVENT_ROW_STEP * rows - 0.03)]


def _year_x(day: pd.Timestamp) -> float:
    """A date on a year-category axis (bars centred on the year): its place in the year."""
    days = 366 if day.is_leap_year else 365
    return day.year - 0.5 + (day.day_of_year - 0.5) / days


# ---------------------------------------------------------------------- what changed
RISE, FALL = "#D55E00", "#0072B2"  # vermillion up, blue down (Okabe-Ito; 3.9:1 and 5.2:1)
FLAG_MARK = {True: " ▲", False: " ▼"}  # after a flagged district's name: rise, fall


def signed(n: int) -> str:
    """A change as people read it: +7, -3, 0."""
    return f"{n:+,}" if n else "0"


def change_sentence(now, base, periods) -> str:
    """E.g. '+7 attacks, +41 killed vs the previous 12 months'."""
    return (f"{signed(now.attacks - base.attacks)} attacks, {signed(now.killed - base.killed)} "
            f"killed vs {periods.words}")


def _change_hover(r) -> str:
    pct = ("new" if r["pct"] == np.inf else f"{r['pct']:+.0f}%")
    flag = "<br>flagged" if r["flagged"] else ""
    return (f"<b>{r['district']}</b><br>attacks {r['attacks_base']} → {r['attacks']} "
            f"({signed(r['d_attacks'])}, {pct})<br>killed {r['killed_base']} → {r['killed']} "
            f"({signed(r['d_killed'])}){flag}")


def _change_traces(table, labels: list[str], selected: tuple[str, ...]) -> list[dict]:
    """Diverging bars: the change in attacks (left panel) and in killed (right panel)."""
    chosen = np.isin(table["district"].to_numpy(), list(selected)) if selected else None
    hover = [_change_hover(r) for r in table.to_dict("records")]
    traces = []
    for column, axis, name in (("d_attacks", "x", "Attacks"), ("d_killed", "x2", "Killed")):
        values = table[column].to_numpy()
        marker = dict(color=np.where(values >= 0, RISE, FALL).tolist())
        if chosen is not None:
            marker.update(opacity=np.where(chosen, 1.0, DIMMED).tolist(),
                          line=dict(width=np.where(chosen, 2, 0).tolist(), color=HIGHLIGHT))
        traces.append(dict(type="bar", orientation="h", name=name, y=labels,
                           x=values.tolist(), xaxis=axis, yaxis="y", marker=marker,
                           customdata=table["district"].tolist(), text=hover,
                           textposition="none", showlegend=False,
                           hovertemplate="%{text}<extra>" + name + "</extra>"))
    return traces


def change_figure(v: View, base_url: str = "", frame: str = "briefing") -> go.Figure:
    """What changed: attacks and killed per district in the period against its baseline, as
    diverging bars sorted by change; flagged districts marked ▲ (rise) or ▼ (fall)."""
    table = aggregate.change_by_district(v)
    change = aggregate.change_totals(v)
    labels = [r["district"] + (FLAG_MARK[r["d_attacks"] > 0] if r["flagged"] else "")
              for r in table.to_dict("records")]
    height = max(460, 230 + 24 * len(labels))
    top = [max(int(table[c].abs().max()) if len(table) else 1, 1)
           for c in ("d_attacks", "d_killed")]
    layout = dict(
        clickmode="event", height=height, showlegend=False, bargap=0.25,
        yaxis=_category_axis(labels, height),
        xaxis=dict(domain=[0, 0.47], title=dict(text="Change in attacks"), zeroline=True,
                   zerolinecolor="#222222", range=[-top[0] * 1.1, top[0] * 1.1]),
        xaxis2=dict(domain=[0.53, 1], anchor="y", title=dict(text="Change in killed (known)"),
                    zeroline=True, zerolinecolor="#222222", range=[-top[1] * 1.1, top[1] * 1.1]))
    where = ", ".join(v.filters.province) if v.filters.province else "Pakistan"
    if change is None:
        heading, note = f"What changed, {where}", None
    else:
        now, base, p = change
        heading = f"{change_sentence(now, base, p)}, by district, {where}"
        d = v.display
        note = (f"{p.current[0]:%d %b %Y} to {p.current[1]:%d %b %Y} ({now.attacks} attacks) "
                f"against {p.baseline[0]:%d %b %Y} to {p.baseline[1]:%d %b %Y} "
                f"({base.attacks}); ▲▼ flagged: a change of at least {d.flag_pct}% and at "
                f"least {d.flag_min} attacks")
    return _figure(_change_traces(table, labels, v.filters.district), layout, v,
                   "what changed by district", base_url, None if len(table) else NO_MATCH,
                   heading=heading, note=note, frame=frame, rows=len(labels))
