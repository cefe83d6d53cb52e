"""The view state: which incidents are in (Filters) and how they are shown (Display), and the
URL form of both (ViewState), declared once per URL key.

A chart click, a box selection, a control and a permalink all end up as a ViewState. Every
figure, number and table is a function of (data, ViewState). Filters are applied in one place,
``aggregate.mask``.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

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
LABELS = {"province": "Province", "district": "District", "group": "Group",
          "attribution": "Attribution", "target_type": "Target", "attack_type": "Attack"}
PERIODS = ("year", "month")
TABS = ("overview", "compare", "published", "targets", "change")
COMMON_RULE_KILLED = 5  # the Baloch collection's own threshold, applied to both sides
MAX_PARAM = 2000  # characters; longer values are ignored with a notice
DATE_RANGE = (date(1900, 1, 1), date(2200, 12, 31))  # dates outside are ignored
PRECISE_WORDS = "Precise rows only (exact day; town or district)"
# "What changed": a district is flagged where its attacks changed by at least FLAG_PCT percent
# and at least FLAG_MIN attacks; both adjustable within these bounds
FLAG_PCT, FLAG_MIN = 25, 3
FLAG_PCT_RANGE, FLAG_MIN_RANGE = (1, 1000), (1, 10000)


@dataclass(frozen=True)
class Filters:
    """Which incidents are in the view."""

    date_from: date | None = None
    date_to: date | None = None
    province: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()
    target_type: tuple[str, ...] = ()
    attack_type: tuple[str, ...] = ()
    min_killed: int | None = None
    precise: bool = False  # only rows dated to the day and placed to the town or district

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
        for name in MULTI:
            for v in getattr(self, name):
                out.append((name, v, f"{LABELS[name]}: {v}"))
        if self.min_killed:
            out.append(("min_killed", "", f"At least {self.min_killed} killed"))
        if self.precise:
            out.append(("precise", "", PRECISE_WORDS))
        return out


@dataclass(frozen=True)
class Display:
    """How the view is shown: the timeline's period, the tab on screen, the comparison's rule,
    the key events, and "What changed"'s baseline and flag thresholds."""

    period: str = "year"
    tab: str = "overview"
    common_rule: bool = True  # group comparison: one minimum-killed rule for both sides
    events: bool = True  # key events drawn on the timeline and the comparison by year
    base_from: date | None = None  # "What changed": the baseline picked, else the previous
    base_to: date | None = None  # period of the same length
    flag_pct: int = FLAG_PCT
    flag_min: int = FLAG_MIN

    def baseline(self) -> tuple[date, date] | None:
        """The baseline the user picked (both ends, in order), or None."""
        lo, hi = self.base_from, self.base_to
        return (lo, hi) if lo and hi and lo <= hi else None


# ---------------------------------------------------------------------- the URL form
@dataclass(frozen=True)
class Param(ABC):
    """One URL key: where its value lives (`part`, `name`), how it is written (`dump`: the
    text, or None to leave the key out) and read back (`parse`: the value, or None with the
    notice's reason)."""

    key: str
    part: str  # "filters" or "display"
    name: str

    @abstractmethod
    def dump(self, value) -> str | None: ...

    @abstractmethod
    def parse(self, raw: str, ref: Reference, known: list[str]) -> tuple[object, str | None]: ...


class DateParam(Param):
    def dump(self, value) -> str | None:
        return value.isoformat() if value else None

    def parse(self, raw, ref, known):
        day = parse_date(raw)
        return day, None if day else (f"not a date between {DATE_RANGE[0]} and "
                                      f"{DATE_RANGE[1]} (use YYYY-MM-DD)")


class ListParam(Param):
    """A set of categories; the known ones apply, the unknown ones are named."""

    def dump(self, value) -> str | None:
        return ",".join(value) if value else None

    def parse(self, raw, ref, known):
        return _resolve_list(self.name, raw, ref, known)


class MinKilledParam(Param):
    def dump(self, value) -> str | None:
        return str(value) if value else None

    def parse(self, raw, ref, known):
        if re.fullmatch(r"[0-9]{1,7}", raw):
            return parse_min_killed(raw), None
        return None, "not a whole number"


