"""The canonical schema: columns, the URL rule, and the types every reader and check shares."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..reference import Reference

REQUIRED = (
    "incident_id", "date", "province", "district", "group", "attribution",
    "target_type", "attack_type", "killed", "injured", "source_urls",
)
RANGES = ("killed_low", "killed_high", "injured_low", "injured_high")  # blank: the best figure
BOUNDS = {"killed": ("killed_low", "killed_high"), "injured": ("injured_low", "injured_high")}
PRECISION = ("date_precision", "place_precision")  # blank: unknown (data/vocabularies.csv)
OPTIONAL = (
    "collection", "location", "latitude", "longitude", "claimant_reported",
    "target_detail", "notes", "source_text", *RANGES, *PRECISION,
)
COLUMNS = REQUIRED + OPTIONAL
DISTRICT_SEP = ";"
# Categoricals: the vocabularies, and the text of a few values (the file, the precisions)
CATEGORICAL = ("province", "district", "group", "attribution", "target_type", "attack_type",
               "collection", "source_file", *PRECISION)
TEXT = ("incident_id", "location", "claimant_reported", "target_detail", "notes",
        "source_urls", "source_text")
UNIQUE_TEXT = ("incident_id", "source_urls")  # one value per incident: always plain text
TEXT_SAMPLE = 10_000  # cells of a plain text column looked at before counting it all
MAX_COUNT = 100_000  # killed or injured in one incident; above this a value is a typo
URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


class DataFileError(Exception):
    """A file that cannot be read as a table at all (missing, empty, not a table, encoding)."""


@dataclass(frozen=True)
class RawTable:
    """A file as read: text cells, the file line of each row, and the rows whose number of
    cells differs from the header's (CSV only: line -> (cells, last line of the record))."""

    frame: pd.DataFrame
    lines: Sequence[int]  # a list, or a range for Parquet (line 1 is the first row)
    header_width: int | None = None
    ragged: dict[int, tuple[int, int]] = field(default_factory=dict)


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
    reports: list = field(default_factory=list)  # importers' ImportReport, one per export
    reference: Reference | None = None  # the gazetteer plus the placeholder districts used
    # rows of exports out of scope, counted not listed: (file, line, reason, detail)
    left_out: list = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return len(self.incidents)

    @property
    def rejected(self) -> int:
        return self.rows_in - self.accepted - len(self.left_out)

    def summary(self) -> str:
        if not self.left_out:
            return f"{self.rows_in} rows: {self.accepted} accepted, {self.rejected} rejected"
        return (f"{self.rows_in:,} rows: {self.accepted:,} accepted, {len(self.left_out):,} left "
                f"out (out of scope), {self.rejected:,} rejected")

    def left_out_lines(self) -> list[str]:
        """Rows left out, counted per file, reason and detail (country, province, type)."""
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for source, _, reason, detail in self.left_out:
            part = counts.setdefault((source, reason), {})
            part[detail] = part.get(detail, 0) + 1
        out = []
        for (source, reason), part in counts.items():
            shown = "; ".join(f"{d} {n:,}" for d, n in
                              sorted(part.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(f"{source}: left out, {reason} ({sum(part.values()):,} rows): {shown}")
        return out


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The accepted rows with their final dtypes (categories, strings, nullable counts)."""
    for c in CATEGORICAL:
        frame[c] = _category(frame[c])
    for c in TEXT:
        frame[c] = _string(frame[c]) if c in UNIQUE_TEXT else _text(frame[c])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for c in ("killed", "injured", *RANGES):  # nullable (blank: unknown), at most MAX_COUNT
        frame[c] = frame[c].astype("Int32")
    for c in ("latitude", "longitude"):
        frame[c] = frame[c].astype("Float64")
    return frame


def _category(values: pd.Series) -> pd.Series:
    """A categorical whose categories are the values present, sorted (as astype('category')
    gives from text): a categorical column is tidied, not converted again."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype("category")
    used = np.bincount(values.cat.codes.to_numpy() + 1, minlength=len(values.cat.categories)
                       + 1)[1:] > 0
    if used.all() and values.cat.categories.is_monotonic_increasing:
        return values  # as astype('category') would give it
    values = values.cat.remove_unused_categories()
    return values.cat.reorder_categories(values.cat.categories.sort_values())


def _text(values: pd.Series) -> pd.Series:
    """An optional text column: a categorical when its values repeat (at most half as many
    distinct values as rows: a blank column, a place or note shared by many rows), which
    holds each text once; else the 'string' dtype. Either reads the same text. Plain text
    whose first TEXT_SAMPLE cells are mostly distinct stays text without counting the rest
    (a million distinct notes take a second to count)."""
    if values.hasnans:
        return _string(values)
    if not isinstance(values.dtype, pd.CategoricalDtype):
        head = values.iloc[:TEXT_SAMPLE]
        if 2 * head.nunique() > len(head):
            return _string(values)
        values = values.astype("category")
    if 2 * len(values.cat.categories) > len(values):
        return _string(values)
    return _category(values)


def _string(values: pd.Series) -> pd.Series:
    """The 'string' dtype; a categorical is decoded by Arrow (pandas' take is slower)."""
    if not isinstance(values.dtype, pd.CategoricalDtype) or values.hasnans:
        return values.astype("string")
    codes = pa.array(values.cat.codes.to_numpy())
    texts = pa.array(values.cat.categories.astype(str).array, type=pa.large_string())
    decoded = pa.DictionaryArray.from_arrays(codes, texts).cast(pa.large_string())
    return pd.Series(pd.StringDtype().__from_arrow__(decoded), index=values.index)


def by_date_and_id(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents sorted by date, then incident_id (stable), with a fresh index: Arrow's
    stable sort gives the order of pandas' sort_values(kind='stable'), without factorising
    the ids. Rows already in that order are not copied."""
    dates = incidents["date"].to_numpy(dtype="datetime64[ns]").view("int64")
    ids = pa.array(incidents["incident_id"].astype("string").array)
    ids_up = pc.greater_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)
    if ((dates[1:] > dates[:-1]) | ((dates[1:] == dates[:-1]) & ids_up)).all():
        return incidents.reset_index(drop=True)
    by_id = pc.sort_indices(ids).to_numpy()  # stable; then stable by date: both keys
    order = by_id[np.argsort(dates[by_id], kind="stable")]
    return _take_rows(incidents, order)


def _take_rows(frame: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """frame.take(order) with a fresh index."""
    return pd.DataFrame({c: _take(frame[c], order) for c in frame.columns},
                        index=pd.RangeIndex(len(order)))


def _take(col: pd.Series, order: np.ndarray):
    """col's values in `order`: categorical codes and nullable numbers taken as numpy arrays
    (pandas' take of those is several times slower), anything else by its own take."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(col.cat.codes.to_numpy()[order], dtype=col.dtype)
    if isinstance(col.array, (pd.arrays.IntegerArray, pd.arrays.FloatingArray)):
        missing = col.isna().to_numpy()
        if missing.all():  # a column the file does not give: nothing to move
            return col.array.copy()
        values = col.to_numpy(dtype=col.dtype.numpy_dtype, na_value=0)[order]
        return type(col.array)(values, missing[order])
    return col.array.take(order)


def empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
    frame["date"] = pd.Series([], dtype="datetime64[ns]")
    frame["source_file"] = pd.Series([], dtype=object)
    frame["source_line"] = pd.Series([], dtype="int64")
    return typed(frame)


def count_text(value) -> str:
    """A count as people read it: the number, or 'unknown' (blank never means zero)."""
    return "unknown" if pd.isna(value) else str(int(value))


def bounds(row, count: str) -> tuple[int, int] | None:
    """(low, high) the sources give for a row's `count` ('killed' or 'injured'), a blank bound
    being the best figure; None when the best figure is unknown."""
    best = row[count]
    if pd.isna(best):
        return None
    low, high = (row.get(c) for c in BOUNDS[count])
    return (int(best) if low is None or pd.isna(low) else int(low),
            int(best) if high is None or pd.isna(high) else int(high))

