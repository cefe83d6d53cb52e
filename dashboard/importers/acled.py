"""ACLED exports, in both formats: the current one (event_type with sub_event_type,
assoc_actor_1, inter1 and inter2, from 2019) and the one before (upper-case names, ALLY_ACTOR_1,
a single EVENT_TYPE such as 'Battle-No change of territory' or 'Remote violence', dates such as
'01-January-2015' or '18/04/2001'). Told apart by their columns.

Only political violence by a non-state armed group is an attack (data/mappings/
acled_event_types.csv): a battle in which a rebel group or a political or identity militia
(inter1/inter2 2, 3 or 4) is a side, the group being that side; an explosion, remote violence or
violence against civilians whose perpetrator (actor1) is one. Protests, riots, strategic
developments and events of state forces (or others) alone are left out and counted by type;
with the option acled_events='all' they are kept, labelled 'Not a militant attack: <type>'
as their group, never as a militant group's attack. Fatalities have no side; no injuries,
no claims.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import pandas as pd

from ..paths import MAPPINGS_DIR
from ..reference import fold, split_list
from .common import (Converter, ExportFormat, caveat_notes, detail, precision, sources,
                     with_notes)

DATES = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y",
         "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
DATE_WORDS = "YYYY-MM-DD, '15 March 2024', '01-January-2015' or '18/04/2001'"
# ACLED's actor types (inter1, inter2): numbers in most exports, words in the newest.
INTER = {"1": "state forces", "2": "rebel group", "3": "political militia",
         "4": "identity militia", "5": "rioters", "6": "protesters", "7": "civilians",
         "8": "external/other forces"}
ARMED_GROUPS = {"rebel group", "political militia", "identity militia"}
NOT_ATTACK = "not political violence"
NO_GROUP = "no non-state armed group as the attacker (state forces or others only)"
LABEL = "Not a militant attack: {}"
# ACLED's codebook: time_precision 1 the day is reported, 2 a few days or a week, 3 the month;
# geo_precision 1 the town, 2 near a town or within a district, 3 a larger region (the point is
# the region's centre or the provincial capital, so it does not place the row).
TIME_PRECISION = {1: "day", 2: "approximate", 3: "month"}
GEO_PRECISION = {1: "town", 2: "district", 3: "province"}


@lru_cache(maxsize=1)
def event_roles() -> dict[str, str]:
    table = pd.read_csv(MAPPINGS_DIR / "acled_event_types.csv", dtype=str,
                        keep_default_na=False)
    return {fold(t): role for t, role in zip(table["event_type"], table["role"])}


def actor_type(code: str) -> str:
    """'2', '2.0' or 'Rebel group' -> 'rebel group'; '' when blank or unknown."""
    text = fold(code)
    number = text[:-2] if text.endswith(".0") else text
    return INTER.get(number, text if text in INTER.values() else "")


def attacker(r: dict[str, str], role: str) -> int | None:
    """Which side (1 or 2) is the non-state armed group that attacked, or None."""
    one, two = actor_type(r["inter1"]) in ARMED_GROUPS, actor_type(r["inter2"]) in ARMED_GROUPS
    if one:
        return 1
    if role == "battle" and two:
        return 2
    return None


def row(conv: Converter, r: dict[str, str], line: int) -> dict | None:
    role = event_roles().get(fold(r["event_type"]))
    keep_all = conv.options.get("acled_events") == "all"
    side = attacker(r, role) if role in ("battle", "one-sided") else None
    if role is None:
        conv.reject(line, "event_type", r["event_type"],
                    "not an ACLED event type (see data/mappings/acled_event_types.csv)")
        return None
    day = parse_date(r["event_date"])
    notes = caveat_notes(FORMAT)
    where = precision(conv, line, "geo_precision", r["geo_precision"], GEO_PRECISION)
    when = precision(conv, line, "time_precision", r["time_precision"], TIME_PRECISION)
    point = (r["latitude"], r["longitude"]) if where != "province" else ("", "")
    if where == "province":
        notes.append("ACLED geo_precision 3 (a larger region): placed by its names, not by "
                     "its coordinates (a regional centre or the provincial capital).")
    place = conv.place(line, r["country"], ("admin1", r["admin1"]),
                       [("admin2", r["admin2"]), ("location", r["location"])], *point, notes)
    if place is None or where is None or when is None:  # left out or rejected
        return None
    if side is None and not keep_all:
        conv.leave_out(line, NOT_ATTACK if role == "not political violence" else NO_GROUP,
                       r["event_type"])
        return None
    if day is None:
        conv.reject(line, "event_date", r["event_date"], f"not a date ({DATE_WORDS})")
        return None
    province, district = place
    kinds = [r["sub_event_type"], r["event_type"]]
    n = side or 1
    actors = [r[f"actor{n}"], *split_list(r[f"assoc_actor_{n}"], ";")]
    if side is None:
        label = LABEL.format(r["event_type"])
        notes.append(f"ACLED {r['event_type']}: not an attack by a non-state armed group; kept "
                     "by the option acled_events=all.")
        conv.mapped.append((line, "group", r["actor1"], label, "not an attack"))
        group = label
    else:
        group = conv.value("group", actors, "Other", line, notes, blank="Unknown", keep=True)
    return {
        "incident_id": f"ACLED-{r['event_id_cnty']}" if r["event_id_cnty"] else "",
        "date": day,
        "province": province,
        "district": district,
        "group": group,
        "attribution": conv.value("attribution", [""], "attributed", line, notes),
        "target_type": conv.value("target_type", kinds, "Other", line, notes),
        "attack_type": conv.value("attack_type", kinds, "Other", line, notes),
        "killed": r["fatalities"],
        "injured": "",
        **sources([r["source"]], notes),
        "location": r["location"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
        "claimant_reported": "; ".join(a for a in (r[f"actor{n}"], r[f"assoc_actor_{n}"]) if a),
        "target_detail": detail("ACLED", r["event_type"], r["sub_event_type"]),
        "notes": with_notes(r["notes"], notes),
        "date_precision": when,
        "place_precision": where,
    }


def parse_date(text: str) -> str | None:
    for form in DATES:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def variant(columns: set[str]) -> str:
    if "sub_event_type" in columns and "assoc_actor_1" in columns:
        return "ACLED"
    return "ACLED, format before the 2019 change"


FORMAT = ExportFormat(
    key="acled", name="ACLED",
    columns=("event_id_cnty", "event_date", "event_type", "actor1",
             "assoc_actor_1|ally_actor_1", "inter1", "actor2", "assoc_actor_2|ally_actor_2",
             "inter2", "country", "admin1", "admin2", "location", "latitude", "longitude",
             "fatalities", "notes", "source"),
    optional=("sub_event_type", "time_precision", "geo_precision"),
    signature=frozenset({"event_id_cnty", "event_date", "actor1"}),
    caveats=(("killed", "ACLED fatalities are not split by side and may include attackers"),
             ("injured", "ACLED records no injuries: injured is left unknown, never zero"),
             ("attribution", "ACLED records no claims: every row is 'attributed'")),
    row=row,
    variant=variant,
)
