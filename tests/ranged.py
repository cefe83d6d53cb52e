"""A synthetic copy of data/incidents.csv with casualty ranges and precision, for tests only.

The shipped rows carry no ranges or precision until the audit fills them, so the tests make
their own, by code and from a fixed seed: never shown as real data, never written to data/.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 15
DATES = ("day", "day", "approximate", "month", "")
PLACES = ("town", "district", "district", "province", "")
RANGED_ID = "ISK-BL-20160808-1"  # 74 killed, 120 injured: given 70-94 and 92-130 here


def ranged_rows() -> list[dict]:
    with open(ROOT / "data" / "incidents.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rnd = random.Random(SEED)
    for r in rows:
        for count in ("killed", "injured"):
            if r[count] and rnd.random() < 0.4:
                best = int(r[count])
                r[f"{count}_low"] = str(max(0, best - rnd.randint(0, 6)))
                r[f"{count}_high"] = str(best + rnd.randint(0, 12)) if rnd.random() < 0.7 else ""
        r["date_precision"] = rnd.choice(DATES)
        r["place_precision"] = rnd.choice(PLACES)
        if r["incident_id"] == RANGED_ID:
            r.update(killed_low="70", killed_high="94", injured_low="92", injured_high="130",
                     date_precision="day", place_precision="town")
    return rows


def write_ranged(path: Path) -> Path:
    rows = ranged_rows()
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
