"""Compile data/incidents.csv from the sourced research tables in ../shared/research.

Run once when the research tables change; the app itself reads only data/. Every row and every
source URL is kept. Spelling fixes are made through the gazetteer and recorded in the row's notes.

    python scripts/import_research.py ../shared/research
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data.schema import COLUMNS, DISTRICT_SEP  # noqa: E402
from dashboard.reference import load_reference, split_list  # noqa: E402

COLLECTIONS = ("isk_balochistan", "isk_other_provinces", "baloch_major")


def main(research: Path) -> None:
    ref = load_reference()
    claimants = {r["incident_id"]: r["claimant_reported"]
                 for r in csv.DictReader(open(ROOT / "data" / "claimants_reported.csv",
                                              encoding="utf-8"))}
    out = []
    for collection in COLLECTIONS:
        with open(research / f"{collection}.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                notes = [row["notes"].strip()] if row["notes"].strip() else []
                raw = row["district"]
                parts = split_list(raw, DISTRICT_SEP)
                canon = [ref.district_lookup.resolve(p) for p in parts]
                if None in canon:
                    raise SystemExit(f"{row['incident_id']}: district {raw!r} not in gazetteer")
                district = f"{DISTRICT_SEP} ".join(canon)
                if district != raw:
                    notes.append(f"[import] district given as {raw!r} in the research table.")
                if len(canon) > 1:
                    notes.append("[import] one coordinated attack across several districts: kept "
                                 "as one incident; it counts once in totals and once in each "
                                 "district it names; its casualties are not split by district.")
                row["district"] = district
                row["province"] = ref.province_lookup.resolve(row["province"])
                row["collection"] = collection
                row["claimant_reported"] = claimants[row["incident_id"]]
                row["notes"] = " ".join(notes)
                out.append({c: row.get(c, "") for c in COLUMNS})
    with open(ROOT / "data" / "incidents.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} incidents to data/incidents.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "research")
