"""Data layer: read incident files, validate every row, return one typed dataframe.

Validation never stops at the first problem: each problem names the file, the line, the field,
the value and the reason. Rows in = rows accepted + rows rejected, always.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .reference import PAKISTAN_BOUNDS, VOCAB_FIELDS, Reference, load_reference, split_list

REQUIRED = (
    "incident_id", "date", "province", "district", "group", "attribution",
    "target_type", "attack_type", "killed", "injured", "source_urls",
)
OPTIONAL = (
    "collection", "location", "latitude", "longitude", "claimant_reported",
    "target_detail", "notes", "source_text",
)
COLUMNS = REQUIRED + OPTIONAL
DISTRICT_SEP = ";"
CATEGORICAL = ("province", "district", "group", "attribution", "target_type", "attack_type",
               "collection")
MAX_COUNT = 100_000  # killed or injured in one incident; above this a value is a typo
DEFAULT_DATA = (Path(__file__).resolve().parent.parent / "data" / "incidents.csv",)
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")


class DataFileError(Exception):
    """A file that cannot be read as a table at all (missing, empty, not a table, encoding)."""


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    field: str
    value: str
    reason: str
    rejects_row: bool = True

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        kind = "" if self.rejects_row else "note: "
        value = f" {self.value!r}" if self.value else ""
        return f"{where}: {kind}{self.field}{value}: {self.reason}"


@dataclass
class LoadResult:
    """What came out of one or more files."""

    incidents: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_in: int = 0
    file_errors: list[str] = field(default_factory=list)
    reports: list = field(default_factory=list)  # importers.ImportReport, one per ACLED/GTD file
    reference: Reference | None = None  # the gazetteer plus the placeholder districts used

    @property
    def accepted(self) -> int:
        return len(self.incidents)

    @property
    def rejected(self) -> int:
        return self.rows_in - self.accepted

    def summary(self) -> str:
        return f"{self.rows_in} rows: {self.accepted} accepted, {self.rejected} rejected"


# --------------------------------------------------------------------------- reading
def read_table(path: str | Path) -> tuple[pd.DataFrame, list[int]]:
    """Read CSV, Excel or Parquet as text cells plus the file line of each row.

    Raises DataFileError with a one-line reason when the file is not a readable table.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise DataFileError(f"{path}: the file is empty")
    limit = max_file_bytes()
    if size > limit:
        raise DataFileError(f"{path}: the file is {size / 2**20:,.0f} MB, larger than the "
                            f"{limit / 2**20:,.0f} MB size limit (set DASHBOARD_MAX_FILE_MB "
                            "to raise it)")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=object, engine="openpyxl")
            return _cells_to_text(frame), list(range(2, len(frame) + 2))
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return _cells_to_text(frame), list(range(1, len(frame) + 1))
    except Exception as exc:  # the readers raise many types for a broken file
        raise DataFileError(f"{path}: not a readable {suffix[1:]} table ({exc})") from None
    return _read_csv(path)


def max_file_bytes() -> int:
    """The largest data file read: DASHBOARD_MAX_FILE_MB, default 1024 MB (a million-row
    CSV is about 250 MB); a larger file is refused before it is read into memory."""
    raw = os.environ.get("DASHBOARD_MAX_FILE_MB", "").strip()
    megabytes = int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 1024
    return megabytes * 2**20


