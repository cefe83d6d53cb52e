"""Briefing pack: PNGs, PPTX, CSV and sources for one view, from the library and the CLI."""
import csv
import struct
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from pptx import Presentation

from dashboard import aggregate, export
from dashboard import slides as slides_mod
from dashboard.aggregate import View
from dashboard.charts import CHARTS, for_export
from dashboard.filters import Filters, ViewState

QUERY = "group=IS-K&district=Mastung"
PNGS = ["01_district.png", "02_target.png", "03_timeline.png", "04_map.png",
        "05_compare_districts.png", "06_compare_years.png", "07_published.png",
        "08_target_share.png", "09_human_targets.png", "10_compare_footprint.png",
        "11_change.png"]
VIEW = ViewState(Filters(group=("IS-K",), district=("Mastung",)))


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def expected_ids():
    raw = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    in_mastung = raw["district"].map(lambda d: "Mastung" in [p.strip() for p in d.split(";")])
    return sorted(raw[in_mastung & (raw["group"] == "IS-K")]["incident_id"]), raw


@pytest.fixture(scope="module")
def pack(ds, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    return export.write_pack(ds, VIEW, out, "http://analyst.example"), out


def test_pack_files(pack):
    result, out = pack
    names = [p.name for p in result.files]
    assert names == PNGS + ["incidents.csv", "sources.md", "briefing.pptx"]
    assert len(CHARTS) == len(PNGS)  # every chart of the registry is in the pack
    for name in PNGS:
        assert png_size(out / name) == (1920, 1080)


def test_csv_rows_are_the_views_incidents(pack):
    _, out = pack
    ids, raw = expected_ids()
    with open(out / "incidents.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["incident_id"] for r in rows) == ids
    by_id = raw.set_index("incident_id")
    for r in rows:
        assert r["source_urls"] == by_id.at[r["incident_id"], "source_urls"]
        assert r["killed"] == by_id.at[r["incident_id"], "killed"]


def test_sources_md_cites_every_source_of_the_view(pack):
    _, out = pack
    ids, raw = expected_ids()
    text = (out / "sources.md").read_text(encoding="utf-8")
    urls = [u.strip() for cell in raw[raw["incident_id"].isin(ids)]["source_urls"]
            for u in cell.split(" | ")]
    assert urls and all(f"<{u}>" in text for u in urls)
    assert "District: Mastung" in text and "http://analyst.example/?district=Mastung" in text


def test_pptx_slides_titles_and_pictures(ds, pack):
    result, out = pack
    prs = Presentation(out / "briefing.pptx")
    slides = list(prs.slides)
    ids, raw = expected_ids()
    n_charts = len(PNGS)
    view = View(ds, VIEW)
    n_sources = len(slides_mod.source_pages(aggregate.incident_rows(view)))
    assert len(slides) == 2 + n_charts + 1 + n_sources
    title_text = "\n".join(s.text_frame.text for s in slides[0].placeholders)
    assert "Group: IS-K" in title_text and "District: Mastung" in title_text
    assert "8 incidents" in title_text and "Coverage" in title_text
    assert slides[1].shapes.title.text.startswith("Summary: IS-K attacks")
    for slide, chart in zip(slides[2:2 + n_charts], for_export()):
        fig = chart.figure(view, "", **dict(chart.pack_options))
        title = export.chart_title(fig)
        # one title: the picture's own; the slide has none, the picture names it
        assert slide.shapes.title is None and not any(s.has_text_frame for s in slide.shapes)
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.width >= 0.9 * prs.slide_width
        assert picture._element.nvPicPr.cNvPr.get("descr") == title
        assert slide.has_notes_slide and title in slide.notes_slide.notes_text_frame.text
    table = next(s for s in slides[2 + n_charts].shapes if s.has_table).table
    assert len(table.rows) == 1 + len(ids)
    assert slides[3 + n_charts].shapes.title.text.startswith("Sources")


def test_chart_subtitles_name_the_filters(ds):
    for chart in CHARTS:
        sub = chart.figure(View(ds, VIEW)).layout.title.subtitle.text
        assert sub.startswith("Filters: District: Mastung; Group: IS-K")


def test_same_view_same_images(ds, pack, tmp_path):
    _, out = pack
    again = export.write_pack(ds, VIEW, tmp_path, "http://analyst.example")
    for path in again.files[:len(PNGS)]:
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_progress_counts_charts_then_slides_and_changes_no_file(ds, pack, tmp_path):
    _, out = pack
    steps = []
    again = export.write_pack(ds, VIEW, tmp_path, "http://analyst.example",
                              progress=lambda done, total, stage: steps.append((stage, done,
                                                                                 total)))
    charts = [s for s in steps if s[0] == "charts"]
    slides = [s for s in steps if s[0] == "slides"]
    assert charts == [("charts", n, len(PNGS)) for n in range(len(PNGS) + 1)]
    assert steps == charts + slides  # charts rendered, then slides
    total = len(Presentation(out / "briefing.pptx").slides)
    assert slides == [("slides", n, total) for n in range(total + 1)]
    for path in again.files:  # the same files; the PPTX's zip entries carry their time
        if path.suffix == ".pptx":
            with zipfile.ZipFile(path) as a, zipfile.ZipFile(out / path.name) as b:
                assert a.namelist() == b.namelist()
                assert all(a.read(n) == b.read(n) for n in a.namelist()
                           if "core.xml" not in n), path.name
        else:
            assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_zip_pack_names_filters_and_date(ds, tmp_path):
    data, name = export.zip_pack(ds, VIEW, tmp_path)
    assert name.startswith("briefing_district-Mastung_group-IS-K_") and name.endswith(".zip")
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
        assert len(zf.namelist()) == len(PNGS) + 3 and all(n.startswith(name[:-4] + "/")
                                               for n in zf.namelist())


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", "export", *args],
                          capture_output=True, text=True, timeout=180)


def test_cli_exports_the_same_view(tmp_path, pack):
    _, out = pack
    done = run_cli("--out", str(tmp_path), "--query", QUERY, "--base-url",
                   "http://analyst.example")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "incidents.csv").read_text() == (out / "incidents.csv").read_text()
    assert (tmp_path / "01_district.png").read_bytes() == (out / "01_district.png").read_bytes()


