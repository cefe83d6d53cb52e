"""Callbacks, kept thin and split by job; each module registers its own.

``controller``: every event (URL, click, selection, chip, control) becomes a new ViewState;
the controls and the URL mirror it. ``render``: the active tab's charts, the numbers and the
chips as functions of it. ``table``: the incident table. ``pack``: the briefing pack.
``details``: one incident's dialog. ``a11y``: each chart's name, summary and table.
"""
from __future__ import annotations

from . import a11y, controller, details, pack, render, table


def register(app, ds, manager, cache=None) -> None:
    """`manager` runs the briefing packs in the background (``dashboard.jobs``); `cache`
    shares the aggregations (``dashboard.cache``)."""
    for module in (controller, table, details):
        module.register(app, ds)
    render.register(app, ds, cache)
    a11y.register(app)
    pack.register(app, ds, manager)