def _cells_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed cells (Excel, Parquet) as the text a CSV would hold; missing -> ''."""
    out = {}
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_datetime64_any_dtype(col):
            text = col.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(col):
            whole = col.notna() & np.isfinite(col) & (col % 1 == 0)
            text = col.astype(str).where(~whole, col[whole].astype("Int64").astype(str))
        elif (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)
              or pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty")):
            text = col.astype(str)
        else:  # mixed cells (Excel): one at a time
            text = col.map(_cell_text, na_action="ignore")
        out[str(c)] = text.where(col.notna(), "").astype(object)
    return pd.DataFrame(out, dtype=object)


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) \
            else v.isoformat()
    return str(v)


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[int]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
            "save the file as UTF-8"
        ) from None
    if "\x00" in text:
        raise DataFileError(f"{path}: binary data, not a CSV table")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise DataFileError(f"{path}: not a CSV table ({exc})") from None
    header = [h.strip() for h in header]
    if not any(header):
        raise DataFileError(f"{path}: the first line is blank; expected a header row")
    rows, lines, shape_problems = [], [], []
    start = reader.line_num + 1
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):  # blank line
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                shape_problems.append((start, (len(record), reader.line_num)))
                record = (record + [""] * len(header))[: len(header)]
            rows.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError(f"{path}: not a CSV table (line {reader.line_num}: {exc})") from None
    frame = pd.DataFrame(rows, columns=_unique(header), dtype=object)
    frame.attrs["shape_problems"] = {line: n for line, n in shape_problems}
    frame.attrs["header_width"] = len(header)
    return frame, lines


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        name = h or "unnamed"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}.{seen[name]}")
    return out


# --------------------------------------------------------------------------- validation
class _Collector:
    def __init__(self, source: str, lines: list[int], n: int):
        self.source, self.lines = source, lines
        self.bad = np.zeros(n, dtype=bool)
        self.problems: list[Problem] = []

    def add(self, row: int, field_: str, value: object, reason: str) -> None:
        self.bad[row] = True
        self.problems.append(Problem(self.source, self.lines[row], field_, str(value), reason))

    def note(self, line: int | None, field_: str, value: str, reason: str) -> None:
        self.problems.append(Problem(self.source, line, field_, value, reason, rejects_row=False))


def validate(frame: pd.DataFrame, lines: list[int], source: str,
             ref: Reference | None = None, today: date | None = None,
             require_url: bool = True) -> LoadResult:
    """Check every cell of a text frame; return accepted rows typed and all problems.

    With require_url=False (imported data), a row without a source URL is accepted when it
    names its sources in source_text.
    """
    ref = ref or load_reference()
    today = today or date.today()
    n = len(frame)
    out = _Collector(source, lines, n)
    frame = frame.copy()
    frame.columns = _canonical_columns(frame.columns, out)

    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        for c in missing:
            out.problems.append(Problem(source, 1, c, "", "required column missing from the header;"
                                        " every row is rejected"))
        return LoadResult(_empty_frame(), out.problems, rows_in=n)
    extra = [c for c in frame.columns if c not in COLUMNS]
    for c in extra:
        out.note(1, c, "", "unknown column: kept as text, not validated")
    for c in OPTIONAL:
        if c not in frame.columns:
            frame[c] = ""
    width = frame.attrs.get("header_width")
    for line, (count, last) in frame.attrs.get("shape_problems", {}).items():
        row = lines.index(line)
        spans = (f" and runs on to line {last}: an unclosed quote may have swallowed the "
                 "lines between") if last > line else ""
        out.add(row, "(row)", f"{count} fields",
                f"the header has {width} fields; this row has {count}{spans}")

    text = {c: frame[c].fillna("").astype(str).str.strip() for c in frame.columns}

    # incident_id: present and unique
    ids = text["incident_id"]
    for row in np.flatnonzero((ids == "").to_numpy()):
        out.add(row, "incident_id", "", "missing: every incident needs an id")
    first_line: dict[str, int] = {}
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        firsts = ids[~ids.duplicated(keep="first")]
        first_line = {v: lines[i] for i, v in zip(np.flatnonzero(~ids.duplicated().to_numpy()), firsts)}
        for row in np.flatnonzero(dup.to_numpy()):
            out.add(row, "incident_id", ids.iat[row],
                    f"duplicate: already used on line {first_line[ids.iat[row]]}")

    dates = _check_dates(text["date"], out, today)
    provinces = _check_lookup(text["province"], "province", ref.province_lookup, out)
    districts = _check_districts(text["district"], provinces, ref, out)
    vocab = {f: _check_lookup(text[f], f, ref.vocab[f], out) for f in VOCAB_FIELDS}
    killed = _check_count(text["killed"], "killed", out)
    injured = _check_count(text["injured"], "injured", out)
    lat, lon = _check_coordinates(text["latitude"], text["longitude"], provinces, ref, out)
    _check_urls(text["source_urls"], text["source_text"], require_url, out)
    collection = text["collection"].where(text["collection"] != "", Path(source).stem)

    keep = ~out.bad
    result = pd.DataFrame({
        "incident_id": ids,
        "date": dates,
        "province": provinces,
        "district": districts,
        **vocab,
        "killed": killed,
        "injured": injured,
        "latitude": lat,
        "longitude": lon,
        "collection": collection,
        **{c: text[c] for c in ("location", "claimant_reported", "target_detail", "notes")},
        "source_urls": text["source_urls"],
        "source_text": text["source_text"],
        **{c: text[c] for c in extra},
    })[keep].reset_index(drop=True)
    result["source_file"] = Path(source).name
    result["source_line"] = np.asarray(lines, dtype=np.int64)[keep] if n else np.array([], int)
    problems = sorted(out.problems, key=lambda p: (p.line or 0))
    return LoadResult(_typed(result), problems, rows_in=n)


def _canonical_columns(columns, out: _Collector) -> list[str]:
    """Header names matched to the schema case- and space-insensitively. A second column
    with the same name is kept as text under its own name, with a note."""
    names, taken = [], set()
    for original in (str(c).strip() for c in columns):
        key = original.lower()
        if key in COLUMNS and key not in taken:
            names.append(key)
            taken.add(key)
        elif key in COLUMNS:
            name = f"{original} (repeated column)"
            out.note(1, original, "", f"a second '{key}' column: the first is used; this one "
                                      f"is kept as text in '{name}'")
            names.append(name)
        else:
            names.append(original)
    return _unique(names)


def _check_dates(values: pd.Series, out: _Collector, today: date) -> pd.Series:
    parsed = pd.to_datetime(values.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    shape_ok = values.str.match(_DATE)
    for row in np.flatnonzero((parsed.isna() | ~shape_ok).to_numpy()):
        v = values.iat[row]
        if v == "":
            reason = "missing: give the date as YYYY-MM-DD"
        elif _DATE.match(v):
            reason = "not a real calendar date"
        else:
            reason = "not a date in YYYY-MM-DD form"
        out.add(row, "date", v, reason)
    future = parsed > pd.Timestamp(today)
    for row in np.flatnonzero(future.to_numpy(dtype=bool, na_value=False)):
        out.add(row, "date", values.iat[row], f"in the future (today is {today.isoformat()})")
    early = parsed < pd.Timestamp("1970-01-01")
    for row in np.flatnonzero(early.to_numpy(dtype=bool, na_value=False)):
        out.add(row, "date", values.iat[row], "before 1970: outside this dataset's scope")
    return parsed.dt.normalize()


def _check_lookup(values: pd.Series, name: str, lookup, out: _Collector) -> pd.Series:
    uniques = values.unique()
    resolved = {v: lookup.resolve(v) for v in uniques}
    mapped = values.map(resolved)
    for row in np.flatnonzero(mapped.isna().to_numpy()):
        v = values.iat[row]
        if v == "":
            out.add(row, name, v, f"missing: one of {', '.join(lookup.canonical)}")
            continue
        hint = lookup.suggest(v)
        reason = f"unknown {name}" + (f"; did you mean {hint!r}?" if hint else
                                      f"; expected one of {', '.join(lookup.canonical)}")
        out.add(row, name, v, reason)
    return mapped


def _check_districts(values: pd.Series, provinces: pd.Series, ref: Reference,
                     out: _Collector) -> pd.Series:
    """Resolve one district, or several separated by ';', each inside the row's province."""
    def resolve(raw: str, province: str | None) -> tuple[str | None, str | None]:
        if raw == "":
            return None, "missing: name the district (see data/districts.csv)"
        names = []
        for part in split_list(raw, DISTRICT_SEP):
            canon = ref.district_lookup.resolve(part)
            if canon is None:
                hint = ref.district_lookup.suggest(part)
                return None, (f"unknown district {part!r}" +
                              (f"; did you mean {hint!r}?" if hint else
                               "; not in the gazetteer data/districts.csv"))
            home = ref.districts.at[canon, "province"]
            if province is not None and home != province:
                return None, f"{canon} is in {home}, not in {province}"
            if canon not in names:
                names.append(canon)
        return f"{DISTRICT_SEP} ".join(names), None

    keys = pd.MultiIndex.from_arrays([values.astype(object),
                                      provinces.astype(object).where(provinces.notna(), None)])
    codes, uniques = pd.factorize(keys)
    answers = [resolve(raw, None if pd.isna(prov) else prov) for raw, prov in uniques]
    names = np.array([a[0] for a in answers], dtype=object)
    for code in (i for i, a in enumerate(answers) if a[1]):
        for row in np.flatnonzero(codes == code):
            out.add(row, "district", values.iat[row], answers[code][1])
    return pd.Series(names[codes], index=values.index, dtype=object)


