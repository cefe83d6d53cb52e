"""briefing.pptx: a title slide, a summary slide of the view's numbers, one slide per chart
(the picture across the slide, the filters and the data's lineage in the speaker notes), the
view's top incidents and the sources as citations. 16:9; every text is an editable text box
or placeholder laid out inside the slide.

The numbers come from the same aggregations as the page (``aggregate.totals``,
``by_district``, ``by_target``); the citations from ``citations`` like sources.md and the
incident dialog.
"""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Callable
from urllib.parse import unquote_plus

import pandas as pd
from pptx import Presentation
from pptx.util import Inches, Pt

from . import aggregate, citations, figures
from .aggregate import View
from .data.schema import count_text

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TEXT_W = SLIDE_W - 2 * MARGIN
BODY_TOP = Inches(1.35)
TOP_INCIDENTS = 10
TOP_N = 3  # districts and target types named on the summary slide
SOURCE_PT = 11
SOURCE_LINES = 30  # lines of citations a slide holds at SOURCE_PT (the box has room for 33)
CHARS_PER_LINE = 140  # at SOURCE_PT across TEXT_W, counted wide (about 160 fit)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY, LAYOUT_BLANK = 0, 5, 6


def _no_progress(done: int, total: int, stage: str) -> None:
    pass


def write_pptx(v: View, incidents: pd.DataFrame, charts: list[tuple[str, Path, View]],
               path: Path, base_url: str,
               progress: Callable[[int, int, str], None] = _no_progress) -> Path:
    """`charts`: each chart's title, its PNG and the view it counts in (for its notes)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    sources = source_pages(incidents)
    total = 2 + len(charts) + 1 + int(incidents.empty) + len(sources)
    lineage = notes(v, base_url)

    def done():
        progress(len(prs.slides), total, "slides")

    progress(0, total, "slides")
    _title_slide(prs, v, incidents, base_url)
    done()
    summary_slide(prs, v, lineage)
    done()
    for chart_title, png, scope in charts:
        chart_slide(prs, chart_title, png, notes(v, base_url, scope))
        done()
    _top_incidents_slide(prs, incidents)
    done()
    if incidents.empty:
        _text_slide(prs, "Incidents", ["This view is empty: no incident matches these filters."])
        done()
    for n, page in enumerate(sources, 1):
        _source_slide(prs, page, n, len(sources))
        done()
    prs.save(path)
    return path


# ---------------------------------------------------------------------- text boxes
def _fill(frame, paragraphs: list[tuple[str, int, bool]]) -> None:
    """Paragraphs of (text, points, bold) into a text frame, wrapped inside its box."""
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _run(p, text, size, bold)


def _run(paragraph, text: str, size: int, bold: bool = False):
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    return run


def _box(slide, name: str, left, top, width, height,
         paragraphs: list[tuple[str, int, bool]]):
    shape = slide.shapes.add_textbox(left, top, width, height)
    shape.name = name
    _fill(shape.text_frame, paragraphs)
    return shape


def _titled(prs, title: str, layout: int = LAYOUT_TITLE_ONLY):
    """A slide whose title sits across the top in one line (two for a long title)."""
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, Inches(0.3), TEXT_W, Inches(0.95)
    size = 28 if len(title) <= 60 else max(18, int(28 * 60 / len(title)))
    t.text_frame.word_wrap = True
    _run(t.text_frame.paragraphs[0], title, size)
    return slide


def _text_slide(prs, title: str, paragraphs: list[str], size: int = 20):
    slide = _titled(prs, title)
    _box(slide, "body", MARGIN, BODY_TOP, TEXT_W, SLIDE_H - BODY_TOP - Inches(0.4),
         [(p, size, False) for p in paragraphs])
    return slide


def _link(paragraph, text: str, url: str, size: int) -> None:
    _run(paragraph, text, size).hyperlink.address = url


# ---------------------------------------------------------------------- lineage
def collections_in_view(v: View) -> list[str]:
    column = v.ds.incidents["collection"].to_numpy(dtype=object)[v.mask()]
    return sorted({str(c) for c in column if c == c and c is not None})


def inclusion_rules(v: View) -> list[str]:
    """Each collection in view with its name and inclusion rule (data/collections.csv)."""
    table = v.ds.reference.collections
    out = []
    for c in collections_in_view(v):
        if c in table.index:
            out.append(f"{c} ({table.at[c, 'name']}): {table.at[c, 'inclusion_rule']}")
        else:
            out.append(f"{c}: inclusion rule not documented (a user-supplied file)")
    return out or ["No collection: no incident in view."]


def shown_link(v: View, base_url: str) -> str:
    """The view's permalink decoded for reading ('District: Dera Bugti', not 'Dera+Bugti')."""
    return unquote_plus(v.state.link(base_url))


