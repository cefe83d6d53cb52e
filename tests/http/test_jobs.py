"""Briefing packs as background jobs without Redis: the Procfile's web process alone
(gunicorn, two workers, DiskcacheManager) builds four packs asked at once, shows their
progress as 'N of M', and another user's clicks meanwhile stay under 2 s."""
import base64
import io
import re
import threading
import time
import zipfile

import pytest
import requests

from dashboard import export
from dashboard.callbacks import pack as pack_cb
from harness.dash_http import DashCallbacks, page_end_id, run_background
from harness.servers import start_gunicorn, stop_process

PACK_OUT, PROGRESS = "download-pack.data", re.compile(r"^(Rendering charts|Writing slides): "
                                                      r"(\d+) of (\d+)$")


def http(base: str, session: requests.Session | None = None):
    s = session or requests.Session()

    def post(path, payload):
        r = s.post(base + path, json=payload, timeout=60)
        return r.status_code, r.content

    return DashCallbacks(post, lambda path: s.get(base + path, timeout=60).content), post, s


def ask_pack(base: str, state: dict | None = None, query: str = "", session=None,
             poll_base: str | None = None):
    """One user's pack: open the page, click the button, poll (on `poll_base` if given)."""
    cb, post, s = http(base, session)
    end_id = page_end_id(s.get(f"{base}/{query}", timeout=60).text)
    payload = cb.payload(PACK_OUT, {"export-pack.n_clicks": 1, "view-state.data": state,
                                    "url.href": f"{base}/{query}"}, ["export-pack.n_clicks"])
    poll = post if poll_base is None else http(poll_base)[1]

    def route(path, p):  # the first request to `base`, every poll to `poll_base`
        return (poll if "cacheKey=" in path else post)(path, p)

    return run_background(route, payload, end_id)


def check_pack(response: dict, seen: list) -> str:
    download = response["download-pack"]["data"]
    data = base64.b64decode(download["content"]) if download.get("base64") else \
        download["content"].encode()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(n.split("/", 1)[1] for n in zf.namelist())
    assert len(names) == 12 and names[0] == "01_district.png" and "briefing.pptx" in names
    assert response["export-status"]["children"] == f"Downloaded {download['filename']}"
    steps = [PROGRESS.match(str(v)) for v in seen if v]
    assert any(m and m.group(1) == "Rendering charts" for m in steps), seen
    assert all(int(m.group(2)) <= int(m.group(3)) for m in steps if m)
    return download["filename"]


@pytest.fixture(scope="module")
def web():
    """The Procfile's web process alone, no Redis: gunicorn with two workers."""
    proc, base = start_gunicorn(2, env={"DASHBOARD_REDIS_URL": ""})
    yield base
    stop_process(proc)


def test_four_packs_at_once_arrive_while_clicks_stay_fast(web):
    results, errors = [], []

    def one():
        try:
            results.append(check_pack(*ask_pack(web)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    cb, _, _ = http(web)
    clicks, stop = [], threading.Event()

    def clicker():  # a fifth user clicking through views meanwhile
        n = 0
        districts = ["Quetta", "Mastung", "Peshawar", "Bajaur", "Karachi"]
        while not stop.is_set():
            start = time.perf_counter()
            cb.call("kpi-attacks.children", {"view-state.data": {"filters": {
                "district": [districts[n % len(districts)]]}}}, ["view-state.data"])
            clicks.append(time.perf_counter() - start)
            n += 1
            time.sleep(0.3)

    packs = [threading.Thread(target=one) for _ in range(4)]
    watcher = threading.Thread(target=clicker)
    watcher.start()
    time.sleep(1)
    t0 = time.perf_counter()
    for t in packs:
        t.start()
    for t in packs:
        t.join(timeout=240)
    took = time.perf_counter() - t0
    stop.set()
    watcher.join(timeout=30)
    assert errors == [] and len(results) == 4
    assert len(clicks) >= 5
    print(f"4 packs in {took:.1f} s; {len(clicks)} clicks, max {max(clicks):.2f} s")
    assert max(clicks) < 2.0, sorted(clicks)[-5:]


def test_a_failed_pack_says_what_failed_with_a_request_id(ds, monkeypatch, caplog):
    def broken(ds, state, tmp, base, progress):
        progress(2, 9, "charts")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "zip_pack", broken)
    monkeypatch.setattr(pack_cb.jobs, "lower_priority", lambda: None)
    seen = []
    out = pack_cb.make_pack(ds, {}, "http://x/", seen.append)
    status = out["status"]
    assert status.startswith("Could not make the pack: the server failed while rendering "
                             "charts, 2 of 9 done. Request id: ")
    rid = status.rsplit(" ", 1)[1].rstrip(".")
    assert rid in caplog.text and "disk on fire" in caplog.text  # the log has the cause
    assert "disk on fire" not in status and "Traceback" not in status
    assert seen[-1] == "Rendering charts: 2 of 9"

    def no_chromium(*a):
        raise export.ExportError("cannot start Chromium to render images (none)")

    monkeypatch.setattr(export, "zip_pack", no_chromium)
    status = pack_cb.make_pack(ds, {}, "", seen.append)["status"]
    assert status.startswith("Could not make the pack: cannot start Chromium") and \
        "Request id: " in status