def _check_count(values: pd.Series, name: str, out: _Collector) -> pd.Series:
    numbers = pd.to_numeric(values.where(values != ""), errors="coerce")
    for row in np.flatnonzero((numbers.isna() & (values != "")).to_numpy()):
        out.add(row, name, values.iat[row], "not a number (leave blank when unknown)")
    for row in np.flatnonzero((numbers < 0).fillna(False).to_numpy()):
        out.add(row, name, values.iat[row], "negative: a count cannot be below zero")
    frac = (numbers % 1 != 0) & numbers.notna() & np.isfinite(numbers)
    for row in np.flatnonzero(frac.to_numpy()):
        out.add(row, name, values.iat[row], "not a whole number")
    for row in np.flatnonzero((~np.isfinite(numbers) & numbers.notna()).to_numpy()):
        out.add(row, name, values.iat[row], "not a finite number")
    huge = (numbers > MAX_COUNT) & np.isfinite(numbers)
    for row in np.flatnonzero(huge.to_numpy()):
        out.add(row, name, values.iat[row], f"implausibly large for one incident "
                                            f"(over {MAX_COUNT:,})")
    clean = numbers.where(np.isfinite(numbers) & (numbers >= 0) & (numbers % 1 == 0)
                          & (numbers <= MAX_COUNT))
    return clean.astype("Float64").round().astype("Int64")


