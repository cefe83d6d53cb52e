"""Sign-in for shared deployments: off unless ``DASHBOARD_USERS_FILE`` names a users file.

When on, every route but ``/healthz`` (and the sign-in page itself) needs a signed-in user:
people sign in on ``/login`` and get a session cookie (HttpOnly, SameSite=Lax, Secure when
the request came over HTTPS, as told by a trusted proxy's X-Forwarded-Proto); scripts and
tests send HTTP Basic credentials with each request. Failed attempts are counted per client
(``DASHBOARD_LOGIN_LIMIT``, shared through Redis when it is set): past the limit a client is
refused with 429 until the window passes, whatever it sends.

The users file (JSON, mode 0600) holds werkzeug's salted password hashes, never a password,
and a random key that signs the session cookies (``DASHBOARD_SECRET_KEY`` overrides it; every
instance must have the same). ``python -m dashboard users add|remove|list`` writes it. No
cryptography here is our own: werkzeug hashes and checks passwords, Flask signs the cookie,
flask-login keeps the session, limits counts the failures.
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
import secrets
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

import flask
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

OPEN_PATHS = ("/healthz", "/login", "/logout")
NAME_RE = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_PASSWORD = 8
REALM = "Pakistan Militancy Dashboard"


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against (equal time for unknowns); made on first use,
    not at import (scrypt takes a third of a second)."""
    return generate_password_hash("not a password of anyone")


class UsersFileError(ValueError):
    """A users file that cannot be read or written: the message says why."""


