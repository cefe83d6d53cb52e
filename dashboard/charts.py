"""The chart registry: one entry per chart, from which the layout, the render and click
callbacks, the briefing pack, the SVG buttons and the tests are derived.

Adding a chart is one entry here plus its figure function in ``figures``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import plotly.graph_objects as go

from . import clicks, figures
from .aggregate import View

TAB_LABELS = {"overview": "Overview", "compare": "Group comparison",
              "published": "Published figures", "targets": "Target trends",
              "change": "What changed"}


@dataclass(frozen=True)
class Chart:
    name: str  # also the SVG button's key and the camera file name's start
    tab: str  # the analyst view it is drawn on (a key of TAB_LABELS)
    # (view, base URL, frame) -> figure; frame "briefing" (exports) or "screen" (the page)
    figure: Callable[..., go.Figure]
    export: str  # its PNG in the briefing pack (sorted by this name), without '.png'
    click: clicks.Click | None = None  # what a click (or selection) sets; None: nothing
    event: str = "clickData"  # the graph property the click or selection arrives in
    # the figure function's options for the briefing pack's slides, as (keyword, value) pairs
    pack_options: tuple[tuple[str, object], ...] = ()

    @property
    def graph_id(self) -> str:
        return "graph-" + self.name.replace("_", "-")


# In screen order within each tab.
CHARTS = (
    Chart("district", "overview", figures.district_figure, "01_district",
          clicks.Toggle("district"), pack_options=(("only_attacked", True),)),
    Chart("map", "overview", figures.map_figure, "04_map", clicks.polygon),
    Chart("target", "overview", figures.target_figure, "02_target",
          clicks.Toggle("target_type")),
    Chart("timeline", "overview", figures.timeline_figure, "03_timeline", clicks.date_range,
          event="selectedData"),
    Chart("compare_districts", "compare", figures.compare_districts_figure,
          "05_compare_districts", clicks.Toggle("district")),
    Chart("compare_footprint", "compare", figures.compare_footprint_figure,
          "10_compare_footprint", clicks.polygon),
    Chart("compare_years", "compare", figures.compare_years_figure, "06_compare_years",
          clicks.year),
    Chart("published", "published", figures.published_figure, "07_published",
          clicks.published_bar),
    Chart("target_share", "targets", figures.target_share_figure, "08_target_share",
          clicks.Toggle("target_type")),
    Chart("human_targets", "targets", figures.human_targets_figure, "09_human_targets",
          clicks.Toggle("target_type")),
    Chart("change", "change", figures.change_figure, "11_change", clicks.Toggle("district")),
)
BY_NAME = {c.name: c for c in CHARTS}
BY_GRAPH_ID = {c.graph_id: c for c in CHARTS}


def on_tab(tab: str) -> tuple[Chart, ...]:
    return tuple(c for c in CHARTS if c.tab == tab)


def for_export() -> tuple[Chart, ...]:
    return tuple(sorted(CHARTS, key=lambda c: c.export))
