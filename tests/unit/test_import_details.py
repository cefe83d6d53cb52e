"""Details of ACLED and GTD imports that a user reads: the words of each note and rejection,
the report's lines, the row-by-row report and the files written.

Every export here is written by the test: synthetic rows (ids FIXTURE-D…, PAK-FIXTURE-D…,
every note "Test fixture, not a real event"), not real incidents. Each expected value is
worked out by hand from the row given.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from dashboard.__main__ import main as cli_main
from dashboard.data.loading import load_file
from dashboard.data.schema import COLUMNS
from dashboard.importers.convert import write_row_report, write_table
from tests.unit.test_import import by_id, rejecting

PLACEHOLDER_BL = "Unknown district (Balochistan)"

GTD_BASE = dict(
    eventid="", iyear="2020", imonth="3", iday="4", approxdate="", country_txt="Pakistan",
    provstate="Balochistan", city="Quetta", latitude="", longitude="", specificity="1",
    attacktype1_txt="Bombing/Explosion", targtype1_txt="Police",
    gname="Baloch Liberation Army (BLA)", gname2="", gname3="", nkill="0", nkillter="",
    nwound="0", nwoundte="", summary="Test fixture, not a real event.",
    scite1="https://example.org/fixture/d", scite2="", scite3="", claimed="0")
ACLED_BASE = dict(
    event_id_cnty="", event_date="2024-03-02", time_precision="1",
    event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
    actor1="BLA: Baloch Liberation Army", assoc_actor_1="", inter1="2",
    actor2="Civilians (Pakistan)", assoc_actor_2="", inter2="7", country="Pakistan",
    admin1="Balochistan", admin2="Quetta", location="Quetta", latitude="", longitude="",
    geo_precision="1", source="Fixture Daily", notes="Test fixture, not a real event.",
    fatalities="1")


def export(path: Path, base: dict, id_column: str, prefix: str, rows: list[dict]) -> Path:
    """`rows` (changes to `base`) as a CSV export; the n-th row gets the id prefix-D00n."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(base))
        writer.writeheader()
        for n, changes in enumerate(rows, 1):
            writer.writerow({**base, id_column: f"{prefix}-D{n:03d}", **changes})
    return path


def gtd_file(tmp_path: Path, *rows: dict, name: str = "gtd.csv") -> Path:
    return export(tmp_path / name, GTD_BASE, "eventid", "FIXTURE", list(rows))


def acled_file(tmp_path: Path, *rows: dict, name: str = "acled.csv") -> Path:
    return export(tmp_path / name, ACLED_BASE, "event_id_cnty", "PAK-FIXTURE", list(rows))


def import_notes(row) -> list[str]:
    """The notes the import added to a row, each without its '[import] ' tag."""
    return [n.strip() for n in row["notes"].split("[import] ")[1:]]


def section(lines: list[str], field_: str) -> list[str]:
    """The report's lines under '  field:', up to the next field."""
    start = lines.index(f"  {field_}:") + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("    ")),
               len(lines))
    return lines[start:end]


