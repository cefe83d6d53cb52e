"""The briefing pack button: the view's pack as one ZIP download, built as a background job
(``dashboard.jobs``), never in a web worker. The status line says how far it is ('3 of 9'
charts, then slides); Cancel stops it; a failure names what failed and a request id that the
job's log carries beside the traceback."""
from __future__ import annotations

import logging
import tempfile
import uuid
from urllib.parse import urlsplit

from dash import Input, Output, State, dcc, no_update

from .. import aggregate, export, ids, jobs
from ..filters import ViewState

log = logging.getLogger("dashboard")
STAGES = {"charts": "Rendering charts", "slides": "Writing slides"}


def origin(href: str | None) -> str:
    """The page's scheme and host, for the view links in the pack ('' if not http(s))."""
    parts = urlsplit(href or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


def make_pack(ds, stored: dict | None, href: str | None, set_progress) -> dict:
    """The job: the pack as a download and the status line, or the status of a failure."""
    jobs.lower_priority()
    state = ViewState.from_dict(stored)
    where = {"stage": "starting"}

    def progress(done: int, total: int, stage: str) -> None:
        where["stage"] = f"{STAGES[stage].lower()}, {done} of {total} done"
        set_progress(f"{STAGES[stage]}: {done} of {total}")

    set_progress("Starting the pack...")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data, name = export.zip_pack(ds, state, tmp, origin(href), progress)
    except Exception as exc:  # noqa: BLE001 - the user sees what failed and an id, no trace
        rid = uuid.uuid4().hex[:12]
        log.error("briefing pack failed while %s (request %s)", where["stage"], rid,
                  exc_info=exc)
        what = str(exc) if isinstance(exc, export.ExportError) else \
            f"the server failed while {where['stage']}"
        return {"download": no_update,
                "status": f"Could not make the pack: {what}. Request id: {rid}."}
    empty = (" (the view is empty; the pack says so)"
             if aggregate.totals(aggregate.View(ds, state)).attacks == 0 else "")
    return {"download": dcc.send_bytes(data, name), "status": f"Downloaded {name}{empty}"}


def register(app, ds, manager) -> None:
    @app.callback(
        output={"download": Output(ids.EXPORT_DOWNLOAD, "data"),
                "status": Output(ids.EXPORT_STATUS, "children")},
        inputs={"clicks": Input(ids.EXPORT_BUTTON, "n_clicks")},
        state={"stored": State(ids.STATE, "data"), "href": State(ids.URL, "href")},
        prevent_initial_call=True,
        background=True,
        manager=manager,
        interval=500,
        progress=Output(ids.EXPORT_STATUS, "children"),
        progress_default="",
        running=[(Output(ids.EXPORT_BUTTON, "disabled"), True, False),
                 (Output(ids.EXPORT_CANCEL, "disabled"), False, True)],
        cancel=[Input(ids.EXPORT_CANCEL, "n_clicks")],
    )
    def pack(set_progress, clicks, stored, href):
        return make_pack(ds, stored, href, set_progress)

    @app.callback(Output(ids.EXPORT_STATUS, "children", allow_duplicate=True),
                  Input(ids.EXPORT_CANCEL, "n_clicks"), prevent_initial_call=True)
    def cancelled(clicks):
        return "Pack cancelled." if clicks else no_update
