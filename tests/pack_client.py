"""A briefing pack asked over HTTP as the browser asks it (tests/http/test_jobs.py and
test_redis.py): open the page, click the button, poll the background job to its answer."""
import base64
import io
import re
import zipfile

import requests

from harness.dash_http import DashCallbacks, page_end_id, run_background

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
    assert len(names) == 14 and names[0] == "01_district.png" and "briefing.pptx" in names
    assert response["export-status"]["children"] == f"Downloaded {download['filename']}"
    steps = [PROGRESS.match(str(v)) for v in seen if v]
    assert any(m and m.group(1) == "Rendering charts" for m in steps), seen
    assert all(int(m.group(2)) <= int(m.group(3)) for m in steps if m)
    return download["filename"]