def _check_coordinates(lat_text: pd.Series, lon_text: pd.Series, provinces: pd.Series,
                       ref: Reference, out: _Collector) -> tuple[pd.Series, pd.Series]:
    lat = pd.to_numeric(lat_text.where(lat_text != ""), errors="coerce")
    lon = pd.to_numeric(lon_text.where(lon_text != ""), errors="coerce")
    min_lat, max_lat, min_lon, max_lon = PAKISTAN_BOUNDS
    given = ((lat_text != "") | (lon_text != "")).to_numpy()
    for row in np.flatnonzero(given):  # only rows that give a coordinate
        a, b = lat_text.iat[row], lon_text.iat[row]
        y, x = lat.iat[row], lon.iat[row]
        if (a == "") != (b == ""):
            out.add(row, "latitude" if a == "" else "longitude", "",
                    "give both latitude and longitude, or neither")
        elif np.isnan(y) or np.isnan(x):
            out.add(row, "latitude" if np.isnan(y) else "longitude",
                    a if np.isnan(y) else b, "not a number")
        elif not (min_lat <= y <= max_lat and min_lon <= x <= max_lon):
            out.add(row, "latitude", f"{a}, {b}", "outside Pakistan")
        elif not pd.isna(provinces.iat[row]) and not ref.inside_province(provinces.iat[row], y, x):
            out.note(out.lines[row], "latitude", f"{a}, {b}",
                     f"outside the box of {provinces.iat[row]}'s populated places in "
                     "data/provinces.csv: kept, but check the coordinate")
    return lat.astype("Float64"), lon.astype("Float64")


