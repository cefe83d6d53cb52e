"""Readers: a CSV, Excel or Parquet file as a raw table of text cells, each row with its line.

Raises DataFileError with a one-line reason when the file is not a readable table. Parquet is
the fast path: with `categories`, its columns come as categoricals of text (Arrow's dictionary
pages kept, each distinct value turned into text once), not as a million Python strings.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import DataFileError, RawTable

DEFAULT_MAX_BYTES = 1024 * 2**20  # a million-row CSV is about 250 MB
MOSTLY_DISTINCT = ("incident_id", "source_urls")  # one value per incident


def read_table(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES,
               progress: Callable[[int], None] | None = None,
               categories: bool = False) -> RawTable:
    """The file's cells as text ('' for missing) and the file line of each row. A file over
    `max_bytes` is refused before it is read into memory. `progress(n)` is told of CSV rows
    as they are read. With `categories`, a Parquet file's columns are categoricals of the
    same text (validate takes either)."""
    path = Path(path)
    _check_size(path, max_bytes)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=object, engine="openpyxl")
            return RawTable(cells_to_text(frame), list(range(2, len(frame) + 2)))
        if suffix == ".parquet":
            frame = _read_parquet(path)
            text = frame if categories else frame.astype(object)
            return RawTable(text, range(1, len(frame) + 1))
    except Exception as exc:  # the readers raise many types for a broken file
        raise DataFileError(f"{path}: not a readable {suffix[1:]} table ({exc})") from None
    return _read_csv(path, progress)


def _check_size(path: Path, max_bytes: int) -> None:
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise DataFileError(f"{path}: the file is empty")
    if size > max_bytes:
        raise DataFileError(f"{path}: the file is {size / 2**20:,.0f} MB, larger than the "
                            f"{max_bytes / 2**20:,.0f} MB size limit (set DASHBOARD_MAX_FILE_MB "
                            "to raise it)")


def cells_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed cells (Excel, Parquet) as the text a CSV would hold; missing -> ''."""
    return pd.DataFrame({str(c): column_text(frame[c]).astype(object) for c in frame.columns},
                        dtype=object)


def column_text(col: pd.Series) -> pd.Series:
    """One column's cells as text; missing -> ''."""
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
    return text.where(col.notna(), "")


def _read_parquet(path: Path) -> pd.DataFrame:
    """Every column as its cells' text, as `cells_to_text` gives it (the index pandas wrote is
    not a column). A string column comes straight from Arrow: a categorical when its distinct
    values are few, else plain text; other types are converted once per distinct value."""
    schema = pq.read_schema(path)
    index = [c for c in (schema.pandas_metadata or {}).get("index_columns", [])
             if isinstance(c, str)]
    strings = [f.name for f in schema if f.name not in index
               and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]
    # columns where every row differs are read as plain text (a dictionary would be slower)
    table = pq.read_table(path, read_dictionary=[
        c for c in strings if c.strip().lower() not in MOSTLY_DISTINCT])
    others = table.drop_columns(strings).to_pandas()
    out = {}
    for name in (f.name for f in schema if f.name not in index):
        if name in strings:
            out[str(name)] = _string_text(table.column(name))
            continue
        col = others[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes, uniques = col.cat.codes.to_numpy(), pd.Series(col.cat.categories)
        elif col.dtype == object:  # Python objects (dates, decimals, bytes): one at a time
            codes, uniques = np.arange(len(col)), col.reset_index(drop=True)
        else:  # numbers, booleans, timestamps: each distinct value once
            codes, values = pd.factorize(col)
            uniques = pd.Series(values, dtype=col.dtype)
        out[str(name)] = text_categorical(codes, column_text(uniques))
    return pd.DataFrame(out, index=pd.RangeIndex(table.num_rows))


def _string_text(column: pa.ChunkedArray) -> pd.Series:
    """A string column: plain text if it came so or if more than half its cells differ,
    else a categorical; missing -> ''."""
    if not pa.types.is_dictionary(column.type):
        return pd.Series(pc.fill_null(column, "").to_pandas())
    if sum(len(c.dictionary) for c in column.chunks) > len(column) // 2:  # mostly distinct
        return pd.Series(pc.fill_null(column.cast(column.type.value_type), "").to_pandas())
    column = column.unify_dictionaries()
    dictionary = (column.chunk(0).dictionary if column.num_chunks
                  else pa.array([], type=column.type.value_type))
    codes = np.concatenate([pc.fill_null(c.indices, -1).to_numpy() for c in column.chunks]
                           or [np.array([], dtype=np.int32)])
    return text_categorical(codes, pd.Series(dictionary.to_pandas()))


def text_categorical(codes: np.ndarray, texts: pd.Series, index=None) -> pd.Series:
    """A categorical of text: row i holds texts[codes[i]], '' where the code is -1. Texts
    that are equal share one category."""
    codes = np.asarray(codes)
    texts = texts.reset_index(drop=True)
    if (codes < 0).any():
        texts = pd.concat([texts, pd.Series([""])], ignore_index=True)  # code -1 reads it
    if texts.dtype != "str":
        texts = texts.astype(object).fillna("").astype(str)
    merged, uniques = pd.factorize(texts, sort=True)  # sorted: as typed() wants them
    codes = merged[codes]
    return pd.Series(pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=str)),
                     index=index)


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) \
            else v.isoformat()
    return str(v)


def _decode(path: Path) -> str:
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
    return text


def _read_csv(path: Path, progress: Callable[[int], None] | None = None) -> RawTable:
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise DataFileError(f"{path}: not a CSV table ({exc})") from None
    header = [h.strip() for h in header]
    if not any(header):
        raise DataFileError(f"{path}: the first line is blank; expected a header row")
    rows, lines, ragged = [], [], {}
    start = reader.line_num + 1
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):  # blank line
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                ragged[start] = (len(record), reader.line_num)
                record = (record + [""] * len(header))[: len(header)]
            rows.append(record)
            lines.append(start)
            start = reader.line_num + 1
            if progress and len(rows) % 10_000 == 0:
                progress(10_000)
    except csv.Error as exc:
        raise DataFileError(f"{path}: not a CSV table (line {reader.line_num}: {exc})") from None
    frame = pd.DataFrame(rows, columns=unique_names(header), dtype=object)
    return RawTable(frame, lines, len(header), ragged)


def unique_names(header: list[str]) -> list[str]:
    """Header names made unique ('name', 'name.2', ...); a blank one is 'unnamed'."""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        name = h or "unnamed"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}.{seen[name]}")
    return out
