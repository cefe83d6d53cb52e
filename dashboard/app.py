"""``create_app(settings)``: the Dash app with its layout, callbacks and security headers.

Importing this module loads nothing; ``dashboard.wsgi`` (gunicorn's entry) and the command
line create the app. The app keeps no per-user state: any number of workers can serve.
"""
from __future__ import annotations

import gc
import logging
import re
import uuid
from pathlib import Path

import flask
import flask_bootstrap
from dash import Dash, set_props
from werkzeug.exceptions import HTTPException

from . import auth, cache, callbacks, geo, ids, jobs
from .data.dataset import Dataset
from .data.events import load_events_reported
from .data.loading import load_files, release_memory
from .layout import build_layout
from .paths import ASSETS, BASEMAP
from .settings import Settings

BASEMAP_ASSET = BASEMAP.relative_to(ASSETS).as_posix() + "/"  # under the assets URL
BOOTSTRAP_CSS = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css"
log = logging.getLogger("dashboard")
# Dash's renderer with a hook on every callback answer: a grid's rows sent as columns and
# values become the grid's records before Dash applies them (assets/dashboard.js).
RENDERER = ("var renderer = new DashRenderer({request_post: function (payload, response) "
            "{ window.dash_clientside.pmd.gridRecords(response); }});")
POLYFILL = re.compile(r'<script src="[^"]*/dash/deps/polyfill@[^"]*"></script>\s*')


class DashApp(Dash):
    """Dash, its page served without the Babel polyfill bundle it puts before every other
    script (@babel/polyfill: all of core-js 2 and regenerator-runtime, for browsers without
    ES2017). Its feature tests and replacements cost every page load 50-60 ms of the main
    thread in Chromium here (its white-space list predates Unicode 6.3, so it replaced even
    the browser's parseFloat and trims with slower ones that plotly calls through every
    redraw). What Dash's renderer and dcc do call, the global `regeneratorRuntime` of their
    lazy loading, comes from `assets/vendor/regenerator-runtime.js` (npm's
    regenerator-runtime, unchanged), which Dash serves before its renderer. The page is
    Dash's own in every other way (`interpolate_index` is its hook for that)."""

    def interpolate_index(self, **kwargs):
        kwargs["scripts"] = POLYFILL.sub("", kwargs["scripts"])
        return super().interpolate_index(**kwargs)


def content_security_policy(script_hashes: list[str]) -> str:
    """Only this origin: no CDN, no remote font or tile can load (offline by construction).
    Dash's inline scripts are allowed by hash; AG Grid and plotly need inline styles."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def callback_error(exc: Exception) -> None:
    """A callback failed: log it with a request id; show the user the id, never a traceback."""
    rid = flask.g.get("request_id", "-") if flask.has_request_context() else "-"
    log.error("callback failed (request %s)", rid, exc_info=exc)
    set_props(ids.NOTICE, {"children": f"Something went wrong on the server; the view was "
                                         f"not updated. Request id: {rid}.", "is_open": True,
                             "color": "danger"})


def load_dataset(settings: Settings) -> Dataset:
    """The data the settings name, every problem logged."""
    result = load_files(settings.data, fmt=settings.fmt, duplicates=settings.duplicates,
                        max_bytes=settings.max_file_bytes, options=settings.load_options)
    for message in result.file_errors:
        log.error("error: %s", message)
    for problem in result.problems:
        log.warning("%s", problem)
    for line in result.left_out_lines():
        log.info("%s", line)
    log.info("%s", result.summary())
    events, event_problems, error = load_events_reported(settings.events)
    if error:
        log.error("error: %s (no key events drawn)", error)
    for problem in event_problems:
        log.warning("%s", problem)
    ds = Dataset.from_result(result, events=events)
    ds.arrays  # noqa: B018 - built now, not in the first user's first view
    release_memory()  # what loading and the arrays' work freed, back to the system
    return ds


def data_version(settings: Settings | None, ds: Dataset) -> str:
    """The data's version for the shared cache: a hash of the files the settings name, or of
    the incidents themselves for a dataset made in process."""
    if settings is None:
        return cache.dataset_version(ds)
    return cache.files_version(settings.data, settings.fmt, settings.duplicates)


def _harden(server, settings: Settings, csp: str) -> None:
    """Request ids, sign-in when a users file is set, security headers, opaque errors."""
    @server.before_request
    def request_id():
        flask.g.request_id = uuid.uuid4().hex[:12]

    if settings.users_file:  # after the request id, before every route
        auth.install(server, settings.users_file, secret_key=settings.secret_key,
                     limit=settings.login_limit, redis_url=settings.redis_url)

    @server.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["X-Request-ID"] = flask.g.get("request_id", "")
        return response

    @server.errorhandler(Exception)
    def server_error(exc):
        if isinstance(exc, HTTPException):
            return exc
        rid = flask.g.get("request_id", "-")
        log.exception("request %s failed", rid)
        return flask.jsonify(error="internal error", request_id=rid), 500


def _routes(server, ds) -> None:
    """Bootstrap's CSS from the installed package, and the health check."""
    @server.route("/vendor/bootstrap/<path:name>")
    def bootstrap_css(name: str):
        """Bootstrap 5 CSS from the installed Bootstrap-Flask package (no CDN)."""
        return flask.send_from_directory(BOOTSTRAP_CSS, name, max_age=86400)

    @server.route("/healthz")
    def healthz():
        return flask.jsonify(status="ok", incidents=int(len(ds.incidents)))


