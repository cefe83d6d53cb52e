"""Row validation: every cell of a raw table checked; accepted rows typed, every problem kept.

Validation never stops at the first problem: each problem names the file, the line, the field,
the value and the reason. Rows in = rows accepted + rows rejected, always.

The checks work on columns, not rows: every cell is text held as a categorical, a check that
depends on one cell alone runs once per distinct value (`_per_value`), and only the rows found
bad get a message.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..reference import (PAKISTAN_BOUNDS, PRECISION_FIELDS, VOCAB_FIELDS, Reference,
                         load_reference, split_list)
from .readers import text_categorical, unique_names
from .schema import (BOUNDS, COLUMNS, DISTRICT_SEP, MAX_COUNT, OPTIONAL, REQUIRED, URL,
                     LoadResult, Problem, RawTable, by_date_and_id, empty_frame, typed)

_NOT_A_NAME = re.compile(r"[<>{}\x00-\x1f\x7f]")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")


class _Collector:
    def __init__(self, source: str, lines, n: int):
        self.source, self.lines = source, lines
        self.bad = np.zeros(n, dtype=bool)
        self.problems: list[Problem] = []

    def add(self, row: int, field_: str, value: object, reason: str) -> None:
        self.bad[row] = True
        self.problems.append(Problem(self.source, self.lines[row], field_, str(value), reason))

    def note(self, line: int | None, field_: str, value: str, reason: str) -> None:
        self.problems.append(Problem(self.source, line, field_, value, reason, rejects_row=False))

    def add_each(self, rows: np.ndarray, field_: str, value: object, reason: str) -> None:
        """The same problem on each of `rows`."""
        self.bad[rows] = True
        value = str(value)
        self.problems.extend(Problem(self.source, self.lines[r], field_, value, reason)
                             for r in rows.tolist())


def _text(col: pd.Series) -> pd.Series:
    """A column's cells as stripped text ('' for missing): a categorical stays one (the text
    work done once per distinct value), any other column becomes plain text."""
    if not isinstance(col.dtype, pd.CategoricalDtype):
        return col.fillna("").astype(str).str.strip()
    uniques = pd.Series(col.cat.categories).astype(str)
    stripped = uniques.str.strip()
    if stripped.equals(uniques):  # nothing to strip: as the reader gave it
        return col
    return text_categorical(col.cat.codes.to_numpy(), stripped, col.index)


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct values) of a text column, categorical or plain."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), pd.Series(values.cat.categories)
    codes, uniques = pd.factorize(values)
    return codes, pd.Series(uniques)


def _rows_by_code(codes: np.ndarray):
    """rows(code): the rows (ascending) whose code is `code`."""
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]

    def rows(code: int) -> np.ndarray:
        lo, hi = np.searchsorted(ordered, [code, code + 1])
        return order[lo:hi]
    return rows


def _per_value(check, values: pd.Series, out: _Collector, *args, **kwargs) -> pd.Series:
    """`check(values, *args, collector, **kwargs)` for a check whose result and problems for
    a cell depend on that cell alone: run once over the distinct values, then each row given
    its value's result and problems (in the order the check reported them)."""
    codes, uniques = _codes(values)
    each = _Collector(out.source, range(len(uniques)), len(uniques))
    result = check(uniques, *args, each, **kwargs).reset_index(drop=True)
    used = np.bincount(codes, minlength=len(uniques)) > 0  # a category may have no row
    found = [p for p in each.problems if used[p.line]]
    if found:
        rows = _rows_by_code(codes)
        for p in found:
            out.add_each(rows(p.line), p.field, p.value, p.reason)
    if result.dtype == object or result.dtype == "str":  # text: kept a categorical
        return _categorical(result, codes, values.index)
    return pd.Series(result.array.take(codes), index=values.index)


def _categorical(result: pd.Series, codes: np.ndarray, index) -> pd.Series:
    """Row i holds result[codes[i]] (missing stays missing), as a categorical."""
    merged, uniques = pd.factorize(result, sort=True)
    return pd.Series(pd.Categorical.from_codes(merged[codes], pd.Index(uniques, dtype=str)),
                     index=index)


