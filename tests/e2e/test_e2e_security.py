"""Security in the browser (issue 7): a hostile data file stays inert, and the CSP holds.

- A canonical CSV whose text fields and source URLs carry script, event-handler, javascript:
  and data: payloads (tests/http/test_security.py: write_hostile_csv) is served by the real app and
  opened in Debian's chromium: no script runs, no dialog opens, the text shows literally, and
  every link is http(s). Run twice: with the page's CSP, and with the CSP bypassed, so the
  escaping itself is tested and not only the CSP behind it.
- On the shipped data, with the CSP active, the charts draw and a chart click filters, and no
  CSP violation is reported; a deliberately injected inline script is then blocked and
  reported, which shows the listener and the policy work.

Waits use Playwright's `expect` (it retries) and `page.evaluate`; `page.wait_for_function`
with a plain expression string is not used, because Playwright runs it through eval, which this
CSP (no 'unsafe-eval') rightly refuses.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import requests
from playwright.sync_api import expect

from harness.servers import start_server, stop_server
from tests.http.test_security import HOSTILE_TEXT, write_hostile_csv

ROOT = Path(__file__).resolve().parents[2]
SETTLE_MS = 20_000
GRAPHS = ("graph-district", "graph-target", "graph-timeline", "graph-map")
VIOLATIONS = """
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(
        {directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample}));
"""
# every attribute in the document that could run code or navigate somewhere
ACTIVE_ATTRIBUTES = """() => {
    const out = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const name = a.name.toLowerCase(), value = a.value.trim().toLowerCase();
            if (name.startsWith('on')) out.push([el.tagName, a.name, a.value]);
            if (/(^|:)(href|src|action|formaction|srcdoc|data)$/.test(name)
                && /^(javascript|data|vbscript):/.test(value.replace(/[\\s\\u0000-\\u001f]/g, '')))
                out.push([el.tagName, a.name, a.value]);
        }
    }
    return out;
}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    spec = write_hostile_csv(path)
    proc, base = start_server("--data", str(path))
    try:
        health = requests.get(base + "/healthz", timeout=5).json()
        assert health["incidents"] == len(spec["accepted"])  # the hostile rows did load
        yield base, spec
    finally:
        stop_server(proc)


def new_page(browser, bypass_csp: bool = False):
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  bypass_csp=bypass_csp)
    page = context.new_page()
    page.dialogs, page.console = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: page.console.append((m.type, m.text)))
    page.add_init_script(VIOLATIONS)
    return context, page


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
def test_hostile_row_text_is_inert(browser, hostile_server, bypass_csp):
    base, spec = hostile_server
    accepted = spec["accepted"]
    context, page = new_page(browser, bypass_csp)
    try:
        page.goto(base + "/")
        expect(page.locator("#kpi-attacks")).to_have_text(str(len(accepted)), timeout=SETTLE_MS)
        for gid in GRAPHS:
            expect(page.locator(f"#{gid} .main-svg").first).to_be_attached(timeout=SETTLE_MS)
        expect(page.locator("#coverage")).to_contain_text(HOSTILE_TEXT["collection"])
        page.locator("#grid-incidents").scroll_into_view_if_needed()  # rows show in view only
        rows = page.locator("#grid-incidents .ag-center-cols-container .ag-row")
        expect(rows).to_have_count(len(accepted), timeout=SETTLE_MS)
        expect(rows.first).to_be_visible()

        seen = set()
        for i in range(len(accepted)):
            rows.nth(i).locator('[col-id="date"]').click()
            modal = page.locator("#incident-modal")
            expect(modal).to_be_visible()
            title = page.locator("#incident-title")
            expect(title).not_to_have_text("Incident")
            iid = title.text_content()
            assert iid in accepted and iid not in seen, iid
            seen.add(iid)
            cells = page.locator("#incident-detail td").all_text_contents()
            for field, text in HOSTILE_TEXT.items():
                assert text in cells, (iid, field, cells)  # literally, as text
            detail = page.locator("#incident-detail")
            assert detail.locator("script, img, iframe, svg, object, embed, details, "
                                  "form, input").count() == 0
            hrefs = [a.get_attribute("href") for a in detail.locator("a").all()]
            urls = [u.strip() for u in accepted[iid]["source_urls"].split("|")]
            assert hrefs == urls
            assert all(re.match(r"https?://", h) for h in hrefs), hrefs
            page.keyboard.press("Escape")
            expect(modal).to_be_hidden()
        assert seen == set(accepted)

        grid = page.locator("#grid-incidents")
        links = grid.locator(".ag-center-cols-container a")
        expect(links).to_have_count(sum(len(r["source_urls"].split("|"))
                                         for r in accepted.values()))
        for a in links.all():
            assert re.match(r"https?://", a.get_attribute("href") or ""), a.get_attribute("href")
            assert a.locator("*").count() == 0  # link text only: no <b>, <img>, <i> from a host
        assert grid.locator(".ag-center-cols-container").locator(
            "script, img, iframe, svg, object, embed, b, i").count() == 0
        for gid in GRAPHS:
            found = page.locator(f"#{gid}").locator("img, script, iframe, foreignObject")
            assert found.count() == 0, gid

        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.dialogs == []
        assert page.evaluate(ACTIVE_ATTRIBUTES) == []
        if not bypass_csp:  # nothing even tried to run and got blocked
            assert page.evaluate("window.__csp") == []
    finally:
        context.close()