def _check_urls(values: pd.Series, texts: pd.Series, require_url: bool,
                out: _Collector) -> None:
    url = _URL.pattern.strip("^$")
    whole = rf"^{url}(?:\s*\|\s*{url})*$"
    ok = values.str.fullmatch(whole, case=False).fillna(False).to_numpy(dtype=bool)
    if not require_url:
        ok = ok | ((values == "") & (texts != "")).to_numpy(dtype=bool)
    needed = "a source URL" if require_url else "a source URL or a source_text"
    for row in np.flatnonzero(~ok):  # explain only the rows that fail
        cell = values.iat[row]
        urls = split_list(cell)
        if not urls:
            out.add(row, "source_urls", cell, f"missing: every incident needs {needed}")
            continue
        bad = next((u for u in urls if not _URL.match(u)), cell)
        out.add(row, "source_urls", bad, "not an http(s) URL")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for c in CATEGORICAL:
        frame[c] = frame[c].astype("category")
    for c in ("incident_id", "location", "claimant_reported", "target_detail", "notes",
              "source_urls", "source_text", "source_file"):
        frame[c] = frame[c].astype("string")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for c in ("killed", "injured"):
        frame[c] = frame[c].astype("Int64")
    for c in ("latitude", "longitude"):
        frame[c] = frame[c].astype("Float64")
    return frame


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
    frame["date"] = pd.Series([], dtype="datetime64[ns]")
    frame["source_file"] = pd.Series([], dtype=object)
    frame["source_line"] = pd.Series([], dtype="int64")
    return _typed(frame)


# --------------------------------------------------------------------------- entry points
def load_file(path: str | Path, ref: Reference | None = None, fmt: str = "auto") -> LoadResult:
    """Read and validate one file. Raises DataFileError if it is not a readable table.

    fmt: 'canonical', 'imported', 'acled', 'gtd', or 'auto' to tell by the file's columns
    (see dashboard/importers.py). ACLED and GTD exports are converted, then validated.
    """
    from . import importers  # importers builds on this module

    if fmt not in importers.FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(importers.FORMATS)}")
    frame, lines = read_table(path)
    if not len(frame.columns):
        raise DataFileError(f"{path}: no columns found")
    if not len(frame):
        raise DataFileError(f"{path}: a header but no data rows")
    fmt = importers.detect_format(frame.columns) if fmt == "auto" else fmt
    if fmt in importers.EXPORTS:
        return importers.load_export(frame, lines, str(path), fmt, ref)
    if fmt == "imported":
        return validate(frame, lines, str(path), importers.with_placeholders(
            ref or load_reference()), require_url=False)
    return validate(frame, lines, str(path), ref)


def load_files(paths, ref: Reference | None = None, fmt: str = "auto",
               duplicates: str = "keep") -> LoadResult:
    """Load several files; an unreadable file is reported and the others still load.

    An incident_id already accepted from an earlier file is rejected in the later one. Likely
    duplicates across files (importers.find_duplicates) are reported; with
    duplicates='drop-later' the later row of each pair is also dropped.
    """
    from . import importers  # importers builds on this module

    ref = ref or load_reference()
    frames, problems, rows_in, errors, reports = [], [], 0, [], []
    seen: dict[str, str] = {}
    sources: dict[str, str] = {}  # file name -> path as given
    for path in paths:
        try:
            result = load_file(path, ref, fmt)
        except DataFileError as exc:
            errors.append(str(exc))
            continue
        sources[Path(path).name] = str(path)
        reports.extend(result.reports)
        inc = result.incidents
        clash = inc["incident_id"].isin(list(seen)).to_numpy()
        for _, row in inc[clash].iterrows():
            problems.append(Problem(str(path), int(row.source_line), "incident_id",
                                    row.incident_id, f"duplicate: already loaded from "
                                    f"{seen[row.incident_id]}"))
        inc = inc[~clash]
        seen.update(dict.fromkeys(inc["incident_id"].tolist(), str(path)))
        frames.append(inc)
        problems.extend(result.problems)
        rows_in += result.rows_in
    if frames:
        incidents = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        incidents = _typed(incidents.astype({c: object for c in CATEGORICAL}))
    else:
        incidents = _empty_frame()
    incidents, likely = importers.likely_duplicates(incidents, sources,
                                                    drop=duplicates == "drop-later")
    problems.extend(likely)
    incidents = incidents.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)
    return LoadResult(incidents, problems, rows_in, errors, reports,
                      importers.reference_for(incidents, ref))


