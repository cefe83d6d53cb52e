"""Global Terrorism Database exports: year, month and day apart (0 = unknown), -99 for an
unknown count, up to three citations, up to three groups, and every country.

Killed and injured are victims only: nkill less nkillter (the attackers killed) and nwound less
nwoundte, where both are known, with the subtraction in the row's notes; a figure is never
invented (unknown stays blank).
"""
from __future__ import annotations

from datetime import date

from ..reference import fold
from .common import Converter, ExportFormat, detail, precision, sources, whole, with_notes

UNKNOWN_COUNT = -99
# GTD's codebook, specificity: 1 the town's own coordinates; 2 the town is named but the point
# is the centre of the smallest region found; 3 not in a town, that region's centre; 4 only the
# province (first-order region) is known; 5 not even that (the country's centre). From 4 on the
# point does not place the row.
SPECIFICITY = {1: "town", 2: "district", 3: "district", 4: "province", 5: "province"}


def row(conv: Converter, r: dict[str, str], line: int) -> dict | None:
    notes: list[str] = []
    where = precision(conv, line, "specificity", r["specificity"], SPECIFICITY)
    point = (r["latitude"], r["longitude"]) if where != "province" else ("", "")
    if where == "province":
        notes.append(f"GTD specificity {r['specificity']} (province or country centre): placed "
                     "by its names, not by its coordinates.")
    place = conv.place(line, r["country_txt"], ("provstate", r["provstate"]),
                       [("city", r["city"])], *point, notes)
    if place is None or where is None:  # left out (another country or province) or rejected
        return None
    day = parse_date(conv, r, line, notes)
    killed = victims(conv, r, "nkill", "nkillter", "killed", line, notes)
    injured = victims(conv, r, "nwound", "nwoundte", "injured", line, notes)
    if day is None or killed is None or injured is None:
        return None
    province, district = place
    claimed = whole(r["claimed"])
    names = [n for n in (r["gname"], r["gname2"], r["gname3"]) if n and fold(n) != "unknown"]
    return {
        "incident_id": f"GTD-{r['eventid']}" if r["eventid"] else "",
        "date": day,
        "province": province,
        "district": district,
        "group": conv.value("group", [r["gname"]], "Other", line, notes, blank="Unknown",
                            keep=True),
        "attribution": conv.value("attribution", [r["claimed"] if claimed is None
                                                  else str(claimed)], "attributed", line, notes),
        "target_type": conv.value("target_type", [r["targtype1_txt"]], "Other", line, notes),
        "attack_type": conv.value("attack_type", [r["attacktype1_txt"]], "Other", line, notes),
        "killed": killed,
        "injured": injured,
        **sources([r["scite1"], r["scite2"], r["scite3"]], notes),
        "location": "" if fold(r["city"]) == "unknown" else r["city"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
        "claimant_reported": "; ".join(names) or r["gname"],
        "target_detail": detail("GTD", r["targtype1_txt"]),
        "notes": with_notes(r["summary"], notes),
        "date_precision": date_precision(r),
        "place_precision": where,
    }


def parse_date(conv: Converter, r: dict[str, str], line: int, notes: list[str]) -> str | None:
    """iyear, imonth, iday; a month or day of 0 (unknown) becomes the 1st, with a note."""
    year, month, day = (whole(r[c]) for c in ("iyear", "imonth", "iday"))
    given = f"{r['iyear']}-{r['imonth']}-{r['iday']}"
    try:
        if None in (year, month, day):
            raise ValueError("iyear, imonth and iday must be whole numbers")
        result = date(year, month or 1, day if month and day else 1)
    except (ValueError, OverflowError) as exc:
        conv.reject(line, "iyear-imonth-iday", given, f"not a real calendar date ({exc})")
        return None
    if month == 0:
        notes.append("GTD month unknown (imonth=0); date set to 1 January; date precision left "
                     "blank (only the year is known).")
    elif day == 0:
        notes.append("GTD day unknown (iday=0); date set to the 1st.")
    return result.isoformat()


def date_precision(r: dict[str, str]) -> str:
    """'month' when GTD's day is unknown (iday 0), 'approximate' when approxdate says the date
    is approximate, else 'day'; blank when even the month is unknown (no value says 'year')."""
    if whole(r["imonth"]) == 0:
        return ""
    if whole(r["iday"]) == 0:
        return "month"
    return "approximate" if r["approxdate"] else "day"


def count(text: str, column: str, notes: list[str]) -> str:
    """GTD writes -99 (or nothing) for an unknown count: blank, never zero."""
    if whole(text) == UNKNOWN_COUNT:
        notes.append(f"GTD {column} {UNKNOWN_COUNT} (unknown): left blank.")
        return ""
    return text


def victims(conv: Converter, r: dict[str, str], total: str, attackers: str, ours: str,
            line: int, notes: list[str]) -> str | None:
    """The victims of a count: total less the attackers where both are known (noted); the
    total, noted as possibly counting attackers, where only it is; None: rejected."""
    all_ = count(r[total], total, notes)
    if all_ == "":
        return ""
    n, less = whole(all_), whole(r[attackers]) if r[attackers] else None
    if less == UNKNOWN_COUNT or less is None or n is None or n < 0:
        if n is not None and n > 0:  # validation rejects what is not a count
            notes.append(f"GTD {total} {n} may include attackers ({attackers} "
                         f"{'not given' if not r[attackers] else 'unknown'}): {ours} is {n}.")
        return all_
    if less < 0 or less > n:
        conv.reject(line, attackers, r[attackers],
                    f"attackers {'below zero' if less < 0 else f'above {total} {n}'}: cannot "
                    f"be subtracted from {total}")
        return None
    notes.append(f"{ours} {n - less}: GTD {total} {n} less {attackers} {less} (attackers).")
    return str(n - less)


FORMAT = ExportFormat(
    key="gtd", name="GTD",
    columns=("eventid", "iyear", "imonth", "iday", "country_txt", "provstate", "city",
             "latitude", "longitude", "gname", "targtype1_txt", "attacktype1_txt", "nkill",
             "nwound", "summary", "scite1", "scite2", "scite3", "claimed"),
    optional=("nkillter", "nwoundte", "gname2", "gname3", "specificity", "approxdate"),
    signature=frozenset({"eventid", "iyear", "gname"}),
    caveats=(("killed", "GTD killed and injured are victims only: nkill less nkillter and "
                        "nwound less nwoundte where both are known; where nkillter or "
                        "nwoundte is unknown the total is kept and may include attackers"),),
    row=row,
)
