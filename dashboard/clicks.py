"""What a click or a selection on a chart does to the view state: pure functions
(state, event data, dataset) -> (new state, notices), named by the chart registry."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

from .filters import ViewState, parse_date

Click = Callable[[ViewState, dict | None, object], tuple[ViewState, list[str]]]


def clicked_value(click: dict | None) -> str | None:
    """The category a chart click names: customdata where a chart sets it, else a
    horizontal bar's y."""
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    value = point.get("customdata", point.get("y"))
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else None


@dataclass(frozen=True)
class Toggle:
    """A click selects the clicked category of `dimension`, or clears it if it was just that."""

    dimension: str

    def __call__(self, state: ViewState, event: dict | None, _ds) -> tuple[ViewState, list[str]]:
        value = clicked_value(event)
        if not value:
            return state, []
        return replace(state, filters=state.filters.toggle(self.dimension, value)), []


def polygon(state: ViewState, event: dict | None, _ds) -> tuple[ViewState, list[str]]:
    """A district polygon of a map: the districts counted in it (customdata: their names)
    become the district filter, or the filter clears if it was just those."""
    if not event or not event.get("points"):
        return state, []
    value = event["points"][0].get("customdata")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        return state, []
    chosen = tuple(str(d) for d in value)
    f = state.filters
    return replace(state, filters=replace(f, district=() if f.district == chosen
                                          else chosen)), []


def year(state: ViewState, event: dict | None, _ds) -> tuple[ViewState, list[str]]:
    """A year's bar: that year as the date range, or back to all years."""
    value = clicked_value(event)
    if not value or not value.isdigit() or not 1900 < int(value) < 2200:
        return state, []
    span = (date(int(value), 1, 1), date(int(value), 12, 31))
    f = state.filters
    same = (f.date_from, f.date_to) == span
    return replace(state, filters=replace(f, date_from=None if same else span[0],
                                          date_to=None if same else span[1])), []


def scope(state: ViewState, query: str | None, ds) -> tuple[ViewState, list[str]]:
    """A published figure: its scope (a query string) as the filters; the display stays."""
    if not query:
        return state, []
    new, notices = state_from_query(query, ds)
    return replace(new, display=state.display), notices


def published_bar(state: ViewState, event: dict | None, ds) -> tuple[ViewState, list[str]]:
    """A bar of the published chart carries its figure's scope as customdata."""
    return scope(state, clicked_value(event), ds)


def date_range(state: ViewState, selected: dict | None, _ds) -> tuple[ViewState, list[str]]:
    """A box selection on the timeline: its dates as the date range."""
    if not selected or "range" not in selected or "x" not in selected["range"]:
        return state, []
    bounds = [parse_date(v) for v in selected["range"]["x"]]
    if len(bounds) != 2 or None in bounds:  # a bound that is not a date
        return state, []
    lo, hi = sorted(bounds)
    return replace(state, filters=replace(state.filters, date_from=lo, date_to=hi)), []


def data_values(ds) -> dict[str, list[str]]:
    """Values only the loaded data knows (beyond the vocabularies), accepted in URLs."""
    return {name: ds.values(name) for name in ("group", "target_type", "attack_type")}


def state_from_query(query: str, ds) -> tuple[ViewState, list[str]]:
    """A permalink's query string as a view state of this dataset, with its notices."""
    return ViewState.from_query(query or "", ds.reference, data_values(ds))
