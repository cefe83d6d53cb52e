"""Compile data/incidents.csv from the sourced research tables in ../shared/research, then
apply the audit (data/audit.csv) and append the incidents added since (data/added_incidents.csv).

Run when the research tables, the audit or the added incidents change; the app itself reads only
data/. Every research row and every source URL is kept. Spelling fixes are made through the
gazetteer and recorded in the row's notes. Each audit line must name a known incident and field
and give the cell's current value; each added incident needs a new id. The output is validated
as the app validates it before it replaces data/incidents.csv; any problem stops the script with
the file, line, field and reason, and nothing is written.

    python scripts/import_research.py ../shared/research
    python scripts/import_research.py ../shared/research --audit data/audit.csv \\
        --added data/added_incidents.csv --out data/incidents.csv
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data.loading import load_file  # noqa: E402
from dashboard.data.schema import COLUMNS, DISTRICT_SEP, URL  # noqa: E402
from dashboard.reference import load_reference, split_list  # noqa: E402

COLLECTIONS = ("isk_balochistan", "isk_other_provinces", "baloch_major")
# data/incidents.csv's columns: the schema without source_text (every shipped row has URLs)
SHIPPED = tuple(c for c in COLUMNS if c != "source_text")
AUDIT_COLUMNS = ("incident_id", "field", "old_value", "new_value", "source_url", "evidence",
                 "pattern")
AUDIT_FIELDS = ("date", "district", "location", "group", "attribution", "target_type",
                "attack_type", "killed", "injured", "killed_low", "killed_high", "injured_low",
                "injured_high", "claimant_reported", "source_urls", "notes", "date_precision",
                "place_precision")
PATTERNS = ("later_toll", "injuries_filled", "range", "disputed_claim", "branch_named",
            "original_outlet", "other")
COUNTS = ("killed", "injured", "killed_low", "killed_high", "injured_low", "injured_high")


class BuildError(SystemExit):
    """Problems that stop the build, one line each (file:line: field 'value': reason)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems) + f"\n{len(problems)} problem(s): nothing written")


def research_rows(research: Path, ref) -> list[dict]:
    """The three research tables' rows in the shipped columns, districts resolved."""
    claimants = {r["incident_id"]: r["claimant_reported"]
                 for r in _read(ROOT / "data" / "claimants_reported.csv")}
    out = []
    for collection in COLLECTIONS:
        for row in _read(research / f"{collection}.csv"):
            notes = [row["notes"].strip()] if row["notes"].strip() else []
            raw = row["district"]
            district = _district(raw, ref)
            if district is None:
                raise BuildError([f"{row['incident_id']}: district {raw!r} not in gazetteer"])
            if district != raw:
                notes.append(f"[import] district given as {raw!r} in the research table.")
            if DISTRICT_SEP in district:
                notes.append("[import] one coordinated attack across several districts: kept "
                             "as one incident; it counts once in totals and once in each "
                             "district it names; its casualties are not split by district.")
            row.update(district=district, collection=collection,
                       province=ref.province_lookup.resolve(row["province"]),
                       claimant_reported=claimants[row["incident_id"]], notes=" ".join(notes))
            out.append({c: row.get(c, "") for c in SHIPPED})
    return out


def _district(raw: str, ref) -> str | None:
    """Each part of a district cell by its canonical name, joined by '; ' (None: unknown)."""
    canon = [ref.district_lookup.resolve(p) for p in split_list(raw, DISTRICT_SEP)]
    return None if None in canon or not canon else f"{DISTRICT_SEP} ".join(canon)


def _read(path: Path) -> list[dict]:
    """A CSV's rows, every cell text (a short row's missing cells blank)."""
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: v or "" for k, v in r.items() if k is not None} for r in csv.DictReader(f)]


def _same(field: str, a: str, b: str) -> bool:
    """Cells equal as written, a count also as a number ('74' and '74.0')."""
    a, b = a.strip(), b.strip()
    if field in COUNTS and a and b:
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return a == b


def audit_problems(line: int, a: dict, rows: dict[str, dict], seen: dict) -> list[str]:
    """Why one audit line cannot be applied (empty: it can)."""
    where, field = f"audit:{line}", a["field"].strip()
    if a["incident_id"] not in rows:
        return [f"{where}: incident_id {a['incident_id']!r}: unknown incident"]
    if field not in AUDIT_FIELDS:
        return [f"{where}: field {field!r}: not a field the audit may change "
                f"({', '.join(AUDIT_FIELDS)})"]
    out = []
    current = rows[a["incident_id"]][field]
    appended = field == "notes" and a["old_value"].strip() == ""  # an append may omit it
    if not appended and not _same(field, a["old_value"], current):
        out.append(f"{where}: old_value {a['old_value']!r}: the {field} of "
                   f"{a['incident_id']} is {current!r}")
    if a["pattern"].strip() not in PATTERNS:
        out.append(f"{where}: pattern {a['pattern']!r}: expected one of {', '.join(PATTERNS)}")
    if not URL.match(a["source_url"].strip()):
        out.append(f"{where}: source_url {a['source_url']!r}: every change needs the http(s) "
                   "URL of the page that states it")
    key = (a["incident_id"], field)
    if field != "notes" and key in seen:
        out.append(f"{where}: field {field!r}: {a['incident_id']} already changed on audit "
                   f"line {seen[key]}; one change per field")
    seen.setdefault(key, line)
    return out


