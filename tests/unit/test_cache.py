"""The shared aggregation cache: one key per data version and normalised view state; a hit
gives what the computation gives; an unreachable cache is skipped."""
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
