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


@pytest.mark.parametrize("query, fragment", [
    ("?flag_pct=0", "not a whole number from 1 to 1000"),
    ("?flag_min=20000", "not a whole number from 1 to 10000"),
    ("?precise=yes", "use on or off"),
])
def test_a_bad_count_or_switch_names_what_it_takes(ds, query, fragment):
    """The README's bounds of the What-changed thresholds, and the precise switch's words."""
    _, notices = parse_state(ds, query)
    assert len(notices) == 1 and fragment in notices[0], notices


@pytest.mark.parametrize("query, precise", [("?precise=on", True), ("?precise=off", False)])
def test_the_precise_switch_takes_on_and_off_without_a_notice(ds, query, precise):
    f, notices = parse(ds, query)
    assert notices == [] and f.precise is precise


def test_a_baseline_of_one_day_is_kept(ds):
    state, notices = parse_state(ds, "?view=change&base_from=2020-03-05&base_to=2020-03-05")
    assert notices == []
    assert state.display.baseline() == (date(2020, 3, 5), date(2020, 3, 5))
    assert state.sanitised(ds.reference, {}) == state


def _stored(filters=None, display=None) -> ViewState:
    """A view as the browser's store might hold it after tampering: from_dict, no checks."""
    d = ViewState().as_dict()
    d["filters"].update(filters or {})
    d["display"].update(display or {})
    return ViewState.from_dict(d)


def test_sanitised_keeps_what_a_url_can_carry_and_drops_the_rest(ds):
    """Known values (and values only the loaded data has) stay; a value with a comma or one
    nobody knows goes; dates at the ends of the accepted range stay; a reversed range goes;
    a junk minimum becomes none; `precise` is kept only when it is True."""
    s = _stored({"district": ["Quetta", "Quetta, Mastung", "Atlantis"],
                 "group": ["IS-K", "New Front"], "date_from": "1900-01-01",
                 "date_to": "2200-12-31", "min_killed": "lots", "precise": True})
    f = s.sanitised(ds.reference, {"group": ["New Front"]}).filters
    assert f.district == ("Quetta",) and f.group == ("IS-K", "New Front")
    assert (f.date_from, f.date_to) == (date(1900, 1, 1), date(2200, 12, 31))
    assert f.min_killed is None and f.precise is True
    f = s.sanitised(ds.reference, {}).filters
    assert f.group == ("IS-K",)
    f = _stored({"date_from": "1899-12-31", "date_to": "2201-01-01", "min_killed": 5,
                 "precise": "yes"}).sanitised(ds.reference, {}).filters
    assert (f.date_from, f.date_to, f.min_killed, f.precise) == (None, None, 5, False)
    f = _stored({"date_from": "2024-02-01", "date_to": "2024-01-31"}).sanitised(
        ds.reference, {}).filters
    assert (f.date_from, f.date_to) == (None, None)
    f = _stored({"date_from": "2024-01-31", "date_to": "2024-01-31"}).sanitised(
        ds.reference, {}).filters
    assert (f.date_from, f.date_to) == (date(2024, 1, 31), date(2024, 1, 31))


@pytest.mark.parametrize("base, kept", [
    (("1900-01-01", "2200-12-31"), (date(1900, 1, 1), date(2200, 12, 31))),
    (("2020-01-01", "2020-01-01"), (date(2020, 1, 1), date(2020, 1, 1))),
    (("1899-12-31", "2020-01-01"), (None, None)), (("2020-01-01", "2201-01-01"), (None, None)),
    ((None, "2020-01-01"), (None, None)), (("2020-01-01", None), (None, None)),
    (("2020-01-02", "2020-01-01"), (None, None)),
])
def test_sanitised_keeps_a_baseline_only_whole_and_in_order(ds, base, kept):
    d = _stored(display={"base_from": base[0], "base_to": base[1], "tab": "change",
                         "period": "month", "flag_pct": 40, "flag_min": 1,
                         "common_rule": False, "events": False}).sanitised(
        ds.reference, {}).display
    assert (d.base_from, d.base_to) == kept
    assert (d.tab, d.period, d.flag_pct, d.flag_min) == ("change", "month", 40, 1)
    assert (d.common_rule, d.events) == (False, False)


