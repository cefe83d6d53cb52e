"""Tell the formats apart, convert an export row by row, validate the result, write it out.

Formats (``--format``), told apart per file by their columns when ``auto``:

- ``canonical``: the schema of data/README.md; every row needs a source URL.
- ``imported``: the canonical schema plus ``source_text`` (written by ``python -m dashboard
  import``); a row needs a source URL or, failing that, its sources named in ``source_text``.
- ``acled``, ``gtd``: an export, converted row by row, then validated as ``imported``.

Every mapping from their values to ours is a table in data/mappings/; this package only
applies them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from ..data.schema import COLUMNS, LoadResult, RawTable
from ..data.validate import validate
from ..reference import Reference, load_reference
from . import acled, gtd
from .common import Conversion, Converter, ExportFormat
from .mapping import Table, load_mappings, with_placeholders

EXPORTS: dict[str, ExportFormat] = {f.key: f for f in (acled.FORMAT, gtd.FORMAT)}
FORMATS = ("auto", "canonical", "imported", *EXPORTS)
ACLED_EVENTS = ("attacks", "all")  # ACLED rows kept: militant attacks only, or every event


def detect_format(columns) -> str:
    names = {str(c).strip().lower() for c in columns}
    for key, fmt in EXPORTS.items():
        if fmt.signature <= names:
            return key
    return "imported" if "source_text" in names else "canonical"


def convert(raw: RawTable, fmt: ExportFormat, source: str, ref: Reference | None = None,
            tables: dict[str, Table] | None = None, options: dict | None = None,
            progress: Callable[[int], None] | None = None) -> Conversion:
    """Turn an ACLED or GTD export (text cells, as read_table gives) into canonical rows.

    `options`: {'acled_events': 'attacks' (default) or 'all'}; `progress(n)` is told of every
    n rows converted."""
    conv = Converter(fmt.key, source, ref or load_reference(), tables or load_mappings(),
                     options=options)
    frame = raw.frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    present = set(frame.columns)
    chosen, missing = {}, []
    for spec in (*fmt.columns, *fmt.optional):
        names = spec.split("|")
        found = next((n for n in names if n in present), None)
        if found:
            chosen[names[0]] = found
        elif spec in fmt.columns:
            missing.append(" or ".join(names))
    name = fmt.variant(present) if fmt.variant else fmt.name
    rows, kept = [], []
    for column in missing:
        conv.reject(1, column, "", f"required column missing from the header: not a complete "
                                   f"{fmt.name} export; every row is rejected")
    if not missing:
        columns = list(chosen.values())
        records = frame[columns].fillna("").astype(str)
        records.columns = list(chosen)
        for spec in fmt.optional:  # absent optional columns read as blank
            if spec.split("|")[0] not in records.columns:
                records[spec.split("|")[0]] = ""
        for i, (line, record) in enumerate(zip(raw.lines, records.to_dict("records"))):
            if progress and i and i % 1000 == 0:
                progress(1000)
            if line in raw.ragged:
                cells = raw.ragged[line][0]
                conv.reject(line, "(row)", f"{cells} fields",
                            f"the header has {raw.header_width} fields; this row has {cells}: "
                            "its cells cannot be matched to columns")
                continue
            row = fmt.row(conv, {k: v.strip() for k, v in record.items()}, line)
            if row is not None:
                rows.append(row)
                kept.append(line)
        if progress:
            progress(len(records) % 1000 or (1000 if len(records) else 0))
    canonical = [c for c in COLUMNS if c != "collection"]
    mapped = pd.DataFrame(conv.mapped, columns=["line", "field", "raw", "value", "status"])
    left = pd.DataFrame(conv.left_out, columns=["line", "reason", "detail"])
    placed = pd.DataFrame(conv.placed, columns=["line", "how", "disagreement"])
    return Conversion(fmt, name, pd.DataFrame(rows, columns=canonical, dtype=object), kept,
                      conv.rejections, mapped, left, placed)


def load_export(raw: RawTable, source: str, fmt: str, ref: Reference | None = None,
                options: dict | None = None,
                progress: Callable[[int], None] | None = None) -> LoadResult:
    """Convert an export, validate the result (a source URL or source_text per row), report."""
    ref = with_placeholders(ref or load_reference())
    conv = convert(raw, EXPORTS[fmt], source, ref, options=options, progress=progress)
    result = validate(RawTable(conv.frame, conv.lines), source, ref, require_url=False,
                      open_groups=True)
    problems = sorted([*conv.rejections, *result.problems], key=lambda p: p.line or 0)
    report = conv.report(source, len(raw.frame), result.incidents, problems)
    problems = sorted([*problems, *report.problems()], key=lambda p: p.line or 0)
    left_out = [(source, int(r.line), r.reason, r.detail) for r in conv.left_out.itertuples()]
    return LoadResult(result.incidents, problems, rows_in=len(raw.frame), reports=[report],
                      left_out=left_out)


def write_table(incidents: pd.DataFrame, path: str | Path) -> Path:
    """The canonical columns (with source_text) as CSV, Excel or Parquet, by extension."""
    path = Path(path)
    table = incidents[list(COLUMNS)].astype(object)
    table = table.where(incidents[list(COLUMNS)].notna(), None)
    table["date"] = incidents["date"].dt.strftime("%Y-%m-%d")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table.to_csv(path, index=False, encoding="utf-8")
    elif suffix == ".xlsx":
        table.to_excel(path, index=False, engine="openpyxl")
    elif suffix == ".parquet":
        table.to_parquet(path, index=False)
    else:
        raise ValueError(f"{path}: write .csv, .xlsx or .parquet")
    return path


def write_row_report(result: LoadResult, path: str | Path) -> Path:
    """Every row of the export and what became of it, as CSV: line, outcome ('converted',
    'left out', 'rejected', 'note'), incident_id, group, district, field, value, reason."""
    columns = ["line", "outcome", "incident_id", "group", "district", "field", "value", "reason"]
    blank = dict.fromkeys(columns, "")
    rows = []
    for r in result.incidents.itertuples():
        rows.append({**blank, "line": r.source_line, "outcome": "converted",
                     "incident_id": r.incident_id, "group": r.group, "district": r.district})
    for _, line, reason, detail in result.left_out:
        rows.append({**blank, "line": line, "outcome": "left out", "value": detail,
                     "reason": reason})
    for p in result.problems:
        if p.line is not None:
            rows.append({**blank, "line": p.line,
                         "outcome": "rejected" if p.rejects_row else "note",
                         "field": p.field, "value": p.value, "reason": p.reason})
    table = pd.DataFrame(rows, columns=columns)
    order = {"rejected": 0, "left out": 1, "converted": 2, "note": 3}
    table = table.sort_values(["line", "outcome"], key=lambda s: s.map(order)
                              if s.name == "outcome" else s, kind="stable")
    path = Path(path)
    table.to_csv(path, index=False, encoding="utf-8")
    return path