def test_cli_empty_view_still_exports_and_says_so(tmp_path):
    done = run_cli("--out", str(tmp_path), "--query", "group=BRAS&province=Islamabad")
    assert done.returncode == 1
    assert "no incident matches" in done.stderr and "Traceback" not in done.stderr
    prs = Presentation(tmp_path / "briefing.pptx")
    assert "This view is empty" in prs.slides[0].placeholders[1].text_frame.text
    with open(tmp_path / "incidents.csv", encoding="utf-8") as f:
        assert len(f.read().strip().splitlines()) == 1  # header only


def test_cli_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("--out", str(blocker / "sub"), "--query", QUERY)
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot create the output folder")
    assert "Traceback" not in done.stderr


def test_missing_chromium_is_a_clear_error(ds, tmp_path, monkeypatch):
    import kaleido

    def no_browser(*args, **kwargs):
        raise RuntimeError("no chrome or chromium found")

    monkeypatch.setattr(export, "_renderer_pid", 0)
    monkeypatch.setattr(kaleido, "start_sync_server", no_browser)
    with pytest.raises(export.ExportError, match="install Debian's chromium"):
        export.write_pack(ds, VIEW, tmp_path)


def test_pack_cites_sources_without_urls(tmp_path):
    from dashboard.data.dataset import Dataset
    from dashboard.data.loading import load_files
    ds = Dataset.from_result(load_files(["tests/fixtures/acled_sample.csv"]))
    pack = export.write_pack(ds, ViewState(), tmp_path)
    text = (tmp_path / "sources.md").read_text(encoding="utf-8")
    assert text.count("Cited without a URL:") == pack.incidents == len(ds.incidents)
    slides = list(Presentation(tmp_path / "briefing.pptx").slides)
    last = "\n".join(s.shapes[-1].text_frame.text for s in slides
                     if s.shapes.title is not None
                     and s.shapes.title.text.startswith("Sources"))
    assert "(no URL) Fixture" in last
