"""Bring your own data: ACLED and GTD exports in the canonical schema, and likely duplicates.

Formats (``--format``), told apart per file by their columns when ``auto``:

- ``canonical``: the schema of data/README.md; every row needs a source URL.
- ``imported``: the canonical schema plus ``source_text`` (written by ``python -m dashboard
  import``); a row needs a source URL or, failing that, its sources named in ``source_text``.
- ``acled``, ``gtd``: an export, converted row by row, then validated as ``imported``.

Every mapping from their values to ours is a table in data/mappings/ (one per field, each row
with a note); this module only applies them. A value no table maps is kept visible: the group
becomes Other (Unknown when blank), target and attack Other, an unresolved district its
province's placeholder; the report lists each such value. A row is rejected only when it
cannot be placed in one of the four provinces or dated.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .data import _URL, COLUMNS, DISTRICT_SEP, LoadResult, Problem, validate
from .reference import DATA_DIR, Lookup, Reference, load_reference, split_list

FORMATS = ("auto", "canonical", "imported", "acled", "gtd")
EXPORTS = ("acled", "gtd")
DUPLICATES = ("keep", "drop-later")
MAPPINGS_DIR = DATA_DIR / "mappings"
TABLES = {"group": "groups", "attribution": "attribution", "target_type": "target_types",
          "attack_type": "attack_types", "province": "provinces", "district": "places"}
NAMES = {"acled": "ACLED", "gtd": "GTD"}
EXPORT_COLUMNS = {  # the columns read from each export; others are ignored
    "acled": ("event_id_cnty", "event_date", "admin1", "admin2", "location", "latitude",
              "longitude", "actor1", "assoc_actor_1", "event_type", "sub_event_type",
              "fatalities", "notes", "source"),
    "gtd": ("eventid", "iyear", "imonth", "iday", "provstate", "city", "latitude", "longitude",
            "gname", "targtype1_txt", "attacktype1_txt", "nkill", "nwound", "summary",
            "scite1", "scite2", "scite3", "claimed"),
}
SIGNATURES = {"acled": {"event_id_cnty", "event_date", "actor1"},
              "gtd": {"eventid", "iyear", "gname"}}
CAVEATS = {  # format -> (field, what its values mean), in every row's notes and the report
    "acled": (("killed", "ACLED fatalities are not split by side and may include attackers"),
              ("injured", "ACLED records no injuries: injured is left unknown, never zero"),
              ("attribution", "ACLED records no claims: every row is 'attributed'")),
    "gtd": (("killed", "GTD nkill counts every death, attackers included"),),
}
ACLED_DATES = ("%Y-%m-%d", "%d %B %Y")
GTD_UNKNOWN_COUNT = -99
_CITED_URL = re.compile(r"https?://[^\s|<>\"']+", re.IGNORECASE)
REPORT_FIELDS = ("group", "attribution", "target_type", "attack_type", "province", "district")
FLAGS = {"unmapped": ": unmapped", "blank": ": blank in the export"}  # report, by status


def fold(text: object) -> str:
    """Accents stripped (NFKD), case and spacing folded: the key of every mapping lookup."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("_", " ").split())


def detect_format(columns) -> str:
    names = {str(c).strip().lower() for c in columns}
    for fmt, signature in SIGNATURES.items():
        if signature <= names:
            return fmt
    return "imported" if "source_text" in names else "canonical"


# --------------------------------------------------------------------------- mapping tables
@dataclass(frozen=True)
class Table:
    """One table of data/mappings/: (source, their value) -> ours ('' = deliberately none)."""

    name: str
    values: dict[tuple[str, str], str]

    def get(self, fmt: str, raw: str) -> str | None:
        key = fold(raw)
        return self.values.get((fmt, key), self.values.get(("any", key)))


@lru_cache(maxsize=2)
def load_placeholders(directory: Path = MAPPINGS_DIR) -> pd.DataFrame:
    """province -> its placeholder district, for rows whose district cannot be resolved."""
    table = pd.read_csv(Path(directory) / "placeholder_districts.csv", dtype=str,
                        keep_default_na=False)
    return table.set_index("province", drop=False)