def _recode(values: pd.Series, change) -> pd.Series:
    """`change(texts)` (elementwise) applied to a text column, categorical or plain."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return change(values)
    changed = change(pd.Series(values.cat.categories))
    return text_categorical(values.cat.codes.to_numpy(), changed, values.index)


def validate(raw: RawTable, source: str, ref: Reference | None = None,
             today: date | None = None, require_url: bool = True,
             open_groups: bool = False, by_date: bool = False) -> LoadResult:
    """Check every cell of a raw table; return accepted rows typed and all problems.

    With require_url=False (imported data), a row without a source URL is accepted when it
    names its sources in source_text. With open_groups (imported data), a group outside the
    vocabulary is accepted under its own name, spacing tidied. With by_date, the accepted
    rows come sorted by date, then incident_id (as load_files gives them), else in file order.
    """
    ref = ref or load_reference()
    n = len(raw.frame)
    out = _Collector(source, raw.lines, n)
    frame = raw.frame.copy(deep=False)
    frame.columns = _canonical_columns(frame.columns, out)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        for c in missing:
            out.problems.append(Problem(source, 1, c, "", "required column missing from the "
                                        "header; every row is rejected"))
        return LoadResult(empty_frame(), out.problems, rows_in=n)
    extra = [c for c in frame.columns if c not in COLUMNS]
    for c in extra:
        out.note(1, c, "", "unknown column: kept as text, not validated")
    for c in OPTIONAL:
        if c not in frame.columns:
            frame[c] = _blank(n, frame.index)
    _check_shape(raw, out)
    text = {c: _text(frame[c]) for c in frame.columns}
    checked = _check_cells(text, source, ref, today or date.today(), require_url, out,
                           open_groups)
    result = pd.DataFrame({**checked, **{c: text[c].astype(str) for c in extra}})
    result = result[~out.bad] if out.bad.any() else result
    result = result.reset_index(drop=True)
    result["source_file"] = _recode(_blank(len(result), result.index),
                                    lambda t: t.where(t != "", Path(source).name))
    lines = raw.lines
    lines = (np.arange(lines.start, lines.stop, lines.step) if isinstance(lines, range)
             else np.asarray(lines, dtype=np.int64))
    result["source_line"] = lines[~out.bad] if n else np.array([], int)
    problems = sorted(out.problems, key=lambda p: (p.line or 0))
    return LoadResult(typed(by_date_and_id(result) if by_date else result), problems,
                      rows_in=n)


def _blank(n: int, index) -> pd.Series:
    """A column of n blank cells (a categorical of one value)."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                               pd.Index([""], dtype=str)), index=index)


def _check_shape(raw: RawTable, out: _Collector) -> None:
    """CSV rows with more or fewer cells than the header are rejected."""
    for line, (count, last) in raw.ragged.items():
        row = raw.lines.index(line)
        spans = (f" and runs on to line {last}: an unclosed quote may have swallowed the "
                 "lines between") if last > line else ""
        out.add(row, "(row)", f"{count} fields",
                f"the header has {raw.header_width} fields; this row has {count}{spans}")


def _check_cells(text: dict[str, pd.Series], source: str, ref: Reference, today: date,
                 require_url: bool, out: _Collector,
                 open_groups: bool = False) -> dict[str, pd.Series]:
    """Each schema column checked and converted, in the order of the result's columns."""
    ids = _check_ids(text["incident_id"], out)
    dates = _per_value(_check_dates, text["date"], out, today)
    provinces = _per_value(_check_lookup, text["province"], out, "province",
                           ref.province_lookup)
    districts = _check_districts(text["district"], provinces, ref, out)
    vocab = {f: _per_value(_check_lookup, text[f], out, f, ref.vocab[f],
                           open_=open_groups and f == "group") for f in VOCAB_FIELDS}
    killed = _per_value(_check_count, text["killed"], out, "killed")
    injured = _per_value(_check_count, text["injured"], out, "injured")
    ranges = {**_check_range(text, killed, "killed", out),
              **_check_range(text, injured, "injured", out)}
    precision = {f: _per_value(_check_precision, text[f], out, f, ref.vocab[f])
                 for f in PRECISION_FIELDS}
    lat, lon = _check_coordinates(text["latitude"], text["longitude"], provinces, ref, out)
    _check_urls(text["source_urls"], text["source_text"], require_url, out)
    collection = _recode(text["collection"], lambda t: t.where(t != "", Path(source).stem))
    return {
        "incident_id": ids, "date": dates, "province": provinces, "district": districts,
        **vocab, "killed": killed, "injured": injured, "latitude": lat, "longitude": lon,
        "collection": collection,
        **{c: text[c] for c in ("location", "claimant_reported", "target_detail", "notes")},
        "source_urls": text["source_urls"], "source_text": text["source_text"],
        **ranges, **precision,
    }


def _check_ids(ids: pd.Series, out: _Collector) -> pd.Series:
    """incident_id: present and unique within the file."""
    if not (ids == "").any() and _all_different(ids):
        return ids
    for row in np.flatnonzero((ids == "").to_numpy()):
        out.add(row, "incident_id", "", "missing: every incident needs an id")
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        firsts = ids[~ids.duplicated(keep="first")]
        first_line = {v: out.lines[i] for i, v in
                      zip(np.flatnonzero(~ids.duplicated().to_numpy()), firsts)}
        for row in np.flatnonzero(dup.to_numpy()):
            out.add(row, "incident_id", ids.iat[row],
                    f"duplicate: already used on line {first_line[ids.iat[row]]}")
    return ids