@dataclass(frozen=True)
class CountParam(Param):
    """A whole number within `bounds`; the default is left out of the URL."""

    default: int = 0
    bounds: tuple[int, int] = (0, 0)

    def dump(self, value) -> str | None:
        return None if value == self.default else str(value)

    def parse(self, raw, ref, known):
        value = parse_count(raw, self.bounds)
        return (value, None) if value is not None else (
            None, f"not a whole number from {self.bounds[0]} to {self.bounds[1]}")


@dataclass(frozen=True)
class ChoiceParam(Param):
    allowed: tuple[str, ...] = ()
    default: str = ""
    hint: str = ""

    def dump(self, value) -> str | None:
        return value if value != self.default else None

    def parse(self, raw, ref, known):
        return (raw, None) if raw in self.allowed else (None, self.hint)


class SwitchParam(Param):
    """An on/off switch (the comparison's common rule, the key events): on by default, so
    only 'off' is written."""

    def dump(self, value) -> str | None:
        return None if value else "off"

    def parse(self, raw, ref, known):
        return (raw == "on", None) if raw in ("on", "off") else (None, "use on or off")


class OptInParam(Param):
    """An opt-in switch (precise rows only): off by default, so only 'on' is written."""

    def dump(self, value) -> str | None:
        return "on" if value else None

    def parse(self, raw, ref, known):
        return (raw == "on", None) if raw in ("on", "off") else (None, "use on or off")


PARAMS = (
    DateParam("from", "filters", "date_from"),
    DateParam("to", "filters", "date_to"),
    *(ListParam(key, "filters", name) for name, (key, _) in MULTI.items()),
    MinKilledParam("min_killed", "filters", "min_killed"),
    OptInParam("precise", "filters", "precise"),
    ChoiceParam("period", "display", "period", PERIODS, "year", "use year or month"),
    ChoiceParam("view", "display", "tab", TABS, "overview", "use one of " + ", ".join(TABS)),
    SwitchParam("rule", "display", "common_rule"),
    SwitchParam("events", "display", "events"),
    DateParam("base_from", "display", "base_from"),
    DateParam("base_to", "display", "base_to"),
    CountParam("flag_pct", "display", "flag_pct", FLAG_PCT, FLAG_PCT_RANGE),
    CountParam("flag_min", "display", "flag_min", FLAG_MIN, FLAG_MIN_RANGE),
)
_BY_KEY = {p.key: p for p in PARAMS}


@dataclass(frozen=True)
class ViewState:
    """The whole view: what the URL query string, the stored state and a permalink hold."""

    filters: Filters = field(default_factory=Filters)
    display: Display = field(default_factory=Display)

    def to_query(self) -> str:
        params = []
        for p in PARAMS:
            text = p.dump(getattr(getattr(self, p.part), p.name))
            if text is not None:
                params.append((p.key, text))
        return "?" + urlencode(params, safe=",") if params else ""

    def link(self, base_url: str = "") -> str:
        """The view's permalink: absolute with a base URL, else the query (or '/')."""
        return f"{base_url}/{self.to_query()}" if base_url else (self.to_query() or "/")

    @classmethod
    def from_query(cls, query: str, ref: Reference, data_values: dict[str, list[str]]
                   ) -> tuple["ViewState", list[str]]:
        """Parse a query string; anything unknown or malformed is dropped with a notice."""
        notices: list[str] = []
        values: dict[str, dict[str, object]] = {"filters": {}, "display": {}}
        seen: set[str] = set()
        for key, raw in parse_qsl(query.lstrip("?"), keep_blank_values=True):
            p = _BY_KEY.get(key)
            notice = _unusable(key, raw, seen, p)
            if notice:
                notices.append(notice)
                continue
            value, problem = p.parse(raw, ref, data_values.get(p.name, []))
            if isinstance(p, ListParam):  # kept values apply; the unknown ones are named
                if problem:
                    notices.append(f"Ignored unknown {key} value(s): {problem}.")
                if value:
                    values[p.part][p.name] = tuple(value)
            elif problem:
                notices.append(f"Ignored {key}={_clip(raw)!r}: {problem}.")
            else:
                values[p.part][p.name] = value
        state = cls(Filters(**values["filters"]), Display(**values["display"]))
        f = state.filters
        if f.date_from and f.date_to and f.date_from > f.date_to:
            notices.append("Ignored the date range: 'from' is after 'to'.")
            state = replace(state, filters=replace(f, date_from=None, date_to=None))
        d = state.display
        if (d.base_from or d.base_to) and not d.baseline():
            notices.append("Ignored the baseline: give base_from and base_to, 'from' not "
                           "after 'to'.")
            state = replace(state, display=replace(d, base_from=None, base_to=None))
        return state, notices

    def sanitised(self, ref: Reference, data_values: dict[str, list[str]]) -> "ViewState":
        """Keep only what the URL form can carry back: known values (without commas),
        dates in range, a valid minimum, period and view. Then the stored view and its
        permalink are always the same view."""
        f, d = self.filters, self.display
        kept = {}
        for name in MULTI:
            values = [v for v in getattr(f, name) if "," not in str(v)]
            kept[name] = tuple(_resolve_list(name, ",".join(values), ref,
                                             data_values.get(name, []))[0])
        dates = [day if isinstance(day, date) and DATE_RANGE[0] <= day <= DATE_RANGE[1]
                 else None for day in (f.date_from, f.date_to)]
        if dates[0] and dates[1] and dates[0] > dates[1]:
            dates = [None, None]
        return ViewState(
            replace(f, **kept, date_from=dates[0], date_to=dates[1],
                    min_killed=parse_min_killed(f.min_killed), precise=f.precise is True),
            _sanitised_display(d))

    def as_dict(self) -> dict:
        """A JSON-ready form for the browser's store."""
        f = asdict(self.filters)
        f = {k: list(v) if isinstance(v, tuple) else v for k, v in f.items()}
        d = asdict(self.display)
        for part in (f, d):
            for k, v in part.items():
                part[k] = v.isoformat() if isinstance(v, date) else v
        return {"filters": f, "display": d}

    @classmethod
    def from_dict(cls, d: dict | None) -> "ViewState":
        d = d or {}
        f = {k: v for k, v in (d.get("filters") or {}).items() if v is not None}
        shown = dict(d.get("display") or {})
        for part, keys in ((f, ("date_from", "date_to")), (shown, ("base_from", "base_to"))):
            for k in keys:
                if part.get(k):
                    part[k] = date.fromisoformat(part[k])
        f = {k: tuple(v) if isinstance(v, list) else v for k, v in f.items()}
        return cls(Filters(**f), Display(**shown))