# --------------------------------------------------------------------------- the dataset
@dataclass
class Dataset:
    """Validated incidents plus the (incident, district) links used for district views."""

    incidents: pd.DataFrame
    links: pd.DataFrame
    reference: Reference
    load: LoadResult

    @classmethod
    def from_result(cls, result: LoadResult, ref: Reference | None = None) -> "Dataset":
        return cls(result.incidents, district_links(result.incidents),
                   ref or result.reference or load_reference(), result)

    # Numpy views of the columns, computed once: every update filters and counts on these.
    @cached_property
    def as_of(self) -> date | None:
        """Date of the newest incident."""
        return self.incidents["date"].max().date() if len(self.incidents) else None

    @cached_property
    def arrays(self) -> dict[str, np.ndarray]:
        inc = self.incidents
        dates = inc["date"].to_numpy()
        out = {
            "date": dates.astype("int64"),
            "year": dates.astype("datetime64[Y]").astype("int64"),
            "month": dates.astype("datetime64[M]").astype("int64"),
            "killed": inc["killed"].to_numpy(dtype="float64", na_value=np.nan),
            "injured": inc["injured"].to_numpy(dtype="float64", na_value=np.nan),
            "link_row": self.links["row"].to_numpy(),
            "link_district": self.links["district"].cat.codes.to_numpy().astype(np.int64),
        }
        for column in ("province", "group", "attribution", "target_type", "attack_type",
                       "collection"):
            out[column] = inc[column].cat.codes.to_numpy().astype(np.int64)
        for column in ("killed", "injured"):  # known values (unknown as 0) and unknown flags
            unknown = np.isnan(out[column])
            out[f"{column}_known"] = np.where(unknown, 0.0, out[column])
            out[f"{column}_unknown"] = unknown.astype("float64")
        return out

    def isin(self, column: str, values) -> np.ndarray:
        """Rows whose categorical `column` is one of `values`, through the category codes."""
        series = self.links["district"] if column == "link_district" else self.incidents[column]
        categories = series.cat.categories
        lut = np.zeros(len(categories) + 1, dtype=bool)  # code -1 (missing) -> last, False
        found = categories.get_indexer(list(values))
        lut[found[found >= 0]] = True
        return lut[self.arrays[column]]

    def rows_in_districts(self, districts) -> np.ndarray:
        hit = self.isin("link_district", districts)
        keep = np.zeros(len(self.incidents), dtype=bool)
        keep[self.arrays["link_row"][hit]] = True
        return keep

    def values(self, column: str) -> list[str]:
        """The values of a column present in the data (district: every linked district)."""
        memo = self.__dict__.setdefault("_values", {})
        if column not in memo:
            series = self.links["district"] if column == "district" else self.incidents[column]
            memo[column] = sorted(str(v) for v in series.dropna().unique())
        return memo[column]


def load_dataset(paths=DEFAULT_DATA) -> Dataset:
    return Dataset.from_result(load_files(paths))


def district_links(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per (incident, district): a multi-district incident appears once per district."""
    district = incidents["district"].astype(str)
    multi = district.str.contains(DISTRICT_SEP, regex=False).to_numpy()
    rows = np.arange(len(incidents))
    single = pd.DataFrame({"row": rows[~multi], "district": district[~multi].to_numpy()})
    parts = district[multi].str.split(DISTRICT_SEP)
    exploded = pd.DataFrame({"row": np.repeat(rows[multi], parts.str.len().to_numpy()),
                             "district": [p.strip() for ps in parts for p in ps]})
    links = pd.concat([single, exploded], ignore_index=True).sort_values("row", kind="stable")
    links["district"] = links["district"].astype("category")
    return links.reset_index(drop=True)
