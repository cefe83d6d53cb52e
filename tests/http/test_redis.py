"""With Redis: two app instances and a Celery worker against one Redis. A pack asked of one
instance is built by the worker and arrives (polled through the other instance), and the
aggregation cache is one for both; a different data file never meets the other's numbers."""
import re

import flask
import pytest
import requests

from dashboard import cache
from dashboard.aggregate import Totals
from dashboard.filters import ViewState
from dashboard.settings import Settings
from harness.servers import start_gunicorn, start_worker, stop_process

from tests.pack_client import ask_pack, check_pack, http

pytestmark = pytest.mark.redis
SAMPLE = "tests/fixtures/canonical_sample.csv"


@pytest.fixture(scope="module")
def team(redis_url):
    env = {"DASHBOARD_REDIS_URL": redis_url}
    procs = []
    try:
        worker = start_worker(env, concurrency=2)
        procs.append(worker)
        bases = []
        for _ in range(2):
            proc, base = start_gunicorn(1, env)
            procs.append(proc)
            bases.append(base)
        yield {"a": bases[0], "b": bases[1], "worker": worker, "env": env, "procs": procs}
    finally:
        for proc in procs:
            stop_process(proc)


def kpi(base: str, state: dict | None = None) -> str:
    cb, _, _ = http(base)
    response, _ = cb.call("kpi-attacks.children", {"view-state.data": state or {}},
                          ["view-state.data"])
    return response["kpi-attacks"]["children"]


def test_a_pack_asked_of_one_instance_arrives_through_the_worker(team):
    state = ViewState.from_dict({"filters": {"group": ["IS-K"]}}).as_dict()
    response, seen = ask_pack(team["a"], state, poll_base=team["b"])
    name = check_pack(response, seen)
    assert name.startswith("briefing_group-IS-K_")
    log = team["worker"].log.read_text()
    assert re.search(r"Task background_callback_\w+\[[-\w]+\] succeeded", log)  # the worker


def test_the_aggregation_cache_is_shared(team, redis_url):
    import redis
    r = redis.Redis.from_url(redis_url)
    assert kpi(team["a"]) == "131"
    version = cache.files_version(Settings().data, "auto", "keep")
    keys = [k.decode() for k in r.scan_iter(f"{cache.PREFIX}{version}:*")]
    assert any(":totals:" in k for k in keys) and any(":by_district:" in k for k in keys)
    # B answers from the entry A left: put a number there no computation gives, ask B.
    shared = cache.make(flask.Flask("probe"), redis_url, version, 60)
    key = shared.key("totals", ViewState())
    assert shared.cache.get(key) is not None
    shared.cache.set(key, Totals(4242, 0, 0, 0, 0, 0), timeout=60)
    try:
        assert kpi(team["b"]) == "4,242"
    finally:
        shared.cache.delete(key)
    assert kpi(team["b"]) == "131"  # recomputed once the entry is gone


def test_another_data_file_never_meets_the_cached_numbers(team):
    from dashboard.data.loading import load_files
    expected = load_files([SAMPLE]).accepted
    proc, base = start_gunicorn(1, {**team["env"], "DASHBOARD_DATA": SAMPLE})
    try:
        assert requests.get(base + "/healthz", timeout=10).json()["incidents"] == expected
        assert kpi(base) == f"{expected:,}" != kpi(team["a"])
    finally:
        stop_process(proc)
