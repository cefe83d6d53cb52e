"""Briefing pack: one PNG per chart, briefing.pptx, incidents.csv and sources.md for one view.

The browser button and ``python -m dashboard export`` both call ``write_pack``, so the same
data and query give the same files. Images are rendered server-side by kaleido with the
system Chromium (its server is started once per process, without MathJax); map outlines come
from the local files that ``plotly.io.defaults.topojson`` points at.
"""
from __future__ import annotations

import io
import os
import re
import threading
import time
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.io as pio
from . import aggregate, citations, figures, geo
from .aggregate import View
from .charts import for_export
from .data.schema import COLUMNS
from .filters import ViewState
from .paths import BASEMAP
from .reference import split_list

# Charts are laid out at 1280x720 and rendered at scale 1.5: 1920x1080 pixels with type large
# enough for a projector.
LAYOUT_W, LAYOUT_H, SCALE = 1280, 720, 1.5
_renderer_lock = threading.Lock()
_renderer_pid = 0  # the process whose Chromium is running (a forked child starts its own)


class ExportError(Exception):
    """A pack that cannot be made: the message says why, in one line."""


@dataclass
class Pack:
    files: list[Path]
    incidents: int
    seconds_per_image: list[float]


def slug(state: ViewState, today: date | None = None) -> str:
    """A file-name part that says the filters and the date, e.g. group-IS-K_district-Mastung."""
    f = state.filters
    parts = []
    for dim, value, _ in f.describe():
        parts.append(f"{dim}-{value}" if value else dim)
    if f.date_from or f.date_to:
        parts = [p for p in parts if p != "date"] + [f"{f.date_from or ''}to{f.date_to or ''}"]
    text = "_".join(parts) or "all"
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80]
    return f"{text}_{(today or date.today()).isoformat()}"


def start_renderer() -> None:
    """Start kaleido's Chromium once per process."""
    global _renderer_pid
    with _renderer_lock:
        if _renderer_pid == os.getpid():
            return
        pio.defaults.topojson = BASEMAP.as_uri() + "/"
        try:
            import kaleido
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        except Exception as exc:  # kaleido/choreographer raise several types
            raise ExportError(f"cannot start Chromium to render images ({exc}); install "
                              "Debian's chromium package (apt-get install chromium)") from None
        _renderer_pid = os.getpid()


def with_polygons(fig):
    """A map's polygons inline (kaleido cannot fetch the page's asset URL)."""
    for trace in fig.data:
        if trace.type == "choropleth" and isinstance(trace.geojson, str):
            trace.geojson = geo.geojson()
    return fig


def render_png(fig) -> bytes:
    start_renderer()
    fig = with_polygons(fig)
    try:
        with warnings.catch_warnings():  # plotly notes that a running server ignores kopts
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            return fig.to_image(format="png", width=LAYOUT_W, height=LAYOUT_H, scale=SCALE)
    except Exception as exc:
        raise ExportError(f"Chromium could not render the chart ({exc})") from None


def _writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the output folder {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise ExportError(f"cannot write to the output folder {out}: permission denied")


def _no_progress(done: int, total: int, stage: str) -> None:
    pass


def write_pack(ds, state: ViewState, out: str | Path, base_url: str = "",
               progress: Callable[[int, int, str], None] = _no_progress) -> Pack:
    """Write the pack for one view into `out` (created if needed).

    `progress(done, total, stage)` is told each step: stage "charts" after each chart is
    rendered (done of the charts), then "slides" after each slide of briefing.pptx. It
    only reports: the files are the same with or without it."""
    out = Path(out)
    _writable(out)
    view = View(ds, state)
    incidents = aggregate.incident_rows(view)
    files, timings, pictures = [], [], []
    charts = for_export()
    progress(0, len(charts), "charts")
    for chart in charts:
        fig = figures.fit_to_height(chart.figure(view, base_url, **dict(chart.pack_options)),
                                    LAYOUT_H)
        fig.update_layout(width=LAYOUT_W)
        start = time.perf_counter()
        png = render_png(fig)
        timings.append(time.perf_counter() - start)
        path = out / f"{chart.export}.png"
        path.write_bytes(png)
        files.append(path)
        scope = aggregate.comparison_view(view) if chart.tab == "compare" else view
        pictures.append((chart_title(fig), path, scope))
        progress(len(pictures), len(charts), "charts")
    files.append(_write_csv(incidents, out / "incidents.csv"))
    files.append(_write_sources(view, incidents, out / "sources.md", base_url))
    from . import slides  # python-pptx loads with the first pack, not at the app's start
    files.append(slides.write_pptx(view, incidents, pictures, out / "briefing.pptx",
                                   base_url, progress))
    return Pack(files, len(incidents), timings)


def chart_title(fig) -> str:
    """A figure's title as plain text (the slide's picture carries it as its alt text)."""
    return re.sub(r"<[^>]+>", "", fig.layout.title.text or "")


def zip_pack(ds, state: ViewState, workdir: str | Path, base_url: str = "",
             progress: Callable[[int, int, str], None] = _no_progress) -> tuple[bytes, str]:
    """The pack as one ZIP (bytes) and its file name."""
    pack = write_pack(ds, state, workdir, base_url, progress)
    name = f"briefing_{slug(state)}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in pack.files:
            zf.write(path, f"{name}/{path.name}")
    return buffer.getvalue(), f"{name}.zip"


# ---------------------------------------------------------------------- the files
def _write_csv(incidents: pd.DataFrame, path: Path) -> Path:
    table = incidents[[c for c in COLUMNS if c in incidents.columns]].copy()
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table.to_csv(path, index=False, encoding="utf-8")
    return path


def _write_sources(v: View, incidents: pd.DataFrame, path: Path, base_url: str) -> Path:
    """Every source of the view, per incident: outlet, date, title where known, and the
    decoded URL as a link (the same citations as the slides and the incident dialog)."""
    lines = ["# Sources for this view", "",
             f"Filters: {figures.subtitle(v.state).removeprefix('Filters: ')}",
             f"View: {v.state.link(base_url)}",
             f"{len(incidents)} incidents; data to {v.ds.as_of}.", ""]
    if incidents.empty:
        lines.append("This view is empty: no incident matches these filters.")
    for _, row in incidents.iterrows():
        lines.append(f"## {citations.heading(row)}")
        for c in citations.incident_citations(row):
            shown = re.sub(r"([\\\[\]])", r"\\\1", c.shown)
            lines.append(f"- {c.text()}: [{shown}](<{c.url}>)" if c.is_link
                         else f"- {c.text()}: {c.shown}")
        if not split_list(row["source_urls"]) and _text(row.get("source_text")):
            lines.append(f"- Cited without a URL: {_text(row['source_text'])}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)
