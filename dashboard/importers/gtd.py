"""Global Terrorism Database exports: year, month and day apart (0 = unknown), -99 for an
unknown count, up to three citations."""
from __future__ import annotations

from datetime import date

from ..reference import fold
from .common import Converter, ExportFormat, detail, sources, whole, with_notes

UNKNOWN_COUNT = -99


def row(conv: Converter, r: dict[str, str], line: int) -> dict | None:
    province = conv.province(r["provstate"], "provstate", line)
    notes: list[str] = []
    day = parse_date(conv, r, line, notes)
    if province is None or day is None:
        return None
    killed = count(r["nkill"], "nkill", notes)
    if killed:
        notes.append(f"{FORMAT.caveats[0][1]}.")
    claimed = whole(r["claimed"])
    return {
        "incident_id": f"GTD-{r['eventid']}" if r["eventid"] else "",
        "date": day,
        "province": province,
        "district": conv.district(province, [("city", r["city"])], line, notes),
        "group": conv.value("group", [r["gname"]], "Other", line, notes, blank="Unknown"),
        "attribution": conv.value("attribution", [r["claimed"] if claimed is None
                                                  else str(claimed)], "attributed", line, notes),
        "target_type": conv.value("target_type", [r["targtype1_txt"]], "Other", line, notes),
        "attack_type": conv.value("attack_type", [r["attacktype1_txt"]], "Other", line, notes),
        "killed": killed,
        "injured": count(r["nwound"], "nwound", notes),
        **sources([r["scite1"], r["scite2"], r["scite3"]], notes),
        "location": "" if fold(r["city"]) == "unknown" else r["city"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
        "claimant_reported": r["gname"],
        "target_detail": detail("GTD", r["targtype1_txt"]),
        "notes": with_notes(r["summary"], notes),
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
        notes.append("GTD month unknown (imonth=0); date set to 1 January.")
    elif day == 0:
        notes.append("GTD day unknown (iday=0); date set to the 1st.")
    return result.isoformat()


def count(text: str, column: str, notes: list[str]) -> str:
    """GTD writes -99 (or nothing) for an unknown count: blank, never zero."""
    if whole(text) == UNKNOWN_COUNT:
        notes.append(f"GTD {column} {UNKNOWN_COUNT} (unknown): left blank.")
        return ""
    return text


FORMAT = ExportFormat(
    key="gtd", name="GTD",
    columns=("eventid", "iyear", "imonth", "iday", "provstate", "city", "latitude",
             "longitude", "gname", "targtype1_txt", "attacktype1_txt", "nkill", "nwound",
             "summary", "scite1", "scite2", "scite3", "claimed"),
    signature=frozenset({"eventid", "iyear", "gname"}),
    caveats=(("killed", "GTD nkill counts every death, attackers included"),),
    row=row,
)
