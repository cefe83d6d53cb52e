"""Readers: a CSV, Excel or Parquet file as a raw table of text cells, each row with its line.

Raises DataFileError with a one-line reason when the file is not a readable table.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .schema import DataFileError, RawTable

DEFAULT_MAX_BYTES = 1024 * 2**20  # a million-row CSV is about 250 MB


def read_table(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES,
               progress: Callable[[int], None] | None = None) -> RawTable:
    """The file's cells as text ('' for missing) and the file line of each row. A file over
    `max_bytes` is refused before it is read into memory. `progress(n)` is told of CSV rows
    as they are read."""
    path = Path(path)
    _check_size(path, max_bytes)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=object, engine="openpyxl")
            return RawTable(cells_to_text(frame), list(range(2, len(frame) + 2)))
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return RawTable(cells_to_text(frame), list(range(1, len(frame) + 1)))
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
