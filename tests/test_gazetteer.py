"""Tests for the reference tables in data/: districts, provinces, vocabularies, figures."""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.reference import (  # noqa: E402
    PAKISTAN_BOUNDS, VOCAB_FIELDS, load_reference, split_list,
)

DATA = ROOT / "data"
PAKISTAN = (23.5, 37.2, 60.8, 77.9)  # min_lat, max_lat, min_lon, max_lon


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def districts() -> pd.DataFrame:
    return read("districts.csv")


@pytest.fixture(scope="module")
def provinces() -> pd.DataFrame:
    return read("provinces.csv")


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def check_coordinates(districts_df: pd.DataFrame, provinces_df: pd.DataFrame) -> list[str]:
    """One message per district whose coordinate is outside Pakistan or its province's box.

    Districts without coordinates are skipped; half a coordinate is a problem.
    """
    min_lat, max_lat, min_lon, max_lon = PAKISTAN
    boxes = {r["province"]: tuple(float(r[c]) for c in ("min_lat", "max_lat", "min_lon", "max_lon"))
             for _, r in provinces_df.iterrows()}
    problems = []
    for _, row in districts_df.iterrows():
        lat_text, lon_text = str(row["latitude"]).strip(), str(row["longitude"]).strip()
        name = row["district"]
        if lat_text in ("", "nan") and lon_text in ("", "nan"):
            continue
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            problems.append(f"{name}: coordinate {lat_text!r}, {lon_text!r} is not a number")
            continue
        if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
            problems.append(f"{name}: {lat}, {lon} is outside Pakistan")
            continue
        box = boxes.get(row["province"])
        if box is None:
            problems.append(f"{name}: province {row['province']!r} has no box")
        elif not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
            problems.append(f"{name}: {lat}, {lon} is outside the box of {row['province']}")
    return problems


# --------------------------------------------------------------------------- check_coordinates
def test_check_coordinates_passes_shipped_gazetteer(districts, provinces):
    assert check_coordinates(districts, provinces) == []


def test_check_coordinates_catches_point_outside_pakistan(districts, provinces):
    bad = districts.copy()
    i = bad.index[bad["district"] == "Quetta"][0]
    bad.loc[i, ["latitude", "longitude"]] = ["38.5", "67.0"]  # north of Pakistan
    problems = check_coordinates(bad, provinces)
    assert problems == ["Quetta: 38.5, 67.0 is outside Pakistan"]


def test_check_coordinates_catches_point_outside_province_box(districts, provinces):
    bad = districts.copy()
    i = bad.index[bad["district"] == "Quetta"][0]
    bad.loc[i, ["latitude", "longitude"]] = ["34.008", "71.5785"]  # Peshawar's coordinate
    problems = check_coordinates(bad, provinces)
    assert problems == ["Quetta: 34.008, 71.5785 is outside the box of Balochistan"]


def test_check_coordinates_catches_half_coordinate(districts, provinces):
    bad = districts.copy()
    i = bad.index[bad["district"] == "Quetta"][0]
    bad.loc[i, "longitude"] = ""
    assert len(check_coordinates(bad, provinces)) == 1


def test_pakistan_bounds_agree_with_loader():
    assert PAKISTAN_BOUNDS == PAKISTAN


# --------------------------------------------------------------------------- districts.csv
def test_columns(districts):
    assert list(districts.columns) == ["district", "province", "aliases", "hq_town", "latitude",
                                       "longitude", "geonames_id", "coord_source", "list_source",
                                       "notes"]


def test_district_names_unique(districts):
    names = districts["district"].map(_key)
    assert names.is_unique, districts.loc[names.duplicated(keep=False), "district"].tolist()
    assert (districts["district"].str.strip() == districts["district"]).all()
    assert (districts["district"] != "").all()


def test_no_alias_clashes_with_another_row(districts):
    owner: dict[str, str] = {}
    clashes = []
    for _, row in districts.iterrows():
        for spelling in {_key(s) for s in [row["district"], *split_list(row["aliases"])]}:
            if spelling in owner and owner[spelling] != row["district"]:
                clashes.append(f"{spelling!r}: {owner[spelling]} and {row['district']}")
            owner.setdefault(spelling, row["district"])
    assert clashes == []


def test_every_district_province_is_known(districts, provinces):
    assert set(districts["province"]) <= set(provinces["province"])


@pytest.mark.parametrize("province, count", [
    ("Balochistan", 36), ("Khyber Pakhtunkhwa", 38), ("Sindh", 31), ("Islamabad", 1),
])
def test_district_count_per_province(districts, province, count):
    assert int((districts["province"] == province).sum()) == count


def test_karachi_not_stated_row(districts):
    row = districts[districts["district"] == "Karachi (district not stated)"]
    assert len(row) == 1 and row["province"].iloc[0] == "Sindh"
    assert "Karachi" in split_list(row["aliases"].iloc[0])
    karachi_districts = {"Karachi Central", "Karachi East", "Karachi South", "Karachi West",
                         "Korangi", "Malir", "Keamari"}
    assert karachi_districts <= set(districts["district"])


