"""ACLED exports: one event per row, fatalities without a side, no injuries, no claims."""
from __future__ import annotations

from datetime import datetime

from ..reference import split_list
from .common import Converter, ExportFormat, caveat_notes, detail, sources, with_notes

DATES = ("%Y-%m-%d", "%d %B %Y")


def row(conv: Converter, r: dict[str, str], line: int) -> dict | None:
    province = conv.province(r["admin1"], "admin1", line)
    day = parse_date(r["event_date"])
    if day is None:
        conv.reject(line, "event_date", r["event_date"],
                    "not a date (YYYY-MM-DD or '15 March 2024')")
    if province is None or day is None:
        return None
    notes = caveat_notes(FORMAT)
    actors = [r["actor1"], *split_list(r["assoc_actor_1"], ";")]
    kinds = [r["sub_event_type"], r["event_type"]]
    return {
        "incident_id": f"ACLED-{r['event_id_cnty']}" if r["event_id_cnty"] else "",
        "date": day,
        "province": province,
        "district": conv.district(province, [("admin2", r["admin2"]),
                                             ("location", r["location"])], line, notes),
        "group": conv.value("group", actors, "Other", line, notes, blank="Unknown"),
        "attribution": conv.value("attribution", [""], "attributed", line, notes),
        "target_type": conv.value("target_type", kinds, "Other", line, notes),
        "attack_type": conv.value("attack_type", kinds, "Other", line, notes),
        "killed": r["fatalities"],
        "injured": "",
        **sources([r["source"]], notes),
        "location": r["location"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
        "claimant_reported": "; ".join(a for a in (r["actor1"], r["assoc_actor_1"]) if a),
        "target_detail": detail("ACLED", r["event_type"], r["sub_event_type"]),
        "notes": with_notes(r["notes"], notes),
    }


def parse_date(text: str) -> str | None:
    for form in DATES:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


FORMAT = ExportFormat(
    key="acled", name="ACLED",
    columns=("event_id_cnty", "event_date", "admin1", "admin2", "location", "latitude",
             "longitude", "actor1", "assoc_actor_1", "event_type", "sub_event_type",
             "fatalities", "notes", "source"),
    signature=frozenset({"event_id_cnty", "event_date", "actor1"}),
    caveats=(("killed", "ACLED fatalities are not split by side and may include attackers"),
             ("injured", "ACLED records no injuries: injured is left unknown, never zero"),
             ("attribution", "ACLED records no claims: every row is 'attributed'")),
    row=row,
)
