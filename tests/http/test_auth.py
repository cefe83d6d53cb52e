"""Sign-in (DASHBOARD_USERS_FILE): anonymous requests refused, Basic and the sign-in page
for listed users, failed attempts limited per client, and a users file without a password."""
import json
import subprocess
import sys

import pytest
import requests

from dashboard import auth
from dashboard.app import create_app
from dashboard.settings import Settings
from harness.servers import start_server, stop_server

PASSWORD = "correct horse battery"


def add(path, name, password):
    return subprocess.run([sys.executable, "-m", "dashboard", "users", "add", name,
                           "--file", str(path)], input=password + "\n", text=True,
                          capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("users") / "users.json"
    done = add(path, "alice", PASSWORD)
    assert done.returncode == 0, done.stderr
    return path


def make_app(ds, users_file, **kw):
    return create_app(Settings(users_file=str(users_file), **kw), dataset=ds)


@pytest.fixture(scope="module")
def client(ds, users_file):
    return make_app(ds, users_file, login_limit="1000 per minute").server.test_client()


def basic(name, password):
    import base64
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture(scope="module")
def payload(ds):
    """The render callback's request for the default view, as the browser sends it."""
    from harness.dash_http import flask_callbacks
    cb = flask_callbacks(create_app(dataset=ds))
    return cb.payload("kpi-attacks.children", {"view-state.data": {}}, ["view-state.data"])


def kpis(body: dict) -> str:
    return body["response"]["kpi-attacks"]["children"]


def test_users_file_holds_salted_hashes_only(users_file):
    text = users_file.read_text()
    assert PASSWORD not in text
    stored = json.loads(text)["users"]["alice"]
    assert stored.startswith("scrypt:") and stored.count("$") == 2  # method$salt$hash
    assert (users_file.stat().st_mode & 0o777) == 0o600
    other = users_file.parent / "other.json"
    assert add(other, "alice", PASSWORD).returncode == 0
    assert json.loads(other.read_text())["users"]["alice"] != stored  # salted


def test_users_cli_list_remove_and_refusals(tmp_path):
    path = tmp_path / "u.json"
    assert add(path, "bob", "password-1").returncode == 0
    assert add(path, "carol", "password-2").returncode == 0
    run = lambda *a: subprocess.run([sys.executable, "-m", "dashboard", "users", *a,  # noqa
                                     "--file", str(path)], capture_output=True, text=True,
                                    timeout=60)
    assert run("list").stdout.split() == ["bob", "carol"]
    assert run("remove", "bob").returncode == 0
    assert run("list").stdout.split() == ["carol"]
    assert run("remove", "bob").returncode == 1
    short = add(path, "dave", "short")
    assert short.returncode == 2 and "at least 8" in short.stderr
    assert add(path, "bad:name", "password-3").returncode == 2


@pytest.mark.parametrize("method,path", [("GET", "/"), ("GET", "/_dash-layout"),
                                         ("GET", "/_dash-dependencies"),
                                         ("GET", "/assets/style.css"),
                                         ("POST", "/_dash-update-component")])
def test_anonymous_requests_are_refused(client, payload, method, path):
    r = client.open(path, method=method, json=payload if method == "POST" else None,
                    headers={"Accept": "text/html"} if path == "/" else {})
    if path == "/":  # a person is sent to the sign-in page
        assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=%2F")
    else:
        assert r.status_code == 401
        assert b"kpi" not in r.data and b"Pakistan" not in r.data


def test_sign_in_brings_back_the_view_asked_for(client):
    from urllib.parse import parse_qs, urlsplit
    r = client.get("/?group=IS-K&district=Mastung", headers={"Accept": "text/html"})
    target = parse_qs(urlsplit(r.headers["Location"]).query)["next"][0]
    assert target == "/?group=IS-K&district=Mastung"
    page = client.get(r.headers["Location"])
    assert b'value="/?group=IS-K&amp;district=Mastung"' in page.data


def test_healthz_stays_open(client):
    assert client.get("/healthz").json["status"] == "ok"


def test_basic_credentials_of_a_listed_user_work(client, payload):
    h = basic("alice", PASSWORD)
    assert client.get("/", headers=h).status_code == 200
    assert client.get("/_dash-layout", headers=h).status_code == 200
    r = client.post("/_dash-update-component", json=payload, headers=h)
    assert r.status_code == 200 and kpis(r.json) == "131"


@pytest.mark.parametrize("name,password", [("alice", "wrong password"), ("mallory", PASSWORD),
                                           ("alice", "")])
def test_wrong_credentials_are_refused(client, payload, name, password):
    r = client.post("/_dash-update-component", json=payload,
                    headers=basic(name, password))
    assert r.status_code == 401 and "WWW-Authenticate" in r.headers
    assert "response" not in (r.json or {})


def test_failed_attempts_are_limited_per_client(ds, users_file):
    c = make_app(ds, users_file, login_limit="3 per minute").server.test_client()
    for _ in range(3):
        assert c.get("/_dash-layout", headers=basic("alice", "nope")).status_code == 401
    # past the limit even the right password is refused, from this client
    assert c.get("/_dash-layout", headers=basic("alice", PASSWORD)).status_code == 429
    r = c.post("/login", data={"username": "alice", "password": PASSWORD})
    assert r.status_code == 429
    other = c.get("/_dash-layout", headers=basic("alice", PASSWORD),
                  environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # another client is not held up


def test_sign_in_page_sets_an_httponly_samesite_session(client):
    page = client.get("/login?next=/%3Fgroup%3DIS-K")
    assert page.status_code == 200 and b'type="password"' in page.data
    assert "Content-Security-Policy" in page.headers
    wrong = client.post("/login", data={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401 and b"Wrong name or password" in wrong.data
    r = client.post("/login", data={"username": "alice", "password": PASSWORD,
                                    "next": "/?group=IS-K"})
    assert r.status_code == 302 and r.headers["Location"] == "/?group=IS-K"
    cookie = r.headers["Set-Cookie"]
    assert "pmd_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http here
    assert client.get("/_dash-layout").status_code == 200  # the session is enough
    client.get("/logout")
    assert client.get("/_dash-layout").status_code == 401


def test_session_cookie_is_secure_behind_https_proxy(ds, users_file):
    c = make_app(ds, users_file, proxy_hops=1).server.test_client()
    r = c.post("/login", data={"username": "alice", "password": PASSWORD},
               headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"})
    assert r.status_code == 302 and "Secure" in r.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_sign_in_never_redirects_off_site(client, target):
    r = client.post("/login", data={"username": "alice", "password": PASSWORD,
                                    "next": target})
    assert r.headers["Location"] == "/"


def test_a_removed_user_is_signed_out(ds, tmp_path):
    path = tmp_path / "users.json"
    assert add(path, "erin", PASSWORD).returncode == 0
    assert add(path, "frank", PASSWORD).returncode == 0
    c = make_app(ds, path).server.test_client()
    assert c.post("/login", data={"username": "erin",
                                  "password": PASSWORD}).status_code == 302
    assert c.get("/_dash-layout").status_code == 200
    auth.remove_user(path, "erin")
    assert c.get("/_dash-layout").status_code == 401


def test_settings_read_the_new_variables():
    s = Settings.from_env({"DASHBOARD_USERS_FILE": "/x/users.json", "DASHBOARD_PROXY_HOPS": "1",
                           "DASHBOARD_REDIS_URL": "redis://127.0.0.1:6379/0",
                           "DASHBOARD_SECRET_KEY": "k" * 40, "DASHBOARD_CACHE_SECONDS": "60"})
    assert (s.users_file, s.proxy_hops, s.redis_url, s.cache_seconds) == \
        ("/x/users.json", 1, "redis://127.0.0.1:6379/0", 60)
    assert "kkkk" not in repr(s)  # the secret never shows in a log
    for env in ({"DASHBOARD_PROXY_HOPS": "-1"}, {"DASHBOARD_REDIS_URL": "http://x"},
                {"DASHBOARD_LOGIN_LIMIT": "lots"}, {"DASHBOARD_CACHE_SECONDS": "0"}):
        with pytest.raises(ValueError, match=next(iter(env))):
            Settings.from_env(env)


def test_served_app_refuses_anonymous_and_takes_basic(users_file, payload):
    proc, base = start_server(env={"DASHBOARD_USERS_FILE": str(users_file)})
    try:
        assert requests.get(base + "/healthz", timeout=10).ok
        anon = requests.get(base + "/_dash-layout", timeout=10)
        assert anon.status_code == 401
        page = requests.get(base + "/", timeout=10)
        assert page.url.startswith(base + "/login")  # followed the redirect to sign-in
        assert requests.get(base + "/_dash-layout", auth=("alice", "nope"),
                            timeout=10).status_code == 401
        anon = requests.post(base + "/_dash-update-component", json=payload, timeout=30)
        assert anon.status_code == 401
        ok = requests.post(base + "/_dash-update-component", json=payload,
                           auth=("alice", PASSWORD), timeout=30)
        assert ok.status_code == 200 and kpis(ok.json()) == "131"
    finally:
        stop_server(proc)
        proc.wait(timeout=10)