def with_placeholders(ref: Reference, names=None) -> Reference:
    """The reference with placeholder districts (all, or those in `names`) in its gazetteer."""
    table = load_placeholders()
    if names is not None:
        table = table[table["district"].isin(set(names))]
    if table.empty:
        return ref
    extra = pd.DataFrame("", index=pd.Index(table["district"].to_numpy(),
                                            name=ref.districts.index.name),
                         columns=ref.districts.columns)
    extra["district"] = table["district"].to_numpy()
    extra["province"] = table["province"].to_numpy()
    extra["notes"] = table["note"].to_numpy()
    extra[["latitude", "longitude"]] = np.nan
    added = Lookup.build(list(extra.index), [[] for _ in extra.index])
    lookup = Lookup(ref.district_lookup.canonical + added.canonical,
                    {**ref.district_lookup.spellings, **added.spellings})
    return dataclasses.replace(ref, districts=pd.concat([ref.districts, extra]),
                               district_lookup=lookup)


def reference_for(incidents: pd.DataFrame, ref: Reference) -> Reference | None:
    """The reference extended with the placeholders the incidents use, or None if none."""
    parts = {p.strip() for cell in incidents["district"].astype(str).unique()
             for p in cell.split(DISTRICT_SEP)}
    used = parts & set(load_placeholders()["district"])
    return with_placeholders(ref, used) if used else None


@lru_cache(maxsize=2)
def load_mappings(directory: Path = MAPPINGS_DIR) -> dict[str, Table]:
    tables = {}
    for field_, name in TABLES.items():
        frame = pd.read_csv(Path(directory) / f"{name}.csv", dtype=str, keep_default_na=False)
        tables[field_] = Table(f"data/mappings/{name}.csv", {
            (source, fold(value)): ours
            for source, value, ours in zip(frame["source"], frame["value"], frame[field_])})
    return tables


# --------------------------------------------------------------------------- conversion
@dataclass
class Conversion:
    """An export as canonical text rows, plus the rows it rejected and every value it mapped."""

    fmt: str
    frame: pd.DataFrame
    lines: list[int]
    rejections: list[Problem]
    mapped: pd.DataFrame  # line, field, raw, value, status ('mapped', 'unmapped', 'blank')

    def report(self, source: str, rows_read: int, accepted: pd.DataFrame) -> "ImportReport":
        """Counts over the rows that passed validation too (`accepted`, as validate gives)."""
        kept = self.mapped[self.mapped["line"].isin(set(accepted["source_line"].tolist()))]
        counts = (kept.groupby(["field", "raw", "value", "status"], sort=False).size()
                  .rename("rows").reset_index())
        order = {f: i for i, f in enumerate(REPORT_FIELDS)}
        counts = counts.sort_values(["field", "rows", "raw"], ascending=[True, False, True],
                                    key=lambda s: s.map(order) if s.name == "field" else s)
        return ImportReport(source, self.fmt, rows_read, len(accepted),
                            int((accepted["source_urls"] != "").sum()),
                            counts.reset_index(drop=True))


@dataclass
class ImportReport:
    """What one export became: rows read and converted, and each value mapped, by field."""

    source: str
    fmt: str
    rows_read: int
    converted: int
    with_url: int  # converted rows citing at least one URL; the others name sources in text
    mappings: pd.DataFrame  # field, raw, value, status, rows

    @property
    def rejected(self) -> int:
        return self.rows_read - self.converted

    def problems(self) -> list[Problem]:
        """File-level notes: the format's caveats, then each value no table maps."""
        notes = [Problem(self.source, None, field_, "", caveat, rejects_row=False)
                 for field_, caveat in CAVEATS[self.fmt]]
        for r in self.mappings[self.mappings["status"] == "unmapped"].itertuples():
            notes.append(Problem(self.source, None, r.field, r.raw,
                                 f"unmapped: set to {r.value!r} ({_rows(r.rows)}); add it to "
                                 f"data/mappings/{TABLES[r.field]}.csv", rejects_row=False))
        return notes

    def lines(self) -> list[str]:
        out = [f"Mapping report: {self.source} ({NAMES[self.fmt]})",
               f"  {self.rows_read} rows read: {self.converted} converted, "
               f"{self.rejected} rejected",
               f"  sources: {self.with_url} rows cite a URL; {self.converted - self.with_url} "
               "name their sources in source_text only (no URL)",
               *(f"  caveat: {caveat}" for _, caveat in CAVEATS[self.fmt])]
        for field_, part in self.mappings.groupby("field", sort=False):
            out.append(f"  {field_}:")
            for r in part.itertuples():
                raw = repr(r.raw) if r.raw else "(blank)"
                flag = FLAGS.get(r.status, "")
                out.append(f"    {raw} -> {r.value} ({_rows(r.rows)}){flag}")
        return out


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