def notes(v: View, base_url: str, scope: View | None = None) -> str:
    """The speaker notes of the summary and chart slides: the data's lineage. `scope`: the
    view a chart counts in where it is not the page's (the group comparison's own rule)."""
    scope = scope or v
    counted = int(scope.mask().sum())
    own = "" if scope is v else (f" ({counted} behind this chart: the group comparison "
                                 "drops the group filter and applies its own rule)")
    return "\n".join([
        figures.subtitle(v.state),
        "Collections in view and their inclusion rules:",
        *[f"- {rule}" for rule in inclusion_rules(scope)],
        f"Data to {v.ds.as_of or 'n/a'}; {int(v.mask().sum())} incidents in view{own}; every "
        "incident has its sources (last slides, sources.md).",
        f"View: {v.state.link(base_url)}",
    ])


# ---------------------------------------------------------------------- slides
def _title_slide(prs, v: View, incidents: pd.DataFrame, base_url: str) -> None:
    slide = _titled(prs, "Militant attacks in Pakistan: briefing", LAYOUT_TITLE)
    slide.shapes.title.top, slide.shapes.title.height = Inches(1.2), Inches(1.2)
    body = slide.placeholders[1]
    body.left, body.top, body.width, body.height = MARGIN, Inches(2.7), TEXT_W, Inches(4.3)
    collections = ", ".join(collections_in_view(v)) or "none"
    empty = " This view is empty: no incident matches these filters." if incidents.empty else ""
    _fill(body.text_frame, [
        (figures.subtitle(v.state), 18, False),
        (f"Made {date.today():%d %b %Y}; data to {v.ds.as_of}; {len(incidents)} incidents."
         f"{empty}", 16, False),
        (f"Coverage: sourced incidents only, below published totals; collections in view "
         f"({collections}) follow different inclusion rules.", 16, False),
        ("View: ", 16, False)])
    last = body.text_frame.paragraphs[-1]
    _link(last, shown_link(v, base_url), v.state.link(base_url), 16)


def chart_slide(prs, chart_title: str, png: Path, lineage: str) -> None:
    """The chart's picture across the whole slide: its own title, subtitle and footer are in
    the image, so the slide has no second title; the title is the picture's alt text."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_BLANK])
    picture = slide.shapes.add_picture(str(png), 0, 0, width=SLIDE_W)
    picture.top = int((SLIDE_H - picture.height) / 2)
    picture.name = chart_title
    picture._element.nvPicPr.cNvPr.set("descr", chart_title)
    slide.notes_slide.notes_text_frame.text = f"{chart_title}\n{lineage}"


def top_rows(table: pd.DataFrame, selected: tuple[str, ...], n: int = TOP_N
             ) -> list[tuple[str, int]]:
    """The first `n` rows of a count table (most first) with attacks, only the selected
    ones when a filter selects some: (name, attacks)."""
    totals = table.sum(axis=1)
    if selected:
        totals = totals[totals.index.isin(list(selected))]
    totals = totals[totals > 0]
    return [(str(k), int(c)) for k, c in totals.head(n).items()]


def _measure(t: aggregate.Totals, measure: str) -> list[tuple[str, int, bool]]:
    """A count as the page's headline shows it: the known figure, then its note (the
    sources' range where they differ, the attacks whose count is unknown)."""
    unknown = getattr(t, f"unknown_{measure}")
    note = "; ".join(p for p in (aggregate.range_words(t, measure),
                                 f"+ {unknown} attacks with {measure} unknown"
                                 if unknown else None) if p) or "known figures"
    return [(f"{getattr(t, measure):,}", 40, True), (f"{measure} (known figures)", 18, False),
            (note, 14, False)]


