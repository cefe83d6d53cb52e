"""What every export format shares: the converter that maps values row by row and records
each answer, the conversion's result, the import report, and the source and note helpers.

A value no table maps is kept visible: the group becomes Other (Unknown when blank), target
and attack Other, an unresolved district its province's placeholder; the report lists each such
value. A row is rejected only when it cannot be placed in one of the four provinces or dated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from ..data.schema import URL, Problem
from ..reference import Reference, fold
from .mapping import TABLES, Table, load_placeholders

REPORT_FIELDS = ("group", "attribution", "target_type", "attack_type", "province", "district")
FLAGS = {"unmapped": ": unmapped", "blank": ": blank in the export"}  # report, by status
_CITED_URL = re.compile(r"https?://[^\s|<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, the columns read (others are ignored), the columns that
    tell it apart, what its values mean (in every row's notes and the report), and the
    function that turns one of its rows into a canonical row (None: rejected)."""

    key: str
    name: str
    columns: tuple[str, ...]
    signature: frozenset[str]
    caveats: tuple[tuple[str, str], ...]
    row: Callable[["Converter", dict[str, str], int], dict | None]


@dataclass
class Conversion:
    """An export as canonical text rows, plus the rows it rejected and every value it mapped."""

    fmt: ExportFormat
    frame: pd.DataFrame
    lines: list[int]
    rejections: list[Problem]
    mapped: pd.DataFrame  # line, field, raw, value, status ('mapped', 'unmapped', 'blank')

    def report(self, source: str, rows_read: int, accepted: pd.DataFrame) -> "ImportReport":
        """Counts over the rows that passed validation too (`accepted`, as validate gives)."""
        kept = self.mapped[self.mapped["line"].isin(set(accepted["source_line"].tolist()))]
        counts = (kept.groupby(["field", "raw", "value", "status"], sort=False).size()
                  .rename("rows").reset_index())
        order = {f: i for i, f in enumerate(REPORT_FIELDS)}
        counts = counts.sort_values(["field", "rows", "raw"], ascending=[True, False, True],
                                    key=lambda s: s.map(order) if s.name == "field" else s)
        return ImportReport(source, self.fmt, rows_read, len(accepted),
                            int((accepted["source_urls"] != "").sum()),
                            counts.reset_index(drop=True))


@dataclass
class ImportReport:
    """What one export became: rows read and converted, and each value mapped, by field."""

    source: str
    fmt: ExportFormat
    rows_read: int
    converted: int
    with_url: int  # converted rows citing at least one URL; the others name sources in text
    mappings: pd.DataFrame  # field, raw, value, status, rows

    @property
    def rejected(self) -> int:
        return self.rows_read - self.converted

    def problems(self) -> list[Problem]:
        """File-level notes: the format's caveats, then each value no table maps."""
        notes = [Problem(self.source, None, field_, "", caveat, rejects_row=False)
                 for field_, caveat in self.fmt.caveats]
        for r in self.mappings[self.mappings["status"] == "unmapped"].itertuples():
            notes.append(Problem(self.source, None, r.field, r.raw,
                                 f"unmapped: set to {r.value!r} ({_rows(r.rows)}); add it to "
                                 f"data/mappings/{TABLES[r.field]}.csv", rejects_row=False))
        return notes

    def lines(self) -> list[str]:
        out = [f"Mapping report: {self.source} ({self.fmt.name})",
               f"  {self.rows_read} rows read: {self.converted} converted, "
               f"{self.rejected} rejected",
               f"  sources: {self.with_url} rows cite a URL; {self.converted - self.with_url} "
               "name their sources in source_text only (no URL)",
               *(f"  caveat: {caveat}" for _, caveat in self.fmt.caveats)]
        for field_, part in self.mappings.groupby("field", sort=False):
            out.append(f"  {field_}:")
            for r in part.itertuples():
                raw = repr(r.raw) if r.raw else "(blank)"
                flag = FLAGS.get(r.status, "")
                out.append(f"    {raw} -> {r.value} ({_rows(r.rows)}){flag}")
        return out


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


