"""The briefing pack's summary slide, speaker notes, citations and slide-only district chart
(issue 16), against the oracle: no image is rendered here (the slides without charts)."""
import csv
import re
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest
from pptx import Presentation

from dashboard import citations, slides
from dashboard.aggregate import View, incident_rows
from dashboard.charts import BY_NAME
from dashboard.filters import ViewState
from tests import oracle

QUERIES = [
    "group=IS-K,ISPP&province=Balochistan&from=2016-01-01&to=2025-06-01",  # README example
    "group=IS-K&district=Mastung",
    "district=Quetta,Mastung&target=Political",  # selected districts and target types
    "province=KP",
    "group=BLA&min_killed=10",
    "",
    "group=BRAS&province=Islamabad",  # empty
]
PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def state(ds, query: str) -> ViewState:
    return ViewState.from_query(query, ds.reference, {})[0]


def deck(ds, query: str, tmp_path, base_url: str = "http://analyst.example"):
    """briefing.pptx of a view, without chart images; (presentation, view)."""
    view = View(ds, state(ds, query))
    path = slides.write_pptx(view, incident_rows(view), [], tmp_path / "b.pptx", base_url)
    return Presentation(path), view


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


def lines(slide, name: str) -> list[str]:
    return [p.text for p in shape(slide, name).text_frame.paragraphs]


@pytest.mark.parametrize("query", QUERIES)
def test_summary_slide_says_the_pages_numbers(ds, tmp_path, query):
    prs, _ = deck(ds, query, tmp_path)
    summary = list(prs.slides)[1]
    want = oracle.summary(oracle.parse(query))
    k = want["kpis"]
    assert summary.shapes.title.text.startswith("Summary: ")
    assert lines(summary, "summary-attacks")[:2] == [k["kpi-attacks"], "attacks"]
    assert lines(summary, "summary-killed")[:3] == [k["kpi-killed"], "killed (known figures)",
                                                   k["kpi-killed-note"]]
    assert lines(summary, "summary-injured")[:3] == [
        k["kpi-injured"], "injured (known figures)", k["kpi-injured-note"]]
    for name, rows in (("summary-districts", want["districts"]),
                       ("summary-targets", want["targets"])):
        shown = lines(summary, name)[1:]
        assert shown == ([f"{n}: {c}" for n, c in rows] or ["none in view"]), name
    assert "below published totals" in shape(summary, "summary-coverage").text_frame.text


def test_notes_carry_the_lineage(ds, tmp_path):
    query = QUERIES[0]
    prs, view = deck(ds, query, tmp_path)
    o = oracle.parse(query)
    notes = list(prs.slides)[1].notes_slide.notes_text_frame.text
    assert oracle.subtitle(o) in notes
    for collection, rule in oracle.inclusion_rules(o).items():
        assert f"{collection} (" in notes and rule in notes
    assert f"Data to {oracle.AS_OF}" in notes
    assert "View: http://analyst.example/" + oracle_query(ds, query) in notes


def oracle_query(ds, query: str) -> str:
    from tests.app_view import canonical_query
    return canonical_query(ds, query)


@pytest.mark.parametrize("query", QUERIES + ["target=Lawyers/Judiciary&district=Dera Bugti"])
def test_no_visible_text_is_percent_encoded(ds, tmp_path, query):
    prs, _ = deck(ds, query, tmp_path)
    for slide in prs.slides:
        for s in slide.shapes:
            texts = ([c.text for r in s.table.rows for c in r.cells] if s.has_table
                     else [s.text_frame.text] if s.has_text_frame else [])
            for text in texts:
                assert not PERCENT.search(text), text


def test_text_fits_its_slide(ds, tmp_path):
    prs, _ = deck(ds, "", tmp_path)  # every incident: the most sources
    for slide in prs.slides:
        for s in slide.shapes:
            assert s.left >= 0 and s.top >= 0, s.name
            assert s.left + s.width <= prs.slide_width and s.top + s.height <= prs.slide_height


def test_sources_slides_group_every_citation_per_incident(ds, tmp_path):
    query = QUERIES[0]
    prs, _ = deck(ds, query, tmp_path)
    pages = [s for s in prs.slides if s.shapes.title.text.startswith("Sources")]
    text = [p for s in pages for p in shape(s, "sources").text_frame.paragraphs]
    links = [r.hyperlink.address for p in text for r in p.runs if r.hyperlink.address]
    rows = oracle.pack_rows(oracle.parse(query))
    urls = [u.strip() for r in rows for u in r["source_urls"].split("|") if u.strip()]
    assert links == urls  # every source, in the incidents' order (newest first)
    headings = [p.text for p in text if p.runs and p.runs[0].font.bold]
    assert [h.split(":")[0] for h in headings if "(continued)" not in h] == [
        r["incident_id"] for r in rows]
    for p in text:
        for r in p.runs:
            if r.hyperlink.address:
                assert r.text == unquote(r.hyperlink.address)