def _sanitised_display(d: Display) -> Display:
    """A display the URL form can carry back: known period and view, a baseline in order
    (else none), thresholds within bounds (else the defaults)."""
    base = [day if isinstance(day, date) and DATE_RANGE[0] <= day <= DATE_RANGE[1] else None
            for day in (d.base_from, d.base_to)]
    if not (base[0] and base[1] and base[0] <= base[1]):
        base = [None, None]
    pct, least = parse_count(d.flag_pct, FLAG_PCT_RANGE), parse_count(d.flag_min,
                                                                         FLAG_MIN_RANGE)
    return Display(period=d.period if d.period in PERIODS else "year",
                   tab=d.tab if d.tab in TABS else "overview",
                   common_rule=bool(d.common_rule), events=bool(d.events),
                   base_from=base[0], base_to=base[1],
                   flag_pct=FLAG_PCT if pct is None else pct,
                   flag_min=FLAG_MIN if least is None else least)


def _unusable(key: str, raw: str, seen: set[str], p: Param | None) -> str | None:
    """Why a query parameter is ignored before its value is read, or None."""
    shown = _clip(key)
    if len(raw) > MAX_PARAM:
        return f"Ignored '{shown}': value longer than {MAX_PARAM} characters."
    if key in seen:
        return f"Ignored a repeated '{shown}' parameter."
    seen.add(key)
    if p is None:
        return f"Ignored unknown parameter '{shown}'."
    return None


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


def parse_count(raw, bounds: tuple[int, int]) -> int | None:
    """A whole number (text, int or whole float) within `bounds`, else None."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()  # None, True and False are no digits
    if not re.fullmatch(r"[0-9]{1,7}", text):
        return None
    return int(text) if bounds[0] <= int(text) <= bounds[1] else None


def parse_min_killed(raw) -> int | None:
    """A positive whole number of at most 7 digits, else None (0 means no minimum)."""
    text = str(raw).strip() if raw is not None else ""
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not re.fullmatch(r"[0-9]{1,7}", text):
        return None
    return int(text) or None


def _resolve_list(name: str, raw: str, ref: Reference, known: list[str]
                  ) -> tuple[list[str], str | None]:
    """The canonical values named in a comma-separated list, and the unknown ones as one
    clipped text (None when all are known)."""
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
    return kept, ", ".join(_clip(d) for d in dropped) if dropped else None