def _all_different(values: pd.Series) -> bool:
    """No two cells equal: neighbours compared in Arrow's sort (faster than hashing)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return bool(values.cat.categories.is_unique and values.cat.codes.is_unique)
    text = pa.array(values.array)
    ordered = text.take(pc.sort_indices(text))
    return not pc.any(pc.equal(ordered[1:], ordered[:-1])).as_py()


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
    return unique_names(names)


def _check_dates(values: pd.Series, today: date, out: _Collector) -> pd.Series:
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


def _check_lookup(values: pd.Series, name: str, lookup, out: _Collector,
                  open_: bool = False) -> pd.Series:
    """Each value resolved to the vocabulary. With `open_` (groups of imported data), any
    other name is kept, spacing tidied, unless it holds characters no group name has."""
    uniques = values.unique()
    resolved = {v: lookup.resolve(v) for v in uniques}
    if open_:
        resolved = {v: c or (" ".join(v.split()) if v and not _NOT_A_NAME.search(v) else None)
                    for v, c in resolved.items()}
    mapped = values.map(resolved)
    for row in np.flatnonzero(mapped.isna().to_numpy()):
        v = values.iat[row]
        if open_ and v and _NOT_A_NAME.search(v):
            out.add(row, name, v, "not a group name: it may not hold <, >, {, } or control "
                                  "characters")
            continue
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

    (codes, names), homes = _codes(values), provinces.cat.categories
    pairs = (codes.astype(np.int64) * (len(homes) + 1)
             + provinces.cat.codes.to_numpy() + 1)  # (district text, province or none)
    present = np.zeros(len(names) * (len(homes) + 1), dtype=bool)
    present[pairs] = True
    uniques = np.flatnonzero(present)
    codes = (np.cumsum(present) - 1)[pairs]  # the pair's place among those present
    answers = [resolve(names[pair // (len(homes) + 1)],
                       homes[pair % (len(homes) + 1) - 1] if pair % (len(homes) + 1) else None)
               for pair in uniques.tolist()]
    wrong = [i for i, a in enumerate(answers) if a[1]]
    rows = _rows_by_code(codes) if wrong else None
    for code in wrong:
        found = rows(code)
        out.add_each(found, "district", values.iat[found[0]], answers[code][1])
    return _categorical(pd.Series([a[0] for a in answers], dtype=object), codes, values.index)


def _check_count(values: pd.Series, name: str, out: _Collector) -> pd.Series:
    blank = (values == "").to_numpy(dtype=bool)
    if blank.all():  # an optional column left empty (the range bounds, mostly): all unknown
        return pd.Series(pd.NA, index=values.index, dtype="Int32")
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
    return clean.astype("Float64").round().astype("Int32")  # at most MAX_COUNT


def _check_range(text: dict[str, pd.Series], best: pd.Series, count: str,
                 out: _Collector) -> dict[str, pd.Series]:
    """A count's bounds: whole numbers, low <= best <= high; a bound needs the best figure."""
    low_name, high_name = BOUNDS[count]
    low, high = (_per_value(_check_count, text[c], out, c) for c in (low_name, high_name))
    for name, bound, wrong, words in ((low_name, low, low > best, "above"),
                                      (high_name, high, high < best, "below")):
        if not bound.notna().any():  # no bound given: nothing to compare
            continue
        for row in np.flatnonzero(wrong.fillna(False).to_numpy(dtype=bool)):
            out.add(row, name, text[name].iat[row],
                    f"{words} {count} {best.iat[row]}: the range must hold the best figure "
                    f"({low_name} <= {count} <= {high_name})")
        orphan = bound.notna() & best.isna() & (text[count] == "")
        for row in np.flatnonzero(orphan.to_numpy(dtype=bool)):
            out.add(row, name, text[name].iat[row],
                    f"a bound without a best figure: give {count} (blank means unknown)")
    return {low_name: low, high_name: high}


def _check_precision(values: pd.Series, name: str, lookup, out: _Collector) -> pd.Series:
    """Date or place precision: one of the vocabulary's values, or blank (unknown)."""
    resolved = values.map({v: lookup.resolve(v) for v in values.unique()})
    for row in np.flatnonzero((resolved.isna() & (values != "")).to_numpy()):
        out.add(row, name, values.iat[row], f"unknown {name}; expected one of "
                                            f"{', '.join(lookup.canonical)} (blank: unknown)")
    return resolved.fillna("")


def _numbers(text: pd.Series) -> pd.Series:
    """A text column as floats (NaN for blank or not a number), parsed once per value."""
    codes, uniques = _codes(text)
    parsed = pd.to_numeric(uniques.where(uniques != ""), errors="coerce")
    return pd.Series(parsed.to_numpy(dtype="float64")[codes], index=text.index)


