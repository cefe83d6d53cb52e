"""Callbacks, kept thin and split by job.

``controller``: the view callback, one round trip per event (URL, click, selection, chip,
a chart table's row, control): the new ViewState, mirrored in the controls and the URL, with
``render``'s charts (only what changed), numbers and chips, ``a11y``'s titles, summaries and
tables of the charts, and ``table``'s rows for it. ``render`` and ``a11y`` also register the
browser's own callbacks. ``pack``: the briefing pack. ``details``: one incident's dialog.
"""
from __future__ import annotations

from . import a11y, controller, details, pack, render


def register(app, ds, manager, cache=None) -> None:
    """`manager` runs the briefing packs in the background (``dashboard.jobs``); `cache`
    shares the aggregations (``dashboard.cache``)."""
    controller.register(app, ds, cache)
    details.register(app, ds)
    render.register(app)
    a11y.register(app, ds, cache)
    pack.register(app, ds, manager)
