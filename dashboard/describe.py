"""Charts in words and numbers, for people who cannot see them (issue 18): every chart's
figure as a table (one row per bar, district or series, with the click event the row stands
for) and a one-paragraph summary (what it shows, the top values). Pure functions of a figure,
so every chart of the registry is described the same way, on screen and in tests."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go

TOP = 3  # values named in a summary


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple  # one per column after the first
    event: dict | None  # what a click on its bar sends (None: nothing to filter)

    def event_key(self) -> str:
        return json.dumps(self.event, sort_keys=True)


def plain(text: str | None) -> str:
    """Plotly's mini-HTML as plain text."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(text or ""))).strip()


def _series(fig: go.Figure) -> list:
    """The bars a reader sees: named, drawn traces."""
    return [t for t in fig.data if t.type == "bar" and t.name and t.marker.opacity != 0]


def _column(fig: go.Figure, t, panels: bool) -> str:
    if not panels:
        return t.name
    axis = fig.layout[("xaxis" if t.orientation == "h" else "yaxis") +
                      ((t.xaxis if t.orientation == "h" else t.yaxis) or "x")[1:]]
    return f"{t.name}: {plain(axis.title.text)}" if axis.title.text else t.name


def _point(t, i: int, category) -> dict:
    custom = t.customdata[i] if t.customdata is not None else category
    return {"points": [{"customdata": custom, "y": category}]}


def _horizontal(fig: go.Figure, traces: list, panels: bool) -> tuple[list[str], list[Row]]:
    order = list(fig.layout.yaxis.categoryarray or [])[::-1]
    for t in traces:
        order += [y for y in t.y if y not in order]
    cols, values, events = [], [], {}
    for t in traces:
        cols.append(_column(fig, t, panels))
        values.append(dict(zip(t.y, t.x)))
        for i, y in enumerate(t.y):
            events.setdefault(y, _point(t, i, y))
    rows = [Row(str(y), tuple(v.get(y, 0) for v in values),  # zero rows as on the axis
                events.get(y, {"points": [{"customdata": y, "y": y}]})) for y in order]
    return cols, rows


def _period(fig: go.Figure, x: str) -> tuple[str, dict]:
    """A timeline period's label and the selection it stands for."""
    start = date.fromisoformat(str(x)[:10])
    if fig.layout.xaxis.tickformat == "%Y":
        end = date(start.year + 1, 1, 1)
        label = f"{start:%Y}"
    else:
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        label = f"{start:%b %Y}"
    return label, {"range": {"x": [start.isoformat(), (end - timedelta(days=1)).isoformat()]}}


def _vertical(fig: go.Figure, traces: list, panels: bool, dates: bool
              ) -> tuple[list[str], list[Row]]:
    per_series = all(t.customdata is not None and len({json.dumps(c) for c in t.customdata})
                     == 1 for t in traces)
    xs = sorted({x for t in traces for x in t.x})
    if per_series:  # each series is one category (target types): a row per series
        return (["Series"] + [str(x) for x in xs])[1:], [
            Row(t.name, tuple(dict(zip(t.x, t.y)).get(x, 0) for x in xs),
                _point(t, 0, t.name)) for t in traces]
    cols = [_column(fig, t, panels) for t in traces]
    values = [dict(zip(t.x, t.y)) for t in traces]
    rows = []
    for x in xs:
        label, event = _period(fig, x) if dates else (str(x), None)
        if event is None:
            t = next(t for t in traces if x in t.x)
            event = _point(t, list(t.x).index(x), x)
        rows.append(Row(label, tuple(v.get(x, 0) for v in values), event))
    return cols, rows


def _choropleth(t) -> tuple[list[str], list[Row]]:
    names = [plain(text).split(":")[0].strip() for text in t.text]
    ticks = list(t.colorbar.ticktext or [])
    hit = [i for i, z in enumerate(t.z) if z > 0]
    hit.sort(key=lambda i: (-t.z[i], names[i]))
    value = (lambda z: ticks[int(z)]) if ticks else (lambda z: z)
    return [t.name], [Row(names[i], (value(t.z[i]),),
                          {"points": [{"customdata": list(t.customdata[i])}]}) for i in hit]


def chart_table(fig: go.Figure) -> tuple[list[str], list[Row]]:
    """(column headings after the row label, rows) of what the figure draws."""
    maps = [t for t in fig.data if t.type == "choropleth"]
    if maps:
        return _choropleth(maps[0])
    traces = _series(fig)
    if not traces:
        return [], []
    panels = len({(t.xaxis, t.yaxis) for t in traces}) > 1
    if traces[0].orientation == "h":
        return _horizontal(fig, traces, panels)
    return _vertical(fig, traces, panels, fig.layout.xaxis.type == "date")


def title_of(fig: go.Figure) -> str:
    return plain(fig.layout.title.text)


def summary(fig: go.Figure, columns: list[str], rows: list[Row]) -> str:
    """What the chart shows, for which filters, and its top values."""
    sub = plain(str(fig.layout.title.subtitle.text or "").replace("<br>", ". "))
    head = f"{title_of(fig)}. {sub}."
    if not rows:
        return head + " No incident matches these filters."
    numeric = [r for r in rows if all(isinstance(v, (int, float)) for v in r.values)]
    if len(numeric) == len(rows) and columns:
        by = _ranked_by(columns)
        size = (lambda r: sum(r.values)) if by is None else (lambda r: r.values[by])
        top = sorted(rows, key=lambda r: -abs(size(r)))[:TOP]
        named = ", ".join(f"{r.label} {_number(size(r))}" for r in top)
        what = "all series" if by is None else columns[by]
        return f"{head} {len(rows)} rows; largest ({what}): {named}."
    return f"{head} {len(rows)} rows: " + ", ".join(
        f"{r.label} ({', '.join(str(v) for v in r.values)})" for r in rows[:TOP]) + "."


def _ranked_by(columns: list[str]) -> int | None:
    """The column a summary ranks by: None (the row's total) when the columns are series of
    one measure (groups, killed and injured); the first when they are different measures
    (panels); the latest when they are years (a share per year)."""
    if all(c.isdigit() for c in columns):
        return len(columns) - 1
    return 0 if any(":" in c for c in columns) else None


def _number(v) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
