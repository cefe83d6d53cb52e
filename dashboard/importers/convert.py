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

import pandas as pd

from ..data.schema import COLUMNS, LoadResult, RawTable
from ..data.validate import validate
from ..reference import Reference, load_reference
from . import acled, gtd
from .common import Conversion, Converter, ExportFormat
from .mapping import Table, load_mappings, with_placeholders

EXPORTS: dict[str, ExportFormat] = {f.key: f for f in (acled.FORMAT, gtd.FORMAT)}
FORMATS = ("auto", "canonical", "imported", *EXPORTS)


def detect_format(columns) -> str:
    names = {str(c).strip().lower() for c in columns}
    for key, fmt in EXPORTS.items():
        if fmt.signature <= names:
            return key
    return "imported" if "source_text" in names else "canonical"


def convert(raw: RawTable, fmt: ExportFormat, source: str, ref: Reference | None = None,
            tables: dict[str, Table] | None = None) -> Conversion:
    """Turn an ACLED or GTD export (text cells, as read_table gives) into canonical rows."""
    conv = Converter(fmt.key, source, ref or load_reference(), tables or load_mappings())
    frame = raw.frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    missing = [c for c in fmt.columns if c not in frame.columns]
    rows, kept = [], []
    for column in missing:
        conv.reject(1, column, "", f"required column missing from the header: not a complete "
                                   f"{fmt.name} export; every row is rejected")
    if not missing:
        records = frame[list(fmt.columns)].fillna("").astype(str).to_dict("records")
        for line, record in zip(raw.lines, records):
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
    canonical = [c for c in COLUMNS if c != "collection"]
    mapped = pd.DataFrame(conv.mapped, columns=["line", "field", "raw", "value", "status"])
    return Conversion(fmt, pd.DataFrame(rows, columns=canonical, dtype=object), kept,
                      conv.rejections, mapped)


def load_export(raw: RawTable, source: str, fmt: str,
                ref: Reference | None = None) -> LoadResult:
    """Convert an export, validate the result (a source URL or source_text per row), report."""
    ref = with_placeholders(ref or load_reference())
    conv = convert(raw, EXPORTS[fmt], source, ref)
    result = validate(RawTable(conv.frame, conv.lines), source, ref, require_url=False)
    report = conv.report(source, len(raw.frame), result.incidents)
    problems = sorted([*conv.rejections, *result.problems, *report.problems()],
                      key=lambda p: p.line or 0)
    return LoadResult(result.incidents, problems, rows_in=len(raw.frame), reports=[report])


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
