"""Filters: URL round trips, hostile query strings, and the one place filters are applied."""
from datetime import date

import pandas as pd
import pytest

from dashboard.aggregate import mask
from dashboard.filters import Display, Filters, ViewState
from tests import oracle


def parse_state(ds, query):
    return ViewState.from_query(query, ds.reference, {})


def parse(ds, query):
    """The filters a query string gives, and its notices."""
    state, notices = parse_state(ds, query)
    return state.filters, notices


def raw_incidents():
    return pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)


def in_districts(raw, names):
    return raw["district"].map(lambda d: any(p.strip() in names for p in d.split(";")))


def test_issue_example_round_trips(ds):
    query = "?group=IS-K&district=Mastung,Quetta&from=2016-01-01&to=2025-06-01"
    f, notices = parse(ds, query)
    assert notices == []
    assert f.group == ("IS-K",) and f.district == ("Mastung", "Quetta")
    assert (f.date_from, f.date_to) == (date(2016, 1, 1), date(2025, 6, 1))
    again, _ = parse(ds, ViewState(f).to_query())
    assert again == f


def test_every_field_round_trips(ds):
    s = ViewState(Filters(
        date_from=date(2018, 1, 1), date_to=date(2024, 12, 31),
        province=("Balochistan", "Sindh"), district=("Kachhi",), group=("BLA", "BLF"),
        attribution=("claimed",), target_type=("Security forces", "Shia/Hazara"),
        attack_type=("Suicide bombing",), min_killed=5),
        Display(period="month", tab="compare", common_rule=False))
    assert parse_state(ds, s.to_query()) == (s, [])
    assert ViewState.from_dict(s.as_dict()) == s


def test_aliases_resolve_in_urls(ds):
    f, notices = parse(ds, "?group=iskp&district=Bolan&province=KPK,Baluchistan")
    assert notices == []
    assert f.group == ("IS-K",) and f.district == ("Kachhi",)
    assert f.province == ("Khyber Pakhtunkhwa", "Balochistan")


@pytest.mark.parametrize("query, fragment", [
    ("?zzz=1", "unknown parameter 'zzz'"),
    ("?from=2020-13-45", "not a date"),
    ("?to=yesterday", "not a date"),
    ("?group=NOPE", "unknown group value(s): NOPE"),
    ("?district=<script>alert(1)</script>", "unknown district"),
    ("?min_killed=-3", "not a whole number"),
    ("?min_killed=1e9", "not a whole number"),
    ("?period=decade", "use year or month"),
    ("?group=IS-K&group=BLA", "repeated 'group'"),
    ("?from=2024-01-01&to=2020-01-01", "'from' is after 'to'"),
    ("?district=" + "x" * 5000, "longer than"),
])
def test_malformed_parameters_are_ignored_with_a_notice(ds, query, fragment):
    f, notices = parse(ds, query)
    assert any(fragment in n for n in notices), notices
    # what was ignored leaves no trace in the view
    assert f.group in ((), ("IS-K",))
    assert f.date_from is None or f.date_from < date(2024, 1, 1)


def test_mask_matches_pandas_for_issue_example(ds):
    f, _ = parse(ds, "?group=IS-K&district=Mastung,Quetta&from=2016-01-01&to=2025-06-01")
    raw = raw_incidents()
    expected = raw[(raw["group"] == "IS-K") & in_districts(raw, {"Mastung", "Quetta"})
                   & (raw["date"] >= "2016-01-01") & (raw["date"] <= "2025-06-01")]
    got = ds.incidents[mask(ds, f)]
    assert sorted(got["incident_id"]) == sorted(expected["incident_id"])
    assert len(got) > 10


def test_multi_district_incident_matches_each_of_its_districts(ds):
    for district in ("Mastung", "Kharan", "Gwadar"):
        ids = set(ds.incidents[mask(ds, Filters(district=(district,)))]["incident_id"])
        assert "BLA-20260131-1" in ids


def test_min_killed_drops_unknown_tolls(ds):
    keep = mask(ds, Filters(min_killed=5))
    killed = ds.incidents["killed"][keep]
    assert killed.notna().all() and (killed >= 5).all()
    raw = raw_incidents()
    assert keep.sum() == sum(1 for k in raw["killed"] if k and int(k) >= 5)


@pytest.mark.parametrize("query, ignore, oracle_ignore", [
    ("district=Mastung&group=BLA", "district", "district"),
    ("district=Mastung&group=BLA&from=2020-01-01&to=2024-12-31", "date", "date"),
    ("target=Shrine,Political&province=Balochistan", "target_type", "target"),
])
def test_ignore_skips_only_that_dimension(ds, query, ignore, oracle_ignore):
    """Against the independent oracle, not against mask itself."""
    f, _ = parse(ds, query)
    view = oracle.parse(query)
    ids = ds.incidents["incident_id"]
    assert set(ids[mask(ds, f, ignore=(ignore,))]) == \
        set(oracle.select(view, ignore=(oracle_ignore,))["incident_id"])
    assert set(ids[mask(ds, f)]) == oracle.ids(view)
    assert len(oracle.ids(view)) < len(oracle.select(view, ignore=(oracle_ignore,)))


def test_toggle_and_without(ds):
    f = Filters().toggle("district", "Mastung")
    assert f.district == ("Mastung",)
    assert f.toggle("district", "Mastung").district == ()
    assert f.toggle("district", "Quetta").district == ("Quetta",)
    g = Filters(group=("IS-K", "BLA"), date_from=date(2020, 1, 1))
    assert g.without("group", "BLA").group == ("IS-K",)
    assert g.without("date").date_from is None
    assert Filters(min_killed=4).without("min_killed").min_killed is None


def test_describe_names_every_active_filter():
    f = Filters(date_from=date(2016, 1, 1), group=("IS-K",), district=("Mastung",),
                min_killed=5)
    words = [w for _, _, w in f.describe()]
    assert words == ["2016-01-01 to latest", "District: Mastung", "Group: IS-K",
                     "At least 5 killed"]