class _Converter:
    """Resolves one export's values to ours, row by row, recording every answer."""

    def __init__(self, fmt: str, source: str, ref: Reference, tables: dict[str, Table]):
        self.fmt, self.source, self.ref, self.tables = fmt, source, ref, tables
        self.mapped: list[tuple[int, str, str, str, str]] = []
        self.rejections: list[Problem] = []

    def reject(self, line: int, column: str, value: str, reason: str) -> None:
        self.rejections.append(Problem(self.source, line, column, value, reason))

    def value(self, field_: str, candidates: list[str], fallback: str, line: int,
              notes: list[str], blank: str | None = None) -> str:
        """The first candidate a mapping table or our vocabulary knows; else the fallback
        (or `blank` when no candidate has a value and the table has no row for a blank)."""
        given = [c for c in candidates if c] or [""]
        for raw in given:
            ours = self.tables[field_].get(self.fmt, raw) or (
                raw and self.ref.vocab[field_].resolve(fold(raw)))
            if ours:
                self.mapped.append((line, field_, raw, ours, "mapped"))
                return ours
        if given == [""]:
            ours = blank or fallback
            self.mapped.append((line, field_, "", ours, "blank"))
            return ours
        raw = "; ".join(given)
        self.mapped.append((line, field_, raw, fallback, "unmapped"))
        notes.append(f"{field_} {raw!r} not in {self.tables[field_].name}: set to {fallback}")
        return fallback

    def province(self, raw: str, column: str, line: int) -> str | None:
        ours = self.tables["province"].get(self.fmt, raw) or self.ref.province_lookup.resolve(
            fold(raw))
        if ours:
            self.mapped.append((line, "province", raw, ours, "mapped"))
            return ours
        covered = ", ".join(self.ref.province_lookup.canonical)
        self.reject(line, column, raw, "missing: the province is needed to place the row"
                    if not raw else f"not one of the provinces the gazetteer covers ({covered})")
        return None

    def district(self, province: str, candidates: list[tuple[str, str]], line: int,
                 notes: list[str]) -> str:
        """The first candidate that is a district of the row's province; else a placeholder."""
        homes = self.ref.districts["province"]
        for _, raw in candidates:
            if not raw:
                continue
            ours = self.tables["district"].get(self.fmt, raw)
            if ours is None:
                ours = self.ref.district_lookup.resolve(fold(raw))
            if ours and homes.get(ours) == province:
                self.mapped.append((line, "district", raw, ours, "mapped"))
                return ours
        raw = next((r for _, r in candidates if r), "")
        own = homes.index[homes == province]
        if len(own) == 1:  # Islamabad: the territory is one district
            self.mapped.append((line, "district", raw, own[0], "mapped"))
            return own[0]
        ours = load_placeholders().at[province, "district"]
        self.mapped.append((line, "district", raw, ours, "unmapped"))
        given = ", ".join(f"{column} {r!r}" for column, r in candidates if r) or "none given"
        notes.append(f"district not resolved in {province} ({given}): set to {ours!r}")
        return ours


def convert(frame: pd.DataFrame, lines: list[int], fmt: str, source: str,
            ref: Reference | None = None, tables: dict[str, Table] | None = None) -> Conversion:
    """Turn an ACLED or GTD export (text cells, as read_table gives) into canonical rows."""
    conv = _Converter(fmt, source, ref or load_reference(), tables or load_mappings())
    ragged = frame.attrs.get("shape_problems", {})  # CSV rows with too many or too few cells
    width = frame.attrs.get("header_width")
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    missing = [c for c in EXPORT_COLUMNS[fmt] if c not in frame.columns]
    rows, kept = [], []
    for column in missing:
        conv.reject(1, column, "", f"required column missing from the header: not a complete "
                                   f"{NAMES[fmt]} export; every row is rejected")
    if not missing:
        to_row = _acled_row if fmt == "acled" else _gtd_row
        records = frame[list(EXPORT_COLUMNS[fmt])].fillna("").astype(str).to_dict("records")
        for line, record in zip(lines, records):
            if line in ragged:
                conv.reject(line, "(row)", f"{ragged[line][0]} fields",
                            f"the header has {width} fields; this row has {ragged[line][0]}: "
                            "its cells cannot be matched to columns")
                continue
            row = to_row(conv, {k: v.strip() for k, v in record.items()}, line)
            if row is not None:
                rows.append(row)
                kept.append(line)
    canonical = [c for c in COLUMNS if c != "collection"]
    mapped = pd.DataFrame(conv.mapped, columns=["line", "field", "raw", "value", "status"])
    return Conversion(fmt, pd.DataFrame(rows, columns=canonical, dtype=object), kept,
                      conv.rejections, mapped)


