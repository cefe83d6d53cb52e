"""The shared aggregation cache: one key per data version and normalised view state (without
the filters an aggregation leaves out); a hit gives what the computation gives; an
unreachable cache is skipped."""
from dataclasses import replace
from datetime import date

import flask
import pytest
from flask_caching import Cache

from dashboard import aggregate, cache
from dashboard.filters import Display, Filters, ViewState


def simple():
    return cache.AggregateCache(Cache(flask.Flask("t"), config=cache.config("", 60)), "v1")


def test_state_key_ignores_value_order_and_tab_but_not_filters():
    a = ViewState(Filters(group=("IS-K", "BLA"), district=("Quetta", "Mastung")))
    b = ViewState(Filters(group=("BLA", "IS-K"), district=("Mastung", "Quetta")),
                  Display(tab="compare"))
    assert cache.state_key(a) == cache.state_key(b)
    for other in (ViewState(Filters(group=("IS-K",))), ViewState(Filters(min_killed=5)),
                  ViewState(display=Display(period="month")),
                  ViewState(display=Display(common_rule=False))):
        assert cache.state_key(other) != cache.state_key(a)


def test_files_version_follows_the_bytes_and_how_they_are_read(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("x\n1\n")
    v = cache.files_version([f], "auto", "keep")
    assert v == cache.files_version([f], "auto", "keep")
    assert v != cache.files_version([f], "auto", "drop-later")
    f.write_text("x\n2\n")
    assert v != cache.files_version([f], "auto", "keep")


def test_cached_aggregations_equal_the_computed_ones(ds):
    shared = simple()
    states = [ViewState(), ViewState(Filters(group=("IS-K",), province=("Balochistan",))),
              ViewState(Filters(min_killed=5), Display(period="month"))]
    names = ("totals", "by_district", "by_target", "over_time", "compare_years",
             "target_shares", "human_targets")
    for state in states:
        for _ in range(2):  # a miss, then a hit
            for name in names:
                got = getattr(aggregate, name)(aggregate.View(ds, state, shared))
                want = getattr(aggregate, name)(aggregate.View(ds, state))
                if hasattr(want, "equals"):
                    assert got.equals(want), name
                else:
                    assert got == want, name
    assert shared.hits >= len(states) * len(names) and shared.misses >= len(names)


SHARED = ("totals", "by_district", "by_target", "over_time", "map_points", "map_polygons",
          "compare_districts", "compare_years", "target_shares", "human_targets")


def same(got, want) -> bool:
    if isinstance(want, tuple) and not hasattr(want, "__dataclass_fields__"):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
    return got.equals(want) if hasattr(want, "equals") else got == want


# one view, and the views one change away from it: a click on a bar of each chart, a
# date range, a province, a minimum killed
BASE = Filters(district=("Quetta",), group=("IS-K",), target_type=("Security forces",))
MOVES = [replace(BASE, district=()), replace(BASE, district=("Mastung",)),
         replace(BASE, group=()), replace(BASE, group=("BLA",)),
         replace(BASE, target_type=()), replace(BASE, target_type=("Politicians",)),
         replace(BASE, date_from=date(2020, 1, 1), date_to=date(2023, 12, 31)),
         replace(BASE, province=("Khyber Pakhtunkhwa",)), replace(BASE, min_killed=3),
         replace(BASE, min_killed=12)]


@pytest.mark.parametrize("moved", MOVES, ids=lambda f: ",".join(d for d, _, _ in f.describe()))
def test_a_view_next_to_a_cached_one_gets_its_own_numbers(ds, moved):
    """Each aggregation, asked for a view one change away from one already cached, equals
    the same aggregation computed without any cache: a view shares an entry only with the
    views it cannot tell apart."""
    for name in SHARED:
        fn = getattr(aggregate, name)
        shared = simple()
        fn(aggregate.View(ds, ViewState(BASE), shared))
        got = fn(aggregate.View(ds, ViewState(moved), shared))
        assert same(got, fn(aggregate.View(ds, ViewState(moved)))), name


def test_a_click_on_a_charts_own_bar_reuses_that_charts_numbers(ds):
    """A chart leaves out its own dimension (to keep the alternatives to click): the view a
    click on one of its bars leads to is served from the cache for it."""
    own = {"by_district": [replace(BASE, district=()), replace(BASE, district=("Kech",))],
           "map_polygons": [replace(BASE, district=("Kech",))],
           "by_target": [replace(BASE, target_type=("Politicians",))],
           "over_time": [replace(BASE, date_from=date(2020, 1, 1))]}
    for name, moves in own.items():
        fn = getattr(aggregate, name)
        shared = simple()
        fn(aggregate.View(ds, ViewState(BASE), shared))
        for moved in moves:
            misses = shared.misses
            fn(aggregate.View(ds, ViewState(moved), shared))
            assert shared.misses == misses, (name, moved)


def test_a_view_reads_each_aggregation_from_the_cache_once(ds):
    shared = simple()
    v = aggregate.View(ds, ViewState(BASE), shared)
    first = aggregate.by_district(v)
    reads = shared.hits + shared.misses
    assert aggregate.by_district(v) is first and shared.hits + shared.misses == reads


def test_versions_do_not_share_entries(ds):
    backing = Cache(flask.Flask("t"), config=cache.config("", 60))
    old, new = cache.AggregateCache(backing, "old"), cache.AggregateCache(backing, "new")
    old.cache.set(old.key("totals", ViewState()), "stale")
    assert aggregate.totals(aggregate.View(ds, ViewState(), new)).attacks == 131


def test_unreachable_cache_is_skipped(ds, caplog):
    class Down:
        def get(self, key):
            raise ConnectionError("redis away")

        def set(self, *a, **k):
            raise ConnectionError("redis away")

    broken = cache.AggregateCache(Down(), "v")
    assert aggregate.totals(aggregate.View(ds, ViewState(), broken)).attacks == 131
    assert "unreachable" in caplog.text


@pytest.mark.parametrize("url,kind", [("", "SimpleCache"), ("redis://127.0.0.1:1/0",
                                                              "RedisCache")])
def test_config_picks_the_backend(url, kind):
    assert cache.config(url, 60)["CACHE_TYPE"] == kind