def summary_slide(prs, v: View, lineage: str) -> None:
    """The view's numbers as editable text: attacks, killed and injured (with the unknown
    counts and the sources' ranges), the top districts and target types, the coverage."""
    t = aggregate.totals(v)
    slide = _titled(prs, f"Summary: {figures.title(v, 'attacks')}")
    width = (TEXT_W - Inches(0.6)) / 3
    blocks = [("summary-attacks", [(f"{t.attacks:,}", 40, True), ("attacks", 18, False),
                                   (f"{t.unknown_any} with killed or injured unknown", 14,
                                    False)]),
              ("summary-killed", _measure(t, "killed")),
              ("summary-injured", _measure(t, "injured"))]
    for i, (name, lines) in enumerate(blocks):
        _box(slide, name, MARGIN + int(i * (width + Inches(0.3))), BODY_TOP, int(width),
             Inches(2.1), lines)
    f = v.filters
    for i, (name, heading, rows) in enumerate((
            ("summary-districts", "Top districts (attacks; one across several districts "
             "counts in each)", top_rows(aggregate.by_district(v), f.district)),
            ("summary-targets", "Top target types (attacks)",
             top_rows(aggregate.by_target(v), f.target_type)))):
        lines = [(heading, 16, True)] + [(f"{k}: {n}", 16, False) for k, n in rows]
        _box(slide, name, MARGIN + int(i * TEXT_W / 2), Inches(3.65), int(TEXT_W / 2),
             Inches(1.6), lines if rows else lines + [("none in view", 16, False)])
    collections = "; ".join(str(v.ds.reference.collections.at[c, "name"])
                            if c in v.ds.reference.collections.index else c
                            for c in collections_in_view(v)) or "none"
    _box(slide, "summary-coverage", MARGIN, Inches(5.45), TEXT_W, Inches(1.7), [
        ("Coverage: sourced incidents only, below published totals; killed or injured left "
         "blank in a source is unknown, never zero.", 14, False),
        (f"Collections in view: {collections}. Each has its own inclusion rule (in the "
         "notes).", 14, False)])
    slide.notes_slide.notes_text_frame.text = lineage


def _top_incidents_slide(prs, incidents: pd.DataFrame) -> None:
    top = incidents.sort_values(["killed", "date"], ascending=[False, False],
                                na_position="last").head(TOP_INCIDENTS)
    slide = _titled(prs, f"Top incidents by killed ({len(top)} of {len(incidents)})")
    header = ["Date", "District", "Group", "Target", "Attack", "Killed", "Injured", "Id"]
    rows = len(top) + 1
    table = slide.shapes.add_table(rows, len(header), MARGIN, BODY_TOP, TEXT_W,
                                   Inches(0.4) * rows).table
    for j, share in enumerate((10, 12, 8, 16, 14, 8, 8, 24)):  # percent of the width
        table.columns[j].width = int(TEXT_W * share / 100)
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
                for r in p.runs:
                    r.font.size = Pt(12)


# ---------------------------------------------------------------------- sources
def _lines(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARS_PER_LINE))


def _incident_block(row) -> list[tuple[str, object]]:
    """An incident's heading and its citations (or its sources cited without a URL)."""
    block: list[tuple[str, object]] = [("heading", citations.heading(row))]
    block += [("cite", c) for c in citations.incident_citations(row)]
    text = row.get("source_text")
    if len(block) == 1 and text is not None and not pd.isna(text) and str(text):
        block.append(("text", f"(no URL) {text}"))
    return block


def _cost(item: tuple[str, object]) -> int:
    """Lines an item takes: a URL is one word, so one that does not fit after the citation
    starts a line of its own."""
    kind, value = item
    if kind != "cite":
        return _lines(str(value))
    whole = f"\u2022 {value.text()}: {value.shown}"
    return 1 if len(whole) <= CHARS_PER_LINE else _lines(value.text()) + _lines(value.shown)


def source_pages(incidents: pd.DataFrame) -> list[list[tuple[str, object]]]:
    """The view's citations grouped per incident, cut into slides of SOURCE_LINES lines; an
    incident's block moves whole to the next slide where it fits there, and is split, its
    heading repeated, only where it alone is longer than a slide."""
    pages: list[list] = [[]]
    used = 0
    for _, row in incidents.iterrows():
        block = _incident_block(row)
        if used and used + sum(map(_cost, block)) > SOURCE_LINES:
            pages.append([])
            used = 0
        for item in block:
            if used + _cost(item) > SOURCE_LINES:
                pages.append([("heading", f"{citations.heading(row)} (continued)")])
                used = 1
            pages[-1].append(item)
            used += _cost(item)
    return pages


def _source_slide(prs, page: list[tuple[str, object]], n: int, of: int) -> None:
    slide = _titled(prs, f"Sources ({n}/{of})" if of > 1 else "Sources")
    shape = _box(slide, "sources", MARGIN, Inches(1.25), TEXT_W, SLIDE_H - Inches(1.45),
                 [] if page else [("No incident, so no source, in this view.", 16, False)])
    frame = shape.text_frame
    for i, (kind, value) in enumerate(page):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if kind == "cite" and value.is_link:
            _run(p, f"\u2022 {value.text()}: ", SOURCE_PT)
            _link(p, value.shown, value.url, SOURCE_PT)
        elif kind == "cite":
            _run(p, f"\u2022 {value.text()}: {value.shown}", SOURCE_PT)
        else:
            _run(p, str(value), SOURCE_PT, bold=kind == "heading")
