"""An independent reference for every number a view shows (issue 10).

Written from the data files and the rules documented in README.md ("Using it", "Permalinks")
and data/README.md, with plain `csv`/pandas. It imports nothing from `dashboard/` and shares no
code with it: the tests compare the app against these answers, never against the app's own
functions.

A view is a plain dict parsed from a permalink query string (`parse`), with the URL's keys:
`from`, `to` (ISO date strings, inclusive), `province`, `district`, `group`, `attribution`,
`target`, `attack` (lists of canonical values), `min_killed` (int or None), `period`, `view`,
`rule` and `events` (bool), `base_from`, `base_to` (ISO dates or None), `flag_pct`, `flag_min`
(int). Readable over clever: 126 rows need no speed.
"""
from __future__ import annotations

import calendar
import csv
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

MULTI_KEYS = ("province", "district", "group", "attribution", "target", "attack")
COLUMN_OF = {"province": "province", "group": "group", "attribution": "attribution",
             "target": "target_type", "attack": "attack_type"}
ATTRIBUTIONS = ("claimed", "attributed", "disputed")
FAMILIES = ("Islamic State", "Baloch separatist")  # README: IS (IS-K, ISPP) vs Baloch groups
COMMON_RULE = 5  # README: "one common rule (at least 5 killed)"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _key(text: str) -> str:
    """data/README.md: values are matched without regard to case or spacing."""
    return " ".join(str(text).lower().split())


def _split(cell: str, sep: str) -> list[str]:
    return [p.strip() for p in cell.split(sep) if p.strip()]


# ---------------------------------------------------------------------- the data files
RAW = _rows("incidents.csv")
RAW_COLUMNS = list(RAW[0])
GAZETTEER = {r["district"]: r for r in _rows("districts.csv")}
PROVINCES = {r["province"]: r for r in _rows("provinces.csv")}
VOCAB = _rows("vocabularies.csv")
PUBLISHED = _rows("published_figures.csv")
EVENTS = _rows("events.csv")
FAMILY = {r["value"]: r["family"] for r in VOCAB if r["field"] == "group"}
HUMAN_TARGETS = {r["value"] for r in VOCAB if r["field"] == "target_type"
                 and r["human_target"] == "yes"}


def _number(text: str) -> float:
    """Blank means unknown, never zero."""
    return float(text) if text.strip() != "" else float("nan")


def frame(raw: list[dict]) -> pd.DataFrame:
    """The incidents of a file's rows. data/README.md: a blank range bound is the best figure;
    precision blank is unknown; 'precise' is an exact day placed to the town or district."""
    df = _frame(raw)
    for count in ("killed", "injured"):
        for bound in (f"{count}_low", f"{count}_high"):
            given = pd.Series([_number(r.get(bound, "")) for r in raw], index=df.index,
                              dtype=float)
            df[bound] = given.fillna(df[count])
    dates = pd.Series([r.get("date_precision", "").strip().lower() for r in raw], dtype=object)
    places = pd.Series([r.get("place_precision", "").strip().lower() for r in raw], dtype=object)
    df["precise"] = (dates == "day") & places.isin(["town", "district"])
    df["province_level"] = places == "province"
    return df


def load(path) -> pd.DataFrame:
    """The incidents of another file in the canonical schema (e.g. one a test wrote)."""
    with open(path, newline="", encoding="utf-8") as f:
        return frame(list(csv.DictReader(f)))