def _acled_row(conv: _Converter, r: dict[str, str], line: int) -> dict | None:
    province = conv.province(r["admin1"], "admin1", line)
    day = _acled_date(r["event_date"])
    if day is None:
        conv.reject(line, "event_date", r["event_date"],
                    "not a date (YYYY-MM-DD or '15 March 2024')")
    if province is None or day is None:
        return None
    notes = [f"{caveat}." for _, caveat in CAVEATS["acled"]]
    actors = [r["actor1"], *split_list(r["assoc_actor_1"], ";")]
    return {
        "incident_id": f"ACLED-{r['event_id_cnty']}" if r["event_id_cnty"] else "",
        "date": day,
        "province": province,
        "district": conv.district(province, [("admin2", r["admin2"]),
                                             ("location", r["location"])], line, notes),
        "group": conv.value("group", actors, "Other", line, notes, blank="Unknown"),
        "attribution": conv.value("attribution", [""], "attributed", line, notes),
        "target_type": conv.value("target_type", [r["sub_event_type"], r["event_type"]],
                                  "Other", line, notes),
        "attack_type": conv.value("attack_type", [r["sub_event_type"], r["event_type"]],
                                  "Other", line, notes),
        "killed": r["fatalities"],
        "injured": "",
        **_sources([r["source"]], notes),
        "location": r["location"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
        "claimant_reported": "; ".join(a for a in (r["actor1"], r["assoc_actor_1"]) if a),
        "target_detail": _detail("ACLED", r["event_type"], r["sub_event_type"]),
        "notes": _notes(r["notes"], notes),
    }


def _gtd_row(conv: _Converter, r: dict[str, str], line: int) -> dict | None:
    province = conv.province(r["provstate"], "provstate", line)
    notes: list[str] = []
    day = _gtd_date(conv, r, line, notes)
    if province is None or day is None:
        return None
    killed = _gtd_count(r["nkill"], "nkill", notes)
    if killed:
        notes.append(f"{CAVEATS['gtd'][0][1]}.")
    claimed = _whole(r["claimed"])
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
        "injured": _gtd_count(r["nwound"], "nwound", notes),
        **_sources([r["scite1"], r["scite2"], r["scite3"]], notes),
        "location": "" if fold(r["city"]) == "unknown" else r["city"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
        "claimant_reported": r["gname"],
        "target_detail": _detail("GTD", r["targtype1_txt"]),
        "notes": _notes(r["summary"], notes),
    }


def _acled_date(text: str) -> str | None:
    for form in ACLED_DATES:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def _gtd_date(conv: _Converter, r: dict[str, str], line: int, notes: list[str]) -> str | None:
    """iyear, imonth, iday; a month or day of 0 (unknown) becomes the 1st, with a note."""
    year, month, day = (_whole(r[c]) for c in ("iyear", "imonth", "iday"))
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


def _gtd_count(text: str, column: str, notes: list[str]) -> str:
    """GTD writes -99 (or nothing) for an unknown count: blank, never zero."""
    if _whole(text) == GTD_UNKNOWN_COUNT:
        notes.append(f"GTD {column} {GTD_UNKNOWN_COUNT} (unknown): left blank.")
        return ""
    return text


def _whole(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _sources(citations: list[str], notes: list[str]) -> dict[str, str]:
    """http(s) URLs found in the citations, and the citations in full as source_text."""
    cited = [c for c in citations if c]
    urls = []
    for text in cited:
        for found in _CITED_URL.findall(text):
            url = found.rstrip(".,;:)]")
            if _URL.match(url) and url not in urls:
                urls.append(url)
    text = " | ".join(cited)
    if text and not urls:
        notes.append(f"Sources as cited (no URL): {text.rstrip('.')}.")
    return {"source_urls": " | ".join(urls), "source_text": text}


def _detail(name: str, *parts: str) -> str:
    """The export's own target wording, kept beside our target type."""
    given = " / ".join(p for p in parts if p)
    return f"{name} {given}" if given else ""


def _notes(original: str, notes: list[str]) -> str:
    return " ".join([original, *(f"[import] {n}" for n in notes)]).strip()


def load_export(frame: pd.DataFrame, lines: list[int], source: str, fmt: str,
                ref: Reference | None = None) -> LoadResult:
    """Convert an export, validate the result (a source URL or source_text per row), report."""
    ref = with_placeholders(ref or load_reference())
    conv = convert(frame, lines, fmt, source, ref)
    result = validate(conv.frame, conv.lines, source, ref, require_url=False)
    report = conv.report(source, len(frame), result.incidents)
    problems = sorted([*conv.rejections, *result.problems, *report.problems()],
                      key=lambda p: p.line or 0)
    return LoadResult(result.incidents, problems, rows_in=len(frame), reports=[report])


# --------------------------------------------------------------------------- duplicates
def find_duplicates(incidents: pd.DataFrame) -> list[tuple[int, int]]:
    """Likely duplicates across files, as (earlier, later) row positions.

    Two rows from different files match when they share the date, the district cell and the
    group, their killed are both known and within 1 or 10% of each other, and their injured
    are too when both are known. A later row is paired with its first match only.
    """
    if incidents.empty:
        return []
    rows = pd.DataFrame({
        "pos": np.arange(len(incidents)),
        "file": incidents["source_file"].astype(str).to_numpy(),
        "date": incidents["date"].to_numpy(),
        "district": incidents["district"].astype(str).to_numpy(),
        "group": incidents["group"].astype(str).to_numpy(),
        "killed": incidents["killed"].to_numpy(dtype="float64", na_value=np.nan),
        "injured": incidents["injured"].to_numpy(dtype="float64", na_value=np.nan),
    })
    pairs = rows.merge(rows, on=["date", "district", "group"], suffixes=("_a", "_b"))
    pairs = pairs[(pairs["pos_a"] < pairs["pos_b"]) & (pairs["file_a"] != pairs["file_b"])]
    killed = _close(pairs["killed_a"], pairs["killed_b"])
    injured = (_close(pairs["injured_a"], pairs["injured_b"])
               | pairs["injured_a"].isna() | pairs["injured_b"].isna())
    hits = pairs[killed & injured].sort_values(["pos_b", "pos_a"]).drop_duplicates("pos_b")
    return list(zip(hits["pos_a"].tolist(), hits["pos_b"].tolist()))


def _close(a: pd.Series, b: pd.Series) -> pd.Series:
    """Both known and within 1 or 10% of the larger."""
    diff = (a - b).abs()
    return (diff <= 1) | (diff <= 0.1 * np.maximum(a, b))


def likely_duplicates(incidents: pd.DataFrame, sources: dict[str, str],
                      drop: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """Report each likely duplicate on the later row; with drop, drop that row too."""
    pairs = find_duplicates(incidents)
    problems = []
    for first, later in pairs:
        a, b = incidents.iloc[first], incidents.iloc[later]
        action = ("dropped (--duplicates drop-later)" if drop
                  else "both kept (--duplicates drop-later would drop this one)")
        problems.append(Problem(
            sources.get(b["source_file"], b["source_file"]), int(b["source_line"]),
            "incident_id", b["incident_id"],
            f"likely the same incident as {a['incident_id']} "
            f"({sources.get(a['source_file'], a['source_file'])}:{a['source_line']}): same "
            f"date, district and group, killed {_count(a['killed'])} and "
            f"{_count(b['killed'])}, injured {_count(a['injured'])} and "
            f"{_count(b['injured'])}; {action}", rejects_row=drop))
    if drop and pairs:
        incidents = incidents.drop(incidents.index[[later for _, later in pairs]])
    return incidents.reset_index(drop=True), problems


def _count(value) -> str:
    return "unknown" if pd.isna(value) else str(int(value))


# --------------------------------------------------------------------------- writing
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