# --------------------------------------------------------------------------- GTD values
def test_gtd_blank_group_is_unknown_and_the_report_says_blank(tmp_path):
    result = load_file(gtd_file(tmp_path, {"gname": ""}), fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert row["group"] == "Unknown"
    assert section(result.reports[0].lines(), "group") == [
        "    (blank) -> Unknown (1 row): blank in the export"]


def test_gtd_claimed_written_as_a_decimal_or_blank(tmp_path):
    """claimed '1.0' (a spreadsheet's number) is 1, a claim; blank is GTD's 'not recorded'."""
    result = load_file(gtd_file(tmp_path, {"claimed": "1.0"}, {"claimed": ""}), fmt="gtd")
    rows = by_id(result)
    assert rows["GTD-FIXTURE-D001"]["attribution"] == "claimed"
    assert rows["GTD-FIXTURE-D002"]["attribution"] == "attributed"
    assert section(result.reports[0].lines(), "attribution") == [
        "    (blank) -> attributed (1 row)",
        "    '1' -> claimed (1 row)"]
    assert not [n for n in import_notes(rows["GTD-FIXTURE-D001"]) if "attribution" in n]


def test_gtd_unknown_second_group_is_not_a_claimant(tmp_path):
    result = load_file(gtd_file(tmp_path, {"gname": "Fixture Front", "gname2": "Unknown"}),
                       fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert row["group"] == "Fixture Front"
    assert row["claimant_reported"] == "Fixture Front"


def test_gtd_unmapped_attack_type_becomes_other_with_a_note(tmp_path):
    result = load_file(gtd_file(tmp_path, {"attacktype1_txt": "Fixture method"}), fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert row["attack_type"] == "Other"
    assert ("attack_type 'Fixture method' not in data/mappings/attack_types.csv: set to Other"
            in import_notes(row))
    assert section(result.reports[0].lines(), "attack_type") == [
        "    'Fixture method' -> Other (1 row): unmapped"]


def test_gtd_blank_target_type_has_no_target_detail(tmp_path):
    result = load_file(gtd_file(tmp_path, {"targtype1_txt": ""}, {}), fmt="gtd")
    rows = by_id(result)
    assert rows["GTD-FIXTURE-D001"]["target_type"] == "Other"
    assert rows["GTD-FIXTURE-D001"]["target_detail"] == ""
    assert rows["GTD-FIXTURE-D002"]["target_detail"] == "GTD Police"
    assert section(result.reports[0].lines(), "target_type") == [
        "    (blank) -> Other (1 row): blank in the export",
        "    'Police' -> Security forces (1 row)"]
    written = pd.read_csv(write_table(result.incidents, tmp_path / "out.csv"), dtype=str,
                          keep_default_na=False)
    assert written["target_detail"].tolist() == ["", "GTD Police"]


def test_gtd_sources_without_url_noted_with_one_full_stop(tmp_path):
    result = load_file(gtd_file(tmp_path, {"scite1": "Fixture Daily, fixture date."}),
                       fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert row["source_urls"] == "" and row["source_text"] == "Fixture Daily, fixture date."
    assert "Sources as cited (no URL): Fixture Daily, fixture date." in import_notes(row)


def test_gtd_date_that_is_not_numbers_is_rejected_saying_so(tmp_path):
    result = load_file(gtd_file(tmp_path, {"iday": "x"}), fmt="gtd")
    assert result.accepted == 0
    assert [(p.line, p.field, p.value, p.reason) for p in rejecting(result)] == [
        (2, "iyear-imonth-iday", "2020-3-x",
         "not a real calendar date (iyear, imonth and iday must be whole numbers)")]


def test_gtd_province_problems_name_the_provstate_column(tmp_path):
    """A blank provstate and no coordinate: rejected, naming provstate. A provstate that the
    point contradicts: placed by the point, the note naming provstate."""
    result = load_file(gtd_file(tmp_path, {"provstate": ""},
                                {"provstate": "Sindh", "latitude": "30.1841",
                                 "longitude": "67.0014"}), fmt="gtd")
    assert [(p.line, p.field, p.value, p.reason) for p in rejecting(result)] == [
        (2, "provstate", "", "missing: the province is needed to place the row (and it has no "
                             "coordinate inside a district polygon)")]
    row = by_id(result)["GTD-FIXTURE-D002"]
    assert (row["province"], row["district"]) == ("Balochistan", "Quetta")
    assert ("placed by its coordinates (30.1841, 67.0014) in Quetta, Balochistan; provstate "
            "'Sindh' names Sindh." in import_notes(row))


# --------------------------------------------------------------------------- districts
def test_no_district_name_at_all_gets_the_placeholder_saying_none_given(tmp_path):
    result = load_file(gtd_file(tmp_path, {"city": ""}), fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert row["district"] == PLACEHOLDER_BL
    assert (f"district not resolved in Balochistan (none given): set to '{PLACEHOLDER_BL}'"
            in import_notes(row))
    assert section(result.reports[0].lines(), "district") == [
        f"    (blank) -> {PLACEHOLDER_BL} (1 row): unmapped"]


def test_acled_no_district_name_at_all_gets_the_placeholder(tmp_path):
    result = load_file(acled_file(tmp_path, {"admin2": "", "location": ""}), fmt="acled")
    row = by_id(result)["ACLED-PAK-FIXTURE-D001"]
    assert row["district"] == PLACEHOLDER_BL
    assert (f"district not resolved in Balochistan (none given): set to '{PLACEHOLDER_BL}'"
            in import_notes(row))


def test_point_in_a_polygon_holding_two_districts_names_the_other_one(tmp_path):
    """Lasbela's 2022 polygon also covers Hub; a village name that says neither: Lasbela, and
    the note names Hub as the district the polygon also holds."""
    result = load_file(gtd_file(tmp_path, {"city": "Fixture hamlet", "latitude": "25.05",
                                           "longitude": "66.91"}), fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert row["district"] == "Lasbela"
    assert ("the point lies in the Lasbela polygon, which also holds Hub (Hub was split from "
            "Lasbela in 2022; the 2022 polygon still covers it.); set to Lasbela."
            in import_notes(row))
    assert section(result.reports[0].lines(), "district") == [
        "    'Fixture hamlet' -> Lasbela (1 row): from the coordinates"]


def test_a_district_placed_by_point_and_by_name_is_one_report_line(tmp_path):
    """Quetta by its coordinates (the name agreeing) and Quetta by its name alone: one value,
    'Quetta' -> Quetta, counted twice."""
    result = load_file(gtd_file(tmp_path, {"latitude": "30.1841", "longitude": "67.0014"}, {}),
                       fmt="gtd")
    lines = result.reports[0].lines()
    assert section(lines, "district") == ["    'Quetta' -> Quetta (2 rows)"]
    assert section(lines, "province") == ["    'Balochistan' -> Balochistan (2 rows)"]


def test_islamabad_needs_no_district_name(tmp_path):
    """The capital territory is one district: any name (or none) is Islamabad, mapped, with
    no note and no 'unmapped' in the report."""
    result = load_file(gtd_file(tmp_path, {"provstate": "Islamabad", "city": "Fixture sector"}),
                       fmt="gtd")
    row = by_id(result)["GTD-FIXTURE-D001"]
    assert (row["province"], row["district"]) == ("Islamabad", "Islamabad")
    assert not [n for n in import_notes(row) if "district" in n]
    report = result.reports[0]
    assert section(report.lines(), "district") == ["    'Fixture sector' -> Islamabad (1 row)"]
    district = report.mappings[report.mappings["field"] == "district"]
    assert district[["raw", "value", "status", "rows"]].values.tolist() == [
        ["Fixture sector", "Islamabad", "mapped", 1]]
    assert not [p for p in result.problems if p.field == "district"]


# --------------------------------------------------------------------------- the report
BALOCHISTAN_14 = ("Quetta", "Pishin", "Chaman", "Mastung", "Kalat", "Surab", "Khuzdar",
                  "Awaran", "Lasbela", "Hub", "Gwadar", "Kech", "Panjgur", "Kharan")


def test_report_cuts_long_lists_and_counts_the_rest(tmp_path):
    """14 rows in 14 other countries, 14 in 14 districts named plainly: 12 of each listed,
    '... and 2 more' for the rest (none of them unmapped, so no 'unmapped or kept')."""
    abroad = [{"country_txt": f"Fixtureland {i:02d}", "provstate": "Fixture State"}
              for i in range(1, 15)]
    home = [{"city": d} for d in BALOCHISTAN_14]
    path = gtd_file(tmp_path, *abroad, *home)
    lines = load_file(path, fmt="gtd").reports[0].lines()
    assert lines[:3] == [
        f"Mapping report: {path} (GTD)",
        "  28 rows read: 14 converted, 14 left out, 0 rejected",
        "  left out, outside the covered provinces (14 rows): "
        + "; ".join(f"Fixtureland {i:02d} 1" for i in range(1, 13)) + "; ... and 2 more"]
    shown = sorted(BALOCHISTAN_14)  # each one row: by name
    assert section(lines, "district") == [
        *(f"    {d!r} -> {d} (1 row)" for d in shown[:12]),
        "    ... and 2 more values (2 rows; --report FILE lists every row)"]


def test_report_lists_values_most_rows_first_ties_by_name_then_file_order(tmp_path):
    """Quetta twice, then one row each: Kech, a Sindh row and a Balochistan row with no
    district name. Most rows first; among one-row values by name, (blank) first; the two
    blanks in the order of the file."""
    path = gtd_file(tmp_path, {}, {"city": "Kech"}, {},
                    {"provstate": "Sindh", "city": ""}, {"city": ""})
    lines = load_file(path, fmt="gtd").reports[0].lines()
    assert section(lines, "district") == [
        "    'Quetta' -> Quetta (2 rows)",
        "    (blank) -> Unknown district (Sindh) (1 row): unmapped",
        f"    (blank) -> {PLACEHOLDER_BL} (1 row): unmapped",
        "    'Kech' -> Kech (1 row)"]
    assert section(lines, "province") == ["    'Balochistan' -> Balochistan (4 rows)",
                                          "    'Sindh' -> Sindh (1 row)"]


def test_province_outside_the_four_without_a_country_is_counted_as_pakistan(tmp_path):
    path = gtd_file(tmp_path, {"country_txt": "", "provstate": "Punjab", "city": "Fixture town"})
    result = load_file(path, fmt="gtd")
    assert result.left_out == [(str(path), 2, "outside the covered provinces",
                                "Pakistan / Punjab")]
    assert result.reports[0].lines()[2] == ("  left out, outside the covered provinces (1 row): "
                                            "Pakistan / Punjab 1")


def test_point_in_south_waziristan_without_a_telling_name_is_reported_unmapped(tmp_path):
    path = gtd_file(tmp_path, {"provstate": "Khyber Pakhtunkhwa", "city": "Fixture hamlet",
                               "latitude": "32.63", "longitude": "69.85"})
    result = load_file(path, fmt="gtd")
    placeholder = "Unknown district (Khyber Pakhtunkhwa)"
    assert by_id(result)["GTD-FIXTURE-D001"]["district"] == placeholder
    assert section(result.reports[0].lines(), "district") == [
        f"    'Fixture hamlet' -> {placeholder} (1 row): unmapped"]
    assert (f"{path}: note: district 'Fixture hamlet': unmapped: set to '{placeholder}' (1 row); "
            "add it to data/mappings/places.csv") in [str(p) for p in result.problems]


def test_export_without_a_column_of_two_spellings_names_both(tmp_path):
    base = {k: v for k, v in ACLED_BASE.items() if k != "assoc_actor_1"}
    path = export(tmp_path / "acled.csv", base, "event_id_cnty", "PAK-FIXTURE", [{}])
    result = load_file(path, fmt="acled")
    assert [(p.line, p.field, p.value, p.reason) for p in rejecting(result)] == [
        (1, "assoc_actor_1 or ally_actor_1", "",
         "required column missing from the header: not a complete ACLED export; every row "
         "is rejected")]


# --------------------------------------------------------------------------- ACLED
def test_acled_actor_types_written_as_decimals(tmp_path):
    """inter1 '2.0' (a spreadsheet's number) is a rebel group: the row is an attack."""
    result = load_file(acled_file(tmp_path, {"inter1": "2.0", "inter2": "7.0"}), fmt="acled")
    assert result.accepted == 1 and not result.left_out
    assert by_id(result)["ACLED-PAK-FIXTURE-D001"]["group"] == "BLA"


def test_acled_unknown_event_type_is_rejected_naming_the_column(tmp_path):
    result = load_file(acled_file(tmp_path, {"event_type": "Fixture event"}), fmt="acled")
    [problem] = rejecting(result)
    assert (problem.line, problem.field, problem.value, problem.reason) == (
        2, "event_type", "Fixture event",
        "not an ACLED event type (see data/mappings/acled_event_types.csv)")
    assert str(problem).endswith(":2: event_type 'Fixture event': not an ACLED event type "
                                 "(see data/mappings/acled_event_types.csv)")


def test_acled_bad_precision_code_rejects_the_row(tmp_path):
    """A geo_precision (or time_precision) that is not one of ACLED's codes: the row is
    rejected even when the other code is good."""
    path = acled_file(tmp_path, {"geo_precision": "7"}, {"time_precision": "9"})
    result = load_file(path, fmt="acled")
    assert result.accepted == 0 and result.incidents.empty
    assert [(p.line, p.field, p.value) for p in rejecting(result)] == [
        (2, "geo_precision", "7"), (3, "time_precision", "9")]
    assert result.reports[0].lines()[1] == "  2 rows read: 0 converted, 0 left out, 2 rejected"


def test_acled_all_events_note_names_the_option(tmp_path):
    path = acled_file(tmp_path, {"event_type": "Protests", "sub_event_type": "Peaceful protest",
                                 "actor1": "Protesters (Pakistan)", "inter1": "6",
                                 "actor2": "", "inter2": ""})
    result = load_file(path, fmt="acled", options={"acled_events": "all"})
    row = by_id(result)["ACLED-PAK-FIXTURE-D001"]
    assert row["group"] == "Not a militant attack: Protests"
    assert ("ACLED Protests: not an attack by a non-state armed group; kept by the option "
            "acled_events=all." in import_notes(row))


def test_acled_attack_without_a_named_actor_is_unknown(tmp_path):
    result = load_file(acled_file(tmp_path, {"actor1": ""}), fmt="acled")
    row = by_id(result)["ACLED-PAK-FIXTURE-D001"]
    assert row["group"] == "Unknown"
    assert section(result.reports[0].lines(), "group") == [
        "    (blank) -> Unknown (1 row): blank in the export"]


def test_acled_unmapped_attack_type_becomes_other(tmp_path):
    result = load_file(acled_file(tmp_path, {"sub_event_type": "Fixture sub-event"}),
                       fmt="acled")
    row = by_id(result)["ACLED-PAK-FIXTURE-D001"]
    assert row["attack_type"] == "Other"
    raw = "Fixture sub-event; Explosions/Remote violence"
    assert (f"attack_type {raw!r} not in data/mappings/attack_types.csv: set to Other"
            in import_notes(row))
    assert section(result.reports[0].lines(), "attack_type") == [
        f"    {raw!r} -> Other (1 row): unmapped"]


# --------------------------------------------------------------------------- files written
def test_row_report_of_an_export_with_nothing_converted_has_every_column(tmp_path, capsys):
    path = gtd_file(tmp_path, {"country_txt": "Fixtureland", "provstate": "Fixture State"})
    report = tmp_path / "rows.csv"
    assert cli_main(["import", str(path), "--out", str(tmp_path / "out.csv"),
                     "--report", str(report)]) == 2
    assert "no row could be converted" in capsys.readouterr().err
    with report.open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [
            ["line", "outcome", "incident_id", "group", "district", "field", "value", "reason"],
            ["2", "left out", "", "", "", "", "Fixtureland", "outside the covered provinces"]]


def test_row_report_lists_a_rejection_before_the_rows_note(tmp_path):
    """An ACLED row placed by its names (geo_precision 3) with Peshawar's point, in
    Balochistan, and no source: rejected, and noted for the point outside the box."""
    path = acled_file(tmp_path, {"source": "", "geo_precision": "3", "latitude": "34.008",
                                 "longitude": "71.5785"})
    result = load_file(path, fmt="acled")
    table = pd.read_csv(write_row_report(result, tmp_path / "rows.csv"), dtype=str,
                        keep_default_na=False)
    assert table[["line", "outcome", "field"]].values.tolist() == [
        ["2", "rejected", "source_urls"], ["2", "note", "latitude"]]


def test_parquet_holds_the_canonical_columns_only(tmp_path):
    """A table of some of the rows (its index no longer 0, 1, 2, ...): the Parquet file still
    has the canonical columns and no index column, as other tools read it."""
    path = gtd_file(tmp_path, {"city": "Kech"}, {"city": "Gwadar"}, {"city": "Hub"},
                    {"city": "Kalat"})
    incidents = load_file(path, fmt="gtd").incidents
    some = incidents[incidents["district"] != "Hub"]
    assert list(some.index) == [0, 1, 3]
    out = write_table(some, tmp_path / "some.parquet")
    assert pq.read_schema(out).names == list(COLUMNS)
    assert pq.read_table(out).column("incident_id").to_pylist() == [
        "GTD-FIXTURE-D001", "GTD-FIXTURE-D002", "GTD-FIXTURE-D004"]


def test_a_row_out_of_scope_is_left_out_only_even_with_a_bad_code(tmp_path):
    # another country, and a geo_precision (ACLED) or specificity (GTD) code no export defines
    for path, fmt in ((acled_file(tmp_path, {"country": "Fixtureland", "geo_precision": "7"},
                                  {}), "acled"),
                      (gtd_file(tmp_path, {"country_txt": "Fixtureland", "specificity": "9"},
                                {}), "gtd")):
        result = load_file(path, fmt=fmt)
        assert (result.rows_in, result.accepted, len(result.left_out), result.rejected) == (
            2, 1, 1, 0), fmt
        assert [p for p in result.problems if p.line == 2] == [], fmt
        lines = result.reports[0].lines()
        assert lines[1] == "  2 rows read: 1 converted, 1 left out, 0 rejected", fmt
        assert not any(line.startswith("  rejected") for line in lines), fmt
