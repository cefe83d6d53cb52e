"""What every export format shares: the converter that maps values row by row and records
each answer, the conversion's result, the import report, and the source and note helpers.

A value no table maps is kept visible: a group no table knows keeps its own (normalised)
name, target and attack become Other, an unresolved district its province's placeholder; the
report lists each such value. A row with a latitude and longitude inside one of the district
polygons of assets/geo/ is placed by the point, its names only a cross-check. A row outside the
four provinces (another country, Punjab) or, for ACLED, not an attack by a non-state armed group
is left out and counted by reason; a row is rejected only when it is in scope but cannot be
placed or dated. Rows in = converted + left out + rejected.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from ..data.schema import URL, Problem
from ..reference import PAKISTAN_BOUNDS, Reference, fold
from .mapping import TABLES, Table, load_placeholders
from .places import Polygons, load_polygons

REPORT_FIELDS = ("group", "attribution", "target_type", "attack_type", "province", "district")
FLAGS = {"unmapped": ": unmapped", "blank": ": blank in the export",
         "kept": ": kept under its own name (not in data/mappings/groups.csv)",
         "coordinates": ": from the coordinates",
         "not an attack": ": not an attack, kept by --acled-events all"}  # report, by status
OUTSIDE = "outside the covered provinces"
SHOWN = 12  # values listed per field (and rejected rows) before '... and N more'
_CITED_URL = re.compile(r"https?://[^\s|<>\"']+", re.IGNORECASE)
_COUNTRY_SUFFIX = re.compile(r"\s*\(pakistan\)\s*$", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+(district|agency|tribal agency|tehsil|city|town)$", re.IGNORECASE)


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, the columns read (others are ignored; 'a|b' takes the
    first present of several spellings; `optional` ones may be absent), the columns that tell
    it apart, what its values mean (in every row's notes and the report), and the function that
    turns one of its rows into a canonical row (None: left out or rejected)."""

    key: str
    name: str
    columns: tuple[str, ...]
    signature: frozenset[str]
    caveats: tuple[tuple[str, str], ...]
    row: Callable[["Converter", dict[str, str], int], dict | None]
    optional: tuple[str, ...] = ()
    variant: Callable[[set[str]], str] | None = None  # the name of the export's vintage


@dataclass
class Conversion:
    """An export as canonical text rows, plus the rows it left out or rejected and every value
    it mapped."""

    fmt: ExportFormat
    name: str  # the format's name with its vintage, e.g. 'ACLED (before the 2019 change)'
    frame: pd.DataFrame
    lines: list[int]
    rejections: list[Problem]
    mapped: pd.DataFrame  # line, field, raw, value, status ('mapped', 'unmapped', 'blank', ...)
    left_out: pd.DataFrame  # line, reason, detail
    placed: pd.DataFrame  # line, how ('coordinates', 'names'), disagreement ('' when none)

    def report(self, source: str, rows_read: int, accepted: pd.DataFrame,
               problems: list[Problem]) -> "ImportReport":
        """Counts over the rows that passed validation too (`accepted`, as validate gives)."""
        lines = set(accepted["source_line"].tolist())
        kept = self.mapped[self.mapped["line"].isin(lines)]
        counts = (kept.groupby(["field", "raw", "value", "status"], sort=False).size()
                  .rename("rows").reset_index())
        order = {f: i for i, f in enumerate(REPORT_FIELDS)}
        counts = counts.sort_values(["field", "rows", "raw"], ascending=[True, False, True],
                                    key=lambda s: s.map(order) if s.name == "field" else s)
        left = (self.left_out.groupby(["reason", "detail"], sort=False).size().rename("rows")
                .reset_index().sort_values(["reason", "rows", "detail"],
                                           ascending=[True, False, True]))
        placed = self.placed[self.placed["line"].isin(lines)]
        return ImportReport(source, self.fmt, rows_read, len(accepted),
                            int((accepted["source_urls"] != "").sum()),
                            counts.reset_index(drop=True), name=self.name,
                            left_out=left.reset_index(drop=True),
                            rejections=[p for p in problems if p.rejects_row and p.line],
                            placed=placed.reset_index(drop=True))


