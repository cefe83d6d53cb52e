"""The default view rendered once at start (``app.warm_up``): the first visitor's answer is
then served from the aggregations it left in the cache, and is the answer a cold app gives;
a failure while warming is logged and the server serves anyway; both ways of serving warm
first."""
import gc
import importlib
import json
import logging
import sys

import pytest

from dashboard import __main__ as cli
from dashboard import app as app_module
from dashboard import ids
from dashboard.app import create_app, warm_up
from dashboard.filters import ViewState
from harness.dash_http import flask_callbacks

STORE = f"{ids.STATE}.data"


def first_answer(app) -> dict:
    out, _ = flask_callbacks(app).call(STORE, {STORE: ViewState().as_dict()}, [STORE])
    return out


def test_the_first_answer_after_warming_comes_from_the_cache_and_is_the_cold_one(ds):
    warmed = create_app(dataset=ds)
    warm_up(warmed)
    assert warmed.aggregate_cache.misses > 0  # it computed the default view's aggregations
    misses = warmed.aggregate_cache.misses
    answer = first_answer(warmed)
    assert warmed.aggregate_cache.misses == misses  # the visitor computed none of them
    assert json.dumps(answer, sort_keys=True) == json.dumps(
        first_answer(create_app(dataset=ds)), sort_keys=True)


def test_a_failure_while_warming_is_logged_not_raised(ds, monkeypatch, caplog):
    app = create_app(dataset=ds)

    def broken(*args, **kwargs):
        raise RuntimeError("no figure today")
    monkeypatch.setattr("dashboard.callbacks.render.rendered", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        warm_up(app)
    assert "warming up the default view failed" in caplog.text
    assert "no figure today" in caplog.text


def test_the_command_line_warms_before_it_serves(monkeypatch):
    events = []
    monkeypatch.setattr(app_module, "warm_up", lambda app: events.append(("warm", app)))
    monkeypatch.setattr(app_module.Dash, "run", lambda self, **kw: events.append(("run", self)))
    load = app_module.load_dataset
    monkeypatch.setattr(app_module, "load_dataset",
                        lambda s: events.append(("load", gc.get_freeze_count())) or load(s))
    assert cli.main(["--port", "8123"]) == 0
    assert [e for e, _ in events] == ["load", "warm", "run"] and events[1][1] is events[2][1]
    assert events[0][1] > 10_000  # the imports' objects frozen before the data loads


def test_gunicorns_entry_warms_before_it_serves(monkeypatch):
    warmed = []
    monkeypatch.setattr(app_module, "warm_up", lambda app: warmed.append(app))
    monkeypatch.delitem(sys.modules, "dashboard.wsgi", raising=False)
    frozen = []
    make = app_module.create_app
    monkeypatch.setattr(app_module, "create_app",
                        lambda s: frozen.append(gc.get_freeze_count()) or make(s))
    wsgi = importlib.import_module("dashboard.wsgi")
    assert warmed == [wsgi.app]
    assert wsgi.server is wsgi.app.server
    assert frozen[0] > 10_000  # frozen before the app (and its data) is made


@pytest.fixture(autouse=True)
def _no_wsgi_left_behind():
    yield
    sys.modules.pop("dashboard.wsgi", None)
    gc.unfreeze()  # the test process's objects collected again