class Converter:
    """Resolves one export's values to ours, row by row, recording every answer."""

    def __init__(self, fmt: str, source: str, ref: Reference, tables: dict[str, Table]):
        self.fmt, self.source, self.ref, self.tables = fmt, source, ref, tables
        self.mapped: list[tuple[int, str, str, str, str]] = []
        self.rejections: list[Problem] = []

    def reject(self, line: int, column: str, value: str, reason: str) -> None:
        self.rejections.append(Problem(self.source, line, column, value, reason))

    def value(self, field_: str, candidates: list[str], fallback: str, line: int,
              notes: list[str], blank: str | None = None) -> str:
        """The first candidate a mapping table or our vocabulary knows; else the fallback
        (or `blank` when no candidate has a value and the table has no row for a blank)."""
        given = [c for c in candidates if c] or [""]
        for raw in given:
            ours = self.tables[field_].get(self.fmt, raw) or (
                raw and self.ref.vocab[field_].resolve(raw))
            if ours:
                self.mapped.append((line, field_, raw, ours, "mapped"))
                return ours
        if given == [""]:
            ours = blank or fallback
            self.mapped.append((line, field_, "", ours, "blank"))
            return ours
        raw = "; ".join(given)
        self.mapped.append((line, field_, raw, fallback, "unmapped"))
        notes.append(f"{field_} {raw!r} not in {self.tables[field_].name}: set to {fallback}")
        return fallback

    def province(self, raw: str, column: str, line: int) -> str | None:
        ours = (self.tables["province"].get(self.fmt, raw)
                or self.ref.province_lookup.resolve(raw))
        if ours:
            self.mapped.append((line, "province", raw, ours, "mapped"))
            return ours
        covered = ", ".join(self.ref.province_lookup.canonical)
        self.reject(line, column, raw, "missing: the province is needed to place the row"
                    if not raw else f"not one of the provinces the gazetteer covers ({covered})")
        return None

    def district(self, province: str, candidates: list[tuple[str, str]], line: int,
                 notes: list[str]) -> str:
        """The first candidate that is a district of the row's province; else a placeholder."""
        homes = self.ref.districts["province"]
        for _, raw in candidates:
            if not raw:
                continue
            ours = self.tables["district"].get(self.fmt, raw)
            if ours is None:
                ours = self.ref.district_lookup.resolve(raw)
            if ours and homes.get(ours) == province:
                self.mapped.append((line, "district", raw, ours, "mapped"))
                return ours
        raw = next((r for _, r in candidates if r), "")
        own = homes.index[homes == province]
        if len(own) == 1:  # Islamabad: the territory is one district
            self.mapped.append((line, "district", raw, own[0], "mapped"))
            return own[0]
        ours = load_placeholders().at[province, "district"]
        self.mapped.append((line, "district", raw, ours, "unmapped"))
        given = ", ".join(f"{column} {r!r}" for column, r in candidates if r) or "none given"
        notes.append(f"district not resolved in {province} ({given}): set to {ours!r}")
        return ours


def whole(text: str) -> int | None:
    """A whole number written in a cell ('3', '3.0'), else None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def sources(citations: list[str], notes: list[str]) -> dict[str, str]:
    """http(s) URLs found in the citations, and the citations in full as source_text."""
    cited = [c for c in citations if c]
    urls = []
    for text in cited:
        for found in _CITED_URL.findall(text):
            url = found.rstrip(".,;:)]")
            if URL.match(url) and url not in urls:
                urls.append(url)
    text = " | ".join(cited)
    if text and not urls:
        notes.append(f"Sources as cited (no URL): {text.rstrip('.')}.")
    return {"source_urls": " | ".join(urls), "source_text": text}


def detail(name: str, *parts: str) -> str:
    """The export's own target wording, kept beside our target type."""
    given = " / ".join(p for p in parts if p)
    return f"{name} {given}" if given else ""


def with_notes(original: str, notes: list[str]) -> str:
    """The export's own notes, then each of ours tagged [import]."""
    return " ".join([original, *(f"[import] {n}" for n in notes)]).strip()


def caveat_notes(fmt: ExportFormat) -> list[str]:
    return [f"{caveat}." for _, caveat in fmt.caveats]