def test_sanitised_display_falls_back_to_the_defaults(ds):
    """The README's defaults: the overview, by year, the rule and events on, 25% and 3."""
    d = _stored(display={"tab": "nope", "period": "decade", "flag_pct": True,
                         "flag_min": 2.5}).sanitised(ds.reference, {}).display
    assert (d.tab, d.period, d.common_rule, d.events, d.flag_pct, d.flag_min) == (
        "overview", "year", True, True, 25, 3)


@pytest.mark.parametrize("raw, value", [
    (1000, 1000), ("1000", 1000), (1, 1), (40.0, 40), (" 7 ", 7), (1001, None), (0, None),
    (2.5, None), (True, None), (False, None), (None, None), ("", None), ("1e3", None),
    ("-5", None), ("12345678", None),
])
def test_a_stored_flag_percentage_is_a_whole_number_from_1_to_1000(ds, raw, value):
    d = _stored(display={"flag_pct": raw}).sanitised(ds.reference, {}).display
    assert d.flag_pct == (25 if value is None else value)


@pytest.mark.parametrize("raw, day", [
    ("1900-01-01", date(1900, 1, 1)), ("2200-12-31", date(2200, 12, 31)),
    ("1899-12-31", None), ("2201-01-01", None),  # outside the range a URL may carry
    ("2024-02-30", None), ("2024-2-3", None), (None, None),
])
def test_parse_date_keeps_days_from_1900_to_2200(raw, day):
    from dashboard.filters import parse_date
    assert parse_date(raw) == day


@pytest.mark.parametrize("raw, killed", [
    (5.0, 5), (12, 12), ("7", 7), (0, None), (2.5, None), (-3, None), ("", None),
])
def test_parse_min_killed_takes_whole_numbers_as_a_number_input_sends_them(raw, killed):
    from dashboard.filters import parse_min_killed
    assert parse_min_killed(raw) == killed


def test_a_blank_item_in_a_list_skips_to_the_next(ds):
    state, notices = ViewState.from_query("district=,Quetta,,Mastung", ds.reference, {})
    assert state.filters.district == ("Quetta", "Mastung") and notices == []


def test_a_long_unknown_value_is_named_clipped_to_40_characters(ds):
    value = "Nowhere" * 8  # 56 characters
    _, notices = ViewState.from_query(f"district={value}", ds.reference, {})
    shown = value[:39] + "\u2026"
    assert notices == [f"Ignored unknown district value(s): {shown}."]


@pytest.mark.parametrize("query", ["view=change&base_from=2024-01-01",
                                   "view=change&base_from=2024-03-01&base_to=2024-02-01"])
def test_a_half_or_reversed_baseline_is_ignored_saying_how_to_give_it(ds, query):
    state, notices = ViewState.from_query(query, ds.reference, {})
    assert notices == ["Ignored the baseline: give base_from and base_to, 'from' not after "
                       "'to'."]
    assert state.display.base_from is None and state.display.base_to is None


@pytest.mark.parametrize("filters, name", [
    (Filters(district=("Mastung",), date_from=date(2024, 1, 1), date_to=date(2024, 6, 30)),
     "district-Mastung_2024-01-01to2024-06-30_2026-12-02"),
    (Filters(date_from=date(2024, 1, 1)), "2024-01-01to_2026-12-02"),
    (Filters(), "all_2026-12-02"),
])
def test_an_export_file_name_says_the_filters_and_the_dates_once(filters, name):
    from dashboard.export import slug
    assert slug(ViewState(filters), today=date(2026, 12, 2)) == name
