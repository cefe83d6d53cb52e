"""The view state: one typed Filters object, its URL form, and the one place it is applied.

A chart click, a box selection, a control and a permalink all end up as a Filters value. Every
figure, number and table is a function of (data, Filters).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pandas as pd

from .reference import Reference

# Filter dimensions whose value is a set of categories: field name -> (URL key, data column).
MULTI = {
    "province": ("province", "province"),
    "district": ("district", "district"),
    "group": ("group", "group"),
    "attribution": ("attribution", "attribution"),
    "target_type": ("target", "target_type"),
    "attack_type": ("attack", "attack_type"),
}
PERIODS = ("year", "month")
TABS = ("overview", "compare", "published", "targets")
COMMON_RULE_KILLED = 5  # the Baloch collection's own threshold, applied to both sides
MAX_PARAM = 2000  # characters; longer values are ignored with a notice
DATE_RANGE = (date(1900, 1, 1), date(2200, 12, 31))  # dates outside are ignored


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    province: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()
    target_type: tuple[str, ...] = ()
    attack_type: tuple[str, ...] = ()
    min_killed: int | None = None
    period: str = "year"  # display option of the timeline, kept in the URL with the filters
    tab: str = "overview"  # the analyst view on screen
    common_rule: bool = True  # group comparison: one minimum-killed rule for both sides

    # ------------------------------------------------------------------ URL form
    def to_query(self) -> str:
        params: list[tuple[str, str]] = []
        if self.date_from:
            params.append(("from", self.date_from.isoformat()))
        if self.date_to:
            params.append(("to", self.date_to.isoformat()))
        for name, (key, _) in MULTI.items():
            values = getattr(self, name)
            if values:
                params.append((key, ",".join(values)))
        if self.min_killed:
            params.append(("min_killed", str(self.min_killed)))
        if self.period != "year":
            params.append(("period", self.period))
        if self.tab != "overview":
            params.append(("view", self.tab))
        if not self.common_rule:
            params.append(("rule", "off"))
        return "?" + urlencode(params, safe=",") if params else ""

    @classmethod
    def from_query(cls, query: str, ref: Reference, data_values: dict[str, list[str]]
                   ) -> tuple["Filters", list[str]]:
        """Parse a query string; anything unknown or malformed is dropped with a notice."""
        notices: list[str] = []
        values: dict[str, object] = {}
        by_key = {key: name for name, (key, _) in MULTI.items()}
        seen: set[str] = set()
        for key, raw in parse_qsl(query.lstrip("?"), keep_blank_values=True):
            shown = _clip(key)
            if len(raw) > MAX_PARAM:
                notices.append(f"Ignored '{shown}': value longer than {MAX_PARAM} characters.")
                continue
            if key in seen:
                notices.append(f"Ignored a repeated '{shown}' parameter.")
                continue
            seen.add(key)
            if key in ("from", "to"):
                parsed = parse_date(raw)
                if parsed is None:
                    notices.append(f"Ignored {key}={_clip(raw)!r}: not a date between "
                                   f"{DATE_RANGE[0]} and {DATE_RANGE[1]} (use YYYY-MM-DD).")
                else:
                    values["date_from" if key == "from" else "date_to"] = parsed
            elif key in by_key:
                name = by_key[key]
                kept, dropped = _resolve_list(name, raw, ref, data_values.get(name, []))
                if dropped:
                    notices.append(f"Ignored unknown {key} value(s): "
                                   f"{', '.join(_clip(d) for d in dropped)}.")
                if kept:
                    values[name] = tuple(kept)
            elif key == "min_killed":
                if re.fullmatch(r"[0-9]{1,7}", raw):
                    values["min_killed"] = parse_min_killed(raw)
                else:
                    notices.append(f"Ignored min_killed={_clip(raw)!r}: not a whole number.")
            elif key == "period":
                if raw in PERIODS:
                    values["period"] = raw
                else:
                    notices.append(f"Ignored period={_clip(raw)!r}: use year or month.")
            elif key == "view":
                if raw in TABS:
                    values["tab"] = raw
                else:
                    notices.append(f"Ignored view={_clip(raw)!r}: use one of "
                                   f"{', '.join(TABS)}.")
            elif key == "rule":
                if raw in ("on", "off"):
                    values["common_rule"] = raw == "on"
                else:
                    notices.append(f"Ignored rule={_clip(raw)!r}: use on or off.")
            else:
                notices.append(f"Ignored unknown parameter '{shown}'.")
        filters = cls(**values)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            notices.append("Ignored the date range: 'from' is after 'to'.")
            filters = replace(filters, date_from=None, date_to=None)
        return filters, notices

    def sanitised(self, ref: Reference, data_values: dict[str, list[str]]) -> "Filters":
        """Keep only what the URL form can carry back: known values (without commas),
        dates in range, a valid minimum, period and view. Then the stored view and its
        permalink are always the same view."""
        kept = {}
        for name in MULTI:
            values = [v for v in getattr(self, name) if "," not in str(v)]
            kept[name] = tuple(_resolve_list(name, ",".join(values), ref,
                                             data_values.get(name, []))[0])
        dates = [d if isinstance(d, date) and DATE_RANGE[0] <= d <= DATE_RANGE[1] else None
                 for d in (self.date_from, self.date_to)]
        if dates[0] and dates[1] and dates[0] > dates[1]:
            dates = [None, None]
        return replace(self, **kept, date_from=dates[0], date_to=dates[1],
                       min_killed=parse_min_killed(self.min_killed),
                       period=self.period if self.period in PERIODS else "year",
                       tab=self.tab if self.tab in TABS else "overview",
                       common_rule=bool(self.common_rule))

    # ------------------------------------------------------------------ editing
    def toggle(self, name: str, value: str) -> "Filters":
        """A chart click: select only `value`, or clear the dimension if it was just that."""
        current = getattr(self, name)
        return replace(self, **{name: () if current == (value,) else (value,)})

    def without(self, name: str, value: str | None = None) -> "Filters":
        """Remove one value of a dimension (a chip's close button), or the whole dimension."""
        if name == "date":
            return replace(self, date_from=None, date_to=None)
        default = next(f.default for f in fields(self) if f.name == name)
        current = getattr(self, name)
        if value is not None and isinstance(current, tuple):
            return replace(self, **{name: tuple(v for v in current if v != value)})
        return replace(self, **{name: default})

    def describe(self) -> list[tuple[str, str, str]]:
        """Active filters as (dimension, value, plain words), for chips and subtitles."""
        out = []
        if self.date_from or self.date_to:
            words = f"{self.date_from or 'start'} to {self.date_to or 'latest'}"
            out.append(("date", "", words))
        labels = {"province": "Province", "district": "District", "group": "Group",
                  "attribution": "Attribution", "target_type": "Target",
                  "attack_type": "Attack"}
        for name in MULTI:
            for v in getattr(self, name):
                out.append((name, v, f"{labels[name]}: {v}"))
        if self.min_killed:
            out.append(("min_killed", "", f"At least {self.min_killed} killed"))
        return out

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        for k in ("date_from", "date_to"):
            d[k] = d[k].isoformat() if d[k] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Filters":
        if not d:
            return cls()
        kw = {}
        for f in fields(cls):
            if f.name not in d or d[f.name] is None:
                continue
            v = d[f.name]
            if f.name in ("date_from", "date_to"):
                v = date.fromisoformat(v)
            elif isinstance(v, list):
                v = tuple(v)
            kw[f.name] = v
        return cls(**kw)


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def parse_date(raw) -> date | None:
    """A YYYY-MM-DD date inside DATE_RANGE, else None."""
    text = str(raw or "").strip()[:10]
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if DATE_RANGE[0] <= day <= DATE_RANGE[1] else None


def parse_min_killed(raw) -> int | None:
    """A positive whole number of at most 7 digits, else None (0 means no minimum)."""
    text = str(raw).strip() if raw is not None else ""
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not re.fullmatch(r"[0-9]{1,7}", text):
        return None
    return int(text) or None


def _resolve_list(name: str, raw: str, ref: Reference, known: list[str]
                  ) -> tuple[list[str], list[str]]:
    lookup = {"province": ref.province_lookup, "district": ref.district_lookup}.get(
        name, ref.vocab.get(name))
    kept, dropped = [], []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        canon = lookup.resolve(part) if lookup else None
        if canon is None and part in known:  # values only the loaded data has
            canon = part
        if canon is None:
            dropped.append(part)
        elif canon not in kept:
            kept.append(canon)
    return kept, dropped


# ---------------------------------------------------------------------- applying
def mask(dataset, filters: Filters, ignore: tuple[str, ...] = ()) -> np.ndarray:
    """Boolean mask over dataset.incidents for `filters`, skipping the `ignore`d dimensions.

    A chart ignores its own dimension so that it keeps showing the alternatives to click;
    it highlights the selected values instead.
    """
    arrays = dataset.arrays
    keep = np.ones(len(dataset.incidents), dtype=bool)
    if "date" not in ignore:
        if filters.date_from:
            keep &= arrays["date"] >= pd.Timestamp(filters.date_from).value
        if filters.date_to:
            keep &= arrays["date"] <= pd.Timestamp(filters.date_to).value
    for name, (_, column) in MULTI.items():
        values = getattr(filters, name)
        if not values or name in ignore:
            continue
        if name == "district":
            keep &= dataset.rows_in_districts(values)
        else:
            keep &= dataset.isin(column, values)
    if filters.min_killed and "min_killed" not in ignore:
        keep &= arrays["killed"] >= filters.min_killed  # unknown (NaN) is never >= n
    return keep
