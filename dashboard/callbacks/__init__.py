"""Callbacks, kept thin and split by job.

``controller``: the view callback, one round trip per event (URL, click, selection, chip,
control): the new ViewState, mirrored in the controls and the URL, with ``render``'s charts
(only what changed), numbers and chips and ``table``'s rows for it. ``render`` also registers
the browser's own callbacks. ``pack``: the briefing pack. ``details``: one incident's dialog.
"""
from __future__ import annotations

from . import controller, details, pack, render


def register(app, ds, manager, cache=None) -> None:
    """`manager` runs the briefing packs in the background (``dashboard.jobs``); `cache`
    shares the aggregations (``dashboard.cache``)."""
    controller.register(app, ds, cache)
    details.register(app, ds)
    render.register(app)
    pack.register(app, ds, manager)