def apply_audit(rows: list[dict], path: Path, ref) -> Counter:
    """Apply every line of the audit file (all checked against the cells before the audit);
    a note is appended, tagged [audit], any other field replaced. Returns the lines applied,
    counted by pattern."""
    by_id = {r["incident_id"]: r for r in rows}
    before = {i: dict(r) for i, r in by_id.items()}
    audit = _read(path)
    header = _header(path)
    missing = [c for c in AUDIT_COLUMNS if c not in header]
    if missing:
        raise BuildError([f"{path}:1: {c}: required column missing" for c in missing])
    problems, seen = [], {}
    for line, a in enumerate(audit, start=2):
        problems += audit_problems(line, a, before, seen)
    if problems:
        raise BuildError([p.replace("audit:", f"{path}:", 1) for p in problems])
    for a in audit:
        row, field, value = by_id[a["incident_id"]], a["field"].strip(), a["new_value"].strip()
        if field == "notes":
            row["notes"] = " ".join(p for p in (row["notes"], f"[audit] {value}") if p)
        else:
            row[field] = (_district(value, ref) or value) if field == "district" else value
    return Counter(a["pattern"].strip() for a in audit)


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f), [])


def added_rows(path: Path, known: set[str], ref) -> list[dict]:
    """The added incidents in the shipped columns; each id new, every column known."""
    added, header = _read(path), _header(path)
    problems = [f"{path}:1: {c}: not a column of data/incidents.csv" for c in header
                if c not in SHIPPED]
    problems += [f"{path}:1: {c}: required column missing" for c in
                 ("incident_id", "collection") if c not in header]
    if problems:
        raise BuildError(problems)
    out = []
    for line, row in enumerate(added, start=2):
        if row["incident_id"] in known:
            problems.append(f"{path}:{line}: incident_id {row['incident_id']!r}: already used; "
                            "an added incident needs a new id")
        if row["collection"] not in COLLECTIONS:
            problems.append(f"{path}:{line}: collection {row['collection']!r}: expected one "
                            f"of {', '.join(COLLECTIONS)}")
        known.add(row["incident_id"])
        row["district"] = _district(row["district"], ref) or row["district"]
        row["province"] = ref.province_lookup.resolve(row["province"]) or row["province"]
        out.append({c: (row.get(c) or "").strip() for c in SHIPPED})
    if problems:
        raise BuildError(problems)
    return out


def write_checked(rows: list[dict], out: Path) -> None:
    """Write the rows, validate the file as the app does, and only then replace `out`."""
    handle, name = tempfile.mkstemp(suffix=".csv", dir=out.parent)
    with os.fdopen(handle, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=SHIPPED)
        writer.writeheader()
        writer.writerows(rows)
    result = load_file(name, fmt="canonical")
    problems = [str(p).replace(name, str(out), 1) for p in result.problems if p.rejects_row]
    if problems or result.accepted != len(rows):
        os.unlink(name)
        raise BuildError(problems or [f"{out}: {result.summary()}"])
    os.replace(name, out)


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    ref = load_reference()
    rows = research_rows(Path(args.research), ref)
    changes = apply_audit(rows, Path(args.audit), ref)
    added = added_rows(Path(args.added), {r["incident_id"] for r in rows}, ref)
    write_checked(rows + added, Path(args.out))
    print(f"wrote {len(rows) + len(added)} incidents to {args.out} ({len(rows)} from the "
          f"research tables, {sum(changes.values())} audit changes applied, {len(added)} "
          "added)")
    for pattern in PATTERNS:
        if changes[pattern]:
            print(f"  audit, {pattern}: {changes[pattern]} lines")


def _parser() -> argparse.ArgumentParser:
    data = ROOT / "data"
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("research", nargs="?", default=str(ROOT.parent / "shared" / "research"),
                   help="folder of the research tables (default ../shared/research)")
    p.add_argument("--audit", default=str(data / "audit.csv"), help="the audit's changes")
    p.add_argument("--added", default=str(data / "added_incidents.csv"),
                   help="incidents added after the research tables")
    p.add_argument("--out", default=str(data / "incidents.csv"), help="the file written")
    return p


if __name__ == "__main__":
    main()