def test_coordinates_inside_pakistan_and_province(districts, provinces):
    with_coords = districts[districts["latitude"] != ""]
    assert len(with_coords) == 90
    lat = with_coords["latitude"].astype(float)
    lon = with_coords["longitude"].astype(float)
    assert lat.between(23.5, 37.2).all() and lon.between(60.8, 77.9).all()
    assert check_coordinates(with_coords, provinces) == []


def test_coordinates_given_in_pairs(districts):
    assert ((districts["latitude"] == "") == (districts["longitude"] == "")).all()


def test_sixteen_districts_without_coordinates(districts):
    missing = districts[districts["latitude"] == ""]
    assert sorted(missing["district"]) == sorted([
        "Killa Abdullah", "Sherani", "Mohmand", "Orakzai", "Upper South Waziristan", "Torghar",
        "Allai", "Kolai-Palas", "Karachi Central", "Karachi East", "Karachi South",
        "Karachi West", "Korangi", "Malir", "Keamari", "Sujawal",
    ])
    # and each says why in its notes
    assert all(re.search(r"no coordinates", n) for n in missing["notes"])


def test_every_coordinate_has_a_geonames_source(districts):
    with_coords = districts[districts["latitude"] != ""]
    for _, row in with_coords.iterrows():
        assert re.fullmatch(r"\d+", row["geonames_id"]), row["district"]
        assert row["coord_source"] == f"https://www.geonames.org/{row['geonames_id']}", \
            row["district"]
    without = districts[districts["latitude"] == ""]
    assert (without["geonames_id"] == "").all() and (without["coord_source"] == "").all()


def test_every_district_has_a_list_source(districts):
    assert districts["list_source"].str.match(r"^https?://\S+$").all()


def test_geonames_ids_unique(districts):
    ids = districts.loc[districts["geonames_id"] != "", "geonames_id"]
    assert ids.is_unique


def test_every_incident_district_resolves():
    ref = load_reference()
    with open(DATA / "incidents.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for part in split_list(row["district"], ";"):
            canon = ref.district_lookup.resolve(part)
            assert canon is not None, (row["incident_id"], part)
            assert ref.districts.at[canon, "province"] == row["province"], row["incident_id"]


# --------------------------------------------------------------------------- provinces.csv
def test_province_boxes(provinces):
    assert sorted(provinces["province"]) == ["Balochistan", "Islamabad", "Khyber Pakhtunkhwa",
                                             "Sindh"]
    for _, row in provinces.iterrows():
        min_lat, max_lat, min_lon, max_lon = (float(row[c]) for c in
                                              ("min_lat", "max_lat", "min_lon", "max_lon"))
        assert min_lat < max_lat and min_lon < max_lon, row["province"]
        assert 23.5 <= min_lat and max_lat <= 37.2, row["province"]
        assert 60.8 <= min_lon and max_lon <= 77.9, row["province"]
        assert row["bounds_source"], row["province"]


def test_province_aliases_resolve():
    ref = load_reference()
    assert ref.province_lookup.resolve("KPK") == "Khyber Pakhtunkhwa"
    assert ref.province_lookup.resolve("nwfp") == "Khyber Pakhtunkhwa"
    assert ref.province_lookup.resolve("Baluchistan") == "Balochistan"
    assert ref.province_lookup.resolve("Punjab") is None


# --------------------------------------------------------------------------- vocabularies.csv
def test_vocabulary_definitions():
    vocab = read("vocabularies.csv")
    assert list(vocab.columns) == ["field", "value", "aliases", "definition", "family",
                                   "human_target"]
    assert set(vocab["field"]) == set(VOCAB_FIELDS)
    assert not vocab.duplicated(["field", "value"]).any()
    empty = vocab[vocab["definition"].str.strip() == ""]
    assert empty.empty, empty[["field", "value"]].values.tolist()
    assert (vocab["value"].str.strip() != "").all()


def test_vocabulary_aliases_do_not_clash():
    vocab = read("vocabularies.csv")
    for field, part in vocab.groupby("field"):
        owner: dict[str, str] = {}
        for _, row in part.iterrows():
            for spelling in {_key(s) for s in [row["value"], *split_list(row["aliases"])]}:
                assert owner.setdefault(spelling, row["value"]) == row["value"], (field, spelling)


# --------------------------------------------------------------------------- published_figures.csv
def test_published_figures():
    figures = read("published_figures.csv")
    assert len(figures) == 8
    assert figures["figure_id"].is_unique
    assert (figures["citation"].str.strip() != "").all()
    assert figures["citation"].str.contains("Dawn").all()
    assert pd.to_numeric(figures["value"], errors="raise").gt(0).all()


def test_collections_table():
    ref = load_reference()
    assert sorted(ref.collections.index) == ["baloch_major", "isk_balochistan",
                                             "isk_other_provinces"]
    assert (ref.collections["inclusion_rule"].str.strip() != "").all()


def test_claimants_cover_every_incident():
    claim = read("claimants_reported.csv")
    with open(DATA / "incidents.csv", newline="", encoding="utf-8") as f:
        rows = {r["incident_id"]: r for r in csv.DictReader(f)}
    assert claim["incident_id"].is_unique and set(claim["incident_id"]) == set(rows)
    for _, c in claim.iterrows():
        assert rows[c["incident_id"]]["claimant_reported"] == c["claimant_reported"]