# ---------------------------------------------------------------------- the users file
def read_users(path: str | Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsersFileError(f"{path}: no such users file (make one with "
                             "'python -m dashboard users add NAME --file PATH')") from None
    except (OSError, ValueError) as exc:
        raise UsersFileError(f"{path}: not a users file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
        raise UsersFileError(f"{path}: not a users file (no 'users')")
    return data


def _write_users(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load_or_new(path: Path) -> dict:
    if path.exists():
        return read_users(path)
    return {"format": 1, "secret_key": secrets.token_hex(32), "users": {}}


def add_user(path: str | Path, name: str, password: str) -> bool:
    """Add or replace a user; True if the name was new."""
    if not NAME_RE.match(name):
        raise UsersFileError(f"user name {name!r}: 1-64 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        raise UsersFileError(f"password: at least {MIN_PASSWORD} characters")
    path = Path(path)
    data = _load_or_new(path)
    new = name not in data["users"]
    data["users"][name] = generate_password_hash(password)  # scrypt, salted
    _write_users(path, data)
    return new


def remove_user(path: str | Path, name: str) -> bool:
    path = Path(path)
    data = read_users(path)
    if name not in data["users"]:
        return False
    del data["users"][name]
    _write_users(path, data)
    return True


def list_users(path: str | Path) -> list[str]:
    return sorted(read_users(path)["users"])


class Users:
    """The users file, read again when it changes (users added while the app runs)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp = None
        self._data = read_users(self.path)  # a bad file stops the start
        self._stamp = self._mtime()

    def _mtime(self):
        try:
            st = self.path.stat()
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    def data(self) -> dict:
        with self._lock:
            stamp = self._mtime()
            if stamp != self._stamp:
                try:
                    self._data, self._stamp = read_users(self.path), stamp
                except UsersFileError:
                    pass  # half-written or gone: keep the last good one
            return self._data

    def __contains__(self, name: str) -> bool:
        return name in self.data()["users"]

    def check(self, name: str, password: str) -> bool:
        stored = self.data()["users"].get(name)
        ok = check_password_hash(stored or _dummy_hash(), password or "")
        return ok and stored is not None

    @property
    def secret_key(self) -> str:
        return str(self.data().get("secret_key") or "")


# ---------------------------------------------------------------------- failed attempts
class Failures:
    """Failed sign-ins per client, in a moving window (limits; Redis when configured)."""

    def __init__(self, limit: str, redis_url: str = ""):
        from limits import parse
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter
        self.item = parse(limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(redis_url or "memory://"))

    def blocked(self, client: str) -> bool:
        try:
            return not self.limiter.test(self.item, "pmd-login", client)
        except Exception:  # noqa: BLE001 - storage away: refuse, never let guesses through
            return True

    def failed(self, client: str) -> None:
        try:
            self.limiter.hit(self.item, "pmd-login", client)
        except Exception:  # noqa: BLE001
            pass


# ---------------------------------------------------------------------- the app's side
class User(UserMixin):
    def __init__(self, name: str):
        self.id = name


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session; Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or \
            (flask.has_request_context() and flask.request.is_secure)


def client() -> str:
    return flask.request.remote_addr or "-"


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never //host or a scheme) to go back to after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target:
        return target
    return "/"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in: {realm}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}}
main{{max-width:22rem;margin:12vh auto;background:#fff;padding:2rem;border-radius:.5rem;
box-shadow:0 1px 4px rgba(0,0,0,.15)}}label{{display:block;margin:.8rem 0 .2rem}}
input{{width:100%;padding:.45rem;box-sizing:border-box}}button{{margin-top:1.2rem;
padding:.5rem 1.2rem}}.error{{color:#a40000}}</style></head>
<body><main><h1 style="font-size:1.3rem">{realm}</h1>{message}
<form method="post" action="/login"><input type="hidden" name="next" value="{next}">
<label for="username">Name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main></body></html>"""


def login_page(message: str = "", next_path: str = "/", status: int = 200):
    note = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    body = PAGE.format(realm=REALM, message=note, next=html.escape(_safe_next(next_path)))
    response = flask.make_response(body, status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response


def _refuse(status: int, message: str, challenge: bool):
    response = flask.jsonify(error=message, request_id=flask.g.get("request_id", "-"))
    response.status_code = status
    if challenge:
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    if status == 429:
        response.headers["Retry-After"] = "60"
    return response


def install(server: flask.Flask, users_file: str, *, secret_key: str = "",
            limit: str = "10 per minute", redis_url: str = "") -> Users:
    """Require a signed-in user on every route of `server` but /healthz."""
    users = Users(users_file)
    failures = Failures(limit, redis_url)
    server.secret_key = secret_key or users.secret_key
    if not server.secret_key:
        raise UsersFileError(f"{users_file}: no secret_key; set DASHBOARD_SECRET_KEY")
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_NAME="pmd_session",
                         PERMANENT_SESSION_LIFETIME=12 * 3600)
    server.session_interface = SessionInterface()
    manager = LoginManager(server)
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(name: str):
        return User(name) if name in users else None  # removed users are signed out

    def verdict(name: str, password: str) -> str:
        who = client()
        if failures.blocked(who):
            return "limited"
        if users.check(name, password):
            return "ok"
        failures.failed(who)
        server.logger.warning("failed sign-in for %r from %s", name[:64], who)
        return "wrong"

    _require_user(server, verdict)
    _sign_in_routes(server, verdict)
    return users


def _require_user(server: flask.Flask, verdict) -> None:
    """Every route but the open ones needs a session, or HTTP Basic credentials of a user."""
    @server.before_request
    def require_user():
        if flask.request.path in OPEN_PATHS or current_user.is_authenticated:
            return None
        auth = flask.request.authorization
        if auth is not None and auth.type == "basic":
            result = verdict(auth.username or "", auth.password or "")
            if result == "ok":
                flask.g.user = auth.username
                return None
            if result == "limited":
                return _refuse(429, "too many failed sign-ins; try again later", False)
            return _refuse(401, "wrong name or password", True)
        if flask.request.method == "GET" and \
                flask.request.accept_mimetypes.accept_html and \
                not flask.request.path.startswith(("/_dash", "/assets", "/_reload")):
            return flask.redirect("/login?" + urlencode(
                {"next": flask.request.full_path.rstrip("?")}))
        return _refuse(401, "sign-in required", "text/html" not in
                       flask.request.headers.get("Accept", ""))


def _sign_in_routes(server: flask.Flask, verdict) -> None:
    """The sign-in page (a form posting name and password) and sign-out."""
    @server.route("/login", methods=["GET", "POST"])
    def login():
        if flask.request.method == "GET":
            return login_page(next_path=flask.request.args.get("next", "/"))
        form = flask.request.form
        next_path = form.get("next", "/")
        result = verdict(form.get("username", ""), form.get("password", ""))
        if result == "limited":
            return login_page("Too many failed sign-ins from here; wait a minute and try "
                              "again.", next_path, 429)
        if result == "wrong":
            return login_page("Wrong name or password.", next_path, 401)
        flask.session.clear()  # a fresh session on sign-in
        flask.session.permanent = True
        login_user(User(form["username"]))
        return flask.redirect(_safe_next(next_path))

    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        logout_user()
        flask.session.clear()
        return flask.redirect("/login")
