"""Loading: one or several files, in any supported format, into one validated table.

An unreadable file is reported and the others still load; an incident_id already accepted
from an earlier file is rejected in the later one; likely duplicates across files are reported
(and, with duplicates='drop-later', the later row is dropped).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..importers.convert import EXPORTS, FORMATS, detect_format, load_export
from ..importers.mapping import reference_for, with_placeholders
from ..paths import DEFAULT_DATA
from ..progress import RowProgress
from ..reference import Reference, load_reference
from .dataset import Dataset
from .duplicates import likely_duplicates
from .readers import DEFAULT_MAX_BYTES, read_table
from .schema import (CATEGORICAL, DataFileError, LoadResult, Problem, RawTable,
                     by_date_and_id, empty_frame, typed)
from .validate import validate

# Memory a load frees goes back to the system (`release_memory`): Arrow allocates through the
# C library's malloc (its default here, mimalloc, held about 15 MB more of a million-row load
# once serving and 100 MB more at its peak), and glibc keeps at most two arenas (its default,
# eight per core, left about 25 MB more scattered in the arenas of Arrow's reading threads).
# Measured in bench/README.md. ARROW_DEFAULT_MEMORY_POOL and MALLOC_ARENA_MAX, when set,
# still choose.
_LIBC_NAME = ctypes.util.find_library("c")
_LIBC = ctypes.CDLL(_LIBC_NAME) if _LIBC_NAME else None  # None: no C library found (Windows)
_M_ARENA_MAX = -8  # glibc's mallopt parameter
if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    pa.set_memory_pool(pa.system_memory_pool())
if "MALLOC_ARENA_MAX" not in os.environ and hasattr(_LIBC, "mallopt"):
    _LIBC.mallopt(_M_ARENA_MAX, 2)


def load_file(path: str | Path, ref: Reference | None = None, fmt: str = "auto",
              max_bytes: int = DEFAULT_MAX_BYTES, options: dict | None = None,
              progress: RowProgress | None = None, by_date: bool = False) -> LoadResult:
    """Read and validate one file. Raises DataFileError if it is not a readable table.

    fmt: 'canonical', 'imported', 'acled', 'gtd', or 'auto' to tell by the file's columns.
    ACLED and GTD exports are converted, then validated. options: {'acled_events': 'attacks'
    or 'all'}. progress: a bar for long files (see dashboard/progress.py). by_date: the
    accepted rows sorted by date, then incident_id (else in file order).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    progress = progress or RowProgress(Path(path).name, force=False)
    progress.stage("reading")
    raw = read_table(path, max_bytes, progress=progress.advance, categories=True)
    if not len(raw.frame.columns):
        raise DataFileError(f"{path}: no columns found")
    if not len(raw.frame):
        raise DataFileError(f"{path}: a header but no data rows")
    fmt = detect_format(raw.frame.columns) if fmt == "auto" else fmt
    if fmt in EXPORTS:  # the converters read plain text cells
        progress.stage("converting", len(raw.frame))
        raw = RawTable(raw.frame.astype(object), raw.lines, raw.header_width, raw.ragged)
        return load_export(raw, str(path), fmt, ref, options, progress=progress.advance)
    progress.stage("validating", len(raw.frame))
    if fmt == "imported":
        result = validate(raw, str(path), with_placeholders(ref or load_reference()),
                          require_url=False, open_groups=True, by_date=by_date)
    else:
        result = validate(raw, str(path), ref, by_date=by_date)
    progress.advance(len(raw.frame))
    return result


def load_files(paths, ref: Reference | None = None, fmt: str = "auto",
               duplicates: str = "keep", max_bytes: int = DEFAULT_MAX_BYTES,
               options: dict | None = None, progress: bool | None = None) -> LoadResult:
    """Load several files; an unreadable file is reported and the others still load.

    progress: None shows a bar on a terminal for files that take over a second; False never.
    """
    ref = ref or load_reference()
    paths = list(paths)
    frames, problems, rows_in, errors, reports, left_out = [], [], 0, [], [], []
    seen: list[tuple[str, pd.Series]] = []  # (file, the incident_ids accepted from it)
    sources: dict[str, str] = {}  # file name -> path as given
    for path in paths:
        try:
            with RowProgress(Path(path).name, force=None if progress is None else progress
                             ) as bar:
                # one file is sorted while its text is still categorical (cheaper); several
                # are sorted once joined, after the duplicate search that reads file order
                result = load_file(path, ref, fmt, max_bytes, options, bar,
                                   by_date=len(paths) == 1)
        except DataFileError as exc:
            errors.append(str(exc))
            continue
        left_out.extend(result.left_out)
        sources[Path(path).name] = str(path)
        reports.extend(result.reports)
        frames.append(_without_seen_ids(result.incidents, str(path), seen, problems))
        problems.extend(result.problems)
        rows_in += result.rows_in
    if len(frames) > 1:  # categories of several files merged (one file's are final already)
        incidents = pd.concat(frames, ignore_index=True)
        incidents = typed(incidents.astype({c: object for c in CATEGORICAL}))
    elif frames:
        incidents = frames[0]
    else:
        incidents = empty_frame()
    incidents, likely = likely_duplicates(incidents, sources, drop=duplicates == "drop-later")
    problems.extend(likely)
    incidents = by_date_and_id(incidents)
    release_memory()
    return LoadResult(incidents, problems, rows_in, errors, reports,
                      reference_for(incidents, ref), left_out)


def release_memory() -> None:
    """Give the memory freed while loading back to the system (a million rows leave about
    250 MB in Arrow's pool and the C heap otherwise)."""
    gc.collect()  # frames and arrays held only by reference cycles
    pa.default_memory_pool().release_unused()
    if hasattr(_LIBC, "malloc_trim"):  # glibc
        _LIBC.malloc_trim(0)


def _without_seen_ids(inc: pd.DataFrame, path: str, seen: list[tuple[str, pd.Series]],
                      problems: list[Problem]) -> pd.DataFrame:
    """The file's rows less those whose id an earlier file already gave (each reported)."""
    ids = inc["incident_id"]
    source = np.full(len(inc), None, dtype=object)  # the earlier file giving each id
    for earlier, accepted in seen:
        source[ids.isin(accepted).to_numpy() & pd.isna(source)] = earlier
    clash = pd.notna(source)
    rows = np.flatnonzero(clash)
    for row in rows[np.argsort(inc["source_line"].to_numpy()[rows], kind="stable")]:
        problems.append(Problem(path, int(inc["source_line"].iat[row]), "incident_id",
                                ids.iat[row], f"duplicate: already loaded from {source[row]}"))
    inc = inc[~clash] if clash.any() else inc
    seen.append((path, inc["incident_id"]))
    return inc


def load_dataset(paths=DEFAULT_DATA) -> Dataset:
    """The Dataset of the given files (default: the shipped incidents)."""
    return Dataset.from_result(load_files(paths))