def test_every_host_has_an_outlet():
    with open("data/outlets.csv", newline="", encoding="utf-8") as f:
        outlets = {r["host"]: r["outlet"] for r in csv.DictReader(f)}
    assert all(name.strip() for name in outlets.values())
    for r in oracle.RAW:
        for url in filter(None, (u.strip() for u in r["source_urls"].split("|"))):
            host = urlsplit(url).hostname.rstrip(".").removeprefix("www.")
            assert host in outlets, (r["incident_id"], url)
            assert citations.outlet(url) == outlets[host]
    assert citations.outlet("https://www.dawn.com/news/1") == "Dawn"
    assert citations.outlet("http://[x.example/a") == "source"  # unparsable: no host


def test_citation_reads(tmp_path):
    url = "https://siasiyat.com/%D9%BE%D8%A7%DA%A9%D8%B3%D8%AA%D8%A7%D9%86"
    c = citations.cite(url, pd.Timestamp("2024-02-07"))
    assert (c.outlet, c.date_text, c.title) == ("siasiyat.com", "incident of 7 Feb 2024", "")
    assert c.shown == "https://siasiyat.com/پاکستان" and c.url == url and c.is_link
    known = tmp_path / "sources.csv"
    known.write_text("url,title,published\n" + url + ",A stored page's title,2024-02-08\n",
                     encoding="utf-8")
    c = citations.cite(url, pd.Timestamp("2024-02-07"), sources=known)
    assert c.text() == "siasiyat.com, published 8 Feb 2024: \u201cA stored page's title\u201d"


def test_sources_table_holds_only_stored_titles():
    with open("data/sources.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["url", "title", "published"]
        urls = {u.strip() for r in oracle.RAW for u in r["source_urls"].split("|")}
        for row in reader:
            assert row["url"] in urls and row["title"].strip()


def test_slide_district_chart_shows_only_attacked_districts(ds):
    query = QUERIES[0]
    view = View(ds, state(ds, query))
    o = oracle.districts(oracle.parse(query))
    hit = o[o.sum(axis=1) > 0]
    fig = BY_NAME["district"].figure(view, "", **dict(BY_NAME["district"].pack_options))
    assert list(fig.layout.yaxis.categoryarray)[::-1] == list(hit.index)
    assert (f"{len(o) - len(hit)} other districts of Balochistan: no attack in view"
            in fig.layout.title.subtitle.text)
    for frame in ("briefing", "screen"):  # without the option: every district, as before
        plain = BY_NAME["district"].figure(view, "", frame=frame)
        assert list(plain.layout.yaxis.categoryarray)[::-1] == list(o.index)
        assert "other districts" not in plain.layout.title.subtitle.text


def test_dialog_shows_the_same_citations(ds):
    from dashboard.callbacks.details import incident_detail
    row = ds.incidents[ds.incidents["incident_id"] == "ISK-BL-20160808-1"].iloc[0]
    detail = str(incident_detail(row))
    for c in citations.incident_citations(row):
        assert c.text() in detail and f"href='{c.url}'" in detail
    assert "Jago News 24, incident of 8 Aug 2016" in detail


def test_chart_notes_name_the_collections_the_chart_counts(ds, tmp_path):
    """A group comparison chart counts without the group filter: its notes give the
    inclusion rules of the collections it draws on (the Baloch one too)."""
    from PIL import Image
    from dashboard.aggregate import comparison_view
    png = tmp_path / "chart.png"
    Image.new("RGB", (16, 9), "white").save(png)
    query = QUERIES[0]
    view = View(ds, state(ds, query))
    path = slides.write_pptx(view, incident_rows(view),
                             [("Plain", png, view), ("Compare", png, comparison_view(view))],
                             tmp_path / "b.pptx", "")
    plain, compare = [s.notes_slide.notes_text_frame.text
                      for s in list(Presentation(path).slides)[2:4]]
    o = oracle.parse(query)
    for text, scope in ((plain, o), (compare, oracle.comparison_filters(o))):
        assert oracle.subtitle(o) in text  # the page's filters and link, on every slide
        assert [line.split(" (")[0] for line in text.splitlines() if line.startswith("- ")] \
            == [f"- {c}" for c in oracle.inclusion_rules(scope)]
    assert "baloch_major" in compare and "baloch_major" not in plain
