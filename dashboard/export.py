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
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from . import aggregate, figures, geo
from .aggregate import View
from .charts import for_export
from .data.schema import COLUMNS, count_text
from .filters import ViewState
from .paths import TOPOJSON
from .reference import split_list

# Charts are laid out at 1280x720 and rendered at scale 1.5: 1920x1080 pixels with type large
# enough for a projector.
LAYOUT_W, LAYOUT_H, SCALE = 1280, 720, 1.5
TOP_INCIDENTS = 10
SOURCES_PER_SLIDE = 24
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
        pio.defaults.topojson = TOPOJSON.as_uri() + "/"
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
    files, timings, slides = [], [], []
    charts = for_export()
    progress(0, len(charts), "charts")
    for chart in charts:
        fig = figures.fit_to_height(chart.figure(view, base_url), LAYOUT_H)
        fig.update_layout(width=LAYOUT_W)
        start = time.perf_counter()
        png = render_png(fig)
        timings.append(time.perf_counter() - start)
        path = out / f"{chart.export}.png"
        path.write_bytes(png)
        files.append(path)
        slides.append((fig.layout.title.text.removeprefix("<b>").removesuffix("</b>"), path))
        progress(len(slides), len(charts), "charts")
    files.append(_write_csv(incidents, out / "incidents.csv"))
    files.append(_write_sources(view, incidents, out / "sources.md", base_url))
    files.append(_write_pptx(view, incidents, slides, out / "briefing.pptx", base_url,
                             progress))
    return Pack(files, len(incidents), timings)


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
    lines = ["# Sources for this view", "",
             f"Filters: {figures.subtitle(v.state).removeprefix('Filters: ')}",
             f"View: {v.state.link(base_url)}",
             f"{len(incidents)} incidents; data to {v.ds.as_of}.", ""]
    if incidents.empty:
        lines.append("This view is empty: no incident matches these filters.")
    for _, row in incidents.iterrows():
        lines.append(f"## {row['incident_id']}: {row['date']:%Y-%m-%d}, {row['district']}, "
                     f"{row['group']}")
        lines += [f"- <{url}>" for url in split_list(row["source_urls"])]
        if not split_list(row["source_urls"]) and _text(row.get("source_text")):
            lines.append(f"- Cited without a URL: {_text(row['source_text'])}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _text_slide(prs, title: str, paragraphs: list[str], size: int = 20):
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.word_wrap = True
    for i, text in enumerate(paragraphs):
        p = body.paragraphs[0] if i == 0 else body.add_paragraph()
        p.text = text
        p.font.size = Pt(size)
    return slide


def _write_pptx(v: View, incidents: pd.DataFrame, charts: list[tuple[str, Path]], path: Path,
                base_url: str, progress: Callable[[int, int, str], None] = _no_progress
                ) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    sources = _source_chunks(incidents)
    total = 1 + len(charts) + 1 + int(incidents.empty) + len(sources)

    def done():
        progress(len(prs.slides), total, "slides")

    progress(0, total, "slides")
    _title_slide(prs, v, incidents, base_url)
    done()
    for chart_title, png in charts:
        _chart_slide(prs, chart_title, png)
        done()
    _top_incidents_slide(prs, incidents)
    done()
    if incidents.empty:
        _text_slide(prs, "Incidents", ["This view is empty: no incident matches these filters."])
        done()
    _source_slides(prs, sources, done)
    prs.save(path)
    return path


def _title_slide(prs, v: View, incidents: pd.DataFrame, base_url: str) -> None:
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Militant attacks in Pakistan: briefing"
    collections = ", ".join(v.ds.values("collection"))
    empty = " This view is empty: no incident matches these filters." if incidents.empty else ""
    title.placeholders[1].text = (
        f"{figures.subtitle(v.state)}\nMade {date.today():%d %b %Y}; data to {v.ds.as_of}; "
        f"{len(incidents)} incidents.{empty}\nCoverage: sourced incidents only, below "
        f"published totals; collections ({collections}) follow different inclusion rules.\n"
        f"View: {v.state.link(base_url)}")
    for paragraph in title.placeholders[1].text_frame.paragraphs:
        paragraph.font.size = Pt(16)


def _chart_slide(prs, chart_title: str, png: Path) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = chart_title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(24)
    top = Inches(1.3)
    height = prs.slide_height - top - Inches(0.1)
    width = Emu(int(height * LAYOUT_W / LAYOUT_H))
    slide.shapes.add_picture(str(png), int((prs.slide_width - width) / 2), top,
                             width=width, height=height)


def _top_incidents_slide(prs, incidents: pd.DataFrame) -> None:
    top = incidents.sort_values(["killed", "date"], ascending=[False, False],
                                na_position="last").head(TOP_INCIDENTS)
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = f"Top incidents of this view by killed (of {len(incidents)})"
    header = ["Date", "District", "Group", "Target", "Attack", "Killed", "Injured", "Id"]
    rows = len(top) + 1
    table = slide.shapes.add_table(rows, len(header), Inches(0.4), Inches(1.4),
                                   prs.slide_width - Inches(0.8), Inches(0.4) * rows).table
    for j, h in enumerate(header):
        table.cell(0, j).text = h
    for i, (_, r) in enumerate(top.iterrows(), 1):
        cells = [f"{r['date']:%Y-%m-%d}", r["district"], r["group"], r["target_type"],
                 r["attack_type"], count_text(r["killed"]), count_text(r["injured"]),
                 r["incident_id"]]
        for j, value in enumerate(cells):
            table.cell(i, j).text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(12)


def _source_chunks(incidents: pd.DataFrame) -> list[list[str]]:
    """The source lines of the view, one list per slide (at least one, maybe empty)."""
    sources = [f"{r['incident_id']}: {url}" for _, r in incidents.iterrows()
               for url in (split_list(r["source_urls"]) or [
                   f"(no URL) {_text(r.get('source_text'))}"])]
    return [sources[i:i + SOURCES_PER_SLIDE]
            for i in range(0, len(sources), SOURCES_PER_SLIDE)] or [[]]


def _source_slides(prs, chunks: list[list[str]], done: Callable[[], None]) -> None:
    for n, chunk in enumerate(chunks, 1):
        label = f"Sources ({n}/{len(chunks)})" if len(chunks) > 1 else "Sources"
        _text_slide(prs, label, chunk or ["No incident, so no source, in this view."], size=10)
        done()


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)
