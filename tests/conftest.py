"""Shared fixtures: the shipped dataset, the app in process, a live server and a browser.

Tests are arranged by kind, each folder with its marker: tests/unit (`unit`: no server),
tests/http (`http`: callbacks over Dash's HTTP API, the command line, the pack), tests/e2e
(`browser`: the real app in headless Chromium). `pytest -m unit` runs the fast ones alone.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from harness.servers import free_port, serving
from tests.pages import fresh_page
from tests.scopes import clear_caches, mutant_running, per_session, recording

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]


KINDS = {"unit": "unit", "http": "http", "e2e": "browser"}  # folder -> marker


def pytest_collection_modifyitems(items):
    for item in items:
        folder = Path(str(item.path)).parent.name
        if folder in KINDS:
            item.add_marker(getattr(pytest.mark, KINDS[folder]))


@pytest.fixture(autouse=True, scope="session")
def _caches_per_mutant():
    if mutant_running():
        clear_caches()


@pytest.fixture(autouse=True)
def _caches_per_test_while_recording():
    if recording():
        clear_caches()


@pytest.fixture(scope=per_session)
def ds():
    from dashboard.data.loading import load_dataset
    return load_dataset()


@pytest.fixture(scope=per_session)
def app(ds):
    """The app on the shipped data, in process (callbacks through Flask's test client)."""
    from dashboard.app import create_app
    return create_app(dataset=ds)


@pytest.fixture(scope=per_session)
def cb(app):
    """The app's callbacks over its HTTP API, without a browser."""
    from harness.dash_http import flask_callbacks
    return flask_callbacks(app)


@pytest.fixture(scope="session")
def server():
    yield from serving()


@pytest.fixture(scope="session")
def _playwright():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run the README's test command, which "
                    "installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    yield b
    b.close()


@pytest.fixture(scope="session")
def browser_with_scrollbars(_playwright):
    """Chromium whose scrollbars take room, as on Windows and most Linux desktops
    (Playwright hides them unless told not to)."""
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS,
                                    ignore_default_args=["--hide-scrollbars"])
    yield b
    b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request it makes."""
    yield from fresh_page(browser, server, accept_downloads=True)


@pytest.fixture(scope="session")
def redis_url():
    """A Redis for the `redis` tests: DASHBOARD_TEST_REDIS_URL (.ci/run starts one and sets
    it); otherwise, outside CI, a throw-away redis-server on a free loopback port when one is
    installed. Under CI a Redis that cannot be reached fails the test, never skips it."""
    url, proc = os.environ.get("DASHBOARD_TEST_REDIS_URL", "").strip(), None
    in_ci = bool(os.environ.get("CI"))
    if not url and not in_ci and shutil.which("redis-server"):
        port = free_port()
        proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                                 "--save", "", "--appendonly", "no"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
    if not url:
        message = ("no Redis for the redis tests: set DASHBOARD_TEST_REDIS_URL or install "
                   "Debian's redis-server (.ci/run does both)")
        pytest.fail(message) if in_ci else pytest.skip(message)
    import redis
    deadline, error = time.time() + 15, None
    while time.time() < deadline:
        try:
            redis.Redis.from_url(url, socket_timeout=2).ping()
            break
        except redis.RedisError as exc:
            error = exc
            time.sleep(0.2)
    else:
        if proc:
            proc.kill()
        message = f"Redis at {url} unreachable: {error}"
        pytest.fail(message) if in_ci else pytest.skip(message)
    yield url
    if proc:
        proc.terminate()
        proc.wait(timeout=10)