@dataclass
class ImportReport:
    """What one export became: rows read, converted, left out (by reason) and rejected (each
    with its line), how rows were placed, and each value mapped, by field."""

    source: str
    fmt: ExportFormat
    rows_read: int
    converted: int
    with_url: int  # converted rows citing at least one URL; the others name sources in text
    mappings: pd.DataFrame  # field, raw, value, status, rows
    name: str = ""
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["reason", "detail", "rows"]))
    rejections: list[Problem] = field(default_factory=list)
    placed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["line", "how", "disagreement"]))

    @property
    def left_out_rows(self) -> int:
        return int(self.left_out["rows"].sum()) if len(self.left_out) else 0

    @property
    def rejected(self) -> int:
        return self.rows_read - self.converted - self.left_out_rows

    def problems(self) -> list[Problem]:
        """File-level notes: the format's caveats, then each value no table maps."""
        notes = [Problem(self.source, None, field_, "", caveat, rejects_row=False)
                 for field_, caveat in self.fmt.caveats]
        for r in self.mappings[self.mappings["status"].isin(["unmapped", "kept"])].itertuples():
            what = (f"kept under its own name ({_rows(r.rows)}); to map it onto a known group, "
                    if r.status == "kept" else f"unmapped: set to {r.value!r} ({_rows(r.rows)}); ")
            notes.append(Problem(self.source, None, r.field, r.raw,
                                 f"{what}add it to data/mappings/{TABLES[r.field]}.csv",
                                 rejects_row=False))
        return notes

    def summary_lines(self) -> list[str]:
        """The counts: rows read = converted + left out (by reason) + rejected."""
        out = [f"  {self.rows_read:,} rows read: {self.converted:,} converted, "
               f"{self.left_out_rows:,} left out, {self.rejected:,} rejected"]
        for reason, part in self.left_out.groupby("reason"):  # sorted by reason
            details = [f"{d} {n:,}" for d, n in zip(part["detail"], part["rows"])]
            shown = "; ".join(details[:SHOWN]) + (
                f"; ... and {len(details) - SHOWN} more" if len(details) > SHOWN else "")
            out.append(f"  left out, {reason} ({_rows(int(part['rows'].sum()))}): {shown}")
        return out

    def lines(self) -> list[str]:
        out = [f"Mapping report: {self.source} ({self.name or self.fmt.name})",
               *self.summary_lines()]
        if self.rejections:
            out.append(f"  rejected ({_rows(self.rejected)}), by line:")
            out += [f"    {p}" for p in self.rejections[:SHOWN]]
            if len(self.rejections) > SHOWN:
                out.append(f"    ... and {len(self.rejections) - SHOWN} more problems "
                           "(--report FILE lists every row)")
        if len(self.placed):
            how = self.placed["how"].value_counts()
            disagree = int((self.placed["disagreement"] != "").sum())
            out.append(f"  places: {how.get('coordinates', 0):,} rows placed by their "
                       f"coordinates, {how.get('names', 0):,} by their names; {disagree:,} "
                       "where the names disagree with the coordinates (in each row's notes)")
        out += [f"  sources: {self.with_url} rows cite a URL; {self.converted - self.with_url} "
                "name their sources in source_text only (no URL)",
                *(f"  caveat: {caveat}" for _, caveat in self.fmt.caveats)]
        for field_, part in self.mappings.groupby("field", sort=False):
            out.append(f"  {field_}:")
            for r in part.head(SHOWN).itertuples():
                raw = repr(r.raw) if r.raw else "(blank)"
                flag = FLAGS.get(r.status, "")
                out.append(f"    {raw} -> {r.value} ({_rows(r.rows)}){flag}")
            if len(part) > SHOWN:
                rest = part.iloc[SHOWN:]
                out.append(f"    ... and {len(rest)} more values ({_rows(int(rest['rows'].sum()))}"
                           f"{', ' + str(int(rest['status'].isin(['unmapped', 'kept']).sum())) + ' of them unmapped or kept' if rest['status'].isin(['unmapped', 'kept']).any() else ''}"
                           "; --report FILE lists every row)")
        return out


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def group_name(raw: str) -> str:
    """A group name as the export gives it, spacing tidied and ACLED's ' (Pakistan)' dropped."""
    return _COUNTRY_SUFFIX.sub("", " ".join(raw.split()))


