"""Tests for bring-your-own-data: ACLED and GTD exports, the import command, mapping tables,
placeholder districts, sources without URLs, and likely duplicates across files.

The fixtures in tests/fixtures/ are synthetic (ids PAK-FIXTURE-…, FIXTURE-…; every note says
"test fixture, not a real event"). Each expected value below is read off the fixture by hand.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.__main__ import main as cli_main
from dashboard.data.dataset import Dataset
from dashboard.data.loading import load_file, load_files
from dashboard.data.readers import read_table
from dashboard.paths import MAPPINGS_DIR
from dashboard.settings import Settings
from dashboard.importers.mapping import TABLES, load_placeholders
from dashboard.importers.convert import detect_format, write_table
from dashboard.data.schema import COLUMNS
from dashboard.data.duplicates import find_duplicates
from dashboard.reference import fold
from dashboard.reference import load_reference, split_list
from dashboard.importers.acled import NO_GROUP
from tests.scopes import per_module

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ACLED = FIXTURES / "acled_sample.csv"
GTD = FIXTURES / "gtd_sample.csv"
CANONICAL = FIXTURES / "canonical_sample.csv"
PLACEHOLDER_BL = "Unknown district (Balochistan)"


def by_id(result) -> dict[str, pd.Series]:
    return {row.incident_id: row for _, row in result.incidents.iterrows()}


def rejecting(result) -> list:
    return [p for p in result.problems if p.rejects_row]


def balanced(result) -> None:
    """Rows in = accepted + left out + rejected, and every rejected row is named by a problem."""
    assert result.accepted + len(result.left_out) + result.rejected == result.rows_in
    assert len({(p.source, p.line) for p in rejecting(result)}) == result.rejected
    assert not {(s, line) for s, line, _, _ in result.left_out} & {
        (p.source, p.line) for p in rejecting(result)}


@pytest.fixture(scope=per_module)
def acled():
    return load_file(ACLED, fmt="acled")


@pytest.fixture(scope=per_module)
def gtd():
    return load_file(GTD, fmt="gtd")


# --------------------------------------------------------------------------- detection
@pytest.mark.parametrize("path, fmt", [(ACLED, "acled"), (GTD, "gtd"), (CANONICAL, "canonical"),
                                       (ROOT / "data" / "incidents.csv", "canonical")])
def test_detect_format_by_columns(path, fmt):
    assert detect_format(read_table(path).frame.columns) == fmt


def test_detect_imported_by_source_text_column():
    assert detect_format(["incident_id", "date", "Source_Text"]) == "imported"
    assert detect_format([" EVENTID ", "iyear", "gname", "source_text"]) == "gtd"


def test_auto_gives_the_same_rows_as_the_named_format(acled, gtd):
    for path, named in ((ACLED, acled), (GTD, gtd)):
        auto = load_file(path)
        pd.testing.assert_frame_equal(auto.incidents, named.incidents)
        assert auto.problems == named.problems


def test_fold_strips_accents_case_and_spacing():
    assert fold("  Khuzdār ") == "khuzdar"
    assert fold("SŪĪ") == "sui"
    assert fold("Dera  Murād_Jamālī") == "dera murad jamali"
    assert load_reference().district_lookup.resolve(fold("کوئٹہ")) is None  # Urdu stays unmapped


# --------------------------------------------------------------------------- ACLED
def test_acled_totals(acled):
    balanced(acled)
    assert (acled.rows_in, acled.accepted, len(acled.left_out), acled.rejected) == (13, 10, 2, 1)
    inc = acled.incidents
    assert int(inc["killed"].sum()) == 37 and inc["killed"].notna().all()
    assert inc["injured"].isna().all()  # ACLED has no injury count: unknown, never zero
    assert (inc["attribution"] == "attributed").all()
    assert set(inc["collection"]) == {"acled_sample"}


def test_acled_leaves_out_punjab_and_strategic_developments_rejects_impossible_date(acled):
    assert [(p.line, p.field, p.value, p.reason) for p in rejecting(acled)] == [
        (14, "event_date", "31 February 2024", "not a date (YYYY-MM-DD, '15 March 2024', "
                                               "'01-January-2015' or '18/04/2001')"),
    ]
    assert str(rejecting(acled)[0]).startswith(f"{ACLED}:14: event_date '31 February 2024': ")
    assert [(line, reason, detail) for _, line, reason, detail in acled.left_out] == [
        (9, "outside the covered provinces", "Pakistan / Punjab"),
        (12, "not political violence", "Strategic developments")]


def test_acled_rows_converted(acled):
    rows = by_id(acled)
    got = {i: (f"{r['date']:%Y-%m-%d}", r["province"], r["district"], r["group"],
               r["target_type"], r["attack_type"], int(r["killed"])) for i, r in rows.items()}
    assert got == {
        "ACLED-PAK-FIXTURE-001": ("2024-03-02", "Balochistan", "Mastung", "ISPP", "Other",
                                  "Suicide bombing", 6),
        "ACLED-PAK-FIXTURE-002": ("2024-03-15", "Balochistan", "Quetta", "IS-K", "Civilians",
                                  "Armed assault", 2),
        "ACLED-PAK-FIXTURE-003": ("2024-04-10", "Balochistan", "Kech", "BRAS", "Other",
                                  "Armed assault", 9),
        "ACLED-PAK-FIXTURE-004": ("2024-05-05", "Balochistan", "Khuzdar", "BLF", "Other",
                                  "Bombing/IED", 3),
        "ACLED-PAK-FIXTURE-005": ("2024-06-01", "Khyber Pakhtunkhwa", "Lower South Waziristan",
                                  "TTP", "Civilians", "Kidnapping", 0),
        "ACLED-PAK-FIXTURE-006": ("2024-06-20", "Balochistan", PLACEHOLDER_BL, "IS-K", "Other",
                                  "Bombing/IED", 4),
        "ACLED-PAK-FIXTURE-007": ("2024-07-04", "Sindh", "Karachi (district not stated)",
                                  "Lashkar-e-Jhangvi (LeJ)", "Civilians", "Armed assault", 1),
        "ACLED-PAK-FIXTURE-009": ("2024-08-11", "Islamabad", "Islamabad", "Unknown", "Other",
                                  "Bombing/IED", 0),
        "ACLED-PAK-FIXTURE-010": ("2024-09-02", "Balochistan", "Kech", "BLA", "Other", "Other", 5),
        "ACLED-PAK-FIXTURE-012": ("2024-10-01", "Khyber Pakhtunkhwa", "Bajaur", "IS-K", "Other",
                                  "Armed assault", 7),
    }


def test_acled_multi_actor_rows_keep_the_full_actor_text(acled):
    rows = by_id(acled)
    first = rows["ACLED-PAK-FIXTURE-003"]  # actor1 maps
    assert first["group"] == "BRAS"
    assert first["claimant_reported"] == ("BRAS: Baloch Raaji Aajoi Sangar; BLA: Baloch "
                                          "Liberation Army; BLF: Baloch Liberation Front")
    later = rows["ACLED-PAK-FIXTURE-004"]  # neither actor1 nor the first assoc actor maps
    assert later["group"] == "BLF"
    assert later["claimant_reported"] == ("Baloch Separatists (Pakistan); Fixture Sangat Group; "
                                          "BLF: Baloch Liberation Front")


def test_acled_group_alias_maps_onto_one_named_group(acled):
    row = by_id(acled)["ACLED-PAK-FIXTURE-007"]
    assert row["group"] == "Lashkar-e-Jhangvi (LeJ)"
    assert row["claimant_reported"] == "Lashkar-e-Jhangvi"


def test_acled_urdu_place_gets_the_placeholder_and_no_coordinates(acled):
    row = by_id(acled)["ACLED-PAK-FIXTURE-006"]
    assert row["district"] == PLACEHOLDER_BL and row["location"] == "کوئٹہ"
    assert pd.isna(row["latitude"]) and pd.isna(row["longitude"])
    assert ("[import] district not resolved in Balochistan (admin2 'کوئٹہ', location 'کوئٹہ'): "
            f"set to '{PLACEHOLDER_BL}'" in row["notes"])


def test_acled_notes_caveats_and_sources_on_every_row(acled):
    inc = acled.incidents
    assert inc["notes"].str.startswith("Test fixture, not a real event").all()
    for caveat in ("[import] ACLED fatalities are not split by side and may include attackers.",
                   "[import] ACLED records no injuries: injured is left unknown, never zero."):
        assert inc["notes"].str.contains(caveat, regex=False).all()
    assert (inc["source_urls"] == "").all()  # ACLED names publications, never URLs
    first = by_id(acled)["ACLED-PAK-FIXTURE-001"]
    assert first["source_text"] == "Fixture Daily; Fixture Times"
    assert "[import] Sources as cited (no URL): Fixture Daily; Fixture Times." in first["notes"]
    assert first["target_detail"] == "ACLED Explosions/Remote violence / Suicide bomb"


# --------------------------------------------------------------------------- GTD
def test_gtd_totals(gtd):
    balanced(gtd)
    assert (gtd.rows_in, gtd.accepted, len(gtd.left_out), gtd.rejected) == (14, 11, 1, 2)
    inc = gtd.incidents
    assert int(inc["killed"].sum()) == 22 and int(inc["killed"].isna().sum()) == 2
    assert int(inc["injured"].sum()) == 38 and int(inc["injured"].isna().sum()) == 2


def test_gtd_rejections_by_line(gtd):
    assert [(p.line, p.field, p.value) for p in rejecting(gtd)] == [
        (6, "source_urls", ""), (14, "iyear-imonth-iday", "2023-2-30")]
    assert rejecting(gtd)[0].reason == ("missing: every incident needs a source URL or a "
                                        "source_text")
    assert rejecting(gtd)[1].reason.startswith("not a real calendar date")
    assert [line for _, line, _, _ in gtd.left_out] == [11]  # Punjab


def test_gtd_rows_converted(gtd):
    got = {i: (f"{r['date']:%Y-%m-%d}", r["district"], r["group"], r["attribution"],
               r["target_type"], r["attack_type"])
           for i, r in by_id(gtd).items()}
    assert got == {
        "GTD-FIXTURE-001": ("2017-02-16", "Jamshoro", "IS-K", "claimed",
                            "Mosque/Religious gathering", "Bombing/IED"),
        "GTD-FIXTURE-002": ("2018-07-01", "Mastung", "Other", "attributed", "Civilians",
                            "Bombing/IED"),
        "GTD-FIXTURE-003": ("2015-01-01", "Bajaur", "TTP", "attributed", "Security forces",
                            "Armed assault"),
        "GTD-FIXTURE-004": ("2019-05-12", "Kech", "BLA", "claimed", "Civilians", "Hijacking"),
        "GTD-FIXTURE-006": ("2020-01-20", "Kech", "BLF", "claimed", "Infrastructure", "Other"),
        "GTD-FIXTURE-007": ("2020-06-09", "Dera Bugti", "BRA", "claimed", "Infrastructure",
                            "Bombing/IED"),
        "GTD-FIXTURE-008": ("2021-03-14", "Peshawar", "Unknown", "attributed", "Civilians",
                            "Kidnapping"),
        "GTD-FIXTURE-009": ("2021-09-30", "Karachi (district not stated)",
                            "Jaish-e-Mohammad (JeM)", "attributed",
                            "Mosque/Religious gathering", "Armed assault"),
        "GTD-FIXTURE-011": ("2022-11-05", PLACEHOLDER_BL, "BLA", "claimed", "Security forces",
                            "Armed assault"),
        "GTD-FIXTURE-012": ("2023-02-10", "Islamabad", "Unknown", "attributed", "Civilians",
                            "Other"),
        "GTD-FIXTURE-014": ("2023-06-01", "Swat", "IS-K", "claimed", "Security forces",
                            "Bombing/IED"),
    }
    assert by_id(gtd)["GTD-FIXTURE-003"]["province"] == "Khyber Pakhtunkhwa"  # FATA


def test_gtd_unknown_day_and_month_keep_the_row_with_a_note(gtd):
    rows = by_id(gtd)
    assert "[import] GTD day unknown (iday=0); date set to the 1st." in rows["GTD-FIXTURE-002"][
        "notes"]
    assert "[import] GTD month unknown (imonth=0); date set to 1 January;" in rows[
        "GTD-FIXTURE-003"]["notes"]


def test_gtd_minus_99_and_blank_counts_are_unknown(gtd):
    rows = by_id(gtd)
    assert pd.isna(rows["GTD-FIXTURE-002"]["injured"]) and rows["GTD-FIXTURE-002"]["killed"] == 3
    assert "[import] GTD nwound -99 (unknown): left blank." in rows["GTD-FIXTURE-002"]["notes"]
    assert pd.isna(rows["GTD-FIXTURE-003"]["killed"]) and rows["GTD-FIXTURE-003"]["injured"] == 5
    assert rows["GTD-FIXTURE-008"][["killed", "injured"]].isna().all()
    assert rows["GTD-FIXTURE-012"]["killed"] == 0  # zero stays zero


def test_gtd_sources_urls_from_citations_and_full_text(gtd):
    rows = by_id(gtd)
    both = rows["GTD-FIXTURE-003"]
    assert split_list(both["source_urls"]) == ["https://example.org/fixture/gtd-003",
                                               "http://example.com/fixture/gtd-003b"]
    assert both["source_text"].count(" | ") == 1 and "Fixture headline 3" in both["source_text"]
    text_only = rows["GTD-FIXTURE-002"]
    assert text_only["source_urls"] == ""
    assert text_only["source_text"] == 'Fixture Daily, "Fixture headline 2," fixture date.'
    assert "[import] Sources as cited (no URL): " in text_only["notes"]


def test_gtd_names_kept(gtd):
    rows = by_id(gtd)
    assert rows["GTD-FIXTURE-002"]["claimant_reported"] == ("Islamic State of Iraq and the Levant"
                                                            " (ISIL)")
    assert rows["GTD-FIXTURE-009"]["claimant_reported"] == "Jaish-e-Mohammad (JeM)"
    assert rows["GTD-FIXTURE-007"]["location"] == "Sūī"
    assert rows["GTD-FIXTURE-011"]["location"] == ""  # GTD's 'Unknown' city
    assert rows["GTD-FIXTURE-001"]["target_detail"] == "GTD Religious Figures/Institutions"


def test_excel_export_converts_like_csv(tmp_path, acled):
    frame = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    path = tmp_path / "acled_sample.xlsx"
    frame.to_excel(path, index=False)
    result = load_file(path)
    cols = ["incident_id", "date", "district", "group", "killed", "source_line", "notes"]
    pd.testing.assert_frame_equal(result.incidents[cols], acled.incidents[cols])


def test_export_missing_a_column_rejects_every_row(tmp_path):
    frame = pd.read_csv(ACLED, dtype=str, keep_default_na=False).drop(columns=["fatalities"])
    path = tmp_path / "partial.csv"
    frame.to_csv(path, index=False)
    result = load_file(path)
    assert (result.rows_in, result.accepted, result.rejected) == (13, 0, 13)  # nothing left out
    [problem] = rejecting(result)
    assert (problem.line, problem.field) == (1, "fatalities")
    assert "not a complete ACLED export" in problem.reason


def test_ragged_row_is_not_converted(tmp_path):
    lines = ACLED.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_file(path)
    balanced(result)
    [problem] = [p for p in rejecting(result) if p.line == 3]
    assert problem.field == "(row)"
    assert "the header has 31 fields; this row has 32" in problem.reason


# --------------------------------------------------------------------------- the report
def test_report_counts_converted_rows_only(acled):
    [report] = acled.reports
    assert (report.rows_read, report.converted, report.left_out_rows, report.rejected,
            report.with_url) == (13, 10, 2, 1, 0)
    lines = report.lines()
    assert lines[:6] == [f"Mapping report: {ACLED} (ACLED)",
                         "  13 rows read: 10 converted, 2 left out, 1 rejected",
                         "  left out, not political violence (1 row): Strategic developments 1",
                         "  left out, outside the covered provinces (1 row): Pakistan / Punjab 1",
                         "  rejected (1 row), by line:",
                         f"    {ACLED}:14: event_date '31 February 2024': not a date (YYYY-MM-DD,"
                         " '15 March 2024', '01-January-2015' or '18/04/2001')"]
    assert ("  sources: 0 rows cite a URL; 10 name their sources in source_text only (no URL)"
            in lines)
    assert "  caveat: ACLED fatalities are not split by side and may include attackers" in lines
    # the Punjab row is rejected, so ISPP counts one row, not two
    assert "    'Islamic State (Pakistan)' -> ISPP (1 row)" in lines
    assert "    'Islamic State (Khorasan)' -> IS-K (3 rows)" in lines
    assert "    'Lashkar-e-Jhangvi' -> Lashkar-e-Jhangvi (LeJ) (1 row)" in lines
    assert f"    'کوئٹہ' -> {PLACEHOLDER_BL} (1 row): unmapped" in lines
    assert "    'Khuzdār' -> Khuzdar (1 row)" in lines
    assert "    'Wana' -> Lower South Waziristan (1 row)" in lines
    assert "    (blank) -> attributed (10 rows)" in lines
    fields = [line.strip(" :") for line in lines if re.fullmatch(r"  \w+:", line)]
    assert fields == ["group", "attribution", "target_type", "attack_type", "province", "district"]


def test_report_rows_per_field_add_up(acled, gtd):
    for result in (acled, gtd):
        [report] = result.reports
        per_field = report.mappings.groupby("field")["rows"].sum()
        assert (per_field == result.accepted).all()


def test_unmapped_values_are_file_notes(gtd):
    notes = [str(p) for p in gtd.problems if not p.rejects_row and p.line is None]
    assert notes == [
        f"{GTD}: note: killed: GTD killed and injured are victims only: nkill less nkillter and "
        "nwound less nwoundte where both are known; where nkillter or nwoundte is unknown the "
        "total is kept and may include attackers",
        f"{GTD}: note: group 'Jaish-e-Mohammad (JeM)': kept under its own name (1 row); to map "
        "it onto a known group, add it to data/mappings/groups.csv",
        f"{GTD}: note: district 'Unknown': unmapped: set to '{PLACEHOLDER_BL}' (1 row); add it to "
        "data/mappings/places.csv",
    ]


# --------------------------------------------------------------------------- sources rule
def test_converted_file_loads_as_imported_but_not_as_canonical(tmp_path, acled):
    out = write_table(acled.incidents, tmp_path / "acled.csv")
    imported = load_file(out)
    assert imported.accepted == 10 and not rejecting(imported)
    strict = load_file(out, fmt="canonical")  # no URL, a placeholder, a group named by the export
    assert strict.accepted == 0
    assert {p.reason for p in rejecting(strict)} == {
        "missing: every incident needs a source URL",
        f"unknown district '{PLACEHOLDER_BL}'; not in the gazetteer data/districts.csv",
        "unknown group; expected one of IS-K, ISPP, BLA, BLF, BRA, BRAS, TTP, Other, Unknown"}


def test_imported_row_without_any_source_is_rejected(tmp_path, acled):
    table = acled.incidents.copy()
    nameless = table["incident_id"] == "ACLED-PAK-FIXTURE-002"
    table["source_text"] = table["source_text"].where(~nameless, "")
    result = load_file(write_table(table, tmp_path / "acled.csv"))
    assert result.accepted == 9
    [problem] = rejecting(result)
    assert problem.reason == "missing: every incident needs a source URL or a source_text"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_write_table_round_trip(tmp_path, gtd, suffix):
    out = write_table(gtd.incidents, tmp_path / f"gtd{suffix}")
    back = load_file(out)
    assert back.accepted == gtd.accepted and not rejecting(back)
    cols = ["incident_id", "date", "province", "district", "group", "attribution", "target_type",
            "attack_type", "killed", "injured", "latitude", "longitude", "source_urls",
            "source_text", "notes", "collection"]
    pd.testing.assert_frame_equal(back.incidents[cols].astype(object),
                                  gtd.incidents[cols].astype(object))
    assert not [p for p in back.problems if "column" in p.reason]  # no index column written
    written = read_table(out).frame
    assert list(written.columns) == list(COLUMNS)
    assert written["date"].iloc[0] == f"{gtd.incidents['date'].iloc[0]:%Y-%m-%d}"
    assert written["killed"].iloc[0] == str(gtd.incidents["killed"].iloc[0])


# --------------------------------------------------------------------------- placeholders
def test_placeholders_join_the_gazetteer_only_when_used(acled):
    shipped = load_reference()
    assert PLACEHOLDER_BL not in shipped.districts.index
    assert Dataset.from_result(load_files([CANONICAL])).reference.districts_of(
        ["Balochistan"]) == shipped.districts_of(["Balochistan"])
    ds = Dataset.from_result(load_files([ACLED]))
    assert ds.reference.districts_of(["Balochistan"]) == sorted(
        shipped.districts_of(["Balochistan"]) + [PLACEHOLDER_BL])
    assert ds.reference.districts_of(["Sindh"]) == shipped.districts_of(["Sindh"])
    assert ds.reference.district_lookup.resolve("unknown district (balochistan)") == PLACEHOLDER_BL
    assert pd.isna(ds.reference.districts.at[PLACEHOLDER_BL, "latitude"])
    assert PLACEHOLDER_BL in ds.values("district")


def test_placeholder_is_rejected_in_a_canonical_file(tmp_path):
    rows = list(csv.DictReader(CANONICAL.open(encoding="utf-8")))
    rows[0]["district"] = PLACEHOLDER_BL
    path = tmp_path / "mine.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = load_file(path)
    assert [p.field for p in rejecting(result)] == ["district"]


# --------------------------------------------------------------------------- mapping tables
def test_mapping_tables_have_a_header_and_a_note_column():
    for name in [*TABLES.values(), "placeholder_districts"]:
        frame = pd.read_csv(MAPPINGS_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        assert "note" in frame.columns, name
        if name != "placeholder_districts":
            assert list(frame.columns) == ["source", "value", frame.columns[2], "note"], name
            assert set(frame["source"]) <= {"acled", "gtd", "any"}, name
            keys = frame["source"] + "|" + frame["value"].map(fold)
            assert keys.is_unique, keys[keys.duplicated()].tolist()


def test_mapping_tables_map_to_our_values_only():
    ref = load_reference()
    allowed = {f: set(ref.vocab[f].canonical) for f in ("group", "attribution", "target_type",
                                                        "attack_type")}
    groups = pd.read_csv(MAPPINGS_DIR / "groups.csv", dtype=str, keep_default_na=False)["group"]
    named = {g for g in groups if g not in allowed["group"]}  # the open list: named groups
    assert all(g and ref.vocab["group"].resolve(g) is None for g in named), named
    allowed["group"] |= named
    allowed["province"] = set(ref.province_lookup.canonical)
    allowed["district"] = set(ref.districts.index) | {""}  # '' = deliberately not resolved
    for field_, name in TABLES.items():
        frame = pd.read_csv(MAPPINGS_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        assert set(frame[field_]) <= allowed[field_], (name, set(frame[field_]) - allowed[field_])


def test_places_add_only_spellings_the_gazetteer_lacks():
    ref = load_reference()
    places = pd.read_csv(MAPPINGS_DIR / "places.csv", dtype=str, keep_default_na=False)
    assert [v for v in places["value"] if ref.district_lookup.resolve(fold(v))] == []


def test_every_province_with_several_districts_has_a_placeholder():
    ref = load_reference()
    several = {p for p, n in ref.districts["province"].value_counts().items() if n > 1}
    table = load_placeholders()
    assert set(table["province"]) == several
    assert not set(table["district"]) & set(ref.districts.index)


# --------------------------------------------------------------------------- duplicates
def incidents_frame(*rows) -> pd.DataFrame:
    """(file, date, district, group, killed, injured) tuples as a loaded-incidents frame."""
    frame = pd.DataFrame(rows, columns=["source_file", "date", "district", "group", "killed",
                                        "injured"])
    frame["date"] = pd.to_datetime(frame["date"])
    for c in ("killed", "injured"):
        frame[c] = frame[c].astype("Int64")
    return frame


@pytest.mark.parametrize("a, b, duplicate", [
    ((10, None), (11, None), True),     # within 1
    ((10, None), (12, None), False),    # 2 apart, and 2 > 10% of 12
    ((30, 5), (33, 5), True),           # within 10% of the larger
    ((30, 5), (34, 5), False),
    ((0, None), (1, None), True),
    ((None, 3), (None, 3), False),      # killed unknown: not compared, not a duplicate
    ((4, 2), (4, None), True),          # injured compared only when both known
    ((4, 2), (4, 9), False),
    ((4, 100), (4, 109), True),
])
def test_find_duplicates_tolerance(a, b, duplicate):
    frame = incidents_frame(("a.csv", "2024-01-01", "Quetta", "BLA", *a),
                            ("b.csv", "2024-01-01", "Quetta", "BLA", *b))
    assert find_duplicates(frame) == ([(0, 1)] if duplicate else [])


def test_find_duplicates_needs_same_date_district_group_and_another_file():
    frame = incidents_frame(
        ("a.csv", "2024-01-01", "Quetta", "BLA", 3, None),
        ("a.csv", "2024-01-01", "Quetta", "BLA", 3, None),   # same file: never paired
        ("b.csv", "2024-01-02", "Quetta", "BLA", 3, None),   # another day
        ("b.csv", "2024-01-01", "Mastung", "BLA", 3, None),  # another district
        ("b.csv", "2024-01-01", "Quetta", "BLF", 3, None),   # another group
        ("c.csv", "2024-01-01", "Quetta", "BLA", 3, None),   # pairs with row 0 only (its first)
    )
    assert find_duplicates(frame) == [(0, 5)]
    assert find_duplicates(frame.iloc[:0]) == []


def test_duplicates_across_three_formats_reported_with_both_files_and_lines():
    result = load_files([CANONICAL, ACLED, GTD])
    balanced(result)
    assert (result.rows_in, result.accepted) == (39, 33)
    found = [(p.source, p.line, p.value) for p in result.problems if "likely the same" in p.reason]
    assert found == [(str(ACLED), 2, "ACLED-PAK-FIXTURE-001"),
                     (str(GTD), 5, "GTD-FIXTURE-004")]
    first = next(p for p in result.problems if p.value == "ACLED-PAK-FIXTURE-001")
    assert not first.rejects_row
    assert first.reason == (f"likely the same incident as FIXTURE-CAN-001 ({CANONICAL}:2): same "
                            "date, district and group, killed 5 and 6, injured 12 and unknown; "
                            "both kept (--duplicates drop-later would drop this one)")


def test_duplicates_drop_later():
    result = load_files([CANONICAL, ACLED, GTD], duplicates="drop-later")
    balanced(result)
    assert (result.rows_in, result.accepted, len(result.left_out), result.rejected) == (
        39, 31, 3, 5)
    ids = set(result.incidents["incident_id"])
    assert {"FIXTURE-CAN-001", "FIXTURE-CAN-002", "FIXTURE-CAN-012", "FIXTURE-CAN-003",
            "GTD-FIXTURE-006"} <= ids
    assert not {"ACLED-PAK-FIXTURE-001", "ACLED-PAK-FIXTURE-011", "GTD-FIXTURE-004"} & ids
    # the report names the field, the row and what was done with it
    dropped = next(p for p in result.problems if p.value == "ACLED-PAK-FIXTURE-001")
    assert (dropped.source, dropped.line, dropped.field, dropped.rejects_row) == (
        str(ACLED), 2, "incident_id", True)
    assert dropped.reason.endswith("injured 12 and unknown; dropped (--duplicates drop-later)")
    # the order of the files decides which row is the later one
    reverse = load_files([GTD, CANONICAL], duplicates="drop-later")
    assert "GTD-FIXTURE-004" in set(reverse.incidents["incident_id"])
    assert "FIXTURE-CAN-002" not in set(reverse.incidents["incident_id"])


def test_unreadable_file_is_named_and_the_exports_still_load(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    result = load_files([broken, ACLED, tmp_path / "missing.csv", GTD])
    assert result.accepted == 21 and len(result.reports) == 2
    assert len(result.file_errors) == 2
    assert result.file_errors[0].startswith(f"{broken}: not a readable xlsx table")
    assert result.file_errors[1] == f"{tmp_path / 'missing.csv'}: no such file"


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="unknown format 'acled2'"):
        load_file(ACLED, fmt="acled2")


# --------------------------------------------------------------------------- command line
def test_cli_import_writes_and_reports(tmp_path, capsys):
    out = tmp_path / "acled.csv"
    code = cli_main(["import", str(ACLED), "--format", "acled", "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert code == 1  # some rows were rejected
    assert printed[:2] == [f"Mapping report: {ACLED} (ACLED)",
                           "  13 rows read: 10 converted, 2 left out, 1 rejected"]
    assert "    'Islamic State (Pakistan)' -> ISPP (1 row)" in printed
    assert printed[-1] == f"wrote 10 rows to {out}"
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(written) == 10 and "source_text" in written.columns
    assert (written["injured"] == "").all()


def test_cli_import_excel_out_and_auto_format(tmp_path, capsys):
    out = tmp_path / "gtd.xlsx"
    assert cli_main(["import", str(GTD), "--out", str(out)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == f"wrote 11 rows to {out}"
    assert load_file(out).accepted == 11


@pytest.mark.parametrize("args, message", [
    ([str(CANONICAL), "--out", "x.csv"], "not an ACLED or GTD export"),
    ([str(ACLED), "--out", "x.json"], "write .csv, .xlsx or .parquet"),
    (["missing.csv", "--out", "x.csv"], "missing.csv: no such file"),
])
def test_cli_import_errors_exit_2(tmp_path, capsys, args, message):
    args[-1] = str(tmp_path / args[-1])
    assert cli_main(["import", *args]) == 2
    assert message in capsys.readouterr().err
    assert not Path(args[-1]).exists()


def test_cli_validate_takes_format_and_duplicates(capsys):
    code = cli_main(["validate", "--format", "gtd", "--duplicates", "drop-later", str(CANONICAL),
                     str(GTD)])
    printed = capsys.readouterr().out.splitlines()
    assert code == 1
    # the canonical file is not a GTD export: every row is rejected, header named
    assert any(line.startswith(f"{CANONICAL}:1: eventid") for line in printed)
    assert printed[-2] == (f"{GTD}: left out, outside the covered provinces (1 rows): "
                           "Pakistan / Punjab 1")
    assert printed[-1] == "26 rows: 11 accepted, 1 left out (out of scope), 14 rejected"


def test_app_options_from_environment():
    def options(env):
        s = Settings.from_env(env)
        return {"fmt": s.fmt, "duplicates": s.duplicates}
    assert options({}) == {"fmt": "auto", "duplicates": "keep"}
    assert options({"DASHBOARD_FORMAT": "gtd", "DASHBOARD_DUPLICATES": "drop-later"}) == \
        {"fmt": "gtd", "duplicates": "drop-later"}
    with pytest.raises(ValueError, match="DASHBOARD_FORMAT='xml'"):
        Settings.from_env({"DASHBOARD_FORMAT": "xml"})
    # the command line's options win over the environment
    assert Settings.from_env({"DASHBOARD_FORMAT": "gtd"}, fmt="acled").fmt == "acled"


def test_fixtures_are_marked_synthetic():
    for path in (ACLED, GTD, CANONICAL):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        ids = frame.iloc[:, 0]
        assert ids.str.contains("FIXTURE").all(), path
        notes = frame["notes" if "notes" in frame else "summary"]
        assert notes.str.startswith("Test fixture, not a real event").all(), path


# --------------------------------------------------------------------------- realistic exports
# Synthetic rows with the real column sets: ACLED before the 2019 change (upper case,
# ALLY_ACTOR_1, one EVENT_TYPE, '01-January-2015'), ACLED's 2020 format, and a GTD release
# (all 135 columns, every country). Expected values are read off the fixtures by hand.
ACLED_OLD = FIXTURES / "acled_2015_old_format.csv"
ACLED_2020 = FIXTURES / "acled_2020_format.csv"
GTD_2021 = FIXTURES / "gtd_2021_release.csv"


@pytest.fixture(scope=per_module)
def acled_old():
    return load_file(ACLED_OLD)


@pytest.fixture(scope=per_module)
def acled_2020():
    return load_file(ACLED_2020)


@pytest.fixture(scope=per_module)
def gtd_2021():
    return load_file(GTD_2021)


def left_out_counts(result) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for _, _, reason, detail in result.left_out:
        counts[reason, detail] = counts.get((reason, detail), 0) + 1
    return counts


def test_both_acled_formats_are_detected_and_named(acled_old, acled_2020):
    assert detect_format(read_table(ACLED_OLD).frame.columns) == "acled"
    assert detect_format(read_table(ACLED_2020).frame.columns) == "acled"
    assert acled_old.reports[0].lines()[0] == (f"Mapping report: {ACLED_OLD} (ACLED, format "
                                               "before the 2019 change)")
    assert acled_2020.reports[0].lines()[0] == f"Mapping report: {ACLED_2020} (ACLED)"


def test_acled_old_format_converts_political_violence_and_no_protest(acled_old):
    balanced(acled_old)
    assert (acled_old.rows_in, acled_old.accepted, len(acled_old.left_out),
            acled_old.rejected) == (18, 9, 8, 1)
    assert left_out_counts(acled_old) == {
        ("not political violence", "Riots/Protests"): 3,
        ("not political violence", "Strategic development"): 1,
        (NO_GROUP, "Remote violence"): 1,             # a US drone strike on the TTP
        (NO_GROUP, "Violence against civilians"): 1,  # police
        ("outside the covered provinces", "Afghanistan"): 1,
        ("outside the covered provinces", "Pakistan / Punjab"): 1}
    inc = acled_old.incidents
    assert not inc["target_detail"].str.contains("Riots|Strategic").any()
    assert not inc["group"].str.startswith("Not a militant").any()
    [problem] = rejecting(acled_old)
    assert (problem.line, problem.field, problem.value) == (17, "event_date", "31-February-2015")


def test_acled_old_format_rows(acled_old):
    got = {i: (f"{r['date']:%Y-%m-%d}", r["district"], r["group"], r["attack_type"])
           for i, r in by_id(acled_old).items()}
    assert got == {
        # the state is actor1; the group is the non-state side, actor2
        "ACLED-PAKFIXTUREO05": ("2015-01-05", "North Waziristan", "TTP", "Armed assault"),
        "ACLED-PAKFIXTUREO07": ("2015-01-07", "Kech", "Unknown", "Bombing/IED"),  # 'Makran'
        "ACLED-PAKFIXTUREO08": ("2015-01-08", "Quetta", "Lashkar-e-Jhangvi (LeJ)", "Other"),
        "ACLED-PAKFIXTUREO10": ("2015-01-10", "Mohmand", "Jamaat-ul-Ahrar (JuA)",
                                "Armed assault"),  # 'Momand Agency', no coordinates
        "ACLED-PAKFIXTUREO11": ("2015-01-11", "Peshawar", "Lashkar-e-Islam (LeI)",
                                "Bombing/IED"),  # 'Bara' (Khyber), but the point is in Peshawar
        "ACLED-PAKFIXTUREO12": ("2015-01-12", "Mansehra", "Jundallah (Pakistan)", "Other"),
        "ACLED-PAKFIXTUREO13": ("2015-01-13", "Upper South Waziristan", "Fixture Mujahideen Front",
                                "Armed assault"),
        "ACLED-PAKFIXTUREO17": ("2015-03-18", "Kalat", "BLA", "Other"),  # 18/03/2015
        "ACLED-PAKFIXTUREO18": ("2015-03-15", "Dera Bugti", "Baloch Republican Guards (BRG)",
                                "Armed assault"),
    }
    rows = by_id(acled_old)
    assert rows["ACLED-PAKFIXTUREO13"]["claimant_reported"] == "Fixture Mujahideen Front (Pakistan)"
    assert ("[import] placed by its coordinates (33.8800, 71.5300) in Peshawar, Khyber "
            "Pakhtunkhwa; admin2 'Khyber Agency' names Khyber." in rows["ACLED-PAKFIXTUREO11"]["notes"])


def test_acled_2020_format_rows_and_left_out(acled_2020):
    balanced(acled_2020)
    assert (acled_2020.rows_in, acled_2020.accepted, len(acled_2020.left_out)) == (13, 7, 6)
    assert left_out_counts(acled_2020) == {
        ("not political violence", "Protests"): 2, ("not political violence", "Riots"): 1,
        ("not political violence", "Strategic developments"): 1,
        (NO_GROUP, "Explosions/Remote violence"): 1,  # a state air strike
        ("outside the covered provinces", "Pakistan / Punjab"): 1}
    got = {i: (r["district"], r["group"]) for i, r in by_id(acled_2020).items()}
    assert got == {
        "ACLED-PAKFIXTUREN05": ("Peshawar", "ISPP"),
        "ACLED-PAKFIXTUREN06": ("Kech", "BLA"),
        "ACLED-PAKFIXTUREN08": ("North Waziristan", "TTP"),
        "ACLED-PAKFIXTUREN09": ("Sukkur", "Sindhudesh Revolutionary Army (SRA)"),
        "ACLED-PAKFIXTUREN10": ("North Waziristan", "Hafiz Gul Bahadur Group"),
        "ACLED-PAKFIXTUREN11": ("Lasbela", "Fixture Lashkar-e-Fixture"),  # kept, '(Pakistan)' off
        "ACLED-PAKFIXTUREN12": ("Lasbela", "Unknown"),
    }
    # Hub lies in Lasbela's 2022 polygon: the name 'Lasbela' (admin2) decides, with no guess
    note = by_id(acled_2020)["ACLED-PAKFIXTUREN11"]["notes"]
    assert "Lasbela" in note


def test_acled_all_events_keeps_the_others_labelled_never_as_a_group(tmp_path):
    result = load_file(ACLED_OLD, options={"acled_events": "all"})
    balanced(result)
    assert (result.accepted, len(result.left_out)) == (15, 2)  # only the out-of-scope places
    kept = result.incidents[result.incidents["group"].str.startswith("Not a militant attack")]
    assert sorted(kept["group"]) == sorted(
        ["Not a militant attack: Riots/Protests"] * 3 + ["Not a militant attack: Strategic "
         "development", "Not a militant attack: Remote violence",
         "Not a militant attack: Violence against civilians"])
    assert kept["notes"].str.contains("not an attack by a non-state armed group").all()
    assert cli_main(["import", str(ACLED_OLD), "--acled-events", "all",
                     "--out", str(tmp_path / "x.csv")]) == 1


def test_gtd_release_in_scope_rows_victims_only_and_named_districts(gtd_2021):
    balanced(gtd_2021)
    assert (gtd_2021.rows_in, gtd_2021.accepted, len(gtd_2021.left_out),
            gtd_2021.rejected) == (17, 10, 5, 2)
    assert left_out_counts(gtd_2021) == {("outside the covered provinces", "Afghanistan"): 3,
                                         ("outside the covered provinces", "India"): 1,
                                         ("outside the covered provinces", "Pakistan / Punjab"): 1}
    assert [(p.line, p.field) for p in rejecting(gtd_2021)] == [(16, "nkillter"),
                                                                (17, "iyear-imonth-iday")]
    rows = by_id(gtd_2021)
    got = {i: (r["district"], r["group"], None if pd.isna(r["killed"]) else int(r["killed"]),
               None if pd.isna(r["injured"]) else int(r["injured"])) for i, r in rows.items()}
    assert got == {
        "GTD-2021FIXTURE006": ("Bajaur", "ISPP", 4, 10),     # 'Bajaur district'; 5 - 1
        "GTD-2021FIXTURE007": ("North Waziristan", "TTP", 4, 2),  # Spinwam; 6 - 2, 3 - 1
        "GTD-2021FIXTURE008": ("Upper South Waziristan", "TTP", 4, 2),  # Makin; nkillter -99
        "GTD-2021FIXTURE009": ("Bannu", "Unknown", 1, 0),    # Jani Khel
        "GTD-2021FIXTURE010": ("Karachi (district not stated)",
                               "Sindhudesh Revolutionary Army (SRA)", 0, 2),
        "GTD-2021FIXTURE011": ("Dera Bugti", "Baloch Republican Guards (BRG)", 0, 0),
        "GTD-2021FIXTURE012": ("North Waziristan", "Hafiz Gul Bahadur Group", 3, None),
        "GTD-2021FIXTURE013": ("Mastung", "ISPP", 2, 1),     # city 'Quetta': disagreement
        "GTD-2021FIXTURE014": ("Unknown district (Khyber Pakhtunkhwa)", "Unknown", None, None),
        "GTD-2021FIXTURE017": ("Peshawar", "Fixture Tehreek-e-Fixture", 2, 3),
    }
    named = ~gtd_2021.incidents["district"].str.startswith("Unknown district")
    assert named.mean() >= 0.9
    assert ("[import] killed 4: GTD nkill 5 less nkillter 1 (attackers)."
            in rows["GTD-2021FIXTURE006"]["notes"])
    assert ("[import] GTD nkill 4 may include attackers (nkillter unknown): killed is 4."
            in rows["GTD-2021FIXTURE008"]["notes"])
    assert rows["GTD-2021FIXTURE011"]["claimant_reported"] == (
        "Baloch Republican Guards (BRG); Baloch Liberation Army (BLA)")
    assert ("city 'Quetta' names Quetta" in rows["GTD-2021FIXTURE013"]["notes"])


def test_gtd_report_is_a_screenful_with_the_summary_first(gtd_2021, tmp_path, capsys):
    lines = gtd_2021.reports[0].lines()
    assert lines[1] == "  17 rows read: 10 converted, 5 left out, 2 rejected"
    assert lines[2] == ("  left out, outside the covered provinces (5 rows): Afghanistan 3; "
                        "India 1; Pakistan / Punjab 1")
    assert not any("Afghanistan" in line for line in lines[3:])  # counted, not listed
    report = tmp_path / "rows.csv"
    assert cli_main(["import", str(GTD_2021), "--out", str(tmp_path / "g.csv"),
                     "--report", str(report)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Mapping report:") and len(printed) < 80
    rows = pd.read_csv(report, dtype=str, keep_default_na=False)
    per_line = rows[rows["outcome"] != "note"].drop_duplicates("line")
    assert per_line["outcome"].value_counts().to_dict() == {"converted": 10, "left out": 5,
                                                            "rejected": 2}


def test_report_lists_only_a_screenful_of_values_per_field(tmp_path):
    frame = pd.read_csv(GTD_2021, dtype=str, keep_default_na=False)
    big = pd.concat([frame.iloc[[6]]] * 40, ignore_index=True)
    big["eventid"] = [f"2021FIXTURE9{i:02d}" for i in range(40)]
    big["city"] = [f"Fixture village {i}" for i in range(40)]
    path = tmp_path / "many.csv"
    big.to_csv(path, index=False)
    lines = load_file(path).reports[0].lines()
    district = lines[lines.index("  district:") + 1:]
    assert len(district) == 13 and district[-1].startswith("    ... and 28 more values (28 rows")


def test_point_in_a_polygon_of_several_districts_is_never_guessed():
    from dashboard.importers.places import load_polygons
    polygons = load_polygons()
    south = polygons.locate(32.63, 69.85)
    assert south.name == "South Waziristan" and south.own is None
    assert set(south.districts) == {"Lower South Waziristan", "Upper South Waziristan"}
    lasbela = polygons.locate(25.05, 66.91)
    assert (lasbela.own, lasbela.districts) == ("Lasbela", ("Lasbela", "Hub"))
    assert polygons.locate(31.55, 74.34) is None  # Lahore, Punjab: no polygon
    ref = load_reference()
    for p in polygons.polygons:
        assert set(p.districts) <= set(ref.districts.index), p


def test_south_waziristan_point_without_a_telling_name_gets_the_placeholder(tmp_path):
    frame = pd.read_csv(GTD_2021, dtype=str, keep_default_na=False).iloc[[7]].copy()
    frame["city"] = "Fixture hamlet"
    path = tmp_path / "sw.csv"
    frame.to_csv(path, index=False)
    [row] = [r for _, r in load_file(path).incidents.iterrows()]
    assert row["district"] == "Unknown district (Khyber Pakhtunkhwa)"
    assert "holds Lower South Waziristan and Upper South Waziristan" in row["notes"]


def test_named_groups_are_accepted_in_imported_files_only(tmp_path, gtd_2021):
    out = write_table(gtd_2021.incidents, tmp_path / "gtd.csv")
    again = load_file(out)
    assert again.accepted == 10 and "Fixture Tehreek-e-Fixture" in set(again.incidents["group"])
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    table.loc[0, "group"] = "<b>Fixture</b>"
    table.to_csv(out, index=False)
    [problem] = rejecting(load_file(out))
    assert problem.field == "group" and problem.reason.startswith("not a group name")


def test_progress_bar_only_on_a_terminal_and_after_a_second():
    import io
    from dashboard.progress import RowProgress
    ticks = iter([0.0, 0.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5])
    quiet = io.StringIO()
    with RowProgress("x.csv", stream=quiet, clock=lambda: next(ticks)) as bar:
        bar.stage("converting", 100)
        bar.advance(100)
    assert quiet.getvalue() == ""  # not a terminal: nothing
    ticks = iter([0.0, 0.2, 0.4])
    fast = io.StringIO()
    with RowProgress("x.csv", stream=fast, clock=lambda: next(ticks), force=True) as bar:
        bar.stage("converting", 100)
        bar.advance(100)
    assert fast.getvalue() == ""  # under a second: nothing
    clock = iter(range(0, 100, 2))
    shown = io.StringIO()
    with RowProgress("x.csv", stream=shown, clock=lambda: float(next(clock)), force=True) as bar:
        bar.stage("converting", 3000)
        for _ in range(3):
            bar.advance(1000)
        assert bar._bar is not None
    assert "x.csv: converting" in shown.getvalue()


def test_realistic_fixtures_are_marked_synthetic():
    for path in (ACLED_OLD, ACLED_2020, GTD_2021):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.columns = [c.lower() for c in frame.columns]
        assert frame.iloc[:, 1 if path != GTD_2021 else 0].str.contains("FIXTURE").all() or \
            frame["event_id_cnty" if path != GTD_2021 else "eventid"].str.contains(
                "FIXTURE").all(), path
        notes = frame["notes" if "notes" in frame else "summary"]
        assert notes.str.startswith("Test fixture, not a real event").all(), path
    assert len(pd.read_csv(GTD_2021, nrows=0).columns) == 135


# --------------------------------------------------------------------------- the page
def test_page_reflects_what_was_loaded():
    from dashboard import figures
    from dashboard.aggregate import View
    from dashboard.filters import Display, ViewState
    from dashboard.layout import groups_present, header_text
    ds = Dataset.from_result(load_files([GTD_2021, ACLED_OLD]))
    assert header_text(ds).startswith("Sourced incidents (acled_2015_old_format, "
                                      "gtd_2021_release): ISPP, BLA, TTP, Unknown, ")
    assert ("Fixture Tehreek-e-Fixture", 1) in groups_present(ds)
    shipped = Dataset.from_result(load_files([ROOT / "data" / "incidents.csv"]))
    assert header_text(shipped) == ("Sourced incidents (baloch_major, isk_balochistan, "
                                    "isk_other_provinces): IS-K, ISPP, BLA, BLF, BRAS")
    # known groups keep their colours; any other named group a grey of the neutral scale
    assert figures.group_colour("IS-K") == figures.GROUP_COLOURS["IS-K"]
    assert figures.group_colour("Fixture Tehreek-e-Fixture") in figures.OTHER_GREYS
    assert figures.group_colour("Lashkar-e-Jhangvi (LeJ)") == figures.group_colour(
        "Lashkar-e-Jhangvi (LeJ)")
    # one year of data: one tick per year, labelled by year, never by the hour
    one_year = Dataset.from_result(load_files([GTD_2021]))
    axis = figures.timeline_figure(View(one_year, ViewState())).layout.xaxis
    assert (axis.tickformat, axis.dtick) == ("%Y", "M12")
    month = View(Dataset.from_result(load_files([ACLED_2020])),
                 ViewState(display=Display(period="month")))
    axis = figures.timeline_figure(month).layout.xaxis
    assert (axis.tickformat, axis.dtick) == ("%b %Y", "M1")
    # many groups: the legend is a column right of the chart, clear of the title and notes
    fig = figures.district_figure(View(ds, ViewState()))
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.x > 1


def test_row_report_accounts_for_every_line_in_order(tmp_path, acled):
    from dashboard.importers.convert import write_row_report
    path = write_row_report(acled, tmp_path / "rows.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["line", "outcome", "incident_id", "group", "district",
                                   "field", "value", "reason"]
    lines = table["line"].astype(int).tolist()
    assert lines == sorted(lines) and set(lines) == set(range(2, 15))  # header is line 1
    main = table[table["outcome"] != "note"]
    assert sorted(zip(main["line"].astype(int), main["outcome"])) == sorted(
        [(line, "converted") for line in (2, 3, 4, 5, 6, 7, 8, 10, 11, 13)]
        + [(9, "left out"), (12, "left out"), (14, "rejected")])
    by_outcome = {(int(r.line), r.outcome): r for r in table.itertuples()}
    first = by_outcome[(2, "converted")]
    assert (first.incident_id, first.group, first.district, first.field, first.reason) == (
        "ACLED-PAK-FIXTURE-001", "ISPP", "Mastung", "", "")
    punjab = by_outcome[(9, "left out")]
    assert (punjab.incident_id, punjab.value, punjab.reason) == (
        "", "Pakistan / Punjab", "outside the covered provinces")
    bad = by_outcome[(14, "rejected")]
    assert (bad.field, bad.value) == ("event_date", "31 February 2024")
    assert bad.reason.startswith("not a date")
    order = {"rejected": 0, "left out": 1, "converted": 2, "note": 3}
    for _, part in table.groupby("line", sort=False):
        ranks = part["outcome"].map(order).tolist()
        assert ranks == sorted(ranks)


def test_row_report_lists_a_rows_notes_after_its_outcome(tmp_path):
    from dashboard.importers.convert import write_row_report
    frame = pd.read_csv(ROOT / "data" / "incidents.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["province"] == "Balochistan"].head(2).copy()
    frame.iloc[1, frame.columns.get_loc("latitude")] = "34.008"  # Peshawar's coordinate
    frame.iloc[1, frame.columns.get_loc("longitude")] = "71.5785"
    frame.to_csv(tmp_path / "two.csv", index=False)
    table = pd.read_csv(write_row_report(load_file(tmp_path / "two.csv"), tmp_path / "r.csv"),
                        dtype=str, keep_default_na=False)
    assert table[["line", "outcome", "incident_id", "field", "value"]].values.tolist() == [
        ["2", "converted", frame.iloc[0]["incident_id"], "", ""],
        ["3", "converted", frame.iloc[1]["incident_id"], "", ""],
        ["3", "note", "", "latitude", "34.008, 71.5785"]]
    assert table.iloc[2]["reason"].startswith("outside the box of Balochistan")


def test_polygon_index_finds_the_containing_polygon_first_on_a_border():
    import shapely
    from dashboard.importers.places import Polygons
    west, east = shapely.box(60, 25, 65, 30), shapely.box(65, 25, 70, 30)
    index = Polygons(["west", "east"], [west, east])
    assert index.locate(27.0, 62.0) == "west"
    assert index.locate(27.0, 68.0) == "east"
    assert index.locate(27.0, 65.0) == "west"  # on the shared border: the first
    assert index.locate(35.0, 62.0) is None
    assert index.polygons == ["west", "east"] and index.geometries == [west, east]


def test_report_of_many_rejections_and_unmapped_names_is_cut_to_a_screenful(tmp_path):
    """40 copies of one TTP row: 14 on 31 February, and none with a coordinate, each in its
    own unknown village (so placed by names, the district unmapped)."""
    frame = pd.read_csv(GTD_2021, dtype=str, keep_default_na=False)
    big = pd.concat([frame.iloc[[6]]] * 40, ignore_index=True)
    big["eventid"] = [f"2021FIXTURE9{i:02d}" for i in range(40)]
    big["city"] = [f"Fixture village {i}" for i in range(40)]
    big["latitude"] = big["longitude"] = ""
    big.loc[:13, "imonth"], big.loc[:13, "iday"] = "2", "31"
    path = tmp_path / "many.csv"
    big.to_csv(path, index=False)
    lines = load_file(path).reports[0].lines()
    bad = "iyear-imonth-iday '2021-2-31': not a real calendar date (day is out of range for month)"
    assert lines[:16] == [
        f"Mapping report: {path} (GTD)",
        "  40 rows read: 26 converted, 0 left out, 14 rejected",
        "  rejected (14 rows), by line:",
        *(f"    {path}:{line}: {bad}" for line in range(2, 14)),
        "    ... and 2 more problems (--report FILE lists every row)"]
    assert lines[16] == ("  places: 0 rows placed by their coordinates, 26 by their names; 0 "
                         "where the names disagree with the coordinates (in each row's notes)")
    assert lines[17] == ("  sources: 26 rows cite a URL; 0 name their sources in source_text "
                         "only (no URL)")
    district = lines[lines.index("  district:") + 1:]
    assert len(district) == 13 and district[0].endswith(
        "-> Unknown district (Khyber Pakhtunkhwa) (1 row): unmapped")
    assert district[-1] == ("    ... and 14 more values (14 rows, 14 of them unmapped or kept; "
                            "--report FILE lists every row)")
