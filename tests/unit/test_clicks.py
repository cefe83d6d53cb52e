"""What a click, a selection or a chip's close button does to the view state, event by event,
against expectations written out by hand (Plotly's event shapes: `points` for a click,
`range` for a box selection)."""
from datetime import date

import pytest

from dashboard import clicks
from dashboard.filters import Filters, ViewState

pytestmark = pytest.mark.unit

QUETTA = ViewState(Filters(district=("Quetta",)))


def click(**point):
    return {"points": [point]}


@pytest.mark.parametrize("event, value", [
    (None, None),
    ({}, None),
    ({"points": []}, None),
    (click(y="Mastung"), "Mastung"),
    (click(y="Mastung", customdata="Kalat"), "Kalat"),
    (click(customdata=["Kalat", "extra"]), "Kalat"),
    (click(customdata=["Kalat"]), "Kalat"),
    (click(customdata=[]), None),
    (click(x=3), None),
    (click(y=2019), "2019"),
])
def test_clicked_value(event, value):
    assert clicks.clicked_value(event) == value


def test_bar_click_selects_then_clears():
    toggle = clicks.Toggle("district")
    once, _ = toggle(ViewState(), click(y="Kalat"), None)
    assert once.filters.district == ("Kalat",)
    twice, _ = toggle(once, click(y="Kalat"), None)
    assert twice.filters.district == ()
    assert toggle(QUETTA, None, None) == (QUETTA, [])


@pytest.mark.parametrize("event", [None, {}, {"points": []}, click(customdata=[]),
                                   click(customdata=None), click(customdata=7)])
def test_polygon_without_districts_changes_nothing(event):
    assert clicks.polygon(QUETTA, event, None) == (QUETTA, [])


def test_polygon_selects_its_districts_then_clears():
    both = click(customdata=["Quetta", "Mastung"])
    once, _ = clicks.polygon(ViewState(), both, None)
    assert once.filters.district == ("Quetta", "Mastung")
    twice, _ = clicks.polygon(once, both, None)
    assert twice.filters.district == ()
    one, _ = clicks.polygon(ViewState(), click(customdata="Kalat"), None)
    assert one.filters.district == ("Kalat",)


def test_year_bar_sets_the_year_then_clears_both_bounds():
    once, _ = clicks.year(QUETTA, click(y="2019"), None)
    assert (once.filters.date_from, once.filters.date_to) == (date(2019, 1, 1),
                                                              date(2019, 12, 31))
    assert once.filters.district == ("Quetta",)
    twice, _ = clicks.year(once, click(y="2019"), None)
    assert (twice.filters.date_from, twice.filters.date_to) == (None, None)


@pytest.mark.parametrize("label, accepted", [
    ("1900", False), ("1901", True), ("2199", True), ("2200", False), ("20x9", False),
    ("", False), ("-2019", False)])
def test_year_bar_takes_years_1901_to_2199_only(label, accepted):
    new, _ = clicks.year(ViewState(), click(y=label), None)
    assert (new.filters.date_from is not None) == accepted
    assert clicks.year(QUETTA, None, None) == (QUETTA, [])


@pytest.mark.parametrize("selected", [
    None, {}, {"points": []}, {"range": {}}, {"range": {"y": [1, 2]}},
    {"range": {"x": ["2019-01-01", "nonsense"]}}, {"range": {"x": [None, "2019-01-01"]}},
    {"range": {"x": ["", ""]}}, {"range": {"x": ["2019-01-01"]}}])
def test_box_selection_without_two_dates_changes_nothing(selected):
    assert clicks.date_range(QUETTA, selected, None) == (QUETTA, [])


def test_box_selection_sets_its_dates_in_order():
    selected = {"range": {"x": ["2021-03-04 12:00", "2019-05-06"]}}
    new, notices = clicks.date_range(QUETTA, selected, None)
    assert (new.filters.date_from, new.filters.date_to) == (date(2019, 5, 6), date(2021, 3, 4))
    assert new.filters.district == ("Quetta",) and notices == []


def test_chip_close_removes_one_value_or_the_whole_dimension():
    f = Filters(date_from=date(2019, 1, 1), date_to=date(2020, 1, 1),
                district=("Quetta", "Mastung"), min_killed=5)
    assert f.without("district", "Quetta").district == ("Mastung",)
    assert f.without("district").district == ()
    assert f.without("min_killed").min_killed is None
    no_dates = f.without("date")
    assert (no_dates.date_from, no_dates.date_to) == (None, None)
    assert no_dates.district == ("Quetta", "Mastung")