class Converter:
    """Resolves one export's values to ours, row by row, recording every answer."""

    def __init__(self, fmt: str, source: str, ref: Reference, tables: dict[str, Table],
                 polygons: Polygons | None = None, options: dict | None = None):
        self.fmt, self.source, self.ref, self.tables = fmt, source, ref, tables
        self.polygons = polygons or load_polygons()
        self.options = options or {}
        self.mapped: list[tuple[int, str, str, str, str]] = []
        self.rejections: list[Problem] = []
        self.left_out: list[tuple[int, str, str]] = []
        self.placed: list[tuple[int, str, str]] = []
        self.homes = dict(zip(ref.districts.index, ref.districts["province"]))  # district -> province
        self.placeholders = dict(zip(load_placeholders()["province"],
                                     load_placeholders()["district"]))
        self._resolved: dict[str, str | None] = {}

    def reject(self, line: int, column: str, value: str, reason: str) -> None:
        self.rejections.append(Problem(self.source, line, column, value, reason))

    def leave_out(self, line: int, reason: str, detail: str) -> None:
        """Out of scope (another country or province, not an attack): counted, not listed.
        A problem the row's cells had before it was known to be out of scope (a precision
        code) goes with it: a row is either left out or rejected, never both."""
        while self.rejections and self.rejections[-1].line == line:
            self.rejections.pop()
        self.left_out.append((line, reason, detail))

    def value(self, field_: str, candidates: list[str], fallback: str, line: int,
              notes: list[str], blank: str | None = None, keep: bool = False) -> str:
        """The first candidate a mapping table or our vocabulary knows; else the fallback
        (or `blank` when no candidate has a value and the table has no row for a blank; or,
        with `keep`, the first candidate under its own normalised name)."""
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
        if keep:
            ours = group_name(given[0])
            self.mapped.append((line, field_, raw, ours, "kept"))
            notes.append(f"{field_} {raw!r} not in {self.tables[field_].name}: kept as {ours!r}")
            return ours
        self.mapped.append((line, field_, raw, fallback, "unmapped"))
        notes.append(f"{field_} {raw!r} not in {self.tables[field_].name}: set to {fallback}")
        return fallback

    def _province_named(self, raw: str) -> str | None:
        return self.tables["province"].get(self.fmt, raw) or self.ref.province_lookup.resolve(raw)

    def place(self, line: int, country: str, province: tuple[str, str],
              names: list[tuple[str, str]], lat: str, lon: str,
              notes: list[str]) -> tuple[str, str] | None:
        """(province, district) of a row, or None when it is left out or rejected.

        Another country: left out. A point inside a district polygon: that polygon's province
        and district, the names a cross-check (a disagreement goes in the notes). Otherwise
        the names: a province outside the four is left out, a missing one rejected."""
        column, raw = province
        if country and fold(country) != "pakistan":
            self.leave_out(line, OUTSIDE, country)
            return None
        named = self._province_named(raw) if raw else None
        polygon = self._polygon(lat, lon)
        if polygon is None:
            if named is None:
                if raw:
                    self.leave_out(line, OUTSIDE, f"{country or 'Pakistan'} / {raw}")
                else:
                    self.reject(line, column, raw, "missing: the province is needed to place "
                                "the row (and it has no coordinate inside a district polygon)")
                return None
            self.mapped.append((line, "province", raw, named, "mapped"))
            self.placed.append((line, "names", ""))
            return named, self.district(named, names, line, notes)
        ours = polygon.province
        disagree = []
        if raw and named != ours:
            disagree.append(f"{column} {raw!r} names {named or 'a province outside the four'}")
        self.mapped.append((line, "province", raw, ours,
                            "mapped" if named == ours else "coordinates"))
        by_name = self._named_district(ours, names)
        district = self._district_in(polygon, ours, by_name, notes)
        if by_name and by_name not in (*polygon.districts, *polygon.vague):
            col, given = next((c, r) for c, r in names if r and self._resolve(r) == by_name)
            disagree.append(f"{col} {given!r} names {by_name}")
        raw_name = next((r for _, r in names if r and district == by_name
                         and self._resolve(r) == by_name), next((r for _, r in names if r), ""))
        status = ("unmapped" if district.startswith("Unknown district") else
                  "mapped" if district == by_name else "coordinates")
        self.mapped.append((line, "district", raw_name, district, status))
        where = f"{lat}, {lon}"
        if disagree:
            notes.append(f"placed by its coordinates ({where}) in {district}, {ours}; "
                         f"{'; '.join(disagree)}.")
        self.placed.append((line, "coordinates", "; ".join(disagree)))
        return ours, district

    def _district_in(self, polygon, province: str, by_name: str | None,
                     notes: list[str]) -> str:
        """The district of a point in `polygon`: its one district, else the one the names
        give, else the polygon's own (with a note), else the province's placeholder."""
        if by_name and by_name in polygon.vague:
            notes.append(f"the point lies in the {polygon.name} polygon, but the name says only "
                         f"{by_name} (city-wide coordinates): kept as {by_name}.")
            return by_name
        if len(polygon.districts) == 1:
            return polygon.districts[0]
        if by_name in polygon.districts:
            return by_name
        if polygon.own:
            notes.append(f"the point lies in the {polygon.name} polygon, which also holds "
                         f"{', '.join(d for d in polygon.districts if d != polygon.own)} "
                         f"({polygon.note}); set to {polygon.own}.")
            return polygon.own
        district = self.placeholders[province]
        notes.append(f"the point lies in the {polygon.name} polygon, which holds "
                     f"{' and '.join(polygon.districts)} ({polygon.note}); the names do not "
                     f"say which: set to {district!r}.")
        return district

    def _polygon(self, lat: str, lon: str):
        try:
            y, x = float(lat), float(lon)
        except ValueError:
            return None
        min_lat, max_lat, min_lon, max_lon = PAKISTAN_BOUNDS
        if not (min_lat <= y <= max_lat and min_lon <= x <= max_lon):
            return None
        return self.polygons.locate(y, x)

    def _resolve(self, raw: str) -> str | None:
        """A district name: the mapping table, the gazetteer, then without a trailing
        'district', 'agency', ... ('' = deliberately not resolved)."""
        if raw in self._resolved:
            return self._resolved[raw]
        self._resolved[raw] = self._lookup(raw)
        return self._resolved[raw]

    def _lookup(self, raw: str) -> str | None:
        for text in dict.fromkeys([raw, _SUFFIX.sub("", raw.strip())]):
            ours = self.tables["district"].get(self.fmt, text)
            if ours is None:
                ours = self.ref.district_lookup.resolve(text)
            if ours is not None:
                return ours
        return None

    def _named_district(self, province: str, candidates: list[tuple[str, str]]) -> str | None:
        homes = self.homes
        for _, raw in candidates:
            ours = self._resolve(raw) if raw else None
            if ours and homes.get(ours) == province:
                return ours
        return None

    def district(self, province: str, candidates: list[tuple[str, str]], line: int,
                 notes: list[str]) -> str:
        """The first candidate that is a district of the row's province; else a placeholder."""
        ours = self._named_district(province, candidates)
        if ours:
            raw = next(r for _, r in candidates if r and self._resolve(r) == ours)
            self.mapped.append((line, "district", raw, ours, "mapped"))
            return ours
        raw = next((r for _, r in candidates if r), "")
        own = [d for d, home in self.homes.items() if home == province]
        if len(own) == 1:  # Islamabad: the territory is one district
            self.mapped.append((line, "district", raw, own[0], "mapped"))
            return own[0]
        ours = self.placeholders[province]
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


def precision(conv: Converter, line: int, column: str, raw: str,
              codes: dict[int, str]) -> str | None:
    """An export's precision code as our value ('' when blank: unknown); None when the code is
    not one the export defines (the row is rejected, naming the column and the codes)."""
    if raw.strip() == "":
        return ""
    ours = codes.get(whole(raw))
    if ours is None:
        known = ", ".join(f"{k} ({v})" for k, v in codes.items())
        conv.reject(line, column, raw, f"not a {column} code: expected {known}")
    return ours


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
