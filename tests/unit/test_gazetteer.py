"""Tests for the reference tables in data/: districts, provinces, vocabularies, figures."""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.data.loading import load_files  # noqa: E402
from dashboard.reference import (  # noqa: E402
    PAKISTAN_BOUNDS, PRECISION_FIELDS, VOCAB_FIELDS, load_reference, split_list,
)
from tests.scopes import per_module  # noqa: E402

DATA = ROOT / "data"
PAKISTAN = (23.5, 37.2, 60.8, 77.9)  # min_lat, max_lat, min_lon, max_lon


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope=per_module)
def districts() -> pd.DataFrame:
    return read("districts.csv")


@pytest.fixture(scope=per_module)
def provinces() -> pd.DataFrame:
    return read("provinces.csv")


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def boxes(provinces_df: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    return {r["province"]: tuple(float(r[c]) for c in ("min_lat", "max_lat", "min_lon", "max_lon"))
            for _, r in provinces_df.iterrows()}


def incident_file(tmp_path: Path, coordinates: list[tuple[str, str, str, str]]) -> Path:
    """An incidents file of valid rows (the first shipped row), one per (province, district,
    latitude, longitude): the loader checks each coordinate as the app does."""
    with open(DATA / "incidents.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, template = reader.fieldnames, next(reader)
    path = tmp_path / "coords.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i, (province, district, lat, lon) in enumerate(coordinates):
            writer.writerow({**template, "incident_id": f"COORD-{i}", "province": province,
                             "district": district, "latitude": lat, "longitude": lon})
    return path


def coordinate_problems(result) -> list[str]:
    return [f"{p.line}: {'' if p.rejects_row else 'note: '}{p.reason}" for p in result.problems
            if p.field in ("latitude", "longitude")]


# --------------------------------------------------------------------------- coordinates
# The loader's coordinate checks (dashboard/data.py, the app's real code path) on the
# gazetteer's own coordinates, given as incidents' coordinates.
def test_every_gazetteer_coordinate_passes_the_loaders_checks(districts, tmp_path):
    located = districts[districts["latitude"] != ""]
    rows = [(r["province"], r["district"], r["latitude"], r["longitude"])
            for _, r in located.iterrows()]
    result = load_files([incident_file(tmp_path, rows)])
    assert result.accepted == len(rows) == 90
    assert coordinate_problems(result) == []


def test_loader_rejects_a_point_outside_pakistan(districts, tmp_path):
    result = load_files([incident_file(tmp_path, [("Balochistan", "Quetta", "38.5", "67.0")])])
    assert result.rejected == 1 and coordinate_problems(result) == ["2: outside Pakistan"]


def test_loader_notes_a_gazetteer_point_outside_the_province_box(districts, tmp_path):
    peshawar = districts.set_index("district").loc["Peshawar"]
    result = load_files([incident_file(tmp_path, [
        ("Balochistan", "Quetta", peshawar["latitude"], peshawar["longitude"])])])
    assert result.accepted == 1
    (note,) = coordinate_problems(result)
    assert note.startswith("2: note: outside the box of Balochistan")


def test_loader_rejects_half_a_coordinate(districts, tmp_path):
    quetta = districts.set_index("district").loc["Quetta"]
    result = load_files([incident_file(tmp_path, [
        ("Balochistan", "Quetta", quetta["latitude"], "")])])
    assert result.rejected == 1
    assert coordinate_problems(result) == ["2: give both latitude and longitude, or neither"]


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
    """The data file itself: every coordinate inside Pakistan and its province's box."""
    with_coords = districts[districts["latitude"] != ""]
    assert len(with_coords) == 90
    lat = with_coords["latitude"].astype(float)
    lon = with_coords["longitude"].astype(float)
    assert lat.between(23.5, 37.2).all() and lon.between(60.8, 77.9).all()
    box = boxes(provinces)
    outside = [r["district"] for _, r in with_coords.iterrows()
               if not (box[r["province"]][0] <= float(r["latitude"]) <= box[r["province"]][1]
                       and box[r["province"]][2] <= float(r["longitude"])
                       <= box[r["province"]][3])]
    assert outside == []


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
    assert set(vocab["field"]) == set(VOCAB_FIELDS) | set(PRECISION_FIELDS)
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
    with open(DATA / "added_incidents.csv", newline="", encoding="utf-8") as f:
        added = {r["incident_id"] for r in csv.DictReader(f)}  # claimants in their own rows
    with open(DATA / "audit.csv", newline="", encoding="utf-8") as f:
        audited = {r["incident_id"] for r in csv.DictReader(f)
                   if r["field"] == "claimant_reported"}
    assert claim["incident_id"].is_unique and set(claim["incident_id"]) == set(rows) - added
    for _, c in claim.iterrows():
        if c["incident_id"] not in audited:
            assert rows[c["incident_id"]]["claimant_reported"] == c["claimant_reported"]