def _check_coordinates(lat_text: pd.Series, lon_text: pd.Series, provinces: pd.Series,
                       ref: Reference, out: _Collector) -> tuple[pd.Series, pd.Series]:
    """Both or neither, numbers, inside Pakistan (else the row is rejected); outside the
    province's box of populated places is a note."""
    lat, lon = _numbers(lat_text), _numbers(lon_text)
    y, x = lat.to_numpy(), lon.to_numpy()
    a_blank, b_blank = (lat_text == "").to_numpy(), (lon_text == "").to_numpy()
    if (a_blank & b_blank).all():  # no coordinate given
        return lat.astype("Float64"), lon.astype("Float64")
    one_only = a_blank != b_blank
    nan = ~(a_blank & b_blank) & ~one_only & (np.isnan(y) | np.isnan(x))
    min_lat, max_lat, min_lon, max_lon = PAKISTAN_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (min_lat <= y) & (y <= max_lat) & (min_lon <= x) & (x <= max_lon)
    abroad = ~(a_blank & b_blank) & ~one_only & ~nan & ~inside
    for row in np.flatnonzero(one_only):
        out.add(row, "latitude" if a_blank[row] else "longitude", "",
                "give both latitude and longitude, or neither")
    for row in np.flatnonzero(nan):
        y_nan = np.isnan(y[row])
        out.add(row, "latitude" if y_nan else "longitude",
                lat_text.iat[row] if y_nan else lon_text.iat[row], "not a number")
    for row in np.flatnonzero(abroad):
        out.add(row, "latitude", f"{lat_text.iat[row]}, {lon_text.iat[row]}",
                "outside Pakistan")
    for row in np.flatnonzero(inside & ~_in_province_box(provinces, y, x, ref)):
        out.note(out.lines[row], "latitude", f"{lat_text.iat[row]}, {lon_text.iat[row]}",
                 f"outside the box of {provinces.iat[row]}'s populated places in "
                 "data/provinces.csv: kept, but check the coordinate")
    return lat.astype("Float64"), lon.astype("Float64")


def _in_province_box(provinces: pd.Series, y: np.ndarray, x: np.ndarray,
                     ref: Reference) -> np.ndarray:
    """Inside the box of the row's province (ref.inside_province, on columns); True where
    the province is unknown."""
    boxes = ref.provinces[["min_lat", "max_lat", "min_lon", "max_lon"]].to_numpy(dtype=float)
    found = ref.provinces.index.get_indexer(provinces.cat.categories)
    codes = np.append(found, -1)[provinces.cat.codes.to_numpy()]  # -1: no box
    known = codes >= 0
    lo_y, hi_y, lo_x, hi_x = (np.where(known, col[codes], np.nan) for col in boxes.T)
    with np.errstate(invalid="ignore"):
        return ~known | ((lo_y <= y) & (y <= hi_y) & (lo_x <= x) & (x <= hi_x))


def _check_urls(values: pd.Series, texts: pd.Series, require_url: bool,
                out: _Collector) -> None:
    url = URL.pattern.strip("^$")
    whole = rf"^{url}(?:\s*\|\s*{url})*$"
    if isinstance(values.dtype, pd.CategoricalDtype):
        ok = _fullmatch(pd.Series(values.cat.categories), whole)[values.cat.codes.to_numpy()]
    else:
        ok = _fullmatch(values, whole)
    if not require_url:
        ok = ok | ((values == "") & (texts != "")).to_numpy(dtype=bool)
    needed = "a source URL" if require_url else "a source URL or a source_text"
    for row in np.flatnonzero(~ok):  # explain only the rows that fail
        cell = values.iat[row]
        urls = split_list(cell)
        if not urls:
            out.add(row, "source_urls", cell, f"missing: every incident needs {needed}")
            continue
        bad = next((u for u in urls if not URL.match(u)), cell)
        out.add(row, "source_urls", bad, "not an http(s) URL")


def _fullmatch(texts: pd.Series, pattern: str) -> np.ndarray:
    """re.fullmatch(pattern, text, re.IGNORECASE) for each text. Printable ASCII texts (where
    RE2's \\s and \\S mean what Python's do) are matched by Arrow's RE2 on the whole column at
    once; any other text by Python's re."""
    arr = pa.array(texts.array)
    plain = pc.ascii_is_printable(arr).to_numpy(zero_copy_only=False)  # '' is not: re
    ok = pc.match_substring_regex(arr, pattern, ignore_case=True).to_numpy(
        zero_copy_only=False) & plain
    compiled = re.compile(pattern, re.IGNORECASE)
    for i in np.flatnonzero(~plain):
        ok[i] = compiled.fullmatch(texts.iat[i]) is not None
    return ok