def preload_links(app: Dash) -> str:
    """The map's outlines and district polygons asked for with the page, not only once the
    map first draws (plotly fetches them then; the preloaded answers are reused)."""
    return "".join(f'<link rel="preload" href="{app.get_asset_url(name)}" as="fetch" '
                   'crossorigin="anonymous">'
                   for name in (BASEMAP_ASSET + "asia_50m.json", geo.GEOJSON_ASSET))


def create_app(settings: Settings | None = None, dataset: Dataset | None = None) -> Dash:
    """The Dash app on `dataset`, or on the data the settings name (default: the shipped
    incidents)."""
    ds = dataset if dataset is not None else load_dataset(settings or Settings())
    version = data_version(settings, ds)
    settings = settings or Settings()
    app = DashApp(
        __name__,
        title="Pakistan Militancy Dashboard",
        assets_folder=str(ASSETS),
        external_stylesheets=["/vendor/bootstrap/bootstrap.min.css"],
        serve_locally=True,
        update_title=None,
        on_error=callback_error,
        compress=True,  # flask-compress: every answer zstd/brotli/gzip as the browser takes
    )
    app.renderer = RENDERER
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    server = app.server
    if settings.proxy_hops:  # X-Forwarded-For/-Proto/-Host of that many proxies are trusted
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = settings.proxy_hops
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if settings.secret_key:
        server.secret_key = settings.secret_key
    _harden(server, settings, content_security_policy(
        app.csp_hashes()))
    _routes(server, ds)
    app.dataset = ds  # read-only; the CLI and tests inspect it
    app.celery = jobs.celery_app(settings) if settings.redis_url else None
    app.jobs = jobs.manager(settings, app.celery)
    app.aggregate_cache = cache.make(server, settings.redis_url, version,
                                     settings.cache_seconds)
    app.index_string = app.index_string.replace("{%css%}", preload_links(app) + "{%css%}")
    app.layout = build_layout(ds, app.get_asset_url(BASEMAP_ASSET))
    callbacks.register(app, ds, app.jobs, app.aggregate_cache)
    return app


def freeze_imports() -> None:
    """Leave every object made so far (the imports': modules, classes, plotly's and pandas'
    tables, about 120,000 that live as long as the process) out of all later garbage
    collections. A full collection otherwise walks them all, and giving the memory back
    (``release_memory``) makes four while a million rows load: 0.25 s of the start here,
    0.03 s when they are frozen. The automatic collections have left no garbage among them
    by then. For a serving process only (``python -m dashboard``, ``dashboard.wsgi``; under
    gunicorn --preload also what Python's documentation advises before the workers fork)."""
    gc.freeze()


def warm_up(app: Dash) -> None:
    """Render the default view once and throw it away, so that a new process's first visitor
    does not pay for plotly's first use of each trace type, the map's outlines read and the
    default view's aggregations (kept in the shared cache): about 120 ms of the first answer
    on the shipped data here (0.2 s of start-up; 0.4 s at a million rows, which gives back
    the memory the view took). A failure is logged, never raised: the server serves anyway."""
    from . import aggregate
    from .callbacks import render, table
    from .filters import ViewState
    try:
        view = aggregate.View(app.dataset, ViewState(), app.aggregate_cache)
        with app.server.test_request_context("/"):
            render.rendered(view)
            table.table(view)
        del view
        release_memory()  # what the view's masks and frames took, given back
    except Exception:  # noqa: BLE001 - the first visitor's answer reports it, if it recurs
        log.exception("warming up the default view failed; the first visitor waits longer")
