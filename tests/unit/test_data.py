"""Tests for the data layer: dashboard/data.py (reading, validation, loading) and the CLI.

Bad files are made in tmp_path from a valid row of data/incidents.csv with one field changed.
Each check asks for the right line, field, value and reason, and that every rejected row is
named by at least one problem (rows in = accepted + rejected, with nothing lost silently).
"""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.__main__ import main as cli_main  # noqa: E402
from dashboard.data.schema import (  # noqa: E402
    REQUIRED, DataFileError, LoadResult, Problem, RawTable,
)
from dashboard.data.loading import load_file, load_files  # noqa: E402
from dashboard.data.readers import read_table  # noqa: E402
from dashboard.data.validate import validate  # noqa: E402
from dashboard.reference import load_reference, split_list  # noqa: E402
from tests.scopes import per_module  # noqa: E402

DATA = ROOT / "data"
INCIDENTS = DATA / "incidents.csv"
RESEARCH = ROOT.parent / "shared" / "research"


def _read_raw() -> list[dict[str, str]]:
    with open(INCIDENTS, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


RAW = _read_raw()
HEADER = list(RAW[0])
# ISK-BL-20160808-1: Balochistan, Quetta, IS-K, 74 killed, 120 injured; its range bounds
# blanked, so that a test may change its counts alone
BASE = dict(RAW[0], killed_low="", killed_high="", injured_low="", injured_high="")
BAD_LINE = 3  # where one_bad_row puts the changed row (header is line 1)


# --------------------------------------------------------------------------- helpers
def write_csv(path: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def changed(row: dict = BASE, **fields: str) -> dict:
    out = dict(row)
    out.update(fields)
    return out


def one_bad_row(tmp_path: Path, **fields: str) -> LoadResult:
    """Two valid rows around one changed copy of BASE, which lands on line BAD_LINE."""
    path = write_csv(tmp_path / "incidents.csv", [RAW[1], changed(**fields), RAW[2]])
    return load_file(path)


def rejecting(result: LoadResult) -> list[Problem]:
    return [p for p in result.problems if p.rejects_row]


def assert_balanced(result: LoadResult) -> None:
    """Rows in = accepted + rejected, and each rejected row is named by a problem."""
    assert result.accepted == len(result.incidents)
    assert result.accepted + result.rejected == result.rows_in
    assert len({p.line for p in rejecting(result)}) == result.rejected


def assert_rejected(result: LoadResult, field: str, value: str, reason: str) -> Problem:
    """The changed row, and only it, is rejected by one problem naming field, value, reason."""
    assert_balanced(result)
    assert (result.rows_in, result.accepted, result.rejected) == (3, 2, 1)
    assert BASE["incident_id"] not in set(result.incidents["incident_id"])
    assert {p.line for p in rejecting(result)} == {BAD_LINE}
    hits = [p for p in rejecting(result) if p.field == field and p.value == value]
    assert len(hits) == 1, [str(p) for p in result.problems]
    problem = hits[0]
    assert re.search(reason, problem.reason), problem.reason
    assert problem.source.endswith("incidents.csv")
    text = str(problem)
    assert text.startswith(f"{problem.source}:{BAD_LINE}: {field}")
    assert text.endswith(f": {problem.reason}") and (value == "" or repr(value) in text)
    return problem


def assert_accepted(result: LoadResult) -> pd.Series:
    """The changed row is accepted with no rejecting problem; return it."""
    assert_balanced(result)
    assert rejecting(result) == [], [str(p) for p in result.problems]
    assert (result.rows_in, result.accepted) == (3, 3)
    rows = result.incidents[result.incidents["source_line"] == BAD_LINE]
    assert len(rows) == 1
    return rows.iloc[0]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


# --------------------------------------------------------------------------- dates
FUTURE = (date.today() + timedelta(days=40)).isoformat()


@pytest.mark.parametrize("value, reason", [
    ("2023-02-30", r"^not a real calendar date$"),
    ("2021-13-01", r"^not a real calendar date$"),
    ("yesterday", r"not a date in YYYY-MM-DD form"),
    ("31/12/2020", r"not a date in YYYY-MM-DD form"),
    ("2020-1-5", r"not a date in YYYY-MM-DD form"),
    (FUTURE, r"^in the future \(today is \d{4}-\d{2}-\d{2}\)$"),
    ("1969-12-31", r"^before 1970: outside this dataset's scope$"),
])
def test_bad_date_rejected(tmp_path, value, reason):
    assert_rejected(one_bad_row(tmp_path, date=value), "date", value, reason)


def test_blank_date_rejected(tmp_path):
    problem = assert_rejected(one_bad_row(tmp_path, date=""), "date", "", r"^missing")
    assert "YYYY-MM-DD" in problem.reason


def test_future_date_is_relative_to_today_argument():
    frame = pd.DataFrame([changed(date="2024-06-02")], dtype=object)
    before = validate(RawTable(frame, [2]), "x.csv", today=date(2024, 6, 1))
    on_day = validate(RawTable(frame, [2]), "x.csv", today=date(2024, 6, 2))
    assert before.accepted == 0
    assert "in the future (today is 2024-06-01)" in before.problems[0].reason
    assert on_day.accepted == 1 and on_day.problems == []


def test_date_with_midnight_time_accepted(tmp_path):
    row = assert_accepted(one_bad_row(tmp_path, date="2016-08-08 00:00:00"))
    assert row["date"] == pd.Timestamp("2016-08-08")


@pytest.mark.parametrize("dates", [["31/12/2020", "01/01/2021"], [""], ["yesterday"]])
def test_file_where_no_date_parses_rejects_rows(tmp_path, dates):
    rows = [changed(RAW[i], date=d) for i, d in enumerate(dates)]
    result = load_file(write_csv(tmp_path / "dates.csv", rows))
    assert result.accepted == 0 and result.rejected == len(dates)
    assert {p.field for p in rejecting(result)} == {"date"}


# --------------------------------------------------------------------------- counts
@pytest.mark.parametrize("field", ["killed", "injured"])
@pytest.mark.parametrize("value, reason", [
    ("-3", r"^negative"),
    ("2.5", r"^not a whole number$"),
    ("many", r"^not a number"),
    ("12 (approx.)", r"^not a number"),
    ("inf", r"^not a finite number$"),
])
def test_bad_count_rejected(tmp_path, field, value, reason):
    assert_rejected(one_bad_row(tmp_path, **{field: value}), field, value, reason)


def test_negative_fraction_gives_both_reasons(tmp_path):
    result = one_bad_row(tmp_path, killed="-1.5")
    reasons = sorted(p.reason for p in rejecting(result))
    assert len(reasons) == 2 and reasons[0].startswith("negative") and "whole" in reasons[1]
    assert {p.line for p in rejecting(result)} == {BAD_LINE}
    assert result.rejected == 1


@pytest.mark.parametrize("field", ["killed", "injured"])
def test_blank_count_stays_missing_never_zero(tmp_path, field):
    result = one_bad_row(tmp_path, **{field: ""})
    row = assert_accepted(result)
    assert str(result.incidents[field].dtype) == "Int32"  # nullable: blank is not 0
    assert row[field] is pd.NA
    assert result.incidents[field].isna().sum() == 1
    # a written zero is a known zero, not unknown
    other = "injured" if field == "killed" else "killed"
    assert row[other] == int(BASE[other])


def test_zero_and_whole_float_counts_accepted(tmp_path):
    row = assert_accepted(one_bad_row(tmp_path, killed="0", injured="5.0"))
    assert row["killed"] == 0 and row["killed"] is not pd.NA
    assert row["injured"] == 5


@pytest.mark.parametrize("value", ["1e30", "99999999999999999999", "100001"])
def test_count_too_large_rejected(tmp_path, value):
    result = one_bad_row(tmp_path, killed=value)
    assert (result.incidents["killed"].dropna() >= 0).all()
    assert_rejected(result, "killed", value,
                    r"^implausibly large for one incident \(over 100,000\)$")


def test_count_at_the_largest_plausible_value_accepted(tmp_path):
    assert assert_accepted(one_bad_row(tmp_path, injured="100000"))["injured"] == 100_000


# --------------------------------------------------------------------------- lookups
@pytest.mark.parametrize("field, value, reason", [
    ("district", "Mastng", r"^unknown district 'Mastng'; did you mean 'Mastung'\?$"),
    ("district", "Springfield", r"^unknown district 'Springfield'; not in the gazetteer"),
    ("province", "Balochstan", r"^unknown province; did you mean 'Balochistan'\?$"),
    ("province", "Punjab", r"^unknown province; expected one of Balochistan, Khyber Pakhtunkhwa"),
    ("group", "BLAA", r"^unknown group; did you mean 'BLA'\?$"),
    ("group", "Baloch Liberation Armi", r"^unknown group; did you mean 'BLA'\?$"),
    ("attribution", "claimd", r"^unknown attribution; did you mean 'claimed'\?$"),
    ("target_type", "Shrin", r"^unknown target_type; did you mean 'Shrine'\?$"),
    ("attack_type", "Suicide bombng", r"^unknown attack_type; did you mean 'Suicide bombing'\?$"),
    ("attack_type", "Kidnaping", r"^unknown attack_type; did you mean 'Kidnapping'\?$"),
])
def test_unknown_value_rejected_with_hint(tmp_path, field, value, reason):
    assert_rejected(one_bad_row(tmp_path, **{field: value}), field, value, reason)


@pytest.mark.parametrize("field", ["province", "district", "group", "attribution",
                                   "target_type", "attack_type"])
def test_blank_lookup_value_rejected(tmp_path, field):
    assert_rejected(one_bad_row(tmp_path, **{field: ""}), field, "", r"^missing")


def test_blank_and_unknown_lookup_values_in_one_file_each_rejected(tmp_path):
    path = write_csv(tmp_path / "incidents.csv",
                     [changed(RAW[1], target_type=""), RAW[2], changed(RAW[3], target_type="Cows")])
    result = load_file(path)
    assert (result.rows_in, result.accepted, result.rejected) == (3, 1, 2)
    assert [(p.line, p.field, p.value) for p in rejecting(result)] == [
        (2, "target_type", ""), (4, "target_type", "Cows")]


@pytest.mark.parametrize("fields, column, canonical", [
    ({"group": "ISKP"}, "group", "IS-K"),
    ({"group": "iskp"}, "group", "IS-K"),
    ({"group": "Islamic State Pakistan Province"}, "group", "ISPP"),
    ({"group": "baloch liberation army"}, "group", "BLA"),
    ({"district": "Bolan"}, "district", "Kachhi"),
    ({"district": "Kachhi (Bolan)"}, "district", "Kachhi"),
    ({"district": "Qila Saifullah"}, "district", "Killa Saifullah"),
    ({"district": "  quetta "}, "district", "Quetta"),
    ({"province": "KPK", "district": "Peshawar"}, "province", "Khyber Pakhtunkhwa"),
    ({"province": "Baluchistan"}, "province", "Balochistan"),
    ({"province": "Sind", "district": "Karachi"}, "district", "Karachi (district not stated)"),
    ({"attribution": "CLAIMED"}, "attribution", "claimed"),
    ({"target_type": "police"}, "target_type", "Security forces"),
    ({"attack_type": "IED"}, "attack_type", "Bombing/IED"),
    ({"attack_type": "suicide_attack"}, "attack_type", "Suicide bombing"),
])
def test_alias_and_case_resolve_to_canonical(tmp_path, fields, column, canonical):
    row = assert_accepted(one_bad_row(tmp_path, **fields))
    assert row[column] == canonical


def test_district_outside_named_province_rejected(tmp_path):
    assert_rejected(one_bad_row(tmp_path, district="Peshawar"), "district", "Peshawar",
                    r"^Peshawar is in Khyber Pakhtunkhwa, not in Balochistan$")


def test_district_checked_against_resolved_province(tmp_path):
    assert_rejected(one_bad_row(tmp_path, province="KPK", district="Quetta"), "district",
                    "Quetta", r"^Quetta is in Balochistan, not in Khyber Pakhtunkhwa$")


@pytest.mark.parametrize("raw, normalised", [
    ("Quetta; Mastung", "Quetta; Mastung"),
    ("Quetta;Mastung", "Quetta; Mastung"),
    ("quetta ; MASTUNG; Quetta", "Quetta; Mastung"),
    ("Bolan; Qila Saifullah;", "Kachhi; Killa Saifullah"),
])
def test_multi_district_cell_accepted_and_normalised(tmp_path, raw, normalised):
    assert assert_accepted(one_bad_row(tmp_path, district=raw))["district"] == normalised


@pytest.mark.parametrize("raw, reason", [
    ("Quetta; Mastng", r"^unknown district 'Mastng'; did you mean 'Mastung'\?$"),
    ("Quetta; Peshawar", r"^Peshawar is in Khyber Pakhtunkhwa, not in Balochistan$"),
])
def test_multi_district_cell_with_bad_part_rejected(tmp_path, raw, reason):
    assert_rejected(one_bad_row(tmp_path, district=raw), "district", raw, reason)


# --------------------------------------------------------------------------- coordinates
def test_coordinate_outside_pakistan_rejected(tmp_path):
    assert_rejected(one_bad_row(tmp_path, latitude="40.1", longitude="67.0"), "latitude",
                    "40.1, 67.0", r"^outside Pakistan$")


# Balochistan's box (data/provinces.csv): latitude 24.7255 to 31.6408, longitude 61.2866 to
# 70.1221. Each point is inside Pakistan; the row says Balochistan.
@pytest.mark.parametrize("lat, lon", [
    ("34.008", "71.5785"),  # Peshawar: both outside the box
    ("30.1575", "71.5249"),  # Multan: the latitude inside, the longitude east of the box
    ("33.8995", "70.1012"),  # Parachinar: the longitude inside, the latitude north of it
])
def test_coordinate_outside_province_box_is_a_note(tmp_path, lat, lon):
    result = one_bad_row(tmp_path, latitude=lat, longitude=lon)
    assert_accepted(result)
    notes = [p for p in result.problems if not p.rejects_row]
    assert len(notes) == 1 and notes[0].line == BAD_LINE and "Balochistan" in notes[0].reason
    assert (notes[0].source, notes[0].value) == (str(tmp_path / "incidents.csv"),
                                                 f"{lat}, {lon}")
    assert str(notes[0]).startswith(f"{tmp_path / 'incidents.csv'}:{BAD_LINE}: note: latitude "
                                    f"'{lat}, {lon}': outside the box of Balochistan")


@pytest.mark.parametrize("lat, lon", [("30.1798", "66.975"), ("24.73", "61.29"),
                                      ("31.64", "70.12")])  # Quetta; two corners of the box
def test_coordinate_inside_province_box_has_no_note(tmp_path, lat, lon):
    result = one_bad_row(tmp_path, latitude=lat, longitude=lon)
    assert_accepted(result)
    assert [str(p) for p in result.problems if not p.rejects_row] == []


@pytest.mark.parametrize("lat, lon, field, value", [
    ("north", "67.0", "latitude", "north"), ("30.1", "67.0E", "longitude", "67.0E")])
def test_coordinate_not_a_number_rejected(tmp_path, lat, lon, field, value):
    assert_rejected(one_bad_row(tmp_path, latitude=lat, longitude=lon), field, value,
                    r"^not a number$")


@pytest.mark.parametrize("lat, lon, field", [("30.1", "", "longitude"), ("", "67.0", "latitude")])
def test_half_a_coordinate_rejected(tmp_path, lat, lon, field):
    assert_rejected(one_bad_row(tmp_path, latitude=lat, longitude=lon), field, "",
                    r"give both latitude and longitude")


# --------------------------------------------------------------------------- sources
@pytest.mark.parametrize("cell, bad", [
    ("ftp://example.com/report.html", "ftp://example.com/report.html"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("www.dawn.com", "www.dawn.com"),
    ("https://www.dawn.com/news/1 | www.dawn.com/news/2", "www.dawn.com/news/2"),
    ("https://www.dawn.com/news/1, https://tribune.com.pk/2",
     "https://www.dawn.com/news/1, https://tribune.com.pk/2"),
    ("http://localhost/x", "http://localhost/x"),
])
def test_source_not_http_url_rejected(tmp_path, cell, bad):
    assert_rejected(one_bad_row(tmp_path, source_urls=cell), "source_urls", bad,
                    r"^not an http\(s\) URL$")


@pytest.mark.parametrize("cell", ["", "   ", " | "])
def test_blank_source_rejected(tmp_path, cell):
    assert_rejected(one_bad_row(tmp_path, source_urls=cell), "source_urls", cell.strip(),
                    r"^missing: every incident needs a source URL$")


def test_several_sources_accepted(tmp_path):
    cell = "https://www.dawn.com/news/1 | HTTP://tribune.com.pk/story/2?x=1#top"
    assert assert_accepted(one_bad_row(tmp_path, source_urls=cell))["source_urls"] == cell


# --------------------------------------------------------------------------- ids
def test_duplicate_id_later_row_rejected(tmp_path):
    rows = [BASE, RAW[1], changed(notes="a second copy"), RAW[2]]
    result = load_file(write_csv(tmp_path / "incidents.csv", rows))
    assert_balanced(result)
    assert (result.rows_in, result.accepted, result.rejected) == (4, 3, 1)
    [problem] = rejecting(result)
    assert (problem.line, problem.field, problem.value) == (4, "incident_id", BASE["incident_id"])
    assert problem.reason == "duplicate: already used on line 2"
    kept = result.incidents[result.incidents["incident_id"] == BASE["incident_id"]]
    assert kept["source_line"].tolist() == [2] and kept["notes"].iloc[0] == BASE["notes"]


def test_blank_id_rejected(tmp_path):
    assert_rejected(one_bad_row(tmp_path, incident_id=""), "incident_id", "", r"^missing")


def test_duplicate_id_across_files(tmp_path):
    first = write_csv(tmp_path / "first.csv", [RAW[0], RAW[1]])
    second = write_csv(tmp_path / "second.csv", [RAW[2], RAW[1], RAW[3]])
    result = load_files([first, second])
    assert_balanced(result)
    assert (result.rows_in, result.accepted, result.rejected) == (5, 4, 1)
    [problem] = rejecting(result)
    assert problem.source == str(second) and problem.line == 3
    assert problem.field == "incident_id" and problem.value == RAW[1]["incident_id"]
    assert problem.reason == f"duplicate: already loaded from {first}"
    kept = result.incidents[result.incidents["incident_id"] == RAW[1]["incident_id"]]
    assert kept["source_file"].tolist() == ["first.csv"]
    assert result.incidents["incident_id"].is_unique


def test_load_files_reports_unreadable_file_and_loads_the_rest(tmp_path):
    good = write_csv(tmp_path / "good.csv", [RAW[0], RAW[1]])
    result = load_files([tmp_path / "missing.csv", good])
    assert result.accepted == 2 and result.rows_in == 2
    assert len(result.file_errors) == 1 and "no such file" in result.file_errors[0]
    assert result.incidents["date"].is_monotonic_increasing


# --------------------------------------------------------------------------- columns
@pytest.mark.parametrize("column", ["incident_id", "date", "district", "killed", "source_urls"])
def test_missing_required_column_rejects_every_row(tmp_path, column):
    header = [c for c in HEADER if c != column]
    result = load_file(write_csv(tmp_path / "incidents.csv", RAW[:3], header))
    assert (result.rows_in, result.accepted, result.rejected) == (3, 0, 3)
    assert len(result.incidents) == 0
    [problem] = rejecting(result)
    assert (problem.line, problem.field) == (1, column)
    assert "required column missing" in problem.reason and "every row is rejected" in problem.reason


def test_extra_column_kept_and_noted(tmp_path):
    header = HEADER + ["analyst"]
    rows = [changed(RAW[i], analyst=f"reviewer {i}") for i in range(3)]
    result = load_file(write_csv(tmp_path / "incidents.csv", rows, header))
    assert (result.rows_in, result.accepted, result.rejected) == (3, 3, 0)
    assert rejecting(result) == []
    [note] = result.problems
    assert (note.source, note.line, note.field, note.value, note.rejects_row) == (
        str(tmp_path / "incidents.csv"), 1, "analyst", "", False)
    assert "unknown column" in note.reason
    assert result.incidents["analyst"].tolist() == ["reviewer 0", "reviewer 1", "reviewer 2"]
    assert str(note).endswith("note: analyst: unknown column: kept as text, not validated")


def test_header_case_and_spaces_are_folded(tmp_path):
    path = tmp_path / "incidents.csv"
    write_csv(path, RAW[:3])
    text = path.read_text(encoding="utf-8").split("\n", 1)
    header = ",".join(f" {c.upper()} " for c in HEADER)
    path.write_text(header + "\r\n" + text[1], encoding="utf-8")
    result = load_file(path)
    assert result.accepted == 3 and result.problems == []


def test_repeated_column_first_is_used_the_second_kept_as_text_with_a_note(tmp_path):
    path = write_csv(tmp_path / "incidents.csv", RAW[:3])
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].rstrip("\r") + ",Killed\r"
    lines[1:4] = [line.rstrip("\r") + ",999\r" for line in lines[1:4]]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = load_file(path)
    assert result.accepted == 3 and not rejecting(result)
    assert result.incidents["killed"].tolist() == [int(r["killed"]) for r in RAW[:3]]
    assert result.incidents["Killed (repeated column)"].tolist() == ["999"] * 3
    assert [(p.line, p.field, p.value, p.reason) for p in result.problems] == [
        (1, "Killed", "", "a second 'killed' column: the first is used; this one is kept as "
                          "text in 'Killed (repeated column)'"),
        (1, "Killed (repeated column)", "", "unknown column: kept as text, not validated")]


def test_only_required_columns_is_enough(tmp_path):
    result = load_file(write_csv(tmp_path / "mine.csv", RAW[:3], list(REQUIRED)))
    assert result.accepted == 3 and result.problems == []
    assert set(result.incidents["collection"]) == {"mine"}  # defaults to the file's stem


# --------------------------------------------------------------------------- row shape
def test_row_with_too_many_fields(tmp_path):
    path = write_csv(tmp_path / "incidents.csv", [RAW[1], BASE, RAW[2]])
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[2] += ",surplus"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    assert_rejected(load_file(path), "(row)", f"{len(HEADER) + 1} fields",
                    rf"^the header has {len(HEADER)} fields; this row has {len(HEADER) + 1}$")


def test_row_with_too_few_fields(tmp_path):
    path = tmp_path / "incidents.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerow(RAW[1].values())
        writer.writerow(list(BASE.values())[:-1])  # notes (optional) dropped
        writer.writerow(RAW[2].values())
    assert_rejected(load_file(path), "(row)", f"{len(HEADER) - 1} fields",
                    rf"^the header has {len(HEADER)} fields; this row has {len(HEADER) - 1}$")


def test_unclosed_quote_names_the_lines_it_swallowed(tmp_path):
    path = write_csv(tmp_path / "incidents.csv", [RAW[1], BASE, RAW[2], RAW[3]])
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    cells = next(csv.reader([lines[2]]))
    cells[HEADER.index("district")] = '"' + cells[HEADER.index("district")]  # never closed
    lines[2] = ",".join(cells)
    path.write_text("\r\n".join(lines), encoding="utf-8")
    result = load_file(path)
    assert (result.rows_in, result.accepted, result.rejected) == (3, 2, 1)
    [shape] = [p for p in result.problems if p.field == "(row)"]
    assert shape.line == BAD_LINE
    assert re.fullmatch(rf"the header has {len(HEADER)} fields; this row has \d+ and runs on "
                        r"to line 4: an unclosed quote may have swallowed the lines between",
                        shape.reason), shape.reason


def test_multiline_quoted_field_keeps_line_numbers(tmp_path):
    rows = [changed(RAW[1], notes="first line\nsecond line\nthird line"),
            changed(killed="-1"), RAW[2]]
    path = write_csv(tmp_path / "incidents.csv", rows)
    result = load_file(path)
    # header line 1; the quoted notes span lines 2-4; the bad row starts on line 5
    [problem] = rejecting(result)
    assert (problem.line, problem.field, problem.value) == (5, "killed", "-1")
    assert result.incidents["source_line"].tolist() == [2, 6]
    assert result.incidents["notes"].iloc[0] == "first line\nsecond line\nthird line"


def test_blank_lines_skipped_and_line_numbers_kept(tmp_path):
    path = write_csv(tmp_path / "incidents.csv", [RAW[1], changed(killed="x"), RAW[2]])
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    path.write_text("\r\n".join(lines[:2] + ["", ""] + lines[2:]), encoding="utf-8")
    result = load_file(path)
    assert result.rows_in == 3
    assert [p.line for p in rejecting(result)] == [5]
    assert result.incidents["source_line"].tolist() == [2, 6]


# --------------------------------------------------------------------------- unreadable files
def _unreadable(kind: str, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / f"{kind}.csv"
    good = ",".join(HEADER) + "\n"
    if kind == "empty":
        path.write_bytes(b"")
        return path, "the file is empty"
    if kind == "header_only":
        path.write_text(good, encoding="utf-8")
        return path, "a header but no data rows"
    if kind == "non_utf8":
        write_csv(path, [RAW[1], changed(location="Mastung bazaar"), RAW[2]])
        latin = "Mast\u00fcng".encode("cp1252")
        path.write_bytes(path.read_bytes().replace(b"Mastung bazaar", latin))
        return path, r"not UTF-8 text \(byte 0xfc on line 3\)"
    if kind == "missing":
        return path, "no such file"
    if kind == "binary":
        path.write_bytes(bytes(range(128)) * 16)
        return path, "binary data, not a CSV table"
    if kind == "blank_first_line":
        path.write_text("\n\n" + good, encoding="utf-8")
        return path, "the first line is blank"
    raise AssertionError(kind)


UNREADABLE = ["empty", "header_only", "non_utf8", "missing", "binary", "blank_first_line"]


@pytest.mark.parametrize("kind", UNREADABLE)
def test_unreadable_file_raises_data_file_error(tmp_path, kind):
    path, reason = _unreadable(kind, tmp_path)
    with pytest.raises(DataFileError) as err:
        load_file(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path))
    assert re.search(reason, message), message


CLI_UNREADABLE = ["empty", "header_only", "non_utf8", "missing", "binary"]


@pytest.mark.parametrize("kind", CLI_UNREADABLE)
def test_cli_unreadable_file_exit_2_one_line(tmp_path, kind, capsys):
    path, reason = _unreadable(kind, tmp_path)
    assert cli_main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(path) in errors[0] and re.search(reason, errors[0])
    assert output.splitlines() == [errors[0], "0 rows: 0 accepted, 0 rejected"]


def test_cli_process_unreadable_files_no_traceback(tmp_path):
    """The real command, in its own process, on every unreadable file at once."""
    cases = [_unreadable(kind, tmp_path) for kind in CLI_UNREADABLE]
    proc = run_cli(*(str(path) for path, _ in cases))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert "Traceback" not in output and proc.stderr == ""
    lines = output.splitlines()
    assert len(lines) == len(cases) + 1 and lines[-1] == "0 rows: 0 accepted, 0 rejected"
    for line, (path, reason) in zip(lines, cases):
        assert line.startswith(f"error: {path}: ") and re.search(reason, line), line


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_broken_excel_or_parquet_raises_data_file_error(tmp_path, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"this is not a table " * 20)
    with pytest.raises(DataFileError, match=rf"not a readable {suffix[1:]} table"):
        read_table(path)


def test_cli_exit_codes(tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", RAW[:3])
    bad = write_csv(tmp_path / "bad.csv", [changed(killed="-2")])
    noted = write_csv(tmp_path / "noted.csv", [changed(RAW[i], extra="x") for i in range(2)],
                      HEADER + ["extra"])
    assert cli_main(["validate", str(good)]) == 0
    assert cli_main(["validate", str(noted)]) == 0  # a note does not reject
    assert cli_main(["validate", str(good), str(bad)]) == 1
    assert cli_main(["validate", str(good), str(tmp_path / "nope.csv")]) == 2
    out = capsys.readouterr().out.splitlines()
    assert f"{bad}:2: killed '-2': negative: a count cannot be below zero" in out
    assert out[-1] == "3 rows: 3 accepted, 0 rejected"  # the run with a missing file


# --------------------------------------------------------------------------- scale
def test_100k_rows_one_bad_row(tmp_path):
    ref = load_reference()
    districts = ref.districts[["district", "province"]].to_numpy().tolist()
    groups = list(ref.vocab["group"].canonical)
    targets = list(ref.vocab["target_type"].canonical)
    attacks = list(ref.vocab["attack_type"].canonical)
    n, bad = 100_000, 50_000
    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(REQUIRED)
        for i in range(n):
            district, province = districts[i % len(districts)]
            if i == bad:
                writer.writerow([f"SYN-{i:06d}", "2020-01-01", "Balochistan", "Mastng", "BLA",
                                 "claimed", "Civilians", "Armed assault", 3, 4,
                                 "https://example.org/incident/bad"])
                continue
            writer.writerow([
                f"SYN-{i:06d}", f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}", province,
                district, groups[i % len(groups)], ("claimed", "attributed", "disputed")[i % 3],
                targets[i % len(targets)], attacks[i % len(attacks)],
                "" if i % 11 == 0 else i % 40, "" if i % 7 == 0 else i % 90,
                f"https://example.org/incident/{i}",
            ])

    start = time.perf_counter()
    result = load_file(path)
    elapsed = time.perf_counter() - start
    assert (result.rows_in, result.accepted, result.rejected) == (n, n - 1, 1)
    [problem] = rejecting(result)
    # the header is line 1, so row i is on line i + 2
    assert (problem.line, problem.field, problem.value) == (bad + 2, "district", "Mastng")
    assert "did you mean 'Mastung'?" in problem.reason
    assert f"SYN-{bad:06d}" not in set(result.incidents["incident_id"])
    assert result.incidents["incident_id"].nunique() == n - 1
    assert int(result.incidents["killed"].isna().sum()) == len(range(0, n, 11)) - (bad % 11 == 0)
    assert elapsed < 15, f"validating {n} rows took {elapsed:.1f} s"


# --------------------------------------------------------------------------- other formats
def _csv_totals() -> tuple[int, int]:
    return (sum(int(r["killed"]) for r in RAW if r["killed"].strip()),
            sum(int(r["injured"]) for r in RAW if r["injured"].strip()))


def _assert_same_as_csv(result: LoadResult) -> None:
    assert result.summary() == "131 rows: 131 accepted, 0 rejected"
    assert rejecting(result) == [], [str(p) for p in result.problems[:5]]
    inc = result.incidents.set_index("incident_id").sort_index()
    assert (int(inc["killed"].sum()), int(inc["injured"].sum())) == _csv_totals()
    raw = {r["incident_id"]: r for r in RAW}
    assert set(inc.index) == set(raw)
    assert all(str(inc.at[i, "district"]) == raw[i]["district"] for i in raw)
    assert all(inc.at[i, "date"].strftime("%Y-%m-%d") == raw[i]["date"] for i in raw)
    assert int(inc["killed"].isna().sum()) == sum(1 for r in RAW if not r["killed"].strip())


@pytest.mark.parametrize("typed", [False, True], ids=["text-cells", "typed-cells"])
def test_excel_round_trip(tmp_path, typed):
    frame = (pd.read_csv(INCIDENTS, parse_dates=["date"]) if typed
             else pd.read_csv(INCIDENTS, dtype=str, keep_default_na=False))
    path = tmp_path / "incidents.xlsx"
    frame.to_excel(path, index=False, engine="openpyxl")
    result = load_file(path)
    _assert_same_as_csv(result)
    assert result.incidents.sort_values("source_line")["source_line"].tolist() == list(
        range(2, 133))  # spreadsheet rows: header in row 1


@pytest.mark.parametrize("typed", [False, True], ids=["text-cells", "typed-cells"])
def test_parquet_round_trip(tmp_path, typed):
    frame = (pd.read_csv(INCIDENTS, parse_dates=["date"]) if typed
             else pd.read_csv(INCIDENTS, dtype=str, keep_default_na=False))
    if typed:
        frame["killed"] = frame["killed"].astype("Int64")
    path = tmp_path / "incidents.parquet"
    frame.to_parquet(path, index=False)
    _assert_same_as_csv(load_file(path))


def test_parquet_text_cells_are_stripped_as_in_a_csv(tmp_path):
    # the loader strips a Parquet file's text cells (categoricals once per distinct value)
    frame = pd.read_csv(INCIDENTS, dtype=str, keep_default_na=False)
    padded = frame.apply(lambda col: col.where(col == "", "  " + col + " "))
    path = tmp_path / "incidents.parquet"
    padded.to_parquet(path, index=False)
    result = load_file(path)
    _assert_same_as_csv(result)
    inc = result.incidents.set_index("incident_id")
    for column in ("notes", "collection", "location"):  # kept as text, as the CSV gives them
        given = frame.set_index("incident_id")[column]
        assert (inc[column].fillna("").astype(str) == given.reindex(inc.index)).all(), column


def test_excel_bad_cell_names_spreadsheet_row(tmp_path):
    frame = pd.read_csv(INCIDENTS, dtype=str, keep_default_na=False).head(4)
    frame.loc[2, "province"] = "Punjab"
    path = tmp_path / "incidents.xlsx"
    frame.to_excel(path, index=False, engine="openpyxl")
    result = load_file(path)
    [problem] = rejecting(result)
    assert (problem.line, problem.field, problem.value) == (4, "province", "Punjab")
    assert (result.rows_in, result.accepted) == (4, 3)


# --------------------------------------------------------------------------- shipped data
@pytest.fixture(scope=per_module)
def shipped() -> LoadResult:
    return load_file(INCIDENTS)


def test_accepted_rows_have_the_schema_columns_and_no_other(shipped):
    # the schema's columns, then where each row came from: no index or helper column
    assert list(shipped.incidents.columns) == [
        "incident_id", "date", "province", "district", "group", "attribution", "target_type",
        "attack_type", "killed", "injured", "latitude", "longitude", "collection", "location",
        "claimant_reported", "target_detail", "notes", "source_urls", "source_text",
        "killed_low", "killed_high", "injured_low", "injured_high", "date_precision",
        "place_precision", "source_file", "source_line"]


def test_cli_shipped_data_valid():
    proc = run_cli("data/incidents.csv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "131 rows: 131 accepted, 0 rejected"
    assert "Traceback" not in proc.stderr


def test_shipped_data_has_no_problems(shipped):
    assert shipped.summary() == "131 rows: 131 accepted, 0 rejected"
    assert shipped.problems == []


def test_shipped_data_types(shipped):
    inc = shipped.incidents
    for c in ("province", "district", "group", "attribution", "target_type", "attack_type",
              "collection"):
        assert isinstance(inc[c].dtype, pd.CategoricalDtype), c
    assert pd.api.types.is_datetime64_dtype(inc["date"])
    assert inc["date"].notna().all()
    for c in ("killed", "injured"):
        assert str(inc[c].dtype) == "Int32", c  # nullable, at most MAX_COUNT
    assert str(inc["latitude"].dtype) == "Float64"


def test_shipped_data_every_row_has_http_source(shipped):
    for ident, cell in zip(shipped.incidents["incident_id"], shipped.incidents["source_urls"]):
        urls = split_list(cell)
        assert urls and all(re.match(r"^https?://\S+$", u) for u in urls), ident


def test_shipped_data_totals_match_raw_csv(shipped):
    killed, injured = _csv_totals()
    assert (killed, injured) == (1441, 2543)
    assert int(shipped.incidents["killed"].sum()) == killed
    assert int(shipped.incidents["injured"].sum()) == injured
    blank_killed = sum(1 for r in RAW if not r["killed"].strip())
    assert int(shipped.incidents["killed"].isna().sum()) == blank_killed


def test_shipped_data_ids_unique(shipped):
    assert len(RAW) == 131
    assert shipped.incidents["incident_id"].nunique() == 131
    assert len({r["incident_id"] for r in RAW}) == 131


def test_shipped_data_collections(shipped):
    counts = shipped.incidents["collection"].value_counts().to_dict()
    assert counts == {"isk_balochistan": 37, "isk_other_provinces": 47, "baloch_major": 47}
    known = set(load_reference().collections.index)
    assert set(counts) <= known


def test_shipped_data_values_are_canonical():
    """The file itself holds canonical spellings, so no alias is resolved at load time."""
    ref = load_reference()
    for r in RAW:
        assert r["province"] in ref.province_lookup.canonical
        for part in split_list(r["district"], ";"):
            assert part in ref.districts.index, (r["incident_id"], part)
        for f in ("group", "attribution", "target_type", "attack_type"):
            assert r[f] in ref.vocab[f].canonical, (r["incident_id"], f)


def test_every_research_row_present(shipped):
    """Provenance: every row of the research tables is in data/incidents.csv. The tables live
    beside the repository; outside CI a checkout without them skips, under CI (`CI` set) a
    missing prerequisite fails, never skips silently."""
    if not RESEARCH.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{RESEARCH} is missing: CI must provide the research tables")
        pytest.skip(f"{RESEARCH} not present (outside CI)")
    research_ids = []
    for path in sorted(RESEARCH.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            research_ids += [r["incident_id"] for r in csv.DictReader(f)]
    with open(DATA / "added_incidents.csv", newline="", encoding="utf-8") as f:
        added = [r["incident_id"] for r in csv.DictReader(f)]
    assert len(research_ids) == 126 == len(set(research_ids))
    assert set(research_ids) | set(added) == set(shipped.incidents["incident_id"])
