"""Key events (data/events.csv): the turning points drawn on the timeline and the comparison by
year, each cited like an incident. Read with the incidents' readers and checked cell by cell:
every problem names the file, the line, the field and the reason, and rejects its row."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..paths import DATA_DIR
from ..reference import split_list
from .readers import read_table
from .schema import URL, DataFileError, Problem

DEFAULT_EVENTS = DATA_DIR / "events.csv"
COLUMNS = ("date", "date_precision", "title", "detail", "kind", "source_urls")
KINDS = ("military_operation", "announcement", "designation", "regional", "ceasefire",
         "political")
PRECISIONS = ("day", "month", "year")
MAX_TITLE = 30  # characters: the label on a chart


def empty_events() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
    frame["date"] = pd.Series([], dtype="datetime64[ns]")
    frame["sources"] = pd.Series([], dtype=object)
    return frame


def _date_problem(text: str, today: date) -> str | None:
    """Why a date cell is not a usable event date, or None."""
    if not text:
        return "missing: give the date as YYYY-MM-DD"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return "not a date in YYYY-MM-DD form"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return "not a real calendar date"
    return f"in the future (today is {today.isoformat()})" if day > today else None


def row_problems(row: dict[str, str], today: date) -> list[tuple[str, str, str]]:
    """(field, value, reason) for every problem of one event row (cells stripped)."""
    out = []
    reason = _date_problem(row["date"], today)
    if reason:
        out.append(("date", row["date"], reason))
    if row["date_precision"] not in PRECISIONS:
        out.append(("date_precision", row["date_precision"],
                    "not one of " + ", ".join(PRECISIONS)))
    if not row["title"]:
        out.append(("title", "", "missing: every event needs a title (its chart label)"))
    elif len(row["title"]) > MAX_TITLE:
        out.append(("title", row["title"], f"{len(row['title'])} characters, longer than "
                                           f"{MAX_TITLE} (the label on a chart)"))
    if not row["detail"]:
        out.append(("detail", "", "missing: say what happened (shown on hover)"))
    if row["kind"] not in KINDS:
        out.append(("kind", row["kind"], "unknown kind: use one of " + ", ".join(KINDS)))
    urls = split_list(row["source_urls"])
    if not urls:
        out.append(("source_urls", "", "missing: every event needs a source URL"))
    bad = [u for u in urls if not URL.match(u)]
    if bad:
        out.append(("source_urls", bad[0], "not an http(s) URL"))
    return out


def load_events(path: str | Path = DEFAULT_EVENTS, today: date | None = None
                ) -> tuple[pd.DataFrame, list[Problem]]:
    """The accepted events (oldest first; `sources` a list of URLs) and every problem.
    Raises DataFileError when the file cannot be read or lacks a column."""
    raw = read_table(path)
    missing = [c for c in COLUMNS if c not in raw.frame.columns]
    if missing:
        raise DataFileError(f"{path}: column(s) missing from the header: {', '.join(missing)}")
    today = today or date.today()
    kept, problems = [], []
    for line, cells in zip(raw.lines, raw.frame.to_dict("records")):
        row = {c: str(cells[c] or "").strip() for c in COLUMNS}
        found = row_problems(row, today)
        problems += [Problem(str(path), line, f, v, r) for f, v, r in found]
        if not found:
            kept.append(dict(row, sources=split_list(row["source_urls"])))
    if not kept:
        return empty_events(), problems
    events = pd.DataFrame(kept)
    events["date"] = pd.to_datetime(events["date"]).astype("datetime64[ns]")
    return events.sort_values(["date", "title"], kind="stable").reset_index(drop=True), problems


def load_events_reported(path: str | Path) -> tuple[pd.DataFrame, list[Problem], str | None]:
    """(the accepted events, every problem, the file's error or None): an unreadable file
    means no events, said once, never a crash."""
    try:
        return (*load_events(path), None)
    except DataFileError as exc:
        return empty_events(), [], str(exc)


@lru_cache(maxsize=1)
def shipped_events() -> pd.DataFrame:
    """The shipped events that pass validation (the app logs any problem: app.py)."""
    return load_events()[0]
