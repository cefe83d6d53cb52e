"""The briefing pack button: the view's pack as one ZIP download."""
from __future__ import annotations

import logging
import tempfile

from dash import Input, Output, State, dcc, no_update

from .. import aggregate, export, ids
from ..filters import ViewState
from .common import base_url

log = logging.getLogger("dashboard")


def register(app, ds) -> None:
    @app.callback(
        output={"download": Output(ids.EXPORT_DOWNLOAD, "data"),
                "status": Output(ids.EXPORT_STATUS, "children")},
        inputs={"clicks": Input(ids.EXPORT_BUTTON, "n_clicks")},
        state={"stored": State(ids.STATE, "data")},
        prevent_initial_call=True,
        running=[(Output(ids.EXPORT_BUTTON, "disabled"), True, False)],
    )
    def pack(clicks, stored):
        state = ViewState.from_dict(stored)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                data, name = export.zip_pack(ds, state, tmp, base_url())
        except export.ExportError as exc:
            log.error("briefing pack failed: %s", exc)
            return {"download": no_update, "status": f"Could not make the pack: {exc}"}
        empty = (" (the view is empty; the pack says so)"
                 if aggregate.totals(aggregate.View(ds, state)).attacks == 0 else "")
        return {"download": dcc.send_bytes(data, name), "status": f"Downloaded {name}{empty}"}