GRID_UNKNOWN_KILLED = """() => {
    const api = dash_ag_grid.getApi('grid-incidents');
    let shown = null;
    api.forEachNode(n => {
        if (shown === null && n.data.killed == null)
            shown = api.getCellValue({rowNode: n, colKey: 'killed', useFormatter: true});
    });
    return shown;
}"""


def bar_centre(page, gid: str, category: str) -> dict | None:
    return page.evaluate(
        """([gid, category]) => {
            const root = document.getElementById(gid);
            const tick = [...root.querySelectorAll('.ytick text')]
                .find(t => t.textContent === category);
            if (!tick) return null;
            const tb = tick.getBoundingClientRect(), row = tb.top + tb.height / 2;
            for (const bar of root.querySelectorAll('g.trace.bars .point path')) {
                const b = bar.getBoundingClientRect();
                if (b.width > 0 && b.top <= row && row <= b.bottom)
                    return {x: b.left + b.width / 2, y: b.top + b.height / 2};
            }
            return null;
        }""", [gid, category])


def test_csp_active_and_unviolated_while_charts_draw_and_click(browser, server):
    incidents = pd.read_csv(ROOT / "data" / "incidents.csv", dtype=str, keep_default_na=False)
    mastung = incidents["district"].map(lambda d: "Mastung" in [p.strip() for p in d.split(";")])
    context, page = new_page(browser)
    try:
        response = page.goto(server + "/")
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        expect(page.locator("#kpi-attacks")).to_have_text(f"{len(incidents):,}",
                                                          timeout=SETTLE_MS)
        for gid in ("graph-district", "graph-target", "graph-timeline"):
            expect(page.locator(f"#{gid} g.trace.bars .point path").first).to_be_attached(
                timeout=SETTLE_MS)
        expect(page.locator("#graph-map path.choroplethlocation").first).to_be_attached(
            timeout=SETTLE_MS)
        page.locator("#grid-incidents").scroll_into_view_if_needed()  # rows show in view only
        expect(page.locator("#grid-incidents .ag-center-cols-container .ag-row").first
               ).to_be_visible(timeout=SETTLE_MS)
        # the grid's column functions (given as strings) run under this CSP: a row with
        # killed unknown is formatted 'unknown' by UNKNOWN_IF_NULL
        assert page.evaluate(GRID_UNKNOWN_KILLED) == "unknown"

        page.locator("#graph-district").scroll_into_view_if_needed()
        at = bar_centre(page, "graph-district", "Mastung")
        assert at, "no Mastung bar"
        page.mouse.move(at["x"], at["y"])
        expect(page.locator("#graph-district .hoverlayer .hovertext")).to_contain_text("Mastung")
        page.mouse.click(at["x"], at["y"])
        expect(page.locator("#kpi-attacks")).to_have_text(str(int(mastung.sum())),
                                                          timeout=SETTLE_MS)
        expect(page.locator("#chips")).to_contain_text("District: Mastung")
        page.wait_for_load_state("networkidle")

        assert page.evaluate("window.__csp") == []
        csp_console = [t for kind, t in page.console if "Content Security Policy" in t]
        assert csp_console == []

        # control: an injected inline script is refused, and the refusal is reported
        page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__injected = 1'; document.body.appendChild(s); }""")
        expect(page.locator("body")).to_be_attached()
        for _ in range(50):  # bounded: the event is dispatched asynchronously
            if page.evaluate("window.__csp.length"):
                break
            page.wait_for_timeout(100)
        assert page.evaluate("typeof window.__injected") == "undefined"
        violations = page.evaluate("window.__csp")
        assert [v["directive"] for v in violations] in (["script-src-elem"], ["script-src"])
    finally:
        context.close()
