"""GTD and ACLED rows written by the test (synthetic, not real events): victims only, blank
range bounds, date and place precision, and a province-level point that does not place a row."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.loading import load_file

GTD_COLUMNS = ("eventid", "iyear", "imonth", "iday", "approxdate", "country_txt", "provstate",
               "city", "latitude", "longitude", "specificity", "attacktype1_txt",
               "targtype1_txt", "gname", "nkill", "nkillter", "nwound", "nwoundte", "summary",
               "scite1", "scite2", "scite3", "claimed")
GTD_BASE = dict(eventid="T1", iyear="2017", imonth="2", iday="16", approxdate="",
                country_txt="Pakistan", provstate="Balochistan", city="Quetta",
                latitude="30.1841", longitude="67.0014", specificity="1",
                attacktype1_txt="Bombing/Explosion", targtype1_txt="Police",
                gname="Khorasan Chapter of the Islamic State", nkill="10", nkillter="1",
                nwound="20", nwoundte="0", summary="Synthetic test row, not a real event.",
                scite1="https://example.org/synthetic/1", scite2="", scite3="", claimed="1")
ACLED_COLUMNS = ("event_id_cnty", "event_date", "time_precision", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "country", "admin1", "admin2", "location",
                 "latitude", "longitude", "geo_precision", "source", "notes", "fatalities")
ACLED_BASE = dict(event_id_cnty="PAK-T1", event_date="2024-03-02", time_precision="1",
                  event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                  actor1="Islamic State (Pakistan)", assoc_actor_1="", inter1="2",
                  actor2="Civilians (Pakistan)", assoc_actor_2="", inter2="7",
                  country="Pakistan", admin1="Balochistan", admin2="Mastung",
                  location="Mastung", latitude="29.7997", longitude="66.8455",
                  geo_precision="1", source="Synthetic Daily",
                  notes="Synthetic test row, not a real event.", fatalities="6")
RANGES = ("killed_low", "killed_high", "injured_low", "injured_high")


def _export(tmp_path: Path, name: str, columns, base: dict, rows: list[dict], fmt: str):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows([dict(base, **{k: str(v) for k, v in r.items()}) for r in rows])
    result = load_file(path, fmt=fmt)
    return result, result.incidents.set_index("incident_id")


def _gtd(tmp_path, *rows):
    return _export(tmp_path, "gtd.csv", GTD_COLUMNS, GTD_BASE,
                   [dict(eventid=f"T{i}", **r) for i, r in enumerate(rows, 1)], "gtd")


def _acled(tmp_path, *rows):
    return _export(tmp_path, "acled.csv", ACLED_COLUMNS, ACLED_BASE,
                   [dict(event_id_cnty=f"PAK-T{i}", **r) for i, r in enumerate(rows, 1)],
                   "acled")


def _rejected(result):
    return [(p.line, p.field, p.value) for p in result.problems if p.rejects_row]


def test_gtd_counts_victims_only_and_leaves_ranges_blank(tmp_path):
    result, rows = _gtd(tmp_path, {}, dict(nkillter="-99", nwoundte=""), dict(nkill="-99"))
    assert _rejected(result) == []
    one, two, three = rows.loc["GTD-T1"], rows.loc["GTD-T2"], rows.loc["GTD-T3"]
    assert (one["killed"], one["injured"]) == (9, 20)
    assert "[import] killed 9: GTD nkill 10 less nkillter 1 (attackers)." in one["notes"]
    assert "[import] injured 20: GTD nwound 20 less nwoundte 0 (attackers)." in one["notes"]
    assert (two["killed"], two["injured"]) == (10, 20)  # attackers unknown: the total, noted
    assert "GTD nkill 10 may include attackers (nkillter unknown): killed is 10." in two["notes"]
    assert "nwoundte not given" in two["notes"]
    assert pd.isna(three["killed"])  # -99 is unknown, never zero
    assert rows[list(RANGES)].isna().all().all()


def test_gtd_attackers_above_the_total_rejected(tmp_path):
    result, _ = _gtd(tmp_path, dict(nkill="2", nkillter="3"))
    assert _rejected(result) == [(2, "nkillter", "3")]
    assert "attackers above nkill 2" in next(p.reason for p in result.problems if p.rejects_row)


@pytest.mark.parametrize("fields, date_p, place_p", [
    ({}, "day", "town"),
    (dict(approxdate="February 15-16, 2017"), "approximate", "town"),
    (dict(iday="0"), "month", "town"),
    (dict(imonth="0", iday="0"), "", "town"),  # only the year: no value says so, left blank
    (dict(specificity="2"), "day", "district"),
    (dict(specificity="3"), "day", "district"),
    (dict(specificity="4"), "day", "province"),
    (dict(specificity=""), "day", ""),  # blank: unknown, never guessed
])
def test_gtd_precision(tmp_path, fields, date_p, place_p):
    result, rows = _gtd(tmp_path, fields)
    assert _rejected(result) == []
    row = rows.loc["GTD-T1"]
    assert (row["date_precision"], row["place_precision"]) == (date_p, place_p)


def test_gtd_province_level_point_does_not_place_the_row(tmp_path):
    """Specificity 4: the point is the province's centre, so the names decide (Quetta's
    coordinates but city Unknown: the province's placeholder, not Quetta)."""
    _, rows = _gtd(tmp_path, dict(specificity="4", city="Unknown"), dict(city="Unknown"))
    assert rows.loc["GTD-T1", "district"] == "Unknown district (Balochistan)"
    assert "GTD specificity 4 (province or country centre): placed by its names" in \
        rows.loc["GTD-T1", "notes"]
    assert rows.loc["GTD-T2", "district"] == "Quetta"  # specificity 1: the point places it


