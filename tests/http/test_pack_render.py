"""The README example's briefing pack as a reader opens it (issue 16): made by the command
line, rendered to PDF by LibreOffice (Debian's libreoffice-impress, which the test command
installs), one page per slide, 16:9; its summary says the page's numbers."""
import re
import shutil
import subprocess
import sys

import pytest
from pptx import Presentation

from tests import oracle
from tests.app_view import kpis

QUERY = "group=IS-K,ISPP&province=Balochistan&from=2016-01-01&to=2025-06-01"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdfinfo"):
        pytest.fail("LibreOffice or pdfinfo is missing: run the README's test command "
                    "(bash scripts/test.sh), which installs libreoffice-impress and "
                    "poppler-utils")
    out = tmp_path_factory.mktemp("readme_pack")
    done = subprocess.run([sys.executable, "-m", "dashboard", "export", "--out", str(out),
                           "--query", QUERY], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    profile = out / "lo-profile"  # its own profile: runs in parallel never share one
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(out / "briefing.pptx")],
                   capture_output=True, text=True, timeout=300, check=True)
    info = subprocess.run(["pdfinfo", str(out / "briefing.pdf")], capture_output=True,
                          text=True, check=True).stdout
    return out, dict(line.split(":", 1) for line in info.splitlines() if ":" in line)


def test_pdf_has_a_page_per_slide_at_16_9(rendered):
    out, info = rendered
    slides = Presentation(out / "briefing.pptx").slides
    assert int(info["Pages"]) == len(slides)
    width, _, height = info["Page size"].split()[:3]
    assert abs(float(width) / float(height) - 16 / 9) < 0.01


def test_summary_says_the_pages_kpis(rendered, cb):
    out, _ = rendered
    summary = list(Presentation(out / "briefing.pptx").slides)[1]
    shown = {s.name: [p.text for p in s.text_frame.paragraphs] for s in summary.shapes
             if s.name.startswith("summary-")}
    page = kpis(cb, QUERY)
    assert shown["summary-attacks"][0] == page["kpi-attacks"]
    assert shown["summary-killed"][:3:2] == [page["kpi-killed"], page["kpi-killed-note"]]
    assert shown["summary-injured"][:3:2] == [page["kpi-injured"], page["kpi-injured-note"]]
    assert page == {**oracle.kpi_texts(oracle.parse(QUERY)), "kpi-unknown-note":
                    page["kpi-unknown-note"]}


def test_pdf_text_reads(rendered):
    """What LibreOffice laid out: the summary's title, the sources as citations, no
    percent-encoded URL (the charts are pictures: their text is checked on the figures)."""
    out, _ = rendered
    text = subprocess.run(["pdftotext", "-layout", str(out / "briefing.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Summary: IS-K, ISPP attacks, Balochistan, 2016-2025" in text
    assert "Dawn, incident of 13 Jul 2018" in text
    assert re.search(r"%[0-9A-Fa-f]{2}", text) is None


def test_no_text_runs_off_the_slides(rendered):
    """Every word LibreOffice placed ends above the slide's bottom margin (0.15 in)."""
    out, info = rendered
    height = float(info["Page size"].split()[2])
    boxes = subprocess.run(["pdftotext", "-bbox", str(out / "briefing.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    bottoms = [float(y) for y in re.findall(r'<word [^>]*yMax="([0-9.]+)"', boxes)]
    assert bottoms and max(bottoms) <= height - 0.15 * 72
