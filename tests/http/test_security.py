"""Security (issue 7), unit level: inert row text, URL validation, headers, no debug, file size.

The browser half (hostile file rendered in chromium, CSP active while charts draw and click) is
tests/e2e/test_e2e_security.py; it builds its file with `write_hostile_csv` from here.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
import resource
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests

from dashboard.app import create_app
from dashboard.data.dataset import Dataset
from dashboard.data.loading import load_files
from dashboard.filters import ViewState
from harness.dash_http import flask_callbacks
from tests import app_view
from dashboard import ids

STORE = f"{ids.STATE}.data"  # the browser's store of the view state

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS = ROOT / "data" / "incidents.csv"

# --------------------------------------------------------------------------- the hostile file
PWN = "window.__pwned=1"
HOSTILE_TEXT = {  # every free-text field of a row
    "target_detail": f"<script>{PWN}</script>",
    "notes": f'<img src=x onerror="{PWN}"> [x](javascript:{PWN}) '
             f'<a href="javascript:{PWN}">click</a> {{{{7*7}}}}',
    "location": f'<a href="data:text/html,<script>{PWN}</script>">here</a> **bold** '
                f'<iframe src="javascript:{PWN}"></iframe>',
    "claimant_reported": f'"><svg onload={PWN}> [y](data:text/html;base64,'
                         f'{base64.b64encode(f"<script>{PWN}</script>".encode()).decode()}) '
                         f'<details open ontoggle={PWN}>',
    "collection": f"<img src=x onerror={PWN}>",
}
# Valid http(s) URLs (the loader accepts them) built to break out of the table's markdown links.
HOSTILE_URLS = [
    f"https://example.com/a)[x](javascript:{PWN})",
    f"https://example.com/<img/src=x/onerror={PWN}>",
    f"https://exa](javascript:{PWN})mple.com/p",
    f'http://example.org/"onmouseover="{PWN}',
    "https://a<b>x.example.com/<i>y</i>",
    "https://a<img>b.example.com/",
]
HOSTILE_ID = f"<img src=x onerror={PWN}>"
# Rows that validation must reject: a non-http(s) scheme anywhere in source_urls.
REJECTED_URLS = {
    "BAD-JS": "javascript:alert(1)",
    "BAD-DATA": "https://www.dawn.com/x | data:text/html,<script>alert(1)</script>",
    "BAD-VB": "vbscript:msgbox(1)",
    "BAD-SPACE": " javascript:alert(1) | https://www.dawn.com/y",
}
SAFE_SOURCE = "https://www.dawn.com/news/1"


def write_hostile_csv(path: Path) -> dict:
    """A canonical CSV: one copied valid row per hostile URL, each carrying every hostile text,
    one row with a hostile incident_id, and the rows validation must reject.

    Returns {'accepted': {incident_id: row}, 'rejected': {incident_id: csv line}}."""
    with open(INCIDENTS, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, base = reader.fieldnames, next(reader)
    accepted, rejected, rows = {}, {}, []
    for i, url in enumerate(HOSTILE_URLS):
        rows.append(dict(base, **HOSTILE_TEXT, incident_id=f"HOSTILE-{i}",
                         source_urls=f"{url} | {SAFE_SOURCE}"))
    rows.append(dict(base, **HOSTILE_TEXT, incident_id=HOSTILE_ID,
                     source_urls="https://www.dawn.com/news/2"))
    for row in rows:
        accepted[row["incident_id"]] = row
    for iid, urls in REJECTED_URLS.items():
        rows.append(dict(base, **HOSTILE_TEXT, incident_id=iid, source_urls=urls))
        rejected[iid] = len(rows) + 1  # header is line 1
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    return {"accepted": accepted, "rejected": rejected}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    spec = write_hostile_csv(path)
    result = load_files([path])
    return path, spec, result


@pytest.fixture(scope="module")
def hostile_cb(hostile):
    _, _, result = hostile
    return flask_callbacks(create_app(dataset=Dataset.from_result(result)))


# --------------------------------------------------------------------------- validation
def test_hostile_rows_load_and_non_http_sources_are_rejected(hostile):
    _, spec, result = hostile
    assert set(result.incidents["incident_id"]) == set(spec["accepted"])
    assert result.rejected == len(spec["rejected"])
    for iid, line in spec["rejected"].items():
        problems = [p for p in result.problems if p.line == line and p.rejects_row]
        assert [p.field for p in problems] == ["source_urls"], (iid, problems)
        assert "not an http(s) URL" in problems[0].reason
    for _, row in result.incidents.iterrows():  # text kept byte for byte
        for field, text in HOSTILE_TEXT.items():
            assert row[field] == text


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x",
    "file:///etc/passwd", "ftp://example.com/x", "//example.com/x", "https:/example.com",
    "https://example.com/a b", "https://localhost", "http://", "https:// | https://x.y",
    "https://x.y |", "java\tscript:alert(1)", " https://x.y/\njavascript:alert(1)",
])
def test_source_url_validation_rejects(tmp_path, url):
    with open(INCIDENTS, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, base = reader.fieldnames, next(reader)
    path = tmp_path / "one.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerow(dict(base, source_urls=url))
    result = load_files([path])
    assert result.accepted == 0
    assert any(p.field == "source_urls" for p in result.problems)


# --------------------------------------------------------------------------- inert rendering
ALLOWED_DETAIL_TYPES = {"Table", "Tbody", "Tr", "Th", "Td", "H3", "Ol", "Li", "A", "Br"}


def components(node):
    """Every serialised Dash component in a callback response, depth first."""
    if isinstance(node, dict):
        if "type" in node and "props" in node:
            yield node
            yield from components(node["props"].get("children"))
        else:
            for v in node.values():
                yield from components(v)
    elif isinstance(node, list):
        for v in node:
            yield from components(v)


def test_detail_dialog_shows_every_field_as_text(hostile, hostile_cb):
    _, spec, _ = hostile
    for iid, row in spec["accepted"].items():
        out, _ = hostile_cb.call("incident-modal.is_open",
                                 {"grid-incidents.cellClicked": {"rowId": iid}},
                                 ["grid-incidents.cellClicked"])
        assert out["incident-modal"]["is_open"] is True
        assert out["incident-title"]["children"] == iid  # a string prop: React shows it as text
        tree = list(components(out["incident-detail"]["children"]))
        raw = json.dumps(out["incident-detail"])
        assert "dangerouslySetInnerHTML" not in raw and "Markdown" not in raw
        assert {c["type"] for c in tree} <= ALLOWED_DETAIL_TYPES, {c["type"] for c in tree}
        cells = [c["props"].get("children") for c in tree if c["type"] == "Td"]
        for field, text in HOSTILE_TEXT.items():
            assert text in cells, field  # the exact text, as a text child
        links = [c["props"] for c in tree if c["type"] == "A"]
        urls = [u.strip() for u in row["source_urls"].split("|")]
        assert [a["href"] for a in links] == urls
        for a in links:
            assert re.match(r"https?://", a["href"])
            assert a["children"] == unquote(a["href"])  # the decoded URL, as text
            assert "noopener" in a.get("rel", "")
        for c in tree:  # no event handler or URL-bearing prop other than the links' href
            assert not any(k.lower().startswith("on") for k in c["props"]), c
            assert not {"src", "srcDoc", "action", "formAction"} & set(c["props"]), c


def test_table_source_cells_are_only_the_rows_http_urls(hostile, hostile_cb):
    """The grid draws the Sources cell from a list of URLs (assets/dashboard.js makes each
    a link): the list is exactly the row's accepted URLs, all http(s); no other cell holds
    anything but plain values."""
    _, spec, _ = hostile
    out, _ = hostile_cb.call(app_view.GRID_ROWS, {STORE: ViewState().as_dict()}, [STORE])
    rows = {r["incident_id"]: r for r in app_view.table_rows(out)}
    assert set(rows) == set(spec["accepted"])
    for iid, row in rows.items():
        urls = [u.strip() for u in spec["accepted"][iid]["source_urls"].split("|")]
        assert row["sources"] == urls
        assert all(re.match(r"https?://", u) for u in row["sources"])
        assert "source_text" not in row  # cited text only where a row has no URL
        for key, value in row.items():  # other cells: plain strings, the grid shows them as text
            if key != "sources":
                assert value is None or isinstance(value, (str, int, float)), key


# --------------------------------------------------------------------------- headers
@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def csp_directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            assert tokens[0].lower() not in out, f"directive {tokens[0]} twice"
            out[tokens[0].lower()] = tokens[1:]
    return out


SAFE_SOURCES = re.compile(r"^('self'|'none'|'unsafe-inline'|data:|blob:|'sha(256|384|512)-"
                          r"[A-Za-z0-9+/=]+')$")


def assert_security_headers(headers) -> None:
    csp = headers.get("Content-Security-Policy")
    assert csp, "no Content-Security-Policy"
    d = csp_directives(csp)
    assert d.get("default-src") == ["'self'"]
    assert d.get("frame-ancestors") == ["'none'"]
    assert d.get("object-src") == ["'none'"]
    for directive, sources in d.items():
        for src in sources:  # no host, scheme or wildcard source: only this origin
            assert SAFE_SOURCES.match(src), f"{directive} allows {src}"
            assert not re.search(r"https?:|\*|wss?:", src), f"{directive} allows {src}"
    script = d.get("script-src", d["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "data:" not in script and "blob:" not in script
    for directive in ("connect-src", "form-action", "base-uri"):
        assert d.get(directive, d["default-src"]) in (["'self'"], ["'none'"]), directive
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("X-Frame-Options") in ("DENY", "SAMEORIGIN")
    assert headers.get("Referrer-Policy") in (
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")


@pytest.mark.parametrize("path", ["/", "/_dash-layout", "/_dash-dependencies", "/healthz",
                                  "/?group=IS-K&district=<script>", "/vendor/bootstrap/nope.css",
                                  "/assets/style.css"])
def test_security_headers_on_get(client, path):
    r = client.get(path)
    assert r.status_code in (200, 404), path
    assert_security_headers(r.headers)


def test_security_headers_on_callbacks(client, app):
    cb = flask_callbacks(app)
    payload = cb.payload("kpi-attacks.children", {STORE: ViewState().as_dict()},
                         [STORE])
    r = client.post("/_dash-update-component", json=payload)
    assert r.status_code == 200 and b"kpi-attacks" in r.data
    assert_security_headers(r.headers)
    for body in ({"output": "nope.x"}, [1, 2, 3]):  # error answers carry them too
        r = client.post("/_dash-update-component", json=body)
        assert r.status_code >= 400
        assert_security_headers(r.headers)


def test_csp_hashes_cover_every_inline_script(client):
    """Dash's inline scripts run only because the CSP lists their hashes; any other inline
    script (an injected one) would be blocked."""
    r = client.get("/")
    html = re.sub(r"<!--.*?-->", "", r.data.decode(), flags=re.S)  # IE-only comment blocks
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    inline = [body for attrs, body in scripts if "application/json" not in attrs]
    assert inline, "expected Dash's inline renderer script"
    allowed = csp_directives(r.headers["Content-Security-Policy"])["script-src"]
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:200]
    srcs = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    assert srcs and all(s.startswith("/") and not s.startswith("//") for s in srcs), srcs


# --------------------------------------------------------------------------- debug and errors
def dash_config(html: str) -> dict:
    m = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html,
                  re.S)
    assert m, "no _dash-config in the page"
    return json.loads(m.group(1))


def test_debug_is_off_by_default_in_process(app, client):
    assert app.server.debug is False
    config = dash_config(client.get("/").data.decode())
    assert config["ui"] is False and config["props_check"] is False
    hot = client.get("/_reload-hash").get_json()
    assert hot["reloadHash"] is None and hot["files"] == []


def assert_no_traceback(body: bytes) -> None:
    for marker in (b"Traceback", b'File "/', b"Werkzeug Debugger", b"__debugger__",
                   b"site-packages", b".py\", line"):
        assert marker not in body, marker


def test_callback_errors_return_request_id_not_traceback(client, app):
    cb = flask_callbacks(app)
    # not JSON at all
    r = client.post("/_dash-update-component", data=b"{", content_type="application/json")
    assert r.status_code == 400 and r.headers.get("X-Request-ID")
    assert_no_traceback(r.data)
    # JSON, but not a callback: the server's error handler answers with the request id
    r = client.post("/_dash-update-component", json={"output": "nope.x", "inputs": []})
    assert r.status_code == 500
    assert_no_traceback(r.data)
    rid = r.headers.get("X-Request-ID")
    assert rid and r.get_json() == {"error": "internal error", "request_id": rid}
    # a real callback that raises inside (a stored filter that is not one): the page is told
    # the request id, the body carries no traceback
    payload = cb.payload("kpi-attacks.children", {STORE: {"filters": {"date_from": "garbage"}}},
                         [STORE])
    r = client.post("/_dash-update-component", json=payload)
    assert r.status_code == 200
    assert_no_traceback(r.data)
    rid = r.headers.get("X-Request-ID")
    assert rid and f"Request id: {rid}" in r.data.decode()
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5 and all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)


def test_served_process_has_no_debug_and_no_traceback(server):
    """The real `python -m dashboard` process (no --debug): dev tools off, errors opaque."""
    r = requests.get(server + "/", timeout=10)
    assert_security_headers(r.headers)
    config = dash_config(r.text)
    assert config["ui"] is False and config["props_check"] is False
    r = requests.get(server + "/_dash-debug-menu", timeout=10)  # only the page, no debug UI
    assert "_dash-debug-menu" not in r.text and dash_config(r.text)["ui"] is False
    r = requests.post(server + "/_dash-update-component", data=b'{"output": ',
                      headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 400 and r.headers.get("X-Request-ID")
    assert_no_traceback(r.content)
    r = requests.post(server + "/_dash-update-component",
                      json={"output": STORE, "outputs": [], "inputs": "x"},
                      timeout=10)
    assert r.status_code >= 400 and r.headers.get("X-Request-ID")
    assert_no_traceback(r.content)


# --------------------------------------------------------------------------- large files
def test_file_over_size_limit_is_refused_with_size_message(tmp_path):
    big = tmp_path / "huge.csv"
    header = INCIDENTS.read_bytes().split(b"\n", 1)[0] + b"\n"
    with open(big, "wb") as fh:  # sparse: 4 GiB on paper, a few bytes on disk
        fh.write(header)
        fh.truncate(4 << 30)

    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run([sys.executable, "-m", "dashboard", "validate", str(big)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=cap_memory)
    assert "Traceback" not in proc.stderr, proc.stderr[-600:]
    assert proc.returncode == 2
    error = next(line for line in proc.stdout.splitlines() if line.startswith("error:"))
    assert re.search(r"too (large|big)|larger than|size limit|exceeds", error, re.I), error
    assert re.search(r"\d+(\.\d+)?\s*(GB|GiB|MB|MiB|bytes)", error), error