def test_gtd_unknown_specificity_rejected(tmp_path):
    result, rows = _gtd(tmp_path, dict(specificity="7"), {})
    assert _rejected(result) == [(2, "specificity", "7")]
    assert "expected 1 (town), 2 (district), 3 (district), 4 (province), 5 (province)" in \
        next(p.reason for p in result.problems if p.rejects_row)
    assert list(rows.index) == ["GTD-T2"]


def test_acled_fatalities_best_figure_ranges_blank(tmp_path):
    result, rows = _acled(tmp_path, {})
    row = rows.loc["ACLED-PAK-T1"]
    assert row["killed"] == 6 and pd.isna(row["injured"])
    assert "ACLED fatalities are not split by side and may include attackers." in row["notes"]
    assert rows[list(RANGES)].isna().all().all()


@pytest.mark.parametrize("fields, date_p, place_p", [
    ({}, "day", "town"),
    (dict(time_precision="2", geo_precision="2"), "approximate", "district"),
    (dict(time_precision="3", geo_precision="3"), "month", "province"),
    (dict(time_precision="", geo_precision=""), "", ""),
])
def test_acled_precision(tmp_path, fields, date_p, place_p):
    result, rows = _acled(tmp_path, fields)
    assert _rejected(result) == []
    row = rows.loc["ACLED-PAK-T1"]
    assert (row["date_precision"], row["place_precision"]) == (date_p, place_p)


def test_acled_province_level_point_placed_by_names(tmp_path):
    """geo_precision 3 at Quetta's point (the provincial capital), admin2 Mastung: Mastung."""
    _, rows = _acled(tmp_path, dict(geo_precision="3", latitude="30.1841",
                                    longitude="67.0014"))
    assert rows.loc["ACLED-PAK-T1", "district"] == "Mastung"
    assert "ACLED geo_precision 3 (a larger region): placed by its names" in \
        rows.loc["ACLED-PAK-T1", "notes"]


@pytest.mark.parametrize("column", ["time_precision", "geo_precision"])
def test_acled_unknown_precision_code_rejected(tmp_path, column):
    result, _ = _acled(tmp_path, {column: "4"})
    assert _rejected(result) == [(2, column, "4")]
