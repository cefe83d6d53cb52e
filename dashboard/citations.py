"""Citations that read: per source URL the outlet, a date, the page's title where known and
the URL decoded for reading; one function for the slides, sources.md and the incident dialog.

The outlet comes from the URL's host (``data/outlets.csv``, host -> outlet name; a host not
listed is shown as itself); the page's title and publication date from ``data/sources.csv``
(url -> title, published), filled only where a stored copy of the page gave them. Without a
page date the citation carries the incident's date, and says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from .paths import DATA_DIR
from .reference import split_list

OUTLETS = DATA_DIR / "outlets.csv"
SOURCES = DATA_DIR / "sources.csv"


@dataclass(frozen=True)
class Citation:
    outlet: str
    date_text: str  # "published 13 Nov 2016" (the page's) or "incident of 12 Nov 2016"
    title: str  # the page's title, "" where not known
    url: str  # the URL as cited (the link's target)
    shown: str  # the URL decoded for reading (the link's text)
    is_link: bool  # an http(s) URL: shown as a link

    def text(self) -> str:
        """'Dawn, incident of 12 Nov 2016: "Title"' (without the URL)."""
        title = f": \u201c{self.title}\u201d" if self.title else ""
        return f"{self.outlet}, {self.date_text}{title}"


def host(url: str) -> str:
    """The URL's host, lower case, without 'www.' or a trailing dot ('' if none or if the
    URL cannot be parsed, e.g. an unclosed '[')."""
    try:
        name = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""
    return name[4:] if name.startswith("www.") else name


@lru_cache(maxsize=4)
def _table(path: Path, key: str) -> dict[str, dict[str, str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return {row[key]: row for row in frame.to_dict("records")}


def outlet(url: str, outlets: Path = OUTLETS) -> str:
    name = host(url)
    row = _table(outlets, "host").get(name)
    return row["outlet"] if row else (name or "source")


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def cite(url: str, incident_date, outlets: Path = OUTLETS,
         sources: Path = SOURCES) -> Citation:
    """One source URL of an incident as a citation."""
    known = _table(sources, "url").get(url, {})
    published = known.get("published", "")
    when = (f"published {_day(date.fromisoformat(published))}" if published
            else f"incident of {_day(pd.Timestamp(incident_date).date())}")
    return Citation(outlet=outlet(url, outlets), date_text=when, title=known.get("title", ""),
                    url=url, shown=unquote(url, errors="replace"),
                    is_link=url.lower().startswith(("http://", "https://")))


def incident_citations(row) -> list[Citation]:
    """The citations of one incident (a row of the incidents table), in the cited order."""
    return [cite(url, row["date"]) for url in split_list(row["source_urls"])]


def heading(row) -> str:
    """An incident's line above its citations: id, date, district, group."""
    return (f"{row['incident_id']}: {_day(pd.Timestamp(row['date']).date())}, "
            f"{row['district']}, {row['group']}")
