"""Shared fixtures: the shipped dataset, and a live server for browser tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def ds():
    from dashboard.data import load_dataset
    return load_dataset()


@pytest.fixture(scope="session")
def app(ds):
    """The app on the shipped data, in process (callbacks through Flask's test client)."""
    from dashboard.app import create_app
    return create_app(ds)


@pytest.fixture(scope="session")
def cb(app):
    """The app's callbacks over its HTTP API, without a browser."""
    from tests.dash_http import flask_callbacks
    return flask_callbacks(app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*args: str, env: dict | None = None):
    """Start `python -m dashboard` on a free port; return (process, base_url).

    Its output goes to a log file, never to an unread pipe: a full pipe would block the
    server once it has logged enough requests. `proc.log` is the file's path.
    """
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"dashboard-{port}-", suffix=".log")[1])
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port), *args],
                                cwd=ROOT, env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    proc.log = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return proc, base
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start within 60 s: {log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server():
    proc, base = start_server()
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run the README's test command, which "
                    "installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  accept_downloads=True)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.base = server
    yield pg
    context.close()