def _frame(raw: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame({
        "incident_id": [r["incident_id"] for r in raw],
        "day": [r["date"][:10] for r in raw],
        "province": [r["province"] for r in raw],
        "districts": [_split(r["district"], ";") for r in raw],
        "group": [r["group"] for r in raw],
        "attribution": [r["attribution"] for r in raw],
        "target_type": [r["target_type"] for r in raw],
        "attack_type": [r["attack_type"] for r in raw],
        "killed": [_number(r["killed"]) for r in raw],
        "injured": [_number(r["injured"]) for r in raw],
        "collection": [r["collection"] for r in raw],
    })
    df["year"] = df["day"].str[:4].astype(int)
    df["month"] = df["day"].str[:7]
    return df


INCIDENTS = frame(RAW)
# "ties go to the first in the data's group order": the groups present, in name order
GROUPS = sorted(set(INCIDENTS["group"]))
TARGETS = sorted(set(INCIDENTS["target_type"]))


def _lookup(pairs) -> dict[str, str]:
    out = {}
    for value, aliases in pairs:
        for spelling in [value, *_split(aliases, "|")]:
            out.setdefault(_key(spelling), value)
    return out


LOOKUP = {
    "province": _lookup((p, r["aliases"]) for p, r in PROVINCES.items()),
    "district": _lookup((d, r["aliases"]) for d, r in GAZETTEER.items()),
    **{key: _lookup((r["value"], r["aliases"]) for r in VOCAB if r["field"] == field)
       for key, field in (("group", "group"), ("attribution", "attribution"),
                          ("target", "target_type"), ("attack", "attack_type"))},
}


# ---------------------------------------------------------------------- permalinks
def empty_view() -> dict:
    return {"from": None, "to": None, **{k: [] for k in MULTI_KEYS}, "min_killed": None,
            "precise": False, "period": "year", "view": "overview", "rule": True, "events": True,
            "base_from": None, "base_to": None, "flag_pct": 25, "flag_min": 3}


def parse(query: str) -> dict:
    """The README's permalink table, for well-formed queries (the first of a repeated key
    counts; unknown keys and values are ignored)."""
    view, seen = empty_view(), set()
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if key in seen:
            continue
        seen.add(key)
        if key in ("from", "to", "base_from", "base_to") and len(value) == 10:
            view[key] = value
        elif key in MULTI_KEYS:
            for part in _split(value, ","):
                canon = LOOKUP[key].get(_key(part))
                if canon and canon not in view[key]:
                    view[key].append(canon)
        elif key == "min_killed" and value.isdigit():
            view["min_killed"] = int(value) or None
        elif key == "period" and value in ("year", "month"):
            view["period"] = value
        elif key == "view" and value in ("overview", "compare", "published", "targets",
                                         "change"):
            view["view"] = value
        elif key in ("rule", "events", "precise") and value in ("on", "off"):
            view[key] = value == "on"
        elif key == "flag_pct" and value.isdigit() and 1 <= int(value) <= 1000:
            view[key] = int(value)
        elif key == "flag_min" and value.isdigit() and 1 <= int(value) <= 10000:
            view[key] = int(value)
    if view["from"] and view["to"] and view["from"] > view["to"]:
        view["from"] = view["to"] = None
    if not (view["base_from"] and view["base_to"] and view["base_from"] <= view["base_to"]):
        view["base_from"] = view["base_to"] = None
    return view


# ---------------------------------------------------------------------- selection
def select(view: dict, ignore: tuple[str, ...] = (), df: pd.DataFrame | None = None
           ) -> pd.DataFrame:
    """The incidents of a view; `ignore` names dimensions left out ('date', 'district',
    'target', ...), as a chart ignores its own dimension. `df`: another file's incidents."""
    df = INCIDENTS if df is None else df
    keep = pd.Series(True, index=df.index)
    if "date" not in ignore:
        if view["from"]:
            keep &= df["day"] >= view["from"]
        if view["to"]:
            keep &= df["day"] <= view["to"]  # inclusive
    for key, column in COLUMN_OF.items():
        if view[key] and key not in ignore:
            keep &= df[column].isin(view[key])
    if view["district"] and "district" not in ignore:
        chosen = set(view["district"])
        keep &= df["districts"].map(lambda parts: bool(chosen & set(parts)))
    if view["min_killed"] and "min_killed" not in ignore:
        keep &= df["killed"] >= view["min_killed"]  # unknown killed (NaN) drops out
    if view.get("precise") and "precise" not in ignore:
        keep &= df["precise"]
    return df[keep]


def ids(view: dict) -> set[str]:
    return set(select(view)["incident_id"])


def _known_sum(values: pd.Series) -> int:
    return int(values.fillna(0).sum())


# ---------------------------------------------------------------------- numbers
def kpis(view: dict, df: pd.DataFrame | None = None) -> dict:
    sel = select(view, df=df)
    unknown_k, unknown_i = sel["killed"].isna(), sel["injured"].isna()
    ranges = {b: _known_sum(sel[b]) for b in ("killed_low", "killed_high", "injured_low",
                                               "injured_high")}
    return dict(attacks=len(sel), killed=_known_sum(sel["killed"]),
                injured=_known_sum(sel["injured"]), unknown_killed=int(unknown_k.sum()),
                unknown_injured=int(unknown_i.sum()),
                unknown_any=int((unknown_k | unknown_i).sum()), **ranges)


def kpi_texts(view: dict, df: pd.DataFrame | None = None) -> dict:
    """What the page shows under the README's ids (and the notes beside them): a count's
    note gives the sources' range where it differs from the best figures, then the unknown."""
    k = kpis(view, df)

    def note(n, what):
        low, high = k[f"{what}_low"], k[f"{what}_high"]
        span = None if low == k[what] == high else f"sources range {low:,} to {high:,}"
        unknown = f"+ {n} attacks with {what} unknown" if n else None
        return "; ".join(p for p in (span, unknown) if p) or "known figures"

    return {"kpi-attacks": f"{k['attacks']:,}", "kpi-killed": f"{k['killed']:,}",
            "kpi-injured": f"{k['injured']:,}", "kpi-unknown": f"{k['unknown_any']:,}",
            "kpi-killed-note": note(k["unknown_killed"], "killed"),
            "kpi-injured-note": note(k["unknown_injured"], "injured")}


def in_view(view: dict) -> int:
    """The footers' 'N incidents in view'."""
    return len(select(view))


def _most_first(table: pd.DataFrame) -> pd.DataFrame:
    """Sorted most attacks first, then by name."""
    if table.empty:
        return table
    order = sorted(table.index, key=lambda name: (-int(table.loc[name].sum()), name))
    return table.loc[order]


def _count_table(pairs: list[tuple[str, str]], columns: list[str], name: str) -> pd.DataFrame:
    table = pd.DataFrame(0, index=pd.Index(sorted({r for r, _ in pairs}), name=name),
                         columns=columns)
    for row, col in pairs:
        table.loc[row, col] += 1
    return table


def districts(view: dict) -> pd.DataFrame:
    """District chart: attacks per district (rows) and group (columns), ignoring the district
    filter; an attack in several districts counts once in each. With provinces selected,
    every gazetteer district of them is listed, zeros included."""
    sel = select(view, ignore=("district",))
    pairs = [(d, g) for parts, g in zip(sel["districts"], sel["group"]) for d in parts]
    table = _count_table(pairs, GROUPS, "district")
    if view["province"]:
        listed = [d for d, r in GAZETTEER.items() if r["province"] in view["province"]]
        table = table.reindex(sorted(set(table.index) | set(listed)), fill_value=0)
    else:
        table = table[table.sum(axis=1) > 0]
    return _most_first(table)


def targets(view: dict) -> pd.DataFrame:
    """Target chart: attacks per target type and group, ignoring the target filter."""
    sel = select(view, ignore=("target",))
    table = _count_table(list(zip(sel["target_type"], sel["group"])), GROUPS, "target_type")
    return _most_first(table)


def periods(view: dict, df: pd.DataFrame | None = None) -> list[str]:
    """Timeline slots (first days, YYYY-MM-DD) from the first to the last matching incident,
    ignoring the date filter."""
    sel = select(view, ignore=("date",), df=df)
    if sel.empty:
        return []
    if view["period"] == "year":
        return [f"{y}-01-01" for y in range(sel["year"].min(), sel["year"].max() + 1)]
    return [f"{p:%Y-%m-01}" for p in pd.period_range(sel["month"].min(), sel["month"].max(),
                                                     freq="M")]


def timeline(view: dict, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per year or month: attacks, known killed and injured, how many attacks had each
    unknown, and the sources' range of the known figures. Ignores the date filter (it shows
    the span to select from)."""
    sel = select(view, ignore=("date",), df=df)
    slot = (sel["year"].astype(str) + "-01-01") if view["period"] == "year" \
        else (sel["month"] + "-01")
    out = []
    bounds = ("killed_low", "killed_high", "injured_low", "injured_high")
    for first in periods(view, df):
        part = sel[slot == first]
        out.append(dict(period=first, attacks=len(part), killed=_known_sum(part["killed"]),
                        injured=_known_sum(part["injured"]),
                        unknown_killed=int(part["killed"].isna().sum()),
                        unknown_injured=int(part["injured"].isna().sum()),
                        **{b: _known_sum(part[b]) for b in bounds}))
    return pd.DataFrame(out, columns=["period", "attacks", "killed", "injured",
                                      "unknown_killed", "unknown_injured", *bounds])


def range_words(best: int, low: int, high: int) -> str:
    """A hover's range: '; sources range 70 to 94', or '' where the sources agree."""
    return "" if low == best == high else f"; sources range {low:,} to {high:,}"


def timeline_note(view: dict, df: pd.DataFrame | None = None) -> str | None:
    """The timeline's range note (under the filters): the view's best figures and their
    range where the sources differ, else no note."""
    table = timeline(view, df)
    parts = []
    for count in ("killed", "injured"):
        best, low, high = (int(table[c].sum()) for c in (count, f"{count}_low",
                                                         f"{count}_high"))
        if not low == best == high:
            parts.append(f"{count} {best:,} (sources range {low:,} to {high:,})")
    return "Bars: best-supported figures; " + ", ".join(parts) if parts else None


def map_points(view: dict) -> tuple[list[dict], list[tuple[str, int]]]:
    """One bubble per district with attacks (district chart's counts): its total, its main
    group (most attacks there; ties to the first in the data's group order), the hover's
    breakdown and the gazetteer's coordinate. Also (district, attacks) without coordinates."""
    located, unplaced = [], []
    for district, row in districts(view).iterrows():
        total = int(row.sum())
        if not total:
            continue
        best = max(row)
        main = next(g for g in GROUPS if row[g] == best)
        breakdown = ", ".join(f"{g} {int(row[g])}" for g in GROUPS if row[g] > 0)
        gaz = GAZETTEER[district]
        if gaz["latitude"] == "":
            unplaced.append((district, total))
        else:
            located.append(dict(district=district, attacks=total, main_group=main,
                                breakdown=breakdown, lat=float(gaz["latitude"]),
                                lon=float(gaz["longitude"])))
    return located, unplaced


# ---------------------------------------------------------------------- maps
# assets/geo/README.md: the district polygons (P-codes), and where each gazetteer district's
# attacks are counted: its own polygon, its parent polygon, or not on the map.
GEO = ROOT / "assets" / "geo"
with open(GEO / "districts.geojson", encoding="utf-8") as _f:
    POLYGONS = {f["properties"]["adm2_pcode"]: f["properties"]
                for f in __import__("json").load(_f)["features"]}
with open(GEO / "match.csv", newline="", encoding="utf-8") as _f:
    COUNTED_IN = {r["gazetteer_district"]: r["map_pcode"] for r in csv.DictReader(_f)}
MAP_PROVINCES = ["Balochistan", "Khyber Pakhtunkhwa", "Sindh", "Islamabad"]


def _map_provinces(view: dict, hit_pcodes: set) -> list[str]:
    """The province filter's provinces, else those with attacks on the map, else all."""
    if view["province"]:
        return [p for p in MAP_PROVINCES if p in view["province"]]
    hit = {POLYGONS[c]["province"] for c in hit_pcodes}
    return [p for p in MAP_PROVINCES if p in hit] or MAP_PROVINCES


def map_polygons(view: dict) -> tuple[dict, list[tuple[str, int]]]:
    """Per polygon of the provinces in view: the incidents (ids) naming a district counted
    in it, each once, ignoring the district filter; and (district, attacks) not on the map,
    most first."""
    sel = select(view, ignore=("district",))
    ids_in: dict = {c: set() for c in POLYGONS}
    off: dict = {}
    for iid, parts in zip(sel["incident_id"], sel["districts"]):
        for d in parts:
            code = COUNTED_IN.get(d, "")
            if code:
                ids_in[code].add(iid)
            else:
                off[d] = off.get(d, 0) + 1
    shown = _map_provinces(view, {c for c, s in ids_in.items() if s})
    polys = {c: s for c, s in ids_in.items() if POLYGONS[c]["province"] in shown}
    return polys, sorted(off.items(), key=lambda t: (-t[1], t[0]))


def map_hover(view: dict) -> dict[str, dict]:
    """Per polygon of map_polygons: what its hover says (README "Map"): attacks, known killed
    and injured, how many attacks had each unknown and were placed at province level only,
    the sources' range, and attacks per group ('BLA 2, IS-K 3', groups in name order)."""
    polys, _ = map_polygons(view)
    sel = select(view, ignore=("district",)).set_index("incident_id")
    out = {}
    for code, ids in polys.items():
        part = sel.loc[sorted(ids)]
        groups = part["group"].value_counts()
        out[code] = dict(attacks=len(ids), killed=_known_sum(part["killed"]),
                         injured=_known_sum(part["injured"]),
                         unknown_killed=int(part["killed"].isna().sum()),
                         unknown_injured=int(part["injured"].isna().sum()),
                         province_level=int(part["province_level"].sum()),
                         breakdown=", ".join(f"{g} {int(groups[g])}" for g in sorted(groups.index)),
                         **{b: _known_sum(part[b]) for b in ("killed_low", "killed_high",
                                                              "injured_low", "injured_high")})
    return out


def footprint(view: dict) -> tuple[dict, list[tuple[str, int]]]:
    """Per polygon of the provinces in view, under the comparison's rule: attacks by each
    family and which side hit it ('none', '<family> only', 'both'); and (district, attacks)
    not on the map, most first."""
    sel = _with_family(select(comparison_filters(view), ignore=("district",)))
    hits: dict = {c: {f: set() for f in FAMILIES} for c in POLYGONS}
    off: dict = {}
    for iid, parts, fam in zip(sel["incident_id"], sel["districts"], sel["family"]):
        for d in parts:
            if COUNTED_IN.get(d):
                hits[COUNTED_IN[d]][fam].add(iid)
            else:
                off[d] = off.get(d, 0) + 1
    shown = _map_provinces(comparison_filters(view),
                           {c for c, h in hits.items() if any(h.values())})
    out = {}
    for c, h in hits.items():
        if POLYGONS[c]["province"] not in shown:
            continue
        a, b = (len(h[f]) for f in FAMILIES)
        side = "both" if a and b else f"{FAMILIES[0]} only" if a else \
            f"{FAMILIES[1]} only" if b else "none"
        out[c] = dict(zip(FAMILIES, (a, b)), side=side)
    return out, sorted(off.items(), key=lambda t: (-t[1], t[0]))


# ---------------------------------------------------------------------- analyst views
def comparison_filters(view: dict) -> dict:
    """The comparison's own view: the group filter does not apply; the common rule (at least
    5 killed, or the stricter minimum) unless rule=off."""
    cv = dict(view, group=[])
    if view["rule"]:
        cv["min_killed"] = max(view["min_killed"] or 0, COMMON_RULE)
    return cv


def _with_family(sel: pd.DataFrame) -> pd.DataFrame:
    sel = sel.assign(family=sel["group"].map(FAMILY))
    return sel[sel["family"].isin(FAMILIES)]


def compare_districts(view: dict) -> pd.DataFrame:
    """Attacks per district and family (ignoring the district filter), most first; 'both'
    marks districts attacked by both sides."""
    sel = _with_family(select(comparison_filters(view), ignore=("district",)))
    pairs = [(d, fam) for parts, fam in zip(sel["districts"], sel["family"]) for d in parts]
    table = _most_first(_count_table(pairs, list(FAMILIES), "district"))
    table["both"] = (table[list(FAMILIES)] > 0).all(axis=1)
    return table


def compare_years(view: dict) -> pd.DataFrame:
    """Attacks and known killed per year and family (ignoring the date filter), every year
    from the first to the last, zeros included."""
    sel = _with_family(select(comparison_filters(view), ignore=("date",)))
    out = []
    if len(sel):
        for year in range(sel["year"].min(), sel["year"].max() + 1):
            for fam in FAMILIES:
                part = sel[(sel["year"] == year) & (sel["family"] == fam)]
                out.append(dict(year=year, family=fam, attacks=len(part),
                                killed=_known_sum(part["killed"])))
    return pd.DataFrame(out, columns=["year", "family", "attacks", "killed"])


def published(view: dict) -> list[dict]:
    """Each published figure beside the dataset's count for its scope. The dataset side
    uses the attribution filter (all three attributions when none is selected)."""
    attribution = view["attribution"] or list(ATTRIBUTIONS)
    out = []
    for fig in PUBLISHED:
        scope = dict(empty_view(), group=_split(fig["groups"], "|"),
                     province=[fig["province"]], attribution=attribution,
                     district=[fig["district"]] if fig["district"] else [],
                     target=_split(fig["target_types"], "|"),
                     **{"from": fig["date_from"] or None, "to": fig["date_to"] or None})
        k = kpis(scope)
        value = k[fig["measure"]]
        unknown = {"attacks": 0, "killed": k["unknown_killed"],
                   "injured": k["unknown_injured"]}[fig["measure"]]
        out.append(dict(figure_id=fig["figure_id"], scope=fig["scope"],
                        measure=fig["measure"], published=int(fig["value"]), dataset=value,
                        unknown=unknown, coverage=round(value / int(fig["value"]), 2),
                        definition=" + ".join(attribution), citation=fig["citation"],
                        scope_view=scope))
    return out


def target_shares(view: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shares 0-1, counts): per year (rows, every year of the span) and target type
    (columns with any attack), ignoring the target filter."""
    sel = select(view, ignore=("target",))
    if sel.empty:
        return pd.DataFrame(), pd.DataFrame()
    years = range(sel["year"].min(), sel["year"].max() + 1)
    counts = pd.DataFrame(0, index=list(years), columns=TARGETS)
    for year, target in zip(sel["year"], sel["target_type"]):
        counts.loc[year, target] += 1
    counts = counts.loc[:, counts.sum(axis=0) > 0]
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0).fillna(0.0)  # empty year: 0
    return shares, counts


def human_targets(view: dict) -> list[tuple[str, int, int]]:
    """(target type, attacks, known killed) for the human targets (vocabularies.csv
    human_target=yes) with attacks, most attacks first, then most killed, then by name;
    ignoring the target filter."""
    sel = select(view, ignore=("target",))
    out = []
    for target, part in sel.groupby("target_type"):
        if target in HUMAN_TARGETS:
            out.append((target, len(part), _known_sum(part["killed"])))
    return sorted(out, key=lambda t: (-t[1], -t[2], t[0]))


# ---------------------------------------------------------------------- words
def span(view: dict, ignore_group: bool = False) -> str:
    """The years a view covers: the date filter's, else those of its incidents."""
    years = select(dict(view, group=[]) if ignore_group else view, ignore=("date",))["year"]
    lo = int(view["from"][:4]) if view["from"] else (int(years.min()) if len(years) else None)
    hi = int(view["to"][:4]) if view["to"] else (int(years.max()) if len(years) else None)
    if lo is None:
        return ""
    return str(lo) if lo == hi else f"{lo}-{hi}"


def title(view: dict, what: str) -> str:
    """E.g. 'IS-K attacks by district, Balochistan, 2016-2025'; a chart by district names the
    provinces (it lists their districts), the others the selected districts."""
    if view["district"] and "by district" not in what:
        where = ", ".join(view["district"])
    else:
        where = ", ".join(view["province"]) or "Pakistan"
    parts = ", ".join(p for p in (where, span(view)) if p)
    if view["group"]:
        return f"{', '.join(view['group'])} {what}, {parts}"
    return f"{what[0].upper()}{what[1:]}, all groups, {parts}"


# ---------------------------------------------------------------------- the pack's CSV
def pack_rows(view: dict) -> list[dict]:
    """The pack's incidents.csv: the view's rows as in data/incidents.csv, newest first
    (then by id)."""
    chosen = ids(view)
    rows = [r for r in RAW if r["incident_id"] in chosen]
    rows.sort(key=lambda r: r["incident_id"])
    rows.sort(key=lambda r: r["date"], reverse=True)
    return rows


def subtitle(view: dict) -> str:
    """The charts' subtitle: every active filter in plain words."""
    words = []
    if view["from"] or view["to"]:
        words.append(f"{view['from'] or 'start'} to {view['to'] or 'latest'}")
    for key, label in (("province", "Province"), ("district", "District"), ("group", "Group"),
                       ("attribution", "Attribution"), ("target", "Target"),
                       ("attack", "Attack")):
        words += [f"{label}: {v}" for v in view[key]]
    if view["min_killed"]:
        words.append(f"At least {view['min_killed']} killed")
    if view["period"] == "month":
        words.append("per month")
    return "Filters: " + "; ".join(words) if words else "Filters: none (all incidents)"


AS_OF = max(INCIDENTS["day"])  # the footers' "data to"
COLLECTIONS = sorted(set(INCIDENTS["collection"]))


def collections(view: dict) -> list[str]:
    """The footers name only the collections of the incidents in view."""
    return sorted(set(select(view)["collection"]))


# ---------------------------------------------------------------------- the pack's summary
def _top(table: pd.DataFrame, chosen: list[str], n: int = 3) -> list[tuple[str, int]]:
    totals = table.sum(axis=1)
    if chosen:
        totals = totals[totals.index.isin(chosen)]
    totals = totals[totals > 0]
    return [(str(k), int(v)) for k, v in totals.head(n).items()]


def summary(view: dict) -> dict:
    """The pack's summary slide (README, "Briefing pack"): the page's headline numbers, and
    the three districts and target types with most attacks (of the selected ones when the
    view selects some; ties by name)."""
    return dict(kpis=kpi_texts(view), districts=_top(districts(view), view["district"]),
                targets=_top(targets(view), view["target"]))


def inclusion_rules(view: dict) -> dict[str, str]:
    """data/collections.csv: the inclusion rule of each collection in view."""
    rules = {r["collection"]: r["inclusion_rule"] for r in _rows("collections.csv")}
    return {c: rules[c] for c in collections(view)}


# ---------------------------------------------------------------------- key events
def events_between(view: dict, first: str, end: str) -> list[dict]:
    """README: the key events inside a chart's range (first day inclusive, end exclusive),
    oldest first, unless events=off."""
    if not view["events"]:
        return []
    return sorted((e for e in EVENTS if first <= e["date"] < end),
                  key=lambda e: (e["date"], e["title"]))


def timeline_events(view: dict) -> list[dict]:
    """The timeline's range: its first period to the end of its last."""
    slots = periods(view)
    if not slots:
        return []
    last = date.fromisoformat(slots[-1])
    end = date(last.year + 1, 1, 1) if view["period"] == "year" else \
        date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return events_between(view, slots[0], end.isoformat())


def compare_years_events(view: dict) -> list[dict]:
    """The comparison by year's range: its first year to the end of its last."""
    years = compare_years(view)["year"]
    if not len(years):
        return []
    return events_between(view, f"{years.min()}-01-01", f"{years.max() + 1}-01-01")


# ---------------------------------------------------------------------- what changed
def add_months(day: date, n: int) -> date:
    """The same day n months later (earlier for n < 0), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def change_periods(view: dict) -> dict | None:
    """README "What changed": the date filter's period (no end: the data's newest date; no
    start: 12 months before the end) against the baseline picked, else the previous period of
    the same length, in whole months when the period is whole months, else in days."""
    hi = date.fromisoformat(view["to"] or AS_OF)
    lo = date.fromisoformat(view["from"]) if view["from"] else \
        add_months(hi + timedelta(days=1), -12)
    if view["base_from"]:
        b0, b1 = date.fromisoformat(view["base_from"]), date.fromisoformat(view["base_to"])
        return dict(current=(lo, hi), baseline=(b0, b1),
                    words=f"{b0:%d %b %Y} to {b1:%d %b %Y}")
    months = next((n for n in range(1, 2400) if add_months(lo, n) == hi + timedelta(days=1)),
                  0)
    if months:
        start, words = add_months(lo, -months), f"the previous {months} month"
        plural = months > 1
    else:
        days = (hi - lo).days + 1
        start, words, plural = lo - timedelta(days=days), f"the previous {days} day", days > 1
    return dict(current=(lo, hi), baseline=(start, lo - timedelta(days=1)),
                words=words + ("s" if plural else ""))


def _period_view(view: dict, period: tuple[date, date]) -> dict:
    return dict(view, **{"from": period[0].isoformat(), "to": period[1].isoformat()})


def change_kpis(view: dict) -> tuple[dict, dict, dict]:
    """The headline numbers of the period and of its baseline, every filter applied."""
    p = change_periods(view)
    return kpis(_period_view(view, p["current"])), kpis(_period_view(view, p["baseline"])), p


def _per_district(view: dict) -> dict[str, list[int]]:
    """{district: [attacks, known killed]}, each incident in each district it names,
    ignoring the district filter."""
    out: dict[str, list[int]] = {}
    sel = select(view, ignore=("district",))
    for parts, killed in zip(sel["districts"], sel["killed"]):
        for d in parts:
            row = out.setdefault(d, [0, 0])
            row[0] += 1
            row[1] += 0 if killed != killed else int(killed)
    return out


def change_by_district(view: dict) -> list[dict]:
    """Per district with attacks in either period: both periods' attacks and killed, the
    changes, the percentage of the baseline's attacks (inf from none) and the flag (a change
    of at least flag_pct % and flag_min attacks, up or down); most risen first (attacks,
    then killed), then by name."""
    p = change_periods(view)
    now = _per_district(_period_view(view, p["current"]))
    base = _per_district(_period_view(view, p["baseline"]))
    out = []
    for d in set(now) | set(base):
        a, k = now.get(d, [0, 0])
        a0, k0 = base.get(d, [0, 0])
        pct = 100.0 * (a - a0) / a0 if a0 else float("inf")
        out.append(dict(district=d, attacks=a, attacks_base=a0, killed=k, killed_base=k0,
                        d_attacks=a - a0, d_killed=k - k0, pct=pct,
                        flagged=abs(a - a0) >= view["flag_min"] and abs(pct) >= view["flag_pct"]))
    return sorted(out, key=lambda r: (-r["d_attacks"], -r["d_killed"], r["district"]))
